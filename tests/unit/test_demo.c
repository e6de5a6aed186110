/*
** test_demo.c — unit tests of the Jinpu demo pack generator: every code it
** makes passes the codes_ checkers, the kinds come in the registry's
** proportions, names and numbers are unique at the full 210,000 rows, and
** the output is a deterministic function of the seed.
*/
#include "unit.h"
#include "base/base.h"
#include "base/codes.h"
#include "domain/demo.h"

#include <stdio.h>

enum { FULL = 210000 };

/* A run's rows, collected by the emit callbacks. */
typedef struct Rows {
  Entity *e;
  Person *p;
  int n, cap;
  int stop_at; /* return stop_code after this many rows (0: never) */
  int stop_code;
} Rows;

static int collect_entity(const Entity *e, void *arg) {
  Rows *r = arg;
  if (r->n >= r->cap) fail_msg("more rows than asked for");
  r->e[r->n++] = *e;
  return r->stop_at && r->n == r->stop_at ? r->stop_code : 0;
}

static int collect_person(const Person *p, void *arg) {
  Rows *r = arg;
  if (r->n >= r->cap) fail_msg("more rows than asked for");
  r->p[r->n++] = *p;
  return r->stop_at && r->n == r->stop_at ? r->stop_code : 0;
}

static Rows entities(uint64_t seed, int n) {
  Rows r = {.e = calloc((size_t)n + 1, sizeof(Entity)), .cap = n};
  assert_non_null(r.e);
  assert_int_equal(demo_entities(seed, n, collect_entity, &r), 0);
  assert_int_equal(r.n, n);
  return r;
}

