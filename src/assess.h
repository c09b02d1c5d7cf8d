/*
 * assess: the monthly assessment 月度督办考核 of the assessed county-level
 * units, exactly as DOMAIN.md ("Supervision") defines it: seven indicators,
 * each normalised across the regions, weighted and summed exactly (rational
 * arithmetic), shown with two decimals rounded half away from zero; unique
 * ranks (ties: the larger signed amount, then the configured order); the
 * last three named. Every figure keeps the projects behind it.
 */
#ifndef ZS_ASSESS_H
#define ZS_ASSESS_H

#include <stdbool.h>
#include <stdint.h>

#include "store/store.h"
#include "util/buf.h"

enum indicator {
	IND_SIGNED_COUNT,
	IND_SIGNED_AMOUNT,
	IND_REGISTER_RATE,
	IND_START_RATE,
	IND_INCLUDE_RATE,
	IND_OVERDUE_COUNT,
	IND_INVESTED_AMOUNT,
	IND__COUNT
};

struct indicator_info {
	const char *key, *name;
	int weight; /* the default */
	bool higher_better, rate;
};

extern const struct indicator_info indicators[IND__COUNT];
/* The indicator with this key, or -1. */
int indicator_find(const char *key);

struct assess_region {
	int64_t region_id;
	const char *name; /* the reference data's */
	int64_t value[IND__COUNT];    /* counts and amounts (万元); rates: unused */
	int64_t num[IND__COUNT], den[IND__COUNT]; /* rates: on time / due (den 0: null) */
	char normalised[IND__COUNT][32]; /* 4 decimals */
	char score[32];                  /* 2 decimals */
	int64_t score_x100;
	int rank;
	bool bottom3;
	struct buf codes[IND__COUNT]; /* the projects behind each figure, comma-separated */
};

struct assess_result {
	char month[8];   /* YYYY-MM */
	char eval_on[11];
	bool current;    /* the month is not over: evaluated as of today */
	bool verified;   /* computed on the verified basis (figures.verified_basis) */
	int weights[IND__COUNT];
	struct assess_region *regions; /* ordered by rank */
	int n;
};

/* Computes month y-m as of today. Returns 0; 1 when the month has not begun
 * (why says so); -1 on a storage failure. */
int assess_compute(struct store *s, const struct refdata *rd, int y, int m, int32_t today,
		   struct assess_result *out, struct buf *why);
void assess_release(struct assess_result *a);

/* The contract's JSON (with more fields: weights, normalised values, the
 * evaluation day). published: the snapshot's flag. */
void assess_json(const struct assess_result *a, bool published, struct buf *out);
/* The month's ranking as text. */
void assess_text(const struct assess_result *a, struct buf *out);

/* Parses YYYY-MM; 0 or -1. */
int assess_month_parse(const char *s, int *y, int *m);

#endif
