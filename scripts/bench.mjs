// make bench — every figure is a ratio against a reference measured in this
// same run on this machine (the HTTP ceiling, the raw SQLite ceiling, the
// target), so the numbers mean the same on a slower or faster machine.
//
// XINQU_BENCH_ONLY=name[,name…] runs only those parts (the demo database of
// step 1 is always built, every part starts from it): import (step 2),
// server (steps 3–6 and 5b), sla (step 7), invest (step 9), rules (step 8),
// ladder (step 10), talent (steps 11–12), board (step 13), rt (step 14), pg (step 15).
// For example: XINQU_BENCH_ONLY=invest make bench
import { readFileSync } from 'node:fs';
import { benchRules } from '../tests/bench/rules.mjs';
import { benchLadder } from '../tests/bench/ladder.mjs';
import { benchTalent } from '../tests/bench/talent.mjs';
import { openLoop } from '../tests/bench/openloop.mjs';
import { benchPg } from '../tests/bench/pg.mjs';
import { benchRT } from '../tests/bench/rt.mjs';
import { DIR, SECS, PORT, BASE, report, fmt, run, stop, fresh, startServer, rssKiB, wrk, login, metrics, serverSide, work, miaopiBody }
  from '../tests/bench/common.mjs';

const PARTS = ['import', 'server', 'sla', 'invest', 'rules', 'ladder', 'talent', 'board', 'rt', 'pg'];
const ONLY = (process.env.XINQU_BENCH_ONLY || '').split(',').map((x) => x.trim()).filter(Boolean);
for (const x of ONLY) if (!PARTS.includes(x)) throw new Error(`XINQU_BENCH_ONLY: no part ${x} (the parts: ${PARTS.join(', ')})`);
const want = (part) => ONLY.length === 0 || ONLY.includes(part);

// 1. The demo database (210,000 entities), made by the real init.
const demo = `${DIR}/demo.db`;
fresh(demo);
let t = Date.now();
run('build/xinqu', ['init', '--db', `sqlite:${demo}`, '--demo', 'jinpu'], { stdio: ['ignore', 'ignore', 'inherit'] });
console.log(`demo database built in ${((Date.now() - t) / 1000).toFixed(1)} s`);

// 2. CSV import of the 210,000 demo entities vs sqlite3's own .import of the same file.
if (want('import')) {
  const csv = `${DIR}/entities.csv`;
  run('build/xinqu', ['export', 'entities', csv, '--db', `sqlite:${demo}`]);
  const nRows = readFileSync(csv, 'utf8').split('\n').length - 2;
  const imp = `${DIR}/import.db`;
  fresh(imp);
  run('build/xinqu', ['init', '--db', `sqlite:${imp}`], { stdio: 'ignore' });
  // Both imports start with the disk quiet: the demo database just written is
  // flushed first, so neither pays for the other's write-back.
  run('sync', []);
  t = process.hrtime.bigint();
  run('build/xinqu', ['import', 'entities', csv, '--db', `sqlite:${imp}`], { stdio: ['ignore', 'ignore', 'inherit'] });
  const impRate = nRows / (Number(process.hrtime.bigint() - t) / 1e9);
  const raw = `${DIR}/raw.db`;
  fresh(raw);
  run('sqlite3', [raw, 'PRAGMA journal_mode=WAL;', 'PRAGMA synchronous=FULL;',
    'CREATE TABLE entity(uscc TEXT PRIMARY KEY, name, kind, legal_rep, capital_fen, industry, address, district, established, status);']);
  run('sync', []);
  t = process.hrtime.bigint();
  run('sqlite3', [raw, '.mode csv', `.import --skip 1 ${csv} entity`]);
  const rawRate = nRows / (Number(process.hrtime.bigint() - t) / 1e9);
  report('CSV import (210k demo entities, validated, FTS-indexed, audited)', impRate, 'rows/s', rawRate,
    'sqlite3 .import into a bare table', '≥ 100,000 rows/s');
}

