/*
 * companies: the investor database 客商库: one company, one record.
 *
 * A company is identified by its unified social credit code (GB 32100,
 * check character verified) when it has one, and by its name normalised
 * (NFKC, trimmed) otherwise; creating or renaming into an existing company
 * is refused with that company's id, by the API as by an import (which
 * reuses the existing record). Tags come from a fixed list.
 */
#ifndef ZS_COMPANIES_H
#define ZS_COMPANIES_H

#include <stdbool.h>

#include "util/buf.h"

extern const char *const company_tags[];

/* The index of a tag in company_tags, or -1. */
int company_tag_find(const char *tag);

/* Puts the given tags (any order, no repeats) into out, comma-separated in
 * the list's order. 0, or -1 with the unknown or repeated tag in why. */
int company_tags_join(const char *const *tags, int n, struct buf *out, struct buf *why);

#endif
