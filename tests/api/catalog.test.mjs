// catalog.test.mjs — the service catalogue (事项目录) over HTTP against a real
// server with the Jinpu demo pack: public search in Chinese with filters and
// paging, item detail and versions by date, the exact statistics of the
// demo catalogue (374 即来即办, 65 秒批秒办, 637 全程网办), administrators
// adding items and versions, refusals (roles, bad input — nothing written),
// CSV and Excel export, CSV and Excel import (with the refusals of damaged
// and hostile workbooks), the Excel round trip through the CLI, and
// `xinqu catalog stats`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, cleanup, assertError, rareWord, todayCN, parseCsv, auditAfter, lastAuditId, newDatabase, xinqu } from './lib.mjs';

let srv, admin, clerk, auditor;
before(async () => {
  srv = await startServer();
  admin = await srv.login('admin');
  clerk = await srv.login('clerk');
  auditor = await srv.login('auditor');
});
after(() => cleanup(srv));

const enc = encodeURIComponent;

// itemBody() is a valid new item in the shape of catalog_item_json.
function itemBody(over = {}) {
  return {
    code: `T-${rareWord(2).length}-${Date.now().toString(36)}-${Math.floor(Math.random() * 1e6)}`,
    dept_code: 'scjgj',
    name: `${rareWord(4)}经营许可`,
    kind: '行政许可',
    legal_basis: '《中华人民共和国行政许可法》第十二条',
    conditions: '申请材料齐全、符合法定形式。',
    materials: [
      { key: 'apply', name: '申请书', core: true, may_miss: false, form: 'form', source: '' },
      { key: 'premises', name: '经营场所使用证明', core: false, may_miss: true, form: 'copy', source: '' },
    ],
    legal_limit: 20,
    promised_limit: 5,
    limit_unit: 'workdays',
    fees: '不收费',
    handling: 'promise',
    channels: ['window', 'online'],
    visits: 0,
    rule: '',
    postcheck_pct: 0,
    allow_rongque: true,
    allow_promise: false,
    promise_verify_days: 0,
    safety: false,
    reform_mode: '',
    output_kind: '测试许可证',
    output_valid_months: 36,
    ...over,
  };
}

async function itemCount() {
  const r = await srv.api('GET', '/api/v1/catalog/stats');
  assert.equal(r.status, 200, r.text);
  return r.body.total;
}

test('stats: exactly 374 即来即办, 65 秒批秒办, 637 全程网办; departments add up', async () => {
  const r = await srv.api('GET', '/api/v1/catalog/stats');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.modes.instant, 374);
  assert.equal(r.body.modes.auto, 65);
  assert.equal(r.body.modes.online, 637);
  assert.ok(r.body.total >= 637);
  for (const k of ['total', 'instant', 'auto', 'online', 'rongque', 'promise']) {
    const sum = r.body.departments.reduce((a, d) => a + d[k], 0);
    assert.equal(sum, k === 'total' ? r.body.total : r.body.modes[k], k);
  }
  assert.ok(r.body.departments.some((d) => d.code === 'scjgj' && d.name === '市场监督管理局'));
});

test('`xinqu catalog stats` prints the same counts, one line per mode', async () => {
  const r = srv.cli(['catalog', 'stats']);
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.split('\n');
  assert.deepEqual(lines.slice(0, 3), ['即来即办 374', '秒批秒办 65', '全程网办 637']);
  assert.match(lines[3], /^容缺受理 \d+$/);
  assert.match(lines[4], /^告知承诺 \d+$/);
  assert.equal(lines[5], '');
});

