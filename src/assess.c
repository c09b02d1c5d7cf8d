/*
 * assess: the monthly assessment (see assess.h). Normalised values and
 * scores are exact rationals (GMP); only their display is rounded.
 */
#include "assess.h"

#include <gmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/date.h"
#include "domain/money.h"
#include "domain/project.h"
#include "util/json.h"
#include "util/xalloc.h"

const struct indicator_info indicators[IND__COUNT] = {
	[IND_SIGNED_COUNT] = {"signed_count", "亿元以上省外签约项目数", 25, true, false},
	[IND_SIGNED_AMOUNT] = {"signed_amount", "签约合同投资额", 20, true, false},
	[IND_REGISTER_RATE] = {"register_rate", "按期注册率", 10, true, true},
	[IND_START_RATE] = {"start_rate", "按期开工率", 15, true, true},
	[IND_INCLUDE_RATE] = {"include_rate", "按期入库率", 10, true, true},
	[IND_OVERDUE_COUNT] = {"overdue_count", "逾期事项数", 10, false, false},
	[IND_INVESTED_AMOUNT] = {"invested_amount", "重大项目当月完成投资", 10, true, false},
};

int indicator_find(const char *key)
{
	for (int i = 0; key && i < IND__COUNT; i++)
		if (strcmp(indicators[i].key, key) == 0)
			return i;
	return -1;
}

int assess_month_parse(const char *s, int *y, int *m)
{
	if (!s || strlen(s) != 7 || s[4] != '-')
		return -1;
	char *end;
	long yy = strtol(s, &end, 10);
	if (end != s + 4)
		return -1;
	long mm = strtol(s + 5, &end, 10);
	if (*end || s[5] < '0' || s[5] > '9' || yy < 1900 || yy > 9999 || mm < 1 || mm > 12)
		return -1;
	*y = (int)yy;
	*m = (int)mm;
	return 0;
}

struct gather {
	struct assess_result *a;
	const struct refdata *rd;
	int32_t eval;
};

/* The index of an assessed region, or -1 (鱼梁洲 and the like count nowhere). */
static int region_index(const struct gather *g, const char *county)
{
	int64_t id = county ? strtoll(county, NULL, 10) : 0;
	for (int i = 0; i < g->a->n; i++)
		if (g->a->regions[i].region_id == id)
			return i;
	return -1;
}

static void add_code(struct buf *b, const char *code)
{
	if (b->len)
		buf_addc(b, ',');
	buf_adds(b, code);
}

static int signed_row(void *ctx, const char *const *v, int n)
{
	struct gather *g = ctx;
	(void)n;
	int i = region_index(g, v[0]);
	if (i < 0)
		return 0;
	struct assess_region *r = &g->a->regions[i];
	int64_t amount = strtoll(v[2], NULL, 10);
	/* A referring unit's share (whole percent) of the amount, in whole
	 * 万元 rounded half away from zero; the landing region keeps the rest,
	 * so the shares always add up to the amount. A county holding a share
	 * sees it in its own amount; a department's or task force's share
	 * only leaves the landing region's. The count stays with the landing
	 * region: one project counts once. */
	int64_t share = v[3] && v[5] ? (amount * strtoll(v[5], NULL, 10) * 2 + 100) / 200 : 0;
	r->value[IND_SIGNED_COUNT]++;
	r->value[IND_SIGNED_AMOUNT] += amount - share;
	add_code(&r->codes[IND_SIGNED_COUNT], v[1]);
	add_code(&r->codes[IND_SIGNED_AMOUNT], v[1]);
	if (share && strcmp(v[3], "region") == 0) {
		int j = region_index(g, v[4]);
		if (j >= 0) {
			g->a->regions[j].value[IND_SIGNED_AMOUNT] += share;
			add_code(&g->a->regions[j].codes[IND_SIGNED_AMOUNT], v[1]);
		}
	}
	return 0;
}

