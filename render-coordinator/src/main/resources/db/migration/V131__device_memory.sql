-- The compiled package's size, from which a job's device memory need is worked out; scenes uploaded before this
-- migration show 0, and their jobs' need counts their triangles alone.
ALTER TABLE scenes ADD COLUMN package_bytes BIGINT NOT NULL DEFAULT 0;
-- The device memory one task of the job needs (DeviceMemoryNeed.upperBound); a claim declaring less is refused.
-- Jobs submitted before this migration show 0 and go to any worker.
ALTER TABLE jobs ADD COLUMN device_memory_bytes BIGINT NOT NULL DEFAULT 0;
