-- The partner portal. A portal link carries a one-time token: only its SHA-256 hash is stored, it expires, and
-- exchanging it sets used_at, so it works once on whichever replica the partner reaches.
CREATE TABLE portal_links (
    token_hash   text PRIMARY KEY,                  -- hex SHA-256 of the token
    partner_id   text NOT NULL REFERENCES partners (partner_id),
    created_at   bigint NOT NULL,
    expires_at   bigint NOT NULL,
    used_at      bigint NULL
);
CREATE INDEX ix_portal_links_expires ON portal_links (expires_at);

-- ASP.NET Core Data Protection keys (they encrypt the portal's session and antiforgery cookies), shared by every
-- replica so that a cookie issued by one is read by all.
CREATE TABLE data_protection_keys (
    name         text PRIMARY KEY,
    xml          text NOT NULL,
    created_at   bigint NOT NULL
);
