import type { AnalyticsQuery, AnalyticsRow } from '../core/analytics.js';
import type { AuditEvent } from '../core/audit-event.js';
import { AuditrailError } from '../core/errors.js';
import type { Interaction } from '../core/interaction.js';
import type { AuditQuery, Page } from '../core/query.js';
import type { AuditRecord } from '../core/record.js';
import type { AppendResult, SessionSummary, Storage } from '../core/storage.js';
import type { DecryptRecordOptions } from './decrypt-record.js';
import type { FieldEncryption } from './field-encryption.js';

export interface EncryptingStorageOptions {
  /** What a field that cannot be decrypted does in list reads (default 'throw'); single reads always throw. */
  readonly listFailures?: DecryptRecordOptions['onFailure'];
}

/**
 * A Storage that encrypts on append and decrypts on read, over any backend: for embedded use
 * (an agent writing straight to a storage) and tests. The inner storage, and so the integrity
 * chain, sees only ciphertext. A query with `search` on an org whose questions or answers are
 * encrypted is refused (SEARCH_UNAVAILABLE) rather than answered from ciphertext. When the
 * inner storage has forOrg() (row-level security), the wrapper has it too. Other capabilities
 * of the inner storage (retention, search indexing) are reached on the inner storage itself.
 */
export function createEncryptingStorage(inner: Storage, encryption: FieldEncryption, options: EncryptingStorageOptions = {}): Storage {
  const list = { onFailure: options.listFailures ?? 'throw' } as const;
  const page = async <T extends AuditRecord>(p: Page<T>): Promise<Page<T>> => ({ items: await encryption.decryptRecords(p.items, list), nextCursor: p.nextCursor });
  const one = async <T extends AuditRecord>(r: T | undefined): Promise<T | undefined> => (r === undefined ? undefined : encryption.decryptRecord(r));
  const storage: Storage = {
    name: `encrypted(${inner.name})`,
    async append(records: readonly AuditRecord[]): Promise<AppendResult> {
      return inner.append(await encryption.encryptRecords(records));
    },
    async queryEvents(query: AuditQuery): Promise<Page<AuditEvent>> {
      return page(await inner.queryEvents(query));
    },
    countEvents: (query: AuditQuery) => inner.countEvents(query),
    async queryInteractions(query: AuditQuery): Promise<Page<Interaction>> {
      refuseSearch(encryption, query);
      return page(await inner.queryInteractions(query));
    },
    async countInteractions(query: AuditQuery): Promise<number> {
      refuseSearch(encryption, query);
      return inner.countInteractions(query);
    },
    async getEvent(eventId: string, orgId?: string): Promise<AuditEvent | undefined> {
      return one(await inner.getEvent(eventId, orgId));
    },
    async getInteraction(interactionId: string, orgId?: string): Promise<Interaction | undefined> {
      return one(await inner.getInteraction(interactionId, orgId));
    },
    querySessions: (query: AuditQuery): Promise<Page<SessionSummary>> => inner.querySessions(query),
    analytics: (query: AnalyticsQuery): Promise<AnalyticsRow[]> => inner.analytics(query),
    close: () => inner.close(),
  };
  const scoped = inner as Storage & { forOrg?: (orgId: string) => Storage };
  if (typeof scoped.forOrg === 'function') {
    const forOrg = scoped.forOrg.bind(inner);
    return Object.assign(storage, { forOrg: (orgId: string) => createEncryptingStorage(forOrg(orgId), encryption, options) });
  }
  return storage;
}

/**
 * Refuses a search whose result would depend on encrypted text. Without an org filter the query
 * spans orgs, and one encrypted org is enough to refuse it.
 */
export function refuseSearch(encryption: FieldEncryption, query: Pick<AuditQuery, 'search' | 'orgId'>): void {
  if (query.search === undefined) return;
  if (!encryption.searchAvailable(query.orgId)) throw new AuditrailError('SEARCH_UNAVAILABLE', query.orgId === undefined ? 'encrypted orgs are among those searched' : `org ${JSON.stringify(query.orgId)}`);
}
