// session.test.mjs — logging in and out, the session cookie, CSRF, login
// throttling and API tokens, as a user (or an attacker) would meet them.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import {
  startServer, cleanup, assertError, entityBody, auditAfter, lastAuditId, DEMO_USERS, PASSWORD, Client,
} from './lib.mjs';

let srv, auditor;
before(async () => {
  srv = await startServer();
  auditor = await srv.login('auditor');
});
after(() => cleanup(srv));

const HEX64 = /^[0-9a-f]{64}$/;

test('login sets an HttpOnly SameSite=Strict session cookie and returns a CSRF token', async () => {
  const r = await srv.tryLogin('clerk');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.user.username, 'clerk');
  assert.equal(r.body.user.role, 'clerk');
  assert.match(r.body.csrf, HEX64);
  const c = r.setCookies.find((s) => s.startsWith('xq_session='));
  assert.ok(c, `Set-Cookie xq_session expected: ${JSON.stringify(r.setCookies)}`);
  const parts = c.split(';').map((s) => s.trim());
  assert.match(parts[0], /^xq_session=[0-9a-f]{64}$/);
  assert.ok(parts.some((p) => /^HttpOnly$/i.test(p)), c);
  assert.ok(parts.some((p) => /^SameSite=Strict$/i.test(p)), c);
  assert.ok(parts.some((p) => p === 'Path=/'), c);
  assert.notEqual(parts[0].slice(11), r.body.csrf, 'the CSRF token is not the session token');
});

test('every demo account logs in with the demo password and has its role', async () => {
  for (const [name, role] of Object.entries(DEMO_USERS)) {
    const c = await srv.login(name);
    const me = await c.get('/api/v1/me');
    assert.equal(me.status, 200, `${name}: ${me.text}`);
    assert.equal(me.body.user.username, name);
    assert.equal(me.body.user.role, role, `${name} should be ${role}`);
    assert.ok(me.body.user.role_label, `${name} has a Chinese role label`);
    if (role === 'applicant') assert.ok(me.body.user.party, `${name} is bound to a party`);
  }
});

test('wrong password: 401 auth.bad_credentials in Chinese and English, no cookie', async () => {
  const r = await srv.tryLogin('leader', 'not-the-password');
  assertError(assert, r, 401, 'auth.bad_credentials');
  assert.equal(r.setCookies.length, 0);
  const unknown = await srv.tryLogin('no_such_user_x', PASSWORD);
  assertError(assert, unknown, 401, 'auth.bad_credentials');
  assert.equal(unknown.body.error.message, r.body.error.message, 'an unknown user looks the same as a wrong password');
  // The failures are audited.
  const ev = await auditAfter(auditor, 0, '&action=session.login_failed');
  assert.ok(ev.some((e) => e.object === 'username:leader'), 'failed login of leader audited');
});

test('GET /me tells who is logged in and hands the CSRF token again; anonymous gets 401', async () => {
  const r = await srv.tryLogin('approver');
  const cookie = r.setCookies[0].split(';')[0];
  const c = new Client(srv.base, { cookie, csrf: r.body.csrf });
  const me = await c.get('/api/v1/me');
  assert.equal(me.status, 200);
  assert.equal(me.body.user.username, 'approver');
  assert.equal(me.body.csrf, r.body.csrf);
  assertError(assert, await srv.api('GET', '/api/v1/me'), 401, 'auth.required');
  assertError(assert, await new Client(srv.base, { cookie: 'xq_session=' + '0'.repeat(64) }).get('/api/v1/me'), 401, 'auth.required');
});

test('logout ends the session: the old cookie no longer works', async () => {
  const c = await srv.login('policy');
  assert.equal((await c.get('/api/v1/me')).status, 200);
  const out = await c.api('DELETE', '/api/v1/session');
  assert.equal(out.status, 200, out.text);
  const cleared = out.setCookies.find((s) => s.startsWith('xq_session='));
  assert.ok(cleared && /Max-Age=0/i.test(cleared), `the cookie is cleared: ${cleared}`);
  assertError(assert, await c.get('/api/v1/me'), 401, 'auth.required');
});

