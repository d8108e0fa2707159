import { describe, expect, it } from 'vitest';
import { prefersHtml } from '../../src/http/graphiql/negotiate.ts';

// Accept headers and whether they get the playground; each group is one rule of prefersHtml.
const CASES: Array<[rule: string, Array<[accept: string | undefined, html: boolean]>]> = [
  [
    'is true for what browsers send when navigating',
    // Chromium, Firefox and Safari navigation headers.
    [
      [
        'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7',
        true,
      ],
      ['text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', true],
      ['text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8 ', true],
    ],
  ],
  [
    'is false for GraphQL clients, curl and requests without Accept',
    [
      ['application/graphql-response+json, application/json', false],
      ['application/json', false],
      ['*/*', false],
      ['', false],
      [undefined, false],
    ],
  ],
  [
    'needs text/html named and ranked first: by quality, then specificity, then header order',
    [
      ['application/json, text/html', false],
      ['text/html, application/json', true],
      ['text/html;q=0.5, application/json', false],
      ['application/json;q=0.5, text/html', true],
      ['text/html;q=0.8, */*;q=0.8', true],
      ['text/*, application/json;q=0.1', false],
      ['text/html;q=0', false],
      ['text/html;q=0.9, application/graphql-response+json', false],
    ],
  ],
  [
    'ignores malformed ranges instead of failing',
    [
      ['garbage, text/html;q=abc, text/html', true],
      [',,;', false],
    ],
  ],
];

describe('prefersHtml (who gets the playground at GET /graphql)', () => {
  it.each(CASES)('%s', (_, cases) => {
    for (const [accept, html] of cases) expect(prefersHtml(accept), String(accept)).toBe(html);
  });
});
