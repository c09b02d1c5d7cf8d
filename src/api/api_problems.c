/*
 * api_problems: problems 问题/困难 raised on projects and their dispatch: a
 * category, a grade (the level that must solve it: 县级 → 市直部门 → 市领导 →
 * 省级), an owner and a deadline; open → in progress → solved → confirmed by
 * whoever raised it. Past its deadline an unsolved problem escalates one
 * grade, with a new deadline, and its log says so (problems_escalate(), run
 * before every read and by `zhaoshang escalate`). Dispatch meetings 调度会
 * record decisions on problems.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "domain/date.h"
#include "http/http.h"
#include "problems.h"
#include "refdata.h"
#include "util/json.h"
#include "util/text.h"
#include "util/xalloc.h"

static const struct {
	const char *key, *name;
} categories[] = {
	{"land", "用地"}, {"funding", "资金"}, {"approval", "审批"}, {"utilities", "水电气"},
	{"labour", "用工"}, {"supporting", "配套"}, {"other", "其他"},
};

static const char *category_name(const char *k)
{
	for (size_t i = 0; k && i < sizeof(categories) / sizeof(categories[0]); i++)
		if (strcmp(categories[i].key, k) == 0)
			return categories[i].name;
	return NULL;
}

static void problem_json(struct jw *w, const struct req *r, const struct problem *q, bool open_obj)
{
	char d1[11], d2[11], d3[11];
	const struct named *dep = NULL;
	for (int i = 0; i < r->rd->ndepartments; i++)
		if (r->rd->departments[i].id == q->owner_department_id)
			dep = &r->rd->departments[i];
	const struct region *g = refdata_region_by_id(r->rd, q->region_id);
	date_format(q->deadline, d1);
	date_format(q->raised_on, d2);
	jw_obj(w);
	jw_kint(w, "id", q->id);
	jw_kstr(w, "code", q->code);
	jw_kstr(w, "project", q->project_name);
	jw_kstr(w, "region", g ? g->name : NULL);
	jw_kstr(w, "category", q->category);
	jw_kstr(w, "category_name", category_name(q->category));
	jw_kstr(w, "grade", q->grade);
	jw_kstr(w, "grade_name", problem_grade_name(q->grade));
	jw_kstr(w, "title", q->title);
	jw_kstr(w, "description", q->description);
	jw_kstr(w, "owner_department", dep ? dep->name : NULL);
	jw_kstr(w, "owner_person", q->owner_person);
	jw_kstr(w, "deadline", d1);
	jw_kstr(w, "status", q->status);
	jw_kstr(w, "raised_by", q->raised_by);
	jw_kstr(w, "raised_on", d2);
	if (q->solved_on != DATE_NONE) {
		date_format(q->solved_on, d3);
		jw_kstr(w, "solved_on", d3);
	} else {
		jw_kstr(w, "solved_on", NULL);
	}
	jw_kint(w, "escalations", q->escalations);
	jw_kbool(w, "overdue", (strcmp(q->status, "open") == 0 || strcmp(q->status, "in_progress") == 0) &&
				       q->deadline < r->today);
	if (!open_obj)
		jw_obj_end(w);
}

/* Escalation first, so that every answer is as of today. */
static int escalate_now(struct req *r)
{
	if (problems_escalate(r->store, r->today) < 0)
		return reply_store_error(r);
	return 0;
}

struct list_ctx {
	struct jw w;
	struct req *r;
};

static int list_row(void *ctx, const struct problem *q)
{
	struct list_ctx *c = ctx;
	if (principal_sees_project(c->r->who, c->r->rd, q->region_id, q->chain_id))
		problem_json(&c->w, c->r, q, false);
	return 0;
}

void api_problems_list(struct req *r)
{
	bool overdue;
	if (query_bool(r, "overdue", &overdue) != 0 || escalate_now(r) != 0)
		return;
	struct problem_filter f = {0};
	const char *v;
	if ((v = req_query(r, "status")) && *v)
		f.status = v;
	if ((v = req_query(r, "grade")) && *v) {
		if (!problem_grade_name(v)) {
			reply_error(r, 400, "invalid_parameter", "grade",
				    "grade 应为 county、department、city_leader 或 province");
			return;
		}
		f.grade = v;
	}
	if (overdue)
		f.overdue_on = r->today;
	struct list_ctx c = {.r = r};
	jw_init(&c.w, &r->body);
	jw_arr(&c.w);
	if (store_problem_list(r->store, &f, list_row, &c) != 0) {
		reply_store_error(r);
		return;
	}
	jw_arr_end(&c.w);
	reply_json(r, 200);
}

