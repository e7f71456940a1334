-- Each counter's latest known state (open, paused, closed), for the live network view.
CREATE TABLE counter_states (
    centre_id text NOT NULL,
    counter_id text NOT NULL,
    status text NOT NULL,
    since timestamptz,
    staff_id text,
    current_ticket_id text,
    last_seq bigint NOT NULL,
    PRIMARY KEY (centre_id, counter_id)
);
