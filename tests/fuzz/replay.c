/*
 * replay: runs fuzz inputs through the fuzz targets without libFuzzer, so
 * the corpora are checked by the normal compiler's sanitizer build in every
 * `make test` (tests/fuzz/fuzz.mk, `make fuzz-replay`).
 *
 *   replay CORPUS              every file of CORPUS/<target>/, for each
 *                              folder named after a target
 *   replay TARGET PATH...      the files given, or every file of the
 *                              folders given, through one target (a
 *                              reproducer: replay json crash-1234)
 *
 * The build links every harness into this one program, renaming each
 * LLVMFuzzerTestOneInput to fuzz_<target>_one; FUZZ_TARGET_LIST, defined by
 * the build as X(table) X(import) ..., names them. Files are run in name
 * order. A sanitizer report, a crash or a hang of more than REPLAY_TIMEOUT
 * seconds ends the run with the input's name; otherwise it prints
 * "fuzz replay: N inputs, N targets". Exit 0 when every input ran, 1
 * otherwise, 2 on a usage error.
 */
#include <dirent.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/buf.h"
#include "util/xalloc.h"

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/common_interface_defs.h>
#endif

#ifndef FUZZ_TARGET_LIST
#error "FUZZ_TARGET_LIST must name the targets: X(table) X(import) ..."
#endif

#define REPLAY_TIMEOUT 20

#define X(name) int fuzz_##name##_one(const uint8_t *data, size_t size);
FUZZ_TARGET_LIST
#undef X

struct target {
	const char *name;
	int (*one)(const uint8_t *data, size_t size);
};

static const struct target targets[] = {
#define X(name) {#name, fuzz_##name##_one},
	FUZZ_TARGET_LIST
#undef X
};

#define NTARGETS ((int)(sizeof(targets) / sizeof(targets[0])))

/* The input being run, for the reports of a crash or a hang. */
static char current[4096];

/* UBSan reports are findings: stop at the first, with its stack (the
 * environment's UBSAN_OPTIONS still win). */
const char *__ubsan_default_options(void);
const char *__ubsan_default_options(void)
{
	return "halt_on_error=1:print_stacktrace=1";
}

/* Names the input being run, once. Only async-signal-safe calls: this runs
 * from a signal handler or a dying sanitizer. */
static void say_current(void)
{
	static volatile sig_atomic_t said;
	static const char head[] = "fuzz replay: failed on ";
	if (said || !current[0])
		return;
	said = 1;
	if (write(2, head, sizeof(head) - 1) < 0 || write(2, current, strlen(current)) < 0 ||
	    write(2, "\n", 1) < 0)
		return;
}

/* abort() (a harness's own check, or a sanitizer with abort_on_error):
 * name the input; abort() then ends the process. */
static void on_abort(int sig)
{
	(void)sig;
	say_current();
}

static void on_alarm(int sig)
{
	(void)sig;
	static const char msg[] = "fuzz replay: timed out\n";
	if (write(2, msg, sizeof(msg) - 1) < 0)
		_exit(1);
	say_current();
	_exit(1);
}

static const struct target *target_find(const char *name)
{
	for (int i = 0; i < NTARGETS; i++)
		if (strcmp(targets[i].name, name) == 0)
			return &targets[i];
	return NULL;
}

static int read_file(const char *path, struct buf *b)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return -1;
	char chunk[65536];
	size_t n;
	buf_reset(b);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_add(b, chunk, n);
	int err = ferror(f);
	fclose(f);
	return err ? -1 : 0;
}

/* Runs one file through t; -1 when it cannot be read. */
static int run_file(const struct target *t, const char *path, int *count)
{
	struct buf b = BUF_INIT;
	if (read_file(path, &b) != 0) {
		fprintf(stderr, "fuzz replay: cannot read %s\n", path);
		buf_release(&b);
		return -1;
	}
	snprintf(current, sizeof(current), "%s (target %s)", path, t->name);
	alarm(REPLAY_TIMEOUT);
	/* libFuzzer hands over a copy of exactly size bytes; so does this, so
	 * that reading past the end is caught. */
	uint8_t *copy = xmalloc(b.len ? b.len : 1);
	memcpy(copy, b.data ? b.data : "", b.len);
	t->one(copy, b.len);
	free(copy);
	alarm(0);
	buf_release(&b);
	(*count)++;
	return 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Runs a file, or every regular file of a folder (not recursive, hidden
 * files skipped), through t. */
static int run_path(const struct target *t, const char *path, int *count)
{
	struct stat st;
	if (stat(path, &st) != 0) {
		fprintf(stderr, "fuzz replay: no such file or folder: %s\n", path);
		return -1;
	}
	if (!S_ISDIR(st.st_mode))
		return run_file(t, path, count);
	DIR *d = opendir(path);
	if (!d) {
		fprintf(stderr, "fuzz replay: cannot read folder %s\n", path);
		return -1;
	}
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		ARRAY_GROW(names, n, cap);
		names[n++] = xstrfmt("%s/%s", path, e->d_name);
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), by_name);
	int rc = 0;
	for (size_t i = 0; i < n; i++) {
		if (rc == 0 && stat(names[i], &st) == 0 && S_ISREG(st.st_mode))
			rc = run_file(t, names[i], count);
		free(names[i]);
	}
	free(names);
	return rc;
}

int main(int argc, char **argv)
{
	int inputs = 0, used = 0, rc = 0;
	if (argc < 2 || strcmp(argv[1], "--help") == 0) {
		fprintf(stderr, "usage: %s CORPUS | TARGET PATH...\n", argv[0]);
		return 2;
	}
#if defined(__SANITIZE_ADDRESS__)
	__sanitizer_set_death_callback(say_current);
#endif
	signal(SIGALRM, on_alarm);
	signal(SIGABRT, on_abort);
	const struct target *t = target_find(argv[1]);
	if (t) {
		if (argc < 3) {
			fprintf(stderr, "fuzz replay: %s: no files given\n", argv[1]);
			return 2;
		}
		used = 1;
		for (int i = 2; rc == 0 && i < argc; i++)
			rc = run_path(t, argv[i], &inputs);
	} else if (argc == 2) {
		/* A corpus: one folder per target; every target must have one. */
		for (int i = 0; rc == 0 && i < NTARGETS; i++) {
			char *dir = xstrfmt("%s/%s", argv[1], targets[i].name);
			int before = inputs;
			rc = run_path(&targets[i], dir, &inputs);
			if (rc == 0 && inputs == before) {
				fprintf(stderr, "fuzz replay: %s is empty\n", dir);
				rc = -1;
			}
			free(dir);
			used++;
		}
	} else {
		fprintf(stderr, "fuzz replay: unknown target %s\n", argv[1]);
		return 2;
	}
	if (rc != 0)
		return 1;
	printf("fuzz replay: %d inputs, %d targets\n", inputs, used);
	return 0;
}
