import type { StorageType } from '../server/config/config-schema.js';

/**
 * What `storage.type: auto` means with no database configured: the zero-setup default.
 * File storage until the PGlite backend is wired in.
 */
export const EMBEDDED_STORAGE: StorageType = 'file';
