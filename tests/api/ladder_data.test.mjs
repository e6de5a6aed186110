// ladder_data.test.mjs — 企业梯度培育's records over HTTP (issue 15): an
// enterprise's figures per year assembled for the rules (series, the
// year's incident, titles), its ladder with the why-not, titles with their
// validity, renewals and revocations, the 培育库, the figures by year, the
// facts ledger, rule versions, the daily job's expiry reminders; and who
// may do which: 科技局 and 工信局 each their own rungs' titles, another
// department's policy officer nothing, an enterprise only its own ladder.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, cleanup, assertError, auditAfter, lastAuditId, todayCN, hasChinese, readXlsx, parseCsv } from './lib.mjs';

let srv, keji, gongxin, policy, admin, leader, ent, person, uscc, other, third, entUscc;
const THIS_YEAR = Number(todayCN().slice(0, 4));
const LAST = THIS_YEAR - 1;

// A firm that meets every 高企 criterion but one: R&D at 2.7% of sales
// (above 2亿, the bar is 3%).
const year = (y, over = {}) => ({
  staff: 300, tech_staff: 60, sales: 30000 + (y - LAST) * 1000, total_income: 31000, hightech_income: 25000,
  total_assets: 18000, rd: 810 + (y - LAST) * 27, rd_in_china: 700, ip_class1: 2, ip_class2: 5, core_ip: true,
  field_supported: true, innovation_score: 76, incident: false, dishonest: false, ...over,
});

before(async () => {
  srv = await startServer();
  [keji, gongxin, policy, admin, leader, ent, person] = await Promise.all(
    ['keji', 'gongxin', 'policy', 'admin', 'leader', 'ent', 'person'].map((u) => srv.login(u)));
  entUscc = ent.user.party;
  // Two enterprises registered before 2020 that are not the demo applicant's.
  const list = await admin.get('/api/v1/entities?per_page=100&kind=company');
  const old = list.body.items.filter((x) => x.established && x.established < '2020-01-01' && x.uscc !== entUscc);
  assert.ok(old.length >= 3, list.text);
  [uscc, other, third] = [old[0].uscc, old[1].uscc, old[2].uscc];
});
after(() => cleanup(srv));

const put = (c, u, y, facts, source = '企业年报') => c.api('PUT', `/api/v1/ladder/enterprises/${u}/facts/${y}`, { facts, source });

test('a year\'s figures are kept with their source, assembled into three-year series, and explain the verdict', async () => {
  const before = await lastAuditId(admin);
  for (const y of [LAST - 2, LAST - 1, LAST]) {
    const r = await put(keji, uscc, y, year(y));
    assert.equal(r.status, 200, r.text);
  }
  // 工信局 keeps figures too (both departments share them), one field at a time.
  const r = await put(gongxin, uscc, LAST, { sme: true, main_business_share: 82 }, '工信局走访核实');
  assert.equal(r.status, 200, r.text);
  const f = r.body.facts;
  assert.equal(r.body.facts_year, LAST);
  assert.deepEqual(f.sales_3y, [29000, 30000, 31000].map((x) => x - 1000));
  assert.deepEqual(f.rd_3y, [756, 783, 810]);
  assert.equal(f.incident_last_year, false);
  assert.equal('incident' in f, false);
  assert.ok(f.registered_on < '2020-01-01');
  const rec = r.body.years.find((x) => x.year === LAST);
  assert.equal(rec.sources.sales, '企业年报');
  assert.equal(rec.sources.sme, '工信局走访核实');
  assert.equal(rec.updated_by, 'gongxin');
  // 高企: 2349 / 87000 = 2.7% < 3% (sales above 2亿); the gap in plain Chinese.
  const gaoqi = r.body.check.rungs.find((x) => x.rung === 'gaoqi');
  assert.equal(gaoqi.eligible, false);
  assert.equal(gaoqi.why_not.length, 1, JSON.stringify(gaoqi.why_not));
  assert.match(gaoqi.why_not[0], /^近三年研发费用占销售收入 2\.7%，低于 3%（差 0\.3 个百分点，约 261 万元）$/);
  const next = r.body.next.find((x) => x.track === 'kj');
  assert.deepEqual([next.rung, next.met, next.total, next.eligible], ['kjxzx', next.met, next.total, false]);
  // Every write is audited with its object.
  const ev = (await auditAfter(admin, before)).filter((x) => x.action === 'ladder.facts');
  assert.equal(ev.length, 4);
  assert.equal(ev[0].object, `entity:${uscc}`);
  // null removes a figure; the rules then say it is unknown, never met.
  const gone = await put(keji, uscc, LAST, { innovation_score: null });
  assert.equal(gone.status, 200, gone.text);
  const g2 = gone.body.check.rungs.find((x) => x.rung === 'gaoqi');
  assert.equal(g2.criteria.find((c) => c.code === 'innovation_score').met, null);
  assert.equal(g2.eligible, false); // still false: a criterion is not met
  assert.equal((await put(keji, uscc, LAST, { innovation_score: 76 })).status, 200);
});

