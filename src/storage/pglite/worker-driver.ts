import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { AuditrailError } from '../../core/errors.js';
import type { SqlDriver, SqlExecutor } from '../sql/sql-driver.js';
import { deserializeError, type WorkerInit, type WorkerReply, type WorkerRequest } from './worker-protocol.js';

type Outgoing = WorkerRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

/**
 * The worker's module: the compiled .js next to this file, or, when running from the TypeScript
 * sources (tests, tsx), the .ts file loaded through tsx's loader registered inside the worker.
 */
function startWorker(init: WorkerInit): Worker {
  const js = new URL('./pglite-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(js))) return new Worker(js, { workerData: init });
  const ts = new URL('./pglite-worker.ts', import.meta.url);
  const tsxDir = dirname(createRequire(import.meta.url).resolve('tsx/package.json'));
  const tsx = pathToFileURL(join(tsxDir, 'dist/esm/api/index.mjs')).href;
  const boot = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(ts.href)}); })`;
  return new Worker(boot, { eval: true, workerData: init });
}

/**
 * A SqlDriver whose PGlite runs in a worker thread. The worker is unref'd while idle (it does not
 * keep the process alive) and ref'd while a request is pending. If the worker dies, every pending
 * and later request fails with STORAGE_UNAVAILABLE (not retried: reopen the storage).
 */
export async function createWorkerPgliteDriver(init: WorkerInit): Promise<SqlDriver> {
  const worker = startWorker(init);
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>();
  let nextId = 1;
  let dead: AuditrailError | undefined;

  const fail = (why: string) => {
    dead ??= new AuditrailError('STORAGE_UNAVAILABLE', `the PGlite worker ${why}`);
    for (const p of pending.values()) p.reject(dead);
    pending.clear();
  };

  // Wait for 'ready' (or the reason it will never come). Only our own listeners are removed
  // afterwards: Worker keeps internal ones (they ref the message port).
  let onMessage: ((m: WorkerReply) => void) | undefined;
  let onError: ((err: Error) => void) | undefined;
  let onExit: ((code: number) => void) | undefined;
  try {
    await new Promise<void>((resolve, reject) => {
      onMessage = (m) => {
        if (m.type === 'ready') resolve();
        else if (m.type === 'fatal') reject(new AuditrailError('STORAGE_UNAVAILABLE', `PGlite did not start: ${m.error.message}`, { cause: deserializeError(m.error) }));
      };
      onError = reject;
      onExit = (code) => reject(new AuditrailError('STORAGE_UNAVAILABLE', `the PGlite worker exited with code ${code} while starting`));
      worker.on('message', onMessage).on('error', onError).on('exit', onExit);
    });
  } catch (err) {
    await worker.terminate();
    throw err;
  } finally {
    worker.off('message', onMessage!).off('error', onError!).off('exit', onExit!);
  }
  worker.on('message', (m: WorkerReply) => {
    if (m.type !== 'result' && m.type !== 'error') return;
    const p = pending.get(m.id);
    if (!p) return;
    pending.delete(m.id);
    if (pending.size === 0) worker.unref();
    if (m.type === 'result') p.resolve(m.value);
    else p.reject(deserializeError(m.error));
  });
  worker.on('error', (err) => fail(`failed: ${err.message}`));
  worker.on('exit', (code) => fail(`exited (code ${code})`));
  worker.unref();

  function request<T>(msg: Outgoing): Promise<T> {
    if (dead) return Promise.reject(dead);
    const id = nextId++;
    return new Promise<T>((resolve, reject) => {
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      worker.ref();
      worker.postMessage({ ...msg, id });
    });
  }

  const executor = (tx?: number): SqlExecutor => ({
    query: <R extends object>(text: string, params?: readonly unknown[]) => request<R[]>({ op: 'query', text, ...(params ? { params } : {}), ...(tx ? { tx } : {}) }),
    exec: (script: string) => request<void>({ op: 'exec', script, ...(tx ? { tx } : {}) }),
    copyFrom: (table: string, columns: readonly string[], rows: string) => request<void>({ op: 'copy', table, columns, rows, ...(tx ? { tx } : {}) }),
  });
  const base = executor();
  let closing: Promise<void> | undefined;

  return {
    kind: 'pglite',
    query: (text, params) => base.query(text, params),
    exec: (script) => base.exec(script),
    copyFrom: (table, columns, rows) => base.copyFrom(table, columns, rows),
    async transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
      const tx = await request<number>({ op: 'begin' });
      let result: T;
      try {
        result = await fn(executor(tx));
      } catch (err) {
        await request({ op: 'rollback', tx }).catch(() => undefined);
        throw err;
      }
      await request({ op: 'commit', tx });
      return result;
    },
    close() {
      closing ??= (async () => {
        if (!dead) await request({ op: 'close' }).catch(() => undefined);
        dead ??= new AuditrailError('STORAGE_CLOSED');
        await worker.terminate();
      })();
      return closing;
    },
  };
}
