/* fuzz_json.c — libFuzzer target: request-body parsing and table-driven
** decoding must never crash, leak or accept text that breaks its own rules. */
#include "base/base.h"
#include "base/jsonx.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  Err e = {0};
  json_t *j = jsonx_parse((const char *)data, size, &e);
  if (!j) {
    if (!e.code[0] || !e.message[0] || !e.message_en[0]) __builtin_trap();
    return 0;
  }
  char name[16], note[64];
  int64_t n = 0;
  bool flag = false, has_name = false;
  const JField f[] = {
      {"name", J_STR, false, name, sizeof name, 0, 10, &has_name},
      {"note", J_STR, false, note, sizeof note, 0, 0, NULL},
      {"n", J_INT, false, &n, 0, -5, 5, NULL},
      {"flag", J_BOOL, false, &flag, 0, 0, 0, NULL},
  };
  if (jsonx_decode(j, f, 4, true, &e) == 0) {
    if (n < -5 || n > 5) __builtin_trap();
    if (has_name && (!utf8_valid(name, strlen(name)) || utf8_len(name) > 10)) __builtin_trap();
  } else if (!e.code[0]) {
    __builtin_trap();
  }
  json_decref(j);
  return 0;
}
