// statements.test.mjs — what a write costs in SQL statements (issue 18), on
// SQLite and PostgreSQL: a durable entity creation and a 秒批 filing (rule,
// decision, signed certificate) each run at most the statements counted
// when this test was written, so a change that adds statements to either
// fails here; the speed itself is measured by `make bench` only. The count
// is the difference of GET /api/v1/metrics' `statements` across the request
// on a server doing nothing else, less what reading the metrics itself
// costs; the least of three tries, so a periodic job that happens to run in
// between does not count.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, cleanup, entityBody } from './lib.mjs';

// The counts when this test was written, the same on both databases. A
// change that lowers one lowers its bound here too.
const ENTITY_MAX = { sqlite: 4, pg: 4 };
const MIAOPI_MAX = { sqlite: 37, pg: 37 };
// Rows stepped through in full table scans (SQLite only: GET
// /api/v1/metrics' scan_steps). Neither write scans a table that grows: a
// query that misses its index (a partial index the query's terms do not
// imply, say) fails here long before anyone would notice its time.
const SCAN_MAX = { entity: 0, miaopi: 0 };

let srv, admin, clerk, ent;
before(async () => {
  // with the demo's 招商 and talent records, so that their tables have rows a scan would step through
  srv = await startServer({ pipeline: true, persons: 5000 });
  [admin, clerk, ent] = await Promise.all(['admin', 'clerk', 'ent'].map((u) => srv.login(u)));
});
after(() => cleanup(srv));

const statements = async (key = 'statements') => {
  const r = await admin.get('/api/v1/metrics');
  assert.equal(r.status, 200, r.text);
  assert.ok(Number.isInteger(r.body[key]), r.text.slice(0, 200));
  return r.body[key];
};

// cost(fn) is the statements fn's request runs, the least of three tries
// after five to warm the server's threads (each loads the working-day
// calendar at its first request and once a minute: two statements).
async function cost(fn, key = 'statements') {
  for (let k = 0; k < 5; k++) await fn();
  let best = Infinity;
  for (let k = 0; k < 3; k++) {
    const a = await statements(key);
    const b = await statements(key);
    await fn();
    const c = await statements(key);
    best = Math.min(best, (c - b) - (b - a));
  }
  return best;
}

test('a durable entity creation runs no more statements than counted', async () => {
  const n = await cost(async () => {
    const r = await clerk.post('/api/v1/entities', entityBody());
    assert.equal(r.status, 201, r.text);
  });
  console.log(`statements per entity creation (${srv.db.kind}): ${n}`);
  assert.ok(n > 0, 'the count counts');
  assert.ok(n <= ENTITY_MAX[srv.db.kind], `${n} statements, counted ${ENTITY_MAX[srv.db.kind]}`);
  if (srv.db.kind !== 'sqlite') return;
  const scanned = await cost(async () => assert.equal((await clerk.post('/api/v1/entities', entityBody())).status, 201),
    'scan_steps');
  console.log(`rows scanned per entity creation: ${scanned}`);
  assert.ok(scanned <= SCAN_MAX.entity, `${scanned} rows stepped in full table scans`);
});

// materials() uploads (before the counting) one file for each material of
// the item the registry does not give.
async function materials(code) {
  const it = (await clerk.get(`/api/v1/items/${code}`)).body;
  const out = {};
  for (const m of it.materials) {
    if (m.source === 'registry.entity') continue;
    const pdf = Buffer.from(`%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n% ${Math.random()}\ntrailer<</Root 1 0 R>>\n%%EOF\n`);
    const r = await ent.post('/api/v1/uploads', pdf, { headers: { 'Content-Type': 'application/pdf' } });
    assert.equal(r.status, 201, r.text);
    out[m.key] = r.body.sha256;
  }
  return out;
}

test('a 秒批 filing (rule, decision, signed certificate) runs no more statements than counted', async () => {
  const sets = [];
  for (let k = 0; k < 8; k++) sets.push(await materials('JP-MP-001'));
  const n = await cost(async () => {
    const r = await ent.post('/api/v1/cases', { item: 'JP-MP-001', submit: true, materials: sets.pop() });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.body.state, 'issued', r.text.slice(0, 300));
  });
  console.log(`statements per 秒批 filing (${srv.db.kind}): ${n}`);
  assert.ok(n > 0, 'the count counts');
  assert.ok(n <= MIAOPI_MAX[srv.db.kind], `${n} statements, counted ${MIAOPI_MAX[srv.db.kind]}`);
  if (srv.db.kind !== 'sqlite') return;
  for (let k = 0; k < 8; k++) sets.push(await materials('JP-MP-001'));
  const scanned = await cost(async () => {
    const r = await ent.post('/api/v1/cases', { item: 'JP-MP-001', submit: true, materials: sets.pop() });
    assert.equal(r.body.state, 'issued', r.text.slice(0, 300));
  }, 'scan_steps');
  console.log(`rows scanned per 秒批 filing: ${scanned}`);
  assert.ok(scanned <= SCAN_MAX.miaopi, `${scanned} rows stepped in full table scans`);
});

test('a page of the case list by party scans no more than its own rows, as a clerk and as the applicant itself', async () => {
  if (srv.db.kind !== 'sqlite') return;
  for (let k = 0; k < 3; k++) {
    const r = await ent.post('/api/v1/cases', { item: 'JP-MP-001', submit: true, materials: await materials('JP-MP-001') });
    assert.equal(r.status, 201, r.text);
  }
  // The page itself (at most 20 rows, chosen through an index) is read
  // twice as a scan of its own: once joined, once for its bundles' ids.
  // Nothing else may be scanned, however many cases the table holds.
  for (const [who, url] of [[clerk, `/api/v1/cases?party=${ent.user.party}`], [ent, '/api/v1/cases']]) {
    let rows = 0;
    const scanned = await cost(async () => {
      const r = await who.get(url);
      assert.equal(r.status, 200, r.text);
      assert.ok(r.body.items.length >= 3 && r.body.items.every((c) => c.party === ent.user.party), r.text.slice(0, 300));
      rows = r.body.items.length;
    }, 'scan_steps');
    console.log(`rows scanned by GET ${url} as ${who.user.username}: ${scanned} (a page of ${rows})`);
    assert.ok(scanned <= 2 * rows, `${scanned} rows stepped in full table scans for a page of ${rows}`);
  }
});
