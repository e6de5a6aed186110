/*
** test_talent.c — unit tests of the talent policies (talent.c, data/talent):
** the graduation window at its last day and the day after (29 February
** too), six consecutive months with a gap, a back-paid month, the 36-month
** cap and the first month paid, a parameter changed mid-schedule, the day a
** policy takes effect, unknown and empty facts, and the amounts by degree
** and school.
*/
#include "unit.h"
#include "base/base.h"
#include "domain/talent.h"
#include "fact_names.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A master's graduate of a 一流学科 school, six months insured and taxed in
** Jinpu (2024-08 … 2025-01), working on a three-year contract. */
static const char *BASE =
    "{\"degree\":\"master\",\"school_class\":\"world_class_discipline\",\"graduated_on\":\"2024-06-30\","
    "\"full_time\":true,\"hukou_dalian\":true,\"employer_in_jinpu\":true,\"contract_start\":\"2024-07-15\","
    "\"contract_months\":36,\"business_in_jinpu\":false,"
    "\"social_insurance\":[{\"month\":\"2024-08\",\"place\":\"jinpu\"},{\"month\":\"2024-09\",\"place\":\"jinpu\"},"
    "{\"month\":\"2024-10\",\"place\":\"jinpu\"},{\"month\":\"2024-11\",\"place\":\"jinpu\"},"
    "{\"month\":\"2024-12\",\"place\":\"jinpu\"},{\"month\":\"2025-01\",\"place\":\"jinpu\"}],"
    "\"income_tax\":[]}";

/* check() runs policy over BASE with the members of over (JSON text; a
** null member removes the fact) on day on, with parameters history (JSON
** text, NULL for the shipped ones); returns the answer (new). */
static json_t *check(const char *policy, const char *over, const char *on, const char *history) {
  json_t *facts = json_loads(BASE, 0, NULL), *o = json_loads(over, 0, NULL);
  json_t *h = history ? json_loads(history, 0, NULL) : NULL;
  assert_non_null(facts);
  assert_non_null(o);
  const char *k;
  json_t *v;
  json_object_foreach(o, k, v) {
    if (json_is_null(v)) json_object_del(facts, k);
    else json_object_set(facts, k, v);
  }
  Err e = {0};
  json_t *out = talent_check(facts, policy, on, h, &e);
  json_decref(facts);
  json_decref(o);
  json_decref(h);
  if (!out) fail_msg("%s: %s", policy, e.message);
  return out;
}

/* eligible() is the verdict of check(): 1, 0, or -1 (unknown). */
static int eligible(const char *policy, const char *over, const char *on) {
  json_t *out = check(policy, over, on, NULL), *el = json_object_get(out, "eligible");
  int r = json_is_true(el) ? 1 : json_is_false(el) ? 0 : -1;
  json_decref(out);
  return r;
}

/* met() is criterion code's verdict in check()'s explanation: 1, 0, -1. */
static int met(const char *policy, const char *code, const char *over, const char *on) {
  json_t *out = check(policy, over, on, NULL), *x;
  size_t i;
  int m = -2;
  json_array_foreach(json_object_get(out, "explanation"), i, x) {
    const char *c = json_string_value(json_object_get(x, "code"));
    if (c && strcmp(c, code) == 0) {
      json_t *y = json_object_get(x, "met");
      m = json_is_true(y) ? 1 : json_is_false(y) ? 0 : -1;
    }
  }
  json_decref(out);
  if (m == -2) fail_msg("no criterion %s of %s", code, policy);
  return m;
}

/* amount() is amount_fen of check() (-1 when null). */
static long long amount(const char *policy, const char *over, const char *on) {
  json_t *out = check(policy, over, on, NULL), *a = json_object_get(out, "amount_fen");
  long long r = json_is_integer(a) ? (long long)json_integer_value(a) : -1;
  json_decref(out);
  return r;
}

