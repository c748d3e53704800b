-- Maintenance: the shop's terminals, the checklist tasks scheduled on them, and what was done when.
-- Dates are ISO 'YYYY-MM-DD' text (they sort as dates); `*_at` columns are RFC 3339 timestamps in UTC.

CREATE TABLE terminals (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL,
    name_key      TEXT NOT NULL,  -- the name folded for comparison (case, full-width, spaces)
    kind          TEXT NOT NULL CHECK (kind IN ('card_terminal','qr_scanner','receipt_printer','pin_pad','other')),
    model         TEXT NOT NULL DEFAULT '',
    serial        TEXT NOT NULL DEFAULT '',
    location      TEXT NOT NULL DEFAULT '',
    provider      TEXT NOT NULL DEFAULT '',
    support_phone TEXT NOT NULL DEFAULT '',
    firmware      TEXT NOT NULL DEFAULT '',
    notes         TEXT NOT NULL DEFAULT '',
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    archived_at   TEXT            -- out of service: history kept, off the board and the sheets
);
-- Names are unique among the terminals in use; an archived "Till 2" leaves the name free for its
-- replacement.
CREATE UNIQUE INDEX terminals_active_name ON terminals (name_key) WHERE archived_at IS NULL;

-- The bundled templates (data/checklists), rewritten when the checklist pack version rises. A template
-- dropped from the pack is kept, retired, so the schedules and history that name it still read.
CREATE TABLE task_templates (
    key         TEXT PRIMARY KEY,
    position    INTEGER NOT NULL,  -- order in the pack: daily, weekly, monthly, standing
    title_zh    TEXT NOT NULL,
    title_en    TEXT NOT NULL,
    why_zh      TEXT NOT NULL,
    why_en      TEXT NOT NULL,
    steps_zh    TEXT NOT NULL,     -- JSON array of strings
    steps_en    TEXT NOT NULL,
    kinds       TEXT NOT NULL,     -- JSON array of terminal kind ids
    every       INTEGER NOT NULL CHECK (every BETWEEN 1 AND 366),
    unit        TEXT NOT NULL CHECK (unit IN ('day','week','month')),
    recurrence  TEXT NOT NULL CHECK (recurrence IN ('calendar','after_done')),
    value_kind  TEXT CHECK (value_kind IN ('firmware_version','battery_percent','paper_rolls')),
    value_label_zh TEXT,
    value_label_en TEXT,
    standing    INTEGER NOT NULL DEFAULT 0,
    retired     INTEGER NOT NULL DEFAULT 0
);

-- One task on one terminal, as the user set it up (a pack refresh never changes these rows).
CREATE TABLE schedules (
    id               INTEGER PRIMARY KEY,
    terminal_id      INTEGER NOT NULL REFERENCES terminals (id),
    task_key         TEXT NOT NULL REFERENCES task_templates (key),
    recurrence       TEXT NOT NULL CHECK (recurrence IN ('calendar','after_done')),
    every            INTEGER NOT NULL CHECK (every BETWEEN 1 AND 366),
    unit             TEXT NOT NULL CHECK (unit IN ('day','week','month')),
    start_on         TEXT NOT NULL,  -- the first due date
    resolved_through TEXT,           -- calendar: every occurrence up to this date is done or skipped
    snoozed_until    TEXT,
    created_at       TEXT NOT NULL,
    removed_at       TEXT            -- taken off the terminal by the user; history kept
);
CREATE UNIQUE INDEX schedules_active_task ON schedules (terminal_id, task_key) WHERE removed_at IS NULL;

-- What was done when: the history shown on the terminal's page. Done and skipped events resolve the
-- occurrences from first_on to through_on; a snooze only moves the task off the board.
CREATE TABLE maintenance_events (
    id                INTEGER PRIMARY KEY,
    schedule_id       INTEGER NOT NULL REFERENCES schedules (id),
    kind              TEXT NOT NULL CHECK (kind IN ('done','skipped','snoozed')),
    on_date           TEXT NOT NULL,  -- the day it was done, skipped or snoozed
    first_on          TEXT NOT NULL,  -- the first occurrence covered
    through_on        TEXT NOT NULL,  -- the last occurrence covered
    covers            INTEGER NOT NULL CHECK (covers >= 0),
    snoozed_until     TEXT,
    outcome           TEXT CHECK (outcome IN ('all_fine','problem_found')),
    by_name           TEXT NOT NULL DEFAULT '',
    note              TEXT NOT NULL DEFAULT '',  -- the note, or the reason for a skip or snooze
    value_kind        TEXT,
    value             TEXT,
    previous_firmware TEXT,           -- the terminal's firmware before this event set it (for Undo)
    recorded_at       TEXT NOT NULL,
    CHECK ((kind = 'done') = (outcome IS NOT NULL)),
    CHECK ((kind = 'snoozed') = (snoozed_until IS NOT NULL)),
    CHECK (kind = 'done' OR length(trim(note)) > 0)
);
CREATE INDEX maintenance_events_schedule ON maintenance_events (schedule_id, through_on);
