/*
** test_money.c — unit tests of money.c: amounts read and written exactly in
** each currency's minor unit, conversions rounded once half away from zero,
** and every overflow refused rather than wrapped.
*/
#include "unit.h"
#include "base/base.h"
#include "base/buf.h"
#include "base/money.h"

#include <stdio.h>

static const Currency *CNY, *USD, *JPY;

static int setup(void **state) {
  (void)state;
  CNY = money_currency("CNY");
  USD = money_currency("USD");
  JPY = money_currency("JPY");
  return CNY && USD && JPY ? 0 : -1;
}

static void test_currency_table(void **state) {
  (void)state;
  assert_int_equal(CNY->digits, 2);
  assert_int_equal(JPY->digits, 0);
  assert_int_equal(money_currency("KRW")->digits, 0);
  assert_string_equal(USD->name, "美元");
  assert_null(money_currency("cny"));
  assert_null(money_currency("XXX"));
  assert_null(money_currency("CNYX"));
  assert_null(money_currency(""));
  assert_null(money_currency(NULL));
  int n;
  const Currency *all = money_currencies(&n);
  for (int i = 0; i < n; i++) {
    assert_int_equal(strlen(all[i].code), 3);
    assert_ptr_equal(money_currency(all[i].code), &all[i]);
  }
}

static int64_t parse_ok(const char *text, const Currency *c) {
  Err e = {0};
  int64_t v = 12345;
  if (money_parse(text, c, "amount", &v, &e) != 0) fail_msg("%s refused: %s %s", text, e.code, e.message_en);
  return v;
}

static void parse_refused(const char *text, const Currency *c, const char *code) {
  Err e = {0};
  int64_t v = 777;
  assert_int_equal(money_parse(text, c, "amount", &v, &e), -1);
  if (strcmp(e.code, code) != 0) fail_msg("%s: %s, not %s", text, e.code, code);
  assert_string_equal(e.field, "amount");
  assert_true(e.message[0] && e.message_en[0]);
  assert_int_equal(v, 777); /* untouched */
}

static void test_parse(void **state) {
  (void)state;
  assert_int_equal(parse_ok("0", CNY), 0);
  assert_int_equal(parse_ok("1234", CNY), 123400);
  assert_int_equal(parse_ok("1,234.5", CNY), 123450);
  assert_int_equal(parse_ok("  -0.01 ", CNY), -1);
  assert_int_equal(parse_ok("+12.30", CNY), 1230);
  assert_int_equal(parse_ok("1,000,000", JPY), 1000000);
  assert_int_equal(parse_ok("5.00", JPY), 5);       /* zeros past the minor unit say nothing */
  assert_int_equal(parse_ok("7.100", CNY), 710);
  assert_int_equal(parse_ok("92233720368547758.07", CNY), INT64_MAX);
  assert_int_equal(parse_ok("-92233720368547758.07", CNY), -INT64_MAX);
  const char *bad[] = {"", " ", "-", "abc", "1.", ".5", "1..2", "1,23", "12,3456", ",123", "1,234,", "1 234",
                       "1e3", "0x10", "１２", "¥12", "12元", "--1", "1-", "1.2.3", "1,234.5,6", NULL};
  for (int i = 0; bad[i]; i++) parse_refused(bad[i], CNY, "money.bad_amount");
  parse_refused(NULL, CNY, "money.bad_amount");
  parse_refused("0.001", CNY, "money.too_precise");
  parse_refused("1.5", JPY, "money.too_precise");
  parse_refused("92233720368547758.08", CNY, "money.too_large");
  parse_refused("-92233720368547758.08", CNY, "money.too_large");
  parse_refused("99999999999999999999999999999999999999999999", CNY, "money.too_large");
  parse_refused("9999999999999999999999999999999999999999.001", CNY, "money.too_precise");
}

static const char *fmt(int64_t v, const Currency *c, bool group) {
  static char out[128];
  Buf b = {0};
  money_format(&b, v, c, group);
  snprintf(out, sizeof out, "%s", buf_cstr(&b));
  buf_free(&b);
  return out;
}