static void test_graduation_window(void **state) {
  (void)state;
  assert_int_equal(met("mingxiao", "graduated_within", "{}", "2026-06-30"), 1); /* the last day */
  assert_int_equal(met("mingxiao", "graduated_within", "{}", "2026-07-01"), 0);
  assert_int_equal(eligible("mingxiao", "{}", "2026-07-01"), 0);
  /* 29 February: two years end on 28 February (民法典 第二百零二条) */
  assert_int_equal(met("mingxiao", "graduated_within", "{\"graduated_on\":\"2024-02-29\"}", "2026-02-28"), 1);
  assert_int_equal(met("mingxiao", "graduated_within", "{\"graduated_on\":\"2024-02-29\"}", "2026-03-01"), 0);
  /* not graduated yet on the day */
  assert_int_equal(met("mingxiao", "graduated_within", "{\"graduated_on\":\"2025-07-01\"}", "2025-03-10"), 0);
  assert_int_equal(met("mingxiao", "graduated_within", "{\"graduated_on\":null}", "2025-03-10"), -1);
  assert_int_equal(met("mingxiao", "graduated_within", "{\"graduated_on\":\"2024-02-30\"}", "2025-03-10"), -1);
}

/* months() is a social_insurance (or income_tax) array text of the months
** in spec, "YYYY-MM[:place][!]" separated by spaces ('!' back-paid). */
static char *months(const char *spec) {
  static char buf[4096];
  size_t o = 0;
  o += (size_t)snprintf(buf + o, sizeof buf - o, "[");
  char copy[1024];
  snprintf(copy, sizeof copy, "%s", spec);
  bool first = true;
  for (char *t = strtok(copy, " "); t; t = strtok(NULL, " ")) {
    bool back = t[strlen(t) - 1] == '!';
    if (back) t[strlen(t) - 1] = 0;
    char *place = strchr(t, ':');
    if (place) *place++ = 0;
    o += (size_t)snprintf(buf + o, sizeof buf - o, "%s{\"month\":\"%s\",\"place\":\"%s\",\"back_paid\":%s}",
                          first ? "" : ",", t, place ? place : "jinpu", back ? "true" : "false");
    first = false;
  }
  snprintf(buf + o, sizeof buf - o, "]");
  return buf;
}

/* over_si() is an override text with social_insurance from spec. */
static char *over_si(const char *spec) {
  static char buf[4200];
  snprintf(buf, sizeof buf, "{\"social_insurance\":%s}", months(spec));
  return buf;
}

static void test_consecutive_months(void **state) {
  (void)state;
  /* five, a gap, five: never six in a row */
  const char *gap = "2024-03 2024-04 2024-05 2024-06 2024-07 2024-09 2024-10 2024-11 2024-12 2025-01";
  assert_int_equal(met("mingxiao", "social_insurance", over_si(gap), "2025-03-10"), 0);
  /* … and the sixth after the gap makes it */
  const char *six = "2024-03 2024-04 2024-05 2024-06 2024-07 2024-09 2024-10 2024-11 2024-12 2025-01 2025-02";
  assert_int_equal(met("mingxiao", "social_insurance", over_si(six), "2025-03-10"), 1);
  /* a month after the day of the check does not count */
  assert_int_equal(met("mingxiao", "social_insurance", over_si(six), "2025-01-31"), 0);
  /* another place breaks the run; an unordered list is read by month */
  assert_int_equal(met("mingxiao", "social_insurance",
                       over_si("2024-08 2024-09 2024-10:other 2024-11 2024-12 2025-01"), "2025-03-10"), 0);
  assert_int_equal(met("mingxiao", "social_insurance",
                       over_si("2025-01 2024-09 2024-08 2024-12 2024-10 2024-11"), "2025-03-10"), 1);
  /* absent is unknown, empty is known: none */
  assert_int_equal(met("mingxiao", "social_insurance", "{\"social_insurance\":null}", "2025-03-10"), -1);
  assert_int_equal(met("mingxiao", "social_insurance", "{\"social_insurance\":[]}", "2025-03-10"), 0);
  assert_int_equal(met("mingxiao", "social_insurance", "{\"social_insurance\":[{\"month\":\"2024-13\",\"place\":\"jinpu\"}]}", "2025-03-10"), -1);
  /* 名校优才: social insurance or income tax — neither known is unknown,
  ** none of either is not eligible, six months of tax alone is enough */
  assert_int_equal(eligible("mingxiao", "{\"social_insurance\":null,\"income_tax\":null}", "2025-03-10"), -1);
  assert_int_equal(eligible("mingxiao", "{\"social_insurance\":[],\"income_tax\":[]}", "2025-03-10"), 0);
  assert_int_equal(eligible("mingxiao", "{\"social_insurance\":[],\"income_tax\":null}", "2025-03-10"), -1);
  char over[4300];
  snprintf(over, sizeof over, "{\"social_insurance\":[],\"income_tax\":%s}",
           months("2024-08 2024-09 2024-10 2024-11 2024-12 2025-01"));
  assert_int_equal(eligible("mingxiao", over, "2025-03-10"), 1);
}

