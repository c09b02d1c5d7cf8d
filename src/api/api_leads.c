/*
 * api_leads: investment intentions 意向信息/线索 from first report to signing
 * or loss: list, create, detail with the follow-up log, update, follow-ups,
 * conversion into a project (the lead keeps the link), and the conversion
 * funnel by source, team and chain.
 *
 * A lead belongs to a region (its intended landing place) and maybe a
 * chain: region operators work on their subtree's leads, a chain task force
 * on its chain's. An open lead with no activity for 30 days is stale.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "domain/date.h"
#include "domain/interchange.h"
#include "domain/money.h"
#include "http/http.h"
#include "refdata.h"
#include "util/json.h"
#include "util/text.h"
#include "util/xalloc.h"

#define STALE_DAYS 30
#define LEAD_PAGE_DEFAULT 50
#define LEAD_PAGE_MAX 500

static const struct {
	const char *key, *name;
} stages[] = {
	{"new", "新线索"}, {"following", "跟进中"}, {"negotiating", "洽谈中"},
	{"signed", "已签约"}, {"lost", "已流失"},
};

static const struct {
	const char *key, *name;
} sources[] = {
	{"stationed_team", "驻点小分队"}, {"chain_task_force", "产业链专班"},
	{"chamber", "商协会"},            {"investor", "客商引荐"},
	{"event", "招商活动"},            {"visit", "外出拜访"},
	{"other", "其他"},
};

#define COUNT(a) ((int)(sizeof(a) / sizeof(a[0])))

static int stage_find(const char *k)
{
	for (int i = 0; k && i < COUNT(stages); i++)
		if (strcmp(stages[i].key, k) == 0)
			return i;
	return -1;
}

static int source_find(const char *k)
{
	for (int i = 0; k && i < COUNT(sources); i++)
		if (strcmp(sources[i].key, k) == 0)
			return i;
	return -1;
}

static const char *named_name(const struct named *list, int n, int64_t id)
{
	for (int i = 0; id && i < n; i++)
		if (list[i].id == id)
			return list[i].name;
	return NULL;
}

static bool is_open(const char *stage)
{
	return stage_find(stage) >= 0 && stage_find(stage) <= 2;
}

static void lead_json(struct jw *w, const struct req *r, const struct lead *l, bool open_obj)
{
	const struct refdata *rd = r->rd;
	const struct region *g = refdata_region_by_id(rd, l->region_id);
	const struct region *c = refdata_region_by_id(rd, l->county_id);
	char d1[11], d2[11], yi[32];
	jw_obj(w);
	jw_kint(w, "id", l->id);
	jw_kint(w, "company_id", l->company_id);
	jw_kstr(w, "company", l->company);
	jw_kstr(w, "title", l->title);
	jw_kstr(w, "source_kind", l->source_kind);
	int si = source_find(l->source_kind);
	jw_kstr(w, "source_kind_name", si >= 0 ? sources[si].name : NULL);
	jw_kstr(w, "source_name", l->source_name);
	jw_kstr(w, "channel", named_name(rd->channels, rd->nchannels, l->channel_id));
	jw_kstr(w, "chain", named_name(rd->chains, rd->nchains, l->chain_id));
	jw_kstr(w, "region", g ? g->name : NULL);
	jw_kstr(w, "county", c ? c->name : NULL);
	if (l->amount_wan >= 0) {
		money_format_yi(l->amount_wan, yi);
		jw_kstr(w, "amount_yi", yi);
	} else {
		jw_kstr(w, "amount_yi", NULL);
	}
	jw_kstr(w, "stage", l->stage);
	int st = stage_find(l->stage);
	jw_kstr(w, "stage_name", st >= 0 ? stages[st].name : NULL);
	jw_kstr(w, "lost_reason", l->lost_reason);
	jw_kstr(w, "project", l->project_code);
	jw_kstr(w, "reported_by", l->reported_by);
	date_format(l->reported_on, d1);
	date_format(l->last_activity, d2);
	jw_kstr(w, "reported_on", d1);
	jw_kstr(w, "last_activity", d2);
	int idle = r->today - l->last_activity;
	jw_kint(w, "days_idle", idle);
	jw_kbool(w, "stale", is_open(l->stage) && idle > STALE_DAYS);
	jw_kint(w, "version", l->version);
	jw_kstr(w, "created_at", l->created_at);
	jw_kstr(w, "updated_at", l->updated_at);
	if (!open_obj)
		jw_obj_end(w);
}

/* ---- list ---- */

