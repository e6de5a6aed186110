/* test_docs_board.c — the board's month report as PDF (docs_board_pdf(),
** src/domain/docs_board.c): a board of the contract's shape rendered and
** read back with pdftotext (every indicator's name, value, growth and
** status label, the projects behind, the panels, 演示数据, 共 M 页), its
** pages counted with pdfinfo (200 indicators run onto several), its charts
** found in the page images pdftoppm draws (the colours only the charts
** use), and what it refuses or takes defensively (NULL, not an object,
** an empty board, wrong types, a very long name). */
#include "unit.h"
#include "base/base.h"
#include "domain/docs.h"

#include <ctype.h>
#include <stdio.h>
#include <unistd.h>

typedef struct Fix {
  char dir[64];
} Fix;

static int setup(void **state) {
  Fix *f = xcalloc(1, sizeof *f);
  snprintf(f->dir, sizeof f->dir, "/tmp/xq-board-XXXXXX");
  if (!mkdtemp(f->dir)) return -1;
  *state = f;
  return 0;
}

static int teardown(void **state) {
  Fix *f = *state;
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf %s", f->dir);
  if (system(cmd) != 0) return -1;
  free(f);
  return 0;
}

/* ---- the board --------------------------------------------------------------- */

/* indicator() is an indicator of the contract's shape: quarterly, with the
** given value, growth (kind official or computed; NULL growth: none) and
** target status (NULL: no target); its trend has a null in each series. */
static json_t *indicator(const char *code, const char *name, const char *value, const char *growth,
                         const char *kind, const char *status, const char *label) {
  json_t *ind = json_pack(
      "{s:s,s:s,s:s,s:s,s:i,s:s,s:b,s:s,s:s,s:s,s:s,s:s,s:s,s:b,s:s,s:s,"
      "s:{s:[ssss],s:[s,s,s,n],s:[s,n,s,s],s:[s,s,n,s]},s:s}",
      "code", code, "name", name, "name_en", "An indicator", "unit", "亿元", "decimals", 1, "frequency", "quarter",
      "cumulative", 1, "source", "entered", "department", "tjj", "department_name", "统计局", "value", value,
      "period", "2021-Q3", "period_label", "1—3季度", "complete", 1, "share", "61.4", "city", "5800.2", "trend",
      "periods", "2021-Q1", "2021-Q2", "2021-Q3", "2021-Q4", "values", "600.1", "655.4", "701.9", "previous",
      "560.0", "610.7", "680.3", "growth", "8.1", "8.9", "9.0", "link", "/indicators?code=x&year=2021");
  if (growth)
    json_object_set_new(ind, "growth",
                        json_pack("{s:s,s:s,s:s,s:s}", "value", growth, "kind", kind, "basis",
                                  strcmp(kind, "official") == 0 ? "可比价" : "现价", "basis_en", "-"));
  else
    json_object_set_new(ind, "growth", json_null());
  if (status)
    json_object_set_new(ind, "target",
                        json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "text", "增长8%以上", "kind", "growth",
                                  "value", "8.0", "direction", "min", "progress", "92.5", "time", "75.0", "status",
                                  status, "status_label", label, "rule", "规则", "rule_en", "rule"));
  else
    json_object_set_new(ind, "target", json_null());
  return ind;
}

/* panel() is one of the five panels with two figures, the second unknown. */
static json_t *panel(const char *domain, const char *title, const char *fig) {
  return json_pack("{s:s,s:s,s:s,s:s,s:[{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:[ssssssssnnnn],s:s},"
                   "{s:s,s:s,s:s,s:s,s:n,s:n,s:n,s:[nnnnnnnnnnnn],s:s}]}",
                   "domain", domain, "title", title, "title_en", domain, "link", "/work", "figures", "feed", "a.b",
                   "name", fig, "name_en", "x", "unit", "件", "value", "98765", "previous", "87654", "growth", "12.7",
                   "months", "100", "120", "90", "130", "150", "110", "95", "140", "link", "/work", "feed",
                   "a.c", "name", "未知的一项", "name_en", "y", "unit", "个", "value", "previous", "growth", "months",
                   "link", "/work");
}

