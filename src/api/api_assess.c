/*
 * api_assess: supervision in the API: the monthly assessment (ranking,
 * publication, objections), the major-project list with its monthly
 * progress entries and plans (倒排工期).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "assess_store.h"
#include "audit.h"
#include "bulletin.h"
#include "domain/date.h"
#include "domain/money.h"
#include "http/http.h"
#include "refdata.h"
#include "util/json.h"
#include "util/text.h"
#include "util/xalloc.h"

#define PROGRESS_DUE_DAY 5 /* entries for a month are due by this day of the next */

static int path_month(struct req *r, int *y, int *m)
{
	if (assess_month_parse(r->params[0], y, m) != 0)
		return reply_error(r, 400, "invalid_parameter", "month", "月份应为 YYYY-MM (如 2023-06)");
	return 0;
}

void api_assessment_get(struct req *r)
{
	int y, m;
	bool recompute;
	if (path_month(r, &y, &m) != 0 || query_bool(r, "recompute", &recompute) != 0)
		return;
	struct buf why = BUF_INIT;
	int rc = assessment_answer(r->store, r->rd, y, m, r->today, recompute, true, &r->body, &why);
	if (rc < 0)
		reply_store_error(r);
	else if (rc > 0)
		reply_error(r, 400, "invalid_parameter", "month", "%s", buf_cstr(&why));
	else
		reply_json(r, 200);
	buf_release(&why);
}

void api_assessment_publish(struct req *r)
{
	int y, m;
	if (path_month(r, &y, &m) != 0)
		return;
	struct buf why = BUF_INIT;
	int rc = assessment_publish(r->store, r->rd, y, m, r->today, r->who, &why);
	if (rc < 0) {
		reply_store_error(r);
	} else if (rc > 0) {
		reply_error(r, 409, "conflict", "month", "%s", buf_cstr(&why));
	} else {
		buf_reset(&r->body);
		assessment_answer(r->store, r->rd, y, m, r->today, false, true, &r->body, &why);
		reply_json(r, 201);
	}
	buf_release(&why);
}

struct obj_ctx {
	struct jw *w;
	const struct refdata *rd;
};

static int objection_row(void *ctx, const char *const *v, int n)
{
	struct obj_ctx *o = ctx;
	(void)n;
	const struct region *g = refdata_region_by_id(o->rd, strtoll(v[1], NULL, 10));
	jw_obj(o->w);
	jw_kint(o->w, "id", strtoll(v[0], NULL, 10));
	jw_kstr(o->w, "region", g ? g->name : NULL);
	jw_kstr(o->w, "text", v[2]);
	jw_kstr(o->w, "raised_by", v[3]);
	jw_kstr(o->w, "raised_at", v[4]);
	jw_kstr(o->w, "answer", v[5]);
	jw_kstr(o->w, "answered_by", v[6]);
	jw_kstr(o->w, "answered_at", v[7]);
	jw_obj_end(o->w);
	return 0;
}

void api_objections_list(struct req *r)
{
	int y, m;
	if (path_month(r, &y, &m) != 0)
		return;
	struct jw w;
	jw_init(&w, &r->body);
	jw_arr(&w);
	struct obj_ctx o = {&w, r->rd};
	if (store_objections(r->store, r->params[0], objection_row, &o) != 0) {
		reply_store_error(r);
		return;
	}
	jw_arr_end(&w);
	reply_json(r, 200);
}

static int published_row(void *ctx, const char *const *v, int n)
{
	(void)v;
	(void)n;
	*(bool *)ctx = true;
	return 1;
}

