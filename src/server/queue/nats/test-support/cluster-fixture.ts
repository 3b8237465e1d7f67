import { randomBytes } from 'node:crypto';
import type { Storage } from '../../../../core/storage.js';
import { ClusterConnection } from '../cluster-connection.js';
import { NatsWriteQueue } from '../nats-write-queue.js';
import { parseNatsQueueOptions, type NatsQueueOptions, type ResolvedNatsQueueOptions } from '../nats-options.js';
import { WriterGroup } from '../writer-group.js';

/**
 * Ingest queues and writer groups on one nats-server, each test on a stream of its own (a fresh
 * name, subject prefix and bucket), closed by close().
 */
export interface ClusterFixture {
  readonly options: ResolvedNatsQueueOptions;
  ingest(): Promise<NatsWriteQueue>;
  writer(storage: Storage, pollMs?: number): Promise<{ group: WriterGroup; cluster: ClusterConnection }>;
  close(): Promise<void>;
}

export function clusterFixture(url: string, overrides: Partial<NatsQueueOptions> = {}): ClusterFixture {
  const tag = randomBytes(4).toString('hex');
  const options = parseNatsQueueOptions({ servers: [url], stream: `T_${tag}`, subjectPrefix: `t${tag}.records`, shards: 4, leaseTtlMs: 1_000, ackWaitMs: 2_000, publishTimeoutMs: 2_000, ...overrides });
  const closers: (() => Promise<void>)[] = [];
  return {
    options,
    async ingest() {
      const q = new NatsWriteQueue({ cluster: await ClusterConnection.open(options, 'ingest') });
      closers.push(() => q.close());
      return q;
    },
    async writer(storage, pollMs = 1_000) {
      const cluster = await ClusterConnection.open(options, 'writer');
      const group = await WriterGroup.start({ cluster, storage, pollMs });
      closers.push(async () => {
        await group.close();
        await cluster.close();
      });
      return { group, cluster };
    },
    async close() {
      for (const c of closers.reverse()) await c().catch(() => undefined);
    },
  };
}

export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 15_000, what = 'condition'): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
