/*
** indicator_demo.c — the Jinpu demo's indicator catalogue (indicator.h,
** indicator_demo_load()): the 经济运行 figures of a Chinese new area, with
** their units, frequencies, cumulative flags and reporting departments, and
** demonstration values for 2019–2022. Everything here is 演示数据.
**
** From the article, 2021: 地区生产总值 2576.3亿元, growing 9% (an official
** rate at comparable prices, entered as such: the nominal values grow
** 10.6%); 一般公共预算地方级收入 210.32亿元; 全口径税收 598.37亿元; 实际利用外资
** 11.42亿美元, 68.3% of Dalian's; 省外资金 330.3亿元, 23.2% of Dalian's; 外贸
** 进出口 nearly 60% of Dalian's; 2.1万 people placed in jobs. The city's
** 2021 values are derived from those shares, not from the city's bulletin:
** 11.42 ÷ 0.683 = 16.72亿美元 (11.42 ÷ 16.72 = 68.30%) and 330.3 ÷ 0.232 =
** 1,423.7亿元 (330.3 ÷ 1,423.7 = 23.20%) — the same totals the 招商 demo
** enters as invest/city_totals:2021; 外贸 4,797.6亿元 (2,870.46 ÷ 4,797.6 =
** 59.8%). Every other year, every month and quarter are demonstration
** values: the year's total spread over the months by a fixed seasonal
** profile (cumulative indicators), or a straight line from the year before
** (point values). The 2022 targets are the article's seven.
*/
#include "indicator.h"
#include "audit.h"

#include <stdio.h>
#include <string.h>

#define Y0 2018 /* the year before the first: point values start from its end */
#define NY 5    /* 2018 … 2022 */

typedef struct DemoInd {
  const char *code, *name, *name_en, *unit;
  int decimals;
  const char *freq;
  int cumulative;
  const char *dept;
  const char *feed;            /* computed: the feed; NULL: entered */
  const char *year[NY];        /* the year's value (cumulative: the total; point: the year's end), 2018 … 2022 */
  const char *city[NY];        /* the city's, NULL when not kept */
  const char *g_first[NY];     /* official growth of the first period of the year (NULL: none) */
  const char *g_last[NY];      /* … and of the last; the periods between on a straight line */
} DemoInd;

