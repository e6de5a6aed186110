// livelihood.test.mjs — 惠民实事 (issue 17), on SQLite and PostgreSQL: the
// status computed as of today (a milestone past its planned day not reached
// makes a project behind; one planned today does not), who keeps the list
// (the coordinating office 发改局 for any department, a lead department for
// its own), milestones, progress and monthly reports with evidence uploads,
// the department's behind list, citizens' ratings moderated by the lead
// department only, and the public page: published projects and approved
// comments only, names masked.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, cleanup, assertError, auditAfter, lastAuditId, todayCN } from './lib.mjs';

let srv, admin, policy, gongxin, fagai, leader, ent, person, clerk;
const YEAR = 2031; // a year of its own: the demo's lists are 2021 and 2022

before(async () => {
  srv = await startServer();
  [admin, policy, gongxin, fagai, leader, ent, person, clerk] = await Promise.all(
    ['admin', 'policy', 'gongxin', 'fagai', 'leader', 'ent', 'person', 'clerk'].map((u) => srv.login(u)));
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

function project(over = {}) {
  return {
    year: YEAR, title: '社区食堂建设', category: '养老', dept: 'rsj', budget: '1,200,000.50',
    target_value: '2.10', target_unit: '万人次', description: '测试项目',
    milestones: [
      { title: '方案批复', planned_on: todayCN(-1) },
      { title: '开工建设', planned_on: todayCN(0) },
      { title: '竣工验收', planned_on: todayCN(30) },
    ],
    ...over,
  };
}

test('the demo: 50 projects of 2021 with the article\'s among them, all done; 2022 in progress with some behind', async () => {
  const y21 = ok(await srv.api('GET', '/api/v1/public/livelihood?year=2021'));
  assert.equal(y21.items.length, 50);
  assert.equal(y21.counts.done, 50);
  const titles = y21.items.map((p) => p.title).join('|');
  for (const name of ['依山海国际社区', '职工法律援助中心改造', '金石滩无人驾驶示范', '城市共享', '放心粮仓', '截污控源', '隐患治理', '美丽乡村', '120'])
    assert.ok(titles.includes(name), name);
  const jobs = y21.items.find((p) => p.title === '安置就业');
  assert.deepEqual(jobs.target, { value: '2.1', unit: '万人次' });
  assert.ok(y21.items.every((p) => p.demo === true));
  assert.ok(new Set(y21.items.map((p) => p.category)).size >= 7);
  const y22 = ok(await srv.api('GET', '/api/v1/public/livelihood?year=2022'));
  assert.ok(y22.counts.behind > 0 && y22.counts.done > 0, JSON.stringify(y22.counts));
  const late = y22.items.find((p) => p.status === 'behind');
  assert.match(late.status_reason.zh, /逾期 \d+ 天/);
  assert.ok(late.status_reason.days_late > 0);
});

test('a milestone planned yesterday and not reached makes the project behind; planned today does not; reaching it puts it back on track', async () => {
  const p = ok(await fagai.post('/api/v1/livelihood/projects', project()), 201);
  assert.match(p.code, new RegExp(`^${YEAR}-\\d\\d$`));
  assert.equal(p.dept.code, 'rsj');
  assert.equal(p.budget_fen, 120000050);
  assert.equal(p.budget, '1200000.50');
  assert.deepEqual(p.target, { value: '2.1', unit: '万人次' });
  assert.equal(p.status, 'behind');
  assert.equal(p.status_reason.milestone, '方案批复');
  assert.equal(p.status_reason.days_late, 1);
  assert.equal(p.status_reason.late, 1);
  assert.deepEqual(p.milestones.map((m) => m.state), ['late', 'open', 'open']);

  // the department's behind list has it; another department's does not; a leader sees it
  const mine = ok(await policy.get('/api/v1/livelihood/behind'));
  assert.ok(mine.items.some((x) => x.code === p.code));
  assert.ok(mine.items.every((x) => x.dept.code === 'rsj'));
  const other = ok(await gongxin.get('/api/v1/livelihood/behind'));
  assert.ok(!other.items.some((x) => x.code === p.code));
  assert.ok(ok(await leader.get('/api/v1/livelihood/behind')).items.some((x) => x.code === p.code));
  const filtered = ok(await policy.get(`/api/v1/livelihood/projects?year=${YEAR}&status=behind&dept=rsj`));
  assert.ok(filtered.items.some((x) => x.code === p.code));
  assert.ok(filtered.items.every((x) => x.status === 'behind'));
  assertError(assert, await policy.get(`/api/v1/livelihood/projects?year=${YEAR}&status=late`), 400, 'livelihood.bad_status', 'status');

  // another department's official is refused, and nothing changes
  const m1 = p.milestones[0].id;
  const before = await lastAuditId(admin);
  assertError(assert, await gongxin.post(`/api/v1/livelihood/projects/${p.code}/milestones/${m1}/reach`, { reached_on: todayCN(0) }), 403, 'livelihood.forbidden');
  assertError(assert, await gongxin.post(`/api/v1/livelihood/projects/${p.code}/progress`, { percent: 90 }), 403, 'livelihood.forbidden');
  assertError(assert, await gongxin.patch(`/api/v1/livelihood/projects/${p.code}`, { title: '改名' }), 403, 'livelihood.forbidden');
  assertError(assert, await clerk.post(`/api/v1/livelihood/projects/${p.code}/milestones`, { title: '加一个', planned_on: todayCN(5) }), 403, 'livelihood.forbidden');
  assert.equal(await lastAuditId(admin), before);
  assert.equal(ok(await policy.get(`/api/v1/livelihood/projects/${p.code}`)).milestones[0].reached_on, null);

  // reached in the future, or twice: refused
  assertError(assert, await policy.post(`/api/v1/livelihood/projects/${p.code}/milestones/${m1}/reach`, { reached_on: todayCN(1) }), 400, 'livelihood.bad_date', 'reached_on');
  const sha = await upload(policy);
  const reached = ok(await policy.post(`/api/v1/livelihood/projects/${p.code}/milestones/${m1}/reach`, { reached_on: todayCN(0), note: '已批复', evidence: [sha] }));
  assert.equal(reached.status, 'on_track');
  assert.equal(reached.milestones[0].state, 'reached');
  assert.equal(reached.milestones[0].days_late, 1, 'reached a day after its planned day');
  assert.equal(reached.milestones[0].evidence[0].sha256, sha);
  assert.match(reached.status_reason.zh, /开工建设/);
  assertError(assert, await policy.post(`/api/v1/livelihood/projects/${p.code}/milestones/${m1}/reach`, { reached_on: todayCN(0) }), 409, 'livelihood.already_reached');
  const ev = await auditAfter(admin, before, '&action=livelihood.milestone_reach');
  assert.ok(ev.some((x) => x.object === `livelihood:${p.code}`), JSON.stringify(ev));

  // a milestone added with a past planned day makes it behind again
  const again = ok(await policy.post(`/api/v1/livelihood/projects/${p.code}/milestones`, { title: '补充验收', planned_on: todayCN(-10) }), 201);
  assert.equal(again.status, 'behind');
  assert.equal(again.status_reason.days_late, 10);
});

test('done: every milestone reached and progress 100%; progress alone or milestones alone are not', async () => {
  const p = ok(await policy.post('/api/v1/livelihood/projects', project({ dept: undefined, milestones: [{ title: '完成', planned_on: todayCN(-3) }] })), 201);
  assert.equal(p.dept.code, 'rsj', 'a lead department creates for itself by default');
  const full = ok(await policy.post(`/api/v1/livelihood/projects/${p.code}/progress`, { percent: 100, note: '全部完成' }), 201);
  assert.equal(full.progress, 100);
  assert.equal(full.status, 'behind', 'progress 100% with a late milestone open is still behind');
  const r = ok(await policy.post(`/api/v1/livelihood/projects/${p.code}/milestones/${p.milestones[0].id}/reach`, { reached_on: todayCN(-1) }));
  assert.equal(r.status, 'done');
  const q = ok(await policy.post('/api/v1/livelihood/projects', project({ milestones: [] })), 201);
  assert.equal(q.status, 'on_track');
  assert.equal(ok(await policy.post(`/api/v1/livelihood/projects/${q.code}/progress`, { percent: 100 }), 201).status, 'done');
});

test('who keeps the list: the coordinating office for any department, a department for its own only; bad input changes nothing', async () => {
  assertError(assert, await gongxin.post('/api/v1/livelihood/projects', project()), 403, 'livelihood.forbidden');
  assertError(assert, await policy.post('/api/v1/livelihood/projects', project({ dept: 'gxj' })), 403, 'livelihood.forbidden');
  const p = ok(await admin.post('/api/v1/livelihood/projects', project({ dept: 'gxj', milestones: [] })), 201);
  assert.equal(p.dept.code, 'gxj');
  // a lead department may not hand its project to another; the coordinating office may
  assertError(assert, await gongxin.patch(`/api/v1/livelihood/projects/${p.code}`, { dept: 'rsj' }), 403, 'livelihood.forbidden', 'dept');
  assert.equal(ok(await gongxin.patch(`/api/v1/livelihood/projects/${p.code}`, { title: '工信项目', budget: '10' })).budget_fen, 1000);
  assert.equal(ok(await fagai.patch(`/api/v1/livelihood/projects/${p.code}`, { dept: 'rsj' })).dept.code, 'rsj');
  const count = ok(await admin.get(`/api/v1/livelihood/projects?year=${YEAR}`)).items.length;
  const before = await lastAuditId(admin);
  assertError(assert, await fagai.post('/api/v1/livelihood/projects', project({ category: '娱乐' })), 400, 'livelihood.bad_category', 'category');
  assertError(assert, await fagai.post('/api/v1/livelihood/projects', project({ target_value: '2.1.1' })), 400, 'livelihood.bad_target', 'target_value');
  assertError(assert, await fagai.post('/api/v1/livelihood/projects', project({ target_value: '0.12345' })), 400, 'livelihood.bad_target', 'target_value');
  assertError(assert, await fagai.post('/api/v1/livelihood/projects', project({ budget: '12.345' })), 400, 'money.too_precise', 'budget');
  assertError(assert, await fagai.post('/api/v1/livelihood/projects', project({ dept: 'nosuch' })), 400, 'livelihood.bad_dept', 'dept');
  assertError(assert, await fagai.post('/api/v1/livelihood/projects', project({ milestones: [{ title: 'x', planned_on: '2031-02-30' }] })), 400, 'livelihood.bad_date');
  assertError(assert, await fagai.post('/api/v1/livelihood/projects', project({ colour: 'red' })), 400, 'request.unknown_field', 'colour');
  assertError(assert, await policy.post(`/api/v1/livelihood/projects/${p.code}/progress`, { percent: 101 }), 400, 'request.out_of_range', 'percent');
  assertError(assert, await fagai.patch(`/api/v1/livelihood/projects/${p.code}`, {}), 400, 'livelihood.nothing_to_change');
  assert.equal(ok(await admin.get(`/api/v1/livelihood/projects?year=${YEAR}`)).items.length, count);
  assert.equal(await lastAuditId(admin), before);
  assertError(assert, await policy.get('/api/v1/livelihood/projects/2099-99'), 404, 'livelihood.not_found');
});

test('progress and monthly reports with evidence: the actor\'s own uploads only; the evidence is read by who sees the project', async () => {
  const p = ok(await policy.post('/api/v1/livelihood/projects', project({ milestones: [], published: false })), 201);
  const mineSha = await upload(policy);
  const theirs = await upload(gongxin);
  assertError(assert, await policy.post(`/api/v1/livelihood/projects/${p.code}/progress`, { percent: 40, evidence: [theirs] }), 400, 'livelihood.bad_evidence', 'evidence');
  assertError(assert, await policy.post(`/api/v1/livelihood/projects/${p.code}/progress`, { percent: 40, evidence: ['xyz'] }), 400, 'livelihood.bad_evidence', 'evidence');
  const g = ok(await policy.post(`/api/v1/livelihood/projects/${p.code}/progress`, { percent: 40, note: '主体施工', evidence: [mineSha] }), 201);
  assert.equal(g.progress, 40);
  assert.equal(g.progress_log[0].evidence[0].sha256, mineSha);
  // the evidence: a leader reads it; an applicant does not while the project is unpublished
  assert.equal((await leader.get(`/api/v1/uploads/${mineSha}`)).status, 200);
  assertError(assert, await ent.get(`/api/v1/uploads/${mineSha}`), 404, 'upload.not_found');
  assertError(assert, await ent.get(`/api/v1/livelihood/projects/${p.code}`), 404, 'livelihood.not_found');

  const month = todayCN(0).slice(0, 7);
  const rep = ok(await policy.post(`/api/v1/livelihood/projects/${p.code}/reports`, { month, body: '本月完成主体结构', percent: 55, evidence: [mineSha] }), 201);
  assert.equal(rep.progress, 55);
  assert.equal(rep.reports[0].month, month);
  assert.equal(rep.reports[0].evidence.length, 1);
  assertError(assert, await policy.post(`/api/v1/livelihood/projects/${p.code}/reports`, { month, body: '再报一次', percent: 60 }), 409, 'livelihood.report_exists', 'month');
  assertError(assert, await policy.post(`/api/v1/livelihood/projects/${p.code}/reports`, { month: `${Number(month.slice(0, 4)) + 1}-01`, body: '未来', percent: 60 }), 400, 'livelihood.bad_month', 'month');
  assertError(assert, await gongxin.post(`/api/v1/livelihood/projects/${p.code}/reports`, { month: '2020-01', body: '越权', percent: 60 }), 403, 'livelihood.forbidden');
  assert.equal(ok(await policy.get(`/api/v1/livelihood/projects/${p.code}`)).progress, 55);
});

test('the public page: published projects only, approved comments only, names masked; the lead department moderates, no other', async () => {
  const pub = ok(await fagai.post('/api/v1/livelihood/projects', project({ title: '公开的惠民项目', published: true, milestones: [{ title: '开工', planned_on: todayCN(20) }] })), 201);
  const hidden = ok(await fagai.post('/api/v1/livelihood/projects', project({ title: '尚未公开的项目', published: false })), 201);

  // applicants: the published one only
  const list = ok(await ent.get(`/api/v1/livelihood/projects?year=${YEAR}`));
  assert.ok(list.items.some((x) => x.code === pub.code));
  assert.ok(list.items.every((x) => x.published));
  assertError(assert, await ent.post(`/api/v1/livelihood/projects/${hidden.code}/comments`, { rating: 5 }), 404, 'livelihood.not_found');

  const c1 = ok(await ent.post(`/api/v1/livelihood/projects/${pub.code}/comments`, { rating: 5, body: '食堂很方便，点赞' }), 201);
  const mineC = c1.comments.find((c) => c.state === 'pending');
  assert.ok(mineC, 'the author sees its pending comment');
  assert.equal(c1.may_comment, false);
  assertError(assert, await ent.post(`/api/v1/livelihood/projects/${pub.code}/comments`, { rating: 4 }), 409, 'livelihood.already_rated');
  const c2 = ok(await person.post(`/api/v1/livelihood/projects/${pub.code}/comments`, { rating: 1, body: '骂人的话不宜公开' }), 201);
  const personC = c2.comments.find((c) => c.state === 'pending');
  // a second applicant sees neither the first's pending comment nor its name
  assert.ok(!c2.comments.some((c) => c.id === mineC.id));
  assertError(assert, await policy.post(`/api/v1/livelihood/projects/${pub.code}/comments`, { rating: 3 }), 403, 'auth.forbidden');

  // nothing public before moderation
  let page = ok(await srv.api('GET', `/api/v1/public/livelihood?year=${YEAR}`));
  let item = page.items.find((x) => x.code === pub.code);
  assert.deepEqual(item.comments, []);
  assert.equal(item.rating.count, 0);

  // the queue: the lead department's (rsj) has them; another department's has none
  const queue = ok(await policy.get('/api/v1/livelihood/comments?state=pending'));
  assert.ok(queue.items.some((c) => c.id === mineC.id));
  assert.ok(!ok(await gongxin.get('/api/v1/livelihood/comments')).items.some((c) => c.id === mineC.id));
  assertError(assert, await gongxin.post(`/api/v1/livelihood/comments/${mineC.id}/moderate`, { decision: 'approve' }), 403, 'livelihood.forbidden');
  assertError(assert, await policy.post(`/api/v1/livelihood/comments/${personC.id}/moderate`, { decision: 'reject' }), 400, 'livelihood.reason_required', 'reason');
  assertError(assert, await policy.post(`/api/v1/livelihood/comments/${personC.id}/moderate`, { decision: 'maybe' }), 400, 'livelihood.bad_decision', 'decision');
  // an administrator's queue has every department's
  assert.ok(ok(await admin.get('/api/v1/livelihood/comments')).items.some((c) => c.id === mineC.id));
  ok(await policy.post(`/api/v1/livelihood/comments/${mineC.id}/moderate`, { decision: 'approve' }));
  ok(await policy.post(`/api/v1/livelihood/comments/${personC.id}/moderate`, { decision: 'reject', reason: '含不文明用语' }));
  assertError(assert, await policy.post(`/api/v1/livelihood/comments/${mineC.id}/moderate`, { decision: 'reject', reason: 'x' }), 409, 'livelihood.already_moderated');

  // the author of the rejected one sees why
  const seen = ok(await person.get(`/api/v1/livelihood/projects/${pub.code}`));
  const own = seen.comments.find((c) => c.id === personC.id);
  assert.equal(own.state, 'rejected');
  assert.equal(own.reason, '含不文明用语');

  // the public: the approved comment, masked; not the rejected one; not the unpublished project
  const raw = await srv.api('GET', `/api/v1/public/livelihood?year=${YEAR}`);
  page = ok(raw);
  item = page.items.find((x) => x.code === pub.code);
  assert.equal(item.comments.length, 1);
  assert.equal(item.comments[0].body, '食堂很方便，点赞');
  assert.match(item.comments[0].name, /^.\*\*$/u);
  assert.deepEqual(item.rating, { count: 1, average: '5.0' });
  assert.ok(!page.items.some((x) => x.code === hidden.code));
  assert.ok(!raw.text.includes('尚未公开的项目'));
  assert.ok(!raw.text.includes('骂人的话'));
  assert.ok(!raw.text.includes('企业经办人') && !raw.text.includes('"ent"') && !raw.text.includes('username'));
  assert.ok(page.items.every((x) => !('published' in x) && !('reports' in x)));
  // an official of another department reads the detail with the approved comment masked
  const other = ok(await gongxin.get(`/api/v1/livelihood/projects/${pub.code}`));
  assert.deepEqual(other.comments.map((c) => c.name), [item.comments[0].name]);
  assert.equal(other.may_manage, false);
});

test('the year\'s figures for the board: statuses, mean progress and budget, by department and category, the projects behind most overdue first', async () => {
  const list = ok(await leader.get('/api/v1/livelihood/projects?year=2022')).items;
  const s = ok(await leader.get('/api/v1/livelihood/summary?year=2022'));
  assert.equal(s.total, list.length);
  for (const st of ['on_track', 'behind', 'done']) assert.equal(s[st], list.filter((p) => p.status === st).length, st);
  assert.deepEqual(s.counts, { on_track: s.on_track, behind: s.behind, done: s.done });
  // the mean to one decimal, half up, computed here from the list in integers
  const sum = list.reduce((a, p) => a + p.progress, 0);
  const tenths = Math.floor((sum * 20 + list.length) / (2 * list.length));
  assert.equal(s.progress, `${Math.floor(tenths / 10)}.${tenths % 10}`);
  assert.equal(s.budget_fen, list.reduce((a, p) => a + p.budget_fen, 0));
  assert.equal(s.by_dept.reduce((a, d) => a + d.total, 0), list.length);
  const rsj = s.by_dept.find((d) => d.dept.code === 'rsj');
  assert.equal(rsj.total, list.filter((p) => p.dept.code === 'rsj').length);
  assert.equal(s.by_category.reduce((a, c) => a + c.behind, 0), s.behind);
  assert.equal(s.projects_behind.length, s.counts.behind);
  assert.deepEqual(s.projects_behind.map((p) => p.code).sort(), list.filter((p) => p.status === 'behind').map((p) => p.code).sort());
  for (let i = 1; i < s.projects_behind.length; i++) assert.ok(s.projects_behind[i - 1].status_reason.days_late >= s.projects_behind[i].status_reason.days_late);
  assertError(assert, await ent.get('/api/v1/livelihood/summary?year=2022'), 403, 'auth.forbidden');
  assertError(assert, await leader.get('/api/v1/livelihood/summary?year=1999'), 400, 'request.bad_param', 'year');
});
