export const SCOPES = ['ingest', 'read', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

/** What may be shown about a key: never its secret or hash. */
export interface ApiKeyInfo {
  readonly keyId: string;
  readonly orgId: string;
  readonly scopes: readonly Scope[];
  readonly label: string | null;
  readonly createdAt: string;
  readonly revokedAt: string | null;
}

export interface StoredApiKey extends ApiKeyInfo {
  /** sha256 of the token, hex. */
  readonly hash: string;
}

export interface CreatedApiKey {
  readonly key: ApiKeyInfo;
  /** The token: shown once, never stored. */
  readonly token: string;
}

export interface CreateKeyInput {
  readonly orgId: string;
  readonly scopes: readonly Scope[];
  readonly label?: string | null;
}

/**
 * Where API keys live. Implementations: memory (tests, memory storage), a JSON file in the data
 * folder (embedded mode), SQL (PostgreSQL/PGlite, once migrations land). Keys are only ever
 * stored hashed; revoked keys stay listed with revokedAt.
 */
export interface KeyStore {
  readonly name: string;
  create(input: CreateKeyInput): Promise<CreatedApiKey>;
  find(keyId: string): Promise<StoredApiKey | undefined>;
  /** Keys of one org, or of all orgs; newest first. */
  list(orgId?: string): Promise<ApiKeyInfo[]>;
  /** Revokes a key (of `orgId` when given); false when there is no such (active) key. */
  revoke(keyId: string, orgId?: string): Promise<boolean>;
  count(): Promise<number>;
  close(): Promise<void>;
}

export function publicInfo(k: StoredApiKey): ApiKeyInfo {
  return { keyId: k.keyId, orgId: k.orgId, scopes: k.scopes, label: k.label, createdAt: k.createdAt, revokedAt: k.revokedAt };
}
