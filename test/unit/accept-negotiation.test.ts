import { describe, expect, it } from 'vitest';
import { negotiateResponseType } from '../../src/http/graphql-media-types.ts';

const JSON_TYPE = 'application/json; charset=utf-8';
const GRAPHQL_RESPONSE = 'application/graphql-response+json; charset=utf-8';

describe('negotiateResponseType', () => {
  it('answers application/json when the client sends no Accept header or only wildcards', () => {
    expect([undefined, '', '*/*', 'application/*', 'text/html, */*;q=0.8'].map(negotiateResponseType)).toEqual([
      JSON_TYPE,
      JSON_TYPE,
      JSON_TYPE,
      JSON_TYPE,
      JSON_TYPE,
    ]);
  });

  it('follows q values, then specificity, then the order the client listed the types in', () => {
    expect(negotiateResponseType('application/graphql-response+json, application/json;q=0.9')).toBe(GRAPHQL_RESPONSE);
    expect(negotiateResponseType('application/json;q=0.5, application/graphql-response+json')).toBe(GRAPHQL_RESPONSE);
    expect(negotiateResponseType('application/json, application/graphql-response+json')).toBe(JSON_TYPE);
    expect(negotiateResponseType('application/graphql-response+json, */*')).toBe(GRAPHQL_RESPONSE);
    expect(negotiateResponseType('Application/GraphQL-Response+JSON; charset=utf-8')).toBe(GRAPHQL_RESPONSE);
  });

  it('lets an explicit q=0 refuse a type that a wildcard would allow', () => {
    expect(negotiateResponseType('*/*, application/json;q=0')).toBe(GRAPHQL_RESPONSE);
  });

  it('returns null when neither JSON media type is acceptable', () => {
    expect([
      negotiateResponseType('text/html'),
      negotiateResponseType('application/xml, text/*'),
      negotiateResponseType('*/*;q=0'),
    ]).toEqual([null, null, null]);
  });
});

describe('acceptsEncoding (the playground bundle)', () => {
  it('accepts a coding named or covered by *, and refuses q=0', async () => {
    const { acceptsEncoding } = await import('../../src/http/accept.ts');
    expect(['gzip, deflate, br', 'br;q=1, gzip;q=0.5', '*', 'deflate, *;q=0.1'].map((h) => acceptsEncoding(h, 'gzip'))).toEqual([
      true,
      true,
      true,
      true,
    ]);
    expect([undefined, '', 'br', 'gzip;q=0', '*, gzip;q=0', 'gzipx', 'identity'].map((h) => acceptsEncoding(h, 'gzip'))).toEqual([
      false,
      false,
      false,
      false,
      false,
      false,
      false,
    ]);
  });
});
