/*
** test_talent_feed.c — unit tests of talent_feed.c: a school's class looked
** up in the edition of the 双一流 list in force on a day (the day before and
** the day a list was published, a school added in 2022, a former name and a
** campus, half-width brackets, an unknown name, a day before any list, a
** bad day), and the merge of a feed's months into a record's (a month of
** the feed replaces the same month, others stay, sorted).
*/
#include "unit.h"
#include "base/base.h"
#include "domain/talent_feed.h"

#include <string.h>

static void test_school_edition_by_date(void **state) {
  (void)state;
  TalentSchool t;
  assert_int_equal(talent_school_lookup("大连理工大学", "2017-09-21", &t), 1);
  assert_string_equal(t.cls, "world_class_university");
  assert_string_equal(t.group, "A");
  assert_string_equal(t.edition, "2017");
  assert_string_equal(t.document, "教研函〔2017〕2号");
  assert_int_equal(talent_school_lookup("大连理工大学", "2022-02-14", &t), 1);
  assert_string_equal(t.edition, "2022");
  assert_string_equal(t.group, "");
  assert_string_equal(t.document, "教研函〔2022〕1号");
  assert_int_equal(talent_school_lookup("郑州大学", "2021-07-01", &t), 1);
  assert_string_equal(t.group, "B");
  assert_int_equal(talent_school_lookup("大连海事大学", NULL, &t), 1);
  assert_string_equal(t.cls, "world_class_discipline");
  assert_string_equal(t.edition, "2022");
  /* 山西大学 joined in 2022: the day before the list was published it was not on one */
  assert_int_equal(talent_school_lookup("山西大学", "2022-02-13", &t), 0);
  assert_string_equal(t.edition, "2017");
  assert_int_equal(talent_school_lookup("山西大学", "2022-02-14", &t), 1);
  assert_string_equal(t.cls, "world_class_discipline");
  /* before the first list: none in force */
  assert_int_equal(talent_school_lookup("北京大学", "2017-09-20", &t), 0);
  assert_string_equal(t.edition, "");
}

static void test_school_names(void **state) {
  (void)state;
  TalentSchool t;
  /* a campus of a school the 2017 list names once, and the 2022 list's own entry */
  assert_int_equal(talent_school_lookup(" 中国地质大学(武汉) ", "2020-06-30", &t), 1);
  assert_string_equal(t.name, "中国地质大学");
  assert_int_equal(talent_school_lookup("中国地质大学（武汉）", "2023-06-30", &t), 1);
  assert_string_equal(t.name, "中国地质大学（武汉）");
  /* a former name */
  assert_int_equal(talent_school_lookup("第四军医大学", "2024-06-30", &t), 1);
  assert_string_equal(t.name, "空军军医大学");
  /* unknown: not found, never "other" */
  assert_int_equal(talent_school_lookup("大连大学", "2024-06-30", &t), 0);
  assert_string_equal(t.cls, "");
  assert_int_equal(talent_school_lookup("", "2024-06-30", &t), 0);
  assert_int_equal(talent_school_lookup(NULL, "2024-06-30", &t), 0);
  assert_int_equal(talent_school_lookup("北京大学", "2024-02-30", &t), -1);
}

static void test_schools_counts(void **state) {
  (void)state;
  json_t *all = talent_schools();
  assert_non_null(all);
  json_t *eds = json_object_get(all, "editions");
  assert_int_equal(json_array_size(eds), 2);
  assert_int_equal(json_integer_value(json_object_get(json_array_get(eds, 0), "universities")), 42);
  assert_int_equal(json_integer_value(json_object_get(json_array_get(eds, 0), "disciplines")), 95);
  assert_int_equal(json_integer_value(json_object_get(json_array_get(eds, 1), "universities")), 42);
  assert_int_equal(json_integer_value(json_object_get(json_array_get(eds, 1), "disciplines")), 105);
  json_decref(all);
}

static void merge_is(const char *have, const char *feed, const char *want) {
  json_t *h = have ? json_loads(have, 0, NULL) : NULL, *f = json_loads(feed, 0, NULL), *w = json_loads(want, 0, NULL);
  assert_non_null(f);
  assert_non_null(w);
  json_t *got = talent_months_merge(h, f);
  char *text = json_dumps(got, JSON_COMPACT);
  if (!json_equal(got, w)) fail_msg("merge gave %s, not %s", text, want);
  free(text);
  json_decref(got);
  json_decref(h);
  json_decref(f);
  json_decref(w);
}

static void test_months_merge(void **state) {
  (void)state;
  /* replaced in place, others kept, new ones sorted in */
  merge_is("[{\"month\":\"2024-01\",\"place\":\"dalian\"},{\"month\":\"2024-03\",\"place\":\"jinpu\"}]",
           "[{\"month\":\"2024-03\",\"place\":\"other\",\"back_paid\":true},{\"month\":\"2024-02\",\"place\":\"jinpu\"}]",
           "[{\"month\":\"2024-01\",\"place\":\"dalian\"},{\"month\":\"2024-02\",\"place\":\"jinpu\"},"
           "{\"month\":\"2024-03\",\"place\":\"other\",\"back_paid\":true}]");
  /* nothing there before; an empty feed leaves what was */
  merge_is(NULL, "[{\"month\":\"2025-12\",\"place\":\"jinpu\"},{\"month\":\"2025-01\",\"place\":\"jinpu\"}]",
           "[{\"month\":\"2025-01\",\"place\":\"jinpu\"},{\"month\":\"2025-12\",\"place\":\"jinpu\"}]");
  merge_is("[{\"month\":\"2024-01\",\"place\":\"dalian\"}]", "[]", "[{\"month\":\"2024-01\",\"place\":\"dalian\"}]");
  /* across a year */
  merge_is("[{\"month\":\"2023-12\",\"place\":\"jinpu\"},{\"month\":\"2024-01\",\"place\":\"jinpu\"}]",
           "[{\"month\":\"2023-12\",\"place\":\"dalian\",\"back_paid\":true}]",
           "[{\"month\":\"2023-12\",\"place\":\"dalian\",\"back_paid\":true},{\"month\":\"2024-01\",\"place\":\"jinpu\"}]");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_school_edition_by_date), cmocka_unit_test(test_school_names),
      cmocka_unit_test(test_schools_counts), cmocka_unit_test(test_months_merge)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
