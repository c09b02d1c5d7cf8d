/*
 * test_dupes: the pure part of duplicate detection (dupes.c): the name and
 * investor keys, how alike two keys are, and which pairs of projects are
 * suspected: the real patterns (a copy in another county, a signing again at
 * an event, renamed variants, the investor written differently, amounts a
 * few percent apart) are; an investor's other products and other scales are
 * not. Expected values are worked out by hand.
 */
#include <stdlib.h>

#include "domain/date.h"
#include "dupes.h"
#include "t.h"

static char *k_name(const char *s)
{
	static char *last;
	free(last);
	return last = dupes_name_key(s);
}

static char *k_inv(const char *s)
{
	static char *last;
	free(last);
	return last = dupes_investor_key(s);
}

TEST(test_name_key)
{
	CHECK_STR(k_name("新能源汽车零部件项目"), "新能源汽车零部件");
	CHECK_STR(k_name("新能源汽车零部件建设项目"), "新能源汽车零部件");
	CHECK_STR(k_name("新能源汽车零部件工程项目（一期）"), "新能源汽车零部件");
	CHECK_STR(k_name(" 新能源 汽车零部件(二期)项目 "), "新能源汽车零部件");
	CHECK_STR(k_name("新能源汽车零部件第三期工程"), "新能源汽车零部件");
	CHECK_STR(k_name("新能源汽车零部件2期"), "新能源汽车零部件");
	/* Full-width letters and digits become ASCII in lower case. */
	CHECK_STR(k_name("ＡＢＣ动力电池项目"), "abc动力电池");
	/* A bracket without 期 keeps its content. */
	CHECK_STR(k_name("动力电池(襄阳)项目"), "动力电池襄阳");
	/* Never emptied: an ending goes only when two characters remain. */
	CHECK_STR(k_name("建设项目"), "建设");
	CHECK_STR(k_name("项目"), "项目");
}

TEST(test_investor_key)
{
	CHECK_STR(k_inv("比亚迪股份有限公司"), "比亚迪");
	CHECK_STR(k_inv("比亚迪汽车工业有限公司"), "比亚迪汽车工业");
	CHECK_STR(k_inv("湖北三环集团有限公司"), "三环");
	CHECK_STR(k_inv("三环集团"), "三环");
	CHECK_STR(k_inv("华为技术(深圳)有限公司"), "华为技术");
	CHECK_STR(k_inv("深圳市欣旺达电子股份有限公司"), "欣旺达电子");
	CHECK_STR(k_inv("广西壮族自治区玉柴机器集团"), "玉柴机器");
	CHECK_STR(k_inv("Bosch Co., Ltd."), "bosch");
	CHECK_STR(k_inv("CISCO Systems Inc"), "ciscosystems");
	CHECK_STR(k_inv("Cisco"), "cisco");
	/* Too short to lose more. */
	CHECK_STR(k_inv("湖北"), "湖北");
}

TEST(test_alike)
{
	CHECK_INT(dupes_alike("abcd", "abcd"), 100);
	CHECK_INT(dupes_alike("abcd", "wxyz"), 0);
	/* {新能,能源,源电,电池} and {新能,能源,源电,电机}: 3 shared of 4 + 4. */
	CHECK_INT(dupes_alike("新能源电池", "新能源电机"), 75);
	CHECK_INT(dupes_alike("a", "a"), 100);
	CHECK_INT(dupes_alike("", "a"), 0);
	/* Multisets: "aaa" has the pair aa twice, "aa" once. */
	CHECK_INT(dupes_alike("aaa", "aa"), 66);
}

struct proj {
	const char *code, *name, *investor;
	int64_t investor_id, county_id, event_id, amount_wan;
	int32_t signed_on;
};

static int compare(const struct proj *x, const struct proj *y, unsigned *why)
{
	char *nx = dupes_name_key(x->name), *ny = dupes_name_key(y->name);
	char *ix = dupes_investor_key(x->investor), *iy = dupes_investor_key(y->investor);
	struct dup_rec a = {.id = 1, .investor_id = x->investor_id, .county_id = x->county_id,
			    .event_id = x->event_id, .amount_wan = x->amount_wan,
			    .signed_on = x->signed_on, .code = x->code, .name_key = nx,
			    .investor_key = ix};
	struct dup_rec b = {.id = 2, .investor_id = y->investor_id, .county_id = y->county_id,
			    .event_id = y->event_id, .amount_wan = y->amount_wan,
			    .signed_on = y->signed_on, .code = y->code, .name_key = ny,
			    .investor_key = iy};
	int score = dupes_compare(&a, &b, why);
	unsigned why2;
	CHECK_INT(dupes_compare(&b, &a, &why2), score); /* symmetric */
	CHECK_INT(why2, *why);
	free(nx);
	free(ny);
	free(ix);
	free(iy);
	return score;
}

#define BIT(r) (1u << (r))

