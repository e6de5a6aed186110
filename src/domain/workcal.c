/*
** workcal.c — the working-day calendar in the database (see workcal.h).
*/
#include "workcal.h"
#include "audit.h"

#include <stdio.h>
#include <string.h>

const char *embedded_get(const char *name, size_t *n);

typedef struct ImportJob {
  const User *actor;  /* who imports (NULL: the system) */
  const Cal *cal;     /* the days to write */
  const char *source; /* named in calendar_year and the audit event */
  int years[64];      /* the years of cal to write */
  int nYear;
  bool missingOnly;   /* skip a year the database has by the time the job
                         runs (workcal_seed(): two processes seeding at
                         once write each year once) */
} ImportJob;

/* drop_present() removes from j->years each year calendar_year has.
** Returns 0, or -1 with *e. */
static int drop_present(Db *db, ImportJob *j, Err *e) {
  int kept = 0;
  for (int y = 0; y < j->nYear; y++) {
    Stmt *st = db_prepare(db, "SELECT 1 FROM calendar_year WHERE year = ?", e);
    if (!st) return -1;
    stmt_bind_int(st, 1, j->years[y]);
    int rc = stmt_step(st, e);
    stmt_done(st);
    if (rc < 0) return -1;
    if (rc == 0) j->years[kept++] = j->years[y];
  }
  j->nYear = kept;
  return 0;
}

static bool year_chosen(const ImportJob *j, int year) {
  for (int y = 0; y < j->nYear; y++)
    if (j->years[y] == year) return true;
  return false;
}

static int import_job(Db *db, void *arg, Err *e) {
  ImportJob *j = arg;
  if (j->missingOnly && drop_present(db, j, e)) return -1;
  if (j->nYear == 0) return 0;
  json_t *years = json_array();
  int rc = -1;
  for (int y = 0; y < j->nYear; y++) {
    char lo[11], hi[11];
    snprintf(lo, sizeof lo, "%04d-01-01", j->years[y]);
    snprintf(hi, sizeof hi, "%04d-12-31", j->years[y]);
    if (db_run(db, e, "DELETE FROM calendar_day WHERE day BETWEEN ? AND ?", "tt", lo, hi) < 0 ||
        db_run(db, e,
               "INSERT INTO calendar_year(year, source) VALUES (?, ?)"
               " ON CONFLICT (year) DO UPDATE SET source = excluded.source",
               "it", (int64_t)j->years[y], j->source) < 0)
      goto out;
    json_array_append_new(years, json_integer(j->years[y]));
  }
  for (int i = 0, n = cal_count(j->cal); i < n; i++) {
    int day;
    bool off;
    const char *name;
    char d[11];
    cal_get(j->cal, i, &day, &off, &name);
    if (!year_chosen(j, cal_year(day))) continue; /* a year the database keeps */
    cal_format(day, d);
    if (db_run(db, e, "INSERT INTO calendar_day(day, kind, name) VALUES (?,?,?)", "ttt", d,
               off ? "off" : "work", name) < 0)
      goto out;
  }
  json_t *d = json_pack("{s:s, s:O}", "source", j->source, "years", years);
  rc = audit_append(db, j->actor, "calendar.import", "calendar", d, e);
  json_decref(d);
out:
  json_decref(years);
  return rc;
}

/* import_cal() writes every year c knows, except those skip knows (when
** skip is not NULL: then also those the database has when the write runs);
** *years gets how many were chosen. */
static int import_cal(Store *s, const User *actor, Cal *c, const char *source,
                      const Cal *skip, int *years, Err *e) {
  ImportJob j = {actor, c, source, {0}, 0, skip != NULL};
  for (int y = 1949; y <= 2200; y++)
    if (cal_year_known(c, y) && !(skip && cal_year_known(skip, y))) {
      if (j.nYear == (int)XQ_COUNT(j.years))
        return err_set(e, E_INVALID, "calendar.too_many_years", NULL, "一次最多导入 64 年",
                       "At most 64 years at a time");
      j.years[j.nYear++] = y;
    }
  if (years) *years = j.nYear;
  if (j.nYear == 0) return 0;
  return store_write(s, import_job, &j, e);
}

int workcal_import(Store *s, const User *actor, const char *text, size_t n, const char *source,
                   int *years, Err *e) {
  Cal *c = cal_new();
  int rc = -1;
  if (cal_load_csv(c, text, n, e) >= 0) rc = import_cal(s, actor, c, source, NULL, years, e);
  cal_free(c);
  return rc;
}

Cal *workcal_embedded(void) {
  size_t n;
  const char *text = embedded_get("calendar/cn.csv", &n);
  Err e = {0};
  Cal *c = cal_new();
  if (!text || cal_load_csv(c, text, n, &e) < 0) panic("the compiled-in calendar does not load");
  return c;
}

int workcal_seed(Store *s, Err *e) {
  Cal *have = workcal_load(s, e);
  if (!have) return -1;
  Cal *c = workcal_embedded();
  int rc = import_cal(s, NULL, c, "data/calendar/cn.csv", have, NULL, e);
  cal_free(c);
  cal_free(have);
  return rc;
}

Cal *workcal_load(Store *s, Err *e) {
  Db *db = store_reader(s);
  Cal *c = cal_new();
  Stmt *st = db_prepare(db, "SELECT year FROM calendar_year", e);
  int rc;
  if (!st) goto fail;
  while ((rc = stmt_step(st, e)) == 1) cal_mark_year(c, (int)stmt_int(st, 0));
  stmt_done(st);
  if (rc < 0) goto fail;
  st = db_prepare(db, "SELECT day, kind, name FROM calendar_day ORDER BY day", e);
  if (!st) goto fail;
  while ((rc = stmt_step(st, e)) == 1) {
    int day;
    if (cal_parse_date(stmt_text(st, 0), &day) == 0)
      cal_set(c, day, strcmp(stmt_text(st, 1), "off") == 0, stmt_text(st, 2));
  }
  stmt_done(st);
  if (rc < 0) goto fail;
  return c;
fail:
  cal_free(c);
  return NULL;
}

json_t *workcal_year(Store *s, int year, Err *e) {
  Cal *c = workcal_load(s, e);
  if (!c) return NULL;
  json_t *days = json_array();
  int first, last;
  cal_from_ymd(year, 1, 1, &first);
  cal_from_ymd(year, 12, 31, &last);
  for (int d = first; d <= last; d++) {
    char ds[11];
    cal_format(d, ds);
    json_array_append_new(days, json_pack("{s:s, s:b, s:s}", "date", ds, "workday",
                                          cal_is_workday(c, d), "name", cal_name(c, d)));
  }
  json_t *out = json_pack("{s:i, s:b, s:o}", "year", year, "known", cal_year_known(c, year), "days", days);
  cal_free(c);
  return out;
}
