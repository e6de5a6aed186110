// apply.test.mjs — the apply form's server side (issue 13), on SQLite and
// PostgreSQL: the applicant's contact (联系人, 联系电话, 送达方式, 邮寄地址)
// checked, kept and shown to those who see the case; drafts (暂存) changed
// with PATCH only while drafts and only by who may file for the party, then
// submitted with the same checks as a direct submission; every bad field of
// a form reported at once (errors[]); the blank and sample 申请表 PDFs of an
// item's application-form materials; the names beside the codes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, cleanup, assertError, auditAfter, lastAuditId, hasChinese } from './lib.mjs';

let srv, ent, person, clerk, admin, policy, it;
before(async () => {
  srv = await startServer();
  [ent, person, clerk, admin, policy] = await Promise.all(['ent', 'person', 'clerk', 'admin', 'policy'].map((u) => srv.login(u)));
  it = await formItem();
});
after(() => cleanup(srv));

// formItem() finds, through the public catalogue, an item filed online by
// a market entity with no 秒批 rule, a form of at least two required text
// fields and a core material that is an application form (申请表).
async function formItem() {
  for (let page = 1; page < 50; page++) {
    const r = await srv.api('GET', `/api/v1/items?channel=online&per_page=100&page=${page}`);
    assert.equal(r.status, 200, r.text);
    const found = r.body.items.find((x) => !x.rule && x.parties !== 'person' && x.handling !== 'instant' &&
      (x.form || []).filter((f) => f.required && f.type === 'text').length >= 2 &&
      x.materials.some((m) => m.form === 'form' && m.core) && x.materials.some((m) => m.form !== 'form'));
    if (found) return found;
    if (r.body.items.length < 100) break;
  }
  throw new Error('no online item with a form of two required text fields and a 申请表');
}

// fill() is a valid form for the item: each field by its type and limits.
function fill(item, over = {}) {
  const form = {};
  for (const f of item.form || []) {
    if (f.type === 'choice') form[f.name] = f.choices[0];
    else if (f.type === 'money_fen' || f.type === 'integer' || f.type === 'number') form[f.name] = Math.max(f.min || 0, 100000);
    else if (f.type === 'boolean') form[f.name] = true;
    else if (f.type === 'date') form[f.name] = f.min || '2026-01-05';
    else if (f.name === 'name') form[f.name] = '大连申请表测试科技有限公司';
    else if (/address/.test(f.name)) form[f.name] = '辽宁省大连市金普新区测试路 8 号';
    else form[f.name] = '张建国';
  }
  return { ...form, ...over };
}

async function upload(client) {
  const pdf = Buffer.from(`%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n% ${Math.random()}\ntrailer<</Root 1 0 R>>\n%%EOF\n`);
  const r = await client.post('/api/v1/uploads', pdf, { headers: { 'Content-Type': 'application/pdf' } });
  assert.equal(r.status, 201, r.text);
  return r.body.sha256;
}

// allMaterials() uploads one file for each material the registry does not supply.
async function allMaterials(client, item = it) {
  const out = {};
  for (const m of item.materials) if (m.source !== 'registry.entity') out[m.key] = await upload(client);
  return out;
}

function ok(r, status = 200) {
  assert.equal(r.status, status, r.text);
  return r.body;
}

const CONTACT = { name: '王小明', phone: '13812345678', delivery: 'mail', address: '辽宁省大连市金州区友谊街道 9 号' };

