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
    [{ investors: [{ kind: 'foreign', name: 'X', country: 'DE', share: '100.001' }] }, 'invest.bad_share', 'investors.0'],
    [{ investors: [{ kind: 'foreign', name: 'X', country: 'DE', share: '五成' }] }, 'invest.bad_share', 'investors.0'],
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
  const q = ok(await admin.post('/api/v1/invest/projects', lead({ name: '发改局的外资项目', owner: 'fgj_invest' })), 201);
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

test('招商活动: kinds from the administrators\' list, dates in order, the department\'s officers; listed within the department', async () => {
  const before = await lastAuditId(auditor);
  const act = { kind: '推介会', title: '2026年东京招商推介会', start_on: todayCN(-3), end_on: todayCN(-2), city: '东京', country: 'JP', investors_met: 12 };
  const a = ok(await invest.post('/api/v1/invest/activities', act), 201);
  assert.deepEqual([a.kind, a.country_name, a.officers, a.investors_met, a.leads], ['推介会', '日本', ['invest'], 12, 0]);
  const bad = [
    [{ kind: '喝茶' }, 'invest.bad_activity_kind', 'kind'],
    [{ end_on: todayCN(-4) }, 'invest.bad_date', 'end_on'],
    [{ start_on: '2026-02-30' }, 'invest.bad_date', 'start_on'],
    [{ country: 'ZZ' }, 'invest.bad_country', 'country'],
    [{ country: 'JP', province: '21' }, 'invest.bad_province', 'province'],
    [{ officers: ['fgj_invest'] }, 'invest.bad_officer', 'officers'],
    [{ officers: ['clerk'] }, 'invest.bad_officer', 'officers'],
    [{ title: 'x' }, 'request.too_short', 'title'],
  ];
  for (const [over, code, field] of bad) assertError(assert, await invest.post('/api/v1/invest/activities', { ...act, ...over }), 400, code, field);
  assertError(assert, await admin.post('/api/v1/invest/activities', act), 403, 'auth.forbidden');
  assert.equal((await auditAfter(auditor, before, '&action=invest.activity')).length, 1);
  // A lead from the activity counts as its lead; another department's activity cannot be named.
  ok(await invest.post('/api/v1/invest/projects', lead({ name: '东京推介会线索项目', activity: a.id })), 201);
  assertError(assert, await other.post('/api/v1/invest/projects', lead({ activity: a.id })), 400, 'invest.bad_activity', 'activity');
  const mine = ok(await invest.get(`/api/v1/invest/activities?from=${todayCN(-3)}&to=${todayCN()}`));
  assert.equal(mine.items.find((x) => x.id === a.id).leads, 1);
  assert.ok(!ok(await other.get('/api/v1/invest/activities')).items.some((x) => x.id === a.id));
  assert.ok(ok(await leader.get('/api/v1/invest/activities')).items.some((x) => x.id === a.id));
  assertError(assert, await invest.get('/api/v1/invest/activities?from=2026-13-01'), 400, 'invest.bad_period', 'from');
  // The officers an activity may name: the department's (the dialog's choices), several at once.
  const offered = ok(await invest.get('/api/v1/invest/officers')).items.map((x) => x.username);
  assert.deepEqual(offered, ['invest', 'invest2']);
  assert.deepEqual(ok(await other.get('/api/v1/invest/officers')).items.map((x) => x.username), ['fgj_invest']);
  assert.ok(ok(await admin.get('/api/v1/invest/officers')).items.some((x) => x.username === 'fgj_invest'));
  const two = ok(await invest.post('/api/v1/invest/activities', { ...act, officers: ['invest', 'invest2'] }), 201);
  assert.deepEqual(two.officers, ['invest', 'invest2']);
});

