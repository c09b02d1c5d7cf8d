/*
 * date: civil-date arithmetic on day numbers, the interchange date forms, and
 * "today" in Beijing time (see date.h).
 *
 * A date is the number of days since 1970-01-01 in the proleptic Gregorian
 * calendar; the conversions are Howard Hinnant's days_from_civil /
 * civil_from_days, exact for every year an int can hold. Parsers accept only
 * years 1900..9999 and days that exist. "Today" is computed from a fixed
 * +08:00 offset and never consults TZ, localtime or the C locale; everything
 * here is integer arithmetic on the caller's values, with no state.
 */
#include "domain/date.h"

#include <stdlib.h>
#include <time.h>

#define BEIJING_OFFSET_SECS (8 * 3600)
#define SECS_PER_DAY 86400

/* Floor division for a positive divisor. */
static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	if ((a % b) != 0 && a < 0)
		q--;
	return q;
}

static bool is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Days in month m (1..12) of year y; 0 for a month outside 1..12. */
int date_days_in_month(int y, int m)
{
	static const int days[12] = { 31, 28, 31, 30, 31, 30,
				      31, 31, 30, 31, 30, 31 };
	if (m < 1 || m > 12)
		return 0;
	if (m == 2 && is_leap(y))
		return 29;
	return days[m - 1];
}

/* True when y-m-d names a day that exists (any year 1..9999). */
bool date_valid_ymd(int y, int m, int d)
{
	if (y < 1 || y > 9999)
		return false;
	if (m < 1 || m > 12)
		return false;
	return d >= 1 && d <= date_days_in_month(y, m);
}

/* The day number of y-m-d; y-m-d must be valid (date_valid_ymd). */
int32_t date_from_ymd(int y, int m, int d)
{
	int64_t yy = (int64_t)y - (m <= 2);
	int64_t era = floor_div(yy, 400);
	int64_t yoe = yy - era * 400;                       /* 0..399 */
	int64_t mp = m > 2 ? m - 3 : m + 9;                 /* March = 0 */
	int64_t doy = (153 * mp + 2) / 5 + d - 1;           /* 0..365 */
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy; /* 0..146096 */
	return (int32_t)(era * 146097 + doe - 719468);
}

/* The civil date of day number date (not DATE_NONE). */
void date_to_ymd(int32_t date, int *y, int *m, int *d)
{
	int64_t z = (int64_t)date + 719468;
	int64_t era = floor_div(z, 146097);
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	int64_t dd = doy - (153 * mp + 2) / 5 + 1;
	int64_t mm = mp < 10 ? mp + 3 : mp - 9;
	*y = (int)(yoe + era * 400 + (mm <= 2));
	*m = (int)mm;
	*d = (int)dd;
}

/*
 * Reads between min and max ASCII digits at *p into *val and advances *p.
 * Returns 0, or -1 when fewer than min digits are there. Stops after max
 * digits even if more follow (the caller then sees a digit where it expects
 * a separator and rejects).
 */
static int read_digits(const char **p, int min, int max, int *val)
{
	int n = 0, v = 0;
	while (n < max && **p >= '0' && **p <= '9') {
		v = v * 10 + (**p - '0');
		(*p)++;
		n++;
	}
	if (n < min)
		return -1;
	*val = v;
	return 0;
}

/* Consumes the literal lit at *p. Returns 0, or -1 (p unchanged). */
static int eat(const char **p, const char *lit)
{
	const char *q = *p;
	while (*lit) {
		if (*q != *lit)
			return -1;
		q++;
		lit++;
	}
	*p = q;
	return 0;
}

static int finish(int y, int m, int d, int32_t *out)
{
	if (y < 1900 || y > 9999 || !date_valid_ymd(y, m, d))
		return -1;
	*out = date_from_ymd(y, m, d);
	return 0;
}

/* Strict YYYY-MM-DD, years 1900..9999. Returns 0 or -1. */
int date_parse_iso(const char *s, int32_t *out)
{
	int y, m, d;
	if (!s)
		return -1;
	const char *p = s;
	if (read_digits(&p, 4, 4, &y) || eat(&p, "-") ||
	    read_digits(&p, 2, 2, &m) || eat(&p, "-") ||
	    read_digits(&p, 2, 2, &d) || *p)
		return -1;
	return finish(y, m, d, out);
}

