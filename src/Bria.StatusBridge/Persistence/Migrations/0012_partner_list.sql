-- The portal's and the API's request list reads a partner's newest subscriptions first and stops at the page size,
-- so its cost does not grow with the partner's history (finished requests kept for the retention period).
CREATE INDEX ix_subscribers_partner_created ON subscribers (partner_id, created_at, request_id);