/* board() is a demo board of nInd indicators (the first four as below,
** then plain ones numbered), a livelihood block with 2 projects behind and
** the five panels. */
static json_t *board(int nInd) {
  json_t *b = json_pack("{s:i,s:i,s:[iii],s:s,s:I,s:b,s:s,s:{s:i,s:i,s:i,s:i,s:i}}", "year", 2021, "month", 9,
                        "years", 2019, 2020, 2021, "today", "2026-12-06", "generated_at", (json_int_t)1796543212000,
                        "demo", 1, "title", "2021年1—9月经济运行情况", "status_counts", "green", 1, "amber", 1, "red",
                        1, "none", 1, "unknown", 0);
  json_t *inds = json_array();
  static const struct {
    const char *code, *name, *value, *growth, *kind, *status, *label;
  } four[] = {
      {"gdp", "地区生产总值", "2576.3", "9.1", "official", "green", "绿"},
      {"industry", "规模以上工业增加值", "1234.5", "-3.2", "computed", "amber", "黄"},
      {"invest", "固定资产投资", "876.4", "5.6", "official", "red", "红"},
      {"retail", "社会消费品零售总额", "431.9", "7.7", "computed", NULL, NULL},
  };
  for (int i = 0; i < nInd; i++) {
    if (i < 4) {
      json_array_append_new(inds, indicator(four[i].code, four[i].name, four[i].value, four[i].growth, four[i].kind,
                                            four[i].status, four[i].label));
    } else {
      char code[32], name[64], value[32];
      snprintf(code, sizeof code, "x%d", i);
      snprintf(name, sizeof name, "测试指标第%d号", i);
      snprintf(value, sizeof value, "%d.5", 100 + i);
      json_array_append_new(inds, indicator(code, name, value, "1.0", "computed", i % 3 ? "green" : NULL, "绿"));
    }
  }
  /* the second is monthly: twelve periods, none after September */
  json_t *monthly = json_array_get(inds, 1);
  if (monthly) {
    json_object_set_new(monthly, "frequency", json_string("month"));
    json_object_set_new(monthly, "period_label", json_string("1—9月"));
    json_object_set_new(
        monthly, "trend",
        json_pack("{s:[ssssssssssss],s:[sssssssssnnn],s:[ssssssssssss],s:[sssssssssnnn]}", "periods", "2021-01",
                  "2021-02", "2021-03", "2021-04", "2021-05", "2021-06", "2021-07", "2021-08", "2021-09", "2021-10",
                  "2021-11", "2021-12", "values", "120.5", "98.1", "140.2", "133.3", "137.9", "150.0", "129.4",
                  "131.7", "146.8", "previous", "125.0", "90.3", "150.1", "140.0", "128.8", "155.5", "120.0",
                  "135.2", "149.9", "151.0", "160.2", "170.4", "growth", "-3.6", "1.2", "-2.0", "-3.1", "-1.0",
                  "-1.5", "-0.2", "-0.5", "-0.9"));
  }
  json_object_set_new(b, "indicators", inds);
  json_object_set_new(
      b, "livelihood",
      json_pack("{s:i,s:s,s:i,s:{s:i,s:i,s:i},s:s,s:I,"
                "s:[{s:{s:s,s:s},s:i,s:i,s:i,s:i,s:s},{s:{s:s,s:s},s:i,s:i,s:i,s:i,s:s}],s:[],"
                "s:[{s:s,s:s,s:{s:s,s:s},s:{s:s,s:s}},{s:s,s:s,s:{s:s,s:s},s:s}]}",
                "year", 2021, "today", "2026-12-06", "total", 12, "counts", "on_track", 7, "behind", 2, "done", 3,
                "progress", "64.2", "budget_fen", (json_int_t)123456789, "by_dept", "dept", "code", "jyj", "name",
                "教育局", "total", 5, "on_track", 3, "behind", 1, "done", 1, "progress", "55.0", "dept", "code",
                "wjw", "name", "卫生健康局", "total", 7, "on_track", 4, "behind", 1, "done", 2, "progress", "70.7",
                "by_category", "projects_behind", "code", "LV2021-07", "title", "新建金州第二幼儿园", "dept", "code",
                "jyj", "name", "教育局", "status_reason", "zh", "里程碑「主体封顶」计划 2021-06-30 完成，未完成",
                "en", "late", "code", "LV2021-11", "title", "社区卫生服务中心改造", "dept", "code", "wjw", "name",
                "卫生健康局", "status_reason", "设备招标流标"));
  json_object_set_new(b, "panels",
                      json_pack("[ooooo]", panel("services", "政务服务", "政务服务办件量"),
                                panel("registry", "市场主体", "新登记市场主体"),
                                panel("invest", "招商引资", "新签约项目"), panel("ladder", "企业梯度培育", "入库企业"),
                                panel("talent", "人才服务", "人才补贴发放")));
  return b;
}

