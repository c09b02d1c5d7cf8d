/*
 * date: calendar dates as day numbers, and "today" in Beijing time.
 *
 * A date is an int32_t counting days from 1970-01-01 (proleptic Gregorian);
 * DATE_NONE marks "no date". Dates only, never times: a milestone happens on a
 * day. Month arithmetic keeps the day of month, lowering it to the target
 * month's last day only when that day does not exist there.
 */
#ifndef ZS_DATE_H
#define ZS_DATE_H

#include <stdbool.h>
#include <stdint.h>

#define DATE_NONE INT32_MIN

int32_t date_from_ymd(int y, int m, int d);
void date_to_ymd(int32_t date, int *y, int *m, int *d);
bool date_valid_ymd(int y, int m, int d);
int date_days_in_month(int y, int m);

/* Strict ISO form YYYY-MM-DD (years 1900..9999). Returns 0 or -1. */
int date_parse_iso(const char *s, int32_t *out);
/* The interchange forms: YYYY-MM-DD, YYYY/MM/DD, YYYY年MM月DD日, month and
 * day with one or two digits. Surrounding spaces are not accepted. */
int date_parse_any(const char *s, int32_t *out);
/* Writes YYYY-MM-DD and a NUL into out (11 bytes). */
void date_format(int32_t date, char out[11]);

int32_t date_add_months(int32_t date, int months);
int32_t date_add_days(int32_t date, int days);

/*
 * Today at UTC+8, or the date given by ZHAOSHANG_NOW (YYYY-MM-DD, or an ISO
 * 8601 date-time: with an offset or Z it is converted to +08:00, without one
 * it is already Beijing time). Returns 0, or -1 with a static message in *err
 * when ZHAOSHANG_NOW is malformed.
 */
int date_today(int32_t *out, const char **err);

/*
 * The current time as Unix seconds, or ZHAOSHANG_NOW's instant (a date alone
 * is that day's midnight in Beijing; a date-time without an offset is
 * Beijing time). Returns 0, or -1 with a static message in *err (if err).
 */
int date_now_epoch(int64_t *out, const char **err);
/* Writes Unix seconds as YYYY-MM-DDTHH:MM:SSZ (UTC) into out (21 bytes). */
void date_format_utc(int64_t secs, char out[21]);

/* Parses an ISO 8601 date-time or date and returns the Beijing date. */
int date_parse_now(const char *s, int32_t *out);

#endif