void api_objections_create(struct req *r)
{
	static const char *const allowed[] = {"region", "text", NULL};
	int y, m;
	const char *region, *text;
	if (path_month(r, &y, &m) != 0 || req_only_keys(r, allowed) != 0 ||
	    req_body_string(r, "region", &region) != 0 || req_body_string(r, "text", &text) != 0)
		return;
	const struct region *g = region ? refdata_region(r->rd, region) : NULL;
	if (!g || strcmp(g->level, "county") != 0 || !g->assessed) {
		reply_error(r, 400, "invalid_field", "region", "region 应为参评的县市区");
		return;
	}
	if (!principal_sees_region(r->who, r->rd, g->id)) {
		reply_error(r, 403, "forbidden", "region", "只能对本辖区的考核结果提出异议");
		return;
	}
	if (!text || !*text || text_length(text) > 2000) {
		reply_error(r, 400, "invalid_field", "text", "异议内容 text 必填 (最多 2000 个字符)");
		return;
	}
	bool published = false;
	if (store_assessment_get(r->store, r->params[0], published_row, &published) != 0) {
		reply_store_error(r);
		return;
	}
	if (published) {
		reply_error(r, 409, "conflict", "month", "%s 的考核已发布,发布前才能提出异议", r->params[0]);
		return;
	}
	char at[21];
	date_format_utc(r->now, at);
	int64_t id;
	if (store_begin(r->store) != 0 ||
	    store_objection_add(r->store, r->params[0], g->id, text, r->who->username, at, &id) != 0 ||
	    audit_append(r->store, r->who, "assessment.objection", "assessment", r->params[0], NULL,
			 NULL) != 0 ||
	    store_commit(r->store) != 0) {
		store_rollback(r->store);
		reply_store_error(r);
		return;
	}
	buf_addf(&r->body, "{\"id\":%lld}", (long long)id);
	reply_json(r, 201);
}

void api_objections_answer(struct req *r)
{
	static const char *const allowed[] = {"answer", NULL};
	int y, m;
	const char *answer;
	if (path_month(r, &y, &m) != 0 || req_only_keys(r, allowed) != 0 ||
	    req_body_string(r, "answer", &answer) != 0)
		return;
	if (!answer || !*answer) {
		reply_error(r, 400, "invalid_field", "answer", "答复 answer 必填");
		return;
	}
	char *end, at[21];
	long long id = strtoll(r->params[1], &end, 10);
	bool found = false;
	date_format_utc(r->now, at);
	if (*end || store_begin(r->store) != 0 ||
	    store_objection_answer(r->store, r->params[0], id, answer, r->who->username, at, &found) != 0) {
		store_rollback(r->store);
		if (*end)
			reply_error(r, 404, "not_found", "id", "没有这个异议");
		else
			reply_store_error(r);
		return;
	}
	if (!found) {
		store_rollback(r->store);
		reply_error(r, 404, "not_found", "id", "没有这个异议");
		return;
	}
	if (audit_append(r->store, r->who, "assessment.answer", "assessment", r->params[0], NULL, NULL) != 0 ||
	    store_commit(r->store) != 0) {
		store_rollback(r->store);
		reply_store_error(r);
		return;
	}
	buf_adds(&r->body, "{\"ok\":true}");
	reply_json(r, 200);
}

/* ---- the major-project list ---- */

struct major_ctx {
	struct jw *w;
	struct req *r;
	const char *status;
	int32_t entry_due;
};

static int major_row(void *ctx, const char *const *v, int n)
{
	struct major_ctx *c = ctx;
	(void)n;
	int64_t region = strtoll(v[2], NULL, 10), chain = v[3] ? strtoll(v[3], NULL, 10) : 0;
	if (!principal_sees_project(c->r->who, c->r->rd, region, chain))
		return 0;
	int32_t started = DATE_NONE, producing = DATE_NONE, plan_start = DATE_NONE;
	if (v[6])
		date_parse_iso(v[6], &started);
	if (v[7])
		date_parse_iso(v[7], &producing);
	if (v[8])
		date_parse_iso(v[8], &plan_start);
	const char *status = producing != DATE_NONE && producing <= c->r->today ? "producing"
			     : started != DATE_NONE && started <= c->r->today ? "building"
									: "to_start";
	if (c->status && strcmp(c->status, status) != 0)
		return 0;
	const struct region *g = refdata_region_by_id(c->r->rd, region);
	char yi[32];
	money_format_yi(strtoll(v[4], NULL, 10), yi);
	struct jw *w = c->w;
	jw_obj(w);
	jw_kstr(w, "code", v[0]);
	jw_kstr(w, "name", v[1]);
	jw_kstr(w, "region", g ? g->name : NULL);
	jw_kstr(w, "amount_yi", yi);
	jw_kstr(w, "status", status);
	jw_kstr(w, "started_on", v[6]);
	jw_kstr(w, "producing_on", v[7]);
	jw_kstr(w, "planned_start_on", v[8]);
	jw_kstr(w, "planned_producing_on", v[9]);
	jw_key(w, "planned_total_wan");
	if (v[10])
		jw_int(w, strtoll(v[10], NULL, 10));
	else
		jw_null(w);
	/* Behind its plan: the planned start has passed and it has not
	 * started, or the planned production day has passed and it is not
	 * producing. */
	int32_t plan_producing = DATE_NONE;
	if (v[9])
		date_parse_iso(v[9], &plan_producing);
	jw_kbool(w, "behind_plan",
		 (plan_start != DATE_NONE && plan_start < c->r->today &&
		  (started == DATE_NONE || started > c->r->today)) ||
			 (plan_producing != DATE_NONE && plan_producing < c->r->today &&
			  (producing == DATE_NONE || producing > c->r->today)));
	jw_key(w, "invested_wan");
	if (v[11])
		jw_int(w, strtoll(v[11], NULL, 10));
	else
		jw_null(w);
	jw_key(w, "cumulative_wan");
	if (v[12])
		jw_int(w, strtoll(v[12], NULL, 10));
	else
		jw_null(w);
	jw_kbool(w, "entry_missing", !v[11] && c->r->today > c->entry_due);
	jw_obj_end(w);
	return 0;
}

