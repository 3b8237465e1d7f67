import { pino, type Logger } from 'pino';
import { MemoryStorage } from '../../core/memory-storage.js';
import type { Storage } from '../../core/storage.js';
import type { Scope } from '../auth/key-store.js';
import { MemoryKeyStore } from '../auth/memory-key-store.js';
import { loadConfig } from '../config/load-config.js';
import { createAuditrailServer, type AuditrailServer } from '../create-server.js';
import type { OrgRedactors } from '../ingest/org-redactors.js';

export interface TestServer {
  readonly server: AuditrailServer;
  readonly storage: Storage;
  readonly keyStore: MemoryKeyStore;
  /** Tokens: org_a (all scopes), org_b (all scopes). */
  readonly keyA: string;
  readonly keyB: string;
  key(orgId: string, scopes: Scope[]): Promise<string>;
  close(): Promise<void>;
}

export interface TestServerOptions {
  readonly env?: Record<string, string>;
  readonly storage?: Storage;
  /** Default: built from the configuration (redaction.*), as `auditrail serve` does. */
  readonly redactors?: OrgRedactors;
  /** Default: silent. */
  readonly logger?: Logger;
}

/** A server on memory storage (or the given one) with two orgs' keys; config from env-style overrides. */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const { config } = await loadConfig({
    env: { AUDITRAIL_STORAGE_TYPE: 'memory', AUDITRAIL_RATE_LIMIT_ENABLED: 'false', AUDITRAIL_ASYNC_BATCH_INTERVAL_MS: '0', AUDITRAIL_PORT: '0', ...options.env },
  });
  const storage = options.storage ?? new MemoryStorage();
  const keyStore = new MemoryKeyStore();
  const server = createAuditrailServer({ config, storage, keyStore, logger: options.logger ?? pino({ level: 'silent' }), version: 'test', ...(options.redactors ? { redactors: options.redactors } : {}) });
  const key = async (orgId: string, scopes: Scope[]) => (await keyStore.create({ orgId, scopes })).token;
  const keyA = await key('org_a', ['ingest', 'read', 'admin']);
  const keyB = await key('org_b', ['ingest', 'read', 'admin']);
  return { server, storage, keyStore, keyA, keyB, key, close: () => server.close() };
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
