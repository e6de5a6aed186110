/*
** test_talent_whatif.c — unit tests of the what-if's layering
** (talent_whatif_layer()): a change is one more dated version, the old ones
** kept and the history given left alone; a version of the same day is
** replaced; a key the policy lacks, a value of the wrong type and one
** outside the key's range are refused; and the layered history, given to talent_check(), changes only
** the instalments due on or after the day.
*/
#include "unit.h"
#include "base/base.h"
#include "domain/talent.h"
#include "domain/talent_whatif.h"

#include <string.h>

static json_t *J(const char *text) {
  json_t *v = json_loads(text, 0, NULL);
  assert_non_null(v);
  return v;
}

static void test_layer_adds_a_version(void **state) {
  (void)state;
  json_t *h = talent_params("mingxiao"), *o = J("{\"amount_master_fen\": 12000000}");
  assert_non_null(h);
  Err e = {0};
  json_t *l = talent_whatif_layer(h, o, "2026-01-01", &e);
  assert_non_null(l);
  json_t *v = json_object_get(l, "amount_master_fen");
  assert_int_equal(json_array_size(v), 2);
  assert_string_equal(json_string_value(json_object_get(json_array_get(v, 0), "from")), "2019-01-01");
  assert_int_equal(json_integer_value(json_object_get(json_array_get(v, 1), "value")), 12000000);
  assert_string_equal(json_string_value(json_object_get(json_array_get(v, 1), "from")), "2026-01-01");
  /* the given history is not changed, nor the other keys */
  assert_int_equal(json_array_size(json_object_get(h, "amount_master_fen")), 1);
  assert_true(json_equal(json_object_get(h, "instalments"), json_object_get(l, "instalments")));
  /* a second change of the same day replaces the first */
  json_t *o2 = J("{\"amount_master_fen\": 11000000}");
  json_t *l2 = talent_whatif_layer(l, o2, "2026-01-01", &e);
  assert_non_null(l2);
  v = json_object_get(l2, "amount_master_fen");
  assert_int_equal(json_array_size(v), 2);
  assert_int_equal(json_integer_value(json_object_get(json_array_get(v, 1), "value")), 11000000);
  json_decref(o2);
  json_decref(l2);
  json_decref(l);
  json_decref(o);
  json_decref(h);
}

static void test_layer_refuses(void **state) {
  (void)state;
  json_t *h = talent_params("housing");
  assert_non_null(h);
  assert_null(talent_params("nope"));
  static const struct {
    const char *over, *code, *field;
  } bad[] = {
      {"{\"nope\": 1}", "talent.bad_param", "params.nope"},
      {"{\"max_months\": \"48\"}", "talent.bad_value", "params.max_months"},
      {"{\"max_months\": -1}", "talent.bad_value", "params.max_months"},
      {"{\"max_months\": 1000000000001}", "talent.bad_value", "params.max_months"},
      {"{\"max_months\": 4.5}", "talent.bad_value", "params.max_months"},
      {"{\"paid_from\": \"2024-02-30\"}", "talent.bad_value", "params.paid_from"},
      {"{\"paid_from\": 2024}", "talent.bad_value", "params.paid_from"},
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    json_t *o = J(bad[i].over);
    Err e = {0};
    assert_null(talent_whatif_layer(h, o, "2026-01-01", &e));
    assert_string_equal(e.code, bad[i].code);
    assert_string_equal(e.field, bad[i].field);
    json_decref(o);
  }
  json_t *o = J("{\"max_months\": 48, \"paid_from\": \"2024-01-01\"}");
  Err e = {0};
  assert_null(talent_whatif_layer(h, o, "2026-02-30", &e));
  assert_string_equal(e.code, "talent.bad_date");
  json_t *l = talent_whatif_layer(h, o, "2026-01-01", &e);
  assert_non_null(l);
  json_decref(l);
  json_decref(o);
  json_decref(h);
}

