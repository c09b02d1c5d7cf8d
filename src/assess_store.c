/*
 * assess_store: a month's assessment as the API and the CLI answer it: the
 * published snapshot when there is one (frozen, never silently recomputed),
 * otherwise a fresh computation; publishing; and what a recomputation of a
 * published month would change.
 */
#include "assess_store.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "domain/date.h"
#include "util/json.h"
#include "util/xalloc.h"

struct snap {
	char *json, *at, *by;
};

static int snap_row(void *ctx, const char *const *v, int n)
{
	struct snap *s = ctx;
	(void)n;
	s->json = xstrdup(v[0]);
	s->at = xstrdup(v[1]);
	s->by = xstrdup(v[2]);
	return 1;
}

static void snap_release(struct snap *s)
{
	free(s->json);
	free(s->at);
	free(s->by);
}

/* The differences between a published ranking and a fresh one, as a JSON
 * array of {"region","field","published","now"}. */
static int diff(const char *published, const char *fresh, struct buf *out)
{
	json_error_t e;
	json_t *a = json_loads(published, 0, &e), *b = json_loads(fresh, 0, &e);
	int changes = 0;
	struct jw w;
	jw_init(&w, out);
	jw_arr(&w);
	json_t *ra = json_object_get(a, "ranking"), *rb = json_object_get(b, "ranking");
	size_t i;
	json_t *x;
	json_array_foreach(ra, i, x)
	{
		const char *region = json_string_value(json_object_get(x, "region"));
		json_t *y = NULL, *t;
		size_t k;
		json_array_foreach(rb, k, t) if (strcmp(json_string_value(json_object_get(t, "region")),
							region) == 0) y = t;
		if (!y)
			continue;
		static const char *const top[] = {"rank", "score"};
		for (int f = 0; f < 2; f++) {
			json_t *p = json_object_get(x, top[f]), *q = json_object_get(y, top[f]);
			if (!json_equal(p, q)) {
				char *ps = json_dumps(p, JSON_ENCODE_ANY), *qs = json_dumps(q, JSON_ENCODE_ANY);
				jw_obj(&w);
				jw_kstr(&w, "region", region);
				jw_kstr(&w, "field", top[f]);
				jw_key(&w, "published");
				jw_raw(&w, ps);
				jw_key(&w, "now");
				jw_raw(&w, qs);
				jw_obj_end(&w);
				free(ps);
				free(qs);
				changes++;
			}
		}
		const char *key;
		json_t *p;
		json_t *ib = json_object_get(y, "indicators");
		json_object_foreach(json_object_get(x, "indicators"), key, p)
		{
			json_t *q = json_object_get(ib, key);
			if (json_equal(p, q))
				continue;
			char *ps = json_dumps(p, JSON_ENCODE_ANY), *qs = json_dumps(q, JSON_ENCODE_ANY);
			jw_obj(&w);
			jw_kstr(&w, "region", region);
			jw_kstr(&w, "field", key);
			jw_key(&w, "published");
			jw_raw(&w, ps);
			jw_key(&w, "now");
			jw_raw(&w, qs);
			jw_obj_end(&w);
			free(ps);
			free(qs);
			changes++;
		}
	}
	jw_arr_end(&w);
	json_decref(a);
	json_decref(b);
	return changes;
}

int assessment_answer(struct store *s, const struct refdata *rd, int y, int m, int32_t today,
		      bool recompute, bool json, struct buf *out, struct buf *why)
{
	char month[8];
	snprintf(month, sizeof(month), "%04d-%02d", y, m);
	struct snap snap = {0};
	if (store_assessment_get(s, month, snap_row, &snap) != 0)
		return -1;
	if (snap.json && !recompute && json) {
		buf_adds(out, snap.json);
		snap_release(&snap);
		return 0;
	}
	struct assess_result a;
	int rc = assess_compute(s, rd, y, m, today, &a, why);
	if (rc != 0) {
		snap_release(&snap);
		return rc;
	}
	if (!json) {
		if (snap.json)
			buf_addf(out, "(已于 %s 由 %s 发布;以下为按当前数据重算的结果)\n", snap.at, snap.by);
		assess_text(&a, out);
	} else if (!snap.json) {
		assess_json(&a, false, out);
	} else {
		/* A published month recomputed: the frozen snapshot, the fresh
		 * result and what would differ. */
		struct buf fresh = BUF_INIT, changes = BUF_INIT;
		assess_json(&a, false, &fresh);
		int n = diff(snap.json, buf_cstr(&fresh), &changes);
		buf_addf(out, "{\"month\":\"%s\",\"published\":true,\"differs\":%s,\"changes\":%s,"
			      "\"snapshot\":%s,\"recomputed\":%s}",
			 month, n ? "true" : "false", buf_cstr(&changes), snap.json, buf_cstr(&fresh));
		buf_release(&fresh);
		buf_release(&changes);
	}
	assess_release(&a);
	snap_release(&snap);
	return 0;
}

int assessment_publish(struct store *s, const struct refdata *rd, int y, int m, int32_t today,
		       const struct principal *who, struct buf *why)
{
	struct assess_result a;
	int rc = assess_compute(s, rd, y, m, today, &a, why);
	if (rc != 0)
		return rc;
	if (a.current) {
		buf_addf(why, "%s 尚未结束,月末之后才能发布", a.month);
		assess_release(&a);
		return 1;
	}
	struct buf snap = BUF_INIT;
	assess_json(&a, true, &snap);
	int64_t now;
	char at[21];
	if (date_now_epoch(&now, NULL) != 0)
		now = 0;
	date_format_utc(now, at);
	char detail[64];
	snprintf(detail, sizeof(detail), "{\"regions\":%d}", a.n);
	rc = store_begin(s) != 0 || store_assessment_put(s, a.month, at, who->username, buf_cstr(&snap)) != 0 ||
			     audit_append(s, who, "assessment.publish", "assessment", a.month, NULL, detail) != 0 ||
			     store_commit(s) != 0
		     ? -1
		     : 0;
	if (rc != 0) {
		store_rollback(s);
		if (store_conflict(s)) {
			buf_addf(why, "%s 的考核已经发布,不能再次发布", a.month);
			rc = 1;
		}
	}
	buf_release(&snap);
	assess_release(&a);
	return rc;
}
