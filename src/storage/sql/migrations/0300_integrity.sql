-- The integrity chain (docs/integrity.md): every stored record carries its org's seq and hash,
-- assigned by the writer under the org's chain lock; chain_heads (0001) holds each org's head.
-- Verify and proofs read an org's records in seq order: one index per table.
CREATE INDEX events_org_seq ON events (org_id, seq) WHERE seq IS NOT NULL;
CREATE INDEX interactions_org_seq ON interactions (org_id, seq) WHERE seq IS NOT NULL;

-- Signed checkpoints (periodic, and the seals retention writes before it drops records), each
-- stored exactly as signed. The same checkpoints are appended to an external log after commit;
-- external_appended says which still wait for that (retried at start and by the checkpoint timer).
CREATE TABLE checkpoints (
  org_id text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('periodic', 'seal')),
  from_seq bigint NOT NULL,
  to_seq bigint NOT NULL,
  cut_at timestamptz NOT NULL,
  body json NOT NULL,
  external_appended boolean NOT NULL DEFAULT false,
  PRIMARY KEY (org_id, to_seq, kind, cut_at)
);
CREATE INDEX checkpoints_pending_external ON checkpoints (cut_at) WHERE NOT external_appended;
