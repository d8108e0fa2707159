// Which incremental format an Accept header asks for (src/http/incremental-response.ts), for the
// headers real clients send and for the ones that must get one complete answer instead.
import { describe, expect, it } from 'vitest';
import { MEDIA_TYPES, negotiateResponseType } from '../../src/http/graphql-media-types.ts';
import { incrementalSpecFor } from '../../src/http/incremental-response.ts';

const cases: Array<{ client: string; accept: string | undefined; spec: 'v0.1' | 'v0.2' | null }> = [
  {
    client: 'Apollo Client 4, Defer20220824Handler',
    accept: 'multipart/mixed;deferSpec=20220824,application/graphql-response+json,application/json;q=0.9',
    spec: 'v0.1',
  },
  {
    client: 'Apollo Client 4, GraphQL17Alpha9Handler',
    accept: 'multipart/mixed;incrementalSpec=v0.2,application/graphql-response+json,application/json;q=0.9',
    spec: 'v0.2',
  },
  {
    client: 'Apollo Kotlin / iOS (Defer20220824)',
    accept: 'multipart/mixed;deferSpec=20220824, application/graphql-response+json, application/json',
    spec: 'v0.1',
  },
  {
    client: 'urql (its default Accept)',
    accept: 'application/graphql-response+json, application/graphql+json, application/json, text/event-stream, multipart/mixed',
    spec: 'v0.1',
  },
  {
    client: 'both formats offered',
    accept: 'multipart/mixed; deferSpec=20220824, multipart/mixed; incrementalSpec=v0.2, application/json',
    spec: 'v0.2',
  },
  { client: 'quoted, upper case', accept: 'Multipart/Mixed; IncrementalSpec="v0.2", application/json', spec: 'v0.2' },
  { client: 'plain JSON', accept: 'application/json', spec: null },
  { client: 'no Accept', accept: undefined, spec: null },
  { client: 'multipart refused (q=0)', accept: 'multipart/mixed;deferSpec=20220824;q=0, application/json', spec: null },
  { client: 'multipart ranked below JSON', accept: 'multipart/mixed;incrementalSpec=v0.2;q=0.5, application/json', spec: null },
  { client: 'an incrementalSpec not spoken here', accept: 'multipart/mixed;incrementalSpec=v0.3, application/json', spec: null },
  { client: 'a deferSpec not spoken here', accept: 'multipart/mixed;deferSpec=20230101, application/json', spec: null },
  { client: 'multipart/* is not multipart/mixed', accept: 'multipart/*, application/json', spec: null },
];

describe('the incremental format an Accept asks for', () => {
  it.each(cases)('$client → $spec', ({ accept, spec }) => {
    const mediaType = negotiateResponseType(accept) ?? MEDIA_TYPES.JSON;
    expect(incrementalSpecFor(accept, mediaType)).toBe(spec);
  });
});
