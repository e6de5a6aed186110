// invest.js — what the 招商 pages share: the stages' labels (from GET
// /api/v1/workflows, the server's one source), money in 亿元/万元, and the
// choices a project's and a fund's forms offer.
import { reactive } from 'vue';
import { api } from './api.js';
import { L } from './i18n.js';

// The stages in their order, with the moves' labels, once loaded.
export const investFlow = reactive({ states: [], moves: [], steps: [], loaded: false });
export const STAGES = ['lead', 'talks', 'signed', 'registered', 'started', 'producing', 'full', 'stopped'];

let loading = null;
export function loadInvestFlow() {
  if (investFlow.loaded) return Promise.resolve();
  if (!loading) {
    loading = api.get('/workflows').then((all) => {
      const wf = (all.items || all).find((w) => w.kind === 'invest');
      if (wf) Object.assign(investFlow, { states: wf.states, moves: wf.moves, steps: wf.steps || [], loaded: true });
    }).finally(() => { loading = null; });
  }
  return loading;
}

// stageLabel(s) is stage s's label in the current language (its code until loaded).
export function stageLabel(s) {
  const st = investFlow.states.find((x) => x.state === s);
  return st ? L(st.label, st.label_en) : s;
}

// big(minor) is an amount in fen as 亿元 (from a hundred million yuan) or 万元.
export function big(minor, unit = ['元', 'yuan']) {
  if (minor === null || minor === undefined) return '—';
  const y = Number(minor) / 100;
  const [zh, en] = Array.isArray(unit) ? unit : [unit, unit];
  const en_ = `${(y / 1e6).toLocaleString('en', { maximumFractionDigits: 2 })} million ${en}`;
  if (Math.abs(y) >= 1e8) return L(`${(y / 1e8).toLocaleString('zh-CN', { maximumFractionDigits: 2 })} 亿${zh}`, en_);
  if (Math.abs(y) >= 1e4) return L(`${(y / 1e4).toLocaleString('zh-CN', { maximumFractionDigits: 2 })} 万${zh}`, en_);
  return `${y.toLocaleString('zh-CN', { maximumFractionDigits: 2 })} ${L(zh, en)}`;
}
// money(m) is a money object of the API ({amount, currency, minor}) in full.
export const money = (m) => (m ? `${Number(m.minor / 100).toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 })} ${m.currency}` : '—');

export const ORIGINS = { domestic: ['内资', 'Domestic'], foreign: ['外资', 'Foreign'] };
export const INVESTOR_KINDS = { entity: ['企业（统一社会信用代码）', 'Enterprise (USCC)'], foreign: ['境外投资者', 'Foreign investor'], person: ['自然人', 'Person'] };
export const FUND_KINDS = { fixed: ['固定资产投资', 'Fixed assets'], working: ['流动资金', 'Working capital'] };
export const FUND_SOURCES = { out_of_province: ['省外', 'Other provinces'], in_province: ['省内', 'This province'], foreign: ['境外', 'Abroad'] };
export const CURRENCIES = ['CNY', 'USD', 'EUR', 'JPY', 'HKD', 'GBP', 'KRW', 'SGD'];
export const lbl = (table, k) => (table[k] ? L(table[k][0], table[k][1]) : k || '—');

// today() is today's date in Beijing, YYYY-MM-DD.
export function today() {
  const d = new Date(Date.now() + 8 * 3600_000);
  return d.toISOString().slice(0, 10);
}
