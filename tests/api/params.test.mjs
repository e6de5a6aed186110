// params.test.mjs — effective-dated parameters: what a deployment or a law
// sets (the case number's prefix, the notice number's format, the bar after
// a broken promise, the clock's warning point, the wording of each notice by
// item kind) is data with versions, read as of a day, changed only by adding
// a version from today on, with its audit event.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, cleanup, assertError, auditAfter, lastAuditId, todayCN } from './lib.mjs';

let srv, admin, clerk, approver, auditor, ent, policy;
before(async () => {
  srv = await startServer();
  [admin, clerk, approver, auditor, ent, policy] = await Promise.all(
    ['admin', 'clerk', 'approver', 'auditor', 'ent', 'policy'].map((u) => srv.login(u)));
});
after(() => cleanup(srv));

function ok(r, status = 200) {
  assert.equal(r.status, status, r.text);
  return r.body;
}

const pdf = () => Buffer.from(`%PDF-1.4\n% ${Math.random()}\n%%EOF\n`);

// fileAndDecide(code) files item code for the demo entity with every
// material, takes it to a decision by hand and returns the case.
async function fileAndDecide(code, decision = 'approve', extra = {}) {
  const it = ok(await clerk.get(`/api/v1/items/${code}`));
  const materials = {};
  for (const m of it.materials) {
    if (m.source) continue;
    const u = await ent.post('/api/v1/uploads', pdf(), { headers: { 'Content-Type': 'application/pdf' } });
    materials[m.key] = u.body.sha256;
  }
  const c = ok(await ent.post('/api/v1/cases', { item: code, materials, submit: true }), 201);
  if (c.state === 'submitted') ok(await clerk.post(`/api/v1/cases/${c.no}/actions/accept`, {}));
  return ok(await approver.post(`/api/v1/cases/${c.no}/actions/${decision}`, extra));
}

async function noticeText(c, kind) {
  const n = c.notices.find((x) => x.kind === kind);
  assert.ok(n, JSON.stringify(c.notices));
  const res = await ent.api('GET', `/api/v1/cases/${c.no}/notices/${n.id}/pdf`, undefined, { raw: true });
  assert.equal(res.status, 200);
  const bytes = Buffer.from(await res.arrayBuffer());
  return { number: n.number, text: execFileSync('pdftotext', ['-', '-'], { input: bytes }).toString('utf8').replace(/\s+/g, '') };
}

// An item of the demo catalogue of kind, decided by people (no 秒批 rule, not 即办).
async function itemOfKind(kind) {
  const r = ok(await clerk.get(`/api/v1/items?kind=${encodeURIComponent(kind)}&per_page=100`));
  const it = r.items.find((x) => x.handling !== 'instant' && !x.rule && x.channels.includes('online') &&
    !x.materials.some((m) => m.source === 'registry.person'));
  assert.ok(it, `an item of kind ${kind}: ${JSON.stringify(r.items.slice(0, 2))}`);
  return it.code;
}

test('the values the engine used to compile in are parameters, listed with their versions', async () => {
  const all = ok(await clerk.get('/api/v1/params?scope=cases')).items;
  const byKey = Object.fromEntries(all.map((p) => [p.key, p.versions]));
  assert.deepEqual(byKey.case_number_prefix.map((v) => v.value), ['JP']);
  assert.equal(byKey.promise_bar_days[0].value, 183);
  assert.equal(byKey.warn_left_pct[0].value, 25);
  assert.equal(byKey.registering_outputs, undefined, 'what an item does to the registry is the item\'s (registry_effect)');
  assert.equal(byKey.notice_number[0].effective_to, null, 'open-ended');
  const notices = ok(await policy.get('/api/v1/params?scope=notice')).items;
  assert.ok(notices.some((p) => p.key === 'approve:行政给付'));
  assertError(assert, await ent.get('/api/v1/params'), 403, 'auth.forbidden');
});

test('a decision of a 行政给付 item is a 给付决定书 that cites no 行政许可法; a permit still cites it', async () => {
  const gf = await fileAndDecide(await itemOfKind('行政给付'));
  const g = await noticeText(gf, 'approve');
  assert.match(g.text, /给付决定书/);
  assert.match(g.text, /决定予以给付/);
  assert.doesNotMatch(g.text, /行政许可/);
  const xk = await fileAndDecide('JP-CN-001');
  const x = await noticeText(xk, 'approve');
  assert.match(x.text, /准予行政许可决定书/);
  assert.match(x.text, /行政许可法》第三十八条第一款/);
  const code = ok(await clerk.get('/api/v1/items/JP-CN-001')).dept_code;
  const dept = ok(await clerk.get('/api/v1/departments')).items.find((d) => d.code === code);
  assert.ok(dept.notice_prefix, JSON.stringify(dept));
  assert.equal(x.number, `${dept.notice_prefix}〔${todayCN().slice(0, 4)}〕准字第${x.number.match(/第(\d{6})号$/)[1]}号`);
});

// seqs(c) are the sequence numbers of case c's notices, in the order written.
const seqs = (c) => [...c.notices].sort((a, b) => a.id - b.id).map((n) => Number(n.number.match(/第(\d{6})号$/)[1]));
const follows = (a, b) => [...a, ...b].every((n, i, all) => i === 0 || n === all[i - 1] + 1);

