/*
 * api_reports: the headline figures and the 26211 warnings (the same code as
 * `zhaoshang report headline` and `zhaoshang warnings`).
 */
#include <string.h>

#include "http/http.h"
#include "report.h"
#include "domain/date.h"
#include "domain/interchange.h"

/* Reads year and as_of (defaults: today and its year) and checks them.
 * Returns 0, or -1 after replying 400. */
static int year_as_of(struct req *r, int *year, int32_t *as_of)
{
	long y;
	int dy, m, d;
	if (query_date(r, "as_of", r->today, as_of) != 0)
		return -1;
	date_to_ymd(*as_of, &dy, &m, &d);
	if (query_int(r, "year", 1900, 9999, dy, &y) != 0)
		return -1;
	*year = (int)y;
	struct buf err = BUF_INIT;
	if (report_headline_check(*year, *as_of, &err) != 0) {
		reply_error(r, 400, "invalid_parameter", "as_of", "%s", buf_cstr(&err));
		buf_release(&err);
		return -1;
	}
	return 0;
}

void api_reports_breakdown(struct req *r)
{
	int year;
	int32_t as_of;
	const char *byname = req_query(r, "by");
	int by = byname ? report_breakdown_find(byname) : -1;
	if (by < 0) {
		reply_error(r, 400, "invalid_parameter", "by", "参数 by 应为 %s", report_breakdown_names);
		return;
	}
	if (year_as_of(r, &year, &as_of) != 0)
		return;
	if (report_breakdown(r->store, r->rd, by, year, as_of, true, &r->body) != 0) {
		reply_store_error(r);
		return;
	}
	reply_json(r, 200);
}

void api_reports_origins(struct req *r)
{
	int year;
	int32_t as_of;
	if (year_as_of(r, &year, &as_of) != 0)
		return;
	const char *province = req_query(r, "province");
	if (province && *province) {
		province = ix_province(province);
		if (!province) {
			reply_error(r, 400, "invalid_parameter", "province", "未知的省份 \"%s\"",
				    req_query(r, "province"));
			return;
		}
	} else {
		province = NULL;
	}
	const char *layer_name = req_query(r, "layer");
	int layer = ORIGIN_SIGNED;
	if (layer_name && *layer_name) {
		if (strcmp(layer_name, "signed") == 0)
			layer = ORIGIN_SIGNED;
		else if (strcmp(layer_name, "leads") == 0)
			layer = ORIGIN_LEADS;
		else if (strcmp(layer_name, "targets") == 0)
			layer = ORIGIN_TARGETS;
		else {
			reply_error(r, 400, "invalid_parameter", "layer", "layer 应为 signed、leads 或 targets");
			return;
		}
	}
	if (report_origins(r->store, r->rd, year, as_of, layer, province, true, &r->body) != 0) {
		reply_store_error(r);
		return;
	}
	reply_json(r, 200);
}

void api_reports_headline(struct req *r)
{
	int32_t as_of;
	long year;
	if (query_date(r, "as_of", r->today, &as_of) != 0)
		return;
	int y, m, d;
	date_to_ymd(as_of, &y, &m, &d);
	if (query_int(r, "year", 1900, 9999, y, &year) != 0)
		return;
	struct buf err = BUF_INIT;
	if (report_headline_check((int)year, as_of, &err) != 0) {
		reply_error(r, 400, "invalid_parameter", "as_of", "%s", buf_cstr(&err));
		buf_release(&err);
		return;
	}
	if (report_headline(r->store, r->rd, (int)year, as_of, true, &r->body) != 0) {
		reply_store_error(r);
		return;
	}
	reply_json(r, 200);
}

void api_warnings_list(struct req *r)
{
	int32_t as_of;
	bool all;
	if (query_date(r, "as_of", r->today, &as_of) != 0 || query_bool(r, "all", &all) != 0)
		return;
	if (report_warnings(r->store, r->rd, as_of, all, true, r->who, &r->body) != 0) {
		reply_store_error(r);
		return;
	}
	reply_json(r, 200);
}
