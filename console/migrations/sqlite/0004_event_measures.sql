-- Each event's one number and one label, so analytics aggregates in SQL instead of reading
-- every body: `value` is session_ended's duration_ms, size_request_fulfilled's wait_ms,
-- share_ended's peak_viewers, suggestion_tapped's rank; `detail` is fit_feedback's verdict.
ALTER TABLE events ADD COLUMN value BIGINT;
ALTER TABLE events ADD COLUMN detail TEXT NOT NULL DEFAULT '';
UPDATE events SET
    value = CASE kind
        WHEN 'session_ended' THEN json_extract(body, '$.duration_ms')
        WHEN 'size_request_fulfilled' THEN json_extract(body, '$.wait_ms')
        WHEN 'share_ended' THEN json_extract(body, '$.peak_viewers')
        WHEN 'suggestion_tapped' THEN json_extract(body, '$.rank')
    END,
    detail = CASE kind WHEN 'fit_feedback' THEN json_extract(body, '$.verdict') ELSE '' END;
CREATE INDEX events_kind_at ON events (kind, at_ms);
