// Run as its own process by bench/scenarios/log-lines.ts: logs the operation line LINES_PER_TURN
// times per turn of the event loop into its stdout (a pipe the parent drains), through the
// gateway's logger with its own stdout writer (`gateway`) or pino's default asynchronous
// destination (`pino-default`); prints the CPU of every thread per line on stderr, as JSON.
import { pino } from 'pino';
import { createLogger } from '../../src/logging/logger.ts';

const [destination = 'gateway', perTurnText = '8', linesText = '160000'] = process.argv.slice(2);
const perTurn = Number(perTurnText);
const turns = Math.ceil(Number(linesText) / perTurn);
const logger = createLogger(destination === 'pino-default' ? { destination: pino.destination({ dest: 1, sync: false }) } : {});
// As src/observability/operation-report.ts writes it.
const lines = logger.child({}, { redact: [] });
const line = {
  requestId: 'a3f0c2d4-1b2c-4d5e-8f90-1234567890ab',
  operationName: 'Orders',
  operationType: 'query',
  callerMode: 'pass-through',
  client: 'unknown',
  transport: 'http',
  httpMethod: 'POST',
  durationMs: 3,
  httpStatus: 200,
  errorCodes: [],
  upstreamCalls: 1,
  upstream: { 'GET /orgs/{org}/orders 200': 1 },
};

const started = process.cpuUsage();
for (let turn = 0; turn < turns; turn++) {
  for (let i = 0; i < perTurn; i++) lines.info(line, 'graphql operation');
  await new Promise((resolve) => setImmediate(resolve));
}
// The last writes leave (and, for pino's destination, its thread's work is done) before counting.
await new Promise((resolve) => setTimeout(resolve, 200));
const used = process.cpuUsage(started);
process.stderr.write(`${JSON.stringify({ destination, perTurn, cpuUsPerLine: (used.user + used.system) / (turns * perTurn) })}\n`);
