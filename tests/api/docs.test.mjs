// docs.test.mjs — documents over HTTP against a real server: uploads (types
// by content, limits, CSRF, who may read them back), the public
// verification of certificates at /api/v1/verify/CODE and /verify/CODE (JSON,
// or the web front end's page for a browser), certificate PDFs for their
// holder, and revocation. Certificates are issued by the case engine, which
// has no route yet; so one is made here the way an independent party would:
// signed in Node with the server's own key (read from the database) over a
// payload written by this test — which also checks the signature format
// (Ed25519 over compact JSON with sorted keys) from outside the C code.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { startServer, cleanup, assertError, auditAfter, rawRequest } from './lib.mjs';

const INDEX = '<!doctype html><title>xinqu verify page</title><div id="app"></div>';
let srv, staticDir, ent, person, clerk, auditor, approver, leader;

before(async () => {
  staticDir = fs.mkdtempSync(path.join(os.tmpdir(), 'xinqu-docs-web-'));
  fs.writeFileSync(path.join(staticDir, 'index.html'), INDEX);
  srv = await startServer({ entities: 50, persons: 10, staticDir });
  [ent, person, clerk, auditor, approver, leader] = await Promise.all(
    ['ent', 'person', 'clerk', 'auditor', 'approver', 'leader'].map((u) => srv.login(u)));
});
after(async () => {
  await cleanup(srv);
  fs.rmSync(staticDir, { recursive: true, force: true });
});

// ---- files, made here byte by byte

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478'
  + '9c63000100000500010d0a2db40000000049454e44ae426082', 'hex');
const JPEG = Buffer.from('ffd8ffe000104a46494600010100000100010000ffdb004300' + '08'.repeat(64) + 'ffd9', 'hex');

// zip(entries) is a ZIP of stored entries [{name, data}] (APPNOTE 4.3).
function zip(entries) {
  const locals = [], centrals = [];
  let off = 0;
  for (const { name, data } of entries) {
    const n = Buffer.from(name), d = Buffer.from(data), crc = zlib.crc32 ? zlib.crc32(d) : crc32(d);
    const lh = Buffer.alloc(30);
    lh.writeUInt32LE(0x04034b50, 0); lh.writeUInt16LE(20, 4); lh.writeUInt32LE(crc >>> 0, 14);
    lh.writeUInt32LE(d.length, 18); lh.writeUInt32LE(d.length, 22); lh.writeUInt16LE(n.length, 26);
    const ch = Buffer.alloc(46);
    ch.writeUInt32LE(0x02014b50, 0); ch.writeUInt16LE(20, 4); ch.writeUInt16LE(20, 6);
    ch.writeUInt32LE(crc >>> 0, 16); ch.writeUInt32LE(d.length, 20); ch.writeUInt32LE(d.length, 24);
    ch.writeUInt16LE(n.length, 28); ch.writeUInt32LE(off, 42);
    locals.push(lh, n, d);
    centrals.push(ch, n);
    off += 30 + n.length + d.length;
  }
  const cd = Buffer.concat(centrals), end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(entries.length, 8); end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12); end.writeUInt32LE(off, 16);
  return Buffer.concat([...locals, cd, end]);
}
function crc32(buf) {
  let c, crc = 0xffffffff;
  for (const b of buf) {
    c = (crc ^ b) & 0xff;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    crc = (crc >>> 8) ^ c;
  }
  return (crc ^ 0xffffffff) >>> 0;
}
const OFD = zip([
  { name: 'OFD.xml', data: '<?xml version="1.0" encoding="UTF-8"?><ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016" Version="1.0"/>' },
  { name: 'Doc_0/Document.xml', data: '<ofd:Document xmlns:ofd="http://www.ofdspec.org/2016"/>' },
]);
const PLAIN_ZIP = zip([{ name: 'readme.txt', data: 'hello' }, { name: 'Doc_0/OFD.xml', data: '<x/>' }]);

const sha256 = (b) => crypto.createHash('sha256').update(b).digest('hex');
const put = (client, body, opts = {}) => client.api('POST', '/api/v1/uploads', body,
  { ...opts, headers: { 'Content-Type': 'application/octet-stream', ...(opts.headers || {}) } });

