// talent_catalogue.test.mjs — 紧缺人才需求目录 over HTTP (issue 16): the
// Jinpu demo edition (10 fields, 47 directions, 129 positions) as a tree,
// read by every logged-in role; search by words and level; import of a new
// edition from CSV and Excel, all or nothing, every refused row with its
// line; export that imports back; a correction of a position; and who may
// write (人社局's policy officers and administrators): a refused request
// answers a stable code with Chinese and English and changes nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, cleanup, assertError, auditAfter, lastAuditId, readXlsx, parseCsv, DEMO_USERS } from './lib.mjs';

let srv, policy, keji, admin, invest, ent, demoId;

before(async () => {
  srv = await startServer({ entities: 300, persons: 30 });
  [policy, keji, admin, invest, ent] = await Promise.all(['policy', 'keji', 'admin', 'invest', 'ent'].map((u) => srv.login(u)));
  const list = await ent.get('/api/v1/talent/catalogue/editions');
  assert.equal(list.status, 200, list.text);
  demoId = list.body.items.find((x) => x.years === '2020—2021').id;
});
after(() => cleanup(srv));

const HEAD = '领域,方向,岗位,紧缺程度,学历要求,专业要求,工作经验(年),所属行业,重点用人单位,备注';
const csv = (...rows) => Buffer.from(`\ufeff${[HEAD, ...rows].join('\r\n')}\r\n`);
const importPath = (q) => `/api/v1/talent/catalogue/import?${new URLSearchParams(q)}`;
const send = (c, q, body) => c.api('POST', importPath(q), body, { headers: { 'Content-Type': 'application/octet-stream' } });

// state() is everything a refused write must leave as it was.
async function state() {
  const eds = (await admin.get('/api/v1/talent/catalogue/editions')).body;
  const trees = [];
  for (const e of eds.items) trees.push((await admin.get(`/api/v1/talent/catalogue/editions/${e.id}`)).body);
  return { eds, trees, audit: await lastAuditId(admin) };
}

test('the demo edition: 10 fields, 47 directions, 129 positions, marked as demonstration data', async () => {
  const list = await ent.get('/api/v1/talent/catalogue/editions');
  const ed = list.body.items.find((x) => x.id === demoId);
  assert.equal(ed.years, '2020—2021');
  assert.equal(ed.year_from, 2020);
  assert.equal(ed.year_to, 2021);
  assert.equal(ed.demo, true);
  assert.match(ed.title, /金普新区2020—2021年度重点产业紧缺人才需求目录.*演示/);
  assert.deepEqual(ed.counts, { fields: 10, directions: 47, positions: 129 });
  const t = await ent.get(`/api/v1/talent/catalogue/editions/${demoId}`);
  assert.equal(t.status, 200, t.text);
  // Counted from the tree itself, not from the counts the server gives.
  assert.equal(t.body.fields.length, 10);
  const dirs = t.body.fields.flatMap((f) => f.directions);
  const pos = dirs.flatMap((d) => d.positions);
  assert.equal(dirs.length, 47);
  assert.equal(pos.length, 129);
  assert.deepEqual(t.body.counts, { fields: 10, directions: 47, positions: 129 });
  for (const f of t.body.fields) assert.deepEqual(f.counts, { directions: f.directions.length, positions: f.directions.reduce((n, d) => n + d.positions.length, 0) });
  // The levels are the edition's data, most acute first, and every position has one of them.
  assert.deepEqual(t.body.levels.map((l) => l.label), ['特别紧缺', '比较紧缺', '一般紧缺']);
  const codes = t.body.levels.map((l) => l.code);
  for (const p of pos) assert.ok(codes.includes(p.level), JSON.stringify(p));
  assert.equal(t.body.levels.reduce((n, l) => n + l.count, 0), 129);
  for (const l of t.body.levels) assert.equal(l.count, pos.filter((p) => p.level === l.code).length);
  // Jinpu's industries, with requirements.
  const names = t.body.fields.map((f) => f.name);
  for (const n of ['石化及精细化工', '集成电路与电子信息', '生物医药与健康', '港航物流']) assert.ok(names.includes(n), names.join());
  const chip = pos.find((p) => p.name === '数字芯片设计工程师');
  assert.equal(chip.degree, 'master');
  assert.equal(chip.degree_label, '硕士研究生及以上');
  assert.equal(chip.experience, 3);
  assert.match(chip.major, /微电子/);
  assert.ok(pos.some((p) => p.employers.length > 0));
  // The command line says the same, one figure a line, label first.
  const cli = srv.cli(['talent', 'catalogue', 'stats']);
  assert.equal(cli.status, 0, cli.stderr);
  const lines = cli.stdout.trim().split('\n');
  assert.deepEqual(lines.slice(0, 3), ['领域 10', '方向 47', '岗位 129']);
  for (const l of t.body.levels) assert.ok(lines.includes(`${l.label} ${l.count}`), cli.stdout);
  assert.match(lines.at(-1), /^版本 2020—2021 .*演示/);
  const none = srv.cli(['talent', 'catalogue', 'stats', '--edition', '2031-2032']);
  assert.equal(none.status, 1);
  assert.match(none.stderr, /没有这一版紧缺人才目录[\s\S]*No such edition/);
});

