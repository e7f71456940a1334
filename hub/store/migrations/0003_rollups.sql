-- What a centre says about itself when its link starts (time zone, services).
ALTER TABLE centres
    ADD COLUMN timezone text,
    ADD COLUMN profile jsonb,
    ADD COLUMN profile_at timestamptz;

-- Each visit's latest known state: what its figures were last counted from.
CREATE TABLE visits (
    centre_id text NOT NULL,
    ticket_id text NOT NULL,
    service_id text NOT NULL,
    day date NOT NULL,
    last_seq bigint NOT NULL,
    status text NOT NULL,
    issued_at timestamptz NOT NULL,
    first_called_at timestamptz,
    started_at timestamptz,
    finished_at timestamptz,
    walk_direct boolean NOT NULL,
    target_wait_seconds integer NOT NULL,
    counter_id text,
    staff_id text,
    rating smallint,
    PRIMARY KEY (centre_id, ticket_id)
);
CREATE INDEX visits_open_by_centre ON visits (centre_id, status)
    WHERE status IN ('waiting', 'called', 'serving', 'parked');

-- Figures per centre x service x local day and x calendar month, kept in step with
-- the events in the same transaction. Histograms: whole seconds -> count, packed as
-- little-endian int32 pairs (hub.store.rollups).
CREATE TABLE rollups_daily (
    centre_id text NOT NULL,
    service_id text NOT NULL,
    day date NOT NULL,
    issued integer NOT NULL,
    served integer NOT NULL,
    no_shows integer NOT NULL,
    cancelled integer NOT NULL,
    expired integer NOT NULL,
    walk_direct integer NOT NULL,
    within_target integer NOT NULL,
    called integer NOT NULL,
    wait_seconds_sum bigint NOT NULL,
    wait_histogram bytea NOT NULL,
    service_count integer NOT NULL,
    service_seconds_sum bigint NOT NULL,
    service_histogram bytea NOT NULL,
    ratings integer[] NOT NULL CHECK (cardinality(ratings) = 5),
    PRIMARY KEY (centre_id, day, service_id)
);
CREATE INDEX rollups_daily_by_day ON rollups_daily (day);

CREATE TABLE rollups_monthly (LIKE rollups_daily INCLUDING ALL);
ALTER TABLE rollups_monthly RENAME COLUMN day TO month;
ALTER TABLE rollups_monthly ADD CHECK (extract(day FROM month) = 1);