test('bad figures are refused with a stable code and change nothing', async () => {
  const before = (await keji.get(`/api/v1/ladder/enterprises/${uscc}`)).body.years;
  assertError(assert, await put(keji, uscc, LAST, { salez: 1 }), 400, 'ladder.unknown_fact', 'salez');
  assertError(assert, await put(keji, uscc, LAST, { staff: -3 }), 400, 'ladder.bad_fact', 'staff');
  assertError(assert, await put(keji, uscc, LAST, { staff: 1.5 }), 400, 'ladder.bad_fact', 'staff');
  assertError(assert, await put(keji, uscc, LAST, { sales: 1.234 }), 400, 'ladder.bad_fact', 'sales');
  assertError(assert, await put(keji, uscc, LAST, { debt_ratio: 120 }), 400, 'ladder.bad_fact', 'debt_ratio');
  assertError(assert, await put(keji, uscc, LAST, { core_ip: 'yes' }), 400, 'ladder.bad_fact', 'core_ip');
  assertError(assert, await put(keji, uscc, 1999, { staff: 3 }), 400, 'ladder.bad_year', 'year');
  assertError(assert, await put(keji, uscc, THIS_YEAR + 1, { staff: 3 }), 400, 'ladder.bad_year', 'year');
  assertError(assert, await put(keji, uscc, LAST, {}), 400, 'ladder.bad_facts');
  assertError(assert, await put(keji, '91210213MA00000000', LAST, { staff: 3 }), 404, 'ladder.no_entity');
  assertError(assert, await keji.api('PUT', `/api/v1/ladder/enterprises/${uscc}/facts/${LAST}`, { facts: { staff: 3 } }), 400, 'request.missing_field', 'source');
  assert.deepEqual((await keji.get(`/api/v1/ladder/enterprises/${uscc}`)).body.years, before);
});

test('an ID number asked for as an enterprise is never echoed in an error (ladder.no_entity)', async () => {
  // A person applicant's party is its ID number: asking for its own "ladder"
  // passes the scope check and finds no enterprise.
  const id = person.user.party;
  assert.match(id, /^\d{17}[\dX]$/);
  const noEcho = (r) => {
    assert.ok(!r.text.includes(id), `the ID number is echoed: ${r.text}`);
    assert.ok(!r.text.includes(id.slice(0, 14)), `part of the ID number is echoed: ${r.text}`);
  };
  let r = await person.get(`/api/v1/ladder/enterprises/${id}`);
  assertError(assert, r, 404, 'ladder.no_entity', 'uscc');
  noEcho(r);
  // The officers' routes that name an enterprise answer the same way.
  r = await keji.get(`/api/v1/ladder/enterprises/${id}`);
  assertError(assert, r, 404, 'ladder.no_entity', 'uscc');
  noEcho(r);
  r = await put(keji, id, LAST, { staff: 3 });
  assertError(assert, r, 404, 'ladder.no_entity', 'uscc');
  noEcho(r);
  r = await keji.post(`/api/v1/ladder/enterprises/${id}/visits`, { on: todayCN(), kind: 'call', note: '电话核实' });
  assertError(assert, r, 404, 'ladder.no_entity', 'uscc');
  noEcho(r);
  r = await keji.post('/api/v1/ladder/titles', { uscc: id, rung: 'gaoqi', cert_no: 'GR-ID-1', granted_on: `${LAST}-03-01`, level: 'national' });
  assertError(assert, r, 404, 'ladder.no_entity', 'uscc');
  noEcho(r);
  // An imported row naming it is refused by its line, without it.
  const csv = '\ufeff统一社会信用代码,年度,职工总数（人）\r\n' + `${id},${LAST},3\r\n`;
  r = await keji.api('POST', '/api/v1/ladder/facts/import', csv, { headers: { 'Content-Type': 'text/csv' } });
  const e = assertError(assert, r, 400, 'import.rejected');
  assert.deepEqual(e.errors.map((x) => [x.line, x.code]), [[2, 'ladder.no_entity']]);
  noEcho(r);
});

