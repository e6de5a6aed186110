// talent_edit.test.mjs — policy officers edit the talent policies (issue
// 16): a parameter's new version and a rule's new version, each from today
// or later, so that a check as of a day reads what was in force that day
// (a decision already made keeps its own); each with its audit event; who
// may (人社局's policy officers, administrators) and who may not (another
// department's policy officer, leaders, auditors, applicants); and every
// refusal changing nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, cleanup, assertError, auditAfter, lastAuditId, todayCN } from './lib.mjs';

let srv, policy, keji, admin, leader, auditor, person;

before(async () => {
  srv = await startServer({ persons: 10, entities: 10 });
  [policy, keji, admin, leader, auditor, person] = await Promise.all(
    ['policy', 'keji', 'admin', 'leader', 'auditor', 'person'].map((u) => srv.login(u)));
});
after(() => cleanup(srv));

// A master's graduate of a 一流学科 school a year ago, on a three-year
// contract in Jinpu, insured there the last seven months (tuition holds).
function month(k) {
  const [y, m] = todayCN().split('-').map(Number);
  const n = y * 12 + (m - 1) - k;
  return `${Math.floor(n / 12)}-${String((n % 12) + 1).padStart(2, '0')}`;
}
const facts = {
  degree: 'master', school_class: 'world_class_discipline', graduated_on: todayCN(-365), full_time: true,
  hukou_dalian: true, employer_in_jinpu: true, contract_start: todayCN(-360), contract_months: 36,
  business_in_jinpu: false, income_tax: [],
  social_insurance: Array.from({ length: 7 }, (_, i) => ({ month: month(7 - i), place: 'jinpu', back_paid: false })),
};
const check = (on) => person.post('/api/v1/talent/check', { policy: 'tuition', facts, on });
const param = (r, key) => r.body.explanation.find((x) => x.kind === 'parameter' && x.key === key);

test('a parameter gets a new version from a day on: checks of that day read it, earlier days keep theirs', async () => {
  const tomorrow = todayCN(1);
  const before = await lastAuditId(admin);
  const was = await person.get('/api/v1/talent/policies/tuition/params');
  assert.equal(was.status, 200, was.text);
  assert.deepEqual(was.body.params.master_fen.map((v) => v.value), [2000000]);
  const old = await check(tomorrow);
  assert.equal(old.body.amount_fen, 2400000);

  // Refused, each changing nothing.
  const url = '/api/v1/talent/policies/tuition/params';
  const set = (who, params, from = tomorrow, extra = {}) => who.post(url, { params, effective_from: from, ...extra });
  assertError(assert, await set(keji, { master_fen: 3000000 }), 403, 'talent.forbidden');
  for (const who of [leader, auditor, person]) assertError(assert, await set(who, { master_fen: 3000000 }), 403, 'auth.forbidden');
  assertError(assert, await policy.post('/api/v1/talent/policies/nope/params', { params: { master_fen: 1 }, effective_from: tomorrow }), 404, 'talent.bad_policy');
  assertError(assert, await set(policy, { nope_fen: 1 }), 400, 'talent.bad_param', 'params.nope_fen');
  assertError(assert, await set(policy, { master_fen: '3000000' }), 400, 'talent.bad_param', 'params.master_fen');
  assertError(assert, await set(policy, { master_fen: -5 }), 400, 'talent.bad_param', 'params.master_fen');
  assertError(assert, await set(policy, { master_fen: 2.5 }), 400, 'talent.bad_param', 'params.master_fen');
  assertError(assert, await set(policy, {}), 400, 'request.missing_field', 'params');
  // one good and one bad: neither is written
  assertError(assert, await set(policy, { master_fen: 3000000, doctor_fen: null }), 400, 'talent.bad_param', 'params.doctor_fen');
  assertError(assert, await set(policy, { master_fen: 3000000 }, '2020-01-01'), 400, 'param.in_the_past');
  assertError(assert, await set(policy, { master_fen: 3000000 }, todayCN(-1)), 400, 'param.in_the_past');
  assertError(assert, await set(policy, { master_fen: 3000000 }, '2026-02-30'), 400, 'request.bad_date');
  assertError(assert, await set(policy, { master_fen: 3000000 }, tomorrow, { memo: 'x' }), 400, 'request.unknown_field');
  assert.deepEqual((await person.get(url)).body, was.body, 'the refusals changed nothing');
  assert.equal((await auditAfter(admin, before)).filter((x) => x.action === 'param.set').length, 0);

  // 人社局's policy officer raises two of them from tomorrow, in one write.
  const r = await set(policy, { master_fen: 3000000, doctor_fen: 4000000 });
  assert.equal(r.status, 201, r.text);
  assert.deepEqual(r.body.params.master_fen.map((v) => [v.from, v.value]), [['2019-01-01', 2000000], [tomorrow, 3000000]]);
  assert.deepEqual(Object.keys(r.body.params).sort(), ['doctor_fen', 'master_fen']);
  const ev = (await auditAfter(admin, before)).filter((x) => x.action === 'param.set');
  assert.deepEqual(ev.map((x) => x.object).sort(), ['param:talent.tuition/doctor_fen', 'param:talent.tuition/master_fen']);

  // Today keeps the old value; tomorrow reads the new one, and says so.
  const today = await check(todayCN());
  assert.equal(param(today, 'master_fen').value, 2000000);
  assert.equal(today.body.amount_fen, 2400000);
  const later = await check(tomorrow);
  assert.equal(later.status, 200, later.text);
  assert.deepEqual([param(later, 'master_fen').value, param(later, 'master_fen').effective_from], [3000000, tomorrow]);
  assert.equal(later.body.amount_fen, 3600000);
  // A version not yet in force may be replaced from the same day; not one before it.
  const again = await set(admin, { master_fen: 2800000 });
  assert.equal(again.status, 201, again.text);
  assert.equal((await check(tomorrow)).body.amount_fen, 3360000);
  assertError(assert, await set(policy, { master_fen: 1 }, todayCN()), 409, 'param.before_newest');
});

