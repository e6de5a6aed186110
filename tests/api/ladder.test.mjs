// ladder.test.mjs — `xinqu ladder check` (issue 15): every rung's rule in
// force on a day over a firm's facts, each criterion met, not met or
// unknown with its figure, threshold and message, and the why-not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { xinqu, hasChinese, newDatabase, initDatabase } from './lib.mjs';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xinqu-ladder-'));
const FACTS = {
  registered_on: '2018-03-01', staff: 120, tech_staff: 30, sales: 12000, sales_3y: [8000, 10000, 12000],
  rd_3y: [300, 320, 370], rd_in_china_3y: [300, 320, 370], total_income: 12500, hightech_income: 9000,
  total_assets: 15000, ip_class1: 1, ip_class2: 3, core_ip: true, field_supported: true, innovation_score: 78,
  incident_last_year: false, dishonest: false, titles: [],
};
function check(facts, ...args) {
  const file = path.join(dir, `f${Math.random().toString(36).slice(2)}.json`);
  fs.writeFileSync(file, typeof facts === 'string' ? facts : JSON.stringify(facts));
  return xinqu(['ladder', 'check', file, ...args]);
}

test('ladder check: every rung with its rule version, criteria and why-not', () => {
  const r = check(FACTS, '--on', '2026-06-01');
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.on, '2026-06-01');
  assert.deepEqual(out.rungs.map((x) => x.rung), ['kjxzx', 'gaoqi', 'cxx', 'zjtx', 'xjr', 'dxgj']);
  const by = Object.fromEntries(out.rungs.map((x) => [x.rung, x]));
  for (const x of out.rungs) {
    assert.ok(hasChinese(x.name), x.rung);
    assert.equal(x.rule_version, 1);
    for (const c of x.criteria) {
      assert.deepEqual(Object.keys(c).sort(), ['code', 'message', 'met', 'threshold', 'value'], JSON.stringify(c));
      assert.ok([true, false, null].includes(c.met));
      assert.ok(hasChinese(c.message), JSON.stringify(c));
    }
  }
  // 科技型: 120 staff, 25% 科技人员 (16), R&D 3.08% of sales (20), a Ⅰ类 IP (30) = 66.
  assert.equal(by.kjxzx.eligible, true);
  assert.equal(by.kjxzx.score, 66);
  assert.deepEqual(by.kjxzx.why_not, []);
  // 高企: R&D over three years 990/30000 = 3.3%, under the 4% of sales between 5000万 and 2亿.
  assert.equal(by.gaoqi.eligible, false);
  const rd = by.gaoqi.criteria.find((c) => c.code === 'rd_ratio');
  assert.deepEqual([rd.met, rd.value, rd.threshold], [false, 0.033, 0.04]);
  assert.deepEqual(by.gaoqi.why_not, ['近三年研发费用占销售收入 3.3%，低于 4%（差 0.7 个百分点，约 210 万元）']);
  // Facts the file does not give make a rung unknown, never eligible.
  assert.equal(by.dxgj.eligible, null);
  assert.ok(by.dxgj.why_not.some((m) => /缺少数据/.test(m)));
  // The day decides the version: before the 2022 measures, no rule for 创新型.
  const old = JSON.parse(check(FACTS, '--on', '2021-06-01').stdout);
  assert.equal(old.rungs.find((x) => x.rung === 'cxx').rule_version, null);
});

test('ladder check refuses what is not a firm\'s facts or a day', () => {
  let r = check('[1,2]');
  assert.equal(r.status, 1);
  assert.match(r.stderr, /JSON 对象/);
  r = check('{not json');
  assert.equal(r.status, 1);
  r = check(FACTS, '--on', '2021-02-30');
  assert.equal(r.status, 1);
  assert.match(r.stderr, /日期无效/);
  r = xinqu(['ladder', 'check']);
  assert.equal(r.status, 2);
  // Today by default.
  r = check(FACTS);
  assert.equal(r.status, 0, r.stderr);
  assert.match(JSON.parse(r.stdout).on, /^\d{4}-\d{2}-\d{2}$/);
});

test('ladder stats on the Jinpu demo gives the article\'s figures for 2021', () => {
  const db = newDatabase();
  try {
    const init = initDatabase(db, { entities: 20000, persons: 100, pipeline: true });
    assert.doesNotMatch(init.stdout + init.stderr, /梯度培育.*(不完整|未能)|ladder demo.*(short|cannot)/);
    const r = xinqu(['ladder', 'stats', '--year', '2021', '--db', db.url]);
    assert.equal(r.status, 0, r.stderr);
    const line = (name) => r.stdout.split('\n').find((l) => l.startsWith(`${name} `));
    assert.match(line('高新技术企业'), /^高新技术企业 持有 \d+ 新增 270$/);
    assert.equal(line('科技型中小企业'), '科技型中小企业 持有 274 新增 274');
    assert.equal(line('专精特新“小巨人”企业'), '专精特新“小巨人”企业 持有 25 新增 16');
    assert.match(line('制造业单项冠军企业'), /^制造业单项冠军企业 持有 3 新增 \d+$/);
    assert.equal(line('研发机构'), '研发机构 264');
    const bad = xinqu(['ladder', 'stats', '--year', 'abc', '--db', db.url]);
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /年度/);
  } finally {
    db.drop();
  }
});

test('the Jinpu demo on a registry too small for the article\'s figures says so, in its log and its report', () => {
  // 10,000 entities hold about 560 companies registered before 2015: too few
  // to place 2021's 270 高新技术企业 among those already holding one.
  const db = newDatabase();
  try {
    const init = initDatabase(db, { entities: 10000, persons: 50, pipeline: true });
    const out = init.stdout + init.stderr;
    assert.match(init.stderr, /ladder demo: 高新技术企业 2021 新增 \d+, not 270/);
    assert.match(out, /警告：演示梯度培育数据未能重现文章 2021 年的 \d+ 项数字/);
    assert.match(out, /--entities 20000/);
    // What it made is still consistent: the figures it gives are the registry's.
    const r = xinqu(['ladder', 'stats', '--year', '2021', '--db', db.url]);
    assert.equal(r.status, 0, r.stderr);
    const g = Number(/^高新技术企业 持有 \d+ 新增 (\d+)$/m.exec(r.stdout)[1]);
    assert.ok(g < 270, r.stdout);
    assert.match(init.stderr, new RegExp(`高新技术企业 2021 新增 ${g}, not 270`));
  } finally {
    db.drop();
  }
  // Far too few (2,000 entities: about 100 such companies): nothing made, and said.
  const small = newDatabase();
  try {
    const init = initDatabase(small, { entities: 2000, persons: 50, pipeline: true });
    assert.match(init.stderr, /ladder demo: \d+ companies registered before 2015, fewer than 400: no ladder made/);
    assert.match(init.stdout + init.stderr, /警告：演示梯度培育数据未生成/);
  } finally {
    small.drop();
  }
});
