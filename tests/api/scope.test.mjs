// scope.test.mjs — who may act on WHICH record (issue 12), on SQLite and
// PostgreSQL: roles.test.mjs proves who may call each route; this file
// proves each route stays inside the caller's department or party. Besides
// the demo accounts it makes a second department's clerk and approver
// (人社局, which handles none of the cases below but one 企业开办 child),
// and uses `person` both as a second applicant and as an agent whose grant
// ends.
//   - 告知承诺 needs every core material and the signed promise, and a party
//     of the kind the item serves;
//   - a certificate is revoked through its case, by its department only,
//     once (again is a no-op), with the case's timeline, notice, message and
//     credit effect;
//   - an agent acts while its grant lives, and never after; one grant per
//     agent and party; a grant names nobody by username alone;
//   - bundles, uploads, certificate PDFs, parcels and registry changes stay
//     within the department or the party, and the people entitled to a
//     document (a founder, an agent) get it;
//   - a land contract issues only to the applicant, by 招商 or the permits'
//     own department;
//   - CSV exports cannot carry a formula, and bundle forms are checked as
//     the entity API checks them.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, cleanup, assertError, entityBody, auditAfter, parseCsv } from './lib.mjs';

const STRONG = 'Scope#Test-2026x';
let srv, ent, person, clerk, approver, scjg, admin, invest, leader, auditor, rsjClerk, rsjApprover;

