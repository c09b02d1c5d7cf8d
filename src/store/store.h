/*
 * store: the backend-neutral storage API. Every SQL statement of the program
 * lives behind it; no file outside src/store/<backend>/ sees a database
 * library's types.
 *
 * A struct store is one connection; it is used by one thread at a time (the
 * server opens one per worker thread). A row callback must not call the
 * store it is reading from (PostgreSQL streams the rows on the connection):
 * collect what it needs and query afterwards. Functions return 0 on success and -1 on
 * failure, with a message available from store_error() until the next call.
 * Strings handed out in structs are malloc'd and owned by the caller unless
 * said otherwise. Writes happen inside store_begin()/store_commit(); every
 * committed write bumps the data version, so caches keyed by it stay true.
 */
#ifndef ZS_STORE_H
#define ZS_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/project.h"

struct store;

/* Opens url: "sqlite:PATH" or a plain path (SQLite), or a libpq URL
 * "postgresql://..." (several hosts and target_session_attrs included).
 * create: make the SQLite file if absent (init); otherwise a missing
 * database is an error naming the path. A PostgreSQL connection that breaks
 * is made again at the next call (after a failover, on the new primary). */
int store_open(const char *url, bool create, struct store **out, char **err);
void store_close(struct store *s);
/* url with its password (if any) masked, for messages (malloc'd). */
char *store_redact_url(const char *url);
const char *store_error(const struct store *s);
/* The last failure was the database being out of reach (a lost connection,
 * a server that refuses writes): worth retrying later. */
bool store_unavailable(const struct store *s);
/* The last failure was the COMMIT itself: the transaction may or may not
 * have taken effect (a disk that failed to flush, a connection lost while
 * committing). Whoever asked is told so, never that nothing was saved. */
bool store_uncertain(const struct store *s);
/* The last failure was a unique constraint (a duplicate). */
bool store_conflict(const struct store *s);
/* "sqlite" or "postgresql". */
const char *store_backend(const struct store *s);

/* Applies the migrations not yet applied, each in its own transaction.
 * *applied (may be NULL) receives how many ran. */
int store_migrate(struct store *s, int *applied);
/* The highest applied migration version (0 for an empty database). */
int store_schema_version(struct store *s, int *version);

int store_begin(struct store *s);
int store_commit(struct store *s);
void store_rollback(struct store *s);

/* Copies the whole database to path with the backend's online backup. */
int store_backup(struct store *s, const char *path);
/* Replaces the whole database with the (checked) copy at path. */
int store_restore(struct store *s, const char *path);

/* meta key/value; *value is malloc'd, NULL when the key is absent. */
int store_meta_get(struct store *s, const char *key, char **value);
int store_meta_set(struct store *s, const char *key, const char *value);
/* The data version: a counter raised by every committed write. */
int store_data_version(struct store *s, int64_t *version);

/* The two counters in meta: the data version (raised by every committed
 * write) and the session version (raised by every change to a user or
 * removal of a session, so that a session read at one session version
 * stands as long as it has not changed). */
enum store_version { STORE_VERSION_DATA, STORE_VERSION_SESSION, STORE_VERSION__MAX };
/* Both, in one statement. */
int store_versions(struct store *s, int64_t v[STORE_VERSION__MAX]);
/* Called (from the committing thread, once the commit took effect) with
 * each version a commit through this process raised: a server learns of
 * its own writes without waiting for their notification. */
void store_set_version_hook(void (*fn)(enum store_version which, int64_t value));
/* Listening for other processes' changes of the versions (PostgreSQL's
 * LISTEN/NOTIFY): 0, 1 when the backend has no notifications, -1 on
 * error. Then store_notifications() waits for them. */
int store_listen(struct store *s);
int store_notifications(struct store *s, int wake_fd, int timeout_ms,
			void (*fn)(void *ctx, enum store_version which, int64_t value), void *ctx);
/* The listening process tells the others which versions it knows: a
 * commit returns (store_commit()) only once every listening process has
 * announced the versions it raised (or after a second, for one that does
 * not answer), so that what was written through one process is what the
 * others answer from then on. */
int store_announce(struct store *s, const int64_t v[STORE_VERSION__MAX]);

/* ---- reference data ---- */

struct region {
	int64_t id, parent_id, county_id; /* parent 0 for the root; county 0 above county level */
	char *name, *code, *level, *path;
	bool assessed;
	int sort_order;
};

struct named {
	int64_t id;
	char *name;
	char *category; /* chains: 先进制造业 / 现代农业; NULL elsewhere */
	char *leader;   /* chains: 链长 */
	int sort_order;
};


