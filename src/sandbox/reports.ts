// §13 and §14, computed from the store on every call, never typed in.
// Semantics read off the seed's §13 numbers: prescriptions.total = pending + approved + declined,
// where `approved` counts approved-or-completed and `completed` is the subset already completed
// (961 = 174 + 770 + 17; 730 of the 770). Order counts include every order; revenue (per shop,
// per month, per product) leaves cancelled orders out. unique_customers counts distinct e-mails.
import { centsToEuros } from './money.ts';
import type { Order, OrgData } from './model.ts';

export function dashboard(org: OrgData) {
  const count = (status: string) => org.prescriptions.filter((prescription) => prescription.status === status).length;
  const completed = count('completed');
  return {
    prescriptions: {
      total: org.prescriptions.length,
      pending: count('pending'),
      approved: count('approved') + completed,
      completed,
      declined: count('declined'),
    },
    shop_performance: org.shops.map((shop) => {
      const orders = org.orders.filter((order) => order.shopId === shop.id);
      return {
        shop_id: shop.id,
        name: shop.name,
        order_count: orders.length,
        total_revenue: centsToEuros(revenueCents(orders)),
        unique_customers: new Set(orders.map((order) => (order.customerEmail || order.customerName).toLowerCase())).size,
      };
    }),
    monthly_trends: monthlyTrends(org.orders),
  };
}

function revenueCents(orders: readonly Order[]): number {
  return orders.reduce((sum, order) => (order.status === 'cancelled' ? sum : sum + order.totalCents), 0);
}

/** Newest month first, like the seed's single example row ("2026-06"). */
function monthlyTrends(orders: readonly Order[]) {
  const months = new Map<string, Order[]>();
  for (const order of orders) {
    const month = order.createdAt.slice(0, 7);
    const inMonth = months.get(month);
    if (inMonth) inMonth.push(order);
    else months.set(month, [order]);
  }
  return [...months]
    .sort(([a], [b]) => (a < b ? 1 : a > b ? -1 : 0))
    .map(([month, inMonth]) => ({ month, order_count: inMonth.length, revenue: centsToEuros(revenueCents(inMonth)) }));
}

export function productPerformance(org: OrgData, limit: number) {
  const byProduct = new Map<string, { p1Id: string; name: string; units: number; orders: Set<string>; cents: number }>();
  for (const order of org.orders) {
    if (order.status === 'cancelled') continue;
    for (const item of order.items) {
      if (item.p1Id === '') continue;
      const row = byProduct.get(item.p1Id) ?? { p1Id: item.p1Id, name: item.name, units: 0, orders: new Set(), cents: 0 };
      row.units += item.quantity;
      row.orders.add(order.id);
      row.cents += item.quantity * item.priceCents;
      byProduct.set(item.p1Id, row);
    }
  }
  const rows = [...byProduct.values()].sort((a, b) => b.cents - a.cents || (a.p1Id < b.p1Id ? -1 : 1));
  return rows.slice(0, limit).map((row) => ({
    p1_id: row.p1Id,
    name: row.name,
    units_sold: row.units,
    order_count: row.orders.size,
    revenue: centsToEuros(row.cents),
  }));
}