// ---- uploads

test('uploads: PDF, PNG, JPEG and OFD are accepted by content and come back byte for byte', async () => {
  for (const [bytes, mime] of [[PDF, 'application/pdf'], [PNG, 'image/png'], [JPEG, 'image/jpeg'], [OFD, 'application/ofd']]) {
    // the declared type does not matter: the content decides
    const r = await put(ent, bytes, { headers: { 'Content-Type': 'text/plain' } });
    assert.equal(r.status, 201, `${mime}: ${r.text}`);
    assert.deepEqual(r.body, { sha256: sha256(bytes), mime, size: bytes.length });
    const g = await ent.get(`/api/v1/uploads/${r.body.sha256}`);
    assert.equal(g.status, 200, g.text);
    assert.equal(g.headers.get('content-type'), mime);
    assert.ok(g.bytes.equals(bytes), `${mime}: the same bytes`);
    assert.match(g.headers.get('content-disposition'), mime === 'application/ofd' ? /^attachment; filename="[0-9a-f]{16}\.ofd"$/ : /^inline; filename="[0-9a-f]{16}\.(pdf|png|jpg)"$/);
    assert.equal(g.headers.get('x-content-type-options'), 'nosniff');
  }
});

test('uploads: a text file, a plain ZIP, an empty body and an oversize body are refused', async () => {
  assertError(assert, await put(ent, Buffer.from('申请书：这是一段文字。\n')), 400, 'upload.bad_type');
  assertError(assert, await put(ent, PLAIN_ZIP), 400, 'upload.bad_type');
  assertError(assert, await put(ent, Buffer.alloc(0)), 400, 'upload.empty');
  // One byte over the upload limit: refused on the headers, before any body.
  const over = await rawRequest(srv.port, `POST /api/v1/uploads HTTP/1.1\r\nHost: x\r\nCookie: ${ent.cookie}\r\n`
    + `X-CSRF-Token: ${ent.csrf}\r\nContent-Length: ${20 * 1024 * 1024 + 1}\r\n\r\n`, { timeoutMs: 5000 });
  assert.equal(over.status, 413, over.text);
  assert.match(over.body, /"code":"request\.too_large"/);
});

test('uploads: a file above the server\'s general 8 MiB body cap but under the upload limit is taken', async () => {
  const big = Buffer.alloc(9 * 1024 * 1024, 0x20);
  PDF.copy(big);
  const r = await put(ent, big);
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.size, big.length);
  const g = await ent.get(`/api/v1/uploads/${r.body.sha256}`);
  assert.equal(g.status, 200);
  assert.ok(g.bytes.equals(big));
});

test('uploads: login and the CSRF token are required', async () => {
  assertError(assert, await put(srv.anon(), PDF), 401, 'auth.required');
  assertError(assert, await put(ent, PDF, { csrf: false }), 403, 'auth.csrf');
});

test('uploads: another applicant and officials get 404 until a case uses it; then the case\'s officials read it', async () => {
  const own = Buffer.concat([PDF, Buffer.from(`% ${crypto.randomUUID()}\n`)]);
  const r = await put(ent, own);
  assert.equal(r.status, 201, r.text);
  const p = `/api/v1/uploads/${r.body.sha256}`;
  assert.equal((await ent.get(p)).status, 200);
  for (const c of [person, leader, clerk, auditor, approver]) assertError(assert, await c.get(p), 404, 'upload.not_found');
  assertError(assert, await srv.anon().get(p), 401, 'auth.required');
  // Filed as a material of a case of 行政审批局: its officials, and those who
  // oversee every department, read it; another applicant still does not.
  const c = await ent.post('/api/v1/cases', { item: 'JP-CN-001', materials: { premises: r.body.sha256 } });
  assert.equal(c.status, 201, c.text);
  for (const x of [clerk, auditor, approver, leader]) assert.equal((await x.get(p)).status, 200);
  assertError(assert, await person.get(p), 404, 'upload.not_found');
  // unknown and malformed names: the same 404
  assertError(assert, await ent.get(`/api/v1/uploads/${'0'.repeat(64)}`), 404, 'upload.not_found');
  assertError(assert, await clerk.get(`/api/v1/uploads/${'z'.repeat(64)}`), 404, 'upload.not_found');
  assertError(assert, await clerk.get(`/api/v1/uploads/${r.body.sha256.toUpperCase()}`), 404, 'upload.not_found');
  // once the other applicant uploads the same bytes, they may read it too (stored once)
  const again = await put(person, own);
  assert.equal(again.status, 201);
  assert.equal(again.body.sha256, r.body.sha256);
  assert.equal((await person.get(p)).status, 200);
  const ev = (await auditAfter(auditor, 0, '&action=upload.put')).filter((e) => e.object === `blob:${r.body.sha256}`);
  assert.deepEqual(ev.map((e) => [e.actor, e.detail.new]), [['ent', true], ['person', false]]);
});

