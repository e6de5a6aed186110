// cases.test.mjs — the case engine end to end against the real server (on
// SQLite and PostgreSQL): 秒批 approve and deny, 即来即办, 容缺受理 with the
// supplement, 补正 round trip with a special procedure, 告知承诺 with a false
// promise found in verification, refused moves, privacy between applicants,
// agents, ratings, the 企业开办 bundle creating a new market entity, 零时限
// permits issued by the land contract, and the SLA deadline on the calendar.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { startServer, cleanup, assertError, entityBody, auditAfter, lastAuditId, hasChinese, makeUscc } from './lib.mjs';

let srv, ent, person, clerk, approver, admin, invest, leader, auditor, scjg;
before(async () => {
  // One applicant files every case here and uploads their materials faster
  // than the default share (60 uploads a minute, as a burst of 60): the rate
  // itself is hardening.test.mjs's to test.
  srv = await startServer({ extraArgs: ['--upload-rate', '600'] });
  [ent, person, clerk, approver, admin, invest, leader, auditor, scjg] = await Promise.all(
    ['ent', 'person', 'clerk', 'approver', 'admin', 'invest', 'leader', 'auditor', 'scjg_approver'].map((u) => srv.login(u)));
});
after(() => cleanup(srv));

// A small real PDF, made unique so each upload is its own blob.
function pdf(tag = Math.random().toString(36)) {
  return Buffer.from(`%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n% ${tag}\ntrailer<</Root 1 0 R>>\n%%EOF\n`);
}

async function upload(client) {
  const r = await client.post('/api/v1/uploads', pdf(), { headers: { 'Content-Type': 'application/pdf' } });
  assert.equal(r.status, 201, r.text);
  return r.body.sha256;
}

async function item(code) {
  const r = await clerk.get(`/api/v1/items/${code}`);
  assert.equal(r.status, 200, r.text);
  return r.body;
}

// materialsFor(client, code, skip) uploads one file for every material of
// the item except those in skip and those the registry supplies.
async function materialsFor(client, code, { skip = [], party = 'entity' } = {}) {
  const it = await item(code);
  const out = {};
  for (const m of it.materials) {
    if (skip.includes(m.key)) continue;
    if ((m.source === 'registry.entity' && party === 'entity') || (m.source === 'registry.person' && party === 'person')) continue;
    out[m.key] = await upload(client);
  }
  return { it, materials: out };
}

async function act(client, no, action, body = {}) {
  return client.post(`/api/v1/cases/${no}/actions/${action}`, body);
}

function ok(r, status = 200) {
  assert.equal(r.status, status, r.text);
  return r.body;
}

test('秒批: an active entity files JP-MP-001 online and gets a signed certificate in the same request', async () => {
  const { materials } = await materialsFor(ent, 'JP-MP-001');
  const c = ok(await ent.post('/api/v1/cases', { item: 'JP-MP-001', materials, submit: true }), 201);
  // The decision is the engine's, not the applicant's: the timeline says 系统自动.
  for (const t of c.timeline.filter((x) => ['accept', 'approve', 'issue'].includes(x.action))) {
    assert.equal(t.actor_name, '系统自动', JSON.stringify(t));
    assert.equal(t.actor, 'system');
  }
  assert.equal(c.timeline.find((x) => x.action === 'submit').actor, 'ent');
  assert.equal(c.state, 'issued', JSON.stringify(c));
  assert.equal(c.path, 'auto');
  assert.equal(c.rule.decision, 'approve');
  assert.ok(c.rule.reasons.length > 0);
  assert.ok(c.certificate, 'certificate code');
  assert.deepEqual(c.timeline.map((t) => t.action), ['create', 'submit', 'accept', 'approve', 'issue']);
  // The answer is the case as a later GET shows it (the item version the
  // filing used is not read again for the answer).
  const g = ok(await ent.get(`/api/v1/cases/${c.no}`));
  for (const k of ['item_name', 'item_version', 'item_materials', 'materials', 'timeline', 'notices', 'certificate'])
    assert.deepEqual(c[k], g[k], k);
  assert.ok(g.item_materials.length > 0 && g.item_name, JSON.stringify(g.item_materials));
  const v = ok(await srv.login('person').then((p) => p.get(`/api/v1/verify/${c.certificate}`)));
  assert.equal(v.genuine, true);
  assert.equal(v.status, 'valid');
  // The decision notice renders as a PDF.
  const n = c.notices.find((x) => x.kind === 'approve');
  assert.ok(n, JSON.stringify(c.notices));
  const res = await ent.api('GET', `/api/v1/cases/${c.no}/notices/${n.id}/pdf`, undefined, { raw: true });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'application/pdf');
  assert.equal(Buffer.from(await res.arrayBuffer()).subarray(0, 5).toString(), '%PDF-');
  // Every state change reached the applicant's inbox.
  const inbox = ok(await ent.get('/api/v1/inbox?per_page=100'));
  assert.ok(inbox.items.some((m) => m.subject_kind === 'case' && m.subject === c.no && /已办结/.test(m.body)), JSON.stringify(inbox.items[0]));
});

