/*
 * api_effort: how the city hunts investment, in records: campaigns (专题招商,
 * 春季/夏季攻势), events 以会招商 with their follow-through, leaders' trips
 * 外出招商 with the companies visited, stationed teams 驻点招商, and the
 * year's effort figures (the article's kind: trips, companies visited, days
 * out, intentions collected, events, campaigns).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "domain/date.h"
#include "domain/money.h"
#include "http/http.h"
#include "refdata.h"
#include "report.h"
#include "util/json.h"
#include "util/text.h"
#include "util/xalloc.h"

static const char *const levels[] = {"city_main", "city_deputy", "chain_leader", "county_main"};
static const char *const level_names[] = {"市主要领导", "分管市领导", "链长", "县级党政主要负责人"};

static int level_find(const char *v)
{
	for (int i = 0; v && i < 4; i++)
		if (strcmp(levels[i], v) == 0)
			return i;
	return -1;
}

/* A required or optional date of the body; 0, or -1 after replying. */
static int body_date(struct req *r, const char *key, bool required, int32_t *out)
{
	const char *v;
	*out = DATE_NONE;
	if (req_body_string(r, key, &v) != 0)
		return -1;
	if (!v || !*v)
		return required ? reply_error(r, 400, "invalid_field", key, "缺少日期 %s", key) : 0;
	if (date_parse_any(v, out) != 0)
		return reply_error(r, 400, "invalid_field", key, "日期 %s 的值 \"%s\" 无效", key, v);
	return 0;
}

/* A required (or optional) text of the body, normalised; NULL when absent.
 * 0, or -1 after replying. */
static int body_text(struct req *r, const char *key, bool required, size_t max, char **out)
{
	const char *v;
	*out = NULL;
	if (req_body_string(r, key, &v) != 0)
		return -1;
	if (v && *v) {
		*out = text_normalize(v);
		if (**out && text_length(*out) <= max)
			return 0;
		free(*out);
		*out = NULL;
		return reply_error(r, 400, "invalid_field", key, "%s 过长 (最多 %zu 个字符)", key, max);
	}
	return required ? reply_error(r, 400, "invalid_field", key, "缺少 %s", key) : 0;
}

static int audit_now(struct req *r, const char *action, const char *entity, int64_t id,
		     const char *json)
{
	char key[24];
	snprintf(key, sizeof(key), "%lld", (long long)id);
	return audit_append(r->store, r->who, action, entity, key, NULL, json);
}

/* Commits a write begun by the caller and replies 201 {"id":N}; or rolls
 * back and replies the store's error. */
static void finish_create(struct req *r, int rc, int64_t id)
{
	if (rc == 0 && store_commit(r->store) == 0) {
		buf_reset(&r->body);
		buf_addf(&r->body, "{\"id\":%lld}", (long long)id);
		reply_json(r, 201);
		return;
	}
	store_rollback(r->store);
	if (!r->replied) {
		if (store_conflict(r->store))
			reply_error(r, 409, "conflict", "name", "%s", store_error(r->store));
		else
			reply_store_error(r);
	}
}

/* ---- campaigns ---- */

static int campaign_row(void *ctx, const char *const *v, int n)
{
	struct jw *w = ctx;
	(void)n;
	jw_obj(w);
	jw_kint(w, "id", strtoll(v[0], NULL, 10));
	jw_kstr(w, "name", v[1]);
	jw_kstr(w, "theme", v[2]);
	jw_kstr(w, "starts_on", v[3]);
	jw_kstr(w, "ends_on", v[4]);
	jw_kint(w, "events", strtoll(v[5], NULL, 10));
	jw_kint(w, "trips", strtoll(v[6], NULL, 10));
	jw_obj_end(w);
	return 0;
}

void api_campaigns_list(struct req *r)
{
	struct jw w;
	jw_init(&w, &r->body);
	jw_arr(&w);
	if (store_campaigns(r->store, campaign_row, &w) != 0) {
		reply_store_error(r);
		return;
	}
	jw_arr_end(&w);
	reply_json(r, 200);
}

