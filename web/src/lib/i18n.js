// i18n.js — Chinese first, English beside. Shared words live in the message
// tables below (t('nav.home')); a page's own sentences use L('中文', 'English'),
// which follows the same locale. The choice is kept in localStorage.
import { createI18n } from 'vue-i18n';
import { computed } from 'vue';

const messages = {
  'zh-CN': {
    app: { title: '金普新区政务服务', subtitle: '大连金普新区 · 网上办事大厅' },
    nav: {
      home: '首页', items: '办事指南', verify: '证照核验', myCases: '我的办件', kaiban: '企业开办', land: '零时限审批', agents: '代办授权', parcels: '地块与合同', inbox: '我的消息',
      work: '工作台', tasks: '任务', dashboard: '领导驾驶舱', users: '账号与角色', catalog: '事项目录', calendar: '节假日日历',
      rules: '规则脚本', invest: '招商工作台', investActivities: '招商活动', investReport: '招商报表', ladder: '培育库', ladderStats: '梯度统计', myLadder: '我的梯度', talent: '人才政策', talentEntitlements: '享受名单', talentLedger: '预算台账', talentBatches: '代发批次', myTalent: '我的人才档案', talentCatalogue: '紧缺人才目录', indicators: '经济指标', minsheng: '惠民实事', login: '登录', logout: '退出', kiosk: '自助终端', lang: 'English',
    },
    common: {
      loading: '正在加载…', empty: '暂无数据', retry: '重试', search: '搜索', submit: '提交', cancel: '取消', confirm: '确定',
      save: '保存', back: '返回', download: '下载', close: '关闭', refresh: '刷新', details: '详情', all: '全部',
      prev: '上一页', next: '下一页', page: '第 {n} 页', total: '共 {n} 条', forbidden: '您无权查看此页面',
    },
  },
  en: {
    app: { title: 'Jinpu New Area Services', subtitle: 'Dalian Jinpu New Area · Online service hall' },
    nav: {
      home: 'Home', items: 'Service guide', verify: 'Verify a certificate', myCases: 'My cases', kaiban: 'Start a business', land: 'Zero-wait permits', agents: 'Agents', parcels: 'Parcels',
      inbox: 'Inbox', work: 'Workbench', tasks: 'Tasks', dashboard: 'Leaders’ board', users: 'Users & roles', catalog: 'Catalogue',
      calendar: 'Holiday calendar', rules: 'Rule scripts', invest: 'Investment projects', investActivities: 'Promotion activities', investReport: 'Investment report', ladder: 'Candidate pool', ladderStats: 'Ladder figures', myLadder: 'My ladder', talent: 'Talent policies', talentEntitlements: 'Entitlements', talentLedger: 'Budget ledger', talentBatches: 'Bank batches', myTalent: 'My talent record', talentCatalogue: 'Shortage talent', indicators: 'Indicators', minsheng: 'Livelihood projects', login: 'Log in', logout: 'Log out', kiosk: 'Kiosk', lang: '中文',
    },
    common: {
      loading: 'Loading…', empty: 'Nothing here yet', retry: 'Retry', search: 'Search', submit: 'Submit', cancel: 'Cancel',
      confirm: 'OK', save: 'Save', back: 'Back', download: 'Download', close: 'Close', refresh: 'Refresh', details: 'Details',
      all: 'All', prev: 'Previous', next: 'Next', page: 'Page {n}', total: '{n} in all', forbidden: 'You may not see this page',
    },
  },
};

let saved = 'zh-CN';
try { saved = localStorage.getItem('xq_locale') === 'en' ? 'en' : 'zh-CN'; } catch { /* private mode */ }

export const i18n = createI18n({ legacy: false, locale: saved, fallbackLocale: 'zh-CN', messages });

export const isEn = computed(() => i18n.global.locale.value === 'en');

// L(zh, en) is the text in the current language.
export function L(zh, en) { return i18n.global.locale.value === 'en' && en ? en : zh; }

export function setLocale(loc) {
  i18n.global.locale.value = loc;
  document.documentElement.lang = loc;
  try { localStorage.setItem('xq_locale', loc); } catch { /* ignore */ }
}

// errText(err) is an error's message in the current language.
export function errText(err) {
  if (!err) return '';
  if (typeof err.text === 'function') return err.text(i18n.global.locale.value);
  return String(err.message || err);
}
