import { describe, expect, it } from 'vitest';
import { prefersHtml } from '../../src/http/graphiql/negotiate.ts';

describe('prefersHtml (who gets the playground at GET /graphql)', () => {
  it('is true for what browsers send when navigating', () => {
    // Chromium, Firefox and Safari navigation headers.
    expect(
      prefersHtml(
        'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7',
      ),
    ).toBe(true);
    expect(prefersHtml('text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8')).toBe(true);
    expect(prefersHtml('text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8 ')).toBe(true);
  });

  it('is false for GraphQL clients, curl and requests without Accept', () => {
    expect(prefersHtml('application/graphql-response+json, application/json')).toBe(false);
    expect(prefersHtml('application/json')).toBe(false);
    expect(prefersHtml('*/*')).toBe(false);
    expect(prefersHtml('')).toBe(false);
    expect(prefersHtml(undefined)).toBe(false);
  });

  it('needs text/html named and ranked first: by quality, then specificity, then header order', () => {
    expect(prefersHtml('application/json, text/html')).toBe(false);
    expect(prefersHtml('text/html, application/json')).toBe(true);
    expect(prefersHtml('text/html;q=0.5, application/json')).toBe(false);
    expect(prefersHtml('application/json;q=0.5, text/html')).toBe(true);
    expect(prefersHtml('text/html;q=0.8, */*;q=0.8')).toBe(true);
    expect(prefersHtml('text/*, application/json;q=0.1')).toBe(false);
    expect(prefersHtml('text/html;q=0')).toBe(false);
    expect(prefersHtml('text/html;q=0.9, application/graphql-response+json')).toBe(false);
  });

  it('ignores malformed ranges instead of failing', () => {
    expect(prefersHtml('garbage, text/html;q=abc, text/html')).toBe(true);
    expect(prefersHtml(',,;')).toBe(false);
  });
});