void api_campaigns_create(struct req *r)
{
	static const char *const allowed[] = {"name", "theme", "starts_on", "ends_on", NULL};
	char *name = NULL, *theme = NULL, now[21];
	int32_t starts, ends;
	date_format_utc(r->now, now);
	if (req_only_keys(r, allowed) != 0 || body_text(r, "name", true, 100, &name) != 0 ||
	    body_text(r, "theme", false, 200, &theme) != 0 ||
	    body_date(r, "starts_on", true, &starts) != 0 || body_date(r, "ends_on", false, &ends) != 0)
		goto out;
	if (ends != DATE_NONE && ends < starts) {
		reply_error(r, 400, "invalid_field", "ends_on", "结束日期不能早于开始日期");
		goto out;
	}
	int64_t id = 0;
	int rc = store_begin(r->store);
	if (rc == 0)
		rc = store_campaign_add(r->store, name, theme, starts, ends, now, &id);
	if (rc == 0)
		rc = audit_now(r, "campaign.create", "campaign", id, NULL);
	finish_create(r, rc, id);
out:
	free(name);
	free(theme);
}

/* The campaign named in the body (key "campaign"); 0 none given, -1 after
 * replying. */
static int body_campaign(struct req *r, int64_t *id)
{
	const char *v;
	*id = 0;
	if (req_body_string(r, "campaign", &v) != 0)
		return -1;
	if (!v || !*v)
		return 0;
	int got = store_campaign_find(r->store, v, id);
	if (got < 0)
		return reply_store_error(r);
	if (got > 0)
		return reply_error(r, 400, "invalid_field", "campaign", "没有专题活动 \"%s\"", v);
	return 0;
}

/* ---- events ---- */

static int read_event(struct req *r, struct event_fields *e, char **owned)
{
	static const char *const allowed[] = {"name", "type", "city", "held_on", "theme", "organiser",
					      "campaign", NULL};
	if (req_only_keys(r, allowed) != 0 || body_text(r, "name", true, 200, &owned[0]) != 0 ||
	    body_text(r, "type", false, 50, &owned[1]) != 0 ||
	    body_text(r, "city", false, 50, &owned[2]) != 0 ||
	    body_text(r, "theme", false, 200, &owned[3]) != 0 ||
	    body_text(r, "organiser", false, 100, &owned[4]) != 0 ||
	    body_date(r, "held_on", true, &e->held_on) != 0 || body_campaign(r, &e->campaign_id) != 0)
		return -1;
	e->name = owned[0];
	e->type = owned[1];
	e->city = owned[2];
	e->theme = owned[3];
	e->organiser = owned[4];
	return 0;
}

void api_events_create(struct req *r)
{
	struct event_fields e = {0};
	char *owned[5] = {0}, now[21];
	date_format_utc(r->now, now);
	if (store_begin(r->store) != 0) {
		reply_store_error(r);
		return;
	}
	int64_t id = 0;
	int rc = read_event(r, &e, owned);
	if (rc == 0)
		rc = store_event_create(r->store, &e, now, &id);
	if (rc == 0)
		rc = audit_now(r, "event.create", "event", id, NULL);
	finish_create(r, rc, id);
	for (int i = 0; i < 5; i++)
		free(owned[i]);
}

void api_events_update(struct req *r)
{
	struct event_fields e = {0};
	char *owned[5] = {0}, *end;
	long long id = strtoll(r->params[0], &end, 10);
	if (*end || id <= 0) {
		reply_error(r, 404, "not_found", "id", "没有这个活动");
		return;
	}
	if (store_begin(r->store) != 0) {
		reply_store_error(r);
		return;
	}
	int rc = read_event(r, &e, owned);
	if (rc == 0)
		rc = store_event_update(r->store, id, &e);
	if (rc == 0)
		rc = audit_now(r, "event.update", "event", id, NULL);
	if (rc == 0 && store_commit(r->store) == 0) {
		buf_reset(&r->body);
		buf_addf(&r->body, "{\"id\":%lld}", id);
		reply_json(r, 200);
	} else {
		finish_create(r, -1, 0);
	}
	for (int i = 0; i < 5; i++)
		free(owned[i]);
}

struct event_detail {
	struct jw *w;
	struct req *r;
	bool found;
	int64_t count, amount, registered, started, included, producing, terminated;
	int64_t counties[64][2]; /* county id, count */
	int ncounties;
};

static int event_head(void *ctx, const char *const *v, int n)
{
	struct event_detail *d = ctx;
	(void)n;
	d->found = true;
	jw_kint(d->w, "id", strtoll(v[0], NULL, 10));
	jw_kstr(d->w, "name", v[1]);
	jw_kstr(d->w, "type", v[2]);
	jw_kstr(d->w, "city", v[3]);
	jw_kstr(d->w, "held_on", v[4]);
	jw_kstr(d->w, "theme", v[5]);
	jw_kstr(d->w, "organiser", v[6]);
	jw_kstr(d->w, "campaign", v[7]);
	return 1;
}

