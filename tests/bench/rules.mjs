// tests/bench/rules.mjs — rule evaluations per second on one core: xinqu's
// Lua sandbox (build/bench/rules_bench over tests/bench/rules_typical.lua)
// side by side with the npm package json-rules-engine evaluating the same
// checks on the same facts (tests/bench/rules_facts.json) in this process.
// Used by scripts/bench.mjs; `node tests/bench/rules.mjs [SECONDS]` runs
// just this part.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Engine } from 'json-rules-engine';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const RULE = path.join(ROOT, 'tests/bench/rules_typical.lua');
const FACTS = path.join(ROOT, 'tests/bench/rules_facts.json');

// The checks of rules_typical.lua as json-rules-engine conditions: all must
// hold for the "approve" event. "yearsSince" is the date check (established
// at least one year before today), as date.years() does in Lua.
function typicalEngine() {
  const engine = new Engine([], { allowUndefinedFacts: true });
  engine.addOperator('yearsSinceAtLeast', (established, [today, years]) => {
    if (typeof established !== 'string' || typeof today !== 'string') return false;
    const cut = `${String(Number(today.slice(0, 4)) - years).padStart(4, '0')}${today.slice(4)}`;
    return established <= cut;
  });
  engine.addRule({
    conditions: {
      all: [
        { fact: 'broken_promise', operator: 'equal', value: false },
        { fact: 'party', path: '$.type', operator: 'equal', value: 'entity' },
        { fact: 'party', path: '$.status', operator: 'equal', value: 'active' },
        { fact: 'party', path: '$.kind', operator: 'in', value: ['company', 'branch'] },
        { fact: 'party', path: '$.established', operator: 'yearsSinceAtLeast', value: [FACTS_TODAY, 1] },
        { fact: 'form', path: '$.employees', operator: 'greaterThanInclusive', value: 1 },
        { fact: 'form', path: '$.address_in_zone', operator: 'equal', value: true },
        { fact: 'materials', path: '$.application_form', operator: 'equal', value: true },
        { fact: 'materials', path: '$.license_copy', operator: 'equal', value: true },
        { fact: 'materials', path: '$.lease_contract', operator: 'equal', value: true },
      ],
    },
    event: { type: 'approve', params: { reasons: ['市场主体状态正常', '材料齐全', '符合秒批条件'] } },
  });
  return engine;
}
const FACTS_TODAY = JSON.parse(readFileSync(FACTS, 'utf8')).today;

// jreRate() runs the engine over the facts, one run after another, for secs
// seconds; returns runs per second. The facts object is reused as it is
// (json-rules-engine does not change it), the engine's best case: xinqu
// converts the JSON facts into Lua tables on every evaluation.
async function jreRate(secs) {
  const engine = typicalEngine();
  const facts = JSON.parse(readFileSync(FACTS, 'utf8'));
  const first = await engine.run(structuredClone(facts));
  if (first.events.length !== 1 || first.events[0].type !== 'approve') {
    throw new Error(`json-rules-engine did not approve: ${JSON.stringify(first.failureResults?.[0]?.conditions)}`);
  }
  let n = 0;
  const t0 = process.hrtime.bigint();
  let t;
  do {
    for (let i = 0; i < 200; i++) {
      const { events } = await engine.run(facts);
      if (events.length !== 1) throw new Error('json-rules-engine changed its mind');
    }
    n += 200;
    t = Number(process.hrtime.bigint() - t0) / 1e9;
  } while (t < secs);
  return n / t;
}

// benchRules(report, secs) measures both and reports them with report()
// from scripts/bench.mjs.
// Each side runs secs one-second rounds and counts its best round: on this
// shared virtual machine a core is at times slowed by a third for a few
// seconds by work outside it, which is not the code's speed. The median and
// the slowest round are printed beside the best.
export async function benchRules(report, secs = 5) {
  const lua = [], jre = [];
  for (let i = 0; i < secs; i++) {
    const out = execFileSync(path.join(ROOT, 'build/bench/rules_bench'), [RULE, FACTS, '1'], { encoding: 'utf8' });
    if (!/^first \{"decision":"approve"/m.test(out)) throw new Error(`rules_bench: the typical rule did not approve:\n${out}`);
    lua.push(Number(out.match(/evals_per_s ([\d.]+)/)[1]));
    jre.push(await jreRate(1));
  }
  const best = (a) => Math.max(...a);
  const n = (x) => Math.round(x).toLocaleString('en');
  const rounds = (a) => { const o = [...a].sort((x, y) => x - y);
    return `best of ${a.length} one-second rounds; median ${n(o[o.length >> 1])}, slowest ${n(o[0])}`; };
  report(`json-rules-engine, typical 秒批 rule (same checks, same facts, 1 core; ${rounds(jre)})`, best(jre), 'evals/s', null, '', '');
  report(`Lua rule sandbox, typical 秒批 rule (1 thread, fresh environment and facts each time; ${rounds(lua)})`, best(lua),
    'evals/s', best(jre), 'json-rules-engine', '≥ 500,000 evals/s per core');
  report('Lua rule sandbox vs its target', best(lua), 'evals/s', 500_000, 'target 500,000 evals/s', 'ratio ≥ 1');
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const fmt = (x) => (x >= 100 ? Math.round(x).toLocaleString('en') : x.toFixed(3));
  await benchRules((name, value, unit, ref, refName, target) => {
    const r = ref ? `  ratio ${(value / ref).toFixed(2)} vs ${refName} (${fmt(ref)} ${unit})` : '';
    console.log(`${name}: ${fmt(value)} ${unit}${r}${target ? `  [target ${target}]` : ''}`);
  }, Number(process.argv[2] || 5));
}
