-- What a small shop asks of a maintenance tool: its own tasks beside the bundled ones, a count of the
-- paper rolls and cleaning cards in the drawer, and a photo on a done task.

-- The shop's own tasks live beside the bundled templates (same columns, so schedules, the board, the
-- sheets and scans treat them alike). A pack refresh never touches or retires a row with own = 1;
-- the shop retires it itself. Own keys are `own_<n>`, which no bundled pack uses.
ALTER TABLE task_templates ADD COLUMN own INTEGER NOT NULL DEFAULT 0;

-- Consumables kept for the terminals. `count` is NULL until the shop first counts them (no warning
-- before then); `low_at` is the count at or below which the board warns.
CREATE TABLE stock_items (
    key        TEXT PRIMARY KEY CHECK (key IN ('paper_rolls','cleaning_cards')),
    count      INTEGER CHECK (count IS NULL OR count BETWEEN 0 AND 100000),
    low_at     INTEGER NOT NULL CHECK (low_at BETWEEN 0 AND 100000),
    updated_at TEXT
);
INSERT INTO stock_items (key, count, low_at) VALUES ('paper_rolls', NULL, 3), ('cleaning_cards', NULL, 2);

-- A "spare rolls left" value that became the paper-roll count keeps the count it replaced, so an
-- Undo of that entry puts it back (see store::shop::rolls_counted).
ALTER TABLE maintenance_events ADD COLUMN previous_rolls INTEGER;

-- Photos kept with a done task (the cleaned reader, a damaged printer). The file is
-- `attachments/<sha256>.<ext>` beside the database, like the journal's attachments, copied there
-- before this row is written. Undoing the event removes its rows (the file stays for backups).
CREATE TABLE maintenance_photos (
    id        INTEGER PRIMARY KEY,
    event_id  INTEGER NOT NULL REFERENCES maintenance_events (id) ON DELETE CASCADE,
    file_name TEXT NOT NULL,
    sha256    TEXT NOT NULL CHECK (length(sha256) = 64),
    size      INTEGER NOT NULL,
    added_at  TEXT NOT NULL
);
CREATE INDEX maintenance_photos_by_event ON maintenance_photos (event_id);
