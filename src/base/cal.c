/*
** cal.c — the working-day calendar of China (see cal.h).
**
** Representation. Every known year has a CalYear holding a 366-bit map of
** its working days, so cal_is_workday() is a binary search over the (few)
** years and a bit test; walks over many days (cal_add_workdays,
** cal_add_worktime) keep a Cursor on the stack that re-finds the year only
** when the walk crosses into another one. The special days themselves are
** kept in a sorted array (for their names and for cal_get()), their names
** interned once each. Nothing is cached at query time: a built Cal is only
** read, so concurrent queries need no lock.
*/
#include "cal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One known year. */
typedef struct CalYear {
  int year;         /* the year, 1..9999 */
  int first;        /* day number of its 1 January */
  int nDays;        /* 365 or 366 */
  uint64_t work[6]; /* bit i set when day first+i is a working day */
} CalYear;

/* One special day. */
typedef struct CalDay {
  int day;  /* the day number */
  bool off; /* true: a day off; false: an adjusted working day */
  int name; /* index into Cal.aName */
} CalDay;

struct Cal {
  CalYear *aYear;  /* known years, ascending by year */
  int nYear;       /* entries used in aYear */
  int capYear;     /* entries allocated in aYear */
  CalDay *aDay;    /* special days, ascending by day, no day twice */
  int nDay;        /* entries used in aDay */
  int capDay;      /* entries allocated in aDay */
  char **aName;    /* distinct names of special days, each malloc'ed */
  int nName;       /* entries used in aName */
  int capName;     /* entries allocated in aName */
  CalSession aSess[CAL_MAX_SESSIONS]; /* working hours, sorted, disjoint */
  int nSess;       /* sessions used, >= 1 */
  int64_t dayMs;   /* total length of the sessions */
};

/* Instants the time functions work within: local midnight of 0001-01-01
** up to local midnight after 9999-12-31. */
#define MS_MIN ((int64_t)CAL_DAY_MIN * CAL_MS_PER_DAY - CAL_UTC_OFFSET_MS)
#define MS_MAX ((int64_t)(CAL_DAY_MAX + 1) * CAL_MS_PER_DAY - CAL_UTC_OFFSET_MS)

/* ---- Civil dates (H. Hinnant's days_from_civil / civil_from_days) ------ */

static int64_t days_from_civil(int64_t y, int m, int d) {
  y -= m <= 2;
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  int64_t yoe = y - era * 400;                                /* 0..399 */
  int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1; /* 0..365 */
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;        /* 0..146096 */
  return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int *py, int *pm, int *pd) {
  z += 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  int d = (int)(doy - (153 * mp + 2) / 5 + 1);
  int m = (int)(mp < 10 ? mp + 3 : mp - 9);
  if (py) *py = (int)(yoe + era * 400 + (m <= 2));
  if (pm) *pm = m;
  if (pd) *pd = d;
}

static bool leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static int month_days(int y, int m) {
  static const int n[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && leap(y) ? 29 : n[m - 1];
}

int cal_from_ymd(int y, int m, int d, int *day) {
  if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1 || d > month_days(y, m)) return -1;
  *day = (int)days_from_civil(y, m, d);
  return 0;
}

void cal_to_ymd(int day, int *y, int *m, int *d) { civil_from_days(day, y, m, d); }

int cal_year(int day) {
  int y;
  civil_from_days(day, &y, NULL, NULL);
  return y;
}

int cal_weekday(int day) {
  /* 1970-01-01 (day 0) was a Thursday. */
  return (int)((((int64_t)day % 7) + 7 + 3) % 7) + 1;
}

/* Parses exactly n bytes s[0..n) as YYYY-MM-DD. */
static int parse_date_n(const char *s, size_t n, int *day) {
  int v[3] = {0, 0, 0};
  static const int width[3] = {4, 2, 2};
  size_t i = 0;
  if (n != 10) return -1;
  for (int f = 0; f < 3; f++) {
    if (f > 0 && s[i++] != '-') return -1;
    for (int k = 0; k < width[f]; k++, i++) {
      if (s[i] < '0' || s[i] > '9') return -1;
      v[f] = v[f] * 10 + (s[i] - '0');
    }
  }
  return cal_from_ymd(v[0], v[1], v[2], day);
}

