-- Written once for both databases: SQLite reads these type names by affinity (bigint and integer as INTEGER,
-- text as TEXT, double precision as REAL). Times are Unix milliseconds (bigint): one comparison rule, no time zones.
CREATE TABLE tracked_requests (
    request_id            text PRIMARY KEY,
    endpoint_kind         text NOT NULL,
    state                 text NOT NULL,            -- Tracking | Completed | Failed
    status_url            text NULL,
    created_at            bigint NOT NULL,
    updated_at            bigint NOT NULL,
    deadline              bigint NOT NULL,
    next_poll_at          bigint NULL,              -- NULL once terminal
    lease_owner           text NULL,
    lease_until           bigint NULL,
    polls                 integer NOT NULL DEFAULT 0,
    consecutive_unknown   integer NOT NULL DEFAULT 0,
    consecutive_transient integer NOT NULL DEFAULT 0,
    first_not_found_at    bigint NULL,
    last_polled_at        bigint NULL,
    last_observation      text NULL,
    last_http_status      integer NULL,
    failure_reason        text NULL,
    result_json           text NULL,
    error_json            text NULL,
    finished_at           bigint NULL,
    noticed_at            bigint NULL,
    trace_parent          text NULL
);
CREATE INDEX ix_tracked_requests_due ON tracked_requests (next_poll_at) WHERE state = 'Tracking';
CREATE INDEX ix_tracked_requests_deadline ON tracked_requests (deadline) WHERE state = 'Tracking';

CREATE TABLE subscribers (
    subscriber_id   text PRIMARY KEY,               -- derived from request and subscriber identity
    request_id      text NOT NULL REFERENCES tracked_requests (request_id),
    correlation_id  text NULL,
    partner_id      text NULL,
    webhook_url     text NULL,
    metadata_json   text NULL,
    created_at      bigint NOT NULL
);
CREATE INDEX ix_subscribers_request ON subscribers (request_id);

CREATE TABLE outbox (
    message_id      text PRIMARY KEY,               -- the MassTransit MessageId: stable across republishes
    request_id      text NOT NULL,
    subscriber_id   text NOT NULL,
    message_type    text NOT NULL,                  -- RequestCompleted | RequestFailed; the content is built from the stored outcome
    created_at      bigint NOT NULL,
    next_attempt_at bigint NOT NULL,
    attempts        integer NOT NULL DEFAULT 0,
    lease_owner     text NULL,
    lease_until     bigint NULL,
    sent_at         bigint NULL,
    last_error      text NULL
);
CREATE INDEX ix_outbox_pending ON outbox (next_attempt_at) WHERE sent_at IS NULL;

-- One shared upstream budget for every replica: a token bucket plus a pause after 429.
CREATE TABLE upstream_budget (
    id           integer PRIMARY KEY,
    tokens       double precision NOT NULL,
    refilled_at  bigint NOT NULL,
    paused_until bigint NOT NULL DEFAULT 0,
    throttles    integer NOT NULL DEFAULT 0
);
INSERT INTO upstream_budget (id, tokens, refilled_at) VALUES (1, 0, 0);
