/*
 * reminders: each new due-soon or overdue deadline, and each escalation of
 * a problem, reaches the in-app inbox of the responsible users (the region
 * operators of the project's region, and its 责任人 when that names a user)
 * and the configured targets (WeCom and DingTalk group robots take JSON
 * POSTs, other webhooks a JSON object, e-mail goes by SMTP; libcurl), once.
 *
 * The database holds every state: an item ("warn:CODE:RULE:STATE",
 * "problem:ID:GRADE") is inserted once per user and per target (unique
 * keys), and a delivery is claimed for sending with a lease, so several
 * servers never send the same thing twice; a server that dies mid-send
 * leaves the claim to expire and the delivery is tried again. Failed
 * deliveries are retried with a growing delay (1 minute, doubling, at most
 * an hour) and marked failed after 8 attempts, visible in the API.
 */
#include "reminders.h"

#include <curl/curl.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/date.h"
#include "problems.h"
#include "refdata.h"
#include "util/json.h"
#include "util/xalloc.h"

#define MAX_ATTEMPTS 8
#define LEASE_SECONDS 120

/*
 * The items of a run are read before anything is written (a row callback
 * never queries the store), and at a million projects they are some 90,000
 * warnings: each is kept as its few facts and the strings it needs, one
 * after another in one block, and its texts are made when it is sent (kept
 * whole, 1,000 bytes each, they took 85 MiB).
 */
struct item {
	int64_t region_id;
	size_t text; /* offset in items.text: see item_texts() */
	/* A warning's rule and county (the run's reference data). */
	const struct rule *rule;
	const struct region *county;
	int32_t due;
	enum rule_state state;
	bool problem;
};

struct items {
	struct item *v;
	int n, cap;
	struct buf text;
	const struct refdata *rd;
	int32_t today;
};

/* One item's texts, made when it is sent. */
struct item_texts {
	char key[160];
	char title[256];
	char body[512];
	char responsible[64];
};

static struct item *add(struct items *it)
{
	if (it->n == it->cap) {
		it->cap = it->cap ? 2 * it->cap : 256;
		it->v = xrealloc(it->v, (size_t)it->cap * sizeof(*it->v));
	}
	struct item *x = &it->v[it->n++];
	memset(x, 0, sizeof(*x));
	x->text = it->text.len;
	return x;
}

/* Appends s and its NUL to the items' strings. */
static void add_text(struct items *it, const char *s)
{
	buf_add(&it->text, s ? s : "", strlen(s ? s : "") + 1);
}

/* The item's strings, one after another: for a warning the project's code,
 * name and 责任人; for a problem its key, title and body. */
static void item_texts(const struct items *it, const struct item *x, struct item_texts *t)
{
	const char *a = it->text.data + x->text, *b = a + strlen(a) + 1, *c = b + strlen(b) + 1;
	if (x->problem) {
		snprintf(t->key, sizeof(t->key), "%s", a);
		snprintf(t->title, sizeof(t->title), "%s", b);
		snprintf(t->body, sizeof(t->body), "%s", c);
		t->responsible[0] = '\0';
		return;
	}
	char d[11];
	date_format(x->due, d);
	snprintf(t->key, sizeof(t->key), "warn:%s:%s:%s", a, x->rule->key, rule_state_key(x->state));
	snprintf(t->title, sizeof(t->title), "【26211%s】%s %s", x->state == RS_OVERDUE ? "逾期" : "提醒",
		 a, x->rule->name);
	snprintf(t->body, sizeof(t->body), "项目 %s (%s):%s,期限 %s,%s。责任人:%s", b,
		 x->county ? x->county->name : "", x->rule->name, d, rule_state_name(x->state),
		 *c ? c : "未填");
	snprintf(t->responsible, sizeof(t->responsible), "%s", c);
}

static int warn_pair(void *ctx, const struct rule_pair *rp)
{
	struct items *it = ctx;
	const struct rule *r = NULL;
	for (int i = 0; i < it->rd->nrules; i++)
		if (it->rd->rules[i].id == rp->rule_id)
			r = &it->rd->rules[i];
	if (!r)
		return 0;
	enum rule_state st = rule_pair_state(rp->from_on, rp->due, rp->to_on, rp->to_na,
					     rp->terminated_on, it->today, it->rd->due_soon_days);
	if (st != RS_DUE_SOON && st != RS_OVERDUE)
		return 0;
	struct item *x = add(it);
	x->region_id = rp->region_id;
	x->rule = r;
	x->county = refdata_region_by_id(it->rd, rp->county_id);
	x->due = rp->due;
	x->state = st;
	add_text(it, rp->code);
	add_text(it, rp->name);
	add_text(it, rp->responsible);
	return 0;
}

