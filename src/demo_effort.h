/*
 * demo_effort: the demo's 2023 effort records (see demo_effort.c).
 */
#ifndef ZS_DEMO_EFFORT_H
#define ZS_DEMO_EFFORT_H

#include "auth.h"
#include "store/store.h"

/* The 2023 effort records (trips, visits, stationed teams and their leads,
 * targeted leads, campaigns) on a database holding the demo's projects,
 * inside the caller's transaction. 0 or -1 (store_error()). */
int demo_effort(struct store *s, const struct refdata *rd, const struct principal *who,
		const char *now);

#endif
