import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { pino, type Logger } from 'pino';
import { randomUUID } from 'node:crypto';
import { AuditrailError, isAuditrailError } from '../core/errors.js';
import type { Redactor } from '../core/redactor.js';
import type { Storage } from '../core/storage.js';
import { registerAuthHook } from './auth/auth-hook.js';
import { createAuthenticator } from './auth/authenticator.js';
import type { KeyStore } from './auth/key-store.js';
import { createRateLimiter } from './auth/rate-limiter.js';
import type { AuditrailConfig } from './config/config-schema.js';
import { trackConnections } from './http/connection-drain.js';
import { orgRedactorsFromConfig, singleRedactor, type OrgRedactors } from './ingest/org-redactors.js';
import { createServerRedaction } from './ingest/server-redaction.js';
import { registerJsonBodyParser } from './http/json-body-parser.js';
import { sendProblem, toAuditrailError } from './http/problem.js';
import './http/request-context.js';
import { createServerMetrics, type ServerMetrics } from './metrics/server-metrics.js';
import type { StorageStatsSource } from './metrics/storage-stats.js';
import { InProcessWriteQueue } from './queue/in-process-write-queue.js';
import { createEncryptingWriteQueue } from './queue/encrypting-write-queue.js';
import type { FieldEncryption } from '../encryption/field-encryption.js';
import type { WriteQueue } from './queue/write-queue.js';
import { analyticsRoute } from './routes/analytics-route.js';
import { dashboardRoutes } from './routes/dashboard.js';
import { exportRoute } from './routes/export-route.js';
import { healthRoutes } from './routes/health-routes.js';
import { ingestRoute } from './routes/ingest-route.js';
import { integrityRoutes } from './routes/integrity-routes.js';
import { keysRoutes } from './routes/keys-routes.js';
import { metricsRoute } from './routes/metrics-route.js';
import { openApiRoutes } from './routes/openapi-routes.js';
import { otlpRoutes } from './otlp/otlp-routes.js';
import { readRoutes } from './routes/read-routes.js';
import type { ServerContext } from './server-context.js';
import { createAccessAuditor } from './tenancy/access-audit.js';

export interface AuditrailServerOptions {
  readonly config: AuditrailConfig;
  /** Closed by the server's close(). */
  readonly storage: Storage & StorageStatsSource;
  /** Closed by the server's close(). */
  readonly keyStore: KeyStore;
  /** Default: the in-process queue sized by config.audit.async; required when queue.type is nats (openClusterQueue). */
  readonly queue?: WriteQueue;
  /**
   * Which redactor runs on each org's records before they are queued. Default: built from
   * config.redaction (orgRedactorsFromConfig: the policy file is read and validated now).
   */
  readonly redactors?: OrgRedactors;
  /** Shorthand: one Redactor for every org's records, instead of the configuration's policies. */
  readonly redactor?: Redactor;
  /**
   * Field encryption (openEncryption): new records are encrypted after redaction, before the
   * queue; tenant reads decrypt, and refuse search over encrypted text.
   */
  readonly encryption?: FieldEncryption;
  /** A pino logger; default: JSON logs to stdout at config.logging.level. */
  readonly logger?: Logger;
  readonly version?: string;
}

export interface AuditrailServer {
  readonly app: FastifyInstance;
  readonly metrics: ServerMetrics;
  readonly queue: WriteQueue;
  /** Listens on config.server host:port; resolves with the base URL. */
  listen(): Promise<string>;
  /**
   * Graceful shutdown: new requests get 503 SHUTTING_DOWN, in-flight ones finish (their records
   * are written), the queue drains, then storage and key store close. After
   * server.shutdown_timeout_ms the remaining connections are cut. Idempotent.
   */
  close(): Promise<void>;
}

const RETRYABLE = ['QUEUE_FULL', 'STORAGE_UNAVAILABLE', 'SHUTTING_DOWN', 'STORAGE_CLOSED', 'QUEUE_UNAVAILABLE', 'ENCRYPTION_KEY_UNAVAILABLE'] as const;

