/** An auditrail server in this process, for when no AUDITRAIL_URL is given. */
import { pino } from 'pino';
import { createAuditrailServer, loadConfig, openBackends, type AuditrailServer } from '../../src/server/index.js';

export interface EmbeddedAuditrail {
  readonly url: string;
  readonly apiKey: string;
  readonly orgId: string;
  readonly storage: string;
  readonly server: AuditrailServer;
}

/**
 * Starts the server as `auditrail serve` would, on memory storage by default (nothing left behind;
 * AUDITRAIL_STORAGE_TYPE=pglite keeps the records in AUDITRAIL_DATA_DIR), on AUDITRAIL_PORT (default:
 * any free port), and makes an ingest+read key for the example's org.
 */
export async function startEmbeddedAuditrail(env: NodeJS.ProcessEnv, orgId: string): Promise<EmbeddedAuditrail> {
  const { config } = await loadConfig({
    env: {
      ...env,
      AUDITRAIL_STORAGE_TYPE: env.AUDITRAIL_STORAGE_TYPE ?? 'memory',
      AUDITRAIL_PORT: env.AUDITRAIL_PORT ?? '0',
      AUDITRAIL_DATA_DIR: env.AUDITRAIL_DATA_DIR ?? '.auditrail/example-ops-agent',
      AUDITRAIL_LOG_LEVEL: env.AUDITRAIL_LOG_LEVEL ?? 'warn',
    },
    embeddedStorage: 'pglite',
  });
  const backends = await openBackends(config);
  const { token } = await backends.keyStore.create({ orgId, scopes: ['ingest', 'read'], label: 'ops-agent example' });
  const server = createAuditrailServer({ config, storage: backends.storage, keyStore: backends.keyStore, logger: pino({ level: config.logging.level }) });
  const url = await server.listen();
  return { url, apiKey: token, orgId, storage: config.storage.type === 'memory' ? 'memory storage: gone when it stops' : `${config.storage.type} in ${backends.location}`, server };
}
