/* test_talent_catalogue.c — the 紧缺人才需求目录 on a real SQLite store:
** the demo edition's exact counts (and loading it twice writes nothing),
** editions found by their years however the dash is written, the levels an
** edition copies from the parameter in force on its publishing day, and the
** system-level refusals. */
#include "unit.h"
#include "domain/accounts.h"
#include "domain/params.h"
#include "domain/talent_catalogue.h"
#include "store/store.h"

#include <stdio.h>
#include <unistd.h>

const char *embedded_get(const char *name, size_t *n);

typedef struct Fix {
  char dir[64];
  Store *s;
} Fix;

static int setup(void **state) {
  Fix *f = xcalloc(1, sizeof *f);
  Err e = {0};
  char url[128];
  size_t n;
  snprintf(f->dir, sizeof f->dir, "/tmp/xq-talentcat-XXXXXX");
  if (!mkdtemp(f->dir)) return -1;
  snprintf(url, sizeof url, "sqlite:%s/t.db", f->dir);
  f->s = store_open(url, &e);
  if (!f->s || store_migrate(f->s, &e)) return -1;
  const char *depts = embedded_get("jinpu/departments.csv", &n);
  if (accounts_departments_import(f->s, depts, n, &e)) return -1;
  *state = f;
  return 0;
}

static int teardown(void **state) {
  Fix *f = *state;
  char cmd[128];
  store_close(f->s);
  snprintf(cmd, sizeof cmd, "rm -rf %s", f->dir);
  if (system(cmd) != 0) return -1;
  free(f);
  return 0;
}

static int64_t count(const json_t *o, const char *k) { return json_integer_value(json_object_get(o, k)); }

static void demo_counts(void **state) {
  Fix *f = *state;
  Err e = {0};
  int64_t n = -1, id = 0;
  assert_int_equal(talent_catalogue_demo_load(f->s, &n, &e), 0);
  assert_int_equal(n, 129);
  assert_int_equal(talent_catalogue_find(f->s, NULL, &id, &e), 0);
  json_t *st = talent_catalogue_stats(f->s, id, &e);
  assert_non_null(st);
  assert_int_equal(count(st, "fields"), 10);
  assert_int_equal(count(st, "directions"), 47);
  assert_int_equal(count(st, "positions"), 129);
  int64_t sum = 0;
  size_t i;
  json_t *l;
  json_array_foreach(json_object_get(st, "levels"), i, l) sum += count(l, "count");
  assert_int_equal(sum, 129);
  assert_true(json_is_true(json_object_get(json_object_get(st, "edition"), "demo")));
  json_decref(st);
  /* Twice is once. */
  assert_int_equal(talent_catalogue_demo_load(f->s, &n, &e), 0);
  assert_int_equal(n, 0);
  /* Its years however the dash is written; no other. */
  static const char *const same[] = {"2020—2021", "2020–2021", "2020-2021", "2020~2021", "2020至2021", "2020－2021"};
  for (size_t k = 0; k < sizeof same / sizeof same[0]; k++) {
    int64_t x = 0;
    assert_int_equal(talent_catalogue_find(f->s, same[k], &x, &e), 0);
    assert_int_equal(x, id);
  }
  static const char *const none[] = {"2021-2020", "2020", "20-21", "2020-2021x", "current2", "0", "-1"};
  for (size_t k = 0; k < sizeof none / sizeof none[0]; k++) {
    int64_t x = 0;
    Err no = {0};
    assert_int_equal(talent_catalogue_find(f->s, none[k], &x, &no), -1);
    assert_string_equal(no.code, "talent.no_edition");
  }
}

/* import() imports one position published on day; NULL with *e. */
static json_t *import(Fix *f, const char *years, const char *day, const char *level, Err *e) {
  char csv[256];
  snprintf(csv, sizeof csv, "领域,方向,岗位,紧缺程度\n现代金融,金融科技,量化分析师,%s\n", level);
  TalentEditionIn in = {.years = years, .published_on = day};
  return talent_catalogue_import(f->s, NULL, &in, csv, strlen(csv), false, e);
}

static void levels_by_day(void **state) {
  Fix *f = *state;
  Err e = {0};
  /* From 2099 the levels are stars only. */
  User admin = {.id = 1, .role = ROLE_ADMIN};
  snprintf(admin.username, sizeof admin.username, "admin");
  json_t *v = json_loads("[{\"code\":\"s5\",\"label\":\"五星\",\"label_en\":\"Five stars\",\"stars\":\"★★★★★\"},"
                         "{\"code\":\"s1\",\"label\":\"一星\",\"label_en\":\"One star\",\"stars\":\"★\"}]", 0, NULL);
  json_t *set = params_set(f->s, &admin, "talent", "shortage_levels", v, "2099-01-01", &e);
  assert_non_null(set);
  json_decref(set);
  json_decref(v);
  json_t *old = import(f, "2030", "2030-01-01", "特别紧缺", &e);
  assert_non_null(old);
  json_t *later = import(f, "2099", "2099-02-01", "★★★★★", &e);
  assert_non_null(later);
  json_t *t = talent_catalogue_tree(f->s, count(json_object_get(later, "edition"), "id"), &e);
  assert_int_equal(json_array_size(json_object_get(t, "levels")), 2);
  assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(t, "levels"), 0), "label")), "五星");
  json_t *p = json_array_get(json_object_get(json_array_get(json_object_get(json_array_get(json_object_get(t, "fields"), 0),
                                                                         "directions"), 0), "positions"), 0);
  assert_string_equal(json_string_value(json_object_get(p, "level")), "s5");
  json_decref(t);
  /* The earlier edition kept the levels of its day. */
  t = talent_catalogue_tree(f->s, count(json_object_get(old, "edition"), "id"), &e);
  assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(t, "levels"), 0), "label")), "特别紧缺");
  json_decref(t);
  /* An edition of 2099 knows no 特别紧缺; the years once more are refused. */
  ErrList all = {0};
  Err bad = {.all = &all};
  assert_null(import(f, "2098-2099", "2099-03-01", "特别紧缺", &bad));
  assert_string_equal(bad.code, "import.rejected");
  assert_int_equal(all.n, 1);
  assert_int_equal(all.a[0].line, 2);
  assert_string_equal(all.a[0].code, "talent.bad_level");
  errlist_free(&all);
  Err dup = {0};
  assert_null(import(f, "2030", "2030-02-01", "特别紧缺", &dup));
  assert_string_equal(dup.code, "talent.edition_exists");
  json_decref(old);
  json_decref(later);
  /* A policy officer of another department may not. */
  Dept kjj;
  assert_int_equal(accounts_dept_get(store_reader(f->s), 0, "kjj", &kjj, &e), 1);
  User keji = {.id = 2, .role = ROLE_POLICY, .dept_id = kjj.id};
  TalentEditionIn in = {.years = "2031", .published_on = "2031-01-01"};
  Err no = {0};
  assert_null(talent_catalogue_import(f->s, &keji, &in, "x", 1, false, &no));
  assert_string_equal(no.code, "talent.forbidden");
  assert_int_equal(no.kind, E_FORBIDDEN);
}

int main(void) {
  log_quiet(true);
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(demo_counts, setup, teardown),
      cmocka_unit_test_setup_teardown(levels_by_day, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