test('the report counts what was recorded, by the formulas it states', async () => {
  // A second server on an empty pipeline, so every figure is known.
  const s2 = await startServer();
  try {
    const [o, l] = await Promise.all(['invest', 'leader'].map((u) => s2.login(u)));
    const u2 = (await o.get('/api/v1/entities?per_page=1')).body.items[0].uscc;
    const mk = async (over) => ok(await o.post('/api/v1/invest/projects', lead(over)), 201).code;
    const sign = async (code, amount, on = todayCN()) => {
      ok(await o.post(`/api/v1/invest/projects/${code}/moves/negotiate`, {}));
      ok(await o.post(`/api/v1/invest/projects/${code}/moves/sign`, { signed_on: on, contract_amount: amount }));
    };
    const f = await mk({ name: '外资一号项目' });
    await sign(f, '300,000,000');
    const d1 = await mk({ name: '内资一号项目', origin: 'domestic', planned_usd: undefined, industry: 'I', investors: [{ kind: 'entity', code: u2, name: '甲', share: '100' }] });
    await sign(d1, '100,000,000');
    ok(await o.post(`/api/v1/invest/projects/${d1}/moves/register`, { uscc: u2 }));
    const d2 = await mk({ name: '内资二号项目', origin: 'domestic', planned_usd: undefined, industry: 'I', investors: [{ kind: 'person', name: '乙', province: '44', share: '100' }] });
    await sign(d2, '50,000,000');
    ok(await o.post(`/api/v1/invest/projects/${d2}/moves/stop`, { reason: '投资方撤回' }));
    await mk({ name: '仅有线索的项目' });
    ok(await o.post(`/api/v1/invest/projects/${f}/funds`, { on: todayCN(), amount: '1,000,000', currency: 'USD', rate: '7', kind: 'fixed', source: 'foreign' }), 201);
    ok(await o.post(`/api/v1/invest/projects/${d1}/funds`, { on: todayCN(), amount: '20,000,000', kind: 'working', source: 'out_of_province' }), 201);
    const r = ok(await l.get(`/api/v1/invest/report?from=${todayCN()}&to=${todayCN()}`));
    const fig = Object.fromEntries(r.figures.map((x) => [x.key, x]));
    assert.deepEqual(['signed', 'signed_domestic', 'signed_foreign'].map((k) => fig[k].value), [3, 2, 1]);
    assert.equal(fig.signed_amount.text, '4.5'); // 4.5亿元
    assert.equal(fig.foreign_usd.text, '0.01'); // 0.01亿美元
    assert.equal(fig.out_of_province_cny.text, '0.2');
    assert.equal(fig.growth_number.text, '—', 'one year: no growth');
    // 开工率 0/3; 资金到位率 (7,000,000 + 20,000,000) / 450,000,000 = 6.0%; 投资完成率 7,000,000 / 450,000,000 = 1.6%; 履约率 2/3.
    assert.deepEqual(['start_rate', 'funds_rate', 'completion_rate', 'performance_rate'].map((k) => fig[k].text), ['0.0%', '6.0%', '1.6%', '66.7%']);
    for (const k of ['start_rate', 'funds_rate', 'completion_rate', 'performance_rate', 'growth_number']) assert.ok(fig[k].formula, `${k} states its formula`);
    const funnel = Object.fromEntries(r.funnel.map((x) => [x.stage, x.reached]));
    assert.deepEqual([funnel.lead, funnel.talks, funnel.signed, funnel.registered, funnel.started], [4, 3, 3, 1, 0]);
    assert.equal(r.funnel[1].conversion, 0.75);
    assert.deepEqual(r.by_industry.map((x) => [x.key, x.label, x.signed]), [['C', '制造业', 1], ['I', '信息传输、软件和信息技术服务业', 2]]);
    assert.deepEqual(r.by_region.map((x) => [x.scope, x.label, x.signed]), [['境外', '德国', 1], ['省内', '辽宁省', 1], ['省外', '广东省', 1]]);
    assertError(assert, await l.get('/api/v1/invest/report?from=2021-12-31&to=2021-01-01'), 400, 'invest.bad_period', 'to');
    assertError(assert, await l.get('/api/v1/invest/report'), 400, 'invest.bad_period', 'from');
  } finally {
    await cleanup(s2);
  }
});

