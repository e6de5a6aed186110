// tests/bench/talent.mjs — 人才政策兑现 (issue 16): the monthly instalment run
// over 100,000 entitlements (build/bench/talent_bench: a fresh SQLite
// database, half 名校优才 and half 住房补贴 instalments due this month, then
// talent_recheck() alone in memory, then every instalment through
// talent_instalment_review() from 16 threads as the API takes it — re-check
// as of its due day, approval within the year's budget, ledger rows, audit,
// one durable transaction each — and again, in a fresh copy of the same
// database, by the monthly run talent_instalment_run() (POST
// /api/v1/talent/run: the same review of each, 256 to a transaction), then
// in a third copy only the rows that run writes (the write floor))
// against the npm package json-rules-engine deciding the same re-check rules
// on the same facts in this process. talent_bench writes the facts (JSONL:
// {policy, due, facts}) and its re-check verdicts; the engine's verdicts are
// checked against them instalment by instalment, and any difference is
// printed as a MISMATCH (one side encodes the rule wrongly). Used by
// scripts/bench.mjs; `node tests/bench/talent.mjs [N [THREADS]]` runs just
// this part (after `make build/bench/talent_bench`).
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Engine } from 'json-rules-engine';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

// The policies' dated parameters, as the Lua rules read them: the value in
// force on a day is the version with the latest `from` not after it.
const PARAMS = JSON.parse(readFileSync(path.join(ROOT, 'data/talent/params.json'), 'utf8'));
function paramAt(policy, key, day) {
  let best, bestFrom;
  for (const v of PARAMS[policy][key] || []) {
    if (v.from <= day && (bestFrom === undefined || v.from >= bestFrom)) { best = v.value; bestFrom = v.from; }
  }
  return best;
}

// What data/talent/lib.lua's insured_before() reads: the number of the
// `months` months before the month of day not paid in one of places
// (back-paid months counted only when countBackPaid), or undefined when
// the list is missing or an entry is malformed (unknown, never met).
const monthNo = (s) => {
  const m = typeof s === 'string' && /^(\d{4})-(\d{2})$/.exec(s);
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 12) return undefined;
  return Number(m[1]) * 12 + Number(m[2]) - 1;
};
function gaps(list, places, months, day, countBackPaid) {
  if (!Array.isArray(list)) return undefined;
  const last = monthNo(day.slice(0, 7)) - 1, first = last - months + 1;
  const have = new Set();
  for (const x of list) {
    if (x === null || typeof x !== 'object') return undefined;
    const n = monthNo(x.month);
    if (n === undefined) return undefined;
    if (n <= last + 1 && places.includes(x.place) && (countBackPaid || x.back_paid !== true)) have.add(n);
  }
  let missing = 0;
  for (let n = first; n <= last; n++) if (!have.has(n)) missing++;
  return missing;
}

// The re-check rules in json-rules-engine ----------------------------------------
//
// 名校优才 (mingxiao-1.lua, recheck): works in Jinpu — a business of one's own
// there, or an employer registered and taxed there and a contract of at least
// contract_months — and the insured_months before the due month paid to
// social insurance in Jinpu, or else to income tax there (back-paid months
// counted). 住房补贴 (housing-1.lua, recheck): a Dalian 户籍 and the month
// before insured in Dalian (Jinpu included), back-paid months not counted.
// Each policy has two engines: "eligible" (every condition met) and "not"
// (some condition known and not met); neither firing is unknown, as the
// Lua rules' and3()/or3() decide.
function engines(policy) {
  const make = (rule) => {
    const engine = new Engine([], { allowUndefinedFacts: true });
    const isNum = (x) => typeof x === 'number';
    engine.addOperator('isTrue', (v) => v === true);
    engine.addOperator('isFalse', (v) => v === false);
    engine.addOperator('atLeastFact', (v, t) => isNum(v) && isNum(t) && v >= t);
    engine.addOperator('belowFact', (v, t) => isNum(v) && isNum(t) && v < t);
    engine.addOperator('none', (v) => v === 0);
    engine.addOperator('some', (v) => isNum(v) && v > 0);
    const fv = (a, id) => a.factValue(id);
    const c = (fact, operator, value) => ({ fact, operator, value });
    if (policy === 'mingxiao') {
      engine.addFact('need_contract_months', async (p, a) => paramAt(policy, 'contract_months', await fv(a, 'due')));
      const need = async (a) => paramAt(policy, 'insured_months', await fv(a, 'due'));
      engine.addFact('si_gaps', async (p, a) => gaps(await fv(a, 'social_insurance'), ['jinpu'], await need(a), await fv(a, 'due'), true));
      engine.addFact('tax_gaps', async (p, a) => gaps(await fv(a, 'income_tax'), ['jinpu'], await need(a), await fv(a, 'due'), true));
      const months = { fact: 'need_contract_months' };
      if (rule === 'eligible') {
        engine.addRule({ name: 'mingxiao-recheck', event: { type: 'eligible' }, conditions: { all: [
          { any: [c('business_in_jinpu', 'isTrue', true),
            { all: [c('employer_in_jinpu', 'isTrue', true), c('contract_months', 'atLeastFact', months)] }] },
          { any: [c('si_gaps', 'none', 0), c('tax_gaps', 'none', 0)] },
        ] } });
      } else {
        engine.addRule({ name: 'mingxiao-recheck-not', event: { type: 'not' }, conditions: { any: [
          { all: [c('business_in_jinpu', 'isFalse', false),
            { any: [c('employer_in_jinpu', 'isFalse', false), c('contract_months', 'belowFact', months)] }] },
          { all: [c('si_gaps', 'some', 0), c('tax_gaps', 'some', 0)] },
        ] } });
      }
    } else {
      engine.addFact('si_gaps', async (p, a) => gaps(await fv(a, 'social_insurance'), ['dalian', 'jinpu'], 1, await fv(a, 'due'), false));
      if (rule === 'eligible') {
        engine.addRule({ name: 'housing-recheck', event: { type: 'eligible' },
          conditions: { all: [c('hukou_dalian', 'isTrue', true), c('si_gaps', 'none', 0)] } });
      } else {
        engine.addRule({ name: 'housing-recheck-not', event: { type: 'not' },
          conditions: { any: [c('hukou_dalian', 'isFalse', false), c('si_gaps', 'some', 0)] } });
      }
    }
    return engine;
  };
  return { eligible: make('eligible'), not: make('not') };
}

