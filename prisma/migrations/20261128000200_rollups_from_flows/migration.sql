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

-- The same migration adds a 6-hour rollup level for the graph's middle windows (issue 4). A 24 h window
-- ending at noon read 12 hourly buckets + today's daily one (~89k rows on the 2,000-workload bench); with
-- quarter days it reads 2 + 1 buckets. Quarter days are the best stride for 24 h windows ending at any
-- hour (at most 5 hours + 3 quarters + today, ~4.8 buckets on average, against 4h: 5.0, 3h: 5.7, 12h:
-- 6.3). Buckets start at 00, 06, 12, 18 UTC; partitions are per day like the other rollups, so retention
-- drops them the same way (`rollupDays`).

-- No compactor may fold while the stores are rebuilt below (it skips a run while the lock is held).
SELECT pg_advisory_xact_lock(1919904876); -- collector/writer/rollup-compactor.ts COMPACTOR_LOCK ('roll')

-- Fold any deltas still pending with the previous function, before it and the delta table go.
SELECT flowlens_compact_rollups();

-- The rollup levels: each store's suffix and how a 1-minute bucket maps into it. The views, the
-- compactor and the 6-hour backfill below all read this one list.
CREATE FUNCTION flowlens_rollup_levels() RETURNS TABLE (level text, bucket_of text) LANGUAGE sql IMMUTABLE AS $$
    VALUES ('1m', 'bucket'),
           ('1h', 'date_trunc(''hour'', bucket, ''UTC'')'),
           ('6h', 'date_bin(''6 hours'', bucket, ''2000-01-01 00:00:00+00''::timestamptz)'),
           ('1d', 'date_trunc(''day'', bucket, ''UTC'')')
$$;

CREATE TABLE edge_rollup_6h_store (LIKE edge_rollup_1h_store INCLUDING DEFAULTS INCLUDING CONSTRAINTS,
    PRIMARY KEY (cluster_id, bucket, src_id, dst_id, dst_port, protocol, verdict, policy_key, pending_verdict)
) PARTITION BY RANGE (bucket);

-- Quarter days of everything stored so far, from the hourly store.
DO $$
DECLARE
    partition_name text;
    day date;
BEGIN
    FOR partition_name IN
        SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = 'edge_rollup_1h_store'::regclass
    LOOP
        day := to_date(substring(partition_name FROM '_p(\d{8})$'), 'YYYYMMDD');
        EXECUTE format('CREATE TABLE %I PARTITION OF edge_rollup_6h_store FOR VALUES FROM (%L) TO (%L) WITH (fillfactor = 50)',
            'edge_rollup_6h_p' || to_char(day, 'YYYYMMDD'), day::timestamp AT TIME ZONE 'UTC', (day + 1)::timestamp AT TIME ZONE 'UTC');
        EXECUTE format('INSERT INTO edge_rollup_6h_store SELECT cluster_id, date_bin(''6 hours'', bucket, ''2000-01-01 00:00:00+00''::timestamptz),
            src_id, dst_id, dst_port, protocol, verdict, policy_key, pending_verdict, sum(flows), sum(connections), sum(bytes_out),
            sum(bytes_in), sum(packets_out), sum(packets_in), max(last_seen) FROM %I GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9', partition_name);
    END LOOP;
END;
$$;

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

-- edge_rollup_1m, _1h, _6h and _1d: each store plus the pending aggregate at the store's granularity.
DO $$
DECLARE
    level text;
    bucket_of text;
BEGIN
    FOR level, bucket_of IN SELECT * FROM flowlens_rollup_levels() LOOP
        EXECUTE format(
            'CREATE OR REPLACE VIEW %I AS
                SELECT cluster_id, bucket, src_id, dst_id, dst_port, protocol, verdict, policy_key, pending_verdict,
                       flows, connections, bytes_out, bytes_in, packets_out, packets_in, last_seen
                FROM %I
                UNION ALL
                SELECT cluster_id, %s AS bucket, src_id, dst_id, dst_port, protocol, verdict,
                       policy_key, pending_verdict, flows, connections, bytes_out, bytes_in, packets_out, packets_in, last_seen
                FROM edge_rollup_pending',
            'edge_rollup_' || level, 'edge_rollup_' || level || '_store', bucket_of);
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

CREATE TRIGGER edge_rollup_6h_insert INSTEAD OF INSERT ON edge_rollup_6h FOR EACH ROW EXECUTE FUNCTION flowlens_rollup_view_insert();

-- Folds every pending batch visible now into every store and forgets it, in one statement: all parts
-- of a statement share one snapshot, so the batches deleted are exactly those whose flows
-- edge_rollup_pending aggregated, and a crash leaves a batch pending or folded, never both. Batches
-- committed meanwhile wait for the next call. Returns the number of batches folded.
CREATE OR REPLACE FUNCTION flowlens_compact_rollups() RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    rollup_sql constant text := $q$
        SELECT cluster_id, %s, src_id, dst_id, dst_port, protocol, verdict, policy_key, pending_verdict,
               sum(flows), sum(connections), sum(bytes_out), sum(bytes_in), sum(packets_out), sum(packets_in), max(last_seen)
        FROM moved GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9 ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9$q$;
    level text;
    bucket_of text;
    folds text := '';
    counts text := '';
    folded bigint;
BEGIN
    FOR level, bucket_of IN SELECT * FROM flowlens_rollup_levels() LOOP
        folds := folds || format(', fold_%s AS (%s RETURNING 1)', level,
            flowlens_rollup_upsert_sql('edge_rollup_' || level || '_store', format(rollup_sql, bucket_of)));
        counts := counts || format(', (SELECT count(*) FROM fold_%s) c_%s', level, level);
    END LOOP;
    EXECUTE 'WITH batches AS (DELETE FROM rollup_pending_batches RETURNING 1),
                  moved AS MATERIALIZED (SELECT * FROM edge_rollup_pending)' || folds
        || ' SELECT (SELECT count(*) FROM batches) FROM ' || substr(counts, 3)
    INTO folded;
    RETURN folded;
END;
$$;

-- Day partitions for every partitioned flow table, found in the catalogue rather than listed, so a
-- rollup level added later needs no new version of this function.
CREATE OR REPLACE FUNCTION flowlens_ensure_day_partitions(day date) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    suffix text := to_char(day, 'YYYYMMDD');
    lower_bound timestamptz := day::timestamp AT TIME ZONE 'UTC';
    upper_bound timestamptz := (day + 1)::timestamp AT TIME ZONE 'UTC';
    parent text;
    partition_name text;
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('flowlens_partitions'));
    FOR parent IN
        SELECT c.relname FROM pg_partitioned_table p JOIN pg_class c ON c.oid = p.partrelid
        WHERE c.relnamespace = current_schema()::regnamespace
          AND (c.relname IN ('flows', 'raw_batches') OR c.relname ~ '^edge_rollup_\d+[mhd]_store$')
        ORDER BY c.relname
    LOOP
        -- Partition names keep the logical table name (edge_rollup_1m_pYYYYMMDD).
        partition_name := replace(parent, '_store', '') || '_p' || suffix;
        IF to_regclass(format('%I', partition_name)) IS NULL THEN
            -- Rollup rows are updated in place all day long: room on each page keeps updates HOT.
            EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%L) TO (%L) %s',
                partition_name, parent, lower_bound, upper_bound,
                CASE WHEN parent LIKE 'edge_rollup_%' THEN 'WITH (fillfactor = 50)' ELSE '' END);
        END IF;
    END LOOP;
END;
$$;
