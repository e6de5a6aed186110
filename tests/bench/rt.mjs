// tests/bench/rt.mjs — Request Tracker 5 (Debian's request-tracker5) as a
// measured peer (issue 18): the same machine, the same run, the same load
// tool (wrk) at the same concurrency on both sides, the same database kind
// (SQLite, WAL, synchronous=FULL, on the same disk), session cookies on both
// sides (RT's through its web login form: token and basic auth would spend
// RT's bcrypt on every request), RT's default scrips disabled.
//
//   ticket creation  POST /REST/2.0/ticket          vs  a plain 承诺件 filing (POST /api/v1/cases, submitted,
//                                                       durable, audited: JP-CGJ-0001 with its materials)
//   ticket read      GET /REST/2.0/ticket/{id}      vs  GET /api/v1/cases/{no} as a clerk
//   search           GET /REST/2.0/tickets?query=Requestor='…'  vs  GET /api/v1/cases?party={code} as a clerk
//
// Both servers run side by side and the windows alternate, so the machine's
// other load falls on both alike. RT is installed by this part when missing
// (apt-get, never in CI or scripts/deps); if it cannot be installed or
// started, the part says why and is skipped. RT runs from build/bench/rt with its own RT_SiteConfig.pm
// (tests/bench/rt/), never reading or touching /etc/request-tracker5.
// Used by scripts/bench.mjs (XINQU_BENCH_ONLY=rt).
import { spawn, execFileSync } from 'node:child_process';
import { closeSync, copyFileSync, mkdirSync, openSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { cpus } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { uploadMaterials } from './common.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const HERE = path.join(ROOT, 'tests/bench/rt');
// rt5-db-sqlite and rt5-standalone pick RT's alternatives (SQLite, its own
// PSGI server); dbconfig-no-thanks keeps dbconfig-common from setting up a
// database of its own at install time; starlet is the prefork server RT's
// rt-server runs by default.
const PKGS = ['request-tracker5', 'rt5-db-sqlite', 'rt5-standalone', 'dbconfig-no-thanks', 'starlet', 'libdbd-sqlite3-perl'];
const RT_SERVER = '/usr/share/request-tracker5/libexec/rt-server';
const WORKERS = 10;     // RT's Starlet workers (the issue's baseline)
const CONNS = 10;       // wrk's connections, on both sides: one per RT worker
const REQUESTOR = 'party@bench.test';
const PASSWORD = 'Bench@2026-rt';  // tests/bench/rt/initialdata

const run = (cmd, args, opts = {}) => execFileSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20, ...opts });
const pkgVersion = (p) => {
  try {
    const s = run('dpkg-query', ['-W', '-f=${Status}|${Version}', p], { stdio: ['ignore', 'pipe', 'ignore'] }).split('|');
    return s[0].endsWith(' installed') ? s[1] : null;
  } catch { return null; }
};

