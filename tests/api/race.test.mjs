// race.test.mjs — two servers on one database (PostgreSQL in api-pg, one
// SQLite file in api-sqlite), as behind a load balancer, racing each other:
// conflicting moves on one case, the same move twice, the deadline scan run
// by both at once (and against a supplement), a land contract recorded on
// both, and bundles filed on both. Every race must have exactly one winner;
// the loser gets 409 and nothing of its own is written; the audit chain
// verifies afterwards.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, cleanup, Server, assertError, entityBody } from './lib.mjs';

let one, two;      // the two servers
const a = {};      // clients of server one, by demo user
const b = {};      // clients of server two
before(async () => {
  one = await startServer();
  one.startedAt = Date.now();
  two = new Server(one.db);
  await two.start();
  for (const u of ['ent', 'clerk', 'approver', 'admin', 'invest', 'auditor']) {
    [a[u], b[u]] = await Promise.all([one.login(u), two.login(u)]);
  }
});
after(async () => {
  if (two) await two.kill();
  await cleanup(one);
});

function pdf(tag) {
  return Buffer.from(`%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n% ${tag}\ntrailer<</Root 1 0 R>>\n%%EOF\n`);
}

// materials(code, skip) uploads one file per material the item asks for
// (except those in skip and those the registry supplies) and returns them.
async function materials(code, skip = []) {
  const it = (await a.ent.get(`/api/v1/items/${code}`)).body;
  const out = {};
  for (const m of it.materials) {
    if (skip.includes(m.key) || m.source === 'registry.entity') continue;
    const r = await a.ent.post('/api/v1/uploads', pdf(`${code}-${m.key}-${Math.random()}`), { headers: { 'Content-Type': 'application/pdf' } });
    assert.equal(r.status, 201, r.text);
    out[m.key] = r.body.sha256;
  }
  return { it, materials: out };
}

async function file(body) {
  const r = await a.ent.post('/api/v1/cases', { submit: true, ...body });
  assert.equal(r.status, 201, r.text);
  return r.body;
}

const act = (client, no, action, body = {}) => client.post(`/api/v1/cases/${no}/actions/${action}`, body);

function ok(r) {
  assert.equal(r.status, 200, r.text);
  return r.body;
}

// oneWinner(results) asserts that exactly one answer is 200 and every other
// a 409 refusal with a JSON error whose code is in codes; returns the
// winner's index and the losers' codes.
function oneWinner(results, codes) {
  const won = results.filter((r) => r.status === 200);
  assert.equal(won.length, 1, `exactly one winner: ${results.map((r) => `${r.status} ${r.text.slice(0, 160)}`).join(' | ')}`);
  const lost = results.filter((r) => r.status !== 200).map((r) => assertError(assert, r, 409, r.body?.error?.code).code);
  for (const c of lost) assert.ok(codes.includes(c), `loser's code ${c} in ${codes}`);
  return { winner: results.findIndex((r) => r.status === 200), lost };
}

const ROUNDS = 20;

test('accept on one server and refuse on the other: one wins, the timeline and notices hold only its move', async () => {
  const { materials: m } = await materials('JP-CN-001');
  const cases = [];
  for (let i = 0; i < ROUNDS; i++) cases.push(await file({ item: 'JP-CN-001', materials: m }));
  for (const c of cases) {
    const rs = await Promise.all([act(a.clerk, c.no, 'accept'), act(b.clerk, c.no, 'refuse', { reason: '申请材料与事项不符' })]);
    const { winner } = oneWinner(rs, ['case.conflict', 'case.bad_state']);
    const now = (await a.clerk.get(`/api/v1/cases/${c.no}`)).body;
    assert.equal(now.state, winner === 0 ? 'accepted' : 'refused');
    const moves = now.timeline.map((t) => t.action).filter((x) => x === 'accept' || x === 'refuse');
    assert.deepEqual(moves, [winner === 0 ? 'accept' : 'refuse'], JSON.stringify(now.timeline));
    const kinds = now.notices.map((n) => n.kind).filter((k) => k === 'accept' || k === 'refuse');
    assert.deepEqual(kinds, [winner === 0 ? 'accept' : 'refuse'], JSON.stringify(now.notices));
  }
  // The refusal that lost reads the current state in its message.
  const c = await file({ item: 'JP-CN-001', materials: m });
  const seen = (await a.clerk.get(`/api/v1/cases/${c.no}`)).body.version;
  ok(await act(a.clerk, c.no, 'accept', { version: seen }));
  const e = assertError(assert, await act(b.clerk, c.no, 'request_correction', { version: seen, deficiencies: ['x'] }), 409, 'case.conflict');
  assert.match(e.message, /已受理/);
  assert.match(e.message_en, /accepted/);
  assertError(assert, await act(b.approver, c.no, 'start_review', { version: 'old' }), 400, 'request.bad_type', 'version');
});

