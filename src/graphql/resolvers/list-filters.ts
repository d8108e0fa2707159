// GraphQL list arguments → PharmaOne query parameters. UNKNOWN exists only for values PharmaOne
// sends that we do not know; as a filter it names nothing, so it is refused up front.
import type { OrderFilter, PrescriptionFilter } from '../../generated/graphql-resolvers.ts';
import type { PageWindow } from '../../domain/cursor.ts';
import { orderStatusToRest, paymentStatusToRest, prescriptionStatusToRest } from '../../domain/enums.ts';
import type { OrderListQuery, PrescriptionListQuery } from '../../upstream/pharmaone-client.ts';
import { ErrorCode, clientError } from '../errors.ts';

export function orderListQuery(page: PageWindow, filter: OrderFilter | null | undefined, shopId?: string): OrderListQuery {
  return {
    ...page,
    status: filter?.status ? known(orderStatusToRest(filter.status), 'filter.status') : undefined,
    payment_status: filter?.paymentStatus ? known(paymentStatusToRest(filter.paymentStatus), 'filter.paymentStatus') : undefined,
    shop_id: shopId ?? filter?.shopId ?? undefined,
  };
}

export function prescriptionListQuery(page: PageWindow, filter: PrescriptionFilter | null | undefined): PrescriptionListQuery {
  return {
    ...page,
    status: filter?.status ? known(prescriptionStatusToRest(filter.status), 'filter.status') : undefined,
    shop_id: filter?.shopId ?? undefined,
  };
}

function known(raw: string | null, argument: string): string {
  if (raw === null) throw clientError(ErrorCode.BAD_USER_INPUT, `${argument} cannot be UNKNOWN: it only describes values PharmaOne sent.`);
  return raw;
}
