/* test_catalog.c — the service catalogue on a real SQLite store: every
** refusal of catalog_item_check, versioning by effective date, search,
** the CSV and Excel round trips, the Excel import's refusals, and the demo
** catalogue's exact mode counts. */
#include "unit.h"
#include "domain/accounts.h"
#include "domain/catalog.h"
#include "store/store.h"
#include "base/buf.h"
#include "base/csv.h"

#include <stdio.h>
#include <unistd.h>
#include <xlsxwriter.h>

const char *embedded_get(const char *name, size_t *n);

typedef struct Fix {
  char dir[64];
  char path[128];
  Store *s;
} Fix;

static Store *open_store(Fix *f, const char *name) {
  Err e = {0};
  snprintf(f->path, sizeof f->path, "sqlite:%s/%s", f->dir, name);
  Store *s = store_open(f->path, &e);
  if (!s || store_migrate(s, &e)) return NULL;
  size_t n;
  const char *depts = embedded_get("jinpu/departments.csv", &n);
  if (accounts_departments_import(s, depts, n, &e)) return NULL;
  return s;
}

static int setup(void **state) {
  Fix *f = xcalloc(1, sizeof *f);
  snprintf(f->dir, sizeof f->dir, "/tmp/xq-catalog-XXXXXX");
  if (!mkdtemp(f->dir)) return -1;
  f->s = open_store(f, "t.db");
  if (!f->s) return -1;
  *state = f;
  return 0;
}

static int teardown(void **state) {
  Fix *f = *state;
  char cmd[128];
  store_close(f->s);
  snprintf(cmd, sizeof cmd, "rm -rf %s", f->dir);
  if (system(cmd) != 0) return -1;
  free(f);
  return 0;
}

/* good() is a valid 承诺件 with a core and a may-miss material. */
static void good(Item *it, const char *code) {
  memset(it, 0, sizeof *it);
  snprintf(it->code, sizeof it->code, "%s", code);
  snprintf(it->dept_code, sizeof it->dept_code, "scjgj");
  snprintf(it->name, sizeof it->name, "测试鑫垚许可");
  snprintf(it->kind, sizeof it->kind, "行政许可");
  snprintf(it->fees, sizeof it->fees, "不收费");
  snprintf(it->effective_from, sizeof it->effective_from, "2022-01-01");
  it->nMaterial = 2;
  snprintf(it->aMaterial[0].key, 24, "apply");
  snprintf(it->aMaterial[0].name, 244, "申请书");
  it->aMaterial[0].core = true;
  snprintf(it->aMaterial[0].form, 16, "form");
  snprintf(it->aMaterial[1].key, 24, "premises");
  snprintf(it->aMaterial[1].name, 244, "场所证明");
  it->aMaterial[1].may_miss = true;
  snprintf(it->aMaterial[1].form, 16, "copy");
  it->legal_limit = 20;
  it->promised_limit = 5;
  it->limit_unit = LIMIT_WORKDAYS;
  it->handling = HANDLING_PROMISE;
  it->ch_window = true;
  it->visits = 1;
  it->allow_rongque = true;
}

static void refused(Item *it, const char *code, const char *field) {
  Err e = {0};
  assert_int_equal(catalog_item_check(it, &e), -1);
  assert_string_equal(e.code, code);
  assert_string_equal(e.field, field);
  assert_int_equal(e.kind, E_INVALID);
  assert_true(e.message[0] && e.message_en[0]);
}

