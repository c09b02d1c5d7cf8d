/*
 * test_domain: unit tests for the pure domain helpers: civil dates and
 * ZHAOSHANG_NOW (date.c), integer money and rate formatting (money.c), and
 * the interchange table, flags, provinces and credit codes (interchange.c).
 * Expected values are worked out by hand or, for credit codes, by an
 * independent implementation of the GB 32100 check in this file.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#include "domain/date.h"
#include "domain/interchange.h"
#include "domain/money.h"
#include "t.h"

static int32_t ymd(int y, int m, int d)
{
	return date_from_ymd(y, m, d);
}

static const char *fmt(int32_t date)
{
	static char out[11];
	date_format(date, out);
	return out;
}

TEST(test_ymd_round_trip)
{
	CHECK_INT(ymd(1970, 1, 1), 0);
	CHECK_INT(ymd(1970, 1, 2), 1);
	CHECK_INT(ymd(1969, 12, 31), -1);
	CHECK_INT(ymd(2000, 3, 1), 11017);
	CHECK_INT(ymd(2023, 12, 31), 19722);
	CHECK_STR(fmt(19722), "2023-12-31");
	CHECK_STR(fmt(ymd(1900, 1, 1)), "1900-01-01");
	CHECK_STR(fmt(ymd(9999, 12, 31)), "9999-12-31");
	/* Every day from 1899 to 2101 converts back to itself, consecutively. */
	int32_t prev = ymd(1899, 1, 1) - 1;
	int bad = 0;
	for (int y = 1899; y <= 2101; y++)
		for (int m = 1; m <= 12; m++)
			for (int d = 1; d <= date_days_in_month(y, m); d++) {
				int32_t t = ymd(y, m, d);
				int yy, mm, dd;
				date_to_ymd(t, &yy, &mm, &dd);
				if (t != prev + 1 || yy != y || mm != m || dd != d)
					bad++;
				prev = t;
			}
	CHECK_INT(bad, 0);
}

TEST(test_leap_years)
{
	CHECK_INT(date_days_in_month(2024, 2), 29);
	CHECK_INT(date_days_in_month(2023, 2), 28);
	CHECK_INT(date_days_in_month(2100, 2), 28);
	CHECK_INT(date_days_in_month(2000, 2), 29);
	CHECK_INT(date_days_in_month(1900, 2), 28);
	CHECK_INT(date_days_in_month(2023, 4), 30);
	CHECK_INT(date_days_in_month(2023, 12), 31);
	CHECK_INT(date_days_in_month(2023, 13), 0);
	CHECK(date_valid_ymd(2024, 2, 29));
	CHECK(date_valid_ymd(2000, 2, 29));
	CHECK(!date_valid_ymd(2100, 2, 29));
	CHECK(!date_valid_ymd(2023, 2, 29));
	CHECK(!date_valid_ymd(2023, 4, 31));
	CHECK(!date_valid_ymd(2023, 0, 1));
	CHECK(!date_valid_ymd(2023, 1, 0));
	CHECK_INT(ymd(2024, 3, 1) - ymd(2024, 2, 28), 2);
	CHECK_INT(ymd(2100, 3, 1) - ymd(2100, 2, 28), 1);
	CHECK_INT(ymd(2001, 1, 1) - ymd(2000, 1, 1), 366);
	CHECK_INT(ymd(2101, 1, 1) - ymd(2100, 1, 1), 365);
}

