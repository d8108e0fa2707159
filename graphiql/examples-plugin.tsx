// The "Examples" sidebar panel: the ready-made operations as a list. Clicking one opens it in a
// new tab, so the examples stay one click away even after the first visit's tabs are closed
// (GraphiQL restores a returning visitor's own tabs from localStorage instead of the defaults).
import { useEffect, useState } from 'react';
import type { GraphiQLPlugin } from '@graphiql/react';
import { useGraphiQL, useGraphiQLActions } from '@graphiql/react';
import { EXAMPLES } from './examples.ts';
import type { ExampleOperation } from './examples.ts';

function ExamplesIcon() {
  return (
    <svg viewBox="0 0 24 24" width="1em" height="1em" fill="none" stroke="currentColor" strokeWidth="1.5" aria-hidden="true">
      <path d="M4 5h16M4 12h16M4 19h10" strokeLinecap="round" />
    </svg>
  );
}

function ExamplesPanel() {
  const { addTab } = useGraphiQLActions();
  const queryEditor = useGraphiQL((state) => state.queryEditor);
  const variableEditor = useGraphiQL((state) => state.variableEditor);
  const [pending, setPending] = useState<ExampleOperation | null>(null);

  // addTab() opens an empty tab and points the editors at it; the source goes in once it has.
  useEffect(() => {
    if (!pending || !queryEditor) return;
    queryEditor.setValue(pending.source);
    variableEditor?.setValue(pending.variables ?? '');
    setPending(null);
  }, [pending, queryEditor, variableEditor]);

  return (
    <section className="pharmaone-examples" aria-label="Example operations">
      <div className="graphiql-doc-explorer-title">Examples</div>
      <p>Ready-made queries over the PharmaOne sandbox. Each opens in a new tab; press ▶ to run it.</p>
      <ul>
        {EXAMPLES.map((example) => (
          <li key={example.name} title={example.details}>
            <button
              type="button"
              className="graphiql-un-styled"
              onClick={() => {
                addTab();
                setPending(example);
              }}
            >
              {example.name}
            </button>
            <span>{example.description}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

export const examplesPlugin: GraphiQLPlugin = { title: 'Examples', icon: ExamplesIcon, content: ExamplesPanel };
