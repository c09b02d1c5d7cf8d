/*
 * http: the request and response of one API call, the route table and the
 * reply helpers every handler uses.
 *
 * Handlers have one shape: void api_<resource>_<verb>(struct req *r). They
 * read r (path parameters, query, parsed JSON body), do their work through the
 * store, and leave exactly one reply in r->status/r->body. The "reply-and-
 * fail" helpers write an error reply and return -1, so a handler checks and
 * returns without nesting. The dispatcher (server.c) enforces what the route
 * flags ask for (a JSON object body) and adds the common headers.
 */
#ifndef ZS_HTTP_H
#define ZS_HTTP_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "auth.h"
#include "projects.h"
#include "store/store.h"
#include "util/buf.h"

#define ROUTE_JSON_BODY 1u /* the body must be a JSON object (r->json) */
#define ROUTE_RAW_BODY 2u  /* the body is a file upload (r->body_data) */
/* A 200 reply may be served again while the data version and today are
 * unchanged (the reply depends on nothing else but the URL). */
#define ROUTE_CACHE 4u
/* The body holds a password: wiped once the request is answered. */
#define ROUTE_SECRET 8u
#define MAX_PARAMS 4

struct req {
	const char *method;
	const char *path;
	void *conn; /* the server's connection, for query lookups */
	/* Without a connection (tests, fuzzing): the query as name/value pairs,
	 * NULL-terminated. */
	const char *const *args;
	const char *params[MAX_PARAMS]; /* path parameters, in pattern order */
	int nparams;
	json_t *json; /* ROUTE_JSON_BODY */
	const char *body_data; /* ROUTE_RAW_BODY */
	size_t body_len;
	struct store *store;
	const struct refdata *rd;
	struct thread_state *ts; /* the server thread's state (response cache) */
	int32_t today;
	int64_t now; /* Unix seconds (ZHAOSHANG_NOW-aware) */
	/* Who asks: set for every route but the public ones. */
	struct principal *who;
	const char *session_token; /* the cookie's token, when there is one */
	bool password_expired;
	const struct auth_config *auth;
	char address[64]; /* the client (X-Forwarded-For from a trusted proxy) */
	bool https;       /* directly or behind a trusted TLS proxy */
	const char *evidence_dir; /* where evidence files live; NULL: not configured */
	/* the reply */
	int status;
	struct buf body;
	const char *content_type;
	char *disposition; /* Content-Disposition, malloc'd, may be NULL */
	char *set_cookie;  /* Set-Cookie, malloc'd, may be NULL */
	bool replied;
};

typedef void (*handler_fn)(struct req *r);

struct route {
	const char *method;
	const char *pattern; /* "/api/projects/{code}" */
	handler_fn handler;
	unsigned flags;
	enum perm perm; /* what the caller's role must allow */
	const char *summary;
};

extern const struct route api_routes[];
extern const int api_nroutes;

/* A query parameter, or NULL. */
const char *req_query(struct req *r, const char *name);

/* Replies with a JSON body built in r->body by the handler (status 200 unless
 * set). */
void reply_json(struct req *r, int status);
/* Writes {"error":{"code","message","field"}} with status; field may be
 * NULL. Returns -1 so that handlers can `return reply_error(...)`. */
