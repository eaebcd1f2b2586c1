-- Partners authenticate with API keys (stored as SHA-256 hashes, never in clear) and register webhook endpoints.
CREATE TABLE partners (
    partner_id   text PRIMARY KEY,
    name         text NOT NULL,
    created_at   bigint NOT NULL,
    disabled_at  bigint NULL,
    -- Signs webhooks to the per-request webhook URLs of this partner's subscribers (endpoints have their own
    -- secrets). Created when first needed if the partner was created without one.
    signing_secret                       text NULL,
    previous_signing_secret              text NULL,
    previous_signing_secret_expires_at   bigint NULL
);

CREATE TABLE api_keys (
    key_id        text PRIMARY KEY,
    partner_id    text NOT NULL REFERENCES partners (partner_id),
    key_hash      text NOT NULL UNIQUE,             -- hex SHA-256 of the whole key
    key_prefix    text NOT NULL,                    -- the first characters, to recognise a key in lists
    name          text NULL,
    created_at    bigint NOT NULL,
    last_used_at  bigint NULL,
    revoked_at    bigint NULL
);
CREATE INDEX ix_api_keys_partner ON api_keys (partner_id);

CREATE TABLE webhook_endpoints (
    endpoint_id                 text PRIMARY KEY,
    partner_id                  text NOT NULL REFERENCES partners (partner_id),
    url                         text NOT NULL,
    description                 text NULL,
    event_types                 text NOT NULL,      -- space-separated: request.completed request.failed
    secret                      text NOT NULL,      -- whsec_...: needed in clear to sign
    previous_secret             text NULL,          -- still signed with until previous_secret_expires_at (rotation)
    previous_secret_expires_at  bigint NULL,
    disabled_at                 bigint NULL,
    disabled_reason             text NULL,
    failing_since               bigint NULL,        -- first failure of the current unbroken run of failures
    created_at                  bigint NOT NULL,
    updated_at                  bigint NOT NULL
);
CREATE INDEX ix_webhook_endpoints_partner ON webhook_endpoints (partner_id);

-- One row per message per destination; delivery_id is the webhook-id, the same on every attempt and replay.
CREATE TABLE webhook_deliveries (
    delivery_id      text PRIMARY KEY,
    endpoint_id      text NULL REFERENCES webhook_endpoints (endpoint_id),  -- NULL: a per-request webhook URL
    partner_id       text NULL,
    url              text NOT NULL,
    destination      text NOT NULL,                 -- fairness and concurrency key: endpoint:<id> or url:<scheme://host:port>
    request_id       text NOT NULL,
    subscriber_id    text NULL,
    event_type       text NOT NULL,
    payload          text NOT NULL,                 -- the body, byte for byte the same on every attempt
    state            text NOT NULL,                 -- Pending | Delivered | Failed
    attempts         integer NOT NULL DEFAULT 0,
    max_attempts     integer NULL,                 -- NULL: the configured schedule's length; a manual retry allows one more
    next_attempt_at  bigint NULL,
    lease_owner      text NULL,
    lease_until      bigint NULL,
    created_at       bigint NOT NULL,
    delivered_at     bigint NULL,
    last_status      integer NULL,
    last_error       text NULL
);
CREATE INDEX ix_webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE state = 'Pending';
CREATE INDEX ix_webhook_deliveries_destination ON webhook_deliveries (destination, next_attempt_at) WHERE state = 'Pending';
CREATE INDEX ix_webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, created_at);
CREATE INDEX ix_webhook_deliveries_partner ON webhook_deliveries (partner_id, created_at);

CREATE TABLE webhook_attempts (
    attempt_id     text PRIMARY KEY,
    delivery_id    text NOT NULL REFERENCES webhook_deliveries (delivery_id),
    attempt        integer NOT NULL,
    attempted_at   bigint NOT NULL,
    status_code    integer NULL,
    latency_ms     integer NOT NULL,
    response_body  text NULL,                       -- the first 20 KB
    error          text NULL
);
CREATE INDEX ix_webhook_attempts_delivery ON webhook_attempts (delivery_id, attempt);

-- Events for operators (WebhookEndpointDisabled, WebhookDeliveryExhausted): written in the transaction that
-- disables the endpoint or fails the delivery, published to the bus by their own dispatcher.
CREATE TABLE operator_events (
    message_id       text PRIMARY KEY,              -- the MassTransit MessageId, derived from what happened
    message_type     text NOT NULL,
    payload_json     text NOT NULL,
    created_at       bigint NOT NULL,
    next_attempt_at  bigint NOT NULL,
    attempts         integer NOT NULL DEFAULT 0,
    lease_owner      text NULL,
    lease_until      bigint NULL,
    sent_at          bigint NULL,
    last_error       text NULL
);
CREATE INDEX ix_operator_events_pending ON operator_events (next_attempt_at) WHERE sent_at IS NULL;
