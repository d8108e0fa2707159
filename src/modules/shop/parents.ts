// Resolver parents of the shop module (codegen `mappers`, see codegen.ts): PharmaOne REST objects
// as they arrive, plus the org they were read from.
import type { InOrg } from '../../graphql/parents.ts';
import type { RestShop } from '../../upstream/rest-types.ts';

/** A row of GET /shops. */
export type ShopParent = InOrg<RestShop>;
