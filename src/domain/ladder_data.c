/*
** ladder_data.c — 企业梯度培育's records (ladder.h): each enterprise's
** figures per year, its titles (认定) with renewals and revocations,
** officers' visits, where it stands on every rung (the 培育库), the
** ladder's figures per year, rule versions added by administrators, and
** the daily job that keeps standings fresh and warns of titles expiring.
**
** Who: the policy officers (ROLE_POLICY) of a department that recognises
** a rung (parameter ladder/rung_depts: 科技局 kjxzx, gaoqi, rdi; 工信局
** cxx, zjtx, xjr, dxgj) keep facts and visits of any enterprise and the
** titles of their own rungs; administrators everything; leaders and
** auditors read; an applicant (or its agent with a live grant) reads its
** own enterprise's ladder, without the officers' visits.
*/
#include "ladder.h"
#include "accounts.h"
#include "audit.h"
#include "params.h"
#include "registry.h"
#include "schedule.h"
#include "sla.h"
#include "task.h"
#include "../base/cal.h"
#include "../base/jsonx.h"
#include "../base/sheet.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the facts dictionary ------------------------------------------------ */

const LadderFact ladder_facts[] = {
    {"staff", "职工总数（人）", LF_INT},
    {"tech_staff", "科技人员（人）", LF_INT},
    {"sales", "销售收入（万元）", LF_WAN},
    {"main_revenue", "主营业务收入（万元）", LF_WAN},
    {"total_income", "总收入（万元）", LF_WAN},
    {"hightech_income", "高新技术产品（服务）收入（万元）", LF_WAN},
    {"total_assets", "资产总额（万元）", LF_WAN},
    {"cost_total", "成本费用总额（万元）", LF_WAN},
    {"rd", "研发费用（万元）", LF_WAN},
    {"rd_in_china", "境内研发费用（万元）", LF_WAN},
    {"equity", "当年新增股权融资（万元）", LF_WAN},
    {"ip_class1", "Ⅰ类知识产权（件）", LF_INT},
    {"ip_class2", "Ⅱ类知识产权（件）", LF_INT},
    {"ip_class1_own", "拥有自主Ⅰ类知识产权", LF_BOOL},
    {"ip_class1_high_value", "拥有高价值Ⅰ类知识产权", LF_BOOL},
    {"core_ip", "拥有核心知识产权", LF_BOOL},
    {"field_supported", "属于国家重点支持的高新技术领域", LF_BOOL},
    {"strategic_emerging", "属于战略性新兴产业", LF_BOOL},
    {"innovation_score", "高企创新能力评价得分", LF_SCORE},
    {"zjtx_score", "专精特新评价得分", LF_SCORE},
    {"main_business_share", "主营业务收入占营业收入（%）", LF_PCT},
    {"debt_ratio", "资产负债率（%）", LF_PCT},
    {"market_share", "主导产品细分市场占有率（%）", LF_PCT},
    {"market_rank_global", "主导产品全球市场占有率排名", LF_RANK},
    {"niche_years", "从事特定细分市场年数", LF_INT},
    {"years_in_field", "从事相关领域年数", LF_INT},
    {"new_product", "申请产品为新产品", LF_BOOL},
    {"sme", "属于中小企业", LF_BOOL},
    {"rd_institution", "自建或联合建立研发机构", LF_BOOL},
    {"provincial_rd_institution", "拥有省部级以上研发机构", LF_BOOL},
    {"national_award_5y", "近五年获国家级科技奖励", LF_BOOL},
    {"national_award_3y", "近三年获国家级科技奖励", LF_BOOL},
    {"award_3y", "近三年获省级以上科技奖励", LF_BOOL},
    {"led_standard_5y", "近五年主导制定国际、国家或行业标准", LF_BOOL},
    {"maker_china_50", "近三年进入“创客中国”50强", LF_BOOL},
    {"maker_china_500", "近三年进入“创客中国”500强", LF_BOOL},
    {"incident", "当年发生重大安全、质量事故或严重环境违法行为", LF_BOOL},
    {"dishonest", "被列入严重失信主体名单", LF_BOOL},
};
const int nLadderFact = (int)XQ_COUNT(ladder_facts);

static const char *const fact_kinds[] = {"int", "wan", "pct", "score", "rank", "bool"};

json_t *ladder_fact_keys(void) {
  json_t *out = json_array();
  for (int i = 0; i < nLadderFact; i++)
    json_array_append_new(out, json_pack("{s:s,s:s,s:s}", "key", ladder_facts[i].key, "label",
                                         ladder_facts[i].label, "kind", fact_kinds[ladder_facts[i].kind]));
  return out;
}

static const LadderFact *ladder_fact_find(const char *key) {
  for (int i = 0; i < nLadderFact; i++)
    if (strcmp(ladder_facts[i].key, key) == 0) return &ladder_facts[i];
  return NULL;
}

static int ladder_fact_check(const LadderFact *f, const json_t *v, Err *e) {
  bool ok;
  double x = json_number_value(v);
  switch (f->kind) {
  case LF_BOOL: ok = json_is_boolean(v); break;
  case LF_INT: ok = json_is_integer(v) && json_integer_value(v) >= 0 && json_integer_value(v) <= 100000000; break;
  case LF_RANK: ok = json_is_integer(v) && json_integer_value(v) >= 1 && json_integer_value(v) <= 100000; break;
  case LF_WAN: ok = json_is_number(v) && x >= 0 && x < 1e12 && fabs(x * 100 - round(x * 100)) < 1e-6; break;
  case LF_PCT:
  case LF_SCORE: ok = json_is_number(v) && x >= 0 && x <= 100; break;
  default: ok = false;
  }
  if (ok) return 0;
  static const char *const zh[] = {"应为非负整数", "应为非负金额（万元，至多两位小数）", "应为 0–100 的百分数",
                                   "应为 0–100 的分数", "应为不小于 1 的整数", "应为是或否（true/false）"};
  static const char *const en[] = {"must be a whole number ≥ 0", "must be an amount ≥ 0 in 万元 (two decimals at most)",
                                   "must be a percentage 0–100", "must be a score 0–100", "must be a whole number ≥ 1",
                                   "must be true or false"};
  char z[200], n[200];
  snprintf(z, sizeof z, "「%%s」%s", zh[f->kind]);
  snprintf(n, sizeof n, "%%s %s", en[f->kind]);
  return err_setf(e, E_INVALID, "ladder.bad_fact", f->key, z, n, f->label);
}

/* ---- who may do what ------------------------------------------------------ */

/* The rungs' (and rdi's) departments, from parameter ladder/rung_depts as of
** today: mask bit i is rung i (ladder_rung_code()), bit 6 rdi. */
#define RDI_BIT (1u << 6)

static int rung_index(const char *code) {
  for (int i = 0; i < ladder_rung_count(); i++)
    if (strcmp(ladder_rung_code(i), code) == 0) return i;
  return strcmp(code, "rdi") == 0 ? 6 : -1;
}

/* dept_rungs() is the mask of the rungs department dept_id recognises (0
** for none, or for a read error: nothing is granted on an error). */
static unsigned dept_rungs(Db *db, int64_t dept_id) {
  if (!dept_id) return 0;
  char today[11];
  json_t *map = NULL;
  Err e = {0};
  if (params_get(db, "ladder", "rung_depts", time_today_cn(today), &map, &e) != 1) return 0;
  Dept d;
  unsigned mask = 0;
  if (accounts_dept_get(db, dept_id, NULL, &d, &e) == 1) {
    const char *k;
    json_t *v;
    json_object_foreach(map, k, v) {
      int i = rung_index(k);
      if (i >= 0 && json_is_string(v) && strcmp(json_string_value(v), d.code) == 0) mask |= 1u << i;
    }
  }
  json_decref(map);
  return mask;
}

/* dept_of_rung() is the id of the department that recognises rung, 0 when
** none is named. */
static int64_t dept_of_rung(Db *db, const char *rung, Err *e) {
  char today[11];
  json_t *map = NULL;
  if (params_need(db, "ladder", "rung_depts", time_today_cn(today), &map, e)) return -1;
  const char *code = json_string_value(json_object_get(map, rung));
  Dept d;
  int64_t id = 0;
  if (code && accounts_dept_get(db, 0, code, &d, e) == 1) id = d.id;
  json_decref(map);
  return id;
}

json_t *ladder_rungs(Store *s, Err *e) {
  Db *db = store_reader(s);
  char today[11];
  json_t *map = NULL, *depts = NULL, *out = NULL;
  if (params_need(db, "ladder", "rung_depts", time_today_cn(today), &map, e) ||
      !(depts = accounts_departments(s, e)))
    goto done;
  out = ladder_rungs_json();
  size_t i, k;
  json_t *r, *d;
  json_array_foreach(out, i, r) {
    const char *code = json_string_value(json_object_get(map, json_string_value(json_object_get(r, "code"))));
    json_t *dept = json_null();
    json_array_foreach(depts, k, d) if (code && strcmp(json_string_value(json_object_get(d, "code")), code) == 0) {
      dept = json_pack("{s:O,s:O,s:O,s:O}", "id", json_object_get(d, "id"), "code", json_object_get(d, "code"), "name",
                       json_object_get(d, "name"), "name_en", json_object_get(d, "name_en"));
      break;
    }
    json_object_set_new(r, "dept", dept);
  }
done:
  json_decref(map);
  json_decref(depts);
  return out;
}

/* An actor's standing toward the ladder. */
typedef struct Who {
  bool reads;     /* every enterprise's ladder, the pool and the figures */
  bool officer;   /* keeps facts and visits */
  unsigned rungs; /* the rungs whose titles it keeps (and whose pool it sees first) */
} Who;

static Who who(Db *db, const User *u) {
  Who w = {0};
  if (u->role & ROLE_ADMIN) w.reads = w.officer = true, w.rungs = 0x7f;
  else if (u->role & (ROLE_LEADER | ROLE_AUDITOR)) w.reads = true;
  else if (u->role & ROLE_POLICY && (w.rungs = dept_rungs(db, u->dept_id))) w.reads = w.officer = true;
  return w;
}

static int forbidden(Err *e) {
  return err_set(e, E_FORBIDDEN, "ladder.forbidden", NULL, "无权办理企业梯度培育事务",
                 "You may not act on the enterprise qualification ladder");
}

/* ---- an enterprise's facts, assembled for the rules ----------------------- */

typedef struct Ent {
  int64_t id;
  char uscc[20], name[400], established[11], industry[8];
} Ent;

/* ent_load() reads the registry's entity uscc: 1, 0 (ladder.no_entity), -1.
** The message does not repeat what was asked for: a person applicant's
** party, or a mistyped column, is a citizen's ID number, and an error never
** echoes one (the field names the input). */
static int ent_load(Db *db, const char *uscc, Ent *en, Err *e) {
  memset(en, 0, sizeof *en);
  Stmt *st = db_prepare(db, "SELECT id, uscc, name, established, industry FROM entity WHERE uscc = ?", e);
  if (!st) return -1;
  stmt_bind_text(st, 1, uscc ? uscc : "");
  int rc = stmt_step(st, e);
  if (rc == 1) {
    en->id = stmt_int(st, 0);
    snprintf(en->uscc, sizeof en->uscc, "%s", stmt_text(st, 1));
    snprintf(en->name, sizeof en->name, "%s", stmt_text(st, 2));
    snprintf(en->established, sizeof en->established, "%s", stmt_text(st, 3));
    snprintf(en->industry, sizeof en->industry, "%s", stmt_text(st, 4));
  }
  stmt_done(st);
  if (rc == 0)
    err_set(e, E_NOTFOUND, "ladder.no_entity", "uscc", "市场主体登记中没有该统一社会信用代码的企业",
            "No enterprise in the registry has that unified social credit code");
  return rc;
}

