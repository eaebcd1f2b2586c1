-- Retention: the purge finds the oldest finished rows through these partial indexes (small: they cover history
-- only, or pending rows only), and checks that nothing pending still needs a request before removing it.
CREATE INDEX ix_tracked_requests_finished ON tracked_requests (updated_at) WHERE state <> 'Tracking';
CREATE INDEX ix_outbox_sent ON outbox (sent_at) WHERE sent_at IS NOT NULL;
CREATE INDEX ix_outbox_request_pending ON outbox (request_id) WHERE sent_at IS NULL;
CREATE INDEX ix_webhook_deliveries_finished ON webhook_deliveries (created_at) WHERE state <> 'Pending';
CREATE INDEX ix_webhook_deliveries_request_pending ON webhook_deliveries (request_id) WHERE state = 'Pending';
CREATE INDEX ix_webhook_attempts_answer ON webhook_attempts (attempted_at) WHERE response_body IS NOT NULL;
