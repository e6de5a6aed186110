/*
** rules.h — rules (规则) as Lua 5.4 chunks run in a sandbox: 秒批 approvals,
** later policy eligibility and amounts. A rule reads the table `facts` and
** returns a decision with reasons in Chinese.
**
** Sandbox: only base functions that cannot reach the outside (no io, os,
** require, package, debug, dofile, loadfile, load of bytecode, collectgarbage,
** string.dump), string/table/math/utf8 libraries; an instruction limit and a
** memory limit; each evaluation gets a fresh environment (no state survives
** from one case to the next). A rule that errors, runs over a limit or
** returns something malformed yields RULE_MANUAL with the reason, and never
** takes the process down.
**
** The contract of a rule chunk: it may call approve(reason…), deny(reason…)
** or manual(reason…), each of which ends the rule with that decision; or
** return {decision = "approve"|"deny"|"manual", reasons = {"…", …}}.
** Falling off the end is "manual" (no decision).
*/
#ifndef XINQU_RULES_H
#define XINQU_RULES_H

#include <jansson.h>
#include "../base/base.h"

typedef enum eVerdict { VERDICT_APPROVE = 1, VERDICT_DENY = 2, VERDICT_MANUAL = 3 } eVerdict;

typedef struct RuleResult {
  eVerdict verdict;
  json_t *reasons;      /* array of Chinese strings (owned) */
  char error[512];      /* why the rule itself failed ("" when it ran normally);
                           "rule.error" / "rule.instructions" / "rule.memory" … in code */
  char code[32];        /* "" or a stable failure code: rule.syntax, rule.runtime,
                           rule.instructions, rule.memory, rule.bad_result */
  int64_t instructions; /* instructions used (approximate, by hook granularity) */
} RuleResult;

/* Limits per evaluation. */
#define RULES_MAX_INSTRUCTIONS 1000000
#define RULES_MAX_MEMORY (4u << 20)

/* rules_check() compiles src (text only) without running it. Returns 0, or
** -1 with *e (E_INVALID rule.syntax, message with the line). */
int rules_check(const char *src, Err *e);

/* rules_eval() runs src over facts (a JSON object, borrowed) in the sandbox.
** Always fills *out (call rules_result_clear()); returns out->verdict.
** Thread-safe: each thread keeps its own Lua state and compiled chunks. */
eVerdict rules_eval(const char *src, const json_t *facts, RuleResult *out);

/* rules_result_json() is {decision, reasons, error?, code?} (new object). */
json_t *rules_result_json(const RuleResult *r);
void rules_result_clear(RuleResult *r);
/* rules_verdict_name() is "approve" | "deny" | "manual". */
const char *rules_verdict_name(eVerdict v);

#endif
