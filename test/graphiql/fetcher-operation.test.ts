// The playground's fetcher sends the operation of the document in the editor, even when GraphiQL
// still names the tab it just left (graphiql/fetcher.ts, withOperationOfDocument).
import { describe, expect, it } from 'vitest';
import { withOperationOfDocument } from '../../graphiql/fetcher.ts';

describe('the operation a ▶ runs', () => {
  it.each([
    [
      'a stale name on a one-operation document is replaced by its own',
      'query MonthlyTrends { __typename }',
      'OrderBoard',
      'MonthlyTrends',
    ],
    ['a stale name on an anonymous operation is dropped', '{ __typename }', 'OrderBoard', null],
    ['the right name is kept', 'query MonthlyTrends { __typename }', 'MonthlyTrends', 'MonthlyTrends'],
    ['several operations keep the name sent (the gateway judges it)', 'query A { __typename } query B { __typename }', 'C', 'C'],
    ['a document that does not parse is sent as it is', 'query {', 'OrderBoard', 'OrderBoard'],
  ])('%s', (_, query, operationName, expected) => {
    expect(withOperationOfDocument({ query, operationName }).operationName).toBe(expected);
  });

  it('sends a document without a name as it is', () => {
    const params = { query: '{ __typename }' };
    expect(withOperationOfDocument(params)).toBe(params);
  });
});
