/*
 * fixture: what the store-backed fuzz targets share. An in-memory SQLite
 * database with the reference data and a few projects (every milestone
 * state, a 不适用 milestone, a termination, events, chains, several
 * provinces), the principals that act on it, and a request without a
 * connection for calling handlers directly.
 *
 * A target keeps one fixture per process. A target whose input may commit
 * a write makes the database afresh afterwards (fixture_reset()), so every
 * input starts from the same state and a reproducer replays the same way.
 */
#ifndef ZS_FUZZ_FIXTURE_H
#define ZS_FUZZ_FIXTURE_H

#include <stdbool.h>
#include <stdint.h>

#include "auth.h"
#include "http/http.h"
#include "store/store.h"

/* The code of a seeded project that has milestones left to enter. */
#define FIXTURE_CODE "FZ-0001"

struct fixture {
	struct store *store;
	struct refdata rd;
	struct auth_config auth;
	int32_t today; /* 2025-06-30 */
	int64_t now;   /* its noon, Beijing time, in Unix seconds */
	struct principal bureau, auditor, region, chain;
};

/* Makes the database and the principals; aborts on any failure (a fuzz
 * target cannot run without them). */
void fixture_open(struct fixture *f);
void fixture_close(struct fixture *f);
/* Closes the database and makes it again, as fixture_open() left it. */
void fixture_reset(struct fixture *f);

/* Prepares r for a handler call on f as who: method and path for messages,
 * args (NULL-terminated name/value pairs, may be NULL) as the query. */
void fixture_req(struct fixture *f, struct req *r, struct principal *who, const char *method,
		 const char *path, const char *const *args);
/* Checks the reply a handler left in r and frees it. Aborts (a finding)
 * when the handler left a transaction open, did not reply, replied 5xx, or
 * wrote a JSON reply that does not parse. With FUZZ_VERBOSE=1 in the
 * environment, prints each reply's status and start to stderr. */
void fixture_req_done(struct fixture *f, struct req *r);

#endif