static const DemoInd DEMO[] = {
    {"gdp", "地区生产总值", "Gross domestic product", "亿元", 1, "quarter", 1, "tjj", NULL,
     {"2105.6", "2280.5", "2330.1", "2576.3", "2705.9"}, {NULL}, {NULL, "5.8", "-6.8", "15.2", "4.1"},
     {NULL, "6.5", "2.1", "9.0", "5.2"}},
    {"industry_va", "规模以上工业增加值", "Value added of industry above designated size", "亿元", 1, "month", 1, "gxj", NULL,
     {"690.2", "720.4", "745.2", "850.6", "960.3"}, {NULL}, {NULL, "6.2", "-12.5", "20.1", "10.2"},
     {NULL, "7.1", "3.2", "13.8", "12.9"}},
    {"fai", "固定资产投资", "Fixed-asset investment", "亿元", 1, "month", 1, "fgj", NULL,
     {"402.7", "420.5", "395.2", "480.8", "706.8"}, {NULL}, {NULL}, {NULL}},
    {"retail", "社会消费品零售总额", "Retail sales of consumer goods", "亿元", 1, "month", 1, "shwj", NULL,
     {"462.0", "480.2", "430.6", "495.7", "512.3"}, {NULL}, {NULL}, {NULL}},
    {"budget_rev", "一般公共预算地方级收入", "General public budget revenue (local level)", "亿元", 2, "month", 1, "czj", NULL,
     {"188.40", "195.63", "190.27", "210.32", "221.05"}, {NULL}, {NULL}, {NULL}},
    {"tax", "全口径税收", "Tax revenue, all levels", "亿元", 2, "month", 1, "swj", NULL,
     {"540.10", "560.12", "541.88", "598.37", "612.40"}, {NULL}, {NULL}, {NULL}},
    {"budget_exp", "一般公共预算支出", "General public budget expenditure", "亿元", 2, "month", 1, "czj", NULL,
     {"221.30", "230.51", "241.36", "252.80", "260.17"}, {NULL}, {NULL}, {NULL}},
    {"trade", "外贸进出口总额", "Foreign trade, imports and exports", "亿元", 2, "month", 1, "shwj", NULL,
     {"2508.77", "2610.35", "2405.18", "2870.46", "3088.62"}, {NULL, "4420.0", "4093.9", "4797.6", "5299.0"}, {NULL},
     {NULL}},
    {"exports", "出口总额", "Exports", "亿元", 2, "month", 1, "shwj", NULL,
     {"1290.40", "1320.44", "1205.61", "1480.93", "1602.35"}, {NULL}, {NULL}, {NULL}},
    {"fdi", "实际利用外资", "Foreign capital actually used", "亿美元", 2, "month", 1, "shwj", NULL,
     {"8.10", "8.90", "9.75", "11.42", "12.10"}, {NULL, "13.90", "14.85", "16.72", "17.80"}, {NULL}, {NULL}},
    {"out_funds", "省外资金", "Funds from other provinces", "亿元", 1, "month", 1, "shwj", NULL,
     {"240.0", "255.0", "286.4", "330.3", "352.6"}, {NULL, "1180.0", "1260.5", "1423.7", "1500.2"}, {NULL}, {NULL}},
    {"industry_output", "规模以上工业总产值", "Gross output of industry above designated size", "亿元", 1, "month", 1, "gxj",
     NULL, {"3010.2", "3120.5", "3088.7", "3650.2", "3980.4"}, {NULL}, {NULL}, {NULL}},
    {"realestate", "房地产开发投资", "Real-estate development investment", "亿元", 1, "month", 1, "zjj", NULL,
     {"250.1", "260.4", "271.9", "268.3", "201.6"}, {NULL}, {NULL}, {NULL}},
    {"electricity", "全社会用电量", "Electricity consumed", "亿千瓦时", 2, "month", 1, "fgj", NULL,
     {"155.12", "160.25", "158.40", "172.66", "176.31"}, {NULL}, {NULL}, {NULL}},
    {"deposits", "金融机构本外币存款余额", "Deposits held by financial institutions", "亿元", 1, "month", 0, "czj", NULL,
     {"2010.0", "2150.3", "2311.8", "2480.6", "2702.4"}, {NULL}, {NULL}, {NULL}},
    {"loans", "金融机构本外币贷款余额", "Loans of financial institutions", "亿元", 1, "month", 0, "czj", NULL,
     {"1820.0", "1960.7", "2088.2", "2236.9", "2410.5"}, {NULL}, {NULL}, {NULL}},
    {"income", "居民人均可支配收入", "Disposable income per resident", "元", 0, "quarter", 1, "tjj", NULL,
     {"41200", "43520", "45100", "48960", "51090"}, {NULL}, {NULL}, {NULL}},
    {"rural_income", "农村居民人均可支配收入", "Disposable income per rural resident", "元", 0, "quarter", 1, "tjj", NULL,
     {"21050", "22480", "23690", "25820", "27140"}, {NULL}, {NULL}, {NULL}},
    {"unemployment", "城镇登记失业率", "Registered urban unemployment rate", "%", 2, "quarter", 0, "rsj", NULL,
     {"2.90", "2.85", "3.10", "2.95", "3.05"}, {NULL}, {NULL}, {NULL}},
    {"jobs", "城镇新增就业", "New urban jobs", "人", 0, "month", 1, "rsj", NULL,
     {"19200", "19850", "18620", "21000", "21560"}, {NULL}, {NULL}, {NULL}},
    {"population", "户籍人口", "Registered population", "万人", 2, "year", 0, "gafj", NULL,
     {"78.12", "79.05", "80.31", "81.27", "82.10"}, {NULL}, {NULL}, {NULL}},
    {"new_entities", "新登记市场主体", "New market entities", "户", 0, "month", 1, "scjgj", "registry.new_entities",
     {NULL}, {NULL}, {NULL}, {NULL}},
    {"cases_filed", "政务服务办件量", "Government-service cases filed", "件", 0, "month", 1, "xzspj", "cases.filed",
     {NULL}, {NULL}, {NULL}, {NULL}},
    {"cases_on_time", "办件按时办结率", "Cases decided on time", "%", 2, "month", 0, "xzspj", "cases.on_time_rate",
     {NULL}, {NULL}, {NULL}, {NULL}},
    {"invest_signed", "签约招商项目", "Signed investment projects", "个", 0, "month", 1, "shwj", "invest.signed",
     {NULL}, {NULL}, {NULL}, {NULL}},
    {"invest_funds", "招商项目到位资金", "Funds in place of investment projects", "万元", 2, "month", 1, "shwj", "invest.funds",
     {NULL}, {NULL}, {NULL}, {NULL}},
    {"kjxzx_new", "认定科技型中小企业", "Tech SMEs recognised", "家", 0, "month", 1, "kjj", "ladder.kjxzx_granted", {NULL},
     {NULL}, {NULL}, {NULL}},
    {"hightech", "认定高新技术企业", "High-tech enterprises recognised", "家", 0, "month", 1, "kjj", "ladder.gaoqi_granted",
     {NULL}, {NULL}, {NULL}, {NULL}},
    {"zjtx_new", "认定专精特新中小企业", "专精特新 SMEs recognised", "家", 0, "month", 1, "gxj", "ladder.zjtx_granted", {NULL},
     {NULL}, {NULL}, {NULL}},
    {"xjr_new", "认定专精特新“小巨人”企业", "Little giants recognised", "家", 0, "month", 1, "gxj", "ladder.xjr_granted", {NULL},
     {NULL}, {NULL}, {NULL}},
    {"talent_entitled", "人才政策认定享受", "Talent policy entitlements decided", "人次", 0, "month", 1, "rsj", "talent.entitled",
     {NULL}, {NULL}, {NULL}, {NULL}},
    {"talent_paid", "人才补贴发放", "Talent subsidies paid", "万元", 2, "month", 1, "rsj", "talent.paid",
     {NULL}, {NULL}, {NULL}, {NULL}},
};