if (want('server')) {
  // 3. Start-up time and memory with the demo database.
  const { p, startup } = await startServer(demo);
  report('server start-up to first /healthz answer', startup, 's', 0.3, 'target 0.3 s', '< 0.3 s (ratio < 1)');
  report('resident memory after start-up', rssKiB(p.pid) / 1024, 'MiB', 64, 'target 64 MiB', '< 64 MiB (ratio < 1)');

  // 4. Authenticated GET of an entity vs /healthz (the HTTP ceiling).
  const { cookie, csrf } = await login('clerk');
  const uscc = (await (await fetch(`${BASE}/api/v1/entities?per_page=1`, { headers: { Cookie: cookie } })).json()).items[0].uscc;
  const health = wrk('/healthz', 'tests/bench/get.lua', {});
  const get = wrk(`/api/v1/entities/${uscc}`, 'tests/bench/get.lua', { XQ_COOKIE: cookie });
  if (get.non2xx) console.log(`  warning: ${get.non2xx} non-2xx answers`);
  report('GET /healthz (64 connections)', health.rps, 'req/s', null, '', '');
  report('authenticated GET /api/v1/entities/{uscc}', get.rps, 'req/s', health.rps, 'GET /healthz', 'ratio ≥ 0.8');

  // 5. Durable entity creation at 64 clients vs one-row-per-commit SQLite (synchronous=FULL, same disk).
  const ref = `${DIR}/ref.db`;
  const sqliteRef = (env = {}) => {
    fresh(ref);
    return Number(run('build/bench/sqlite_ref', [ref, String(Math.min(SECS, 5))], { env: { ...process.env, ...env } })
      .match(/rows_per_s ([\d.]+)/)[1]);
  };
  // The reference runs just before and just after the load, and the ratio is
  // taken against the mean of the two: how long this disk takes to flush
  // drifts (here the same reference has measured 1,900 and 5,100 rows/s a
  // minute apart).
  const refBefore = sqliteRef();
  const admin = await login('admin');
  let m0 = await metrics(admin, p.pid);
  const post = wrk('/api/v1/entities', 'tests/bench/post_entity.lua', { XQ_COOKIE: cookie, XQ_CSRF: csrf });
  const postSrv = serverSide(m0, await metrics(admin, p.pid), 'POST', '/api/v1/entities');
  const refAfter = sqliteRef();
  const refRate = (refBefore + refAfter) / 2;
  if (post.non2xx) console.log(`  warning: ${post.non2xx} non-2xx answers`);
  report('durable POST /api/v1/entities (64 clients, group commit)', post.rps, 'writes/s', refRate,
    'SQLite one row per commit, synchronous=FULL', '');
  report('durable POST /api/v1/entities against the HTTP ceiling', post.rps, 'writes/s', health.rps, 'GET /healthz above',
    'ratio ≥ 0.35');
  console.log(`  the reference: ${fmt(refBefore)} rows/s just before the load, ${fmt(refAfter)} just after; the ratio uses their mean`);
  console.log(`  POST latency, server side: p50 ≤ ${postSrv.p50} ms, p99 ≤ ${postSrv.p99} ms (${postSrv.n} answers);` +
    ` at the client (wrk): p50 ${post.p50} ms, p99 ${post.p99} ms`);
  console.log(work(postSrv));
  report('resident memory after the load', rssKiB(p.pid) / 1024, 'MiB', 64, 'target 64 MiB', '< 64 MiB (ratio < 1)');
  report('peak resident memory (includes argon2id logins, 19 MiB each)', rssKiB(p.pid, 'VmHWM') / 1024, 'MiB', 64,
    'target 64 MiB', '');

  // 6. 秒批 at 64 clients: submission → rule → decision → signed certificate, one
  // request each, against the durable-write ceiling measured in step 5.
  {
    const ent = await login('ent');
    // The item's materials uploaded once and one filing made with them (miaopiBody in common.mjs).
    const body = await miaopiBody(ent);
    m0 = await metrics(admin, p.pid);
    const mp = wrk('/api/v1/cases', 'tests/bench/post_case.lua', { XQ_COOKIE: ent.cookie, XQ_CSRF: ent.csrf, XQ_BODY: body });
    const mpSrv = serverSide(m0, await metrics(admin, p.pid), 'POST', '/api/v1/cases');
    if (mp.non2xx) console.log(`  warning: ${mp.non2xx} non-2xx answers`);
    report('秒批 POST /api/v1/cases → decision + signed certificate (64 clients)', mp.rps, 'cases/s', post.rps,
      'durable POST /api/v1/entities above', 'ratio ≥ 0.5');
    report('秒批 latency p99, server side', mpSrv.p99, 'ms', 10, 'target 10 ms', 'ratio ≤ 1');
    console.log(`  秒批 latency, server side: p50 ≤ ${mpSrv.p50} ms, p99 ≤ ${mpSrv.p99} ms (${mpSrv.n} answers);` +
      ` at the client (wrk, which shares the two cores): p50 ${mp.p50} ms, p99 ${mp.p99} ms`);
    console.log(work(mpSrv));

    // 6b. The same filing offered at a constant rate of half the maximum just
    // measured (open loop: tests/bench/openloop.mjs), the latency a user
    // sees under a realistic load rather than under saturation.
    const rate = Math.max(1, Math.round(mp.rps / 2));
    m0 = await metrics(admin, p.pid);
    const ol = await openLoop({ port: PORT, method: 'POST', path: '/api/v1/cases', body, rate, seconds: SECS,
      headers: { 'Content-Type': 'application/json', Cookie: ent.cookie, 'X-CSRF-Token': ent.csrf } });
    const olSrv = serverSide(m0, await metrics(admin, p.pid), 'POST', '/api/v1/cases');
    if (ol.non2xx || ol.errors) console.log(`  warning: ${ol.non2xx} non-2xx answers, ${ol.errors} failed requests`);
    report(`秒批 latency p99 at a constant ${rate.toLocaleString('en')} filings/s (half the maximum, open loop), server side`,
      olSrv.p99, 'ms', 10, 'target 10 ms', 'ratio ≤ 1');
    console.log(`  open loop: ${ol.sent} sent, ${olSrv.n} answered; server side p50 ≤ ${olSrv.p50} ms, p99 ≤ ${olSrv.p99} ms;` +
      ` at the client (from each request's due time; node shares the two cores): p50 ${ol.p50.toFixed(1)} ms,` +
      ` p99 ${ol.p99.toFixed(1)} ms, max ${ol.max.toFixed(1)} ms`);
    console.log(work(olSrv));
  }

  await stop(p);

  // 5b. What bounds the ratio of step 5 on this machine: the same server and
  // the same reference with flush_shim.so loaded into both. With every flush
  // skipped nothing is durable, so no way of scheduling flushes can beat that
  // figure; with every flush 1 ms slower, the run shows what group commit
  // gives on a disk slower to flush than this one.
  for (const [flush, label] of [['skip', 'every flush skipped (not durable: the most any flush scheme could reach)'],
    ['1000', 'every flush 1 ms slower, in the server and in the reference']]) {
    const env = { LD_PRELOAD: `${process.cwd()}/build/bench/flush_shim.so`, XQ_FLUSH: flush };
    const srv = (await startServer(demo, env)).p;
    const c = await login('clerk');
    const a = await login('admin');
    const before = await metrics(a, srv.pid);
    const w = wrk('/api/v1/entities', 'tests/bench/post_entity.lua', { XQ_COOKIE: c.cookie, XQ_CSRF: c.csrf });
    const s = serverSide(before, await metrics(a, srv.pid), 'POST', '/api/v1/entities');
    await stop(srv);
    if (w.non2xx) console.log(`  warning: ${w.non2xx} non-2xx answers`);
    const base = flush === 'skip' ? refRate : sqliteRef(env);
    report(`POST /api/v1/entities (64 clients), ${label}`, w.rps, 'writes/s', base,
      `SQLite one row per commit${flush === 'skip' ? ' (flushing: the mean of step 5)' : ', flush 1 ms slower'}`, '');
    if (flush === 'skip') {
      report('durable POST /api/v1/entities (step 5) against the same server with every flush skipped', post.rps, 'writes/s',
        w.rps, 'every flush skipped, just above', 'ratio ≥ 0.85');
    }
    console.log(work(s));
  }
}

