/*
 * json: a small streaming JSON writer into a struct buf.
 *
 * Responses are written directly (no document tree): measured here, building
 * a tree and serialising it cost three times the query itself. The writer
 * places commas and escapes strings; callers only say what comes next.
 * Request bodies are parsed with jansson, not here.
 */
#ifndef ZS_JSON_H
#define ZS_JSON_H

#include <stdbool.h>
#include <stdint.h>

#include "util/buf.h"

#define JW_MAX_DEPTH 32

struct jw {
	struct buf *b;
	int depth;
	bool first[JW_MAX_DEPTH];
	bool after_key;
};

void jw_init(struct jw *w, struct buf *b);
void jw_obj(struct jw *w);
void jw_obj_end(struct jw *w);
void jw_arr(struct jw *w);
void jw_arr_end(struct jw *w);
void jw_key(struct jw *w, const char *key);
/* A string value; NULL writes null. */
void jw_str(struct jw *w, const char *s);
/* A value that is already JSON text (trusted: our own output); NULL writes
 * null. */
void jw_raw(struct jw *w, const char *json);
void jw_int(struct jw *w, int64_t v);
void jw_bool(struct jw *w, bool v);
void jw_null(struct jw *w);
/* Key and value in one call. */
void jw_kstr(struct jw *w, const char *key, const char *s);
void jw_kint(struct jw *w, const char *key, int64_t v);
void jw_kbool(struct jw *w, const char *key, bool v);
/* Appends s as a JSON string literal (quotes included) to b. */
void json_escape(struct buf *b, const char *s);

#endif
