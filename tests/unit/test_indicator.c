/*
** test_indicator.c — unit tests of dec.c (exact decimals read, written and
** rounded at their boundaries) and indicator.c: periods, 累计 → 当月, growth
** with a missing, zero or corrected prior value, the share of the city, the
** status rule at its boundaries, and the demo's report figures.
*/
#include "unit.h"
#include "base/base.h"
#include "base/buf.h"
#include "base/dec.h"
#include "domain/accounts.h"
#include "domain/indicator.h"
#include "store/store.h"

#include <stdio.h>
#include <unistd.h>

const char *embedded_get(const char *name, size_t *n);

static Dec D(const char *t) {
  Dec v = 0;
  Err e = {0};
  if (dec_parse(t, 6, NULL, &v, &e)) fail_msg("not a decimal: %s", t);
  return v;
}

static const char *txt(Dec v, int decimals) {
  static char out[64];
  Buf b = {0};
  if (decimals < 0) dec_text(&b, v);
  else dec_fixed(&b, v, decimals);
  snprintf(out, sizeof out, "%s", buf_cstr(&b));
  buf_free(&b);
  return out;
}

static DecOpt K(const char *t) { return (DecOpt){true, D(t)}; }
static const DecOpt U = {false, 0};

static void dec_parse_print(void **state) {
  (void)state;
  Err e = {0};
  Dec v;
  assert_int_equal(D("2576.3"), 2576300000LL);
  assert_int_equal(D("1,234.56"), 1234560000LL);
  assert_int_equal(D(" -0.05 "), -50000LL);
  assert_int_equal(D("+7"), 7000000LL);
  assert_string_equal(txt(D("2576.30"), -1), "2576.3");
  assert_string_equal(txt(D("210.32"), -1), "210.32");
  assert_string_equal(txt(D("-0.000001"), -1), "-0.000001");
  assert_string_equal(txt(D("12"), -1), "12");
  assert_string_equal(txt(0, -1), "0");
  /* At most the decimals asked: trailing zeros say nothing more. */
  assert_int_equal(dec_parse("2576.30", 1, "value", &v, &e), 0);
  assert_int_equal(dec_parse("2576.31", 1, "value", &v, &e), -1);
  assert_string_equal(e.code, "dec.too_precise");
  assert_string_equal(e.field, "value");
  assert_int_equal(dec_parse("0.0000001", 6, NULL, &v, &e), -1);
  assert_string_equal(e.code, "dec.too_precise");
  /* The range: ±(2^63 − 1) units of 10^-6. */
  assert_int_equal(dec_parse("9223372036854.775807", 6, NULL, &v, &e), 0);
  assert_int_equal(v, INT64_MAX);
  assert_string_equal(txt(v, -1), "9223372036854.775807");
  assert_int_equal(dec_parse("9223372036854.775808", 6, NULL, &v, &e), -1);
  assert_string_equal(e.code, "dec.too_large");
  assert_int_equal(dec_parse("99999999999999999999999999999999", 6, NULL, &v, &e), -1);
  assert_string_equal(e.code, "dec.too_large");
  assert_int_equal(dec_parse("-9223372036854.775807", 6, NULL, &v, &e), 0);
  assert_string_equal(txt(v, -1), "-9223372036854.775807");
  for (const char *bad[] = {"", "abc", "1,23", "12,3456", ".5", "5.", "1.2.3", "--1", "1e3", "0x10", NULL}, **p = bad; *p; p++) {
    assert_int_equal(dec_parse(*p, 6, NULL, &v, &e), -1);
    assert_string_equal(e.code, "dec.bad_number");
  }
  /* Rounding once, half away from zero; never "-0.0". */
  assert_string_equal(txt(D("0.05"), 1), "0.1");
  assert_string_equal(txt(D("-0.05"), 1), "-0.1");
  assert_string_equal(txt(D("0.049999"), 1), "0.0");
  assert_string_equal(txt(D("-0.04"), 1), "0.0");
  assert_string_equal(txt(D("9"), 1), "9.0");
  assert_string_equal(txt(D("2.5"), 0), "3");
  assert_string_equal(txt(INT64_MAX, 0), "9223372036855");
  assert_int_equal(dec_round(D("1.25"), 1), D("1.3"));
  assert_int_equal(dec_round(D("-1.25"), 1), D("-1.3"));
  Dec s;
  assert_int_equal(dec_add(INT64_MAX, 1, &s), -1);
  assert_int_equal(dec_sub(INT64_MIN + 1, 2, &s), -1);
  /* Ratios in per cent. */
  assert_int_equal(dec_ratio_pct(D("11.42"), D("16.72"), false, 1, &s), 0);
  assert_string_equal(txt(s, 1), "68.3");
  assert_int_equal(dec_ratio_pct(D("330.3"), D("1423.7"), false, 1, &s), 0);
  assert_string_equal(txt(s, 1), "23.2");
  assert_int_equal(dec_ratio_pct(D("2576.3"), D("2330.1"), true, 1, &s), 0);
  assert_string_equal(txt(s, 1), "10.6");
  assert_int_equal(dec_ratio_pct(D("1"), 0, false, 1, &s), -1);
  assert_int_equal(dec_mul_pct(D("210.32"), D("5"), &s), 0);
  assert_string_equal(txt(s, -1), "220.836");
}

