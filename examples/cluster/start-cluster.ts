/**
 * `npm run cluster`: the three-tier layout of docs/deployment.md on one machine, for trying it:
 * one nats-server (JetStream, its own store in .auditrail-cluster/), two ingest nodes (API on
 * :7071 and :7072), two writer nodes (health and metrics on :7081 and :7082) and one PostgreSQL
 * database (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/auditrail_cluster, created
 * when missing). Ctrl-C stops everything gracefully (records acknowledged are written first).
 *
 * Environment: DATABASE_URL; NATS_URL to use a running nats-server instead of starting one;
 * CLUSTER_NATS_PORT (default 14222) for the one it starts; CLUSTER_SHARDS (default 8).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import pg from 'pg';
import { loadConfig, openKeyStore } from '../../src/server/index.js';
import { NATS_SERVER_BIN, supportsSyncAlways } from '../../src/server/queue/nats/test-support/nats-test-server.js';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const dataDir = join(root, '.auditrail-cluster');
const main = join(root, 'src/cli/main.ts');
const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm')).href;
const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/auditrail_cluster';
const natsPort = Number(process.env.CLUSTER_NATS_PORT ?? 14222);
const natsUrl = process.env.NATS_URL ?? `nats://127.0.0.1:${natsPort}`;
const children: { name: string; child: ChildProcess }[] = [];
const COLORS = ['\x1b[36m', '\x1b[35m', '\x1b[33m', '\x1b[32m', '\x1b[34m'];

function run(name: string, command: string, args: string[], env: Record<string, string> = {}): ChildProcess {
  const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const color = COLORS[children.length % COLORS.length]!;
  const prefix = (d: Buffer) =>
    d
      .toString()
      .split('\n')
      .filter((l) => l.length > 0)
      .map((l) => `${color}[${name}]\x1b[0m ${l}\n`)
      .join('');
  child.stdout.on('data', (d: Buffer) => process.stdout.write(prefix(d)));
  child.stderr.on('data', (d: Buffer) => process.stderr.write(prefix(d)));
  child.on('exit', (code, signal) => process.stderr.write(`[${name}] exited (${signal ?? code})\n`));
  children.push({ name, child });
  return child;
}

function waitFor(child: ChildProcess, re: RegExp, what: string): Promise<void> {
  return new Promise((ok, fail) => {
    let out = '';
    const on = (d: Buffer) => {
      out += d.toString();
      if (re.test(out)) ok();
    };
    child.stdout!.on('data', on);
    child.stderr!.on('data', on);
    child.once('exit', () => fail(new Error(`${what} exited before it was ready`)));
  });
}

async function ensureDatabase(): Promise<void> {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.slice(1));
  const admin = new pg.Client({ connectionString: Object.assign(new URL(databaseUrl), { pathname: '/postgres' }).toString() });
  await admin.connect();
  try {
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (exists.rowCount === 0) await admin.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
  } finally {
    await admin.end();
  }
}

async function startNats(): Promise<void> {
  if (process.env.NATS_URL) return;
  const dir = join(dataDir, 'nats');
  await mkdir(dir, { recursive: true });
  const conf = join(dataDir, 'nats.conf');
  // sync_interval: always (2.10+): an acknowledged record is on disk, not only in the page cache
  await writeFile(conf, `listen: "127.0.0.1:${natsPort}"\njetstream {\n  store_dir: "${dir}"\n${supportsSyncAlways() ? '  sync_interval: always\n' : ''}}\n`);
  const nats = run('nats', NATS_SERVER_BIN, ['-c', conf]);
  await waitFor(nats, /Server is ready/, 'nats-server');
}

async function main_(): Promise<void> {
  await mkdir(dataDir, { recursive: true });
  await ensureDatabase();
  await startNats();
  const env = { DATABASE_URL: databaseUrl, AUDITRAIL_QUEUE_TYPE: 'nats', AUDITRAIL_NATS_SERVERS: natsUrl, AUDITRAIL_NATS_SHARDS: process.env.CLUSTER_SHARDS ?? '8', AUDITRAIL_LOG_LEVEL: 'warn' };
  const keyStore = await openKeyStore((await loadConfig({ env })).config);
  const key = (await keyStore.create({ orgId: 'demo', scopes: ['ingest', 'read'], label: 'npm run cluster' })).token;
  await keyStore.close();
  const node = (name: string, role: 'ingest' | 'writer', port: number) => {
    const child = run(name, process.execPath, ['--import', tsx, main, 'serve', '--role', role, '--port', String(port)], env);
    return waitFor(child, /listening on/, name);
  };
  await Promise.all([node('writer-1', 'writer', 7081), node('writer-2', 'writer', 7082), node('ingest-1', 'ingest', 7071), node('ingest-2', 'ingest', 7072)]);
  process.stdout.write(`
auditrail cluster on this machine: 2 ingest nodes, 2 writers, nats-server, PostgreSQL
  API (either node):  http://127.0.0.1:7071   http://127.0.0.1:7072
  writers (metrics):  http://127.0.0.1:7081/metrics   http://127.0.0.1:7082/metrics
  NATS: ${natsUrl}   database: ${databaseUrl}

  export AUDITRAIL_API_KEY=${key}        # org "demo", scopes ingest + read
  curl -s -H "authorization: Bearer $AUDITRAIL_API_KEY" -H 'content-type: application/json' \\
    -d '[{"kind":"event","eventId":"'$(node -e 'console.log(crypto.randomUUID())')'","eventType":"action_completed","timestamp":"'$(date -u +%FT%TZ)'","userId":"u","agentId":"a","sessionId":"s","actionId":"1","actionName":"kubectl_get_pods"}]' \\
    http://127.0.0.1:7071/v1/events
  AUDITRAIL_NATS_SERVERS=${natsUrl} npx tsx src/cli/main.ts status     # nodes, shards, owners, lag
  kill -9 one writer (its pid is in \`ps\`) and watch the other take its shards over.

Ctrl-C stops everything.
`);
}

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  // ingest first (no new records), then writers (they write what is queued), then NATS
  for (const tier of [/^ingest/, /^writer/, /^nats$/]) {
    await Promise.all(
      children
        .filter((c) => tier.test(c.name) && c.child.exitCode === null && c.child.signalCode === null)
        .map((c) => {
          const exited = new Promise((r) => c.child.once('exit', r));
          c.child.kill('SIGTERM');
          return exited;
        }),
    );
  }
  process.exit(0);
}

process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
main_().catch(async (err: unknown) => {
  process.stderr.write(`cluster: ${err instanceof Error ? err.message : String(err)}\n`);
  await stop();
});
