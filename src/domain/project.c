/*
 * project: milestone rules, validation and 26211 rule states (see project.h).
 */
#include "domain/project.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/date.h"
#include "util/xalloc.h"

static const struct {
	const char *key, *name, *column;
	int prerequisite;
} milestones[MS__COUNT] = {
	[MS_SIGNED] = {"signed", "签约", "signed_on", -1},
	[MS_REGISTERED] = {"registered", "注册", "registered_on", MS_SIGNED},
	[MS_STARTED] = {"started", "开工", "started_on", MS_REGISTERED},
	[MS_INCLUDED] = {"included", "入库", "included_on", MS_STARTED},
	[MS_PRODUCING] = {"producing", "投产", "producing_on", MS_STARTED},
};

const char *milestone_key(enum milestone m)
{
	return milestones[m].key;
}

const char *milestone_name(enum milestone m)
{
	return milestones[m].name;
}

const char *milestone_column(enum milestone m)
{
	return milestones[m].column;
}

int milestone_find(const char *key)
{
	for (int m = 0; m < MS__COUNT; m++)
		if (strcmp(milestones[m].key, key) == 0)
			return m;
	return -1;
}

int milestone_prerequisite(enum milestone m)
{
	return milestones[m].prerequisite;
}

#define PROJECT_STRINGS(X)                                                   \
	X(code) X(name) X(investor) X(investor_credit_code)                  \
	X(investor_province) X(investor_city) X(region) X(county) X(chain)   \
	X(channel) X(event) X(responsible) X(na_reason) X(terminated_reason) \
	X(notes) X(created_at) X(updated_at)

void project_clear(struct project *p)
{
	memset(p, 0, sizeof(*p));
	for (int m = 0; m < MS__COUNT; m++)
		p->ms[m] = DATE_NONE;
	p->terminated_on = DATE_NONE;
}

void project_release(struct project *p)
{
#define FREE_STR(f) free(p->f);
	PROJECT_STRINGS(FREE_STR)
#undef FREE_STR
	project_clear(p);
}

void project_copy(struct project *dst, const struct project *src)
{
	*dst = *src;
#define DUP_STR(f) dst->f = src->f ? xstrdup(src->f) : NULL;
	PROJECT_STRINGS(DUP_STR)
#undef DUP_STR
}

int project_check(const struct project *p, int32_t today,
		  void (*report)(void *ctx, const char *field, const char *msg),
		  void *ctx)
{
	int n = 0;
	char msg[256], d1[11], d2[11];

#define FAIL(field, ...)                                                     \
	do {                                                                 \
		snprintf(msg, sizeof(msg), __VA_ARGS__);                     \
		report(ctx, field, msg);                                     \
		n++;                                                         \
	} while (0)

	if (p->amount_wan < 0)
		FAIL("amount_yi", "合同投资额不能为负数");
	if (p->na[MS_SIGNED])
		FAIL("signed_on", "签约日期不能为不适用");
	if (p->ms[MS_SIGNED] == DATE_NONE && !p->na[MS_SIGNED])
		FAIL("signed_on", "缺少签约日期");

	bool any_na = false;
	for (int m = 0; m < MS__COUNT; m++) {
		any_na |= p->na[m];
		if (p->ms[m] == DATE_NONE)
			continue;
		if (p->ms[m] > today) {
			date_format(p->ms[m], d1);
			date_format(today, d2);
			FAIL(milestone_column(m), "%s日期 %s 晚于今天 %s", milestone_name(m), d1, d2);
		}
		int pre = milestone_prerequisite(m);
		/* Walk back over 不适用 milestones to the nearest one that counts. */
		while (pre >= 0 && p->na[pre])
			pre = milestone_prerequisite(pre);
		if (pre < 0)
			continue;
		if (p->ms[pre] == DATE_NONE) {
			FAIL(milestone_column(m), "%s需要先有%s日期(或标记为不适用)",
			     milestone_name(m), milestone_name(pre));
		} else if (p->ms[m] < p->ms[pre]) {
			date_format(p->ms[m], d1);
			date_format(p->ms[pre], d2);
			FAIL(milestone_column(m), "%s日期 %s 早于%s日期 %s", milestone_name(m), d1,
			     milestone_name(pre), d2);
		}
	}
	bool has_reason = p->na_reason && *p->na_reason;
	if (any_na && !has_reason)
		FAIL("na_reason", "有不适用的节点时必须填写不适用原因");
	if (!any_na && has_reason)
		FAIL("na_reason", "没有不适用的节点,不应填写不适用原因");

	bool has_term_reason = p->terminated_reason && *p->terminated_reason;
	if (p->terminated_on != DATE_NONE) {
		if (!has_term_reason)
			FAIL("terminated_reason", "终止项目必须填写终止原因");
		if (p->terminated_on > today) {
			date_format(p->terminated_on, d1);
			date_format(today, d2);
			FAIL("terminated_on", "终止日期 %s 晚于今天 %s", d1, d2);
		}
		for (int m = 0; m < MS__COUNT; m++) {
			if (p->ms[m] != DATE_NONE && p->ms[m] > p->terminated_on) {
				date_format(p->terminated_on, d1);
				date_format(p->ms[m], d2);
				FAIL("terminated_on", "终止日期 %s 早于%s日期 %s", d1,
				     milestone_name(m), d2);
			}
		}
	} else if (has_term_reason) {
		FAIL("terminated_on", "填写了终止原因但没有终止日期");
	}
#undef FAIL
	return n;
}