// install() installs the packages RT needs that are missing: the seconds it
// took (0 when all were there). Throws with apt's own words when it fails.
function install() {
  const need = PKGS.filter((p) => !pkgVersion(p));
  if (need.length === 0) return 0;
  if (process.getuid && process.getuid() !== 0) throw new Error(`${need.join(' ')} missing, and installing them needs root`);
  console.log(`  installing ${need.join(' ')} (apt-get, once per machine)…`);
  const t = Date.now();
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  try {
    run('apt-get', ['update', '-qq'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...need], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (e) {
    throw new Error(`apt-get: ${String(e.stderr || e.message).trim().split('\n').slice(-3).join(' / ')}`);
  }
  const left = need.filter((p) => !pkgVersion(p));
  if (left.length) throw new Error(`apt-get left ${left.join(' ')} uninstalled`);
  return (Date.now() - t) / 1000;
}

// wrk at CONNS connections for secs against url: the rate of 2xx answers
// (wrk counts 3xx as good too; neither side answers one here), the count of
// answers, of those not 2xx/3xx and of socket errors, the latencies.
function wrk(url, script, env, secs) {
  const out = run('wrk', ['-t2', `-c${CONNS}`, `-d${secs}s`, '--timeout', '10s', '--latency', '-s', script, url],
    { env: { ...process.env, ...env } });
  const num = (re) => Number((out.match(re) || [0, 0])[1]);
  const n = num(/(\d+) requests in/), rps = num(/Requests\/sec:\s+([\d.]+)/);
  const bad = num(/Non-2xx or 3xx responses:\s+(\d+)/);
  const sock = out.match(/Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/);
  const errors = sock ? sock.slice(1).reduce((a, x) => a + Number(x), 0) : 0;
  const lat = (q) => { const m = out.match(new RegExp(`\\s${q}%\\s+([\\d.]+)(us|ms|s)`)); if (!m) return NaN;
    return Number(m[1]) * { us: 0.001, ms: 1, s: 1000 }[m[2]]; };
  return { n, bad, errors, rate: n ? rps * (n - bad) / n : 0, p50: lat(50), p99: lat(99) };
}

// checked(what, w) stops the part when most answers of a window were not 2xx
// (the comparison would be of error pages), and says how many were not.
function checked(what, w) {
  if (w.n === 0 || w.bad > w.n / 2) throw new Error(`${what}: ${w.bad} of ${w.n} answers not 2xx, ${w.errors} socket errors`);
  if (w.bad || w.errors) console.log(`  warning: ${what}: ${w.bad} of ${w.n} answers not 2xx, ${w.errors} socket errors (the rate counts 2xx only)`);
  return w;
}

// The processes of RT's server: its process group (it is started detached).
function group(pgid) {
  const pids = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const f = readFileSync(`/proc/${d}/stat`, 'utf8').split(') ')[1].split(' ');
      if (Number(f[2]) === pgid) pids.push(Number(d));
    } catch { /* gone */ }
  }
  return pids;
}
// cpuMs(pgid) is the CPU time RT's processes have used, with that of the
// workers Starlet has already replaced (reaped by the master: its cutime).
function cpuMs(pgid) {
  let ticks = 0;
  for (const q of group(pgid)) {
    try {
      const f = readFileSync(`/proc/${q}/stat`, 'utf8').split(') ')[1].split(' ');
      ticks += Number(f[11]) + Number(f[12]) + (q === pgid ? Number(f[13]) + Number(f[14]) : 0);
    } catch { /* gone */ }
  }
  return ticks * 10;
}
const kib = (file, field) => { try { return Number(readFileSync(file, 'utf8').match(new RegExp(`${field}:\\s+(\\d+) kB`))[1]); } catch { return 0; } };

