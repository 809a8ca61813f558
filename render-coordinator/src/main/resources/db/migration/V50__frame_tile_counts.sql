-- Frame completion without recounting tiles: each frame keeps how many tiles it has and how many are
-- verified; the verdict that verifies a tile adds one in the same transaction, so a frame is ready
-- exactly when tiles_verified = tiles_total.
ALTER TABLE frames ADD COLUMN tiles_total INTEGER;
ALTER TABLE frames ADD COLUMN tiles_verified INTEGER NOT NULL DEFAULT 0;
UPDATE frames f SET tiles_total = (SELECT count(*) FROM tiles t WHERE t.job_id = f.job_id AND t.frame = f.frame),
                    tiles_verified = (SELECT count(*) FROM tiles t WHERE t.job_id = f.job_id AND t.frame = f.frame AND t.state = 'VERIFIED');
ALTER TABLE frames ALTER COLUMN tiles_total SET NOT NULL;
ALTER TABLE frames ADD CONSTRAINT frames_tiles_verified_range CHECK (tiles_verified BETWEEN 0 AND tiles_total);


-- Frames not yet assembled: what the sweep for ready frames reads.
CREATE INDEX frames_not_done ON frames (job_id, frame) WHERE NOT done;
