/*
** fuzz_dec.c — libFuzzer target for dec.c and the periods of indicator.c.
** Arbitrary bytes go, as a NUL-terminated heap copy, to dec_parse() at every
** number of decimals and to indicator_period_parse() at every frequency.
** Invariants asserted:
**  - a figure read is written back exactly (dec_text()) and reads back as
**    the same figure; it never has more decimals than were allowed;
**  - dec_fixed() at any decimals gives text that reads back within half a
**    unit of its last place, and dec_round() agrees with it;
**  - every refusal has a code among dec.bad_number, dec.too_precise,
**    dec.too_large and a well-formed UTF-8 message;
**  - a period read is written canonically and reads back as itself.
*/
#include "base/base.h"
#include "base/buf.h"
#include "base/dec.h"
#include "domain/indicator.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *s = malloc(size + 1);
  if (!s) return 0;
  memcpy(s, data, size);
  s[size] = 0;
  for (int d = 0; d <= DEC_DIGITS; d++) {
    Err e = {0};
    Dec v = 0, w = 0;
    if (dec_parse(s, d, "value", &v, &e) == 0) {
      Buf b = {0};
      dec_text(&b, v);
      const char *dot = strchr(buf_cstr(&b), '.');
      assert(!dot || (int)strlen(dot + 1) <= d);
      Err e2 = {0};
      assert(dec_parse(buf_cstr(&b), DEC_DIGITS, NULL, &w, &e2) == 0 && w == v);
      for (int k = 0; k <= DEC_DIGITS; k++) {
        buf_reset(&b);
        dec_fixed(&b, v, k);
        Dec r = dec_round(v, k);
        Err e3 = {0};
        if (dec_parse(buf_cstr(&b), DEC_DIGITS, NULL, &w, &e3) == 0) assert(w == r || (r == 0 && w == 0));
      }
      buf_free(&b);
    } else {
      assert(strcmp(e.code, "dec.bad_number") == 0 || strcmp(e.code, "dec.too_precise") == 0 ||
             strcmp(e.code, "dec.too_large") == 0);
      assert(e.message[0] && utf8_valid(e.message, strlen(e.message)));
    }
  }
  static const eFreq fs[] = {FREQ_YEAR, FREQ_QUARTER, FREQ_MONTH};
  for (size_t i = 0; i < sizeof fs / sizeof fs[0]; i++) {
    int y, k, y2, k2;
    char out[16];
    if (indicator_period_parse(s, fs[i], &y, &k) == 0) {
      indicator_period_text(out, fs[i], y, k);
      assert(indicator_period_parse(out, fs[i], &y2, &k2) == 0 && y2 == y && k2 == k);
    }
  }
  free(s);
  return 0;
}
