-- Daily posture snapshots (issue 8): one row per cluster and UTC day, computed by the collector's
-- posture job from that day's rollups, the inventory snapshot in force that day and the GenAI
-- findings. Flow-like for Citus: cluster_id leads the primary key and no foreign key points in or out.
CREATE TABLE posture_snapshots (
    cluster_id   integer     NOT NULL,
    day          date        NOT NULL,
    -- 0-100 (core/posture computePostureScore).
    score        integer     NOT NULL,
    -- The full PostureScore (components with weights, points lost and sentences; top risks) plus the
    -- inputs' shape: { version, score, trafficDays, inventoryTakenAtMs, ... }.
    components   jsonb       NOT NULL,
    -- Share of workload directions (ingress, egress) governed by a policy, 0-100; NULL without inventory.
    coverage_pct real,
    denied_flows bigint      NOT NULL DEFAULT 0,
    -- { counts: { critical, high, medium, low }, items: [ ...the open findings, most severe first ] }.
    findings     jsonb       NOT NULL,
    computed_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (cluster_id, day)
);