test('every logged-in role reads the catalogue; an anonymous caller does not', async () => {
  for (const u of Object.keys(DEMO_USERS)) {
    const c = await srv.login(u);
    for (const p of ['/api/v1/talent/catalogue/editions', `/api/v1/talent/catalogue/editions/${demoId}`,
      '/api/v1/talent/catalogue/positions?q=工程师', `/api/v1/talent/catalogue/editions/${demoId}/export?format=csv`]) {
      const r = await c.get(p);
      assert.equal(r.status, 200, `${u} ${p}: ${r.text.slice(0, 200)}`);
    }
  }
  assertError(assert, await srv.anon().get('/api/v1/talent/catalogue/editions'), 401, 'auth.required');
});

test('search by words and level, in the catalogue\'s order', async () => {
  const r = await ent.get('/api/v1/talent/catalogue/positions?q=芯片');
  assert.equal(r.status, 200, r.text);
  assert.ok(r.body.total >= 4, r.text);
  for (const p of r.body.items) assert.match(`${p.name}${p.direction}${p.field}${p.major}${p.industry}${p.employers.join()}${p.note}`, /芯片/);
  const seqs = r.body.items.map((p) => p.seq);
  assert.deepEqual(seqs, [...seqs].sort((a, b) => a - b));
  // Two words: both must be found; a level narrows.
  const two = await ent.get(`/api/v1/talent/catalogue/positions?q=${encodeURIComponent('芯片 验证')}`);
  assert.deepEqual(two.body.items.map((p) => p.name), ['芯片验证工程师']);
  const acute = await ent.get('/api/v1/talent/catalogue/positions?level=acute&per_page=500');
  assert.equal(acute.body.total, acute.body.items.length);
  assert.ok(acute.body.items.every((p) => p.level === 'acute' && p.level_label === '特别紧缺'));
  const byLabel = await ent.get(`/api/v1/talent/catalogue/positions?level=${encodeURIComponent('特别紧缺')}&per_page=1`);
  assert.equal(byLabel.body.total, acute.body.total);
  // Wildcards are letters here, not patterns.
  assert.equal((await ent.get('/api/v1/talent/catalogue/positions?q=%25')).body.total, 0);
  assert.equal((await ent.get(`/api/v1/talent/catalogue/positions?edition=2020-2021&q=${encodeURIComponent('港口')}`)).body.total >= 2, true);
  assertError(assert, await ent.get('/api/v1/talent/catalogue/positions?level=urgent'), 400, 'talent.bad_level', 'level');
  assertError(assert, await ent.get(`/api/v1/talent/catalogue/positions?q=${'长'.repeat(51)}`), 400, 'request.too_long', 'q');
  assertError(assert, await ent.get('/api/v1/talent/catalogue/positions?edition=1999'), 404, 'talent.no_edition');
  assertError(assert, await ent.get('/api/v1/talent/catalogue/editions/999999'), 404, 'talent.no_edition');
});