/* titles_json() is the titles of entity id, oldest grant first (new array
** of {id, rung, rung_name, cert_no, granted_on, valid_until, level, state,
** days_left, revoked_on, reason, renews}), state as of day on. */
static json_t *title_row(Stmt *st, int col, int today);

#define TITLE_COLS "t.id, t.rung, t.cert_no, t.granted_on, t.valid_until, t.level, t.revoked_on, t.reason, t.renews"

static json_t *titles_of(Db *db, int64_t entity_id, int on, Err *e) {
  Stmt *st = db_prepare(db, "SELECT " TITLE_COLS " FROM ladder_title t WHERE t.entity_id = ? ORDER BY t.granted_on, t.id",
                        e);
  if (!st) return NULL;
  stmt_bind_int(st, 1, entity_id);
  json_t *out = json_array();
  int rc;
  while ((rc = stmt_step(st, e)) == 1) json_array_append_new(out, title_row(st, 0, on));
  stmt_done(st);
  if (rc < 0) json_decref(out), out = NULL;
  return out;
}

/* title_state() is held, expiring (within 90 days), lapsed, revoked or
** future (granted after day). */
static const char *title_state(const char *granted, const char *until, const char *revoked, int day, int *left) {
  int g = 0, u = 0;
  cal_parse_date(granted, &g);
  cal_parse_date(until, &u);
  *left = u - day;
  if (revoked[0]) return "revoked";
  if (g > day) return "future";
  if (u < day) return "lapsed";
  return u - day <= 90 ? "expiring" : "held";
}

static json_t *title_row(Stmt *st, int c, int today) {
  const char *rung = stmt_text(st, c + 1), *until = stmt_text(st, c + 4);
  int left;
  const char *state = title_state(stmt_text(st, c + 3), until, stmt_text(st, c + 6), today, &left);
  bool open = strcmp(until, "9999-12-31") == 0;
  json_t *o = json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:I}", "id", (json_int_t)stmt_int(st, c), "rung", rung,
                        "rung_name", ladder_rung_name(rung) ? ladder_rung_name(rung) : rung, "cert_no",
                        stmt_text(st, c + 2), "granted_on", stmt_text(st, c + 3), "level", stmt_text(st, c + 5),
                        "state", state, "revoked_on", stmt_text(st, c + 6), "reason", stmt_text(st, c + 7), "renews",
                        (json_int_t)stmt_int(st, c + 8));
  json_object_set_new(o, "valid_until", open ? json_null() : json_string(until));
  json_object_set_new(o, "days_left", open || left < 0 ? json_null() : json_integer(left));
  return o;
}

/* Per-year figures that the rules read as a series of the last years. */
static const struct {
  const char *key, *as;
  int years; /* 0: the series of the years there are (up to 3); N: the sum of exactly N years */
} SERIES[] = {{"sales", "sales_3y", 0},        {"rd", "rd_3y", 0},          {"rd_in_china", "rd_in_china_3y", 0},
              {"main_revenue", "main_revenue_3y", 0}, {"equity", "equity_2y", 2}, {"equity", "equity_3y", 3}};

int ladder_assemble(Db *db, int64_t entity_id, const char *established, const char *on, json_t **facts,
                    int *facts_year, Err *e) {
  int day;
  if (cal_parse_date(on, &day))
    return err_setf(e, E_INVALID, "ladder.bad_date", "on", "日期无效（YYYY-MM-DD）：%s", "Not a date (YYYY-MM-DD): %s",
                    on);
  int last = cal_year(day) - 1; /* the last year whose accounts are closed */
  json_t *year[3] = {NULL, NULL, NULL}; /* last − 2 … last */
  Stmt *st = db_prepare(db, "SELECT year, facts FROM ladder_fact WHERE entity_id = ? AND year BETWEEN ? AND ?", e);
  if (!st) return -1;
  stmt_bind_int(st, 1, entity_id);
  stmt_bind_int(st, 2, last - 2);
  stmt_bind_int(st, 3, last);
  int rc;
  while ((rc = stmt_step(st, e)) == 1) {
    int k = (int)stmt_int(st, 0) - (last - 2);
    json_decref(year[k]);
    year[k] = json_loads(stmt_text(st, 1), 0, NULL);
  }
  stmt_done(st);
  json_t *f = json_object();
  if (rc == 0) {
    /* The last year's figures as they are; the incident of that year is the
    ** rules' incident_last_year. */
    if (year[2]) {
      json_object_update(f, year[2]);
      json_t *inc = json_object_get(f, "incident");
      if (inc) json_object_set(f, "incident_last_year", inc), json_object_del(f, "incident");
    }
    for (size_t i = 0; i < XQ_COUNT(SERIES); i++) {
      json_t *a = json_array();
      double sum = 0;
      for (int k = 2; k >= 0 && year[k]; k--) {
        json_t *v = json_object_get(year[k], SERIES[i].key);
        if (!json_is_number(v)) break;
        json_array_insert(a, 0, v);
        sum += json_number_value(v);
      }
      int n = (int)json_array_size(a);
      if (SERIES[i].years == 0 && n > 0) json_object_set(f, SERIES[i].as, a);
      else if (SERIES[i].years > 0 && n >= SERIES[i].years) {
        sum = 0;
        for (int k = n - SERIES[i].years; k < n; k++) sum += json_number_value(json_array_get(a, (size_t)k));
        json_object_set_new(f, SERIES[i].as, json_real(round(sum * 100) / 100));
      }
      json_decref(a);
    }
    if (established && established[0]) json_object_set_new(f, "registered_on", json_string(established));
    /* Titles, as the rules read them; an R&D institution held counts as
    ** one unless the year's figures say otherwise. */
    json_t *titles = titles_of(db, entity_id, day, e), *mine = json_array();
    size_t i;
    json_t *t;
    if (!titles) rc = -1;
    json_array_foreach(titles, i, t) {
      const char *rung = json_string_value(json_object_get(t, "rung")), *state =
          json_string_value(json_object_get(t, "state"));
      bool held = strcmp(state, "held") == 0 || strcmp(state, "expiring") == 0;
      if (strcmp(rung, "rdi") == 0) {
        if (held && !json_object_get(f, "rd_institution")) json_object_set_new(f, "rd_institution", json_true());
        const char *lv = json_string_value(json_object_get(t, "level"));
        if (held && !json_object_get(f, "provincial_rd_institution") &&
            (strcmp(lv, "national") == 0 || strcmp(lv, "provincial") == 0))
          json_object_set_new(f, "provincial_rd_institution", json_true());
        continue;
      }
      json_t *x = json_pack("{s:O,s:O}", "rung", json_object_get(t, "rung"), "from", json_object_get(t, "granted_on"));
      json_t *until = json_object_get(t, "valid_until");
      if (json_is_string(until)) json_object_set(x, "until", until);
      const char *rv = json_string_value(json_object_get(t, "revoked_on"));
      if (rv && rv[0]) json_object_set_new(x, "revoked_on", json_string(rv));
      json_array_append_new(mine, x);
    }
    json_decref(titles);
    json_object_set_new(f, "titles", mine);
  }
  for (int k = 0; k < 3; k++) json_decref(year[k]);
  if (rc < 0) {
    json_decref(f);
    return -1;
  }
  *facts = f;
  if (facts_year) *facts_year = last;
  return 0;
}

/* ---- standing on every rung (the 培育库) ---------------------------------- */

/* The two tracks, bottom up: 科技局's and 工信局's. */
static const char *const TRACK_KJ[] = {"kjxzx", "gaoqi", NULL}, *const TRACK_GX[] = {"cxx", "zjtx", "xjr", "dxgj", NULL};

static bool holds(const json_t *facts, const char *rung, const char *on) {
  size_t i;
  json_t *t;
  json_array_foreach(json_object_get(facts, "titles"), i, t) {
    const char *from = json_string_value(json_object_get(t, "from")),
               *until = json_string_value(json_object_get(t, "until"));
    if (strcmp(json_string_value(json_object_get(t, "rung")), rung) == 0 && !json_object_get(t, "revoked_on") &&
        strcmp(from, on) <= 0 && (!until || strcmp(until, on) >= 0))
      return true;
  }
  return false;
}

/* next_of() is the rung after the highest of track held (the track's first
** when none is), NULL when the top is held. */
static const char *next_of(const char *const *track, const json_t *facts, const char *on) {
  const char *next = track[0];
  for (int i = 0; track[i]; i++)
    if (holds(facts, track[i], on)) next = track[i + 1];
  return next;
}

/* counts() fills the criteria counts of one rung's result. */
static void counts(const json_t *r, int *met, int *unknown, int *total) {
  size_t i;
  json_t *c;
  *met = *unknown = *total = 0;
  json_array_foreach(json_object_get(r, "criteria"), i, c) {
    json_t *m = json_object_get(c, "met");
    ++*total;
    if (json_is_true(m)) ++*met;
    else if (json_is_null(m)) ++*unknown;
  }
}

/* next_json() is, for each track, the next rung with its counts and gaps. */
static json_t *next_json(const json_t *check, const json_t *facts, const char *on) {
  const char *const *tracks[] = {TRACK_KJ, TRACK_GX};
  static const char *const names[] = {"kj", "gx"};
  json_t *out = json_array();
  for (int k = 0; k < 2; k++) {
    const char *next = next_of(tracks[k], facts, on);
    size_t i;
    json_t *r;
    if (!next) continue;
    json_array_foreach(json_object_get(check, "rungs"), i, r) {
      if (strcmp(json_string_value(json_object_get(r, "rung")), next) != 0) continue;
      int met, unknown, total;
      counts(r, &met, &unknown, &total);
      json_array_append_new(out, json_pack("{s:s,s:s,s:O,s:i,s:i,s:i,s:O,s:O}", "track", names[k], "rung", next, "name",
                                           json_object_get(r, "name"), "met", met, "unknown", unknown, "total", total,
                                           "eligible", json_object_get(r, "eligible"), "gaps",
                                           json_object_get(r, "why_not")));
    }
  }
  return out;
}

