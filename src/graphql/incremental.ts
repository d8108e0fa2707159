// Incremental delivery (@defer, @stream) inside the one operation pipeline. Apollo Server 5 sends
// parts only with graphql 17.0.0-alpha.9's executor, and its executor hook (the `gateway` option
// this gateway runs through, ./jit-executor.ts) always answers one result; graphql-jit,
// @apollo/subgraph, graphql-armor and codegen are on graphql 16 (docs/incremental-delivery.md).
// So a transport that can send parts hands the operation an IncrementalChannel in its context;
// the one executor runs a document using @defer/@stream on @graphql-tools/executor (graphql-js's
// own incremental algorithm, on graphql 16), hands Apollo (or the fast path) the first part as
// the operation's result, and leaves the rest in the channel for the transport to write. Every
// rule before execution (parsing, validation, admission, persisted documents, the response cache's
// lookup, the log facts) has run on the one request by then, and every part reads PharmaOne
// through the same context: one request scope, one set of loaders, one call budget and deadline.
import { execute as executeWithParts } from '@graphql-tools/executor';
import type { SubsequentIncrementalExecutionResult } from '@graphql-tools/executor';
import { BREAK, visit } from 'graphql';
import type { DocumentNode, ExecutionArgs, ExecutionResult, GraphQLFormattedError, GraphQLSchema } from 'graphql';
import type { ErrorPolicy } from './error-policy.ts';
import { ErrorCode, clientError } from './errors.ts';

/**
 * The two wire formats, as @graphql-tools/executor names them: `v0.1` is
 * `multipart/mixed; deferSpec=20220824` (graphql-js 17.0.0-alpha.2: `incremental` items carry
 * `data`/`items` and `path`), `v0.2` is `multipart/mixed; incrementalSpec=v0.2` (graphql-js
 * 17.0.0-alpha.9: `pending`, `incremental` by `id`, `completed`).
 */
export type IncrementalSpec = 'v0.1' | 'v0.2';

/** The parts after the first, as they come from the executor. */
export type LaterParts = AsyncGenerator<SubsequentIncrementalExecutionResult, void, void>;

/** What the first part carries beyond a plain result. */
export interface FirstPartHead {
  hasNext: true;
  /** v0.2: the deferred fragments and streams announced, by id, path and label. */
  pending?: ReadonlyArray<{ id: string; path: ReadonlyArray<string | number>; label?: string }>;
}

/**
 * Handed to an operation by a transport that can send parts; the executor fills `started` when
 * the operation did defer something. A channel object of its own, so that every shallow copy
 * Apollo makes of the context reaches the one the transport holds.
 */
export class IncrementalChannel {
  readonly spec: IncrementalSpec;
  started: { head: FirstPartHead; later: LaterParts } | undefined = undefined;

  constructor(spec: IncrementalSpec) {
    this.spec = spec;
  }

  /** The later parts, once: the transport that writes them owns them from then on. */
  take(): { head: FirstPartHead; later: LaterParts } | undefined {
    const started = this.started;
    this.started = undefined;
    return started;
  }
}

/** The channel of an operation's context, if its transport gave it one. */
export function incrementalChannelOf(context: unknown): IncrementalChannel | undefined {
  const channel = (context as { incremental?: unknown } | null | undefined)?.incremental;
  return channel instanceof IncrementalChannel ? channel : undefined;
}

const usesDirectives = new WeakMap<DocumentNode, boolean>();

/** Whether the document names @defer or @stream anywhere (which operation, and `if`, the executor decides). */
export function namesIncrementalDirective(document: DocumentNode): boolean {
  let uses = usesDirectives.get(document);
  if (uses === undefined) {
    let found = false;
    visit(document, {
      Directive(node) {
        if (node.name.value !== 'defer' && node.name.value !== 'stream') return undefined;
        found = true;
        return BREAK;
      },
    });
    uses = found;
    usesDirectives.set(document, uses);
  }
  return uses;
}

/**
 * Runs an operation whose document names @defer/@stream for a transport that can send parts. An
 * operation that defers nothing (`if: false`, another operation of the document) answers as usual.
 */
export async function executeIncrementally(
  schema: GraphQLSchema,
  run: { document: DocumentNode; operationName: string | null; variables: Record<string, unknown>; context: unknown },
  channel: IncrementalChannel,
): Promise<ExecutionResult> {
  const result = await executeWithParts({
    schema,
    document: run.document,
    operationName: run.operationName,
    variableValues: run.variables,
    contextValue: run.context,
    // No abort signal here: one that fires mid-execution makes the executor throw (an internal
    // error for Apollo). A client gone stops the work through the scope's deadline signal (every
    // PharmaOne call fails fast) and the transport closing the later parts.
    incrementalSpec: channel.spec,
  });
  if (!('initialResult' in result)) return result as ExecutionResult;
  const { data, errors, extensions, hasNext, pending } = result.initialResult;
  if (hasNext) channel.started = { head: { hasNext: true, ...(pending ? { pending } : {}) }, later: result.subsequentResults };
  else await result.subsequentResults.return();
  return { ...(errors ? { errors } : {}), data, ...(extensions ? { extensions } : {}) };
}

