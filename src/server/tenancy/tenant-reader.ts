import type { AnalyticsQuery, AnalyticsRow } from '../../core/analytics.js';
import type { AuditEvent } from '../../core/audit-event.js';
import type { Interaction } from '../../core/interaction.js';
import type { AuditQuery, Page } from '../../core/query.js';
import type { SessionSummary, Storage } from '../../core/storage.js';
import { createEncryptingStorage } from '../../encryption/encrypting-storage.js';
import type { FieldEncryption } from '../../encryption/field-encryption.js';

/**
 * An optional capability of a storage: a view whose every statement runs with the org set in the
 * database session (PostgreSQL row-level security: the reader role and `auditrail.org_id` per transaction), so a
 * handler bug still cannot read another org's rows. When a storage has it, the server reads
 * through it; the org filter is passed as well (defence in depth).
 */
export interface OrgScopedStorage {
  forOrg(orgId: string): Storage;
}

/** Reads of one org: the only way route handlers reach stored data. */
export interface TenantReader {
  readonly orgId: string;
  queryEvents(query: AuditQuery): Promise<Page<AuditEvent>>;
  countEvents(query: AuditQuery): Promise<number>;
  queryInteractions(query: AuditQuery): Promise<Page<Interaction>>;
  countInteractions(query: AuditQuery): Promise<number>;
  getEvent(eventId: string): Promise<AuditEvent | undefined>;
  getInteraction(interactionId: string): Promise<Interaction | undefined>;
  querySessions(query: AuditQuery): Promise<Page<SessionSummary>>;
  analytics(query: AnalyticsQuery): Promise<AnalyticsRow[]>;
}

export function isOrgScoped(storage: Storage): storage is Storage & OrgScopedStorage {
  return typeof (storage as Partial<OrgScopedStorage>).forOrg === 'function';
}

/**
 * With `encryption`, what is returned is decrypted (a field that fails to decrypt is marked in
 * lists and an error for one record) and a search over an org's encrypted text is refused
 * (SEARCH_UNAVAILABLE) rather than answered from ciphertext.
 */
export function createTenantReader(storage: Storage, orgId: string, encryption?: FieldEncryption): TenantReader {
  const base = encryption ? createEncryptingStorage(storage, encryption, { listFailures: 'mark' }) : storage;
  const s = isOrgScoped(base) ? base.forOrg(orgId) : base;
  const scoped = <Q extends { orgId?: string | undefined }>(q: Q): Q => ({ ...q, orgId });
  return {
    orgId,
    queryEvents: (q) => s.queryEvents(scoped(q)),
    countEvents: (q) => s.countEvents(scoped(q)),
    queryInteractions: (q) => s.queryInteractions(scoped(q)),
    countInteractions: (q) => s.countInteractions(scoped(q)),
    getEvent: (id) => s.getEvent(id, orgId),
    getInteraction: (id) => s.getInteraction(id, orgId),
    querySessions: (q) => s.querySessions(scoped(q)),
    analytics: (q) => s.analytics(scoped(q)),
  };
}
