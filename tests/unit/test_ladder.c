/*
** test_ladder.c — unit tests of the ladder's rules (ladder.c, data/ladder):
** every criterion at, just below and just above its threshold, unknown
** facts (never met; the rung unknown unless another criterion fails), the
** direct routes, and the rule version in force on the day of the check.
*/
#include "unit.h"
#include "base/base.h"
#include "domain/ladder.h"
#include "fact_names.h"

#include <stdlib.h>
#include <string.h>

/* A firm that meets every criterion of 高新技术企业 and 科技型中小企业. */
static const char *BASE =
    "{\"registered_on\":\"2018-03-01\",\"staff\":100,\"tech_staff\":30,\"sales\":4000,"
    "\"sales_3y\":[3000,3500,4000],\"rd_3y\":[300,350,400],\"rd_in_china_3y\":[300,350,400],"
    "\"total_income\":4000,\"hightech_income\":3000,\"total_assets\":6000,\"ip_class1\":1,\"ip_class2\":0,"
    "\"core_ip\":true,\"field_supported\":true,\"innovation_score\":80,\"incident_last_year\":false,"
    "\"dishonest\":false,\"titles\":[]}";

/* run() checks BASE with the members of over (a JSON object text; a null
** member removes the fact) on day on; returns the rung's result (borrowed
** from *out, which the caller frees). */
static json_t *run(const char *rung, const char *over, const char *on, json_t **out) {
  json_t *facts = json_loads(BASE, 0, NULL), *o = json_loads(over, 0, NULL);
  assert_non_null(facts);
  assert_non_null(o);
  const char *k;
  json_t *v;
  json_object_foreach(o, k, v) {
    if (json_is_null(v)) json_object_del(facts, k);
    else json_object_set(facts, k, v);
  }
  Err e = {0};
  *out = ladder_check(facts, on, &e);
  json_decref(facts);
  json_decref(o);
  assert_non_null(*out);
  size_t i;
  json_t *r;
  json_array_foreach(json_object_get(*out, "rungs"), i, r) if (strcmp(json_string_value(json_object_get(r, "rung")), rung) == 0) return r;
  fail_msg("no rung %s", rung);
  return NULL;
}

/* met() is criterion code of rung for over on day on: 1 met, 0 not, -1
** unknown; *eligible the rung's (1, 0, -1). */
static int met(const char *rung, const char *code, const char *over, const char *on, int *eligible) {
  json_t *out, *r = run(rung, over, on, &out), *c;
  size_t i;
  int m = -2;
  json_array_foreach(json_object_get(r, "criteria"), i, c) if (strcmp(json_string_value(json_object_get(c, "code")), code) == 0) {
    json_t *x = json_object_get(c, "met");
    m = json_is_true(x) ? 1 : json_is_false(x) ? 0 : -1;
  }
  json_t *el = json_object_get(r, "eligible");
  if (eligible) *eligible = json_is_true(el) ? 1 : json_is_false(el) ? 0 : -1;
  json_decref(out);
  if (m == -2) fail_msg("no criterion %s of %s", code, rung);
  return m;
}

#define ON "2021-06-01"

static void test_gaoqi_all_met(void **state) {
  (void)state;
  int el;
  assert_int_equal(met("gaoqi", "rd_ratio", "{}", ON, &el), 1);
  assert_int_equal(el, 1);
  json_t *out, *r = run("gaoqi", "{}", ON, &out);
  assert_int_equal(json_array_size(json_object_get(r, "why_not")), 0);
  assert_int_equal(json_integer_value(json_object_get(r, "rule_version")), 1);
  assert_non_null(strstr(json_string_value(json_object_get(r, "citation")), "国科发火〔2016〕32号"));
  json_decref(out);
}

