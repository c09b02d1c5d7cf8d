/*
 * report: the figures of DOMAIN.md ("Counting") and the 26211 warnings, as
 * JSON (the contracts of the CLI and the API) and as text for a terminal.
 * Both the CLI and the server call these, so the two can never disagree.
 */
#ifndef ZS_REPORT_H
#define ZS_REPORT_H

#include <stdbool.h>
#include <stdint.h>

#include "auth.h"
#include "store/store.h"
#include "util/buf.h"

/* Checks year and as_of for the headline: as_of must not be before 1 January
 * of year. Returns 0, or -1 with a message in err. */
int report_headline_check(int year, int32_t as_of, struct buf *err);

/* Writes the headline object for year Y as of as_of: JSON when json, else a
 * Chinese text table. Returns 0 or -1 (store_error()). */
int report_headline(struct store *s, const struct refdata *rd, int year, int32_t as_of, bool json,
		    struct buf *out);

/* The dimension names of report_breakdown(): "region", "chain", "channel",
 * "event", "month", "province"; -1 when name is none of them. */
int report_breakdown_find(const char *name);
extern const char report_breakdown_names[];

/*
 * Writes the out_of_province_100m figures of year Y as of as_of broken down
 * by a dimension (report_breakdown_find()): every region, chain and channel in
 * the configured order and every month of the period (zero rows included,
 * then a 未填 row for projects without a chain or channel); events and
 * provinces with projects, by count, amount and name (then a 非活动签约 row
 * for projects signed elsewhere). The rows add up to the headline. JSON or
 * text.
 */
int report_breakdown(struct store *s, const struct refdata *rd, int by, int year, int32_t as_of,
		     bool json, struct buf *out);

/* Where the investors of the year's signings come from: every province (or,
 * with province, its cities) with count and amount, by count, amount and
 * name; a 未填 row for no city last. JSON or text. */
int report_origins(struct store *s, const struct refdata *rd, int year, int32_t as_of, int layer,
		   const char *province, bool json, struct buf *out);

/* The effort figures of a year (trips by leader level, companies visited,
 * days out, stationed teams, intentions, events, campaigns, targeted
 * projects), as JSON (the contract of `report effort`) or text. */
int report_effort(struct store *s, const struct refdata *rd, int year, bool json, struct buf *out);

/* Writes the warnings on as_of (due_soon and overdue; every state when all)
 * as a JSON array, or as text; only the projects who may see (who NULL:
 * all). */
int report_warnings(struct store *s, const struct refdata *rd, int32_t as_of, bool all, bool json,
		    const struct principal *who, struct buf *out);

/* Writes one project as a JSON object with its milestone timeline and the
 * states of every rule as of today. */
void report_project_json(const struct refdata *rd, const struct project *p, int32_t today,
			 struct buf *out);

#endif
