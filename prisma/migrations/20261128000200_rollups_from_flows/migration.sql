-- Rollups straight from the flow rows: the writer no longer COPYs 1-minute deltas beside the flows.
-- Measured on the 2-core reference machine, the delta COPY cost as much as the COPY of the flows
-- themselves (busy clusters have nearly one distinct pod-pair/port/policy key per flow in a batch),
-- and the collector spent ~4 µs per flow building, merging, sorting and printing them.
--
-- Now each ingest batch's transaction records the batch in `rollup_pending_batches` (one row per
-- batch), and the edge_rollup_* views add the 1-minute aggregate of the flows of pending batches to
-- the stores, so the rollups are current the moment a batch commits, exactly as before. The compactor
-- folds pending batches into the stores in one statement (Postgres aggregates ~2M rows/s, far cheaper
-- than a second COPY), deleting their pending rows in the same statement.

-- Fold any deltas still pending with the previous function, before it and the delta table go.
SELECT flowlens_compact_rollups();

-- Every flow row now carries its ingest batch (its original text is in raw_batches when kept).
ALTER TABLE flows RENAME COLUMN raw_batch_id TO batch_id;
-- Finds the rows of pending batches. A B-tree, not a BRIN: new BRIN ranges stay unsummarized until a
-- vacuum reaches them, and every unsummarized range would be scanned on each compaction and rollup read.
-- Batch ids grow with time, so inserts append at the right edge of the index (cheap under COPY).
CREATE INDEX flows_batch_idx ON flows (batch_id);
ALTER SEQUENCE raw_batches_id_seq RENAME TO ingest_batches_id_seq;

CREATE TABLE rollup_pending_batches (
    batch_id    bigint      NOT NULL PRIMARY KEY,
    cluster_id  integer     NOT NULL,
    -- The batch's flows' start times: bound the flow scan to the partitions (days) they are in.
    first_start timestamptz NOT NULL,
    last_start  timestamptz NOT NULL
);

-- The 1-minute aggregate of the flows of pending batches; same rules as the stores: a second report
-- of a connection (counted = false) keeps its row (its policy was seen) but adds nothing to totals.
-- A function rather than a plain view over `flows`: every rollup read would otherwise plan the scan of
-- every day partition of `flows` (a cost that grows with retention, paid even when nothing is pending);
-- here the scan is planned with the pending batches' time span known, so only their days are planned,
-- and nothing at all when no batch is pending. STABLE: its query sees the calling statement's snapshot,
-- which the compactor relies on.
CREATE FUNCTION flowlens_pending_rollup() RETURNS TABLE (
    cluster_id integer, bucket timestamptz, src_id bigint, dst_id bigint, dst_port integer, protocol text, verdict text,
    policy_key text, pending_verdict text, flows bigint, connections bigint, bytes_out bigint, bytes_in bigint,
    packets_out bigint, packets_in bigint, last_seen timestamptz
) LANGUAGE plpgsql STABLE ROWS 100 AS $$
DECLARE
    batch_ids bigint[];
    first_start_at timestamptz;
    last_start_at timestamptz;
BEGIN
    SELECT array_agg(p.batch_id), min(p.first_start), max(p.last_start) INTO batch_ids, first_start_at, last_start_at
    FROM rollup_pending_batches p;
    IF batch_ids IS NULL THEN
        RETURN;
    END IF;
    -- EXECUTE plans once per call with the values known, so partitions outside the span are pruned at plan time.
    RETURN QUERY EXECUTE $q$
        SELECT f.cluster_id, date_trunc('minute', f.start_time, 'UTC'), f.src_id, f.dst_id,
               coalesce(f.dst_port, -1), f.protocol, f.verdict, f.policy_key, coalesce(f.pending_verdict, ''),
               count(*) FILTER (WHERE f.counted)::bigint,
               coalesce(sum(f.connections) FILTER (WHERE f.counted), 0)::bigint,
               coalesce(sum(f.bytes_out) FILTER (WHERE f.counted), 0)::bigint,
               coalesce(sum(f.bytes_in) FILTER (WHERE f.counted), 0)::bigint,
               coalesce(sum(f.packets_out) FILTER (WHERE f.counted), 0)::bigint,
               coalesce(sum(f.packets_in) FILTER (WHERE f.counted), 0)::bigint,
               max(f.end_time)
        FROM flows f
        WHERE f.batch_id = ANY ($1) AND f.start_time >= $2 AND f.start_time <= $3
        GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9$q$
    USING batch_ids, first_start_at, last_start_at;
END;
$$;

CREATE VIEW edge_rollup_pending AS SELECT * FROM flowlens_pending_rollup();

