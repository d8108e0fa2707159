// The analysts' ready-made operations: the .graphql files in examples/operations/, the same ones
// the typed example client uses and the tests validate against the schema.
import dashboardStats from '../examples/operations/DashboardStats.graphql';
import monthlyTrends from '../examples/operations/MonthlyTrends.graphql';
import productPerformance from '../examples/operations/ProductPerformance.graphql';
import shopPerformance from '../examples/operations/ShopPerformance.graphql';
import nestedOrders from '../examples/operations/NestedOrders.graphql';
import orderBoard from '../examples/operations/OrderBoard.graphql';

export interface ExampleOperation {
  /** The operation name, e.g. `DashboardStats`: GraphiQL names the tab after it. */
  name: string;
  /** The file's leading comment, shown in the Examples panel. */
  description: string;
  source: string;
}

function example(source: string): ExampleOperation {
  const name = /\b(?:query|mutation|subscription)\s+(\w+)/.exec(source)?.[1] ?? 'Example';
  const description = source
    .split('\n')
    .filter((line) => line.startsWith('#'))
    .map((line) => line.replace(/^#\s?/, ''))
    .join(' ');
  return { name, description, source };
}

/** In tab order: the dashboard first, so a newcomer's first click shows headline numbers; the live board last. */
export const EXAMPLES: ExampleOperation[] = [
  dashboardStats,
  monthlyTrends,
  productPerformance,
  shopPerformance,
  nestedOrders,
  orderBoard,
].map(example);
