// entities.test.mjs — the market-entity registry over HTTP: register, read,
// search by Chinese substring with paging, change (audited with the old and
// new values), and every kind of bad input refused with the JSON error shape
// {error:{code,message,message_en,field}} — and NOTHING written for it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, cleanup, assertError, entityBody, makeUscc, badCheckUscc, auditAfter, lastAuditId,
  exportEntities, rareWord, todayCN, xinqu,
} from './lib.mjs';

let srv, clerk, auditor;
before(async () => {
  srv = await startServer();
  clerk = await srv.login('clerk');
  auditor = await srv.login('auditor');
});
after(() => cleanup(srv));

async function total() {
  const r = await clerk.get('/api/v1/entities?per_page=1');
  assert.equal(r.status, 200, r.text);
  return r.body.total;
}

test('register an entity: 201, then GET returns it; the create is audited', async () => {
  const body = entityBody();
  const before = await lastAuditId(auditor);
  const r = await clerk.post('/api/v1/entities', body);
  assert.equal(r.status, 201, r.text);
  for (const k of Object.keys(body)) assert.equal(r.body[k], body[k], k);
  assert.equal(r.body.status, 'active');
  assert.equal(r.body.kind_label, '公司');
  const g = await clerk.get(`/api/v1/entities/${body.uscc}`);
  assert.equal(g.status, 200, g.text);
  assert.deepEqual(g.body, { ...r.body, history: [] }, 'as created, with no change yet');
  // Applicants may read too.
  const ent = await srv.login('ent');
  assert.equal((await ent.get(`/api/v1/entities/${body.uscc}`)).status, 200);
  const ev = await auditAfter(auditor, before, '&action=entity.create');
  assert.equal(ev.length, 1);
  assert.equal(ev[0].object, `entity:${body.uscc}`);
  assert.equal(ev[0].actor, 'clerk');
  assert.equal(ev[0].detail.name, body.name);
});

test('without a uscc the server generates one that `xinqu check uscc` accepts, of the right category', async () => {
  const seen = new Set();
  for (const [kind, cat] of [['company', '1'], ['individual', '2'], ['cooperative', '3'], ['partnership', '1']]) {
    const body = entityBody({ kind });
    delete body.uscc;
    const r = await clerk.post('/api/v1/entities', body);
    assert.equal(r.status, 201, r.text);
    const u = r.body.uscc;
    assert.match(u, /^9[123]210213[0-9A-HJ-NPQRTUWXY]{10}$/);
    assert.equal(u[1], cat, `${kind} → category ${cat}: ${u}`);
    const chk = xinqu(['check', 'uscc', u]);
    assert.equal(chk.status, 0, chk.stdout + chk.stderr);
    assert.equal(chk.stdout.trim(), `${u} ok`);
    assert.equal((await clerk.get(`/api/v1/entities/${u}`)).body.name, body.name);
    seen.add(u);
  }
  assert.equal(seen.size, 4);
  // Codes handed out one after another sort one after another (after the
  // category digit, the same district and "MA"): new rows go to the end of
  // the code index. The six characters wrap about every quarter of an hour,
  // so a run is checked only when it does not straddle the wrap.
  const run = [];
  for (let i = 0; i < 5; i++) {
    const body = entityBody();
    delete body.uscc;
    run.push((await clerk.post('/api/v1/entities', body)).body.uscc.slice(2, 16));
  }
  for (const u of run) assert.match(u, /^210213MA/);
  const down = run.map((u, i) => i && u < run[i - 1]).map((d, i) => (d ? i : 0)).filter(Boolean);
  assert.ok(down.length === 0 || (down.length === 1 && run[down[0] - 1].startsWith('210213MAY') &&
    run[down[0]].startsWith('210213MA0')), `codes in order of issue (or one wrap): ${run.join(' ')}`);
});

test('a lower-case code is read as upper case', async () => {
  const body = entityBody();
  const r = await clerk.post('/api/v1/entities', { ...body, uscc: body.uscc.toLowerCase() });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.uscc, body.uscc);
  assert.equal((await clerk.get(`/api/v1/entities/${body.uscc.toLowerCase()}`)).body.uscc, body.uscc);
});

