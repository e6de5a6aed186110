// cli.test.mjs — the xinqu command line as an operator uses it: code checks,
// the working-day calendar (checked against an independent walk over
// data/calendar/cn.csv), importing entities from CSV, backup, accounts.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  startServer, cleanup, xinqu, ROOT, makeUscc, badCheckUscc, makeId, idCheck, exportEntities,
  parseCsv, rareWord, DB_KIND, newDatabase, hasChinese,
} from './lib.mjs';

let srv, tmp;
before(async () => {
  srv = await startServer();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'xinqu-cli-'));
});
after(async () => {
  await cleanup(srv);
  fs.rmSync(tmp, { recursive: true, force: true });
});

const lines = (s) => s.split('\n').filter((l) => l !== '');

// --- check ------------------------------------------------------------------

test('check uscc: "CODE ok" and exit 0 for valid codes; "CODE invalid: reason" and exit 1 otherwise', () => {
  const good = ['914403001922038216', '91350100M000100Y43', makeUscc('1'), makeUscc('2'), makeUscc('3')];
  const ok = xinqu(['check', 'uscc', ...good]);
  assert.equal(ok.status, 0, ok.stdout + ok.stderr);
  assert.deepEqual(lines(ok.stdout), good.map((c) => `${c} ok`));
  const bad = [badCheckUscc(good[2]), good[2].slice(0, 17), good[2].toLowerCase(), '9121021300000000OO', 'X'];
  for (const b of bad) {
    const r = xinqu(['check', 'uscc', b]);
    assert.equal(r.status, 1, `${b}: ${r.stdout}`);
    const [line] = lines(r.stdout);
    assert.ok(line.startsWith(`${b} invalid: `), line);
    assert.ok(line.length > `${b} invalid: `.length + 3, `a reason is given: ${line}`);
  }
  const mixed = xinqu(['check', 'uscc', good[0], bad[0]]);
  assert.equal(mixed.status, 1);
  const ml = lines(mixed.stdout);
  assert.equal(ml.length, 2);
  assert.equal(ml[0], `${good[0]} ok`);
  assert.ok(ml[1].startsWith(`${bad[0]} invalid: `));
  assert.equal(xinqu(['check', 'uscc']).status, 2, 'usage error without codes');
  assert.equal(xinqu(['check', 'nonsense', 'x']).status, 2);
});

test('check id: valid numbers (15 and 18 digits, lower-case x) and invalid ones', () => {
  const a = makeId('19850317', 123);
  let withX = null;
  for (let s = 0; s < 1000 && !withX; s++) { const id = makeId('19900101', s); if (id.endsWith('X')) withX = id; }
  assert.ok(withX, 'found an ID number ending in X');
  const ok = xinqu(['check', 'id', a, withX, withX.toLowerCase()]);
  assert.equal(ok.status, 0, ok.stdout + ok.stderr);
  assert.deepEqual(lines(ok.stdout), [`${a} ok`, `${withX} ok`, `${withX.toLowerCase()} ok`]);
  // A first-generation 15-digit number (YYMMDD, no check character).
  const old = `210213${'850317'}123`;
  const r15 = xinqu(['check', 'id', old]);
  assert.equal(r15.status, 0, r15.stdout);
  const wrongCheck = a.slice(0, 17) + (a[17] === '0' ? '1' : '0');
  const future = (() => { const y = new Date().getUTCFullYear() + 1; const d17 = `210213${y}0101123`; return d17 + idCheck(d17); })();
  const badDate = (() => { const d17 = '21021319990231123'; return d17 + idCheck(d17); })();
  const badArea = (() => { const d17 = '99021319850317123'; return d17 + idCheck(d17); })();
  for (const b of [wrongCheck, future, badDate, badArea, '12345', `${a}1`]) {
    const r = xinqu(['check', 'id', b]);
    assert.equal(r.status, 1, `${b}: ${r.stdout}`);
    assert.ok(lines(r.stdout)[0].startsWith(`${b} invalid: `), r.stdout);
  }
});

// --- calendar ---------------------------------------------------------------

