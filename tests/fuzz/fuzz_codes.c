/*
** fuzz_codes.c — libFuzzer target for codes.c. Arbitrary bytes go, as a
** NUL-terminated heap copy of exactly size+1 bytes (so AddressSanitizer
** catches any read past the string), to the USCC, ID number and passport
** checkers. Invariants asserted:
**  - a valid USCC carries the check characters the generators compute and
**    a known department/category; regenerating position 18 changes nothing;
**  - a valid ID number normalises to 18 characters that check again, with
**    the computed check character, a birth date and a sex; an invalid one
**    leaves out18 empty;
**  - a valid passport is 5–20 of A–Z0–9;
**  - every refusal has a non-empty, well-formed UTF-8 reason, and a
**    small reason buffer is never overrun;
**  - the generators, fed values from the input, make codes the checkers
**    accept.
*/
#include "base/base.h"
#include "base/codes.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_reason(int rc, const char *reason) {
  if (rc == 0) {
    assert(reason[0] == 0);
  } else {
    assert(rc == -1);
    assert(reason[0] != 0);
    assert(utf8_valid(reason, strlen(reason)));
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *s = malloc(size + 1);
  char reason[512], small[9], out18[19];
  if (!s) return 0;
  memcpy(s, data, size);
  s[size] = 0;

  /* USCC */
  int rc = codes_uscc_check(s, reason, sizeof reason);
  check_reason(rc, reason);
  assert(codes_uscc_check(s, small, sizeof small) == rc);
  assert(strlen(small) < sizeof small && utf8_valid(small, strlen(small)));
  if (rc == 0) {
    assert(strlen(s) == 18);
    assert(codes_uscc_category(s) != NULL);
    assert(codes_org_check_char(s + 8) == s[16]);
    assert(codes_uscc_check_char(s) == s[17]);
    char t[19];
    memcpy(t, s, 19);
    t[17] = codes_uscc_check_char(t);
    assert(memcmp(t, s, 19) == 0);
  }
  (void)codes_uscc_category(s);
  (void)codes_uscc_check_char(s);
  if (strlen(s) >= 8) (void)codes_org_check_char(s);

  /* ID number */
  memset(out18, 'z', sizeof out18);
  rc = codes_id_check(s, out18, reason, sizeof reason);
  check_reason(rc, reason);
  if (rc == 0) {
    char again[19], birth[11];
    assert(strlen(out18) == 18);
    assert(codes_id_check_char(out18) == out18[17]);
    assert(codes_id_check(out18, again, NULL, 0) == 0);
    assert(strcmp(again, out18) == 0);
    if (strlen(s) == 18) {
      assert(memcmp(s, out18, 17) == 0);
      assert(s[17] == out18[17] || (s[17] == 'x' && out18[17] == 'X'));
    } else {
      assert(strlen(s) == 15 && memcmp(out18 + 8, s + 6, 9) == 0);
    }
    assert(codes_id_birth(out18, birth) != NULL);
    assert(codes_id_male(out18) == 0 || codes_id_male(out18) == 1);
  } else {
    assert(out18[0] == 0);
  }
  (void)codes_id_check_char(s);
  char b[11];
  (void)codes_id_birth(s, b);
  (void)codes_id_male(s);

  /* Passport: "NUMBER/NAT" when there is a slash, else the whole as number. */
  char *slash = strchr(s, '/');
  const char *nat = "JPN";
  if (slash) {
    *slash = 0;
    nat = slash + 1;
  }
  rc = codes_passport_check(s, nat, reason, sizeof reason);
  check_reason(rc, reason);
  if (rc == 0) {
    size_t n = strlen(s);
    assert(n >= 5 && n <= 20);
    for (size_t i = 0; i < n; i++)
      assert((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9'));
    assert(strlen(nat) == 3 && strcmp(nat, "CHN") != 0);
  }

  /* Generators driven by the input. */
  if (size >= 16) {
    uint64_t serial;
    memcpy(&serial, data, 8);
    static const char pairs[][2] = {{'9', '1'}, {'9', '2'}, {'9', '3'}, {'5', '1'}, {'Y', '1'}};
    char div[7];
    for (int i = 0; i < 6; i++) div[i] = (char)('0' + data[8 + i] % 10);
    div[6] = 0;
    char u[19];
    const char *pr = pairs[data[14] % 5];
    assert(codes_uscc_make(u, pr[0], pr[1], div, serial) == 0);
    assert(codes_uscc_check(u, NULL, 0) == 0);
    char id[19];
    int y = 1850 + data[8] % 170, m = 1 + data[9] % 12, d = 1 + data[10] % 28;
    assert(codes_id_make(id, "210213", y, m, d, data[11] % 500, data[12] & 1) == 0);
    assert(codes_id_check(id, NULL, NULL, 0) == 0);
    assert(codes_id_male(id) == (data[12] & 1));
  }
  free(s);
  return 0;
}
