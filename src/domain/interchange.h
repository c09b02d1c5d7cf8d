/*
 * interchange: the one table projects travel in (CSV, XLSX, API bodies).
 *
 * The columns, their English keys, Chinese titles and whether an import
 * requires them, in export order (DOMAIN.md, "Interchange"). Value parsers for
 * the cell forms (flags, provinces) live here too; they are pure functions.
 */
#ifndef ZS_INTERCHANGE_H
#define ZS_INTERCHANGE_H

#include <stdbool.h>

enum ix_col {
	IX_CODE,
	IX_NAME,
	IX_INVESTOR,
	IX_INVESTOR_CREDIT_CODE,
	IX_INVESTOR_PROVINCE,
	IX_INVESTOR_CITY,
	IX_REGION,
	IX_CHAIN,
	IX_AMOUNT_YI,
	IX_CHANNEL,
	IX_EVENT,
	IX_FOREIGN_ORIENTED,
	IX_MAJOR,
	IX_RESPONSIBLE,
	IX_SIGNED_ON,
	IX_REGISTERED_ON,
	IX_STARTED_ON,
	IX_INCLUDED_ON,
	IX_PRODUCING_ON,
	IX_TERMINATED_ON,
	IX_TERMINATED_REASON,
	IX_NA_REASON,
	IX__COUNT
};

struct ix_column {
	const char *key;
	const char *title;
	bool required;
};

extern const struct ix_column ix_columns[IX__COUNT];

/* The column whose key or title equals name (already trimmed and NFKC
 * normalised, so "合同投资额（亿元）" arrives as "合同投资额(亿元)"); -1 if none. */
int ix_find(const char *name);

/* Parses a flag (是/否, yes/no, true/false, Y/N, 1/0, any case; "" is 否).
 * Returns 0 with *out set, or -1. */
int ix_parse_flag(const char *s, bool *out);

/* The full name of a provincial-level unit given its full or short name
 * ("广东" -> "广东省", "香港" -> "香港特别行政区"), or "境外" for 境外/国外/海外.
 * Returns a static string, or NULL when s names none. */
const char *ix_province(const char *s);

/* The text listing every accepted province name, for error messages. */
extern const char ix_province_hint[];

/* True when s is valid under GB 32100: 18 characters from the code's
 * alphabet with a correct check character. */
bool ix_credit_code_valid(const char *s);
/* Whether s has the structure of a national investment project code
 * (GB/T 40058-2021, 24 characters): YYYY-AAAAAA-II-TT-NNNNNN, the year the
 * code was given (2000 on), a division code of a province (11 to 82), the
 * industry, the project type and the serial number, all digits. */
bool ix_project_code_valid(const char *s);

#endif