// The independent calendar: cn.csv's special days, else Monday–Friday.
const SPECIAL = new Map();
for (const [day, kind, name] of parseCsv(fs.readFileSync(path.join(ROOT, 'data/calendar/cn.csv'), 'utf8')).slice(1)) {
  SPECIAL.set(day, { off: kind === 'off', name: name || '' });
}
const iso = (d) => d.toISOString().slice(0, 10);
const addDays = (s, n) => iso(new Date(Date.parse(`${s}T00:00:00Z`) + n * 86400_000));
function isWorkday(s) {
  const sp = SPECIAL.get(s);
  if (sp) return !sp.off;
  const wd = new Date(`${s}T00:00:00Z`).getUTCDay();
  return wd >= 1 && wd <= 5;
}
// walk(start, n): the n-th working day after start, the start not counted.
function walk(start, n) {
  let d = start;
  for (let k = 0; k < n;) { d = addDays(d, 1); if (isWorkday(d)) k++; }
  return d;
}

test('calendar list 2024: 366 lines, each matching cn.csv and the weekday', () => {
  const r = srv.cli(['calendar', 'list', '2024']);
  assert.equal(r.status, 0, r.stderr);
  const got = lines(r.stdout);
  assert.equal(got.length, 366);
  assert.ok(got.includes('2024-10-01 off 国庆节'), 'National Day is off');
  assert.ok(got.includes('2024-09-29 workday 国庆节调休'), 'the Sunday before National Day is worked');
  assert.ok(got.includes('2024-02-29 workday'), 'leap day, a Thursday');
  assert.ok(got.includes('2024-06-08 off'), 'a plain Saturday');
  let d = '2024-01-01';
  for (const line of got) {
    const sp = SPECIAL.get(d);
    const expect = `${d} ${isWorkday(d) ? 'workday' : 'off'}${sp && sp.name ? ` ${sp.name}` : ''}`;
    assert.equal(line, expect);
    d = addDays(d, 1);
  }
  assert.equal(lines(srv.cli(['calendar', 'list', '2023']).stdout).length, 365);
});

test('calendar add counts working days, the start day not counted, as an independent walk does', () => {
  const r = srv.cli(['calendar', 'add', '2024-09-27', '5']);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), walk('2024-09-27', 5));
  assert.equal(r.stdout.trim(), '2024-10-10', 'across National Day 2024');
  const cases = [['2024-09-27', 0], ['2024-09-28', 0], ['2024-02-08', 1], ['2024-02-09', 3], ['2024-04-30', 1],
    ['2023-12-29', 1], ['2024-12-31', 20], ['2025-01-24', 10], ['2025-09-30', 1], ['2019-01-01', 250]];
  // And some drawn at random over the years cn.csv covers.
  const years = [...new Set([...SPECIAL.keys()].map((k) => k.slice(0, 4)))].sort();
  for (let i = 0; i < 15; i++) {
    const y = years[Math.floor(Math.random() * years.length)];
    const start = addDays(`${y}-01-01`, Math.floor(Math.random() * 300));
    cases.push([start, Math.floor(Math.random() * 40)]);
  }
  for (const [start, n] of cases) {
    const out = srv.cli(['calendar', 'add', start, String(n)]);
    assert.equal(out.status, 0, `${start} + ${n}: ${out.stderr}`);
    assert.equal(out.stdout.trim(), walk(start, n), `${start} + ${n} working days`);
  }
  // Without a database the compiled-in calendar gives the same answers.
  const none = xinqu(['calendar', 'add', '2024-09-27', '5', '--db', `sqlite:${path.join(tmp, 'absent', 'none.db')}`]);
  assert.equal(none.stdout.trim(), '2024-10-10', none.stderr);
  assert.ok(!fs.existsSync(path.join(tmp, 'absent', 'none.db')), 'no database is created for arithmetic');
  assert.equal(srv.cli(['calendar', 'add', '2024-02-30', '1']).status, 2);
  assert.equal(srv.cli(['calendar', 'add', '2024-01-01', '-1']).status, 2);
  assert.equal(srv.cli(['calendar', 'list', 'abc']).status, 2);
});

// --- import entities ----------------------------------------------------------