// ---- certificates

test('the signing key is made once, at the first start, and kept across restarts', async () => {
  const before = await auditAfter(auditor, 0, '&action=docs.key_create');
  assert.equal(before.length, 1);
  assert.match(before[0].detail.public_key, /^[0-9a-f]{64}$/);
  await srv.stop();
  await srv.start();
  [ent, person, clerk, auditor, approver, leader] = await Promise.all(
    ['ent', 'person', 'clerk', 'auditor', 'approver', 'leader'].map((u) => srv.login(u)));
  assert.equal((await auditAfter(auditor, 0, '&action=docs.key_create')).length, 1);
});

test('verify: an unknown code is a JSON 404 with a stable code, at both addresses, without login', async () => {
  for (const p of ['/api/v1/verify/23456789ABCDEFGHJKLM', '/verify/23456789ABCDEFGHJKLM', '/api/v1/verify/x', '/verify/%27%20OR%201']) {
    assertError(assert, await srv.anon().get(p), 404, 'cert.not_found');
  }
});

test('/verify/CODE gives a browser the web page, and anything else JSON', async () => {
  const html = await srv.anon().get('/verify/23456789ABCDEFGHJKLM', {
    headers: { Accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' } });
  assert.equal(html.status, 200);
  assert.match(html.headers.get('content-type'), /^text\/html/);
  assert.equal(html.text, INDEX);
  for (const accept of ['application/json', '*/*', 'application/json, text/html;q=0.5', 'text/html;q=0']) {
    const j = await srv.anon().get('/verify/23456789ABCDEFGHJKLM', { headers: { Accept: accept } });
    assertError(assert, j, 404, 'cert.not_found');
  }
});

test('certificate PDF and revocation: login, roles and unknown codes', async () => {
  const code = '23456789ABCDEFGHJKLM';
  assertError(assert, await srv.anon().get(`/api/v1/certificates/${code}/pdf`), 401, 'auth.required');
  assertError(assert, await ent.get(`/api/v1/certificates/${code}/pdf`), 404, 'cert.not_found');
  assertError(assert, await clerk.get(`/api/v1/certificates/${code}/pdf`), 404, 'cert.not_found');
  const rv = `/api/v1/certificates/${code}/revoke`;
  assertError(assert, await srv.anon().post(rv, { reason: '测试撤销' }), 401, 'auth.required');
  assertError(assert, await ent.post(rv, { reason: '测试撤销' }), 403, 'auth.forbidden');
  assertError(assert, await clerk.post(rv, { reason: '测试撤销' }), 403, 'auth.forbidden');
  assertError(assert, await approver.post(rv, { reason: '测试撤销' }, { csrf: false }), 403, 'auth.csrf');
  assertError(assert, await approver.post(rv, { reason: '测试撤销' }), 404, 'cert.not_found');
});

// issueBySql() makes a certificate as docs_cert_issue() would, from outside:
// the payload written and signed here with the server's active key.
function issueBySql(holderParty, holderName, over = {}) {
  const q = (sql) => srv.db.query(sql);
  const row = srv.db.kind === 'pg'
    ? q("SELECT id, encode(secret_key, 'hex') FROM signing_key WHERE active = 1")
    : q('SELECT id, lower(hex(secret_key)) FROM signing_key WHERE active = 1');
  const [keyId, skHex] = row.split('|');
  // libsodium's secret key is the 32-byte seed followed by the public key.
  const seed = Buffer.from(skHex, 'hex').subarray(0, 32);
  const key = crypto.createPrivateKey({ key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]), format: 'der', type: 'pkcs8' });
  const alphabet = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
  const code = [...crypto.randomBytes(20)].map((b) => alphabet[b & 31]).join('');
  const p = {
    v: 1, code, kind: '食品经营许可证', holder_party: holderParty, holder_name: holderName, item_code: 'JP-T-1',
    issuer: '大连金普新区行政审批局', issued_on: '2026-03-02', valid_until: '2099-03-01', case_id: 0,
    fields: [['经营项目', '热食类食品制售']], key_id: Number(keyId), ...over,
  };
  const sorted = (v) => Array.isArray(v) ? v.map(sorted)
    : v && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sorted(v[k])])) : v;
  const payload = JSON.stringify(sorted(p));
  const sig = crypto.sign(null, Buffer.from(payload), key).toString('hex');
  const s = (x) => `'${String(x).replace(/'/g, "''")}'`;
  q(`INSERT INTO certificate(code, kind, holder_party, holder_name, item_code, issuer, issued_on, valid_until, payload, signature, key_id, status, created_at)
     VALUES (${s(code)}, ${s(p.kind)}, ${s(p.holder_party)}, ${s(p.holder_name)}, ${s(p.item_code)}, ${s(p.issuer)}, ${s(p.issued_on)}, ${s(p.valid_until)}, ${s(payload)}, ${s(sig)}, ${keyId}, 'valid', 0)`);
  return code;
}

