/*
 * api_verify: the verification gate. A milestone is reported by its region
 * (the milestone routes of api_projects.c); the city bureau verifies it
 * against evidence: 注册 with the new company's unified social credit code
 * (its check character valid) and its business licence; 开工 with a
 * construction permit or dated photos; 入库 with the statistics department's
 * confirmation and the project's national investment project code
 * (GB/T 40058-2021, its structure checked); 投产 with any evidence. A
 * verification holds for the milestone's date: a changed date is reported
 * again. With `figures.verified_basis` set, the figures count only verified
 * milestones ("basis":"verified").
 */
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "domain/date.h"
#include "domain/interchange.h"
#include "evidence.h"
#include "http/http.h"
#include "refdata.h"
#include "report.h"
#include "util/json.h"
#include "util/text.h"
#include "util/xalloc.h"

/* The evidence kinds that can support each milestone's verification. */
static bool kind_fits(int m, const char *kind)
{
	switch (m) {
	case MS_REGISTERED: return strcmp(kind, "licence") == 0;
	case MS_STARTED: return strcmp(kind, "permit") == 0 || strcmp(kind, "photo") == 0;
	case MS_INCLUDED: return strcmp(kind, "statistics") == 0;
	default: return true;
	}
}

static const char *kinds_wanted(int m)
{
	switch (m) {
	case MS_REGISTERED: return "营业执照 (licence)";
	case MS_STARTED: return "施工许可证 (permit) 或带日期的现场照片 (photo)";
	case MS_INCLUDED: return "统计部门的入库确认 (statistics)";
	default: return "任一证据文件";
	}
}

struct ev_find {
	int milestone;
	int64_t want; /* 0: any fitting file */
	int64_t found;
	bool other_milestone; /* want names a file of another milestone or kind */
};

static int ev_row(void *ctx, const struct evidence *e)
{
	struct ev_find *f = ctx;
	bool fits = strcmp(e->milestone, milestone_key((enum milestone)f->milestone)) == 0 &&
		    kind_fits(f->milestone, e->kind);
	if (f->want && e->id == f->want) {
		if (fits)
			f->found = e->id;
		else
			f->other_milestone = true;
	} else if (!f->want && fits && !f->found) {
		f->found = e->id;
	}
	return 0;
}

/* The milestone of the path, one that can be verified; -1 after replying. */
static int path_milestone(struct req *r)
{
	int m = milestone_find(r->params[1]);
	if (m <= MS_SIGNED) {
		reply_error(r, 404, "not_found", "milestone",
			    "没有可核验的节点 %s (可用: registered、started、included、producing)",
			    r->params[1]);
		return -1;
	}
	return m;
}

static void reply_saved(struct req *r, const char *code)
{
	struct project p;
	if (store_project_get(r->store, code, &p) != 0) {
		reply_store_error(r);
		return;
	}
	refdata_project_names(r->rd, &p);
	buf_reset(&r->body);
	report_project_json(r->rd, &p, r->today, &r->body);
	project_release(&p);
	reply_json(r, 200);
}

