-- Numerical classes: devices whose facts (ids, driver, name, float controls, renderer version) are equal form one
-- class. A class is the trusted verifier's own, proven (complete probe runs from enough owners matched the verifier's
-- bit for bit), or unproven; two classes are equivalent when complete probe runs of both came back bit-identical.
-- Status and equivalence are derived from the runs below whenever they are read, never stored.
CREATE TABLE numerical_classes (
    id               TEXT        PRIMARY KEY,
    renderer_version TEXT        NOT NULL,
    facts            JSONB       NOT NULL,
    first_seen_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_seen_at     TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX numerical_classes_seen ON numerical_classes (last_seen_at DESC);

-- Which workers (and so which owners) reported a class, and when last.
CREATE TABLE numerical_class_workers (
    class_id    TEXT        NOT NULL REFERENCES numerical_classes (id),
    worker_id   TEXT        NOT NULL,
    owner       TEXT        NOT NULL,
    reported_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (class_id, worker_id)
);
ALTER TABLE workers ADD COLUMN numerical_class TEXT REFERENCES numerical_classes (id);

-- The trusted verifier's class and its probe digests, per renderer version: the answers every probe run is held to.
CREATE TABLE probe_references (
    renderer_version TEXT        PRIMARY KEY,
    class_id         TEXT        NOT NULL REFERENCES numerical_classes (id),
    probe_count      INTEGER     NOT NULL,
    digests          TEXT[]      NOT NULL,
    fingerprint      TEXT        NOT NULL,
    set_at           TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- One worker's run of the probe tiles for its class: issued at a claim, in place of a ticket, then reported once.
-- mismatches counts the probes whose digest differs from the reference's when the run was reported.
CREATE TABLE probe_runs (
    worker_id    TEXT        NOT NULL,
    class_id     TEXT        NOT NULL REFERENCES numerical_classes (id),
    owner        TEXT        NOT NULL,
    probe_count  INTEGER     NOT NULL,
    issued_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    reported_at  TIMESTAMPTZ,
    digests      TEXT[],
    fingerprint  TEXT,
    mismatches   INTEGER,
    signature    TEXT,
    PRIMARY KEY (worker_id, class_id)
);
CREATE INDEX probe_runs_fingerprint ON probe_runs (fingerprint) WHERE fingerprint IS NOT NULL;
CREATE INDEX probe_runs_class ON probe_runs (class_id);
