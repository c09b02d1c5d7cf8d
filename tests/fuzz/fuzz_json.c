/*
 * fuzz_json: libFuzzer target for the JSON body path of the API. The input
 * is a request body: it is checked and parsed exactly as the dispatcher does
 * (valid UTF-8, jansson with duplicate keys rejected, an object), then handed
 * to every handler that takes a JSON body and writes projects: create,
 * update, each milestone and termination, called directly on a request
 * without a connection (fixture.h). The login and password routes also take
 * JSON but spend most of their time in Argon2; they are left out.
 *
 * The handlers run one after the other on the same body, on the seeded
 * project FIXTURE_CODE: each as a bureau user, create and update also as a
 * region operator (whose region holds FIXTURE_CODE). Each reply is checked
 * (fixture.h); when one of them may have committed, the database is made
 * afresh, so every input starts from the same state.
 */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "fixture.h"
#include "http/http.h"
#include "util/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct fixture fx;
static bool ready;

/* Calls handler with the body as the dispatcher would; true when it
 * replied 2xx (the database may have changed). */
static bool call(void (*handler)(struct req *r), struct principal *who, json_t *body,
		 const char *method, const char *path, const char *p0, const char *p1)
{
	struct req r;
	fixture_req(&fx, &r, who, method, path, NULL);
	r.json = body;
	r.params[0] = p0;
	r.params[1] = p1;
	r.nparams = p1 ? 2 : p0 ? 1 : 0;
	handler(&r);
	bool ok = r.status >= 200 && r.status < 300;
	fixture_req_done(&fx, &r);
	return ok;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const milestones[] = {"signed", "registered", "started", "included",
						 "producing"};
	if (!ready) {
		fixture_open(&fx);
		ready = true;
	}
	/* What the dispatcher refuses before any handler runs. */
	if (!text_valid_utf8((const char *)data, size))
		return 0;
	json_error_t jerr;
	json_t *body = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &jerr);
	if (!body)
		return 0;
	if (!json_is_object(body)) {
		json_decref(body);
		return 0;
	}
	bool changed = false;
	changed |= call(api_projects_create, &fx.bureau, body, "POST", "/api/projects", NULL, NULL);
	changed |= call(api_projects_update, &fx.bureau, body, "PATCH", "/api/projects/" FIXTURE_CODE,
			FIXTURE_CODE, NULL);
	/* A region operator: FIXTURE_CODE lies in its region; elsewhere is 403. */
	changed |= call(api_projects_create, &fx.region, body, "POST", "/api/projects", NULL, NULL);
	changed |= call(api_projects_update, &fx.region, body, "PATCH", "/api/projects/" FIXTURE_CODE,
			FIXTURE_CODE, NULL);
	for (size_t i = 0; i < sizeof(milestones) / sizeof(milestones[0]); i++) {
		char path[80];
		snprintf(path, sizeof(path), "/api/projects/%s/milestones/%s", FIXTURE_CODE,
			 milestones[i]);
		changed |= call(api_projects_milestone, &fx.bureau, body, "PUT", path, FIXTURE_CODE,
				milestones[i]);
	}
	changed |= call(api_projects_terminate, &fx.bureau, body, "POST",
			"/api/projects/" FIXTURE_CODE "/termination", FIXTURE_CODE, NULL);
	json_decref(body);
	if (changed)
		fixture_reset(&fx);
	return 0;
}