/* The share of a year's total reached by the end of each month, per mille
** (a seasonal profile: a slow January and February, a strong December). */
static const int CUM_PERMILLE[12] = {60, 125, 210, 290, 372, 462, 542, 622, 710, 792, 880, 1000};

/* The seven targets of 2022, as the article gives them. */
static const struct {
  const char *code, *kind, *value, *ref, *text;
} TARGETS_2022[] = {
    {"gdp", "growth", "10", NULL, "地区生产总值增长10%以上"},
    {"budget_rev", "growth", "5", NULL, "一般公共预算收入增长5%"},
    {"fai", "growth", "50", NULL, "固定资产投资增长50%"},
    {"industry_va", "growth", "15.5", NULL, "规上工业增加值增长15.5%"},
    {"retail", "growth", "10", NULL, "社会消费品零售总额增长10%"},
    {"trade", "growth", "9", NULL, "外贸进出口增长9%"},
    {"income", "in_step", NULL, "gdp", "居民收入增长与经济增长同步"},
};

typedef struct Job {
  int64_t nIndicator, nValue;
} Job;

static Dec parse(const char *t) {
  Dec v = 0;
  Err ignore = {0};
  dec_parse(t, 6, NULL, &v, &ignore);
  return v;
}

/* lerp() is a + (b − a) × k ÷ n rounded half away from zero to decimals. */
static Dec lerp(Dec a, Dec b, int k, int n, int decimals) {
  __int128 x = (__int128)(b - a) * k;
  __int128 q = x / n, r = x % n;
  if (r * 2 >= n) q++;
  else if (r * 2 <= -n) q--;
  return dec_round(a + (Dec)q, decimals);
}