test('the contact is checked, kept, shown on the case to who may see it and never in lists', async () => {
  const materials = await allMaterials(ent);
  const c = ok(await ent.post('/api/v1/cases', { item: it.code, form: fill(it), materials, contact: CONTACT, submit: true }), 201);
  assert.equal(c.state, 'submitted', JSON.stringify(c));
  assert.deepEqual(c.contact, CONTACT);
  assert.deepEqual(ok(await ent.get(`/api/v1/cases/${c.no}`)).contact, CONTACT);
  assert.deepEqual(ok(await clerk.get(`/api/v1/cases/${c.no}`)).contact, CONTACT); // the window that handles it
  assertError(assert, await person.get(`/api/v1/cases/${c.no}`), 404, 'case.not_found');
  const list = ok(await clerk.get(`/api/v1/cases?q=${c.no}`));
  assert.equal(list.items.length, 1);
  assert.ok(!('contact' in list.items[0]), 'a list carries no contact');
  assert.ok(!JSON.stringify(list).includes(CONTACT.phone));
  // Fixed lines with their area code pass, with or without the dash.
  for (const phone of ['0411-87654321', '041187654321', '010-12345678-801']) {
    const d = ok(await ent.post('/api/v1/cases', { item: it.code, contact: { phone } }), 201);
    assert.equal(d.contact.phone, phone);
    assert.equal(d.contact.delivery, 'window', 'the window is the default delivery');
  }
  // Not a phone number: refused, named by its field.
  for (const phone of ['12345678901', '1381234567', '87654321', '0411-876', '138-1234-5678x', '+8613812345678']) {
    const e = assertError(assert, await ent.post('/api/v1/cases', { item: it.code, contact: { phone } }), 400, 'request.bad_phone', 'contact.phone');
    assert.ok(hasChinese(e.message));
  }
  assertError(assert, await ent.post('/api/v1/cases', { item: it.code, contact: { phone: '13812345678', delivery: 'pigeon' } }), 400,
    'case.bad_delivery', 'contact.delivery');
  assertError(assert, await ent.post('/api/v1/cases', { item: it.code, contact: { fax: '0411-1234567' } }), 400,
    'request.unknown_field', 'contact.fax');
  assertError(assert, await ent.post('/api/v1/cases', { item: it.code, contact: 'x' }), 400, 'request.bad_type', 'contact');
  // The next form starts from the contact of the last filing of this account.
  const last = ok(await ent.get('/api/v1/me/contact'));
  assert.equal(last.contact.phone, '010-12345678-801');
  assert.deepEqual(ok(await ent.get(`/api/v1/me/contact?party=${encodeURIComponent(ent.user.party)}`)).contact.phone, '010-12345678-801');
  assert.equal(ok(await ent.get('/api/v1/me/contact?party=NOBODY')).contact, null);
  assert.equal(ok(await person.get('/api/v1/me/contact')).contact, null, 'another account has its own');
});

test('mail delivery needs the address when submitted; a draft may wait for it', async () => {
  const materials = await allMaterials(ent);
  const noAddress = { name: '王小明', phone: '13812345678', delivery: 'mail' };
  assertError(assert, await ent.post('/api/v1/cases', { item: it.code, form: fill(it), materials, contact: noAddress, submit: true }), 400,
    'case.address_required', 'contact.address');
  const d = ok(await ent.post('/api/v1/cases', { item: it.code, form: fill(it), materials, contact: noAddress }), 201);
  assert.equal(d.state, 'draft');
  assertError(assert, await ent.post(`/api/v1/cases/${d.no}/actions/submit`, {}), 400, 'case.address_required', 'contact.address');
  ok(await ent.patch(`/api/v1/cases/${d.no}`, { contact: { ...noAddress, address: '辽宁省大连市金州区友谊街道 9 号' } }));
  const s = ok(await ent.post(`/api/v1/cases/${d.no}/actions/submit`, {}));
  assert.equal(s.state, 'submitted');
  // 窗口领取 and 电子证照 need no address.
  for (const delivery of ['window', 'electronic']) {
    const c = ok(await ent.post('/api/v1/cases', { item: it.code, form: fill(it), materials: await allMaterials(ent), contact: { phone: '13812345678', delivery }, submit: true }), 201);
    assert.equal(c.state, 'submitted');
  }
});

test('every bad field of a submission is reported at once, the first as the error itself', async () => {
  const required = it.form.filter((f) => f.required && f.type === 'text');
  const form = fill(it);
  delete form[required[0].name];
  form[required[1].name] = 'x'.repeat((required[1].max || 500) + 1);
  const apply = it.materials.find((m) => m.form === 'form' && m.core);
  const materials = await allMaterials(ent);
  delete materials[apply.key];
  const before = await lastAuditId(admin);
  const r = await ent.post('/api/v1/cases', { item: it.code, form, materials, contact: { phone: '12345', delivery: 'mail' }, submit: true });
  const e = assertError(assert, r, 400, 'request.missing_field', `form.${required[0].name}`);
  const byField = Object.fromEntries(e.errors.map((x) => [x.field, x]));
  assert.equal(byField[`form.${required[0].name}`].code, 'request.missing_field');
  assert.equal(byField[`form.${required[1].name}`].code, 'request.bad_form_value');
  assert.equal(byField['contact.phone'].code, 'request.bad_phone');
  assert.equal(byField['contact.address'].code, 'case.address_required');
  assert.equal(byField.materials.code, 'case.core_missing');
  assert.ok(byField.materials.message.includes(apply.name), byField.materials.message);
  assert.equal(e.errors.length, 5, JSON.stringify(e.errors));
  for (const x of e.errors) assert.ok(hasChinese(x.message) && /[A-Za-z]{3}/.test(x.message_en), JSON.stringify(x));
  assert.deepEqual(await auditAfter(admin, before, '&action=case.create'), [], 'nothing was written');
  // One bad field: errors[] holds just it.
  const one = assertError(assert, await ent.post('/api/v1/cases', { item: it.code, form: fill(it, { [required[0].name]: '' }), materials: await allMaterials(ent), submit: true }),
    400, 'request.missing_field', `form.${required[0].name}`);
  assert.equal(one.errors.length, 1);
});

