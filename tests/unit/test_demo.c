/*
 * test_demo: the demo data set (demo.c) checked from its rows alone.
 *
 * The rows are parsed the way an import would (money_parse_yi, dates,
 * ix_province, flags) and the article's 2023 figures are recomputed with
 * DOMAIN.md's counting rules and home province 湖北省: 亿元以上省外 count, sum
 * and started as of 2023-12-31 and later, the first half as of 2023-06-30,
 * event signings and 外向型 projects. Every row is also checked for the
 * milestone order, 不适用 and termination rules, the reference names, codes,
 * credit codes and investor consistency; and two runs must give the same
 * bytes.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#include "demo.h"
#include "domain/date.h"
#include "domain/interchange.h"
#include "domain/money.h"
#include "t.h"
#include "util/xalloc.h"

#define HOME "湖北省"

/* FNV-1a of every delivered string (see test_deterministic). */
#define DEMO_HASH 0x2c839772da5cd5d6ULL

struct ev {
	char *name, *type, *city, *held_on;
};

struct row {
	char *c[IX__COUNT];
};

struct demo {
	struct ev *ev;
	int nev, evcap;
	struct row *rows;
	int nrows, rowcap;
	uint64_t hash;
	int order_errors; /* an event delivered after a row */
};

static void hash_str(uint64_t *h, const char *s)
{
	for (; *s; s++) {
		*h ^= (unsigned char)*s;
		*h *= 0x100000001b3ULL;
	}
	*h ^= 0xff; /* separator: no byte of UTF-8 text */
	*h *= 0x100000001b3ULL;
}

static int on_event(void *ctx, const struct demo_event *e)
{
	struct demo *d = ctx;
	if (d->nrows)
		d->order_errors++;
	if (d->nev == d->evcap) {
		d->evcap = d->evcap ? 2 * d->evcap : 64;
		d->ev = xrealloc(d->ev, (size_t)d->evcap * sizeof *d->ev);
	}
	struct ev *v = &d->ev[d->nev++];
	v->name = xstrdup(e->name);
	v->type = xstrdup(e->type);
	v->city = xstrdup(e->city);
	v->held_on = xstrdup(e->held_on);
	hash_str(&d->hash, e->name);
	hash_str(&d->hash, e->type);
	hash_str(&d->hash, e->city);
	hash_str(&d->hash, e->held_on);
	return 0;
}

static int on_row(void *ctx, const char *const cells[IX__COUNT])
{
	struct demo *d = ctx;
	if (d->nrows == d->rowcap) {
		d->rowcap = d->rowcap ? 2 * d->rowcap : 1024;
		d->rows = xrealloc(d->rows, (size_t)d->rowcap * sizeof *d->rows);
	}
	struct row *r = &d->rows[d->nrows++];
	for (int i = 0; i < IX__COUNT; i++) {
		r->c[i] = xstrdup(cells[i]);
		hash_str(&d->hash, cells[i]);
	}
	return 0;
}

static void load(struct demo *d)
{
	memset(d, 0, sizeof *d);
	d->hash = 0xcbf29ce484222325ULL;
	int rc = demo_generate(on_event, on_row, d);
	CHECK_INT(rc, 0);
}

static void unload(struct demo *d)
{
	for (int i = 0; i < d->nev; i++) {
		free(d->ev[i].name);
		free(d->ev[i].type);
		free(d->ev[i].city);
		free(d->ev[i].held_on);
	}
	for (int i = 0; i < d->nrows; i++)
		for (int k = 0; k < IX__COUNT; k++)
			free(d->rows[i].c[k]);
	free(d->ev);
	free(d->rows);
}

static struct demo demo;

/* The parsed form of a row. */
#define D_NA (INT32_MIN + 1)
struct proj {
	int64_t wan;
	int32_t signed_on, reg, start, incl, prod, term;
	const char *province;
	bool foreign, major, at_event;
};

static struct proj *projs;

