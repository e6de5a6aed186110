// indicator.test.mjs — 指标 (issue 17) on SQLite and PostgreSQL: the demo's
// catalogue and its 2021 report as `xinqu indicator report` prints it, the
// seven 2022 targets, values by period with 当月 derived from 累计, official
// versus computed growth and the share of the city; a department enters and
// corrects its own indicators (a correction is a new version, the old kept),
// nobody enters a computed one; targets by 发改局 / 统计局 with the status and
// the rule beside it; import all or nothing with refusals by line, export
// that imports back unchanged; a computed figure links to its records.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, cleanup, assertError, auditAfter, lastAuditId, parseCsv } from './lib.mjs';

let srv, leader, auditor, invest, tongji, fagai, admin, scjg, ent, clerk;
before(async () => {
  srv = await startServer();
  [leader, auditor, invest, tongji, fagai, admin, scjg, ent, clerk] = await Promise.all(
    ['leader', 'auditor', 'invest', 'tongji', 'fagai', 'admin', 'scjg_approver', 'ent', 'clerk'].map((u) => srv.login(u)));
});
after(() => cleanup(srv));

function ok(r, status = 200) {
  assert.equal(r.status, status, r.text);
  return r.body;
}

const period = (v, p) => v.periods.find((x) => x.period === p);
const enter = (c, code, body) => c.post(`/api/v1/indicators/${code}/values`, body);

test('xinqu indicator report --year 2021 on a fresh demo gives the article\'s figures; targets --year 2022 the seven targets', () => {
  const r = srv.cli(['indicator', 'report', '--year', '2021']);
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.split('\n');
  for (const want of ['地区生产总值 2576.3 亿元 增长 9.0%', '一般公共预算地方级收入 210.32 亿元', '全口径税收 598.37 亿元',
    '实际利用外资 11.42 亿美元 占全市 68.3%', '省外资金 330.3 亿元 占全市 23.2%']) {
    assert.ok(lines.some((l) => l.includes(want)), `a line with "${want}" in:\n${r.stdout}`);
  }
  assert.match(lines[0], /演示数据/);
  const t = srv.cli(['indicator', 'targets', '--year', '2022']);
  assert.equal(t.status, 0, t.stderr);
  const tl = t.stdout.trim().split('\n').slice(1);
  assert.equal(tl.length, 7, t.stdout);
  for (const want of ['增长10%以上', '一般公共预算收入增长5%', '固定资产投资增长50%', '规上工业增加值增长15.5%', '社会消费品零售总额增长10%',
    '外贸进出口增长9%', '居民收入增长与经济增长同步']) {
    assert.ok(tl.some((l) => l.includes(want) && /｜ (绿|黄|红|未知|不评价) ｜ .+/.test(l)), `${want} with its status and rule in:\n${t.stdout}`);
  }
  assert.equal(srv.cli(['indicator', 'report', '--year', 'x']).status, 2);
});

test('the catalogue: every official, leader and auditor reads it; applicants do not', async () => {
  const list = ok(await leader.get('/api/v1/indicators')).items;
  assert.ok(list.length >= 20, `${list.length} indicators`);
  const gdp = list.find((x) => x.code === 'gdp');
  assert.deepEqual([gdp.unit, gdp.frequency, gdp.cumulative, gdp.department, gdp.source, gdp.may_enter], ['亿元', 'quarter', true, 'tjj', 'entered', false]);
  const computed = list.filter((x) => x.source === 'computed');
  assert.ok(computed.length >= 5 && computed.every((x) => x.feed && x.feed_name && !x.may_enter), JSON.stringify(computed));
  assert.ok(ok(await tongji.get('/api/v1/indicators')).items.find((x) => x.code === 'gdp').may_enter);
  assert.equal((await auditor.get('/api/v1/indicators')).status, 200);
  assertError(assert, await ent.get('/api/v1/indicators'), 403, 'auth.forbidden');
  assertError(assert, await leader.get('/api/v1/indicators/nope'), 404, 'indicator.not_found');
});

