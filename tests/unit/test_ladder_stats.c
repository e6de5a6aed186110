/*
** test_ladder_stats.c — ladder_stats() (梯度统计) against the definitions
** of its figures written as SQL: random titles (few enterprises, so many
** titles share an enterprise and a rung; grants on the same day, renewals,
** revocations, open-ended validity) are written straight into a migrated
** SQLite database, and every year's figures of every rung — held at the
** year's end (one count per enterprise), granted, first grants, lapsed and
** revoked in the year — must equal what the queries below count.
*/
#include "unit.h"
#include "base/base.h"
#include "base/cal.h"
#include "domain/ladder.h"
#include "store/store.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The figures' definitions, per rung, for a year from ?1 (YYYY-01-01) to ?2 (YYYY-12-31). */
static const char *const ORACLE[] = {
    /* held: granted by the year's end, valid then, not revoked by then; one per enterprise */
    "SELECT rung, COUNT(DISTINCT entity_id) FROM ladder_title WHERE granted_on <= ?2 AND valid_until >= ?2"
    " AND (revoked_on = '' OR revoked_on > ?2) GROUP BY rung",
    "SELECT rung, COUNT(*) FROM ladder_title WHERE granted_on BETWEEN ?1 AND ?2 GROUP BY rung",
    /* first grants: no title of the rung for the enterprise granted before */
    "SELECT t.rung, COUNT(*) FROM ladder_title t WHERE t.granted_on BETWEEN ?1 AND ?2 AND NOT EXISTS"
    " (SELECT 1 FROM ladder_title p WHERE p.entity_id = t.entity_id AND p.rung = t.rung AND p.granted_on < t.granted_on)"
    " GROUP BY t.rung",
    /* lapsed: validity ended in the year, not revoked, no later title of the rung not revoked */
    "SELECT t.rung, COUNT(*) FROM ladder_title t WHERE t.valid_until BETWEEN ?1 AND ?2 AND t.revoked_on = ''"
    " AND NOT EXISTS (SELECT 1 FROM ladder_title n WHERE n.entity_id = t.entity_id AND n.rung = t.rung"
    " AND n.id <> t.id AND n.granted_on > t.granted_on AND n.revoked_on = '') GROUP BY t.rung",
    "SELECT rung, COUNT(*) FROM ladder_title WHERE revoked_on BETWEEN ?1 AND ?2 GROUP BY rung",
};
static const char *const FIELDS[] = {"held", "granted", "first", "lapsed", "revoked"};
static const char *const RUNGS[] = {"kjxzx", "gaoqi", "cxx", "zjtx", "xjr", "dxgj", "rdi"};

/* oracle() is the figure q of rung in year y by the SQL above. */
static long oracle(sqlite3 *db, int q, const char *rung, int y) {
  sqlite3_stmt *st;
  char from[16], to[16];
  long n = 0;
  snprintf(from, sizeof from, "%04d-01-01", y);
  snprintf(to, sizeof to, "%04d-12-31", y);
  assert_int_equal(sqlite3_prepare_v2(db, ORACLE[q], -1, &st, NULL), SQLITE_OK);
  sqlite3_bind_text(st, 1, from, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 2, to, -1, SQLITE_STATIC);
  while (sqlite3_step(st) == SQLITE_ROW)
    if (strcmp((const char *)sqlite3_column_text(st, 0), rung) == 0) n = sqlite3_column_int64(st, 1);
  sqlite3_finalize(st);
  return n;
}

/* day() writes the day d (>= 0) days after 2012-01-01 as YYYY-MM-DD. */
static void day(int d, char out[32]) {
  int d0;
  assert_int_equal(cal_from_ymd(2012, 1, 1, &d0), 0);
  cal_format(d0 + d, out);
}

