/*
** invest_demo.c — the Jinpu demo's 招商 pipeline, 2019–2021 (see invest.h,
** invest_demo_load()). Demonstration data: the article's totals are the
** targets; every project, activity and entry is generated.
**
** The article (金普新区, 2019–2021): 7,576 activities; 797 signed projects,
** 747 domestic and 50 foreign, about 10,300亿元 in all; signings growing
** 53% a year in number and 42% in investment; in 2021 实际利用外资 11.42亿
** 美元 (68.3% of Dalian) and 省外资金 330.3亿元 (23.2% of Dalian). The
** yearly counts and sums below give those figures by the report's own
** definitions: 164 → 251 → 382 signings ((382/164)^½ − 1 = 52.6%) and
** 2,321.7 → 3,296.8 → 4,681.5亿元 ((4681.5/2321.7)^½ − 1 = 42.0%); the
** city's 2021 totals are entered as 16.72亿美元 and 1,423.7亿元.
*/
#include "invest.h"
#include "audit.h"
#include "demo.h"
#include "params.h"
#include "sla.h"
#include "../base/cal.h"
#include "../base/codes.h"
#include "../base/money.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FEN_PER_0_01_YI 100000000LL /* 0.01亿元 = 1,000,000 元 */

static const struct {
  int year, nSigned, nForeign, nActivity, nOpenLead;
  int64_t amount;   /* signed investment, 分 */
  int64_t fdi;      /* 实际利用外资 in the year, cents (2021's from the article, the others demonstration values) */
  int64_t outside;  /* 省外资金 in the year, 分 (likewise) */
} YEARS[] = {
    {2019, 164, 10, 2200, 330, 232170 * FEN_PER_0_01_YI, 89000000000LL, 2550000000000LL},
    {2020, 251, 16, 2426, 380, 329680 * FEN_PER_0_01_YI, 97500000000LL, 2864000000000LL},
    {2021, 382, 24, 2950, 420, 468150 * FEN_PER_0_01_YI, 114200000000LL, 3303000000000LL},
};

/* The named signings of 2021, with their investors and an amount in 亿元. */
static const struct {
  const char *name, *investor, *country, *province;
  char industry;
  int yi;
} NAMED[] = {
    {"富士电梯及升降设备项目", "富士达株式会社（演示）", "JP", "", 'C', 8},
    {"克诺尔汽车零部件新工厂", "Knorr-Bremse AG（演示）", "DE", "", 'C', 12},
    {"大连数谷·华润置地智慧生命科技园", "华润置地有限公司（演示）", "", "44", 'M', 100},
    {"众益·圆梦海岸", "众益集团有限公司（演示）", "", "21", 'K', 60},
};

/* Where domestic investors come from (GB/T 2260) and foreign ones (ISO 3166), weighted. */
static const struct {
  const char *code;
  int w;
} PROVINCES[] = {{"21", 45}, {"11", 9}, {"31", 8}, {"44", 8}, {"32", 6}, {"33", 6}, {"37", 5},
                 {"12", 3}, {"22", 2}, {"23", 2}, {"42", 2}, {"51", 2}, {"61", 1}, {"35", 1}},
  COUNTRIES[] = {{"JP", 30}, {"KR", 20}, {"HK", 15}, {"DE", 10}, {"US", 8}, {"SG", 5}, {"TW", 5}, {"FR", 3},
                 {"GB", 2}, {"IT", 2}};
static const struct {
  char s;
  int w;
} INDUSTRIES[] = {{'C', 45}, {'I', 10}, {'M', 8}, {'K', 8}, {'G', 6}, {'F', 5}, {'L', 5}, {'D', 4},
                  {'A', 3}, {'E', 3}, {'H', 2}, {'Q', 1}};
static const char *const WORDS[] = {"智能装备", "汽车零部件", "精密制造", "新材料", "生物医药", "冷链物流", "数字经济",
                                    "海洋科技", "新能源", "半导体", "港航物流", "文旅综合体", "跨境电商", "医疗器械",
                                    "绿色化工", "供应链", "软件服务", "检验检测", "食品加工", "储能"};
