// router.js — the pages. meta.roles says which roles a page is made for:
// the guard sends an anonymous visitor to the login page (and back after),
// and shows a role it is not made for a plain refusal. The server still
// checks every request on its own.
import { createRouter, createWebHistory } from 'vue-router';
import { session, loadSession } from './lib/session.js';

const APPLICANT = ['applicant'];
const OFFICIAL = ['clerk', 'approver', 'admin', 'leader', 'auditor'];
const ADMIN = ['admin'];
// 招商: the officers act on their department's projects; leaders and auditors read them all.
const INVEST = ['invest', 'admin', 'leader', 'auditor'];
// 企业梯度培育: the policy officers keep their department's rungs; leaders and auditors read them all.
const LADDER = ['policy', 'admin', 'leader', 'auditor'];
// 人才政策兑现: 人社局's policy officers keep the records; leaders and auditors read them all.
const TALENT = ['policy', 'admin', 'leader', 'auditor'];
const ANYONE = ['applicant', 'clerk', 'approver', 'policy', 'invest', 'leader', 'auditor', 'admin'];

const routes = [
  { path: '/', name: 'home', component: () => import('./pages/Home.vue') },
  { path: '/items/:code', name: 'item', component: () => import('./pages/ItemGuide.vue'), props: true },
  { path: '/verify/:code?', name: 'verify', component: () => import('./pages/Verify.vue'), props: true },
  // 惠民实事: the public page needs no login; the departments' page is for officials.
  { path: '/minsheng', name: 'minsheng', component: () => import('./pages/Minsheng.vue') },
  { path: '/minsheng/manage', name: 'minsheng-manage', component: () => import('./pages/MinshengManage.vue'), meta: { roles: ['clerk', 'approver', 'policy', 'invest', 'leader', 'auditor', 'admin'] } },
  { path: '/login', name: 'login', component: () => import('./pages/Login.vue') },
  { path: '/me/password', name: 'password', component: () => import('./pages/ChangePassword.vue'), meta: { roles: ANYONE } },
  { path: '/apply/:code', name: 'apply', component: () => import('./pages/Apply.vue'), props: true, meta: { roles: ['applicant', 'clerk', 'admin'] } },
  { path: '/my/cases', name: 'my-cases', component: () => import('./pages/MyCases.vue'), meta: { roles: APPLICANT } },
  // Investment officers too: the children of a bundle they filed for an investor (帮办).
  { path: '/cases/:no', name: 'case', component: () => import('./pages/CaseDetail.vue'), props: true, meta: { roles: [...APPLICANT, ...OFFICIAL, 'invest'] } },
  { path: '/kaiban', name: 'kaiban', component: () => import('./pages/Kaiban.vue'), meta: { roles: ['applicant', 'clerk', 'admin', 'invest'] } },
  { path: '/land', name: 'land', component: () => import('./pages/Land.vue'), meta: { roles: ['applicant', 'clerk', 'admin'] } },
  { path: '/agents', name: 'agents', component: () => import('./pages/Agents.vue'), meta: { roles: APPLICANT } },
  { path: '/parcels', name: 'parcels', component: () => import('./pages/Parcels.vue'), meta: { roles: ['invest', 'admin'] } },
  { path: '/invest', name: 'invest', component: () => import('./pages/InvestWorkbench.vue'), meta: { roles: INVEST } },
  { path: '/invest/projects/:code', name: 'invest-project', component: () => import('./pages/InvestProject.vue'), props: true, meta: { roles: INVEST } },
  { path: '/invest/activities', name: 'invest-activities', component: () => import('./pages/InvestActivities.vue'), meta: { roles: INVEST } },
  { path: '/invest/report', name: 'invest-report', component: () => import('./pages/InvestReport.vue'), meta: { roles: INVEST } },
  { path: '/ladder', name: 'ladder', component: () => import('./pages/LadderPool.vue'), meta: { roles: LADDER } },
  { path: '/ladder/enterprises/:uscc', name: 'ladder-enterprise', component: () => import('./pages/LadderEnterprise.vue'), props: true, meta: { roles: LADDER } },
  { path: '/ladder/stats', name: 'ladder-stats', component: () => import('./pages/LadderStats.vue'), meta: { roles: LADDER } },
  { path: '/my/ladder', name: 'my-ladder', component: () => import('./pages/LadderEnterprise.vue'), meta: { roles: APPLICANT } },
  // 紧缺人才目录: a published document, read by every logged-in role; the import is offered to those the server says may.
  { path: '/talent/catalogue', name: 'talent-catalogue', component: () => import('./pages/TalentCatalogue.vue'), meta: { roles: ANYONE } },
  { path: '/talent', name: 'talent', component: () => import('./pages/TalentPolicies.vue'), meta: { roles: ANYONE } },
  { path: '/talent/persons/:number', name: 'talent-person', component: () => import('./pages/TalentPerson.vue'), props: true, meta: { roles: TALENT } },
  { path: '/talent/feeds', name: 'talent-feeds', component: () => import('./pages/TalentFeeds.vue'), meta: { roles: TALENT } },
  { path: '/talent/scan', name: 'talent-scan', component: () => import('./pages/TalentScan.vue'), meta: { roles: TALENT } },
  { path: '/talent/entitlements', name: 'talent-entitlements', component: () => import('./pages/TalentEntitlements.vue'), meta: { roles: TALENT } },
  // A person reads its own entitlements too (the server answers another's as not found).
  { path: '/talent/entitlements/:id', name: 'talent-entitlement', component: () => import('./pages/TalentEntitlement.vue'), props: true, meta: { roles: [...TALENT, 'applicant'] } },
  { path: '/talent/whatif', name: 'talent-whatif', component: () => import('./pages/TalentWhatif.vue'), meta: { roles: TALENT } },
  { path: '/talent/batches', name: 'talent-batches', component: () => import('./pages/TalentBatches.vue'), meta: { roles: TALENT } },
  { path: '/talent/ledger', name: 'talent-ledger', component: () => import('./pages/TalentLedger.vue'), meta: { roles: TALENT } },
  { path: '/my/talent', name: 'my-talent', component: () => import('./pages/TalentPerson.vue'), meta: { roles: APPLICANT } },
  // 经济指标: every official reads them; the server decides who enters (the indicator's department).
  { path: '/records/:kind(cases|entities)', name: 'records', component: () => import('./pages/Records.vue'), meta: { roles: ['clerk', 'approver', 'policy', 'invest', 'leader', 'auditor', 'admin'] } },
  { path: '/indicators', name: 'indicators', component: () => import('./pages/Indicators.vue'), meta: { roles: ['clerk', 'approver', 'policy', 'invest', 'leader', 'auditor', 'admin'] } },
  { path: '/bundles/:id', name: 'bundle', component: () => import('./pages/Bundle.vue'), props: true, meta: { roles: [...APPLICANT, ...OFFICIAL, 'invest'] } },
  { path: '/inbox', name: 'inbox', component: () => import('./pages/Inbox.vue'), meta: { roles: [...APPLICANT, ...OFFICIAL, 'policy', 'invest'] } },
  { path: '/work', name: 'work', component: () => import('./pages/Workbench.vue'), meta: { roles: OFFICIAL } },
  { path: '/window', name: 'window', component: () => import('./pages/WindowIntake.vue'), meta: { roles: ['clerk', 'admin'] } },
  { path: '/work/tasks', name: 'tasks', component: () => import('./pages/Tasks.vue'), meta: { roles: [...OFFICIAL, 'policy'] } },
  // 领导驾驶舱: every official reads the board; ?wall=1 is its wall screen, without the app's header (App.vue).
  { path: '/dashboard', name: 'dashboard', component: () => import('./pages/Dashboard.vue'), meta: { roles: ['leader', 'admin', 'auditor', 'clerk', 'approver', 'policy', 'invest'], wall: true } },
  { path: '/admin/users', name: 'users', component: () => import('./pages/AdminUsers.vue'), meta: { roles: ADMIN } },
  { path: '/admin/catalog', name: 'catalog', component: () => import('./pages/AdminCatalog.vue'), meta: { roles: ADMIN } },
  { path: '/admin/calendar', name: 'calendar', component: () => import('./pages/AdminCalendar.vue'), meta: { roles: ADMIN } },
  { path: '/admin/rules', name: 'rules', component: () => import('./pages/AdminRules.vue'), meta: { roles: ADMIN } },
  { path: '/kiosk', name: 'kiosk', component: () => import('./pages/Kiosk.vue'), meta: { kiosk: true, bare: true } },
  { path: '/:rest(.*)*', name: 'notfound', component: () => import('./pages/NotFound.vue') },
];

export const router = createRouter({
  history: createWebHistory(),
  routes,
  scrollBehavior: () => ({ top: 0 }),
});

router.beforeEach(async (to) => {
  await loadSession();
  const roles = to.meta.roles;
  if (!roles) return true;
  if (!session.user) return { name: 'login', query: { next: to.fullPath } };
  // A password someone else knows is changed first: the server answers
  // nothing else (auth.password_change_required) until it is.
  if (session.user.must_change_password && to.name !== 'password') return { name: 'password', query: { next: to.fullPath } };
  return true;
});
