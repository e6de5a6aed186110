// guide.test.mjs — the 办事指南 of an item and the catalogue around it, on
// SQLite and PostgreSQL: the guide (办理地点, 窗口, 办公时间, phones, 办理流程),
// themes and keywords round-trip through POST /api/v1/items and the CSV
// export and import (an old 28-column file still imports and keeps them),
// each refusal has its stable code and field, the demo catalogue fills them,
// the theme filter and the 个人/法人 split, search by result (营业执照) and by
// keyword, and 热门事项 ordered by the cases filed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, cleanup, assertError, rareWord, parseCsv, auditAfter, lastAuditId } from './lib.mjs';

let srv, admin, auditor, ent, person;
before(async () => {
  srv = await startServer({ entities: 200, persons: 50 });
  [admin, auditor, ent, person] = await Promise.all(['admin', 'auditor', 'ent', 'person'].map((u) => srv.login(u)));
});
after(() => cleanup(srv));

const enc = encodeURIComponent;

const GUIDE = {
  place: '大连金普新区政务服务中心 A 区 1 楼',
  window: '13–20 号窗口',
  hours: '周一至周五 8:30—11:30，13:00—17:00（法定节假日除外）',
  phone: '0411-87612315',
  complaint_phone: '12345',
  steps: [{ name: '申请', description: '在网上办事大厅提交材料' }, { name: '受理' }, { name: '审查' }, { name: '决定' }, { name: '送达' }],
};

function itemBody(over = {}) {
  return {
    code: `T-G-${Date.now().toString(36)}-${Math.floor(Math.random() * 1e6)}`,
    dept_code: 'scjgj',
    name: `${rareWord(4)}经营许可`,
    kind: '行政许可',
    legal_basis: '《中华人民共和国行政许可法》第十二条',
    conditions: '申请材料齐全、符合法定形式。',
    materials: [{ key: 'apply', name: '申请书', core: true, may_miss: false, form: 'form', source: '' }],
    legal_limit: 20,
    promised_limit: 5,
    limit_unit: 'workdays',
    handling: 'promise',
    channels: ['window', 'online'],
    visits: 0,
    allow_rongque: true,
    output_kind: `${rareWord(3)}许可证`,
    parties: 'entity',
    guide: GUIDE,
    themes: ['经营许可', '开办企业'],
    keywords: [`${rareWord(3)}证`, '开店'],
    ...over,
  };
}

async function all(query) {
  const out = [];
  for (let page = 1; ; page++) {
    const r = await srv.api('GET', `/api/v1/items?${query}&per_page=100&page=${page}`);
    assert.equal(r.status, 200, r.text);
    out.push(...r.body.items);
    if (r.body.items.length < 100) return { items: out, total: r.body.total };
  }
}

test('the guide, themes and keywords round-trip through POST and GET; a version without them keeps them', async () => {
  const body = itemBody();
  const before = await lastAuditId(auditor);
  const r = await admin.post('/api/v1/items', body);
  assert.equal(r.status, 201, r.text);
  assert.deepEqual(r.body.guide, GUIDE);
  assert.deepEqual(r.body.themes, body.themes);
  assert.deepEqual(r.body.keywords, body.keywords);
  assert.equal((await auditAfter(auditor, before, '&action=item.create')).length, 1);
  const g = await srv.api('GET', `/api/v1/items/${enc(body.code)}`);
  assert.deepEqual(g.body.guide, GUIDE);
  assert.deepEqual(g.body.themes, body.themes);
  // A new version saying nothing of them keeps all three.
  const { guide, themes, keywords, ...rest } = g.body;
  const v2 = await admin.post('/api/v1/items', { ...rest, name: `${body.name}（二）` });
  assert.equal(v2.status, 201, v2.text);
  assert.equal(v2.body.version, 2);
  assert.deepEqual(v2.body.guide, guide);
  assert.deepEqual(v2.body.themes, themes);
  assert.deepEqual(v2.body.keywords, keywords);
  // A version that changes them changes them.
  const v3 = await admin.post('/api/v1/items', { ...v2.body, guide: { ...GUIDE, phone: '13912345678', steps: [] }, themes: [], keywords: ['执照'] });
  assert.equal(v3.status, 201, v3.text);
  assert.equal(v3.body.guide.phone, '13912345678');
  assert.deepEqual(v3.body.guide.steps, []);
  assert.deepEqual(v3.body.themes, []);
  assert.deepEqual(v3.body.keywords, ['执照']);
});

