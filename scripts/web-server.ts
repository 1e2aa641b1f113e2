/**
 * The web app's HTTP server (what `npm start`, the Dockerfile and compose run): Next's production
 * request handler behind a plain Node HTTP server that first replaces X-Forwarded-For and
 * X-Forwarded-Proto with what this server can vouch for (lib/http/forwarded-client.ts). `next start`
 * would pass a client's own headers through, and the app keys login throttling and audit records on
 * that address. FLOWLENS_TRUSTED_PROXIES (default 0) = reverse proxies in front of flowlens.
 */
import { createServer } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TLSSocket } from 'node:tls';
import next from 'next';
import { resolveForwardedClient } from '../lib/http/forwarded-client';

const port = Number(process.env.PORT ?? process.env.FLOWLENS_WEB_PORT ?? 3000);
/** Unset: every interface, IPv6 and IPv4 (Node's default), as `next start` does. */
const hostname = process.env.FLOWLENS_WEB_HOST || undefined;
const trustedProxies = Number(process.env.FLOWLENS_TRUSTED_PROXIES ?? 0);
if (!Number.isInteger(trustedProxies) || trustedProxies < 0 || trustedProxies > 10) {
  console.error(`FLOWLENS_TRUSTED_PROXIES must be a whole number 0-10 (reverse proxies in front of flowlens), got "${process.env.FLOWLENS_TRUSTED_PROXIES}"`);
  process.exit(2);
}

// The repository root: this file's folder's parent, whether it runs as scripts/web-server.ts or as the
// bundle the launcher builds next to Next's output (.next/flowlens-web-server.mjs).
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const app = next({ dev: false, dir: repoRoot, port, ...(hostname ? { hostname } : {}) });
const handle = app.getRequestHandler();
await app.prepare();

const server = createServer((request, response) => {
  const client = resolveForwardedClient({
    forwardedFor: request.headers['x-forwarded-for'],
    forwardedProto: request.headers['x-forwarded-proto'],
    peerAddress: request.socket.remoteAddress,
    peerEncrypted: (request.socket as TLSSocket).encrypted === true,
    trustedProxies,
  });
  request.headers['x-forwarded-for'] = client.address;
  request.headers['x-forwarded-proto'] = client.protocol;
  handle(request, response).catch((error: unknown) => {
    console.error(`web: request ${request.method} ${request.url} failed: ${error instanceof Error ? error.stack : String(error)}`);
    if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
    response.end('internal error');
  });
});
// Idle keep-alive connections stay open 65 s (Node's default is 5 s): clients and proxies that reuse
// a connection after a pause (load balancers commonly idle 60 s, API clients between calls) otherwise
// race the server closing it and see ECONNRESET. Headers must be allowed to arrive for longer still.
server.keepAliveTimeout = 65_000;
server.headersTimeout = 66_000;
const onListening = (): void => {
  console.log(`web: listening on http://${hostname ?? 'localhost'}:${port}${trustedProxies > 0 ? ` (trusting ${trustedProxies} proxy hop(s) for client addresses)` : ''}`);
};
if (hostname) server.listen(port, hostname, onListening);
else server.listen(port, onListening);
const stop = (): void => {
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 5000).unref();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
