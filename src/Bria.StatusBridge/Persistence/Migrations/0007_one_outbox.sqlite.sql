-- One outbox for every bus message. Outcome events (RequestCompleted, RequestFailed) keep request_id and
-- subscriber_id and are built from the stored outcome when published; operator events (WebhookEndpointDisabled,
-- WebhookDeliveryExhausted) carry their body in payload_json. operator_events folds into it, rows unchanged.
-- SQLite cannot drop a NOT NULL constraint: the outbox is rebuilt (nothing references it).
CREATE TABLE outbox_new (
    message_id      text PRIMARY KEY,               -- the MassTransit MessageId: stable across republishes
    request_id      text NULL,                      -- outcome events: the request and subscriber they are built from
    subscriber_id   text NULL,
    message_type    text NOT NULL,
    created_at      bigint NOT NULL,
    next_attempt_at bigint NOT NULL,
    attempts        integer NOT NULL DEFAULT 0,
    lease_owner     text NULL,
    lease_until     bigint NULL,
    sent_at         bigint NULL,
    last_error      text NULL,
    payload_json    text NULL                       -- operator events: the message body
);
INSERT INTO outbox_new (message_id, request_id, subscriber_id, message_type, created_at, next_attempt_at, attempts, lease_owner,
    lease_until, sent_at, last_error)
SELECT message_id, request_id, subscriber_id, message_type, created_at, next_attempt_at, attempts, lease_owner, lease_until,
    sent_at, last_error
FROM outbox;
INSERT INTO outbox_new (message_id, message_type, payload_json, created_at, next_attempt_at, attempts, lease_owner, lease_until,
    sent_at, last_error)
SELECT message_id, message_type, payload_json, created_at, next_attempt_at, attempts, lease_owner, lease_until, sent_at, last_error
FROM operator_events
WHERE true
ON CONFLICT (message_id) DO NOTHING;
DROP TABLE outbox;
DROP TABLE operator_events;
ALTER TABLE outbox_new RENAME TO outbox;
CREATE INDEX ix_outbox_pending ON outbox (next_attempt_at) WHERE sent_at IS NULL;
