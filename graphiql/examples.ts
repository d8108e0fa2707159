// The analysts' ready-made operations: the .graphql files in examples/operations/, the same ones
// the typed example client uses and the tests validate against the schema. Each file starts with
// a comment whose first line is the one-line description the Examples panel shows.
import { Kind, parse } from 'graphql';
import dashboardStats from '../examples/operations/DashboardStats.graphql';
import monthlyTrends from '../examples/operations/MonthlyTrends.graphql';
import productPerformance from '../examples/operations/ProductPerformance.graphql';
import shopPerformance from '../examples/operations/ShopPerformance.graphql';
import nestedOrders from '../examples/operations/NestedOrders.graphql';
import orderBoard from '../examples/operations/OrderBoard.graphql';
import changeOrderStatus from '../examples/operations/ChangeOrderStatus.graphql';
import changeOrderStatusVariables from '../examples/operations/ChangeOrderStatus.variables.json';

export interface ExampleOperation {
  /** The operation's own name, e.g. `DashboardStats`: GraphiQL names the tab after it too. */
  name: string;
  /** The first line of the file's leading comment, shown in the Examples panel. */
  description: string;
  /** The rest of that comment (the calls it makes, the scope it needs), shown on hover. */
  details: string;
  source: string;
  /** The variables editor's content, for operations without defaults for every variable. */
  variables?: string;
}

function example(source: string, variables?: unknown): ExampleOperation {
  // The name comes from the parsed operation, never from comment text (which may say "subscription over …").
  const operation = parse(source).definitions.find((definition) => definition.kind === Kind.OPERATION_DEFINITION);
  const name = operation?.name?.value;
  if (!name) throw new Error('every example is one named operation');
  const comment = source.split('\n');
  const end = comment.findIndex((line) => !line.startsWith('#'));
  const lines = comment.slice(0, end === -1 ? comment.length : end).map((line) => line.replace(/^#\s?/, ''));
  return {
    name,
    description: lines[0] ?? '',
    details: lines.slice(1).join(' '),
    source,
    ...(variables === undefined ? {} : { variables: JSON.stringify(variables, null, 2) }),
  };
}

/** In tab order: the dashboard first, so a newcomer's first click shows headline numbers; the live board and its driver last. */
export const EXAMPLES: ExampleOperation[] = [
  example(dashboardStats),
  example(monthlyTrends),
  example(productPerformance),
  example(shopPerformance),
  example(nestedOrders),
  example(orderBoard),
  example(changeOrderStatus, changeOrderStatusVariables),
];
