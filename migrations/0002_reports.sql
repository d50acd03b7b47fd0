-- Immutable audit reports: the JSON body, its sha256 over canonical JSON,
-- and headline figures as columns for filtering and history.

CREATE TABLE reports (
    id                            uuid PRIMARY KEY,
    job_id                        uuid REFERENCES jobs (id) ON DELETE SET NULL,
    dataset_id                    uuid NOT NULL,
    dataset_sha256                text NOT NULL,
    model_id                      uuid,
    verdict                       text NOT NULL CHECK (verdict IN ('pass', 'fail', 'inconclusive')),
    demographic_parity_difference double precision,
    equalized_odds_difference     double precision,
    body                          jsonb NOT NULL,
    sha256                        text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    created_by                    uuid,
    created_at                    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX reports_created ON reports (created_at DESC, id DESC);
CREATE INDEX reports_dataset ON reports (dataset_id, created_at DESC);
CREATE INDEX reports_model ON reports (model_id, created_at DESC);
CREATE UNIQUE INDEX reports_job ON reports (job_id) WHERE job_id IS NOT NULL;

CREATE FUNCTION reports_are_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'reports are immutable';
END;
$$;

CREATE TRIGGER reports_immutable BEFORE UPDATE ON reports
    FOR EACH ROW EXECUTE FUNCTION reports_are_immutable();
