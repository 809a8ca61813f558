-- A job's clamp of indirect sample radiance (RenderSettings.clampIndirect); 0 renders without a clamp.
ALTER TABLE jobs ADD COLUMN clamp_indirect REAL NOT NULL DEFAULT 0;
