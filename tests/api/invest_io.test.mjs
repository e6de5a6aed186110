// invest_io.test.mjs — 招商 ledgers (台账) in Excel and CSV (issue 14):
// activities, projects and funds imported in one transaction or not at all,
// every refused row named by its line; exported with the same columns so an
// export imports back; the 签约项目一览表 and the report as files; each
// department's officers import and export their own records only.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, cleanup, assertError, auditAfter, lastAuditId, todayCN, parseCsv, readXlsx, makeId } from './lib.mjs';

const STRONG = 'Invest#Test-2026x';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
let srv, invest, admin, leader, auditor, other, uscc, mine;

before(async () => {
  srv = await startServer();
  [invest, admin, leader, auditor] = await Promise.all(['invest', 'admin', 'leader', 'auditor'].map((u) => srv.login(u)));
  // A second department's investment officer: the ledgers below are its own.
  const r = await admin.post('/api/v1/users', { username: 'fgj_io', role: 'invest', dept_code: 'fgj', password: STRONG, display: '钱台账' });
  assert.equal(r.status, 201, r.text);
  other = await srv.loginIssued('fgj_io', STRONG);
  uscc = (await admin.get('/api/v1/entities?per_page=1')).body.items[0].uscc;
  // A project of the first department (商务局), which the second may not touch.
  const p = await invest.post('/api/v1/invest/projects', {
    name: '商务局自有项目', industry: 'C', origin: 'domestic', planned: '1000',
    investors: [{ kind: 'entity', code: uscc, name: '某企业', share: '100' }],
  });
  assert.equal(p.status, 201, p.text);
  mine = p.body.code;
});
after(() => cleanup(srv));

const csv = (rows) => '\ufeff' + rows.map((r) => r.map((v) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v)).join(',')).join('\r\n') + '\r\n';
const post = (client, what, body, query = '', type = 'text/csv') =>
  client.api('POST', `/api/v1/invest/import/${what}${query}`, body, { headers: { 'Content-Type': type } });
const count = async (client, path) => (await client.get(path)).body.total;

const PROJECT_HEAD = ['项目名称', '行业门类', '内外资', '计划投资(元)', '外资部分(美元)', '阶段', '签约日期', '合同投资额(元)',
  '投资方类型', '投资方名称', '投资方证照号码', '投资方国家或地区', '投资方省份', '出资比例(%)'];

