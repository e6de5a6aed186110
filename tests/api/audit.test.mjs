// audit.test.mjs — the audit log as an auditor sees it, and the hash chain:
// `xinqu audit verify` passes on an honest database and names the event
// after one row is changed behind the server's back.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, cleanup, assertError, entityBody, auditAfter, lastAuditId, Server, DB_KIND, sleep } from './lib.mjs';

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
  // An answer is counted once handed to the kernel, which may be just after
  // the client has read it: the count may take a moment to reach the last one.
  let r, get;
  for (let k = 0; k < 40; k++) {
    r = await admin.get('/api/v1/metrics');
    assert.equal(r.status, 200, r.text);
    get = routeOf(r.body, 'GET', '/api/v1/entities/{uscc}');
    if (get.count >= had + 8) break;
    await sleep(25);
  }
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

// ---------------------------------------------------------------------------
// The head of the chain, anchored outside the database (issue 12). The chain
// alone cannot show that its newest events were deleted: what is left still
// links up. Signed checkpoints (the newest event, its hash, the count of
// events up to it) are kept in the database, in a head file the database's
// owner does not control, in the log, and by the operator (`xinqu audit
// head`); `xinqu audit verify` requires the chain to hold every one of them.

// An Ed25519 public key (32 bytes, hex) as a KeyObject for node:crypto.
const ed25519Key = (hex) => crypto.createPublicKey({
  key: Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), Buffer.from(hex, 'hex')]),
  format: 'der', type: 'spki',
});
const HEAD_RE = /^xinqu-audit-head v1 event=(\d+) count=(\d+) hash=([0-9a-f]{64}) at=(\S+) key=(\d+) sig=([0-9a-f]{128})$/;

let hs, hdir, headFile;
const headLines = () => fs.readFileSync(headFile, 'utf8').split('\n').filter((l) => l);
const verify = (...extra) => hs.cliAsync(['audit', 'verify', '--audit-head', headFile, ...extra]);
// keepEvents() copies the events (or the checkpoints) aside; restore() puts them back.
function keep(table) {
  hs.db.query(`DROP TABLE IF EXISTS keep_${table}`);
  hs.db.query(`CREATE TABLE keep_${table} AS SELECT * FROM ${table}`);
}
function restore(table) {
  hs.db.query(`DELETE FROM ${table}`);
  hs.db.query(`INSERT INTO ${table} SELECT * FROM keep_${table}`);
}
const intact = async (what) => {
  const r = await verify();
  assert.equal(r.status, 0, `${what}: ${r.stdout}${r.stderr}`);
  assert.match(r.stdout, /审计链完整 \/ audit chain intact: \d+ events, [1-9]\d* checkpoints/, r.stdout);
  return r;
};

test('checkpoints: at start, on shutdown and on demand; signed; in the database, the head file, the log and the API', async () => {
  hdir = fs.mkdtempSync(path.join(os.tmpdir(), 'xinqu-head-'));
  headFile = path.join(hdir, 'audit.head');
  hs = await startServer({ extraArgs: ['--audit-head', headFile] });
  const hAuditor = await hs.login('auditor'), hClerk = await hs.login('clerk');
  // At start the server signs the head it finds.
  const r = await hAuditor.get('/api/v1/audit/head');
  assert.equal(r.status, 200, r.text);
  const h = r.body;
  const m = HEAD_RE.exec(h.line);
  assert.ok(m, h.line);
  assert.deepEqual([Number(m[1]), Number(m[2]), m[3], Number(m[5]), m[6]], [h.event_id, h.events, h.hash, h.key_id, h.signature]);
  assert.match(h.at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$/, 'times in China time');
  assert.equal(Date.parse(h.at), Math.floor(Date.parse(m[4]) / 1000) * 1000, 'the line has the same instant, in UTC');
  // An auditor checks the signature without xinqu: Ed25519 over the line up to " key=".
  const signed = Buffer.from(h.line.slice(0, h.line.indexOf(' key=')));
  assert.ok(crypto.verify(null, signed, ed25519Key(h.public_key), Buffer.from(h.signature, 'hex')), 'the signature holds');
  assert.ok(!crypto.verify(null, Buffer.from(h.line.slice(0, h.line.indexOf(' key=')).replace(/count=\d+/, 'count=1')),
    ed25519Key(h.public_key), Buffer.from(h.signature, 'hex')), 'and covers the count');
  const events = await auditAfter(hAuditor, 0);
  const mine = events.find((e) => e.id === h.event_id);
  assert.ok(mine, 'the checkpoint names an event of the chain');
  assert.equal(mine.hash, h.hash);
  assert.equal(events.filter((e) => e.id <= h.event_id).length, h.events);
  assert.deepEqual(headLines(), [h.line], 'the head file holds the same line');
  assert.ok(hs.log.includes(`audit head: ${h.line}`), 'and the log');
  assertError(assert, await hClerk.get('/api/v1/audit/head'), 403, 'auth.forbidden');
  // `xinqu audit head` signs the head now; asked again with nothing new, it gives the same line.
  assert.equal((await hClerk.post('/api/v1/entities', entityBody())).status, 201);
  const a = await hs.cliAsync(['audit', 'head', '--audit-head', headFile]);
  assert.equal(a.status, 0, a.stderr);
  const line = a.stdout.trim();
  const am = HEAD_RE.exec(line);
  assert.ok(am, line);
  assert.equal(Number(am[1]), await lastAuditId(hAuditor));
  assert.equal(Number(am[2]), h.events + (Number(am[1]) - h.event_id), 'the count follows the chain');
  const again = await hs.cliAsync(['audit', 'head', '--audit-head', headFile]);
  assert.equal(again.stdout.trim(), line);
  assert.deepEqual(headLines(), [h.line, line]);
  // On shutdown the server signs the head it leaves.
  assert.equal((await hClerk.post('/api/v1/entities', entityBody())).status, 201);
  const last = await lastAuditId(hAuditor);
  await hs.stop();
  const lines = headLines();
  assert.equal(lines.length, 3);
  assert.equal(Number(HEAD_RE.exec(lines[2])[1]), last, 'the shutdown checkpoint records the newest event');
  assert.ok(hs.log.includes(`audit head: ${lines[2]}`));
  const v = await intact('untouched');
  assert.match(v.stdout, new RegExp(`newest: event ${last}\\b`), v.stdout);
  // The operator's copy of a line is checked too.
  const op = await verify('--head', line);
  assert.equal(op.status, 0, op.stderr);
});

