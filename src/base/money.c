/*
** money.c — exact amounts of money (see money.h). Arithmetic that could
** pass 64 bits is done in 128 bits and checked before it is narrowed.
*/
#include "money.h"

#include <stdio.h>
#include <string.h>

typedef unsigned __int128 u128;

/* ISO 4217: the currencies an investor, a payer or a payee in the New Area
** uses, with their minor-unit digits. */
static const Currency currencies[] = {
    {"CNY", "人民币", "Renminbi", 2},         {"USD", "美元", "US dollar", 2},
    {"EUR", "欧元", "Euro", 2},               {"JPY", "日元", "Yen", 0},
    {"KRW", "韩元", "Won", 0},                {"HKD", "港元", "Hong Kong dollar", 2},
    {"MOP", "澳门元", "Pataca", 2},           {"TWD", "新台币", "New Taiwan dollar", 2},
    {"GBP", "英镑", "Pound sterling", 2},     {"CHF", "瑞士法郎", "Swiss franc", 2},
    {"SGD", "新加坡元", "Singapore dollar", 2}, {"AUD", "澳大利亚元", "Australian dollar", 2},
    {"CAD", "加拿大元", "Canadian dollar", 2}, {"SEK", "瑞典克朗", "Swedish krona", 2},
    {"DKK", "丹麦克朗", "Danish krone", 2},   {"NOK", "挪威克朗", "Norwegian krone", 2},
    {"RUB", "卢布", "Russian ruble", 2},      {"THB", "泰铢", "Baht", 2},
    {"MYR", "林吉特", "Malaysian ringgit", 2}, {"INR", "印度卢比", "Indian rupee", 2},
};

const Currency *money_currency(const char *code) {
  if (!code || strlen(code) != 3) return NULL;
  for (size_t i = 0; i < XQ_COUNT(currencies); i++)
    if (strcmp(currencies[i].code, code) == 0) return &currencies[i];
  return NULL;
}

const Currency *money_currencies(int *n) {
  *n = (int)XQ_COUNT(currencies);
  return currencies;
}

static u128 pow10_128(int n) {
  u128 p = 1;
  while (n-- > 0) p *= 10;
  return p;
}

static bool is_digit(char ch) { return ch >= '0' && ch <= '9'; }
static bool is_blank(char ch) { return ch == ' ' || ch == '\t'; }

/* Decimal is a number read by read_decimal(): its digits without the
** point as an integer, how many were after the point, and its sign. */
typedef struct Decimal {
  u128 v;          /* the digits, saturated once past 10^30 */
  bool neg;
  int nFrac;       /* digits after the point */
  bool huge;       /* more digits than 128 bits hold: certainly too large */
} Decimal;

/* read_decimal() reads [blanks][sign]digits[,ddd…][.digits][blanks], the
** whole of text; grouping commas, when used, sit between every three
** integer digits. False when text is not such a number. */
static bool read_decimal(const char *text, bool sign_ok, Decimal *d) {
  const char *p = text ? text : "";
  int nInt = 0, group = -1; /* digits since the last comma; -1 before any comma */
  memset(d, 0, sizeof *d);
  while (is_blank(*p)) p++;
  if (*p == '-' || *p == '+') {
    if (!sign_ok) return false;
    d->neg = *p++ == '-';
  }
  for (;; p++) {
    if (is_digit(*p)) {
      nInt++;
      if (group >= 0 && ++group > 3) return false;
    } else if (*p == ',') {
      if (nInt == 0 || (group >= 0 ? group != 3 : nInt > 3)) return false;
      group = 0;
      continue;
    } else {
      break;
    }
    if (d->v >= pow10_128(30)) d->huge = true;
    else d->v = d->v * 10 + (u128)(*p - '0');
  }
  if (nInt == 0 || (group >= 0 && group != 3)) return false;
  if (*p == '.') {
    p++;
    for (; is_digit(*p); p++) {
      d->nFrac++;
      if (d->v >= pow10_128(30)) d->huge = true;
      else d->v = d->v * 10 + (u128)(*p - '0');
    }
    if (d->nFrac == 0) return false;
  }
  while (is_blank(*p)) p++;
  return *p == '\0';
}

int money_parse(const char *text, const Currency *c, const char *field, int64_t *minor, Err *e) {
  Decimal d;
  if (!read_decimal(text, true, &d))
    return err_setf(e, E_INVALID, "money.bad_amount", field,
                    "金额格式不正确：“%s”（应为数字，如 1234.56 或 1,234.56）",
                    "Not an amount: \"%s\" (write a number such as 1234.56 or 1,234.56)", text ? text : "");
  if (d.nFrac > c->digits) {
    /* Trailing zeros past the currency's digits say nothing more. */
    while (d.nFrac > c->digits && d.v % 10 == 0) d.v /= 10, d.nFrac--;
    if (d.nFrac > c->digits) {
      char why[96];
      snprintf(why, sizeof why, "%s %d", c->code, c->digits);
      return err_setf(e, E_INVALID, "money.too_precise", field, "金额的小数位数超过该币种的最小单位（%s 位）",
                      "The amount has more decimals than the currency's minor unit allows (%s)", why);
    }
  }
  if (!d.huge) d.v *= pow10_128(c->digits - d.nFrac);
  if (d.huge || d.v > (u128)INT64_MAX)
    return err_set(e, E_INVALID, "money.too_large", field, "金额超出可记录的范围", "The amount is too large to record");
  *minor = d.neg ? -(int64_t)d.v : (int64_t)d.v;
  return 0;
}

