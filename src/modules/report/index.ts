// The report module's resolver map: one file per GraphQL type, merged with the other modules' by
// src/schema/resolvers.ts.
import type { Resolvers } from '../resolver-types.ts';
import { DashboardStats } from './DashboardStats.ts';
import { MonthlyTrend } from './MonthlyTrend.ts';
import { PrescriptionStats } from './PrescriptionStats.ts';
import { ProductPerformance } from './ProductPerformance.ts';
import { Reports } from './Reports.ts';
import { ShopPerformance } from './ShopPerformance.ts';

export const reportResolvers: Resolvers = { Reports, DashboardStats, PrescriptionStats, ShopPerformance, MonthlyTrend, ProductPerformance };