/* A milestone cell: a date, "" (DATE_NONE) or 不适用 (D_NA); -1 if bad. */
static int parse_ms(const char *s, int32_t *out)
{
	if (!*s) {
		*out = DATE_NONE;
		return 0;
	}
	if (strcmp(s, "不适用") == 0) {
		*out = D_NA;
		return 0;
	}
	return date_parse_iso(s, out);
}

static int32_t iso(const char *s)
{
	int32_t d = DATE_NONE;
	if (date_parse_iso(s, &d) != 0)
		t_failed_checks++;
	return d;
}

static bool reached(int32_t d, int32_t as_of)
{
	return d != DATE_NONE && d != D_NA && d <= as_of;
}

static bool terminated_by(const struct proj *p, int32_t as_of)
{
	return p->term != DATE_NONE && p->term <= as_of;
}

/* DOMAIN.md's period for year 2023 and as_of. */
static bool in_period(const struct proj *p, int32_t as_of)
{
	int32_t hi = as_of < iso("2023-12-31") ? as_of : iso("2023-12-31");
	return p->signed_on >= iso("2023-01-01") && p->signed_on <= hi &&
	       !terminated_by(p, as_of);
}

struct figures {
	int count, started, events, foreign;
	int64_t sum, event_sum;
};

static struct figures compute(int32_t as_of)
{
	struct figures f = { 0, 0, 0, 0, 0, 0 };
	for (int i = 0; i < demo.nrows; i++) {
		const struct proj *p = &projs[i];
		if (!in_period(p, as_of))
			continue;
		if (p->wan >= 10000 && strcmp(p->province, HOME) != 0) {
			f.count++;
			f.sum += p->wan;
			if (reached(p->start, as_of))
				f.started++;
		}
		if (p->at_event) {
			f.events++;
			f.event_sum += p->wan;
		}
		if (p->wan >= 10000 && p->foreign)
			f.foreign++;
	}
	return f;
}

TEST(test_deterministic)
{
	struct demo again;
	load(&again);
	CHECK_INT(again.nrows, demo.nrows);
	CHECK_INT(again.nev, demo.nev);
	CHECK(again.hash == demo.hash);
	CHECK_INT(demo.order_errors, 0);
	unload(&again);
	/*
	 * The exact bytes of the demo, pinned so that any platform difference
	 * or unintended change shows up. After a deliberate change to the demo,
	 * re-check the figures below and update this value.
	 */
	if (demo.hash != DEMO_HASH) {
		fprintf(stderr, "demo hash is 0x%016" PRIx64 ", pinned 0x%016" PRIx64
				"\n", demo.hash, (uint64_t)DEMO_HASH);
		t_failed_checks++;
	}
}

TEST(test_parse_rows)
{
	int bad = 0;
	for (int i = 0; i < demo.nrows; i++) {
		char *const *c = demo.rows[i].c;
		struct proj *p = &projs[i];
		if (money_parse_yi(c[IX_AMOUNT_YI], &p->wan) != 0) {
			fprintf(stderr, "%s: bad amount %s\n", c[IX_CODE],
				c[IX_AMOUNT_YI]);
			bad++;
		}
		if (date_parse_iso(c[IX_SIGNED_ON], &p->signed_on) != 0 ||
		    parse_ms(c[IX_REGISTERED_ON], &p->reg) ||
		    parse_ms(c[IX_STARTED_ON], &p->start) ||
		    parse_ms(c[IX_INCLUDED_ON], &p->incl) ||
		    parse_ms(c[IX_PRODUCING_ON], &p->prod)) {
			fprintf(stderr, "%s: bad date\n", c[IX_CODE]);
			bad++;
		}
		p->term = DATE_NONE;
		if (c[IX_TERMINATED_ON][0] &&
		    date_parse_iso(c[IX_TERMINATED_ON], &p->term) != 0) {
			fprintf(stderr, "%s: bad termination date\n", c[IX_CODE]);
			bad++;
		}
		p->province = ix_province(c[IX_INVESTOR_PROVINCE]);
		if (!p->province) {
			fprintf(stderr, "%s: bad province %s\n", c[IX_CODE],
				c[IX_INVESTOR_PROVINCE]);
			p->province = "";
			bad++;
		}
		if (ix_parse_flag(c[IX_FOREIGN_ORIENTED], &p->foreign) ||
		    ix_parse_flag(c[IX_MAJOR], &p->major)) {
			fprintf(stderr, "%s: bad flag\n", c[IX_CODE]);
			bad++;
		}
		p->at_event = c[IX_EVENT][0] != '\0';
		/* The amount cell is the minimal form, a multiple of 100万元. */
		char back[32];
		money_format_yi(p->wan, back);
		if (strcmp(back, c[IX_AMOUNT_YI]) != 0 || p->wan % 100 != 0)
			bad++;
	}
	CHECK_INT(bad, 0);
}

