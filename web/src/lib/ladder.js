// ladder.js — what the 企业梯度培育 pages share: the rungs' names (from GET
// /api/v1/ladder/rungs, the server's one source, with English beside), the
// labels of a title's state and level and of a visit's kind, how a figure
// of a year's record reads, and which rungs the logged-in officer's
// department recognises (each rung's dept in GET /api/v1/ladder/rungs: the
// server decides every write, this only chooses what to offer).
import { reactive } from 'vue';
import { api } from './api.js';
import { L } from './i18n.js';
import { useDepartments } from './catalog.js';
import { session } from './session.js';

// The rungs bottom up (GET /ladder/rungs lists rdi after them: 研发机构, a title counted in the figures, no rule).
export const RUNGS = ['kjxzx', 'gaoqi', 'cxx', 'zjtx', 'xjr', 'dxgj'];
const EN = {
  kjxzx: 'Tech-based SME', gaoqi: 'High-tech enterprise', cxx: 'Innovative SME', zjtx: 'Specialised SME (专精特新)',
  xjr: '“Little giant” (小巨人)', dxgj: 'Manufacturing single champion', rdi: 'R&D institution',
};
const ZH = {
  kjxzx: '科技型中小企业', gaoqi: '高新技术企业', cxx: '创新型中小企业', zjtx: '专精特新中小企业',
  xjr: '专精特新“小巨人”企业', dxgj: '制造业单项冠军企业', rdi: '研发机构',
};
// The two tracks of GET …/enterprises/{uscc} next[]: 科技局's and 工信局's.
export const TRACKS = { kj: ['科技局序列', 'Science and technology track'], gx: ['工信局序列', 'Industry track'] };

export const ladder = reactive({ rungs: [], loaded: false, mine: null, dept: null });

// deptName() is the logged-in officer's department: the one the rungs it keeps
// name, once myRungs() has read them, else from the public department list.
export const deptName = () => (ladder.dept ? L(ladder.dept.name, ladder.dept.name_en) : useDepartments().deptById(session.user?.dept_id));

let loading = null;
// loadRungs() reads the rungs and their rule versions once.
export function loadRungs() {
  if (ladder.loaded) return Promise.resolve();
  if (!loading) {
    loading = api.get('/ladder/rungs').then((r) => { ladder.rungs = r.items; ladder.loaded = true; }).finally(() => { loading = null; });
  }
  return loading;
}

// rungName(code, zhName) is a rung's (or rdi's) name in the current language.
export function rungName(code, zhName) {
  const r = ladder.rungs.find((x) => x.code === code);
  return L(zhName || (r && r.name) || ZH[code] || code, EN[code]);
}

// myRungs() resolves to the rung codes (and rdi) whose titles the user keeps:
// every one for an administrator, those of a policy officer's department,
// none for anyone else (leaders and auditors read).
let mineLoading = null;
export function myRungs() {
  const u = session.user;
  if (!u) return Promise.resolve([]);
  if (u.role === 'admin') return Promise.resolve([...RUNGS, 'rdi']);
  if (u.role !== 'policy' || !u.dept_id) return Promise.resolve([]);
  if (ladder.mine && ladder.mine.user === u.username) return Promise.resolve(ladder.mine.codes);
  if (!mineLoading) {
    // Each rung names its department as the parameter in force today says (the server reads it).
    mineLoading = loadRungs()
      .then(() => {
        const kept = ladder.rungs.filter((r) => r.dept && r.dept.id === u.dept_id);
        const codes = kept.map((r) => r.code);
        ladder.mine = { user: u.username, codes };
        ladder.dept = kept.length ? kept[0].dept : null;
        return codes;
      })
      .catch(() => [])
      .finally(() => { mineLoading = null; });
  }
  return mineLoading;
}

export const TITLE_STATES = {
  held: ['持有', 'Held', 'success'], expiring: ['将到期', 'Expiring', 'warning'],
  lapsed: ['已到期', 'Lapsed', 'info'], revoked: ['已撤销', 'Revoked', 'danger'],
};
export const LEVELS = { national: ['国家级', 'National'], provincial: ['省级', 'Provincial'], city: ['市级', 'City'], district: ['区级', 'District'] };
export const VISIT_KINDS = { visit: ['走访', 'Visit'], call: ['电话', 'Call'], meeting: ['座谈', 'Meeting'], online: ['线上', 'Online'], other: ['其他', 'Other'] };
export const lbl = (table, k) => (table[k] ? L(table[k][0], table[k][1]) : k || '—');

// verdict(eligible) is a rung's verdict: [中文, English, tag type].
export function verdict(eligible) {
  if (eligible === true) return [L('符合', 'Eligible'), 'success'];
  if (eligible === false) return [L('不符合', 'Not eligible'), 'danger'];
  return [L('待补充数据', 'Data needed'), 'warning'];
}

// The units of the kinds of figure (GET /ladder/facts/keys).
export const KIND_HINT = {
  int: ['整数', 'a whole number'], wan: ['万元，至多两位小数', '万元, two decimals at most'], pct: ['0–100', '0–100'],
  score: ['0–100 分', '0–100 points'], rank: ['名次，1 起', 'a rank from 1'], bool: ['是 / 否', 'yes / no'],
};

// factText(kind, v) is how a figure of a year's record reads.
export function factText(kind, v) {
  if (v === null || v === undefined || v === '') return '—';
  if (typeof v === 'boolean') return v ? L('是', 'Yes') : L('否', 'No');
  if (kind === 'wan') return Number(v).toLocaleString('zh-CN', { maximumFractionDigits: 2 });
  if (kind === 'pct') return `${v}%`;
  return String(v);
}

// lastYear() is the year before this one in Beijing (the last closed year).
export function lastYear() { return Number(new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 4)) - 1; }
