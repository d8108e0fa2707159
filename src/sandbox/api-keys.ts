// The demo integration keys (DESIGN.md §2) and the scopes each one grants. The keys are public
// on purpose: they only open the sandbox. Logs name a key by its label, never by the key.

export const SCOPES = [
  'shops:read',
  'orders:read',
  'orders:write',
  'prescriptions:read',
  'prescriptions:write',
  'inventory:read',
  'products:read',
  'reports:read',
] as const;
export type Scope = (typeof SCOPES)[number];

export interface DemoApiKey {
  /** The value of the `apikey` header. */
  apiKey: string;
  label: string;
  orgId: string;
  scopes: readonly Scope[];
  description: string;
}

const READ_ONLY: readonly Scope[] = ['shops:read', 'orders:read', 'prescriptions:read', 'inventory:read', 'products:read'];

export const DEMO_API_KEYS: readonly DemoApiKey[] = [
  { apiKey: 'sandbox-org1-key', label: 'org1-key', orgId: 'org1', scopes: SCOPES, description: 'org1, every scope' },
  {
    apiKey: 'sandbox-org1-readonly',
    label: 'org1-readonly',
    orgId: 'org1',
    scopes: READ_ONLY,
    description: 'org1, read scopes only: no writes, no reports:read',
  },
  { apiKey: 'sandbox-org2-key', label: 'org2-key', orgId: 'org2', scopes: SCOPES, description: 'org2, every scope' },
];

export function findApiKey(key: string | undefined): DemoApiKey | undefined {
  return key === undefined ? undefined : DEMO_API_KEYS.find((candidate) => candidate.apiKey === key);
}

/** What the call log records for a presented key: its label, or "unknown" — never the key. */
export function apiKeyLabel(key: string | undefined): string | null {
  if (key === undefined) return null;
  return findApiKey(key)?.label ?? 'unknown';
}
