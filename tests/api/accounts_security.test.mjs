// accounts_security.test.mjs — issue 12: login throttling that delays rather
// than locks, trusted proxies (X-Forwarded-For, X-Forwarded-Proto), the
// password policy, changing and resetting passwords, disabling accounts,
// ending another user's sessions, and the forced change of a password that
// someone else knows (issued by an administrator, or the demo pack's
// published one outside demo mode).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import {
  startServer, cleanup, assertError, auditAfter, Server, Client, PASSWORD, makeId,
} from './lib.mjs';

// The reverse proxy the server trusts is 127.0.0.9 (and 10.9.0.0/16);
// every other loopback address is a client that talks to it directly.
const PROXY = '127.0.0.9';
let srv, admin, auditor;
before(async () => {
  srv = await startServer({ extraArgs: ['--trusted-proxy', `${PROXY}, 10.9.0.0/16`] });
  admin = await srv.login('admin');
  auditor = await srv.login('auditor');
});
after(() => cleanup(srv));

// send() is one request from localAddress with the given headers, so a test
// can act as another client address or as the proxy. Resolves with
// {status, headers, body, setCookies}.
function send(localAddress, method, p, body, headers = {}) {
  const data = body === undefined ? undefined : JSON.stringify(body);
  const u = new URL(p, srv.base);
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: u.hostname, port: u.port, path: u.pathname + u.search, method, localAddress,
      headers: { ...(data ? { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(data) } : {}), ...headers },
    }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (d) => (text += d)).on('end', () => {
        let parsed = null;
        try { parsed = JSON.parse(text); } catch { /* not JSON */ }
        const sc = res.headers['set-cookie'] || [];
        resolve({ status: res.statusCode, headers: { get: (k) => res.headers[k.toLowerCase()] ?? null }, text, body: parsed, setCookies: sc });
      });
    });
    req.on('error', reject);
    req.end(data);
  });
}
const loginFrom = (addr, username, password, headers) => send(addr, 'POST', '/api/v1/session', { username, password }, headers);

// age() moves every recorded failure of key (u:NAME or ip:ADDR) ms into the
// past, as if that much time had gone by.
function age(key, ms) {
  srv.db.query(`UPDATE login_failure SET at = at - ${ms} WHERE key = '${key}'`);
}

function clientOf(r) {
  const cookie = r.setCookies.map((c) => c.split(';')[0]).find((c) => c.startsWith('xq_session='));
  assert.ok(cookie, `a session cookie: ${JSON.stringify(r.setCookies)}`);
  return new Client(srv.base, { cookie, csrf: r.body.csrf, user: r.body.user });
}

// newAccount() has the administrator create an account (its password is
// issued: changed at the first login).
async function newAccount(username, role = 'clerk', password = 'Tide-Lantern-84') {
  const body = { username, role, password, ...(role === 'applicant' ? { party: makeId('19880808', Math.floor(Math.random() * 900)) } : { dept_code: 'xzspj' }) };
  const r = await admin.post('/api/v1/users', body);
  assert.equal(r.status, 201, r.text);
  return password;
}

// changeFirst() logs in with an issued password and changes it to next.
async function changeFirst(username, issued, next) {
  const r = await srv.tryLogin(username, issued);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.user.must_change_password, true);
  const c = clientOf(r);
  const ch = await c.post('/api/v1/me/password', { current: issued, new: next });
  assert.equal(ch.status, 200, ch.text);
  return c;
}

// --- throttling ------------------------------------------------------------------

