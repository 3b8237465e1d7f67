-- Retention bookkeeping: one row per expired day being removed. A run moves a day through
-- archiving -> archived -> dropped; the archive is written and checksummed before the state
-- becomes 'archived', and the partitions are dropped in the same transaction that records
-- 'dropped'. A run that crashed leaves its row in 'archiving' (archive redone) or 'archived'
-- (archive verified, then dropped), so the next run finishes the job and nothing is half-deleted.
-- System bookkeeping, not org data: it spans all orgs of the day.
CREATE TABLE retention_runs (
  day date PRIMARY KEY,
  state text NOT NULL CHECK (state IN ('archiving', 'archived', 'dropped')),
  archive_path text,
  sha256 text,
  row_counts json,
  started_at timestamptz NOT NULL DEFAULT now(),
  archived_at timestamptz,
  dropped_at timestamptz
);
