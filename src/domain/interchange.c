/*
 * interchange: the project table's columns and its pure cell parsers (see
 * interchange.h and DOMAIN.md, "Interchange").
 *
 * ix_columns lists every column in export order, indexed by enum ix_col; keys
 * and titles are compared byte for byte (the caller trims and NFKC-normalises
 * first). The province table holds the 34 provincial-level units, each with
 * its full and short name, plus 境外 and its synonyms; ix_province maps any of
 * them to the full name. The credit-code check follows GB 32100-2015 with
 * uppercase letters only. Nothing here allocates or keeps state.
 */
#include "domain/interchange.h"

#include <stddef.h>
#include <string.h>

const struct ix_column ix_columns[IX__COUNT] = {
	[IX_CODE] = { "code", "项目编号", true },
	[IX_NAME] = { "name", "项目名称", true },
	[IX_INVESTOR] = { "investor", "投资方", true },
	[IX_INVESTOR_CREDIT_CODE] = { "investor_credit_code",
				      "投资方统一社会信用代码", false },
	[IX_INVESTOR_PROVINCE] = { "investor_province", "投资方省份", true },
	[IX_INVESTOR_CITY] = { "investor_city", "投资方城市", false },
	[IX_REGION] = { "region", "落地县市区", true },
	[IX_CHAIN] = { "chain", "产业链", false },
	[IX_AMOUNT_YI] = { "amount_yi", "合同投资额(亿元)", true },
	[IX_CHANNEL] = { "channel", "招商方式", false },
	[IX_EVENT] = { "event", "签约活动", false },
	[IX_FOREIGN_ORIENTED] = { "foreign_oriented", "外向型", false },
	[IX_MAJOR] = { "major", "重大项目", false },
	[IX_RESPONSIBLE] = { "responsible", "责任人", false },
	[IX_SIGNED_ON] = { "signed_on", "签约日期", true },
	[IX_REGISTERED_ON] = { "registered_on", "注册日期", false },
	[IX_STARTED_ON] = { "started_on", "开工日期", false },
	[IX_INCLUDED_ON] = { "included_on", "入库日期", false },
	[IX_PRODUCING_ON] = { "producing_on", "投产日期", false },
	[IX_TERMINATED_ON] = { "terminated_on", "终止日期", false },
	[IX_TERMINATED_REASON] = { "terminated_reason", "终止原因", false },
	[IX_NA_REASON] = { "na_reason", "不适用原因", false },
};

/* The column whose key or title is exactly name, or -1. */
int ix_find(const char *name)
{
	if (!name)
		return -1;
	for (int i = 0; i < IX__COUNT; i++)
		if (strcmp(name, ix_columns[i].key) == 0 ||
		    strcmp(name, ix_columns[i].title) == 0)
			return i;
	return -1;
}

/* ASCII case-insensitive equality; other bytes compare exactly. */
static bool ascii_eq_nocase(const char *a, const char *b)
{
	for (;; a++, b++) {
		unsigned char x = (unsigned char)*a, y = (unsigned char)*b;
		if (x >= 'A' && x <= 'Z')
			x = (unsigned char)(x - 'A' + 'a');
		if (y >= 'A' && y <= 'Z')
			y = (unsigned char)(y - 'A' + 'a');
		if (x != y)
			return false;
		if (!x)
			return true;
	}
}

/* Parses a flag cell; "" is false. Returns 0 with *out set, or -1. */
int ix_parse_flag(const char *s, bool *out)
{
	static const char *const yes[] = { "是", "yes", "true", "y", "1" };
	static const char *const no[] = { "否", "no", "false", "n", "0", "" };
	if (!s)
		return -1;
	for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
		if (ascii_eq_nocase(s, yes[i])) {
			*out = true;
			return 0;
		}
	for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
		if (ascii_eq_nocase(s, no[i])) {
			*out = false;
			return 0;
		}
	return -1;
}

/* Full name first, then the accepted other names (NULL-terminated). */
struct province {
	const char *full;
	const char *other[3];
};