static int problem_item(void *ctx, const struct problem *q)
{
	struct items *it = ctx;
	if (q->escalations == 0 || (strcmp(q->status, "open") != 0 && strcmp(q->status, "in_progress") != 0))
		return 0;
	struct item *x = add(it);
	x->problem = true;
	x->region_id = q->region_id;
	char d[11], t[800];
	date_format(q->deadline, d);
	snprintf(t, sizeof(t), "problem:%lld:%s", (long long)q->id, q->grade);
	add_text(it, t);
	snprintf(t, sizeof(t), "【问题升级】%s %s", q->code, q->title);
	add_text(it, t);
	snprintf(t, sizeof(t), "项目 %s 的问题“%s”逾期未解决,已升级为%s,新期限 %s。", q->project_name,
		 q->title, problem_grade_name(q->grade), d);
	add_text(it, t);
	return 0;
}

struct people {
	char (*name)[64];
	int64_t *region;
	int n;
};

static int operator_row(void *ctx, const char *const *v, int n)
{
	struct people *p = ctx;
	(void)n;
	p->name = xrealloc(p->name, (size_t)(p->n + 1) * sizeof(*p->name));
	p->region = xrealloc(p->region, (size_t)(p->n + 1) * sizeof(*p->region));
	snprintf(p->name[p->n], sizeof(p->name[0]), "%s", v[0]);
	p->region[p->n++] = strtoll(v[1], NULL, 10);
	return 0;
}

static int user_row(void *ctx, const struct user *u)
{
	struct people *p = ctx;
	if (u->disabled || strcmp(u->role, "system") == 0)
		return 0;
	p->name = xrealloc(p->name, (size_t)(p->n + 1) * sizeof(*p->name));
	snprintf(p->name[p->n++], sizeof(p->name[0]), "%s", u->username);
	return 0;
}

struct target {
	int64_t id;
	char kind[16];
	char *target;
};

struct targets {
	struct target *v;
	int n;
};

static int target_row(void *ctx, const char *const *v, int n)
{
	struct targets *t = ctx;
	(void)n;
	if (strcmp(v[4], "0") == 0)
		return 0;
	t->v = xrealloc(t->v, (size_t)(t->n + 1) * sizeof(*t->v));
	struct target *x = &t->v[t->n++];
	x->id = strtoll(v[0], NULL, 10);
	snprintf(x->kind, sizeof(x->kind), "%s", v[1]);
	x->target = xstrdup(v[2]);
	return 0;
}

/* The message a target's kind takes. */
static char *payload(const char *kind, const struct item_texts *x)
{
	struct buf b = BUF_INIT;
	struct jw w;
	char text[800];
	snprintf(text, sizeof(text), "%s\n%s", x->title, x->body);
	if (strcmp(kind, "email") == 0) {
		buf_adds(&b, text);
		return buf_detach(&b);
	}
	jw_init(&w, &b);
	jw_obj(&w);
	if (strcmp(kind, "wecom") == 0 || strcmp(kind, "dingtalk") == 0) {
		jw_kstr(&w, "msgtype", "text");
		jw_key(&w, "text");
		jw_obj(&w);
		jw_kstr(&w, "content", text);
		jw_obj_end(&w);
	} else {
		jw_kstr(&w, "item", x->key);
		jw_kstr(&w, "title", x->title);
		jw_kstr(&w, "text", x->body);
	}
	jw_obj_end(&w);
	return buf_detach(&b);
}

/* Whether the operator's region contains the item's region. */
static bool covers(const struct refdata *rd, int64_t operator_region, int64_t region)
{
	struct principal who = {.role = ROLE_REGION, .region_id = operator_region};
	return principal_sees_region(&who, rd, region);
}

