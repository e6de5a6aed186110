// tests/api/lib.mjs — what every black-box API test uses: a real xinqu server
// on a fresh database (SQLite file or a new PostgreSQL database, chosen by
// XINQU_TEST_DB), HTTP clients that keep the session cookie and CSRF token,
// a raw-socket request for paths a client would normalise, the CLI, direct
// SQL for tampering, and independent generators of valid codes.
//
//   const srv = await startServer();          // init --demo jinpu, serve --demo, wait for /healthz
//   const clerk = await srv.login('clerk');   // password Jinpu@2026
//   const r = await clerk.api('POST', '/api/v1/entities', {...});
//   r.status, r.body (parsed JSON or null), r.text, r.headers
//   await srv.stop();                         // SIGTERM; throws unless exit status 0
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const XINQU = process.env.XINQU_BIN || path.join(ROOT, 'build/xinqu');
export const PASSWORD = 'Jinpu@2026';
export const DB_KIND = process.env.XINQU_TEST_DB || 'sqlite';

// The demo accounts of the Jinpu pack and the role each must have.
export const DEMO_USERS = {
  admin: 'admin',
  clerk: 'clerk',
  clerk2: 'clerk',
  approver: 'approver',
  scjg_approver: 'approver',
  policy: 'policy',
  invest: 'invest',
  leader: 'leader',
  auditor: 'auditor',
  ent: 'applicant',
  person: 'applicant',
};
export const ROLES = ['applicant', 'clerk', 'approver', 'policy', 'invest', 'leader', 'auditor', 'admin'];

const CJK = /[\u4e00-\u9fff]/;
export const hasChinese = (s) => typeof s === 'string' && CJK.test(s);
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------------------
// Processes

// xinqu(args, {input, env, timeout}) runs the CLI synchronously from the
// repo root and returns {status, signal, stdout, stderr}.
export function xinqu(args, opts = {}) {
  const r = spawnSync(XINQU, args, {
    cwd: ROOT,
    input: opts.input,
    env: { ...process.env, XINQU_DB: '', ...(opts.env || {}) },
    encoding: 'utf8',
    timeout: opts.timeout ?? 300_000,
    maxBuffer: 256 * 1024 * 1024,
  });
  if (r.error) throw r.error;
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

// xinquAsync(args) runs the CLI without blocking the event loop (for long
// commands while a server in this process must keep answering).
export function xinquAsync(args, opts = {}) {
  return new Promise((resolve, reject) => {
    const p = spawn(XINQU, args, { cwd: ROOT, env: { ...process.env, XINQU_DB: '', ...(opts.env || {}) } });
    let stdout = '', stderr = '';
    p.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
    p.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    if (opts.input !== undefined) p.stdin.end(opts.input);
    else p.stdin.end();
    p.on('error', reject);
    p.on('close', (status, signal) => resolve({ status, signal, stdout, stderr }));
  });
}

function must(r, what) {
  if (r.status !== 0) {
    throw new Error(`${what} failed (status ${r.status}, signal ${r.signal}):\n${r.stdout}\n${r.stderr}`);
  }
  return r;
}

// freePort() asks the kernel for a free port on 127.0.0.1.
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

// ---------------------------------------------------------------------------
// Databases

function pgBase() {
  const u = process.env.XINQU_TEST_PG;
  if (!u) throw new Error('XINQU_TEST_DB=pg needs XINQU_TEST_PG (postgresql://postgres@127.0.0.1:PORT/xinqu); scripts/test sets it');
  return new URL(u);
}

function psqlArgs(u, db) {
  return ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-At', '-h', u.hostname, '-p', u.port || '5432',
    '-U', decodeURIComponent(u.username || 'postgres'), '-d', db];
}