export function createAuditrailServer(options: AuditrailServerOptions): AuditrailServer {
  const { config, storage, keyStore } = options;
  const metrics = createServerMetrics();
  if (options.redactor && options.redactors) throw new AuditrailError('OPTIONS_INVALID', 'give at most one of `redactor` and `redactors`');
  const redactors = options.redactors ?? (options.redactor ? singleRedactor(options.redactor) : orgRedactorsFromConfig(config));
  if (config.queue.type === 'nats' && !options.queue) {
    throw new AuditrailError('OPTIONS_INVALID', 'queue.type is nats: open the queue with openClusterQueue(config, storage) and pass it as options.queue');
  }
  const plainQueue: WriteQueue =
    options.queue ??
    new InProcessWriteQueue({
      storage,
      observer: metrics.queueObserver,
      workers: config.audit.async.workers,
      maxQueueSize: config.audit.async.queue_size,
      maxBatchSize: config.audit.async.batch_size,
      batchIntervalMs: config.audit.async.batch_interval_ms,
    });
  const queue = options.encryption ? createEncryptingWriteQueue(plainQueue, options.encryption) : plainQueue;
  metrics.watch(queue, storage);
  queue.bindMetrics?.(metrics.registry, metrics.queueObserver);
  const logger: FastifyBaseLogger = options.logger ?? pino({ level: config.logging.level, base: { service: 'auditrail' } });
  const app: FastifyInstance = Fastify({
    loggerInstance: logger,
    // one line per request from our onResponse hook instead of fastify's two
    logController: new LogController({ disableRequestLogging: true }),
    genReqId: () => randomUUID(),
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    forceCloseConnections: 'idle',
    return503OnClosing: false,
  });
  let shuttingDown = false;
  const connections = trackConnections(app.server);
  const authenticator = createAuthenticator({ keyStore, cacheTtlMs: config.auth.key_cache_ttl_ms });
  const ctx: ServerContext = {
    config,
    storage,
    queue,
    keyStore,
    authenticator,
    metrics,
    access: createAccessAuditor(queue),
    redaction: createServerRedaction(redactors, metrics.redaction, logger),
    encryption: options.encryption,
    isShuttingDown: () => shuttingDown,
  };

  registerJsonBodyParser(app, { maxDepth: config.limits.max_depth, maxStringLength: config.limits.max_string_length });
  app.addHook('onRequest', async (request, reply) => {
    if (!shuttingDown || request.routeOptions.url === '/healthz' || request.routeOptions.url === '/readyz') return undefined;
    metrics.refused('shutting_down');
    void reply.header('connection', 'close');
    return sendProblem(reply, new AuditrailError('SHUTTING_DOWN'), { 'retry-after': 1 });
  });
  registerAuthHook(app, {
    authenticator,
    metrics,
    ...(config.rate_limit.enabled ? { rateLimiter: createRateLimiter({ requestsPerSecond: config.rate_limit.requests_per_second, burst: config.rate_limit.burst }) } : {}),
  });
  // during shutdown, close each connection after its answer: a kept-alive idle socket would
  // otherwise hold app.close() until its keep-alive timeout
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (shuttingDown) void reply.header('connection', 'close');
    done(null, payload);
  });
  app.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.httpRequest(request.method, route, reply.statusCode, reply.elapsedTime / 1000);
    const level = reply.statusCode >= 500 ? 'error' : reply.statusCode >= 400 ? 'info' : 'debug';
    request.log[level]({ method: request.method, route, url: request.url, statusCode: reply.statusCode, ms: Math.round(reply.elapsedTime), keyId: request.auth?.keyId, orgId: request.auth?.orgId }, 'request');
    done();
  });
  app.setErrorHandler((err, request, reply) => {
    const e = toAuditrailError(err);
    if (e.status >= 500 && !isAuditrailError(err)) request.log.error({ err }, 'unexpected error');
    else if (e.status >= 500) request.log.warn({ err: e }, e.code);
    const retryable = RETRYABLE.some((n) => isAuditrailError(e, n));
    return sendProblem(reply, e, retryable ? { 'retry-after': isAuditrailError(e, 'QUEUE_FULL') ? queue.retryAfterSeconds() : 1 } : {});
  });
  app.setNotFoundHandler((request, reply) => sendProblem(reply, new AuditrailError('NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0]}`)));

  void app.register(healthRoutes(ctx));
  void app.register(metricsRoute(ctx));
  void app.register(openApiRoutes(options.version ?? '0.0.0'));
  void app.register(ingestRoute(ctx));
  void app.register(readRoutes(ctx));
  void app.register(analyticsRoute(ctx));
  void app.register(exportRoute(ctx));
  void app.register(keysRoutes(ctx));
  void app.register(integrityRoutes(ctx)); // GET /v1/verify, /v1/checkpoints (docs/integrity.md)
  void app.register(otlpRoutes(ctx)); // OTLP/HTTP: POST /v1/traces, /v1/logs (docs/otlp.md)
  // the web dashboard (dashboard/dist) at /, without a key; it reads the API with the user's key
  void app.register(dashboardRoutes());

  let closing: Promise<void> | undefined;
  return {
    app,
    metrics,
    queue,
    async listen() {
      const address = await app.listen({ host: config.server.host, port: config.server.port });
      return address;
    },
    close() {
      closing ??= (async () => {
        shuttingDown = true;
        // sockets without a request in flight (idle keep-alive, a browser's preconnect) close now
        connections.drain();
        const timer = setTimeout(() => {
          app.log.warn('shutdown timeout: closing remaining connections');
          app.server.closeAllConnections();
        }, config.server.shutdown_timeout_ms);
        timer.unref();
        try {
          await app.close();
          await queue.close();
        } finally {
          clearTimeout(timer);
          await storage.close();
          await keyStore.close();
        }
      })();
      return closing;
    },
  };
}