static void test_figures_match_their_definitions(void **state) {
  (void)state;
  char dir[] = "/tmp/xq-ladder-stats-XXXXXX", url[128], path[96];
  Err e = {0};
  assert_non_null(mkdtemp(dir));
  snprintf(path, sizeof path, "%s/t.db", dir);
  snprintf(url, sizeof url, "sqlite:%s", path);
  Store *s = store_open(url, &e);
  assert_non_null(s);
  assert_int_equal(store_migrate(s, &e), 0);

  sqlite3 *db;
  assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
  sqlite3_busy_timeout(db, 5000);
  assert_int_equal(sqlite3_exec(db, "BEGIN", NULL, NULL, NULL), SQLITE_OK);
  sqlite3_stmt *ins;
  assert_int_equal(sqlite3_prepare_v2(db,
                                      "INSERT INTO ladder_title(entity_id, rung, cert_no, granted_on, valid_until, level,"
                                      " dept_id, revoked_on, created_at, created_by) VALUES (?,?,?,?,?,'city',1,?,0,0)",
                                      -1, &ins, NULL),
                   SQLITE_OK);
  srand(20261206);
  for (int i = 0; i < 3000; i++) {
    char cert[32], granted[32], until[32] = "9999-12-31", revoked[32] = "";
    int g = rand() % 5400; /* 2012 to the end of 2026 */
    static const int spans[] = {364, 365, 730, 1095, 1096};
    if (rand() % 20) day(g + (rand() % 3 ? spans[rand() % 5] : rand() % 2000), until);
    if (rand() % 4 == 0) day(g + rand() % 1500, revoked);
    day(g, granted);
    const char *rung = RUNGS[rand() % 7];
    int64_t entity = 1 + rand() % 60;
    for (int copy = 0; copy < (rand() % 10 == 0 ? 2 : 1); copy++) { /* sometimes two titles granted the same day */
      snprintf(cert, sizeof cert, "T%d-%d", i, copy);
      sqlite3_bind_int64(ins, 1, entity);
      sqlite3_bind_text(ins, 2, rung, -1, SQLITE_STATIC);
      sqlite3_bind_text(ins, 3, cert, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text(ins, 4, granted, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text(ins, 5, until, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text(ins, 6, copy ? "" : revoked, -1, SQLITE_TRANSIENT);
      assert_int_equal(sqlite3_step(ins), SQLITE_DONE);
      sqlite3_reset(ins);
    }
  }
  sqlite3_finalize(ins);
  assert_int_equal(sqlite3_exec(db, "COMMIT", NULL, NULL, NULL), SQLITE_OK);

  int checked = 0;
  for (int y = 2012; y <= 2026; y++) {
    json_t *st = ladder_stats(s, NULL, y, &e);
    assert_non_null(st);
    json_t *rungs = json_object_get(st, "rungs"), *series = json_object_get(st, "series");
    for (int r = 0; r < 7; r++) {
      json_t *fig = NULL;
      for (size_t k = 0; k < json_array_size(rungs); k++)
        if (strcmp(json_string_value(json_object_get(json_array_get(rungs, k), "rung")), RUNGS[r]) == 0)
          fig = json_array_get(rungs, k);
      for (int q = 0; q < 5; q++) {
        long want = oracle(db, q, RUNGS[r], y), got;
        if (r == 6) { /* 研发机构: held and granted only, beside the rungs */
          if (q > 1) continue;
          got = (long)json_integer_value(json_object_get(st, q == 0 ? "rd_institutions" : "rd_institutions_new"));
        } else {
          assert_non_null(fig);
          got = (long)json_integer_value(json_object_get(fig, FIELDS[q]));
        }
        if (got != want) fprintf(stderr, "%d %s %s: %ld, the definition counts %ld\n", y, RUNGS[r], FIELDS[q], got, want);
        assert_int_equal(got, want);
        checked += want > 0;
      }
    }
    /* the series: every year from 2017 (or from y, before it) up to y, held and granted */
    int y0 = y < 2017 ? y : 2017;
    assert_int_equal(json_array_size(series), (size_t)(y - y0 + 1));
    for (size_t k = 0; k < json_array_size(series); k++) {
      json_t *one = json_array_get(series, k);
      int sy = (int)json_integer_value(json_object_get(one, "year"));
      assert_int_equal(sy, y0 + (int)k);
      for (int r = 0; r < 6; r++) {
        json_t *fr = json_object_get(json_object_get(one, "rungs"), RUNGS[r]);
        assert_int_equal(json_integer_value(json_object_get(fr, "held")), oracle(db, 0, RUNGS[r], sy));
        assert_int_equal(json_integer_value(json_object_get(fr, "granted")), oracle(db, 1, RUNGS[r], sy));
      }
      assert_int_equal(json_integer_value(json_object_get(one, "rd_institutions")), oracle(db, 0, "rdi", sy));
    }
    json_decref(st);
  }
  assert_true(checked > 300); /* the data exercises the figures, not zeros */
  sqlite3_close(db);
  store_close(s);
  char cmd[160];
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  assert_int_equal(system(cmd), 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {cmocka_unit_test(test_figures_match_their_definitions)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