static int due_row(void *ctx, const char *const *v, int n)
{
	struct gather *g = ctx;
	(void)n;
	int i = region_index(g, v[0]);
	int ind = strcmp(v[1], "register") == 0 ? IND_REGISTER_RATE
		: strcmp(v[1], "start") == 0	? IND_START_RATE
		: strcmp(v[1], "include") == 0	? IND_INCLUDE_RATE
						: -1;
	if (i < 0 || ind < 0)
		return 0;
	int32_t due, to = DATE_NONE;
	if (date_parse_iso(v[2], &due) != 0)
		return 0;
	if (v[3])
		date_parse_iso(v[3], &to);
	bool na = v[4] && strcmp(v[4], "0") != 0;
	enum rule_state st = rule_state_at(due, to, na, g->eval, 0);
	if (st != RS_DONE && st != RS_LATE_DONE && st != RS_OVERDUE)
		return 0;
	struct assess_region *r = &g->a->regions[i];
	r->num[ind] += st == RS_DONE;
	r->den[ind]++;
	add_code(&r->codes[ind], v[5]);
	return 0;
}

static int overdue_row(void *ctx, const char *const *v, int n)
{
	struct gather *g = ctx;
	(void)n;
	int i = region_index(g, v[0]);
	if (i < 0)
		return 0;
	struct assess_region *r = &g->a->regions[i];
	r->value[IND_OVERDUE_COUNT]++;
	add_code(&r->codes[IND_OVERDUE_COUNT], v[1]);
	return 0;
}

static int invested_row(void *ctx, const char *const *v, int n)
{
	struct gather *g = ctx;
	(void)n;
	int i = region_index(g, v[0]);
	if (i < 0)
		return 0;
	struct assess_region *r = &g->a->regions[i];
	r->value[IND_INVESTED_AMOUNT] += strtoll(v[2], NULL, 10);
	add_code(&r->codes[IND_INVESTED_AMOUNT], v[1]);
	return 0;
}

/* x rounded half away from zero (x >= 0) to an integer. */
static int64_t round_half_up(const mpq_t x)
{
	mpq_t h;
	mpz_t q;
	mpq_init(h);
	mpz_init(q);
	mpq_set_ui(h, 1, 2);
	mpq_add(h, h, x);
	mpz_fdiv_q(q, mpq_numref(h), mpq_denref(h));
	int64_t v = (int64_t)mpz_get_si(q);
	mpq_clear(h);
	mpz_clear(q);
	return v;
}

static void format_fixed(int64_t v, int decimals, char *out, size_t size)
{
	int64_t p = decimals == 2 ? 100 : 10000;
	if (v < 0)
		v = 0;
	snprintf(out, size, "%lld.%0*lld", (long long)(v / p), decimals, (long long)(v % p));
}

static int rank_cmp(const void *x, const void *y)
{
	const struct assess_region *a = x, *b = y;
	if (a->score_x100 != b->score_x100)
		return a->score_x100 > b->score_x100 ? -1 : 1;
	if (a->value[IND_SIGNED_AMOUNT] != b->value[IND_SIGNED_AMOUNT])
		return a->value[IND_SIGNED_AMOUNT] > b->value[IND_SIGNED_AMOUNT] ? -1 : 1;
	return a->rank < b->rank ? -1 : a->rank > b->rank; /* rank holds the configured order here */
}

/* The normalised value of region i for indicator k, as an exact rational. */
static void normalise(const struct assess_result *a, int i, int k, mpq_t out)
{
	const struct assess_region *r = &a->regions[i];
	if (indicators[k].rate) {
		/* max over the regions whose rate is not null */
		mpq_t max, v;
		mpq_inits(max, v, NULL);
		bool any = false;
		for (int j = 0; j < a->n; j++) {
			if (!a->regions[j].den[k])
				continue;
			mpq_set_si(v, a->regions[j].num[k], (unsigned long)a->regions[j].den[k]);
			mpq_canonicalize(v);
			if (!any || mpq_cmp(v, max) > 0)
				mpq_set(max, v);
			any = true;
		}
		if (!r->den[k] || !any || mpq_sgn(max) == 0) {
			mpq_set_ui(out, 1, 1);
		} else {
			mpq_set_si(v, r->num[k], (unsigned long)r->den[k]);
			mpq_canonicalize(v);
			mpq_div(out, v, max);
		}
		mpq_clears(max, v, NULL);
		return;
	}
	int64_t max = 0;
	for (int j = 0; j < a->n; j++)
		if (a->regions[j].value[k] > max)
			max = a->regions[j].value[k];
	if (max == 0) {
		mpq_set_ui(out, 1, 1);
		return;
	}
	int64_t v = indicators[k].higher_better ? r->value[k] : max - r->value[k];
	mpq_set_si(out, v, (unsigned long)max);
	mpq_canonicalize(out);
}

