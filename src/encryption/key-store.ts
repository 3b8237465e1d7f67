/**
 * One version of an org's data key as stored: wrapped by a master key, never in clear. A destroyed
 * version keeps its row as a tombstone (no wrapped key) so that its number is never reused: its
 * ciphertexts then fail as "destroyed", not as if another key had made them.
 */
export interface StoredDataKey {
  readonly orgId: string;
  readonly version: number;
  /** Id of the master key that wrapped it (MasterKey.id); null once destroyed. */
  readonly kekId: string | null;
  /** base64url(iv || ciphertext || tag) of the 32-byte data key; null once destroyed. */
  readonly wrappedKey: string | null;
  /** ISO 8601 UTC. */
  readonly createdAt: string;
  readonly destroyedAt: string | null;
}

export interface NewDataKey {
  readonly orgId: string;
  readonly version: number;
  readonly kekId: string;
  readonly wrappedKey: string;
}

export interface KeyPosition {
  readonly orgId: string;
  readonly version: number;
}

/**
 * The seam for wrapped data keys (docs/encryption.md, "Key store"). Implementations: memory
 * (tests, embedded use) and SQL (the `encryption_keys` table of migration 0200). Every write is
 * conditional, so several processes can share one store without locks:
 * - insert() is insert-if-absent: two processes creating version n of one org both call it, one
 *   wins, and the loser reads the winner's key back before using any.
 * - rewrap() is compare-and-set on the wrapping master key.
 * Failures reject (the caller reports ENCRYPTION_KEY_UNAVAILABLE with the cause).
 */
export interface KeyStore {
  readonly name: string;
  /** Every version of the org's data key, destroyed ones included, by ascending version. */
  list(orgId: string): Promise<StoredDataKey[]>;
  /** Stores a new version; false when the org already has that version. */
  insert(key: NewDataKey): Promise<boolean>;
  /** Replaces the wrapping if the key is still wrapped by `expectedKekId`; true when replaced. */
  rewrap(orgId: string, version: number, expectedKekId: string, next: { readonly kekId: string; readonly wrappedKey: string }): Promise<boolean>;
  /** Erases the wrapped key and keeps a tombstone; false when absent or already destroyed. */
  destroy(orgId: string, version: number): Promise<boolean>;
  /** Live (not destroyed) keys of every org in (orgId, version) order after `after`: for master key rotation. */
  page(after: KeyPosition | null, limit: number): Promise<StoredDataKey[]>;
}
