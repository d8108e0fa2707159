// The resolver map: one file per GraphQL type. Most resolvers are one line over a REST object.
import type { Resolvers } from '../../generated/graphql-resolvers.ts';
import { DateScalar } from '../scalars/Date.ts';
import { DateTimeScalar } from '../scalars/DateTime.ts';
import { DecimalScalar } from '../scalars/Decimal.ts';
import { Address } from './Address.ts';
import { connectionResolvers } from './connection.ts';
import { DashboardStats } from './DashboardStats.ts';
import { InventoryItem } from './InventoryItem.ts';
import { Money } from './Money.ts';
import { Mutation } from './Mutation.ts';
import { MonthlyTrend } from './MonthlyTrend.ts';
import { Order } from './Order.ts';
import { OrderRequest, SubmitOrderRequestPayload } from './OrderRequest.ts';
import { OrderEvent } from './OrderEvent.ts';
import { OrderItem } from './OrderItem.ts';
import { Org } from './Org.ts';
import { Prescription } from './Prescription.ts';
import { PrescriptionItem } from './PrescriptionItem.ts';
import { PrescriptionStats } from './PrescriptionStats.ts';
import { Product } from './Product.ts';
import { ProductPerformance } from './ProductPerformance.ts';
import { Query } from './Query.ts';
import { Reports } from './Reports.ts';
import { Shop } from './Shop.ts';
import { ShopPerformance } from './ShopPerformance.ts';
import { Subscription } from './Subscription.ts';
import { ViewerOrg } from './Viewer.ts';

export const resolvers: Resolvers = {
  DateTime: DateTimeScalar,
  Date: DateScalar,
  Decimal: DecimalScalar,
  Query,
  Mutation,
  Subscription,
  OrderEvent,
  Org,
  Shop,
  Order,
  OrderItem,
  Address,
  Money,
  OrderRequest,
  SubmitOrderRequestPayload,
  Prescription,
  PrescriptionItem,
  InventoryItem,
  Product,
  Reports,
  DashboardStats,
  PrescriptionStats,
  ShopPerformance,
  MonthlyTrend,
  ProductPerformance,
  ViewerOrg,
  OrderConnection: connectionResolvers,
  PrescriptionConnection: connectionResolvers,
  InventoryConnection: connectionResolvers,
  ProductConnection: connectionResolvers,
};
