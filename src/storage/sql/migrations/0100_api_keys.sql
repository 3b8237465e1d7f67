-- API keys of the server (migrations 0100+ belong to the server; 0001-0099 to the storage).
-- Only sha256(token) is stored: the token is shown once, at creation. A key belongs to one org.
-- This table is read before the caller's org is known (authentication), so it is outside the
-- per-org row-level security of the record tables; only the server's role may read it.
CREATE TABLE api_keys (
  key_id text PRIMARY KEY,
  org_id text NOT NULL,
  scopes text[] NOT NULL,
  label text,
  hash text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz,
  CHECK (scopes <@ ARRAY['ingest', 'read', 'admin']::text[] AND cardinality(scopes) > 0)
);
CREATE INDEX api_keys_org ON api_keys (org_id, created_at DESC);
