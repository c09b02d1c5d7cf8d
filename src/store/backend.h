/*
 * store/backend.h: the contract between the store's shared logic (store.c)
 * and a database driver (sqlite/, postgresql/). Not for use outside
 * src/store/.
 *
 * The logic of the store API (which statements, how rows become structs, how
 * the project list's SQL is put together) is written once in store.c. A
 * driver only runs statements: a fixed statement is named by its number and
 * prepared once per connection; a dynamic one (key STORE_DYNAMIC) is cached
 * by its text. Statements use positional parameters "?1".."?N" (a driver
 * that needs "$N" rewrites them); values are always bound, never spliced.
 * While a row callback runs, col_text()/col_int() read its columns.
 */
#ifndef ZS_STORE_BACKEND_H
#define ZS_STORE_BACKEND_H

#include <stdbool.h>
#include <stdint.h>

#include "store/store.h"
#include "util/buf.h"
#include "util/strmap.h"

enum sparam_type {
	SP_NULL,
	SP_TEXT, /* t, bound as is (NULL binds NULL) */
	SP_INT,  /* i */
	SP_DATE, /* i, a day number; DATE_NONE binds NULL */
};

struct sparam {
	enum sparam_type type;
	const char *t;
	int64_t i;
};

#define STORE_DYNAMIC (-1)
/* A dynamic statement whose plan follows from its text, not from the values
 * bound (the project list: its filters choose the index, the values only
 * where to start). PostgreSQL plans it once (a generic plan) instead of for
 * every run, which at a list page costs more than running it. */
#define STORE_DYNAMIC_GENERIC (-2)
/* A dynamic statement whose best plan depends on the values bound (a range
 * of dates over a large table): PostgreSQL plans it for every run. */
#define STORE_DYNAMIC_CUSTOM (-3)
/* A dynamic statement that reads and writes none of the tables of a bulk
 * load (ids taken from a sequence, ops->reserve_ids): the load's rows a
 * driver holds back (store_copy[]) need not reach the database first. */
#define STORE_DYNAMIC_IDS (-4)