static const char *const TRADE[] = {"鑫源", "恒达", "华信", "远航", "博瑞", "中盛", "嘉和", "瑞丰", "宏图", "天元",
                                    "金泰", "海润", "东升", "德隆", "长青", "安泰", "正阳", "广联", "联创", "卓越"};
static const struct {
  const char *city, *province, *country;
} PLACES[] = {{"北京", "11", "CN"}, {"上海", "31", "CN"}, {"深圳", "44", "CN"}, {"广州", "44", "CN"},
              {"杭州", "33", "CN"}, {"南京", "32", "CN"}, {"苏州", "32", "CN"}, {"青岛", "37", "CN"},
              {"沈阳", "21", "CN"}, {"大连", "21", "CN"}, {"天津", "12", "CN"}, {"成都", "51", "CN"},
              {"东京", "", "JP"},   {"大阪", "", "JP"},   {"首尔", "", "KR"},   {"法兰克福", "", "DE"},
              {"新加坡", "", "SG"}, {"香港", "", "HK"}};
static const char *const STOP_REASONS[] = {"投资方调整投资战略", "项目选址未能落实", "融资未到位", "市场环境变化，投资方暂缓",
                                           "产业政策调整"};

static bool chance(DemoRng *r, double p) { return demo_unit(r) < p; }

#define PICK(r, arr) pick_weighted(r, (int)XQ_COUNT(arr), &(arr)[0].w, sizeof(arr)[0])
/* pick_weighted() draws an index of n records (each size bytes) by the int
** weight at w in each. */
static int pick_weighted(DemoRng *r, int n, const int *w, size_t size) {
  int total = 0;
  for (int i = 0; i < n; i++) total += *(const int *)((const char *)w + (size_t)i * size);
  int x = demo_below(r, total);
  for (int i = 0; i < n; i++) {
    x -= *(const int *)((const char *)w + (size_t)i * size);
    if (x < 0) return i;
  }
  return n - 1;
}

static void day_text(int day, char out[11]) {
  int y, m, d;
  cal_to_ymd(day, &y, &m, &d);
  snprintf(out, 11, "%04d-%02d-%02d", y, m, d);
}

static int day_of(int y, int m, int d) {
  int day = 0;
  cal_from_ymd(y, m, d, &day);
  return day;
}

/* Job: the whole pipeline is one write job, one transaction. */
typedef struct Job {
  DemoRng rng;
  int today;
  int64_t officer[8], dept[8];
  char officer_name[8][64];   /* their usernames, as activities list their officers */
  int nOfficer;
  int64_t serial;
  InvestDemoReport *rep;
  int inquiry[60][2]; /* the inquiries' days received and due, from the calendar before the job */
  int nInquiry;
} Job;

/* Project: one generated project before it is written. */
typedef struct Proj {
  char name[200], industry, origin[12], stage[16];
  int on[7];           /* the day each stage was reached (lead … full), 0 = not */
  int64_t amount;      /* contract (or planned) amount, 分 */
  bool foreign, stopped;
  char inv_kind[12], inv_code[24], inv_name[200], inv_country[4], inv_province[4];
  char stop_reason[80], stopped_from[16];
  int officer;
  int64_t id;
} Proj;

static const char *const STAGE[7] = {"lead", "talks", "signed", "registered", "started", "producing", "full"};

