// talent_apply.test.mjs — talent applications as cases (issue 16), on
// SQLite and PostgreSQL: a person files the application item of a policy
// naming its employer; the case waits in employer_review for the employer's
// own account (another entity's account, and the person itself, cannot
// move it); the employer confirms (→ the clerk's intake queue) or rejects
// with a reason (→ ended, the person told); the approver's approval decides
// the entitlement in the same write, on the person's record as of the filing
// day — not eligible or exclusive refuses the approval and writes nothing;
// 补正 comes from the engine, and cannot change the employer that confirmed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, cleanup, assertError, newDatabase, initDatabase, xinqu, lastAuditId, auditAfter, todayCN, hasChinese } from './lib.mjs';

let srv, person, ent, ent2, clerk, approver, policy, admin, me, employer;

function month(k) {
  const [y, m] = todayCN().split('-').map(Number);
  const n = y * 12 + (m - 1) - k;
  return `${Math.floor(n / 12)}-${String((n % 12) + 1).padStart(2, '0')}`;
}
const insured = (from, to) => Array.from({ length: from - to + 1 }, (_, i) => ({ month: month(from - i), place: 'jinpu', back_paid: false }));
// eligible for 名校优才 (and 学费补助), not for 安家费 (no recognised tier)
const facts = {
  degree: 'master', school_class: 'world_class_discipline', graduated_on: todayCN(-365), full_time: true,
  hukou_dalian: true, employer_in_jinpu: true, contract_start: todayCN(-360), contract_months: 36,
  business_in_jinpu: false, social_insurance: insured(7, 1), income_tax: [],
};

const ok = (r, status = 200) => {
  assert.equal(r.status, status, r.text);
  return r.body;
};
const act = (c, no, action, body = {}) => c.post(`/api/v1/cases/${no}/actions/${action}`, body);
const file = (item, form = { employer }) => person.post('/api/v1/cases', { item, form, submit: true });

before(async () => {
  const db = newDatabase();
  initDatabase(db);
  const r = xinqu(['talent', 'items', '--db', db.url]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /talent application items new or changed: 8/);
  srv = await startServer({ db, init: false });
  [person, ent, clerk, approver, policy, admin] = await Promise.all(
    ['person', 'ent', 'clerk', 'approver', 'policy', 'admin'].map((u) => srv.login(u)));
  me = person.user.party;
  employer = ent.user.party;
  // another entity's own account
  const other = srv.db.query(`SELECT uscc FROM entity WHERE status = 'active' AND uscc <> '${employer}' ORDER BY uscc LIMIT 1`).trim();
  assert.match(other, /^[0-9A-Z]{18}$/);
  ok(await admin.post('/api/v1/users', { username: 'ent2', role: 'applicant', party: other, password: 'Tide-Lantern-84' }), 201);
  ent2 = await srv.loginIssued('ent2', 'Tide-Lantern-84');
  ok(await policy.api('PUT', `/api/v1/talent/persons/${me}`, { facts }));
});
after(() => cleanup(srv));

test('the items: one per policy of 人社局, for persons, naming the employer; the workflow describes the employer step', async () => {
  const it = ok(await person.get('/api/v1/items/JP-RSJ-RC-MINGXIAO'));
  assert.equal(it.dept_code, 'rsj');
  assert.equal(it.parties, 'person');
  assert.ok(it.form.some((f) => f.name === 'employer' && f.required));
  assert.equal(xinqu(['talent', 'items', '--db', srv.db.url]).stdout.match(/changed: (\d+)/)[1], '0', 'loading again changes nothing');
  const wf = ok(await srv.anon().get('/api/v1/workflows')).items.find((w) => w.kind === 'case');
  const st = wf.states.find((s) => s.state === 'employer_review');
  assert.equal(st.label, '待用人单位确认');
  for (const [action, to] of [['employer_confirm', 'submitted'], ['employer_reject', 'employer_rejected']]) {
    const m = wf.moves.find((x) => x.action === action);
    assert.deepEqual(m.from, ['employer_review']);
    assert.equal(m.to, to);
    assert.deepEqual(m.roles, ['reviewer']);
  }
  assert.ok(wf.steps.some((s) => s.action === 'await_employer'));
  assert.ok(wf.moves.find((x) => x.action === 'withdraw').from.includes('employer_review'));
});