test("an attacker's wrong passwords delay the account, growing, but never lock its real user out", async () => {
  const attacker = '127.0.0.5', user = '127.0.0.6';
  for (let i = 0; i < 5; i++) assertError(assert, await loginFrom(attacker, 'clerk2', `guess-${i}`), 401, 'auth.bad_credentials');
  // The sixth attempt comes too soon: refused without a password check, from anywhere.
  const early = await loginFrom(attacker, 'clerk2', 'guess-5');
  assertError(assert, early, 429, 'auth.throttled');
  const first = Number(early.headers.get('retry-after'));
  assert.ok(first >= 1 && first <= 5, `first delay ≤ 5 s: ${first}`);
  const real = await loginFrom(user, 'clerk2', PASSWORD);
  assertError(assert, real, 429, 'auth.throttled');
  assert.equal(real.setCookies.length, 0);
  // Once the delay has passed the attacker may guess again, and the next delay doubles.
  age('u:clerk2', 6_000);
  assertError(assert, await loginFrom(attacker, 'clerk2', 'guess-6'), 401, 'auth.bad_credentials');
  const second = await loginFrom(attacker, 'clerk2', 'guess-7');
  assertError(assert, second, 429, 'auth.throttled');
  const ra2 = Number(second.headers.get('retry-after'));
  assert.ok(ra2 > 5 && ra2 <= 10, `second delay 5–10 s: ${ra2}`);
  // Refused attempts do not lengthen it; after it the real user's right password logs in.
  for (let i = 0; i < 5; i++) assertError(assert, await loginFrom(attacker, 'clerk2', `more-${i}`), 429, 'auth.throttled');
  age('u:clerk2', 11_000);
  const ok = await loginFrom(user, 'clerk2', PASSWORD);
  assert.equal(ok.status, 200, ok.text);
  // The success forgets the account's failures: the next wrong password is a plain 401.
  assertError(assert, await loginFrom(attacker, 'clerk2', 'guess-8'), 401, 'auth.bad_credentials');
});

test('the delay never passes 15 minutes', async () => {
  // 39 failures within the hour, the newest just now: the wait is capped.
  for (let i = 0; i < 5; i++) assertError(assert, await loginFrom('127.0.0.7', 'policy', `g-${i}`), 401, 'auth.bad_credentials');
  const rows = Array.from({ length: 34 }, (_, i) => `('u:policy', ${Date.now() - 60_000 - i * 1000})`).join(',');
  srv.db.query(`INSERT INTO login_failure(key, at) VALUES ${rows}`);
  const r = await loginFrom('127.0.0.7', 'policy', PASSWORD);
  assertError(assert, r, 429, 'auth.throttled');
  const ra = Number(r.headers.get('retry-after'));
  assert.ok(ra > 600 && ra <= 900, `capped at 900 s: ${ra}`);
  srv.db.query("DELETE FROM login_failure WHERE key = 'u:policy'");
  assert.equal((await loginFrom('127.0.0.7', 'policy', PASSWORD)).status, 200);
});

// --- trusted proxies ---------------------------------------------------------------

async function loginIp(username) {
  const ev = await auditAfter(auditor, 0, '&action=session.login');
  return ev.filter((e) => e.actor === username).at(-1).detail.ip;
}

test('X-Forwarded-For is ignored from an untrusted peer and honoured from the trusted proxy', async () => {
  let r = await loginFrom('127.0.0.1', 'approver', PASSWORD, { 'X-Forwarded-For': '203.0.113.7' });
  assert.equal(r.status, 200, r.text);
  assert.equal(await loginIp('approver'), '127.0.0.1', 'a client cannot choose its own address');
  r = await loginFrom(PROXY, 'approver', PASSWORD, { 'X-Forwarded-For': '198.51.100.1, 203.0.113.8' });
  assert.equal(r.status, 200, r.text);
  assert.equal(await loginIp('approver'), '203.0.113.8', 'the rightmost address the proxy saw');
  // Trusted hops are skipped; what the client put in front of them does not count.
  r = await loginFrom(PROXY, 'approver', PASSWORD, { 'X-Forwarded-For': '192.0.2.66, 203.0.113.9, 10.9.1.2' });
  assert.equal(await loginIp('approver'), '203.0.113.9');
  r = await send(PROXY, 'POST', '/api/v1/session', { username: 'approver', password: PASSWORD }, { 'X-Forwarded-For': ['192.0.2.1', '2001:db8::5'] });
  assert.equal(r.status, 200, r.text);
  assert.equal(await loginIp('approver'), '2001:db8::5', 'several headers are read as one list');
  // A proxy that sends none: the proxy itself.
  r = await loginFrom(PROXY, 'approver', PASSWORD);
  assert.equal(await loginIp('approver'), PROXY);
});

test('behind the trusted proxy the address limit is per client: one noisy client does not lock out the rest', async () => {
  const noisy = { 'X-Forwarded-For': '203.0.113.20' };
  for (let i = 0; i < 20; i++) assertError(assert, await loginFrom(PROXY, `ghost${i}`, 'nope', noisy), 401, 'auth.bad_credentials');
  assertError(assert, await loginFrom(PROXY, 'invest', PASSWORD, noisy), 429, 'auth.throttled');
  const other = await loginFrom(PROXY, 'invest', PASSWORD, { 'X-Forwarded-For': '203.0.113.21' });
  assert.equal(other.status, 200, `another client behind the same proxy logs in: ${other.text}`);
  // An untrusted peer cannot escape its own address's delay by naming another.
  for (let i = 0; i < 20; i++) await loginFrom('127.0.0.12', `phantom${i}`, 'nope');
  assertError(assert, await loginFrom('127.0.0.12', 'invest', PASSWORD, { 'X-Forwarded-For': '203.0.113.99' }), 429, 'auth.throttled');
});

