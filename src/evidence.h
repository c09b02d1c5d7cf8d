/*
 * evidence: the files that prove a milestone (business licence, construction
 * permit, dated photos, the statistics office's confirmation).
 *
 * The type is decided by the content (PDF, JPEG, PNG), never by the name; a
 * file is written under a random name to a temporary file in the evidence
 * folder, fsynced, renamed and the folder fsynced, and only then does its
 * database row commit. A crash in between leaves a file without a row,
 * which evidence_collect() removes; a row never names a missing file.
 */
#ifndef ZS_EVIDENCE_H
#define ZS_EVIDENCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/store.h"
#include "util/buf.h"

#define EVIDENCE_MAX_BYTES (20u << 20) /* 20 MiB */

struct evidence_type {
	const char *content_type, *ext, *label;
};

/* The type of data by its first bytes, or NULL when it is none we keep. */
const struct evidence_type *evidence_sniff(const void *data, size_t len);
/* The type with this content type, or NULL. */
const struct evidence_type *evidence_type_of(const char *content_type);
/* Whether file name's extension fits the type (a name without one fits). */
bool evidence_name_fits(const char *name, const struct evidence_type *t);
/* One of licence, permit, photo, statistics, other. */
bool evidence_kind_valid(const char *kind);

/* Writes data durably into dir as a new file; its name (random hex + ext)
 * goes into name. 0, or -1 with the reason in err. */
int evidence_write(const char *dir, const void *data, size_t len, const struct evidence_type *t,
		   char name[80], struct buf *err);
/* Removes a file written by evidence_write (its row did not commit). */
void evidence_unlink(const char *dir, const char *name);
/* Reads a stored file. 0, or -1 with the reason in err. */
int evidence_read(const char *dir, const char *name, struct buf *out, struct buf *err);
/* Deletes files in dir that no row names and temporary files, when older
 * than min_age seconds (an upload in flight on another server is younger).
 * Returns how many were removed, or -1 (store_error()). */
int evidence_collect(struct store *s, const char *dir, int64_t min_age);

#endif
