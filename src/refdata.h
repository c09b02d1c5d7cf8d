/*
 * refdata: the reference data `init` installs (Xiangyang's regions,
 * departments, chains, channels and the 26211 rules), and lookups by the
 * names users type.
 */
#ifndef ZS_REFDATA_H
#define ZS_REFDATA_H

#include "store/store.h"
#include "util/buf.h"

/* Installs the reference data into an empty, migrated database, inside the
 * caller's transaction. */
int refdata_install(struct store *s);

/* The region named by its unique name, its path (襄阳市/襄城区) or its
 * 6-digit code; NULL when none or when a bare name is ambiguous. */
const struct region *refdata_region(const struct refdata *rd, const char *text);
const struct region *refdata_region_by_id(const struct refdata *rd, int64_t id);
/* Sets p's region, county, chain and channel names (malloc'd) from their
 * ids. */
void refdata_project_names(const struct refdata *rd, struct project *p);

/* The entry of list with this exact name, or NULL. */
const struct named *refdata_named(const struct named *list, int n, const char *name);
/* The chain with this exact name, or NULL. */
const struct named *refdata_chain(const struct refdata *rd, const char *name);
/* Appends "a, b, c" of the allowed values (county-level regions, chains,
 * channels) to b, for error messages. */
void refdata_list_regions(const struct refdata *rd, struct buf *b);
void refdata_list_named(const struct named *n, int count, struct buf *b);

#endif
