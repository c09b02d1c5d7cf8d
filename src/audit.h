/*
 * audit: the audit trail (等保 level 3): who did what, when, from where,
 * with each changed record's old and new values.
 *
 * Rows are appended inside the caller's write transaction (writers are
 * serialised by the store, so the chain has one order). Each row's hash is
 * the SHA-256 of the previous row's hash and this row's fields, each
 * length-prefixed; meta "audit_head" keeps the last id and hash, so that
 * verification finds altered, removed, inserted or reordered rows, the last
 * ones included. The database refuses UPDATE and DELETE on the table.
 */
#ifndef ZS_AUDIT_H
#define ZS_AUDIT_H

#include <stdint.h>

#include "auth.h"
#include "store/store.h"
#include "util/buf.h"

/* Appends one row. old_json/new_json: JSON objects or NULL. 0 or -1
 * (store_error()). */
int audit_append(struct store *s, const struct principal *who, const char *action,
		 const char *entity, const char *key, const char *old_json, const char *new_json);

/* The hash of a row from its fields and prev_hash (64 hex digits + NUL). */
void audit_row_hash(const struct audit_row *a, char out[65]);

struct audit_check {
	int64_t rows;
	int64_t bad_id; /* the first row found wrong, 0 when none */
	struct buf why; /* what is wrong, empty when the chain holds */
};

/* Walks the whole trail. Returns 0 after the walk (check->why says whether
 * it holds), -1 on a storage error. */
int audit_verify(struct store *s, struct audit_check *check);

#endif