static int event_row(void *ctx, const char *const *v, int n)
{
	struct jw *w = ctx;
	(void)n;
	jw_obj(w);
	jw_kstr(w, "date", v[0]);
	jw_kstr(w, "user", v[1]);
	jw_kstr(w, "kind", v[2]);
	jw_kstr(w, "text", v[3]);
	jw_kstr(w, "meeting", v[4]);
	jw_obj_end(w);
	return 0;
}

static void reply_problem(struct req *r, int64_t id, int status)
{
	struct problem q;
	int got = store_problem_get(r->store, id, &q);
	if (got != 0) {
		if (got < 0)
			reply_store_error(r);
		else
			reply_error(r, 404, "not_found", "id", "没有这个问题");
		return;
	}
	if (!principal_sees_project(r->who, r->rd, q.region_id, q.chain_id)) {
		problem_release(&q);
		reply_error(r, 403, "forbidden", "id", "无权查看其他区域的问题");
		return;
	}
	struct jw w;
	buf_reset(&r->body);
	jw_init(&w, &r->body);
	problem_json(&w, r, &q, true);
	jw_key(&w, "log");
	jw_arr(&w);
	int rc = store_problem_events(r->store, id, event_row, &w);
	jw_arr_end(&w);
	jw_obj_end(&w);
	problem_release(&q);
	if (rc != 0)
		reply_store_error(r);
	else
		reply_json(r, status);
}

static int64_t path_id(struct req *r, int i)
{
	char *end;
	long long id = strtoll(r->params[i], &end, 10);
	return *end || id <= 0 ? 0 : id;
}

void api_problems_get(struct req *r)
{
	int64_t id = path_id(r, 0);
	if (!id) {
		reply_error(r, 404, "not_found", "id", "没有这个问题");
		return;
	}
	if (escalate_now(r) != 0)
		return;
	reply_problem(r, id, 200);
}

/* The owner fields of the body into q; 0 or -1 after replying. */
static int read_owner(struct req *r, struct problem *q)
{
	const char *dep, *person;
	if (req_body_string(r, "owner_department", &dep) != 0 ||
	    req_body_string(r, "owner_person", &person) != 0)
		return -1;
	if (json_object_get(r->json, "owner_department")) {
		const struct named *d = dep && *dep ? refdata_named(r->rd->departments, r->rd->ndepartments, dep) : NULL;
		if (dep && *dep && !d)
			return reply_error(r, 400, "invalid_field", "owner_department", "未知的部门 \"%s\"", dep);
		q->owner_department_id = d ? d->id : 0;
	}
	if (json_object_get(r->json, "owner_person")) {
		free(q->owner_person);
		q->owner_person = person && *person ? text_normalize(person) : NULL;
	}
	return 0;
}