test('refusals of the guide, themes and keywords: stable codes naming the field, nothing written', async () => {
  const long = (n) => '办'.repeat(n);
  const steps13 = Array.from({ length: 13 }, (_, i) => ({ name: `第${i + 1}步` }));
  const bad = [
    [{ guide: { ...GUIDE, phone: '87612315' } }, 'catalog.bad_guide', 'guide.phone'],
    [{ guide: { ...GUIDE, complaint_phone: '0411-876' } }, 'catalog.bad_guide', 'guide.complaint_phone'],
    [{ guide: { ...GUIDE, place: long(101) } }, 'catalog.bad_guide', 'guide.place'],
    [{ guide: { ...GUIDE, window: long(51) } }, 'catalog.bad_guide', 'guide.window'],
    [{ guide: { ...GUIDE, hours: 8 } }, 'catalog.bad_guide', 'guide.hours'],
    [{ guide: { ...GUIDE, steps: steps13 } }, 'catalog.bad_guide', 'guide.steps'],
    [{ guide: { ...GUIDE, steps: [{ name: long(41) }] } }, 'catalog.bad_guide', 'guide.steps'],
    [{ guide: { ...GUIDE, steps: [{ name: '申请', description: long(201) }] } }, 'catalog.bad_guide', 'guide.steps'],
    [{ guide: { ...GUIDE, fax: '0411-87612315' } }, 'catalog.bad_guide', 'guide.fax'],
    [{ guide: '地点' }, 'catalog.bad_guide', 'guide'],
    [{ themes: ['买彩票'] }, 'catalog.bad_theme', 'themes'],
    [{ themes: ['教育', '教育'] }, 'catalog.bad_theme', 'themes'],
    [{ themes: ['教育', '住房', '医疗卫生', '交通出行', '社会保障', '就业创业'] }, 'catalog.bad_theme', 'themes'],
    [{ themes: '教育' }, 'catalog.bad_theme', 'themes'],
    [{ keywords: Array.from({ length: 11 }, (_, i) => `词${i}`) }, 'catalog.bad_keywords', 'keywords'],
    [{ keywords: [long(21)] }, 'catalog.bad_keywords', 'keywords'],
    [{ keywords: ['执照|证'] }, 'catalog.bad_keywords', 'keywords'],
    [{ keywords: ['执照', '执照'] }, 'catalog.bad_keywords', 'keywords'],
  ];
  for (const [over, code, field] of bad) {
    const body = itemBody(over);
    assertError(assert, await admin.post('/api/v1/items', body), 400, code, field);
    assertError(assert, await srv.api('GET', `/api/v1/items/${enc(body.code)}`), 404, 'catalog.not_found');
  }
});

