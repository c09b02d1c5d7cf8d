/*
 * xalloc: allocation helpers that abort on out-of-memory.
 *
 * A server that cannot allocate cannot answer correctly; like git and Redis we
 * abort instead of threading ENOMEM through every caller. Only libraries must
 * survive OOM, and this is not one.
 */
#ifndef ZS_XALLOC_H
#define ZS_XALLOC_H

#include <stddef.h>

/* Like malloc/calloc/realloc/strdup, but never return NULL. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
/* Copy of the first n bytes of s, NUL-terminated. */
char *xstrndup(const char *s, size_t n);

/* Makes room for one more element at arr[n] in a growable array whose
 * capacity is cap (both updated in place; arr may start NULL with cap 0). */
#define ARRAY_GROW(arr, n, cap)                                                  \
	do {                                                                     \
		if ((n) >= (cap)) {                                              \
			(cap) = (cap) ? (cap) * 2 : 16;                          \
			(arr) = xrealloc((arr), (size_t)(cap) * sizeof(*(arr))); \
		}                                                                \
	} while (0)

#endif
