// talent_scan.test.mjs — 免申即享 over HTTP (issue 16): the scan over the
// talent records finds who a policy covers (and why) and who is close (a
// fact missing, or one criterion failing, each said in Chinese); a dry run
// writes nothing; a rerun creates nothing twice; the person confirms its own
// grant with its bank account (another person is told nothing, another
// department's official is refused); an unconfirmed grant goes into no
// payment batch. On SQLite and PostgreSQL (XINQU_TEST_DB=pg).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, cleanup, assertError, auditAfter, lastAuditId, todayCN, hasChinese, xinqu, Client } from './lib.mjs';

let srv, policy, keji, admin, leader, person, ent, other, me, ids;

function month(k) {
  const [y, m] = todayCN().split('-').map(Number);
  const n = y * 12 + (m - 1) - k;
  return `${Math.floor(n / 12)}-${String((n % 12) + 1).padStart(2, '0')}`;
}
const insured = (from, to, place = 'jinpu') => Array.from({ length: from - to + 1 }, (_, i) => ({ month: month(from - i), place, back_paid: false }));

// A master's graduate of a 一流学科 school a year ago, on a three-year
// contract with a Jinpu employer, insured in Jinpu the last seven months:
// covered by 学费补助 (2.4万).
const facts = (over = {}) => {
  const f = {
    degree: 'master', school_class: 'world_class_discipline', graduated_on: todayCN(-365), full_time: true,
    hukou_dalian: true, employer_in_jinpu: true, contract_start: todayCN(-360), contract_months: 36,
    business_in_jinpu: false, social_insurance: insured(7, 1), income_tax: [], ...over,
  };
  for (const k of Object.keys(f)) if (f[k] === undefined) delete f[k];
  return f;
};

const put = (number, f) => policy.api('PUT', `/api/v1/talent/persons/${number}`, { facts: f });
const scan = (c, body) => c.post('/api/v1/talent/scan', body);
const count = (sql) => Number(srv.db.query(sql).split('\n').pop());

before(async () => {
  srv = await startServer();
  [policy, keji, admin, leader, person, ent] = await Promise.all(
    ['policy', 'keji', 'admin', 'leader', 'person', 'ent'].map((u) => srv.login(u)));
  me = person.user.party;
  const out = srv.db.query(`SELECT id_number FROM person WHERE id_kind = 'id' ORDER BY id LIMIT 8`);
  ids = out.match(/\b\d{17}[\dX]\b/g).filter((x) => x !== me).slice(0, 5);
  assert.equal(ids.length, 5);
  // a second person with an account of its own (issued password, changed at first login)
  const made = await admin.post('/api/v1/users', { username: 'talent_two', role: 'applicant', password: 'Tide-Lantern-84', party: ids[0] });
  assert.equal(made.status, 201, made.text);
  const r = await srv.tryLogin('talent_two', 'Tide-Lantern-84');
  assert.equal(r.status, 200, r.text);
  const cookie = r.setCookies.map((c) => c.split(';')[0]).find((c) => c.startsWith('xq_session='));
  const first = new Client(srv.base, { cookie, csrf: r.body.csrf, user: r.body.user });
  const ch = await first.post('/api/v1/me/password', { current: 'Tide-Lantern-84', new: 'Harbor-Quill-73-Maple' });
  assert.equal(ch.status, 200, ch.text);
  other = await srv.login('talent_two', 'Harbor-Quill-73-Maple');
  // the records: me and ids[0] covered; ids[1] a fact missing; ids[2] one
  // criterion failing; ids[3] far (two failing); ids[4] covered too
  for (const [n, f] of [[me, facts()], [ids[0], facts()], [ids[1], facts({ full_time: undefined })],
    [ids[2], facts({ full_time: false })], [ids[3], facts({ full_time: false, graduated_on: todayCN(-3000) })],
    [ids[4], facts({ degree: 'bachelor', school_class: 'other' })]]) {
    const w = await put(n, f);
    assert.equal(w.status, 200, w.text);
  }
});
after(() => cleanup(srv));

