// The results view under the JSON response: the active tab's result as a Table or a Chart, and
// Download CSV. It reads the response GraphiQL shows (the tab's response text), and the schema
// GraphiQL introspected to know a Decimal from a string and money from a count.
import { useMemo, useState } from 'react';
import { useGraphiQL } from '@graphiql/react';
import { Chart } from './chart.tsx';
import { chartSpec } from './chart-model.ts';
import { csvFileName, toCsv } from './csv.ts';
import { findDatasets, sortRows } from './datasets.ts';
import type { Dataset } from './datasets.ts';
import { fieldFacts } from './field-types.ts';
import { Table } from './table.tsx';
import type { SortState } from './table.tsx';

type View = 'table' | 'chart' | null;

function datasetsOf(response: string | null | undefined, facts: ReturnType<typeof fieldFacts>): Dataset[] {
  if (!response) return [];
  try {
    return findDatasets((JSON.parse(response) as { data?: unknown }).data, facts);
  } catch {
    return [];
  }
}

function download(fileName: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  // The click has handed the blob to the download by the next task.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

export function ResultsView() {
  const tab = useGraphiQL((state) => state.tabs[state.activeTabIndex]);
  const schema = useGraphiQL((state) => state.schema);
  const [view, setView] = useState<View>(null);
  const [chosen, setChosen] = useState('');
  const [sort, setSort] = useState<SortState | null>(null);
  const [valueKey, setValueKey] = useState('');

  const datasets = useMemo(
    () => datasetsOf(tab?.response, fieldFacts(schema, tab?.query ?? '', tab?.operationName)),
    [tab?.response, tab?.query, tab?.operationName, schema],
  );
  const dataset = datasets.find((candidate) => candidate.path === chosen) ?? datasets[0];
  const column = dataset?.columns.find((candidate) => candidate.key === sort?.key);
  const rows = dataset ? (column && sort ? sortRows(dataset.rows, column, sort.direction) : dataset.rows) : [];
  const spec = dataset ? chartSpec(dataset) : null;
  const value = spec?.values.find((candidate) => candidate.key === valueKey) ?? spec?.values[0];
  const toggle = (next: View) => setView(view === next ? null : next);

  return (
    <section className="pharmaone-results" aria-label="Results view">
      <div className="pharmaone-results-bar">
        <button type="button" aria-pressed={view === 'table'} disabled={!dataset} onClick={() => toggle('table')}>
          Table
        </button>
        <button type="button" aria-pressed={view === 'chart'} disabled={!spec} onClick={() => toggle('chart')}>
          Chart
        </button>
        <button
          type="button"
          disabled={!dataset}
          onClick={() => dataset && download(csvFileName(tab?.operationName, dataset.path), toCsv({ columns: dataset.columns, rows }))}
        >
          Download CSV
        </button>
        {datasets.length > 1 ? (
          <select aria-label="List" value={dataset?.path} onChange={(event) => setChosen(event.target.value)}>
            {datasets.map((candidate) => (
              <option key={candidate.path} value={candidate.path}>
                {candidate.path}
              </option>
            ))}
          </select>
        ) : null}
        {dataset ? (
          <output className="pharmaone-results-count" aria-label="Row count">
            {rows.length.toLocaleString()} {rows.length === 1 ? 'row' : 'rows'}
            {datasets.length === 1 ? ` in ${dataset.path}` : ''}
          </output>
        ) : (
          <span className="pharmaone-results-note">
            {tab?.response ? 'No list of objects in this result.' : 'Run an operation to tabulate its lists.'}
          </span>
        )}
      </div>
      {view === 'table' && dataset ? <Table dataset={dataset} rows={rows} sort={sort} onSort={setSort} /> : null}
      {view === 'chart' && spec && value ? (
        <div className="pharmaone-chart-view">
          {spec.values.length > 1 ? (
            <label>
              Plot{' '}
              <select value={value.key} onChange={(event) => setValueKey(event.target.value)}>
                {spec.values.map((candidate) => (
                  <option key={candidate.key} value={candidate.key}>
                    {candidate.key}
                  </option>
                ))}
              </select>
            </label>
          ) : null}
          <Chart spec={spec} value={value} rows={rows} />
        </div>
      ) : null}
    </section>
  );
}
