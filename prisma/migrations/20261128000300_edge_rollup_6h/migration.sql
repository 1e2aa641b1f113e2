-- A 6-hour edge rollup for the graph's middle windows (issue 4). A 24 h window ending at noon read
-- 12 hourly buckets + today's daily one (~89k rows on the 2,000-workload bench, most of the query's time
-- in scanning and hashing them); with quarter days it reads 2 + 1 buckets. Quarter days are the best
-- stride for 24 h windows ending at any hour (at most 5 hours + 3 quarters + today, ~4.8 buckets on
-- average, against 4h: 5.0, 3h: 5.7, 12h: 6.3). Buckets start at 00, 06, 12, 18 UTC; partitions are
-- per day like the other rollups, so retention drops them the same way (`rollupDays`).
-- Built on 20261128000200_rollups_from_flows: the view adds the pending batches' flows
-- (edge_rollup_pending) and the compactor folds them into this store with the three others.

CREATE TABLE edge_rollup_6h_store (LIKE edge_rollup_1h_store INCLUDING DEFAULTS INCLUDING CONSTRAINTS,
    PRIMARY KEY (cluster_id, bucket, src_id, dst_id, dst_port, protocol, verdict, policy_key, pending_verdict)
) PARTITION BY RANGE (bucket);

-- NOTE: the compactor must not fold into the hourly store while its hours are copied below, or the
-- folded batches would reach the hours but not the quarters: take its lock (it skips a run while it is
-- held; batches keep arriving as pending, and the new function folds them into every store later).
SELECT pg_advisory_xact_lock(1919904876); -- collector/writer/rollup-compactor.ts COMPACTOR_LOCK ('roll')

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

CREATE VIEW edge_rollup_6h AS
    SELECT cluster_id, bucket, src_id, dst_id, dst_port, protocol, verdict, policy_key, pending_verdict,
           flows, connections, bytes_out, bytes_in, packets_out, packets_in, last_seen
    FROM edge_rollup_6h_store
    UNION ALL
    SELECT cluster_id, date_bin('6 hours', bucket, '2000-01-01 00:00:00+00'::timestamptz) AS bucket, src_id, dst_id, dst_port,
           protocol, verdict, policy_key, pending_verdict, flows, connections, bytes_out, bytes_in, packets_out, packets_in, last_seen
    FROM edge_rollup_pending;

CREATE TRIGGER edge_rollup_6h_insert INSTEAD OF INSERT ON edge_rollup_6h FOR EACH ROW EXECUTE FUNCTION flowlens_rollup_view_insert();

-- 20261128000200's fold with the 6-hour store added: still one statement over one snapshot (the
-- batches deleted are exactly those aggregated; a crash leaves a batch pending or folded).
CREATE OR REPLACE FUNCTION flowlens_compact_rollups() RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    folded bigint;
    rollup_sql constant text := $q$
        SELECT cluster_id, %s, src_id, dst_id, dst_port, protocol, verdict, policy_key, pending_verdict,
               sum(flows), sum(connections), sum(bytes_out), sum(bytes_in), sum(packets_out), sum(packets_in), max(last_seen)
        FROM moved GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9 ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9$q$;
BEGIN
    EXECUTE format(
        'WITH batches AS (DELETE FROM rollup_pending_batches RETURNING 1),
              moved AS MATERIALIZED (SELECT * FROM edge_rollup_pending),
              minute AS (%s RETURNING 1), hour AS (%s RETURNING 1), quarter AS (%s RETURNING 1), day AS (%s RETURNING 1)
         SELECT (SELECT count(*) FROM batches)
         FROM (SELECT count(*) FROM minute) m, (SELECT count(*) FROM hour) h, (SELECT count(*) FROM quarter) q, (SELECT count(*) FROM day) d',
        flowlens_rollup_upsert_sql('edge_rollup_1m_store', format(rollup_sql, 'bucket')),
        flowlens_rollup_upsert_sql('edge_rollup_1h_store', format(rollup_sql, 'date_trunc(''hour'', bucket, ''UTC'')')),
        flowlens_rollup_upsert_sql('edge_rollup_6h_store', format(rollup_sql, 'date_bin(''6 hours'', bucket, ''2000-01-01 00:00:00+00''::timestamptz)')),
        flowlens_rollup_upsert_sql('edge_rollup_1d_store', format(rollup_sql, 'date_trunc(''day'', bucket, ''UTC'')')))
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