test('a dry run says who is covered and why, who is close and why, and writes nothing', async () => {
  const audit = count('SELECT COUNT(*) FROM audit_event');
  const r = await scan(policy, { policy: 'tuition', dry_run: true });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.dry_run, true);
  assert.equal(r.body.on, todayCN());
  assert.deepEqual(r.body.policies.map((x) => [x.policy, x.scanned, x.held, x.found, x.created, x.close]), [['tuition', 6, 0, 3, 0, 2]]);
  assert.deepEqual(r.body.found.map((x) => x.number).sort(), [me, ids[0], ids[4]].sort());
  const mine = r.body.found.find((x) => x.number === me);
  assert.equal(mine.amount_fen, 2400000);
  assert.equal(mine.entitlement, null);
  assert.match(mine.why, /依据/);
  assert.match(mine.why, /全日制学历/);
  // close: a fact missing (which), and one criterion failing (which)
  const missing = r.body.close.find((x) => x.number === ids[1]);
  assert.equal(missing.reasons.length, 1);
  assert.equal(missing.reasons[0].missing, true);
  assert.equal(missing.reasons[0].code, 'full_time');
  assert.match(missing.reasons[0].text, /缺少数据：是否全日制/);
  const failing = r.body.close.find((x) => x.number === ids[2]);
  assert.deepEqual(failing.reasons.map((x) => [x.code, x.missing]), [['full_time', false]]);
  assert.match(failing.reasons[0].text, /非全日制/);
  assert.ok(hasChinese(failing.reasons[0].text));
  assert.ok(!r.body.close.some((x) => x.number === ids[3]), 'two criteria failing is not close');
  assert.equal(r.body.truncated, false);
  // nothing written: no audit row, no entitlement
  assert.equal(count('SELECT COUNT(*) FROM audit_event'), audit);
  assert.equal(count('SELECT COUNT(*) FROM talent_entitlement'), 0);
  // a small limit says the lists are cut
  const cut = await scan(policy, { policy: 'tuition', dry_run: true, limit: 1 });
  assert.equal(cut.body.found.length, 1);
  assert.equal(cut.body.found_total, 3);
  assert.equal(cut.body.truncated, true);
  // every policy when none is named; a policy not in force is said so
  const all = await scan(policy, { dry_run: true });
  assert.equal(all.status, 200, all.text);
  assert.deepEqual(all.body.policies.map((x) => x.policy), ['mingxiao', 'housing', 'tuition', 'anju', 'anjiafei', 'rouxing', 'jintie', 'jinque', 'gongjiang']);
  const anju = all.body.policies.find((x) => x.policy === 'anju');
  assert.equal(anju.in_force, false);
  assert.match(anju.reason, /停止施行/);
  assert.equal(count('SELECT COUNT(*) FROM audit_event'), audit);
});