static int put(Db *db, int64_t id, const char *scope, int year, int seq, int version, Dec v, const Dec *g,
               const char *source, const char *note, Err *e) {
  Stmt *st = db_prepare(db, "INSERT INTO indicator_value(indicator_id, scope, year, seq, version, value, growth, growth_basis,"
                            " source, note, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)", e);
  if (!st) return -1;
  stmt_bind_int(st, 1, id);
  stmt_bind_text(st, 2, scope);
  stmt_bind_int(st, 3, year);
  stmt_bind_int(st, 4, seq);
  stmt_bind_int(st, 5, version);
  stmt_bind_int(st, 6, v);
  if (g) stmt_bind_int(st, 7, *g);
  else stmt_bind_null(st, 7);
  stmt_bind_text(st, 8, g ? "可比价" : "");
  stmt_bind_text(st, 9, source);
  stmt_bind_text(st, 10, note);
  stmt_bind_int(st, 11, now_ms());
  int rc = stmt_step(st, e);
  stmt_done(st);
  return rc < 0 ? -1 : 0;
}

/* series() writes the periods of years 2019–2022 of one scope from the
** yearly values vals (2018 … 2022). */
static int series(Db *db, Job *j, const DemoInd *d, int64_t id, const char *scope, const char *const *vals, Err *e) {
  int n = strcmp(d->freq, "month") == 0 ? 12 : strcmp(d->freq, "quarter") == 0 ? 4 : 1;
  bool city = strcmp(scope, "city") == 0;
  for (int y = 1; y < NY; y++) {
    if (!vals[y]) continue;
    Dec total = parse(vals[y]), before = vals[y - 1] ? parse(vals[y - 1]) : total;
    for (int i = 0; i < n; i++) {
      int seq = n == 1 ? 0 : i + 1, month = n == 12 ? i : n == 4 ? 3 * i + 2 : 11;
      Dec v = d->cumulative ? dec_round((Dec)((__int128)total * CUM_PERMILLE[month] / 1000), d->decimals)
                            : lerp(before, total, i + 1, n, d->decimals);
      if (i == n - 1) v = total;
      Dec g, *gp = NULL;
      if (!city && d->g_last[y]) {
        Dec g0 = parse(d->g_first[y]), g1 = parse(d->g_last[y]);
        g = n == 1 ? g1 : lerp(g0, g1, i, n - 1, 1);
        gp = &g;
      }
      bool article = Y0 + y == 2021 && i == n - 1;
      const char *src = city ? (article ? "演示数据：大连市 2021 年数按文章所载占比反推" : "演示数据：大连市数值（示意）")
                             : (article ? "演示数据：2021 年全年数取自文章" : "演示数据：示意走势，非官方统计");
      /* One correction to show versions: 全口径税收 of June 2021 first entered 2% low. */
      if (!city && strcmp(d->code, "tax") == 0 && Y0 + y == 2021 && seq == 6) {
        if (put(db, id, scope, Y0 + y, seq, 1, dec_round(v / 100 * 98, d->decimals), NULL, "演示数据：税务局快报", "", e))
          return -1;
        if (put(db, id, scope, Y0 + y, seq, 2, v, NULL, "演示数据：税务局月报", "快报数口径有误，按月报更正", e)) return -1;
        j->nValue += 2;
        continue;
      }
      if (put(db, id, scope, Y0 + y, seq, 1, v, gp, src, "", e)) return -1;
      j->nValue++;
    }
  }
  return 0;
}