test('import entities: good rows imported; bad code, duplicate, wrong column count, bad quote rejected with line numbers', async () => {
  const existing = (await exportEntities(srv))[0];
  const w = rareWord(4);
  const u = Array.from({ length: 5 }, () => makeUscc('1'));
  const ind = makeUscc('2');
  const row = (uscc, name, extra = 'company,张三,100000,F,大连市金普新区,友谊街道,2020-01-01,active') => `${uscc},${name},${extra}`;
  const csv = [
    'uscc,name,kind,legal_rep,capital_fen,industry,address,district,established,status', // line 1
    row(u[0], `${w}甲有限公司`), //                                                         line 2 good
    row(badCheckUscc(u[1]), `${w}乙有限公司`), //                                           line 3 bad code
    row(u[0], `${w}丙有限公司`), //                                                         line 4 duplicate of line 2
    `${u[2]},${w}丁有限公司,company,张三`, //                                               line 5 wrong column count
    `${u[3]},${w}"戊"有限公司,company,张三,100000,F,大连,友谊街道,2020-01-01,active`, //     line 6 bad quote
    `${u[4]},"${w}己,有限公司",company,张三,100000,F,"大连市""金普""新区`, //              line 7 good, quoted
    `二号楼",友谊街道,2020-01-01,active`, //                                                 (line 8, same record)
    row(existing.uscc, `${w}庚有限公司`), //                                                line 9 already registered
    row(ind, `${w}辛个体户`, 'individual,李四,0,F,大连,友谊街道,2019-05-05,active'), //   line 10 good
    row(makeUscc('2'), `${w}壬有限公司`), //                                                line 11 kind mismatch
    '', //                                                                                   line 12 blank
    row(makeUscc('1'), `${w}癸有限公司`, 'company,张三,abc,F,大连,友谊街道,2020-01-01,active'), // line 13 bad capital
  ].join('\n') + '\n';
  const file = path.join(tmp, 'import.csv');
  fs.writeFileSync(file, csv);
  const before = (await exportEntities(srv)).length;
  const r = await srv.cliAsync(['import', 'entities', file]);
  assert.equal(r.status, 0, r.stdout + r.stderr);
  const rejected = new Map();
  for (const l of lines(r.stderr)) {
    // Every import reports a refused row alike: Chinese first, English beside.
    const m = /^第 (\d+) 行（([^）]*)）：(.+) \/ line (\d+) \(([^)]*)\): (.+)$/.exec(l);
    if (!m) continue;
    assert.equal(m[4], m[1], l);
    assert.equal(m[5], m[2], l);
    assert.ok(hasChinese(m[3]), `Chinese first: ${l}`);
    assert.ok(/^[\x20-\x7e]/.test(m[6]) && /[A-Za-z]{3}/.test(m[6]), `English beside: ${l}`);
    rejected.set(Number(m[1]), l);
  }
  assert.deepEqual([...rejected.keys()].sort((a, b) => a - b), [3, 4, 5, 6, 9, 11, 13], r.stderr);
  assert.match(rejected.get(3), /uscc/i);
  assert.match(rejected.get(4), /already registered|已登记/);
  assert.match(rejected.get(5), /10 columns|10 列/);
  assert.match(rejected.get(6), /quote|引号/);
  assert.match(r.stdout, /imported 3 rows, rejected 7/, r.stdout);
  const after = await exportEntities(srv);
  assert.equal(after.length, before + 3);
  const byUscc = new Map(after.map((e) => [e.uscc, e]));
  assert.equal(byUscc.get(u[0]).name, `${w}甲有限公司`, 'the first of two rows with one code wins');
  assert.equal(byUscc.get(u[4]).name, `${w}己,有限公司`);
  assert.equal(byUscc.get(u[4]).address, '大连市"金普"新区\n二号楼');
  assert.equal(byUscc.get(ind).kind, 'individual');
  assert.equal(byUscc.get(existing.uscc).name, existing.name, 'a registered entity is not overwritten');
  for (const x of [u[2], u[3]]) assert.ok(!byUscc.has(x), `${x} rejected`);
  // The imported rows are visible to the running server.
  const admin = await srv.login('admin');
  const s = await admin.get(`/api/v1/entities?q=${encodeURIComponent(w)}`);
  assert.equal(s.body.total, 3);
  // A file with the wrong header is refused as a whole.
  fs.writeFileSync(path.join(tmp, 'bad-header.csv'), 'code,name\nx,y\n');
  const bh = await srv.cliAsync(['import', 'entities', path.join(tmp, 'bad-header.csv')]);
  assert.notEqual(bh.status, 0);
  assert.match(bh.stderr, /header|表头/);
});

