/*
 * demo_effort: the demo's records of how the city hunted investment in 2023,
 * from which `report effort --year 2023` reproduces the article's figures
 * (exact numbers chosen within its ranges; docs/demo.md): city main leaders
 * 25 trips visiting 52 companies; deputy mayors 42 trips, 116 companies;
 * county leaders 750 days out, 715 companies, 72 major projects signed
 * through their visits; 7 stationed teams of 300 people in 北京、深圳、上海、
 * 苏州、武汉、成都、厦门 reporting 866 intentions; 52 thematic campaigns;
 * 98 targeted (点题招商) leads. Deterministic: the same database every time.
 */
#include "demo_effort.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "domain/date.h"
#include "refdata.h"
#include "util/xalloc.h"

struct ids {
	int64_t *v;
	int n;
};

static int take_company(void *ctx, const struct company *c)
{
	struct ids *x = ctx;
	x->v = xrealloc(x->v, (size_t)(x->n + 1) * sizeof(int64_t));
	x->v[x->n++] = c->id;
	return 0;
}

struct majors {
	int64_t project[128], company[128];
	int n;
	/* the candidates as read: a row callback may not query the store */
	int64_t cand_project[1024], cand_amount[1024];
	int32_t cand_started[1024];
	char *cand_investor[1024];
	int ncand;
};

static int take_major(void *ctx, struct project *p)
{
	struct majors *m = ctx;
	if (p->major && p->terminated_on == DATE_NONE && m->ncand < 1024) {
		m->cand_project[m->ncand] = p->id;
		m->cand_amount[m->ncand] = p->amount_wan;
		m->cand_started[m->ncand] = p->na[MS_STARTED] ? DATE_NONE : p->ms[MS_STARTED];
		m->cand_investor[m->ncand++] = xstrdup(p->investor);
	}
	return 0;
}

/* 72 major projects of distinct investors, with their companies. */
static int pick_majors(struct store *s, struct majors *m)
{
	int rc = 0;
	for (int i = 0; i < m->ncand; i++) {
		int64_t cid;
		bool by_code, dup = false;
		if (m->n < 72 && rc == 0) {
			if (store_company_find(s, m->cand_investor[i], NULL, &cid, &by_code) != 0)
				rc = -1;
			for (int k = 0; rc == 0 && k < m->n && !dup; k++)
				dup = m->company[k] == cid;
			if (rc == 0 && !dup) {
				m->project[m->n] = m->cand_project[i];
				m->company[m->n++] = cid;
			}
		}
		free(m->cand_investor[i]);
	}
	return rc;
}

/* A day of 2023 spread by i over n. */
static int32_t day_of_2023(int i, int n)
{
	return date_from_ymd(2023, 1, 5) + (int32_t)((int64_t)i * 350 / (n > 0 ? n : 1));
}

static int trips(struct store *s, const char *level, const char *leader_fmt, int ntrips,
		 int days, const int64_t *companies, int ncompanies, int per_trip,
		 const struct majors *m, const int64_t *counties, int ncounties, const char *now)
{
	static const char *const cities[] = {"北京", "上海", "深圳", "广州", "杭州", "苏州",
					     "南京", "成都", "武汉", "厦门", "天津", "重庆"};
	int next = 0;
	for (int t = 0; t < ntrips; t++) {
		char leader[64];
		snprintf(leader, sizeof(leader), leader_fmt, t % 6 + 1);
		int32_t start = day_of_2023(t, ntrips);
		struct trip_fields f = {
			.leader_level = level, .leader = leader, .cities = cities[t % 12],
			.purpose = "拜访企业、洽谈项目 (示例)", .created_by = "cli",
			.region_id = ncounties ? counties[t % ncounties] : 0,
			.starts_on = start, .ends_on = start + days - 1, .days = days,
		};
		int64_t trip;
		if (store_trip_add(s, &f, now, &trip) != 0)
			return -1;
		for (int k = 0; k < per_trip; k++) {
			int64_t company, project = 0, vid;
			/* County trips first visit the investors of the major
			 * projects they brought in. */
			if (m && next < m->n) {
				company = m->company[next];
				project = m->project[next];
			} else {
				company = companies[next % ncompanies];
			}
			next++;
			if (store_visit_add(s, trip, company, start + k % days, "洽谈投资意向 (示例)", 0,
					    project, &vid) != 0)
				return -1;
		}
	}
	return 0;
}

