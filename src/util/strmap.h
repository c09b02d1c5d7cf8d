/*
 * strmap: a map from strings to 64-bit integers (open addressing, FNV-1a).
 *
 * For sets kept while a job runs: an import's codes, a bulk load's
 * companies. Keys are copied; a zeroed struct strmap is an empty map.
 */
#ifndef ZS_STRMAP_H
#define ZS_STRMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct strmap {
	char **key;
	int64_t *val;
	size_t cap, n;
};

/* True with *val set when key is in the map (val may be NULL). */
bool strmap_get(const struct strmap *m, const char *key, int64_t *val);

/* Adds key with val and returns true; when key is there already, leaves it
 * and returns false with *old (may be NULL) its value. */
bool strmap_add(struct strmap *m, const char *key, int64_t val, int64_t *old);

/* Sets key to val, adding it if need be. */
void strmap_set(struct strmap *m, const char *key, int64_t val);

/* Empties the map and frees its memory. */
void strmap_release(struct strmap *m);

#endif