/* Whether a milestone day (text) is on or before today. */
static bool reached(const char *day, int32_t today)
{
	int32_t d;
	return day && date_parse_iso(day, &d) == 0 && d <= today;
}

static int event_project(void *ctx, const char *const *v, int n)
{
	struct event_detail *d = ctx;
	(void)n;
	int64_t amount = strtoll(v[4], NULL, 10);
	bool terminated = reached(v[10], d->r->today);
	d->count++;
	d->amount += amount;
	d->registered += reached(v[6], d->r->today);
	d->started += reached(v[7], d->r->today);
	d->included += reached(v[8], d->r->today);
	d->producing += reached(v[9], d->r->today);
	d->terminated += terminated;
	/* Only the projects the caller may see are listed; the figures count all. */
	if (!principal_sees_project(d->r->who, d->r->rd, strtoll(v[11], NULL, 10),
				    v[12] ? strtoll(v[12], NULL, 10) : 0))
		return 0;
	const struct region *c = refdata_region_by_id(d->r->rd, strtoll(v[3], NULL, 10));
	char yi[32];
	money_format_yi(amount, yi);
	jw_obj(d->w);
	jw_kstr(d->w, "code", v[0]);
	jw_kstr(d->w, "name", v[1]);
	jw_kstr(d->w, "investor", v[2]);
	jw_kstr(d->w, "county", c ? c->name : NULL);
	jw_kstr(d->w, "amount_yi", yi);
	jw_kstr(d->w, "signed_on", v[5]);
	jw_kstr(d->w, "registered_on", v[6]);
	jw_kstr(d->w, "started_on", v[7]);
	jw_kstr(d->w, "included_on", v[8]);
	jw_kstr(d->w, "terminated_on", v[10]);
	jw_obj_end(d->w);
	return 0;
}

static int event_repeat(void *ctx, const char *const *v, int n)
{
	struct jw *w = ctx;
	(void)n;
	jw_obj(w);
	jw_kstr(w, "code", v[0]);
	jw_kstr(w, "other_code", v[1]);
	jw_kstr(w, "other_event", v[2]);
	jw_obj_end(w);
	return 0;
}

void api_events_get(struct req *r)
{
	char *end;
	long long id = strtoll(r->params[0], &end, 10);
	struct jw w;
	jw_init(&w, &r->body);
	jw_obj(&w);
	struct event_detail d = {.w = &w, .r = r};
	if (*end || id <= 0) {
		reply_error(r, 404, "not_found", "id", "没有这个活动");
		return;
	}
	if (store_event_get(r->store, id, event_head, &d) != 0) {
		reply_store_error(r);
		return;
	}
	if (!d.found) {
		reply_error(r, 404, "not_found", "id", "没有这个活动");
		return;
	}
	jw_key(&w, "projects");
	jw_arr(&w);
	if (store_event_projects(r->store, id, event_project, &d) != 0) {
		reply_store_error(r);
		return;
	}
	jw_arr_end(&w);
	/* Follow-through: of the signings, how many landed (as of today). */
	char yi[32], rate[16];
	money_format_yi2(d.amount, yi);
	jw_key(&w, "follow_through");
	jw_obj(&w);
	jw_kint(&w, "signed", d.count);
	jw_kstr(&w, "amount_yi", yi);
	jw_kint(&w, "registered", d.registered);
	jw_kint(&w, "started", d.started);
	jw_kint(&w, "included", d.included);
	jw_kint(&w, "producing", d.producing);
	jw_kint(&w, "terminated", d.terminated);
	jw_kstr(&w, "started_rate", rate_format(d.started, d.count, rate) == 0 ? rate : NULL);
	jw_obj_end(&w);
	jw_key(&w, "repeat_signings");
	jw_arr(&w);
	if (store_event_repeats(r->store, id, event_repeat, &w) != 0) {
		reply_store_error(r);
		return;
	}
	jw_arr_end(&w);
	jw_obj_end(&w);
	reply_json(r, 200);
}

/* ---- trips ---- */

