// The inventory module's resolver map: one file per GraphQL type, merged with the other modules' by
// src/schema/resolvers.ts.
import type { Resolvers } from '../resolver-types.ts';
import { connectionResolvers } from '../../graphql/resolvers/connection.ts';
import { InventoryItem } from './InventoryItem.ts';

export const inventoryResolvers: Resolvers = { InventoryItem, InventoryConnection: connectionResolvers };
