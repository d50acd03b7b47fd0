-- Sharded audits: an audit job of a large Parquet dataset enqueues one
-- `audit_shard` job per row range (its children, `parent_id`), waits for them
-- (re-queued between checks, its attempts not counted) and merges what they
-- stored here: each shard's counts (`part`) and its PII findings lines (a blob).
ALTER TABLE jobs ADD COLUMN parent_id uuid REFERENCES jobs (id) ON DELETE CASCADE;
CREATE INDEX jobs_children ON jobs (parent_id) WHERE parent_id IS NOT NULL;

CREATE TABLE audit_parts (
    job_id          uuid PRIMARY KEY REFERENCES jobs (id) ON DELETE CASCADE,
    audit_job_id    uuid NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    shard           integer NOT NULL,
    part            jsonb NOT NULL,
    findings_sha256 text REFERENCES blobs (sha256),
    UNIQUE (audit_job_id, shard)
);