static int trip_row(void *ctx, const char *const *v, int n)
{
	struct jw *w = ctx;
	(void)n;
	int l = level_find(v[1]);
	jw_obj(w);
	jw_kint(w, "id", strtoll(v[0], NULL, 10));
	jw_kstr(w, "leader_level", v[1]);
	jw_kstr(w, "leader_level_name", l >= 0 ? level_names[l] : NULL);
	jw_kstr(w, "leader", v[2]);
	jw_kint(w, "region_id", v[3] ? strtoll(v[3], NULL, 10) : 0);
	jw_kstr(w, "campaign", v[4]);
	jw_kstr(w, "starts_on", v[5]);
	jw_kstr(w, "ends_on", v[6]);
	jw_kint(w, "days", strtoll(v[7], NULL, 10));
	jw_kstr(w, "cities", v[8]);
	jw_kstr(w, "purpose", v[9]);
	jw_kstr(w, "created_by", v[10]);
	jw_kint(w, "visits", strtoll(v[11], NULL, 10));
	jw_obj_end(w);
	return 0;
}

void api_trips_list(struct req *r)
{
	int y, m, d;
	date_to_ymd(r->today, &y, &m, &d);
	long year;
	const char *level = req_query(r, "leader_level");
	if (query_int(r, "year", 1900, 9999, y, &year) != 0)
		return;
	if (level && *level && level_find(level) < 0) {
		reply_error(r, 400, "invalid_parameter", "leader_level",
			    "leader_level 应为 city_main、city_deputy、chain_leader 或 county_main");
		return;
	}
	struct jw w;
	jw_init(&w, &r->body);
	jw_arr(&w);
	if (store_trips(r->store, date_from_ymd((int)year, 1, 1), date_from_ymd((int)year, 12, 31),
			level && *level ? level : NULL, trip_row, &w) != 0) {
		reply_store_error(r);
		return;
	}
	jw_arr_end(&w);
	reply_json(r, 200);
}

void api_trips_create(struct req *r)
{
	static const char *const allowed[] = {"leader_level", "leader", "region", "campaign",
					      "starts_on", "ends_on", "cities", "purpose", NULL};
	struct trip_fields t = {.created_by = r->who->username};
	char *leader = NULL, *cities = NULL, *purpose = NULL, now[21];
	const char *level, *region;
	date_format_utc(r->now, now);
	if (store_begin(r->store) != 0) {
		reply_store_error(r);
		return;
	}
	int rc = -1;
	int64_t id = 0;
	if (req_only_keys(r, allowed) != 0 || req_body_string(r, "leader_level", &level) != 0 ||
	    req_body_string(r, "region", &region) != 0 ||
	    body_text(r, "leader", true, 50, &leader) != 0 ||
	    body_text(r, "cities", true, 200, &cities) != 0 ||
	    body_text(r, "purpose", false, 500, &purpose) != 0 ||
	    body_date(r, "starts_on", true, &t.starts_on) != 0 ||
	    body_date(r, "ends_on", true, &t.ends_on) != 0 || body_campaign(r, &t.campaign_id) != 0)
		goto out;
	if (level_find(level) < 0) {
		reply_error(r, 400, "invalid_field", "leader_level",
			    "leader_level 应为 city_main (市主要领导)、city_deputy (分管市领导)、"
			    "chain_leader (链长) 或 county_main (县级党政主要负责人)");
		goto out;
	}
	if (t.ends_on < t.starts_on || t.ends_on > r->today) {
		reply_error(r, 400, "invalid_field", "ends_on", "返回日期不能早于出发日期,也不能晚于今天");
		goto out;
	}
	if (region && *region) {
		const struct region *g = refdata_region(r->rd, region);
		if (!g) {
			reply_error(r, 400, "invalid_field", "region", "未知的区域 \"%s\"", region);
			goto out;
		}
		t.region_id = g->id;
	} else if (strcmp(level, "county_main") == 0) {
		reply_error(r, 400, "invalid_field", "region", "县级负责人的外出须写明所属县市区 region");
		goto out;
	}
	if (r->who->role == ROLE_REGION && !(t.region_id && principal_sees_region(r->who, r->rd, t.region_id))) {
		reply_error(r, 403, "forbidden", "region", "只能登记本辖区的外出招商");
		goto out;
	}
	t.leader_level = level;
	t.leader = leader;
	t.cities = cities;
	t.purpose = purpose;
	t.days = t.ends_on - t.starts_on + 1;
	rc = store_trip_add(r->store, &t, now, &id);
	if (rc == 0)
		rc = audit_now(r, "trip.create", "trip", id, NULL);
out:
	finish_create(r, rc, id);
	free(leader);
	free(cities);
	free(purpose);
}