test('unsafe requests without or with a wrong X-CSRF-Token are refused with 403 auth.csrf and write nothing', async () => {
  const clerk = await srv.login('clerk');
  const before = await lastAuditId(auditor);
  const body = entityBody();
  const none = await clerk.post('/api/v1/entities', body, { csrf: false });
  assertError(assert, none, 403, 'auth.csrf');
  const wrong = await clerk.post('/api/v1/entities', body, { headers: { 'X-CSRF-Token': 'f'.repeat(64) } });
  assertError(assert, wrong, 403, 'auth.csrf');
  const empty = await clerk.post('/api/v1/entities', body, { headers: { 'X-CSRF-Token': '' } });
  assertError(assert, empty, 403, 'auth.csrf');
  // Another session's token is not this session's.
  const other = await srv.login('clerk');
  const cross = await clerk.post('/api/v1/entities', body, { headers: { 'X-CSRF-Token': other.csrf } });
  assertError(assert, cross, 403, 'auth.csrf');
  const tok = await clerk.post('/api/v1/tokens', { name: 'x' }, { csrf: false });
  assertError(assert, tok, 403, 'auth.csrf');
  const logout = await clerk.api('DELETE', '/api/v1/session', undefined, { csrf: false });
  assertError(assert, logout, 403, 'auth.csrf');
  assert.equal((await clerk.get('/api/v1/me')).status, 200, 'the session survived the refused logout');

  assert.equal((await clerk.get(`/api/v1/entities/${body.uscc}`)).status, 404, 'the entity was not written');
  const events = (await auditAfter(auditor, before)).filter((e) => !['session.login_attempt', 'session.login'].includes(e.action));
  assert.deepEqual(events, [], 'nothing but the second login was audited');
  // With the right token the same request is accepted.
  const ok = await clerk.post('/api/v1/entities', body);
  assert.equal(ok.status, 201, ok.text);
});

test('five failed logins make the account wait: 429 auth.throttled with Retry-After, even with the right password', async () => {
  for (let i = 0; i < 5; i++) {
    const r = await srv.tryLogin('clerk2', `wrong-${i}`);
    assertError(assert, r, 401, 'auth.bad_credentials');
  }
  const locked = await srv.tryLogin('clerk2', PASSWORD);
  assertError(assert, locked, 429, 'auth.throttled');
  const ra = Number(locked.headers.get('retry-after'));
  // A delay that grows with the failures (accounts_security.test.mjs), the first of 5 s.
  assert.ok(Number.isInteger(ra) && ra >= 1 && ra <= 5, `Retry-After in 1…5 s: ${locked.headers.get('retry-after')}`);
  assert.equal(locked.setCookies.length, 0, 'no session while it waits');
  const again = await srv.tryLogin('clerk2', 'wrong-again');
  assertError(assert, again, 429, 'auth.throttled');
  // The delay is per account: others from the same address still log in.
  const ok = await srv.tryLogin('clerk');
  assert.equal(ok.status, 200, ok.text);
});

