// The live order board, docked under GraphiQL across the page's width (seven status columns
// need it) and apart from the tabs, so it stays while any tab is open or running. Shown once an
// OrderBoard subscription starts; hidden again by Close.
import { useSyncExternalStore } from 'react';
import { boardColumns } from './board-state.ts';
import type { BoardCard, BoardEvent, BoardState } from './board-state.ts';
import type { OrderBoard } from './order-board.ts';

const money = (total: BoardCard['total']): string => {
  if (!total) return '';
  try {
    return new Intl.NumberFormat(undefined, { style: 'currency', currency: total.currency }).format(total.amount as `${number}`);
  } catch {
    return `${total.amount} ${total.currency}`;
  }
};

const time = (at: string | null): string =>
  at ? new Date(at).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }) : '';

function phaseText(state: BoardState): string {
  if (state.phase === 'live') return state.seq === 0 ? 'Live: waiting for the first event…' : 'Live';
  if (state.phase === 'failed') return `Failed: ${state.message ?? 'the subscription ended with an error'}`;
  return state.message ? `Stopped: ${state.message}` : 'Stopped';
}

function Card({ card, newest }: { card: BoardCard; newest: boolean }) {
  return (
    <li className={newest ? 'pharmaone-card pharmaone-card-newest' : 'pharmaone-card'} data-order-id={card.id}>
      <div className="pharmaone-card-id">{card.id}</div>
      {card.customer ? <div>{card.customer}</div> : null}
      <div className="pharmaone-card-meta">
        <span>{money(card.total)}</span>
        {card.shop ? <span>{card.shop}</span> : null}
      </div>
    </li>
  );
}

function EventLine({ event }: { event: BoardEvent }) {
  const change = event.type === 'STATUS_CHANGED' ? `${event.previousStatus ?? '?'} → ${event.status}` : event.status;
  return (
    <li>
      <time dateTime={event.at ?? undefined}>{time(event.at)}</time> <strong>{event.type}</strong> {event.orderId} {change}
    </li>
  );
}

export function BoardDock({ board }: { board: OrderBoard }) {
  const state = useSyncExternalStore(board.subscribe, board.getState);
  if (state.phase === 'idle') return null;
  return (
    // graphiql-container: GraphiQL's theme (colours, fonts, dark mode) is defined on that class.
    <section className="graphiql-container pharmaone-board" aria-label="Order board">
      <header className="pharmaone-board-header">
        <h2>Order board</h2>
        <span role="status" className={`pharmaone-board-phase pharmaone-board-${state.phase}`}>
          {phaseText(state)}
        </span>
        {state.phase === 'live' ? (
          <button type="button" onClick={board.stop}>
            Stop
          </button>
        ) : null}
        <button type="button" onClick={board.close}>
          Close
        </button>
      </header>
      <div className="pharmaone-board-body">
        <div className="pharmaone-board-columns">
          {boardColumns(state).map(({ status, cards }) => (
            <section key={status} className="pharmaone-board-column" aria-label={status}>
              <h3>
                {status} <span className="pharmaone-board-count">{cards.length}</span>
              </h3>
              <ul aria-label={`${status} orders`}>
                {cards.map((card) => (
                  <Card key={card.id} card={card} newest={card.touched === state.seq} />
                ))}
              </ul>
            </section>
          ))}
        </div>
        <section className="pharmaone-board-events" aria-label="Last events">
          <h3>Last events</h3>
          {state.events.length === 0 ? <p>None yet.</p> : null}
          <ol>
            {state.events.map((event) => (
              <EventLine key={event.seq} event={event} />
            ))}
          </ol>
        </section>
      </div>
    </section>
  );
}
