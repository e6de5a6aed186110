/*
** talent_demo.c — the Jinpu demo's talent work (talent_pay.h,
** talent_demo_load()). Demonstration data: every record is generated, with
** the article's figures for 2021 as the targets, by the definitions of
** talent_stats(): 88 高层次人才 and 173 紧缺人才 recognised in the year, 480
** 外国专家 working in Jinpu during it, and 3,126.5万元 of housing subsidies
** (the district's 安居补贴, policy anju, in force 2019–2022) paid in it. The
** years around it go on at a plausible pace.
**
** It needs registry persons: about 5,000 residents for the subsidies and
** 600 foreigners for the experts (`xinqu init` makes 20,000 persons, 3% of
** them foreign). With fewer it makes what it can and says which figures it
** missed.
*/
#include "talent_pay.h"
#include "accounts.h"
#include "audit.h"
#include "demo.h"
#include "params.h"
#include "../base/cal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>


/* Recognised per year, 2019 … 2022 (2021 is the article's). */
static const int HIGH[4] = {52, 67, 88, 95}, SHORT[4] = {98, 131, 173, 190};
#define EXPERTS_2021 480 /* in Jinpu during 2021 */
#define EXPERTS_OTHER 120 /* came and left before it, or came after */
#define HOUSING_2021 312650 /* 3,126.5万元 in hundreds of yuan */

/* 安居补贴 a month by degree, in hundreds of yuan (data/talent/params.json). */
static const struct {
  const char *degree;
  int rate, weight; /* weight: per mille of graduates */
} DEG[] = {{"doctor", 15, 40}, {"master", 10, 260}, {"bachelor", 6, 560}, {"college", 4, 140}};

typedef struct Demo {
  int64_t dept;         /* the talent department (parameter talent/dept) */
  int64_t now;
  DemoRng rng;
  int64_t *aRes, *aFor; /* resident and foreign person ids */
  int nRes, nFor, used; /* used: residents given a record so far */
  TalentDemoReport *rep;
  int64_t paid[4][12];  /* 安居补贴 paid by month, 2019 … 2022, in fen */
} Demo;

/* day_in() is a random day of year y as YYYY-MM-DD. */
static void day_in(DemoRng *r, int y, char out[11]) {
  int first, last;
  cal_from_ymd(y, 1, 1, &first);
  cal_from_ymd(y, 12, 31, &last);
  cal_format(first + demo_below(r, last - first + 1), out);
}

/* record() writes person id's talent record with facts (stolen). */
static int record(Db *db, Demo *d, int64_t id, json_t *facts, Err *e) {
  if (!facts) panic("talent demo: a record's facts could not be made");
  char *text = json_dumps(facts, JSON_COMPACT);
  json_decref(facts);
  int64_t rc = db_run(db, e,
                      "INSERT INTO talent_record(person_id, facts, sources, updated_at, updated_by)"
                      " VALUES (?, ?, '{\"*\":\"演示数据\"}', ?, ?)",
                      "itii", id, text, d->now, (int64_t)0);
  free(text);
  if (rc == 1) d->rep->records++;
  return rc == 1 ? 0 : -1;
}

/* resident() is the next resident person not yet given a record, or 0. */
static int64_t resident(Demo *d) { return d->used < d->nRes ? d->aRes[d->used++] : 0; }

static int recognised(Db *db, Demo *d, Err *e) {
  static const char *const tiers[] = {"top", "leading", "senior", "senior", "young", "young", "young", "young"};
  for (int k = 0; k < 4; k++) {
    for (int i = 0; i < HIGH[k] + SHORT[k]; i++) {
      int64_t id = resident(d);
      if (!id) return 0;
      char day[11];
      day_in(&d->rng, 2019 + k, day);
      char pos[16];
      snprintf(pos, sizeof pos, "JQ-%03d", 1 + demo_below(&d->rng, 129)); /* a position of the 紧缺人才目录 */
      json_t *f = i < HIGH[k] ? json_pack("{s:s,s:s,s:s}", "talent_tier", tiers[demo_below(&d->rng, 8)], "tier_on", day,
                                          "degree", demo_below(&d->rng, 3) ? "doctor" : "master")
                              : json_pack("{s:s,s:s,s:s}", "shortage_position", pos, "shortage_on", day, "degree",
                                          demo_below(&d->rng, 4) ? "master" : "bachelor");
      if (record(db, d, id, f, e)) return -1;
    }
  }
  return 0;
}

