/*
** test_talent_scan.c — unit tests of 免申即享's classification
** (talent_scan_classify()): covered, with the explanation's summary; close
** for want of one fact, or failing one criterion, each saying which; not
** close when two criteria fail or a fact is missing beside a failure; a
** policy not in force covers nobody.
*/
#include "unit.h"
#include "base/base.h"
#include "domain/talent.h"
#include "domain/talent_scan.h"

#include <string.h>

/* A master's graduate of a 一流学科 school, six months insured in Jinpu
** (2024-08 … 2025-01), on a three-year contract: 学费补助 on 2025-03-10. */
static const char *BASE =
    "{\"degree\":\"master\",\"school_class\":\"world_class_discipline\",\"graduated_on\":\"2024-06-30\","
    "\"full_time\":true,\"hukou_dalian\":true,\"employer_in_jinpu\":true,\"contract_start\":\"2024-07-15\","
    "\"contract_months\":36,\"business_in_jinpu\":false,"
    "\"social_insurance\":[{\"month\":\"2024-08\",\"place\":\"jinpu\"},{\"month\":\"2024-09\",\"place\":\"jinpu\"},"
    "{\"month\":\"2024-10\",\"place\":\"jinpu\"},{\"month\":\"2024-11\",\"place\":\"jinpu\"},"
    "{\"month\":\"2024-12\",\"place\":\"jinpu\"},{\"month\":\"2025-01\",\"place\":\"jinpu\"}],"
    "\"income_tax\":[]}";

/* classify() is talent_scan_classify() of policy over BASE with over's
** members (a null one removes the fact) on day on; *why as it gives. */
static eScan classify(const char *policy, const char *over, const char *on, json_t **why) {
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
  json_t *check = talent_check(facts, policy, on, NULL, &e);
  if (!check) fail_msg("%s: %s", policy, e.message);
  eScan r = talent_scan_classify(check, why);
  assert_non_null(*why);
  json_decref(check);
  json_decref(facts);
  json_decref(o);
  return r;
}

static void test_found(void **state) {
  (void)state;
  json_t *why;
  assert_int_equal(classify("tuition", "{}", "2025-03-10", &why), SCAN_FOUND);
  assert_true(json_is_string(why));
  assert_non_null(strstr(json_string_value(why), "依据"));
  assert_non_null(strstr(json_string_value(why), "全日制学历"));
  json_decref(why);
}

static void test_close(void **state) {
  (void)state;
  json_t *why;
  /* one fact missing: which */
  assert_int_equal(classify("tuition", "{\"full_time\":null}", "2025-03-10", &why), SCAN_CLOSE);
  assert_int_equal(json_array_size(why), 1);
  assert_string_equal(json_string_value(json_object_get(json_array_get(why, 0), "code")), "full_time");
  assert_true(json_is_true(json_object_get(json_array_get(why, 0), "missing")));
  assert_non_null(strstr(json_string_value(json_object_get(json_array_get(why, 0), "text")), "缺少数据"));
  json_decref(why);
  /* one criterion failing: which, in Chinese */
  assert_int_equal(classify("tuition", "{\"full_time\":false}", "2025-03-10", &why), SCAN_CLOSE);
  assert_int_equal(json_array_size(why), 1);
  assert_true(json_is_false(json_object_get(json_array_get(why, 0), "missing")));
  assert_non_null(strstr(json_string_value(json_object_get(json_array_get(why, 0), "text")), "非全日制"));
  json_decref(why);
}

static void test_not_close(void **state) {
  (void)state;
  json_t *why;
  /* two failing */
  assert_int_equal(classify("tuition", "{\"full_time\":false,\"graduated_on\":\"2015-06-30\"}", "2025-03-10", &why),
                   SCAN_NONE);
  assert_true(json_is_null(why));
  /* one failing and one missing */
  assert_int_equal(classify("tuition", "{\"full_time\":false,\"degree\":null}", "2025-03-10", &why), SCAN_NONE);
  /* not in force: 安居补贴 ended with 2022 */
  assert_int_equal(classify("anju", "{}", "2025-03-10", &why), SCAN_NONE);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_found),
      cmocka_unit_test(test_close),
      cmocka_unit_test(test_not_close),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