TEST(test_patterns_caught)
{
	int32_t d = date_from_ymd(2023, 5, 10);
	struct proj orig = {"XY-1", "比亚迪新能源汽车零部件项目", "比亚迪股份有限公司", 7, 101, 0, 500000, d};
	unsigned why;

	/* The same project claimed by another county. */
	struct proj copy = orig;
	copy.code = "XY-2";
	copy.county_id = 102;
	CHECK_INT(compare(&orig, &copy, &why), 100);
	CHECK_INT(why, BIT(DR_SAME_INVESTOR) | BIT(DR_SAME_NAME) | BIT(DR_SAME_AMOUNT) |
			       BIT(DR_OTHER_REGION));

	/* Signed again at an event weeks later. */
	struct proj again = orig;
	again.code = "XY-3";
	again.event_id = 9;
	again.signed_on = d + 30;
	CHECK_INT(compare(&orig, &again, &why), 100);
	CHECK(why & BIT(DR_SIGNED_AGAIN));

	/* A renamed variant with full-width brackets and stray spaces. */
	struct proj renamed = orig;
	renamed.code = "XY-4";
	renamed.name = "比亚迪 新能源汽车零部件建设项目（一期）";
	CHECK_INT(compare(&orig, &renamed, &why), 100);
	CHECK(why & BIT(DR_SAME_NAME));

	/* The investor written differently (another company record). */
	struct proj other_name = orig;
	other_name.code = "XY-5";
	other_name.investor = "比亚迪股份";
	other_name.investor_id = 8;
	/* name 100, investor 95 (equal keys), amount 100: 98.5 -> 99 */
	CHECK_INT(compare(&orig, &other_name, &why), 99);
	CHECK(why & BIT(DR_SIMILAR_INVESTOR));
	CHECK(!(why & BIT(DR_SAME_INVESTOR)));

	/* Amounts 4% apart: amount 100 - 40/10 = 96; 40 + 30 + 28.8 -> 99. */
	struct proj amount = orig;
	amount.code = "XY-6";
	amount.amount_wan = 480000;
	CHECK_INT(compare(&orig, &amount, &why), 99);
	CHECK(why & BIT(DR_SIMILAR_AMOUNT));

	/* A short name inside a longer one, province prefix on the investor. */
	struct proj hubei = {"XY-7", "三环锻造扩能项目", "湖北三环集团有限公司", 20, 101, 0, 120000, d};
	struct proj sanhuan = {"XY-8", "三环锻造扩能工程", "三环集团", 21, 103, 0, 118000, d + 60};
	CHECK(compare(&hubei, &sanhuan, &why) > 90);
	CHECK(why & BIT(DR_OTHER_REGION));
}

TEST(test_distinct_left_alone)
{
	int32_t d = date_from_ymd(2023, 5, 10);
	struct proj battery = {"XY-1", "比亚迪动力电池项目", "比亚迪股份有限公司", 7, 101, 0, 500000, d};
	unsigned why;
	/* Another product of the same investor. */
	struct proj parts = {"XY-2", "比亚迪汽车零部件项目", "比亚迪股份有限公司", 7, 101, 0, 500000, d};
	CHECK_INT(compare(&battery, &parts, &why), 0);
	/* The same product at another scale (more than 10% apart). */
	struct proj bigger = battery;
	bigger.code = "XY-3";
	bigger.amount_wan = 1200000;
	CHECK_INT(compare(&battery, &bigger, &why), 0);
	struct proj edge = battery;
	edge.amount_wan = 449000; /* 10.2% below */
	CHECK_INT(compare(&battery, &edge, &why), 0);
	edge.amount_wan = 450000; /* exactly 10% */
	CHECK(compare(&battery, &edge, &why) > 0);
	/* Numbered things: another line, another plant, another company. */
	struct proj line1 = {"XY-5", "襄阳一号产线项目", "华光电子有限公司", 11, 101, 0, 100000, d};
	struct proj line2 = {"XY-6", "襄阳二号产线项目", "华光电子有限公司", 11, 101, 0, 100000, d};
	CHECK_INT(compare(&line1, &line2, &why), 0);
	struct proj plant1 = {"XY-7", "示范项目1", "示范投资1有限公司", 12, 101, 0, 1000, d};
	struct proj plant10 = {"XY-8", "示范项目10", "示范投资10有限公司", 13, 101, 0, 1000, d};
	CHECK_INT(compare(&plant1, &plant10, &why), 0);
	struct proj plant12 = {"XY-9", "示范项目12", "示范投资12有限公司", 14, 101, 0, 1000, d};
	struct proj plant13 = {"XY-10", "示范项目13", "示范投资13有限公司", 15, 101, 0, 1000, d};
	CHECK_INT(compare(&plant12, &plant13, &why), 0);
	/* Another investor with a similar project name. */
	struct proj other = {"XY-4", "动力电池项目", "宁德时代新能源科技股份有限公司", 9, 101, 0, 500000, d};
	CHECK_INT(compare(&battery, &other, &why), 0);
}

TEST(test_reasons_text)
{
	struct buf b = BUF_INIT;
	dupes_reasons_text(BIT(DR_SAME_INVESTOR) | BIT(DR_SIMILAR_NAME) | BIT(DR_OTHER_REGION), &b);
	CHECK_STR(buf_cstr(&b), "same investor,similar name,another region");
	CHECK_INT(dupes_reasons_parse(buf_cstr(&b)),
		  BIT(DR_SAME_INVESTOR) | BIT(DR_SIMILAR_NAME) | BIT(DR_OTHER_REGION));
	CHECK_INT(dupes_reasons_parse("nonsense,same amount"), BIT(DR_SAME_AMOUNT));
	buf_release(&b);
}

int main(void)
{
	RUN(test_name_key);
	RUN(test_investor_key);
	RUN(test_alike);
	RUN(test_patterns_caught);
	RUN(test_distinct_left_alone);
	RUN(test_reasons_text);
	return T_DONE();
}