void api_verify_put(struct req *r)
{
	static const char *const allowed[] = {"reference", "evidence_id", "note", NULL};
	const char *reference, *note;
	struct project p;
	int m = path_milestone(r);
	if (m < 0 || req_only_keys(r, allowed) != 0 || req_body_string(r, "reference", &reference) != 0 ||
	    req_body_string(r, "note", &note) != 0)
		return;
	json_t *ev = json_object_get(r->json, "evidence_id");
	if (ev && !json_is_null(ev) && !json_is_integer(ev)) {
		reply_error(r, 400, "invalid_field", "evidence_id", "evidence_id 应为证据文件的编号");
		return;
	}
	if (api_visible_project(r, r->params[0], &p) != 0)
		return;
	char *ref = reference ? text_normalize(reference) : NULL;
	char when[11];
	if (p.na[m] || p.ms[m] == DATE_NONE) {
		reply_error(r, 409, "not_reached", "milestone", "项目 %s 的%s节点尚未上报%s,不能核验", p.code,
			    milestone_name((enum milestone)m), p.na[m] ? " (不适用)" : "");
		goto out;
	}
	if (m == MS_REGISTERED && (!ref || !ix_credit_code_valid(ref))) {
		reply_error(r, 400, "invalid_field", "reference",
			    "注册核验需填新设项目公司的统一社会信用代码 (18位,校验位符合 GB 32100)%s%s",
			    ref && *ref ? ": " : "", ref && *ref ? ref : "");
		goto out;
	}
	if (m == MS_INCLUDED && (!ref || !ix_project_code_valid(ref))) {
		reply_error(r, 400, "invalid_field", "reference",
			    "入库核验需填项目代码 (24位,如 2023-420600-36-03-012345,GB/T 40058-2021)%s%s",
			    ref && *ref ? ": " : "", ref && *ref ? ref : "");
		goto out;
	}
	struct ev_find f = {m, ev && json_is_integer(ev) ? json_integer_value(ev) : 0, 0, false};
	if (store_evidence_list(r->store, p.id, ev_row, &f) != 0) {
		reply_store_error(r);
		goto out;
	}
	if (!f.found) {
		if (f.want)
			reply_error(r, 400, "invalid_field", "evidence_id",
				    "证据文件 %lld 不是本项目%s节点的%s", (long long)f.want,
				    milestone_name((enum milestone)m), kinds_wanted(m));
		else
			reply_error(r, 409, "evidence_missing", "evidence_id",
				    "核验%s需先上传%s", milestone_name((enum milestone)m), kinds_wanted(m));
		goto out;
	}
	char now[21];
	projects_utc_now(now);
	date_format(p.ms[m], when);
	struct buf detail = BUF_INIT;
	struct jw w;
	jw_init(&w, &detail);
	jw_obj(&w);
	jw_kstr(&w, "milestone", milestone_key((enum milestone)m));
	jw_kstr(&w, "date", when);
	jw_kstr(&w, "reference", ref && *ref ? ref : NULL);
	jw_kint(&w, "evidence_id", f.found);
	jw_kstr(&w, "note", note);
	jw_obj_end(&w);
	if (store_begin(r->store) != 0 ||
	    store_verify(r->store, p.id, m, p.ms[m], ref, f.found, note, r->who->username, now) != 0 ||
	    audit_append(r->store, r->who, "milestone.verify", "project", p.code, NULL,
			 buf_cstr(&detail)) != 0 ||
	    store_commit(r->store) != 0) {
		store_rollback(r->store);
		buf_release(&detail);
		reply_store_error(r);
		goto out;
	}
	buf_release(&detail);
	reply_saved(r, p.code);
out:
	free(ref);
	project_release(&p);
}

void api_verify_delete(struct req *r)
{
	struct project p;
	int m = path_milestone(r);
	if (m < 0 || api_visible_project(r, r->params[0], &p) != 0)
		return;
	if (!(p.verified_mask & (1u << m))) {
		reply_error(r, 404, "not_found", "milestone", "项目 %s 的%s节点没有核验", p.code,
			    milestone_name((enum milestone)m));
		project_release(&p);
		return;
	}
	char now[21], detail[64];
	projects_utc_now(now);
	snprintf(detail, sizeof(detail), "{\"milestone\":\"%s\"}", milestone_key((enum milestone)m));
	if (store_begin(r->store) != 0 || store_unverify(r->store, p.id, m, r->who->username, now) != 0 ||
	    audit_append(r->store, r->who, "milestone.unverify", "project", p.code, detail, NULL) != 0 ||
	    store_commit(r->store) != 0) {
		store_rollback(r->store);
		reply_store_error(r);
	} else {
		reply_saved(r, p.code);
	}
	project_release(&p);
}

static int verification_row(void *ctx, const char *const *v, int n)
{
	(void)n;
	struct jw *w = ctx;
	jw_obj(w);
	jw_kint(w, "id", strtoll(v[9], NULL, 10));
	jw_kstr(w, "milestone", v[0]);
	jw_kstr(w, "date", v[1]);
	jw_kstr(w, "reference", v[2]);
	jw_key(w, "evidence_id");
	if (v[3])
		jw_int(w, strtoll(v[3], NULL, 10));
	else
		jw_null(w);
	jw_kstr(w, "note", v[4]);
	jw_kstr(w, "verified_by", v[5]);
	jw_kstr(w, "verified_at", v[6]);
	jw_kstr(w, "withdrawn_by", v[7]);
	jw_kstr(w, "withdrawn_at", v[8]);
	jw_obj_end(w);
	return 0;
}

void api_verifications_list(struct req *r)
{
	struct project p;
	if (api_visible_project(r, r->params[0], &p) != 0)
		return;
	struct jw w;
	jw_init(&w, &r->body);
	jw_arr(&w);
	int rc = store_verifications(r->store, p.id, verification_row, &w);
	jw_arr_end(&w);
	project_release(&p);
	if (rc != 0) {
		buf_reset(&r->body);
		reply_store_error(r);
		return;
	}
	reply_json(r, 200);
}