void api_major_projects(struct req *r)
{
	const char *month = req_query(r, "month"), *status = req_query(r, "status");
	int y, m, d;
	char buf[8];
	if (!month || !*month) {
		date_to_ymd(r->today, &y, &m, &d);
		snprintf(buf, sizeof(buf), "%04d-%02d", y, m);
		month = buf;
	} else if (assess_month_parse(month, &y, &m) != 0) {
		reply_error(r, 400, "invalid_parameter", "month", "月份应为 YYYY-MM");
		return;
	}
	assess_month_parse(month, &y, &m);
	if (status && *status && strcmp(status, "to_start") != 0 && strcmp(status, "building") != 0 &&
	    strcmp(status, "producing") != 0) {
		reply_error(r, 400, "invalid_parameter", "status", "status 应为 to_start、building 或 producing");
		return;
	}
	char today[11];
	date_format(r->today, today);
	struct jw w;
	jw_init(&w, &r->body);
	jw_obj(&w);
	jw_kstr(&w, "month", month);
	int32_t due = date_add_days(date_add_months(date_from_ymd(y, m, 1), 1), PROGRESS_DUE_DAY - 1);
	char due_s[11];
	date_format(due, due_s);
	jw_kstr(&w, "entries_due_on", due_s);
	jw_key(&w, "items");
	jw_arr(&w);
	struct major_ctx c = {&w, r, status && *status ? status : NULL, due};
	if (store_major_list(r->store, month, today, major_row, &c) != 0) {
		reply_store_error(r);
		return;
	}
	jw_arr_end(&w);
	jw_obj_end(&w);
	reply_json(r, 200);
}

/* The project of the path, visible and writable by the caller; 0 or -1. */
/* The major project of the path; 0, or -1 after replying. */
static int path_project(struct req *r, struct project *p)
{
	if (api_visible_project(r, r->params[0], p) != 0)
		return -1;
	if (!p->major) {
		project_release(p);
		return reply_error(r, 409, "conflict", "code", "%s 不是重大项目", r->params[0]);
	}
	return 0;
}

static int body_wan(struct req *r, const char *key, bool required, int64_t *out)
{
	json_t *v = json_object_get(r->json, key);
	*out = -1;
	if (!v || json_is_null(v))
		return required ? reply_error(r, 400, "invalid_field", key, "缺少 %s (万元整数)", key) : 0;
	if (!json_is_integer(v) || json_integer_value(v) < 0)
		return reply_error(r, 400, "invalid_field", key, "%s 应为非负整数 (万元)", key);
	*out = json_integer_value(v);
	return 0;
}

/* The latest progress entry before a month. */
struct prior {
	const char *month;
	char best[8];
	int64_t cumulative;
};

static int prior_row(void *ctx, const char *const *v, int n)
{
	struct prior *p = ctx;
	(void)n;
	if (strcmp(v[0], p->month) < 0 && strcmp(v[0], p->best) > 0) {
		snprintf(p->best, sizeof(p->best), "%s", v[0]);
		p->cumulative = strtoll(v[2], NULL, 10);
	}
	return 0;
}

