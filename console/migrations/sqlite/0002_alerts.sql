-- Alerts: one open row per kiosk and rule; acknowledged by a person, cleared when the condition ends.
CREATE TABLE alerts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kiosk TEXT NOT NULL,
    store TEXT NOT NULL,
    rule TEXT NOT NULL,
    detail TEXT NOT NULL,
    raised_ms BIGINT NOT NULL,
    acked_by TEXT,
    acked_ms BIGINT,
    cleared_ms BIGINT
);
CREATE INDEX alerts_open ON alerts (cleared_ms, kiosk);
