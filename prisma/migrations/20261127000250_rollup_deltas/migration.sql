-- Edge rollups become log-structured: the writer appends per-batch deltas with COPY (cheap, no row
-- locks) in the flows' own transaction, and a compactor in the collector folds them into the stored
-- rollups every couple of seconds. `edge_rollup_1m`, `edge_rollup_1h` and the new `edge_rollup_1d` are views over
-- stored + pending deltas, so what they show is current the moment a batch commits.
-- Upserting both rollups per batch cost twice the COPY of the flows themselves; deltas cost a fraction.

ALTER TABLE edge_rollup_1m RENAME TO edge_rollup_1m_store;
ALTER TABLE edge_rollup_1h RENAME TO edge_rollup_1h_store;

-- A daily rollup for long windows (a 7-day graph reads 7 rows per edge instead of 168).
CREATE TABLE edge_rollup_1d_store (LIKE edge_rollup_1h_store INCLUDING DEFAULTS INCLUDING CONSTRAINTS,
    PRIMARY KEY (cluster_id, bucket, src_id, dst_id, dst_port, protocol, verdict, policy_key, pending_verdict)
) PARTITION BY RANGE (bucket);

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
        EXECUTE format('CREATE TABLE %I PARTITION OF edge_rollup_1d_store FOR VALUES FROM (%L) TO (%L) WITH (fillfactor = 50)',
            'edge_rollup_1d_p' || to_char(day, 'YYYYMMDD'), day::timestamp AT TIME ZONE 'UTC', (day + 1)::timestamp AT TIME ZONE 'UTC');
        EXECUTE format('INSERT INTO edge_rollup_1d_store SELECT cluster_id, date_trunc(''day'', bucket, ''UTC''), src_id, dst_id, dst_port,
            protocol, verdict, policy_key, pending_verdict, sum(flows), sum(connections), sum(bytes_out), sum(bytes_in),
            sum(packets_out), sum(packets_in), max(last_seen) FROM %I GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9', partition_name);
    END LOOP;
END;
$$;

CREATE SEQUENCE edge_rollup_delta_id_seq;

-- Deltas at 1-minute granularity; the compactor derives both stored rollups from them.
CREATE TABLE edge_rollup_delta (
    cluster_id      integer     NOT NULL,
    id              bigint      NOT NULL DEFAULT nextval('edge_rollup_delta_id_seq'),
    bucket          timestamptz NOT NULL,
    src_id          bigint      NOT NULL,
    dst_id          bigint      NOT NULL,
    dst_port        integer     NOT NULL,
    protocol        text        NOT NULL,
    verdict         text        NOT NULL,
    policy_key      text        NOT NULL,
    pending_verdict text        NOT NULL,
    flows           bigint      NOT NULL,
    connections     bigint      NOT NULL,
    bytes_out       bigint      NOT NULL,
    bytes_in        bigint      NOT NULL,
    packets_out     bigint      NOT NULL,
    packets_in      bigint      NOT NULL,
    last_seen       timestamptz NOT NULL,
    PRIMARY KEY (cluster_id, id)
);

CREATE VIEW edge_rollup_1m AS
    SELECT cluster_id, bucket, src_id, dst_id, dst_port, protocol, verdict, policy_key, pending_verdict,
           flows, connections, bytes_out, bytes_in, packets_out, packets_in, last_seen
    FROM edge_rollup_1m_store
    UNION ALL
    SELECT cluster_id, bucket, src_id, dst_id, dst_port, protocol, verdict, policy_key, pending_verdict,
           flows, connections, bytes_out, bytes_in, packets_out, packets_in, last_seen
    FROM edge_rollup_delta;

CREATE VIEW edge_rollup_1h AS
    SELECT cluster_id, bucket, src_id, dst_id, dst_port, protocol, verdict, policy_key, pending_verdict,
           flows, connections, bytes_out, bytes_in, packets_out, packets_in, last_seen
    FROM edge_rollup_1h_store
    UNION ALL
    SELECT cluster_id, date_trunc('hour', bucket, 'UTC'), src_id, dst_id, dst_port, protocol, verdict, policy_key,
           pending_verdict, flows, connections, bytes_out, bytes_in, packets_out, packets_in, last_seen
    FROM edge_rollup_delta;

CREATE VIEW edge_rollup_1d AS
    SELECT cluster_id, bucket, src_id, dst_id, dst_port, protocol, verdict, policy_key, pending_verdict,
           flows, connections, bytes_out, bytes_in, packets_out, packets_in, last_seen
    FROM edge_rollup_1d_store
    UNION ALL
    SELECT cluster_id, date_trunc('day', bucket, 'UTC'), src_id, dst_id, dst_port, protocol, verdict, policy_key,
           pending_verdict, flows, connections, bytes_out, bytes_in, packets_out, packets_in, last_seen
    FROM edge_rollup_delta;

-- Rows written through the views (test seeds, imports) land in the stores, adding to what is there.
CREATE FUNCTION flowlens_rollup_view_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format(
        'INSERT INTO %I AS r (cluster_id, bucket, src_id, dst_id, dst_port, protocol, verdict, policy_key, pending_verdict,
             flows, connections, bytes_out, bytes_in, packets_out, packets_in, last_seen)
         VALUES ($1.cluster_id, $1.bucket, $1.src_id, $1.dst_id, $1.dst_port, $1.protocol, $1.verdict, $1.policy_key,
             $1.pending_verdict, $1.flows, $1.connections, $1.bytes_out, $1.bytes_in, $1.packets_out, $1.packets_in, $1.last_seen)
         ON CONFLICT (cluster_id, bucket, src_id, dst_id, dst_port, protocol, verdict, policy_key, pending_verdict) DO UPDATE SET
             flows = r.flows + excluded.flows, connections = r.connections + excluded.connections,
             bytes_out = r.bytes_out + excluded.bytes_out, bytes_in = r.bytes_in + excluded.bytes_in,
             packets_out = r.packets_out + excluded.packets_out, packets_in = r.packets_in + excluded.packets_in,
             last_seen = greatest(r.last_seen, excluded.last_seen)',
        TG_TABLE_NAME || '_store') USING NEW;
    RETURN NEW;
