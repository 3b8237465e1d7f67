import type { Interaction } from '../../../core/index.js';
import type { AuditLogger } from '../../logger.js';

/**
 * Waits until the logger's storage holds `count` interactions (they are recorded when a response
 * or a stream ends, which can be just after the client has its answer) and returns them oldest
 * first. Polls; gives up after `timeoutMs` with what it has.
 */
export async function recordedInteractions(logger: AuditLogger, count = 1, timeoutMs = 5_000): Promise<Interaction[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await logger.flush();
    const { items } = await logger.queryInteractions({ limit: 1000, order: 'asc' });
    if (items.length >= count || Date.now() > deadline) return items;
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A promise with its resolve function, for handlers that wait on the test. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (v: T) => void } {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}
