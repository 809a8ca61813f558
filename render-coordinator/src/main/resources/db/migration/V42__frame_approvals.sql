-- An artist's approval of an assembled frame: until then the page shows a watermarked preview.
CREATE TABLE frame_approvals (
    job_id       TEXT        NOT NULL,
    frame        INTEGER     NOT NULL,
    account      TEXT        NOT NULL,
    approved_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (job_id, frame),
    FOREIGN KEY (job_id, frame) REFERENCES frames (job_id, frame)
);
