// The sections of the configuration reference (docs/configuration.md), in the order it lists them.
export const SECTIONS = [
  { id: 'server', title: 'Server, logs and start-up' },
  { id: 'callers', title: 'Callers (BFF mode)' },
  { id: 'query-safety', title: 'Query safety' },
  { id: 'quotas', title: 'Fair use per client' },
  { id: 'execution', title: 'Execution and caches' },
  { id: 'pharmaone', title: 'PharmaOne' },
  { id: 'resilience', title: 'Resilience' },
  { id: 'stores', title: 'Stores, Redis and idempotency' },
  { id: 'live-updates', title: 'Live updates' },
  { id: 'tracing', title: 'Tracing' },
  { id: 'sandbox', title: 'Sandbox' },
] as const;

export type SectionId = (typeof SECTIONS)[number]['id'];

/** Per section: variable name → what it means (markdown, one table cell). */
export type SectionDescriptions = Partial<Record<SectionId, Readonly<Record<string, string>>>>;
