// audit.test.mjs — the audit log as an auditor sees it, and the hash chain:
// `xinqu audit verify` passes on an honest database and names the event
// after one row is changed behind the server's back.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, cleanup, assertError, entityBody, auditAfter, lastAuditId } from './lib.mjs';

let srv, clerk, auditor, admin;
before(async () => {
  srv = await startServer();
  clerk = await srv.login('clerk');
  auditor = await srv.login('auditor');
  admin = await srv.login('admin');
});
after(() => cleanup(srv));

test('the auditor sees an event for every write, with actor, action, object and chain hashes', async () => {
  const mark = await lastAuditId(auditor);
  const a = entityBody(), b = entityBody();
  assert.equal((await clerk.post('/api/v1/entities', a)).status, 201);
  assert.equal((await clerk.post('/api/v1/entities', b)).status, 201);
  assert.equal((await clerk.patch(`/api/v1/entities/${a.uscc}`, { district: '董家沟街道' })).status, 200);
  const ev = await auditAfter(auditor, mark);
  assert.deepEqual(ev.map((e) => [e.action, e.object, e.actor]), [
    ['entity.create', `entity:${a.uscc}`, 'clerk'],
    ['entity.create', `entity:${b.uscc}`, 'clerk'],
    ['entity.update', `entity:${a.uscc}`, 'clerk'],
  ]);
  assert.deepEqual(ev[2].detail.changes, { district: [a.district, '董家沟街道'] });
  for (let i = 0; i < ev.length; i++) {
    assert.match(ev[i].hash, /^[0-9a-f]{64}$/);
    assert.match(ev[i].at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$/, 'times in China time');
    if (i) assert.equal(ev[i].prev_hash, ev[i - 1].hash, 'each event names the one before');
    if (i) assert.ok(ev[i].id > ev[i - 1].id);
  }
  // Filters by action and object prefix.
  const onlyA = await auditAfter(auditor, mark, `&object=entity:${a.uscc}`);
  assert.deepEqual(onlyA.map((e) => e.action), ['entity.create', 'entity.update']);
  const updates = await auditAfter(auditor, mark, '&action=entity.update');
  assert.equal(updates.length, 1);
  // Prefixes match exactly: no wildcards, and case counts (on both backends).
  assert.equal((await auditAfter(auditor, mark, '&action=ENTITY')).length, 0);
  assert.equal((await auditAfter(auditor, mark, '&action=_')).length, 0);
  assert.equal((await auditAfter(auditor, mark, '&action=%25')).length, 0);
  // Logins are audited too: the attempt (recorded before the password is
  // checked, for throttling), then the session.
  const before = await lastAuditId(auditor);
  await srv.login('leader');
  const login = await auditAfter(auditor, before);
  assert.deepEqual(login.map((e) => e.action), ['session.login_attempt', 'session.login']);
  assert.equal(login[0].object, 'username:leader');
  assert.equal(login[1].actor, 'leader');
});

test('the whole chain from the first event links up', async () => {
  const all = await auditAfter(auditor, 0);
  assert.ok(all.length > 5);
  assert.equal(all[0].prev_hash, '0'.repeat(64));
  for (let i = 1; i < all.length; i++) assert.equal(all[i].prev_hash, all[i - 1].hash, `event ${all[i].id}`);
  // The demo pack's writes are there: departments, the entity import, accounts.
  const actions = new Set(all.map((e) => e.action));
  for (const a of ['department.import', 'entity.import', 'account.create']) assert.ok(actions.has(a), `${a} audited`);
});

test('paging and limits of GET /api/v1/audit', async () => {
  const first = await auditor.get('/api/v1/audit?limit=3');
  assert.equal(first.status, 200);
  assert.equal(first.body.items.length, 3);
  const next = await auditor.get(`/api/v1/audit?limit=3&after_id=${first.body.items[2].id}`);
  assert.ok(next.body.items[0].id > first.body.items[2].id);
  assertError(assert, await auditor.get('/api/v1/audit?limit=0'), 400, 'request.bad_param', 'limit');
  assertError(assert, await auditor.get('/api/v1/audit?limit=1001'), 400, 'request.bad_param', 'limit');
  assertError(assert, await auditor.get('/api/v1/audit?after_id=-1'), 400, 'request.bad_param', 'after_id');
  assertError(assert, await auditor.get('/api/v1/audit?after_id=abc'), 400, 'request.bad_param', 'after_id');
  assert.equal((await admin.get('/api/v1/audit?limit=1')).status, 200, 'administrators read the log too');
  assertError(assert, await clerk.get('/api/v1/audit'), 403, 'auth.forbidden');
});

