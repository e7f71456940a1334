-- Applications forwarded by centres to the institution that decides them. Keyed by the
-- lodging centre and the registration number the resident holds, so a centre's resend
-- (a lost answer, a restart) is stored once. `fields` holds only the form's fields
-- (what the institution needs); they are purged after the retention period.
-- `receipt_verifier` is a slow salted hash (scrypt) of the receipt's code, for the
-- resident's status check at any centre; the code itself never leaves the centre.
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
    receipt_verifier text NOT NULL,
    status text NOT NULL DEFAULT 'forwarded',
    received_at timestamptz NOT NULL,
    closed_at timestamptz,
    purged_at timestamptz,
    PRIMARY KEY (centre_id, registration_number)
);
CREATE INDEX applications_department ON applications (department_id, status);
ALTER TABLE applications ADD COLUMN id text NOT NULL UNIQUE DEFAULT md5(random()::text || clock_timestamp()::text);

-- Each step of a forwarded application at the hub: a new status or a note, by whom.
CREATE TABLE application_history (
    id bigserial PRIMARY KEY,
    application_id text NOT NULL REFERENCES applications (id),
    at timestamptz NOT NULL,
    actor text NOT NULL,
    status text,
    note text
);
CREATE INDEX application_history_app ON application_history (application_id, id);

-- Who read or exported which application, when (every staff read is written here).
CREATE TABLE application_audit (
    id bigserial PRIMARY KEY,
    at timestamptz NOT NULL,
    actor text NOT NULL,
    action text NOT NULL,
    application_id text,
    detail text NOT NULL DEFAULT ''
);

-- Institution staff: an account of the institution (a department of the national
-- catalogue) whose forwarded applications it decides.
ALTER TABLE users ADD COLUMN institution text;
ALTER TABLE users DROP CONSTRAINT users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check
    CHECK (role IN ('analyst', 'admin', 'institution'));
ALTER TABLE users ADD CONSTRAINT users_institution_check
    CHECK ((role = 'institution') = (institution IS NOT NULL));
