// The helpers of make bench (scripts/bench.mjs) shared by its parts: the
// report lines, a server started on a database, logins, wrk runs and the
// server's own account of a window (GET /api/v1/metrics).
//
// Every helper that talks to a server takes its base address, by default
// the one server of scripts/bench.mjs (BASE, on PORT); a part that runs
// servers of its own (tests/bench/pg.mjs) passes theirs.
import { spawn, execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

export const DIR = 'build/bench';
export const SECS = Number(process.env.BENCH_SECONDS || 10);
export const PORT = 18080 + Math.floor(Math.random() * 1000);
export const BASE = `http://127.0.0.1:${PORT}`;
mkdirSync(DIR, { recursive: true });

export const rows = [];
export function report(name, value, unit, ref, refName, target) {
  const ratio = ref ? value / ref : null;
  rows.push({ name, value, unit, ref, refName, ratio, target });
  const r = ratio === null ? '' : `  ratio ${ratio.toFixed(2)} vs ${refName} (${fmt(ref)} ${unit})`;
  console.log(`${name}: ${fmt(value)} ${unit}${r}${target ? `  [target ${target}]` : ''}`);
}
export const fmt = (x) => (x >= 100 ? Math.round(x).toLocaleString('en') : x.toFixed(3));
export const run = (cmd, args, opts = {}) => execFileSync(cmd, args, { encoding: 'utf8', ...opts });
// stop() ends a child this script spawned and waits for it (at once if it has ended already).
export const stop = (proc) => {
  if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve();
  proc.kill('SIGTERM');
  return new Promise((r) => proc.on('exit', r));
};

export function fresh(db) {
  for (const s of ['', '-wal', '-shm']) rmSync(db + s, { force: true });
}

// startServer() starts build/xinqu serve on db — a SQLite file's path, or a
// --db URL (sqlite:… or postgresql://…) — listening on 127.0.0.1:port, and
// waits for its first /healthz answer. args are added to serve's.
export async function startServer(db, env = {}, { port = PORT, args = [] } = {}) {
  const url = /^(sqlite|postgresql|postgres):/.test(db) ? db : `sqlite:${db}`;
  const base = `http://127.0.0.1:${port}`;
  const t0 = process.hrtime.bigint();
  // wrk's 64 connections and this script's all come from 127.0.0.1: more
  // than the default share of one address (--per-ip, a sixteenth of 1024).
  const p = spawn('build/xinqu', ['serve', '--demo', '--db', url, '--listen', `127.0.0.1:${port}`, '--per-ip', '256', ...args],
    { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, ...env } });
  for (;;) {
    try {
      const r = await fetch(`${base}/healthz`);
      if (r.ok) break;
    } catch { /* not up yet */ }
    if (p.exitCode !== null) throw new Error(`server on ${url} exited (status ${p.exitCode})`);
    await sleep(2);
  }
  const startup = Number(process.hrtime.bigint() - t0) / 1e9;
  return { p, startup, base };
}

export function rssKiB(pid, field = 'VmRSS') {
  const m = readFileSync(`/proc/${pid}/status`, 'utf8').match(new RegExp(`${field}:\\s+(\\d+) kB`));
  return Number(m[1]);
}

// cpuMs() is the CPU time the process has used (user + system), from
// /proc/PID/stat in clock ticks of 10 ms (Linux's USER_HZ on Debian).
export function cpuMs(pid) {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(f[11]) + Number(f[12])) * 10;
}

// wrk() runs wrk for secs seconds (SECS by default) against base + path.
export function wrk(path, script, env = {}, conns = 64, { base = BASE, secs = SECS } = {}) {
  const out = run('wrk', ['-t2', `-c${conns}`, `-d${secs}s`, '--latency', '-s', script, `${base}${path}`],
    { env: { ...process.env, ...env } });
  const rps = Number(out.match(/Requests\/sec:\s+([\d.]+)/)[1]);
  const non2xx = Number((out.match(/Non-2xx or 3xx responses:\s+(\d+)/) || [0, 0])[1]);
  const requests = Number((out.match(/(\d+) requests in/) || [0, 0])[1]);
  const lat = (q) => { const m = out.match(new RegExp(`\\s${q}%\\s+([\\d.]+)(us|ms|s)`)); if (!m) return NaN;
    return Number(m[1]) * { us: 0.001, ms: 1, s: 1000 }[m[2]]; };
  return { rps, non2xx, requests, p50: lat(50), p99: lat(99) };
}