/* The fixed statements (their SQL: store_sql[] in store.c). */
enum stmt {
	STMT_META_GET,
	STMT_META_SET,
	STMT_VERSION_BUMP,
	STMT_SESSION_VERSION_BUMP,
	STMT_VERSIONS,
	STMT_REGIONS,
	STMT_DEPARTMENTS,
	STMT_CHAINS,
	STMT_CHANNELS,
	STMT_RULES,
	STMT_REGION_ADD,
	STMT_REGION_COUNTY_SELF,
	STMT_DEPARTMENT_ADD,
	STMT_CHAIN_ADD,
	STMT_CHANNEL_ADD,
	STMT_RULE_ADD,
	STMT_EVENT_FIND,
	STMT_EVENT_ADD,
	STMT_EVENT_ADD_ID,
	STMT_EVENTS_MIRROR,
	STMT_COMPANY_FIND_NAME,
	STMT_COMPANY_FIND_CODE,
	STMT_COMPANY_ADD,
	STMT_COMPANY_ADD_ID,
	STMT_COMPANIES_MIRROR,
	STMT_COMPANY_FILL,
	STMT_PROJECT_GET,
	STMT_PROJECT_INSERT,
	STMT_PROJECT_INSERT_ID,
	STMT_PROJECT_UPDATE,
	STMT_PROJECT_RULES_DELETE,
	STMT_PROJECT_RULE_INSERT,
	STMT_PROJECT_COUNT,
	STMT_PROJECT_CODES,
	STMT_HEADLINE_ROWS,
	STMT_HEADLINE_ONEPASS,
	STMT_BD_CHAIN,
	STMT_BD_CHANNEL,
	STMT_BD_EVENT,
	STMT_BD_MONTH,
	STMT_BD_PROVINCE,
	STMT_PAIRS_OPEN,
	STMT_PAIRS_ALL,
	STMT_USER_GET,
	STMT_USER_GET_ID,
	STMT_USERS,
	STMT_USER_INSERT,
	STMT_USER_UPDATE,
	STMT_SESSION_INSERT,
	STMT_SESSION_GET,
	STMT_SESSION_TOUCH,
	STMT_SESSION_DELETE,
	STMT_SESSION_DELETE_USER,
	STMT_SESSION_PURGE,
	STMT_AUDIT_LAST,
	STMT_AUDIT_INSERT,
	STMT_LOGIN_FAILURES,
	STMT_EVIDENCE_INSERT,
	STMT_EVIDENCE_GET,
	STMT_EVIDENCE_LIST,
	STMT_EVIDENCE_NAMED,
	STMT_COMPANY_GET,
	STMT_COMPANY_INSERT,
	STMT_COMPANY_UPDATE,
	STMT_CONTACTS,
	STMT_CONTACT_ADD,
	STMT_CONTACT_DELETE,
	STMT_LEAD_GET,
	STMT_LEAD_INSERT,
	STMT_LEAD_UPDATE,
	STMT_FOLLOW_UPS,
	STMT_FOLLOW_UP_ADD,
	STMT_FUNNEL_SOURCE,
	STMT_FUNNEL_TEAM,
	STMT_FUNNEL_CHAIN,
	STMT_CAMPAIGN_INSERT,
	STMT_CAMPAIGNS,
	STMT_CAMPAIGN_FIND,
	STMT_EVENT_CREATE,
	STMT_EVENT_GET,
	STMT_EVENT_UPDATE,
	STMT_EVENT_PROJECTS,
	STMT_EVENT_REPEATS,
	STMT_EVENTS_FULL,
	STMT_TRIP_INSERT,
	STMT_TRIP_GET,
	STMT_TRIPS,
	STMT_VISIT_INSERT,
	STMT_VISITS,
	STMT_TEAM_INSERT,
	STMT_TEAM_GET,
	STMT_TEAMS,
	STMT_TEAM_FIND,
	STMT_LEAD_SET_TEAM,
	STMT_EFFORT_TRIPS,
	STMT_EFFORT_MAJOR,
	STMT_EFFORT_TEAMS,
	STMT_EFFORT_INTENTIONS,
	STMT_EFFORT_EVENTS,
	STMT_EFFORT_CAMPAIGNS,
	STMT_EFFORT_TARGETED,
	STMT_NODE_ADD,
	STMT_NODES,
	STMT_NODE_GET,
	STMT_NODE_COMPANIES,
	STMT_NODE_COMPANY_ADD,
	STMT_NODE_COMPANY_DELETE,
	STMT_CHAIN_LEAD_STAGES,
	STMT_CHAIN_PROJECTS,
	STMT_ORIGIN_LEADS_PROVINCE,
	STMT_ORIGIN_LEADS_CITY,
	STMT_ORIGIN_TARGETS_PROVINCE,
	STMT_ORIGIN_TARGETS_CITY,
	STMT_COMPANY_LEADS,
	STMT_COMPANY_VISITS,
	STMT_EFFORT_BY_REGION,
	STMT_ASSESS_SIGNED,
	STMT_ASSESS_PAIRS,
	STMT_ASSESS_OVERDUE,
	STMT_ASSESS_OVERDUE_OPEN,
	STMT_ASSESS_INVESTED,
	STMT_ASSESSMENT_GET,
	STMT_ASSESSMENT_PUT,
	STMT_OBJECTION_ADD,
	STMT_OBJECTIONS,
	STMT_OBJECTION_ANSWER,
	STMT_PROGRESS_PUT,
	STMT_PROGRESS_LIST,
	STMT_PLAN_PUT,
	STMT_MAJOR_LIST,
	STMT_PROBLEM_INSERT,
	STMT_PROBLEM_GET,
	STMT_PROBLEM_UPDATE,
	STMT_PROBLEM_EVENT_ADD,
	STMT_PROBLEM_EVENTS,
	STMT_PROBLEMS_PAST_DEADLINE,
	STMT_MEETING_ADD,
	STMT_MEETINGS,
	STMT_NOTIFY,
	STMT_INBOX,
	STMT_INBOX_READ,
	STMT_TARGET_ADD,
	STMT_TARGETS,
	STMT_DELIVERY_ADD,
	STMT_DELIVERIES_DUE,
	STMT_DELIVERY_CLAIM,
	STMT_DELIVERY_DONE,
	STMT_DELIVERIES,
	STMT_REGION_OPERATORS,
	STMT_ASSESSMENTS,
	STMT_ORIGIN_PROVINCE,
	STMT_ORIGIN_CITY,
	STMT_COMPANY_KEYS_MISSING,
	STMT_COMPANY_KEY_SET,
	STMT_DUP_CANDIDATES,
	STMT_DUP_ALL,
	STMT_DUP_PAIR_PUT,
	STMT_DUP_PAIRS_DROP,
	STMT_DUP_PAIRS_OPEN,
	STMT_DUP_PAIR_DISTINCT,
	STMT_MERGE_EVIDENCE,
	STMT_MERGE_LEADS,
	STMT_MERGE_VISITS,
	STMT_MERGE_PROBLEMS,
	STMT_MERGE_PLAN,
	STMT_MERGE_PLAN_DROP,
	STMT_MERGE_PROGRESS,
	STMT_MERGE_PROGRESS_DROP,
	STMT_MERGE_EARLIER,
	STMT_MERGE_INSERT,
	STMT_PROJECT_DELETE,
	STMT_MERGED_INTO,
	STMT_MERGED_CODES,
	STMT_VERIFY_ADD,
	STMT_VERIFY_MASK_SET,
	STMT_VERIFY_MASK_CLEAR,
	STMT_VERIFY_WITHDRAW,
	STMT_VERIFICATIONS,
	STMT_REFERRAL_PUT,
	STMT_REFERRAL_DELETE,
	STMT_REFERRAL_GET,
	STMT_INVESTOR_OTHERS_MAX,
	STMT_AMOUNT_FLAG,
	STMT_AMOUNT_FLAGS,
	STMT_AMOUNT_CONFIRM,
	STMT_AMOUNT_ENTERED_BY,
	STMT_AMOUNT_ROWS,
	STMT_QUALITY,
	STMT_LEAD_CLAIM,
	STMT_INBOX_UNREAD,
	STMT_INBOX_READ_ALL,
	STMT_MEETING_GET,
	STMT_MEETING_DECISIONS,
	STMT__MAX
};