test('a move naming the version it saw: the loser of a race always gets case.conflict', async () => {
  const { materials: m } = await materials('JP-CN-001');
  for (let i = 0; i < ROUNDS / 2; i++) {
    const c = await file({ item: 'JP-CN-001', materials: m });
    ok(await act(a.clerk, c.no, 'accept'));
    const v = (await a.approver.get(`/api/v1/cases/${c.no}`)).body.version;
    // Both moves are allowed from 'accepted': only the version tells them apart.
    const rs = await Promise.all([act(a.approver, c.no, 'start_review', { version: v }),
      act(b.approver, c.no, 'suspend', { version: v, reason: '等待外部鉴定' })]);
    const { winner } = oneWinner(rs, ['case.conflict']);
    const now = (await a.approver.get(`/api/v1/cases/${c.no}`)).body;
    assert.equal(now.state, winner === 0 ? 'review' : 'suspended');
    assert.equal(now.version, v + 1);
  }
});

test('the same move on both servers: one answer 200, one 409, one timeline event', async () => {
  const { materials: m } = await materials('JP-CN-001');
  for (let i = 0; i < ROUNDS; i++) {
    const c = await file({ item: 'JP-CN-001', materials: m });
    oneWinner(await Promise.all([act(a.clerk, c.no, 'accept'), act(b.clerk, c.no, 'accept')]), ['case.conflict', 'case.bad_state']);
    const now = (await a.clerk.get(`/api/v1/cases/${c.no}`)).body;
    assert.equal(now.timeline.filter((t) => t.action === 'accept').length, 1);
    assert.equal(now.notices.filter((n) => n.kind === 'accept').length, 1);
  }
});