END;
$$;
CREATE TRIGGER edge_rollup_1m_insert INSTEAD OF INSERT ON edge_rollup_1m FOR EACH ROW EXECUTE FUNCTION flowlens_rollup_view_insert();
CREATE TRIGGER edge_rollup_1h_insert INSTEAD OF INSERT ON edge_rollup_1h FOR EACH ROW EXECUTE FUNCTION flowlens_rollup_view_insert();
CREATE TRIGGER edge_rollup_1d_insert INSTEAD OF INSERT ON edge_rollup_1d FOR EACH ROW EXECUTE FUNCTION flowlens_rollup_view_insert();

-- Folds every delta visible now into both stores (one statement, so a crash leaves deltas or stores,
-- never both). Rows committed while it runs stay for the next call. Returns the deltas folded.
CREATE FUNCTION flowlens_compact_rollups() RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    folded bigint;
BEGIN
    WITH moved AS (
        DELETE FROM edge_rollup_delta RETURNING *
    ), minute AS (
        INSERT INTO edge_rollup_1m_store AS r (cluster_id, bucket, src_id, dst_id, dst_port, protocol, verdict, policy_key,
            pending_verdict, flows, connections, bytes_out, bytes_in, packets_out, packets_in, last_seen)
        SELECT cluster_id, bucket, src_id, dst_id, dst_port, protocol, verdict, policy_key, pending_verdict,
               sum(flows), sum(connections), sum(bytes_out), sum(bytes_in), sum(packets_out), sum(packets_in), max(last_seen)
        FROM moved
        GROUP BY cluster_id, bucket, src_id, dst_id, dst_port, protocol, verdict, policy_key, pending_verdict
        ORDER BY cluster_id, bucket, src_id, dst_id, dst_port, protocol, verdict, policy_key, pending_verdict
        ON CONFLICT (cluster_id, bucket, src_id, dst_id, dst_port, protocol, verdict, policy_key, pending_verdict) DO UPDATE SET
            flows = r.flows + excluded.flows, connections = r.connections + excluded.connections,
            bytes_out = r.bytes_out + excluded.bytes_out, bytes_in = r.bytes_in + excluded.bytes_in,
            packets_out = r.packets_out + excluded.packets_out, packets_in = r.packets_in + excluded.packets_in,
            last_seen = greatest(r.last_seen, excluded.last_seen)
        RETURNING 1
    ), hour AS (
        INSERT INTO edge_rollup_1h_store AS r (cluster_id, bucket, src_id, dst_id, dst_port, protocol, verdict, policy_key,
            pending_verdict, flows, connections, bytes_out, bytes_in, packets_out, packets_in, last_seen)
        SELECT cluster_id, date_trunc('hour', bucket, 'UTC'), src_id, dst_id, dst_port, protocol, verdict, policy_key, pending_verdict,
               sum(flows), sum(connections), sum(bytes_out), sum(bytes_in), sum(packets_out), sum(packets_in), max(last_seen)
        FROM moved
        GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9
        ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9
        ON CONFLICT (cluster_id, bucket, src_id, dst_id, dst_port, protocol, verdict, policy_key, pending_verdict) DO UPDATE SET
            flows = r.flows + excluded.flows, connections = r.connections + excluded.connections,
            bytes_out = r.bytes_out + excluded.bytes_out, bytes_in = r.bytes_in + excluded.bytes_in,
            packets_out = r.packets_out + excluded.packets_out, packets_in = r.packets_in + excluded.packets_in,
            last_seen = greatest(r.last_seen, excluded.last_seen)
        RETURNING 1
    ), day AS (
        INSERT INTO edge_rollup_1d_store AS r (cluster_id, bucket, src_id, dst_id, dst_port, protocol, verdict, policy_key,
            pending_verdict, flows, connections, bytes_out, bytes_in, packets_out, packets_in, last_seen)
        SELECT cluster_id, date_trunc('day', bucket, 'UTC'), src_id, dst_id, dst_port, protocol, verdict, policy_key, pending_verdict,
               sum(flows), sum(connections), sum(bytes_out), sum(bytes_in), sum(packets_out), sum(packets_in), max(last_seen)
        FROM moved
        GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9
        ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9
        ON CONFLICT (cluster_id, bucket, src_id, dst_id, dst_port, protocol, verdict, policy_key, pending_verdict) DO UPDATE SET
            flows = r.flows + excluded.flows, connections = r.connections + excluded.connections,
            bytes_out = r.bytes_out + excluded.bytes_out, bytes_in = r.bytes_in + excluded.bytes_in,
            packets_out = r.packets_out + excluded.packets_out, packets_in = r.packets_in + excluded.packets_in,
            last_seen = greatest(r.last_seen, excluded.last_seen)
        RETURNING 1
    )
    SELECT (SELECT count(*) FROM moved) INTO folded
    FROM (SELECT count(*) FROM minute) m, (SELECT count(*) FROM hour) h, (SELECT count(*) FROM day) d;
    RETURN folded;
