-- A `metrics` role for Prometheus scraping: it may read /metrics and nothing else.
ALTER TABLE api_keys DROP CONSTRAINT api_keys_role_check;
ALTER TABLE api_keys ADD CONSTRAINT api_keys_role_check
    CHECK (role IN ('admin', 'auditor', 'viewer', 'metrics'));
