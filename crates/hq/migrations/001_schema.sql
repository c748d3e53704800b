-- posdesk head office, schema 1: stores, devices, the batches they pushed, and every store's rows.
--
-- Ownership: every synced row carries the store_id of the device that first wrote it; posdesk-hq never
-- takes a store id from a request body, and every upsert is guarded by `store_id = <the device's store>`.
--
-- The incident family (incident, incident_status_event, incident_note) is partitioned by month of its
-- UUIDv7 id (RANGE on the id: the id is immutable and is the primary key, so ON CONFLICT (id) works; the
-- children are partitioned by incident_id so an incident's timeline lives in its partition). Ids minted
-- by a till whose clock was wrong (1970, 2040) land in the DEFAULT partition; posdesk.ensure_partitions
-- creates months (current ±, and any month found in DEFAULT) and moves such rows out of DEFAULT.

CREATE FUNCTION posdesk.uuid7_floor(ts timestamptz) RETURNS uuid LANGUAGE sql IMMUTABLE AS $$
  SELECT (lpad(to_hex((extract(epoch FROM ts) * 1000)::bigint), 12, '0') || repeat('0', 20))::uuid
$$;

-- The time a UUIDv7 was minted (its first 48 bits, ms since 1970).
CREATE FUNCTION posdesk.uuid7_time(id uuid) RETURNS timestamptz LANGUAGE sql IMMUTABLE AS $$
  SELECT to_timestamp(('x' || lpad(substr(replace(id::text, '-', ''), 1, 12), 16, '0'))::bit(64)::bigint / 1000.0)
$$;

CREATE TABLE posdesk.store (
    id         uuid PRIMARY KEY,
    code       text NOT NULL UNIQUE CHECK (length(code) BETWEEN 1 AND 64),
    name       text NOT NULL,
    tz         text NOT NULL DEFAULT 'Asia/Shanghai',
    created_at timestamptz NOT NULL DEFAULT now()
);

-- One-time enrollment codes, kept as SHA-256 of the normalised code.
CREATE TABLE posdesk.enroll_code (
    code_sha256 bytea PRIMARY KEY CHECK (length(code_sha256) = 32),
    store_id    uuid NOT NULL REFERENCES posdesk.store,
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz,
    device_id   uuid
);

CREATE TABLE posdesk.device (
    id               uuid PRIMARY KEY,
    store_id         uuid NOT NULL REFERENCES posdesk.store,
    name             text NOT NULL DEFAULT '',
    token_sha256     bytea NOT NULL UNIQUE CHECK (length(token_sha256) = 32),
    revoked_at       timestamptz,
    epoch            integer NOT NULL DEFAULT 1,
    epoch_changes    integer NOT NULL DEFAULT 0,
    acked_seq        bigint NOT NULL DEFAULT 0,
    max_hlc          bigint NOT NULL DEFAULT 0,
    last_seen_at     timestamptz,
    last_skew_ms     bigint,          -- device clock minus head office clock at the last push
    app_version      text NOT NULL DEFAULT '',
    schema_version   integer,
    pending_reported bigint,          -- outbox markers still waiting at the till after its last push
    batches          bigint NOT NULL DEFAULT 0,
    events_applied   bigint NOT NULL DEFAULT 0,
    events_rejected  bigint NOT NULL DEFAULT 0,
    enrolled_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX device_store ON posdesk.device (store_id);

-- Every batch head office committed, with the reply it gave (a resent batch gets the same reply).
CREATE TABLE posdesk.sync_batch (
    device_id   uuid NOT NULL REFERENCES posdesk.device,
    batch_id    uuid NOT NULL,
    epoch       integer NOT NULL,
    first_seq   bigint NOT NULL,
    last_seq    bigint NOT NULL,
    n_events    integer NOT NULL,
    n_applied   integer NOT NULL,
    reply       jsonb NOT NULL,
    device_time timestamptz,
    received_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (device_id, batch_id)
);
CREATE INDEX sync_batch_received ON posdesk.sync_batch (received_at);

-- Events head office refused, kept for a person to look at.
CREATE TABLE posdesk.sync_rejected (
    device_id   uuid NOT NULL REFERENCES posdesk.device,
    batch_id    uuid NOT NULL,
    epoch       integer NOT NULL,
    seq         bigint NOT NULL,
    reason      text NOT NULL,
    event       jsonb NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (device_id, batch_id, seq)
);

CREATE TABLE posdesk.incident (
    id            uuid NOT NULL,
    store_id      uuid NOT NULL,
    device_id     uuid NOT NULL,
    occurred_at   timestamptz NOT NULL,
    terminal_name text,
    terminal_id   uuid,
    code          text,
    code_key      text,
    scheme        text,
    symptom       text NOT NULL DEFAULT '',
    amount_minor  bigint,
    txn_ref       text,
    who           text,
    steps         jsonb NOT NULL DEFAULT '[]',
    status        text NOT NULL CHECK (status IN ('open', 'waiting', 'resolved')),
    resolution    text NOT NULL DEFAULT '',
    resolved_at   timestamptz,
    core_hlc      bigint NOT NULL,   -- HLC of the version of the fields above
    status_hlc    bigint NOT NULL,   -- HLC of whatever set status (a version of the incident or a status event)
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (id)
) PARTITION BY RANGE (id);
CREATE TABLE posdesk.incident_default PARTITION OF posdesk.incident DEFAULT;
CREATE INDEX incident_store_time ON posdesk.incident (store_id, occurred_at DESC);
CREATE INDEX incident_unresolved ON posdesk.incident (store_id, occurred_at DESC) WHERE status <> 'resolved';
CREATE INDEX incident_code ON posdesk.incident (code_key, occurred_at DESC);

CREATE TABLE posdesk.incident_status_event (
    incident_id uuid NOT NULL,
    id          uuid NOT NULL,
    store_id    uuid NOT NULL,
    device_id   uuid NOT NULL,
    to_status   text NOT NULL CHECK (to_status IN ('open', 'waiting', 'resolved')),
    prev_id     uuid,
    by_name     text,
    note        text NOT NULL DEFAULT '',
    at          timestamptz NOT NULL,
    hlc         bigint NOT NULL,
    PRIMARY KEY (incident_id, id)
) PARTITION BY RANGE (incident_id);
CREATE TABLE posdesk.incident_status_event_default PARTITION OF posdesk.incident_status_event DEFAULT;

CREATE TABLE posdesk.incident_note (
    incident_id uuid NOT NULL,
    id          uuid NOT NULL,
    store_id    uuid NOT NULL,
    device_id   uuid NOT NULL,
    at          timestamptz NOT NULL,
    text        text NOT NULL,
    deleted_at  timestamptz,
    hlc         bigint NOT NULL,
    PRIMARY KEY (incident_id, id)
) PARTITION BY RANGE (incident_id);
CREATE TABLE posdesk.incident_note_default PARTITION OF posdesk.incident_note DEFAULT;
CREATE INDEX incident_note_id ON posdesk.incident_note (id);

CREATE TABLE posdesk.terminal (
    id            uuid PRIMARY KEY,
    store_id      uuid NOT NULL REFERENCES posdesk.store,
    device_id     uuid NOT NULL,
    name          text NOT NULL,
    kind          text NOT NULL,
    model         text NOT NULL DEFAULT '',
    serial        text NOT NULL DEFAULT '',
    location      text NOT NULL DEFAULT '',
    provider      text NOT NULL DEFAULT '',
    support_phone text NOT NULL DEFAULT '',
    firmware      text NOT NULL DEFAULT '',
    notes         text NOT NULL DEFAULT '',
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL,
    archived_at   timestamptz,
    deleted_at    timestamptz,
    hlc           bigint NOT NULL
);
CREATE INDEX terminal_store ON posdesk.terminal (store_id);

CREATE TABLE posdesk.schedule (
    id               uuid PRIMARY KEY,
    store_id         uuid NOT NULL REFERENCES posdesk.store,
    device_id        uuid NOT NULL,
    terminal_id      uuid NOT NULL,
    task_key         text NOT NULL,
    task_title_zh    text NOT NULL DEFAULT '',
    task_title_en    text NOT NULL DEFAULT '',
    recurrence       text NOT NULL,
    every            integer NOT NULL,
    unit             text NOT NULL,
    start_on         date NOT NULL,
    resolved_through date,
    snoozed_until    date,
    next_due_on      date,            -- computed at the till when it sent this version
    missed           integer NOT NULL DEFAULT 0,
    created_at       timestamptz NOT NULL,
    removed_at       timestamptz,
    deleted_at       timestamptz,
    hlc              bigint NOT NULL
);
CREATE INDEX schedule_store_due ON posdesk.schedule (store_id, next_due_on) WHERE removed_at IS NULL AND deleted_at IS NULL;
CREATE INDEX schedule_terminal ON posdesk.schedule (terminal_id);

CREATE TABLE posdesk.maintenance_event (
    id            uuid PRIMARY KEY,
    store_id      uuid NOT NULL REFERENCES posdesk.store,
    device_id     uuid NOT NULL,
    schedule_id   uuid NOT NULL,
    kind          text NOT NULL CHECK (kind IN ('done', 'skipped', 'snoozed')),
    on_date       date NOT NULL,
    first_on      date NOT NULL,
    through_on    date NOT NULL,
    covers        integer NOT NULL,
    snoozed_until date,
    outcome       text,
    by_name       text NOT NULL DEFAULT '',
    note          text NOT NULL DEFAULT '',
    value_kind    text,
    value         text,
    recorded_at   timestamptz NOT NULL,
    deleted_at    timestamptz,
    hlc           bigint NOT NULL
);
CREATE INDEX maintenance_event_schedule ON posdesk.maintenance_event (schedule_id, on_date);

-- Deletions at the tills. Kept apart from the rows so a tombstone that arrives before its row (batches
-- delivered out of order) still wins: a put looks here before it writes.
CREATE TABLE posdesk.tombstone (
    id        uuid PRIMARY KEY,
    entity    text NOT NULL,
    store_id  uuid NOT NULL,
    device_id uuid NOT NULL,
    at        timestamptz NOT NULL,
    hlc       bigint NOT NULL
);

-- Creates the month's partitions of the incident family if missing, moving rows of that month out of
-- the DEFAULT partitions first. Returns true when it created something.
CREATE FUNCTION posdesk.ensure_month_partition(month date) RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE
    m0     timestamp := date_trunc('month', month::timestamp);
    lo     uuid := posdesk.uuid7_floor(m0 AT TIME ZONE 'UTC');
    hi     uuid := posdesk.uuid7_floor((m0 + interval '1 month') AT TIME ZONE 'UTC');
    suffix text := to_char(m0, 'YYYY_MM');
    fam    record;
    made   boolean := false;
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('posdesk.ensure_month_partition'));
    FOR fam IN SELECT * FROM (VALUES ('incident', 'id'), ('incident_status_event', 'incident_id'),
                                     ('incident_note', 'incident_id')) AS f (tbl, col) LOOP
        CONTINUE WHEN to_regclass(format('posdesk.%I', fam.tbl || '_' || suffix)) IS NOT NULL;
        EXECUTE format('CREATE TABLE posdesk.%I (LIKE posdesk.%I INCLUDING DEFAULTS INCLUDING CONSTRAINTS)',
                       fam.tbl || '_' || suffix, fam.tbl);
        EXECUTE format('WITH moved AS (DELETE FROM posdesk.%I WHERE %I >= $1 AND %I < $2 RETURNING *) '
                       'INSERT INTO posdesk.%I SELECT * FROM moved',
                       fam.tbl || '_default', fam.col, fam.col, fam.tbl || '_' || suffix) USING lo, hi;
        EXECUTE format('ALTER TABLE posdesk.%I ATTACH PARTITION posdesk.%I FOR VALUES FROM (%L) TO (%L)',
                       fam.tbl, fam.tbl || '_' || suffix, lo, hi);
        made := true;
    END LOOP;
    RETURN made;
END
$$;

-- Months `before` back to `after` ahead of `today`, and every plausible month (2000 up to a year ahead)
-- that has rows waiting in DEFAULT. Returns how many months got partitions.
CREATE FUNCTION posdesk.ensure_partitions(today date, before integer, after integer) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    m     date;
    n     integer := 0;
BEGIN
    FOR m IN SELECT (date_trunc('month', today::timestamp) + make_interval(months => k))::date
             FROM generate_series(-before, after) AS k
             UNION
             SELECT DISTINCT date_trunc('month', posdesk.uuid7_time(id) AT TIME ZONE 'UTC')::date
             FROM posdesk.incident_default
             WHERE posdesk.uuid7_time(id) >= '2000-01-01'
               AND posdesk.uuid7_time(id) < (today + interval '1 year')
    LOOP
        IF posdesk.ensure_month_partition(m) THEN
            n := n + 1;
        END IF;
    END LOOP;
    RETURN n;
END
$$;
