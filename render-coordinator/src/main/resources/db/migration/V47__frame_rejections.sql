-- Rejecting an assembled frame renders it again as a new generation: every tile of the frame gets a new
-- attempt, is verified and paid again. A tile is therefore paid once per generation of its frame.
ALTER TABLE frames ADD COLUMN generation INTEGER NOT NULL DEFAULT 1 CHECK (generation >= 1);

ALTER TABLE tile_payments ADD COLUMN generation INTEGER NOT NULL DEFAULT 1;
ALTER TABLE tile_payments DROP CONSTRAINT tile_paid_once;
ALTER TABLE tile_payments ADD CONSTRAINT tile_paid_once_per_generation UNIQUE (job_id, frame, tile, generation);

-- Who rejected which generation of a frame, when and why; the workers that rendered it (the re-render
-- avoids them where another worker can take the tiles) and the escrow entry that paid for the re-render.
CREATE TABLE frame_rejections (
    job_id       TEXT        NOT NULL,
    frame        INTEGER     NOT NULL,
    generation   INTEGER     NOT NULL,
    account      TEXT        NOT NULL,
    reason       TEXT        NOT NULL DEFAULT '',
    workers      TEXT[]      NOT NULL,
    top_up       BIGINT      NOT NULL CHECK (top_up >= 0),
    entry_id     BIGINT      REFERENCES ledger_entries (id),
    rejected_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (job_id, frame, generation),
    FOREIGN KEY (job_id, frame) REFERENCES frames (job_id, frame)
);
