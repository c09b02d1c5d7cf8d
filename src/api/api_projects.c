/*
 * api_projects: the project list, detail, create, update, milestone entry and
 * termination. Bodies use the interchange keys (DOMAIN.md); every value is a
 * JSON string (null clears a field; flags may also be true/false), so
 * amount_yi as a JSON number is rejected, naming the field. Writes go through
 * projects_apply(), in one transaction each: on any error nothing is saved.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/date.h"
#include "domain/money.h"
#include "http/http.h"
#include "projects.h"
#include "refdata.h"
#include "report.h"
#include "util/json.h"
#include "util/text.h"
#include "util/xalloc.h"

#define LIST_DEFAULT 50
#define LIST_MAX 500

/* ---- list ---- */

static const char *const sort_names[] = {
	[SORT_SIGNED_ON] = "signed_on",
	[SORT_AMOUNT] = "amount",
	[SORT_CODE] = "code",
	[SORT_UPDATED] = "updated_at",
};

static const char *const stages[] = {"signed", "registered", "started", "included", "producing",
				     "terminated"};

struct list_ctx {
	const struct refdata *rd;
	struct jw w;
	int n, limit;
	bool more;
	enum project_sort sort;
	char *last_value;
	int64_t last_id;
};

/* The list's date keys, quoted once at compile time (jw_key's form): the
 * milestones' columns (milestone_column()) and terminated_on. */
#define QK(k) {JW_QUOTED(k), sizeof(JW_QUOTED(k)) - 1}
static const struct qkey {
	const char *q;
	size_t n;
} ms_keys[MS__COUNT] = {
	[MS_SIGNED] = QK("signed_on"),
	[MS_REGISTERED] = QK("registered_on"),
	[MS_STARTED] = QK("started_on"),
	[MS_INCLUDED] = QK("included_on"),
	[MS_PRODUCING] = QK("producing_on"),
},
	terminated_key = QK("terminated_on");
#undef QK

static void date_field(struct jw *w, const struct qkey *key, int32_t d, bool na)
{
	jw_qkey(w, key->q, key->n);
	if (na) {
		jw_str(w, "不适用");
	} else if (d == DATE_NONE) {
		jw_null(w);
	} else {
		char t[11];
		date_format(d, t);
		jw_str(w, t);
	}
}

static int list_row(void *ctx, struct project *p)
{
	struct list_ctx *c = ctx;
	if (c->n == c->limit) {
		/* One row more than the page: there is a next page. */
		c->more = true;
		return 1;
	}
	char amount[32];
	struct jw *w = &c->w;
	refdata_project_names(c->rd, p);
	jw_obj(w);
	jw_kstr(w, "code", p->code);
	jw_kstr(w, "name", p->name);
	jw_kstr(w, "investor", p->investor);
	jw_kstr(w, "investor_province", p->investor_province);
	jw_kstr(w, "region", p->region);
	jw_kstr(w, "county", p->county);
	jw_kstr(w, "chain", p->chain);
	money_format_yi(p->amount_wan, amount);
	jw_kstr(w, "amount_yi", amount);
	jw_kint(w, "amount_wan", p->amount_wan);
	jw_kstr(w, "channel", p->channel);
	jw_kstr(w, "event", p->event);
	jw_kbool(w, "foreign_oriented", p->foreign_oriented);
	jw_kbool(w, "major", p->major);
	jw_kstr(w, "responsible", p->responsible);
	for (int m = 0; m < MS__COUNT; m++)
		date_field(w, &ms_keys[m], p->ms[m], p->na[m]);
	date_field(w, &terminated_key, p->terminated_on, false);
	jw_kstr(w, "stage", project_stage(p));
	jw_kstr(w, "updated_at", p->updated_at);
	jw_obj_end(w);
	c->n++;
	free(c->last_value);
	c->last_value = project_sort_value(p, c->sort);
	c->last_id = p->id;
	return 0;
}