struct page {
	struct jw w;
	const struct req *r;
	int n, limit;
	bool more;
	int64_t last_id;
};

static int list_row(void *ctx, const struct lead *l)
{
	struct page *p = ctx;
	if (p->n == p->limit) {
		p->more = true;
		return 1;
	}
	p->n++;
	p->last_id = l->id;
	lead_json(&p->w, p->r, l, false);
	return 0;
}

void api_leads_list(struct req *r)
{
	long limit, after;
	bool stale;
	if (query_int(r, "limit", 1, LEAD_PAGE_MAX, LEAD_PAGE_DEFAULT, &limit) != 0 ||
	    query_int(r, "after", 0, INT32_MAX, 0, &after) != 0 || query_bool(r, "stale", &stale) != 0)
		return;
	struct lead_filter f = {.limit = (int)limit + 1, .after_id = after};
	const char *v;
	if ((v = req_query(r, "stage")) && *v) {
		if (stage_find(v) < 0) {
			reply_error(r, 400, "invalid_parameter", "stage",
				    "stage 应为 new、following、negotiating、signed 或 lost");
			return;
		}
		f.stage = v;
	}
	if ((v = req_query(r, "source_kind")) && *v) {
		if (source_find(v) < 0) {
			reply_error(r, 400, "invalid_parameter", "source_kind", "未知的来源 \"%s\"", v);
			return;
		}
		f.source_kind = v;
	}
	if ((v = req_query(r, "source")) && *v)
		f.source_name = v;
	const struct region *g = NULL;
	if ((v = req_query(r, "region")) && *v) {
		g = refdata_region(r->rd, v);
		if (!g) {
			reply_error(r, 400, "invalid_parameter", "region", "未知的区域 \"%s\"", v);
			return;
		}
		if (!principal_sees_region(r->who, r->rd, g->id)) {
			reply_error(r, 403, "forbidden", "region", "无权查看 %s 的线索", g->name);
			return;
		}
	} else if (r->who->role == ROLE_REGION) {
		g = refdata_region_by_id(r->rd, r->who->region_id);
	}
	if (g && (strcmp(g->level, "county") == 0 || strcmp(g->level, "sub") == 0)) {
		f.region_id = g->id;
		f.region_is_county = strcmp(g->level, "county") == 0;
	}
	if ((v = req_query(r, "chain")) && *v) {
		const struct named *c = refdata_chain(r->rd, v);
		if (!c) {
			reply_error(r, 400, "invalid_parameter", "chain", "未知的产业链 \"%s\"", v);
			return;
		}
		f.chain_id = c->id;
	}
	if (r->who->role == ROLE_CHAIN) {
		if (f.chain_id && f.chain_id != r->who->chain_id) {
			reply_error(r, 403, "forbidden", "chain", "只能查看本产业链的线索");
			return;
		}
		f.chain_id = r->who->chain_id;
	}
	char *q = NULL;
	if ((v = req_query(r, "q")) && *v)
		f.q = q = text_normalize(v);
	if (stale)
		f.stale_before = date_add_days(r->today, -STALE_DAYS);
	struct page p = {.r = r, .limit = (int)limit};
	jw_init(&p.w, &r->body);
	jw_obj(&p.w);
	jw_key(&p.w, "items");
	jw_arr(&p.w);
	int rc = store_lead_list(r->store, &f, list_row, &p);
	free(q);
	if (rc != 0) {
		reply_store_error(r);
		return;
	}
	jw_arr_end(&p.w);
	jw_key(&p.w, "next");
	if (p.more)
		jw_int(&p.w, p.last_id);
	else
		jw_null(&p.w);
	jw_obj_end(&p.w);
	reply_json(r, 200);
}