test('the report sums funds exactly over any days: month edges, a leap day, a year\'s turn, days with none', async () => {
  // A server of its own: every project and fund here is one the test wrote,
  // and every expected figure is summed below from those writes alone.
  const s4 = await startServer();
  try {
    const [o, l] = await Promise.all(['invest', 'leader'].map((u) => s4.login(u)));
    const projects = {};
    const mk = async (key, signedOn, contract, over) => {
      // The lead and the talks on the signing day: a stage's day is not before the one before it.
      const code = ok(await o.post('/api/v1/invest/projects', lead({ name: `期间汇总测试${key}号`, lead_on: signedOn, ...over })), 201).code;
      ok(await o.post(`/api/v1/invest/projects/${code}/moves/negotiate`, { talks_on: signedOn }));
      ok(await o.post(`/api/v1/invest/projects/${code}/moves/sign`, { signed_on: signedOn, contract_amount: String(contract) }));
      projects[key] = { code, signedOn, contract: contract * 100, industry: over.industry || 'C' };
    };
    // A's main investor is the larger share (JP); B's two shares tie, so the first entered (广东) is its main one.
    await mk('A', '2023-01-31', 1000000, { investors: [{ kind: 'person', name: '期间甲', province: '21', share: '40' }, { kind: 'foreign', name: 'Kikan Ichi KK', country: 'JP', share: '60' }] });
    await mk('B', '2023-02-28', 2000000, { industry: 'I', investors: [{ kind: 'person', name: '期间乙', province: '44', share: '50' }, { kind: 'foreign', name: 'Period Two Inc', country: 'US', share: '50' }] });
    await mk('C', '2023-03-01', 4000000, { investors: [{ kind: 'foreign', name: 'Periode Drei GmbH', country: 'DE', share: '100' }] });
    await mk('D', '2024-02-29', 8000000, { origin: 'domestic', planned_usd: undefined, industry: 'K', investors: [{ kind: 'person', name: '期间丁', province: '21', share: '100' }] });
    const funds = [];
    // add() records a fund through the API and keeps what the test expects
    // it to add, in 分 and cents: amounts in whole units at whole-unit rates.
    const add = async (key, on, yuan, source, kind, foreign) => {
      const body = { on, kind, source, amount: String(yuan) };
      let cny = yuan * 100, usd = 0;
      if (foreign) {
        Object.assign(body, { currency: foreign.currency, rate: String(foreign.rate) });
        if (foreign.usd_rate) body.usd_rate = String(foreign.usd_rate);
        cny = yuan * foreign.rate * 100;
        usd = yuan * (foreign.usd_rate || 1) * 100;
      }
      const p = ok(await o.post(`/api/v1/invest/projects/${projects[key].code}/funds`, body), 201);
      const f = p.funds.find((x) => x.on === on && x.amount.minor === yuan * 100 && x.source === source && x.kind === kind);
      assert.equal(f.cny.minor, cny);
      funds.push({ key, on, source, kind, cny, usd });
    };
    const usd7 = { currency: 'USD', rate: 7 };
    const first = [
      ['A', '2023-01-31', 100000, 'in_province', 'fixed'],
      ['A', '2023-01-31', 1, 'in_province', 'working'], // the same day and source again
      ['A', '2023-02-01', 10000, 'foreign', 'fixed', usd7],
      ['A', '2023-02-01', 5000, 'out_of_province', 'working'],
      ['B', '2023-02-28', 30000, 'out_of_province', 'fixed'],
      ['B', '2023-03-01', 2000, 'foreign', 'working', usd7],
      ['C', '2023-03-01', 50000, 'out_of_province', 'fixed'],
      ['C', '2023-03-31', 1000, 'foreign', 'fixed', { currency: 'EUR', rate: 8, usd_rate: 2 }],
      ['A', '2023-12-31', 7000, 'in_province', 'working'],
      ['B', '2024-01-01', 3000, 'in_province', 'fixed'],
      ['D', '2024-02-29', 20000, 'in_province', 'fixed'],
    ];
    const later = [
      ['C', '2023-02-28', 11, 'out_of_province', 'working'],
      ['D', '2023-01-31', 13, 'in_province', 'fixed'], // before D was signed: D's, counted on its day
      ['B', '2024-02-29', 17, 'foreign', 'fixed', usd7],
    ];
    const periods = [
      ['2023-01-31', '2023-01-31'], ['2023-01-31', '2023-02-01'], ['2023-02-01', '2023-02-28'],
      ['2023-02-02', '2023-02-27'], ['2023-02-28', '2023-03-01'], ['2023-03-01', '2023-03-31'],
      ['2023-03-02', '2023-12-30'], ['2023-01-01', '2023-12-31'], ['2023-12-31', '2024-01-01'],
      ['2024-02-29', '2024-02-29'], ['2022-06-15', '2024-03-01'], ['2024-03-01', '2030-12-31'],
    ];
    const sum = (xs, f) => xs.reduce((a, x) => a + f(x), 0);
    const check = async () => {
      for (const [from, to] of periods) {
        const at = `${from}..${to}`;
        const r = ok(await l.get(`/api/v1/invest/report?from=${from}&to=${to}`));
        const fig = Object.fromEntries(r.figures.map((x) => [x.key, x.value]));
        const inside = funds.filter((f) => f.on >= from && f.on <= to);
        assert.equal(fig.foreign_usd.minor, sum(inside.filter((f) => f.source === 'foreign'), (f) => f.usd), at);
        assert.equal(fig.out_of_province_cny.minor, sum(inside.filter((f) => f.source === 'out_of_province'), (f) => f.cny), at);
        assert.equal(fig.in_province_cny.minor, sum(inside.filter((f) => f.source === 'in_province'), (f) => f.cny), at);
        // The rates: the projects signed in the period, with their funds of every day.
        const signed = Object.keys(projects).filter((k) => projects[k].signedOn >= from && projects[k].signedOn <= to);
        const contract = sum(signed, (k) => projects[k].contract);
        const theirs = funds.filter((f) => signed.includes(f.key));
        assert.equal(fig.signed, signed.length, at);
        assert.equal(fig.signed_amount.minor, contract, at);
        assert.equal(fig.funds_rate, signed.length ? sum(theirs, (f) => f.cny) / contract : null, at);
        assert.equal(fig.completion_rate, signed.length ? sum(theirs.filter((f) => f.kind === 'fixed'), (f) => f.cny) / contract : null, at);
        const years = [...new Set(signed.map((k) => projects[k].signedOn.slice(0, 4)))].sort();
        assert.deepEqual(r.years.map((y) => [y.year, y.signed, y.amount.minor]), years.map((y) => {
          const ks = signed.filter((k) => projects[k].signedOn.startsWith(y));
          return [y, ks.length, sum(ks, (k) => projects[k].contract)];
        }), at);
        const group = (keyOf) => {
          const g = new Map();
          for (const k of signed) {
            const [n, a] = g.get(keyOf(k)) || [0, 0];
            g.set(keyOf(k), [n + 1, a + projects[k].contract]);
          }
          return [...g].map(([k, [n, a]]) => [k, n, a]).sort((x, y) => y[2] - x[2] || (x[0] < y[0] ? -1 : 1));
        };
        const main = { A: 'JP', B: '44', C: 'DE', D: '21' };
        assert.deepEqual(r.by_region.map((x) => [x.key, x.signed, x.amount.minor]), group((k) => main[k]), at);
        assert.deepEqual(r.by_industry.map((x) => [x.key, x.signed, x.amount.minor]), group((k) => projects[k].industry), at);
        assert.deepEqual(r.by_officer.map((x) => [x.key, x.signed, x.amount.minor]), group(() => 'invest'), at);
      }
    };
    for (const f of first) await add(...f);
    await check();
    // Later funds, on days and sources already summed and on new ones, move every period that holds them.
    for (const f of later) await add(...f);
    await check();
    assert.equal(ok(await l.get('/api/v1/invest/report?from=2023-02-28&to=2023-02-28')).figures.find((x) => x.key === 'out_of_province_cny').value.minor, 3001100); // 30,000 + 11 yuan
  } finally {
    await cleanup(s4);
  }
});

