-- Daily partitions (UTC) for every partitioned table of the schema, named <table>_pYYYYMMDD.
-- Called at start and daily for the days ahead, and by the write path for any day it has not
-- seen (a late or far-future record). Serialized by an advisory lock so that two processes
-- creating the same partition at once cannot collide.
CREATE FUNCTION auditrail_ensure_partitions(days date[]) RETURNS integer
LANGUAGE plpgsql AS $fn$
DECLARE
  parent text;
  d date;
  part text;
  created integer := 0;
BEGIN
  PERFORM pg_advisory_xact_lock(1096107090, 2);
  FOR parent IN
    SELECT c.relname FROM pg_partitioned_table pt JOIN pg_class c ON c.oid = pt.partrelid
    WHERE c.relnamespace = current_schema()::regnamespace ORDER BY 1
  LOOP
    FOREACH d IN ARRAY days LOOP
      part := parent || '_p' || to_char(d, 'YYYYMMDD');
      IF to_regclass(quote_ident(part)) IS NULL THEN
        EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%L) TO (%L)', part, parent,
          to_char(d, 'YYYY-MM-DD') || ' 00:00:00+00', to_char(d + 1, 'YYYY-MM-DD') || ' 00:00:00+00');
        created := created + 1;
      END IF;
    END LOOP;
  END LOOP;
  RETURN created;
END
$fn$;

-- The days that have partitions, from the partitions of interactions (all tables get the same).
CREATE FUNCTION auditrail_partition_days() RETURNS SETOF date
LANGUAGE sql STABLE AS $fn$
  SELECT to_date(substr(c.relname, length('interactions_p') + 1), 'YYYYMMDD')
  FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
  WHERE i.inhparent = 'interactions'::regclass AND c.relname ~ '^interactions_p[0-9]{8}$'
  ORDER BY 1
$fn$;