void api_problems_create(struct req *r)
{
	static const char *const allowed[] = {"category", "grade", "title", "description",
					      "owner_department", "owner_person", "deadline", NULL};
	struct project p;
	int got = store_project_get(r->store, r->params[0], &p);
	if (got != 0) {
		if (got < 0)
			reply_store_error(r);
		else
			reply_error(r, 404, "not_found", "code", "没有编号为 %s 的项目", r->params[0]);
		return;
	}
	struct problem q = {.project_id = p.id};
	bool visible = principal_sees_project(r->who, r->rd, p.region_id, p.chain_id);
	project_release(&p);
	const char *category, *grade, *title, *desc, *deadline;
	if (!visible) {
		reply_error(r, 403, "forbidden", "code", "无权为其他区域的项目提出问题");
		return;
	}
	if (req_only_keys(r, allowed) != 0 || req_body_string(r, "category", &category) != 0 ||
	    req_body_string(r, "grade", &grade) != 0 || req_body_string(r, "title", &title) != 0 ||
	    req_body_string(r, "description", &desc) != 0 ||
	    req_body_string(r, "deadline", &deadline) != 0 || read_owner(r, &q) != 0)
		goto out;
	if (!category_name(category)) {
		reply_error(r, 400, "invalid_field", "category",
			    "category 应为 land (用地)、funding (资金)、approval (审批)、utilities (水电气)、"
			    "labour (用工)、supporting (配套) 或 other");
		goto out;
	}
	if (!grade)
		grade = "county";
	if (!problem_grade_name(grade)) {
		reply_error(r, 400, "invalid_field", "grade", "grade 应为 county、department、city_leader 或 province");
		goto out;
	}
	if (!title || !*title || text_length(title) > 200) {
		reply_error(r, 400, "invalid_field", "title", "问题 title 必填 (最多 200 个字符)");
		goto out;
	}
	if (!deadline || date_parse_any(deadline, &q.deadline) != 0 || q.deadline < r->today) {
		reply_error(r, 400, "invalid_field", "deadline", "办结期限 deadline 必填,且不能早于今天");
		goto out;
	}
	q.category = xstrdup(category);
	q.grade = xstrdup(grade);
	q.title = text_normalize(title);
	q.description = desc && *desc ? text_normalize(desc) : NULL;
	q.raised_by = xstrdup(r->who->username);
	q.raised_on = r->today;
	char now[21], key[24];
	date_format_utc(r->now, now);
	if (store_begin(r->store) != 0 || store_problem_add(r->store, &q, now) != 0 ||
	    store_problem_event(r->store, q.id, r->today, r->who->username, "raised", q.title, 0) != 0 ||
	    (snprintf(key, sizeof(key), "%lld", (long long)q.id),
	     audit_append(r->store, r->who, "problem.raise", "problem", key, NULL, NULL)) != 0 ||
	    store_commit(r->store) != 0) {
		store_rollback(r->store);
		reply_store_error(r);
	} else {
		reply_problem(r, q.id, 201);
	}
out:
	problem_release(&q);
}

void api_problems_update(struct req *r)
{
	static const char *const allowed[] = {"status", "note", "owner_department", "owner_person",
					      "deadline", NULL};
	int64_t id = path_id(r, 0);
	struct problem q;
	int got = id ? store_problem_get(r->store, id, &q) : 1;
	if (got != 0) {
		if (got < 0)
			reply_store_error(r);
		else
			reply_error(r, 404, "not_found", "id", "没有这个问题");
		return;
	}
	const char *status, *note, *deadline;
	if (!principal_sees_project(r->who, r->rd, q.region_id, q.chain_id)) {
		reply_error(r, 403, "forbidden", "id", "无权处理其他区域的问题");
		goto out;
	}
	if (req_only_keys(r, allowed) != 0 || req_body_string(r, "status", &status) != 0 ||
	    req_body_string(r, "note", &note) != 0 || req_body_string(r, "deadline", &deadline) != 0 ||
	    read_owner(r, &q) != 0)
		goto out;
	struct buf log = BUF_INIT;
	if (status) {
		/* open → in_progress → solved → confirmed (by whoever raised it) */
		static const char *const order[] = {"open", "in_progress", "solved", "confirmed"};
		int from = -1, to = -1;
		for (int i = 0; i < 4; i++) {
			if (strcmp(q.status, order[i]) == 0)
				from = i;
			if (strcmp(status, order[i]) == 0)
				to = i;
		}
		if (to < 0) {
			reply_error(r, 400, "invalid_field", "status",
				    "status 应为 in_progress、solved 或 confirmed");
			buf_release(&log);
			goto out;
		}
		if (to == 3 && strcmp(q.raised_by, r->who->username) != 0) {
			reply_error(r, 403, "forbidden", "status", "只有提出问题的人 (%s) 能确认解决", q.raised_by);
			buf_release(&log);
			goto out;
		}
		if (to <= from || (to == 3 && from != 2)) {
			reply_error(r, 409, "conflict", "status", "问题状态不能从 %s 改为 %s", q.status, status);
			buf_release(&log);
			goto out;
		}
		free(q.status);
		q.status = xstrdup(status);
		if (to == 2)
			q.solved_on = r->today;
		static const char *const names[] = {"待办", "办理中", "已解决", "已确认"};
		buf_addf(&log, "状态改为 %s", names[to]);
	}
	if (deadline) {
		if (date_parse_any(deadline, &q.deadline) != 0 || q.deadline < r->today) {
			reply_error(r, 400, "invalid_field", "deadline", "办结期限无效,或早于今天");
			buf_release(&log);
			goto out;
		}
		buf_addf(&log, "%s期限改为 %s", log.len ? ";" : "", deadline);
	}
	if (note && *note)
		buf_addf(&log, "%s%s", log.len ? ";" : "", note);
	if (!log.len)
		buf_adds(&log, "更新责任人");
	char now[21], key[24];
	date_format_utc(r->now, now);
	snprintf(key, sizeof(key), "%lld", (long long)q.id);
	if (store_begin(r->store) != 0 || store_problem_update(r->store, &q, now) != 0 ||
	    store_problem_event(r->store, q.id, r->today, r->who->username, status ? "status" : "note",
				buf_cstr(&log), 0) != 0 ||
	    audit_append(r->store, r->who, "problem.update", "problem", key, NULL, NULL) != 0 ||
	    store_commit(r->store) != 0) {
		store_rollback(r->store);
		reply_store_error(r);
	} else {
		reply_problem(r, q.id, 200);
	}
	buf_release(&log);
out:
	problem_release(&q);
}