test('a certificate signed outside the C code verifies; its holder and overseers get the PDF; revocation needs its case', async () => {
  const code = issueBySql(ent.user.party, '大连测试企业有限公司');
  const v = await srv.anon().get(`/api/v1/verify/${code}`);
  assert.equal(v.status, 200, v.text);
  assert.equal(v.body.genuine, true, 'the signature format is the documented one');
  assert.equal(v.body.status, 'valid');
  assert.equal(v.body.kind, '食品经营许可证');
  assert.equal(v.body.holder_party, ent.user.party, 'a company code is public');
  assert.deepEqual(v.body.fields, [['经营项目', '热食类食品制售']]);
  assert.equal((await srv.anon().get(`/verify/${code.toLowerCase()}`)).body.code, code);

  const pdf = await ent.get(`/api/v1/certificates/${code}/pdf`);
  assert.equal(pdf.status, 200, pdf.text);
  assert.equal(pdf.headers.get('content-type'), 'application/pdf');
  assert.equal(pdf.bytes.subarray(0, 5).toString(), '%PDF-');
  assert.equal(pdf.headers.get('content-disposition'), `inline; filename="certificate-${code}.pdf"`);
  assert.equal((await auditor.get(`/api/v1/certificates/${code}/pdf`)).status, 200);
  assertError(assert, await person.get(`/api/v1/certificates/${code}/pdf`), 404, 'cert.not_found');

  // Revocation goes through the case that issued a certificate: one that no
  // case issued cannot be revoked here (the case engine's revocation, with
  // its notice and timeline, is tested in scope.test.mjs).
  assertError(assert, await approver.post(`/api/v1/certificates/${code}/revoke`, { reason: '经营场所已变更' }), 403, 'cert.no_case');
  assert.equal((await srv.anon().get(`/verify/${code}`)).body.status, 'valid');
  assert.equal((await auditAfter(auditor, 0, '&action=cert.revoke')).length, 0);
});

test('a person\'s number is masked; an edited certificate is not genuine', async () => {
  const code = issueBySql(person.user.party, '李晓红');
  const v = (await srv.anon().get(`/api/v1/verify/${code}`)).body;
  assert.equal(v.genuine, true);
  const p = person.user.party;
  assert.equal(v.holder_party, `${p.slice(0, 6)}${'*'.repeat(p.length - 10)}${p.slice(-4)}`);
  srv.db.query(`UPDATE certificate SET valid_until = '2199-01-01', payload = replace(payload, '2099-03-01', '2199-01-01') WHERE code = '${code}'`);
  const t = (await srv.anon().get(`/api/v1/verify/${code}`)).body;
  assert.equal(t.genuine, false);
});

test('the server stops cleanly on SIGTERM (exit status 0)', async () => {
  await srv.stop();
});