test('titles: validity from the rule, renewal, revocation, and each department only its own rungs', async () => {
  const before = await lastAuditId(admin);
  const granted = `${LAST - 1}-11-20`;
  let r = await keji.post('/api/v1/ladder/titles', { uscc, rung: 'gaoqi', cert_no: 'GR-T-0001', granted_on: granted, level: 'national' });
  assert.equal(r.status, 201, r.text);
  const t = r.body;
  // 高企 certificates are valid three years (valid_years of the rule in force that day).
  assert.equal(t.valid_until, `${LAST + 2}-11-19`);
  assert.equal(t.state, 'held');
  assert.equal(t.rung_name, '高新技术企业');
  // 工信局 does not record 科技局's rungs, nor the reverse; another
  // department's policy officer records nothing.
  assertError(assert, await gongxin.post('/api/v1/ladder/titles', { uscc, rung: 'gaoqi', cert_no: 'GR-T-0002', granted_on: granted, level: 'national' }), 403, 'ladder.forbidden');
  assertError(assert, await keji.post('/api/v1/ladder/titles', { uscc, rung: 'xjr', cert_no: 'XJ-T-1', granted_on: granted, level: 'national', valid_until: `${LAST + 2}-11-19` }), 403, 'ladder.forbidden');
  assertError(assert, await policy.post('/api/v1/ladder/titles', { uscc, rung: 'gaoqi', cert_no: 'GR-T-0003', granted_on: granted, level: 'national' }), 403, 'ladder.forbidden');
  assertError(assert, await ent.post('/api/v1/ladder/titles', { uscc: entUscc, rung: 'gaoqi', cert_no: 'GR-T-0004', granted_on: granted, level: 'national' }), 403, 'auth.forbidden');
  // Bad input.
  assertError(assert, await keji.post('/api/v1/ladder/titles', { uscc, rung: 'gaoqi', cert_no: 'GR-T-0001', granted_on: granted, level: 'national' }), 409, 'ladder.cert_exists', 'cert_no');
  assertError(assert, await keji.post('/api/v1/ladder/titles', { uscc, rung: 'zzz', cert_no: 'X1', granted_on: granted, level: 'national' }), 400, 'ladder.bad_rung', 'rung');
  assertError(assert, await keji.post('/api/v1/ladder/titles', { uscc, rung: 'gaoqi', cert_no: 'X2', granted_on: todayCN(1), level: 'national' }), 400, 'ladder.bad_date', 'granted_on');
  assertError(assert, await keji.post('/api/v1/ladder/titles', { uscc, rung: 'gaoqi', cert_no: 'X3', granted_on: granted, level: 'galactic' }), 400, 'ladder.bad_level', 'level');
  assertError(assert, await keji.post('/api/v1/ladder/titles', { uscc, rung: 'gaoqi', cert_no: 'X4', granted_on: granted, valid_until: `${LAST - 2}-01-01`, level: 'national' }), 400, 'ladder.bad_date', 'valid_until');
  // 小巨人 granted before its measure took effect (2022-06-01) needs its end day.
  assertError(assert, await gongxin.post('/api/v1/ladder/titles', { uscc, rung: 'xjr', cert_no: 'XJ-T-2', granted_on: '2021-07-01', level: 'national' }), 400, 'request.missing_field', 'valid_until');
  r = await gongxin.post('/api/v1/ladder/titles', { uscc, rung: 'xjr', cert_no: 'XJ-T-2', granted_on: '2021-07-01', valid_until: '2024-06-30', level: 'national' });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.state, 'lapsed');

  // The enterprise now holds 高企: its ladder says so, and 科技型's direct route counts it.
  const e1 = (await keji.get(`/api/v1/ladder/enterprises/${uscc}`)).body;
  assert.deepEqual(e1.facts.titles.find((x) => x.rung === 'gaoqi'), { rung: 'gaoqi', from: granted, until: `${LAST + 2}-11-19` });
  assert.ok(!e1.next.some((x) => x.rung === 'gaoqi'), 'the next 科技局 rung is no longer 高企');

  // Renewal keeps the level and links the title it renews; twice is refused.
  r = await keji.post(`/api/v1/ladder/titles/${t.id}/renew`, { cert_no: 'GR-T-0001R', granted_on: todayCN() });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.renews, t.id);
  assert.equal(r.body.level, 'national');
  assertError(assert, await keji.post(`/api/v1/ladder/titles/${t.id}/renew`, { cert_no: 'GR-T-0001S', granted_on: todayCN() }), 409, 'ladder.renewed');
  assertError(assert, await gongxin.post(`/api/v1/ladder/titles/${t.id}/revoke`, { on: todayCN(), reason: '弄虚作假' }), 403, 'ladder.forbidden');
  // Revocation with its reason; a revoked title stops counting that day.
  r = await keji.post(`/api/v1/ladder/titles/${r.body.id}/revoke`, { on: todayCN(), reason: '申报材料弄虚作假' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.state, 'revoked');
  assert.equal(r.body.reason, '申报材料弄虚作假');
  assertError(assert, await keji.post(`/api/v1/ladder/titles/${r.body.id}/revoke`, { on: todayCN(), reason: '再次' }), 409, 'ladder.revoked');
  assertError(assert, await keji.post('/api/v1/ladder/titles/999999/revoke', { on: todayCN(), reason: '无此资质' }), 404, 'ladder.no_title');
  const revoked = (await keji.get(`/api/v1/ladder/titles?state=revoked&uscc=${uscc}`)).body;
  assert.equal(revoked.total, 1);
  const acts = (await auditAfter(admin, before)).map((x) => x.action).filter((a) => a.startsWith('ladder.'));
  assert.deepEqual(acts, ['ladder.title', 'ladder.title', 'ladder.title_renew', 'ladder.title_revoke']);
});

