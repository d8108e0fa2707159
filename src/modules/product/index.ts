// The product module's resolver map: one file per GraphQL type, merged with the other modules' by
// src/schema/resolvers.ts.
import type { Resolvers } from '../resolver-types.ts';
import { connectionResolvers } from '../../graphql/resolvers/connection.ts';
import { Product } from './Product.ts';

export const productResolvers: Resolvers = { Product, ProductConnection: connectionResolvers };
