-- 0009_chain_maps: 产业链图谱. A chain is a set of nodes (e.g. 正极材料,
-- 电芯, 储能系统) in its upstream, midstream and downstream segments; local
-- and target companies hang on nodes; a node with no local company is a gap
-- 短板 (缺什么招什么).
CREATE TABLE chain_nodes (
	id         INTEGER PRIMARY KEY,
	chain_id   INTEGER NOT NULL REFERENCES chains(id),
	segment    TEXT NOT NULL CHECK (segment IN ('upstream', 'midstream', 'downstream')),
	name       TEXT NOT NULL,
	sort_order INTEGER NOT NULL,
	UNIQUE (chain_id, name)
);

CREATE TABLE chain_node_companies (
	node_id    INTEGER NOT NULL REFERENCES chain_nodes(id),
	company_id INTEGER NOT NULL REFERENCES companies(id),
	role       TEXT NOT NULL CHECK (role IN ('local', 'target')),
	note       TEXT,
	PRIMARY KEY (node_id, company_id)
);
CREATE INDEX chain_node_companies_company ON chain_node_companies (company_id);