test('a projects ledger is imported in one go: stages with their evidence, several investors to a project, and read back', async () => {
  const signedOn = todayCN(-40);
  const idno = makeId('19900101', 77);
  const before = await lastAuditId(auditor);
  const file = csv([
    ['发改局招商台账（2026 年）'], // a title above the header is skipped
    PROJECT_HEAD,
    ['台账新能源电池项目', '制造业', '内资', '1,000,000.00', '', '签约', signedOn.replace(/-/g, '/'), '900000', '境内企业', '某某公司', uscc, '', '', '60'],
    ['', '', '', '', '', '', '', '', '自然人', '张三', idno, '', '广东', '40'],
    ['台账德资精密轴承项目', 'C', 'foreign', '50000000', '7000000', '线索', '', '', '境外投资者', 'Schaeffler AG', '', '德国', '', '100'],
  ]);
  const r = await post(other, 'projects', file);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.imported, 2);
  assert.deepEqual(r.body.created.map((c) => c.line), [3, 5]);
  const [a, b] = r.body.created.map((c) => c.code);

  const pa = (await other.get(`/api/v1/invest/projects/${a}`)).body;
  assert.equal(pa.stage, 'signed');
  assert.equal(pa.signed_on, signedOn);
  // The days before the signing default to it, so they come in order.
  assert.equal(pa.talks_on, signedOn);
  assert.equal(pa.lead_on, signedOn);
  assert.equal(pa.contract_amount.minor, 90000000);
  assert.deepEqual(pa.investors.map((v) => [v.kind, v.name, v.province, v.share]),
    [['entity', '某某公司', uscc.slice(2, 4), '60.00'], ['person', '张三', '44', '40.00']]);
  // A person's ID number in full to the officers who work the project; masked to a leader.
  assert.equal(pa.investors[1].code, idno);
  const seen = (await leader.get(`/api/v1/invest/projects/${a}`)).body.investors[1].code;
  assert.equal(seen, `${idno.slice(0, 6)}********${idno.slice(-4)}`);
  const pb = (await other.get(`/api/v1/invest/projects/${b}`)).body;
  assert.equal(pb.stage, 'lead');
  assert.equal(pb.planned_usd.minor, 700000000);
  assert.deepEqual(pb.investors.map((v) => [v.kind, v.country]), [['foreign', 'DE']]);

  // One transaction with its audit: the import, each creation and each move.
  const events = (await auditAfter(auditor, before)).map((x) => x.action);
  assert.equal(events.filter((x) => x === 'invest.import').length, 1);
  assert.equal(events.filter((x) => x === 'invest.create').length, 2);
  assert.equal(events.filter((x) => x === 'invest.move').length, 2);

  // The export has the same columns: the project on its first investor's row, the next investor below.
  const out = await other.get('/api/v1/invest/export/projects?format=csv');
  assert.equal(out.status, 200, out.text);
  assert.match(out.headers.get('content-type'), /^text\/csv/);
  assert.match(out.headers.get('content-disposition'), /filename\*=UTF-8''%E6%8B%9B%E5%95%86%E9%A1%B9%E7%9B%AE/); // 招商项目
  const rows = parseCsv(out.text);
  const head = rows[0];
  const at = (row, k) => row[head.indexOf(k)];
  const i = rows.findIndex((row) => at(row, '项目编号') === a);
  assert.ok(i > 0, out.text);
  assert.equal(at(rows[i], '阶段'), '签约');
  assert.equal(at(rows[i], '行业门类'), '制造业');
  assert.equal(at(rows[i], '合同投资额(元)'), '900000.00');
  assert.equal(at(rows[i + 1], '项目编号'), '');
  assert.equal(at(rows[i + 1], '投资方名称'), '张三');
  assert.equal(at(rows[i + 1], '投资方省份'), '广东省');
  // An officer exports the department's projects only; a leader every department's.
  assert.ok(!rows.some((row) => at(row, '项目编号') === mine));
  const mineOut = parseCsv((await invest.get('/api/v1/invest/export/projects')).text);
  assert.ok(mineOut.some((row) => row[0] === mine) && !mineOut.some((row) => row[0] === a));
  const all = parseCsv((await leader.get('/api/v1/invest/export/projects')).text);
  assert.ok(all.some((row) => row[0] === mine) && all.some((row) => row[0] === a));
  assert.ok(!all.some((row) => row.includes(idno)) && rows.some((row) => row.includes(idno)));

  // The export imported back finds every project already there (same investor, same name): nothing written.
  const n = await count(other, '/api/v1/invest/projects');
  const again = await post(other, 'projects', out.text);
  assertError(assert, again, 400, 'import.rejected');
  assert.ok(again.body.error.errors.every((x) => x.code === 'invest.duplicate'), again.text);
  assert.ok(again.body.error.errors.some((x) => x.line === i + 1));
  assert.equal(await count(other, '/api/v1/invest/projects'), n);
});

