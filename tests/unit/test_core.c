/*
 * Unit tests for the 26211 rule states, the project checks, the JSON writer,
 * a buffer's sink and the agreement of the route table with the OpenAPI document.
 */
#include <ctype.h>
#include <jansson.h>
#include <stdlib.h>
#include <strings.h>

#include "domain/date.h"
#include "domain/project.h"
#include "http/http.h"
#include "t.h"
#include "util/embedded.h"
#include "util/json.h"
#include "util/strmap.h"
#include "util/text.h"

static int32_t D(const char *s)
{
	int32_t d;
	if (date_parse_iso(s, &d) != 0) {
		fprintf(stderr, "bad test date %s\n", s);
		abort();
	}
	return d;
}

static const struct rule reg = {1, "register", "", MS_SIGNED, MS_REGISTERED, 2};
static const struct rule start = {2, "start", "", MS_SIGNED, MS_STARTED, 6};
static const struct rule incl = {3, "include", "", MS_STARTED, MS_INCLUDED, 2};

struct pj {
	int32_t ms[MS__COUNT];
	bool na[MS__COUNT];
	int32_t term;
};

static struct pj pj(const char *signed_on)
{
	struct pj p;
	for (int m = 0; m < MS__COUNT; m++) {
		p.ms[m] = DATE_NONE;
		p.na[m] = false;
	}
	p.ms[MS_SIGNED] = D(signed_on);
	p.term = DATE_NONE;
	return p;
}

static const char *state(const struct rule *r, const struct pj *p, const char *as_of,
			 char due_out[11])
{
	int32_t due;
	enum rule_state s = rule_eval(r, p->ms, p->na, p->term, D(as_of), 15, &due);
	/* The stored pair (project_rules) gives the same state. */
	if (!p->na[r->from] && p->ms[r->from] != DATE_NONE)
		CHECK_STR(rule_state_key(rule_pair_state(p->ms[r->from],
							 date_add_months(p->ms[r->from], r->months),
							 p->ms[r->to], p->na[r->to], p->term, D(as_of), 15)),
			  rule_state_key(s));
	if (due_out) {
		if (due == DATE_NONE)
			strcpy(due_out, "-");
		else
			date_format(due, due_out);
	}
	return rule_state_key(s);
}

TEST(rule_due_dates_and_window)
{
	char due[11];
	struct pj p = pj("2023-08-31");
	CHECK_STR(state(&reg, &p, "2023-09-01", due), "pending");
	CHECK_STR(due, "2023-10-31");
	CHECK_STR(state(&start, &p, "2023-09-01", due), "pending");
	CHECK_STR(due, "2024-02-29"); /* leap year, day lowered */
	p = pj("2023-01-31");
	CHECK_STR(state(&reg, &p, "2023-03-15", due), "pending"); /* 16 days left */
	CHECK_STR(due, "2023-03-31");
	CHECK_STR(state(&reg, &p, "2023-03-16", NULL), "due_soon"); /* 15 days */
	CHECK_STR(state(&reg, &p, "2023-03-31", NULL), "due_soon"); /* due today */
	CHECK_STR(state(&reg, &p, "2023-04-01", NULL), "overdue");
	/* Before signing nothing has a state. */
	CHECK_STR(state(&reg, &p, "2023-01-30", due), "none");
	CHECK_STR(due, "-");
	CHECK_STR(state(&incl, &p, "2023-06-01", NULL), "none");
}

TEST(rule_done_late_and_as_of)
{
	struct pj p = pj("2023-01-31");
	p.ms[MS_REGISTERED] = D("2023-03-31");
	CHECK_STR(state(&reg, &p, "2023-12-31", NULL), "done");
	p.ms[MS_REGISTERED] = D("2023-04-01");
	CHECK_STR(state(&reg, &p, "2023-12-31", NULL), "late_done");
	/* Seen before it happened, the registration is not there yet. */
	CHECK_STR(state(&reg, &p, "2023-03-31", NULL), "due_soon");
	CHECK_STR(state(&reg, &p, "2023-04-01", NULL), "late_done");
	/* include runs from start */
	p.ms[MS_STARTED] = D("2023-06-15");
	char due[11];
	CHECK_STR(state(&incl, &p, "2023-07-01", due), "pending");
	CHECK_STR(due, "2023-08-15");
	CHECK_STR(state(&incl, &p, "2023-06-14", NULL), "none");
}

