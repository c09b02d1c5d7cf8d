/*
 * api_integrity: figures that cannot be inflated. The referring unit of a
 * project (引荐单位) and its recorded share of the contract investment in the
 * assessment's amount indicator; the second person's confirmation of an
 * amount that waits for it; and the data-quality page: per county-level
 * unit, what still needs work before the figures can be trusted.
 */
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "domain/date.h"
#include "http/http.h"
#include "refdata.h"
#include "report.h"
#include "util/json.h"
#include "util/text.h"
#include "util/xalloc.h"

/* ---- the referring unit ---- */

struct ref_ctx {
	const struct refdata *rd;
	struct jw *w;
	bool found;
};

static const char *unit_name(const struct refdata *rd, const char *kind, int64_t id)
{
	if (strcmp(kind, "region") == 0) {
		const struct region *g = refdata_region_by_id(rd, id);
		return g ? g->name : NULL;
	}
	const struct named *list = strcmp(kind, "department") == 0 ? rd->departments : rd->chains;
	int n = strcmp(kind, "department") == 0 ? rd->ndepartments : rd->nchains;
	for (int i = 0; i < n; i++)
		if (list[i].id == id)
			return list[i].name;
	return NULL;
}

static int referral_row(void *ctx, const char *const *v, int n)
{
	(void)n;
	struct ref_ctx *c = ctx;
	c->found = true;
	jw_obj(c->w);
	jw_kstr(c->w, "kind", v[0]);
	jw_kstr(c->w, "unit", unit_name(c->rd, v[0], strtoll(v[1], NULL, 10)));
	jw_kint(c->w, "share", strtoll(v[2], NULL, 10));
	jw_kstr(c->w, "recorded_by", v[3]);
	jw_kstr(c->w, "recorded_at", v[4]);
	jw_obj_end(c->w);
	return 0;
}

static void reply_referral(struct req *r, const struct project *p)
{
	struct jw w;
	buf_reset(&r->body);
	jw_init(&w, &r->body);
	jw_obj(&w);
	jw_kstr(&w, "code", p->code);
	jw_kstr(&w, "region", p->region);
	jw_key(&w, "referral");
	struct ref_ctx c = {r->rd, &w, false};
	if (store_referral_get(r->store, p->id, referral_row, &c) != 0) {
		reply_store_error(r);
		return;
	}
	if (!c.found)
		jw_null(&w);
	jw_obj_end(&w);
	reply_json(r, 200);
}

void api_referral_get(struct req *r)
{
	struct project p;
	if (api_visible_project(r, r->params[0], &p) != 0)
		return;
	reply_referral(r, &p);
	project_release(&p);
}

void api_referral_put(struct req *r)
{
	static const char *const allowed[] = {"kind", "unit", "share", NULL};
	const char *kind, *unit;
	struct project p;
	if (req_only_keys(r, allowed) != 0 || req_body_string(r, "kind", &kind) != 0 ||
	    req_body_string(r, "unit", &unit) != 0)
		return;
	json_t *share = json_object_get(r->json, "share");
	if (!kind || (strcmp(kind, "region") != 0 && strcmp(kind, "department") != 0 &&
		      strcmp(kind, "chain") != 0)) {
		reply_error(r, 400, "invalid_field", "kind",
			    "kind 应为 region (县市区)、department (市直部门) 或 chain (产业链专班)");
		return;
	}
	if (!json_is_integer(share) || json_integer_value(share) < 1 || json_integer_value(share) > 100) {
		reply_error(r, 400, "invalid_field", "share", "share 应为 1 到 100 的整数 (百分比)");
		return;
	}
	if (!unit || !*unit) {
		reply_error(r, 400, "invalid_field", "unit", "缺少引荐单位 unit");
		return;
	}
	if (api_visible_project(r, r->params[0], &p) != 0)
		return;
	char *name = text_normalize(unit);
	int64_t ref_id = 0;
	if (strcmp(kind, "region") == 0) {
		const struct region *g = refdata_region(r->rd, name);
		if (g && strcmp(g->level, "sub") == 0)
			g = refdata_region_by_id(r->rd, g->county_id);
		if (!g || strcmp(g->level, "county") != 0) {
			reply_error(r, 400, "invalid_field", "unit", "未知的县市区 \"%s\"", name);
			goto out;
		}
		if (g->id == p.county_id) {
			reply_error(r, 400, "invalid_field", "unit",
				    "%s 是项目的落地县市区,已计入全部金额,不能再作为引荐单位", g->name);
			goto out;
		}
		ref_id = g->id;
	} else {
		const struct named *x = strcmp(kind, "department") == 0
						? refdata_named(r->rd->departments, r->rd->ndepartments, name)
						: refdata_chain(r->rd, name);
		if (!x) {
			reply_error(r, 400, "invalid_field", "unit", "未知的%s \"%s\"",
				    strcmp(kind, "department") == 0 ? "市直部门" : "产业链", name);
			goto out;
		}
		ref_id = x->id;
	}
	char now[21];
	projects_utc_now(now);
	struct buf detail = BUF_INIT;
	struct jw w;
	jw_init(&w, &detail);
	jw_obj(&w);
	jw_kstr(&w, "kind", kind);
	jw_kstr(&w, "unit", unit_name(r->rd, kind, ref_id));
	jw_kint(&w, "share", json_integer_value(share));
	jw_obj_end(&w);
	if (store_begin(r->store) != 0 ||
	    store_referral_put(r->store, p.id, kind, ref_id, (int)json_integer_value(share),
			       r->who->username, now) != 0 ||
	    audit_append(r->store, r->who, "project.referral", "project", p.code, NULL,
			 buf_cstr(&detail)) != 0 ||
	    store_commit(r->store) != 0) {
		store_rollback(r->store);
		buf_release(&detail);
		reply_store_error(r);
		goto out;
	}
	buf_release(&detail);
	reply_referral(r, &p);
out:
	free(name);
	project_release(&p);
}