TEST(test_add_months)
{
	CHECK_STR(fmt(date_add_months(ymd(2023, 8, 31), 6)), "2024-02-29");
	CHECK_STR(fmt(date_add_months(ymd(2023, 1, 31), 1)), "2023-02-28");
	CHECK_STR(fmt(date_add_months(ymd(2023, 2, 28), 1)), "2023-03-28");
	CHECK_STR(fmt(date_add_months(ymd(2024, 1, 31), 1)), "2024-02-29");
	CHECK_STR(fmt(date_add_months(ymd(2023, 3, 31), 1)), "2023-04-30");
	CHECK_STR(fmt(date_add_months(ymd(2023, 11, 30), 2)), "2024-01-30");
	CHECK_STR(fmt(date_add_months(ymd(2023, 12, 31), 2)), "2024-02-29");
	CHECK_STR(fmt(date_add_months(ymd(2099, 12, 31), 2)), "2100-02-28");
	CHECK_STR(fmt(date_add_months(ymd(2023, 5, 15), 0)), "2023-05-15");
	CHECK_STR(fmt(date_add_months(ymd(2023, 5, 15), 24)), "2025-05-15");
	CHECK_STR(fmt(date_add_months(ymd(2023, 3, 31), -1)), "2023-02-28");
	CHECK_STR(fmt(date_add_months(ymd(2024, 1, 15), -1)), "2023-12-15");
	CHECK_STR(fmt(date_add_months(ymd(2024, 1, 31), -13)), "2022-12-31");
	CHECK_STR(fmt(date_add_months(ymd(2024, 2, 29), -12)), "2023-02-28");
	CHECK_INT(date_add_months(DATE_NONE, 3), DATE_NONE);
	CHECK_STR(fmt(date_add_days(ymd(2023, 12, 31), 1)), "2024-01-01");
	CHECK_STR(fmt(date_add_days(ymd(2024, 3, 1), -1)), "2024-02-29");
	CHECK_INT(date_add_days(DATE_NONE, 1), DATE_NONE);
}

TEST(test_parse_iso)
{
	int32_t d = 0;
	CHECK_INT(date_parse_iso("2023-12-31", &d), 0);
	CHECK_INT(d, ymd(2023, 12, 31));
	CHECK_INT(date_parse_iso("2024-02-29", &d), 0);
	CHECK_INT(date_parse_iso("1900-01-01", &d), 0);
	CHECK_INT(date_parse_iso("9999-12-31", &d), 0);
	static const char *const bad[] = {
		"2023-2-28", "2023-02-8", "2023/02/28", "2023-02-29",
		"1899-12-31", "2023-13-01", "2023-00-10", "2023-01-00",
		" 2023-01-01", "2023-01-01 ", "2023-01-011", "20230101",
		"", "2023-01", "+2023-01-01", "2023年01月01日", "１２３",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		int32_t v = 42;
		if (date_parse_iso(bad[i], &v) != -1 || v != 42) {
			fprintf(stderr, "date_parse_iso accepted \"%s\"\n", bad[i]);
			t_failed_checks++;
		}
	}
	CHECK_INT(date_parse_iso(NULL, &d), -1);
}

TEST(test_parse_any)
{
	static const struct {
		const char *s;
		int y, m, d;
	} good[] = {
		{ "2023-12-31", 2023, 12, 31 },
		{ "2023-1-5", 2023, 1, 5 },
		{ "2023-01-5", 2023, 1, 5 },
		{ "2023/12/31", 2023, 12, 31 },
		{ "2023/2/9", 2023, 2, 9 },
		{ "2023年2月9日", 2023, 2, 9 },
		{ "2023年02月09日", 2023, 2, 9 },
		{ "2024年2月29日", 2024, 2, 29 },
		{ "2000/2/29", 2000, 2, 29 },
		{ "1900-01-01", 1900, 1, 1 },
	};
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		int32_t v = 0;
		if (date_parse_any(good[i].s, &v) != 0 ||
		    v != ymd(good[i].y, good[i].m, good[i].d)) {
			fprintf(stderr, "date_parse_any(\"%s\") wrong\n",
				good[i].s);
			t_failed_checks++;
		}
	}
	static const char *const bad[] = {
		"2023-2-30", "2023-13-01", " 2023-01-01", "2023-01-01 ",
		"2023.01.01", "2023-01/01", "2023/01-01", "2023年1月1",
		"2023年1月1日 ", "2023年1-1日", "23-01-01", "2023-001-01",
		"2023-01-001", "2100-2-29", "1899-12-31", "2023--01",
		"2023-1-", "", "2023", "2023-01-01T00:00", "10000-01-01",
		"2023年13月1日", "2023年0月1日", "2023-0-1",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		int32_t v = 42;
		if (date_parse_any(bad[i], &v) != -1 || v != 42) {
			fprintf(stderr, "date_parse_any accepted \"%s\"\n", bad[i]);
			t_failed_checks++;
		}
	}
}

