-- Datasets by reference: Parquet objects already in S3-compatible storage,
-- recorded with each object's URL, size and ETag (`source`) and the sha256 of
-- that record (`source_sha256`) instead of a blob.
ALTER TABLE datasets ALTER COLUMN blob_sha256 DROP NOT NULL;
ALTER TABLE datasets ADD COLUMN source jsonb;
ALTER TABLE datasets ADD COLUMN source_sha256 text;
ALTER TABLE datasets ADD CONSTRAINT datasets_blob_or_source CHECK (
    (blob_sha256 IS NOT NULL AND source IS NULL AND source_sha256 IS NULL)
    OR (blob_sha256 IS NULL AND source IS NOT NULL AND source_sha256 IS NOT NULL)
);
