/**
 * The dependency-light storages: memory (from core) and append-only files (Node built-ins only).
 * Not a barrel of every backend: PostgreSQL and PGlite pull heavy dependencies and are imported
 * from their own folders (src/storage/postgres, src/storage/pglite) by those who use them.
 */
export { MemoryStorage, createMemoryStorage } from '../core/memory-storage.js';
export { createFileStorage, type FileStorage, type FileStorageDiagnostic, type FileStorageOptions, type FileStorageStats } from './file/index.js';
