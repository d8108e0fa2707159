// The playground page's script: GraphiQL 5 with the explorer, the example operations, the
// results view (table, chart, CSV) under the response and the live order board under it all,
// talking to the gateway it is served by. The gateway renders the page and passes its settings
// in a JSON data block (src/http/graphiql/page.ts); nothing here loads from another origin.
import './setup-workers.ts';
import { createRoot } from 'react-dom/client';
import { GraphiQL, HISTORY_PLUGIN } from 'graphiql';
import { explorerPlugin } from '@graphiql/plugin-explorer';
import 'graphiql/style.css';
import '@graphiql/plugin-explorer/style.css';
import './app.css';
import { EXAMPLES } from './examples.ts';
import { examplesPlugin } from './examples-plugin.tsx';
import { createFetcher } from './fetcher.ts';
import { BoardDock } from './board/board-dock.tsx';
import { orderBoard } from './board/order-board.ts';
import { ResultsView } from './results/results-view.tsx';

/** What the gateway writes into `<script type="application/json" id="graphiql-config">`. */
interface PlaygroundConfig {
  /** The GraphQL endpoint, e.g. `/graphql`. */
  endpoint: string;
  /** The headers editor's initial content: the sandbox demo key in sandbox mode, else empty. */
  headers: string;
}

const config = JSON.parse(document.getElementById('graphiql-config')?.textContent ?? '{}') as PlaygroundConfig;
const explorer = explorerPlugin();

const root = document.getElementById('graphiql');
if (!root) throw new Error('the page has no #graphiql element');

createRoot(root).render(
  <div className="pharmaone-page">
    <div className="pharmaone-graphiql">
      <GraphiQL
        fetcher={createFetcher(config.endpoint, orderBoard)}
        plugins={[examplesPlugin, explorer, HISTORY_PLUGIN]}
        visiblePlugin={explorer}
        defaultTabs={EXAMPLES.map((example) => ({ query: example.source, variables: example.variables, headers: config.headers }))}
        defaultHeaders={config.headers}
        defaultEditorToolsVisibility={config.headers ? 'headers' : true}
      >
        <GraphiQL.Footer>
          <ResultsView />
        </GraphiQL.Footer>
      </GraphiQL>
    </div>
    <BoardDock board={orderBoard} />
  </div>,
);
