/*
 * audit: appending to and verifying the hash-chained audit trail (see
 * audit.h).
 */
#include "audit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/date.h"
#include "util/buf.h"
#include "util/sha256.h"
#include "util/xalloc.h"

/* The hash of the empty trail, where the chain starts. */
static const char genesis[] = "0000000000000000000000000000000000000000000000000000000000000000";

/* Each value as "<bytes>:<value>;", a NULL as "-;": no two rows serialise
 * alike. */
static void feed(struct buf *b, const char *v)
{
	if (!v) {
		buf_add(b, "-;", 2);
		return;
	}
	size_t n = strlen(v);
	buf_addu(b, n);
	buf_addc(b, ':');
	buf_add(b, v, n);
	buf_addc(b, ';');
}

void audit_row_hash(const struct audit_row *a, char out[65])
{
	struct buf b = BUF_INIT;
	/* The id fed as its decimal text, as every other field (ids start
	 * at 1). */
	char id[21];
	fmt_u64(id, (unsigned long long)a->id);
	feed(&b, a->prev_hash);
	feed(&b, id);
	feed(&b, a->at);
	feed(&b, a->username);
	feed(&b, a->address);
	feed(&b, a->action);
	feed(&b, a->entity);
	feed(&b, a->entity_key);
	feed(&b, a->old_value);
	feed(&b, a->new_value);
	sha256_hex(b.data, b.len, out);
	buf_release(&b);
}

int audit_append(struct store *s, const struct principal *who, const char *action,
		 const char *entity, const char *key, const char *old_json, const char *new_json)
{
	int64_t last_id, now;
	char *last_hash = NULL;
	if (store_audit_last(s, &last_id, &last_hash) != 0)
		return -1;
	char at[21], hash[65];
	if (date_now_epoch(&now, NULL) != 0)
		now = 0;
	date_format_utc(now, at);
	struct audit_row a = {
		.id = last_id + 1,
		.at = at,
		.username = who->username,
		.address = who->address[0] ? who->address : NULL,
		.action = action,
		.entity = entity,
		.entity_key = key,
		.old_value = old_json,
		.new_value = new_json,
		.prev_hash = last_hash ? last_hash : genesis,
	};
	audit_row_hash(&a, hash);
	a.hash = hash;
	int rc = store_audit_insert(s, &a);
	free(last_hash);
	return rc;
}

struct walk {
	struct audit_check *c;
	int64_t expect_id;
	char prev[65];
};

static int walk_row(void *ctx, const struct audit_row *a)
{
	struct walk *w = ctx;
	struct audit_check *c = w->c;
	char h[65];
	c->rows++;
	if (a->id != w->expect_id) {
		c->bad_id = a->id;
		buf_addf(&c->why, "第 %lld 条之前缺少第 %lld 条 (记录被删除或插入)", (long long)a->id,
			 (long long)w->expect_id);
		return 1;
	}
	if (!a->prev_hash || strcmp(a->prev_hash, w->prev) != 0) {
		c->bad_id = a->id;
		buf_addf(&c->why, "第 %lld 条的前序哈希与上一条不符 (记录被删除、插入或调换)",
			 (long long)a->id);
		return 1;
	}
	audit_row_hash(a, h);
	if (!a->hash || strcmp(a->hash, h) != 0) {
		c->bad_id = a->id;
		buf_addf(&c->why, "第 %lld 条的内容与其哈希不符 (记录被修改)", (long long)a->id);
		return 1;
	}
	snprintf(w->prev, sizeof(w->prev), "%s", a->hash);
	w->expect_id++;
	return 0;
}

int audit_verify(struct store *s, struct audit_check *c)
{
	c->rows = 0;
	c->bad_id = 0;
	buf_init(&c->why);
	struct walk w = {c, 1, ""};
	snprintf(w.prev, sizeof(w.prev), "%s", genesis);
	struct audit_filter f = {0};
	if (store_audit_list(s, &f, walk_row, &w) != 0)
		return -1;
	if (c->why.len)
		return 0;
	/* The head names the last row: rows removed from the end show here. */
	char *head = NULL;
	if (store_meta_get(s, "audit_head", &head) != 0)
		return -1;
	char want[96];
	if (c->rows)
		snprintf(want, sizeof(want), "%lld %s", (long long)(w.expect_id - 1), w.prev);
	if (c->rows ? !head || strcmp(head, want) != 0 : head != NULL) {
		c->bad_id = w.expect_id;
		buf_addf(&c->why, "审计记录的末尾与记录头 (%s) 不符 (末尾记录被删除)",
			 head ? head : "无");
	}
	free(head);
	return 0;
}
