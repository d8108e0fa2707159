// BFF mode: the operator's PharmaOne integration key per org, from PHARMAONE_ORG_KEYS (JSON) or
// PHARMAONE_ORG_KEYS_FILE (a JSON file, e.g. a mounted secret). The keys never leave this module's
// map except into an upstream `apikey` header or a token exchange; they are never logged.
import { readFileSync } from 'node:fs';

export type OrgKeys = ReadonlyMap<string, string>;

export function loadOrgKeys(env: Record<string, string | undefined>): OrgKeys {
  const inline = env.PHARMAONE_ORG_KEYS;
  const file = env.PHARMAONE_ORG_KEYS_FILE;
  if (inline && file) throw new Error('Set PHARMAONE_ORG_KEYS or PHARMAONE_ORG_KEYS_FILE, not both.');
  if (!inline && !file) return new Map();
  let text: string;
  try {
    text = inline ?? readFileSync(file ?? '', 'utf8');
  } catch {
    throw new Error(`PHARMAONE_ORG_KEYS_FILE (${file}) cannot be read.`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Never echo the text: it holds secrets.
    throw new Error('The org keys are not valid JSON: expected {"<orgId>": "<integration key>", …}.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error('The org keys must be a JSON object {"<orgId>": "<integration key>", …}.');
  }
  const keys = new Map<string, string>();
  for (const [orgId, key] of Object.entries(parsed)) {
    if (typeof key !== 'string' || key.trim() === '') throw new Error(`The org key for "${orgId}" must be a non-empty string.`);
    keys.set(orgId, key);
  }
  return keys;
}