/* ---- reading the PDF back ---------------------------------------------------------- */

/* save() writes pdf to DIR/name and returns the path (free() it). */
static char *save(Fix *f, const Buf *pdf, const char *name) {
  char *path = xasprintf("%s/%s", f->dir, name);
  FILE *fp = fopen(path, "wb");
  assert_non_null(fp);
  assert_int_equal(fwrite(pdf->a, 1, pdf->n, fp), pdf->n);
  fclose(fp);
  return path;
}

/* slurp() reads a whole file (free() it). */
static char *slurp(const char *path, size_t *n) {
  FILE *fp = fopen(path, "rb");
  if (!fp) fail_msg("cannot read %s", path);
  Buf b = {0};
  char chunk[8192];
  size_t k;
  while ((k = fread(chunk, 1, sizeof chunk, fp)) > 0) buf_append(&b, chunk, k);
  fclose(fp);
  if (n) *n = b.n;
  return buf_detach(&b);
}

/* pdf_text() is pdftotext's reading of pdf, white space squeezed out
** (pdftotext breaks lines where pango wrapped them). free() it. */
static char *pdf_text(Fix *f, const Buf *pdf) {
  char *path = save(f, pdf, "board.pdf"), *txt = xasprintf("%s/board.txt", f->dir);
  char *cmd = xasprintf("pdftotext -enc UTF-8 %s %s", path, txt);
  int rc = system(cmd);
  if (rc != 0) fail_msg("pdftotext failed (%d): is poppler-utils installed?", rc);
  char *t = slurp(txt, NULL), *q = t;
  for (const char *s = t; *s; s++)
    if (!isspace((unsigned char)*s)) *q++ = *s;
  *q = 0;
  free(cmd);
  free(txt);
  free(path);
  return t;
}

static void expect_text(const char *t, const char *want) {
  if (!strstr(t, want)) fail_msg("the report lacks \"%s\"; it reads:\n%.3000s", want, t);
}

/* pages() is the page count pdfinfo reads in pdf. */
static int pages(Fix *f, const Buf *pdf) {
  char *path = save(f, pdf, "pages.pdf"), *cmd = xasprintf("pdfinfo %s", path);
  FILE *p = popen(cmd, "r");
  assert_non_null(p);
  char line[512];
  int n = -1;
  while (fgets(line, sizeof line, p))
    if (strncmp(line, "Pages:", 6) == 0) n = atoi(line + 6);
  assert_int_equal(pclose(p), 0);
  free(cmd);
  free(path);
  return n;
}

