// tests/bench/ladder.mjs — 企业梯度培育 (issue 15) on one core: `ladder check`
// of all six rungs over 100,000 enterprises' facts (build/bench/ladder_bench:
// ladder_check(), then the 高企 rule alone through rules_eval(), then the
// shared helpers alone and the sandbox's floor for the criteria reported) against the
// npm package json-rules-engine deciding the same 高企 criteria on the same
// facts in this process. Both sides read one JSONL file this module writes
// (a deterministic spread of facts: at, just below and above each 高企
// threshold, some facts missing); the engine's verdicts are checked against
// the Lua rule's, enterprise by enterprise, and any difference is printed as
// a MISMATCH (one side encodes the rule wrongly). Used by scripts/bench.mjs;
// `node tests/bench/ladder.mjs [N]` runs just this part (after
// `make build/bench/ladder_bench`).
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Engine } from 'json-rules-engine';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
// The day the ladder is checked for (facts.on): every rung has a version in
// force on it (the latest effective_from is 2023-08-01).
export const LADDER_ON = '2025-06-30';

// Facts -----------------------------------------------------------------

// mulberry32: a small seeded generator, so every run writes the same facts.
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DAY = 86400000;
const iso = (ms) => new Date(ms).toISOString().slice(0, 10);
const ON_MS = Date.parse(`${LADDER_ON}T00:00:00Z`);

