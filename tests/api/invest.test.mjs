// invest.test.mjs — 招商 projects (issue 14): a project from 线索 to 达产
// with the evidence each stage needs, funds in place in exact money with
// the day's rate kept, and who may see and move which project.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, cleanup, assertError, auditAfter, lastAuditId, todayCN, entityBody } from './lib.mjs';

const STRONG = 'Invest#Test-2026x';
let srv, invest, admin, leader, auditor, clerk, ent, other, uscc;

before(async () => {
  srv = await startServer();
  [invest, admin, leader, auditor, clerk, ent] = await Promise.all(
    ['invest', 'admin', 'leader', 'auditor', 'clerk', 'ent'].map((u) => srv.login(u)));
  // A second department's investment officer.
  const r = await admin.post('/api/v1/users', { username: 'fgj_invest', role: 'invest', dept_code: 'fgj', password: STRONG, display: '钱招商' });
  assert.equal(r.status, 201, r.text);
  other = await srv.loginIssued('fgj_invest', STRONG);
  uscc = (await admin.get('/api/v1/entities?per_page=1')).body.items[0].uscc;
});
after(() => cleanup(srv));

function ok(r, status = 200) {
  assert.equal(r.status, status, r.text);
  return r.body;
}

const lead = (over = {}) => ({
  name: '克诺尔汽车零部件新工厂',
  industry: 'C',
  origin: 'foreign',
  planned: '1,200,000,000.00',
  planned_usd: '180,000,000',
  investors: [{ kind: 'foreign', name: 'Knorr-Bremse AG', country: 'DE', share: '100' }],
  ...over,
});

