/* test_livelihood.c — the 惠民实事 status rule (livelihood_status()) at its
** boundaries: a milestone planned today is not late, yesterday is; a
** milestone reached late is late no more; none at all; done needs every
** milestone reached and progress 100%. */
#include "unit.h"
#include "base/cal.h"
#include "domain/livelihood.h"

static int day(const char *s) {
  int d;
  assert_int_equal(cal_parse_date(s, &d), 0);
  return d;
}

static void planned_today_is_on_track(void **state) {
  (void)state;
  int today = day("2022-06-30");
  LvMilestone m[] = {{"开工", today, CAL_NO_DAY}};
  LvWhy w;
  assert_int_equal(livelihood_status(m, 1, 40, today, &w), LV_ON_TRACK);
  assert_int_equal(w.late, 0);
  assert_int_equal(w.worst, -1);
  assert_int_equal(w.next, 0);
  assert_int_equal(w.open, 1);
}

static void planned_yesterday_is_behind_a_day(void **state) {
  (void)state;
  int today = day("2022-06-30");
  LvMilestone m[] = {{"开工", today - 1, CAL_NO_DAY}, {"竣工", today + 90, CAL_NO_DAY}};
  LvWhy w;
  assert_int_equal(livelihood_status(m, 2, 40, today, &w), LV_BEHIND);
  assert_int_equal(w.late, 1);
  assert_int_equal(w.worst, 0);
  assert_int_equal(w.days_late, 1);
  assert_int_equal(w.next, 1);
  /* across a year's end too */
  int jan1 = day("2023-01-01");
  LvMilestone y[] = {{"年底", day("2022-12-31"), CAL_NO_DAY}};
  assert_int_equal(livelihood_status(y, 1, 0, jan1, &w), LV_BEHIND);
  assert_int_equal(w.days_late, 1);
}

static void most_overdue_names_the_reason(void **state) {
  (void)state;
  int today = day("2022-10-01");
  LvMilestone m[] = {{"二", day("2022-08-01"), CAL_NO_DAY}, {"一", day("2022-03-01"), CAL_NO_DAY},
                     {"三", day("2022-09-30"), CAL_NO_DAY}};
  LvWhy w;
  assert_int_equal(livelihood_status(m, 3, 10, today, &w), LV_BEHIND);
  assert_int_equal(w.late, 3);
  assert_int_equal(w.worst, 1);
  assert_int_equal(w.days_late, today - day("2022-03-01"));
}

static void reached_late_is_not_behind(void **state) {
  (void)state;
  int today = day("2022-06-30");
  LvMilestone m[] = {{"开工", day("2022-03-01"), day("2022-04-15")}, {"竣工", day("2022-12-01"), CAL_NO_DAY}};
  LvWhy w;
  assert_int_equal(livelihood_status(m, 2, 50, today, &w), LV_ON_TRACK);
  assert_int_equal(w.late, 0);
  /* reached on the very day it was due, today */
  LvMilestone t[] = {{"开工", today, today}};
  assert_int_equal(livelihood_status(t, 1, 100, today, &w), LV_DONE);
}

static void none_at_all(void **state) {
  (void)state;
  int today = day("2022-06-30");
  LvWhy w;
  assert_int_equal(livelihood_status(NULL, 0, 0, today, &w), LV_ON_TRACK);
  assert_int_equal(w.open, 0);
  assert_int_equal(w.next, -1);
  assert_int_equal(livelihood_status(NULL, 0, 99, today, NULL), LV_ON_TRACK);
  assert_int_equal(livelihood_status(NULL, 0, 100, today, NULL), LV_DONE);
}

static void done_needs_both(void **state) {
  (void)state;
  int today = day("2022-12-31");
  LvMilestone all[] = {{"一", day("2022-03-01"), day("2022-03-01")}, {"二", day("2022-12-01"), day("2022-11-20")}};
  assert_int_equal(livelihood_status(all, 2, 100, today, NULL), LV_DONE);
  assert_int_equal(livelihood_status(all, 2, 99, today, NULL), LV_ON_TRACK);
  /* progress 100% with a milestone open: not done; behind once it is late */
  LvMilestone open[] = {{"一", day("2022-03-01"), day("2022-03-01")}, {"二", today, CAL_NO_DAY}};
  assert_int_equal(livelihood_status(open, 2, 100, today, NULL), LV_ON_TRACK);
  assert_int_equal(livelihood_status(open, 2, 100, today + 1, NULL), LV_BEHIND);
  assert_string_equal(livelihood_status_name(LV_BEHIND), "behind");
  assert_string_equal(livelihood_status_name(LV_DONE), "done");
  assert_string_equal(livelihood_status_name(LV_ON_TRACK), "on_track");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(planned_today_is_on_track),    cmocka_unit_test(planned_yesterday_is_behind_a_day),
      cmocka_unit_test(most_overdue_names_the_reason), cmocka_unit_test(reached_late_is_not_behind),
      cmocka_unit_test(none_at_all),                  cmocka_unit_test(done_needs_both),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
