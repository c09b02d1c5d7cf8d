/*
 * text: UTF-8 validation and NFKC normalisation via GNU libunistring.
 */
#include "util/text.h"

#include <stdlib.h>
#include <string.h>
#include <unistr.h>
#include <uninorm.h>

#include "util/xalloc.h"

bool text_valid_utf8(const char *s, size_t n)
{
	if (memchr(s, '\0', n))
		return false;
	return u8_check((const uint8_t *)s, n) == NULL;
}

/* Length of the white space (ASCII blanks after NFKC; NBSP and U+3000 become
 * plain spaces under NFKC) at the start or end. */
static bool is_blank(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

char *text_normalize(const char *s)
{
	size_t n = strlen(s), len = 0;
	uint8_t *norm = u8_normalize(UNINORM_NFKC, (const uint8_t *)s, n, NULL, &len);
	char *out;
	if (!norm) {
		out = xstrdup(s);
		len = n;
	} else {
		out = xmalloc(len + 1);
		memcpy(out, norm, len);
		out[len] = '\0';
		free(norm);
	}
	size_t a = 0, b = len;
	while (a < b && is_blank((unsigned char)out[a]))
		a++;
	while (b > a && is_blank((unsigned char)out[b - 1]))
		b--;
	memmove(out, out + a, b - a);
	out[b - a] = '\0';
	return out;
}

size_t text_length(const char *s)
{
	return u8_mbsnlen((const uint8_t *)s, strlen(s));
}
