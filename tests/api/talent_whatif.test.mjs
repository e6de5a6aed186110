// talent_whatif.test.mjs — 参数调整测算 over HTTP (issue 16): a change of a
// policy's parameters (硕士 10万 → 12万, 24 → 36 months) measured over the
// whole talent register, year by year, beside the rules in force, with
// figures worked out by hand on a register of six records; the change is a
// dated value layered on the parameters, so an instalment due before it
// keeps its amount; nothing is written; who may ask.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, cleanup, assertError, lastAuditId, todayCN, hasChinese } from './lib.mjs';

let srv, policy, keji, admin, leader, auditor, person;
let dues = {}; // record → the due days of its five yearly instalments

function persons(n) {
  const out = srv.db.query(`SELECT id_number FROM person WHERE id_kind = 'id' ORDER BY id LIMIT ${n + 1}`);
  return out.match(/\b\d{17}[\dX]\b/g).filter((x) => x !== person.user.party).slice(0, n);
}

// month(k) is the month k months before this one, "YYYY-MM".
function month(k) {
  const [y, m] = todayCN().split('-').map(Number);
  const n = y * 12 + (m - 1) - k;
  return `${Math.floor(n / 12)}-${String((n % 12) + 1).padStart(2, '0')}`;
}
const insured = (from, to) => Array.from({ length: from - to + 1 }, (_, i) => ({ month: month(from - i), place: 'jinpu', back_paid: false }));

// A master's graduate of a 一流学科 school a year ago, on a three-year
// contract with a Jinpu employer, insured in Jinpu the last seven months.
const facts = (over = {}) => ({
  degree: 'master', school_class: 'world_class_discipline', graduated_on: todayCN(-365), full_time: true,
  hukou_dalian: true, employer_in_jinpu: true, contract_start: todayCN(-360), contract_months: 36,
  business_in_jinpu: false, social_insurance: insured(7, 1), income_tax: [], ...over,
});
// The same, decided 800 days ago: graduated 300 days before that, insured
// the seven months before it.
const D0 = () => todayCN(-800);
const old = (over = {}) => facts({ graduated_on: todayCN(-1100), contract_start: todayCN(-1000), social_insurance: insured(34, 28), ...over });

