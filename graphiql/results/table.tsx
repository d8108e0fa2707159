// A dataset as an HTML table: one column per dotted path, sortable by any column through the
// header buttons (aria-sort says how). Cells show the values as the graph returned them, so the
// table and the CSV agree; numbers are right-aligned.
import type { Column, Dataset, Row, SortDirection } from './datasets.ts';

export interface SortState {
  key: string;
  direction: SortDirection;
}

/** Rendering thousands of rows freezes the page; the CSV carries all of them. */
const SHOWN_ROWS = 1_000;

export function Table(props: { dataset: Dataset; rows: readonly Row[]; sort: SortState | null; onSort(sort: SortState): void }) {
  const { dataset, rows, sort } = props;
  const toggle = (column: Column) =>
    props.onSort({
      key: column.key,
      direction: sort?.key === column.key && sort.direction === 'ascending' ? 'descending' : 'ascending',
    });
  return (
    <div className="pharmaone-table-scroll">
      <table className="pharmaone-table" aria-label={`Rows of ${dataset.path}`}>
        <thead>
          <tr>
            {dataset.columns.map((column) => (
              <th
                key={column.key}
                scope="col"
                aria-sort={sort?.key === column.key ? sort.direction : 'none'}
                className={column.kind === 'number' ? 'pharmaone-number' : undefined}
                title={typeof column.currency === 'string' ? `${column.key}, in ${column.currency}` : column.key}
              >
                <button type="button" className="graphiql-un-styled" onClick={() => toggle(column)}>
                  {column.key}
                </button>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.slice(0, SHOWN_ROWS).map((row, index) => (
            // Rows have no identity of their own; the position in the current order is it.
            // biome-ignore lint/suspicious/noArrayIndexKey: see above
            <tr key={index}>
              {dataset.columns.map((column) => (
                <td key={column.key} className={column.kind === 'number' ? 'pharmaone-number' : undefined}>
                  {row[column.key] === null || row[column.key] === undefined ? '' : String(row[column.key])}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {rows.length > SHOWN_ROWS ? (
        <p className="pharmaone-results-note">
          Showing the first {SHOWN_ROWS.toLocaleString()} of {rows.length.toLocaleString()} rows; Download CSV has them all.
        </p>
      ) : null}
    </div>
  );
}
