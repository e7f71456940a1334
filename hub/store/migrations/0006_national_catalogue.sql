-- The national service catalogue. Every published version is kept, never changed: its
-- document (the catalogue TOML of the shared sections, as published), who published
-- it, when and why; a rollback is a new version restoring an earlier one's document.
-- Each version's services and departments are also rows, for questions across them
-- (which services a department decides, which carry a fee).
CREATE TABLE catalogue_versions (
    version integer PRIMARY KEY CHECK (version > 0),
    document text NOT NULL,
    data jsonb NOT NULL,
    published_by text NOT NULL,
    published_at timestamptz NOT NULL,
    note text NOT NULL,
    restores integer REFERENCES catalogue_versions (version)
);

CREATE TABLE catalogue_departments (
    version integer NOT NULL REFERENCES catalogue_versions (version),
    department_id text NOT NULL,
    kind text NOT NULL,
    name jsonb NOT NULL,
    email text NOT NULL,
    iban text NOT NULL,
    PRIMARY KEY (version, department_id)
);

CREATE TABLE catalogue_services (
    version integer NOT NULL REFERENCES catalogue_versions (version),
    service_id text NOT NULL,
    name jsonb NOT NULL,
    category_id text NOT NULL,
    department_id text,
    fee_amount numeric(11, 2),
    withdrawn boolean NOT NULL,
    PRIMARY KEY (version, service_id)
);

-- Which version each centre runs (what it last told the hub), and when it applied it.
ALTER TABLE centres
    ADD COLUMN catalogue_version integer,
    ADD COLUMN catalogue_applied_at timestamptz;
