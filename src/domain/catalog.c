/*
** catalog.c — the service catalogue (see catalog.h). All SQL on item and
** item_version lives here. A save never changes a version a case may hold:
** it only ends the open version (effective_to) and adds a new one.
*/
#include "catalog.h"
#include "rules.h"
#include "audit.h"
#include "../base/buf.h"
#include "../base/cal.h"
#include "../base/csv.h"
#include "../base/jsonx.h"
#include "../base/xlsx.h"

#include <ctype.h>
#include <string.h>
#include <xlsxwriter.h>

const char *const catalog_mode_keys[CATALOG_NMODE] = {"instant", "auto", "online", "rongque",
                                                      "promise"};
const char *const catalog_mode_labels[CATALOG_NMODE] = {"即来即办", "秒批秒办", "全程网办",
                                                        "容缺受理", "告知承诺"};

static const char *const kinds[] = {"行政许可", "行政确认", "行政给付",
                                    "行政备案", "公共服务", "其他行政权力"};
static const char *const forms[] = {"original", "copy", "electronic", "form"};
static const char *const parties[] = {"", "entity", "person"};
static const char *const registry_effects[] = {"", "register", "change", "reissue", "cancel"};
static const char *const reform_modes[] = {"", "直接取消审批", "审批改为备案", "实行告知承诺",
                                           "优化审批服务"};

/* The 主题 (life events) of the catalogue, the one list: item themes must
** be among these names; the catalogue's theme filter offers them. */
const CatalogTheme catalog_themes[] = {
    {"开办企业", "Starting a business", "entity"},
    {"经营许可", "Business licences", "entity"},
    {"工程建设", "Construction projects", "entity"},
    {"纳税缴费", "Taxes and fees", ""},
    {"企业注销", "Closing a business", "entity"},
    {"科技创新", "Science and innovation", "entity"},
    {"农业农村", "Farming and rural life", ""},
    {"文化旅游", "Culture and tourism", "entity"},
    {"生态环保", "Environment", "entity"},
    {"安全生产", "Work safety", "entity"},
    {"就业创业", "Jobs and self-employment", ""},
    {"社会保障", "Social insurance", ""},
    {"户籍办理", "Household registration and ID", "person"},
    {"医疗卫生", "Health", ""},
    {"婚姻生育", "Marriage and childbirth", "person"},
    {"教育", "Education", ""},
    {"住房", "Housing", ""},
    {"交通出行", "Transport", ""},
    {"退休养老", "Retirement and old age", "person"},
    {"残疾人服务", "Disability services", "person"},
    {"社会救助", "Social assistance", "person"},
    {"退役军人", "Veterans", "person"},
};
const int nCatalogTheme = (int)XQ_COUNT(catalog_themes);

json_t *catalog_themes_json(void) {
  json_t *a = json_array();
  for (int i = 0; i < nCatalogTheme; i++)
    json_array_append_new(a, json_pack("{s:s, s:s, s:s}", "name", catalog_themes[i].name, "name_en",
                                       catalog_themes[i].name_en, "parties", catalog_themes[i].parties));
  return json_pack("{s:o}", "themes", a);
}

/* theme_known() is true when name (n bytes) is one of catalog_themes. */
static bool theme_known(const char *name, size_t n) {
  for (int i = 0; i < nCatalogTheme; i++)
    if (strlen(catalog_themes[i].name) == n && memcmp(catalog_themes[i].name, name, n) == 0) return true;
  return false;
}

/* The SQL condition "version effective on the date bound twice". */
#define EFFECTIVE                                                                              \
  "item_version.effective_from <= ? AND (item_version.effective_to = '' OR "                   \
  "item_version.effective_to >= ?)"

#define ITEM_COLS                                                                              \
  "item_version.id, item.id, item.code, item_version.version, item_version.effective_from,"    \
  " item_version.effective_to, department.code, item_version.dept_id, item_version.name,"      \
  " item_version.kind, item_version.legal_basis, item_version.conditions,"                     \
  " item_version.materials, item_version.legal_limit, item_version.promised_limit,"            \
  " item_version.limit_unit, item_version.fees, item_version.handling, item_version.ch_window," \
  " item_version.ch_online, item_version.ch_kiosk, item_version.visits, item_version.rule,"    \
  " item_version.postcheck_pct, item_version.allow_rongque, item_version.allow_promise,"        \
  " item_version.promise_verify_days, item_version.safety, item_version.reform_mode,"          \
  " item_version.output_kind, item_version.output_valid_months, item_version.form,"             \
  " item_version.parties, item_version.registry_effect, item_version.guide,"                    \
  " item_version.themes, item_version.keywords"

#define ITEM_FROM                                                                              \
  " FROM item_version JOIN item ON item.id = item_version.item_id"                             \
  " JOIN department ON department.id = item_version.dept_id"

void catalog_item_free(Item *it) {
  free(it->rule);
  json_decref(it->form);
  json_decref(it->guide);
  it->rule = NULL;
  it->form = NULL;
  it->guide = NULL;
}

static bool in_list(const char *s, const char *const *a, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (strcmp(s, a[i]) == 0) return true;
  return false;
}

static const char *unit_name(eLimitUnit u) { return u == LIMIT_WORKHOURS ? "workhours" : "workdays"; }
static const char *handling_name(eHandling h) { return h == HANDLING_INSTANT ? "instant" : "promise"; }

/* text_ok() is true when s is valid UTF-8 of at most max characters. */
static bool text_ok(const char *s, size_t max) {
  return utf8_valid(s, strlen(s)) && utf8_len(s) <= max;
}

/* date_ok() is true for "" (when empty_ok) or a real YYYY-MM-DD date. */
static bool date_ok(const char *s, bool empty_ok) {
  int day;
  if (!*s) return empty_ok;
  return cal_parse_date(s, &day) == 0;
}

static int too_long(Err *e, const char *field, int max) {
  char m[16];
  snprintf(m, sizeof m, "%d", max);
  return err_setf(e, E_INVALID, "catalog.too_long", field, "应为有效文本，最多 %s 个字符",
                  "Must be valid text of at most %s characters", m);
}

/* bad_guide() fills *e for guide member name (what it should be). */
static int bad_guide(Err *e, const char *name, const char *zh, const char *en) {
  char field[64], mzh[256], men[256];
  snprintf(field, sizeof field, "guide.%s", name);
  snprintf(mzh, sizeof mzh, "办事指南的%s", zh);
  snprintf(men, sizeof men, "The guide's %s", en);
  return err_set(e, E_INVALID, "catalog.bad_guide", field, mzh, men);
}

/* digits() is the number of ASCII digits at the start of s. */
static size_t digits(const char *s) { return strspn(s, "0123456789"); }

/* phone_ok() is true for a telephone number as catalog.h describes: an area
** code (0 and 2–3 digits), "-", 7–8 digits and maybe "-" and a 1–6 digit
** extension; a 5-digit service number starting 1 or 9; a mobile (1, 3–9,
** 9 more digits); or 400/800-ddd-dddd. */
static bool phone_ok(const char *s) {
  size_t n = strlen(s), d = digits(s);
  if (d == n) return (n == 5 && (s[0] == '1' || s[0] == '9')) || (n == 11 && s[0] == '1' && s[1] >= '3');
  if ((strncmp(s, "400-", 4) == 0 || strncmp(s, "800-", 4) == 0) && n == 12)
    return digits(s + 4) == 3 && s[7] == '-' && digits(s + 8) == 4;
  if (s[0] != '0' || (d != 3 && d != 4) || s[d] != '-') return false;
  const char *p = s + d + 1;
  size_t local = digits(p);
  if (local < 7 || local > 8) return false;
  p += local;
  if (!*p) return true;
  return *p == '-' && digits(p + 1) >= 1 && digits(p + 1) <= 6 && !p[1 + digits(p + 1)];
}

/* guide_check() checks a guide object as catalog.h describes. */
static int guide_check(const json_t *g, Err *e) {
  static const struct { const char *name, *zh, *en; size_t max; bool phone; } texts[] = {
      {"place", "办理地点", "place", 100, false},       {"window", "窗口", "window", 50, false},
      {"hours", "办公时间", "hours", 100, false},       {"phone", "咨询电话", "phone", 32, true},
      {"complaint_phone", "监督投诉电话", "complaint phone", 32, true}};
  const char *k;
  json_t *v;
  if (!json_is_object(g))
    return err_set(e, E_INVALID, "catalog.bad_guide", "guide", "办事指南应为对象", "The guide must be an object");
  json_object_foreach((json_t *)g, k, v) {
    bool known = strcmp(k, "steps") == 0;
    for (size_t i = 0; i < XQ_COUNT(texts); i++) known |= strcmp(k, texts[i].name) == 0;
    if (!known) {
      char name[40];
      snprintf(name, sizeof name, "%.32s", k);
      return bad_guide(e, name, "未知项", "unknown member");
    }
  }
  for (size_t i = 0; i < XQ_COUNT(texts); i++) {
    const json_t *t = json_object_get(g, texts[i].name);
    if (!t) continue;
    const char *s = json_string_value(t);
    char zh[128], en[128];
    snprintf(zh, sizeof zh, "%s应为不超过 %zu 个字符的文本", texts[i].zh, texts[i].max);
    snprintf(en, sizeof en, "%s must be text of at most %zu characters", texts[i].en, texts[i].max);
    if (!s || !text_ok(s, texts[i].max)) return bad_guide(e, texts[i].name, zh, en);
    if (texts[i].phone && *s && !phone_ok(s))
      return bad_guide(e, texts[i].name, "电话号码格式无效（如 0411-87654321、12345、13912345678）",
                       "phone number is not one (e.g. 0411-87654321, 12345, 13912345678)");
  }
  const json_t *steps = json_object_get(g, "steps");
  if (!steps) return 0;
  if (!json_is_array(steps) || json_array_size(steps) > 12)
    return bad_guide(e, "steps", "办理流程应为不超过 12 步的数组", "steps must be an array of at most 12 steps");
  size_t i;
  json_t *st;
  json_array_foreach(steps, i, st) {
    const char *name = json_string_value(json_object_get(st, "name"));
    const json_t *desc = json_object_get(st, "description");
    size_t nk = json_object_size(st);
    if (!json_is_object(st) || !name || !*name || !text_ok(name, 40) ||
        (desc && (!json_is_string(desc) || !text_ok(json_string_value(desc), 200))) || nk != 1u + (desc != NULL))
      return bad_guide(e, "steps", "每一步应为 {name（1–40 字）, description（可选，≤ 200 字）}",
                       "each step must be {name (1–40 characters), description (optional, ≤ 200)}");
  }
  return 0;
}

/* list_check() checks a "|"-separated list: at most max parts, none empty
** or repeated, each valid text of at most len characters and (when known
** is not NULL) known. Returns the 1-based number of the first bad part, or
** 0 when it is good (-1 when there are too many parts). */
static int list_check(const char *list, int max, size_t len, bool (*known)(const char *, size_t)) {
  int n = 0;
  if (!*list) return 0;
  if (!utf8_valid(list, strlen(list))) return 1;
  for (const char *p = list;; ) {
    size_t k = strcspn(p, "|");
    if (++n > max) return -1;
    char part[128];
    if (k == 0 || k >= sizeof part) return n;
    memcpy(part, p, k);
    part[k] = 0;
    if (utf8_len(part) > len || (known && !known(part, k))) return n;
    for (const char *q = list; q < p;) { /* repeated? */
      size_t kq = strcspn(q, "|");
      if (kq == k && memcmp(q, p, k) == 0) return n;
      q += kq + 1;
    }
    if (!p[k]) break;
    p += k + 1;
  }
  return 0;
}