static int visit_row(void *ctx, const char *const *v, int n)
{
	struct jw *w = ctx;
	(void)n;
	jw_obj(w);
	jw_kint(w, "id", strtoll(v[0], NULL, 10));
	jw_kint(w, "company_id", strtoll(v[1], NULL, 10));
	jw_kstr(w, "company", v[2]);
	jw_kstr(w, "visited_on", v[3]);
	jw_kstr(w, "outcome", v[4]);
	jw_kint(w, "lead_id", v[5] ? strtoll(v[5], NULL, 10) : 0);
	jw_kstr(w, "project", v[6]);
	jw_obj_end(w);
	return 0;
}

struct one_trip {
	struct jw *w;
	bool found;
	int32_t starts, ends;
	int64_t region_id;
};

static int trip_head(void *ctx, const char *const *v, int n)
{
	struct one_trip *t = ctx;
	t->found = true;
	date_parse_iso(v[5], &t->starts);
	date_parse_iso(v[6], &t->ends);
	t->region_id = v[3] ? strtoll(v[3], NULL, 10) : 0;
	if (t->w)
		trip_row(t->w, v, n);
	return 1;
}

void api_trips_get(struct req *r)
{
	char *end;
	long long id = strtoll(r->params[0], &end, 10);
	struct buf head = BUF_INIT;
	struct jw hw;
	jw_init(&hw, &head);
	struct one_trip t = {.w = &hw};
	int rc = *end || id <= 0 ? 1 : store_trip_get(r->store, id, trip_head, &t);
	if (rc != 0 || !t.found) {
		buf_release(&head);
		if (rc < 0)
			reply_store_error(r);
		else
			reply_error(r, 404, "not_found", "id", "没有这次外出");
		return;
	}
	/* The trip object with its visits. */
	head.len--; /* drop the closing brace */
	buf_add(&r->body, head.data, head.len);
	buf_release(&head);
	struct jw w;
	jw_init(&w, &r->body);
	buf_adds(&r->body, ",\"visit_list\":");
	jw_arr(&w);
	if (store_visits(r->store, id, visit_row, &w) != 0) {
		reply_store_error(r);
		return;
	}
	jw_arr_end(&w);
	buf_addc(&r->body, '}');
	reply_json(r, 200);
}

void api_trips_visit(struct req *r)
{
	static const char *const allowed[] = {"company", "company_id", "visited_on", "outcome",
					      "lead_id", "project", NULL};
	char *end;
	long long trip = strtoll(r->params[0], &end, 10);
	struct one_trip t = {0};
	if (*end || trip <= 0 || store_trip_get(r->store, trip, trip_head, &t) != 0 || !t.found) {
		reply_error(r, 404, "not_found", "id", "没有这次外出");
		return;
	}
	if (r->who->role == ROLE_REGION && !(t.region_id && principal_sees_region(r->who, r->rd, t.region_id))) {
		reply_error(r, 403, "forbidden", "id", "只能登记本辖区的外出招商");
		return;
	}
	char *outcome = NULL, *company = NULL;
	int32_t on;
	const char *code;
	int64_t company_id = 0, project_id = 0, lead_id = 0, id = 0;
	if (store_begin(r->store) != 0) {
		reply_store_error(r);
		return;
	}
	int rc = -1;
	json_t *cid = json_object_get(r->json, "company_id"), *lid = json_object_get(r->json, "lead_id");
	if (req_only_keys(r, allowed) != 0 || body_text(r, "company", !cid, 200, &company) != 0 ||
	    body_text(r, "outcome", false, 1000, &outcome) != 0 ||
	    body_date(r, "visited_on", true, &on) != 0 || req_body_string(r, "project", &code) != 0)
		goto out;
	if (on < t.starts || on > t.ends) {
		reply_error(r, 400, "invalid_field", "visited_on", "拜访日期须在这次外出的起止日期之内");
		goto out;
	}
	if (cid) {
		struct company c;
		if (!json_is_integer(cid) || store_company_get(r->store, json_integer_value(cid), &c) != 0) {
			reply_error(r, 400, "invalid_field", "company_id", "没有这个企业");
			goto out;
		}
		company_id = c.id;
		company_release(&c);
	} else if (store_company_ensure(r->store, company, NULL, NULL, NULL, &company_id, NULL) != 0) {
		goto out;
	}
	if (lid) {
		struct lead l;
		if (!json_is_integer(lid) || store_lead_get(r->store, json_integer_value(lid), &l) != 0) {
			reply_error(r, 400, "invalid_field", "lead_id", "没有这个线索");
			goto out;
		}
		lead_id = l.id;
		lead_release(&l);
	}
	if (code && *code) {
		struct project p;
		if (store_project_get(r->store, code, &p) != 0) {
			reply_error(r, 400, "invalid_field", "project", "没有编号为 %s 的项目", code);
			goto out;
		}
		project_id = p.id;
		project_release(&p);
	}
	rc = store_visit_add(r->store, trip, company_id, on, outcome, lead_id, project_id, &id);
	if (rc == 0)
		rc = audit_now(r, "trip.visit", "trip", trip, NULL);
out:
	finish_create(r, rc, id);
	free(outcome);
	free(company);
}