test('values by period: 当季 from 累计, official growth shown as official, computed as nominal, share of the city', async () => {
  const gdp = ok(await leader.get('/api/v1/indicators/gdp/values?year=2021'));
  const q3 = period(gdp, '2021-Q3'), q4 = period(gdp, '2021-Q4');
  assert.equal(q4.value, '2576.3');
  assert.deepEqual([q4.growth.value, q4.growth.kind, q4.growth.basis], ['9.0', 'official', '可比价']);
  // Q4's own value is the year less the first three quarters, exactly.
  const tenths = (s) => Math.round(Number(s) * 10);
  assert.equal(tenths(q4.period_value), tenths(q4.value) - tenths(q3.value));
  assert.equal(period(gdp, '2021-Q1').period_value, period(gdp, '2021-Q1').value);
  const fdi = ok(await auditor.get('/api/v1/indicators/fdi/values?year=2021'));
  const dec = period(fdi, '2021-12');
  assert.deepEqual([dec.value, dec.city, dec.share], ['11.42', '16.72', '68.3']);
  assert.equal(dec.growth.kind, 'computed');
  assert.equal(dec.growth.basis, '名义');
  assert.equal(dec.growth.value, (Math.round((11.42 / 9.75 - 1) * 1000) / 10).toFixed(1));
  // No prior year: growth unknown (null), never 0.
  const y2019 = ok(await leader.get('/api/v1/indicators/fdi/values?year=2019'));
  assert.equal(period(y2019, '2019-12').growth, null);
  // The year's detail carries its targets.
  const d = ok(await leader.get('/api/v1/indicators/gdp?year=2022'));
  assert.equal(d.targets.length, 1);
  assert.equal(d.targets[0].text, '地区生产总值增长10%以上');
});

test('a department enters and corrects its own indicators: a correction is a new version, the old kept', async () => {
  const before = await lastAuditId(auditor);
  // Not another department's, nor a leader's or an applicant's (route roles), nor a computed one.
  assertError(assert, await enter(invest, 'gdp', { period: '2023-Q1', value: '650.2', source: '快报' }), 403, 'indicator.forbidden');
  assertError(assert, await enter(leader, 'fdi', { period: '2023-01', value: '1.1', source: '快报' }), 403, 'auth.forbidden');
  assertError(assert, await enter(scjg, 'new_entities', { period: '2023-01', value: '100', source: '手工' }), 409, 'indicator.computed');
  // Checks.
  assertError(assert, await enter(invest, 'fdi', { period: '2023-Q1', value: '1.1', source: '快报' }), 400, 'indicator.bad_period', 'period');
  assertError(assert, await enter(invest, 'fdi', { period: '2023-01', value: '1.123', source: '快报' }), 400, 'dec.too_precise', 'value');
  assertError(assert, await enter(invest, 'fdi', { period: '2023-01', value: 1.1, source: '快报' }), 400, 'request.bad_type', 'value');
  assertError(assert, await enter(invest, 'fdi', { period: '2023-01', value: '1.1' }), 400, 'request.missing_field', 'source');
  assertError(assert, await enter(invest, 'retail', { period: '2023-01', value: '1.1', source: 'x', scope: 'city' }), 400, 'indicator.no_city', 'scope');
  assert.equal(ok(await leader.get('/api/v1/indicators/fdi/values?year=2023')).periods[0].value, null, 'nothing was written');
  // Entered, then corrected.
  const v1 = ok(await enter(invest, 'fdi', { period: '2023-01', value: '1.05', source: '商务局快报' }), 201);
  assert.deepEqual([v1.value.version, v1.value.value, v1.value.by], [1, '1.05', 'invest']);
  assertError(assert, await enter(invest, 'fdi', { period: '2023-01', value: '1.08', source: '商务局月报' }), 400, 'request.missing_field', 'note');
  const v2 = ok(await enter(invest, 'fdi', { period: '2023-01', value: '1.08', source: '商务局月报', note: '快报数更正' }), 201);
  assert.deepEqual(v2.versions.map((x) => [x.version, x.value, x.source, x.current]), [[2, '1.08', '商务局月报', true], [1, '1.05', '商务局快报', false]]);
  ok(await enter(invest, 'fdi', { period: '2023-01', value: '1.60', source: '市商务局', scope: 'city' }), 201);
  const jan = period(ok(await leader.get('/api/v1/indicators/fdi/values?year=2023')), '2023-01');
  assert.deepEqual([jan.value, jan.city, jan.share, jan.entered.version, jan.entered.versions], ['1.08', '1.60', '67.5', 2, 2]);
  const hist = ok(await auditor.get('/api/v1/indicators/fdi/versions?period=2023-01')).items;
  assert.equal(hist.length, 2);
  // 统计局 enters GDP with its official growth at comparable prices.
  const g = ok(await enter(tongji, 'gdp', { period: '2023-Q1', value: '650.2', growth: '4.5', source: '统计局季报' }), 201);
  assert.deepEqual([g.value.growth, g.value.growth_basis], ['4.5', '可比价']);
  const ev = await auditAfter(auditor, before, '&action=indicator.correct');
  assert.equal(ev.filter((x) => x.object === 'indicator:fdi:2023-01').length, 1);
  assert.equal((await auditAfter(auditor, before, '&action=indicator.enter')).length, 3);
});