/* put_grouped() appends the decimal digits of v, with commas between
** groups of three when group is true. */
static void put_grouped(Buf *b, u128 v, bool group) {
  char tmp[64];
  int n = 0, k = 0;
  do {
    if (group && k > 0 && k % 3 == 0) tmp[n++] = ',';
    tmp[n++] = (char)('0' + (int)(v % 10));
    v /= 10;
    k++;
  } while (v);
  while (n) buf_putc(b, tmp[--n]);
}

/* put_fixed() appends |x| / 10^digits (x ≥ 0 here) with digits decimals. */
static void put_fixed(Buf *b, bool neg, u128 x, int digits, bool group) {
  u128 p = pow10_128(digits);
  if (neg && x) buf_putc(b, '-');
  put_grouped(b, x / p, group);
  if (digits > 0) {
    char frac[48];
    u128 f = x % p;
    for (int i = digits - 1; i >= 0; i--, f /= 10) frac[i] = (char)('0' + (int)(f % 10));
    buf_putc(b, '.');
    buf_append(b, frac, (size_t)digits);
  }
}

static u128 magnitude(int64_t v) { return v < 0 ? (u128)(-(v + 1)) + 1 : (u128)v; }

void money_format(Buf *b, int64_t minor, const Currency *c, bool group) {
  put_fixed(b, minor < 0, magnitude(minor), c->digits, group);
}

/* round_div() is n / d rounded half away from zero (on magnitudes). */
static u128 round_div(u128 n, u128 d) { return (n + d / 2) / d; }

void money_format_scaled(Buf *b, int64_t minor, const Currency *c, int power, int decimals) {
  /* minor / 10^(digits + power) with decimals decimals: scale by
  ** 10^decimals first, then divide once, rounding. */
  int shift = c->digits + power - decimals;
  u128 m = magnitude(minor);
  u128 x = shift >= 0 ? round_div(m, pow10_128(shift)) : m * pow10_128(-shift);
  put_fixed(b, minor < 0, x, decimals, false);
}

int money_rate_parse(const char *text, const char *field, int64_t *rate, Err *e) {
  Decimal d;
  if (!read_decimal(text, false, &d) || d.nFrac > MONEY_RATE_DIGITS)
    return err_setf(e, E_INVALID, "money.bad_rate", field, "汇率格式不正确：“%s”（应为正数，最多 8 位小数，如 6.4512）",
                    "Not an exchange rate: \"%s\" (a positive number with at most 8 decimals, e.g. 6.4512)",
                    text ? text : "");
  if (!d.huge) d.v *= pow10_128(MONEY_RATE_DIGITS - d.nFrac);
  if (d.huge || d.v > (u128)INT64_MAX)
    return err_set(e, E_INVALID, "money.too_large", field, "汇率超出可记录的范围", "The rate is too large to record");
  if (d.v == 0)
    return err_setf(e, E_INVALID, "money.bad_rate", field, "汇率必须大于零：“%s”", "The rate must be above zero: \"%s\"",
                    text);
  *rate = (int64_t)d.v;
  return 0;
}

void money_rate_format(Buf *b, int64_t rate) {
  Buf t = {0};
  put_fixed(&t, rate < 0, magnitude(rate), MONEY_RATE_DIGITS, false);
  size_t n = t.n;
  const char *s = buf_cstr(&t);
  while (n > 0 && s[n - 1] == '0') n--;
  if (n > 0 && s[n - 1] == '.') n--;
  buf_append(b, s, n);
  buf_free(&t);
}

int money_convert(int64_t minor, const Currency *from, int64_t rate, const Currency *to, int64_t *out, Err *e) {
  /* out = minor × rate / SCALE × 10^(to − from digits). |minor| < 2^63
  ** and rate < 2^63 make a product below 2^126: it fits before dividing. */
  if (rate <= 0) return err_set(e, E_INVALID, "money.bad_rate", "rate", "汇率必须大于零", "The rate must be above zero");
  u128 n = magnitude(minor) * (u128)rate, d = (u128)MONEY_RATE_SCALE;
  int k = to->digits - from->digits;
  if (k < 0) d *= pow10_128(-k);
  /* With k > 0, multiply after dividing by what is exact and check. */
  u128 q = k > 0 ? n : round_div(n, d);
  if (k > 0) {
    u128 p = pow10_128(k);
    if (n > ((u128)~(u128)0) / p) goto too_large;
    q = round_div(n * p, d);
  }
  if (q > (u128)INT64_MAX) goto too_large;
  *out = minor < 0 ? -(int64_t)q : (int64_t)q;
  return 0;
too_large:
  return err_set(e, E_INVALID, "money.too_large", "amount", "换算后的金额超出可记录的范围",
                 "The converted amount is too large to record");
}

int money_add(int64_t a, int64_t b, int64_t *sum) {
  int64_t s;
  if (__builtin_add_overflow(a, b, &s) || s == INT64_MIN) return -1;
  *sum = s;
  return 0;
}