int cal_parse_date(const char *s, int *day) {
  if (!s) return -1;
  return parse_date_n(s, strnlen(s, 11), day);
}

static void put_digits(char *p, int v, int width) {
  for (int i = width - 1; i >= 0; i--) {
    p[i] = (char)('0' + v % 10);
    v /= 10;
  }
}

void cal_format(int day, char out[11]) {
  int y = 0, m = 0, d = 0;
  if (day >= CAL_DAY_MIN && day <= CAL_DAY_MAX) civil_from_days(day, &y, &m, &d);
  put_digits(out, y, 4);
  out[4] = '-';
  put_digits(out + 5, m, 2);
  out[7] = '-';
  put_digits(out + 8, d, 2);
  out[10] = 0;
}

/* floor(a / b) for b > 0. */
static int64_t floor_div(int64_t a, int64_t b) {
  int64_t q = a / b;
  return (a % b != 0 && a < 0) ? q - 1 : q;
}

static int64_t clamp_ms(int64_t ms) { return ms < MS_MIN ? MS_MIN : ms > MS_MAX ? MS_MAX : ms; }

int cal_day_of_ms(int64_t ms) {
  return (int)floor_div(clamp_ms(ms) + CAL_UTC_OFFSET_MS, CAL_MS_PER_DAY);
}

int64_t cal_day_start_ms(int day) {
  return (int64_t)day * CAL_MS_PER_DAY - CAL_UTC_OFFSET_MS;
}

/* ---- Years, special days, names ----------------------------------------- */

/* Index of year in c->aYear, or -(insertion point) - 1 when absent. */
static int year_index(const Cal *c, int year) {
  int lo = 0, hi = c->nYear - 1;
  while (lo <= hi) {
    int mid = lo + (hi - lo) / 2;
    if (c->aYear[mid].year == year) return mid;
    if (c->aYear[mid].year < year) lo = mid + 1;
    else hi = mid - 1;
  }
  return -lo - 1;
}

static const CalYear *find_year(const Cal *c, int year) {
  int i = year_index(c, year);
  return i >= 0 ? &c->aYear[i] : NULL;
}

static bool bit(const uint64_t *map, int i) { return (map[i >> 6] >> (i & 63)) & 1; }

static void set_bit(uint64_t *map, int i, bool on) {
  if (on) map[i >> 6] |= (uint64_t)1 << (i & 63);
  else map[i >> 6] &= ~((uint64_t)1 << (i & 63));
}

/* Returns the CalYear of year (1..9999), adding it with the Monday-to-Friday
** rule and no special day when it is not there yet. */
static CalYear *ensure_year(Cal *c, int year) {
  int i = year_index(c, year);
  if (i >= 0) return &c->aYear[i];
  i = -i - 1;
  if (c->nYear == c->capYear) {
    c->capYear = c->capYear ? c->capYear * 2 : 16;
    c->aYear = xrealloc(c->aYear, (size_t)c->capYear * sizeof *c->aYear);
  }
  memmove(&c->aYear[i + 1], &c->aYear[i], (size_t)(c->nYear - i) * sizeof *c->aYear);
  c->nYear++;
  CalYear *y = &c->aYear[i];
  memset(y, 0, sizeof *y);
  y->year = year;
  y->first = (int)days_from_civil(year, 1, 1);
  y->nDays = leap(year) ? 366 : 365;
  for (int k = 0; k < y->nDays; k++) set_bit(y->work, k, cal_weekday(y->first + k) <= 5);
  return y;
}

