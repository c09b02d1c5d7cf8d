/*
 * projects: the path by which project data enters the database (see
 * projects.h).
 */
#include "projects.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit.h"
#include "domain/date.h"
#include "domain/money.h"
#include "dupes.h"
#include "refdata.h"
#include "util/buf.h"
#include "util/json.h"
#include "util/text.h"
#include "util/xalloc.h"

#define TEXT_MAX 500 /* characters in a free-text field */
#define CODE_MAX 64

struct run {
	const struct apply_ctx *c;
	int errors;
};

static void reportf(struct run *r, int col, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void reportf(struct run *r, int col, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *msg = xvstrfmt(fmt, ap);
	va_end(ap);
	r->c->report(r->c->report_ctx, col, msg);
	free(msg);
	r->errors++;
}

static void check_report(void *ctx, const char *field, const char *msg)
{
	struct run *r = ctx;
	int col = ix_find(field);
	reportf(r, col < 0 ? IX_CODE : col, "%s", msg);
}

static void set_str(char **dst, const char *v)
{
	free(*dst);
	*dst = v && *v ? xstrdup(v) : NULL;
}

/* Parses a milestone or termination cell: a date, 不适用 (when na allowed) or
 * empty. */
static void parse_date_cell(struct run *r, int col, const char *v, bool na_ok, int32_t *date,
			    bool *na)
{
	*date = DATE_NONE;
	if (na)
		*na = false;
	if (!*v)
		return;
	if (na_ok && strcmp(v, "不适用") == 0) {
		*na = true;
		return;
	}
	if (date_parse_any(v, date) != 0)
		reportf(r, col, "日期格式不正确: \"%s\" (应为 YYYY-MM-DD、YYYY/MM/DD 或 YYYY年MM月DD日%s)",
			v, na_ok ? ",或填写不适用" : "");
}

/* Sets *id and *name from the entry of list named v ("" clears them); an
 * unknown name is reported with the allowed values. */
static void set_named(struct run *r, int col, const char *v, const struct named *list, int n,
		      const char *what, int64_t *id, char **name)
{
	*id = 0;
	set_str(name, NULL);
	if (!*v)
		return;
	const struct named *e = refdata_named(list, n, v);
	if (e) {
		*id = e->id;
		set_str(name, e->name);
		return;
	}
	struct buf b = BUF_INIT;
	refdata_list_named(list, n, &b);
	reportf(r, col, "未知的%s \"%s\" (可填: %s)", what, v, buf_cstr(&b));
	buf_release(&b);
}

static void check_text(struct run *r, int col, const char *v, size_t max)
{
	if (text_length(v) > max)
		reportf(r, col, "%s 过长 (最多 %zu 个字符)", ix_columns[col].title, max);
}

/* A new or changed amount above the configured threshold, or far above the
 * investor's other projects, waits for a second person's confirmation (it
 * does not count until then); any other amount counts at once. */
static int amount_check(const struct apply_ctx *c, struct project *p)
{
	bool pending = c->rd->confirm_above_wan > 0 && p->amount_wan > c->rd->confirm_above_wan;
	if (!pending && c->rd->confirm_factor > 0) {
		int64_t others, max;
		if (store_investor_others(c->store, p->id, &others, &max) != 0)
			return -1;
		pending = others > 0 && p->amount_wan > max * c->rd->confirm_factor;
	}
	p->amount_pending = pending;
	return store_amount_flag(c->store, p->id, pending, c->who ? c->who->username : NULL);
}

/* One investor's projects not terminated: how many, and the two largest
 * amounts (the largest's project, to leave a project itself out). */
struct investor_max {
	int64_t investor_id, count, max1, max1_id, max2;
};

static int cmp_i64(const void *x, const void *y)
{
	int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
	return a < b ? -1 : a > b;
}

static int cmp_row_investor(const void *x, const void *y)
{
	const struct amount_row *a = x, *b = y;
	return a->investor_id < b->investor_id ? -1 : a->investor_id > b->investor_id;
}

/* bsearch() comparators: an id against an investor's entry or a row. */
static int cmp_investor_key(const void *key, const void *x)
{
	int64_t k = *(const int64_t *)key, id = ((const struct investor_max *)x)->investor_id;
	return k < id ? -1 : k > id;
}

static int cmp_row_key(const void *key, const void *x)
{
	int64_t k = *(const int64_t *)key, id = ((const struct amount_row *)x)->id;
	return k < id ? -1 : k > id;
}

int projects_amounts_check(struct store *s, const struct refdata *rd, struct project_ids *ids,
			   const char *who)
{
	if (ids->n == 0)
		return 0;
	struct amount_row *rows;
	size_t nrows;
	if (store_amount_rows(s, &rows, &nrows) != 0)
		return -1;
	qsort(ids->id, ids->n, sizeof(*ids->id), cmp_i64);
	struct investor_max *inv = NULL;
	size_t ninv = 0;
	if (rd->confirm_factor > 0 && nrows > 0) {
		struct amount_row *by = xmalloc(nrows * sizeof(*by));
		memcpy(by, rows, nrows * sizeof(*by));
		qsort(by, nrows, sizeof(*by), cmp_row_investor);
		inv = xmalloc(nrows * sizeof(*inv));
		for (size_t i = 0; i < nrows; i++) {
			struct investor_max *m;
			if (ninv == 0 || inv[ninv - 1].investor_id != by[i].investor_id) {
				m = &inv[ninv++];
				*m = (struct investor_max){.investor_id = by[i].investor_id,
							   .max1 = by[i].amount_wan, .max1_id = by[i].id};
			} else {
				m = &inv[ninv - 1];
				if (by[i].amount_wan > m->max1) {
					m->max2 = m->max1;
					m->max1 = by[i].amount_wan;
					m->max1_id = by[i].id;
				} else if (by[i].amount_wan > m->max2) {
					m->max2 = by[i].amount_wan;
				}
			}
			m->count++;
		}
		free(by);
	}
	/* The ids to flag waiting and those to clear, each set in a few
	 * statements. */
	struct project_ids set[2] = {{0}};
	for (size_t i = 0; i < ids->n; i++) {
		if (i > 0 && ids->id[i] == ids->id[i - 1])
			continue;
		const struct amount_row *r =
			nrows ? bsearch(&ids->id[i], rows, nrows, sizeof(*rows), cmp_row_key) : NULL;
		if (!r)
			continue; /* terminated: counts nowhere anyway */
		bool pending = rd->confirm_above_wan > 0 && r->amount_wan > rd->confirm_above_wan;
		const struct investor_max *m =
			inv ? bsearch(&r->investor_id, inv, ninv, sizeof(*inv), cmp_investor_key) : NULL;
		if (!pending && m && m->count > 1) {
			int64_t max = m->max1_id == r->id ? m->max2 : m->max1;
			pending = r->amount_wan > max * rd->confirm_factor;
		}
		if (pending || r->pending) {
			ARRAY_GROW(set[pending].id, set[pending].n, set[pending].cap);
			set[pending].id[set[pending].n++] = r->id;
		}
	}
	int rc = 0;
	for (int k = 0; k < 2; k++) {
		if (rc == 0 && set[k].n)
			rc = store_amount_flags(s, set[k].id, set[k].n, k, who);
		free(set[k].id);
	}
	free(inv);
	free(rows);
	return rc;
}

enum apply_result projects_apply(const struct apply_ctx *c, enum apply_mode mode,
				 const struct project_input *in, struct project *out)
{
	struct run r = {c, 0};
	struct project p, old;
	char *v[IX__COUNT] = {0};
	enum apply_result res = APPLY_INVALID;
	bool exists = false;
	int64_t investor_id = 0;
	project_clear(&p);
	project_clear(&old);

	for (int i = 0; i < IX__COUNT; i++)
		if (in->val[i])
			v[i] = text_normalize(in->val[i]);

	if (!v[IX_CODE] || !*v[IX_CODE]) {
		reportf(&r, IX_CODE, "缺少项目编号");
		goto out;
	}
	if (text_length(v[IX_CODE]) > CODE_MAX) {
		reportf(&r, IX_CODE, "项目编号过长 (最多 %d 个字符)", CODE_MAX);
		goto out;
	}
	int got = c->absent ? 1 : store_project_get(c->store, v[IX_CODE], &old);
	if (got < 0) {
		res = APPLY_ERROR;
		goto out;
	}
	exists = got == 0;
	if (exists && mode == APPLY_CREATE) {
		res = APPLY_CONFLICT;
		goto out;
	}
	if (!exists && mode == APPLY_UPDATE) {
		res = APPLY_NOT_FOUND;
		goto out;
	}
	if (exists)
		project_copy(&p, &old);

	/* Required columns: present and non-empty on create; never cleared. */
	for (int i = 0; i < IX__COUNT; i++) {
		if (!ix_columns[i].required)
			continue;
		if (v[i] ? !*v[i] : !exists)
			reportf(&r, i, "缺少必填项: %s", ix_columns[i].title);
	}

#define GIVEN(col) (v[col] != NULL)
	set_str(&p.code, v[IX_CODE]);
	if (GIVEN(IX_NAME)) {
		check_text(&r, IX_NAME, v[IX_NAME], TEXT_MAX);
		set_str(&p.name, v[IX_NAME]);
	}
	if (GIVEN(IX_INVESTOR)) {
		check_text(&r, IX_INVESTOR, v[IX_INVESTOR], TEXT_MAX);
		set_str(&p.investor, v[IX_INVESTOR]);
	}
	if (GIVEN(IX_INVESTOR_CREDIT_CODE)) {
		const char *cc = v[IX_INVESTOR_CREDIT_CODE];
		if (*cc && !ix_credit_code_valid(cc))
			reportf(&r, IX_INVESTOR_CREDIT_CODE,
				"统一社会信用代码 \"%s\" 无效 (应为18位,校验位符合 GB 32100)", cc);
		set_str(&p.investor_credit_code, cc);
	}
	if (GIVEN(IX_INVESTOR_PROVINCE) && *v[IX_INVESTOR_PROVINCE]) {
		const char *prov = ix_province(v[IX_INVESTOR_PROVINCE]);
		if (!prov)
			reportf(&r, IX_INVESTOR_PROVINCE, "未知的省份 \"%s\" (可填: %s)",
				v[IX_INVESTOR_PROVINCE], ix_province_hint);
		set_str(&p.investor_province, prov);
	}
	if (GIVEN(IX_INVESTOR_CITY)) {
		check_text(&r, IX_INVESTOR_CITY, v[IX_INVESTOR_CITY], 64);
		set_str(&p.investor_city, v[IX_INVESTOR_CITY]);
	}
	if (GIVEN(IX_REGION) && *v[IX_REGION]) {
		const struct region *reg = refdata_region(c->rd, v[IX_REGION]);
		if (!reg || (strcmp(reg->level, "county") != 0 && strcmp(reg->level, "sub") != 0)) {
			struct buf b = BUF_INIT;
			refdata_list_regions(c->rd, &b);
			reportf(&r, IX_REGION, "未知的落地县市区 \"%s\" (可填: %s)", v[IX_REGION],
				buf_cstr(&b));
			buf_release(&b);
		} else {
			p.region_id = reg->id;
			p.county_id = reg->county_id;
			set_str(&p.region, reg->name);
		}
	}
	if (GIVEN(IX_CHAIN))
		set_named(&r, IX_CHAIN, v[IX_CHAIN], c->rd->chains, c->rd->nchains, "产业链",
			  &p.chain_id, &p.chain);
	if (GIVEN(IX_AMOUNT_YI) && *v[IX_AMOUNT_YI]) {
		if (money_parse_yi(v[IX_AMOUNT_YI], &p.amount_wan) != 0)
			reportf(&r, IX_AMOUNT_YI,
				"合同投资额 \"%s\" 不正确 (以亿元为单位的非负数,最多4位小数,如 12.5)",
				v[IX_AMOUNT_YI]);
	}
	if (GIVEN(IX_CHANNEL))
		set_named(&r, IX_CHANNEL, v[IX_CHANNEL], c->rd->channels, c->rd->nchannels,
			  "招商方式", &p.channel_id, &p.channel);
	if (GIVEN(IX_EVENT)) {
		check_text(&r, IX_EVENT, v[IX_EVENT], 200);
		set_str(&p.event, v[IX_EVENT]);
		p.event_id = 0;
	}
	if (GIVEN(IX_FOREIGN_ORIENTED) &&
	    ix_parse_flag(v[IX_FOREIGN_ORIENTED], &p.foreign_oriented) != 0)
		reportf(&r, IX_FOREIGN_ORIENTED, "外向型应填 是/否 (\"%s\" 无法识别)",
			v[IX_FOREIGN_ORIENTED]);
	if (GIVEN(IX_MAJOR) && ix_parse_flag(v[IX_MAJOR], &p.major) != 0)
		reportf(&r, IX_MAJOR, "重大项目应填 是/否 (\"%s\" 无法识别)", v[IX_MAJOR]);
	if (GIVEN(IX_RESPONSIBLE)) {
		check_text(&r, IX_RESPONSIBLE, v[IX_RESPONSIBLE], 64);
		set_str(&p.responsible, v[IX_RESPONSIBLE]);
	}
	static const int ms_col[MS__COUNT] = {IX_SIGNED_ON, IX_REGISTERED_ON, IX_STARTED_ON,
					      IX_INCLUDED_ON, IX_PRODUCING_ON};
	for (int m = 0; m < MS__COUNT; m++)
		if (GIVEN(ms_col[m]))
			parse_date_cell(&r, ms_col[m], v[ms_col[m]], true, &p.ms[m], &p.na[m]);
	if (GIVEN(IX_TERMINATED_ON))
		parse_date_cell(&r, IX_TERMINATED_ON, v[IX_TERMINATED_ON], false, &p.terminated_on,
				NULL);
	if (GIVEN(IX_TERMINATED_REASON)) {
		check_text(&r, IX_TERMINATED_REASON, v[IX_TERMINATED_REASON], TEXT_MAX);
		set_str(&p.terminated_reason, v[IX_TERMINATED_REASON]);
	}
	if (GIVEN(IX_NA_REASON)) {
		check_text(&r, IX_NA_REASON, v[IX_NA_REASON], TEXT_MAX);
		set_str(&p.na_reason, v[IX_NA_REASON]);
	}
#undef GIVEN
	if (r.errors)
		goto out;
	project_check(&p, c->today, check_report, &r);
	if (r.errors)
		goto out;

	/* Outside the acting user's region subtree: neither the record as it
	 * was nor as it would be. */
	if (c->who && ((exists && !principal_sees_region(c->who, c->rd, old.region_id)) ||
		       !principal_sees_region(c->who, c->rd, p.region_id))) {
		reportf(&r, IX_REGION, "无权%s其他区域的项目 (只能操作本辖区的项目)",
			exists ? "修改" : "新建");
		res = APPLY_FORBIDDEN;
		goto out;
	}
	/* Unchanged? Then nothing is written (re-importing an export is a no-op). */
	refdata_project_names(c->rd, &p);
	if (exists)
		refdata_project_names(c->rd, &old);
	char *old_json = NULL, *new_json = NULL;
	int changed = projects_diff(exists ? &old : NULL, &p, &old_json, &new_json);
	if (exists && changed == 0) {
		free(old_json);
		free(new_json);
		res = APPLY_UNCHANGED;
		goto done;
	}
	if (c->dry_run) {
		free(old_json);
		free(new_json);
		res = exists ? APPLY_UPDATED : APPLY_CREATED;
		goto done;
	}
	const char *action = c->audit_action ? c->audit_action
					     : exists ? "project.update" : "project.create";
	if ((p.event && store_event_ensure(c->store, p.event, NULL, NULL, NULL, &p.event_id,
					   NULL) != 0) ||
	    store_company_ensure(c->store, p.investor, p.investor_credit_code, p.investor_province,
				 p.investor_city, &investor_id, NULL) != 0 ||
	    store_project_save(c->store, &p, investor_id, c->rd->rules, c->rd->nrules, c->now) != 0 ||
	    (c->who && audit_append(c->store, c->who, action, "project", p.code, old_json,
				    new_json) != 0) ||
	    (!c->defer_duplicates &&
	     dupes_check(c->store, &p, p.investor, investor_id, c->now) != 0) ||
	    (!c->defer_amounts && (!exists || old.amount_wan != p.amount_wan) &&
	     amount_check(c, &p) != 0)) {
		free(old_json);
		free(new_json);
		res = APPLY_ERROR;
		goto out;
	}
	if (c->defer_amounts && c->deferred && (!exists || old.amount_wan != p.amount_wan)) {
		ARRAY_GROW(c->deferred->id, c->deferred->n, c->deferred->cap);
		c->deferred->id[c->deferred->n++] = p.id;
	}
	free(old_json);
	free(new_json);
	res = exists ? APPLY_UPDATED : APPLY_CREATED;
done:
	if (out) {
		*out = p;
		project_clear(&p);
	}
out:
	for (int i = 0; i < IX__COUNT; i++)
		free(v[i]);
	project_release(&p);
	project_release(&old);
	return res;
}

int projects_diff(const struct project *a, const struct project *b, char **old_json,
		  char **new_json)
{
	char *ca[IX__COUNT] = {0}, *cb[IX__COUNT];
	if (a)
		projects_cells(a, ca);
	projects_cells(b, cb);
	struct buf ob = BUF_INIT, nb = BUF_INIT;
	struct jw ow, nw;
	jw_init(&ow, &ob);
	jw_init(&nw, &nb);
	jw_obj(&ow);
	jw_obj(&nw);
	int n = 0;
	for (int i = 0; i < IX__COUNT; i++) {
		const char *x = a ? ca[i] : "";
		if (strcmp(x, cb[i]) == 0)
			continue;
		n++;
		if (a)
			jw_kstr_v(&ow, ix_columns[i].key, x);
		jw_kstr_v(&nw, ix_columns[i].key, cb[i]);
	}
	jw_obj_end(&ow);
	jw_obj_end(&nw);
	if (a)
		projects_cells_free(ca);
	projects_cells_free(cb);
	*old_json = a ? buf_detach(&ob) : NULL;
	*new_json = buf_detach(&nb);
	buf_release(&ob);
	return n;
}

static char *date_cell(int32_t d, bool na)
{
	if (na)
		return xstrdup("不适用");
	if (d == DATE_NONE)
		return xstrdup("");
	char t[11];
	date_format(d, t);
	return xstrdup(t);
}

static char *dup_or_empty(const char *s)
{
	return xstrdup(s ? s : "");
}

void projects_cells(const struct project *p, char *cells[IX__COUNT])
{
	char amount[32];
	money_format_yi(p->amount_wan, amount);
	cells[IX_CODE] = dup_or_empty(p->code);
	cells[IX_NAME] = dup_or_empty(p->name);
	cells[IX_INVESTOR] = dup_or_empty(p->investor);
	cells[IX_INVESTOR_CREDIT_CODE] = dup_or_empty(p->investor_credit_code);
	cells[IX_INVESTOR_PROVINCE] = dup_or_empty(p->investor_province);
	cells[IX_INVESTOR_CITY] = dup_or_empty(p->investor_city);
	cells[IX_REGION] = dup_or_empty(p->region);
	cells[IX_CHAIN] = dup_or_empty(p->chain);
	cells[IX_AMOUNT_YI] = xstrdup(amount);
	cells[IX_CHANNEL] = dup_or_empty(p->channel);
	cells[IX_EVENT] = dup_or_empty(p->event);
	cells[IX_FOREIGN_ORIENTED] = xstrdup(p->foreign_oriented ? "是" : "否");
	cells[IX_MAJOR] = xstrdup(p->major ? "是" : "否");
	cells[IX_RESPONSIBLE] = dup_or_empty(p->responsible);
	cells[IX_SIGNED_ON] = date_cell(p->ms[MS_SIGNED], false);
	cells[IX_REGISTERED_ON] = date_cell(p->ms[MS_REGISTERED], p->na[MS_REGISTERED]);
	cells[IX_STARTED_ON] = date_cell(p->ms[MS_STARTED], p->na[MS_STARTED]);
	cells[IX_INCLUDED_ON] = date_cell(p->ms[MS_INCLUDED], p->na[MS_INCLUDED]);
	cells[IX_PRODUCING_ON] = date_cell(p->ms[MS_PRODUCING], p->na[MS_PRODUCING]);
	cells[IX_TERMINATED_ON] = date_cell(p->terminated_on, false);
	cells[IX_TERMINATED_REASON] = dup_or_empty(p->terminated_reason);
	cells[IX_NA_REASON] = dup_or_empty(p->na_reason);
}

void projects_cells_free(char *cells[IX__COUNT])
{
	for (int i = 0; i < IX__COUNT; i++) {
		free(cells[i]);
		cells[i] = NULL;
	}
}

void projects_utc_now(char out[21])
{
	/* ZHAOSHANG_NOW replaces the clock for timestamps too, so that records
	 * made "today" are not stamped in another year. */
	int64_t t;
	if (date_now_epoch(&t, NULL) != 0)
		t = (int64_t)time(NULL);
	date_format_utc(t, out);
}