// --- backup -------------------------------------------------------------------

test(`backup FILE ${DB_KIND === 'sqlite' ? 'copies the SQLite database' : 'on PostgreSQL says to use pg_dump'}`, async () => {
  const file = path.join(tmp, 'backup.db');
  const r = await srv.cliAsync(['backup', file]);
  if (DB_KIND === 'sqlite') {
    assert.equal(r.status, 0, r.stderr);
    const n = Number(srv.db.query('SELECT COUNT(*) FROM entity'));
    assert.ok(n > 0);
    assert.equal(Number(sqlite(file, 'SELECT COUNT(*) FROM entity')), n, 'the copy has every entity');
    assert.equal(sqlite(file, 'SELECT COUNT(*) FROM audit_event'), srv.db.query('SELECT COUNT(*) FROM audit_event'));
    assert.equal(sqlite(file, 'PRAGMA integrity_check'), 'ok');
    const v = xinqu(['audit', 'verify', '--db', `sqlite:${file}`]);
    assert.equal(v.status, 0, v.stderr);
  } else {
    assert.notEqual(r.status, 0, 'backup of PostgreSQL must fail');
    assert.match(r.stderr, /pg_dump/);
    assert.ok(!fs.existsSync(file));
  }
});

function sqlite(file, sql) {
  const r = spawnSync('sqlite3', ['-batch', file, sql], { encoding: 'utf8' });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`sqlite3 ${sql}: ${r.stderr}`);
  return r.stdout.trim();
}

// --- accounts -----------------------------------------------------------------

test('user add … --password-stdin creates an account that can log in; user list shows it', async () => {
  const admin = await srv.login('admin');
  const depts = await admin.get('/api/v1/departments');
  assert.equal(depts.status, 200);
  const dept = depts.body.items[0].code;
  const name = `tester_${Math.random().toString(36).slice(2, 8)}`;
  const r = srv.cli(['user', 'add', name, '--role', 'clerk', '--dept', dept, '--display', '测试窗口', '--password-stdin'],
    { input: 'Correct-Horse-9\n' });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  const list = srv.cli(['user', 'list']);
  assert.equal(list.status, 0);
  const line = lines(list.stdout).find((l) => l.split(/\s+/)[0] === name);
  assert.ok(line, list.stdout);
  assert.match(line, /\bclerk\b/);
  assert.ok(line.includes(dept), line);
  for (const u of ['admin', 'clerk', 'auditor', 'ent']) assert.ok(lines(list.stdout).some((l) => l.split(/\s+/)[0] === u), `${u} listed`);
  const c = await srv.login(name, 'Correct-Horse-9');
  const me = await c.get('/api/v1/me');
  assert.equal(me.body.user.role, 'clerk');
  assert.equal(me.body.user.display, '测试窗口');
  // The same name twice, a weak password, an unknown role, an applicant without a party: refused.
  const again = srv.cli(['user', 'add', name, '--role', 'clerk', '--password-stdin'], { input: 'Correct-Horse-9\n' });
  assert.equal(again.status, 1);
  assert.match(again.stderr, /已存在|exists/);
  const weak = srv.cli(['user', 'add', 'weakling', '--role', 'clerk', '--password-stdin'], { input: 'short\n' });
  assert.equal(weak.status, 1);
  assert.match(weak.stderr, /8/);
  assert.equal(srv.cli(['user', 'add', 'norole', '--role', 'wizard', '--password-stdin'], { input: 'Correct-Horse-9\n' }).status, 1);
  assert.equal(srv.cli(['user', 'add', 'noparty', '--role', 'applicant', '--password-stdin'], { input: 'Correct-Horse-9\n' }).status, 1);
  const person = srv.cli(['user', 'add', 'citizen1', '--role', 'applicant', '--party', makeId('19920808', 77), '--password-stdin'], { input: 'Correct-Horse-9\n' });
  assert.equal(person.status, 0, person.stderr);
  assert.equal(srv.cli(['user', 'add', 'nopass', '--role', 'clerk']).status, 2, 'usage without --password-stdin');
  assert.ok(!lines(srv.cli(['user', 'list']).stdout).some((l) => /^(weakling|norole|noparty)\s/.test(l)));
  // The accounts made by the CLI are audited as the system.
  const auditor = await srv.login('auditor');
  const ev = await auditor.get('/api/v1/audit?action=account.create&limit=1000');
  assert.ok(ev.body.items.some((e) => e.detail.username === name && e.actor === 'system'));
});

