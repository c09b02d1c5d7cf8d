/*
 * fuzz_table: libFuzzer target for the file readers an import feeds with
 * untrusted bytes (CSV in any encoding, XLSX), and for the interchange cell
 * parsers. Built and run by `make fuzz` (clang, outside CI); its corpus is
 * replayed by `make fuzz-replay` in every `make test` (tests/fuzz/fuzz.mk).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "domain/date.h"
#include "domain/interchange.h"
#include "domain/money.h"
#include "io/table.h"
#include "util/text.h"
#include "util/xalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct table t;
	char *err = NULL;
	if (table_read((const char *)data, size, &t, &err) == 0) {
		for (size_t r = 0; r < t.nrows; r++)
			for (size_t c = 0; c < t.rows[r].ncells; c++) {
				const char *s = t.rows[r].cells[c].text;
				char *n = text_normalize(s);
				int32_t d;
				int64_t w;
				bool f;
				date_parse_any(n, &d);
				money_parse_yi(n, &w);
				ix_parse_flag(n, &f);
				ix_province(n);
				ix_credit_code_valid(n);
				free(n);
			}
		table_release(&t);
	} else {
		free(err);
	}
	return 0;
}