/* Every integer parameter a policy ships has a range (data/talent/ranges.json)
** holding each of its versions; a value at either end of it is taken, one
** past either end refused with the range in the message. */
static void test_ranges(void **state) {
  (void)state;
  static const char *const policies[] = {"mingxiao", "housing", "tuition", "anju", "anjiafei",
                                         "rouxing",  "jintie",  "jinque",  "gongjiang"};
  int keys = 0;
  for (size_t p = 0; p < sizeof policies / sizeof policies[0]; p++) {
    json_t *h = talent_params(policies[p]), *versions;
    assert_non_null(h);
    const char *key;
    json_object_foreach(h, key, versions) {
      if (!json_is_integer(json_object_get(json_array_get(versions, 0), "value"))) continue;
      int64_t least, most;
      if (!talent_param_range(key, &least, &most)) fail_msg("%s.%s has no range", policies[p], key);
      keys++;
      size_t i;
      json_t *x;
      json_array_foreach(versions, i, x) {
        int64_t v = json_integer_value(json_object_get(x, "value"));
        if (v < least || v > most) fail_msg("%s.%s = %lld outside its range", policies[p], key, (long long)v);
      }
      const int64_t ends[] = {least - 1, least, most, most + 1};
      for (size_t k = 0; k < 4; k++) {
        int64_t at = ends[k];
        char text[96];
        snprintf(text, sizeof text, "{\"%s\": %lld}", key, (long long)at);
        json_t *o = J(text);
        Err e = {0};
        json_t *l = talent_whatif_layer(h, o, "2026-01-01", &e);
        if (at < least || at > most) {
          assert_null(l);
          assert_string_equal(e.code, "talent.bad_value");
          assert_non_null(strstr(e.message, key));
        } else {
          assert_non_null(l);
        }
        json_decref(l);
        json_decref(o);
      }
    }
    json_decref(h);
  }
  assert_true(keys >= 41);
  int64_t least, most;
  assert_false(talent_param_range("nope", &least, &most));
  assert_true(talent_param_range("double_first_class_pct", &least, &most));
  assert_int_equal(most, 100);
}

/* The layered history given to talent_check(): a 硕士 decided on
** 2025-03-10 gets 2万 a year; with 12万 from 2027-01-01 the instalments
** due 2025-03-10 and 2026-03-10 keep 2万, the last three get 2.4万. */
static void test_layer_checks_as_of_each_due_day(void **state) {
  (void)state;
  json_t *facts = J("{\"degree\":\"master\",\"school_class\":\"world_class_discipline\",\"graduated_on\":\"2024-06-30\","
                    "\"full_time\":true,\"employer_in_jinpu\":true,\"contract_months\":36,\"business_in_jinpu\":false,"
                    "\"social_insurance\":[{\"month\":\"2024-08\",\"place\":\"jinpu\"},{\"month\":\"2024-09\",\"place\":\"jinpu\"},"
                    "{\"month\":\"2024-10\",\"place\":\"jinpu\"},{\"month\":\"2024-11\",\"place\":\"jinpu\"},"
                    "{\"month\":\"2024-12\",\"place\":\"jinpu\"},{\"month\":\"2025-01\",\"place\":\"jinpu\"}],\"income_tax\":[]}");
  json_t *h = talent_params("mingxiao"), *o = J("{\"amount_master_fen\": 12000000}");
  Err e = {0};
  json_t *l = talent_whatif_layer(h, o, "2027-01-01", &e);
  assert_non_null(l);
  json_t *out = talent_check(facts, "mingxiao", "2025-03-10", l, &e);
  assert_non_null(out);
  assert_true(json_is_true(json_object_get(out, "eligible")));
  static const long long want[] = {2000000, 2000000, 2400000, 2400000, 2400000};
  json_t *list = json_object_get(out, "instalments");
  assert_int_equal(json_array_size(list), 5);
  for (size_t i = 0; i < 5; i++)
    assert_int_equal(json_integer_value(json_object_get(json_array_get(list, i), "amount_fen")), want[i]);
  json_decref(out);
  /* the shipped parameters: 2万 each */
  out = talent_check(facts, "mingxiao", "2025-03-10", h, &e);
  assert_int_equal(json_integer_value(json_object_get(json_array_get(json_object_get(out, "instalments"), 4), "amount_fen")), 2000000);
  json_decref(out);
  json_decref(l);
  json_decref(o);
  json_decref(h);
  json_decref(facts);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_layer_adds_a_version),
      cmocka_unit_test(test_layer_refuses),
      cmocka_unit_test(test_ranges),
      cmocka_unit_test(test_layer_checks_as_of_each_due_day),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