END;
$$;

CREATE OR REPLACE FUNCTION flowlens_ensure_day_partitions(day date) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    suffix text := to_char(day, 'YYYYMMDD');
    lower_bound timestamptz := day::timestamp AT TIME ZONE 'UTC';
    upper_bound timestamptz := (day + 1)::timestamp AT TIME ZONE 'UTC';
    parent text;
    partition_name text;
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('flowlens_partitions'));
    FOREACH parent IN ARRAY ARRAY['flows', 'edge_rollup_1m_store', 'edge_rollup_1h_store', 'edge_rollup_1d_store', 'raw_batches'] LOOP
        -- Partition names keep the logical table name (edge_rollup_1m_pYYYYMMDD), as before the rename.
        partition_name := replace(parent, '_store', '') || '_p' || suffix;
        IF to_regclass(format('%I', partition_name)) IS NULL THEN
            -- Rollup rows are updated in place all day long: leaving room on each page lets
            -- Postgres keep the new version on the same page without touching the index (HOT).
            EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%L) TO (%L) %s',
                partition_name, parent, lower_bound, upper_bound,
                CASE WHEN parent LIKE 'edge_rollup_%' THEN 'WITH (fillfactor = 50)' ELSE '' END);
        END IF;
    END LOOP;
END;
$$;
