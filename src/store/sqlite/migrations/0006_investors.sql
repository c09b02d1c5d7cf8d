-- 0006_investors: the investor database 客商库. Companies get an industry,
-- tags (a fixed list, stored comma-separated in the list's order), notes,
-- a version and contacts. Names are stored normalised (NFKC, trimmed) and
-- unique, credit codes unique: one company, one record.
ALTER TABLE companies ADD COLUMN industry TEXT;
ALTER TABLE companies ADD COLUMN tags TEXT;
ALTER TABLE companies ADD COLUMN notes TEXT;
ALTER TABLE companies ADD COLUMN updated_at TEXT;
ALTER TABLE companies ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
UPDATE companies SET updated_at = created_at;

CREATE TABLE company_contacts (
	id         INTEGER PRIMARY KEY,
	company_id INTEGER NOT NULL REFERENCES companies(id),
	name       TEXT NOT NULL,
	title      TEXT,
	phone      TEXT,
	email      TEXT,
	created_at TEXT NOT NULL
);
CREATE INDEX company_contacts_company ON company_contacts (company_id, id);