static void test_back_paid(void **state) {
  (void)state;
  const char *spec = "2024-08:dalian 2024-09:dalian 2024-10:dalian! 2024-11:dalian 2024-12:jinpu 2025-01:jinpu";
  /* 住房补贴 does not count a back-paid month; 名校优才 (Jinpu only) does */
  assert_int_equal(met("housing", "social_insurance", over_si(spec), "2025-03-10"), 0);
  assert_int_equal(met("housing", "social_insurance",
                       over_si("2024-08:dalian 2024-09:dalian 2024-10:dalian 2024-11:dalian 2024-12:jinpu 2025-01:jinpu"),
                       "2025-03-10"), 1);
  assert_int_equal(met("mingxiao", "social_insurance", over_si("2024-08 2024-09 2024-10! 2024-11 2024-12 2025-01"),
                       "2025-03-10"), 1);
}

static void test_housing_schedule(void **state) {
  (void)state;
  json_t *out = check("housing", "{}", "2025-03-10", NULL), *list = json_object_get(out, "instalments");
  assert_true(json_is_true(json_object_get(out, "eligible")));
  assert_int_equal(json_array_size(list), 36); /* at most 36 months */
  /* from the month after the sixth month (2025-01) */
  assert_string_equal(json_string_value(json_object_get(json_array_get(list, 0), "due")), "2025-02-01");
  assert_string_equal(json_string_value(json_object_get(json_array_get(list, 35), "due")), "2028-01-01");
  /* 1500 元 a month, +10% for a 一流学科 graduate */
  assert_int_equal(json_integer_value(json_object_get(out, "amount_fen")), 165000);
  json_decref(out);
  assert_int_equal(amount("housing", "{\"degree\":\"doctor\",\"school_class\":\"world_class_university\"}", "2025-03-10"), 275000);
  assert_int_equal(amount("housing", "{\"degree\":\"doctor\",\"school_class\":\"overseas_top200\"}", "2025-03-10"), 250000);
  assert_int_equal(amount("housing", "{\"degree\":\"bachelor\",\"school_class\":\"other\"}", "2025-03-10"), 100000);
  assert_int_equal(eligible("housing", "{\"degree\":\"college\"}", "2025-03-10"), 0);
  assert_int_equal(eligible("housing", "{\"hukou_dalian\":false}", "2025-03-10"), 0);
  assert_int_equal(eligible("housing", "{\"contract_start\":\"2024-05-01\"}", "2025-03-10"), 0); /* before graduating */
  /* in force from 2023-01-01 */
  assert_int_equal(eligible("housing", "{\"graduated_on\":\"2022-06-30\"}", "2022-12-31"), 0);
  out = check("housing", "{\"graduated_on\":\"2022-06-30\"}", "2022-12-31", NULL);
  assert_non_null(strstr(json_string_value(json_array_get(json_object_get(out, "why_not"), 0)), "2023-01-01"));
  json_decref(out);
  /* insured since 2022: no month before the measure took effect is paid */
  out = check("housing",
              "{\"graduated_on\":\"2022-06-30\",\"contract_start\":\"2022-07-01\",\"social_insurance\":"
              "[{\"month\":\"2022-07\",\"place\":\"dalian\"},{\"month\":\"2022-08\",\"place\":\"dalian\"},"
              "{\"month\":\"2022-09\",\"place\":\"dalian\"},{\"month\":\"2022-10\",\"place\":\"dalian\"},"
              "{\"month\":\"2022-11\",\"place\":\"dalian\"},{\"month\":\"2022-12\",\"place\":\"dalian\"}]}",
              "2023-01-01", NULL);
  assert_true(json_is_true(json_object_get(out, "eligible")));
  assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(out, "instalments"), 0), "due")),
                      "2023-01-01");
  json_decref(out);
}

