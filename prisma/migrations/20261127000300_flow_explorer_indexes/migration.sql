-- Flow explorer (/flows) indexes. Each B-tree on flows is paid on every COPY, so only three, each for a
-- query shape the primary key (cluster_id, start_time, id) and the BRIN cannot answer:
--
-- 1. Denied flows, newest first: the SRE's default view. Partial, so allowed flows (the bulk of
--    traffic) cost nothing at ingest; keys grow with time, so inserts append at the right edge.
CREATE INDEX flows_denied_time_idx ON flows (cluster_id, start_time, id) WHERE verdict = 'denied';
-- 2./3. One workload (or namespace, IP) over a long window: the endpoint filter resolves to a few
--    endpoint ids in the dictionary, and these find their flows without scanning the window.
CREATE INDEX flows_dst_time_idx ON flows (cluster_id, dst_id, start_time);
CREATE INDEX flows_src_time_idx ON flows (cluster_id, src_id, start_time);
