/*
 * fixture: the in-memory database and request helpers of the fuzz targets
 * (see fixture.h).
 */
#include "fixture.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/date.h"
#include "import.h"
#include "refdata.h"

/* The seeded projects, imported like a user's file. */
static const char seed_csv[] =
	"code,name,investor,investor_credit_code,investor_province,investor_city,region,chain,"
	"amount_yi,channel,event,foreign_oriented,major,responsible,signed_on,registered_on,"
	"started_on,included_on,producing_on,terminated_on,terminated_reason,na_reason\n"
	"FZ-0001,新能源电池项目,常州示例新能源有限公司,91350100M000100Y43,江苏,常州市,襄城区,"
	"新能源电池及储能,25.5,产业链招商,襄阳(深圳)示例推介会,是,是,张三,2025-03-01,"
	"2025-04-15,,,,,,\n"
	"FZ-0002,智能装备项目,深圳示例装备有限公司,,广东省,深圳市,襄阳高新区,高端装备制造,8,"
	"以会招商,襄阳(深圳)示例推介会,否,否,李四,2024-05-10,不适用,2024-09-01,2024-10-20,"
	"2025-02-01,,,现有企业扩建\n"
	"FZ-0003,冷链物流项目,香港示例冷链有限公司,,香港,,420607,现代物流,15,境外招商,,Y,N,,"
	"2024/7/8,2024/8/1,,,,2025-01-10,投资方撤资,\n"
	"FZ-0004,湖北示例项目,武汉示例有限公司,,湖北,武汉市,樊城区,,0.75,,,0,1,王五,"
	"2023年8月1日,2023-11-30,2024-03-01,,,,,\n"
	"FZ-0005,境外示例项目,海外示例集团,,境外,,枣阳市,汽车零部件,120.0001,以商招商,,yes,no,,"
	"2025-06-20,,,,,,,\n";

static void die(const char *what, const char *why)
{
	fprintf(stderr, "fuzz fixture: %s: %s\n", what, why ? why : "?");
	abort();
}

static void principal_set(struct principal *p, int64_t id, const char *name, enum role role)
{
	memset(p, 0, sizeof(*p));
	p->user_id = id;
	snprintf(p->username, sizeof(p->username), "%s", name);
	p->role = role;
	snprintf(p->address, sizeof(p->address), "127.0.0.1");
}

static void fixture_make(struct fixture *f)
{
	char *err = NULL;
	/* A path of ":memory:" is SQLite's private in-memory database. */
	if (store_open(":memory:", true, &f->store, &err) != 0)
		die("open", err);
	if (store_migrate(f->store, NULL) != 0)
		die("migrate", store_error(f->store));
	if (store_begin(f->store) != 0 || refdata_install(f->store) != 0 ||
	    store_commit(f->store) != 0)
		die("reference data", store_error(f->store));
	if (store_refdata_load(f->store, &f->rd) != 0 || auth_config_load(f->store, &f->auth) != 0)
		die("load", store_error(f->store));
	struct import_opts o = {.today = f->today, .who = &f->bureau};
	struct import_result res;
	int rc = import_run(f->store, &f->rd, seed_csv, sizeof(seed_csv) - 1, &o, &res);
	if (rc != 0 || res.created != 5)
		die("seed projects", res.nmsgs ? res.msgs[0].message : store_error(f->store));
	import_result_release(&res);
	/* The import raised the data version; read the reference data again as
	 * a server thread would. */
	refdata_release(&f->rd);
	if (store_refdata_load(f->store, &f->rd) != 0)
		die("reload", store_error(f->store));
}

void fixture_open(struct fixture *f)
{
	memset(f, 0, sizeof(*f));
	/* The clock of audit rows, as ZHAOSHANG_NOW sets it for the server. */
	setenv("ZHAOSHANG_NOW", "2025-06-30T12:00:00+08:00", 1);
	f->today = date_from_ymd(2025, 6, 30);
	f->now = 1751256000; /* 2025-06-30T12:00:00+08:00 */
	principal_set(&f->bureau, 3, "zhaoshang", ROLE_BUREAU);
	principal_set(&f->auditor, 2, "auditor", ROLE_AUDITOR);
	principal_set(&f->region, 4, "xiangcheng", ROLE_REGION);
	principal_set(&f->chain, 5, "xinnengyuan", ROLE_CHAIN);
	fixture_make(f);
	const struct region *g = refdata_region(&f->rd, "襄城区");
	const struct named *c = refdata_chain(&f->rd, "新能源电池及储能");
	if (!g || !c)
		die("scopes", "襄城区 or 新能源电池及储能 missing");
	f->region.region_id = g->id;
	f->chain.chain_id = c->id;
}

void fixture_close(struct fixture *f)
{
	refdata_release(&f->rd);
	store_close(f->store);
	f->store = NULL;
}

void fixture_reset(struct fixture *f)
{
	fixture_close(f);
	fixture_make(f);
}

void fixture_req(struct fixture *f, struct req *r, struct principal *who, const char *method,
		 const char *path, const char *const *args)
{
	memset(r, 0, sizeof(*r));
	r->method = method;
	r->path = path;
	r->args = args;
	r->store = f->store;
	r->rd = &f->rd;
	r->auth = &f->auth;
	r->who = who;
	r->today = f->today;
	r->now = f->now;
	r->status = 200;
	snprintf(r->address, sizeof(r->address), "127.0.0.1");
}

void fixture_req_done(struct fixture *f, struct req *r)
{
	/* Every handler commits or rolls back what it began: a transaction
	 * left open would make the thread's next write fail. */
	if (store_begin(f->store) != 0) {
		fprintf(stderr, "fuzz: %s %s: the handler left a transaction open: %s\n", r->method,
			r->path, store_error(f->store));
		abort();
	}
	store_rollback(f->store);
	if (!r->replied) {
		fprintf(stderr, "fuzz: %s %s: the handler did not reply\n", r->method, r->path);
		abort();
	}
	/* Whatever the input, the reply is what the API promises: valid JSON
	 * (or the CSV of an export), and never a storage error. */
	if (r->status >= 500) {
		fprintf(stderr, "fuzz: %s %s: %d %s\n", r->method, r->path, r->status,
			buf_cstr(&r->body));
		abort();
	}
	if (!r->content_type || strncmp(r->content_type, "application/json", 16) == 0) {
		json_error_t jerr;
		json_t *j = json_loadb(buf_cstr(&r->body), r->body.len, 0, &jerr);
		if (!j) {
			fprintf(stderr, "fuzz: %s %s: the reply is not JSON (%s at %d): %s\n", r->method,
				r->path, jerr.text, jerr.position, buf_cstr(&r->body));
			abort();
		}
		json_decref(j);
	}
	/* FUZZ_VERBOSE=1: every reply, to see how deep an input reaches. */
	const char *verbose = getenv("FUZZ_VERBOSE");
	if (verbose && *verbose && strcmp(verbose, "0") != 0)
		fprintf(stderr, "%s %s (%s): %d %.300s\n", r->method, r->path,
			r->who ? r->who->username : "-", r->status, buf_cstr(&r->body));
	buf_release(&r->body);
	free(r->disposition);
	free(r->set_cookie);
	r->disposition = NULL;
	r->set_cookie = NULL;
}