// jreVerdicts(lines) re-checks every instalment: first the "eligible" rule of
// its policy over all of them, timed (the engine's best case: one rule, the
// parsed facts reused as they are); then, untimed, the "not" rule over the
// rest, to tell not from unknown. Returns {rate (checks/s of the first
// pass), verdicts: 'y' | 'n' | '?' each}.
async function jreVerdicts(lines) {
  const e = { mingxiao: engines('mingxiao'), housing: engines('housing') };
  const facts = lines.map((l) => ({ ...l.facts, due: l.due }));
  const verdicts = new Array(lines.length);
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < lines.length; i++) {
    verdicts[i] = (await e[lines[i].policy].eligible.run(facts[i])).events.length ? 'y' : '-';
  }
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  for (let i = 0; i < lines.length; i++) {
    if (verdicts[i] === '-') verdicts[i] = (await e[lines[i].policy].not.run(facts[i])).events.length ? 'n' : '?';
  }
  return { rate: lines.length / s, verdicts };
}

const count = (v, c) => v.reduce((n, x) => n + (x === c), 0);

// benchTalent(report, dir, n, threads) runs talent_bench in dir, measures
// json-rules-engine on its facts and reports both with report() from
// scripts/bench.mjs; prints the summary line and a MISMATCH line for each
// disagreement.
export async function benchTalent(report, dir, n = 100_000, threads = 16) {
  mkdirSync(dir, { recursive: true });
  const db = path.join(dir, 'talent.db'), file = path.join(dir, 'talent_facts.jsonl'),
    vfile = path.join(dir, 'talent_verdicts.txt');
  const out = execFileSync(path.join(ROOT, 'build/bench/talent_bench'), [db, file, vfile, String(n), String(threads)],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }); // its log (the migrations) is shown only when it fails
  for (const s of ['', '-wal', '-shm']) rmSync(db + s, { force: true });
  const kv = Object.fromEntries(out.trim().split('\n').map((l) => { const i = l.indexOf(' '); return [l.slice(0, i), l.slice(i + 1)]; }));
  const lua = readFileSync(vfile, 'utf8').trim().split('\n');
  const lines = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  const jre = await jreVerdicts(lines);

  const f = (x) => Math.round(x).toLocaleString('en');
  const recheck = Number(kv.recheck_per_s), each = Number(kv.per_s), month = Number(kv.run_per_s);
  console.log(`  ${f(n)} entitlements due in the month of ${kv.day} (half 名校优才, half 住房补贴), set up in ${kv.setup_s} s`);
  console.log(`  monthly run (talent_instalment_run): ${kv.run_due} due, approved ${kv.run_approved}, stopped ${kv.run_stopped}, ` +
    `refused ${kv.run_refused} in ${kv.run_seconds} s (${kv.run_commits} commits); ledger balanced ${kv.run_ledger_balanced === '1' ? 'yes' : 'NO'}`);
  console.log(`  one review per request (talent_instalment_review): ${kv.due} due, approved ${kv.approved}, stopped ${kv.stopped}, ` +
    `errors ${kv.errors} in ${kv.seconds} s (${kv.threads} threads; ${kv.jobs} reviews in ${kv.commits} group commits); ` +
    `ledger balanced ${kv.ledger_balanced === '1' ? 'yes' : 'NO'}`);
  console.log(`  re-check alone: Lua ${kv.recheck_s} s (${kv.recheck}); json-rules-engine (eligible rule, timed) ` +
    `${(n / jre.rate).toFixed(3)} s: eligible ${count(jre.verdicts, 'y')} not ${count(jre.verdicts, 'n')} unknown ${count(jre.verdicts, '?')}`);

  const bad = [];
  if (kv.first_error) bad.push(`a review failed: ${kv.first_error}`);
  if (Number(kv.errors) !== 0 || Number(kv.not_run) !== 0) bad.push(`${kv.errors} reviews failed, ${kv.not_run} instalments left pending`);
  if (Number(kv.run_refused) !== 0 || Number(kv.run_not_run) !== 0) bad.push(`the monthly run refused ${kv.run_refused}, left ${kv.run_not_run} pending`);
  if (Number(kv.disagree) !== 0) bad.push(`the reviews and the re-check alone disagree on ${kv.disagree} instalments`);
  if (Number(kv.run_disagree) !== 0) bad.push(`the monthly run and the re-check alone disagree on ${kv.run_disagree} instalments`);
  if (Number(kv.floor_not_run) !== 0 || Number(kv.floor_disagree) !== 0) bad.push(`the write floor left ${kv.floor_not_run} pending, ${kv.floor_disagree} not as the re-check decided`);
  if (kv.ledger_balanced !== '1' || kv.run_ledger_balanced !== '1' || kv.floor_ledger_balanced !== '1') bad.push('a ledger does not balance, or committed is not the approved amounts');
  if (lua.length !== n) bad.push(`talent_bench wrote ${lua.length} verdicts for ${n} instalments`);
  if (count(lua, '!') !== 0) bad.push(`the re-check failed (error or limit) on ${count(lua, '!')} instalments`);
  const diff = [];
  for (let i = 0; i < n; i++) if (jre.verdicts[i] !== lua[i]) diff.push(i);
  if (diff.length) {
    bad.push(`${diff.length} instalments decided differently, e.g. line ${diff[0] + 1}: ` +
      `Lua ${lua[diff[0]]}, json-rules-engine ${jre.verdicts[diff[0]]}: ${JSON.stringify(lines[diff[0]])}`);
  }
  for (const b of bad) console.log(`  MISMATCH talent run: ${b}`);

  console.log(`talent: monthly run ${f(month)} instalments/s, one review per request ${f(each)}/s (re-check + approval + ledger + audit, durable); ` +
    `re-check alone ${f(recheck)} checks/s; json-rules-engine re-check ${f(jre.rate)} checks/s; ` +
    `ratio run/jre ${(month / jre.rate).toFixed(2)}×, re-check/jre ${(recheck / jre.rate).toFixed(2)}×  （人才补贴月度复核发放）` +
    (bad.length ? '  [MISMATCH]' : '  [verdicts agree]'));
  report(`talent monthly instalment run, ${f(n)} entitlements (talent_instalment_run: re-check as of the due day, approval within budget, ` +
    'ledger, audit; 256 to a durable transaction)', month, 'instalments/s', jre.rate,
  'json-rules-engine re-check alone, same rules and facts', 'ratio ≥ 10');
  report(`talent: the same, one review per request (talent_instalment_review, ${kv.threads} threads, one durable transaction each, ` +
    'the entitlement read back)', each, 'instalments/s', jre.rate, 'json-rules-engine re-check alone', '');
  report('talent re-check alone, talent_recheck() in the Lua sandbox (1 thread, same facts)', recheck, 'checks/s', jre.rate,
    'json-rules-engine, same rules', '');
  // What bounds the run's ratio: its time less the re-checks' (measured
  // alone above) is what approving, the ledger, the audit and the commits
  // take; were the re-check free, the run could go no faster than that.
  const writes = Number(kv.run_seconds) - Number(kv.recheck_s);
  if (writes > 0) {
    console.log(`  the run less its re-checks: ${writes.toFixed(3)} s of approvals, ledger rows, audit events and commits, so at most ` +
      `${f(n / writes)} instalments/s however fast the rules (${(n / writes / jre.rate).toFixed(2)}× json-rules-engine's re-check alone)`);
  }
  // The write floor (talent_bench's pass 4): only the rows the run writes,
  // through its own statements, nothing read or re-checked; what any design
  // that keeps a ledger row and an audit event per instalment must pay.
  const floor = Number(kv.floor_per_s);
  console.log(`  write floor: the run's rows alone (an approval's budget update, ledger row, instalment update and audit event; ` +
    `a stop's two updates and audit event; 256 to a durable transaction, nothing read) ${kv.floor_seconds} s, ` +
    `${f(floor)} instalments/s: at most ${(floor / jre.rate).toFixed(2)}× json-rules-engine's re-check alone`);
  report('talent write floor: the monthly run\'s rows alone, nothing read or re-checked (256 to a durable transaction)', floor,
    'instalments/s', jre.rate, 'json-rules-engine re-check alone', '');
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const fmt = (x) => (x >= 100 ? Math.round(x).toLocaleString('en') : x.toFixed(3));
  await benchTalent((name, value, unit, ref, refName, target) => {
    const r = ref ? `  ratio ${(value / ref).toFixed(2)} vs ${refName} (${fmt(ref)} ${unit})` : '';
    console.log(`${name}: ${fmt(value)} ${unit}${r}${target ? `  [target ${target}]` : ''}`);
  }, path.join(ROOT, 'build/bench'), Number(process.argv[2] || 100_000), Number(process.argv[3] || 16));
}