test('秒批: the rule denies a revoked entity filed at the window, with its reasons on the notice', async () => {
  const body = entityBody({ status: 'revoked' });
  ok(await clerk.post('/api/v1/entities', body), 201);
  const { materials } = await materialsFor(clerk, 'JP-MP-001');
  const c = ok(await clerk.post('/api/v1/cases', { item: 'JP-MP-001', party: body.uscc, channel: 'window', materials, submit: true }), 201);
  assert.equal(c.state, 'denied');
  assert.equal(c.rule.decision, 'deny');
  assert.ok(c.notices.some((x) => x.kind === 'deny'));
  assert.ok(!c.certificate);
});

test('即来即办: the clerk accepts and decides a 即办件 in one step; a 承诺件 cannot be', async () => {
  const { materials } = await materialsFor(clerk, 'JP-JB-001');
  const c = ok(await clerk.post('/api/v1/cases', { item: 'JP-JB-001', party: ent.user.party, channel: 'window', materials, submit: true }), 201);
  assert.equal(c.state, 'submitted');
  assert.ok(c.moves.some((m) => m.action === 'decide_now'));
  const d = ok(await act(clerk, c.no, 'decide_now'));
  assert.equal(d.state, 'issued');
  const g = ok(await clerk.get(`/api/v1/cases/${c.no}`));
  for (const k of ['item_name', 'item_version', 'item_materials']) assert.deepEqual(d[k], g[k], k);
  assert.equal(d.path, 'instant');
  assert.equal(d.visits, 1);
  assert.equal(d.sla.at_once, true, '当场办结, not a clock never started');
  assert.equal(c.sla.at_once, undefined, 'before the decision there is no clock yet');
  const m2 = await materialsFor(ent, 'JP-CN-001');
  const p = ok(await ent.post('/api/v1/cases', { item: 'JP-CN-001', materials: m2.materials, submit: true }), 201);
  assertError(assert, await act(clerk, p.no, 'decide_now'), 400, 'case.not_instant');
});

test('容缺受理: non-core material missing, promise signed, supplement, then the result issues', async () => {
  const it = await item('JP-CN-001');
  const optional = it.materials.filter((m) => !m.core && m.may_miss).map((m) => m.key);
  assert.ok(optional.length > 0, 'JP-CN-001 has a material that may be missing');
  const { materials } = await materialsFor(ent, 'JP-CN-001', { skip: optional });
  const c = ok(await ent.post('/api/v1/cases', { item: 'JP-CN-001', materials, rongque_promise: true, submit: true }), 201);
  assert.deepEqual(c.missing.sort(), optional.slice().sort());
  const before = await lastAuditId(auditor);
  // Not acceptable as complete; the deadline may not pass the promised limit.
  assertError(assert, await act(clerk, c.no, 'accept'), 409, 'case.materials_missing');
  assertError(assert, await act(clerk, c.no, 'accept_rongque', { deadline: '2099-01-01' }), 400, 'case.bad_deadline', 'deadline');
  assert.equal((await auditAfter(auditor, before, `&object=case:${c.no}`)).length, 0, 'refusals write nothing');
  const a = ok(await act(clerk, c.no, 'accept_rongque'));
  assert.equal(a.state, 'accepted_rongque');
  assert.ok(a.sla.running && a.sla.remaining_ms > 0, JSON.stringify(a.sla));
  const notice = a.notices.find((n) => n.kind === 'accept_rongque');
  assert.ok(notice && /容/.test(notice.number), JSON.stringify(a.notices));
  // The approver may decide, but the result is withheld until the materials arrive.
  const ap = ok(await act(approver, c.no, 'approve'));
  assert.equal(ap.state, 'approved');
  assertError(assert, await act(clerk, c.no, 'issue'), 409, 'case.materials_missing');
  const supp = {};
  for (const k of optional) supp[k] = await upload(ent);
  const s = ok(await act(ent, c.no, 'supplement', { materials: supp }));
  assert.deepEqual(s.missing, []);
  const i = ok(await act(clerk, c.no, 'issue'));
  assert.equal(i.state, 'issued');
  assert.ok(i.certificate);
  // Close and rate: a bad rating opens a rectification task for the department.
  ok(await act(ent, c.no, 'close'));
  const r = ok(await ent.post(`/api/v1/cases/${c.no}/rating`, { score: 2, comment: '等待时间太长' }));
  assert.equal(r.rating.score, 2);
  assertError(assert, await ent.post(`/api/v1/cases/${c.no}/rating`, { score: 5 }), 409, 'case.already_rated');
  const tasks = ok(await approver.get('/api/v1/tasks?kind=rectify&state=open&per_page=200')).items;
  assert.ok(tasks.some((t) => t.subject_kind === 'case' && t.subject === c.no), JSON.stringify(tasks));
  const stats = ok(await leader.get('/api/v1/stats/cases?by=dept'));
  assert.ok(stats.some((d) => d.bad_ratings >= 1));
  // The on-time rate counts decided cases only; none decided is no rate at all.
  assert.ok(stats.some((d) => d.decided > 0));
  for (const d of stats) {
    if (d.decided === 0) assert.equal(d.on_time_rate, null, JSON.stringify(d));
    else assert.equal(d.on_time_rate, d.on_time / d.decided, JSON.stringify(d));
  }
});

