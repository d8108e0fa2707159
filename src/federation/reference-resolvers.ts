// `__resolveReference` for each entity the router may send in `_entities` (keys: entities.graphql).
// `_entities` bypasses Query.org, so every reference goes through the same per-request loaders and
// PharmaOne client as a page of the graph: N order references make at most one GET /orders/{id}
// per distinct order (deduplicated, UPSTREAM_DETAIL_CONCURRENCY at once), shop references one
// GET /shops per org, product references one catalog read per shop. Tenancy holds because every
// one of those calls asks the client for the caller's credential for the reference's org: a
// pass-through key another org refuses gets UNAUTHENTICATED from the token exchange (no token for
// that org ever exists), a BFF caller not granted the org gets FORBIDDEN without any call.
// A failed reference is null with its error; the other references of the batch are still served.
import type { GatewayContext } from '../graphql/context.ts';
import { ErrorCode, clientError, notFound } from '../graphql/errors.ts';
import type { OrderParent } from '../modules/order/parents.ts';
import type { OrgParent } from '../modules/org/parents.ts';
import type { ProductParent } from '../modules/product/parents.ts';
import type { ShopParent } from '../modules/shop/parents.ts';
import { keyRule, keyValueProblem } from '../graphql/safety/representations.ts';

/** What the router sends: `__typename` plus the key fields, all caller-controlled. */
type Representation = Record<string, unknown>;

type ReferenceResolver<Parent> = (reference: Representation, context: GatewayContext) => Promise<Parent>;

/**
 * A key field's value. The admission rule (representations-rule.ts) has already refused an operation
 * with a malformed representation; this is the same check where the value is used, for any path
 * that ever reaches a resolver without that rule.
 */
function keyField(reference: Representation, typeName: string, field: string): string {
  const value = reference[field];
  const problem = keyValueProblem(keyRule(typeName, field), value);
  if (problem !== undefined || typeof value !== 'string') {
    throw clientError(ErrorCode.BAD_USER_INPUT, `A ${typeName} reference needs the key field "${field}" as ${problem}.`);
  }
  return value;
}

const org: ReferenceResolver<OrgParent> = async (reference, { pharmaone }) => {
  const id = keyField(reference, 'Org', 'id');
  // The same proof of access as Query.org: the token exchange for this org with the caller's credential.
  await pharmaone.token(id);
  return { id };
};

const shop: ReferenceResolver<ShopParent> = async (reference, { loaders }) => {
  const orgId = keyField(reference, 'Shop', 'orgId');
  const id = keyField(reference, 'Shop', 'id');
  const found = await loaders.shop(orgId, id);
  if (!found) throw notFound('Shop', id);
  return found;
};

const order: ReferenceResolver<OrderParent> = async (reference, { loaders }) => {
  const orgId = keyField(reference, 'Order', 'orgId');
  const orderId = keyField(reference, 'Order', 'id');
  // The detail carries every summary field too, so the reference's fields cost nothing more.
  return { ...(await loaders.orderDetail.load({ orgId, orderId })), orgId };
};

const product: ReferenceResolver<ProductParent> = async (reference, { loaders }) => {
  const orgId = keyField(reference, 'Product', 'orgId');
  const shopId = keyField(reference, 'Product', 'shopId');
  const p1Id = keyField(reference, 'Product', 'p1Id');
  const found = await loaders.product(orgId, shopId, p1Id);
  if (!found) throw notFound('Product', p1Id);
  return found;
};

// Prescription's key is `resolvable: false`: without this, @apollo/subgraph would hand the
// caller's representation itself to the Prescription resolvers as if PharmaOne had sent it.
const prescription: ReferenceResolver<never> = async () => {
  throw clientError(
    ErrorCode.BAD_USER_INPUT,
    'Prescriptions cannot be fetched by reference: PharmaOne has no lookup by id. Reach them through Org.prescriptions.',
  );
};

/** Merged into the resolver map of the subgraph schema only. */
export const referenceResolvers = {
  Org: { __resolveReference: org },
  Shop: { __resolveReference: shop },
  Order: { __resolveReference: order },
  Product: { __resolveReference: product },
  Prescription: { __resolveReference: prescription },
};
