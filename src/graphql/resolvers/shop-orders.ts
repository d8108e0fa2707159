// Shop.orders' page read, in one place for the two that make it: the field itself and its parent
// Org.shop, which starts it before the shop is read (child-reads.ts). Both compute the GET from
// the same code, so the request scope's `readsOnce` sees one key and sends one call.
import type { GraphQLField } from 'graphql';
import type { ShopOrdersArgs } from '../../generated/graphql-types.ts';
import { pageWindow } from '../../domain/cursor.ts';
import type { PharmaOneClient } from '../../upstream/pharmaone-client.ts';
import { argumentOrDefault } from '../arguments.ts';
import type { ChildReads } from './child-reads.ts';
import { orderListQuery } from './list-filters.ts';

/** A shop as its child fields see it: its id and the org whose API it is read from. */
export interface ShopRef {
  id: string;
  orgId: string;
}

/** The page window Shop.orders answers and the GET that reads it (sent, or shared if already sent). */
export function shopOrdersPage(
  pharmaone: PharmaOneClient,
  shop: ShopRef,
  args: Partial<ShopOrdersArgs>,
  field: GraphQLField<unknown, unknown> | undefined,
): { offset: number; read: ReturnType<PharmaOneClient['listOrders']> } {
  const first = argumentOrDefault(field, args, 'first');
  const page = pageWindow(typeof first === 'number' ? first : undefined, args.after);
  return { offset: page.offset, read: pharmaone.listOrders(shop.orgId, orderListQuery(page, args.filter, shop.id)) };
}

/** The reads of a Shop's child fields that need only the shop's id: for Org.shop to start early. */
export function shopChildReads(pharmaone: PharmaOneClient, shop: ShopRef): ChildReads {
  return {
    orders: (args, field) => shopOrdersPage(pharmaone, shop, args as Partial<ShopOrdersArgs>, field).read,
  };
}
