/*
 * report: headline figures, warnings and the project object (see report.h).
 */
#include "report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/date.h"
#include "domain/money.h"
#include "refdata.h"
#include "util/json.h"
#include "util/text.h"
#include "util/xalloc.h"

int report_headline_check(int year, int32_t as_of, struct buf *err)
{
	if (year < 1900 || year > 9999) {
		buf_addf(err, "年份 %d 不正确", year);
		return -1;
	}
	if (as_of < date_from_ymd(year, 1, 1)) {
		char d[11];
		date_format(as_of, d);
		buf_addf(err, "截止日期 %s 早于 %d 年 1 月 1 日", d, year);
		return -1;
	}
	return 0;
}

static void amount_pair(struct jw *w, int64_t wan)
{
	char yi[32];
	money_format_yi2(wan, yi);
	jw_kstr(w, "amount_yi", yi);
	jw_kint(w, "amount_wan", wan);
}

/* The fields of one 亿元以上省外 figure: count, amount, started, rate. */
static void figures_json(struct jw *w, int64_t count, int64_t amount_wan, int64_t started)
{
	char rate[16];
	jw_kint(w, "count", count);
	amount_pair(w, amount_wan);
	jw_kint(w, "started", started);
	jw_kstr(w, "conversion_rate", rate_format(started, count, rate) == 0 ? rate : NULL);
}

/* Pads s with spaces to width display columns (CJK characters count 2). */
static void pad(struct buf *b, const char *s, int width)
{
	int cols = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if ((*p & 0xc0) != 0x80)
			cols += *p >= 0xe0 ? 2 : 1;
	buf_adds(b, s);
	for (; cols < width; cols++)
		buf_addc(b, ' ');
}

int report_headline(struct store *s, const struct refdata *rd, int year, int32_t as_of, bool json,
		    struct buf *out)
{
	char from[11], to[11], asof[11];
	int32_t end = date_from_ymd(year, 12, 31);
	date_format(date_from_ymd(year, 1, 1), from);
	date_format(as_of < end ? as_of : end, to);
	date_format(as_of, asof);
	struct headline_input in = {from, to, asof, rd->home_province, rd->verified_basis};
	struct headline_result r;
	if (store_headline(s, &in, &r) != 0)
		return -1;

	int64_t count = 0, amount = 0, started = 0;
	for (int i = 0; i < r.ncounty; i++) {
		count += r.by_county[i].count;
		amount += r.by_county[i].amount_wan;
		started += r.by_county[i].started;
	}
	char rate[16], yi[32];
	bool has_rate = rate_format(started, count, rate) == 0;

	if (json) {
		struct jw w;
		jw_init(&w, out);
		jw_obj(&w);
		jw_kint(&w, "year", year);
		jw_kstr(&w, "as_of", asof);
		jw_key(&w, "period");
		jw_obj(&w);
		jw_kstr(&w, "from", from);
		jw_kstr(&w, "to", to);
		jw_obj_end(&w);
		jw_kstr(&w, "basis", rd->verified_basis ? "verified" : "reported");
		jw_key(&w, "out_of_province_100m");
		jw_obj(&w);
		figures_json(&w, count, amount, started);
		jw_obj_end(&w);
		jw_key(&w, "event_signed");
		jw_obj(&w);
		jw_kint(&w, "count", r.event_count);
		amount_pair(&w, r.event_amount_wan);
		jw_obj_end(&w);
		jw_key(&w, "foreign_oriented_100m");
		jw_obj(&w);
		jw_kint(&w, "count", r.foreign_count);
		jw_obj_end(&w);
		jw_key(&w, "by_region");
		jw_arr(&w);
	} else {
		buf_addf(out, "%d 年招商引资主要指标 (截至 %s, 统计区间 %s 至 %s)\n\n", year, asof, from,
			 to);
		money_format_yi2(amount, yi);
		buf_addf(out, "亿元以上省外投资项目  %lld 个, 合同投资额 %s 亿元, 已开工 %lld 个, 落地转化率 %s%%\n",
			 (long long)count, yi, (long long)started, has_rate ? rate : "-");
		money_format_yi2(r.event_amount_wan, yi);
		buf_addf(out, "平台活动签约          %lld 个, 合同投资额 %s 亿元\n", (long long)r.event_count,
			 yi);
		buf_addf(out, "亿元以上外向型项目    %lld 个\n\n", (long long)r.foreign_count);
		pad(out, "县市区", 20);
		pad(out, "项目数", 10);
		pad(out, "合同投资额(亿元)", 20);
		buf_adds(out, "已开工\n");
	}
	bool first = true;
	for (int i = 0; i < rd->nregions; i++) {
		const struct region *reg = &rd->regions[i];
		if (strcmp(reg->level, "county") != 0)
			continue;
		struct headline_row zero = {reg->id, 0, 0, 0}, *row = &zero;
		for (int k = 0; k < r.ncounty; k++)
			if (r.by_county[k].county_id == reg->id)
				row = &r.by_county[k];
		money_format_yi2(row->amount_wan, yi);
		if (json) {
			if (!first)
				buf_addc(out, ',');
			first = false;
			struct jw w;
			jw_init(&w, out);
			jw_obj(&w);
			jw_kstr(&w, "region", reg->name);
			jw_kint(&w, "region_id", reg->id);
			figures_json(&w, row->count, row->amount_wan, row->started);
			jw_obj_end(&w);
		} else {
			char n[32];
			pad(out, reg->name, 20);
			snprintf(n, sizeof(n), "%lld", (long long)row->count);
			pad(out, n, 10);
			pad(out, yi, 20);
			buf_addf(out, "%lld\n", (long long)row->started);
		}
	}
	if (json)
		buf_adds(out, "]}");
	headline_result_release(&r);
	return 0;
}

