// calendar.test.mjs — checks data/calendar/cn.csv, xinqu's working-day calendar of
// China, against the npm package chinese-days (an independent transcription of the
// same State Council notices), for every date from 2019-01-01 to 2026-12-31.
//
// Run from the repository root: node --test tests/data/calendar.test.mjs
//
// xinqu's rule (src/base/cal.h): a day listed in the CSV decides (off / work);
// any other day is a working day when it is Monday to Friday.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

// chinese-days 1.5.7 builds its tables from local-time dates and shifts every holiday by
// a day in time zones west of UTC, so pin the zone (China's) before it loads.
process.env.TZ = 'Asia/Shanghai';
const { default: chineseDays } = await import('chinese-days');
const { isWorkday, isHoliday, getDayDetail } = chineseDays;

const CSV = new URL('../../data/calendar/cn.csv', import.meta.url);
const FIRST_YEAR = 2019;
const LAST_YEAR = 2026;

// Names xinqu uses for days off; an adjusted working day is named "<holiday>调休".
const HOLIDAYS = ['元旦', '春节', '清明节', '劳动节', '端午节', '中秋节', '国庆节', '中秋节、国庆节'];

// Where chinese-days names a holiday differently, and why (these are names only;
// which days are off or worked is compared strictly below):
// - it abbreviates 清明, 端午, 中秋; the notices say 清明节, 端午节, 中秋节;
// - in 2020, 2023 and 2025 Mid-autumn fell in (or next to) the National Day
//   holiday and the notices gave one combined period (2020, 2025: 国庆节、中秋节
//   10.1-10.8; 2023: 中秋节、国庆节 9.29-10.6); chinese-days labels those days 国庆节
//   or 中秋 one by one, xinqu names the whole period 中秋节、国庆节.
const ABBREVIATED = { 清明: '清明节', 端午: '端午节', 中秋: '中秋节' };
const COMBINED_MID_AUTUMN_NATIONAL_DAY = new Set([2020, 2023, 2025]);

function expectedName(date, cdName) {
  const zh = cdName.split(',')[1];
  const name = ABBREVIATED[zh] ?? zh;
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  if (COMBINED_MID_AUTUMN_NATIONAL_DAY.has(year) && (name === '中秋节' || name === '国庆节') && month >= 9) {
    return '中秋节、国庆节';
  }
  return name;
}

function readCsv() {
  const text = readFileSync(CSV, 'utf8');
  const lines = text.split('\n');
  assert.equal(lines.at(-1), '', 'the file ends with a newline');
  lines.pop();
  assert.equal(lines[0], 'date,kind,name', 'header line');
  return lines.slice(1).map((line, i) => {
    const m = /^(\d{4})-(\d{2})-(\d{2}),(off|work),([^,"\r\n]+)$/.exec(line);
    assert.ok(m, `line ${i + 2} is not date,kind,name: ${JSON.stringify(line)}`);
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const utc = new Date(Date.UTC(y, mo - 1, d));
    assert.ok(utc.getUTCFullYear() === y && utc.getUTCMonth() === mo - 1 && utc.getUTCDate() === d,
      `line ${i + 2}: ${line.slice(0, 10)} is not a real date`);
    return { line: i + 2, date: line.slice(0, 10), year: y, kind: m[4], name: m[5], weekday: utc.getUTCDay() };
  });
}

// Every date of the range as YYYY-MM-DD, with its weekday (0 = Sunday) and a Date at
// local noon for chinese-days (which reads local-time fields, so a UTC-midnight Date or a
// string would shift a day in time zones west of UTC).
function* everyDate() {
  for (let t = Date.UTC(FIRST_YEAR, 0, 1); t <= Date.UTC(LAST_YEAR, 11, 31); t += 86400000) {
    const d = new Date(t);
    yield {
      date: d.toISOString().slice(0, 10),
      weekday: d.getUTCDay(),
      local: new Date(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), 12),
    };
  }
}

const rows = readCsv();
const byDate = new Map(rows.map((r) => [r.date, r]));

function xinquWorkday(date, weekday) {
  const r = byDate.get(date);
  if (r) return r.kind === 'work';
  return weekday >= 1 && weekday <= 5;
}

// chinese-days lists a day explicitly (holiday or adjusted working day) when
// getDayDetail() names a holiday instead of the weekday.
function cdListed(local) {
  const detail = getDayDetail(local);
  return /^[A-Z][a-z]+day$/.test(detail.name) ? null : detail;
}

test('cn.csv is well-formed: strictly ascending dates in 2019-2026, known names', () => {
  assert.ok(rows.length > 250, `only ${rows.length} rows`);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    assert.ok(r.year >= FIRST_YEAR && r.year <= LAST_YEAR, `line ${r.line}: ${r.date} outside ${FIRST_YEAR}-${LAST_YEAR}`);
    if (i > 0) assert.ok(rows[i - 1].date < r.date, `line ${r.line}: ${r.date} is not after ${rows[i - 1].date}`);
    if (r.kind === 'off') {
      assert.ok(HOLIDAYS.includes(r.name), `line ${r.line}: unknown holiday ${r.name}`);
    } else {
      assert.ok(HOLIDAYS.map((h) => h + '调休').includes(r.name), `line ${r.line}: unknown name ${r.name}`);
      assert.ok(r.weekday === 0 || r.weekday === 6, `line ${r.line}: adjusted working day ${r.date} is not a weekend day`);
    }
  }
  for (let y = FIRST_YEAR; y <= LAST_YEAR; y++) {
    assert.ok(rows.some((r) => r.year === y), `no row for ${y}`);
  }
});

