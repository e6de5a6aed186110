/*
** test_codes.c — unit tests of codes.c: USCC (GB 32100 / GB 11714), ID
** numbers (GB 11643) and passports. Expected check characters are computed
** by an independent reimplementation in this file (weights derived as
** powers, not copied), so a wrong table in codes.c cannot agree with it.
*/
#include "unit.h"
#include "base/base.h"
#include "base/codes.h"

#include <stdio.h>

/* --- an independent reference ------------------------------------------- */

static const char REF_ALPHA[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

static int ref_val31(char c) {
  for (int i = 0; i < 31; i++)
    if (REF_ALPHA[i] == c) return i;
  return -1;
}

/* GB 32100: weight of position i is 3^i mod 31; check = (31 - sum%31) % 31. */
static char ref_uscc_check(const char *s) {
  long sum = 0, w = 1;
  for (int i = 0; i < 17; i++) {
    sum += ref_val31(s[i]) * w;
    w = w * 3 % 31;
  }
  return REF_ALPHA[(31 - sum % 31) % 31];
}

/* GB 11714: weights 3 7 9 10 5 8 4 2, letters A=10 … Z=35. */
static char ref_org_check(const char *s) {
  static const int w[8] = {3, 7, 9, 10, 5, 8, 4, 2};
  long sum = 0;
  for (int i = 0; i < 8; i++)
    sum += (s[i] <= '9' ? s[i] - '0' : s[i] - 'A' + 10) * w[i];
  long c = 11 - sum % 11;
  return c == 10 ? 'X' : c == 11 ? '0' : (char)('0' + c);
}

/* ISO 7064 MOD 11-2: weight of position i is 2^(17-i) mod 11; check value
** v satisfies sum + v ≡ 1 (mod 11), written X for 10. */
static char ref_id_check(const char *s) {
  long sum = 0;
  for (int i = 0; i < 17; i++) {
    long w = 1;
    for (int k = 0; k < 17 - i; k++) w = w * 2 % 11;
    sum += (s[i] - '0') * w;
  }
  long v = ((1 - sum) % 11 + 11) % 11;
  return v == 10 ? 'X' : (char)('0' + v);
}

static bool ref_date_real(int y, int m, int d) {
  int dim = 31;
  if (m == 4 || m == 6 || m == 9 || m == 11) dim = 30;
  if (m == 2) dim = (y % 400 == 0 || (y % 4 == 0 && y % 100 != 0)) ? 29 : 28;
  return m >= 1 && m <= 12 && d >= 1 && d <= dim;
}

static bool ref_uscc_valid(const char *s) {
  if (strlen(s) != 18) return false;
  for (int i = 0; i < 18; i++)
    if (ref_val31(s[i]) < 0) return false;
  return ref_org_check(s + 8) == s[16] && ref_uscc_check(s) == s[17];
}

static char reason[256];

#define assert_reason_has(str) \
  do { \
    if (!strstr(reason, (str))) fail_msg("reason \"%s\" lacks \"%s\"", reason, (str)); \
  } while (0)

/* --- USCC ----------------------------------------------------------------- */

/* Codes of real enterprises, as printed on their business licences. */
static const char *REAL_USCC[] = {
  "914403001922038216", /* 华为技术有限公司 */
  "91440300708461136T", /* 深圳市腾讯计算机系统有限公司 */
  "91330100799655058B", /* 阿里巴巴（中国）有限公司 */
  "91110108551385082Q", /* 北京小米科技有限责任公司 */
  "91350100M000100Y43", /* the worked example of GB 32100-2015 */
};

static void test_uscc_real_codes_valid(void **state) {
  (void)state;
  for (size_t i = 0; i < XQ_COUNT(REAL_USCC); i++) {
    assert_true(ref_uscc_valid(REAL_USCC[i]));
    if (codes_uscc_check(REAL_USCC[i], reason, sizeof reason) != 0)
      fail_msg("%s rejected: %s", REAL_USCC[i], reason);
    assert_string_equal(reason, "");
    assert_int_equal(codes_uscc_check_char(REAL_USCC[i]), REAL_USCC[i][17]);
    assert_int_equal(codes_org_check_char(REAL_USCC[i] + 8), REAL_USCC[i][16]);
  }
  const CodesUsccCategory *c = codes_uscc_category("914403001922038216");
  assert_non_null(c);
  assert_string_equal(c->dept_zh, "工商");
  assert_string_equal(c->cat_zh, "企业");
  c = codes_uscc_category("92210213");
  assert_non_null(c);
  assert_string_equal(c->cat_zh, "个体工商户");
  c = codes_uscc_category("93");
  assert_non_null(c);
  assert_string_equal(c->cat_zh, "农民专业合作社");
  assert_null(codes_uscc_category("94"));
  assert_null(codes_uscc_category("9"));
  assert_null(codes_uscc_category(NULL));
}

static void test_uscc_length(void **state) {
  (void)state;
  assert_int_equal(codes_uscc_check("91440300708461136", reason, sizeof reason), -1);
  assert_reason_has("长度应为18位");
  assert_reason_has("must be 18 characters, got 17");
  assert_int_equal(codes_uscc_check("91440300708461136TT", reason, sizeof reason), -1);
  assert_reason_has("got 19");
  assert_int_equal(codes_uscc_check("", reason, sizeof reason), -1);
  assert_reason_has("empty");
  assert_int_equal(codes_uscc_check(NULL, reason, sizeof reason), -1);
  /* Counted in characters, not bytes: 中 is three bytes. */
  assert_int_equal(codes_uscc_check("9144030070846113中", reason, sizeof reason), -1);
  assert_reason_has("got 17");
}

static void test_uscc_bad_characters(void **state) {
  (void)state;
  /* I O Z S V are not in the alphabet, wherever they appear. */
  const char *bad = "IOZSV-* ";
  for (const char *b = bad; *b; b++) {
    char s[19];
    strcpy(s, "91440300708461136T");
    s[12] = *b;
    assert_int_equal(codes_uscc_check(s, reason, sizeof reason), -1);
    assert_reason_has("第13位");
    assert_reason_has("not allowed");
  }
  assert_int_equal(codes_uscc_check("9144030070846中6T", reason, sizeof reason), -1);
  assert_reason_has("“中”");
  assert_reason_has("character 14");
  /* Lower case is refused with its own reason. */
  assert_int_equal(codes_uscc_check("91440300708461136t", reason, sizeof reason), -1);
  assert_reason_has("小写");
  assert_reason_has("use upper case");
  assert_reason_has("character 18");
}

static void test_uscc_department_category(void **state) {
  (void)state;
  char s[19];
  /* B is in the alphabet but no department. */
  strcpy(s, "914403001922038216");
  s[0] = 'B';
  assert_int_equal(codes_uscc_check(s, reason, sizeof reason), -1);
  assert_reason_has("登记管理部门代码");
  assert_reason_has("'B'");
  /* 工商 registers only 1, 2, 3. */
  s[0] = '9';
  s[1] = '4';
  assert_int_equal(codes_uscc_check(s, reason, sizeof reason), -1);
  assert_reason_has("机构类别代码");
  assert_reason_has("工商");
  s[1] = '9';
  assert_int_equal(codes_uscc_check(s, reason, sizeof reason), -1);
  /* Y (其他) has only 1; 8 (工会) has 1 and 9. */
  s[0] = 'Y';
  s[1] = '2';
  assert_int_equal(codes_uscc_check(s, reason, sizeof reason), -1);
  s[0] = '8';
  s[1] = '2';
  assert_int_equal(codes_uscc_check(s, reason, sizeof reason), -1);
  /* Every pair of the table can be generated and is accepted; a code with
  ** any other pair of alphabet characters (and consistent check
  ** characters) is refused. */
  int accepted = 0;
  for (int a = 0; a < 31; a++)
    for (int b = 0; b < 31; b++) {
      char pair[3] = {REF_ALPHA[a], REF_ALPHA[b], 0};
      const CodesUsccCategory *c = codes_uscc_category(pair);
      /* The table of GB 32100-2015 and its amendments, written out. */
      bool in_standard = strstr("11 12 13 19 21 29 31 32 33 34 35 39 41 49 51 52 53 59 61 62 "
                                "69 71 72 79 81 89 91 92 93 A1 A9 N1 N2 N3 N9 Y1 ", pair) != NULL;
      if ((c != NULL) != in_standard) fail_msg("pair %s: table and standard disagree", pair);
      char code[19];
      int rc = codes_uscc_make(code, pair[0], pair[1], "210213", (uint64_t)(a * 31 + b));
      if (c) {
        accepted++;
        assert_int_equal(rc, 0);
        assert_true(ref_uscc_valid(code));
        if (codes_uscc_check(code, reason, sizeof reason) != 0) fail_msg("%s: %s", code, reason);
        assert_ptr_equal(codes_uscc_category(code), c);
      } else {
        assert_int_equal(rc, -1);
        assert_string_equal(code, "");
        strcpy(code, "914403001922038216");
        code[0] = pair[0];
        code[1] = pair[1];
        code[17] = ref_uscc_check(code);
        assert_true(ref_uscc_valid(code));
        assert_int_equal(codes_uscc_check(code, reason, sizeof reason), -1);
        assert_true(strstr(reason, "登记管理部门代码") || strstr(reason, "机构类别代码"));
      }
    }
  /* 1:4 2:2 3:6 4:2 5:4 6:3 7:3 8:2 9:3 A:2 N:4 Y:1 */
  assert_int_equal(accepted, 36);
}

static void test_uscc_division_digits(void **state) {
  (void)state;
  char s[19];
  strcpy(s, "914403001922038216");
  s[5] = 'A';
  s[17] = ref_uscc_check(s);
  assert_int_equal(codes_uscc_check(s, reason, sizeof reason), -1);
  assert_reason_has("第3–8位");
  assert_reason_has("position 6");
  /* Divisions are not looked up in GB/T 2260: 210242 (a functional zone's
  ** authority) is as good as 210213. */
  assert_int_equal(codes_uscc_make(s, '9', '1', "210242", 7), 0);
  assert_int_equal(codes_uscc_check(s, reason, sizeof reason), 0);
  assert_int_equal(codes_uscc_make(s, '9', '1', "21024", 7), -1);
  assert_int_equal(codes_uscc_make(s, '9', '1', "2102420", 7), -1);
  assert_int_equal(codes_uscc_make(s, '9', '1', "21O242", 7), -1);
}

/* Ordered codes sort as their serials do, and are valid codes. */
static void test_uscc_make_ordered(void **state) {
  (void)state;
  char prev[19] = "", s[19];
  const uint64_t serials[] = {0, 1, 30, 31, 960, 961, 887503680, 887503681, 887503681ull * 5 + 7};
  for (size_t i = 0; i < XQ_COUNT(serials); i++) {
    assert_int_equal(codes_uscc_make_ordered(s, '9', '1', "210213", serials[i]), 0);
    assert_int_equal(codes_uscc_check(s, reason, sizeof reason), 0);
    if (i) assert_true(strcmp(prev, s) < 0);
    strcpy(prev, s);
  }
  assert_int_equal(codes_uscc_make_ordered(s, '9', '1', "210213", 0), 0);
  assert_memory_equal(s, "91210213MA000000", 16);
}

static void test_uscc_org_code_check(void **state) {
  (void)state;
  /* 91110000100000589B is often quoted as an example but its embedded
  ** organisation code 10000058-9 fails GB 11714 (the check would be 5). */
  assert_int_equal(ref_org_check("10000058"), '5');
  assert_int_equal(codes_uscc_check("91110000100000589B", reason, sizeof reason), -1);
  assert_reason_has("组织机构代码校验错误");
  assert_reason_has("embedded organisation code check fails, position 17 should be 5");
  /* Position 17 wrong, position 18 made consistent: the org check alone fails. */
  char s[19];
  strcpy(s, "91440300708461136T");
  s[16] = s[16] == '6' ? '7' : '6';
  s[17] = ref_uscc_check(s);
  assert_int_equal(codes_uscc_check(s, reason, sizeof reason), -1);
  assert_reason_has("position 17 should be 6");
}

static void test_uscc_final_check(void **state) {
  (void)state;
  char s[19];
  strcpy(s, "91440300708461136T");
  s[17] = 'U';
  assert_int_equal(codes_uscc_check(s, reason, sizeof reason), -1);
  assert_string_equal(reason, "校验码错误，应为 T / check character wrong, expected T");
  /* Every single substitution and every adjacent transposition of a valid
  ** code is caught (31 is prime and the weights are distinct powers). */
  for (size_t k = 0; k < XQ_COUNT(REAL_USCC); k++) {
    for (int i = 0; i < 18; i++)
      for (int v = 0; v < 31; v++) {
        strcpy(s, REAL_USCC[k]);
        if (s[i] == REF_ALPHA[v]) continue;
        s[i] = REF_ALPHA[v];
        assert_int_equal(codes_uscc_check(s, NULL, 0), -1);
      }
    for (int i = 0; i < 17; i++) {
      strcpy(s, REAL_USCC[k]);
      if (s[i] == s[i + 1]) continue;
      char t = s[i];
      s[i] = s[i + 1];
      s[i + 1] = t;
      assert_int_equal(codes_uscc_check(s, NULL, 0), -1);
    }
  }
}

static int cmp18(const void *a, const void *b) { return memcmp(a, b, 18); }

static void test_uscc_generator_round_trip(void **state) {
  (void)state;
  enum { N = 100000 };
  char(*all)[19] = malloc(sizeof(*all) * N);
  assert_non_null(all);
  const char kinds[3] = {'1', '2', '3'};
  for (int i = 0; i < N; i++) {
    char *s = all[i];
    /* Same dept, category and division for all: uniqueness comes from serial. */
    assert_int_equal(codes_uscc_make(s, '9', '1', "210213", (uint64_t)i), 0);
    assert_int_equal(strlen(s), 18);
    assert_memory_equal(s, "91210213MA", 10);
    if (!ref_uscc_valid(s)) fail_msg("serial %d: %s fails the reference", i, s);
    if (codes_uscc_check(s, reason, sizeof reason) != 0) fail_msg("serial %d: %s: %s", i, s, reason);
    char t[19];
    assert_int_equal(codes_uscc_make(t, '9', kinds[i % 3], "210242", (uint64_t)i * 7919u), 0);
    if (codes_uscc_check(t, reason, sizeof reason) != 0) fail_msg("%s: %s", t, reason);
  }
  qsort(all, N, sizeof(*all), cmp18);
  for (int i = 1; i < N; i++)
    if (memcmp(all[i - 1], all[i], 18) == 0) fail_msg("duplicate %s", all[i]);
  free(all);
  /* Large serials, across the 31^6 step and near 2^64. */
  const uint64_t big[] = {887503680u, 887503681u, 887503682u, 31ull * 31 * 887503681u - 1,
                          UINT64_MAX, UINT64_MAX / 3};
  char prev[19] = "";
  for (size_t i = 0; i < XQ_COUNT(big); i++) {
    char s[19];
    assert_int_equal(codes_uscc_make(s, '9', '2', "210213", big[i]), 0);
    if (codes_uscc_check(s, reason, sizeof reason) != 0) fail_msg("%s: %s", s, reason);
    assert_string_not_equal(s, prev);
    strcpy(prev, s);
  }
  char a[19], b[19];
  codes_uscc_make(a, '9', '1', "210213", 887503680u);
  codes_uscc_make(b, '9', '1', "210213", 887503681u);
  assert_memory_equal(a + 8, "MA", 2);
  assert_memory_equal(b + 8, "MB", 2);
}

/* --- ID numbers ----------------------------------------------------------- */

static const char *TODAY = "2026-11-29";

/* with_check() completes 17 digits with the reference check character. */
static const char *with_check(const char *d17) {
  static char s[19];
  memcpy(s, d17, 17);
  s[17] = ref_id_check(d17);
  s[18] = 0;
  return s;
}

static void test_id_valid(void **state) {
  (void)state;
  char out[19];
  assert_int_equal(ref_id_check("11010519491231002"), 'X');
  assert_int_equal(codes_id_check_asof("11010519491231002X", TODAY, out, reason, sizeof reason), 0);
  assert_string_equal(out, "11010519491231002X");
  assert_string_equal(reason, "");
  /* The clock-reading form agrees for a date long past. */
  assert_int_equal(codes_id_check("11010519491231002X", out, reason, sizeof reason), 0);
  /* Lower-case x is accepted and normalised. */
  assert_int_equal(codes_id_check_asof("11010519491231002x", TODAY, out, reason, sizeof reason), 0);
  assert_string_equal(out, "11010519491231002X");
  /* A Jinpu number. */
  const char *s = with_check("21021319850615123");
  assert_int_equal(codes_id_check_asof(s, TODAY, out, NULL, 0), 0);
  assert_string_equal(out, s);
  char birth[11];
  assert_string_equal(codes_id_birth(out, birth), "1985-06-15");
  assert_int_equal(codes_id_male(out), 1);
  assert_string_equal(codes_id_birth("11010519491231002X", birth), "1949-12-31");
  assert_int_equal(codes_id_male("11010519491231002X"), 0);
  assert_null(codes_id_birth("1101051949", birth));
  assert_int_equal(codes_id_male("1101"), -1);
  /* Born today is fine, and so is any past date: GB 11643 sets no earliest
  ** year, and cards were issued to people born in the 1880s. */
  assert_int_equal(codes_id_check_asof(with_check("21021320261129001"), TODAY, NULL, reason, sizeof reason), 0);
  assert_int_equal(codes_id_check_asof(with_check("21021319000101001"), TODAY, NULL, reason, sizeof reason), 0);
  assert_int_equal(codes_id_check_asof(with_check("21021318991231001"), TODAY, NULL, reason, sizeof reason), 0);
  assert_int_equal(codes_id_check_asof(with_check("11010518860317002"), TODAY, out, reason, sizeof reason), 0);
  assert_string_equal(codes_id_birth(out, birth), "1886-03-17");
  assert_int_equal(codes_id_check(with_check("11010518880229002"), NULL, reason, sizeof reason), 0);
  assert_string_equal(reason, "");
  /* Leap day. */
  assert_int_equal(codes_id_check_asof(with_check("21021320000229001"), TODAY, NULL, reason, sizeof reason), 0);
}

static void test_id_bad_check(void **state) {
  (void)state;
  char out[19] = "junk";
  assert_int_equal(codes_id_check_asof("110105194912310021", TODAY, out, reason, sizeof reason), -1);
  assert_string_equal(reason, "校验码错误，应为 X / check character wrong, expected X");
  assert_string_equal(out, "");
  /* Every single-digit substitution of the first 17 is caught. */
  char s[19];
  for (int i = 0; i < 17; i++)
    for (char c = '0'; c <= '9'; c++) {
      strcpy(s, "11010519491231002X");
      if (s[i] == c) continue;
      s[i] = c;
      assert_int_equal(codes_id_check_asof(s, TODAY, NULL, NULL, 0), -1);
    }
  assert_int_equal(codes_id_check_asof("11010519491231002Y", TODAY, NULL, reason, sizeof reason), -1);
  assert_reason_has("must be a digit or X");
  assert_int_equal(codes_id_check_asof("1101051949123100AX", TODAY, NULL, reason, sizeof reason), -1);
  assert_reason_has("character 17 is 'A'");
}

static void test_id_bad_date(void **state) {
  (void)state;
  const char *s = with_check("11010519990230001");
  assert_int_equal(codes_id_check_asof(s, TODAY, NULL, reason, sizeof reason), -1);
  assert_reason_has("19990230");
  assert_reason_has("not a real date");
  assert_int_equal(codes_id_check_asof(with_check("11010519000229001"), TODAY, NULL, reason, sizeof reason), -1);
  assert_reason_has("not a real date"); /* 1900 was not a leap year */
  assert_int_equal(codes_id_check_asof(with_check("11010519991301001"), TODAY, NULL, reason, sizeof reason), -1);
  assert_int_equal(codes_id_check_asof(with_check("11010519991200001"), TODAY, NULL, reason, sizeof reason), -1);
  /* 29 February of a year that is not leap, in the 1880s as later. */
  assert_int_equal(codes_id_check_asof(with_check("11010518870229001"), TODAY, NULL, reason, sizeof reason), -1);
  assert_reason_has("not a real date");
  assert_int_equal(codes_id_check_asof(with_check("11010520230229001"), TODAY, NULL, reason, sizeof reason), -1);
  assert_reason_has("not a real date");
  /* There is no year 0 (the year before 1 CE is 1 BCE). */
  assert_int_equal(codes_id_check_asof(with_check("11010500000101001"), TODAY, NULL, reason, sizeof reason), -1);
  assert_reason_has("not a real date");
  /* The future: tomorrow as of TODAY, and 2999 by the clock. */
  assert_int_equal(codes_id_check_asof(with_check("21021320261130001"), TODAY, NULL, reason, sizeof reason), -1);
  assert_reason_has("in the future");
  assert_int_equal(codes_id_check(with_check("21021329990101001"), NULL, reason, sizeof reason), -1);
  assert_reason_has("in the future");
  assert_int_equal(codes_id_check_asof("11010519491231002X", "2026/11/29", NULL, reason, sizeof reason), -1);
}

static void test_id_province(void **state) {
  (void)state;
  static const int good[] = {11, 15, 21, 23, 31, 37, 41, 46, 50, 54, 61, 65, 71, 81, 82, 83, 91};
  static const int bad[] = {0, 10, 16, 20, 24, 30, 38, 40, 47, 49, 55, 60, 66, 70, 72, 80, 84, 90, 97, 99};
  char d[18];
  for (size_t i = 0; i < XQ_COUNT(good); i++) {
    snprintf(d, sizeof d, "%02d010519491231002", good[i]);
    if (codes_id_check_asof(with_check(d), TODAY, NULL, reason, sizeof reason) != 0)
      fail_msg("%02d refused: %s", good[i], reason);
  }
  for (size_t i = 0; i < XQ_COUNT(bad); i++) {
    snprintf(d, sizeof d, "%02d010519491231002", bad[i]);
    assert_int_equal(codes_id_check_asof(with_check(d), TODAY, NULL, reason, sizeof reason), -1);
    assert_reason_has("province code");
  }
}

static void test_id_length_and_old_numbers(void **state) {
  (void)state;
  char out[19];
  assert_int_equal(codes_id_check_asof("110105491231002", TODAY, out, reason, sizeof reason), 0);
  assert_string_equal(out, "11010519491231002X");
  assert_int_equal(codes_id_check_asof("210213850615123", TODAY, out, reason, sizeof reason), 0);
  assert_string_equal(out, with_check("21021319850615123"));
  /* Old numbers are checked too: date, province, digits. */
  assert_int_equal(codes_id_check_asof("110105990230002", TODAY, out, reason, sizeof reason), -1);
  assert_reason_has("not a real date");
  assert_int_equal(codes_id_check_asof("990105491231002", TODAY, out, reason, sizeof reason), -1);
  assert_int_equal(codes_id_check_asof("11010549123100X", TODAY, out, reason, sizeof reason), -1);
  assert_reason_has("15-digit");
  assert_int_equal(codes_id_check_asof("11010519491231002", TODAY, out, reason, sizeof reason), -1);
  assert_reason_has("got 17");
  assert_int_equal(codes_id_check_asof("11010519491231002XX", TODAY, out, reason, sizeof reason), -1);
  assert_int_equal(codes_id_check_asof("", TODAY, out, reason, sizeof reason), -1);
  assert_int_equal(codes_id_check_asof(NULL, TODAY, out, reason, sizeof reason), -1);
}

static void test_id_generator(void **state) {
  (void)state;
  static const char *areas[] = {"210213", "210211", "210282", "370687", "230103", "110105"};
  char s[19], out[19], birth[11], want[32];
  int n = 0;
  for (int y = 1870; y <= 2026; y += 3)
    for (int m = 1; m <= 12; m++)
      for (int d = 1; d <= 31; d += 2) {
        int rc = codes_id_make(s, areas[n % 6], y, m, d, n % 500, n % 2);
        if (!ref_date_real(y, m, d)) {
          assert_int_equal(rc, -1);
          assert_string_equal(s, "");
          continue;
        }
        assert_int_equal(rc, 0);
        if (y == 2026 && m * 100 + d > 1129) continue;
        if (codes_id_check_asof(s, TODAY, out, reason, sizeof reason) != 0) fail_msg("%s: %s", s, reason);
        assert_string_equal(out, s);
        assert_int_equal(s[17], ref_id_check(s));
        snprintf(want, sizeof want, "%04d-%02d-%02d", y, m, d);
        assert_string_equal(codes_id_birth(s, birth), want);
        assert_int_equal(codes_id_male(s), n % 2);
        n++;
      }
  /* Leap days: 1904 and 2000 had one, 1900 and 2100 not. */
  assert_int_equal(codes_id_make(s, "210213", 1904, 2, 29, 1, true), 0);
  assert_int_equal(codes_id_make(s, "210213", 2000, 2, 29, 1, true), 0);
  assert_int_equal(codes_id_make(s, "210213", 1900, 2, 29, 1, true), -1);
  assert_int_equal(codes_id_make(s, "210213", 2100, 2, 29, 1, true), -1);
  assert_true(n > 5000);
  assert_int_equal(codes_id_make(s, "990105", 1980, 1, 1, 1, true), -1);
  assert_int_equal(codes_id_make(s, "21021", 1980, 1, 1, 1, true), -1);
  assert_int_equal(codes_id_make(s, "2102130", 1980, 1, 1, 1, true), -1);
  assert_int_equal(codes_id_make(s, "210213", 0, 12, 31, 1, true), -1);
  assert_int_equal(codes_id_make(s, "210213", 1980, 1, 1, 500, true), -1);
  assert_int_equal(codes_id_make(s, "210213", 1980, 1, 1, -1, true), -1);
  assert_string_equal(s, "");
  assert_int_equal(codes_id_make(s, "210213", 1980, 1, 1, 499, true), 0);
  assert_memory_equal(s, "21021319800101999", 17);
  /* Before 1900 too: a holder born in the 1880s. */
  assert_int_equal(codes_id_make(s, "210213", 1884, 2, 29, 7, false), 0);
  assert_int_equal(codes_id_check_asof(s, TODAY, out, reason, sizeof reason), 0);
  assert_string_equal(codes_id_birth(s, birth), "1884-02-29");
}

/* --- passports ------------------------------------------------------------ */

static void test_passport(void **state) {
  (void)state;
  assert_int_equal(codes_passport_check("TK1234567", "JPN", reason, sizeof reason), 0);
  assert_int_equal(codes_passport_check("M12345678", "KOR", reason, sizeof reason), 0);
  assert_int_equal(codes_passport_check("A1234", "USA", reason, sizeof reason), 0);
  assert_int_equal(codes_passport_check("12345678901234567890", "DEU", reason, sizeof reason), 0);
  assert_int_equal(codes_passport_check("A123", "USA", reason, sizeof reason), -1);
  assert_reason_has("5–20");
  assert_int_equal(codes_passport_check("123456789012345678901", "USA", reason, sizeof reason), -1);
  assert_int_equal(codes_passport_check("tk1234567", "JPN", reason, sizeof reason), -1);
  assert_reason_has("upper case");
  assert_int_equal(codes_passport_check("TK-234567", "JPN", reason, sizeof reason), -1);
  assert_reason_has("character 3 is '-'");
  assert_int_equal(codes_passport_check("", "JPN", reason, sizeof reason), -1);
  assert_int_equal(codes_passport_check(NULL, "JPN", reason, sizeof reason), -1);
  assert_int_equal(codes_passport_check("TK1234567", "CHN", reason, sizeof reason), -1);
  assert_reason_has("ID number");
  assert_int_equal(codes_passport_check("TK1234567", "HKG", reason, sizeof reason), -1);
  assert_int_equal(codes_passport_check("TK1234567", "jpn", reason, sizeof reason), -1);
  assert_reason_has("upper case");
  assert_int_equal(codes_passport_check("TK1234567", "JP", reason, sizeof reason), -1);
  assert_reason_has("alpha-3");
  assert_int_equal(codes_passport_check("TK1234567", "JP1", reason, sizeof reason), -1);
  /* Input bytes that are not well-formed UTF-8 are never echoed (found by
  ** fuzz_codes). */
  assert_int_equal(codes_passport_check("TK1234567", "\xF1" "1x", reason, sizeof reason), -1);
  assert_true(utf8_valid(reason, strlen(reason)));
  assert_int_equal(codes_passport_check("TK1234567", "J\xF1x", reason, sizeof reason), -1);
  assert_true(utf8_valid(reason, strlen(reason)));
  assert_int_equal(codes_passport_check("TK1234567", "", reason, sizeof reason), -1);
  assert_int_equal(codes_passport_check("TK1234567", NULL, reason, sizeof reason), -1);
}

/* Small reason buffers are truncated on a character boundary. */
static void test_reason_truncation(void **state) {
  (void)state;
  for (size_t cap = 1; cap < 40; cap++) {
    char small[40];
    memset(small, 'z', sizeof small);
    assert_int_equal(codes_uscc_check("short", small, cap), -1);
    assert_true(strlen(small) < cap);
    assert_true(utf8_valid(small, strlen(small)));
  }
  assert_int_equal(codes_uscc_check("short", NULL, 100), -1);
  assert_int_equal(codes_uscc_check("short", reason, 0), -1);
}

/* Countries come from the embedded ISO 3166-1 table, provinces from GB/T 2260. */
static void test_country_and_province(void **state) {
  (void)state;
  char name[80];
  assert_int_equal(codes_country("DE", name, sizeof name), 1);
  assert_string_equal(name, "德国");
  assert_int_equal(codes_country("CN", name, sizeof name), 1);
  assert_string_equal(name, "中国");
  assert_int_equal(codes_country("US", NULL, 0), 1);
  assert_int_equal(codes_country("ZW", NULL, 0), 1); /* the table's last line */
  assert_int_equal(codes_country("AD", NULL, 0), 1); /* and its first */
  const char *no[] = {"XX", "de", "D", "DEU", "", "co", NULL};
  for (int i = 0; no[i]; i++) assert_int_equal(codes_country(no[i], name, sizeof name), 0);
  assert_int_equal(codes_country(NULL, NULL, 0), 0);
  assert_string_equal(codes_province("21"), "辽宁省");
  assert_string_equal(codes_province("82"), "澳门特别行政区");
  assert_null(codes_province("99"));
  assert_null(codes_province("2"));
  assert_null(codes_province(NULL));
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_uscc_real_codes_valid),
    cmocka_unit_test(test_uscc_length),
    cmocka_unit_test(test_uscc_bad_characters),
    cmocka_unit_test(test_uscc_department_category),
    cmocka_unit_test(test_uscc_division_digits),
    cmocka_unit_test(test_uscc_make_ordered),
    cmocka_unit_test(test_uscc_org_code_check),
    cmocka_unit_test(test_uscc_final_check),
    cmocka_unit_test(test_uscc_generator_round_trip),
    cmocka_unit_test(test_id_valid),
    cmocka_unit_test(test_id_bad_check),
    cmocka_unit_test(test_id_bad_date),
    cmocka_unit_test(test_id_province),
    cmocka_unit_test(test_id_length_and_old_numbers),
    cmocka_unit_test(test_id_generator),
    cmocka_unit_test(test_passport),
    cmocka_unit_test(test_reason_truncation),
    cmocka_unit_test(test_country_and_province),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