test('a rule gets a new version from a day on; a bad one, an old day or a second copy is refused', async () => {
  const src = (await person.get('/api/v1/talent/rules/jintie/1')).body.source;
  assert.match(src, /-- version: 1/);
  assertError(assert, await person.get('/api/v1/talent/rules/jintie/9'), 404, 'talent.no_rule');
  const tomorrow = todayCN(1);
  const v2 = src.replace('-- version: 1', '-- version: 2').replace(/-- effective_from: .*/, `-- effective_from: ${tomorrow}`);
  const before = await lastAuditId(admin);
  assertError(assert, await keji.post('/api/v1/talent/rules', { source: v2 }), 403, 'talent.forbidden');
  assertError(assert, await auditor.post('/api/v1/talent/rules', { source: v2 }), 403, 'auth.forbidden');
  assertError(assert, await policy.post('/api/v1/talent/rules', { source: v2.replace(tomorrow, '2020-01-01') }), 400, 'talent.in_the_past');
  assertError(assert, await policy.post('/api/v1/talent/rules', { source: `-- policy: jintie\n-- version: 3\n-- effective_from: ${tomorrow}\nlocal x = = 1` }), 400, 'rule.syntax');
  assertError(assert, await policy.post('/api/v1/talent/rules', { source: v2.replace('-- policy: jintie', '-- policy: nope') }), 400, 'talent.bad_rule');
  // A citation longer than it is kept (399 bytes) is refused, never cut inside a character.
  const long = await policy.post('/api/v1/talent/rules', { source: v2.replace(/-- citation: .*/, `-- citation: ${'办'.repeat(134)}`) });
  assertError(assert, long, 400, 'talent.bad_rule');
  assert.match(long.body.error.message, /citation 过长：最多 399 字节/);
  assertError(assert, await policy.post('/api/v1/talent/rules', { source: v2, memo: 1 }), 400, 'request.missing_field');
  assert.deepEqual((await auditAfter(admin, before)).filter((x) => x.action === 'talent.rule'), []);

  const r = await policy.post('/api/v1/talent/rules', { source: v2 });
  assert.equal(r.status, 201, r.text);
  assert.deepEqual(r.body, { policy: 'jintie', version: 2, effective_from: tomorrow });
  assertError(assert, await policy.post('/api/v1/talent/rules', { source: v2 }), 409, 'talent.version_exists');
  const ev = (await auditAfter(admin, before)).filter((x) => x.action === 'talent.rule');
  assert.deepEqual(ev.map((x) => x.object), ['talent_rule:jintie/2']);
  const list = (await person.get('/api/v1/talent/policies')).body.items.find((x) => x.code === 'jintie');
  assert.deepEqual(list.versions.map((v) => v.version), [1, 2]);
  assert.equal((await person.get('/api/v1/talent/rules/jintie/2')).body.source, v2);
  const on = (day) => person.post('/api/v1/talent/check', { policy: 'jintie', facts: {}, on: day });
  assert.equal((await on(todayCN())).body.rule_version, 1);
  assert.equal((await on(tomorrow)).body.rule_version, 2);
});