static void item_checks(void **state) {
  (void)state;
  Item it;
  Err e = {0};
  good(&it, "T-1");
  assert_int_equal(catalog_item_check(&it, &e), 0);
  good(&it, "T 1"); refused(&it, "catalog.bad_code", "code");
  good(&it, "T-1"); it.name[0] = 0; refused(&it, "catalog.bad_name", "name");
  good(&it, "T-1"); it.dept_code[0] = 0; refused(&it, "catalog.bad_dept", "dept_code");
  good(&it, "T-1"); snprintf(it.kind, sizeof it.kind, "许可"); refused(&it, "catalog.bad_kind", "kind");
  good(&it, "T-1"); snprintf(it.effective_from, 11, "2022-02-30"); refused(&it, "catalog.bad_date", "effective_from");
  good(&it, "T-1"); snprintf(it.effective_to, 11, "2021-12-31"); refused(&it, "catalog.bad_date", "effective_to");
  good(&it, "T-1"); it.fees[0] = 0; refused(&it, "catalog.bad_fees", "fees");
  good(&it, "T-1"); snprintf(it.aMaterial[1].key, 24, "apply"); refused(&it, "catalog.duplicate_material", "materials");
  good(&it, "T-1"); snprintf(it.aMaterial[1].key, 24, "Bad"); refused(&it, "catalog.bad_material", "materials");
  good(&it, "T-1"); snprintf(it.aMaterial[1].form, 16, "scan"); refused(&it, "catalog.bad_material", "materials");
  good(&it, "T-1"); it.aMaterial[0].may_miss = true; refused(&it, "catalog.core_may_miss", "materials");
  good(&it, "T-1"); it.promised_limit = 21; refused(&it, "catalog.promised_over_legal", "promised_limit");
  good(&it, "T-1"); it.legal_limit = -1; refused(&it, "catalog.bad_limit", "legal_limit");
  good(&it, "T-1"); it.limit_unit = 0; refused(&it, "catalog.bad_limit_unit", "limit_unit");
  good(&it, "T-1"); it.handling = 0; refused(&it, "catalog.bad_handling", "handling");
  good(&it, "T-1"); it.handling = HANDLING_INSTANT; refused(&it, "catalog.instant_limit", "promised_limit");
  good(&it, "T-1"); it.ch_window = false; refused(&it, "catalog.no_channel", "channels");
  good(&it, "T-1"); it.visits = 2; refused(&it, "catalog.bad_visits", "visits");
  good(&it, "T-1"); it.postcheck_pct = 101; refused(&it, "catalog.bad_postcheck", "postcheck_pct");
  good(&it, "T-1"); it.allow_promise = true; refused(&it, "catalog.bad_promise_verify", "promise_verify_days");
  good(&it, "T-1"); it.safety = true; refused(&it, "catalog.safety_rongque", "allow_rongque");
  good(&it, "T-1"); it.safety = true; it.allow_rongque = false; it.allow_promise = true;
  it.promise_verify_days = 20; refused(&it, "catalog.safety_promise", "allow_promise");
  /* 告知承诺 needs the promise among the materials; 服务对象 is one of three. */
  good(&it, "T-1"); it.allow_promise = true; it.promise_verify_days = 20;
  refused(&it, "catalog.promise_material", "materials");
  good(&it, "T-1"); snprintf(it.parties, sizeof it.parties, "robot"); refused(&it, "catalog.bad_parties", "parties");
  good(&it, "T-1"); snprintf(it.reform_mode, sizeof it.reform_mode, "取消"); refused(&it, "catalog.bad_reform_mode", "reform_mode");
  good(&it, "T-1"); it.output_valid_months = -1; refused(&it, "catalog.bad_validity", "output_valid_months");
  /* A 秒批 rule that does not compile in the sandbox is refused. */
  good(&it, "T-1"); it.rule = xstrdup("approve(\"缺少右括号\""); refused(&it, "rule.syntax", "rule");
  catalog_item_free(&it);
  good(&it, "T-1"); it.rule = xstrdup("approve(\"状态正常\")");
  assert_int_equal(catalog_item_check(&it, &e), 0);
  catalog_item_free(&it);
}

