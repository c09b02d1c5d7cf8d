/*
 * bulletin: the month's 督办通报 and the year's briefing (see bulletin.c).
 */
#ifndef ZS_BULLETIN_H
#define ZS_BULLETIN_H

#include <stdbool.h>
#include <stdint.h>

#include "store/store.h"
#include "util/buf.h"

enum bulletin_format { BULLETIN_JSON, BULLETIN_TEXT, BULLETIN_XLSX };

/* The bulletin of month y-m into out (JSON or text), or as a workbook at
 * xlsx_path. 0; 1 with why (a month not begun, a file not written); -1
 * store. */
int bulletin_build(struct store *s, const struct refdata *rd, int y, int m, int32_t today,
		   enum bulletin_format fmt, struct buf *out, const char *xlsx_path, struct buf *why);
/* The year's briefing: the headline and effort figures as prose. */
int briefing_build(struct store *s, const struct refdata *rd, int year, int32_t today, bool json,
		   struct buf *out);

#endif