static void test_parameter_changed(void **state) {
  (void)state;
  /* 硕士 1500 → 1800 元 from 2025-06-01: the months before keep 1500 (+10%) */
  const char *h = "{\"monthly_doctor_fen\":[{\"from\":\"2023-01-01\",\"value\":250000}],"
                  "\"monthly_master_fen\":[{\"from\":\"2023-01-01\",\"value\":150000},{\"from\":\"2025-06-01\",\"value\":180000}],"
                  "\"monthly_bachelor_fen\":[{\"from\":\"2023-01-01\",\"value\":100000}],"
                  "\"double_first_class_pct\":[{\"from\":\"2023-01-01\",\"value\":10}],"
                  "\"max_months\":[{\"from\":\"2023-01-01\",\"value\":36}],"
                  "\"within_months\":[{\"from\":\"2023-01-01\",\"value\":24}],"
                  "\"insured_months\":[{\"from\":\"2023-01-01\",\"value\":6}],"
                  "\"paid_from\":[{\"from\":\"2023-01-01\",\"value\":\"2023-01-01\"}]}";
  json_t *out = check("housing", "{}", "2025-03-10", h), *list = json_object_get(out, "instalments");
  assert_int_equal(json_integer_value(json_object_get(json_array_get(list, 3), "amount_fen")), 165000); /* 2025-05 */
  assert_int_equal(json_integer_value(json_object_get(json_array_get(list, 4), "amount_fen")), 198000); /* 2025-06 */
  assert_int_equal(json_integer_value(json_object_get(out, "amount_fen")), 165000);                     /* as of the day */
  json_decref(out);
  /* 名校优才 硕士 10万 → 12万 from 2026-01-01: yearly fifths follow their due day */
  const char *m = "{\"amount_doctor_fen\":[{\"from\":\"2019-01-01\",\"value\":20000000}],"
                  "\"amount_master_fen\":[{\"from\":\"2019-01-01\",\"value\":10000000},{\"from\":\"2026-01-01\",\"value\":12000000}],"
                  "\"amount_bachelor_fen\":[{\"from\":\"2019-01-01\",\"value\":5000000}],"
                  "\"instalments\":[{\"from\":\"2019-01-01\",\"value\":5}],\"within_months\":[{\"from\":\"2019-01-01\",\"value\":24}],"
                  "\"contract_months\":[{\"from\":\"2019-01-01\",\"value\":12}],\"insured_months\":[{\"from\":\"2019-01-01\",\"value\":6}]}";
  out = check("mingxiao", "{}", "2025-03-10", m);
  list = json_object_get(out, "instalments");
  assert_int_equal(json_array_size(list), 5);
  assert_int_equal(json_integer_value(json_object_get(json_array_get(list, 0), "amount_fen")), 2000000);
  assert_int_equal(json_integer_value(json_object_get(json_array_get(list, 1), "amount_fen")), 2400000);
  assert_string_equal(json_string_value(json_object_get(json_array_get(list, 4), "due")), "2029-03-10");
  json_decref(out);
}