static const char *const bd_names[] = {"region", "chain", "channel", "event", "month", "province"};
const char report_breakdown_names[] = "region、chain、channel、event、month、province";

int report_breakdown_find(const char *name)
{
	for (int i = 0; i < (int)(sizeof(bd_names) / sizeof(bd_names[0])); i++)
		if (strcmp(bd_names[i], name) == 0)
			return i;
	return -1;
}

struct bd_out {
	const char *key;
	int64_t count, amount_wan, started;
};

static int bd_cmp(const void *a, const void *b)
{
	const struct bd_out *x = a, *y = b;
	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	if (x->amount_wan != y->amount_wan)
		return x->amount_wan > y->amount_wan ? -1 : 1;
	return strcmp(x->key, y->key);
}

/* Adds the figures of the store rows whose id (or key) matches to o. */
static void bd_take(struct bd_out *o, const struct breakdown_row *rows, int n, int64_t id)
{
	for (int i = 0; i < n; i++)
		if (rows[i].id == id && !rows[i].key) {
			o->count += rows[i].count;
			o->amount_wan += rows[i].amount_wan;
			o->started += rows[i].started;
		}
}

int report_breakdown(struct store *s, const struct refdata *rd, int by, int year, int32_t as_of,
		     bool json, struct buf *out)
{
	char from[11], to[11], asof[11], yi[32];
	int32_t end = date_from_ymd(year, 12, 31), last = as_of < end ? as_of : end;
	date_format(date_from_ymd(year, 1, 1), from);
	date_format(last, to);
	date_format(as_of, asof);
	struct headline_input in = {from, to, asof, rd->home_province, rd->verified_basis};
	struct breakdown_row *rows = NULL;
	int nrows = 0, nout = 0;
	struct bd_out *o = NULL;
	char (*months)[24] = NULL;

	if (by == 0) {
		struct headline_result h;
		if (store_headline(s, &in, &h) != 0)
			return -1;
		o = xcalloc((size_t)rd->nregions + 1, sizeof(*o));
		for (int i = 0; i < rd->nregions; i++) {
			if (strcmp(rd->regions[i].level, "county") != 0)
				continue;
			struct bd_out *x = &o[nout++];
			x->key = rd->regions[i].name;
			for (int k = 0; k < h.ncounty; k++)
				if (h.by_county[k].county_id == rd->regions[i].id) {
					x->count = h.by_county[k].count;
					x->amount_wan = h.by_county[k].amount_wan;
					x->started = h.by_county[k].started;
				}
		}
		headline_result_release(&h);
	} else {
		static const enum breakdown dims[] = {0, BD_CHAIN, BD_CHANNEL, BD_EVENT, BD_MONTH,
						      BD_PROVINCE};
		if (store_breakdown(s, dims[by], &in, &rows, &nrows) != 0)
			return -1;
		o = xcalloc((size_t)nrows + 64, sizeof(*o));
		if (dims[by] == BD_CHAIN || dims[by] == BD_CHANNEL) {
			const struct named *n = dims[by] == BD_CHAIN ? rd->chains : rd->channels;
			int count = dims[by] == BD_CHAIN ? rd->nchains : rd->nchannels;
			o = xrealloc(o, (size_t)(count + 1) * sizeof(*o));
			memset(o, 0, (size_t)(count + 1) * sizeof(*o));
			for (int i = 0; i < count; i++) {
				o[nout].key = n[i].name;
				bd_take(&o[nout++], rows, nrows, n[i].id);
			}
			struct bd_out none = {"未填", 0, 0, 0};
			bd_take(&none, rows, nrows, 0);
			if (none.count)
				o[nout++] = none;
		} else if (dims[by] == BD_MONTH) {
			int y, m1, d, m2;
			date_to_ymd(last, &y, &m2, &d);
			months = xcalloc(12, sizeof(*months));
			for (m1 = 1; m1 <= m2; m1++) {
				struct bd_out *x = &o[nout];
				snprintf(months[nout], sizeof(months[0]), "%04d-%02d", year, m1);
				x->key = months[nout++];
				for (int i = 0; i < nrows; i++)
					if (rows[i].key && strcmp(rows[i].key, x->key) == 0) {
						x->count = rows[i].count;
						x->amount_wan = rows[i].amount_wan;
						x->started = rows[i].started;
					}
			}
		} else {
			/* Projects not signed at an event come last, as one row. */
			struct bd_out none = {"非活动签约", 0, 0, 0};
			for (int i = 0; i < nrows; i++) {
				struct bd_out *x = rows[i].key ? &o[nout++] : &none;
				x->key = rows[i].key ? rows[i].key : none.key;
				x->count = rows[i].count;
				x->amount_wan = rows[i].amount_wan;
				x->started = rows[i].started;
			}
			qsort(o, (size_t)nout, sizeof(*o), bd_cmp);
			if (none.count)
				o[nout++] = none;
		}
	}

	struct bd_out total = {"合计", 0, 0, 0};
	for (int i = 0; i < nout; i++) {
		total.count += o[i].count;
		total.amount_wan += o[i].amount_wan;
		total.started += o[i].started;
	}
	if (json) {
		struct jw w;
		jw_init(&w, out);
		jw_obj(&w);
		jw_kint(&w, "year", year);
		jw_kstr(&w, "as_of", asof);
		jw_kstr(&w, "by", bd_names[by]);
		jw_kstr(&w, "indicator", "out_of_province_100m");
		jw_kstr(&w, "basis", rd->verified_basis ? "verified" : "reported");
		jw_key(&w, "rows");
		jw_arr(&w);
		for (int i = 0; i <= nout; i++) {
			const struct bd_out *x = i < nout ? &o[i] : &total;
			if (i == nout) {
				jw_arr_end(&w);
				jw_key(&w, "total");
			}
			jw_obj(&w);
			if (i < nout)
				jw_kstr(&w, "key", x->key);
			figures_json(&w, x->count, x->amount_wan, x->started);
			jw_obj_end(&w);
		}
		jw_obj_end(&w);
	} else {
		buf_addf(out, "%d 年亿元以上省外投资项目,按 %s 分解 (截至 %s)\n\n", year, bd_names[by], asof);
		pad(out, "", 28);
		pad(out, "项目数", 10);
		pad(out, "合同投资额(亿元)", 20);
		buf_adds(out, "已开工\n");
		for (int i = 0; i <= nout; i++) {
			const struct bd_out *x = i < nout ? &o[i] : &total;
			char n[32];
			money_format_yi2(x->amount_wan, yi);
			pad(out, x->key, 28);
			snprintf(n, sizeof(n), "%lld", (long long)x->count);
			pad(out, n, 10);
			pad(out, yi, 20);
			buf_addf(out, "%lld\n", (long long)x->started);
		}
	}
	free(o);
	free(months);
	breakdown_rows_release(rows, nrows);
	return 0;
}