static int investor(Job *j, Proj *p, const char *country, const char *province, const char *name) {
  if (p->foreign) {
    snprintf(p->inv_kind, sizeof p->inv_kind, "foreign");
    snprintf(p->inv_country, sizeof p->inv_country, "%s", country ? country : COUNTRIES[PICK(&j->rng, COUNTRIES)].code);
    p->inv_province[0] = 0;
    p->inv_code[0] = 0;
    if (name) snprintf(p->inv_name, sizeof p->inv_name, "%s", name);
    else snprintf(p->inv_name, sizeof p->inv_name, "%s %s Co., Ltd.（演示）", p->inv_country, TRADE[demo_below(&j->rng, 20)]);
    return 0;
  }
  snprintf(p->inv_kind, sizeof p->inv_kind, "entity");
  snprintf(p->inv_country, sizeof p->inv_country, "CN");
  snprintf(p->inv_province, sizeof p->inv_province, "%s", province ? province : PROVINCES[PICK(&j->rng, PROVINCES)].code);
  char division[8];
  snprintf(division, sizeof division, "%.2s0100", p->inv_province);
  if (codes_uscc_make(p->inv_code, '9', '1', division, (uint64_t)(7000000 + j->serial++))) return -1;
  if (name) snprintf(p->inv_name, sizeof p->inv_name, "%s", name);
  else
    snprintf(p->inv_name, sizeof p->inv_name, "%s%s%s有限公司（演示）", codes_province(p->inv_province),
             TRADE[demo_below(&j->rng, 20)], WORDS[demo_below(&j->rng, 20)]);
  return 0;
}

/* write_project() inserts p with its investor and its timeline. */
static int write_project(Db *db, Job *j, Proj *p, Err *e) {
  char d[7][11] = {{0}};
  for (int k = 0; k < 7; k++)
    if (p->on[k]) day_text(p->on[k], d[k]);
  int last = 0;
  for (int k = 0; k < 7; k++)
    if (p->on[k]) last = k;
  snprintf(p->stage, sizeof p->stage, "%s", p->stopped ? "stopped" : STAGE[last]);
  if (p->stopped) snprintf(p->stopped_from, sizeof p->stopped_from, "%s", STAGE[last]);
  int64_t usd = 0;
  if (p->foreign) usd = p->amount * 10 / 65; /* 分 → cents of the foreign part, at about 6.5 */
  Stmt *st = db_prepare(db, "INSERT INTO invest_project(code, name, dept_id, owner_id, industry, origin, planned,"
                            " planned_usd, stage, activity_id, lead_on, talks_on, signed_on, registered_on, started_on,"
                            " producing_on, full_on, contract_amount, uscc, stop_reason, stopped_from, created_at,"
                            " updated_at) VALUES ('',?,?,?,?,?,?,?,?,0,?,?,?,?,?,?,?,?,'',?,?,?,?) RETURNING id", e);
  if (!st) return -1;
  char ind[2] = {p->industry, 0};
  int64_t at = (int64_t)(p->on[0] - day_of(1970, 1, 1)) * 86400000LL + 2 * 3600000LL;
  int i = 1;
  stmt_bind_text(st, i++, p->name);
  stmt_bind_int(st, i++, j->dept[p->officer]);
  stmt_bind_int(st, i++, j->officer[p->officer]);
  stmt_bind_text(st, i++, ind);
  stmt_bind_text(st, i++, p->foreign ? "foreign" : "domestic");
  stmt_bind_int(st, i++, p->amount);
  stmt_bind_int(st, i++, usd);
  stmt_bind_text(st, i++, p->stage);
  for (int k = 0; k < 7; k++) stmt_bind_text(st, i++, d[k]);
  stmt_bind_int(st, i++, p->on[2] ? p->amount : 0);
  stmt_bind_text(st, i++, p->stop_reason);
  stmt_bind_text(st, i++, p->stopped_from);
  stmt_bind_int(st, i++, at);
  stmt_bind_int(st, i++, at);
  p->id = stmt_step(st, e) == 1 ? stmt_int(st, 0) : -1;
  stmt_done(st);
  if (p->id < 0) return -1;
  char code[40];
  snprintf(code, sizeof code, "ZS%.4s%06lld", d[0], (long long)p->id);
  if (db_run(db, e, "UPDATE invest_project SET code = ? WHERE id = ?", "ti", code, p->id) < 0 ||
      db_run(db, e, "INSERT INTO invest_investor(project_id, kind, code, name, country, province, share_bp)"
                    " VALUES (?,?,?,?,?,?,10000)", "itttt" "t", p->id, p->inv_kind, p->inv_code, p->inv_name,
             p->inv_country, p->inv_province) < 0)
    return -1;
  static const char *const action[7] = {"create", "negotiate", "sign", "register", "start", "produce", "reach_full"};
  for (int k = 0; k <= last; k++) {
    int64_t t = (int64_t)(p->on[k] - day_of(1970, 1, 1)) * 86400000LL + 2 * 3600000LL;
    if (db_run(db, e, "INSERT INTO invest_event(project_id, at, actor_id, action, to_stage, note)"
                      " VALUES (?,?,?,?,?,'{\"demo\":true}')", "iiitt", p->id, t, j->officer[p->officer], action[k],
               STAGE[k]) < 0)
      return -1;
  }
  if (p->stopped) {
    int64_t t = (int64_t)(p->on[last] + 30 - day_of(1970, 1, 1)) * 86400000LL;
    json_t *n = json_pack("{s:s,s:b}", "reason", p->stop_reason, "demo", 1);
    char *text = json_dumps(n, JSON_COMPACT);
    json_decref(n);
    int64_t rc = db_run(db, e, "INSERT INTO invest_event(project_id, at, actor_id, action, to_stage, note)"
                               " VALUES (?,?,?,'stop','stopped',?)", "iiit", p->id, t, j->officer[p->officer], text);
    free(text);
    if (rc < 0) return -1;
  }
  /* A live project's latest follow-up and its next step, some already due. */
  if (!p->stopped && last < 6) {
    static const char *const kinds[] = {"visit", "call", "meeting", "online"};
    static const char *const steps[] = {"报送项目可研报告", "协调用地指标", "组织专题推进会", "对接环评手续",
                                        "陪同考察产业园区", "落实人才公寓"};
    int on = j->today - 5 - demo_below(&j->rng, 60), next = on + 7 + demo_below(&j->rng, 60);
    char a[11], b[11];
    day_text(on, a);
    day_text(next, b);
    const char *step = steps[demo_below(&j->rng, 6)];
    if (db_run(db, e, "INSERT INTO invest_followup(project_id, on_day, kind, note, next_step, next_on, created_by,"
                      " created_at) VALUES (?,?,?,'与投资方沟通项目进展（演示）',?,?,?,?)", "itttt" "ii", p->id, a,
               kinds[demo_below(&j->rng, 4)], step, b, j->officer[p->officer],
               (int64_t)(on - day_of(1970, 1, 1)) * 86400000LL) < 0 ||
        db_run(db, e, "UPDATE invest_project SET next_step = ?, next_on = ? WHERE id = ?", "tti", step, b, p->id) < 0)
      return -1;
  }
  j->rep->projects++;
  return 0;
}

