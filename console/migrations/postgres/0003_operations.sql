-- Commands to kiosks and staged configuration rollouts. Times are Unix milliseconds.

-- What each kiosk was last asked to run (retained on …/config) and what it made of it
-- (…/config/reported), as JSON documents.
ALTER TABLE kiosks ADD COLUMN desired TEXT;
ALTER TABLE kiosks ADD COLUMN reported TEXT;

-- One command sent to one kiosk or to every kiosk a filter matched.
CREATE TABLE commands (
    id TEXT PRIMARY KEY,
    created_ms BIGINT NOT NULL,
    user_name TEXT NOT NULL,
    -- The action as the kiosks get it (JSON).
    action TEXT NOT NULL,
    -- What the targets were chosen by, as the person saw it ("store berlin-01, online").
    selection TEXT NOT NULL,
    expires_at_ms BIGINT NOT NULL
);
CREATE INDEX commands_created ON commands (created_ms);

-- One row per kiosk a command goes to: pending → sent → done | failed | rejected, or expired
-- (never sent before the command expired) or no_answer (sent, no ack before it expired).
CREATE TABLE command_targets (
    command TEXT NOT NULL,
    kiosk TEXT NOT NULL,
    store TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending',
    reason TEXT,
    sent_ms BIGINT,
    acked_ms BIGINT,
    PRIMARY KEY (command, kiosk)
);
CREATE INDEX command_targets_status ON command_targets (status);
CREATE INDEX command_targets_kiosk ON command_targets (kiosk);

-- A configuration change rolled out in stages: canaries, then waves.
CREATE TABLE rollouts (
    id TEXT PRIMARY KEY,
    created_ms BIGINT NOT NULL,
    user_name TEXT NOT NULL,
    -- The dotted keys and values (JSON object), merged over each kiosk's current desired set.
    settings TEXT NOT NULL,
    selection TEXT NOT NULL,
    canaries INTEGER NOT NULL,
    wave_percent INTEGER NOT NULL,
    soak_ms BIGINT NOT NULL,
    report_timeout_ms BIGINT NOT NULL,
    max_failures INTEGER NOT NULL,
    -- running → completed | stopped (by a failure or a person) → rolled_back
    state TEXT NOT NULL,
    reason TEXT,
    stage INTEGER NOT NULL DEFAULT 0,
    -- When every kiosk of the current stage had applied it (its soak started).
    stage_applied_ms BIGINT,
    updated_ms BIGINT NOT NULL
);

-- One row per kiosk of a rollout: waiting → sent → applied | rejected | no_report, then
-- rolled_back; `previous` is the kiosk's desired document before (JSON; NULL: it had none).
CREATE TABLE rollout_targets (
    rollout TEXT NOT NULL,
    kiosk TEXT NOT NULL,
    store TEXT NOT NULL,
    stage INTEGER NOT NULL,
    state TEXT NOT NULL DEFAULT 'waiting',
    reason TEXT,
    previous TEXT,
    sent_ms BIGINT,
    reported_ms BIGINT,
    PRIMARY KEY (rollout, kiosk)
);
CREATE INDEX rollout_targets_kiosk ON rollout_targets (kiosk);

-- A kiosk's state changes (online, lost, maintenance, degraded and why), for its timeline.
CREATE TABLE kiosk_timeline (
    kiosk TEXT NOT NULL,
    at_ms BIGINT NOT NULL,
    state TEXT NOT NULL
);
CREATE INDEX kiosk_timeline_kiosk_at ON kiosk_timeline (kiosk, at_ms);

-- At most one health sample per kiosk and minute, kept a week, for its charts.
CREATE TABLE health_samples (
    kiosk TEXT NOT NULL,
    at_ms BIGINT NOT NULL,
    render_fps DOUBLE PRECISION NOT NULL,
    camera_fps DOUBLE PRECISION NOT NULL,
    frame_age_ms DOUBLE PRECISION,
    cpu_percent DOUBLE PRECISION NOT NULL,
    outbox_depth DOUBLE PRECISION NOT NULL
);
CREATE INDEX health_samples_kiosk_at ON health_samples (kiosk, at_ms);

-- Each kiosk's latest screenshot (PNG, taken with the mirror blanked: no camera pixel in it).
CREATE TABLE screenshots (
    kiosk TEXT PRIMARY KEY,
    at_ms BIGINT NOT NULL,
    png BYTEA NOT NULL
);