extern const char *const store_sql[STMT__MAX];

/* A bulk load's insert as a row to copy in (PostgreSQL's COPY), for a
 * driver that sends such rows in bulk rather than one statement each: the
 * statement key, its table and columns, and where each column's value comes
 * from: parameter n (1-based), STORE_COPY_COUNTY(n) (the county-level unit
 * of the region in parameter n, as the insert's subquery gives it) or
 * STORE_COPY_ONE (the number 1). Each says what the statement's text in
 * store_sql says; what a row references is listed before it, for a driver
 * that sends them table by table with the foreign keys in place. Ends with
 * key -1. */
#define STORE_COPY_ONE 0
#define STORE_COPY_COUNTY(n) (100 + (n))
struct store_copy {
	int key;
	const char *target; /* "table (column, ...)" */
	int ncols;
	unsigned char src[40];
};
extern const struct store_copy store_copy[];

/* The breakdown of the out_of_province_100m set by one key: ?1..?2 the
 * period, ?3 the as-of day, ?4 the home province. */
#define STORE_BD_SELECT(key)                                                         \
	"SELECT " key ", count(*), sum(amount_wan),"                                   \
	" sum(CASE WHEN started_on <= ?3 THEN 1 ELSE 0 END) FROM projects"             \
	" WHERE signed_on >= ?1 AND signed_on <= ?2 AND amount_wan >= 10000"           \
	" AND investor_province <> ?4 AND (terminated_on IS NULL OR terminated_on > ?3)" \
	" AND amount_pending = 0"

