import { parentPort, workerData } from 'node:worker_threads';
import type { SqlExecutor } from '../sql/sql-driver.js';
import { openPglite } from './open-pglite.js';
import { createPgliteDriver } from './pglite-driver.js';
import { serializeError, type WorkerInit, type WorkerReply, type WorkerRequest } from './worker-protocol.js';

/**
 * The PGlite worker thread: PostgreSQL (WASM) runs here, so that its synchronous work (a COPY of
 * a thousand interactions takes tens of milliseconds of CPU) never blocks the main event loop.
 * It serves the SqlDriver operations the main thread sends; a transaction stays open across
 * messages until its commit or rollback arrives.
 */
const port = parentPort!;
const init = workerData as WorkerInit;
const post = (m: WorkerReply) => port.postMessage(m);

type TxOp = Extract<WorkerRequest, { tx?: number }> | Extract<WorkerRequest, { op: 'commit' | 'rollback' }>;

class Inbox {
  readonly #items: TxOp[] = [];
  #waiting: ((op: TxOp) => void) | undefined;

  push(op: TxOp): void {
    if (this.#waiting) {
      const w = this.#waiting;
      this.#waiting = undefined;
      w(op);
    } else this.#items.push(op);
  }

  next(): Promise<TxOp> {
    const op = this.#items.shift();
    if (op) return Promise.resolve(op);
    return new Promise((resolve) => (this.#waiting = resolve));
  }
}

/** Thrown inside PGlite's transaction callback to make it roll back. */
class Rollback extends Error {}

async function run(ex: SqlExecutor, op: TxOp): Promise<unknown> {
  switch (op.op) {
    case 'query':
      return ex.query(op.text, op.params);
    case 'exec':
      return ex.exec(op.script);
    case 'copy':
      return ex.copyFrom(op.table, op.columns, op.rows);
    default:
      throw new Error(`unexpected ${op.op} inside a transaction`);
  }
}

async function main(): Promise<void> {
  let db: Awaited<ReturnType<typeof openPglite>>;
  try {
    db = await openPglite(init);
  } catch (err) {
    post({ type: 'fatal', error: serializeError(err) });
    return;
  }
  const driver = createPgliteDriver(db);
  const inboxes = new Map<number, Inbox>();
  let nextTx = 1;
  const reply = (id: number, p: Promise<unknown>) =>
    p.then(
      (value) => post({ type: 'result', id, value: value ?? null }),
      (err: unknown) => post({ type: 'error', id, error: serializeError(err) }),
    );

  function begin(id: number): void {
    const tx = nextTx++;
    const inbox = new Inbox();
    inboxes.set(tx, inbox);
    let ending: TxOp | undefined;
    const done = driver.transaction(async (ex) => {
      post({ type: 'result', id, value: tx });
      for (;;) {
        const op = await inbox.next();
        if (op.op === 'commit' || op.op === 'rollback') {
          ending = op;
          if (op.op === 'rollback') throw new Rollback('rollback requested');
          return;
        }
        await reply(op.id, run(ex, op));
      }
    });
    void done.then(
      () => post({ type: 'result', id: ending!.id, value: null }),
      (err: unknown) => {
        if (ending) post(err instanceof Rollback ? { type: 'result', id: ending.id, value: null } : { type: 'error', id: ending.id, error: serializeError(err) });
      },
    ).finally(() => inboxes.delete(tx));
  }

  port.on('message', (m: WorkerRequest) => {
    if (m.op === 'begin') return begin(m.id);
    if (m.op === 'close') {
      void reply(m.id, driver.close()).then(() => port.close());
      return;
    }
    const tx = 'tx' in m ? m.tx : undefined;
    if (tx !== undefined) {
      const inbox = inboxes.get(tx);
      if (inbox) inbox.push(m);
      else post({ type: 'error', id: m.id, error: { name: 'Error', message: `transaction ${tx} is not open` } });
      return;
    }
    if (m.op === 'query' || m.op === 'exec' || m.op === 'copy') void reply(m.id, run(driver, m));
  });
  post({ type: 'ready' });
}

void main();
