// workbench.test.mjs — the official's workbench over the API (on SQLite and
// PostgreSQL): the case list exported to Excel and CSV with Chinese titles,
// in the caller's scope and with the list's filters; a 一件事 child in the
// list carries its bundle and the bundle's clock; the catalogue CSV as a
// download for Excel on Chinese Windows (BOM, Chinese file name) that
// still imports back; import refusals Chinese first with English beside.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, cleanup, assertError, readXlsx, parseCsv, hasChinese } from './lib.mjs';

let srv, admin, scjg, clerk, approver, ent, person, other;
before(async () => {
  srv = await startServer({ cases: 80 });
  [admin, scjg, clerk, approver, ent, person] = await Promise.all(
    ['admin', 'scjg_approver', 'clerk', 'approver', 'ent', 'person'].map((u) => srv.login(u)));
  // An approver of another department than 市场监督管理局, neither central.
  const made = await admin.post('/api/v1/users', { username: 'swj_approver', role: 'approver', dept_code: 'swj', password: 'Shui-Wu-2026!x' });
  assert.equal(made.status, 201, made.text);
  other = await srv.loginIssued('swj_approver', 'Shui-Wu-2026!x');
});
after(() => cleanup(srv));

function ok(r, status = 200) {
  assert.equal(r.status, status, r.text);
  return r.body;
}

const TITLES = ['办件编号', '事项编码', '事项名称', '办理部门', '申请人', '申请人证件号', '状态', '提交时间', '受理时间',
  '办结时间', '承诺时限', '截止时间', '是否超期', '渠道', '一件事'];
const CHANNELS = { online: '网上办理', window: '窗口', kiosk: '自助终端' };

// listAll(client, filter) is every case of the list under filter.
async function listAll(client, filter = '') {
  const out = [];
  for (let page = 1; ; page++) {
    const r = ok(await client.get(`/api/v1/cases?per_page=100&page=${page}${filter}`));
    out.push(...r.items);
    if (out.length >= r.total || r.items.length === 0) return out;
  }
}

// exported(client, query) downloads the list as xlsx and returns its rows.
async function exported(client, query = '') {
  const r = await client.get(`/api/v1/cases/export.xlsx${query}`);
  assert.equal(r.status, 200, r.text.slice(0, 300));
  assert.match(r.headers.get('content-type'), /spreadsheetml/);
  return { rows: readXlsx(r.bytes), r };
}

test('export.xlsx: Chinese titles, a file name in Chinese, one row per listed case with the list’s values', async () => {
  const { rows, r } = await exported(admin);
  const disp = r.headers.get('content-disposition');
  assert.match(disp, /^attachment; filename="cases-\d{8}\.xlsx"; filename\*=UTF-8''/);
  assert.match(decodeURIComponent(disp.split("UTF-8''")[1]), /^办件清单-\d{8}\.xlsx$/);
  assert.deepEqual(rows[0], TITLES);
  const list = await listAll(admin);
  assert.ok(list.length >= 80, `demo cases: ${list.length}`);
  assert.equal(rows.length - 1, list.length);
  assert.equal(r.headers.get('x-rows'), String(list.length));
  const byNo = new Map(rows.slice(1).map((x) => [x[0], x]));
  assert.deepEqual([...byNo.keys()].sort(), list.map((c) => c.no).sort());
  for (const c of list) {
    const x = byNo.get(c.no);
    assert.equal(x[1], c.item);
    assert.ok(hasChinese(x[2]), `item name: ${x[2]}`);
    assert.ok(hasChinese(x[3]), `department: ${x[3]}`);
    assert.equal(x[4], c.party_name);
    assert.equal(x[6], c.state_label);
    assert.equal(x[7], c.submitted_at ? c.submitted_at.slice(0, 16).replace('T', ' ') : '');
    assert.equal(x[13], CHANNELS[c.channel]);
    assert.ok(['是', '否'].includes(x[12]));
    // A person's ID number is masked (6 + 4 kept); a USCC is public.
    if (/^\d{17}[\dX]$/.test(c.party)) assert.equal(x[5], `${c.party.slice(0, 6)}********${c.party.slice(-4)}`);
    else assert.equal(x[5], c.party);
  }
  assert.ok(list.some((c) => /^\d{17}[\dX]$/.test(c.party)), 'the demo has a person’s case');
  assert.ok(new Set(rows.slice(1).map((x) => x[3])).size > 2, 'an administrator’s export spans departments');
});