TEST(test_article_figures)
{
	char buf[32];
	struct figures y = compute(iso("2023-12-31"));
	CHECK_INT(y.count, 1499);
	CHECK_INT(y.sum, 88515500);
	money_format_yi2(y.sum, buf);
	CHECK_STR(buf, "8851.55");
	CHECK_INT(y.started, 727);
	CHECK_INT(rate_format(y.started, y.count, buf), 0);
	CHECK_STR(buf, "48.50");
	CHECK_INT(y.events, 259);
	CHECK_INT(y.event_sum, 37205600);
	money_format_yi2(y.event_sum, buf);
	CHECK_STR(buf, "3720.56");
	CHECK_INT(y.foreign, 571);

	struct figures h = compute(iso("2023-06-30"));
	CHECK_INT(h.count, 956);
	CHECK_INT(h.sum, 53513300);
	money_format_yi2(h.sum, buf);
	CHECK_STR(buf, "5351.33");

	/* Later as_of days see the same 2023 set (nothing counted is ever
	 * terminated); started only grows. */
	static const char *const later[] = { "2024-01-01", "2024-06-30",
					     DEMO_LAST_DATE, "2030-01-01" };
	int prev_started = y.started;
	for (int i = 0; i < 4; i++) {
		struct figures l = compute(iso(later[i]));
		CHECK_INT(l.count, 1499);
		CHECK_INT(l.sum, 88515500);
		CHECK_INT(l.events, 259);
		CHECK_INT(l.event_sum, 37205600);
		CHECK_INT(l.foreign, 571);
		CHECK(l.started >= prev_started);
		prev_started = l.started;
	}
	/* Some projects are terminated, and they matter: counting them back
	 * in would change the year's figures. */
	int terminated_2023 = 0, extra = 0;
	for (int i = 0; i < demo.nrows; i++) {
		const struct proj *p = &projs[i];
		if (p->term == DATE_NONE)
			continue;
		if (p->signed_on >= iso("2023-01-01")) {
			terminated_2023++;
			CHECK(p->signed_on > iso("2023-06-30"));
			CHECK(p->term < iso("2023-12-31"));
			CHECK(!p->at_event && !p->foreign);
			if (p->wan >= 10000 && strcmp(p->province, HOME) != 0)
				extra++;
		}
	}
	CHECK(terminated_2023 >= 10);
	CHECK_INT(extra, terminated_2023);
	struct figures before = compute(iso("2023-07-01") - 1);
	CHECK_INT(before.count, 956);
}

TEST(test_counted_amounts)
{
	int exactly_1yi = 0, big = 0, counted = 0;
	for (int i = 0; i < demo.nrows; i++) {
		const struct proj *p = &projs[i];
		if (!in_period(p, iso("2023-12-31")) || p->wan < 10000 ||
		    strcmp(p->province, HOME) == 0)
			continue;
		counted++;
		CHECK(p->wan <= 1200000); /* plausible: 1..120亿 */
		if (p->wan == 10000)
			exactly_1yi++;
		if (p->wan >= 100000)
			big++;
		CHECK(p->major == (p->wan >= 100000));
	}
	CHECK_INT(counted, 1499);
	CHECK(exactly_1yi > 0); /* the threshold itself is exercised */
	CHECK(big > 50);
	/* Amounts below the threshold and in-province projects exist too. */
	int small = 0, home = 0;
	for (int i = 0; i < demo.nrows; i++) {
		const struct proj *p = &projs[i];
		if (p->signed_on < iso("2023-01-01"))
			continue;
		small += p->wan < 10000;
		home += strcmp(p->province, HOME) == 0;
	}
	CHECK(small > 50);
	CHECK(home > 50);
}

