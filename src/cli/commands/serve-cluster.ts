import type { Logger } from 'pino';
import type { AuditrailConfig } from '../../server/config/config-schema.js';
import type { Backends } from '../../server/open-backends.js';
import type { NatsWriteQueue } from '../../server/queue/nats/nats-write-queue.js';
import { startWriterNode } from '../../server/roles/writer-node.js';
import { println, type CliContext } from '../cli-context.js';
import { packageVersion } from '../version.js';

/** `auditrail serve --role writer`: starts the writer node, prints where it is; returns its close(). */
export async function serveWriter(config: AuditrailConfig, backends: Backends, log: Logger, ctx: CliContext): Promise<() => Promise<void>> {
  await backends.keyStore.close();
  let node;
  try {
    node = await startWriterNode({ config, storage: backends.storage, log });
  } catch (err) {
    await backends.storage.close();
    throw err;
  }
  let url: string;
  try {
    url = await node.listen();
  } catch (err) {
    await node.close();
    throw err;
  }
  println(ctx.stdout, `auditrail ${packageVersion()} writer ${node.nodeId} listening on ${url} (health and metrics only)`);
  println(ctx.stdout, `  storage: ${config.storage.type} (${backends.location})`);
  println(ctx.stdout, `  queue: nats ${config.queue.nats.servers}, stream ${config.queue.nats.stream}, ${config.queue.nats.shards} shards; writing [${node.ownedShards().join(', ')}] (balanced with the other writers)`);
  println(ctx.stdout, `  durability: ${node.durability}`);
  return () => node.close();
}

/** The startup lines of a node whose queue is NATS (roles all and ingest). */
export function printQueue(config: AuditrailConfig, queue: NatsWriteQueue, ctx: CliContext): void {
  println(ctx.stdout, `  queue: nats ${config.queue.nats.servers}, stream ${config.queue.nats.stream}, ${config.queue.nats.shards} shards; role ${config.server.role}, node ${queue.nodeId}`);
  println(ctx.stdout, `  durability: ${queue.durability}`);
}