test('targets: set by 发改局 and 统计局, judged with the rule beside the status', async () => {
  const t = ok(await leader.get('/api/v1/indicators/targets?year=2022'));
  assert.equal(t.targets.length, 7);
  for (const x of t.targets) {
    assert.ok(['green', 'amber', 'red', 'unknown', 'none'].includes(x.status), JSON.stringify(x));
    assert.ok(x.rule && x.rule_en, JSON.stringify(x));
  }
  const gdp = t.targets.find((x) => x.indicator === 'gdp');
  assert.deepEqual([gdp.kind, gdp.value, gdp.growth.value, gdp.growth.kind, gdp.status], ['growth', '10.0', '5.2', 'official', 'red']);
  assert.match(gdp.rule, /5\.2% 对目标 10\.0%/);
  const income = t.targets.find((x) => x.indicator === 'income');
  assert.deepEqual([income.kind, income.ref], ['in_step', 'gdp']);
  // Who may set them.
  const body = { year: 2023, kind: 'growth', value: '6', text: '增长6%左右' };
  assertError(assert, await invest.post('/api/v1/indicators/gdp/targets', body), 403, 'indicator.forbidden');
  assertError(assert, await leader.post('/api/v1/indicators/gdp/targets', body), 403, 'auth.forbidden');
  assertError(assert, await fagai.post('/api/v1/indicators/income/targets', { year: 2023, kind: 'in_step', text: '同步' }), 400, 'indicator.bad_target', 'ref');
  assertError(assert, await fagai.post('/api/v1/indicators/gdp/targets', { ...body, kind: 'more' }), 400, 'indicator.bad_target', 'kind');
  const set = ok(await fagai.post('/api/v1/indicators/gdp/targets', body), 201);
  assert.deepEqual([set.version, set.value, set.growth.value, set.status], [1, '6.0', '4.5', 'amber']);
  assert.equal(set.time, '25.0');
  const again = ok(await tongji.post('/api/v1/indicators/gdp/targets', { ...body, value: '5.5', text: '增长5.5%左右' }), 201);
  assert.deepEqual([again.version, again.status], [2, 'amber']);
  const q = ok(await admin.post('/api/v1/indicators/jobs/targets', { year: 2023, kind: 'text', text: '就业形势总体稳定' }), 201);
  assert.equal(q.status, 'none');
  // A level target of a cumulative indicator: progress against time.
  // January holds 1.08: 7.5% of 14.40 is behind 1/12 of the year (amber); 9.0% of 12.00 is not (green).
  ok(await admin.post('/api/v1/indicators/fdi/targets', { year: 2023, kind: 'level', value: '14.40', text: '实际利用外资14.4亿美元' }), 201);
  let fdi = ok(await leader.get('/api/v1/indicators/targets?year=2023')).targets.find((x) => x.indicator === 'fdi');
  assert.deepEqual([fdi.progress, fdi.time, fdi.status], ['7.5', (100 / 12).toFixed(1), 'amber']);
  ok(await admin.post('/api/v1/indicators/fdi/targets', { year: 2023, kind: 'level', value: '12', text: '实际利用外资12亿美元' }), 201);
  fdi = ok(await leader.get('/api/v1/indicators/targets?year=2023')).targets.find((x) => x.indicator === 'fdi');
  assert.deepEqual([fdi.progress, fdi.version, fdi.status], ['9.0', 2, 'green']);
  assert.match(fdi.rule, /时间过半/);
});

test('the report: value, growth (official or computed), share; computed figures link to their records', async () => {
  const r = ok(await leader.get('/api/v1/indicators/report?year=2021'));
  assert.equal(r.demo, true);
  const line = (c) => r.lines.find((x) => x.code === c);
  assert.deepEqual([line('gdp').value, line('gdp').growth.kind, line('gdp').complete], ['2576.3', 'official', true]);
  assert.equal(line('out_funds').share, '23.2');
  const ne = line('new_entities');
  assert.equal(ne.source, 'computed');
  const list = ok(await leader.get(ne.link.replace(/^\/api\/v1\/entities/, '/api/v1/entities') + '&per_page=1'));
  assert.equal(String(list.total), ne.value, `${ne.link}: the figure is the count of its records`);
  assertError(assert, await leader.get('/api/v1/indicators/report?year=20x1'), 400, 'request.bad_param', 'year');
  assertError(assert, await clerk.get('/api/v1/entities?established_from=2021-13-01'), 400, 'request.bad_param', 'established_from');
});

