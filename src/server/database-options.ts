import { join, resolve } from 'node:path';
import type { AuditrailConfig } from './config/config-schema.js';

/** The PostgreSQL connection string of a configuration: audit.database.url, else built from its fields. */
export function connectionString(config: AuditrailConfig): string {
  const d = config.audit.database;
  if (d.url) return d.url;
  const auth = d.password ? `${encodeURIComponent(d.user)}:${encodeURIComponent(d.password)}` : encodeURIComponent(d.user);
  const host = d.host.includes(':') && !d.host.startsWith('[') ? `[${d.host}]` : d.host;
  return `postgres://${auth}@${host}:${d.port}/${encodeURIComponent(d.dbname)}?sslmode=${d.sslmode}`;
}

/** seed-002 retention as the SQL storages' retention options (archives under data_dir/archive). */
export function retentionOptions(config: AuditrailConfig) {
  const r = config.audit.retention;
  if (r.days === 0) return undefined;
  return { days: r.days, autoCleanup: r.auto_cleanup, cleanupTime: r.cleanup_time, archiveDir: join(resolve(config.storage.data_dir), 'archive') };
}

/** Where a configuration's database is, for messages (never the password). */
export function describeDatabase(config: AuditrailConfig): string {
  try {
    const u = new URL(connectionString(config));
    return `${u.protocol}//${u.username ? `${decodeURIComponent(u.username)}@` : ''}${u.host}${u.pathname}`;
  } catch {
    return 'postgres';
  }
}
