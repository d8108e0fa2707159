// The playground's fetcher sends the operation of the document in the editor, even when GraphiQL
// still names the tab it just left (graphiql/fetcher.ts, chosenOperation), from one parse of it.
import { describe, expect, it } from 'vitest';
import { chosenOperation } from '../../graphiql/fetcher.ts';

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
    expect(chosenOperation({ query, operationName }).params.operationName).toBe(expected);
  });

  it('finds the operation run under the corrected name (a subscription goes to the board)', () => {
    const chosen = chosenOperation({
      query: 'subscription OrderBoard { orderEvents(orgId: "org1") { type } }',
      operationName: 'MonthlyTrends',
    });
    expect({ name: chosen.operation?.name?.value, type: chosen.operation?.operation }).toEqual({
      name: 'OrderBoard',
      type: 'subscription',
    });
  });

  it('sends a document without a name as it is', () => {
    const params = { query: '{ __typename }' };
    expect(chosenOperation(params).params).toBe(params);
  });
});
