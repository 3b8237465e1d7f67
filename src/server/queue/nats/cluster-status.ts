import type { JetStreamManager, KV, KvEntry } from 'nats';
import { errorMessage } from '../../../core/errors.js';
import { consumerOf, type ResolvedNatsQueueOptions } from './nats-options.js';

export type NodeRole = 'ingest' | 'writer' | 'all';

/** What a node writes to its heartbeat key every leaseTtlMs / 3. */
export interface NodeHeartbeatValue {
  readonly nodeId: string;
  readonly role: NodeRole;
  readonly host: string;
  readonly pid: number;
  readonly startedAt: string;
  /** Shards this node writes (writers). */
  readonly shards: readonly number[];
  /** Its HTTP address, when it listens. */
  readonly url?: string;
}

/** What a shard's lease holds; the entry's revision is the fencing token. */
export interface LeaseValue {
  readonly owner: string;
  readonly since: string;
}

export interface NodeStatus extends NodeHeartbeatValue {
  /** Milliseconds since its last heartbeat, by the NATS server's clock vs ours. */
  readonly seenAgoMs: number;
}

export interface ShardStatus {
  readonly shard: number;
  readonly consumer: string;
  /** The node holding the lease, if any. */
  readonly owner: string | null;
  readonly leaseRevision: number | null;
  /** Milliseconds since the lease was last renewed. */
  readonly leaseAgeMs: number | null;
  /** Messages not yet delivered to a writer (the lag). */
  readonly pending: number;
  /** Delivered, not yet acknowledged (being written). */
  readonly ackPending: number;
  /** Delivered more than once and not yet acknowledged. */
  readonly redelivered: number;
  /** Pull requests waiting (an idle writer is waiting). */
  readonly waiting: number;
  readonly deliveredSeq: number;
  readonly ackFloorSeq: number;
  /** The consumer could not be read (missing or NATS error). */
  readonly error?: string;
}

export interface ClusterStatus {
  readonly stream: {
    readonly name: string;
    /** Messages in the stream (after a nats-server 2.9 crash it may include some already written: see backlog). */
    readonly messages: number;
    readonly bytes: number;
    /** Records published so far (the stream's last sequence). */
    readonly lastSeq: number;
    /** Records not yet written: what the shard consumers have not acknowledged. */
    readonly backlog: number;
    readonly maxMessages: number;
    readonly replicas: number;
    readonly firstTimestamp: string | null;
  };
  readonly nodes: readonly NodeStatus[];
  readonly shards: readonly ShardStatus[];
}

export const LEASE_PREFIX = 'lease.';
export const NODE_PREFIX = 'node.';

export function leaseKey(shard: number): string {
  return `${LEASE_PREFIX}${shard}`;
}

export function nodeKey(nodeId: string): string {
  return `${NODE_PREFIX}${nodeId}`;
}

/** Parses a JSON value of the bucket; undefined when it is not one of ours. */
export function parseEntry<T>(entry: KvEntry | null | undefined): T | undefined {
  if (!entry || entry.operation !== 'PUT' || entry.length === 0) return undefined;
  try {
    return JSON.parse(new TextDecoder().decode(entry.value)) as T;
  } catch {
    return undefined;
  }
}

/** Reads the whole cluster's state from JetStream: stream, every shard's consumer and lease, the nodes. */
export async function readClusterStatus(jsm: JetStreamManager, kv: KV, o: ResolvedNatsQueueOptions, now = Date.now()): Promise<ClusterStatus> {
  const [info, entries] = await Promise.all([jsm.streams.info(o.stream), readBucket(kv)]);
  const shards = await Promise.all(
    Array.from({ length: o.shards }, async (_, shard): Promise<ShardStatus> => {
      const lease = entries.get(leaseKey(shard));
      const value = parseEntry<LeaseValue>(lease);
      const base = {
        shard,
        consumer: consumerOf(o, shard),
        owner: value?.owner ?? null,
        leaseRevision: value ? lease!.revision : null,
        leaseAgeMs: value ? Math.max(0, now - lease!.created.getTime()) : null,
      };
      try {
        const c = await jsm.consumers.info(o.stream, base.consumer);
        return {
          ...base,
          pending: c.num_pending,
          ackPending: c.num_ack_pending,
          redelivered: c.num_redelivered,
          waiting: c.num_waiting,
          deliveredSeq: c.delivered.stream_seq,
          ackFloorSeq: c.ack_floor.stream_seq,
        };
      } catch (err) {
        return { ...base, pending: 0, ackPending: 0, redelivered: 0, waiting: 0, deliveredSeq: 0, ackFloorSeq: 0, error: errorMessage(err) };
      }
    }),
  );
  const nodes: NodeStatus[] = [];
  for (const [key, entry] of entries) {
    if (!key.startsWith(NODE_PREFIX)) continue;
    const value = parseEntry<NodeHeartbeatValue>(entry);
    if (value) nodes.push({ ...value, seenAgoMs: Math.max(0, now - entry.created.getTime()) });
  }
  nodes.sort((a, b) => a.role.localeCompare(b.role) || a.nodeId.localeCompare(b.nodeId));
  return {
    stream: {
      name: o.stream,
      messages: info.state.messages,
      bytes: info.state.bytes,
      lastSeq: info.state.last_seq,
      backlog: shards.reduce((n, s) => n + s.pending + s.ackPending, 0),
      maxMessages: info.config.max_msgs,
      replicas: info.config.num_replicas,
      firstTimestamp: info.state.messages > 0 ? info.state.first_ts : null,
    },
    nodes,
    shards,
  };
}

/** Every current entry of the bucket (deleted and purged keys left out). */
export async function readBucket(kv: KV): Promise<Map<string, KvEntry>> {
  const out = new Map<string, KvEntry>();
  const keys = await kv.keys();
  const names: string[] = [];
  for await (const k of keys) names.push(k);
  await Promise.all(
    names.map(async (k) => {
      const e = await kv.get(k);
      if (e && e.operation === 'PUT') out.set(k, e);
    }),
  );
  return out;
}