static int experts(Db *db, Demo *d, Err *e) {
  for (int i = 0; i < d->nFor && i < EXPERTS_2021 + EXPERTS_OTHER; i++) {
    char on[11], until[11];
    if (i < EXPERTS_2021) { /* in Jinpu during 2021 */
      day_in(&d->rng, 2016 + demo_below(&d->rng, 6), on);
      day_in(&d->rng, 2022 + demo_below(&d->rng, 5), until);
    } else if (i % 2) { /* left before 2021 */
      day_in(&d->rng, 2015 + demo_below(&d->rng, 3), on);
      day_in(&d->rng, 2019 + demo_below(&d->rng, 2), until);
    } else { /* came after */
      day_in(&d->rng, 2022 + demo_below(&d->rng, 3), on);
      day_in(&d->rng, 2026, until);
    }
    if (record(db, d, d->aFor[i], json_pack("{s:b,s:s,s:s}", "foreign_expert", 1, "expert_on", on, "expert_until", until),
               e))
      return -1;
  }
  return 0;
}

/* month_text() writes month number m (year × 12 + month − 1) as YYYY-MM. */
static void month_text(int m, char out[8]) {
  unsigned u = (unsigned)m; /* m ≥ 0: the demo's months are of this era */
  snprintf(out, 8, "%04u-%02u", u / 12u % 10000u, u % 12u + 1u);
}

/* subsidised() writes one graduate's 安居补贴: start month, degree k; paid
** monthly to the end of 2022 for at most 36 months. */
static int subsidised(Db *db, Demo *d, int start, int k, Err *e) {
  int64_t id = resident(d);
  if (!id) return 1;
  int end = start + 35, last = 2022 * 12 + 11;
  if (end > last) end = last;
  char grad[11], decided[11], contract[11], m[8];
  int first;
  cal_from_ymd(start / 12, start % 12 + 1, 1, &first);
  cal_format(first - 200 - demo_below(&d->rng, 200), grad);
  cal_format(first - 10, decided);
  cal_format(first - 190, contract);
  json_t *si = json_array();
  for (int x = start - 6; x < start; x++) {
    month_text(x, m);
    json_array_append_new(si, json_pack("{s:s,s:s,s:b}", "month", m, "place", "jinpu", "back_paid", 0));
  }
  json_t *f = json_pack("{s:s,s:s,s:s,s:b,s:b,s:s,s:i,s:b,s:o,s:[]}", "degree", DEG[k].degree, "school_class", "other",
                        "graduated_on", grad, "full_time", 1, "employer_in_jinpu", 1, "contract_start", contract,
                        "contract_months", 36, "business_in_jinpu", 0, "social_insurance", si, "income_tax");
  if (record(db, d, id, f, e)) return -1;
  int64_t fen = (int64_t)DEG[k].rate * 10000, ent = 0;
  Stmt *st = db_prepare(db, "INSERT INTO talent_entitlement(person_id, policy, rule_version, decided_on, amount_fen,"
                            " explanation, dept_id, created_at, created_by) VALUES (?, 'anju', 1, ?, ?,"
                            " '[{\"kind\":\"rule\",\"text\":\"演示数据\"}]', ?, ?, ?) RETURNING id", e);
  if (!st) return -1;
  stmt_bind_int(st, 1, id);
  stmt_bind_text(st, 2, decided);
  stmt_bind_int(st, 3, fen);
  stmt_bind_int(st, 4, d->dept);
  stmt_bind_int(st, 5, d->now);
  stmt_bind_int(st, 6, (int64_t)0);
  if (stmt_step(st, e) == 1) ent = stmt_int(st, 0);
  stmt_done(st);
  if (!ent) return -1;
  d->rep->entitlements++;
  for (int x = start; x <= end; x++) {
    char due[11], paid[11];
    int day;
    cal_from_ymd(x / 12, x % 12 + 1, 1, &day);
    cal_format(day, due);
    cal_format(day + 9, paid);
    if (db_run(db, e,
               "INSERT INTO talent_instalment(entitlement_id, seq, due, amount_fen, state, checked_on, decided_at,"
               " decided_by, paid_on) VALUES (?, ?, ?, ?, 'paid', ?, ?, ?, ?)",
               "iititiit", ent, (int64_t)(x - start + 1), due, fen, due, d->now, (int64_t)0, paid) != 1)
      return -1;
    d->rep->instalments++;
    if (x >= 2019 * 12 && x <= last) d->paid[x / 12 - 2019][x % 12] += fen;
  }
  return 0;
}

