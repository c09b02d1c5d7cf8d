/*
 * projects: creating and changing projects from interchange values.
 *
 * The one path by which project data enters the database, shared by import,
 * the demo and the API: values keyed by interchange column are normalised
 * (trim, NFKC), parsed, resolved against the reference data, merged into the
 * stored project (a value given overwrites, an empty one clears, an absent one
 * keeps), checked against every rule of DOMAIN.md and saved. Problems are
 * reported per field; nothing is saved when there is one. The caller owns the
 * transaction.
 */
#ifndef ZS_PROJECTS_H
#define ZS_PROJECTS_H

#include <stdbool.h>

#include "auth.h"
#include "domain/interchange.h"
#include "store/store.h"

struct project_input {
	const char *val[IX__COUNT]; /* NULL: absent; "": clear */
};

enum apply_mode {
	APPLY_UPSERT, /* create, or update the project with the same code */
	APPLY_CREATE, /* the code must be new */
	APPLY_UPDATE, /* the code must exist */
};

enum apply_result {
	APPLY_CREATED,
	APPLY_UPDATED,
	APPLY_UNCHANGED,
	APPLY_INVALID,   /* reported through report() */
	APPLY_CONFLICT,  /* APPLY_CREATE and the code exists */
	APPLY_NOT_FOUND, /* APPLY_UPDATE and the code does not exist */
	APPLY_FORBIDDEN, /* outside the acting user's region (reported through report()) */
	APPLY_ERROR,     /* storage failure: store_error() */
};

struct apply_ctx {
	struct store *store;
	const struct refdata *rd;
	int32_t today;
	const char *now; /* UTC timestamp text for created_at/updated_at */
	/* report(ctx, col, message): col is an enum ix_col. */
	void (*report)(void *ctx, int col, const char *msg);
	void *report_ctx;
	bool dry_run; /* check everything, save nothing */
	/* Who acts: scopes the change (a region operator stays in its subtree)
	 * and signs its audit row. */
	const struct principal *who;
	const char *audit_action; /* the audit action, default "project.create"/"project.update" */
	/* Leave the duplicate check to the caller (an import checks its rows
	 * together afterwards: dupes_scan()). */
	bool defer_duplicates;
	/* The amounts are not checked for a second person's confirmation:
	 * the demo (the article's figures), or a bulk import that checks its
	 * rows at once afterwards (projects_amounts_check()) and collects the
	 * ids of the projects whose amount is new or changed in *deferred. */
	bool defer_amounts;
	struct project_ids *deferred;
	/* The input's code is known to be in no project (a bulk import keeps
	 * the codes of the table and the file): nothing is looked up. */
	bool absent;
};

struct project_ids {
	int64_t *id;
	size_t n, cap;
};

/* Applies one input. When out is not NULL and the result is CREATED,
 * UPDATED or UNCHANGED, *out receives the project as saved (caller releases). */
enum apply_result projects_apply(const struct apply_ctx *c, enum apply_mode mode,
				 const struct project_input *in, struct project *out);

/* The amount check of a bulk import, for the projects of ids (new or
 * changed amounts): as amount_check() does row by row, against every
 * project saved by then, in one read of the table. Flags the suspicious
 * amounts (entered by who) and clears the flag of those no longer so.
 * Returns 0 or -1 on a storage failure. */
int projects_amounts_check(struct store *s, const struct refdata *rd, struct project_ids *ids,
			   const char *who);

/* Fills the interchange texts of p into cells (each malloc'd; free with
 * projects_cells_free). amount_yi uses the exact form, dates YYYY-MM-DD,
 * 不适用 milestones the text 不适用, flags 是/否. */
void projects_cells(const struct project *p, char *cells[IX__COUNT]);
void projects_cells_free(char *cells[IX__COUNT]);

/* The interchange cells where a and b differ, as two JSON objects keyed by
 * interchange key (a may be NULL: a new record, *old_json stays NULL).
 * Returns the number of differing cells. Names must be filled
 * (refdata_project_names()). */
int projects_diff(const struct project *a, const struct project *b, char **old_json,
		  char **new_json);

/* The current UTC time as YYYY-MM-DDTHH:MM:SSZ (ZHAOSHANG_NOW when set). */
void projects_utc_now(char out[21]);

#endif
