// §6 (JWT) and §7 (API key, checked by Kong): the same body, the same result, a real new order.
import { createOrderFromRequest, parseOrderRequest } from '../order-intake.ts';
import type { RouteContext, RouteDefinition } from '../route-types.ts';
import { orderRequestJson } from '../wire-format.ts';
import { MANAGER_V1, MANAGER_V2 } from './paths.ts';

function submit({ body, org, services }: RouteContext) {
  const request = createOrderFromRequest(services.store, org, parseOrderRequest(body, org));
  return { status: 201, body: orderRequestJson(request) };
}

// Both routes take the same body and give the same result; only the path and the credential differ.
const submitRoute = { method: 'POST', takesBody: true, idempotent: true, handle: submit } as const;

export const orderRequestRoutes: RouteDefinition[] = [
  { ...submitRoute, path: `${MANAGER_V2}/order-requests`, auth: { kind: 'jwt', scope: 'orders:write' } },
  { ...submitRoute, path: `${MANAGER_V1}/order-requests`, auth: { kind: 'kong-apikey', scope: 'orders:write' } },
];
