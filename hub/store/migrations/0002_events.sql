-- Every centre's event log, stored once per (centre, seq); partitions by month of the
-- event's time are created as events arrive (hub.store.partitions).
CREATE TABLE events (
    centre_id text NOT NULL,
    seq bigint NOT NULL CHECK (seq >= 1),
    at timestamptz NOT NULL,
    type text NOT NULL,
    schema_version smallint NOT NULL,
    service_id text,
    counter_id text,
    ticket_id text,
    actor text,
    data jsonb NOT NULL,
    received_at timestamptz NOT NULL,
    -- A partitioned table's key must hold the partition column; an event's time never
    -- changes, so a resent event meets its first copy in the same partition.
    PRIMARY KEY (centre_id, seq, at)
) PARTITION BY RANGE (at);

-- How far each centre's log is stored without a gap (what the hub acknowledges),
-- and when the link was last heard from.
ALTER TABLE centres
    ADD COLUMN acknowledged_seq bigint NOT NULL DEFAULT 0,
    ADD COLUMN events_stored bigint NOT NULL DEFAULT 0,
    ADD COLUMN last_event_at timestamptz,
    ADD COLUMN last_contact_at timestamptz;
