import { errorMessage, isAuditrailError, type AuditRecord, type Exporter, type ExportResult, type Storage } from '../core/index.js';

export interface StorageExporterOptions {
  /** Close the storage when the logger shuts down. Default false: the storage belongs to whoever made it. */
  readonly closeOnShutdown?: boolean;
}

/** Node error codes of conditions that pass (network, descriptor or lock pressure). */
const TRANSIENT_ERRNO = new Set(['ECONNRESET', 'ECONNREFUSED', 'ECONNABORTED', 'ETIMEDOUT', 'EPIPE', 'EAGAIN', 'EBUSY', 'EMFILE', 'ENFILE', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN']);

/**
 * Whether a failed append may succeed if sent again. Storages report passing trouble as
 * AUDITRAIL_ERR_STORAGE_UNAVAILABLE (the contract) or STORAGE_FULL (space can be freed); raw
 * network/errno errors and PostgreSQL's connection, serialization, deadlock and resource
 * SQLSTATEs are also treated as transient in case a backend lets one through.
 */
export function isTransientStorageError(err: unknown): boolean {
  if (isAuditrailError(err, 'STORAGE_UNAVAILABLE') || isAuditrailError(err, 'STORAGE_FULL')) return true;
  if (isAuditrailError(err)) return false;
  const code = typeof err === 'object' && err !== null ? (err as { code?: unknown }).code : undefined;
  if (typeof code !== 'string') return false;
  return TRANSIENT_ERRNO.has(code) || /^(08|53|57P0)/.test(code) || code === '40001' || code === '40P01';
}

/**
 * Sends batches to a Storage (embedded mode). A resolved append is `success` (duplicates of
 * stored ids included: the storage is idempotent); a transient error is `retryable`; anything
 * else (a closed storage, a refused batch) is `failure`.
 */
export function createStorageExporter(storage: Storage, options: StorageExporterOptions = {}): Exporter {
  const closeOnShutdown = options.closeOnShutdown ?? false;
  return Object.freeze({
    name: `storage:${storage.name}`,
    async export(records: readonly AuditRecord[]): Promise<ExportResult> {
      try {
        await storage.append(records);
        return { code: 'success' } as const;
      } catch (err) {
        const error = err instanceof Error ? err : new Error(errorMessage(err));
        return isTransientStorageError(err) ? { code: 'retryable', error } : { code: 'failure', error };
      }
    },
    async shutdown(): Promise<void> {
      if (closeOnShutdown) await storage.close();
    },
  });
}
