-- While the shared budget holds due polls back, a look at a running job less likely than the average look to find it
-- finished waits behind the other due looks until yield_until (one planned interval after its time), then takes its
-- place by next_poll_at again. NULL: it never waits behind others. The claim reads it beside next_poll_at in the due
-- index's order; no index of its own.
ALTER TABLE tracked_requests ADD COLUMN yield_until BIGINT NULL;