int ladder_refresh(Db *db, int64_t entity_id, const char *established, const char *on, Err *e) {
  json_t *facts, *check = NULL;
  if (ladder_assemble(db, entity_id, established, on, &facts, NULL, e)) return -1;
  int rc = -1;
  if (!(check = ladder_check(facts, on, e))) goto out;
  if (db_run(db, e, "DELETE FROM ladder_standing WHERE entity_id = ?", "i", entity_id) < 0) goto out;
  const char *nextKj = next_of(TRACK_KJ, facts, on), *nextGx = next_of(TRACK_GX, facts, on);
  size_t i;
  json_t *r;
  json_array_foreach(json_object_get(check, "rungs"), i, r) {
    const char *rung = json_string_value(json_object_get(r, "rung"));
    int met, unknown, total;
    counts(r, &met, &unknown, &total);
    json_t *el = json_object_get(r, "eligible"), *gaps = json_array(), *why = json_object_get(r, "why_not");
    for (size_t k = 0; k < json_array_size(why) && k < 5; k++) json_array_append(gaps, json_array_get(why, k));
    char *g = json_dumps(gaps, JSON_COMPACT);
    json_decref(gaps);
    bool next = (nextKj && strcmp(rung, nextKj) == 0) || (nextGx && strcmp(rung, nextGx) == 0);
    int64_t n = db_run(db, e, "INSERT INTO ladder_standing(entity_id, rung, checked_on, eligible, met, unknown, total,"
                              " near, held, is_next, gaps) VALUES (?,?,?,?,?,?,?,?,?,?,?)", "ittiiiiiiit", entity_id, rung,
                       on, (int64_t)(json_is_true(el) ? 1 : json_is_false(el) ? 0 : -1), (int64_t)met, (int64_t)unknown,
                       (int64_t)total, (int64_t)(total ? met * 10000 / total : 0), (int64_t)holds(facts, rung, on),
                       (int64_t)next, g);
    free(g);
    if (n < 0) goto out;
  }
  rc = 0;
out:
  json_decref(check);
  json_decref(facts);
  return rc;
}

/* ---- an enterprise's ladder ------------------------------------------------ */

static json_t *years_of(Db *db, int64_t entity_id, Err *e) {
  Stmt *st = db_prepare(db, "SELECT f.year, f.facts, f.sources, f.updated_at, COALESCE(a.username, '')"
                            " FROM ladder_fact f LEFT JOIN account a ON a.id = f.updated_by"
                            " WHERE f.entity_id = ? ORDER BY f.year DESC", e);
  if (!st) return NULL;
  stmt_bind_int(st, 1, entity_id);
  json_t *out = json_array();
  int rc;
  while ((rc = stmt_step(st, e)) == 1)
    json_array_append_new(out, json_pack("{s:I,s:o,s:o,s:o,s:s}", "year", (json_int_t)stmt_int(st, 0), "facts",
                                         json_loads(stmt_text(st, 1), 0, NULL), "sources",
                                         json_loads(stmt_text(st, 2), 0, NULL), "updated_at",
                                         jsonx_time(stmt_int(st, 3)), "updated_by", stmt_text(st, 4)));
  stmt_done(st);
  if (rc < 0) json_decref(out), out = NULL;
  return out;
}

static json_t *visits_of(Db *db, int64_t entity_id, Err *e) {
  Stmt *st = db_prepare(db, "SELECT v.id, v.on_day, v.kind, v.note, v.next_step, v.next_on, COALESCE(a.username, ''),"
                            " COALESCE(a.display, ''), d.name FROM ladder_visit v LEFT JOIN account a ON a.id = v.created_by"
                            " JOIN department d ON d.id = v.dept_id WHERE v.entity_id = ? ORDER BY v.on_day DESC, v.id DESC",
                        e);
  if (!st) return NULL;
  stmt_bind_int(st, 1, entity_id);
  json_t *out = json_array();
  int rc;
  while ((rc = stmt_step(st, e)) == 1)
    json_array_append_new(out, json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "id", (json_int_t)stmt_int(st, 0),
                                         "on", stmt_text(st, 1), "kind", stmt_text(st, 2), "note", stmt_text(st, 3),
                                         "next_step", stmt_text(st, 4), "next_on", stmt_text(st, 5), "by",
                                         stmt_text(st, 6), "by_name", stmt_text(st, 7), "dept", stmt_text(st, 8)));
  stmt_done(st);
  if (rc < 0) json_decref(out), out = NULL;
  return out;
}

json_t *ladder_enterprise(Store *s, const User *actor, const char *uscc, const char *on, Err *e) {
  Db *db = store_reader(s);
  Who w = who(db, actor);
  Ent en;
  char today[11];
  if (!on || !*on) on = time_today_cn(today);
  /* One who may not see it is told it is not there (as for any record of
  ** another's scope): an applicant for another enterprise, or an official
  ** of a department that keeps no rung. */
  if (!w.reads && !(actor->role & ROLE_APPLICANT && uscc && registry_acts_for(db, actor, uscc)))
    return err_set(e, E_NOTFOUND, "ladder.not_found", "uscc", "没有该企业的梯度记录，或无权查看",
                   "No such enterprise on the ladder, or not yours to see"),
           NULL;
  if (ent_load(db, uscc, &en, e) != 1) return NULL;
  if (ladder_sync(db, e)) return NULL;
  json_t *facts = NULL, *check = NULL, *out = NULL;
  int fy, day;
  if (ladder_assemble(db, en.id, en.established, on, &facts, &fy, e)) return NULL;
  cal_parse_date(on, &day);
  json_t *years = years_of(db, en.id, e), *titles = years ? titles_of(db, en.id, day, e) : NULL;
  json_t *visits = titles && w.reads ? visits_of(db, en.id, e) : NULL;
  if (titles && (visits || !w.reads) && (check = ladder_check(facts, on, e))) {
    out = json_pack("{s:{s:s,s:s,s:s,s:s},s:s,s:i,s:O,s:O,s:O,s:O,s:o}", "entity", "uscc", en.uscc, "name", en.name,
                    "established", en.established, "industry", en.industry, "on", on, "facts_year", fy, "facts", facts,
                    "years", years, "titles", titles, "check", check, "next", next_json(check, facts, on));
    if (visits) json_object_set(out, "visits", visits);
  }
  json_decref(facts);
  json_decref(check);
  json_decref(years);
  json_decref(titles);
  json_decref(visits);
  return out;
}

/* ---- facts of a year -------------------------------------------------------- */

typedef struct FactsJob {
  const User *actor;
  const char *uscc, *source;
  int year;
  const json_t *facts; /* checked: {key: value or null to remove} */
  int64_t now;
  char today[11];
} FactsJob;

/* facts_write() merges j's facts into the year's record inside a job and
** refreshes the enterprise's standing; audit event ladder.facts. */
static int ladder_facts_write(Db *db, const User *actor, const Ent *en, int year, const json_t *given, const char *source,
                       int64_t now, const char *today, Err *e);

static int facts_job(Db *db, void *arg, Err *e) {
  FactsJob *j = arg;
  Ent en;
  if (ent_load(db, j->uscc, &en, e) != 1) return -1;
  if (ladder_facts_write(db, j->actor, &en, j->year, j->facts, j->source, j->now, j->today, e)) return -1;
  return ladder_refresh(db, en.id, en.established, j->today, e);
}

static int ladder_facts_write(Db *db, const User *actor, const Ent *en, int year, const json_t *given, const char *source,
                       int64_t now, const char *today, Err *e) {
  (void)today;
  json_t *facts = NULL, *sources = NULL;
  Stmt *st = db_prepare(db, "SELECT facts, sources FROM ladder_fact WHERE entity_id = ? AND year = ?", e);
  if (!st) return -1;
  stmt_bind_int(st, 1, en->id);
  stmt_bind_int(st, 2, year);
  int rc = stmt_step(st, e);
  bool had = rc == 1;
  if (had) facts = json_loads(stmt_text(st, 0), 0, NULL), sources = json_loads(stmt_text(st, 1), 0, NULL);
  stmt_done(st);
  if (rc < 0) return -1;
  if (!facts) facts = json_object();
  if (!sources) sources = json_object();
  const char *k;
  json_t *v;
  json_object_foreach((json_t *)given, k, v) {
    if (json_is_null(v)) {
      json_object_del(facts, k);
      json_object_del(sources, k);
    } else {
      json_object_set(facts, k, v);
      json_object_set_new(sources, k, json_string(source));
    }
  }
  char *f = json_dumps(facts, JSON_COMPACT | JSON_SORT_KEYS), *src = json_dumps(sources, JSON_COMPACT | JSON_SORT_KEYS);
  int64_t n = had ? db_run(db, e, "UPDATE ladder_fact SET facts = ?, sources = ?, updated_at = ?, updated_by = ?"
                                  " WHERE entity_id = ? AND year = ?", "ttiiii", f, src, now, actor->id, en->id,
                           (int64_t)year)
                  : db_run(db, e, "INSERT INTO ladder_fact(entity_id, year, facts, sources, updated_at, updated_by)"
                                  " VALUES (?,?,?,?,?,?)", "iittii", en->id, (int64_t)year, f, src, now, actor->id);
  free(f);
  free(src);
  json_decref(facts);
  json_decref(sources);
  if (n < 0) return -1;
  char obj[64];
  snprintf(obj, sizeof obj, "entity:%s", en->uscc);
  json_t *detail = json_pack("{s:i,s:O,s:s}", "year", year, "facts", given, "source", source);
  rc = audit_append(db, actor, "ladder.facts", obj, detail, e);
  json_decref(detail);
  return rc;
}

static int ladder_facts_decode(const json_t *in, int year, json_t **facts, Err *e) {
  char now[11];
  int day;
  cal_parse_date(time_today_cn(now), &day);
  if (year < 2000 || year > cal_year(day))
    return err_set(e, E_INVALID, "ladder.bad_year", "year", "年度应在 2000 年至今年之间", "The year is 2000 to this year");
  if (!json_is_object(in) || json_object_size(in) == 0)
    return err_set(e, E_INVALID, "ladder.bad_facts", "facts", "请填写至少一项企业数据", "Give at least one figure");
  const char *k;
  json_t *v;
  json_object_foreach((json_t *)in, k, v) {
    const LadderFact *f = ladder_fact_find(k);
    if (!f)
      return err_setf(e, E_INVALID, "ladder.unknown_fact", k, "没有这一项企业数据：%s", "No such figure: %s", k);
    if (!json_is_null(v) && ladder_fact_check(f, v, e)) return -1;
  }
  *facts = json_incref((json_t *)in);
  return 0;
}

json_t *ladder_facts_put(Store *s, const User *actor, const char *uscc, const char *year, const json_t *in, Err *e) {
  Db *db = store_reader(s);
  if (!who(db, actor).officer) return forbidden(e), NULL;
  FactsJob j = {.actor = actor, .uscc = uscc, .now = now_ms()};
  char source[244] = "";
  char *end;
  long y = year ? strtol(year, &end, 10) : 0;
  if (!year || *end || end == year) y = 0;
  if (jsonx_text(in, "source", "数据来源", source, sizeof source, 60, e)) return NULL;
  json_t *facts;
  if (!json_is_object(in) || json_object_size(in) != 2 || !json_object_get(in, "facts")) {
    if (json_is_object(in)) {
      const char *k;
      json_t *v;
      json_object_foreach((json_t *)in, k, v) if (strcmp(k, "facts") && strcmp(k, "source"))
        return err_setf(e, E_INVALID, "request.unknown_field", k, "不认识的字段：%s", "Unknown field: %s", k), NULL;
    }
    return err_set(e, E_INVALID, "request.missing_field", "facts", "请提交 facts 与 source", "Give facts and source"),
           NULL;
  }
  if (ladder_facts_decode(json_object_get(in, "facts"), (int)y, &facts, e)) return NULL;
  j.year = (int)y, j.facts = facts, j.source = source;
  time_today_cn(j.today);
  int rc = store_write(s, facts_job, &j, e);
  json_decref(facts);
  return rc ? NULL : ladder_enterprise(s, actor, uscc, NULL, e);
}