test('a submission without a core material is refused at once, with or without a 容缺 promise, online or at the window; nothing is written', async () => {
  const it = await item('JP-CN-001');
  const core = it.materials.find((m) => m.core && !m.source);
  const { materials } = await materialsFor(ent, 'JP-CN-001', { skip: [core.key] });
  const before = ok(await clerk.get('/api/v1/cases?per_page=1')).total;
  for (const extra of [{}, { rongque_promise: true }]) {
    const e = assertError(assert, await ent.post('/api/v1/cases', { item: 'JP-CN-001', materials, ...extra, submit: true }), 400, 'case.core_missing', 'materials');
    assert.ok(e.message.includes(core.name), e.message);
  }
  const atWindow = (await materialsFor(clerk, 'JP-CN-001', { skip: [core.key] })).materials;
  assertError(assert, await clerk.post('/api/v1/cases', { item: 'JP-CN-001', party: ent.user.party, channel: 'window', materials: atWindow, submit: true }), 400, 'case.core_missing', 'materials');
  assert.equal(ok(await clerk.get('/api/v1/cases?per_page=1')).total, before);
  // A draft may be incomplete; its submission is refused the same way.
  const d = ok(await ent.post('/api/v1/cases', { item: 'JP-CN-001', materials }), 201);
  assertError(assert, await act(ent, d.no, 'submit'), 400, 'case.core_missing', 'materials');
  assert.equal(ok(await ent.get(`/api/v1/cases/${d.no}`)).state, 'draft');
});

test('a non-core material may be missing online only under the signed 容缺 promise; at the window the clerk has it signed at intake', async () => {
  const it = await item('JP-CN-001');
  const optional = it.materials.filter((m) => !m.core && m.may_miss);
  const { materials } = await materialsFor(ent, 'JP-CN-001', { skip: optional.map((m) => m.key) });
  const e = assertError(assert, await ent.post('/api/v1/cases', { item: 'JP-CN-001', materials, submit: true }), 400, 'case.promise_unsigned', 'rongque_promise');
  for (const m of optional) assert.ok(e.message.includes(m.name), e.message);
  ok(await ent.post('/api/v1/cases', { item: 'JP-CN-001', materials, rongque_promise: true, submit: true }), 201);
  const atWindow = (await materialsFor(clerk, 'JP-CN-001', { skip: optional.map((m) => m.key) })).materials;
  const w = ok(await clerk.post('/api/v1/cases', { item: 'JP-CN-001', party: ent.user.party, channel: 'window', materials: atWindow, submit: true }), 201);
  assertError(assert, await act(clerk, w.no, 'accept_rongque'), 400, 'case.promise_unsigned', 'promise_signed');
  assert.equal(ok(await act(clerk, w.no, 'accept_rongque', { promise_signed: true })).state, 'accepted_rongque');
});

test('秒批 never decides on a filing without its core materials', async () => {
  const it = await item('JP-MP-001');
  const core = it.materials.filter((m) => m.core && !m.source);
  assert.ok(core.length > 0, 'JP-MP-001 has a core material to upload');
  const before = ok(await clerk.get('/api/v1/cases?per_page=1')).total;
  assertError(assert, await ent.post('/api/v1/cases', { item: 'JP-MP-001', submit: true }), 400, 'case.core_missing', 'materials');
  assert.equal(ok(await clerk.get('/api/v1/cases?per_page=1')).total, before);
});

test('补正: one notice lists every deficiency, the clock pauses in correction and in a special procedure', async () => {
  const { materials } = await materialsFor(ent, 'JP-CN-001');
  const c = ok(await ent.post('/api/v1/cases', { item: 'JP-CN-001', materials, submit: true }), 201);
  const a = ok(await act(clerk, c.no, 'accept'));
  assert.equal(a.state, 'accepted');
  assertError(assert, await act(approver, c.no, 'request_correction', { deficiencies: [] }), 400, 'case.no_deficiencies');
  const k = ok(await act(approver, c.no, 'request_correction', { deficiencies: ['营业执照复印件不清晰', '申请表缺少法定代表人签字'] }));
  assert.equal(k.state, 'correction');
  assert.equal(k.sla.paused, true);
  assert.ok(k.notices.some((n) => n.kind === 'correction'));
  const re = ok(await act(ent, c.no, 'resubmit', { form: { note: '已补正' } }));
  assert.equal(re.state, 'accepted', 'back to the state it paused from');
  assert.equal(re.sla.paused, false);
  const sp = ok(await act(approver, c.no, 'start_special', { procedure: 'site_inspection' }));
  assert.equal(sp.state, 'special');
  assert.equal(sp.sla.paused, true);
  assertError(assert, await act(approver, c.no, 'start_special', { procedure: 'x' }), 409, 'case.bad_state');
  const en = ok(await act(approver, c.no, 'end_special'));
  assert.equal(en.state, 'review');
  const ap = ok(await act(approver, c.no, 'approve'));
  assert.equal(ap.sla.on_time, true);
  ok(await act(clerk, c.no, 'issue'));
});