test('CSV: the export ends with guide, themes, keywords; the import reads them back, and an old 28-column file keeps them', async () => {
  const body = itemBody();
  assert.equal((await admin.post('/api/v1/items', body)).status, 201);
  const rows = parseCsv((await admin.get('/api/v1/catalog/export?format=csv')).text).filter((r) => r.length > 1);
  const head = rows[0];
  assert.deepEqual(head.slice(-3), ['guide', 'themes', 'keywords']);
  const col = (n) => head.indexOf(n);
  const row = rows.find((r) => r[0] === body.code);
  assert.ok(row, 'the new item is exported');
  assert.deepEqual(JSON.parse(row[col('guide')]), GUIDE);
  assert.equal(row[col('themes')], body.themes.join('|'));
  assert.equal(row[col('keywords')], body.keywords.join('|'));
  // Every demo item in the export has a guide with its process.
  const demo = rows.slice(1).filter((r) => r[0].startsWith('JP-'));
  assert.ok(demo.length > 500, `${demo.length} demo items`);
  for (const r of demo) assert.ok(JSON.parse(r[col('guide')]).steps.length >= 3, r[0]);
  const csv = (h, rs) => [h, ...rs].map((r) => r.map((v) => `"${v.replaceAll('"', '""')}"`).join(',')).join('\n') + '\n';
  const post = (text) => admin.post('/api/v1/catalog/import', text, { headers: { 'Content-Type': 'text/csv' } });
  // A copy under a new code with another guide: written as it is.
  const copy = [...row];
  copy[0] = `${body.code}-C`;
  copy[col('guide')] = JSON.stringify({ ...GUIDE, window: '99 号窗口' });
  copy[col('themes')] = '住房';
  copy[col('keywords')] = '房本';
  let r = await post(csv(head, [copy]));
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.imported, 1, r.text);
  let g = (await srv.api('GET', `/api/v1/items/${enc(copy[0])}`)).body;
  assert.equal(g.guide.window, '99 号窗口');
  assert.deepEqual(g.themes, ['住房']);
  assert.deepEqual(g.keywords, ['房本']);
  // A bad guide in a row is refused with its line.
  const badRow = [...row];
  badRow[0] = `${body.code}-B`;
  badRow[col('guide')] = JSON.stringify({ phone: 'call me' });
  r = await post(csv(head, [badRow]));
  assert.equal(r.body.rejected_count, 1, r.text);
  assert.match(r.body.rejected[0].reason, /guide\.phone/);
  // The same file again writes nothing.
  r = await post(csv(head, [copy]));
  assert.equal(r.body.imported, 0, r.text);
  assert.equal(r.body.unchanged, 1, r.text);
  // The old layout (28 columns): a changed name makes a new version that keeps the guide.
  const old = [...row.slice(0, 28)];
  old[col('name')] = `${body.name}（旧表）`;
  r = await post(csv(head.slice(0, 28), [old]));
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.imported, 1, r.text);
  g = (await srv.api('GET', `/api/v1/items/${enc(body.code)}`)).body;
  assert.equal(g.name, `${body.name}（旧表）`);
  assert.deepEqual(g.guide, GUIDE);
  assert.deepEqual(g.themes, body.themes);
  assert.deepEqual(g.keywords, body.keywords);
});

test('themes: the list is served, every demo item’s themes are in it, and the theme filter returns only its items', async () => {
  const t = await srv.api('GET', '/api/v1/catalog/themes');
  assert.equal(t.status, 200, t.text);
  const names = t.body.themes.map((x) => x.name);
  assert.ok(names.length >= 14);
  for (const x of t.body.themes) {
    assert.ok(x.name && x.name_en && ['', 'person', 'entity'].includes(x.parties), JSON.stringify(x));
  }
  for (const must of ['开办企业', '户籍办理', '社会保障', '婚姻生育', '工程建设', '纳税缴费']) assert.ok(names.includes(must), must);
  const every = await all('');
  for (const it of every.items) for (const th of it.themes) assert.ok(names.includes(th), `${it.code}: ${th}`);
  const withTheme = every.items.filter((i) => i.themes.length > 0).length;
  assert.ok(withTheme > every.total * 0.9, `${withTheme} of ${every.total} demo items have a theme`);
  const hj = await all(`theme=${enc('户籍办理')}`);
  assert.ok(hj.total > 0);
  assert.equal(hj.total, every.items.filter((i) => i.themes.includes('户籍办理')).length);
  for (const it of hj.items) assert.ok(it.themes.includes('户籍办理'), it.code);
  assert.ok(hj.items.some((i) => i.name.includes('户口')), 'the household-registration items are under 户籍办理');
  // Combined with the parties and a department.
  const kb = await all(`theme=${enc('开办企业')}&parties=entity&dept=scjgj`);
  assert.ok(kb.total > 0);
  for (const it of kb.items) { assert.equal(it.dept_code, 'scjgj'); assert.notEqual(it.parties, 'person'); }
  assertError(assert, await srv.api('GET', `/api/v1/items?theme=${enc('买彩票')}`), 400, 'catalog.bad_theme', 'theme');
});