/** A later part as sent: its errors (a deferred fragment's carry their `path`) through the one error policy. */
export interface FormattedLaterPart {
  hasNext: boolean;
  pending?: unknown;
  incremental?: Array<Record<string, unknown> & { errors?: GraphQLFormattedError[] }>;
  completed?: Array<{ id: string; errors?: GraphQLFormattedError[] }>;
  extensions?: unknown;
}

export function formatLaterPart(part: SubsequentIncrementalExecutionResult, errors: ErrorPolicy): FormattedLaterPart {
  const formatted: FormattedLaterPart = { hasNext: part.hasNext };
  if (part.pending) formatted.pending = part.pending;
  if (part.incremental) {
    formatted.incremental = part.incremental.map((item) =>
      item.errors ? { ...item, errors: errors.format(item.errors).errors } : { ...item },
    ) as FormattedLaterPart['incremental'];
  }
  if (part.completed) {
    formatted.completed = part.completed.map(({ id, errors: failed }) => (failed ? { id, errors: errors.format(failed).errors } : { id }));
  }
  if (part.extensions) formatted.extensions = part.extensions;
  return formatted;
}

/** An event's results when its execution deferred something: the first, then each later part, formatted. */
export interface EventParts {
  parts: AsyncGenerator<ExecutionResult | FormattedLaterPart, void, void>;
}

/**
 * One subscription event run for graphql-ws or graphql-sse, which have no Accept to negotiate: a
 * document naming @defer/@stream runs on @graphql-tools/executor and its parts become successive
 * `next` messages, in its default format (`deferSpec=20220824`: `incremental` items with `path`,
 * what GraphQL Yoga and Hive Gateway send over sockets and Apollo Client's Defer20220824Handler
 * reads). Each part's errors go through the one error policy; closing the generator stops the
 * event's remaining work.
 */
export async function executeEvent(
  args: ExecutionArgs,
  options: { errors: ErrorPolicy; maxParts: number },
  plain: (args: ExecutionArgs) => Promise<ExecutionResult> | ExecutionResult,
): Promise<ExecutionResult | EventParts> {
  if (!namesIncrementalDirective(args.document)) return plain(args);
  const result = await executeWithParts({ ...args, incrementalSpec: 'v0.1' });
  if (!('initialResult' in result)) return result as ExecutionResult;
  const { data, errors: initialErrors, hasNext } = result.initialResult;
  const later = result.subsequentResults;
  async function* parts(): AsyncGenerator<ExecutionResult | FormattedLaterPart, void, void> {
    try {
      yield { ...(initialErrors ? { errors: initialErrors } : {}), data, hasNext } as ExecutionResult;
      // The same cap as over HTTP (GRAPHQL_INCREMENTAL_MAX_PARTS): the last message says the rest was not sent.
      let sent = 1;
      for await (const part of later) {
        const formatted = formatLaterPart(part, options.errors);
        sent++;
        if (!formatted.hasNext || sent < options.maxParts) {
          yield formatted;
          continue;
        }
        // A top-level error of a socket message is formatted by its transport, as the first part's are.
        yield { ...formatted, hasNext: false, errors: [partLimitError(options.maxParts)] } as ExecutionResult;
        return;
      }
    } finally {
      await later.return();
    }
  }
  return { parts: parts() };
}

/** The last part of an answer stopped at the limit: `hasNext: false`, and an error for what never came. */
export function cutAtPartLimit(
  part: FormattedLaterPart,
  open: ReadonlySet<string>,
  options: { spec: IncrementalSpec; errors: ErrorPolicy; maxParts: number },
): FormattedLaterPart {
  const [formatted] = options.errors.format([partLimitError(options.maxParts)]).errors;
  const errors = formatted ? [formatted] : [];
  // v0.1 has no `completed`: the error is the part's own. v0.2 completes every open fragment and stream with it.
  if (options.spec === 'v0.1') return { ...part, hasNext: false, errors } as FormattedLaterPart;
  const completed = [...(part.completed ?? []), ...[...open].map((id) => ({ id, errors }))];
  return { ...part, hasNext: false, completed };
}

function partLimitError(maxParts: number) {
  return clientError(
    ErrorCode.QUERY_TOO_EXPENSIVE,
    `The answer reached its limit of ${maxParts} parts (GRAPHQL_INCREMENTAL_MAX_PARTS); the rest was not sent.`,
  );
}