/* date_today under ZHAOSHANG_NOW=s: the date as text, or "ERR". */
static const char *today_with(const char *s)
{
	static char out[11];
	int32_t d = 0;
	const char *err = NULL;
	setenv("ZHAOSHANG_NOW", s, 1);
	int rc = date_today(&d, &err);
	unsetenv("ZHAOSHANG_NOW");
	if (rc != 0)
		return err && *err ? "ERR" : "ERR-without-message";
	date_format(d, out);
	return out;
}

TEST(test_today_env)
{
	CHECK_STR(today_with("2023-12-31"), "2023-12-31");
	CHECK_STR(today_with("2023-12-31T20:00:00-08:00"), "2024-01-01");
	CHECK_STR(today_with("2023-12-31T16:00:00Z"), "2024-01-01");
	CHECK_STR(today_with("2023-12-31T15:59:59Z"), "2023-12-31");
	CHECK_STR(today_with("2023-12-31T15:59:59.999Z"), "2023-12-31");
	CHECK_STR(today_with("2023-12-31T23:59:59"), "2023-12-31");
	CHECK_STR(today_with("2023-12-31T23:30:00"), "2023-12-31");
	CHECK_STR(today_with("2023-12-31T23:30:00+08:00"), "2023-12-31");
	CHECK_STR(today_with("2024-01-01T00:30:00+09:00"), "2023-12-31");
	CHECK_STR(today_with("2024-01-01T01:00:00+0900"), "2024-01-01");
	CHECK_STR(today_with("2023-12-31T10:00:00-14:00"), "2024-01-01");
	CHECK_STR(today_with("2023-06-30T12:00:00.5+08:00"), "2023-06-30");
	CHECK_STR(today_with("2024-02-28T16:00:00Z"), "2024-02-29");
	CHECK_STR(today_with("2024-03-01T01:00:00+09:00"), "2024-03-01");
	CHECK_STR(today_with("2024-03-01T07:59:59+08:00"), "2024-03-01");
	CHECK_STR(today_with("2024-03-01T00:00:00+10:00"), "2024-02-29");
	CHECK_STR(today_with("2023-12-31T12:00"), "2023-12-31");
	static const char *const bad[] = {
		"2023-12-32", "2023-12-31T24:00:00", "2023-12-31T23:60:00",
		"2023-12-31T23:59:59+8", "2023-12-31T23:59:59+08:0",
		"2023-12-31X", "2023-12-31T", "2023-12-31T23", "2023-12-31T23:59:59.",
		"2023/12/31", "tomorrow", "2023-12-31T23:59:59Z ",
		"2023-12-31T23:59:59+24:00", "2023-12-31T1:00:00",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		const char *got = today_with(bad[i]);
		if (strcmp(got, "ERR") != 0) {
			fprintf(stderr, "ZHAOSHANG_NOW=\"%s\" gave %s\n", bad[i],
				got);
			t_failed_checks++;
		}
	}
	int32_t d = 0;
	CHECK_INT(date_parse_now("2023-12-31T16:00:00Z", &d), 0);
	CHECK_INT(d, ymd(2024, 1, 1));
	CHECK_INT(date_parse_now("2023-12-31T16:00:00", &d), 0);
	CHECK_INT(d, ymd(2023, 12, 31));
	CHECK_INT(date_parse_now("junk", &d), -1);

	/* Without the variable: the clock, a plausible date. */
	unsetenv("ZHAOSHANG_NOW");
	const char *err = NULL;
	CHECK_INT(date_today(&d, &err), 0);
	CHECK(d > ymd(2020, 1, 1) && d < ymd(2200, 1, 1));
	/* An empty variable counts as unset. */
	setenv("ZHAOSHANG_NOW", "", 1);
	int32_t e = 0;
	CHECK_INT(date_today(&e, &err), 0);
	CHECK(e >= d);
	unsetenv("ZHAOSHANG_NOW");
}

static const char *yi2(int64_t wan)
{
	static char out[32];
	money_format_yi2(wan, out);
	return out;
}

static const char *yi(int64_t wan)
{
	static char out[32];
	money_format_yi(wan, out);
	return out;
}

static const char *rate(int64_t n, int64_t d)
{
	static char out[32];
	if (rate_format(n, d, out) != 0)
		return "NULL";
	return out;
}