// newDatabase(kind) makes an empty database and returns
// {kind, url, file (SQLite), name (PG), query(sql), drop()}.
export function newDatabase(kind = DB_KIND) {
  if (kind === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xinqu-api-'));
    const file = path.join(dir, 'xinqu.db');
    return {
      kind, dir, file, url: `sqlite:${file}`,
      query(sql) {
        const r = spawnSync('sqlite3', ['-batch', file, sql], { encoding: 'utf8' });
        if (r.error) throw r.error;
        must(r, `sqlite3 ${sql}`);
        return r.stdout.trim();
      },
      drop() { fs.rmSync(dir, { recursive: true, force: true }); },
    };
  }
  if (kind === 'pg') {
    const base = pgBase();
    const name = `xq_${process.pid}_${crypto.randomBytes(4).toString('hex')}`;
    const admin = (sql) => {
      const r = spawnSync('psql', [...psqlArgs(base, base.pathname.slice(1) || 'postgres'), '-c', sql], { encoding: 'utf8' });
      if (r.error) throw r.error;
      return must(r, `psql ${sql}`);
    };
    admin(`CREATE DATABASE ${name}`);
    const u = new URL(base.href);
    u.pathname = `/${name}`;
    return {
      kind, name, url: u.href,
      query(sql) {
        const r = spawnSync('psql', [...psqlArgs(base, name), '-c', sql], { encoding: 'utf8' });
        if (r.error) throw r.error;
        must(r, `psql ${sql}`);
        return r.stdout.trim();
      },
      drop() { try { admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`); } catch { /* the cluster is thrown away anyway */ } },
    };
  }
  throw new Error(`XINQU_TEST_DB must be sqlite or pg, not ${kind}`);
}

// initDatabase(db, {entities, persons, cases, pipeline}) runs `xinqu init
// --demo jinpu`; cases is the demo history's size (0, the default: none, so
// tests start from empty queues); pipeline true loads the demo's 招商
// pipeline of 2019–2021 too (by default none, so 招商 tests start empty).
export function initDatabase(db, { entities = 2000, persons = 200, cases = 0, pipeline = false } = {}) {
  return must(xinqu(['init', '--db', db.url, '--demo', 'jinpu', '--entities', String(entities),
    '--persons', String(persons), '--cases', String(cases), ...(pipeline ? [] : ['--no-pipeline'])]), 'xinqu init');
}

// ---------------------------------------------------------------------------
// HTTP

// Response: {status, headers (a Headers), text, body (JSON or null), setCookies}.
async function toResult(res) {
  const buf = Buffer.from(await res.arrayBuffer());
  const text = buf.toString('utf8');
  let body = null;
  const ct = res.headers.get('content-type') || '';
  if (ct.includes('json')) {
    try { body = JSON.parse(text); } catch { body = null; }
  }
  return { status: res.status, headers: res.headers, text, bytes: buf, body, setCookies: res.headers.getSetCookie() };
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

// A Client talks to one server as one caller: anonymous, a cookie session
// (cookie + CSRF token kept from login) or an API token (Bearer).
export class Client {
  constructor(base, { cookie = null, csrf = null, token = null, user = null } = {}) {
    this.base = base;
    this.cookie = cookie;
    this.csrf = csrf;
    this.token = token;
    this.user = user;
  }

  // api(method, path, body, {headers, csrf, raw}) sends one request.
  // body: undefined (none), a string or Buffer (sent as is, Content-Type
  // application/json unless headers say otherwise), or a value sent as JSON.
  // The CSRF token goes with unsafe methods unless opts.csrf === false (or
  // a header X-CSRF-Token is given). With raw the fetch Response is returned.
  async api(method, p, body, opts = {}) {
    const headers = { ...(opts.headers || {}) };
    const lower = Object.fromEntries(Object.keys(headers).map((k) => [k.toLowerCase(), k]));
    if (this.cookie && !lower.cookie) headers.Cookie = this.cookie;
    if (this.token && !lower.authorization) headers.Authorization = `Bearer ${this.token}`;
    if (UNSAFE.has(method) && this.csrf && opts.csrf !== false && !lower['x-csrf-token']) {
      headers['X-CSRF-Token'] = this.csrf;
    }
    let payload;
    if (body !== undefined) {
      payload = typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
      if (!lower['content-type']) headers['Content-Type'] = 'application/json';
    }
    const res = await fetch(this.base + p, { method, headers, body: payload, redirect: 'manual' });
    if (opts.raw) return res;
    return toResult(res);
  }

  get(p, opts) { return this.api('GET', p, undefined, opts); }
  post(p, body, opts) { return this.api('POST', p, body, opts); }
  patch(p, body, opts) { return this.api('PATCH', p, body, opts); }
}

// rawRequest(port, text) writes text to a fresh TCP connection (so nothing
// normalises the request target) and resolves with {status, head, body,
// text} once the server closes the connection (or after timeoutMs).
export function rawRequest(port, text, { timeoutMs = 10_000 } = {}) {
  return new Promise((resolve, reject) => {
    const sock = net.connect(port, '127.0.0.1');
    const chunks = [];
    const timer = setTimeout(() => { sock.destroy(); finish(); }, timeoutMs);
    let done = false;
    function finish() {
      if (done) return;
      done = true;
      clearTimeout(timer);
      const all = Buffer.concat(chunks).toString('latin1');
      const i = all.indexOf('\r\n\r\n');
      const head = i >= 0 ? all.slice(0, i) : all;
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(head);
      resolve({ status: m ? Number(m[1]) : 0, head, body: i >= 0 ? Buffer.from(all.slice(i + 4), 'latin1').toString('utf8') : '', text: all });
    }
    sock.on('connect', () => sock.write(text));
    sock.on('data', (d) => chunks.push(d));
    sock.on('end', finish);
    sock.on('close', finish);
    sock.on('error', (e) => { if (chunks.length) finish(); else { clearTimeout(timer); reject(e); } });
  });
}

// ---------------------------------------------------------------------------
// The server

export class Server {
  // demo: serve in demo mode (`--demo`), where the demo accounts' published
  // password works without a change; false to serve as a real deployment.
  constructor(db, { staticDir = null, extraArgs = [], demo = true } = {}) {
    this.db = db;
    this.staticDir = staticDir;
    this.extraArgs = demo ? ['--demo', ...extraArgs] : extraArgs;
    this.proc = null;
    this.log = '';
  }

  get base() { return `http://127.0.0.1:${this.port}`; }

  // start() runs `xinqu serve` on a free port and waits for /healthz.
  async start() {
    if (this.proc) throw new Error('server already running');
    let lastErr;
    for (let attempt = 0; attempt < 3; attempt++) {
      this.port = await freePort();
      try {
        await this._spawn();
        return this;
      } catch (e) {
        lastErr = e;
        if (this.proc) await this.kill();
      }
    }
    throw lastErr;
  }

  async _spawn() {
    const args = ['serve', '--db', this.db.url, '--listen', `127.0.0.1:${this.port}`,
      '--static', this.staticDir || path.join(os.tmpdir(), 'xinqu-no-static-dir'), ...this.extraArgs];
    const p = spawn(XINQU, args, { cwd: ROOT, env: { ...process.env, XINQU_DB: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
    this.proc = p;
    this.log = '';
    const keep = (d) => { this.log += d; if (this.log.length > 200_000) this.log = this.log.slice(-100_000); };
    p.stdout.setEncoding('utf8').on('data', keep);
    p.stderr.setEncoding('utf8').on('data', keep);
    this.exited = new Promise((resolve) => p.on('exit', (code, signal) => resolve({ code, signal })));
    let exit = null;
    this.exited.then((x) => { exit = x; });
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      if (exit) throw new Error(`xinqu serve exited (${exit.code ?? exit.signal}) before answering /healthz:\n${this.log}`);
      try {
        const r = await fetch(`${this.base}/healthz`);
        if (r.status === 200) { await r.arrayBuffer(); return; }
      } catch { /* not yet listening */ }
      await sleep(50);
    }
    throw new Error(`xinqu serve did not answer /healthz within 60 s:\n${this.log}`);
  }

  // stop() sends SIGTERM and waits; throws unless the exit status is 0.
  async stop({ timeoutMs = 30_000 } = {}) {
    if (!this.proc) return { code: 0, signal: null };
    const p = this.proc;
    p.kill('SIGTERM');
    let timer;
    const res = await Promise.race([this.exited, new Promise((r) => { timer = setTimeout(() => r(null), timeoutMs); })]);
    clearTimeout(timer);
    this.proc = null;
    if (!res) {
      p.kill('SIGKILL');
      throw new Error(`xinqu serve did not exit within ${timeoutMs} ms of SIGTERM:\n${this.log}`);
    }
    if (res.code !== 0) throw new Error(`xinqu serve exited with ${res.code ?? res.signal} after SIGTERM:\n${this.log}`);
    return res;
  }

  // kill() ends the server at once with SIGKILL (crash tests, cleanup).
  async kill() {
    if (!this.proc) return;
    this.proc.kill('SIGKILL');
    await this.exited;
    this.proc = null;
  }

  // restart() starts a new server process on the same database.
  async restart() { await this.start(); return this; }

  anon() { return new Client(this.base); }
  api(method, p, body, opts) { return this.anon().api(method, p, body, opts); }

  // tryLogin() returns the raw answer to POST /api/v1/session.
  tryLogin(username, password = PASSWORD) {
    return this.anon().api('POST', '/api/v1/session', { username, password });
  }

  // login() returns a Client holding the session cookie and CSRF token.
  async login(username, password = PASSWORD) {
    const r = await this.tryLogin(username, password);
    if (r.status !== 200) throw new Error(`login ${username} → ${r.status} ${r.text}`);
    const cookie = r.setCookies.map((c) => c.split(';')[0]).find((c) => c.startsWith('xq_session='));
    if (!cookie) throw new Error(`login ${username}: no xq_session cookie in ${JSON.stringify(r.setCookies)}`);
    return new Client(this.base, { cookie, csrf: r.body.csrf, user: r.body.user });
  }

  // loginIssued() logs in an account an administrator made with password
  // issued and, as its holder must first, sets its own password; returns a
  // client of the new session.
  async loginIssued(username, issued) {
    const c = await this.login(username, issued);
    const own = `${issued}~${username.length}`;
    const r = await c.post('/api/v1/me/password', { current: issued, new: own });
    if (r.status !== 200) throw new Error(`password change of ${username} → ${r.status} ${r.text}`);
    return this.login(username, own);
  }

  // tokenClient() logs in, creates an API token and returns a Bearer client.
  async tokenClient(username, name = 'test') {
    const c = await this.login(username);
    const r = await c.post('/api/v1/tokens', { name });
    if (r.status !== 201) throw new Error(`token for ${username} → ${r.status} ${r.text}`);
    return new Client(this.base, { token: r.body.token, user: c.user });
  }

  // cli(args) runs the CLI against this server's database.
  cli(args, opts) { return xinqu([...args, '--db', this.db.url], opts); }
  cliAsync(args, opts) { return xinquAsync([...args, '--db', this.db.url], opts); }
}

// startServer({entities, persons, staticDir, init}) makes a fresh database,
// loads the demo pack into it and starts a server on it.
export async function startServer(opts = {}) {
  const db = opts.db || newDatabase(opts.kind || DB_KIND);
  if (opts.init !== false) initDatabase(db, opts);
  const srv = new Server(db, opts);
  await srv.start();
  return srv;
}

// cleanup(srv) is for after(): kills a server still running and drops its
// database. It never hides a failure a test has already asserted.
export async function cleanup(srv) {
  if (!srv) return;
  await srv.kill();
  srv.db.drop();
}

// ---------------------------------------------------------------------------
// Audit helpers

// auditAfter(client, afterId) returns every audit event with id > afterId.
export async function auditAfter(client, afterId = 0, query = '') {
  const out = [];
  let after = afterId;
  for (;;) {
    const r = await client.get(`/api/v1/audit?after_id=${after}&limit=1000${query}`);
    if (r.status !== 200) throw new Error(`GET /api/v1/audit → ${r.status} ${r.text}`);
    out.push(...r.body.items);
    if (r.body.items.length < 1000) return out;
    after = r.body.items[r.body.items.length - 1].id;
  }
}

// lastAuditId(client) is the id of the newest audit event.
export async function lastAuditId(client) {
  const all = await auditAfter(client, 0);
  return all.length ? all[all.length - 1].id : 0;
}

// ---------------------------------------------------------------------------
// Codes, made independently of xinqu's C code.

const ALPHA31 = '0123456789ABCDEFGHJKLMNPQRTUWXY';

// orgCheck() is the GB 11714 check character of 8 characters 0-9A-Z.
export function orgCheck(body8) {
  const w = [3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += parseInt(body8[i], 36) * w[i];
  const c = 11 - (sum % 11);
  return c === 10 ? 'X' : c === 11 ? '0' : String(c);
}

// usccCheck() is the GB 32100 check character of 17 characters (weights
// 3^i mod 31).
export function usccCheck(s17) {
  let sum = 0, w = 1;
  for (let i = 0; i < 17; i++) {
    sum += ALPHA31.indexOf(s17[i]) * w;
    w = (w * 3) % 31;
  }
  return ALPHA31[(31 - (sum % 31)) % 31];
}

// makeUscc(cat) is a random valid USCC of a market entity (department 9,
// category cat: '1' enterprise, '2' 个体工商户, '3' 农民专业合作社) in 210213.
export function makeUscc(cat = '1', division = '210213') {
  let body = '';
  const bytes = crypto.randomBytes(8);
  for (let i = 0; i < 8; i++) body += ALPHA31[bytes[i] % 31];
  const s17 = `9${cat}${division}${body}${orgCheck(body)}`;
  return s17 + usccCheck(s17);
}

// badCheckUscc(u) changes the last character of a valid USCC so the check fails.
export function badCheckUscc(u) {
  const last = u[17];
  const other = ALPHA31[(ALPHA31.indexOf(last) + 1) % 31];
  return u.slice(0, 17) + other;
}

// idCheck() is the ISO 7064 MOD 11-2 check character of 17 digits.
export function idCheck(d17) {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(d17[i]) * w[i];
  const v = (12 - (sum % 11)) % 11;
  return v === 10 ? 'X' : String(v);
}

// makeId(birth 'YYYYMMDD', seq 0-999) is an ID number from Jinzhou (210213).
export function makeId(birth = '19850317', seq = 123, area = '210213') {
  const d17 = `${area}${birth}${String(seq).padStart(3, '0')}`;
  return d17 + idCheck(d17);
}

// todayCN() is today's date in Asia/Shanghai as YYYY-MM-DD; dayOffset adds days.
export function todayCN(dayOffset = 0) {
  return new Date(Date.now() + 8 * 3600_000 + dayOffset * 86400_000).toISOString().slice(0, 10);
}

// A unique Chinese word for this run, so searches find only our rows
// (and the export oracle counts any demo row that happens to match).
const RARE = '鑫垚淼焱犇骉羴猋毳灥燚澔瑄璟珺琪琛瑾璇翀翕翥翚';
export function rareWord(n = 4) {
  const b = crypto.randomBytes(n);
  let s = '';
  for (let i = 0; i < n; i++) s += RARE[b[i] % RARE.length];
  return s;
}

// entityBody(over) is a valid request to register a company.
export function entityBody(over = {}) {
  return {
    uscc: makeUscc('1'),
    name: `大连${rareWord(5)}科技有限公司`,
    kind: 'company',
    legal_rep: '王晓明',
    capital_fen: 50_000_000,
    industry: 'I',
    address: '辽宁省大连市金普新区友谊街道 1 号',
    district: '友谊街道',
    established: '2021-06-18',
    ...over,
  };
}

// parseCsv(text) parses RFC 4180 CSV into an array of string arrays.
export function parseCsv(text) {
  const rows = [];
  let row = [], field = '', q = false, i = 0;
  if (text.charCodeAt(0) === 0xfeff) i = 1;
  for (; i < text.length; i++) {
    const c = text[i];
    if (q) {
      if (c === '"') {
        if (text[i + 1] === '"') { field += '"'; i++; } else q = false;
      } else field += c;
    } else if (c === '"') q = true;
    else if (c === ',') { row.push(field); field = ''; }
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field); field = '';
      rows.push(row); row = [];
    } else field += c;
  }
  if (field !== '' || row.length) { row.push(field); rows.push(row); }
  return rows;
}

// unzip(bytes) reads a zip file (stored or deflated parts) through its
// central directory: {name: Buffer}.
export function unzip(buf) {
  const end = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end < 0) throw new Error('not a zip file');
  const files = {};
  let off = buf.readUInt32LE(end + 16);
  for (let i = 0, n = buf.readUInt16LE(end + 10); i < n; i++) {
    if (buf.readUInt32LE(off) !== 0x02014b50) throw new Error('bad central directory');
    const method = buf.readUInt16LE(off + 10), size = buf.readUInt32LE(off + 20);
    const nameLen = buf.readUInt16LE(off + 28), extra = buf.readUInt16LE(off + 30), comment = buf.readUInt16LE(off + 32);
    const local = buf.readUInt32LE(off + 42);
    const name = buf.toString('utf8', off + 46, off + 46 + nameLen);
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const data = buf.subarray(start, start + size);
    files[name] = method === 8 ? zlib.inflateRawSync(data) : Buffer.from(data);
    off += 46 + nameLen + extra + comment;
  }
  return files;
}

const xmlText = (s) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');

// readXlsx(bytes, n) is sheet n (1, the first, by default) of an .xlsx as
// rows of cell texts (shared, inline and plain values; "" where a cell is
// missing), an oracle independent of the server's own reader.
export function readXlsx(bytes, n = 1) {
  const files = unzip(bytes);
  const sst = files['xl/sharedStrings.xml']
    ? [...files['xl/sharedStrings.xml'].toString('utf8').matchAll(/<si>([\s\S]*?)<\/si>/g)]
      .map((m) => [...m[1].matchAll(/<t(?:\s[^>]*)?>([\s\S]*?)<\/t>/g)].map((t) => xmlText(t[1])).join(''))
    : [];
  const sheet = files[`xl/worksheets/sheet${n}.xml`].toString('utf8');
  const col = (letters) => [...letters].reduce((n, c) => n * 26 + c.charCodeAt(0) - 64, 0) - 1;
  const rows = [];
  for (const r of sheet.matchAll(/<row\b[^>]*>([\s\S]*?)<\/row>/g)) {
    const row = [];
    for (const c of r[1].matchAll(/<c r="([A-Z]+)\d+"([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
      const [, letters, attrs, inner = ''] = c;
      const v = /<v>([\s\S]*?)<\/v>/.exec(inner);
      let text = '';
      if (/t="s"/.test(attrs)) text = sst[Number(v[1])];
      else if (/t="inlineStr"/.test(attrs)) text = xmlText((/<t[^>]*>([\s\S]*?)<\/t>/.exec(inner) || ['', ''])[1]);
      else if (v) text = xmlText(v[1]);
      const i = col(letters);
      while (row.length < i) row.push('');
      row[i] = text;
    }
    rows.push(row);
  }
  return rows;
}

// exportEntities(srv) reads every entity through `xinqu export entities`:
// an oracle independent of the HTTP search.
export async function exportEntities(srv) {
  const r = await srv.cliAsync(['export', 'entities']);
  if (r.status !== 0) throw new Error(`xinqu export entities failed: ${r.stderr}`);
  const rows = parseCsv(r.stdout);
  const head = rows.shift();
  return rows.map((row) => Object.fromEntries(head.map((h, i) => [h, row[i]])));
}

// assertError() checks r is the error {code, field, message, message_en}
// (and, for a form's validation, errors[]: every bad field, the first the
// error itself) with this status, code and (when given) field.
// apiRoutes(srv) is every operation of the server's own OpenAPI document,
// as {method, path, public (no login needed), roles (x-roles, or null: any
// logged-in role)}: what the sweeps over every route (roles.test.mjs,
// hostile.test.mjs) go through, so a route added later is in them.
export async function apiRoutes(srv) {
  const doc = await srv.api('GET', '/api/v1/openapi.json');
  if (doc.status !== 200) throw new Error(`GET /api/v1/openapi.json → ${doc.status} ${doc.text}`);
  const ops = [];
  for (const [p, item] of Object.entries(doc.body.paths)) {
    for (const [m, op] of Object.entries(item)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(m)) continue;
      ops.push({
        method: m.toUpperCase(),
        path: p,
        public: Array.isArray(op.security) && op.security.length === 0,
        roles: op['x-roles'] || null,
      });
    }
  }
  return ops;
}

export function assertError(assert, r, status, code, field) {
  assert.equal(r.status, status, `status for ${code}: ${r.text}`);
  assert.ok(r.body && typeof r.body === 'object', `JSON error body expected, got ${r.text}`);
  assert.deepEqual(Object.keys(r.body), ['error'], `only "error" at the top: ${r.text}`);
  const e = r.body.error;
  assert.deepEqual(Object.keys(e).filter((k) => k !== 'errors').sort(), ['code', 'field', 'message', 'message_en'], r.text);
  // A form's validation may list every bad field at once: the first of
  // errors[] is the error itself (its code, field and messages). An import
  // lists every refused row, each with its line, under an error that sums
  // them up.
  if ('errors' in e) {
    assert.ok(Array.isArray(e.errors) && e.errors.length >= 1, r.text);
    const lines = e.errors.every((x) => Number.isInteger(x.line) && x.line > 0);
    for (const x of e.errors) {
      assert.deepEqual(Object.keys(x).filter((k) => k !== 'line').sort(), ['code', 'field', 'message', 'message_en'], r.text);
      assert.ok(hasChinese(x.message) && /[A-Za-z]{3}/.test(x.message_en), r.text);
    }
    if (lines) assert.equal(e.code, 'import.rejected', r.text);
    else assert.deepEqual(e.errors[0], { field: e.field, code: e.code, message: e.message, message_en: e.message_en }, r.text);
  }
  assert.equal(e.code, code, r.text);
  assert.ok(hasChinese(e.message), `Chinese message expected: ${e.message}`);
  assert.ok(typeof e.message_en === 'string' && /[A-Za-z]{3}/.test(e.message_en), `English message expected: ${e.message_en}`);
  if (field !== undefined) assert.equal(e.field, field, `field: ${r.text}`);
  return e;
}
