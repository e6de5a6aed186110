/*
** test_rules.c — unit tests of the Lua rule sandbox (src/domain/rules.c):
** decisions by function and by returned table, the facts conversion, a
** fresh environment per evaluation, and escape attempts that must end in
** a "manual" verdict with the right failure code, never in a crash, a hang
** or state that leaks into the next evaluation.
*/
#include "unit.h"

#include <pthread.h>
#include <stdio.h>

#include "base/base.h"
#include "base/buf.h"
#include "domain/rules.h"

/* ---- Helpers ------------------------------------------------------------- */

static const char *FACTS =
    "{\"item\": {\"code\": \"JP-001\", \"version\": 3},"
    " \"party\": {\"type\": \"entity\", \"code\": \"91210213MA0Y8K2X4Q\", \"name\": \"大连海韵科技有限公司\","
    "   \"kind\": \"company\", \"status\": \"active\", \"established\": \"2019-04-12\","
    "   \"capital_fen\": 500000000, \"industry\": \"I\", \"district\": \"友谊街道\", \"nationality\": null},"
    " \"form\": {\"employees\": 12, \"ratio\": 0.25, \"in_zone\": true, \"remote\": false,"
    "   \"scopes\": [\"软件开发\", \"技术服务\", null, \"咨询\"], \"nested\": {\"a\": {\"b\": [1, [2, 3]]}}},"
    " \"materials\": {\"application_form\": true, \"license_copy\": true},"
    " \"broken_promise\": false, \"today\": \"2026-03-18\"}";

/* run() evaluates src over the JSON text facts (FACTS when NULL) into *r. */
static eVerdict run(const char *src, const char *facts, RuleResult *r) {
  json_error_t je;
  json_t *f = json_loads(facts ? facts : FACTS, 0, &je);
  if (!f) fail_msg("bad test facts: %s", je.text);
  eVerdict v = rules_eval(src, f, r);
  json_decref(f);
  return v;
}

/* reason() is reason i of r, or "" when there is none. */
static const char *reason(const RuleResult *r, size_t i) {
  const char *s = json_string_value(json_array_get(r->reasons, i));
  return s ? s : "";
}

/* expect_fail() runs src and checks it ended manual with code, an error
** that has Chinese and English, and one Chinese reason. */
#define expect_fail(src, want_code) \
  do { \
    RuleResult r_; \
    eVerdict v_ = run((src), NULL, &r_); \
    if (v_ != VERDICT_MANUAL || strcmp(r_.code, (want_code)) != 0) \
      fail_msg("%s: verdict %d code \"%s\" error \"%s\", want manual %s", (src), v_, r_.code, r_.error, (want_code)); \
    assert_non_null(strstr(r_.error, " / ")); \
    assert_int_equal(json_array_size(r_.reasons), 1); \
    assert_non_null(strstr(reason(&r_, 0), "人工")); \
    rules_result_clear(&r_); \
  } while (0)

/* expect() runs src and checks the verdict, no failure code, and the first
** reason (when want_reason is not NULL). */
#define expect(src, want, want_reason) \
  do { \
    RuleResult r_; \
    eVerdict v_ = run((src), NULL, &r_); \
    if (v_ != (want) || r_.code[0]) \
      fail_msg("%s: verdict %d code \"%s\" error \"%s\" reason \"%s\", want %d", (src), v_, r_.code, r_.error, \
               reason(&r_, 0), (want)); \
    if ((want_reason) != NULL) assert_string_equal(reason(&r_, 0), (const char *)(want_reason)); \
    rules_result_clear(&r_); \
  } while (0)

/* A rule that approves only when the sandbox is still intact. */
static const char *INTACT =
    "if leaked ~= nil or _G.leaked2 ~= nil then deny('全局变量泄漏') end\n"
    "if string.upper('ab') ~= 'AB' or ('ab'):upper() ~= 'AB' then deny('string 被改') end\n"
    "if math.pi < 3.14 or math.pi > 3.15 then deny('math 被改') end\n"
    "if type(table.insert) ~= 'function' then deny('table 被改') end\n"
    "if facts.party.status ~= 'active' then deny('facts 被改') end\n"
    "approve('完好')";

/* ---- Decisions ----------------------------------------------------------- */

static void test_decide_by_function(void **state) {
  (void)state;
  RuleResult r;
  assert_int_equal(run("approve('主体状态正常', '材料齐全')", NULL, &r), VERDICT_APPROVE);
  assert_int_equal(json_array_size(r.reasons), 2);
  assert_string_equal(reason(&r, 0), "主体状态正常");
  assert_string_equal(reason(&r, 1), "材料齐全");
  assert_string_equal(r.code, "");
  assert_string_equal(r.error, "");
  rules_result_clear(&r);
  expect("if facts.party.status == 'active' then deny('已吊销') end approve('x')", VERDICT_DENY, "已吊销");
  expect("manual('需要现场核查')", VERDICT_MANUAL, "需要现场核查");
  /* A decision ends the rule: nothing after it runs. */
  expect("deny('第一') approve('第二')", VERDICT_DENY, "第一");
  /* Numbers are accepted as reasons. */
  expect("approve('人数', facts.form.employees)", VERDICT_APPROVE, "人数");
  assert_int_equal(run("approve(12, 2.5)", NULL, &r), VERDICT_APPROVE);
  assert_string_equal(reason(&r, 0), "12");
  assert_string_equal(reason(&r, 1), "2.5");
  rules_result_clear(&r);
  /* Decided inside a pcall: the decision stands. */
  expect("pcall(approve, '在 pcall 里')", VERDICT_APPROVE, "在 pcall 里");
  /* Falling off the end is manual, not a failure. */
  RuleResult n;
  assert_int_equal(run("local x = 1", NULL, &n), VERDICT_MANUAL);
  assert_string_equal(n.code, "");
  assert_string_equal(reason(&n, 0), "规则未作出决定，转人工审核");
  rules_result_clear(&n);
}