int report_origins(struct store *s, const struct refdata *rd, int year, int32_t as_of, int layer,
		   const char *province, bool json, struct buf *out)
{
	char from[11], to[11], asof[11];
	int32_t end = date_from_ymd(year, 12, 31), last = as_of < end ? as_of : end;
	date_format(date_from_ymd(year, 1, 1), from);
	date_format(last, to);
	date_format(as_of, asof);
	struct headline_input in = {from, to, asof, rd->home_province, rd->verified_basis};
	struct breakdown_row *rows;
	int n;
	if (store_origins(s, &in, layer, province, &rows, &n) != 0)
		return -1;
	struct bd_out *o = xcalloc((size_t)n + 1, sizeof(*o)), none = {"未填", 0, 0, 0};
	struct bd_out total = {"合计", 0, 0, 0};
	int nout = 0;
	for (int i = 0; i < n; i++) {
		struct bd_out *x = rows[i].key && *rows[i].key ? &o[nout++] : &none;
		x->key = rows[i].key && *rows[i].key ? rows[i].key : none.key;
		x->count += rows[i].count;
		x->amount_wan += rows[i].amount_wan;
		total.count += rows[i].count;
		total.amount_wan += rows[i].amount_wan;
	}
	qsort(o, (size_t)nout, sizeof(*o), bd_cmp);
	if (none.count)
		o[nout++] = none;
	const char *dim = province ? "city" : "province";
	if (json) {
		struct jw w;
		jw_init(&w, out);
		jw_obj(&w);
		jw_kint(&w, "year", year);
		jw_kstr(&w, "as_of", asof);
		jw_kstr(&w, "province", province);
		jw_kstr(&w, "basis", rd->verified_basis ? "verified" : "reported");
		static const char *const layers[] = {"signed", "leads", "targets"};
		jw_kstr(&w, "layer", layers[layer]);
		jw_key(&w, "rows");
		jw_arr(&w);
		for (int i = 0; i <= nout; i++) {
			const struct bd_out *x = i < nout ? &o[i] : &total;
			if (i == nout) {
				jw_arr_end(&w);
				jw_key(&w, "total");
			}
			jw_obj(&w);
			if (i < nout)
				jw_kstr_v(&w, dim, x->key);
			jw_kint(&w, "count", x->count);
			amount_pair(&w, x->amount_wan);
			jw_obj_end(&w);
		}
		jw_obj_end(&w);
	} else {
		char yi[32], c[32];
		buf_addf(out, "%d 年签约项目的投资方来源%s%s (截至 %s)\n\n", year, province ? ": " : "",
			 province ? province : "", asof);
		pad(out, province ? "城市" : "省份", 20);
		pad(out, "项目数", 10);
		buf_adds(out, "合同投资额(亿元)\n");
		for (int i = 0; i <= nout; i++) {
			const struct bd_out *x = i < nout ? &o[i] : &total;
			money_format_yi2(x->amount_wan, yi);
			snprintf(c, sizeof(c), "%lld", (long long)x->count);
			pad(out, x->key, 20);
			pad(out, c, 10);
			buf_addf(out, "%s\n", yi);
		}
	}
	free(o);
	breakdown_rows_release(rows, n);
	return 0;
}