test('a good CSV is a new edition; the old one stays as it was', async () => {
  const before = await state();
  const body = csv(
    '数字经济,人工智能,大模型算法工程师,特别紧缺,博士,"计算机科学与技术、人工智能",3,软件和信息技术服务业,"甲公司、乙公司",新增岗位',
    '数字经济,人工智能,数据标注员,★,不限,,,,,',
    '数字经济,软件开发,嵌入式软件工程师,high,本科及以上,软件工程,2,,,',
    '海洋经济,海水养殖,海参育苗技术员,一般紧缺,大专,水产养殖学,1,,,');
  const r = await send(policy, { years: '2022-2023', title: '金普新区2022—2023年度重点产业紧缺人才需求目录', published_on: '2022-05-10' }, body);
  assert.equal(r.status, 201, r.text);
  assert.deepEqual([r.body.fields, r.body.directions, r.body.positions, r.body.dry_run], [2, 3, 4, false]);
  assert.equal(r.body.edition.years, '2022—2023');
  assert.equal(r.body.edition.issuer, '人力资源和社会保障局');
  assert.equal(r.body.edition.current, true);
  assert.equal(r.body.edition.demo, false);
  const t = (await ent.get(`/api/v1/talent/catalogue/editions/${r.body.edition.id}`)).body;
  const ai = t.fields[0].directions[0].positions;
  assert.deepEqual(ai.map((p) => [p.name, p.level, p.degree, p.experience]),
    [['大模型算法工程师', 'acute', 'doctor', 3], ['数据标注员', 'general', 'any', null]]);
  assert.deepEqual(ai[0].employers, ['甲公司', '乙公司']);
  assert.equal(ai[0].note, '新增岗位');
  assert.equal(t.fields[0].directions[1].positions[0].level, 'high');
  // The new one is current; the demo edition is still there, unchanged.
  const list = (await ent.get('/api/v1/talent/catalogue/editions')).body.items;
  assert.equal(list[0].id, r.body.edition.id);
  assert.equal(list.find((x) => x.id === demoId).current, false);
  assert.deepEqual((await admin.get(`/api/v1/talent/catalogue/editions/${demoId}`)).body.fields,
    before.trees.find((x) => x.edition.id === demoId).fields);
  assert.equal((await ent.get('/api/v1/talent/catalogue/positions')).body.total, 4, 'the search reads the current edition');
  // The CLI by years.
  const cli = srv.cli(['talent', 'catalogue', 'stats', '--edition', '2022—2023']);
  assert.deepEqual(cli.stdout.trim().split('\n').slice(0, 3), ['领域 2', '方向 3', '岗位 4']);
  // One audit event, by the officer, naming the edition.
  const ev = (await auditAfter(admin, before.audit)).filter((x) => x.action === 'talent.catalogue.import');
  assert.equal(ev.length, 1);
  assert.equal(ev[0].object, `talent_edition:${r.body.edition.id}`);
  assert.equal(ev[0].actor, 'policy');
});

test('a bad file is refused whole, every refused row with its line and column', async () => {
  const before = await state();
  const body = csv(
    '现代金融,金融科技,量化分析师,特别紧缺,硕士,金融工程,3,,,',            // line 2: good
    '现代金融,金融科技,,特别紧缺,,,,,,',                                   // line 3: no position
    '现代金融,金融科技,风控经理,非常紧缺,,,,,,',                           // line 4: not a level
    '现代金融,金融科技,合规专员,一般紧缺,初中,,,,,',                       // line 5: not a degree
    '现代金融,金融科技,数据分析师,一般紧缺,,,三年,,,',                     // line 6: not a number
    '现代金融,金融科技,量化分析师,比较紧缺,,,,,,',                         // line 7: twice in one direction
    '现代金融,金融科技,资深精算师,一般紧缺,,,80,,,',                       // line 8: 80 years
    `现代金融,${'长'.repeat(101)},精算师,一般紧缺,,,,,,`);                 // line 9: too long
  const r = await send(policy, { years: '2024', published_on: '2024-03-01' }, body);
  const e = assertError(assert, r, 400, 'import.rejected');
  assert.deepEqual(e.errors.map((x) => [x.line, x.field]),
    [[3, 'name'], [4, 'level'], [5, 'degree'], [6, 'experience'], [7, 'name'], [8, 'experience'], [9, 'direction']]);
  assert.ok(e.errors.every((x) => x.message.startsWith(`第 ${x.line} 行`)), JSON.stringify(e.errors));
  assert.match(e.errors[1].message, /特别紧缺、比较紧缺、一般紧缺/);
  assert.match(e.errors[4].message, /第 2 行/);
  assert.deepEqual(await state(), before);
  // A dry run of a good file writes nothing either.
  const dry = await send(policy, { years: '2024', published_on: '2024-03-01', dry_run: '1' }, csv('现代金融,金融科技,量化分析师,特别紧缺,,,,,,'));
  assert.equal(dry.status, 200, dry.text);
  assert.deepEqual([dry.body.dry_run, dry.body.positions], [true, 1]);
  assert.deepEqual(await state(), before);
});

