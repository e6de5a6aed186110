/*
** ladder_demo.c — the Jinpu demo's qualification ladder (ladder.h,
** ladder_demo_load()). Demonstration data: every title and figure is
** generated; the article's figures for 2021 are the targets, by the
** definitions of ladder_stats(): 高新技术企业 270 granted in the year;
** 科技型中小企业 274 (an annual 入库, so held = granted); 专精特新“小巨人”
** 25 held at the year's end, 16 of them granted in it; 制造业单项冠军 3
** held; 264 R&D institutions (研发机构) held. The years after go on at a
** steady pace up to today, so the workbench has titles coming due, and a
** few thousand enterprises have three years of figures: the holders meet
** their rungs, and the 培育库 holds firms just below a threshold.
**
** The titles go to companies registered before 2015, up to 3000 of them:
** about 1,100 in a registry of 20,000 entities, enough. With fewer, the
** grants of a year may find too few firms not already holding the rung;
** the demo then makes what it can, checks 2021's figures against the
** article's, and says which it missed (log and report). With fewer than
** 400 such companies it makes nothing, and says so.
*/
#include "ladder.h"
#include "audit.h"
#include "demo.h"
#include "../base/cal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define POOL 3000 /* enterprises on the ladder */


/* Grants per rung and year, from 2017; a year not listed after the last
** takes the last one's count. 2021 is the article's. */
static const struct {
  const char *rung, *level, *prefix;
  int years;           /* validity; 0: open (研发机构) */
  int renew_pct;       /* of the grants of `years` before, renewed */
  int n[10];           /* 2017 … 2026 */
} PLAN[] = {
    {"kjxzx", "national", "KJ", 1, 0, {150, 182, 205, 236, 274, 301, 318, 335, 352, 360}},
    {"gaoqi", "national", "GR", 3, 60, {96, 141, 178, 213, 270, 296, 310, 322, 334, 340}},
    {"zjtx", "provincial", "ZJ", 3, 50, {0, 20, 35, 48, 62, 80, 95, 104, 112, 118}},
    {"cxx", "provincial", "CX", 3, 0, {0, 0, 0, 0, 0, 120, 150, 170, 185, 190}},
    {"xjr", "national", "XJ", 3, 50, {0, 0, 4, 5, 16, 11, 9, 8, 7, 7}},
    {"dxgj", "national", "DX", 3, 0, {0, 0, 1, 1, 1, 0, 1, 0, 1, 0}},
    /* 研发机构: 264 held at the end of 2021 (granted 2012–2021, besides 6
    ** revoked before it), more after. Years here 2012 … 2021. */
    {"rdi", "city", "YF", 0, 0, {14, 17, 20, 23, 26, 28, 31, 33, 35, 37}},
};
#define RDI_FIRST 2012

/* The article's figures of 2021 (ladder_stats()'s held at the year's end,
** granted in it) that the demo is made to give. */
static const struct {
  const char *rung; /* a rung, or rdi (the figures' rd_institutions) */
  bool held;        /* held at the year's end; else granted in it */
  int64_t want;
} TARGET[] = {{"kjxzx", false, 274}, {"kjxzx", true, 274}, {"gaoqi", false, 270}, {"xjr", true, 25},
              {"xjr", false, 16},    {"dxgj", true, 3},     {"rdi", true, 264}};
#define TARGET_YEAR 2021
#define MIN_COMPANIES 400

typedef struct Held {
  char until[7][11]; /* per rung index of PLAN: the latest validity end */
  int64_t last[7];   /* the latest title's id */
  char last_granted[7][11];
} Held;

typedef struct Demo {
  int64_t id[POOL];
  char uscc[POOL][20], est[POOL][11];
  int n;
  Held *held;
  DemoRng r;
  char today[11];
  int64_t now, titles, facts;
  int year;
  Err *e;
} Demo;

