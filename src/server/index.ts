/**
 * The auditrail server: HTTP ingestion, query, analytics, export, API keys, metrics. Start it with
 * `auditrail serve`, or embed it: loadConfig() -> openBackends() -> createAuditrailServer().
 */
export { createAuditrailServer, type AuditrailServer, type AuditrailServerOptions } from './create-server.js';
export { loadConfig, type LoadConfigOptions, type LoadedConfig } from './config/load-config.js';
export type { AuditrailConfig, StorageType } from './config/config-schema.js';
export { configLeaves, type ConfigLeaf } from './config/config-leaves.js';
export { ENV_VARS, ENV_ALIASES, CONFIG_FILE_ENV } from './config/env-vars.js';
export { openBackends, openKeyStore, type Backends } from './open-backends.js';
export { createOrgRedactors, orgRedactorsFromConfig, singleRedactor, NO_REDACTION, type OrgRedactors, type OrgRedactorsOptions } from './ingest/org-redactors.js';
export { defaultRedactionPolicies, loadRedactionPolicies, parseRedactionPolicies, type RedactionPolicies } from './config/redaction-policies.js';
export { ensureBootstrapKey } from './bootstrap-key.js';
export { SCOPES, type ApiKeyInfo, type CreatedApiKey, type KeyStore, type Scope } from './auth/key-store.js';
export { MemoryKeyStore, createMemoryKeyStore } from './auth/memory-key-store.js';
export { FileKeyStore, createFileKeyStore } from './auth/file-key-store.js';
export { InProcessWriteQueue, createInProcessWriteQueue, type InProcessWriteQueueOptions } from './queue/in-process-write-queue.js';
export type { WriteQueue, WriteQueueObserver, WriteQueueStats, SubmitOptions } from './queue/write-queue.js';
export type { OrgScopedStorage } from './tenancy/tenant-reader.js';
export type { StorageStats, StorageStatsSource } from './metrics/storage-stats.js';
export { SERVER_AGENT_ID } from './tenancy/access-audit.js';
export { EXPORT_END_KIND } from './export/export-stream.js';
export { buildOpenApiDocument } from './openapi/openapi-document.js';