/* inquiries() writes the last two months' 来电来函 of each officer's
** department (their days drawn before the job, invest_demo_load()): most
** answered in time, a few late, some open. */
static int inquiries(Db *db, Job *j, Err *e) {
  static const char *const channels[] = {"phone", "letter", "online", "visit"};
  static const char *const subjects[] = {"咨询工业用地出让政策", "咨询外资企业设立流程", "咨询高新技术企业奖励政策",
                                         "咨询人才公寓申请条件", "咨询港口物流园入驻条件", "咨询厂房租金补贴"};
  for (int i = 0; i < j->nInquiry; i++) {
    int o = demo_below(&j->rng, j->nOfficer), got = j->inquiry[i][0], due = j->inquiry[i][1], answered = 0;
    if (chance(&j->rng, 0.8)) answered = got + demo_below(&j->rng, due - got + (chance(&j->rng, 0.1) ? 6 : 1));
    if (answered > j->today) answered = 0;
    char a[11], d[11], ans[11] = "";
    day_text(got, a);
    day_text(due, d);
    if (answered) day_text(answered, ans);
    if (db_run(db, e, "INSERT INTO invest_inquiry(dept_id, received_on, channel, from_name, subject, due_on,"
                      " answered_on, answer, answered_by, created_by, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
               "ittttttt" "iii", j->dept[o], a, channels[demo_below(&j->rng, 4)], "来电企业（演示）",
               subjects[demo_below(&j->rng, 6)], d, ans, answered ? "已答复（演示）" : "", answered ? j->officer[o] : 0,
               j->officer[o], (int64_t)(got - day_of(1970, 1, 1)) * 86400000LL) < 0)
      return -1;
  }
  return 0;
}