struct refdata {
	struct region *regions; /* in tree order (parents first, siblings by sort_order) */
	int nregions;
	struct named *departments, *chains, *channels;
	int ndepartments, nchains, nchannels;
	struct rule *rules; /* by sort_order */
	int nrules;
	char *home_province;
	int due_soon_days;
	/* meta figures.verified_basis: figures count a milestone only when the
	 * city bureau has verified it ("basis":"verified"). */
	bool verified_basis;
	/* meta amounts.confirm_above_yi (as 万元) and amounts.confirm_factor:
	 * when an amount waits for a second person (0: never). */
	int64_t confirm_above_wan;
	int confirm_factor;
	int claim_days; /* meta leads.claim_days: 首报首谈 (0: no claims) */
};

int store_refdata_load(struct store *s, struct refdata *rd);
void refdata_release(struct refdata *rd);

int store_region_add(struct store *s, int64_t parent_id, const char *name, const char *code,
		     const char *level, bool assessed, int sort_order, int64_t *id);
int store_department_add(struct store *s, const char *name, int sort_order);
int store_chain_add(struct store *s, const char *name, const char *category,
		    const char *leader, const char *task_force, int sort_order);
int store_channel_add(struct store *s, const char *name, int sort_order);
int store_rule_add(struct store *s, const struct rule *r, int sort_order);

/* Finds the event by exact name or creates it (type, city, held_on may be
 * NULL). *created tells which (may be NULL). */
int store_event_ensure(struct store *s, const char *name, const char *type, const char *city,
		       const char *held_on, int64_t *id, bool *created);
/* Finds the company by exact name, or by credit code when given, or creates
 * it. A known company's missing credit code, province or city are filled in. */
int store_company_ensure(struct store *s, const char *name, const char *credit_code,
			 const char *province, const char *city, int64_t *id, bool *created);

/* ---- projects ---- */

/* Loads the project with this code into p (cleared first). The names of its
 * region, county, chain and channel are left NULL: refdata_project_names()
 * fills them from the reference data. Returns 0 when found, 1 when there is
 * none, -1 on error. */
int store_project_get(struct store *s, const char *code, struct project *p);
/* Inserts p (ids resolved, p->investor_id given) and sets p->id; or updates
 * the project p->id, raising its version. stage, timestamps and the rule dues
 * (for the rules given) are maintained here. now: the UTC timestamp text. */
int store_project_save(struct store *s, struct project *p, int64_t investor_id,
		       const struct rule *rules, int nrules, const char *now);
/*
 * Bulk loading, inside the caller's transaction: store_bulk_begin() sets the
 * secondary indexes of the project tables aside (lookups by code and the
 * primary keys stay), store_bulk_end() builds them again. Building an index
 * once from sorted data is far cheaper than maintaining it row by row. A
 * rollback restores everything as it was.
 */
int store_bulk_begin(struct store *s);
int store_bulk_end(struct store *s);
/* During a bulk load: each company it adds is written with its name key
 * (companies.name_key) from key (a new string), instead of the key being
 * filled in by a later update. */
void store_bulk_company_key(struct store *s, char *(*key)(const char *name));

/*
 * Outside a transaction, before a large one by a process that needs nobody
 * else to use the database meanwhile (the CLI's import of a large file):
 * the backend may take the database for itself until store_exclusive_end(),
 * if no other connection has it open. SQLite then writes through a
 * rollback journal instead of the WAL (store_sqlite.c says why); other
 * processes wait for it. Returns 1 when taken, 0 when not (the database is
 * in use, or the backend has no such mode: the write goes on as usual), -1
 * on a storage failure. store_exclusive_end() is called after the commit or
 * rollback and does nothing when nothing was taken.
 */
int store_exclusive_begin(struct store *s);
void store_exclusive_end(struct store *s);

int store_project_count(struct store *s, int64_t *n);

enum project_sort {
	SORT_SIGNED_ON,
	SORT_AMOUNT,
	SORT_CODE,
	SORT_UPDATED,
};

struct project_filter {
	int64_t region_id; /* 0: all; a county-level unit or sub-unit narrows */
	bool region_is_county; /* region_id is county level: match its subtree */
	int64_t chain_id;
	int64_t investor_id; /* 0: any */
	const char *stage; /* NULL or a project_stage() value */
	int state; /* -1, or an enum rule_state: projects with a rule in it */
	int year; /* 0, or signed in that year */
	int64_t amount_min, amount_max; /* -1: no bound (万元) */
	const char *q; /* NULL, or text searched in code, name and investor */
	enum project_sort sort;
	bool desc;
	/* keyset: rows strictly after this (value, id) in the sort order */
	const char *after_value;
	int64_t after_id;
	int limit; /* 0: no limit */
	int32_t today; /* for the state filter */
	int window;
};