test('what the file does not say is checked first, with stable codes', async () => {
  const before = await state();
  const one = csv('现代金融,金融科技,量化分析师,特别紧缺,,,,,,');
  assertError(assert, await send(policy, { years: '2020—2021', published_on: '2020-06-30' }, one), 409, 'talent.edition_exists', 'years');
  assertError(assert, await send(policy, { years: '20-21', published_on: '2025-01-01' }, one), 400, 'talent.bad_years', 'years');
  assertError(assert, await send(policy, { years: '2026-2025', published_on: '2025-01-01' }, one), 400, 'talent.bad_years', 'years');
  assertError(assert, await send(policy, { years: '2025' }, one), 400, 'request.missing_field', 'published_on');
  assertError(assert, await send(policy, { years: '2025', published_on: '2025-02-30' }, one), 400, 'talent.bad_date', 'published_on');
  assertError(assert, await send(policy, { years: '2025', published_on: '2025-02-01', title: 'x'.repeat(101) }, one), 400, 'request.too_long', 'title');
  assertError(assert, await send(policy, { years: '2025', published_on: '2025-02-01' }, Buffer.from('')), 400, 'import.empty');
  assertError(assert, await send(policy, { years: '2025', published_on: '2025-02-01' }, Buffer.from('a,b\r\n1,2\r\n')), 400, 'import.bad_header');
  assertError(assert, await send(policy, { years: '2025', published_on: '2025-02-01' }, Buffer.from('PK\x03\x04not a zip')), 400, 'xlsx.not_zip');
  assert.deepEqual(await state(), before);
});

test('only 人社局\'s policy officers and administrators write; a refusal changes nothing', async () => {
  const others = [invest, ent, await srv.login('leader'), await srv.login('clerk')];
  const before = await state();
  const one = csv('现代金融,金融科技,量化分析师,特别紧缺,,,,,,');
  const q = { years: '2026', published_on: '2026-01-01' };
  // 科技局's policy officer passes the route's roles, not the department.
  assertError(assert, await send(keji, q, one), 403, 'talent.forbidden');
  for (const c of others) assertError(assert, await send(c, q, one), 403, 'auth.forbidden');
  const pid = before.trees.find((x) => x.edition.id === demoId).fields[0].directions[0].positions[0].id;
  assertError(assert, await keji.patch(`/api/v1/talent/catalogue/positions/${pid}`, { level: 'general' }), 403, 'talent.forbidden');
  // The list says who may, so a page offers the import only to them.
  for (const [c, may] of [[policy, true], [admin, true], [keji, false], [invest, false], [ent, false]])
    assert.equal((await c.get('/api/v1/talent/catalogue/editions')).body.may_import, may);
  assertError(assert, await ent.patch(`/api/v1/talent/catalogue/positions/${pid}`, { level: 'general' }), 403, 'auth.forbidden');
  assert.deepEqual(await state(), before);
  // An administrator may.
  const r = await send(admin, { years: '2019', published_on: '2019-04-01', issuer: '金普新区人才工作领导小组办公室' }, one);
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.edition.issuer, '金普新区人才工作领导小组办公室');
});

