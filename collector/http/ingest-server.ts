/**
 * The collector's HTTP API:
 *   POST /v1/flows?format=…&vpcFields=…  flow lines (NDJSON or text, gzip accepted), bearer token bound to a cluster
 *   POST /v1/inventory?takenAt=…         a `kubectl get … -o json` List or multi-document YAML
 *   GET  /healthz  process is up       GET /readyz  database reachable       GET /metrics  Prometheus
 * Status codes: 200 stored (only after commit) · 400 bad request · 401 bad token · 403 wrong cluster ·
 * 413 too large · 415 unknown format/encoding · 422 unusable inventory · 429 queue full · 503 database down.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { FLOW_FORMATS, type FlowFormat } from '../../core/flow/types';
import { DatabaseUnavailableError, isDatabaseUnavailable } from '../writer/database-errors';
import type { CollectorMetrics } from '../metrics';
import { QueueFullError, UnknownFormatError, type IngestService } from '../ingest/ingest-service';
import type { InventoryStore } from '../inventory/inventory-store';
import { InventoryInputError } from '../inventory/inventory-store';
import { BodyError, readBody } from './read-body';
import type { TokenAuth, TokenIdentity } from './token-auth';

export interface IngestServerOptions {
  ingest: IngestService;
  inventory: InventoryStore;
  auth: TokenAuth;
  metrics: CollectorMetrics;
  checkDatabase: () => Promise<void>;
  maxBodyBytes: number;
  maxInflatedBytes: number;
  retryAfterSec: number;
  log: (message: string) => void;
}

class HttpError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly headers: Record<string, string> = {}) {
    super(message);
  }
}

export function createIngestServer(options: IngestServerOptions): Server {
  const server = createServer((request, response) => {
    handle(request, response, options).catch((error: unknown) => {
      options.log(`collector: unexpected error on ${request.method} ${request.url}: ${error instanceof Error ? error.stack : String(error)}`);
      if (!response.headersSent) send(response, 500, { error: { code: 'internal', message: 'internal error; see the collector log' } });
      else response.destroy();
    });
  });
  server.keepAliveTimeout = 65_000;
  server.requestTimeout = 120_000;
  return server;
}

async function handle(request: IncomingMessage, response: ServerResponse, options: IngestServerOptions): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://collector');
  const route = `${request.method} ${url.pathname}`;
  let status: number | undefined;
  try {
    switch (route) {
      case 'GET /healthz':
        status = send(response, 200, { status: 'ok' });
        return;
      case 'GET /readyz':
        try {
          await options.checkDatabase();
          options.metrics.databaseUp.set(1);
          status = send(response, 200, { status: 'ready', database: 'reachable' });
        } catch (error) {
          options.metrics.databaseUp.set(0);
          status = send(response, 503, { status: 'not ready', database: `unreachable: ${errorMessage(error)}` }, {
            'Retry-After': String(options.retryAfterSec),
          });
        }
        return;
      case 'GET /metrics':
        response.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8' });
        response.end(options.metrics.render());
        status = 200;
        return;
      case 'POST /v1/flows':
        status = send(response, 200, await postFlows(request, url, options));
        return;
      case 'POST /v1/inventory':
        status = send(response, 200, await postInventory(request, url, options));
        return;
      default:
        if (['/healthz', '/readyz', '/metrics', '/v1/flows', '/v1/inventory'].includes(url.pathname)) {
          throw new HttpError(405, 'method-not-allowed', `${request.method} is not allowed on ${url.pathname}`);
        }
        throw new HttpError(404, 'not-found', `no route ${url.pathname}`);
    }
  } catch (error) {
    const httpError = toHttpError(error, options);
    if (httpError.status === 503) options.metrics.databaseUp.set(0);
    if (!request.complete) request.resume();
    status = send(response, httpError.status, { error: { code: httpError.code, message: httpError.message } }, httpError.headers);
  } finally {
    options.metrics.requests.inc({ route: url.pathname.startsWith('/v1/') ? url.pathname : 'other', status: String(status ?? 500) });
  }
}

async function postFlows(request: IncomingMessage, url: URL, options: IngestServerOptions): Promise<unknown> {
  const identity = await authenticate(request, options);
  const format = readFormat(url);
  const vpcFieldsParam = url.searchParams.get('vpcFields');
  const vpcFields = vpcFieldsParam ? vpcFieldsParam.split(/[\s,]+/).filter(Boolean) : undefined;
  const cluster = url.searchParams.get('cluster');
  if (cluster !== null && cluster !== identity.clusterName) {
    throw new HttpError(403, 'wrong-cluster', `this token writes to cluster "${identity.clusterName}", not "${cluster}"`);
  }
  const idempotencyKey = request.headers['idempotency-key'];
  if (typeof idempotencyKey === 'string' && (idempotencyKey.length === 0 || idempotencyKey.length > 200)) {
    throw new HttpError(400, 'bad-idempotency-key', 'Idempotency-Key must be 1-200 characters');
  }
  // Refuse before reading the body when the writer is saturated: cheaper for both sides.
  if (options.ingest.queueFull) throw new QueueFullError();
  const body = await readBody(request, { maxBodyBytes: options.maxBodyBytes, maxInflatedBytes: options.maxInflatedBytes });
  const result = await options.ingest.ingest({
    clusterDbId: identity.clusterDbId,
    clusterName: identity.clusterName,
    text: body.toString('utf8'),
    rawBody: body,
    ...(format ? { format } : {}),
    ...(vpcFields ? { vpcFields } : {}),
    origin: 'http',
    ...(typeof idempotencyKey === 'string' ? { idempotencyKey } : {}),
  });
  return { cluster: identity.clusterName, ...result };
}

async function postInventory(request: IncomingMessage, url: URL, options: IngestServerOptions): Promise<unknown> {
  const identity = await authenticate(request, options);
  const takenAtParam = url.searchParams.get('takenAt');
  let takenAtMs = Date.now();
  if (takenAtParam !== null) {
    takenAtMs = Date.parse(takenAtParam);
    if (!Number.isFinite(takenAtMs)) throw new HttpError(400, 'bad-taken-at', `takenAt "${takenAtParam}" is not an ISO 8601 time`);
  }
  const body = await readBody(request, { maxBodyBytes: options.maxBodyBytes, maxInflatedBytes: options.maxInflatedBytes });
  const stored = await options.inventory.storeSnapshot({
    clusterDbId: identity.clusterDbId,
    text: body.toString('utf8'),
    takenAtMs,
  });
  return { cluster: identity.clusterName, ...stored };
}

async function authenticate(request: IncomingMessage, options: IngestServerOptions): Promise<TokenIdentity> {
  const header = request.headers.authorization;
  if (!header) throw new HttpError(401, 'unauthenticated', 'missing Authorization: Bearer <collector token>', { 'WWW-Authenticate': 'Bearer' });
  const identity = await options.auth.authenticate(header);
  if (!identity) throw new HttpError(401, 'unauthenticated', 'unknown or revoked collector token', { 'WWW-Authenticate': 'Bearer' });
  return identity;
}

function readFormat(url: URL): FlowFormat | undefined {
  const format = url.searchParams.get('format');
  if (format === null || format === '' || format === 'auto') return undefined;
  if (!(FLOW_FORMATS as readonly string[]).includes(format)) {
    throw new HttpError(415, 'unknown-format', `unknown format "${format}"; use one of ${FLOW_FORMATS.join(', ')} (or omit it to auto-detect)`);
  }
  return format as FlowFormat;
}

function toHttpError(error: unknown, options: IngestServerOptions): HttpError {
  if (error instanceof HttpError) return error;
  if (error instanceof BodyError) return new HttpError(error.status, error.status === 413 ? 'too-large' : error.status === 415 ? 'unsupported-encoding' : 'bad-body', error.message);
  if (error instanceof UnknownFormatError) return new HttpError(415, 'unknown-format', error.message);
  if (error instanceof InventoryInputError) return new HttpError(422, 'bad-inventory', error.message);
  if (error instanceof QueueFullError) {
    return new HttpError(429, 'queue-full', error.message, { 'Retry-After': String(options.retryAfterSec) });
  }
  if (error instanceof DatabaseUnavailableError || isDatabaseUnavailable(error)) {
    return new HttpError(503, 'database-unavailable', 'the database is unavailable; nothing was stored, retry later', {
      'Retry-After': String(options.retryAfterSec),
    });
  }
  throw error;
}

function send(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): number {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text), ...headers });
  response.end(text);
  return status;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message || (error as { code?: string }).code || error.name : String(error);
}