test('a project goes from 线索 to 达产, each stage with its evidence, in order', async () => {
  const before = await lastAuditId(auditor);
  const p = ok(await invest.post('/api/v1/invest/projects', lead()), 201);
  assert.match(p.code, new RegExp(`^ZS${todayCN().slice(0, 4)}\\d{6}$`));
  assert.equal(p.stage, 'lead');
  assert.equal(p.stage_label, '线索');
  assert.deepEqual(p.planned, { amount: '1200000000.00', currency: 'CNY', minor: 120000000000 });
  assert.equal(p.planned_usd.minor, 18000000000);
  assert.equal(p.owner.username, 'invest');
  assert.deepEqual(p.investors.map((v) => [v.kind, v.country, v.country_name, v.share]), [['foreign', 'DE', '德国', '100.00']]);
  assert.deepEqual(p.moves.map((m) => m.action).sort(), ['negotiate', 'stop']);

  // A stage cannot be skipped: the refusal names the moves the stage allows, and nothing moves.
  const skip = await invest.post(`/api/v1/invest/projects/${p.code}/moves/sign`, { signed_on: todayCN(), contract_amount: '1' });
  assertError(assert, skip, 409, 'invest.bad_state');
  ok(await invest.post(`/api/v1/invest/projects/${p.code}/moves/negotiate`, {}));
  // 签约 needs the contract date and amount.
  assertError(assert, await invest.post(`/api/v1/invest/projects/${p.code}/moves/sign`, { signed_on: todayCN() }), 400, 'invest.evidence_missing', 'contract_amount');
  assertError(assert, await invest.post(`/api/v1/invest/projects/${p.code}/moves/sign`, { contract_amount: '5' }), 400, 'invest.evidence_missing', 'signed_on');
  assertError(assert, await invest.post(`/api/v1/invest/projects/${p.code}/moves/sign`, { signed_on: todayCN(1), contract_amount: '5' }), 400, 'invest.bad_date', 'signed_on');
  assertError(assert, await invest.post(`/api/v1/invest/projects/${p.code}/moves/sign`, { signed_on: todayCN(), contract_amount: '5.001' }), 400, 'money.too_precise', 'contract_amount');
  const unchanged = ok(await invest.get(`/api/v1/invest/projects/${p.code}`));
  assert.equal(unchanged.stage, 'talks');
  const signed = ok(await invest.post(`/api/v1/invest/projects/${p.code}/moves/sign`, { signed_on: todayCN(), contract_amount: '1,150,000,000.50', version: unchanged.version }));
  assert.equal(signed.stage, 'signed');
  assert.equal(signed.signed_on, todayCN());
  assert.equal(signed.contract_amount.minor, 115000000050);
  // A move on a version someone else already moved is refused.
  assertError(assert, await invest.post(`/api/v1/invest/projects/${p.code}/moves/register`, { uscc, version: unchanged.version }), 409, 'invest.conflict');

  // 注册 links a registry entity that exists.
  assertError(assert, await invest.post(`/api/v1/invest/projects/${p.code}/moves/register`, {}), 400, 'invest.evidence_missing', 'uscc');
  assertError(assert, await invest.post(`/api/v1/invest/projects/${p.code}/moves/register`, { uscc: entityBody().uscc }), 400, 'invest.unknown_entity', 'uscc');
  assertError(assert, await invest.post(`/api/v1/invest/projects/${p.code}/moves/register`, { uscc: '91210213MA0000000X' }), 400, 'entity.bad_uscc', 'uscc');
  ok(await invest.post(`/api/v1/invest/projects/${p.code}/moves/register`, { uscc }));

  // 开工 needs a parcel the entity holds (or its issued permit case).
  assertError(assert, await invest.post(`/api/v1/invest/projects/${p.code}/moves/start`, { started_on: todayCN() }), 400, 'invest.evidence_missing', 'parcel');
  const parcel = `金普-ZS-${Date.now() % 1e6}`;
  ok(await invest.post('/api/v1/parcels', { code: parcel, name: '克诺尔新工厂地块', district: '金州' }), 201);
  assertError(assert, await invest.post(`/api/v1/invest/projects/${p.code}/moves/start`, { started_on: todayCN(), parcel }), 400, 'invest.parcel_not_held', 'parcel');
  ok(await invest.post(`/api/v1/parcels/${encodeURIComponent(parcel)}/contract`, { contract_no: 'JP-TD-2026-1', holder: uscc }));
  ok(await invest.post(`/api/v1/invest/projects/${p.code}/moves/start`, { started_on: todayCN(), parcel }));
  ok(await invest.post(`/api/v1/invest/projects/${p.code}/moves/produce`, { producing_on: todayCN() }));
  // 投产 is past the point a project can be stopped.
  assertError(assert, await invest.post(`/api/v1/invest/projects/${p.code}/moves/stop`, { reason: '外方撤资' }), 409, 'invest.bad_state');
  const full = ok(await invest.post(`/api/v1/invest/projects/${p.code}/moves/reach_full`, { full_on: todayCN() }));
  assert.equal(full.stage, 'full');
  assert.deepEqual(full.moves, []);
  assert.deepEqual(full.timeline.map((t) => t.action), ['create', 'negotiate', 'sign', 'register', 'start', 'produce', 'reach_full']);
  assert.equal(full.timeline[2].note.contract_amount, '1,150,000,000.50');
  assert.equal(full.timeline[4].note.parcel, parcel);
  assert.ok(full.timeline.every((t) => t.actor === 'invest'));
  const audit = await auditAfter(auditor, before, '&action=invest.move');
  assert.equal(audit.length, 6, 'one audit event per move, none for the refusals');
});

test('a project may stop before 投产, with its reason; the stage it stopped from is kept', async () => {
  const p = ok(await invest.post('/api/v1/invest/projects', lead({ name: '众益·圆梦海岸', origin: 'domestic', planned: '8000000000', planned_usd: undefined, industry: 'K', investors: [{ kind: 'entity', code: uscc, name: '大连示例公司', share: '100' }] })), 201);
  assert.equal(p.investors[0].province, uscc.slice(2, 4));
  assert.equal(p.investors[0].province_name, '辽宁省');
  assertError(assert, await invest.post(`/api/v1/invest/projects/${p.code}/moves/stop`, {}), 400, 'invest.evidence_missing', 'reason');
  const s = ok(await invest.post(`/api/v1/invest/projects/${p.code}/moves/stop`, { reason: '投资方调整战略' }));
  assert.equal(s.stage, 'stopped');
  assert.equal(s.stop_reason, '投资方调整战略');
  assertError(assert, await invest.post(`/api/v1/invest/projects/${p.code}/moves/negotiate`, {}), 409, 'invest.bad_state');
});