/* The (project, rule) pairs of the warnings scan, as read by pair_row(): the
 * stored pair rather than the project's milestones, and the county-level
 * unit's id rather than its name (the caller has the names), so that each
 * row the scan reads and sorts stays narrow. Columns 6, 10 and 11 are due,
 * the rule order and the rule id. */
#define STORE_PAIR_SELECT                                                        \
	"SELECT p.code, p.name, p.county_id, p.responsible, pr.from_on, pr.due,"  \
	" pr.to_on, pr.to_na, p.terminated_on, ru.sort_order, ru.id, p.region_id," \
	" p.chain_id FROM project_rules pr JOIN projects p ON p.id = pr.project_id" \
	" JOIN rules ru ON ru.id = pr.rule_id"

/* The assessment's overdue pairs on the reported basis, asked as the
 * warnings scan asks them: pairs never finished (project_rules_open) and
 * pairs finished after the evaluation day ?1 (project_rules_late), instead
 * of walking every pair due before it. Column 4 (the rule order) only
 * sorts; late_due is how the second branch names pr.due. */
#define ASSESS_OVERDUE_BRANCH(due)                                                     \
	"SELECT p.county_id, p.code, ru.key, ru.sort_order FROM project_rules pr"       \
	" JOIN projects p ON p.id = pr.project_id JOIN rules ru ON ru.id = pr.rule_id" \
	" WHERE pr.to_na = 0 AND " due " < ?1 AND pr.from_on <= ?1"                   \
	" AND (p.terminated_on IS NULL OR p.terminated_on > ?1) AND "
#define STORE_ASSESS_OVERDUE_OPEN(late_due)                                   \
	ASSESS_OVERDUE_BRANCH("pr.due") "pr.to_on IS NULL"                      \
	" UNION ALL " ASSESS_OVERDUE_BRANCH(late_due) "pr.to_on > ?1 ORDER BY 2, 4"

/* Why the last call failed, beyond its message. */
enum store_fault {
	FAULT_OTHER,
	FAULT_UNIQUE,      /* a unique constraint */
	FAULT_UNAVAILABLE, /* the connection is lost or the server refuses writes */
};

typedef int (*store_row_fn)(void *ctx, struct store *s);