/* Fund: one entry before its year's total is fitted. */
typedef struct Fund {
  int64_t project, amount; /* amount: cents for foreign (USD), 分 otherwise */
  int day;
  const char *source, *kind;
} Fund;

static int write_fund(Db *db, Job *j, const Fund *f, Err *e) {
  char day[11];
  day_text(f->day, day);
  bool foreign = strcmp(f->source, "foreign") == 0;
  /* The month's dollar rate: 6.95 in January 2019, 0.0125 less each month
  ** to 6.45 (demonstration values, not the published rates). */
  int y, m, d;
  cal_to_ymd(f->day, &y, &m, &d);
  int months = (y - 2019) * 12 + m - 1;
  int64_t rate = foreign ? (int64_t)(69500 - 125 * (months < 40 ? months : 40)) * 10000 : MONEY_RATE_SCALE;
  int64_t cny = f->amount;
  Err ignore = {0};
  if (foreign && money_convert(f->amount, money_currency("USD"), rate, money_currency("CNY"), &cny, &ignore)) return -1;
  if (db_run(db, e, "INSERT INTO invest_fund(project_id, on_day, amount, currency, rate, cny, usd, kind, source,"
                    " created_at, created_by) VALUES (?,?,?,?,?,?,?,?,?,?,?)", "ititiiittii", f->project, day,
             f->amount, foreign ? "USD" : "CNY", rate, cny, foreign ? f->amount : 0, f->kind, f->source,
             (int64_t)(f->day - day_of(1970, 1, 1)) * 86400000LL, j->officer[0]) < 0)
    return -1;
  j->rep->funds++;
  return 0;
}

/* fit() scales the amounts of the n entries so they add up to target
** exactly (the rounding goes to the largest). */
static void fit(Fund **a, int n, int64_t target) {
  double sum = 0;
  int big = 0;
  for (int i = 0; i < n; i++) {
    sum += (double)a[i]->amount;
    if (a[i]->amount > a[big]->amount) big = i;
  }
  int64_t got = 0;
  for (int i = 0; i < n; i++) {
    a[i]->amount = (int64_t)llround((double)a[i]->amount * (double)target / sum);
    got += a[i]->amount;
  }
  a[big]->amount += target - got;
}