TEST(test_milestones)
{
	int32_t last = iso(DEMO_LAST_DATE);
	int bad = 0, na_reg = 0, na_start = 0, producing = 0, late_reg = 0;
	for (int i = 0; i < demo.nrows; i++) {
		const struct proj *p = &projs[i];
		char *const *c = demo.rows[i].c;
		int before = bad;
		int32_t s = p->signed_on, r = p->reg, st = p->start,
			in = p->incl, pr = p->prod, t = p->term;
		bool rd = r != DATE_NONE && r != D_NA;
		bool sd = st != DATE_NONE && st != D_NA;
		bool id = in != DATE_NONE && in != D_NA;
		bool pd = pr != DATE_NONE && pr != D_NA;
		/* No signing after 2023; nothing after the last demo date. */
		if (s > iso("2023-12-31") || s < iso("2022-01-01"))
			bad++;
		if ((rd && r > last) || (sd && st > last) || (id && in > last) ||
		    (pd && pr > last) || (t != DATE_NONE && t > last))
			bad++;
		/* Order. */
		if (rd && r < s)
			bad++;
		if (sd && (st < s || (rd && st < r)))
			bad++;
		if (id && (!sd || in < st))
			bad++;
		if (pd && (!sd || pr < st))
			bad++;
		/* A milestone needs the earlier ones unless they are 不适用. */
		if (sd && r == DATE_NONE)
			bad++;
		if ((id || pd) && st == DATE_NONE)
			bad++;
		/* 不适用 only where allowed: registration or start, one per
		 * project, with a reason; included/producing never. */
		if (in == D_NA || pr == D_NA)
			bad++;
		if (r == D_NA && st == D_NA)
			bad++;
		if (st == D_NA && (in != DATE_NONE || pr != DATE_NONE))
			bad++;
		bool any_na = r == D_NA || st == D_NA;
		if (any_na != (c[IX_NA_REASON][0] != '\0'))
			bad++;
		na_reg += r == D_NA;
		na_start += st == D_NA;
		producing += pd;
		if (rd && r > date_add_months(s, 2))
			late_reg++;
		/* Termination follows every milestone and has a reason. */
		if (t != DATE_NONE) {
			if (t < s || (rd && t < r) || (sd && t < st) ||
			    (id && t < in) || (pd && t < pr))
				bad++;
			if (!c[IX_TERMINATED_REASON][0])
				bad++;
		} else if (c[IX_TERMINATED_REASON][0]) {
			bad++;
		}
		if (bad != before)
			fprintf(stderr, "%s: milestone rule broken\n", c[IX_CODE]);
	}
	CHECK_INT(bad, 0);
	CHECK(na_reg > 10);
	CHECK(na_start > 5);
	CHECK(producing > 50);
	CHECK(late_reg > 50);
}

static bool in_list(const char *s, const char *const *list, int n)
{
	for (int i = 0; i < n; i++)
		if (strcmp(s, list[i]) == 0)
			return true;
	return false;
}