/* ---- titles ----------------------------------------------------------------- */

static const char *const LEVELS[] = {"national", "provincial", "city", "district"};

typedef struct TitleJob {
  const User *actor;
  char uscc[40], rung[16], cert_no[244], granted_on[11], valid_until[11], level[16], on[11], reason[604];
  int64_t id, renews, now;
  int64_t made; /* the title written */
  char today[11];
} TitleJob;

typedef struct Title {
  int64_t id, entity_id, dept_id;
  char rung[16], cert_no[244], granted_on[11], valid_until[11], revoked_on[11], uscc[20], established[11];
} Title;

static int title_load(Db *db, int64_t id, Title *t, Err *e) {
  memset(t, 0, sizeof *t);
  Stmt *st = db_prepare(db, "SELECT t.id, t.entity_id, t.dept_id, t.rung, t.cert_no, t.granted_on, t.valid_until,"
                            " t.revoked_on, e.uscc, e.established FROM ladder_title t JOIN entity e ON e.id = t.entity_id"
                            " WHERE t.id = ?", e);
  if (!st) return -1;
  stmt_bind_int(st, 1, id);
  int rc = stmt_step(st, e);
  if (rc == 1) {
    t->id = stmt_int(st, 0), t->entity_id = stmt_int(st, 1), t->dept_id = stmt_int(st, 2);
    snprintf(t->rung, sizeof t->rung, "%s", stmt_text(st, 3));
    snprintf(t->cert_no, sizeof t->cert_no, "%s", stmt_text(st, 4));
    snprintf(t->granted_on, sizeof t->granted_on, "%s", stmt_text(st, 5));
    snprintf(t->valid_until, sizeof t->valid_until, "%s", stmt_text(st, 6));
    snprintf(t->revoked_on, sizeof t->revoked_on, "%s", stmt_text(st, 7));
    snprintf(t->uscc, sizeof t->uscc, "%s", stmt_text(st, 8));
    snprintf(t->established, sizeof t->established, "%s", stmt_text(st, 9));
  }
  stmt_done(st);
  if (rc == 0)
    err_set(e, E_NOTFOUND, "ladder.no_title", "id", "没有这一资质记录", "No such title");
  return rc;
}

/* title_insert() writes a title of j (granted_on .. valid_until, checked). */
static int title_insert(Db *db, TitleJob *j, const Ent *en, int64_t dept_id, Err *e) {
  Stmt *st = db_prepare(db, "INSERT INTO ladder_title(entity_id, rung, cert_no, granted_on, valid_until, level, dept_id,"
                            " renews, created_at, created_by) VALUES (?,?,?,?,?,?,?,?,?,?) RETURNING id", e);
  if (!st) return -1;
  stmt_bind_int(st, 1, en->id);
  stmt_bind_text(st, 2, j->rung);
  stmt_bind_text(st, 3, j->cert_no);
  stmt_bind_text(st, 4, j->granted_on);
  stmt_bind_text(st, 5, j->valid_until);
  stmt_bind_text(st, 6, j->level);
  stmt_bind_int(st, 7, dept_id);
  stmt_bind_int(st, 8, j->renews);
  stmt_bind_int(st, 9, j->now);
  stmt_bind_int(st, 10, j->actor->id);
  int rc = stmt_step(st, e);
  if (rc == 1) j->made = stmt_int(st, 0);
  stmt_done(st);
  if (rc < 0 && strcmp(e->code, "db.unique") == 0)
    return err_setf(e, E_CONFLICT, "ladder.cert_exists", "cert_no", "该证书编号已登记：%s",
                    "That certificate number is recorded: %s", j->cert_no);
  if (rc != 1) return -1;
  char obj[64];
  snprintf(obj, sizeof obj, "entity:%s", en->uscc);
  json_t *d = json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:I}", "title", (json_int_t)j->made, "rung", j->rung, "cert_no",
                        j->cert_no, "granted_on", j->granted_on, "valid_until", j->valid_until, "level", j->level,
                        "renews", (json_int_t)j->renews);
  rc = audit_append(db, j->actor, j->renews ? "ladder.title_renew" : "ladder.title", obj, d, e);
  json_decref(d);
  return rc;
}

/* title_may() checks that actor keeps titles of rung. */
static int title_may(Db *db, const User *actor, const char *rung, Err *e) {
  int i = rung_index(rung);
  if (i < 0)
    return err_setf(e, E_INVALID, "ladder.bad_rung", "rung",
                    "资质类别应为 kjxzx、gaoqi、cxx、zjtx、xjr、dxgj 或 rdi：%s",
                    "The rung is kjxzx, gaoqi, cxx, zjtx, xjr, dxgj or rdi: %s", rung);
  if (!(who(db, actor).rungs & (1u << i)))
    return err_setf(e, E_FORBIDDEN, "ladder.forbidden", NULL, "只有认定该资质的部门可以登记：%s",
                    "Only the department that recognises it records this title: %s", ladder_rung_name(rung));
  return 0;
}

/* valid_until_of() fills j->valid_until when not given: granted_on plus the
** rung's valid years, less a day; open (9999-12-31) for rdi. */
static int dates_check(TitleJob *j, Err *e) {
  int g, u, today;
  cal_parse_date(j->today, &today);
  if (cal_parse_date(j->granted_on, &g) || g > today)
    return err_setf(e, E_INVALID, "ladder.bad_date", "granted_on", "认定日期无效或在今天之后：%s",
                    "Not a date, or after today: %s", j->granted_on);
  if (!j->valid_until[0]) {
    int years = strcmp(j->rung, "rdi") == 0 ? 0 : ladder_valid_years(j->rung, j->granted_on);
    if (!years && strcmp(j->rung, "rdi") != 0)
      return err_set(e, E_INVALID, "request.missing_field", "valid_until",
                     "认定日期时尚无该级的认定标准，请填写有效期至", "No rule was in force on that day: give valid_until");
    if (!years) {
      snprintf(j->valid_until, sizeof j->valid_until, "9999-12-31");
      return 0;
    }
    int y, m, d;
    sscanf(j->granted_on, "%d-%d-%d", &y, &m, &d);
    if (m == 2 && d == 29) d = 28;
    cal_from_ymd(y + years, m, d, &u);
    cal_format(u - 1, j->valid_until);
  }
  if (cal_parse_date(j->valid_until, &u) || u < g)
    return err_setf(e, E_INVALID, "ladder.bad_date", "valid_until", "有效期至日期无效或早于认定日期：%s",
                    "Not a date, or before the grant: %s", j->valid_until);
  return 0;
}

static int title_add_job(Db *db, void *arg, Err *e) {
  TitleJob *j = arg;
  Ent en;
  if (ent_load(db, j->uscc, &en, e) != 1) return -1;
  int64_t dept = dept_of_rung(db, j->rung, e);
  if (dept < 0) return -1;
  if (!dept) dept = j->actor->dept_id;
  if (j->renews) {
    Title old;
    if (title_load(db, j->renews, &old, e) != 1) return -1;
    snprintf(j->rung, sizeof j->rung, "%s", old.rung);
    if (old.entity_id != en.id) return err_set(e, E_INVALID, "ladder.bad_title", "id", "", "");
    if (old.revoked_on[0])
      return err_set(e, E_CONFLICT, "ladder.revoked", "id", "已撤销的资质不能续期，请重新认定",
                     "A revoked title is not renewed; record a new grant");
    if (strcmp(j->granted_on, old.granted_on) <= 0)
      return err_setf(e, E_INVALID, "ladder.bad_date", "granted_on", "重新认定日期应晚于原认定日期 %s",
                      "The renewal is granted after the title it renews (%s)", old.granted_on);
    int64_t n = -1;
    Stmt *st = db_prepare(db, "SELECT COUNT(*) FROM ladder_title WHERE renews = ?", e);
    if (st) {
      stmt_bind_int(st, 1, old.id);
      if (stmt_step(st, e) == 1) n = stmt_int(st, 0);
      stmt_done(st);
    }
    if (n < 0) return -1;
    if (n > 0) return err_set(e, E_CONFLICT, "ladder.renewed", "id", "该资质已续期", "That title has been renewed");
  }
  if (title_insert(db, j, &en, dept, e)) return -1;
  return ladder_refresh(db, en.id, en.established, j->today, e);
}

static json_t *title_get(Store *s, int64_t id, Err *e) {
  Db *db = store_reader(s);
  Stmt *st = db_prepare(db, "SELECT " TITLE_COLS ", e.uscc, e.name FROM ladder_title t JOIN entity e ON e.id = t.entity_id"
                            " WHERE t.id = ?", e);
  if (!st) return NULL;
  stmt_bind_int(st, 1, id);
  char today[11];
  int day;
  cal_parse_date(time_today_cn(today), &day);
  json_t *out = NULL;
  if (stmt_step(st, e) == 1) {
    out = title_row(st, 0, day);
    json_object_set_new(out, "uscc", json_string(stmt_text(st, 9)));
    json_object_set_new(out, "name", json_string(stmt_text(st, 10)));
  }
  stmt_done(st);
  return out;
}

static int title_fields(const json_t *in, TitleJob *j, bool renew, Err *e) {
  JField f[] = {
      {"uscc", J_STR, !renew, j->uscc, sizeof j->uscc, 1, 18, NULL},
      {"rung", J_STR, !renew, j->rung, sizeof j->rung, 1, 8, NULL},
      {"cert_no", J_STR, true, j->cert_no, sizeof j->cert_no, 1, 60, NULL},
      {"granted_on", J_STR, true, j->granted_on, sizeof j->granted_on, 0, 0, NULL},
      {"valid_until", J_STR, false, j->valid_until, sizeof j->valid_until, 0, 0, NULL},
      {"level", J_STR, !renew, j->level, sizeof j->level, 0, 0, NULL},
  };
  /* A renewal takes only the new certificate's number and dates. */
  if (jsonx_decode(in, renew ? f + 2 : f, renew ? 3 : (int)XQ_COUNT(f), false, e)) return -1;
  if (!renew) {
    bool known = false;
    for (size_t i = 0; i < XQ_COUNT(LEVELS); i++) known = known || strcmp(j->level, LEVELS[i]) == 0;
    if (!known)
      return err_setf(e, E_INVALID, "ladder.bad_level", "level",
                      "认定层级应为 national（国家级）、provincial（省级）、city（市级）或 district（区级）：%s",
                      "The level is national, provincial, city or district: %s", j->level);
  }
  return 0;
}

json_t *ladder_title_add(Store *s, const User *actor, const json_t *in, Err *e) {
  TitleJob j = {.actor = actor, .now = now_ms()};
  time_today_cn(j.today);
  if (title_fields(in, &j, false, e) || title_may(store_reader(s), actor, j.rung, e) || dates_check(&j, e)) return NULL;
  if (store_write(s, title_add_job, &j, e)) return NULL;
  return title_get(s, j.made, e);
}