// startRT() lays out build/bench/rt, initialises RT's SQLite database with
// its own initial data and tests/bench/rt/initialdata, disables every
// scrip, and starts rt-server (Starlet, WORKERS workers, keep-alive). Returns
// what the rest needs and says.
async function startRT(dir) {
  rmSync(dir, { recursive: true, force: true });
  for (const d of ['conf.d', 'var/mason', 'var/session']) mkdirSync(path.join(dir, d), { recursive: true });
  const port = 20000 + Math.floor(Math.random() * 1000);  // xinqu's bench server takes 18080–19079
  const db = path.join(dir, 'rt.db');
  const env = { ...process.env, RT_SITE_CONFIG: path.join(HERE, 'RT_SiteConfig.pm'), RT_SITE_CONFIG_DIR: path.join(dir, 'conf.d'),
    XQ_RT_PORT: String(port), XQ_RT_DB: db, XQ_RT_VAR: path.join(dir, 'var') };
  const setup = (args) => {
    try { run('rt-setup-database-5', [...args, '--skip-create'], { env, cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] }); } catch (e) {
      throw new Error(`rt-setup-database-5 ${args.join(' ')}: ${String(e.stderr || e.stdout || e.message).trim().split('\n').slice(-3).join(' / ')}`);
    }
  };
  const t = Date.now();
  setup(['--action', 'init']);
  setup(['--action', 'insert', '--datafile', path.join(HERE, 'initialdata')]);
  // WAL, as xinqu's store opens its database (RT leaves SQLite's default
  // rollback journal); synchronous stays FULL on both sides.
  const [scrips, mode] = run('sqlite3', [db, 'SELECT COUNT(*) FROM Scrips WHERE Disabled = 0;',
    'UPDATE Scrips SET Disabled = 1;', 'PRAGMA journal_mode=WAL;']).trim().split('\n');
  const initS = (Date.now() - t) / 1000;
  const log = openSync(path.join(dir, 'server.log'), 'w');
  const t1 = Date.now();
  const p = spawn(RT_SERVER, ['--host', '127.0.0.1', '--port', String(port), '--max-workers', String(WORKERS),
    '--max-keepalive-reqs', '1000000'], { env, cwd: dir, detached: true, stdio: ['ignore', log, log] });
  closeSync(log);
  // RT runs in a process group of its own: should the bench end or be
  // interrupted while it runs, the group goes with it.
  const kill = () => { try { process.kill(-p.pid, 'SIGKILL'); } catch { /* gone */ } };
  const onSignal = () => { kill(); process.exit(130); };
  process.on('exit', kill);
  process.once('SIGINT', onSignal);
  p.on('exit', () => { process.off('exit', kill); process.off('SIGINT', onSignal); });
  const base = `http://127.0.0.1:${port}`;
  for (;;) {
    try { if ((await fetch(`${base}/NoAuth/Login.html`)).ok) break; } catch { /* not up yet */ }
    if (p.exitCode !== null || Date.now() - t1 > 120000) {
      const why = readFileSync(path.join(dir, 'server.log'), 'utf8').trim().split('\n').slice(-3).join(' / ');
      if (p.exitCode === null) process.kill(-p.pid, 'SIGKILL');
      throw new Error(`rt-server did not start: ${why}`);
    }
    await sleep(200);
  }
  return { p, env, port, base, db, scrips: Number(scrips), mode, initS, startS: (Date.now() - t1) / 1000 };
}

async function stopRT(p) {
  if (p.exitCode !== null) return;
  const done = new Promise((r) => p.on('exit', r));
  process.kill(-p.pid, 'SIGTERM');
  await Promise.race([done, sleep(10000)]);
  if (group(p.pid).length) process.kill(-p.pid, 'SIGKILL');
}

// settled(count, ms) is count() once it has not moved for ms: requests cut
// off at the end of a wrk run are still finished by the server (RT's take
// a second or more each at this load, some of it waiting for SQLite's lock).
async function settled(count, ms) {
  for (let a = count(); ; ) {
    await sleep(ms);
    const b = count();
    if (b === a) return b;
    a = b;
  }
}

// call() is fetch() tried twice: after a window, the pooled keep-alive
// socket may have been closed by the server (Starlet's 1 s keep-alive).
async function call(url, opts) {
  try { return await fetch(url, opts); } catch { return fetch(url, opts); }
}

// loginRT() logs in through RT's web form: the session cookie.
async function loginRT(base) {
  const r = await call(`${base}/NoAuth/Login.html`, { method: 'POST', redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: `user=bench&pass=${encodeURIComponent(PASSWORD)}` });
  const cookie = (r.headers.get('set-cookie') || '').split(';')[0];
  await r.arrayBuffer();
  const me = await call(`${base}/REST/2.0/queue/Bench`, { headers: { Cookie: cookie } });
  await me.arrayBuffer();
  if (!cookie || me.status !== 200) throw new Error(`RT login: ${r.status}, then REST2 answers ${me.status}`);
  return cookie;
}

