// What every environment variable means, written once: docs/configuration.md is generated from
// these words and from what the reader records of each read (kind, default, bounds: src/config/env.ts),
// so the reference cannot drift from the code. test/unit/config-descriptions.test.ts fails when a
// variable the gateway or the sandbox reads has no description here, or a description names none.
import { SERVING_SETTINGS } from './descriptions/serving.ts';
import { SECTIONS } from './descriptions/sections.ts';
import type { SectionId } from './descriptions/sections.ts';
import { UPSTREAM_SETTINGS } from './descriptions/upstream.ts';

export { SECTIONS } from './descriptions/sections.ts';
export type { SectionId } from './descriptions/sections.ts';

export interface SettingDescription {
  name: string;
  section: SectionId;
  /** What it does (markdown). */
  meaning: string;
  /** The default in words, where the reader's own is missing, depends on the mode or is another variable's. */
  defaultText?: string;
}

// Defaults the reader cannot state: a variable read as plain text with no fallback of its own, one
// whose default depends on the mode (production, the sandbox), or one that defaults to another
// variable. test/unit/config-descriptions.test.ts holds each against what the reader records.
export const DEFAULT_TEXTS: Readonly<Record<string, string>> = {
  METRICS_HOST: '`HOST`',
  CORS_ORIGINS: '`http://localhost:*,http://127.0.0.1:*` on the sandbox, else none',
  GRAPHIQL_ENABLED: '`true`, `false` when `NODE_ENV=production`',
  GRAPHQL_INTROSPECTION: '`true`, `false` when `NODE_ENV=production`',
  GRAPHQL_FIELD_SUGGESTIONS: '`true`, `false` when `NODE_ENV=production`',
  PHARMAONE_BASE_URL: 'unset → sandbox outside production',
  PHARMAONE_SHOP_URL_TEMPLATE: "the sandbox's `/shops/{shopId}`",
  PHARMAONE_SANDBOX: '`true` when `PHARMAONE_BASE_URL` is unset outside production, else `false`',
  UPSTREAM_ORG_MAX_WAIT_MS: '`OPERATION_DEADLINE_MS`',
  REDIS_IDEMPOTENCY_URL: '`REDIS_URL`',
  SANDBOX_PUBLIC_URL: 'the listening address',
};

/** Every description, section by section in the reference's order. */
export function settingDescriptions(): SettingDescription[] {
  return SECTIONS.flatMap(({ id }) =>
    [SERVING_SETTINGS, UPSTREAM_SETTINGS].flatMap((group) =>
      Object.entries(group[id] ?? {}).map(([name, meaning]) => {
        const defaultText = DEFAULT_TEXTS[name];
        return { name, section: id, meaning, ...(defaultText === undefined ? {} : { defaultText }) };
      }),
    ),
  );
}