test('the deadline scan on both servers at once: each case flagged or ended once, each department told once', async () => {
  const db = one.db;
  const { it, materials: full } = await materials('JP-CN-001');
  const optional = it.materials.filter((x) => !x.core && x.may_miss).map((x) => x.key);
  const { materials: partial } = await materials('JP-CN-001', optional);
  const late = [], lapsing = [], raced = [];
  for (let i = 0; i < 12; i++) {
    const c = await file({ item: 'JP-CN-001', materials: full });
    ok(await act(a.clerk, c.no, 'accept'));
    late.push(c.no);
  }
  for (let i = 0; i < 16; i++) {
    const c = await file({ item: 'JP-CN-001', materials: partial, rongque_promise: true });
    ok(await act(a.clerk, c.no, 'accept_rongque'));
    (i < 10 ? lapsing : raced).push(c.no);
  }
  const list = (nos) => nos.map((n) => `'${n}'`).join(',');
  // Their clocks ran out long ago, as far as the scan can tell.
  db.query(`UPDATE case_file SET warn_at = 1000, deadline_at = 2000 WHERE case_no IN (${list(late)})`);
  db.query(`UPDATE case_file SET supplement_due_at = 3000 WHERE case_no IN (${list([...lapsing, ...raced])})`);
  const noticesBefore = Number(db.query("SELECT COUNT(*) FROM outbox WHERE dept_id <> 0"));
  // Both servers scan twice at once; meanwhile the applicant supplements the raced cases.
  const supp = {};
  for (const k of optional) supp[k] = full[k];
  const rs = await Promise.all([
    a.admin.post('/api/v1/sla/scan'), b.admin.post('/api/v1/sla/scan'),
    ...raced.map((no, i) => act(i % 2 ? a.ent : b.ent, no, 'supplement', { materials: supp })),
    a.admin.post('/api/v1/sla/scan'), b.admin.post('/api/v1/sla/scan'),
  ]);
  const scans = [rs[0], rs[1], rs[rs.length - 2], rs[rs.length - 1]];
  for (const r of scans) assert.equal(r.status, 200, r.text);
  // The department's overdue list holds every late case, page by page.
  const pages = [1, 2, 3].map((p) => `/api/v1/sla/overdue?dept=${it.dept_code}&per_page=5&page=${p}`);
  const od = await Promise.all(pages.map(async (p) => ok(await a.approver.get(p))));
  assert.equal(od[0].total, late.length);
  assert.deepEqual(od.map((x) => x.items.length), [5, 5, late.length - 10]);
  assert.deepEqual(new Set(od.flatMap((x) => x.items.map((c) => c.no))), new Set(late));
  // Each late case is flagged once; the department hears of each case once.
  assert.equal(Number(db.query(`SELECT COUNT(*) FROM case_file WHERE overdue = 1 AND warned = 1 AND case_no IN (${list(late)})`)), late.length);
  const told = db.query("SELECT title FROM outbox WHERE dept_id <> 0 ORDER BY id").split('\n').slice(noticesBefore);
  const count = (what) => told.filter((t) => t.endsWith(what)).reduce((n, t) => n + Number(/^(\d+) /.exec(t)[1]), 0);
  const overdueAll = Number(db.query('SELECT COUNT(*) FROM case_file WHERE overdue = 1'));
  assert.equal(count('已超期'), overdueAll, told.join('\n'));
  assert.equal(count('即将到期'), Number(db.query('SELECT COUNT(*) FROM case_file WHERE warned = 1')), told.join('\n'));
  // Each lapsing case is ended once, with one broken promise.
  for (const no of lapsing) {
    const c = (await a.clerk.get(`/api/v1/cases/${no}`)).body;
    assert.equal(c.state, 'terminated');
    assert.equal(c.timeline.filter((t) => t.action === 'lapse').length, 1, no);
  }
  // A raced case was either supplemented in time or ended, never both.
  for (const [i, no] of raced.entries()) {
    const c = (await a.clerk.get(`/api/v1/cases/${no}`)).body;
    const supplemented = rs[2 + i].status === 200;
    const acts = c.timeline.map((t) => t.action);
    if (supplemented) {
      assert.notEqual(c.state, 'terminated', no);
      assert.deepEqual(c.missing, []);
      assert.ok(!acts.includes('lapse'), JSON.stringify(acts));
    } else {
      assertError(assert, rs[2 + i], 409, rs[2 + i].body.error.code);
      assert.equal(c.state, 'terminated', no);
      assert.ok(!acts.includes('supplement'), JSON.stringify(acts));
    }
  }
  const ended = Number(db.query(`SELECT COUNT(*) FROM case_file WHERE state = 'terminated' AND case_no IN (${list([...lapsing, ...raced])})`));
  const promises = db.query(`SELECT case_id FROM broken_promise WHERE case_id IN (SELECT id FROM case_file WHERE case_no IN (${list([...lapsing, ...raced])}))`).split('\n').filter(Boolean);
  assert.equal(promises.length, ended, 'one broken promise per ended case');
  assert.equal(new Set(promises).size, ended);
});

