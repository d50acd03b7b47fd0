-- Foundation schema: API keys, append-only audit log, content-addressed blobs,
-- datasets, models and the durable job queue.

CREATE TABLE api_keys (
    id           uuid PRIMARY KEY,
    name         text NOT NULL,
    role         text NOT NULL CHECK (role IN ('admin', 'auditor', 'viewer')),
    token_prefix text NOT NULL,
    token_sha256 bytea NOT NULL UNIQUE,
    created_at   timestamptz NOT NULL DEFAULT now(),
    revoked_at   timestamptz
);

CREATE TABLE audit_log (
    id            bigserial PRIMARY KEY,
    at            timestamptz NOT NULL DEFAULT now(),
    actor_key_id  uuid,
    actor         text NOT NULL,
    action        text NOT NULL,
    resource_type text NOT NULL,
    resource_id   text NOT NULL,
    details       jsonb NOT NULL DEFAULT '{}'::jsonb
);

CREATE FUNCTION audit_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END;
$$;

CREATE TRIGGER audit_log_append_only
    BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_is_append_only();

CREATE TABLE blobs (
    sha256     text PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    size_bytes bigint NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE datasets (
    id          uuid PRIMARY KEY,
    name        text NOT NULL,
    filename    text,
    format      text NOT NULL CHECK (format IN ('csv', 'parquet', 'ndjson')),
    blob_sha256 text NOT NULL REFERENCES blobs (sha256),
    size_bytes  bigint NOT NULL,
    row_count   bigint NOT NULL,
    columns     jsonb NOT NULL,
    profiled_at timestamptz NOT NULL DEFAULT now(),
    lineage     jsonb,
    created_by  uuid,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX datasets_created ON datasets (created_at DESC, id DESC);
CREATE INDEX datasets_blob ON datasets (blob_sha256);

CREATE TABLE models (
    id          uuid PRIMARY KEY,
    name        text NOT NULL,
    version     text NOT NULL,
    features    jsonb NOT NULL,
    output      text NOT NULL CHECK (output IN ('logit', 'probability')),
    threshold   double precision NOT NULL,
    blob_sha256 text NOT NULL REFERENCES blobs (sha256),
    size_bytes  bigint NOT NULL,
    lineage     jsonb,
    created_by  uuid,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX models_created ON models (created_at DESC, id DESC);
CREATE INDEX models_blob ON models (blob_sha256);

CREATE TABLE jobs (
    id                uuid PRIMARY KEY,
    kind              text NOT NULL,
    status            text NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
    payload           jsonb NOT NULL,
    result            jsonb,
    error             text,
    progress          double precision NOT NULL DEFAULT 0,
    progress_message  text,
    attempts          integer NOT NULL DEFAULT 0,
    max_attempts      integer NOT NULL,
    run_after         timestamptz NOT NULL DEFAULT now(),
    lease_expires_at  timestamptz,
    locked_by         text,
    cancel_requested  boolean NOT NULL DEFAULT false,
    idempotency_key   text,
    created_by        uuid,
    created_at        timestamptz NOT NULL DEFAULT now(),
    started_at        timestamptz,
    finished_at       timestamptz,
    updated_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX jobs_claimable ON jobs (run_after, created_at) WHERE status = 'queued';
CREATE INDEX jobs_leases ON jobs (lease_expires_at) WHERE status = 'running';
CREATE INDEX jobs_created ON jobs (created_at DESC, id DESC);
CREATE UNIQUE INDEX jobs_idempotency ON jobs (created_by, kind, idempotency_key) WHERE idempotency_key IS NOT NULL;

-- One row per claim of a job: who ran which attempt, and how it ended.
CREATE TABLE job_runs (
    id          bigserial PRIMARY KEY,
    job_id      uuid NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    attempt     integer NOT NULL,
    worker      text NOT NULL,
    started_at  timestamptz NOT NULL DEFAULT now(),
    finished_at timestamptz,
    outcome     text
);
CREATE INDEX job_runs_job ON job_runs (job_id);
