-- Rollouts as the catalog knows them: the request (with its snapshot) and a projection of rollout.events.

CREATE TABLE rollout (
    id             VARCHAR(64)  PRIMARY KEY,
    application_id BIGINT       NOT NULL REFERENCES application (id) ON DELETE CASCADE,
    ring           INTEGER      NOT NULL,
    phase          VARCHAR(16)  NOT NULL,
    reason         TEXT,
    requested_by   VARCHAR(255) NOT NULL,
    requested_at   TIMESTAMPTZ  NOT NULL,
    updated_at     TIMESTAMPTZ  NOT NULL,
    request        TEXT         NOT NULL
);
CREATE INDEX rollout_history ON rollout (application_id, ring, requested_at DESC);
-- At most one rollout per application and ring that is not over.
CREATE UNIQUE INDEX rollout_one_active ON rollout (application_id, ring)
    WHERE phase NOT IN ('SUCCEEDED', 'FAILED', 'ERRORED', 'ABORTED');

-- The rollout's events, in the order they were received: its timeline, and what its steps are folded from.
CREATE TABLE rollout_event (
    seq        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    rollout_id VARCHAR(64)  NOT NULL REFERENCES rollout (id) ON DELETE CASCADE,
    event_id   VARCHAR(255) NOT NULL UNIQUE,
    type       VARCHAR(255) NOT NULL,
    time       TIMESTAMPTZ  NOT NULL,
    payload    TEXT         NOT NULL
);
CREATE INDEX rollout_event_rollout ON rollout_event (rollout_id, seq);

-- The version each ring runs, per service, set when a rollout of that ring succeeds.
CREATE TABLE ring_version (
    service_id BIGINT       NOT NULL REFERENCES service (id) ON DELETE CASCADE,
    ring       INTEGER      NOT NULL,
    version    VARCHAR(128) NOT NULL,
    rollout_id VARCHAR(64)  NOT NULL,
    updated_at TIMESTAMPTZ  NOT NULL,
    PRIMARY KEY (service_id, ring)
);