TEST(test_reference_names)
{
	static const char *const regions[] = {
		"襄城区", "樊城区", "襄州区", "老河口市", "枣阳市", "宜城市",
		"南漳县", "谷城县", "保康县", "襄阳高新区", "襄阳经开区",
		"东津新区", "鱼梁洲经济开发区",
	};
	static const char *const chains[] = {
		"新能源汽车", "智能网联汽车", "汽车零部件", "新能源电池及储能",
		"高端装备制造", "航空航天", "硅基新材料", "磷基新材料",
		"电子信息", "生物医药", "节能环保", "纺织服装", "现代物流",
		"优质稻米", "生猪", "特色淡水产品", "蔬菜(食用菌)",
		"家禽及蛋制品", "茶叶", "现代种业", "油料", "果品", "中药材",
	};
	static const char *const channels[] = {
		"以商招商", "点题招商", "以会招商", "小分队招商", "商协会招商",
		"驻点招商", "产业链招商", "平台招商", "境外招商", "其他",
	};
	int bad = 0, region_used[13] = { 0 };
	for (int i = 0; i < demo.nrows; i++) {
		char *const *c = demo.rows[i].c;
		if (!in_list(c[IX_REGION], regions, 13))
			bad++;
		for (int k = 0; k < 13; k++)
			region_used[k] += strcmp(c[IX_REGION], regions[k]) == 0;
		if (c[IX_CHAIN][0] && !in_list(c[IX_CHAIN], chains, 23))
			bad++;
		if (c[IX_CHANNEL][0] && !in_list(c[IX_CHANNEL], channels, 10))
			bad++;
		for (int k = 0; k < IX__COUNT; k++)
			if (ix_columns[k].required && !c[k][0])
				bad++;
		if (c[IX_TERMINATED_ON][0] == '\0' && c[IX_TERMINATED_REASON][0])
			bad++;
	}
	CHECK_INT(bad, 0);
	for (int k = 0; k < 13; k++)
		CHECK(region_used[k] > 0);
}