// 7. The deadline scan over 1,000,000 open cases (deadlines spread from 5 days
// ago to 55 days ahead), against a full scan of the same table by sqlite3.
if (want('sla')) {
  const big = `${DIR}/scan.db`;
  fresh(big);
  run('cp', [demo, big]);
  const now = Date.now();
  run('sqlite3', [big, `
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000000)
    INSERT INTO case_file(case_no, item_version_id, item_code, dept_id, party, party_type, party_name,
      filer_id, channel, state, started_at, deadline_at, warn_at, limit_ms, submitted_at, created_at, updated_at)
    SELECT 'B' || i, (SELECT MIN(id) FROM item_version), 'JP-CN-001', 1 + i % 20, 'P' || i, 'entity', '基准',
      1, 'online', 'accepted', ${now} - 5 * 86400000,
      ${now} - 5 * 86400000 + (i * 5183) % (60 * 86400000),
      ${now} - 6 * 86400000 + (i * 5183) % (60 * 86400000), 25200000, ${now}, ${now}, ${now} FROM n;`]);
  const ms = (out) => Number(out.match(/（(\d+) ms）/)[1]);
  const cold = run('build/xinqu', ['sla', 'scan', '--db', `sqlite:${big}`]);
  console.log(`  first scan: ${cold.trim()}`);
  // As the server runs it, once a minute: only what came due since the last scan.
  const warm = run('build/xinqu', ['sla', 'scan', '--db', `sqlite:${big}`]);
  console.log(`  minute scan: ${warm.trim()}`);
  t = process.hrtime.bigint();
  run('sqlite3', [big, `SELECT COUNT(*), SUM(deadline_at <= ${now}) FROM case_file WHERE decided_at = 0;`]);
  const full = Number(process.hrtime.bigint() - t) / 1e9;
  report('deadline scan, first run over 1,000,000 open cases (flags all past deadlines)', ms(cold) / 1000, 's', full,
    'sqlite3 full scan of case_file', '< 1 s');
  report('deadline scan, once a minute over 1,000,000 open cases', ms(warm) / 1000, 's', full,
    'sqlite3 full scan of case_file', '< 1 s');
  fresh(big);
}

