/*
** dec.c — exact decimal figures (see dec.h). Products and quotients are
** taken in 128 bits and checked before they are narrowed.
*/
#include "dec.h"

#include <string.h>

typedef __int128 i128;

static const int64_t POW10[] = {1, 10, 100, 1000, 10000, 100000, 1000000};

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

/* shown() is text as a message may quote it: itself when it is short UTF-8,
** else "…" (a message never carries what is not text, nor a whole file). */
static const char *shown(const char *text) {
  if (!text) return "";
  size_t n = strlen(text);
  return n <= 40 && utf8_valid(text, n) ? text : "…";
}

int dec_parse(const char *text, int max_decimals, const char *field, Dec *v, Err *e) {
  const char *p = text ? text : "";
  i128 x = 0;
  bool neg = false, huge = false;
  int nInt = 0, nFrac = 0, group = -1;
  char frac[64];
  while (*p == ' ' || *p == '\t') p++;
  if (*p == '-' || *p == '+') neg = *p++ == '-';
  for (;; p++) {
    if (is_digit(*p)) {
      nInt++;
      if (group >= 0 && ++group > 3) goto bad;
      if (x > (i128)INT64_MAX) huge = true;
      else x = x * 10 + (*p - '0');
    } else if (*p == ',') {
      if (nInt == 0 || (group >= 0 ? group != 3 : nInt > 3)) goto bad;
      group = 0;
    } else {
      break;
    }
  }
  if (nInt == 0 || (group >= 0 && group != 3)) goto bad;
  if (*p == '.') {
    p++;
    while (is_digit(*p)) {
      if (nFrac == (int)sizeof frac) goto bad;
      frac[nFrac++] = *p++;
    }
    if (nFrac == 0) goto bad;
  }
  while (*p == ' ' || *p == '\t') p++;
  if (*p) goto bad;
  while (nFrac > 0 && frac[nFrac - 1] == '0') nFrac--; /* trailing zeros say nothing more */
  if (max_decimals < 0 || max_decimals > DEC_DIGITS) max_decimals = DEC_DIGITS;
  if (nFrac > max_decimals) {
    char n[4] = {(char)('0' + max_decimals), 0};
    return err_setf(e, E_INVALID, "dec.too_precise", field, "小数位数不能超过 %s 位", "At most %s decimals", n);
  }
  if (huge || x > (i128)INT64_MAX / DEC_ONE) goto large;
  x *= DEC_ONE;
  for (int i = 0; i < nFrac; i++) x += (i128)(frac[i] - '0') * POW10[DEC_DIGITS - 1 - i];
  if (x > (i128)INT64_MAX) goto large;
  *v = neg ? -(int64_t)x : (int64_t)x;
  return 0;
large:
  return err_setf(e, E_INVALID, "dec.too_large", field, "数值超出可记录的范围：“%s”", "The figure is too large: \"%s\"",
                  shown(text));
bad:
  return err_setf(e, E_INVALID, "dec.bad_number", field, "不是数字：“%s”（应如 2576.3 或 1,234.56）",
                  "Not a number: \"%s\" (write e.g. 2576.3 or 1,234.56)", shown(text));
}

/* put() appends |v| as integer part and decimals digits (v already scaled
** to decimals). */
static void put(Buf *b, bool neg, uint64_t v, int decimals) {
  char tmp[48];
  int n = 0;
  for (int k = 0; k < decimals; k++) tmp[n++] = (char)('0' + (int)(v % 10)), v /= 10;
  if (decimals) tmp[n++] = '.';
  do tmp[n++] = (char)('0' + (int)(v % 10)), v /= 10;
  while (v);
  if (neg) tmp[n++] = '-';
  while (n) buf_putc(b, tmp[--n]);
}

static uint64_t mag(Dec v) { return v < 0 ? (uint64_t)(-(v + 1)) + 1 : (uint64_t)v; }

void dec_text(Buf *b, Dec v) {
  uint64_t m = mag(v);
  int d = DEC_DIGITS;
  while (d > 0 && m % 10 == 0) m /= 10, d--;
  put(b, v < 0 && m, m, d);
}

/* round_mag() is m ÷ 10^(DEC_DIGITS − decimals), rounded half away from zero. */
static uint64_t round_mag(uint64_t m, int decimals) {
  uint64_t p = (uint64_t)POW10[DEC_DIGITS - decimals];
  uint64_t q = m / p, r = m % p;
  return r * 2 >= p ? q + 1 : q;
}

void dec_fixed(Buf *b, Dec v, int decimals) {
  if (decimals < 0) decimals = 0;
  if (decimals > DEC_DIGITS) decimals = DEC_DIGITS;
  uint64_t q = round_mag(mag(v), decimals);
  put(b, v < 0 && q, q, decimals);
}

Dec dec_round(Dec v, int decimals) {
  if (decimals < 0) decimals = 0;
  if (decimals >= DEC_DIGITS) return v;
  uint64_t q = round_mag(mag(v), decimals);
  i128 x = (i128)q * POW10[DEC_DIGITS - decimals];
  if (x > (i128)INT64_MAX) x = (i128)INT64_MAX / POW10[DEC_DIGITS - decimals] * POW10[DEC_DIGITS - decimals];
  return v < 0 ? -(Dec)x : (Dec)x;
}

int dec_add(Dec a, Dec b, Dec *out) {
  Dec s;
  if (__builtin_add_overflow(a, b, &s)) return -1;
  *out = s;
  return 0;
}

int dec_sub(Dec a, Dec b, Dec *out) {
  Dec s;
  if (__builtin_sub_overflow(a, b, &s)) return -1;
  *out = s;
  return 0;
}

/* div_round() is n ÷ d rounded half away from zero (d ≠ 0). */
static i128 div_round(i128 n, i128 d) {
  bool neg = (n < 0) != (d < 0);
  if (n < 0) n = -n;
  if (d < 0) d = -d;
  i128 q = n / d, r = n % d;
  if (r * 2 >= d) q++;
  return neg ? -q : q;
}

int dec_ratio_pct(Dec num, Dec den, bool minus100, int decimals, Dec *out) {
  if (den == 0) return -1;
  if (decimals < 0) decimals = 0;
  if (decimals > DEC_DIGITS) decimals = DEC_DIGITS;
  /* (num − den·minus100) × 100 × 10^decimals ÷ den, then scaled back up. */
  i128 n = (i128)num - (minus100 ? (i128)den : 0);
  i128 q = div_round(n * 100 * POW10[decimals], den) * POW10[DEC_DIGITS - decimals];
  if (q > (i128)INT64_MAX || q < -(i128)INT64_MAX) return -1;
  *out = (Dec)q;
  return 0;
}

int dec_mul_pct(Dec v, Dec pct, Dec *out) {
  i128 q = div_round((i128)v * ((i128)100 * DEC_ONE + pct), (i128)100 * DEC_ONE);
  if (q > (i128)INT64_MAX || q < -(i128)INT64_MAX) return -1;
  *out = (Dec)q;
  return 0;
}