/* Calls row(ctx, p) for each matching project in order (names as with
 * store_project_get()); p is valid only during the call, and row may change
 * it (the store releases it afterwards). Stops when row returns non-zero. */
int store_project_list(struct store *s, const struct project_filter *f,
		       int (*row)(void *ctx, struct project *p), void *ctx);
int store_project_list_count(struct store *s, const struct project_filter *f, int64_t *n);
/* The keyset value of p for a sort (malloc'd). */
char *project_sort_value(const struct project *p, enum project_sort sort);

/* ---- figures ---- */

struct headline_row {
	int64_t county_id;
	int64_t count, amount_wan, started;
};

struct headline_input {
	const char *from, *to, *as_of; /* YYYY-MM-DD */
	const char *home_province;
	bool verified; /* the verified basis: started counts only a verified 开工 */
};

struct headline_result {
	struct headline_row *by_county; /* counties with at least one project, in no order */
	int ncounty;
	int64_t event_count, event_amount_wan;
	int64_t foreign_count;
};

int store_headline(struct store *s, const struct headline_input *in, struct headline_result *out);
void headline_result_release(struct headline_result *r);

/* The out_of_province_100m set of a period, grouped by one dimension. */
enum breakdown {
	BD_CHAIN,
	BD_CHANNEL,
	BD_EVENT,
	BD_MONTH,    /* key: YYYY-MM */
	BD_PROVINCE, /* key: the investor's province at signing */
	BD__COUNT
};

struct breakdown_row {
	int64_t id; /* chain, channel or event id; 0 for none or for text keys */
	char *key;  /* month, province or event name; NULL for id keys */
	int64_t count, amount_wan, started;
};

/* Rows of the groups that have projects, in no particular order. */
int store_breakdown(struct store *s, enum breakdown by, const struct headline_input *in,
		    struct breakdown_row **rows, int *n);
void breakdown_rows_release(struct breakdown_row *rows, int n);
/* Every signing of the period not terminated by as_of, grouped by the
 * investor's province (key), or with province given by its cities (key
 * NULL for no city). */
enum origin_layer {
	ORIGIN_SIGNED,  /* the period's signings (count, amount) */
	ORIGIN_LEADS,   /* the companies of the period's leads (count, intended amount) */
	ORIGIN_TARGETS, /* target companies on the chain maps (count; any period) */
};
int store_origins(struct store *s, const struct headline_input *in, int layer, const char *province,
		  struct breakdown_row **rows, int *n);

/* One (project, rule) pair as stored: the state is computed by rule_eval. */
struct rule_pair {
	const char *code, *name, *responsible;
	int64_t county_id, region_id, chain_id;
	int64_t rule_id;
	/* The stored pair (see rule_pair_state()). */
	int32_t from_on, due, to_on;
	bool to_na;
	int32_t terminated_on;
};

/*
 * Calls pair(ctx, rp) for the (project, rule) pairs that can have a state on
 * as_of, sorted by due, code and the rules' order. With all false only pairs
 * that can be due_soon or overdue are visited: unfinished on as_of, not
 * exempt, due on or before due_limit. rp is valid only during the call.
 */
int store_rule_pairs(struct store *s, const char *as_of, const char *due_limit, bool all,
		     int (*pair)(void *ctx, const struct rule_pair *rp), void *ctx);

/* ---- users, sessions, the audit trail ---- */

struct user {
	int64_t id;
	char *username, *display_name;
	char *role; /* a key of auth.h's roles */
	int64_t region_id, chain_id; /* the scope of a region operator / chain task force */
	char *password_hash; /* Argon2id, libsodium's string form; NULL: cannot log in */
	char *password_changed_at, *locked_until, *created_at; /* UTC YYYY-MM-DDTHH:MM:SSZ */
	bool disabled;
	int failed_logins;
};

void user_release(struct user *u);
/* 0 found, 1 none, -1 error. */
int store_user_get(struct store *s, const char *username, struct user *u);
int store_user_get_id(struct store *s, int64_t id, struct user *u);
/* Every user by username; u is valid during the call only. */
int store_users_list(struct store *s, int (*row)(void *ctx, const struct user *u), void *ctx);
/* Inserts u (id 0; sets it) or updates every mutable field of user u->id. */
int store_user_save(struct store *s, struct user *u);

/* A session with its user, found by the hash of its token. Times are Unix
 * seconds. */
struct session {
	int64_t created_at, last_seen;
	struct user user; /* id, username, display_name, role, scope, disabled,
			     password_changed_at */
};

int store_session_insert(struct store *s, const char *token_hash, int64_t user_id, int64_t now,
			 const char *address);
/* The session of token_hash with its user (0; 1: none) and, read in the
 * same statement, the data version (store_data_version()): one statement,
 * so one read transaction or round trip, for each signed-in request. */