static Rows persons(uint64_t seed, int n) {
  Rows r = {.p = calloc((size_t)n + 1, sizeof(Person)), .cap = n};
  assert_non_null(r.p);
  assert_int_equal(demo_persons(seed, n, collect_person, &r), 0);
  assert_int_equal(r.n, n);
  return r;
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* first_duplicate() returns a string occurring twice among n, or NULL. */
static const char *first_duplicate(const char **s, int n) {
  qsort(s, (size_t)n, sizeof *s, cmp_str);
  for (int i = 1; i < n; i++)
    if (strcmp(s[i - 1], s[i]) == 0) return s[i];
  return NULL;
}

static bool ends_with(const char *s, const char *suffix) {
  size_t n = strlen(s), k = strlen(suffix);
  return n >= k && strcmp(s + n - k, suffix) == 0;
}

static bool starts_with(const char *s, const char *prefix) {
  return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* real_date() says whether ymd is a YYYY-MM-DD date of the calendar. */
static bool real_date(const char *ymd) {
  int y, m, d;
  char tail;
  if (strlen(ymd) != 10 || sscanf(ymd, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3) return false;
  int dim = 31;
  if (m == 4 || m == 6 || m == 9 || m == 11) dim = 30;
  if (m == 2) dim = (y % 400 == 0 || (y % 4 == 0 && y % 100 != 0)) ? 29 : 28;
  return m >= 1 && m <= 12 && d >= 1 && d <= dim;
}

/* The full-size run is shared by the tests that look at it. */
static Rows full_e, full_p;

static int setup_full(void **state) {
  (void)state;
  full_e = entities(20221014, FULL);
  full_p = persons(20221014, FULL);
  return 0;
}

static int teardown_full(void **state) {
  (void)state;
  free(full_e.e);
  free(full_p.p);
  return 0;
}

static void test_entity_codes_valid_and_unique(void **state) {
  (void)state;
  char reason[256];
  const char **keys = malloc(sizeof *keys * FULL);
  assert_non_null(keys);
  for (int i = 0; i < FULL; i++) {
    const Entity *e = &full_e.e[i];
    if (codes_uscc_check(e->uscc, reason, sizeof reason) != 0)
      fail_msg("row %d: %s: %s", i, e->uscc, reason);
    /* Registered by market regulation, category by kind. */
    char want = strcmp(e->kind, "individual") == 0 ? '2' : strcmp(e->kind, "cooperative") == 0 ? '3' : '1';
    assert_int_equal(e->uscc[0], '9');
    if (e->uscc[1] != want) fail_msg("row %d: %s is a %s", i, e->uscc, e->kind);
    if (strncmp(e->uscc + 2, "2102", 4) != 0) fail_msg("row %d: %s is not Dalian's", i, e->uscc);
    keys[i] = e->uscc;
  }
  const char *dup = first_duplicate(keys, FULL);
  if (dup) fail_msg("USCC %s twice", dup);
  /* The organisation codes (positions 9–17) are unique by themselves too. */
  for (int i = 0; i < FULL; i++) keys[i] = full_e.e[i].uscc + 8;
  dup = first_duplicate(keys, FULL);
  if (dup) fail_msg("organisation code %s twice", dup);
  free(keys);
}

static void test_entity_names_unique(void **state) {
  (void)state;
  const char **names = malloc(sizeof *names * FULL);
  assert_non_null(names);
  for (int i = 0; i < FULL; i++) names[i] = full_e.e[i].name;
  const char *dup = first_duplicate(names, FULL);
  if (dup) fail_msg("name %s twice", dup);
  free(names);
}

static void test_entity_fields(void **state) {
  (void)state;
  static const char *kinds[] = {ENTITY_KINDS};
  int nKind[XQ_COUNT(kinds)] = {0}, inactive = 0, joint = 0, recent = 0, before2000 = 0;
  int64_t company_capital_below_1m = 0;
  for (int i = 0; i < FULL; i++) {
    const Entity *e = &full_e.e[i];
    size_t k = 0;
    while (k < XQ_COUNT(kinds) && strcmp(e->kind, kinds[k]) != 0) k++;
    if (k == XQ_COUNT(kinds)) fail_msg("row %d: kind %s", i, e->kind);
    nKind[k]++;
    assert_true(utf8_valid(e->name, strlen(e->name)) && utf8_len(e->name) >= 6);
    assert_true(utf8_valid(e->legal_rep, strlen(e->legal_rep)) && utf8_len(e->legal_rep) >= 2);
    assert_true(e->industry[0] >= 'A' && e->industry[0] <= 'R' && e->industry[1] == 0);
    if (!starts_with(e->address, "辽宁省大连市金普新区") || !strstr(e->address, e->district) ||
        !ends_with(e->address, "号"))
      fail_msg("row %d: address %s", i, e->address);
    /* A real date in range. */
    assert_int_equal(strlen(e->established), 10);
    if (strcmp(e->established, "1990-01-01") < 0 || strcmp(e->established, "2026-10-31") > 0)
      fail_msg("row %d: established %s", i, e->established);
    if (!real_date(e->established)) fail_msg("row %d: established %s", i, e->established);
    if (strcmp(e->established, "2025-01-01") >= 0) recent++;
    if (strcmp(e->established, "2000-01-01") < 0) before2000++;
    if (strcmp(e->status, "active") != 0) {
      if (strcmp(e->status, "revoked") != 0 && strcmp(e->status, "cancelled") != 0)
        fail_msg("row %d: status %s", i, e->status);
      inactive++;
    }
    /* Names and capital by kind. */
    const char *kind = e->kind;
    if (strcmp(kind, "company") == 0) {
      assert_true(ends_with(e->name, "公司") && !ends_with(e->name, "分公司"));
      if (e->capital_fen < 10000000 || e->capital_fen > 5000000000) fail_msg("row %d: capital %lld", i, (long long)e->capital_fen);
      if (e->capital_fen < 100000000) company_capital_below_1m++;
      if (ends_with(e->name, "股份有限公司")) joint++;
    } else if (strcmp(kind, "branch") == 0) {
      assert_true(ends_with(e->name, "分公司"));
      assert_int_equal(e->capital_fen, 0);
    } else if (strcmp(kind, "partnership") == 0) {
      assert_true(strstr(e->name, "合伙企业（") != NULL);
      assert_true(e->capital_fen > 0);
    } else if (strcmp(kind, "sole") == 0) {
      assert_true(ends_with(e->name, "中心") || ends_with(e->name, "厂") || ends_with(e->name, "经营部"));
      assert_true(e->capital_fen > 0 && e->capital_fen <= 100000000);
    } else if (strcmp(kind, "cooperative") == 0) {
      assert_true(ends_with(e->name, "专业合作社"));
      assert_int_equal(e->industry[0], 'A');
    } else {
      assert_string_equal(kind, "individual");
      if (!starts_with(e->name, "大连金普新区") && !starts_with(e->name, "金州区") &&
          !starts_with(e->name, "大连经济技术开发区") && !starts_with(e->name, "大连保税区"))
        fail_msg("row %d: individual business %s", i, e->name);
      assert_true(e->capital_fen >= 0 && e->capital_fen <= 50000000);
      assert_false(ends_with(e->name, "公司"));
    }
  }
  /* ENTITY_KINDS: company partnership sole branch individual cooperative. */
  double f[6];
  for (int k = 0; k < 6; k++) f[k] = (double)nKind[k] / FULL;
  double enterprises = f[0] + f[1] + f[2] + f[3];
  print_message("individual %.3f enterprises %.3f (company %.3f partnership %.3f sole %.3f branch "
                "%.3f) cooperative %.3f inactive %.3f\n",
                f[4], enterprises, f[0], f[1], f[2], f[3], f[5], (double)inactive / FULL);
  assert_true(f[4] > 0.66 && f[4] < 0.69);
  assert_true(enterprises > 0.29 && enterprises < 0.32);
  assert_true(f[5] > 0.015 && f[5] < 0.025);
  assert_true(f[1] > 0.005 && f[2] > 0.005 && f[3] > 0.01);
  assert_true(joint > 0 && joint < nKind[0] / 20);
  assert_true(inactive > FULL * 3 / 100 && inactive < FULL * 7 / 100);
  /* Skewed to recent years, a long tail back to 1990; small capital common. */
  assert_true(recent > before2000);
  assert_true(before2000 > 0);
  assert_true(company_capital_below_1m > nKind[0] / 10);
}

static void test_first_rows(void **state) {
  (void)state;
  const Entity *e = &full_e.e[0];
  const Person *p = &full_p.p[0];
  assert_string_equal(e->kind, "company");
  assert_string_equal(e->status, "active");
  assert_memory_equal(e->uscc, "91", 2);
  assert_string_equal(p->id_kind, "id");
  assert_string_equal(p->nationality, "CHN");
  assert_int_equal(codes_id_check(p->id_number, NULL, NULL, 0), 0);
  /* The demo company's legal representative is the demo person. */
  assert_string_equal(e->legal_rep, p->name);
  /* Other seeds too. */
  for (uint64_t seed = 0; seed < 50; seed++) {
    Rows a = entities(seed, 1), b = persons(seed, 1);
    assert_string_equal(a.e[0].kind, "company");
    assert_string_equal(b.p[0].id_kind, "id");
    assert_string_equal(a.e[0].legal_rep, b.p[0].name);
    free(a.e);
    free(b.p);
  }
}

static void test_persons(void **state) {
  (void)state;
  char reason[256], out[19];
  const char **keys = malloc(sizeof *keys * FULL);
  char(*passkeys)[40] = calloc(FULL, 40);
  assert_non_null(keys);
  assert_non_null(passkeys);
  int foreign = 0, nid = 0, male = 0, jinzhou = 0;
  for (int i = 0; i < FULL; i++) {
    const Person *p = &full_p.p[i];
    assert_true(utf8_valid(p->name, strlen(p->name)) && strlen(p->name) > 0);
    if (strcmp(p->id_kind, "id") == 0) {
      assert_string_equal(p->nationality, "CHN");
      if (codes_id_check(p->id_number, out, reason, sizeof reason) != 0)
        fail_msg("row %d: %s: %s", i, p->id_number, reason);
      assert_string_equal(out, p->id_number); /* already normalised */
      char birth[11];
      codes_id_birth(p->id_number, birth);
      if (strcmp(birth, "1941-01-01") < 0 || strcmp(birth, "2008-12-31") > 0) fail_msg("born %s", birth);
      male += codes_id_male(p->id_number);
      jinzhou += strncmp(p->id_number, "210213", 6) == 0;
      keys[nid++] = p->id_number;
    } else {
      assert_string_equal(p->id_kind, "passport");
      if (codes_passport_check(p->id_number, p->nationality, reason, sizeof reason) != 0)
        fail_msg("row %d: %s %s: %s", i, p->id_number, p->nationality, reason);
      assert_non_null(strchr(p->name, ' '));
      snprintf(passkeys[foreign], 40, "%s %s", p->nationality, p->id_number);
      foreign++;
    }
  }
  assert_int_equal(nid + foreign, FULL);
  print_message("foreigners %.3f, male %.3f, Jinzhou-born %.3f\n", (double)foreign / FULL,
                (double)male / nid, (double)jinzhou / nid);
  assert_true(foreign > FULL / 100 && foreign < FULL * 6 / 100);
  assert_true(male > nid * 45 / 100 && male < nid * 55 / 100);
  assert_true(jinzhou > nid / 5 && jinzhou < nid * 3 / 4);
  const char *dup = first_duplicate(keys, nid);
  if (dup) fail_msg("ID number %s twice", dup);
  for (int i = 0; i < foreign; i++) keys[i] = passkeys[i];
  dup = first_duplicate(keys, foreign);
  if (dup) fail_msg("passport %s twice", dup);
  free(keys);
  free(passkeys);
}

static bool same_entity(const Entity *a, const Entity *b) {
  return strcmp(a->uscc, b->uscc) == 0 && strcmp(a->name, b->name) == 0 &&
         strcmp(a->kind, b->kind) == 0 && strcmp(a->legal_rep, b->legal_rep) == 0 &&
         a->capital_fen == b->capital_fen && strcmp(a->industry, b->industry) == 0 &&
         strcmp(a->address, b->address) == 0 && strcmp(a->district, b->district) == 0 &&
         strcmp(a->established, b->established) == 0 && strcmp(a->status, b->status) == 0;
}

static bool same_person(const Person *a, const Person *b) {
  return strcmp(a->id_kind, b->id_kind) == 0 && strcmp(a->id_number, b->id_number) == 0 &&
         strcmp(a->name, b->name) == 0 && strcmp(a->nationality, b->nationality) == 0;
}

static void test_determinism(void **state) {
  (void)state;
  /* Same seed: the same rows; a shorter run is a prefix of a longer one. */
  Rows a = entities(7, 20000), b = entities(7, 20000), c = entities(7, 500);
  for (int i = 0; i < 20000; i++)
    if (!same_entity(&a.e[i], &b.e[i])) fail_msg("row %d differs between runs", i);
  for (int i = 0; i < 500; i++) assert_true(same_entity(&a.e[i], &c.e[i]));
  Rows p = persons(7, 20000), q = persons(7, 20000), s = persons(7, 500);
  for (int i = 0; i < 20000; i++)
    if (!same_person(&p.p[i], &q.p[i])) fail_msg("person %d differs between runs", i);
  for (int i = 0; i < 500; i++) assert_true(same_person(&p.p[i], &s.p[i]));
  /* Another seed: different rows (nearly all names and numbers differ). */
  Rows d = entities(8, 20000), t = persons(8, 20000);
  int same_name = 0, same_uscc = 0, same_id = 0;
  for (int i = 0; i < 20000; i++) {
    same_name += strcmp(a.e[i].name, d.e[i].name) == 0;
    same_uscc += strcmp(a.e[i].uscc, d.e[i].uscc) == 0;
    same_id += strcmp(p.p[i].id_number, t.p[i].id_number) == 0;
  }
  assert_true(same_name < 200);
  assert_true(same_uscc < 200);
  assert_true(same_id < 200);
  /* And the full run's seed differs from seed 7 too. */
  assert_false(same_entity(&a.e[1], &full_e.e[1]) && same_entity(&a.e[2], &full_e.e[2]));
  free(a.e), free(b.e), free(c.e), free(d.e);
  free(p.p), free(q.p), free(s.p), free(t.p);
}

static void test_emit_stops(void **state) {
  (void)state;
  Rows r = {.e = calloc(100, sizeof(Entity)), .cap = 100, .stop_at = 11, .stop_code = 7};
  assert_int_equal(demo_entities(1, 100, collect_entity, &r), 7);
  assert_int_equal(r.n, 11);
  Rows q = {.p = calloc(100, sizeof(Person)), .cap = 100, .stop_at = 3, .stop_code = -2};
  assert_int_equal(demo_persons(1, 100, collect_person, &q), -2);
  assert_int_equal(q.n, 3);
  /* n <= 0 emits nothing. */
  Rows z = {.e = r.e, .p = q.p, .cap = 0};
  assert_int_equal(demo_entities(1, 0, collect_entity, &z), 0);
  assert_int_equal(demo_entities(1, -5, collect_entity, &z), 0);
  assert_int_equal(demo_persons(1, 0, collect_person, &z), 0);
  assert_int_equal(z.n, 0);
  free(r.e);
  free(q.p);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_entity_codes_valid_and_unique),
    cmocka_unit_test(test_entity_names_unique),
    cmocka_unit_test(test_entity_fields),
    cmocka_unit_test(test_first_rows),
    cmocka_unit_test(test_persons),
    cmocka_unit_test(test_determinism),
    cmocka_unit_test(test_emit_stops),
  };
  return cmocka_run_group_tests(tests, setup_full, teardown_full);
}