static void test_format_round_trip(void **state) {
  (void)state;
  assert_string_equal(fmt(123450, CNY, true), "1,234.50");
  assert_string_equal(fmt(123450, CNY, false), "1234.50");
  assert_string_equal(fmt(-1, CNY, true), "-0.01");
  assert_string_equal(fmt(0, CNY, true), "0.00");
  assert_string_equal(fmt(1000000, JPY, true), "1,000,000");
  assert_string_equal(fmt(INT64_MAX, CNY, true), "92,233,720,368,547,758.07");
  assert_string_equal(fmt(INT64_MIN, CNY, false), "-92233720368547758.08");
  /* Whatever is written reads back as itself. */
  uint64_t x = 88172645463325252ULL;
  for (int i = 0; i < 2000; i++) {
    x ^= x << 13, x ^= x >> 7, x ^= x << 17;
    int64_t v = (int64_t)(x >> (1 + i % 60)) * (i % 2 ? -1 : 1);
    for (int g = 0; g < 2; g++) assert_int_equal(parse_ok(fmt(v, i % 3 ? CNY : JPY, g), i % 3 ? CNY : JPY), v);
  }
}

static const char *scaled(int64_t v, const Currency *c, int power, int decimals) {
  static char out[128];
  Buf b = {0};
  money_format_scaled(&b, v, c, power, decimals);
  snprintf(out, sizeof out, "%s", buf_cstr(&b));
  buf_free(&b);
  return out;
}

static void test_format_scaled(void **state) {
  (void)state;
  /* 约 10,300 亿元 in 分, in 亿元 with one decimal. */
  assert_string_equal(scaled(103000000000000LL, CNY, 8, 1), "10300.0");
  assert_string_equal(scaled(1142000000LL * 100, USD, 8, 2), "11.42"); /* 11.42 亿美元 */
  assert_string_equal(scaled(114249999999LL, USD, 8, 2), "11.42");
  assert_string_equal(scaled(114250000000LL, USD, 8, 2), "11.43");   /* half away from zero */
  assert_string_equal(scaled(-114250000000LL, USD, 8, 2), "-11.43");
  assert_string_equal(scaled(123456, CNY, 4, 2), "0.12");             /* 1,234.56 元 in 万元 */
  assert_string_equal(scaled(5, JPY, 0, 2), "5.00");
  assert_string_equal(scaled(INT64_MAX, CNY, 8, 4), "922337203.6855");
}

static int64_t rate_ok(const char *text) {
  Err e = {0};
  int64_t r = 0;
  if (money_rate_parse(text, "rate", &r, &e) != 0) fail_msg("rate %s refused: %s", text, e.code);
  return r;
}

static void test_rates(void **state) {
  (void)state;
  assert_int_equal(rate_ok("6.4512"), 645120000);
  assert_int_equal(rate_ok("0.00000001"), 1);
  assert_int_equal(rate_ok("1"), MONEY_RATE_SCALE);
  Buf b = {0};
  money_rate_format(&b, rate_ok("6.4500"));
  assert_string_equal(buf_cstr(&b), "6.45");
  buf_reset(&b);
  money_rate_format(&b, rate_ok("20"));
  assert_string_equal(buf_cstr(&b), "20");
  buf_free(&b);
  const char *bad[] = {"0", "0.000", "-6.45", "+6.45", "6.123456789", "abc", "", "6,45", NULL};
  for (int i = 0; bad[i]; i++) {
    Err e = {0};
    int64_t r = 5;
    assert_int_equal(money_rate_parse(bad[i], "rate", &r, &e), -1);
    if (strcmp(e.code, "money.bad_rate") != 0) fail_msg("rate %s: %s", bad[i], e.code);
    assert_int_equal(r, 5);
  }
}

static int64_t conv(int64_t v, const Currency *from, const char *rate, const Currency *to) {
  Err e = {0};
  int64_t out = 0;
  if (money_convert(v, from, rate_ok(rate), to, &out, &e) != 0) fail_msg("convert %lld: %s", (long long)v, e.code);
  return out;
}

