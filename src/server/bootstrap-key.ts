import type { KeyStore } from './auth/key-store.js';
import type { AuditrailConfig } from './config/config-schema.js';

/**
 * On the first start of an embedded server (no key exists yet), creates an admin key for
 * auth.bootstrap_org and returns its token, to be shown once; only its hash is stored. Returns
 * undefined when keys exist, when disabled (auth.bootstrap_admin), or on PostgreSQL, where keys
 * are created with `auditrail keys create`.
 */
export async function ensureBootstrapKey(config: AuditrailConfig, keyStore: KeyStore): Promise<{ token: string; orgId: string; keyId: string } | undefined> {
  if (!config.auth.bootstrap_admin || config.storage.type === 'postgres') return undefined;
  if ((await keyStore.count()) > 0) return undefined;
  const created = await keyStore.create({ orgId: config.auth.bootstrap_org, scopes: ['ingest', 'read', 'admin'], label: 'bootstrap admin' });
  return { token: created.token, orgId: created.key.orgId, keyId: created.key.keyId };
}