test('a title coming due is on the expiring list and the daily job opens one reminder per threshold', async () => {
  // Granted three years less 40 days ago: ends in about 40 days.
  const d = new Date(`${todayCN()}T00:00:00Z`);
  d.setUTCFullYear(d.getUTCFullYear() - 3);
  d.setUTCDate(d.getUTCDate() + 40);
  const granted = d.toISOString().slice(0, 10);
  const r = await keji.post('/api/v1/ladder/titles', { uscc: other, rung: 'gaoqi', cert_no: 'GR-DUE-1', granted_on: granted, level: 'national' });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.state, 'expiring');
  assert.ok(r.body.days_left >= 38 && r.body.days_left <= 41, r.text);
  const list = (await keji.get('/api/v1/ladder/titles?state=expiring')).body;
  assert.ok(list.items.some((x) => x.cert_no === 'GR-DUE-1'));
  assert.equal((await keji.get('/api/v1/ladder/titles?state=expiring&within=30')).body.items.some((x) => x.cert_no === 'GR-DUE-1'), false);
  // The job, as a cron runs it: the 90-day reminder now, not again.
  for (let i = 0; i < 2; i++) {
    const run = srv.cli(['ladder', 'daily']);
    assert.equal(run.status, 0, run.stderr);
  }
  const tasks = (await keji.get('/api/v1/tasks?kind=title_expiry&state=open&per_page=100')).body.items.filter((x) => x.subject === 'GR-DUE-1');
  assert.equal(tasks.length, 1, JSON.stringify(tasks));
  assert.match(tasks[0].note, /将于 .* 到期（还有 \d+ 天，90 天提醒）/);
  // 工信局 does not get 科技局's reminder.
  const theirs = (await gongxin.get('/api/v1/tasks?kind=title_expiry&state=open&per_page=100')).body.items;
  assert.equal(theirs.some((x) => x.subject === 'GR-DUE-1'), false);
});

