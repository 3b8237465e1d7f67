-- Field encryption at rest (src/encryption, docs/encryption.md). Migrations 0200-0299 belong to
-- encryption (0001-0099 the storage, 0100-0199 the server).
--
-- Each org's data keys, one row per version, wrapped (AES-256-GCM) by a master key that the
-- database never holds: whoever reads this table, or a backup of it, cannot decrypt anything
-- without the master key. The highest version of an org encrypts its new records; every version
-- stays to decrypt the rows that name it. Destroying a version erases its wrapped key and keeps
-- the row (a tombstone), so the version number is never reused. Like api_keys, the table is read
-- by the server's role for any org and is not under the per-org row-level security.
CREATE TABLE encryption_keys (
  org_id text COLLATE "C" NOT NULL,
  version integer NOT NULL CHECK (version > 0),
  kek_id text,                          -- the wrapping master key's id (not the key); NULL once destroyed
  wrapped_key text,                     -- base64url(iv || ciphertext || tag); NULL once destroyed
  created_at timestamptz NOT NULL DEFAULT now(),
  rewrapped_at timestamptz,             -- last master key rotation that re-wrapped it
  destroyed_at timestamptz,
  PRIMARY KEY (org_id, version),
  CHECK ((destroyed_at IS NULL) = (kek_id IS NOT NULL AND wrapped_key IS NOT NULL))
);
