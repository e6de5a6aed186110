// talent.test.mjs — 人才政策兑现 over HTTP (issue 16): the policies and a
// what-if check, a person's talent record, entitlements decided as of a day
// with their instalments, the re-check before each instalment (approved
// within the budget, or stopped with the reason), the double-entry ledger
// that never goes negative under many concurrent approvals; and who may do
// which: 人社局's policy officers write, another department's nothing, a
// person reads only its own.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, cleanup, assertError, auditAfter, lastAuditId, todayCN, hasChinese, parseCsv, newDatabase, initDatabase, xinqu } from './lib.mjs';

let srv, policy, keji, admin, leader, auditor, person, ent, me, others;

// the ID numbers of registry persons other than the demo applicant's
function persons(n) {
  const out = srv.db.query(`SELECT id_number FROM person WHERE id_kind = 'id' ORDER BY id LIMIT ${n + 1}`);
  return out.match(/\b\d{17}[\dX]\b/g).filter((x) => x !== me).slice(0, n);
}

// month(k) is the month k months before this one, "YYYY-MM".
function month(k) {
  const [y, m] = todayCN().split('-').map(Number);
  const n = y * 12 + (m - 1) - k;
  return `${Math.floor(n / 12)}-${String((n % 12) + 1).padStart(2, '0')}`;
}
const insured = (from, to, place = 'jinpu') => Array.from({ length: from - to + 1 }, (_, i) => ({ month: month(from - i), place, back_paid: false }));

// A master's graduate of a 一流学科 school a year ago, on a three-year
// contract with a Jinpu employer, insured in Jinpu the last seven months.
const facts = (over = {}) => ({
  degree: 'master', school_class: 'world_class_discipline', graduated_on: todayCN(-365), full_time: true,
  hukou_dalian: true, employer_in_jinpu: true, contract_start: todayCN(-360), contract_months: 36,
  business_in_jinpu: false, social_insurance: insured(7, 1), income_tax: [], ...over,
});

before(async () => {
  srv = await startServer();
  [policy, keji, admin, leader, auditor, person, ent] = await Promise.all(
    ['policy', 'keji', 'admin', 'leader', 'auditor', 'person', 'ent'].map((u) => srv.login(u)));
  me = person.user.party;
  others = persons(10);
  assert.equal(others.length, 10);
});
after(() => cleanup(srv));

const put = (c, number, f, sources) => c.api('PUT', `/api/v1/talent/persons/${number}`, sources ? { facts: f, sources } : { facts: f });

test('the policies and a what-if check for anyone, with the explanation and the why-not', async () => {
  const list = await person.get('/api/v1/talent/policies');
  assert.equal(list.status, 200, list.text);
  assert.deepEqual(list.body.items.map((x) => x.code), ['mingxiao', 'housing', 'tuition', 'anju', 'anjiafei', 'rouxing', 'jintie', 'jinque', 'gongjiang']);
  assert.equal(list.body.items.find((x) => x.code === 'housing').level_name, '市级');
  assert.deepEqual(list.body.items.filter((x) => x.kind === 'housing').map((x) => x.code), ['housing', 'anju']);
  const r = await person.post('/api/v1/talent/check', { policy: 'tuition', facts: facts(), on: todayCN() });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.eligible, true);
  assert.equal(r.body.amount_fen, 2400000);
  assert.deepEqual(r.body.instalments, [{ due: todayCN(), amount_fen: 2400000 }]);
  const kinds = r.body.explanation.map((x) => x.kind);
  assert.ok(kinds.includes('rule') && kinds.includes('parameter') && kinds.includes('criterion'), kinds.join());
  assert.ok(r.body.explanation.find((x) => x.kind === 'parameter' && x.key === 'master_fen' && x.value === 2000000 && x.effective_from));
  const no = await person.post('/api/v1/talent/check', { policy: 'mingxiao', facts: facts({ school_class: 'other' }) });
  assert.equal(no.body.eligible, false);
  assert.equal(no.body.why_not.length, 1);
  assert.ok(hasChinese(no.body.why_not[0]), no.body.why_not[0]);
  assertError(assert, await person.post('/api/v1/talent/check', { policy: 'nope', facts: {} }), 400, 'talent.bad_policy');
  assertError(assert, await person.post('/api/v1/talent/check', { policy: 'tuition', facts: [] }), 400, 'talent.bad_facts');
  assertError(assert, await person.post('/api/v1/talent/check', { policy: 'tuition', facts: {}, on: '2025-02-30' }), 400, 'talent.bad_date');
  assertError(assert, await person.post('/api/v1/talent/check', { policy: 'tuition', facts: {}, on: 20250228 }), 400, 'talent.bad_date', 'on');
});

