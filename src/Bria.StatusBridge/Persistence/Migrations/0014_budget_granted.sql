-- Every status call the shared budget ever granted, counted by all replicas together: each replica reads how fast the
-- whole fleet spends the budget from it (learned schedules pace their looks to what the budget sustains).
ALTER TABLE upstream_budget ADD COLUMN granted BIGINT NOT NULL DEFAULT 0;