/* ---- reading a lead ---- */

/* The lead of the path, visible to the caller; 0, or -1 after replying. */
static int load(struct req *r, struct lead *l)
{
	char *end;
	long long id = strtoll(r->params[0], &end, 10);
	int got = *end || id <= 0 ? 1 : store_lead_get(r->store, id, l);
	if (got < 0)
		return reply_store_error(r);
	if (got > 0)
		return reply_error(r, 404, "not_found", "id", "没有编号为 %s 的线索", r->params[0]);
	if (!principal_sees_project(r->who, r->rd, l->region_id, l->chain_id)) {
		lead_release(l);
		return reply_error(r, 403, "forbidden", "id", "无权查看其他区域或产业链的线索");
	}
	return 0;
}

static int follow_item(void *ctx, const struct follow_up *u)
{
	struct jw *w = ctx;
	char d[11];
	date_format(u->on_date, d);
	jw_obj(w);
	jw_kint(w, "id", u->id);
	jw_kstr(w, "date", d);
	jw_kstr(w, "user", u->username);
	jw_kstr(w, "note", u->note);
	jw_kstr(w, "stage", u->stage);
	jw_obj_end(w);
	return 0;
}

static void reply_lead(struct req *r, int64_t id, int status)
{
	struct lead l;
	int got = store_lead_get(r->store, id, &l);
	if (got != 0) {
		if (got < 0)
			reply_store_error(r);
		else
			reply_error(r, 404, "not_found", "id", "没有这个线索");
		return;
	}
	struct jw w;
	buf_reset(&r->body);
	jw_init(&w, &r->body);
	lead_json(&w, r, &l, true);
	jw_key(&w, "follow_ups");
	jw_arr(&w);
	int rc = store_follow_ups(r->store, id, follow_item, &w);
	jw_arr_end(&w);
	jw_obj_end(&w);
	lead_release(&l);
	if (rc != 0)
		reply_store_error(r);
	else
		reply_json(r, status);
}

void api_leads_get(struct req *r)
{
	struct lead l;
	if (load(r, &l) != 0)
		return;
	int64_t id = l.id;
	lead_release(&l);
	reply_lead(r, id, 200);
}

/* ---- writing ---- */

/* The audited view of a lead. */
static char *audit_json(const struct req *r, const struct lead *l)
{
	struct buf b = BUF_INIT;
	struct jw w;
	jw_init(&w, &b);
	lead_json(&w, r, l, true);
	jw_obj_end(&w);
	return buf_detach(&b);
}