static const char *dec2(int64_t n, int64_t d)
{
	static char out[32];
	decimal2_format(n, d, out);
	return out;
}

TEST(test_money_parse)
{
	int64_t w = -1;
	CHECK_INT(money_parse_yi("8851.55", &w), 0);
	CHECK_INT(w, 88515500);
	CHECK_INT(money_parse_yi("1", &w), 0);
	CHECK_INT(w, 10000);
	CHECK_INT(money_parse_yi("0", &w), 0);
	CHECK_INT(w, 0);
	CHECK_INT(money_parse_yi("0.0001", &w), 0);
	CHECK_INT(w, 1);
	CHECK_INT(money_parse_yi("1.2345", &w), 0);
	CHECK_INT(w, 12345);
	CHECK_INT(money_parse_yi("3.3", &w), 0);
	CHECK_INT(w, 33000);
	CHECK_INT(money_parse_yi("007.50", &w), 0);
	CHECK_INT(w, 75000);
	CHECK_INT(money_parse_yi("1000000000", &w), 0);
	CHECK_INT(w, MONEY_MAX_WAN);
	CHECK_INT(money_parse_yi("0001000000000.0000", &w), 0);
	CHECK_INT(w, MONEY_MAX_WAN);
	static const char *const bad[] = {
		"", ".5", "5.", "-1", "+1", " 1", "1 ", "1,000", "1e3",
		"1.23456", "1.2.3", "abc", "1000000000.0001", "1000000001",
		"99999999999999999999999999", "１", "0x10", "1.-1",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		int64_t v = 42;
		if (money_parse_yi(bad[i], &v) != -1 || v != 42) {
			fprintf(stderr, "money_parse_yi accepted \"%s\"\n", bad[i]);
			t_failed_checks++;
		}
	}
	CHECK_INT(money_parse_yi(NULL, &w), -1);
}

TEST(test_money_format)
{
	CHECK_STR(yi2(88515500), "8851.55");
	CHECK_STR(yi2(53513300), "5351.33");
	CHECK_STR(yi2(37205600), "3720.56");
	CHECK_STR(yi2(5), "0.00");
	CHECK_STR(yi2(49), "0.00");
	CHECK_STR(yi2(50), "0.01");
	CHECK_STR(yi2(149), "0.01");
	CHECK_STR(yi2(150), "0.02");
	CHECK_STR(yi2(0), "0.00");
	CHECK_STR(yi2(10000), "1.00");
	CHECK_STR(yi2(999950), "100.00");
	CHECK_STR(yi2(999949), "99.99");
	CHECK_STR(yi2(-5), "0.00");
	CHECK_STR(yi2(-50), "-0.01");
	CHECK_STR(yi2(-88515500), "-8851.55");
	CHECK_STR(yi2(MONEY_MAX_WAN), "1000000000.00");
	CHECK_STR(yi2(INT64_MAX), "922337203685477.58");
	CHECK_STR(yi2(INT64_MIN), "-922337203685477.58");

	CHECK_STR(yi(12345), "1.2345");
	CHECK_STR(yi(50000), "5");
	CHECK_STR(yi(0), "0");
	CHECK_STR(yi(1), "0.0001");
	CHECK_STR(yi(88515500), "8851.55");
	CHECK_STR(yi(33000), "3.3");
	CHECK_STR(yi(10010), "1.001");
	CHECK_STR(yi(-12345), "-1.2345");
	CHECK_STR(yi(MONEY_MAX_WAN), "1000000000");

	/* Round trips through the minimal form. */
	static const int64_t samples[] = { 0,	    1,	     9,	      10,
					   99,	    100,     9999,    10000,
					   10001,   123456,  88515500, 999999999,
					   MONEY_MAX_WAN - 1, MONEY_MAX_WAN };
	for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++) {
		int64_t back = -1;
		CHECK_INT(money_parse_yi(yi(samples[i]), &back), 0);
		CHECK_INT(back, samples[i]);
	}
	int bad = 0;
	for (int64_t v = 0; v < 30000; v += 7) {
		int64_t back = -1;
		if (money_parse_yi(yi(v), &back) != 0 || back != v)
			bad++;
	}
	CHECK_INT(bad, 0);
}