static void test_amounts(void **state) {
  (void)state;
  assert_int_equal(amount("mingxiao", "{\"degree\":\"doctor\"}", "2025-03-10"), 20000000);
  assert_int_equal(amount("mingxiao", "{\"degree\":\"bachelor\"}", "2025-03-10"), 5000000);
  assert_int_equal(eligible("mingxiao", "{\"degree\":\"college\"}", "2025-03-10"), 0);
  assert_int_equal(eligible("mingxiao", "{\"school_class\":\"other\"}", "2025-03-10"), 0);
  assert_int_equal(eligible("mingxiao", "{\"full_time\":false}", "2025-03-10"), 0);
  assert_int_equal(eligible("mingxiao", "{\"contract_months\":11}", "2025-03-10"), 0);
  assert_int_equal(eligible("mingxiao", "{\"contract_months\":12}", "2025-03-10"), 1);
  assert_int_equal(eligible("mingxiao", "{\"employer_in_jinpu\":false,\"business_in_jinpu\":true}", "2025-03-10"), 1);
  assert_int_equal(eligible("mingxiao", "{\"employer_in_jinpu\":null,\"business_in_jinpu\":null}", "2025-03-10"), -1);
  /* 学费补助: one payment, +40% 一流大学 or +20% 一流学科 */
  assert_int_equal(amount("tuition", "{\"degree\":\"doctor\",\"school_class\":\"world_class_university\"}", "2025-03-10"), 4200000);
  assert_int_equal(amount("tuition", "{}", "2025-03-10"), 2400000);
  assert_int_equal(amount("tuition", "{\"degree\":\"bachelor\",\"school_class\":\"other\"}", "2025-03-10"), 1000000);
  assert_int_equal(amount("tuition", "{\"degree\":\"college\",\"school_class\":\"overseas_top200\"}", "2025-03-10"), 800000);
  assert_int_equal(amount("tuition", "{\"degree\":\"phd\"}", "2025-03-10"), -1);
}

/* instalments() is the number of check()'s instalments and, in *first,
** the first one's amount. */
static int instalments(const char *policy, const char *over, const char *on, long long *first) {
  json_t *out = check(policy, over, on, NULL), *list = json_object_get(out, "instalments");
  int n = (int)json_array_size(list);
  *first = n ? (long long)json_integer_value(json_object_get(json_array_get(list, 0), "amount_fen")) : -1;
  json_decref(out);
  return n;
}

