/*
** test_cal.c — unit tests of the working-day calendar (src/base/cal.c).
**
** Most expectations are derived independently of cal.c: an "oracle" reads
** data/calendar/cn.csv with its own parser, turns dates into day numbers and
** weekdays with the C library (timegm/gmtime_r), and walks days and minutes
** by brute force. Hand-computed answers from the State Council notices sit
** alongside, so a mistake in both the data and the oracle is caught too.
** Run from the repository root (the CSV is opened by relative path).
*/
#include "unit.h"

#include <pthread.h>
#include <stdio.h>
#include <time.h>

#include "base/cal.h"

#define CSV_PATH "data/calendar/cn.csv"
#define H (3600 * 1000LL)
#define MIN (60 * 1000LL)

/* ---- The oracle ---------------------------------------------------------- */

typedef struct Row {
  int day;        /* day number, via timegm */
  bool off;       /* kind off */
  char name[64];  /* the name column */
} Row;

static char *csv_text;
static size_t csv_len;
static Row rows[1024];
static int nRows;

/* Day number of y-m-d via the C library. */
static int lib_day(int y, int m, int d) {
  struct tm tm = {0};
  tm.tm_year = y - 1900;
  tm.tm_mon = m - 1;
  tm.tm_mday = d;
  time_t t = timegm(&tm);
  return (int)(t / 86400);
}

static struct tm lib_tm(int day) {
  struct tm tm;
  time_t t = (time_t)day * 86400;
  gmtime_r(&t, &tm);
  return tm;
}

/* ISO weekday via the C library. */
static int lib_weekday(int day) {
  int w = lib_tm(day).tm_wday;
  return w == 0 ? 7 : w;
}

/* Instant of local (UTC+8) y-m-d h:mi via the C library. */
static int64_t local_ms(int y, int m, int d, int h, int mi) {
  struct tm tm = {0};
  tm.tm_year = y - 1900;
  tm.tm_mon = m - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  return ((int64_t)timegm(&tm) - 8 * 3600) * 1000;
}

static char *read_file(const char *path, size_t *n) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  char *p = NULL;
  size_t cap = 0;
  *n = 0;
  for (;;) {
    p = realloc(p, cap += 65536);
    size_t got = fread(p + *n, 1, cap - *n - 1, f);
    *n += got;
    if (got == 0) break;
  }
  fclose(f);
  p[*n] = 0;
  return p;
}

