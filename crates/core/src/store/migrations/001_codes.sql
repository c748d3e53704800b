-- Response codes: the bundled pack (read-only, replaced when the pack version rises) and the user's own
-- codes (scheme 'custom', never touched by a pack refresh).
CREATE TABLE codes (
    id              INTEGER PRIMARY KEY,
    scheme          TEXT NOT NULL CHECK (scheme IN ('iso8583','cups','terminal','wechatpay','alipay','custom')),
    code            TEXT NOT NULL,
    code_key        TEXT NOT NULL,
    title_zh        TEXT NOT NULL,
    title_en        TEXT NOT NULL,
    explain_zh      TEXT NOT NULL,
    explain_en      TEXT NOT NULL,
    causes_zh       TEXT NOT NULL,  -- JSON array of strings
    causes_en       TEXT NOT NULL,
    steps_zh        TEXT NOT NULL,
    steps_en        TEXT NOT NULL,
    fixers          TEXT NOT NULL,  -- JSON array of fixer ids
    retry           TEXT NOT NULL CHECK (retry IN ('now','after_fix','never','check_first')),
    category        TEXT NOT NULL,
    vendor_specific INTEGER NOT NULL DEFAULT 0,
    keywords        TEXT NOT NULL,  -- JSON array of strings
    updated_at      TEXT NOT NULL,
    UNIQUE (scheme, code_key)
);

-- Notes are keyed by scheme and code, not by row, so they survive a pack refresh that replaces rows.
CREATE TABLE code_notes (
    scheme     TEXT NOT NULL,
    code_key   TEXT NOT NULL,
    note       TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (scheme, code_key)
);

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
