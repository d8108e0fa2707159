// The order module's resolver map: one file per GraphQL type, merged with the other modules' by
// src/schema/resolvers.ts.
import type { Resolvers } from '../resolver-types.ts';
import { connectionResolvers } from '../../graphql/resolvers/connection.ts';
import { Mutation } from './mutations.ts';
import { Address } from './Address.ts';
import { Order } from './Order.ts';
import { OrderItem } from './OrderItem.ts';
import { OrderRequest, SubmitOrderRequestPayload } from './OrderRequest.ts';

export const orderResolvers: Resolvers = {
  Mutation,
  Order,
  OrderItem,
  Address,
  OrderRequest,
  SubmitOrderRequestPayload,
  OrderConnection: connectionResolvers,
};
