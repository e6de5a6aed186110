// talent.js — what the 人才政策兑现 pages share: the policies (GET
// /api/v1/talent/policies, the server's one source, with English beside),
// the labels of the facts a talent record holds, of instalment, entitlement
// and ledger-account states, money in fen as text (integer arithmetic only:
// a sum is never made in floating point), the form's month runs of social
// insurance and income tax, and where the logged-in user stands (officer,
// reader, the person itself) — which only chooses what to offer; the server
// decides every request.
import { reactive } from 'vue';
import { api, qs } from './api.js';
import { L } from './i18n.js';
import { session } from './session.js';
import { partyKind } from './party.js';

// ---- the policies ----------------------------------------------------------

const POLICY_EN = {
  mingxiao: '“Top-school talent” living subsidy', housing: 'Housing subsidy for graduates', tuition: 'Tuition subsidy for graduates',
  anju: 'Settling-in housing subsidy for new graduates', anjiafei: 'Settling-in allowance for high-level talent recruited full time',
  rouxing: 'Subsidy for high-level talent engaged flexibly', jintie: 'Allowance for high-level talent in local employment',
  jinque: 'Pay subsidy for talent in shortage occupations',
};
export const LEVELS = { district: ['区级', 'District'], city: ['市级', 'City'], province: ['省级', 'Province'] };

export const talent = reactive({ policies: [], loaded: false, standing: null });

let loading = null;
// loadPolicies() reads the policies and their rule versions once.
export function loadPolicies() {
  if (talent.loaded) return Promise.resolve(talent.policies);
  if (!loading) {
    loading = api.get('/talent/policies').then((r) => { talent.policies = r.items; talent.loaded = true; return r.items; })
      .finally(() => { loading = null; });
  }
  return loading;
}

// policyName(code, zh) is a policy's name in the current language.
export function policyName(code, zh) {
  const p = talent.policies.find((x) => x.code === code);
  return L(zh || (p && p.name) || code, POLICY_EN[code]);
}
export const levelName = (level) => lbl(LEVELS, level);
export const lbl = (table, k) => (table[k] ? L(table[k][0], table[k][1]) : k || '—');

// ---- who the user is to talent records --------------------------------------

// standing() resolves to 'officer' (人社局's policy officers — parameter
// talent/dept — and administrators: they keep records, decide, review and
// set budgets), 'reader' (leaders and auditors), 'self' (a person's own
// account: its ID number is its party) or 'none'.
let standingLoading = null;
export function standing() {
  const u = session.user;
  if (!u) return Promise.resolve('none');
  if (u.role === 'admin') return Promise.resolve('officer');
  if (u.role === 'leader' || u.role === 'auditor') return Promise.resolve('reader');
  if (u.role === 'applicant') return Promise.resolve(partyKind(u.party) === 'person' ? 'self' : 'none');
  if (u.role !== 'policy' || !u.dept_id) return Promise.resolve('none');
  if (talent.standing && talent.standing.user === u.username) return Promise.resolve(talent.standing.value);
  if (!standingLoading) {
    standingLoading = Promise.all([api.get('/departments'), api.get(`/params${qs({ scope: 'talent', key: 'dept' })}`)])
      .then(([deps, params]) => {
        const dept = (deps.items || []).find((d) => d.id === u.dept_id);
        const p = (params.items || []).find((x) => x.scope === 'talent' && x.key === 'dept');
        const day = today();
        const v = p ? [...p.versions].filter((x) => x.effective_from <= day).sort((a, b) => (a.effective_from < b.effective_from ? 1 : -1))[0] : null;
        const value = dept && v && v.value === dept.code ? 'officer' : 'none';
        talent.standing = { user: u.username, value };
        return value;
      })
      .catch(() => 'none')
      .finally(() => { standingLoading = null; });
  }
  return standingLoading;
}

// today() is today's date in Beijing, YYYY-MM-DD.
export const today = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

// ---- money in fen ------------------------------------------------------------