// benchRT(report, opts) measures both sides and reports the ratios with
// report(). opts: dir (build/bench), secs (each window), demo (the demo
// database), and scripts/bench.mjs's base, startServer, login, stop,
// metrics and serverSide for the xinqu side.
export async function benchRT(report, { dir, secs, demo, base, startServer, login, stop, metrics, serverSide }) {
  let installS;
  try { installS = install(); } catch (e) {
    console.log(`RT 5 comparison skipped: RT 5 could not be installed: ${e.message}`);
    return;
  }
  const t0 = Date.now();
  const load = readFileSync('/proc/loadavg', 'utf8').split(' ')[0];
  const rtDir = path.resolve(dir, 'rt');
  let rt;
  try { rt = await startRT(rtDir); } catch (e) {
    console.log(`RT 5 comparison skipped: ${e.message}`);
    return;
  }
  const ver = { rt: pkgVersion('request-tracker5'), starlet: pkgVersion('starlet') };
  let x;
  const db = path.join(rtDir, 'xinqu.db');
  try {
    // Both servers run side by side and the windows alternate (RT, then
    // xinqu, for each comparison), so a change in the machine's other load
    // falls on both. Each request is probed first (its answer checked), then
    // loaded for a second to warm every worker, then measured.
    const cookie = await loginRT(rt.base);
    const lua = path.join(HERE, 'rest2.lua');
    const body = JSON.stringify({ Queue: 'Bench', Subject: '基准测试 · bench ticket', Requestor: REQUESTOR,
      Content: '基准测试：一件工单，不带附件。', ContentType: 'text/plain' });
    const probe = await call(`${rt.base}/REST/2.0/ticket`, { method: 'POST',
      headers: { 'Content-Type': 'application/json', Cookie: cookie, Origin: rt.base }, body });
    const made = await probe.json();
    if (probe.status !== 201 || !made.id) throw new Error(`RT ticket probe: ${probe.status} ${JSON.stringify(made).slice(0, 200)}`);
    const env = { RT_COOKIE: cookie, RT_ORIGIN: rt.base };
    const count = () => Number(run('sqlite3', [rt.db, 'SELECT COUNT(*) FROM Tickets;']).trim());
    // RT's CPU per answer over a window: what its processes used, over the 2xx answers.
    const rtWin = (what, url, e, warm = true) => {
      if (warm) wrk(url, lua, e, 1);
      const c0 = cpuMs(rt.p.pid);
      const w = checked(what, wrk(url, lua, e, secs));
      return { ...w, cpuUs: Math.round((cpuMs(rt.p.pid) - c0) * 1000 / Math.max(1, w.n - w.bad)) };
    };

    // xinqu: the demo database copied, a 承诺件 with its materials.
    copyFileSync(demo, db);
    x = (await startServer(db)).p;
    const ent = await login('ent'), clerk = await login('clerk'), admin = await login('admin');
    const it = await (await call(`${base}/api/v1/items/JP-CGJ-0001`, { headers: { Cookie: ent.cookie } })).json();
    if (it.handling !== 'promise' || it.rule) throw new Error(`JP-CGJ-0001 is no longer a plain 承诺件 (handling ${it.handling}, rule ${it.rule})`);
    // Every material the registry does not give, uploaded once: the filing
    // is complete (no 容缺, no 告知承诺), and waits for a clerk's intake.
    const materials = await uploadMaterials(ent, it, base);
    const filing = JSON.stringify({ item: 'JP-CGJ-0001', submit: true, form: { note: '基准测试' }, materials });
    const fp = await call(`${base}/api/v1/cases`, { method: 'POST',
      headers: { 'Content-Type': 'application/json', Cookie: ent.cookie, 'X-CSRF-Token': ent.csrf }, body: filing });
    const c = await fp.json();
    if (fp.status !== 201 || c.state !== 'submitted') throw new Error(`承诺件 probe: ${fp.status} ${JSON.stringify(c).slice(0, 300)}`);
    const xcount = () => Number(run('sqlite3', [db, "SELECT COUNT(*) FROM case_file WHERE item_code = 'JP-CGJ-0001';"]).trim());
    const postLua = path.join(ROOT, 'tests/bench/post_case.lua'), getLua = path.join(ROOT, 'tests/bench/get.lua');
    // xinqu's window: the server's own figures over it from /api/v1/metrics.
    const xWin = async (what, url, script, e, method, route, warm = true) => {
      if (warm) wrk(url, script, e, 1);
      const m0 = await metrics(admin, x.pid);
      const w = checked(what, wrk(url, script, e, secs));
      return { w, srv: serverSide(m0, await metrics(admin, x.pid), method, route) };
    };

    // Creation. The rows are counted once the servers are done with the
    // requests wrk left in flight.
    const rtBody = { ...env, RT_BODY: body };
    wrk(`${rt.base}/REST/2.0/ticket`, lua, rtBody, 1);
    let before = await settled(count, 2500);
    const rtCreate = rtWin('RT ticket creation', `${rt.base}/REST/2.0/ticket`, rtBody, false);
    const rtMade = await settled(count, 2500) - before;
    const postEnv = { XQ_COOKIE: ent.cookie, XQ_CSRF: ent.csrf, XQ_BODY: filing };
    wrk(`${base}/api/v1/cases`, postLua, postEnv, 1);
    before = await settled(xcount, 400);
    const { w: xCreate, srv: createSrv } = await xWin('xinqu 承诺件 filing', `${base}/api/v1/cases`, postLua, postEnv, 'POST', '/api/v1/cases', false);
    const xMade = await settled(xcount, 400) - before;

    // Read.
    const readUrl = `${rt.base}/REST/2.0/ticket/${made.id}`;
    const r1 = await call(readUrl, { headers: { Cookie: cookie } });
    const t1 = await r1.json();
    if (r1.status !== 200 || String(t1.id) !== String(made.id)) throw new Error(`RT read probe: ${r1.status}`);
    const rtRead = rtWin('RT ticket read', readUrl, env);
    const caseUrl = `${base}/api/v1/cases/${c.no}`;
    const g = await call(caseUrl, { headers: { Cookie: clerk.cookie } });
    if (g.status !== 200 || (await g.json()).no !== c.no) throw new Error(`case read probe: ${g.status}`);
    const { w: xRead, srv: readSrv } = await xWin('xinqu case read', caseUrl, getLua, { XQ_COOKIE: clerk.cookie }, 'GET', '/api/v1/cases/{no}');

    // Search.
    const searchUrl = `${rt.base}/REST/2.0/tickets?query=${encodeURIComponent(`Requestor = '${REQUESTOR}'`)}` +
      '&fields=Subject,Status,Created,Due&per_page=20';
    const s1 = await (await call(searchUrl, { headers: { Cookie: cookie } })).json();
    if (!(s1.total > 0) || s1.items.length !== Math.min(20, s1.total)) throw new Error(`RT search probe: ${JSON.stringify(s1).slice(0, 200)}`);
    const rtSearch = rtWin('RT search', searchUrl, env);
    // The party searched for: the one whose cases are nearest in number to
    // the requester's tickets in RT (the filer above has thousands by now).
    const party = run('sqlite3', [db, `SELECT party FROM case_file WHERE party <> '' GROUP BY party
      ORDER BY abs(COUNT(*) - ${Number(s1.total)}), party LIMIT 1;`]).trim();
    const listUrl = `${base}/api/v1/cases?party=${encodeURIComponent(party)}`;
    const l2 = await (await call(listUrl, { headers: { Cookie: clerk.cookie } })).json();
    if (!(l2.total > 0) || l2.items.length !== Math.min(20, l2.total) || l2.items.some((i) => i.party !== party))
      throw new Error(`case list probe: ${JSON.stringify(l2).slice(0, 200)}`);
    const { w: xList, srv: listSrv } = await xWin('xinqu case list by party', listUrl, getLua, { XQ_COOKIE: clerk.cookie }, 'GET', '/api/v1/cases');

    // RT's SQL statements per ticket, by its own statement log, in a
    // process of its own (so the server measured above ran unchanged).
    let rtStatements = null;
    try {
      rtStatements = Number(run('perl', [path.join(HERE, 'statements.pl'), '5'], { env: rt.env, cwd: rtDir,
        stdio: ['ignore', 'pipe', 'pipe'] }).match(/statements ([\d.]+)/)[1]);
    } catch (e) {
      console.log(`  RT's statements per ticket not counted: ${String(e.stderr || e.message).trim().split('\n').pop()}`);
    }
    const procs = group(rt.p.pid);
    const rss = procs.reduce((a, q) => a + kib(`/proc/${q}/status`, 'VmRSS'), 0) / 1024;
    const pss = procs.reduce((a, q) => a + kib(`/proc/${q}/smaps_rollup`, 'Pss'), 0) / 1024;
    const xRss = kib(`/proc/${x.pid}/status`, 'VmRSS') / 1024;
    await stopRT(rt.p);
    await stop(x);
    x = null;

    // Counted on both sides: every 2xx answer of a creation window is a
    // row (a request cut off at the window's end may have been committed).
    for (const [who, w, rows] of [['RT', rtCreate, rtMade], ['xinqu', xCreate, xMade]]) {
      const ok = w.n - w.bad;
      if (rows < ok || rows > ok + CONNS) throw new Error(`${who}: ${ok} creations answered 2xx, ${rows} rows written`);
    }
    const lat = (w) => `p50 ${w.p50} ms, p99 ${w.p99} ms`;
    const nCases = Number(run('sqlite3', [db, 'SELECT COUNT(*) FROM case_file;']).trim());
    console.log(`RT 5 peer: Request Tracker ${ver.rt} (Debian), rt-server on Starlet ${ver.starlet}, ${WORKERS} workers, keep-alive;` +
      ` SQLite (${rt.mode}, synchronous=FULL) on the same disk as xinqu's; its ${rt.scrips} default scrips disabled;` +
      ' auth by the session cookie of a web-form login (REST2 asks an Origin of cookie writes, as xinqu asks its CSRF token); REST2 JSON');
    console.log(`  both sides: wrk, 2 threads, ${CONNS} connections, ${secs} s windows after 1 s of warm-up, alternating, on the same` +
      ` ${cpus().length} cores (load average ${load} when the part began);` +
      ' CPU per answer is the server\'s own (all its processes or threads) over the window');
    report('RT 5 comparison: ticket creation vs xinqu 承诺件 filing (submitted, durable, audited)', xCreate.rate, 'req/s',
      rtCreate.rate, 'RT 5 REST2 POST /ticket', 'ratio ≥ 100');
    console.log(`  RT ${lat(rtCreate)}, CPU per answer ${fmtN(rtCreate.cpuUs)} µs; xinqu ${lat(xCreate)}, CPU per answer` +
      ` ${fmtN(createSrv.cpuUs)} µs, ${createSrv.statements} SQL statements, ${createSrv.perCommit} filings per group commit;` +
      ` rows written: RT ${rtMade} tickets, xinqu ${xMade} cases`);
    report('RT 5 comparison: ticket read vs xinqu case read (clerk)', xRead.rate, 'req/s', rtRead.rate,
      'RT 5 REST2 GET /ticket/{id}', 'ratio ≥ 200');
    console.log(`  RT ${lat(rtRead)}, CPU per answer ${fmtN(rtRead.cpuUs)} µs; xinqu ${lat(xRead)}, CPU per answer` +
      ` ${fmtN(readSrv.cpuUs)} µs, ${readSrv.statements} SQL statements`);
    report('RT 5 comparison: search by requester vs xinqu case list by party (clerk, party=)', xList.rate, 'req/s', rtSearch.rate,
      'RT 5 REST2 GET /tickets?query=Requestor', 'ratio ≥ 200');
    console.log(`  RT: 20 of the requester's ${s1.total} tickets (Subject, Status, Created, Due), ${lat(rtSearch)}, CPU per answer` +
      ` ${fmtN(rtSearch.cpuUs)} µs; xinqu: ${Math.min(20, l2.total)} of a party's ${fmtN(l2.total)} cases (the party with the nearest count) among ${fmtN(nCases)} (briefs with their SLA),` +
      ` ${lat(xList)}, CPU per answer ${fmtN(listSrv.cpuUs)} µs, ${listSrv.statements} SQL statements`);
    if (rtStatements) {
      report('SQL statements per creation: xinqu 承诺件 filing (the whole request)', Number(createSrv.statements), 'statements',
        rtStatements, 'RT::Ticket->Create alone, by RT\'s statement log (REST2\'s session, rights and answer add more)', '');
    }
    report('RT 5 memory after its load (PSS of its processes)', pss, 'MiB', xRss, 'xinqu resident memory after the same load', '');
    console.log(`  RT: ${procs.length} processes, RSS summed ${fmtN(rss)} MiB (shared pages counted in each)`);
    const cmp = [['creation', xCreate.rate / rtCreate.rate, 100, rtCreate.cpuUs, createSrv],
      ['read', xRead.rate / rtRead.rate, 200, rtRead.cpuUs, readSrv], ['search', xList.rate / rtSearch.rate, 200, rtSearch.cpuUs, listSrv]];
    for (const [what, r, goal, rtCpu, srv] of cmp) {
      if (r >= goal) continue;
      console.log(`  not reached: ${what} ${r.toFixed(0)}× RT 5, the goal ${goal}×. ${why(what, goal, rtCpu, srv)}`);
    }
    console.log(`  the part took ${((Date.now() - t0) / 1000).toFixed(0)} s (RT's database initialised in ${rt.initS.toFixed(1)} s, its server up in` +
      ` ${rt.startS.toFixed(1)} s)${installS ? `; installing RT took ${installS.toFixed(0)} s more` : ''}`);
  } catch (e) {
    console.log(`RT 5 comparison stopped: ${e.message}${e.cause ? ` (${e.cause.message})` : ''}`);
  } finally {
    await stopRT(rt.p);
    if (x) await stop(x);
    // The copy of the demo database goes (RT's small one stays, to look into).
    for (const f of ['', '-wal', '-shm', '.audit-head']) rmSync(db + f, { force: true });
  }
}

