// shutdown.test.mjs — SIGTERM while requests are in flight: every request
// the server had accepted is answered in full, every registration it
// answered 201 is in the database after a restart, and the process exits 0.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import { startServer, cleanup, entityBody, PASSWORD, sleep } from './lib.mjs';

let srv;
before(async () => { srv = await startServer({ entities: 200, persons: 20 }); });
after(() => cleanup(srv));

// send(port, request) writes a whole request on a new connection and
// resolves {connected, status, body, error, at} when the answer is read.
function send(port, request, onWritten) {
  return new Promise((resolve) => {
    const sock = net.connect(port, '127.0.0.1');
    const chunks = [];
    let connected = false;
    sock.on('connect', () => { connected = true; sock.write(request, onWritten); });
    sock.on('data', (d) => chunks.push(d));
    const done = (error) => {
      const text = Buffer.concat(chunks).toString('utf8');
      const m = /^HTTP\/1\.1 (\d{3})/.exec(text);
      const i = text.indexOf('\r\n\r\n');
      resolve({ connected, status: m ? Number(m[1]) : 0, body: i >= 0 ? text.slice(i + 4) : '', error, at: Date.now(), text });
    };
    sock.on('error', (e) => done(e.code || String(e)));
    sock.on('end', () => done(null));
  });
}

// acceptQueue(port) is the number of connections waiting in the kernel's
// accept queue of the socket listening on port (for a socket in the LISTEN
// state, /proc/net/tcp shows that number as rx_queue).
function acceptQueue(port) {
  let n = 0;
  for (const f of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text;
    try { text = fs.readFileSync(f, 'utf8'); } catch { continue; }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols.length < 5 || cols[3] !== '0A') continue;
      if (parseInt(cols[1].split(':')[1], 16) !== port) continue;
      n += parseInt(cols[4].split(':')[1], 16);
    }
  }
  return n;
}

function httpRequest(method, p, body, headers = {}) {
  const b = body === undefined ? '' : JSON.stringify(body);
  const h = { Host: '127.0.0.1', Connection: 'close', ...headers };
  if (body !== undefined) { h['Content-Type'] = 'application/json'; h['Content-Length'] = Buffer.byteLength(b); }
  return `${method} ${p} HTTP/1.1\r\n${Object.entries(h).map(([k, v]) => `${k}: ${v}`).join('\r\n')}\r\n\r\n${b}`;
}

const LOGINS = ['leader', 'auditor', 'approver', 'scjg_approver', 'policy', 'invest', 'clerk2', 'admin'];

test('SIGTERM finishes the requests in flight and exits 0; their writes are kept', async () => {
  const tokenClient = await srv.tokenClient('clerk');
  const port = srv.port;
  // Logins hash passwords (argon2id, tens of ms each): 8 at once keep the
  // server busy well past the signal. Registrations ride along. Each login is
  // a different account: at most five logins of one account may be checked
  // at once (login throttling counts attempts in progress).
  let written = 0;
  const bodies = [];
  const all = [];
  const allWritten = new Promise((resolve) => {
    const mark = () => { if (++written === 16) resolve(); };
    for (let i = 0; i < 8; i++) {
      all.push(send(port, httpRequest('POST', '/api/v1/session', { username: LOGINS[i], password: PASSWORD }), mark));
      const b = entityBody();
      bodies.push(b);
      all.push(send(port, httpRequest('POST', '/api/v1/entities', b, { Authorization: `Bearer ${tokenClient.token}` }), mark));
    }
  });
  await allWritten;
  // "In flight" means the server has taken the connection: wait until the
  // listening socket's accept queue is empty (a connection still queued in
  // the kernel when the socket closes is refused, which is fair), then give
  // the workers a moment to read the requests.
  const deadline = Date.now() + 10_000;
  while (acceptQueue(port) > 0 && Date.now() < deadline) await sleep(5);
  assert.equal(acceptQueue(port), 0, 'the server accepted every connection');
  await sleep(50);
  const killedAt = Date.now();
  const exited = srv.stop();
  const results = await Promise.all(all);
  await exited; // throws unless the exit status is 0
  for (const [i, r] of results.entries()) {
    assert.ok(r.connected, `request ${i} connected`);
    assert.equal(r.error, null, `request ${i} was answered, not cut: ${r.error}`);
    assert.ok(r.status === 200 || r.status === 201,
      `request ${i} (${i % 2 ? 'register' : 'login'}) got no answer, ${r.at - killedAt} ms after SIGTERM: ${r.text.slice(0, 300)}\nserver log:\n${srv.log}`);
    JSON.parse(r.body);
  }
  assert.ok(results.some((r) => r.at > killedAt), 'some answers came after the signal, so they were in flight');
  // After SIGTERM nothing new is accepted.
  const late = await send(port, httpRequest('GET', '/healthz'));
  assert.ok(late.status === 0, `no answer after the server stopped: ${late.text}`);
  // Every 201 is durable.
  await srv.restart();
  const admin = await srv.login('admin');
  for (const b of bodies) {
    const g = await admin.get(`/api/v1/entities/${b.uscc}`);
    assert.equal(g.status, 200, `${b.uscc} kept after the shutdown`);
  }
});

test('a second SIGTERM-stop of a fresh server is clean too (idle server, exit 0)', async () => {
  await srv.stop();
  await srv.restart();
  assert.equal((await srv.api('GET', '/healthz')).status, 200);
  await srv.stop();
});
