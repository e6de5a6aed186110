// static.test.mjs — the static file server: it serves its folder and
// nothing outside it, however the path is spelled. Requests go through a
// raw socket so no client normalises "..", "%2e%2e" or "//". Also the
// transport answers of the API that a raw socket shows best: refusals
// that come before the body is read, and their headers (Allow, and
// WWW-Authenticate).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, cleanup, rawRequest, assertError } from './lib.mjs';

let srv, dir, root;
const INDEX = '<!doctype html><title>xinqu</title><p>XINQU-INDEX-PAGE</p>';
const SECRET = 'XINQU-SECRET-OUTSIDE-ROOT';
const PASSWD = fs.readFileSync('/etc/passwd', 'utf8').split('\n')[0];

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xinqu-static-'));
  root = path.join(dir, 'www');
  fs.mkdirSync(path.join(root, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(root, 'index.html'), INDEX);
  fs.writeFileSync(path.join(root, 'assets', 'app.js'), 'console.log("app")');
  fs.writeFileSync(path.join(root, '.hidden'), SECRET);
  fs.writeFileSync(path.join(dir, 'secret.txt'), SECRET);
  fs.symlinkSync(path.join(dir, 'secret.txt'), path.join(root, 'link.txt'));
  fs.symlinkSync('/etc', path.join(root, 'etc'));
  srv = await startServer({ staticDir: root, entities: 50, persons: 10 });
});
after(async () => {
  await cleanup(srv);
  fs.rmSync(dir, { recursive: true, force: true });
});

const get = (target, extra = '') =>
  rawRequest(srv.port, `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\n${extra}Connection: close\r\n\r\n`);

test('the folder is served: index, assets with long caching, SPA fallback', async () => {
  const r = await get('/');
  assert.equal(r.status, 200, r.head);
  assert.ok(r.body.includes('XINQU-INDEX-PAGE'));
  assert.match(r.head, /content-type: text\/html/i);
  assert.match(r.head, /content-security-policy:/i);
  const a = await get('/assets/app.js');
  assert.equal(a.status, 200);
  assert.match(a.head, /cache-control: public, max-age=31536000, immutable/i);
  const spa = await get('/entities/new');
  assert.equal(spa.status, 200, 'a client-side route gets the app');
  assert.ok(spa.body.includes('XINQU-INDEX-PAGE'));
  const missing = await get('/nope.png');
  assert.equal(missing.status, 404);
});

const ATTACKS = [
  '/../../etc/passwd',
  '/../../../../../../../../etc/passwd',
  '/%2e%2e/%2e%2e/etc/passwd',
  '/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd',
  '/%2E%2E/%2E%2E/%2E%2E/%2E%2E/%2E%2E/%2E%2E/etc/passwd',
  '/..%2f..%2f..%2f..%2f..%2f..%2fetc%2fpasswd',
  '/%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd',
  '/%252e%252e/%252e%252e/%252e%252e/%252e%252e/%252e%252e/etc/passwd',
  '/..%5c..%5c..%5c..%5c..%5c..%5cetc%5cpasswd',
  '/.%2e/.%2e/.%2e/.%2e/.%2e/.%2e/etc/passwd',
  '/assets/../../../../../../etc/passwd',
  '/assets/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd',
  '//etc/passwd',
  '/etc/passwd',
  '/etc/passwd%00.html',
  '/%c0%ae%c0%ae/%c0%ae%c0%ae/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd',
  '/api/../../../../../../etc/passwd',
  '/../secret.txt',
  '/%2e%2e/secret.txt',
  '/..%2fsecret.txt',
  '/link.txt',
  '/.hidden',
  '/assets/../.hidden',
];