TEST(test_rates)
{
	CHECK_STR(rate(727, 1499), "48.50");
	CHECK_STR(rate(0, 5), "0.00");
	CHECK_STR(rate(5, 5), "100.00");
	CHECK_STR(rate(1, 3), "33.33");
	CHECK_STR(rate(2, 3), "66.67");
	CHECK_STR(rate(1, 8), "12.50");
	CHECK_STR(rate(1, 80000), "0.00");
	CHECK_STR(rate(1, 20000), "0.01"); /* 0.005% rounds away from zero */
	CHECK_STR(rate(1, 20001), "0.00");
	CHECK_STR(rate(3, 2), "150.00");
	CHECK_STR(rate(-1, 8), "-12.50");
	CHECK_STR(rate(1, -8), "-12.50");
	CHECK_STR(rate(-1, -8), "12.50");
	CHECK_STR(rate(-1, 80000), "0.00");
	CHECK_STR(rate(INT64_MAX, INT64_MAX), "100.00");
	CHECK_STR(rate(INT64_MAX - 1, INT64_MAX), "100.00");
	CHECK_STR(rate(INT64_MAX, 1), "922337203685477580700.00");
	char out[32] = "keep";
	CHECK_INT(rate_format(1, 0, out), -1);
	CHECK_STR(out, "keep");

	CHECK_STR(dec2(1, 3), "0.33");
	CHECK_STR(dec2(2, 3), "0.67");
	CHECK_STR(dec2(5, 1000), "0.01");
	CHECK_STR(dec2(4, 1000), "0.00");
	CHECK_STR(dec2(-5, 1000), "-0.01");
	CHECK_STR(dec2(-4, 1000), "0.00");
	CHECK_STR(dec2(9995, 100), "99.95");
	CHECK_STR(dec2(99995, 1000), "100.00");
	CHECK_STR(dec2(100, 1), "100.00");
	CHECK_STR(dec2(0, 7), "0.00");
	CHECK_STR(dec2(7, -2), "-3.50");
	CHECK_STR(dec2(INT64_MIN, 1), "-9223372036854775808.00");
	CHECK_STR(dec2(INT64_MIN, INT64_MIN), "1.00");
	CHECK_STR(dec2(1, INT64_MIN), "0.00");
	/* Half away from zero at the exact midpoint with a huge divisor. */
	CHECK_STR(dec2(10000000000000000LL, 2000000000000000000LL), "0.01");
	CHECK_STR(dec2(9999999999999999LL, 2000000000000000000LL), "0.00");
	CHECK_STR(dec2(1, 200), "0.01");
	CHECK_STR(dec2(-3, 200), "-0.02");
}

TEST(test_columns)
{
	CHECK_INT(IX__COUNT, 22);
	CHECK_STR(ix_columns[IX_CODE].key, "code");
	CHECK_STR(ix_columns[IX_CODE].title, "项目编号");
	CHECK_STR(ix_columns[IX_AMOUNT_YI].key, "amount_yi");
	CHECK_STR(ix_columns[IX_AMOUNT_YI].title, "合同投资额(亿元)");
	CHECK_STR(ix_columns[IX_INVESTOR_CREDIT_CODE].title,
		  "投资方统一社会信用代码");
	CHECK_STR(ix_columns[IX_REGION].title, "落地县市区");
	CHECK_STR(ix_columns[IX_NA_REASON].key, "na_reason");
	CHECK_STR(ix_columns[IX_NA_REASON].title, "不适用原因");
	static const char *const keys[IX__COUNT] = {
		"code", "name", "investor", "investor_credit_code",
		"investor_province", "investor_city", "region", "chain",
		"amount_yi", "channel", "event", "foreign_oriented", "major",
		"responsible", "signed_on", "registered_on", "started_on",
		"included_on", "producing_on", "terminated_on",
		"terminated_reason", "na_reason",
	};
	static const char *const titles[IX__COUNT] = {
		"项目编号", "项目名称", "投资方", "投资方统一社会信用代码",
		"投资方省份", "投资方城市", "落地县市区", "产业链",
		"合同投资额(亿元)", "招商方式", "签约活动", "外向型",
		"重大项目", "责任人", "签约日期", "注册日期", "开工日期",
		"入库日期", "投产日期", "终止日期", "终止原因", "不适用原因",
	};
	int required = 0;
	for (int i = 0; i < IX__COUNT; i++) {
		CHECK_STR(ix_columns[i].key, keys[i]);
		CHECK_STR(ix_columns[i].title, titles[i]);
		CHECK_INT(ix_find(keys[i]), i);
		CHECK_INT(ix_find(titles[i]), i);
		required += ix_columns[i].required;
	}
	CHECK_INT(required, 7);
	CHECK(ix_columns[IX_CODE].required && ix_columns[IX_NAME].required &&
	      ix_columns[IX_INVESTOR].required &&
	      ix_columns[IX_INVESTOR_PROVINCE].required &&
	      ix_columns[IX_REGION].required &&
	      ix_columns[IX_AMOUNT_YI].required &&
	      ix_columns[IX_SIGNED_ON].required);
	CHECK_INT(ix_find("合同投资额（亿元）"), -1); /* caller normalises */
	CHECK_INT(ix_find("Code"), -1);
	CHECK_INT(ix_find(" code"), -1);
	CHECK_INT(ix_find(""), -1);
	CHECK_INT(ix_find("notes"), -1);
	CHECK_INT(ix_find(NULL), -1);
}

