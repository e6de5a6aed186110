// talent_feed.test.mjs — what a talent record takes from elsewhere (issue
// 16): the school's class from the 双一流 lists as data (the edition in force
// on the graduation date, the source said; a class typed in wins; an unknown
// school stays unknown), the employer linked by USCC to the registry
// (employer_in_jinpu derived from it), and the monthly 社保 and 个税 records
// imported from CSV or Excel (refusals by line change nothing, a dry run
// writes nothing, months merge into each record, one audit event per import
// and per record changed), exported in the same shape; who may (人社局's
// policy officers, administrators) and who may not.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, cleanup, assertError, auditAfter, lastAuditId, parseCsv, readXlsx, makeUscc, badCheckUscc, xinqu, todayCN } from './lib.mjs';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

let srv, policy, keji, admin, leader, auditor, person, numbers, names;

before(async () => {
  srv = await startServer({ persons: 20, entities: 30 });
  [policy, keji, admin, leader, auditor, person] = await Promise.all(
    ['policy', 'keji', 'admin', 'leader', 'auditor', 'person'].map((u) => srv.login(u)));
  const rows = srv.db.query(`SELECT id_number || '|' || name FROM person WHERE id_kind = 'id' ORDER BY id LIMIT 8`);
  const pairs = rows.match(/\b\d{17}[\dX]\|[^\s|]+/g).map((x) => x.split('|'));
  numbers = pairs.map((p) => p[0]);
  names = Object.fromEntries(pairs);
  assert.ok(numbers.length >= 6, rows);
});
after(() => cleanup(srv));

const record = (c, n) => c.get(`/api/v1/talent/persons/${n}`);
const put = (c, n, facts, sources) => c.api('PUT', `/api/v1/talent/persons/${n}`, sources ? { facts, sources } : { facts });
const send = (c, feed, body, dry) =>
  c.api('POST', `/api/v1/talent/feeds/${feed}/import${dry ? '?dry_run=1' : ''}`, Buffer.from(body), { headers: { 'Content-Type': 'application/octet-stream' } });
const school = (name, on) => person.get(`/api/v1/talent/schools?${new URLSearchParams(on ? { name, on } : { name })}`);

test('a school’s class is the one of the 双一流 list in force on the day', async () => {
  const all = await person.get('/api/v1/talent/schools');
  assert.equal(all.status, 200, all.text);
  assert.deepEqual(all.body.editions.map((e) => [e.edition, e.universities, e.disciplines]), [['2017', 42, 95], ['2022', 42, 105]]);
  let r = await school('大连理工大学', '2020-07-01');
  assert.deepEqual([r.body.found, r.body.class, r.body.group, r.body.edition], [true, 'world_class_university', 'A', '2017']);
  r = await school('新疆大学', '2019-07-01');
  assert.deepEqual([r.body.class, r.body.group], ['world_class_university', 'B']);
  // added in 2022: not on the list before it was published, on it after
  r = await school('南方科技大学', '2022-02-13');
  assert.deepEqual([r.body.found, r.body.class, r.body.edition], [false, null, '2017']);
  r = await school('南方科技大学', '2022-02-14');
  assert.deepEqual([r.body.found, r.body.class, r.body.edition, r.body.document], [true, 'world_class_discipline', '2022', '教研函〔2022〕1号']);
  // a campus or a former name finds the list's entry
  r = await school('中国石油大学(华东)', '2019-06-30');
  assert.deepEqual([r.body.listed_as, r.body.class], ['中国石油大学', 'world_class_discipline']);
  r = await school('第二军医大学', '2023-06-30');
  assert.deepEqual([r.body.listed_as, r.body.class], ['海军军医大学', 'world_class_discipline']);
  // unknown, or before any list
  r = await school('大连金普职业学院', '2023-06-30');
  assert.deepEqual([r.body.found, r.body.class], [false, null]);
  r = await school('北京大学', '2016-07-01');
  assert.deepEqual([r.body.found, r.body.edition], [false, null]);
  assertError(assert, await school('北京大学', '2016-13-01'), 400, 'talent.bad_date');
});