struct store_ops {
	const char *name;       /* "sqlite", "postgresql" */
	const char *migrations; /* embedded path prefix of the dialect's migrations */
	const char *like;       /* the case-insensitive (ASCII) LIKE operator */
	/* The planner seeks an index on only the first column of a row-value
	 * comparison "(a, b) < (x, y)" (SQLite 3.40 does; PostgreSQL seeks
	 * both): a list page after a cursor is then asked in two statements,
	 * "a = x AND b < y" and "a < x", each seeking exactly. */
	bool split_keyset;
	/* Per-statement SQL replacing the shared text where the dialects differ. */
	const char *const *dialect_sql;
	void (*close)(struct store *s);
	/* Runs one statement; row (may be NULL) is called for each row and stops
	 * the scan by returning non-zero. key: a statement number, or
	 * STORE_DYNAMIC. 0 or -1 (with the error set). */
	int (*query)(struct store *s, int key, const char *sql, const struct sparam *p, int np,
		     store_row_fn row, void *ctx);
	/* The current row's column: text (NULL for SQL NULL), integer (0 for
	 * NULL; booleans are 0/1). */
	const char *(*col_text)(struct store *s, int col);
	int64_t (*col_int)(struct store *s, int col);
	/* Runs statements without parameters or rows (a migration script). */
	int (*exec)(struct store *s, const char *script);
	/* Starts a write transaction; writers are serialised, as in SQLite. */
	int (*begin)(struct store *s);
	int (*commit)(struct store *s);
	void (*rollback)(struct store *s);
	int (*schema_version)(struct store *s, int *version);
	const char *migrations_ddl; /* CREATE TABLE IF NOT EXISTS schema_migrations */
	int (*backup)(struct store *s, const char *path);
	/* Replaces the whole database with the copy at path. */
	int (*restore)(struct store *s, const char *path);
	int (*bulk_begin)(struct store *s);
	int (*bulk_end)(struct store *s);
	/* See store_exclusive_begin(); NULL: the backend has no such mode. */
	int (*exclusive_begin)(struct store *s);
	void (*exclusive_end)(struct store *s);
	/* After rows were copied in with their ids: a format taking the table
	 * name twice that moves its id generator past them (NULL: no need). */
	const char *identity_reset;
	/* A format taking a table's name: a statement giving ?1 new ids of
	 * it, so that a bulk load's inserts carry their ids and wait on
	 * nothing (NULL: ids come back from each insert). */
	const char *reserve_ids;
	/* Listens for the versions' notifications (migration 0016); NULL:
	 * the backend has none (SQLite: one machine, the version is read by
	 * every request). */
	int (*listen)(struct store *s);
	/* Waits up to timeout_ms for notifications (or for wake_fd to become
	 * readable) and calls fn for each: 0, or -1 when the connection is
	 * lost. */
	int (*notifications)(struct store *s, int wake_fd, int timeout_ms,
			     void (*fn)(void *ctx, enum store_version which, int64_t value), void *ctx);
	/* Tells the other processes the versions this listening process
	 * knows (NULL with listen). */
	int (*announce)(struct store *s, const int64_t v[STORE_VERSION__MAX]);
	/* After a commit that raised versions (0: not raised): waits, up to
	 * timeout_ms, until every listening process has announced them. */
	void (*await_listeners)(struct store *s, const int64_t v[STORE_VERSION__MAX], int timeout_ms);
};

/* A company as a bulk load's mirror knows it: which fields are set. */
struct store_bulk_company {
	int64_t id;
	bool code, province, city;
};

/* Ids reserved for a bulk load: id[next..n-1] are still free. */
struct store_id_block {
	int64_t *id;
	int n, next;
};

/* The head of every driver's connection struct. */
struct store {
	const struct store_ops *ops;
	enum store_fault fault;
	/* The last COMMIT itself failed and whether it took effect is not
	 * known (SQLite may have written the commit frame without its fsync;
	 * a lost connection may have committed on the server). Set by the
	 * driver's commit; cleared by store_begin(), store_commit() and any
	 * later failure (store_fail()). */
	bool uncertain;
	struct buf err;
	/* Within store_begin() .. commit/rollback; the versions raised in it
	 * (0: not raised), given to the version hook once committed. */
	bool tx;
	int64_t raised[STORE_VERSION__MAX];
	/* The audit chain's head within the current write transaction, so that
	 * appending a row reads nothing; written to meta at commit. */
	struct {
		bool known, dirty;
		int64_t id;
		char hash[65];
	} audit;
	/* From store_bulk_begin() to the transaction's end (no other writer
	 * runs meanwhile): the companies table mirrored in memory (by name and
	 * credit code: its index in co), the events ensured (by name), ids
	 * reserved; so that a bulk load's row asks nothing it can know. */
	struct {
		bool on, companies_read, events_read;
		struct store_bulk_company *co;
		size_t nco, capco;
		struct strmap co_name, co_code, events;
		struct store_id_block project_ids, company_ids, event_ids;
		char *(*company_key)(const char *name);
	} bulk;
};

/* Sets the error message (and the fault, FAULT_OTHER); returns -1. */
int store_fail(struct store *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The drivers' constructors (store_open() chooses by the URL). */
int store_sqlite_open(const char *path, bool create, struct store **out, char **err);
int store_pg_open(const char *url, bool create, struct store **out, char **err);

#endif
