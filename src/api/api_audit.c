/*
 * api_audit: the audit trail for the auditor (list with filters, verify the
 * chain), and one project's change history for those who may read it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "http/http.h"
#include "util/json.h"

#define AUDIT_PAGE_DEFAULT 100
#define AUDIT_PAGE_MAX 1000

struct page {
	struct jw w;
	int n, limit;
	int64_t last_id;
	bool more;
	bool full; /* every column, chain included */
};

static int audit_item(void *ctx, const struct audit_row *a)
{
	struct page *p = ctx;
	if (p->n == p->limit) {
		p->more = true;
		return 1;
	}
	p->n++;
	p->last_id = a->id;
	struct jw *w = &p->w;
	jw_obj(w);
	jw_kint(w, "id", a->id);
	jw_kstr(w, "at", a->at);
	jw_kstr(w, "user", a->username);
	jw_kstr(w, "address", a->address);
	jw_kstr(w, "action", a->action);
	if (p->full) {
		jw_kstr(w, "entity", a->entity);
		jw_kstr(w, "key", a->entity_key);
	}
	jw_key(w, "old");
	jw_raw(w, a->old_value);
	jw_key(w, "new");
	jw_raw(w, a->new_value);
	if (p->full) {
		jw_kstr(w, "prev_hash", a->prev_hash);
		jw_kstr(w, "hash", a->hash);
	}
	jw_obj_end(w);
	return 0;
}

/* Lists rows of f as {"items":[...],"next":id|null}. */
static void reply_page(struct req *r, struct audit_filter *f, bool full)
{
	long limit, after;
	if (query_int(r, "limit", 1, AUDIT_PAGE_MAX, AUDIT_PAGE_DEFAULT, &limit) != 0 ||
	    query_int(r, "after", 0, INT32_MAX, 0, &after) != 0)
		return;
	f->limit = (int)limit + 1;
	f->after_id = after;
	struct page p = {.limit = (int)limit, .full = full};
	jw_init(&p.w, &r->body);
	jw_obj(&p.w);
	jw_key(&p.w, "items");
	jw_arr(&p.w);
	if (store_audit_list(r->store, f, audit_item, &p) != 0) {
		reply_store_error(r);
		return;
	}
	jw_arr_end(&p.w);
	jw_key(&p.w, "next");
	if (p.more)
		jw_int(&p.w, p.last_id);
	else
		jw_null(&p.w);
	jw_obj_end(&p.w);
	reply_json(r, 200);
}

static const char *opt(struct req *r, const char *name)
{
	const char *v = req_query(r, name);
	return v && *v ? v : NULL;
}

void api_audit_list(struct req *r)
{
	struct audit_filter f = {
		.username = opt(r, "user"),
		.action = opt(r, "action"),
		.entity = opt(r, "entity"),
		.entity_key = opt(r, "key"),
		.from = opt(r, "from"),
		.to = opt(r, "to"),
		.desc = true,
	};
	const char *order = opt(r, "order");
	if (order && strcmp(order, "asc") != 0 && strcmp(order, "desc") != 0) {
		reply_error(r, 400, "invalid_parameter", "order", "order 应为 asc 或 desc");
		return;
	}
	f.desc = !order || strcmp(order, "desc") == 0;
	reply_page(r, &f, true);
}

void api_audit_verify(struct req *r)
{
	struct audit_check c;
	if (audit_verify(r->store, &c) != 0) {
		buf_release(&c.why);
		reply_store_error(r);
		return;
	}
	struct jw w;
	jw_init(&w, &r->body);
	jw_obj(&w);
	jw_kbool(&w, "ok", c.why.len == 0);
	jw_kint(&w, "rows", c.rows);
	jw_key(&w, "bad_id");
	if (c.bad_id)
		jw_int(&w, c.bad_id);
	else
		jw_null(&w);
	jw_kstr(&w, "message", c.why.len ? buf_cstr(&c.why) : "审计记录链完整");
	jw_obj_end(&w);
	buf_release(&c.why);
	reply_json(r, 200);
}

void api_projects_history(struct req *r)
{
	struct project p;
	int got = store_project_get(r->store, r->params[0], &p);
	if (got > 0) {
		/* A code merged into another project keeps its history, read
		 * with the rights on the project it went into. */
		char *kept = NULL;
		got = store_merged_into(r->store, r->params[0], &kept);
		if (got == 0) {
			got = store_project_get(r->store, kept, &p);
			if (got > 0)
				got = -1;
		}
		free(kept);
	}
	if (got != 0) {
		if (got < 0)
			reply_store_error(r);
		else
			reply_error(r, 404, "not_found", "code", "没有编号为 %s 的项目", r->params[0]);
		return;
	}
	bool visible = principal_sees_project(r->who, r->rd, p.region_id, p.chain_id);
	project_release(&p);
	if (!visible) {
		reply_error(r, 403, "forbidden", "code", "无权查看其他区域的项目 %s", r->params[0]);
		return;
	}
	struct audit_filter f = {.entity = "project", .entity_key = r->params[0], .desc = true};
	reply_page(r, &f, false);
}