static void test_decide_by_table(void **state) {
  (void)state;
  expect("return {decision = 'approve', reasons = {'符合条件'}}", VERDICT_APPROVE, "符合条件");
  expect("return {decision = 'deny', reasons = {'不符合', '材料缺失'}}", VERDICT_DENY, "不符合");
  expect("return {decision = 'manual'}", VERDICT_MANUAL, NULL);
  RuleResult r;
  run("return {decision = 'approve'}", NULL, &r);
  assert_int_equal(json_array_size(r.reasons), 0);
  rules_result_clear(&r);
  /* Read raw: an __index on the result cannot supply the decision. */
  expect_fail("return setmetatable({}, {__index = function() return 'approve' end})", "rule.bad_result");
  expect_fail("return {decision = 'yes'}", "rule.bad_result");
  expect_fail("return {decision = 'approve', reasons = '一条'}", "rule.bad_result");
  expect_fail("return {decision = 'approve', reasons = {{}}}", "rule.bad_result");
  expect_fail("return 'approve'", "rule.bad_result");
  expect_fail("return {decision = 'approve', reasons = {'\\255\\254'}}", "rule.bad_result");
  expect_fail("approve({})", "rule.bad_result");
  expect_fail("approve(string.rep('长', 1000))", "rule.bad_result");
  expect_fail("approve(table.unpack((function() local t = {} for i = 1, 65 do t[i] = 'x' end return t end)()))",
              "rule.bad_result");
  /* Two decisions, or a decision and a returned value, are a failure. */
  expect_fail("pcall(approve, 'a') deny('b')", "rule.bad_result");
  expect_fail("pcall(approve, 'a') return {decision = 'deny'}", "rule.bad_result");
  /* An error after a caught decision wins over it. */
  expect_fail("pcall(approve, 'a') error('后来出错')", "rule.runtime");
}

static void test_result_json(void **state) {
  (void)state;
  RuleResult r;
  run("deny('材料不齐')", NULL, &r);
  json_t *j = rules_result_json(&r);
  assert_string_equal(json_string_value(json_object_get(j, "decision")), "deny");
  assert_string_equal(json_string_value(json_array_get(json_object_get(j, "reasons"), 0)), "材料不齐");
  assert_null(json_object_get(j, "code"));
  assert_null(json_object_get(j, "error"));
  json_decref(j);
  rules_result_clear(&r);
  run("error('坏了')", NULL, &r);
  j = rules_result_json(&r);
  assert_string_equal(json_string_value(json_object_get(j, "decision")), "manual");
  assert_string_equal(json_string_value(json_object_get(j, "code")), "rule.runtime");
  assert_non_null(strstr(json_string_value(json_object_get(j, "error")), "规则运行出错 / rule runtime error"));
  assert_non_null(strstr(json_string_value(json_object_get(j, "error")), "rule:1: 坏了"));
  json_decref(j);
  rules_result_clear(&r);
  assert_string_equal(rules_verdict_name(VERDICT_APPROVE), "approve");
  assert_string_equal(rules_verdict_name(VERDICT_DENY), "deny");
  assert_string_equal(rules_verdict_name(VERDICT_MANUAL), "manual");
}

/* ---- Outputs and the why-not ---------------------------------------------- */

