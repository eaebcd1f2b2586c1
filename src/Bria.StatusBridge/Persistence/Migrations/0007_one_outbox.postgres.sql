-- One outbox for every bus message. Outcome events (RequestCompleted, RequestFailed) keep request_id and
-- subscriber_id and are built from the stored outcome when published; operator events (WebhookEndpointDisabled,
-- WebhookDeliveryExhausted) carry their body in payload_json. operator_events folds into it, rows unchanged.
ALTER TABLE outbox ALTER COLUMN request_id DROP NOT NULL;
ALTER TABLE outbox ALTER COLUMN subscriber_id DROP NOT NULL;
ALTER TABLE outbox ADD COLUMN payload_json text NULL;
INSERT INTO outbox (message_id, message_type, payload_json, created_at, next_attempt_at, attempts, lease_owner, lease_until, sent_at, last_error)
SELECT message_id, message_type, payload_json, created_at, next_attempt_at, attempts, lease_owner, lease_until, sent_at, last_error
FROM operator_events
ON CONFLICT (message_id) DO NOTHING;
DROP TABLE operator_events;