static int job(Db *db, void *arg, Err *e) {
  Job *j = arg;
  Stmt *st = db_prepare(db, "SELECT COUNT(*) FROM indicator", e);
  if (!st) return -1;
  int rc = stmt_step(st, e);
  int64_t have = rc == 1 ? stmt_int(st, 0) : 0;
  stmt_done(st);
  if (rc < 0) return -1;
  if (have) return 0; /* a catalogue is there: leave it */
  for (size_t k = 0; k < XQ_COUNT(DEMO); k++) {
    const DemoInd *d = &DEMO[k];
    st = db_prepare(db, "INSERT INTO indicator(code, name, name_en, unit, decimals, frequency, cumulative, dept_id, city,"
                        " source, feed, seq, note, demo, created_at) SELECT ?, ?, ?, ?, ?, ?, ?, id, ?, ?, ?, ?, ?, 1, ?"
                        " FROM department WHERE code = ? RETURNING id", e);
    if (!st) return -1;
    int p = 1;
    stmt_bind_text(st, p++, d->code);
    stmt_bind_text(st, p++, d->name);
    stmt_bind_text(st, p++, d->name_en);
    stmt_bind_text(st, p++, d->unit);
    stmt_bind_int(st, p++, d->decimals);
    stmt_bind_text(st, p++, d->freq);
    stmt_bind_int(st, p++, d->cumulative);
    stmt_bind_int(st, p++, d->city[1] != NULL);
    stmt_bind_text(st, p++, d->feed ? "computed" : "entered");
    stmt_bind_text(st, p++, d->feed ? d->feed : "");
    stmt_bind_int(st, p++, (int64_t)(k + 1) * 10);
    stmt_bind_text(st, p++, d->feed ? "由 xinqu 根据业务数据计算" : "演示数据");
    stmt_bind_int(st, p++, now_ms());
    stmt_bind_text(st, p++, d->dept);
    rc = stmt_step(st, e);
    int64_t id = rc == 1 ? stmt_int(st, 0) : 0;
    stmt_done(st);
    if (rc < 0) return -1;
    if (rc == 0)
      return err_setf(e, E_INTERNAL, "indicator.demo_dept", NULL, "演示指标的部门不存在：%s",
                      "The demo indicator's department is missing: %s", d->dept);
    j->nIndicator++;
    if (d->feed) continue;
    if (series(db, j, d, id, "area", d->year, e)) return -1;
    if (d->city[1] && series(db, j, d, id, "city", d->city, e)) return -1;
  }
  for (size_t k = 0; k < XQ_COUNT(TARGETS_2022); k++) {
    Dec v = TARGETS_2022[k].value ? parse(TARGETS_2022[k].value) : 0;
    st = db_prepare(db, "INSERT INTO indicator_target(indicator_id, year, version, kind, value, direction, ref_id, text,"
                        " source, created_at, created_by) SELECT i.id, 2022, 1, ?, ?, 'min',"
                        " (SELECT id FROM indicator WHERE code = ?), ?, '演示数据：文章所载 2022 年目标', ?, 0"
                        " FROM indicator i WHERE i.code = ?", e);
    if (!st) return -1;
    stmt_bind_text(st, 1, TARGETS_2022[k].kind);
    if (TARGETS_2022[k].value) stmt_bind_int(st, 2, v);
    else stmt_bind_null(st, 2);
    stmt_bind_text(st, 3, TARGETS_2022[k].ref ? TARGETS_2022[k].ref : "");
    stmt_bind_text(st, 4, TARGETS_2022[k].text);
    stmt_bind_int(st, 5, now_ms());
    stmt_bind_text(st, 6, TARGETS_2022[k].code);
    rc = stmt_step(st, e);
    stmt_done(st);
    if (rc < 0) return -1;
  }
  json_t *d = json_pack("{s:I,s:I,s:b}", "indicators", (json_int_t)j->nIndicator, "values", (json_int_t)j->nValue, "demo", 1);
  rc = audit_append(db, NULL, "indicator.demo", "indicator:*", d, e);
  json_decref(d);
  return rc;
}

int indicator_demo_load(Store *s, int64_t *nIndicator, int64_t *nValue, Err *e) {
  Job j = {0};
  int rc = store_write(s, job, &j, e);
  *nIndicator = j.nIndicator;
  *nValue = j.nValue;
  return rc;
}