/* guided() is good() with a full guide, two themes and three keywords. */
static void guided(Item *it, const char *code) {
  good(it, code);
  it->guide = json_pack("{s:s, s:s, s:s, s:s, s:s, s:[{s:s, s:s}, {s:s}]}", "place",
                        "大连金普新区政务服务中心 A 区 1 楼", "window", "13 号窗口", "hours",
                        "周一至周五 8:30—11:30，13:00—17:00（法定节假日除外）", "phone", "0411-87654321",
                        "complaint_phone", "12345", "steps", "name", "申请", "description", "提交材料", "name", "受理");
  snprintf(it->themes, sizeof it->themes, "开办企业|经营许可");
  snprintf(it->keywords, sizeof it->keywords, "执照|许可证|开店");
}

/* set_guide() replaces member k of it's guide with v (a new reference). */
static void set_guide(Item *it, const char *k, json_t *v) { json_object_set_new(it->guide, k, v); }

static void guide_checks(void **state) {
  (void)state;
  Item it;
  Err e = {0};
  guided(&it, "T-G");
  assert_int_equal(catalog_item_check(&it, &e), 0);
  /* Phones: an area code and 7–8 digits (an extension may follow), a
  ** 5-digit service number, a mobile, 400-; nothing else. */
  static const char *const phones_ok[] = {"0411-87654321", "010-1234567", "0411-87654321-802", "12345",
                                          "13912345678", "400-123-4567", ""};
  static const char *const phones_bad[] = {"87654321", "0411 87654321", "0411-876", "1234", "12912345678",
                                           "0411-87654321-", "电话", "0411-87654321；12345"};
  for (size_t i = 0; i < XQ_COUNT(phones_ok); i++) {
    set_guide(&it, "phone", json_string(phones_ok[i]));
    assert_int_equal(catalog_item_check(&it, &e), 0);
  }
  for (size_t i = 0; i < XQ_COUNT(phones_bad); i++) {
    set_guide(&it, "complaint_phone", json_string(phones_bad[i]));
    refused(&it, "catalog.bad_guide", "guide.complaint_phone");
  }
  catalog_item_free(&it);
  guided(&it, "T-G"); set_guide(&it, "place", json_string("一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十"
                                                         "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十"
                                                         "一二三四五六七八九十一二三四五六七八九十一"));
  refused(&it, "catalog.bad_guide", "guide.place");
  catalog_item_free(&it);
  guided(&it, "T-G"); set_guide(&it, "hours", json_integer(8)); refused(&it, "catalog.bad_guide", "guide.hours");
  catalog_item_free(&it);
  guided(&it, "T-G"); set_guide(&it, "fax", json_string("x")); refused(&it, "catalog.bad_guide", "guide.fax");
  catalog_item_free(&it);
  /* Steps: at most 12, each a name of 1–40 characters and maybe a description. */
  guided(&it, "T-G");
  json_t *steps = json_array();
  for (int i = 0; i < 12; i++) json_array_append_new(steps, json_pack("{s:s}", "name", "审查"));
  set_guide(&it, "steps", steps);
  assert_int_equal(catalog_item_check(&it, &e), 0);
  json_array_append_new(steps, json_pack("{s:s}", "name", "送达"));
  refused(&it, "catalog.bad_guide", "guide.steps");
  catalog_item_free(&it);
  guided(&it, "T-G"); set_guide(&it, "steps", json_pack("[{s:s}]", "name", "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一"));
  refused(&it, "catalog.bad_guide", "guide.steps");
  catalog_item_free(&it);
  guided(&it, "T-G"); set_guide(&it, "steps", json_pack("[{s:s, s:s}]", "name", "申请", "who", "x"));
  refused(&it, "catalog.bad_guide", "guide.steps");
  catalog_item_free(&it);
  guided(&it, "T-G"); set_guide(&it, "steps", json_pack("[{s:s}]", "name", ""));
  refused(&it, "catalog.bad_guide", "guide.steps");
  catalog_item_free(&it);
  /* Themes from the one list, not repeated, at most 5. */
  guided(&it, "T-G"); snprintf(it.themes, sizeof it.themes, "开办企业|买彩票"); refused(&it, "catalog.bad_theme", "themes");
  snprintf(it.themes, sizeof it.themes, "教育|教育"); refused(&it, "catalog.bad_theme", "themes");
  snprintf(it.themes, sizeof it.themes, "教育||住房"); refused(&it, "catalog.bad_theme", "themes");
  snprintf(it.themes, sizeof it.themes, "教育|住房|医疗卫生|交通出行|社会保障|就业创业"); refused(&it, "catalog.bad_theme", "themes");
  snprintf(it.themes, sizeof it.themes, "教育|住房|医疗卫生|交通出行|社会保障");
  assert_int_equal(catalog_item_check(&it, &e), 0);
  for (int i = 0; i < nCatalogTheme; i++) {
    snprintf(it.themes, sizeof it.themes, "%s", catalog_themes[i].name);
    assert_int_equal(catalog_item_check(&it, &e), 0);
  }
  /* Keywords: at most 10 of 1–20 characters, not repeated. */
  snprintf(it.keywords, sizeof it.keywords, "1|2|3|4|5|6|7|8|9|10");
  assert_int_equal(catalog_item_check(&it, &e), 0);
  snprintf(it.keywords, sizeof it.keywords, "1|2|3|4|5|6|7|8|9|10|11"); refused(&it, "catalog.bad_keywords", "keywords");
  snprintf(it.keywords, sizeof it.keywords, "执照|执照"); refused(&it, "catalog.bad_keywords", "keywords");
  snprintf(it.keywords, sizeof it.keywords, "一二三四五六七八九十一二三四五六七八九十一"); refused(&it, "catalog.bad_keywords", "keywords");
  catalog_item_free(&it);
  /* JSON: arrays in and out; a "|" inside a keyword is refused. */
  guided(&it, "T-G");
  json_t *o = catalog_item_json(&it);
  Item back;
  assert_int_equal(catalog_item_from_json(o, &back, &e), 0);
  assert_string_equal(back.themes, "开办企业|经营许可");
  assert_string_equal(back.keywords, "执照|许可证|开店");
  assert_true(json_equal(back.guide, it.guide));
  catalog_item_free(&back);
  json_object_set_new(o, "keywords", json_pack("[s]", "a|b"));
  assert_int_equal(catalog_item_from_json(o, &back, &e), -1);
  assert_string_equal(e.code, "catalog.bad_keywords");
  catalog_item_free(&back);
  json_decref(o);
  catalog_item_free(&it);
}