int demo_effort(struct store *s, const struct refdata *rd, const struct principal *who,
		const char *now)
{
	struct ids all = {NULL, 0};
	struct company_filter cf = {0};
	static struct majors m;
	memset(&m, 0, sizeof(m));
	struct project_filter pf = {.year = 2023, .state = -1, .amount_min = -1, .amount_max = -1,
				    .sort = SORT_CODE, .today = date_from_ymd(2024, 12, 31)};
	if (store_company_list(s, &cf, take_company, &all) != 0 ||
	    store_project_list(s, &pf, take_major, &m) != 0 || pick_majors(s, &m) != 0 || all.n < 800 ||
	    m.n < 72) {
		free(all.v);
		return -1;
	}
	int64_t counties[16];
	int ncounties = 0;
	for (int i = 0; i < rd->nregions && ncounties < 16; i++)
		if (strcmp(rd->regions[i].level, "county") == 0 && rd->regions[i].assessed)
			counties[ncounties++] = rd->regions[i].id;
	int rc = -1;
	/* Distinct companies per level: disjoint slices of the investor list,
	 * so that each level's count is exactly what its visits reach. */
	const int64_t *pool = all.v;
	int64_t county_pool[715];
	int nc = 0;
	for (int i = 0; i < m.n; i++)
		county_pool[nc++] = m.company[i];
	for (int i = 0; nc < 715 && i < all.n; i++) {
		bool dup = false;
		for (int k = 0; k < m.n && !dup; k++)
			dup = m.company[k] == all.v[i];
		if (!dup)
			county_pool[nc++] = all.v[i];
	}
	/* 25 trips x 2 visits + 2 = 52 companies: 26 trips would overshoot, so
	 * the first two trips visit three. */
	if (trips(s, "city_main", "市主要领导%d", 2, 2, pool, 52, 3, NULL, NULL, 0, now) != 0 ||
	    trips(s, "city_main", "市主要领导%d", 23, 2, pool + 6, 46, 2, NULL, NULL, 0, now) != 0 ||
	    /* 42 trips x 3 visits over 116 companies (some visited twice) */
	    trips(s, "city_deputy", "分管副市长%d", 42, 3, pool + 100, 116, 3, NULL, NULL, 0, now) != 0 ||
	    /* 250 trips x 3 days = 750 days; 750 visits over 715 companies */
	    trips(s, "county_main", "县(市、区)主要负责人%d", 250, 3, county_pool + 72, 715 - 72, 3,
		  &m, counties, ncounties, now) != 0)
		goto out;

	/* Stationed teams: 300 people in seven cities, 866 intentions. */
	static const struct {
		const char *city;
		int members, intentions;
	} teams[] = {
		{"北京", 45, 140}, {"深圳", 50, 150}, {"上海", 48, 138}, {"苏州", 40, 120},
		{"武汉", 42, 110}, {"成都", 38, 100}, {"厦门", 37, 108},
	};
	int lead_no = 0;
	static const char *const stages[] = {"following", "following", "negotiating", "new",
					     "following", "lost", "negotiating", "new"};
	for (int t = 0; t < 7; t++) {
		char name[64];
		snprintf(name, sizeof(name), "驻%s招商小分队", teams[t].city);
		struct team_fields tf = {.name = name, .city = teams[t].city, .leader = "小分队队长 (示例)",
					 .members = teams[t].members,
					 .starts_on = date_from_ymd(2023, 1, 1), .ends_on = DATE_NONE};
		int64_t team;
		if (store_team_add(s, &tf, now, &team) != 0)
			goto out;
		for (int i = 0; i < teams[t].intentions; i++, lead_no++) {
			char title[96];
			snprintf(title, sizeof(title), "%s意向项目%03d (示例)", teams[t].city, i + 1);
			struct lead l = {
				.company_id = all.v[(lead_no * 7) % all.n],
				.title = title, .source_kind = "stationed_team", .source_name = name,
				.region_id = counties[lead_no % ncounties], .amount_wan = 5000 + (lead_no % 40) * 2500,
				.stage = (char *)stages[lead_no % 8],
				.lost_reason = strcmp(stages[lead_no % 8], "lost") == 0 ? "投资方另选他地 (示例)" : NULL,
				.reported_by = "cli",
				.reported_on = day_of_2023(i, teams[t].intentions),
			};
			l.last_activity = l.reported_on + (lead_no % 5) * 7;
			const struct named *ch = refdata_named(rd->channels, rd->nchannels, "驻点招商");
			l.channel_id = ch ? ch->id : 0;
			l.chain_id = rd->chains[lead_no % rd->nchains].id;
			if (store_lead_save(s, &l, now) != 0 || store_lead_set_team(s, l.id, team) != 0)
				goto out;
		}
	}
	/* 98 targeted-project leads 点题招商 from the chain task forces. */
	const struct named *targeted = refdata_named(rd->channels, rd->nchannels, "点题招商");
	for (int i = 0; i < 98; i++) {
		char title[96];
		snprintf(title, sizeof(title), "点题招商重点项目%02d (示例)", i + 1);
		struct lead l = {
			.company_id = all.v[(i * 13 + 5) % all.n], .title = title,
			.source_kind = "chain_task_force", .source_name = rd->chains[i % rd->nchains].name,
			.channel_id = targeted ? targeted->id : 0, .chain_id = rd->chains[i % rd->nchains].id,
			.region_id = counties[i % ncounties], .amount_wan = 10000 + i * 1000,
			.stage = "negotiating", .reported_by = "cli",
			.reported_on = day_of_2023(i, 98),
		};
		l.last_activity = l.reported_on;
		if (store_lead_save(s, &l, now) != 0)
			goto out;
	}
	/* 52 thematic campaigns. */
	for (int i = 0; i < 52; i++) {
		char name[96];
		snprintf(name, sizeof(name), "2023年%s专题招商 (示例)", rd->chains[i % rd->nchains].name);
		if (i >= rd->nchains)
			snprintf(name, sizeof(name), "2023年%s专题招商第%d期 (示例)",
				 rd->chains[i % rd->nchains].name, i / rd->nchains + 1);
		int64_t id;
		if (store_campaign_add(s, name, rd->chains[i % rd->nchains].name, day_of_2023(i, 52),
				       DATE_NONE, now, &id) != 0)
			goto out;
	}
	/* Maps of the first three chains: three nodes per segment, the last
	 * of each segment a gap with target companies only. */
	static const char *const nodes[3][3][3] = {
		{{"锂矿与正极材料", "负极材料", "电解液与隔膜"},
		 {"动力电池", "电驱动系统", "整车制造"},
		 {"充换电设施", "整车销售与服务", "电池回收利用"}},
		{{"芯片与传感器", "高精度地图", "车规级软件"},
		 {"自动驾驶系统", "车联网终端", "智能座舱"},
		 {"测试示范区", "出行服务", "数据服务"}},
		{{"钢材与铝材", "橡胶与塑料", "电子元器件"},
		 {"底盘系统", "车身与内外饰", "汽车电子"},
		 {"售后与再制造", "物流配送", "检测认证"}},
	};
	static const char *const segs[] = {"upstream", "midstream", "downstream"};
	int pick = 0;
	for (int c = 0; c < 3 && c < rd->nchains; c++)
		for (int sg = 0; sg < 3; sg++)
			for (int k = 0; k < 3; k++) {
				int64_t node;
				if (store_node_add(s, rd->chains[c].id, segs[sg], nodes[c][sg][k], &node) != 0)
					goto out;
				for (int j = 0; j < 2; j++, pick++)
					if (store_node_company_set(s, node, all.v[(pick * 17 + 3) % all.n],
								   k < 2 && j == 0 ? "local" : "target",
								   NULL) != 0)
						goto out;
			}
	/* Monthly progress of the major projects under construction: from the
	 * month they started to 2023-12, a steady share of the contract each
	 * month (a fiftieth, plus a little by project). */
	for (int i = 0; i < m.ncand; i++) {
		int32_t st = m.cand_started[i];
		if (st == DATE_NONE || st > date_from_ymd(2023, 12, 31))
			continue;
		int y, mo, dd;
		date_to_ymd(st, &y, &mo, &dd);
		int64_t cum = 0;
		for (; y < 2023 || (y == 2023 && mo <= 12); mo == 12 ? (y++, mo = 1) : mo++) {
			char month[8];
			snprintf(month, sizeof(month), "%04d-%02d", y, mo);
			int64_t inv = m.cand_amount[i] / 50 + (m.cand_project[i] % 7) * 100;
			cum += inv;
			if (store_progress_put(s, m.cand_project[i], month, inv, cum, "按计划推进 (示例)", "cli",
					       date_add_days(date_add_months(date_from_ymd(y, mo, 1), 1), 2)) != 0)
				goto out;
		}
	}
	rc = audit_append(s, who, "demo.effort", "database", NULL, NULL,
			  "{\"trips\":317,\"teams\":7,\"leads\":964,\"campaigns\":52,\"chain_nodes\":27}");
out:
	free(all.v);
	return rc;
}
