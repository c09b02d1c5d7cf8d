/*
 * money: integer 万元 amounts, their 亿元 text forms, and exact two-decimal
 * ratios (see money.h).
 *
 * Only integer arithmetic is used. Every rounded figure comes from one exact
 * long division: the quotient's integer part, then as many decimal digits as
 * needed, then one comparison of the remainder against half the divisor
 * (half away from zero), with the carry propagated through the digit string.
 * The division never multiplies the remainder, so no input overflows. A
 * minus sign is written only when the rounded value is not zero.
 */
#include "domain/money.h"

#include <stdbool.h>
#include <string.h>

/* |v| as an unsigned value, correct for INT64_MIN too. */
static uint64_t uabs(int64_t v)
{
	return v < 0 ? (uint64_t)(-(v + 1)) + 1 : (uint64_t)v;
}

/*
 * Writes n/d * 10^shift with exactly `places` decimals (0 means no point),
 * rounded half away from zero, with a leading '-' when neg and the result is
 * not zero. d must not be 0. out needs 32 bytes (n < 2^64 gives at most 20
 * integer digits, plus shift <= 2, places <= 4, carry, sign, point, NUL).
 */
static void ratio_format(uint64_t n, uint64_t d, int shift, int places,
			 bool neg, char *out)
{
	char digits[40];
	int len = 0;
	uint64_t q = n / d, r = n % d;

	/* Integer part of n/d, most significant digit first. */
	char tmp[24];
	int tl = 0;
	do {
		tmp[tl++] = (char)('0' + q % 10);
		q /= 10;
	} while (q);
	while (tl)
		digits[len++] = tmp[--tl];

	/* shift + places further digits: each is floor(10r / d), computed as
	 * ten additions so that r (< d <= 2^64 - 1) never overflows. */
	for (int i = 0; i < shift + places; i++) {
		uint64_t acc = 0;
		int digit = 0;
		for (int k = 0; k < 10; k++) {
			/* acc < d and r < d; acc + r may wrap only if >= 2^64,
			 * which means it is certainly >= d. */
			uint64_t sum = acc + r;
			if (sum < acc || sum >= d) {
				sum -= d;
				digit++;
			}
			acc = sum;
		}
		digits[len++] = (char)('0' + digit);
		r = acc;
	}

	/* Half away from zero: round up when r >= d - r (r >= d/2 exactly). */
	if (r >= d - r) {
		int i = len - 1;
		while (i >= 0 && digits[i] == '9')
			digits[i--] = '0';
		if (i >= 0) {
			digits[i]++;
		} else {
			memmove(digits + 1, digits, (size_t)len);
			digits[0] = '1';
			len++;
		}
	}

	/* Drop leading zeros of the integer part, keeping one. */
	int int_len = len - places;
	int skip = 0;
	while (skip < int_len - 1 && digits[skip] == '0')
		skip++;

	bool zero = true;
	for (int i = skip; i < len; i++)
		if (digits[i] != '0')
			zero = false;

	char *o = out;
	if (neg && !zero)
		*o++ = '-';
	for (int i = skip; i < int_len; i++)
		*o++ = digits[i];
	if (places > 0) {
		*o++ = '.';
		for (int i = int_len; i < len; i++)
			*o++ = digits[i];
	}
	*o = '\0';
}

/* Parses \d+(\.\d{1,4})? 亿元 into 万元, at most MONEY_MAX_WAN. Returns 0
 * with *wan set, or -1 (*wan untouched). */
int money_parse_yi(const char *s, int64_t *wan)
{
	const int64_t max_int = MONEY_MAX_WAN / 10000;
	int64_t ip = 0, frac = 0;
	bool too_big = false;
	int n = 0;

	if (!s)
		return -1;
	const char *p = s;
	for (; *p >= '0' && *p <= '9'; p++, n++) {
		if (!too_big) {
			ip = ip * 10 + (*p - '0');
			if (ip > max_int)
				too_big = true;
		}
	}
	if (n == 0)
		return -1;
	if (*p == '.') {
		int fd = 0;
		for (p++; *p >= '0' && *p <= '9'; p++, fd++) {
			if (fd >= 4)
				return -1;
			frac = frac * 10 + (*p - '0');
		}
		if (fd == 0)
			return -1;
		for (; fd < 4; fd++)
			frac *= 10;
	}
	if (*p)
		return -1;
	if (too_big)
		return -1;
	int64_t v = ip * 10000 + frac;
	if (v > MONEY_MAX_WAN)
		return -1;
	*wan = v;
	return 0;
}

/* 亿元 with exactly two decimals, half away from zero. out: 32 bytes. */
void money_format_yi2(int64_t wan, char *out)
{
	ratio_format(uabs(wan), 10000, 0, 2, wan < 0, out);
}

/* 亿元 with the fewest decimals (0..4) that keep the value exact; reads back
 * through money_parse_yi when wan >= 0. out: 32 bytes. */
void money_format_yi(int64_t wan, char *out)
{
	ratio_format(uabs(wan), 10000, 0, 4, wan < 0, out);
	size_t len = strlen(out);
	while (out[len - 1] == '0')
		out[--len] = '\0';
	if (out[len - 1] == '.')
		out[--len] = '\0';
}

/* num/den as a percentage with two decimals, half away from zero: 727/1499
 * -> "48.50". Returns 0, or -1 with out untouched when den is 0. out: 32
 * bytes. */
int rate_format(int64_t num, int64_t den, char *out)
{
	if (den == 0)
		return -1;
	ratio_format(uabs(num), uabs(den), 2, 2, (num < 0) != (den < 0), out);
	return 0;
}

/* num/den with two decimals, half away from zero; den != 0. out: 32 bytes. */
void decimal2_format(int64_t num, int64_t den, char *out)
{
	if (den == 0) {
		strcpy(out, "0.00"); /* contract violation; stay defined */
		return;
	}
	ratio_format(uabs(num), uabs(den), 0, 2, (num < 0) != (den < 0), out);
}
