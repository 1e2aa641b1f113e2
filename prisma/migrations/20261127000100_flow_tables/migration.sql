-- Flow data: written by the collector with COPY (postgres.js), read with SQL built for volume.
-- Not modelled in Prisma. Shaped for Citus: every table carries cluster_id in its primary key,
-- and no foreign key points into (or out of) a flow table.

-- Endpoint dictionary. Flows and rollups carry 64-bit endpoint ids instead of names and labels.
-- The id is a hash of the endpoint's identity minted by the writer (core/flow/endpoint-key), so any
-- number of stateless collectors agree on it without a round trip.
CREATE TABLE endpoints (
    cluster_id    integer NOT NULL,
    id            bigint  NOT NULL,
    kind          text    NOT NULL,
    namespace     text,
    name          text    NOT NULL,
    workload_kind text,
    pod           text,
    ip            text,
    domain        text,
    service_name  text,
    labels        jsonb   NOT NULL DEFAULT '{}'::jsonb,
    first_seen    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (cluster_id, id)
);
CREATE INDEX endpoints_cluster_namespace_name_idx ON endpoints (cluster_id, namespace, name);
CREATE INDEX endpoints_cluster_ip_idx ON endpoints (cluster_id, ip);

CREATE SEQUENCE flows_id_seq;

-- Raw flows, one row per canonical record, partitioned by day on start_time (retention drops partitions).
CREATE TABLE flows (
    cluster_id      integer     NOT NULL,
    start_time      timestamptz NOT NULL,
    id              bigint      NOT NULL DEFAULT nextval('flows_id_seq'),
    end_time        timestamptz NOT NULL,
    src_id          bigint      NOT NULL,
    dst_id          bigint      NOT NULL,
    protocol        text        NOT NULL,
    dst_port        integer,
    src_port        integer,
    verdict         text        NOT NULL CHECK (verdict IN ('allowed', 'denied')),
    -- false for the second report of a connection both ends reported (Calico reporter src + dst):
    -- kept for its policy trace, not added to totals.
    counted         boolean     NOT NULL,
    reporter        text        NOT NULL,
    drop_reason     text,
    -- The deciding policy hit, `kind|tier|namespace|name|action|rule` ('' when none was reported).
    policy_key      text        NOT NULL DEFAULT '',
    policy_trace    jsonb,
    pending_trace   jsonb,
    -- What the staged/pending policies would have done: 'allowed', 'denied' or NULL when none.
    pending_verdict text,
    bytes_out       bigint      NOT NULL DEFAULT 0,
    bytes_in        bigint      NOT NULL DEFAULT 0,
    packets_out     bigint      NOT NULL DEFAULT 0,
    packets_in      bigint      NOT NULL DEFAULT 0,
    connections     integer     NOT NULL DEFAULT 0,
    l7              jsonb,
    tcp_flags       text,
    format          text        NOT NULL,
    -- The original line (bounded to 8 KiB); for windowed Hubble flows, the window's first event.
    raw             text,
    PRIMARY KEY (cluster_id, start_time, id)
) PARTITION BY RANGE (start_time);
-- BRIN: flows arrive in time order, so a tiny index prunes time ranges without slowing COPY.
CREATE INDEX flows_start_time_brin ON flows USING brin (start_time);

-- Edge rollups, kept current by the writer in the same transaction as the raw rows.
CREATE TABLE edge_rollup_1m (
    cluster_id      integer     NOT NULL,
    bucket          timestamptz NOT NULL,
    src_id          bigint      NOT NULL,
    dst_id          bigint      NOT NULL,
    dst_port        integer     NOT NULL, -- -1 when the protocol has no port
    protocol        text        NOT NULL,
    verdict         text        NOT NULL,
    policy_key      text        NOT NULL,
    pending_verdict text        NOT NULL, -- '' when no staged policy spoke
    flows           bigint      NOT NULL,
    connections     bigint      NOT NULL,
    bytes_out       bigint      NOT NULL,
    bytes_in        bigint      NOT NULL,
    packets_out     bigint      NOT NULL,
    packets_in      bigint      NOT NULL,
    last_seen       timestamptz NOT NULL,
    PRIMARY KEY (cluster_id, bucket, src_id, dst_id, dst_port, protocol, verdict, policy_key, pending_verdict)
) PARTITION BY RANGE (bucket);

CREATE TABLE edge_rollup_1h (LIKE edge_rollup_1m INCLUDING DEFAULTS INCLUDING CONSTRAINTS,
    PRIMARY KEY (cluster_id, bucket, src_id, dst_id, dst_port, protocol, verdict, policy_key, pending_verdict)
) PARTITION BY RANGE (bucket);

-- Idempotent resend: a batch's Idempotency-Key is recorded in the batch's own transaction.
CREATE TABLE ingest_batches (
    cluster_id      integer     NOT NULL,
    idempotency_key text        NOT NULL,
    received_at     timestamptz NOT NULL DEFAULT now(),
    response        jsonb       NOT NULL,
    PRIMARY KEY (cluster_id, idempotency_key)
);
CREATE INDEX ingest_batches_received_at_idx ON ingest_batches (received_at);

-- File-tail offsets, advanced in the same transaction as the rows they cover (no gap, no duplicate).
CREATE TABLE collector_offsets (
    source       text        NOT NULL PRIMARY KEY,
    cluster_id   integer,
    file_id      text        NOT NULL,
    head_hash    text        NOT NULL,
    offset_bytes bigint      NOT NULL,
    updated_at   timestamptz NOT NULL DEFAULT now()
);

-- Creates the day partitions of flows and rollups covering `day` (idempotent, safe under concurrency).
CREATE FUNCTION flowlens_ensure_day_partitions(day date) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    suffix text := to_char(day, 'YYYYMMDD');
    lower_bound timestamptz := day::timestamp AT TIME ZONE 'UTC';
    upper_bound timestamptz := (day + 1)::timestamp AT TIME ZONE 'UTC';
    parent text;
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('flowlens_partitions'));
    FOREACH parent IN ARRAY ARRAY['flows', 'edge_rollup_1m', 'edge_rollup_1h'] LOOP
        IF to_regclass(format('%I', parent || '_p' || suffix)) IS NULL THEN
            EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%L) TO (%L)',
                parent || '_p' || suffix, parent, lower_bound, upper_bound);
        END IF;
    END LOOP;
END;
$$;