int reply_error(struct req *r, int status, const char *code, const char *field,
		const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* Writes the store's error as a 500. Returns -1. */
int reply_store_error(struct req *r);

/* Parse-or-reply helpers for query parameters: each returns 0 with the value
 * (or the default when the parameter is absent), or replies 400 naming the
 * parameter and returns -1. */
int query_date(struct req *r, const char *name, int32_t def, int32_t *out);
int query_int(struct req *r, const char *name, long min, long max, long def, long *out);
int query_bool(struct req *r, const char *name, bool *out);

/* Only these keys (a NULL-terminated list) may appear in the JSON body;
 * 0, or -1 after replying 400 naming the first other key. */
int req_only_keys(struct req *r, const char *const *allowed);
/* A string-or-null field of the JSON body: 0 with *out (NULL when absent or
 * null), or -1 after replying 400. */
int req_body_string(struct req *r, const char *key, const char **out);

/* Reads a JSON object of interchange keys into in (strings, null clears,
 * booleans for flags; amount_yi must be a string). 0, or -1 after 400. */
int api_body_to_input(struct req *r, json_t *obj, struct project_input *in);
/* Applies in through projects_apply() in one transaction and replies with
 * the project (or the problems). then (may be NULL) runs inside the
 * transaction after a successful write, with the saved project; non-zero
 * rolls everything back (it may have replied). */
void api_project_apply(struct req *r, enum apply_mode mode, const struct project_input *in,
		       const char *action, int (*then)(void *ctx, struct req *r, const struct project *p),
		       void *ctx);

/* 404 for a project code that does not exist; a code merged into another
 * project says which (error code "merged", "merged_into"). */
void reply_not_found(struct req *r, const char *code);

/* Loads the project with this code, names filled, when the caller may see
 * it: 0, or -1 after replying (404, merged-aware; 403). */
int api_visible_project(struct req *r, const char *code, struct project *p);

/* Checks in as a create-or-update would (nothing is written): 0 with the
 * project as it would be saved in *out (caller releases), or -1 after
 * replying with the problems. */
int api_project_dry_run(struct req *r, const struct project_input *in, struct project *out);

/* Fills a project filter from the list's query parameters (shared by the
 * list and the export), narrowed to what the caller may see. Returns 0, or
 * -1 after replying 400 or 403. */
int api_project_filter(struct req *r, struct project_filter *f);

/* Handlers. */
void api_health_get(struct req *r);
void api_openapi_get(struct req *r);
void api_regions_list(struct req *r);
void api_departments_list(struct req *r);
void api_chains_list(struct req *r);
void api_duplicates_list(struct req *r);
void api_verify_put(struct req *r);
void api_verify_delete(struct req *r);
void api_verifications_list(struct req *r);
void api_referral_get(struct req *r);
void api_inbox_unread(struct req *r);
void api_meetings_get(struct req *r);
void api_progress_evidence(struct req *r);
void api_inbox_read_all(struct req *r);
void api_referral_put(struct req *r);
void api_referral_delete(struct req *r);
void api_amount_confirm(struct req *r);
void api_quality_get(struct req *r);
void api_duplicates_check(struct req *r);
void api_duplicates_scan(struct req *r);
void api_duplicates_distinct(struct req *r);
void api_duplicates_merge(struct req *r);
void api_channels_list(struct req *r);
void api_rules_list(struct req *r);
void api_events_list(struct req *r);
void api_projects_list(struct req *r);
void api_projects_create(struct req *r);
void api_projects_get(struct req *r);
void api_projects_update(struct req *r);
void api_projects_milestone(struct req *r);
void api_projects_terminate(struct req *r);
void api_warnings_list(struct req *r);
void api_reports_headline(struct req *r);
void api_reports_breakdown(struct req *r);
void api_reports_origins(struct req *r);
void api_import_post(struct req *r);
void api_export_get(struct req *r);
void api_session_create(struct req *r);
void api_session_get(struct req *r);
void api_session_delete(struct req *r);
void api_session_password(struct req *r);
void api_audit_list(struct req *r);
void api_audit_verify(struct req *r);
void api_projects_history(struct req *r);
void api_evidence_upload(struct req *r);
void api_inbox_list(struct req *r);
void api_inbox_read(struct req *r);
void api_targets_list(struct req *r);
void api_targets_create(struct req *r);
void api_deliveries_list(struct req *r);
void api_problems_list(struct req *r);
void api_problems_get(struct req *r);
void api_problems_create(struct req *r);
void api_problems_update(struct req *r);
void api_meetings_list(struct req *r);
void api_meetings_create(struct req *r);
void api_assessment_get(struct req *r);
void api_bulletin_get(struct req *r);
void api_bulletins_list(struct req *r);
void api_briefing_get(struct req *r);
void api_assessment_publish(struct req *r);
void api_objections_list(struct req *r);
void api_objections_create(struct req *r);
void api_objections_answer(struct req *r);
void api_major_projects(struct req *r);
void api_progress_put(struct req *r);
void api_progress_list(struct req *r);
void api_plan_put(struct req *r);
void api_chains_map(struct req *r);
void api_chains_node_add(struct req *r);
void api_chains_node_company(struct req *r);
void api_chains_node_company_delete(struct req *r);
void api_campaigns_list(struct req *r);
void api_campaigns_create(struct req *r);
void api_events_create(struct req *r);
void api_events_get(struct req *r);
void api_events_update(struct req *r);
void api_trips_list(struct req *r);
void api_trips_create(struct req *r);
void api_trips_get(struct req *r);
void api_trips_visit(struct req *r);
void api_teams_list(struct req *r);
void api_teams_create(struct req *r);
void api_reports_effort(struct req *r);
void api_leads_list(struct req *r);
void api_leads_create(struct req *r);
void api_leads_get(struct req *r);
void api_leads_update(struct req *r);
void api_leads_follow_up(struct req *r);
void api_leads_convert(struct req *r);
void api_reports_funnel(struct req *r);
void api_companies_list(struct req *r);
void api_companies_create(struct req *r);
void api_companies_get(struct req *r);
void api_companies_update(struct req *r);
void api_companies_contact_add(struct req *r);
void api_companies_contact_delete(struct req *r);
void api_evidence_list(struct req *r);
void api_evidence_get(struct req *r);

/* The name of the session cookie for this request (with the __Host- prefix
 * over HTTPS). */
const char *session_cookie_name(const struct req *r);
/* The session token the request carries, or NULL. */
const char *req_session_cookie(struct req *r);

#endif