test('export.xlsx: an official gets only their department’s cases; applicants are refused', async () => {
  const mine = await exported(scjg);
  const list = await listAll(scjg);
  assert.ok(list.length > 0, 'the demo gives 市场监督管理局 cases');
  assert.equal(mine.rows.length - 1, list.length);
  for (const x of mine.rows.slice(1)) assert.equal(x[3], '市场监督管理局', x.join(','));
  const theirs = await exported(other);
  assert.equal(theirs.rows.length - 1, (await listAll(other)).length);
  const scjgNos = new Set(list.map((c) => c.no));
  for (const x of theirs.rows.slice(1)) {
    assert.notEqual(x[3], '市场监督管理局');
    assert.ok(!scjgNos.has(x[0]), `${x[0]} is not the tax bureau's`);
  }
  assertError(assert, await ent.get('/api/v1/cases/export.xlsx'), 403, 'auth.forbidden');
  assertError(assert, await person.get('/api/v1/cases/export.csv'), 403, 'auth.forbidden');
});

test('export.xlsx: the list’s filters (state, q, dates) choose the rows; a bad filter is refused', async () => {
  const submitted = await listAll(admin, '&state=submitted');
  assert.ok(submitted.length > 0);
  const { rows } = await exported(admin, '?state=submitted');
  assert.equal(rows.length - 1, submitted.length);
  for (const x of rows.slice(1)) assert.equal(x[6], '已提交待受理');
  const one = submitted[0];
  const byNo = await exported(admin, `?q=${one.no}`);
  assert.deepEqual(byNo.rows.slice(1).map((x) => x[0]), [one.no]);
  const day = one.submitted_at.slice(0, 10);
  const onDay = await listAll(admin, `&from=${day}&to=${day}`);
  assert.equal((await exported(admin, `?from=${day}&to=${day}`)).rows.length - 1, onDay.length);
  assertError(assert, await admin.get('/api/v1/cases/export.xlsx?state=nonsense'), 400, 'request.bad_param', 'state');
  assertError(assert, await admin.get('/api/v1/cases/export.xlsx?from=2026-13-01'), 400, 'request.bad_param', 'from');
});

