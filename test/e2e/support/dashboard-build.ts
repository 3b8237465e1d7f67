import { mkdir, readdir, rmdir, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const DASHBOARD_DIR = fileURLToPath(new URL('../../../dashboard/', import.meta.url));
export const DASHBOARD_DIST = join(DASHBOARD_DIR, 'dist');
const LOCK = join(tmpdir(), 'auditrail-dashboard-build.lock');
const LOCK_WAIT_MS = 120_000;

/**
 * Builds dashboard/dist when it is missing or older than the dashboard's sources, so that the
 * browser tests and the screenshots always see the current code. One build at a time across
 * processes (a lock directory), since other test runs may share the checkout.
 */
export async function ensureDashboardBuilt(): Promise<'fresh' | 'built'> {
  if (await isFresh()) return 'fresh';
  await lock();
  try {
    if (await isFresh()) return 'fresh';
    const { build } = await import('vite');
    // vitest runs with NODE_ENV=test, which would make Vite and the React plugin build for development
    const nodeEnv = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      await build({ configFile: join(DASHBOARD_DIR, 'vite.config.ts'), logLevel: 'warn', mode: 'production' });
    } finally {
      if (nodeEnv === undefined) delete process.env.NODE_ENV;
      else process.env.NODE_ENV = nodeEnv;
    }
    return 'built';
  } finally {
    await rmdir(LOCK).catch(() => undefined);
  }
}

async function isFresh(): Promise<boolean> {
  const built = await stat(join(DASHBOARD_DIST, 'index.html')).catch(() => null);
  if (!built) return false;
  const sources = await newestMtime([join(DASHBOARD_DIR, 'src'), join(DASHBOARD_DIR, 'public'), join(DASHBOARD_DIR, 'index.html'), join(DASHBOARD_DIR, 'vite.config.ts')]);
  return sources <= built.mtimeMs;
}

async function newestMtime(paths: string[]): Promise<number> {
  let newest = 0;
  for (const p of paths) {
    const s = await stat(p).catch(() => null);
    if (!s) continue;
    if (s.isDirectory()) {
      const names = await readdir(p);
      newest = Math.max(newest, s.mtimeMs, await newestMtime(names.map((n) => join(p, n))));
    } else {
      newest = Math.max(newest, s.mtimeMs);
    }
  }
  return newest;
}

async function lock(): Promise<void> {
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      await mkdir(LOCK);
      return;
    } catch {
      const s = await stat(LOCK).catch(() => null);
      // a lock left by a killed build
      if (s && Date.now() - s.mtimeMs > LOCK_WAIT_MS) await rmdir(LOCK).catch(() => undefined);
      if (Date.now() > deadline) throw new Error(`waited ${LOCK_WAIT_MS} ms for another dashboard build (${LOCK})`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}
