/*
 * t.h: the unit-test harness. Each tests/unit/test_*.c defines test functions
 * with TEST(name) and lists them in a main() via RUN(name); CHECK* macros
 * record a failure with file and line and go on. The runner prints its file
 * name, then "N passed, N failed" alone on a line, and exits 1 when anything
 * failed.
 */
#ifndef ZS_T_H
#define ZS_T_H

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static int t_failed_checks;
static int t_passed, t_failed;

#define TEST(name) static void name(void)

#define CHECK(cond)                                                          \
	do {                                                                 \
		if (!(cond)) {                                               \
			fprintf(stderr, "%s:%d: CHECK(%s) failed\n", __FILE__, \
				__LINE__, #cond);                            \
			t_failed_checks++;                                   \
		}                                                            \
	} while (0)

#define CHECK_STR(got, want)                                                 \
	do {                                                                 \
		const char *g_ = (got), *w_ = (want);                        \
		if (!g_ || strcmp(g_, w_) != 0) {                            \
			fprintf(stderr, "%s:%d: %s is \"%s\", want \"%s\"\n",  \
				__FILE__, __LINE__, #got, g_ ? g_ : "(null)", \
				w_);                                         \
			t_failed_checks++;                                   \
		}                                                            \
	} while (0)

#define CHECK_INT(got, want)                                                 \
	do {                                                                 \
		long long g_ = (long long)(got), w_ = (long long)(want);     \
		if (g_ != w_) {                                              \
			fprintf(stderr, "%s:%d: %s is %lld, want %lld\n",     \
				__FILE__, __LINE__, #got, g_, w_);           \
			t_failed_checks++;                                   \
		}                                                            \
	} while (0)

#define RUN(name)                                                            \
	do {                                                                 \
		int before_ = t_failed_checks;                               \
		name();                                                      \
		if (t_failed_checks == before_)                              \
			t_passed++;                                          \
		else {                                                       \
			t_failed++;                                          \
			fprintf(stderr, "FAIL %s\n", #name);                 \
		}                                                            \
	} while (0)

#define T_DONE()                                                             \
	(printf("%s:\n%d passed, %d failed\n", __FILE__, t_passed, t_failed), \
	 t_failed ? 1 : 0)

#endif
