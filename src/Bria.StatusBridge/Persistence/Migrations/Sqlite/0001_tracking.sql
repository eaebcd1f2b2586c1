-- Times are Unix milliseconds (INTEGER) in both providers: one comparison rule, no time-zone surprises.
CREATE TABLE tracked_requests (
    request_id            TEXT PRIMARY KEY,
    endpoint_kind         TEXT NOT NULL,
    state                 TEXT NOT NULL,            -- Tracking | Completed | Failed
    status_url            TEXT NULL,
    created_at            INTEGER NOT NULL,
    updated_at            INTEGER NOT NULL,
    deadline              INTEGER NOT NULL,
    next_poll_at          INTEGER NULL,              -- NULL once terminal
    lease_owner           TEXT NULL,
    lease_until           INTEGER NULL,
    polls                 INTEGER NOT NULL DEFAULT 0,
    consecutive_unknown   INTEGER NOT NULL DEFAULT 0,
    consecutive_transient INTEGER NOT NULL DEFAULT 0,
    first_not_found_at    INTEGER NULL,
    last_polled_at        INTEGER NULL,
    last_observation      TEXT NULL,
    last_http_status      INTEGER NULL,
    failure_reason        TEXT NULL,
    result_json           TEXT NULL,
    error_json            TEXT NULL,
    finished_at           INTEGER NULL,
    noticed_at            INTEGER NULL,
    trace_parent          TEXT NULL
);
CREATE INDEX ix_tracked_requests_due ON tracked_requests (next_poll_at) WHERE state = 'Tracking';
CREATE INDEX ix_tracked_requests_deadline ON tracked_requests (deadline) WHERE state = 'Tracking';

CREATE TABLE subscribers (
    subscriber_id   TEXT PRIMARY KEY,               -- derived from request and subscriber identity
    request_id      TEXT NOT NULL REFERENCES tracked_requests (request_id),
    correlation_id  TEXT NULL,
    partner_id      TEXT NULL,
    webhook_url     TEXT NULL,
    metadata_json   TEXT NULL,
    created_at      INTEGER NOT NULL
);
CREATE INDEX ix_subscribers_request ON subscribers (request_id);

CREATE TABLE outbox (
    message_id      TEXT PRIMARY KEY,               -- the MassTransit MessageId: stable across republishes
    request_id      TEXT NOT NULL,
    subscriber_id   TEXT NOT NULL,
    message_type    TEXT NOT NULL,                  -- RequestCompleted | RequestFailed; the content is built from the stored outcome
    created_at      INTEGER NOT NULL,
    next_attempt_at INTEGER NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    lease_owner     TEXT NULL,
    lease_until     INTEGER NULL,
    sent_at         INTEGER NULL,
    last_error      TEXT NULL
);
CREATE INDEX ix_outbox_pending ON outbox (next_attempt_at) WHERE sent_at IS NULL;

-- One shared upstream budget for every replica: a token bucket plus a pause after 429.
CREATE TABLE upstream_budget (
    id           INTEGER PRIMARY KEY,
    tokens       REAL NOT NULL,
    refilled_at  INTEGER NOT NULL,
    paused_until INTEGER NOT NULL DEFAULT 0,
    throttles    INTEGER NOT NULL DEFAULT 0
);
INSERT INTO upstream_budget (id, tokens, refilled_at) VALUES (1, 0, 0);
