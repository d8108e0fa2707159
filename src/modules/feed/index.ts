// The live-feed module's resolver map (the subscription and its event type), merged with the other
// modules' by src/schema/resolvers.ts. The feed itself (pollers, bus, fan-out) is src/feed/, its transports src/http/subscriptions/.
import type { Resolvers } from '../resolver-types.ts';
import { OrderEvent } from './OrderEvent.ts';
import { Subscription } from './Subscription.ts';

export const feedResolvers: Resolvers = { Subscription, OrderEvent };