static void versions_by_date(void **state) {
  Fix *f = *state;
  Item it, got;
  Err e = {0};
  good(&it, "T-VER");
  it.rule = xstrdup("");
  assert_int_equal(catalog_save(f->s, NULL, &it, &e), 0);
  assert_int_equal(it.version, 1);
  int64_t v1 = it.version_id;
  snprintf(it.name, sizeof it.name, "测试鑫垚许可（第二版）");
  snprintf(it.effective_from, sizeof it.effective_from, "2023-03-01");
  assert_int_equal(catalog_save(f->s, NULL, &it, &e), 0);
  assert_int_equal(it.version, 2);
  /* An earlier start than the latest version's is refused, nothing written. */
  snprintf(it.effective_from, sizeof it.effective_from, "2023-01-01");
  assert_int_equal(catalog_save(f->s, NULL, &it, &e), -1);
  assert_string_equal(e.code, "catalog.bad_effective_from");
  catalog_item_free(&it);

  assert_int_equal(catalog_get(f->s, "T-VER", "2023-02-28", &got, &e), 0);
  assert_int_equal(got.version, 1);
  assert_string_equal(got.effective_to, "2023-02-28");
  assert_string_equal(got.name, "测试鑫垚许可");
  assert_int_equal(got.nMaterial, 2);
  assert_true(got.aMaterial[1].may_miss);
  catalog_item_free(&got);
  assert_int_equal(catalog_get(f->s, "T-VER", "2023-03-01", &got, &e), 0);
  assert_int_equal(got.version, 2);
  assert_string_equal(got.effective_to, "");
  catalog_item_free(&got);
  assert_int_equal(catalog_get(f->s, "T-VER", NULL, &got, &e), 0);
  assert_int_equal(got.version, 2);
  catalog_item_free(&got);
  assert_int_equal(catalog_get(f->s, "T-VER", "2021-12-31", &got, &e), -1);
  assert_string_equal(e.code, "catalog.not_found");
  assert_int_equal(catalog_get_version(store_reader(f->s), v1, &got, &e), 0);
  assert_int_equal(got.version, 1);
  catalog_item_free(&got);
  json_t *vs = catalog_versions(f->s, "T-VER", &e);
  assert_non_null(vs);
  assert_int_equal(json_array_size(json_object_get(vs, "items")), 2);
  json_decref(vs);
  /* An unknown department is refused by the save. */
  good(&it, "T-DEPT");
  snprintf(it.dept_code, sizeof it.dept_code, "nosuch");
  assert_int_equal(catalog_save(f->s, NULL, &it, &e), -1);
  assert_string_equal(e.code, "catalog.unknown_dept");
  catalog_item_free(&it);
}