test('deleting the newest 500 events is reported as truncation, naming the checkpoint', async () => {
  await hs.restart();
  const c = await hs.login('clerk');
  for (let i = 0; i < 26; i++) {
    const rs = await Promise.all(Array.from({ length: 20 }, () => c.post('/api/v1/entities', entityBody())));
    for (const x of rs) assert.equal(x.status, 201, x.text);
  }
  await hs.stop();
  const newest = Number(hs.db.query('SELECT MAX(id) FROM audit_event'));
  await intact('before');
  keep('audit_event');
  hs.db.query('DELETE FROM audit_event WHERE id IN (SELECT id FROM audit_event ORDER BY id DESC LIMIT 500)');
  const r = await verify();
  assert.notEqual(r.status, 0, `deleting the newest 500 events must be found: ${r.stdout}${r.stderr}`);
  assert.match(r.stderr, /审计链不完整（被截断）\/ audit chain not intact \(truncated\)/, r.stderr);
  assert.match(r.stderr, new RegExp(`event ${newest}\\b`), 'names the event the newest checkpoint records');
  assert.match(r.stderr, new RegExp(`事件 ${newest}\\b`), 'in Chinese too');
  assert.match(r.stderr, /database checkpoint \d+|head file line \d+/, 'and which checkpoint');
  restore('audit_event');
  await intact('restored');
});

test('deleting every event is reported', async () => {
  keep('audit_event');
  hs.db.query('DELETE FROM audit_event');
  const r = await verify();
  assert.notEqual(r.status, 0, `an empty log must not be intact: ${r.stdout}${r.stderr}`);
  assert.match(r.stderr, /truncated/, r.stderr);
  assert.match(r.stderr, /被截断/);
  restore('audit_event');
  await intact('restored');
});

test('deleting the events and the checkpoints: the head file, or the line an operator kept, still shows it', async () => {
  const kept = (await hs.cliAsync(['audit', 'head', '--audit-head', headFile])).stdout.trim();
  assert.match(kept, HEAD_RE);
  keep('audit_event');
  keep('audit_checkpoint');
  hs.db.query('DELETE FROM audit_event WHERE id IN (SELECT id FROM audit_event ORDER BY id DESC LIMIT 500)');
  hs.db.query('DELETE FROM audit_checkpoint');
  const r = await verify();
  assert.notEqual(r.status, 0, `${r.stdout}${r.stderr}`);
  assert.match(r.stderr, /truncated/, r.stderr);
  assert.match(r.stderr, /head file line \d+/, 'the head file names it');
  assert.match(r.stderr, /头文件第 \d+ 行/);
  // Without the head file, the line the operator kept shows it.
  const alone = await hs.cliAsync(['audit', 'verify', '--audit-head', path.join(hdir, 'empty.head'), '--head', kept]);
  assert.notEqual(alone.status, 0, 'a head file given but missing is an error');
  fs.writeFileSync(path.join(hdir, 'empty.head'), '');
  const op = await hs.cliAsync(['audit', 'verify', '--audit-head', path.join(hdir, 'empty.head'), '--head', kept]);
  assert.notEqual(op.status, 0, `${op.stdout}${op.stderr}`);
  assert.match(op.stderr, /truncated.*the --head line/, op.stderr);
  // And with nothing kept outside the database there is nothing to compare: intact, with a warning.
  const blind = await hs.cliAsync(['audit', 'verify', '--audit-head', path.join(hdir, 'empty.head')]);
  assert.equal(blind.status, 0, blind.stderr);
  assert.match(blind.stderr, /no checkpoint/);
  restore('audit_event');
  restore('audit_checkpoint');
  await intact('restored');
});

