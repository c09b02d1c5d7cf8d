/*
 * text: UTF-8 validation and NFKC normalisation via GNU libunistring.
 */
#include "util/text.h"

#include <stdlib.h>
#include <string.h>
#include <unistr.h>
#include <uninorm.h>

#include "util/xalloc.h"

size_t text_utf8_prefix(const char *s, size_t n)
{
	const uint8_t *bad = u8_check((const uint8_t *)s, n);
	return bad ? (size_t)(bad - (const uint8_t *)s) : n;
}

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

/* True when NFKC leaves s unchanged for certain: printable ASCII and the CJK
 * Unified Ideographs U+4E00..U+9FFF have no decompositions and do not compose.
 * Most cells (codes, dates, amounts, Chinese names) pass, and skip the full
 * normaliser. */
static bool nfkc_stable(const unsigned char *p)
{
	for (; *p; p++) {
		if (*p >= 0x20 && *p < 0x7f)
			continue;
		/* U+4E00..U+9FFF is E4 B8 80 .. E9 BF BF */
		if (p[0] >= 0xe4 && p[0] <= 0xe9 && (p[0] != 0xe4 || p[1] >= 0xb8) &&
		    (p[1] & 0xc0) == 0x80 && (p[2] & 0xc0) == 0x80) {
			p += 2;
			continue;
		}
		return false;
	}
	return true;
}

char *text_normalize(const char *s)
{
	size_t n = strlen(s), len = 0;
	uint8_t *norm = NULL;
	if (!nfkc_stable((const unsigned char *)s))
		norm = u8_normalize(UNINORM_NFKC, (const uint8_t *)s, n, NULL, &len);
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
