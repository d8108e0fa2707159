// What every mutation checks before its one upstream write, shared by the modules' mutations:
// ids that go into upstream URLs, the idempotency scope of the write, and that the shop is the org's.
import type { UserError } from '../../generated/graphql-types.ts';
import { isUpstreamId } from '../../upstream/upstream-ids.ts';
import type { Validated } from '../../writes/validate-input.ts';
import type { GatewayContext } from '../context.ts';

/** Ids go into upstream URLs: each must match PharmaOne's id grammar, checked before any call. */
export function idProblems<K extends string>(input: Record<K, string>, names: K[]): UserError[] {
  return names
    .filter((name) => !isUpstreamId(input[name]))
    .map((name) => ({
      field: ['input', name],
      code: 'INVALID_INPUT' as const,
      message: `${name} is not a valid PharmaOne id (1–64 letters, digits, "_" or "-", starting with a letter or digit).`,
    }));
}

/** What runWrite needs to key the idempotency record: the caller's authorization scope, org, mutation and input. */
export function writeScope(ctx: GatewayContext, orgId: string, mutation: string, input: { idempotencyKey?: string | null }) {
  return {
    store: ctx.idempotency,
    scopeId: ctx.caller.authorizationScopeId,
    orgId,
    mutation,
    input,
    idempotencyKey: input.idempotencyKey ?? undefined,
  };
}

/** One GET /shops (shared with the rest of the operation): writes go only to the org's own shops. */
async function shopOutsideOrg(ctx: GatewayContext, orgId: string, shopId: string): Promise<UserError | null> {
  if (await ctx.loaders.shop(orgId, shopId)) return null;
  return { field: ['input', 'shopId'], code: 'INVALID_INPUT', message: `"${shopId}" is not a shop of org "${orgId}".` };
}

/**
 * The checks before a write to one of the org's shops, in order, each answering userErrors: the ids
 * (before they reach a URL), the input's own rules (`validate`), then one GET /shops for the shop.
 */
export async function checkShopWrite<T extends { shopId: string }>(
  ctx: GatewayContext,
  input: { orgId: string; shopId: string },
  validate: () => Validated<T>,
): Promise<Validated<T>> {
  const badIds = idProblems(input, ['orgId', 'shopId']);
  if (badIds.length > 0) return { ok: false, userErrors: badIds };
  const valid = validate();
  if (!valid.ok) return valid;
  const shopProblem = await shopOutsideOrg(ctx, input.orgId, valid.value.shopId);
  return shopProblem ? { ok: false, userErrors: [shopProblem] } : valid;
}
