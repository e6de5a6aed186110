// make bench, part pg (issue 18): xinqu on PostgreSQL, and two xinqu servers
// on one PostgreSQL behind nginx.
//
// A throwaway cluster (scripts/pg) gets the demo (20,000 entities, no case
// history nor 招商 and talent pipelines: on PostgreSQL the history alone takes
// most of a minute to make, and none of it is read here). The references are
// measured on the same cluster in the same run:
//   - pgbench, 64 clients on two threads, doing a plain one-row INSERT into a
//     table of the entity table's shape (its columns, defaults and identity,
//     a primary key and the unique USCC; none of xinqu's other indexes), just
//     before and just after xinqu's load: what PostgreSQL itself does on this
//     disk, against which durable entity creation (target ≥ 0.5) and 秒批
//     (≥ 0.3) are set;
//   - GET /healthz of the same server, against which an authenticated GET of
//     an entity is set (≥ 0.5).
// Then Debian's nginx (installed if missing) with an upstream of one server,
// then of two servers on the same database, and the same three loads through
// it, printed side by side. Everything runs on this one machine: the load
// generator, nginx, the servers and PostgreSQL share its cores, so two
// servers show what a second process gives here, not what a second machine
// would.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DIR, SECS, PORT, report, fmt, run, stop, startServer, wrk, login, metrics, serverSide, work, miaopiBody, cpuMs } from './common.mjs';

const T = Math.min(SECS, 5); // seconds per load: the part has about two minutes of make bench's ten

