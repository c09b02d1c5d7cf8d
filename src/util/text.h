/*
 * text: UTF-8 checks and the normalisation applied to every value users type
 * (trimmed, NFKC: full-width letters, digits and brackets become ASCII).
 */
#ifndef ZS_TEXT_H
#define ZS_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/* The length of the longest valid UTF-8 prefix of the n bytes at s (n when
 * all are valid; overlong forms, surrogates and code points past U+10FFFF
 * are invalid; NUL bytes count as valid here). */
size_t text_utf8_prefix(const char *s, size_t n);
/* True when the n bytes at s are valid UTF-8 without NUL bytes. */
bool text_valid_utf8(const char *s, size_t n);
/* NFKC of s with leading and trailing white space (ASCII and Unicode, such as
 * U+3000) removed. s must be valid UTF-8. Returns a malloc'd string. */
char *text_normalize(const char *s);
/* Number of characters (code points) in valid UTF-8 s. */
size_t text_length(const char *s);

#endif
