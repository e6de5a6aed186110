// format.js — dates, durations, money and the labels of codes the API uses.
import { machine } from './machine.js';

const pad = (n) => String(n).padStart(2, '0');

// A time from the API: ISO text, or ms since the epoch (timeline). Shown in
// Beijing time whatever the browser's zone.
export function dt(v, withTime = true) {
  if (v === null || v === undefined || v === '' || v === 0) return '—';
  const ms = typeof v === 'number' ? v : Date.parse(v);
  if (Number.isNaN(ms)) return String(v);
  const d = new Date(ms + 8 * 3600_000);
  const day = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  return withTime ? `${day} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}` : day;
}

// A duration of working time in ms as "3 小时 20 分钟" / "3 h 20 min".
export function dur(ms, en = false) {
  const neg = ms < 0;
  const m = Math.floor(Math.abs(ms) / 60000);
  const h = Math.floor(m / 60), mm = m % 60;
  const s = en ? `${h} h ${mm} min` : `${h} 小时 ${mm} 分钟`;
  return neg ? (en ? `${s} overdue` : `已超期 ${s}`) : s;
}

export const yuan = (fen) => (fen === null || fen === undefined ? '—' : `${(Number(fen) / 100).toLocaleString('zh-CN', { maximumFractionDigits: 2 })} 元`);

export const pct = (x) => (x === null || x === undefined || Number.isNaN(x) ? '—' : `${(x * 100).toFixed(1)}%`);

// Element Plus tag colour for a case state.
export function stateType(s) {
  if (['issued', 'closed'].includes(s)) return 'success';
  if (['denied', 'refused', 'terminated', 'revoked'].includes(s)) return 'danger';
  if (['correction', 'suspended', 'special', 'accepted_rongque'].includes(s)) return 'warning';
  if (['withdrawn', 'draft'].includes(s)) return 'info';
  return 'primary';
}

// Labels of states, moves and the engine's steps come from the server (machine.js).
export const stateLabel = (s, en) => (machine.stateLabels[s] ? machine.stateLabels[s][en ? 1 : 0] : s);
export const actionLabel = (a, en) => (machine.actions[a] ? machine.actions[a][en ? 1 : 0] : a);

export const CHANNELS = { online: ['全程网办', 'Online'], window: ['窗口', 'Window'], kiosk: ['自助终端', 'Kiosk'] };
export const channelLabel = (c, en) => (CHANNELS[c] ? CHANNELS[c][en ? 1 : 0] : c);

export const MODES = {
  instant: ['即来即办', 'Decided at once'], auto: ['秒批秒办', 'Instant approval'], online: ['全程网办', 'Online end to end'],
  rongque: ['容缺受理', 'Missing materials accepted'], promise: ['告知承诺', 'Approval on promise'],
};
export const modeLabel = (m, en) => (MODES[m] ? MODES[m][en ? 1 : 0] : m);

export const INDUSTRIES = [
  ['A', '农、林、牧、渔业'], ['B', '采矿业'], ['C', '制造业'], ['D', '电力、热力、燃气及水生产和供应业'], ['E', '建筑业'],
  ['F', '批发和零售业'], ['G', '交通运输、仓储和邮政业'], ['H', '住宿和餐饮业'], ['I', '信息传输、软件和信息技术服务业'],
  ['J', '金融业'], ['K', '房地产业'], ['L', '租赁和商务服务业'], ['M', '科学研究和技术服务业'], ['N', '水利、环境和公共设施管理业'],
  ['O', '居民服务、修理和其他服务业'], ['P', '教育'], ['Q', '卫生和社会工作'], ['R', '文化、体育和娱乐业'],
  ['S', '公共管理、社会保障和社会组织'], ['T', '国际组织'],
];

export const ROLES = {
  applicant: ['申请人', 'Applicant'], clerk: ['窗口人员', 'Window clerk'], approver: ['审批人员', 'Approver'],
  policy: ['政策专员', 'Policy officer'], invest: ['招商专员', 'Investment officer'], leader: ['领导', 'Leader'],
  auditor: ['审计员', 'Auditor'], admin: ['管理员', 'Administrator'],
};
export const roleLabel = (r, en) => (ROLES[r] ? ROLES[r][en ? 1 : 0] : r);

// The kinds of market entity (registry.h ENTITY_KINDS): [code, 中文, English].
export const ENTITY_KINDS = [['company', '有限责任公司', 'Limited company'], ['partnership', '合伙企业', 'Partnership'],
  ['sole', '个人独资企业', 'Sole proprietorship'], ['branch', '分公司', 'Branch'], ['individual', '个体工商户', 'Individual business'],
  ['cooperative', '农民专业合作社', 'Farmers’ cooperative']];

// choiceLabel(field, value, en) is how a form's choice reads: a registry
// code (entity kind, GB/T 4754 section) by its name, anything else as is.
export function choiceLabel(field, value, en = false) {
  if (field === 'kind') { const k = ENTITY_KINDS.find((x) => x[0] === value); if (k) return en ? k[2] : k[1]; }
  if (field === 'industry') { const i = INDUSTRIES.find((x) => x[0] === value); if (i) return `${value} ${i[1]}`; }
  return String(value);
}