test('a new project is refused, with nothing written, when its facts are wrong', async () => {
  const before = await lastAuditId(auditor);
  const cases = [
    [{ industry: 'Z' }, 'invest.bad_industry', 'industry'],
    [{ origin: 'mixed' }, 'invest.bad_origin', 'origin'],
    [{ planned: '12.345' }, 'money.too_precise', 'planned'],
    [{ planned: '一亿' }, 'money.bad_amount', 'planned'],
    [{ planned: '0' }, 'invest.bad_amount', 'planned'],
    [{ planned_usd: undefined }, 'invest.bad_amount', 'planned_usd'],
    [{ investors: [] }, 'invest.bad_investors', 'investors'],
    [{ investors: [{ kind: 'foreign', name: 'X', country: 'XX', share: '100' }] }, 'invest.bad_country', 'investors.0'],
    [{ investors: [{ kind: 'foreign', name: 'X', country: 'CN', share: '100' }] }, 'invest.bad_country', 'investors.0'],
    [{ investors: [{ kind: 'foreign', name: 'X', country: 'DE', share: '60' }] }, 'invest.shares_not_100', 'investors'],
    [{ investors: [{ kind: 'foreign', name: 'X', country: 'DE', share: '100.001' }] }, 'money.too_precise', 'investors.0'],
    [{ investors: [{ kind: 'entity', code: '91210213MA0000000X', name: 'X', share: '100' }] }, 'invest.bad_uscc', 'investors.0'],
    [{ investors: [{ kind: 'entity', code: uscc, name: 'X', share: '100', province: '99' }] }, 'invest.bad_province', 'investors.0'],
    [{ investors: [{ kind: 'robot', name: 'X', share: '100' }] }, 'invest.bad_investor_kind', 'investors.0'],
    [{ investors: [{ kind: 'foreign', name: 'X', country: 'DE', share: '100', extra: 1 }] }, 'request.unknown_field', 'investors.0.extra'],
    [{ owner: 'clerk' }, 'invest.bad_owner', 'owner'],
    [{ owner: 'fgj_invest' }, 'invest.bad_owner', 'owner'],
    [{ name: 'x' }, 'request.too_short', 'name'],
  ];
  for (const [over, code, field] of cases) assertError(assert, await invest.post('/api/v1/invest/projects', lead(over)), 400, code, field);
  assertError(assert, await admin.post('/api/v1/invest/projects', lead()), 400, 'invest.bad_owner', 'owner');
  assert.equal((await auditAfter(auditor, before, '&action=invest.create')).length, 0);
});

test('funds in place: exact money in its currency, the day\'s rate kept, dollars for foreign funds', async () => {
  const p = ok(await invest.post('/api/v1/invest/projects', lead({ name: '富士电梯及升降设备' })), 201);
  const fund = { on: todayCN(), amount: '10,000,000.00', currency: 'USD', rate: '7.1234', kind: 'fixed', source: 'foreign' };
  assertError(assert, await invest.post(`/api/v1/invest/projects/${p.code}/funds`, fund), 409, 'invest.not_signed');
  ok(await invest.post(`/api/v1/invest/projects/${p.code}/moves/negotiate`, {}));
  ok(await invest.post(`/api/v1/invest/projects/${p.code}/moves/sign`, { signed_on: todayCN(), contract_amount: '100000000' }));
  const f1 = ok(await invest.post(`/api/v1/invest/projects/${p.code}/funds`, fund), 201).funds[0];
  assert.deepEqual([f1.amount.minor, f1.amount.currency, f1.rate, f1.cny.minor, f1.usd.minor], [1000000000, 'USD', '7.1234', 7123400000, 1000000000]);
  // Euros: yuan and dollars at the day's rates, each rounded once, half away from zero.
  const eur = { ...fund, amount: '0.05', currency: 'EUR', rate: '7.7', usd_rate: '1.09' };
  assertError(assert, await invest.post(`/api/v1/invest/projects/${p.code}/funds`, { ...eur, usd_rate: undefined }), 400, 'invest.rate_missing', 'usd_rate');
  assertError(assert, await invest.post(`/api/v1/invest/projects/${p.code}/funds`, { ...eur, rate: undefined }), 400, 'invest.rate_missing', 'rate');
  const f2 = ok(await invest.post(`/api/v1/invest/projects/${p.code}/funds`, eur), 201).funds[1];
  assert.deepEqual([f2.cny.minor, f2.usd.minor], [39, 5]); // 0.385 元 → 0.39; 0.0545 $ → 0.05
  // Domestic funds are in yuan; a wrong kind, source, date or currency writes nothing.
  const dom = { on: todayCN(), amount: '330,300,000', kind: 'working', source: 'out_of_province' };
  const bad = [
    [{ ...dom, currency: 'USD', rate: '7' }, 'invest.bad_currency', 'currency'],
    [{ ...dom, currency: 'XYZ' }, 'money.bad_currency', 'currency'],
    [{ ...dom, kind: 'loan' }, 'invest.bad_fund_kind', 'kind'],
    [{ ...dom, source: 'mars' }, 'invest.bad_source', 'source'],
    [{ ...dom, on: todayCN(1) }, 'invest.bad_date', 'on'],
    [{ ...dom, amount: '-5' }, 'invest.bad_amount', 'amount'],
    [{ ...fund, rate: '0' }, 'money.bad_rate', 'rate'],
  ];
  for (const [b, code, field] of bad) assertError(assert, await invest.post(`/api/v1/invest/projects/${p.code}/funds`, b), 400, code, field);
  const f3 = ok(await invest.post(`/api/v1/invest/projects/${p.code}/funds`, dom), 201).funds[2];
  assert.deepEqual([f3.amount.minor, f3.cny.minor, f3.rate, f3.usd], [33030000000, 33030000000, '1', undefined]);
  assert.equal(ok(await invest.get(`/api/v1/invest/projects/${p.code}`)).funds.length, 3);
});

