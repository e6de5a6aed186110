// invest_kaiban.test.mjs — 帮办 (issue 14): the investment officer files the
// 企业开办 bundle from a 招商 project for one of the project's investors. The
// investor is the bundle's applicant; the officer is its filer and, with its
// department's investment officers, sees the bundle and acts on its children
// as the applicant would (uploads, 补正 resubmission), while the investor
// sees and continues it as its own; the departments work it as any bundle;
// its licence registers the entity the project's 注册 links without being
// told the number. Every refusal (another department, someone not an
// investor, a foreign investor, an applicant or any other role, an unknown
// project, bad input, the wrong stage, a second live bundle) says why in
// Chinese and English and writes nothing. On SQLite and PostgreSQL.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, cleanup, assertError, auditAfter, lastAuditId, todayCN, makeId, hasChinese } from './lib.mjs';

const STRONG = 'Invest#Test-2026x';
const KB = ['JP-KB-01', 'JP-KB-02', 'JP-KB-03', 'JP-KB-04', 'JP-KB-05', 'JP-KB-06'];
let srv, invest, invest2, other, admin, leader, auditor, clerk, approver, ent, person, policy;

before(async () => {
  srv = await startServer();
  [invest, invest2, admin, leader, auditor, clerk, approver, ent, person, policy] = await Promise.all(
    ['invest', 'invest2', 'admin', 'leader', 'auditor', 'clerk', 'approver', 'ent', 'person', 'policy'].map((u) => srv.login(u)));
  // An investment officer of another department.
  const r = await admin.post('/api/v1/users', { username: 'fgj_kb_invest', role: 'invest', dept_code: 'fgj', password: STRONG, display: '钱帮办' });
  assert.equal(r.status, 201, r.text);
  other = await srv.loginIssued('fgj_kb_invest', STRONG);
});
after(() => cleanup(srv));

function ok(r, status = 200) {
  assert.equal(r.status, status, r.text);
  return r.body;
}

function pdf(tag = Math.random().toString(36)) {
  return Buffer.from(`%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n% ${tag}\ntrailer<</Root 1 0 R>>\n%%EOF\n`);
}
async function upload(client) {
  return ok(await client.post('/api/v1/uploads', pdf(), { headers: { 'Content-Type': 'application/pdf' } }), 201).sha256;
}
// materialsFor() uploads, as client, one file for every material of the
// bundle's items a party of partyType must upload (the registry supplies the rest).
async function materialsFor(client, partyType) {
  const out = {};
  for (const code of KB) {
    const it = ok(await clerk.get(`/api/v1/items/${code}`));
    for (const m of it.materials) {
      if (out[m.key] || m.source === `registry.${partyType}`) continue;
      out[m.key] = await upload(client);
    }
  }
  return out;
}
const act = (client, no, action, body = {}) => client.post(`/api/v1/cases/${no}/actions/${action}`, body);
const companyForm = (tag) => ({ name: `大连金普帮办${tag}科技有限公司`, kind: 'company', legal_rep: '张三', capital_fen: 100000000, industry: 'I', address: '大连市金普新区小窑湾8号', district: '小窑湾' });

// signedProject() records a project with these investors and moves it to 签约.
async function signedProject(name, investors, { sign = true } = {}) {
  const p = ok(await invest.post('/api/v1/invest/projects', {
    name, industry: 'C', origin: investors.some((v) => v.kind === 'foreign') ? 'foreign' : 'domestic', planned: '50,000,000',
    ...(investors.some((v) => v.kind === 'foreign') ? { planned_usd: '1,000,000' } : {}), investors, confirm_duplicate: true,
  }), 201);
  if (!sign) return p;
  ok(await invest.post(`/api/v1/invest/projects/${p.code}/moves/negotiate`, {}));
  return ok(await invest.post(`/api/v1/invest/projects/${p.code}/moves/sign`, { signed_on: todayCN(), contract_amount: '40,000,000' }));
}