test('a filing names a registered employer', async () => {
  const short = await file('JP-RSJ-RC-MINGXIAO', { employer: '12345' });
  assert.equal(short.status, 400, short.text);
  assert.equal(short.body.error.field, 'form.employer');
  const bad = await file('JP-RSJ-RC-MINGXIAO', { employer: '91210213MA0000000X' });
  assert.equal(bad.status, 400, bad.text);
  assert.match(bad.body.error.code, /^talent\.(bad_employer|employer_unknown)$/);
  assert.equal(bad.body.error.field, 'form.employer');
  assert.ok(hasChinese(bad.body.error.message));
  assertError(assert, await file('JP-RSJ-RC-MINGXIAO', {}), 400, 'request.missing_field', 'form.employer');
});

test('the employer rejects with a reason; the person is told; nobody else may move it', async () => {
  const c = ok(await file('JP-RSJ-RC-MINGXIAO'), 201);
  assert.equal(c.state, 'employer_review');
  assert.equal(c.reviewer.party, employer);
  // the employer sees it and its moves; the clerk's intake queue does not hold it
  const seen = ok(await ent.get(`/api/v1/cases/${c.no}`));
  assert.deepEqual(seen.moves.map((m) => m.action).sort(), ['employer_confirm', 'employer_reject']);
  assert.ok(ok(await ent.get('/api/v1/cases?per_page=100')).items.some((x) => x.no === c.no));
  assert.ok(!ok(await clerk.get('/api/v1/cases?queue=to_accept&per_page=100')).items.some((x) => x.no === c.no));
  assertError(assert, await act(clerk, c.no, 'accept'), 409, 'case.bad_state');
  // the person may withdraw, never confirm its own filing
  assert.deepEqual(ok(await person.get(`/api/v1/cases/${c.no}`)).moves.map((m) => m.action), ['withdraw']);
  assertError(assert, await act(person, c.no, 'employer_confirm'), 403, 'case.forbidden');
  // another entity's account: as if there were no such case
  assertError(assert, await ent2.get(`/api/v1/cases/${c.no}`), 404, 'case.not_found');
  assertError(assert, await act(ent2, c.no, 'employer_confirm'), 404, 'case.not_found');
  assert.ok(!ok(await ent2.get('/api/v1/cases?per_page=100')).items.some((x) => x.no === c.no));
  assertError(assert, await act(approver, c.no, 'employer_confirm'), 403, 'case.forbidden');
  // a reason is required
  assertError(assert, await act(ent, c.no, 'employer_reject'), 400, 'request.missing_field', 'reason');
  const r = ok(await act(ent, c.no, 'employer_reject', { reason: '申请人未在本单位任职' }));
  assert.equal(r.state, 'employer_rejected');
  assert.deepEqual(r.moves, []);
  const box = ok(await person.get('/api/v1/inbox?per_page=100'));
  const m = box.items.find((x) => x.subject === c.no && /申请人未在本单位任职/.test(x.body));
  assert.ok(m, JSON.stringify(box.items.slice(0, 3)));
  const ev = ok(await person.get(`/api/v1/cases/${c.no}`)).timeline.map((t) => t.action);
  assert.deepEqual(ev, ['create', 'submit', 'await_employer', 'employer_reject']);
  assertError(assert, await act(ent, c.no, 'employer_confirm'), 409, 'case.bad_state');
});

