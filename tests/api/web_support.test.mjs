// web_support.test.mjs — the two API additions the web front end needs:
// a kiosk login with the person's ID number and their own password
// (POST /api/v1/session {id_number, password}), and the administrators'
// rule test run (POST /api/v1/rules/test {rule, facts}).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, cleanup, assertError, makeId, auditAfter, lastAuditId } from './lib.mjs';

let srv, person, admin, clerk, auditor;
before(async () => {
  srv = await startServer();
  [person, admin, clerk, auditor] = await Promise.all(['person', 'admin', 'clerk', 'auditor'].map((u) => srv.login(u)));
});
after(() => cleanup(srv));

test('kiosk: the ID number and the account password log the person in as their own account', async () => {
  const id = person.user.party;
  assert.match(id, /^\d{17}[\dX]$/);
  const r = await srv.api('POST', '/api/v1/session', { id_number: id, password: 'Jinpu@2026' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.user.username, 'person');
  assert.equal(r.body.user.party, id);
  assert.match(r.body.csrf, /^[0-9a-f]{64}$/);
  assert.ok(r.setCookies.some((c) => c.startsWith('xq_session=')));
  // A lower-case x is the same number (codes_id_check normalises it).
  if (id.endsWith('X')) {
    const low = await srv.api('POST', '/api/v1/session', { id_number: id.slice(0, 17) + 'x', password: 'Jinpu@2026' });
    assert.equal(low.status, 200, low.text);
  }
});

test('kiosk: a wrong password, or a valid number with no account, is the same refusal', async () => {
  const wrong = await srv.api('POST', '/api/v1/session', { id_number: person.user.party, password: 'not-the-password' });
  const e1 = assertError(assert, wrong, 401, 'auth.bad_credentials');
  assert.ok(!wrong.setCookies.some((c) => c.startsWith('xq_session=')));
  const nobody = await srv.api('POST', '/api/v1/session', { id_number: makeId('19900101', 777), password: 'Jinpu@2026' });
  const e2 = assertError(assert, nobody, 401, 'auth.bad_credentials');
  assert.deepEqual(e1, e2, 'nothing tells whether the number has an account');
});

test('kiosk: malformed numbers, both or neither name given, are refused before any password check', async () => {
  assertError(assert, await srv.api('POST', '/api/v1/session', { id_number: '123456789012345678', password: 'x' }), 400, 'auth.bad_id_number', 'id_number');
  assertError(assert, await srv.api('POST', '/api/v1/session', { password: 'x' }), 400, 'request.missing_field', 'username');
  assertError(assert, await srv.api('POST', '/api/v1/session', { username: 'person', id_number: person.user.party, password: 'x' }), 400, 'request.missing_field', 'username');
  // An official's login name is not reachable through an ID number.
  const r = await srv.api('POST', '/api/v1/session', { username: 'clerk', password: 'Jinpu@2026' });
  assert.equal(r.status, 200);
});

test("kiosk: failures by ID number count towards the account's delay like any other", async () => {
  const made = await admin.post('/api/v1/users', { username: 'kiosk_lock', role: 'applicant', party: makeId('19800505', 321), password: 'Kiosk@2026pw' });
  assert.equal(made.status, 201, made.text);
  const id = makeId('19800505', 321);
  for (let i = 0; i < 5; i++) {
    const r = await srv.api('POST', '/api/v1/session', { id_number: id, password: `wrong-${i}` });
    assert.equal(r.status, 401, r.text);
  }
  assertError(assert, await srv.api('POST', '/api/v1/session', { id_number: id, password: 'Kiosk@2026pw' }), 429, 'auth.throttled');
  assertError(assert, await srv.api('POST', '/api/v1/session', { username: 'kiosk_lock', password: 'Kiosk@2026pw' }), 429, 'auth.throttled');
});

const RULE = 'local p = facts.party\nif p.type ~= "entity" then deny("申请人应为市场主体") end\n' +
  'if p.status ~= "active" then deny("市场主体状态不是存续：" .. tostring(p.status)) end\napprove("市场主体状态存续")\n';

test('rule test: the sandbox decides on the sample facts, with its reasons, and nothing is written', async () => {
  const before = await lastAuditId(auditor);
  const ok = await admin.post('/api/v1/rules/test', { rule: RULE, facts: { party: { type: 'entity', status: 'active' } } });
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.body.decision, 'approve');
  assert.deepEqual(ok.body.reasons, ['市场主体状态存续']);
  assert.equal(ok.body.code, undefined);
  const deny = await admin.post('/api/v1/rules/test', { rule: RULE, facts: { party: { type: 'entity', status: 'revoked' } } });
  assert.equal(deny.body.decision, 'deny');
  assert.deepEqual(deny.body.reasons, ['市场主体状态不是存续：revoked']);
  assert.equal((await auditAfter(auditor, before)).length, 0, 'a test run is not audited as a change');
});

test('rule test: a broken rule, an endless loop and a sandbox escape come back as manual with the code', async () => {
  const syn = await admin.post('/api/v1/rules/test', { rule: 'if then', facts: {} });
  assert.equal(syn.status, 200, syn.text);
  assert.equal(syn.body.decision, 'manual');
  assert.equal(syn.body.code, 'rule.syntax');
  assert.ok(syn.body.error.length > 0);
  const loop = await admin.post('/api/v1/rules/test', { rule: 'while true do end', facts: {} });
  assert.equal(loop.body.decision, 'manual');
  assert.equal(loop.body.code, 'rule.instructions');
  // Few instructions, each slow (comparing long strings with embedded zeros): the wall clock stops it.
  const slow = await admin.post('/api/v1/rules/test', {
    rule: 'local a, b = string.rep("x\\0", 30000) .. "a", string.rep("x\\0", 30000) .. "b"\n' +
      'local n = 0 for i = 1, 20000 do if a < b then n = n + 1 end end approve(n)',
    facts: {},
  });
  assert.equal(slow.body.decision, 'manual', slow.text);
  assert.equal(slow.body.code, 'rule.timeout');
  assert.match(slow.body.error, /规则运行超时 \/ the rule ran longer than its time limit/);
  const esc = await admin.post('/api/v1/rules/test', { rule: 'os.execute("touch /tmp/xinqu-pwned")', facts: {} });
  assert.equal(esc.body.decision, 'manual');
  assert.equal(esc.body.code, 'rule.runtime');
});

test('rule test: administrators only, with checked input', async () => {
  assertError(assert, await clerk.post('/api/v1/rules/test', { rule: RULE, facts: {} }), 403, 'auth.forbidden');
  assertError(assert, await srv.api('POST', '/api/v1/rules/test', { rule: RULE, facts: {} }), 401, 'auth.required');
  assertError(assert, await admin.post('/api/v1/rules/test', { facts: {} }), 400, 'request.missing_field', 'rule');
  assertError(assert, await admin.post('/api/v1/rules/test', { rule: RULE, facts: [] }), 400, 'request.bad_type', 'facts');
  assertError(assert, await admin.post('/api/v1/rules/test', { rule: RULE, facts: {}, save: true }), 400, 'request.unknown_field', 'save');
  assertError(assert, await admin.post('/api/v1/rules/test', { rule: 'x'.repeat(70000), facts: {} }), 400, 'request.too_long', 'rule');
});

test('the server stops cleanly on SIGTERM (exit status 0)', async () => {
  await srv.stop();
});