/* A housing subsidy as a policy rule would write it: an amount, its
** instalments and a level beside the decision, and every condition with
** its figure and threshold. */
static void test_outputs_and_conditions(void **state) {
  (void)state;
  RuleResult r;
  const char *src =
      "local cap = facts.party.capital_fen\n"
      "local ok1 = condition('注册资本不低于 100 万元', cap >= 100000000, cap, 100000000)\n"
      "local ok2 = condition('成立满一年', facts.party.years and facts.party.years >= 1, facts.party.years, 1)\n"
      "output('amount_fen', 3000000)\n"
      "output('level', 'B')\n"
      "output('score', 87.5)\n"
      "output('instalments', {{due = '2027-01-01', amount_fen = 1000000}, {due = '2028-01-01', amount_fen = 2000000}})\n"
      "if ok1 and ok2 then approve('符合条件') else deny('不符合条件') end";
  eVerdict v = run(src, NULL, &r);
  assert_int_equal(v, VERDICT_DENY);
  assert_int_equal(json_integer_value(json_object_get(r.outputs, "amount_fen")), 3000000);
  assert_string_equal(json_string_value(json_object_get(r.outputs, "level")), "B");
  assert_true(json_real_value(json_object_get(r.outputs, "score")) == 87.5);
  json_t *inst = json_object_get(r.outputs, "instalments");
  assert_int_equal(json_array_size(inst), 2);
  assert_string_equal(json_string_value(json_object_get(json_array_get(inst, 1), "due")), "2028-01-01");
  assert_int_equal(r.nConditions, 2);
  assert_int_equal(r.conditions[0].met, 1);
  assert_int_equal(r.conditions[0].figure.kind, 'i');
  assert_int_equal(r.conditions[0].figure.i, 500000000);
  assert_int_equal(r.conditions[0].threshold.i, 100000000);
  assert_int_equal(r.conditions[1].met, -1); /* no such fact: unknown, not false */
  assert_int_equal(r.conditions[1].figure.kind, 'n');
  json_t *j = rules_result_json(&r);
  /* ... and the same as JSON */
  json_t *cs = json_object_get(j, "conditions"), *c1 = json_array_get(cs, 0), *c2 = json_array_get(cs, 1);
  assert_int_equal(json_array_size(cs), 2);
  assert_true(json_is_true(json_object_get(c1, "met")));
  assert_int_equal(json_integer_value(json_object_get(c1, "figure")), 500000000);
  assert_int_equal(json_integer_value(json_object_get(c1, "threshold")), 100000000);
  assert_true(json_is_null(json_object_get(c2, "met")));
  assert_true(json_is_null(json_object_get(c2, "figure")));
  assert_string_equal(json_string_value(json_object_get(c2, "name")), "成立满一年");
  json_t *unmet = json_object_get(j, "unmet");
  assert_int_equal(json_array_size(unmet), 1);
  assert_string_equal(json_string_value(json_array_get(unmet, 0)), "成立满一年");
  assert_non_null(json_object_get(j, "outputs"));
  json_decref(j);
  rules_result_clear(&r);
  /* A rule that fails has neither outputs nor conditions. */
  run("output('amount_fen', 1) condition('x', true) error('坏了')", NULL, &r);
  assert_string_equal(r.code, "rule.runtime");
  assert_null(r.outputs);
  assert_null(r.conditions);
  assert_int_equal(r.nConditions, 0);
  rules_result_clear(&r);
  /* Malformed outputs are malformed results, even under pcall. */
  const char *bad[] = {
      "output('Amount', 1) approve()",                     /* not lower case */
      "output('a', 1) output('a', 2) approve()",           /* set twice */
      "output('a', {}) approve()",                         /* an empty list */
      "output('a', {x = 1}) approve()",                    /* a record is not a list */
      "output('a', {1, 2, x = 3}) approve()",              /* a list with more in it */
      "output('a', 0/0) approve()",                        /* not finite */
      "output('a', string.rep('x', 257)) approve()",       /* too long */
      "output('a', {{{1}}}) approve()",                    /* too deep */
      "output('a', print) approve()",                      /* not a value */
      "pcall(output, 'a', {}) approve()",                  /* caught, still malformed */
      "condition(1, true) approve()",                      /* a name must be text */
      "condition('x', 'yes') approve()",                   /* met must be boolean or nil */
      "condition('x', true, {}) approve()",                /* a figure must be a scalar */
      "for i = 1, 65 do condition('c' .. i, true) end approve()", /* too many */
      "for i = 1, 33 do output('o' .. i, 1) end approve()",       /* too many */
      "local t = {} for i = 1, 64 do t[i] = {} for k = 1, 16 do t[i]['k' .. k] = k end end "
      "output('a', t) output('b', t) approve()",           /* more than 1,024 values */
  };
  for (size_t i = 0; i < XQ_COUNT(bad); i++) expect_fail(bad[i], "rule.bad_result");
}

/* ---- Facts --------------------------------------------------------------- */

static void test_facts(void **state) {
  (void)state;
  /* Each check denies with its own reason, so a failure names itself. */
  expect("local f = facts.form\n"
         "if math.type(facts.item.version) ~= 'integer' then deny('version 不是整数') end\n"
         "if facts.party.capital_fen ~= 500000000 then deny('capital_fen') end\n"
         "if math.type(f.ratio) ~= 'float' or f.ratio ~= 0.25 then deny('ratio 不是浮点数') end\n"
         "if f.in_zone ~= true or f.remote ~= false then deny('布尔值') end\n"
         "if facts.party.nationality ~= nil then deny('null 应为 nil') end\n"
         "local n = 0 for k in pairs(facts.party) do n = n + 1 if k == 'nationality' then deny('null 键存在') end end\n"
         "if n ~= 9 then deny('party 键数 ' .. n) end\n"
         "if f.scopes[1] ~= '软件开发' or f.scopes[2] ~= '技术服务' or f.scopes[3] ~= nil or f.scopes[4] ~= '咨询' then\n"
         "  deny('数组') end\n"
         "if f.nested.a.b[2][2] ~= 3 then deny('嵌套') end\n"
         "if facts.party.name ~= '大连海韵科技有限公司' or utf8.len(facts.party.name) ~= 10 then deny('中文') end\n"
         "if facts.broken_promise ~= false or facts.today ~= '2026-03-18' then deny('顶层') end\n"
         "if facts.materials.application_form ~= true or facts.materials.lease ~= nil then deny('材料') end\n"
         "approve('事实正确')",
         VERDICT_APPROVE, "事实正确");
  /* Facts that are not an object, or nested too deeply. */
  RuleResult r;
  json_t *arr = json_array();
  assert_int_equal(rules_eval("approve()", arr, &r), VERDICT_MANUAL);
  assert_string_equal(r.code, "rule.facts");
  rules_result_clear(&r);
  assert_int_equal(rules_eval("approve()", NULL, &r), VERDICT_MANUAL);
  assert_string_equal(r.code, "rule.facts");
  rules_result_clear(&r);
  json_decref(arr);
  json_t *deep = json_object(), *cur = deep;
  for (int i = 0; i < 100; i++) {
    json_t *next = json_object();
    json_object_set_new(cur, "x", next);
    cur = next;
  }
  /* Deep facts are harmless: nothing is converted until the rule reads it. */
  json_object_set_new(cur, "leaf", json_string("底"));
  Buf path = {0};
  buf_puts(&path, "if facts");
  for (int i = 0; i < 100; i++) buf_puts(&path, ".x");
  buf_puts(&path, ".leaf == '底' then approve('深') end deny('浅')");
  assert_int_equal(rules_eval(path.a, deep, &r), VERDICT_APPROVE);
  rules_result_clear(&r);
  buf_free(&path);
  json_decref(deep);
}

