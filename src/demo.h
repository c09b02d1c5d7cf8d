/*
 * demo: the deterministic Xiangyang demo data set (DOMAIN.md, "The demo").
 *
 * The demo is a list of promotion events and a list of project rows in the
 * interchange table's form (strings keyed by enum ix_col), so it enters the
 * database through the same import path, with the same checks, as a user's
 * file. Every call produces the same rows in the same order. The 2023 figures
 * of the article come out exactly from these rows (see docs/demo.md).
 */
#ifndef ZS_DEMO_H
#define ZS_DEMO_H

#include "domain/interchange.h"

struct demo_event {
	const char *name;
	const char *type;   /* 推介会, 座谈会, 洽谈会, 展会, 三集中签约, ... */
	const char *city;   /* where it was held */
	const char *held_on; /* YYYY-MM-DD */
};

/* Calls event() once per event, then row() once per project row, in a fixed
 * order. cells[i] is the text of column i ("" for empty), valid only during
 * the call. Stops and returns the first non-zero value a callback returns;
 * returns 0 when all were delivered. */
int demo_generate(int (*event)(void *ctx, const struct demo_event *e),
		  int (*row)(void *ctx, const char *const cells[IX__COUNT]),
		  void *ctx);

/* The last milestone date the demo contains: the demo needs today to be on
 * or after it, since no milestone may lie in the future. */
#define DEMO_LAST_DATE "2024-12-31"

#endif
