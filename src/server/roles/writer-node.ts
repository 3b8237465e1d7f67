import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { errorMessage } from '../../core/errors.js';
import { parseQuery } from '../../core/query.js';
import type { Storage } from '../../core/storage.js';
import type { AuditrailConfig } from '../config/config-schema.js';
import { ClusterConnection } from '../queue/nats/cluster-connection.js';
import { createClusterMetrics } from '../queue/nats/cluster-metrics.js';
import { WriterGroup } from '../queue/nats/writer-group.js';
import { checkRole } from './cluster-roles.js';
import { natsOptionsFromConfig } from './nats-options-from-config.js';

export interface WriterNodeOptions {
  readonly config: AuditrailConfig;
  /** Closed by the node's close(). */
  readonly storage: Storage;
  readonly log: Logger;
}

export interface WriterNode {
  readonly nodeId: string;
  /** What an acknowledged publish means on this NATS server. */
  readonly durability: string;
  readonly registry: Registry;
  readonly app: FastifyInstance;
  listen(): Promise<string>;
  ownedShards(): number[];
  /** Writers finish and acknowledge their batches, leases go back, storage closes. Idempotent. */
  close(): Promise<void>;
}

/**
 * A writer node (`auditrail serve --role writer`): takes its share of the shards, writes them to
 * storage, and serves only /healthz, /readyz and /metrics (no API: ingest nodes serve it).
 */
export async function startWriterNode(options: WriterNodeOptions): Promise<WriterNode> {
  const { config, storage, log } = options;
  checkRole(config);
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'auditrail_' });
  const metrics = createClusterMetrics(registry);
  const cluster = await ClusterConnection.open(natsOptionsFromConfig(config), 'writer', log);
  let group: WriterGroup;
  try {
    group = await WriterGroup.start({ cluster, storage, log, metrics });
  } catch (err) {
    await cluster.close();
    throw err;
  }
  metrics.watch({ status: () => cluster.status(), ownedShards: () => group.ownedShards(), connected: () => cluster.connected() });
  const logger: FastifyBaseLogger = log;
  const app: FastifyInstance = Fastify({ loggerInstance: logger, logController: new LogController({ disableRequestLogging: true }) });
  let closing: Promise<void> | undefined;
  app.get('/healthz', () => ({ status: 'ok', role: 'writer' }));
  app.get('/readyz', async (_request, reply) => {
    const checks: Record<string, { ok: boolean; detail?: string }> = {
      shutdown: { ok: closing === undefined },
      nats: { ok: cluster.connected(), detail: config.queue.nats.servers },
      shards: { ok: true, detail: `writing shards [${group.ownedShards().join(', ')}]` },
    };
    try {
      await storage.countEvents(parseQuery({ orgId: '\u0000readyz', limit: 1 }));
      checks.storage = { ok: true, detail: storage.name };
    } catch (err) {
      checks.storage = { ok: false, detail: errorMessage(err) };
    }
    const ready = Object.values(checks).every((c) => c.ok);
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not_ready', checks });
  });
  app.get('/metrics', async (_request, reply) => reply.type(registry.contentType).send(await registry.metrics()));

  return {
    nodeId: cluster.nodeId,
    durability: cluster.durability,
    registry,
    app,
    async listen() {
      const url = await app.listen({ host: config.server.host, port: config.server.port });
      cluster.setUrl(url);
      return url;
    },
    ownedShards: () => group.ownedShards(),
    close() {
      closing ??= (async () => {
        try {
          await app.close();
          await group.close();
          await cluster.close();
        } finally {
          await storage.close();
        }
      })();
      return closing;
    },
  };
}