/* Index of day in c->aDay, or -(insertion point) - 1 when absent. */
static int day_index(const Cal *c, int day) {
  int lo = 0, hi = c->nDay - 1;
  while (lo <= hi) {
    int mid = lo + (hi - lo) / 2;
    if (c->aDay[mid].day == day) return mid;
    if (c->aDay[mid].day < day) lo = mid + 1;
    else hi = mid - 1;
  }
  return -lo - 1;
}

/* true when s[0..n) may be a special day's name: at most CAL_NAME_MAX bytes
** of valid UTF-8 without control characters, commas or double quotes (so it
** can be written back to the CSV format unquoted). */
static bool name_ok(const char *s, size_t n) {
  if (n > CAL_NAME_MAX || !utf8_valid(s, n)) return false;
  for (size_t i = 0; i < n; i++) {
    unsigned char ch = (unsigned char)s[i];
    if (ch < 0x20 || ch == 0x7f || ch == ',' || ch == '"') return false;
  }
  return true;
}

static int intern_name(Cal *c, const char *s, size_t n) {
  for (int i = 0; i < c->nName; i++)
    if (strlen(c->aName[i]) == n && memcmp(c->aName[i], s, n) == 0) return i;
  if (c->nName == c->capName) {
    c->capName = c->capName ? c->capName * 2 : 16;
    c->aName = xrealloc(c->aName, (size_t)c->capName * sizeof *c->aName);
  }
  c->aName[c->nName] = xstrndup(s, n);
  return c->nName++;
}

/* cal_set() with a name given by length; the name has been checked. */
static void set_day(Cal *c, int day, bool off, const char *name, size_t nName) {
  CalYear *y = ensure_year(c, cal_year(day));
  int nm = intern_name(c, name, nName);
  int i = day_index(c, day);
  if (i < 0) {
    i = -i - 1;
    if (c->nDay == c->capDay) {
      c->capDay = c->capDay ? c->capDay * 2 : 256;
      c->aDay = xrealloc(c->aDay, (size_t)c->capDay * sizeof *c->aDay);
    }
    memmove(&c->aDay[i + 1], &c->aDay[i], (size_t)(c->nDay - i) * sizeof *c->aDay);
    c->nDay++;
  }
  c->aDay[i] = (CalDay){.day = day, .off = off, .name = nm};
  set_bit(y->work, day - y->first, !off);
}

int cal_set(Cal *c, int day, bool off, const char *name) {
  if (!name) name = "";
  size_t n = strnlen(name, CAL_NAME_MAX + 1);
  if (day < CAL_DAY_MIN || day > CAL_DAY_MAX || !name_ok(name, n)) return -1;
  set_day(c, day, off, name, n);
  return 0;
}

int cal_mark_year(Cal *c, int year) {
  if (year < 1 || year > 9999) return -1;
  ensure_year(c, year);
  return 0;
}

bool cal_year_known(const Cal *c, int year) { return find_year(c, year) != NULL; }

bool cal_is_workday(const Cal *c, int day) {
  const CalYear *y = find_year(c, cal_year(day));
  if (!y) return cal_weekday(day) <= 5;
  return bit(y->work, day - y->first);
}

const char *cal_name(const Cal *c, int day) {
  int i = day_index(c, day);
  return i >= 0 ? c->aName[c->aDay[i].name] : "";
}

int cal_count(const Cal *c) { return c->nDay; }

int cal_get(const Cal *c, int i, int *day, bool *off, const char **name) {
  if (i < 0 || i >= c->nDay) return -1;
  if (day) *day = c->aDay[i].day;
  if (off) *off = c->aDay[i].off;
  if (name) *name = c->aName[c->aDay[i].name];
  return 0;
}

/* ---- Construction -------------------------------------------------------- */

static const CalSession default_sessions[] = {
    {9 * 3600000, 12 * 3600000},
    {13 * 3600000 + 30 * 60000, 17 * 3600000 + 30 * 60000},
};