// 9. The 招商 report over 100,000 projects and 1,000,000 fund entries (three
// years of them, a third foreign), through the API on a warm server, against
// the same aggregates as one plain SQL statement in the sqlite3 shell.
if (want('invest')) {
  const big = `${DIR}/invest.db`;
  fresh(big);
  run('cp', [demo, big]);
  run('sqlite3', [big, `
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000)
    INSERT INTO invest_project(code, name, dept_id, owner_id, industry, origin, planned, stage, lead_on, talks_on,
      signed_on, registered_on, started_on, contract_amount, created_at, updated_at)
    SELECT 'B' || i, '基准项目' || i, (SELECT dept_id FROM account WHERE username = 'invest'),
      (SELECT id FROM account WHERE username = 'invest'), substr('ABCDEFGHIJKLMNOPQRST', 1 + i % 20, 1),
      CASE WHEN i % 3 = 0 THEN 'foreign' ELSE 'domestic' END, 100000000 + i * 1000,
      CASE i % 5 WHEN 0 THEN 'lead' WHEN 1 THEN 'talks' WHEN 2 THEN 'signed' WHEN 3 THEN 'registered' ELSE 'started' END,
      date('2019-01-01', '+' || (i % 1000) || ' days'), date('2019-01-01', '+' || (i % 1000 + 20) || ' days'),
      CASE WHEN i % 5 >= 2 THEN date('2019-01-01', '+' || (i % 1000 + 60) || ' days') ELSE '' END,
      CASE WHEN i % 5 >= 3 THEN date('2019-01-01', '+' || (i % 1000 + 90) || ' days') ELSE '' END,
      CASE WHEN i % 5 = 4 THEN date('2019-01-01', '+' || (i % 1000 + 150) || ' days') ELSE '' END,
      CASE WHEN i % 5 >= 2 THEN 500000000 + i * 100 ELSE 0 END, 0, 0 FROM n;
    INSERT INTO invest_investor(project_id, kind, code, name, country, province, share_bp)
      SELECT id, CASE origin WHEN 'foreign' THEN 'foreign' ELSE 'entity' END, '', '基准投资方',
        CASE origin WHEN 'foreign' THEN 'JP' ELSE 'CN' END, CASE origin WHEN 'foreign' THEN '' ELSE '21' END, 10000
      FROM invest_project WHERE code LIKE 'B%';
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000000)
    INSERT INTO invest_fund(project_id, on_day, amount, currency, rate, cny, usd, kind, source, created_at, created_by)
    SELECT (SELECT MIN(id) FROM invest_project WHERE code LIKE 'B%') + i % 100000,
      date('2019-03-01', '+' || (i % 1000) || ' days'), 1000000 + i, 'CNY', 100000000, 1000000 + i,
      CASE WHEN i % 3 = 0 THEN 150000 + i ELSE 0 END, CASE WHEN i % 4 = 0 THEN 'working' ELSE 'fixed' END,
      CASE i % 3 WHEN 0 THEN 'foreign' WHEN 1 THEN 'out_of_province' ELSE 'in_province' END, 0, 0 FROM n;
    ANALYZE;`]);
  const { p } = await startServer(big);
  const leader = await login('leader');
  const q = '/api/v1/invest/report?from=2019-01-01&to=2021-12-31';
  const times = [];
  let answer;
  for (let k = 0; k < 7; k++) {
    t = process.hrtime.bigint();
    const r = await fetch(`${BASE}${q}`, { headers: { Cookie: leader.cookie } });
    answer = await r.arrayBuffer();
    times.push(Number(process.hrtime.bigint() - t) / 1e9);
    if (r.status !== 200) throw new Error(`report: ${r.status}`);
  }
  await stop(p);
  times.sort((a, b) => a - b);
  const F = "'2019-01-01' AND '2021-12-31'";
  const ref = [];
  let refOut;
  for (let k = 0; k < 3; k++) {
    t = process.hrtime.bigint();
    refOut = run('sqlite3', [big, `
    SELECT 'a', COUNT(*), 0, 0 FROM invest_activity WHERE start_on BETWEEN ${F}
    UNION ALL SELECT origin, COUNT(*), SUM(contract_amount), SUM(started_on <> '') FROM invest_project WHERE signed_on BETWEEN ${F} GROUP BY origin
    UNION ALL SELECT substr(signed_on, 1, 4), COUNT(*), SUM(contract_amount), 0 FROM invest_project WHERE signed_on BETWEEN ${F} GROUP BY 1
    UNION ALL SELECT source, SUM(cny), SUM(usd), 0 FROM invest_fund WHERE on_day BETWEEN ${F} GROUP BY source
    UNION ALL SELECT 'rates', SUM(f.cny), SUM(CASE WHEN f.kind = 'fixed' THEN f.cny ELSE 0 END), 0 FROM invest_fund f JOIN invest_project p ON p.id = f.project_id WHERE p.signed_on BETWEEN ${F}
    UNION ALL SELECT 'funnel', COUNT(*), SUM(talks_on <> ''), SUM(julianday(signed_on) - julianday(talks_on)) FROM invest_project WHERE lead_on BETWEEN ${F}
    UNION ALL SELECT industry, COUNT(*), SUM(contract_amount), 0 FROM invest_project WHERE signed_on BETWEEN ${F} GROUP BY industry
    UNION ALL SELECT i.country || i.province, COUNT(*), SUM(p.contract_amount), 0 FROM invest_project p JOIN invest_investor i ON i.project_id = p.id WHERE p.signed_on BETWEEN ${F} GROUP BY 1
    UNION ALL SELECT owner_id, COUNT(*), SUM(contract_amount), 0 FROM invest_project WHERE signed_on BETWEEN ${F} GROUP BY owner_id;`]);
    ref.push(Number(process.hrtime.bigint() - t) / 1e9);
  }
  // A fast answer only counts if it is the right one: the report's funds
  // (read from the sums migration 11 keeps) and counts against the query's.
  // Rows by their first column, in the order the query gives them: 'foreign'
  // is first an origin (count, contracts) and then a source (yuan, dollars).
  const rows = new Map();
  for (const [k, ...v] of refOut.trim().split('\n').map((l) => l.split('|'))) rows.set(k, [...(rows.get(k) || []), v.map(Number)]);
  const row = (k, n = 0) => rows.get(k)[n];
  const fig = Object.fromEntries(JSON.parse(Buffer.from(answer).toString('utf8')).figures.map((x) => [x.key, x.value]));
  const agree = [
    [fig.foreign_usd.minor, row('foreign', 1)[1]], [fig.out_of_province_cny.minor, row('out_of_province')[0]],
    [fig.in_province_cny.minor, row('in_province')[0]], [fig.activities, row('a')[0]],
    [fig.signed, row('domestic')[0] + row('foreign')[0]],
    [fig.funds_rate, row('rates')[0] / (row('domestic')[1] + row('foreign')[1])],
  ];
  for (const [api, sql] of agree) if (api !== sql) throw new Error(`招商 report: the API says ${api}, the SQL ${sql}`);
  report('招商 report over 100,000 projects and 1,000,000 fund entries (API, median of 7 on a warm server)',
    times[3], 's', Math.min(...ref), 'the same aggregates as one SQL statement in the sqlite3 shell (best of 3, process included)',
    '≤ 2× and < 0.3 s');
  console.log(`  API: fastest ${times[0].toFixed(3)} s, slowest ${times[6].toFixed(3)} s`);
  fresh(big);
}