test('a talent record is kept by 人社局 with its sources; another department cannot; a person sees only its own', async () => {
  const before = await lastAuditId(admin);
  const r = await put(policy, me, facts(), { social_insurance: '社保局月度数据', degree: '学信网' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.sources.degree, '学信网');
  assert.equal(r.body.checks.find((x) => x.policy === 'tuition').eligible, true);
  const ev = (await auditAfter(admin, before)).filter((x) => x.action === 'talent.record');
  assert.equal(ev.length, 1);
  // bad input: a clear error naming the fact, and nothing changes
  const after1 = await lastAuditId(admin);
  for (const [f, field] of [[{ degree: 'phd' }, 'degree'], [{ graduated_on: '2024-13-01' }, 'graduated_on'],
    [{ social_insurance: [{ month: '2024-13', place: 'jinpu' }] }, 'social_insurance'], [{ salary: 1 }, 'salary'],
    [{ contract_months: -1 }, 'contract_months'], [{ full_time: 'yes' }, 'full_time']]) {
    const bad = await put(policy, me, facts(f));
    assertError(assert, bad, 400, 'talent.bad_fact', field);
    assert.ok(hasChinese(bad.body.error.message));
  }
  assertError(assert, await put(keji, me, facts()), 403, 'talent.forbidden');
  assertError(assert, await put(policy, '110101199003070000', facts()), 404, 'talent.not_found');
  assert.equal(await lastAuditId(admin), after1);
  const mine = await person.get(`/api/v1/talent/persons/${me}`);
  assert.equal(mine.status, 200, mine.text);
  assert.equal(mine.body.facts.degree, 'master');
  assertError(assert, await person.get(`/api/v1/talent/persons/${others[0]}`), 404, 'talent.not_found');
  assertError(assert, await ent.get(`/api/v1/talent/persons/${me}`), 404, 'talent.not_found');
  assertError(assert, await keji.get(`/api/v1/talent/persons/${me}`), 404, 'talent.not_found');
  assert.equal((await leader.get(`/api/v1/talent/persons/${me}`)).status, 200);
  // the error never echoes the ID number asked for
  const nf = await person.get(`/api/v1/talent/persons/${others[0]}`);
  assert.ok(!nf.text.includes(others[0]), nf.text);
});

test('an entitlement is decided as of a day; its instalments are re-checked when due and approved within the budget', async () => {
  assert.equal((await put(policy, me, facts())).status, 200);
  // not eligible: refused with the why-not, nothing written
  assert.equal((await put(policy, others[1], facts({ full_time: false }))).status, 200);
  const before = await lastAuditId(admin);
  const no = await policy.post('/api/v1/talent/entitlements', { number: others[1], policy: 'mingxiao' });
  assertError(assert, no, 409, 'talent.not_eligible');
  assert.match(no.body.error.message, /非全日制/);
  assert.equal(await lastAuditId(admin), before);
  assertError(assert, await keji.post('/api/v1/talent/entitlements', { number: me, policy: 'mingxiao' }), 403, 'talent.forbidden');
  assertError(assert, await policy.post('/api/v1/talent/entitlements', { number: me, policy: 'mingxiao', on: todayCN(1) }), 400, 'talent.bad_date');
  // eligible: five yearly fifths of 10万, the first due today
  const r = await policy.post('/api/v1/talent/entitlements', { number: me, policy: 'mingxiao' });
  assert.equal(r.status, 201, r.text);
  const en = r.body;
  assert.equal(en.amount_fen, 10000000);
  assert.equal(en.instalments.length, 5);
  assert.deepEqual(en.instalments.map((x) => x.state), Array(5).fill('pending'));
  assert.equal(en.instalments[0].due, todayCN());
  assert.ok(en.explanation.some((x) => x.kind === 'rule'));
  assertError(assert, await policy.post('/api/v1/talent/entitlements', { number: me, policy: 'mingxiao' }), 409, 'talent.entitled');
  const year = Number(todayCN().slice(0, 4));
  // no budget yet: refused, nothing written
  const first = en.instalments[0].id;
  const nb = await policy.post(`/api/v1/talent/instalments/${first}/review`, {});
  assertError(assert, nb, 409, 'talent.over_budget');
  assert.match(nb.body.error.message, /预算指标不足/);
  // a budget, then the approval draws on it
  const b = await policy.post('/api/v1/talent/budgets', { policy: 'mingxiao', year, amount_fen: 3000000, memo: '年度预算' });
  assert.equal(b.status, 201, b.text);
  assert.equal(b.body.accounts.available, 3000000);
  const ok = await policy.post(`/api/v1/talent/instalments/${first}/review`, {});
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.body.instalments[0].state, 'approved');
  assertError(assert, await policy.post(`/api/v1/talent/instalments/${first}/review`, {}), 409, 'talent.bad_state');
  assertError(assert, await policy.post(`/api/v1/talent/instalments/${en.instalments[1].id}/review`, {}), 409, 'talent.not_due');
  const led = await auditor.get(`/api/v1/talent/ledger?policy=mingxiao&year=${year}`);
  assert.equal(led.status, 200, led.text);
  assert.deepEqual(led.body.accounts, { appropriation: -3000000, available: 1000000, committed: 2000000, paid: 0, recovered: 0 });
  assert.equal(led.body.balanced, true);
  assert.equal(led.body.budget_fen, 3000000);
  // the person sees its own entitlement, not another's; the ledger is not its
  const mine = await person.get('/api/v1/talent/entitlements');
  assert.deepEqual(mine.body.items.map((x) => x.policy), ['mingxiao']);
  assert.equal((await person.get(`/api/v1/talent/entitlements/${en.id}`)).status, 200);
  const ents = await ent.get('/api/v1/talent/entitlements');
  assert.equal(ents.body.items.length, 0);
  assertError(assert, await ent.get(`/api/v1/talent/entitlements/${en.id}`), 404, 'talent.not_found');
  assertError(assert, await keji.get(`/api/v1/talent/ledger?policy=mingxiao&year=${year}`), 404, 'talent.not_found');
});

