-- The pending batches' flows are read through the batch-id index of each day partition they are in, by
-- name, with no time condition left for the planner to misuse. Before, the day partitions were chosen by
-- a start_time range, and on Postgres 18 (skip scans) the planner could serve that range from the flow
-- explorer's (cluster_id, src_id, start_time) index and filter on batch_id: when many flows share the
-- batches' time span (a sender replaying a file, 5-minute Calico windows) a fold read its whole day
-- partition (1.46M rows for 125k pending on the soak benchmark, 3.6 s). Same rows, same result.
-- The aggregate also gets room to hash and sort in memory (4 MB spilled to disk; the fold gets the same
-- in 20261128000500).
CREATE OR REPLACE FUNCTION flowlens_pending_rollup() RETURNS TABLE (
    cluster_id integer, bucket timestamptz, src_id bigint, dst_id bigint, dst_port integer, protocol text, verdict text,
    policy_key text, pending_verdict text, flows bigint, connections bigint, bytes_out bigint, bytes_in bigint,
    packets_out bigint, packets_in bigint, last_seen timestamptz
) LANGUAGE plpgsql STABLE ROWS 100 SET work_mem = '64MB' AS $$
DECLARE
    batch_ids bigint[];
    first_start_at timestamptz;
    last_start_at timestamptz;
    day date;
    partition_name text;
    scans text := '';
BEGIN
    SELECT array_agg(p.batch_id), min(p.first_start), max(p.last_start) INTO batch_ids, first_start_at, last_start_at
    FROM rollup_pending_batches p;
    IF batch_ids IS NULL THEN
        RETURN;
    END IF;
    -- Day partitions are named by flowlens_ensure_day_partitions (flows_pYYYYMMDD, UTC days).
    FOR day IN SELECT generate_series((first_start_at AT TIME ZONE 'UTC')::date, (last_start_at AT TIME ZONE 'UTC')::date, interval '1 day')::date LOOP
        partition_name := 'flows_p' || to_char(day, 'YYYYMMDD');
        IF to_regclass(format('%I', partition_name)) IS NOT NULL THEN
            scans := scans || CASE WHEN scans = '' THEN '' ELSE ' UNION ALL ' END
                || format('SELECT cluster_id, start_time, end_time, src_id, dst_id, dst_port, protocol, verdict, counted, policy_key,
                               pending_verdict, connections, bytes_out, bytes_in, packets_out, packets_in
                           FROM %I WHERE batch_id = ANY ($1)', partition_name);
        END IF;
    END LOOP;
    IF scans = '' THEN
        RETURN;
    END IF;
    RETURN QUERY EXECUTE format($q$
        SELECT f.cluster_id, date_trunc('minute', f.start_time, 'UTC'), f.src_id, f.dst_id,
               coalesce(f.dst_port, -1), f.protocol, f.verdict, f.policy_key, coalesce(f.pending_verdict, ''),
               count(*) FILTER (WHERE f.counted)::bigint,
               coalesce(sum(f.connections) FILTER (WHERE f.counted), 0)::bigint,
               coalesce(sum(f.bytes_out) FILTER (WHERE f.counted), 0)::bigint,
               coalesce(sum(f.bytes_in) FILTER (WHERE f.counted), 0)::bigint,
               coalesce(sum(f.packets_out) FILTER (WHERE f.counted), 0)::bigint,
               coalesce(sum(f.packets_in) FILTER (WHERE f.counted), 0)::bigint,
               max(f.end_time)
        FROM (%s) f
        GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9$q$, scans)
    USING batch_ids;
END;
$$;