test('every date 2019-2026: working day or not agrees with chinese-days', () => {
  let n = 0;
  const wrong = [];
  for (const { date, weekday, local } of everyDate()) {
    const ours = xinquWorkday(date, weekday);
    assert.equal(isHoliday(local), !isWorkday(local));
    if (ours !== isWorkday(local)) wrong.push(`${date}: xinqu ${ours ? 'work' : 'off'}, chinese-days ${isWorkday(local) ? 'work' : 'off'}`);
    n++;
  }
  assert.equal(n, 2922); // 8 years, two of them leap
  assert.deepEqual(wrong, []);
});

test('every date 2019-2026: listed in cn.csv exactly when chinese-days lists it, same kind and holiday', () => {
  const wrong = [];
  for (const { date, local } of everyDate()) {
    const ours = byDate.get(date);
    const theirs = cdListed(local);
    if (!ours && !theirs) continue;
    if (!ours) { wrong.push(`${date}: missing from cn.csv (chinese-days: ${theirs.name}, ${theirs.work ? 'work' : 'off'})`); continue; }
    if (!theirs) { wrong.push(`${date}: in cn.csv (line ${ours.line}) but not in chinese-days`); continue; }
    if ((ours.kind === 'work') !== theirs.work) wrong.push(`${date}: kind ${ours.kind}, chinese-days ${theirs.work ? 'work' : 'off'}`);
    const want = expectedName(date, theirs.name) + (theirs.work ? '调休' : '');
    if (ours.name !== want) wrong.push(`${date}: name ${ours.name}, expected ${want} (chinese-days ${theirs.name})`);
  }
  assert.deepEqual(wrong, []);
});

// Spot checks taken from the notices themselves, so that an error shared by cn.csv and
// chinese-days is still caught where it matters most.
test('cn.csv matches the notices on the days that need care', () => {
  const off = (d) => assert.equal(xinquWorkday(d, new Date(d + 'T00:00:00Z').getUTCDay()), false, `${d} should be off`);
  const work = (d) => assert.equal(xinquWorkday(d, new Date(d + 'T00:00:00Z').getUTCDay()), true, `${d} should be a working day`);
  // 2020: Spring Festival extended to 2.2 (国办发明电〔2020〕1号); the 2.1 调休 Saturday lapsed.
  ['2020-01-24', '2020-01-30', '2020-01-31', '2020-02-01', '2020-02-02'].forEach(off);
  work('2020-01-19');
  work('2020-02-03');
  // 2024: 春节 2.10-2.17 with Sundays 2.4 and 2.18 worked; 除夕 2.9 a working day.
  off('2024-02-10'); off('2024-02-17'); work('2024-02-04'); work('2024-02-18'); work('2024-02-09');
  // 2024: 国庆 10.1-10.7 with Sunday 9.29 and Saturday 10.12 worked.
  work('2024-09-29'); off('2024-10-07'); work('2024-10-12');
  // 2026 (notice of November 2025).
  ['2026-01-01', '2026-01-02', '2026-01-03'].forEach(off);
  work('2026-01-04');
  for (let d = 15; d <= 23; d++) off(`2026-02-${d}`);
  work('2026-02-14'); work('2026-02-28');
  ['2026-04-04', '2026-04-05', '2026-04-06'].forEach(off);
  ['2026-05-01', '2026-05-02', '2026-05-03', '2026-05-04', '2026-05-05'].forEach(off);
  work('2026-05-09');
  ['2026-06-19', '2026-06-20', '2026-06-21', '2026-09-25', '2026-09-26', '2026-09-27'].forEach(off);
  for (let d = 1; d <= 7; d++) off(`2026-10-0${d}`);
  work('2026-09-20'); work('2026-10-10');
  assert.equal(byDate.get('2026-02-15').name, '春节');
  assert.equal(byDate.get('2025-10-06').name, '中秋节、国庆节');
  // Working days in a year, as announced: 2024 had 251.
  let n2024 = 0;
  for (const { date, weekday } of everyDate()) if (date.startsWith('2024') && xinquWorkday(date, weekday)) n2024++;
  assert.equal(n2024, 251);
});