static int enqueue(struct store *s, const struct refdata *rd, const struct items *it,
		   const struct people *ops, const struct people *users, const struct targets *tg,
		   int64_t now_s, const char *now, struct remind_stats *st)
{
	if (store_begin(s) != 0)
		return -1;
	for (int i = 0; i < it->n; i++) {
		struct item_texts texts, *x = &texts;
		item_texts(it, &it->v[i], x);
		for (int k = 0; k < ops->n; k++)
			if (covers(rd, ops->region[k], it->v[i].region_id)) {
				if (store_notify(s, ops->name[k], x->key, x->title, x->body, now) != 0)
					goto fail;
				st->notified++;
			}
		for (int k = 0; x->responsible[0] && k < users->n; k++)
			if (strcmp(users->name[k], x->responsible) == 0 &&
			    store_notify(s, users->name[k], x->key, x->title, x->body, now) != 0)
				goto fail;
		for (int k = 0; k < tg->n; k++) {
			char *p = payload(tg->v[k].kind, x);
			int rc = store_delivery_add(s, tg->v[k].id, x->key, p, now_s, now);
			free(p);
			if (rc != 0)
				goto fail;
		}
	}
	return store_commit_quiet(s);
fail:
	store_rollback(s);
	return -1;
}

struct due {
	int64_t id;
	char kind[16];
	char *target, *payload;
	int attempts;
};

struct dues {
	struct due *v;
	int n;
};

static int due_row(void *ctx, const char *const *v, int n)
{
	struct dues *d = ctx;
	(void)n;
	d->v = xrealloc(d->v, (size_t)(d->n + 1) * sizeof(*d->v));
	struct due *x = &d->v[d->n++];
	x->id = strtoll(v[0], NULL, 10);
	snprintf(x->kind, sizeof(x->kind), "%s", v[1]);
	x->target = xstrdup(v[2]);
	x->payload = xstrdup(v[3]);
	x->attempts = atoi(v[4]);
	return 0;
}

struct upload {
	const char *data;
	size_t len, off;
};

static size_t read_cb(char *buf, size_t size, size_t n, void *ctx)
{
	struct upload *u = ctx;
	size_t k = size * n < u->len - u->off ? size * n : u->len - u->off;
	memcpy(buf, u->data + u->off, k);
	u->off += k;
	return k;
}

static size_t discard(char *p, size_t size, size_t n, void *ctx)
{
	(void)p;
	(void)ctx;
	return size * n;
}

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;

static void curl_setup(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
}

/* Sends one delivery; 0, or -1 with the reason. */
static int send_one(struct store *s, const struct due *d, struct buf *err)
{
	pthread_once(&curl_once, curl_setup);
	CURL *c = curl_easy_init();
	if (!c) {
		buf_adds(err, "curl 初始化失败");
		return -1;
	}
	struct curl_slist *headers = NULL;
	struct buf mail = BUF_INIT;
	char *smtp = NULL, *from = NULL;
	struct upload up = {0};
	char errbuf[CURL_ERROR_SIZE] = "";
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 10L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	int rc = -1;
	if (strcmp(d->kind, "email") == 0) {
		if (store_meta_get(s, "smtp.url", &smtp) != 0 || store_meta_get(s, "smtp.from", &from) != 0 ||
		    !smtp || !from) {
			buf_adds(err, "未配置 SMTP (meta smtp.url 与 smtp.from)");
			goto out;
		}
		/* The subject is the first line, in RFC 2047 form. */
		const char *nl = strchr(d->payload, '\n');
		size_t sl = nl ? (size_t)(nl - d->payload) : strlen(d->payload);
		char b64[1024];
		sodium_bin2base64(b64, sizeof(b64), (const unsigned char *)d->payload,
				  sl < 700 ? sl : 700, sodium_base64_VARIANT_ORIGINAL);
		buf_addf(&mail, "From: %s\r\nTo: %s\r\nSubject: =?UTF-8?B?%s?=\r\nMIME-Version: 1.0\r\n"
				"Content-Type: text/plain; charset=UTF-8\r\n\r\n",
			 from, d->target, b64);
		/* SMTP lines end in CRLF: no bare LF in the body. */
		for (const char *p = d->payload; *p; p++) {
			if (*p == '\n' && (p == d->payload || p[-1] != '\r'))
				buf_addc(&mail, '\r');
			buf_addc(&mail, *p);
		}
		buf_adds(&mail, "\r\n");
		up = (struct upload){mail.data, mail.len, 0};
		struct curl_slist *rcpt = curl_slist_append(NULL, d->target);
		curl_easy_setopt(c, CURLOPT_URL, smtp);
		curl_easy_setopt(c, CURLOPT_MAIL_FROM, from);
		curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
		curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
		curl_easy_setopt(c, CURLOPT_READFUNCTION, read_cb);
		curl_easy_setopt(c, CURLOPT_READDATA, &up);
		CURLcode res = curl_easy_perform(c);
		curl_slist_free_all(rcpt);
		if (res != CURLE_OK)
			buf_addf(err, "SMTP: %s", errbuf[0] ? errbuf : curl_easy_strerror(res));
		else
			rc = 0;
		goto out;
	}
	headers = curl_slist_append(headers, "Content-Type: application/json; charset=utf-8");
	curl_easy_setopt(c, CURLOPT_URL, d->target);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, d->payload);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	CURLcode res = curl_easy_perform(c);
	long status = 0;
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	if (res != CURLE_OK)
		buf_addf(err, "%s", errbuf[0] ? errbuf : curl_easy_strerror(res));
	else if (status < 200 || status > 299)
		buf_addf(err, "HTTP %ld", status);
	else
		rc = 0;