test('the expiring list of a department\'s officer holds its own rungs only; leaders, auditors and administrators see every one', async () => {
  // 工信局's 专精特新 title ending in 20 days, beside 科技局's GR-DUE-1 (about 40).
  const until = todayCN(20);
  const r = await gongxin.post('/api/v1/ladder/titles', { uscc: other, rung: 'zjtx', cert_no: 'ZJ-DUE-1', granted_on: `${LAST - 1}-01-10`, valid_until: until, level: 'provincial' });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.state, 'expiring');
  const certs = async (c) => {
    const l = await c.get('/api/v1/ladder/titles?state=expiring&per_page=100');
    assert.equal(l.status, 200, l.text);
    return l.body;
  };
  const kj = await certs(keji), gx = await certs(gongxin);
  assert.ok(kj.items.some((x) => x.cert_no === 'GR-DUE-1'), JSON.stringify(kj.items));
  assert.ok(kj.items.every((x) => ['kjxzx', 'gaoqi', 'rdi'].includes(x.rung)), JSON.stringify(kj.items));
  assert.equal(kj.total, kj.items.length);
  assert.deepEqual(kj.rungs, ['kjxzx', 'gaoqi', 'rdi']);
  assert.ok(gx.items.some((x) => x.cert_no === 'ZJ-DUE-1'), JSON.stringify(gx.items));
  assert.ok(gx.items.every((x) => ['cxx', 'zjtx', 'xjr', 'dxgj'].includes(x.rung)), JSON.stringify(gx.items));
  assert.deepEqual(gx.rungs, ['cxx', 'zjtx', 'xjr', 'dxgj']);
  // Asking for another department's rung gives nothing, not its titles.
  assert.equal((await keji.get('/api/v1/ladder/titles?state=expiring&rung=zjtx')).body.total, 0);
  // Those who oversee see both; 人社局's officer keeps no rung and sees none.
  for (const c of [leader, admin]) {
    const all = await certs(c);
    assert.ok(['GR-DUE-1', 'ZJ-DUE-1'].every((n) => all.items.some((x) => x.cert_no === n)), JSON.stringify(all.items));
    assert.deepEqual(all.rungs, ['kjxzx', 'gaoqi', 'cxx', 'zjtx', 'xjr', 'dxgj', 'rdi']);
  }
  const none = await certs(policy);
  assert.deepEqual([none.total, none.items, none.rungs], [0, [], []]);
  // The register itself (held titles) stays public to every official the route admits.
  assert.ok((await keji.get('/api/v1/ladder/titles?state=held&rung=zjtx')).body.items.some((x) => x.cert_no === 'ZJ-DUE-1'));
});

test('a 资质到期提醒 falls due on the title\'s last day when that comes before its kind\'s period', async () => {
  // ZJ-DUE-1 ends in 20 days: 20 working days would run past it.
  const run = srv.cli(['ladder', 'daily']);
  assert.equal(run.status, 0, run.stderr);
  const tasks = (await gongxin.get('/api/v1/tasks?kind=title_expiry&state=open&per_page=100')).body.items.filter((x) => x.subject === 'ZJ-DUE-1');
  // One reminder, the nearest: not the 90-day one and the 30-day one at once.
  assert.equal(tasks.length, 1, JSON.stringify(tasks));
  assert.match(tasks[0].note, /（还有 (19|20|21) 天，30 天提醒）/);
  for (const t of tasks) {
    const dueDay = new Date(t.due_at + 8 * 3600_000).toISOString().slice(0, 10);
    assert.equal(dueDay, todayCN(20), JSON.stringify(t));
  }
  // GR-DUE-1 (about 40 days) keeps its kind's period, which ends before the title.
  const kj = (await keji.get('/api/v1/tasks?kind=title_expiry&state=open&per_page=100')).body.items.find((x) => x.subject === 'GR-DUE-1');
  const kjDue = new Date(kj.due_at + 8 * 3600_000).toISOString().slice(0, 10);
  const kjEnd = (await keji.get('/api/v1/ladder/titles?state=expiring&per_page=100')).body.items.find((x) => x.cert_no === 'GR-DUE-1').valid_until;
  assert.ok(kjDue < kjEnd, `${kjDue} ${kjEnd}`);
});

test('the rungs name the department that keeps each, as the parameter in force today says, and list 研发机构 without a rule', async () => {
  const r = await ent.get('/api/v1/ladder/rungs');
  assert.equal(r.status, 200, r.text);
  const items = r.body.items;
  assert.deepEqual(items.map((x) => x.code), ['kjxzx', 'gaoqi', 'cxx', 'zjtx', 'xjr', 'dxgj', 'rdi']);
  const dept = Object.fromEntries(items.map((x) => [x.code, x.dept && x.dept.code]));
  assert.deepEqual(dept, { kjxzx: 'kjj', gaoqi: 'kjj', rdi: 'kjj', cxx: 'gxj', zjtx: 'gxj', xjr: 'gxj', dxgj: 'gxj' });
  const kjj = items.find((x) => x.code === 'gaoqi').dept;
  assert.equal(kjj.name, '科技局');
  assert.equal(kjj.id, keji.user.dept_id);
  const rdi = items.find((x) => x.code === 'rdi');
  assert.equal(rdi.name, '研发机构');
  assert.deepEqual([rdi.rule, rdi.versions, rdi.valid_years], [false, [], null]);
  assert.ok(items.filter((x) => x.code !== 'rdi').every((x) => x.rule === true && x.versions.length >= 1 && x.valid_years >= 1));
  // A new version of the parameter from tomorrow changes nothing today.
  const p = await admin.api('PUT', '/api/v1/params/ladder/rung_depts', {
    value: { kjxzx: 'kjj', gaoqi: 'kjj', rdi: 'gxj', cxx: 'gxj', zjtx: 'gxj', xjr: 'gxj', dxgj: 'gxj' }, effective_from: todayCN(1),
  });
  assert.ok(p.status === 200 || p.status === 201, p.text);
  assert.equal((await keji.get('/api/v1/ladder/rungs')).body.items.find((x) => x.code === 'rdi').dept.code, 'kjj');
});

