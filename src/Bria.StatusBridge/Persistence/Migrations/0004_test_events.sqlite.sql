-- A test event belongs to no tracked request: request_id becomes nullable. SQLite cannot drop a NOT NULL
-- constraint, so the table is rebuilt; webhook_attempts references it and is rebuilt with it (dropping the parent
-- first would fail the foreign key, and foreign_keys cannot be switched off inside the migration's transaction).
CREATE TABLE webhook_deliveries_new (
    delivery_id      TEXT PRIMARY KEY,
    endpoint_id      TEXT NULL REFERENCES webhook_endpoints (endpoint_id),  -- NULL: a per-request webhook URL
    partner_id       TEXT NULL,
    url              TEXT NOT NULL,
    destination      TEXT NOT NULL,                 -- fairness and concurrency key: endpoint:<id> or url:<scheme://host:port>
    request_id       TEXT NULL,                     -- NULL: a test event, about no request
    subscriber_id    TEXT NULL,
    event_type       TEXT NOT NULL,
    payload          TEXT NOT NULL,                 -- the body, byte for byte the same on every attempt
    state            TEXT NOT NULL,                 -- Pending | Delivered | Failed
    attempts         INTEGER NOT NULL DEFAULT 0,
    max_attempts     INTEGER NULL,                 -- NULL: the configured schedule's length; a manual retry allows one more
    next_attempt_at  INTEGER NULL,
    lease_owner      TEXT NULL,
    lease_until      INTEGER NULL,
    created_at       INTEGER NOT NULL,
    delivered_at     INTEGER NULL,
    last_status      INTEGER NULL,
    last_error       TEXT NULL
);
INSERT INTO webhook_deliveries_new (delivery_id, endpoint_id, partner_id, url, destination, request_id, subscriber_id,
    event_type, payload, state, attempts, max_attempts, next_attempt_at, lease_owner, lease_until, created_at,
    delivered_at, last_status, last_error)
SELECT delivery_id, endpoint_id, partner_id, url, destination, CASE WHEN request_id = '' THEN NULL ELSE request_id END,
    subscriber_id, event_type, payload, state, attempts, max_attempts, next_attempt_at, lease_owner, lease_until,
    created_at, delivered_at, last_status, last_error
FROM webhook_deliveries;

CREATE TABLE webhook_attempts_new (
    attempt_id     TEXT PRIMARY KEY,
    delivery_id    TEXT NOT NULL REFERENCES webhook_deliveries_new (delivery_id),
    attempt        INTEGER NOT NULL,
    attempted_at   INTEGER NOT NULL,
    status_code    INTEGER NULL,
    latency_ms     INTEGER NOT NULL,
    response_body  TEXT NULL,                       -- the first 20 KB
    error          TEXT NULL
);
INSERT INTO webhook_attempts_new (attempt_id, delivery_id, attempt, attempted_at, status_code, latency_ms, response_body, error)
SELECT attempt_id, delivery_id, attempt, attempted_at, status_code, latency_ms, response_body, error FROM webhook_attempts;

DROP TABLE webhook_attempts;
DROP TABLE webhook_deliveries;
-- Renaming rewrites webhook_attempts_new's reference to the new name.
ALTER TABLE webhook_deliveries_new RENAME TO webhook_deliveries;
ALTER TABLE webhook_attempts_new RENAME TO webhook_attempts;

CREATE INDEX ix_webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE state = 'Pending';
CREATE INDEX ix_webhook_deliveries_destination ON webhook_deliveries (destination, next_attempt_at) WHERE state = 'Pending';
CREATE INDEX ix_webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, created_at);
CREATE INDEX ix_webhook_deliveries_partner ON webhook_deliveries (partner_id, created_at);
CREATE INDEX ix_webhook_deliveries_endpoint_state ON webhook_deliveries (endpoint_id, state, created_at);
CREATE INDEX ix_webhook_attempts_delivery ON webhook_attempts (delivery_id, attempt);
