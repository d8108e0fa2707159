// Subscriptions: the live order feed (src/feed/). `subscribe` checks the caller and opens the
// feed; `resolve` runs once per delivery. Each event already runs on a context of its own, built
// complete by the feed's transports over the event's request scope (fresh loaders, as a request
// has: src/http/subscriptions/subscription-operation.ts), so nothing here touches the context.
import { GraphQLError } from 'graphql';
import type { SubscriptionResolvers } from '../resolver-types.ts';
import type { FeedDelivery } from '../../feed/fan-out/subscriber.ts';
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
    resolve: (delivery: FeedDelivery) => {
      if (delivery.kind === 'notice') {
        // The subscription stays open: this result only reports that polling failed for now.
        const { code, message, retryInMs } = delivery.notice;
        throw new GraphQLError(message, { extensions: { code, retryInMs } });
      }
      if (delivery.kind === 'end') throw new GraphQLError(delivery.message, { extensions: { code: delivery.code } });
      return delivery;
    },
  },
};