test('decimals come out in their shortest form, over HTTP and on the command line', async () => {
  // 0.1 and 370.3 are not exact in binary: with 17 digits they read 0.10000000000000001, 370.30000000000001.
  const facts = {
    registered_on: '2018-03-01', staff: 120, tech_staff: 30, sales: 12000.1, sales_3y: [8000.1, 10000.2, 12000.1],
    rd_3y: [300.1, 320.2, 370.3], rd_in_china_3y: [300, 320, 370], total_income: 12500, hightech_income: 9000,
    total_assets: 15000, ip_class1: 1, ip_class2: 3, core_ip: true, field_supported: true, innovation_score: 78,
    incident_last_year: false, dishonest: false, titles: [], main_business_share: 70.3, debt_ratio: 55.1, equity_2y: 0.1,
  };
  const long = /\d\.\d*\d{12}/;
  const r = await keji.post('/api/v1/ladder/check', { facts, on: todayCN() });
  assert.equal(r.status, 200, r.text);
  assert.doesNotMatch(r.text, long);
  const gaoqi = r.body.rungs.find((x) => x.rung === 'gaoqi');
  assert.deepEqual(gaoqi.criteria.find((c) => c.code === 'rd_ratio').threshold, 0.04);
  assert.match(r.text, /"value":0\.033[,}]/);
  // A figure stored and read back.
  const p = await put(keji, third, LAST, { sales: 15000.1, debt_ratio: 0.1 });
  assert.equal(p.status, 200, p.text);
  assert.doesNotMatch(p.text, long);
  assert.match(p.text, /"sales":15000\.1[,}]/);
  // The command line's JSON likewise.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xinqu-ladder-real-'));
  try {
    fs.writeFileSync(path.join(dir, 'f.json'), JSON.stringify(facts));
    const c = srv.cli(['ladder', 'check', path.join(dir, 'f.json')]);
    assert.equal(c.status, 0, c.stderr);
    assert.doesNotMatch(c.stdout, long);
    assert.deepEqual(JSON.parse(c.stdout).rungs.map((x) => x.rung), ['kjxzx', 'gaoqi', 'cxx', 'zjtx', 'xjr', 'dxgj']);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the 培育库 ranks the firms at their next rung, each department its own rungs', async () => {
  // A small firm with three years of figures, holding nothing: 科技型 is its next 科技局 rung.
  for (const y of [LAST - 2, LAST - 1, LAST]) {
    const r = await put(keji, third, y, year(y, { sales: 15000, total_income: 15500, hightech_income: 12000, total_assets: 12000, rd: 900 }));
    assert.equal(r.status, 200, r.text);
  }
  const pool = (await keji.get('/api/v1/ladder/pool?per_page=100')).body;
  assert.ok(pool.items.every((x) => ['kjxzx', 'gaoqi'].includes(x.rung)), JSON.stringify(pool.items));
  const mine = pool.items.filter((x) => x.uscc === third);
  assert.deepEqual(mine.map((x) => x.rung), ['kjxzx']);
  assert.ok(mine[0].total > 0 && mine[0].met <= mine[0].total && Array.isArray(mine[0].gaps));
  // `uscc` holds 高企, the top of 科技局's track: nothing next there.
  assert.equal(pool.items.some((x) => x.uscc === uscc), false);
  const gx = (await gongxin.get('/api/v1/ladder/pool?per_page=100')).body;
  assert.ok(gx.items.every((x) => ['cxx', 'zjtx', 'xjr', 'dxgj'].includes(x.rung)), JSON.stringify(gx.items));
  assert.ok(gx.items.some((x) => x.uscc === third && x.rung === 'cxx'));
  const ranked = (await leader.get('/api/v1/ladder/pool?per_page=100')).body.items;
  for (let i = 1; i < ranked.length; i++) {
    const a = ranked[i - 1], b = ranked[i];
    assert.ok((a.eligible === true) >= (b.eligible === true), 'ready ones first');
    if ((a.eligible === true) === (b.eligible === true)) assert.ok(a.met / a.total >= b.met / b.total - 1e-9, 'nearest first');
  }
  assertError(assert, await keji.get('/api/v1/ladder/pool?rung=rdi'), 400, 'ladder.bad_rung', 'rung');
  // Another department's policy officer (人社局) keeps no rung: an empty pool, no enterprise's figures.
  assert.deepEqual((await policy.get('/api/v1/ladder/pool')).body.items, []);
  assert.equal((await policy.get('/api/v1/ladder/pool?rung=gaoqi')).body.total, 0);
});

