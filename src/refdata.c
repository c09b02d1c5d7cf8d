/*
 * refdata: Xiangyang's reference data and name lookups (see refdata.h).
 *
 * The chain list follows the article's "13 advanced-manufacturing + 10
 * modern-agriculture" chains; the names are illustrative (docs/reference-data.md).
 * Region codes are the national 6-digit 区划代码 where one exists; the
 * development zones have none.
 */
#include "refdata.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

#include "util/buf.h"

static const struct {
	const char *name, *code;
	bool assessed;
} counties[] = {
	{"襄城区", "420602", true},
	{"樊城区", "420606", true},
	{"襄州区", "420607", true},
	{"老河口市", "420682", true},
	{"枣阳市", "420683", true},
	{"宜城市", "420684", true},
	{"南漳县", "420624", true},
	{"谷城县", "420625", true},
	{"保康县", "420626", true},
	{"襄阳高新区", NULL, true},
	{"襄阳经开区", NULL, true},
	{"东津新区", NULL, true},
	{"鱼梁洲经济开发区", NULL, false},
};

static const char *const departments[] = {
	"市发改委", "市经信局", "市自然资源和规划局", "市住建局", "市生态环境局",
	"市市场监管局", "市统计局", "市招商局", "市商务局", "市财政局",
	"市人社局", "市交通运输局", "市水利和湖泊局", "市行政审批局", "市供电公司",
};

static const struct {
	const char *name, *category;
} chains[] = {
	{"新能源汽车", "先进制造业"},     {"智能网联汽车", "先进制造业"},
	{"汽车零部件", "先进制造业"},     {"新能源电池及储能", "先进制造业"},
	{"高端装备制造", "先进制造业"},   {"航空航天", "先进制造业"},
	{"硅基新材料", "先进制造业"},     {"磷基新材料", "先进制造业"},
	{"电子信息", "先进制造业"},       {"生物医药", "先进制造业"},
	{"节能环保", "先进制造业"},       {"纺织服装", "先进制造业"},
	{"现代物流", "先进制造业"},       {"优质稻米", "现代农业"},
	{"生猪", "现代农业"},             {"特色淡水产品", "现代农业"},
	{"蔬菜(食用菌)", "现代农业"},     {"家禽及蛋制品", "现代农业"},
	{"茶叶", "现代农业"},             {"现代种业", "现代农业"},
	{"油料", "现代农业"},             {"果品", "现代农业"},
	{"中药材", "现代农业"},
};

static const char *const channels[] = {
	"以商招商", "点题招商", "以会招商", "小分队招商", "商协会招商",
	"驻点招商", "产业链招商", "平台招商", "境外招商", "其他",
};

static const struct rule rules[] = {
	{0, "register", "签约后2个月内注册", MS_SIGNED, MS_REGISTERED, 2},
	{0, "start", "签约后6个月内开工", MS_SIGNED, MS_STARTED, 6},
	{0, "include", "开工后2个月内入库", MS_STARTED, MS_INCLUDED, 2},
};

#define COUNT(a) ((int)(sizeof(a) / sizeof((a)[0])))

int refdata_install(struct store *s)
{
	int64_t province, city, id;
	if (store_region_add(s, 0, "湖北省", "420000", "province", false, 1, &province) != 0 ||
	    store_region_add(s, province, "襄阳市", "420600", "city", false, 1, &city) != 0)
		return -1;
	for (int i = 0; i < COUNT(counties); i++)
		if (store_region_add(s, city, counties[i].name, counties[i].code, "county",
				     counties[i].assessed, i + 1, &id) != 0)
			return -1;
	for (int i = 0; i < COUNT(departments); i++)
		if (store_department_add(s, departments[i], i + 1) != 0)
			return -1;
	for (int i = 0; i < COUNT(chains); i++)
		if (store_chain_add(s, chains[i].name, chains[i].category, NULL, NULL, i + 1) != 0)
			return -1;
	for (int i = 0; i < COUNT(channels); i++)
		if (store_channel_add(s, channels[i], i + 1) != 0)
			return -1;
	for (int i = 0; i < COUNT(rules); i++)
		if (store_rule_add(s, &rules[i], i + 1) != 0)
			return -1;
	if (store_meta_set(s, "home_province", "湖北省") != 0 ||
	    store_meta_set(s, "city", "襄阳市") != 0 ||
	    store_meta_set(s, "due_soon_days", "15") != 0)
		return -1;
	return 0;
}

/* True when text equals path or a tail of it that starts after a '/'
 * (襄城区, 襄阳市/襄城区 and 湖北省/襄阳市/襄城区 all name 襄城区). */
static bool path_tail_is(const char *path, const char *text)
{
	for (const char *p = path; p; p = strchr(p, '/')) {
		if (*p == '/')
			p++;
		if (strcmp(p, text) == 0)
			return true;
	}
	return false;
}

const struct region *refdata_region(const struct refdata *rd, const char *text)
{
	const struct region *found = NULL;
	int matches = 0;
	for (int i = 0; i < rd->nregions; i++) {
		const struct region *r = &rd->regions[i];
		if ((r->code && strcmp(r->code, text) == 0) || strcmp(r->path, text) == 0)
			return r;
		if (path_tail_is(r->path, text)) {
			found = r;
			matches++;
		}
	}
	return matches == 1 ? found : NULL;
}

const struct region *refdata_region_by_id(const struct refdata *rd, int64_t id)
{
	for (int i = 0; i < rd->nregions; i++)
		if (rd->regions[i].id == id)
			return &rd->regions[i];
	return NULL;
}

static const char *named_by_id(const struct named *n, int count, int64_t id)
{
	for (int i = 0; id && i < count; i++)
		if (n[i].id == id)
			return n[i].name;
	return NULL;
}

static void set_name(char **dst, const char *name)
{
	free(*dst);
	*dst = name ? xstrdup(name) : NULL;
}

void refdata_project_names(const struct refdata *rd, struct project *p)
{
	const struct region *r = refdata_region_by_id(rd, p->region_id);
	const struct region *c = refdata_region_by_id(rd, p->county_id);
	set_name(&p->region, r ? r->name : NULL);
	set_name(&p->county, c ? c->name : NULL);
	set_name(&p->chain, named_by_id(rd->chains, rd->nchains, p->chain_id));
	set_name(&p->channel, named_by_id(rd->channels, rd->nchannels, p->channel_id));
}

const struct named *refdata_named(const struct named *n, int count, const char *name)
{
	for (int i = 0; i < count; i++)
		if (strcmp(n[i].name, name) == 0)
			return &n[i];
	return NULL;
}

const struct named *refdata_chain(const struct refdata *rd, const char *name)
{
	return refdata_named(rd->chains, rd->nchains, name);
}

void refdata_list_regions(const struct refdata *rd, struct buf *b)
{
	const char *sep = "";
	for (int i = 0; i < rd->nregions; i++) {
		const struct region *r = &rd->regions[i];
		if (strcmp(r->level, "county") != 0 && strcmp(r->level, "sub") != 0)
			continue;
		buf_adds(b, sep);
		buf_adds(b, r->name);
		sep = "、";
	}
}

void refdata_list_named(const struct named *n, int count, struct buf *b)
{
	for (int i = 0; i < count; i++) {
		if (i)
			buf_adds(b, "、");
		buf_adds(b, n[i].name);
	}
}
