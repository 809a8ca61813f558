-- Meshes placed as instances: how many placements, and the triangles they show (stored once in the package).
ALTER TABLE scenes ADD COLUMN instances integer NOT NULL DEFAULT 0;
ALTER TABLE scenes ADD COLUMN instanced_triangles bigint NOT NULL DEFAULT 0;