test('confirmed, accepted, approved: the entitlement exists, linked to the case', async () => {
  const c = ok(await file('JP-RSJ-RC-MINGXIAO'), 201);
  const inbox = ok(await ent.get('/api/v1/inbox?per_page=100'));
  assert.ok(inbox.items.some((x) => x.subject === c.no && /待用人单位确认/.test(x.title)), 'the employer is told');
  const conf = ok(await act(ent, c.no, 'employer_confirm'));
  assert.equal(conf.state, 'submitted');
  assert.ok(ok(await clerk.get('/api/v1/cases?queue=to_accept&per_page=100')).items.some((x) => x.no === c.no));
  // 补正 is the engine's: the corrected form may not name another employer
  assert.equal(ok(await act(clerk, c.no, 'request_correction', { deficiencies: ['请补充联系方式'] })).state, 'correction');
  const other = ent2.user.party;
  assertError(assert, await act(person, c.no, 'resubmit', { form: { employer: other } }), 400, 'case.reviewer_changed', 'form.employer');
  assert.equal(ok(await act(person, c.no, 'resubmit', { form: { employer } })).state, 'submitted');
  assert.equal(ok(await act(clerk, c.no, 'accept')).state, 'accepted');
  const before = await lastAuditId(admin);
  const ap = ok(await act(approver, c.no, 'approve', { opinion: '符合名校优才条件' }));
  assert.equal(ap.state, 'approved');
  assert.equal(ap.entitlement.policy, 'mingxiao');
  assert.equal(ap.entitlement.amount_fen, 10000000);
  assert.equal(ap.entitlement.decided_on, todayCN(), 'as of the filing day');
  const ev = (await auditAfter(admin, before)).map((x) => x.action);
  assert.ok(ev.includes('talent.entitle') && ev.includes('case.approve'), ev.join());
  const en = ok(await person.get(`/api/v1/talent/entitlements/${ap.entitlement.id}`));
  assert.equal(en.case_no, c.no);
  assert.equal(en.instalments.length, 5);
  assert.deepEqual(en.instalments.map((x) => x.state), Array(5).fill('pending'));
  // the employer still sees the case it confirmed, and its timeline names the entitlement
  const seen = ok(await ent.get(`/api/v1/cases/${c.no}`));
  assert.equal(seen.timeline.find((t) => t.action === 'approve').note.entitlement, ap.entitlement.id);
  assert.equal(ok(await act(approver, c.no, 'issue')).state, 'issued');
});

test('not eligible, or excluded by one held: the approval is refused and nothing is written; the approver denies', async () => {
  for (const [item, code] of [['JP-RSJ-RC-ANJIAFEI', 'talent.not_eligible'], ['JP-RSJ-RC-TUITION', 'talent.exclusive']]) {
    const c = ok(await file(item), 201);
    ok(await act(ent, c.no, 'employer_confirm'));
    ok(await act(clerk, c.no, 'accept'));
    const before = await lastAuditId(admin);
    const r = await act(approver, c.no, 'approve');
    assertError(assert, r, 409, code);
    assert.ok(hasChinese(r.body.error.message));
    assert.equal(await lastAuditId(admin), before, 'nothing written');
    const now = ok(await approver.get(`/api/v1/cases/${c.no}`));
    assert.equal(now.state, 'accepted');
    assert.equal(now.entitlement, undefined);
    assert.equal(srv.db.query(`SELECT COUNT(*) FROM talent_entitlement WHERE case_id = (SELECT id FROM case_file WHERE case_no = '${c.no}')`).trim(), '0');
    const d = ok(await act(approver, c.no, 'deny', { reason: r.body.error.message.slice(0, 280) }));
    assert.equal(d.state, 'denied');
  }
});