// 8. Rule evaluations per second on one core: the Lua sandbox (a typical 秒批
// rule, fresh environment and facts each time) vs json-rules-engine on the
// same checks and facts, and vs the target.
if (want('rules')) await benchRules(report, Math.min(SECS, 5));

// 10. 企业梯度培育 (issue 15): `ladder check` of all six rungs over 100,000
// enterprises' facts on one thread, and the 高企 rule alone, vs
// json-rules-engine deciding the same 高企 criteria on the same facts (its
// verdicts checked against the Lua rule's, enterprise by enterprise).
if (want('ladder')) await benchLadder(report, DIR);

// 11. 人才政策兑现 (issue 16): the monthly instalment run over 100,000
// entitlements due this month (re-check as of each due day, approval within
// the year's budget, ledger rows, audit; one durable transaction each, as
// the API reviews them), and the re-check alone, vs json-rules-engine
// deciding the same re-check rules on the same facts (its verdicts checked
// against the Lua rules', instalment by instalment).
if (want('talent')) await benchTalent(report, DIR);
// 12. 免申即享 (issue 16): the scan of 210,000 persons' talent records under
// 学费补助 on one thread (build/bench/talent_scan_bench: a fresh SQLite
// database), as a dry run and for real (each found person's entitlement,
// instalment and audit event written page by page), against the rule
// evaluation alone: talent_check() on the same records' facts, timed inside
// the calls. The plain SQL pass reading and parsing the same records is
// printed beside it.
if (want('talent')) {
  const out = run('build/bench/talent_scan_bench', [`${DIR}/talent_scan.db`, '210000', 'tuition'], { stdio: ['ignore', 'pipe', 'ignore'] });
  const k = Object.fromEntries(out.trim().split('\n').map((l) => l.split(' ')).map(([a, b]) => [a, Number(b)]));
  if (k.created !== k.found || k.rerun_created !== 0) throw new Error(`免申即享: found ${k.found}, created ${k.created}, rerun created ${k.rerun_created}`);
  const ref = 'talent_check() alone over the same 210,000 facts';
  report('免申即享 scan of 210,000 persons, dry run (学费补助: read, check, classify found / close)', k.dry_s, 's', k.rules_s, ref);
  report(`免申即享 scan of 210,000 persons for real (${k.created.toLocaleString('en')} entitlements written with their audit events)`, k.real_s, 's', k.rules_s, ref);
  console.log(`  found ${k.found}, close ${k.close}; rerun ${k.rerun_s.toFixed(3)} s creates ${k.rerun_created}; plain SQL pass reading and parsing the same records ${k.sql_s.toFixed(3)} s`);
  fresh(`${DIR}/talent_scan.db`);
}