test('帮办: the officer files 企业开办 for the project\'s person investor; both continue it; its licence is what 注册 links', async () => {
  const tag = Date.now() % 100000;
  const founder = person.user.party;
  const p = await signedProject(`金普帮办新材料项目${tag}`, [
    { kind: 'person', code: founder, name: '投资人甲', share: '60' },
    { kind: 'foreign', name: 'Acme GmbH', country: 'DE', share: '40' },
  ]);
  assert.equal(p.may_file_bundle, true);
  assert.equal(p.bundle, undefined);
  assert.equal(ok(await leader.get(`/api/v1/invest/projects/${p.code}`)).may_file_bundle, false, 'a leader reads, files nothing');

  const materials = await materialsFor(invest, 'person');
  const before = await lastAuditId(auditor);
  const form = companyForm(tag);
  // The investor's ID number in lower case names the same investor.
  const b = ok(await invest.post(`/api/v1/invest/projects/${p.code}/bundle`, { investor: founder.toLowerCase(), kind: 'kaiban', form, materials }), 201);
  assert.equal(b.party, founder, 'the investor is the applicant, its number in full to its helper');
  assert.equal(b.kind, 'kaiban');
  assert.equal(b.helper.username, 'invest');
  assert.ok(hasChinese(b.helper.dept), 'the helping department is named');
  assert.equal(b.children.length, 6);
  for (const ch of b.children) assert.equal(ch.state, 'submitted');

  // One audit event, by the officer, naming the project and the investor.
  // Each child's case.create and the bundle's, all the officer's, in the one write.
  const ev = await auditAfter(auditor, before);
  assert.deepEqual(ev.map((e) => [e.action, e.actor]), [...b.children.map(() => ['case.create', 'invest']), ['bundle.create', 'invest']]);
  const bev = ev.at(-1);
  assert.equal(bev.object, `bundle:${b.id}`);
  assert.deepEqual([bev.detail.project, bev.detail.investor, bev.detail.party], [p.code, founder, founder]);

  // The project keeps the link, shows the bundle's state, and files no second one while it is live.
  const linked = ok(await invest.get(`/api/v1/invest/projects/${p.code}`));
  assert.equal(linked.bundle_id, b.id);
  assert.equal(linked.bundle.id, b.id);
  assert.equal(linked.bundle.status, 'in_progress');
  assert.deepEqual([linked.bundle.done, linked.bundle.total], [0, 6]);
  assert.equal(linked.bundle.children, undefined);
  assert.equal(linked.may_file_bundle, false);
  assert.equal(linked.version, p.version + 1);
  const step = linked.timeline.at(-1);
  assert.deepEqual([step.action, step.label, step.actor, step.note.bundle, step.note.investor], ['bundle', '为投资方办理企业开办', 'invest', b.id, '投资人甲']);
  assertError(assert, await invest.post(`/api/v1/invest/projects/${p.code}/bundle`, { investor: founder, kind: 'kaiban', form, materials }), 409, 'invest.bundle_filed');
  // The leader sees the link too, the investor's number masked.
  const seen = ok(await leader.get(`/api/v1/invest/projects/${p.code}`));
  assert.equal(seen.bundle.id, b.id);
  assert.notEqual(seen.bundle.party, founder);

  // Who sees the bundle: the investor, the department's officers (the filer and
  // the other one), the departments working it; not another department's officer nor another applicant.
  for (const c of [person, invest, invest2, clerk, leader]) assert.equal((await c.get(`/api/v1/bundles/${b.id}`)).status, 200);
  for (const c of [other, ent, policy]) assertError(assert, await c.get(`/api/v1/bundles/${b.id}`), 404, 'bundle.not_found');
  const no = b.children[0].no;
  for (const c of [other, ent]) assertError(assert, await c.get(`/api/v1/cases/${no}`), 404, 'case.not_found');
  assertError(assert, await act(other, no, 'withdraw'), 404, 'case.not_found');
  // The helper's list has the bundle's children.
  const listed = ok(await invest2.get('/api/v1/cases?per_page=50'));
  assert.ok(b.children.every((ch) => listed.items.some((c) => c.no === ch.no)), 'the department\'s officers list the children');

  // The helper takes the applicant's moves, never an official's.
  const c0 = ok(await invest.get(`/api/v1/cases/${no}`));
  assert.deepEqual(c0.moves.map((m) => m.action), ['withdraw']);
  assert.equal(c0.party, founder);
  assertError(assert, await act(invest, no, 'accept'), 403, 'case.forbidden');

  // 补正: the clerk asks for a material again; the officer uploads it and resubmits.
  const key = c0.materials.find((m) => m.sha256).key;
  ok(await act(clerk, no, 'request_correction', { deficiencies: ['申请书签字不清晰，请重新上传'] }));
  const box = ok(await invest.get('/api/v1/inbox?per_page=20'));
  assert.ok(box.items.some((m) => m.subject_kind === 'bundle' && m.subject === String(b.id)), 'the filer hears of the 补正');
  const asked = ok(await invest.get(`/api/v1/cases/${no}`));
  assert.deepEqual(asked.moves.map((m) => m.action).sort(), ['resubmit', 'withdraw']);
  const fresh = await upload(invest);
  const back = ok(await act(invest, no, 'resubmit', { materials: { [key]: fresh } }));
  assert.notEqual(back.state, 'correction');
  assert.equal(back.materials.find((m) => m.key === key).sha256, fresh);
  assert.equal(back.timeline.at(-1).actor, 'invest');
  // The investor reads the officer's upload on its own case.
  assert.equal((await person.api('GET', `/api/v1/uploads/${fresh}`, undefined, { raw: true })).status, 200);

  // The investor continues the same bundle as its own: it resubmits another child.
  const no1 = b.children[1].no;
  ok(await act(clerk, no1, 'request_correction', { deficiencies: ['请补充身份证明'] }));
  const mine = await upload(person);
  const k1 = ok(await person.get(`/api/v1/cases/${no1}`)).materials.find((m) => m.sha256).key;
  ok(await act(person, no1, 'resubmit', { materials: { [k1]: mine } }));

  // The departments work every child as usual; the licence registers the entity.
  for (const ch of b.children) {
    const c = ok(await clerk.get(`/api/v1/cases/${ch.no}`));
    if (c.state === 'submitted') ok(await act(clerk, ch.no, 'accept'));
    ok(await act(approver, ch.no, 'approve'));
    ok(await act(clerk, ch.no, 'issue'));
  }
  const done = ok(await invest.get(`/api/v1/bundles/${b.id}`));
  assert.equal(done.status, 'done');
  assert.match(done.entity_uscc, /^91210213[0-9A-HJ-NPQRTUWXY]{10}$/);
  assert.equal(ok(await invest.get(`/api/v1/invest/projects/${p.code}`)).bundle.entity_uscc, done.entity_uscc);
  // The founder holds the new company's licence, as when it files itself.
  assert.equal(ok(await clerk.get(`/api/v1/entities/${done.entity_uscc}`)).name, form.name);

  // 注册 with no evidence given takes the linked bundle's entity.
  const reg = ok(await invest.post(`/api/v1/invest/projects/${p.code}/moves/register`, {}));
  assert.equal(reg.stage, 'registered');
  assert.equal(reg.uscc, done.entity_uscc);
  assert.equal(reg.timeline.at(-1).note.bundle, b.id);
  // Once registered, no bundle is filed from the project.
  assertError(assert, await invest.post(`/api/v1/invest/projects/${p.code}/bundle`, { investor: founder, kind: 'kaiban', form, materials }), 409, 'invest.bad_state');
});

