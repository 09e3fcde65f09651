-- Each step's cluster statuses, one row per rollout, service and cluster, so that a batch of answers writes the rows
-- of the clusters it answers for. They were parts of rollout_part (a step's statuses whole, or in chunks of 256
-- clusters): answers come in no particular order, and at 10,000 clusters a batch of a hundred answers rewrote most
-- chunks of its steps (~0.7 MB). A state stored before this migration is read from its parts, and its statuses move
-- here at its next save.
CREATE TABLE cluster_status (
    rollout_id VARCHAR(64) NOT NULL REFERENCES rollout (id) ON DELETE CASCADE,
    service    TEXT        NOT NULL,
    cluster    TEXT        NOT NULL,
    position   INTEGER     NOT NULL, -- the order the step's statuses were first set in
    phase      VARCHAR(16) NOT NULL,
    state      TEXT,                 -- Fleet's state, for a failure
    message    TEXT,                 -- Fleet's message, for a failure
    PRIMARY KEY (rollout_id, service, cluster)
);