/* 安家费 by tier within 12 months of the recognition; 在职津贴 after 12
** months insured; 紧缺人才薪酬补贴 as a share of the salary under a cap;
** 柔性引进 awaiting the committee, then within the tier's cap. */
static void test_high_level(void **state) {
  (void)state;
  const char *on = "2025-03-10";
  long long first;
  assert_int_equal(amount("anjiafei", "{\"talent_tier\":\"senior\",\"tier_on\":\"2024-03-10\",\"introduced_full_time\":true,"
                                      "\"contract_months\":60}", on), 50000000);
  assert_int_equal(instalments("anjiafei", "{\"talent_tier\":\"top\",\"tier_on\":\"2025-01-10\",\"introduced_full_time\":true,"
                                           "\"contract_months\":60}", on, &first), 5);
  assert_int_equal(first, 40000000);
  assert_int_equal(eligible("anjiafei", "{\"talent_tier\":\"senior\",\"tier_on\":\"2024-03-09\",\"introduced_full_time\":true,"
                                        "\"contract_months\":60}", on), 0);
  assert_int_equal(eligible("anjiafei", "{\"talent_tier\":\"senior\",\"tier_on\":\"2024-03-10\",\"introduced_full_time\":true,"
                                        "\"contract_months\":59}", on), 0);
  assert_int_equal(eligible("anjiafei", "{\"talent_tier\":\"senior\",\"tier_on\":\"2024-03-10\",\"introduced_full_time\":false,"
                                        "\"contract_months\":60}", on), 0);
  assert_int_equal(eligible("anjiafei", "{\"tier_on\":\"2024-03-10\",\"introduced_full_time\":true,\"contract_months\":60}", on), -1);
  /* 在职津贴: twelve consecutive months in Jinpu; BASE has six */
  assert_int_equal(met("jintie", "social_insurance", "{\"talent_tier\":\"young\"}", on), 0);
  const char *year =
      "{\"talent_tier\":\"young\",\"social_insurance\":[{\"month\":\"2024-02\",\"place\":\"jinpu\"},{\"month\":\"2024-03\",\"place\":\"jinpu\"},"
      "{\"month\":\"2024-04\",\"place\":\"jinpu\"},{\"month\":\"2024-05\",\"place\":\"jinpu\"},{\"month\":\"2024-06\",\"place\":\"jinpu\"},"
      "{\"month\":\"2024-07\",\"place\":\"jinpu\"},{\"month\":\"2024-08\",\"place\":\"jinpu\"},{\"month\":\"2024-09\",\"place\":\"jinpu\"},"
      "{\"month\":\"2024-10\",\"place\":\"jinpu\"},{\"month\":\"2024-11\",\"place\":\"jinpu\"},{\"month\":\"2024-12\",\"place\":\"jinpu\"},"
      "{\"month\":\"2025-01\",\"place\":\"jinpu\"}]}";
  assert_int_equal(instalments("jintie", year, on, &first), 3);
  assert_int_equal(first, 1200000);
  /* 紧缺人才薪酬补贴: 10% of 15万 (一般紧缺); the least salary; 20% capped at 5万 */
  const char *pos = "{\"shortage_position\":\"JQ-001\",\"shortage_level\":\"general\",\"shortage_on\":\"2024-03-10\","
                    "\"annual_salary_fen\":15000000}";
  assert_int_equal(amount("jinque", pos, on), 1500000);
  assert_int_equal(eligible("jinque", "{\"shortage_position\":\"JQ-001\",\"shortage_level\":\"general\",\"shortage_on\":\"2024-03-10\","
                                      "\"annual_salary_fen\":14999999}", on), 0);
  assert_int_equal(eligible("jinque", "{\"shortage_position\":\"JQ-001\",\"shortage_level\":\"general\",\"shortage_on\":\"2024-03-09\","
                                      "\"annual_salary_fen\":15000000}", on), 0);
  assert_int_equal(amount("jinque", "{\"shortage_position\":\"JQ-001\",\"shortage_level\":\"acute\",\"shortage_on\":\"2025-01-01\","
                                    "\"annual_salary_fen\":30000000}", on), 5000000);
  assert_int_equal(eligible("jinque", pos, "2019-12-31"), 0); /* not yet in force */
  /* 柔性引进: unknown until the committee decides, then within the cap (领军 50万) */
  const char *flex = "{\"talent_tier\":\"leading\",\"introduced_full_time\":false,\"flexible_months\":12,\"days_in_jinpu\":60";
  char buf[400];
  snprintf(buf, sizeof buf, "%s}", flex);
  assert_int_equal(eligible("rouxing", buf, on), -1);
  snprintf(buf, sizeof buf, "%s,\"committee_amount_fen\":50000000}", flex);
  assert_int_equal(instalments("rouxing", buf, on, &first), 1);
  assert_int_equal(first, 50000000);
  snprintf(buf, sizeof buf, "%s,\"committee_amount_fen\":50000001}", flex);
  assert_int_equal(eligible("rouxing", buf, on), 0);
  snprintf(buf, sizeof buf, "%s,\"committee_amount_fen\":100,\"talent_tier\":\"young\"}", flex);
  assert_int_equal(eligible("rouxing", buf, on), 0);
  assert_int_equal(instalments("rouxing", "{\"talent_tier\":\"leading\",\"introduced_full_time\":false,\"flexible_months\":13,"
                                          "\"days_in_jinpu\":60,\"committee_amount_fen\":100}", on, &first), 2);
  assert_int_equal(eligible("rouxing", "{\"talent_tier\":\"leading\",\"introduced_full_time\":false,\"flexible_months\":12,"
                                       "\"days_in_jinpu\":59,\"committee_amount_fen\":100}", on), 0);
}