static int plan_index(const char *rung) {
  for (size_t i = 0; i < XQ_COUNT(PLAN); i++)
    if (strcmp(PLAN[i].rung, rung) == 0) return (int)i;
  return -1;
}

/* day_in() is a day of year y (up to today in this year). */
static void day_in(Demo *d, int y, char out[11]) {
  int first, last, today;
  cal_from_ymd(y, 1, 1, &first);
  cal_from_ymd(y, 12, 31, &last);
  cal_parse_date(d->today, &today);
  if (last > today) last = today;
  cal_format(first + demo_below(&d->r, last - first + 1), out);
}

static void until_of(const char *granted, int years, char out[11]) {
  if (!years) {
    snprintf(out, 11, "9999-12-31");
    return;
  }
  int y, m, dd, u;
  sscanf(granted, "%d-%d-%d", &y, &m, &dd);
  if (m == 2 && dd == 29) dd = 28;
  cal_from_ymd(y + years, m, dd, &u);
  cal_format(u - 1, out);
}

static int insert(Db *db, Demo *d, int who, int k, const char *granted, const char *until, const char *level,
                  int64_t renews, int seq, const char *revoked) {
  char cert[40];
  snprintf(cert, sizeof cert, "%s%.4s2102%05d", PLAN[k].prefix, granted, seq);
  Stmt *st = db_prepare(db, "INSERT INTO ladder_title(entity_id, rung, cert_no, granted_on, valid_until, level, dept_id,"
                            " renews, revoked_on, reason, created_at, created_by) VALUES (?,?,?,?,?,?,"
                            " (SELECT id FROM department WHERE code = ?),?,?,?,?,0) RETURNING id", d->e);
  if (!st) return -1;
  stmt_bind_int(st, 1, d->id[who]);
  stmt_bind_text(st, 2, PLAN[k].rung);
  stmt_bind_text(st, 3, cert);
  stmt_bind_text(st, 4, granted);
  stmt_bind_text(st, 5, until);
  stmt_bind_text(st, 6, level);
  stmt_bind_text(st, 7, k <= 1 || k == 6 ? "kjj" : "gxj");
  stmt_bind_int(st, 8, renews);
  stmt_bind_text(st, 9, revoked);
  stmt_bind_text(st, 10, revoked[0] ? "演示：经复核不再符合认定条件" : "");
  stmt_bind_int(st, 11, d->now);
  int rc = stmt_step(st, d->e);
  if (rc == 1) {
    Held *h = &d->held[who];
    h->last[k] = stmt_int(st, 0);
    if (!revoked[0]) snprintf(h->until[k], 11, "%s", until);
    snprintf(h->last_granted[k], 11, "%s", granted);
    d->titles++;
  }
  stmt_done(st);
  return rc == 1 ? 0 : -1;
}

/* grants() writes rung k's grants of year y: renewals of the titles that
** end in it first, then first grants to enterprises that do not hold it. */
static int grants(Db *db, Demo *d, int k, int y, int n) {
  int seq = 1, renewed = 0, want_renew = n * PLAN[k].renew_pct / 100;
  char granted[11], until[11];
  /* Renewals: holders whose title ends this year. */
  for (int i = 0; i < d->n && renewed < want_renew; i++) {
    Held *h = &d->held[i];
    if (h->until[k][0] && atoi(h->until[k]) == y) {
      /* the new certificate a month or so before the old one ends */
      int u, t;
      cal_parse_date(h->until[k], &u);
      cal_parse_date(d->today, &t);
      int g = u - 20 - demo_below(&d->r, 60);
      if (g > t) continue;
      cal_format(g, granted);
      if (atoi(granted) != y) continue;
      until_of(granted, PLAN[k].years, until);
      if (insert(db, d, i, k, granted, until, PLAN[k].level, h->last[k], seq++, "")) return -1;
      renewed++;
    }
  }
  for (int got = renewed, tries = 0; got < n && tries < 100000; tries++) {
    int i = demo_below(&d->r, d->n);
    Held *h = &d->held[i];
    day_in(d, y, granted);
    if (h->until[k][0] && strcmp(h->until[k], granted) >= 0) continue; /* holds it */
    if (h->last_granted[k][0] && atoi(h->last_granted[k]) == y) continue;
    /* Higher rungs go to those who hold, or held, the one below. */
    if ((k == 1 && !d->held[i].last_granted[0][0] && demo_below(&d->r, 3)) ||
        (k == 4 && !d->held[i].last_granted[2][0]) || (k == 5 && !d->held[i].last_granted[4][0] && y > 2019))
      continue;
    until_of(granted, PLAN[k].years, until);
    const char *level = k == 6 ? (demo_below(&d->r, 20) == 0 ? "national" : demo_below(&d->r, 3) == 0 ? "provincial" : "city")
                               : PLAN[k].level;
    if (insert(db, d, i, k, granted, until, level, 0, seq++, "")) return -1;
    got++;
  }
  return 0;
}