static void periods(void **state) {
  (void)state;
  int y, k;
  char out[16];
  assert_int_equal(indicator_period_parse("2021-03", FREQ_MONTH, &y, &k), 0);
  assert_true(y == 2021 && k == 3);
  assert_int_equal(indicator_period_parse("2021年12月", FREQ_MONTH, &y, &k), 0);
  assert_true(y == 2021 && k == 12);
  assert_int_equal(indicator_period_parse("2021-Q4", FREQ_QUARTER, &y, &k), 0);
  assert_true(k == 4);
  assert_int_equal(indicator_period_parse("2021年第2季度", FREQ_QUARTER, &y, &k), 0);
  assert_true(k == 2);
  assert_int_equal(indicator_period_parse("2021", FREQ_YEAR, &y, &k), 0);
  assert_true(y == 2021 && k == 0);
  const struct { const char *s; eFreq f; } bad[] = {{"2021-13", FREQ_MONTH}, {"2021-00", FREQ_MONTH}, {"2021-Q5", FREQ_QUARTER},
                                                   {"2021-03", FREQ_QUARTER}, {"2021-Q1", FREQ_MONTH}, {"2021-03", FREQ_YEAR},
                                                   {"21-03", FREQ_MONTH}, {"", FREQ_YEAR}};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    assert_int_equal(indicator_period_parse(bad[i].s, bad[i].f, &y, &k), -1);
  assert_string_equal(indicator_period_text(out, FREQ_MONTH, 2021, 3), "2021-03");
  assert_string_equal(indicator_period_text(out, FREQ_QUARTER, 2022, 1), "2022-Q1");
  assert_string_equal(indicator_period_text(out, FREQ_YEAR, 2022, 0), "2022");
}

static void derive_month_from_cumulative(void **state) {
  (void)state;
  DecOpt cum[5] = {K("10.5"), K("25"), U, K("60"), K("81.25")}, out[5];
  indicator_derive(cum, 5, out);
  assert_true(out[0].known && out[0].v == D("10.5")); /* January is the cumulative itself */
  assert_true(out[1].known && out[1].v == D("14.5"));
  assert_false(out[2].known);                          /* missing stays missing */
  assert_false(out[3].known);                          /* its predecessor is missing */
  assert_true(out[4].known && out[4].v == D("21.25"));
  /* Quarterly likewise: Q1 = Q1, Q2 = H1 − Q1. */
  DecOpt q[4] = {K("541.2"), K("1190.0"), K("1829.3"), K("2576.3")}, qo[4];
  indicator_derive(q, 4, qo);
  assert_string_equal(txt(qo[1].v, -1), "648.8");
  assert_string_equal(txt(qo[3].v, -1), "747");
}