test('个人办事 / 法人办事: each tab lists its party’s items and the items for both', async () => {
  const every = await all('');
  const per = await all('parties=person');
  const ent_ = await all('parties=entity');
  const both = every.items.filter((i) => i.parties === '').length;
  assert.ok(both > 0 && per.total > 0 && ent_.total > 0);
  assert.equal(per.total, every.items.filter((i) => i.parties !== 'entity').length);
  assert.equal(ent_.total, every.items.filter((i) => i.parties !== 'person').length);
  assert.equal(per.total + ent_.total - both, every.total);
  for (const it of per.items) assert.notEqual(it.parties, 'entity', it.code);
  for (const it of ent_.items) assert.notEqual(it.parties, 'person', it.code);
  const code = every.items.find((i) => i.parties === '').code;
  assert.ok(per.items.some((i) => i.code === code) && ent_.items.some((i) => i.code === code));
});

test('search finds items by their result (营业执照 → 设立) and by keyword, not only by name', async () => {
  const yz = await all(`q=${enc('营业执照')}`);
  const founding = yz.items.filter((i) => i.registry_effect === 'register' && !i.name.includes('营业执照'));
  assert.ok(founding.some((i) => i.name.includes('设立')), yz.items.map((i) => i.name).join('、'));
  for (const it of yz.items) {
    assert.ok(it.name.includes('营业执照') || it.output_kind.includes('营业执照') || it.keywords.some((k) => k.includes('营业执照')), it.name);
  }
  // By a keyword that is in no name or result; two characters take the other path.
  for (const q of ['公司注册', '户籍', '低保']) {
    const r = await all(`q=${enc(q)}`);
    assert.ok(r.total > 0, q);
    assert.ok(r.items.some((i) => !i.name.includes(q) && !i.output_kind.includes(q) && i.keywords.some((k) => k.includes(q))), q);
  }
  // An administrator's keyword is found at once.
  const word = `${rareWord(4)}`;
  const body = itemBody({ keywords: [word] });
  assert.equal((await admin.post('/api/v1/items', body)).status, 201);
  assert.deepEqual((await all(`q=${enc(word)}`)).items.map((i) => i.code), [body.code]);
  // And by result, combined with the parties and the theme.
  const hit = await all(`q=${enc(body.output_kind)}&parties=entity&theme=${enc('经营许可')}`);
  assert.deepEqual(hit.items.map((i) => i.code), [body.code]);
  assert.equal((await all(`q=${enc(body.output_kind)}&parties=person`)).total, 0);
});

test('the demo guide: a place in the 政务服务中心, hours, phones and the process by handling mode', async () => {
  const inst = (await srv.api('GET', '/api/v1/items?mode=instant&per_page=1')).body.items[0];
  assert.deepEqual(inst.guide.steps.map((s) => s.name), ['申请', '受理', '当场办结']);
  const auto = (await srv.api('GET', '/api/v1/items?mode=auto&per_page=100')).body.items.find((i) => i.output_kind);
  assert.deepEqual(auto.guide.steps.map((s) => s.name), ['网上申请', '系统自动审批', '电子证照']);
  const ord = (await all('')).items.find((i) => i.handling === 'promise' && !i.rule);
  assert.deepEqual(ord.guide.steps.map((s) => s.name), ['申请', '受理', '审查', '决定', '送达']);
  for (const it of [inst, auto, ord]) {
    assert.match(it.guide.place, /^大连金普新区政务服务中心 [A-D] 区 \d 楼$/);
    assert.match(it.guide.window, /窗口/);
    assert.match(it.guide.hours, /法定节假日除外/);
    assert.match(it.guide.phone, /^0411-8\d{7}$/);
    assert.ok(it.guide.complaint_phone);
  }
});

