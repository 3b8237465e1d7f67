import { isAuditrailError } from '../core/errors.js';

/** Exit codes of the auditrail CLI (documented in src/cli/README.md and `auditrail --help`). */
export const EXIT = Object.freeze({
  OK: 0,
  /** Anything else: storage, server or internal failure. */
  FAILURE: 1,
  /** Bad command line: unknown command or option, missing argument, bad value. */
  USAGE: 2,
  /** The configuration file or an AUDITRAIL_* variable is invalid. */
  CONFIG: 3,
  /** The API key is missing, unknown, revoked or lacks the scope. */
  AUTH: 4,
  /** The server cannot be reached, is shutting down, or is overloaded. */
  UNAVAILABLE: 5,
  /** The record, session or key does not exist (in the key's org). */
  NOT_FOUND: 6,
  /** verify found tampering or loss. */
  VERIFY_FAILED: 7,
});

export function exitCodeOf(err: unknown): number {
  if (!isAuditrailError(err)) return EXIT.FAILURE;
  if (isAuditrailError(err, 'CONFIG_INVALID')) return EXIT.CONFIG;
  if (isAuditrailError(err, 'UNAUTHENTICATED') || isAuditrailError(err, 'SCOPE_MISSING') || isAuditrailError(err, 'ORG_MISMATCH')) return EXIT.AUTH;
  if (isAuditrailError(err, 'NOT_FOUND')) return EXIT.NOT_FOUND;
  if (isAuditrailError(err, 'VERIFY_FAILED')) return EXIT.VERIFY_FAILED;
  if (isAuditrailError(err, 'QUERY_INVALID') || isAuditrailError(err, 'CURSOR_INVALID') || isAuditrailError(err, 'REQUEST_INVALID') || isAuditrailError(err, 'OPTIONS_INVALID')) return EXIT.USAGE;
  if (
    isAuditrailError(err, 'SERVER_UNREACHABLE') ||
    isAuditrailError(err, 'SHUTTING_DOWN') ||
    isAuditrailError(err, 'QUEUE_FULL') ||
    isAuditrailError(err, 'RATE_LIMITED') ||
    isAuditrailError(err, 'STORAGE_UNAVAILABLE')
  )
    return EXIT.UNAVAILABLE;
  return EXIT.FAILURE;
}