before(async () => {
  srv = await startServer();
  [ent, person, clerk, approver, scjg, admin, invest, leader, auditor] = await Promise.all(
    ['ent', 'person', 'clerk', 'approver', 'scjg_approver', 'admin', 'invest', 'leader', 'auditor'].map((u) => srv.login(u)));
  for (const [username, role] of [['rsj_clerk', 'clerk'], ['rsj_approver', 'approver']]) {
    const r = await admin.post('/api/v1/users', { username, role, dept_code: 'rsj', password: STRONG, display: '人社' });
    assert.equal(r.status, 201, r.text);
  }
  [rsjClerk, rsjApprover] = await Promise.all(['rsj_clerk', 'rsj_approver'].map((u) => srv.loginIssued(u, STRONG)));
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

// materials(client, code, {skip, party}) uploads a file for every material
// of the item but those skipped and those the registry supplies.
async function materials(client, code, { skip = [], party = 'entity' } = {}) {
  const it = ok(await clerk.get(`/api/v1/items/${code}`));
  const out = {};
  for (const m of it.materials) {
    if (skip.includes(m.key)) continue;
    if ((m.source === 'registry.entity' && party === 'entity') || (m.source === 'registry.person' && party === 'person')) continue;
    out[m.key] = await upload(client);
  }
  return out;
}

const act = (client, no, action, body = {}) => client.post(`/api/v1/cases/${no}/actions/${action}`, body);
const caseCount = async (client) => ok(await client.get('/api/v1/cases?per_page=1')).total;

// A fresh registered company with its own applicant account.
async function newCompany() {
  const body = entityBody();
  ok(await clerk.post('/api/v1/entities', body), 201);
  const username = `co${Date.now() % 1e8}${Math.floor(Math.random() * 1000)}`;
  ok(await admin.post('/api/v1/users', { username, role: 'applicant', party: body.uscc, password: STRONG }), 201);
  return { body, client: await srv.loginIssued(username, STRONG) };
}

test('告知承诺 refuses a party of the wrong kind and a filing without its core materials or the signed promise; nothing is written', async () => {
  const before = await caseCount(clerk);
  // The citizen of the report: nothing attached, a company's licence.
  assertError(assert, await person.post('/api/v1/cases', { item: 'JP-CN-001', submit: true, commitment: true }), 400, 'case.wrong_party_kind', 'party');
  assertError(assert, await person.post('/api/v1/cases', { item: 'JP-CN-001', materials: await materials(person, 'JP-CN-001'), submit: true, commitment: true }),
    400, 'case.wrong_party_kind', 'party');
  // A company with nothing attached: the form (a core material) and the promise are named.
  const e = assertError(assert, await ent.post('/api/v1/cases', { item: 'JP-CN-001', submit: true, commitment: true }), 400, 'case.promise_incomplete', 'materials');
  assert.match(e.message, /申请书/);
  assert.match(e.message, /告知承诺书/);
  // Everything but the signed promise: still refused.
  assertError(assert, await ent.post('/api/v1/cases', { item: 'JP-CN-001', materials: await materials(ent, 'JP-CN-001', { skip: ['promise'] }), submit: true, commitment: true }),
    400, 'case.promise_incomplete', 'materials');
  assert.equal(await caseCount(clerk), before, 'no case was written');
  // The core materials and the promise (a non-core material may be missing: the promise covers it).
  const c = ok(await ent.post('/api/v1/cases', { item: 'JP-CN-001', materials: await materials(ent, 'JP-CN-001', { skip: ['premises', 'agent'] }), submit: true, commitment: true }), 201);
  assert.equal(c.state, 'issued');
  assert.equal(c.path, 'promise');
  assert.equal(ok(await srv.anon().get(`/api/v1/verify/${c.certificate}`)).status, 'valid');
  // The guide says who may apply.
  assert.equal(ok(await srv.anon().get('/api/v1/items/JP-CN-001')).parties, 'entity');
});

test('a certificate is revoked through its case, by its own department, once; the case, its notice, message and the broken promise follow', async () => {
  const co = await newCompany();
  const c = ok(await co.client.post('/api/v1/cases', { item: 'JP-CN-001', materials: await materials(co.client, 'JP-CN-001'), submit: true, commitment: true }), 201);
  const rv = `/api/v1/certificates/${c.certificate}/revoke`;
  const why = { reason: '现场核查：经营场所与承诺不符', false_promise: true };
  // Another department's approvers may not; neither may a clerk (role) nor the holder.
  for (const x of [scjg, rsjApprover]) assertError(assert, await x.post(rv, why), 403, 'cert.other_department');
  assertError(assert, await clerk.post(rv, why), 403, 'auth.forbidden');
  assertError(assert, await co.client.post(rv, why), 403, 'auth.forbidden');
  assertError(assert, await approver.post(rv, {}), 400, 'request.missing_field', 'reason');
  assert.equal(ok(await srv.anon().get(`/api/v1/verify/${c.certificate}`)).status, 'valid');
  const inboxBefore = ok(await co.client.get('/api/v1/inbox?per_page=100')).items.length;
  const v = ok(await approver.post(rv, why));
  assert.equal(v.status, 'revoked');
  assert.equal(v.revoke_reason, why.reason);
  const after = ok(await co.client.get(`/api/v1/cases/${c.no}`));
  assert.equal(after.state, 'revoked');
  assert.ok(after.timeline.some((t) => t.action === 'revoke' && t.to_state === 'revoked'), JSON.stringify(after.timeline));
  assert.ok(ok(await co.client.get('/api/v1/inbox?per_page=100')).items.length > inboxBefore, 'the holder is told');
  const notice = after.notices.find((n) => n.kind === 'revoke');
  assert.ok(notice, JSON.stringify(after.notices));
  const np = await co.client.get(`/api/v1/cases/${c.no}/notices/${notice.id}/pdf`);
  assert.equal(np.status, 200, np.text);
  // Again: nothing changes, no second event.
  assert.equal(ok(await approver.post(rv, { reason: '再次撤销' })).revoke_reason, why.reason);
  const ev = (await auditAfter(auditor, 0, '&action=cert.revoke')).filter((x) => x.object === `certificate:${c.certificate}`);
  assert.equal(ev.length, 1);
  // The broken promise bars the company from 告知承诺.
  assertError(assert, await co.client.post('/api/v1/cases', { item: 'JP-CN-001', materials: await materials(co.client, 'JP-CN-001'), submit: true, commitment: true }),
    403, 'case.party_barred');
});

test('a certificate revoked outside its case (old data) no longer blocks revoking the case', async () => {
  const co = await newCompany();
  const c = ok(await co.client.post('/api/v1/cases', { item: 'JP-CN-001', materials: await materials(co.client, 'JP-CN-001'), submit: true, commitment: true }), 201);
  srv.db.query(`UPDATE certificate SET status = 'revoked', revoked_at = 1, revoke_reason = '旧接口撤销' WHERE code = '${c.certificate}'`);
  assert.equal(ok(await act(approver, c.no, 'revoke', { reason: '补记撤销决定', false_promise: true })).state, 'revoked');
});

test('an agent acts while its grant lives and never after; one grant per agent and party; a username alone names nobody', async () => {
  const co = await newCompany();
  const grant = (body) => co.client.post('/api/v1/agents', body);
  // Unknown account, or a real username with another's number: the same answer.
  const a = assertError(assert, await grant({ agent: 'no_such_user', agent_party: person.user.party }), 400, 'agent.unknown', 'agent');
  const b = assertError(assert, await grant({ agent: 'person', agent_party: ent.user.party }), 400, 'agent.unknown', 'agent');
  assert.equal(a.message, b.message);
  assertError(assert, await grant({ agent: 'person' }), 400, 'request.missing_field', 'agent_party');
  const g = ok(await grant({ agent: 'person', agent_party: person.user.party }), 201);
  const g2 = ok(await grant({ agent: 'person', agent_party: person.user.party.toLowerCase() }), 200);
  assert.equal(g2.id, g.id, 'granting again returns the live grant');
  assert.equal(ok(await co.client.get('/api/v1/agents')).filter((x) => x.agent === 'person').length, 1);

  // While granted: the agent files, reads and lists the company's cases.
  const mats = await materials(person, 'JP-CN-001');
  const filed = ok(await person.post('/api/v1/cases', { item: 'JP-CN-001', party: co.body.uscc, materials: mats, submit: true }), 201);
  const draft = ok(await person.post('/api/v1/cases', { item: 'JP-CN-001', party: co.body.uscc, materials: mats }), 201);
  assert.equal((await person.get(`/api/v1/cases/${filed.no}`)).status, 200);
  assert.ok(ok(await person.get('/api/v1/cases?per_page=100')).items.some((x) => x.no === filed.no));
  const cert = await (async () => {
    const c = ok(await co.client.post('/api/v1/cases', { item: 'JP-CN-001', materials: await materials(co.client, 'JP-CN-001'), submit: true, commitment: true }), 201);
    return c.certificate;
  })();
  assert.equal((await person.get(`/api/v1/certificates/${cert}/pdf`)).status, 200, 'an agent gets its principal\'s certificate');

  ok(await co.client.api('DELETE', `/api/v1/agents/${g.id}`));
  const inbox = ok(await person.get('/api/v1/inbox?per_page=100')).items.length;
  // After: nothing more for that party.
  assertError(assert, await person.get(`/api/v1/cases/${filed.no}`), 404, 'case.not_found');
  assert.ok(!ok(await person.get('/api/v1/cases?per_page=100')).items.some((x) => x.no === filed.no || x.no === draft.no));
  assertError(assert, await act(person, draft.no, 'submit'), 404, 'case.not_found');
  assertError(assert, await act(person, filed.no, 'withdraw'), 404, 'case.not_found');
  assertError(assert, await person.get(`/api/v1/certificates/${cert}/pdf`), 404, 'cert.not_found');
  assertError(assert, await person.post('/api/v1/cases', { item: 'JP-CN-001', party: co.body.uscc, materials: mats, submit: true }), 403, 'case.not_agent', 'party');
  // The department's next move is told to the company, not to the former agent.
  ok(await act(clerk, filed.no, 'accept'));
  assert.equal(ok(await person.get('/api/v1/inbox?per_page=100')).items.length, inbox);
  assert.equal(ok(await co.client.get(`/api/v1/cases/${filed.no}`)).state, 'accepted');
});

test('uploads and certificate PDFs: the case\'s department and overseers, the party and its agents; no other department or applicant', async () => {
  const co = await newCompany();
  const mats = await materials(co.client, 'JP-CN-001');
  const c = ok(await co.client.post('/api/v1/cases', { item: 'JP-CN-001', materials: mats, submit: true, commitment: true }), 201);
  const up = `/api/v1/uploads/${mats.premises}`, pdfUrl = `/api/v1/certificates/${c.certificate}/pdf`;
  for (const x of [co.client, clerk, approver, leader, auditor, admin]) {
    assert.equal((await x.get(up)).status, 200, `${x.user.username} reads the material`);
    assert.equal((await x.get(pdfUrl)).status, 200, `${x.user.username} reads the certificate`);
  }
  for (const x of [scjg, rsjClerk, rsjApprover, ent, person, invest]) {
    assertError(assert, await x.get(up), 404, 'upload.not_found');
    assertError(assert, await x.get(pdfUrl), 404, 'cert.not_found');
  }
});

test('企业开办: the founder gets the licence of the company just founded; officials who do not handle it see the ID number masked; other departments see nothing', async () => {
  const codes = ['JP-KB-01', 'JP-KB-02', 'JP-KB-03', 'JP-KB-04', 'JP-KB-05', 'JP-KB-06'];
  const mats = {};
  for (const code of codes) Object.assign(mats, await materials(person, code, { party: 'person' }));
  const form = { name: `大连金普${Date.now() % 100000}信息科技有限公司`, kind: 'company', legal_rep: '李四', capital_fen: 100000000, industry: 'I', address: '大连市金州区站前街道2号', district: '站前街道' };
  // Text from a bundle form is checked as the entity API checks it: no CR LF, no escape sequences.
  const before = ok(await person.get('/api/v1/cases?per_page=1')).total;
  assertError(assert, await person.post('/api/v1/bundles', { kind: 'kaiban', form: { ...form, legal_rep: '李四\r\n\u001b[31m管理员' }, materials: mats }), 400, 'request.bad_text', 'form.legal_rep');
  assertError(assert, await person.post('/api/v1/bundles', { kind: 'kaiban', form: { ...form, legal_rep: '李'.repeat(31) }, materials: mats }), 400, 'request.too_long', 'form.legal_rep');
  assertError(assert, await person.post('/api/v1/bundles', { kind: 'kaiban', form: { ...form, capital_fen: '100' }, materials: mats }), 400, 'request.bad_type', 'form.capital_fen');
  assert.equal(ok(await person.get('/api/v1/cases?per_page=1')).total, before, 'no case was written');
  const b = ok(await person.post('/api/v1/bundles', { kind: 'kaiban', form, materials: mats }), 201);
  const id = person.user.party;
  // Who handles a child sees the number; who oversees sees it masked; another department nothing.
  assert.equal(ok(await rsjClerk.get(`/api/v1/bundles/${b.id}`)).party, id);
  assert.equal(ok(await scjg.get(`/api/v1/bundles/${b.id}`)).party, id);
  for (const x of [leader, auditor]) {
    const v = ok(await x.get(`/api/v1/bundles/${b.id}`));
    assert.equal(v.party, `${id.slice(0, 6)}${'*'.repeat(id.length - 10)}${id.slice(-4)}`);
    assert.ok(v.children.every((ch) => ch.party === v.party));
  }
  const zjj = await (async () => {
    ok(await admin.post('/api/v1/users', { username: 'zjj_clerk', role: 'clerk', dept_code: 'zjj', password: STRONG }), 201);
    return srv.loginIssued('zjj_clerk', STRONG);
  })();
  assertError(assert, await zjj.get(`/api/v1/bundles/${b.id}`), 404, 'bundle.not_found');
  assertError(assert, await ent.get(`/api/v1/bundles/${b.id}`), 404, 'bundle.not_found');
  for (const ch of b.children) {
    ok(await act(clerk, ch.no, 'accept'));
    ok(await act(approver, ch.no, 'approve'));
    ok(await act(clerk, ch.no, 'issue'));
  }
  const done = ok(await person.get(`/api/v1/bundles/${b.id}`));
  assert.equal(done.status, 'done');
  const licence = ok(await person.get(`/api/v1/cases/${done.children[0].no}`)).certificate;
  assert.equal(ok(await srv.anon().get(`/api/v1/verify/${licence}`)).holder_party, done.entity_uscc);
  const p = await person.get(`/api/v1/certificates/${licence}/pdf`);
  assert.equal(p.status, 200, p.text);
  assertError(assert, await ent.get(`/api/v1/certificates/${licence}/pdf`), 404, 'cert.not_found');
});

test('the registry is changed only by the registration authority', async () => {
  const body = entityBody();
  for (const x of [rsjClerk, rsjApprover]) {
    assertError(assert, await x.post('/api/v1/entities', body), 403, 'registry.not_registrar');
    assertError(assert, await x.patch(`/api/v1/entities/${ent.user.party}`, { address: '辽宁省大连市金普新区某路 9 号' }), 403, 'registry.not_registrar');
  }
  assert.equal(ok(await clerk.get(`/api/v1/entities/${ent.user.party}`)).address !== '辽宁省大连市金普新区某路 9 号', true);
  ok(await scjg.post('/api/v1/entities', body), 201);
  assert.equal(ok(await scjg.patch(`/api/v1/entities/${body.uscc}`, { address: '辽宁省大连市金普新区某路 9 号' })).address, '辽宁省大连市金普新区某路 9 号');
});

test('零时限审批: the land contract issues only to the applicant, recorded by 招商 or the permits\' own department; an applicant reads only its own parcel', async () => {
  const code = `DL-S${Date.now() % 1000000}`;
  ok(await invest.post('/api/v1/parcels', { code, name: '金普新区测试地块', district: '小窑湾' }), 201);
  const mats = {};
  for (const c of ['JP-ZX-01', 'JP-ZX-02', 'JP-ZX-03']) Object.assign(mats, await materials(ent, c));
  const b = ok(await ent.post('/api/v1/bundles', { kind: 'land', parcel: code, materials: mats }), 201);
  for (const ch of b.children) {
    ok(await act(clerk, ch.no, 'accept'));
    ok(await act(approver, ch.no, 'approve'));
  }
  const contract = (x, holder) => x.post(`/api/v1/parcels/${code}/contract`, { contract_no: '大金土出〔2026〕99号', holder });
  for (const x of [scjg, rsjApprover]) assertError(assert, await contract(x, ent.user.party), 403, 'parcel.other_department');
  assertError(assert, await contract(invest, person.user.party), 409, 'parcel.holder_mismatch', 'holder');
  assertError(assert, await contract(invest), 400, 'request.missing_field', 'holder');
  const still = ok(await invest.get(`/api/v1/parcels/${code}`));
  assert.equal(still.state, 'prereview', 'a refused contract records nothing');
  assert.ok(ok(await ent.get(`/api/v1/bundles/${b.id}`)).children.every((ch) => !ch.certificate));
  const p = ok(await contract(invest, ent.user.party.toLowerCase()));
  assert.equal(p.issued, 3);
  assert.equal(p.holder, ent.user.party);
  // The contract is the holder's (and its agents'); another applicant sees the public part only.
  assert.equal(ok(await ent.get(`/api/v1/parcels/${code}`)).contract_no, '大金土出〔2026〕99号');
  assert.deepEqual(Object.keys(ok(await person.get(`/api/v1/parcels/${code}`))).sort(), ['code', 'district', 'name', 'state']);
});

test('CSV exports cannot carry a spreadsheet formula, and import back unchanged', async () => {
  // An entity named like a formula (the bundle path and the API accept the text).
  const evil = ['=HYPERLINK("http://evil.example/","点击")', '@SUM(1)', '+1+1', '-2+3'];
  const bodies = evil.map((name) => entityBody({ name: `${name}有限公司` }));
  for (const body of bodies) ok(await clerk.post('/api/v1/entities', body), 201);
  const r = await srv.cliAsync(['export', 'entities']);
  assert.equal(r.status, 0, r.stderr);
  const rows = parseCsv(r.stdout);
  for (const body of bodies) {
    const row = rows.find((x) => x[0] === body.uscc);
    assert.ok(row, body.uscc);
    assert.ok(row.every((cell) => !/^[=+\-@\t\r]/.test(cell)), JSON.stringify(row));
    assert.ok(row.includes(`'${body.name}`), JSON.stringify(row));
  }
  // A catalogue row with a command formula, exported and imported again as the same item.
  const it = ok(await clerk.get('/api/v1/items/JP-JB-001'));
  const name = "=cmd|' /C calc'!A0";
  const saved = await admin.post('/api/v1/items', { ...it, code: `T-CSV-${Date.now() % 1e6}`, name, effective_from: undefined, version: undefined, version_id: undefined });
  assert.equal(saved.status, 201, saved.text);
  const csv = await auditor.get('/api/v1/catalog/export?format=csv');
  const line = parseCsv(csv.text).find((x) => x[0] === saved.body.code);
  assert.equal(line[5], `'${name}`);
  for (const cell of line) assert.ok(!/^[=+\-@\t\r]/.test(cell), cell);
  const again = ok(await admin.post('/api/v1/catalog/import', csv.text, { headers: { 'Content-Type': 'text/csv' } }));
  assert.equal(again.imported, 0, JSON.stringify(again));
  assert.equal(ok(await clerk.get(`/api/v1/items/${saved.body.code}`)).name, name);
});

test('indicators: a department enters only its own indicators (not another\'s, not a computed one); targets only by the target departments', async () => {
  const body = { period: '2025-03', value: '5100', source: '人社局月报' };
  // 人社局's approver enters 人社局's 城镇新增就业, not 商务局's 实际利用外资; 商务局's officer the reverse.
  assert.equal((await rsjApprover.post('/api/v1/indicators/jobs/values', body)).status, 201);
  assertError(assert, await rsjApprover.post('/api/v1/indicators/fdi/values', { ...body, value: '1.5' }), 403, 'indicator.forbidden');
  assertError(assert, await invest.post('/api/v1/indicators/jobs/values', { ...body, note: '更正' }), 403, 'indicator.forbidden');
  assert.equal((await invest.post('/api/v1/indicators/fdi/values', { ...body, value: '1.5' })).status, 201);
  // A window clerk of the department enters nothing (route roles); nobody enters a computed figure.
  assertError(assert, await rsjClerk.post('/api/v1/indicators/jobs/values', body), 403, 'auth.forbidden');
  assertError(assert, await admin.post('/api/v1/indicators/cases_filed/values', body), 409, 'indicator.computed');
  // Leaders and auditors read every department's, enter none.
  for (const x of [leader, auditor]) {
    const v = await x.get('/api/v1/indicators/jobs/values?year=2025');
    assert.equal(v.status, 200, v.text);
    assert.equal(v.body.periods.find((p) => p.period === '2025-03').value, '5100');
    assertError(assert, await x.post('/api/v1/indicators/jobs/values', body), 403, 'auth.forbidden');
  }
  // Targets: not 人社局 nor 商务局 (parameter indicator/target_depts names 发改局 and 统计局).
  for (const x of [rsjApprover, invest]) {
    assertError(assert, await x.post('/api/v1/indicators/jobs/targets', { year: 2025, kind: 'level', value: '20000', text: '新增就业2万人' }), 403, 'indicator.forbidden');
  }
  assertError(assert, await ent.get('/api/v1/indicators/jobs/values?year=2025'), 403, 'auth.forbidden');
});

test('惠民实事: a project\'s milestones, progress, reports and moderation stay with its lead department; a second department is refused; a second applicant sees neither another\'s pending comment nor the evidence of an unpublished project', async () => {
  const day = (n) => new Date(Date.now() + 8 * 3600_000 + n * 86400_000).toISOString().slice(0, 10);
  // 行政审批局 leads it (the clerk's and approver's department); 人社局's clerk is the second department
  const p = ok(await admin.post('/api/v1/livelihood/projects', {
    year: 2032, title: '政务服务驿站', category: '数字生活', dept: 'xzspj', budget: '100', target_value: '12',
    target_unit: '个', published: true, milestones: [{ title: '选址', planned_on: day(-2) }],
  }), 201);
  assert.equal(p.status, 'behind');
  const m = p.milestones[0].id;
  const path = `/api/v1/livelihood/projects/${p.code}`;
  for (const [method, sub, body] of [
    ['POST', `/milestones/${m}/reach`, { reached_on: day(0) }],
    ['POST', '/milestones', { title: '越权', planned_on: day(3) }],
    ['POST', '/progress', { percent: 50 }],
    ['POST', '/reports', { month: day(0).slice(0, 7), body: '越权', percent: 50 }],
    ['PATCH', '', { title: '越权改名' }],
  ]) assertError(assert, await rsjClerk.api(method, path + sub, body), 403, 'livelihood.forbidden');
  assert.ok(ok(await clerk.get('/api/v1/livelihood/behind')).items.some((x) => x.code === p.code));
  assert.ok(!ok(await rsjClerk.get('/api/v1/livelihood/behind')).items.some((x) => x.code === p.code));
  const sha = await upload(approver);
  assert.equal(ok(await approver.post(`${path}/progress`, { percent: 30, evidence: [sha] }), 201).progress, 30);
  assert.equal(ok(await approver.post(`${path}/milestones/${m}/reach`, { reached_on: day(0) })).status, 'on_track');

  // ratings: each applicant its own; the lead department moderates, the second department cannot
  const c = ok(await ent.post(`${path}/comments`, { rating: 4, body: '离家很近' }), 201).comments.find((x) => x.state === 'pending');
  const seen = ok(await person.get(path));
  assert.ok(!seen.comments.some((x) => x.id === c.id));
  assert.equal(seen.may_comment, true);
  assert.ok(!ok(await rsjClerk.get('/api/v1/livelihood/comments')).items.some((x) => x.id === c.id));
  assertError(assert, await rsjClerk.post(`/api/v1/livelihood/comments/${c.id}/moderate`, { decision: 'approve' }), 403, 'livelihood.forbidden');
  ok(await clerk.post(`/api/v1/livelihood/comments/${c.id}/moderate`, { decision: 'approve' }));
  assert.equal(ok(await person.get(path)).comments.find((x) => x.id === c.id).state, 'approved');

  // evidence of a published project: applicants read it; unpublished: they do not
  assert.equal((await person.get(`/api/v1/uploads/${sha}`)).status, 200);
  ok(await clerk.patch(path, { published: false }));
  assertError(assert, await person.get(`/api/v1/uploads/${sha}`), 404, 'upload.not_found');
  assertError(assert, await person.get(path), 404, 'livelihood.not_found');
  assert.equal((await rsjClerk.get(`/api/v1/uploads/${sha}`)).status, 200, 'officials read every project and its evidence');
});

test('talent feeds: only the talent department imports 社保 and 个税 months; another department and applicants change nothing and read nothing', async () => {
  const [policy, keji] = await Promise.all(['policy', 'keji'].map((u) => srv.login(u)));
  const number = srv.db.query(`SELECT id_number FROM person WHERE id_kind = 'id' AND id_number <> '${person.user.party}' ORDER BY id LIMIT 1`)
    .match(/\b\d{17}[\dX]\b/)[0];
  const body = Buffer.from(`证件号码,所属期,缴纳地,是否补缴\n${number},2024-05,金普,否\n`);
  const send = (c, feed = 'social_insurance') => c.api('POST', `/api/v1/talent/feeds/${feed}/import`, body, { headers: { 'Content-Type': 'application/octet-stream' } });
  const facts = async () => ok(await policy.get(`/api/v1/talent/persons/${number}`)).facts;
  const was = await facts();
  assertError(assert, await send(keji), 403, 'talent.forbidden');
  assertError(assert, await send(keji, 'income_tax'), 403, 'talent.forbidden');
  for (const c of [ent, person, rsjClerk, clerk]) assertError(assert, await send(c), 403, 'auth.forbidden');
  assert.deepEqual(await facts(), was);
  // exports: the talent department and overseers; not another department's officer, nor an applicant
  assertError(assert, await keji.get('/api/v1/talent/feeds/social_insurance/export?format=csv'), 404, 'talent.not_found');
  for (const c of [ent, person]) assertError(assert, await c.get('/api/v1/talent/feeds/income_tax/export?format=csv'), 403, 'auth.forbidden');
  assert.equal((await send(policy)).status, 201);
  assert.deepEqual((await facts()).social_insurance, [{ month: '2024-05', place: 'jinpu', back_paid: false }]);
  // the months imported stay the person's: a second applicant does not read them
  assertError(assert, await person.get(`/api/v1/talent/persons/${number}`), 404, 'talent.not_found');
});
