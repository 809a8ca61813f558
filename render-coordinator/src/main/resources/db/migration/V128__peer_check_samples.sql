-- The trusted verifier samples every peer-checked tile too. A check waits in SAMPLING until the verifier's sample passes;
-- some of the sample's pixels then join the check as known answers of the same tile (reference: the verifier's value,
-- NaN elsewhere), which bounds what a colluding worker and peer can pass per tile.
ALTER TABLE peer_checks DROP CONSTRAINT peer_checks_state_check;
ALTER TABLE peer_checks ADD CONSTRAINT peer_checks_state_check
    CHECK (state IN ('SAMPLING', 'OPEN', 'ISSUED', 'PASSED', 'REFEREE', 'FAILED'));
ALTER TABLE peer_checks ALTER COLUMN state SET DEFAULT 'SAMPLING';
ALTER TABLE peer_checks ADD COLUMN reference REAL[];
ALTER TABLE peer_checks ADD COLUMN opened_at TIMESTAMPTZ;
UPDATE peer_checks SET opened_at = created_at;
-- A disputed check goes to a third peer first: the first peer's report waits here until the third one answers.
ALTER TABLE peer_checks ADD COLUMN disputed_by TEXT;
ALTER TABLE peer_checks ADD COLUMN disputed_rgb REAL[];
ALTER TABLE peer_checks ADD COLUMN disputed_signature TEXT;
DROP INDEX peer_checks_waiting;
CREATE INDEX peer_checks_waiting ON peer_checks (id) WHERE state IN ('SAMPLING', 'OPEN', 'ISSUED');

-- The verifier's passing sample of a peer-checked tile attempt, kept whichever of result and verdict arrives first.
CREATE TABLE peer_check_samples (
    job_id     TEXT        NOT NULL,
    frame      INTEGER     NOT NULL,
    tile       INTEGER     NOT NULL,
    attempt    INTEGER     NOT NULL,
    evidence   JSONB       NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (job_id, frame, tile, attempt)
);
DROP INDEX peer_check_postings_one_fee; -- a dispute a third peer settles pays both peers that were right