const char *project_stage(const struct project *p)
{
	if (p->terminated_on != DATE_NONE)
		return "terminated";
	if (p->ms[MS_PRODUCING] != DATE_NONE)
		return "producing";
	if (p->ms[MS_INCLUDED] != DATE_NONE)
		return "included";
	if (p->ms[MS_STARTED] != DATE_NONE)
		return "started";
	if (p->ms[MS_REGISTERED] != DATE_NONE)
		return "registered";
	return "signed";
}

static const struct {
	const char *key, *name;
} states[RS__COUNT] = {
	[RS_NONE] = {"none", "未开始"},
	[RS_EXEMPT] = {"exempt", "不适用"},
	[RS_DONE] = {"done", "按期完成"},
	[RS_LATE_DONE] = {"late_done", "逾期完成"},
	[RS_OVERDUE] = {"overdue", "已逾期"},
	[RS_DUE_SOON] = {"due_soon", "即将到期"},
	[RS_PENDING] = {"pending", "进行中"},
};

const char *rule_state_key(enum rule_state s)
{
	return states[s].key;
}

const char *rule_state_name(enum rule_state s)
{
	return states[s].name;
}

int rule_state_find(const char *key)
{
	for (int s = 0; s < RS__COUNT; s++)
		if (strcmp(states[s].key, key) == 0)
			return s;
	return -1;
}

enum rule_state rule_eval(const struct rule *r, const int32_t ms[MS__COUNT],
			  const bool na[MS__COUNT], int32_t terminated_on,
			  int32_t as_of, int window, int32_t *due)
{
	*due = DATE_NONE;
	int32_t from = ms[r->from];
	if (na[r->from] || from == DATE_NONE)
		return RS_NONE;
	int32_t d = date_add_months(from, r->months);
	enum rule_state st = rule_pair_state(from, d, ms[r->to], na[r->to], terminated_on, as_of, window);
	if (st != RS_NONE)
		*due = d;
	return st;
}

enum rule_state rule_pair_state(int32_t from_on, int32_t due, int32_t to, bool to_na,
				int32_t terminated_on, int32_t as_of, int window)
{
	if ((terminated_on != DATE_NONE && terminated_on <= as_of) || from_on == DATE_NONE ||
	    from_on > as_of)
		return RS_NONE;
	return rule_state_at(due, to, to_na, as_of, window);
}

enum rule_state rule_state_at(int32_t due, int32_t to, bool to_na, int32_t as_of, int window)
{
	if (to_na)
		return RS_EXEMPT;
	if (to != DATE_NONE && to <= as_of)
		return to <= due ? RS_DONE : RS_LATE_DONE;
	if (as_of > due)
		return RS_OVERDUE;
	if (due - as_of <= window)
		return RS_DUE_SOON;
	return RS_PENDING;
}
