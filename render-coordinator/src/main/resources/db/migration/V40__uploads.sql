-- Resumable uploads: a scene sent by the browser straight to object storage as an S3 multipart upload.
-- The coordinator records what was declared (size, optional SHA-256) and checks the stored parts against it.
CREATE TABLE uploads (
    id            TEXT PRIMARY KEY,
    account       TEXT        NOT NULL,
    filename      TEXT        NOT NULL,
    extension     TEXT        NOT NULL,
    size_bytes    BIGINT      NOT NULL CHECK (size_bytes > 0),
    sha256        TEXT,
    fingerprint   TEXT,
    part_size     BIGINT      NOT NULL CHECK (part_size > 0),
    part_count    INTEGER     NOT NULL CHECK (part_count > 0),
    object_key    TEXT        NOT NULL,
    s3_upload_id  TEXT        NOT NULL,
    state         TEXT        NOT NULL DEFAULT 'OPEN' CHECK (state IN ('OPEN', 'COMPLETING', 'COMPLETED', 'REJECTED')),
    scene_digest  TEXT REFERENCES scenes (digest),
    reason        TEXT,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- The same file (by the client's fingerprint) from the same account resumes its open upload.
CREATE UNIQUE INDEX uploads_open_fingerprint ON uploads (account, fingerprint) WHERE state IN ('OPEN', 'COMPLETING');
