-- Full-text search over question and final answer, kept off the write path.
--
-- A GIN index on the interactions themselves would be maintained inside every write
-- transaction (the issue measured it halving COPY throughput). Instead the write path appends
-- (interaction_id, org_id, created_at) to search_pending, an unindexed heap; a background indexer
-- moves those rows in small transactions into interaction_search, whose `doc` column carries a
-- trigram GIN index. A search reads candidates from interaction_search (index) plus every row
-- still in search_pending (a short tail), then checks the exact predicate on interactions, so
-- results are exact however far the indexer lags.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE search_pending (
  interaction_id uuid NOT NULL,
  org_id text NOT NULL,
  created_at timestamptz NOT NULL
);

CREATE TABLE interaction_search (
  interaction_id uuid NOT NULL,
  org_id text NOT NULL,
  created_at timestamptz NOT NULL,
  doc text NOT NULL
) PARTITION BY RANGE (created_at);
CREATE INDEX interaction_search_doc ON interaction_search USING gin (doc gin_trgm_ops);

-- The searchable document: the lower-cased question and answer, then every CJK bigram as a
-- space-delimited word. Trigrams cannot index a two-character term, and Chinese words are mostly
-- two characters (集群, 节点, 日志): the term 集群 is looked up as the word ' 集群 ', whose
-- padded trigrams are selective.
CREATE FUNCTION auditrail_search_doc(question text, answer text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fn$
  SELECT d || coalesce(E'\n ' || (
    SELECT string_agg(DISTINCT substr(r.run[1], g.i, 2), ' ') || ' '
    FROM regexp_matches(d, '[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]{2,}', 'g') AS r(run),
         generate_series(1, length(r.run[1]) - 1) AS g(i)
  ), '')
  FROM (SELECT lower(question || E'\n' || coalesce(answer, '')) AS d) AS s
$fn$;