/* ---- figures --------------------------------------------------------------- */

static json_t *num2(double x) { return json_real(round(x * 100) / 100); }

/* year_facts() are an enterprise's figures of one year: strong ones for
** holders of 高企 or 小巨人, near ones (one criterion just short) for a
** share of the rest. */
static json_t *year_facts(Demo *d, int who, int y, int base_year, double growth, int miss, double scale) {
  DemoRng r = {(uint64_t)d->id[who] * 0x9E3779B97F4A7C15ULL + 1};
  int staff = 40 + demo_below(&r, 360);
  double sales = scale * (3000 + demo_below(&r, 30000)) * pow(1 + growth, y - base_year);
  double rd_share = miss == 1 ? 0.027 : 0.045 + demo_unit(&r) * 0.03;
  if (sales > 20000 && miss != 1) rd_share = 0.035 + demo_unit(&r) * 0.02;
  double tech = miss == 2 ? 0.09 : 0.14 + demo_unit(&r) * 0.2;
  double ht = miss == 3 ? 0.57 : 0.65 + demo_unit(&r) * 0.25;
  double score = miss == 4 ? 68 : 72 + demo_below(&r, 20);
  json_t *f = json_object();
  json_object_set_new(f, "staff", json_integer(staff));
  json_object_set_new(f, "tech_staff", json_integer((json_int_t)ceil(staff * tech)));
  json_object_set_new(f, "sales", num2(sales));
  json_object_set_new(f, "main_revenue", num2(sales * 0.92));
  json_object_set_new(f, "total_income", num2(sales * 1.04));
  json_object_set_new(f, "hightech_income", num2(sales * 1.04 * ht));
  json_object_set_new(f, "total_assets", num2(sales * (0.6 + demo_unit(&r) * 0.5)));
  json_object_set_new(f, "cost_total", num2(sales * 0.85));
  json_object_set_new(f, "rd", num2(sales * rd_share));
  json_object_set_new(f, "rd_in_china", num2(sales * rd_share * (0.8 + demo_unit(&r) * 0.2)));
  json_object_set_new(f, "equity", num2(demo_below(&r, 4) == 0 ? 500 + demo_below(&r, 3000) : 0));
  json_object_set_new(f, "ip_class1", json_integer(miss == 5 ? 0 : 1 + demo_below(&r, 6)));
  json_object_set_new(f, "ip_class2", json_integer(demo_below(&r, 12)));
  json_object_set_new(f, "ip_class1_own", json_boolean(miss != 5));
  json_object_set_new(f, "core_ip", json_boolean(miss != 5));
  json_object_set_new(f, "field_supported", json_true());
  json_object_set_new(f, "strategic_emerging", json_boolean(demo_below(&r, 2)));
  json_object_set_new(f, "innovation_score", json_real(score));
  json_object_set_new(f, "zjtx_score", json_real(miss == 6 ? 57 : 62 + demo_below(&r, 25)));
  json_object_set_new(f, "main_business_share", json_real(miss == 7 ? 66 : 75 + demo_below(&r, 20)));
  json_object_set_new(f, "debt_ratio", json_real(30 + demo_below(&r, 35)));
  json_object_set_new(f, "market_share", json_real(6 + demo_below(&r, 20)));
  json_object_set_new(f, "niche_years", json_integer(3 + demo_below(&r, 12) + (y - base_year)));
  json_object_set_new(f, "years_in_field", json_integer(5 + demo_below(&r, 20)));
  json_object_set_new(f, "sme", json_boolean(staff < 1000 && sales < 40000));
  json_object_set_new(f, "incident", json_false());
  json_object_set_new(f, "dishonest", json_false());
  return f;
}

