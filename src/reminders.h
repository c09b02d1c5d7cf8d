/*
 * reminders: due-soon and overdue deadlines and escalated problems to the
 * inbox and the configured targets, once (see reminders.c).
 */
#ifndef ZS_REMINDERS_H
#define ZS_REMINDERS_H

#include <stdint.h>

#include "store/store.h"

struct remind_stats {
	int items;    /* items current today */
	int notified; /* inbox entries offered (existing ones are kept, not repeated) */
	int sent, failed;
};

/* One run as of today: escalation, then the inbox and new deliveries, then
 * the deliveries due. 0 or -1 (store_error()). */
int reminders_run(struct store *s, const struct refdata *rd, int32_t today, struct remind_stats *st);

#endif
