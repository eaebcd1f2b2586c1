-- A test event belongs to no tracked request: its delivery has no request_id (it used to be stored as '').
ALTER TABLE webhook_deliveries ALTER COLUMN request_id DROP NOT NULL;
UPDATE webhook_deliveries SET request_id = NULL WHERE request_id = '';