void api_progress_put(struct req *r)
{
	static const char *const allowed[] = {"invested_wan", "cumulative_wan", "note", NULL};
	int y, m;
	if (assess_month_parse(r->params[1], &y, &m) != 0) {
		reply_error(r, 400, "invalid_parameter", "month", "月份应为 YYYY-MM");
		return;
	}
	if (date_from_ymd(y, m, 1) > r->today) {
		reply_error(r, 400, "invalid_parameter", "month", "不能填报尚未开始的月份");
		return;
	}
	struct project p;
	if (path_project(r, &p) != 0)
		return;
	int64_t invested, cumulative;
	const char *note;
	struct prior prior = {r->params[1], "", 0};
	if (req_only_keys(r, allowed) == 0 && body_wan(r, "invested_wan", true, &invested) == 0 &&
	    body_wan(r, "cumulative_wan", false, &cumulative) == 0 &&
	    req_body_string(r, "note", &note) == 0) {
		/* Without a cumulative figure: the last earlier month's plus this
		 * month's, so that the two cannot disagree. */
		if (cumulative < 0) {
			if (store_progress_list(r->store, p.id, prior_row, &prior) != 0) {
				reply_store_error(r);
				project_release(&p);
				return;
			}
			cumulative = prior.cumulative + invested;
		}
		if (cumulative < invested) {
			reply_error(r, 400, "invalid_field", "cumulative_wan", "累计完成投资不能小于当月完成投资");
		} else {
			char detail[96];
			snprintf(detail, sizeof(detail), "{\"month\":\"%s\",\"invested_wan\":%lld}",
				 r->params[1], (long long)invested);
			if (store_begin(r->store) != 0 ||
			    store_progress_put(r->store, p.id, r->params[1], invested, cumulative, note,
					       r->who->username, r->today) != 0 ||
			    audit_append(r->store, r->who, "project.progress", "project", p.code, NULL,
					 detail) != 0 ||
			    store_commit(r->store) != 0) {
				store_rollback(r->store);
				reply_store_error(r);
			} else {
				buf_adds(&r->body, "{\"ok\":true}");
				reply_json(r, 200);
			}
		}
	}
	project_release(&p);
}

/* The photos of the progress entries: evidence ids by month. */
struct photos {
	char (*month)[8];
	int64_t *id;
	int n;
};

static int photo_row(void *ctx, const struct evidence *e)
{
	struct photos *ph = ctx;
	if (strncmp(e->milestone, "progress:", 9) != 0)
		return 0;
	ph->month = xrealloc(ph->month, (size_t)(ph->n + 1) * sizeof(*ph->month));
	ph->id = xrealloc(ph->id, (size_t)(ph->n + 1) * sizeof(*ph->id));
	snprintf(ph->month[ph->n], sizeof(ph->month[0]), "%s", e->milestone + 9);
	ph->id[ph->n++] = e->id;
	return 0;
}

struct progress_ctx {
	struct jw *w;
	const struct photos *ph;
};

static int progress_row(void *ctx, const char *const *v, int n)
{
	struct progress_ctx *c = ctx;
	struct jw *w = c->w;
	(void)n;
	jw_obj(w);
	jw_kstr(w, "month", v[0]);
	jw_kint(w, "invested_wan", strtoll(v[1], NULL, 10));
	jw_kint(w, "cumulative_wan", strtoll(v[2], NULL, 10));
	jw_kstr(w, "note", v[3]);
	jw_kstr(w, "entered_by", v[4]);
	jw_kstr(w, "entered_on", v[5]);
	jw_key(w, "photos");
	jw_arr(w);
	for (int i = 0; i < c->ph->n; i++)
		if (strcmp(c->ph->month[i], v[0]) == 0)
			jw_int(w, c->ph->id[i]);
	jw_arr_end(w);
	jw_obj_end(w);
	return 0;
}

void api_progress_list(struct req *r)
{
	struct project p;
	if (path_project(r, &p) != 0)
		return;
	struct jw w;
	struct photos ph = {0};
	struct progress_ctx c = {&w, &ph};
	jw_init(&w, &r->body);
	jw_arr(&w);
	int rc = store_evidence_list(r->store, p.id, photo_row, &ph);
	if (rc == 0)
		rc = store_progress_list(r->store, p.id, progress_row, &c);
	project_release(&p);
	free(ph.month);
	free(ph.id);
	if (rc != 0) {
		reply_store_error(r);
		return;
	}
	jw_arr_end(&w);
	reply_json(r, 200);
}

