// catalog.js — helpers for catalogue items and departments.
import { ref, watch } from 'vue';
import { api } from './api.js';
import { L } from './i18n.js';

let depts = null;
const deptList = ref([]);

// useDepartments() loads the public department list once per page load.
export function useDepartments() {
  if (!depts) {
    depts = api.get('/departments').then((r) => { deptList.value = r.items || []; }).catch(() => { depts = null; });
  }
  const deptName = (code) => {
    const d = deptList.value.find((x) => x.code === code || x.id === code);
    return d ? (L(d.name, d.name_en || d.name)) : code || '';
  };
  const deptById = (id) => {
    const d = deptList.value.find((x) => x.id === id);
    return d ? L(d.name, d.name_en || d.name) : '';
  };
  return { deptList, deptName, deptById };
}

// limitText(item) is the promised / legal time limit in words.
export function limitText(it) {
  if (!it) return '';
  const unit = it.limit_unit === 'workhours' ? L('个工作小时', ' working hours') : L('个工作日', ' working days');
  if (it.handling === 'instant' || it.promised_limit === 0) return L('即来即办', 'Decided at once');
  return L(`承诺 ${it.promised_limit}${unit}（法定 ${it.legal_limit}${unit}）`,
    `Promised ${it.promised_limit}${unit} (legal ${it.legal_limit}${unit})`);
}

export const FORM_LABELS = { original: ['原件', 'Original'], copy: ['复印件', 'Copy'], electronic: ['电子件', 'Electronic'], form: ['申请表', 'Form'] };
export const SOURCE_LABELS = { 'registry.entity': ['由市场主体登记库自动获取，无需上传', 'Fetched from the market-entity registry'], 'registry.person': ['由人口信息库自动获取，无需上传', 'Fetched from the person registry'] };

// The catalogue's tabs: 个人办事 lists the items a person may file, 法人办事
// those an entity may file (items for both appear under each); '' is all.
// The last tab chosen is kept for the guide page's breadcrumb.
export const TABS = [
  { key: '', zh: '全部事项', en: 'All services' },
  { key: 'person', zh: '个人办事', en: 'For persons' },
  { key: 'entity', zh: '法人办事', en: 'For businesses' },
];
let savedTab = '';
try { savedTab = sessionStorage.getItem('xq_tab') || ''; } catch { /* private mode */ }
export const lastTab = ref(['person', 'entity'].includes(savedTab) ? savedTab : '');
watch(lastTab, (v) => { try { sessionStorage.setItem('xq_tab', v); } catch { /* private mode */ } });

let themesP = null;
const themeList = ref([]);

// useThemes() loads the 主题 list (GET /catalog/themes) once per page load.
export function useThemes() {
  if (!themesP) {
    themesP = api.get('/catalog/themes').then((r) => { themeList.value = r.themes || []; }).catch(() => { themesP = null; });
  }
  const themeName = (name) => {
    const t = themeList.value.find((x) => x.name === name);
    return t ? L(t.name, t.name_en) : name;
  };
  return { themeList, themeName };
}
