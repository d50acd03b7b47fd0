-- A queue that holds at scale.
-- Heartbeats renew `lease_expires_at` every few seconds. With no index on that
-- column (nor on progress or updated_at) and room left on each page, they are
-- HOT updates: no index entry is written and the row stays on its page.
DROP INDEX jobs_leases;
ALTER TABLE jobs SET (fillfactor = 70);
-- Running jobs are few (one per busy worker); the claim of expired leases and
-- settle_expired scan them through this index instead of the whole table.
CREATE INDEX jobs_running ON jobs (kind) WHERE status = 'running';
