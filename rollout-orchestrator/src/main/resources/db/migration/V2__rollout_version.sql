-- Incremented by every write of a rollout's state: an instance that wrote version N may reuse the state it holds in
-- memory while the row still says N, instead of reading and parsing the document again.
ALTER TABLE rollout ADD COLUMN version BIGINT NOT NULL DEFAULT 0;