// big(fen) is an integer amount of fen as a BigInt (null when not a whole number).
function big(fen) {
  if (typeof fen === 'bigint') return fen;
  if (typeof fen === 'number' && Number.isSafeInteger(fen)) return BigInt(fen);
  if (typeof fen === 'string' && /^-?\d+$/.test(fen)) return BigInt(fen);
  return null;
}
const group = (s) => s.replace(/\B(?=(\d{3})+(?!\d))/g, ',');

// yuan(fen) is an amount in fen as 元 with two decimals: "24,000.00 元".
export function yuan(fen, unit = true) {
  const b = big(fen);
  if (b === null) return '—';
  const neg = b < 0n, a = neg ? -b : b;
  const s = `${neg ? '-' : ''}${group((a / 100n).toString())}.${(a % 100n).toString().padStart(2, '0')}`;
  return unit ? `${s} ${L('元', 'yuan')}` : s;
}

// wan(fen) is an amount in fen as 万元 ("10 万元", "1.65 万元"), exact: as
// many decimals as it takes, at most six.
export function wan(fen) {
  const b = big(fen);
  if (b === null) return '—';
  const neg = b < 0n, a = neg ? -b : b;
  const frac = (a % 1000000n).toString().padStart(6, '0').replace(/0+$/, '');
  return `${neg ? '-' : ''}${group((a / 1000000n).toString())}${frac ? `.${frac}` : ''} ${L('万元', '×10k yuan')}`;
}

// sumFen(list, key) is the sum of the members' key (fen), as a BigInt.
export function sumFen(list, key = 'amount_fen') {
  return (list || []).reduce((s, x) => s + (big(x[key]) ?? 0n), 0n);
}

// parseYuan(text) is an amount in 元 typed by a person ("30000", "3,000.5",
// "12.34") as integer fen, or null when it is not one (no floating point:
// the digits are read as text).
export function parseYuan(text) {
  const s = String(text ?? '').replace(/[,，\s]/g, '');
  const m = /^(\d{1,13})(?:\.(\d{1,2}))?$/.exec(s);
  if (!m) return null;
  const fen = BigInt(m[1]) * 100n + BigInt((m[2] || '').padEnd(2, '0'));
  return fen <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(fen) : null;
}

// ---- states -------------------------------------------------------------------

// An instalment: [中文, English, tag type].
export const INST_STATES = {
  pending: ['待复核', 'To review', 'warning'], approved: ['已核准', 'Approved', 'primary'],
  paid: ['已支付', 'Paid', 'success'], stopped: ['停发', 'Stopped', 'danger'], recovered: ['已追回', 'Recovered', 'info'],
};
export const ENT_STATES = { active: ['享受中', 'Active', 'success'], stopped: ['已停发', 'Stopped', 'danger'] };
// The ledger's accounts, in the order money flows.
export const ACCOUNTS = {
  appropriation: ['预算指标', 'Budget'], available: ['可用', 'Available'],
  committed: ['已核准待付', 'Approved, to pay'], paid: ['已支付', 'Paid'], recovered: ['已追回', 'Recovered'],
};

// verdict(eligible) is a check's verdict: [text, tag type].
export function verdict(eligible) {
  if (eligible === true) return [L('符合', 'Eligible'), 'success'];
  if (eligible === false) return [L('不符合', 'Not eligible'), 'danger'];
  return [L('待补充数据', 'Data needed'), 'warning'];
}

// ---- the facts of a talent record --------------------------------------------

export const DEGREES = { doctor: ['博士', 'Doctorate'], master: ['硕士', 'Master’s'], bachelor: ['学士（本科）', 'Bachelor’s'], college: ['专科', 'College diploma'] };
export const SCHOOLS = {
  world_class_university: ['一流大学建设高校', '“World-class university” school'],
  world_class_discipline: ['一流学科建设高校', '“World-class discipline” school'],
  overseas_top200: ['境外排名前 200 的高校', 'Top-200 school abroad'],
  other: ['其他高校', 'Other school'],
};
export const PLACES = { jinpu: ['金普新区', 'Jinpu'], dalian: ['大连市其他区县', 'Elsewhere in Dalian'], other: ['大连市以外', 'Outside Dalian'] };

