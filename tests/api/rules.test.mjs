// rules.test.mjs — `xinqu rule test RULE.lua FACTS.json` as a rule author
// uses it: the decision and reasons of a typical 秒批 rule over different
// facts, rule failures reported as "manual" with a code (exit 0), and the
// errors for files that cannot be read or facts that are not an object.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { xinqu, hasChinese, ROOT } from './lib.mjs';

let tmp;
before(() => { tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'xinqu-rules-')); });
after(() => { fs.rmSync(tmp, { recursive: true, force: true }); });

let n = 0;
// write(text) puts text in a new file in the temp folder and returns its path.
function write(text, ext) {
  const p = path.join(tmp, `f${n++}.${ext}`);
  fs.writeFileSync(p, typeof text === 'string' ? text : JSON.stringify(text));
  return p;
}

// ruleTest(rule, facts) runs the command and returns {status, json, stderr}.
function ruleTest(rule, facts) {
  const r = xinqu(['rule', 'test', write(rule, 'lua'), write(facts, 'json')]);
  let json = null;
  try { json = JSON.parse(r.stdout); } catch { /* checked by the caller */ }
  return { ...r, json };
}

const RULE = fs.readFileSync(path.join(ROOT, 'tests/bench/rules_typical.lua'), 'utf8');
const FACTS = JSON.parse(fs.readFileSync(path.join(ROOT, 'tests/bench/rules_facts.json'), 'utf8'));
const withParty = (over) => ({ ...FACTS, party: { ...FACTS.party, ...over } });

test('the typical 秒批 rule approves good facts with Chinese reasons', () => {
  const r = ruleTest(RULE, FACTS);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(r.json, { decision: 'approve', reasons: ['市场主体状态正常', '材料齐全', '符合秒批条件'] });
});

test('the same rule denies or sends to a clerk when a fact changes', () => {
  const cases = [
    [withParty({ status: 'revoked' }), 'deny', '市场主体状态异常：revoked'],
    [withParty({ established: '2026-01-05' }), 'deny', '成立未满一年'],
    [withParty({ kind: 'individual' }), 'manual', '主体类型需人工审核'],
    [{ ...FACTS, broken_promise: true }, 'deny', '申请人被列入失信联合惩戒名单'],
    [{ ...FACTS, materials: { application_form: true, license_copy: true } }, 'deny', '材料不齐全'],
    [{ ...FACTS, form: { ...FACTS.form, employees: 0 } }, 'deny', '从业人员不足'],
  ];
  for (const [facts, decision, reason] of cases) {
    const r = ruleTest(RULE, facts);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(r.json, { decision, reasons: [reason] }, JSON.stringify(facts));
  }
});

test('facts arrive as Lua values: integers, floats, arrays, nested objects, null as nil', () => {
  const rule = `
    local f = facts.form
    return {decision = "approve", reasons = {
      math.type(f.i), math.type(f.x), tostring(#f.list), f.list[2], tostring(f.gone == nil), f.o.p.q,
      tostring(f.yes)}}`;
  const r = ruleTest(rule, { form: { i: 7, x: 1.5, list: ['甲', '乙', '丙'], gone: null, o: { p: { q: '深' } }, yes: true } });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(r.json.reasons, ['integer', 'float', '3', '乙', 'true', '深', 'true']);
});