/* in_2021() is how many of a graduate's months from start fall in 2021. */
static int in_2021(int start) {
  int a = start > 2021 * 12 ? start : 2021 * 12, b = start + 35 < 2021 * 12 + 11 ? start + 35 : 2021 * 12 + 11;
  return b >= a ? b - a + 1 : 0;
}

static int housing(Db *db, Demo *d, Err *e) {
  int64_t left = HOUSING_2021; /* hundreds of yuan still to pay in 2021 */
  /* graduates starting from mid-2019 on, at random, until what is left can be
  ** made up exactly by a few who start during 2021 */
  while (left > 400) {
    int start = 2019 * 12 + 6 + demo_below(&d->rng, 30), w = demo_below(&d->rng, 1000), k = 0;
    for (int acc = DEG[0].weight; w >= acc && k < 3; acc += DEG[++k].weight) {}
    int64_t part = (int64_t)DEG[k].rate * in_2021(start);
    if (part > left - 200) continue;
    int rc = subsidised(db, d, start, k, e);
    if (rc) return rc < 0 ? -1 : 0;
    left -= part;
  }
  /* the rest, 200–400 hundreds: a shortest sum of rate × months (1–12) */
  int best[401], from[401];
  for (int v = 0; v <= 400; v++) best[v] = v ? 1 << 20 : 0, from[v] = 0;
  for (int v = 1; v <= left; v++)
    for (int k = 0; k < 4; k++)
      for (int n = 1; n <= 12; n++) {
        int c = DEG[k].rate * n;
        if (c <= v && best[v - c] + 1 < best[v]) best[v] = best[v - c] + 1, from[v] = k * 16 + n;
      }
  if (best[left] >= 1 << 20) panic("talent demo: %lld cannot be made up", (long long)left);
  for (int v = (int)left; v > 0;) {
    int k = from[v] / 16, n = from[v] % 16;
    int rc = subsidised(db, d, 2021 * 12 + 12 - n, k, e); /* its last n months of 2021 */
    if (rc) return rc < 0 ? -1 : 0;
    v -= DEG[k].rate * n;
  }
  return 0;
}

/* ledger() writes the 安居补贴 ledger: each year's budget, and each month's
** approvals and payments as one move each (demonstration: not per person). */
static int ledger(Db *db, Demo *d, Err *e) {
  for (int y = 0; y < 4; y++) {
    int64_t total = 0;
    for (int m = 0; m < 12; m++) total += d->paid[y][m];
    if (!total) continue;
    int64_t budget = (total / 1000000 + 1) * 1000000 + 10000000; /* whole 万, with room */
    if (db_run(db, e,
               "INSERT INTO talent_budget(policy, year, appropriation_fen, available_fen, committed_fen, paid_fen)"
               " VALUES ('anju', ?, ?, ?, 0, ?)",
               "iiii", (int64_t)2019 + y, -budget, budget - total, total) != 1)
      return -1;
    const char *ins = "INSERT INTO talent_ledger(policy, year, from_account, to_account, amount_fen, memo, created_at,"
                      " created_by) VALUES ('anju', ?, ?, ?, ?, ?, ?, ?)";
    if (db_run(db, e, ins, "ittitii", (int64_t)2019 + y, "appropriation", "available", budget, "演示数据：年度预算指标",
               d->now, (int64_t)0) != 1)
      return -1;
    for (int m = 0; m < 12; m++) {
      if (!d->paid[y][m]) continue;
      char memo[80];
      snprintf(memo, sizeof memo, "演示数据：%04d-%02d 月度核准与代发", 2019 + y, m + 1);
      if (db_run(db, e, ins, "ittitii", (int64_t)2019 + y, "available", "committed", d->paid[y][m], memo, d->now,
                 (int64_t)0) != 1 ||
          db_run(db, e, ins, "ittitii", (int64_t)2019 + y, "committed", "paid", d->paid[y][m], memo, d->now,
                 (int64_t)0) != 1)
        return -1;
    }
  }
  return 0;
}