/* chart_pixels() counts, over every page of pdf drawn at 50 dpi by
** pdftoppm, the pixels near the colours only the charts use: last year's
** bars (beige) in *prev and the growth line (orange) in *growth. */
static void chart_pixels(Fix *f, const Buf *pdf, long *prev, long *growth) {
  char *path = save(f, pdf, "chart.pdf"), *cmd = xasprintf("pdftoppm -r 50 %s %s/page", path, f->dir);
  assert_int_equal(system(cmd), 0);
  *prev = *growth = 0;
  for (int pg = 1; pg < 100; pg++) {
    char *ppm = NULL;
    for (int digits = 1; digits <= 3 && !ppm; digits++) {
      char *name = xasprintf("%s/page-%0*d.ppm", f->dir, digits, pg);
      if (access(name, R_OK) == 0) ppm = name;
      else free(name);
    }
    if (!ppm) break;
    size_t n;
    char *img = slurp(ppm, &n);
    int w, h, max, off = 0;
    if (sscanf(img, "P6 %d %d %d%n", &w, &h, &max, &off) != 3 || max != 255) fail_msg("not a PPM: %s", ppm);
    const unsigned char *px = (const unsigned char *)img + off + 1;
    assert_true(n >= (size_t)(off + 1) + (size_t)w * (size_t)h * 3);
    for (long i = 0; i < (long)w * h; i++) {
      int r = px[3 * i], g = px[3 * i + 1], b = px[3 * i + 2];
      if (abs(r - 204) < 10 && abs(g - 194) < 10 && abs(b - 158) < 10) (*prev)++;
      if (abs(r - 230) < 20 && abs(g - 107) < 25 && abs(b - 20) < 25) (*growth)++;
    }
    unlink(ppm);
    free(ppm);
    free(img);
  }
  free(cmd);
  free(path);
}

/* ---- tests ----------------------------------------------------------------------------- */

/* What a reader checks: the title, the demo mark, each indicator's name,
** value, growth and status label, the projects behind, every panel's title
** and figure, the page foot with the page count. */
static void test_board_text(void **state) {
  Fix *f = *state;
  Err e = {0};
  json_t *b = board(4);
  Buf pdf = {0};
  buf_puts(&pdf, "KEEP"); /* appended to, not replaced */
  if (docs_board_pdf(b, &pdf, &e)) fail_msg("%s %s", e.code, e.message_en);
  assert_memory_equal(pdf.a, "KEEP%PDF-", 9);
  Buf only = {0};
  buf_append(&only, pdf.a + 4, pdf.n - 4);
  char *t = pdf_text(f, &only);
  expect_text(t, "大连金普新区");
  expect_text(t, "2021年1—9月经济运行情况");
  expect_text(t, "演示数据");
  expect_text(t, "生成日期：2026年12月6日");
  expect_text(t, "一、主要经济指标");
  const char *want[] = {"地区生产总值", "2576.3", "9.1*", "规模以上工业增加值", "1234.5", "-3.2", "固定资产投资",
                        "876.4", "5.6*", "社会消费品零售总额", "431.9", "7.7", "绿", "黄", "红", "无目标",
                        "增长8%以上", "92.5/75.0", "61.4", "1—3季度", "可比价"};
  for (size_t i = 0; i < XQ_COUNT(want); i++) expect_text(t, want[i]);
  expect_text(t, "二、重点指标走势");
  expect_text(t, "本年");
  expect_text(t, "上年同期");
  expect_text(t, "Q1");
  expect_text(t, "三、惠民实事");
  expect_text(t, "共12项：按计划推进7项，滞后2项，已完成3项；平均进度64.2%");
  expect_text(t, "新建金州第二幼儿园");
  expect_text(t, "社区卫生服务中心改造");
  expect_text(t, "设备招标流标");
  expect_text(t, "卫生健康局");
  expect_text(t, "四、各领域");
  const char *panels[] = {"政务服务", "市场主体", "招商引资", "企业梯度培育", "人才服务", "政务服务办件量",
                          "98765件", "87654件", "12.7", "未知的一项"};
  for (size_t i = 0; i < XQ_COUNT(panels); i++) expect_text(t, panels[i]);
  int n = pages(f, &only);
  assert_true(n >= 2);
  char foot[64];
  snprintf(foot, sizeof foot, "第1页/共%d页", n);
  expect_text(t, foot);
  snprintf(foot, sizeof foot, "第%d页/共%d页", n, n);
  expect_text(t, foot);
  free(t);
  buf_free(&only);
  buf_free(&pdf);
  json_decref(b);
}