static int job(Db *db, void *arg, Err *e) {
  Job *j = arg;
  /* The investment officers the pipeline is spread over. */
  Stmt *st = db_prepare(db, "SELECT id, dept_id, username FROM account WHERE role = 'invest' ORDER BY id", e);
  if (!st) return -1;
  while (j->nOfficer < (int)XQ_COUNT(j->officer) && stmt_step(st, e) == 1) {
    j->officer[j->nOfficer] = stmt_int(st, 0);
    snprintf(j->officer_name[j->nOfficer], sizeof j->officer_name[0], "%s", stmt_text(st, 2));
    j->dept[j->nOfficer++] = stmt_int(st, 1);
  }
  stmt_done(st);
  if (j->nOfficer == 0)
    return err_set(e, E_INVALID, "invest.demo_no_officer", NULL, "演示数据需要至少一名招商专员",
                   "The demo pipeline needs an investment officer");
  int rc = -1, nFund = 0, capFund = 4096;
  Fund *funds = xcalloc((size_t)capFund, sizeof *funds);
  Proj *signed_ = xcalloc(1000, sizeof *signed_);
  int nSigned = 0;
  /* Activities, spread over the year. */
  static const char *const kinds[] = {"展会", "推介会", "外出招商", "走访", "来访接待", "线上洽谈", "驻点招商"};
  static const int kind_w[] = {6, 10, 22, 25, 24, 8, 5};
  for (size_t y = 0; y < XQ_COUNT(YEARS); y++) {
    for (int i = 0; i < YEARS[y].nActivity; i++) {
      int total = 0, x, k;
      for (k = 0; k < 7; k++) total += kind_w[k];
      x = demo_below(&j->rng, total);
      for (k = 0; k < 6 && (x -= kind_w[k]) >= 0; k++) {
      }
      int start = day_of(YEARS[y].year, 1, 1) + demo_below(&j->rng, 365);
      int pl = demo_below(&j->rng, (int)XQ_COUNT(PLACES));
      if (strcmp(kinds[k], "来访接待") == 0 || strcmp(kinds[k], "线上洽谈") == 0) pl = 9; /* at home: 大连 */
      char a[11], b[11], title[160], officers[96];
      day_text(start, a);
      day_text(start + (strcmp(kinds[k], "展会") == 0 ? 2 : strcmp(kinds[k], "驻点招商") == 0 ? 29 : 0), b);
      snprintf(title, sizeof title, "%d年%s%s（演示）", YEARS[y].year, PLACES[pl].city, kinds[k]);
      int o = demo_below(&j->rng, j->nOfficer);
      snprintf(officers, sizeof officers, "[\"%s\"]", j->officer_name[o]); /* usernames: [a-z0-9_.-] */
      int n = 1;
      st = db_prepare(db, "INSERT INTO invest_activity(kind, title, start_on, end_on, city, province, country,"
                          " dept_id, officers, investors_met, created_at, created_by) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                      e);
      if (!st) goto out;
      stmt_bind_text(st, n++, kinds[k]);
      stmt_bind_text(st, n++, title);
      stmt_bind_text(st, n++, a);
      stmt_bind_text(st, n++, b);
      stmt_bind_text(st, n++, PLACES[pl].city);
      stmt_bind_text(st, n++, PLACES[pl].province);
      stmt_bind_text(st, n++, PLACES[pl].country);
      stmt_bind_int(st, n++, j->dept[o]);
      stmt_bind_text(st, n++, officers);
      stmt_bind_int(st, n++, 1 + demo_below(&j->rng, 12));
      stmt_bind_int(st, n++, (int64_t)(start - day_of(1970, 1, 1)) * 86400000LL);
      stmt_bind_int(st, n++, j->officer[o]);
      int step = stmt_step(st, e);
      stmt_done(st);
      if (step != 0) goto out;
      j->rep->activities++;
    }
  }
  /* Signed projects, year by year, with the named ones in 2021. */
  for (size_t y = 0; y < XQ_COUNT(YEARS); y++) {
    int first = nSigned;
    for (int i = 0; i < YEARS[y].nSigned; i++) {
      Proj *p = &signed_[nSigned++];
      memset(p, 0, sizeof *p);
      int named = YEARS[y].year == 2021 && i < (int)XQ_COUNT(NAMED) ? i : -1;
      p->foreign = named >= 0 ? NAMED[named].country[0] != 0 : i < YEARS[y].nForeign + (YEARS[y].year == 2021 ? 2 : 0);
      p->officer = demo_below(&j->rng, j->nOfficer);
      p->industry = named >= 0 ? NAMED[named].industry : INDUSTRIES[PICK(&j->rng, INDUSTRIES)].s;
      if (investor(j, p, named >= 0 && NAMED[named].country[0] ? NAMED[named].country : NULL,
                   named >= 0 && NAMED[named].province[0] ? NAMED[named].province : NULL,
                   named >= 0 ? NAMED[named].investor : NULL))
        goto fail_code;
      if (named >= 0) snprintf(p->name, sizeof p->name, "%s", NAMED[named].name);
      else
        snprintf(p->name, sizeof p->name, "%s%s项目（演示）", TRADE[demo_below(&j->rng, 20)], WORDS[demo_below(&j->rng, 20)]);
      /* Signed on a day of the year; talks and the lead before it. */
      p->on[2] = day_of(YEARS[y].year, 1, 1) + demo_below(&j->rng, 365);
      p->on[1] = p->on[2] - 20 - demo_below(&j->rng, 160);
      p->on[0] = p->on[1] - 5 - demo_below(&j->rng, 60);
      /* Amounts: roughly log-normal, fitted to the year's total below. */
      double z = demo_unit(&j->rng) + demo_unit(&j->rng) + demo_unit(&j->rng) - 1.5;
      p->amount = named >= 0 ? NAMED[named].yi * 100 * FEN_PER_0_01_YI
                             : (int64_t)(exp(log(8.0) + 2.0 * z) * 100 * FEN_PER_0_01_YI);
      /* After signing: registration, construction, production, full output. */
      static const double go[] = {0.9, 0.78, 0.62, 0.5};
      static const int gap[][2] = {{15, 120}, {30, 200}, {180, 540}, {180, 720}};
      for (int k = 3; k < 7; k++) {
        int when = p->on[k - 1] + gap[k - 3][0] + demo_below(&j->rng, gap[k - 3][1] - gap[k - 3][0]);
        if (when > j->today || !chance(&j->rng, go[k - 3])) break;
        p->on[k] = when;
      }
      if (!p->on[5] && chance(&j->rng, 0.05)) {
        p->stopped = true;
        snprintf(p->stop_reason, sizeof p->stop_reason, "%s", STOP_REASONS[demo_below(&j->rng, 5)]);
      }
    }
    /* Fit the year's amounts to its total, the named ones kept as they are. */
    int64_t fixed = 0;
    double sum = 0;
    int big = -1;
    for (int i = first; i < nSigned; i++) {
      bool named = YEARS[y].year == 2021 && i - first < (int)XQ_COUNT(NAMED);
      if (named) fixed += signed_[i].amount;
      else {
        sum += (double)signed_[i].amount;
        if (big < 0 || signed_[i].amount > signed_[big].amount) big = i;
      }
    }
    int64_t got = fixed, want = YEARS[y].amount - fixed;
    for (int i = first; i < nSigned; i++) {
      if (YEARS[y].year == 2021 && i - first < (int)XQ_COUNT(NAMED)) continue;
      signed_[i].amount = (int64_t)llround((double)signed_[i].amount * (double)want / sum / 100.0) * 100; /* whole yuan */
      got += signed_[i].amount;
    }
    signed_[big].amount += YEARS[y].amount - got;
    for (int i = first; i < nSigned; i++)
      if (write_project(db, j, &signed_[i], e)) goto out;
  }
  /* Leads that never signed: open, in talks, or stopped. */
  for (size_t y = 0; y < XQ_COUNT(YEARS); y++) {
    for (int i = 0; i < YEARS[y].nOpenLead; i++) {
      Proj p = {0};
      p.foreign = chance(&j->rng, 0.08);
      p.officer = demo_below(&j->rng, j->nOfficer);
      p.industry = INDUSTRIES[PICK(&j->rng, INDUSTRIES)].s;
      if (investor(j, &p, NULL, NULL, NULL)) goto fail_code;
      snprintf(p.name, sizeof p.name, "%s%s项目（演示）", TRADE[demo_below(&j->rng, 20)], WORDS[demo_below(&j->rng, 20)]);
      p.on[0] = day_of(YEARS[y].year, 1, 1) + demo_below(&j->rng, 365);
      if (chance(&j->rng, 0.6)) p.on[1] = p.on[0] + 5 + demo_below(&j->rng, 60);
      p.stopped = chance(&j->rng, 0.8);
      if (p.stopped) snprintf(p.stop_reason, sizeof p.stop_reason, "%s", STOP_REASONS[demo_below(&j->rng, 5)]);
      p.amount = (int64_t)(1 + demo_below(&j->rng, 50)) * 100 * FEN_PER_0_01_YI / 10;
      if (write_project(db, j, &p, e)) goto out;
    }
  }
  /* Funds in place: for each signed project, entries from its signing on,
  ** in the year's months; 2021's targets are fitted exactly. */
  for (int i = 0; i < nSigned; i++) {
    Proj *p = &signed_[i];
    if (p->stopped) continue;
    const char *source = p->foreign ? "foreign" : strcmp(p->inv_province, "21") == 0 ? "in_province" : "out_of_province";
    /* Entries until 50–100% of the contract is in place. */
    int64_t in_place = 0, goal = (int64_t)((double)p->amount * (0.5 + 0.5 * demo_unit(&j->rng)));
    for (int day = p->on[2] + 30 + demo_below(&j->rng, 90); day <= j->today && in_place < goal;
         day += 90 + demo_below(&j->rng, 200)) {
      if (nFund == capFund) {
        capFund *= 2;
        funds = xrealloc(funds, (size_t)capFund * sizeof *funds);
      }
      Fund *f = &funds[nFund++];
      f->project = p->id;
      f->day = day;
      f->source = source;
      f->kind = chance(&j->rng, 0.75) ? "fixed" : "working";
      /* A share of the contract: in dollars (cents) for foreign money. */
      int64_t part = p->amount / (4 + demo_below(&j->rng, 8));
      in_place += part;
      f->amount = p->foreign ? part * 10 / 65 : part; /* 分 → cents at about 6.5 */
    }
  }
  for (size_t y = 0; y < XQ_COUNT(YEARS); y++) {
    int a = day_of(YEARS[y].year, 1, 1), b = day_of(YEARS[y].year, 12, 31);
    for (int t = 0; t < 2; t++) {
      int64_t target = t ? YEARS[y].outside : YEARS[y].fdi;
      if (!target) continue;
      int n = 0;
      Fund **pick = xcalloc((size_t)nFund + 1, sizeof *pick);
      for (int i = 0; i < nFund; i++)
        if (funds[i].day >= a && funds[i].day <= b && strcmp(funds[i].source, t ? "out_of_province" : "foreign") == 0)
          pick[n++] = &funds[i];
      if (n) fit(pick, n, target);
      free(pick);
      if (!n) {
        err_set(e, E_INTERNAL, "invest.demo_fit", NULL, "演示数据无法达到目标值", "The demo cannot reach its target");
        goto out;
      }
    }
  }
  for (int i = 0; i < nFund; i++)
    if (write_fund(db, j, &funds[i], e)) goto out;
  if (inquiries(db, j, e)) goto out;
  /* The city's totals for the shares, as entered indicator values. */
  if (db_run(db, e, "INSERT INTO param_version(scope, key, effective_from, value, created_at, created_by) VALUES"
                    " ('invest', 'city_totals:2021', '2000-01-01',"
                    " '{\"foreign_usd\":\"1672000000.00\",\"out_of_province_cny\":\"142370000000.00\",\"demo\":true}',"
                    " 0, 0)", "") < 0)
    goto out;
  json_t *d = json_pack("{s:I,s:I,s:I,s:b}", "activities", (json_int_t)j->rep->activities, "projects",
                        (json_int_t)j->rep->projects, "funds", (json_int_t)j->rep->funds, "demo", 1);
  rc = audit_append(db, NULL, "invest.demo", "invest:*", d, e);
  json_decref(d);
  goto out;
fail_code:
  err_set(e, E_INTERNAL, "invest.demo_code", NULL, "演示数据生成代码失败", "The demo could not make a code");
out:
  free(funds);
  free(signed_);
  return rc;
}

int invest_demo_load(Store *s, InvestDemoReport *rep, Err *e) {
  char t[11];
  Job j = {.rng = {0x9E3779B97F4A7C15ULL}, .rep = rep};
  memset(rep, 0, sizeof *rep);
  const Cal *cal = sla_calendar(s, e);
  if (!cal) return -1;
  cal_parse_date(time_today_cn(t), &j.today);
  /* 来电来函 of the last two months, due in the working days of the parameter. */
  int64_t days;
  if (params_int(store_reader(s), "invest", "inquiry_days", t, &days, e)) return -1;
  DemoRng r = {0xD1B54A32D192ED03ULL};
  for (int i = 0; i < 60; i++) {
    bool unknown = false;
    int got = j.today - demo_below(&r, 60), due = cal_add_workdays(cal, got, (int)days, &unknown);
    if (!unknown) j.inquiry[j.nInquiry][0] = got, j.inquiry[j.nInquiry++][1] = due;
  }
  return store_write(s, job, &j, e);
}
