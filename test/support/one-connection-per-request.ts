// Vitest setup (vitest.config.ts `setupFiles`): the tests' HTTP clients (undici's request and the
// global fetch) open a connection per request instead of reusing kept-alive ones. Reusing one is
// a race HTTP/1.1 leaves open: the server may close an idle connection (HTTP_KEEP_ALIVE_TIMEOUT_MS)
// just as the client sends on it, and a POST then fails with ECONNRESET. On a busy machine the
// client's own idle timer runs late enough to lose that race now and then, which made unrelated
// tests fail. Tests of keep-alive itself use raw sockets (test/hardening/edge-slow-clients.test.ts).
import { Agent, setGlobalDispatcher } from 'undici';

// pipelining 0: no keep-alive, one request per connection.
setGlobalDispatcher(new Agent({ pipelining: 0 }));