export async function benchPg() {
  const t0 = Date.now();
  const pgPort = 56000 + Math.floor(Math.random() * 1000);
  const pgDir = `/tmp/xinqu-bench-pg-${process.pid}`;
  const work_ = resolve(DIR, 'pg');
  rmSync(work_, { recursive: true, force: true });
  mkdirSync(work_, { recursive: true });
  const procs = [];
  let cluster = false;
  try {
    // Each xinqu server holds a PostgreSQL connection per thread (64) and its
    // writer's: two of them need more than the default 100.
    const url = run('scripts/pg', ['start', pgDir, String(pgPort)],
      { env: { ...process.env, PG_OPTS: '-c max_connections=300' }, stdio: ['ignore', 'pipe', 'inherit'] }).trim();
    cluster = true;
    let t = Date.now();
    // (its log of the migrations kept back: a failure shows it)
    run('build/xinqu', ['init', '--db', url, '--demo', 'jinpu', '--entities', '20000', '--cases', '0', '--no-pipeline'],
      { stdio: ['ignore', 'ignore', 'pipe'] });
    console.log(`PostgreSQL demo database (20,000 entities) built in ${((Date.now() - t) / 1000).toFixed(1)} s`);

    // The reference table and pgbench's script: one INSERT a transaction.
    run('psql', [url, '-v', 'ON_ERROR_STOP=1', '-qc', `
      CREATE TABLE bench_entity (LIKE entity INCLUDING DEFAULTS INCLUDING IDENTITY);
      ALTER TABLE bench_entity ADD PRIMARY KEY (id), ADD UNIQUE (uscc);
      CREATE SEQUENCE bench_uscc;`]);
    const script = `${work_}/insert.sql`;
    writeFileSync(script,
      'INSERT INTO bench_entity (uscc, name, kind, legal_rep, capital_fen, industry, address, district, established, status, created_at, updated_at)\n' +
      "  VALUES ('91210213' || lpad(nextval('bench_uscc')::text, 10, '0'), '大连基准测试' || :client_id || '科技有限公司', 'company', '张三',\n" +
      "    100000000, 'I', '', '小窑湾', '2024-01-02', 'active', 0, 0);\n");
    const pgbench = () => {
      const out = run('pgbench', ['-n', '-c', '64', '-j', '2', '-T', String(T), '-f', script, url], { stdio: ['ignore', 'pipe', 'pipe'] });
      const m = out.match(/tps = ([\d.]+) \(without initial connection time\)/);
      if (!m) throw new Error(`pgbench: no tps in ${out}`);
      return Number(m[1]);
    };
    const refBefore = pgbench();

    // One server, straight.
    const portA = PORT + 1000, portB = PORT + 1001, portN = PORT + 1002;
    const serve = async (port, name) => {
      const s = await startServer(url, {}, { port, args: ['--audit-head', `${work_}/audit-head-${name}`, '--trusted-proxy', '127.0.0.1'] });
      procs.push(s.p);
      return { ...s, port };
    };
    const A = await serve(portA, 'a');
    const base = A.base;
    const clerk = await login('clerk', base);
    const admin = await login('admin', base);
    const ent = await login('ent', base);
    const got = await fetch(`${base}/api/v1/entities?per_page=1`, { headers: { Cookie: clerk.cookie } });
    if (!got.ok) throw new Error(`PostgreSQL: GET /api/v1/entities: ${got.status} ${(await got.text()).slice(0, 300)}`);
    const uscc = (await got.json()).items[0].uscc;
    const body = await miaopiBody(ent, base);
    const opts = { base, secs: T };
    // A load whose answers are mostly errors measures nothing: the part stops.
    const enough = (w, what) => {
      if (w.non2xx > w.requests / 2) throw new Error(`${what}: ${w.non2xx} of ${w.requests} answers were not 2xx` +
        ` (the servers' log above; nginx's in ${work_}/nginx/error.log)`);
    };
    const warn = (w, what = '') => { if (w.non2xx) console.log(`  warning: ${w.non2xx} non-2xx answers of ${w.requests}${what}`); };

    const health = wrk('/healthz', 'tests/bench/get.lua', {}, 64, opts);
    // measure() runs one window against server A and takes over it the
    // server's own figures (serverSide) and PostgreSQL's CPU per answer
    // (every process of the cluster): on shared cores that bounds the rates.
    const measure = async (path, script, env, method, route) => {
      const m0 = await metrics(admin, A.p.pid, base), pg0 = pgCpuMs(pgDir);
      const w = wrk(path, script, env, 64, opts);
      const srv = serverSide(m0, await metrics(admin, A.p.pid, base), method, route);
      srv.pgUs = Math.round(((pgCpuMs(pgDir) - pg0) * 1000) / Math.max(1, w.requests));
      return [w, srv];
    };
    const [get, getSrv] = await measure(`/api/v1/entities/${uscc}`, 'tests/bench/get.lua', { XQ_COOKIE: clerk.cookie },
      'GET', '/api/v1/entities/{uscc}');
    const [post, postSrv] = await measure('/api/v1/entities', 'tests/bench/post_entity.lua',
      { XQ_COOKIE: clerk.cookie, XQ_CSRF: clerk.csrf }, 'POST', '/api/v1/entities');
    const [mp, mpSrv] = await measure('/api/v1/cases', 'tests/bench/post_case.lua',
      { XQ_COOKIE: ent.cookie, XQ_CSRF: ent.csrf, XQ_BODY: body }, 'POST', '/api/v1/cases');
    enough(get, 'PostgreSQL: authenticated GET');
    enough(post, 'PostgreSQL: POST /api/v1/entities');
    enough(mp, 'PostgreSQL: 秒批');
    const refAfter = pgbench();
    const ref = (refBefore + refAfter) / 2;
    const refName = 'pgbench one-row INSERT, same cluster';

    report('PostgreSQL: GET /healthz (64 connections)', health.rps, 'req/s', null, '', '');
    warn(get);
    report('PostgreSQL: authenticated GET /api/v1/entities/{uscc}', get.rps, 'req/s', health.rps, 'GET /healthz', 'ratio ≥ 0.5');
    console.log(work(getSrv));
    console.log(pgWork(getSrv));
    warn(post);
    report('PostgreSQL: durable POST /api/v1/entities (64 clients)', post.rps, 'writes/s', ref, refName, 'ratio ≥ 0.5');
    console.log(`  the reference: pgbench (64 clients, -j 2, ${T} s) ${fmt(refBefore)} tps just before the load, ${fmt(refAfter)} just after; the ratio uses their mean`);
    console.log(`  POST latency, server side: p50 ≤ ${postSrv.p50} ms, p99 ≤ ${postSrv.p99} ms (${postSrv.n} answers); at the client: p50 ${post.p50} ms, p99 ${post.p99} ms`);
    console.log(work(postSrv));
    console.log(pgWork(postSrv));
    warn(mp);
    report('PostgreSQL: 秒批 POST /api/v1/cases → decision + signed certificate (64 clients)', mp.rps, 'cases/s', ref, refName, 'ratio ≥ 0.3');
    console.log(`  秒批 latency, server side: p50 ≤ ${mpSrv.p50} ms, p99 ≤ ${mpSrv.p99} ms (${mpSrv.n} answers); at the client: p50 ${mp.p50} ms, p99 ${mp.p99} ms`);
    console.log(work(mpSrv));
    console.log(pgWork(mpSrv));

    // nginx in front: one server, then two on the same database.
    const nginx = nginxBinary();
    const nbase = `http://127.0.0.1:${portN}`;
    // through(servers) starts nginx in front of servers, runs the three
    // loads through it with each server's account of its share (answers,
    // CPU, group commits), and stops nginx.
    const through = async (servers) => {
      const conf = nginxConf(work_, portN, servers.map((x) => x.port));
      const ng = spawn(nginx, ['-p', `${work_}/nginx/`, '-c', conf, '-e', `${work_}/nginx/error.log`],
        { stdio: ['ignore', 'ignore', 'inherit'] });
      procs.push(ng);
      try {
        await waitUp(`${nbase}/healthz`, ng, 'nginx');
        // Sessions live in the database: the logins made through nginx land
        // on either server and must hold on each.
        const c = await login('clerk', nbase);
        const e = await login('ent', nbase);
        const b = await miaopiBody(e, nbase);
        for (const x of servers) {
          const r = await fetch(`${x.base}/api/v1/entities/${uscc}`, { headers: { Cookie: c.cookie } });
          if (r.status !== 200) throw new Error(`a session made through nginx is refused by the server on port ${x.port}: ${r.status} ${(await r.text()).slice(0, 200)}`);
        }
        const snap = () => Promise.all(servers.map((x) => metrics(admin, x.p.pid, x.base)));
        const load = async (what, path, script, env, method, route) => {
          const before = await snap();
          const w = wrk(path, script, env, 64, { base: nbase, secs: T });
          const after = await snap();
          enough(w, `through nginx to ${servers.length} server(s), ${what}`);
          return { ...w, srv: servers.map((x, i) => serverSide(before[i], after[i], method, route)) };
        };
        return {
          get: await load('GET', `/api/v1/entities/${uscc}`, 'tests/bench/get.lua', { XQ_COOKIE: c.cookie }, 'GET', '/api/v1/entities/{uscc}'),
          post: await load('POST /api/v1/entities', '/api/v1/entities', 'tests/bench/post_entity.lua', { XQ_COOKIE: c.cookie, XQ_CSRF: c.csrf },
            'POST', '/api/v1/entities'),
          mp: await load('秒批', '/api/v1/cases', 'tests/bench/post_case.lua', { XQ_COOKIE: e.cookie, XQ_CSRF: e.csrf, XQ_BODY: b },
            'POST', '/api/v1/cases'),
        };
      } finally {
        await stop(ng);
      }
    };
    const one = await through([A]);
    const two = await through([A, await serve(portB, 'b')]);
    // shares() says how the answers fell on the servers and what each cost them.
    const shares = (w) => w.srv.map((x) => `${Math.round(100 * x.n / Math.max(1, w.srv.reduce((a, y) => a + y.n, 0)))}% of the answers,` +
      ` CPU ${x.cpuUs} µs an answer, ${x.perCommit} writes per group commit`).join('; ');
    const side = (label, k, unit, direct) => {
      warn(one[k], ' through nginx to one server');
      warn(two[k], ' through nginx to two servers');
      report(`through nginx, one server: ${label}`, one[k].rps, unit, direct.rps, 'the same straight to the server', '');
      report(`through nginx, two servers: ${label}`, two[k].rps, unit, one[k].rps, 'the same through nginx to one server', '');
      console.log(`  one server: ${shares(one[k])}`);
      console.log(`  two servers: ${shares(two[k])}`);
    };
    side('authenticated GET /api/v1/entities/{uscc}', 'get', 'req/s', get);
    side('durable POST /api/v1/entities', 'post', 'writes/s', post);
    side('秒批 POST /api/v1/cases', 'mp', 'cases/s', mp);
  } finally {
    for (const p of procs.reverse()) await stop(p);
    if (cluster) run('scripts/pg', ['stop', pgDir], { stdio: ['ignore', 'ignore', 'inherit'] });
  }
  console.log(`  part pg took ${((Date.now() - t0) / 1000).toFixed(0)} s`);
}