static void use_sessions(Cal *c, const CalSession *a, int n) {
  memcpy(c->aSess, a, (size_t)n * sizeof *a);
  c->nSess = n;
  c->dayMs = 0;
  for (int i = 0; i < n; i++) c->dayMs += a[i].end_ms - a[i].start_ms;
}

Cal *cal_new(void) {
  Cal *c = xcalloc(1, sizeof *c);
  use_sessions(c, default_sessions, (int)XQ_COUNT(default_sessions));
  return c;
}

void cal_free(Cal *c) {
  if (!c) return;
  for (int i = 0; i < c->nName; i++) free(c->aName[i]);
  free(c->aName);
  free(c->aDay);
  free(c->aYear);
  free(c);
}

/* ---- CSV ------------------------------------------------------------------ */

/* One parsed CSV row, pointing into the text. */
typedef struct CsvRow {
  int day;          /* its date */
  bool off;         /* kind off (true) or work (false) */
  const char *name; /* its name, not NUL-terminated */
  size_t nName;     /* bytes in name */
} CsvRow;

/* Fills e for a bad line and returns -1. value, when not NULL, is the
** offending field, quoted in the message if it is short printable ASCII. */
static int csv_fail(Err *e, int line, const char *field, const char *zh, const char *en,
                    const char *value, size_t nValue) {
  char shown[48] = "";
  char mzh[sizeof e->message], men[sizeof e->message_en];
  if (!e) return -1;
  if (value && nValue > 0 && nValue <= 20) {
    bool printable = true;
    for (size_t i = 0; i < nValue; i++)
      if (value[i] < 0x20 || value[i] > 0x7e) printable = false;
    if (printable) snprintf(shown, sizeof shown, " \"%.*s\"", (int)nValue, value);
  }
  snprintf(mzh, sizeof mzh, "日历文件第 %d 行有误%s：%s", line, shown, zh);
  snprintf(men, sizeof men, "calendar file line %d%s: %s", line, shown, en);
  return err_set(e, E_INVALID, "calendar.bad_csv", field, mzh, men);
}

static bool field_is(const char *s, size_t n, const char *lit) {
  return strlen(lit) == n && memcmp(s, lit, n) == 0;
}