test('export.csv: UTF-8 with a BOM, Chinese titles, one value per column, the same rows as the workbook', async () => {
  const r = await scjg.get('/api/v1/cases/export.csv');
  assert.equal(r.status, 200, r.text.slice(0, 300));
  assert.match(r.headers.get('content-type'), /^text\/csv; charset=utf-8/);
  assert.deepEqual([...r.bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  assert.match(decodeURIComponent(r.headers.get('content-disposition').split("UTF-8''")[1]), /^办件清单-\d{8}\.csv$/);
  const rows = parseCsv(r.text);
  assert.deepEqual(rows[0], TITLES);
  const book = (await exported(scjg)).rows;
  assert.equal(rows.length, book.length);
  for (let i = 1; i < rows.length; i++) {
    assert.equal(rows[i].length, TITLES.length, `row ${i}: ${rows[i].join('|')}`);
    // The workbook leaves trailing empty cells out; the CSV has every column.
    assert.deepEqual(rows[i].slice(0, book[i].length), book[i]);
  }
});

// A small real PDF, made unique so each upload is its own blob.
function pdf(tag = Math.random().toString(36)) {
  return Buffer.from(`%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n% ${tag}\ntrailer<</Root 1 0 R>>\n%%EOF\n`);
}

test('一件事: a bundle’s child in the list (and the export) carries its bundle and the bundle’s clock', async () => {
  const kind = ok(await person.get('/api/v1/bundle-kinds')).find((k) => k.kind === 'kaiban');
  const materials = {};
  for (const code of kind.items) {
    const it = ok(await clerk.get(`/api/v1/items/${code}`));
    for (const m of it.materials) {
      if (m.source === 'registry.person' || materials[m.key]) continue;
      const up = await person.post('/api/v1/uploads', pdf(), { headers: { 'Content-Type': 'application/pdf' } });
      materials[m.key] = ok(up, 201).sha256;
    }
  }
  const name = `大连金普工作台${Date.now() % 100000}科技有限公司`;
  const form = { name, kind: 'company', legal_rep: '张三', capital_fen: 100000000, industry: 'I', address: '大连市金州区站前街道1号', district: '站前街道' };
  const b = ok(await person.post('/api/v1/bundles', { kind: 'kaiban', form, materials }), 201);
  const child = b.children[0];
  const found = ok(await clerk.get(`/api/v1/cases?q=${child.no}`)).items;
  assert.equal(found.length, 1);
  const bb = found[0].bundle;
  assert.ok(bb, JSON.stringify(found[0]));
  assert.equal(bb.id, b.id);
  assert.equal(bb.label, kind.label);
  assert.equal(bb.kind, 'kaiban');
  assert.equal(bb.total, kind.items.length);
  assert.equal(bb.done, 0);
  assert.equal(bb.deadline_at, b.deadline_at);
  assert.ok(bb.remaining_ms > 0 && bb.remaining_ms <= b.remaining_ms, `${bb.remaining_ms} vs ${b.remaining_ms}`);
  assert.equal(bb.overdue, false);
  // A case of no bundle has none.
  const plain = (await listAll(admin)).find((c) => !c.bundle_id);
  assert.ok(plain && plain.bundle === undefined, JSON.stringify(plain));
  // The export names the bundle beside the child.
  const { rows } = await exported(admin, `?q=${child.no}`);
  assert.equal(rows[1][14], `${kind.label} #${b.id}`);
});

test('the catalogue CSV download: a BOM and a Chinese file name for Excel, English columns the import reads back', async () => {
  const r = await admin.get('/api/v1/catalog/export?format=csv');
  assert.equal(r.status, 200);
  assert.deepEqual([...r.bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  assert.match(decodeURIComponent(r.headers.get('content-disposition').split("UTF-8''")[1]), /^事项目录-\d{8}\.csv$/);
  const x = await admin.get('/api/v1/catalog/export?format=xlsx');
  assert.match(decodeURIComponent(x.headers.get('content-disposition').split("UTF-8''")[1]), /^事项目录-\d{8}\.xlsx$/);
  const rows = parseCsv(r.text);
  assert.equal(rows[0][0], 'code');
  // The download, BOM and all, imports back as unchanged.
  const back = ok(await admin.post('/api/v1/catalog/import', r.bytes, { headers: { 'Content-Type': 'text/csv; charset=utf-8' } }));
  assert.equal(back.rejected_count, 0, JSON.stringify(back.rejected.slice(0, 3)));
  assert.equal(back.unchanged, rows.length - 1);
});

test('import refusals: each row’s reason Chinese first (message) with English beside (message_en)', async () => {
  const rows = parseCsv((await admin.get('/api/v1/catalog/export?format=csv')).text);
  const head = rows[0], bad = [...rows[1]];
  bad[head.indexOf('legal_limit')] = 'abc';
  const csv = [head, bad].map((r) => r.map((v) => `"${v.replace(/"/g, '""')}"`).join(',')).join('\n') + '\n';
  const r = ok(await admin.post('/api/v1/catalog/import', csv, { headers: { 'Content-Type': 'text/csv' } }));
  assert.equal(r.rejected_count, 1);
  const x = r.rejected[0];
  assert.equal(x.line, 2);
  assert.equal(x.code, rows[1][0]);
  assert.ok(hasChinese(x.message) && !x.message.includes(' / '), x.message);
  assert.match(x.message, /legal_limit/);
  assert.ok(/[A-Za-z]{3}/.test(x.message_en) && !hasChinese(x.message_en), x.message_en);
  assert.equal(x.reason, `${x.message} / ${x.message_en}`);
});

test('窗口收件 lookup: a clerk reads the registry’s name and kind of a party by its code (a person’s number masked); applicants may not', async () => {
  const p = ok(await clerk.get(`/api/v1/parties/${person.user.party}`));
  assert.equal(p.type, 'person');
  assert.ok(hasChinese(p.name), p.name);
  assert.equal(p.number, `${person.user.party.slice(0, 6)}********${person.user.party.slice(-4)}`);
  const e = ok(await clerk.get(`/api/v1/parties/${ent.user.party.toLowerCase()}`));
  assert.equal(e.type, 'entity');
  assert.equal(e.number, ent.user.party);
  const known = ok(await clerk.get(`/api/v1/entities/${ent.user.party}`));
  assert.equal(e.name, known.name);
  assertError(assert, await clerk.get('/api/v1/parties/91210213MA0000000X'), 404, 'party.unknown');
  assertError(assert, await ent.get(`/api/v1/parties/${person.user.party}`), 403, 'auth.forbidden');
});

test('the server stops cleanly on SIGTERM (exit status 0)', async () => {
  await srv.stop();
});