test('a forged checkpoint is reported: a bad signature in the database, an altered head line', async () => {
  const row = hs.db.query('SELECT id, signature FROM audit_checkpoint ORDER BY id DESC LIMIT 1').split('|');
  const sig = row[1];
  const forged = (sig[0] === '0' ? '1' : '0') + sig.slice(1);
  hs.db.query(`UPDATE audit_checkpoint SET signature = '${forged}' WHERE id = ${row[0]}`);
  const r = await verify();
  assert.notEqual(r.status, 0, `${r.stdout}${r.stderr}`);
  assert.match(r.stderr, /audit checkpoint forged/, r.stderr);
  assert.match(r.stderr, new RegExp(`database checkpoint ${row[0]}\\b`), r.stderr);
  assert.match(r.stderr, /签名无效/);
  hs.db.query(`UPDATE audit_checkpoint SET signature = '${sig}' WHERE id = ${row[0]}`);
  await intact('signature restored');
  // A checkpoint moved back to hide deleted events: its signature no longer holds.
  hs.db.query(`UPDATE audit_checkpoint SET event_id = event_id - 1, events = events - 1 WHERE id = ${row[0]}`);
  const moved = await verify();
  assert.notEqual(moved.status, 0);
  assert.match(moved.stderr, /forged/, moved.stderr);
  hs.db.query(`UPDATE audit_checkpoint SET event_id = event_id + 1, events = events + 1 WHERE id = ${row[0]}`);
  // A head file line altered, or not a head line at all.
  const good = fs.readFileSync(headFile, 'utf8');
  const lines = good.split('\n').filter((l) => l);
  const lastLine = lines[lines.length - 1];
  fs.writeFileSync(headFile, good.replace(lastLine, lastLine.replace(/count=(\d+)/, (_, n) => `count=${Number(n) - 1}`)));
  const alt = await verify();
  assert.notEqual(alt.status, 0);
  assert.match(alt.stderr, new RegExp(`head file line ${lines.length}\\b.*forged`), alt.stderr);
  fs.writeFileSync(headFile, `${good}not a head line\n`);
  const junk = await verify();
  assert.notEqual(junk.status, 0);
  assert.match(junk.stderr, new RegExp(`head file line ${lines.length + 1} is not an audit head line`), junk.stderr);
  fs.writeFileSync(headFile, good);
  await intact('head file restored');
  const badOp = await verify('--head', lastLine.replace(/sig=(.)/, (_, c) => `sig=${c === 'f' ? '0' : 'f'}`));
  assert.notEqual(badOp.status, 0);
  assert.match(badOp.stderr, /the --head line.*forged/, badOp.stderr);
});

// SQLite only: a PostgreSQL database has no file to sit next to (its head
// file is the one --audit-head names, tested above). Not a skip, which the
// test layers count as a failure: the test exists for SQLite alone.
if (DB_KIND === 'sqlite') test('on SQLite the head file sits next to the database by default', async () => {
  const def = `${hs.db.file}.audit-head`;
  const before = fs.existsSync(def) ? fs.readFileSync(def, 'utf8') : '';
  const s2 = new Server(hs.db);
  await s2.start();
  await s2.stop();
  const lines = fs.readFileSync(def, 'utf8').slice(before.length).split('\n').filter((l) => l);
  assert.ok(lines.length >= 1 && lines.every((l) => HEAD_RE.test(l)), lines.join('\n'));
  const r = await hs.cliAsync(['audit', 'verify']);
  assert.equal(r.status, 0, r.stderr);
  keep('audit_event');
  hs.db.query('DELETE FROM audit_event WHERE id IN (SELECT id FROM audit_event ORDER BY id DESC LIMIT 500)');
  hs.db.query('DELETE FROM audit_checkpoint');
  const t = await hs.cliAsync(['audit', 'verify']);
  assert.notEqual(t.status, 0);
  assert.match(t.stderr, /truncated.*head file line/, t.stderr);
});

after(async () => {
  await cleanup(hs);
  if (hdir) fs.rmSync(hdir, { recursive: true, force: true });
});
