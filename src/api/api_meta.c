/*
 * api_meta: health, the OpenAPI document and the reference data lists.
 */
#include <stdlib.h>
#include <string.h>

#include "domain/date.h"
#include "domain/date.h"
#include "domain/money.h"
#include "http/http.h"
#include "util/embedded.h"
#include "util/json.h"

void api_health_get(struct req *r)
{
	struct jw w;
	char today[11];
	int64_t version = 0, n = 0;
	if (store_data_version(r->store, &version) != 0 || store_project_count(r->store, &n) != 0) {
		reply_store_error(r);
		return;
	}
	date_format(r->today, today);
	jw_init(&w, &r->body);
	jw_obj(&w);
	jw_kstr(&w, "status", "ok");
	jw_kstr(&w, "version", ZS_VERSION);
	jw_kstr(&w, "today", today);
	jw_kint(&w, "data_version", version);
	jw_kint(&w, "projects", n);
	jw_obj_end(&w);
	reply_json(r, 200);
}

void api_openapi_get(struct req *r)
{
	const struct embedded_file *f = embedded_find("src/api/openapi.json");
	if (!f) {
		reply_error(r, 500, "missing_asset", NULL, "OpenAPI 文档未编译进程序");
		return;
	}
	buf_add(&r->body, f->data, f->size);
	reply_json(r, 200);
}

void api_regions_list(struct req *r)
{
	struct jw w;
	jw_init(&w, &r->body);
	jw_arr(&w);
	for (int i = 0; i < r->rd->nregions; i++) {
		const struct region *g = &r->rd->regions[i];
		jw_obj(&w);
		jw_kint(&w, "id", g->id);
		jw_kstr(&w, "name", g->name);
		jw_kstr(&w, "code", g->code);
		jw_kstr(&w, "level", g->level);
		jw_kstr(&w, "path", g->path);
		jw_key(&w, "parent_id");
		if (g->parent_id)
			jw_int(&w, g->parent_id);
		else
			jw_null(&w);
		jw_key(&w, "county_id");
		if (g->county_id)
			jw_int(&w, g->county_id);
		else
			jw_null(&w);
		jw_kbool(&w, "assessed", g->assessed);
		jw_kint(&w, "sort_order", g->sort_order);
		jw_obj_end(&w);
	}
	jw_arr_end(&w);
	reply_json(r, 200);
}

static void named_list(struct req *r, const struct named *n, int count, bool chains)
{
	struct jw w;
	jw_init(&w, &r->body);
	jw_arr(&w);
	for (int i = 0; i < count; i++) {
		jw_obj(&w);
		jw_kint(&w, "id", n[i].id);
		jw_kstr(&w, "name", n[i].name);
		if (chains) {
			jw_kstr(&w, "category", n[i].category);
			jw_kstr(&w, "leader", n[i].leader);
		}
		jw_kint(&w, "sort_order", n[i].sort_order);
		jw_obj_end(&w);
	}
	jw_arr_end(&w);
	reply_json(r, 200);
}

void api_departments_list(struct req *r)
{
	named_list(r, r->rd->departments, r->rd->ndepartments, false);
}

void api_chains_list(struct req *r)
{
	named_list(r, r->rd->chains, r->rd->nchains, true);
}

void api_channels_list(struct req *r)
{
	named_list(r, r->rd->channels, r->rd->nchannels, false);
}

void api_rules_list(struct req *r)
{
	struct jw w;
	jw_init(&w, &r->body);
	jw_obj(&w);
	jw_kint(&w, "due_soon_days", r->rd->due_soon_days);
	jw_key(&w, "rules");
	jw_arr(&w);
	for (int i = 0; i < r->rd->nrules; i++) {
		const struct rule *u = &r->rd->rules[i];
		jw_obj(&w);
		jw_kstr(&w, "key", u->key);
		jw_kstr(&w, "name", u->name);
		jw_kstr(&w, "from_milestone", milestone_key(u->from));
		jw_kstr(&w, "to_milestone", milestone_key(u->to));
		jw_kint(&w, "months", u->months);
		jw_obj_end(&w);
	}
	jw_arr_end(&w);
	jw_obj_end(&w);
	reply_json(r, 200);
}

static int event_row(void *ctx, const char *const *v, int n)
{
	struct jw *w = ctx;
	char yi[32];
	(void)n;
	jw_obj(w);
	jw_kint(w, "id", strtoll(v[0], NULL, 10));
	jw_kstr(w, "name", v[1]);
	jw_kstr(w, "type", v[2]);
	jw_kstr(w, "city", v[3]);
	jw_kstr(w, "held_on", v[4]);
	jw_kstr(w, "theme", v[5]);
	jw_kstr(w, "organiser", v[6]);
	jw_kstr(w, "campaign", v[7]);
	jw_kint(w, "projects", strtoll(v[8], NULL, 10));
	money_format_yi(strtoll(v[9], NULL, 10), yi);
	jw_kstr(w, "amount_yi", yi);
	jw_obj_end(w);
	return 0;
}

/* Every event (or those of ?year=Y, and the undated), with how many
 * projects were signed there. */
void api_events_list(struct req *r)
{
	long year;
	if (query_int(r, "year", 0, 9999, 0, &year) != 0)
		return;
	int32_t from = year ? date_from_ymd((int)year, 1, 1) : date_from_ymd(1900, 1, 1);
	int32_t to = year ? date_from_ymd((int)year, 12, 31) : date_from_ymd(9999, 12, 31);
	struct jw w;
	jw_init(&w, &r->body);
	jw_arr(&w);
	if (store_events_full(r->store, from, to, event_row, &w) != 0) {
		reply_store_error(r);
		return;
	}
	jw_arr_end(&w);
	reply_json(r, 200);
}
