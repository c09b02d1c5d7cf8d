/*
 * money: amounts in integer 万元, and the decimal strings users see.
 *
 * 1亿元 = 10,000万元. Nothing here uses floating point. Display figures are
 * rounded half away from zero from their own exact sum.
 */
#ifndef ZS_MONEY_H
#define ZS_MONEY_H

#include <stdint.h>

/* Largest amount accepted: 10^13 万元 (10^9 亿元); keeps sums far from
 * overflow at any realistic project count. */
#define MONEY_MAX_WAN 10000000000000LL

/* Parses an amount in 亿元 matching \d+(\.\d{1,4})? into 万元. Returns 0, or
 * -1 when the text has another shape or exceeds MONEY_MAX_WAN. */
int money_parse_yi(const char *s, int64_t *wan);
/* 亿元 with exactly two decimals, rounded half away from zero: 88515500 ->
 * "8851.55". out needs 32 bytes. */
void money_format_yi2(int64_t wan, char *out);
/* 亿元 with as few decimals as exactness allows (0..4): 12345 -> "1.2345",
 * 50000 -> "5". Parsing it back gives the same 万元. out needs 32 bytes. */
void money_format_yi(int64_t wan, char *out);
/* A percentage num/den with two decimals, half away from zero ("48.50").
 * Returns 0, or -1 (out untouched) when den is 0. */
int rate_format(int64_t num, int64_t den, char *out);
/* An exact ratio num/den as a decimal with two places, half away from zero
 * (used for scores): out needs 32 bytes; den must not be 0. */
void decimal2_format(int64_t num, int64_t den, char *out);

#endif