static void test_gaoqi_thresholds(void **state) {
  (void)state;
  int el;
  /* 科技人员 ≥ 10% of staff. */
  assert_int_equal(met("gaoqi", "tech_staff_ratio", "{\"tech_staff\":10}", ON, NULL), 1);
  assert_int_equal(met("gaoqi", "tech_staff_ratio", "{\"tech_staff\":9}", ON, &el), 0);
  assert_int_equal(el, 0);
  assert_int_equal(met("gaoqi", "tech_staff_ratio", "{\"tech_staff\":11}", ON, NULL), 1);
  /* R&D over three years: ≥ 5% when last year's sales ≤ 5000万 (included). */
  assert_int_equal(met("gaoqi", "rd_ratio", "{\"sales\":5000,\"rd_3y\":[200,200,100]}", ON, NULL), 0); /* 500/10500 < 5% */
  const char *s5 = "{\"sales\":5000,\"sales_3y\":[2000,3000,5000],\"rd_3y\":[100,150,250]}"; /* exactly 5% */
  assert_int_equal(met("gaoqi", "rd_ratio", s5, ON, NULL), 1);
  assert_int_equal(met("gaoqi", "rd_ratio", "{\"sales\":5000,\"sales_3y\":[2000,3000,5000],\"rd_3y\":[100,150,249.9]}", ON, NULL), 0);
  /* Just above 5000万 the bar is 4%; up to 2亿 included; above it 3%. */
  const char *mid = "{\"sales\":5000.01,\"sales_3y\":[2000,3000,5000],\"rd_3y\":[80,120,200]}"; /* 4% */
  assert_int_equal(met("gaoqi", "rd_ratio", mid, ON, NULL), 1);
  assert_int_equal(met("gaoqi", "rd_ratio", "{\"sales\":20000,\"sales_3y\":[10000,10000,20000],\"rd_3y\":[400,400,799]}", ON, NULL), 0);
  assert_int_equal(met("gaoqi", "rd_ratio", "{\"sales\":20000,\"sales_3y\":[10000,10000,20000],\"rd_3y\":[400,400,800]}", ON, NULL), 1);
  assert_int_equal(met("gaoqi", "rd_ratio", "{\"sales\":20000.5,\"sales_3y\":[10000,10000,20000],\"rd_3y\":[300,300,600]}", ON, NULL), 1);
  assert_int_equal(met("gaoqi", "rd_ratio", "{\"sales\":20000.5,\"sales_3y\":[10000,10000,20000],\"rd_3y\":[300,300,599]}", ON, NULL), 0);
  /* In China ≥ 60% of R&D; high-tech income ≥ 60% of income. */
  assert_int_equal(met("gaoqi", "rd_in_china", "{\"rd_in_china_3y\":[180,210,240]}", ON, NULL), 1); /* 630/1050 */
  assert_int_equal(met("gaoqi", "rd_in_china", "{\"rd_in_china_3y\":[180,210,239]}", ON, NULL), 0);
  assert_int_equal(met("gaoqi", "hightech_income", "{\"hightech_income\":2400}", ON, NULL), 1);
  assert_int_equal(met("gaoqi", "hightech_income", "{\"hightech_income\":2399.9}", ON, NULL), 0);
  /* The innovation evaluation: above 70 (70 itself is not enough). */
  assert_int_equal(met("gaoqi", "innovation_score", "{\"innovation_score\":70}", ON, NULL), 0);
  assert_int_equal(met("gaoqi", "innovation_score", "{\"innovation_score\":70.5}", ON, NULL), 1);
  assert_int_equal(met("gaoqi", "innovation_score", "{\"innovation_score\":71}", ON, NULL), 1);
  /* Registered one year before the day, or more. */
  assert_int_equal(met("gaoqi", "registered_1y", "{\"registered_on\":\"2020-06-01\"}", ON, NULL), 1);
  assert_int_equal(met("gaoqi", "registered_1y", "{\"registered_on\":\"2020-06-02\"}", ON, NULL), 0);
  assert_int_equal(met("gaoqi", "no_incident", "{\"incident_last_year\":true}", ON, &el), 0);
  assert_int_equal(el, 0);
  assert_int_equal(met("gaoqi", "core_ip", "{\"core_ip\":false}", ON, NULL), 0);
}

