-- The large, separately changing pieces of a rollout's state (the ring's clusters; each step's cluster statuses),
-- so that a batch of answers for one service rewrites its part and not the whole document. rollout.state keeps the
-- rest; a state written before this migration holds everything itself until its next save.
CREATE TABLE rollout_part (
    rollout_id VARCHAR(64)  NOT NULL REFERENCES rollout (id) ON DELETE CASCADE,
    name       VARCHAR(300) NOT NULL,
    body       TEXT         NOT NULL,
    PRIMARY KEY (rollout_id, name)
);