for (const target of ATTACKS) {
  test(`path traversal refused: GET ${target}`, async () => {
    const r = await get(target);
    assert.ok(r.status !== 0, `the server answered: ${r.text.slice(0, 200)}`);
    assert.ok(!r.text.includes(PASSWD), `/etc/passwd leaked (status ${r.status})`);
    assert.ok(!r.text.includes('root:x:0:0'), `/etc/passwd leaked (status ${r.status})`);
    assert.ok(!r.text.includes(SECRET), `a file outside the root leaked (status ${r.status})`);
    assert.ok(r.status >= 400 || r.body.includes('XINQU-INDEX-PAGE'), `either refused or the app page: ${r.status}`);
  });
}

test('HEAD and absolute-form targets do not leak either', async () => {
  const h = await rawRequest(srv.port, 'HEAD /../../etc/passwd HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
  assert.ok(!h.text.includes('root:x:0:0'));
  const abs = await get('http://127.0.0.1/../../etc/passwd');
  assert.ok(!abs.text.includes('root:x:0:0'));
  assert.ok(!abs.text.includes(PASSWD));
});

test('only GET and HEAD on static paths', async () => {
  const r = await rawRequest(srv.port, 'POST /index.html HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
  assert.equal(r.status, 405);
});

// header() is the value of response header name in a raw answer's head.
const header = (r, name) => {
  const m = new RegExp(`^${name}: *(.*)$`, 'im').exec(r.head);
  return m ? m[1].trim() : null;
};

test('405 names the methods the path has in Allow; 401 carries WWW-Authenticate', async () => {
  const o = await srv.api('OPTIONS', '/api/v1/entities');
  assertError(assert, o, 405, 'route.bad_method');
  assert.equal(o.headers.get('allow'), 'GET, POST');
  const s = await srv.api('PUT', '/api/v1/session');
  assertError(assert, s, 405, 'route.bad_method');
  assert.equal(s.headers.get('allow'), 'POST, DELETE');
  const me = await srv.api('GET', '/api/v1/me');
  assertError(assert, me, 401, 'auth.required');
  assert.equal(me.headers.get('www-authenticate'), 'Bearer realm="xinqu"');
  assert.equal((await srv.api('GET', '/api/v1/departments')).headers.get('www-authenticate'), null);
});

// The client declares a body (under the server's 8 MiB cap) but sends none:
// only a server that decides on the headers can answer before the timeout.
test('refusals that need only the headers are answered before the body is sent', async () => {
  const head = (method, target, n, extra = '') =>
    rawRequest(srv.port, `${method} ${target} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n` +
      `${extra}Content-Length: ${n}\r\n\r\n`, { timeoutMs: 5000 });
  // Over the login route's 4 KiB limit: 413 without reading 8 MB.
  const big = await head('POST', '/api/v1/session', 8_000_000);
  assert.equal(big.status, 413, big.text);
  assert.match(big.body, /"code":"request\.too_large"/);
  // Within the route's limit, but not logged in: 401 at once.
  const anon = await head('PUT', '/api/v1/calendar', 200_000);
  assert.equal(anon.status, 401, anon.text);
  assert.match(anon.body, /"code":"auth\.required"/);
  assert.equal(header(anon, 'WWW-Authenticate'), 'Bearer realm="xinqu"');
  // A session cookie that is no session is the same.
  const bogus = await head('PUT', '/api/v1/calendar', 200_000, `Cookie: xq_session=${'1'.repeat(64)}\r\n`);
  assert.equal(bogus.status, 401, bogus.text);
  // No such route, wrong method: the same, before any body.
  assert.equal((await head('POST', '/api/v1/nothing-here', 8_000_000)).status, 404);
  const m = await head('PATCH', '/api/v1/entities', 8_000_000);
  assert.equal(m.status, 405, m.text);
  assert.equal(header(m, 'Allow'), 'GET, POST');
  // Many at once (as in the attack that found this) are all answered.
  const many = await Promise.all(Array.from({ length: 24 }, () => head('POST', '/api/v1/session', 8_000_000)));
  assert.deepEqual(many.map((r) => r.status), Array(24).fill(413));
  assert.equal((await srv.api('GET', '/healthz')).status, 200);
});

test('the server stops cleanly on SIGTERM (exit status 0)', async () => {
  await srv.stop();
});
