-- 0007_leads: investment intentions 意向信息/线索 before signing:
-- who reported them and through which channel, the company, the intended
-- chain, region and amount, the stage (new → following → negotiating →
-- signed / lost with a reason) and a dated follow-up log. A converted lead
-- keeps the link to its project.
CREATE TABLE leads (
	id             INTEGER PRIMARY KEY,
	company_id     INTEGER NOT NULL REFERENCES companies(id),
	title          TEXT NOT NULL,
	source_kind    TEXT NOT NULL CHECK (source_kind IN ('stationed_team', 'chain_task_force',
	               'chamber', 'investor', 'event', 'visit', 'other')),
	source_name    TEXT,
	channel_id     INTEGER REFERENCES channels(id),
	chain_id       INTEGER REFERENCES chains(id),
	region_id      INTEGER NOT NULL REFERENCES regions(id),
	county_id      INTEGER NOT NULL REFERENCES regions(id),
	amount_wan     INTEGER CHECK (amount_wan >= 0),
	stage          TEXT NOT NULL CHECK (stage IN ('new', 'following', 'negotiating', 'signed', 'lost')),
	lost_reason    TEXT,
	project_id     INTEGER REFERENCES projects(id),
	reported_by    TEXT NOT NULL,
	reported_on    TEXT NOT NULL,
	last_activity  TEXT NOT NULL,
	created_at     TEXT NOT NULL,
	updated_at     TEXT NOT NULL,
	version        INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX leads_stage ON leads (stage, last_activity);
CREATE INDEX leads_county ON leads (county_id, id);
CREATE INDEX leads_company ON leads (company_id);

CREATE TABLE lead_follow_ups (
	id         INTEGER PRIMARY KEY,
	lead_id    INTEGER NOT NULL REFERENCES leads(id),
	on_date    TEXT NOT NULL,
	username   TEXT NOT NULL,
	note       TEXT NOT NULL,
	stage      TEXT,
	created_at TEXT NOT NULL
);
CREATE INDEX lead_follow_ups_lead ON lead_follow_ups (lead_id, id);