test('search in Chinese: every hit contains the text; filters by mode, dept, channel, kind; paging', async () => {
  const r = await srv.api('GET', `/api/v1/items?q=${enc('食品经营')}&per_page=100`);
  assert.equal(r.status, 200, r.text);
  assert.ok(r.body.total >= 8, r.text.slice(0, 200));
  for (const it of r.body.items) assert.ok(it.name.includes('食品经营'), it.name);
  // Two characters take the other path of the search.
  const two = await srv.api('GET', `/api/v1/items?q=${enc('印章')}`);
  assert.equal(two.status, 200);
  assert.ok(two.body.items.some((it) => it.code === 'JP-KB-02'));
  // mode=instant: only 即办件, and the total is the statistic.
  const inst = await srv.api('GET', '/api/v1/items?mode=instant&per_page=100');
  assert.equal(inst.body.total, 374);
  for (const it of inst.body.items) assert.equal(it.handling, 'instant');
  const auto = await srv.api('GET', '/api/v1/items?mode=auto&per_page=100');
  assert.equal(auto.body.total, 65);
  for (const it of auto.body.items) { assert.ok(it.rule.length > 0); assert.ok(it.modes.includes('auto')); }
  const online = await srv.api('GET', '/api/v1/items?channel=online&per_page=1');
  assert.equal(online.body.total, 637);
  const dept = await srv.api('GET', `/api/v1/items?dept=swj&kind=${enc('行政确认')}&per_page=100`);
  assert.ok(dept.body.total > 0);
  for (const it of dept.body.items) { assert.equal(it.dept_code, 'swj'); assert.equal(it.kind, '行政确认'); }
  // Paging: two pages of 5 do not overlap and follow code order.
  const p1 = await srv.api('GET', '/api/v1/items?per_page=5&page=1');
  const p2 = await srv.api('GET', '/api/v1/items?per_page=5&page=2');
  const codes = [...p1.body.items, ...p2.body.items].map((i) => i.code);
  assert.equal(new Set(codes).size, 10);
  assert.deepEqual(codes, [...codes].sort());
  // Safety items never allow 容缺 or 告知承诺.
  const all = [];
  for (let page = 1; ; page++) {
    const pr = await srv.api('GET', `/api/v1/items?per_page=100&page=${page}`);
    all.push(...pr.body.items);
    if (pr.body.items.length < 100) break;
  }
  assert.equal(all.length, p1.body.total);
  const safety = all.filter((i) => i.safety);
  assert.ok(safety.length > 0);
  for (const it of safety) assert.ok(!it.allow_rongque && !it.allow_promise, it.code);
  for (const it of all.filter((i) => !i.safety)) assert.ok(it.allow_rongque, it.code);
});

test('bad filters: 400 with stable codes', async () => {
  assertError(assert, await srv.api('GET', '/api/v1/items?mode=fast'), 400, 'catalog.bad_mode', 'mode');
  assertError(assert, await srv.api('GET', '/api/v1/items?channel=fax'), 400, 'catalog.bad_channel', 'channel');
  assertError(assert, await srv.api('GET', '/api/v1/items?per_page=0'), 400, 'request.bad_param', 'per_page');
  assertError(assert, await srv.api('GET', '/api/v1/items/JP-KB-01?date=2022-13-01'), 400, 'catalog.bad_date', 'date');
  assertError(assert, await srv.api('GET', '/api/v1/items/NO-SUCH'), 404, 'catalog.not_found', 'code');
});

