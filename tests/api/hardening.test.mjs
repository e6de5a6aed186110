// hardening.test.mjs — the transport and document limits of issue 12, on a
// server started with small limits so each shows quickly:
//   framing: duplicate Content-Length, Content-Length with chunked,
//     an unknown Transfer-Encoding, a bare CR in a header are refused
//     (400/501) and the connection is closed, so nothing smuggled after
//     them is read;
//   slow clients: connections trickling their head, or stalling their
//     body, are cut at their deadline however often they send a byte; a
//     few addresses filling the connection table cannot keep a new one out;
//   uploads: the body bytes held in flight have a budget (503) and a
//     share per caller (429); each account has a quota of stored bytes and
//     a rate of uploads;
//   certificate PDFs: rendered ones are cached (and a revocation shows at
//     once), renders are rate-limited per account, and the verification
//     address on them is the configured public URL, whatever Host says.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { startServer, cleanup, assertError, sleep, xinqu } from './lib.mjs';

const PUBLIC_URL = 'https://zw.jinpu.example.gov.cn';
const HEADER_TIMEOUT_S = 3;
const MAX_CONNS = 48;
const PER_IP = 8;

let srv, ent, person, clerk, auditor, approver, tmp;

before(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'xinqu-hardening-'));
  srv = await startServer({
    entities: 50, persons: 10,
    extraArgs: ['--public-url', `${PUBLIC_URL}/`, '--max-conns', String(MAX_CONNS), '--per-ip', String(PER_IP),
      '--header-timeout', String(HEADER_TIMEOUT_S), '--body-rate', '512K', '--body-budget', '6M',
      '--upload-quota', '3M', '--upload-rate', '5', '--pdf-rate', '2'],
  });
  [ent, person, clerk, auditor, approver] = await Promise.all(
    ['ent', 'person', 'clerk', 'auditor', 'approver'].map((u) => srv.login(u)));
});
after(async () => {
  await cleanup(srv);
  fs.rmSync(tmp, { recursive: true, force: true });
});

// ---- raw connections

// conn({from}) opens a TCP connection to the server (from a local address
// such as 127.0.0.2) and resolves once connected, with:
//   send(text|Buffer), data (Buffer so far), closed (bool),
//   whenClosed(ms) → true if the server closed it within ms, else false.
function conn({ from } = {}) {
  return new Promise((resolve, reject) => {
    const s = net.connect({ port: srv.port, host: '127.0.0.1', ...(from ? { localAddress: from } : {}) });
    const c = {
      sock: s, chunks: [], closed: false, waiters: [],
      get data() { return Buffer.concat(this.chunks); },
      send(x) { if (!this.closed) s.write(typeof x === 'string' ? Buffer.from(x, 'latin1') : x); },
      whenClosed(ms) {
        if (this.closed) return Promise.resolve(true);
        return new Promise((res) => {
          const t = setTimeout(() => res(false), ms);
          this.waiters.push(() => { clearTimeout(t); res(true); });
        });
      },
      destroy() { s.destroy(); },
    };
    s.on('data', (d) => c.chunks.push(d));
    const done = () => { if (c.closed) return; c.closed = true; for (const w of c.waiters) w(); };
    s.on('close', done);
    s.on('error', () => {});
    s.once('connect', () => resolve(c));
    s.once('error', (e) => { if (!c.closed) reject(e); });
  });
}

// exchange(text) sends one raw request and waits (at most 5 s) for the
// server to close the connection: {status, head, statuses (every status
// line in the answer), closed}.
async function exchange(text) {
  const c = await conn();
  c.send(text);
  const closed = await c.whenClosed(5000);
  c.destroy();
  const all = c.data.toString('latin1');
  const head = all.split('\r\n\r\n')[0];
  const statuses = [...all.matchAll(/HTTP\/1\.[01] (\d{3})/g)].map((m) => Number(m[1]));
  const i = all.indexOf('\r\n\r\n');
  let body = null;
  try { body = JSON.parse(Buffer.from(all.slice(i + 4), 'latin1').toString('utf8')); } catch { /* not JSON */ }
  return { status: statuses[0] || 0, statuses, head, body, closed };
}

// ---- framing

