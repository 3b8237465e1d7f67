/** The append-only file storage (JSONL segments). Import from here, not from a storage barrel. */
export { createFileStorage, type FileStorage } from './file-storage.js';
export type { FileStorageOptions, ResolvedFileStorageOptions } from './options.js';
export type { FileStorageDiagnostic, FileStorageDiagnosticHook, FileStorageStats } from './diagnostics.js';