struct region_trips {
	const struct refdata *rd;
	struct jw *w;
	int64_t (*rows)[3];
	int n;
};

static int region_trips_row(void *ctx, const char *const *v, int n)
{
	struct region_trips *rt = ctx;
	(void)n;
	rt->rows = xrealloc(rt->rows, (size_t)(rt->n + 1) * sizeof(*rt->rows));
	rt->rows[rt->n][0] = strtoll(v[0], NULL, 10);
	rt->rows[rt->n][1] = strtoll(v[1], NULL, 10);
	rt->rows[rt->n][2] = strtoll(v[2], NULL, 10);
	rt->n++;
	return 0;
}

int report_effort(struct store *s, const struct refdata *rd, int year, bool json, struct buf *out)
{
	struct effort e;
	if (store_effort(s, date_from_ymd(year, 1, 1), date_from_ymd(year, 12, 31), &e) != 0)
		return -1;
	if (!json) {
		buf_addf(out, "%d 年招商工作量\n\n", year);
		buf_addf(out, "市主要领导外出招商      %lld 次, 拜访企业 %lld 家\n", (long long)e.trips[0],
			 (long long)e.companies[0]);
		buf_addf(out, "分管市领导外出招商      %lld 次, 拜访企业 %lld 家\n", (long long)e.trips[1],
			 (long long)e.companies[1]);
		buf_addf(out, "链长外出招商            %lld 次, 拜访企业 %lld 家\n", (long long)e.trips[2],
			 (long long)e.companies[2]);
		buf_addf(out, "县级党政主要负责人      外出 %lld 天, 拜访企业 %lld 家, 签约重大项目 %lld 个\n",
			 (long long)e.days[3], (long long)e.companies[3], (long long)e.major_projects);
		buf_addf(out, "驻点招商                %lld 个小分队 %lld 人, 收集意向信息 %lld 条\n",
			 (long long)e.teams, (long long)e.people, (long long)e.intentions);
		buf_addf(out, "招商活动 %lld 场, 专题招商 %lld 个, 点题招商项目 %lld 个\n",
			 (long long)e.events, (long long)e.campaigns, (long long)e.targeted);
		return 0;
	}
	struct jw w;
	jw_init(&w, out);
	jw_obj(&w);
	jw_kint(&w, "year", year);
	jw_kstr(&w, "basis", rd->verified_basis ? "verified" : "reported");
	jw_key(&w, "trips");
	jw_obj(&w);
	static const char *const keys[] = {"city_main", "city_deputy", "chain_leader"};
	for (int i = 0; i < 3; i++) {
		jw_key_v(&w, keys[i]);
		jw_obj(&w);
		jw_kint(&w, "trips", e.trips[i]);
		jw_kint(&w, "companies", e.companies[i]);
		jw_kint(&w, "days", e.days[i]);
		jw_obj_end(&w);
	}
	jw_key(&w, "county");
	jw_obj(&w);
	jw_kint(&w, "trips", e.trips[3]);
	jw_kint(&w, "days", e.days[3]);
	jw_kint(&w, "companies", e.companies[3]);
	jw_kint(&w, "major_projects", e.major_projects);
	jw_obj_end(&w);
	jw_obj_end(&w);
	jw_key(&w, "stationed");
	jw_obj(&w);
	jw_kint(&w, "teams", e.teams);
	jw_kint(&w, "people", e.people);
	jw_kint(&w, "intentions", e.intentions);
	jw_obj_end(&w);
	jw_kint(&w, "events", e.events);
	jw_kint(&w, "campaigns", e.campaigns);
	jw_kint(&w, "targeted_projects", e.targeted);
	jw_key(&w, "county_trips_by_region");
	jw_arr(&w);
	struct region_trips rt = {rd, &w, NULL, 0};
	int rc = store_effort_by_region(s, date_from_ymd(year, 1, 1), date_from_ymd(year, 12, 31),
					region_trips_row, &rt);
	for (int i = 0; rc == 0 && i < rd->nregions; i++) {
		if (strcmp(rd->regions[i].level, "county") != 0)
			continue;
		int64_t trips = 0, days = 0;
		for (int k = 0; k < rt.n; k++)
			if (rt.rows[k][0] == rd->regions[i].id) {
				trips = rt.rows[k][1];
				days = rt.rows[k][2];
			}
		jw_obj(&w);
		jw_kstr(&w, "region", rd->regions[i].name);
		jw_kint(&w, "trips", trips);
		jw_kint(&w, "days", days);
		jw_obj_end(&w);
	}
	free(rt.rows);
	jw_arr_end(&w);
	jw_obj_end(&w);
	return rc;
}