static char *cursor_encode(const char *value, int64_t id)
{
	struct buf raw = BUF_INIT, hex = BUF_INIT;
	buf_addf(&raw, "%s\t%" PRId64, value, id);
	for (size_t i = 0; i < raw.len; i++)
		buf_addf(&hex, "%02x", (unsigned char)raw.data[i]);
	buf_release(&raw);
	return buf_detach(&hex);
}

/* Decodes a cursor into *value (malloc'd) and *id. Returns 0 or -1. */
static int cursor_decode(const char *s, char **value, int64_t *id)
{
	size_t n = strlen(s);
	if (n == 0 || n % 2 || n > 1024)
		return -1;
	char *raw = xmalloc(n / 2 + 1);
	for (size_t i = 0; i < n / 2; i++) {
		unsigned v;
		if (sscanf(s + 2 * i, "%2x", &v) != 1 || !strchr("0123456789abcdef", s[2 * i]) ||
		    !strchr("0123456789abcdef", s[2 * i + 1])) {
			free(raw);
			return -1;
		}
		raw[i] = (char)v;
	}
	raw[n / 2] = '\0';
	char *tab = strrchr(raw, '\t');
	char *end;
	if (!tab || !text_valid_utf8(raw, strlen(raw)) ||
	    (*id = strtoll(tab + 1, &end, 10), *end || end == tab + 1)) {
		free(raw);
		return -1;
	}
	*tab = '\0';
	*value = raw;
	return 0;
}

static int query_amount(struct req *r, const char *name, int64_t *out)
{
	const char *v = req_query(r, name);
	*out = -1;
	if (!v || !*v)
		return 0;
	if (money_parse_yi(v, out) != 0)
		return reply_error(r, 400, "invalid_parameter", name,
				   "参数 %s 应为以亿元为单位的非负数 (如 1 或 12.5)", name);
	return 0;
}

int api_project_filter(struct req *r, struct project_filter *f)
{
	memset(f, 0, sizeof(*f));
	f->state = -1;
	f->today = r->today;
	f->window = r->rd->due_soon_days;
	const char *v;
	const struct region *g = NULL;
	if ((v = req_query(r, "region")) && *v) {
		g = refdata_region(r->rd, v);
		if (!g)
			return reply_error(r, 400, "invalid_parameter", "region", "未知的区域 \"%s\"", v);
		if (r->who && !principal_sees_region(r->who, r->rd, g->id))
			return reply_error(r, 403, "forbidden", "region", "无权查看 %s 的项目", g->name);
	} else if (r->who && r->who->role == ROLE_REGION) {
		/* A region operator's lists are its own subtree. */
		for (int i = 0; i < r->rd->nregions; i++)
			if (r->rd->regions[i].id == r->who->region_id)
				g = &r->rd->regions[i];
	}
	if (g && (strcmp(g->level, "county") == 0 || strcmp(g->level, "sub") == 0)) {
		f->region_id = g->id;
		f->region_is_county = strcmp(g->level, "county") == 0;
	}
	if ((v = req_query(r, "chain")) && *v) {
		const struct named *ch = refdata_chain(r->rd, v);
		if (!ch)
			return reply_error(r, 400, "invalid_parameter", "chain", "未知的产业链 \"%s\"", v);
		f->chain_id = ch->id;
	}
	if (r->who && r->who->role == ROLE_CHAIN) {
		if (f->chain_id && f->chain_id != r->who->chain_id)
			return reply_error(r, 403, "forbidden", "chain", "只能查看本产业链的项目");
		f->chain_id = r->who->chain_id;
	}
	if ((v = req_query(r, "stage")) && *v) {
		for (size_t i = 0; i < sizeof(stages) / sizeof(stages[0]); i++)
			if (strcmp(v, stages[i]) == 0)
				f->stage = stages[i];
		if (!f->stage)
			return reply_error(r, 400, "invalid_parameter", "stage",
					   "stage 应为 signed、registered、started、included、producing 或 terminated");
	}
	if ((v = req_query(r, "state")) && *v) {
		f->state = rule_state_find(v);
		if (f->state <= RS_NONE)
			return reply_error(r, 400, "invalid_parameter", "state",
					   "state 应为 exempt、done、late_done、overdue、due_soon 或 pending");
	}
	long year;
	if (query_int(r, "year", 1900, 9999, 0, &year) != 0)
		return -1;
	f->year = (int)year;
	if (query_amount(r, "amount_min", &f->amount_min) != 0 ||
	    query_amount(r, "amount_max", &f->amount_max) != 0)
		return -1;
	if ((v = req_query(r, "q")) && *v) {
		if (text_length(v) > 100)
			return reply_error(r, 400, "invalid_parameter", "q", "搜索词过长 (最多 100 个字符)");
		f->q = v;
	}
	f->sort = SORT_SIGNED_ON;
	f->desc = true;
	if ((v = req_query(r, "sort")) && *v) {
		bool found = false;
		for (size_t i = 0; i < sizeof(sort_names) / sizeof(sort_names[0]); i++)
			if (strcmp(v, sort_names[i]) == 0) {
				f->sort = (enum project_sort)i;
				found = true;
			}
		if (!found)
			return reply_error(r, 400, "invalid_parameter", "sort",
					   "sort 应为 signed_on、amount、code 或 updated_at");
		f->desc = f->sort != SORT_CODE;
	}
	if ((v = req_query(r, "order")) && *v) {
		if (strcmp(v, "asc") == 0)
			f->desc = false;
		else if (strcmp(v, "desc") == 0)
			f->desc = true;
		else
			return reply_error(r, 400, "invalid_parameter", "order", "order 应为 asc 或 desc");
	}
	return 0;
}

