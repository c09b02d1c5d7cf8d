/*
 * assess_store: a month's assessment as answered to users: the published
 * snapshot, or a fresh computation; publishing (see assess_store.c).
 */
#ifndef ZS_ASSESS_STORE_H
#define ZS_ASSESS_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "assess.h"
#include "auth.h"
#include "store/store.h"
#include "util/buf.h"

/* Writes month y-m: the published snapshot as it was (JSON), or computed
 * now; with recompute, a published month's snapshot beside a fresh result
 * and the differences. 0; 1 with why (a month not yet begun); -1 store. */
int assessment_answer(struct store *s, const struct refdata *rd, int y, int m, int32_t today,
		      bool recompute, bool json, struct buf *out, struct buf *why);
/* Freezes month y-m (a finished month, once). 0; 1 with why; -1 store. */
int assessment_publish(struct store *s, const struct refdata *rd, int y, int m, int32_t today,
		       const struct principal *who, struct buf *why);

#endif