test('GET of an unknown or malformed code: 404 entity.not_found / 400 entity.bad_uscc', async () => {
  assertError(assert, await clerk.get(`/api/v1/entities/${makeUscc()}`), 404, 'entity.not_found', 'uscc');
  assertError(assert, await clerk.get('/api/v1/entities/123'), 400, 'entity.bad_uscc', 'uscc');
  assertError(assert, await clerk.get(`/api/v1/entities/${badCheckUscc(makeUscc())}`), 400, 'entity.bad_uscc', 'uscc');
});

test('search by a Chinese substring: 2- and 3+-character needles, total and paging agree with an export', async () => {
  const word = rareWord(4);
  const made = [];
  for (let i = 0; i < 23; i++) {
    const body = entityBody({ name: `大连${word}${'甲乙丙丁戊己庚辛壬癸'[i % 10]}${i}号贸易有限公司` });
    const r = await clerk.post('/api/v1/entities', body);
    assert.equal(r.status, 201, r.text);
    made.push(body.uscc);
  }
  const all = await exportEntities(srv);
  assert.equal(all.length, await total(), 'total without q is every entity');
  const needles = [word.slice(0, 2), word.slice(1, 4), word, `${word}甲`, '有限公司', word.slice(2, 3)];
  // A needle from a demo entity's name as well, so the demo data is searched.
  const demoName = all.find((e) => [...e.name].length >= 6).name;
  needles.push([...demoName].slice(2, 4).join(''), [...demoName].slice(1, 5).join(''));
  for (const q of needles) {
    const expected = all.filter((e) => e.name.includes(q)).map((e) => e.uscc).sort();
    const got = [];
    const per = expected.length > 200 ? 100 : 10;
    let page = 1, reportedTotal = null;
    for (;;) {
      const r = await clerk.get(`/api/v1/entities?q=${encodeURIComponent(q)}&per_page=${per}&page=${page}`);
      assert.equal(r.status, 200, r.text);
      assert.equal(r.body.page, page);
      assert.equal(r.body.per_page, per);
      if (reportedTotal === null) reportedTotal = r.body.total;
      assert.equal(r.body.total, reportedTotal, 'total is the same on every page');
      for (const it of r.body.items) assert.ok(it.name.includes(q), `${it.name} contains ${q}`);
      got.push(...r.body.items.map((e) => e.uscc));
      if (r.body.items.length < per) break;
      page++;
      assert.ok(page < 1000, 'paging ends');
    }
    assert.equal(reportedTotal, expected.length, `total for q=${q}`);
    assert.deepEqual([...got].sort(), expected, `the pages for q=${q} hold exactly the matching entities`);
    assert.equal(new Set(got).size, got.length, `no entity on two pages for q=${q}`);
  }
  // Our 23 rows, found by the 2-character needle, on three pages of 10.
  const q2 = word.slice(0, 2);
  const p3 = await clerk.get(`/api/v1/entities?q=${encodeURIComponent(word)}&per_page=10&page=3`);
  assert.equal(p3.body.items.length, 3);
  const beyond = await clerk.get(`/api/v1/entities?q=${encodeURIComponent(word)}&per_page=10&page=9`);
  assert.equal(beyond.status, 200);
  assert.deepEqual(beyond.body.items, []);
  assert.equal(beyond.body.total, 23);
  const wide = await clerk.get(`/api/v1/entities?q=${encodeURIComponent(q2)}&per_page=100`);
  for (const u of made) assert.ok(wide.body.items.some((e) => e.uscc === u), `${u} found by ${q2}`);
  const kindOnly = await clerk.get(`/api/v1/entities?q=${encodeURIComponent(word)}&kind=individual`);
  assert.equal(kindOnly.body.total, 0, 'the kind filter applies');
  // Bad paging parameters are refused.
  assertError(assert, await clerk.get('/api/v1/entities?per_page=0'), 400, 'request.bad_param', 'per_page');
  assertError(assert, await clerk.get('/api/v1/entities?per_page=101'), 400, 'request.bad_param', 'per_page');
  assertError(assert, await clerk.get('/api/v1/entities?page=x'), 400, 'request.bad_param', 'page');
  assertError(assert, await clerk.get(`/api/v1/entities?q=${'长'.repeat(51)}`), 400, 'request.bad_param', 'q');
});