int assess_compute(struct store *s, const struct refdata *rd, int y, int m, int32_t today,
		   struct assess_result *out, struct buf *why)
{
	memset(out, 0, sizeof(*out));
	int32_t first = date_from_ymd(y, m, 1), last = date_from_ymd(y, m, date_days_in_month(y, m));
	if (first > today) {
		buf_addf(why, "%04d-%02d 尚未开始,不能考核", y, m);
		return 1;
	}
	snprintf(out->month, sizeof(out->month), "%04d-%02d", y, m);
	out->current = today <= last;
	int32_t eval = out->current ? today : last + 1, to = out->current ? today : last;
	date_format(eval, out->eval_on);
	for (int k = 0; k < IND__COUNT; k++) {
		char key[64], *v = NULL;
		snprintf(key, sizeof(key), "assess.weight.%s", indicators[k].key);
		if (store_meta_get(s, key, &v) != 0)
			return -1;
		out->weights[k] = v ? atoi(v) : indicators[k].weight;
		free(v);
	}
	out->regions = xcalloc((size_t)rd->nregions + 1, sizeof(*out->regions));
	for (int i = 0; i < rd->nregions; i++) {
		const struct region *g = &rd->regions[i];
		if (strcmp(g->level, "county") != 0 || !g->assessed)
			continue;
		struct assess_region *r = &out->regions[out->n];
		r->region_id = g->id;
		r->name = g->name;
		r->rank = out->n++; /* the configured order, until ranked */
	}
	char from_s[11], to_s[11];
	date_format(first, from_s);
	date_format(to, to_s);
	struct gather gc = {out, rd, eval};
	out->verified = rd->verified_basis;
	if (store_assess_inputs(s, from_s, to_s, out->eval_on, out->month, rd->home_province,
				rd->verified_basis,
				signed_row, due_row, overdue_row, invested_row, &gc) != 0) {
		assess_release(out);
		return -1;
	}
	mpq_t total, v, w;
	mpq_inits(total, v, w, NULL);
	for (int i = 0; i < out->n; i++) {
		struct assess_region *r = &out->regions[i];
		mpq_set_ui(total, 0, 1);
		for (int k = 0; k < IND__COUNT; k++) {
			normalise(out, i, k, v);
			mpq_set_ui(w, 10000, 1);
			mpq_mul(w, w, v);
			format_fixed(round_half_up(w), 4, r->normalised[k], sizeof(r->normalised[k]));
			mpq_set_si(w, out->weights[k], 1);
			mpq_mul(w, w, v);
			mpq_add(total, total, w);
		}
		mpq_set_ui(w, 100, 1);
		mpq_mul(total, total, w);
		r->score_x100 = round_half_up(total);
		format_fixed(r->score_x100, 2, r->score, sizeof(r->score));
	}
	mpq_clears(total, v, w, NULL);
	qsort(out->regions, (size_t)out->n, sizeof(*out->regions), rank_cmp);
	for (int i = 0; i < out->n; i++) {
		out->regions[i].rank = i + 1;
		out->regions[i].bottom3 = i >= out->n - 3;
	}
	return 0;
}

void assess_release(struct assess_result *a)
{
	for (int i = 0; i < a->n; i++)
		for (int k = 0; k < IND__COUNT; k++)
			buf_release(&a->regions[i].codes[k]);
	free(a->regions);
	memset(a, 0, sizeof(*a));
}