test('a file with bad rows writes nothing, and names every bad row by its line and column', async () => {
  const n = await count(other, '/api/v1/invest/projects');
  const before = await lastAuditId(auditor);
  const file = csv([
    PROJECT_HEAD,
    ['好项目甲', '制造业', '内资', '100', '', '', '', '', '境内企业', '某公司', uscc, '', '', '100'],
    ['坏金额', '制造业', '内资', 'abc', '', '', '', '', '境内企业', '某公司', uscc, '', '', '100'],
    ['坏行业', '造船业', '内资', '100', '', '', '', '', '境内企业', '某公司', uscc, '', '', '100'],
    ['坏股比', '制造业', '内资', '100', '', '', '', '', '境内企业', '某公司', uscc, '', '', '60'],
    ['', '', '', '', '', '', '', '', '自然人', '李四', '', '', '火星', '30'],
    ['坏阶段', '制造业', '内资', '100', '', '投产', '', '', '境内企业', '某公司', uscc, '', '', '100'],
    ['坏日期', '制造业', '内资', '100', '', '签约', '2021-02-30', '100', '境内企业', '某公司', uscc, '', '', '100'],
  ]);
  const r = await post(other, 'projects', file);
  assertError(assert, r, 400, 'import.rejected');
  assert.match(r.body.error.message, /未导入任何数据/);
  const byLine = Object.fromEntries(r.body.error.errors.map((x) => [x.line, x]));
  assert.equal(byLine[3].code, 'money.bad_amount');
  assert.match(byLine[3].message, /^第 3 行「计划投资\(元\)」：/);
  assert.equal(byLine[4].code, 'import.bad_choice');
  assert.match(byLine[4].message, /^第 4 行「行业门类」：“造船业”不是可选的值，应为：农、林、牧、渔业；采矿业；.* 等 20 项/);
  assert.equal(byLine[6].code, 'import.bad_province');
  assert.match(byLine[6].message, /第 6 行「投资方省份」：不认识的省份：火星/);
  assert.equal(byLine[7].code, 'invest.import_stage');
  assert.equal(byLine[8].code, 'import.bad_date');
  // Row 5 lost its second investor to row 6's refusal: its shares are not 100.
  assert.equal(byLine[5].code, 'invest.shares_not_100');
  assert.equal(Object.keys(byLine).length, 6);
  assert.ok(!byLine[2], 'the good row is not refused');
  for (const x of r.body.error.errors) assert.ok(x.message_en.startsWith(`Line ${x.line}`), x.message_en);
  assert.equal(await count(other, '/api/v1/invest/projects'), n);
  assert.deepEqual((await auditAfter(auditor, before)).filter((x) => x.action.startsWith('invest.')), []);

  // A dry run checks a good file and writes nothing either.
  const good = csv([PROJECT_HEAD, ['试算项目', '制造业', '内资', '100', '', '', '', '', '境内企业', '某公司', uscc, '', '', '100']]);
  const dry = await post(other, 'projects', good, '?dry_run=1');
  assert.equal(dry.status, 200, dry.text);
  assert.equal(dry.body.dry_run, true);
  assert.equal(dry.body.rows, 1);
  assert.equal(dry.body.imported, 0);
  assert.equal(await count(other, '/api/v1/invest/projects'), n);
  // A row the file itself gets wrong (a cell past the header's columns) is refused, in a dry run too.
  const shifted = csv([PROJECT_HEAD, ['试算项目乙', '制造业', '内资', '100', '', '', '', '', '境内企业', '某公司', uscc, '', '', '100', '多出的一格']]);
  for (const q of ['', '?dry_run=1']) {
    const x = await post(other, 'projects', shifted, q);
    assertError(assert, x, 400, 'import.rejected');
    assert.deepEqual(x.body.error.errors.map((y) => [y.line, y.code]), [[2, 'import.extra_column']]);
  }
  assert.equal(await count(other, '/api/v1/invest/projects'), n);
});