static void test_gaoqi_message(void **state) {
  (void)state;
  json_t *out, *r = run("gaoqi", "{\"sales\":40000,\"sales_3y\":[40000,40000,40000],\"rd_3y\":[1080,1080,1080],"
                          "\"rd_in_china_3y\":[1080,1080,1080]}", ON, &out);
  json_t *why = json_object_get(r, "why_not");
  assert_int_equal(json_array_size(why), 1);
  assert_string_equal(json_string_value(json_array_get(why, 0)),
                      "近三年研发费用占销售收入 2.7%，低于 3%（差 0.3 个百分点，约 360 万元）");
  json_decref(out);
}

static void test_unknown(void **state) {
  (void)state;
  int el;
  /* A missing fact is unknown, and so is the rung … */
  assert_int_equal(met("gaoqi", "tech_staff_ratio", "{\"tech_staff\":null}", ON, &el), -1);
  assert_int_equal(el, -1);
  assert_int_equal(met("gaoqi", "innovation_score", "{\"innovation_score\":null}", ON, &el), -1);
  assert_int_equal(el, -1);
  /* … unless another criterion fails: then it is not eligible. */
  assert_int_equal(met("gaoqi", "innovation_score", "{\"innovation_score\":null,\"core_ip\":false}", ON, &el), -1);
  assert_int_equal(el, 0);
  /* A fact of the wrong type is not a fact. */
  assert_int_equal(met("gaoqi", "core_ip", "{\"core_ip\":\"yes\"}", ON, &el), -1);
  assert_int_equal(el, -1);
  assert_int_equal(met("gaoqi", "rd_ratio", "{\"rd_3y\":[300,\"x\",400]}", ON, NULL), -1);
  json_t *out, *r = run("gaoqi", "{\"staff\":null}", ON, &out);
  assert_non_null(strstr(json_string_value(json_array_get(json_object_get(r, "why_not"), 0)), "缺少数据"));
  json_decref(out);
}

static void test_kjxzx(void **state) {
  (void)state;
  int el;
  /* The size caps: at most 500 staff, 2亿 sales and 2亿 assets. */
  assert_int_equal(met("kjxzx", "staff", "{\"staff\":500,\"tech_staff\":150}", ON, NULL), 1);
  assert_int_equal(met("kjxzx", "staff", "{\"staff\":501,\"tech_staff\":150}", ON, &el), 0);
  assert_int_equal(el, 0);
  assert_int_equal(met("kjxzx", "sales", "{\"sales\":20000}", ON, NULL), 1);
  assert_int_equal(met("kjxzx", "sales", "{\"sales\":20000.01}", ON, NULL), 0);
  assert_int_equal(met("kjxzx", "total_assets", "{\"total_assets\":20001}", ON, NULL), 0);
  /* The score: 30% staff 20 + R&D 10% of sales 50 + Ⅰ类 IP 30 = 100. */
  json_t *out, *r = run("kjxzx", "{}", ON, &out);
  assert_int_equal(json_integer_value(json_object_get(r, "score")), 100);
  json_decref(out);
  /* 60 passes (staff 25% → 16, R&D 3% → 20, 4 Ⅱ类 → 24), 59 does not. */
  const char *sixty = "{\"tech_staff\":25,\"sales\":4000,\"rd_3y\":[1,1,120],\"ip_class1\":0,\"ip_class2\":4}";
  assert_int_equal(met("kjxzx", "score", sixty, ON, &el), 1);
  assert_int_equal(el, 1);
  r = run("kjxzx", sixty, ON, &out);
  assert_int_equal(json_integer_value(json_object_get(r, "score")), 60);
  json_decref(out);
  const char *less = "{\"tech_staff\":24,\"sales\":4000,\"rd_3y\":[1,1,120],\"ip_class1\":0,\"ip_class2\":4}";
  assert_int_equal(met("kjxzx", "score", less, ON, &el), 0); /* 12 + 20 + 24 = 56 */
  assert_int_equal(el, 0);
  /* 科技人员 scoring 0 bars the score route even at 80 points. */
  const char *zero = "{\"tech_staff\":9,\"ip_class1\":1}";
  assert_int_equal(met("kjxzx", "score", zero, ON, NULL), 1);
  assert_int_equal(met("kjxzx", "tech_staff_points", zero, ON, &el), 0);
  assert_int_equal(el, 0);
  /* A valid 高企 certificate confirms directly; an expired one does not. */
  assert_int_equal(met("kjxzx", "direct", "{\"tech_staff\":9,\"titles\":[{\"rung\":\"gaoqi\",\"until\":\"2021-06-01\"}]}", ON, &el), 1);
  assert_int_equal(el, 1);
  assert_int_equal(met("kjxzx", "direct", "{\"tech_staff\":9,\"titles\":[{\"rung\":\"gaoqi\",\"until\":\"2021-05-31\"}]}", ON, &el), 0);
  assert_int_equal(el, 0);
  /* The size caps hold on the direct route too. */
  met("kjxzx", "staff", "{\"staff\":600,\"tech_staff\":200,\"provincial_rd_institution\":true}", ON, &el);
  assert_int_equal(el, 0);
}

