import type { InteractionStatus } from '../../../core/index.js';

/** The status an error means: the caller aborting is `cancelled`, a timeout `timeout`, anything else `error`. */
export function statusOfError(err: unknown): InteractionStatus {
  const name = (err as { name?: unknown } | null)?.name;
  if (name === 'APIUserAbortError' || name === 'AbortError' || name === 'ResponseAborted') return 'cancelled';
  if (name === 'APIConnectionTimeoutError' || name === 'TimeoutError') return 'timeout';
  return 'error';
}
