import { AuditrailError, errorMessage } from '../core/errors.js';
import { createDataKey, generateDataKeyMaterial, type DataKey } from './data-key.js';
import type { KeyStore, StoredDataKey } from './key-store.js';
import type { MasterKey } from './master-key.js';
import { createOrgKeys, isKeyProblem, type KeyProblem, type OrgKeys, type UnavailableVersion } from './org-keys.js';

interface Entry {
  readonly keys: OrgKeys;
  readonly highest: number;
  readonly loadedAtMs: number;
}

export interface OrgKeyCacheSettings {
  readonly keyStore: KeyStore;
  readonly masterKey: MasterKey | undefined;
  readonly previousMasterKeys: readonly MasterKey[];
  readonly ttlMs: number;
  readonly now: () => number;
}

const CREATE_ATTEMPTS = 5;

/**
 * Unwrapped data keys per org, loaded from the key store and kept for ttlMs. Loads of one org
 * are shared by concurrent callers. Creating a version is insert-if-absent followed by a reload,
 * so that two processes racing to create one both end up using the same key.
 */
export class OrgKeyCache {
  readonly #s: OrgKeyCacheSettings;
  readonly #entries = new Map<string, Entry>();
  readonly #loading = new Map<string, Promise<Entry>>();
  readonly #byId: Map<string, MasterKey>;

  constructor(settings: OrgKeyCacheSettings) {
    this.#s = settings;
    const all = [settings.masterKey, ...settings.previousMasterKeys].filter((k): k is MasterKey => k !== undefined);
    this.#byId = new Map(all.map((k) => [k.id, k]));
  }

  /** The org's keys, loaded or from the cache; `needVersion` reloads a cache that does not know it yet. */
  async get(orgId: string, needVersion?: number): Promise<OrgKeys> {
    const e = this.#entries.get(orgId);
    const now = this.#s.now();
    if (e && now - e.loadedAtMs < this.#s.ttlMs) {
      // a record naming a version newer than the cache knows: created elsewhere since, look again
      if (needVersion === undefined || needVersion <= e.highest) return e.keys;
    }
    return (await this.#load(orgId)).keys;
  }

  /** The org's active key for new records, creating version 1 (or the next, when the highest was destroyed). */
  async active(orgId: string): Promise<DataKey> {
    let keys = await this.get(orgId);
    for (let attempt = 0; attempt < CREATE_ATTEMPTS; attempt++) {
      const active = keys.active;
      if (!isKeyProblem(active)) return active;
      if (active.scope === 'org') throw unavailable(orgId, active);
      keys = await this.#create(orgId, this.#entries.get(orgId)?.highest ?? 0);
    }
    throw new AuditrailError('ENCRYPTION_KEY_UNAVAILABLE', `org ${JSON.stringify(orgId)}: could not create a data key (${CREATE_ATTEMPTS} attempts lost a race)`);
  }

  /** Adds the version after the highest; returns its number. */
  async rotate(orgId: string): Promise<number> {
    await this.#load(orgId);
    for (let attempt = 0; attempt < CREATE_ATTEMPTS; attempt++) {
      const before = this.#entries.get(orgId)!.highest;
      const created = await this.#tryInsert(orgId, before + 1);
      await this.#load(orgId);
      if (created) return before + 1;
    }
    throw new AuditrailError('ENCRYPTION_KEY_UNAVAILABLE', `org ${JSON.stringify(orgId)}: could not add a data key version (${CREATE_ATTEMPTS} attempts lost a race)`);
  }

  forget(orgId?: string): void {
    if (orgId === undefined) this.#entries.clear();
    else this.#entries.delete(orgId);
  }

  /** Unwraps one stored key with whichever configured master key wrapped it. */
  unwrap(row: StoredDataKey): DataKey | KeyProblem {
    const material = this.unwrapMaterial(row);
    if (isKeyProblem(material)) return material;
    const key = createDataKey(row.orgId, row.version, material);
    material.fill(0);
    return key;
  }

  /** The raw data key of a stored row (for re-wrapping; zero it after use), or why not. */
  unwrapMaterial(row: StoredDataKey): Buffer | KeyProblem {
    if (row.destroyedAt !== null || row.wrappedKey === null || row.kekId === null) {
      return { scope: 'version', reason: `data key version ${row.version} of org ${JSON.stringify(row.orgId)} was destroyed${row.destroyedAt ? ` at ${row.destroyedAt}` : ''}` };
    }
    if (this.#byId.size === 0) return { scope: 'org', reason: 'no master key is configured (encryption.master_key or master_key_file)' };
    const kek = this.#byId.get(row.kekId);
    if (!kek) {
      return {
        scope: 'org',
        reason: `data key version ${row.version} is wrapped by master key ${row.kekId}, which is not configured (configured: ${[...this.#byId.keys()].join(', ')})`,
      };
    }
    const material = kek.unwrap(row.orgId, row.version, row.wrappedKey);
    if (!material) {
      return { scope: 'org', reason: `data key version ${row.version} does not unwrap under master key ${kek.id}: the master key is wrong or the key row was damaged` };
    }
    return material;
  }

  #load(orgId: string): Promise<Entry> {
    let p = this.#loading.get(orgId);
    if (p) return p;
    p = (async () => {
      let rows: StoredDataKey[];
      try {
        rows = await this.#s.keyStore.list(orgId);
      } catch (err) {
        throw new AuditrailError('ENCRYPTION_KEY_UNAVAILABLE', `org ${JSON.stringify(orgId)}: the key store (${this.#s.keyStore.name}) could not be read: ${errorMessage(err)}`, { cause: err });
      }
      const versions: Array<DataKey | UnavailableVersion> = rows.map((row) => {
        const k = this.unwrap(row);
        return isKeyProblem(k) ? { version: row.version, problem: k } : k;
      });
      const entry: Entry = { keys: createOrgKeys(orgId, versions), highest: Math.max(0, ...rows.map((r) => r.version)), loadedAtMs: this.#s.now() };
      this.#entries.set(orgId, entry);
      return entry;
    })().finally(() => this.#loading.delete(orgId));
    this.#loading.set(orgId, p);
    return p;
  }

  async #create(orgId: string, highest: number): Promise<OrgKeys> {
    await this.#tryInsert(orgId, highest + 1);
    return (await this.#load(orgId)).keys;
  }

  async #tryInsert(orgId: string, version: number): Promise<boolean> {
    const kek = this.#s.masterKey;
    if (!kek) throw new AuditrailError('ENCRYPTION_KEY_UNAVAILABLE', `org ${JSON.stringify(orgId)}: no master key is configured to create a data key`);
    const material = generateDataKeyMaterial();
    try {
      return await this.#s.keyStore.insert({ orgId, version, kekId: kek.id, wrappedKey: kek.wrap(orgId, version, material) });
    } catch (err) {
      throw new AuditrailError('ENCRYPTION_KEY_UNAVAILABLE', `org ${JSON.stringify(orgId)}: the key store (${this.#s.keyStore.name}) could not store data key version ${version}: ${errorMessage(err)}`, { cause: err });
    } finally {
      material.fill(0);
    }
  }
}

function unavailable(orgId: string, problem: KeyProblem): AuditrailError {
  return new AuditrailError('ENCRYPTION_KEY_UNAVAILABLE', `org ${JSON.stringify(orgId)}: ${problem.reason}`);
}