test('a person who left Dalian is stopped at the re-check: this instalment and the rest, with the reason', async () => {
  const who = others[2];
  // insured in Dalian from 9 months ago: paid from the month after the sixth (2 months ago)
  assert.equal((await put(policy, who, facts({ social_insurance: insured(9, 1, 'dalian') }))).status, 200);
  const r = await policy.post('/api/v1/talent/entitlements', { number: who, policy: 'housing' });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.amount_fen, 165000);
  assert.equal(r.body.instalments.length, 36);
  assert.equal(r.body.instalments[0].due, `${month(3)}-01`);
  const year = Number(r.body.instalments[0].due.slice(0, 4));
  await policy.post('/api/v1/talent/budgets', { policy: 'housing', year, amount_fen: 10000000 });
  const first = await policy.post(`/api/v1/talent/instalments/${r.body.instalments[0].id}/review`, {});
  assert.equal(first.status, 200, first.text);
  assert.equal(first.body.instalments[0].state, 'approved');
  // out of order is refused
  assertError(assert, await policy.post(`/api/v1/talent/instalments/${r.body.instalments[2].id}/review`, {}), 409, 'talent.earlier_pending');
  // the person moves its 户籍 away: the next re-check stops the rest
  assert.equal((await put(policy, who, facts({ hukou_dalian: false, social_insurance: insured(9, 1, 'dalian') }))).status, 200);
  const stop = await policy.post(`/api/v1/talent/instalments/${r.body.instalments[1].id}/review`, {});
  assert.equal(stop.status, 200, stop.text);
  assert.equal(stop.body.state, 'stopped');
  assert.match(stop.body.reason, /户籍/);
  assert.deepEqual(stop.body.instalments.slice(1).map((x) => x.state), Array(35).fill('stopped'));
  assert.equal(stop.body.instalments[0].state, 'approved');
  const led = await leader.get(`/api/v1/talent/ledger?policy=housing&year=${year}`);
  assert.equal(led.body.accounts.committed, 165000);
  assert.equal(led.body.balanced, true);
});

