// Subscriptions: the live order feed (src/feed/). `subscribe` checks the caller and opens the
// feed; `resolve` runs once per delivery and gives each event fresh loaders, as a request has.
import { GraphQLError } from 'graphql';
import type { SubscriptionResolvers } from '../../generated/graphql-resolvers.ts';
import type { FeedDelivery } from '../../feed/order-feed.ts';
import type { GatewayContext } from '../../graphql/context.ts';
import { ErrorCode } from '../../graphql/errors.ts';

export const Subscription: SubscriptionResolvers = {
  orderEvents: {
    subscribe: (_, args, ctx) => {
      const { feed, feedConnection } = ctx;
      if (!feed || !feedConnection) {
        throw new GraphQLError('Subscriptions run over WebSocket (/graphql) or Server-Sent Events (/graphql/stream).', {
          extensions: { code: ErrorCode.BAD_USER_INPUT },
        });
      }
      return feed.subscribe(ctx.caller, feedConnection, args);
    },
    resolve: (delivery: FeedDelivery, _args: unknown, ctx: GatewayContext) => {
      if (delivery.kind === 'notice') {
        // The subscription stays open: this result only reports that polling failed for now.
        const { code, message, retryInMs } = delivery.notice;
        throw new GraphQLError(message, { extensions: { code, retryInMs } });
      }
      if (delivery.kind === 'end') throw new GraphQLError(delivery.message, { extensions: { code: delivery.code } });
      Object.assign(ctx, delivery.requestScope());
      return delivery;
    },
  },
};