/* ---- dispatch meetings ---- */

static int meeting_row(void *ctx, const char *const *v, int n)
{
	struct jw *w = ctx;
	(void)n;
	jw_obj(w);
	jw_kint(w, "id", strtoll(v[0], NULL, 10));
	jw_kstr(w, "name", v[1]);
	jw_kstr(w, "held_on", v[2]);
	jw_kstr(w, "chaired_by", v[3]);
	jw_kint(w, "decisions", strtoll(v[4], NULL, 10));
	jw_obj_end(w);
	return 0;
}

void api_meetings_list(struct req *r)
{
	struct jw w;
	jw_init(&w, &r->body);
	jw_arr(&w);
	if (store_meetings(r->store, meeting_row, &w) != 0) {
		reply_store_error(r);
		return;
	}
	jw_arr_end(&w);
	reply_json(r, 200);
}

struct meeting_ctx {
	struct req *r;
	struct jw *w;
	bool found;
};

static int meeting_one(void *ctx, const char *const *v, int n)
{
	struct meeting_ctx *c = ctx;
	c->found = true;
	jw_obj(c->w);
	jw_kint(c->w, "id", strtoll(v[0], NULL, 10));
	jw_kstr(c->w, "name", v[1]);
	jw_kstr(c->w, "held_on", v[2]);
	jw_kstr(c->w, "chaired_by", v[3]);
	(void)n;
	return 0;
}

/* A decision on a problem the caller may not see keeps its text, not the
 * project's code or the problem's title. */
static int decision_row(void *ctx, const char *const *v, int n)
{
	struct meeting_ctx *c = ctx;
	(void)n;
	bool visible = principal_sees_project(c->r->who, c->r->rd, strtoll(v[3], NULL, 10),
					      v[4] ? strtoll(v[4], NULL, 10) : 0);
	jw_obj(c->w);
	jw_kint(c->w, "problem", strtoll(v[0], NULL, 10));
	jw_kstr(c->w, "title", visible ? v[1] : NULL);
	jw_kstr(c->w, "code", visible ? v[2] : NULL);
	jw_kstr(c->w, "text", v[5]);
	jw_kstr(c->w, "grade", v[6]);
	jw_kstr(c->w, "grade_name", problem_grade_name(v[6]));
	jw_kstr(c->w, "status", v[7]);
	jw_kbool(c->w, "visible", visible);
	jw_obj_end(c->w);
	return 0;
}