test('refused moves: wrong role, wrong state (with the allowed moves), unknown move, other applicants', async () => {
  const { materials } = await materialsFor(ent, 'JP-CN-001');
  const c = ok(await ent.post('/api/v1/cases', { item: 'JP-CN-001', materials, submit: true }), 201);
  assertError(assert, await act(ent, c.no, 'accept'), 403, 'case.forbidden');
  const e = assertError(assert, await act(approver, c.no, 'approve'), 409, 'case.bad_state');
  assert.match(e.message, /accept/);
  assertError(assert, await act(clerk, c.no, 'fly'), 400, 'case.unknown_action');
  assertError(assert, await act(clerk, c.no, 'refuse', {}), 400, 'request.missing_field', 'reason');
  // Another applicant neither sees nor touches the case.
  assertError(assert, await person.get(`/api/v1/cases/${c.no}`), 404, 'case.not_found');
  assertError(assert, await act(person, c.no, 'withdraw'), 404, 'case.not_found');
  const mine = ok(await person.get('/api/v1/cases?per_page=100'));
  assert.ok(!mine.items.some((x) => x.no === c.no));
  // The applicant withdraws.
  assert.equal(ok(await act(ent, c.no, 'withdraw')).state, 'withdrawn');
  assertError(assert, await act(ent, c.no, 'withdraw'), 409, 'case.bad_state');
});

test('代办: an agent authorised by the enterprise files for it; after revocation it cannot', async () => {
  const g = ok(await ent.post('/api/v1/agents', { agent: 'person', agent_party: person.user.party }), 201);
  const { materials } = await materialsFor(person, 'JP-CN-001');
  const c = ok(await person.post('/api/v1/cases', { item: 'JP-CN-001', party: ent.user.party, materials, submit: true }), 201);
  assert.equal(c.party, ent.user.party);
  assert.equal((await ent.get(`/api/v1/cases/${c.no}`)).status, 200, 'the principal sees it');
  ok(await ent.api('DELETE', `/api/v1/agents/${g.id}`));
  assertError(assert, await person.post('/api/v1/cases', { item: 'JP-CN-001', party: ent.user.party, materials, submit: true }), 403, 'case.not_agent', 'party');
});

test('告知承诺: decided at once; a false promise found in verification revokes it and bars the party', async () => {
  const { materials } = await materialsFor(clerk, 'JP-CN-001');
  const body = entityBody();
  ok(await clerk.post('/api/v1/entities', body), 201);
  const c = ok(await clerk.post('/api/v1/cases', { item: 'JP-CN-001', party: body.uscc, channel: 'window', materials, commitment: true, submit: true }), 201);
  assert.equal(c.state, 'issued');
  assert.equal(c.path, 'promise');
  const tasks = ok(await approver.get('/api/v1/tasks?kind=verify&state=open&per_page=200'));
  assert.equal(tasks.total, tasks.items.length);
  const t = tasks.items.find((x) => x.subject === c.no);
  assert.ok(t, 'a verification task');
  assertError(assert, await approver.post(`/api/v1/tasks/${t.id}/complete`, { result: 'maybe' }), 400, 'task.bad_result');
  // Refused before anything is written: no result, a note over 300 characters.
  assertError(assert, await approver.post(`/api/v1/tasks/${t.id}/complete`, { note: '无结果' }), 400, 'request.missing_field');
  assertError(assert, await approver.post(`/api/v1/tasks/${t.id}/complete`, { result: 'ok', note: '核'.repeat(301) }), 400, 'request.too_long');
  assert.ok(ok(await approver.get('/api/v1/tasks?kind=verify&state=open&per_page=200')).items.some((x) => x.id === t.id), 'still open');
  const done = ok(await approver.post(`/api/v1/tasks/${t.id}/complete`, { result: 'false_promise', note: '现场核查与承诺不符' }));
  assert.equal(done.subject, c.no);
  assertError(assert, await approver.post(`/api/v1/tasks/${t.id}/complete`, { result: 'ok' }), 409, 'task.done');
  // Kinds are data: their labels and results come from the server.
  const kinds = ok(await approver.get('/api/v1/tasks/kinds')).items;
  assert.deepEqual(kinds.find((k) => k.kind === 'verify').results.map((r) => r.code), ['ok', 'false_promise']);
  const after = ok(await clerk.get(`/api/v1/cases/${c.no}`));
  assert.equal(after.state, 'revoked');
  const v = ok(await clerk.get(`/api/v1/verify/${c.certificate}`));
  assert.equal(v.status, 'revoked');
  // Barred from 告知承诺 and 容缺 for six months.
  assertError(assert, await clerk.post('/api/v1/cases', { item: 'JP-CN-001', party: body.uscc, channel: 'window', materials, commitment: true, submit: true }), 403, 'case.party_barred');
});