json_t *ladder_title_renew(Store *s, const User *actor, int64_t id, const json_t *in, Err *e) {
  TitleJob j = {.actor = actor, .now = now_ms(), .renews = id};
  Title old;
  time_today_cn(j.today);
  Db *db = store_reader(s);
  if (title_load(db, id, &old, e) != 1) return NULL;
  snprintf(j.rung, sizeof j.rung, "%s", old.rung);
  snprintf(j.uscc, sizeof j.uscc, "%s", old.uscc);
  /* The renewal keeps the level of the title it renews. */
  Stmt *st = db_prepare(db, "SELECT level FROM ladder_title WHERE id = ?", e);
  if (!st) return NULL;
  stmt_bind_int(st, 1, id);
  if (stmt_step(st, e) == 1) snprintf(j.level, sizeof j.level, "%s", stmt_text(st, 0));
  stmt_done(st);
  if (title_fields(in, &j, true, e) || title_may(db, actor, j.rung, e) || dates_check(&j, e)) return NULL;
  if (store_write(s, title_add_job, &j, e)) return NULL;
  return title_get(s, j.made, e);
}

static int revoke_job(Db *db, void *arg, Err *e) {
  TitleJob *j = arg;
  Title t;
  if (title_load(db, j->id, &t, e) != 1) return -1;
  if (t.revoked_on[0])
    return err_setf(e, E_CONFLICT, "ladder.revoked", "id", "该资质已于 %s 撤销", "That title was revoked on %s",
                    t.revoked_on);
  if (strcmp(j->on, t.granted_on) < 0)
    return err_setf(e, E_INVALID, "ladder.bad_date", "on", "撤销日期不能早于认定日期 %s",
                    "A title is not revoked before it was granted (%s)", t.granted_on);
  if (db_run(db, e, "UPDATE ladder_title SET revoked_on = ?, reason = ? WHERE id = ? AND revoked_on = ''", "tti", j->on,
             j->reason, t.id) < 0)
    return -1;
  char obj[64];
  snprintf(obj, sizeof obj, "entity:%s", t.uscc);
  json_t *d = json_pack("{s:I,s:s,s:s,s:s,s:s}", "title", (json_int_t)t.id, "rung", t.rung, "cert_no", t.cert_no, "on",
                        j->on, "reason", j->reason);
  int rc = audit_append(db, j->actor, "ladder.title_revoke", obj, d, e);
  json_decref(d);
  return rc ? -1 : ladder_refresh(db, t.entity_id, t.established, j->today, e);
}

json_t *ladder_title_revoke(Store *s, const User *actor, int64_t id, const json_t *in, Err *e) {
  TitleJob j = {.actor = actor, .now = now_ms(), .id = id};
  time_today_cn(j.today);
  Title t;
  int day, today;
  JField f[] = {
      {"on", J_STR, true, j.on, sizeof j.on, 0, 0, NULL},
      {"reason", J_STR, true, j.reason, sizeof j.reason, 2, 200, NULL},
  };
  Db *db = store_reader(s);
  if (title_load(db, id, &t, e) != 1 || title_may(db, actor, t.rung, e) ||
      jsonx_decode(in, f, (int)XQ_COUNT(f), false, e))
    return NULL;
  cal_parse_date(j.today, &today);
  if (cal_parse_date(j.on, &day) || day > today)
    return err_setf(e, E_INVALID, "ladder.bad_date", "on", "撤销日期无效或在今天之后：%s", "Not a date, or after today: %s",
                    j.on),
           NULL;
  if (store_write(s, revoke_job, &j, e)) return NULL;
  return title_get(s, id, e);
}

json_t *ladder_titles(Store *s, const User *actor, const LadderTitleQuery *q, Err *e) {
  /* Titles are public acts (认定名单 are published): every official the
  ** route admits reads the register. The expiring list is work to do, so
  ** a department's officer gets its own rungs' only (none when it keeps
  ** none); administrators, leaders and auditors get every one. */
  Db *db = store_reader(s);
  const char *st8 = q->state && *q->state ? q->state : "";
  unsigned scope = 0x7f;
  if (!strcmp(st8, "expiring") && !(actor->role & (ROLE_ADMIN | ROLE_LEADER | ROLE_AUDITOR)))
    scope = who(db, actor).rungs;
  char today[11], until[11];
  int day;
  cal_parse_date(time_today_cn(today), &day);
  Buf where = {0};
  json_t *args = json_array();
  buf_puts(&where, " WHERE 1 = 1");
  if (q->rung && *q->rung) {
    if (rung_index(q->rung) < 0) {
      buf_free(&where);
      json_decref(args);
      return err_setf(e, E_INVALID, "ladder.bad_rung", "rung", "没有这一资质类别：%s", "No such rung: %s", q->rung), NULL;
    }
    buf_puts(&where, " AND t.rung = ?");
    json_array_append_new(args, json_string(q->rung));
  }
  if (q->uscc && *q->uscc) {
    buf_puts(&where, " AND e.uscc = ?");
    json_array_append_new(args, json_string(q->uscc));
  }
  if (scope != 0x7f) { /* '' is no rung: the list may be empty */
    buf_puts(&where, " AND t.rung IN (''");
    for (int i = 0; i <= 6; i++)
      if (scope & (1u << i)) buf_appendf(&where, ",'%s'", i < 6 ? ladder_rung_code(i) : "rdi");
    buf_puts(&where, ")");
  }
  if (!strcmp(st8, "held") || !strcmp(st8, "expiring")) {
    cal_format(day + (q->within > 0 ? q->within : 90), until);
    buf_puts(&where, " AND t.revoked_on = '' AND t.granted_on <= ? AND t.valid_until >= ?");
    json_array_append_new(args, json_string(today));
    json_array_append_new(args, json_string(today));
    if (!strcmp(st8, "expiring")) {
      buf_puts(&where, " AND t.valid_until <= ? AND NOT EXISTS (SELECT 1 FROM ladder_title r WHERE r.renews = t.id)");
      json_array_append_new(args, json_string(until));
    }
  } else if (!strcmp(st8, "lapsed")) {
    buf_puts(&where, " AND t.revoked_on = '' AND t.valid_until < ?");
    json_array_append_new(args, json_string(today));
  } else if (!strcmp(st8, "revoked")) {
    buf_puts(&where, " AND t.revoked_on <> ''");
  } else if (*st8) {
    buf_free(&where);
    json_decref(args);
    return err_setf(e, E_INVALID, "request.bad_param", "state", "状态应为 held、expiring、lapsed 或 revoked：%s",
                    "The state is held, expiring, lapsed or revoked: %s", st8),
           NULL;
  }
  char *sql = xasprintf("SELECT COUNT(*) FROM ladder_title t JOIN entity e ON e.id = t.entity_id%s", buf_cstr(&where));
  Stmt *st = db_prepare(db, sql, e);
  free(sql);
  json_t *out = NULL;
  int64_t total = -1;
  if (st) {
    for (size_t i = 0; i < json_array_size(args); i++)
      stmt_bind_text(st, (int)i + 1, json_string_value(json_array_get(args, i)));
    if (stmt_step(st, e) == 1) total = stmt_int(st, 0);
    stmt_done(st);
  }
  if (total >= 0) {
    sql = xasprintf("SELECT " TITLE_COLS ", e.uscc, e.name FROM ladder_title t JOIN entity e ON e.id = t.entity_id%s"
                    " ORDER BY %s LIMIT ? OFFSET ?", buf_cstr(&where),
                    !strcmp(st8, "expiring") ? "t.valid_until, t.id" : "t.granted_on DESC, t.id DESC");
    st = db_prepare(db, sql, e);
    free(sql);
    if (st) {
      size_t n = json_array_size(args);
      for (size_t i = 0; i < n; i++) stmt_bind_text(st, (int)i + 1, json_string_value(json_array_get(args, i)));
      stmt_bind_int(st, (int)n + 1, q->per_page);
      stmt_bind_int(st, (int)n + 2, (int64_t)(q->page - 1) * q->per_page);
      json_t *items = json_array();
      int rc;
      while ((rc = stmt_step(st, e)) == 1) {
        json_t *o = title_row(st, 0, day);
        json_object_set_new(o, "uscc", json_string(stmt_text(st, 9)));
        json_object_set_new(o, "name", json_string(stmt_text(st, 10)));
        json_array_append_new(items, o);
      }
      stmt_done(st);
      if (rc == 0) {
        json_t *rungs = json_array(); /* the rungs the list covers */
        for (int i = 0; i <= 6; i++)
          if (scope & (1u << i)) json_array_append_new(rungs, json_string(i < 6 ? ladder_rung_code(i) : "rdi"));
        out = json_pack("{s:o,s:I,s:i,s:i,s:o}", "items", items, "total", (json_int_t)total, "page", q->page,
                        "per_page", q->per_page, "rungs", rungs);
      } else json_decref(items);
    }
  }
  buf_free(&where);
  json_decref(args);
  return out;
}

/* ---- visits ----------------------------------------------------------------- */

static const char *const visit_kinds[] = {"visit", "call", "meeting", "online", "other"};

typedef struct VisitJob {
  const User *actor;
  const char *uscc;
  char on[11], kind[12], note[1204], next_step[244], next_on[11];
  int64_t now;
} VisitJob;

static int visit_job(Db *db, void *arg, Err *e) {
  VisitJob *j = arg;
  Ent en;
  if (ent_load(db, j->uscc, &en, e) != 1) return -1;
  if (db_run(db, e, "INSERT INTO ladder_visit(entity_id, dept_id, on_day, kind, note, next_step, next_on, created_by,"
                    " created_at) VALUES (?,?,?,?,?,?,?,?,?)", "iitttttii", en.id, j->actor->dept_id, j->on, j->kind,
             j->note, j->next_step, j->next_on, j->actor->id, j->now) < 0)
    return -1;
  char obj[64];
  snprintf(obj, sizeof obj, "entity:%s", en.uscc);
  json_t *d = json_pack("{s:s,s:s,s:s,s:s}", "on", j->on, "kind", j->kind, "next_step", j->next_step, "next_on",
                        j->next_on);
  int rc = audit_append(db, j->actor, "ladder.visit", obj, d, e);
  json_decref(d);
  return rc;
}