test('unknown commands and help', () => {
  const h = xinqu(['help']);
  assert.equal(h.status, 0);
  for (const c of ['init', 'serve', 'user', 'department', 'import', 'export', 'audit', 'backup', 'check', 'calendar']) assert.match(h.stdout, new RegExp(`xinqu ${c}\\b`));
  const u = xinqu(['frobnicate']);
  assert.equal(u.status, 2);
  assert.match(u.stderr, /unknown command/);
});

test('check id: birth dates before 1900 are accepted (GB 11643 sets no earliest year); 29 February of 1887 is not a date', () => {
  const old = [makeId('18860317', 2), makeId('18880229', 4), makeId('18991231', 6)];
  const r = xinqu(['check', 'id', ...old]);
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.deepEqual(lines(r.stdout), old.map((id) => `${id} ok`));
  const notADay = makeId('18870229', 2);
  const bad = xinqu(['check', 'id', notADay]);
  assert.equal(bad.status, 1);
  assert.match(bad.stdout, /not a real date/);
  // An account for a citizen born in 1886 (the party is checked as an ID number).
  const elder = srv.cli(['user', 'add', 'elder1886', '--role', 'applicant', '--party', old[0], '--password-stdin'],
    { input: 'Correct-Horse-9\n' });
  assert.equal(elder.status, 0, elder.stderr);
  const refused = srv.cli(['user', 'add', 'notaday', '--role', 'applicant', '--party', notADay, '--password-stdin'],
    { input: 'Correct-Horse-9\n' });
  assert.equal(refused.status, 1, refused.stderr);
});

// --- options and help ----------------------------------------------------------

const COMMANDS = ['init', 'serve', 'user', 'department', 'import', 'export', 'catalog', 'audit', 'backup', 'check',
  'calendar', 'sla', 'rule', 'invest'];

test('--help and -h print the command\'s usage in Chinese and English and exit 0; serve --help starts nothing', () => {
  const never = path.join(tmp, 'help', 'never.db');
  for (const c of COMMANDS) {
    for (const h of ['--help', '-h']) {
      const r = xinqu([c, h, '--db', `sqlite:${never}`, '--listen', '127.0.0.1:0'], { timeout: 20_000 });
      assert.equal(r.status, 0, `${c} ${h}: ${r.status} ${r.signal} ${r.stderr}`);
      assert.match(r.stdout, new RegExp(`用法 / usage:\\s+xinqu ${c}\\b`), `${c} ${h}: ${r.stdout}`);
      assert.match(r.stdout, /[\u4e00-\u9fff]/, `${c} ${h}: Chinese`);
      assert.match(r.stdout, / \/ [A-Za-z]/, `${c} ${h}: English`);
    }
  }
  const s = xinqu(['serve', '--help', '--db', `sqlite:${never}`, '--listen', '127.0.0.1:0'], { timeout: 20_000 });
  assert.doesNotMatch(s.stdout, /正在服务|serving on/);
  for (const opt of ['--listen', '--public-url', '--audit-head', '--max-conns', '--upload-quota']) assert.ok(s.stdout.includes(opt), `serve --help names ${opt}`);
  assert.ok(!fs.existsSync(path.join(tmp, 'help')), 'help opens no database');
});