void api_plan_put(struct req *r)
{
	static const char *const allowed[] = {"planned_start_on", "planned_producing_on",
					      "planned_total_wan", NULL};
	struct project p;
	if (path_project(r, &p) != 0)
		return;
	const char *a, *b;
	int32_t start = DATE_NONE, producing = DATE_NONE;
	int64_t total;
	if (req_only_keys(r, allowed) != 0 || req_body_string(r, "planned_start_on", &a) != 0 ||
	    req_body_string(r, "planned_producing_on", &b) != 0 ||
	    body_wan(r, "planned_total_wan", false, &total) != 0)
		goto out;
	if (a && *a && date_parse_any(a, &start) != 0) {
		reply_error(r, 400, "invalid_field", "planned_start_on", "计划开工日期无效");
		goto out;
	}
	if (b && *b && date_parse_any(b, &producing) != 0) {
		reply_error(r, 400, "invalid_field", "planned_producing_on", "计划投产日期无效");
		goto out;
	}
	if (start != DATE_NONE && producing != DATE_NONE && producing < start) {
		reply_error(r, 400, "invalid_field", "planned_producing_on", "计划投产不能早于计划开工");
		goto out;
	}
	char now[21];
	date_format_utc(r->now, now);
	if (store_begin(r->store) != 0 ||
	    store_plan_put(r->store, p.id, start, producing, total, now) != 0 ||
	    audit_append(r->store, r->who, "project.plan", "project", p.code, NULL, NULL) != 0 ||
	    store_commit(r->store) != 0) {
		store_rollback(r->store);
		reply_store_error(r);
	} else {
		buf_adds(&r->body, "{\"ok\":true}");
		reply_json(r, 200);
	}
out:
	project_release(&p);
}

/* ---- bulletins and briefings ---- */

void api_bulletin_get(struct req *r)
{
	int y, m;
	if (path_month(r, &y, &m) != 0)
		return;
	const char *format = req_query(r, "format");
	bool xlsx = format && strcmp(format, "xlsx") == 0;
	if (format && *format && !xlsx && strcmp(format, "json") != 0) {
		reply_error(r, 400, "invalid_parameter", "format", "format 应为 json 或 xlsx");
		return;
	}
	struct buf why = BUF_INIT;
	char path[] = "/tmp/zhaoshang-bulletin-XXXXXX";
	int fd = -1;
	if (xlsx && (fd = mkstemp(path)) < 0) {
		reply_error(r, 500, "storage_error", NULL, "无法创建临时文件");
		return;
	}
	if (fd >= 0)
		close(fd);
	int rc = bulletin_build(r->store, r->rd, y, m, r->today, xlsx ? BULLETIN_XLSX : BULLETIN_JSON,
				&r->body, xlsx ? path : NULL, &why);
	if (rc == 0 && xlsx) {
		FILE *fp = fopen(path, "rb");
		char chunk[65536];
		size_t n;
		while (fp && (n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
			buf_add(&r->body, chunk, n);
		if (fp)
			fclose(fp);
		r->status = 200;
		r->content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
		r->disposition = xstrfmt("attachment; filename=\"bulletin-%s.xlsx\"", r->params[0]);
		r->replied = true;
	} else if (rc < 0) {
		reply_store_error(r);
	} else if (rc > 0) {
		reply_error(r, 400, "invalid_parameter", "month", "%s", buf_cstr(&why));
	} else {
		reply_json(r, 200);
	}
	if (xlsx)
		unlink(path);
	buf_release(&why);
}

static int published_month(void *ctx, const char *const *v, int n)
{
	struct jw *w = ctx;
	(void)n;
	jw_obj(w);
	jw_kstr(w, "month", v[0]);
	jw_kstr(w, "published_at", v[1]);
	jw_kstr(w, "published_by", v[2]);
	jw_obj_end(w);
	return 0;
}

void api_bulletins_list(struct req *r)
{
	struct jw w;
	jw_init(&w, &r->body);
	jw_arr(&w);
	if (store_assessments(r->store, published_month, &w) != 0) {
		reply_store_error(r);
		return;
	}
	jw_arr_end(&w);
	reply_json(r, 200);
}

void api_briefing_get(struct req *r)
{
	char *end;
	long year = strtol(r->params[0], &end, 10);
	if (*end || year < 1900 || year > 9999) {
		reply_error(r, 400, "invalid_parameter", "year", "年份无效");
		return;
	}
	if (briefing_build(r->store, r->rd, (int)year, r->today, true, &r->body) != 0) {
		reply_store_error(r);
		return;
	}
	reply_json(r, 200);
}