json_t *ladder_visit_add(Store *s, const User *actor, const char *uscc, const json_t *in, Err *e) {
  Db *db = store_reader(s);
  if (!who(db, actor).officer || !actor->dept_id) return forbidden(e), NULL;
  VisitJob j = {.actor = actor, .uscc = uscc, .now = now_ms()};
  JField f[] = {
      {"on", J_STR, true, j.on, sizeof j.on, 0, 0, NULL},
      {"kind", J_STR, true, j.kind, sizeof j.kind, 0, 0, NULL},
      {"note", J_STR, true, j.note, sizeof j.note, 1, 300, NULL},
      {"next_step", J_STR, false, j.next_step, sizeof j.next_step, 0, 60, NULL},
      {"next_on", J_STR, false, j.next_on, sizeof j.next_on, 0, 0, NULL},
  };
  if (jsonx_decode(in, f, (int)XQ_COUNT(f), false, e)) return NULL;
  bool known = false;
  for (size_t i = 0; i < XQ_COUNT(visit_kinds); i++) known = known || strcmp(j.kind, visit_kinds[i]) == 0;
  char today[11];
  int a, b, t;
  cal_parse_date(time_today_cn(today), &t);
  if (!known)
    return err_setf(e, E_INVALID, "ladder.bad_visit_kind", "kind",
                    "走访方式应为 visit（走访）、call（电话）、meeting（会谈）、online（线上）或 other（其他）：%s",
                    "The kind is visit, call, meeting, online or other: %s", j.kind),
           NULL;
  if (cal_parse_date(j.on, &a) || a > t)
    return err_setf(e, E_INVALID, "ladder.bad_date", "on", "日期无效或在今天之后：%s", "Not a date, or after today: %s",
                    j.on),
           NULL;
  if (!j.next_step[0] != !j.next_on[0])
    return err_set(e, E_INVALID, "ladder.next_step_incomplete", j.next_step[0] ? "next_on" : "next_step",
                   "下一步工作与计划日期应同时填写", "Give the next step and its date together"),
           NULL;
  if (j.next_on[0] && (cal_parse_date(j.next_on, &b) || b < a))
    return err_setf(e, E_INVALID, "ladder.bad_date", "next_on", "计划日期无效或早于本次走访：%s",
                    "Not a date, or before this visit: %s", j.next_on),
           NULL;
  if (store_write(s, visit_job, &j, e)) return NULL;
  return ladder_enterprise(s, actor, uscc, NULL, e);
}

/* ---- the 培育库 -------------------------------------------------------------- */

json_t *ladder_pool(Store *s, const User *actor, const char *rung, int page, int per_page, Err *e) {
  Db *db = store_reader(s);
  Who w = who(db, actor);
  /* The rungs shown: the one asked for, else the officer's own (all for
  ** those who oversee); none for an official of a department that keeps
  ** no rung. */
  unsigned mask = !w.reads ? 0 : w.rungs && !(actor->role & ROLE_ADMIN) ? w.rungs : 0x3f;
  if (rung && *rung) {
    int i = rung_index(rung);
    if (i < 0 || i == 6)
      return err_setf(e, E_INVALID, "ladder.bad_rung", "rung", "没有这一级：%s", "No such rung: %s", rung), NULL;
    if (w.reads) mask = 1u << i;
  }
  Buf in = {0};
  for (int i = 0; i < ladder_rung_count(); i++)
    if (mask & (1u << i)) buf_appendf(&in, "%s'%s'", in.n ? "," : "", ladder_rung_code(i));
  if (!in.n) buf_puts(&in, "''");
  char *where = xasprintf(" FROM ladder_standing s JOIN entity e ON e.id = s.entity_id WHERE s.rung IN (%s)"
                          " AND s.is_next = 1", buf_cstr(&in));
  buf_free(&in);
  char *sql = xasprintf("SELECT COUNT(*)%s", where);
  Stmt *st = db_prepare(db, sql, e);
  free(sql);
  int64_t total = -1;
  if (st) {
    if (stmt_step(st, e) == 1) total = stmt_int(st, 0);
    stmt_done(st);
  }
  json_t *out = NULL;
  if (total >= 0) {
    /* Ready to apply first, then the nearest: most criteria met, fewest unknown. */
    sql = xasprintf("SELECT e.uscc, e.name, s.rung, s.eligible, s.met, s.unknown, s.total, s.gaps, s.checked_on%s"
                    " ORDER BY CASE WHEN s.eligible = 1 THEN 0 ELSE 1 END, s.near DESC, s.unknown, e.uscc"
                    " LIMIT ? OFFSET ?", where);
    st = db_prepare(db, sql, e);
    free(sql);
    if (st) {
      stmt_bind_int(st, 1, per_page);
      stmt_bind_int(st, 2, (int64_t)(page - 1) * per_page);
      json_t *items = json_array();
      int rc;
      while ((rc = stmt_step(st, e)) == 1) {
        int64_t el = stmt_int(st, 3);
        const char *r = stmt_text(st, 2);
        json_array_append_new(items, json_pack("{s:s,s:s,s:s,s:s,s:o,s:I,s:I,s:I,s:o,s:s}", "uscc", stmt_text(st, 0),
                                               "name", stmt_text(st, 1), "rung", r, "rung_name", ladder_rung_name(r),
                                               "eligible", el == 1 ? json_true() : el == 0 ? json_false() : json_null(),
                                               "met", (json_int_t)stmt_int(st, 4), "unknown",
                                               (json_int_t)stmt_int(st, 5), "total", (json_int_t)stmt_int(st, 6),
                                               "gaps", json_loads(stmt_text(st, 7), 0, NULL), "checked_on",
                                               stmt_text(st, 8)));
      }
      stmt_done(st);
      if (rc == 0)
        out = json_pack("{s:o,s:I,s:i,s:i}", "items", items, "total", (json_int_t)total, "page", page, "per_page",
                        per_page);
      else json_decref(items);
    }
  }
  free(where);
  return out;
}

/* ---- the ladder's figures by year ------------------------------------------ */

/* Rungs' order for moves up the ladder: a grant of a higher rung to an
** enterprise that held a lower one is a move from the highest it held. */
static int rung_order(const char *r) {
  static const struct {
    const char *code;
    int order;
  } O[] = {{"kjxzx", 1}, {"cxx", 1}, {"gaoqi", 2}, {"zjtx", 2}, {"xjr", 3}, {"dxgj", 4}};
  for (size_t i = 0; i < XQ_COUNT(O); i++)
    if (strcmp(O[i].code, r) == 0) return O[i].order;
  return 0;
}

/* Figures of one year, per title code (rung_index()): held at the year's
** end (one count per enterprise), granted in the year, of them first
** grants, lapsed and revoked in it. */
typedef struct Figures {
  int64_t held[7], granted[7], first[7], lapsed[7], revoked[7];
} Figures;

/* A title as the figures read it; dates are YYYY-MM-DD, revoked "" when not. */
typedef struct TitleFacts {
  int64_t entity;
  int rung;
  char granted[11], until[11], revoked[11];
} TitleFacts;

/* year_of() is the year of day d (YYYY-MM-DD) when it falls in y0..y1, else
** 0 (also for "", a title not revoked). */
static int year_of(const char *d, int y0, int y1) {
  int day;
  if (cal_parse_date(d, &day)) return 0;
  int y = cal_year(day);
  return y >= y0 && y <= y1 ? y : 0;
}

/* group_figures() adds to fg[0..y1-y0] the titles a[0..n) of one enterprise
** and one rung, ordered by the day granted: a first grant has none granted
** before it; a title lapses in the year its validity ends unless revoked,
** or unless a title of the rung not revoked was granted after it; the rung
** is held at a year's end when one title was granted by then, is valid
** then and not revoked by then. */
static void group_figures(const TitleFacts *a, int n, int y0, int y1, Figures *fg) {
  int r = a[0].rung;
  const char *last_live = ""; /* the latest day a title not revoked was granted */
  for (int i = 0; i < n; i++)
    if (!a[i].revoked[0] && strcmp(a[i].granted, last_live) > 0) last_live = a[i].granted;
  for (int i = 0; i < n; i++) {
    int y = year_of(a[i].granted, y0, y1);
    if (y) {
      fg[y - y0].granted[r]++;
      if (strcmp(a[i].granted, a[0].granted) == 0) fg[y - y0].first[r]++;
    }
    if ((y = year_of(a[i].until, y0, y1)) && !a[i].revoked[0] && strcmp(last_live, a[i].granted) <= 0)
      fg[y - y0].lapsed[r]++;
    if ((y = year_of(a[i].revoked, y0, y1))) fg[y - y0].revoked[r]++;
  }
  for (int y = y0; y <= y1; y++) {
    char end[16];
    snprintf(end, sizeof end, "%04d-12-31", y);
    for (int i = 0; i < n; i++) {
      if (strcmp(a[i].granted, end) <= 0 && strcmp(a[i].until, end) >= 0 &&
          (!a[i].revoked[0] || strcmp(a[i].revoked, end) > 0)) {
        fg[y - y0].held[r]++;
        break;
      }
    }
  }
}

/* year_figures() fills fg[0..y1-y0] with the figures of the years y0..y1,
** from one read of every title (the five counts of each year were five
** queries, two of them correlated, and a leader's page asked them for
** every year since 2017). 0, or -1 with *e. */
static int year_figures(Db *db, int y0, int y1, Figures *fg, Err *e) {
  memset(fg, 0, sizeof *fg * (size_t)(y1 - y0 + 1));
  Stmt *st = db_prepare(db, "SELECT entity_id, rung, granted_on, valid_until, revoked_on FROM ladder_title"
                            " ORDER BY entity_id, rung, granted_on", e);
  if (!st) return -1;
  TitleFacts *a = NULL;
  int n = 0, cap = 0, rc;
  while ((rc = stmt_step(st, e)) == 1) {
    int r = rung_index(stmt_text(st, 1));
    if (r < 0) continue;
    TitleFacts t = {.entity = stmt_int(st, 0), .rung = r};
    snprintf(t.granted, sizeof t.granted, "%s", stmt_text(st, 2));
    snprintf(t.until, sizeof t.until, "%s", stmt_text(st, 3));
    snprintf(t.revoked, sizeof t.revoked, "%s", stmt_text(st, 4));
    if (n && (a[0].entity != t.entity || a[0].rung != t.rung)) { /* a[0..n) is one whole group */
      group_figures(a, n, y0, y1, fg);
      n = 0;
    }
    if (n == cap) a = xrealloc(a, sizeof *a * (size_t)(cap = cap ? cap * 2 : 16));
    a[n++] = t;
  }
  stmt_done(st);
  if (rc == 0 && n) group_figures(a, n, y0, y1, fg);
  free(a);
  return rc < 0 ? -1 : 0;
}

/* moves() is [{from, to, count}] of year y. */
static json_t *moves(Db *db, int y, Err *e) {
  char from[24], to[24];
  snprintf(from, sizeof from, "%04d-01-01", y);
  snprintf(to, sizeof to, "%04d-12-31", y);
  Stmt *st = db_prepare(db, "SELECT g.id, g.rung, h.rung FROM ladder_title g JOIN ladder_title h"
                            " ON h.entity_id = g.entity_id AND h.rung <> g.rung AND h.rung <> 'rdi'"
                            " AND h.granted_on < g.granted_on AND h.valid_until >= g.granted_on"
                            " AND (h.revoked_on = '' OR h.revoked_on > g.granted_on)"
                            " WHERE g.granted_on BETWEEN ? AND ? AND g.rung <> 'rdi' ORDER BY g.id", e);
  if (!st) return NULL;
  stmt_bind_text(st, 1, from);
  stmt_bind_text(st, 2, to);
  int64_t count[7][7] = {{0}}, grant = 0;
  int best = -1, to_i = -1, rc;
  while ((rc = stmt_step(st, e)) == 1) {
    if (stmt_int(st, 0) != grant) {
      if (best >= 0) count[best][to_i]++;
      grant = stmt_int(st, 0), best = -1, to_i = rung_index(stmt_text(st, 1));
    }
    const char *h = stmt_text(st, 2);
    int o = rung_order(h), i = rung_index(h);
    if (o < rung_order(stmt_text(st, 1)) && (best < 0 || o > rung_order(ladder_rung_code(best)))) best = i;
  }
  if (best >= 0) count[best][to_i]++;
  stmt_done(st);
  if (rc < 0) return NULL;
  json_t *out = json_array();
  for (int a = 0; a < 6; a++)
    for (int b = 0; b < 6; b++)
      if (count[a][b])
        json_array_append_new(out, json_pack("{s:s,s:s,s:s,s:s,s:I}", "from", ladder_rung_code(a), "from_name",
                                             ladder_rung_name(ladder_rung_code(a)), "to", ladder_rung_code(b), "to_name",
                                             ladder_rung_name(ladder_rung_code(b)), "count", (json_int_t)count[a][b]));
  return out;
}