static int facts_job(Db *db, void *arg, Err *e) {
  Demo *d = arg;
  int last = d->year - 1;
  for (int i = 0; i < d->n; i++) {
    Held *h = &d->held[i];
    bool strong = h->until[1][0] || h->until[4][0];
    /* Most of the rest are near: one criterion just short (1 R&D, 2 科技人员,
    ** 3 高新收入, 4 创新能力, 5 no Ⅰ类 IP, 6 专精特新 score, 7 主营占比). */
    int miss = strong ? 0 : 1 + (int)((uint64_t)d->id[i] % 9);
    if (miss > 7) miss = 0;
    double growth = 0.05 + (double)((uint64_t)d->id[i] % 17) / 100;
    for (int y = last - 2; y <= last; y++) {
      json_t *f = year_facts(d, i, y, last - 2, growth, miss, strong ? 1.2 : 1.0);
      char *text = json_dumps(f, JSON_COMPACT | JSON_SORT_KEYS), *src;
      /* every figure from the same source */
      json_t *s = json_object();
      const char *k;
      json_t *v;
      json_object_foreach(f, k, v) json_object_set_new(s, k, json_string("演示数据"));
      src = json_dumps(s, JSON_COMPACT | JSON_SORT_KEYS);
      int64_t n = db_run(db, e, "INSERT INTO ladder_fact(entity_id, year, facts, sources, updated_at, updated_by)"
                                " VALUES (?,?,?,?,?,0)", "iitti", d->id[i], (int64_t)y, text, src, d->now);
      free(text);
      free(src);
      json_decref(f);
      json_decref(s);
      if (n < 0) return -1;
      d->facts++;
    }
  }
  return 0;
}

static int titles_job(Db *db, void *arg, Err *e) {
  Demo *d = arg;
  (void)e;
  /* 研发机构 first (they help the rungs above), six of them revoked before 2022. */
  int k = plan_index("rdi");
  for (int y = RDI_FIRST; y < RDI_FIRST + 10; y++)
    if (grants(db, d, k, y, PLAN[k].n[y - RDI_FIRST])) return -1;
  for (int i = 0; i < 6; i++) {
    char g[11], rv[11];
    day_in(d, 2014 + i % 3, g);
    day_in(d, 2019 + i % 2, rv);
    if (insert(db, d, d->n - 1 - i, k, g, "9999-12-31", "city", 0, 900 + i, rv)) return -1;
  }
  for (int y = 2022; y <= d->year; y++)
    if (grants(db, d, k, y, 20)) return -1;
  for (int y = 2017; y <= d->year; y++)
    for (size_t r = 0; r + 1 < XQ_COUNT(PLAN); r++) {
      int n = PLAN[r].n[y - 2017 < 10 ? y - 2017 : 9];
      if (y == d->year) { /* this year's grants so far */
        int day, first;
        cal_parse_date(d->today, &day);
        cal_from_ymd(y, 1, 1, &first);
        n = n * (day - first + 1) / 365;
      }
      if (n && grants(db, d, (int)r, y, n)) return -1;
    }
  return 0;
}

typedef struct RefreshJob {
  Demo *d;
  int from, to;
} RefreshJob;