// loginFrom() posts a login from another loopback address, so the address
// limit it may reach does not lock out the rest of this file (127.0.0.1).
function loginFrom(localAddress, username, password) {
  const body = JSON.stringify({ username, password });
  const u = new URL('/api/v1/session', srv.base);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: u.hostname, port: u.port, path: u.pathname, method: 'POST', localAddress,
      headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) } }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (d) => (text += d)).on('end', () => resolve({ status: res.statusCode, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

test('parallel guesses are throttled like sequential ones: at most five get through to a password check', async () => {
  const answers = await Promise.all(Array.from({ length: 16 }, (_, i) => loginFrom('127.0.0.3', 'policy', `guess-${i}`)));
  const statuses = answers.map((a) => a.status);
  const tried = statuses.filter((s) => s === 401).length;
  assert.ok(statuses.every((s) => s === 401 || s === 429), statuses.join(','));
  assert.ok(tried <= 5, `${tried} guesses were checked (statuses ${statuses.join(',')})`);
  assert.equal(statuses.filter((s) => s === 429).length, 16 - tried);
  const right = await loginFrom('127.0.0.3', 'policy', PASSWORD);
  assert.equal(right.status, 429, right.text);
});

test('API tokens: Bearer works without CSRF; a bad token is anonymous', async () => {
  const clerk = await srv.login('clerk');
  const made = await clerk.post('/api/v1/tokens', { name: '数据同步' });
  assert.equal(made.status, 201, made.text);
  assert.match(made.body.token, HEX64);
  assert.equal(made.body.name, '数据同步');
  const bearer = new Client(srv.base, { token: made.body.token });
  const me = await bearer.get('/api/v1/me');
  assert.equal(me.status, 200, me.text);
  assert.equal(me.body.user.username, 'clerk');
  assert.equal(me.body.csrf, '', 'no CSRF token for API tokens');
  const body = entityBody();
  const created = await bearer.post('/api/v1/entities', body);
  assert.equal(created.status, 201, created.text);
  assert.equal((await bearer.get(`/api/v1/entities/${body.uscc}`)).status, 200);
  const ev = await auditAfter(auditor, 0, `&object=entity:${body.uscc}`);
  assert.equal(ev.length, 1);
  assert.equal(ev[0].actor, 'clerk', 'the token acts as its owner');
  const bad = new Client(srv.base, { token: 'a'.repeat(64) });
  assertError(assert, await bad.get('/api/v1/me'), 401, 'auth.required');
  assertError(assert, await bad.post('/api/v1/entities', entityBody()), 401, 'auth.required');
  // An applicant's token keeps the applicant's role.
  const ent = await srv.tokenClient('ent');
  assertError(assert, await ent.post('/api/v1/entities', entityBody()), 403, 'auth.forbidden');
});

test('API tokens are listed without their secret, cannot mint tokens, and revoke for good', async () => {
  const clerk = await srv.login('invest');
  const made = await clerk.post('/api/v1/tokens', { name: '对账' });
  assert.equal(made.status, 201, made.text);
  const list = await clerk.get('/api/v1/tokens');
  assert.equal(list.status, 200, list.text);
  const mine = list.body.items.find((t) => t.name === '对账');
  assert.ok(mine, list.text);
  assert.match(mine.id, /^[0-9a-f]{16}$/);
  assert.ok(!list.text.includes(made.body.token), 'the token itself is never shown again');
  const bearer = new Client(srv.base, { token: made.body.token });
  assertError(assert, await bearer.post('/api/v1/tokens', { name: 'more' }), 403, 'token.from_token');
  // Someone else cannot revoke it; its owner can, once.
  const other = await srv.login('approver');
  assertError(assert, await other.api('DELETE', `/api/v1/tokens/${mine.id}`), 404, 'token.not_found');
  assert.equal((await bearer.get('/api/v1/me')).status, 200);
  const revoked = await clerk.api('DELETE', `/api/v1/tokens/${mine.id}`);
  assert.equal(revoked.status, 200, revoked.text);
  assertError(assert, await bearer.get('/api/v1/me'), 401, 'auth.required');
  assertError(assert, await clerk.api('DELETE', `/api/v1/tokens/${mine.id}`), 404, 'token.not_found');
  assert.ok(!(await clerk.get('/api/v1/tokens')).body.items.some((t) => t.id === mine.id));
  const ev = await auditAfter(auditor, 0, '&action=token.revoke');
  assert.ok(ev.some((e) => e.actor === 'invest' && e.detail.id === mine.id));
});

test('the server stops cleanly on SIGTERM (exit status 0)', async () => {
  await srv.stop();
});