test('the session cookie is Secure when the trusted proxy says the request came over HTTPS', async () => {
  const secure = (r) => r.setCookies.find((c) => c.startsWith('xq_session=')).split(';').map((s) => s.trim().toLowerCase()).includes('secure');
  const viaProxy = await loginFrom(PROXY, 'leader', PASSWORD, { 'X-Forwarded-Proto': 'https', 'X-Forwarded-For': '203.0.113.30' });
  assert.equal(viaProxy.status, 200, viaProxy.text);
  assert.ok(secure(viaProxy), `Secure expected: ${viaProxy.setCookies}`);
  const plain = await loginFrom(PROXY, 'leader', PASSWORD, { 'X-Forwarded-Proto': 'http' });
  assert.ok(!secure(plain), 'not Secure over plain HTTP');
  const forged = await loginFrom('127.0.0.1', 'leader', PASSWORD, { 'X-Forwarded-Proto': 'https' });
  assert.equal(forged.status, 200);
  assert.ok(!secure(forged), 'an untrusted peer cannot claim HTTPS');
  // Logging out over HTTPS clears the cookie with the same attribute.
  const c = clientOf(viaProxy);
  const out = await send(PROXY, 'DELETE', '/api/v1/session', undefined, { Cookie: c.cookie, 'X-CSRF-Token': c.csrf, 'X-Forwarded-Proto': 'https' });
  assert.equal(out.status, 200, out.text);
  assert.ok(/;\s*Secure/i.test(out.setCookies[0]), out.setCookies[0]);
});

test('a trusted proxy list that does not parse stops the server from starting', async () => {
  const bad = new Server(srv.db, { extraArgs: ['--trusted-proxy', '10.0.0.0/33'] });
  await assert.rejects(bad.start(), /10\.0\.0\.0\/33/);
});

// --- the password policy -------------------------------------------------------------

test('weak and common passwords are refused, with more asked of officials than of applicants', async () => {
  const refused = [
    ['clerk', 'weak_clerk', '12345678'],
    ['admin', 'weak_admin', 'weak2weak'],
    ['clerk', 'weak_one_kind', 'harbourlanternsong'],
    ['approver', 'weak_common', 'P@ssw0rd2026!'],
    ['leader', 'weak_keyboard', 'Qwertyuiop123!'],
    ['clerk', 'weak_named', 'Weak_Named-2026x'],
    ['applicant', 'weak_app', '12345678'],
    ['applicant', 'weak_app2', 'Password1'],
    ['applicant', 'weak_app3', 'short7'],
  ];
  for (const [role, username, password] of refused) {
    const body = { username, role, password, ...(role === 'applicant' ? { party: makeId('19900101', 400) } : { dept_code: 'xzspj' }) };
    const r = await admin.post('/api/v1/users', body);
    const e = assertError(assert, r, 400, 'password.weak', 'password');
    assert.ok(e.message.includes('密码'), e.message);
  }
  const users = (await admin.get('/api/v1/users')).body.items.map((u) => u.username);
  assert.ok(!users.some((u) => u.startsWith('weak_')), 'nothing was created');
  await newAccount('strong_clerk', 'clerk', 'Tide-Lantern-84');
  await newAccount('strong_app', 'applicant', 'lantern-84');
});

// --- changing passwords, the forced change ---------------------------------------------

