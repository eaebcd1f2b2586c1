-- A partner cancels its own subscription; the poll loop goes on while another subscriber remains.
ALTER TABLE subscribers ADD COLUMN cancelled_at bigint NULL;
CREATE INDEX ix_subscribers_partner ON subscribers (partner_id, request_id);

-- A deleted endpoint keeps its delivery history (deliveries reference it); the API no longer shows it.
ALTER TABLE webhook_endpoints ADD COLUMN deleted_at bigint NULL;

-- Delivery lists filter an endpoint's deliveries by state and time.
CREATE INDEX ix_webhook_deliveries_endpoint_state ON webhook_deliveries (endpoint_id, state, created_at);