void api_projects_list(struct req *r)
{
	struct project_filter f;
	long limit;
	bool with_total;
	char *after = NULL;
	if (api_project_filter(r, &f) != 0 ||
	    query_int(r, "limit", 1, LIST_MAX, LIST_DEFAULT, &limit) != 0 ||
	    query_bool(r, "with_total", &with_total) != 0)
		return;
	const char *v = req_query(r, "after");
	if (v && *v) {
		if (cursor_decode(v, &after, &f.after_id) != 0) {
			reply_error(r, 400, "invalid_parameter", "after", "分页游标 after 无效");
			return;
		}
		f.after_value = after;
	}
	f.limit = (int)limit + 1;
	struct list_ctx c = {.rd = r->rd, .limit = (int)limit, .sort = f.sort};
	jw_init(&c.w, &r->body);
	jw_obj(&c.w);
	jw_key(&c.w, "items");
	jw_arr(&c.w);
	int rc = store_project_list(r->store, &f, list_row, &c);
	jw_arr_end(&c.w);
	if (rc != 0)
		goto fail;
	/* A next page exists when the store had one row more than the page. */
	jw_key(&c.w, "next");
	bool more = c.more && c.last_value;
	if (more) {
		char *cur = cursor_encode(c.last_value, c.last_id);
		jw_str(&c.w, cur);
		free(cur);
	} else {
		jw_null(&c.w);
	}
	if (with_total) {
		int64_t total;
		f.after_value = NULL;
		if (store_project_list_count(r->store, &f, &total) != 0)
			goto fail;
		jw_kint(&c.w, "total", total);
	}
	jw_obj_end(&c.w);
	free(c.last_value);
	free(after);
	reply_json(r, 200);
	return;
fail:
	free(c.last_value);
	free(after);
	reply_store_error(r);
}

/* ---- detail and writes ---- */

void reply_not_found(struct req *r, const char *code)
{
	char *kept = NULL;
	int merged = store_merged_into(r->store, code, &kept);
	if (merged < 0) {
		reply_store_error(r);
		return;
	}
	if (merged > 0) {
		reply_error(r, 404, "not_found", "code", "没有编号为 %s 的项目", code);
		return;
	}
	/* A merged code leads to the project it went into. */
	char msg[512];
	snprintf(msg, sizeof(msg), "项目 %s 已作为重复项目合并入 %s", code, kept);
	buf_reset(&r->body);
	struct jw w;
	jw_init(&w, &r->body);
	jw_obj(&w);
	jw_key(&w, "error");
	jw_obj(&w);
	jw_kstr(&w, "code", "merged");
	jw_kstr(&w, "message", msg);
	jw_kstr(&w, "field", "code");
	jw_kstr(&w, "merged_into", kept);
	jw_obj_end(&w);
	jw_obj_end(&w);
	free(kept);
	reply_json(r, 404);
}