test('帮办 for an entity investor founding a company; every refusal says why and writes nothing', async () => {
  const tag = Date.now() % 100000;
  const uscc = ent.user.party;
  const p = await signedProject(`金普帮办装备项目${tag}`, [
    { kind: 'entity', code: uscc, name: '大连示例投资公司', share: '70' },
    { kind: 'foreign', name: 'Beispiel AG', country: 'DE', share: '30' },
  ]);
  const lead = await signedProject(`金普帮办线索项目${tag}`, [{ kind: 'entity', code: uscc, name: '大连示例投资公司', share: '100' }], { sign: false });
  const materials = await materialsFor(invest, 'entity');
  const form = companyForm(`E${tag}`);
  const good = { investor: uscc, kind: 'kaiban', form, materials };
  const path = `/api/v1/invest/projects/${p.code}/bundle`;

  const foreignUpload = await upload(person);
  const before = await lastAuditId(auditor);
  const was = ok(await invest.get(`/api/v1/invest/projects/${p.code}`));
  const refusals = [
    // Another department's officer does not see the project.
    [other, path, good, 404, 'invest.not_found'],
    [invest, '/api/v1/invest/projects/ZS2000999999/bundle', good, 404, 'invest.not_found'],
    // Every role but the investment officer is refused by the route.
    ...[ent, person, clerk, approver, policy, leader, auditor, admin].map((c) => [c, path, good, 403, 'auth.forbidden']),
    // Only the project's own investors: not someone else, not by name, not a foreign one.
    [invest, path, { ...good, investor: makeId('19800101', 417) }, 403, 'invest.not_investor', 'investor'],
    [invest, path, { ...good, investor: person.user.party }, 403, 'invest.not_investor', 'investor'],
    [invest, path, { ...good, investor: 'Beispiel AG' }, 403, 'invest.not_investor', 'investor'],
    // Bad input.
    [invest, path, { kind: 'kaiban', form, materials }, 400, 'request.missing_field', 'investor'],
    [invest, path, { ...good, kind: undefined }, 400, 'request.missing_field', 'kind'],
    [invest, path, { ...good, party: person.user.party }, 400, 'request.unknown_field', 'party'],
    [invest, path, { ...good, investor: 42 }, 400, 'request.bad_type', 'investor'],
    [invest, path, { ...good, kind: 'no_such' }, 400, 'bundle.bad_kind', 'kind'],
    [invest, path, { ...good, kind: 'land' }, 400, 'bundle.not_founding', 'kind'],
    [invest, path, { ...good, form: { ...form, industry: 'Z' } }, 400, 'entity.bad_industry', 'form.industry'],
    [invest, path, { ...good, materials: { ...materials, [Object.keys(materials)[0]]: foreignUpload } }, 400, 'case.material_not_uploaded', 'materials'],
    // A project not yet signed has no 注册 to serve.
    [invest, `/api/v1/invest/projects/${lead.code}/bundle`, good, 409, 'invest.bad_state'],
  ];
  for (const [c, url, body, status, code, field] of refusals) {
    const r = await c.post(url, body);
    const got = assertError(assert, r, status, code, field);
    assert.ok(hasChinese(got.message), `${code}: a Chinese message`);
  }
  assert.equal(await lastAuditId(auditor), before, 'refusals write nothing');
  const still = ok(await invest.get(`/api/v1/invest/projects/${p.code}`));
  assert.deepEqual([still.version, still.timeline.length, still.bundle_id, still.may_file_bundle], [was.version, was.timeline.length, undefined, true]);
  assert.equal((await auditAfter(auditor, before, '&action=bundle.create')).length, 0);

  // The entity investor founds a company, filed by the department's other
  // officer with its own uploads (another's are not its to use): the investor
  // sees the bundle as its own applicant.
  const b = ok(await invest2.post(path, { ...good, materials: await materialsFor(invest2, 'entity') }), 201);
  assert.equal(b.party, uscc);
  assert.equal(b.helper.username, 'invest2');
  assert.equal((await ent.get(`/api/v1/bundles/${b.id}`)).status, 200);
  assert.equal(ok(await invest.get(`/api/v1/invest/projects/${p.code}`)).bundle.id, b.id);
  // The same request again is the one live bundle's refusal, not a second bundle.
  const again = await lastAuditId(auditor);
  assertError(assert, await invest.post(path, good), 409, 'invest.bundle_filed');
  assert.equal(await lastAuditId(auditor), again);

  // Once its applicant withdraws it, the bundle is blocked and another may be filed.
  ok(await act(ent, b.children[0].no, 'withdraw'));
  assert.equal(ok(await invest.get(`/api/v1/invest/projects/${p.code}`)).may_file_bundle, true);
  const b2 = ok(await invest.post(path, { ...good, form: companyForm(`F${tag}`), materials: await materialsFor(invest, 'entity') }), 201);
  assert.equal(ok(await invest.get(`/api/v1/invest/projects/${p.code}`)).bundle_id, b2.id);
});
