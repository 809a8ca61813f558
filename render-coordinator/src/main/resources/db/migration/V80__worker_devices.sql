-- The device a worker renders on and its device score (paths per second from its start benchmark),
-- as the worker last reported them; empty until it reports.
ALTER TABLE workers ADD COLUMN device_name TEXT;
ALTER TABLE workers ADD COLUMN device_paths_per_second DOUBLE PRECISION;
ALTER TABLE workers ADD COLUMN device_renderer TEXT;
ALTER TABLE workers ADD COLUMN device_reported_at TIMESTAMPTZ;