static void growth_and_share(void **state) {
  (void)state;
  DecOpt g = indicator_growth(K("2576.3"), K("2330.1"));
  assert_true(g.known);
  assert_string_equal(txt(g.v, 1), "10.6");
  assert_false(indicator_growth(K("2576.3"), U).known); /* a missing prior value: unknown, never 0 */
  assert_false(indicator_growth(U, K("1")).known);
  assert_false(indicator_growth(K("5"), K("0")).known);  /* from nothing: no number */
  g = indicator_growth(K("268.3"), K("271.9"));
  assert_string_equal(txt(g.v, 1), "-1.3");
  g = indicator_growth(K("-5"), K("-10")); /* a loss halved grows by half the loss */
  assert_string_equal(txt(g.v, 1), "50.0");
  DecOpt s = indicator_share(K("11.42"), K("16.72"));
  assert_true(s.known);
  assert_string_equal(txt(s.v, 1), "68.3");
  assert_false(indicator_share(K("11.42"), U).known);
  assert_false(indicator_share(K("11.42"), K("0")).known);
}

static eStatus judge(StatusIn in) {
  StatusOut o;
  in.growth_band = D("2");
  in.time_band = D("10");
  eStatus s = indicator_status(&in, &o);
  assert_true(strlen(o.rule) > 0 && strlen(o.rule_en) > 0);
  return s;
}

static void status_rule(void **state) {
  (void)state;
  StatusIn g = {.kind = TK_GROWTH, .target = D("10")};
  g.growth = K("10.0"), assert_int_equal(judge(g), ST_GREEN);
  g.growth = K("9.9"), assert_int_equal(judge(g), ST_AMBER);
  g.growth = K("8.0"), assert_int_equal(judge(g), ST_AMBER);
  g.growth = K("7.9"), assert_int_equal(judge(g), ST_RED);
  g.growth = U, assert_int_equal(judge(g), ST_UNKNOWN);
  g.at_most = true; /* a ceiling, mirrored */
  g.growth = K("10.0"), assert_int_equal(judge(g), ST_GREEN);
  g.growth = K("12.0"), assert_int_equal(judge(g), ST_AMBER);
  g.growth = K("12.1"), assert_int_equal(judge(g), ST_RED);
  /* 时间过半、任务过半 */
  StatusIn l = {.kind = TK_LEVEL, .cumulative = true, .target = D("100"), .time = D("50")};
  l.progress = K("50"), assert_int_equal(judge(l), ST_GREEN);
  l.progress = K("40"), assert_int_equal(judge(l), ST_AMBER);
  l.progress = K("39.9"), assert_int_equal(judge(l), ST_RED);
  l.progress = U, assert_int_equal(judge(l), ST_UNKNOWN);
  l.time = D("100"), l.progress = K("99.9"), assert_int_equal(judge(l), ST_AMBER);
  StatusOut o;
  l.growth_band = D("2"), l.time_band = D("10");
  indicator_status(&l, &o);
  assert_non_null(strstr(o.rule, "时间进度 100.0%"));
  assert_non_null(strstr(o.rule, "任务进度 99.9%"));
  /* A point value against a floor or a ceiling. */
  StatusIn p = {.kind = TK_LEVEL, .target = D("4.5"), .at_most = true};
  p.value = K("4.5"), assert_int_equal(judge(p), ST_GREEN);
  p.value = K("4.51"), assert_int_equal(judge(p), ST_RED);
  /* In step with another indicator. */
  StatusIn s = {.kind = TK_IN_STEP, .growth = K("4.4"), .ref_growth = K("5.2")};
  assert_int_equal(judge(s), ST_AMBER);
  s.growth = K("5.2"), assert_int_equal(judge(s), ST_GREEN);
  s.growth = K("3.1"), assert_int_equal(judge(s), ST_RED);
  s.ref_growth = U, assert_int_equal(judge(s), ST_UNKNOWN);
  StatusIn t = {.kind = TK_TEXT};
  assert_int_equal(judge(t), ST_NONE);
}

/* ---- on a database ------------------------------------------------------------ */

typedef struct Fix {
  char dir[64];
  Store *s;
} Fix;

