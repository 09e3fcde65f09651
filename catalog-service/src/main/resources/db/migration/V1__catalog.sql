-- The catalog's own tables. No other service reads them; they learn from catalog.events.

CREATE TABLE application (
    id                    BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name                  VARCHAR(63)  NOT NULL UNIQUE,
    description           VARCHAR(1024) NOT NULL DEFAULT '',
    ring_label            VARCHAR(317) NOT NULL,
    customization_pattern VARCHAR(63)  NOT NULL,
    created_at            TIMESTAMPTZ  NOT NULL
);

CREATE TABLE service (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    application_id  BIGINT        NOT NULL REFERENCES application (id) ON DELETE CASCADE,
    name            VARCHAR(63)   NOT NULL,
    repo_url        VARCHAR(2048) NOT NULL,
    branch          VARCHAR(255)  NOT NULL,
    path            VARCHAR(1024) NOT NULL,
    version_path    VARCHAR(255)  NOT NULL,
    current_version VARCHAR(128)  NOT NULL,
    planned_version VARCHAR(128),
    created_at      TIMESTAMPTZ   NOT NULL,
    UNIQUE (application_id, name)
);

-- service_id depends on depends_on_id; both of the same application (checked by the service layer).
CREATE TABLE service_dependency (
    service_id    BIGINT NOT NULL REFERENCES service (id) ON DELETE CASCADE,
    depends_on_id BIGINT NOT NULL REFERENCES service (id) ON DELETE CASCADE,
    PRIMARY KEY (service_id, depends_on_id),
    CHECK (service_id <> depends_on_id)
);
CREATE INDEX service_dependency_depends_on ON service_dependency (depends_on_id);

CREATE TABLE cluster (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    application_id  BIGINT       NOT NULL REFERENCES application (id) ON DELETE CASCADE,
    name            VARCHAR(63)  NOT NULL,
    ring            INTEGER      NOT NULL CHECK (ring >= 0),
    fleet_namespace VARCHAR(63)  NOT NULL,
    fleet_name      VARCHAR(253) NOT NULL,
    created_at      TIMESTAMPTZ  NOT NULL,
    UNIQUE (application_id, name)
);
CREATE INDEX cluster_ring ON cluster (application_id, ring);

-- Transactional outbox: written in the same transaction as the state it announces, published by the relay,
-- deleted once the broker has acknowledged it.
CREATE TABLE outbox (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id    UUID         NOT NULL UNIQUE,
    topic       VARCHAR(249) NOT NULL,
    message_key VARCHAR(2048) NOT NULL,
    event_type  VARCHAR(255) NOT NULL,
    payload     TEXT         NOT NULL,
    created_at  TIMESTAMPTZ  NOT NULL
);