int store_session_get(struct store *s, const char *token_hash, struct session *x,
		      int64_t *data_version);
void session_release(struct session *x);
int store_session_touch(struct store *s, const char *token_hash, int64_t now);
int store_session_delete(struct store *s, const char *token_hash);
int store_session_delete_user(struct store *s, int64_t user_id);
/* Deletes sessions idle since before idle_before or made before
 * created_before. */
int store_session_purge(struct store *s, int64_t idle_before, int64_t created_before);

struct audit_row {
	int64_t id;
	const char *at, *username, *address, *action, *entity, *entity_key;
	const char *old_value, *new_value; /* JSON objects or NULL */
	const char *prev_hash, *hash;
};

/* The last row's id and hash (0 and NULL when the trail is empty). Inside a
 * write transaction the head is kept in memory after the first read. */
int store_audit_last(struct store *s, int64_t *id, char **hash);
/* Appends a row; meta "audit_head" follows at commit. */
int store_audit_insert(struct store *s, const struct audit_row *a);

struct audit_filter {
	const char *username, *action, *entity, *entity_key;
	const char *from, *to; /* at >= from, at < to (UTC text) */
	int64_t after_id; /* keyset: rows after this id in the order */
	int limit;        /* 0: all */
	bool desc;
};

int store_audit_list(struct store *s, const struct audit_filter *f,
		     int (*row)(void *ctx, const struct audit_row *a), void *ctx);
/* Failed logins from an address since a UTC time. */
int store_login_failures(struct store *s, const char *address, const char *since, int64_t *n);

/* Commits without raising the data version: for writes that no cached
 * reply depends on (sessions, login counters and their audit rows). */
int store_commit_quiet(struct store *s);

/* ---- companies: the investor database ---- */

struct company {
	int64_t id;
	char *name, *credit_code, *province, *city, *industry;
	char *tags; /* comma-separated, in the order of the tag list; NULL: none */
	char *notes, *created_at, *updated_at;
	int64_t version;
	int64_t projects; /* how many projects it invests in (read only) */
};

void company_release(struct company *c);
/* 0 found, 1 none, -1 error. */
int store_company_get(struct store *s, int64_t id, struct company *c);
/* The company with this credit code, else this name: 0 found (*by_code
 * tells which), 1 none, -1 error. */
int store_company_find(struct store *s, const char *name, const char *credit_code, int64_t *id,
		       bool *by_code);
/* Inserts c (id 0; sets it) or updates every field of company c->id. */
int store_company_save(struct store *s, struct company *c, const char *now);

struct company_filter {
	const char *q;        /* in the name, or the exact credit code */
	const char *tag;      /* one tag */
	const char *province; /* exact */
	const char *after_name; /* keyset: after (name, id) */
	int64_t after_id;
	int limit;
};

/* Companies by name; c is valid during the call only. */
int store_company_list(struct store *s, const struct company_filter *f,
		       int (*row)(void *ctx, const struct company *c), void *ctx);

struct contact {
	int64_t id, company_id;
	const char *name, *title, *phone, *email, *created_at;
};

int store_contacts_list(struct store *s, int64_t company_id,
			int (*row)(void *ctx, const struct contact *c), void *ctx);
int store_contact_add(struct store *s, struct contact *c);
int store_contact_delete(struct store *s, int64_t company_id, int64_t id, bool *deleted);

/* ---- leads (意向信息) ---- */

struct lead {
	int64_t id, company_id, channel_id, chain_id, region_id, county_id;
	int64_t amount_wan; /* -1: not known */
	int64_t project_id; /* after conversion, else 0 */
	char *company, *title, *source_kind, *source_name, *stage, *lost_reason;
	char *project_code, *reported_by, *created_at, *updated_at;
	int32_t reported_on, last_activity; /* last_activity: the report or the latest follow-up */
	int64_t version;
};

void lead_release(struct lead *l);
int store_lead_get(struct store *s, int64_t id, struct lead *l);
/* Inserts l (id 0; sets it) or updates lead l->id. */
int store_lead_save(struct store *s, struct lead *l, const char *now);

struct lead_filter {
	const char *stage, *source_kind, *source_name, *q;
	int64_t region_id; /* 0: all */
	bool region_is_county;
	int64_t chain_id;
	int32_t stale_before; /* 0: any; else open leads idle since before this day */
	int64_t after_id;     /* keyset: ids below */
	int limit;
};

/* Newest first; l is valid during the call only. */
int store_lead_list(struct store *s, const struct lead_filter *f,
		    int (*row)(void *ctx, const struct lead *l), void *ctx);

struct follow_up {
	int64_t id, lead_id;
	int32_t on_date;
	const char *username, *note, *stage, *created_at;
};

