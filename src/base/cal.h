/*
** cal.h — the working-day calendar of China, used for every deadline xinqu
** computes (办件 time limits in working days or working hours).
**
** A working day is decided like this: a "special day" recorded in the
** calendar decides (an `off` day is a statutory holiday or a day of a holiday
** period; a `work` day is an adjusted working day, 调休上班); any other day
** is a working day when it falls on Monday to Friday. The special days come
** from the State Council (国务院办公厅) holiday notices, kept as data in
** data/calendar/cn.csv (format: see cal_load_csv()) and in the database.
**
** A year is "known" when its schedule has been loaded. For a year that is
** not known the calendar still answers (Monday to Friday), and the
** working-day arithmetic reports that it had to assume so.
**
** Dates are int day numbers: days since 1970-01-01 in the proleptic
** Gregorian calendar (1970-01-01 is 0, 1969-12-31 is -1). Years 1..9999
** (CAL_DAY_MIN..CAL_DAY_MAX) are supported. Instants are int64
** milliseconds since the Unix epoch (UTC); local time is Asia/Shanghai, a
** fixed UTC+8 (China has had no daylight saving since 1991).
**
** Working hours are "sessions" of local time on every working day, by
** default 09:00-12:00 and 13:30-17:30 (7 hours).
**
** Threads: build the Cal (cal_new, cal_set, cal_load_csv, cal_mark_year,
** cal_set_sessions) on one thread; after that it is read-only and every
** query below takes a const Cal * and keeps no hidden state, so any number
** of threads may query one Cal at once without locking.
*/
#ifndef XINQU_CAL_H
#define XINQU_CAL_H

#include "base.h"

#include <limits.h>

#define CAL_DAY_MIN (-719162)    /* 0001-01-01 */
#define CAL_DAY_MAX 2932896      /* 9999-12-31 */
#define CAL_NO_DAY INT_MIN       /* "no such day", see cal_add_workdays() */
#define CAL_NAME_MAX 63          /* longest special-day name, in bytes */
#define CAL_MAX_SESSIONS 8       /* most working-hour sessions per day */
#define CAL_MS_PER_DAY 86400000
#define CAL_UTC_OFFSET_MS (8 * 3600 * 1000) /* Asia/Shanghai is UTC+8 */

typedef struct Cal Cal;

/* One working-hour session, in milliseconds after local midnight:
** [start_ms, end_ms), 0 <= start_ms < end_ms <= CAL_MS_PER_DAY. */
typedef struct CalSession {
  int start_ms; /* first instant of the session */
  int end_ms;   /* first instant after it */
} CalSession;

/* A pause of the SLA clock (补正, 挂起, special procedures): the half-open
** interval [from_ms, to_ms) of instants. A pause with to_ms <= from_ms is
** empty. A pause still running is passed with to_ms = the end of the
** interval being measured. */
typedef struct CalPause {
  int64_t from_ms; /* the pause began at this instant */
  int64_t to_ms;   /* and ended just before this one */
} CalPause;

/* ---- Construction ------------------------------------------------------ */

/* cal_new() allocates an empty calendar: no special days, no known year,
** working hours 09:00-12:00,13:30-17:30. Never returns NULL (out of memory
** aborts). Free it with cal_free(). */
Cal *cal_new(void);
/* cal_free() releases c and everything it holds. c may be NULL. */
void cal_free(Cal *c);

/* cal_set() records day as a special day: an off day (off = true) or an
** adjusted working day (off = false), named name (e.g. "春节" or "春节调休";
** NULL means ""), replacing what was recorded for that day before. It also
** marks the day's year as known. The name is copied. Returns 0, or -1 (and
** changes nothing) when day is outside CAL_DAY_MIN..CAL_DAY_MAX or name is
** longer than CAL_NAME_MAX bytes, is not valid UTF-8, or contains a control
** character, a comma or a double quote. */
int cal_set(Cal *c, int day, bool off, const char *name);

/* cal_mark_year() marks year as known: its schedule is complete, even if it
** has no special day. Returns 0, or -1 when year is outside 1..9999. */
int cal_mark_year(Cal *c, int year);

/* cal_load_csv() loads the special days in text[0..n) (need not be
** NUL-terminated), in the format of data/calendar/cn.csv:
**
**   date,kind,name          <- header line, required, exactly this
**   2024-02-04,work,春节调休 <- one line per special day
**   2024-02-10,off,春节
**
** date is a real YYYY-MM-DD date; dates are strictly ascending (so none is
** listed twice); kind is `off` or `work`; a `work` day must be a Saturday or
** Sunday (any other day is a working day anyway, so a `work` weekday is a
** mistake); name is non-empty and valid for cal_set(). No quoting; lines end
** in LF or CRLF; blank lines are skipped; a UTF-8 byte order mark before the
** header is allowed. Every year that appears in a date is marked known.
**
** All or nothing: the calendar changes only when every line is good.
** Returns the number of special days loaded (>= 0), or -1 with e set
** (E_INVALID, code "calendar.bad_csv", field the faulty column or "") for
** the first bad line, whose number (the header is line 1) and reason are in
** e->message (Chinese) and e->message_en (English). Allocates nothing that
** outlives the call except what it adds to c. */
int cal_load_csv(Cal *c, const char *text, size_t n, Err *e);

