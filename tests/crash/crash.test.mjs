// crash.test.mjs — durability under SIGKILL (SQLite). Sixteen writers
// register entities as fast as they can; after a random 0.3–1.5 s the
// server is killed with SIGKILL. After a restart every registration that
// was answered 201 must be there. Five rounds; then the audit chain must
// verify, SQLite's integrity check must say ok, and every entity written
// through the API must have exactly its one audit event (the write and its
// event are one transaction).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, cleanup, entityBody, xinqu, sleep } from '../api/lib.mjs';

const ROUNDS = 5;
const WRITERS = 16;

let srv, initial;
before(async () => {
  srv = await startServer({ kind: 'sqlite', entities: 500, persons: 20 });
  initial = Number(srv.db.query('SELECT COUNT(*) FROM entity'));
});
after(() => cleanup(srv));

// writer() registers entities until stop(), recording every 201.
async function writer(client, acked, state) {
  while (!state.stop) {
    const body = entityBody();
    try {
      const r = await client.post('/api/v1/entities', body);
      if (r.status === 201) {
        assert.equal(r.body.uscc, body.uscc);
        acked.push(body.uscc);
      } else if (r.status !== 503) {
        state.unexpected.push(`${r.status} ${r.text.slice(0, 200)}`);
      }
    } catch {
      // The server died under us: the answer never came, so nothing is promised.
      if (!state.stop) await sleep(5);
    }
  }
}

const allAcked = [];

for (let round = 1; round <= ROUNDS; round++) {
  test(`round ${round}: SIGKILL under ${WRITERS} writers loses no acknowledged registration`, async (t) => {
    if (!srv.proc) await srv.restart();
    const client = await srv.tokenClient('clerk', `crash-${round}`);
    const acked = [];
    const state = { stop: false, unexpected: [] };
    const loops = Array.from({ length: WRITERS }, () => writer(client, acked, state));
    const ms = 300 + Math.floor(Math.random() * 1200);
    await sleep(ms);
    await srv.kill();
    state.stop = true;
    await Promise.all(loops);
    assert.deepEqual(state.unexpected, [], 'no answer other than 201 (or 503 when busy)');
    assert.ok(acked.length > 0, `some registrations were acknowledged in ${ms} ms`);
    await srv.restart();
    const check = await srv.tokenClient('auditor', `check-${round}`);
    const missing = [];
    for (let i = 0; i < acked.length; i += WRITERS) {
      const part = acked.slice(i, i + WRITERS);
      const rs = await Promise.all(part.map((u) => check.get(`/api/v1/entities/${u}`)));
      rs.forEach((r, k) => { if (r.status !== 200) missing.push(`${part[k]} → ${r.status}`); });
    }
    assert.deepEqual(missing, [], `all ${acked.length} acknowledged registrations survive the crash`);
    t.diagnostic(`${acked.length} registrations acknowledged in ${ms} ms, all present after the restart`);
    allAcked.push(...acked);
  });
}

test('after the crashes: audit chain intact, integrity_check ok, one audit event per API write', async () => {
  await srv.stop();
  const v = xinqu(['audit', 'verify', '--db', srv.db.url]);
  assert.equal(v.status, 0, v.stdout + v.stderr);
  assert.equal(srv.db.query('PRAGMA integrity_check'), 'ok');
  const total = Number(srv.db.query('SELECT COUNT(*) FROM entity'));
  const created = Number(srv.db.query("SELECT COUNT(*) FROM audit_event WHERE action = 'entity.create'"));
  assert.ok(total - initial >= allAcked.length, `${total - initial} written ≥ ${allAcked.length} acknowledged`);
  assert.equal(created, total - initial, 'each entity written through the API has its entity.create event, and no event lacks its entity');
  const orphans = srv.db.query(
    "SELECT COUNT(*) FROM audit_event a WHERE a.action = 'entity.create' AND NOT EXISTS (SELECT 1 FROM entity e WHERE 'entity:' || e.uscc = a.object)");
  assert.equal(orphans, '0');
  assert.equal(new Set(allAcked).size, allAcked.length);
});