test('an unknown option is refused with exit status 2, naming it, and the usage; nothing is done', async () => {
  const never = `sqlite:${path.join(tmp, 'unknown', 'never.db')}`;
  const before = (await exportEntities(srv)).length;
  const cases = [
    ['export', 'entities', '--frobnicate', '--db', srv.db.url],
    ['catalog', 'stats', '--verbose', '--db', srv.db.url],
    ['user', 'list', '--all=yes', '--db', srv.db.url],
    ['calendar', 'list', '2024', '--year', '--db', srv.db.url],
    ['check', 'id', '-x', makeId('19850317', 1)],
    ['rule', 'test', 'a.lua', 'b.json', '--fast'],
    ['import', 'entities', '/dev/null', '--dry-run', '--db', srv.db.url],
    ['init', '--demo', 'jinpu', '--entites', '5', '--db', never],
    ['serve', '--listen', '127.0.0.1:0', '--treads', '4', '--db', never],
    ['sla', 'scan', '--now', '--db', never],
  ];
  for (const args of cases) {
    const bad = args.find((a) => /^-(-[a-z]|[a-z])/.test(a) && !['--db', '--listen', '--demo'].includes(a));
    const r = xinqu(args, { timeout: 20_000 });
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.status} ${r.stdout} ${r.stderr}`);
    const name = bad.split('=')[0];
    assert.ok(r.stderr.includes(`未知选项 / unknown option: ${name}`), `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, new RegExp(`用法 / usage:\\s+xinqu ${args[0]}\\b`), r.stderr);
    assert.equal(r.stdout, '', `${args.join(' ')} printed nothing on stdout`);
  }
  assert.ok(!fs.existsSync(path.join(tmp, 'unknown')), 'no database created');
  assert.equal((await exportEntities(srv)).length, before);
  // A flag takes no value, a value option needs one.
  const flag = srv.cli(['user', 'add', 'flagged', '--role', 'clerk', '--password-stdin=yes'], { input: 'Correct-Horse-9\n' });
  assert.equal(flag.status, 2, flag.stderr);
  assert.match(flag.stderr, /--password-stdin/);
  const noValue = xinqu(['export', 'entities', '--db']);
  assert.equal(noValue.status, 2);
  assert.match(noValue.stderr, /--db 需要一个值 \/ --db needs a value/);
});