test('an account the administrator made must change its password before anything else', async () => {
  const issued = await newAccount('fresh_clerk');
  const r = await srv.tryLogin('fresh_clerk', issued);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.user.must_change_password, true);
  const c = clientOf(r);
  const other = await srv.login('fresh_clerk', issued);
  const listed = (await admin.get('/api/v1/users')).body.items.find((u) => u.username === 'fresh_clerk');
  assert.equal(listed.must_change_password, true, 'the administrator sees the change pending');
  assertError(assert, await c.get('/api/v1/entities?per_page=1'), 403, 'auth.password_change_required');
  assertError(assert, await c.post('/api/v1/tokens', { name: 'x' }), 403, 'auth.password_change_required');
  assert.equal((await c.get('/api/v1/me')).body.user.must_change_password, true);
  // The current password must be right (and a wrong one counts as a failure), the new one strong and new.
  assertError(assert, await c.post('/api/v1/me/password', { current: 'not-it', new: 'Quiet-Harbour-77' }), 400, 'password.bad_current', 'current');
  assertError(assert, await c.post('/api/v1/me/password', { current: issued, new: 'Password123!' }), 400, 'password.weak', 'new');
  assertError(assert, await c.post('/api/v1/me/password', { current: issued, new: issued }), 400, 'password.weak', 'new');
  assertError(assert, await c.post('/api/v1/me/password', { current: issued }), 400, 'request.missing_field', 'new');
  const ch = await c.post('/api/v1/me/password', { current: issued, new: 'Quiet-Harbour-77' });
  assert.equal(ch.status, 200, ch.text);
  // This session goes on, now unrestricted; the other one ended.
  assert.equal((await c.get('/api/v1/entities?per_page=1')).status, 200);
  assert.equal((await c.get('/api/v1/me')).body.user.must_change_password, false);
  assertError(assert, await other.get('/api/v1/me'), 401, 'auth.required');
  assertError(assert, await srv.tryLogin('fresh_clerk', issued), 401, 'auth.bad_credentials');
  const again = await srv.tryLogin('fresh_clerk', 'Quiet-Harbour-77');
  assert.equal(again.status, 200);
  assert.equal(again.body.user.must_change_password, false);
  const ev = await auditAfter(auditor, 0, '&action=account.password_change');
  assert.ok(ev.some((e) => e.actor === 'fresh_clerk'));
});

test("changing one's password keeps API tokens; an administrator's reset ends everything and forces a change", async () => {
  const c = await changeFirst('tok_clerk', await newAccount('tok_clerk'), 'Amber-Kestrel-31');
  const t = await c.post('/api/v1/tokens', { name: 'sync' });
  assert.equal(t.status, 201, t.text);
  const bearer = new Client(srv.base, { token: t.body.token });
  assert.equal((await c.post('/api/v1/me/password', { current: 'Amber-Kestrel-31', new: 'Amber-Kestrel-32x' })).status, 200);
  assert.equal((await bearer.get('/api/v1/me')).status, 200, 'the token stays');
  assert.equal((await c.get('/api/v1/me')).status, 200, 'the session that changed it stays');
  // The reset: a weak password is refused; a good one ends the session and the token.
  assertError(assert, await admin.post('/api/v1/users/tok_clerk/password', { password: 'abc12345' }), 400, 'password.weak', 'password');
  assertError(assert, await admin.post('/api/v1/users/nobody_here/password', { password: 'Solid-Granite-58' }), 404, 'user.not_found');
  const reset = await admin.post('/api/v1/users/tok_clerk/password', { password: 'Solid-Granite-58' });
  assert.equal(reset.status, 200, reset.text);
  assertError(assert, await c.get('/api/v1/me'), 401, 'auth.required');
  assertError(assert, await bearer.get('/api/v1/me'), 401, 'auth.required');
  const r = await srv.tryLogin('tok_clerk', 'Solid-Granite-58');
  assert.equal(r.status, 200);
  assert.equal(r.body.user.must_change_password, true);
});

// --- disabling, ending sessions ------------------------------------------------------------

test('a disabled account cannot log in and loses its sessions and tokens; enabling restores it', async () => {
  const c = await changeFirst('dis_clerk', await newAccount('dis_clerk'), 'Cobalt-Meadow-26');
  const t = await c.post('/api/v1/tokens', { name: 'sync' });
  const bearer = new Client(srv.base, { token: t.body.token });
  assertError(assert, await admin.post('/api/v1/users/admin/disable'), 400, 'user.self');
  assertError(assert, await admin.post('/api/v1/users/no_such_one/disable'), 404, 'user.not_found');
  const d = await admin.post('/api/v1/users/dis_clerk/disable');
  assert.equal(d.status, 200, d.text);
  assertError(assert, await c.get('/api/v1/me'), 401, 'auth.required');
  assertError(assert, await bearer.get('/api/v1/me'), 401, 'auth.required');
  // Only the right password learns that the account is disabled.
  assertError(assert, await srv.tryLogin('dis_clerk', 'wrong-password'), 401, 'auth.bad_credentials');
  assertError(assert, await srv.tryLogin('dis_clerk', 'Cobalt-Meadow-26'), 403, 'auth.disabled');
  const list = (await admin.get('/api/v1/users')).body.items;
  assert.equal(list.find((u) => u.username === 'dis_clerk').disabled, true);
  assert.equal((await admin.post('/api/v1/users/dis_clerk/enable')).status, 200);
  srv.db.query("DELETE FROM login_failure WHERE key = 'u:dis_clerk'");
  assert.equal((await srv.tryLogin('dis_clerk', 'Cobalt-Meadow-26')).status, 200);
  const off = await auditAfter(auditor, 0, '&action=account.disable');
  assert.ok(off.some((e) => e.actor === 'admin' && e.detail.username === 'dis_clerk'));
  const on = await auditAfter(auditor, 0, '&action=account.enable');
  assert.ok(on.some((e) => e.actor === 'admin' && e.detail.username === 'dis_clerk'));
});

