/*
 * dupes: one project, one identity. Finds projects that are probably the
 * same project recorded twice: a copy claimed by another county, the same
 * project signed again at a later event, a renamed variant (（一期）,
 * 建设/工程项目, stray spaces, full-width characters), the investor's name
 * written differently, amounts a few percent apart; and leaves an
 * investor's genuinely different projects alone (another product: a
 * different name once the investor's own name is taken out; another scale:
 * an amount more than 10% away).
 *
 * Two projects are suspected when their investors match (the same company,
 * or names equal or one inside the other once reduced by dupes_investor_key,
 * or 80% alike), their names are alike (dupes_name_key, then at least 60% of
 * character pairs shared) and their amounts lie within 10% of the larger.
 * The score, in hundredths, weighs the name 40, the investor 30 and the
 * amount 30. Everything is integer arithmetic.
 *
 * Suspected pairs are stored (duplicate_pairs) when a project is created,
 * changed or imported, and by a full scan; the bureau marks a group
 * distinct (never suspected again) or merges it into one record.
 */
#ifndef ZS_DUPES_H
#define ZS_DUPES_H

#include <stdbool.h>
#include <stdint.h>

#include "auth.h"
#include "store/store.h"
#include "util/buf.h"

/* Reasons, as bits; their keys (in this order) appear in the API. */
enum dup_reason {
	DR_SAME_INVESTOR,
	DR_SIMILAR_INVESTOR,
	DR_SAME_NAME,
	DR_SIMILAR_NAME,
	DR_SAME_AMOUNT,
	DR_SIMILAR_AMOUNT,
	DR_OTHER_REGION,
	DR_SIGNED_AGAIN, /* at another event, or without one, on another day */
	DR__COUNT
};

extern const char *const dup_reason_keys[DR__COUNT];  /* "same investor", ... */
extern const char *const dup_reason_names[DR__COUNT]; /* 同一投资方, ... */

/* A project name reduced for comparison: NFKC, lower case, without spaces,
 * punctuation, phase markers (（一期）, 二期) and the endings 建设项目,
 * 工程项目, 项目, 工程, 建设. Returns a malloc'd string. */
char *dupes_name_key(const char *name);
/* A company name reduced for comparison: NFKC, lower case, without spaces,
 * punctuation, bracketed parts ((中国), (深圳)), a leading province and the
 * legal forms 股份有限公司, 有限责任公司, 有限公司, 集团, 控股, ... (and
 * co., ltd., inc., group). Returns a malloc'd string. */
char *dupes_investor_key(const char *name);
/* How alike two strings are, 0..100: twice the shared character pairs
 * (bigrams of code points, as multisets) over the pairs of both (single
 * characters for a one-character string), rounded down. */
int dupes_alike(const char *a, const char *b);

/* A project as compared. */
struct dup_rec {
	int64_t id, investor_id, county_id, event_id, region_id, chain_id;
	int64_t amount_wan;
	int32_t signed_on;
	const char *code, *name_key, *investor_key;
};

/* 0 when a and b are not suspected, else the score (1..100) with the reasons
 * as bits in *reasons. */
int dupes_compare(const struct dup_rec *a, const struct dup_rec *b, unsigned *reasons);
/* The reasons as comma-separated keys (stored form). */
void dupes_reasons_text(unsigned reasons, struct buf *out);
/* The bits of a stored reasons text (unknown keys ignored). */
unsigned dupes_reasons_parse(const char *text);

/* Fills the comparison key of every company that lacks one. */
int dupes_keys_fill(struct store *s);

/* A candidate found by dupes_find(). */
struct dup_hit {
	int64_t id, region_id, chain_id, amount_wan;
	char *code, *name, *investor;
	int32_t signed_on;
	int score;
	unsigned reasons;
};

/* The projects that p (saved or not: p->id 0) would duplicate, best first;
 * *hits malloc'd (dupes_hits_free). investor, investor_id: p's investor
 * (id 0 when it is not recorded yet). */
int dupes_find(struct store *s, const struct project *p, const char *investor,
	       int64_t investor_id, struct dup_hit **hits, int *n);
void dupes_hits_free(struct dup_hit *hits, int n);
/* Checks saved project p again: forgets its open pairs and records those
 * found now. Inside the caller's transaction. */
int dupes_check(struct store *s, const struct project *p, const char *investor,
		int64_t investor_id, const char *now);
/* Compares every project with the others (sorted by investor key, a window
 * of neighbours sharing the key's first two characters) and records the
 * suspected pairs. *found (may be NULL): pairs found. */
int dupes_scan(struct store *s, const char *now, int64_t *found);

/* An open group: the projects joined by open suspected pairs. */
struct dup_pair {
	int64_t a, b; /* indexes into the group's members */
	int score;
	unsigned reasons;
};

struct dup_group {
	int n;            /* members, by code */
	char **codes;
	int64_t *ids, *region_ids, *chain_ids;
	struct dup_pair *pairs;
	int npairs;
	int score;        /* the highest pair's */
	unsigned reasons; /* every pair's */
};

/* The open groups, by their first code (dupes_groups_free). */
int dupes_groups(struct store *s, struct dup_group **groups, int *n);
void dupes_groups_free(struct dup_group *groups, int n);
/* "0.93" for 93. */
void dupes_score_text(int score, char out[8]);

#endif
