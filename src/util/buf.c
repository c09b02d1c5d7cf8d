/*
 * buf: growable byte buffer (see buf.h for the invariant).
 */
#include "util/buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

void buf_init(struct buf *b)
{
	b->data = NULL;
	b->len = b->cap = 0;
	b->sink = NULL;
}

void buf_release(struct buf *b)
{
	struct buf_sink *k = b->sink;
	free(b->data);
	buf_init(b);
	b->sink = k;
}

void buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
	if (b->sink)
		b->sink->reset(b->sink);
}

void buf_grow(struct buf *b, size_t extra)
{
	/* Past the sink's threshold, what is here goes to the sink first. */
	if (b->sink && b->len && b->len + extra + 1 > b->sink->threshold &&
	    b->sink->flush(b->sink, b->data, b->len) == 0) {
		b->len = 0;
		b->data[0] = '\0';
	}
	size_t need = b->len + extra + 1;
	if (need <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap *= 2;
	b->data = xrealloc(b->data, cap);
	b->cap = cap;
}

void buf_adds(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

size_t fmt_u64(char out[21], unsigned long long v)
{
	char t[20], *e = t + sizeof(t), *c = e;
	do
		*--c = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	size_t n = (size_t)(e - c);
	memcpy(out, c, n);
	out[n] = '\0';
	return n;
}

void buf_addu(struct buf *b, unsigned long long v)
{
	char t[21];
	buf_add(b, t, fmt_u64(t, v));
}

void buf_vaddf(struct buf *b, const char *fmt, va_list ap)
{
	va_list cp;
	va_copy(cp, ap);
	buf_grow(b, 64);
	int n = vsnprintf(b->data + b->len, b->cap - b->len, fmt, cp);
	va_end(cp);
	if (n < 0)
		return;
	if ((size_t)n >= b->cap - b->len) {
		buf_grow(b, (size_t)n);
		vsnprintf(b->data + b->len, b->cap - b->len, fmt, ap);
	}
	b->len += (size_t)n;
}

void buf_addf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	buf_vaddf(b, fmt, ap);
	va_end(ap);
}

char *buf_detach(struct buf *b)
{
	char *p = b->data ? b->data : xstrdup("");
	buf_init(b);
	return p;
}

const char *buf_cstr(const struct buf *b)
{
	return b->data ? b->data : "";
}

char *xvstrfmt(const char *fmt, va_list ap)
{
	struct buf b = BUF_INIT;
	buf_vaddf(&b, fmt, ap);
	return buf_detach(&b);
}

char *xstrfmt(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = xvstrfmt(fmt, ap);
	va_end(ap);
	return s;
}