void assess_json(const struct assess_result *a, bool published, struct buf *out)
{
	struct jw w;
	jw_init(&w, out);
	jw_obj(&w);
	jw_kstr(&w, "month", a->month);
	jw_kbool(&w, "published", published);
	jw_kstr(&w, "evaluated_on", a->eval_on);
	jw_kbool(&w, "current_month", a->current);
	jw_kstr(&w, "basis", a->verified ? "verified" : "reported");
	jw_key(&w, "weights");
	jw_obj(&w);
	for (int k = 0; k < IND__COUNT; k++)
		jw_kint_v(&w, indicators[k].key, a->weights[k]);
	jw_obj_end(&w);
	jw_key(&w, "ranking");
	jw_arr(&w);
	for (int i = 0; i < a->n; i++) {
		const struct assess_region *r = &a->regions[i];
		jw_obj(&w);
		jw_kstr(&w, "region", r->name);
		jw_kint(&w, "rank", r->rank);
		jw_kstr(&w, "score", r->score);
		jw_kbool(&w, "bottom3", r->bottom3);
		jw_key(&w, "indicators");
		jw_obj(&w);
		for (int k = 0; k < IND__COUNT; k++) {
			if (indicators[k].rate) {
				char rate[16];
				jw_kstr_v(&w, indicators[k].key,
					rate_format(r->num[k], r->den[k], rate) == 0 ? rate : NULL);
			} else {
				jw_kint_v(&w, indicators[k].key, r->value[k]);
			}
		}
		jw_obj_end(&w);
		jw_key(&w, "normalised");
		jw_obj(&w);
		for (int k = 0; k < IND__COUNT; k++)
			jw_kstr_v(&w, indicators[k].key, r->normalised[k]);
		jw_obj_end(&w);
		jw_key(&w, "projects");
		jw_obj(&w);
		for (int k = 0; k < IND__COUNT; k++) {
			jw_key_v(&w, indicators[k].key);
			jw_arr(&w);
			const char *p = buf_cstr(&r->codes[k]);
			while (*p) {
				const char *c = strchr(p, ',');
				size_t len = c ? (size_t)(c - p) : strlen(p);
				char code[80];
				snprintf(code, sizeof(code), "%.*s", (int)len, p);
				jw_str(&w, code);
				p += len + (c != NULL);
			}
			jw_arr_end(&w);
		}
		jw_obj_end(&w);
		jw_obj_end(&w);
	}
	jw_arr_end(&w);
	jw_obj_end(&w);
}

void assess_text(const struct assess_result *a, struct buf *out)
{
	buf_addf(out, "%s 月度督办考核 (评价日 %s%s)\n\n", a->month, a->eval_on,
		 a->current ? ",本月尚未结束" : "");
	buf_adds(out, "名次  县市区              得分     签约数  签约额(万元)  注册率  开工率  入库率  逾期  完成投资(万元)\n");
	for (int i = 0; i < a->n; i++) {
		const struct assess_region *r = &a->regions[i];
		char rates[3][16];
		for (int k = 0; k < 3; k++)
			if (rate_format(r->num[IND_REGISTER_RATE + k], r->den[IND_REGISTER_RATE + k],
					rates[k]) != 0)
				snprintf(rates[k], sizeof(rates[k]), "-");
		int cols = 0;
		for (const unsigned char *p = (const unsigned char *)r->name; *p; p++)
			if ((*p & 0xc0) != 0x80)
				cols += *p >= 0xe0 ? 2 : 1;
		buf_addf(out, "%-4d  %s%*s  %-7s  %-6lld  %-12lld  %-6s  %-6s  %-6s  %-4lld  %lld%s\n", r->rank,
			 r->name, cols < 18 ? 18 - cols : 0, "", r->score,
			 (long long)r->value[IND_SIGNED_COUNT], (long long)r->value[IND_SIGNED_AMOUNT],
			 rates[0], rates[1], rates[2], (long long)r->value[IND_OVERDUE_COUNT],
			 (long long)r->value[IND_INVESTED_AMOUNT], r->bottom3 ? "  (通报批评、约谈)" : "");
	}
}
