-- The scene summary's mesh and camera counts, as the uploaded file declares them. Scenes uploaded before
-- this migration show 0.
ALTER TABLE scenes ADD COLUMN meshes  INTEGER NOT NULL DEFAULT 0;
ALTER TABLE scenes ADD COLUMN cameras INTEGER NOT NULL DEFAULT 0;
