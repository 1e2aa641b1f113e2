-- Original lines move out of the flow rows into one compressed blob per ingested batch.
-- Storing each ~1 KiB line beside its row tripled the bytes COPY and the WAL had to carry; a
-- batch compresses about tenfold, and the detail drawer reads a line back by (batch, line number).

ALTER TABLE flows DROP COLUMN raw;
ALTER TABLE flows ADD COLUMN raw_batch_id bigint;
ALTER TABLE flows ADD COLUMN raw_line integer;

CREATE SEQUENCE raw_batches_id_seq;

CREATE TABLE raw_batches (
    cluster_id  integer     NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now(),
    id          bigint      NOT NULL DEFAULT nextval('raw_batches_id_seq'),
    origin      text        NOT NULL,
    format      text,
    line_count  integer     NOT NULL,
    -- gzip of the batch's lines joined by \n, exactly as received (after transfer decoding).
    body        bytea       NOT NULL,
    PRIMARY KEY (cluster_id, received_at, id)
) PARTITION BY RANGE (received_at);
CREATE INDEX raw_batches_cluster_id_idx ON raw_batches (cluster_id, id);

CREATE OR REPLACE FUNCTION flowlens_ensure_day_partitions(day date) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    suffix text := to_char(day, 'YYYYMMDD');
    lower_bound timestamptz := day::timestamp AT TIME ZONE 'UTC';
    upper_bound timestamptz := (day + 1)::timestamp AT TIME ZONE 'UTC';
    parent text;
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('flowlens_partitions'));
    FOREACH parent IN ARRAY ARRAY['flows', 'edge_rollup_1m', 'edge_rollup_1h', 'raw_batches'] LOOP
        IF to_regclass(format('%I', parent || '_p' || suffix)) IS NULL THEN
            -- Rollup rows are updated in place all day long: leaving room on each page lets
            -- Postgres keep the new version on the same page without touching the index (HOT).
            EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%L) TO (%L) %s',
                parent || '_p' || suffix, parent, lower_bound, upper_bound,
                CASE WHEN parent LIKE 'edge_rollup_%' THEN 'WITH (fillfactor = 50)' ELSE '' END);
        END IF;
    END LOOP;
END;
$$;

-- Days that already have flow partitions get their raw_batches partition too.
DO $$
DECLARE
    partition_name text;
BEGIN
    FOR partition_name IN
        SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = 'flows'::regclass
    LOOP
        PERFORM flowlens_ensure_day_partitions(to_date(substring(partition_name FROM '_p(\d{8})$'), 'YYYYMMDD'));
    END LOOP;
END;
$$;