int cal_load_csv(Cal *c, const char *text, size_t n, Err *e) {
  CsvRow *aRow = NULL;
  int nRow = 0, capRow = 0, rc = -1, line = 0, prev = 0;
  size_t pos = 0;

  if (n >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) pos = 3;
  while (pos < n) {
    const char *s = text + pos;
    const char *nl = memchr(s, '\n', n - pos);
    size_t len = nl ? (size_t)(nl - s) : n - pos;
    pos += len + (nl ? 1 : 0);
    line++;
    if (len > 0 && s[len - 1] == '\r') len--;
    if (line == 1) {
      if (!field_is(s, len, "date,kind,name")) {
        rc = csv_fail(e, 1, NULL, "首行应为 date,kind,name",
                      "the first line must be date,kind,name", NULL, 0);
        goto out;
      }
      continue;
    }
    if (len == 0) continue;

    /* Split into exactly three fields. */
    const char *f[3];
    size_t fn[3];
    int nf = 0;
    size_t start = 0;
    for (size_t i = 0; i <= len; i++) {
      if (i < len && s[i] == '"') {
        rc = csv_fail(e, line, NULL, "不支持带引号的字段", "quoted fields are not supported",
                      NULL, 0);
        goto out;
      }
      if (i == len || s[i] == ',') {
        if (nf < 3) {
          f[nf] = s + start;
          fn[nf] = i - start;
        }
        nf++;
        start = i + 1;
      }
    }
    if (nf != 3) {
      rc = csv_fail(e, line, NULL, "应有 3 列：日期,类别,名称",
                    "expected 3 fields: date,kind,name", NULL, 0);
      goto out;
    }

    CsvRow r = {0};
    if (parse_date_n(f[0], fn[0], &r.day) != 0) {
      rc = csv_fail(e, line, "date", "日期须为真实存在的 YYYY-MM-DD 日期",
                    "the date must be a real date written YYYY-MM-DD", f[0], fn[0]);
      goto out;
    }
    if (nRow > 0 && r.day <= prev) {
      rc = csv_fail(e, line, "date", "日期须严格递增（不得重复，不得早于上一行）",
                    "dates must be strictly ascending (no repeats, none before the line above)",
                    f[0], fn[0]);
      goto out;
    }
    if (field_is(f[1], fn[1], "off")) {
      r.off = true;
    } else if (field_is(f[1], fn[1], "work")) {
      r.off = false;
    } else {
      rc = csv_fail(e, line, "kind", "类别须为 off（放假）或 work（调休上班）",
                    "the kind must be off (day off) or work (adjusted working day)", f[1], fn[1]);
      goto out;
    }
    if (!r.off && cal_weekday(r.day) <= 5) {
      rc = csv_fail(e, line, "kind", "调休上班日（work）须为周六或周日",
                    "an adjusted working day (work) must be a Saturday or Sunday", f[0], fn[0]);
      goto out;
    }
    if (fn[2] == 0) {
      rc = csv_fail(e, line, "name", "名称不能为空", "the name must not be empty", NULL, 0);
      goto out;
    }
    if (!name_ok(f[2], fn[2])) {
      rc = csv_fail(e, line, "name", "名称过长，或不是有效的 UTF-8，或含有控制字符、逗号、引号",
                    "the name is too long, not valid UTF-8, or contains a control character, "
                    "comma or quote",
                    NULL, 0);
      goto out;
    }
    r.name = f[2];
    r.nName = fn[2];
    if (nRow == capRow) {
      capRow = capRow ? capRow * 2 : 512;
      aRow = xrealloc(aRow, (size_t)capRow * sizeof *aRow);
    }
    aRow[nRow++] = r;
    prev = r.day;
  }
  if (line == 0) {
    rc = csv_fail(e, 1, NULL, "文件为空，缺少首行 date,kind,name",
                  "the file is empty: the header line date,kind,name is missing", NULL, 0);
    goto out;
  }

  for (int i = 0; i < nRow; i++) set_day(c, aRow[i].day, aRow[i].off, aRow[i].name, aRow[i].nName);
  rc = nRow;

out:
  free(aRow);
  return rc;
}

/* ---- Sessions ------------------------------------------------------------- */

/* Parses "HH:MM" at *p into minutes, allowing 24:00 only when allow24. */
static int parse_hhmm(const char **p, bool allow24, int *min) {
  const char *s = *p;
  for (int i = 0; i < 5; i++) {
    if (i == 2 ? s[i] != ':' : (s[i] < '0' || s[i] > '9')) return -1;
  }
  int h = (s[0] - '0') * 10 + (s[1] - '0');
  int m = (s[3] - '0') * 10 + (s[4] - '0');
  if (m > 59 || h > 24 || (h == 24 && (!allow24 || m != 0))) return -1;
  *min = h * 60 + m;
  *p = s + 5;
  return 0;
}

static int cmp_session(const void *a, const void *b) {
  const CalSession *x = a, *y = b;
  return (x->start_ms > y->start_ms) - (x->start_ms < y->start_ms);
}

static int sessions_fail(Err *e, const char *zh, const char *en) {
  char mzh[sizeof e->message], men[sizeof e->message_en];
  if (!e) return -1;
  snprintf(mzh, sizeof mzh, "工作时段有误：%s（格式如 09:00-12:00,13:30-17:30）", zh);
  snprintf(men, sizeof men, "bad working hours: %s (write e.g. 09:00-12:00,13:30-17:30)", en);
  return err_set(e, E_INVALID, "calendar.bad_sessions", "sessions", mzh, men);
}