// A small real PDF, made unique so each upload is its own blob.
function pdf() {
  return Buffer.from(`%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n% ${Math.random()}\ntrailer<</Root 1 0 R>>\n%%EOF\n`);
}

// file(client, it, party) files and submits one case of item it online.
async function file(client, it, party) {
  const materials = {};
  for (const m of it.materials) {
    if (m.source === `registry.${party}`) continue;
    const u = await client.post('/api/v1/uploads', pdf(), { headers: { 'Content-Type': 'application/pdf' } });
    assert.equal(u.status, 201, u.text);
    materials[m.key] = u.body.sha256;
  }
  const r = await client.post('/api/v1/cases', { item: it.code, materials, submit: true });
  assert.equal(r.status, 201, `${it.code}: ${r.text}`);
}

test('热门事项: the items with most cases filed, most first, split by parties', async () => {
  const p0 = await srv.api('GET', '/api/v1/items/popular');
  assert.equal(p0.status, 200, p0.text);
  assert.equal(p0.body.days, 90);
  const count = (list, code) => list.find((i) => i.code === code)?.cases || 0;
  // Two items any party may file (JP-JB-001 即办, JP-MP-001 秒批) and a person's own item.
  const jb = (await srv.api('GET', '/api/v1/items/JP-JB-001')).body;
  const mp = (await srv.api('GET', '/api/v1/items/JP-MP-001')).body;
  const mine = (await all('parties=person&channel=online')).items.find((i) => i.parties === 'person' && !i.rule &&
    i.form.length === 0 && !i.registry_effect && i.handling === 'promise');
  assert.ok(mine, 'a person’s online item without a form');
  const before = { jb: count(p0.body.items, jb.code), mp: count(p0.body.items, mp.code), mine: count(p0.body.items, mine.code) };
  for (let i = 0; i < 3; i++) await file(ent, jb, 'entity');
  for (let i = 0; i < 2; i++) await file(ent, mp, 'entity');
  await file(person, mine, 'person');
  const p = (await srv.api('GET', '/api/v1/items/popular?limit=50')).body.items;
  assert.equal(count(p, jb.code), before.jb + 3);
  assert.equal(count(p, mp.code), before.mp + 2);
  assert.equal(count(p, mine.code), before.mine + 1);
  for (let i = 1; i < p.length; i++) assert.ok(p[i - 1].cases >= p[i].cases, 'most cases first');
  assert.ok(p.findIndex((i) => i.code === jb.code) < p.findIndex((i) => i.code === mp.code));
  assert.ok(p.findIndex((i) => i.code === mp.code) < p.findIndex((i) => i.code === mine.code));
  // The 法人 tab does not list a person's item; the 个人 tab lists it and the items for both.
  const pe = (await srv.api('GET', '/api/v1/items/popular?parties=entity&limit=50')).body.items;
  assert.ok(!pe.some((i) => i.code === mine.code));
  assert.ok(pe.some((i) => i.code === jb.code));
  for (const it of pe) assert.notEqual(it.parties, 'person');
  const pp = (await srv.api('GET', '/api/v1/items/popular?parties=person&limit=50')).body.items;
  assert.ok(pp.some((i) => i.code === mine.code) && pp.some((i) => i.code === jb.code));
  for (const it of pp) assert.notEqual(it.parties, 'entity');
  // limit cuts the list; the newest window of days is honoured.
  assert.equal((await srv.api('GET', '/api/v1/items/popular?limit=1')).body.items.length, 1);
  assertError(assert, await srv.api('GET', '/api/v1/items/popular?limit=0'), 400, 'request.bad_param', 'limit');
  assertError(assert, await srv.api('GET', '/api/v1/items/popular?parties=robot'), 400, 'catalog.bad_parties', 'parties');
});
