// board.test.mjs — the leaders' board (issue 17) on SQLite and PostgreSQL:
// GET /api/v1/board puts together the indicators against their targets (the
// very figures the report and the targets give), their trends, the year's
// 惠民实事 and one panel per domain whose figures are the records' counts;
// a month cuts the year; a value entered shows at the next read; every
// official and auditor reads it, applicants do not; bad parameters are
// refused; the month's report as Excel and as a PDF holds the same figures.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer, cleanup, assertError, readXlsx } from './lib.mjs';

let srv, leader, auditor, clerk, invest, tongji, ent, person;
before(async () => {
  srv = await startServer({ pipeline: true });
  [leader, auditor, clerk, invest, tongji, ent, person] = await Promise.all(
    ['leader', 'auditor', 'clerk', 'invest', 'tongji', 'ent', 'person'].map((u) => srv.login(u)));
});
after(() => cleanup(srv));

function ok(r, status = 200) {
  assert.equal(r.status, status, r.text);
  return r.body;
}

const DOMAINS = ['services', 'registry', 'invest', 'ladder', 'talent'];
const thisYear = Number(new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 4));

test('the board of the latest year with values: each indicator as the report gives it, each target as judged', async () => {
  const b = ok(await leader.get('/api/v1/board'));
  // The demo holds entered values of 2019–2022: the latest is the board's year, as of its last month.
  const latest = Math.max(...(await Promise.all([2019, 2020, 2021, 2022, 2023].map(async (y) =>
    ok(await leader.get(`/api/v1/indicators/report?year=${y}`)).lines.some((l) => l.source === 'entered' && l.value !== null) ? y : 0))));
  assert.equal(b.year, latest);
  assert.equal(b.month, 12);
  assert.equal(b.title, `${latest}年1—12月经济运行情况`);
  assert.equal(b.demo, true);
  assert.ok(b.years.includes(2019) && b.years.includes(thisYear), JSON.stringify(b.years));
  const rep = ok(await leader.get(`/api/v1/indicators/report?year=${b.year}`));
  assert.deepEqual(b.indicators.map((x) => x.code), rep.lines.map((l) => l.code), 'every indicator, in catalogue order');
  for (const l of rep.lines) {
    const x = b.indicators.find((i) => i.code === l.code);
    assert.deepEqual([x.value, x.period, x.growth, x.share], [l.value, l.period ?? null, l.growth ?? null, l.share ?? null], l.code);
    assert.equal(x.link, `/indicators?code=${l.code}&year=${b.year}`);
  }
  const tg = ok(await leader.get(`/api/v1/indicators/targets?year=${b.year}`)).targets;
  const withTarget = b.indicators.filter((x) => x.target);
  assert.deepEqual(withTarget.map((x) => x.code).sort(), tg.map((t) => t.indicator).sort());
  const counts = { green: 0, amber: 0, red: 0, none: 0, unknown: 0 };
  for (const t of tg) {
    const x = b.indicators.find((i) => i.code === t.indicator).target;
    assert.deepEqual([x.text, x.status, x.status_label, x.rule, x.progress, x.time], [t.text, t.status, t.status_label, t.rule, t.progress, t.time], t.indicator);
    assert.ok(x.rule.length > 0);
    counts[t.status]++;
  }
  assert.deepEqual(b.status_counts, counts);
  // 惠民实事: the year's summary as its own route gives it.
  const lv = ok(await leader.get(`/api/v1/livelihood/summary?year=${b.year}`));
  assert.deepEqual(b.livelihood.counts, lv.counts);
  assert.equal(b.livelihood.progress, lv.progress);
  assert.deepEqual(b.livelihood.projects_behind, lv.projects_behind);
});

test('trends: each period\'s own value (当月 from 累计) beside last year\'s, and the growth', async () => {
  const b = ok(await leader.get('/api/v1/board?year=2021'));
  for (const code of ['gdp', 'budget_rev', 'deposits']) {
    const x = b.indicators.find((i) => i.code === code);
    const v = ok(await leader.get(`/api/v1/indicators/${code}/values?year=2021`));
    const prev = ok(await leader.get(`/api/v1/indicators/${code}/values?year=2020`));
    assert.deepEqual(x.trend.periods, v.periods.map((p) => p.period), code);
    const own = (p) => (v.indicator.cumulative && v.indicator.frequency !== 'year' ? p.period_value : p.value);
    assert.deepEqual(x.trend.values, v.periods.map(own), code);
    assert.deepEqual(x.trend.previous, prev.periods.map((p) => (v.indicator.cumulative && v.indicator.frequency !== 'year' ? p.period_value : p.value)), code);
    assert.deepEqual(x.trend.growth, v.periods.map((p) => (p.growth ? p.growth.value : null)), code);
  }
});

