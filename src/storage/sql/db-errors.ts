/**
 * What a database failure means for a write: retry it whole (the database went away, a
 * deadlock, a serialization failure), create the missing partition and retry, or give up (the
 * database refused the data: retrying cannot help).
 */
export type FailureKind = 'retry' | 'missing-partition' | 'fatal';

const RETRY_CODES = new Set([
  '40001', // serialization_failure
  '40P01', // deadlock_detected
  '55P03', // lock_not_available
  '57P01', // admin_shutdown (pg_terminate_backend, fast shutdown)
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up, shutting down)
  '57014', // query_canceled (statement timeout while the server is overloaded)
  '53000', // insufficient_resources
  '53100', // disk_full: retrying after space is freed
  '53200', // out_of_memory
  '53300', // too_many_connections
  '58000', // system_error
  '58030', // io_error
  'XX000', // internal_error (e.g. during recovery)
]);

/** The SQLSTATE of a database error; undefined for a socket error (EPIPE, ECONNRESET: no SQLSTATE class starts with E). */
export function sqlState(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-DF-Z][0-9A-Z]{4}$/.test(code) ? code : undefined;
}

export function classifyFailure(err: unknown): FailureKind {
  const code = sqlState(err);
  if (code === undefined) {
    // No SQLSTATE: the connection failed (refused, reset, terminated, timed out).
    return 'retry';
  }
  if (code === '23514' && /no partition of relation/i.test(String((err as Error).message))) return 'missing-partition';
  if (code.startsWith('08') || RETRY_CODES.has(code)) return 'retry';
  return 'fatal';
}
