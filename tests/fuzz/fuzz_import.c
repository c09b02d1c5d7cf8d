/*
 * fuzz_import: libFuzzer target for the whole import path, the bytes of an
 * uploaded CSV or XLSX file through import_run(): the readers, the header
 * mapping, the cell parsers, projects_apply() and its checks, against a
 * database that holds the reference data and a few projects (fixture.h).
 *
 * Every input is imported as a dry run. When that succeeds the file is
 * imported for real (saving projects, companies, events and audit rows),
 * which must succeed too, and the database is made afresh, so every input
 * starts from the same state.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "fixture.h"
#include "import.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct fixture fx;
static bool ready;

/* Imports data; returns import_run()'s result. A storage failure is a
 * finding: no file may make a statement fail. */
static int import(const uint8_t *data, size_t size, bool dry_run)
{
	struct import_opts o = {.dry_run = dry_run, .today = fx.today, .who = &fx.bureau};
	struct import_result res;
	int rc = import_run(fx.store, &fx.rd, (const char *)data, size, &o, &res);
	if (rc < 0) {
		fprintf(stderr, "fuzz_import: storage failure: %s\n", store_error(fx.store));
		abort();
	}
	import_result_release(&res);
	return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!ready) {
		fixture_open(&fx);
		ready = true;
	}
	if (import(data, size, true) != 0)
		return 0;
	if (import(data, size, false) != 0) {
		fprintf(stderr, "fuzz_import: the dry run passed, the import did not\n");
		abort();
	}
	fixture_reset(&fx);
	return 0;
}