test('who: the department\'s officers act, leaders and auditors read, other departments and everyone else see nothing', async () => {
  const p = ok(await invest.post('/api/v1/invest/projects', lead({ name: '大连数谷·华润置地智慧生命科技园', origin: 'domestic', planned_usd: undefined, industry: 'M', investors: [{ kind: 'entity', code: uscc, name: '华润置地', share: '100' }] })), 201);
  for (const c of [leader, auditor]) {
    const v = ok(await c.get(`/api/v1/invest/projects/${p.code}`));
    assert.deepEqual(v.moves, [], 'readers take no moves');
    assert.ok(ok(await c.get('/api/v1/invest/projects?per_page=100')).items.some((x) => x.code === p.code));
    assertError(assert, await c.post(`/api/v1/invest/projects/${p.code}/moves/negotiate`, {}), 403, 'auth.forbidden');
  }
  // Another department's officer: not found, not listed, cannot move it or add funds.
  assertError(assert, await other.get(`/api/v1/invest/projects/${p.code}`), 404, 'invest.not_found');
  assert.ok(!ok(await other.get('/api/v1/invest/projects?per_page=100')).items.some((x) => x.code === p.code));
  assertError(assert, await other.post(`/api/v1/invest/projects/${p.code}/moves/negotiate`, {}), 404, 'invest.not_found');
  assertError(assert, await other.post(`/api/v1/invest/projects/${p.code}/funds`, { on: todayCN(), amount: '1', kind: 'fixed', source: 'in_province' }), 404, 'invest.not_found');
  // Its own project is its own; the administrator may name it as owner.
  const q = ok(await admin.post('/api/v1/invest/projects', lead({ owner: 'fgj_invest' })), 201);
  assert.equal(q.department, '发展和改革局');
  assert.ok(ok(await other.get('/api/v1/invest/projects')).items.some((x) => x.code === q.code));
  assertError(assert, await invest.get(`/api/v1/invest/projects/${q.code}`), 404, 'invest.not_found');
  for (const c of [clerk, ent]) {
    assertError(assert, await c.get(`/api/v1/invest/projects/${p.code}`), 403, 'auth.forbidden');
    assertError(assert, await c.get('/api/v1/invest/projects'), 403, 'auth.forbidden');
  }
  // The list filters by stage, owner and name.
  const byName = ok(await invest.get(`/api/v1/invest/projects?q=${encodeURIComponent('数谷')}`));
  assert.deepEqual(byName.items.map((x) => x.code), [p.code]);
  assert.ok(ok(await invest.get('/api/v1/invest/projects?stage=lead&per_page=100')).items.every((x) => x.stage === 'lead'));
  assertError(assert, await invest.get('/api/v1/invest/projects?stage=moon'), 400, 'invest.bad_stage', 'stage');
  assert.deepEqual(ok(await invest.get('/api/v1/invest/projects?q=%25')).items, [], 'a % is a character, not a wildcard');
});

test('the stages are a workflow the web app reads its labels from', async () => {
  const all = ok(await invest.get('/api/v1/workflows'));
  const wf = (all.items || all).find((w) => w.kind === 'invest');
  assert.ok(wf, JSON.stringify(all).slice(0, 200));
  assert.deepEqual(wf.states.map((s) => s.label), ['线索', '在谈', '签约', '注册', '开工', '投产', '达产', '中止']);
});