test('the Jinpu demo pipeline gives the article\'s figures, through the API and the command line', async () => {
  const s3 = await startServer({ pipeline: true });
  try {
    const l = await s3.login('leader');
    const three = ok(await l.get('/api/v1/invest/report?from=2019-01-01&to=2021-12-31'));
    const t = Object.fromEntries(three.figures.map((x) => [x.key, x.text]));
    assert.deepEqual([t.activities, t.signed, t.signed_domestic, t.signed_foreign, t.growth_number, t.growth_amount],
      ['7576', '797', '747', '50', '53%', '42%']);
    assert.ok(Math.abs(Number(t.signed_amount) - 10300) / 10300 < 0.005, t.signed_amount);
    const y21 = Object.fromEntries(ok(await l.get('/api/v1/invest/report?from=2021-01-01&to=2021-12-31')).figures.map((x) => [x.key, x.text]));
    assert.deepEqual([y21.foreign_usd, y21.foreign_share, y21.out_of_province_cny, y21.out_of_province_share], ['11.42', '68.3%', '330.3', '23.2%']);
    const names = [];
    for (let page = 1; ; page++) {
      const r = ok(await l.get(`/api/v1/invest/projects?per_page=100&page=${page}`));
      names.push(...r.items.filter((p) => p.signed_on && p.signed_on.startsWith('2021')).map((p) => p.name));
      if (page * 100 >= r.total) break;
    }
    for (const n of ['富士电梯及升降设备项目', '克诺尔汽车零部件新工厂', '大连数谷·华润置地智慧生命科技园', '众益·圆梦海岸']) assert.ok(names.includes(n), n);
    // Stages, industries and officers spread.
    const stages = new Set(), officers = new Set();
    for (const st of ['lead', 'talks', 'signed', 'registered', 'started', 'producing', 'full', 'stopped'])
      if (ok(await l.get(`/api/v1/invest/projects?stage=${st}&per_page=1`)).total > 0) stages.add(st);
    assert.equal(stages.size, 8, [...stages].join());
    for (const x of three.by_officer) officers.add(x.key);
    assert.ok(officers.size >= 3 && three.by_industry.length >= 8 && three.by_region.some((x) => x.scope === '境外'));
    // The command line prints the same figures, one line each, label first.
    const cli = s3.cli(['invest', 'report', '--from', '2021-01-01', '--to', '2021-12-31']);
    assert.equal(cli.status, 0, cli.stderr);
    const lines = cli.stdout.trim().split('\n');
    for (const want of ['签约项目 382', '实际利用外资(亿美元) 11.42', '占全市比重 68.3%', '省外资金(亿元) 330.3', '占全市比重 23.2%']) assert.ok(lines.includes(want), `${want} in\n${cli.stdout}`);
    const json = JSON.parse(s3.cli(['invest', 'report', '--from', '2019-01-01', '--to', '2021-12-31', '--json']).stdout);
    assert.equal(json.figures.find((x) => x.key === 'signed').value, 797);
    const bad = s3.cli(['invest', 'report', '--from', '2021-02-30', '--to', '2021-12-31']);
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /起始日期/);
    assert.equal(s3.cli(['invest', 'report', '--from', '2021-01-01', '--to', '2021-12-31', '--fast']).status, 2);
  } finally {
    await cleanup(s3);
  }
});