struct warn_ctx {
	const struct refdata *rd;
	int32_t as_of;
	bool all, json;
	struct buf *out;
	int n;
	const struct principal *who;
	/* The values that repeat from row to row (a county's name, a rule's
	 * key, name and milestones, a state's key and name) as JSON strings,
	 * escaped on first use instead of in every row: at 1M projects the
	 * scan writes 92,605 rows. Indexed as rd->regions and rd->rules. */
	char **region_json;
	char *(*rule_json)[4]; /* key, name, from, to */
	char *state_json[RS__COUNT][2]; /* key, name */
};

/* s as a JSON string, made once into *slot. */
static const char *json_once(char **slot, const char *s)
{
	if (!*slot) {
		struct buf b = BUF_INIT;
		json_escape(&b, s);
		*slot = buf_detach(&b);
	}
	return *slot;
}

static void warn_ctx_release(struct warn_ctx *c)
{
	for (int i = 0; c->region_json && i < c->rd->nregions; i++)
		free(c->region_json[i]);
	for (int i = 0; c->rule_json && i < c->rd->nrules; i++)
		for (int k = 0; k < 4; k++)
			free(c->rule_json[i][k]);
	for (int i = 0; i < RS__COUNT; i++)
		for (int k = 0; k < 2; k++)
			free(c->state_json[i][k]);
	free(c->region_json);
	free(c->rule_json);
}