int store_follow_ups(struct store *s, int64_t lead_id,
		     int (*row)(void *ctx, const struct follow_up *u), void *ctx);
int store_follow_up_add(struct store *s, struct follow_up *u);

struct funnel_row {
	int64_t id; /* the chain; 0 for text keys or none */
	char *key;  /* the source kind or name; NULL for chains or none */
	const char *stage;
	int64_t count;
};

/* Leads reported in [from, to] counted by group and stage: by 0 source kind,
 * 1 source name (team), 2 chain. */
int store_lead_funnel(struct store *s, int by, int32_t from, int32_t to, struct funnel_row **rows,
		      int *n);
void funnel_rows_release(struct funnel_row *rows, int n);

/* ---- effort: campaigns, events, trips, stationed teams ---- */

/* A row of a listing as texts (NULL for SQL NULL), in the column order the
 * function documents; valid during the call only. */
typedef int (*store_text_row)(void *ctx, const char *const *v, int n);

/* Every project's code (a bulk import's start: which codes are new). */
int store_project_codes(struct store *s, store_text_row row, void *ctx);

int store_campaign_add(struct store *s, const char *name, const char *theme, int32_t starts_on,
		       int32_t ends_on, const char *now, int64_t *id);
int store_campaign_find(struct store *s, const char *name, int64_t *id);
/* id, name, theme, starts_on, ends_on, events, trips; newest first. */
int store_campaigns(struct store *s, store_text_row row, void *ctx);

struct event_fields {
	const char *name, *type, *city, *theme, *organiser;
	int32_t held_on; /* DATE_NONE: not known */
	int64_t campaign_id;
};

int store_event_create(struct store *s, const struct event_fields *e, const char *now, int64_t *id);
int store_event_update(struct store *s, int64_t id, const struct event_fields *e);
/* id, name, type, city, held_on, theme, organiser, campaign. */
int store_event_get(struct store *s, int64_t id, store_text_row row, void *ctx);
/* code, name, investor, county_id, amount_wan, signed_on, registered_on,
 * started_on, included_on, producing_on, terminated_on, region_id, chain_id. */
int store_event_projects(struct store *s, int64_t id, store_text_row row, void *ctx);
/* code, other code, other event: this event's signings whose investor signed
 * a project of the same chain at another event. */
int store_event_repeats(struct store *s, int64_t id, store_text_row row, void *ctx);
/* Events held in [from, to] and those without a date: id, name, type,
 * city, held_on, theme, organiser, campaign, projects, amount_wan. */
int store_events_full(struct store *s, int32_t from, int32_t to, store_text_row row, void *ctx);

struct trip_fields {
	const char *leader_level, *leader, *cities, *purpose, *created_by;
	int64_t region_id, campaign_id;
	int32_t starts_on, ends_on;
	int days;
};

int store_trip_add(struct store *s, const struct trip_fields *t, const char *now, int64_t *id);
/* id, leader_level, leader, region_id, campaign, starts_on, ends_on, days,
 * cities, purpose, created_by, visits. */
int store_trip_get(struct store *s, int64_t id, store_text_row row, void *ctx);
int store_trips(struct store *s, int32_t from, int32_t to, const char *level, store_text_row row,
		void *ctx);
int store_visit_add(struct store *s, int64_t trip_id, int64_t company_id, int32_t on,
		    const char *outcome, int64_t lead_id, int64_t project_id, int64_t *id);
/* id, company_id, company, visited_on, outcome, lead_id, project code. */
int store_visits(struct store *s, int64_t trip_id, store_text_row row, void *ctx);

struct team_fields {
	const char *name, *city, *leader;
	int64_t region_id;
	int members;
	int32_t starts_on, ends_on;
};

int store_team_add(struct store *s, const struct team_fields *t, const char *now, int64_t *id);
/* id, name, city, region_id, leader, members, starts_on, ends_on,
 * intentions, signed. */
int store_team_get(struct store *s, int64_t id, store_text_row row, void *ctx);
int store_teams(struct store *s, store_text_row row, void *ctx);
int store_team_find(struct store *s, const char *name, int64_t *id);
int store_lead_set_team(struct store *s, int64_t lead_id, int64_t team_id);
/* A company's leads: id, title, stage, reported_on, region_id, chain_id. */
int store_company_leads(struct store *s, int64_t company_id, store_text_row row, void *ctx);
/* Visits to a company: visited_on, leader_level, leader, outcome, region_id. */
int store_company_visits(struct store *s, int64_t company_id, store_text_row row, void *ctx);
/* County leaders' trips of [from, to] by county: county_id, trips, days. */
int store_effort_by_region(struct store *s, int32_t from, int32_t to, store_text_row row, void *ctx);

