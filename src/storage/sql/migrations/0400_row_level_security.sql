-- Tenant isolation in the database itself (docs/storage.md, "Row-level security"). The server
-- runs every read of an org in a transaction as the non-owner role auditrail_reader with
-- auditrail.org_id set (SET LOCAL), so a handler that forgot or mixed up the org filter still
-- reads only that org's rows. The owner (the writer: COPY, retention, verify) is not forced
-- through the policies: COPY FROM refuses tables whose row-level security applies to its user.
DO $$
BEGIN
  CREATE ROLE auditrail_reader NOLOGIN;
EXCEPTION
  WHEN duplicate_object THEN NULL; -- roles are per cluster: another database created it
  WHEN unique_violation THEN NULL; -- two migrations creating it at the same moment
  WHEN insufficient_privilege THEN RAISE NOTICE 'cannot create the role auditrail_reader: tenant reads fall back to the query filter';
END $$;

DO $$
DECLARE t text;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'auditrail_reader') THEN RETURN; END IF;
  EXECUTE format('GRANT USAGE ON SCHEMA %I TO auditrail_reader', current_schema());
  FOREACH t IN ARRAY ARRAY['record_ids', 'sessions', 'interactions', 'thoughts', 'tool_calls', 'performance_metrics', 'events', 'search_pending', 'interaction_search', 'chain_heads', 'checkpoints'] LOOP
    EXECUTE format('GRANT SELECT ON %I TO auditrail_reader', t);
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format($p$CREATE POLICY auditrail_tenant ON %I FOR SELECT TO auditrail_reader USING (org_id = current_setting('auditrail.org_id', true))$p$, t);
  END LOOP;
END $$;

-- The role that runs the server may switch to the reader (superusers can anyway).
DO $$
BEGIN
  EXECUTE format('GRANT auditrail_reader TO %I', current_user);
EXCEPTION
  WHEN insufficient_privilege THEN RAISE NOTICE 'cannot grant auditrail_reader to %: tenant reads fall back to the query filter', current_user;
  WHEN others THEN NULL;
END $$;