static void test_dates(void **state) {
  (void)state;
  expect("if date.years('2019-04-12', '2026-03-18') ~= 6 then deny('a') end\n"
         "if date.years('2019-03-18', '2026-03-18') ~= 7 then deny('b') end\n"
         "if date.years('2008-02-29', '2026-02-28') ~= 17 then deny('c') end\n"
         "if date.years('2026-03-18', '2019-03-19') ~= -6 then deny('d') end\n"
         "if date.days('2024-02-28', '2024-03-01') ~= 2 then deny('e') end\n"
         "if date.days('2024-02-30', '2024-03-01') ~= nil or date.years(1, 2) ~= nil then deny('f') end\n"
         "if not date.valid('2024-02-29') or date.valid('2023-02-29') then deny('g') end\n"
         "if date.add_months('2024-01-31', 1) ~= '2024-02-29' or date.add_months('2024-02-29', 12) ~= '2025-02-28' then deny('h') end\n"
         "if date.add_months('2024-06-30', 24) ~= '2026-06-30' or date.add_months('2024-03-31', -1) ~= '2024-02-29' then deny('i') end\n"
         "if date.add_months('2024-12-15', 1) ~= '2025-01-15' or date.add_months('x', 1) ~= nil or date.add_months('2024-01-01', 1.5) ~= nil then deny('j') end\n"
         "if date.add_months('9999-12-01', 1) ~= nil or date.add_months('0001-01-01', -1) ~= nil then deny('k') end\n"
         "if date.month('2024-02') ~= 2024 * 12 + 1 or date.month('0000-12') ~= 11 or date.month('2024-12') - date.month('2023-12') ~= 12 then deny('l') end\n"
         "if date.month('2024-13') or date.month('2024-00') or date.month('2024-2') or date.month('2024-02-01') or date.month('2024/02') or date.month(202402) or date.month(nil) then deny('m') end\n"
         "approve('日期正确')",
         VERDICT_APPROVE, "日期正确");
}

/* fixed(x, d): the figures of messages, trailing zeros dropped, no "-0";
** huge ones with an exponent. */
static void test_fixed(void **state) {
  (void)state;
  expect("local function is(got, want, tag) if got ~= want then deny(tag .. ': ' .. tostring(got)) end end\n"
         "is(fixed(3.10), '3.1', 'a') is(fixed(2), '2', 'b') is(fixed(2.005, 2), '2', 'c')\n"
         "is(fixed(10.774353, 2), '10.77', 'd') is(fixed(-0.001), '0', 'e') is(fixed(-1.5, 0), '-2', 'f')\n"
         "is(fixed(1234567.891, 1), '1234567.9', 'g') is(fixed(0.1 + 0.2, 9), '0.3', 'h') is(fixed(100, 0), '100', 'i')\n"
         "is(fixed('3'), nil, 'j') is(fixed(0/0), nil, 'k') is(fixed(1/0), nil, 'l') is(fixed(nil), nil, 'm')\n"
         "is(pcall(fixed, 1, 10), false, 'n') is(pcall(fixed, 1, -1), false, 'o')\n"
         "-- every finite number has its figures, the largest too (a rule's message never gets nil);\n"
         "-- from 10^15 on, 15 significant figures and an exponent\n"
         "is(fixed(999999999999999, 0), '999999999999999', 'p') is(fixed(1e15, 2), '1e+15', 'q')\n"
         "is(fixed(1e300, 0), '1e+300', 'r') is(fixed(-1.7976931348623157e308, 9), '-1.79769313486232e+308', 's')\n"
         "is(fixed(123456789012345678), '1.23456789012346e+17', 't')\n"
         "approve('ok')",
         VERDICT_APPROVE, "ok");
  /* fixed() writes most figures without printf (rules.c fixed_fast()): it
  ** must agree with "%.*f" everywhere, ties and near-ties included (money
  ** in 万元 to two decimals: k/1000 + 0.005 lies on a half), for small and
  ** large values, negatives and every number of decimals. */
  for (int seed = 0; seed < 8; seed++) {
    char src[1400];
    snprintf(src, sizeof src,
             "local function ref(x, d)\n"
             "  local s = string.format('%%.' .. d .. 'f', x)\n"
             "  if d > 0 then s = s:gsub('0+$', ''):gsub('%%.$', '') end\n"
             "  if s == '-0' then s = '0' end return s end\n"
             "local seed, bad = %d * 7919 + 1, 0\n"
             "local function rnd() seed = (seed * 1103515245 + 12345) %% 2147483648 return seed end\n"
             "for i = 1, 1500 do\n"
             "  local d = rnd() %% 10\n"
             "  local k = rnd() %% 6\n"
             "  local x\n"
             "  if k == 0 then x = rnd() / 1000 + 0.005\n"
             "  elseif k == 1 then x = -(rnd() %% 100000) / 100 - 0.0049999999\n"
             "  elseif k == 2 then x = rnd() / (rnd() + 1)\n"
             "  elseif k == 3 then x = (rnd() %% 20000) / 8 + 1 / 2 ^ (rnd() %% 40)\n"
             "  elseif k == 4 then x = rnd() * 3.7e3 + 0.5\n"
             "  else x = (rnd() - 1073741824) / 1e9 end\n"
             "  if fixed(x, d) ~= ref(x, d) then bad = bad + 1 deny(fixed(x, d) .. ' ~= ' .. ref(x, d)) end\n"
             "end\n"
             "approve('ok')",
             seed);
    expect(src, VERDICT_APPROVE, "ok");
  }
}

