import type { FieldEncryption } from '../encryption/field-encryption.js';
import type { Storage } from '../core/storage.js';
import type { Authenticator } from './auth/authenticator.js';
import type { KeyStore } from './auth/key-store.js';
import type { AuditrailConfig } from './config/config-schema.js';
import type { ServerRedaction } from './ingest/server-redaction.js';
import type { ServerMetrics } from './metrics/server-metrics.js';
import type { WriteQueue } from './queue/write-queue.js';
import type { AccessAuditor } from './tenancy/access-audit.js';

/** What route plugins get: the server's parts, created once by createAuditrailServer. */
export interface ServerContext {
  readonly config: AuditrailConfig;
  readonly storage: Storage;
  readonly queue: WriteQueue;
  readonly keyStore: KeyStore;
  readonly authenticator: Authenticator;
  readonly metrics: ServerMetrics;
  readonly access: AccessAuditor;
  /** Server-side redaction with each org's policy, applied to every record before it is queued. */
  readonly redaction: ServerRedaction;
  /** Field encryption: tenant reads decrypt through it (createTenantReader). */
  readonly encryption: FieldEncryption | undefined;
  /** True once shutdown began: new requests get 503 SHUTTING_DOWN, /readyz fails. */
  isShuttingDown(): boolean;
}