/* The effort figures of a period (DOMAIN.md, "Effort"). Trips by leader
 * level: 0 city_main, 1 city_deputy, 2 chain_leader, 3 county_main. */
struct effort {
	int64_t trips[4], days[4], companies[4];
	int64_t major_projects, teams, people, intentions, events, campaigns, targeted;
};

int store_effort(struct store *s, int32_t from, int32_t to, struct effort *e);

/* ---- chain maps ---- */

int store_node_add(struct store *s, int64_t chain_id, const char *segment, const char *name,
		   int64_t *id);
/* id, segment, name, in the map's order. */
int store_nodes(struct store *s, int64_t chain_id, store_text_row row, void *ctx);
/* The chain of a node (0 when there is none). */
int store_node_chain(struct store *s, int64_t node_id, int64_t *chain_id);
/* node id, company id, company, province, city, role, note. */
int store_node_companies(struct store *s, int64_t chain_id, store_text_row row, void *ctx);
/* Puts the company on the node as local or target (or changes its role). */
int store_node_company_set(struct store *s, int64_t node_id, int64_t company_id, const char *role,
			   const char *note);
int store_node_company_delete(struct store *s, int64_t node_id, int64_t company_id, bool *deleted);
/* stage, count of the chain's leads. */
int store_chain_lead_stages(struct store *s, int64_t chain_id, store_text_row row, void *ctx);
/* The chain's projects signed in [from, to] not terminated by to: count,
 * amount_wan, started by to. */
int store_chain_projects(struct store *s, int64_t chain_id, const char *from, const char *to,
			 int64_t out[3]);

/* ---- supervision ---- */

/* The monthly assessment's inputs (see assess.c): the month's 亿元以上省外
 * signings (county_id, code, amount_wan); the rule
 * pairs due in [from, to] (county_id, rule key, due, to_on, to_na, code);
 * the pairs overdue on eval (county_id, code, rule key); the month's
 * investment on major projects (county_id, code, invested_wan). */
int store_assess_inputs(struct store *s, const char *from, const char *to, const char *eval,
			const char *month, const char *home, bool verified, store_text_row signed_row,
			store_text_row due_row, store_text_row overdue_row, store_text_row invested_row,
			void *ctx);
/* A published month: snapshot, published_at, published_by (no row when not). */
int store_assessment_get(struct store *s, const char *month, store_text_row row, void *ctx);
int store_assessment_put(struct store *s, const char *month, const char *at, const char *by,
			 const char *snapshot);
/* The published months: month, published_at, published_by; newest first. */
int store_assessments(struct store *s, store_text_row row, void *ctx);
int store_objection_add(struct store *s, const char *month, int64_t region_id, const char *text,
			const char *by, const char *at, int64_t *id);
/* id, region_id, text, raised_by, raised_at, answer, answered_by, answered_at. */
int store_objections(struct store *s, const char *month, store_text_row row, void *ctx);
int store_objection_answer(struct store *s, const char *month, int64_t id, const char *answer,
			   const char *by, const char *at, bool *found);
/* A project's progress entry for a month (replacing the month's). */
int store_progress_put(struct store *s, int64_t project_id, const char *month, int64_t invested,
		       int64_t cumulative, const char *note, const char *by, int32_t on);
/* month, invested_wan, cumulative_wan, note, entered_by, entered_on. */
int store_progress_list(struct store *s, int64_t project_id, store_text_row row, void *ctx);
/* The plan of a major project (倒排工期); total_wan -1: not known. */
int store_plan_put(struct store *s, int64_t project_id, int32_t start, int32_t producing,
		   int64_t total_wan, const char *now);
/* Major projects not terminated by today: code, name, region_id, chain_id,
 * amount_wan, stage, started_on, producing_on, planned_start_on,
 * planned_producing_on, planned_total_wan, and the month's invested_wan,
 * cumulative_wan, entered_on. */
int store_major_list(struct store *s, const char *month, const char *today, store_text_row row,
		     void *ctx);

/* ---- problems and dispatch ---- */

struct problem {
	int64_t id, project_id, region_id, chain_id, owner_department_id;
	char *code, *project_name, *category, *grade, *title, *description, *owner_person;
	char *status, *raised_by, *created_at, *updated_at;
	int32_t deadline, raised_on, solved_on;
	int escalations;
};

void problem_release(struct problem *q);
int store_problem_get(struct store *s, int64_t id, struct problem *q);
/* Inserts q as open (sets q->id). */
int store_problem_add(struct store *s, struct problem *q, const char *now);
/* Writes grade, owner, deadline, status, solved_on and escalations. */
int store_problem_update(struct store *s, const struct problem *q, const char *now);
int store_problem_event(struct store *s, int64_t problem_id, int32_t on, const char *user,
			const char *kind, const char *text, int64_t meeting_id);
