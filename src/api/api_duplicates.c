/*
 * api_duplicates: suspected duplicate projects (dupes.h). The open groups
 * (GET /api/duplicates: the contract of `zhaoshang duplicates --json`, with
 * each project's summary added), the check before saving (what a project
 * being entered would duplicate; nothing is written), a full scan, and the
 * bureau's decisions: a group marked distinct, or merged into one record.
 */
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "domain/date.h"
#include "domain/money.h"
#include "dupes.h"
#include "http/http.h"
#include "refdata.h"
#include "report.h"
#include "util/json.h"
#include "util/text.h"
#include "util/xalloc.h"

static void reasons_json(struct jw *w, unsigned reasons)
{
	jw_key(w, "reasons");
	jw_arr(w);
	for (int i = 0; i < DR__COUNT; i++)
		if (reasons & (1u << i))
			jw_str(w, dup_reason_keys[i]);
	jw_arr_end(w);
	jw_key(w, "reason_names");
	jw_arr(w);
	for (int i = 0; i < DR__COUNT; i++)
		if (reasons & (1u << i))
			jw_str(w, dup_reason_names[i]);
	jw_arr_end(w);
}

static void score_json(struct jw *w, int score)
{
	char t[8];
	dupes_score_text(score, t);
	jw_kstr(w, "score", t);
}

/* The summary of a project as a member of a group (NULL values when it is
 * gone). */
static void member_json(struct jw *w, const struct req *r, const struct project *p)
{
	char amount[32], signed_on[11];
	money_format_yi2(p->amount_wan, amount);
	date_format(p->ms[MS_SIGNED], signed_on);
	jw_obj(w);
	jw_kstr(w, "code", p->code);
	jw_kstr(w, "name", p->name);
	jw_kstr(w, "investor", p->investor);
	jw_kstr(w, "region", p->region);
	jw_kstr(w, "amount_yi", amount);
	jw_kstr(w, "signed_on", signed_on);
	jw_kstr(w, "event", p->event);
	jw_kstr(w, "stage", project_stage(p));
	jw_obj_end(w);
}

void api_duplicates_list(struct req *r)
{
	struct dup_group *g;
	int n;
	if (dupes_groups(r->store, &g, &n) != 0) {
		reply_store_error(r);
		return;
	}
	struct jw w;
	jw_init(&w, &r->body);
	jw_arr(&w);
	for (int i = 0; i < n; i++) {
		/* A scoped user sees the groups whose every project it may see. */
		bool visible = true;
		for (int k = 0; k < g[i].n && visible; k++)
			visible = principal_sees_project(r->who, r->rd, g[i].region_ids[k],
							 g[i].chain_ids[k]);
		if (!visible)
			continue;
		jw_obj(&w);
		jw_key(&w, "codes");
		jw_arr(&w);
		for (int k = 0; k < g[i].n; k++)
			jw_str(&w, g[i].codes[k]);
		jw_arr_end(&w);
		score_json(&w, g[i].score);
		reasons_json(&w, g[i].reasons);
		jw_key(&w, "pairs");
		jw_arr(&w);
		for (int k = 0; k < g[i].npairs; k++) {
			const struct dup_pair *p = &g[i].pairs[k];
			jw_obj(&w);
			jw_key(&w, "codes");
			jw_arr(&w);
			jw_str(&w, g[i].codes[p->a]);
			jw_str(&w, g[i].codes[p->b]);
			jw_arr_end(&w);
			score_json(&w, p->score);
			reasons_json(&w, p->reasons);
			jw_obj_end(&w);
		}
		jw_arr_end(&w);
		jw_key(&w, "projects");
		jw_arr(&w);
		for (int k = 0; k < g[i].n; k++) {
			struct project p;
			int got = store_project_get(r->store, g[i].codes[k], &p);
			if (got < 0) {
				dupes_groups_free(g, n);
				reply_store_error(r);
				return;
			}
			if (got == 0) {
				refdata_project_names(r->rd, &p);
				member_json(&w, r, &p);
				project_release(&p);
			}
		}
		jw_arr_end(&w);
		jw_obj_end(&w);
	}
	jw_arr_end(&w);
	dupes_groups_free(g, n);
	reply_json(r, 200);
}

