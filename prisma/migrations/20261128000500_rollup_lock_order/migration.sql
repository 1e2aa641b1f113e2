-- Partition creation and the rollup compactor lock the rollup stores in one order, the order of
-- flowlens_rollup_levels(): partition creation used to take its parents in name order and the compactor in
-- level order, and the two could wait on each other (a deadlock seen in CI: "rollup compaction failed:
-- deadlock detected"). Both functions are restated from 20261128000200 with only that change, and the
-- compactor's fold gets room to hash and sort in memory (4 MB spilled to disk on the soak benchmark).

-- The compactor folds the stores level by level in the levels' listed order.
CREATE OR REPLACE FUNCTION flowlens_compact_rollups() RETURNS bigint LANGUAGE plpgsql SET work_mem = '64MB' AS $$
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
    FOR level, bucket_of IN SELECT l.level, l.bucket_of FROM flowlens_rollup_levels() WITH ORDINALITY AS l(level, bucket_of, n) ORDER BY l.n LOOP
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

-- Day partitions for the rollup stores (from flowlens_rollup_levels, so a level added later needs no new
-- version of this function), then flows and raw_batches. Creating a partition locks its parent
-- exclusively, so the parents are taken in the compactor's order (its folds lock the stores level by
-- level, then read flows): in another order the two could wait on each other (a deadlock seen in CI).
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
        SELECT p.parent FROM (
            SELECT 'edge_rollup_' || l.level || '_store' AS parent, l.n
            FROM flowlens_rollup_levels() WITH ORDINALITY AS l(level, bucket_of, n)
            UNION ALL VALUES ('flows', 1000), ('raw_batches', 1001)
        ) p ORDER BY p.n
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