test('柔性引进 (一事一议): the committee is a special procedure of the case; its end records the decision the approval decides with', async () => {
  // a flexibly introduced leading talent (a person of its own: 名校优才, held by the first, excludes it):
  // eligible but for the committee's amount
  const number = srv.db.query(`SELECT id_number FROM person WHERE id_number <> '${me}' ORDER BY id_number LIMIT 1`).trim();
  ok(await admin.post('/api/v1/users', { username: 'flex', role: 'applicant', party: number, password: 'Tide-Lantern-84' }), 201);
  const flex = await srv.loginIssued('flex', 'Tide-Lantern-84');
  ok(await policy.api('PUT', `/api/v1/talent/persons/${number}`, { facts: { ...facts, talent_tier: 'leading', introduced_full_time: false, flexible_months: 30, days_in_jinpu: 90 } }));
  const c = ok(await flex.post('/api/v1/cases', { item: 'JP-RSJ-RC-ROUXING', form: { employer }, submit: true }), 201);
  ok(await act(ent, c.no, 'employer_confirm'));
  ok(await act(clerk, c.no, 'accept'));
  let before = await lastAuditId(admin);
  const early = await act(approver, c.no, 'approve');
  assertError(assert, early, 409, 'talent.not_eligible');
  assert.match(early.body.error.message, /一事一议/);
  assert.equal(await lastAuditId(admin), before, 'nothing written');
  // to the committee: the clock pauses
  const sp = ok(await act(approver, c.no, 'start_special', { procedure: 'committee' }));
  assert.equal(sp.state, 'special');
  assert.equal(sp.procedure, 'committee');
  assert.equal(sp.decided_by_committee, true, 'the page knows the committee decides the amount');
  assert.ok(ok(await approver.get('/api/v1/cases/machine')).procedures.some((p) => p.code === 'committee' && p.label === '一事一议（评审委员会）'));
  // its end records the decision: required, checked, with the committee's opinion
  before = await lastAuditId(admin);
  assertError(assert, await act(approver, c.no, 'end_special', { opinion: '同意' }), 400, 'request.missing_field', 'decision');
  assertError(assert, await act(approver, c.no, 'end_special', { opinion: '同意', decision: { amount_fen: -1, ref: 'x' } }), 400, 'request.out_of_range', 'amount_fen');
  assertError(assert, await act(approver, c.no, 'end_special', { opinion: '同意', decision: { amount_fen: 100, ref: 'x', extra: 1 } }), 400, 'request.unknown_field');
  assertError(assert, await act(approver, c.no, 'end_special', { decision: { amount_fen: 20000000, ref: '会议纪要〔2026〕9号' } }), 400, 'request.missing_field', 'opinion');
  assert.equal(await lastAuditId(admin), before, 'nothing written');
  const end = ok(await act(approver, c.no, 'end_special', { opinion: '同意柔性引进，每年补助20万元', decision: { amount_fen: 20000000, ref: '金普新区人才工作领导小组会议纪要〔2026〕9号' } }));
  assert.equal(end.state, 'review');
  const note = end.timeline.filter((t) => t.action === 'end_special').at(-1).note;
  assert.deepEqual([note.procedure, note.decision.amount_fen, note.opinion], ['committee', 20000000, '同意柔性引进，每年补助20万元']);
  // the committee's decision stands: the approval carries none of its own, and decides with it
  assertError(assert, await act(approver, c.no, 'approve', { decision: { amount_fen: 50000000, ref: 'x' } }), 409, 'case.committee_decided', 'decision');
  const ap = ok(await act(approver, c.no, 'approve', { opinion: '按一事一议决定准予' }));
  assert.equal(ap.state, 'approved');
  assert.equal(ap.entitlement.policy, 'rouxing');
  assert.equal(ap.entitlement.amount_fen, 20000000);
  const en = ok(await policy.get(`/api/v1/talent/entitlements/${ap.entitlement.id}`));
  assert.ok(en.explanation.some((x) => x.code === 'committee' && x.met === true && /〔2026〕9号/.test(x.text)), JSON.stringify(en.explanation));
});

test('a special procedure other than the committee, or a committee on an item it does not decide, records no decision', async () => {
  const c = ok(await file('JP-RSJ-RC-TUITION'), 201);
  ok(await act(ent, c.no, 'employer_confirm'));
  ok(await act(clerk, c.no, 'accept'));
  for (const procedure of ['expert_review', 'committee']) {
    const sp = ok(await act(approver, c.no, 'start_special', { procedure }));
    assert.deepEqual([sp.procedure, sp.decided_by_committee], [procedure, undefined]);
    assertError(assert, await act(approver, c.no, 'end_special', { decision: { amount_fen: 100, ref: 'x' } }), 400, 'request.unknown_field', 'decision');
    assert.equal(ok(await act(approver, c.no, 'end_special')).state, 'review');
  }
});
