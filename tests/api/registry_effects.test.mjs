// registry_effects.test.mjs — what issuing an item does to the market-entity
// registry is part of the item (registry_effect), on SQLite and PostgreSQL:
// 设立 founds a new entity from the form, 变更 changes the applicant's own
// entity with its history kept and the licence issued again, 补领 issues the
// licence again and voids the one before, 注销 ends the entity. Filed as an
// applicant would from the apply page: the item's own form, nothing else.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, cleanup, assertError, entityBody } from './lib.mjs';

const STRONG = 'Scope#Test-2026x';
let srv, ent, person, clerk, approver, admin;
before(async () => {
  srv = await startServer();
  [ent, person, clerk, approver, admin] = await Promise.all(['ent', 'person', 'clerk', 'approver', 'admin'].map((u) => srv.login(u)));
});
after(() => cleanup(srv));

function ok(r, status = 200) {
  assert.equal(r.status, status, r.text);
  return r.body;
}
const pdf = () => Buffer.from(`%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n% ${Math.random()}\ntrailer<</Root 1 0 R>>\n%%EOF\n`);
async function materials(client, it, party) {
  const out = {};
  for (const m of it.materials) {
    if ((m.source === 'registry.entity' && party === 'entity') || (m.source === 'registry.person' && party === 'person')) continue;
    out[m.key] = ok(await client.post('/api/v1/uploads', pdf(), { headers: { 'Content-Type': 'application/pdf' } }), 201).sha256;
  }
  return out;
}
// findItem(effect, pred) is an online item with this registry effect.
async function findItem(effect, pred = () => true) {
  const all = [];
  for (const q of ['登记', '营业执照']) {
    for (let page = 1; ; page++) {
      const r = ok(await srv.anon().get(`/api/v1/items?q=${encodeURIComponent(q)}&per_page=100&page=${page}`));
      all.push(...r.items);
      if (r.items.length < 100) break;
    }
  }
  for (const brief of all) {
    const it = ok(await srv.anon().get(`/api/v1/items/${brief.code}`));
    if (it.registry_effect === effect && it.channels.includes('online') && pred(it)) return it;
  }
  return null;
}
// finish(no) takes the case to its result as the department would: decided
// at once when the item is a 即办件, else accepted, approved and issued.
async function finish(no) {
  const act = (who, m) => who.post(`/api/v1/cases/${no}/actions/${m}`, {});
  for (let i = 0; i < 8; i++) {
    const c = ok(await clerk.get(`/api/v1/cases/${no}`));
    if (c.state === 'issued') return c;
    const cm = c.moves.map((m) => m.action), am = ok(await approver.get(`/api/v1/cases/${no}`)).moves.map((m) => m.action);
    if (cm.includes('decide_now') && (await act(clerk, 'decide_now')).status === 200) continue;
    if (cm.includes('accept')) ok(await act(clerk, 'accept'));
    else if (am.includes('approve')) ok(await act(approver, 'approve'));
    else if (cm.includes('issue')) ok(await act(clerk, 'issue'));
    else assert.fail(`no way forward from ${c.state}: ${cm} / ${am}`);
  }
  throw new Error(`case ${no} did not issue`);
}
async function newCompany() {
  const body = entityBody();
  ok(await clerk.post('/api/v1/entities', body), 201);
  const username = `re${Date.now() % 1e8}${Math.floor(Math.random() * 1000)}`;
  ok(await admin.post('/api/v1/users', { username, role: 'applicant', party: body.uscc, password: STRONG }), 201);
  return { body, client: await srv.loginIssued(username, STRONG) };
}

test('the catalogue says what each business-licence item does to the registry', async () => {
  const it = ok(await srv.anon().get('/api/v1/items?q=营业执照&per_page=100'));
  assert.ok(it.items.length > 0);
  const reissue = await findItem('reissue');
  assert.ok(reissue, 'a 补领 item');
  assert.equal(reissue.parties, 'entity');
  assert.ok(await findItem('register'), 'a 设立 item');
  assert.ok(await findItem('change'), 'a 变更 item');
});