/* cal_set_sessions() sets the working hours from spec, a comma-separated
** list of "HH:MM-HH:MM" local-time sessions such as
** "09:00-12:00,13:30-17:30" (spaces around items are allowed). Each start is
** 00:00..23:59 and before its end, which is at most 24:00; sessions may be
** listed in any order, are stored sorted, and must not overlap (touching is
** allowed); at most CAL_MAX_SESSIONS. Returns 0, or -1 with e set (E_INVALID,
** code "calendar.bad_sessions", field "sessions"), leaving the sessions as
** they were. */
int cal_set_sessions(Cal *c, const char *spec, Err *e);

/* ---- Dates --------------------------------------------------------------- */

/* cal_parse_date() parses s, exactly "YYYY-MM-DD" (4+2+2 digits, nothing
** before or after) naming a real date in years 0001..9999, into *day.
** Returns 0, or -1 (leaving *day alone) for anything else, e.g. "2023-02-29",
** "2024-1-05" or "2024-01-05 ". s may be NULL (returns -1). */
int cal_parse_date(const char *s, int *day);
/* cal_from_ymd() sets *day to the day number of year y, month m (1..12),
** day d (1..31). Returns 0, or -1 (leaving *day alone) when that is not a
** real date in years 1..9999. */
int cal_from_ymd(int y, int m, int d, int *day);
/* cal_to_ymd() splits any day number into year, month (1..12) and day of
** month (1..31); any of y, m, d may be NULL. */
void cal_to_ymd(int day, int *y, int *m, int *d);
/* cal_format() writes day as "YYYY-MM-DD" and a NUL into out (11 bytes);
** a day outside CAL_DAY_MIN..CAL_DAY_MAX is written "0000-00-00". */
void cal_format(int day, char out[11]);
/* cal_weekday() returns the ISO weekday of day: 1 = Monday .. 7 = Sunday. */
int cal_weekday(int day);
/* cal_year() returns the year that day falls in. */
int cal_year(int day);
/* cal_day_of_ms() returns the local (UTC+8) date of the instant ms; instants
** outside the supported years give CAL_DAY_MIN or CAL_DAY_MAX + 1. */
int cal_day_of_ms(int64_t ms);
/* cal_day_start_ms() returns the instant of local (UTC+8) midnight at the
** start of day. */
int64_t cal_day_start_ms(int day);

/* ---- Queries (read-only, thread-safe) ------------------------------------ */

/* cal_year_known() is true when year's schedule has been loaded (a special
** day of that year was set, or the year was marked). */
bool cal_year_known(const Cal *c, int year);
/* cal_is_workday() is true when day is a working day: a special day decides,
** otherwise Monday to Friday (also in years that are not known). */
bool cal_is_workday(const Cal *c, int day);
/* cal_name() returns the name recorded for a special day, or "" for any
** other day. The string belongs to c and lives as long as c. */
const char *cal_name(const Cal *c, int day);
/* cal_count() returns the number of special days recorded. */
int cal_count(const Cal *c);
/* cal_get() reads special day i (0 <= i < cal_count(c), ascending by day):
** its day, whether it is off, and its name (owned by c); any output pointer
** may be NULL. Returns 0, or -1 when i is out of range. */
int cal_get(const Cal *c, int i, int *day, bool *off, const char **name);

/* cal_add_workdays() returns the day that is n working days after day, the
** start day not counted (期间开始的日不计算在期间内): the n-th working day
** among day+1, day+2, ... For n == 0 it returns day itself, even when day
** is not a working day. When unknown is not NULL, *unknown is set to true if
** a day passed through (day+1 .. the result) lies in a year that is not
** known, so Monday to Friday was assumed, else to false. Returns CAL_NO_DAY
** when n < 0, day is outside CAL_DAY_MIN..CAL_DAY_MAX, or the result would be
** after CAL_DAY_MAX. Allocates nothing. */
int cal_add_workdays(const Cal *c, int day, int n, bool *unknown);
/* cal_workdays_between() counts the working days d with from < d <= to, the
** inverse of cal_add_workdays(): for a working day to > from, the count k
** satisfies cal_add_workdays(c, from, k, NULL) == to. When to < from it
** returns minus the count with from and to swapped. Days outside the
** supported range are clamped to it. *unknown (if not NULL) is set as by
** cal_add_workdays() for the days counted over. Allocates nothing. */
int cal_workdays_between(const Cal *c, int from, int to, bool *unknown);

/* cal_workday_ms() returns the working time of one working day, the total
** length of the sessions, in ms (7 h = 25200000 by default). */
int64_t cal_workday_ms(const Cal *c);
/* cal_add_worktime() returns the earliest instant T >= start_ms at which
** work_ms of working time (instants inside a session on a working day) has
** passed since start_ms, i.e. cal_worktime_between(c, start_ms, T, NULL, 0)
** == work_ms. So counting starts at start_ms if it is inside a session, else
** at the next session start; work_ms <= 0 returns start_ms. Returns
** INT64_MAX when T would be after 9999-12-31. Allocates nothing. */
int64_t cal_add_worktime(const Cal *c, int64_t start_ms, int64_t work_ms);
/* cal_worktime_between() returns the working time, in ms, of the instants in
** [a_ms, b_ms) that are inside a session on a working day and inside none of
** the pauses (which may overlap one another; a moment is removed once).
** pauses may be NULL when nPause is 0. Returns 0 when b_ms <= a_ms.
** Allocates a temporary copy of the pauses, freed before returning. */
int64_t cal_worktime_between(const Cal *c, int64_t a_ms, int64_t b_ms,
                             const CalPause *pauses, int nPause);

#endif
