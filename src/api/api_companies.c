/*
 * api_companies: the investor database 客商库 (list, create, detail with
 * contacts, projects and history, update, contacts).
 *
 * One company, one record: a company with the same credit code, or the same
 * name after NFKC normalisation and trimming, is never created twice; the
 * reply names the existing one (409 duplicate, "existing_id").
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "companies.h"
#include "domain/date.h"
#include "domain/interchange.h"
#include "domain/money.h"
#include "http/http.h"
#include "refdata.h"
#include "util/json.h"
#include "util/text.h"
#include "util/xalloc.h"

#define COMPANY_PAGE_DEFAULT 50
#define COMPANY_PAGE_MAX 500

static void tags_json(struct jw *w, const char *tags)
{
	jw_key(w, "tags");
	jw_arr(w);
	for (const char *p = tags; p && *p;) {
		const char *comma = strchr(p, ',');
		size_t n = comma ? (size_t)(comma - p) : strlen(p);
		char t[64];
		snprintf(t, sizeof(t), "%.*s", (int)n, p);
		jw_str(w, t);
		p = comma ? comma + 1 : p + n;
	}
	jw_arr_end(w);
}

static void company_json(struct jw *w, const struct company *c, bool open)
{
	jw_obj(w);
	jw_kint(w, "id", c->id);
	jw_kstr(w, "name", c->name);
	jw_kstr(w, "credit_code", c->credit_code);
	jw_kstr(w, "province", c->province);
	jw_kstr(w, "city", c->city);
	jw_kstr(w, "industry", c->industry);
	tags_json(w, c->tags);
	jw_kstr(w, "notes", c->notes);
	jw_kint(w, "projects", c->projects);
	jw_kint(w, "version", c->version);
	jw_kstr(w, "created_at", c->created_at);
	jw_kstr(w, "updated_at", c->updated_at);
	if (!open)
		jw_obj_end(w);
}

struct page {
	struct jw w;
	int n, limit;
	bool more;
	char *last_name;
	int64_t last_id;
};

static int list_row(void *ctx, const struct company *c)
{
	struct page *p = ctx;
	if (p->n == p->limit) {
		p->more = true;
		return 1;
	}
	p->n++;
	free(p->last_name);
	p->last_name = xstrdup(c->name);
	p->last_id = c->id;
	company_json(&p->w, c, false);
	return 0;
}

void api_companies_list(struct req *r)
{
	long limit;
	if (query_int(r, "limit", 1, COMPANY_PAGE_MAX, COMPANY_PAGE_DEFAULT, &limit) != 0)
		return;
	struct company_filter f = {0};
	const char *v;
	char *q = NULL;
	if ((v = req_query(r, "q")) && *v) {
		if (text_length(v) > 100) {
			reply_error(r, 400, "invalid_parameter", "q", "搜索词过长 (最多 100 个字符)");
			return;
		}
		f.q = q = text_normalize(v);
	}
	if ((v = req_query(r, "tag")) && *v) {
		if (company_tag_find(v) < 0) {
			free(q);
			reply_error(r, 400, "invalid_parameter", "tag", "未知的标签 \"%s\"", v);
			return;
		}
		f.tag = v;
	}
	if ((v = req_query(r, "province")) && *v) {
		f.province = ix_province(v);
		if (!f.province) {
			free(q);
			reply_error(r, 400, "invalid_parameter", "province", "未知的省份 \"%s\"", v);
			return;
		}
	}
	/* The cursor: "id" of the last row; its name is read back. */
	struct company after = {0};
	if ((v = req_query(r, "after")) && *v) {
		char *end;
		long long id = strtoll(v, &end, 10);
		if (*end || id <= 0 || store_company_get(r->store, id, &after) != 0) {
			free(q);
			reply_error(r, 400, "invalid_parameter", "after", "分页游标 after 无效");
			return;
		}
		f.after_name = after.name;
		f.after_id = after.id;
	}
	f.limit = (int)limit + 1;
	struct page p = {.limit = (int)limit};
	jw_init(&p.w, &r->body);
	jw_obj(&p.w);
	jw_key(&p.w, "items");
	jw_arr(&p.w);
	int rc = store_company_list(r->store, &f, list_row, &p);
	jw_arr_end(&p.w);
	jw_key(&p.w, "next");
	if (p.more)
		jw_int(&p.w, p.last_id);
	else
		jw_null(&p.w);
	jw_obj_end(&p.w);
	free(p.last_name);
	free(q);
	company_release(&after);
	if (rc != 0)
		reply_store_error(r);
	else
		reply_json(r, 200);
}