test('an export imports back as the same tree, in Excel and in CSV', async () => {
  const x = await ent.get(`/api/v1/talent/catalogue/editions/${demoId}/export?format=xlsx`);
  assert.equal(x.status, 200, x.text);
  assert.match(x.headers.get('content-type'), /spreadsheetml/);
  assert.match(x.headers.get('content-disposition'), /filename\*=UTF-8''/);
  const rows = readXlsx(x.bytes);
  assert.match(rows[0][0], /2020—2021.*演示/);
  assert.deepEqual(rows[1], ['序号', ...HEAD.split(',')]);
  assert.equal(rows.length, 2 + 129);
  assert.deepEqual(rows[2].slice(0, 4), ['1', '石化及精细化工', '炼油与化工工艺', '炼油工艺工程师']);
  const c = await ent.get(`/api/v1/talent/catalogue/editions/${demoId}/export?format=csv`);
  assert.equal(c.bytes[0], 0xef, 'a UTF-8 byte-order mark first');
  assert.equal(parseCsv(c.text).length, 2 + 129);
  const strip = (t) => t.fields.map((f) => ({ name: f.name, directions: f.directions.map((d) => ({ name: d.name,
    positions: d.positions.map(({ id, ...p }) => p) })) }));
  const orig = strip((await ent.get(`/api/v1/talent/catalogue/editions/${demoId}`)).body);
  for (const [years, bytes] of [['2027-2028', x.bytes], ['2029-2030', c.bytes]]) {
    const r = await send(policy, { years, published_on: '2021-01-01' }, bytes);
    assert.equal(r.status, 201, r.text);
    assert.deepEqual([r.body.fields, r.body.directions, r.body.positions], [10, 47, 129]);
    assert.deepEqual(strip((await ent.get(`/api/v1/talent/catalogue/editions/${r.body.edition.id}`)).body), orig);
  }
  assertError(assert, await ent.get(`/api/v1/talent/catalogue/editions/${demoId}/export?format=pdf`), 400, 'request.bad_param', 'format');
});

test('a position is corrected by the keeper, checked as an import row, and audited', async () => {
  const t = (await policy.get(`/api/v1/talent/catalogue/editions/${demoId}`)).body;
  const p = t.fields[1].directions[0].positions[0];
  const before = await lastAuditId(admin);
  const r = await policy.patch(`/api/v1/talent/catalogue/positions/${p.id}`, { level: '一般紧缺', experience: null, employers: ['丙公司'] });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual([r.body.level, r.body.experience, r.body.employers, r.body.name], ['general', null, ['丙公司'], p.name]);
  const ev = (await auditAfter(admin, before)).filter((x) => x.action === 'talent.catalogue.position');
  assert.equal(ev.length, 1);
  assert.equal(ev[0].object, `talent_position:${p.id}`);
  const st = await state();
  assertError(assert, await policy.patch(`/api/v1/talent/catalogue/positions/${p.id}`, { level: 'urgent' }), 400, 'talent.bad_level', 'level');
  assertError(assert, await policy.patch(`/api/v1/talent/catalogue/positions/${p.id}`, { degree: '初中' }), 400, 'talent.bad_degree', 'degree');
  assertError(assert, await policy.patch(`/api/v1/talent/catalogue/positions/${p.id}`, { experience: 51 }), 400, 'request.out_of_range', 'experience');
  assertError(assert, await policy.patch(`/api/v1/talent/catalogue/positions/${p.id}`, { field: '别的' }), 400, 'request.unknown_field', 'field');
  assertError(assert, await policy.patch(`/api/v1/talent/catalogue/positions/${p.id}`, {}), 400, 'request.missing_field');
  assertError(assert, await policy.patch(`/api/v1/talent/catalogue/positions/${p.id}`, { name: t.fields[1].directions[0].positions[1].name }), 409, 'talent.duplicate', 'name');
  assertError(assert, await policy.patch('/api/v1/talent/catalogue/positions/999999', { level: 'general' }), 404, 'talent.no_position');
  assert.deepEqual(await state(), st);
});

test('the server stops cleanly on SIGTERM (exit status 0)', async () => {
  await srv.stop();
});
