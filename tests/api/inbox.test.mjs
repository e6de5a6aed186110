// inbox.test.mjs — the inbox (我的消息) against the real server (on SQLite and
// PostgreSQL): one message per step of a 一件事 bundle rather than one per
// child case (the 企业开办 children accepted one by one; the three permits a
// land contract issues in one write), the unread count, 全部已读 (only the
// caller's messages), the catalogue filtered by the kind of party (the
// kiosk offers a citizen no enterprise items), and what the kiosk shows
// besides: the registry's record of the person (ID number masked) for its
// e-forms, and the QR code of the case's page on the receipt.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, cleanup, assertError } from './lib.mjs';

let srv, ent, person, clerk, approver, invest;
before(async () => {
  srv = await startServer();
  [ent, person, clerk, approver, invest] = await Promise.all(
    ['ent', 'person', 'clerk', 'approver', 'invest'].map((u) => srv.login(u)));
});
after(() => cleanup(srv));

function ok(r, status = 200) {
  assert.equal(r.status, status, r.text);
  return r.body;
}

function pdf(tag = Math.random().toString(36)) {
  return Buffer.from(`%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n% ${tag}\ntrailer<</Root 1 0 R>>\n%%EOF\n`);
}

// materialsFor() uploads one file for every material of the items the
// registry does not supply for a party of that kind.
async function materialsFor(client, codes, party) {
  const out = {};
  for (const code of codes) {
    const it = ok(await clerk.get(`/api/v1/items/${code}`));
    for (const m of it.materials) {
      if (m.source === `registry.${party}`) continue;
      const r = await client.post('/api/v1/uploads', pdf(), { headers: { 'Content-Type': 'application/pdf' } });
      out[m.key] = ok(r, 201).sha256;
    }
  }
  return out;
}

const act = (client, no, action, body = {}) => client.post(`/api/v1/cases/${no}/actions/${action}`, body);
const inbox = async (client) => ok(await client.get('/api/v1/inbox?per_page=100'));

test('企业开办: six children accepted one by one make one message about the bundle, not six', async () => {
  const codes = ['JP-KB-01', 'JP-KB-02', 'JP-KB-03', 'JP-KB-04', 'JP-KB-05', 'JP-KB-06'];
  const materials = await materialsFor(person, codes, 'person');
  const form = { name: `大连金普鑫消息${Date.now() % 100000}科技有限公司`, kind: 'company', legal_rep: '张三', capital_fen: 100000000, industry: 'I', address: '大连市金州区站前街道1号', district: '站前街道' };
  const b = ok(await person.post('/api/v1/bundles', { kind: 'kaiban', form, materials }), 201);
  assert.equal(b.children.length, 6);
  const n0 = (await inbox(person)).items.length;
  for (const ch of b.children) ok(await act(clerk, ch.no, 'accept'));
  const box = await inbox(person);
  assert.equal(box.items.length, n0 + 1, 'one message for the step, not one per child');
  const m = box.items[0];
  assert.equal(m.subject_kind, 'bundle');
  assert.equal(m.subject, String(b.id));
  assert.match(m.title, /企业开办/);
  assert.equal(m.read_at, null);
  for (const ch of b.children) assert.ok(m.body.includes(ch.no), `the message names ${ch.no}`);
  assert.equal(m.body.split('\n').length, 6, 'one line per child');

  // The next step is a new message; once read, it is not added to: the
  // step's next children start a new one.
  for (const ch of b.children.slice(0, 3)) ok(await act(approver, ch.no, 'approve'));
  const box2 = await inbox(person);
  assert.equal(box2.items.length, n0 + 2);
  assert.notEqual(box2.items[0].title, m.title);
  assert.equal(box2.items[0].subject, String(b.id));
  assert.equal(box2.items[0].body.split('\n').length, 3);
  ok(await person.post(`/api/v1/inbox/${box2.items[0].id}/read`));
  for (const ch of b.children.slice(3)) ok(await act(approver, ch.no, 'approve'));
  const box3 = await inbox(person);
  assert.equal(box3.items.length, n0 + 3);
  assert.equal(box3.items[0].title, box2.items[0].title);
  assert.equal(box3.items[0].read_at, null);
  assert.equal(box3.items[0].body.split('\n').length, 3);
  assert.equal(box3.items[1].body.split('\n').length, 3, 'the read message is unchanged');
});