/* The fields of a company body, normalised and checked into c (only those
 * given: a null clears, absent keeps). 0, or -1 after replying 400. */
static int read_fields(struct req *r, struct company *c)
{
	static const char *const allowed[] = {"name", "credit_code", "province", "city", "industry",
					      "tags", "notes", NULL};
	if (req_only_keys(r, allowed) != 0)
		return -1;
	static const struct {
		const char *key;
		size_t off, max;
	} text[] = {
		{"name", offsetof(struct company, name), 200},
		{"credit_code", offsetof(struct company, credit_code), 18},
		{"province", offsetof(struct company, province), 20},
		{"city", offsetof(struct company, city), 64},
		{"industry", offsetof(struct company, industry), 64},
		{"notes", offsetof(struct company, notes), 2000},
	};
	for (size_t i = 0; i < sizeof(text) / sizeof(text[0]); i++) {
		json_t *v = json_object_get(r->json, text[i].key);
		if (!v)
			continue;
		char **slot = (char **)((char *)c + text[i].off);
		if (json_is_null(v)) {
			if (strcmp(text[i].key, "name") == 0)
				return reply_error(r, 400, "invalid_field", "name", "企业名称不能为空");
			free(*slot);
			*slot = NULL;
			continue;
		}
		if (!json_is_string(v))
			return reply_error(r, 400, "invalid_field", text[i].key, "字段 %s 必须是字符串或 null",
					   text[i].key);
		char *n = text_normalize(json_string_value(v));
		if (strcmp(text[i].key, "credit_code") == 0)
			for (char *p = n; *p; p++)
				if (*p >= 'a' && *p <= 'z')
					*p = (char)(*p - 'a' + 'A');
		const char *err = NULL;
		if (!*n && strcmp(text[i].key, "name") == 0)
			err = "企业名称不能为空";
		else if (text_length(n) > text[i].max)
			err = "过长";
		else if (*n && strcmp(text[i].key, "credit_code") == 0 && !ix_credit_code_valid(n))
			err = "统一社会信用代码无效 (应为18位,校验位符合 GB 32100)";
		else if (*n && strcmp(text[i].key, "province") == 0 && !ix_province(n))
			err = "未知的省份";
		if (err) {
			int rc = reply_error(r, 400, "invalid_field", text[i].key, "%s \"%s\" %s",
					     text[i].key, n, err);
			free(n);
			return rc;
		}
		if (*n && strcmp(text[i].key, "province") == 0) {
			char *p = xstrdup(ix_province(n));
			free(n);
			n = p;
		}
		free(*slot);
		*slot = *n ? n : NULL;
		if (!*slot)
			free(n);
	}
	json_t *tags = json_object_get(r->json, "tags");
	if (tags) {
		if (!json_is_array(tags) && !json_is_null(tags))
			return reply_error(r, 400, "invalid_field", "tags", "tags 应为标签的数组");
		const char *list[16];
		int n = 0;
		size_t i;
		json_t *t;
		json_array_foreach(tags, i, t)
		{
			if (!json_is_string(t) || n == 16)
				return reply_error(r, 400, "invalid_field", "tags", "tags 应为标签的数组");
			list[n++] = json_string_value(t);
		}
		struct buf out = BUF_INIT, why = BUF_INIT;
		if (company_tags_join(list, n, &out, &why) != 0) {
			int rc = reply_error(r, 400, "invalid_field", "tags", "%s", buf_cstr(&why));
			buf_release(&why);
			buf_release(&out);
			return rc;
		}
		free(c->tags);
		c->tags = out.len ? buf_detach(&out) : NULL;
		buf_release(&out);
	}
	return 0;
}

/* 409 naming the existing company when another has this credit code or
 * name; 0 when none. */
