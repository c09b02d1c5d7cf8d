/*
 * api_chains: a chain's map 产业链图谱, the task force's workspace: its
 * segments and nodes with local and target companies, the gaps (nodes with
 * no local company: 缺什么招什么), and the chain's leads and projects.
 * Editing the map is for the bureau and the chain's own task force.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "domain/date.h"
#include "domain/money.h"
#include "http/http.h"
#include "refdata.h"
#include "util/json.h"
#include "util/text.h"
#include "util/xalloc.h"

static const char *const segments[] = {"upstream", "midstream", "downstream"};
static const char *const segment_names[] = {"上游", "中游", "下游"};

/* The chain of the path; NULL after replying 404. */
static const struct named *path_chain(struct req *r)
{
	char *end;
	long long id = strtoll(r->params[0], &end, 10);
	for (int i = 0; !*end && i < r->rd->nchains; i++)
		if (r->rd->chains[i].id == id)
			return &r->rd->chains[i];
	reply_error(r, 404, "not_found", "id", "没有编号为 %s 的产业链", r->params[0]);
	return NULL;
}

/* Whether the caller may edit this chain's map; replies 403 when not. */
static bool may_edit(struct req *r, const struct named *chain)
{
	if (r->who->role == ROLE_CHAIN && r->who->chain_id != chain->id) {
		reply_error(r, 403, "forbidden", "id", "只能编辑本产业链的图谱");
		return false;
	}
	return true;
}

struct node {
	int64_t id;
	int segment;
	char *name;
	int local, target;
};

struct map_ctx {
	struct node *nodes;
	int n;
	struct jw *w;
	int64_t leads[5];
};

static int node_row(void *ctx, const char *const *v, int n)
{
	struct map_ctx *m = ctx;
	(void)n;
	m->nodes = xrealloc(m->nodes, (size_t)(m->n + 1) * sizeof(*m->nodes));
	struct node *x = &m->nodes[m->n++];
	memset(x, 0, sizeof(*x));
	x->id = strtoll(v[0], NULL, 10);
	for (int i = 0; i < 3; i++)
		if (strcmp(v[1], segments[i]) == 0)
			x->segment = i;
	x->name = xstrdup(v[2]);
	return 0;
}

struct member {
	int64_t node, company;
	char *name, *province, *city, *role, *note;
};

struct members {
	struct member *m;
	int n;
};

static int member_row(void *ctx, const char *const *v, int n)
{
	struct members *ms = ctx;
	(void)n;
	ms->m = xrealloc(ms->m, (size_t)(ms->n + 1) * sizeof(*ms->m));
	struct member *x = &ms->m[ms->n++];
	x->node = strtoll(v[0], NULL, 10);
	x->company = strtoll(v[1], NULL, 10);
	x->name = xstrdup(v[2]);
	x->province = v[3] ? xstrdup(v[3]) : NULL;
	x->city = v[4] ? xstrdup(v[4]) : NULL;
	x->role = xstrdup(v[5]);
	x->note = v[6] ? xstrdup(v[6]) : NULL;
	return 0;
}

static int stage_row(void *ctx, const char *const *v, int n)
{
	struct map_ctx *m = ctx;
	static const char *const stages[] = {"new", "following", "negotiating", "signed", "lost"};
	(void)n;
	for (int i = 0; i < 5; i++)
		if (strcmp(v[0], stages[i]) == 0)
			m->leads[i] = strtoll(v[1], NULL, 10);
	return 0;
}