test('a draft is changed only while a draft, only by who may file for its party; submitting it checks it whole', async () => {
  const required = it.form.filter((f) => f.required && f.type === 'text');
  const partial = fill(it);
  delete partial[required[0].name];
  const other = it.materials.find((m) => m.form !== 'form' && m.source !== 'registry.entity');
  // A draft may be saved half filled (暂存); its filled fields are still checked.
  const d = ok(await ent.post('/api/v1/cases', { item: it.code, form: partial, contact: { name: '王小明' } }), 201);
  assert.equal(d.state, 'draft');
  assertError(assert, await ent.post('/api/v1/cases', { item: it.code, form: { [required[1].name]: 'x'.repeat((required[1].max || 500) + 1) } }), 400,
    'request.bad_form_value', `form.${required[1].name}`);
  // Submitting the half-filled draft names everything still missing.
  const s1 = assertError(assert, await ent.post(`/api/v1/cases/${d.no}/actions/submit`, {}), 400, 'request.missing_field', `form.${required[0].name}`);
  assert.ok(s1.errors.some((x) => x.field === 'materials' && x.code === 'case.core_missing'), JSON.stringify(s1.errors));
  // Others may not change it.
  assertError(assert, await person.patch(`/api/v1/cases/${d.no}`, { form: fill(it) }), 404, 'case.not_found');
  assertError(assert, await policy.patch(`/api/v1/cases/${d.no}`, { form: fill(it) }), 403, 'auth.forbidden');
  // A clerk of a department that does not handle the item does not see it.
  const dept = (await admin.get('/api/v1/departments')).body;
  const list = Array.isArray(dept) ? dept : dept.items;
  const foreign = list.find((x) => !x.central && x.code !== it.dept_code);
  assert.ok(foreign, 'a department that is neither central nor the item\'s');
  const username = `clerk_${foreign.code}_${Date.now() % 100000}`;
  ok(await admin.post('/api/v1/users', { username, role: 'clerk', password: 'Tide-Lantern-84', dept_code: foreign.code }), 201);
  const far = await srv.loginIssued(username, 'Tide-Lantern-84');
  assertError(assert, await far.patch(`/api/v1/cases/${d.no}`, { form: fill(it) }), 404, 'case.not_found');
  assertError(assert, await far.get(`/api/v1/cases/${d.no}`), 404, 'case.not_found');
  // Submitting someone else's draft tells nothing of its form.
  const foreignSubmit = assertError(assert, await person.post(`/api/v1/cases/${d.no}/actions/submit`, {}), 404, 'case.not_found');
  assert.ok(!('errors' in foreignSubmit), 'no list of what the draft lacks');
  // The window changes the drafts it files there, not an applicant's online one.
  assertError(assert, await clerk.patch(`/api/v1/cases/${d.no}`, { contact: CONTACT }), 403, 'case.forbidden');
  const w = ok(await clerk.post('/api/v1/cases', { item: it.code, party: ent.user.party, channel: 'window', form: partial }), 201);
  assert.equal(w.channel, 'window');
  assert.deepEqual(ok(await clerk.patch(`/api/v1/cases/${w.no}`, { contact: CONTACT })).contact, CONTACT);
  // Nothing to change, a stale version, a bad field: refused.
  assertError(assert, await ent.patch(`/api/v1/cases/${d.no}`, {}), 400, 'request.empty');
  assertError(assert, await ent.patch(`/api/v1/cases/${d.no}`, { form: fill(it), version: d.version + 7 }), 409, 'case.conflict');
  const bad = assertError(assert, await ent.patch(`/api/v1/cases/${d.no}`, { form: fill(it, { [required[1].name]: 'x'.repeat((required[1].max || 500) + 1) }), contact: { phone: '123' } }),
    400, 'request.bad_form_value', `form.${required[1].name}`);
  assert.deepEqual(bad.errors.map((x) => x.field), [`form.${required[1].name}`, 'contact.phone']);
  // The filer completes it: form, contact and materials, in one write with its audit event.
  const before = await lastAuditId(admin);
  const materials = await allMaterials(ent);
  const u = ok(await ent.patch(`/api/v1/cases/${d.no}`, { form: fill(it), contact: CONTACT, materials, rongque_promise: false, version: d.version }));
  assert.equal(u.state, 'draft');
  assert.deepEqual(u.contact, CONTACT);
  assert.equal(u.form[required[0].name], fill(it)[required[0].name]);
  assert.deepEqual(u.missing, []);
  assert.equal(u.materials.find((m) => m.key === other.key).sha256, materials[other.key]);
  assert.equal(u.timeline.at(-1).action, 'update');
  const ev = await auditAfter(admin, before, '&action=case.update');
  assert.equal(ev.length, 1, JSON.stringify(ev));
  assert.equal(ev[0].object, `case:${d.no}`);
  // Uploads left out of a change are no longer the draft's.
  const fewer = { ...materials };
  delete fewer[other.key];
  const u2 = ok(await ent.patch(`/api/v1/cases/${d.no}`, { materials: fewer }));
  assert.deepEqual(u2.missing, [other.key]);
  assert.deepEqual(u2.contact, CONTACT, 'what is not given stays');
  ok(await ent.patch(`/api/v1/cases/${d.no}`, { materials }));
  // Submitted: no longer a draft to change.
  const s = ok(await ent.post(`/api/v1/cases/${d.no}/actions/submit`, {}));
  assert.equal(s.state, 'submitted');
  assertError(assert, await ent.patch(`/api/v1/cases/${d.no}`, { contact: CONTACT }), 409, 'case.not_draft');
});