// 13. The leaders' board (issue 17): GET /api/v1/board for 2021 with 200
// indicators of 12 months each (the demo's and bench ones entered for 2020
// and 2021, a quarter with the city's values, 50 with a target), the 惠民实事
// and every domain's panel computed from the demo's records, against the
// same numbers read as plain SQL in the sqlite3 shell (process included):
// the two years' values, the targets, each feed's records by month, the
// year's projects with their milestones.
if (want('board')) {
  const db = `${DIR}/board.db`;
  fresh(db);
  run('sqlite3', [demo, `VACUUM INTO '${db}'`]);
  run('sqlite3', [db, `
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200 - (SELECT COUNT(*) FROM indicator))
    INSERT INTO indicator(code, name, name_en, unit, decimals, frequency, cumulative, dept_id, city, source, seq, demo, created_at)
    SELECT 'bench' || i, '基准指标' || i, 'Bench ' || i, '亿元', 2, 'month', 1, (SELECT id FROM department WHERE code = 'tjj'),
      i % 4 = 0, 'entered', 1000 + i, 1, 0 FROM n;
    WITH RECURSIVE m(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM m WHERE k < 12), y(yr) AS (VALUES (2020), (2021)),
      s(scope) AS (VALUES ('area'), ('city'))
    INSERT INTO indicator_value(indicator_id, scope, year, seq, version, value, source, created_at, created_by)
    SELECT i.id, s.scope, y.yr, m.k, 1, (i.id * 1000 + m.k * 100 + (y.yr - 2020) * 150) * 1000000 * (CASE s.scope WHEN 'city' THEN 3 ELSE 1 END),
      '基准数据', 0, 0 FROM indicator i, m, y, s WHERE i.code LIKE 'bench%' AND (s.scope = 'area' OR i.city = 1);
    INSERT INTO indicator_target(indicator_id, year, version, kind, value, direction, text, created_at, created_by)
    SELECT id, 2021, 1, 'growth', 8000000, 'min', '增长8%', 0, 0 FROM indicator WHERE code LIKE 'bench%' ORDER BY id LIMIT 50;
    ANALYZE;`]);
  const nInd = Number(run('sqlite3', [db, 'SELECT COUNT(*) FROM indicator']).trim());
  const { p } = await startServer(db);
  const leader = await login('leader');
  const q = '/api/v1/board?year=2021';
  const times = [];
  let answer;
  for (let k = 0; k < 9; k++) {
    t = process.hrtime.bigint();
    const r = await fetch(`${BASE}${q}`, { headers: { Cookie: leader.cookie } });
    answer = await r.json();
    times.push(Number(process.hrtime.bigint() - t) / 1e9);
    if (r.status !== 200) throw new Error(`board: ${r.status}`);
  }
  await stop(p);
  times.sort((a, b) => a - b);
  const D = "'2020-01-01' AND '2021-12-31'";
  const ms = (day) => Date.parse(`${day}T00:00:00+08:00`);
  const ref = [];
  let refOut;
  for (let k = 0; k < 5; k++) {
    t = process.hrtime.bigint();
    refOut = run('sqlite3', [db, `
    SELECT 'v', indicator_id, scope, year, seq, version, value, growth FROM indicator_value WHERE year BETWEEN 2020 AND 2021
      ORDER BY year, indicator_id, scope, seq, version;
    SELECT 't', t.indicator_id, t.kind, t.value, t.text FROM indicator_target t WHERE t.year = 2021
      AND t.version = (SELECT MAX(version) FROM indicator_target u WHERE u.indicator_id = t.indicator_id AND u.year = 2021);
    SELECT 'entity', substr(established, 1, 7), COUNT(*) FROM entity WHERE established BETWEEN ${D} GROUP BY 2;
    SELECT 'case', strftime('%Y-%m', submitted_at / 1000, 'unixepoch', '+8 hours'), COUNT(*), SUM(on_time = 1), SUM(on_time IS NOT NULL)
      FROM case_file WHERE submitted_at >= ${ms('2020-01-01')} AND submitted_at < ${ms('2022-01-01')} GROUP BY 2;
    SELECT 'signed', substr(signed_on, 1, 7), COUNT(*) FROM invest_project WHERE signed_on BETWEEN ${D} GROUP BY 2;
    SELECT 'funds', substr(on_day, 1, 7), SUM(cny) FROM invest_fund_by_day WHERE on_day BETWEEN ${D} GROUP BY 2;
    SELECT 'title', rung || substr(granted_on, 1, 7), COUNT(*) FROM ladder_title WHERE granted_on BETWEEN ${D} GROUP BY 2;
    SELECT 'entitled', substr(decided_on, 1, 7), COUNT(*) FROM talent_entitlement WHERE decided_on BETWEEN ${D} GROUP BY 2;
    SELECT 'paid', substr(paid_on, 1, 7), SUM(amount_fen) FROM talent_instalment WHERE state = 'paid' AND paid_on BETWEEN ${D} GROUP BY 2;
    SELECT 'lv', p.code, p.dept_id, p.progress, m.planned_on, m.reached_on FROM livelihood_project p
      LEFT JOIN livelihood_milestone m ON m.project_id = p.id WHERE p.year = 2021;`]);
    ref.push(Number(process.hrtime.bigint() - t) / 1e9);
  }
  // A fast answer only counts if it is the right one: the registry's months,
  // the talent subsidies paid, and every bench indicator judged with its trend.
  const lines = refOut.trim().split('\n').map((l) => l.split('|'));
  const byMonth = (kind) => Object.fromEntries(lines.filter((l) => l[0] === kind).map((l) => [l[1], Number(l[2])]));
  const panel = (d, feed) => answer.panels.find((x) => x.domain === d).figures.find((f) => f.feed === feed);
  const ent = byMonth('entity'), reg = panel('registry', 'registry.new_entities');
  for (let m = 1; m <= 12; m++) {
    const key = `2021-${String(m).padStart(2, '0')}`;
    if (Number(reg.months[m - 1]) !== (ent[key] || 0)) throw new Error(`board: entities of ${key}: API ${reg.months[m - 1]}, SQL ${ent[key]}`);
  }
  const paid = byMonth('paid'), pf = panel('talent', 'talent.paid');
  const paid21 = Object.entries(paid).filter(([k]) => k.startsWith('2021')).reduce((a, [, v]) => a + v, 0);
  if (Math.round(Number(pf.value) * 100) !== Math.round(paid21 / 10000)) throw new Error(`board: paid API ${pf.value} 万元, SQL ${paid21} 分`);
  const b1 = answer.indicators.find((x) => x.code.startsWith('bench'));
  if (answer.indicators.length !== nInd || !b1 || !b1.target || b1.trend.values.filter((v) => v !== null).length !== 12)
    throw new Error(`board: ${answer.indicators.length} indicators of ${nInd}, the first bench one ${JSON.stringify(b1).slice(0, 300)}`);
  report(`leaders' board of 2021 (${nInd} indicators × 12 months, 惠民实事, 5 domain panels from the demo's records; API, median of 9 on a warm server)`,
    times[4], 's', Math.min(...ref), 'the same numbers as plain SQL in the sqlite3 shell (best of 5, process included)', '≤ 2× and < 0.1 s');
  console.log(`  API: fastest ${times[0].toFixed(3)} s, slowest ${times[8].toFixed(3)} s`);
  fresh(db);
}

// 14. Request Tracker 5 as a peer (issue 18): ticket creation, read and
// search by requester through RT's REST2 against a 承诺件 filing, a case read
// and the case list by party, same load, same concurrency, same database
// kind (tests/bench/rt.mjs; installs RT from Debian when missing, skipped
// with the reason if it cannot).
if (want('rt')) await benchRT(report, { dir: DIR, secs: Math.min(SECS, 5), demo, base: BASE, startServer, login, stop, metrics, serverSide });

// 15. PostgreSQL and nginx (issue 18, tests/bench/pg.mjs): on a throwaway
// cluster, durable entity creation and 秒批 against pgbench's one-row INSERT
// into a table of the entity table's shape on the same cluster, and an
// authenticated GET against /healthz; then the same loads through Debian's
// nginx to one server and to two servers on the same database, side by side.
if (want('pg')) await benchPg();
