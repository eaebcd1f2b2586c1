-- Bria's own signed webhooks (the push fast path). A request whose producer asked Bria to push to the bridge polls
-- on the sparse safety schedule; a webhook that arrives before its TrackRequest waits here until the request is
-- tracked (bounded in count by the receiver and in age by the purge loop).
ALTER TABLE tracked_requests ADD COLUMN bria_pushes integer NOT NULL DEFAULT 0;

CREATE TABLE early_bria_webhooks (
    request_id   text PRIMARY KEY,
    received_at  bigint NOT NULL,
    terminal     integer NOT NULL,                  -- 1: the body ends the request; 0: a hint to poll
    body         text NOT NULL                      -- Bria's status body, exactly as signed
);
CREATE INDEX ix_early_bria_webhooks_received ON early_bria_webhooks (received_at);