/* ---- Fresh environment --------------------------------------------------- */

static void test_fresh_environment(void **state) {
  (void)state;
  expect("leaked = 1; _G.leaked2 = 2; approve('写了全局变量')", VERDICT_APPROVE, NULL);
  /* The facts are read-only views: a rule cannot change what it decides on. */
  expect_fail("facts.party.status = 'revoked'", "rule.runtime");
  expect_fail("facts.extra = 1", "rule.runtime");
  expect("local n = 0 for i, v in ipairs(facts.form.scopes) do n = n + 1 end\n"
         "if n ~= 2 or #facts.form.scopes ~= 4 or #facts.party ~= 0 then deny('长度') end approve('视图')",
         VERDICT_APPROVE, "视图");
  expect(INTACT, VERDICT_APPROVE, "完好");
  /* Library tables are read-only, in place and through the string metatable. */
  expect_fail("string.upper = nil", "rule.runtime");
  expect_fail("math.pi = 3", "rule.runtime");
  expect_fail("table.insert = print", "rule.runtime");
  expect_fail("getmetatable('').__index.upper = nil", "rule.runtime");
  expect_fail("setmetatable(string, {})", "rule.runtime");
  expect_fail("setmetatable(_G, {})", "rule.runtime");
  expect("if getmetatable('') ~= false or getmetatable(_G) ~= false or getmetatable(string) ~= false then\n"
         "  deny('元表未锁') end approve('锁定')",
         VERDICT_APPROVE, "锁定");
  /* Replacing a library in the environment only affects this evaluation. */
  expect("string = {upper = function() return 'x' end} approve('替换')", VERDICT_APPROVE, NULL);
  expect(INTACT, VERDICT_APPROVE, "完好");
  /* math.randomseed is gone, so one rule cannot fix another's random numbers. */
  expect("if math.randomseed ~= nil then deny('randomseed') end local x = math.random(1, 6)\n"
         "if x < 1 or x > 6 then deny('random') end approve('随机')",
         VERDICT_APPROVE, "随机");
}

/* ---- Escapes ------------------------------------------------------------- */

static void test_no_outside_world(void **state) {
  (void)state;
  expect("for _, name in ipairs({'io', 'os', 'require', 'package', 'debug', 'dofile', 'loadfile', 'load',\n"
         "    'loadstring', 'collectgarbage', 'print', 'rawset', 'module'}) do\n"
         "  if _G[name] ~= nil then deny('可用：' .. name) end\n"
         "end\n"
         "if string.dump ~= nil or ('').dump ~= nil or string.pack ~= nil then deny('string.dump') end\n"
         "approve('无外部访问')",
         VERDICT_APPROVE, "无外部访问");
  expect_fail("os.execute('touch /tmp/xinqu-rule-escaped')", "rule.runtime");
  expect_fail("io.open('/etc/passwd')", "rule.runtime");
  expect_fail("require('os')", "rule.runtime");
  expect_fail("dofile('/etc/passwd')", "rule.runtime");
  expect_fail("loadfile('/etc/passwd')", "rule.runtime");
  expect_fail("debug.getregistry()", "rule.runtime");
  expect_fail("debug.sethook()", "rule.runtime");
  expect_fail("collectgarbage('stop')", "rule.runtime");
  expect_fail("local f = string.dump(function() end)", "rule.runtime");
  expect_fail("load('\\27LuaT\\0\\25\\147\\r\\n\\26\\n')()", "rule.runtime");
  expect_fail("local co = coroutine.running() coroutine.close(co)", "rule.runtime");
  /* A bytecode chunk as the rule itself is refused by the loader. */
  expect_fail("\x1bLuaT\x00\x19\x93\r\n\x1a\n", "rule.syntax");
  Err e = {0};
  assert_int_equal(rules_check("\x1bLuaT\x00\x19\x93\r\n\x1a\n", &e), -1);
  assert_string_equal(e.code, "rule.syntax");
  /* A finalizer would run during someone else's evaluation: refused. */
  expect_fail("setmetatable({}, {__gc = function() approve('别人的') end})", "rule.runtime");
  expect(INTACT, VERDICT_APPROVE, "完好");
}

static void test_syntax(void **state) {
  (void)state;
  Err e = {0};
  assert_int_equal(rules_check("if facts.party.status == 'active' then approve('ok') end", &e), 0);
  assert_int_equal(rules_check("approve('ok')\nif then", &e), -1);
  assert_int_equal(e.kind, E_INVALID);
  assert_string_equal(e.code, "rule.syntax");
  assert_non_null(strstr(e.message, "规则语法错误"));
  assert_non_null(strstr(e.message, "rule:2:"));
  assert_non_null(strstr(e.message_en, "Rule syntax error"));
  expect_fail("approve('ok')\nif then", "rule.syntax");
  RuleResult r;
  run("x = = 1", NULL, &r);
  assert_non_null(strstr(r.error, "规则语法错误 / rule syntax error: rule:1:"));
  rules_result_clear(&r);
}

