import { AuditrailError, errorMessage } from '../../core/errors.js';
import type { SqlDriver } from '../../storage/sql/sql-driver.js';
import { generateToken } from './api-key.js';
import { publicInfo, type ApiKeyInfo, type CreatedApiKey, type CreateKeyInput, type KeyStore, type Scope, type StoredApiKey } from './key-store.js';

interface KeyRow {
  key_id: string;
  org_id: string;
  scopes: string[];
  label: string | null;
  hash: string;
  created_at: Date | string;
  revoked_at: Date | string | null;
}

const COLUMNS = 'key_id, org_id, scopes, label, hash, created_at, revoked_at';

/**
 * Keys in the `api_keys` table (migration 0100) of the PostgreSQL or PGlite database, through the
 * storage's SqlDriver. `ownsDriver`: close the driver on close() (the CLI opens its own).
 */
export class SqlKeyStore implements KeyStore {
  readonly name = 'sql';
  readonly #driver: SqlDriver;
  readonly #ownsDriver: boolean;

  constructor(driver: SqlDriver, ownsDriver = false) {
    this.#driver = driver;
    this.#ownsDriver = ownsDriver;
  }

  async create(input: CreateKeyInput): Promise<CreatedApiKey> {
    const { keyId, token, hash } = generateToken();
    const rows = await this.#query<KeyRow>(`INSERT INTO api_keys (key_id, org_id, scopes, label, hash) VALUES ($1, $2, $3, $4, $5) RETURNING ${COLUMNS}`, [
      keyId,
      input.orgId,
      [...new Set(input.scopes)],
      input.label ?? null,
      hash,
    ]);
    return { key: publicInfo(fromRow(rows[0]!)), token };
  }

  async find(keyId: string): Promise<StoredApiKey | undefined> {
    const rows = await this.#query<KeyRow>(`SELECT ${COLUMNS} FROM api_keys WHERE key_id = $1`, [keyId]);
    return rows[0] ? fromRow(rows[0]) : undefined;
  }

  async list(orgId?: string): Promise<ApiKeyInfo[]> {
    const rows =
      orgId === undefined
        ? await this.#query<KeyRow>(`SELECT ${COLUMNS} FROM api_keys ORDER BY created_at DESC, key_id`)
        : await this.#query<KeyRow>(`SELECT ${COLUMNS} FROM api_keys WHERE org_id = $1 ORDER BY created_at DESC, key_id`, [orgId]);
    return rows.map((r) => publicInfo(fromRow(r)));
  }

  async revoke(keyId: string, orgId?: string): Promise<boolean> {
    const rows = await this.#query<{ key_id: string }>(
      'UPDATE api_keys SET revoked_at = now() WHERE key_id = $1 AND revoked_at IS NULL AND ($2::text IS NULL OR org_id = $2) RETURNING key_id',
      [keyId, orgId ?? null],
    );
    return rows.length > 0;
  }

  async count(): Promise<number> {
    const rows = await this.#query<{ n: number | string }>('SELECT count(*)::int AS n FROM api_keys');
    return Number(rows[0]?.n ?? 0);
  }

  /** Driver errors become STORAGE_UNAVAILABLE (503, retryable), never a 500. */
  async #query<R extends object>(text: string, params?: readonly unknown[]): Promise<R[]> {
    try {
      return await this.#driver.query<R>(text, params);
    } catch (err) {
      throw new AuditrailError('STORAGE_UNAVAILABLE', `api_keys: ${errorMessage(err)}`, { cause: err });
    }
  }

  async close(): Promise<void> {
    if (this.#ownsDriver) await this.#driver.close();
  }
}

function fromRow(r: KeyRow): StoredApiKey {
  return {
    keyId: r.key_id,
    orgId: r.org_id,
    scopes: r.scopes as Scope[],
    label: r.label,
    hash: r.hash,
    createdAt: iso(r.created_at)!,
    revokedAt: iso(r.revoked_at),
  };
}

function iso(v: Date | string | null): string | null {
  if (v === null) return null;
  return (v instanceof Date ? v : new Date(v)).toISOString();
}