test('many concurrent approvals never overdraw the budget, and the ledger balances', async () => {
  const year = Number(todayCN().slice(0, 4));
  const ids = [];
  for (const who of others.slice(3, 8)) {
    assert.equal((await put(policy, who, facts({ degree: 'bachelor', school_class: 'other' }))).status, 200);
    const r = await policy.post('/api/v1/talent/entitlements', { number: who, policy: 'tuition' });
    assert.equal(r.status, 201, r.text);
    ids.push(r.body.instalments[0].id);
  }
  // room for three of the five 1万 payments
  await policy.post('/api/v1/talent/budgets', { policy: 'tuition', year, amount_fen: 3500000 });
  const rs = await Promise.all(ids.map((id) => policy.post(`/api/v1/talent/instalments/${id}/review`, {})));
  const approved = rs.filter((r) => r.status === 200).length;
  assert.equal(approved, 3, rs.map((r) => r.status).join());
  for (const r of rs.filter((x) => x.status !== 200)) assertError(assert, r, 409, 'talent.over_budget');
  const led = await admin.get(`/api/v1/talent/ledger?policy=tuition&year=${year}`);
  assert.deepEqual(led.body.accounts, { appropriation: -3500000, available: 500000, committed: 3000000, paid: 0, recovered: 0 });
  assert.equal(led.body.balanced, true);
});

test('payments go to the bank in batches; its result marks them paid, or sends them back with the reason', async () => {
  // the person gives its own account; not another's; digits only
  assertError(assert, await person.api('PUT', `/api/v1/talent/persons/${me}/bank`, { bank_name: '中国银行大连金普支行', bank_account: '6217-0000' }), 400, 'talent.bad_account');
  assertError(assert, await person.api('PUT', `/api/v1/talent/persons/${others[2]}/bank`, { bank_name: '中国银行', bank_account: '6217000011112222' }), 404, 'talent.not_found');
  const acct = await person.api('PUT', `/api/v1/talent/persons/${me}/bank`, { bank_name: '中国银行大连金普支行', bank_account: '6217000012345678' });
  assert.equal(acct.status, 200, acct.text);
  assert.equal((await policy.api('PUT', `/api/v1/talent/persons/${others[2]}/bank`, { bank_name: '大连银行', bank_account: '6229001122334455' })).status, 200);
  // a batch of what is approved and not yet sent, to people with an account
  const b = await policy.post('/api/v1/talent/batches', {});
  assert.equal(b.status, 201, b.text);
  assert.equal(b.body.items, 2);
  assert.equal(b.body.total_fen, 2000000 + 165000);
  assert.ok(b.body.lines.every((x) => /^\*{4}\d{4}$/.test(x.bank_account)), JSON.stringify(b.body.lines));
  assertError(assert, await policy.post('/api/v1/talent/batches', {}), 409, 'talent.nothing_to_pay');
  assertError(assert, await leader.get(`/api/v1/talent/batches/${b.body.id}/export?format=csv`), 403, 'auth.forbidden');
  // the bank's file holds the whole account
  const file = await policy.get(`/api/v1/talent/batches/${b.body.id}/export?format=csv`);
  assert.equal(file.status, 200, file.text);
  const rows = parseCsv(file.text).filter((r) => r.length > 1);
  const head = rows.findIndex((r) => r[0] === '序号');
  assert.ok(head >= 0, file.text);
  assert.deepEqual(rows[head], ['序号', '姓名', '证件号码', '开户银行', '银行账号', '金额（元）', '摘要', '结果', '原因']);
  const lines = rows.slice(head + 1);
  const mine = lines.find((r) => r[4] === '6217000012345678');
  const theirs = lines.find((r) => r[4] === '6229001122334455');
  assert.ok(mine && theirs, file.text);
  assert.equal(mine[5], '20000.00');
  // a bad result file: refused by line, nothing changes
  const csv = (rs) => ['序号,金额（元）,结果,原因', ...rs.map((r) => r.join(','))].join('\n');
  const result = (text) => policy.api('POST', `/api/v1/talent/batches/${b.body.id}/result`, text, { headers: { 'Content-Type': 'text/csv' } });
  const bad = await result(csv([[mine[0], '20000.00', '成功', ''], ['999999', '1.00', '成功', ''], [theirs[0], '1650.00', '失败', '']]));
  assertError(assert, bad, 400, 'import.rejected');
  assert.deepEqual(bad.body.error.errors.map((x) => x.line), [3, 4]);
  const wrong = await result(csv([[mine[0], '20000.01', '成功', '']]));
  assertError(assert, wrong, 400, 'import.rejected');
  // the bank paid one and returned the other
  const year = Number(todayCN().slice(0, 4));
  const res = await result(csv([[mine[0], '20000.00', '成功', ''], [theirs[0], '1650.00', '失败', '账户已销户']]));
  assert.equal(res.status, 200, res.text);
  assert.equal(res.body.paid, 1);
  assert.equal(res.body.refused, 1);
  assert.equal(res.body.state, 'settled');
  const en = (await person.get('/api/v1/talent/entitlements')).body.items[0];
  const full = await person.get(`/api/v1/talent/entitlements/${en.id}`);
  assert.equal(full.body.instalments[0].state, 'paid');
  const led = await auditor.get(`/api/v1/talent/ledger?policy=mingxiao&year=${year}`);
  assert.deepEqual(led.body.accounts, { appropriation: -3000000, available: 1000000, committed: 0, paid: 2000000, recovered: 0 });
  assert.equal(led.body.balanced, true);
  // the returned one is approved again, with the bank's reason, and goes in the next batch
  const again = await policy.post('/api/v1/talent/batches', { policy: 'housing' });
  assert.equal(again.status, 201, again.text);
  assert.equal(again.body.items, 1);
  assert.match(again.body.lines[0].reason, /账户已销户/);
  // a result file applied twice is refused the second time
  assertError(assert, await result(csv([[mine[0], '20000.00', '成功', '']])), 400, 'import.rejected');
});

