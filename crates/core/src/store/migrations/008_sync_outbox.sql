-- Head office sync, the till's side: a global id for every row that travels, the journal's status
-- history, and the outbox.
--
-- `uid`: a UUID v7 minted on this till (time-ordered, 74 random bits), the row's name at head office.
-- Local INTEGER ids are reused after a restore from an old backup, so they cannot name a row outside
-- this file. Old rows get one made from their own timestamp by the migration step in Rust
-- (store::outbox::fill_uids). SQLite cannot add a NOT NULL column without a constant default, so
-- "never NULL" is kept by the store code (every insert names its uid) and a test.
ALTER TABLE incidents          ADD COLUMN uid TEXT;
ALTER TABLE incident_notes     ADD COLUMN uid TEXT;
ALTER TABLE terminals          ADD COLUMN uid TEXT;
ALTER TABLE schedules          ADD COLUMN uid TEXT;
ALTER TABLE maintenance_events ADD COLUMN uid TEXT;
CREATE UNIQUE INDEX incidents_uid          ON incidents (uid);
CREATE UNIQUE INDEX incident_notes_uid     ON incident_notes (uid);
CREATE UNIQUE INDEX terminals_uid          ON terminals (uid);
CREATE UNIQUE INDEX schedules_uid          ON schedules (uid);
CREATE UNIQUE INDEX maintenance_events_uid ON maintenance_events (uid);

-- The journal's status history: every status an incident took, when. Written by the store's status
-- moves (and one 'open' when an incident is logged); an incident older than this table got one event
-- for the status it had. Append-only: the incident row keeps the current status for the list's index.
CREATE TABLE incident_status_log (
    id          INTEGER PRIMARY KEY,
    uid         TEXT NOT NULL UNIQUE,
    incident_id INTEGER NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
    status      TEXT NOT NULL CHECK (status IN ('open','waiting','resolved')),
    prev_uid    TEXT,                       -- the status event this one followed (NULL for the first)
    at          TEXT NOT NULL               -- RFC 3339, UTC
);
CREATE INDEX incident_status_log_by_incident ON incident_status_log (incident_id, id);

-- The outbox: one marker per change of a row that travels, written in the same transaction as the
-- change by the store layer (store::outbox). The sync client reads the row as it is when it sends,
-- and deletes markers up to the sequence head office acknowledged. AUTOINCREMENT: a sequence number
-- is never reused, even after acknowledged markers are deleted.
CREATE TABLE sync_outbox (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    entity      TEXT NOT NULL CHECK (entity IN ('incident','incident_status','incident_note',
                                                 'terminal','schedule','maintenance_event')),
    entity_key  TEXT NOT NULL,              -- the row's uid
    op          TEXT NOT NULL CHECK (op IN ('put','delete')),
    hlc         INTEGER NOT NULL,           -- hybrid logical clock: ms since 1970 << 16 | counter
    due_on      TEXT,                       -- schedules: the next due date when the change was made
    missed      INTEGER                     -- schedules: occurrences missed by then
);
CREATE INDEX sync_outbox_entity ON sync_outbox (entity, entity_key);

-- Sync bookkeeping that must follow the data (a restore brings its own): the clock's last value,
-- the server's clock offset, and whether a restore happened since the last sync (a new epoch).
CREATE TABLE sync_state (
    id              INTEGER PRIMARY KEY CHECK (id = 1),
    hlc_last        INTEGER NOT NULL DEFAULT 0,
    clock_offset_ms INTEGER NOT NULL DEFAULT 0,
    restored        INTEGER NOT NULL DEFAULT 0
);
INSERT INTO sync_state (id) VALUES (1);

-- Events head office refused (a bad value): kept here, out of the queue, so they never block it.
CREATE TABLE sync_rejected (
    seq         INTEGER PRIMARY KEY,
    entity      TEXT NOT NULL,
    entity_key  TEXT NOT NULL,
    reason      TEXT NOT NULL,              -- head office's code for it (letters, digits, _)
    at          TEXT NOT NULL
);