static void test_error_objects(void **state) {
  (void)state;
  RuleResult r;
  /* Never calls __tostring (it would run outside the limits). */
  run("error(setmetatable({}, {__tostring = function() while true do end end}))", NULL, &r);
  assert_string_equal(r.code, "rule.runtime");
  assert_non_null(strstr(r.error, "error object is a table value"));
  rules_result_clear(&r);
  run("error(nil)", NULL, &r);
  assert_string_equal(r.code, "rule.runtime");
  assert_non_null(strstr(r.error, "nil value"));
  rules_result_clear(&r);
  run("error(42)", NULL, &r);
  assert_non_null(strstr(r.error, ": 42"));
  rules_result_clear(&r);
  /* Invalid UTF-8 in an error message becomes '?', so the JSON can be made. */
  run("error('\\255\\254 坏', 0)", NULL, &r);
  assert_string_equal(r.code, "rule.runtime");
  assert_non_null(strstr(r.error, "?? 坏"));
  json_t *j = rules_result_json(&r);
  assert_non_null(json_object_get(j, "error"));
  json_decref(j);
  rules_result_clear(&r);
  expect_fail("local t = nil; return t.x", "rule.runtime");
  expect(INTACT, VERDICT_APPROVE, "完好");
}

/* ---- Limits -------------------------------------------------------------- */

static void test_instruction_limit(void **state) {
  (void)state;
  expect_fail("while true do end", "rule.instructions");
  expect_fail("local function f() return f() end f()", "rule.instructions");
  /* Caught by pcall: the hook goes on raising, and the result stays a failure. */
  expect_fail("while true do pcall(function() while true do end end) end", "rule.instructions");
  expect_fail("local f = function() while true do end end while true do pcall(f) end", "rule.instructions");
  expect_fail("pcall(function() while true do end end) approve('逃过了')", "rule.instructions");
  expect_fail("local ok = xpcall(function() while true do end end, function() while true do end end)\n"
              "approve('逃过了')",
              "rule.instructions");
  /* Coroutines carry the hook too. */
  expect_fail("coroutine.wrap(function() while true do end end)()", "rule.instructions");
  expect_fail("local co = coroutine.create(function() while true do end end)\n"
              "local ok = coroutine.resume(co) approve('协程逃过了')",
              "rule.instructions");
  expect_fail("local co = coroutine.create(function() while true do pcall(function() while true do end end) end end)\n"
              "while true do coroutine.resume(co) end",
              "rule.instructions");
  /* C loops that run no VM instruction are charged. */
  expect_fail("string.rep('a', 20000):find('.-.-.-.-b')", "rule.instructions");
  expect_fail("table.move({}, 1, 1e12, 1, {})", "rule.instructions");
  expect_fail("local t = setmetatable({}, {__len = function() return 1e15 end}) table.insert(t, 1, 'x')",
              "rule.instructions");
  expect_fail("local s = string.rep('a', 60000) for i = 1, 1e9 do utf8.len(s) end", "rule.instructions");
  /* Empty repetitions are answered without the loop. */
  expect("if string.rep('', 1e15) ~= '' then deny('rep') end approve('空串')", VERDICT_APPROVE, "空串");
  /* A count of the instructions is reported. */
  RuleResult r;
  run("local n = 0 for i = 1, 100000 do n = n + i end approve('循环')", NULL, &r);
  assert_int_equal(r.verdict, VERDICT_APPROVE);
  assert_true(r.instructions >= 100000 && r.instructions < RULES_MAX_INSTRUCTIONS);
  rules_result_clear(&r);
  expect(INTACT, VERDICT_APPROVE, "完好");
}

/* A rule whose instructions are each expensive stays inside the instruction
** budget yet would run for seconds: comparing two 60 KB strings made of
** "x\0" pairs calls strcoll() once per pair. The wall clock stops it, with
** its own code, and pcall or a coroutine cannot catch that either. */
static void test_time_limit(void **state) {
  (void)state;
  static const char LOOP[] = "local a = string.rep('x\\0', 30000) .. 'a'\n"
                             "local b = string.rep('x\\0', 30000) .. 'b'\n"
                             "local n = 0\n"
                             "for i = 1, 20000 do if a < b then n = n + 1 end end\n";
  char src[512];
  RuleResult r;
  snprintf(src, sizeof src, "%sapprove(n)", LOOP);
  int64_t t0 = mono_ms();
  run(src, NULL, &r);
  int64_t took = mono_ms() - t0;
  assert_int_equal(r.verdict, VERDICT_MANUAL);
  assert_string_equal(r.code, "rule.timeout");
  assert_true(r.instructions < RULES_MAX_INSTRUCTIONS);
  assert_non_null(strstr(r.error, "规则运行超时"));
  assert_non_null(strstr(r.error, " / the rule ran longer than"));
  /* Stopped near the limit, not at the end of the loop (which takes 4 s),
  ** with a margin for a loaded machine. */
  assert_true(took < 2 * RULES_MAX_WALL_MS + 300);
  rules_result_clear(&r);
  snprintf(src, sizeof src, "pcall(function()\n%send) approve('逃过了')", LOOP);
  expect_fail(src, "rule.timeout");
  snprintf(src, sizeof src, "coroutine.wrap(function()\n%send)() approve('逃过了')", LOOP);
  expect_fail(src, "rule.timeout");
  /* The next evaluation has its own full time. */
  expect("local n = 0 for i = 1, 100000 do n = n + i end approve('循环')", VERDICT_APPROVE, "循环");
  expect(INTACT, VERDICT_APPROVE, "完好");
}

