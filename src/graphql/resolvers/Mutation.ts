// Mutations: validate, check the shop belongs to the org, then exactly one upstream write through
// runWrite (idempotency, userErrors). Results come back as REST parents and are read through the
// same loaders as queries, after those loaders forgot what the write changed.
import type { MutationResolvers, UserError } from '../../generated/graphql-resolvers.ts';
import { orderStatusToRest } from '../../domain/enums.ts';
import type { RestOrder, RestOrderRequest, RestPrescription } from '../../upstream/rest-types.ts';
import type { GatewayContext } from '../context.ts';
import { externalOrderBody, orderInputPath, orderRequestBody } from '../../writes/order-request-body.ts';
import { prescriptionIngestBody, prescriptionInputPath } from '../../writes/prescription-body.ts';
import { runWrite } from '../../writes/run-write.ts';
import { validateIdempotencyKey, validateOrderInput, validatePrescriptionInput } from '../../writes/validate-input.ts';

export const Mutation: MutationResolvers = {
  updateOrderStatus: async (_, { input }, ctx) => {
    const status = orderStatusToRest(input.status);
    const problems: UserError[] = validateIdempotencyKey(input.idempotencyKey);
    if (status === null) problems.push({ field: ['input', 'status'], code: 'INVALID_INPUT', message: 'status cannot be UNKNOWN.' });
    if (input.orderId.trim() === '') problems.push({ field: ['input', 'orderId'], code: 'INVALID_INPUT', message: 'orderId is required.' });
    if (problems.length > 0 || status === null) return { order: null, userErrors: problems };

    const outcome = await runWrite<RestOrder>({
      ...writeScope(ctx, input.orgId, 'updateOrderStatus', input),
      inputPath: (field) => (field === 'status' ? ['input', 'status'] : null),
      write: () => ctx.pharmaone.updateOrderStatus(input.orgId, input.orderId, status, input.idempotencyKey ?? undefined),
    });
    if (!outcome.ok) return { order: null, userErrors: outcome.userErrors };
    ctx.loaders.forgetWrite(input.orgId, { orderId: outcome.result.id, shopId: outcome.result.shop_id });
    ctx.loaders.orderDetail.prime({ orgId: input.orgId, orderId: outcome.result.id }, outcome.result);
    ctx.feed?.published(ctx.caller, input.orgId, { changed: outcome.result });
    return { order: { ...outcome.result, orgId: input.orgId }, userErrors: [] };
  },

  submitOrderRequest: async (_, { input }, ctx) => {
    const valid = validateOrderInput(input, false);
    if (!valid.ok) return { orderRequest: null, userErrors: valid.userErrors };
    const shopProblem = await shopOutsideOrg(ctx, input.orgId, valid.value.shopId);
    if (shopProblem) return { orderRequest: null, userErrors: [shopProblem] };

    const body = orderRequestBody(valid.value);
    const key = input.idempotencyKey ?? undefined;
    const outcome = await runWrite<RestOrderRequest>({
      ...writeScope(ctx, input.orgId, 'submitOrderRequest', input),
      inputPath: orderInputPath,
      write: () =>
        input.via === 'V1_APIKEY'
          ? ctx.pharmaone.createOrderRequestV1(input.orgId, body, key)
          : ctx.pharmaone.createOrderRequest(input.orgId, body, key),
    });
    if (!outcome.ok) return { orderRequest: null, userErrors: outcome.userErrors };
    if (outcome.result.order_id) ctx.feed?.published(ctx.caller, input.orgId, { createdOrderId: outcome.result.order_id });
    return { orderRequest: orderRequestCreated(ctx, input.orgId, outcome.result), userErrors: [] };
  },

  submitExternalOrder: async (_, { input }, ctx) => {
    const valid = validateOrderInput(input, true);
    if (!valid.ok) return { orderRequest: null, userErrors: valid.userErrors };
    const shopProblem = await shopOutsideOrg(ctx, input.orgId, valid.value.shopId);
    if (shopProblem) return { orderRequest: null, userErrors: [shopProblem] };

    const outcome = await runWrite<RestOrderRequest>({
      ...writeScope(ctx, input.orgId, 'submitExternalOrder', input),
      inputPath: orderInputPath,
      write: () =>
        ctx.pharmaone.submitExternalOrder(
          input.orgId,
          valid.value.shopId,
          externalOrderBody(valid.value),
          input.idempotencyKey ?? undefined,
        ),
    });
    if (!outcome.ok) return { orderRequest: null, userErrors: outcome.userErrors };
    if (outcome.result.order_id) ctx.feed?.published(ctx.caller, input.orgId, { createdOrderId: outcome.result.order_id });
    return { orderRequest: orderRequestCreated(ctx, input.orgId, outcome.result), userErrors: [] };
  },

  ingestPrescription: async (_, { input }, ctx) => {
    const valid = validatePrescriptionInput(input, new Date().toISOString().slice(0, 10));
    if (!valid.ok) return { prescription: null, userErrors: valid.userErrors };
    const shopProblem = await shopOutsideOrg(ctx, input.orgId, valid.value.shopId);
    if (shopProblem) return { prescription: null, userErrors: [shopProblem] };

    const outcome = await runWrite<RestPrescription>({
      ...writeScope(ctx, input.orgId, 'ingestPrescription', input),
      inputPath: prescriptionInputPath,
      write: () => ctx.pharmaone.ingestPrescription(input.orgId, prescriptionIngestBody(valid.value), input.idempotencyKey ?? undefined),
    });
    if (!outcome.ok) return { prescription: null, userErrors: outcome.userErrors };
    ctx.loaders.forgetWrite(input.orgId, { shopId: outcome.result.shop_id });
    return { prescription: { ...outcome.result, orgId: input.orgId }, userErrors: [] };
  },
};

function writeScope(ctx: GatewayContext, orgId: string, mutation: string, input: { idempotencyKey?: string | null }) {
  return { store: ctx.idempotency, callerId: ctx.callerId, orgId, mutation, input, idempotencyKey: input.idempotencyKey ?? undefined };
}

/** One GET /shops (shared with the rest of the operation): writes go only to the org's own shops. */
async function shopOutsideOrg(ctx: GatewayContext, orgId: string, shopId: string): Promise<UserError | null> {
  if (await ctx.loaders.shop(orgId, shopId)) return null;
  return { field: ['input', 'shopId'], code: 'INVALID_INPUT', message: `"${shopId}" is not a shop of org "${orgId}".` };
}

function orderRequestCreated(ctx: GatewayContext, orgId: string, request: RestOrderRequest) {
  ctx.loaders.forgetWrite(orgId, { orderId: request.order_id ?? undefined, shopId: request.shop_id });
  return { ...request, orgId };
}
