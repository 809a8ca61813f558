-- The frames a scene's node animation spans (0 frames: a still scene), for the scene summary.
-- IF NOT EXISTS: another migration may already have added the frame count.
ALTER TABLE scenes ADD COLUMN IF NOT EXISTS animation_frames      INTEGER NOT NULL DEFAULT 0;
ALTER TABLE scenes ADD COLUMN IF NOT EXISTS animation_first_frame INTEGER NOT NULL DEFAULT 1;
ALTER TABLE scenes ADD COLUMN IF NOT EXISTS animation_last_frame  INTEGER NOT NULL DEFAULT 1;
ALTER TABLE scenes ADD COLUMN IF NOT EXISTS animation_frame_rate  REAL    NOT NULL DEFAULT 24;
