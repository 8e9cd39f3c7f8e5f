-- Stores from the chain's inventory (time zone, opening hours, region), maintenance windows,
-- and each kiosk's telemetry losses someone has already looked at.
CREATE TABLE stores (
    id TEXT PRIMARY KEY,
    time_zone TEXT NOT NULL DEFAULT '',
    opening_hours TEXT NOT NULL DEFAULT '',
    region TEXT NOT NULL DEFAULT ''
);

-- No alert is raised for a kiosk of `store` (all of them when `kiosk` is empty) while a window lasts.
CREATE TABLE maintenance_windows (
    id BIGSERIAL PRIMARY KEY,
    store TEXT NOT NULL,
    kiosk TEXT NOT NULL DEFAULT '',
    from_ms BIGINT NOT NULL,
    to_ms BIGINT NOT NULL,
    reason TEXT NOT NULL,
    user_name TEXT NOT NULL
);
CREATE INDEX maintenance_windows_to ON maintenance_windows (to_ms);

-- Missing plus dropped events when someone last acknowledged a telemetry-loss alert.
ALTER TABLE kiosks ADD COLUMN loss_seen BIGINT NOT NULL DEFAULT 0;

-- Messages to staff share the outbox's numbering with events: counted (once each) so their
-- numbers are not taken for events that never arrived.
ALTER TABLE kiosks ADD COLUMN staff_records BIGINT NOT NULL DEFAULT 0;
CREATE TABLE staff_records (
    kiosk TEXT NOT NULL,
    record TEXT NOT NULL,
    PRIMARY KEY (kiosk, record)
);