static int refuse_duplicate(struct req *r, const struct company *c)
{
	for (int by_code = 1; by_code >= 0; by_code--) {
		int64_t other;
		bool found_by_code;
		if (by_code && !c->credit_code)
			continue;
		int got = store_company_find(r->store, by_code ? NULL : c->name,
					     by_code ? c->credit_code : NULL, &other, &found_by_code);
		if (got < 0)
			return reply_store_error(r);
		if (got > 0 || other == c->id)
			continue;
		buf_reset(&r->body);
		struct jw w;
		jw_init(&w, &r->body);
		jw_obj(&w);
		jw_key(&w, "error");
		jw_obj(&w);
		jw_kstr(&w, "code", "duplicate");
		char msg[160];
		snprintf(msg, sizeof(msg), "已有%s的企业 (编号 %lld),同一企业只建一条记录",
			 by_code ? "统一社会信用代码相同" : "同名", (long long)other);
		jw_kstr(&w, "message", msg);
		jw_kstr(&w, "field", by_code ? "credit_code" : "name");
		jw_obj_end(&w);
		jw_kint(&w, "existing_id", other);
		jw_obj_end(&w);
		reply_json(r, 409);
		return -1;
	}
	return 0;
}

/* The audited view of a company: its fields as an object. */
static char *audit_json(const struct company *c)
{
	struct buf b = BUF_INIT;
	struct jw w;
	jw_init(&w, &b);
	jw_obj(&w);
	jw_kstr(&w, "name", c->name);
	jw_kstr(&w, "credit_code", c->credit_code);
	jw_kstr(&w, "province", c->province);
	jw_kstr(&w, "city", c->city);
	jw_kstr(&w, "industry", c->industry);
	jw_kstr(&w, "tags", c->tags);
	jw_kstr(&w, "notes", c->notes);
	jw_obj_end(&w);
	return buf_detach(&b);
}

static void reply_company(struct req *r, int64_t id, int status);

/* Saves c (new when id 0) with its audit row; replies. */
static void save(struct req *r, struct company *c, const char *old_json)
{
	char now[21], key[24];
	date_format_utc(r->now, now);
	char *new_json = audit_json(c);
	bool created = c->id == 0;
	if (old_json && strcmp(old_json, new_json) == 0) {
		free(new_json);
		reply_company(r, c->id, 200);
		return;
	}
	if (store_begin(r->store) != 0 || store_company_save(r->store, c, now) != 0) {
		store_rollback(r->store);
		free(new_json);
		reply_store_error(r);
		return;
	}
	snprintf(key, sizeof(key), "%lld", (long long)c->id);
	if (audit_append(r->store, r->who, created ? "company.create" : "company.update", "company",
			 key, old_json, new_json) != 0 ||
	    store_commit(r->store) != 0) {
		store_rollback(r->store);
		free(new_json);
		reply_store_error(r);
		return;
	}
	free(new_json);
	reply_company(r, c->id, created ? 201 : 200);
}

void api_companies_create(struct req *r)
{
	struct company c = {0};
	if (read_fields(r, &c) == 0) {
		if (!c.name)
			reply_error(r, 400, "invalid_field", "name", "缺少企业名称 name");
		else if (refuse_duplicate(r, &c) == 0)
			save(r, &c, NULL);
	}
	company_release(&c);
}

/* The company of the path; 0, or -1 after replying 404. */
static int load(struct req *r, struct company *c)
{
	char *end;
	long long id = strtoll(r->params[0], &end, 10);
	int got = *end || id <= 0 ? 1 : store_company_get(r->store, id, c);
	if (got < 0)
		return reply_store_error(r);
	if (got > 0)
		return reply_error(r, 404, "not_found", "id", "没有编号为 %s 的企业", r->params[0]);
	return 0;
}

void api_companies_update(struct req *r)
{
	struct company c;
	if (load(r, &c) != 0)
		return;
	char *old_json = audit_json(&c);
	if (read_fields(r, &c) == 0 && refuse_duplicate(r, &c) == 0)
		save(r, &c, old_json);
	free(old_json);
	company_release(&c);
}

struct detail {
	struct jw *w;
	struct req *r;
	int n;
};

static int contact_item(void *ctx, const struct contact *c)
{
	struct jw *w = ctx;
	jw_obj(w);
	jw_kint(w, "id", c->id);
	jw_kstr(w, "name", c->name);
	jw_kstr(w, "title", c->title);
	jw_kstr(w, "phone", c->phone);
	jw_kstr(w, "email", c->email);
	jw_kstr(w, "created_at", c->created_at);
	jw_obj_end(w);
	return 0;
}