void api_chains_map(struct req *r)
{
	const struct named *chain = path_chain(r);
	if (!chain)
		return;
	long year;
	int y, mo, d;
	date_to_ymd(r->today, &y, &mo, &d);
	if (query_int(r, "year", 1900, 9999, y, &year) != 0)
		return;
	struct map_ctx m = {0};
	struct members ms = {0};
	int64_t proj[3];
	char from[11], to[11];
	date_format(date_from_ymd((int)year, 1, 1), from);
	int32_t end = date_from_ymd((int)year, 12, 31);
	date_format(end < r->today ? end : r->today, to);
	if (store_nodes(r->store, chain->id, node_row, &m) != 0 ||
	    store_node_companies(r->store, chain->id, member_row, &ms) != 0 ||
	    store_chain_lead_stages(r->store, chain->id, stage_row, &m) != 0 ||
	    store_chain_projects(r->store, chain->id, from, to, proj) != 0) {
		reply_store_error(r);
		goto out;
	}
	for (int i = 0; i < ms.n; i++)
		for (int k = 0; k < m.n; k++)
			if (m.nodes[k].id == ms.m[i].node) {
				if (strcmp(ms.m[i].role, "local") == 0)
					m.nodes[k].local++;
				else
					m.nodes[k].target++;
			}
	struct jw w;
	jw_init(&w, &r->body);
	jw_obj(&w);
	jw_kint(&w, "id", chain->id);
	jw_kstr(&w, "name", chain->name);
	jw_kstr(&w, "category", chain->category);
	jw_kstr(&w, "leader", chain->leader);
	jw_key(&w, "segments");
	jw_arr(&w);
	int gaps = 0;
	for (int sg = 0; sg < 3; sg++) {
		jw_obj(&w);
		jw_kstr(&w, "segment", segments[sg]);
		jw_kstr(&w, "name", segment_names[sg]);
		jw_key(&w, "nodes");
		jw_arr(&w);
		for (int k = 0; k < m.n; k++) {
			const struct node *x = &m.nodes[k];
			if (x->segment != sg)
				continue;
			gaps += x->local == 0;
			jw_obj(&w);
			jw_kint(&w, "id", x->id);
			jw_kstr(&w, "name", x->name);
			jw_kbool(&w, "gap", x->local == 0);
			for (int role = 0; role < 2; role++) {
				jw_key_v(&w, role ? "targets" : "local");
				jw_arr(&w);
				for (int i = 0; i < ms.n; i++) {
					const struct member *c = &ms.m[i];
					if (c->node != x->id || strcmp(c->role, role ? "target" : "local") != 0)
						continue;
					jw_obj(&w);
					jw_kint(&w, "company_id", c->company);
					jw_kstr(&w, "company", c->name);
					jw_kstr(&w, "province", c->province);
					jw_kstr(&w, "city", c->city);
					jw_kstr(&w, "note", c->note);
					jw_obj_end(&w);
				}
				jw_arr_end(&w);
			}
			jw_obj_end(&w);
		}
		jw_arr_end(&w);
		jw_obj_end(&w);
	}
	jw_arr_end(&w);
	jw_kint(&w, "gaps", gaps);
	jw_key(&w, "leads");
	jw_obj(&w);
	static const char *const stages[] = {"new", "following", "negotiating", "signed", "lost"};
	for (int i = 0; i < 5; i++)
		jw_kint_v(&w, stages[i], m.leads[i]);
	jw_obj_end(&w);
	char yi[32], rate[16];
	money_format_yi2(proj[1], yi);
	jw_key(&w, "projects");
	jw_obj(&w);
	jw_kint(&w, "year", year);
	jw_kint(&w, "count", proj[0]);
	jw_kstr(&w, "amount_yi", yi);
	jw_kint(&w, "started", proj[2]);
	jw_kstr(&w, "conversion_rate", rate_format(proj[2], proj[0], rate) == 0 ? rate : NULL);
	jw_obj_end(&w);
	jw_obj_end(&w);
	reply_json(r, 200);
out:
	for (int i = 0; i < m.n; i++)
		free(m.nodes[i].name);
	free(m.nodes);
	for (int i = 0; i < ms.n; i++) {
		free(ms.m[i].name);
		free(ms.m[i].province);
		free(ms.m[i].city);
		free(ms.m[i].role);
		free(ms.m[i].note);
	}
	free(ms.m);
}

void api_chains_node_add(struct req *r)
{
	static const char *const allowed[] = {"segment", "name", NULL};
	const struct named *chain = path_chain(r);
	if (!chain || !may_edit(r, chain))
		return;
	const char *segment, *name;
	if (req_only_keys(r, allowed) != 0 || req_body_string(r, "segment", &segment) != 0 ||
	    req_body_string(r, "name", &name) != 0)
		return;
	int sg = -1;
	for (int i = 0; segment && i < 3; i++)
		if (strcmp(segment, segments[i]) == 0)
			sg = i;
	if (sg < 0) {
		reply_error(r, 400, "invalid_field", "segment",
			    "segment 应为 upstream (上游)、midstream (中游) 或 downstream (下游)");
		return;
	}
	char *n = name ? text_normalize(name) : NULL;
	if (!n || !*n || text_length(n) > 50) {
		free(n);
		reply_error(r, 400, "invalid_field", "name", "节点名称 name 必填 (最多 50 个字符)");
		return;
	}
	int64_t id = 0;
	char key[24];
	snprintf(key, sizeof(key), "%lld", (long long)chain->id);
	struct buf detail = BUF_INIT;
	struct jw dw;
	jw_init(&dw, &detail);
	jw_obj(&dw);
	jw_kstr(&dw, "node", n);
	jw_kstr(&dw, "segment", segments[sg]);
	jw_obj_end(&dw);
	if (store_begin(r->store) != 0 || store_node_add(r->store, chain->id, segments[sg], n, &id) != 0 ||
	    audit_append(r->store, r->who, "chain.node_add", "chain", key, NULL, buf_cstr(&detail)) != 0 ||
	    store_commit(r->store) != 0) {
		store_rollback(r->store);
		if (store_conflict(r->store))
			reply_error(r, 409, "conflict", "name", "%s", store_error(r->store));
		else
			reply_store_error(r);
	} else {
		buf_addf(&r->body, "{\"id\":%lld}", (long long)id);
		reply_json(r, 201);
	}
	buf_release(&detail);
	free(n);
}