test('import: all or nothing with refusals by line; export imports back unchanged', async () => {
  const head = '指标代码,期别,口径,数值,官方增速(%),增速口径,来源,说明';
  const csv = (...rows) => Buffer.from(`\ufeff${[head, ...rows].join('\r\n')}\r\n`);
  const send = (c, body, q = '') => c.api('POST', `/api/v1/indicators/import${q}`, body, { headers: { 'Content-Type': 'text/csv' } });
  const bad = csv('fdi,2024-01,本区,1.20,,,快报,', 'gdp,2024-Q1,本区,600.1,,,快报,', 'fdi,2024-13,本区,1.3,,,快报,', 'nope,2024-01,本区,1,,,快报,',
    'fdi,2024-02,大连市,1.234,,,快报,');
  const e = assertError(assert, await send(invest, bad), 400, 'import.rejected');
  assert.deepEqual(e.errors.map((x) => x.line), [3, 4, 5, 6], JSON.stringify(e.errors));
  assert.equal(e.errors.find((x) => x.line === 3).code, 'indicator.forbidden');
  assert.equal(period(ok(await leader.get('/api/v1/indicators/fdi/values?year=2024')), '2024-01').value, null, 'nothing imported');
  const dry = ok(await send(invest, csv('fdi,2024-01,本区,1.20,,,快报,', 'fdi,2024-01,大连市,1.80,,,市快报,'), '?dry_run=1'));
  assert.deepEqual([dry.rows, dry.imported, dry.dry_run], [2, 0, true]);
  const good = ok(await send(invest, csv('fdi,2024-01,本区,1.20,,,快报,', 'fdi,2024-01,大连市,1.80,,,市快报,')), 201);
  assert.deepEqual([good.rows, good.imported], [2, 2]);
  assert.equal(period(ok(await leader.get('/api/v1/indicators/fdi/values?year=2024')), '2024-01').share, '66.7');
  // The export of 2021 imports back with nothing changed.
  const x = await admin.get('/api/v1/indicators/export?year=2021&format=csv');
  assert.equal(x.status, 200);
  const rows = parseCsv(x.text);
  assert.ok(rows.some((r) => r.includes('gdp') && r.includes('2021-Q4') && r.includes('2576.3') && r.includes('9')), 'GDP\'s Q4 with its official growth');
  const back = ok(await admin.api('POST', '/api/v1/indicators/import', x.text, { headers: { 'Content-Type': 'text/csv' } }), 201);
  assert.ok(back.rows > 100);
  assert.equal(back.imported, 0, JSON.stringify(back));
  const xl = await leader.get('/api/v1/indicators/export?year=2021');
  assert.equal(xl.status, 200);
  assert.match(xl.headers.get('content-type'), /spreadsheetml/);
});

test('targets in Excel and CSV: the target departments import them, all or nothing by line; an export imports back', async () => {
  const send = (c, body, q = '') => c.api('POST', `/api/v1/indicators/targets/import${q}`, body, { headers: { 'Content-Type': 'text/csv' } });
  const x = await leader.get('/api/v1/indicators/targets/export?year=2022&format=csv');
  assert.equal(x.status, 200, x.text);
  const rows = parseCsv(x.text);
  assert.ok(rows.some((r) => r.includes('gdp') && r.includes('地区生产总值增长10%以上')), x.text);
  assertError(assert, await send(invest, x.text), 403, 'indicator.forbidden');
  const head = '指标代码,年度,目标类型,目标值,方向,对照指标,目标表述,来源';
  const bad = `${head}\r\nretail,2024,增速,8,,,社零增长8%,计划\r\nincome,2024,同步,,,,同步,计划\r\nfai,2024,翻番,100,,,翻番,计划\r\n`;
  const e = assertError(assert, await send(fagai, bad), 400, 'import.rejected');
  assert.deepEqual(e.errors.map((r) => r.line), [3, 4], JSON.stringify(e.errors));
  assert.equal(ok(await leader.get('/api/v1/indicators/targets?year=2024')).targets.length, 0, 'nothing imported');
  const good = ok(await send(fagai, `${head}\r\nretail,2024,增速,8,,,社零增长8%,计划\r\nincome,2024,同步,,,gdp,居民收入与经济同步,计划\r\n`), 201);
  assert.deepEqual([good.rows, good.imported], [2, 2]);
  const t = ok(await leader.get('/api/v1/indicators/targets?year=2024')).targets;
  assert.deepEqual(t.map((r) => [r.indicator, r.kind, r.value]), [['retail', 'growth', '8.0'], ['income', 'in_step', null]]);
  const back = ok(await send(tongji, x.text), 201);
  assert.equal(back.imported, 7);
  const again = ok(await leader.get('/api/v1/indicators/targets?year=2022')).targets;
  assert.equal(again.length, 7);
  assert.ok(again.every((r) => r.version === 2), 'each row a new version of its target');
  assert.deepEqual(again.map((r) => r.text).sort(), rows.filter((r) => r.length > 5 && r[2] === '2022').map((r) => r[7]).sort());
});

test('the server stops cleanly on SIGTERM (exit status 0)', async () => {
  await srv.stop();
});
