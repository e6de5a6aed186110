/*
** api_rules.c — trying a rule before it is saved: an administrator sends a
** rule's source and sample facts and gets the sandbox's decision, exactly
** as a case would (rules_eval, the same limits). Nothing is stored.
*/
#include "http.h"
#include "api.h"
#include "../domain/rules.h"

#include <string.h>

#define RULE_MAX (64 * 1024)

/* test() answers {decision, reasons, error?, code?, instructions} for
** {rule: text ≤ 64 KiB, facts: object}. A rule that does not compile or
** fails is still a 200: the decision is "manual" with the sandbox's code,
** as it would be on a case. */
static int test(Req *r) {
  const json_t *rule = json_object_get(r->json, "rule");
  const json_t *facts = json_object_get(r->json, "facts");
  const char *key;
  json_t *v;
  json_object_foreach(r->json, key, v) {
    if (strcmp(key, "rule") != 0 && strcmp(key, "facts") != 0)
      return req_fail(r, E_INVALID, "request.unknown_field", key, "未知字段", "Unknown field");
  }
  if (!json_is_string(rule) || json_string_length(rule) == 0)
    return req_fail(r, E_INVALID, "request.missing_field", "rule", "请填写规则脚本", "rule is required (Lua text)");
  if (json_string_length(rule) > RULE_MAX)
    return req_fail(r, E_INVALID, "request.too_long", "rule", "规则脚本不超过 64 KiB", "rule: at most 64 KiB");
  if (!json_is_object(facts))
    return req_fail(r, E_INVALID, "request.bad_type", "facts", "样例事实应为 JSON 对象", "facts must be a JSON object");
  RuleResult rr;
  rules_eval(json_string_value(rule), facts, &rr);
  json_t *out = rules_result_json(&rr);
  json_object_set_new(out, "instructions", json_integer(rr.instructions));
  rules_result_clear(&rr);
  return req_json(r, 200, out);
}

static const Route routes[] = {
    {"POST", "/api/v1/rules/test", test, R_JSON, ROLE_ADMIN, RULE_MAX + 16384,
     "用样例事实试运行规则（不保存）", "Run a rule on sample facts in the sandbox (nothing saved)"},
};

void api_rules_register(void) { router_add(routes, XQ_COUNT(routes), "rules"); }