test('an agent sees the name of the party it files for; no one else is told it', async () => {
  const mine = ok(await ent.get('/api/v1/me/party'));
  assert.ok(hasChinese(mine.name), JSON.stringify(mine));
  const party = encodeURIComponent(ent.user.party);
  assertError(assert, await person.get(`/api/v1/me/party?party=${party}`), 404, 'party.unknown');
  const g = ok(await ent.post('/api/v1/agents', { agent: 'person', agent_party: person.user.party }), 201);
  try {
    const card = ok(await person.get(`/api/v1/me/party?party=${party}`));
    assert.equal(card.name, mine.name);
    assert.equal(card.type, 'entity');
    // The agent's draft for that party: changed by the agent and by the party itself.
    const d = ok(await person.post('/api/v1/cases', { item: it.code, party: ent.user.party, contact: { phone: '13900001111' } }), 201);
    assert.equal(d.party_name, mine.name);
    ok(await person.patch(`/api/v1/cases/${d.no}`, { contact: { phone: '13900002222' } }));
    assert.equal(ok(await ent.patch(`/api/v1/cases/${d.no}`, { contact: { phone: '13900003333' } })).contact.phone, '13900003333');
  } finally {
    ok(await ent.api('DELETE', `/api/v1/agents/${g.id}`));
  }
  assertError(assert, await person.get(`/api/v1/me/party?party=${party}`), 404, 'party.unknown');
});

// The name in filename* (RFC 5987), decoded.
function dispositionName(r) {
  const cd = r.headers.get('content-disposition') || '';
  const m = /filename\*=UTF-8''([^;]+)/.exec(cd);
  assert.ok(m, `a filename* in ${cd}`);
  assert.match(cd, /^attachment; filename="[A-Za-z0-9._-]+\.pdf"/);
  return decodeURIComponent(m[1]);
}

test('anyone downloads the blank and the sample 申请表 of an item; only application forms have them', async () => {
  const apply = it.materials.find((m) => m.form === 'form');
  const anon = srv.anon();
  const blank = await anon.get(`/api/v1/items/${it.code}/materials/${apply.key}/blank.pdf`);
  assert.equal(blank.status, 200, blank.text);
  assert.match(blank.headers.get('content-type'), /^application\/pdf/);
  assert.equal(blank.bytes.subarray(0, 5).toString('latin1'), '%PDF-');
  assert.equal(dispositionName(blank), `申请表（空白）-${it.code}.pdf`);
  const sample = await anon.get(`/api/v1/items/${it.code}/materials/${apply.key}/sample.pdf`);
  assert.equal(sample.status, 200, sample.text);
  assert.equal(sample.bytes.subarray(0, 5).toString('latin1'), '%PDF-');
  assert.equal(dispositionName(sample), `申请表（样表）-${it.code}.pdf`);
  assert.notDeepEqual(sample.bytes, blank.bytes);
  // The same again (kept once rendered), for a logged-in caller too.
  const again = await ent.get(`/api/v1/items/${it.code}/materials/${apply.key}/blank.pdf`);
  assert.equal(again.status, 200);
  assert.equal(again.bytes.subarray(0, 5).toString('latin1'), '%PDF-');
  const other = it.materials.find((m) => m.form !== 'form');
  for (const kind of ['blank', 'sample']) {
    assertError(assert, await anon.get(`/api/v1/items/${it.code}/materials/${other.key}/${kind}.pdf`), 404, 'catalog.not_a_form', 'key');
    assertError(assert, await anon.get(`/api/v1/items/${it.code}/materials/no_such_key/${kind}.pdf`), 404, 'catalog.not_a_form', 'key');
    assertError(assert, await anon.get(`/api/v1/items/JP-NO-SUCH-ITEM/materials/${apply.key}/${kind}.pdf`), 404, 'catalog.not_found');
  }
});