/* Which policies may be held together: the policies' headers decide. */
static void test_exclusive(void **state) {
  (void)state;
  const char *on = "2025-03-10";
  assert_true(talent_exclusive("mingxiao", "tuition", on));  /* mingxiao: level:district */
  assert_true(talent_exclusive("tuition", "mingxiao", on));  /* either side naming the other */
  assert_false(talent_exclusive("mingxiao", "housing", on)); /* a city policy */
  assert_true(talent_exclusive("anju", "housing", on));      /* anju names housing, out of force or not */
  assert_true(talent_exclusive("anjiafei", "rouxing", on));
  assert_false(talent_exclusive("anjiafei", "jintie", on));
  assert_false(talent_exclusive("tuition", "housing", on));
  assert_false(talent_exclusive("mingxiao", "mingxiao", on));
  assert_false(talent_exclusive("mingxiao", "nope", on));
}

static void test_bad_input(void **state) {
  (void)state;
  json_t *facts = json_object();
  Err e = {0};
  assert_null(talent_check(facts, "nope", "2025-03-10", NULL, &e));
  assert_string_equal(e.code, "talent.bad_policy");
  assert_null(talent_check(facts, "mingxiao", "2025-02-30", NULL, &e));
  assert_string_equal(e.code, "talent.bad_date");
  json_t *arr = json_array();
  assert_null(talent_check(arr, "mingxiao", "2025-03-10", NULL, &e));
  assert_string_equal(e.code, "talent.bad_facts");
  json_decref(arr);
  /* nothing known: unknown, with every missing fact in the why-not */
  json_t *out = talent_check(facts, "mingxiao", "2025-03-10", NULL, &e);
  assert_true(json_is_null(json_object_get(out, "eligible")));
  assert_true(json_array_size(json_object_get(out, "why_not")) >= 5);
  json_decref(out);
  json_decref(facts);
}

