-- notifier: the subscriptions it learned from catalog.events, and a durable queue of deliveries with their log.

CREATE TABLE subscription (
    name                       VARCHAR(63)  PRIMARY KEY,
    kind                       VARCHAR(16)  NOT NULL,
    url                        TEXT         NOT NULL,
    applications               TEXT         NOT NULL,  -- comma-separated; empty for all
    event_types                TEXT         NOT NULL,  -- comma-separated; empty for the kind's default
    secret                     VARCHAR(255),
    previous_secret            VARCHAR(255),
    previous_secret_expires_at TIMESTAMPTZ,
    revision                   BIGINT       NOT NULL,
    -- a deleted subscription stays as a tombstone, so that an older SubscriptionSaved read late cannot revive it
    deleted                    BOOLEAN      NOT NULL DEFAULT FALSE
);

-- One row per (subscription, event). State: PENDING (due at next_attempt_at), SENDING (leased to an instance until
-- lease_until), DELIVERED, FAILED (refused with a non-retryable answer), DEAD (retry budget spent), CANCELLED
-- (subscription deleted).
CREATE TABLE delivery (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    subscription    VARCHAR(63)  NOT NULL,
    ordering_key    VARCHAR(255) NOT NULL,  -- the rollout: one rollout's events reach a target in order
    event_id        VARCHAR(255) NOT NULL,
    event_type      VARCHAR(255) NOT NULL,
    body            TEXT         NOT NULL,  -- the structured CloudEvent as read from rollout.events
    state           VARCHAR(16)  NOT NULL,
    attempts        INTEGER      NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ  NOT NULL,
    lease_until     TIMESTAMPTZ,
    last_status     INTEGER,
    last_error      TEXT,
    created_at      TIMESTAMPTZ  NOT NULL,
    finished_at     TIMESTAMPTZ,
    UNIQUE (subscription, event_id)
);
CREATE INDEX delivery_open ON delivery (subscription, ordering_key, id) WHERE state IN ('PENDING', 'SENDING');
CREATE INDEX delivery_due ON delivery (next_attempt_at) WHERE state = 'PENDING';
CREATE INDEX delivery_log ON delivery (subscription, id DESC);

CREATE TABLE delivery_attempt (
    delivery_id BIGINT      NOT NULL REFERENCES delivery (id) ON DELETE CASCADE,
    attempt     INTEGER     NOT NULL,
    at          TIMESTAMPTZ NOT NULL,
    status      INTEGER,
    error       TEXT,
    duration_ms BIGINT      NOT NULL,
    PRIMARY KEY (delivery_id, attempt)
);
