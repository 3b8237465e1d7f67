import type { StorageType } from '../server/config/config-schema.js';

/**
 * What `storage.type: auto` means with no database configured: the zero-setup default, the
 * PostgreSQL schema on PGlite in the data folder.
 */
export const EMBEDDED_STORAGE: StorageType = 'pglite';