/* Reads the editable fields of the body into l; 0, or -1 after 400/403. */
static int read_fields(struct req *r, struct lead *l, bool create)
{
	static const char *const allowed_create[] = {
		"company", "company_id", "credit_code", "company_province", "company_city", "title",
		"source_kind", "source_name", "channel", "chain", "region", "amount_yi",
		"reported_on", "stage", "team", NULL};
	static const char *const allowed_update[] = {"title", "source_kind", "source_name",
						     "channel", "chain", "region", "amount_yi",
						     "stage", "lost_reason", NULL};
	if (req_only_keys(r, create ? allowed_create : allowed_update) != 0)
		return -1;
	const char *v;
	if (req_body_string(r, "title", &v) != 0)
		return -1;
	if (v || create) {
		char *t = v ? text_normalize(v) : xstrdup("");
		if (!*t || text_length(t) > 200) {
			free(t);
			return reply_error(r, 400, "invalid_field", "title", "意向项目名称 title 必填 (最多 200 个字符)");
		}
		free(l->title);
		l->title = t;
	}
	if (req_body_string(r, "source_kind", &v) != 0)
		return -1;
	if (v || create) {
		if (source_find(v) < 0)
			return reply_error(r, 400, "invalid_field", "source_kind",
					   "来源 source_kind 应为 stationed_team (驻点小分队)、chain_task_force (产业链专班)、"
					   "chamber (商协会)、investor (客商引荐)、event (招商活动)、visit (外出拜访) 或 other");
		free(l->source_kind);
		l->source_kind = xstrdup(v);
	}
	if (req_body_string(r, "source_name", &v) != 0)
		return -1;
	if (json_object_get(r->json, "source_name")) {
		free(l->source_name);
		l->source_name = v && *v ? text_normalize(v) : NULL;
	}
	if (req_body_string(r, "channel", &v) != 0)
		return -1;
	if (json_object_get(r->json, "channel")) {
		const struct named *c = v && *v ? refdata_named(r->rd->channels, r->rd->nchannels, v) : NULL;
		if (v && *v && !c)
			return reply_error(r, 400, "invalid_field", "channel", "未知的招商方式 \"%s\"", v);
		l->channel_id = c ? c->id : 0;
	}
	if (req_body_string(r, "chain", &v) != 0)
		return -1;
	if (json_object_get(r->json, "chain")) {
		const struct named *c = v && *v ? refdata_chain(r->rd, v) : NULL;
		if (v && *v && !c)
			return reply_error(r, 400, "invalid_field", "chain", "未知的产业链 \"%s\"", v);
		l->chain_id = c ? c->id : 0;
	}
	if (create && !l->chain_id && r->who->role == ROLE_CHAIN)
		l->chain_id = r->who->chain_id;
	if (req_body_string(r, "region", &v) != 0)
		return -1;
	if (v || create) {
		const struct region *g = v ? refdata_region(r->rd, v) : NULL;
		if (!g || (strcmp(g->level, "county") != 0 && strcmp(g->level, "sub") != 0))
			return reply_error(r, 400, "invalid_field", "region",
					   "意向落地县市区 region %s", v ? "未知" : "必填");
		l->region_id = g->id;
		l->county_id = g->county_id;
	}
	json_t *amount = json_object_get(r->json, "amount_yi");
	if (amount) {
		if (json_is_null(amount)) {
			l->amount_wan = -1;
		} else if (!json_is_string(amount) ||
			   money_parse_yi(json_string_value(amount), &l->amount_wan) != 0) {
			return reply_error(r, 400, "invalid_field", "amount_yi",
					   "意向投资额 amount_yi 应为以亿元为单位的字符串 (如 \"5\")");
		}
	} else if (create) {
		l->amount_wan = -1;
	}
	if (req_body_string(r, "stage", &v) != 0)
		return -1;
	if (v) {
		int st = stage_find(v);
		if (st < 0 || strcmp(v, "signed") == 0)
			return reply_error(r, 400, "invalid_field", "stage",
					   "stage 应为 new、following、negotiating 或 lost (签约请用转化)");
		if (create && strcmp(v, "lost") == 0)
			return reply_error(r, 400, "invalid_field", "stage", "新线索不能是已流失");
		free(l->stage);
		l->stage = xstrdup(v);
	} else if (create) {
		l->stage = xstrdup("new");
	}
	if (!create) {
		if (req_body_string(r, "lost_reason", &v) != 0)
			return -1;
		if (json_object_get(r->json, "lost_reason")) {
			free(l->lost_reason);
			l->lost_reason = v && *v ? text_normalize(v) : NULL;
		}
	}
	if (strcmp(l->stage, "lost") == 0 && !l->lost_reason)
		return reply_error(r, 400, "invalid_field", "lost_reason", "流失的线索须写明原因 lost_reason");
	if (strcmp(l->stage, "lost") != 0) {
		free(l->lost_reason);
		l->lost_reason = NULL;
	}
	/* Scope: where it is, and for a chain task force its chain. */
	if (!principal_sees_project(r->who, r->rd, l->region_id, l->chain_id))
		return reply_error(r, 403, "forbidden", "region",
				   "无权登记或修改其他区域 (或其他产业链) 的线索");
	return 0;
}

