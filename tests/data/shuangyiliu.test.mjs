// shuangyiliu.test.mjs — checks data/talent/shuangyiliu.csv, the 双一流 lists
// as data: each edition's counts as its document gives them (2017,
// 教研函〔2017〕2号: 一流大学建设高校 42 — A类 36, B类 6 — and 一流学科建设高校
// 95; 2022, 教研函〔2022〕1号: 147 建设高校, the same 42 and 105 others), names
// unique within an edition (aliases too, and never another school's name),
// the 2022 list holding every school of 2017 (by name or as a campus or a
// new name of it), and the file naming its sources.
//
// Run from the repository root: node --test tests/data/shuangyiliu.test.mjs
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

const read = (f) => readFileSync(new URL(`../../data/talent/${f}`, import.meta.url), 'utf8');
const rows = (text) => {
  const lines = text.split('\n').map((l) => l.replace(/\r$/, '')).filter((l) => l && !l.startsWith('#'));
  const head = lines.shift().split(',');
  return lines.map((l) => {
    const cells = l.split(',');
    assert.equal(cells.length, head.length, l);
    return Object.fromEntries(head.map((h, i) => [h, cells[i]]));
  });
};
const TEXT = read('shuangyiliu.csv');
const SCHOOLS = rows(TEXT);
const EDITIONS = rows(read('shuangyiliu_editions.csv'));
const of = (edition, cls, group) =>
  SCHOOLS.filter((s) => s.edition === edition && (!cls || s.class === cls) && (group === undefined || s.group === group));

test('the header names both documents', () => {
  assert.match(TEXT, /教研函〔2017〕2号/);
  assert.match(TEXT, /教研函〔2022〕1号/);
  assert.deepEqual(EDITIONS.map((e) => [e.edition, e.from, e.document]),
    [['2017', '2017-09-21', '教研函〔2017〕2号'], ['2022', '2022-02-14', '教研函〔2022〕1号']]);
});

test('2017: 42 一流大学 (36 A, 6 B) and 95 一流学科', () => {
  assert.equal(of('2017', 'world_class_university').length, 42);
  assert.equal(of('2017', 'world_class_university', 'A').length, 36);
  assert.equal(of('2017', 'world_class_university', 'B').length, 6);
  assert.equal(of('2017', 'world_class_discipline').length, 95);
  assert.equal(of('2017').length, 137);
});

test('2022: 147, the same 42 一流大学 and 105 others, no A/B', () => {
  assert.equal(of('2022').length, 147);
  assert.equal(of('2022', 'world_class_discipline').length, 105);
  assert.deepEqual(of('2022', 'world_class_university').map((s) => s.name).sort(), of('2017', 'world_class_university').map((s) => s.name).sort());
  assert.ok(of('2022').every((s) => s.group === ''));
  assert.ok(SCHOOLS.every((s) => ['world_class_university', 'world_class_discipline'].includes(s.class)));
});

test('names and aliases are unique within an edition and are full Chinese names', () => {
  for (const ed of ['2017', '2022']) {
    const seen = new Map();
    for (const s of of(ed)) {
      for (const n of [s.name, ...(s.aliases ? s.aliases.split('|') : [])]) {
        assert.ok(!seen.has(n), `${ed}: ${n} twice (${seen.get(n)}, ${s.name})`);
        seen.set(n, s.name);
        assert.match(n, /^[\u4e00-\u9fff（）]+$/, n);
        assert.match(n, /(大学|学院)(（[\u4e00-\u9fff]+）)?$/, n);
      }
    }
  }
});

test('every school of 2017 is on the 2022 list, by its name or as one of its names', () => {
  const names22 = new Set(of('2022').flatMap((s) => [s.name, ...(s.aliases ? s.aliases.split('|') : [])]));
  for (const s of of('2017')) {
    const all = [s.name, ...(s.aliases ? s.aliases.split('|') : [])];
    assert.ok(all.some((n) => names22.has(n)), s.name);
  }
  const added = of('2022').filter((s) => ![s.name, ...(s.aliases ? s.aliases.split('|') : [])]
    .some((n) => of('2017').some((t) => t.name === n || t.aliases.split('|').includes(n))));
  assert.deepEqual(added.map((s) => s.name).sort(), ['上海科技大学', '南京医科大学', '南方科技大学', '山西大学', '广州医科大学', '湘潭大学', '华南农业大学'].sort());
});
