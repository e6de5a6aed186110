/* fuzz_rules.c — libFuzzer target: the 秒批 rule sandbox on hostile rules
** and facts. The input is split at its first NUL into a rule (Lua source)
** and facts (JSON; when they do not parse, a fixed set is used). Whatever
** the rule does, rules_eval() must come back with a verdict, reasons that
** are a JSON array of at most 64 strings of valid UTF-8 (at most 2,048
** bytes each), a valid UTF-8 error, a stable code exactly when the rule
** failed, an instruction count within the limit — and no crash, leak or
** sanitizer report. The Lua state is kept from one input to the next, as
** in the server, so a rule that could leave anything behind for the next
** would show in a later input's result. */
#include "base/base.h"
#include "domain/rules.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char FACTS[] =
    "{\"item\":{\"code\":\"JP-MP-001\",\"version\":1},"
    "\"party\":{\"type\":\"entity\",\"code\":\"91210213MA0000001X\",\"name\":\"大连测试科技有限公司\","
    "\"kind\":\"company\",\"status\":\"active\",\"established\":\"2020-05-06\","
    "\"capital_fen\":100000000,\"industry\":\"I\",\"district\":\"小窑湾\"},"
    "\"form\":{\"note\":\"测试\",\"amount\":12.5,\"agree\":true,\"list\":[1,\"二\",null,{}]},"
    "\"materials\":{\"apply\":true},\"broken_promise\":false,\"today\":\"2026-11-29\"}";

static const char *const CODES[] = {"rule.syntax", "rule.runtime", "rule.instructions", "rule.timeout", "rule.memory",
                                    "rule.bad_result", "rule.facts", "rule.internal"};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const uint8_t *nul = memchr(data, 0, size);
  size_t nSrc = nul ? (size_t)(nul - data) : size;
  char *src = malloc(nSrc + 1);
  memcpy(src, data, nSrc);
  src[nSrc] = 0;
  json_t *facts = NULL;
  if (nul) facts = json_loadb((const char *)nul + 1, size - nSrc - 1, JSON_DECODE_ANY, NULL);
  if (!json_is_object(facts)) {
    json_decref(facts);
    facts = json_loads(FACTS, 0, NULL);
  }
  RuleResult r;
  eVerdict v = rules_eval(src, facts, &r);
  if (v != r.verdict || (v != VERDICT_APPROVE && v != VERDICT_DENY && v != VERDICT_MANUAL)) abort();
  if (!json_is_array(r.reasons) || json_array_size(r.reasons) > 64) abort();
  for (size_t i = 0; i < json_array_size(r.reasons); i++) {
    const char *s = json_string_value(json_array_get(r.reasons, i));
    if (!s || strlen(s) > 2048 || !utf8_valid(s, strlen(s))) abort();
  }
  if (!utf8_valid(r.error, strlen(r.error))) abort();
  if ((r.code[0] != 0) != (r.error[0] != 0)) abort(); /* a failure has both, a decision neither */
  if (r.code[0]) {
    size_t k = 0;
    while (k < XQ_COUNT(CODES) && strcmp(CODES[k], r.code) != 0) k++;
    if (k == XQ_COUNT(CODES) || v != VERDICT_MANUAL) abort();
  }
  if (r.instructions < 0) abort();
  json_t *j = rules_result_json(&r);
  if (!j) abort();
  json_decref(j);
  rules_result_clear(&r);
  json_decref(facts);
  free(src);
  return 0;
}