test('the monthly run re-checks every instalment due: approved within the budget, stopped with the reason, over budget left pending', async () => {
  const three = persons(13).slice(10);
  assert.equal(three.length, 3);
  const ids = [];
  for (const who of three) {
    assert.equal((await put(policy, who, facts())).status, 200);
    const r = await policy.post('/api/v1/talent/entitlements', { number: who, policy: 'mingxiao' });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.body.instalments[0].due, todayCN());
    ids.push(r.body.id);
  }
  // the second has left its Jinpu employer by the time of the run
  assert.equal((await put(policy, three[1], facts({ employer_in_jinpu: false }))).status, 200);
  const year = Number(todayCN().slice(0, 4));
  const ledger = async () => (await admin.get(`/api/v1/talent/ledger?policy=mingxiao&year=${year}`)).body;
  const led0 = await ledger();
  // room for one 2万 payment and a half: the first (in order) is approved, the third left over budget
  assert.equal((await policy.post('/api/v1/talent/budgets', { policy: 'mingxiao', year, amount_fen: 3000000 - led0.accounts.available })).status, 201);
  assertError(assert, await keji.post('/api/v1/talent/run', { policy: 'mingxiao' }), 403, 'talent.forbidden');
  assertError(assert, await person.post('/api/v1/talent/run', {}), 403, 'auth.forbidden');
  assertError(assert, await policy.post('/api/v1/talent/run', { policy: 'nosuch' }), 400, 'talent.bad_policy');
  const before = await lastAuditId(admin);
  const run = await policy.post('/api/v1/talent/run', { policy: 'mingxiao' });
  assert.equal(run.status, 200, run.text);
  assert.deepEqual({ ...run.body, refused: run.body.refused.map((x) => x.code) }, {
    on: todayCN(), policy: 'mingxiao', due: 3, approved: 1, stopped: 1, skipped: 0, refused_total: 1,
    refused: ['talent.over_budget'], truncated: false,
  });
  const ev = (await auditAfter(admin, before)).map((x) => x.action);
  assert.deepEqual(ev.sort(), ['talent.approve', 'talent.stop']);
  const [a, b, c] = await Promise.all(ids.map((id) => policy.get(`/api/v1/talent/entitlements/${id}`)));
  assert.equal(a.body.instalments[0].state, 'approved');
  assert.equal(b.body.state, 'stopped');
  assert.match(b.body.reason, /金普新区/);
  assert.deepEqual(b.body.instalments.map((x) => x.state), Array(5).fill('stopped'));
  assert.equal(c.body.instalments[0].state, 'pending');
  const led1 = await ledger();
  assert.equal(led1.accounts.committed, led0.accounts.committed + 2000000);
  assert.equal(led1.balanced, true);
  // with more budget the next run approves what was left, and nothing else is due
  await policy.post('/api/v1/talent/budgets', { policy: 'mingxiao', year, amount_fen: 1000000 });
  const again = await policy.post('/api/v1/talent/run', {});
  assert.equal(again.status, 200, again.text);
  assert.equal(again.body.policy, null);
  const mine = again.body.refused.filter((x) => ids.includes(x.instalment));
  assert.deepEqual(mine, []);
  assert.equal((await policy.get(`/api/v1/talent/entitlements/${ids[2]}`)).body.instalments[0].state, 'approved');
  const led2 = await ledger();
  assert.equal(led2.accounts.committed, led1.accounts.committed + 2000000);
  assert.equal(led2.balanced, true);
});