// addYears(day, k) is day k years later (the 28th for 29 February), as the rules count.
function addYears(day, k) {
  const [y, m, d] = day.split('-').map(Number);
  const last = new Date(Date.UTC(y + k, m, 0)).getUTCDate();
  return `${y + k}-${String(m).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}
const five = (day) => [0, 1, 2, 3, 4].map((k) => addYears(day, k));

// expect(rows) sums [{due, cur, wi, who}] (cur / wi: fen, or null when not
// counted on that side) into the years the answer should have.
function expect(rows) {
  const years = new Map();
  for (const r of rows) {
    const y = Number(r.due.slice(0, 4));
    if (!years.has(y)) years.set(y, { year: y, current: { persons: new Set(), instalments: 0, amount_fen: 0 }, whatif: { persons: new Set(), instalments: 0, amount_fen: 0 } });
    const x = years.get(y);
    for (const [side, v] of [['current', r.cur], ['whatif', r.wi]]) {
      if (v === null) continue;
      x[side].persons.add(r.who);
      x[side].instalments++;
      x[side].amount_fen += v;
    }
  }
  return [...years.values()].sort((a, b) => a.year - b.year).map((x) => ({
    year: x.year,
    current: { ...x.current, persons: x.current.persons.size },
    whatif: { ...x.whatif, persons: x.whatif.persons.size },
    difference_fen: x.whatif.amount_fen - x.current.amount_fen,
  }));
}

// what the register holds, table by table: a what-if must change none of it
function counts() {
  return ['talent_record', 'talent_entitlement', 'talent_instalment', 'talent_ledger', 'talent_budget', 'talent_batch', 'audit_event']
    .map((t) => srv.db.query(`SELECT COUNT(*) FROM ${t}`).trim()).join(' ');
}

before(async () => {
  srv = await startServer();
  [policy, keji, admin, leader, auditor, person] = await Promise.all(
    ['policy', 'keji', 'admin', 'leader', 'auditor', 'person'].map((u) => srv.login(u)));
  const [a1, a2, a3, b, c, d] = persons(6);
  const put = async (number, f) => assert.equal((await policy.api('PUT', `/api/v1/talent/persons/${number}`, { facts: f })).status, 200);
  const entitle = async (number, on) => {
    const r = await policy.post('/api/v1/talent/entitlements', { number, policy: 'mingxiao', ...(on ? { on } : {}) });
    assert.equal(r.status, 201, r.text);
    return r.body;
  };
  // A1: 硕士, decided today; its first instalment paid through the bank
  await put(a1, facts());
  const e1 = await entitle(a1);
  dues.a1 = e1.instalments.map((x) => x.due);
  assert.deepEqual(dues.a1, five(todayCN()));
  assert.equal((await policy.post('/api/v1/talent/budgets', { policy: 'mingxiao', year: Number(todayCN().slice(0, 4)), amount_fen: 2000000 })).status, 201);
  assert.equal((await policy.post(`/api/v1/talent/instalments/${e1.instalments[0].id}/review`, {})).body.instalments[0].state, 'approved');
  assert.equal((await policy.api('PUT', `/api/v1/talent/persons/${a1}/bank`, { bank_name: '中国银行', bank_account: '6217000012345678' })).status, 200);
  const batch = await policy.post('/api/v1/talent/batches', {});
  assert.equal(batch.status, 201, batch.text);
  const paid = await policy.api('POST', `/api/v1/talent/batches/${batch.body.id}/result`,
    `序号,金额（元）,结果,原因\n${e1.instalments[0].id},20000.00,成功,\n`, { headers: { 'Content-Type': 'text/csv' } });
  assert.equal(paid.body.paid, 1, paid.text);
  // A2: 硕士, decided 800 days ago: three instalments already due
  await put(a2, old());
  dues.a2 = (await entitle(a2, D0())).instalments.map((x) => x.due);
  assert.deepEqual(dues.a2, five(D0()));
  // A3: the same, but its employer left Jinpu: stopped at its first re-check
  await put(a3, old());
  const e3 = await entitle(a3, D0());
  await put(a3, old({ employer_in_jinpu: false }));
  const stop = await policy.post(`/api/v1/talent/instalments/${e3.instalments[0].id}/review`, {});
  assert.deepEqual(stop.body.instalments.map((x) => x.state), Array(5).fill('stopped'));
  // B: 博士, eligible, not yet decided; C: 硕士 graduated 30 months ago
  // (out of the 24-month window); D: not a 双一流 school
  await put(b, facts({ degree: 'doctor' }));
  await put(c, facts({ graduated_on: todayCN(-913), contract_start: todayCN(-900) }));
  await put(d, facts({ school_class: 'other' }));
});
after(() => cleanup(srv));

test('硕士 10万 → 12万 from today: the year-by-year cost beside the rules in force, by hand', async () => {
  const r = await policy.post('/api/v1/talent/whatif', { policy: 'mingxiao', params: { amount_master_fen: 12000000 } });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.from, todayCN());
  assert.equal(r.body.policy_name, '“名校优才”生活补贴');
  const p = r.body.parameters.find((x) => x.key === 'amount_master_fen');
  assert.deepEqual(p, { key: 'amount_master_fen', value: 10000000, effective_from: '2019-01-01', whatif: 12000000 });
  assert.equal(r.body.parameters.find((x) => x.key === 'instalments').whatif, null);
  // A1: five fifths of 10万 → of 12万 (2万 → 2.4万 each); A2: the three
  // due before today keep 2万, the last two 2.4万; A3 stopped: nothing;
  // B (博士 20万): 4万 a year on both sides, as of today
  const rows = [
    ...dues.a1.map((due) => ({ who: 'a1', due, cur: 2000000, wi: 2400000 })),
    ...dues.a2.map((due, k) => ({ who: 'a2', due, cur: 2000000, wi: due < todayCN() ? 2000000 : 2400000 })),
    ...five(todayCN()).map((due) => ({ who: 'b', due, cur: 4000000, wi: 4000000 })),
  ];
  assert.equal(dues.a2.filter((d) => d < todayCN()).length, 3);
  assert.deepEqual(r.body.years, expect(rows));
  assert.deepEqual(r.body.totals, {
    current: { persons: 3, instalments: 15, amount_fen: 40000000 },
    whatif: { persons: 3, instalments: 15, amount_fen: 42800000 },
    difference_fen: 2800000,
  });
  // what the entitlements still to pay would cost: A1's four left and A2's five
  assert.deepEqual(r.body.entitlements, {
    count: 3, remaining: { instalments: 9, amount_fen: 18000000 }, whatif: { instalments: 9, amount_fen: 20400000 }, difference_fen: 2400000,
  });
  assert.deepEqual(r.body.records, { total: 6, entitled: 3, entitled_not_whatif: 1, eligible: 1, eligible_whatif: 1, unknown: 0, unknown_whatif: 0 });
});

test('the same change from a later day changes only what falls due after it; 24 → 36 months brings in C', async () => {
  // from A1's third due day: A1's last three and A2's last one change
  const from = dues.a1[2];
  const later = await leader.post('/api/v1/talent/whatif', { policy: 'mingxiao', params: { amount_master_fen: 12000000 }, from });
  assert.equal(later.status, 200, later.text);
  const changed = [...dues.a1, ...dues.a2].filter((d) => d >= from).length;
  assert.equal(later.body.totals.difference_fen, 400000 * changed);
  // B is checked as of that day: graduated three years before it, out of the window
  assert.equal(later.body.records.eligible, 0);
  // within_months 24 → 36: C, 30 months after graduating, qualifies: 5 × 2万 more
  const r = await auditor.post('/api/v1/talent/whatif', { policy: 'mingxiao', params: { within_months: 36 } });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.records.eligible, 1);
  assert.equal(r.body.records.eligible_whatif, 2);
  assert.equal(r.body.totals.difference_fen, 10000000);
  assert.deepEqual(r.body.totals.whatif, { persons: 4, instalments: 20, amount_fen: 50000000 });
  const rows = five(todayCN()).map((due) => ({ who: 'c', due, cur: null, wi: 2000000 }));
  for (const y of expect(rows)) assert.equal(r.body.years.find((x) => x.year === y.year).difference_fen, y.difference_fen);
  // nothing changed: the difference is zero everywhere
  const same = await admin.post('/api/v1/talent/whatif', { policy: 'mingxiao', params: {} });
  assert.equal(same.status, 200, same.text);
  assert.equal(same.body.totals.difference_fen, 0);
  assert.ok(same.body.years.every((y) => y.difference_fen === 0 && y.current.amount_fen === y.whatif.amount_fen));
  // five instalments → three, from the first day: the register's last two years go
  const three = await policy.post('/api/v1/talent/whatif', { policy: 'mingxiao', params: { instalments: 3 }, from: '2019-01-01' });
  assert.equal(three.status, 200, three.text);
  assert.equal(three.body.totals.whatif.instalments, 3 * 3); // A1, A2, B
});

test('a what-if writes nothing', async () => {
  const before = counts();
  const audit = await lastAuditId(admin);
  for (const params of [{ amount_master_fen: 12000000 }, { within_months: 36 }, { instalments: 10, amount_doctor_fen: 0 }])
    assert.equal((await policy.post('/api/v1/talent/whatif', { policy: 'mingxiao', params })).status, 200);
  assert.equal((await policy.post('/api/v1/talent/whatif', { policy: 'housing', params: { max_months: 48, paid_from: '2024-01-01' } })).status, 200);
  assert.equal(counts(), before);
  assert.equal(await lastAuditId(admin), audit);
});

test('bad input: a stable code, Chinese and English; applicants and other departments refused', async () => {
  const bad = async (body, status, code, field) => {
    const r = await policy.post('/api/v1/talent/whatif', body);
    assertError(assert, r, status, code, field);
    assert.ok(hasChinese(r.body.error.message), r.text);
    assert.ok(r.body.error.message_en || r.body.error.message, r.text);
    return r;
  };
  await bad({ policy: 'mingxiao', params: { nope: 1 } }, 400, 'talent.bad_param', 'params.nope');
  await bad({ policy: 'mingxiao', params: { max_months: 48 } }, 400, 'talent.bad_param', 'params.max_months');
  await bad({ policy: 'mingxiao', params: { amount_master_fen: '12万' } }, 400, 'talent.bad_value', 'params.amount_master_fen');
  await bad({ policy: 'mingxiao', params: { amount_master_fen: -1 } }, 400, 'talent.bad_value', 'params.amount_master_fen');
  await bad({ policy: 'mingxiao', params: { amount_master_fen: 1.5 } }, 400, 'talent.bad_value', 'params.amount_master_fen');
  await bad({ policy: 'housing', params: { paid_from: '2024-02-30' } }, 400, 'talent.bad_value', 'params.paid_from');
  await bad({ policy: 'housing', params: { paid_from: 20240101 } }, 400, 'talent.bad_value', 'params.paid_from');
  await bad({ policy: 'nope', params: {} }, 400, 'talent.bad_policy', 'policy');
  await bad({ policy: 'mingxiao', params: {}, from: '2025-13-01' }, 400, 'talent.bad_date', 'from');
  await bad({ policy: 'mingxiao', params: [] }, 400, 'request.bad_type', 'params');
  await bad({ policy: 'mingxiao' }, 400, 'request.missing_field', 'params');
  await bad({ policy: 'mingxiao', params: {}, extra: 1 }, 400, 'request.unknown_field', 'extra');
  // a value outside the parameter's range (data/talent/ranges.json) is refused with the range
  for (const [policyCode, params, range] of [['mingxiao', { instalments: 0 }, 'instalments 1–60'], ['mingxiao', { instalments: 61 }, 'instalments 1–60'],
    ['housing', { double_first_class_pct: 101 }, 'double_first_class_pct 0–100']]) {
    const r = await bad({ policy: policyCode, params }, 400, 'talent.bad_value', `params.${Object.keys(params)[0]}`);
    assert.ok(r.body.error.message.endsWith(range) && r.body.error.message_en.endsWith(range), r.text);
  }
  const url = '/api/v1/talent/policies/mingxiao/params';
  const was = (await policy.get(url)).body;
  let audit = await lastAuditId(admin);
  assertError(assert, await policy.post(url, { params: { instalments: 61 }, effective_from: todayCN(1) }), 400, 'talent.bad_value', 'params.instalments');
  assert.equal(await lastAuditId(admin), audit);
  // a value within its range that the rule in force cannot run with measures nothing: refused, with the rule's
  // own error, not counted as savings (a version from tomorrow that cannot pay in seven instalments)
  const src = (await policy.get('/api/v1/talent/rules/mingxiao/1')).body.source;
  const lines = src.split('\n');
  const at = lines.findIndex((l) => !l.startsWith('--'));
  lines.splice(at, 0, "if P('instalments') == 7 then error('不能分七期发放') end");
  const v2 = lines.join('\n').replace('-- version: 1', '-- version: 2').replace(/-- effective_from: .*/, `-- effective_from: ${todayCN(1)}`);
  const pub = await policy.post('/api/v1/talent/rules', { source: v2 });
  assert.equal(pub.status, 201, pub.text);
  const r7 = await bad({ policy: 'mingxiao', params: { instalments: 7 }, from: todayCN(1) }, 400, 'talent.whatif_rule_fails', 'params');
  assert.match(r7.body.error.message, /规则无法运行（\d+ 人 \/ persons: .*不能分七期发放/, r7.text);
  const six = await policy.post('/api/v1/talent/whatif', { policy: 'mingxiao', params: { instalments: 6 }, from: todayCN(1) });
  assert.equal(six.status, 200, six.text);
  // and publishing such a value is refused too, nothing written
  audit = await lastAuditId(admin);
  assertError(assert, await policy.post(url, { params: { instalments: 7 }, effective_from: todayCN(1) }), 400, 'talent.whatif_rule_fails', 'params');
  assert.deepEqual((await policy.get(url)).body, was);
  assert.equal(await lastAuditId(admin), audit);
  // the route is for readers: an applicant never reaches it; 科技局's policy officer is not the talent department
  assertError(assert, await person.post('/api/v1/talent/whatif', { policy: 'mingxiao', params: {} }), 403, 'auth.forbidden');
  assertError(assert, await keji.post('/api/v1/talent/whatif', { policy: 'mingxiao', params: {} }), 403, 'talent.forbidden');
});