int catalog_item_check(const Item *it, Err *e) {
  size_t n = strlen(it->code);
  if (n < 2 || n > 39)
    return err_set(e, E_INVALID, "catalog.bad_code", "code", "事项编码应为 2–39 个字符",
                   "The item code must be 2–39 characters");
  for (const char *p = it->code; *p; p++)
    if (!isalnum((unsigned char)*p) && *p != '-' && *p != '_')
      return err_set(e, E_INVALID, "catalog.bad_code", "code",
                     "事项编码只能包含字母、数字、“-”和“_”",
                     "The item code may hold only letters, digits, '-' and '_'");
  if (!text_ok(it->name, 100) || utf8_len(it->name) < 2)
    return err_set(e, E_INVALID, "catalog.bad_name", "name", "事项名称应为 2–100 个字符",
                   "The item name must be 2–100 characters");
  if (!it->dept_code[0])
    return err_set(e, E_INVALID, "catalog.bad_dept", "dept_code", "请指定实施部门",
                   "The department is missing");
  if (!in_list(it->kind, kinds, XQ_COUNT(kinds)))
    return err_setf(e, E_INVALID, "catalog.bad_kind", "kind",
                    "事项类型无效：%s（可选 行政许可 行政确认 行政给付 行政备案 公共服务 其他行政权力）",
                    "Invalid item kind: %s (one of 行政许可 行政确认 行政给付 行政备案 公共服务 其他行政权力)",
                    it->kind);
  if (!date_ok(it->effective_from, true))
    return err_setf(e, E_INVALID, "catalog.bad_date", "effective_from", "生效日期无效：%s",
                    "Invalid effective date: %s", it->effective_from);
  if (!date_ok(it->effective_to, true) ||
      (it->effective_to[0] && it->effective_from[0] &&
       strcmp(it->effective_to, it->effective_from) < 0))
    return err_setf(e, E_INVALID, "catalog.bad_date", "effective_to",
                    "失效日期无效或早于生效日期：%s", "Invalid end date, or before the start: %s",
                    it->effective_to);
  if (!text_ok(it->legal_basis, 500)) return too_long(e, "legal_basis", 500);
  if (!text_ok(it->conditions, 1000)) return too_long(e, "conditions", 1000);
  if (!text_ok(it->fees, 100)) return too_long(e, "fees", 100);
  if (!it->fees[0])
    return err_set(e, E_INVALID, "catalog.bad_fees", "fees", "请填写收费标准（不收费请写“不收费”）",
                   "State the fees (write 不收费 when there are none)");
  if (it->nMaterial < 0 || it->nMaterial > CATALOG_MAX_MATERIALS)
    return err_set(e, E_INVALID, "catalog.bad_material", "materials", "材料最多 24 项",
                   "At most 24 materials");
  for (int i = 0; i < it->nMaterial; i++) {
    const Material *m = &it->aMaterial[i];
    char where[16];
    snprintf(where, sizeof where, "%d", i + 1);
    size_t kn = strlen(m->key);
    bool key_ok = kn >= 1 && kn <= 23;
    for (const char *p = m->key; *p; p++)
      key_ok &= (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_';
    if (!key_ok)
      return err_setf(e, E_INVALID, "catalog.bad_material", "materials",
                      "第 %s 项材料的键应为 1–23 个小写字母、数字或“_”",
                      "The key of material %s must be 1–23 of a-z, 0-9, _", where);
    for (int k = 0; k < i; k++)
      if (strcmp(it->aMaterial[k].key, m->key) == 0)
        return err_setf(e, E_INVALID, "catalog.duplicate_material", "materials",
                        "材料键重复：%s", "Duplicate material key: %s", m->key);
    if (!text_ok(m->name, 60) || !m->name[0])
      return err_setf(e, E_INVALID, "catalog.bad_material", "materials",
                      "第 %s 项材料的名称应为 1–60 个字符",
                      "The name of material %s must be 1–60 characters", where);
    if (!in_list(m->form, forms, XQ_COUNT(forms)))
      return err_setf(e, E_INVALID, "catalog.bad_material", "materials",
                      "第 %s 项材料的形式应为 original copy electronic form 之一",
                      "The form of material %s must be one of original copy electronic form",
                      where);
    bool src_ok = strlen(m->source) <= 80;
    for (const char *p = m->source; *p; p++)
      src_ok &= (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_' || *p == '.';
    if (!src_ok)
      return err_setf(e, E_INVALID, "catalog.bad_material", "materials",
                      "第 %s 项材料的数据来源无效（如 registry.entity）",
                      "The source of material %s is invalid (e.g. registry.entity)", where);
    if (m->core && m->may_miss)
      return err_setf(e, E_INVALID, "catalog.core_may_miss", "materials",
                      "核心要件不能容缺：%s", "A core material cannot be missing: %s", m->key);
  }
  if (it->limit_unit != LIMIT_WORKDAYS && it->limit_unit != LIMIT_WORKHOURS)
    return err_set(e, E_INVALID, "catalog.bad_limit_unit", "limit_unit",
                   "时限单位应为 workdays 或 workhours", "The limit unit must be workdays or workhours");
  if (it->legal_limit < 0 || it->legal_limit > 3650)
    return err_set(e, E_INVALID, "catalog.bad_limit", "legal_limit", "法定时限应在 0–3650 之间",
                   "The legal limit must be 0–3650");
  if (it->promised_limit < 0 || it->promised_limit > 3650)
    return err_set(e, E_INVALID, "catalog.bad_limit", "promised_limit", "承诺时限应在 0–3650 之间",
                   "The promised limit must be 0–3650");
  if (it->promised_limit > it->legal_limit)
    return err_set(e, E_INVALID, "catalog.promised_over_legal", "promised_limit",
                   "承诺时限不能超过法定时限", "The promised limit cannot exceed the legal limit");
  if (it->handling != HANDLING_INSTANT && it->handling != HANDLING_PROMISE)
    return err_set(e, E_INVALID, "catalog.bad_handling", "handling",
                   "办件类型应为 instant（即办件）或 promise（承诺件）",
                   "Handling must be instant or promise");
  if (it->handling == HANDLING_INSTANT && it->promised_limit != 0)
    return err_set(e, E_INVALID, "catalog.instant_limit", "promised_limit",
                   "即办件的承诺时限应为 0", "An instant item has a promised limit of 0");
  if (!it->ch_window && !it->ch_online && !it->ch_kiosk)
    return err_set(e, E_INVALID, "catalog.no_channel", "channels", "至少需要一个办理渠道",
                   "At least one channel is needed");
  if (it->visits != 0 && it->visits != 1)
    return err_set(e, E_INVALID, "catalog.bad_visits", "visits", "跑动次数应为 0 或 1",
                   "Visits must be 0 or 1");
  if (it->rule && (strlen(it->rule) > 65536 || !utf8_valid(it->rule, strlen(it->rule))))
    return err_set(e, E_INVALID, "catalog.bad_rule", "rule", "规则应为不超过 64 KiB 的 UTF-8 文本",
                   "The rule must be UTF-8 text of at most 64 KiB");
  /* A 秒批 rule must compile in the sandbox before it is saved. */
  if (it->rule && it->rule[0] && rules_check(it->rule, e)) {
    snprintf(e->field, sizeof e->field, "rule");
    return -1;
  }
  if (it->postcheck_pct < 0 || it->postcheck_pct > 100)
    return err_set(e, E_INVALID, "catalog.bad_postcheck", "postcheck_pct",
                   "事后抽查比例应在 0–100 之间", "The post-check share must be 0–100");
  if (it->promise_verify_days < 0 || it->promise_verify_days > 365 ||
      (it->allow_promise && it->promise_verify_days < 1))
    return err_set(e, E_INVALID, "catalog.bad_promise_verify", "promise_verify_days",
                   "告知承诺的核查期限应为 1–365 个工作日",
                   "The verification period of a promise must be 1–365 working days");
  if (it->safety && it->allow_rongque)
    return err_set(e, E_INVALID, "catalog.safety_rongque", "allow_rongque",
                   "涉及公共安全、生态环境和人身财产安全的事项不适用容缺受理",
                   "Items touching public safety, environment or life and property cannot "
                   "accept missing materials");
  if (it->safety && it->allow_promise)
    return err_set(e, E_INVALID, "catalog.safety_promise", "allow_promise",
                   "涉及公共安全、生态环境和人身财产安全的事项不适用告知承诺",
                   "Items touching public safety, environment or life and property cannot be "
                   "approved on a promise");
  bool promise_form = false;
  for (int i = 0; i < it->nMaterial; i++) promise_form |= strcmp(it->aMaterial[i].key, PROMISE_MATERIAL) == 0;
  if (it->allow_promise && !promise_form)
    return err_set(e, E_INVALID, "catalog.promise_material", "materials",
                   "适用告知承诺的事项须列出材料“" PROMISE_MATERIAL "”（告知承诺书）",
                   "An item allowing 告知承诺 must list the material \"" PROMISE_MATERIAL "\" (the signed promise)");
  if (!in_list(it->reform_mode, reform_modes, XQ_COUNT(reform_modes)))
    return err_setf(e, E_INVALID, "catalog.bad_reform_mode", "reform_mode",
                    "证照分离改革方式无效：%s", "Invalid reform mode: %s", it->reform_mode);
  if (!text_ok(it->output_kind, 30)) return too_long(e, "output_kind", 30);
  if (!in_list(it->parties, parties, XQ_COUNT(parties)))
    return err_setf(e, E_INVALID, "catalog.bad_parties", "parties",
                    "服务对象应为 entity（法人）、person（自然人）或留空（均可）：%s",
                    "parties must be entity, person or empty (both): %s", it->parties);
  if (!in_list(it->registry_effect, registry_effects, XQ_COUNT(registry_effects)))
    return err_setf(e, E_INVALID, "catalog.bad_registry_effect", "registry_effect",
                    "登记效果应为 register（设立）、change（变更）、reissue（补领）、cancel（注销）或留空：%s",
                    "registry_effect must be register, change, reissue, cancel or empty: %s", it->registry_effect);
  bool licence = strcmp(it->registry_effect, "register") == 0 || strcmp(it->registry_effect, "change") == 0 ||
                 strcmp(it->registry_effect, "reissue") == 0;
  if (licence && !it->output_kind[0])
    return err_set(e, E_INVALID, "catalog.registry_effect_output", "output_kind",
                   "设立、变更、补领登记应出具证照（填写办理结果）",
                   "A registration, change or reissue issues a licence: name the output");
  if (it->registry_effect[0] && strcmp(it->registry_effect, "register") != 0 && strcmp(it->parties, "entity") != 0)
    return err_set(e, E_INVALID, "catalog.registry_effect_parties", "parties",
                   "变更、补领、注销登记由已登记的市场主体申请（服务对象应为法人和其他组织）",
                   "A change, reissue or cancellation is filed by the registered entity (parties must be entity)");
  if (it->output_valid_months < 0 || it->output_valid_months > 1200)
    return err_set(e, E_INVALID, "catalog.bad_validity", "output_valid_months",
                   "证照有效期应为 0（长期）到 1200 个月", "Validity must be 0 (long-term) to 1200 months");
  if (it->guide && guide_check(it->guide, e)) return -1;
  char m[16];
  int bad = list_check(it->themes, 5, 8, theme_known);
  snprintf(m, sizeof m, "%d", bad);
  if (bad < 0) return err_set(e, E_INVALID, "catalog.bad_theme", "themes", "主题最多 5 个", "At most 5 themes");
  if (bad)
    return err_setf(e, E_INVALID, "catalog.bad_theme", "themes",
                    "第 %s 个主题不在主题目录中或重复（见 /api/v1/catalog/themes）",
                    "Theme %s is not in the theme list, or repeated (see /api/v1/catalog/themes)", m);
  bad = list_check(it->keywords, 10, 20, NULL);
  snprintf(m, sizeof m, "%d", bad);
  if (bad < 0) return err_set(e, E_INVALID, "catalog.bad_keywords", "keywords", "关键词最多 10 个", "At most 10 keywords");
  if (bad)
    return err_setf(e, E_INVALID, "catalog.bad_keywords", "keywords", "第 %s 个关键词应为 1–20 个字符且不重复",
                    "Keyword %s must be 1–20 characters, not repeated", m);
  return 0;
}

/* JSON ---------------------------------------------------------------------- */

static json_t *materials_json(const Item *it) {
  json_t *a = json_array();
  for (int i = 0; i < it->nMaterial; i++) {
    const Material *m = &it->aMaterial[i];
    json_array_append_new(a, json_pack("{s:s, s:s, s:b, s:b, s:s, s:s}", "key", m->key, "name",
                                       m->name, "core", m->core, "may_miss", m->may_miss, "form",
                                       m->form, "source", m->source));
  }
  return a;
}

/* channels_text() writes "window|online|kiosk" (the ones set) into out. */
static void channels_text(const Item *it, char out[32]) {
  out[0] = 0;
  if (it->ch_window) strcat(out, "window");
  if (it->ch_online) strcat(strcat(out, out[0] ? "|" : ""), "online");
  if (it->ch_kiosk) strcat(strcat(out, out[0] ? "|" : ""), "kiosk");
}

/* list_json() is a "|"-separated list as a new JSON array of strings. */
static json_t *list_json(const char *list) {
  json_t *a = json_array();
  for (const char *p = list; *p;) {
    size_t k = strcspn(p, "|");
    json_array_append_new(a, json_stringn(p, k));
    if (!p[k]) break;
    p += k + 1;
  }
  return a;
}

/* list_from_json() joins the strings of array a with "|" into out (cap
** bytes); -1 with *e (code, naming field) when a is not an array of at
** most max strings without "|" that fit. */
static int list_from_json(const json_t *a, int max, char *out, size_t cap, const char *code,
                          const char *field, Err *e) {
  Buf b = {0};
  size_t i;
  json_t *v;
  bool ok = json_is_array(a) && json_array_size(a) <= (size_t)max;
  json_array_foreach(a, i, v) {
    const char *t = json_string_value(v);
    ok &= t && !strchr(t, '|') && utf8_valid(t, strlen(t));
    if (!ok) break;
    if (i) buf_putc(&b, '|');
    buf_puts(&b, t);
  }
  ok &= b.n < cap;
  if (ok) snprintf(out, cap, "%s", b.n ? b.a : "");
  buf_free(&b);
  if (!ok)
    return err_setf(e, E_INVALID, code, field, "%s 应为不超过规定个数的字符串数组（不含“|”）",
                    "%s must be an array of a limited number of strings (without '|')", field);
  return 0;
}

json_t *catalog_item_json(const Item *it) {
  json_t *o = json_object(), *ch = json_array(), *modes = json_array();
  if (it->ch_window) json_array_append_new(ch, json_string("window"));
  if (it->ch_online) json_array_append_new(ch, json_string("online"));
  if (it->ch_kiosk) json_array_append_new(ch, json_string("kiosk"));
  bool has[CATALOG_NMODE] = {it->handling == HANDLING_INSTANT, it->rule && it->rule[0],
                             it->ch_online, it->allow_rongque, it->allow_promise};
  for (int i = 0; i < CATALOG_NMODE; i++)
    if (has[i]) json_array_append_new(modes, json_string(catalog_mode_keys[i]));
  json_object_set_new(o, "version_id", json_integer(it->version_id));
  json_object_set_new(o, "code", json_string(it->code));
  json_object_set_new(o, "version", json_integer(it->version));
  json_object_set_new(o, "effective_from", json_string(it->effective_from));
  json_object_set_new(o, "effective_to", json_string(it->effective_to));
  json_object_set_new(o, "dept_code", json_string(it->dept_code));
  json_object_set_new(o, "name", json_string(it->name));
  json_object_set_new(o, "kind", json_string(it->kind));
  json_object_set_new(o, "legal_basis", json_string(it->legal_basis));
  json_object_set_new(o, "conditions", json_string(it->conditions));
  json_object_set_new(o, "materials", materials_json(it));
  json_object_set_new(o, "legal_limit", json_integer(it->legal_limit));
  json_object_set_new(o, "promised_limit", json_integer(it->promised_limit));
  json_object_set_new(o, "limit_unit", json_string(unit_name(it->limit_unit)));
  json_object_set_new(o, "fees", json_string(it->fees));
  json_object_set_new(o, "handling", json_string(handling_name(it->handling)));
  json_object_set_new(o, "channels", ch);
  json_object_set_new(o, "visits", json_integer(it->visits));
  json_object_set_new(o, "rule", json_string(it->rule ? it->rule : ""));
  json_object_set_new(o, "postcheck_pct", json_integer(it->postcheck_pct));
  json_object_set_new(o, "allow_rongque", json_boolean(it->allow_rongque));
  json_object_set_new(o, "allow_promise", json_boolean(it->allow_promise));
  json_object_set_new(o, "promise_verify_days", json_integer(it->promise_verify_days));
  json_object_set_new(o, "safety", json_boolean(it->safety));
  json_object_set_new(o, "reform_mode", json_string(it->reform_mode));
  json_object_set_new(o, "output_kind", json_string(it->output_kind));
  json_object_set_new(o, "output_valid_months", json_integer(it->output_valid_months));
  json_object_set_new(o, "parties", json_string(it->parties));
  json_object_set_new(o, "registry_effect", json_string(it->registry_effect));
  json_object_set_new(o, "form", it->form ? json_deep_copy(it->form) : json_array());
  json_object_set_new(o, "guide", it->guide ? json_deep_copy(it->guide) : json_object());
  json_object_set_new(o, "themes", list_json(it->themes));
  json_object_set_new(o, "keywords", list_json(it->keywords));
  json_object_set_new(o, "modes", modes);
  return o;
}

/* materials_from_json() fills it->aMaterial from the array a. */
static int materials_from_json(const json_t *a, Item *it, Err *e) {
  if (!json_is_array(a))
    return err_set(e, E_INVALID, "request.bad_type", "materials", "materials 应为数组",
                   "materials must be an array");
  if (json_array_size(a) > CATALOG_MAX_MATERIALS)
    return err_set(e, E_INVALID, "catalog.bad_material", "materials", "材料最多 24 项",
                   "At most 24 materials");
  it->nMaterial = 0;
  size_t i;
  json_t *m;
  json_array_foreach(a, i, m) {
    Material *x = &it->aMaterial[it->nMaterial++];
    memset(x, 0, sizeof *x);
    JField f[] = {
        {"key", J_STR, true, x->key, sizeof x->key, 1, 23, NULL},
        {"name", J_STR, true, x->name, sizeof x->name, 1, 60, NULL},
        {"core", J_BOOL, false, &x->core, 0, 0, 0, NULL},
        {"may_miss", J_BOOL, false, &x->may_miss, 0, 0, 0, NULL},
        {"form", J_STR, true, x->form, sizeof x->form, 1, 15, NULL},
        {"source", J_STR, false, x->source, sizeof x->source, 0, 80, NULL},
    };
    if (jsonx_decode(m, f, (int)XQ_COUNT(f), false, e)) {
      char field[128];
      snprintf(field, sizeof field, "materials[%zu].%s", i, e->field);
      snprintf(e->field, sizeof e->field, "%.63s", field);
      return -1;
    }
  }
  return 0;
}

int catalog_item_from_json(const json_t *o, Item *it, Err *e) {
  static const char *const readonly[] = {"version_id", "item_id", "version", "modes"};
  static const char *const manual[] = {"materials", "channels", "rule", "limit_unit", "handling", "form",
                                       "guide", "themes", "keywords"};
  char unit[16] = "workdays", handling[16] = "", err_field[64];
  int64_t legal = 0, promised = 0, visits = 1, pct = 0, verify = 0, months = 0;
  memset(it, 0, sizeof *it);
  if (!json_is_object(o))
    return err_set(e, E_INVALID, "request.not_object", NULL, "请求体应为 JSON 对象",
                   "The body must be a JSON object");
  snprintf(it->fees, sizeof it->fees, "不收费");
  it->ch_window = true;
  JField f[] = {
      {"code", J_STR, true, it->code, sizeof it->code, 2, 39, NULL},
      {"effective_from", J_STR, false, it->effective_from, sizeof it->effective_from, 0, 10, NULL},
      {"effective_to", J_STR, false, it->effective_to, sizeof it->effective_to, 0, 10, NULL},
      {"dept_code", J_STR, true, it->dept_code, sizeof it->dept_code, 1, 31, NULL},
      {"name", J_STR, true, it->name, sizeof it->name, 2, 100, NULL},
      {"kind", J_STR, true, it->kind, sizeof it->kind, 1, 9, NULL},
      {"legal_basis", J_STR, false, it->legal_basis, sizeof it->legal_basis, 0, 500, NULL},
      {"conditions", J_STR, false, it->conditions, sizeof it->conditions, 0, 1000, NULL},
      {"legal_limit", J_INT, true, &legal, 0, 0, 3650, NULL},
      {"promised_limit", J_INT, true, &promised, 0, 0, 3650, NULL},
      {"limit_unit", J_STR, false, unit, sizeof unit, 1, 15, NULL},
      {"handling", J_STR, true, handling, sizeof handling, 1, 15, NULL},
      {"fees", J_STR, false, it->fees, sizeof it->fees, 1, 100, NULL},
      {"visits", J_INT, false, &visits, 0, 0, 1, NULL},
      {"postcheck_pct", J_INT, false, &pct, 0, 0, 100, NULL},
      {"allow_rongque", J_BOOL, false, &it->allow_rongque, 0, 0, 0, NULL},
      {"allow_promise", J_BOOL, false, &it->allow_promise, 0, 0, 0, NULL},
      {"promise_verify_days", J_INT, false, &verify, 0, 0, 365, NULL},
      {"safety", J_BOOL, false, &it->safety, 0, 0, 0, NULL},
      {"reform_mode", J_STR, false, it->reform_mode, sizeof it->reform_mode, 0, 10, NULL},
      {"output_kind", J_STR, false, it->output_kind, sizeof it->output_kind, 0, 30, NULL},
      {"output_valid_months", J_INT, false, &months, 0, 0, 1200, NULL},
      {"parties", J_STR, false, it->parties, sizeof it->parties, 0, 6, NULL},
      {"registry_effect", J_STR, false, it->registry_effect, sizeof it->registry_effect, 0, 8, NULL},
  };
  /* Every member must be known: decoded by the table, handled below, or
  ** read-only (what catalog_item_json adds, so its output can be posted back). */
  const char *key;
  json_t *v;
  json_object_foreach((json_t *)o, key, v) {
    bool known = in_list(key, readonly, XQ_COUNT(readonly)) || in_list(key, manual, XQ_COUNT(manual));
    for (size_t i = 0; !known && i < XQ_COUNT(f); i++) known = strcmp(f[i].name, key) == 0;
    if (!known) {
      snprintf(err_field, sizeof err_field, "%.63s", key);
      return err_setf(e, E_INVALID, "request.unknown_field", err_field, "未知字段：%s",
                      "Unknown field: %s", err_field);
    }
  }
  if (jsonx_decode(o, f, (int)XQ_COUNT(f), true, e)) return -1;
  it->legal_limit = (int)legal;
  it->promised_limit = (int)promised;
  it->visits = (int)visits;
  it->postcheck_pct = (int)pct;
  it->promise_verify_days = (int)verify;
  it->output_valid_months = (int)months;
  if (strcmp(unit, "workdays") == 0) it->limit_unit = LIMIT_WORKDAYS;
  else if (strcmp(unit, "workhours") == 0) it->limit_unit = LIMIT_WORKHOURS;
  else
    return err_set(e, E_INVALID, "catalog.bad_limit_unit", "limit_unit",
                   "时限单位应为 workdays 或 workhours", "The limit unit must be workdays or workhours");
  if (strcmp(handling, "instant") == 0) it->handling = HANDLING_INSTANT;
  else if (strcmp(handling, "promise") == 0) it->handling = HANDLING_PROMISE;
  else
    return err_set(e, E_INVALID, "catalog.bad_handling", "handling",
                   "办件类型应为 instant（即办件）或 promise（承诺件）",
                   "Handling must be instant or promise");
  json_t *ch = json_object_get(o, "channels");
  if (ch) {
    size_t i;
    json_t *c;
    if (!json_is_array(ch))
      return err_set(e, E_INVALID, "request.bad_type", "channels", "channels 应为数组",
                     "channels must be an array");
    it->ch_window = false;
    json_array_foreach(ch, i, c) {
      const char *s = json_string_value(c);
      if (s && strcmp(s, "window") == 0) it->ch_window = true;
      else if (s && strcmp(s, "online") == 0) it->ch_online = true;
      else if (s && strcmp(s, "kiosk") == 0) it->ch_kiosk = true;
      else
        return err_set(e, E_INVALID, "catalog.bad_channel", "channels",
                       "渠道应为 window、online、kiosk 之一", "A channel is one of window, online, kiosk");
    }
  }
  json_t *m = json_object_get(o, "materials");
  if (m && materials_from_json(m, it, e)) return -1;
  json_t *r = json_object_get(o, "rule");
  if (r && !json_is_string(r))
    return err_set(e, E_INVALID, "request.bad_type", "rule", "rule 应为字符串", "rule must be a string");
  it->rule = xstrdup(r ? json_string_value(r) : "");
  json_t *form = json_object_get(o, "form");
  if (form && catalog_form_check(form, e)) return -1;
  it->form = form ? json_deep_copy(form) : NULL;
  /* The guide, themes and keywords go together: a body with none of them
  ** keeps the version before's (catalog.h). */
  json_t *guide = json_object_get(o, "guide"), *themes = json_object_get(o, "themes");
  json_t *keywords = json_object_get(o, "keywords");
  if (themes && list_from_json(themes, 5, it->themes, sizeof it->themes, "catalog.bad_theme", "themes", e))
    return -1;
  if (keywords && list_from_json(keywords, 10, it->keywords, sizeof it->keywords, "catalog.bad_keywords", "keywords", e))
    return -1;
  if (guide && !json_is_object(guide))
    return err_set(e, E_INVALID, "catalog.bad_guide", "guide", "办事指南应为对象", "The guide must be an object");
  if (guide) it->guide = json_deep_copy(guide);
  else if (themes || keywords) it->guide = json_object();
  return 0;
}

/* Reading ------------------------------------------------------------------- */

static void copy_text(char *dst, size_t cap, const char *src) {
  snprintf(dst, cap, "%s", src ? src : "");
}

/* read_item() fills it from a row of ITEM_COLS (allocates it->rule). */
static void read_item(Stmt *st, Item *it) {
  Err e = {0};
  memset(it, 0, sizeof *it);
  it->version_id = stmt_int(st, 0);
  it->item_id = stmt_int(st, 1);
  copy_text(it->code, sizeof it->code, stmt_text(st, 2));
  it->version = (int)stmt_int(st, 3);
  copy_text(it->effective_from, sizeof it->effective_from, stmt_text(st, 4));
  copy_text(it->effective_to, sizeof it->effective_to, stmt_text(st, 5));
  copy_text(it->dept_code, sizeof it->dept_code, stmt_text(st, 6));
  it->dept_id = stmt_int(st, 7);
  copy_text(it->name, sizeof it->name, stmt_text(st, 8));
  copy_text(it->kind, sizeof it->kind, stmt_text(st, 9));
  copy_text(it->legal_basis, sizeof it->legal_basis, stmt_text(st, 10));
  copy_text(it->conditions, sizeof it->conditions, stmt_text(st, 11));
  json_t *m = json_loads(stmt_text(st, 12) ? stmt_text(st, 12) : "[]", 0, NULL);
  if (!m || materials_from_json(m, it, &e))
    log_warn("item %s version %d: stored materials unreadable", it->code, it->version);
  json_decref(m);
  it->legal_limit = (int)stmt_int(st, 13);
  it->promised_limit = (int)stmt_int(st, 14);
  const char *u = stmt_text(st, 15);
  it->limit_unit = u && strcmp(u, "workhours") == 0 ? LIMIT_WORKHOURS : LIMIT_WORKDAYS;
  copy_text(it->fees, sizeof it->fees, stmt_text(st, 16));
  const char *h = stmt_text(st, 17);
  it->handling = h && strcmp(h, "instant") == 0 ? HANDLING_INSTANT : HANDLING_PROMISE;
  it->ch_window = stmt_int(st, 18) != 0;
  it->ch_online = stmt_int(st, 19) != 0;
  it->ch_kiosk = stmt_int(st, 20) != 0;
  it->visits = (int)stmt_int(st, 21);
  it->rule = xstrdup(stmt_text(st, 22) ? stmt_text(st, 22) : "");
  it->postcheck_pct = (int)stmt_int(st, 23);
  it->allow_rongque = stmt_int(st, 24) != 0;
  it->allow_promise = stmt_int(st, 25) != 0;
  it->promise_verify_days = (int)stmt_int(st, 26);
  it->safety = stmt_int(st, 27) != 0;
  copy_text(it->reform_mode, sizeof it->reform_mode, stmt_text(st, 28));
  copy_text(it->output_kind, sizeof it->output_kind, stmt_text(st, 29));
  it->output_valid_months = (int)stmt_int(st, 30);
  copy_text(it->parties, sizeof it->parties, stmt_text(st, 32));
  copy_text(it->registry_effect, sizeof it->registry_effect, stmt_text(st, 33));
  it->guide = json_loads(stmt_text(st, 34) ? stmt_text(st, 34) : "{}", 0, NULL);
  if (!json_is_object(it->guide)) {
    log_warn("item %s version %d: stored guide unreadable", it->code, it->version);
    json_decref(it->guide);
    it->guide = json_object();
  }
  copy_text(it->themes, sizeof it->themes, stmt_text(st, 35));
  copy_text(it->keywords, sizeof it->keywords, stmt_text(st, 36));
  it->form = json_loads(stmt_text(st, 31) ? stmt_text(st, 31) : "[]", 0, NULL);
  if (!json_is_array(it->form)) {
    log_warn("item %s version %d: stored form unreadable", it->code, it->version);
    json_decref(it->form);
    it->form = json_array();
  }
}

/* the_date() checks date (NULL or "" = today) and writes it into out. */
static int the_date(const char *date, char out[11], Err *e) {
  if (!date || !*date) {
    time_today_cn(out);
    return 0;
  }
  if (!date_ok(date, false))
    return err_setf(e, E_INVALID, "catalog.bad_date", "date", "日期无效（应为 YYYY-MM-DD）：%s",
                    "Invalid date (YYYY-MM-DD expected): %s", date);
  snprintf(out, 11, "%s", date);
  return 0;
}

static int not_found(Err *e, const char *code) {
  return err_setf(e, E_NOTFOUND, "catalog.not_found", "code", "没有找到该事项：%s",
                  "No such item: %s", code);
}

int catalog_get(Store *s, const char *code, const char *date, Item *it, Err *e) {
  char day[11];
  memset(it, 0, sizeof *it);
  if (the_date(date, day, e)) return -1;
  Stmt *st = db_prepare(store_reader(s),
                        "SELECT " ITEM_COLS ITEM_FROM " WHERE item.code = ? AND " EFFECTIVE
                        " ORDER BY item_version.version DESC LIMIT 1",
                        e);
  if (!st) return -1;
  stmt_bind_text(st, 1, code);
  stmt_bind_text(st, 2, day);
  stmt_bind_text(st, 3, day);
  int rc = stmt_step(st, e);
  if (rc == 1) read_item(st, it);
  stmt_done(st);
  if (rc < 0) return -1;
  if (rc == 0) return not_found(e, code);
  return 0;
}

int catalog_get_version(Db *db, int64_t version_id, Item *it, Err *e) {
  memset(it, 0, sizeof *it);
  Stmt *st = db_prepare(db, "SELECT " ITEM_COLS ITEM_FROM " WHERE item_version.id = ?", e);
  if (!st) return -1;
  stmt_bind_int(st, 1, version_id);
  int rc = stmt_step(st, e);
  if (rc == 1) read_item(st, it);
  stmt_done(st);
  if (rc < 0) return -1;
  if (rc == 0) {
    char id[24];
    snprintf(id, sizeof id, "%lld", (long long)version_id);
    return err_setf(e, E_NOTFOUND, "catalog.not_found", "version_id", "没有找到该事项版本：%s",
                    "No such item version: %s", id);
  }
  return 0;
}

/* Writing ------------------------------------------------------------------- */

/* same_content() is true when a and b agree on everything but identity,
** version and dates. */
static bool same_content(const Item *a, const Item *b) {
  json_t *ja = catalog_item_json(a), *jb = catalog_item_json(b);
  static const char *const skip[] = {"version_id", "version", "effective_from", "effective_to"};
  for (size_t i = 0; i < XQ_COUNT(skip); i++) {
    json_object_del(ja, skip[i]);
    json_object_del(jb, skip[i]);
  }
  bool same = json_equal(ja, jb);
  json_decref(ja);
  json_decref(jb);
  return same;
}

/* query_id() runs sql with one text parameter and reads the first column
** of the first row into *id (0 when no row). Returns 0 or -1. */
static int query_id(Db *db, const char *sql, const char *arg, int64_t *id, Err *e) {
  Stmt *st = db_prepare(db, sql, e);
  if (!st) return -1;
  stmt_bind_text(st, 1, arg);
  int rc = stmt_step(st, e);
  *id = rc == 1 ? stmt_int(st, 0) : 0;
  stmt_done(st);
  return rc < 0 ? -1 : 0;
}

/* save_on() writes it as a new version inside a write job, as catalog_save
** describes; for a new code the version is it->version when keep_version
** and it is ≥ 1. Refusals (catalog.*) come before any write, so a batch job
** may go on after one. Fills it->version_id, item_id, version, dept_id and
** effective_from. Returns 0 or -1 with *e. */
static int save_on(Db *db, Item *it, bool keep_version, bool skip_same, int64_t now, Err *e) {
  int64_t latest_id = 0, latest_version = 0;
  char latest_from[11] = "";
  if (!it->effective_from[0]) time_today_cn(it->effective_from);
  Dept d;
  int found = accounts_dept_get(db, 0, it->dept_code, &d, e);
  if (found < 0) return -1;
  it->dept_id = found ? d.id : 0;
  if (!it->dept_id)
    return err_setf(e, E_INVALID, "catalog.unknown_dept", "dept_code", "没有这个部门：%s",
                    "No such department: %s", it->dept_code);
  if (query_id(db, "SELECT id FROM item WHERE code = ?", it->code, &it->item_id, e)) return -1;
  if (it->item_id) {
    Stmt *st = db_prepare(db,
                          "SELECT id, version, effective_from FROM item_version WHERE item_id = ?"
                          " ORDER BY version DESC LIMIT 1",
                          e);
    if (!st) return -1;
    stmt_bind_int(st, 1, it->item_id);
    int rc = stmt_step(st, e);
    if (rc == 1) {
      latest_id = stmt_int(st, 0);
      latest_version = stmt_int(st, 1);
      copy_text(latest_from, sizeof latest_from, stmt_text(st, 2));
    }
    stmt_done(st);
    if (rc < 0) return -1;
    if (latest_id && strcmp(it->effective_from, latest_from) < 0)
      return err_setf(e, E_CONFLICT, "catalog.bad_effective_from", "effective_from",
                      "新版本的生效日期不能早于现有最新版本的生效日期（%s）",
                      "A new version cannot take effect before the latest version (%s)",
                      latest_from);
    if (latest_id && (skip_same || !it->form || !it->guide)) { /* the latest version, read once */
      Item old;
      if (catalog_get_version(db, latest_id, &old, e)) return -1;
      if (!it->form) it->form = json_incref(old.form); /* saved without a form: it keeps the one before */
      if (!it->guide) { /* nor a guide: it keeps the guide, themes and keywords before */
        it->guide = json_incref(old.guide);
        memcpy(it->themes, old.themes, sizeof it->themes);
        memcpy(it->keywords, old.keywords, sizeof it->keywords);
      }
      bool same = skip_same && same_content(&old, it);
      catalog_item_free(&old);
      if (same)
        return err_set(e, E_CONFLICT, "catalog.unchanged", "code", "与最新版本相同，未写入",
                       "Same as the latest version; not written");
    }
  } else {
    Stmt *st = db_prepare(db, "INSERT INTO item(code, created_at) VALUES (?, ?) RETURNING id", e);
    if (!st) return -1;
    stmt_bind_text(st, 1, it->code);
    stmt_bind_int(st, 2, now);
    int rc = stmt_step(st, e);
    if (rc == 1) it->item_id = stmt_int(st, 0);
    stmt_done(st);
    if (rc != 1) return -1;
  }
  it->version = latest_id ? (int)latest_version + 1 : keep_version && it->version >= 1 ? it->version : 1;
  if (latest_id) {
    /* The versions still in force on the new version's first day end the day before. */
    int day;
    char before[11];
    cal_parse_date(it->effective_from, &day);
    cal_format(day - 1, before);
    if (db_run(db, e,
               "UPDATE item_version SET effective_to = ? WHERE item_id = ?"
               " AND (effective_to = '' OR effective_to >= ?)",
               "tit", before, it->item_id, it->effective_from) < 0)
      return -1;
  }
  json_t *mj = materials_json(it);
  char *ms = json_dumps(mj, JSON_COMPACT);
  json_decref(mj);
  Stmt *st = db_prepare(
      db,
      "INSERT INTO item_version(item_id, version, effective_from, effective_to, dept_id, name,"
      " kind, legal_basis, conditions, materials, legal_limit, promised_limit, limit_unit, fees,"
      " handling, ch_window, ch_online, ch_kiosk, visits, rule, postcheck_pct, allow_rongque,"
      " allow_promise, promise_verify_days, safety, reform_mode, output_kind, output_valid_months,"
      " form, parties, registry_effect, guide, themes, keywords, created_at)"
      " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
      " RETURNING id",
      e);
  if (!st) {
    free(ms);
    return -1;
  }
  int p = 1;
  stmt_bind_int(st, p++, it->item_id);
  stmt_bind_int(st, p++, it->version);
  stmt_bind_text(st, p++, it->effective_from);
  stmt_bind_text(st, p++, it->effective_to);
  stmt_bind_int(st, p++, it->dept_id);
  stmt_bind_text(st, p++, it->name);
  stmt_bind_text(st, p++, it->kind);
  stmt_bind_text(st, p++, it->legal_basis);
  stmt_bind_text(st, p++, it->conditions);
  stmt_bind_text(st, p++, ms);
  stmt_bind_int(st, p++, it->legal_limit);
  stmt_bind_int(st, p++, it->promised_limit);
  stmt_bind_text(st, p++, unit_name(it->limit_unit));
  stmt_bind_text(st, p++, it->fees);
  stmt_bind_text(st, p++, handling_name(it->handling));
  stmt_bind_int(st, p++, it->ch_window);
  stmt_bind_int(st, p++, it->ch_online);
  stmt_bind_int(st, p++, it->ch_kiosk);
  stmt_bind_int(st, p++, it->visits);
  stmt_bind_text(st, p++, it->rule ? it->rule : "");
  stmt_bind_int(st, p++, it->postcheck_pct);
  stmt_bind_int(st, p++, it->allow_rongque);
  stmt_bind_int(st, p++, it->allow_promise);
  stmt_bind_int(st, p++, it->promise_verify_days);
  stmt_bind_int(st, p++, it->safety);
  stmt_bind_text(st, p++, it->reform_mode);
  stmt_bind_text(st, p++, it->output_kind);
  stmt_bind_int(st, p++, it->output_valid_months);
  char *form = it->form ? json_dumps(it->form, JSON_COMPACT) : NULL;
  stmt_bind_text(st, p++, form ? form : "[]");
  free(form);
  stmt_bind_text(st, p++, it->parties);
  stmt_bind_text(st, p++, it->registry_effect);
  char *guide = it->guide ? json_dumps(it->guide, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
  stmt_bind_text(st, p++, guide ? guide : "{}");
  free(guide);
  stmt_bind_text(st, p++, it->themes);
  stmt_bind_text(st, p++, it->keywords);
  stmt_bind_int(st, p++, now);
  free(ms);
  int rc = stmt_step(st, e);
  if (rc == 1) it->version_id = stmt_int(st, 0);
  stmt_done(st);
  return rc == 1 ? 0 : -1;
}

typedef struct SaveJob {
  const User *actor;
  Item *it;
} SaveJob;

static int save_job(Db *db, void *arg, Err *e) {
  SaveJob *j = arg;
  if (save_on(db, j->it, false, false, now_ms(), e)) return -1;
  char obj[64];
  snprintf(obj, sizeof obj, "item:%s", j->it->code);
  json_t *d = json_pack("{s:i, s:s, s:s}", "version", j->it->version, "effective_from",
                        j->it->effective_from, "name", j->it->name);
  int rc = audit_append(db, j->actor, j->it->version == 1 ? "item.create" : "item.version", obj,
                        d, e);
  json_decref(d);
  return rc;
}

int catalog_save(Store *s, const User *actor, Item *it, Err *e) {
  if (catalog_item_check(it, e)) return -1;
  SaveJob j = {actor, it};
  return store_write(s, save_job, &j, e);
}

typedef struct BatchJob {
  const User *actor;
  Item *a;
  int n;
  bool skip_same;
  unsigned char *refused;
  char (*why)[800];
  int64_t written;
} BatchJob;

static int batch_job(Db *db, void *arg, Err *e) {
  BatchJob *j = arg;
  int64_t now = now_ms();
  j->written = 0;
  for (int i = 0; i < j->n; i++) {
    Err re = {0};
    if (save_on(db, &j->a[i], true, j->skip_same, now, &re) == 0) {
      j->written++;
      if (j->refused) j->refused[i] = 0;
      continue;
    }
    if (strncmp(re.code, "catalog.", 8) != 0) {
      *e = re;
      return -1;
    }
    if (j->refused) j->refused[i] = strcmp(re.code, "catalog.unchanged") == 0 ? 2 : 1;
    if (j->why) snprintf(j->why[i], 800, "%s / %s", re.message, re.message_en);
  }
  json_t *d = json_pack("{s:I, s:s, s:s}", "rows", (json_int_t)j->written, "first",
                        j->n ? j->a[0].code : "", "last", j->n ? j->a[j->n - 1].code : "");
  int rc = audit_append(db, j->actor, "item.import", "item:*", d, e);
  json_decref(d);
  return rc;
}

int catalog_import_items(Store *s, const User *actor, Item *a, int n, bool skip_same,
                         unsigned char *refused, char (*why)[800], int64_t *written, Err *e) {
  BatchJob j = {actor, a, n, skip_same, refused, why, 0};
  if (store_write(s, batch_job, &j, e)) return -1;
  if (written) *written = j.written;
  return 0;
}

/* Lists --------------------------------------------------------------------- */

/* mode_sql() is the SQL condition of a mode key, or NULL. */
static const char *mode_sql(const char *mode) {
  static const char *const conds[CATALOG_NMODE] = {
      "item_version.handling = 'instant'", "item_version.rule <> ''", "item_version.ch_online = 1",
      "item_version.allow_rongque = 1", "item_version.allow_promise = 1"};
  for (int i = 0; i < CATALOG_NMODE; i++)
    if (strcmp(mode, catalog_mode_keys[i]) == 0) return conds[i];
  return NULL;
}

static const char *channel_sql(const char *ch) {
  if (strcmp(ch, "window") == 0) return "item_version.ch_window = 1";
  if (strcmp(ch, "online") == 0) return "item_version.ch_online = 1";
  if (strcmp(ch, "kiosk") == 0) return "item_version.ch_kiosk = 1";
  return NULL;
}

json_t *catalog_search(Store *s, const CatalogQuery *q, Err *e) {
  Db *db = store_reader(s);
  Buf where = {0}, sql = {0};
  char *param = NULL, *like = NULL, *theme = NULL, day[11];
  const char *binds[8];
  int nBind = 0, rc, np;
  int64_t total = 0;
  json_t *items = NULL, *res = NULL;
  Stmt *st;
  if (the_date(q->date, day, e)) return NULL;
  buf_puts(&where, " WHERE " EFFECTIVE);
  if (q->mode && *q->mode) {
    const char *c = mode_sql(q->mode);
    if (!c) {
      err_setf(e, E_INVALID, "catalog.bad_mode", "mode",
               "办理方式无效：%s（可选 instant auto online rongque promise）",
               "Invalid mode: %s (one of instant auto online rongque promise)", q->mode);
      goto out;
    }
    buf_appendf(&where, " AND %s", c);
  }
  if (q->channel && *q->channel) {
    const char *c = channel_sql(q->channel);
    if (!c) {
      err_setf(e, E_INVALID, "catalog.bad_channel", "channel",
               "办理渠道无效：%s（可选 window online kiosk）",
               "Invalid channel: %s (one of window online kiosk)", q->channel);
      goto out;
    }
    buf_appendf(&where, " AND %s", c);
  }
  if (q->parties && *q->parties) {
    if (strcmp(q->parties, "person") != 0 && strcmp(q->parties, "entity") != 0) {
      err_setf(e, E_INVALID, "catalog.bad_parties", "parties", "服务对象无效：%s（可选 person entity）",
               "Invalid parties: %s (one of person entity)", q->parties);
      goto out;
    }
    buf_puts(&where, " AND item_version.parties IN (?, '')");
    binds[nBind++] = q->parties;
  }
  if (q->dept && *q->dept) {
    buf_puts(&where, " AND department.code = ?");
    binds[nBind++] = q->dept;
  }
  if (q->kind && *q->kind) {
    buf_puts(&where, " AND item_version.kind = ?");
    binds[nBind++] = q->kind;
  }
  if (q->theme && *q->theme) {
    if (!theme_known(q->theme, strlen(q->theme))) {
      err_setf(e, E_INVALID, "catalog.bad_theme", "theme", "主题无效：%s（见 /api/v1/catalog/themes）",
               "Invalid theme: %s (see /api/v1/catalog/themes)", q->theme);
      goto out;
    }
    buf_puts(&where, " AND '|' || item_version.themes || '|' LIKE ?");
    theme = xasprintf("%%|%s|%%", q->theme); /* a theme name holds no % or _ */
    binds[nBind++] = theme;
  }
  if (q->q && *q->q) {
    /* The name through the backend's text index; the result and the
    ** keywords, short columns of the few versions in force, by LIKE. */
    Buf l = {0};
    buf_putc(&l, '%');
    for (const char *p = q->q; *p; p++) {
      if (*p == '%' || *p == '_' || *p == '\\') buf_putc(&l, '\\');
      buf_putc(&l, *p);
    }
    buf_putc(&l, '%');
    like = buf_detach(&l);
    buf_puts(&where, " AND (");
    db_contains(db, &where, "item_version", "name", q->q, &param);
    binds[nBind++] = param;
    buf_puts(&where, " OR lower(item_version.output_kind) LIKE lower(?) ESCAPE '\\'"
                     " OR lower(item_version.keywords) LIKE lower(?) ESCAPE '\\')");
    binds[nBind++] = like;
    binds[nBind++] = like;
  }
  for (int pass = 0; pass < 2; pass++) {
    buf_reset(&sql);
    if (pass == 0) buf_appendf(&sql, "SELECT COUNT(*)" ITEM_FROM "%s", where.a);
    else buf_appendf(&sql, "SELECT " ITEM_COLS ITEM_FROM "%s ORDER BY item.code LIMIT ? OFFSET ?", where.a);
    st = db_prepare(db, sql.a, e);
    if (!st) goto out;
    np = 0;
    stmt_bind_text(st, ++np, day);
    stmt_bind_text(st, ++np, day);
    for (int i = 0; i < nBind; i++) stmt_bind_text(st, ++np, binds[i]);
    if (pass == 0) {
      rc = stmt_step(st, e);
      if (rc == 1) total = stmt_int(st, 0);
    } else {
      stmt_bind_int(st, ++np, q->per_page);
      stmt_bind_int(st, ++np, (int64_t)(q->page - 1) * q->per_page);
      items = json_array();
      while ((rc = stmt_step(st, e)) == 1) {
        Item it;
        read_item(st, &it);
        json_array_append_new(items, catalog_item_json(&it));
        catalog_item_free(&it);
      }
    }
    stmt_done(st);
    if (rc < 0) goto out;
  }
  res = json_pack("{s:O, s:I, s:i, s:i, s:s}", "items", items, "total", (json_int_t)total, "page",
                  q->page, "per_page", q->per_page, "date", day);
out:
  json_decref(items);
  free(param);
  free(like);
  free(theme);
  buf_free(&where);
  buf_free(&sql);
  return res;
}

json_t *catalog_popular(Store *s, const char *who, int days, int limit, Err *e) {
  Db *db = store_reader(s);
  char day[11];
  bool by_party = who && *who;
  if (by_party && strcmp(who, "person") != 0 && strcmp(who, "entity") != 0) {
    err_setf(e, E_INVALID, "catalog.bad_parties", "parties", "服务对象无效：%s（可选 person entity）",
             "Invalid parties: %s (one of person entity)", who);
    return NULL;
  }
  time_today_cn(day);
  /* Counted from the cases' index on (submitted_at, item_code), then
  ** joined to the versions in force. */
  Stmt *st = db_prepare(db,
                        "SELECT " ITEM_COLS ", c.n FROM (SELECT item_code, COUNT(*) AS n FROM case_file"
                        " WHERE submitted_at > 0 AND submitted_at >= ? GROUP BY item_code) c"
                        " JOIN item ON item.code = c.item_code"
                        " JOIN item_version ON item_version.item_id = item.id"
                        " JOIN department ON department.id = item_version.dept_id"
                        " WHERE " EFFECTIVE " AND (? = '' OR item_version.parties IN (?, ''))"
                        " ORDER BY c.n DESC, item.code LIMIT ?",
                        e);
  if (!st) return NULL;
  stmt_bind_int(st, 1, now_ms() - (int64_t)days * 86400 * 1000);
  stmt_bind_text(st, 2, day);
  stmt_bind_text(st, 3, day);
  stmt_bind_text(st, 4, by_party ? who : "");
  stmt_bind_text(st, 5, by_party ? who : "");
  stmt_bind_int(st, 6, limit);
  json_t *items = json_array();
  int rc;
  while ((rc = stmt_step(st, e)) == 1) {
    Item it;
    read_item(st, &it);
    json_t *o = catalog_item_json(&it);
    json_object_set_new(o, "cases", json_integer(stmt_int(st, 37)));
    json_array_append_new(items, o);
    catalog_item_free(&it);
  }
  stmt_done(st);
  if (rc < 0) {
    json_decref(items);
    return NULL;
  }
  return json_pack("{s:i, s:o}", "days", days, "items", items);
}

json_t *catalog_versions(Store *s, const char *code, Err *e) {
  Stmt *st = db_prepare(store_reader(s),
                        "SELECT " ITEM_COLS ITEM_FROM " WHERE item.code = ? ORDER BY item_version.version", e);
  if (!st) return NULL;
  stmt_bind_text(st, 1, code);
  json_t *items = json_array();
  int rc;
  while ((rc = stmt_step(st, e)) == 1) {
    Item it;
    read_item(st, &it);
    json_array_append_new(items, catalog_item_json(&it));
    catalog_item_free(&it);
  }
  stmt_done(st);
  if (rc < 0 || json_array_size(items) == 0) {
    json_decref(items);
    if (rc == 0) not_found(e, code);
    return NULL;
  }
  return json_pack("{s:s, s:o}", "code", code, "items", items);
}

json_t *catalog_stats(Store *s, const char *date, Err *e) {
  char day[11];
  if (the_date(date, day, e)) return NULL;
  Stmt *st = db_prepare(
      store_reader(s),
      "SELECT department.code, department.name, COUNT(*),"
      " SUM(CASE WHEN item_version.handling = 'instant' THEN 1 ELSE 0 END),"
      " SUM(CASE WHEN item_version.rule <> '' THEN 1 ELSE 0 END),"
      " SUM(item_version.ch_online), SUM(item_version.allow_rongque),"
      " SUM(item_version.allow_promise)" ITEM_FROM " WHERE " EFFECTIVE
      " GROUP BY department.id, department.code, department.name ORDER BY department.id",
      e);
  if (!st) return NULL;
  stmt_bind_text(st, 1, day);
  stmt_bind_text(st, 2, day);
  json_t *depts = json_array();
  int64_t sum[1 + CATALOG_NMODE] = {0};
  int rc;
  while ((rc = stmt_step(st, e)) == 1) {
    json_t *d = json_pack("{s:s, s:s, s:I}", "code", stmt_text(st, 0), "name", stmt_text(st, 1),
                          "total", (json_int_t)stmt_int(st, 2));
    sum[0] += stmt_int(st, 2);
    for (int i = 0; i < CATALOG_NMODE; i++) {
      json_object_set_new(d, catalog_mode_keys[i], json_integer(stmt_int(st, 3 + i)));
      sum[1 + i] += stmt_int(st, 3 + i);
    }
    json_array_append_new(depts, d);
  }
  stmt_done(st);
  if (rc < 0) {
    json_decref(depts);
    return NULL;
  }
  json_t *modes = json_object();
  for (int i = 0; i < CATALOG_NMODE; i++)
    json_object_set_new(modes, catalog_mode_keys[i], json_integer(sum[1 + i]));
  return json_pack("{s:s, s:I, s:o, s:o}", "date", day, "total", (json_int_t)sum[0], "modes",
                   modes, "departments", depts);
}

/* CSV ----------------------------------------------------------------------- */

#define CSV_COLS 31
#define CSV_COLS_OLD 28 /* the layout before the guide, still read */

/* each_current() calls fn for the version effective today of every item,
** by code. Returns 0, -1 with *e, or fn's nonzero value. */
static int each_current(Store *s, int (*fn)(const Item *it, void *arg), void *arg, Err *e) {
  char day[11];
  time_today_cn(day);
  Stmt *st = db_prepare(store_reader(s),
                        "SELECT " ITEM_COLS ITEM_FROM " WHERE " EFFECTIVE " ORDER BY item.code", e);
  if (!st) return -1;
  stmt_bind_text(st, 1, day);
  stmt_bind_text(st, 2, day);
  int rc, out = 0;
  while ((rc = stmt_step(st, e)) == 1) {
    Item it;
    read_item(st, &it);
    out = fn(&it, arg);
    catalog_item_free(&it);
    if (out) break;
  }
  stmt_done(st);
  return rc < 0 ? -1 : out;
}

/* The CSV columns in order (the names of CATALOG_CSV_HEADER), and the
** Chinese label of each: the header of the Excel export's 事项 sheet. An
** import header may use either for each column. */
static const char *const csv_names[CSV_COLS] = {
    "code", "version", "effective_from", "effective_to", "dept_code", "name", "kind",
    "legal_basis", "conditions", "materials", "legal_limit", "promised_limit", "limit_unit",
    "fees", "handling", "channels", "visits", "rule", "postcheck_pct", "allow_rongque",
    "allow_promise", "promise_verify_days", "safety", "reform_mode", "output_kind",
    "output_valid_months", "parties", "registry_effect", "guide", "themes", "keywords"};
static const char *const csv_labels[CSV_COLS] = {
    "事项编码", "版本", "生效日期", "失效日期", "实施部门", "事项名称", "事项类型",
    "设定依据", "受理条件", "申请材料", "法定时限", "承诺时限", "时限单位",
    "收费标准", "办件类型", "办理渠道", "跑动次数", "秒批规则", "事后抽查比例", "容缺受理",
    "告知承诺", "承诺核查天数", "涉及安全", "证照分离改革方式", "办理结果",
    "有效期（月）", "服务对象", "登记效果", "办事指南", "主题", "关键词"};

/* The columns holding whole numbers (written as numbers to Excel). */
static bool csv_numeric(int col) {
  return col == 1 || col == 10 || col == 11 || col == 16 || col == 18 || col == 21 || col == 25;
}

/* ItemRow: the CSV text of one item, column by column. */
typedef struct ItemRow {
  const char *v[CSV_COLS]; /* the values (pointing into the item or below) */
  char num[8][16];         /* the numbers as text */
  char ch[32];             /* channels "window|online|kiosk" */
  char *materials;         /* the materials as JSON (malloc'd) */
  char *guide;             /* the guide as JSON (malloc'd) */
} ItemRow;

/* item_row() fills r with the CSV text of it; allocates r->materials and
** r->guide (free them with item_row_free; r points into them). */
static void item_row(const Item *it, ItemRow *r) {
  json_t *mj = materials_json(it);
  r->materials = json_dumps(mj, JSON_COMPACT);
  json_decref(mj);
  r->guide = it->guide && json_object_size(it->guide) ? json_dumps(it->guide, JSON_COMPACT) : xstrdup("");
  channels_text(it, r->ch);
  int nums[7] = {it->version, it->legal_limit, it->promised_limit, it->visits,
                 it->postcheck_pct, it->promise_verify_days, it->output_valid_months};
  for (int i = 0; i < 7; i++) snprintf(r->num[i], sizeof r->num[i], "%d", nums[i]);
  const char *v[CSV_COLS] = {
      it->code, r->num[0], it->effective_from, it->effective_to, it->dept_code, it->name, it->kind,
      it->legal_basis, it->conditions, r->materials, r->num[1], r->num[2], unit_name(it->limit_unit),
      it->fees, handling_name(it->handling), r->ch, r->num[3], it->rule ? it->rule : "", r->num[4],
      it->allow_rongque ? "1" : "0", it->allow_promise ? "1" : "0", r->num[5],
      it->safety ? "1" : "0", it->reform_mode, it->output_kind, r->num[6], it->parties,
      it->registry_effect, r->guide, it->themes, it->keywords};
  memcpy(r->v, v, sizeof v);
}

static void item_row_free(ItemRow *r) {
  free(r->materials);
  free(r->guide);
}

typedef struct CsvOut {
  FILE *f;
  Buf b;
} CsvOut;

static int csv_row(const Item *it, void *arg) {
  CsvOut *o = arg;
  ItemRow r;
  item_row(it, &r);
  buf_reset(&o->b);
  for (int i = 0; i < CSV_COLS; i++) {
    if (i) buf_putc(&o->b, ',');
    csv_put(&o->b, r.v[i]);
  }
  buf_putc(&o->b, '\n');
  item_row_free(&r);
  return fwrite(o->b.a, 1, o->b.n, o->f) == o->b.n ? 0 : 1;
}

static int write_failed(Err *e) {
  return err_set(e, E_INTERNAL, "export.write", NULL, "写出文件失败（磁盘已满或无权写入？）",
                 "Could not write the file (disk full or no permission?)");
}

int catalog_export_csv(Store *s, FILE *f, Err *e) {
  CsvOut o = {f, {0}};
  fputs(CATALOG_CSV_HEADER "\n", f);
  int rc = each_current(s, csv_row, &o, e);
  buf_free(&o.b);
  if (rc < 0) return -1;
  if (rc > 0 || fflush(f) != 0 || ferror(f)) return write_failed(e);
  return 0;
}

/* int_field() parses a whole number of CSV field v into *out. */
static bool int_field(const char *v, int lo, int hi, int *out) {
  char *end;
  long x = strtol(v, &end, 10);
  if (!*v || *end || x < lo || x > hi) return false;
  *out = (int)x;
  return true;
}

static bool bool_field(const char *v, bool *out) {
  if (strcmp(v, "0") == 0 || strcmp(v, "1") == 0) {
    *out = v[0] == '1';
    return true;
  }
  return false;
}

/* RowSource: where an import's rows come from — the CSV reader or the
** Excel reader — each row as text fields in the CSV layout. The import
** (import_rows) is the same for both. */
typedef struct RowSource {
  int (*next)(struct RowSource *src, Err *e); /* reads a row: 1, 0 at the end, -1 with *e */
  void *reader;                     /* the CsvReader or Xlsx */
  int64_t line;                     /* the row's CSV line or sheet row number */
  int64_t bytes;                    /* bytes consumed so far */
  int nCol;                         /* the header's columns: CSV_COLS, or CSV_COLS_OLD */
  int nField;                       /* fields in the row (may exceed CSV_MAX_FIELDS) */
  bool bad_quote;                   /* a CSV quoting error in the row */
  const char *aField[CSV_MAX_FIELDS]; /* the fields (owned by the reader) */
} RowSource;

/* row_field() is field i of the current row ("" past the end). */
static const char *row_field(const RowSource *r, int i) {
  return i >= 0 && i < r->nField && i < CSV_MAX_FIELDS && r->aField[i] ? r->aField[i] : "";
}

/* row_item() fills it from the current row; reason says what is wrong. */
static int row_item(const RowSource *r, Item *it, char *reason, size_t cap) {
  Err fe = {0};
  memset(it, 0, sizeof *it);
  if (r->nField != r->nCol || r->bad_quote) {
    if (r->bad_quote) snprintf(reason, cap, "引号使用不当 / misplaced quote");
    else snprintf(reason, cap, "应有 %d 列（与表头相同）/ must have %d columns (as the header)", r->nCol, r->nCol);
    return -1;
  }
  for (int i = 0; i < r->nCol; i++) {
    const char *v = row_field(r, i);
    if (!utf8_valid(v, strlen(v))) {
      snprintf(reason, cap, "第 %d 列不是有效的 UTF-8 / column %d is not valid UTF-8", i + 1, i + 1);
      return -1;
    }
  }
  struct { char *dst; size_t cap; int col; } text[] = {
      {it->code, sizeof it->code, 0},           {it->effective_from, sizeof it->effective_from, 2},
      {it->effective_to, sizeof it->effective_to, 3}, {it->dept_code, sizeof it->dept_code, 4},
      {it->name, sizeof it->name, 5},           {it->kind, sizeof it->kind, 6},
      {it->legal_basis, sizeof it->legal_basis, 7}, {it->conditions, sizeof it->conditions, 8},
      {it->fees, sizeof it->fees, 13},          {it->reform_mode, sizeof it->reform_mode, 23},
      {it->output_kind, sizeof it->output_kind, 24}, {it->parties, sizeof it->parties, 26},
      {it->registry_effect, sizeof it->registry_effect, 27}, {it->themes, sizeof it->themes, 29},
      {it->keywords, sizeof it->keywords, 30}};
  for (size_t i = 0; i < XQ_COUNT(text); i++) {
    const char *v = row_field(r, text[i].col);
    if (strlen(v) >= text[i].cap) {
      snprintf(reason, cap, "第 %d 列过长 / column %d is too long", text[i].col + 1, text[i].col + 1);
      return -1;
    }
    memcpy(text[i].dst, v, strlen(v) + 1);
  }
  struct { int *dst; int col, lo, hi; const char *name; } nums[] = {
      {&it->version, 1, 0, 1000000, "version"},
      {&it->legal_limit, 10, 0, 3650, "legal_limit"},
      {&it->promised_limit, 11, 0, 3650, "promised_limit"},
      {&it->visits, 16, 0, 1, "visits"},
      {&it->postcheck_pct, 18, 0, 100, "postcheck_pct"},
      {&it->promise_verify_days, 21, 0, 365, "promise_verify_days"},
      {&it->output_valid_months, 25, 0, 1200, "output_valid_months"}};
  for (size_t i = 0; i < XQ_COUNT(nums); i++)
    if (!int_field(row_field(r, nums[i].col), nums[i].lo, nums[i].hi, nums[i].dst)) {
      snprintf(reason, cap, "%s 应为 %d–%d 的整数 / %s must be a whole number %d–%d", nums[i].name,
               nums[i].lo, nums[i].hi, nums[i].name, nums[i].lo, nums[i].hi);
      return -1;
    }
  struct { bool *dst; int col; const char *name; } flags[] = {
      {&it->allow_rongque, 19, "allow_rongque"}, {&it->allow_promise, 20, "allow_promise"},
      {&it->safety, 22, "safety"}};
  for (size_t i = 0; i < XQ_COUNT(flags); i++)
    if (!bool_field(row_field(r, flags[i].col), flags[i].dst)) {
      snprintf(reason, cap, "%s 应为 0 或 1 / %s must be 0 or 1", flags[i].name, flags[i].name);
      return -1;
    }
  const char *u = row_field(r, 12), *h = row_field(r, 14);
  it->limit_unit = strcmp(u, "workdays") == 0 ? LIMIT_WORKDAYS : strcmp(u, "workhours") == 0 ? LIMIT_WORKHOURS : 0;
  it->handling = strcmp(h, "instant") == 0 ? HANDLING_INSTANT : strcmp(h, "promise") == 0 ? HANDLING_PROMISE : 0;
  char ch[64];
  snprintf(ch, sizeof ch, "%s", row_field(r, 15));
  for (char *tok = strtok(ch, "|"); tok; tok = strtok(NULL, "|")) {
    if (strcmp(tok, "window") == 0) it->ch_window = true;
    else if (strcmp(tok, "online") == 0) it->ch_online = true;
    else if (strcmp(tok, "kiosk") == 0) it->ch_kiosk = true;
    else {
      snprintf(reason, cap, "渠道无效 / bad channel: %.30s", tok);
      return -1;
    }
  }
  json_error_t je;
  json_t *mj = json_loads(row_field(r, 9), 0, &je);
  if (!mj || materials_from_json(mj, it, &fe)) {
    json_decref(mj);
    snprintf(reason, cap, "materials 应为材料的 JSON 数组 / materials must be a JSON array of materials%s%s",
             fe.field[0] ? ": " : "", fe.field);
    return -1;
  }
  json_decref(mj);
  it->rule = xstrdup(row_field(r, 17));
  /* The guide: "" is none; a file of the old layout keeps the one before. */
  if (r->nCol == CSV_COLS) {
    const char *g = row_field(r, 28);
    it->guide = *g ? json_loads(g, 0, &je) : json_object();
    if (!json_is_object(it->guide)) {
      snprintf(reason, cap, "guide 应为办事指南的 JSON 对象 / guide must be the guide as a JSON object");
      return -1;
    }
  }
  if (catalog_item_check(it, &fe)) {
    snprintf(reason, cap, "%s：%s / %s: %s", fe.field, fe.message, fe.field, fe.message_en);
    return -1;
  }
  return 0;
}

#define CSV_BATCH 500

typedef struct ImportBatch {
  Item a[CSV_BATCH];
  int64_t line[CSV_BATCH];
  unsigned char refused[CSV_BATCH];
  char why[CSV_BATCH][800];
  int n;
} ImportBatch;

static int import_flush(Store *s, const User *actor, ImportBatch *b, ImportReport *rep,
                        void (*on_reject)(int64_t, const char *, const char *, void *), void *arg,
                        Err *e) {
  int64_t written = 0;
  int rc = 0;
  if (b->n == 0) return 0;
  if (catalog_import_items(s, actor, b->a, b->n, true, b->refused, b->why, &written, e)) rc = -1;
  else {
    rep->imported += written;
    for (int i = 0; i < b->n; i++)
      if (b->refused[i] == 2) {
        rep->unchanged++;
      } else if (b->refused[i]) {
        rep->rejected++;
        if (on_reject) on_reject(b->line[i], b->a[i].code, b->why[i], arg);
      }
  }
  for (int i = 0; i < b->n; i++) catalog_item_free(&b->a[i]);
  b->n = 0;
  return rc;
}

/* header_ok() is true when the current row is the header: CSV_COLS (or
** the old layout's CSV_COLS_OLD) fields, each the CSV name or the Chinese
** label of its column. Sets r->nCol. */
static bool header_ok(RowSource *r) {
  if (r->nField != CSV_COLS && r->nField != CSV_COLS_OLD) return false;
  for (int i = 0; i < r->nField; i++) {
    const char *v = row_field(r, i);
    if (strcmp(v, csv_names[i]) != 0 && strcmp(v, csv_labels[i]) != 0) return false;
  }
  r->nCol = r->nField;
  return true;
}

/* import_rows() is the one import: the first row of src must be the
** header; every other row is checked (row_item) and written, 500 a
** transaction, as catalog_import_items(skip_same = true) writes them; a bad
** row is reported through on_reject with its line and the others go on.
** Returns 0, or -1 with *e (bad header, a read error, a database failure). */
static int import_rows(Store *s, const User *actor, RowSource *src, ImportReport *rep,
                       void (*on_reject)(int64_t, const char *, const char *, void *), void *arg,
                       Err *e) {
  ImportBatch *b = xcalloc(1, sizeof *b);
  int rc = -1, got;
  memset(rep, 0, sizeof *rep);
  got = src->next(src, e);
  if (got < 0) goto out;
  if (got == 0 || !header_ok(src)) {
    err_setf(e, E_INVALID, "import.bad_header", NULL, "第一行表头应为：%s（每列也可用导出的中文列名）",
             "The first row must be the header: %s (or the Chinese column names of the export)",
             CATALOG_CSV_HEADER);
    goto out;
  }
  while ((got = src->next(src, e)) == 1) {
    char reason[2048];
    rep->rows++;
    rep->bytes = src->bytes;
    Item *it = &b->a[b->n];
    if (row_item(src, it, reason, sizeof reason)) {
      catalog_item_free(it);
      rep->rejected++;
      if (on_reject) on_reject(src->line, row_field(src, 0), reason, arg);
      continue;
    }
    b->line[b->n++] = src->line;
    if (b->n == CSV_BATCH && import_flush(s, actor, b, rep, on_reject, arg, e)) goto out;
  }
  if (got < 0) goto out;
  if (import_flush(s, actor, b, rep, on_reject, arg, e)) goto out;
  rep->bytes = src->bytes;
  rc = 0;
out:
  for (int i = 0; i < b->n; i++) catalog_item_free(&b->a[i]);
  free(b);
  return rc;
}

/* csv_source_next() reads the next CSV record into the row source. */
static int csv_source_next(RowSource *src, Err *e) {
  CsvReader *r = src->reader;
  int got = csv_next(r);
  if (got < 0)
    return err_set(e, E_INTERNAL, "import.read", NULL, "读取文件失败", "Could not read the file");
  src->line = r->line;
  src->bytes = r->bytes;
  src->nField = got == 1 ? r->nField : 0;
  src->bad_quote = r->bad_quote;
  for (int i = 0; i < src->nField && i < CSV_MAX_FIELDS; i++) src->aField[i] = csv_field(r, i);
  return got;
}

int catalog_import_csv(Store *s, const User *actor, FILE *f, ImportReport *rep,
                       void (*on_reject)(int64_t, const char *, const char *, void *), void *arg,
                       Err *e) {
  CsvReader r;
  RowSource src = {.next = csv_source_next, .reader = &r};
  csv_init(&r, f);
  int rc = import_rows(s, actor, &src, rep, on_reject, arg, e);
  csv_free(&r);
  return rc;
}

/* xlsx_source_next() reads the next non-blank sheet row into the row
** source; trailing empty cells do not count as fields, so a row that left
** its last cells blank still has the header's number of fields. */
static int xlsx_source_next(RowSource *src, Err *e) {
  Xlsx *x = src->reader;
  int got = xlsx_next(x, e);
  if (got != 1) return got;
  int n = xlsx_ncell(x);
  while (n > 0 && !xlsx_cell(x, n - 1)[0]) n--;
  src->line = xlsx_row(x);
  src->nField = n < src->nCol ? src->nCol : n; /* the header (nCol 0) as it is */
  src->bad_quote = false;
  for (int i = 0; i < src->nField && i < CSV_MAX_FIELDS; i++) src->aField[i] = xlsx_cell(x, i);
  return 1;
}

int catalog_import_xlsx(Store *s, const User *actor, const void *data, size_t n, ImportReport *rep,
                        void (*on_reject)(int64_t, const char *, const char *, void *), void *arg,
                        Err *e) {
  /* Strings: the longest field is a rule (64 KiB), with room for escapes. */
  const XlsxLimits lim = {.max_file = CATALOG_IMPORT_MAX, .max_part = 64 << 20,
                          .max_rows = 100000, .max_cols = CSV_MAX_FIELDS,
                          .max_strings = 1000000, .max_text = 96 << 10};
  memset(rep, 0, sizeof *rep);
  Xlsx *x = xlsx_open(data, n, "事项", &lim, e);
  if (!x) return -1;
  RowSource src = {.next = xlsx_source_next, .reader = x};
  int rc = import_rows(s, actor, &src, rep, on_reject, arg, e);
  rep->bytes = (int64_t)n;
  xlsx_close(x);
  return rc;
}

/* Excel --------------------------------------------------------------------- */

typedef struct XlsxOut {
  lxw_worksheet *items, *mats; /* the 事项 and 材料 sheets */
  lxw_format *wrap;            /* wrapped text for the long columns */
  int row, mrow;               /* last row written in each sheet */
  bool too_long;               /* a text was over Excel's 32,767 characters */
  char code[40];               /* the item with that text */
} XlsxOut;

/* xlsx_item_row() writes it as one row of the 事项 sheet — the CSV columns, the
** numbers as numbers — and its materials as rows of the 材料 sheet.
** Returns 0, or 1 (o->too_long) when a text does not fit in a cell. */
static int xlsx_item_row(const Item *it, void *arg) {
  XlsxOut *o = arg;
  ItemRow ir;
  int r = ++o->row;
  lxw_error le = LXW_NO_ERROR;
  item_row(it, &ir);
  for (int i = 0; i < CSV_COLS && le == LXW_NO_ERROR; i++) {
    lxw_format *fmt = i == 7 || i == 8 || i == 9 || i == 17 || i == 28 ? o->wrap : NULL;
    if (csv_numeric(i)) le = worksheet_write_number(o->items, r, (lxw_col_t)i, atoi(ir.v[i]), NULL);
    else le = worksheet_write_string(o->items, r, (lxw_col_t)i, ir.v[i], fmt);
  }
  item_row_free(&ir);
  if (le != LXW_NO_ERROR) {
    o->too_long = true;
    snprintf(o->code, sizeof o->code, "%s", it->code);
    return 1;
  }
  for (int i = 0; i < it->nMaterial; i++) {
    const Material *m = &it->aMaterial[i];
    int mr = ++o->mrow;
    static const char *const form_zh[] = {"原件", "复印件", "电子件", "申请表"};
    const char *fz = m->form;
    for (size_t k = 0; k < XQ_COUNT(forms); k++)
      if (strcmp(m->form, forms[k]) == 0) fz = form_zh[k];
    worksheet_write_string(o->mats, mr, 0, it->code, NULL);
    worksheet_write_string(o->mats, mr, 1, it->name, NULL);
    worksheet_write_string(o->mats, mr, 2, m->key, NULL);
    worksheet_write_string(o->mats, mr, 3, m->name, NULL);
    worksheet_write_string(o->mats, mr, 4, m->core ? "是" : "否", NULL);
    worksheet_write_string(o->mats, mr, 5, m->may_miss ? "是" : "否", NULL);
    worksheet_write_string(o->mats, mr, 6, fz, NULL);
    worksheet_write_string(o->mats, mr, 7, m->source, NULL);
  }
  return 0;
}

int catalog_export_xlsx(Store *s, const char *path, Err *e) {
  /* Widths of the 事项 columns (CSV order); the titles are csv_labels. */
  static const double widths[CSV_COLS] = {14, 6, 12, 12, 10, 36, 12, 50, 60, 60, 9, 9, 10, 12, 9, 20,
                                          9, 30, 12, 9, 9, 12, 9, 16, 20, 12, 10, 10, 60, 20, 30};
  static const struct { const char *title; double width; } mcols[] = {
      {"事项编码", 14}, {"事项名称", 36}, {"材料键", 12}, {"材料名称", 36},
      {"核心要件", 9},  {"可容缺", 8},    {"形式", 8},    {"数据来源", 18}};
  lxw_workbook *wb = workbook_new(path);
  if (!wb) return write_failed(e);
  XlsxOut o = {workbook_add_worksheet(wb, "事项"), workbook_add_worksheet(wb, "材料"),
               workbook_add_format(wb), 0, 0, false, ""};
  lxw_format *bold = workbook_add_format(wb);
  format_set_bold(bold);
  format_set_text_wrap(o.wrap);
  for (int i = 0; i < CSV_COLS; i++) {
    worksheet_write_string(o.items, 0, (lxw_col_t)i, csv_labels[i], bold);
    worksheet_set_column(o.items, (lxw_col_t)i, (lxw_col_t)i, widths[i], NULL);
  }
  for (size_t i = 0; i < XQ_COUNT(mcols); i++) {
    worksheet_write_string(o.mats, 0, (lxw_col_t)i, mcols[i].title, bold);
    worksheet_set_column(o.mats, (lxw_col_t)i, (lxw_col_t)i, mcols[i].width, NULL);
  }
  worksheet_freeze_panes(o.items, 1, 0);
  worksheet_freeze_panes(o.mats, 1, 0);
  int rc = each_current(s, xlsx_item_row, &o, e);
  lxw_error le = workbook_close(wb);
  if (rc < 0) return -1;
  if (o.too_long)
    return err_setf(e, E_INVALID, "export.too_long", NULL,
                    "事项 %s 有超过 32767 个字符的文本，Excel 单元格放不下；请导出 CSV",
                    "Item %s has a text over 32,767 characters, more than an Excel cell holds; export CSV", o.code);
  if (le != LXW_NO_ERROR) return write_failed(e);
  return 0;
}

/* Application forms ---------------------------------------------------------- */

static const char *const form_types[] = {"text", "integer", "number", "money_fen", "date", "boolean", "choice"};

/* form_name_ok() is true for a field name: [a-z][a-z0-9_]*, 1–32 bytes. */
static bool form_name_ok(const char *s) {
  size_t n = s ? strlen(s) : 0;
  return n >= 1 && n <= 32 && s[0] >= 'a' && s[0] <= 'z' && strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_") == n;
}

static int bad_form(size_t i, const char *zh, const char *en, Err *e) {
  char field[64];
  err_set(e, E_INVALID, "catalog.bad_form", NULL, zh, en);
  snprintf(field, sizeof field, "form[%zu]", i);
  snprintf(e->field, sizeof e->field, "%s", field);
  return -1;
}

int catalog_form_check(const json_t *form, Err *e) {
  if (!json_is_array(form) || json_array_size(form) > 32)
    return err_set(e, E_INVALID, "catalog.bad_form", "form", "表单应为不超过 32 个字段的数组",
                   "form must be an array of at most 32 fields");
  size_t i;
  json_t *f;
  json_array_foreach(form, i, f) {
    static const char *const keys[] = {"name", "label", "label_en", "type", "required", "min", "max", "choices"};
    const char *k;
    json_t *v;
    if (!json_is_object(f)) return bad_form(i, "表单字段应为对象", "A form field must be an object", e);
    json_object_foreach(f, k, v) if (!in_list(k, keys, XQ_COUNT(keys)))
      return bad_form(i, "表单字段含未知属性", "A form field has an unknown member", e);
    const char *name = json_string_value(json_object_get(f, "name"));
    const char *label = json_string_value(json_object_get(f, "label"));
    const char *type = json_string_value(json_object_get(f, "type"));
    const json_t *en = json_object_get(f, "label_en"), *req = json_object_get(f, "required");
    const json_t *mn = json_object_get(f, "min"), *mx = json_object_get(f, "max"), *ch = json_object_get(f, "choices");
    if (!form_name_ok(name) || strcmp(name, "note") == 0)
      return bad_form(i, "字段名应为小写字母开头的 1–32 位小写字母、数字或下划线（note 为保留字段）",
                      "A field's name is 1-32 of a-z 0-9 _ starting with a letter (note is reserved)", e);
    for (size_t k2 = 0; k2 < i; k2++)
      if (strcmp(json_string_value(json_object_get(json_array_get(form, k2), "name")), name) == 0)
        return bad_form(i, "字段名重复", "A field's name is repeated", e);
    if (!label || !*label || !utf8_valid(label, strlen(label)) || utf8_len(label) > 40 ||
        (en && (!json_is_string(en) || utf8_len(json_string_value(en)) > 80)))
      return bad_form(i, "字段标签应为 1–40 字", "A field's label is 1-40 characters", e);
    if (!type || !in_list(type, form_types, XQ_COUNT(form_types)))
      return bad_form(i, "字段类型应为 text、integer、number、money_fen、date、boolean、choice 之一",
                      "A field's type is one of text, integer, number, money_fen, date, boolean, choice", e);
    if (req && !json_is_boolean(req)) return bad_form(i, "required 应为布尔值", "required must be a boolean", e);
    bool dated = strcmp(type, "date") == 0;
    for (int b = 0; b < 2; b++) {
      const json_t *lim = b ? mx : mn;
      int day;
      if (lim && (dated ? !json_is_string(lim) || cal_parse_date(json_string_value(lim), &day) : !json_is_number(lim)))
        return bad_form(i, "min/max 应为数（日期字段为 YYYY-MM-DD）", "min/max must be numbers (dates for a date field)", e);
    }
    if (strcmp(type, "choice") == 0) {
      size_t n = json_array_size(ch);
      if (!json_is_array(ch) || n == 0 || n > 50)
        return bad_form(i, "选择字段应列出 1–50 个选项", "A choice field lists 1-50 choices", e);
      size_t c;
      json_t *o;
      json_array_foreach(ch, c, o) if (!json_is_string(o) || !json_string_length(o) || utf8_len(json_string_value(o)) > 40)
        return bad_form(i, "选项应为 1–40 字的文本", "A choice is text of 1-40 characters", e);
    } else if (ch) {
      return bad_form(i, "只有选择字段有 choices", "Only a choice field has choices", e);
    }
  }
  return 0;
}

/* form_value_bad() fills *e for a filing's field name with a value that is
** not what the field takes (what, in Chinese and English). */
static int form_value_bad(const char *name, const char *label, const char *what_zh, const char *what_en, Err *e) {
  char zh[256], en[256];
  snprintf(zh, sizeof zh, "“%s”%s", label, what_zh);
  snprintf(en, sizeof en, "%s: %s", name, what_en);
  err_set(e, E_INVALID, "request.bad_form_value", NULL, zh, en);
  snprintf(e->field, sizeof e->field, "form.%.50s", name);
  return -1;
}

int catalog_form_validate(const Item *it, const json_t *form, bool complete, Err *e) {
  int bad = 0; /* errors found, each in e (and e->all when the caller gathers them) */
  if (form && !json_is_object(form))
    return err_set(e, E_INVALID, "request.bad_type", "form", "form 应为对象", "form must be an object");
  const json_t *note = json_object_get(form, "note");
  if (note && (!json_is_string(note) || !utf8_valid(json_string_value(note), json_string_length(note)) ||
               utf8_len(json_string_value(note)) > 500)) {
    form_value_bad("note", "补充说明", "应为不超过 500 字的文本", "at most 500 characters of text", e);
    if (!err_more(e)) return -1;
    bad++;
  }
  if (!it->form || json_array_size(it->form) == 0) return bad ? -1 : 0;
  const char *k;
  json_t *v;
  json_object_foreach((json_t *)form, k, v) {
    bool known = strcmp(k, "note") == 0 || strcmp(k, "rongque_promise") == 0;
    size_t i;
    json_t *f;
    json_array_foreach(it->form, i, f) known |= strcmp(json_string_value(json_object_get(f, "name")), k) == 0;
    if (!known) {
      err_setf(e, E_INVALID, "request.unknown_field", NULL, "该事项的表单没有此项：%s", "The item's form has no field %s", k);
      snprintf(e->field, sizeof e->field, "form.%.50s", k);
      if (!err_more(e)) return -1;
      bad++;
    }
  }
  size_t i;
  json_t *f;
  json_array_foreach(it->form, i, f) {
    const char *name = json_string_value(json_object_get(f, "name"));
    const char *label = json_string_value(json_object_get(f, "label"));
    const char *type = json_string_value(json_object_get(f, "type"));
    const json_t *mn = json_object_get(f, "min"), *mx = json_object_get(f, "max");
    int rc = 0;
    v = json_object_get(form, name);
    if (!v || json_is_null(v) || (json_is_string(v) && !json_string_length(v))) {
      if (complete && json_is_true(json_object_get(f, "required"))) {
        err_setf(e, E_INVALID, "request.missing_field", NULL, "请填写“%s”", "Fill in %s", label);
        snprintf(e->field, sizeof e->field, "form.%.50s", name);
        rc = -1;
      }
    } else if (strcmp(type, "text") == 0) {
      const char *s = json_string_value(v);
      size_t n = s ? utf8_len(s) : 0;
      if (!s || !utf8_valid(s, strlen(s)) || (mn && n < (size_t)json_number_value(mn)) ||
          n > (mx ? (size_t)json_number_value(mx) : 500))
        rc = form_value_bad(name, label, "的文字长度不符合要求", "text of the wrong length", e);
    } else if (strcmp(type, "boolean") == 0) {
      if (!json_is_boolean(v)) rc = form_value_bad(name, label, "应为是或否", "must be true or false", e);
    } else if (strcmp(type, "choice") == 0) {
      bool found = false;
      size_t c;
      json_t *o;
      json_array_foreach(json_object_get(f, "choices"), c, o) found |= json_equal(o, v);
      if (!found) rc = form_value_bad(name, label, "应为所列选项之一", "must be one of the choices", e);
    } else if (strcmp(type, "date") == 0) {
      int day;
      const char *s = json_string_value(v);
      if (!s || strlen(s) != 10 || cal_parse_date(s, &day) ||
          (mn && strcmp(s, json_string_value(mn)) < 0) || (mx && strcmp(s, json_string_value(mx)) > 0))
        rc = form_value_bad(name, label, "应为有效日期（YYYY-MM-DD）且在允许范围内", "must be a date within range", e);
    } else { /* integer, money_fen, number */
      bool whole = strcmp(type, "number") != 0;
      if ((whole && !json_is_integer(v)) || (!whole && !json_is_number(v))) {
        rc = form_value_bad(name, label, whole ? "应为整数" : "应为数", whole ? "must be a whole number" : "must be a number", e);
      } else {
        double x = json_number_value(v);
        if ((mn && x < json_number_value(mn)) || (mx && x > json_number_value(mx)))
          rc = form_value_bad(name, label, "超出允许范围", "out of range", e);
      }
    }
    if (rc) {
      if (!err_more(e)) return -1;
      bad++;
    }
  }
  return bad ? -1 : 0;
}