int cal_set_sessions(Cal *c, const char *spec, Err *e) {
  CalSession a[CAL_MAX_SESSIONS];
  int n = 0;
  const char *p = spec ? spec : "";

  for (;;) {
    int s, t;
    while (*p == ' ') p++;
    if (*p == 0 && n == 0) return sessions_fail(e, "没有任何时段", "no session given");
    if (n == CAL_MAX_SESSIONS)
      return sessions_fail(e, "时段过多（最多 8 个）", "too many sessions (at most 8)");
    if (parse_hhmm(&p, false, &s) != 0 || *p++ != '-' || parse_hhmm(&p, true, &t) != 0)
      return sessions_fail(e, "每个时段须写作 HH:MM-HH:MM，时间在 00:00 至 24:00 之间",
                           "each session must be HH:MM-HH:MM between 00:00 and 24:00");
    if (s >= t) return sessions_fail(e, "时段的开始须早于结束", "a session must start before it ends");
    a[n++] = (CalSession){s * 60000, t * 60000};
    while (*p == ' ') p++;
    if (*p == 0) break;
    if (*p++ != ',')
      return sessions_fail(e, "时段之间须以逗号分隔", "sessions must be separated by commas");
  }
  qsort(a, (size_t)n, sizeof a[0], cmp_session);
  for (int i = 1; i < n; i++)
    if (a[i].start_ms < a[i - 1].end_ms)
      return sessions_fail(e, "时段相互重叠", "sessions overlap");
  use_sessions(c, a, n);
  return 0;
}

int64_t cal_workday_ms(const Cal *c) { return c->dayMs; }

/* ---- Walking over days ------------------------------------------------------ */

/* A position in a walk over days: the year the last day looked at fell in.
** Lives on the caller's stack, so queries share no mutable state. */
typedef struct Cursor {
  const Cal *c;      /* the calendar walked */
  int first, last;   /* day numbers of the cursor year's first and last day */
  const CalYear *y;  /* that year's schedule, NULL when it is not known */
} Cursor;

static void cursor_init(Cursor *k, const Cal *c) {
  k->c = c;
  k->first = 1;
  k->last = 0; /* empty: the first lookup positions the cursor */
  k->y = NULL;
}

/* true when day is a working day; sets *unknown (if not NULL) when day's
** year is not known. */
static bool cursor_work(Cursor *k, int day, bool *unknown) {
  if (day < k->first || day > k->last) {
    int year = cal_year(day);
    k->first = (int)days_from_civil(year, 1, 1);
    k->last = (int)days_from_civil(year + 1, 1, 1) - 1;
    k->y = year >= 1 && year <= 9999 ? find_year(k->c, year) : NULL;
  }
  if (!k->y) {
    if (unknown) *unknown = true;
    return cal_weekday(day) <= 5;
  }
  return bit(k->y->work, day - k->first);
}

int cal_add_workdays(const Cal *c, int day, int n, bool *unknown) {
  Cursor k;
  bool unk = false;
  int d = day;
  if (n < 0 || day < CAL_DAY_MIN || day > CAL_DAY_MAX) {
    d = CAL_NO_DAY;
    goto out;
  }
  cursor_init(&k, c);
  while (n > 0) {
    if (d == CAL_DAY_MAX) {
      d = CAL_NO_DAY;
      goto out;
    }
    d++;
    if (cursor_work(&k, d, &unk)) n--;
  }
out:
  if (unknown) *unknown = unk;
  return d;
}

int cal_workdays_between(const Cal *c, int from, int to, bool *unknown) {
  Cursor k;
  bool unk = false;
  int sign = 1, count = 0;
  if (to < from) {
    int t = from;
    from = to;
    to = t;
    sign = -1;
  }
  if (from < CAL_DAY_MIN - 1) from = CAL_DAY_MIN - 1;
  if (to > CAL_DAY_MAX) to = CAL_DAY_MAX;
  cursor_init(&k, c);
  for (int d = from + 1; d <= to; d++)
    if (cursor_work(&k, d, &unk)) count++;
  if (unknown) *unknown = unk;
  return sign * count;
}