test('SLA: the deadline of an accepted case is the promised limit counted on the working-day calendar', async () => {
  const it = await item('JP-CN-001');
  const { materials } = await materialsFor(ent, 'JP-CN-001');
  const c = ok(await ent.post('/api/v1/cases', { item: 'JP-CN-001', materials, submit: true }), 201);
  const a = ok(await act(clerk, c.no, 'accept'));
  const start = a.sla.started_at.slice(0, 10);
  // Walk the calendar the server publishes: N working days, the start day not counted.
  const cal = {};
  for (const y of [Number(start.slice(0, 4)), Number(start.slice(0, 4)) + 1]) {
    const r = ok(await clerk.get(`/api/v1/calendar/${y}`));
    for (const d of r.days) cal[d.date] = d.workday;
  }
  let day = new Date(`${start}T00:00:00Z`);
  let n = it.promised_limit;
  assert.equal(it.limit_unit, 'workdays');
  while (n > 0) {
    day = new Date(day.getTime() + 86400_000);
    const iso = day.toISOString().slice(0, 10);
    assert.ok(iso in cal, `calendar has ${iso}`);
    if (cal[iso]) n--;
  }
  assert.equal(a.sla.deadline_at.slice(0, 10), day.toISOString().slice(0, 10));
  assert.ok(a.sla.remaining_ms > 0 && a.sla.remaining_ms <= a.sla.limit_ms);
  const q = ok(await clerk.get('/api/v1/cases/queues'));
  for (const k of ['to_accept', 'to_review', 'due_soon', 'overdue', 'postcheck', 'rectify']) assert.equal(typeof q[k], 'number', k);
  // The counts agree with the queues themselves.
  assert.ok(q.to_review >= 1);
  for (const k of ['to_accept', 'to_review', 'due_soon', 'overdue', 'postcheck', 'rongque', 'correction']) {
    assert.equal(q[k], ok(await clerk.get(`/api/v1/cases?queue=${k}&per_page=1`)).total, k);
  }
  const scan = ok(await admin.post('/api/v1/sla/scan'));
  assert.equal(typeof scan.overdue, 'number');
  const od = ok(await approver.get('/api/v1/sla/overdue?per_page=5'));
  assert.ok(Array.isArray(od.items) && od.items.length <= 5 && od.total >= od.items.length, JSON.stringify(od));
});

test('企业开办: one form fans out to six departments under a 0.5-working-day clock; the licence registers the entity', async () => {
  const codes = ['JP-KB-01', 'JP-KB-02', 'JP-KB-03', 'JP-KB-04', 'JP-KB-05', 'JP-KB-06'];
  const materials = {};
  for (const code of codes) Object.assign(materials, (await materialsFor(person, code, { party: 'person' })).materials);
  const name = `大连金普鑫犇${Date.now() % 100000}科技有限公司`;
  const form = { name, kind: 'company', legal_rep: '张三', capital_fen: 100000000, industry: 'I', address: '大连市金州区站前街道1号', district: '站前街道' };
  assertError(assert, await person.post('/api/v1/bundles', { kind: 'kaiban', form: { ...form, industry: 'Z' }, materials }), 400, 'entity.bad_industry', 'form.industry');
  const b = ok(await person.post('/api/v1/bundles', { kind: 'kaiban', form, materials }), 201);
  assert.equal(b.children.length, 6);
  assert.equal(b.status, 'in_progress');
  assert.ok(b.remaining_ms > 0);
  for (const ch of b.children) {
    assert.equal(ch.state, 'submitted');
    ok(await act(clerk, ch.no, 'accept'));
    ok(await act(approver, ch.no, 'approve'));
    ok(await act(clerk, ch.no, 'issue'));
  }
  const done = ok(await person.get(`/api/v1/bundles/${b.id}`));
  assert.equal(done.status, 'done');
  assert.equal(done.on_time, true);
  assert.match(done.entity_uscc, /^91210213[0-9A-HJ-NPQRTUWXY]{10}$/);
  const e = ok(await clerk.get(`/api/v1/entities/${done.entity_uscc}`));
  assert.equal(e.name, name);
  // Another applicant cannot look at the bundle.
  assertError(assert, await ent.get(`/api/v1/bundles/${b.id}`), 404, 'bundle.not_found');
});

test('零时限审批: permits pre-reviewed before the land is acquired issue when the contract is recorded', async () => {
  const code = `DL-${Date.now() % 1000000}`;
  ok(await invest.post('/api/v1/parcels', { code, name: '金普新区小窑湾地块', district: '小窑湾' }), 201);
  assertError(assert, await invest.post('/api/v1/parcels', { code, name: '重复' }), 409, 'parcel.exists');
  const materials = {};
  for (const c of ['JP-ZX-01', 'JP-ZX-02', 'JP-ZX-03']) Object.assign(materials, (await materialsFor(ent, c)).materials);
  const b = ok(await ent.post('/api/v1/bundles', { kind: 'land', parcel: code, materials }), 201);
  assert.equal(b.children.length, 3);
  // The bundle is seen by its applicant and by officials who handle one of its
  // children (or oversee every department), not by another applicant or by
  // another department's approver.
  for (const c of [approver, leader]) assert.equal((await c.get(`/api/v1/bundles/${b.id}`)).status, 200);
  for (const c of [person, scjg]) assertError(assert, await c.get(`/api/v1/bundles/${b.id}`), 404, 'bundle.not_found');
  for (const ch of b.children) {
    ok(await act(clerk, ch.no, 'accept'));
    ok(await act(approver, ch.no, 'approve'));
    assertError(assert, await act(clerk, ch.no, 'issue'), 409, 'case.awaiting_land');
  }
  // A contract without its number, or with one or a holder too long, is refused and issues nothing.
  const contract = (body) => invest.post(`/api/v1/parcels/${code}/contract`, body);
  assertError(assert, await contract({ holder: ent.user.party }), 400, 'request.missing_field');
  assertError(assert, await contract({ contract_no: '号'.repeat(41) }), 400, 'request.too_long');
  assertError(assert, await contract({ contract_no: '大金土出〔2026〕18号', holder: '人'.repeat(101) }), 400, 'request.too_long');
  assert.equal(ok(await ent.get(`/api/v1/bundles/${b.id}`)).children.filter((ch) => ch.certificate).length, 0);
  const p = ok(await contract({ contract_no: '大金土出〔2026〕18号', holder: ent.user.party }));
  assert.equal(p.issued, 3);
  assert.equal(p.state, 'acquired');
  const after = ok(await ent.get(`/api/v1/bundles/${b.id}`));
  assert.equal(after.status, 'done');
  for (const ch of after.children) assert.ok(ch.certificate);
});