static int refresh_job(Db *db, void *arg, Err *e) {
  RefreshJob *j = arg;
  for (int i = j->from; i < j->to; i++)
    if (ladder_refresh(db, j->d->id[i], j->d->est[i], j->d->today, e)) return -1;
  return 0;
}

/* missed() compares TARGET_YEAR's figures with the article's: the number
** of them the data does not give, each logged; -1 with *e. */
static int missed(Store *s, int companies, Err *e) {
  json_t *st = ladder_stats(s, NULL, TARGET_YEAR, e);
  if (!st) return -1;
  int n = 0;
  for (size_t i = 0; i < XQ_COUNT(TARGET); i++) {
    int64_t got = 0;
    if (strcmp(TARGET[i].rung, "rdi") == 0) {
      got = json_integer_value(json_object_get(st, "rd_institutions"));
    } else {
      size_t k;
      json_t *r;
      json_array_foreach(json_object_get(st, "rungs"), k, r) if (strcmp(json_string_value(json_object_get(r, "rung")),
                                                                        TARGET[i].rung) == 0) got =
          json_integer_value(json_object_get(r, TARGET[i].held ? "held" : "granted"));
    }
    if (got == TARGET[i].want) continue;
    n++;
    log_warn("ladder demo: %s %d %s %lld, not %lld (%d companies registered before 2015 in the registry: too few; "
             "--entities 20000 gives enough)", ladder_rung_name(TARGET[i].rung), TARGET_YEAR,
             TARGET[i].held ? "持有" : "新增", (long long)got, (long long)TARGET[i].want, companies);
  }
  json_decref(st);
  return n;
}

int ladder_demo_load(Store *s, LadderDemoReport *rep, Err *e) {
  Demo *d = xcalloc(1, sizeof *d);
  d->r.s = 0xC2B2AE3D27D4EB4FULL;
  d->e = e;
  d->now = now_ms();
  time_today_cn(d->today);
  d->year = atoi(d->today);
  memset(rep, 0, sizeof *rep);
  int rc = -1;
  /* The enterprises: companies registered before 2015, by their order in the registry. */
  Stmt *st = db_prepare(store_reader(s), "SELECT id, uscc, established FROM entity WHERE kind = 'company'"
                                         " AND established <> '' AND established < '2015-01-01' AND status = 'active'"
                                         " ORDER BY id LIMIT ?", e);
  if (!st) goto out;
  stmt_bind_int(st, 1, POOL);
  while ((rc = stmt_step(st, e)) == 1) {
    d->id[d->n] = stmt_int(st, 0);
    snprintf(d->uscc[d->n], sizeof d->uscc[0], "%s", stmt_text(st, 1));
    snprintf(d->est[d->n++], sizeof d->est[0], "%s", stmt_text(st, 2));
  }
  stmt_done(st);
  if (rc < 0) goto out;
  rc = -1;
  rep->companies = d->n;
  if (d->n < MIN_COMPANIES) { /* too few for a ladder at all: nothing made, and said */
    log_warn("ladder demo: %d companies registered before 2015, fewer than %d: no ladder made (--entities 20000 "
             "gives enough)", d->n, MIN_COMPANIES);
    rep->missed = (int)XQ_COUNT(TARGET);
    rc = 0;
    goto out;
  }
  d->held = xcalloc((size_t)d->n, sizeof *d->held);
  if (store_write(s, titles_job, d, e) || store_write(s, facts_job, d, e)) goto out;
  for (int i = 0; i < d->n; i += 250) {
    RefreshJob j = {d, i, i + 250 < d->n ? i + 250 : d->n};
    if (store_write(s, refresh_job, &j, e)) goto out;
  }
  rep->enterprises = d->n, rep->titles = d->titles, rep->facts = d->facts;
  if ((rep->missed = missed(s, d->n, e)) < 0) goto out;
  rc = 0;
out:
  free(d->held);
  free(d);
  return rc;
}
