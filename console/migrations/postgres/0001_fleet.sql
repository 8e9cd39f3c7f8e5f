-- The console's head-office schema (PostgreSQL). Times are Unix milliseconds. Events are
-- partitioned by month (the console creates each month's partition before its first event;
-- a default partition catches anything else, so no event is ever refused).
CREATE TABLE kiosks (
    id TEXT PRIMARY KEY,
    store TEXT NOT NULL DEFAULT '',
    presence TEXT NOT NULL DEFAULT 'unknown',
    maintenance INTEGER NOT NULL DEFAULT 0,
    version TEXT NOT NULL DEFAULT '',
    status_at_ms BIGINT NOT NULL DEFAULT 0,
    health TEXT,
    health_at_ms BIGINT NOT NULL DEFAULT 0,
    events BIGINT NOT NULL DEFAULT 0,
    min_seq BIGINT,
    max_seq BIGINT,
    outbox_dropped BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX kiosks_store ON kiosks (store);

CREATE TABLE events (
    id TEXT NOT NULL,
    kiosk TEXT NOT NULL,
    store TEXT NOT NULL DEFAULT '',
    seq BIGINT NOT NULL,
    at_ms BIGINT NOT NULL,
    -- The shopper's random session id (events v2), empty outside a session.
    session TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (id, at_ms)
) PARTITION BY RANGE (at_ms);
CREATE TABLE events_default PARTITION OF events DEFAULT;
CREATE INDEX events_store_at ON events (store, at_ms);
CREATE INDEX events_kiosk_seq ON events (kiosk, seq);

CREATE TABLE users (
    name TEXT PRIMARY KEY,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL,
    scope TEXT NOT NULL
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_name TEXT NOT NULL,
    expires_ms BIGINT NOT NULL
);

-- Append-only: nothing updates or deletes a row.
CREATE TABLE audit (
    id BIGSERIAL PRIMARY KEY,
    at_ms BIGINT NOT NULL,
    user_name TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL,
    detail TEXT NOT NULL
);
CREATE FUNCTION audit_append_only() RETURNS trigger AS $$
BEGIN RAISE EXCEPTION 'the audit log is append-only'; END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_no_change BEFORE UPDATE OR DELETE ON audit FOR EACH ROW EXECUTE FUNCTION audit_append_only();
