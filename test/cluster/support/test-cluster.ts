import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { connect, type NatsConnection } from 'nats';
import pg from 'pg';
import { startCli, waitForOutput } from '../../../src/cli/test-support/run-cli.js';
import { loadConfig, openKeyStore } from '../../../src/server/index.js';
import { startNatsTestServer, type NatsTestServer } from '../../../src/server/queue/nats/test-support/nats-test-server.js';
import { createTestDatabase, type TestDatabase } from '../../../src/storage/postgres/test-support/test-database.js';

export type Role = 'ingest' | 'writer';

export interface ClusterNode {
  readonly role: Role;
  readonly name: string;
  readonly child: ChildProcess;
  readonly url: string;
  /** Output of the process so far (for failure messages). */
  output(): string;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export interface TestCluster {
  readonly nats: NatsTestServer;
  readonly db: TestDatabase;
  /** One API key (ingest + read) per org. */
  readonly keys: ReadonlyMap<string, string>;
  readonly nodes: ClusterNode[];
  readonly env: Readonly<Record<string, string>>;
  startNode(role: Role, name: string): Promise<ClusterNode>;
  ingestUrls(): string[];
  /** Waits until the stream is empty and nothing is being written. */
  waitDrained(timeoutMs?: number): Promise<void>;
  sql<T extends pg.QueryResultRow>(text: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

/** Cluster settings for tests: short lease and ack wait, so a takeover happens within seconds. */
export const CLUSTER_TEST_ENV = {
  AUDITRAIL_QUEUE_TYPE: 'nats',
  AUDITRAIL_NATS_SHARDS: '4',
  AUDITRAIL_NATS_LEASE_TTL_MS: '2000',
  AUDITRAIL_NATS_ACK_WAIT_MS: '4000',
  AUDITRAIL_NATS_PUBLISH_TIMEOUT_MS: '3000',
  AUDITRAIL_RATE_LIMIT_ENABLED: 'false',
  AUDITRAIL_LOG_LEVEL: 'warn',
  AUDITRAIL_SHUTDOWN_TIMEOUT_MS: '5000',
};

/**
 * A real cluster on this machine: its own nats-server (free port, temporary store), its own
 * PostgreSQL database at 127.0.0.1:5432, and `auditrail serve --role …` child processes.
 */
export async function startTestCluster(orgs: readonly string[]): Promise<TestCluster> {
  const nats = await startNatsTestServer();
  const db = await createTestDatabase('auditrail_cluster');
  // one data folder for all nodes: the writers share its checkpoint signing key and external log
  const dataDir = await mkdtemp(join(tmpdir(), 'auditrail-cluster-'));
  const env = { ...CLUSTER_TEST_ENV, DATABASE_URL: db.connectionString, AUDITRAIL_NATS_SERVERS: nats.url, AUDITRAIL_DATA_DIR: dataDir };
  const keyStore = await openKeyStore((await loadConfig({ env })).config);
  const keys = new Map<string, string>();
  for (const org of orgs) keys.set(org, (await keyStore.create({ orgId: org, scopes: ['ingest', 'read'] })).token);
  await keyStore.close();
  const nodes: ClusterNode[] = [];
  let nc: NatsConnection | undefined;
  const pool = new pg.Pool({ connectionString: db.connectionString, max: 2 });

  return {
    nats,
    db,
    keys,
    nodes,
    env,
    async startNode(role, name) {
      const child = startCli(['serve', '--role', role, '--port', '0'], env);
      let out = '';
      child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
      const url = (await waitForOutput(child, /listening on (http:\/\/\S+)/, 90_000))[1]!;
      const node: ClusterNode = {
        role,
        name,
        child,
        url,
        output: () => out,
        async kill(signal = 'SIGKILL') {
          if (child.exitCode !== null || child.signalCode !== null) return;
          const exited = new Promise((r) => child.once('exit', r));
          child.kill(signal);
          await exited;
        },
      };
      nodes.push(node);
      return node;
    },
    ingestUrls() {
      return nodes.filter((n) => n.role === 'ingest' && n.child.exitCode === null && n.child.signalCode === null).map((n) => n.url);
    },
    async waitDrained(timeoutMs = 60_000) {
      nc ??= await connect({ servers: nats.url, maxReconnectAttempts: -1 });
      const jsm = await nc.jetstreamManager();
      const until = Date.now() + timeoutMs;
      let last = '';
      while (Date.now() < until) {
        try {
          // the consumers' view: after a nats-server crash the stream may still hold acknowledged
          // messages for up to a minute (the writers purge them), which are not a backlog
          let pending = 0;
          let ackPending = 0;
          for await (const c of jsm.consumers.list('AUDITRAIL_RECORDS')) {
            pending += c.num_pending;
            ackPending += c.num_ack_pending;
          }
          last = `${pending} pending, ${ackPending} being written`;
          if (pending === 0 && ackPending === 0) return;
        } catch (err) {
          last = String(err);
        }
        await new Promise((r) => setTimeout(r, 250));
      }
      throw new Error(`the stream did not drain within ${timeoutMs} ms: ${last}`);
    },
    async sql<T extends pg.QueryResultRow>(text: string, params: unknown[] = []): Promise<T[]> {
      return (await pool.query<T>(text, params)).rows;
    },
    async close() {
      await Promise.all(nodes.map((n) => n.kill('SIGKILL')));
      await nc?.close().catch(() => undefined);
      await pool.end();
      await nats.stop();
      await db.drop();
    },
  };
}