#define STATS_FIRST_YEAR 2017

json_t *ladder_stats(Store *s, const User *actor, int year, Err *e) {
  (void)actor; /* figures, not records: every official the route admits reads them */
  Db *db = store_reader(s);
  char today[11];
  int day;
  cal_parse_date(time_today_cn(today), &day);
  if (year < 2000 || year > cal_year(day))
    return err_set(e, E_INVALID, "ladder.bad_year", "year", "年度应在 2000 年至今年之间",
                   "The year is 2000 to this year"),
           NULL;
  int y0 = year < STATS_FIRST_YEAR ? year : STATS_FIRST_YEAR;
  Figures *all = xmalloc(sizeof *all * (size_t)(year - y0 + 1));
  if (year_figures(db, y0, year, all, e)) {
    free(all);
    return NULL;
  }
  const Figures *fg = &all[year - y0];
  json_t *rungs = json_array(), *series = json_array();
  for (int i = 0; i < 6; i++) {
    const char *c = ladder_rung_code(i);
    json_array_append_new(rungs, json_pack("{s:s,s:s,s:I,s:I,s:I,s:I,s:I,s:I}", "rung", c, "name", ladder_rung_name(c),
                                           "held", (json_int_t)fg->held[i], "granted", (json_int_t)fg->granted[i], "first",
                                           (json_int_t)fg->first[i], "renewed", (json_int_t)(fg->granted[i] - fg->first[i]),
                                           "lapsed", (json_int_t)fg->lapsed[i], "revoked", (json_int_t)fg->revoked[i]));
  }
  json_t *mv = moves(db, year, e);
  if (!mv) goto fail;
  int64_t rdi = fg->held[6], rdi_new = fg->granted[6];
  for (int y = y0; y <= year; y++) {
    const Figures *f2 = &all[y - y0];
    json_t *by = json_object();
    for (int i = 0; i < 6; i++)
      json_object_set_new(by, ladder_rung_code(i), json_pack("{s:I,s:I}", "held", (json_int_t)f2->held[i], "granted",
                                                             (json_int_t)f2->granted[i]));
    json_array_append_new(series, json_pack("{s:i,s:o,s:I}", "year", y, "rungs", by, "rd_institutions",
                                            (json_int_t)f2->held[6]));
  }
  free(all);
  return json_pack("{s:i,s:o,s:I,s:I,s:o,s:o}", "year", year, "rungs", rungs, "rd_institutions", (json_int_t)rdi,
                   "rd_institutions_new", (json_int_t)rdi_new, "moves", mv, "series", series);
fail:
  free(all);
  json_decref(rungs);
  json_decref(series);
  json_decref(mv);
  return NULL;
}

/* ---- rule versions an administrator adds ------------------------------------ */

json_t *ladder_rule_add(Store *s, const User *actor, const json_t *in, Err *e) {
  if (!(actor->role & ROLE_ADMIN))
    return err_set(e, E_FORBIDDEN, "auth.forbidden", NULL, "只有管理员可以发布认定标准的新版本",
                   "Only administrators publish a new version of a rung's criteria"),
           NULL;
  const char *src = json_string_value(json_object_get(in, "source"));
  if (!json_is_object(in) || json_object_size(in) != 1 || !src || strlen(src) > 64 * 1024)
    return err_set(e, E_INVALID, "request.missing_field", "source", "请提交规则文本 source（至多 64 KiB）",
                   "Give the rule's text as source (64 KiB at most)"),
           NULL;
  return ladder_publish(s, actor, src, e);
}

/* ---- the daily job: standings as of today, and expiry reminders ------------- */

/* Standings are refreshed in writes of this many enterprises. */
#define REFRESH_BATCH 200

typedef struct DailyJob {
  char today[11];
  int64_t ids[REFRESH_BATCH];
  char est[REFRESH_BATCH][11];
  int n;
  int64_t refreshed, alerted;
  const Cal *cal;
  int64_t now;
} DailyJob;

static int refresh_job(Db *db, void *arg, Err *e) {
  DailyJob *j = arg;
  for (int i = 0; i < j->n; i++)
    if (ladder_refresh(db, j->ids[i], j->est[i], j->today, e)) return -1;
  return 0;
}

/* alert_job() opens a 资质到期提醒 task for each title that comes within a
** reminder's days of its end, once per reminder (alerted keeps the nearest
** sent, and only the nearest due is sent), unless renewed or revoked. */
static int alert_job(Db *db, void *arg, Err *e) {
  DailyJob *j = arg;
  json_t *days = NULL;
  if (params_need(db, "ladder", "expiry_alerts", j->today, &days, e)) return -1;
  int today, rc = 0;
  cal_parse_date(j->today, &today);
  /* The nearest reminder first: a title already within 30 days when first
  ** seen gets the 30-day reminder only, not the 90-day one with it. */
  size_t nDay = json_array_size(days);
  int *aDay = xcalloc(nDay + 1, sizeof *aDay);
  for (size_t i = 0; i < nDay; i++) {
    int n = (int)json_integer_value(json_array_get(days, i)), k = (int)i;
    for (; k > 0 && aDay[k - 1] > n; k--) aDay[k] = aDay[k - 1];
    aDay[k] = n;
  }
  for (size_t i = 0; i < nDay; i++) {
    int n = aDay[i];
    if (n <= 0) continue;
    char until[11];
    cal_format(today + n, until);
    Stmt *st = db_prepare(db, "SELECT t.id, t.cert_no, t.rung, t.valid_until, t.dept_id, e.name FROM ladder_title t"
                              " JOIN entity e ON e.id = t.entity_id WHERE t.valid_until BETWEEN ? AND ?"
                              " AND t.revoked_on = '' AND (t.alerted = 0 OR t.alerted > ?)"
                              " AND NOT EXISTS (SELECT 1 FROM ladder_title r WHERE r.renews = t.id)", e);
    if (!st) {
      rc = -1;
      break;
    }
    stmt_bind_text(st, 1, j->today);
    stmt_bind_text(st, 2, until);
    stmt_bind_int(st, 3, n);
    json_t *rows = json_array();
    while ((rc = stmt_step(st, e)) == 1)
      json_array_append_new(rows, json_pack("{s:I,s:s,s:s,s:s,s:I,s:s}", "id", (json_int_t)stmt_int(st, 0), "cert",
                                            stmt_text(st, 1), "rung", stmt_text(st, 2), "until", stmt_text(st, 3),
                                            "dept", (json_int_t)stmt_int(st, 4), "name", stmt_text(st, 5)));
    stmt_done(st);
    size_t k;
    json_t *r;
    json_array_foreach(rows, k, r) {
      if (rc < 0) break;
      int u;
      cal_parse_date(json_string_value(json_object_get(r, "until")), &u);
      char *note = xasprintf("%s的%s（证书 %s）将于 %s 到期（还有 %d 天，%d 天提醒）",
                             json_string_value(json_object_get(r, "name")),
                             ladder_rung_name(json_string_value(json_object_get(r, "rung"))),
                             json_string_value(json_object_get(r, "cert")),
                             json_string_value(json_object_get(r, "until")), u - today, n);
      /* Due within the kind's period, but never after the title's last day. */
      TaskOpen o = {.kind = "title_expiry", .subject_kind = "title",
                    .subject_id = json_integer_value(json_object_get(r, "id")),
                    .subject = json_string_value(json_object_get(r, "cert")),
                    .dept_id = json_integer_value(json_object_get(r, "dept")),
                    .due_by = json_string_value(json_object_get(r, "until")), .note = note};
      rc = task_open(db, j->cal, j->now, &o, e);
      free(note);
      if (rc == 0 && db_run(db, e, "UPDATE ladder_title SET alerted = ? WHERE id = ?", "ii", (int64_t)n, o.subject_id) < 0)
        rc = -1;
      if (rc == 0) j->alerted++;
    }
    json_decref(rows);
    if (rc < 0) break;
  }
  free(aDay);
  json_decref(days);
  return rc < 0 ? -1 : 0;
}

int ladder_daily(Store *s, int64_t now, json_t **report, Err *e) {
  DailyJob j = {.now = now};
  time_today_cn(j.today);
  Db *db = store_reader(s);
  if (ladder_sync(db, e) || !(j.cal = sla_calendar(s, e))) return -1;
  /* Every enterprise whose standing is older than today, in batches. */
  for (;;) {
    Stmt *st = db_prepare(db, "SELECT DISTINCT s.entity_id, e.established FROM ladder_standing s JOIN entity e"
                              " ON e.id = s.entity_id WHERE s.checked_on < ? ORDER BY s.entity_id LIMIT ?", e);
    if (!st) return -1;
    stmt_bind_text(st, 1, j.today);
    stmt_bind_int(st, 2, REFRESH_BATCH);
    int rc;
    j.n = 0;
    while ((rc = stmt_step(st, e)) == 1) {
      j.ids[j.n] = stmt_int(st, 0);
      snprintf(j.est[j.n++], 11, "%s", stmt_text(st, 1));
    }
    stmt_done(st);
    if (rc < 0) return -1;
    if (!j.n) break;
    if (store_write(s, refresh_job, &j, e)) return -1;
    j.refreshed += j.n;
  }
  if (store_write(s, alert_job, &j, e)) return -1;
  *report = json_pack("{s:I,s:I}", "refreshed", (json_int_t)j.refreshed, "alerted", (json_int_t)j.alerted);
  return 0;
}

const ScheduleJob ladder_daily_job = {"ladder.daily", "企业梯度培育：刷新培育库与资质到期提醒", 3600 * 1000, ladder_daily};

/* Completing a 资质到期提醒 changes nothing on the title (its results have no effect). */
static int title_done(Db *db, const User *actor, const Task *t, int64_t now, Err *e) {
  (void)db, (void)actor, (void)t, (void)now, (void)e;
  return 0;
}

const TaskSubject ladder_task_subject = {"title", title_done};

/* ---- the facts ledger: import and export ------------------------------------ */

#define LADDER_IMPORT_MAX_ROWS 20000
#define FIXED_COLS 4 /* uscc, name, year, source */

static SheetCol facts_cols[FIXED_COLS + 64];
static SheetTable facts_sheet;

