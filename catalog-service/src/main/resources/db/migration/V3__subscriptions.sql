-- Notification subscriptions: where the notifier sends rollout events. The notifier learns them from catalog.events.

-- Revisions come from one sequence, so that a subscription deleted and created again under the same name always
-- carries a higher revision than anything the notifier saw before.
CREATE SEQUENCE subscription_revision;

CREATE TABLE subscription (
    name                       VARCHAR(63)  PRIMARY KEY,
    kind                       VARCHAR(16)  NOT NULL,
    url                        TEXT         NOT NULL,
    -- comma-separated; empty for all
    applications               TEXT         NOT NULL,
    event_types                TEXT         NOT NULL,
    secret                     VARCHAR(255),
    previous_secret            VARCHAR(255),
    previous_secret_expires_at TIMESTAMPTZ,
    revision                   BIGINT       NOT NULL,
    created_at                 TIMESTAMPTZ  NOT NULL
);