test('设立 founds a new entity from the item\'s own form; the founder gets the licence', async () => {
  const it = await findItem('register', (x) => x.parties === 'person');
  assert.ok(it, 'a person\'s 设立 item (个体工商户 …)');
  const kind = it.form.find((f) => f.name === 'kind').choices[0];
  const form = { name: `大连金普${Date.now() % 100000}小吃店`, kind, legal_rep: '王五', industry: 'H', address: '大连市金州区友谊街道3号', district: '友谊街道' };
  // The form's own checks, named by field, before anything is written.
  assertError(assert, await person.post('/api/v1/cases', { item: it.code, form: { ...form, name: '' }, submit: true }), 400, 'request.missing_field', 'form.name');
  const c = ok(await person.post('/api/v1/cases', { item: it.code, form, materials: await materials(person, it, 'person'), submit: true }), 201);
  const done = await finish(c.no);
  const v = ok(await srv.anon().get(`/api/v1/verify/${done.certificate}`));
  assert.equal(v.holder_name, form.name);
  const en = ok(await clerk.get(`/api/v1/entities/${v.holder_party}`));
  assert.equal(en.kind, kind);
  assert.equal(en.legal_rep, '王五');
  assert.equal((await person.get(`/api/v1/certificates/${done.certificate}/pdf`)).status, 200, 'the founder gets it');
});

test('变更 changes the applicant\'s own entity (history kept) and issues the licence again; 补领 reissues and voids the one before; 注销 ends it', async () => {
  const co = await newCompany();
  const change = await findItem('change', (x) => x.form.some((f) => f.name === 'address'));
  assert.ok(change);
  // A person may not file an entity's change.
  assertError(assert, await person.post('/api/v1/cases', { item: change.code, form: { address: '大连市金州区某街道9号' }, submit: true }), 400, 'case.wrong_party_kind', 'party');
  // The change is checked as the registry checks it, at filing.
  assertError(assert, await co.client.post('/api/v1/cases', { item: change.code, form: { address: '号' } }), 400, 'request.bad_form_value', 'form.address');
  const addr = `大连市金普新区新区大道${Date.now() % 1000}号`;
  const c1 = ok(await co.client.post('/api/v1/cases', { item: change.code, form: { address: addr }, materials: await materials(co.client, change, 'entity'), submit: true }), 201);
  const d1 = await finish(c1.no);
  const en = ok(await clerk.get(`/api/v1/entities/${co.body.uscc}`));
  assert.equal(en.address, addr);
  assert.equal(en.name, co.body.name, 'nothing else changed');
  assert.deepEqual(en.history[0].changes.address, [co.body.address, addr]);
  assert.equal(en.history[0].case, c1.no);
  const v1 = ok(await srv.anon().get(`/api/v1/verify/${d1.certificate}`));
  assert.equal(v1.holder_party, co.body.uscc);
  assert.equal(v1.status, 'valid');

  const reissue = await findItem('reissue');
  const c2 = ok(await co.client.post('/api/v1/cases', { item: reissue.code, materials: await materials(co.client, reissue, 'entity'), submit: true }), 201);
  const d2 = await finish(c2.no);
  assert.notEqual(d2.certificate, d1.certificate);
  assert.equal(ok(await srv.anon().get(`/api/v1/verify/${d2.certificate}`)).status, 'valid');
  const old = ok(await srv.anon().get(`/api/v1/verify/${d1.certificate}`));
  assert.equal(old.status, 'revoked');
  assert.match(old.revoke_reason, /补领/);
  assert.equal(ok(await clerk.get(`/api/v1/entities/${co.body.uscc}`)).history.length, 1, '补领 changes no registered fact');

  const cancel = await findItem('cancel');
  assert.ok(cancel);
  const c3 = ok(await co.client.post('/api/v1/cases', { item: cancel.code, materials: await materials(co.client, cancel, 'entity'), submit: true }), 201);
  await finish(c3.no);
  assert.equal(ok(await clerk.get(`/api/v1/entities/${co.body.uscc}`)).status, 'cancelled');
  assertError(assert, await co.client.post('/api/v1/cases', { item: change.code, form: { address: addr } }), 409, 'case.entity_not_active', 'party');
});
