// history.test.mjs — the demo history (`xinqu init --demo jinpu --cases N`):
// a year of cases made by the case engine, so every queue, the tasks, the
// overdue list and the statistics have something true to show. The rates
// are checked against what each case itself says: a case decided after its
// deadline counts against its item's and department's on-time rate.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, cleanup } from './lib.mjs';

const N = 300;
let srv, clerk, approver, leader, ent;
before(async () => {
  srv = await startServer({ cases: N });
  [clerk, approver, leader, ent] = await Promise.all(['clerk', 'approver', 'leader', 'ent'].map((u) => srv.login(u)));
});
after(() => cleanup(srv));

// all(client, path) pages through a list answer {items, total}.
async function all(client, path) {
  const out = [];
  for (let page = 1; ; page++) {
    const r = await client.get(`${path}${path.includes('?') ? '&' : '?'}page=${page}&per_page=100`);
    assert.equal(r.status, 200, r.text);
    out.push(...r.body.items);
    if (out.length >= r.body.total || r.body.items.length === 0) {
      assert.equal(out.length, r.body.total);
      return out;
    }
  }
}

test('the history files the cases asked for, in every channel and across items and departments', async () => {
  const cases = await all(leader, '/api/v1/cases');
  assert.equal(cases.length, N);
  const by = (k) => new Set(cases.map((c) => c[k]));
  assert.deepEqual([...by('channel')].sort(), ['kiosk', 'online', 'window'].filter((c) => by('channel').has(c)));
  assert.ok(by('channel').has('online') && by('channel').has('window'));
  assert.ok(by('item').size >= 50, `items: ${by('item').size}`);
  assert.ok(by('dept_id').size >= 10, `departments: ${by('dept_id').size}`);
  for (const s of ['submitted', 'review', 'correction', 'issued', 'closed', 'refused', 'terminated'])
    assert.ok(by('state').has(s), `no case in state ${s}: ${[...by('state')]}`);
  for (const p of ['normal', 'instant', 'auto', 'rongque'])
    assert.ok(by('path').has(p), `no case decided by ${p}`);
  // Filed over the past year, on working days.
  const times = cases.filter((c) => c.submitted_at).map((c) => Date.parse(c.submitted_at));
  assert.ok(Math.max(...times) - Math.min(...times) > 300 * 86400e3);
  // The demo enterprise has its own cases, some rated.
  const mine = await all(ent, '/api/v1/cases');
  assert.ok(mine.length > 0);
});

test('every queue of a clerk has cases, and each count is the length of its list', async () => {
  const q = await clerk.get('/api/v1/cases/queues');
  assert.equal(q.status, 200, q.text);
  for (const name of ['to_accept', 'to_review', 'due_soon', 'overdue', 'rongque', 'correction', 'rectify'])
    assert.ok(q.body[name] > 0, `queue ${name} is empty: ${JSON.stringify(q.body)}`);
  for (const name of ['to_accept', 'to_review', 'due_soon', 'overdue', 'postcheck', 'rongque', 'correction']) {
    const list = await all(clerk, `/api/v1/cases?queue=${name}`);
    assert.equal(list.length, q.body[name], name);
  }
  for (const c of await all(clerk, '/api/v1/cases?queue=overdue')) assert.equal(c.sla.overdue, true, c.no);
  for (const c of await all(clerk, '/api/v1/cases?queue=due_soon')) {
    assert.equal(c.sla.overdue, false, c.no);
    assert.equal(c.sla.warning, true, c.no);
  }
});

test('the overdue list of each department holds its overdue cases', async () => {
  const depts = (await leader.get('/api/v1/departments')).body.items;
  const overdue = await all(clerk, '/api/v1/cases?queue=overdue');
  assert.ok(overdue.length > 0);
  for (const id of new Set(overdue.map((c) => c.dept_id))) {
    const d = depts.find((x) => x.id === id);
    assert.ok(d, `department ${id}`);
    const list = await all(leader, `/api/v1/sla/overdue?dept=${d.code}`);
    const want = overdue.filter((c) => c.dept_id === id).map((c) => c.no).sort();
    assert.deepEqual(list.map((c) => c.no).sort(), want);
  }
});

test('the tasks list has the history\'s checks and rectifications, done and open', async () => {
  const tasks = await all(approver, '/api/v1/tasks');
  assert.ok(tasks.length > 0);
  assert.ok(tasks.some((t) => t.state === 'done'), 'no task done');
  const open = new Set(tasks.filter((t) => t.state === 'open').map((t) => t.kind));
  assert.ok(open.has('rectify') && open.has('verify'), `open kinds: ${[...open]}`);
  const q = (await clerk.get('/api/v1/cases/queues')).body;
  assert.equal(q.rectify, tasks.filter((t) => t.state === 'open' && t.kind === 'rectify').length);
  // Every rectification follows a rating of 1 or 2 on its case.
  for (const t of tasks.filter((x) => x.kind === 'rectify')) {
    const c = await leader.get(`/api/v1/cases/${t.subject}`);
    assert.ok(c.body.rating && c.body.rating.score <= 2, t.subject);
  }
});

test('the on-time rate of each item and department is (decided on time) / (decided), from the cases themselves', async () => {
  const list = await all(leader, '/api/v1/cases');
  const perItem = new Map(), perDept = new Map();
  let late = 0, rated = 0, bad = 0;
  for (const brief of list) {
    const c = (await leader.get(`/api/v1/cases/${brief.no}`)).body;
    if (c.rating) { rated++; if (c.rating.score <= 2) bad++; }
    if (!c.decision) continue;
    // A clock that ran is judged by where its decision stopped it; a case
    // decided at once (即办, 秒批, 告知承诺) kept its time; a case of an
    // item with no time limit has no on-time rate.
    let onTime;
    if (c.sla.deadline_at) onTime = !c.sla.overdue;
    else if (['instant', 'auto', 'promise'].includes(c.path)) onTime = true;
    else continue;
    if (!onTime) late++;
    for (const [m, k] of [[perItem, c.item], [perDept, c.dept_id]]) {
      const v = m.get(k) || { decided: 0, on_time: 0 };
      v.decided++;
      if (onTime) v.on_time++;
      m.set(k, v);
    }
  }
  assert.ok(late > 0, 'no case was decided late');
  assert.ok(rated > 0 && bad > 0, `ratings ${rated}, bad ${bad}`);
  const byItem = (await leader.get('/api/v1/stats/cases?by=item')).body;
  for (const s of byItem) {
    const v = perItem.get(s.item) || { decided: 0, on_time: 0 };
    assert.equal(s.decided, v.decided, `decided of ${s.item}`);
    assert.equal(s.on_time, v.on_time, `on time of ${s.item}`);
    if (v.decided) assert.ok(Math.abs(s.on_time_rate - v.on_time / v.decided) < 1e-9, s.item);
  }
  const depts = (await leader.get('/api/v1/departments')).body.items;
  const byDept = (await leader.get('/api/v1/stats/cases?by=dept')).body;
  assert.ok(byDept.some((s) => s.on_time_rate !== null && s.on_time_rate < 1), 'every department always on time');
  for (const s of byDept) {
    const id = depts.find((d) => d.code === s.dept).id;
    const v = perDept.get(id) || { decided: 0, on_time: 0 };
    assert.equal(s.decided, v.decided, `decided of ${s.dept}`);
    assert.equal(s.on_time, v.on_time, `on time of ${s.dept}`);
  }
  assert.equal(byDept.reduce((n, s) => n + s.ratings, 0), rated);
});