// The facts in the order of the form: key, 中文, English, kind.
export const FACTS = [
  ['degree', '学历学位', 'Degree', 'enum'],
  ['school', '毕业院校', 'School (as the 双一流 list names it)', 'text'],
  ['school_class', '毕业院校类别', 'School', 'enum'],
  ['graduated_on', '毕业时间', 'Graduated on', 'date'],
  ['full_time', '是否全日制', 'Full-time study', 'bool'],
  ['hukou_dalian', '是否大连市户籍', 'Dalian 户籍 (household registration)', 'bool'],
  ['employer_uscc', '用人单位统一社会信用代码', 'Employer’s USCC', 'text'],
  ['employer_in_jinpu', '用人单位在金普新区注册纳税', 'Employer registered and taxed in Jinpu', 'bool'],
  ['business_in_jinpu', '在金普新区自主创业', 'Own business in Jinpu', 'bool'],
  ['contract_start', '劳动合同起始日期', 'Contract start', 'date'],
  ['contract_months', '劳动合同期限（月）', 'Contract length (months)', 'int'],
  ['social_insurance', '社会保险缴纳记录', 'Social insurance paid', 'months'],
  ['income_tax', '个人所得税缴纳记录', 'Income tax paid', 'months'],
  ['talent_tier', '高层次人才层次', 'Talent tier', 'enum'],
  ['tier_on', '高层次人才认定日期', 'Tier recognised on', 'date'],
  ['introduced_full_time', '全职引进', 'Recruited full time', 'bool'],
  ['flexible_months', '柔性引进协议期限（月）', 'Flexible agreement (months)', 'int'],
  ['days_in_jinpu', '每年在金普新区工作天数', 'Days a year worked in Jinpu', 'int', 366],
  ['shortage_position', '紧缺人才目录岗位', 'Shortage-catalogue position', 'text'],
  ['shortage_level', '岗位紧缺程度', 'Shortage level', 'enum'],
  ['shortage_on', '紧缺岗位认定日期', 'Placed on the shortage position on', 'date'],
  ['annual_salary_fen', '年薪（元）', 'Annual salary (yuan)', 'yuan'],
  ['foreign_expert', '外国专家', 'Foreign expert', 'bool'],
  ['expert_on', '外国专家来区工作起始日期', 'Foreign expert from', 'date'],
  ['expert_until', '外国专家来区工作截止日期', 'Foreign expert until', 'date'],
  ['skill_level', '职业技能等级', 'Vocational skill level', 'enum'],
  ['frontline_years', '在金普新区生产一线工作年限', 'Years in frontline production in Jinpu', 'int', 80],
];
export const TIERS = { top: ['顶尖人才', 'Top talent'], leading: ['领军人才', 'Leading talent'], senior: ['高端人才', 'Senior talent'], young: ['青年才俊', 'Young talent'] };
export const SKILLS = { senior_worker: ['高级工', 'Senior worker'], technician: ['技师', 'Technician'], senior_technician: ['高级技师', 'Senior technician'] };
export const SHORTAGE = { acute: ['特别紧缺', 'Acute shortage'], high: ['比较紧缺', 'Marked shortage'], general: ['一般紧缺', 'Shortage'] };
export const factLabel = (key) => { const f = FACTS.find((x) => x[0] === key); return f ? L(f[1], f[2]) : key; };

// runsOf(list) is a month list [{month, place, back_paid}] as runs of
// consecutive months with the same place and back-paid mark:
// [{from, to, place, back_paid, n}], in month order.
export function runsOf(list) {
  const no = (m) => { const [y, mm] = m.split('-').map(Number); return y * 12 + mm - 1; };
  const sorted = [...(list || [])].filter((x) => x && /^\d{4}-\d{2}$/.test(x.month)).sort((a, b) => no(a.month) - no(b.month));
  const out = [];
  for (const x of sorted) {
    const last = out[out.length - 1];
    const back = x.back_paid === true;
    if (last && no(x.month) === no(last.to) + 1 && last.place === x.place && last.back_paid === back) { last.to = x.month; last.n++; } else out.push({ from: x.month, to: x.month, place: x.place, back_paid: back, n: 1 });
  }
  return out;
}