test('a land parcel keeps a code of 30 Chinese characters whole; longer codes and districts are refused and write nothing', async () => {
  const code = '金普新区小窑湾国际商务区核心地块'.padEnd(30, '甲');
  assert.equal([...code].length, 30);
  const before = await lastAuditId(auditor);
  const long = assertError(assert, await invest.post('/api/v1/parcels', { code: `${code}乙`, name: '过长' }), 400,
    'request.too_long', 'code');
  assert.match(long.message, /地块编号不超过 30 字/);
  assertError(assert, await invest.post('/api/v1/parcels', { code: 'DL-X', name: '过长', district: '区'.repeat(21) }), 400,
    'request.too_long', 'district');
  assert.equal(await lastAuditId(auditor), before, 'refusals write nothing');
  ok(await invest.post('/api/v1/parcels', { code, name: '长编号地块', district: '小窑湾' }), 201);
  const p = ok(await invest.get(`/api/v1/parcels/${encodeURIComponent(code)}`));
  assert.equal(p.code, code);
  assert.equal(p.district, '小窑湾');
});

test('bundle kinds are data: listed publicly, set by an administrator, checked against the catalogue', async () => {
  const kinds = ok(await person.get('/api/v1/bundle-kinds'));
  const kb = kinds.find((k) => k.kind === 'kaiban');
  assert.deepEqual(kb.items, ['JP-KB-01', 'JP-KB-02', 'JP-KB-03', 'JP-KB-04', 'JP-KB-05', 'JP-KB-06']);
  assert.equal(kb.half_days, 1);
  assert.equal(kb.label, '企业开办');
  assert.equal(kinds.find((k) => k.kind === 'land').parcel, true);
  const before = await lastAuditId(auditor);
  assertError(assert, await admin.api('PUT', '/api/v1/bundle-kinds/pair', { label: '两证联办', half_days: 2, items: ['JP-CN-001', 'NO-SUCH'] }), 400, 'bundle.bad_items', 'items');
  assertError(assert, await admin.api('PUT', '/api/v1/bundle-kinds/pair', { label: '两证联办', half_days: 2, items: ['JP-CN-001', 'JP-CN-001'] }), 400, 'bundle.bad_items', 'items');
  assertError(assert, await admin.api('PUT', '/api/v1/bundle-kinds/Bad-Kind', { label: 'x', half_days: 1, items: ['JP-CN-001'] }), 400, 'bundle.bad_kind', 'kind');
  assertError(assert, await admin.api('PUT', '/api/v1/bundle-kinds/pair', { label: '两证联办', half_days: 99, items: ['JP-CN-001'] }), 400, 'request.out_of_range', 'half_days');
  assertError(assert, await clerk.api('PUT', '/api/v1/bundle-kinds/pair', { label: '两证联办', half_days: 2, items: ['JP-CN-001'] }), 403, 'auth.forbidden');
  assert.equal(await lastAuditId(auditor), before, 'refusals write nothing');
  const saved = ok(await admin.api('PUT', '/api/v1/bundle-kinds/pair', { label: '两证联办', half_days: 2, items: ['JP-CN-001', 'JP-JB-001'] }));
  assert.deepEqual(saved.items, ['JP-CN-001', 'JP-JB-001']);
  assert.equal(saved.label, '两证联办');
  // The new kind fans out at once, under a one-working-day clock.
  const materials = {};
  for (const c of saved.items) Object.assign(materials, (await materialsFor(ent, c)).materials);
  const b = ok(await ent.post('/api/v1/bundles', { kind: 'pair', materials, channel: 'online' }), 201);
  assert.deepEqual(b.children.map((c) => c.item), ['JP-CN-001', 'JP-JB-001']);
  assert.ok(b.remaining_ms > 0);
  assertError(assert, await ent.post('/api/v1/bundles', { kind: 'nope' }), 400, 'bundle.bad_kind', 'kind');
});

test('the state machine is published: each move names its states and roles', async () => {
  const m = ok(await (await srv.login('person')).get('/api/v1/cases/machine'));
  const approve = m.moves.find((x) => x.action === 'approve');
  assert.deepEqual(approve.roles.sort(), ['admin', 'approver']);
  assert.ok(approve.from.includes('accepted') && !approve.from.includes('submitted'));
  assert.equal(approve.to, 'approved');
  for (const mv of m.moves) for (const st of mv.from) assert.ok(m.states.some((x) => x.state === st), st);
});