test('a record’s school gives its class with the source; a typed class wins; an unknown school stays unknown', async () => {
  const n = numbers[0];
  let r = await put(policy, n, { degree: 'master', school: '湘潭大学', graduated_on: '2023-06-30' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.facts.school_class, 'world_class_discipline');
  assert.match(r.body.sources.school_class, /^自动：.*2022.*教研函〔2022〕1号/);
  // 湘潭大学 was not on the 2017 list
  r = await put(policy, n, { degree: 'master', school: '湘潭大学', graduated_on: '2021-06-30' });
  assert.equal(r.body.facts.school_class, undefined);
  // written back as shown, a derived class is derived afresh from the new date
  r = await put(policy, n, { degree: 'master', school: '湘潭大学', graduated_on: '2023-06-30' });
  r = await put(policy, n, { ...r.body.facts, graduated_on: '2021-06-30' }, r.body.sources);
  assert.equal(r.body.facts.school_class, undefined, JSON.stringify(r.body.facts));
  // typed: wins over the list
  r = await put(policy, n, { degree: 'master', school: '湘潭大学', school_class: 'other', graduated_on: '2023-06-30' }, { school_class: '学历证书' });
  assert.deepEqual([r.body.facts.school_class, r.body.sources.school_class], ['other', '学历证书']);
  r = await put(policy, n, { degree: 'doctor', school: 'University of Oxford', school_class: 'overseas_top200', graduated_on: '2024-06-30' });
  assert.equal(r.body.facts.school_class, 'overseas_top200');
  r = await put(policy, n, { degree: 'master', school: '某某职业技术学院', graduated_on: '2024-06-30' });
  assert.equal(r.body.facts.school_class, undefined);
  assertError(assert, await put(policy, n, { school: '' }), 400, 'talent.bad_fact', 'school');
});

test('the employer is linked by USCC to the registry and employer_in_jinpu derived from it', async () => {
  const n = numbers[1];
  const out = srv.db.query(`SELECT uscc || '|' || name FROM entity WHERE status = 'active' ORDER BY id LIMIT 1`);
  const [uscc, name] = out.trim().split('\n').pop().trim().split('|');
  let r = await put(policy, n, { employer_uscc: uscc, degree: 'bachelor' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.facts.employer_in_jinpu, true);
  assert.match(r.body.sources.employer_in_jinpu, /^自动：/);
  assert.deepEqual([r.body.employer.uscc, r.body.employer.name, r.body.employer.in_new_area], [uscc, name, true]);
  // given explicitly, it stays
  r = await put(policy, n, { employer_uscc: uscc, employer_in_jinpu: false });
  assert.equal(r.body.facts.employer_in_jinpu, false);
  // a deregistered entity is not in the New Area any more
  const gone = srv.db.query(`SELECT uscc FROM entity WHERE status <> 'active' ORDER BY id LIMIT 1`).match(/\b[0-9A-Z]{18}\b/);
  assert.ok(gone, 'the demo registry has entities revoked or deregistered');
  r = await put(policy, n, { employer_uscc: gone[0] });
  assert.deepEqual([r.body.facts.employer_in_jinpu, r.body.employer.in_new_area], [false, false]);
  assert.match(r.body.sources.employer_in_jinpu, /（(吊销|注销)）$/);
  const before = (await record(policy, n)).body;
  assertError(assert, await put(policy, n, { employer_uscc: badCheckUscc(uscc) }), 400, 'talent.bad_uscc', 'employer_uscc');
  assertError(assert, await put(policy, n, { employer_uscc: makeUscc() }), 400, 'talent.no_employer', 'employer_uscc');
  assert.deepEqual((await record(policy, n)).body.facts, before.facts);
});

test('a check of facts naming a school (API what-if, command line) reads the class as a typed one would give', async () => {
  const month = (k) => {
    const [y, m] = todayCN().split('-').map(Number);
    const n = y * 12 + (m - 1) - k;
    return `${Math.floor(n / 12)}-${String((n % 12) + 1).padStart(2, '0')}`;
  };
  // a master's graduate of a year ago on a three-year contract, insured in Jinpu the last seven months
  const base = { degree: 'master', graduated_on: todayCN(-365), full_time: true, hukou_dalian: true, employer_in_jinpu: true,
    contract_start: todayCN(-360), contract_months: 36, business_in_jinpu: false, income_tax: [],
    social_insurance: Array.from({ length: 7 }, (_, i) => ({ month: month(7 - i), place: 'jinpu', back_paid: false })) };
  const api = async (facts) => (await person.post('/api/v1/talent/check', { policy: 'tuition', facts })).body;
  const typed = await api({ ...base, school_class: 'world_class_university' });
  const named = await api({ ...base, school: '大连理工大学' });
  const other = await api({ ...base, school_class: 'other' });
  assert.deepEqual([named.eligible, named.amount_fen], [typed.eligible, typed.amount_fen]);
  assert.equal(typed.eligible, true, JSON.stringify(typed.why_not));
  assert.ok(typed.amount_fen > other.amount_fen, 'the class matters to 学费补助');
  // a typed class wins; an unknown school is unknown
  assert.equal((await api({ ...base, school: '大连理工大学', school_class: 'other' })).amount_fen, other.amount_fen);
  assert.deepEqual(await api({ ...base, school: '不存在的大学' }), await api(base));
  const dir = mkdtempSync(path.join(tmpdir(), 'xinqu-feed-'));
  const cli = (facts) => {
    const f = path.join(dir, `${Math.random()}.json`);
    writeFileSync(f, JSON.stringify(facts));
    const r = xinqu(['talent', 'check', f, '--policy', 'tuition']);
    assert.equal(r.status, 0, r.stderr);
    return JSON.parse(r.stdout);
  };
  assert.equal(cli({ ...base, school: '大连理工大学' }).amount_fen, typed.amount_fen);
  assert.equal(cli({ ...base, school_class: 'world_class_university' }).amount_fen, typed.amount_fen);
});

const SI_HEAD = '证件号码,姓名,所属期,缴纳地,是否补缴\n';

test('社保 months import: refusals by line change nothing, a dry run writes nothing, months merge, audited', async () => {
  const [a, b] = [numbers[2], numbers[3]];
  // a's record has months already: 2024-01 in Dalian, 2024-02 in Jinpu
  let r = await put(policy, a, { degree: 'master', social_insurance: [{ month: '2024-01', place: 'dalian' }, { month: '2024-02', place: 'jinpu' }], income_tax: [{ month: '2024-01', place: 'jinpu' }] });
  assert.equal(r.status, 200, r.text);
  const was = (await record(policy, a)).body;

  const good = SI_HEAD +
    `${a},${names[a]},2024-02,大连,否\n${a},,2024/3,金普,是\n${b},${names[b]},2024年03月,210213,否\n${b},,202404,other,\n`;
  // refused: a bad ID number, an unknown person, a wrong name, a bad month, a bad place, a month twice
  const unknown = '110101199003078515';
  const bad = good +
    `${a.slice(0, 17)}${a[17] === '0' ? '1' : '0'},,2024-05,金普,否\n${unknown},,2024-05,金普,否\n${b},王二麻子,2024-05,金普,否\n` +
    `${b},,2024-13,金普,否\n${b},,2024-06,上海,否\n${a},,2024-03,金普,否\n`;
  const mark = await lastAuditId(admin);
  r = await send(policy, 'social_insurance', bad);
  const e = assertError(assert, r, 400, 'import.rejected');
  assert.deepEqual(r.body.error.errors.map((x) => [x.line, x.code]), [
    [6, 'talent.bad_number'], [7, 'talent.unknown_person'], [8, 'talent.name_mismatch'],
    [9, 'talent.bad_month'], [10, 'talent.bad_place'], [11, 'talent.duplicate']], JSON.stringify(e));
  assert.ok(r.body.error.errors.every((x) => /^第 \d+ 行/.test(x.message)), JSON.stringify(r.body.error.errors[0]));
  assert.deepEqual((await record(policy, a)).body.facts, was.facts);

  // a dry run checks only
  r = await send(policy, 'social_insurance', good, true);
  assert.equal(r.status, 200, r.text);
  assert.deepEqual([r.body.dry_run, r.body.rows, r.body.persons, r.body.imported], [true, 4, 2, 0]);
  assert.deepEqual((await record(policy, a)).body.facts, was.facts);
  assert.equal((await auditAfter(admin, mark)).filter((x) => x.action.startsWith('talent.')).length, 0);

  r = await send(policy, 'social_insurance', good);
  assert.equal(r.status, 201, r.text);
  assert.deepEqual([r.body.dry_run, r.body.rows, r.body.persons, r.body.imported, r.body.changed], [false, 4, 2, 4, 2]);
  const ra = (await record(policy, a)).body;
  assert.deepEqual(ra.facts.social_insurance, [
    { month: '2024-01', place: 'dalian' },
    { month: '2024-02', place: 'dalian', back_paid: false },
    { month: '2024-03', place: 'jinpu', back_paid: true }]);
  assert.deepEqual(ra.facts.income_tax, was.facts.income_tax, 'the other feed is kept');
  assert.equal(ra.facts.degree, 'master');
  assert.match(ra.sources.social_insurance, /社会保险/);
  const rb = (await record(policy, b)).body;
  assert.deepEqual(rb.facts.social_insurance, [{ month: '2024-03', place: 'jinpu', back_paid: false }, { month: '2024-04', place: 'other', back_paid: false }]);
  const ev = await auditAfter(admin, mark);
  assert.equal(ev.filter((x) => x.action === 'talent.feed.import').length, 1);
  assert.equal(ev.filter((x) => x.action === 'talent.record.feed').length, 2);

  // the same file again changes no record
  r = await send(policy, 'social_insurance', good);
  assert.deepEqual([r.status, r.body.changed], [201, 0]);

  // exported in the shape the import reads, and imports back
  const csv = await policy.api('GET', '/api/v1/talent/feeds/social_insurance/export?format=csv');
  assert.equal(csv.status, 200);
  const rows = parseCsv(csv.text);
  assert.deepEqual(rows[0][0], '社会保险缴纳记录');
  assert.deepEqual(rows[1], ['证件号码', '姓名', '所属期', '缴纳地', '是否补缴']);
  assert.ok(rows.some((x) => x[0] === a && x[2] === '2024-03' && x[3] === '金普' && x[4] === '是'), JSON.stringify(rows));
  r = await send(policy, 'social_insurance', csv.text, true);
  assert.equal(r.status, 200, r.text);
  const x = await policy.api('GET', '/api/v1/talent/feeds/social_insurance/export');
  assert.equal(x.status, 200);
  assert.ok(readXlsx(x.bytes).length > 0);
});

test('个税 months carry the withholding employer’s USCC', async () => {
  const a = numbers[4];
  const uscc = srv.db.query(`SELECT uscc FROM entity ORDER BY id LIMIT 1`).match(/\b[0-9A-Z]{18}\b/)[0];
  const head = '证件号码,所属期,缴纳地,是否补缴,扣缴义务人统一社会信用代码\n';
  let r = await send(policy, 'income_tax', head + `${a},2025-01,jinpu,否,${badCheckUscc(uscc)}\n`);
  assertError(assert, r, 400, 'import.rejected');
  assert.deepEqual(r.body.error.errors.map((x) => [x.line, x.code]), [[2, 'talent.bad_uscc']]);
  r = await send(policy, 'income_tax', head + `${a},2025-01,jinpu,否,${uscc}\n${a},2025-02,jinpu,否,\n`);
  assert.equal(r.status, 201, r.text);
  assert.deepEqual((await record(policy, a)).body.facts.income_tax, [
    { month: '2025-01', place: 'jinpu', back_paid: false, employer_uscc: uscc }, { month: '2025-02', place: 'jinpu', back_paid: false }]);
  // 社保's file has no such column
  assertError(assert, await send(policy, 'social_insurance', head + `${a},2025-01,jinpu,否,${uscc}\n`), 400, 'import.bad_header');
  assertError(assert, await send(policy, 'pension', head), 404, 'talent.no_feed');
});

test('who may import and export', async () => {
  const body = SI_HEAD + `${numbers[5]},,2024-01,金普,否\n`;
  assertError(assert, await send(keji, 'social_insurance', body), 403, 'talent.forbidden');
  for (const c of [leader, auditor, person]) assertError(assert, await send(c, 'social_insurance', body), 403, 'auth.forbidden');
  assertError(assert, await person.api('GET', '/api/v1/talent/feeds/social_insurance/export?format=csv'), 403, 'auth.forbidden');
  assertError(assert, await keji.api('GET', '/api/v1/talent/feeds/social_insurance/export?format=csv'), 404, 'talent.not_found');
  for (const c of [leader, auditor]) assert.equal((await c.api('GET', '/api/v1/talent/feeds/income_tax/export?format=csv')).status, 200);
  assert.equal((await record(policy, numbers[5])).body.facts.social_insurance, undefined);
  assert.equal((await send(admin, 'social_insurance', body)).status, 201);
});