static void test_memory_limit(void **state) {
  (void)state;
  expect_fail("local s = string.rep('x', 1e9)", "rule.memory");
  expect_fail("local s = ('x'):rep(1e8)", "rule.memory");
  expect_fail("local s = 'x' while true do s = s .. s end", "rule.memory");
  expect_fail("local t = {} for i = 1, 1e9 do t[i] = i end", "rule.memory");
  expect_fail("local t = {} for i = 1, 1e9 do t['k' .. i] = {i} end", "rule.memory");
  /* No string longer than RULES_MAX_STRING, even well under the memory limit. */
  expect_fail("local s = string.rep('x', 40000) .. string.rep('y', 40000)", "rule.memory");
  expect("local s = string.rep('x', 30000) .. string.rep('y', 30000) approve(#s)", VERDICT_APPROVE, "60000");
  /* Caught by pcall, a memory error still makes the result a failure. */
  expect_fail("pcall(string.rep, 'x', 1e9) approve('逃过了')", "rule.memory");
  expect_fail("pcall(function() local t = {} for i = 1, 1e9 do t[i] = i end end) approve('逃过了')", "rule.memory");
  /* Copying a big string over and over is stopped by the allocation volume. */
  expect_fail("local s = string.rep('x', 60000) for i = 1, 1e6 do local t = s .. i end", "rule.memory");
  /* Deep recursion: Lua's stack and C-stack limits, or the memory limit. */
  RuleResult r;
  run("local function f(n) return 1 + f(n + 1) end f(1)", NULL, &r);
  assert_int_equal(r.verdict, VERDICT_MANUAL);
  if (strcmp(r.code, "rule.memory") != 0 && strcmp(r.code, "rule.runtime") != 0) fail_msg("code %s", r.code);
  rules_result_clear(&r);
  expect_fail("local function f(s) return s:gsub('.', f) end f('x')", "rule.runtime");
  expect_fail("local t = setmetatable({}, {}) getmetatable(t).__index = t return t.x", "rule.runtime");
  /* The state is usable afterwards and does not keep growing. */
  for (int i = 0; i < 20; i++) expect_fail("local t = {} for i = 1, 1e9 do t[i] = i end", "rule.memory");
  expect(INTACT, VERDICT_APPROVE, "完好");
}

/* ---- Threads ------------------------------------------------------------- */

static void *thread_main(void *arg) {
  intptr_t id = (intptr_t)arg;
  char src[256];
  snprintf(src, sizeof src, "if mine ~= nil then deny('串线') end mine = %d approve('线程 %d')", (int)id, (int)id);
  for (int i = 0; i < 300; i++) {
    RuleResult r;
    char want[64];
    snprintf(want, sizeof want, "线程 %d", (int)id);
    if (run(src, NULL, &r) != VERDICT_APPROVE || strcmp(reason(&r, 0), want) != 0) return (void *)1;
    rules_result_clear(&r);
    if (i % 50 == 0) {
      run("while true do end", NULL, &r);
      bool ok = strcmp(r.code, "rule.instructions") == 0;
      rules_result_clear(&r);
      if (!ok) return (void *)1;
    }
  }
  return NULL;
}

static void test_threads(void **state) {
  (void)state;
  pthread_t t[4];
  for (intptr_t i = 0; i < 4; i++) assert_int_equal(pthread_create(&t[i], NULL, thread_main, (void *)i), 0);
  for (int i = 0; i < 4; i++) {
    void *rc;
    pthread_join(t[i], &rc);
    assert_null(rc);
  }
}

/* Many distinct rules: the chunk cache stays bounded and each rule still
** runs its own source. */
static void test_many_rules(void **state) {
  (void)state;
  for (int i = 0; i < 600; i++) {
    char src[128], want[32];
    snprintf(src, sizeof src, "approve('规则 %d')", i);
    snprintf(want, sizeof want, "规则 %d", i);
    expect(src, VERDICT_APPROVE, want);
  }
  expect("approve('规则 7')", VERDICT_APPROVE, "规则 7");
}

/* Rules that keep coming back stay compiled: forty rules cycled through
** ten times compile forty times (a direct-mapped cache of 256 would most
** likely have two of them evict each other at every turn). */
static void test_cache_keeps_working_set(void **state) {
  (void)state;
  json_t *f = json_loads(FACTS, 0, NULL);
  RuleResult r;
  assert_int_equal(rules_eval("approve('预热')", f, &r), VERDICT_APPROVE); /* the thread's state exists */
  rules_result_clear(&r);
  int64_t before = rules_compiles();
  for (int round = 0; round < 10; round++)
    for (int i = 0; i < 40; i++) {
      char src[64];
      snprintf(src, sizeof src, "approve('集合 %d')", i);
      assert_int_equal(rules_eval(src, f, &r), VERDICT_APPROVE);
      rules_result_clear(&r);
    }
  json_decref(f);
  assert_int_equal(rules_compiles() - before, 40);
}

/* ---- Rules sharing a prelude (rules_eval_shared()) ----------------------- */

static const char *PRELUDE =
    "local f = facts\n"
    "local seen = {1, 2, 3}\n"
    "local scopes = f.form.scopes\n"
    "local function twice(x) return 2 * x end\n"
    "local label = '员工'\n";