test('the year\'s figures: readers see them, a person and another department\'s official do not; a bad year is refused', async () => {
  const r = await leader.get('/api/v1/talent/stats?year=2021');
  assert.equal(r.status, 200, r.text);
  for (const k of ['high_level', 'shortage', 'foreign_experts', 'housing_paid_fen']) assert.equal(typeof r.body[k], 'number', k);
  assert.equal((await auditor.get('/api/v1/talent/stats?year=2021')).status, 200);
  assertError(assert, await person.get('/api/v1/talent/stats?year=2021'), 403, 'auth.forbidden');
  assertError(assert, await leader.get('/api/v1/talent/stats?year=abc'), 400, 'request.bad_param');
});

test('talent stats on the Jinpu demo gives the article\'s figures for 2021', () => {
  const db = newDatabase();
  try {
    const init = initDatabase(db, { entities: 5000, persons: 20000, pipeline: true });
    assert.doesNotMatch(init.stdout + init.stderr, /演示人才数据未能|talent data misses/);
    const r = xinqu(['talent', 'stats', '--year', '2021', '--db', db.url]);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(r.stdout.trim().split('\n'), ['高层次人才 88', '紧缺人才 173', '外国专家 480', '住房补贴(万元) 3126.5']);
    const bad = xinqu(['talent', 'stats', '--year', 'abc', '--db', db.url]);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /年份无效/);
  } finally {
    db.drop();
  }
});

test('whether two policies may be held together is the policies\' data; a 一事一议 policy needs the committee\'s decision', async () => {
  const [a, b] = [others[8], others[9]];
  // 名校优才 excludes every other district policy (学费补助 among them), not the city's
  const list = (await person.get('/api/v1/talent/policies')).body.items;
  const mx = list.find((x) => x.code === 'mingxiao');
  assert.ok(mx.exclusive_with.includes('tuition') && !mx.exclusive_with.includes('housing'), mx.exclusive_with.join());
  assert.deepEqual(list.find((x) => x.code === 'tuition').exclusive_with, ['mingxiao']);
  assert.equal(list.find((x) => x.code === 'rouxing').committee, true);
  assert.equal((await put(policy, a, facts())).status, 200);
  const chk = await policy.post('/api/v1/talent/check', { policy: 'tuition', facts: facts() });
  assert.equal(chk.body.eligible, true, 'eligible for 学费补助 on its own');
  assert.equal((await policy.post('/api/v1/talent/entitlements', { number: a, policy: 'mingxiao' })).status, 201);
  let before = await lastAuditId(admin);
  const t = await policy.post('/api/v1/talent/entitlements', { number: a, policy: 'tuition' });
  assertError(assert, t, 409, 'talent.exclusive');
  assert.match(t.body.error.message, /学费补助.*名校优才.*不能同时享受/);
  assert.equal(await lastAuditId(admin), before);

  // 柔性引进: eligible but for the committee's amount (一事一议)
  const flex = facts({ talent_tier: 'leading', introduced_full_time: false, flexible_months: 30, days_in_jinpu: 90 });
  assert.equal((await put(policy, b, flex)).status, 200);
  before = await lastAuditId(admin);
  const wait = await policy.post('/api/v1/talent/entitlements', { number: b, policy: 'rouxing' });
  assertError(assert, wait, 409, 'talent.not_eligible');
  assert.match(wait.body.error.message, /缺少判断所需的数据[\s\S]*一事一议/);
  const over = await policy.post('/api/v1/talent/entitlements', { number: b, policy: 'rouxing', decision: { amount_fen: 60000000, ref: '会议纪要〔2026〕5号' } });
  assertError(assert, over, 409, 'talent.not_eligible');
  assert.match(over.body.error.message, /超过本层次每年上限 500000 元/);
  assertError(assert, await policy.post('/api/v1/talent/entitlements', { number: b, policy: 'tuition', decision: { amount_fen: 100, ref: 'x' } }), 400, 'talent.no_committee');
  const bad = await policy.post('/api/v1/talent/entitlements', { number: b, policy: 'rouxing', decision: { amount_fen: -5, ref: 'x' } });
  assert.equal(bad.status, 400, bad.text);
  assert.equal(await lastAuditId(admin), before);
  const ok = await policy.post('/api/v1/talent/entitlements', { number: b, policy: 'rouxing', decision: { amount_fen: 30000000, ref: '金普新区人才工作领导小组会议纪要〔2026〕5号' } });
  assert.equal(ok.status, 201, ok.text);
  assert.equal(ok.body.amount_fen, 30000000);
  assert.deepEqual(ok.body.instalments.map((x) => x.amount_fen), [30000000, 30000000, 30000000], 'three yearly payments for a 30-month agreement');
  assert.ok(ok.body.explanation.some((x) => x.code === 'committee' && x.met === true && /会议纪要〔2026〕5号/.test(x.text)));
  const ev = await auditAfter(admin, before, '&action=talent.entitle');
  assert.equal(ev.length, 1);
  assert.equal(ev[0].detail.decision.committee_amount_fen, 30000000);
});

