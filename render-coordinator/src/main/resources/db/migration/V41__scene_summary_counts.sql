-- The scene summary's counts beyond triangles and materials. Scenes uploaded before this migration show 0.
ALTER TABLE scenes ADD COLUMN textures           INTEGER NOT NULL DEFAULT 0;
ALTER TABLE scenes ADD COLUMN lights             INTEGER NOT NULL DEFAULT 0;
ALTER TABLE scenes ADD COLUMN emissive_triangles BIGINT  NOT NULL DEFAULT 0;
