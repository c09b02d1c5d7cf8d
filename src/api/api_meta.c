/*
 * api_meta: health, the OpenAPI document and the reference data lists.
 */
#include <stdlib.h>
#include <string.h>

#include "domain/date.h"
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

void api_events_list(struct req *r)
{
	struct event_info *ev;
	int n;
	if (store_events_list(r->store, &ev, &n) != 0) {
		reply_store_error(r);
		return;
	}
	struct jw w;
	jw_init(&w, &r->body);
	jw_arr(&w);
	for (int i = 0; i < n; i++) {
		jw_obj(&w);
		jw_kint(&w, "id", ev[i].id);
		jw_kstr(&w, "name", ev[i].name);
		jw_kstr(&w, "type", ev[i].type);
		jw_kstr(&w, "city", ev[i].city);
		jw_kstr(&w, "held_on", ev[i].held_on);
		jw_obj_end(&w);
	}
	jw_arr_end(&w);
	event_info_release(ev, n);
	reply_json(r, 200);
}