test('a month cuts the year: the board as of June shows the second quarter and judges against half the year', async () => {
  const b = ok(await leader.get('/api/v1/board?year=2022&month=6'));
  assert.equal(b.month, 6);
  assert.equal(b.title, '2022年1—6月经济运行情况');
  const gdp = b.indicators.find((i) => i.code === 'gdp');
  const v = ok(await leader.get('/api/v1/indicators/gdp/values?year=2022'));
  assert.equal(gdp.period, '2022-Q2');
  assert.equal(gdp.value, v.periods[1].value);
  assert.deepEqual(gdp.trend.values.slice(2), [null, null]);
  assert.equal(gdp.target.time, '50.0');
  const fai = b.indicators.find((i) => i.code === 'fai');
  assert.equal(fai.period, '2022-06');
  assert.equal(fai.trend.values.filter((x) => x !== null).length, 6);
  const jan = ok(await leader.get('/api/v1/board?year=2022&month=1'));
  assert.equal(jan.title, '2022年1月经济运行情况');
  // A yearly figure is not known before the year ends.
  const pop = b.indicators.find((i) => i.code === 'population');
  assert.equal(pop.value, null);
});

test('the domains\' panels: the records\' counts month by month, last year beside, each with its records', async () => {
  const b = ok(await leader.get('/api/v1/board?year=2021'));
  assert.deepEqual(b.panels.map((p) => p.domain), DOMAINS);
  for (const p of b.panels) {
    assert.ok(p.title && p.title_en && p.link.startsWith('/') && p.figures.length >= 1, JSON.stringify(p));
    for (const f of p.figures) {
      assert.equal(f.months.length, 12, f.feed);
      assert.ok(f.link.startsWith('/'), f.link);
      assert.ok(!/（/.test(f.name), `${f.name}: the domain goes without saying on its panel`);
      if (f.unit !== '%' && f.value !== null) { // a count or an amount: the months add up to the year
        // (each shown rounded to the cent: twelve roundings apart at most)
        const cents = (s) => Math.round(Number(s) * 100);
        const diff = f.months.reduce((s, m) => s + (m === null ? 0 : cents(m)), 0) - cents(f.value);
        assert.ok(Math.abs(diff) <= (/\./.test(f.value) ? 6 : 0), `${f.feed}: months ${f.months} against ${f.value}`);
      }
    }
  }
  const reg = b.panels.find((p) => p.domain === 'registry').figures.find((f) => f.feed === 'registry.new_entities');
  const count = async (from, to) => ok(await clerk.get(`/api/v1/entities?established_from=${from}&established_to=${to}&per_page=1`)).total;
  assert.equal(reg.value, String(await count('2021-01-01', '2021-12-31')));
  assert.equal(reg.previous, String(await count('2020-01-01', '2020-12-31')));
  assert.equal(reg.months[2], String(await count('2021-03-01', '2021-03-31')));
  assert.equal(reg.link, '/records/entities?from=2021-01-01&to=2021-12-31');
  // The same figure as the catalogue's computed indicator.
  assert.equal(b.indicators.find((i) => i.code === 'new_entities').value, reg.value);
  const signed = b.panels.find((p) => p.domain === 'invest').figures.find((f) => f.feed === 'invest.signed');
  assert.equal(signed.value, b.indicators.find((i) => i.code === 'invest_signed').value);
  assert.ok(Number(signed.value) > 0, 'the demo pipeline signs projects in 2021');
  // As of March the months after it are unknown.
  const mar = ok(await leader.get('/api/v1/board?year=2021&month=3'));
  const regMar = mar.panels.find((p) => p.domain === 'registry').figures[0];
  assert.deepEqual(regMar.months.slice(3), Array(9).fill(null));
  assert.equal(regMar.value, String(await count('2021-01-01', '2021-03-31')));
});

test('a value entered shows at the next read of the board', async () => {
  const before_ = ok(await leader.get('/api/v1/board?year=2022')).indicators.find((i) => i.code === 'gdp');
  const v = ok(await tongji.post('/api/v1/indicators/gdp/values',
    { period: '2022-Q4', value: '2900.0', growth: '12.5', source: '统计局快报', note: '测试更正' }), 201);
  assert.ok(v);
  const after_ = ok(await leader.get('/api/v1/board?year=2022')).indicators.find((i) => i.code === 'gdp');
  assert.notEqual(before_.value, '2900.0');
  assert.equal(after_.value, '2900.0');
  assert.equal(after_.growth.value, '12.5');
  assert.equal(after_.target.status, 'green', after_.target.rule); // 12.5 ≥ the 10% target
});