void api_duplicates_check(struct req *r)
{
	struct project_input in;
	struct project p;
	if (api_body_to_input(r, r->json, &in) != 0 || api_project_dry_run(r, &in, &p) != 0)
		return;
	int64_t investor_id = 0;
	bool by_code;
	struct dup_hit *hits = NULL;
	int n = 0;
	if (store_company_find(r->store, p.investor, p.investor_credit_code, &investor_id, &by_code) <
		    0 ||
	    store_begin(r->store) != 0) {
		project_release(&p);
		reply_store_error(r);
		return;
	}
	/* The check may fill companies' comparison keys: that is all it
	 * writes, and it is rolled back. */
	int rc = dupes_find(r->store, &p, p.investor, investor_id, &hits, &n);
	store_rollback(r->store);
	project_release(&p);
	if (rc != 0) {
		reply_store_error(r);
		return;
	}
	struct jw w;
	jw_init(&w, &r->body);
	jw_obj(&w);
	jw_key(&w, "duplicates");
	jw_arr(&w);
	for (int i = 0; i < n; i++) {
		const struct dup_hit *h = &hits[i];
		/* Whether a project of another region exists is said; what it is,
		 * only to those who may read it. */
		bool visible = principal_sees_project(r->who, r->rd, h->region_id, h->chain_id);
		jw_obj(&w);
		const struct region *g = refdata_region_by_id(r->rd, h->region_id);
		jw_kstr(&w, "region", g ? g->name : NULL);
		if (visible) {
			char amount[32], signed_on[11];
			money_format_yi2(h->amount_wan, amount);
			date_format(h->signed_on, signed_on);
			jw_kstr(&w, "code", h->code);
			jw_kstr(&w, "name", h->name);
			jw_kstr(&w, "investor", h->investor);
			jw_kstr(&w, "amount_yi", amount);
			jw_kstr(&w, "signed_on", signed_on);
		}
		jw_kbool(&w, "visible", visible);
		score_json(&w, h->score);
		reasons_json(&w, h->reasons);
		jw_obj_end(&w);
	}
	jw_arr_end(&w);
	jw_obj_end(&w);
	dupes_hits_free(hits, n);
	reply_json(r, 200);
}

void api_duplicates_scan(struct req *r)
{
	char now[21];
	int64_t found = 0;
	projects_utc_now(now);
	if (store_begin(r->store) != 0) {
		reply_store_error(r);
		return;
	}
	char detail[64];
	if (dupes_scan(r->store, now, &found) != 0 ||
	    (snprintf(detail, sizeof(detail), "{\"pairs\":%lld}", (long long)found),
	     audit_append(r->store, r->who, "duplicates.scan", "duplicates", "scan", NULL, detail)) !=
		    0 ||
	    store_commit(r->store) != 0) {
		store_rollback(r->store);
		reply_store_error(r);
		return;
	}
	struct jw w;
	jw_init(&w, &r->body);
	jw_obj(&w);
	jw_kint(&w, "pairs", found);
	jw_obj_end(&w);
	reply_json(r, 200);
}

/* The body's "key": an array of project codes (or one code as a string),
 * each existing and visible; ids into *ids, normalised codes into *codes.
 * 0, or -1 after replying. */
static int body_codes(struct req *r, const char *key, int min, char ***codes, int64_t **ids, int *n)
{
	json_t *v = json_object_get(r->json, key);
	json_t *one = json_is_string(v) ? v : NULL;
	*codes = NULL;
	*ids = NULL;
	*n = 0;
	if (!one && !json_is_array(v))
		return reply_error(r, 400, "invalid_field", key, "%s 应为项目编号的数组", key);
	size_t count = one ? 1 : json_array_size(v);
	if ((int)count < min || count > 50)
		return reply_error(r, 400, "invalid_field", key, "%s 应有 %d 至 50 个项目编号", key, min);
	*codes = xcalloc(count, sizeof(**codes));
	*ids = xcalloc(count, sizeof(**ids));
	for (size_t i = 0; i < count; i++) {
		json_t *c = one ? one : json_array_get(v, i);
		if (!json_is_string(c))
			return reply_error(r, 400, "invalid_field", key, "%s 应为项目编号的数组", key);
		char *code = text_normalize(json_string_value(c));
		(*codes)[(*n)++] = code;
		for (size_t k = 0; k < i; k++)
			if (strcmp((*codes)[k], code) == 0)
				return reply_error(r, 400, "invalid_field", key, "项目编号 %s 重复", code);
		struct project p;
		int got = store_project_get(r->store, code, &p);
		if (got < 0)
			return reply_store_error(r);
		if (got > 0)
			return reply_error(r, 404, "not_found", key, "没有编号为 %s 的项目", code);
		(*ids)[i] = p.id;
		project_release(&p);
	}
	return 0;
}

static void codes_free(char **codes, int64_t *ids, int n)
{
	for (int i = 0; i < n; i++)
		free(codes[i]);
	free(codes);
	free(ids);
}