test('each department numbers its notices under its own prefix, in its own sequence of the year', async () => {
  const depts = ok(await clerk.get('/api/v1/departments')).items;
  const other = await itemOfKind('行政给付');
  const [ia, ib] = await Promise.all(['JP-CN-001', other].map(async (c) => ok(await clerk.get(`/api/v1/items/${c}`))));
  assert.notEqual(ia.dept_code, ib.dept_code, 'two departments');
  // Cases of the two departments in turn: each department's numbers go on
  // from its own last one, whatever the other department numbered between.
  const a1 = await fileAndDecide(ia.code), b1 = await fileAndDecide(ib.code);
  const a2 = await fileAndDecide(ia.code), b2 = await fileAndDecide(ib.code);
  assert.ok(follows(seqs(a1), seqs(a2)), JSON.stringify([a1.notices, a2.notices]));
  assert.ok(follows(seqs(b1), seqs(b2)), JSON.stringify([b1.notices, b2.notices]));
  for (const [c, it] of [[a2, ia], [b2, ib]]) {
    const prefix = depts.find((d) => d.code === it.dept_code).notice_prefix;
    for (const n of c.notices) assert.ok(n.number.startsWith(`${prefix}〔${todayCN().slice(0, 4)}〕`), n.number);
  }
});

test('adding a version changes what comes next and nothing before; the past cannot be rewritten', async () => {
  const today = todayCN();
  const before = await lastAuditId(auditor);
  const first = await fileAndDecide('JP-CN-001');
  assert.match(first.no, /^JP\d{14}$/);
  // Refusals write nothing.
  assertError(assert, await admin.api('PUT', '/api/v1/params/cases/case_number_prefix', { value: 'XQ', effective_from: todayCN(-1) }), 400, 'param.in_the_past', 'effective_from');
  assertError(assert, await admin.api('PUT', '/api/v1/params/cases/case_number_prefix', { value: 'XQ', effective_from: '2026-13-01' }), 400, 'request.bad_date', 'effective_from');
  assertError(assert, await admin.api('PUT', '/api/v1/params/cases/case_number_prefix', { effective_from: today }), 400, 'request.missing_field', 'value');
  assertError(assert, await clerk.api('PUT', '/api/v1/params/cases/case_number_prefix', { value: 'XQ', effective_from: today }), 403, 'auth.forbidden');
  // A talent policy's parameters go only through the talent department's own route (its kinds, ranges and what-if).
  assertError(assert, await admin.api('PUT', '/api/v1/params/talent.housing/double_first_class_pct', { value: 101, effective_from: todayCN(30) }), 400, 'param.owned', 'scope');
  assert.equal((await auditAfter(auditor, before, '&action=param.set')).length, 0);
  // A new prefix from today on: the next case takes it, the first keeps its number.
  const p = ok(await admin.api('PUT', '/api/v1/params/cases/case_number_prefix', { value: 'XQ', effective_from: today }));
  assert.deepEqual(p.versions.map((v) => [v.value, v.effective_from, v.effective_to]),
    [['JP', '2000-01-01', todayCN(-1)], ['XQ', today, null]]);
  const second = await fileAndDecide('JP-CN-001');
  assert.match(second.no, /^XQ\d{14}$/);
  assert.equal(ok(await clerk.get(`/api/v1/cases/${first.no}`)).no, first.no);
  // A version in force is not replaced, not even from the same day.
  assertError(assert, await admin.api('PUT', '/api/v1/params/cases/case_number_prefix', { value: 'ZZ', effective_from: today }), 409, 'param.before_newest');
  // A value for the future may be set ahead, and corrected before it starts.
  ok(await admin.api('PUT', '/api/v1/params/cases/case_number_prefix', { value: 'ZA', effective_from: todayCN(30) }));
  const fut = ok(await admin.api('PUT', '/api/v1/params/cases/case_number_prefix', { value: 'ZB', effective_from: todayCN(30) }));
  assert.deepEqual(fut.versions.map((v) => v.value), ['JP', 'XQ', 'ZB']);
  assert.match((await fileAndDecide('JP-CN-001')).no, /^XQ/, 'a future value is not in force yet');
  const audit = await auditAfter(auditor, before, '&action=param.set');
  assert.equal(audit.length, 3);
  assert.equal(audit[0].object, 'param:cases/case_number_prefix');
});

test('the notice number format and a notice wording are versions too', async () => {
  const today = todayCN();
  ok(await admin.api('PUT', '/api/v1/params/cases/notice_number', { value: '测试〔{year}〕{mark}第{seq6}号', effective_from: today }));
  const wording = { title: '准予行政许可决定书', mark: '许', body: '经审查，“{item}”（{case_no}）符合法定条件，准予行政许可。' };
  ok(await admin.api('PUT', `/api/v1/params/notice/${encodeURIComponent('approve:行政许可')}`, { value: wording, effective_from: today }));
  const c = await fileAndDecide('JP-CN-001');
  const n = await noticeText(c, 'approve');
  assert.match(n.number, /^测试〔\d{4}〕许第\d{6}号$/);
  // (pdftotext may read the seal into the middle of a line: check the pieces.)
  assert.ok(n.text.includes(`（${c.no}）`), n.text);
  assert.match(n.text, /准予行政许可。/);
  assert.doesNotMatch(n.text, /第三十八条/, 'the new wording, not the old');
  assertError(assert, await admin.api('PUT', '/api/v1/params/notice/a b', { value: 1, effective_from: today }), 400, 'param.bad_name', 'key');
});