TEST(rule_exempt_and_terminated)
{
	struct pj p = pj("2023-01-10");
	p.na[MS_REGISTERED] = true;
	CHECK_STR(state(&reg, &p, "2023-12-31", NULL), "exempt");
	CHECK_STR(state(&reg, &p, "2023-01-09", NULL), "none");
	/* 开工 不适用: start exempt; include never begins */
	p = pj("2023-01-10");
	p.na[MS_STARTED] = true;
	CHECK_STR(state(&start, &p, "2023-12-31", NULL), "exempt");
	CHECK_STR(state(&incl, &p, "2023-12-31", NULL), "none");
	p = pj("2023-01-10");
	p.term = D("2023-05-01");
	CHECK_STR(state(&reg, &p, "2023-04-30", NULL), "overdue");
	CHECK_STR(state(&reg, &p, "2023-05-01", NULL), "none");
}

struct errs {
	int n;
	char fields[16][32];
};

static void rep(void *ctx, const char *field, const char *msg)
{
	struct errs *e = ctx;
	(void)msg;
	if (e->n < 16)
		snprintf(e->fields[e->n], 32, "%s", field);
	e->n++;
}

static int check_project(struct project *p, const char *today, struct errs *e)
{
	memset(e, 0, sizeof(*e));
	return project_check(p, D(today), rep, e);
}

TEST(project_checks)
{
	struct project p;
	struct errs e;
	project_clear(&p);
	p.ms[MS_SIGNED] = D("2023-01-10");
	CHECK_INT(check_project(&p, "2023-12-31", &e), 0);
	p.ms[MS_STARTED] = D("2023-03-01");
	CHECK_INT(check_project(&p, "2023-12-31", &e), 1);
	CHECK_STR(e.fields[0], "started_on"); /* needs registered */
	p.na[MS_REGISTERED] = true;
	CHECK_INT(check_project(&p, "2023-12-31", &e), 1);
	CHECK_STR(e.fields[0], "na_reason"); /* 不适用 needs a reason */
	p.na_reason = "扩建";
	CHECK_INT(check_project(&p, "2023-12-31", &e), 0);
	CHECK_INT(check_project(&p, "2023-02-28", &e), 1);
	CHECK_STR(e.fields[0], "started_on"); /* future */
	p.ms[MS_INCLUDED] = D("2023-02-01");
	CHECK_INT(check_project(&p, "2023-12-31", &e), 1);
	CHECK_STR(e.fields[0], "included_on"); /* before started */
	p.ms[MS_INCLUDED] = D("2023-04-01");
	p.ms[MS_PRODUCING] = D("2023-03-01");
	CHECK_INT(check_project(&p, "2023-12-31", &e), 0); /* producing >= started only */
	p.terminated_on = D("2023-03-15");
	CHECK_INT(check_project(&p, "2023-12-31", &e), 2);
	CHECK_STR(e.fields[0], "terminated_reason");
	CHECK_STR(e.fields[1], "terminated_on"); /* before 入库 */
	p.terminated_on = D("2023-04-01");
	p.terminated_reason = "撤资";
	CHECK_INT(check_project(&p, "2023-12-31", &e), 0);
	CHECK_STR(project_stage(&p), "terminated");
	p.terminated_on = DATE_NONE;
	p.terminated_reason = NULL;
	CHECK_STR(project_stage(&p), "producing");
	p.na[MS_SIGNED] = true;
	CHECK(check_project(&p, "2023-12-31", &e) >= 1);
	CHECK_STR(e.fields[0], "signed_on");
}

TEST(json_writer_integers)
{
	struct buf b = BUF_INIT;
	struct jw w;
	jw_init(&w, &b);
	jw_arr(&w);
	const int64_t v[] = {0, 7, -1, 10, -10, 1234567890123, INT64_MAX, INT64_MIN};
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		jw_int(&w, v[i]);
	jw_arr_end(&w);
	CHECK_STR(b.data, "[0,7,-1,10,-10,1234567890123,9223372036854775807,-9223372036854775808]");
	buf_release(&b);
}

TEST(json_writer_escapes)
{
	struct buf b = BUF_INIT;
	struct jw w;
	jw_init(&w, &b);
	jw_obj(&w);
	jw_kstr(&w, "a", "x\"y\\z\n\t\x01中");
	jw_kint(&w, "n", -42);
	jw_key(&w, "l");
	jw_arr(&w);
	jw_int(&w, 1);
	jw_str(&w, NULL);
	jw_bool(&w, true);
	jw_obj(&w);
	jw_obj_end(&w);
	jw_arr_end(&w);
	jw_kstr(&w, "s", "\xe2\x80\xa8");
	jw_obj_end(&w);
	CHECK_STR(b.data, "{\"a\":\"x\\\"y\\\\z\\n\\t\\u0001中\",\"n\":-42,\"l\":[1,null,true,{}],"
			  "\"s\":\"\\u2028\"}");
	json_error_t err;
	json_t *j = json_loads(b.data, 0, &err);
	CHECK(j != NULL);
	json_decref(j);
	buf_release(&b);
}

