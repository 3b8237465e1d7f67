import type { Logger } from 'pino';
import { AuditrailError } from '../../core/errors.js';
import type { Storage } from '../../core/storage.js';
import type { AuditrailConfig } from '../config/config-schema.js';
import { ClusterConnection } from '../queue/nats/cluster-connection.js';
import { NatsWriteQueue } from '../queue/nats/nats-write-queue.js';
import { WriterGroup } from '../queue/nats/writer-group.js';
import { natsOptionsFromConfig } from './nats-options-from-config.js';

/**
 * Refuses role/queue/storage combinations that cannot keep the guarantees: split roles need the
 * NATS queue (records must travel between processes) and PostgreSQL (every writer and ingest node
 * must see the same database).
 */
export function checkRole(config: AuditrailConfig): void {
  const role = config.server.role;
  const issues: { path: string; message: string }[] = [];
  if (role !== 'all' && config.queue.type !== 'nats') issues.push({ path: 'server.role', message: `role ${role} needs queue.type: nats (set AUDITRAIL_QUEUE_TYPE=nats)` });
  if (role !== 'all' && config.storage.type !== 'postgres') issues.push({ path: 'storage.type', message: `role ${role} needs a shared PostgreSQL database (storage.type: postgres), not ${config.storage.type}` });
  if (issues.length > 0) {
    throw new AuditrailError('CONFIG_INVALID', `${issues.length} problem(s)\n${issues.map((i) => `  - ${i.path}: ${i.message}`).join('\n')}`, { issues });
  }
}

export interface OpenClusterQueueOptions {
  readonly config: AuditrailConfig;
  /** Written to by this process's writers (role `all`). */
  readonly storage: Storage;
  readonly log?: Logger;
}

/**
 * The write queue of a node with queue.type nats and role ingest or all: it joins the cluster,
 * ensures the stream, and (role all) starts this process's shard writers too. Hand it to
 * createAuditrailServer as `queue`; the server's close() closes it (publishes in flight finish,
 * writers finish and acknowledge their batch, leases are given back).
 */
export async function openClusterQueue(options: OpenClusterQueueOptions): Promise<NatsWriteQueue> {
  const { config, storage, log } = options;
  checkRole(config);
  if (config.server.role === 'writer') throw new AuditrailError('OPTIONS_INVALID', 'a writer node serves no ingestion queue: use startWriterNode()');
  const cluster = await ClusterConnection.open(natsOptionsFromConfig(config), config.server.role, log);
  try {
    const writers = config.server.role === 'all' ? await WriterGroup.start({ cluster, storage, ...(log ? { log } : {}) }) : undefined;
    return new NatsWriteQueue({ cluster, ...(writers ? { writers } : {}) });
  } catch (err) {
    await cluster.close();
    throw err;
  }
}