static const struct province provinces[] = {
	{ "北京市", { "北京", NULL } },
	{ "天津市", { "天津", NULL } },
	{ "河北省", { "河北", NULL } },
	{ "山西省", { "山西", NULL } },
	{ "内蒙古自治区", { "内蒙古", NULL } },
	{ "辽宁省", { "辽宁", NULL } },
	{ "吉林省", { "吉林", NULL } },
	{ "黑龙江省", { "黑龙江", NULL } },
	{ "上海市", { "上海", NULL } },
	{ "江苏省", { "江苏", NULL } },
	{ "浙江省", { "浙江", NULL } },
	{ "安徽省", { "安徽", NULL } },
	{ "福建省", { "福建", NULL } },
	{ "江西省", { "江西", NULL } },
	{ "山东省", { "山东", NULL } },
	{ "河南省", { "河南", NULL } },
	{ "湖北省", { "湖北", NULL } },
	{ "湖南省", { "湖南", NULL } },
	{ "广东省", { "广东", NULL } },
	{ "广西壮族自治区", { "广西", NULL } },
	{ "海南省", { "海南", NULL } },
	{ "重庆市", { "重庆", NULL } },
	{ "四川省", { "四川", NULL } },
	{ "贵州省", { "贵州", NULL } },
	{ "云南省", { "云南", NULL } },
	{ "西藏自治区", { "西藏", NULL } },
	{ "陕西省", { "陕西", NULL } },
	{ "甘肃省", { "甘肃", NULL } },
	{ "青海省", { "青海", NULL } },
	{ "宁夏回族自治区", { "宁夏", NULL } },
	{ "新疆维吾尔自治区", { "新疆", NULL } },
	{ "台湾省", { "台湾", NULL } },
	{ "香港特别行政区", { "香港", NULL } },
	{ "澳门特别行政区", { "澳门", NULL } },
	{ "境外", { "国外", "海外", NULL } },
};

/* The full name for a full or short province name or a 境外 synonym; a
 * static string, or NULL. */
const char *ix_province(const char *s)
{
	if (!s || !*s)
		return NULL;
	for (size_t i = 0; i < sizeof provinces / sizeof provinces[0]; i++) {
		const struct province *p = &provinces[i];
		if (strcmp(s, p->full) == 0)
			return p->full;
		for (int k = 0; k < 3 && p->other[k]; k++)
			if (strcmp(s, p->other[k]) == 0)
				return p->full;
	}
	return NULL;
}

const char ix_province_hint[] =
	"省份应为 34 个省级行政区之一(全称或简称):"
	"北京市/北京、天津市/天津、河北省/河北、山西省/山西、"
	"内蒙古自治区/内蒙古、辽宁省/辽宁、吉林省/吉林、黑龙江省/黑龙江、"
	"上海市/上海、江苏省/江苏、浙江省/浙江、安徽省/安徽、福建省/福建、"
	"江西省/江西、山东省/山东、河南省/河南、湖北省/湖北、湖南省/湖南、"
	"广东省/广东、广西壮族自治区/广西、海南省/海南、重庆市/重庆、"
	"四川省/四川、贵州省/贵州、云南省/云南、西藏自治区/西藏、"
	"陕西省/陕西、甘肃省/甘肃、青海省/青海、宁夏回族自治区/宁夏、"
	"新疆维吾尔自治区/新疆、台湾省/台湾、香港特别行政区/香港、"
	"澳门特别行政区/澳门;或 境外(国外、海外)";

/* GB 32100-2015: the 31-character alphabet (no I, O, Z, S, V) and the
 * weights of positions 1..17. */
static const char credit_alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
static const int credit_weights[17] = { 1,  3,  9,  27, 19, 26, 16, 17, 20,
					29, 25, 13, 8,  24, 10, 30, 28 };

static int credit_value(char c)
{
	if (!c)
		return -1;
	const char *p = strchr(credit_alphabet, c);
	return p ? (int)(p - credit_alphabet) : -1;
}

/* True for an 18-character code over the GB 32100 alphabet (uppercase)
 * whose last character is the check character of the first 17. */
bool ix_credit_code_valid(const char *s)
{
	if (!s || strlen(s) != 18)
		return false;
	int sum = 0;
	for (int i = 0; i < 17; i++) {
		int v = credit_value(s[i]);
		if (v < 0)
			return false;
		sum += v * credit_weights[i];
	}
	int check = 31 - sum % 31;
	if (check == 31)
		check = 0;
	return s[17] == credit_alphabet[check];
}

bool ix_project_code_valid(const char *s)
{
	static const char shape[] = "dddd-dddddd-dd-dd-dddddd";
	if (!s || strlen(s) != sizeof(shape) - 1)
		return false;
	for (size_t i = 0; shape[i]; i++)
		if (shape[i] == 'd' ? !(s[i] >= '0' && s[i] <= '9') : s[i] != '-')
			return false;
	int year = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	int province = (s[5] - '0') * 10 + (s[6] - '0');
	static const int divisions[] = {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41,
					42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71,
					81, 82};
	bool known = false;
	for (size_t i = 0; i < sizeof(divisions) / sizeof(divisions[0]); i++)
		known |= divisions[i] == province;
	return year >= 2000 && known;
}