/* on_date, username, kind, text, meeting name; oldest first. */
int store_problem_events(struct store *s, int64_t problem_id, store_text_row row, void *ctx);
/* Unsolved problems past their deadline below the top grade (malloc'd ids). */
int store_problems_past_deadline(struct store *s, int32_t today, int64_t **ids, int *n);

struct problem_filter {
	const char *status, *grade;
	int64_t project_id;
	int32_t overdue_on; /* 0: any; else unsolved with a deadline before this day */
	int limit;
};

/* By deadline; q is valid during the call only. */
int store_problem_list(struct store *s, const struct problem_filter *f,
		       int (*row)(void *ctx, const struct problem *q), void *ctx);
int store_meeting_add(struct store *s, const char *name, int32_t held_on, const char *chair,
		      const char *now, int64_t *id);
/* id, name, held_on, chaired_by, decisions. */
int store_meetings(struct store *s, store_text_row row, void *ctx);
/* One meeting as store_meetings() gives it (no row: none). */
int store_meeting_get(struct store *s, int64_t id, store_text_row row, void *ctx);
/* Its decisions: problem id, title, project code, region_id, chain_id,
 * text, the problem's grade and status now. */
int store_meeting_decisions(struct store *s, int64_t id, store_text_row row, void *ctx);

/* ---- reminders ---- */

/* An inbox entry for a user and an item (once: a repeat does nothing). */
int store_notify(struct store *s, const char *user, const char *item, const char *title,
		 const char *body, const char *now);
/* id, item, title, body, created_at, read_at; newest first. */
int store_inbox(struct store *s, const char *user, int limit, store_text_row row, void *ctx);
int store_inbox_read(struct store *s, const char *user, int64_t id, const char *now, bool *found);
int store_inbox_unread(struct store *s, const char *user, int64_t *n);
int store_inbox_read_all(struct store *s, const char *user, const char *now);
int store_target_add(struct store *s, const char *kind, const char *target, const char *name,
		     int64_t *id);
/* id, kind, target, name, enabled. */
int store_targets(struct store *s, store_text_row row, void *ctx);
/* A delivery of an item to a target (once: a repeat does nothing). */
int store_delivery_add(struct store *s, int64_t target, const char *item, const char *payload,
		       int64_t next_at, const char *now);
/* Deliveries due at now (Unix seconds): id, kind, target, payload, attempts. */
int store_deliveries_due(struct store *s, int64_t now, store_text_row row, void *ctx);
/* Takes a due delivery for sending until lease_until (another server's
 * claim in force makes *claimed false). */
int store_delivery_claim(struct store *s, int64_t id, int64_t now, int64_t lease_until, bool *claimed);
int store_delivery_done(struct store *s, int64_t id, const char *status, int attempts,
			const char *error, int64_t next_at, const char *sent_at);
/* id, kind, target, item, status, attempts, last_error, sent_at, created_at. */
int store_deliveries(struct store *s, const char *status, store_text_row row, void *ctx);
/* Enabled region operators: username, region_id. */
int store_region_operators(struct store *s, store_text_row row, void *ctx);

/* ---- evidence files ---- */

struct evidence {
	int64_t id, project_id;
	const char *code; /* the project's, when read */
	const char *milestone, *kind, *file_name, *content_type, *sha256, *stored_name;
	const char *uploaded_by, *uploaded_at;
	int64_t size;
};

/* Inserts e (sets e->id). */
int store_evidence_insert(struct store *s, struct evidence *e);
/* Calls row once for the evidence with this id (not at all when none); e is
 * valid during the call only. */
int store_evidence_get(struct store *s, int64_t id, int (*row)(void *ctx, const struct evidence *e),
		       void *ctx);
int store_evidence_list(struct store *s, int64_t project_id,
			int (*row)(void *ctx, const struct evidence *e), void *ctx);
/* Whether a row names this stored file. */
int store_evidence_named(struct store *s, const char *stored_name, bool *exists);

/* ---- duplicates: one project, one identity (dupes.c) ---- */

/* Companies whose comparison key is not set: id, name. */
int store_company_keys_missing(struct store *s, store_text_row row, void *ctx);
int store_company_key_set(struct store *s, int64_t id, const char *key);
/* Projects not terminated whose investor's key k has lo <= k < hi, other
 * than project except, by key and id, at most limit; with lo NULL every
 * project whose investor has a key. Columns: id, code, name, investor_id,
 * investor, investor key, amount_wan, county_id, signed_on, event_id,
 * region_id, chain_id. */
int store_dup_candidates(struct store *s, const char *lo, const char *hi, int64_t except, int limit,
			 store_text_row row, void *ctx);
