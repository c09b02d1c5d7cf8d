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
#include <stddef.h>
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
/* Keys. A key written as a string literal is quoted when compiling:
 * jw_key(w, "code") appends "code": in one copy (a list page writes some
 * thirty keys a row, the warnings fourteen). A key that is not a literal
 * (a column's name from a table, a choice between two) goes through the _v
 * forms, which escape it. Literal keys are plain ASCII names. */
#define JW_QUOTED(key) ("\"" key "\":")
#define jw_key(w, key) jw_qkey((w), JW_QUOTED(key), sizeof(JW_QUOTED(key)) - 1)
/* Key and value in one call. */
#define jw_kstr(w, key, s) (jw_key(w, key), jw_str((w), (s)))
#define jw_kint(w, key, v) (jw_key(w, key), jw_int((w), (v)))
#define jw_kbool(w, key, v) (jw_key(w, key), jw_bool((w), (v)))
/* The comma before a value or key, unless it is the first of its object or
 * array or follows its key. */
static inline void jw_sep(struct jw *w)
{
	if (w->after_key) {
		w->after_key = false;
		return;
	}
	if (!w->first[w->depth])
		buf_addc(w->b, ',');
	w->first[w->depth] = false;
}
/* A key already quoted, with its colon: n bytes of quoted. */
static inline void jw_qkey(struct jw *w, const char *quoted, size_t n)
{
	jw_sep(w);
	buf_add(w->b, quoted, n);
	w->after_key = true;
}
void jw_key_v(struct jw *w, const char *key);
void jw_kstr_v(struct jw *w, const char *key, const char *s);
void jw_kint_v(struct jw *w, const char *key, int64_t v);
/* A string value; NULL writes null. */
void jw_str(struct jw *w, const char *s);
/* A value that is already JSON text (trusted: our own output); NULL writes
 * null. */
void jw_raw(struct jw *w, const char *json);
void jw_int(struct jw *w, int64_t v);
void jw_bool(struct jw *w, bool v);
void jw_null(struct jw *w);
/* Appends s as a JSON string literal (quotes included) to b. */
void json_escape(struct buf *b, const char *s);

#endif