// enterprise(rnd) is one enterprise's facts (money in 万元, two decimals).
// Each 高企 figure is drawn at its threshold, just below it, above it or
// anywhere, and a few facts are left out (or are of the wrong type, or a
// young firm's first year is null), so every criterion is met, not met and
// unknown for some enterprises.
function enterprise(rnd) {
  const f = {};
  const u = (a, b) => a + (b - a) * rnd();
  const int = (a, b) => Math.floor(u(a, b + 1));
  const money = (x) => Math.round(x * 100) / 100;
  const logu = (a, b) => Math.exp(u(Math.log(a), Math.log(b)));

  // (一) registered one year before the day or more.
  let r = rnd();
  if (r < 0.03) { /* not given */ } else if (r < 0.04) f.registered_on = ['2024-02-30', '2019/05/01', 20190501][int(0, 2)];
  else if (r < 0.10) f.registered_on = '2024-06-30';                          // exactly one year
  else if (r < 0.15) f.registered_on = '2024-07-01';                          // a day short
  else if (r < 0.20) f.registered_on = iso(ON_MS - int(0, 363) * DAY);         // this year
  else if (r < 0.21) f.registered_on = iso(ON_MS + int(1, 60) * DAY);          // after the day
  else if (r < 0.22) f.registered_on = '2024-02-29';
  else f.registered_on = iso(ON_MS - int(2 * 365, 25 * 365) * DAY);

  // (四) 科技人员 ≥ 10% of 职工.
  r = rnd();
  const staff = r < 0.003 ? 0 : Math.round(logu(8, 3000));
  if (r >= 0.02) f.staff = staff;
  const at = Math.ceil(staff / 10);
  r = rnd();
  const tech = r < 0.25 ? at : r < 0.35 ? Math.max(0, at - 1) : r < 0.90 ? int(at, Math.max(at, Math.round(staff * 0.6))) : int(0, at);
  if (rnd() >= 0.02) f.tech_staff = tech;

  // (五) R&D over three years against sales, by last year's sales band.
  r = rnd();
  const s = r < 0.10 ? 5000 : r < 0.15 ? 5000.01 : r < 0.23 ? 20000 : r < 0.27 ? 20000.5 : Math.round(logu(200, 200000) / 100) * 100;
  const t = s <= 5000 ? 0.05 : s <= 20000 ? 0.04 : 0.03;
  const exact = rnd() < 0.25;
  const sales = exact || Number.isInteger(s / 100)
    ? [Math.round(s * u(0.6, 1.1) / 100) * 100, Math.round(s * u(0.8, 1.1) / 100) * 100, s]
    : [money(s * u(0.6, 1.1)), money(s * u(0.8, 1.1)), s];
  r = rnd();
  const x = exact ? t : r < 0.13 ? t - u(0.0005, 0.003) : r < 0.26 ? u(0.03, 0.05) : r < 0.87 ? u(t, 0.12) : u(0, 0.12);
  const rd = exact && sales.every(Number.isInteger) ? sales.map((v) => Math.round(v * t)) : sales.map((v) => money(v * x * u(0.9, 1.1)));
  r = rnd();
  const young = r < 0.03;                                                      // first year null
  const twoYears = r >= 0.03 && r < 0.05;                                      // two years given
  const shape = (a) => (young ? [null, a[1], a[2]] : twoYears ? a.slice(1) : a);
  if (rnd() >= 0.03) f.sales_3y = shape(sales);
  if (rnd() >= 0.08) f.sales = s;                                              // else the series' last
  if (rnd() >= 0.03) f.rd_3y = shape(rd);

  // (五) R&D in China ≥ 60% of all R&D.
  r = rnd();
  const china = r < 0.25 ? rd.map((v) => money(v * 0.6)) : r < 0.35 ? rd.map((v) => money(v * u(0.55, 0.6)))
    : r < 0.50 ? rd.slice() : r < 0.90 ? rd.map((v) => money(v * u(0.6, 1))) : rd.map((v) => money(v * u(0.3, 1)));
  if (rnd() >= 0.03) f.rd_in_china_3y = shape(china);

  // (六) 高新技术产品（服务）收入 ≥ 60% of total income.
  const total = rnd() < 0.005 ? 0 : Math.round(s * u(1, 1.15) / 5) * 5;
  r = rnd();
  const ht = r < 0.25 ? total * 3 / 5 : r < 0.35 ? money(total * 0.6 - u(0.01, total * 0.01))
    : r < 0.90 ? money(total * u(0.6, 0.98)) : money(total * u(0.2, 0.98));
  r = rnd();
  if (r >= 0.015) f.total_income = total;
  if (r < 0.015 || r >= 0.03) f.hightech_income = ht;

  // (七) 创新能力评价 above 70 (not 70).
  r = rnd();
  if (r < 0.10) f.innovation_score = 70;
  else if (r < 0.20) f.innovation_score = 71;
  else if (r < 0.25) f.innovation_score = 70.5;
  else if (r < 0.26) f.innovation_score = '75';                                // a string: not a number
  else if (r < 0.76) f.innovation_score = int(71, 100);
  else if (r < 0.97) f.innovation_score = int(40, 100);

  // (二) (三) (八) and the facts other rungs read.
  const yesNo = (pTrue, pFalse) => { const v = rnd(); return v < pTrue ? true : v < pTrue + pFalse ? false : undefined; };
  f.core_ip = yesNo(0.92, 0.05);
  f.field_supported = yesNo(0.93, 0.04);
  f.incident_last_year = yesNo(0.03, 0.95);
  f.dishonest = yesNo(0.01, 0.97);
  f.total_assets = money(s * u(0.5, 3));
  f.ip_class1 = int(0, 12);
  f.ip_class2 = int(0, 40);
  r = rnd();
  if (r < 0.20) f.titles = [{ rung: 'kjxzx', from: '2024-03-01', until: '2025-12-31' }];
  else if (r < 0.30) f.titles = [{ rung: 'gaoqi', from: '2023-11-30', until: '2026-11-29' }, { rung: 'cxx', from: '2024-05-01', until: '2027-04-30' }];
  else if (r < 0.32) f.titles = [{ rung: 'gaoqi', from: '2022-11-30', until: '2025-11-29', revoked_on: '2024-09-01' }];
  return f;
}

