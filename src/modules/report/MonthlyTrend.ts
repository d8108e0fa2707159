import type { MonthlyTrendResolvers } from '../resolver-types.ts';
import { eurosToDecimal } from '../../domain/money.ts';

export const MonthlyTrend: MonthlyTrendResolvers = {
  month: (row) => row.month,
  orderCount: (row) => row.order_count,
  revenue: (row) => eurosToDecimal(row.revenue),
};