TEST(test_flags)
{
	static const char *const yes[] = { "是", "yes", "YES", "Yes", "true",
					   "TRUE", "True", "y", "Y", "1" };
	static const char *const no[] = { "否", "no", "NO", "No", "false",
					  "FALSE", "n", "N", "0", "" };
	static const char *const bad[] = { "2", "yess", " yes", "是的", "t",
					   "f", "ok", "-", "01", "Ｙ" };
	for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) {
		bool v = false;
		CHECK_INT(ix_parse_flag(yes[i], &v), 0);
		CHECK(v);
	}
	for (size_t i = 0; i < sizeof no / sizeof no[0]; i++) {
		bool v = true;
		CHECK_INT(ix_parse_flag(no[i], &v), 0);
		CHECK(!v);
	}
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		bool v = true;
		if (ix_parse_flag(bad[i], &v) != -1 || !v) {
			fprintf(stderr, "ix_parse_flag accepted \"%s\"\n", bad[i]);
			t_failed_checks++;
		}
	}
	bool v;
	CHECK_INT(ix_parse_flag(NULL, &v), -1);
}

TEST(test_provinces)
{
	static const char *const full[34] = {
		"北京市", "天津市", "河北省", "山西省", "内蒙古自治区",
		"辽宁省", "吉林省", "黑龙江省", "上海市", "江苏省", "浙江省",
		"安徽省", "福建省", "江西省", "山东省", "河南省", "湖北省",
		"湖南省", "广东省", "广西壮族自治区", "海南省", "重庆市",
		"四川省", "贵州省", "云南省", "西藏自治区", "陕西省", "甘肃省",
		"青海省", "宁夏回族自治区", "新疆维吾尔自治区", "台湾省",
		"香港特别行政区", "澳门特别行政区",
	};
	static const char *const shorts[34] = {
		"北京", "天津", "河北", "山西", "内蒙古", "辽宁", "吉林",
		"黑龙江", "上海", "江苏", "浙江", "安徽", "福建", "江西",
		"山东", "河南", "湖北", "湖南", "广东", "广西", "海南", "重庆",
		"四川", "贵州", "云南", "西藏", "陕西", "甘肃", "青海", "宁夏",
		"新疆", "台湾", "香港", "澳门",
	};
	for (int i = 0; i < 34; i++) {
		CHECK_STR(ix_province(full[i]), full[i]);
		CHECK_STR(ix_province(shorts[i]), full[i]);
		CHECK(strstr(ix_province_hint, full[i]) != NULL);
	}
	CHECK_STR(ix_province("境外"), "境外");
	CHECK_STR(ix_province("国外"), "境外");
	CHECK_STR(ix_province("海外"), "境外");
	CHECK(strstr(ix_province_hint, "境外") != NULL);
	static const char *const bad[] = { "", "广东 ", "粤", "广州",
					   "中国", "湖北湖北", "Guangdong",
					   "山西西", "美国" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		CHECK(ix_province(bad[i]) == NULL);
	CHECK(ix_province(NULL) == NULL);
}

/* An independent GB 32100-2015 check character for the first 17 chars. */
static char check_char(const char *first17)
{
	static const char alpha[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
	static const int w[17] = { 1,  3,  9,  27, 19, 26, 16, 17, 20,
				   29, 25, 13, 8,  24, 10, 30, 28 };
	long sum = 0;
	for (int i = 0; i < 17; i++) {
		int v = -1;
		for (int k = 0; k < 31; k++)
			if (alpha[k] == first17[i])
				v = k;
		if (v < 0)
			return '?';
		/* weight i is 3^i mod 31 */
		sum += (long)v * w[i];
	}
	int c = (31 - (int)(sum % 31)) % 31;
	return alpha[c];
}

/* The code made of first17 and its computed check character. */
static const char *with_check(const char *first17)
{
	static char code[19];
	memcpy(code, first17, 17);
	code[17] = check_char(first17);
	code[18] = '\0';
	return code;
}

TEST(test_credit_codes)
{
	/* The weights are 3^i mod 31. */
	int p = 1;
	static const int w[17] = { 1,  3,  9,  27, 19, 26, 16, 17, 20,
				   29, 25, 13, 8,  24, 10, 30, 28 };
	for (int i = 0; i < 17; i++) {
		CHECK_INT(w[i], p);
		p = p * 3 % 31;
	}
	/* The standard's worked example. */
	CHECK(check_char("91350100M000100Y4") == '3');
	CHECK(ix_credit_code_valid("91350100M000100Y43"));
	static const char *const bases[] = {
		"91350100M000100Y4", "91110000100000000", "91440300MA5DXXXXX",
		"12100000400000000", "52420600MJH000000", "Y1420000000000000",
		"91420600MA49ABCDE", "11111111111111111", "00000000000000000",
	};
	for (size_t i = 0; i < sizeof bases / sizeof bases[0]; i++) {
		char good[19];
		strcpy(good, with_check(bases[i]));
		if (strchr(good, '?'))
			continue; /* base outside the alphabet */
		CHECK(ix_credit_code_valid(good));
		/* Any other last character is rejected. */
		static const char alpha[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
		for (int k = 0; k < 31; k++) {
			char alt[19];
			strcpy(alt, good);
			if (alpha[k] == good[17])
				continue;
			alt[17] = alpha[k];
			CHECK(!ix_credit_code_valid(alt));
		}
		/* A changed body character breaks the check. */
		char body[19];
		strcpy(body, good);
		body[5] = body[5] == '1' ? '2' : '1';
		CHECK(!ix_credit_code_valid(body));
	}
	CHECK(!ix_credit_code_valid("91350100m000100Y43")); /* lowercase */
	CHECK(!ix_credit_code_valid("91350100M000100Y4"));
	CHECK(!ix_credit_code_valid("91350100M000100Y433"));
	CHECK(!ix_credit_code_valid("91350100I000100Y43")); /* I not allowed */
	CHECK(!ix_credit_code_valid("91350100O000100Y43"));
	CHECK(!ix_credit_code_valid(""));
	CHECK(!ix_credit_code_valid(NULL));
	CHECK(!ix_credit_code_valid(" 91350100M000100Y43"));
	/* Check value 0 (sum divisible by 31) gives '0', not 31. */
	int found = 0;
	char base[18] = "9135010000000000";
	for (int a = 0; a < 31 && !found; a++) {
		static const char alpha[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
		base[16] = alpha[a];
		base[17] = '\0';
		if (check_char(base) == '0') {
			CHECK(ix_credit_code_valid(with_check(base)));
			found = 1;
		}
	}
	CHECK(found);
}

int main(void)
{
	RUN(test_ymd_round_trip);
	RUN(test_leap_years);
	RUN(test_add_months);
	RUN(test_parse_iso);
	RUN(test_parse_any);
	RUN(test_today_env);
	RUN(test_money_parse);
	RUN(test_money_format);
	RUN(test_rates);
	RUN(test_columns);
	RUN(test_flags);
	RUN(test_provinces);
	RUN(test_credit_codes);
	return T_DONE();
}
