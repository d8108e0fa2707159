// The prescription mutation (ingestPrescription): validate, check the shop belongs to the org, then
// exactly one upstream write through runWrite (idempotency, userErrors). The result is read through
// the same loaders as queries, after those loaders forgot what the write changed.
import type { MutationResolvers } from '../resolver-types.ts';
import { inOrg } from '../../graphql/in-org.ts';
import { checkShopWrite, writeScope } from '../../graphql/resolvers/write-checks.ts';
import type { RestPrescription } from '../../upstream/rest-types.ts';
import type { KeptPrescription } from '../../writes/minimal-outcomes.ts';
import { keepPrescription, replayPrescription } from '../../writes/minimal-outcomes.ts';
import { prescriptionIngestBody, prescriptionInputPath } from '../../writes/prescription-body.ts';
import { runWrite } from '../../writes/run-write.ts';
import { validatePrescriptionInput } from '../../writes/validate-input.ts';

export const Mutation: MutationResolvers = {
  ingestPrescription: async (_, { input }, ctx) => {
    const valid = await checkShopWrite(ctx, input, () => validatePrescriptionInput(input, new Date().toISOString().slice(0, 10)));
    if (!valid.ok) return { prescription: null, userErrors: valid.userErrors };

    const outcome = await runWrite<RestPrescription>({
      ...writeScope(ctx, input.orgId, 'ingestPrescription', input),
      inputPath: prescriptionInputPath,
      write: (upstreamKey) =>
        ctx.pharmaone.ingestPrescription({ orgId: input.orgId, body: prescriptionIngestBody(valid.value), idempotencyKey: upstreamKey }),
      keep: keepPrescription,
      replay: async (kept) => replayPrescription(kept as KeptPrescription, valid.value),
    });
    if (!outcome.ok) return { prescription: null, userErrors: outcome.userErrors };
    ctx.loaders.forgetWrite(input.orgId, { shopId: outcome.result.shop_id });
    return { prescription: inOrg(input.orgId, outcome.result), userErrors: [] };
  },
};
