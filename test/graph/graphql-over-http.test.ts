// GraphQL over HTTP against a running gateway + sandbox: graphql-http's server audit, GET with CSRF
// prevention, no mutations over GET, media types and status codes, and that every refusal happens
// before any upstream call (the sandbox's call log stays empty).
import { serverAudits } from 'graphql-http';
import type { AuditResult } from 'graphql-http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ORG1_KEY, restCalls, startStack } from '../support/gateway.ts';
import type { GraphqlBody, TestStack } from '../support/gateway.ts';

let stack: TestStack;

beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack.close());
beforeEach(() => {
  stack.sandbox.reset();
});

const SHOPS = '{ org(id: "org1") { shops { id } } }';
const CANCEL =
  'mutation { updateOrderStatus(input: { orgId: "org1", orderId: "ORD_20260614_8v039dhnrv", status: CANCELLED }) { userErrors { code } } }';
const GRAPHQL_RESPONSE = 'application/graphql-response+json';

function get(params: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${stack.gateway.url}?${new URLSearchParams(params)}`, { headers });
}

function post(body: string, headers: Record<string, string>): Promise<Response> {
  return fetch(stack.gateway.url, { method: 'POST', headers, body });
}

describe('the graphql-http server audit', () => {
  it('passes every MUST, SHOULD and MAY audit', async () => {
    // The audit's own requests carry no credential; a client of this gateway always sends one.
    const fetchFn = (input: string | URL | Request, init: RequestInit = {}) => {
      const headers = new Headers(init.headers);
      headers.set('apikey', ORG1_KEY);
      return fetch(input, { ...init, headers });
    };
    const results: AuditResult[] = [];
    for (const audit of serverAudits({ url: stack.gateway.url, fetchFn })) results.push(await audit.fn());
    const notOk = results.filter((result) => result.status !== 'ok').map((result) => `${result.id} ${result.name}`);
    expect(notOk).toEqual([]);
    const byLevel = (level: string) => results.filter((result) => result.name.startsWith(`${level} `)).length;
    expect({ MUST: byLevel('MUST'), SHOULD: byLevel('SHOULD') }).toEqual({ MUST: 13, SHOULD: 23 });
  });
});

describe('GET', () => {
  it('runs a query sent with the apikey header, which browsers cannot send cross-origin without a preflight', async () => {
    const res = await get({ query: SHOPS }, { apikey: ORG1_KEY });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await res.json()).toEqual({ data: { org: { shops: [{ id: 'shop1' }, { id: 'shop2' }] } } });
    expect(restCalls(stack.sandbox)).toEqual(['POST /auth/token', 'GET /shops']);
  });

  it('refuses a simple GET (no preflight-forcing header) as possible CSRF before any upstream call', async () => {
    const res = await get({ query: SHOPS });
    expect(res.status).toBe(400);
    expect(((await res.json()) as GraphqlBody).errors?.[0]?.message).toMatch(/Cross-Site Request Forgery/);
    expect(restCalls(stack.sandbox)).toEqual([]);
  });

  it('refuses a mutation with 405 and Allow: POST before any upstream call', async () => {
    const res = await get({ query: CANCEL }, { apikey: ORG1_KEY });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST');
    expect(restCalls(stack.sandbox)).toEqual([]);
  });
});

describe('media types and status codes', () => {
  it('answers in application/graphql-response+json when the client prefers it, application/json otherwise', async () => {
    const body = JSON.stringify({ query: '{ __typename }' });
    const preferred = await post(body, {
      'content-type': 'application/json',
      apikey: ORG1_KEY,
      accept: `${GRAPHQL_RESPONSE}, application/json;q=0.9`,
    });
    expect(preferred.headers.get('content-type')).toBe(`${GRAPHQL_RESPONSE}; charset=utf-8`);
    const legacy = await post(body, { 'content-type': 'application/json', apikey: ORG1_KEY });
    expect(legacy.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await legacy.json()).toEqual({ data: { __typename: 'Query' } });
  });

  it('reports a validation failure with 400 in application/graphql-response+json and 200 in application/json', async () => {
    const body = JSON.stringify({ query: '{ org(id: "org1") { nope } }' });
    const modern = await post(body, { 'content-type': 'application/json', apikey: ORG1_KEY, accept: GRAPHQL_RESPONSE });
    const legacy = await post(body, { 'content-type': 'application/json', apikey: ORG1_KEY, accept: 'application/json' });
    expect([modern.status, legacy.status]).toEqual([400, 200]);
    expect(((await legacy.json()) as GraphqlBody).errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('refuses a POST body that is not JSON in UTF-8 with 415', async () => {
    const statuses = [];
    for (const type of ['text/plain', 'application/graphql', 'application/json; charset=utf-16', undefined]) {
      const res = await post(SHOPS, { ...(type ? { 'content-type': type } : {}), apikey: ORG1_KEY });
      statuses.push(res.status);
    }
    expect(statuses).toEqual([415, 415, 415, 415]);
    expect(restCalls(stack.sandbox)).toEqual([]);
  });

  it('answers malformed JSON with 400 and a GraphQL-shaped error in the negotiated media type', async () => {
    const res = await post('{"query": "{ __typename }"', {
      'content-type': 'application/json; charset=utf-8',
      apikey: ORG1_KEY,
      accept: GRAPHQL_RESPONSE,
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe(`${GRAPHQL_RESPONSE}; charset=utf-8`);
    expect(await res.json()).toEqual({ errors: [{ message: 'Request body is not valid JSON.', extensions: { code: 'BAD_REQUEST' } }] });
  });

  it('answers 406 to a client that accepts neither JSON media type, before running even a mutation', async () => {
    const res = await post(JSON.stringify({ query: CANCEL }), {
      'content-type': 'application/json',
      apikey: ORG1_KEY,
      accept: 'text/html',
    });
    expect(res.status).toBe(406);
    expect(restCalls(stack.sandbox)).toEqual([]);
  });
});