int api_visible_project(struct req *r, const char *code, struct project *p)
{
	int got = store_project_get(r->store, code, p);
	if (got < 0)
		return reply_store_error(r);
	if (got > 0) {
		reply_not_found(r, code);
		return -1;
	}
	if (r->who && !principal_sees_project(r->who, r->rd, p->region_id, p->chain_id)) {
		project_release(p);
		return reply_error(r, 403, "forbidden", "code", "无权操作其他区域的项目 %s", code);
	}
	refdata_project_names(r->rd, p);
	return 0;
}

/* Replies with the project as stored (status given). */
static void reply_project(struct req *r, const char *code, int status)
{
	struct project p;
	int got = store_project_get(r->store, code, &p);
	if (got < 0) {
		reply_store_error(r);
		return;
	}
	if (got > 0) {
		reply_not_found(r, code);
		return;
	}
	if (r->who && !principal_sees_project(r->who, r->rd, p.region_id, p.chain_id)) {
		project_release(&p);
		reply_error(r, 403, "forbidden", "code", "无权查看其他区域的项目 %s", code);
		return;
	}
	buf_reset(&r->body);
	refdata_project_names(r->rd, &p);
	report_project_json(r->rd, &p, r->today, &r->body);
	project_release(&p);
	reply_json(r, status);
}

void api_projects_get(struct req *r)
{
	reply_project(r, r->params[0], 200);
}

/* Validation problems of one write, collected for the reply. */
struct problems {
	struct buf details;
	int n;
	int first_col;
	char *first_msg;
};

static void collect(void *ctx, int col, const char *msg)
{
	struct problems *pr = ctx;
	struct jw w;
	jw_init(&w, &pr->details);
	if (pr->n)
		buf_addc(&pr->details, ',');
	jw_obj(&w);
	jw_kstr(&w, "field", ix_columns[col].key);
	jw_kstr(&w, "message", msg);
	jw_obj_end(&w);
	if (pr->n++ == 0) {
		pr->first_col = col;
		pr->first_msg = xstrdup(msg);
	}
}

static void reply_problems(struct req *r, struct problems *pr)
{
	buf_reset(&r->body);
	struct jw w;
	jw_init(&w, &r->body);
	jw_obj(&w);
	jw_key(&w, "error");
	jw_obj(&w);
	jw_kstr(&w, "code", "invalid_field");
	jw_kstr(&w, "message", pr->first_msg);
	jw_kstr(&w, "field", ix_columns[pr->first_col].key);
	jw_key(&w, "details");
	buf_addc(&r->body, '[');
	buf_add(&r->body, pr->details.data, pr->details.len);
	buf_addc(&r->body, ']');
	w.after_key = false;
	w.first[w.depth] = false;
	jw_obj_end(&w);
	jw_obj_end(&w);
	reply_json(r, 400);
}

/*
 * Turns a JSON body into interchange values. Keys must be interchange keys;
 * values strings, null (clear) or, for flags, booleans. Replies 400 naming
 * the field and returns -1 otherwise.
 */
int api_body_to_input(struct req *r, json_t *obj, struct project_input *in)
{
	const char *key;
	json_t *val;
	memset(in, 0, sizeof(*in));
	json_object_foreach(obj, key, val)
	{
		int col = ix_find(key);
		if (col < 0 || strcmp(ix_columns[col].key, key) != 0)
			return reply_error(r, 400, "unknown_field", key, "未知的字段 \"%s\"", key);
		if (json_is_string(val)) {
			in->val[col] = json_string_value(val);
		} else if (json_is_null(val)) {
			in->val[col] = "";
		} else if (json_is_boolean(val) && (col == IX_FOREIGN_ORIENTED || col == IX_MAJOR)) {
			in->val[col] = json_is_true(val) ? "是" : "否";
		} else if (col == IX_AMOUNT_YI) {
			return reply_error(r, 400, "invalid_field", key,
					   "amount_yi 必须是 JSON 字符串 (以亿元为单位,如 \"12.5\"),不能是数字");
		} else {
			return reply_error(r, 400, "invalid_field", key, "字段 %s 的值必须是字符串或 null",
					   key);
		}
	}
	return 0;
}