test('a failing rule prints decision "manual" with a code and a bilingual error, and exits 0', () => {
  const cases = [
    ['while true do end', 'rule.instructions'],
    ['local s = string.rep("x", 1e9)', 'rule.memory'],
    ['local t = {} for i = 1, 1e9 do t[i] = i end', 'rule.memory'],
    ['os.execute("touch /tmp/xinqu-rule-escaped")', 'rule.runtime'],
    ['io.open("/etc/passwd")', 'rule.runtime'],
    ['require("os")', 'rule.runtime'],
    ['pcall(function() while true do end end) approve("逃过了")', 'rule.instructions'],
    // Few instructions, each slow (a long string compare): the wall clock stops it.
    ['local a, b = string.rep("x\\0", 30000) .. "a", string.rep("x\\0", 30000) .. "b"\n' +
     'local n = 0 for i = 1, 20000 do if a < b then n = n + 1 end end approve(n)', 'rule.timeout'],
    ['if then', 'rule.syntax'],
    ['return "approve"', 'rule.bad_result'],
    ['return {decision = "maybe"}', 'rule.bad_result'],
  ];
  for (const [rule, code] of cases) {
    const r = ruleTest(rule, FACTS);
    assert.equal(r.status, 0, `${rule}: ${r.stderr}`);
    assert.equal(r.json.decision, 'manual', rule);
    assert.equal(r.json.code, code, `${rule}: ${r.stdout}`);
    assert.ok(hasChinese(r.json.error) && / \/ [a-z]/.test(r.json.error), `bilingual error: ${r.json.error}`);
    assert.equal(r.json.reasons.length, 1);
    assert.ok(hasChinese(r.json.reasons[0]), r.json.reasons[0]);
  }
  assert.equal(fs.existsSync('/tmp/xinqu-rule-escaped'), false);
});

test('a rule that decides nothing is "manual" without a failure code', () => {
  const r = ruleTest('local x = facts.today', FACTS);
  assert.equal(r.status, 0);
  assert.deepEqual(r.json, { decision: 'manual', reasons: ['规则未作出决定，转人工审核'] });
});

test('unreadable files and facts that are not a JSON object: exit 1 with a message in Chinese and English', () => {
  const rule = write('approve("好")', 'lua');
  const cases = [
    [['rule', 'test', path.join(tmp, 'missing.lua'), write(FACTS, 'json')], /无法打开 \/ cannot open/],
    [['rule', 'test', rule, path.join(tmp, 'missing.json')], /无法读取事实数据 \/ cannot read the facts/],
    [['rule', 'test', rule, write('{"a": ', 'json')], /无法读取事实数据 \/ cannot read the facts/],
    [['rule', 'test', rule, write('[1, 2]', 'json')], /事实数据须为 JSON 对象 \/ the facts must be a JSON object/],
  ];
  for (const [args, re] of cases) {
    const r = xinqu(args);
    assert.equal(r.status, 1, `${args.join(' ')}: ${r.stdout}`);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, re);
  }
  const usage = xinqu(['rule', 'test', rule]);
  assert.equal(usage.status, 2);
  assert.match(usage.stderr, /用法 \/ usage: xinqu rule test RULE\.lua FACTS\.json/);
  assert.match(xinqu(['help']).stdout, /xinqu rule test RULE\.lua FACTS\.json/);
});

test('a rule gives outputs beside its decision and says which conditions failed or were unknown', () => {
  const rule = [
    "local cap = facts.party.capital_fen",
    "local a = condition('注册资本不低于 1000 万元', cap >= 1000000000, cap, 1000000000)",
    "local b = condition('研发人员占比不低于 10%', facts.form.rd_share and facts.form.rd_share >= 0.1, facts.form.rd_share, 0.1)",
    "output('amount_fen', a and 5000000 or 0)",
    "output('instalments', {{due = '2027-01-01', amount_fen = 2500000}, {due = '2028-01-01', amount_fen = 2500000}})",
    "if a and b then approve('符合条件') else deny('不符合条件') end",
  ].join('\n');
  const r = ruleTest(rule, { ...FACTS, form: {} });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.json.decision, 'deny');
  assert.equal(r.json.outputs.amount_fen, 0);
  assert.deepEqual(r.json.outputs.instalments.map((i) => i.due), ['2027-01-01', '2028-01-01']);
  assert.deepEqual(r.json.unmet, ['注册资本不低于 1000 万元', '研发人员占比不低于 10%']);
  const [capital, rd] = r.json.conditions;
  assert.deepEqual(capital, { name: '注册资本不低于 1000 万元', met: false, figure: FACTS.party.capital_fen, threshold: 1000000000 });
  assert.equal(rd.met, null, 'a fact that is not there: unknown, not false');
  const bad = ruleTest("output('Amount', 1) approve('x')", FACTS);
  assert.equal(bad.json.decision, 'manual');
  assert.equal(bad.json.code, 'rule.bad_result');
  assert.equal(bad.json.outputs, undefined);
});
