-- Continuous monitoring of deployed models (#12). A monitor counts the
-- decisions sent to it per window, feature and group (`monitor_counts`, the
-- mergeable counts of probity_fairness::monitoring); each decision is kept in
-- `monitor_records` only while a label may still arrive for it (event time:
-- `label_retention_days` behind the newest timestamp seen, `watermark`).
-- Alerts are immutable and carry their signed evidence.
CREATE TABLE monitors (
    id                   uuid PRIMARY KEY,
    name                 text NOT NULL,
    model_id             uuid REFERENCES models (id) ON DELETE SET NULL,
    request              jsonb NOT NULL,
    window_length        text NOT NULL CHECK (window_length IN ('hour', 'day', 'week')),
    watermark            timestamptz,
    created_by           uuid REFERENCES api_keys (id) ON DELETE SET NULL,
    created_at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX monitors_newest ON monitors (created_at DESC, id DESC);

CREATE TABLE monitor_records (
    monitor_id   uuid NOT NULL REFERENCES monitors (id) ON DELETE CASCADE,
    record_id    text COLLATE "C" NOT NULL,   -- compared bytewise: ids have no language order
    window_start timestamptz NOT NULL,
    groups       text NOT NULL,
    selected     boolean NOT NULL,
    score        double precision,
    label        boolean,
    PRIMARY KEY (monitor_id, record_id)
);
CREATE INDEX monitor_records_by_window ON monitor_records (monitor_id, window_start);
-- The records a label may still arrive for: late labels are matched through it.
CREATE INDEX monitor_records_unlabelled ON monitor_records (monitor_id, record_id) WHERE label IS NULL;

CREATE TABLE monitor_counts (
    monitor_id   uuid NOT NULL REFERENCES monitors (id) ON DELETE CASCADE,
    window_start timestamptz NOT NULL,
    feature      text NOT NULL,
    group_value  text NOT NULL,
    counts       jsonb NOT NULL,
    PRIMARY KEY (monitor_id, window_start, feature, group_value)
);

CREATE TABLE monitor_alerts (
    id              uuid PRIMARY KEY,
    monitor_id      uuid NOT NULL REFERENCES monitors (id) ON DELETE CASCADE,
    feature         text NOT NULL,
    rate            text NOT NULL,
    window_start    timestamptz NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    evidence        jsonb NOT NULL,
    evidence_sha256 text NOT NULL,
    signature       jsonb,
    UNIQUE (monitor_id, feature, rate)
);

CREATE FUNCTION monitor_alerts_are_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'monitor alerts are immutable';
END;
$$;
CREATE TRIGGER monitor_alerts_immutable BEFORE UPDATE ON monitor_alerts
    FOR EACH ROW EXECUTE FUNCTION monitor_alerts_are_immutable();
