import type { AuditrailConfig } from '../server/config/config-schema.js';
import { CONFIG_FILE_ENV } from '../server/config/env-vars.js';
import { loadConfig, openBackends, type Backends } from '../server/index.js';
import type { CliContext } from './cli-context.js';
import { EMBEDDED_STORAGE } from './embedded-storage.js';

/**
 * Runs `fn` on the configured storage, opened beside a running server (no migration, no
 * background upkeep, no checkpoint published, no signing key created), and closes it after.
 * For the commands that work on the database directly: verify --local, keys encryption.
 */
export async function withLocalBackends<T>(configFile: string | undefined, ctx: CliContext, fn: (backends: Backends, config: AuditrailConfig) => Promise<T>): Promise<T> {
  const file = configFile ?? ctx.env[CONFIG_FILE_ENV];
  const { config } = await loadConfig({ ...(file ? { file } : {}), env: ctx.env, embeddedStorage: EMBEDDED_STORAGE });
  const backends = await openBackends(config, { upkeep: false });
  try {
    return await fn(backends, config);
  } finally {
    await backends.storage.close();
    await backends.keyStore.close();
  }
}
