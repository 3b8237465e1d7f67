import { AuditrailError, errorMessage } from '../../../core/errors.js';
import { clusterBucketOf, type ResolvedNatsQueueOptions } from './nats-options.js';
import { readClusterStatus, type ClusterStatus } from './cluster-status.js';
import { connectNats, durabilityNote } from './nats-setup.js';

export interface ClusterInspection {
  readonly servers: readonly string[];
  readonly serverVersion: string;
  readonly durability: string;
  readonly status: ClusterStatus;
}

/**
 * Reads the cluster's state without joining it (no heartbeat, nothing created): for
 * `auditrail status`. QUEUE_UNAVAILABLE when NATS or the stream cannot be read.
 */
export async function inspectCluster(o: ResolvedNatsQueueOptions): Promise<ClusterInspection> {
  const nc = await connectNats(o, 'auditrail status');
  try {
    const jsm = await nc.jetstreamManager();
    let kv;
    try {
      kv = await nc.jetstream().views.kv(clusterBucketOf(o), { bindOnly: true });
    } catch (err) {
      throw new AuditrailError('QUEUE_UNAVAILABLE', `no cluster bucket ${clusterBucketOf(o)} on ${o.servers.join(', ')} (has a node with stream ${o.stream} ever started?): ${errorMessage(err)}`, { cause: err });
    }
    let status: ClusterStatus;
    try {
      status = await readClusterStatus(jsm, kv, o);
    } catch (err) {
      throw new AuditrailError('QUEUE_UNAVAILABLE', `cannot read stream ${o.stream}: ${errorMessage(err)}`, { cause: err });
    }
    return { servers: o.servers, serverVersion: nc.info?.version ?? 'unknown', durability: durabilityNote(nc, o), status };
  } finally {
    await nc.close();
  }
}
