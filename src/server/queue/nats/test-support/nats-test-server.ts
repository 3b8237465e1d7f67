import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, connect as tcpConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The nats-server binary: NATS_SERVER_BIN, else the Debian package's (CI installs it). */
export const NATS_SERVER_BIN = process.env.NATS_SERVER_BIN ?? '/usr/sbin/nats-server';

export interface NatsTestServer {
  readonly url: string;
  readonly port: number;
  readonly storeDir: string;
  readonly version: string;
  /** True when this server fsyncs every write (nats-server 2.10+ with sync_interval: always). */
  readonly syncAlways: boolean;
  /** kill -9, then start again on the same port and store (what was acknowledged must be there). */
  restart(options?: { downMs?: number; signal?: NodeJS.Signals }): Promise<void>;
  kill(signal?: NodeJS.Signals): Promise<void>;
  start(): Promise<void>;
  /** Stops the server and removes its store. */
  stop(): Promise<void>;
}

let cachedVersion: string | undefined;

export function natsServerVersion(): string {
  cachedVersion ??= execFileSync(NATS_SERVER_BIN, ['--version'], { encoding: 'utf8' }).trim().replace(/^nats-server:?\s*v?/, '');
  return cachedVersion;
}

/** True for 2.10 and later, which accept `sync_interval: always`. */
export function supportsSyncAlways(version = natsServerVersion()): boolean {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  return major > 2 || (major === 2 && minor >= 10);
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const c = tcpConnect({ host: '127.0.0.1', port });
    c.once('connect', () => {
      c.destroy();
      resolve(true);
    });
    c.once('error', () => resolve(false));
  });
}

/**
 * A nats-server of a test's own: JetStream on a free port, a temporary store, and every write
 * fsynced when the server version can (2.10+: `sync_interval: always`; 2.9 writes each message to
 * the store file before acknowledging it, fsyncing every 2 minutes).
 */
export async function startNatsTestServer(): Promise<NatsTestServer> {
  const port = await freePort();
  const dir = await mkdtemp(join(tmpdir(), 'auditrail-nats-'));
  const storeDir = join(dir, 'jetstream');
  const version = natsServerVersion();
  const syncAlways = supportsSyncAlways(version);
  const conf = join(dir, 'nats.conf');
  await writeFile(conf, `listen: "127.0.0.1:${port}"\njetstream {\n  store_dir: "${storeDir}"\n${syncAlways ? '  sync_interval: always\n' : ''}}\n`);
  let child: ChildProcess | undefined;
  let log = '';

  const start = async () => {
    log = '';
    const c = spawn(NATS_SERVER_BIN, ['-c', conf], { stdio: ['ignore', 'pipe', 'pipe'] });
    child = c;
    c.stdout.on('data', (d: Buffer) => (log += d.toString()));
    c.stderr.on('data', (d: Buffer) => (log += d.toString()));
    const until = Date.now() + 20_000;
    while (Date.now() < until) {
      if (c.exitCode !== null) throw new Error(`nats-server exited with ${c.exitCode}:\n${log}`);
      if (/Server is ready/.test(log) && (await portOpen(port))) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`nats-server did not start on ${port}:\n${log}`);
  };
  const kill = async (signal: NodeJS.Signals = 'SIGKILL') => {
    const c = child;
    child = undefined;
    if (!c || c.exitCode !== null) return;
    const exited = new Promise((r) => c.once('exit', r));
    c.kill(signal);
    await exited;
  };
  await start();
  return {
    url: `nats://127.0.0.1:${port}`,
    port,
    storeDir,
    version,
    syncAlways,
    start,
    kill,
    async restart(options = {}) {
      await kill(options.signal ?? 'SIGKILL');
      await new Promise((r) => setTimeout(r, options.downMs ?? 0));
      await start();
    },
    async stop() {
      await kill('SIGTERM');
      await rm(dir, { recursive: true, force: true });
    },
  };
}