static int project_item(void *ctx, struct project *p)
{
	struct detail *d = ctx;
	/* Only what the caller may see of the company's projects. */
	if (!principal_sees_project(d->r->who, d->r->rd, p->region_id, p->chain_id))
		return 0;
	refdata_project_names(d->r->rd, p);
	char yi[32];
	jw_obj(d->w);
	jw_kstr(d->w, "code", p->code);
	jw_kstr(d->w, "name", p->name);
	jw_kstr(d->w, "region", p->region);
	char day[11];
	date_format(p->ms[MS_SIGNED], day);
	jw_kstr(d->w, "signed_on", day);
	money_format_yi(p->amount_wan, yi);
	jw_kstr(d->w, "amount_yi", yi);
	jw_kstr(d->w, "stage", project_stage(p));
	/* The event it was signed at: the company's events with us. */
	jw_kstr(d->w, "event", p->event);
	jw_key(d->w, "event_id");
	if (p->event_id)
		jw_int(d->w, p->event_id);
	else
		jw_null(d->w);
	jw_obj_end(d->w);
	return 0;
}

static int lead_item(void *ctx, const char *const *v, int n)
{
	struct detail *d = ctx;
	(void)n;
	int64_t region = strtoll(v[4], NULL, 10), chain = v[5] ? strtoll(v[5], NULL, 10) : 0;
	if (!principal_sees_project(d->r->who, d->r->rd, region, chain))
		return 0;
	jw_obj(d->w);
	jw_kint(d->w, "id", strtoll(v[0], NULL, 10));
	jw_kstr(d->w, "title", v[1]);
	jw_kstr(d->w, "stage", v[2]);
	jw_kstr(d->w, "reported_on", v[3]);
	jw_obj_end(d->w);
	return 0;
}

static int visit_item(void *ctx, const char *const *v, int n)
{
	struct jw *w = ctx;
	(void)n;
	jw_obj(w);
	jw_kstr(w, "visited_on", v[0]);
	jw_kstr(w, "leader_level", v[1]);
	jw_kstr(w, "leader", v[2]);
	jw_kstr(w, "outcome", v[3]);
	jw_obj_end(w);
	return 0;
}

static int history_item(void *ctx, const struct audit_row *a)
{
	struct jw *w = ctx;
	jw_obj(w);
	jw_kstr(w, "at", a->at);
	jw_kstr(w, "user", a->username);
	jw_kstr(w, "action", a->action);
	jw_key(w, "old");
	jw_raw(w, a->old_value);
	jw_key(w, "new");
	jw_raw(w, a->new_value);
	jw_obj_end(w);
	return 0;
}

static void reply_company(struct req *r, int64_t id, int status)
{
	struct company c;
	int got = store_company_get(r->store, id, &c);
	if (got != 0) {
		if (got < 0)
			reply_store_error(r);
		else
			reply_error(r, 404, "not_found", "id", "没有编号为 %lld 的企业", (long long)id);
		return;
	}
	char key[24];
	snprintf(key, sizeof(key), "%lld", (long long)id);
	struct jw w;
	buf_reset(&r->body);
	jw_init(&w, &r->body);
	company_json(&w, &c, true);
	jw_key(&w, "contacts");
	jw_arr(&w);
	int rc = store_contacts_list(r->store, id, contact_item, &w);
	jw_arr_end(&w);
	jw_key(&w, "project_list");
	jw_arr(&w);
	struct detail d = {&w, r, 0};
	struct project_filter f = {.investor_id = id, .state = -1, .amount_min = -1,
				   .amount_max = -1, .sort = SORT_SIGNED_ON, .desc = true,
				   .limit = 500, .today = r->today};
	if (rc == 0)
		rc = store_project_list(r->store, &f, project_item, &d);
	jw_arr_end(&w);
	jw_key(&w, "leads");
	jw_arr(&w);
	if (rc == 0)
		rc = store_company_leads(r->store, id, lead_item, &d);
	jw_arr_end(&w);
	jw_key(&w, "visits");
	jw_arr(&w);
	if (rc == 0)
		rc = store_company_visits(r->store, id, visit_item, &w);
	jw_arr_end(&w);
	jw_key(&w, "history");
	jw_arr(&w);
	struct audit_filter af = {.entity = "company", .entity_key = key, .desc = true, .limit = 50};
	if (rc == 0)
		rc = store_audit_list(r->store, &af, history_item, &w);
	jw_arr_end(&w);
	jw_obj_end(&w);
	company_release(&c);
	if (rc != 0)
		reply_store_error(r);
	else
		reply_json(r, status);
}