// pgCpuMs() is the CPU time (ms) of every process of the cluster in pgDir so
// far: the postmaster (data/postmaster.pid's first line) and its children
// (backends, WAL writer, checkpointer, …), each by cpuMs().
function pgCpuMs(pgDir) {
  const pm = readFileSync(`${pgDir}/data/postmaster.pid`, 'utf8').split('\n')[0].trim();
  let kids = [];
  try { kids = run('pgrep', ['-P', pm]).trim().split('\n').filter(Boolean); } catch { /* pgrep exits 1 when none */ }
  let ms = 0;
  for (const pid of [pm, ...kids]) {
    try { ms += cpuMs(pid); } catch { /* ended meanwhile */ }
  }
  return ms;
}

// pgWork() says what one answer cost the server and PostgreSQL together, and
// the most this machine's cores allow at that cost.
const pgWork = (srv) => {
  const us = srv.pgUs + srv.cpuUs, cores = availableParallelism();
  return `  PostgreSQL's own CPU per answer ${srv.pgUs} µs (every process of the cluster), beside the server's ${srv.cpuUs} µs:` +
    ` ${fmt(us)} µs in all, so at most ${fmt(cores * 1e6 / Math.max(1, us))} answers/s on ${cores} cores before wrk takes its share`;
};

// nginxBinary() finds Debian's nginx, installing it for the bench if it is
// missing (make bench only: the tests never need it).
function nginxBinary() {
  for (const p of ['/usr/sbin/nginx', '/usr/bin/nginx']) if (existsSync(p)) return p;
  console.log('  installing Debian\'s nginx for the bench (apt-get install nginx)');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  run('apt-get', ['update', '-q'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  run('apt-get', ['install', '-y', '-q', '--no-install-recommends', 'nginx'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  for (const p of ['/usr/sbin/nginx', '/usr/bin/nginx']) if (existsSync(p)) return p;
  throw new Error('nginx: installed, yet no /usr/sbin/nginx');
}

// nginxConf() writes the configuration of nginx on 127.0.0.1:port in front
// of the servers on ports, as README's deployment section has it (an
// upstream with keep-alive connections), and returns its path. nginx runs
// in the foreground as a child of this script, as root (the bench runs as
// root: no worker user to give the files to), with its pid file, logs and
// temporary files in dir/nginx.
function nginxConf(dir, port, ports) {
  const d = `${dir}/nginx`;
  mkdirSync(d, { recursive: true });
  const who = process.getuid && process.getuid() === 0 ? 'user root root;\n' : '';
  const conf = `${d}/nginx.conf`;
  writeFileSync(conf, `# written by tests/bench/pg.mjs for make bench
daemon off;
${who}worker_processes 1;
pid ${d}/nginx.pid;
error_log ${d}/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${d}/client_body;
  proxy_temp_path ${d}/proxy;
  fastcgi_temp_path ${d}/fastcgi;
  uwsgi_temp_path ${d}/uwsgi;
  scgi_temp_path ${d}/scgi;
  upstream xinqu {
${ports.map((p) => `    server 127.0.0.1:${p};`).join('\n')}
    keepalive 64;
  }
  server {
    listen 127.0.0.1:${port};
    client_max_body_size 25m;
    location / {
      proxy_pass http://xinqu;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
    }
  }
}
`);
  return conf;
}

async function waitUp(url, proc, name) {
  for (let k = 0; ; k++) {
    try {
      const r = await fetch(url);
      if (r.ok) return;
    } catch { /* not up yet */ }
    if (proc.exitCode !== null) throw new Error(`${name} exited (status ${proc.exitCode})`);
    if (k > 2500) throw new Error(`${name}: no answer from ${url} after 5 s`);
    await sleep(2);
  }
}