static void facts_build(void) {
  _Static_assert(XQ_COUNT(ladder_facts) <= 64, "room for the facts");
  SheetCol fixed[FIXED_COLS] = {
      {"uscc", "统一社会信用代码", SK_TEXT, SC_REQUIRED, NULL, 22},
      {"name", "企业名称", SK_TEXT, SC_EXPORT, NULL, 30},
      {"year", "年度", SK_INT, SC_REQUIRED, NULL, 8},
      {"source", "数据来源", SK_TEXT, 0, NULL, 16},
  };
  memcpy(facts_cols, fixed, sizeof fixed);
  for (int i = 0; i < nLadderFact; i++) {
    eLadderFactKind k = ladder_facts[i].kind;
    facts_cols[FIXED_COLS + i] = (SheetCol){ladder_facts[i].key, ladder_facts[i].label,
                                            k == LF_BOOL ? SK_BOOL : k == LF_INT || k == LF_RANK ? SK_INT : SK_NUMBER, 0,
                                            NULL, 14};
  }
  facts_sheet = (SheetTable){"企业年度数据", facts_cols, FIXED_COLS + nLadderFact, NULL, NULL};
}

/* The ledger's layout: the enterprise, the year, the source, then every
** fact of the dictionary (built once). */
static const SheetTable *facts_table(void) {
  static pthread_once_t once = PTHREAD_ONCE_INIT;
  pthread_once(&once, facts_build);
  return &facts_sheet;
}

typedef struct ImportRow {
  int64_t line;
  char uscc[20], source[244];
  int year;
  json_t *facts;
  Ent en;
} ImportRow;

typedef struct ImportJob {
  const User *actor;
  Db *db;         /* the reader rows are decoded through */
  ImportRow *aRow;
  int nRow, nAlloc;
  bool dry_run;
  int64_t now;
  char today[11];
} ImportJob;

static int import_job(Db *db, void *arg, Err *e) {
  ImportJob *j = arg;
  for (int i = 0; i < j->nRow; i++) {
    ImportRow *r = &j->aRow[i];
    if (ladder_facts_write(db, j->actor, &r->en, r->year, r->facts, r->source, j->now, j->today, e)) return -1;
  }
  /* Each enterprise's standing once, after its every row. */
  for (int i = 0; i < j->nRow; i++) {
    bool later = false;
    for (int k = i + 1; k < j->nRow && !later; k++) later = j->aRow[k].en.id == j->aRow[i].en.id;
    if (!later && ladder_refresh(db, j->aRow[i].en.id, j->aRow[i].en.established, j->today, e)) return -1;
  }
  json_t *d = json_pack("{s:i}", "rows", j->nRow);
  int rc = audit_append(db, j->actor, "ladder.import", "ladder_facts", d, e);
  json_decref(d);
  if (rc == 0 && j->dry_run)
    return err_set(e, E_INVALID, "import.dry_run", NULL, "检查通过（仅检查，未导入）", "Checked only: nothing imported");
  return rc;
}

/* import_decode() turns one read row into r, or says why not in *why. */
static int import_decode(Db *db, const json_t *row, ImportRow *r, Err *why) {
  const char *uscc = json_string_value(json_object_get(row, "uscc")),
             *src = json_string_value(json_object_get(row, "source"));
  json_t *y = json_object_get(row, "year");
  snprintf(r->uscc, sizeof r->uscc, "%s", uscc ? uscc : "");
  snprintf(r->source, sizeof r->source, "%s", src && *src ? src : "台账导入");
  if (!json_is_integer(y))
    return err_set(why, E_INVALID, "request.missing_field", "year", "请填写年度", "Give the year");
  r->year = (int)json_integer_value(y);
  if (ent_load(db, r->uscc, &r->en, why) != 1) return -1;
  json_t *facts = json_object();
  const char *k;
  json_t *v;
  json_object_foreach((json_t *)row, k, v) {
    if (!ladder_fact_find(k)) continue;
    if (json_is_string(v)) { /* SK_NUMBER: "1,234.56" */
      char buf[64], *o = buf, *end;
      for (const char *p = json_string_value(v); *p && o < buf + sizeof buf - 1; p++)
        if (*p != ',') *o++ = *p;
      *o = 0;
      double x = strtod(buf, &end);
      if (*end || end == buf) {
        json_decref(facts);
        return err_setf(why, E_INVALID, "ladder.bad_fact", k, "「%s」应为数字", "%s must be a number",
                        ladder_fact_find(k)->label);
      }
      json_object_set_new(facts, k, json_real(x));
    } else {
      json_object_set(facts, k, v);
    }
  }
  int rc = json_object_size(facts) ? ladder_facts_decode(facts, r->year, &r->facts, why)
                                   : err_set(why, E_INVALID, "ladder.bad_facts", NULL, "该行没有企业数据",
                                             "The row has no figures");
  json_decref(facts);
  return rc;
}

/* import_row() is import_decode() for sheet_import(): row i into j's
** rows, after checking once that the actor keeps the ladder's figures. */
static int import_row(void *ctx, int i, const json_t *row, int64_t line, Err *why) {
  ImportJob *j = ctx;
  if (i == 0 && !who(j->db, j->actor).officer) return forbidden(why);
  if (i >= j->nAlloc) {
    j->nAlloc = i < 64 ? 64 : 2 * i;
    j->aRow = xrealloc(j->aRow, (size_t)j->nAlloc * sizeof *j->aRow);
  }
  ImportRow *r = &j->aRow[i];
  memset(r, 0, sizeof *r);
  r->line = line;
  j->nRow = i + 1;
  return import_decode(j->db, row, r, why);
}

json_t *ladder_facts_import(Store *s, const User *actor, const void *data, size_t n, bool dry_run, Err *e) {
  ImportJob j = {.actor = actor, .dry_run = dry_run, .now = now_ms(), .db = store_reader(s)};
  time_today_cn(j.today);
  json_t *out = NULL;
  int64_t rows = sheet_import(facts_table(), data, n, LADDER_IMPORT_MAX_ROWS, import_row, &j, e);
  if (rows == 0 && !who(j.db, actor).officer) rows = forbidden(e); /* no row to ask it on */
  if (rows >= 0) {
    ErrList *all = e->all;
    int rc = store_write(s, import_job, &j, e);
    e->all = all;
    if (rc == 0 || strcmp(e->code, "import.dry_run") == 0)
      out = json_pack("{s:i,s:i,s:b}", "rows", j.nRow, "imported", dry_run ? 0 : j.nRow, "dry_run", dry_run);
  }
  for (int i = 0; i < j.nRow; i++) json_decref(j.aRow[i].facts);
  free(j.aRow);
  return out;
}

/* number_text() writes a JSON number as an export cell's text. */
static const char *cell(const json_t *v, char *buf, size_t cap) {
  if (json_is_true(v)) return "是";
  if (json_is_false(v)) return "否";
  if (json_is_integer(v)) snprintf(buf, cap, "%lld", (long long)json_integer_value(v));
  else if (json_is_number(v)) snprintf(buf, cap, "%.2f", json_number_value(v));
  else return "";
  return buf;
}

int ladder_facts_export(Store *s, const User *actor, int year, bool xlsx, Buf *out, Err *e) {
  Db *db = store_reader(s);
  const SheetTable *t = facts_table();
  /* An official of a department that keeps no rung gets the columns only. */
  Stmt *st = db_prepare(db, who(db, actor).reads
                                ? "SELECT e.uscc, e.name, f.year, f.facts, f.sources FROM ladder_fact f"
                                  " JOIN entity e ON e.id = f.entity_id WHERE f.year = ? ORDER BY e.uscc"
                                : "SELECT '', '', 0, '', '' FROM ladder_fact WHERE year = ? AND 1 = 0", e);
  if (!st) return -1;
  stmt_bind_int(st, 1, year);
  SheetOut *o = sheet_out_new(xlsx, e);
  if (!o) {
    stmt_done(st);
    return -1;
  }
  char title[64];
  snprintf(title, sizeof title, "企业年度数据（%d 年度）", year);
  sheet_out_begin(o, t, title);
  static char bufs[FIXED_COLS + 64][48];
  const char *v[FIXED_COLS + 64];
  int rc;
  while ((rc = stmt_step(st, e)) == 1) {
    json_t *f = json_loads(stmt_text(st, 3), 0, NULL), *src = json_loads(stmt_text(st, 4), 0, NULL);
    /* The year's source: the one most of its figures came from. */
    const char *first = NULL, *k;
    json_t *x;
    json_object_foreach(src, k, x) if (!first) first = json_string_value(x);
    snprintf(bufs[2], sizeof bufs[2], "%d", year);
    v[0] = stmt_text(st, 0), v[1] = stmt_text(st, 1), v[2] = bufs[2], v[3] = first ? first : "";
    for (int i = 0; i < nLadderFact; i++)
      v[FIXED_COLS + i] = cell(json_object_get(f, ladder_facts[i].key), bufs[FIXED_COLS + i], sizeof bufs[0]);
    sheet_out_row(o, v);
    json_decref(f);
    json_decref(src);
  }
  stmt_done(st);
  if (rc < 0) {
    Buf trash = {0};
    sheet_out_end(o, &trash, NULL);
    buf_free(&trash);
    return -1;
  }
  return sheet_out_end(o, out, e) < 0 ? -1 : 0;
}

int ladder_stats_export(Store *s, const User *actor, int year, bool xlsx, Buf *out, Err *e) {
  json_t *st = ladder_stats(s, actor, year, e);
  if (!st) return -1;
  static const SheetCol cols[] = {
      {"name", "资质", SK_TEXT, 0, NULL, 24},      {"held", "年末持有", SK_INT, 0, NULL, 10},
      {"granted", "当年认定", SK_INT, 0, NULL, 10}, {"first", "其中首次认定", SK_INT, 0, NULL, 12},
      {"renewed", "其中重新认定", SK_INT, 0, NULL, 12}, {"lapsed", "到期未续", SK_INT, 0, NULL, 10},
      {"revoked", "撤销", SK_INT, 0, NULL, 8},
  };
  static const SheetTable t = {"梯度培育统计", cols, (int)XQ_COUNT(cols), NULL, NULL};
  SheetOut *o = sheet_out_new(xlsx, e);
  if (!o) {
    json_decref(st);
    return -1;
  }
  char title[64];
  snprintf(title, sizeof title, "企业梯度培育统计（%d 年）", year);
  sheet_out_begin(o, &t, title);
  char b[7][24];
  size_t i;
  json_t *r;
  json_array_foreach(json_object_get(st, "rungs"), i, r) {
    const char *v[7] = {json_string_value(json_object_get(r, "name"))};
    for (int k = 1; k < 7; k++) {
      snprintf(b[k], sizeof b[k], "%lld", (long long)json_integer_value(json_object_get(r, cols[k].key)));
      v[k] = b[k];
    }
    sheet_out_row(o, v);
  }
  snprintf(b[1], sizeof b[1], "%lld", (long long)json_integer_value(json_object_get(st, "rd_institutions")));
  snprintf(b[2], sizeof b[2], "%lld", (long long)json_integer_value(json_object_get(st, "rd_institutions_new")));
  const char *v[7] = {"研发机构", b[1], b[2], "", "", "", ""};
  sheet_out_row(o, v);
  json_decref(st);
  return sheet_out_end(o, out, e) < 0 ? -1 : 0;
}
