// The order mutations (updateOrderStatus, submitOrderRequest, submitExternalOrder): validate, check the shop belongs to the org, then exactly one upstream write through
// runWrite (idempotency, userErrors). Results come back as REST parents and are read through the
// same loaders as queries, after those loaders forgot what the write changed.
import type { MutationResolvers } from '../resolver-types.ts';
import type { UserError } from '../../generated/graphql-types.ts';
import { orderStatusToRest } from '../../domain/enums.ts';
import type { RestOrder, RestOrderRequest } from '../../upstream/rest-types.ts';
import type { GatewayContext } from '../../graphql/context.ts';
import { inOrg } from '../../graphql/in-org.ts';
import { checkShopWrite, idProblems, writeScope } from '../../graphql/resolvers/write-checks.ts';
import { externalOrderBody, orderInputPath, orderRequestBody } from '../../writes/order-request-body.ts';
import { runWrite } from '../../writes/run-write.ts';
import type { KeptOrder } from '../../writes/minimal-outcomes.ts';
import { keepOrder, keepOrderRequest } from '../../writes/minimal-outcomes.ts';
import { validateIdempotencyKey, validateOrderInput } from '../../writes/validate-input.ts';

export const Mutation: MutationResolvers = {
  updateOrderStatus: async (_, { input }, ctx) => {
    const status = orderStatusToRest(input.status);
    const problems: UserError[] = [...idProblems(input, ['orgId', 'orderId']), ...validateIdempotencyKey(input.idempotencyKey)];
    if (status === null) problems.push({ field: ['input', 'status'], code: 'INVALID_INPUT', message: 'status cannot be UNKNOWN.' });
    if (problems.length > 0 || status === null) return { order: null, userErrors: problems };

    const outcome = await runWrite<RestOrder>({
      ...writeScope(ctx, input.orgId, 'updateOrderStatus', input),
      inputPath: (field) => (field === 'status' ? ['input', 'status'] : null),
      write: (upstreamKey) =>
        ctx.pharmaone.updateOrderStatus({
          orgId: input.orgId,
          params: { id: input.orderId },
          body: { status },
          idempotencyKey: upstreamKey,
        }),
      keep: keepOrder,
      replay: (kept) => ctx.loaders.orderDetail.load({ orgId: input.orgId, orderId: (kept as KeptOrder).id }),
    });
    if (!outcome.ok) return { order: null, userErrors: outcome.userErrors };
    ctx.loaders.forgetWrite(input.orgId, { orderId: outcome.result.id, shopId: outcome.result.shop_id });
    ctx.loaders.orderDetail.prime({ orgId: input.orgId, orderId: outcome.result.id }, outcome.result);
    ctx.feed?.published(ctx.caller, input.orgId, { changed: outcome.result });
    return { order: inOrg(input.orgId, outcome.result), userErrors: [] };
  },

  submitOrderRequest: async (_, { input }, ctx) => {
    const valid = await checkShopWrite(ctx, input, () => validateOrderInput(input, false));
    if (!valid.ok) return { orderRequest: null, userErrors: valid.userErrors };

    const body = orderRequestBody(valid.value);
    const outcome = await runWrite<RestOrderRequest>({
      ...writeScope(ctx, input.orgId, 'submitOrderRequest', input),
      inputPath: orderInputPath,
      write: (upstreamKey) =>
        input.via === 'V1_APIKEY'
          ? ctx.pharmaone.createOrderRequestV1({ orgId: input.orgId, body, idempotencyKey: upstreamKey })
          : ctx.pharmaone.createOrderRequest({ orgId: input.orgId, body, idempotencyKey: upstreamKey }),
      keep: keepOrderRequest,
    });
    if (!outcome.ok) return { orderRequest: null, userErrors: outcome.userErrors };
    // The feed's subscribers see the new order at once, not at the next poll.
    if (outcome.result.order_id) ctx.feed?.published(ctx.caller, input.orgId, { createdOrderId: outcome.result.order_id });
    return { orderRequest: orderRequestCreated(ctx, input.orgId, outcome.result), userErrors: [] };
  },

  submitExternalOrder: async (_, { input }, ctx) => {
    const valid = await checkShopWrite(ctx, input, () => validateOrderInput(input, true));
    if (!valid.ok) return { orderRequest: null, userErrors: valid.userErrors };

    const outcome = await runWrite<RestOrderRequest>({
      ...writeScope(ctx, input.orgId, 'submitExternalOrder', input),
      inputPath: orderInputPath,
      write: (upstreamKey) =>
        ctx.pharmaone.submitExternalOrder({
          orgId: input.orgId,
          params: { shopId: valid.value.shopId },
          body: externalOrderBody(valid.value),
          idempotencyKey: upstreamKey,
        }),
      keep: keepOrderRequest,
    });
    if (!outcome.ok) return { orderRequest: null, userErrors: outcome.userErrors };
    // The feed's subscribers see the new order at once, not at the next poll.
    if (outcome.result.order_id) ctx.feed?.published(ctx.caller, input.orgId, { createdOrderId: outcome.result.order_id });
    return { orderRequest: orderRequestCreated(ctx, input.orgId, outcome.result), userErrors: [] };
  },
};

function orderRequestCreated(ctx: GatewayContext, orgId: string, request: RestOrderRequest) {
  ctx.loaders.forgetWrite(orgId, { orderId: request.order_id ?? undefined, shopId: request.shop_id });
  return inOrg(orgId, request);
}
