/*
 * api_reminders: one's inbox, and for the administrator the reminder
 * targets (WeCom/DingTalk robots, webhooks, e-mail) and the deliveries with
 * their state (failed ones visible).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "domain/date.h"
#include "http/http.h"
#include "util/json.h"

static int inbox_row(void *ctx, const char *const *v, int n)
{
	struct jw *w = ctx;
	(void)n;
	jw_obj(w);
	jw_kint(w, "id", strtoll(v[0], NULL, 10));
	jw_kstr(w, "item", v[1]);
	jw_kstr(w, "title", v[2]);
	jw_kstr(w, "body", v[3]);
	jw_kstr(w, "created_at", v[4]);
	jw_kstr(w, "read_at", v[5]);
	jw_obj_end(w);
	return 0;
}

void api_inbox_list(struct req *r)
{
	long limit;
	if (query_int(r, "limit", 1, 1000, 100, &limit) != 0)
		return;
	struct jw w;
	jw_init(&w, &r->body);
	jw_arr(&w);
	if (store_inbox(r->store, r->who->username, (int)limit, inbox_row, &w) != 0) {
		reply_store_error(r);
		return;
	}
	jw_arr_end(&w);
	reply_json(r, 200);
}

void api_inbox_read(struct req *r)
{
	char *end, now[21];
	long long id = strtoll(r->params[0], &end, 10);
	bool found = false;
	date_format_utc(r->now, now);
	if (*end || store_begin(r->store) != 0 ||
	    store_inbox_read(r->store, r->who->username, id, now, &found) != 0 ||
	    (found && audit_append(r->store, r->who, "inbox.read", "notification", r->params[0], NULL,
				   NULL) != 0) ||
	    store_commit_quiet(r->store) != 0) {
		store_rollback(r->store);
		if (*end)
			reply_error(r, 404, "not_found", "id", "没有这条提醒");
		else
			reply_store_error(r);
		return;
	}
	if (!found) {
		reply_error(r, 404, "not_found", "id", "没有这条提醒");
		return;
	}
	buf_adds(&r->body, "{\"ok\":true}");
	reply_json(r, 200);
}

void api_inbox_unread(struct req *r)
{
	int64_t n;
	if (store_inbox_unread(r->store, r->who->username, &n) != 0) {
		reply_store_error(r);
		return;
	}
	buf_addf(&r->body, "{\"unread\":%lld}", (long long)n);
	reply_json(r, 200);
}

void api_inbox_read_all(struct req *r)
{
	char now[21];
	int64_t n;
	date_format_utc(r->now, now);
	if (store_begin(r->store) != 0 || store_inbox_unread(r->store, r->who->username, &n) != 0 ||
	    store_inbox_read_all(r->store, r->who->username, now) != 0 ||
	    (n && audit_append(r->store, r->who, "inbox.read_all", "notification", "all", NULL, NULL) !=
			  0) ||
	    store_commit_quiet(r->store) != 0) {
		store_rollback(r->store);
		reply_store_error(r);
		return;
	}
	buf_addf(&r->body, "{\"read\":%lld}", (long long)n);
	reply_json(r, 200);
}

static int target_row(void *ctx, const char *const *v, int n)
{
	struct jw *w = ctx;
	(void)n;
	jw_obj(w);
	jw_kint(w, "id", strtoll(v[0], NULL, 10));
	jw_kstr(w, "kind", v[1]);
	jw_kstr(w, "target", v[2]);
	jw_kstr(w, "name", v[3]);
	jw_kbool(w, "enabled", strcmp(v[4], "0") != 0);
	jw_obj_end(w);
	return 0;
}

void api_targets_list(struct req *r)
{
	struct jw w;
	jw_init(&w, &r->body);
	jw_arr(&w);
	if (store_targets(r->store, target_row, &w) != 0) {
		reply_store_error(r);
		return;
	}
	jw_arr_end(&w);
	reply_json(r, 200);
}

void api_targets_create(struct req *r)
{
	static const char *const allowed[] = {"kind", "target", "name", NULL};
	const char *kind, *target, *name;
	if (req_only_keys(r, allowed) != 0 || req_body_string(r, "kind", &kind) != 0 ||
	    req_body_string(r, "target", &target) != 0 || req_body_string(r, "name", &name) != 0)
		return;
	static const char *const kinds[] = {"wecom", "dingtalk", "webhook", "email"};
	bool ok = false;
	for (int i = 0; kind && i < 4; i++)
		ok = ok || strcmp(kind, kinds[i]) == 0;
	if (!ok) {
		reply_error(r, 400, "invalid_field", "kind", "kind 应为 wecom (企业微信机器人)、dingtalk (钉钉机器人)、webhook 或 email");
		return;
	}
	bool email = strcmp(kind, "email") == 0;
	if (!target || !*target || strlen(target) > 500 ||
	    (email ? !strchr(target, '@') : strncmp(target, "http://", 7) != 0 && strncmp(target, "https://", 8) != 0)) {
		reply_error(r, 400, "invalid_field", "target", email ? "target 应为电子邮箱地址" : "target 应为 http(s):// 地址");
		return;
	}
	int64_t id;
	char key[24];
	if (store_begin(r->store) != 0 || store_target_add(r->store, kind, target, name, &id) != 0 ||
	    (snprintf(key, sizeof(key), "%lld", (long long)id),
	     audit_append(r->store, r->who, "reminder.target_add", "reminder_target", key, NULL, NULL)) != 0 ||
	    store_commit(r->store) != 0) {
		store_rollback(r->store);
		if (store_conflict(r->store))
			reply_error(r, 409, "conflict", "target", "%s", store_error(r->store));
		else
			reply_store_error(r);
		return;
	}
	buf_addf(&r->body, "{\"id\":%lld}", (long long)id);
	reply_json(r, 201);
}

static int delivery_row(void *ctx, const char *const *v, int n)
{
	struct jw *w = ctx;
	(void)n;
	jw_obj(w);
	jw_kint(w, "id", strtoll(v[0], NULL, 10));
	jw_kstr(w, "kind", v[1]);
	jw_kstr(w, "target", v[2]);
	jw_kstr(w, "item", v[3]);
	jw_kstr(w, "status", v[4]);
	jw_kint(w, "attempts", strtoll(v[5], NULL, 10));
	jw_kstr(w, "last_error", v[6]);
	jw_kstr(w, "sent_at", v[7]);
	jw_kstr(w, "created_at", v[8]);
	jw_obj_end(w);
	return 0;
}

void api_deliveries_list(struct req *r)
{
	const char *status = req_query(r, "status");
	struct jw w;
	jw_init(&w, &r->body);
	jw_arr(&w);
	if (store_deliveries(r->store, status && *status ? status : NULL, delivery_row, &w) != 0) {
		reply_store_error(r);
		return;
	}
	jw_arr_end(&w);
	reply_json(r, 200);
}
