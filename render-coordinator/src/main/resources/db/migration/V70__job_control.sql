-- Job control: pause, resume and priority (a paused job stays RUNNING with paused set), and a dispatch window. Tiles of a new job start undispatched;
-- the dispatcher publishes a bounded number per job and per tier, highest priority first, and marks them
-- dispatched in the transaction that publishes them. Tiles of jobs created before this migration were all
-- published at launch, so they count as dispatched.
ALTER TABLE jobs ADD COLUMN priority INTEGER NOT NULL DEFAULT 50 CHECK (priority BETWEEN 0 AND 100);
ALTER TABLE jobs ADD COLUMN paused BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE tiles ADD COLUMN dispatched BOOLEAN NOT NULL DEFAULT TRUE;

-- What the dispatcher reads: a running job's tiles still to publish, and tiles out on the bus.
CREATE INDEX tiles_undispatched ON tiles (job_id, frame, tile) WHERE NOT dispatched;
CREATE INDEX tiles_out ON tiles (job_id) WHERE dispatched AND state = 'QUEUED';
CREATE INDEX jobs_dispatch_order ON jobs (tier, priority DESC, created_at, id) WHERE state = 'RUNNING';
