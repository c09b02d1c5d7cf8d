/*
 * project: a signed investment project, its milestones and the 26211 rules.
 *
 * Pure logic, no I/O. A project has five milestones in a fixed chain
 * (签约 → 注册 → 开工 → 入库, and 开工 → 投产). Each milestone is either dated,
 * empty, or 不适用 (na): a 不适用 milestone needs nothing, blocks nothing and
 * is never reached. Rules (the 26211 mechanism) are data: a rule says the
 * to-milestone is due `months` after the from-milestone; its state for a day
 * as_of follows DOMAIN.md ("The 26211 mechanism").
 */
#ifndef ZS_PROJECT_H
#define ZS_PROJECT_H

#include <stdbool.h>
#include <stdint.h>

enum milestone {
	MS_SIGNED,
	MS_REGISTERED,
	MS_STARTED,
	MS_INCLUDED,
	MS_PRODUCING,
	MS__COUNT
};

/* English key ("signed", "registered", ...), Chinese name (签约, ...) and the
 * interchange column key ("signed_on", ...) of a milestone. */
const char *milestone_key(enum milestone m);
const char *milestone_name(enum milestone m);
const char *milestone_column(enum milestone m);
/* The milestone with this key, or -1. */
int milestone_find(const char *key);
/* The milestone a given one needs (MS_SIGNED for registered, registered for
 * started, started for included and producing); -1 for signed. */
int milestone_prerequisite(enum milestone m);

struct project {
	int64_t id;
	char *code;
	char *name;
	char *investor;
	char *investor_credit_code;
	char *investor_province; /* full name at signing, or 境外 */
	char *investor_city;
	int64_t region_id;
	char *region; /* display name of the landing region */
	int64_t county_id; /* its county-level unit */
	char *county;
	int64_t chain_id; /* 0: none */
	char *chain;
	int64_t amount_wan;
	int64_t channel_id; /* 0: none */
	char *channel;
	int64_t event_id; /* 0: none */
	char *event;
	bool foreign_oriented;
	bool major;
	char *responsible;
	int32_t ms[MS__COUNT]; /* DATE_NONE when empty or na */
	bool na[MS__COUNT];
	char *na_reason;
	int32_t terminated_on; /* DATE_NONE unless terminated */
	char *terminated_reason;
	char *notes;
	int64_t version;
	char *created_at;
	char *updated_at;
	/* Milestones verified by the city bureau for their current dates
	 * (bit 1 << milestone; never the signing). */
	unsigned verified_mask;
	/* The amount waits for a second person's confirmation (it does not
	 * count until then). */
	bool amount_pending;
};

/* Frees the strings of p and zeroes it. */
void project_release(struct project *p);
/* Sets every field of p to empty (strings NULL, dates DATE_NONE). */
void project_clear(struct project *p);
/* Deep copy of src into dst (dst is overwritten, not released). */
void project_copy(struct project *dst, const struct project *src);

/*
 * Checks the invariants of DOMAIN.md that concern one project: milestone
 * order, prerequisites, 不适用 (needs a reason; signed cannot be 不适用), no
 * date after today, termination (date and reason together, not before any
 * milestone, not after today), amount not negative. For each violation calls
 * report(ctx, field, message) with the interchange key of the field and a
 * Chinese message. Returns the number of violations.
 */
int project_check(const struct project *p, int32_t today,
		  void (*report)(void *ctx, const char *field, const char *msg),
		  void *ctx);

/* The furthest stage reached as of today: "terminated", "producing",
 * "included", "started", "registered" or "signed". */
const char *project_stage(const struct project *p);

enum rule_state {
	RS_NONE, /* from-milestone not reached, or the project terminated */
	RS_EXEMPT,
	RS_DONE,
	RS_LATE_DONE,
	RS_OVERDUE,
	RS_DUE_SOON,
	RS_PENDING,
	RS__COUNT
};

/* "exempt", "done", ...; "none" for RS_NONE. */
const char *rule_state_key(enum rule_state s);
/* 已豁免, 按期完成, ... */
const char *rule_state_name(enum rule_state s);
/* The state with this key, or -1. */
int rule_state_find(const char *key);

struct rule {
	int64_t id;
	char key[32];
	char name[64];
	enum milestone from;
	enum milestone to;
	int months;
};

/*
 * The state of rule r for a project with the given milestone dates and
 * termination, seen on day as_of with a due-soon window of `window` days.
 * Milestones and a termination dated after as_of have not happened yet.
 * *due is set to the due date whenever the from-milestone is reached
 * (DATE_NONE otherwise).
 */
enum rule_state rule_eval(const struct rule *r, const int32_t ms[MS__COUNT],
			  const bool na[MS__COUNT], int32_t terminated_on,
			  int32_t as_of, int window, int32_t *due);
/* The state on as_of of a started pair (its from-milestone reached, the
 * project not terminated) with this due day and to-milestone. */
enum rule_state rule_state_at(int32_t due, int32_t to, bool to_na, int32_t as_of, int window);
/* The state on as_of of a stored pair (a row of project_rules: the
 * from-milestone's day, the due day, the to-milestone's day and whether it
 * is 不适用) of a project terminated on terminated_on: rule_eval()'s answer
 * without the project's other milestones. */
enum rule_state rule_pair_state(int32_t from_on, int32_t due, int32_t to, bool to_na,
				int32_t terminated_on, int32_t as_of, int window);

#endif