test('bad filings are refused with a stable code and nothing written', async () => {
  const before = await lastAuditId(auditor);
  assertError(assert, await ent.post('/api/v1/cases', { item: 'NO-SUCH' }), 404, 'catalog.not_found');
  assertError(assert, await ent.post('/api/v1/cases', {}), 400, 'request.missing_field', 'item');
  assertError(assert, await ent.post('/api/v1/cases', { item: 'JP-CN-001', colour: 'red' }), 400, 'request.unknown_field', 'colour');
  assertError(assert, await ent.post('/api/v1/cases', { item: 'JP-CN-001', materials: { nope: 'a'.repeat(64) } }), 400, 'case.unknown_material', 'materials');
  const it = await item('JP-CN-001');
  const key = it.materials.find((m) => !m.source).key;
  assertError(assert, await ent.post('/api/v1/cases', { item: 'JP-CN-001', materials: { [key]: 'f'.repeat(64) } }), 400, 'case.material_not_uploaded', 'materials');
  assertError(assert, await ent.post('/api/v1/cases', { item: 'JP-CN-001', form: [] }), 400, 'request.bad_type', 'form');
  assertError(assert, await leader.post('/api/v1/cases', { item: 'JP-CN-001' }), 403, 'auth.forbidden');
  assert.equal(await lastAuditId(auditor), before, 'nothing audited');
});

test('the machine is the one source of labels: every state, move, step and procedure, in Chinese and English', async () => {
  const m = ok(await srv.api('GET', '/api/v1/cases/machine'));
  for (const x of [...m.states, ...m.moves, ...m.steps, ...m.procedures]) {
    assert.ok(hasChinese(x.label) && /[A-Za-z]/.test(x.label_en), JSON.stringify(x));
  }
  const actions = new Set([...m.moves, ...m.steps].map((x) => x.action));
  for (const a of ['create', 'lapse', 'task', 'rate', 'resume']) assert.ok(actions.has(a), a);
  assert.equal(m.moves.find((x) => x.action === 'resume').label, '解除挂起');
  assert.equal(m.procedures.find((x) => x.code === 'site_inspection').label, '现场勘验');
  // The case is one registered workflow among those the next domains add.
  const wf = ok(await srv.api('GET', '/api/v1/workflows')).items.find((w) => w.kind === 'case');
  assert.deepEqual({ states: wf.states, moves: wf.moves, steps: wf.steps }, { states: m.states, moves: m.moves, steps: m.steps });
  // Every step a case's timeline records has its label there.
  const { materials } = await materialsFor(ent, 'JP-CN-001');
  const c = ok(await ent.post('/api/v1/cases', { item: 'JP-CN-001', materials, submit: true }), 201);
  ok(await act(clerk, c.no, 'accept'));
  ok(await act(approver, c.no, 'start_special', { procedure: 'site_inspection' }));
  const v = ok(await clerk.get(`/api/v1/cases/${c.no}`));
  for (const t of v.timeline) assert.ok(actions.has(t.action), t.action);
  for (const mv of v.moves) assert.ok(mv.label && mv.label_en, JSON.stringify(mv));
});

test('filing for a party the registry does not hold is refused with case.unknown_party and writes nothing', async () => {
  const { materials } = await materialsFor(clerk, 'JP-CN-001');
  const before = await lastAuditId(auditor);
  assertError(assert, await clerk.post('/api/v1/cases', { item: 'JP-CN-001', party: makeUscc(), channel: 'window', materials, submit: true }),
    404, 'case.unknown_party', 'party');
  assert.equal(await lastAuditId(auditor), before);
});

test('a filing is decoded by its field table: wrong types and unknown fields are refused and write nothing', async () => {
  const before = await lastAuditId(auditor);
  const file = (body) => ent.post('/api/v1/cases', body);
  assertError(assert, await file({ submit: true }), 400, 'request.missing_field', 'item');
  assertError(assert, await file({ item: 'JP-CN-001', submit: 'yes' }), 400, 'request.bad_type', 'submit');
  assertError(assert, await file({ item: 'JP-CN-001', form: 'note' }), 400, 'request.bad_type', 'form');
  assertError(assert, await file({ item: 'JP-CN-001', materials: [] }), 400, 'request.bad_type', 'materials');
  assertError(assert, await file({ item: 'JP-CN-001', channel: 'telegraph' }), 400, 'request.too_long', 'channel');
  assertError(assert, await file({ item: 'JP-CN-001', colour: 'red' }), 400, 'request.unknown_field', 'colour');
  assert.equal(await lastAuditId(auditor), before);
});

test('a move\'s arguments are decoded by one table: unknown, mistyped or over-long ones are refused and write nothing', async () => {
  const { materials } = await materialsFor(ent, 'JP-CN-001');
  const c = ok(await ent.post('/api/v1/cases', { item: 'JP-CN-001', materials, submit: true }), 201);
  const before = await lastAuditId(auditor);
  assertError(assert, await act(clerk, c.no, 'accept', { colour: 'red' }), 400, 'request.unknown_field', 'colour');
  assertError(assert, await act(clerk, c.no, 'refuse', { reason: 42 }), 400, 'request.bad_type', 'reason');
  assertError(assert, await act(clerk, c.no, 'refuse', { reason: '理'.repeat(301) }), 400, 'request.too_long', 'reason');
  assertError(assert, await act(clerk, c.no, 'refuse', { reason: '   ' }), 400, 'request.missing_field', 'reason');
  assertError(assert, await act(clerk, c.no, 'request_correction', { deficiencies: '材料不清' }), 400, 'request.bad_type', 'deficiencies');
  assertError(assert, await act(clerk, c.no, 'accept_rongque', { promise_signed: 'yes' }), 400, 'request.bad_type', 'promise_signed');
  assert.equal(await lastAuditId(auditor), before);
  assert.equal(ok(await act(clerk, c.no, 'refuse', { reason: '  不属于本部门受理范围  ' })).state, 'refused');
});