TEST(json_writer_keys)
{
	struct buf b = BUF_INIT;
	struct jw w;
	jw_init(&w, &b);
	jw_obj(&w);
	/* A literal key is copied as quoted when compiling; a key from
	 * elsewhere is escaped. */
	jw_kstr(&w, "code", "A-1");
	const char *dynamic = "a\"b";
	jw_kint_v(&w, dynamic, 3);
	jw_key_v(&w, "x\n");
	jw_null(&w);
	jw_kstr_v(&w, "y", NULL);
	jw_kbool(&w, "ok", false);
	jw_obj_end(&w);
	CHECK_STR(b.data, "{\"code\":\"A-1\",\"a\\\"b\":3,\"x\\n\":null,\"y\":null,\"ok\":false}");
	buf_release(&b);
	char t[21];
	CHECK_INT((int)fmt_u64(t, 0), 1);
	CHECK_STR(t, "0");
	CHECK_INT((int)fmt_u64(t, 18446744073709551615ULL), 20);
	CHECK_STR(t, "18446744073709551615");
	buf_addu(&b, 907);
	buf_add(&b, "", 0);
	CHECK_STR(b.data, "907");
	buf_release(&b);
}

/* A sink keeping what it takes; it refuses once `room` bytes are taken. */
struct test_sink {
	struct buf_sink sink;
	struct buf got;
	size_t room;
	int flushes, resets;
};

static int test_flush(struct buf_sink *k, const char *data, size_t n)
{
	struct test_sink *t = (struct test_sink *)k;
	if (t->got.len + n > t->room) {
		k->threshold = SIZE_MAX;
		return -1;
	}
	buf_add(&t->got, data, n);
	t->flushes++;
	return 0;
}

static void test_reset(struct buf_sink *k)
{
	struct test_sink *t = (struct test_sink *)k;
	buf_reset(&t->got);
	t->resets++;
}

TEST(buf_sink_takes_what_passes_the_threshold)
{
	/* A JSON array of 20,000 numbers written a few bytes at a time: the
	 * buffer never holds more than the threshold, and what the sink took
	 * followed by what is left is the whole text. */
	struct test_sink t = {{1024, test_flush, test_reset}, BUF_INIT, SIZE_MAX, 0, 0};
	struct buf b = BUF_INIT, want = BUF_INIT;
	b.sink = &t.sink;
	struct jw w, ww;
	jw_init(&w, &b);
	jw_init(&ww, &want);
	jw_arr(&w);
	jw_arr(&ww);
	size_t most = 0;
	for (int i = 0; i < 20000; i++) {
		jw_int(&w, i * 7);
		jw_int(&ww, i * 7);
		if (b.len > most)
			most = b.len;
	}
	jw_arr_end(&w);
	jw_arr_end(&ww);
	CHECK(most < 1024);
	CHECK(b.cap <= 1024);
	CHECK(t.flushes > 100);
	buf_add(&t.got, b.data, b.len);
	CHECK_INT(t.got.len, want.len);
	CHECK(memcmp(t.got.data, want.data, want.len) == 0);
	/* One write larger than the threshold: what was there goes first. */
	buf_reset(&b);
	CHECK_INT(t.resets, 1);
	CHECK_INT(t.got.len, 0);
	buf_adds(&b, "head,");
	char big[3000];
	memset(big, 'x', sizeof(big));
	buf_add(&b, big, sizeof(big));
	CHECK_INT(t.got.len, 5);
	CHECK_INT(b.len, 3000);
	/* A sink that can take no more: the rest stays in the buffer, and the
	 * sink is not asked again. */
	buf_release(&b);
	buf_reset(&t.got);
	t.room = 2500;
	int before = t.flushes;
	for (int i = 0; i < 1000; i++)
		buf_adds(&b, "abcdefghij");
	CHECK(t.flushes - before >= 2);
	CHECK_INT(t.got.len + b.len, 10000);
	CHECK(t.got.len <= 2500);
	CHECK(t.sink.threshold == SIZE_MAX);
	for (size_t i = 0; i < t.got.len; i++)
		CHECK(t.got.data[i] == "abcdefghij"[i % 10]);
	for (size_t i = 0; i < b.len; i++)
		CHECK(b.data[i] == "abcdefghij"[(t.got.len + i) % 10]);
	buf_release(&b);
	buf_release(&want);
	buf_release(&t.got);
}

