-- Analytics read hourly counts instead of events: one row per store, hour, kind, label and
-- value bucket (a duration or wait in whole seconds, a suggestion's rank; -1 for the rest), with
-- how many events and the sum of their numbers. Ingestion adds each event in its transaction.
CREATE TABLE event_rollup (
    store TEXT NOT NULL,
    hour_ms BIGINT NOT NULL,
    kind TEXT NOT NULL,
    detail TEXT NOT NULL,
    bucket BIGINT NOT NULL,
    n BIGINT NOT NULL,
    total BIGINT NOT NULL,
    PRIMARY KEY (store, hour_ms, kind, detail, bucket)
);
CREATE INDEX event_rollup_hour ON event_rollup (hour_ms);
INSERT INTO event_rollup (store, hour_ms, kind, detail, bucket, n, total)
SELECT store, at_ms - at_ms % 3600000, kind, detail,
       CASE WHEN kind IN ('session_ended', 'size_request_fulfilled') THEN COALESCE(value, 0) / 1000
            WHEN kind = 'suggestion_tapped' THEN COALESCE(value, -1) ELSE -1 END,
       COUNT(*), COALESCE(SUM(value), 0)
FROM events
GROUP BY store, at_ms - at_ms % 3600000, kind, detail,
       CASE WHEN kind IN ('session_ended', 'size_request_fulfilled') THEN COALESCE(value, 0) / 1000
            WHEN kind = 'suggestion_tapped' THEN COALESCE(value, -1) ELSE -1 END;
-- Analytics no longer scan events by kind.
DROP INDEX events_kind_at;