test('审查意见: the approver\'s opinion goes into the timeline and onto the decision; an over-long one is refused and changes nothing', async () => {
  const { materials } = await materialsFor(ent, 'JP-CN-001');
  const c = ok(await ent.post('/api/v1/cases', { item: 'JP-CN-001', materials, submit: true }), 201);
  ok(await act(clerk, c.no, 'accept'));
  assertError(assert, await act(approver, c.no, 'approve', { opinion: '意'.repeat(501) }), 400, 'request.too_long', 'opinion');
  assert.equal(ok(await ent.get(`/api/v1/cases/${c.no}`)).state, 'accepted');
  const opinion = '经营场所与平面布局图一致，设备设施清单齐全，符合许可条件。';
  // Review is not blind: each uploaded material says what it is and who uploaded it, and the approver opens it.
  const mats = ok(await approver.get(`/api/v1/cases/${c.no}`)).materials.filter((m) => m.sha256);
  assert.ok(mats.length > 0);
  for (const m of mats) {
    assert.equal(m.mime, 'application/pdf');
    assert.equal(m.uploaded_by, ent.user.display || 'ent');
    assert.equal((await approver.get(`/api/v1/uploads/${m.sha256}`)).status, 200);
  }
  const a = ok(await act(approver, c.no, 'approve', { opinion }));
  const step = a.timeline.find((t) => t.action === 'approve');
  assert.equal(step.note.opinion, opinion);
  // The timeline names the official by name and department.
  assert.equal(step.actor_name, approver.user.display || 'approver');
  assert.equal(step.actor_dept, '行政审批局');
  const n = a.notices.find((x) => x.kind === 'approve');
  const pdf = await ent.get(`/api/v1/cases/${c.no}/notices/${n.id}/pdf`);
  assert.equal(pdf.status, 200);
  const f = path.join(os.tmpdir(), `op-${process.pid}-${Date.now()}.pdf`);
  fs.writeFileSync(f, pdf.bytes);
  const text = spawnSync('pdftotext', ['-enc', 'UTF-8', f, '-'], { encoding: 'utf8' }).stdout.replace(/\s+/g, '');
  fs.rmSync(f);
  assert.ok(text.includes(`审查意见：${opinion.slice(0, 20)}`), text); // the seal may overlap the line's end
  // 你单位 to an entity (你 to a person); the file is named by what it is.
  assert.ok(text.includes('你单位提出的') && !text.includes('你（单位）'), text);
  assert.ok(text.includes('大连金普新区行政审批局'), 'the issuing organ in full');
  const disp = pdf.headers.get('content-disposition');
  assert.equal(decodeURIComponent(disp.match(/filename\*=UTF-8''(.+)$/)[1]), `准予行政许可决定书-${c.no}.pdf`);
});

test('workbench search: by case number, applicant code or part of its name, item and the day of submission', async () => {
  const { materials } = await materialsFor(ent, 'JP-CN-001');
  const c = ok(await ent.post('/api/v1/cases', { item: 'JP-CN-001', materials, submit: true }), 201);
  const find = async (qs) => ok(await clerk.get(`/api/v1/cases?per_page=100&${qs}`)).items.map((x) => x.no);
  assert.deepEqual(await find(`q=${c.no.toLowerCase()}`), [c.no]);
  assert.ok((await find(`q=${ent.user.party}`)).includes(c.no));
  // party= is exactly one applicant (its code in either case), every one of its cases in scope and no other's.
  const mine = ok(await clerk.get(`/api/v1/cases?per_page=100&party=${ent.user.party.toLowerCase()}`));
  assert.ok(mine.items.some((x) => x.no === c.no) && mine.items.every((x) => x.party === ent.user.party), JSON.stringify(mine.items[0]));
  assert.equal(mine.total, ok(await clerk.get(`/api/v1/cases?per_page=1&q=${ent.user.party}`)).total);
  assert.deepEqual(await find(`party=${ent.user.party.slice(0, 10)}`), [], 'a part of a code is not the code');
  assertError(assert, await clerk.get(`/api/v1/cases?party=${'9'.repeat(51)}`), 400, 'request.bad_param', 'party');
  const part = c.party_name.slice(2, 6);
  const byName = ok(await clerk.get(`/api/v1/cases?per_page=100&q=${encodeURIComponent(part)}`));
  assert.ok(byName.items.every((x) => x.party_name.includes(part)) && byName.items.some((x) => x.no === c.no));
  const today = c.submitted_at.slice(0, 10);
  assert.ok((await find(`from=${today}&to=${today}&item=JP-CN-001`)).includes(c.no));
  assert.ok(!(await find(`to=2020-01-01`)).includes(c.no));
  assert.deepEqual(await find(`q=${encodeURIComponent('%')}`), [], 'a wildcard is a character, not a pattern');
  assertError(assert, await clerk.get('/api/v1/cases?from=2026-13-01'), 400, 'request.bad_param', 'from');
  // Another applicant finds nothing of it.
  assert.deepEqual(ok(await person.get(`/api/v1/cases?q=${c.no}`)).items, []);
  assert.deepEqual(ok(await person.get(`/api/v1/cases?party=${ent.user.party}`)).items, []);
});