test('who reads the board: every official and auditor; applicants are refused; bad parameters too', async () => {
  for (const c of [leader, auditor, clerk, invest, tongji]) assert.equal((await c.get('/api/v1/board?year=2021')).status, 200);
  for (const c of [ent, person]) {
    assertError(assert, await c.get('/api/v1/board'), 403, 'auth.forbidden');
    assertError(assert, await c.get('/api/v1/board/report.xlsx'), 403, 'auth.forbidden');
    assertError(assert, await c.get('/api/v1/board/report.pdf'), 403, 'auth.forbidden');
  }
  assertError(assert, await srv.anon().get('/api/v1/board'), 401, 'auth.required');
  assertError(assert, await leader.get('/api/v1/board?year=20x1'), 400, 'request.bad_param', 'year');
  assertError(assert, await leader.get('/api/v1/board?month=13'), 400, 'request.bad_param', 'month');
  assertError(assert, await leader.get('/api/v1/board?month=-1'), 400, 'request.bad_param', 'month');
  assertError(assert, await leader.get('/api/v1/board/report.xlsx?year=1800'), 400, 'request.bad_param', 'year');
});

test('the month\'s report as Excel: the same figures, with the rule beside each status', async () => {
  const b = ok(await leader.get('/api/v1/board?year=2021&month=9'));
  const r = await leader.get('/api/v1/board/report.xlsx?year=2021&month=9');
  assert.equal(r.status, 200, r.text);
  assert.match(r.headers.get('content-type'), /spreadsheetml/);
  assert.match(decodeURIComponent(r.headers.get('content-disposition')), /2021年1—9月经济运行情况\.xlsx/);
  const rows = readXlsx(r.bytes);
  assert.match(rows[0][0], /大连金普新区2021年1—9月经济运行情况（演示数据）/);
  const head = rows[1];
  assert.deepEqual(head.slice(0, 4), ['指标', '单位', '期别', '数值']);
  for (const x of b.indicators) {
    const row = rows.find((rw) => rw[0] === x.name);
    assert.ok(row, x.name);
    if (x.value !== null) assert.equal(Number(row[3]), Number(x.value), x.code);
    if (x.target) assert.deepEqual([row[10], row[11]], [x.target.status_label, x.target.rule], x.code);
  }
  const panels = readXlsx(r.bytes, 3);
  const reg = b.panels.find((p) => p.domain === 'registry').figures[0];
  const row = panels.find((rw) => rw[1] === reg.name);
  assert.equal(Number(row[3]), Number(reg.value));
  assert.equal(row[6 + 8], reg.months[8]); // September
  assert.equal(row[6 + 9] ?? '', '');      // October: after the month
  const lv = readXlsx(r.bytes, 2);
  assert.match(lv[0][0], /2021年惠民实事/);
  assert.equal(lv.slice(2).reduce((s, rw) => s + Number(rw[1]), 0), b.livelihood.total);
});

test('the month\'s report as a PDF: drawn from the same board, with its title, indicators, statuses and panels', async () => {
  const b = ok(await leader.get('/api/v1/board?year=2022&month=10'));
  const r = await leader.get('/api/v1/board/report.pdf?year=2022&month=10');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.headers.get('content-type'), 'application/pdf');
  assert.match(decodeURIComponent(r.headers.get('content-disposition')), /2022年1—10月经济运行情况\.pdf/);
  assert.equal(r.bytes.subarray(0, 5).toString(), '%PDF-');
  const dir = mkdtempSync(path.join(tmpdir(), 'board-'));
  const f = path.join(dir, 'r.pdf');
  writeFileSync(f, r.bytes);
  const text = spawnSync('pdftotext', ['-enc', 'UTF-8', f, '-'], { encoding: 'utf8' }).stdout.replace(/\s+/g, '');
  const pages = Number(/Pages:\s+(\d+)/.exec(spawnSync('pdfinfo', [f], { encoding: 'utf8' }).stdout)[1]);
  rmSync(dir, { recursive: true, force: true });
  assert.ok(text.includes(b.title.replace(/\s+/g, '')) && text.includes('演示数据'), text.slice(0, 300));
  assert.ok(pages >= 2, `${pages} pages`);
  for (const x of b.indicators) assert.ok(text.includes(x.name.replace(/\s+/g, '')), x.name);
  for (const x of b.indicators.filter((i) => i.target && i.value !== null)) {
    assert.ok(text.includes(x.value), `${x.code} ${x.value}`);
  }
  for (const p of b.panels) assert.ok(text.includes(p.title), p.title);
  for (const p of b.livelihood.projects_behind) assert.ok(text.includes(p.title.replace(/\s+/g, '')), p.title);
});
