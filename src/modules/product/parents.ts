// Resolver parents of the product module (codegen `mappers`, see codegen.ts): PharmaOne REST
// objects as they arrive, plus the org they were read from.
import type { ConnectionParent, InOrg } from '../../graphql/parents.ts';
import type { RestProduct } from '../../upstream/rest-types.ts';

/** A row of GET /products (one shop's catalog). */
export type ProductParent = InOrg<RestProduct>;

export type ProductConnectionParent = ConnectionParent<ProductParent>;