/* Every policy over a person who has every fact any policy reads, with
** each fact in turn missing or of a wrong kind (another type, an empty or
** odd string, a date that is none, a list of junk): the rule never fails
** (an error is no verdict: a missing or odd fact is unknown or not met, and
** never met), and "purpose" in the facts never makes a decision a re-check.
** The facts are every `f.NAME` the rules read, so a fact a new rule reads is
** tried without touching this test. */
static void test_no_fact_fails_a_rule(void **state) {
  (void)state;
  static const char *const policies[] = {"mingxiao", "housing", "tuition", "anju", "anjiafei",
                                         "rouxing",  "jintie",  "jinque",  "gongjiang"};
  static const char *const odd[] = {"\"x\"", "\"\"", "\"2025-02-30\"", "0", "-1", "1e300", "true", "false",
                                    "[]", "[1, \"x\", null, {}]", "{}", "{\"month\": 1}"};
  json_t *full = json_loads(BASE, 0, NULL);
  json_t *more = json_loads("{\"talent_tier\":\"young\",\"tier_on\":\"2024-01-10\",\"shortage_position\":\"JQ-001\","
                            "\"shortage_level\":\"general\",\"shortage_on\":\"2024-03-10\",\"annual_salary_fen\":30000000,"
                            "\"introduced_full_time\":true,\"flexible_months\":24,\"days_in_jinpu\":100,"
                            "\"skill_level\":\"technician\",\"frontline_years\":6,\"committee_amount_fen\":100000,"
                            "\"committee_ref\":\"会议纪要 2025-1\"}",
                            0, NULL);
  assert_non_null(full);
  assert_non_null(more);
  json_object_update(full, more);
  json_decref(more);
  /* the facts the rules read (f.NAME) */
  json_t *names = json_object();
  for (size_t k = 0; k < sizeof policies / sizeof policies[0]; k++) {
    char *text = talent_rule_text(policies[k], 1);
    assert_non_null(text);
    fact_names(text, names);
    free(text);
  }
  json_object_del(names, "on"); /* what talent_check() sets itself */
  json_object_del(names, "purpose");
  json_object_del(names, "param_history");
  assert_true(json_object_size(names) >= 20);
  /* each policy on the days it is in force: 安居补贴 ended 2022-12-31, 住房补贴 began 2023-01-01 */
  static const char *const days[] = {"2022-06-01", "2025-03-10"};
  const char *name;
  json_t *unused;
  int tried = 0;
  for (size_t k = 0; k < sizeof policies / sizeof policies[0]; k++) {
    int ran = 0;
    for (size_t dd = 0; dd < sizeof days / sizeof days[0]; dd++) {
      json_object_foreach(names, name, unused) {
        for (int v = -1; v < (int)(sizeof odd / sizeof odd[0]); v++) {
          json_t *facts = json_deep_copy(full);
          if (v < 0) json_object_del(facts, name);
          else json_object_set_new(facts, name, json_loads(odd[v], JSON_DECODE_ANY, NULL));
          for (int recheck = 0; recheck < 2; recheck++) {
            Err e = {0};
            json_t *out = recheck ? talent_recheck(facts, policies[k], days[dd], NULL, &e)
                                  : talent_check(facts, policies[k], days[dd], NULL, &e);
            if (!out) fail_msg("%s, %s = %s: %s", policies[k], name, v < 0 ? "(missing)" : odd[v], e.message);
            const json_t *re = json_object_get(out, "rule_error");
            if (re)
              fail_msg("%s%s on %s, %s = %s: %s", policies[k], recheck ? " (re-check)" : "", days[dd], name,
                       v < 0 ? "(missing)" : odd[v], json_string_value(json_object_get(re, "message")));
            if (json_is_integer(json_object_get(out, "rule_version"))) ran++, tried++; /* the rule ran: in force */
            json_decref(out);
          }
          json_decref(facts);
        }
      }
    }
    if (ran == 0) fail_msg("%s is in force on none of the days tried", policies[k]);
  }
  assert_true(tried > 1000);
  /* "purpose" among the facts: a decision stays a decision (long past the
  ** graduation window, which a re-check does not look at) */
  json_t *facts = json_deep_copy(full);
  json_object_set_new(facts, "graduated_on", json_string("2010-06-30"));
  Err e = {0};
  json_t *out = talent_recheck(facts, "mingxiao", "2025-02-10", NULL, &e);
  assert_true(json_is_true(json_object_get(out, "eligible")));
  json_decref(out);
  json_object_set_new(facts, "purpose", json_string("recheck"));
  out = talent_check(facts, "mingxiao", "2025-02-10", NULL, &e);
  assert_true(json_is_false(json_object_get(out, "eligible")));
  json_decref(out);
  json_decref(facts);
  json_decref(names);
  json_decref(full);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_graduation_window), cmocka_unit_test(test_consecutive_months),
      cmocka_unit_test(test_back_paid),         cmocka_unit_test(test_housing_schedule),
      cmocka_unit_test(test_parameter_changed), cmocka_unit_test(test_amounts),
      cmocka_unit_test(test_bad_input),         cmocka_unit_test(test_high_level),
      cmocka_unit_test(test_exclusive),         cmocka_unit_test(test_no_fact_fails_a_rule),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
