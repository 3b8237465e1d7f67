-- Tenant isolation in the database itself (docs/storage.md, "Row-level security"). The server
-- runs every read of an org in a transaction as this database's non-owner reader role with
-- auditrail.org_id set (SET LOCAL), so a handler that forgot or mixed up the org filter still
-- reads only that org's rows. The owner (the writer: COPY, retention, verify) is not forced
-- through the policies: COPY FROM refuses tables whose row-level security applies to its user.
-- Roles belong to the whole PostgreSQL server: the role is named after this database
-- (tenant-role.ts), so being granted one deployment's reader opens no other deployment's data.
DO $$
DECLARE
  reader text := 'auditrail_reader_' || substr(md5(current_database()), 1, 16);
  t text;
BEGIN
  BEGIN
    EXECUTE format('CREATE ROLE %I NOLOGIN', reader);
  EXCEPTION
    WHEN duplicate_object OR unique_violation THEN NULL; -- a database of the same name had it
    WHEN insufficient_privilege THEN
      RAISE NOTICE 'cannot create the role %: tenant reads fall back to the query filter', reader;
      RETURN;
  END;
  EXECUTE format('GRANT USAGE ON SCHEMA %I TO %I', current_schema(), reader);
  FOREACH t IN ARRAY ARRAY['record_ids', 'sessions', 'interactions', 'thoughts', 'tool_calls', 'performance_metrics', 'events', 'search_pending', 'interaction_search', 'chain_heads', 'checkpoints'] LOOP
    EXECUTE format('GRANT SELECT ON %I TO %I', t, reader);
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format($p$CREATE POLICY auditrail_tenant ON %I FOR SELECT TO %I USING (org_id = current_setting('auditrail.org_id', true))$p$, t, reader);
  END LOOP;
  -- the role that runs the server may switch to the reader (superusers can anyway)
  BEGIN
    EXECUTE format('GRANT %I TO %I', reader, current_user);
  EXCEPTION
    WHEN insufficient_privilege THEN RAISE NOTICE 'cannot grant % to %: tenant reads fall back to the query filter', reader, current_user;
  END;
END $$;