test('the scan grants for real, with its audit events; a rerun creates nothing twice', async () => {
  const before = await lastAuditId(admin);
  const r = await scan(policy, { policy: 'tuition' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.created_total, 3);
  assert.ok(r.body.found.every((x) => Number.isInteger(x.entitlement)), r.text);
  const ev = await auditAfter(admin, before);
  assert.equal(ev.filter((x) => x.action === 'talent.entitle').length, 3);
  assert.equal(ev.filter((x) => x.action === 'talent.scan').length, 1);
  const mine = await person.get('/api/v1/talent/entitlements');
  assert.equal(mine.body.items.length, 1);
  assert.equal(mine.body.items[0].origin, 'scan');
  assert.equal(mine.body.items[0].awaiting_confirmation, true);
  // again: the three hold it now, nothing new
  const again = await scan(policy, { policy: 'tuition' });
  assert.equal(again.status, 200, again.text);
  assert.deepEqual(again.body.policies.map((x) => [x.held, x.found, x.created]), [[3, 0, 0]]);
  assert.equal(count("SELECT COUNT(*) FROM talent_entitlement WHERE policy = 'tuition'"), 3);
  // a grant counts as held: 名校优才 may not be held with the granted 学费补助
  assertError(assert, await policy.post('/api/v1/talent/entitlements', { number: me, policy: 'mingxiao' }), 409, 'talent.exclusive');
  // an officer's decision (住房补贴, a city policy) is not awaiting anything
  const officer = await policy.post('/api/v1/talent/entitlements', { number: me, policy: 'housing' });
  assert.equal(officer.status, 201, officer.text);
  assert.equal(officer.body.origin, 'decision');
  assert.equal(officer.body.awaiting_confirmation, false);
});

test('who may scan: 人社局\'s officers and administrators; another department, a leader and a person are refused', async () => {
  assertError(assert, await scan(keji, { dry_run: true }), 403, 'talent.forbidden');
  assertError(assert, await scan(leader, { dry_run: true }), 403, 'auth.forbidden');
  assertError(assert, await scan(person, { dry_run: true }), 403, 'auth.forbidden');
  assert.equal((await scan(admin, { policy: 'tuition', dry_run: true })).status, 200);
  assertError(assert, await scan(policy, { policy: 'nope' }), 400, 'talent.bad_policy');
  assertError(assert, await scan(policy, { on: todayCN(1) }), 400, 'talent.bad_date');
  assertError(assert, await scan(policy, { dry_run: 'yes' }), 400, 'request.bad_type', 'dry_run');
  assert.equal((await scan(policy, { on: todayCN(30), dry_run: true, policy: 'tuition' })).status, 200);
});

test('the person confirms its own grant with its bank account; another person is told nothing; unconfirmed goes into no batch', async () => {
  const year = Number(todayCN().slice(0, 4));
  const list = (await policy.get('/api/v1/talent/entitlements?policy=tuition')).body.items;
  const mine = list.find((x) => x.number === me), theirs = list.find((x) => x.number === ids[0]);
  assert.ok(mine && theirs);
  // approved, the person with an account, but not confirmed: no batch takes it
  assert.equal((await policy.post('/api/v1/talent/budgets', { policy: 'tuition', year, amount_fen: 10000000 })).status, 201);
  for (const en of [mine, theirs]) {
    const full = await policy.get(`/api/v1/talent/entitlements/${en.id}`);
    const ok = await policy.post(`/api/v1/talent/instalments/${full.body.instalments[0].id}/review`, {});
    assert.equal(ok.status, 200, ok.text);
  }
  assert.equal((await policy.api('PUT', `/api/v1/talent/persons/${ids[0]}/bank`, { bank_name: '大连银行', bank_account: '6229001122334455' })).status, 200);
  assertError(assert, await policy.post('/api/v1/talent/batches', { policy: 'tuition' }), 409, 'talent.nothing_to_pay');
  // who may confirm: the person itself only
  const body = { bank_name: '中国银行大连金普支行', bank_account: '6217000012345678' };
  const audit = await lastAuditId(admin);
  assertError(assert, await other.post(`/api/v1/talent/entitlements/${mine.id}/confirm`, body), 404, 'talent.not_found');
  assertError(assert, await ent.post(`/api/v1/talent/entitlements/${mine.id}/confirm`, body), 404, 'talent.not_found');
  assertError(assert, await keji.post(`/api/v1/talent/entitlements/${mine.id}/confirm`, body), 403, 'auth.forbidden');
  assertError(assert, await policy.post(`/api/v1/talent/entitlements/${mine.id}/confirm`, body), 403, 'auth.forbidden');
  assertError(assert, await person.post('/api/v1/talent/entitlements/999999/confirm', body), 404, 'talent.not_found');
  assertError(assert, await person.post(`/api/v1/talent/entitlements/${mine.id}/confirm`, { ...body, bank_account: '6217-000' }), 400, 'talent.bad_account');
  assertError(assert, await person.post(`/api/v1/talent/entitlements/${mine.id}/confirm`, { bank_name: '中国银行' }), 400, 'request.missing_field', 'bank_account');
  // the officer's decision (housing) is not a grant to confirm
  const decided = (await person.get('/api/v1/talent/entitlements?policy=housing')).body.items[0];
  const nw = await person.post(`/api/v1/talent/entitlements/${decided.id}/confirm`, body);
  assertError(assert, nw, 409, 'talent.not_awaiting');
  assert.ok(hasChinese(nw.body.error.message));
  assert.equal(await lastAuditId(admin), audit);
  // the other person sees only its own, still awaiting
  const seen = await other.get('/api/v1/talent/entitlements');
  assert.deepEqual(seen.body.items.map((x) => [x.number, x.awaiting_confirmation]), [[ids[0], true]]);
  assertError(assert, await other.get(`/api/v1/talent/entitlements/${mine.id}`), 404, 'talent.not_found');
  // confirmed: the account recorded, the grant confirmed, one audit event each
  const ok = await person.post(`/api/v1/talent/entitlements/${mine.id}/confirm`, body);
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.body.awaiting_confirmation, false);
  assert.ok(ok.body.confirmed_at);
  const ev = await auditAfter(admin, audit);
  assert.deepEqual(ev.map((x) => x.action).sort(), ['talent.bank_account', 'talent.confirm']);
  assertError(assert, await person.post(`/api/v1/talent/entitlements/${mine.id}/confirm`, body), 409, 'talent.not_awaiting');
  const rec = await person.get(`/api/v1/talent/persons/${me}`);
  assert.equal(rec.status, 200);
  // the batch takes the confirmed one only
  const b = await policy.post('/api/v1/talent/batches', { policy: 'tuition' });
  assert.equal(b.status, 201, b.text);
  assert.equal(b.body.items, 1);
  assert.equal(b.body.total_fen, 2400000);
  assert.equal(b.body.lines[0].bank_account, '****5678');
});

