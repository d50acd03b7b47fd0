-- Optional Ed25519 signature of a report's sha256 (algorithm, key id,
-- public key and signature, all hex), written once with the report.

ALTER TABLE reports ADD COLUMN signature jsonb;