static void test_other_rungs(void **state) {
  (void)state;
  int el;
  /* 专精特新: R&D ≥ 100万 and ≥ 3% of revenue; 2 years in the niche. */
  const char *z = "{\"niche_years\":2,\"sales\":3000,\"rd_3y\":[80,90,100],\"zjtx_score\":60}";
  assert_int_equal(met("zjtx", "rd_amount", z, "2026-07-01", &el), 1);
  assert_int_equal(el, 1);
  assert_int_equal(met("zjtx", "rd_amount", "{\"niche_years\":2,\"sales\":3000,\"rd_3y\":[80,90,99.9],\"zjtx_score\":60}", "2026-07-01", NULL), 0);
  assert_int_equal(met("zjtx", "rd_ratio", "{\"niche_years\":2,\"sales\":3400,\"rd_3y\":[80,90,100],\"zjtx_score\":60}", "2026-07-01", NULL), 0);
  assert_int_equal(met("zjtx", "niche_years", "{\"niche_years\":1.9,\"sales\":3000,\"rd_3y\":[80,90,100],\"zjtx_score\":60}", "2026-07-01", NULL), 0);
  assert_int_equal(met("zjtx", "score", "{\"niche_years\":2,\"sales\":3000,\"rd_3y\":[80,90,100],\"zjtx_score\":59}", "2026-07-01", &el), 0);
  assert_int_equal(el, 0);
  /* 单项冠军: revoked within three years bars a new application. */
  const char *d = "{\"years_in_field\":10,\"market_rank_global\":3,\"titles\":[{\"rung\":\"dxgj\",\"until\":\"2026-01-01\",\"revoked_on\":\"2023-07-01\"}]}";
  assert_int_equal(met("dxgj", "not_barred", d, "2026-06-30", &el), 0);
  assert_int_equal(el, 0);
  assert_int_equal(met("dxgj", "not_barred", d, "2026-07-01", &el), 1);
  assert_int_equal(el, 1);
  assert_int_equal(met("dxgj", "market_rank_global", "{\"years_in_field\":10,\"market_rank_global\":4}", "2026-07-01", NULL), 0);
  assert_int_equal(met("dxgj", "years_in_field", "{\"years_in_field\":9.5,\"market_rank_global\":1}", "2026-07-01", NULL), 0);
  assert_int_equal(met("dxgj", "years_in_field", "{\"years_in_field\":3,\"new_product\":true,\"market_rank_global\":1}", "2026-07-01", NULL), 1);
  /* 小巨人 stands on a valid 专精特新 title. */
  assert_int_equal(met("xjr", "holds_zjtx", "{}", "2026-07-01", &el), 0);
  assert_int_equal(el, 0);
}