static const struct rule *find_rule(const struct refdata *rd, int64_t id)
{
	for (int i = 0; i < rd->nrules; i++)
		if (rd->rules[i].id == id)
			return &rd->rules[i];
	return NULL;
}

static int warn_pair(void *ctx, const struct rule_pair *rp)
{
	struct warn_ctx *c = ctx;
	const struct rule *r = find_rule(c->rd, rp->rule_id);
	if (!r || (c->who && !principal_sees_project(c->who, c->rd, rp->region_id, rp->chain_id)))
		return 0;
	int32_t due = rp->due;
	enum rule_state st = rule_pair_state(rp->from_on, due, rp->to_on, rp->to_na,
					     rp->terminated_on, c->as_of, c->rd->due_soon_days);
	if (st == RS_NONE)
		return 0;
	if (!c->all && st != RS_DUE_SOON && st != RS_OVERDUE)
		return 0;
	const struct region *county = refdata_region_by_id(c->rd, rp->county_id);
	const char *county_name = county ? county->name : NULL;
	char d[11], f[11], t[11];
	date_format(due, d);
	date_format(rp->from_on, f);
	int32_t to = rp->to_on;
	bool finished = to != DATE_NONE && to <= c->as_of;
	if (finished)
		date_format(to, t);
	if (c->json) {
		if (c->n)
			buf_addc(c->out, ',');
		char **rj = c->rule_json[r - c->rd->rules], **sj = c->state_json[st];
		struct jw w;
		jw_init(&w, c->out);
		jw_obj(&w);
		jw_kstr(&w, "code", rp->code);
		jw_key(&w, "rule");
		jw_raw(&w, json_once(&rj[0], r->key));
		jw_kstr(&w, "due", d);
		jw_key(&w, "state");
		jw_raw(&w, json_once(&sj[0], rule_state_key(st)));
		jw_kstr(&w, "name", rp->name);
		jw_key(&w, "region");
		jw_raw(&w, county ? json_once(&c->region_json[county - c->rd->regions], county_name) : NULL);
		jw_key(&w, "rule_name");
		jw_raw(&w, json_once(&rj[1], r->name));
		jw_key(&w, "state_name");
		jw_raw(&w, json_once(&sj[1], rule_state_name(st)));
		jw_key(&w, "from_milestone");
		jw_raw(&w, json_once(&rj[2], milestone_key(r->from)));
		jw_kstr(&w, "from_date", f);
		jw_key(&w, "to_milestone");
		jw_raw(&w, json_once(&rj[3], milestone_key(r->to)));
		jw_kstr(&w, "to_date", finished ? t : NULL);
		jw_kint(&w, "days_left", (int64_t)due - c->as_of);
		jw_kstr(&w, "responsible", rp->responsible);
		jw_obj_end(&w);
	} else {
		buf_addf(c->out, "%s  %-12s %-8s %-10s %s  %s  %s\n", d, rp->code, r->key,
			 rule_state_key(st), rule_state_name(st), county_name ? county_name : "", rp->name);
	}
	c->n++;
	return 0;
}

int report_warnings(struct store *s, const struct refdata *rd, int32_t as_of, bool all, bool json,
		    const struct principal *who, struct buf *out)
{
	char asof[11], limit[11];
	date_format(as_of, asof);
	date_format(date_add_days(as_of, rd->due_soon_days), limit);
	struct warn_ctx c = {rd, as_of, all, json, out, 0, who, NULL, NULL, {{NULL}}};
	if (json) {
		buf_addc(out, '[');
		c.region_json = xcalloc((size_t)rd->nregions + 1, sizeof(*c.region_json));
		c.rule_json = xcalloc((size_t)rd->nrules + 1, sizeof(*c.rule_json));
	}
	int rc = store_rule_pairs(s, asof, limit, all, warn_pair, &c);
	warn_ctx_release(&c);
	if (rc != 0)
		return -1;
	if (json)
		buf_addc(out, ']');
	else if (c.n == 0)
		buf_addf(out, "截至 %s 没有%s。\n", asof, all ? "任何规则状态" : "即将到期或逾期的事项");
	return 0;
}