/* ---- stationed teams ---- */

static int team_row(void *ctx, const char *const *v, int n)
{
	struct jw *w = ctx;
	(void)n;
	int64_t intentions = strtoll(v[8], NULL, 10), signed_ = strtoll(v[9], NULL, 10);
	char rate[16];
	jw_obj(w);
	jw_kint(w, "id", strtoll(v[0], NULL, 10));
	jw_kstr(w, "name", v[1]);
	jw_kstr(w, "city", v[2]);
	jw_kint(w, "region_id", v[3] ? strtoll(v[3], NULL, 10) : 0);
	jw_kstr(w, "leader", v[4]);
	jw_kint(w, "members", strtoll(v[5], NULL, 10));
	jw_kstr(w, "starts_on", v[6]);
	jw_kstr(w, "ends_on", v[7]);
	jw_kint(w, "intentions", intentions);
	jw_kint(w, "signed", signed_);
	jw_kstr(w, "conversion_rate", rate_format(signed_, intentions, rate) == 0 ? rate : NULL);
	jw_obj_end(w);
	return 0;
}

void api_teams_list(struct req *r)
{
	struct jw w;
	jw_init(&w, &r->body);
	jw_arr(&w);
	if (store_teams(r->store, team_row, &w) != 0) {
		reply_store_error(r);
		return;
	}
	jw_arr_end(&w);
	reply_json(r, 200);
}

void api_teams_create(struct req *r)
{
	static const char *const allowed[] = {"name", "city", "region", "leader", "members",
					      "starts_on", "ends_on", NULL};
	struct team_fields t = {0};
	char *name = NULL, *city = NULL, *leader = NULL, now[21];
	const char *region;
	date_format_utc(r->now, now);
	if (store_begin(r->store) != 0) {
		reply_store_error(r);
		return;
	}
	int rc = -1;
	int64_t id = 0;
	json_t *members = json_object_get(r->json, "members");
	if (req_only_keys(r, allowed) != 0 || body_text(r, "name", true, 100, &name) != 0 ||
	    body_text(r, "city", true, 50, &city) != 0 || body_text(r, "leader", false, 50, &leader) != 0 ||
	    req_body_string(r, "region", &region) != 0 ||
	    body_date(r, "starts_on", true, &t.starts_on) != 0 ||
	    body_date(r, "ends_on", false, &t.ends_on) != 0)
		goto out;
	if (!json_is_integer(members) || json_integer_value(members) < 1 ||
	    json_integer_value(members) > 1000) {
		reply_error(r, 400, "invalid_field", "members", "人数 members 应为 1 到 1000 的整数");
		goto out;
	}
	if (region && *region) {
		const struct region *g = refdata_region(r->rd, region);
		if (!g) {
			reply_error(r, 400, "invalid_field", "region", "未知的区域 \"%s\"", region);
			goto out;
		}
		t.region_id = g->id;
	}
	t.name = name;
	t.city = city;
	t.leader = leader;
	t.members = (int)json_integer_value(members);
	rc = store_team_add(r->store, &t, now, &id);
	if (rc == 0)
		rc = audit_now(r, "team.create", "team", id, NULL);
out:
	finish_create(r, rc, id);
	free(name);
	free(city);
	free(leader);
}

/* ---- the effort report ---- */

void api_reports_effort(struct req *r)
{
	int y, m, d;
	date_to_ymd(r->today, &y, &m, &d);
	long year;
	if (query_int(r, "year", 1900, 9999, y, &year) != 0)
		return;
	if (report_effort(r->store, r->rd, (int)year, true, &r->body) != 0) {
		reply_store_error(r);
		return;
	}
	reply_json(r, 200);
}