const fmtN = (v) => Math.round(v).toLocaleString('en');

// why() says what bounds a comparison that falls short of its goal: both
// servers share two cores with wrk, so the ratio of the rates follows that
// of the CPU each spends per answer; and it says where xinqu's goes.
function why(what, goal, rtCpu, srv) {
  const head = `CPU per answer: RT ${fmtN(rtCpu)} µs, xinqu ${fmtN(srv.cpuUs)} µs (${(rtCpu / Math.max(1, srv.cpuUs)).toFixed(0)}× less),` +
    ' the ratio the rates approach when both servers are bound by the two cores they share with wrk (RT also waits on' +
    ` SQLite's write lock when creating); the goal needs xinqu near ${fmtN(rtCpu / goal)} µs.`;
  if (what === 'creation') {
    return `${head} A filing is ${srv.statements} SQL statements (the case, its five materials, its timeline, the audit chain),` +
      ` and at ${CONNS} connections only ${srv.perCommit} filings share a group commit`;
  }
  if (what === 'read') return `${head} A case read is ${srv.statements} SQL statements and the JSON of its timeline, materials, moves and SLA`;
  return `${head} A page of the list is ${srv.statements} SQL statements (the session, the count and the page through the index` +
    ' case_party(party, id, dept_id), each brief joined with its item, department and bundle) and the JSON of 20 briefs with their SLA clocks';
}