/* shared() runs texts (n of them) after prelude over FACTS into r. */
static void shared(const char *prelude, const char *const *texts, int n, RuleResult *r) {
  json_t *f = json_loads(FACTS, 0, NULL);
  rules_eval_shared(prelude, texts, n, f, r);
  json_decref(f);
}

/* Each rule sees the prelude's locals as its own, decides for itself, and
** its line numbers are its own. */
static void test_shared_helpers(void **state) {
  (void)state;
  const char *texts[] = {
      "condition('员工', twice(f.form.employees) == 24, twice(f.form.employees), 24, label .. ' 12 人')\n"
      "if #seen == 3 and scopes[1] == '软件开发' then approve('ok') else deny('no') end",
      "deny(label)",
      "local x = 1\nlocal y = 2\nerror('第三行出错')",
  };
  RuleResult r[3];
  shared(PRELUDE, texts, 3, r);
  assert_int_equal(r[0].verdict, VERDICT_APPROVE);
  assert_string_equal(r[0].code, "");
  assert_int_equal(r[0].nConditions, 1);
  assert_int_equal(r[0].conditions[0].met, 1);
  assert_int_equal(r[0].conditions[0].figure.i, 24);
  assert_int_equal(r[1].verdict, VERDICT_DENY);
  assert_string_equal(reason(&r[1], 0), "员工");
  assert_string_equal(r[2].code, "rule.runtime");
  if (!strstr(r[2].error, "rule:3:")) fail_msg("want the rule's own line 3: %s", r[2].error);
  for (int i = 0; i < 3; i++) rules_result_clear(&r[i]);
}

/* What one rule does — to a shared table, a helper, a global, its limits —
** never reaches the rules after it. */
static void test_shared_isolation(void **state) {
  (void)state;
  const char *texts[] = {
      "seen[1] = 99; seen[4] = 4; twice = nil; label = '改'; leaked = true; approve('一')",
      "if seen[1] == 1 and #seen == 3 and twice(2) == 4 and label == '员工' and leaked == nil then approve('二')"
      " else deny('被改了') end",
      "while true do end",
      "local t = {} for i = 1, 1e9 do t[i] = ('x'):rep(1000) end",
      "approve('五')",
  };
  RuleResult r[5];
  shared(PRELUDE, texts, 5, r);
  assert_int_equal(r[0].verdict, VERDICT_APPROVE);
  assert_int_equal(r[1].verdict, VERDICT_APPROVE);
  assert_string_equal(reason(&r[1], 0), "二");
  assert_string_equal(r[2].code, "rule.instructions");
  assert_string_equal(r[3].code, "rule.memory");
  assert_int_equal(r[4].verdict, VERDICT_APPROVE);
  assert_string_equal(r[4].code, "");
  for (int i = 0; i < 5; i++) rules_result_clear(&r[i]);
  /* and the next evaluation's prelude starts afresh */
  const char *again[] = {"if seen[1] == 1 then approve('新') else deny('旧') end"};
  shared(PRELUDE, again, 1, r);
  assert_int_equal(r[0].verdict, VERDICT_APPROVE);
  rules_result_clear(&r[0]);
}

/* A prelude that fails, decides or ends early fails every rule with it. */
static void test_shared_prelude_fails(void **state) {
  (void)state;
  static const struct {
    const char *prelude, *code;
  } cases[] = {
      {"local x = nil + 1", "rule.runtime"},
      {"local x = ", "rule.syntax"},
      {"while true do end", "rule.instructions"},
      {"approve('前置')", "rule.bad_result"},
      {"condition('c', true)", "rule.bad_result"},
      {"do return end", "rule.bad_result"},
  };
  const char *texts[] = {"approve('一')", "approve('二')"};
  for (size_t i = 0; i < XQ_COUNT(cases); i++) {
    RuleResult r[2];
    shared(cases[i].prelude, texts, 2, r);
    for (int k = 0; k < 2; k++) {
      if (r[k].verdict != VERDICT_MANUAL || strcmp(r[k].code, cases[i].code) != 0)
        fail_msg("prelude %s: rule %d verdict %d code %s, want manual %s", cases[i].prelude, k, r[k].verdict,
                 r[k].code, cases[i].code);
      assert_non_null(strstr(reason(&r[k], 0), "人工"));
      rules_result_clear(&r[k]);
    }
  }
  /* an empty prelude shares nothing, and the rules run as they would alone */
  RuleResult r;
  const char *one[] = {"if facts.form.employees == 12 then approve('十二') end"};
  shared("", one, 1, &r);
  assert_int_equal(r.verdict, VERDICT_APPROVE);
  rules_result_clear(&r);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_decide_by_function),
      cmocka_unit_test(test_decide_by_table),
      cmocka_unit_test(test_result_json),
      cmocka_unit_test(test_outputs_and_conditions),
      cmocka_unit_test(test_facts),
      cmocka_unit_test(test_dates),
      cmocka_unit_test(test_fresh_environment),
      cmocka_unit_test(test_no_outside_world),
      cmocka_unit_test(test_syntax),
      cmocka_unit_test(test_error_objects),
      cmocka_unit_test(test_instruction_limit),
      cmocka_unit_test(test_time_limit),
      cmocka_unit_test(test_memory_limit),
      cmocka_unit_test(test_threads),
      cmocka_unit_test(test_many_rules),
      cmocka_unit_test(test_cache_keeps_working_set),
      cmocka_unit_test(test_shared_helpers),
      cmocka_unit_test(test_shared_isolation),
      cmocka_unit_test(test_shared_prelude_fails),
      cmocka_unit_test(test_fixed),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
