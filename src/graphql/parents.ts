// Resolver parents (codegen `mappers`, see codegen.ts): what each GraphQL object type's resolvers
// receive. They are PharmaOne's REST objects as they arrive, plus the few keys a REST object does
// not carry but its resolvers need to load related data. Everything else is computed in resolvers.
// Each domain module declares its own in src/modules/<domain>/parents.ts; these are the shared ones.
import type { InOrg } from '../loaders/create-loaders.ts';

/** A REST object plus the org it was read from: every lookup below it calls that org's API with that org's JWT. */
export type { InOrg };

/** Integer euro cents (never float euros): see src/domain/money.ts for the conversions. */
export type MoneyParent = { cents: number };

/** One page of a list endpoint: the rows, where the page starts, and the list's `pagination.total`. */
export type ConnectionParent<T> = { nodes: T[]; offset: number; totalCount: number };