/* ids() reads the ids of persons of kind ('id' or 'passport') into *a. */
static int ids(Db *db, const char *kind, int64_t **a, int *n, Err *e) {
  Stmt *st = db_prepare(db, "SELECT id FROM person WHERE id_kind = ? ORDER BY id", e);
  if (!st) return -1;
  stmt_bind_text(st, 1, kind);
  int rc, cap = 0;
  while ((rc = stmt_step(st, e)) == 1) {
    if (*n == cap) *a = xrealloc(*a, (size_t)(cap = cap ? 2 * cap : 1024) * sizeof **a);
    (*a)[(*n)++] = stmt_int(st, 0);
  }
  stmt_done(st);
  return rc < 0 ? -1 : 0;
}

static int demo_job(Db *db, void *arg, Err *e) {
  Demo *d = arg;
  if (ids(db, "id", &d->aRes, &d->nRes, e) || ids(db, "passport", &d->aFor, &d->nFor, e)) return -1;
  if (recognised(db, d, e) || experts(db, d, e) || housing(db, d, e) || ledger(db, d, e)) return -1;
  json_t *x = json_pack("{s:I,s:I,s:I}", "records", (json_int_t)d->rep->records, "entitlements",
                        (json_int_t)d->rep->entitlements, "instalments", (json_int_t)d->rep->instalments);
  int rc = audit_append(db, NULL, "talent.demo", "talent", x, e);
  json_decref(x);
  return rc;
}

/* ---- this year's work ------------------------------------------------------ */

/* The years above are history; a demo opened today also needs work in hand.
** Recent graduates (within two years, as of the day the demo is made) get a
** record as the 社保 feed would give it; most are then decided by the
** officer — 名校优才 for those of a 双一流 or overseas top-200 school, 住房补贴
** for the others, some decided months ago so instalments are due — and the
** rest are left for 免申即享 to find. Budgets are set for both, this year's
** and last year's (住房补贴 may be paid back into last year).
** Done through talent_record_put(), talent_entitle() and talent_budget_add(),
** as the officer (user "policy") would, each with its audit event. */
#define COHORT 48 /* graduates; every fourth is left undecided */

/* cohort_facts() is a recent graduate's facts as of today (day number t). */
static json_t *cohort_facts(DemoRng *r, int t, const char *degree, const char *school) {
  char grad[11], start[11], m[8];
  int g = t - 240 - demo_below(r, 400); /* 8 to 21 months ago */
  cal_format(g, grad);
  cal_format(g + 20 + demo_below(r, 40), start);
  int y, mo, d, first, last;
  cal_to_ymd(g + 60, &y, &mo, &d);
  first = y * 12 + mo - 1;
  cal_to_ymd(t, &y, &mo, &d);
  last = y * 12 + mo - 2; /* insured to last month */
  json_t *si = json_array();
  for (int x = first; x <= last; x++) {
    month_text(x, m);
    json_array_append_new(si, json_pack("{s:s,s:s,s:b}", "month", m, "place", "jinpu", "back_paid", 0));
  }
  return json_pack("{s:s,s:s,s:s,s:b,s:b,s:b,s:s,s:i,s:b,s:o,s:[]}", "degree", degree, "school_class", school,
                   "graduated_on", grad, "full_time", 1, "hukou_dalian", 1, "employer_in_jinpu", 1, "contract_start",
                   start, "contract_months", 36, "business_in_jinpu", 0, "social_insurance", si, "income_tax");
}

/* numbers() reads the ID numbers of up to n residents after the first
** skip, in ids()'s order, into a[] (32 bytes each): how many, or -1. */
static int numbers(Db *db, int skip, int n, char (*a)[32], Err *e) {
  Stmt *st = db_prepare(db, "SELECT id_number FROM person WHERE id_kind = 'id' ORDER BY id LIMIT ? OFFSET ?", e);
  if (!st) return -1;
  stmt_bind_int(st, 1, n);
  stmt_bind_int(st, 2, skip);
  int rc = 0, k = 0;
  while (k < n && (rc = stmt_step(st, e)) == 1) snprintf(a[k++], 32, "%s", stmt_text(st, 0));
  stmt_done(st);
  return rc < 0 ? -1 : k;
}

