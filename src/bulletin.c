/*
 * bulletin: the month's 督办通报 (prose generated from the assessment's
 * figures, the ranking table, each region's breakdown), as JSON, text or
 * XLSX; and the year's briefing stating the article's kind of figures from
 * records. A published month's bulletin is built from its frozen snapshot.
 */
#include "bulletin.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assess_store.h"
#include "domain/date.h"
#include "domain/money.h"
#include "io/table.h"
#include "report.h"
#include "util/json.h"
#include "util/xalloc.h"

static const char *str(json_t *o, const char *k)
{
	const char *v = json_string_value(json_object_get(o, k));
	return v ? v : "-";
}

static long long num(json_t *o, const char *k)
{
	return (long long)json_integer_value(json_object_get(o, k));
}

static const char *rate_or(json_t *ind, const char *k)
{
	const char *v = json_string_value(json_object_get(ind, k));
	return v ? v : "—";
}

int bulletin_build(struct store *s, const struct refdata *rd, int y, int m, int32_t today,
		   enum bulletin_format fmt, struct buf *out, const char *xlsx_path, struct buf *why)
{
	struct buf a = BUF_INIT;
	int rc = assessment_answer(s, rd, y, m, today, false, true, &a, why);
	if (rc != 0) {
		buf_release(&a);
		return rc;
	}
	json_error_t e;
	json_t *doc = json_loadb(a.data, a.len, 0, &e);
	buf_release(&a);
	if (!doc) {
		buf_adds(why, "考核结果无法读取");
		return 1;
	}
	json_t *ranking = json_object_get(doc, "ranking");
	size_t n = json_array_size(ranking);
	long long total = 0, amount = 0;
	size_t i;
	json_t *r;
	json_array_foreach(ranking, i, r)
	{
		json_t *ind = json_object_get(r, "indicators");
		total += num(ind, "signed_count");
		amount += num(ind, "signed_amount");
	}
	char yi[32], title[64];
	money_format_yi2(amount, yi);
	snprintf(title, sizeof(title), "%d年%d月招商引资督办通报", y, m);
	bool published = json_is_true(json_object_get(doc, "published"));
	struct buf p[4] = {BUF_INIT, BUF_INIT, BUF_INIT, BUF_INIT};
	buf_addf(&p[0], "根据月度督办考核办法,对全市%zu个参评县(市、区)和开发区%d年%d月的招商引资工作进行了考核(评价日%s%s)。", n,
		 y, m, str(doc, "evaluated_on"), published ? ",结果已发布" : ",结果尚未发布");
	buf_addf(&p[1], "当月各参评地区签约亿元以上省外项目%lld个,合同投资额%s亿元。", total, yi);
	if (n >= 3) {
		json_t *a1 = json_array_get(ranking, 0), *a2 = json_array_get(ranking, 1),
		       *a3 = json_array_get(ranking, 2);
		buf_addf(&p[2], "%s以%s分位列第一,%s、%s分列第二、三位。", str(a1, "region"), str(a1, "score"),
			 str(a2, "region"), str(a3, "region"));
		json_t *b1 = json_array_get(ranking, n - 3), *b2 = json_array_get(ranking, n - 2),
		       *b3 = json_array_get(ranking, n - 1);
		buf_addf(&p[3], "%s、%s、%s位列后三位,予以通报批评,并约谈其主要负责人。各地要对照考核指标,"
				"加快推进签约项目注册、开工、入库,确保项目早落地、早见效。",
			 str(b1, "region"), str(b2, "region"), str(b3, "region"));
	}
	if (fmt == BULLETIN_XLSX) {
		char *err = NULL;
		struct xlsx_out *x = xlsx_out_open(xlsx_path, "督办通报", &err);
		if (!x) {
			buf_addf(why, "%s", err ? err : "无法写入");
			free(err);
			rc = 1;
			goto done;
		}
		static const char *const head[] = {"名次", "县市区", "得分", "亿元以上省外签约项目数",
						   "合同投资额(万元)", "按期注册率(%)", "按期开工率(%)",
						   "按期入库率(%)", "逾期事项", "重大项目完成投资(万元)", "通报"};
		struct xcell h[11];
		for (int k = 0; k < 11; k++)
			h[k] = (struct xcell){XCELL_TEXT, head[k]};
		xlsx_out_row(x, h, 11);
		json_array_foreach(ranking, i, r)
		{
			json_t *ind = json_object_get(r, "indicators");
			char c[6][24];
			snprintf(c[0], sizeof(c[0]), "%lld", num(r, "rank"));
			snprintf(c[1], sizeof(c[1]), "%lld", num(ind, "signed_count"));
			snprintf(c[2], sizeof(c[2]), "%lld", num(ind, "signed_amount"));
			snprintf(c[3], sizeof(c[3]), "%lld", num(ind, "overdue_count"));
			snprintf(c[4], sizeof(c[4]), "%lld", num(ind, "invested_amount"));
			struct xcell row[11] = {
				{XCELL_NUMBER, c[0]},
				{XCELL_TEXT, str(r, "region")},
				{XCELL_NUMBER, str(r, "score")},
				{XCELL_NUMBER, c[1]},
				{XCELL_NUMBER, c[2]},
				{XCELL_TEXT, rate_or(ind, "register_rate")},
				{XCELL_TEXT, rate_or(ind, "start_rate")},
				{XCELL_TEXT, rate_or(ind, "include_rate")},
				{XCELL_NUMBER, c[3]},
				{XCELL_NUMBER, c[4]},
				{XCELL_TEXT, json_is_true(json_object_get(r, "bottom3")) ? "通报批评、约谈" : ""},
			};
			xlsx_out_row(x, row, 11);
		}
		if (xlsx_out_close(x, &err) != 0) {
			buf_addf(why, "%s", err ? err : "无法写入");
			free(err);
			rc = 1;
		}
		goto done;
	}
	if (fmt == BULLETIN_TEXT) {
		buf_addf(out, "%s\n\n", title);
		for (int k = 0; k < 4; k++)
			if (p[k].len)
				buf_addf(out, "    %s\n", p[k].data);
		buf_adds(out, "\n");
	}
	struct jw w;
	if (fmt == BULLETIN_JSON) {
		jw_init(&w, out);
		jw_obj(&w);
		jw_kstr(&w, "month", str(doc, "month"));
		jw_kstr(&w, "title", title);
		jw_kbool(&w, "published", published);
		jw_kstr(&w, "evaluated_on", str(doc, "evaluated_on"));
		/* Snapshots published before the basis existed were reported. */
		const char *basis = json_string_value(json_object_get(doc, "basis"));
		jw_kstr(&w, "basis", basis ? basis : "reported");
		jw_key(&w, "paragraphs");
		jw_arr(&w);
		for (int k = 0; k < 4; k++)
			if (p[k].len)
				jw_str(&w, p[k].data);
		jw_arr_end(&w);
		jw_key(&w, "ranking");
		char *rk = json_dumps(ranking, JSON_COMPACT);
		jw_raw(&w, rk);
		free(rk);
		jw_key(&w, "regions");
		jw_arr(&w);
	}
	json_array_foreach(ranking, i, r)
	{
		json_t *ind = json_object_get(r, "indicators");
		char ryi[32];
		money_format_yi2(num(ind, "signed_amount"), ryi);
		struct buf t = BUF_INIT;
		buf_addf(&t, "%s:签约亿元以上省外项目%lld个,合同投资额%s亿元;按期注册率%s%%、按期开工率%s%%、"
			     "按期入库率%s%%;逾期事项%lld项;重大项目完成投资%lld万元。得分%s,第%lld名%s。",
			 str(r, "region"), num(ind, "signed_count"), ryi, rate_or(ind, "register_rate"),
			 rate_or(ind, "start_rate"), rate_or(ind, "include_rate"), num(ind, "overdue_count"),
			 num(ind, "invested_amount"), str(r, "score"), num(r, "rank"),
			 json_is_true(json_object_get(r, "bottom3")) ? ",通报批评" : "");
		if (fmt == BULLETIN_JSON) {
			jw_obj(&w);
			jw_kstr(&w, "region", str(r, "region"));
			jw_kstr(&w, "text", t.data);
			jw_obj_end(&w);
		} else {
			buf_addf(out, "%s\n", t.data);
		}
		buf_release(&t);
	}
	if (fmt == BULLETIN_JSON) {
		jw_arr_end(&w);
		jw_obj_end(&w);
	}
done:
	for (int k = 0; k < 4; k++)
		buf_release(&p[k]);
	json_decref(doc);
	return rc;
}

