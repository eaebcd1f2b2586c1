-- Learned schedules plan each look at a running job one planned interval after the last; a look may come earlier, from
-- early_poll_at on (one minimum interval after the last), when the shared budget holds calls its planned looks left
-- unspent. NULL: the look is never taken before next_poll_at (fixed schedules, first looks, long tails).
ALTER TABLE tracked_requests ADD COLUMN early_poll_at BIGINT NULL;
-- Only running jobs inside a learned window hold one: a claim looking for looks to take early reads this small index,
-- not every tracking request's next poll (most of them, at a light load all, have none). The claim's lease update
-- changes no indexed column and stays a HOT update.
CREATE INDEX ix_tracked_requests_early ON tracked_requests (early_poll_at) WHERE state = 'Tracking' AND early_poll_at IS NOT NULL;
-- The calls granted to such early looks, all replicas together (a part of granted): the planned interval follows the
-- planned looks' spend, not the spare calls early looks take.
ALTER TABLE upstream_budget ADD COLUMN early_granted BIGINT NOT NULL DEFAULT 0;
