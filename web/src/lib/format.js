// format.js — dates, durations, money and the labels of codes the API uses.

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

export const STATE_LABELS = {
  draft: ['草稿', 'Draft'], submitted: ['已提交待受理', 'Submitted'], accepted: ['已受理', 'Accepted'],
  accepted_rongque: ['容缺受理', 'Accepted, materials missing'], correction: ['补正中', 'Correction requested'],
  refused: ['不予受理', 'Refused at intake'], review: ['审查中', 'Under review'], special: ['特别程序中', 'Special procedure'],
  suspended: ['挂起', 'Suspended'], approved: ['准予许可', 'Approved'], denied: ['不予许可', 'Denied'],
  issued: ['已办结出证', 'Issued'], closed: ['已归档', 'Closed'], withdrawn: ['已撤回', 'Withdrawn'],
  terminated: ['已终止（逾期未补齐）', 'Terminated'], revoked: ['已撤销', 'Revoked'],
};
export const stateLabel = (s, en) => (STATE_LABELS[s] ? STATE_LABELS[s][en ? 1 : 0] : s);

export const ACTION_LABELS = {
  create: ['创建', 'Created'], submit: ['提交申请', 'Submitted'], accept: ['受理', 'Accepted'],
  accept_rongque: ['容缺受理', 'Accepted with missing materials'], decide_now: ['即来即办', 'Decided at once'],
  request_correction: ['一次性告知补正', 'Correction requested'], resubmit: ['补正后重新提交', 'Resubmitted'],
  refuse: ['不予受理', 'Refused'], start_review: ['开始审查', 'Review started'], start_special: ['启动特别程序', 'Special procedure started'],
  end_special: ['结束特别程序', 'Special procedure ended'], suspend: ['挂起', 'Suspended'], resume: ['恢复办理', 'Resumed'],
  approve: ['准予许可', 'Approved'], deny: ['不予许可', 'Denied'], issue: ['发证办结', 'Issued'],
  supplement: ['补齐容缺材料', 'Materials supplemented'], withdraw: ['撤回申请', 'Withdrawn'], close: ['归档', 'Closed'],
  revoke: ['撤销', 'Revoked'], rate: ['评价', 'Rated'], terminate: ['终止', 'Terminated'], task: ['任务', 'Task'],
};
export const actionLabel = (a, en) => (ACTION_LABELS[a] ? ACTION_LABELS[a][en ? 1 : 0] : a);

export const CHANNELS = { online: ['全程网办', 'Online'], window: ['窗口', 'Window'], kiosk: ['自助终端', 'Kiosk'] };
export const channelLabel = (c, en) => (CHANNELS[c] ? CHANNELS[c][en ? 1 : 0] : c);

export const MODES = {
  instant: ['即来即办', 'Decided at once'], auto: ['秒批秒办', 'Instant approval'], online: ['全程网办', 'Online end to end'],
  rongque: ['容缺受理', 'Missing materials accepted'], promise: ['告知承诺', 'Approval on promise'],
};
export const modeLabel = (m, en) => (MODES[m] ? MODES[m][en ? 1 : 0] : m);

export const NOTICE_KINDS = {
  accept: ['受理通知书', 'Acceptance notice'], accept_rongque: ['容缺受理通知书', 'Acceptance with missing materials'],
  correction: ['补正告知书', 'Correction notice'], refuse: ['不予受理决定书', 'Refusal'], approve: ['准予许可决定书', 'Approval'],
  deny: ['不予许可决定书', 'Denial'], receipt: ['办事回执', 'Receipt'],
};
export const noticeLabel = (k, en) => (NOTICE_KINDS[k] ? NOTICE_KINDS[k][en ? 1 : 0] : k);

export const PROCEDURES = [
  ['site_inspection', '现场核查', 'Site inspection'], ['hearing', '听证', 'Hearing'],
  ['expert_review', '专家评审', 'Expert review'], ['testing', '检验检测', 'Testing'],
];

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
