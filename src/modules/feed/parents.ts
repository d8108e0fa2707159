// Resolver parents of the live-feed module (codegen `mappers`, see codegen.ts).
import type { FeedDelivery } from '../../feed/fan-out/subscriber.ts';

/** One event of the live order feed (src/feed/): the stored event, its cursor, and its org. */
export type OrderEventParent = Extract<FeedDelivery, { kind: 'event' }>;