test('duplicates: the same investor with a near-identical name is flagged before saving; the officer may confirm it is another project', async () => {
  const base = lead({ name: '百年电机精密轴承新工厂', investors: [{ kind: 'foreign', name: 'Hundred Motors GmbH', country: 'DE', share: '100' }] });
  const first = ok(await invest.post('/api/v1/invest/projects', base), 201);
  const before = await lastAuditId(auditor);
  // The same name but for blanks, punctuation or a trailing 项目, or sharing 80% of its pairs of characters (a 二期).
  for (const name of ['百年电机精密轴承新工厂项目', '百年电机 · 精密轴承新工厂', '百年电机精密轴承新工厂（二期）']) {
    const r = await invest.post('/api/v1/invest/projects', { ...base, name });
    assertError(assert, r, 409, 'invest.duplicate', 'name');
    assert.ok(r.body.error.message.includes(first.code), r.text);
  }
  ok(await invest.post('/api/v1/invest/projects', { ...base, name: '百年电机研发中心' }), 201);
  assert.equal((await auditAfter(auditor, before, '&action=invest.create')).length, 1, 'only the research centre was written');
  // Another investor, or the same name from another country's company, is not a duplicate.
  ok(await invest.post('/api/v1/invest/projects', { ...base, investors: [{ kind: 'foreign', name: 'Hundred Motors GmbH', country: 'AT', share: '100' }] }), 201);
  // Confirmed by the officer, it is saved.
  ok(await invest.post('/api/v1/invest/projects', { ...base, name: '百年电机精密轴承新工厂项目', confirm_duplicate: true }), 201);
  // A domestic investor is matched by its code.
  const dom = lead({ name: '华信港航物流园', origin: 'domestic', planned_usd: undefined, industry: 'G', investors: [{ kind: 'entity', code: uscc, name: '甲公司', share: '100' }] });
  ok(await invest.post('/api/v1/invest/projects', dom), 201);
  assertError(assert, await invest.post('/api/v1/invest/projects', { ...dom, name: '华信港航物流园项目', investors: [{ kind: 'entity', code: uscc, name: '甲公司（更名）', share: '100' }] }), 409, 'invest.duplicate', 'name');
});

