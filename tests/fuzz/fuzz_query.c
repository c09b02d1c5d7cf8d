/*
 * fuzz_query: libFuzzer target for the query-string path of the API. The
 * input is the part of a URL after '?'. It is split and decoded as
 * libmicrohttpd does for the server ('&' between arguments, the first '='
 * between name and value, '+' as a space, then MHD_http_unescape() for
 * %XX), arguments that are not valid UTF-8 are refused as the server does,
 * and the pairs are handed to every GET handler that reads parameters: the
 * project list (as a bureau user, a region operator and a chain task
 * force), warnings, the headline, breakdown and origins reports, the CSV
 * export, a project's history and the audit trail (as an auditor), on the
 * seeded database of fixture.h. Each reply is checked there.
 *
 * The XLSX export is left out: it goes through a temporary file. These
 * handlers only read, so the database is made once.
 */
#include <microhttpd.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"
#include "http/http.h"
#include "util/text.h"
#include "util/xalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct fixture fx;
static bool ready;

/* One argument: '+' as a space, then %XX decoded in place. */
static char *unescape(char *s)
{
	for (char *p = s; *p; p++)
		if (*p == '+')
			*p = ' ';
	MHD_http_unescape(s);
	return s;
}

/*
 * Splits query (modified in place) into name/value pairs as MHD does: "a"
 * and "a&" give a with no value (NULL), "a=" an empty value, "a=b=c" the
 * value "b=c", and "&&" an argument with an empty name. Returns the
 * NULL-terminated array (malloc'd; the strings point into query), or NULL
 * when an argument is not valid UTF-8 (the server replies 400 then).
 */
static const char **split(char *query)
{
	size_t n = 0, cap = 0;
	const char **args = NULL;
	bool valid = true;
	char *s = query;
	while (*s) {
		char *amp = strchr(s, '&');
		if (amp)
			*amp = '\0';
		char *eq = strchr(s, '=');
		if (eq)
			*eq = '\0';
		const char *name = unescape(s);
		const char *value = eq ? unescape(eq + 1) : NULL;
		valid = valid && text_valid_utf8(name, strlen(name)) &&
			(!value || text_valid_utf8(value, strlen(value)));
		ARRAY_GROW(args, n + 2, cap);
		args[n++] = name;
		args[n++] = value;
		if (!amp)
			break;
		s = amp + 1;
	}
	ARRAY_GROW(args, n, cap);
	args[n] = NULL;
	if (!valid) {
		free(args);
		return NULL;
	}
	return args;
}

/* The first value of name, as req_query() finds it. */
static const char *arg(const char *const *args, const char *name)
{
	for (const char *const *a = args; a[0]; a += 2)
		if (strcmp(a[0], name) == 0)
			return a[1];
	return NULL;
}

static void call(void (*handler)(struct req *r), struct principal *who, const char *path,
		 const char *const *args)
{
	struct req r;
	fixture_req(&fx, &r, who, "GET", path, args);
	r.params[0] = FIXTURE_CODE;
	r.nparams = 1;
	handler(&r);
	fixture_req_done(&fx, &r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!ready) {
		fixture_open(&fx);
		ready = true;
	}
	/* A request line cannot carry a NUL byte: the query ends there. */
	char *query = xstrndup((const char *)data, size);
	const char **args = split(query);
	if (!args) {
		free(query);
		return 0;
	}
	const char *format = arg(args, "format");
	bool csv = !format || strcmp(format, "xlsx") != 0;
	call(api_projects_list, &fx.bureau, "/api/projects", args);
	call(api_projects_list, &fx.region, "/api/projects", args);
	call(api_projects_list, &fx.chain, "/api/projects", args);
	call(api_warnings_list, &fx.bureau, "/api/warnings", args);
	call(api_warnings_list, &fx.region, "/api/warnings", args);
	call(api_reports_headline, &fx.bureau, "/api/reports/headline", args);
	call(api_reports_breakdown, &fx.bureau, "/api/reports/breakdown", args);
	call(api_reports_origins, &fx.bureau, "/api/reports/origins", args);
	if (csv) {
		call(api_export_get, &fx.bureau, "/api/export", args);
		call(api_export_get, &fx.region, "/api/export", args);
	}
	call(api_projects_history, &fx.bureau, "/api/projects/" FIXTURE_CODE "/history", args);
	call(api_audit_list, &fx.auditor, "/api/audit", args);
	free(args);
	free(query);
	return 0;
}
