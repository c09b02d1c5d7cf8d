/*
 * json: streaming JSON writer (see json.h).
 */
#include "util/json.h"

#include <stdint.h>
#include <stdio.h>

void jw_init(struct jw *w, struct buf *b)
{
	w->b = b;
	w->depth = 0;
	w->first[0] = true;
	w->after_key = false;
}

static void open(struct jw *w, char c)
{
	jw_sep(w);
	buf_addc(w->b, c);
	if (w->depth < JW_MAX_DEPTH - 1)
		w->depth++;
	w->first[w->depth] = true;
}

static void close_(struct jw *w, char c)
{
	buf_addc(w->b, c);
	if (w->depth > 0)
		w->depth--;
}

void jw_obj(struct jw *w) { open(w, '{'); }
void jw_obj_end(struct jw *w) { close_(w, '}'); }
void jw_arr(struct jw *w) { open(w, '['); }
void jw_arr_end(struct jw *w) { close_(w, ']'); }

/* 1 for the bytes that need a look: control characters, '"', '\\', DEL, and
 * 0xE2 (the lead byte of U+2028/U+2029). Everything else is copied in runs. */
static const unsigned char special[256] = {
	[0 ... 0x1f] = 1, ['"'] = 1, ['\\'] = 1, [0x7f] = 1, [0xe2] = 1,
};

void json_escape(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s, *run = p;
	buf_addc(b, '"');
	for (;;) {
		while (!special[*p])
			p++;
		if (!*p)
			break;
		unsigned char c = *p;
		const char *esc = NULL;
		char u[7];
		size_t skip = 1;
		if (c == '"')
			esc = "\\\"";
		else if (c == '\\')
			esc = "\\\\";
		else if (c == '\n')
			esc = "\\n";
		else if (c == '\r')
			esc = "\\r";
		else if (c == '\t')
			esc = "\\t";
		else if (c == 0xe2) {
			/* U+2028/U+2029: valid JSON, but not valid in older JS. */
			if (p[1] == 0x80 && (p[2] == 0xa8 || p[2] == 0xa9)) {
				esc = p[2] == 0xa8 ? "\\u2028" : "\\u2029";
				skip = 3;
			}
		} else {
			u[0] = '\\', u[1] = 'u', u[2] = '0', u[3] = '0';
			u[4] = hex[c >> 4], u[5] = hex[c & 15], u[6] = 0;
			esc = u;
		}
		if (!esc) {
			p++;
			continue;
		}
		buf_add(b, run, (size_t)(p - run));
		buf_adds(b, esc);
		p += skip;
		run = p;
	}
	buf_add(b, run, (size_t)(p - run));
	buf_addc(b, '"');
}

void jw_key_v(struct jw *w, const char *key)
{
	jw_sep(w);
	json_escape(w->b, key);
	buf_addc(w->b, ':');
	w->after_key = true;
}

void jw_str(struct jw *w, const char *s)
{
	jw_sep(w);
	if (s)
		json_escape(w->b, s);
	else
		buf_adds(w->b, "null");
}

void jw_raw(struct jw *w, const char *json)
{
	jw_sep(w);
	buf_adds(w->b, json ? json : "null");
}

void jw_int(struct jw *w, int64_t v)
{
	jw_sep(w);
	/* Without printf (a list or the warnings write several integers a
	 * row). */
	if (v < 0)
		buf_addc(w->b, '-');
	buf_addu(w->b, v < 0 ? 0 - (unsigned long long)v : (unsigned long long)v);
}

void jw_bool(struct jw *w, bool v)
{
	jw_sep(w);
	buf_adds(w->b, v ? "true" : "false");
}

void jw_null(struct jw *w)
{
	jw_sep(w);
	buf_adds(w->b, "null");
}

void jw_kstr_v(struct jw *w, const char *key, const char *s)
{
	jw_key_v(w, key);
	jw_str(w, s);
}

void jw_kint_v(struct jw *w, const char *key, int64_t v)
{
	jw_key_v(w, key);
	jw_int(w, v);
}