test('follow-ups: each records the next step and its day; a step past its day is due on the officer\'s list and the leader\'s, until a later follow-up', async () => {
  const p = ok(await invest.post('/api/v1/invest/projects', lead({ name: '跟进测试冷链物流园', origin: 'domestic', planned_usd: undefined, industry: 'G', investors: [{ kind: 'person', name: '丙', province: '37', share: '100' }] })), 201);
  const url = `/api/v1/invest/projects/${p.code}/followups`;
  const bad = [
    [{ on: todayCN(), kind: 'dinner', note: 'x' }, 'invest.bad_followup_kind', 'kind'],
    [{ on: todayCN(1), kind: 'visit', note: 'x' }, 'invest.bad_date', 'on'],
    [{ on: todayCN(), kind: 'visit', note: 'x', next_step: '报送选址方案' }, 'invest.next_step_incomplete', 'next_on'],
    [{ on: todayCN(), kind: 'visit', note: 'x', next_step: '报送选址方案', next_on: todayCN(-1) }, 'invest.bad_date', 'next_on'],
    [{ on: todayCN(), kind: 'visit', note: '' }, 'request.missing_field', 'note'],
  ];
  for (const [b, code, field] of bad) assertError(assert, await invest.post(url, b), 400, code, field);
  const f = ok(await invest.post(url, { on: todayCN(-10), kind: 'visit', note: '实地走访，投资方关注冷库用地', next_step: '报送选址方案', next_on: todayCN(-3) }), 201);
  assert.deepEqual(f.next, { step: '报送选址方案', on: todayCN(-3) });
  assert.equal(f.followups[0].by, 'invest');
  assert.equal(f.timeline.at(-1).label, '登记跟进');
  const due = (c) => c.get('/api/v1/invest/followups/due');
  const mine = ok(await due(invest)).items.find((x) => x.code === p.code);
  assert.deepEqual([mine.next_step, mine.days_late], ['报送选址方案', 3]);
  assert.ok(ok(await due(leader)).items.some((x) => x.code === p.code));
  assert.ok(!ok(await due(other)).items.some((x) => x.code === p.code), 'not another department\'s');
  assertError(assert, await other.post(url, { on: todayCN(), kind: 'call', note: 'x' }), 404, 'invest.not_found');
  // The next follow-up sets the next step; a step for a later day is not due.
  ok(await invest.post(url, { on: todayCN(), kind: 'call', note: '方案已收到', next_step: '组织专题会', next_on: todayCN(7) }), 201);
  assert.ok(!ok(await due(invest)).items.some((x) => x.code === p.code));
  assertError(assert, await clerk.get('/api/v1/invest/followups/due'), 403, 'auth.forbidden');
});