/* 小巨人 (工信部企业〔2022〕63号 附件3): each criterion at, just below and
** just above its bar; R&D as the two years' totals by last year's revenue
** band (1亿以上 3%, 5000万–1亿 6%; “以上” includes the figure itself). */
#define XJR_BASE "\"niche_years\":3,\"main_business_share\":70,\"debt_ratio\":70,\"market_share\":10,"
static void test_xjr(void **state) {
  (void)state;
  const char *D = "2026-07-01";
  int el;
  char buf[512];
#define XJR(extra) (snprintf(buf, sizeof buf, "{" XJR_BASE "%s}", extra), buf)
  assert_int_equal(met("xjr", "niche_years", XJR("\"x\":0"), D, NULL), 1);
  assert_int_equal(met("xjr", "niche_years", XJR("\"niche_years\":2.9"), D, NULL), 0);
  assert_int_equal(met("xjr", "main_business_share", XJR("\"x\":0"), D, NULL), 1);
  assert_int_equal(met("xjr", "main_business_share", XJR("\"main_business_share\":69.99"), D, NULL), 0);
  assert_int_equal(met("xjr", "debt_ratio", XJR("\"x\":0"), D, NULL), 1);
  assert_int_equal(met("xjr", "debt_ratio", XJR("\"debt_ratio\":70.01"), D, NULL), 0);
  assert_int_equal(met("xjr", "market_share", XJR("\"market_share\":9.99"), D, NULL), 0);
  assert_int_equal(met("xjr", "market_share", XJR("\"market_share\":10.01"), D, NULL), 1);
  /* Growth of 主营业务收入 over the last two years, on average 5%. */
  assert_int_equal(met("xjr", "growth_2y", XJR("\"main_revenue_3y\":[10000,10500,11025]"), D, NULL), 1);
  assert_int_equal(met("xjr", "growth_2y", XJR("\"main_revenue_3y\":[10000,10500,11000]"), D, NULL), 0);
  /* R&D: revenue of exactly 1亿 is in the 3% band; the two years' totals count. */
  assert_int_equal(met("xjr", "rd_general", XJR("\"sales\":10000,\"sales_3y\":[9000,10000,10000],\"rd_3y\":[1,250,350]"), D, NULL), 1);
  assert_int_equal(met("xjr", "rd_general", XJR("\"sales\":10000,\"sales_3y\":[9000,10000,10000],\"rd_3y\":[1,250,349]"), D, NULL), 0);
  assert_int_equal(met("xjr", "rd_general", XJR("\"sales\":9999,\"sales_3y\":[9000,10000,9999],\"rd_3y\":[1,600,599.94]"), D, NULL), 1);
  assert_int_equal(met("xjr", "rd_general", XJR("\"sales\":9999,\"sales_3y\":[9000,10000,9999],\"rd_3y\":[1,600,599]"), D, NULL), 0);
  assert_int_equal(met("xjr", "ip_class1", XJR("\"ip_class1\":1"), D, NULL), 0);
  assert_int_equal(met("xjr", "ip_class1", XJR("\"ip_class1\":2"), D, NULL), 1);
  /* An unknown fact is never met: without a debt ratio the rung is not eligible. */
  assert_int_equal(met("xjr", "debt_ratio", XJR("\"debt_ratio\":null"), D, &el), -1);
  assert_int_not_equal(el, 1);
#undef XJR
}

/* Series: a null inside makes the series unknown (never shorter); R&D and
** sales over the same years; 注册成立 365 calendar days (across a 29 February). */
static void test_series(void **state) {
  (void)state;
  assert_int_equal(met("gaoqi", "rd_ratio", "{\"rd_3y\":[150,null,200]}", ON, NULL), -1);
  /* Two years of R&D against three of sales: the last two of each (the
  ** first year's sales do not count): 250 / 5000 = 5%. */
  assert_int_equal(met("gaoqi", "rd_ratio", "{\"sales\":3000,\"sales_3y\":[100000,2000,3000],\"rd_3y\":[100,150]}", ON, NULL), 1);
  assert_int_equal(met("gaoqi", "rd_ratio", "{\"sales\":3000,\"sales_3y\":[1,2000,3000],\"rd_3y\":[100,149.9]}", ON, NULL), 0);
  assert_int_equal(met("gaoqi", "registered_1y", "{\"registered_on\":\"2023-03-01\"}", "2024-02-29", NULL), 1);
  assert_int_equal(met("gaoqi", "registered_1y", "{\"registered_on\":\"2023-03-02\"}", "2024-02-29", NULL), 0);
}

