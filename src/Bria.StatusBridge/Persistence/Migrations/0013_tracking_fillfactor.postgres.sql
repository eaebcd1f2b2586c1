-- Room on every page of tracked_requests for the next versions of its rows. The scheduler updates a tracking row
-- on every claim (lease) and every poll (schedule); PostgreSQL writes the new version on the same page when it
-- fits, and as a HOT update (no new index entries) when no indexed column changed, as for the claim's lease.
-- Packed full, the new version goes wherever the free-space map points: with a retention period of finished
-- requests in the table those are the history's pages, each with room for one more row, so every claimed row
-- moved to a page of its own that had to be read, dirtied and written to the WAL in full. Only pages written
-- from now on keep the room; a table rewrite (VACUUM FULL, pg_repack) applies it to the existing ones.
ALTER TABLE tracked_requests SET (fillfactor = 90);
