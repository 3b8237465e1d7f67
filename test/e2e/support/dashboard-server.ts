import { pino } from 'pino';
import { MemoryStorage } from '../../../src/core/memory-storage.js';
import type { Storage } from '../../../src/core/storage.js';
import type { StorageStatsSource } from '../../../src/server/metrics/storage-stats.js';
import type { Scope } from '../../../src/server/auth/key-store.js';
import { MemoryKeyStore } from '../../../src/server/auth/memory-key-store.js';
import { loadConfig } from '../../../src/server/config/load-config.js';
import { createAuditrailServer, type AuditrailServer } from '../../../src/server/create-server.js';

export interface DashboardServer {
  readonly server: AuditrailServer;
  /** http://127.0.0.1:<port> */
  readonly url: string;
  /** A key of org `acme` with the ingest and read scopes. */
  readonly key: string;
  createKey(orgId: string, scopes: Scope[]): Promise<string>;
  /** POST /v1/events with `key`; throws unless every record was accepted. */
  ingest(records: readonly object[], key?: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * The real auditrail server (createAuditrailServer, which serves dashboard/dist at /) on memory
 * storage (or the one given), listening on a free port.
 */
export async function startDashboardServer(options: { storage?: Storage & StorageStatsSource } = {}): Promise<DashboardServer> {
  const { config } = await loadConfig({
    env: { AUDITRAIL_STORAGE_TYPE: 'memory', AUDITRAIL_RATE_LIMIT_ENABLED: 'false', AUDITRAIL_ASYNC_BATCH_INTERVAL_MS: '0', AUDITRAIL_PORT: '0', AUDITRAIL_HOST: '127.0.0.1' },
  });
  const keyStore = new MemoryKeyStore();
  const server = createAuditrailServer({ config, storage: options.storage ?? new MemoryStorage(), keyStore, logger: pino({ level: 'silent' }), version: 'e2e' });
  const url = await server.listen();
  const createKey = async (orgId: string, scopes: Scope[]) => (await keyStore.create({ orgId, scopes })).token;
  const key = await createKey('acme', ['ingest', 'read']);

  async function ingest(records: readonly object[], withKey = key): Promise<void> {
    const res = await fetch(`${url}/v1/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${withKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(records),
    });
    const body = (await res.json()) as { accepted?: number; results?: unknown };
    if (res.status !== 200 || body.accepted !== records.length) throw new Error(`ingest failed: ${res.status} ${JSON.stringify(body).slice(0, 2000)}`);
  }

  return { server, url, key, createKey, ingest, close: () => server.close() };
}