static void date_or_null(struct jw *w, const char *key, int32_t d)
{
	char t[11];
	jw_key_v(w, key);
	if (d == DATE_NONE) {
		jw_null(w);
	} else {
		date_format(d, t);
		jw_str(w, t);
	}
}

void report_project_json(const struct refdata *rd, const struct project *p, int32_t today,
			 struct buf *out)
{
	struct jw w;
	char amount[32];
	jw_init(&w, out);
	jw_obj(&w);
	jw_kstr(&w, "code", p->code);
	jw_kstr(&w, "name", p->name);
	jw_kstr(&w, "investor", p->investor);
	jw_kstr(&w, "investor_credit_code", p->investor_credit_code);
	jw_kstr(&w, "investor_province", p->investor_province);
	jw_kstr(&w, "investor_city", p->investor_city);
	jw_kstr(&w, "region", p->region);
	jw_kstr(&w, "county", p->county);
	jw_kstr(&w, "chain", p->chain);
	money_format_yi(p->amount_wan, amount);
	jw_kstr(&w, "amount_yi", amount);
	jw_kint(&w, "amount_wan", p->amount_wan);
	jw_kstr(&w, "channel", p->channel);
	jw_kstr(&w, "event", p->event);
	jw_kbool(&w, "foreign_oriented", p->foreign_oriented);
	jw_kbool(&w, "major", p->major);
	jw_kstr(&w, "responsible", p->responsible);
	for (int m = 0; m < MS__COUNT; m++) {
		if (p->na[m])
			jw_kstr_v(&w, milestone_column(m), "不适用");
		else
			date_or_null(&w, milestone_column(m), p->ms[m]);
	}
	jw_kstr(&w, "na_reason", p->na_reason);
	date_or_null(&w, "terminated_on", p->terminated_on);
	jw_kstr(&w, "terminated_reason", p->terminated_reason);
	jw_kstr(&w, "stage", project_stage(p));
	jw_kint(&w, "version", p->version);
	jw_kstr(&w, "created_at", p->created_at);
	jw_kstr(&w, "updated_at", p->updated_at);

	/* Waiting for a second person's confirmation: not counted yet. */
	jw_kbool(&w, "amount_pending", p->amount_pending);
	jw_key(&w, "timeline");
	jw_arr(&w);
	for (int m = 0; m < MS__COUNT; m++) {
		jw_obj(&w);
		jw_kstr(&w, "milestone", milestone_key(m));
		jw_kstr(&w, "name", milestone_name(m));
		date_or_null(&w, "date", p->ms[m]);
		jw_kbool(&w, "na", p->na[m]);
		/* Verified by the city bureau for this date (the signing is
		 * not verified). */
		jw_kbool(&w, "verified", m != MS_SIGNED && p->ms[m] != DATE_NONE &&
					   (p->verified_mask & (1u << m)));
		/* The earliest due date any rule sets for this milestone. */
		int32_t due = DATE_NONE;
		const char *state = NULL;
		for (int i = 0; i < rd->nrules; i++) {
			if (rd->rules[i].to != (enum milestone)m)
				continue;
			int32_t d;
			enum rule_state st = rule_eval(&rd->rules[i], p->ms, p->na, p->terminated_on,
						       today, rd->due_soon_days, &d);
			if (st != RS_NONE && (due == DATE_NONE || d < due)) {
				due = d;
				state = rule_state_key(st);
			}
		}
		date_or_null(&w, "due", due);
		jw_kstr(&w, "state", state);
		jw_obj_end(&w);
	}
	jw_arr_end(&w);

	jw_key(&w, "rules");
	jw_arr(&w);
	for (int i = 0; i < rd->nrules; i++) {
		int32_t d;
		enum rule_state st = rule_eval(&rd->rules[i], p->ms, p->na, p->terminated_on, today,
					       rd->due_soon_days, &d);
		jw_obj(&w);
		jw_kstr(&w, "rule", rd->rules[i].key);
		jw_kstr(&w, "name", rd->rules[i].name);
		date_or_null(&w, "due", d);
		jw_kstr(&w, "state", st == RS_NONE ? NULL : rule_state_key(st));
		jw_kstr(&w, "state_name", st == RS_NONE ? NULL : rule_state_name(st));
		jw_obj_end(&w);
	}
	jw_arr_end(&w);
	jw_obj_end(&w);
}