test('item detail: the named items the case engine uses', async () => {
  const kb = await srv.api('GET', '/api/v1/items/JP-KB-01');
  assert.equal(kb.status, 200, kb.text);
  assert.equal(kb.body.name, '企业名称与设立登记');
  assert.equal(kb.body.dept_code, 'scjgj');
  assert.equal(kb.body.output_kind, '营业执照');
  assert.equal(kb.body.output_valid_months, 0);
  assert.equal(kb.body.limit_unit, 'workhours');
  assert.equal(kb.body.promised_limit, 4);
  assert.ok(kb.body.channels.includes('online'));
  const mp = await srv.api('GET', '/api/v1/items/JP-MP-001');
  assert.match(mp.body.rule, /approve\(/);
  const jb = await srv.api('GET', '/api/v1/items/JP-JB-001');
  assert.equal(jb.body.handling, 'instant');
  assert.equal(jb.body.promised_limit, 0);
  const cn = await srv.api('GET', '/api/v1/items/JP-CN-001');
  assert.equal(cn.body.handling, 'promise');
  assert.equal(cn.body.promised_limit, 5);
  assert.equal(cn.body.allow_promise, true);
  assert.equal(cn.body.output_valid_months, 36);
  assert.ok(cn.body.materials.some((m) => m.core));
  assert.ok(cn.body.materials.some((m) => !m.core && m.may_miss));
  for (const code of ['JP-ZX-01', 'JP-ZX-02', 'JP-ZX-03']) {
    assert.equal((await srv.api('GET', `/api/v1/items/${code}`)).status, 200, code);
  }
});

test('admin adds an item (201, audited), then a new version that ends the old one', async () => {
  const body = itemBody({ effective_from: '2023-01-01' });
  const before = await lastAuditId(auditor);
  const r = await admin.post('/api/v1/items', body);
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.version, 1);
  assert.equal(r.body.name, body.name);
  assert.deepEqual(r.body.materials, body.materials);
  const ev = await auditAfter(auditor, before, '&action=item.create');
  assert.equal(ev.length, 1);
  assert.equal(ev[0].object, `item:${body.code}`);
  // The response can be posted back as a new version.
  const v2 = await admin.post('/api/v1/items', { ...r.body, name: `${body.name}（修订）`, effective_from: todayCN() });
  assert.equal(v2.status, 201, v2.text);
  assert.equal(v2.body.version, 2);
  const vs = await srv.api('GET', `/api/v1/items/${body.code}/versions`);
  assert.equal(vs.status, 200);
  assert.equal(vs.body.items.length, 2);
  assert.equal(vs.body.items[0].effective_to, todayCN(-1));
  assert.equal(vs.body.items[1].effective_to, '');
  assert.equal((await srv.api('GET', `/api/v1/items/${body.code}`)).body.version, 2);
  assert.equal((await srv.api('GET', `/api/v1/items/${body.code}?date=2023-06-01`)).body.version, 1);
  // Found by search in Chinese.
  const s = await srv.api('GET', `/api/v1/items?q=${enc(body.name)}`);
  assert.deepEqual(s.body.items.map((i) => i.code), [body.code]);
});

test('refusals: roles, anonymous, and bad items — each with a stable code, nothing written', async () => {
  const n0 = await itemCount();
  assertError(assert, await clerk.post('/api/v1/items', itemBody()), 403, 'auth.forbidden');
  assertError(assert, await srv.api('POST', '/api/v1/items', itemBody()), 401, 'auth.required');
  const bad = [
    [{ safety: true }, 'catalog.safety_rongque', 'allow_rongque'],
    [{ safety: true, allow_rongque: false, allow_promise: true, promise_verify_days: 20 }, 'catalog.safety_promise', 'allow_promise'],
    [{ promised_limit: 30 }, 'catalog.promised_over_legal', 'promised_limit'],
    [{ handling: 'instant' }, 'catalog.instant_limit', 'promised_limit'],
    [{ handling: 'sometimes' }, 'catalog.bad_handling', 'handling'],
    [{ kind: '许可' }, 'catalog.bad_kind', 'kind'],
    [{ dept_code: 'nosuch' }, 'catalog.unknown_dept', 'dept_code'],
    [{ channels: [] }, 'catalog.no_channel', 'channels'],
    [{ channels: ['fax'] }, 'catalog.bad_channel', 'channels'],
    [{ materials: [{ key: 'a', name: '甲', core: true, may_miss: true, form: 'copy' }] }, 'catalog.core_may_miss', 'materials'],
    [{ materials: [{ key: 'a', name: '甲', form: 'copy' }, { key: 'a', name: '乙', form: 'copy' }] }, 'catalog.duplicate_material', 'materials'],
    [{ code: 'has space' }, 'catalog.bad_code', 'code'],
    [{ colour: 'red' }, 'request.unknown_field', 'colour'],
    [{ legal_limit: 'twenty' }, 'request.bad_type', 'legal_limit'],
  ];
  for (const [over, code, field] of bad) assertError(assert, await admin.post('/api/v1/items', itemBody(over)), 400, code, field);
  assertError(assert, await admin.post('/api/v1/items', '{"code":'), 400, 'request.bad_json');
  // A version that starts before the latest one.
  const first = await admin.post('/api/v1/items', itemBody({ effective_from: '2024-05-01' }));
  assert.equal(first.status, 201, first.text);
  assertError(assert, await admin.post('/api/v1/items', { ...first.body, effective_from: '2024-01-01' }), 409, 'catalog.bad_effective_from', 'effective_from');
  assert.equal((await srv.api('GET', `/api/v1/items/${first.body.code}/versions`)).body.items.length, 1);
  assert.equal(await itemCount(), n0 + 1);
});