test("an administrator ends another user's sessions and API tokens", async () => {
  const c = await changeFirst('end_clerk', await newAccount('end_clerk'), 'Velvet-Orchard-19');
  const c2 = await srv.login('end_clerk', 'Velvet-Orchard-19');
  const t = await c.post('/api/v1/tokens', { name: 'sync' });
  const bearer = new Client(srv.base, { token: t.body.token });
  const r = await admin.post('/api/v1/users/end_clerk/sessions/end');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.ended, 3);
  for (const x of [c, c2, bearer]) assertError(assert, await x.get('/api/v1/me'), 401, 'auth.required');
  assert.equal((await srv.tryLogin('end_clerk', 'Velvet-Orchard-19')).status, 200, 'the account itself still works');
  assertError(assert, await admin.post('/api/v1/users/ghost_user/sessions/end'), 404, 'user.not_found');
});

test('an administrator changes a role: nonsense refused by code, the sessions end, one audit event', async () => {
  const c = await changeFirst('role_clerk', await newAccount('role_clerk'), 'Amber-Harbour-57');
  const t = await c.post('/api/v1/tokens', { name: 'sync' });
  const bearer = new Client(srv.base, { token: t.body.token });
  const set = (who, body) => admin.post(`/api/v1/users/${who}/role`, body);
  const before = (await auditAfter(auditor, 0)).length;
  assertError(assert, await set('role_clerk', { role: 'boss' }), 400, 'user.bad_role', 'role');
  assertError(assert, await set('role_clerk', { role: 'approver' }), 400, 'user.dept_required', 'dept_code');
  assertError(assert, await set('role_clerk', { role: 'policy', dept_code: '' }), 400, 'user.dept_required', 'dept_code');
  assertError(assert, await set('role_clerk', { role: 'approver', dept_code: 'no_such_dept' }), 400, 'user.bad_dept', 'dept_code');
  assertError(assert, await set('role_clerk', { role: 'applicant' }), 400, 'user.party_required', 'party');
  assertError(assert, await set('role_clerk', { role: 'applicant', party: '12345' }), 400, 'user.bad_party', 'party');
  assertError(assert, await set('role_clerk', { role: 'applicant', party: makeId('19900101', 17), dept_code: 'xzspj' }), 400, 'user.bad_dept', 'dept_code');
  assertError(assert, await set('role_clerk', { role: 'leader', party: makeId('19900101', 17) }), 400, 'user.bad_party', 'party');
  assertError(assert, await set('ghost_user', { role: 'leader' }), 404, 'user.not_found');
  assertError(assert, await set('role_clerk', {}), 400, 'request.missing_field', 'role');
  // The last enabled administrator cannot stop being one (here: demoting themselves).
  assertError(assert, await set('admin', { role: 'clerk', dept_code: 'xzspj' }), 409, 'user.last_admin', 'role');
  assert.equal((await auditAfter(auditor, 0)).length, before, 'refusals write nothing');
  assert.equal((await c.get('/api/v1/me')).body.user.role, 'clerk', 'refusals change nothing');

  const r = await set('role_clerk', { role: 'approver', dept_code: 'scjgj' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.role, 'approver');
  assert.equal(r.body.ended, 2, 'the session and the API token');
  for (const x of [c, bearer]) assertError(assert, await x.get('/api/v1/me'), 401, 'auth.required');
  const again = await srv.login('role_clerk', 'Amber-Harbour-57');
  assert.equal(again.user.role, 'approver');
  const depts = (await again.get('/api/v1/departments')).body;
  const scjgj = (depts.items || depts).find((d) => d.code === 'scjgj');
  assert.equal(again.user.dept_id, scjgj.id);
  const listed = (await admin.get('/api/v1/users')).body.items.find((u) => u.username === 'role_clerk');
  assert.equal(listed.role, 'approver');
  assert.equal(listed.dept_code, 'scjgj');
  const ev = await auditAfter(auditor, 0, '&action=account.role_set');
  assert.equal(ev.length, 1);
  assert.equal(ev[0].actor, 'admin');
  assert.deepEqual(ev[0].detail.from, { role: 'clerk', dept_code: 'xzspj', party: '' });
  assert.deepEqual(ev[0].detail.to, { role: 'approver', dept_code: 'scjgj', party: '' });

  // An applicant is bound to a party, and no department.
  const party = makeId('19870707', 321);
  const app = await set('role_clerk', { role: 'applicant', party });
  assert.equal(app.status, 200, app.text);
  const a = await srv.login('role_clerk', 'Amber-Harbour-57');
  assert.equal(a.user.role, 'applicant');
  assert.equal(a.user.party, party);
  assert.equal(a.user.dept_id, 0);

  // Another administrator may be demoted while one remains.
  await changeFirst('admin_two', await newAccount('admin_two', 'admin'), 'Granite-Willow-73');
  const demoted = await set('admin_two', { role: 'auditor' });
  assert.equal(demoted.status, 200, demoted.text);
  assertError(assert, await set('admin', { role: 'leader' }), 409, 'user.last_admin', 'role');
});

test('the CLI sets passwords, disables, enables and logs out accounts', async () => {
  const c = await changeFirst('cli_clerk', await newAccount('cli_clerk'), 'Maple-Compass-63');
  let r = srv.cli(['user', 'logout', 'cli_clerk']);
  assert.equal(r.status, 0, r.stderr);
  assertError(assert, await c.get('/api/v1/me'), 401, 'auth.required');
  r = srv.cli(['user', 'passwd', 'cli_clerk', '--password-stdin'], { input: '12345678\n' });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /密码/);
  r = srv.cli(['user', 'passwd', 'cli_clerk', '--password-stdin', '--must-change'], { input: 'Granite-Harbor-47\n' });
  assert.equal(r.status, 0, r.stderr);
  const login = await srv.tryLogin('cli_clerk', 'Granite-Harbor-47');
  assert.equal(login.status, 200);
  assert.equal(login.body.user.must_change_password, true);
  assert.equal(srv.cli(['user', 'disable', 'cli_clerk']).status, 0);
  assertError(assert, await srv.tryLogin('cli_clerk', 'Granite-Harbor-47'), 403, 'auth.disabled');
  assert.equal(srv.cli(['user', 'enable', 'cli_clerk']).status, 0);
  srv.db.query("DELETE FROM login_failure WHERE key = 'u:cli_clerk'");
  assert.equal((await srv.tryLogin('cli_clerk', 'Granite-Harbor-47')).status, 200);
  assert.equal(srv.cli(['user', 'disable', 'nobody_at_all']).status, 1);
});

test('outside demo mode the demo password works once, then must be changed', async () => {
  const real = new Server(srv.db, { demo: false });
  await real.start();
  try {
    const r = await real.tryLogin('scjg_approver');
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.user.must_change_password, true);
    const c = new Client(real.base, { cookie: r.setCookies[0].split(';')[0], csrf: r.body.csrf });
    assertError(assert, await c.get('/api/v1/entities?per_page=1'), 403, 'auth.password_change_required');
    assertError(assert, await c.post('/api/v1/me/password', { current: PASSWORD, new: 'Jinpu@2027' }), 400, 'password.weak', 'new');
    assert.equal((await c.post('/api/v1/me/password', { current: PASSWORD, new: 'Birch-Lighthouse-52' })).status, 200);
    assert.equal((await c.get('/api/v1/entities?per_page=1')).status, 200);
    // Another demo account is still held to the change; the demo server waives it.
    const p = await real.tryLogin('person');
    assert.equal(p.body.user.must_change_password, true);
    const demo = await srv.tryLogin('person');
    assert.equal(demo.body.user.must_change_password, false);
  } finally {
    await real.stop();
  }
});

test('the server stops cleanly on SIGTERM (exit status 0)', async () => {
  await srv.stop();
});
