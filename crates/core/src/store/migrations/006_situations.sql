-- Situation cards (scheme 'situation'), two more retry classes ('quick_fix', 'merchant_side') and three
-- more fields per entry: what clerks and customers say (JSON arrays) and a per-entry source line.
-- SQLite cannot widen a CHECK constraint in place, so the table is rebuilt; the user's own codes are
-- copied over, and the bundled pack is reloaded at open (its installed version is forgotten).
CREATE TABLE codes_new (
    id              INTEGER PRIMARY KEY,
    scheme          TEXT NOT NULL CHECK (scheme IN ('iso8583','cups','terminal','wechatpay','alipay','situation','custom')),
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
    retry           TEXT NOT NULL CHECK (retry IN ('now','quick_fix','after_fix','merchant_side','never','check_first')),
    category        TEXT NOT NULL,
    vendor_specific INTEGER NOT NULL DEFAULT 0,
    keywords        TEXT NOT NULL,  -- JSON array of strings
    says_zh         TEXT NOT NULL DEFAULT '[]',  -- JSON array of strings
    says_en         TEXT NOT NULL DEFAULT '[]',
    source          TEXT NOT NULL DEFAULT '',
    updated_at      TEXT NOT NULL,
    UNIQUE (scheme, code_key)
);

INSERT INTO codes_new (id, scheme, code, code_key, title_zh, title_en, explain_zh, explain_en, causes_zh,
    causes_en, steps_zh, steps_en, fixers, retry, category, vendor_specific, keywords, updated_at)
SELECT id, scheme, code, code_key, title_zh, title_en, explain_zh, explain_en, causes_zh,
    causes_en, steps_zh, steps_en, fixers, retry, category, vendor_specific, keywords, updated_at
FROM codes WHERE scheme = 'custom';

DROP TABLE codes;
ALTER TABLE codes_new RENAME TO codes;

DELETE FROM meta WHERE key = 'pack_version';