out:
	curl_slist_free_all(headers);
	curl_easy_cleanup(c);
	buf_release(&mail);
	free(smtp);
	free(from);
	return rc;
}

static int deliver(struct store *s, int64_t now_s, const char *now, struct remind_stats *st)
{
	struct dues d = {NULL, 0};
	int rc = store_deliveries_due(s, now_s, due_row, &d);
	for (int i = 0; rc == 0 && i < d.n; i++) {
		struct due *x = &d.v[i];
		bool claimed = false;
		if (store_begin(s) != 0 ||
		    store_delivery_claim(s, x->id, now_s, now_s + LEASE_SECONDS, &claimed) != 0 ||
		    store_commit_quiet(s) != 0) {
			store_rollback(s);
			rc = -1;
			break;
		}
		if (!claimed)
			continue;
		struct buf err = BUF_INIT;
		int sent = send_one(s, x, &err) == 0;
		int attempts = x->attempts + 1;
		int64_t delay = 60;
		for (int k = 1; k < attempts && delay < 3600; k++)
			delay *= 2;
		if (delay > 3600)
			delay = 3600;
		const char *status = sent ? "sent" : attempts >= MAX_ATTEMPTS ? "failed" : "pending";
		if (store_begin(s) != 0 ||
		    store_delivery_done(s, x->id, status, attempts, sent ? NULL : buf_cstr(&err),
					now_s + delay, sent ? now : NULL) != 0 ||
		    store_commit_quiet(s) != 0) {
			store_rollback(s);
			rc = -1;
		}
		if (sent)
			st->sent++;
		else
			st->failed++;
		buf_release(&err);
	}
	for (int i = 0; i < d.n; i++) {
		free(d.v[i].target);
		free(d.v[i].payload);
	}
	free(d.v);
	return rc;
}

int reminders_run(struct store *s, const struct refdata *rd, int32_t today, struct remind_stats *st)
{
	memset(st, 0, sizeof(*st));
	int64_t now_s;
	char now[21], asof[11], limit[11];
	if (date_now_epoch(&now_s, NULL) != 0)
		now_s = 0;
	date_format_utc(now_s, now);
	if (problems_escalate(s, today) < 0)
		return -1;
	struct items it = {.rd = rd, .today = today};
	struct people ops = {0}, users = {0};
	struct targets tg = {NULL, 0};
	struct problem_filter pf = {.status = NULL};
	date_format(today, asof);
	date_format(date_add_days(today, rd->due_soon_days), limit);
	int rc = -1;
	/* Everything is read first: a row callback never queries the store. */
	if (store_rule_pairs(s, asof, limit, false, warn_pair, &it) != 0 ||
	    store_problem_list(s, &pf, problem_item, &it) != 0 ||
	    store_region_operators(s, operator_row, &ops) != 0 ||
	    store_users_list(s, user_row, &users) != 0 || store_targets(s, target_row, &tg) != 0)
		goto out;
	st->items = it.n;
	if (enqueue(s, rd, &it, &ops, &users, &tg, now_s, now, st) != 0 || deliver(s, now_s, now, st) != 0)
		goto out;
	rc = 0;
out:
	free(it.v);
	buf_release(&it.text);
	free(ops.name);
	free(ops.region);
	free(users.name);
	for (int i = 0; i < tg.n; i++)
		free(tg.v[i].target);
	free(tg.v);
	return rc;
}