/* ref_convert() is the conversion written another way: the exact quotient
** num/den with num = |v|·rate·10^max(k,0), den = SCALE·10^max(−k,0),
** rounded as floor((2·num + den) / (2·den)). */
static int64_t ref_convert(int64_t v, int64_t rate, int k) {
  __int128 num = (__int128)(v < 0 ? -v : v) * rate, den = MONEY_RATE_SCALE;
  for (int i = 0; i < k; i++) num *= 10;
  for (int i = 0; i > k; i--) den *= 10;
  __int128 q = (2 * num + den) / (2 * den);
  return v < 0 ? -(int64_t)q : (int64_t)q;
}

static void test_convert(void **state) {
  (void)state;
  assert_int_equal(conv(100000, USD, "6.4512", CNY), 645120);   /* 1,000.00 USD = 6,451.20 元 */
  assert_int_equal(conv(1, USD, "6.4512", CNY), 6);             /* 6.4512 分 */
  assert_int_equal(conv(1, USD, "6.45", CNY), 6);
  assert_int_equal(conv(1, USD, "6.5", CNY), 7);                /* a half goes away from zero */
  assert_int_equal(conv(-1, USD, "6.5", CNY), -7);
  assert_int_equal(conv(100, JPY, "0.0478", CNY), 478);         /* 100 yen = 4.78 元 */
  assert_int_equal(conv(100, CNY, "20.92", JPY), 21);           /* 1 元 = 20.92 yen, paid in whole yen */
  assert_int_equal(conv(645120, CNY, "0.15500992", USD), 100000);
  Err e = {0};
  int64_t out = 99;
  assert_int_equal(money_convert(INT64_MAX, CNY, 2 * MONEY_RATE_SCALE, CNY, &out, &e), -1);
  assert_string_equal(e.code, "money.too_large");
  assert_int_equal(out, 99);
  assert_int_equal(money_convert(INT64_MAX, JPY, INT64_MAX, CNY, &out, &e), -1);
  assert_int_equal(money_convert(5, CNY, 0, USD, &out, &e), -1);
  assert_string_equal(e.code, "money.bad_rate");
  /* Against the reference, over random amounts, rates and digit gaps. */
  uint64_t x = 0x9E3779B97F4A7C15ULL;
  const Currency *cs[] = {CNY, JPY, USD};
  for (int i = 0; i < 20000; i++) {
    x ^= x << 13, x ^= x >> 7, x ^= x << 17;
    int64_t v = (int64_t)(x >> (20 + i % 40)) * (i % 2 ? -1 : 1);
    int64_t rate = (int64_t)((x >> 7) % (1000 * (uint64_t)MONEY_RATE_SCALE)) + 1;
    const Currency *from = cs[i % 3], *to = cs[(i / 3) % 3];
    int64_t got;
    if (money_convert(v, from, rate, to, &got, &e) == 0)
      assert_int_equal(got, ref_convert(v, rate, to->digits - from->digits));
    else
      assert_string_equal(e.code, "money.too_large");
  }
}

static void test_add(void **state) {
  (void)state;
  int64_t s = 3;
  assert_int_equal(money_add(1, 2, &s), 0);
  assert_int_equal(s, 3);
  assert_int_equal(money_add(INT64_MAX, 1, &s), -1);
  assert_int_equal(s, 3);
  assert_int_equal(money_add(-INT64_MAX, -1, &s), -1); /* INT64_MIN is not an amount */
  assert_int_equal(money_add(INT64_MAX, -INT64_MAX, &s), 0);
  assert_int_equal(s, 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_currency_table), cmocka_unit_test(test_parse),  cmocka_unit_test(test_format_round_trip),
      cmocka_unit_test(test_format_scaled),  cmocka_unit_test(test_rates),  cmocka_unit_test(test_convert),
      cmocka_unit_test(test_add),
  };
  return cmocka_run_group_tests(tests, setup, NULL);
}
