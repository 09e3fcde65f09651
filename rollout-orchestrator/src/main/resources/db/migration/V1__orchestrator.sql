-- The orchestrator's own tables. No other service reads them.

-- One row per rollout; the state machine's state as one JSON document, locked while an input is applied.
CREATE TABLE rollout (
    id          VARCHAR(64)  PRIMARY KEY,
    application VARCHAR(63)  NOT NULL,
    ring        INTEGER      NOT NULL,
    phase       VARCHAR(16)  NOT NULL,
    state       TEXT         NOT NULL,
    created_at  TIMESTAMPTZ  NOT NULL,
    updated_at  TIMESTAMPTZ  NOT NULL
);
CREATE INDEX rollout_active ON rollout (application, ring)
    WHERE phase NOT IN ('SUCCEEDED', 'FAILED', 'ERRORED', 'ABORTED');

-- The ids of the events already applied, written in the transaction that applied them.
CREATE TABLE processed_event (
    event_id     VARCHAR(255) PRIMARY KEY,
    processed_at TIMESTAMPTZ  NOT NULL
);

CREATE TABLE outbox (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id    UUID         NOT NULL UNIQUE,
    topic       VARCHAR(249) NOT NULL,
    message_key VARCHAR(2048) NOT NULL,
    event_type  VARCHAR(255) NOT NULL,
    payload     TEXT         NOT NULL,
    created_at  TIMESTAMPTZ  NOT NULL
);
