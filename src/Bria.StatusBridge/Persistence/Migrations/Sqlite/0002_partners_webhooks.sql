-- Partners authenticate with API keys (stored as SHA-256 hashes, never in clear) and register webhook endpoints.
CREATE TABLE partners (
    partner_id   TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    disabled_at  INTEGER NULL,
    -- Signs webhooks to the per-request webhook URLs of this partner's subscribers (endpoints have their own
    -- secrets). Created when first needed if the partner was created without one.
    signing_secret                       TEXT NULL,
    previous_signing_secret              TEXT NULL,
    previous_signing_secret_expires_at   INTEGER NULL
);

CREATE TABLE api_keys (
    key_id        TEXT PRIMARY KEY,
    partner_id    TEXT NOT NULL REFERENCES partners (partner_id),
    key_hash      TEXT NOT NULL UNIQUE,             -- hex SHA-256 of the whole key
    key_prefix    TEXT NOT NULL,                    -- the first characters, to recognise a key in lists
    name          TEXT NULL,
    created_at    INTEGER NOT NULL,
    last_used_at  INTEGER NULL,
    revoked_at    INTEGER NULL
);
CREATE INDEX ix_api_keys_partner ON api_keys (partner_id);

CREATE TABLE webhook_endpoints (
    endpoint_id                 TEXT PRIMARY KEY,
    partner_id                  TEXT NOT NULL REFERENCES partners (partner_id),
    url                         TEXT NOT NULL,
    description                 TEXT NULL,
    event_types                 TEXT NOT NULL,      -- space-separated: request.completed request.failed
    secret                      TEXT NOT NULL,      -- whsec_...: needed in clear to sign
    previous_secret             TEXT NULL,          -- still signed with until previous_secret_expires_at (rotation)
    previous_secret_expires_at  INTEGER NULL,
    disabled_at                 INTEGER NULL,
    disabled_reason             TEXT NULL,
    failing_since               INTEGER NULL,        -- first failure of the current unbroken run of failures
    created_at                  INTEGER NOT NULL,
    updated_at                  INTEGER NOT NULL
);
CREATE INDEX ix_webhook_endpoints_partner ON webhook_endpoints (partner_id);

-- One row per message per destination; delivery_id is the webhook-id, the same on every attempt and replay.
CREATE TABLE webhook_deliveries (
    delivery_id      TEXT PRIMARY KEY,
    endpoint_id      TEXT NULL REFERENCES webhook_endpoints (endpoint_id),  -- NULL: a per-request webhook URL
    partner_id       TEXT NULL,
    url              TEXT NOT NULL,
    destination      TEXT NOT NULL,                 -- fairness and concurrency key: endpoint:<id> or url:<scheme://host:port>
    request_id       TEXT NOT NULL,
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
CREATE INDEX ix_webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE state = 'Pending';
CREATE INDEX ix_webhook_deliveries_destination ON webhook_deliveries (destination, next_attempt_at) WHERE state = 'Pending';
CREATE INDEX ix_webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, created_at);
CREATE INDEX ix_webhook_deliveries_partner ON webhook_deliveries (partner_id, created_at);

CREATE TABLE webhook_attempts (
    attempt_id     TEXT PRIMARY KEY,
    delivery_id    TEXT NOT NULL REFERENCES webhook_deliveries (delivery_id),
    attempt        INTEGER NOT NULL,
    attempted_at   INTEGER NOT NULL,
    status_code    INTEGER NULL,
    latency_ms     INTEGER NOT NULL,
    response_body  TEXT NULL,                       -- the first 20 KB
    error          TEXT NULL
);
CREATE INDEX ix_webhook_attempts_delivery ON webhook_attempts (delivery_id, attempt);

-- Events for operators (WebhookEndpointDisabled, WebhookDeliveryExhausted): written in the transaction that
-- disables the endpoint or fails the delivery, published to the bus by their own dispatcher.
CREATE TABLE operator_events (
    message_id       TEXT PRIMARY KEY,              -- the MassTransit MessageId, derived from what happened
    message_type     TEXT NOT NULL,
    payload_json     TEXT NOT NULL,
    created_at       INTEGER NOT NULL,
    next_attempt_at  INTEGER NOT NULL,
    attempts         INTEGER NOT NULL DEFAULT 0,
    lease_owner      TEXT NULL,
    lease_until      INTEGER NULL,
    sent_at          INTEGER NULL,
    last_error       TEXT NULL
);
CREATE INDEX ix_operator_events_pending ON operator_events (next_attempt_at) WHERE sent_at IS NULL;