test('search needles with LIKE/FTS metacharacters match literally', async () => {
  const word = rareWord(3);
  const body = entityBody({ name: `${word}%_"*贸易公司` });
  assert.equal((await clerk.post('/api/v1/entities', body)).status, 201);
  for (const q of ['%', '_', '%_', '"*', `${word}%`, '"', '*']) {
    // Every page of the answer matches; one of them holds the new entity.
    let found = false;
    for (let page = 1, seen = 0, total = 1; seen < total && !found; page++) {
      const r = await clerk.get(`/api/v1/entities?q=${encodeURIComponent(q)}&per_page=100&page=${page}`);
      assert.equal(r.status, 200, `q=${q}: ${r.text}`);
      assert.ok(r.body.items.length > 0, `q=${q}: page ${page} of ${r.body.total} is empty`);
      for (const it of r.body.items) assert.ok(it.name.includes(q), `q=${q} matched ${it.name}`);
      found = r.body.items.some((it) => it.uscc === body.uscc);
      seen += r.body.items.length;
      total = r.body.total;
    }
    assert.ok(found, `q=${q} finds ${body.name}`);
  }
});

test('PATCH changes fields and audits the old and new values', async () => {
  const body = entityBody();
  assert.equal((await clerk.post('/api/v1/entities', body)).status, 201);
  const before = await lastAuditId(auditor);
  const newName = `大连${rareWord(3)}新材料有限公司`;
  const r = await clerk.patch(`/api/v1/entities/${body.uscc}`, { name: newName, capital_fen: 88_000_000, legal_rep: '李华' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.name, newName);
  assert.equal(r.body.capital_fen, 88_000_000);
  assert.equal(r.body.address, body.address, 'fields not sent are kept');
  const g = await clerk.get(`/api/v1/entities/${body.uscc}`);
  assert.equal(g.body.name, newName);
  assert.equal(g.body.legal_rep, '李华');
  const ev = await auditAfter(auditor, before);
  assert.equal(ev.length, 1, JSON.stringify(ev));
  assert.equal(ev[0].action, 'entity.update');
  assert.equal(ev[0].object, `entity:${body.uscc}`);
  assert.equal(ev[0].actor, 'clerk');
  assert.deepEqual(ev[0].detail.changes, {
    name: [body.name, newName], capital_fen: [body.capital_fen, 88_000_000], legal_rep: [body.legal_rep, '李华'],
  });
  // The new name is searchable and the old one is not.
  const s = await clerk.get(`/api/v1/entities?q=${encodeURIComponent(newName)}`);
  assert.deepEqual(s.body.items.map((e) => e.uscc), [body.uscc]);
  const old = await clerk.get(`/api/v1/entities?q=${encodeURIComponent(body.name)}`);
  assert.equal(old.body.total, 0);
  // A change that would break a rule is refused and writes nothing.
  const mark = await lastAuditId(auditor);
  assertError(assert, await clerk.patch(`/api/v1/entities/${body.uscc}`, { kind: 'individual' }), 400, 'entity.kind_mismatch', 'kind');
  assertError(assert, await clerk.patch(`/api/v1/entities/${body.uscc}`, { established: todayCN(1) }), 400, 'entity.bad_date', 'established');
  assertError(assert, await clerk.patch(`/api/v1/entities/${body.uscc}`, { uscc: makeUscc() }), 400, 'request.unknown_field', 'uscc');
  assertError(assert, await clerk.patch(`/api/v1/entities/${body.uscc}`, {}), 400, 'request.empty');
  assertError(assert, await clerk.patch(`/api/v1/entities/${makeUscc()}`, { name: '某某有限公司' }), 404, 'entity.not_found');
  assert.deepEqual(await auditAfter(auditor, mark), []);
  assert.equal((await clerk.get(`/api/v1/entities/${body.uscc}`)).body.kind, 'company');
  // Applicants may not change the registry.
  const ent = await srv.login('ent');
  assertError(assert, await ent.patch(`/api/v1/entities/${body.uscc}`, { name: '改名有限公司' }), 403, 'auth.forbidden');
});

test('a revoked entity cannot be set back to active by an empty status', async () => {
  const body = entityBody();
  assert.equal((await clerk.post('/api/v1/entities', body)).status, 201);
  const revoked = await clerk.patch(`/api/v1/entities/${body.uscc}`, { status: 'revoked' });
  assert.equal(revoked.status, 200, revoked.text);
  assert.equal(revoked.body.status, 'revoked');
  const mark = await lastAuditId(auditor);
  const r = await clerk.patch(`/api/v1/entities/${body.uscc}`, { status: '' });
  assert.equal(r.status, 400, r.text);
  assert.equal(r.body.error.field, 'status');
  assert.equal((await clerk.get(`/api/v1/entities/${body.uscc}`)).body.status, 'revoked');
  assert.deepEqual(await auditAfter(auditor, mark), []);
});

test('Chinese text up to each limit in characters is accepted; one more is refused', async () => {
  const han = (n) => '金'.repeat(n);
  const body = { ...entityBody(), name: `大连${han(94)}有限公司`, legal_rep: han(30), address: han(80), district: han(20) };
  const r = await clerk.post('/api/v1/entities', body);
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.name, body.name);
  assert.equal(r.body.legal_rep, body.legal_rep);
  for (const [field, value] of [['name', `大连${han(95)}有限公司`], ['legal_rep', han(31)], ['address', han(81)], ['district', han(21)]]) {
    const bad = await clerk.post('/api/v1/entities', { ...entityBody(), [field]: value });
    assert.equal(bad.status, 400, `${field}: ${bad.text}`);
    assert.equal(bad.body.error.field, field);
  }
});