// monthsOf(run) is the months from run.from to run.to ("YYYY-MM"), or null
// when the run is backwards or longer than 1200 months.
export function monthsOf(run) {
  const no = (m) => { const [y, mm] = m.split('-').map(Number); return y * 12 + mm - 1; };
  const a = no(run.from), b = no(run.to);
  if (b < a || b - a >= 1200) return null;
  const out = [];
  for (let n = a; n <= b; n++) out.push(`${Math.floor(n / 12)}-${String((n % 12) + 1).padStart(2, '0')}`);
  return out;
}

// runText(r) is a run as it reads: "2025-06 至 2025-12 · 金普新区 · 7 个月（补缴）".
export function runText(r) {
  const span = r.from === r.to ? r.from : L(`${r.from} 至 ${r.to}`, `${r.from} to ${r.to}`);
  return `${span} · ${lbl(PLACES, r.place)} · ${L(`${r.n} 个月`, `${r.n} month${r.n === 1 ? '' : 's'}`)}${r.back_paid ? L('（补缴）', ' (back-paid)') : ''}`;
}

// factText(key, v) is how a fact of a record reads.
export function factText(key, v) {
  if (v === undefined || v === null || v === '') return L('未登记', 'Not recorded');
  if (typeof v === 'boolean') return v ? L('是', 'Yes') : L('否', 'No');
  if (key === 'degree') return lbl(DEGREES, v);
  if (key === 'school_class') return lbl(SCHOOLS, v);
  if (key === 'talent_tier') return lbl(TIERS, v);
  if (key === 'shortage_level') return lbl(SHORTAGE, v);
  if (key === 'skill_level') return lbl(SKILLS, v);
  if (key === 'frontline_years') return L(`${v} 年`, `${v} years`);
  if (key === 'annual_salary_fen') return yuan(v);
  if (key === 'contract_months' || key === 'flexible_months') return L(`${v} 个月`, `${v} months`);
  if (key === 'days_in_jinpu') return L(`${v} 天`, `${v} days`);
  if (Array.isArray(v)) return v.length ? runsOf(v).map(runText).join(L('；', '; ')) : L('无缴纳记录', 'None paid');
  return String(v);
}

// draftOf(facts) is the form's working copy of facts: the same keys, a
// boolean as 'y' / 'n' / 'u' (not given: a radio button needs a value), a number as text, a month list as
// {mode: 'unknown' | 'none' | 'runs', runs: [{from, to, place, back_paid}]}.
export function draftOf(facts = {}) {
  const d = {};
  for (const [k, , , kind] of FACTS) {
    const v = facts[k];
    if (kind === 'months') {
      d[k] = !Array.isArray(v) ? { mode: 'unknown', runs: [newRun()] } : v.length ? { mode: 'runs', runs: runsOf(v).map(({ from, to, place, back_paid }) => ({ from, to, place, back_paid })) } : { mode: 'none', runs: [newRun()] };
    } else if (kind === 'bool') d[k] = v === true ? 'y' : v === false ? 'n' : 'u';
    else if (kind === 'int') d[k] = v === undefined || v === null ? '' : String(v);
    else if (kind === 'yuan') d[k] = v === undefined || v === null ? '' : `${Math.floor(v / 100)}${v % 100 ? `.${String(v % 100).padStart(2, '0')}` : ''}`;
    else d[k] = v ?? '';
  }
  return d;
}
export const newRun = () => ({ from: '', to: '', place: 'jinpu', back_paid: false });