static void test_versions(void **state) {
  (void)state;
  int el;
  /* Before a rung's first version there is no rule: unknown. */
  json_t *out, *r = run("cxx", "{}", "2022-05-31", &out);
  assert_true(json_is_null(json_object_get(r, "rule_version")));
  assert_true(json_is_null(json_object_get(r, "eligible")));
  json_decref(out);
  /* A new version of 科技型 (a cap of 300 staff) from 2030: a check dated
  ** before it takes effect uses the older one. */
  Err e = {0};
  const char *v2 = "-- rung: kjxzx\n-- name: 科技型中小企业\n-- version: 2\n-- effective_from: 2030-01-01\n"
                   "-- citation: 测试用的新版本\n"
                   "local ok = num(f.staff) ~= nil and f.staff <= 300\n"
                   "check('staff', ok, f.staff, 300, '职工总数不超过 300 人')\ndecide(ok, nil)\n";
  assert_int_equal(ladder_version_add(v2, &e), 0);
  assert_int_equal(met("kjxzx", "staff", "{\"staff\":400,\"tech_staff\":150}", "2029-12-31", &el), 1);
  assert_int_equal(el, 1);
  assert_int_equal(met("kjxzx", "staff", "{\"staff\":400,\"tech_staff\":150}", "2030-01-01", &el), 0);
  assert_int_equal(el, 0);
  r = run("kjxzx", "{}", "2030-01-01", &out);
  assert_int_equal(json_integer_value(json_object_get(r, "rule_version")), 2);
  json_decref(out);
  /* The same version twice, an unknown rung and a rule that does not compile are refused. */
  assert_int_equal(ladder_version_add(v2, &e), -1);
  assert_string_equal(e.code, "ladder.version_exists");
  assert_int_equal(ladder_version_add("-- rung: nope\n-- version: 1\n-- effective_from: 2030-01-01\n", &e), -1);
  assert_string_equal(e.code, "ladder.bad_rule");
  assert_int_equal(ladder_version_add("-- rung: gaoqi\n-- version: 9\n-- effective_from: 2030-01-01\nlocal = 1\n", &e), -1);
  assert_string_equal(e.code, "rule.syntax");
  /* A citation or name is kept whole or refused, never cut inside a
  ** character; a text that is not UTF-8 is refused. */
  char src[1024], cite[600] = "";
  for (int i = 0; i < 134; i++) strcat(cite, "办"); /* 402 bytes */
  snprintf(src, sizeof src, "-- rung: gaoqi\n-- version: 8\n-- effective_from: 2031-01-01\n-- citation: %s\ndecide(nil)\n", cite);
  assert_int_equal(ladder_version_add(src, &e), -1);
  assert_string_equal(e.code, "ladder.bad_rule");
  assert_non_null(strstr(e.message, "399"));
  cite[133 * 3] = 0; /* 399 bytes: fits */
  snprintf(src, sizeof src, "-- rung: gaoqi\n-- version: 8\n-- effective_from: 2031-01-01\n-- citation: %s\ndecide(nil)\n", cite);
  assert_int_equal(ladder_version_add(src, &e), 0);
  r = run("gaoqi", "{}", "2031-01-01", &out);
  assert_string_equal(json_string_value(json_object_get(r, "citation")), cite);
  json_decref(out);
  snprintf(src, sizeof src, "-- rung: gaoqi\n-- version: 7\n-- effective_from: 2031-01-01\n-- name: %.99s\ndecide(nil)\n", cite);
  assert_int_equal(ladder_version_add(src, &e), -1);
  assert_non_null(strstr(e.message, "95"));
  assert_int_equal(ladder_version_add("-- rung: gaoqi\n-- version: 7\n-- effective_from: 2031-01-01\n-- name: \xe9\xab\n", &e), -1);
  assert_string_equal(e.code, "ladder.bad_rule");
  /* Bad input to the check itself. */
  json_t *facts = json_array();
  assert_null(ladder_check(facts, ON, &e));
  assert_string_equal(e.code, "ladder.bad_facts");
  json_decref(facts);
  facts = json_object();
  assert_null(ladder_check(facts, "2021-02-30", &e));
  assert_string_equal(e.code, "ladder.bad_date");
  json_decref(facts);
}