test('two Content-Length headers are refused with 400 and the connection closed, equal or not', async () => {
  for (const [a, b] of [['2', '40'], ['40', '2'], ['2', '2']]) {
    const r = await exchange(`POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n`
      + `Content-Length: ${a}\r\nContent-Length: ${b}\r\n\r\n{}${' '.repeat(38)}`);
    assert.equal(r.status, 400, r.head);
    assert.equal(r.body.error.code, 'request.bad_length');
    assert.match(r.head, /\r\nConnection: close/i);
    assert.ok(r.closed, 'the server closes the connection');
    assert.deepEqual(r.statuses, [400], 'nothing after the head is read as a request');
  }
  const bad = await exchange('GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: +5\r\n\r\n');
  assert.equal(bad.status, 400, bad.head);
  assert.ok(bad.closed);
});

test('Content-Length with chunked is refused: the request smuggled after it is never served', async () => {
  const smuggled = 'GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n';
  const r = await exchange('POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n'
    + 'Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n' + smuggled);
  assert.equal(r.status, 400, r.head);
  assert.equal(r.body.error.code, 'request.bad_length');
  assert.ok(r.closed);
  assert.deepEqual(r.statuses, [400], 'one answer only: the smuggled GET is not served');
});

test('an unknown Transfer-Encoding gets 501 at once and the connection is closed', async () => {
  for (const te of ['gzip', 'gzip, chunked', 'chunked, gzip', 'identity', 'xchunked']) {
    const r = await exchange(`POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n`
      + `Transfer-Encoding: ${te}\r\n\r\n2\r\n{}\r\n0\r\n\r\n`);
    assert.equal(r.status, 501, `${te}: ${r.head}`);
    assert.equal(r.body.error.code, 'request.bad_transfer_encoding');
    assert.ok(r.closed, `${te}: closed, not left to the timeout`);
  }
  const two = await exchange('POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n'
    + 'Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n');
  assert.equal(two.status, 501, two.head);
  // Plain chunked still works.
  const ok = await exchange('POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n'
    + 'Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n2\r\n{}\r\n0\r\n\r\n');
  assert.equal(ok.status, 400, ok.head);
  assert.equal(ok.body.error.code, 'request.missing_field', 'the chunked body was read and parsed');
});

test('a bare CR or another control character in a header value is refused with 400', async () => {
  for (const v of ['a\rb', 'a\x01b', 'a\x7fb', 'chunked\rX-Evil: 1']) {
    const r = await exchange(`GET /healthz HTTP/1.1\r\nHost: x\r\nX-A: ${v}\r\n\r\n`);
    assert.equal(r.status, 400, JSON.stringify(v) + ' ' + r.head);
    assert.equal(r.body.error.code, 'request.bad_header');
    assert.ok(r.closed);
  }
  const tab = await exchange('GET /healthz HTTP/1.1\r\nHost: x\r\nX-A: a\tb\r\nConnection: close\r\n\r\n');
  assert.equal(tab.status, 200, 'a TAB is allowed in a value');
});

// ---- slow clients

test('a client trickling its head is cut at the header deadline, however often it sends', async () => {
  const line = await conn();
  const head = await conn();
  head.send('GET /healthz HTTP/1.1\r\nHost: x\r\n');
  let n = 0;
  const timer = setInterval(() => { line.send('GET /healthz'[n % 12]); head.send(n % 2 ? '\r\n' : 'X-Slow: 1'); n++; }, 400);
  try {
    // Both keep sending a byte every 400 ms: an idle timeout never fires.
    assert.ok(await line.whenClosed((HEADER_TIMEOUT_S + 4) * 1000), 'a trickled request line is cut');
    assert.ok(await head.whenClosed(4000), 'trickled headers are cut');
    assert.equal(head.data.length, 0, 'no answer: the request never came');
  } finally {
    clearInterval(timer);
    line.destroy();
    head.destroy();
  }
});

test('a stalled upload is cut once its body deadline passes', async () => {
  const c = await conn();
  // 256 KiB at the configured 512 KiB/s: a deadline of the header time plus 0.5 s.
  c.send(`POST /api/v1/uploads HTTP/1.1\r\nHost: x\r\nCookie: ${ent.cookie}\r\nX-CSRF-Token: ${ent.csrf}\r\n`
    + `Content-Type: application/pdf\r\nContent-Length: ${256 * 1024}\r\n\r\n%PDF-1.4\n`);
  const timer = setInterval(() => c.send('x'), 400);
  try {
    assert.ok(await c.whenClosed((HEADER_TIMEOUT_S + 5) * 1000), 'cut though it still sends a byte now and then');
  } finally {
    clearInterval(timer);
    c.destroy();
  }
});