static int64_t mode_count(json_t *st, const char *mode) {
  return json_integer_value(json_object_get(json_object_get(st, "modes"), mode));
}

static void slurp(const char *path, Buf *b);

static void demo_counts_and_roundtrip(void **state) {
  Fix *f = *state;
  Err e = {0};
  int64_t n;
  assert_int_equal(catalog_demo_load(f->s, &n, &e), 0);
  assert_true(n >= 300);
  json_t *st = catalog_stats(f->s, NULL, &e);
  assert_non_null(st);
  assert_int_equal(mode_count(st, "instant"), 374);
  assert_int_equal(mode_count(st, "auto"), 65);
  assert_int_equal(mode_count(st, "online"), 637);
  assert_int_equal(json_integer_value(json_object_get(st, "total")), n);
  /* Every item that is not a safety item allows 容缺; none that is does. */
  int nItem;
  Item *a = catalog_demo_items(&nItem);
  int64_t safety = 0;
  for (int i = 0; i < nItem; i++) {
    assert_int_equal(catalog_item_check(&a[i], &e), 0);
    assert_int_equal(a[i].allow_rongque, !a[i].safety);
    if (a[i].safety) assert_false(a[i].allow_promise);
    safety += a[i].safety;
    /* Each has a guide with its process, and at least one theme. */
    assert_true(json_array_size(json_object_get(a[i].guide, "steps")) >= 3);
    assert_non_null(json_string_value(json_object_get(a[i].guide, "place")));
    if (!a[i].themes[0]) assert_true(strcmp(a[i].dept_code, "yshjj") == 0 || strcmp(a[i].dept_code, "tjj") == 0 || strcmp(a[i].dept_code, "czj") == 0);
    catalog_item_free(&a[i]);
  }
  free(a);
  assert_true(safety > 0);
  assert_int_equal(mode_count(st, "rongque"), n - safety);
  json_decref(st);
  /* The named items. */
  Item it;
  assert_int_equal(catalog_get(f->s, "JP-MP-001", NULL, &it, &e), 0);
  assert_true(it.rule[0] != 0);
  assert_true(strstr(it.rule, "approve(") && strstr(it.rule, "deny("));
  catalog_item_free(&it);
  assert_int_equal(catalog_get(f->s, "JP-KB-04", NULL, &it, &e), 0);
  assert_int_equal(it.limit_unit, LIMIT_WORKHOURS);
  assert_int_equal(it.promised_limit, 4);
  assert_true(it.ch_online);
  catalog_item_free(&it);
  assert_int_equal(catalog_get(f->s, "JP-CN-001", NULL, &it, &e), 0);
  assert_true(it.allow_promise && it.allow_rongque);
  assert_int_equal(it.output_valid_months, 36);
  catalog_item_free(&it);

  /* Search: a Chinese substring, and filters. */
  CatalogQuery q = {"食品经营许可", NULL, NULL, NULL, NULL, NULL, NULL, 1, 100, NULL};
  json_t *res = catalog_search(f->s, &q, &e);
  assert_non_null(res);
  assert_true(json_integer_value(json_object_get(res, "total")) >= 8);
  size_t i;
  json_t *x;
  json_array_foreach(json_object_get(res, "items"), i, x)
    assert_non_null(strstr(json_string_value(json_object_get(x, "name")), "食品经营许可"));
  json_decref(res);
  CatalogQuery q2 = {NULL, "swj", "instant", "online", NULL, NULL, NULL, 1, 100, NULL};
  res = catalog_search(f->s, &q2, &e);
  assert_non_null(res);
  json_array_foreach(json_object_get(res, "items"), i, x) {
    assert_string_equal(json_string_value(json_object_get(x, "dept_code")), "swj");
    assert_string_equal(json_string_value(json_object_get(x, "handling")), "instant");
  }
  json_decref(res);
  CatalogQuery q3 = {NULL, NULL, "fast", NULL, NULL, NULL, NULL, 1, 10, NULL};
  assert_null(catalog_search(f->s, &q3, &e));
  assert_string_equal(e.code, "catalog.bad_mode");
  /* By the kind of party: a person's items are those for persons or for both. */
  CatalogQuery q4 = {NULL, NULL, NULL, NULL, NULL, "person", NULL, 1, 100, NULL};
  res = catalog_search(f->s, &q4, &e);
  assert_non_null(res);
  assert_true(json_array_size(json_object_get(res, "items")) > 0);
  json_array_foreach(json_object_get(res, "items"), i, x)
    assert_string_not_equal(json_string_value(json_object_get(x, "parties")), "entity");
  json_decref(res);
  CatalogQuery q5 = {NULL, NULL, NULL, NULL, NULL, "company", NULL, 1, 10, NULL};
  assert_null(catalog_search(f->s, &q5, &e));
  assert_string_equal(e.code, "catalog.bad_parties");

  /* CSV round trip into an empty database. */
  char a_path[160], b_path[160];
  snprintf(a_path, sizeof a_path, "%s/a.csv", f->dir);
  snprintf(b_path, sizeof b_path, "%s/b.csv", f->dir);
  FILE *out = fopen(a_path, "w");
  assert_int_equal(catalog_export_csv(f->s, out, &e), 0);
  fclose(out);
  Store *s2 = open_store(f, "b.db");
  assert_non_null(s2);
  FILE *in = fopen(a_path, "r");
  ImportReport rep;
  assert_int_equal(catalog_import_csv(s2, NULL, in, &rep, NULL, NULL, &e), 0);
  fclose(in);
  assert_int_equal(rep.rejected, 0);
  out = fopen(b_path, "w");
  assert_int_equal(catalog_export_csv(s2, out, &e), 0);
  fclose(out);
  char cmd[400];
  snprintf(cmd, sizeof cmd, "cmp -s %s %s", a_path, b_path);
  assert_int_equal(system(cmd), 0);
  store_close(s2);
  /* XLSX: a zip file. */
  snprintf(a_path, sizeof a_path, "%s/a.xlsx", f->dir);
  assert_int_equal(catalog_export_xlsx(f->s, a_path, &e), 0);
  in = fopen(a_path, "rb");
  char pk[2] = {0};
  assert_int_equal(fread(pk, 1, 2, in), 2);
  fclose(in);
  assert_memory_equal(pk, "PK", 2);
  /* Excel round trip: the exported workbook, imported into an empty
  ** database, exports the same CSV. */
  Buf wb = {0};
  slurp(a_path, &wb);
  Store *s3 = open_store(f, "c.db");
  assert_non_null(s3);
  assert_int_equal(catalog_import_xlsx(s3, NULL, wb.a, wb.n, &rep, NULL, NULL, &e), 0);
  assert_int_equal(rep.rejected, 0);
  assert_int_equal(rep.imported, n);
  buf_free(&wb);
  snprintf(a_path, sizeof a_path, "%s/a.csv", f->dir);
  snprintf(b_path, sizeof b_path, "%s/c.csv", f->dir);
  out = fopen(b_path, "w");
  assert_int_equal(catalog_export_csv(s3, out, &e), 0);
  fclose(out);
  snprintf(cmd, sizeof cmd, "cmp -s %s %s", a_path, b_path);
  assert_int_equal(system(cmd), 0);
  store_close(s3);
}

