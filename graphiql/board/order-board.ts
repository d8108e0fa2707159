// The one live order board of the page. It owns its subscription, apart from GraphiQL's run/stop:
// GraphiQL keeps one execution for all tabs, and pressing ▶ anywhere while a subscription runs
// only stops it. So the fetcher hands an orderEvents subscription to the board and answers
// GraphiQL at once; other tabs then run as usual and the board keeps listening until its own
// Stop. Starting it again (▶ on the OrderBoard tab) replaces the running one.
import { applyResult, IDLE_BOARD, liveBoard } from './board-state.ts';
import type { BoardState } from './board-state.ts';

/** Where results come from: starts a subscription and returns its disposer. */
export type BoardSource = (sink: { next(result: unknown): void; error(error: unknown): void; complete(): void }) => () => void;

export interface OrderBoard {
  getState(): BoardState;
  subscribe(listener: () => void): () => void;
  start(source: BoardSource): void;
  stop(): void;
  /** Stops and hides the board. */
  close(): void;
}

export function createOrderBoard(): OrderBoard {
  let state = IDLE_BOARD;
  let dispose: (() => void) | null = null;
  let run = 0;
  const listeners = new Set<() => void>();
  const set = (next: BoardState): void => {
    state = next;
    for (const listener of listeners) listener();
  };
  const stop = (): void => {
    run += 1;
    const running = dispose;
    dispose = null;
    running?.();
  };

  return {
    getState: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    start(source) {
      stop();
      const mine = run;
      // Results of a replaced subscription that arrive late are dropped.
      const current = (): boolean => mine === run;
      set(liveBoard());
      dispose = source({
        next: (result) => current() && set(applyResult(state, result)),
        error: (error) => current() && set({ ...state, phase: 'failed', message: describe(error) }),
        complete: () =>
          current() && state.phase === 'live' && set({ ...state, phase: 'stopped', message: 'The server ended the subscription.' }),
      });
    },
    stop() {
      stop();
      if (state.phase === 'live') set({ ...state, phase: 'stopped', message: null });
    },
    close() {
      stop();
      set(IDLE_BOARD);
    },
  };
}

/** graphql-ws reports a refused subscription as a list of GraphQL errors, a closed socket as a CloseEvent. */
function describe(error: unknown): string {
  if (Array.isArray(error)) return error.map((item) => String((item as { message?: unknown }).message ?? item)).join('; ');
  if (error instanceof Error) return error.message;
  const close = error as { code?: unknown; reason?: unknown };
  if (typeof close?.code === 'number') return `The connection closed (${close.code}${close.reason ? `: ${String(close.reason)}` : ''}).`;
  return 'The subscription failed.';
}

export const orderBoard = createOrderBoard();