test('a funds ledger names projects by code; the day rates stay on the entries; another department\'s project is refused', async () => {
  const p = await other.post('/api/v1/invest/projects', {
    name: '台账到位资金项目', industry: 'C', origin: 'foreign', planned: '10000000', planned_usd: '1000000',
    investors: [{ kind: 'foreign', name: 'Foo GmbH', country: 'DE', share: '100' }], lead_on: todayCN(-20),
  });
  assert.equal(p.status, 201, p.text);
  const code = p.body.code;
  assert.equal((await other.post(`/api/v1/invest/projects/${code}/moves/negotiate`, { talks_on: todayCN(-10) })).status, 200);
  // A move's day is not before the stage before it.
  assertError(assert, await other.post(`/api/v1/invest/projects/${code}/moves/sign`, { signed_on: todayCN(-15), contract_amount: '9000000' }), 400, 'invest.bad_date', 'signed_on');
  assert.equal((await other.post(`/api/v1/invest/projects/${code}/moves/sign`, { signed_on: todayCN(-5), contract_amount: '9000000' })).status, 200);
  const head = ['项目编号', '到位日期', '金额', '币种', '人民币汇率', '美元汇率', '资金类型', '资金来源'];
  const rows = [
    head,
    [code, todayCN(-4), '1,000,000.00', 'CNY', '', '', '固定资产投资', '省外'],
    [code, todayCN(-3), '200000', 'EUR', '7.8', '1.08', 'fixed', '境外'],
    [mine, todayCN(-3), '5', 'CNY', '', '', '流动资金', '省内'],
  ];
  const bad = await post(other, 'funds', csv(rows));
  assertError(assert, bad, 400, 'import.rejected');
  assert.deepEqual(bad.body.error.errors.map((x) => [x.line, x.code]), [[4, 'invest.not_found']]);
  assert.equal((await other.get(`/api/v1/invest/projects/${code}`)).body.funds.length, 0);
  const r = await post(other, 'funds', csv(rows.slice(0, 3)));
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.imported, 2);
  const funds = (await other.get(`/api/v1/invest/projects/${code}`)).body.funds;
  assert.equal(funds.length, 2);
  const eur = funds.find((f) => f.currency === 'EUR' || f.amount?.currency === 'EUR');
  assert.ok(eur, JSON.stringify(funds));

  // Exported with the rates; the dollar rate given back as dollars per unit.
  const out = parseCsv((await other.get(`/api/v1/invest/export/funds?from=${todayCN(-4)}&to=${todayCN()}`)).text);
  const h = out[0];
  const row = out.find((x) => x[h.indexOf('币种')] === 'EUR');
  assert.equal(row[h.indexOf('人民币汇率')], '7.8');
  assert.equal(row[h.indexOf('美元汇率')], '1.08');
  assert.equal(row[h.indexOf('折人民币(元)')], '1560000.00');
  assert.equal(row[h.indexOf('折美元')], '216000.00');
  assert.equal(row[h.indexOf('资金来源')], '境外');
  assert.ok(!out.some((x) => x[0] === mine));
});

test('an activities ledger goes out as Excel and comes back in', async () => {
  const day = todayCN(-2);
  for (const title of ['台账推介会（上海）', '台账推介会（深圳）']) {
    const r = await other.post('/api/v1/invest/activities', { kind: '推介会', title, start_on: day, end_on: day, city: '上海', province: '31', investors_met: 7 });
    assert.equal(r.status, 201, r.text);
  }
  const ex = await other.get(`/api/v1/invest/export/activities?format=xlsx&from=${day}&to=${day}`);
  assert.equal(ex.status, 200, ex.text);
  assert.equal(ex.headers.get('content-type'), XLSX);
  const sheet = readXlsx(ex.bytes);
  assert.deepEqual(sheet[0].slice(0, 5), ['编号', '活动类型', '活动名称', '开始日期', '结束日期']);
  assert.equal(sheet.length, 3);
  const h = sheet[0];
  assert.equal(sheet[1][h.indexOf('省份')], '上海市');
  assert.equal(sheet[1][h.indexOf('参加人员（用户名）')], 'fgj_io');
  assert.equal(sheet[1][h.indexOf('接洽投资方数')], '7');
  const n = await count(other, `/api/v1/invest/activities?from=${day}&to=${day}`);
  const r = await post(other, 'activities', ex.bytes, '', XLSX);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.imported, 2);
  assert.equal(await count(other, `/api/v1/invest/activities?from=${day}&to=${day}`), n + 2);
  // The first department sees none of them.
  assert.equal(readXlsx((await invest.get(`/api/v1/invest/export/activities?format=xlsx&from=${day}&to=${day}`)).bytes).length, 1);
});

