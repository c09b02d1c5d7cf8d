/*
 * problems: grades and escalation (see problems.h).
 */
#include "problems.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "domain/date.h"
#include "util/xalloc.h"

static const struct {
	const char *key, *name;
} grades[] = {
	{"county", "县级"}, {"department", "市直部门"}, {"city_leader", "市领导"}, {"province", "省级"},
};

const char *problem_grade_name(const char *grade)
{
	for (int i = 0; grade && i < 4; i++)
		if (strcmp(grades[i].key, grade) == 0)
			return grades[i].name;
	return NULL;
}

static int grade_index(const char *grade)
{
	for (int i = 0; grade && i < 4; i++)
		if (strcmp(grades[i].key, grade) == 0)
			return i;
	return 3;
}

int problems_escalate(struct store *s, int32_t today)
{
	int64_t *ids;
	int n;
	/* A cheap look first: nothing to do needs no write transaction. */
	if (store_problems_past_deadline(s, today, &ids, &n) != 0)
		return -1;
	free(ids);
	if (n == 0)
		return 0;
	char *v = NULL;
	if (store_meta_get(s, "problems.escalation_days", &v) != 0)
		return -1;
	int days = v ? atoi(v) : 15;
	free(v);
	if (days < 1)
		days = 15;
	if (store_begin(s) != 0)
		return -1;
	/* Read again inside the transaction: another server may have done it. */
	if (store_problems_past_deadline(s, today, &ids, &n) != 0)
		goto fail;
	struct principal system = {.role = ROLE_SYSTEM};
	snprintf(system.username, sizeof(system.username), "system");
	snprintf(system.address, sizeof(system.address), "local");
	int64_t now_s;
	char now[21];
	if (date_now_epoch(&now_s, NULL) != 0)
		now_s = 0;
	date_format_utc(now_s, now);
	int steps = 0;
	for (int i = 0; i < n; i++) {
		struct problem q;
		if (store_problem_get(s, ids[i], &q) != 0)
			goto fail_ids;
		int g = grade_index(q.grade);
		while (q.deadline < today && g < 3) {
			char text[160], was[11], next[11], key[24];
			int32_t overdue_from = q.deadline + 1;
			q.deadline = date_add_days(q.deadline, days);
			date_format(overdue_from - 1, was);
			date_format(q.deadline, next);
			snprintf(text, sizeof(text), "逾期 (期限 %s) 未解决,自动由%s升级为%s,新期限 %s", was,
				 grades[g].name, grades[g + 1].name, next);
			g++;
			free(q.grade);
			q.grade = xstrdup(grades[g].key);
			q.escalations++;
			snprintf(key, sizeof(key), "%lld", (long long)q.id);
			if (store_problem_event(s, q.id, overdue_from, "system", "escalated", text, 0) != 0 ||
			    audit_append(s, &system, "problem.escalate", "problem", key, NULL, NULL) != 0) {
				problem_release(&q);
				goto fail_ids;
			}
			steps++;
		}
		int rc = store_problem_update(s, &q, now);
		problem_release(&q);
		if (rc != 0)
			goto fail_ids;
	}
	free(ids);
	if (store_commit(s) != 0)
		goto fail;
	return steps;
fail_ids:
	free(ids);
fail:
	store_rollback(s);
	return -1;
}