test('the ledger pages through every entry, 200 at a time, newest first', async () => {
  for (let i = 0; i < 205; i++) {
    const r = await policy.post('/api/v1/talent/budgets', { policy: 'jinque', year: 2031, amount_fen: 100 + i, memo: `追加 ${i + 1}` });
    assert.equal(r.status, 201, r.text);
  }
  const one = await auditor.get('/api/v1/talent/ledger?policy=jinque&year=2031');
  assert.equal(one.status, 200, one.text);
  assert.equal(one.body.entries.length, 200);
  assert.equal(one.body.more, true);
  assert.equal(one.body.budget_fen, 205 * 100 + (204 * 205) / 2);
  assert.equal(one.body.balanced, true);
  const two = await auditor.get(`/api/v1/talent/ledger?policy=jinque&year=2031&before=${one.body.next_before}`);
  assert.equal(two.body.entries.length, 5);
  assert.equal(two.body.more, false);
  assert.equal(two.body.next_before, null);
  const ids = [...one.body.entries, ...two.body.entries].map((x) => x.id);
  assert.deepEqual(ids, [...ids].sort((a, b) => b - a));
  assert.equal(new Set(ids).size, 205);
  assert.equal(two.body.entries.at(-1).memo, '追加 1');
  assertError(assert, await auditor.get('/api/v1/talent/ledger?policy=jinque&year=2031&before=-1'), 400, 'request.bad_param');
});