/* The node of the path, on the chain of the path; 0 after replying 404. */
static int64_t path_node(struct req *r, const struct named *chain)
{
	char *end;
	long long id = strtoll(r->params[1], &end, 10);
	int64_t owner = 0;
	if (*end || id <= 0 || store_node_chain(r->store, id, &owner) != 0 || owner != chain->id) {
		reply_error(r, 404, "not_found", "node", "该产业链没有这个节点");
		return 0;
	}
	return id;
}

void api_chains_node_company(struct req *r)
{
	static const char *const allowed[] = {"company", "company_id", "role", "note", NULL};
	const struct named *chain = path_chain(r);
	if (!chain || !may_edit(r, chain))
		return;
	int64_t node = path_node(r, chain);
	if (!node)
		return;
	const char *company, *role, *note;
	json_t *cid = json_object_get(r->json, "company_id");
	if (req_only_keys(r, allowed) != 0 || req_body_string(r, "company", &company) != 0 ||
	    req_body_string(r, "role", &role) != 0 || req_body_string(r, "note", &note) != 0)
		return;
	if (!role || (strcmp(role, "local") != 0 && strcmp(role, "target") != 0)) {
		reply_error(r, 400, "invalid_field", "role", "role 应为 local (本地企业) 或 target (目标企业)");
		return;
	}
	int64_t company_id = 0;
	char *n = company ? text_normalize(company) : NULL;
	if (store_begin(r->store) != 0) {
		free(n);
		reply_store_error(r);
		return;
	}
	int rc = 0;
	if (cid) {
		struct company c;
		if (!json_is_integer(cid) || store_company_get(r->store, json_integer_value(cid), &c) != 0)
			rc = reply_error(r, 400, "invalid_field", "company_id", "没有这个企业");
		else {
			company_id = c.id;
			company_release(&c);
		}
	} else if (!n || !*n) {
		rc = reply_error(r, 400, "invalid_field", "company", "企业名称 company 必填 (或给出 company_id)");
	} else if (store_company_ensure(r->store, n, NULL, NULL, NULL, &company_id, NULL) != 0) {
		rc = -1;
	}
	char key[24], detail[96];
	snprintf(key, sizeof(key), "%lld", (long long)chain->id);
	snprintf(detail, sizeof(detail), "{\"node_id\":%lld,\"company_id\":%lld,\"role\":\"%s\"}",
		 (long long)node, (long long)company_id, role);
	if (rc == 0 && (store_node_company_set(r->store, node, company_id, role, note) != 0 ||
			audit_append(r->store, r->who, "chain.company_set", "chain", key, NULL, detail) != 0 ||
			store_commit(r->store) != 0))
		rc = -1;
	if (rc != 0) {
		store_rollback(r->store);
		if (!r->replied)
			reply_store_error(r);
	} else {
		buf_addf(&r->body, "{\"node_id\":%lld,\"company_id\":%lld,\"role\":\"%s\"}",
			 (long long)node, (long long)company_id, role);
		reply_json(r, 200);
	}
	free(n);
}

void api_chains_node_company_delete(struct req *r)
{
	const struct named *chain = path_chain(r);
	if (!chain || !may_edit(r, chain))
		return;
	int64_t node = path_node(r, chain);
	if (!node)
		return;
	char *end, key[24], detail[96];
	long long company = strtoll(r->params[2], &end, 10);
	bool deleted = false;
	snprintf(key, sizeof(key), "%lld", (long long)chain->id);
	snprintf(detail, sizeof(detail), "{\"node_id\":%lld,\"company_id\":%lld}", (long long)node, company);
	if (*end || store_begin(r->store) != 0 ||
	    store_node_company_delete(r->store, node, company, &deleted) != 0 ||
	    (deleted && audit_append(r->store, r->who, "chain.company_remove", "chain", key, detail,
				     NULL) != 0)) {
		store_rollback(r->store);
		if (*end)
			reply_error(r, 404, "not_found", "company", "节点上没有这个企业");
		else
			reply_store_error(r);
		return;
	}
	if (!deleted) {
		store_rollback(r->store);
		reply_error(r, 404, "not_found", "company", "节点上没有这个企业");
		return;
	}
	if (store_commit(r->store) != 0) {
		store_rollback(r->store);
		reply_store_error(r);
		return;
	}
	buf_adds(&r->body, "{\"ok\":true}");
	reply_json(r, 200);
}