test('xinqu talent scan prints the counts; --dry-run writes nothing', () => {
  const audit = count('SELECT COUNT(*) FROM audit_event');
  const r = xinqu(['talent', 'scan', '--policy', 'tuition', '--dry-run', '--db', srv.db.url]);
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.ok(lines.includes('符合 0'), r.stdout);
  assert.ok(lines.includes('接近 2'), r.stdout);
  assert.ok(lines.includes('新认定 0'), r.stdout);
  assert.match(r.stdout, /试算/);
  assert.equal(count('SELECT COUNT(*) FROM audit_event'), audit);
  const bad = xinqu(['talent', 'scan', '--policy', 'nope', '--db', srv.db.url]);
  assert.notEqual(bad.status, 0);
  assert.match(bad.stderr, /没有这项人才政策/);
});

test('one covered but holding a policy this one may not be held with is said so, and not granted', async () => {
  const out = srv.db.query("SELECT id_number FROM person WHERE id_kind = 'id' ORDER BY id DESC LIMIT 1");
  const [who] = out.match(/\b\d{17}[\dX]\b/g);
  assert.equal((await put(who, facts())).status, 200);
  // an officer decides 名校优才, which excludes every other district policy (学费补助 among them)
  assert.equal((await policy.post('/api/v1/talent/entitlements', { number: who, policy: 'mingxiao' })).status, 201);
  const dry = await scan(policy, { policy: 'tuition', dry_run: true, limit: 1000 });
  assert.equal(dry.status, 200, dry.text);
  const mine = dry.body.close.find((x) => x.number === who);
  assert.ok(mine, 'listed with why');
  assert.deepEqual(mine.reasons.map((x) => x.code), ['exclusive']);
  assert.match(mine.reasons[0].text, /已享受「“名校优才”生活补贴」，与本政策不能同时享受/);
  assert.ok(!dry.body.found.some((x) => x.number === who), 'not among those to grant');
  assert.ok(dry.body.policies[0].excluded >= 1);
  const real = await scan(policy, { policy: 'tuition' });
  assert.equal(real.status, 200, real.text);
  assert.equal(count(`SELECT COUNT(*) FROM talent_entitlement t JOIN person p ON p.id = t.person_id WHERE p.id_number = '${who}' AND t.policy = 'tuition'`), 0);
});