/* Records the pair as suspected (a pair marked distinct stays so). */
int store_dup_pair_put(struct store *s, int64_t a, int64_t b, int score, const char *reasons,
		       const char *now);
/* Forgets the open pairs of a project (before it is checked again). */
int store_dup_pairs_drop(struct store *s, int64_t project_id);
/* Open pairs by code: a_id, b_id, a code, b code, score, reasons, a
 * region_id, a chain_id, b region_id, b chain_id. */
int store_dup_pairs_open(struct store *s, store_text_row row, void *ctx);
/* Marks an open pair distinct; *found false when there was none. */
int store_dup_pair_distinct(struct store *s, int64_t a, int64_t b, const char *by, const char *at,
			    bool *found);
/* Merges project gone into kept: what hangs on gone moves to kept, gone is
 * deleted and its snapshot (interchange JSON) kept with its code. */
int store_project_merge(struct store *s, int64_t kept, int64_t gone, const char *gone_code,
			const char *snapshot, const char *by, const char *at);
/* The code of the project a merged code went into: 0 found, 1 none. */
int store_merged_into(struct store *s, const char *code, char **kept);
/* The codes merged into a project: code, merged_by, merged_at, snapshot. */
int store_merged_codes(struct store *s, int64_t kept, store_text_row row, void *ctx);

/* ---- the verification gate ---- */

/* Records the city bureau's verification of a milestone on its date on
 * (any earlier one withdrawn) and sets its bit in verified_mask. */
int store_verify(struct store *s, int64_t project_id, int milestone, int32_t on,
		 const char *reference, int64_t evidence_id, const char *note, const char *by,
		 const char *at);
/* Withdraws it: the milestone is reported only. */
int store_unverify(struct store *s, int64_t project_id, int milestone, const char *by, const char *at);
/* milestone, on_date, reference, evidence_id, note, verified_by,
 * verified_at, withdrawn_by, withdrawn_at, id; oldest first. */
int store_verifications(struct store *s, int64_t project_id, store_text_row row, void *ctx);

/* ---- attribution and amounts ---- */

/* A project's referring unit (引荐单位): kind "region" (a county-level
 * unit), "department" or "chain", its id, and its share in whole percent. */
int store_referral_put(struct store *s, int64_t project_id, const char *kind, int64_t ref_id,
		       int share, const char *by, const char *at);
int store_referral_delete(struct store *s, int64_t project_id, bool *deleted);
/* kind, ref_id, share, recorded_by, recorded_at (no row: none). */
int store_referral_get(struct store *s, int64_t project_id, store_text_row row, void *ctx);
/* The investor's other projects not terminated: how many, the largest
 * amount (万元). */
int store_investor_others(struct store *s, int64_t project_id, int64_t *count, int64_t *max_wan);
/* Marks the amount as waiting (or not) for a second person's confirmation,
 * entered by entered_by. */
int store_amount_flag(struct store *s, int64_t project_id, bool pending, const char *entered_by);
/* The same for the n projects of ids, in a few statements (a bulk import). */
int store_amount_flags(struct store *s, const int64_t *ids, size_t n, bool pending,
		       const char *entered_by);
/* Confirms a waiting amount (*done false when none waits). */
int store_amount_confirm(struct store *s, int64_t project_id, const char *by, bool *done);
int store_amount_entered_by(struct store *s, int64_t project_id, char **user);
/* What the amount check of a bulk import reads: every project not
 * terminated, by id (*rows malloc'd, the caller frees it). */
struct amount_row {
	int64_t id, investor_id, amount_wan;
	bool pending;
};
int store_amount_rows(struct store *s, struct amount_row **rows, size_t *n);

/* 首报首谈: the county-level unit of the first open lead on a company
 * reported on or after since, and its day (*county_id 0: none). */
int store_lead_claim(struct store *s, int64_t company_id, int32_t since, int64_t *county_id,
		     int32_t *reported_on);

/* The data-quality counts by county-level unit: kind ("evidence",
 * "unverified", "duplicates", "amount_pending", "stale_leads"), county_id,
 * count. Milestones reported on or before unverified_before and not
 * verified; open leads idle since before idle_before. */
int store_quality(struct store *s, int32_t unverified_before, int32_t idle_before,
		  store_text_row row, void *ctx);

/* ---- copying a deployment (migrate-data) ---- */

/* The name of the i-th table of a deployment, parents first; NULL past the
 * last. */
const char *store_copy_table_name(int i);
int store_copy_table_count(struct store *s, int i, int64_t *n);
/* Copies every row of table i from src into dst (inside dst's transaction),
 * ids kept. On failure the message is src's store_error(). */
int store_copy_table(struct store *src, struct store *dst, int i, int64_t *rows);

#endif