/* ---- Working time ------------------------------------------------------------ */

int64_t cal_add_worktime(const Cal *c, int64_t start_ms, int64_t work_ms) {
  Cursor k;
  if (work_ms <= 0) return start_ms;
  if (start_ms >= MS_MAX) return INT64_MAX;
  int64_t t = clamp_ms(start_ms);
  cursor_init(&k, c);
  for (int day = cal_day_of_ms(t); day <= CAL_DAY_MAX; day++) {
    if (!cursor_work(&k, day, NULL)) continue;
    int64_t base = cal_day_start_ms(day);
    if (t <= base + c->aSess[0].start_ms && work_ms > c->dayMs) {
      work_ms -= c->dayMs; /* the whole day is used */
      continue;
    }
    for (int i = 0; i < c->nSess; i++) {
      int64_t s0 = base + c->aSess[i].start_ms, s1 = base + c->aSess[i].end_ms;
      if (t >= s1) continue;
      int64_t from = t > s0 ? t : s0;
      if (work_ms <= s1 - from) return from + work_ms;
      work_ms -= s1 - from;
    }
  }
  return INT64_MAX;
}

/* Working time in [a, b), both within MS_MIN..MS_MAX, ignoring pauses. */
static int64_t worktime(const Cal *c, int64_t a, int64_t b) {
  Cursor k;
  int64_t sum = 0;
  if (a >= b) return 0;
  int d0 = cal_day_of_ms(a), d1 = cal_day_of_ms(b);
  if (d1 > CAL_DAY_MAX) d1 = CAL_DAY_MAX;
  cursor_init(&k, c);
  for (int d = d0; d <= d1; d++) {
    if (!cursor_work(&k, d, NULL)) continue;
    if (d > d0 && d < d1) {
      sum += c->dayMs;
      continue;
    }
    int64_t base = cal_day_start_ms(d);
    for (int i = 0; i < c->nSess; i++) {
      int64_t lo = base + c->aSess[i].start_ms, hi = base + c->aSess[i].end_ms;
      if (lo < a) lo = a;
      if (hi > b) hi = b;
      if (hi > lo) sum += hi - lo;
    }
  }
  return sum;
}

static int cmp_pause(const void *a, const void *b) {
  const CalPause *x = a, *y = b;
  return (x->from_ms > y->from_ms) - (x->from_ms < y->from_ms);
}

int64_t cal_worktime_between(const Cal *c, int64_t a_ms, int64_t b_ms,
                             const CalPause *pauses, int nPause) {
  CalPause *tmp = NULL;
  int64_t total;
  int n = 0;
  a_ms = clamp_ms(a_ms);
  b_ms = clamp_ms(b_ms);
  total = worktime(c, a_ms, b_ms);
  if (total == 0 || !pauses || nPause <= 0) goto out;

  /* Clip the pauses to [a, b), drop the empty ones, and remove the working
  ** time of their union: sorted by start, overlapping ones merge. */
  tmp = xmalloc((size_t)nPause * sizeof *tmp);
  for (int i = 0; i < nPause; i++) {
    int64_t lo = pauses[i].from_ms > a_ms ? pauses[i].from_ms : a_ms;
    int64_t hi = pauses[i].to_ms < b_ms ? pauses[i].to_ms : b_ms;
    if (hi > lo) tmp[n++] = (CalPause){lo, hi};
  }
  if (n == 0) goto out;
  qsort(tmp, (size_t)n, sizeof *tmp, cmp_pause);
  CalPause cur = tmp[0];
  for (int i = 1; i < n; i++) {
    if (tmp[i].from_ms <= cur.to_ms) {
      if (tmp[i].to_ms > cur.to_ms) cur.to_ms = tmp[i].to_ms;
    } else {
      total -= worktime(c, cur.from_ms, cur.to_ms);
      cur = tmp[i];
    }
  }
  total -= worktime(c, cur.from_ms, cur.to_ms);

out:
  free(tmp);
  return total;
}
