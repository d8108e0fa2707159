// Resolver parents of the inventory module (codegen `mappers`, see codegen.ts): PharmaOne REST
// objects as they arrive, plus the org they were read from.
import type { ConnectionParent, InOrg } from '../../graphql/parents.ts';
import type { RestInventoryItem } from '../../upstream/rest-types.ts';

/** A row of GET /inventory. */
export type InventoryItemParent = InOrg<RestInventoryItem>;

export type InventoryConnectionParent = ConnectionParent<InventoryItemParent>;