void api_duplicates_distinct(struct req *r)
{
	static const char *const keys[] = {"codes", NULL};
	char **codes;
	int64_t *ids;
	int n;
	if (req_only_keys(r, keys) != 0)
		return;
	if (body_codes(r, "codes", 2, &codes, &ids, &n) != 0) {
		codes_free(codes, ids, n);
		return;
	}
	char now[21];
	projects_utc_now(now);
	int marked = 0;
	struct buf list = BUF_INIT, detail = BUF_INIT;
	for (int i = 0; i < n; i++)
		buf_addf(&list, "%s%s", i ? "," : "", codes[i]);
	if (store_begin(r->store) != 0) {
		reply_store_error(r);
		goto out;
	}
	for (int i = 0; i < n; i++)
		for (int k = i + 1; k < n; k++) {
			bool found;
			if (store_dup_pair_distinct(r->store, ids[i], ids[k], r->who->username, now,
						    &found) != 0) {
				store_rollback(r->store);
				reply_store_error(r);
				goto out;
			}
			marked += found;
		}
	if (!marked) {
		store_rollback(r->store);
		reply_error(r, 404, "not_found", "codes", "这些项目之间没有待处理的疑似重复: %s",
			    buf_cstr(&list));
		goto out;
	}
	struct jw w;
	jw_init(&w, &detail);
	jw_obj(&w);
	jw_kstr(&w, "status", "distinct");
	jw_kint(&w, "pairs", marked);
	jw_obj_end(&w);
	if (audit_append(r->store, r->who, "duplicates.distinct", "duplicates", buf_cstr(&list), NULL,
			 buf_cstr(&detail)) != 0 ||
	    store_commit(r->store) != 0) {
		store_rollback(r->store);
		reply_store_error(r);
		goto out;
	}
	jw_init(&w, &r->body);
	jw_obj(&w);
	jw_kint(&w, "pairs", marked);
	jw_obj_end(&w);
	reply_json(r, 200);
out:
	buf_release(&list);
	buf_release(&detail);
	codes_free(codes, ids, n);
}

/* Merges project code (already checked to exist) into kept. */
static int merge_one(struct req *r, const struct project *kept, const char *code, const char *now)
{
	struct project p;
	int got = store_project_get(r->store, code, &p);
	if (got != 0)
		return got < 0 ? reply_store_error(r)
			       : reply_error(r, 404, "not_found", "merge", "没有编号为 %s 的项目", code);
	refdata_project_names(r->rd, &p);
	char *snapshot = NULL, *unused = NULL;
	projects_diff(NULL, &p, &unused, &snapshot);
	char *into = xstrfmt("{\"merged_into\":\"%s\"}", kept->code);
	char *gone = xstrfmt("{\"merged\":\"%s\"}", code);
	int rc = 0;
	if (store_project_merge(r->store, kept->id, p.id, code, snapshot, r->who->username, now) != 0 ||
	    audit_append(r->store, r->who, "project.merge", "project", code, snapshot, into) != 0 ||
	    audit_append(r->store, r->who, "project.merge", "project", kept->code, NULL, gone) != 0)
		rc = reply_store_error(r);
	free(snapshot);
	free(unused);
	free(into);
	free(gone);
	project_release(&p);
	return rc;
}

void api_duplicates_merge(struct req *r)
{
	static const char *const keys[] = {"keep", "merge", NULL};
	const char *keep;
	char **codes = NULL;
	int64_t *ids = NULL;
	int n = 0;
	if (req_only_keys(r, keys) != 0 || req_body_string(r, "keep", &keep) != 0)
		return;
	if (!keep || !*keep) {
		reply_error(r, 400, "invalid_field", "keep", "缺少保留的项目编号 keep");
		return;
	}
	if (body_codes(r, "merge", 1, &codes, &ids, &n) != 0) {
		codes_free(codes, ids, n);
		return;
	}
	char *keep_code = text_normalize(keep);
	struct project kept;
	project_clear(&kept);
	char now[21];
	projects_utc_now(now);
	int got = store_project_get(r->store, keep_code, &kept);
	if (got != 0) {
		if (got < 0)
			reply_store_error(r);
		else
			reply_error(r, 404, "not_found", "keep", "没有编号为 %s 的项目", keep_code);
		goto out;
	}
	for (int i = 0; i < n; i++)
		if (ids[i] == kept.id) {
			reply_error(r, 400, "invalid_field", "merge", "项目 %s 不能合并入自己", keep_code);
			goto out;
		}
	if (store_begin(r->store) != 0) {
		reply_store_error(r);
		goto out;
	}
	for (int i = 0; i < n; i++)
		if (merge_one(r, &kept, codes[i], now) != 0) {
			store_rollback(r->store);
			goto out;
		}
	/* The kept project is compared again: the merged ones' other
	 * suspected pairs went with them. */
	refdata_project_names(r->rd, &kept);
	int64_t investor_id = 0;
	bool by_code;
	if (store_company_find(r->store, kept.investor, kept.investor_credit_code, &investor_id,
			       &by_code) < 0 ||
	    dupes_check(r->store, &kept, kept.investor, investor_id, now) != 0 ||
	    store_commit(r->store) != 0) {
		store_rollback(r->store);
		reply_store_error(r);
		goto out;
	}
	buf_reset(&r->body);
	report_project_json(r->rd, &kept, r->today, &r->body);
	reply_json(r, 200);
out:
	free(keep_code);
	project_release(&kept);
	codes_free(codes, ids, n);
}