/* YYYY-M-D, YYYY/M/D or YYYY年M月D日, month and day of one or two digits,
 * one form throughout, nothing before or after. Returns 0 or -1. */
int date_parse_any(const char *s, int32_t *out)
{
	int y, m, d;
	if (!s)
		return -1;
	const char *p = s;
	if (read_digits(&p, 4, 4, &y))
		return -1;
	const char *sep1, *sep2, *end;
	if (*p == '-') {
		sep1 = sep2 = "-";
		end = "";
	} else if (*p == '/') {
		sep1 = sep2 = "/";
		end = "";
	} else {
		sep1 = "年";
		sep2 = "月";
		end = "日";
	}
	if (eat(&p, sep1) || read_digits(&p, 1, 2, &m) || eat(&p, sep2) ||
	    read_digits(&p, 1, 2, &d) || eat(&p, end) || *p)
		return -1;
	return finish(y, m, d, out);
}

/* Writes YYYY-MM-DD for a date in years 0..9999. */
void date_format(int32_t date, char out[11])
{
	int y, m, d;
	date_to_ymd(date, &y, &m, &d);
	if (y < 0)
		y = 0;
	if (y > 9999)
		y = 9999;
	out[0] = (char)('0' + y / 1000);
	out[1] = (char)('0' + y / 100 % 10);
	out[2] = (char)('0' + y / 10 % 10);
	out[3] = (char)('0' + y % 10);
	out[4] = '-';
	out[5] = (char)('0' + m / 10);
	out[6] = (char)('0' + m % 10);
	out[7] = '-';
	out[8] = (char)('0' + d / 10);
	out[9] = (char)('0' + d % 10);
	out[10] = '\0';
}

/* date plus months (negative allowed), keeping the day of month unless the
 * target month is shorter. DATE_NONE stays DATE_NONE. */
int32_t date_add_months(int32_t date, int months)
{
	int y, m, d;
	if (date == DATE_NONE)
		return DATE_NONE;
	date_to_ymd(date, &y, &m, &d);
	int64_t idx = (int64_t)y * 12 + (m - 1) + months;
	int ny = (int)floor_div(idx, 12);
	int nm = (int)(idx - (int64_t)ny * 12) + 1;
	int dim = date_days_in_month(ny, nm);
	return date_from_ymd(ny, nm, d < dim ? d : dim);
}

/* date plus days (negative allowed). DATE_NONE stays DATE_NONE. */
int32_t date_add_days(int32_t date, int days)
{
	if (date == DATE_NONE)
		return DATE_NONE;
	return (int32_t)((int64_t)date + days);
}

/*
 * Parses the time part after the 'T': hh:mm[:ss[.fraction]] and an optional
 * offset (Z, +hh, +hh:mm, +hhmm, or with '-'). Sets *secs to the seconds
 * since midnight, *has_off and *off_secs (east of UTC positive).
 */
static int parse_time(const char *p, int *secs, bool *has_off, int *off_secs)
{
	int hh, mm, ss = 0;
	if (read_digits(&p, 2, 2, &hh) || eat(&p, ":") ||
	    read_digits(&p, 2, 2, &mm))
		return -1;
	if (*p == ':') {
		p++;
		if (read_digits(&p, 2, 2, &ss))
			return -1;
		if (*p == '.' || *p == ',') {
			p++;
			if (*p < '0' || *p > '9')
				return -1;
			while (*p >= '0' && *p <= '9')
				p++;
		}
	}
	if (hh > 23 || mm > 59 || ss > 60) /* 60: a leap second */
		return -1;
	*secs = hh * 3600 + mm * 60 + ss;
	*has_off = false;
	*off_secs = 0;
	if (*p == 'Z' || *p == 'z') {
		p++;
		*has_off = true;
	} else if (*p == '+' || *p == '-') {
		int sign = *p == '-' ? -1 : 1, oh, om = 0;
		p++;
		if (read_digits(&p, 2, 2, &oh))
			return -1;
		if (*p == ':') {
			p++;
			if (read_digits(&p, 2, 2, &om))
				return -1;
		} else if (*p >= '0' && *p <= '9') {
			if (read_digits(&p, 2, 2, &om))
				return -1;
		}
		if (oh > 23 || om > 59)
			return -1;
		*has_off = true;
		*off_secs = sign * (oh * 3600 + om * 60);
	}
	return *p ? -1 : 0;
}