/* The company of a new lead: by id, or found/created by name and code. */
static int lead_company(struct req *r, int64_t *id)
{
	json_t *cid = json_object_get(r->json, "company_id");
	const char *name, *code, *prov, *city;
	if (req_body_string(r, "company", &name) != 0 ||
	    req_body_string(r, "credit_code", &code) != 0 ||
	    req_body_string(r, "company_province", &prov) != 0 ||
	    req_body_string(r, "company_city", &city) != 0)
		return -1;
	if (cid) {
		struct company c;
		int got = json_is_integer(cid) ? store_company_get(r->store, json_integer_value(cid), &c) : 1;
		if (got < 0)
			return reply_store_error(r);
		if (got > 0)
			return reply_error(r, 400, "invalid_field", "company_id", "没有这个企业");
		*id = c.id;
		company_release(&c);
		return 0;
	}
	char *n = name ? text_normalize(name) : NULL, *k = code && *code ? text_normalize(code) : NULL;
	const char *province = prov && *prov ? ix_province(prov) : NULL;
	int rc = 0;
	if (!n || !*n)
		rc = reply_error(r, 400, "invalid_field", "company", "企业名称 company 必填 (或给出 company_id)");
	else if (k && !ix_credit_code_valid(k))
		rc = reply_error(r, 400, "invalid_field", "credit_code",
				 "统一社会信用代码 \"%s\" 无效 (应为18位,校验位符合 GB 32100)", k);
	else if (prov && *prov && !province)
		rc = reply_error(r, 400, "invalid_field", "company_province", "未知的省份 \"%s\"", prov);
	else if (store_company_ensure(r->store, n, k, province, city && *city ? city : NULL, id, NULL) != 0)
		rc = reply_store_error(r);
	free(n);
	free(k);
	return rc;
}

/*
 * 首报首谈: the first unit to report an open lead on a company holds the
 * claim for leads.claim_days. A region operator of another county may not
 * report the company meanwhile (409 "claimed", naming the holder and the
 * day the claim ends); the bureau and the chain task forces coordinate
 * across counties and may. 0 or -1 after replying.
 */
static int claim_check(struct req *r, const struct lead *l)
{
	if (r->rd->claim_days <= 0 || r->who->role != ROLE_REGION)
		return 0;
	int64_t holder;
	int32_t since;
	if (store_lead_claim(r->store, l->company_id, r->today - r->rd->claim_days, &holder, &since) != 0)
		return reply_store_error(r);
	if (!holder || holder == l->county_id)
		return 0;
	const struct region *g = refdata_region_by_id(r->rd, holder);
	char d1[11], d2[11];
	date_format(since, d1);
	date_format(since + r->rd->claim_days, d2);
	return reply_error(r, 409, "claimed", "company",
			   "该企业已由%s于 %s 首报,对接权保留至 %s (首报首谈);如需共同对接请联系招商局",
			   g ? g->name : "其他县市区", d1, d2);
}

void api_leads_create(struct req *r)
{
	struct lead l = {0};
	const char *reported;
	int32_t day = r->today;
	char now[21];
	date_format_utc(r->now, now);
	if (read_fields(r, &l, true) != 0 || req_body_string(r, "reported_on", &reported) != 0)
		goto out;
	if (reported && *reported && (date_parse_any(reported, &day) != 0 || day > r->today)) {
		reply_error(r, 400, "invalid_field", "reported_on", "报送日期 reported_on 无效或晚于今天");
		goto out;
	}
	l.reported_on = l.last_activity = day;
	l.reported_by = xstrdup(r->who->username);
	/* A stationed team's lead: the team is its source. */
	const char *team;
	int64_t team_id = 0;
	if (req_body_string(r, "team", &team) != 0)
		goto out;
	if (team && *team) {
		int got = store_team_find(r->store, team, &team_id);
		if (got != 0) {
			if (got < 0)
				reply_store_error(r);
			else
				reply_error(r, 400, "invalid_field", "team", "没有驻点小分队 \"%s\"", team);
			goto out;
		}
		if (strcmp(l.source_kind, "stationed_team") != 0) {
			reply_error(r, 400, "invalid_field", "team", "给出 team 时来源应为 stationed_team");
			goto out;
		}
		free(l.source_name);
		l.source_name = xstrdup(team);
	}
	if (store_begin(r->store) != 0) {
		reply_store_error(r);
		goto out;
	}
	if (lead_company(r, &l.company_id) != 0 || claim_check(r, &l) != 0) {
		store_rollback(r->store);
		goto out;
	}
	char key[24], *j = NULL;
	if (store_lead_save(r->store, &l, now) != 0 ||
	    (team_id && store_lead_set_team(r->store, l.id, team_id) != 0) ||
	    (snprintf(key, sizeof(key), "%lld", (long long)l.id), j = audit_json(r, &l),
	     audit_append(r->store, r->who, "lead.create", "lead", key, NULL, j)) != 0 ||
	    store_commit(r->store) != 0) {
		store_rollback(r->store);
		reply_store_error(r);
	} else {
		reply_lead(r, l.id, 201);
	}
	free(j);
out:
	lead_release(&l);
}