TEST(strmap_add_get_set)
{
	struct strmap m = {0};
	int64_t v = -1;
	CHECK(!strmap_get(&m, "a", &v));
	char key[32];
	/* Enough keys to grow the table several times. */
	for (int i = 0; i < 5000; i++) {
		snprintf(key, sizeof(key), "k%d", i);
		CHECK(strmap_add(&m, key, i * 3, NULL));
	}
	CHECK_INT(m.n, 5000);
	CHECK(strmap_get(&m, "k4999", &v));
	CHECK_INT(v, 4999 * 3);
	CHECK(strmap_get(&m, "k0", NULL));
	CHECK(!strmap_get(&m, "k5000", NULL));
	/* Adding a present key keeps its value and says which. */
	CHECK(!strmap_add(&m, "k7", 1, &v));
	CHECK_INT(v, 21);
	strmap_set(&m, "k7", 0);
	CHECK(strmap_get(&m, "k7", &v));
	CHECK_INT(v, 0);
	strmap_set(&m, "新", 9);
	CHECK(strmap_get(&m, "新", &v));
	CHECK_INT(v, 9);
	CHECK_INT(m.n, 5001);
	strmap_release(&m);
	CHECK(!strmap_get(&m, "k1", NULL));
	CHECK_INT(m.n, 0);
}

TEST(text_normalisation)
{
	char *s = text_normalize("\xe3\x80\x80 合同投资额（亿元）ＡＢ１ \t");
	CHECK_STR(s, "合同投资额(亿元)AB1");
	free(s);
	CHECK(text_valid_utf8("中文", 6));
	CHECK(!text_valid_utf8("\xff", 1));
	CHECK(!text_valid_utf8("a\0b", 3));
	CHECK(!text_valid_utf8("\xe4\xb8", 2));
	CHECK_INT(text_length("襄阳ab"), 4);
	/* a CJK compatibility ideograph (U+F900) is not on the fast path */
	s = text_normalize("\xef\xa4\x80");
	CHECK_STR(s, "\xe8\xb1\x88");
	free(s);
	s = text_normalize("襄阳市2023-01-01 ok");
	CHECK_STR(s, "襄阳市2023-01-01 ok");
	free(s);
}

TEST(every_route_is_in_openapi)
{
	const struct embedded_file *f = embedded_find("src/api/openapi.json");
	CHECK(f != NULL);
	if (!f)
		return;
	json_error_t err;
	json_t *doc = json_loadb((const char *)f->data, f->size, 0, &err);
	CHECK(doc != NULL);
	json_t *paths = json_object_get(doc, "paths");
	int documented = 0;
	for (int i = 0; i < api_nroutes; i++) {
		char method[16];
		size_t k;
		for (k = 0; api_routes[i].method[k] && k < sizeof(method) - 1; k++)
			method[k] = (char)tolower((unsigned char)api_routes[i].method[k]);
		method[k] = '\0';
		json_t *item = json_object_get(paths, api_routes[i].pattern);
		if (!item || !json_object_get(item, method)) {
			fprintf(stderr, "route %s %s is not in openapi.json\n", api_routes[i].method,
				api_routes[i].pattern);
			t_failed_checks++;
		} else {
			documented++;
		}
	}
	/* and nothing documented that does not exist */
	const char *path;
	json_t *item;
	json_object_foreach(paths, path, item)
	{
		const char *m;
		json_t *op;
		json_object_foreach(item, m, op)
		{
			bool found = false;
			for (int i = 0; i < api_nroutes; i++)
				found = found || (strcmp(api_routes[i].pattern, path) == 0 &&
						  strcasecmp(api_routes[i].method, m) == 0);
			if (!found) {
				fprintf(stderr, "openapi.json documents %s %s, which has no route\n", m, path);
				t_failed_checks++;
			}
		}
	}
	CHECK_INT(documented, api_nroutes);
	json_decref(doc);
}

int main(void)
{
	RUN(rule_due_dates_and_window);
	RUN(rule_done_late_and_as_of);
	RUN(rule_exempt_and_terminated);
	RUN(project_checks);
	RUN(json_writer_integers);
	RUN(json_writer_escapes);
	RUN(json_writer_keys);
	RUN(buf_sink_takes_what_passes_the_threshold);
	RUN(strmap_add_get_set);
	RUN(text_normalisation);
	RUN(every_route_is_in_openapi);
	return T_DONE();
}