/* slurp() reads the file at path into b. */
static void slurp(const char *path, Buf *b) {
  FILE *in = fopen(path, "rb");
  char chunk[65536];
  size_t got;
  assert_non_null(in);
  while ((got = fread(chunk, 1, sizeof chunk, in)) > 0) buf_append(b, chunk, got);
  fclose(in);
}

static int64_t rej_line[8];
static char rej_why[8][256];
static int nRej;

static void on_reject(int64_t line, const char *code, const char *reason, void *arg) {
  (void)code, (void)arg;
  if (nRej < 8) {
    rej_line[nRej] = line;
    snprintf(rej_why[nRej], sizeof rej_why[nRej], "%s", reason);
  }
  nRej++;
}

/* Excel import on a workbook written here: a header mixing CSV names and
** Chinese labels, two good rows around a bad one and a blank row; a wrong
** header; not a workbook. */
static void xlsx_import(void **state) {
  Fix *f = *state;
  Err e = {0};
  Item it;
  ImportReport rep;
  char path[160];
  /* The CSV text of a valid item, from the CSV export. */
  good(&it, "T-XLSX-0");
  assert_int_equal(catalog_save(f->s, NULL, &it, &e), 0);
  catalog_item_free(&it);
  snprintf(path, sizeof path, "%s/one.csv", f->dir);
  FILE *out = fopen(path, "w");
  assert_int_equal(catalog_export_csv(f->s, out, &e), 0);
  fclose(out);
  FILE *in = fopen(path, "r");
  CsvReader r;
  csv_init(&r, in);
  assert_int_equal(csv_next(&r), 1);
  assert_int_equal(csv_next(&r), 1);
  char v[28][512];
  for (int i = 0; i < 28; i++) snprintf(v[i], sizeof v[i], "%s", csv_field(&r, i));
  csv_free(&r);
  fclose(in);
  static const char *const head[28] = {
      "事项编码", "version", "生效日期", "effective_to", "dept_code", "事项名称", "kind",
      "legal_basis", "conditions", "申请材料", "legal_limit", "promised_limit", "limit_unit",
      "fees", "handling", "channels", "visits", "rule", "postcheck_pct", "allow_rongque",
      "allow_promise", "promise_verify_days", "safety", "reform_mode", "output_kind", "有效期（月）", "服务对象", "登记效果"};
  for (int wrong = 0; wrong < 2; wrong++) {
    snprintf(path, sizeof path, "%s/in%d.xlsx", f->dir, wrong);
    lxw_workbook *wb = workbook_new(path);
    lxw_worksheet *ws = workbook_add_worksheet(wb, "事项");
    for (int c = 0; c < 28; c++)
      worksheet_write_string(ws, 0, (lxw_col_t)c, wrong && c == 6 ? "类别" : head[c], NULL);
    static const struct { int row; const char *code; const char *kind; } rows[] = {
        {1, "T-XLSX-1", NULL}, {2, "T-XLSX-2", "许可"}, {4, "T-XLSX-3", NULL}};
    for (size_t k = 0; k < XQ_COUNT(rows); k++)
      for (int c = 0; c < 28; c++) {
        const char *val = c == 0 ? rows[k].code : c == 6 && rows[k].kind ? rows[k].kind : v[c];
        if (c == 1 || c == 10 || c == 25) worksheet_write_number(ws, rows[k].row, (lxw_col_t)c, atoi(val), NULL);
        else worksheet_write_string(ws, rows[k].row, (lxw_col_t)c, val, NULL);
      }
    assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
  }
  Buf x = {0};
  snprintf(path, sizeof path, "%s/in0.xlsx", f->dir);
  slurp(path, &x);
  nRej = 0;
  assert_int_equal(catalog_import_xlsx(f->s, NULL, x.a, x.n, &rep, on_reject, NULL, &e), 0);
  assert_int_equal(rep.rows, 3);
  assert_int_equal(rep.imported, 2);
  assert_int_equal(rep.rejected, 1);
  assert_int_equal(nRej, 1);
  assert_int_equal(rej_line[0], 3); /* the sheet row of T-XLSX-2 */
  assert_non_null(strstr(rej_why[0], "kind"));
  assert_int_equal(catalog_get(f->s, "T-XLSX-3", NULL, &it, &e), 0);
  assert_int_equal(it.legal_limit, 20);
  assert_int_equal(it.nMaterial, 2);
  assert_string_equal(it.aMaterial[1].name, "场所证明");
  catalog_item_free(&it);
  assert_int_equal(catalog_get(f->s, "T-XLSX-2", NULL, &it, &e), -1);
  /* Again: nothing new to write; the two good rows are unchanged, the bad
  ** one is still refused. */
  assert_int_equal(catalog_import_xlsx(f->s, NULL, x.a, x.n, &rep, NULL, NULL, &e), 0);
  assert_int_equal(rep.imported, 0);
  assert_int_equal(rep.unchanged, 2);
  assert_int_equal(rep.rejected, 1);
  buf_free(&x);
  /* A wrong header writes nothing. */
  snprintf(path, sizeof path, "%s/in1.xlsx", f->dir);
  slurp(path, &x);
  assert_int_equal(catalog_import_xlsx(f->s, NULL, x.a, x.n, &rep, NULL, NULL, &e), -1);
  assert_string_equal(e.code, "import.bad_header");
  assert_int_equal(rep.imported, 0);
  /* Over the size limit. */
  assert_int_equal(catalog_import_xlsx(f->s, NULL, x.a, CATALOG_IMPORT_MAX + 1, &rep, NULL, NULL, &e), -1);
  assert_string_equal(e.code, "xlsx.too_large");
  buf_free(&x);
  /* A CSV file is not a workbook. */
  snprintf(path, sizeof path, "%s/one.csv", f->dir);
  slurp(path, &x);
  assert_int_equal(catalog_import_xlsx(f->s, NULL, x.a, x.n, &rep, NULL, NULL, &e), -1);
  assert_string_equal(e.code, "xlsx.not_zip");
  buf_free(&x);
}

static void json_roundtrip(void **state) {
  (void)state;
  Item it, back;
  Err e = {0};
  good(&it, "T-JSON");
  it.rule = xstrdup("approve(\"ok\")\n");
  it.ch_online = true;
  json_t *o = catalog_item_json(&it);
  assert_int_equal(catalog_item_from_json(o, &back, &e), 0);
  json_t *o2 = catalog_item_json(&back);
  assert_true(json_equal(o, o2));
  json_object_set_new(o, "colour", json_string("red"));
  catalog_item_free(&back);
  assert_int_equal(catalog_item_from_json(o, &back, &e), -1);
  assert_string_equal(e.code, "request.unknown_field");
  json_decref(o);
  json_decref(o2);
  catalog_item_free(&back);
  catalog_item_free(&it);
}

int main(void) {
  log_quiet(true);
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(item_checks),
      cmocka_unit_test(json_roundtrip),
      cmocka_unit_test(guide_checks),
      cmocka_unit_test_setup_teardown(versions_by_date, setup, teardown),
      cmocka_unit_test_setup_teardown(demo_counts_and_roundtrip, setup, teardown),
      cmocka_unit_test_setup_teardown(xlsx_import, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