test('files that cannot be read as a ledger are refused whole', async () => {
  assertError(assert, await post(other, 'projects', ''), 400, 'import.empty');
  const h = await post(other, 'projects', csv([['名称', '金额'], ['甲', '1']]));
  assertError(assert, h, 400, 'import.bad_header');
  assert.match(h.body.error.message, /项目名称、行业门类、内外资、计划投资\(元\)/);
  assertError(assert, await post(other, 'projects', csv([[...PROJECT_HEAD, '备注']])), 400, 'import.bad_header');
  const zip = await post(other, 'projects', Buffer.from('PK\x03\x04not really a zip'));
  assert.equal(zip.status, 400, zip.text);
  assert.match(zip.body.error.code, /^xlsx\./);
  assertError(assert, await post(other, 'nothing', csv([PROJECT_HEAD])), 404, 'import.no_kind');
  // Past 500 refused rows the answer lists the first 500 and says how many there were.
  const bad = csv([['项目编号', '到位日期', '金额', '资金类型', '资金来源'], ...Array.from({ length: 600 }, () => ['X', '昨天', '1', 'fixed', '省外'])]);
  const r600 = await post(other, 'funds', bad);
  assertError(assert, r600, 400, 'import.rejected');
  assert.equal(r600.body.error.errors.length, 500);
  assert.match(r600.body.error.message, /有 600 行未通过检查.*前 500 行/);
  assert.deepEqual([r600.body.error.errors[0].line, r600.body.error.errors[499].line], [2, 501]);
  const many = csv([['项目编号', '到位日期', '金额', '资金类型', '资金来源'], ...Array.from({ length: 10001 }, () => ['X', todayCN(), '1', 'fixed', '省外'])]);
  assertError(assert, await post(other, 'funds', many), 400, 'import.too_many_rows');
  // Leaders and auditors read; they do not import.
  assertError(assert, await post(leader, 'projects', csv([PROJECT_HEAD])), 403, 'auth.forbidden');
  assertError(assert, await post(auditor, 'funds', csv([PROJECT_HEAD])), 403, 'auth.forbidden');
  // An administrator imports projects (naming their owners) but not activities, which are an officer's own.
  assertError(assert, await post(admin, 'activities', csv([['活动类型', '活动名称', '开始日期', '结束日期']])), 403, 'auth.forbidden');
  assertError(assert, await other.get('/api/v1/invest/export/projects?format=pdf'), 400, 'request.bad_param', 'format');
  assertError(assert, await other.get('/api/v1/invest/export/projects?stage=moon'), 400, 'invest.bad_stage', 'stage');
});

test('the 签约项目一览表 and the report come as files of the period', async () => {
  const from = todayCN(-60), to = todayCN();
  assertError(assert, await leader.get('/api/v1/invest/export/signed'), 400, 'invest.bad_period');
  const s = await leader.get(`/api/v1/invest/export/signed?format=csv&from=${from}&to=${to}`);
  assert.equal(s.status, 200, s.text);
  const rows = parseCsv(s.text);
  assert.equal(rows[0][0], `签约项目一览表（${from} 至 ${to}）`);
  const h = rows[1];
  assert.deepEqual(h.slice(0, 4), ['序号', '项目编号', '项目名称', '投资方']);
  const battery = rows.find((r) => r[2] === '台账新能源电池项目');
  assert.ok(battery, s.text);
  assert.equal(battery[h.indexOf('投资方')], '某某公司、张三'); // the largest share first
  assert.equal(battery[h.indexOf('合同投资额(万元)')], '90.00');
  assert.equal(battery[h.indexOf('内外资')], '内资');
  assert.deepEqual(rows.slice(2).map((r) => r[0]), rows.slice(2).map((_, i) => String(i + 1)));
  const x = await leader.get(`/api/v1/invest/export/signed?from=${from}&to=${to}`);
  assert.equal(x.headers.get('content-type'), XLSX);
  assert.equal(readXlsx(x.bytes)[0][0], `签约项目一览表（${from} 至 ${to}）`);

  const rep = await auditor.get(`/api/v1/invest/export/report?from=${from}&to=${to}`);
  assert.equal(rep.status, 200, rep.text);
  assert.equal(rep.headers.get('content-type'), XLSX);
  const figures = readXlsx(rep.bytes);
  assert.equal(figures[0][0], `招商报表（${from} 至 ${to}）`);
  assert.deepEqual(figures[1], ['指标', '数值', '口径']);
  const json = (await auditor.get(`/api/v1/invest/report?from=${from}&to=${to}`)).body;
  for (const f of json.figures) {
    const row = figures.find((r) => r[0] === f.label);
    assert.ok(row, f.label);
    assert.equal(row[1], f.text);
  }
  assertError(assert, await auditor.get(`/api/v1/invest/export/report?format=csv&from=${from}&to=${to}`), 400, 'request.bad_param', 'format');
});