/* The instant of an ISO 8601 date-time or date (see date_now_epoch()). */
static int parse_instant(const char *s, int64_t *out)
{
	int y, m, d;
	const char *p = s;
	if (read_digits(&p, 4, 4, &y) || eat(&p, "-") || read_digits(&p, 2, 2, &m) ||
	    eat(&p, "-") || read_digits(&p, 2, 2, &d))
		return -1;
	int32_t day;
	if (finish(y, m, d, &day))
		return -1;
	int secs = 0, off_secs = BEIJING_OFFSET_SECS;
	bool has_off = false;
	if (*p) {
		if (*p != 'T' && *p != 't' && *p != ' ')
			return -1;
		if (parse_time(p + 1, &secs, &has_off, &off_secs))
			return -1;
		if (!has_off)
			off_secs = BEIJING_OFFSET_SECS;
	}
	*out = (int64_t)day * SECS_PER_DAY + secs - off_secs;
	return 0;
}

int date_now_epoch(int64_t *out, const char **err)
{
	const char *now = getenv("ZHAOSHANG_NOW");
	if (now && *now) {
		if (parse_instant(now, out) == 0)
			return 0;
		if (err)
			*err = "环境变量 ZHAOSHANG_NOW 格式错误:应为 YYYY-MM-DD "
			       "或 ISO 8601 日期时间(如 2023-12-31T23:30:00+08:00)";
		return -1;
	}
	*out = (int64_t)time(NULL);
	return 0;
}

/* Parses YYYY-MM-DD or an ISO 8601 date-time (T or space between the parts)
 * and returns the Beijing date. Returns 0 or -1. */
int date_parse_now(const char *s, int32_t *out)
{
	int64_t t;
	if (!s || parse_instant(s, &t) != 0)
		return -1;
	*out = (int32_t)floor_div(t + BEIJING_OFFSET_SECS, SECS_PER_DAY);
	return 0;
}

void date_format_utc(int64_t secs, char out[21])
{
	int32_t day = (int32_t)floor_div(secs, SECS_PER_DAY);
	int64_t rest = secs - (int64_t)day * SECS_PER_DAY;
	date_format(day, out);
	unsigned hms = (unsigned)rest;
	out[10] = 'T';
	out[11] = (char)('0' + hms / 36000);
	out[12] = (char)('0' + hms / 3600 % 10);
	out[13] = ':';
	out[14] = (char)('0' + hms / 600 % 6);
	out[15] = (char)('0' + hms / 60 % 10);
	out[16] = ':';
	out[17] = (char)('0' + hms % 60 / 10);
	out[18] = (char)('0' + hms % 10);
	out[19] = 'Z';
	out[20] = '\0';
}

/* Today in Beijing, or ZHAOSHANG_NOW's date when that variable is set and
 * non-empty. Returns 0, or -1 with a static message in *err (if err). */
int date_today(int32_t *out, const char **err)
{
	const char *now = getenv("ZHAOSHANG_NOW");
	if (now && *now) {
		if (date_parse_now(now, out) == 0)
			return 0;
		if (err)
			*err = "环境变量 ZHAOSHANG_NOW 格式错误:应为 YYYY-MM-DD "
			       "或 ISO 8601 日期时间(如 2023-12-31T23:30:00+08:00)";
		return -1;
	}
	time_t t = time(NULL);
	if (t == (time_t)-1) {
		if (err)
			*err = "无法读取系统时间";
		return -1;
	}
	int64_t bj = (int64_t)t + BEIJING_OFFSET_SECS;
	*out = (int32_t)floor_div(bj, SECS_PER_DAY);
	return 0;
}
