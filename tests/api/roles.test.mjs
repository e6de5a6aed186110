// roles.test.mjs — who may call what, for EVERY route, generated from the
// server's own OpenAPI document (paths, methods, x-roles, security), so a
// route added later is covered without touching this file:
//   - anonymous callers get 401 auth.required on every non-public route;
//   - each demo role outside a route's x-roles gets 403 auth.forbidden;
//   - every role inside x-roles (all logged-in roles when x-roles is absent)
//     gets neither 401 nor 403, nor a server error.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, cleanup, assertError, apiRoutes, DEMO_USERS, ROLES } from './lib.mjs';

let srv, ops, sampleUscc;
before(async () => {
  srv = await startServer();
  ops = await apiRoutes(srv);
  // Unsafe methods last, DELETE last of all: a logout must not cut the
  // session before the other routes are tried (the session is renewed anyway).
  const rank = { GET: 0, POST: 1, PUT: 1, PATCH: 1, DELETE: 2 };
  ops.sort((a, b) => rank[a.method] - rank[b.method]);
  const admin = await srv.login('admin');
  const list = await admin.get('/api/v1/entities?per_page=1');
  sampleUscc = list.body.items[0].uscc;
});
after(() => cleanup(srv));

// concrete() fills the {parameters} of a path with values that exist.
function concrete(p) {
  return p.replace(/\{([^}]+)\}/g, (_, name) => {
    if (name === 'uscc') return sampleUscc;
    if (name === 'year') return '2024';
    return '1';
  });
}

test('the OpenAPI document lists routes, and every x-roles entry is a real role', () => {
  assert.ok(ops.length >= 10, `routes found: ${ops.length}`);
  for (const op of ops) {
    if (op.roles) {
      assert.ok(Array.isArray(op.roles) && op.roles.length > 0, `${op.method} ${op.path}`);
      for (const r of op.roles) assert.ok(ROLES.includes(r), `${op.method} ${op.path}: unknown role ${r}`);
    }
  }
  for (const must of ['applicant', 'clerk', 'approver', 'policy', 'invest', 'leader', 'auditor', 'admin']) {
    assert.ok(Object.values(DEMO_USERS).includes(must), `a demo user of role ${must}`);
  }
});

// 惠民实事 (issue 17): each route with the roles it is meant for (the sweep
// below then proves each role in and out of them).
test('the 惠民实事 routes are listed with their roles; the public page is public', () => {
  const writers = ['clerk', 'approver', 'policy', 'invest', 'admin'];
  const want = [
    ['GET', '/api/v1/public/livelihood', 'public'],
    ['GET', '/api/v1/livelihood/projects', null],
    ['GET', '/api/v1/livelihood/projects/{code}', null],
    ['POST', '/api/v1/livelihood/projects', writers],
    ['PATCH', '/api/v1/livelihood/projects/{code}', writers],
    ['POST', '/api/v1/livelihood/projects/{code}/milestones', writers],
    ['POST', '/api/v1/livelihood/projects/{code}/milestones/{id}/reach', writers],
    ['POST', '/api/v1/livelihood/projects/{code}/progress', writers],
    ['POST', '/api/v1/livelihood/projects/{code}/reports', writers],
    ['GET', '/api/v1/livelihood/behind', [...writers, 'leader', 'auditor']],
    ['GET', '/api/v1/livelihood/summary', [...writers, 'leader', 'auditor']],
    ['POST', '/api/v1/livelihood/projects/{code}/comments', ['applicant']],
    ['GET', '/api/v1/livelihood/comments', writers],
    ['POST', '/api/v1/livelihood/comments/{id}/moderate', writers],
  ];
  for (const [method, path, roles] of want) {
    const op = ops.find((o) => o.method === method && o.path === path);
    assert.ok(op, `${method} ${path} is registered`);
    if (roles === 'public') assert.equal(op.public, true, `${method} ${path} is public`);
    else if (roles === null) assert.ok(!op.public && op.roles === null, `${method} ${path}: any logged-in role`);
    else assert.deepEqual([...op.roles].sort(), [...roles].sort(), `${method} ${path}`);
  }
  assert.equal(ops.filter((o) => o.path.includes('livelihood')).length, want.length, 'no 惠民实事 route left out');
});

// The leaders' board (issue 17): figures for every official and auditor, none for applicants.
test('the board\'s routes are for every official and auditor', () => {
  const readers = ['clerk', 'approver', 'policy', 'invest', 'leader', 'admin', 'auditor'];
  const board = ops.filter((o) => o.path.startsWith('/api/v1/board'));
  assert.deepEqual(board.map((o) => `${o.method} ${o.path}`).sort(),
    ['GET /api/v1/board', 'GET /api/v1/board/report.pdf', 'GET /api/v1/board/report.xlsx']);
  for (const o of board) assert.deepEqual([...o.roles].sort(), [...readers].sort(), o.path);
});

test('anonymous callers get 401 auth.required on every non-public route', async () => {
  let checked = 0;
  for (const op of ops) {
    const r = await srv.api(op.method, concrete(op.path));
    if (op.public) {
      assert.ok(r.status !== 401 && r.status !== 403 && r.status < 500,
        `public ${op.method} ${op.path} → ${r.status} ${r.text}`);
    } else {
      assertError(assert, r, 401, 'auth.required');
      checked++;
    }
  }
  assert.ok(checked > 0);
});

for (const [username, role] of Object.entries(DEMO_USERS)) {
  test(`role by route: ${username} (${role})`, async () => {
    let client = await srv.login(username);
    assert.equal(client.user.role, role);
    let forbidden = 0, allowed = 0;
    for (const op of ops) {
      if (op.public) continue;
      // A previous route (logout) may have ended the session: log in again.
      if ((await client.get('/api/v1/me')).status === 401) client = await srv.login(username);
      const r = await client.api(op.method, concrete(op.path));
      const mayCall = !op.roles || op.roles.includes(role);
      const what = `${username} (${role}) ${op.method} ${op.path} [x-roles ${op.roles ? op.roles.join(',') : 'any'}] → ${r.status} ${r.text.slice(0, 300)}`;
      if (mayCall) {
        assert.ok(r.status !== 401 && r.status !== 403, what);
        assert.ok(r.status < 500, what);
        allowed++;
      } else {
        assert.equal(r.status, 403, what);
        assertError(assert, r, 403, 'auth.forbidden');
        forbidden++;
      }
    }
    assert.ok(allowed > 0, `${username} may call something`);
    if (role !== 'admin') assert.ok(forbidden > 0, `${username} is refused something`);
  });
}

test('the server stops cleanly on SIGTERM (exit status 0)', async () => {
  await srv.stop();
});
