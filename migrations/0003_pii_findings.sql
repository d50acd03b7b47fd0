-- PII findings exports: the redacted per-cell NDJSON an audit's PII check
-- wrote, stored as a blob that the report references (and so keeps alive).

ALTER TABLE reports ADD COLUMN pii_findings_sha256 text REFERENCES blobs (sha256);
CREATE INDEX reports_pii_findings ON reports (pii_findings_sha256) WHERE pii_findings_sha256 IS NOT NULL;