// factsOf(draft) is {facts} of a draft (what is not given is left out: the
// rules then count it unknown), or {error: {field, zh, en}} for the first
// entry that cannot be sent.
export function factsOf(draft) {
  const facts = {};
  for (const [k, zh, en, kind, max = 1200] of FACTS) {
    const v = draft[k];
    if (kind === 'months') {
      if (v.mode === 'none') facts[k] = [];
      else if (v.mode === 'runs') {
        const list = [], seen = new Set();
        for (const r of v.runs) {
          if (!r.from && !r.to) continue;
          if (!r.from || !r.to) return { error: { field: k, zh: `${zh}：每一段都要填起止月份`, en: `${en}: give each run its first and last month` } };
          const months = monthsOf(r);
          if (!months) return { error: { field: k, zh: `${zh}：${r.from} 至 ${r.to} 的起止月份颠倒或超过 100 年`, en: `${en}: ${r.from} to ${r.to} runs backwards or over 100 years` } };
          for (const m of months) {
            if (seen.has(m)) return { error: { field: k, zh: `${zh}：${m} 在两段中重复`, en: `${en}: ${m} is in two runs` } };
            seen.add(m);
            list.push({ month: m, place: r.place, back_paid: !!r.back_paid });
          }
        }
        if (!list.length) return { error: { field: k, zh: `${zh}：请填写至少一段缴纳月份，或选择“无缴纳记录”`, en: `${en}: give a run of months, or choose “none paid”` } };
        facts[k] = list;
      }
    } else if (kind === 'bool') { if (v === 'y' || v === 'n') facts[k] = v === 'y'; }
    else if (kind === 'int') {
      const s = String(v ?? '').trim();
      if (s !== '') {
        if (!/^\d{1,4}$/.test(s) || Number(s) > max) return { error: { field: k, zh: `${zh}应为 0 到 ${max} 的整数`, en: `${en}: a whole number from 0 to ${max}` } };
        facts[k] = Number(s);
      }
    } else if (kind === 'yuan') {
      const s = String(v ?? '').trim();
      if (s !== '') {
        const fen = parseYuan(s);
        if (fen === null) return { error: { field: k, zh: `${zh}应为金额（元），如 150000`, en: `${en}: an amount in yuan, e.g. 150000` } };
        facts[k] = fen;
      }
    } else if (typeof v === 'string' ? v.trim() : v) facts[k] = typeof v === 'string' ? v.trim() : v;
  }
  return { facts };
}

// ---- the explanation --------------------------------------------------------------

