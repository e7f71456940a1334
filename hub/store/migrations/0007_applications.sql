-- Applications forwarded by centres to the institution that decides them. Keyed by the
-- lodging centre and the registration number the resident holds, so a centre's resend
-- (a lost answer, a restart) is stored once. `fields` holds only the form's fields
-- (what the institution needs); they are purged after the retention period.
CREATE TABLE applications (
    centre_id text NOT NULL REFERENCES centres (id),
    registration_number text NOT NULL,
    type_id text NOT NULL,
    service_id text NOT NULL,
    department_id text NOT NULL,
    language text NOT NULL,
    lodged_at timestamptz NOT NULL,
    answer_deadline date NOT NULL,
    fields jsonb NOT NULL,
    status text NOT NULL DEFAULT 'forwarded',
    received_at timestamptz NOT NULL,
    closed_at timestamptz,
    purged_at timestamptz,
    PRIMARY KEY (centre_id, registration_number)
);
CREATE INDEX applications_department ON applications (department_id, status);