// writeFacts(file, n) writes n enterprises' facts, one JSON object a line.
export function writeFacts(file, n) {
  const rnd = prng(15);
  const lines = new Array(n);
  for (let i = 0; i < n; i++) lines[i] = JSON.stringify(enterprise(rnd));
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${lines.join('\n')}\n`);
}

// The 高企 criteria in json-rules-engine --------------------------------------

// What the rule's facts mean, as data/ladder/lib.lua and gaoqi-1.lua read
// them: a figure is a number (a string is not); a series is an array of
// numbers (missing, empty or holding anything else — a null year — is no
// series); a date is a real "YYYY-MM-DD". Unknown is undefined, never met.
const num = (x) => (typeof x === 'number' ? x : undefined);
function series(a) {
  if (!Array.isArray(a) || a.length === 0 || !a.every((v) => typeof v === 'number')) return undefined;
  return a;
}
const sum = (a) => (a === undefined ? undefined : a.reduce((s, v) => s + v, 0));
const ratio = (a, b) => (a === undefined || b === undefined || b <= 0 ? undefined : a / b);
function realDate(s) {
  if (typeof s !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const [y, m, d] = s.split('-').map(Number);
  const inMonth = [31, y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  return y >= 1 && m >= 1 && m <= 12 && d >= 1 && d <= inMonth[m - 1];
}
// days(a, b): calendar days from date a to date b, as the sandbox's date.days
// (注册成立 365 个日历天数以上, 《工作指引》).
const days = (a, b) => (Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86400000;
// at_least and at_most of lib.lua: allowing for the last bit of floating point.
const atLeast = (r, t) => r >= t - 1e-9 * Math.max(1, Math.abs(t));
const atMost = (r, t) => r <= t + 1e-9 * Math.max(1, Math.abs(t));

// The thresholds of gaoqi-1.lua (国科发火〔2016〕32号 第十一条).
const T = {
  days: 365, techStaff: 0.10, rdChina: 0.60, hightech: 0.60, innovation: 70,
  rd: [[5000, 0.05], [20000, 0.04], [null, 0.03]], // by last year's sales: ≤5000万, ≤2亿, above
};

// gaoqiEngine(rule) is an engine with one rule: "eligible" (every
// criterion met) or "not" (some criterion known and not met). An enterprise
// for which neither fires is unknown, as the Lua rule's and3() decides. The
// figures the criteria compare are derived facts computed by the engine
// from the enterprise's own.
function gaoqiEngine(rule) {
  const engine = new Engine([], { allowUndefinedFacts: true });
  const isNum = (x) => typeof x === 'number';
  engine.addOperator('atLeast', (r, t) => isNum(r) && atLeast(r, t));
  engine.addOperator('below', (r, t) => isNum(r) && !atLeast(r, t));
  engine.addOperator('atMost', (r, t) => isNum(r) && atMost(r, t));
  engine.addOperator('over', (r, t) => isNum(r) && !atMost(r, t));
  engine.addOperator('above', (r, t) => isNum(r) && r > t);
  engine.addOperator('notAbove', (r, t) => isNum(r) && !(r > t));
  engine.addOperator('isTrue', (v) => v === true);
  engine.addOperator('isFalse', (v) => v === false);

  engine.addFact('on', LADDER_ON);
  const fv = (almanac, id) => almanac.factValue(id);
  engine.addFact('days_registered', async (p, a) => {
    const reg = await fv(a, 'registered_on');
    return realDate(reg) ? days(reg, await fv(a, 'on')) : undefined;
  });
  engine.addFact('tech_staff_ratio', async (p, a) => ratio(num(await fv(a, 'tech_staff')), num(await fv(a, 'staff'))));
  engine.addFact('last_sales', async (p, a) => {
    const s = num(await fv(a, 'sales'));
    if (s !== undefined) return s;
    const s3 = series(await fv(a, 'sales_3y'));
    return s3 && s3[s3.length - 1];
  });
  // R&D and sales over the same years: the last n of each, n the shorter
  // series (at most three); R&D in China over those years too.
  const span = async (a) => {
    const rd = series(await fv(a, 'rd_3y')), sales = series(await fv(a, 'sales_3y'));
    return rd && sales ? { rd, sales, n: Math.min(rd.length, sales.length, 3) } : undefined;
  };
  engine.addFact('rd_ratio', async (p, a) => {
    const s = await span(a);
    return s && ratio(sum(s.rd.slice(-s.n)), sum(s.sales.slice(-s.n)));
  });
  engine.addFact('rd_in_china_ratio', async (p, a) => {
    const s = await span(a), china = series(await fv(a, 'rd_in_china_3y'));
    return s && china && china.length >= s.n ? ratio(sum(china.slice(-s.n)), sum(s.rd.slice(-s.n))) : undefined;
  });
  engine.addFact('hightech_ratio', async (p, a) =>
    ratio(num(await fv(a, 'hightech_income')), num(await fv(a, 'total_income'))));

  // met: each criterion as conditions that hold when it is met; unmet: when
  // it is known and not met.
  const c = (fact, operator, value) => ({ fact, operator, value });
  const band = (i, op) => {
    const [hi, t] = T.rd[i], lo = i > 0 ? T.rd[i - 1][0] : null;
    const all = [];
    if (lo !== null) all.push(c('last_sales', 'over', lo));
    if (hi !== null) all.push(c('last_sales', 'atMost', hi));
    all.push(c('rd_ratio', op, t));
    return { all };
  };
  const met = [
    c('days_registered', 'atLeast', T.days),
    c('core_ip', 'isTrue', true),
    c('field_supported', 'isTrue', true),
    c('tech_staff_ratio', 'atLeast', T.techStaff),
    { any: T.rd.map((_, i) => band(i, 'atLeast')) },
    c('rd_in_china_ratio', 'atLeast', T.rdChina),
    c('hightech_ratio', 'atLeast', T.hightech),
    c('innovation_score', 'above', T.innovation),
    c('incident_last_year', 'isFalse', false),
  ];
  const unmet = [
    c('days_registered', 'below', T.days),
    c('core_ip', 'isFalse', false),
    c('field_supported', 'isFalse', false),
    c('tech_staff_ratio', 'below', T.techStaff),
    ...T.rd.map((_, i) => band(i, 'below')),
    c('rd_in_china_ratio', 'below', T.rdChina),
    c('hightech_ratio', 'below', T.hightech),
    c('innovation_score', 'notAbove', T.innovation),
    c('incident_last_year', 'isTrue', true),
  ];
  if (rule === 'eligible') engine.addRule({ name: 'gaoqi', conditions: { all: met }, event: { type: 'eligible' } });
  else engine.addRule({ name: 'gaoqi-not', conditions: { any: unmet }, event: { type: 'not' } });
  return engine;
}

// jreVerdicts(facts) decides 高企 for every enterprise: first the
// "eligible" rule over all of them, timed (the figure compared: the
// engine's best case, one rule, the parsed facts reused as they are — the
// Lua side converts the JSON facts on every evaluation); then, untimed, the
// "not" rule over the rest, to tell not from unknown. Returns {rate (runs/s
// of the first pass), verdicts: 'y' | 'n' | '?' each}.
async function jreVerdicts(facts) {
  const eligible = gaoqiEngine('eligible'), not = gaoqiEngine('not');
  const verdicts = new Array(facts.length);
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < facts.length; i++) verdicts[i] = (await eligible.run(facts[i])).events.length ? 'y' : '-';
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  for (let i = 0; i < facts.length; i++) {
    if (verdicts[i] === '-') verdicts[i] = (await not.run(facts[i])).events.length ? 'n' : '?';
  }
  return { rate: facts.length / s, verdicts };
}

const count = (v, c) => v.reduce((n, x) => n + (x === c), 0);

// benchLadder(report, dir, n) writes the facts to dir, measures both sides
// and reports them with report() from scripts/bench.mjs; prints the summary
// line and a MISMATCH line for each disagreement in the verdicts.
export async function benchLadder(report, dir, n = 100_000) {
  const file = path.join(dir, 'ladder_facts.jsonl'), vfile = path.join(dir, 'ladder_verdicts.txt');
  let t = process.hrtime.bigint();
  writeFacts(file, n);
  const wrote = Number(process.hrtime.bigint() - t) / 1e9;

  const out = execFileSync(path.join(ROOT, 'build/bench/ladder_bench'), [file, LADDER_ON, vfile], { encoding: 'utf8' });
  const kv = Object.fromEntries(out.trim().split('\n').map((l) => { const i = l.indexOf(' '); return [l.slice(0, i), l.slice(i + 1)]; }));
  const lua = readFileSync(vfile, 'utf8').trim().split('\n');
  const luaCount = (c) => count(lua, c);

  const facts = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  const jre = await jreVerdicts(facts);
  const jreCount = (c) => count(jre.verdicts, c);

  const f = (x) => Math.round(x).toLocaleString('en');
  const all = Number(kv.enterprises_per_s), rungs = Number(kv.rung_evals_per_s), gaoqi = Number(kv.gaoqi_evals_per_s);
  const perEnt = Number(kv.rungs) / Number(kv.enterprises);
  console.log(`  ${n.toLocaleString('en')} enterprises' facts written in ${wrote.toFixed(1)} s (${file}); day ${LADDER_ON}`);
  console.log(`  Lua: all rungs ${kv.all_rungs_s} s, ${f(rungs)} rung evaluations/s; 高企 alone ${kv.gaoqi_s} s; ` +
    `json-rules-engine 高企 (eligible rule, timed) ${(n / jre.rate).toFixed(3)} s`);
  // Where a rung's time goes: the helpers every rung runs first (pass 3), its criteria, the answer's JSON.
  const us = (s, k) => (Number(s) * 1e6 / k).toFixed(1);
  console.log(`  per evaluation: a rung in ladder check ${us(kv.all_rungs_s, Number(kv.rungs))} µs (the answer's JSON included);` +
    ` 高企 alone ${us(kv.gaoqi_s, n)} µs, of which the shared helpers (rules/common.lua, ladder/lib.lua) ${us(kv.helpers_s, n)} µs`);
  // The bound (pass 4): the sandbox reporting only the criteria `ladder check` must report, nothing else.
  const floorUs = (k) => Number(kv[k]) * 1e6 / n, jreUs = 1e6 / jre.rate;
  console.log(`  bound: ${kv.floor_criteria} criteria an enterprise in six rules run together that read no fact, run no helper` +
    ` and build no JSON: ${floorUs('floor_s').toFixed(1)} µs with a message each (at most ${(jreUs / floorUs('floor_s')).toFixed(2)}×` +
    ` json-rules-engine's ${jreUs.toFixed(1)} µs), ${floorUs('floor_nomsg_s').toFixed(1)} µs without messages (at most` +
    ` ${(jreUs / floorUs('floor_nomsg_s')).toFixed(2)}×); ladder check itself ${(Number(kv.all_rungs_s) * 1e6 / n).toFixed(1)} µs`);
  console.log(`  高企 verdicts — Lua alone: ${kv.gaoqi}; in ladder check: ${kv.ladder_gaoqi}; ` +
    `json-rules-engine: eligible ${jreCount('y')} not ${jreCount('n')} unknown ${jreCount('?')}`);

  // The verdicts must agree: otherwise one side encodes the rule wrongly.
  const bad = [];
  if (Number(kv.not_in_force) !== 0) bad.push(`${kv.not_in_force} rung checks had no rule version in force on ${LADDER_ON}`);
  if (Number(kv.disagree) !== 0) bad.push(`ladder check and the 高企 rule alone disagree on ${kv.disagree} enterprises`);
  if (luaCount('!') !== 0) bad.push(`the 高企 rule failed (error or limit) on ${luaCount('!')} enterprises`);
  if (lua.length !== n) bad.push(`ladder_bench wrote ${lua.length} verdicts for ${n} enterprises`);
  if (jreCount('y') !== luaCount('y')) bad.push(`eligible: json-rules-engine ${jreCount('y')}, Lua ${luaCount('y')}`);
  const diff = [];
  for (let i = 0; i < n; i++) if (jre.verdicts[i] !== lua[i]) diff.push(i);
  if (diff.length) {
    bad.push(`${diff.length} enterprises decided differently (not / unknown included), e.g. line ${diff[0] + 1}: ` +
      `Lua ${lua[diff[0]]}, json-rules-engine ${jre.verdicts[diff[0]]}: ${JSON.stringify(facts[diff[0]])}`);
  }
  for (const b of bad) console.log(`  MISMATCH 高企 verdicts: ${b}`);

  console.log(`ladder: all rungs ${f(all)} enterprises/s (${perEnt} rung evaluations each); 高企 ${f(gaoqi)} evals/s; ` +
    `json-rules-engine 高企 ${f(jre.rate)} evals/s; ratio all-rungs/jre ${(all / jre.rate).toFixed(2)}×, ` +
    `高企/jre ${(gaoqi / jre.rate).toFixed(2)}×  （企业梯度培育：全部六级 vs json-rules-engine 单评高企）` +
    (bad.length ? '  [verdicts MISMATCH]' : '  [verdicts agree]'));
  report(`ladder check of an enterprise, all ${perEnt} rungs (1 thread, ${n.toLocaleString('en')} enterprises, answer built as JSON)`,
    all, 'evals/s', jre.rate, 'json-rules-engine deciding 高企 alone', 'ratio ≥ 10');
  report('高企 rule alone in the Lua sandbox (1 thread, same facts)', gaoqi, 'evals/s', jre.rate,
    'json-rules-engine, same criteria', '');
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const fmt = (x) => (x >= 100 ? Math.round(x).toLocaleString('en') : x.toFixed(3));
  await benchLadder((name, value, unit, ref, refName, target) => {
    const r = ref ? `  ratio ${(value / ref).toFixed(2)} vs ${refName} (${fmt(ref)} ${unit})` : '';
    console.log(`${name}: ${fmt(value)} ${unit}${r}${target ? `  [target ${target}]` : ''}`);
  }, path.join(ROOT, 'build/bench'), Number(process.argv[2] || 100_000));
}
