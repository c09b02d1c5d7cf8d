-- 0008_effort: how the city hunts investment: campaigns (专题招商,
-- 春季/夏季攻势) grouping events and trips; leaders' trips 外出招商 with the
-- companies visited 拜访 and what came of it; stationed teams 驻点招商 and
-- the leads they report; events get a theme, an organiser and a campaign.
CREATE TABLE campaigns (
	id         INTEGER PRIMARY KEY,
	name       TEXT NOT NULL UNIQUE,
	theme      TEXT,
	starts_on  TEXT NOT NULL,
	ends_on    TEXT,
	created_at TEXT NOT NULL
);

ALTER TABLE events ADD COLUMN theme TEXT;
ALTER TABLE events ADD COLUMN organiser TEXT;
ALTER TABLE events ADD COLUMN campaign_id INTEGER REFERENCES campaigns(id);

CREATE TABLE trips (
	id           INTEGER PRIMARY KEY,
	leader_level TEXT NOT NULL CHECK (leader_level IN ('city_main', 'city_deputy', 'chain_leader',
	             'county_main')),
	leader       TEXT NOT NULL,
	region_id    INTEGER REFERENCES regions(id),
	campaign_id  INTEGER REFERENCES campaigns(id),
	starts_on    TEXT NOT NULL,
	ends_on      TEXT NOT NULL,
	days         INTEGER NOT NULL CHECK (days >= 1),
	cities       TEXT NOT NULL,
	purpose      TEXT,
	created_by   TEXT NOT NULL,
	created_at   TEXT NOT NULL
);
CREATE INDEX trips_starts ON trips (starts_on, leader_level);

CREATE TABLE trip_visits (
	id         INTEGER PRIMARY KEY,
	trip_id    INTEGER NOT NULL REFERENCES trips(id),
	company_id INTEGER NOT NULL REFERENCES companies(id),
	visited_on TEXT NOT NULL,
	outcome    TEXT,
	lead_id    INTEGER REFERENCES leads(id),
	project_id INTEGER REFERENCES projects(id)
);
CREATE INDEX trip_visits_trip ON trip_visits (trip_id, id);
CREATE INDEX trip_visits_company ON trip_visits (company_id);

CREATE TABLE stationed_teams (
	id         INTEGER PRIMARY KEY,
	name       TEXT NOT NULL UNIQUE,
	city       TEXT NOT NULL,
	region_id  INTEGER REFERENCES regions(id),
	leader     TEXT,
	members    INTEGER NOT NULL CHECK (members >= 1),
	starts_on  TEXT NOT NULL,
	ends_on    TEXT,
	created_at TEXT NOT NULL
);

ALTER TABLE leads ADD COLUMN team_id INTEGER REFERENCES stationed_teams(id);
CREATE INDEX leads_team ON leads (team_id);