test('export: CSV (header, one row per current item) and xlsx (a zip) for officials; refused to applicants', async () => {
  const total = await itemCount();
  const csv = await auditor.get('/api/v1/catalog/export?format=csv');
  assert.equal(csv.status, 200, csv.text.slice(0, 300));
  assert.match(csv.headers.get('content-type'), /^text\/csv/);
  const rows = parseCsv(csv.text);
  assert.equal(rows[0][0], 'code');
  assert.equal(rows[0].length, 31); // the last three: guide, themes, keywords (guide.test.mjs)
  assert.equal(rows.length - 1, total);
  const x = await clerk.get('/api/v1/catalog/export?format=xlsx');
  assert.equal(x.status, 200);
  assert.match(x.headers.get('content-type'), /spreadsheetml/);
  assert.equal(x.bytes.subarray(0, 2).toString('latin1'), 'PK');
  assert.ok(x.bytes.length > 10000);
  const ent = await srv.login('ent');
  assertError(assert, await ent.get('/api/v1/catalog/export'), 403, 'auth.forbidden');
  assertError(assert, await auditor.get('/api/v1/catalog/export?format=pdf'), 400, 'request.bad_param', 'format');
});

test('import CSV: new items written, bad rows reported by line, the same file twice writes nothing', async () => {
  const csv = (await admin.get('/api/v1/catalog/export?format=csv')).text;
  const rows = parseCsv(csv);
  const head = rows[0];
  const base = rows.find((r) => r[0] === 'JP-CN-001');
  const code = `T-IMP-${Date.now().toString(36)}`;
  const fresh = [...base];
  fresh[0] = code;
  fresh[1] = '1';
  fresh[5] = `${rareWord(4)}导入事项`;
  const broken = [...base];
  broken[0] = `${code}-B`;
  broken[6] = '许可';
  const line = (r) => r.map((v) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v)).join(',');
  const body = [head.join(','), line(fresh), line(broken)].join('\n') + '\n';
  const n0 = await itemCount();
  const r = await admin.post('/api/v1/catalog/import', body, { headers: { 'Content-Type': 'text/csv' } });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.imported, 1);
  assert.equal(r.body.rejected_count, 1);
  assert.equal(r.body.rejected[0].line, 3);
  assert.equal(r.body.rejected[0].code, `${code}-B`);
  assert.match(r.body.rejected[0].reason, /kind/);
  const got = await srv.api('GET', `/api/v1/items/${code}`);
  assert.equal(got.status, 200);
  assert.equal(got.body.name, fresh[5]);
  assert.deepEqual(got.body.materials, (await srv.api('GET', '/api/v1/items/JP-CN-001')).body.materials);
  const again = await admin.post('/api/v1/catalog/import', body, { headers: { 'Content-Type': 'text/csv' } });
  assert.equal(again.body.imported, 0);
  assert.equal(await itemCount(), n0 + 1);
  assertError(assert, await admin.post('/api/v1/catalog/import', 'a,b\n1,2\n', { headers: { 'Content-Type': 'text/csv' } }), 400, 'import.bad_header');
  assertError(assert, await admin.post('/api/v1/catalog/import', body), 415, 'request.bad_content_type');
  assertError(assert, await clerk.post('/api/v1/catalog/import', body, { headers: { 'Content-Type': 'text/csv' } }), 403, 'auth.forbidden');
  assert.equal(await itemCount(), n0 + 1);
});

// --- Excel import --------------------------------------------------------------

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