void api_project_apply(struct req *r, enum apply_mode mode, const struct project_input *in,
		       const char *action, int (*then)(void *ctx, struct req *r, const struct project *p),
		       void *ctx)
{
	char now[21];
	struct problems pr = {BUF_INIT, 0, 0, NULL};
	projects_utc_now(now);
	struct apply_ctx ac = {
		.store = r->store, .rd = r->rd, .today = r->today, .now = now,
		.report = collect, .report_ctx = &pr, .who = r->who, .audit_action = action,
	};
	if (store_begin(r->store) != 0) {
		reply_store_error(r);
		return;
	}
	struct project saved;
	project_clear(&saved);
	enum apply_result res = projects_apply(&ac, mode, in, &saved);
	bool have = res == APPLY_CREATED || res == APPLY_UPDATED || res == APPLY_UNCHANGED;
	if ((res == APPLY_CREATED || res == APPLY_UPDATED) && then && then(ctx, r, &saved) != 0)
		res = APPLY_ERROR;
	if (have)
		project_release(&saved);
	if (res == APPLY_CREATED || res == APPLY_UPDATED) {
		if (store_commit(r->store) != 0) {
			store_rollback(r->store);
			reply_store_error(r);
			goto out;
		}
	} else {
		store_rollback(r->store);
	}
	char *code = in->val[IX_CODE] ? text_normalize(in->val[IX_CODE]) : xstrdup("");
	switch (res) {
	case APPLY_CREATED: reply_project(r, code, 201); break;
	case APPLY_UPDATED:
	case APPLY_UNCHANGED: reply_project(r, code, 200); break;
	case APPLY_INVALID: reply_problems(r, &pr); break;
	case APPLY_CONFLICT:
		reply_error(r, 409, "conflict", "code", "项目编号 %s 已存在", code);
		break;
	case APPLY_NOT_FOUND:
		reply_error(r, 404, "not_found", "code", "没有编号为 %s 的项目", code);
		break;
	case APPLY_FORBIDDEN:
		reply_error(r, 403, "forbidden", "region", "%s", pr.first_msg ? pr.first_msg : "无权操作");
		break;
	case APPLY_ERROR:
		if (!r->replied)
			reply_store_error(r);
		break;
	}
	free(code);
out:
	buf_release(&pr.details);
	free(pr.first_msg);
}

int api_project_dry_run(struct req *r, const struct project_input *in, struct project *out)
{
	char now[21];
	struct problems pr = {BUF_INIT, 0, 0, NULL};
	projects_utc_now(now);
	struct apply_ctx ac = {
		.store = r->store, .rd = r->rd, .today = r->today, .now = now,
		.report = collect, .report_ctx = &pr, .who = r->who, .dry_run = true,
	};
	project_clear(out);
	enum apply_result res = projects_apply(&ac, APPLY_UPSERT, in, out);
	int rc = -1;
	switch (res) {
	case APPLY_CREATED:
	case APPLY_UPDATED:
	case APPLY_UNCHANGED: rc = 0; break;
	case APPLY_INVALID: reply_problems(r, &pr); break;
	case APPLY_FORBIDDEN:
		reply_error(r, 403, "forbidden", "region", "%s", pr.first_msg ? pr.first_msg : "无权操作");
		break;
	default: reply_store_error(r); break;
	}
	buf_release(&pr.details);
	free(pr.first_msg);
	return rc;
}

void api_projects_create(struct req *r)
{
	struct project_input in;
	if (api_body_to_input(r, r->json, &in) != 0)
		return;
	api_project_apply(r, APPLY_CREATE, &in, NULL, NULL, NULL);
}