-- edge_rollup_1m, _1h and _1d: each store plus the pending aggregate at the store's granularity.
DO $$
DECLARE
    level text;
BEGIN
    FOREACH level IN ARRAY ARRAY['1m:minute', '1h:hour', '1d:day'] LOOP
        EXECUTE format(
            'CREATE OR REPLACE VIEW %I AS
                SELECT cluster_id, bucket, src_id, dst_id, dst_port, protocol, verdict, policy_key, pending_verdict,
                       flows, connections, bytes_out, bytes_in, packets_out, packets_in, last_seen
                FROM %I
                UNION ALL
                SELECT cluster_id, date_trunc(%L, bucket, ''UTC'') AS bucket, src_id, dst_id, dst_port, protocol, verdict,
                       policy_key, pending_verdict, flows, connections, bytes_out, bytes_in, packets_out, packets_in, last_seen
                FROM edge_rollup_pending',
            'edge_rollup_' || split_part(level, ':', 1), 'edge_rollup_' || split_part(level, ':', 1) || '_store', split_part(level, ':', 2));
    END LOOP;
END;
$$;

DROP TABLE edge_rollup_delta;
DROP SEQUENCE edge_rollup_delta_id_seq;

-- Upserts rows into a rollup store, adding to what is there (shared by the compactor and the views'
-- INSTEAD OF INSERT triggers).
CREATE OR REPLACE FUNCTION flowlens_rollup_upsert_sql(store text, source text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT format(
        'INSERT INTO %I AS r (cluster_id, bucket, src_id, dst_id, dst_port, protocol, verdict, policy_key, pending_verdict,
             flows, connections, bytes_out, bytes_in, packets_out, packets_in, last_seen)
         %s
         ON CONFLICT (cluster_id, bucket, src_id, dst_id, dst_port, protocol, verdict, policy_key, pending_verdict) DO UPDATE SET
             flows = r.flows + excluded.flows, connections = r.connections + excluded.connections,
             bytes_out = r.bytes_out + excluded.bytes_out, bytes_in = r.bytes_in + excluded.bytes_in,
             packets_out = r.packets_out + excluded.packets_out, packets_in = r.packets_in + excluded.packets_in,
             last_seen = greatest(r.last_seen, excluded.last_seen)', store, source)
$$;

-- Rows written through the views (test seeds, imports) land in the stores, adding to what is there.
CREATE OR REPLACE FUNCTION flowlens_rollup_view_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE flowlens_rollup_upsert_sql(TG_TABLE_NAME || '_store',
        'VALUES ($1.cluster_id, $1.bucket, $1.src_id, $1.dst_id, $1.dst_port, $1.protocol, $1.verdict, $1.policy_key,
             $1.pending_verdict, $1.flows, $1.connections, $1.bytes_out, $1.bytes_in, $1.packets_out, $1.packets_in, $1.last_seen)')
        USING NEW;
    RETURN NEW;
END;
$$;

-- Folds every pending batch visible now into the three stores and forgets it, in one statement: all
-- parts of a statement share one snapshot, so the batches deleted are exactly those whose flows
-- edge_rollup_pending aggregated, and a crash leaves a batch pending or folded, never both. Batches
-- committed meanwhile wait for the next call. Returns the number of batches folded.
CREATE OR REPLACE FUNCTION flowlens_compact_rollups() RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    folded bigint;
    rollup_sql constant text := $q$
        SELECT cluster_id, date_trunc(%L, bucket, 'UTC'), src_id, dst_id, dst_port, protocol, verdict, policy_key, pending_verdict,
               sum(flows), sum(connections), sum(bytes_out), sum(bytes_in), sum(packets_out), sum(packets_in), max(last_seen)
        FROM moved GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9 ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9$q$;
BEGIN
    EXECUTE format(
        'WITH batches AS (DELETE FROM rollup_pending_batches RETURNING 1),
              moved AS MATERIALIZED (SELECT * FROM edge_rollup_pending),
              minute AS (%s RETURNING 1), hour AS (%s RETURNING 1), day AS (%s RETURNING 1)
         SELECT (SELECT count(*) FROM batches)
         FROM (SELECT count(*) FROM minute) m, (SELECT count(*) FROM hour) h, (SELECT count(*) FROM day) d',
        flowlens_rollup_upsert_sql('edge_rollup_1m_store', format(rollup_sql, 'minute')),
        flowlens_rollup_upsert_sql('edge_rollup_1h_store', format(rollup_sql, 'hour')),
        flowlens_rollup_upsert_sql('edge_rollup_1d_store', format(rollup_sql, 'day')))
    INTO folded;
    RETURN folded;
END;
$$;