/* 200 indicators run onto several pages, every one of them listed (the
** table's header repeated), the charts limited to 8 with the rest said. */
static void test_board_many(void **state) {
  Fix *f = *state;
  Err e = {0};
  json_t *few = board(4), *many = board(200);
  Buf a = {0}, b = {0};
  assert_int_equal(docs_board_pdf(few, &a, &e), 0);
  assert_int_equal(docs_board_pdf(many, &b, &e), 0);
  int na = pages(f, &a), nb = pages(f, &b);
  assert_true(nb > na + 3);
  char *t = pdf_text(f, &b);
  expect_text(t, "测试指标第5号");
  expect_text(t, "测试指标第199号");
  expect_text(t, "299.5");
  char foot[64];
  snprintf(foot, sizeof foot, "第%d页/共%d页", nb, nb);
  expect_text(t, foot);
  /* the heading of the table is on more pages than the first */
  int heads = 0;
  for (const char *s = t; (s = strstr(s, "占全市%")); s++) heads++;
  assert_true(heads >= 3);
  /* 3 of the first four and 131 of the rest have a target: 8 charts, 126 said */
  expect_text(t, "另有126项设定目标的指标未绘图");
  free(t);
  buf_free(&a);
  buf_free(&b);
  json_decref(few);
  json_decref(many);
}

/* The charts are drawn: the page images hold the colours only they use
** (last year's bars, the growth line); a board without targets has no
** chart and none of those colours. */
static void test_board_charts(void **state) {
  Fix *f = *state;
  Err e = {0};
  json_t *b = board(4);
  Buf pdf = {0};
  assert_int_equal(docs_board_pdf(b, &pdf, &e), 0);
  long prev, growth;
  chart_pixels(f, &pdf, &prev, &growth);
  assert_true(prev > 100);
  assert_true(growth > 20);
  /* the same board without targets: no charts */
  size_t i;
  json_t *ind;
  json_array_foreach(json_object_get(b, "indicators"), i, ind) json_object_set_new(ind, "target", json_null());
  buf_reset(&pdf);
  assert_int_equal(docs_board_pdf(b, &pdf, &e), 0);
  chart_pixels(f, &pdf, &prev, &growth);
  assert_int_equal(prev, 0);
  assert_int_equal(growth, 0);
  char *t = pdf_text(f, &pdf);
  expect_text(t, "没有设定年度目标的指标");
  free(t);
  buf_free(&pdf);
  json_decref(b);
}