void api_meetings_get(struct req *r)
{
	char *end;
	long long id = strtoll(r->params[0], &end, 10);
	struct jw w;
	struct meeting_ctx c = {r, &w, false};
	jw_init(&w, &r->body);
	if (*end || store_meeting_get(r->store, id, meeting_one, &c) != 0 || !c.found) {
		buf_reset(&r->body);
		if (*end || !c.found)
			reply_error(r, 404, "not_found", "id", "没有这次调度会");
		else
			reply_store_error(r);
		return;
	}
	jw_key(&w, "decisions");
	jw_arr(&w);
	if (store_meeting_decisions(r->store, id, decision_row, &c) != 0) {
		buf_reset(&r->body);
		reply_store_error(r);
		return;
	}
	jw_arr_end(&w);
	jw_obj_end(&w);
	reply_json(r, 200);
}

/* {"name","held_on","chaired_by","decisions":[{"problem","text","grade","deadline"}]} */
void api_meetings_create(struct req *r)
{
	static const char *const allowed[] = {"name", "held_on", "chaired_by", "decisions", NULL};
	const char *name, *held, *chair;
	int32_t held_on;
	if (req_only_keys(r, allowed) != 0 || req_body_string(r, "name", &name) != 0 ||
	    req_body_string(r, "held_on", &held) != 0 || req_body_string(r, "chaired_by", &chair) != 0)
		return;
	if (!name || !*name) {
		reply_error(r, 400, "invalid_field", "name", "调度会名称 name 必填");
		return;
	}
	if (!held || date_parse_any(held, &held_on) != 0 || held_on > r->today) {
		reply_error(r, 400, "invalid_field", "held_on", "召开日期 held_on 无效或晚于今天");
		return;
	}
	json_t *decisions = json_object_get(r->json, "decisions");
	if (!json_is_array(decisions) || json_array_size(decisions) == 0) {
		reply_error(r, 400, "invalid_field", "decisions", "decisions 应为议定事项的数组");
		return;
	}
	char now[21];
	date_format_utc(r->now, now);
	int64_t meeting;
	if (store_begin(r->store) != 0 || store_meeting_add(r->store, name, held_on, chair, now, &meeting) != 0) {
		store_rollback(r->store);
		reply_store_error(r);
		return;
	}
	size_t i;
	json_t *d;
	json_array_foreach(decisions, i, d)
	{
		json_t *pid = json_object_get(d, "problem"), *text = json_object_get(d, "text");
		json_t *grade = json_object_get(d, "grade"), *deadline = json_object_get(d, "deadline");
		struct problem q;
		if (!json_is_integer(pid) || store_problem_get(r->store, json_integer_value(pid), &q) != 0) {
			store_rollback(r->store);
			reply_error(r, 400, "invalid_field", "decisions", "第 %zu 项:没有这个问题", i + 1);
			return;
		}
		int err = 0;
		if (!json_is_string(text) || !*json_string_value(text))
			err = reply_error(r, 400, "invalid_field", "decisions", "第 %zu 项:缺少议定内容 text", i + 1);
		else if (grade && (!json_is_string(grade) || !problem_grade_name(json_string_value(grade))))
			err = reply_error(r, 400, "invalid_field", "decisions", "第 %zu 项:grade 无效", i + 1);
		else if (deadline && (!json_is_string(deadline) ||
				      date_parse_any(json_string_value(deadline), &q.deadline) != 0))
			err = reply_error(r, 400, "invalid_field", "decisions", "第 %zu 项:deadline 无效", i + 1);
		if (!err && grade) {
			free(q.grade);
			q.grade = xstrdup(json_string_value(grade));
		}
		char key[24];
		snprintf(key, sizeof(key), "%lld", (long long)q.id);
		if (!err && (store_problem_update(r->store, &q, now) != 0 ||
			     store_problem_event(r->store, q.id, held_on, r->who->username, "decision",
						 json_string_value(text), meeting) != 0 ||
			     audit_append(r->store, r->who, "problem.decision", "problem", key, NULL, NULL) != 0))
			err = reply_store_error(r);
		problem_release(&q);
		if (err) {
			store_rollback(r->store);
			return;
		}
	}
	if (store_commit(r->store) != 0) {
		store_rollback(r->store);
		reply_store_error(r);
		return;
	}
	buf_addf(&r->body, "{\"id\":%lld}", (long long)meeting);
	reply_json(r, 201);
}