test('a duplicate code: 409 entity.exists, the first registration kept', async () => {
  const body = entityBody();
  assert.equal((await clerk.post('/api/v1/entities', body)).status, 201);
  const mark = await lastAuditId(auditor);
  const n = await total();
  const dup = await clerk.post('/api/v1/entities', { ...body, name: '另一家有限公司' });
  assertError(assert, dup, 409, 'entity.exists', 'uscc');
  assert.ok(dup.body.error.message.includes(body.uscc) || dup.body.error.message_en.includes(body.uscc));
  assert.equal((await clerk.get(`/api/v1/entities/${body.uscc}`)).body.name, body.name);
  assert.equal(await total(), n);
  assert.deepEqual(await auditAfter(auditor, mark), []);
});

// Every bad input: status, code, field; and nothing written.
const tomorrow = todayCN(1);
const BAD = [
  {
    what: 'a USCC whose check character is wrong', status: 400, code: 'entity.bad_uscc', field: 'uscc',
    make: (b) => ({ ...b, uscc: badCheckUscc(b.uscc) }),
    check: (e) => assert.match(e.message, /：.+/, 'the message gives a reason'),
  },
  { what: 'a USCC of 17 characters', status: 400, code: 'entity.bad_uscc', field: 'uscc', make: (b) => ({ ...b, uscc: b.uscc.slice(0, 17) }) },
  { what: 'a USCC with a letter never used (I)', status: 400, code: 'entity.bad_uscc', field: 'uscc', make: (b) => ({ ...b, uscc: `${b.uscc.slice(0, 10)}I${b.uscc.slice(11)}` }) },
  {
    what: 'a USCC not of a market entity (department 5, 社会组织)', status: 400, code: 'entity.bad_uscc', field: 'uscc',
    make: (b) => { const s17 = `51${b.uscc.slice(2, 17)}`; return { ...b, uscc: s17 + usccLast(s17) }; },
  },
  { what: 'a 个体工商户 code (category 2) registered as a company', status: 400, code: 'entity.kind_mismatch', field: 'kind', make: (b) => ({ ...b, uscc: makeUscc('2') }) },
  { what: 'a company code registered as a cooperative', status: 400, code: 'entity.kind_mismatch', field: 'kind', make: (b) => ({ ...b, kind: 'cooperative' }) },
  { what: 'an unknown kind', status: 400, code: 'entity.bad_kind', field: 'kind', make: (b) => ({ ...b, kind: 'bank' }) },
  { what: `a date of establishment in the future (${tomorrow})`, status: 400, code: 'entity.bad_date', field: 'established', make: (b) => ({ ...b, established: tomorrow }) },
  { what: 'a date that does not exist', status: 400, code: 'entity.bad_date', field: 'established', make: (b) => ({ ...b, established: '2023-02-29' }) },
  { what: 'an industry that is not A–T', status: 400, code: 'entity.bad_industry', field: 'industry', make: (b) => ({ ...b, industry: 'Z' }) },
  { what: 'a negative capital', status: 400, code: 'request.out_of_range', field: 'capital_fen', make: (b) => ({ ...b, capital_fen: -1 }) },
  { what: 'an unknown status', status: 400, code: 'entity.bad_status', field: 'status', make: (b) => ({ ...b, status: 'sleeping' }) },
  { what: 'an unknown field', status: 400, code: 'request.unknown_field', field: 'colour', make: (b) => ({ ...b, colour: 'red' }) },
  { what: 'a wrong type (capital as a string)', status: 400, code: 'request.bad_type', field: 'capital_fen', make: (b) => ({ ...b, capital_fen: '5000' }) },
  { what: 'a wrong type (name as a number)', status: 400, code: 'request.bad_type', field: 'name', make: (b) => ({ ...b, name: 12345 }) },
  { what: 'a fractional capital', status: 400, code: 'request.bad_type', field: 'capital_fen', make: (b) => ({ ...b, capital_fen: 1.5 }) },
  { what: 'a missing name', status: 400, code: 'request.missing_field', field: 'name', make: (b) => { const { name, ...rest } = b; return rest; } },
  { what: 'a missing kind', status: 400, code: 'request.missing_field', field: 'kind', make: (b) => { const { kind, ...rest } = b; return rest; } },
  { what: 'a name of one character', status: 400, code: 'request.too_short', field: 'name', make: (b) => ({ ...b, name: '甲' }) },
  { what: 'a name of 101 characters', status: 400, code: 'request.too_long', field: 'name', make: (b) => ({ ...b, name: '长'.repeat(101) }) },
  { what: 'a control character in the name', status: 400, code: 'request.bad_text', field: 'name', make: (b) => ({ ...b, name: `大连\u0007公司` }) },
  // jansson refuses \u0000 while parsing (bad_json); a decoder that let it through must refuse the text.
  { what: 'a NUL written as \\u0000 in the name', status: 400, code: ['request.bad_json', 'request.bad_text'], make: (b) => ({ ...b, name: '大连\u0000有限公司' }) },
  { what: 'a duplicate key', status: 400, code: 'request.bad_json', field: '', raw: (b) => JSON.stringify(b).replace(/^\{/, '{"name":"重复有限公司",') },
  { what: 'malformed JSON', status: 400, code: 'request.bad_json', field: '', raw: (b) => JSON.stringify(b).slice(0, -5) },
  { what: 'an empty body', status: 400, code: 'request.bad_json', field: '', raw: () => '' },
  { what: 'a body that is not an object (array)', status: 400, code: 'request.not_object', field: '', raw: (b) => JSON.stringify([b]) },
  // A scalar at the top is not even JSON text to a parser without JSON_DECODE_ANY.
  { what: 'a body that is not an object (string)', status: 400, code: ['request.not_object', 'request.bad_json'], field: '', raw: (b) => JSON.stringify(b.uscc) },
  {
    what: 'a wrong Content-Type', status: 415, code: 'request.bad_content_type', field: '',
    raw: (b) => JSON.stringify(b), headers: { 'Content-Type': 'text/plain' },
  },
  {
    what: 'a form Content-Type', status: 415, code: 'request.bad_content_type', field: '',
    raw: (b) => `uscc=${b.uscc}&name=x`, headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  },
  {
    what: 'a body that is not valid UTF-8', status: 400, code: 'request.bad_utf8', field: '',
    raw: (b) => {
      const s = JSON.stringify({ ...b, name: 'XXNAMEXX' });
      const [a, c] = s.split('XXNAMEXX');
      return Buffer.concat([Buffer.from(`${a}大连`), Buffer.from([0xe5, 0xff, 0x80]), Buffer.from(`有限公司${c}`)]);
    },
  },
  {
    what: 'an overlong UTF-8 encoding', status: 400, code: 'request.bad_utf8', field: '',
    raw: (b) => { const [a, c] = JSON.stringify({ ...b, name: 'XXNAMEXX' }).split('XXNAMEXX'); return Buffer.concat([Buffer.from(`${a}ab`), Buffer.from([0xc0, 0xaf]), Buffer.from(`cd${c}`)]); },
  },
  { what: 'a body over the route limit (8 KiB)', status: 413, code: 'request.too_large', field: '', make: (b) => ({ ...b, address: '地'.repeat(3000) }) },
  { what: 'JSON nested too deep', status: 400, code: 'request.too_deep', field: '', raw: (b) => JSON.stringify({ ...b, x: JSON.parse('['.repeat(40) + ']'.repeat(40)) }) },
];

function usccLast(s17) {
  const A = '0123456789ABCDEFGHJKLMNPQRTUWXY';
  let sum = 0, w = 1;
  for (let i = 0; i < 17; i++) { sum += A.indexOf(s17[i]) * w; w = (w * 3) % 31; }
  return A[(31 - (sum % 31)) % 31];
}

for (const c of BAD) {
  test(`bad input refused, nothing written: ${c.what}`, async () => {
    const good = entityBody();
    const n = await total();
    const mark = await lastAuditId(auditor);
    const payload = c.raw ? c.raw(good) : c.make(good);
    const r = await clerk.post('/api/v1/entities', payload, { headers: c.headers || {} });
    const codes = [c.code].flat();
    const e = assertError(assert, r, c.status, codes.includes(r.body?.error?.code) ? r.body.error.code : codes[0], c.field);
    if (c.check) c.check(e);
    // Nothing was written: no entity, no audit event, the same total.
    const candidates = new Set([good.uscc, typeof payload === 'object' && !Buffer.isBuffer(payload) && payload.uscc].filter(Boolean));
    for (const u of candidates) {
      const g = await clerk.get(`/api/v1/entities/${encodeURIComponent(u)}`);
      assert.ok(g.status === 404 || g.status === 400, `${u} must not exist: ${g.status} ${g.text}`);
    }
    const byName = await clerk.get(`/api/v1/entities?q=${encodeURIComponent(good.name)}`);
    assert.equal(byName.body.total, 0, 'no entity with the name sent');
    assert.equal(await total(), n, 'the number of entities did not change');
    assert.deepEqual(await auditAfter(auditor, mark), [], 'no audit event was written');
  });
}

test('a huge body (9 MiB) is refused with 413 before it is read, and the server keeps serving', async () => {
  const n = await total();
  const big = Buffer.alloc(9 * 1024 * 1024, 0x20);
  let r;
  try {
    r = await clerk.post('/api/v1/entities', big);
  } catch (err) {
    // The server may answer and close before the whole body is sent.
    r = null;
  }
  if (r) assertError(assert, r, 413, 'request.too_large');
  assert.equal((await srv.api('GET', '/healthz')).status, 200);
  assert.equal(await total(), n);
});

test('establishment today is accepted (the future check is by the Chinese date)', async () => {
  const body = entityBody({ established: todayCN(0) });
  const r = await clerk.post('/api/v1/entities', body);
  assert.equal(r.status, 201, r.text);
});

test('roles: applicants and auditors may not register entities', async () => {
  for (const u of ['ent', 'person', 'auditor', 'leader']) {
    const c = await srv.login(u);
    const body = entityBody();
    assertError(assert, await c.post('/api/v1/entities', body), 403, 'auth.forbidden');
    assert.equal((await clerk.get(`/api/v1/entities/${body.uscc}`)).status, 404);
  }
});

test('the server stops cleanly on SIGTERM (exit status 0)', async () => {
  await srv.stop();
});