// crc32() of a Buffer (the zip checksum).
const CRC = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(b) {
  let c = 0xffffffff;
  for (const x of b) c = CRC[(c ^ x) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

// zip({name: text}) is a zip file of the parts, stored (not compressed).
function zip(parts) {
  const locals = [], centrals = [];
  let off = 0;
  for (const [name, text] of Object.entries(parts)) {
    const n = Buffer.from(name), d = Buffer.from(text), crc = crc32(d);
    const lh = Buffer.alloc(30);
    lh.writeUInt32LE(0x04034b50, 0); lh.writeUInt16LE(20, 4); lh.writeUInt16LE(0x800, 6);
    lh.writeUInt32LE(crc, 14); lh.writeUInt32LE(d.length, 18); lh.writeUInt32LE(d.length, 22);
    lh.writeUInt16LE(n.length, 26);
    const ch = Buffer.alloc(46);
    ch.writeUInt32LE(0x02014b50, 0); ch.writeUInt16LE(20, 4); ch.writeUInt16LE(20, 6); ch.writeUInt16LE(0x800, 8);
    ch.writeUInt32LE(crc, 16); ch.writeUInt32LE(d.length, 20); ch.writeUInt32LE(d.length, 24);
    ch.writeUInt16LE(n.length, 28); ch.writeUInt32LE(off, 42);
    locals.push(lh, n, d);
    centrals.push(ch, n);
    off += 30 + n.length + d.length;
  }
  const cd = Buffer.concat(centrals), end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(centrals.length / 2, 8); end.writeUInt16LE(centrals.length / 2, 10);
  end.writeUInt32LE(cd.length, 12); end.writeUInt32LE(off, 16);
  return Buffer.concat([...locals, cd, end]);
}

const esc = (v) => String(v).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const colName = (i) => (i < 26 ? '' : String.fromCharCode(64 + Math.floor(i / 26))) + String.fromCharCode(65 + (i % 26));

// workbook(rows, {sst, sheetPrefix}) is an .xlsx whose sheet 事项 holds rows
// ([[row number, [cell text…]]…], inline strings) and whose shared strings
// part is sst.
function workbook(rows, { sst = '<sst/>', sheetPrefix = '' } = {}) {
  const ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"';
  const data = rows.map(([r, cells]) => `<row r="${r}">${cells.map((v, i) =>
    `<c r="${colName(i)}${r}" t="inlineStr"><is><t>${esc(v)}</t></is></c>`).join('')}</row>`).join('');
  return zip({
    '[Content_Types].xml': '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
    'xl/workbook.xml': `<workbook ${ns} xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="事项" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    'xl/_rels/workbook.xml.rels': '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
      + '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
      + '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
    'xl/sharedStrings.xml': sst,
    'xl/worksheets/sheet1.xml': `${sheetPrefix}<worksheet ${ns}><sheetData>${data}</sheetData></worksheet>`,
  });
}

test('import xlsx: rows written, a bad row reported by its sheet row, the export imports as unchanged; damaged and hostile files refused', async () => {
  const rows = parseCsv((await admin.get('/api/v1/catalog/export?format=csv')).text);
  const head = rows[0];
  const base = rows.find((r) => r[0] === 'JP-CN-001');
  const code = `T-XL-${Date.now().toString(36)}`;
  const fresh = [...base];
  fresh[0] = code;
  fresh[1] = '1';
  fresh[5] = `${rareWord(4)}表格导入`;
  const broken = [...base];
  broken[0] = `${code}-B`;
  broken[10] = 'twenty';
  const n0 = await itemCount();
  const book = workbook([[1, head], [2, fresh], [5, broken]]);
  const r = await admin.post('/api/v1/catalog/import', book, { headers: { 'Content-Type': XLSX } });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.rows, 2);
  assert.equal(r.body.imported, 1);
  assert.equal(r.body.rejected_count, 1);
  assert.equal(r.body.rejected[0].line, 5);
  assert.equal(r.body.rejected[0].code, `${code}-B`);
  assert.match(r.body.rejected[0].reason, /legal_limit/);
  const got = await srv.api('GET', `/api/v1/items/${code}`);
  assert.equal(got.status, 200);
  assert.equal(got.body.name, fresh[5]);
  assert.deepEqual(got.body.materials, (await srv.api('GET', '/api/v1/items/JP-CN-001')).body.materials);
  assert.equal(await itemCount(), n0 + 1);
  // The server's own Excel export (Chinese headers) imports as nothing new.
  const x = await admin.get('/api/v1/catalog/export?format=xlsx');
  assert.equal(x.status, 200);
  const again = await admin.post('/api/v1/catalog/import', x.bytes, { headers: { 'Content-Type': `${XLSX}; charset=binary` } });
  assert.equal(again.status, 200, again.text);
  assert.equal(again.body.rows, n0 + 1);
  assert.equal(again.body.imported, 0);
  assert.equal(again.body.unchanged, n0 + 1); // each one the same as its latest version
  assert.equal(again.body.rejected_count, 0);
  assert.deepEqual(again.body.rejected, []);
  // Refusals: nothing written.
  const post = (body) => admin.post('/api/v1/catalog/import', body, { headers: { 'Content-Type': XLSX } });
  assertError(assert, await post(head.join(',') + '\n'), 400, 'xlsx.not_zip');
  assertError(assert, await post(zip({ 'readme.txt': 'not a workbook' })), 400, 'xlsx.no_workbook');
  assertError(assert, await post(workbook([[1, ['a', 'b']], [2, fresh]])), 400, 'import.bad_header');
  assertError(assert, await post(workbook([[1, head]], { sst: `<sst><si><t>${'长'.repeat(40000)}</t></si></sst>` })), 400, 'xlsx.too_long');
  const laughs = '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>';
  assertError(assert, await post(workbook([[1, head], [2, fresh]], { sheetPrefix: laughs })), 400, 'xlsx.doctype');
  assertError(assert, await post(workbook([[1, head]], { sst: `${laughs}<sst><si><t>&lol2;</t></si></sst>` })), 400, 'xlsx.doctype');
  assertError(assert, await admin.post('/api/v1/catalog/import', book, { headers: { 'Content-Type': 'application/zip' } }), 415, 'request.bad_content_type');
  assertError(assert, await clerk.post('/api/v1/catalog/import', book, { headers: { 'Content-Type': XLSX } }), 403, 'auth.forbidden');
  assert.equal(await itemCount(), n0 + 1);
});

test('CLI: the demo catalogue exported to xlsx and imported into an empty database exports the same CSV', async () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'xinqu-xlsx-'));
  const db = newDatabase();
  try {
    const book = path.join(tmp, 'catalog.xlsx'), a = path.join(tmp, 'a.csv'), b = path.join(tmp, 'b.csv');
    let r = srv.cli(['catalog', 'export', book]);
    assert.equal(r.status, 0, r.stderr);
    r = srv.cli(['catalog', 'export', a]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(xinqu(['init', '--db', db.url]).status, 0);
    r = xinqu(['department', 'import', 'data/jinpu/departments.csv', '--db', db.url]);
    assert.equal(r.status, 0, r.stderr);
    // By the zip signature, whatever the name.
    const renamed = path.join(tmp, 'catalog.dat');
    fs.copyFileSync(book, renamed);
    r = xinqu(['catalog', 'import', renamed, '--db', db.url]);
    assert.equal(r.status, 0, r.stderr);
    const total = parseCsv(fs.readFileSync(a, 'utf8')).length - 1;
    assert.match(r.stdout, new RegExp(`imported ${total} rows, unchanged 0, rejected 0`));
    r = xinqu(['catalog', 'export', b, '--db', db.url]);
    assert.equal(r.status, 0, r.stderr);
    assert.ok(fs.readFileSync(a).equals(fs.readFileSync(b)), 'the CSV exports differ');
    // A file named .xlsx that is not one is refused with the reason.
    const fake = path.join(tmp, 'fake.xlsx');
    fs.writeFileSync(fake, fs.readFileSync(a));
    r = xinqu(['catalog', 'import', fake, '--db', db.url]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /不是 Excel 工作簿/);
  } finally {
    db.drop();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});

// An item declares its application form; a filing is checked against it,
// and a 秒批 rule reads its fields (the demo's amount rule reads amount_fen).
test('an item declares its form; filings are checked against it and the rule reads the fields', async () => {
  const ent = await srv.login('ent');
  // Bad specifications are refused before anything is written.
  for (const form of [
    [{ name: 'Amount', label: '金额', type: 'integer' }],
    [{ name: 'a', label: '', type: 'integer' }],
    [{ name: 'a', label: '金额', type: 'money' }],
    [{ name: 'a', label: '金额', type: 'choice' }],
    [{ name: 'a', label: '金额', type: 'integer' }, { name: 'a', label: '重复', type: 'text' }],
    [{ name: 'note', label: '说明', type: 'text' }],
    [{ name: 'a', label: '金额', type: 'integer', color: 'red' }],
    'amount',
  ]) assertError(assert, await admin.post('/api/v1/items', itemBody({ form })), 400, 'catalog.bad_form');
  // The demo's amount rule: its items ask for the amount (in fen, entered in yuan).
  let it = null;
  for (let page = 1; !it; page++) {
    const r = await clerk.get(`/api/v1/items?per_page=100&page=${page}&channel=online`);
    assert.equal(r.status, 200, r.text);
    assert.ok(r.body.items.length, 'an item whose rule reads the amount');
    it = r.body.items.find((x) => x.form.some((f) => f.name === 'amount_fen') && !x.materials.some((m) => m.source === 'registry.person'));
  }
  assert.deepEqual(it.form[0], { name: 'amount_fen', label: '申请金额', label_en: 'Amount applied for', type: 'money_fen', required: true, min: 1, max: 100000000000 });
  const materials = {};
  for (const m of it.materials) {
    if (m.source) continue;
    const u = await ent.post('/api/v1/uploads', Buffer.from(`%PDF-1.4\n% ${Math.random()}\n%%EOF\n`), { headers: { 'Content-Type': 'application/pdf' } });
    materials[m.key] = u.body.sha256;
  }
  const file = (form) => ent.post('/api/v1/cases', { item: it.code, materials, form, submit: true });
  const before = await lastAuditId(auditor);
  assertError(assert, await file({ note: '无金额' }), 400, 'request.missing_field', 'form.amount_fen');
  assertError(assert, await file({ amount_fen: '一万' }), 400, 'request.bad_form_value', 'form.amount_fen');
  assertError(assert, await file({ amount_fen: 1.5 }), 400, 'request.bad_form_value', 'form.amount_fen');
  assertError(assert, await file({ amount_fen: 0 }), 400, 'request.bad_form_value', 'form.amount_fen');
  assertError(assert, await file({ amount_fen: 100, colour: 'red' }), 400, 'request.unknown_field', 'form.colour');
  assertError(assert, await file({ amount_fen: 100, note: '说'.repeat(501) }), 400, 'request.bad_form_value', 'form.note');
  assert.equal(await lastAuditId(auditor), before, 'refusals write nothing');
  // Within the automatic limit the rule approves at once; above it a person decides.
  const small = await file({ amount_fen: 1000000, note: '一万元' });
  assert.equal(small.status, 201, small.text);
  assert.equal(small.body.state, 'issued', JSON.stringify(small.body.rule_result || small.body));
  const big = await file({ amount_fen: 60000000 });
  assert.equal(big.status, 201, big.text);
  assert.equal(big.body.state, 'submitted');
  // A new version saved without a form keeps the one before.
  const { modes, ...rest } = ok(await clerk.get(`/api/v1/items/${it.code}`));
  const { form, version_id, version, ...noForm } = rest;
  const v2 = await admin.post('/api/v1/items', { ...noForm, name: `${it.name}`, conditions: `${it.conditions}（修订）`, effective_from: todayCN() });
  assert.equal(v2.status, 201, v2.text);
  assert.deepEqual(v2.body.form, form);
});

function ok(r, status = 200) {
  assert.equal(r.status, status, r.text);
  return r.body;
}

test('the demo catalogue holds no impossible item (a 单位 variant of a person\'s own matter) and no nested brackets', async () => {
  const names = [];
  for (let page = 1; ; page++) {
    const r = await srv.api('GET', `/api/v1/items?per_page=100&page=${page}`);
    assert.equal(r.status, 200, r.text);
    names.push(...r.body.items.map((it) => it.name));
    if (names.length >= r.body.total || !r.body.items.length) break;
  }
  assert.equal(names.length, await itemCount());
  for (const bad of ['居民身份证申领（单位）', '户口迁入登记（单位）', '住房公积金提取（单位）']) assert.ok(!names.includes(bad), bad);
  assert.deepEqual(names.filter((n) => /（[^）]*（/.test(n)), []);
});