void api_referral_delete(struct req *r)
{
	struct project p;
	bool deleted = false;
	if (api_visible_project(r, r->params[0], &p) != 0)
		return;
	if (store_begin(r->store) != 0 || store_referral_delete(r->store, p.id, &deleted) != 0 ||
	    (deleted && audit_append(r->store, r->who, "project.referral_delete", "project", p.code,
				     "{\"referral\":true}", NULL) != 0) ||
	    store_commit(r->store) != 0) {
		store_rollback(r->store);
		reply_store_error(r);
	} else if (!deleted) {
		reply_error(r, 404, "not_found", "code", "项目 %s 没有引荐单位", p.code);
	} else {
		reply_referral(r, &p);
	}
	project_release(&p);
}

/* ---- the second person's confirmation of an amount ---- */

void api_amount_confirm(struct req *r)
{
	struct project p;
	if (api_visible_project(r, r->params[0], &p) != 0)
		return;
	char *entered = NULL;
	bool done = false;
	if (!p.amount_pending) {
		reply_error(r, 409, "not_pending", "amount_yi", "项目 %s 的合同投资额无需确认", p.code);
		goto out;
	}
	if (store_amount_entered_by(r->store, p.id, &entered) != 0) {
		reply_store_error(r);
		goto out;
	}
	if (entered && strcmp(entered, r->who->username) == 0) {
		reply_error(r, 403, "same_person", "amount_yi",
			    "合同投资额由 %s 填报,须由另一人确认", entered);
		goto out;
	}
	char detail[96];
	snprintf(detail, sizeof(detail), "{\"amount_wan\":%lld}", (long long)p.amount_wan);
	if (store_begin(r->store) != 0 || store_amount_confirm(r->store, p.id, r->who->username, &done) != 0 ||
	    audit_append(r->store, r->who, "project.amount_confirm", "project", p.code, NULL, detail) !=
		    0 ||
	    store_commit(r->store) != 0) {
		store_rollback(r->store);
		reply_store_error(r);
		goto out;
	}
	p.amount_pending = false;
	buf_reset(&r->body);
	report_project_json(r->rd, &p, r->today, &r->body);
	reply_json(r, 200);
out:
	free(entered);
	project_release(&p);
}

/* ---- the data-quality page ---- */

enum { Q_EVIDENCE, Q_UNVERIFIED, Q_DUPLICATES, Q_AMOUNT_PENDING, Q_STALE_LEADS, Q__COUNT };
static const char *const q_keys[Q__COUNT] = {"evidence", "unverified", "duplicates",
					      "amount_pending", "stale_leads"};
static const char *const q_json[Q__COUNT] = {"missing_evidence", "unverified", "suspected_duplicates",
					      "amount_pending", "stale_leads"};

struct quality {
	const struct refdata *rd;
	int64_t (*counts)[Q__COUNT]; /* per region of rd, by index */
	int64_t total[Q__COUNT];
};

static int quality_row(void *ctx, const char *const *v, int n)
{
	(void)n;
	struct quality *q = ctx;
	int k = -1;
	for (int i = 0; i < Q__COUNT; i++)
		if (strcmp(v[0], q_keys[i]) == 0)
			k = i;
	int64_t county = v[1] ? strtoll(v[1], NULL, 10) : 0, count = strtoll(v[2], NULL, 10);
	if (k < 0)
		return 0;
	for (int i = 0; i < q->rd->nregions; i++)
		if (q->rd->regions[i].id == county)
			q->counts[i][k] += count;
	q->total[k] += count;
	return 0;
}

void api_quality_get(struct req *r)
{
	long days;
	if (query_int(r, "unverified_days", 0, 3650, 30, &days) != 0)
		return;
	struct quality q = {r->rd, xcalloc((size_t)r->rd->nregions + 1, sizeof(*q.counts)), {0}};
	if (store_quality(r->store, r->today - (int32_t)days, r->today - 30, quality_row, &q) != 0) {
		free(q.counts);
		reply_store_error(r);
		return;
	}
	char today[11];
	date_format(r->today, today);
	struct jw w;
	jw_init(&w, &r->body);
	jw_obj(&w);
	jw_kstr(&w, "as_of", today);
	jw_kint(&w, "unverified_days", days);
	jw_kint(&w, "idle_days", 30);
	jw_key(&w, "regions");
	jw_arr(&w);
	for (int i = 0; i < r->rd->nregions; i++) {
		const struct region *g = &r->rd->regions[i];
		if (strcmp(g->level, "county") != 0)
			continue;
		jw_obj(&w);
		jw_kstr(&w, "region", g->name);
		for (int k = 0; k < Q__COUNT; k++)
			jw_kint_v(&w, q_json[k], q.counts[i][k]);
		jw_obj_end(&w);
	}
	jw_arr_end(&w);
	jw_key(&w, "total");
	jw_obj(&w);
	for (int k = 0; k < Q__COUNT; k++)
		jw_kint_v(&w, q_json[k], q.total[k]);
	jw_obj_end(&w);
	jw_obj_end(&w);
	free(q.counts);
	reply_json(r, 200);
}