/* An empty board, members of the wrong types and absurdly long text all
** render: missing values print as —, long names are cut with … */
static void test_board_defensive(void **state) {
  Fix *f = *state;
  Err e = {0};
  json_t *empty = json_object();
  Buf pdf = {0};
  assert_int_equal(docs_board_pdf(empty, &pdf, &e), 0);
  char *t = pdf_text(f, &pdf);
  expect_text(t, "本期没有可列的指标");
  expect_text(t, "没有惠民实事数据");
  expect_text(t, "没有各领域数据");
  expect_text(t, "第1页/共1页");
  assert_null(strstr(t, "演示数据"));
  free(t);
  json_t *none = json_pack("{s:{s:i,s:i,s:{s:i,s:i,s:i},s:n}}", "livelihood", "year", 2022, "total", 0, "counts",
                           "on_track", 0, "behind", 0, "done", 0, "progress");
  buf_reset(&pdf);
  assert_int_equal(docs_board_pdf(none, &pdf, &e), 0);
  t = pdf_text(f, &pdf);
  expect_text(t, "2022年尚无惠民实事项目");
  free(t);
  json_decref(none);

  /* a name of 15000 characters is cut at a few lines (its cell ends in …): no more pages */
  json_t *plain = board(4), *b = board(4);
  json_t *ind = json_array_get(json_object_get(b, "indicators"), 0);
  Buf longname = {0}, pp = {0};
  for (int i = 0; i < 3000; i++) buf_puts(&longname, "很长的名称");
  json_object_set_new(ind, "name", json_string(longname.a));
  buf_reset(&pdf);
  assert_int_equal(docs_board_pdf(b, &pdf, &e), 0);
  assert_int_equal(docs_board_pdf(plain, &pp, &e), 0);
  assert_int_equal(pages(f, &pdf), pages(f, &pp));
  t = pdf_text(f, &pdf);
  expect_text(t, "很长的名称很长的名称");
  free(t);

  /* members of the wrong types print as — or as they are */
  json_object_set_new(ind, "name", json_string("类型有误的指标"));
  json_object_set_new(ind, "value", json_integer(42));
  json_object_set_new(ind, "unit", json_null());
  json_object_set_new(ind, "growth", json_string("not an object"));
  json_object_set_new(ind, "trend", json_pack("{s:[s],s:i,s:[s,n,i],s:[s,s]}", "periods", "2021-Q1", "values", 3,
                                              "previous", "abc", 7, "growth", "1e400", "-"));
  json_t *ind2 = json_array_get(json_object_get(b, "indicators"), 1);
  json_object_set_new(ind2, "target", json_pack("{s:s}", "status", "purple"));
  json_object_set_new(ind2, "trend", json_pack("{s:[ss],s:[ss],s:[ss],s:[ss]}", "periods", "2021-Q1", "2021-Q2",
                                               "values", "1e299", "-1e299", "previous", "1e-300", "0", "growth",
                                               "-1e299", "5e299"));
  json_object_set_new(json_object_get(b, "livelihood"), "counts", json_string("x"));
  json_object_set_new(json_object_get(b, "livelihood"), "by_dept", json_pack("[n,{s:i}]", "dept", 3));
  json_object_set_new(b, "panels", json_pack("[n, {s:i}, {s:s, s:[n, {}]}]", "title", 5, "title", "空领域", "figures"));
  json_object_set_new(b, "title", json_integer(7));
  buf_reset(&pdf);
  if (docs_board_pdf(b, &pdf, &e)) fail_msg("%s %s", e.code, e.message_en);
  t = pdf_text(f, &pdf);
  expect_text(t, "类型有误的指标");
  expect_text(t, "42");
  expect_text(t, "空领域");
  expect_text(t, "大连金普新区经济运行情况");
  free(t);
  buf_free(&longname);
  buf_free(&pdf);
  buf_free(&pp);
  json_decref(b);
  json_decref(plain);
  json_decref(empty);
}

/* A board that is not an object is refused, and *out stays as it was. */
static void test_board_refused(void **state) {
  (void)state;
  Err e = {0};
  Buf pdf = {0};
  buf_puts(&pdf, "KEEP");
  assert_int_equal(docs_board_pdf(NULL, &pdf, &e), -1);
  assert_string_equal(e.code, "board.pdf");
  assert_int_equal(e.kind, E_INTERNAL);
  json_t *arr = json_array();
  memset(&e, 0, sizeof e);
  assert_int_equal(docs_board_pdf(arr, &pdf, &e), -1);
  assert_string_equal(e.code, "board.pdf");
  assert_int_equal(pdf.n, 4);
  assert_string_equal(pdf.a, "KEEP");
  json_decref(arr);
  buf_free(&pdf);
}

/* Under AddressSanitizer: see test_docs.c for why cairo's and fontconfig's
** own caches are excused; docs_shutdown() releases the module's. */
const char *__asan_default_options(void) { return "fast_unwind_on_malloc=0"; }
const char *__lsan_default_suppressions(void) { return "leak:cairo_surface_finish\nleak:XML_ParseBuffer\n"; }

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_board_text, setup, teardown),
      cmocka_unit_test_setup_teardown(test_board_many, setup, teardown),
      cmocka_unit_test_setup_teardown(test_board_charts, setup, teardown),
      cmocka_unit_test_setup_teardown(test_board_defensive, setup, teardown),
      cmocka_unit_test_setup_teardown(test_board_refused, setup, teardown),
  };
  log_quiet(true);
  int failed = cmocka_run_group_tests_name("docs_board", tests, NULL, NULL);
  docs_shutdown();
  return failed;
}