// The parameters of the policies: key → [中文, English, unit]; a unit of
// 'fen' shows money, 'pct' a percentage, 'months' months, 'n' instalments,
// 'date' a day.
const PARAMS = {
  amount_doctor_fen: ['博士补贴总额', 'Total for a doctorate', 'fen'],
  amount_master_fen: ['硕士补贴总额', 'Total for a master’s', 'fen'],
  amount_bachelor_fen: ['学士补贴总额', 'Total for a bachelor’s', 'fen'],
  instalments: ['分期数', 'Instalments', 'n'],
  within_months: ['毕业后可申请期限', 'Within months of graduating', 'months'],
  contract_months: ['劳动合同最短期限', 'Shortest contract', 'months'],
  insured_months: ['连续缴纳月数', 'Consecutive months paid', 'months'],
  monthly_doctor_fen: ['博士每月补贴', 'Monthly, doctorate', 'fen'],
  monthly_master_fen: ['硕士每月补贴', 'Monthly, master’s', 'fen'],
  monthly_bachelor_fen: ['学士每月补贴', 'Monthly, bachelor’s', 'fen'],
  monthly_college_fen: ['专科每月补贴', 'Monthly, college diploma', 'fen'],
  double_first_class_pct: ['“双一流”加发比例', 'Extra for a 双一流 school', 'pct'],
  max_months: ['最长发放月数', 'At most months paid', 'months'],
  paid_from: ['最早发放月份', 'Paid from', 'date'],
  paid_until: ['发放截止日期', 'Paid until', 'date'],
  doctor_fen: ['博士补助', 'Doctorate', 'fen'],
  master_fen: ['硕士补助', 'Master’s', 'fen'],
  bachelor_fen: ['学士补助', 'Bachelor’s', 'fen'],
  college_fen: ['专科补助', 'College diploma', 'fen'],
  university_pct: ['一流大学加发比例', 'Extra for a world-class university', 'pct'],
  discipline_pct: ['一流学科加发比例', 'Extra for a world-class discipline', 'pct'],
  top_fen: ['顶尖人才', 'Top talent', 'fen'],
  leading_fen: ['领军人才', 'Leading talent', 'fen'],
  senior_fen: ['高端人才', 'Senior talent', 'fen'],
  young_fen: ['青年才俊', 'Young talent', 'fen'],
  years: ['发放年数', 'Years paid', 'n'],
  cap_top_fen: ['顶尖人才每年上限', 'Yearly cap, top talent', 'fen'],
  cap_leading_fen: ['领军人才每年上限', 'Yearly cap, leading talent', 'fen'],
  cap_senior_fen: ['高端人才每年上限', 'Yearly cap, senior talent', 'fen'],
  agreement_months: ['柔性引进协议最短期限', 'Shortest flexible agreement', 'months'],
  days_in_jinpu: ['每年在区工作最少天数', 'Least days a year in Jinpu', 'n'],
  max_years: ['最长发放年数', 'At most years paid', 'n'],
  acute_pct: ['特别紧缺补贴比例', 'Share, acute shortage', 'pct'],
  high_pct: ['比较紧缺补贴比例', 'Share, marked shortage', 'pct'],
  general_pct: ['一般紧缺补贴比例', 'Share, shortage', 'pct'],
  acute_cap_fen: ['特别紧缺每年上限', 'Yearly cap, acute shortage', 'fen'],
  high_cap_fen: ['比较紧缺每年上限', 'Yearly cap, marked shortage', 'fen'],
  general_cap_fen: ['一般紧缺每年上限', 'Yearly cap, shortage', 'fen'],
  min_salary_fen: ['最低年薪', 'Least annual salary', 'fen'],
  award_fen: ['金普工匠奖励', 'The 金普工匠 award', 'fen'],
  skill_levels: ['最低职业技能等级（1 高级工、2 技师、3 高级技师）', 'Least skill level (1 senior worker, 2 technician, 3 senior technician)', 'n'],
  frontline_years: ['生产一线最少年限', 'Least years in frontline production', 'n'],
  quota_per_year: ['每年评选名额', 'Places a year', 'n'],
};
export function paramLabel(key) {
  const p = PARAMS[key];
  return p ? L(p[0], p[1]) : key;
}
// paramUnit(key) is how a parameter's value reads: 'fen', 'pct', 'months',
// 'n', 'date', or '' when not known.
export function paramUnit(key) {
  return (PARAMS[key] || [])[2] || (/_fen$/.test(key) ? 'fen' : /_pct$/.test(key) ? 'pct' : /months$/.test(key) ? 'months' : '');
}
export function paramValue(key, v) {
  const unit = paramUnit(key);
  if (unit === 'fen') return yuan(v);
  if (unit === 'pct') return `${v}%`;
  if (unit === 'months') return L(`${v} 个月`, `${v} months`);
  if (unit === 'n') return L(`${v} 期`, String(v));
  return typeof v === 'string' ? v : JSON.stringify(v);
}

// The criteria the rules report: code → [中文, English].
const CRITERIA = {
  degree: ['学历学位', 'Degree'], graduated_within: ['毕业年限', 'Time since graduating'], full_time: ['全日制', 'Full-time'],
  school_class: ['毕业院校', 'School'], works_in_jinpu: ['在金普新区就业或创业', 'Works in Jinpu'],
  social_insurance: ['社会保险', 'Social insurance'], income_tax: ['个人所得税', 'Income tax'], hukou_dalian: ['大连市户籍', 'Dalian 户籍'],
  newly_employed: ['毕业后新就业', 'Newly employed'],
};
export const criterionLabel = (code) => (CRITERIA[code] ? L(CRITERIA[code][0], CRITERIA[code][1]) : code);
