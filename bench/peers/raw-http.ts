// Peer "raw node:http": the floor for `{ __typename }` — read the body, write the constant answer.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

// Apollo ends its JSON with a newline; the same bytes here.
const ANSWER = `${JSON.stringify({ data: { __typename: 'Query' } })}\n`;

const server = createServer(async (req, res) => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  JSON.parse(Buffer.concat(chunks).toString('utf8'));
  res.setHeader('content-type', 'application/graphql-response+json; charset=utf-8');
  res.end(ANSWER);
});
server.listen(0, '127.0.0.1', () => {
  console.log(`raw http listening on http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
