/*
** rules.h — rules (规则) as Lua 5.4 chunks run in a sandbox: 秒批 approvals,
** later policy eligibility and amounts. A rule reads the table `facts` and
** returns a decision with reasons in Chinese.
**
** Sandbox. A rule sees only: assert error ipairs next pairs pcall xpcall
** rawequal rawget rawlen select getmetatable setmetatable (refuses __gc)
** tonumber tostring type _VERSION _G (its own environment); string (byte
** char find format gmatch gsub len lower match rep reverse sub upper, also
** as methods on strings), table (concat insert move pack remove sort
** unpack), math (without randomseed), utf8, coroutine; date (days(a, b),
** years(a, b): whole years from a to b, valid(s), add_months(s, n): the
** day n months on, clamped to the month's end as 民法典 第二百零二条 counts,
** over "YYYY-MM-DD" strings, nil when a date is not real; month(s): the
** number year × 12 + month − 1 of a "YYYY-MM" string, nil for anything
** else, so months compare and subtract as integers); fixed(x, d) (number x with at
** most d decimals, 0–9, default 2, trailing zeros dropped: the figures of
** messages; from 10^15 on, 15 significant figures and an exponent); facts;
** approve, deny, manual. Not there: io, os, require, package, debug, dofile, loadfile,
** load, collectgarbage, print, string.dump/pack/unpack. Chunks are loaded
** as text only (never bytecode). The library tables are read-only proxies
** (writing to them is an error; pairs() over them sees nothing), and the
** metatables of strings, library proxies and the environment are locked
** (getmetatable gives false). Each evaluation gets a fresh environment: a
** global written by one evaluation is nil in the next.
**
** Limits per evaluation: RULES_MAX_INSTRUCTIONS VM instructions (counted
** by a hook every 1,000 instructions, in coroutines too, with C library
** loops such as pattern matching, string.rep and table.move charged by an
** estimate of their work); RULES_MAX_WALL_MS milliseconds of wall-clock
** time (read by the same hook, so a rule may overrun by what 1,000 of its
** instructions take: some single instructions, such as comparing long
** strings, are slow); the state may grow by RULES_MAX_MEMORY; at most
** RULES_MAX_ALLOC_VOLUME bytes allocated in all; no string longer than
** RULES_MAX_STRING made by the rule (facts strings may be longer). Once a
** limit is hit the rule cannot recover by catching the error with pcall
** (nor run an xpcall message handler): the result is the limit's failure
** whatever the rule does afterwards.
**
** The contract of a rule chunk: it may call approve(reason…), deny(reason…)
** or manual(reason…) — reasons are strings (or numbers), at most 64 of at
** most 2,048 bytes — each of which ends the rule with that decision (a
** pcall that catches it does not undo the decision; a second decision is a
** failure); or return {decision = "approve"|"deny"|"manual", reasons =
** {"…", …}} (read with raw access, no metamethods). Falling off the end
** (returning nil) is "manual" with the reason 规则未作出决定. The chunk runs
** as a function of one argument, its environment, so `...` is not useful.
**
** Facts (a JSON object) are read-only views of the JSON, not copies: a
** value is made only when the rule reads it. Objects and arrays are views
** (type "userdata") that index (facts.party.status, f.scopes[1]), count
** (# of an array) and iterate (pairs, ipairs) like tables, and refuse
** writes (rule.runtime); null → nil, so the key is absent; integers → Lua
** integers; reals → floats; strings and booleans as themselves. What the
** case engine passes:
**   facts = {
**     item = {code = "…", version = 3},                 -- the catalogue item
**     party = {type = "entity" | "person", code = USCC or ID number, name,
**              kind (company, branch, individual, …), status ("active",
**              "revoked", "cancelled"), established = "YYYY-MM-DD",
**              capital_fen (integer), industry (GB/T 4754 section), district,
**              age (persons), nationality (persons)},
**     form = {…the applicant's form fields: strings, numbers, booleans…},
**     materials = {key = true for each material provided},
**     broken_promise = false,     -- on the joint-punishment (失信) list
**     today = "YYYY-MM-DD",       -- Asia/Shanghai
**   }
** Dates are ISO strings, so they compare correctly with < and >.
**
** Outputs and the why-not. Beside its decision a rule may call
** output(name, value) — name [a-z_][a-z0-9_]* (≤ 32 bytes, each once, ≤ 32
** outputs); value an integer (an amount in fen), a finite number (a score),
** a boolean, a UTF-8 string of ≤ 256 bytes (a level), or a list of ≤ 64 of
** those or of flat records with ≤ 16 string keys (instalments {due = "…",
** amount_fen = …}); ≤ 1,024 values in all — and condition(name, met,
** figure, threshold, message?) — name a UTF-8 string of ≤ 400 bytes, met
** true, false or nil (unknown: a fact was missing), figure and threshold
** scalars or nil, message what it means in plain Chinese (≤ 400 bytes);
** ≤ 64 conditions; it returns met — so the result says which conditions
** failed or could not be judged. Anything else is a malformed result. A
** rule that fails has neither.
**
** A rule that errors, runs over a limit or returns something malformed
** yields VERDICT_MANUAL with a code, an error "中文 / English: detail" and a
** Chinese reason, and never takes the process down.
*/
#ifndef XINQU_RULES_H
#define XINQU_RULES_H

