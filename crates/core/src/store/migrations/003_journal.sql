-- The incident journal: failures as they happened, the steps tried, notes added later, attachments.
--
-- Every text column here was passed through card-number masking (domain::pan) before it was written,
-- so no full card number ever reaches this file, its WAL or the search indexes.
--
-- `sort_key` orders the journal newest first: the occurrence time in microseconds since 1970, made
-- unique by bumping a microsecond on a tie. It is the keyset cursor of every page and the rowid of both
-- search indexes, so a search walks its index newest first and stops after one page.
CREATE TABLE incidents (
    id          INTEGER PRIMARY KEY,
    sort_key    INTEGER NOT NULL UNIQUE,
    occurred_at TEXT NOT NULL,              -- RFC 3339, UTC
    terminal    TEXT,                       -- the terminal's name as the shop calls it ("Till 2")
    code        TEXT,                       -- as typed
    code_key    TEXT,                       -- normalised (domain::code::normalize_code) for matching
    scheme      TEXT CHECK (scheme IN ('iso8583','cups','terminal','wechatpay','alipay','custom')),
    symptom     TEXT NOT NULL DEFAULT '',
    amount      INTEGER,                    -- minor units (fen, cents)
    txn_ref     TEXT,
    resolution  TEXT NOT NULL DEFAULT '',
    status      TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','waiting','resolved')),
    resolved_at TEXT,                       -- RFC 3339, UTC; set exactly when status is resolved
    who         TEXT,
    created_at  TEXT NOT NULL,
    CHECK ((status = 'resolved') = (resolved_at IS NOT NULL))
);

-- One index per filter, each ending in sort_key so a filtered page is read in order and stops early.
CREATE INDEX incidents_status   ON incidents (status, sort_key);
CREATE INDEX incidents_terminal ON incidents (terminal, sort_key);
CREATE INDEX incidents_code     ON incidents (code_key, sort_key);

CREATE TABLE incident_steps (
    id          INTEGER PRIMARY KEY,
    incident_id INTEGER NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    text        TEXT NOT NULL,
    outcome     TEXT NOT NULL CHECK (outcome IN ('tried','worked','did_not_work')),
    UNIQUE (incident_id, position)
);

-- The timeline: notes added after the incident was logged, each with its time.
CREATE TABLE incident_notes (
    id          INTEGER PRIMARY KEY,
    incident_id INTEGER NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
    at          TEXT NOT NULL,              -- RFC 3339, UTC
    text        TEXT NOT NULL
);
CREATE INDEX incident_notes_by_incident ON incident_notes (incident_id, at, id);

-- Files kept with an incident. The file itself is `attachments/<sha256>.<ext>` beside the database,
-- copied there before this row is written.
CREATE TABLE attachments (
    id          INTEGER PRIMARY KEY,
    incident_id INTEGER NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
    file_name   TEXT NOT NULL,
    sha256      TEXT NOT NULL CHECK (length(sha256) = 64),
    size        INTEGER NOT NULL,
    added_at    TEXT NOT NULL
);
CREATE INDEX attachments_by_incident ON attachments (incident_id);

-- Full text, two indexes with rowid = incidents.sort_key. Both are contentless (the text lives in the
-- tables above once) and written by store::journal in the same transaction as the row: one document per
-- incident made of its code, symptom, transaction reference, resolution, steps and notes. Anything that
-- writes those tables must go through the store, or the indexes drift.
--
-- Trigram: substring search for words of 3 or more characters, Chinese and English.
CREATE VIRTUAL TABLE incident_fts USING fts5 (
    doc, tokenize = 'trigram', content = '', contentless_delete = 1
);
-- Grams: the trigram index cannot answer a word of 1 or 2 characters (余额, 超时). This one holds every
-- pair of adjacent Chinese characters plus each run's last character as tokens, and whole ASCII words,
-- so a 2-character word is one token lookup and a 1-character one a prefix lookup. Queries here are
-- single tokens, so no positions are kept (detail = none).
CREATE VIRTUAL TABLE incident_grams USING fts5 (
    grams, tokenize = 'unicode61', content = '', contentless_delete = 1, detail = 'none'
);
