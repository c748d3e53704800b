-- What a small shop asks of a maintenance tool: its own tasks beside the bundled ones, a count of the
-- paper rolls and cleaning cards in the drawer, and a photo on a done task. Only new tables (each
-- statement can run again on a file that has them), so no existing table is rebuilt.

-- The shop's own tasks live in task_templates beside the bundled ones (same columns, so schedules,
-- the board, the sheets and scans treat them alike); this table marks which are the shop's. A pack
-- refresh never touches or retires them; the shop retires them itself. Their keys are `own_<n>`,
-- which no bundled pack uses.
CREATE TABLE IF NOT EXISTS own_tasks (
    key TEXT PRIMARY KEY REFERENCES task_templates (key)
);

-- Consumables kept for the terminals. `count` is NULL until the shop first counts them (no warning
-- before then); `low_at` is the count at or below which the board warns.
CREATE TABLE IF NOT EXISTS stock_items (
    key        TEXT PRIMARY KEY CHECK (key IN ('paper_rolls','cleaning_cards')),
    count      INTEGER CHECK (count IS NULL OR count BETWEEN 0 AND 100000),
    low_at     INTEGER NOT NULL CHECK (low_at BETWEEN 0 AND 100000),
    updated_at TEXT
);
INSERT OR IGNORE INTO stock_items (key, count, low_at) VALUES ('paper_rolls', NULL, 3), ('cleaning_cards', NULL, 2);

-- A "spare rolls left" value that became the paper-roll count keeps the count it replaced, so an
-- Undo of that entry puts it back (see store::shop::rolls_counted).
CREATE TABLE IF NOT EXISTS stock_undo (
    event_id       INTEGER PRIMARY KEY REFERENCES maintenance_events (id) ON DELETE CASCADE,
    previous_rolls INTEGER NOT NULL
);

-- Photos kept with a done task (the cleaned reader, a damaged printer). The file is
-- `attachments/<sha256>.<ext>` beside the database, like the journal's attachments, copied there
-- before this row is written. Undoing the event removes its rows (the file stays for backups).
CREATE TABLE IF NOT EXISTS maintenance_photos (
    id        INTEGER PRIMARY KEY,
    event_id  INTEGER NOT NULL REFERENCES maintenance_events (id) ON DELETE CASCADE,
    file_name TEXT NOT NULL,
    sha256    TEXT NOT NULL CHECK (length(sha256) = 64),
    size      INTEGER NOT NULL,
    added_at  TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS maintenance_photos_by_event ON maintenance_photos (event_id);