// The commands other than init open only a database that exists and holds
// xinqu's tables: a typo in --db creates nothing.
test('a command other than init refuses a database that does not exist, naming xinqu init, and creates nothing', () => {
  const dir = path.join(tmp, 'typo');
  const url = `sqlite:${path.join(dir, 'typo.db')}`;
  const cmds = [['export', 'entities'], ['catalog', 'stats'], ['user', 'list'], ['sla', 'scan'], ['audit', 'verify'],
    ['department', 'import', path.join(ROOT, 'data/jinpu/departments.csv')], ['calendar', 'import', path.join(ROOT, 'data/calendar/cn.csv')],
    ['backup', path.join(tmp, 'typo-backup.db')], ['serve', '--listen', '127.0.0.1:0']];
  for (const c of cmds) {
    const r = xinqu([...c, '--db', url], { timeout: 20_000 });
    assert.equal(r.status, 1, `${c.join(' ')}: ${r.status} ${r.stdout} ${r.stderr}`);
    assert.match(r.stderr, /不存在/, `${c.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, /does not exist/);
    assert.match(r.stderr, /xinqu init --db sqlite:.*typo\.db/);
    assert.ok(!fs.existsSync(dir), `${c.join(' ')} created ${dir}`);
  }
  assert.ok(!fs.existsSync(path.join(tmp, 'typo-backup.db')));
  // A file that holds no xinqu schema (here: empty) is not one either, and stays as it was.
  const empty = path.join(tmp, 'empty.db');
  fs.writeFileSync(empty, '');
  const r = xinqu(['export', 'entities', '--db', `sqlite:${empty}`]);
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /xinqu init/);
  assert.equal(fs.statSync(empty).size, 0);
  assert.ok(!fs.existsSync(`${empty}-wal`));
  // init makes it.
  const made = xinqu(['init', '--db', url]);
  assert.equal(made.status, 0, made.stderr);
  assert.ok(fs.existsSync(path.join(dir, 'typo.db')));
  assert.equal(xinqu(['export', 'entities', '--db', url]).status, 0);
});

if (DB_KIND === 'pg') test('a command other than init refuses a PostgreSQL database without xinqu\'s tables, and creates none', () => {
  const db = newDatabase('pg');
  try {
    for (const c of [['export', 'entities'], ['catalog', 'stats'], ['calendar', 'import', path.join(ROOT, 'data/calendar/cn.csv')], ['serve', '--listen', '127.0.0.1:0']]) {
      const r = xinqu([...c, '--db', db.url], { timeout: 20_000 });
      assert.equal(r.status, 1, `${c.join(' ')}: ${r.stdout} ${r.stderr}`);
      assert.match(r.stderr, /xinqu init/);
      assert.match(r.stderr, /no xinqu tables|does not exist/);
      assert.equal(db.query("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'public'"), '0');
    }
    assert.equal(xinqu(['init', '--db', db.url]).status, 0);
    assert.equal(xinqu(['export', 'entities', '--db', db.url]).status, 0);
  } finally {
    db.drop();
  }
});

// Every database holds the compiled-in holiday schedules, however it was made:
// one made by an older build without them (the rows deleted here) gets the
// missing years the next time any command or the server opens it, once.
test('calendar list 2019 counts 2019-02-04 (春节) as a day off on a database made in any way', async () => {
  const offDay = (r) => {
    assert.equal(r.status, 0, r.stderr);
    assert.doesNotMatch(r.stderr, /尚未发布|no published schedule/);
    assert.ok(lines(r.stdout).includes('2019-02-04 off 春节'), r.stdout.slice(0, 800));
    assert.ok(lines(r.stdout).includes('2019-02-02 workday 春节调休'));
  };
  offDay(srv.cli(['calendar', 'list', '2019']));
  const db = newDatabase();
  let srv2;
  try {
    assert.equal(xinqu(['init', '--db', db.url]).status, 0);
    const imports = () => Number(db.query("SELECT COUNT(*) FROM audit_event WHERE action = 'calendar.import'"));
    const n0 = imports();
    const forget = () => {
      db.query("DELETE FROM calendar_day WHERE day BETWEEN '2019-01-01' AND '2020-12-31'");
      db.query('DELETE FROM calendar_year WHERE year IN (2019, 2020)');
      assert.equal(db.query('SELECT COUNT(*) FROM calendar_year WHERE year = 2019'), '0');
    };
    forget();
    // The first command to open it (one that does not read the calendar) restores them, with one audit event…
    assert.equal(xinqu(['export', 'entities', '--db', db.url]).status, 0);
    assert.equal(db.query('SELECT COUNT(*) FROM calendar_year WHERE year IN (2019, 2020)'), '2');
    assert.equal(imports(), n0 + 1);
    offDay(xinqu(['calendar', 'list', '2019', '--db', db.url]));
    // …and only once: the years are there now.
    assert.equal(xinqu(['catalog', 'stats', '--db', db.url]).status, 0);
    assert.equal(imports(), n0 + 1);
    // A server started on such a database has them too.
    forget();
    srv2 = await startServer({ db, init: false });
    const y = await srv2.api('GET', '/api/v1/calendar/2019');
    assert.equal(y.status, 200, y.text);
    assert.equal(y.body.known, true);
    const day = y.body.days.find((d) => d.date === '2019-02-04');
    assert.deepEqual(day, { date: '2019-02-04', workday: false, name: '春节' });
    assert.equal(imports(), n0 + 2);
  } finally {
    if (srv2) await cleanup(srv2);
    else db.drop();
  }
});

// Terminal columns: a CJK character is two wide.
const width = (s) => [...s].reduce((w, ch) => w + (/[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(ch) || ch.codePointAt(0) >= 0x20000 ? 2 : 1), 0);

test('catalog stats: a department table with aligned columns and a 合计/total line that adds them up', async () => {
  const r = srv.cli(['catalog', 'stats']);
  assert.equal(r.status, 0, r.stderr);
  const api = (await srv.api('GET', '/api/v1/catalog/stats')).body;
  const all = r.stdout.split('\n');
  const table = all.slice(all.indexOf('') + 1).filter((l) => l !== '');
  const cells = (l) => [...l.matchAll(/\S+/g)].map((m) => ({ text: m[0], end: width(l.slice(0, m.index + m[0].length)) }));
  const keys = ['total', 'instant', 'auto', 'online', 'rongque', 'promise'];
  const [zh, en] = table;
  assert.match(zh, /^代码\s+部门\s+事项数\s+即来即办\s+秒批秒办\s+全程网办\s+容缺受理\s+告知承诺$/);
  assert.match(en, /^code\s+department\s+items\s+instant\s+auto\s+online\s+rongque\s+promise$/);
  const ends = cells(zh).slice(-6).map((c) => c.end);
  assert.deepEqual(cells(en).slice(-6).map((c) => c.end), ends, 'the English header is aligned');
  const rows = table.slice(2, -1), last = table[table.length - 1];
  assert.equal(rows.length, api.departments.length);
  const sums = keys.map(() => 0);
  rows.forEach((row, i) => {
    const c = cells(row), nums = c.slice(-6);
    assert.deepEqual(nums.map((x) => x.end), ends, `row ${i} is aligned: ${row}`);
    assert.equal(c[0].text, api.departments[i].code);
    assert.equal(width(row.slice(0, row.indexOf(c[1].text))), width(zh.slice(0, zh.indexOf('部门'))), `the names start in one column: ${row}`);
    nums.forEach((x, k) => { assert.equal(Number(x.text), api.departments[i][keys[k]], `${row}: ${keys[k]}`); sums[k] += Number(x.text); });
  });
  assert.match(last, /^合计 total\s/);
  const tot = cells(last).slice(-6);
  assert.deepEqual(tot.map((x) => x.end), ends, `the total line is aligned: ${last}`);
  assert.deepEqual(tot.map((x) => Number(x.text)), sums, 'the total line is the sum of the departments');
  assert.equal(sums[0], api.total);
  assert.ok(api.departments.some((d) => width(d.name) !== width(api.departments[0].name)), 'names of several widths are aligned');
});

// --- departments ---------------------------------------------------------------

test('department import adds departments that accounts can then be bound to; a bad header writes nothing', async () => {
  const file = path.join(tmp, 'depts.csv');
  fs.writeFileSync(file, 'code,name,name_en\nqxj,气象局,Meteorological Bureau\nxzspj,行政审批局,kept as it is\n');
  const r = srv.cli(['department', 'import', file]);
  assert.equal(r.status, 0, r.stderr);
  const depts = await srv.api('GET', '/api/v1/departments');
  assert.ok(depts.body.items.some((d) => d.code === 'qxj' && d.name === '气象局'));
  assert.equal(depts.body.items.filter((d) => d.code === 'xzspj').length, 1);
  const u = srv.cli(['user', 'add', 'qx_clerk', '--role', 'clerk', '--dept', 'qxj', '--password-stdin'], { input: 'Cirrus#Vale-2026\n' });
  assert.equal(u.status, 0, u.stderr);
  const n = depts.body.items.length;
  fs.writeFileSync(file, 'code,oops\nzzz,不该写入\n');
  const bad = srv.cli(['department', 'import', file]);
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /部门表头应为/);
  assert.equal((await srv.api('GET', '/api/v1/departments')).body.items.length, n);
});

// --- init --------------------------------------------------------------------

test('init --demo on a database that already has entities is refused, and changes nothing', async () => {
  const before = (await exportEntities(srv)).length;
  const r = srv.cli(['init', '--demo', 'jinpu', '--entities', '50', '--persons', '5']);
  assert.equal(r.status, 1, r.stdout + r.stderr);
  assert.match(r.stderr, /演示数据只能装入新建的数据库/);
  assert.match(r.stderr, /loads only into a new database/);
  assert.equal((await exportEntities(srv)).length, before);
  const unknown = srv.cli(['init', '--demo', 'atlantis']);
  assert.equal(unknown.status, 1);
  assert.match(unknown.stderr, /没有这个演示数据包/);
});

// Only PostgreSQL URLs carry a password (the test cluster trusts loopback, so
// a made-up one is accepted and must not be printed).
if (DB_KIND === 'pg') test('init never prints the password of a database URL', () => {
  const url = srv.db.url.replace('://postgres@', '://postgres:S3cretPw@');
  assert.notEqual(url, srv.db.url);
  const r = xinqu(['init', '--db', url]);
  assert.equal(r.status, 0, r.stderr);
  assert.doesNotMatch(r.stdout + r.stderr, /S3cretPw/);
  assert.match(r.stdout, /postgres:\*\*\*@/);
});

test('the server stops cleanly on SIGTERM (exit status 0)', async () => {
  await srv.stop();
});

