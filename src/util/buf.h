/*
 * buf: one growable byte buffer, used for every string we build.
 *
 * Invariant: data is NULL when cap is 0; otherwise data[len] is '\0', so a
 * buffer's content is always a valid C string as well as a byte range.
 */
#ifndef ZS_BUF_H
#define ZS_BUF_H

#include <stdarg.h>
#include <stddef.h>
#include <string.h>

struct buf {
	char *data;
	size_t len;
	size_t cap;
};

#define BUF_INIT { NULL, 0, 0 }

void buf_init(struct buf *b);
/* Frees the storage; the buffer is empty and reusable afterwards. */
void buf_release(struct buf *b);
/* Empties the buffer, keeping its storage. */
void buf_reset(struct buf *b);
void buf_grow(struct buf *b, size_t extra);
/* Inline: the JSON writers append a few bytes at a time, millions of times
 * for a large reply; with a constant n the copy becomes a few moves. */
static inline void buf_add(struct buf *b, const void *p, size_t n)
{
	if (b->len + n + 1 > b->cap)
		buf_grow(b, n);
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}
void buf_adds(struct buf *b, const char *s);
/* v in decimal, without printf: into out (NUL-terminated; returns the
 * number of digits), or appended to b. */
size_t fmt_u64(char out[21], unsigned long long v);
void buf_addu(struct buf *b, unsigned long long v);
static inline void buf_addc(struct buf *b, char c)
{
	if (b->len + 2 > b->cap)
		buf_grow(b, 1);
	b->data[b->len++] = c;
	b->data[b->len] = '\0';
}
void buf_addf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void buf_vaddf(struct buf *b, const char *fmt, va_list ap);
/* Returns the content as a malloc'd string owned by the caller ("" when
 * empty) and leaves the buffer empty. */
char *buf_detach(struct buf *b);
/* A malloc'd string built like printf (caller frees). */
char *xstrfmt(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *xvstrfmt(const char *fmt, va_list ap);

/* The content as a C string; never NULL (a static "" when empty). */
const char *buf_cstr(const struct buf *b);

#endif