test('slow connections from a few addresses cannot keep a new client out', async () => {
  const held = [];
  // Every 300 ms each slow connection sends one more byte: of a header
  // value, or of a stalled body.
  const timer = setInterval(() => { for (const c of held) c.send(c.body ? 'x' : 'a'); }, 300);
  try {
    // Six addresses each try to open PER_IP + 2 connections, all at once (a
    // connection's deadline runs from its accept, so the attack is set up
    // well within it however busy the machine): every other one trickles
    // its headers, the others stall in a (login) body.
    const t0 = Date.now();
    const tries = [];
    for (let a = 2; a <= 7; a++) {
      for (let i = 0; i < PER_IP + 2; i++) {
        tries.push(conn({ from: `127.0.0.${a}` }).then((c) => {
          c.body = i % 2 === 1;
          c.send(c.body
            ? 'POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 4000\r\n\r\n{"username":"'
            : 'GET /healthz HTTP/1.1\r\nHost: x\r\nX-Pad: ');
          return c;
        }));
      }
    }
    held.push(...await Promise.all(tries));
    await sleep(300);
    const setup = Date.now() - t0;
    const open = held.filter((c) => !c.closed).length;
    assert.ok(open >= MAX_CONNS - MAX_CONNS / 8 - 4, `the attack holds most of the table (${open} open, set up in ${setup} ms)`);
    for (let a = 2; a <= 7; a++) {
      const mine = held.filter((c) => !c.closed && c.sock.localAddress === `127.0.0.${a}`).length;
      assert.ok(mine <= PER_IP, `127.0.0.${a} holds ${mine} ≤ ${PER_IP}`);
    }
    // A new client (a new address: not this process's own, whose kept-alive
    // connections from earlier calls count against it) is served at once,
    // while the slow ones are still there.
    const fresh = await conn({ from: '127.0.0.9' });
    fresh.send('GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    assert.ok(await fresh.whenClosed(1500), `the new client was answered within 1.5 s (set up in ${setup} ms)`);
    assert.equal(statusOf(fresh), 200, fresh.data.toString('latin1'));
    const still = held.filter((c) => !c.closed).length;
    assert.ok(still >= open - 2, `the slow connections were still open (${still} of ${open}, ${Date.now() - t0} ms after the first)`);
    // And every one of them is gone once the header deadline has passed.
    const cut = await Promise.all(held.map((c) => c.whenClosed((HEADER_TIMEOUT_S + 3) * 1000)));
    assert.ok(cut.every(Boolean), 'all slow connections cut at their deadline');
    assert.ok(held.every((c) => c.data.length === 0), 'none was answered: they were cut');
  } finally {
    clearInterval(timer);
    for (const c of held) c.destroy();
  }
});

// ---- uploads

// pdf(n) is n bytes that start like a PDF (content sniffing says PDF), each
// call different.
const pdf = (n) => Buffer.concat([Buffer.from('%PDF-1.4\n'), crypto.randomBytes(n - 9)]);
const put = (client, body) => client.api('POST', '/api/v1/uploads', body, { headers: { 'Content-Type': 'application/octet-stream' } });

// stall(client, length) starts an upload of length bytes, sends its first
// KiB and stops; resolves with the connection once the server has taken the
// head (an answer, if any, is in c.data).
async function stall(client, length) {
  const c = await conn();
  c.send(`POST /api/v1/uploads HTTP/1.1\r\nHost: x\r\nCookie: ${client.cookie}\r\nX-CSRF-Token: ${client.csrf}\r\n`
    + `Content-Type: application/octet-stream\r\nContent-Length: ${length}\r\n\r\n`);
  c.send(pdf(1024));
  await sleep(300);
  return c;
}
const statusOf = (c) => Number((/^HTTP\/1\.1 (\d{3})/.exec(c.data.toString('latin1')) || [])[1] || 0);

test('bodies in flight have a budget (503) and a share per account (429), both with Retry-After', async () => {
  const MiB = 1024 * 1024;
  const conns = [];
  try {
    const a = await stall(ent, 2 * MiB);           // budget 6 MiB: 2 held
    conns.push(a);
    assert.equal(a.data.length, 0, 'the first upload is being read');
    const a2 = await stall(ent, 1 * MiB);          // ent holds 2 MiB > a quarter of the budget
    conns.push(a2);
    assert.equal(statusOf(a2), 429, a2.data.toString('latin1'));
    assert.match(a2.data.toString('latin1'), /rate\.limited/);
    assert.match(a2.data.toString('latin1'), /\r\nRetry-After: \d+/i);
    const b = await stall(person, 3 * MiB);        // another account: 5 of 6 MiB held
    conns.push(b);
    assert.equal(b.data.length, 0);
    const c = await stall(clerk, 2 * MiB);         // 7 > 6 MiB: the server's budget
    conns.push(c);
    assert.equal(statusOf(c), 503, c.data.toString('latin1'));
    assert.match(c.data.toString('latin1'), /server\.busy/);
    assert.match(c.data.toString('latin1'), /\r\nRetry-After: \d+/i);
  } finally {
    for (const c of conns) c.destroy();
  }
  // Once the stalled uploads are gone, their bytes are given back.
  let r;
  for (let i = 0; i < 50; i++) {
    r = await put(clerk, pdf(2 * MiB));
    if (r.status !== 503) break;
    await sleep(100);
  }
  assert.equal(r.status, 201, r.text);
});

test('an account has a quota of stored upload bytes: upload.quota (429), and nothing is stored past it', async () => {
  const MiB = 1024 * 1024;
  const firstBytes = pdf(MiB + 512 * 1024);
  const first = await put(ent, firstBytes);
  assert.equal(first.status, 201, first.text);
  const second = await put(ent, pdf(MiB));
  assert.equal(second.status, 201, second.text);
  const big = pdf(MiB);
  const over = await put(ent, big);                // 3.5 MiB > 3 MiB
  assertError(assert, over, 429, 'upload.quota');
  const sha = crypto.createHash('sha256').update(big).digest('hex');
  assert.equal(srv.db.query(`SELECT COUNT(*) FROM blob WHERE sha256 = '${sha}'`), '0', 'nothing stored');
  // Bytes already stored cost nothing: the same file again is fine.
  const again = await put(ent, firstBytes);
  assert.equal(again.status, 201, again.text);
  assert.equal(again.body.sha256, first.body.sha256);
  // Another account has its own quota.
  assert.equal((await put(person, pdf(MiB))).status, 201);
});

test('uploads are rate-limited per account: rate.limited with Retry-After', async () => {
  const answers = [];
  for (let i = 0; i < 6; i++) answers.push(await put(approver, pdf(1024)));
  assert.deepEqual(answers.slice(0, 5).map((r) => r.status), [201, 201, 201, 201, 201]);
  assertError(assert, answers[5], 429, 'rate.limited');
  assert.match(answers[5].headers.get('retry-after') || '', /^[1-9]\d*$/);
  // Another account is not affected.
  assert.equal((await put(auditor, pdf(1024))).status, 201);
});

// ---- certificate PDFs

// issueBySql() makes a certificate as docs_cert_issue() would, from outside:
// the payload written and signed here with the server's active key.
function issueBySql(holderParty, holderName) {
  const q = (sql) => srv.db.query(sql);
  const row = srv.db.kind === 'pg'
    ? q("SELECT id, encode(secret_key, 'hex') FROM signing_key WHERE active = 1")
    : q('SELECT id, lower(hex(secret_key)) FROM signing_key WHERE active = 1');
  const [keyId, skHex] = row.split('|');
  const seed = Buffer.from(skHex, 'hex').subarray(0, 32);
  const key = crypto.createPrivateKey({ key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]), format: 'der', type: 'pkcs8' });
  const alphabet = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
  const code = [...crypto.randomBytes(20)].map((b) => alphabet[b & 31]).join('');
  const p = {
    v: 1, code, kind: '食品经营许可证', holder_party: holderParty, holder_name: holderName, item_code: 'JP-T-1',
    issuer: '大连金普新区行政审批局', issued_on: '2026-03-02', valid_until: '2099-03-01', case_id: 0,
    fields: [['经营项目', '热食类食品制售']], key_id: Number(keyId),
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

// pdfText(bytes) is the text pdftotext reads from a PDF, without white space.
function pdfText(bytes) {
  const f = path.join(tmp, `${crypto.randomBytes(4).toString('hex')}.pdf`);
  fs.writeFileSync(f, bytes);
  const r = spawnSync('pdftotext', ['-enc', 'UTF-8', f, '-'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.replace(/\s+/g, '');
}

// rawPdf(client, code, extra) fetches a certificate's PDF over a raw socket
// (so Host and X-Forwarded-* are exactly what the test says): {status, body}.
async function rawPdf(client, code, extra) {
  const c = await conn();
  c.send(`GET /api/v1/certificates/${code}/pdf HTTP/1.1\r\n${extra}Cookie: ${client.cookie}\r\nConnection: close\r\n\r\n`);
  assert.ok(await c.whenClosed(10_000));
  const all = c.data, i = all.indexOf('\r\n\r\n');
  return { status: Number(/^HTTP\/1\.1 (\d{3})/.exec(all.toString('latin1'))[1]), body: all.subarray(i + 4) };
}

test('the verification address on a certificate PDF is the configured public URL, never the Host header', async () => {
  const code = issueBySql(ent.user.party, '大连测试企业有限公司');
  const r = await rawPdf(auditor, code, 'Host: evil.example\r\nX-Forwarded-Proto: https\r\nX-Forwarded-Host: evil.example\r\n');
  assert.equal(r.status, 200);
  const text = pdfText(r.body);
  assert.ok(text.includes(`${PUBLIC_URL}/verify/${code}`), `the PDF names ${PUBLIC_URL}: ${text}`);
  assert.ok(!text.includes('evil.example'), 'nothing from the request headers');
});

test('certificate PDFs are cached until the certificate changes, and renders are rate-limited per account', async () => {
  const [c1, c2, c3] = [1, 2, 3].map(() => issueBySql(ent.user.party, '大连测试企业有限公司'));
  const a = await ent.get(`/api/v1/certificates/${c1}/pdf`);
  assert.equal(a.status, 200, a.text);
  await sleep(1100); // a new rendering would carry a new creation time
  const b = await ent.get(`/api/v1/certificates/${c1}/pdf`);
  assert.equal(b.status, 200, b.text);
  assert.ok(a.bytes.equals(b.bytes), 'the second answer is the cached PDF');
  // pdf-rate 2: c1 took one token; c2 takes the last; the cached c1 costs none; c3 must wait.
  assert.equal((await ent.get(`/api/v1/certificates/${c2}/pdf`)).status, 200);
  assert.equal((await ent.get(`/api/v1/certificates/${c1}/pdf`)).status, 200);
  const limited = await ent.get(`/api/v1/certificates/${c3}/pdf`);
  assertError(assert, limited, 429, 'rate.limited');
  assert.match(limited.headers.get('retry-after') || '', /^[1-9]\d*$/);
  assert.equal((await auditor.get(`/api/v1/certificates/${c3}/pdf`)).status, 200, 'another account renders');

  // Revoked (these certificates have no case to revoke them through, so
  // the row is changed as the case's revocation changes it): the cached PDF
  // is not served any more.
  srv.db.query(`UPDATE certificate SET status = 'revoked', revoked_at = ${Date.now()}, revoke_reason = '测试撤销' WHERE code = '${c1}'`);
  const revoked = await clerk.get(`/api/v1/certificates/${c1}/pdf`);
  assert.equal(revoked.status, 200, revoked.text);
  assert.ok(!revoked.bytes.equals(a.bytes));
  assert.ok(pdfText(revoked.bytes).includes('本证照已撤销'), 'the revoked PDF says so');
  assert.ok(!pdfText(a.bytes).includes('本证照已撤销'));
});

test('serve refuses a public URL that is not an http(s) address, and limits that are not numbers', () => {
  for (const bad of ['javascript:alert(1)', 'https://', 'https://x.example/?q=1', 'ftp://x.example', 'https://a b']) {
    const r = xinqu(['serve', '--db', srv.db.url, '--listen', '127.0.0.1:0', '--public-url', bad], { timeout: 30_000 });
    assert.equal(r.status, 1, `${bad}: ${r.stderr}`);
    assert.match(r.stderr, /public-url/);
  }
  for (const [opt, v] of [['--per-ip', 'abc'], ['--body-budget', '-1'], ['--upload-quota', '5X'], ['--header-timeout', '0']]) {
    const r = xinqu(['serve', '--db', srv.db.url, '--listen', '127.0.0.1:0', opt, v], { timeout: 30_000 });
    assert.equal(r.status, 2, `${opt} ${v}: ${r.stderr}`);
    assert.ok(r.stderr.includes(opt), r.stderr);
  }
});

test('the server stops cleanly on SIGTERM (exit status 0)', async () => {
  await srv.stop();
});
