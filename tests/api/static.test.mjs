// static.test.mjs — the static file server: it serves its folder and
// nothing outside it, however the path is spelled. Requests go through a
// raw socket so no client normalises "..", "%2e%2e" or "//".
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, cleanup, rawRequest } from './lib.mjs';

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

test('the server stops cleanly on SIGTERM (exit status 0)', async () => {
  await srv.stop();
});