/* Saves a changed lead with its audit row and replies. */
static void save_change(struct req *r, struct lead *l, const char *old_json, const char *action)
{
	char now[21], key[24];
	date_format_utc(r->now, now);
	snprintf(key, sizeof(key), "%lld", (long long)l->id);
	char *j = audit_json(r, l);
	if (store_lead_save(r->store, l, now) != 0 ||
	    audit_append(r->store, r->who, action, "lead", key, old_json, j) != 0 ||
	    store_commit(r->store) != 0) {
		store_rollback(r->store);
		reply_store_error(r);
	} else {
		reply_lead(r, l->id, 200);
	}
	free(j);
}

void api_leads_update(struct req *r)
{
	struct lead l;
	if (load(r, &l) != 0)
		return;
	char *old = audit_json(r, &l);
	if (strcmp(l.stage, "signed") == 0)
		reply_error(r, 409, "conflict", "stage", "已签约的线索不能修改 (改项目本身)");
	else if (read_fields(r, &l, false) == 0) {
		if (store_begin(r->store) != 0)
			reply_store_error(r);
		else
			save_change(r, &l, old, "lead.update");
	}
	free(old);
	lead_release(&l);
}

void api_leads_follow_up(struct req *r)
{
	static const char *const allowed[] = {"date", "note", "stage", "lost_reason", NULL};
	struct lead l;
	if (load(r, &l) != 0)
		return;
	const char *date, *note, *stage, *reason;
	int32_t day = r->today;
	char *old = audit_json(r, &l);
	if (req_only_keys(r, allowed) != 0 || req_body_string(r, "date", &date) != 0 ||
	    req_body_string(r, "note", &note) != 0 || req_body_string(r, "stage", &stage) != 0 ||
	    req_body_string(r, "lost_reason", &reason) != 0)
		goto out;
	if (strcmp(l.stage, "signed") == 0) {
		reply_error(r, 409, "conflict", "stage", "线索已签约 (项目 %s),不再跟进",
			    l.project_code ? l.project_code : "");
		goto out;
	}
	if (date && *date && (date_parse_any(date, &day) != 0 || day > r->today || day < l.reported_on)) {
		reply_error(r, 400, "invalid_field", "date", "跟进日期无效:不能晚于今天,也不能早于报送日期");
		goto out;
	}
	if (!note || !*note || text_length(note) > 2000) {
		reply_error(r, 400, "invalid_field", "note", "跟进情况 note 必填 (最多 2000 个字符)");
		goto out;
	}
	if (stage && *stage) {
		if (stage_find(stage) < 0 || strcmp(stage, "signed") == 0 || strcmp(stage, "new") == 0) {
			reply_error(r, 400, "invalid_field", "stage", "stage 应为 following、negotiating 或 lost");
			goto out;
		}
		if (strcmp(stage, "lost") == 0 && !(reason && *reason)) {
			reply_error(r, 400, "invalid_field", "lost_reason", "流失的线索须写明原因 lost_reason");
			goto out;
		}
		free(l.stage);
		l.stage = xstrdup(stage);
		free(l.lost_reason);
		l.lost_reason = strcmp(stage, "lost") == 0 ? text_normalize(reason) : NULL;
	} else if (strcmp(l.stage, "lost") == 0) {
		reply_error(r, 409, "conflict", "stage", "线索已流失;重新跟进请同时给出 stage");
		goto out;
	} else if (strcmp(l.stage, "new") == 0) {
		free(l.stage);
		l.stage = xstrdup("following");
	}
	if (day > l.last_activity)
		l.last_activity = day;
	char now[21];
	date_format_utc(r->now, now);
	char *n = text_normalize(note);
	struct follow_up u = {.lead_id = l.id, .on_date = day, .username = r->who->username,
			      .note = n, .stage = stage && *stage ? stage : NULL, .created_at = now};
	if (store_begin(r->store) != 0 || store_follow_up_add(r->store, &u) != 0) {
		store_rollback(r->store);
		reply_store_error(r);
	} else {
		save_change(r, &l, old, "lead.follow_up");
	}
	free(n);
out:
	free(old);
	lead_release(&l);
}