test('an enterprise sees its own ladder (自评) without the officers\' visits, and nobody else\'s', async () => {
  assert.equal((await put(keji, entUscc, LAST, year(LAST))).status, 200);
  const v = await keji.post(`/api/v1/ladder/enterprises/${entUscc}/visits`, { on: todayCN(), kind: 'visit', note: '上门辅导研发费用归集', next_step: '复核研发台账', next_on: todayCN(7) });
  assert.equal(v.status, 201, v.text);
  assert.equal(v.body.visits[0].by, 'keji');
  assertError(assert, await keji.post(`/api/v1/ladder/enterprises/${entUscc}/visits`, { on: todayCN(), kind: 'dinner', note: 'x' }), 400, 'ladder.bad_visit_kind', 'kind');
  assertError(assert, await keji.post(`/api/v1/ladder/enterprises/${entUscc}/visits`, { on: todayCN(), kind: 'call', note: 'x', next_step: '再联系' }), 400, 'ladder.next_step_incomplete', 'next_on');
  const self = await ent.get(`/api/v1/ladder/enterprises/${entUscc}`);
  assert.equal(self.status, 200, self.text);
  assert.equal('visits' in self.body, false);
  assert.equal(self.body.check.rungs.length, 6);
  assert.ok(self.body.check.rungs.every((x) => x.why_not.every(hasChinese)));
  assertError(assert, await ent.get(`/api/v1/ladder/enterprises/${uscc}`), 404, 'ladder.not_found', 'uscc');
  assertError(assert, await person.get(`/api/v1/ladder/enterprises/${entUscc}`), 404, 'ladder.not_found', 'uscc');
  assertError(assert, await policy.get(`/api/v1/ladder/enterprises/${entUscc}`), 404, 'ladder.not_found', 'uscc');
  // A what-if check is anyone's.
  const w = await ent.post('/api/v1/ladder/check', { facts: { staff: 10 }, on: '2024-06-01' });
  assert.equal(w.status, 200, w.text);
  assert.equal(w.body.rungs.find((x) => x.rung === 'gaoqi').eligible, null);
  assertError(assert, await ent.post('/api/v1/ladder/check', { facts: [] }), 400, 'ladder.bad_facts');
  assertError(assert, await ent.post('/api/v1/ladder/check', { facts: {}, on: 20240601 }), 400, 'ladder.bad_date', 'on');
  assertError(assert, await ent.post('/api/v1/ladder/check', { facts: {}, on: '2026-02-29' }), 400, 'ladder.bad_date', 'on');
});