test('`xinqu audit verify` passes while the server runs', async () => {
  const r = await srv.cliAsync(['audit', 'verify']);
  assert.equal(r.status, 0, r.stdout + r.stderr);
  const all = await auditAfter(auditor, 0);
  assert.match(r.stdout, new RegExp(`: ${all.length} events`), r.stdout);
});

// GET /api/v1/metrics: the server's own time to answer, per route, for
// auditors and administrators: counts that follow the requests made,
// percentiles read off the histogram it returns, and the writer's group
// commits (each write is one job; a commit carries one or more).
test('metrics count every answer per route and give server-side percentiles', async () => {
  const routeOf = (m, method, p) => m.routes.find((x) => x.method === method && x.path === p);
  const before = (await auditor.get('/api/v1/metrics')).body;
  assert.match(before.since, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$/);
  const had = routeOf(before, 'GET', '/api/v1/entities/{uscc}')?.count || 0;
  const a = entityBody();
  assert.equal((await clerk.post('/api/v1/entities', a)).status, 201);
  for (let i = 0; i < 7; i++) assert.equal((await clerk.get(`/api/v1/entities/${a.uscc}`)).status, 200);
  assert.equal((await clerk.get('/api/v1/entities/123')).status, 400, 'a refusal counts too');
  const r = await admin.get('/api/v1/metrics');
  assert.equal(r.status, 200, r.text);
  const get = routeOf(r.body, 'GET', '/api/v1/entities/{uscc}');
  assert.equal(get.count, had + 8);
  assert.equal(get.buckets.reduce((n, [, k]) => n + k, 0), get.count, 'the buckets hold every answer');
  for (let i = 1; i < get.buckets.length; i++) assert.ok(get.buckets[i][0] > get.buckets[i - 1][0]);
  assert.ok(get.p50_ms > 0 && get.p50_ms <= get.p90_ms && get.p90_ms <= get.p99_ms, JSON.stringify(get));
  // A percentile is a bucket's upper edge: at least the true value, at most
  // 12.5 % above the largest answer.
  assert.ok(get.p99_ms <= get.max_ms * 1.125 + 0.001, JSON.stringify(get));
  assert.ok(routeOf(r.body, 'POST', '/api/v1/entities').count >= 1);
  const w = r.body.writer;
  assert.ok(w.jobs >= before.writer.jobs + 1, 'the entity written is a job of the writer');
  assert.ok(w.commits > before.writer.commits && w.commits <= w.jobs, JSON.stringify(w));
  assert.equal(routeOf(r.body, 'GET', '/api/v1/openapi.json'), undefined, 'routes not called are left out');
  assertError(assert, await clerk.get('/api/v1/metrics'), 403, 'auth.forbidden');
});

test('after one row is changed directly in the database, `xinqu audit verify` fails and names it', async () => {
  const all = await auditAfter(auditor, 0);
  const victim = all.find((e) => e.action === 'entity.create' && e.id > all[Math.floor(all.length / 2)].id) ||
    all[Math.floor(all.length / 2)];
  const original = srv.db.query(`SELECT detail FROM audit_event WHERE id = ${victim.id}`);
  assert.ok(original.startsWith('{'), original);
  await srv.stop();
  srv.db.query(`UPDATE audit_event SET detail = '{"name":"篡改"}' WHERE id = ${victim.id}`);
  const r = await srv.cliAsync(['audit', 'verify']);
  assert.notEqual(r.status, 0, `verify must fail after tampering: ${r.stdout}${r.stderr}`);
  assert.match(r.stderr, new RegExp(`event ${victim.id}\\b`), r.stderr);
  assert.match(r.stderr, new RegExp(`事件 ${victim.id}\\b`), 'in Chinese too');
  // Put it back and the chain is whole again; delete a row and the next is named.
  srv.db.query(`UPDATE audit_event SET detail = '${original.replace(/'/g, "''")}' WHERE id = ${victim.id}`);
  const fixed = await srv.cliAsync(['audit', 'verify']);
  assert.equal(fixed.status, 0, `restoring the row makes the chain whole: ${fixed.stderr}`);
  srv.db.query(`DELETE FROM audit_event WHERE id = ${victim.id}`);
  const gone = await srv.cliAsync(['audit', 'verify']);
  assert.notEqual(gone.status, 0);
  const nextId = all.find((e) => e.id > victim.id).id;
  assert.match(gone.stderr, new RegExp(`event ${nextId}\\b`), gone.stderr);
});
