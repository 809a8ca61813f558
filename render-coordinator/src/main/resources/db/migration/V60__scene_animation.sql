-- The frames a scene's node animation spans (0 frames: a still scene), for the scene summary.
ALTER TABLE scenes
    ADD COLUMN animation_frames      INTEGER NOT NULL DEFAULT 0,
    ADD COLUMN animation_first_frame INTEGER NOT NULL DEFAULT 1,
    ADD COLUMN animation_last_frame  INTEGER NOT NULL DEFAULT 1,
    ADD COLUMN animation_frame_rate  REAL    NOT NULL DEFAULT 24;