/* ---- conversion ---- */

struct conversion {
	struct lead *l;
	const char *old;
};

/* Inside the project's transaction: the lead is signed and linked. */
static int mark_signed(void *ctx, struct req *r, const struct project *p)
{
	struct conversion *c = ctx;
	struct lead *l = c->l;
	char now[21], key[24];
	date_format_utc(r->now, now);
	snprintf(key, sizeof(key), "%lld", (long long)l->id);
	free(l->stage);
	l->stage = xstrdup("signed");
	l->project_id = p->id;
	free(l->project_code);
	l->project_code = xstrdup(p->code);
	if (p->ms[MS_SIGNED] > l->last_activity)
		l->last_activity = p->ms[MS_SIGNED];
	char *j = audit_json(r, l);
	int rc = store_lead_save(r->store, l, now) != 0 ||
				 audit_append(r->store, r->who, "lead.convert", "lead", key, c->old, j) != 0
			 ? -1
			 : 0;
	free(j);
	return rc;
}

void api_leads_convert(struct req *r)
{
	struct lead l;
	if (load(r, &l) != 0)
		return;
	struct project_input in;
	char *old = audit_json(r, &l);
	struct company co = {0};
	char yi[32];
	if (!role_can(r->who->role, PERM_PROJECT_WRITE)) {
		reply_error(r, 403, "forbidden", NULL, "当前角色 (%s) 不能新建项目", roles[r->who->role].label);
		goto out;
	}
	if (strcmp(l.stage, "signed") == 0) {
		reply_error(r, 409, "conflict", "stage", "线索已转化为项目 %s", l.project_code ? l.project_code : "");
		goto out;
	}
	if (strcmp(l.stage, "lost") == 0) {
		reply_error(r, 409, "conflict", "stage", "线索已流失,不能转化");
		goto out;
	}
	if (api_body_to_input(r, r->json, &in) != 0)
		goto out;
	if (in.val[IX_INVESTOR] || in.val[IX_INVESTOR_CREDIT_CODE]) {
		reply_error(r, 400, "invalid_field", in.val[IX_INVESTOR] ? "investor" : "investor_credit_code",
			    "投资方就是线索的企业,不能另填");
		goto out;
	}
	if (store_company_get(r->store, l.company_id, &co) != 0) {
		reply_store_error(r);
		goto out;
	}
	/* What the lead already says, unless the body says otherwise. */
	const struct region *g = refdata_region_by_id(r->rd, l.region_id);
	in.val[IX_INVESTOR] = co.name;
	in.val[IX_INVESTOR_CREDIT_CODE] = co.credit_code;
	if (!in.val[IX_INVESTOR_PROVINCE])
		in.val[IX_INVESTOR_PROVINCE] = co.province;
	if (!in.val[IX_INVESTOR_CITY])
		in.val[IX_INVESTOR_CITY] = co.city;
	if (!in.val[IX_NAME])
		in.val[IX_NAME] = l.title;
	if (!in.val[IX_REGION] && g)
		in.val[IX_REGION] = g->path;
	if (!in.val[IX_CHAIN])
		in.val[IX_CHAIN] = named_name(r->rd->chains, r->rd->nchains, l.chain_id);
	if (!in.val[IX_CHANNEL])
		in.val[IX_CHANNEL] = named_name(r->rd->channels, r->rd->nchannels, l.channel_id);
	if (!in.val[IX_AMOUNT_YI] && l.amount_wan >= 0) {
		money_format_yi(l.amount_wan, yi);
		in.val[IX_AMOUNT_YI] = yi;
	}
	struct conversion c = {&l, old};
	api_project_apply(r, APPLY_CREATE, &in, NULL, mark_signed, &c);
out:
	company_release(&co);
	free(old);
	lead_release(&l);
}