static int setup(void **state) {
  Fix *f = xcalloc(1, sizeof *f);
  Err e = {0};
  char url[128];
  size_t n;
  snprintf(f->dir, sizeof f->dir, "/tmp/xq-indicator-XXXXXX");
  if (!mkdtemp(f->dir)) return -1;
  snprintf(url, sizeof url, "sqlite:%s/t.db", f->dir);
  f->s = store_open(url, &e);
  if (!f->s || store_migrate(f->s, &e)) return -1;
  const char *depts = embedded_get("jinpu/departments.csv", &n);
  if (accounts_departments_import(f->s, depts, n, &e)) return -1;
  indicator_feeds_register();
  int64_t ni, nv;
  if (indicator_demo_load(f->s, &ni, &nv, &e) || ni < 20) return -1;
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

static const json_t *line_of(const json_t *rep, const char *code) {
  size_t i;
  json_t *x;
  json_array_foreach(json_object_get(rep, "lines"), i, x) if (strcmp(json_string_value(json_object_get(x, "code")), code) == 0)
      return x;
  fail_msg("no line %s", code);
  return NULL;
}

static const char *jget(const json_t *o, const char *a, const char *b) {
  const json_t *x = json_object_get(o, a);
  if (b) x = json_object_get(x, b);
  return json_string_value(x);
}

static void demo_report(void **state) {
  Fix *f = *state;
  Err e = {0};
  json_t *rep = indicator_report(f->s, NULL, 2021, &e);
  assert_non_null(rep);
  const json_t *gdp = line_of(rep, "gdp");
  assert_string_equal(jget(gdp, "value", NULL), "2576.3");
  assert_string_equal(jget(gdp, "growth", "value"), "9.0");
  assert_string_equal(jget(gdp, "growth", "kind"), "official");
  assert_string_equal(jget(line_of(rep, "fdi"), "share", NULL), "68.3");
  assert_string_equal(jget(line_of(rep, "out_funds"), "share", NULL), "23.2");
  assert_string_equal(jget(line_of(rep, "tax"), "value", NULL), "598.37");
  assert_string_equal(jget(line_of(rep, "budget_rev"), "growth", "kind"), "computed");
  json_decref(rep);
}

static void corrected_prior_value(void **state) {
  Fix *f = *state;
  Err e = {0};
  /* 2022's 累计同比 of 一般公共预算地方级收入 at December reads 2021's latest version. */
  json_t *v = indicator_values(f->s, NULL, "budget_rev", 2022, &e);
  assert_non_null(v);
  json_t *dec = json_array_get(json_object_get(v, "periods"), 11);
  assert_string_equal(jget(dec, "growth", "value"), "5.1"); /* 221.05 ÷ 210.32 */
  json_decref(v);
  json_t *in = json_pack("{s:s,s:s,s:s,s:s}", "period", "2021-12", "value", "200.00", "source", "测试", "note", "更正");
  json_t *r = indicator_enter(f->s, NULL, "budget_rev", in, &e);
  assert_non_null(r);
  assert_int_equal(json_array_size(json_object_get(r, "versions")), 2);
  json_decref(r);
  v = indicator_values(f->s, NULL, "budget_rev", 2022, &e);
  dec = json_array_get(json_object_get(v, "periods"), 11);
  assert_string_equal(jget(dec, "growth", "value"), "10.5"); /* 221.05 ÷ 200.00 */
  assert_string_equal(jget(dec, "previous", NULL), "200.00");
  json_decref(v);
  /* A correction says why; a prior value missing gives no growth. */
  json_object_del(in, "note");
  assert_null(indicator_enter(f->s, NULL, "budget_rev", in, &e));
  assert_string_equal(e.field, "note");
  v = indicator_values(f->s, NULL, "budget_rev", 2019, &e);
  assert_true(json_is_null(json_object_get(json_array_get(json_object_get(v, "periods"), 0), "growth")));
  json_decref(v);
  /* Computed indicators are not entered. */
  json_object_set_new(in, "period", json_string("2021-03"));
  assert_null(indicator_enter(f->s, NULL, "new_entities", in, &e));
  assert_string_equal(e.code, "indicator.computed");
  json_decref(in);
}

int main(void) {
  const struct CMUnitTest pure[] = {
      cmocka_unit_test(dec_parse_print), cmocka_unit_test(periods), cmocka_unit_test(derive_month_from_cumulative),
      cmocka_unit_test(growth_and_share), cmocka_unit_test(status_rule),
  };
  const struct CMUnitTest db[] = {
      cmocka_unit_test(demo_report),
      cmocka_unit_test(corrected_prior_value),
  };
  int rc = cmocka_run_group_tests_name("indicator", pure, NULL, NULL);
  return rc + cmocka_run_group_tests_name("indicator_db", db, setup, teardown);
}