/* cohort() makes this year's work (above) from the residents not yet used. */
static int cohort(Store *s, Demo *d, Err *e) {
  User officer;
  char number[COHORT][32];
  int n = numbers(store_reader(s), d->used, COHORT, number, e); /* none left: the history took every resident */
  if (n <= 0) return n;
  if (accounts_user_get(store_reader(s), "policy", &officer, e)) {
    if (strcmp(e->code, "user.not_found") != 0) return -1;
    err_clear(e);
    return 0; /* no officer in this demo: no work in hand */
  }
  char today[11];
  int t, y, m, dd;
  cal_parse_date(time_today_cn(today), &t);
  cal_to_ymd(t, &y, &m, &dd);
  /* last year's too: 住房补贴 is paid from the month after the sixth insured one, which may be last year */
  static const char *const POL[] = {"mingxiao", "housing"};
  for (size_t i = 0; i < 2 * XQ_COUNT(POL); i++) {
    json_t *in = json_pack("{s:s,s:i,s:I,s:s}", "policy", POL[i % 2], "year", y - 1 + (int)(i / 2), "amount_fen",
                           (json_int_t)500000000, "memo", "演示数据：年度预算指标"),
           *out = talent_budget_add(s, &officer, in, e);
    json_decref(in);
    if (!out) return -1;
    json_decref(out);
  }
  static const char *const DEGREE[] = {"doctor", "master", "master", "bachelor", "bachelor", "bachelor"};
  static const char *const SCHOOL[] = {"world_class_university", "world_class_discipline", "overseas_top200", "other",
                                       "other", "other"};
  for (int k = 0; k < n; k++) {
    d->used++;
    const char *school = SCHOOL[demo_below(&d->rng, (int)XQ_COUNT(SCHOOL))];
    json_t *in = json_pack("{s:o,s:{s:s}}", "facts",
                           cohort_facts(&d->rng, t, DEGREE[demo_below(&d->rng, (int)XQ_COUNT(DEGREE))], school),
                           "sources", "social_insurance", "演示数据：社保缴纳记录"),
           *out = talent_record_put(s, &officer, number[k], in, e);
    json_decref(in);
    if (!out) return -1;
    json_decref(out);
    d->rep->records++;
    if (k % 4 == 3) continue; /* left for 免申即享 */
    /* decided today, or for every other one some months ago (instalments due since) */
    char on[11];
    cal_format(k % 2 ? t - 30 * (1 + demo_below(&d->rng, 4)) : t, on);
    const char *policy = strcmp(school, "other") == 0 ? "housing" : "mingxiao";
    for (int tries = 0; tries < 2; tries++) {
      in = json_pack("{s:s,s:s,s:s}", "number", number[k], "policy", policy, "on", tries ? today : on);
      out = talent_entitle(s, &officer, in, e);
      json_decref(in);
      if (out) break;
      if (strcmp(e->code, "talent.not_eligible") != 0) return -1;
      err_clear(e); /* not yet eligible on the earlier day: decided today, or left undecided */
    }
    if (out) {
      d->rep->entitlements++;
      d->rep->instalments += (int64_t)json_array_size(json_object_get(out, "instalments"));
      json_decref(out);
    }
  }
  return 0;
}

int talent_demo_load(Store *s, TalentDemoReport *rep, Err *e) {
  memset(rep, 0, sizeof *rep);
  Demo d = {.now = now_ms(), .rng = {0x7A1E27ULL}, .rep = rep};
  char code[32], today[11];
  Dept dept;
  if (params_text(store_reader(s), "talent", "dept", time_today_cn(today), code, sizeof code, e) ||
      accounts_dept_get(store_reader(s), 0, code, &dept, e) != 1)
    return -1;
  d.dept = dept.id;
  int rc = store_write(s, demo_job, &d, e) || cohort(s, &d, e);
  free(d.aRes);
  free(d.aFor);
  if (rc) return -1;
  /* say which of the article's figures the registry was too small for */
  json_t *st = talent_stats(s, NULL, 2021, e);
  if (!st) return -1;
  static const struct {
    const char *key, *label;
    int64_t want;
  } FIG[] = {{"high_level", "高层次人才", 88},
             {"shortage", "紧缺人才", 173},
             {"foreign_experts", "外国专家", EXPERTS_2021},
             {"housing_paid_fen", "住房补贴（分）", (int64_t)HOUSING_2021 * 10000}};
  for (size_t i = 0; i < XQ_COUNT(FIG); i++) {
    int64_t got = json_integer_value(json_object_get(st, FIG[i].key));
    if (got != FIG[i].want) {
      log_warn("talent demo: %s 2021 %lld, not %lld (registry persons: %d residents, %d foreigners)", FIG[i].label,
               (long long)got, (long long)FIG[i].want, d.nRes, d.nFor);
      rep->missed++;
    }
  }
  rep->residents = d.nRes;
  rep->foreigners = d.nFor;
  json_decref(st);
  return 0;
}
