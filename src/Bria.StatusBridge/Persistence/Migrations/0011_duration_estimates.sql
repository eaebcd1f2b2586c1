-- Learned poll schedules: per endpoint kind, a decayed histogram of how long jobs take from tracking start to Bria
-- finishing, shared by every replica and kept across restarts. Fixed size: one row per kind, a fixed array of bins.
CREATE TABLE duration_estimates (
    endpoint_kind text PRIMARY KEY,
    observations  bigint NOT NULL,   -- finished jobs folded in since the estimate began (not decayed)
    weights       text NOT NULL,     -- JSON array of the decayed weight per bin (DurationHistogram)
    updated_at    bigint NOT NULL
);