/* ---- the funnel ---- */

void api_reports_funnel(struct req *r)
{
	static const char *const bys[] = {"source", "team", "chain"};
	const char *v = req_query(r, "by");
	int by = -1;
	for (int i = 0; v && i < 3; i++)
		if (strcmp(v, bys[i]) == 0)
			by = i;
	if (by < 0) {
		reply_error(r, 400, "invalid_parameter", "by", "by 应为 source、team 或 chain");
		return;
	}
	int y, m, d;
	date_to_ymd(r->today, &y, &m, &d);
	long year;
	if (query_int(r, "year", 1900, 9999, y, &year) != 0)
		return;
	struct funnel_row *rows;
	int n;
	if (store_lead_funnel(r->store, by, date_from_ymd((int)year, 1, 1),
			      date_from_ymd((int)year, 12, 31), &rows, &n) != 0) {
		reply_store_error(r);
		return;
	}
	/* Groups in the configured order (sources, chains) or by name (teams);
	 * each with its count per stage. */
	struct group {
		const char *key;
		int64_t id, st[5], total;
	} *g = xcalloc((size_t)n + (size_t)r->rd->nchains + COUNT(sources) + 2, sizeof(*g));
	int ng = 0;
	if (by == 0)
		for (int i = 0; i < COUNT(sources); i++)
			g[ng++].key = sources[i].key;
	if (by == 2)
		for (int i = 0; i < r->rd->nchains; i++) {
			g[ng].key = r->rd->chains[i].name;
			g[ng++].id = r->rd->chains[i].id;
		}
	struct group none = {"未填", 0, {0}, 0}, total = {"合计", 0, {0}, 0};
	for (int i = 0; i < n; i++) {
		struct group *x = NULL;
		for (int k = 0; k < ng && !x; k++)
			if (by == 2 ? g[k].id == rows[i].id && rows[i].id
				    : rows[i].key && strcmp(g[k].key, rows[i].key) == 0)
				x = &g[k];
		if (!x && by == 1 && rows[i].key) {
			x = &g[ng++];
			x->key = rows[i].key;
		}
		if (!x)
			x = &none;
		int st = stage_find(rows[i].stage);
		if (st < 0)
			continue;
		x->st[st] += rows[i].count;
		x->total += rows[i].count;
		total.st[st] += rows[i].count;
		total.total += rows[i].count;
	}
	if (none.total)
		g[ng++] = none;
	struct jw w;
	jw_init(&w, &r->body);
	jw_obj(&w);
	jw_kint(&w, "year", year);
	jw_kstr(&w, "by", bys[by]);
	jw_key(&w, "rows");
	jw_arr(&w);
	for (int i = 0; i <= ng; i++) {
		const struct group *x = i < ng ? &g[i] : &total;
		if (i == ng) {
			jw_arr_end(&w);
			jw_key(&w, "total");
		}
		jw_obj(&w);
		if (i < ng) {
			jw_kstr(&w, "key", x->key);
			int si = by == 0 ? source_find(x->key) : -1;
			jw_kstr(&w, "name", si >= 0 ? sources[si].name : x->key);
		}
		jw_kint(&w, "total", x->total);
		for (int s = 0; s < 5; s++)
			jw_kint_v(&w, stages[s].key, x->st[s]);
		char rate[16];
		jw_kstr(&w, "conversion_rate",
			rate_format(x->st[3], x->total, rate) == 0 ? rate : NULL);
		jw_obj_end(&w);
	}
	jw_obj_end(&w);
	free(g);
	funnel_rows_release(rows, n);
	reply_json(r, 200);
}