// login() retries once: after a wrk run the pooled keep-alive socket may
// already have been closed by the server.
export async function login(username, base = BASE, retry = true) {
  try { return await login1(username, base); } catch (e) { if (!retry) throw e; return login(username, base, false); }
}

async function login1(username, base) {
  const r = await fetch(`${base}/api/v1/session`, { method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password: 'Jinpu@2026' }) });
  if (!r.ok) throw new Error(`login ${username}: ${r.status} ${(await r.text()).slice(0, 300)}`);
  const cookie = r.headers.get('set-cookie').split(';')[0];
  const { csrf } = await r.json();
  return { cookie, csrf };
}

// Server-side latency of one route over a window: the difference of two
// snapshots of GET /api/v1/metrics (per-route histograms kept by the server,
// from the request line read to the answer handed to the kernel), with the
// server's CPU time and its writer's group commits over the same window.
export async function metrics(admin, pid, base = BASE, retry = true) {
  let r;
  try { r = await fetch(`${base}/api/v1/metrics`, { headers: { Cookie: admin.cookie } }); } catch (e) {
    if (!retry) throw e; /* the pooled socket may have been closed during wrk */
    return metrics(admin, pid, base, false);
  }
  if (!r.ok) throw new Error(`metrics: ${r.status}`);
  return { ...(await r.json()), cpuMs: cpuMs(pid) };
}
export function serverSide(before, after, method, path) {
  const pick = (m) => (m.routes.find((x) => x.method === method && x.path === path) || { buckets: [] }).buckets;
  const had = new Map(pick(before));
  const win = pick(after).map(([u, k]) => [u, k - (had.get(u) || 0)]).filter(([, k]) => k > 0);
  const n = win.reduce((a, [, k]) => a + k, 0);
  const pct = (q) => { let acc = 0; for (const [u, k] of win) if ((acc += k) >= q * n) return u; return NaN; };
  const commits = after.writer.commits - before.writer.commits, jobs = after.writer.jobs - before.writer.jobs;
  return { n, p50: pct(0.5), p99: pct(0.99), cpuUs: Math.round((after.cpuMs - before.cpuMs) * 1000 / n),
           perCommit: (jobs / Math.max(1, commits)).toFixed(1),
           statements: ((after.statements - before.statements) / Math.max(1, n)).toFixed(1) };
}
// work() says what one answer cost the server over a window.
export const work = (srv) => `  server CPU per answer ${srv.cpuUs} µs (both cores, every thread); ${srv.perCommit} writes per group commit;` +
  ` ${srv.statements} SQL statements per answer (tests/api/statements.test.mjs counts them exactly)`;

// uploadMaterials() uploads, as ent (a login()), one small PDF for each
// material of item (GET /api/v1/items/{code}) the registry does not give,
// and returns {key: sha256} for a filing's materials.
export async function uploadMaterials(ent, item, base = BASE) {
  const materials = {};
  for (const m of item.materials) {
    if (m.source === 'registry.entity') continue;
    const up = await fetch(`${base}/api/v1/uploads`, { method: 'POST',
      headers: { 'Content-Type': 'application/pdf', Cookie: ent.cookie, 'X-CSRF-Token': ent.csrf },
      body: `%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n% ${m.key}\ntrailer<</Root 1 0 R>>\n%%EOF\n` });
    if (up.status !== 201) throw new Error(`${item.code} materials: upload ${up.status} ${(await up.text()).slice(0, 300)}`);
    materials[m.key] = (await up.json()).sha256;
  }
  return materials;
}

// miaopiBody() prepares a 秒批 filing of item JP-MP-001 for the account ent
// (a login()): the item's materials the registry does not give, uploaded
// once — a filing without its 核心要件 is refused, never decided — and one
// filing made with them, which must come back issued with its certificate.
// It returns the filing's JSON body, for tests/bench/post_case.lua.
export async function miaopiBody(ent, base = BASE) {
  const it = await (await fetch(`${base}/api/v1/items/JP-MP-001`, { headers: { Cookie: ent.cookie } })).json();
  const materials = await uploadMaterials(ent, it, base);
  const body = JSON.stringify({ item: 'JP-MP-001', submit: true, form: { note: '基准测试' }, materials });
  const probe = await fetch(`${base}/api/v1/cases`, { method: 'POST',
    headers: { 'Content-Type': 'application/json', Cookie: ent.cookie, 'X-CSRF-Token': ent.csrf }, body });
  const c = await probe.json();
  if (probe.status !== 201 || c.state !== 'issued' || !c.certificate) throw new Error(`秒批 probe: ${probe.status} ${JSON.stringify(c).slice(0, 300)}`);
  return body;
}
