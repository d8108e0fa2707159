// The one place a REST object becomes a resolver parent that knows its org: every lookup below it
// calls that org's API with that org's JWT (see InOrg in src/graphql/parents.ts).
import type { InOrg } from './parents.ts';

export function inOrg<T extends object>(orgId: string, row: T): InOrg<T> {
  return { ...row, orgId };
}

export function allInOrg<T extends object>(orgId: string, rows: readonly T[]): InOrg<T>[] {
  return rows.map((row) => inOrg(orgId, row));
}
