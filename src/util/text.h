/*
 * text: UTF-8 checks and the normalisation applied to every value users type
 * (trimmed, NFKC: full-width letters, digits and brackets become ASCII).
 */
#ifndef ZS_TEXT_H
#define ZS_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/* True when the n bytes at s are valid UTF-8 without NUL bytes. */
bool text_valid_utf8(const char *s, size_t n);
/* NFKC of s with leading and trailing white space (ASCII and Unicode, such as
 * U+3000) removed. s must be valid UTF-8. Returns a malloc'd string. */
char *text_normalize(const char *s);
/* Number of characters (code points) in valid UTF-8 s. */
size_t text_length(const char *s);

#endif
