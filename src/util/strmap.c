#include "util/strmap.h"

#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

/* The slot of key, or of the empty slot where it would go. */
static size_t slot_of(const struct strmap *m, const char *key)
{
	size_t i = hash_str(key) & (m->cap - 1);
	while (m->key[i] && strcmp(m->key[i], key) != 0)
		i = (i + 1) & (m->cap - 1);
	return i;
}

bool strmap_get(const struct strmap *m, const char *key, int64_t *val)
{
	if (!m->cap)
		return false;
	size_t i = slot_of(m, key);
	if (!m->key[i])
		return false;
	if (val)
		*val = m->val[i];
	return true;
}

static void grow(struct strmap *m)
{
	struct strmap big = {0};
	big.cap = m->cap ? m->cap * 2 : 1024;
	big.key = xcalloc(big.cap, sizeof(char *));
	big.val = xcalloc(big.cap, sizeof(int64_t));
	for (size_t i = 0; i < m->cap; i++)
		if (m->key[i]) {
			size_t j = slot_of(&big, m->key[i]);
			big.key[j] = m->key[i];
			big.val[j] = m->val[i];
		}
	big.n = m->n;
	free(m->key);
	free(m->val);
	*m = big;
}

bool strmap_add(struct strmap *m, const char *key, int64_t val, int64_t *old)
{
	if ((m->n + 1) * 2 > m->cap)
		grow(m);
	size_t i = slot_of(m, key);
	if (m->key[i]) {
		if (old)
			*old = m->val[i];
		return false;
	}
	m->key[i] = xstrdup(key);
	m->val[i] = val;
	m->n++;
	return true;
}

void strmap_set(struct strmap *m, const char *key, int64_t val)
{
	int64_t *v = NULL;
	if (m->cap) {
		size_t i = slot_of(m, key);
		if (m->key[i])
			v = &m->val[i];
	}
	if (v)
		*v = val;
	else
		strmap_add(m, key, val, NULL);
}

void strmap_release(struct strmap *m)
{
	for (size_t i = 0; i < m->cap; i++)
		free(m->key[i]);
	free(m->key);
	free(m->val);
	memset(m, 0, sizeof(*m));
}