/* Every rung over a firm with each fact the rules read in turn missing or
** of a wrong kind (another type, an empty or odd string, a date that is
** none, huge or negative figures, lists of junk), on a day every rung has
** a version in force: no rule ever fails (an error is no verdict; an odd
** fact is unknown). The facts are every
** `f.NAME` of the rungs' rules and their helpers, so a fact a new rule
** reads is tried without touching this test. */
static void test_no_fact_fails_a_rung(void **state) {
#define EVERY_RUNG_ON "2025-06-30" /* a day every rung has a version in force (the latest from 2023-08-01) */
  (void)state;
  static const char *const odd[] = {"\"x\"", "\"\"", "\"2021-02-30\"", "0", "-1", "1e300", "-1e300", "true",
                                    "[]", "[1, \"x\", null, {}]", "[1e300, 1e300, 1e300]", "{}", "[{\"rung\": 1}]"};
  json_t *names = json_object();
  char *texts[7];
  int nText = 0;
  texts[nText++] = xstrdup(ladder_prelude());
  for (int i = 0; i < ladder_rung_count(); i++) assert_non_null(texts[nText++] = ladder_rule_text(ladder_rung_code(i), 1));
  for (int k = 0; k < nText; k++) {
    fact_names(texts[k], names);
    free(texts[k]);
  }
  json_object_del(names, "on"); /* what ladder_check() sets itself */
  assert_true(json_object_size(names) >= 20);
  json_t *base = json_loads(BASE, 0, NULL);
  assert_non_null(base);
  const char *name;
  json_t *unused;
  int tried = 0;
  json_object_foreach(names, name, unused) {
    for (int v = -1; v < (int)(sizeof odd / sizeof odd[0]); v++) {
      json_t *facts = json_deep_copy(base);
      if (v < 0) json_object_del(facts, name);
      else json_object_set_new(facts, name, json_loads(odd[v], JSON_DECODE_ANY, NULL));
      Err e = {0};
      json_t *out = ladder_check(facts, EVERY_RUNG_ON, &e), *rung;
      if (!out) fail_msg("%s = %s: %s", name, v < 0 ? "(missing)" : odd[v], e.message);
      size_t i;
      json_array_foreach(json_object_get(out, "rungs"), i, rung) {
        assert_false(json_is_null(json_object_get(rung, "rule_version"))); /* every rung is tried */
        if (json_array_size(json_object_get(rung, "criteria")) == 0)
          fail_msg("%s, %s = %s: %s", json_string_value(json_object_get(rung, "rung")), name, v < 0 ? "(missing)" : odd[v],
                   json_string_value(json_array_get(json_object_get(rung, "why_not"), 0)));
        tried++;
      }
      json_decref(out);
      json_decref(facts);
    }
  }
  assert_true(tried > 1000);
  json_decref(base);
  json_decref(names);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_gaoqi_all_met), cmocka_unit_test(test_gaoqi_thresholds), cmocka_unit_test(test_gaoqi_message),
      cmocka_unit_test(test_unknown),       cmocka_unit_test(test_kjxzx),            cmocka_unit_test(test_other_rungs),
      cmocka_unit_test(test_versions),      cmocka_unit_test(test_xjr),              cmocka_unit_test(test_series),
      cmocka_unit_test(test_no_fact_fails_a_rung),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