#include <jansson.h>
#include "../base/base.h"

typedef enum eVerdict { VERDICT_APPROVE = 1, VERDICT_DENY = 2, VERDICT_MANUAL = 3 } eVerdict;

/* A condition's figure or threshold: nothing (null), a boolean, an integer,
** a finite number or a UTF-8 string (s[0..n), in the result's text). */
typedef struct RuleScalar {
  char kind; /* 'n' (null), 'b', 'i', 'r' or 's' */
  bool b;
  int64_t i;
  double r;
  const char *s;
  size_t n;
} RuleScalar;

/* One condition() of an evaluation. Its strings live in RuleResult.text. */
typedef struct RuleCondition {
  const char *name;    /* name[0..nName), UTF-8 */
  size_t nName;
  int met;             /* 1 met, 0 not met, -1 unknown (a fact was missing) */
  RuleScalar figure, threshold;
  const char *message; /* message[0..nMessage) in plain Chinese, or NULL */
  size_t nMessage;
} RuleCondition;

typedef struct RuleResult {
  eVerdict verdict;
  json_t *reasons;      /* array of Chinese strings (owned) */
  char error[512];      /* why the rule itself failed, "中文 / English: detail"
                           (valid UTF-8), or "" when it ran normally */
  char code[32];        /* "" or a stable failure code: rule.syntax, rule.runtime,
                           rule.instructions, rule.timeout, rule.memory, rule.bad_result,
                           rule.facts (facts not a JSON object),
                           rule.internal (no Lua state) */
  int64_t instructions; /* instructions used (approximate, by hook granularity) */
  json_t *outputs;      /* {name: value} the rule set with output(), or NULL (owned) */
  RuleCondition *conditions; /* what the rule reported with condition(), in order (owned; kept
                           as C values, not JSON: the ladder reads them by the thousand) */
  int nConditions;      /* 0 when it reported none */
  char *text;           /* the conditions' strings (owned) */
} RuleResult;

/* Limits per evaluation. */
#define RULES_MAX_INSTRUCTIONS 1000000
/* Wall-clock time: far above the 20-60 ms a rule that spends its whole
** instruction or allocation budget takes, so that it never decides a case
** the other limits let finish, even on a busy machine. The sanitizer build
** allocates about ten times slower (the allocation budget alone then takes
** 0.6 s), so its limit is scaled to keep the limits in the same order. */
#if defined(__SANITIZE_ADDRESS__)
#define RULES_MAX_WALL_MS 1600
#else
#define RULES_MAX_WALL_MS 200
#endif
#define RULES_MAX_MEMORY (4u << 20)
#define RULES_MAX_STRING (64u << 10)
#define RULES_MAX_ALLOC_VOLUME (64u * RULES_MAX_MEMORY)

/* rules_check() compiles src (text only) without running it. Returns 0, or
** -1 with *e (E_INVALID rule.syntax, message with the line). */
int rules_check(const char *src, Err *e);

/* rules_eval() runs src over facts (a JSON object, borrowed) in the sandbox.
** Always fills *out (call rules_result_clear()); returns out->verdict.
** Thread-safe: each thread keeps its own Lua state (made on first use, closed
** when the thread exits) and up to 256 compiled chunks, looked up by the
** source text. */
eVerdict rules_eval(const char *src, const json_t *facts, RuleResult *out);

/* rules_eval_shared() runs prelude once over facts, then each of the n
** texts as rules_eval() would, each in its own environment with its own
** limits, into out[0..n): the rules share the prelude's helpers (the values
** of its top-level locals at its end) as locals of the same names, so the
** helpers are made once for all of them (the six rungs of a ladder check).
** A rule gets copies of the prelude's plain tables, so what it does to them
** never reaches the rules after it. When the prelude fails (an error, a
** limit, or a decision or condition of its own), every rule's result is
** that failure. Line numbers in a rule's errors are its own. */
void rules_eval_shared(const char *prelude, const char *const *texts, int n, const json_t *facts, RuleResult *out);

/* rules_compiles() is how many chunks this thread's sandbox has compiled
** (each cache miss): for tests and diagnostics. */
int64_t rules_compiles(void);

/* rules_result_json() is {decision, reasons, error?, code?, outputs?,
** conditions?, unmet?} (a new object; error and code only when the rule
** failed; unmet the names of the conditions not met or unknown). */
json_t *rules_result_json(const RuleResult *r);
/* rules_scalar_json() is v as JSON (a new reference; null for 'n'). */
json_t *rules_scalar_json(const RuleScalar *v);
/* rules_conditions_json() is [{name, met (true|false|null), figure,
** threshold, message?}] of r's conditions (a new array). */
json_t *rules_conditions_json(const RuleResult *r);
/* rules_result_clear() frees the reasons and zeroes *r. */
void rules_result_clear(RuleResult *r);
/* rules_verdict_name() is "approve" | "deny" | "manual". */
const char *rules_verdict_name(eVerdict v);

#endif