/* Reads the CSV with sscanf, independently of cal_load_csv(). */
static int setup_csv(void **state) {
  (void)state;
  csv_text = read_file(CSV_PATH, &csv_len);
  if (!csv_text) {
    fprintf(stderr, "cannot read %s (run from the repository root)\n", CSV_PATH);
    return -1;
  }
  char *save = NULL, *copy = strdup(csv_text);
  int line = 0;
  for (char *l = strtok_r(copy, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
    if (line++ == 0) continue;
    int y, m, d;
    char kind[8], name[64];
    if (sscanf(l, "%4d-%2d-%2d,%7[a-z],%63s", &y, &m, &d, kind, name) != 5) {
      fprintf(stderr, "oracle cannot read line %d: %s\n", line, l);
      free(copy);
      return -1;
    }
    if (nRows == (int)XQ_COUNT(rows)) return -1;
    rows[nRows].day = lib_day(y, m, d);
    rows[nRows].off = strcmp(kind, "off") == 0;
    snprintf(rows[nRows].name, sizeof rows[nRows].name, "%s", name);
    nRows++;
  }
  free(copy);
  return 0;
}

static int teardown_csv(void **state) {
  (void)state;
  free(csv_text);
  return 0;
}

static const Row *oracle_row(int day) {
  for (int i = 0; i < nRows; i++)
    if (rows[i].day == day) return &rows[i];
  return NULL;
}

static bool oracle_known_year(int year) { return year >= 2019 && year <= 2026; }

static bool oracle_work(int day) {
  const Row *r = oracle_row(day);
  if (r) return !r->off;
  return lib_weekday(day) <= 5;
}

/* The n-th working day after day, and whether an unknown year was crossed. */
static int oracle_add(int day, int n, bool *unknown) {
  *unknown = false;
  while (n > 0) {
    day++;
    if (!oracle_known_year(lib_tm(day).tm_year + 1900)) *unknown = true;
    if (oracle_work(day)) n--;
  }
  return day;
}

static Cal *load_real(void) {
  Cal *c = cal_new();
  Err e = {0};
  int n = cal_load_csv(c, csv_text, csv_len, &e);
  if (n < 0) fprintf(stderr, "%s\n", e.message_en);
  assert_int_equal(n, nRows);
  return c;
}

static int day_of(const char *s) {
  int d = 0;
  if (cal_parse_date(s, &d) != 0) fail_msg("bad date literal %s", s);
  return d;
}

/* ---- Dates ----------------------------------------------------------------- */

static void test_dates_match_libc(void **state) {
  (void)state;
  /* Every day from 1600 to 2400 (and a slice near each end of the range):
  ** split, rebuild, weekday and year agree with gmtime. */
  int from = lib_day(1600, 1, 1), to = lib_day(2400, 12, 31);
  for (int day = from; day <= to; day++) {
    struct tm tm = lib_tm(day);
    int y, m, d, back = 0;
    cal_to_ymd(day, &y, &m, &d);
    assert_int_equal(y, tm.tm_year + 1900);
    assert_int_equal(m, tm.tm_mon + 1);
    assert_int_equal(d, tm.tm_mday);
    assert_int_equal(cal_year(day), y);
    assert_int_equal(cal_weekday(day), lib_weekday(day));
    assert_int_equal(cal_from_ymd(y, m, d, &back), 0);
    assert_int_equal(back, day);
  }
  assert_int_equal(CAL_DAY_MIN, lib_day(1, 1, 1));
  assert_int_equal(CAL_DAY_MAX, lib_day(9999, 12, 31));
  for (int day = CAL_DAY_MIN; day < CAL_DAY_MIN + 800; day++) {
    struct tm tm = lib_tm(day);
    int y, m, d;
    cal_to_ymd(day, &y, &m, &d);
    assert_int_equal(y * 10000 + m * 100 + d,
                     (tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday);
    assert_int_equal(cal_weekday(day), lib_weekday(day));
  }
  for (int day = CAL_DAY_MAX - 800; day <= CAL_DAY_MAX; day++) {
    struct tm tm = lib_tm(day);
    assert_int_equal(cal_year(day), tm.tm_year + 1900);
  }
  /* Fixed points. */
  assert_int_equal(cal_weekday(0), 4);  /* 1970-01-01 Thursday */
  assert_int_equal(cal_weekday(-1), 3); /* 1969-12-31 Wednesday */
  assert_int_equal(cal_weekday(day_of("2024-02-04")), 7);
  assert_int_equal(cal_weekday(day_of("2000-01-01")), 6);
  assert_int_equal(cal_weekday(INT_MIN), lib_weekday(INT_MIN % 7 + 7 * 3)); /* no overflow */
  assert_int_equal(cal_year(-1), 1969);
}

static void test_from_ymd_edges(void **state) {
  (void)state;
  int d = 12345;
  assert_int_equal(cal_from_ymd(2024, 2, 29, &d), 0);
  assert_int_equal(d, lib_day(2024, 2, 29));
  d = 12345;
  assert_int_equal(cal_from_ymd(2023, 2, 29, &d), -1);
  assert_int_equal(cal_from_ymd(1900, 2, 29, &d), -1); /* century, not leap */
  assert_int_equal(cal_from_ymd(2100, 2, 29, &d), -1);
  assert_int_equal(d, 12345); /* left alone */
  assert_int_equal(cal_from_ymd(2000, 2, 29, &d), 0); /* 400-year leap */
  assert_int_equal(cal_from_ymd(2024, 4, 31, &d), -1);
  assert_int_equal(cal_from_ymd(2024, 12, 31, &d), 0);
  assert_int_equal(cal_from_ymd(2024, 13, 1, &d), -1);
  assert_int_equal(cal_from_ymd(2024, 0, 1, &d), -1);
  assert_int_equal(cal_from_ymd(2024, 1, 0, &d), -1);
  assert_int_equal(cal_from_ymd(0, 1, 1, &d), -1);
  assert_int_equal(cal_from_ymd(10000, 1, 1, &d), -1);
  assert_int_equal(cal_from_ymd(1, 1, 1, &d), 0);
  assert_int_equal(d, CAL_DAY_MIN);
  assert_int_equal(cal_from_ymd(9999, 12, 31, &d), 0);
  assert_int_equal(d, CAL_DAY_MAX);
}

static void test_parse_date(void **state) {
  (void)state;
  static const char *good[] = {"2024-02-29", "2000-02-29", "0001-01-01", "9999-12-31",
                               "1970-01-01", "2023-12-31"};
  static const char *bad[] = {
      "2023-02-29", "2100-02-29", "2024-04-31", "2024-13-01", "2024-00-10", "2024-01-00",
      "0000-01-01", "2024-1-05",  "2024-01-5",  "24-01-05",   "2024-01-05 ", " 2024-01-05",
      "2024/01/05", "2024-01-05x", "20240105",  "",           "2024-01-0a", "+024-01-05",
      "2024--1-05", "2024-01-05\n", "２０２４-01-05"};
  for (size_t i = 0; i < XQ_COUNT(good); i++) {
    int d = 0, y, m, dd;
    char back[11];
    assert_int_equal(cal_parse_date(good[i], &d), 0);
    assert_int_equal(sscanf(good[i], "%d-%d-%d", &y, &m, &dd), 3);
    assert_int_equal(d, lib_day(y, m, dd));
    cal_format(d, back);
    assert_string_equal(back, good[i]);
  }
  for (size_t i = 0; i < XQ_COUNT(bad); i++) {
    int d = 777;
    if (cal_parse_date(bad[i], &d) != -1) fail_msg("accepted bad date \"%s\"", bad[i]);
    assert_int_equal(d, 777);
  }
  int d = 777;
  assert_int_equal(cal_parse_date(NULL, &d), -1);
  /* An embedded NUL ends the string: "2024-01-05" followed by more is fine. */
  assert_int_equal(cal_parse_date("2024-01-05\0junk", &d), 0);
}

static void test_format(void **state) {
  (void)state;
  char out[11];
  memset(out, 'x', sizeof out);
  cal_format(0, out);
  assert_string_equal(out, "1970-01-01");
  cal_format(-1, out);
  assert_string_equal(out, "1969-12-31");
  cal_format(CAL_DAY_MIN, out);
  assert_string_equal(out, "0001-01-01");
  cal_format(CAL_DAY_MAX, out);
  assert_string_equal(out, "9999-12-31");
  cal_format(CAL_DAY_MAX + 1, out);
  assert_string_equal(out, "0000-00-00");
  cal_format(CAL_DAY_MIN - 1, out);
  assert_string_equal(out, "0000-00-00");
  cal_format(INT_MIN, out);
  assert_string_equal(out, "0000-00-00");
  cal_format(INT_MAX, out);
  assert_string_equal(out, "0000-00-00");
  /* Round trip against strftime over a few centuries. */
  for (int day = lib_day(1800, 1, 1); day <= lib_day(2200, 12, 31); day += 7) {
    char want[16];
    struct tm tm = lib_tm(day);
    strftime(want, sizeof want, "%Y-%m-%d", &tm);
    cal_format(day, out);
    assert_string_equal(out, want);
  }
}

static void test_day_of_ms(void **state) {
  (void)state;
  int64_t midnight = local_ms(2024, 1, 1, 0, 0); /* 2023-12-31T16:00Z */
  assert_int_equal(midnight, (int64_t)lib_day(2023, 12, 31) * 86400000 + 16 * H);
  assert_int_equal(cal_day_of_ms(midnight), lib_day(2024, 1, 1));
  assert_int_equal(cal_day_of_ms(midnight - 1), lib_day(2023, 12, 31));
  assert_int_equal(cal_day_start_ms(lib_day(2024, 1, 1)), midnight);
  assert_int_equal(cal_day_of_ms(0), 0);             /* 08:00 local on 1970-01-01 */
  assert_int_equal(cal_day_of_ms(-8 * H), 0);        /* local midnight */
  assert_int_equal(cal_day_of_ms(-8 * H - 1), -1);   /* one ms before: 1969-12-31 */
  assert_int_equal(cal_day_of_ms(16 * H - 1), 0);
  assert_int_equal(cal_day_of_ms(16 * H), 1);
  assert_int_equal(cal_day_start_ms(0), -8 * H);
  assert_int_equal(cal_day_of_ms(INT64_MIN), CAL_DAY_MIN);
  assert_int_equal(cal_day_of_ms(INT64_MAX), CAL_DAY_MAX + 1);
}

/* ---- The real calendar -------------------------------------------------------- */

static void test_real_known_days(void **state) {
  (void)state;
  Cal *c = load_real();
  /* Hand-checked against the notices. */
  assert_false(cal_is_workday(c, day_of("2024-02-10")));
  assert_string_equal(cal_name(c, day_of("2024-02-10")), "春节");
  assert_true(cal_is_workday(c, day_of("2024-02-04"))); /* Sunday 调休 */
  assert_int_equal(cal_weekday(day_of("2024-02-04")), 7);
  assert_string_equal(cal_name(c, day_of("2024-02-04")), "春节调休");
  assert_true(cal_is_workday(c, day_of("2024-02-18")));
  assert_true(cal_is_workday(c, day_of("2024-02-09"))); /* 除夕 2024 was a working day */
  assert_false(cal_is_workday(c, day_of("2020-01-31"))); /* the 2020 extension */
  assert_string_equal(cal_name(c, day_of("2020-01-31")), "春节");
  assert_false(cal_is_workday(c, day_of("2020-02-01"))); /* its 调休 Saturday was cancelled */
  assert_false(cal_is_workday(c, day_of("2020-02-02")));
  assert_true(cal_is_workday(c, day_of("2020-02-03")));
  assert_false(cal_is_workday(c, day_of("2023-09-29")));
  assert_string_equal(cal_name(c, day_of("2023-09-29")), "中秋节、国庆节");
  assert_true(cal_is_workday(c, day_of("2023-10-07"))); /* Saturday 调休 */
  assert_false(cal_is_workday(c, day_of("2025-02-04")));  /* 2025: 春节 8 days */
  assert_true(cal_is_workday(c, day_of("2026-01-04")));   /* Sunday 元旦调休 */
  assert_false(cal_is_workday(c, day_of("2026-02-23")));  /* 2026: 春节 9 days */
  assert_true(cal_is_workday(c, day_of("2026-02-28")));
  assert_true(cal_is_workday(c, day_of("2026-09-20")));
  assert_false(cal_is_workday(c, day_of("2022-12-31"))); /* 元旦 2023 begins in 2022 */
  assert_string_equal(cal_name(c, day_of("2022-12-31")), "元旦");
  assert_true(cal_is_workday(c, day_of("2024-03-05")));
  assert_string_equal(cal_name(c, day_of("2024-03-05")), "");
  assert_false(cal_is_workday(c, day_of("2024-03-09"))); /* plain Saturday */
  for (int y = 2019; y <= 2026; y++) assert_true(cal_year_known(c, y));
  assert_false(cal_year_known(c, 2018));
  assert_false(cal_year_known(c, 2027));
  cal_free(c);
}

static void test_real_every_day_matches_oracle(void **state) {
  (void)state;
  Cal *c = load_real();
  for (int day = lib_day(2019, 1, 1); day <= lib_day(2026, 12, 31); day++) {
    const Row *r = oracle_row(day);
    if (cal_is_workday(c, day) != oracle_work(day)) {
      char s[11];
      cal_format(day, s);
      fail_msg("%s: cal says %d", s, cal_is_workday(c, day));
    }
    assert_string_equal(cal_name(c, day), r ? r->name : "");
  }
  /* cal_get() lists the rows in CSV order. */
  assert_int_equal(cal_count(c), nRows);
  for (int i = 0; i < nRows; i++) {
    int day;
    bool off;
    const char *name;
    assert_int_equal(cal_get(c, i, &day, &off, &name), 0);
    assert_int_equal(day, rows[i].day);
    assert_int_equal(off, rows[i].off);
    assert_string_equal(name, rows[i].name);
  }
  assert_int_equal(cal_get(c, nRows, NULL, NULL, NULL), -1);
  assert_int_equal(cal_get(c, -1, NULL, NULL, NULL), -1);
  cal_free(c);
}

static void test_add_workdays_hand(void **state) {
  (void)state;
  Cal *c = load_real();
  bool unk = true;
  /* 5 working days from Friday 2024-09-27: Sun 9-29 (调休), Mon 9-30,
  ** then 10-01..10-07 off, Tue 10-08, Wed 10-09, Thu 10-10. */
  assert_int_equal(cal_add_workdays(c, day_of("2024-09-27"), 5, &unk), day_of("2024-10-10"));
  assert_false(unk);
  bool u2;
  assert_int_equal(cal_add_workdays(c, day_of("2024-09-27"), 5, NULL),
                   oracle_add(day_of("2024-09-27"), 5, &u2));
  assert_int_equal(cal_add_workdays(c, day_of("2024-09-27"), 1, NULL), day_of("2024-09-29"));
  /* From 除夕 2024 (a working day), the next is the Sunday 2-18. */
  assert_int_equal(cal_add_workdays(c, day_of("2024-02-09"), 1, NULL), day_of("2024-02-18"));
  /* 2020: from Thursday 1-23, 10 working days end on 2-14 (1-24..2-02 off). */
  assert_int_equal(cal_add_workdays(c, day_of("2020-01-23"), 10, NULL), day_of("2020-02-14"));
  /* n == 0: the day itself, even a holiday. */
  assert_int_equal(cal_add_workdays(c, day_of("2024-10-01"), 0, &unk), day_of("2024-10-01"));
  assert_false(unk);
  /* The start day is not counted even when it is a working day. */
  assert_int_equal(cal_add_workdays(c, day_of("2024-03-04"), 1, NULL), day_of("2024-03-05"));
  /* Refusals. */
  assert_int_equal(cal_add_workdays(c, day_of("2024-03-04"), -1, NULL), CAL_NO_DAY);
  assert_int_equal(cal_add_workdays(c, CAL_DAY_MAX + 1, 1, NULL), CAL_NO_DAY);
  assert_int_equal(cal_add_workdays(c, CAL_DAY_MIN - 1, 0, NULL), CAL_NO_DAY);
  assert_int_equal(cal_add_workdays(c, CAL_DAY_MAX - 2, 10, &unk), CAL_NO_DAY);
  assert_int_equal(cal_weekday(CAL_DAY_MAX), 5); /* 9999-12-31 is a Friday */
  assert_int_equal(cal_add_workdays(c, CAL_DAY_MAX - 2, 2, NULL), CAL_DAY_MAX);
  assert_int_equal(cal_add_workdays(c, CAL_DAY_MAX - 2, 3, NULL), CAL_NO_DAY);
  assert_int_equal(cal_add_workdays(c, CAL_DAY_MIN, 1, NULL), CAL_DAY_MIN + 1); /* 0001-01-02 Tue */
  cal_free(c);
}

static void test_add_workdays_oracle(void **state) {
  (void)state;
  Cal *c = load_real();
  static const int ns[] = {0, 1, 2, 3, 5, 7, 10, 15, 20, 30, 60};
  for (int day = lib_day(2019, 1, 1); day <= lib_day(2026, 12, 31); day++) {
    for (size_t i = 0; i < XQ_COUNT(ns); i++) {
      bool want_unk, unk = !0;
      int want = oracle_add(day, ns[i], &want_unk);
      int got = cal_add_workdays(c, day, ns[i], &unk);
      if (got != want || unk != want_unk) {
        char a[11], b[11], w[11];
        cal_format(day, a), cal_format(got, b), cal_format(want, w);
        fail_msg("%s + %d: got %s (unknown %d), want %s (unknown %d)", a, ns[i], b, unk, w,
                 want_unk);
      }
      if (ns[i] > 0) {
        assert_true(oracle_work(got)); /* the result is always a working day */
        assert_int_equal(cal_workdays_between(c, day, got, NULL), ns[i]);
        assert_int_equal(cal_workdays_between(c, got, day, NULL), -ns[i]);
      }
    }
  }
  cal_free(c);
}

static void test_unknown_year(void **state) {
  (void)state;
  Cal *c = load_real();
  bool unk = false;
  assert_false(cal_year_known(c, 2031));
  /* 2031-01-01 is a Wednesday: without a schedule it counts as a working day. */
  assert_int_equal(cal_weekday(day_of("2031-01-01")), 3);
  assert_true(cal_is_workday(c, day_of("2031-01-01")));
  assert_int_equal(cal_add_workdays(c, day_of("2031-03-06"), 5, &unk), day_of("2031-03-13"));
  assert_true(unk);
  /* Walking out of the last known year into 2027. Monday 2026-12-28: +3 is
  ** Thursday 12-31 (known), +4 is Friday 2027-01-01 (assumed working). */
  assert_int_equal(cal_add_workdays(c, day_of("2026-12-28"), 3, &unk), day_of("2026-12-31"));
  assert_false(unk);
  assert_int_equal(cal_add_workdays(c, day_of("2026-12-28"), 4, &unk), day_of("2027-01-01"));
  assert_true(unk);
  /* Starting in an unknown year but walking only in known ones is fine. */
  assert_int_equal(cal_add_workdays(c, day_of("2018-12-31"), 1, &unk), day_of("2019-01-02"));
  assert_false(unk);
  (void)cal_workdays_between(c, day_of("2026-12-01"), day_of("2027-01-05"), &unk);
  assert_true(unk);
  (void)cal_workdays_between(c, day_of("2026-12-01"), day_of("2026-12-31"), &unk);
  assert_false(unk);
  /* Marking the year known removes the flag (its schedule: no special day). */
  assert_int_equal(cal_mark_year(c, 2031), 0);
  assert_true(cal_year_known(c, 2031));
  assert_int_equal(cal_add_workdays(c, day_of("2031-03-06"), 5, &unk), day_of("2031-03-13"));
  assert_false(unk);
  assert_int_equal(cal_mark_year(c, 0), -1);
  assert_int_equal(cal_mark_year(c, 10000), -1);
  assert_false(cal_year_known(c, 0));
  cal_free(c);
}

static void test_workdays_between(void **state) {
  (void)state;
  Cal *c = load_real();
  int a = day_of("2024-09-27");
  assert_int_equal(cal_workdays_between(c, a, a, NULL), 0);
  assert_int_equal(cal_workdays_between(c, a, day_of("2024-10-10"), NULL), 5);
  assert_int_equal(cal_workdays_between(c, day_of("2024-10-10"), a, NULL), -5);
  assert_int_equal(cal_workdays_between(c, a, day_of("2024-10-07"), NULL), 2); /* 9-29, 9-30 */
  /* Whole year 2024, counted by the oracle and by hand: 262 weekdays, 19 of
  ** them off, 8 weekend days worked. */
  int want = 0;
  for (int d = lib_day(2024, 1, 1); d <= lib_day(2024, 12, 31); d++) want += oracle_work(d);
  assert_int_equal(cal_workdays_between(c, lib_day(2023, 12, 31), lib_day(2024, 12, 31), NULL),
                   want);
  assert_int_equal(want, 251); /* 2024 had 251 working days */
  /* Clamped at the ends of the range, never overflowing. */
  assert_int_equal(cal_workdays_between(c, INT_MAX - 1, INT_MAX, NULL), 0);
  assert_true(cal_workdays_between(c, CAL_DAY_MAX - 7, INT_MAX, NULL) == 5);
  cal_free(c);
}

/* ---- cal_set ------------------------------------------------------------------ */

static void test_set(void **state) {
  (void)state;
  Cal *c = cal_new();
  int sat = day_of("2030-06-01"), mon = day_of("2030-06-03");
  assert_int_equal(cal_weekday(sat), 6);
  assert_false(cal_year_known(c, 2030));
  assert_false(cal_is_workday(c, sat));
  assert_true(cal_is_workday(c, mon));
  assert_int_equal(cal_set(c, sat, false, "测试调休"), 0);
  assert_true(cal_year_known(c, 2030));
  assert_true(cal_is_workday(c, sat));
  assert_string_equal(cal_name(c, sat), "测试调休");
  assert_int_equal(cal_set(c, mon, true, "测试"), 0);
  assert_false(cal_is_workday(c, mon));
  /* Replacing a day's record. */
  assert_int_equal(cal_set(c, sat, true, "测试"), 0);
  assert_false(cal_is_workday(c, sat));
  assert_string_equal(cal_name(c, sat), "测试");
  assert_int_equal(cal_count(c), 2);
  assert_int_equal(cal_set(c, mon, true, NULL), 0);
  assert_string_equal(cal_name(c, mon), "");
  /* Other days of the year keep the weekday rule. */
  assert_true(cal_is_workday(c, day_of("2030-06-04")));
  assert_false(cal_is_workday(c, day_of("2030-06-02")));
  assert_true(cal_is_workday(c, day_of("2030-12-31"))); /* Tuesday, last bit of the map */
  assert_true(cal_is_workday(c, day_of("2030-01-01")));
  /* A leap year's last day. */
  assert_int_equal(cal_set(c, day_of("2028-12-31"), false, "x"), 0); /* Sunday */
  assert_true(cal_is_workday(c, day_of("2028-12-31")));
  assert_false(cal_is_workday(c, day_of("2028-12-30")));
  /* Refusals change nothing. */
  char longname[CAL_NAME_MAX + 2];
  memset(longname, 'a', sizeof longname - 1);
  longname[sizeof longname - 1] = 0;
  assert_int_equal(cal_set(c, mon, false, longname), -1);
  longname[CAL_NAME_MAX] = 0; /* exactly CAL_NAME_MAX bytes is fine */
  assert_int_equal(cal_set(c, day_of("2030-06-08"), true, longname), 0);
  assert_int_equal(cal_set(c, mon, false, "a,b"), -1);
  assert_int_equal(cal_set(c, mon, false, "a\"b"), -1);
  assert_int_equal(cal_set(c, mon, false, "a\nb"), -1);
  assert_int_equal(cal_set(c, mon, false, "\xff"), -1);
  assert_int_equal(cal_set(c, mon, false, "\xe6\x98"), -1); /* truncated 春 */
  assert_int_equal(cal_set(c, CAL_DAY_MAX + 1, true, "x"), -1);
  assert_int_equal(cal_set(c, CAL_DAY_MIN - 1, true, "x"), -1);
  assert_false(cal_is_workday(c, mon));
  assert_int_equal(cal_count(c), 4);
  assert_int_equal(cal_set(c, CAL_DAY_MIN, true, "x"), 0);
  assert_true(cal_year_known(c, 1));
  cal_free(c);
  cal_free(NULL);
}

/* ---- CSV errors ---------------------------------------------------------------- */

static void test_csv_errors(void **state) {
  (void)state;
  static const struct {
    const char *text;
    int line;
    const char *field;
  } cases[] = {
      {"", 1, ""},
      {"\xEF\xBB\xBF", 1, ""},
      {"date,kind\n2024-02-10,off,春节\n", 1, ""},
      {"\ndate,kind,name\n", 1, ""},
      {"Date,Kind,Name\n", 1, ""},
      {"date,kind,name\n2024-02-10,off,春节\n2024-02-30,off,春节\n", 3, "date"},
      {"date,kind,name\n2023-02-29,off,春节\n", 2, "date"},
      {"date,kind,name\n2024-2-10,off,春节\n", 2, "date"},
      {"date,kind,name\n2024-02-10 ,off,春节\n", 2, "date"},
      {"date,kind,name\n2024-02-10,holiday,春节\n", 2, "kind"},
      {"date,kind,name\n2024-02-10,OFF,春节\n", 2, "kind"},
      {"date,kind,name\n2024-02-10,off\n", 2, ""},
      {"date,kind,name\n2024-02-10,off,春节,x\n", 2, ""},
      {"date,kind,name\n2024-02-10\n", 2, ""},
      {"date,kind,name\n2024-02-10,off,春节\n2024-02-10,off,春节\n", 3, "date"},
      {"date,kind,name\n2024-02-11,off,春节\n2024-02-10,off,春节\n", 3, "date"},
      {"date,kind,name\n2024-02-05,work,春节调休\n", 2, "kind"}, /* a Monday */
      {"date,kind,name\n2024-02-04,work,春节调休\n2024-02-09,work,春节调休\n", 3, "kind"}, /* Friday */
      {"date,kind,name\n2024-02-10,off,\n", 2, "name"},
      {"date,kind,name\n2024-02-10,off,\"春节\"\n", 2, ""},
      {"date,kind,name\n2024-02-10,off,\xff\xfe\n", 2, "name"},
      {"date,kind,name\n2024-02-10,off,a\tb\n", 2, "name"},
      {"date,kind,name\n\n2024-02-10,off,春节\n\nxx\n", 5, ""},
      {"date,kind,name\r\n2024-02-10,off,春节\r\n2024-02-11,off,春\r节\r\n", 3, "name"},
  };
  for (size_t i = 0; i < XQ_COUNT(cases); i++) {
    Cal *c = cal_new();
    Err e = {0};
    char zh[32], en[32];
    int r = cal_load_csv(c, cases[i].text, strlen(cases[i].text), &e);
    if (r != -1) fail_msg("case %zu loaded (%d)", i, r);
    assert_int_equal(e.kind, E_INVALID);
    assert_string_equal(e.code, "calendar.bad_csv");
    assert_string_equal(e.field, cases[i].field);
    snprintf(zh, sizeof zh, "第 %d 行", cases[i].line);
    snprintf(en, sizeof en, "line %d", cases[i].line);
    if (!strstr(e.message, zh) || !strstr(e.message_en, en))
      fail_msg("case %zu: want line %d, got \"%s\" / \"%s\"", i, cases[i].line, e.message,
               e.message_en);
    assert_true(utf8_valid(e.message, strlen(e.message)));
    /* All or nothing: the good lines before the bad one were not loaded. */
    assert_int_equal(cal_count(c), 0);
    assert_false(cal_year_known(c, 2024));
    cal_free(c);
  }
  /* A NULL Err is allowed. */
  Cal *c = cal_new();
  assert_int_equal(cal_load_csv(c, "nope", 4, NULL), -1);
  /* The value is quoted when it is short printable text. */
  Err e = {0};
  const char *t = "date,kind,name\n2024-02-10,holiday,春节\n";
  assert_int_equal(cal_load_csv(c, t, strlen(t), &e), -1);
  assert_non_null(strstr(e.message_en, "\"holiday\""));
  cal_free(c);
}

static void test_csv_good_variants(void **state) {
  (void)state;
  Cal *c = cal_new();
  Err e = {0};
  /* BOM, CRLF, blank lines, no final newline, exactly n bytes read. */
  const char *t = "\xEF\xBB\xBF" "date,kind,name\r\n2024-02-04,work,春节调休\r\n\r\n"
                  "2024-02-10,off,春节\r\n2024-02-11,off,春节GARBAGE";
  size_t n = strlen(t) - strlen("GARBAGE");
  assert_int_equal(cal_load_csv(c, t, n, &e), 3);
  assert_true(cal_is_workday(c, day_of("2024-02-04")));
  assert_false(cal_is_workday(c, day_of("2024-02-10")));
  assert_string_equal(cal_name(c, day_of("2024-02-11")), "春节");
  assert_true(cal_year_known(c, 2024));
  assert_false(cal_year_known(c, 2025));
  /* Header only: nothing loaded, no year known. */
  Cal *c2 = cal_new();
  assert_int_equal(cal_load_csv(c2, "date,kind,name\n", 15, &e), 0);
  assert_int_equal(cal_count(c2), 0);
  assert_false(cal_year_known(c2, 2024));
  cal_free(c2);
  /* A second load adds to the first (e.g. a correction replaces a day). */
  const char *t2 = "date,kind,name\n2024-02-11,work,改\n";
  assert_int_equal(cal_load_csv(c, t2, strlen(t2), &e), 1);
  assert_true(cal_is_workday(c, day_of("2024-02-11")));
  assert_int_equal(cal_count(c), 3);
  cal_free(c);
}

/* ---- Sessions and working time ------------------------------------------------------ */

static void test_sessions(void **state) {
  (void)state;
  Cal *c = cal_new();
  Err e = {0};
  assert_int_equal(cal_workday_ms(c), 7 * H);
  assert_int_equal(cal_set_sessions(c, "13:00-17:00, 08:30-12:00", &e), 0);
  assert_int_equal(cal_workday_ms(c), 7 * H + 30 * MIN);
  /* Sorted: 4 h of work from 08:30 Monday ends 12:00 + 0.5 h = 13:30. */
  assert_int_equal(cal_add_worktime(c, local_ms(2030, 6, 3, 8, 0), 4 * H),
                   local_ms(2030, 6, 3, 13, 30));
  assert_int_equal(cal_set_sessions(c, "00:00-24:00", &e), 0);
  assert_int_equal(cal_workday_ms(c), 24 * H);
  assert_int_equal(cal_set_sessions(c, "09:00-12:00,12:00-13:00", &e), 0); /* touching */
  assert_int_equal(cal_workday_ms(c), 4 * H);
  static const char *bad[] = {"",
                              " ",
                              "09:00-08:00",
                              "09:00-09:00",
                              "09:00-12:00,11:00-13:00",
                              "11:00-13:00,09:00-12:00",
                              "24:00-24:00",
                              "25:00-26:00",
                              "09:60-10:00",
                              "9:00-12:00",
                              "09:00-12:00,",
                              ",09:00-12:00",
                              "09:00-12:00;13:00-17:00",
                              "09:00-24:01",
                              "09:00 - 12:00",
                              "09:00-12:00x",
                              "01:00-02:00,02:00-03:00,03:00-04:00,04:00-05:00,05:00-06:00,"
                              "06:00-07:00,07:00-08:00,08:00-09:00,09:00-10:00",
                              NULL};
  for (size_t i = 0; i < XQ_COUNT(bad); i++) {
    err_clear(&e);
    if (cal_set_sessions(c, bad[i], &e) != -1) fail_msg("accepted sessions \"%s\"", bad[i]);
    assert_string_equal(e.code, "calendar.bad_sessions");
    assert_string_equal(e.field, "sessions");
    assert_int_equal(e.kind, E_INVALID);
    assert_int_equal(cal_workday_ms(c), 4 * H); /* unchanged */
  }
  assert_int_equal(cal_set_sessions(c, "01:00-02:00,02:00-03:00,03:00-04:00,04:00-05:00,"
                                       "05:00-06:00,06:00-07:00,07:00-08:00,08:00-09:00",
                                    NULL),
                   0); /* eight is the limit */
  assert_int_equal(cal_workday_ms(c), 8 * H);
  cal_free(c);
}

static void test_worktime_hand(void **state) {
  (void)state;
  Cal *c = load_real();
  /* Across lunch: Friday 2024-03-01 11:00 + 2 h = 1 h before noon, 1 h after 13:30. */
  assert_int_equal(cal_add_worktime(c, local_ms(2024, 3, 1, 11, 0), 2 * H),
                   local_ms(2024, 3, 1, 14, 30));
  /* Ending exactly at noon gives noon, not 13:30 (the earliest instant). */
  assert_int_equal(cal_add_worktime(c, local_ms(2024, 3, 1, 11, 0), 1 * H),
                   local_ms(2024, 3, 1, 12, 0));
  /* Started during lunch: counting begins at 13:30. */
  assert_int_equal(cal_add_worktime(c, local_ms(2024, 3, 1, 12, 30), 30 * MIN),
                   local_ms(2024, 3, 1, 14, 0));
  /* Across a weekend: Friday 17:00 + 1 h = 30 min Friday, 30 min Monday. */
  assert_int_equal(cal_add_worktime(c, local_ms(2024, 3, 1, 17, 0), 1 * H),
                   local_ms(2024, 3, 4, 9, 30));
  /* Across National Day 2024: Monday 9-30 17:00 + 1 h ends Tuesday 10-08 09:30. */
  assert_int_equal(cal_add_worktime(c, local_ms(2024, 9, 30, 17, 0), 1 * H),
                   local_ms(2024, 10, 8, 9, 30));
  /* Saturday 9-28 is off but Sunday 9-29 is a working day. */
  assert_int_equal(cal_add_worktime(c, local_ms(2024, 9, 28, 10, 0), 1 * H),
                   local_ms(2024, 9, 29, 10, 0));
  /* 0.5 working day (企业开办) from Monday 09:00: 3.5 h = 12:00, then 30 min. */
  assert_int_equal(cal_add_worktime(c, local_ms(2024, 3, 4, 9, 0), cal_workday_ms(c) / 2),
                   local_ms(2024, 3, 4, 14, 0));
  /* Several whole days: 3 working days from Thursday 08:00 = Monday 17:30. */
  assert_int_equal(cal_add_worktime(c, local_ms(2024, 3, 7, 8, 0), 3 * cal_workday_ms(c)),
                   local_ms(2024, 3, 11, 17, 30));
  /* No work: the start itself, wherever it is. */
  assert_int_equal(cal_add_worktime(c, local_ms(2024, 3, 2, 3, 0), 0), local_ms(2024, 3, 2, 3, 0));
  assert_int_equal(cal_add_worktime(c, 12345, -5), 12345);
  /* Never within the calendar. */
  assert_true(cal_add_worktime(c, local_ms(9999, 12, 31, 17, 0), 1 * H) == INT64_MAX);
  assert_true(cal_add_worktime(c, INT64_MAX - 1, 1) == INT64_MAX);
  /* An unknown year falls back to Monday-Friday: 2031-01-01 is a Wednesday. */
  assert_int_equal(cal_add_worktime(c, local_ms(2030, 12, 31, 17, 0), 1 * H),
                   local_ms(2031, 1, 1, 9, 30));

  /* Working time between instants. */
  assert_int_equal(cal_worktime_between(c, local_ms(2024, 3, 1, 9, 0), local_ms(2024, 3, 4, 9, 0),
                                        NULL, 0),
                   7 * H);
  assert_int_equal(cal_worktime_between(c, local_ms(2024, 3, 1, 11, 0),
                                        local_ms(2024, 3, 1, 14, 0), NULL, 0),
                   90 * MIN);
  assert_int_equal(cal_worktime_between(c, local_ms(2024, 3, 1, 14, 0),
                                        local_ms(2024, 3, 1, 11, 0), NULL, 0),
                   0);
  /* The whole 2024 National Day week: only the 调休 Sunday 9-29 and Monday 9-30. */
  assert_int_equal(cal_worktime_between(c, local_ms(2024, 9, 28, 0, 0),
                                        local_ms(2024, 10, 8, 0, 0), NULL, 0),
                   14 * H);
  /* A whole year: 251 working days in 2024. */
  assert_int_equal(cal_worktime_between(c, local_ms(2024, 1, 1, 0, 0), local_ms(2025, 1, 1, 0, 0),
                                        NULL, 0),
                   251 * 7 * H);
  cal_free(c);
}

static void test_worktime_pauses(void **state) {
  (void)state;
  Cal *c = load_real();
  int64_t a = local_ms(2024, 3, 4, 9, 0), b = local_ms(2024, 3, 6, 9, 0); /* Mon..Wed: 14 h */
  assert_int_equal(cal_worktime_between(c, a, b, NULL, 0), 14 * H);
  /* Overlapping pauses count once: their union is Mon 10:00-14:00, whose
  ** working part is 10:00-12:00 and 13:30-14:00 = 2.5 h. */
  CalPause p[] = {
      {local_ms(2024, 3, 4, 10, 0), local_ms(2024, 3, 4, 11, 0)},
      {local_ms(2024, 3, 4, 10, 30), local_ms(2024, 3, 4, 14, 0)},
      {local_ms(2024, 3, 4, 10, 45), local_ms(2024, 3, 4, 10, 50)}, /* inside both */
  };
  assert_int_equal(cal_worktime_between(c, a, b, p, 3), 14 * H - 150 * MIN);
  /* Order of the pauses does not matter. */
  CalPause q[] = {p[2], p[1], p[0]};
  assert_int_equal(cal_worktime_between(c, a, b, q, 3), 14 * H - 150 * MIN);
  /* A pause reaching outside [a, b) only removes what is inside. */
  CalPause r[] = {{local_ms(2024, 3, 1, 0, 0), local_ms(2024, 3, 4, 10, 0)}};
  assert_int_equal(cal_worktime_between(c, a, b, r, 1), 13 * H);
  /* Empty and reversed pauses are ignored; a pause on a weekend removes nothing. */
  CalPause s[] = {{local_ms(2024, 3, 4, 10, 0), local_ms(2024, 3, 4, 10, 0)},
                  {local_ms(2024, 3, 4, 11, 0), local_ms(2024, 3, 4, 10, 0)},
                  {local_ms(2024, 3, 2, 0, 0), local_ms(2024, 3, 4, 0, 0)}};
  assert_int_equal(cal_worktime_between(c, a, b, s, 3), 14 * H);
  /* Pauses that only touch do not double-count and leave no gap. */
  CalPause t[] = {{local_ms(2024, 3, 4, 9, 0), local_ms(2024, 3, 4, 10, 0)},
                  {local_ms(2024, 3, 4, 10, 0), local_ms(2024, 3, 4, 11, 0)}};
  assert_int_equal(cal_worktime_between(c, a, b, t, 2), 12 * H);
  /* A pause covering everything leaves nothing. */
  CalPause all[] = {{INT64_MIN, INT64_MAX}};
  assert_int_equal(cal_worktime_between(c, a, b, all, 1), 0);
  assert_int_equal(cal_worktime_between(c, a, b, p, 0), 14 * H);
  cal_free(c);
}

/* A small deterministic generator, so failures reproduce. */
static uint64_t rng_state = 0x9E3779B97F4A7C15ULL;
static uint64_t rnd(uint64_t n) {
  rng_state ^= rng_state << 13;
  rng_state ^= rng_state >> 7;
  rng_state ^= rng_state << 17;
  return rng_state % n;
}

/* Is the minute starting at instant t (a whole local minute) working time
** under the default sessions? Independent of cal.c. */
static bool oracle_minute(int64_t t) {
  int64_t local = t + 8 * H;
  int day = (int)(local / (24 * H)); /* instants here are after 1970 */
  int minute = (int)((local % (24 * H)) / MIN);
  if (!oracle_work(day)) return false;
  return (minute >= 9 * 60 && minute < 12 * 60) || (minute >= 13 * 60 + 30 && minute < 17 * 60 + 30);
}

static void test_worktime_oracle(void **state) {
  (void)state;
  Cal *c = load_real();
  int64_t base = local_ms(2019, 1, 1, 0, 0);
  int64_t span = local_ms(2026, 12, 20, 0, 0) - base;
  for (int trial = 0; trial < 300; trial++) {
    /* Minute-aligned interval of up to 12 days, with up to 4 pauses near it. */
    int64_t a = base + (int64_t)rnd((uint64_t)(span / MIN)) * MIN;
    int64_t b = a + (int64_t)rnd(12 * 24 * 60) * MIN;
    CalPause p[4];
    int np = (int)rnd(5);
    for (int i = 0; i < np; i++) {
      p[i].from_ms = a - 2 * 24 * H + (int64_t)rnd(16 * 24 * 60) * MIN;
      p[i].to_ms = p[i].from_ms + (int64_t)rnd(3 * 24 * 60) * MIN;
    }
    int64_t want = 0;
    for (int64_t t = a; t < b; t += MIN) {
      bool paused = false;
      for (int i = 0; i < np; i++)
        if (t >= p[i].from_ms && t < p[i].to_ms) paused = true;
      if (!paused && oracle_minute(t)) want += MIN;
    }
    assert_int_equal(cal_worktime_between(c, a, b, p, np), want);
  }
  for (int trial = 0; trial < 2000; trial++) {
    /* Any instant (to the ms), any amount up to 40 working hours. */
    int64_t start = base + (int64_t)rnd((uint64_t)span);
    int64_t w = (int64_t)rnd(40 * H);
    if (trial % 10 == 0) w = (int64_t)rnd(5) * cal_workday_ms(c); /* whole days */
    int64_t t = cal_add_worktime(c, start, w);
    assert_true(t >= start);
    assert_int_equal(cal_worktime_between(c, start, t, NULL, 0), w);
    if (w > 0) {
      /* The earliest such instant: one ms less is one ms short, and the
      ** last ms is itself working time. */
      assert_int_equal(cal_worktime_between(c, start, t - 1, NULL, 0), w - 1);
      assert_true(oracle_minute(t - 1 - ((t - 1 + 8 * H) % MIN)));
    }
  }
  cal_free(c);
}

/* ---- Threads --------------------------------------------------------------------------- */

typedef struct Job {
  const Cal *c;   /* shared calendar */
  int64_t sum;    /* checksum of the answers */
} Job;

static void *job_run(void *arg) {
  Job *j = arg;
  for (int day = lib_day(2019, 1, 1); day <= lib_day(2026, 12, 31); day++) {
    j->sum += cal_add_workdays(j->c, day, 10, NULL);
    j->sum += cal_is_workday(j->c, day);
    j->sum += (int64_t)strlen(cal_name(j->c, day));
    j->sum += cal_add_worktime(j->c, cal_day_start_ms(day) + 10 * H, 9 * H) % 1000003;
  }
  return NULL;
}

static void test_threads(void **state) {
  (void)state;
  Cal *c = load_real();
  Job solo = {c, 0}, jobs[4];
  pthread_t th[4];
  job_run(&solo);
  for (int i = 0; i < 4; i++) {
    jobs[i] = (Job){c, 0};
    assert_int_equal(pthread_create(&th[i], NULL, job_run, &jobs[i]), 0);
  }
  for (int i = 0; i < 4; i++) {
    pthread_join(th[i], NULL);
    assert_true(jobs[i].sum == solo.sum);
  }
  cal_free(c);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_dates_match_libc),
      cmocka_unit_test(test_from_ymd_edges),
      cmocka_unit_test(test_parse_date),
      cmocka_unit_test(test_format),
      cmocka_unit_test(test_day_of_ms),
      cmocka_unit_test(test_real_known_days),
      cmocka_unit_test(test_real_every_day_matches_oracle),
      cmocka_unit_test(test_add_workdays_hand),
      cmocka_unit_test(test_add_workdays_oracle),
      cmocka_unit_test(test_unknown_year),
      cmocka_unit_test(test_workdays_between),
      cmocka_unit_test(test_set),
      cmocka_unit_test(test_csv_errors),
      cmocka_unit_test(test_csv_good_variants),
      cmocka_unit_test(test_sessions),
      cmocka_unit_test(test_worktime_hand),
      cmocka_unit_test(test_worktime_pauses),
      cmocka_unit_test(test_worktime_oracle),
      cmocka_unit_test(test_threads),
  };
  return cmocka_run_group_tests(tests, setup_csv, teardown_csv);
}
