-- Token classifiers (NER models): a model's `kind` says which input it takes
-- and who runs it. A `token_classifier` has its BIO labels, its sequence
-- length and its vocabulary (one token per line; at most 4 MiB, kept here
-- with its sha256 and token count: the parent process tokenizes, the
-- sandboxed child never reads it, and it goes when the model row goes).
-- Existing models are scorers.
ALTER TABLE models ADD COLUMN kind text NOT NULL DEFAULT 'scorer'
    CHECK (kind IN ('scorer', 'token_classifier'));
ALTER TABLE models ADD COLUMN labels jsonb;
ALTER TABLE models ADD COLUMN max_tokens integer;
ALTER TABLE models ADD COLUMN vocabulary text;
ALTER TABLE models ADD COLUMN vocabulary_sha256 text;
ALTER TABLE models ADD COLUMN vocabulary_tokens integer;
ALTER TABLE models ADD CONSTRAINT models_token_classifier CHECK (
    (kind = 'scorer' AND labels IS NULL AND max_tokens IS NULL AND vocabulary IS NULL
        AND vocabulary_sha256 IS NULL AND vocabulary_tokens IS NULL)
    OR (kind = 'token_classifier' AND labels IS NOT NULL AND max_tokens IS NOT NULL
        AND vocabulary IS NOT NULL AND vocabulary_sha256 IS NOT NULL AND vocabulary_tokens IS NOT NULL)
);
