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

struct buf_sink;

struct buf {
	char *data;
	size_t len;
	size_t cap;
	/* Where the content goes once it reaches the sink's threshold (NULL:
	 * it all stays here). See struct buf_sink. */
	struct buf_sink *sink;
};

#define BUF_INIT { NULL, 0, 0, NULL }

/*
 * A sink takes a buffer's content whenever the content is about to grow past
 * threshold bytes (an HTTP reply spills to a file, so that a large reply is
 * not held in memory). What was passed on is no longer in data: only code
 * that appends (the JSON and CSV writers) may write into a buffer with a
 * sink, never code that looks back at what it wrote. flush returns 0, or -1
 * when it could not take the bytes, which then stay in the buffer (and the
 * sink should raise its threshold so as not to be asked again). buf_reset
 * calls reset, which forgets what was passed on.
 */
struct buf_sink {
	size_t threshold;
	int (*flush)(struct buf_sink *k, const char *data, size_t n);
	void (*reset)(struct buf_sink *k);
};

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