test('追回: money paid back of a paid instalment, in part and then the rest, stopping what is still to pay; the ledger balances', async () => {
  const year = Number(todayCN().slice(0, 4));
  const en = (await person.get('/api/v1/talent/entitlements')).body.items.find((x) => x.policy === 'mingxiao');
  const full = (await policy.get(`/api/v1/talent/entitlements/${en.id}`)).body;
  const [paid, next] = full.instalments;
  assert.equal(paid.state, 'paid');
  assert.equal(next.state, 'pending');
  const url = (id) => `/api/v1/talent/instalments/${id}/recover`;
  const led0 = (await auditor.get(`/api/v1/talent/ledger?policy=mingxiao&year=${year}`)).body;
  const before = await lastAuditId(admin);
  // refused, each changing nothing
  assertError(assert, await keji.post(url(paid.id), { amount_fen: 100, reason: '离职' }), 403, 'talent.forbidden');
  assertError(assert, await person.post(url(paid.id), { amount_fen: 100, reason: '离职' }), 403, 'auth.forbidden');
  assertError(assert, await auditor.post(url(paid.id), { amount_fen: 100, reason: '离职' }), 403, 'auth.forbidden');
  assertError(assert, await policy.post(url(paid.id), { amount_fen: 0, reason: '离职' }), 400, 'talent.bad_amount', 'amount_fen');
  assertError(assert, await policy.post(url(paid.id), { amount_fen: '100', reason: '离职' }), 400, 'talent.bad_amount', 'amount_fen');
  assertError(assert, await policy.post(url(paid.id), { amount_fen: paid.amount_fen + 1, reason: '离职' }), 400, 'talent.bad_amount', 'amount_fen');
  assertError(assert, await policy.post(url(paid.id), { amount_fen: 100, reason: '  ' }), 400, 'request.missing_field', 'reason');
  assertError(assert, await policy.post(url(paid.id), { amount_fen: 100, reason: '离职', stop_rest: 'yes' }), 400, 'request.bad_type', 'stop_rest');
  assertError(assert, await policy.post(url(paid.id), { amount_fen: 100, reason: '离职', memo: 1 }), 400, 'request.unknown_field');
  assertError(assert, await policy.post(url(next.id), { amount_fen: 100, reason: '离职' }), 409, 'talent.bad_state');
  assertError(assert, await policy.post(url(999999), { amount_fen: 100, reason: '离职' }), 404, 'talent.no_instalment');
  assert.deepEqual((await auditor.get(`/api/v1/talent/ledger?policy=mingxiao&year=${year}`)).body.accounts, led0.accounts);
  assert.deepEqual((await auditAfter(admin, before)).filter((x) => x.action === 'talent.recover'), []);

  // a part back: the instalment stays paid, the rest goes on
  const part = await policy.post(url(paid.id), { amount_fen: 500000, reason: '核查发现入职前已享受同类补贴，按差额追回' });
  assert.equal(part.status, 200, part.text);
  assert.deepEqual([part.body.instalments[0].state, part.body.instalments[0].recovered_fen, part.body.state], ['paid', 500000, 'active']);
  const led1 = (await auditor.get(`/api/v1/talent/ledger?policy=mingxiao&year=${year}`)).body;
  assert.equal(led1.accounts.paid, led0.accounts.paid - 500000);
  assert.equal(led1.accounts.recovered, 500000);
  assert.equal(led1.balanced, true);
  assert.deepEqual([led1.entries[0].from, led1.entries[0].to, led1.entries[0].amount_fen, led1.entries[0].instalment], ['paid', 'recovered', 500000, paid.id]);
  assert.match(led1.entries[0].memo, /^追回：核查发现/);
  // the rest back, and what is still to pay stops with the reason
  assertError(assert, await policy.post(url(paid.id), { amount_fen: paid.amount_fen - 500000 + 1, reason: '离职' }), 400, 'talent.bad_amount');
  const rest = await policy.post(url(paid.id), { amount_fen: paid.amount_fen - 500000, reason: '未满服务期离开金普新区', stop_rest: true });
  assert.equal(rest.status, 200, rest.text);
  assert.equal(rest.body.state, 'stopped');
  assert.match(rest.body.reason, /追回：未满服务期/);
  assert.deepEqual(rest.body.instalments.map((x) => x.state), ['recovered', 'stopped', 'stopped', 'stopped', 'stopped']);
  assert.equal(rest.body.instalments[0].recovered_fen, paid.amount_fen);
  assertError(assert, await policy.post(url(paid.id), { amount_fen: 1, reason: '再次' }), 409, 'talent.bad_state');
  const led2 = (await auditor.get(`/api/v1/talent/ledger?policy=mingxiao&year=${year}`)).body;
  assert.equal(led2.accounts.paid, led0.accounts.paid - paid.amount_fen);
  assert.equal(led2.accounts.recovered, paid.amount_fen);
  assert.equal(led2.balanced, true);
  const ev = (await auditAfter(admin, before)).filter((x) => x.action === 'talent.recover');
  assert.deepEqual(ev.map((x) => [x.object, x.detail.amount_fen, x.detail.stop_rest]), [
    [`talent_entitlement:${en.id}`, 500000, false], [`talent_entitlement:${en.id}`, paid.amount_fen - 500000, true]]);
  // the person sees it on its own entitlement
  const mine = (await person.get(`/api/v1/talent/entitlements/${en.id}`)).body;
  assert.equal(mine.instalments[0].state, 'recovered');
});
