-- auditrail schema, version 1: the seed-002 tables (sessions, interactions, thoughts, tool_calls,
-- performance_metrics), the seed-000 events table, the idempotency registry and the integrity
-- chain heads. Every table carries org_id so that row-level security can be switched on per org
-- (policy: org_id = current_setting('auditrail.org_id', true)). Every growing table is
-- partitioned by day on created_at (UTC); partitions are created by auditrail_ensure_partitions()
-- (migration 0002) ahead of time and on demand.
--
-- Conventions: ids that clients make (interaction_id, event_id) are uuid; every other id is text
-- (org, user, agent, session, action ids are free-form). JSON values are stored as `json` (exact
-- text: key order kept, "\u0000" escapes allowed; jsonb would reject both). Durations, sequences
-- and token counts are bigint. null_mask records which nullable fields were sent as an explicit
-- null (bit set) rather than left out, so that a record reads back exactly as it was written.
-- seq and hash are left NULL here: the integrity chain (one writer per org) fills them.

-- Idempotency registry: one row per stored record id, forever unique across partitions (a unique
-- index on a partitioned table must contain the partition key, so it cannot enforce this).
-- The write path inserts here first (ON CONFLICT DO NOTHING RETURNING id) in the same transaction
-- as the record, so a replayed or concurrent duplicate is detected without a race.
CREATE TABLE record_ids (
  id uuid PRIMARY KEY,
  org_id text NOT NULL,
  kind "char" NOT NULL,            -- 'i' interaction, 'e' event
  created_at timestamptz NOT NULL  -- the record's timestamp: locates its partition
);

-- seed-002 sessions, one row per (org, session), maintained by the write path from the
-- interactions it stores (upsert, never EXISTS-then-INSERT).
CREATE TABLE sessions (
  org_id text NOT NULL,
  session_id text COLLATE "C" NOT NULL,  -- code-point order: ties on first_seen page by it
  user_id text,
  client_ip text,
  user_agent text,
  first_seen timestamptz NOT NULL,
  last_seen timestamptz NOT NULL,
  interaction_count bigint NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, session_id)
);
CREATE INDEX sessions_org_first_seen ON sessions (org_id, first_seen DESC, session_id DESC);
CREATE INDEX sessions_first_seen ON sessions (first_seen DESC, session_id DESC);
CREATE INDEX sessions_org_user ON sessions (org_id, user_id, first_seen DESC);

-- seed-002 interactions.
CREATE TABLE interactions (
  interaction_id uuid NOT NULL,
  org_id text NOT NULL,
  created_at timestamptz NOT NULL,
  session_id text NOT NULL,
  user_id text,
  agent_id text,
  client_ip text,
  user_agent text,
  question text NOT NULL,
  model_name text NOT NULL,
  provider text,
  base_url text,
  cluster text,
  final_answer text,
  status text NOT NULL,
  error_message text,
  total_duration_ms bigint,
  assistant_duration_ms bigint,
  parse_duration_ms bigint,
  usage json,
  input_tokens bigint GENERATED ALWAYS AS ((usage ->> 'inputTokens')::bigint) STORED,
  output_tokens bigint GENERATED ALWAYS AS ((usage ->> 'outputTokens')::bigint) STORED,
  metadata json NOT NULL,
  null_mask integer NOT NULL DEFAULT 0,
  seq bigint,
  hash bytea,
  PRIMARY KEY (interaction_id, created_at)
) PARTITION BY RANGE (created_at);
CREATE INDEX interactions_org_time ON interactions (org_id, created_at DESC, interaction_id DESC);
CREATE INDEX interactions_org_session ON interactions (org_id, session_id, created_at);
CREATE INDEX interactions_org_model ON interactions (org_id, model_name, created_at);
CREATE INDEX interactions_org_user ON interactions (org_id, user_id, created_at);
-- seed idx_interactions_status, narrowed to what is looked for: the failures.
CREATE INDEX interactions_org_failed ON interactions (org_id, created_at) WHERE status <> 'success';

CREATE TABLE thoughts (
  interaction_id uuid NOT NULL,
  org_id text NOT NULL,
  created_at timestamptz NOT NULL,  -- the interaction's timestamp (same partition)
  ordinal integer NOT NULL,         -- position in the interaction's list
  sequence_number bigint NOT NULL,
  thought text NOT NULL,
  thought_at timestamptz,
  null_mask integer NOT NULL DEFAULT 0,
  PRIMARY KEY (interaction_id, ordinal, created_at)
) PARTITION BY RANGE (created_at);

CREATE TABLE tool_calls (
  interaction_id uuid NOT NULL,
  org_id text NOT NULL,
  created_at timestamptz NOT NULL,
  ordinal integer NOT NULL,
  sequence_number bigint NOT NULL,
  tool_name text NOT NULL,
  tool_input json,
  tool_observation json,
  duration_ms bigint,
  started_at timestamptz,
  status text NOT NULL,
  error_message text,
  action_id text,
  null_mask integer NOT NULL DEFAULT 0,
  PRIMARY KEY (interaction_id, ordinal, created_at)
) PARTITION BY RANGE (created_at);
CREATE INDEX tool_calls_org_tool ON tool_calls (org_id, tool_name, created_at);

CREATE TABLE performance_metrics (
  interaction_id uuid NOT NULL,
  org_id text NOT NULL,
  created_at timestamptz NOT NULL,
  ordinal integer NOT NULL,
  metric_name text NOT NULL,
  duration_ms bigint NOT NULL,
  PRIMARY KEY (interaction_id, ordinal, created_at)
) PARTITION BY RANGE (created_at);
CREATE INDEX performance_metrics_org_metric ON performance_metrics (org_id, metric_name, created_at);

-- seed-000 action and approval events: append-only.
CREATE TABLE events (
  event_id uuid NOT NULL,
  org_id text NOT NULL,
  created_at timestamptz NOT NULL,
  event_type text NOT NULL,
  user_id text NOT NULL,
  agent_id text NOT NULL,
  session_id text NOT NULL,
  action_id text NOT NULL,
  action_name text NOT NULL,
  action_params json NOT NULL,
  interaction_id uuid,
  capability_type text,
  capability_source text,
  capability_version text,
  mcp_server_id text,
  mcp_server_name text,
  requires_approval boolean NOT NULL,
  approval_granted boolean,
  approver text,
  reason text,
  success boolean,
  duration_ms bigint NOT NULL,
  error_message text,
  severity text NOT NULL,
  metadata json NOT NULL,
  null_mask integer NOT NULL DEFAULT 0,
  seq bigint,
  hash bytea,
  PRIMARY KEY (event_id, created_at)
) PARTITION BY RANGE (created_at);
CREATE INDEX events_org_time ON events (org_id, created_at DESC, event_id DESC);
CREATE INDEX events_org_action ON events (org_id, action_id, created_at);
CREATE INDEX events_org_session ON events (org_id, session_id, created_at);
CREATE INDEX events_org_interaction ON events (org_id, interaction_id) WHERE interaction_id IS NOT NULL;

-- Integrity chain: the head (last sequence and hash) of each org's chain. Filled by the writer of
-- the integrity issue; records carry seq and hash.
CREATE TABLE chain_heads (
  org_id text PRIMARY KEY,
  seq bigint NOT NULL,
  hash bytea NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