test('零时限审批: the three permits a land contract issues in one write make one message', async () => {
  const code = `DL-MSG-${Date.now() % 1000000}`;
  ok(await invest.post('/api/v1/parcels', { code, name: '金普新区消息地块', district: '小窑湾' }), 201);
  const materials = await materialsFor(ent, ['JP-ZX-01', 'JP-ZX-02', 'JP-ZX-03'], 'entity');
  const b = ok(await ent.post('/api/v1/bundles', { kind: 'land', parcel: code, materials }), 201);
  for (const ch of b.children) {
    ok(await act(clerk, ch.no, 'accept'));
    ok(await act(approver, ch.no, 'approve'));
  }
  const n0 = (await inbox(ent)).items.length;
  assert.equal(ok(await invest.post(`/api/v1/parcels/${code}/contract`, { contract_no: '大金土出〔2026〕19号', holder: ent.user.party })).issued, 3);
  const box = await inbox(ent);
  assert.equal(box.items.length, n0 + 1, 'one message for the three permits');
  assert.equal(box.items[0].subject_kind, 'bundle');
  assert.equal(box.items[0].subject, String(b.id));
  for (const ch of b.children) assert.ok(box.items[0].body.includes(ch.no));
});

test('the unread count, and 全部已读 marks only the caller’s messages read', async () => {
  const before = await inbox(person);
  assert.equal(typeof before.unread, 'number');
  assert.equal(before.unread, before.items.filter((m) => !m.read_at).length);
  assert.ok(before.unread > 0, 'the bundle left unread messages');
  const entUnread = (await inbox(ent)).unread;
  assert.ok(entUnread > 0);

  const r = ok(await person.post('/api/v1/inbox/read-all'));
  assert.equal(r.read, before.unread);
  const afterAll = await inbox(person);
  assert.equal(afterAll.unread, 0);
  assert.ok(afterAll.items.every((m) => m.read_at), 'every message is read');
  assert.equal(ok(await person.post('/api/v1/inbox/read-all')).read, 0, 'nothing left to read');
  assert.equal((await inbox(ent)).unread, entUnread, 'another party’s messages stay unread');
  // A read message is not reopened: the next move is a new, unread message.
  assertError(assert, await person.post(`/api/v1/inbox/${afterAll.items[0].id}/read`), 404, 'inbox.not_found');
});

test('the catalogue by the kind of party: ?parties=person gives no enterprise items', async () => {
  const all = ok(await clerk.get('/api/v1/items?per_page=100'));
  const pers = ok(await clerk.get('/api/v1/items?parties=person&per_page=100'));
  const ents = ok(await clerk.get('/api/v1/items?parties=entity&per_page=100'));
  assert.ok(pers.total > 0 && ents.total > 0);
  assert.ok(pers.total < all.total && ents.total < all.total, `${pers.total} ${ents.total} < ${all.total}`);
  for (const it of pers.items) assert.ok(['person', ''].includes(it.parties), `${it.code} is for ${it.parties}`);
  for (const it of ents.items) assert.ok(['entity', ''].includes(it.parties), `${it.code} is for ${it.parties}`);
  // With the other filters: 即办 items for a person.
  const inst = ok(await clerk.get('/api/v1/items?parties=person&mode=instant&per_page=100'));
  for (const it of inst.items) assert.notEqual(it.parties, 'entity');
  assertError(assert, await clerk.get('/api/v1/items?parties=company'), 400, 'catalog.bad_parties', 'parties');
});

test('kiosk support: the registry’s record of my party with the ID number masked, and the QR code of a case only for those who see it', async () => {
  const me = ok(await person.get('/api/v1/me/party'));
  assert.equal(me.type, 'person');
  assert.ok(me.name.length > 0);
  const id = person.user.party;
  assert.equal(me.number, `${id.slice(0, 6)}********${id.slice(14)}`);
  assert.ok(!JSON.stringify(me).includes(id), 'the whole ID number is not sent');
  const co = ok(await ent.get('/api/v1/me/party'));
  assert.deepEqual([co.type, co.number], ['entity', ent.user.party]);
  assertError(assert, await clerk.get('/api/v1/me/party'), 403, 'auth.forbidden');

  // A person's kiosk item with no rule and no form to fill: found by what it is, not by a generated code.
  const list = ok(await person.get('/api/v1/items?parties=person&channel=kiosk&per_page=100')).items;
  let code = null;
  for (const brief of list) {
    const it = ok(await person.get(`/api/v1/items/${brief.code}`));
    if (!it.rule && !(it.form || []).some((f) => f.required) && it.parties === 'person') { code = it.code; break; }
  }
  assert.ok(code, 'a kiosk item for persons');
  const materials = await materialsFor(person, [code], 'person');
  const c = ok(await person.post('/api/v1/cases', { item: code, channel: 'kiosk', materials, submit: true }), 201);
  const q = await person.get(`/api/v1/cases/${c.no}/qr`);
  assert.equal(q.status, 200);
  assert.equal(q.headers.get('content-type'), 'image/svg+xml');
  assert.match(q.text, /^<svg [^>]*viewBox="0 0 \d+ \d+"/);
  assertError(assert, await ent.get(`/api/v1/cases/${c.no}/qr`), 404, 'case.not_found');
  const receipt = c.notices.find((n) => n.kind === 'receipt');
  const pdf = await person.get(`/api/v1/cases/${c.no}/notices/${receipt.id}/pdf`);
  assert.equal(pdf.status, 200);
  assert.equal(pdf.bytes.subarray(0, 5).toString(), '%PDF-');
});