test('the facts ledger imports all or nothing with line numbers, and exports back', async () => {
  assert.equal((await put(keji, other, LAST, year(LAST, { rd: 1500 }))).status, 200);
  const head = ['统一社会信用代码', '年度', '数据来源', '职工总数（人）', '销售收入（万元）', '拥有核心知识产权'];
  const csv = (rows) => '\ufeff' + [head, ...rows].map((r) => r.join(',')).join('\r\n') + '\r\n';
  const post = (c, body, q = '') => c.api('POST', `/api/v1/ladder/facts/import${q}`, body, { headers: { 'Content-Type': 'text/csv' } });
  const bad = await post(keji, csv([[other, String(LAST), '统计年报', '310', '"21,000.50"', '是'], [other, String(LAST), '', '-1', '5', '否'], ['91210213MA00000000', String(LAST), '', '3', '5', '否']]));
  const e = assertError(assert, bad, 400, 'import.rejected');
  assert.deepEqual(e.errors.map((x) => x.line), [3, 4]);
  assert.equal((await keji.get(`/api/v1/ladder/enterprises/${other}`)).body.years.find((x) => x.year === LAST).facts.staff, 300);
  const dry = await post(keji, csv([[other, String(LAST), '统计年报', '310', '"21,000.50"', '是']]), '?dry_run=1');
  assert.equal(dry.status, 200, dry.text);
  assert.equal(dry.body.imported, 0);
  const ok = await post(keji, csv([[other, String(LAST), '统计年报', '310', '"21,000.50"', '是']]));
  assert.equal(ok.status, 200, ok.text);
  const rec = (await keji.get(`/api/v1/ladder/enterprises/${other}`)).body.years.find((x) => x.year === LAST);
  assert.equal(rec.facts.staff, 310);
  assert.equal(rec.facts.sales, 21000.5);
  assert.equal(rec.sources.staff, '统计年报');
  assert.equal(rec.facts.rd, 1500); // a column not in the file is left as it was
  assertError(assert, await post(policy, csv([])), 403, 'ladder.forbidden');
  const x = await keji.get(`/api/v1/ladder/facts/export?year=${LAST}&format=xlsx`);
  assert.equal(x.status, 200);
  const rows = readXlsx(x.bytes);
  const hr = rows.findIndex((r) => r[0] === '统一社会信用代码');
  assert.ok(hr >= 0);
  assert.ok(rows.slice(hr + 1).some((r) => r[0] === other));
  const c = await keji.get(`/api/v1/ladder/facts/export?year=${LAST}`);
  assert.ok(parseCsv(c.text).some((r) => r[0] === other));
});

test('the figures by year: held, granted, renewals, revocations; and a new rule version from its day', async () => {
  const s = (await leader.get(`/api/v1/ladder/stats?year=${THIS_YEAR}`)).body;
  const g = s.rungs.find((x) => x.rung === 'gaoqi');
  assert.ok(g.granted >= 1 && g.renewed >= 1 && g.revoked >= 1, JSON.stringify(g));
  assert.equal(s.series.at(-1).year, THIS_YEAR);
  assert.equal(s.series[0].year, 2017);
  const xl = await leader.get(`/api/v1/ladder/stats/export?year=${THIS_YEAR}`);
  assert.equal(xl.status, 200);
  assert.ok(readXlsx(xl.bytes).some((r) => r[0] === '高新技术企业'));
  assertError(assert, await leader.get('/api/v1/ladder/stats?year=1990'), 400, 'request.bad_param', 'year');
  // Rule versions: only administrators publish, from today on; the old day keeps the old rule.
  const old = (await admin.get('/api/v1/ladder/rules/kjxzx/1')).body.source;
  const tomorrow = todayCN(1);
  const v2 = old.replace('-- version: 1', '-- version: 2').replace(/-- effective_from: .*/, `-- effective_from: ${tomorrow}`);
  assertError(assert, await keji.post('/api/v1/ladder/rules', { source: v2 }), 403, 'auth.forbidden');
  assertError(assert, await admin.post('/api/v1/ladder/rules', { source: v2.replace(tomorrow, '2020-01-01') }), 400, 'ladder.in_the_past');
  assertError(assert, await admin.post('/api/v1/ladder/rules', { source: '-- rung: kjxzx\n-- version: 3\n-- effective_from: 2999-01-01\nlocal x = = 1' }), 400, 'rule.syntax');
  const r = await admin.post('/api/v1/ladder/rules', { source: v2 });
  assert.equal(r.status, 201, r.text);
  assertError(assert, await admin.post('/api/v1/ladder/rules', { source: v2 }), 409, 'ladder.version_exists');
  const rungs = (await keji.get('/api/v1/ladder/rungs')).body.items;
  assert.deepEqual(rungs.find((x) => x.code === 'kjxzx').versions.map((v) => v.version), [1, 2]);
  const today = await keji.post('/api/v1/ladder/check', { facts: {}, on: todayCN() });
  const later = await keji.post('/api/v1/ladder/check', { facts: {}, on: tomorrow });
  assert.equal(today.body.rungs[0].rule_version, 1);
  assert.equal(later.body.rungs[0].rule_version, 2);
});
