// The resolver map: the shared scalars and building blocks (Money, connections) plus each domain
// module's map (src/modules/<domain>/index.ts), merged type by type. Root types (Query, Mutation)
// take fields from several modules; a field two maps both resolve is a mistake and fails at start.
import type { Resolvers } from '../modules/resolver-types.ts';
import { feedResolvers } from '../modules/feed/index.ts';
import { inventoryResolvers } from '../modules/inventory/index.ts';
import { orderResolvers } from '../modules/order/index.ts';
import { orgResolvers } from '../modules/org/index.ts';
import { prescriptionResolvers } from '../modules/prescription/index.ts';
import { productResolvers } from '../modules/product/index.ts';
import { reportResolvers } from '../modules/report/index.ts';
import { shopResolvers } from '../modules/shop/index.ts';
import { viewerResolvers } from '../modules/viewer/index.ts';
import { DateScalar } from '../graphql/scalars/Date.ts';
import { DateTimeScalar } from '../graphql/scalars/DateTime.ts';
import { DecimalScalar } from '../graphql/scalars/Decimal.ts';
import { Money } from './Money.ts';

const sharedResolvers: Resolvers = {
  DateTime: DateTimeScalar,
  Date: DateScalar,
  Decimal: DecimalScalar,
  Money,
};

/** Merges resolver maps type by type; the same field in two maps throws, naming it. */
export function mergeResolvers(maps: Resolvers[]): Resolvers {
  const merged: Record<string, object> = {};
  for (const map of maps) {
    for (const [typeName, typeResolvers] of Object.entries(map)) {
      const existing = merged[typeName];
      if (existing === undefined) {
        merged[typeName] = typeResolvers as object;
        continue;
      }
      // A scalar (a GraphQLScalarType instance) is never split across maps: only field maps merge.
      for (const field of Object.keys(typeResolvers as object)) {
        if (field in existing) throw new Error(`${typeName}.${field} is resolved by two resolver maps`);
      }
      merged[typeName] = { ...existing, ...(typeResolvers as object) };
    }
  }
  return merged as Resolvers;
}

export const resolvers: Resolvers = mergeResolvers([
  sharedResolvers,
  orgResolvers,
  shopResolvers,
  orderResolvers,
  prescriptionResolvers,
  inventoryResolvers,
  productResolvers,
  reportResolvers,
  viewerResolvers,
  feedResolvers,
]);