void api_projects_update(struct req *r)
{
	struct project_input in;
	if (api_body_to_input(r, r->json, &in) != 0)
		return;
	if (in.val[IX_CODE] && strcmp(in.val[IX_CODE], r->params[0]) != 0) {
		reply_error(r, 400, "invalid_field", "code", "不能修改项目编号 (地址中为 %s)", r->params[0]);
		return;
	}
	in.val[IX_CODE] = r->params[0];
	api_project_apply(r, APPLY_UPDATE, &in, NULL, NULL, NULL);
}

void api_projects_milestone(struct req *r)
{
	static const char *const allowed[] = {"date", "na", "reason", NULL};
	const char *code = r->params[0];
	int m = milestone_find(r->params[1]);
	if (m < 0)
		m = -1;
	for (int i = 0; m < 0 && i < MS__COUNT; i++)
		if (strcmp(r->params[1], milestone_column(i)) == 0)
			m = i;
	if (m < 0) {
		reply_error(r, 404, "not_found", "milestone",
			    "没有节点 %s (可用: signed、registered、started、included、producing)",
			    r->params[1]);
		return;
	}
	const char *date, *reason;
	if (req_only_keys(r, allowed) != 0 || req_body_string(r, "date", &date) != 0 ||
	    req_body_string(r, "reason", &reason) != 0)
		return;
	json_t *na = json_object_get(r->json, "na");
	if (na && !json_is_boolean(na)) {
		reply_error(r, 400, "invalid_field", "na", "字段 na 必须是 true 或 false");
		return;
	}
	bool is_na = na && json_is_true(na);
	if (is_na && date) {
		reply_error(r, 400, "invalid_field", "date", "标记为不适用时不能同时填写日期");
		return;
	}
	if (is_na && (!reason || !*reason)) {
		reply_error(r, 400, "invalid_field", "reason", "标记为不适用时必须填写原因 (reason)");
		return;
	}
	if (!is_na && !json_object_get(r->json, "date")) {
		reply_error(r, 400, "invalid_field", "date", "缺少 date (日期,或 null 表示清除)");
		return;
	}
	struct project old;
	int got = store_project_get(r->store, code, &old);
	if (got != 0) {
		if (got < 0)
			reply_store_error(r);
		else
			reply_error(r, 404, "not_found", "code", "没有编号为 %s 的项目", code);
		return;
	}
	struct project_input in;
	memset(&in, 0, sizeof(in));
	in.val[IX_CODE] = code;
	static const int col_of[MS__COUNT] = {IX_SIGNED_ON, IX_REGISTERED_ON, IX_STARTED_ON,
					      IX_INCLUDED_ON, IX_PRODUCING_ON};
	in.val[col_of[m]] = is_na ? "不适用" : (date ? date : "");
	if (is_na) {
		in.val[IX_NA_REASON] = reason;
	} else {
		/* Clearing the last 不适用 clears its reason too. */
		bool other_na = false;
		for (int i = 0; i < MS__COUNT; i++)
			other_na = other_na || (i != m && old.na[i]);
		if (!other_na)
			in.val[IX_NA_REASON] = "";
	}
	project_release(&old);
	api_project_apply(r, APPLY_UPDATE, &in, "project.milestone", NULL, NULL);
}

void api_projects_terminate(struct req *r)
{
	static const char *const allowed[] = {"date", "reason", NULL};
	const char *date, *reason;
	if (req_only_keys(r, allowed) != 0 || req_body_string(r, "date", &date) != 0 ||
	    req_body_string(r, "reason", &reason) != 0)
		return;
	if (!date || !*date) {
		reply_error(r, 400, "invalid_field", "date", "缺少终止日期 date");
		return;
	}
	if (!reason || !*reason) {
		reply_error(r, 400, "invalid_field", "reason", "缺少终止原因 reason");
		return;
	}
	struct project_input in;
	memset(&in, 0, sizeof(in));
	in.val[IX_CODE] = r->params[0];
	in.val[IX_TERMINATED_ON] = date;
	in.val[IX_TERMINATED_REASON] = reason;
	api_project_apply(r, APPLY_UPDATE, &in, "project.terminate", NULL, NULL);
}