void api_companies_get(struct req *r)
{
	struct company c;
	if (load(r, &c) != 0)
		return;
	int64_t id = c.id;
	company_release(&c);
	reply_company(r, id, 200);
}

void api_companies_contact_add(struct req *r)
{
	static const char *const allowed[] = {"name", "title", "phone", "email", NULL};
	struct company c;
	if (load(r, &c) != 0)
		return;
	const char *name, *title, *phone, *email;
	if (req_only_keys(r, allowed) != 0 || req_body_string(r, "name", &name) != 0 ||
	    req_body_string(r, "title", &title) != 0 || req_body_string(r, "phone", &phone) != 0 ||
	    req_body_string(r, "email", &email) != 0)
		goto out;
	if (!name || !*name || text_length(name) > 64) {
		reply_error(r, 400, "invalid_field", "name", "联系人姓名必填 (最多 64 个字符)");
		goto out;
	}
	if (phone && *phone) {
		size_t digits = 0;
		bool ok = strlen(phone) <= 32;
		for (const char *p = phone; ok && *p; p++) {
			digits += *p >= '0' && *p <= '9';
			ok = (*p >= '0' && *p <= '9') || strchr("+- ()", *p);
		}
		if (!ok || digits < 5) {
			reply_error(r, 400, "invalid_field", "phone", "电话号码 \"%s\" 无效", phone);
			goto out;
		}
	}
	if (email && *email && (!strchr(email, '@') || strlen(email) > 128 || strchr(email, ' '))) {
		reply_error(r, 400, "invalid_field", "email", "电子邮箱 \"%s\" 无效", email);
		goto out;
	}
	char now[21], key[24];
	date_format_utc(r->now, now);
	snprintf(key, sizeof(key), "%lld", (long long)c.id);
	struct contact k = {.company_id = c.id, .name = name, .title = title, .phone = phone,
			    .email = email, .created_at = now};
	struct buf j = BUF_INIT;
	struct jw w;
	jw_init(&w, &j);
	jw_obj(&w);
	jw_kstr(&w, "contact", name);
	jw_kstr(&w, "title", title);
	jw_obj_end(&w);
	if (store_begin(r->store) != 0 || store_contact_add(r->store, &k) != 0 ||
	    audit_append(r->store, r->who, "company.contact_add", "company", key, NULL,
			 buf_cstr(&j)) != 0 ||
	    store_commit(r->store) != 0) {
		store_rollback(r->store);
		reply_store_error(r);
	} else {
		jw_init(&w, &r->body);
		contact_item(&w, &k);
		reply_json(r, 201);
	}
	buf_release(&j);
out:
	company_release(&c);
}

void api_companies_contact_delete(struct req *r)
{
	struct company c;
	if (load(r, &c) != 0)
		return;
	char *end, key[24];
	long long id = strtoll(r->params[1], &end, 10);
	bool deleted = false;
	snprintf(key, sizeof(key), "%lld", (long long)c.id);
	char detail[48];
	snprintf(detail, sizeof(detail), "{\"contact_id\":%lld}", id);
	if (*end || id <= 0) {
		reply_error(r, 404, "not_found", "contact", "没有这个联系人");
	} else if (store_begin(r->store) != 0 ||
		   store_contact_delete(r->store, c.id, id, &deleted) != 0 ||
		   (deleted && audit_append(r->store, r->who, "company.contact_delete", "company", key,
					    detail, NULL) != 0) ||
		   (deleted ? store_commit(r->store) : (store_rollback(r->store), 0)) != 0) {
		store_rollback(r->store);
		reply_store_error(r);
	} else if (!deleted) {
		reply_error(r, 404, "not_found", "contact", "没有这个联系人");
	} else {
		buf_adds(&r->body, "{\"ok\":true}");
		reply_json(r, 200);
	}
	company_release(&c);
}