test('a land contract recorded on both servers at once: one records it and issues each permit once', async () => {
  const code = `DL-R${Date.now() % 1000000}`;
  assert.equal((await a.invest.post('/api/v1/parcels', { code, name: '竞争测试地块', district: '小窑湾' })).status, 201);
  const m = {};
  for (const c of ['JP-ZX-01', 'JP-ZX-02', 'JP-ZX-03']) Object.assign(m, (await materials(c)).materials);
  const bu = await a.ent.post('/api/v1/bundles', { kind: 'land', parcel: code, materials: m });
  assert.equal(bu.status, 201, bu.text);
  for (const ch of bu.body.children) {
    ok(await act(a.clerk, ch.no, 'accept'));
    ok(await act(b.approver, ch.no, 'approve'));
  }
  const body = { contract_no: '大金土出〔2026〕99号', holder: a.ent.user.party };
  const rs = await Promise.all([a.invest.post(`/api/v1/parcels/${code}/contract`, body), b.invest.post(`/api/v1/parcels/${code}/contract`, body)]);
  const { winner } = oneWinner(rs, ['parcel.not_prereview']);
  assert.equal(rs[winner].body.issued, 3);
  for (const ch of bu.body.children) {
    const c = (await a.clerk.get(`/api/v1/cases/${ch.no}`)).body;
    assert.equal(c.state, 'issued');
    assert.equal(c.timeline.filter((t) => t.action === 'issue').length, 1);
  }
});

test('bundles filed on both servers at once all stand, each child once; their moves race as any case does', async () => {
  const m = {};
  for (const c of ['JP-ZX-01', 'JP-ZX-02', 'JP-ZX-03']) Object.assign(m, (await materials(c)).materials);
  const parcels = [];
  for (let i = 0; i < 4; i++) {
    const code = `DL-B${Date.now() % 1000000}-${i}`;
    assert.equal((await a.invest.post('/api/v1/parcels', { code, name: '并发一件事地块' })).status, 201);
    parcels.push(code);
  }
  const rs = await Promise.all(parcels.map((p, i) => (i % 2 ? b.ent : a.ent).post('/api/v1/bundles', { kind: 'land', parcel: p, materials: m })));
  for (const r of rs) assert.equal(r.status, 201, r.text);
  const nos = rs.flatMap((r) => r.body.children.map((ch) => ch.no));
  assert.equal(nos.length, 12);
  assert.equal(new Set(nos).size, 12, 'every child has a number of its own');
  for (const no of nos) oneWinner(await Promise.all([act(a.clerk, no, 'accept'), act(b.clerk, no, 'accept')]), ['case.conflict', 'case.bad_state']);
});

test('the periodic scan runs once a period over both servers, and says what it did', async () => {
  // Both servers ask at start and every few seconds; one claims each minute's run.
  for (const c of [a.admin, b.auditor]) {
    const r = ok(await c.get('/api/v1/schedule'));
    const scan = r.items.find((j) => j.name === 'sla.scan');
    assert.ok(scan, JSON.stringify(r));
    assert.equal(scan.period_s, 60);
    assert.ok(scan.runs >= 1, 'a server ran it when it started');
    assert.ok(Date.parse(scan.next_at) > Date.parse(scan.last_started_at), JSON.stringify(scan));
    // One run at start, then one a minute (2 s of slack for the first claim): twice that if both ran it.
    const due = Math.floor((Date.now() - one.startedAt + 2000) / 60000) + 1;
    assert.ok(scan.runs <= due, `${scan.runs} runs where ${due} were due: ${JSON.stringify(scan)}`);
    assert.equal(scan.last_error, null);
    for (const k of ['warned', 'overdue', 'lapsed']) assert.equal(typeof scan.last_report[k], 'number', JSON.stringify(scan));
  }
  assert.equal(Number(one.db.query("SELECT COUNT(*) FROM schedule_run WHERE name = 'sla.scan'")), 1);
  assertError(assert, await a.clerk.get('/api/v1/schedule'), 403, 'auth.forbidden');
});

test('after the races the audit chain verifies, and every server still answers', async () => {
  const r = await one.cliAsync(['audit', 'verify']);
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.equal((await fetch(`${one.base}/healthz`)).status, 200);
  assert.equal((await fetch(`${two.base}/healthz`)).status, 200);
  const en = entityBody();
  assert.equal((await b.clerk.post('/api/v1/entities', en)).status, 201);
  assert.equal((await a.clerk.get(`/api/v1/entities/${en.uscc}`)).status, 200, 'a write on one server is read on the other');
});
