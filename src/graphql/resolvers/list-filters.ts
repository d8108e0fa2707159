// GraphQL list arguments → PharmaOne query parameters. UNKNOWN exists only for values PharmaOne
// sends that we do not know; as a filter it names nothing, so it is refused up front.
import type { OrderFilter, PrescriptionFilter } from '../../generated/graphql-types.ts';
import type { PageWindow } from '../../domain/cursor.ts';
import { orderStatusToRest, paymentStatusToRest, prescriptionStatusToRest } from '../../domain/enums.ts';
import type { OrderListQuery, PrescriptionListQuery } from '../../upstream/pharmaone-client.ts';
import { ErrorCode, clientError } from '../errors.ts';
import { upstreamId } from '../../upstream/upstream-ids.ts';

export function orderListQuery(page: PageWindow, filter: OrderFilter | null | undefined, shopId?: string): OrderListQuery {
  const filterShop = filteredShop(filter);
  return {
    ...page,
    status: filter?.status ? known(orderStatusToRest(filter.status), 'filter.status') : undefined,
    payment_status: filter?.paymentStatus ? known(paymentStatusToRest(filter.paymentStatus), 'filter.paymentStatus') : undefined,
    // filter.shopId is checked even where the parent shop's id wins (Shop.orders): a bad id is bad input.
    shop_id: shopId ?? filterShop,
  };
}

export function prescriptionListQuery(page: PageWindow, filter: PrescriptionFilter | null | undefined): PrescriptionListQuery {
  return {
    ...page,
    status: filter?.status ? known(prescriptionStatusToRest(filter.status), 'filter.status') : undefined,
    shop_id: filteredShop(filter),
  };
}

function filteredShop(filter: { shopId?: string | null } | null | undefined): string | undefined {
  return filter?.shopId == null ? undefined : upstreamId('filter.shopId', filter.shopId);
}

function known(raw: string | null, argument: string): string {
  if (raw === null) throw clientError(ErrorCode.BAD_USER_INPUT, `${argument} cannot be UNKNOWN: it only describes values PharmaOne sent.`);
  return raw;
}