test('来电来函: due in working days on the calendar; open, overdue and answered; answered once', async () => {
  const q = { received_on: '2026-09-30', channel: 'phone', from_name: '某汽车零部件企业', contact: '0411-87000000', subject: '咨询新能源汽车零部件项目用地政策' };
  const a = ok(await invest.post('/api/v1/invest/inquiries', q), 201);
  const expected = srv.cli(['calendar', 'add', '2026-09-30', '5']).stdout.trim(); // five working days over 国庆
  assert.equal(a.due_on, expected);
  assert.equal(a.state, 'overdue');
  const fresh = ok(await invest.post('/api/v1/invest/inquiries', { ...q, received_on: todayCN(), subject: '咨询人才政策' }), 201);
  assert.equal(fresh.state, 'open');
  const bad = [
    [{ channel: 'fax' }, 'invest.bad_channel', 'channel'],
    [{ received_on: todayCN(1) }, 'invest.bad_date', 'received_on'],
    [{ subject: '' }, 'request.missing_field', 'subject'],
  ];
  for (const [b, code, field] of bad) assertError(assert, await invest.post('/api/v1/invest/inquiries', { ...q, ...b }), 400, code, field);
  const overdue = ok(await invest.get('/api/v1/invest/inquiries?state=overdue')).items.map((x) => x.id);
  assert.ok(overdue.includes(a.id) && !overdue.includes(fresh.id));
  assert.ok(!ok(await other.get('/api/v1/invest/inquiries')).items.some((x) => x.id === a.id));
  assertError(assert, await other.post(`/api/v1/invest/inquiries/${a.id}/answer`, { answer: 'x' }), 404, 'invest.inquiry_not_found');
  assertError(assert, await invest.post(`/api/v1/invest/inquiries/${a.id}/answer`, { answer: '已告知', answered_on: '2026-09-29' }), 400, 'invest.bad_date', 'answered_on');
  const done = ok(await invest.post(`/api/v1/invest/inquiries/${a.id}/answer`, { answer: '已电话告知用地政策及申报流程' }));
  assert.deepEqual([done.state, done.answered_on], ['answered', todayCN()]);
  assertError(assert, await invest.post(`/api/v1/invest/inquiries/${a.id}/answer`, { answer: '再答' }), 409, 'invest.answered');
  assert.ok(!ok(await invest.get('/api/v1/invest/inquiries?state=overdue')).items.some((x) => x.id === a.id));
  assert.ok(ok(await leader.get('/api/v1/invest/inquiries?state=answered')).items.some((x) => x.id === a.id));
  assertError(assert, await invest.get('/api/v1/invest/inquiries?state=lost'), 400, 'invest.bad_state', 'state');
});