TEST(test_events)
{
	CHECK_INT(demo.nev, 43);
	int bad = 0;
	int *used = xcalloc((size_t)demo.nev, sizeof *used);
	for (int i = 0; i < demo.nev; i++) {
		int32_t d;
		if (date_parse_iso(demo.ev[i].held_on, &d) != 0 ||
		    d < iso("2023-01-01") || d > iso("2023-12-31"))
			bad++;
		if (!demo.ev[i].type[0] || !demo.ev[i].city[0])
			bad++;
		for (int k = 0; k < i; k++)
			if (strcmp(demo.ev[i].name, demo.ev[k].name) == 0)
				bad++;
	}
	for (int i = 0; i < demo.nrows; i++) {
		char *const *c = demo.rows[i].c;
		if (!c[IX_EVENT][0])
			continue;
		int k = 0;
		while (k < demo.nev && strcmp(demo.ev[k].name, c[IX_EVENT]))
			k++;
		if (k == demo.nev) {
			bad++;
			continue;
		}
		used[k]++;
		if (strcmp(demo.ev[k].held_on, c[IX_SIGNED_ON]) != 0)
			bad++;
	}
	for (int k = 0; k < demo.nev; k++)
		if (!used[k])
			bad++;
	CHECK_INT(bad, 0);
	free(used);

	/* The article's events are there under its names. */
	static const char *const named[] = {
		"襄阳(上海)新能源汽车及生物医药产业推介会",
		"襄阳(深圳)消费电子产业座谈会",
		"襄阳(泉州)产业合作洽谈会",
		"进博会",
		"华创会",
		"楚商大会",
		"“相约春天赏樱花”招商活动",
		"襄阳诸葛亮文化旅游节",
		"2023年一季度重大项目“三集中”签约活动",
		"2023年二季度重大项目“三集中”签约活动",
		"2023年三季度重大项目“三集中”签约活动",
		"2023年四季度重大项目“三集中”签约活动",
	};
	for (int i = 0; i < (int)(sizeof named / sizeof named[0]); i++) {
		bool found = false;
		for (int k = 0; k < demo.nev; k++)
			found |= strcmp(demo.ev[k].name, named[i]) == 0;
		if (!found) {
			fprintf(stderr, "event %s missing\n", named[i]);
			t_failed_checks++;
		}
	}
	/* Every other event is labelled 示例. */
	for (int k = 0; k < demo.nev; k++) {
		bool article = false;
		for (int i = 0; i < (int)(sizeof named / sizeof named[0]); i++)
			article |= strcmp(demo.ev[k].name, named[i]) == 0;
		if (!article)
			CHECK(strstr(demo.ev[k].name, "(示例)") != NULL);
	}
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

TEST(test_codes_and_investors)
{
	char **codes = xcalloc((size_t)demo.nrows, sizeof *codes);
	int bad = 0;
	for (int i = 0; i < demo.nrows; i++) {
		char *const *c = demo.rows[i].c;
		codes[i] = c[IX_CODE];
		/* XY + signing year + '-' + 4 digits. */
		const char *s = c[IX_CODE];
		if (strlen(s) != 11 || strncmp(s, "XY", 2) != 0 ||
		    strncmp(s + 2, c[IX_SIGNED_ON], 4) != 0 || s[6] != '-')
			bad++;
		for (int k = 7; k < 11 && s[k]; k++)
			if (s[k] < '0' || s[k] > '9')
				bad++;
		if (c[IX_INVESTOR_CREDIT_CODE][0] &&
		    !ix_credit_code_valid(c[IX_INVESTOR_CREDIT_CODE]))
			bad++;
	}
	qsort(codes, (size_t)demo.nrows, sizeof *codes, cmp_str);
	for (int i = 1; i < demo.nrows; i++)
		if (strcmp(codes[i - 1], codes[i]) == 0)
			bad++;
	free(codes);
	CHECK_INT(bad, 0);

	/* One investor name, one province, city and credit code; distinct
	 * investors never share a code. */
	int inconsistent = 0, with_code = 0;
	for (int i = 0; i < demo.nrows; i++) {
		char *const *a = demo.rows[i].c;
		with_code += a[IX_INVESTOR_CREDIT_CODE][0] != '\0';
		for (int k = i + 1; k < demo.nrows; k++) {
			char *const *b = demo.rows[k].c;
			bool same = strcmp(a[IX_INVESTOR], b[IX_INVESTOR]) == 0;
			if (same &&
			    (strcmp(a[IX_INVESTOR_PROVINCE],
				    b[IX_INVESTOR_PROVINCE]) ||
			     strcmp(a[IX_INVESTOR_CITY], b[IX_INVESTOR_CITY]) ||
			     strcmp(a[IX_INVESTOR_CREDIT_CODE],
				    b[IX_INVESTOR_CREDIT_CODE])))
				inconsistent++;
			if (!same && a[IX_INVESTOR_CREDIT_CODE][0] &&
			    strcmp(a[IX_INVESTOR_CREDIT_CODE],
				   b[IX_INVESTOR_CREDIT_CODE]) == 0)
				inconsistent++;
		}
	}
	CHECK_INT(inconsistent, 0);
	CHECK(with_code > 100);
}

/* The row whose name is name, or NULL. */
static char *const *find_named(const char *name)
{
	for (int i = 0; i < demo.nrows; i++)
		if (strcmp(demo.rows[i].c[IX_NAME], name) == 0)
			return demo.rows[i].c;
	return NULL;
}

TEST(test_article_projects)
{
	char *const *c = find_named("龙蟠科技襄阳氢能源项目");
	CHECK(c != NULL);
	if (c) {
		CHECK_STR(c[IX_SIGNED_ON], "2023-02-09");
		CHECK_STR(c[IX_REGION], "襄城区");
		CHECK_STR(c[IX_INVESTOR], "江苏龙蟠科技股份有限公司");
		CHECK_STR(c[IX_INVESTOR_PROVINCE], "江苏省");
	}
	c = find_named("湖北锂源年产10万吨磷酸铁锂及5万吨磷酸铁项目(占地198亩)");
	CHECK(c != NULL);
	if (c) {
		CHECK_STR(c[IX_REGION], "襄城区");
		CHECK_STR(c[IX_INVESTOR], "江苏龙蟠科技股份有限公司");
		CHECK(strncmp(c[IX_SIGNED_ON], "2022-", 5) == 0);
		CHECK(c[IX_PRODUCING_ON][0] != '\0');
	}
	c = find_named("东风鸿泰年产5万吨磷酸铁锂正极材料项目");
	CHECK(c != NULL);
	if (c) {
		CHECK_STR(c[IX_EVENT], "2023年四季度重大项目“三集中”签约活动");
		CHECK(strncmp(c[IX_SIGNED_ON], "2023-12-", 8) == 0);
		CHECK_STR(c[IX_INVESTOR_PROVINCE], "湖北省");
		CHECK_STR(c[IX_REGION], "襄城区");
	}
	c = find_named("湖北港口集团襄阳供应链物流项目");
	CHECK(c != NULL);
	if (c)
		CHECK_STR(c[IX_INVESTOR_PROVINCE], "湖北省");
	c = find_named("玉湖冷链襄阳冷链物流项目");
	CHECK(c != NULL);
	if (c)
		CHECK_STR(c[IX_INVESTOR_PROVINCE], "香港特别行政区");
	static const char *const others[] = {
		"哈克雷斯新能源汽车产业基地项目", "中化学万华新能源产业园项目",
		"赣锋锂电襄阳新能源电池项目", "好运联联襄阳供应链物流项目",
		"厦门象屿襄阳现代物流项目", "圆通襄阳供应链物流项目",
		"中车襄阳轨道交通装备项目", "雪飞新材料研发中心",
		"智仁景行新材料研究院项目", "际华三五四二纺织印染研究院",
		"吉利硅谷硅基新材料项目", "潘达尔硅基新材料项目",
	};
	for (int i = 0; i < (int)(sizeof others / sizeof others[0]); i++) {
		c = find_named(others[i]);
		if (!c) {
			fprintf(stderr, "project %s missing\n", others[i]);
			t_failed_checks++;
		}
	}
	c = find_named("吉利硅谷硅基新材料项目");
	if (c) {
		CHECK_STR(c[IX_REGION], "谷城县");
		CHECK(c[IX_PRODUCING_ON][0] != '\0');
	}
	/* Invented projects are labelled. */
	int unlabelled = 0, labelled = 0;
	for (int i = 0; i < demo.nrows; i++) {
		const char *n = demo.rows[i].c[IX_NAME];
		if (strstr(n, "(示例)"))
			labelled++;
		else
			unlabelled++;
	}
	CHECK(unlabelled < 25);
	CHECK(labelled > 1800);
}

static int stop_event(void *ctx, const struct demo_event *e)
{
	(void)e;
	int *n = ctx;
	n[0]++;
	return 0;
}

static int stop_row(void *ctx, const char *const cells[IX__COUNT])
{
	(void)cells;
	int *n = ctx;
	return ++n[1] == 5 ? 7 : 0;
}

static int stop_at_event(void *ctx, const struct demo_event *e)
{
	(void)e;
	int *n = ctx;
	return ++n[0] == 3 ? -1 : 0;
}

TEST(test_stop)
{
	/* A callback's non-zero value stops the delivery and is returned. */
	int n[2] = { 0, 0 };
	CHECK_INT(demo_generate(stop_event, stop_row, n), 7);
	CHECK_INT(n[0], 43);
	CHECK_INT(n[1], 5);
	n[0] = n[1] = 0;
	CHECK_INT(demo_generate(stop_at_event, stop_row, n), -1);
	CHECK_INT(n[0], 3);
	CHECK_INT(n[1], 0);
}

int main(void)
{
	load(&demo);
	projs = xcalloc((size_t)demo.nrows, sizeof *projs);
	RUN(test_deterministic);
	RUN(test_parse_rows);
	RUN(test_article_figures);
	RUN(test_counted_amounts);
	RUN(test_milestones);
	RUN(test_reference_names);
	RUN(test_events);
	RUN(test_codes_and_investors);
	RUN(test_article_projects);
	RUN(test_stop);
	int rc = T_DONE();
	free(projs);
	unload(&demo);
	return rc;
}