int briefing_build(struct store *s, const struct refdata *rd, int year, int32_t today, bool json,
		   struct buf *out)
{
	int32_t end = date_from_ymd(year, 12, 31);
	int32_t as_of = end < today ? end : today;
	struct buf h = BUF_INIT, e = BUF_INIT;
	if (report_headline(s, rd, year, as_of, true, &h) != 0 || report_effort(s, rd, year, true, &e) != 0) {
		buf_release(&h);
		buf_release(&e);
		return -1;
	}
	json_error_t err;
	json_t *hd = json_loadb(h.data, h.len, 0, &err), *ef = json_loadb(e.data, e.len, 0, &err);
	buf_release(&h);
	buf_release(&e);
	json_t *o = json_object_get(hd, "out_of_province_100m"), *ev = json_object_get(hd, "event_signed");
	json_t *trips = json_object_get(ef, "trips"), *st = json_object_get(ef, "stationed");
	json_t *cm = json_object_get(trips, "city_main"), *cd = json_object_get(trips, "city_deputy");
	json_t *co = json_object_get(trips, "county");
	struct buf p = BUF_INIT;
	buf_addf(&p, "%d年,全市新签约亿元以上省外投资项目%lld个、合同投资额%s亿元,已开工%lld个,落地转化率%s%%;"
		     "以会招商签约项目%lld个、合同投资额%s亿元;亿元以上外向型项目%lld个。",
		 year, num(o, "count"), str(o, "amount_yi"), num(o, "started"), str(o, "conversion_rate"),
		 num(ev, "count"), str(ev, "amount_yi"),
		 num(json_object_get(hd, "foreign_oriented_100m"), "count"));
	buf_addf(&p, "市主要领导外出招商%lld次、拜访企业%lld家,分管市领导外出招商%lld次、拜访企业%lld家;"
		     "县级党政主要负责人外出招商%lld天、拜访企业%lld家,签约重大项目%lld个。",
		 num(cm, "trips"), num(cm, "companies"), num(cd, "trips"), num(cd, "companies"),
		 num(co, "days"), num(co, "companies"), num(co, "major_projects"));
	buf_addf(&p, "%lld个驻点招商小分队共%lld人,收集意向信息%lld条;举办招商活动%lld场,开展专题招商%lld个,"
		     "点题招商项目%lld个。以上数字均由系统记录统计生成。",
		 num(st, "teams"), num(st, "people"), num(st, "intentions"), num(ef, "events"),
		 num(ef, "campaigns"), num(ef, "targeted_projects"));
	char asof[11];
	date_format(as_of, asof);
	if (json) {
		struct jw w;
		jw_init(&w, out);
		jw_obj(&w);
		jw_kint(&w, "year", year);
		jw_kstr(&w, "as_of", asof);
		jw_kstr(&w, "basis", json_string_value(json_object_get(hd, "basis")));
		char title[64];
		snprintf(title, sizeof(title), "%d年招商引资工作情况", year);
		jw_kstr(&w, "title", title);
		jw_kstr(&w, "text", p.data);
		jw_obj_end(&w);
	} else {
		buf_addf(out, "%d年招商引资工作情况 (截至 %s)\n\n    %s\n", year, asof, p.data);
	}
	buf_release(&p);
	json_decref(hd);
	json_decref(ef);
	return 0;
}
