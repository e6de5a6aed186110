/*
** indicator.c — 指标 (see indicator.h): periods, what is derived from values
** (当月, 同比, share of the city), the status rule, the catalogue and its
** values in versions, targets, the year's report, import and export.
*/
#include "indicator.h"
#include "audit.h"
#include "params.h"
#include "../base/cal.h"
#include "../base/sheet.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- periods ------------------------------------------------------------------ */

eFreq indicator_freq_parse(const char *s) {
  if (!s) return 0;
  if (strcmp(s, "month") == 0 || strcmp(s, "月") == 0 || strcmp(s, "月度") == 0) return FREQ_MONTH;
  if (strcmp(s, "quarter") == 0 || strcmp(s, "季") == 0 || strcmp(s, "季度") == 0) return FREQ_QUARTER;
  if (strcmp(s, "year") == 0 || strcmp(s, "年") == 0 || strcmp(s, "年度") == 0) return FREQ_YEAR;
  return 0;
}

const char *indicator_freq_name(eFreq f) {
  return f == FREQ_MONTH ? "month" : f == FREQ_QUARTER ? "quarter" : "year";
}

static const char *freq_label(eFreq f) { return f == FREQ_MONTH ? "月" : f == FREQ_QUARTER ? "季" : "年"; }

/* digits() reads 1..max decimal digits at *p into *v, advancing *p. */
static bool digits(const char **p, int max, int *v) {
  int n = 0, x = 0;
  while (**p >= '0' && **p <= '9' && n < max) x = x * 10 + (*(*p)++ - '0'), n++;
  if (n == 0 || (**p >= '0' && **p <= '9')) return false;
  *v = x;
  return true;
}

int indicator_period_parse(const char *s, eFreq f, int *year, int *seq) {
  const char *p = s ? s : "";
  int y, k = 0;
  while (*p == ' ') p++;
  if (!digits(&p, 4, &y) || y < 1900 || y > 2999) return -1;
  if (f == FREQ_YEAR) {
    if (strncmp(p, "年", 3) == 0) p += 3;
  } else if (f == FREQ_MONTH) {
    if (*p == '-' || *p == '/' || *p == '.') p++;
    else if (strncmp(p, "年", 3) == 0) p += 3;
    else return -1;
    if (!digits(&p, 2, &k) || k < 1 || k > 12) return -1;
    if (strncmp(p, "月", 3) == 0) p += 3;
  } else {
    if (*p == '-') p++;
    if (*p == 'Q' || *p == 'q') p++;
    else if (strncmp(p, "年", 3) == 0) {
      p += 3;
      if (strncmp(p, "第", 3) == 0) p += 3;
    } else
      return -1;
    if (!digits(&p, 1, &k) || k < 1 || k > 4) return -1;
    if (strncmp(p, "季度", 6) == 0) p += 6;
    else if (strncmp(p, "季", 3) == 0) p += 3;
  }
  while (*p == ' ') p++;
  if (*p) return -1;
  *year = y, *seq = k;
  return 0;
}

char *indicator_period_text(char *out, eFreq f, int year, int seq) {
  if (f == FREQ_MONTH) snprintf(out, 16, "%04d-%02d", year, seq);
  else if (f == FREQ_QUARTER) snprintf(out, 16, "%04d-Q%d", year, seq);
  else snprintf(out, 16, "%04d", year);
  return out;
}

/* period_label() writes how a report names the year so far up to period
** seq: "1—9月", "1—3季度", "全年". */
static char *period_label(char *out, size_t cap, eFreq f, int seq, bool cumulative) {
  if (f == FREQ_YEAR) snprintf(out, cap, "全年");
  else if (!cumulative) snprintf(out, cap, f == FREQ_MONTH ? "%d月" : "%d季度", seq);
  else if (seq == 1) snprintf(out, cap, f == FREQ_MONTH ? "1月" : "1季度");
  else snprintf(out, cap, f == FREQ_MONTH ? "1—%d月" : "1—%d季度", seq);
  return out;
}

/* period_days() writes the first and last day of period seq of year. */
static void period_days(eFreq f, int year, int seq, char from[11], char to[11]) {
  int m0 = f == FREQ_MONTH ? seq : f == FREQ_QUARTER ? 3 * seq - 2 : 1;
  int m1 = f == FREQ_MONTH ? seq : f == FREQ_QUARTER ? 3 * seq : 12;
  int a, b;
  cal_from_ymd(year, m0, 1, &a);
  if (m1 == 12) cal_from_ymd(year + 1, 1, 1, &b);
  else cal_from_ymd(year, m1 + 1, 1, &b);
  cal_format(a, from);
  cal_format(b - 1, to);
}

/* ---- what is derived ------------------------------------------------------------ */

void indicator_derive(const DecOpt *cum, int n, DecOpt *out) {
  for (int i = 0; i < n; i++) {
    out[i].known = false;
    out[i].v = 0;
    if (!cum[i].known) continue;
    if (i == 0) {
      out[i] = cum[i];
    } else if (cum[i - 1].known && dec_sub(cum[i].v, cum[i - 1].v, &out[i].v) == 0) {
      out[i].known = true;
    }
  }
}

DecOpt indicator_growth(DecOpt cur, DecOpt prev) {
  DecOpt g = {false, 0};
  Dec diff;
  /* From a negative base the change is measured against its size. */
  if (cur.known && prev.known && prev.v != 0 && dec_sub(cur.v, prev.v, &diff) == 0 &&
      dec_ratio_pct(diff, prev.v < 0 ? -prev.v : prev.v, false, 1, &g.v) == 0)
    g.known = true;
  return g;
}

DecOpt indicator_share(DecOpt part, DecOpt whole) {
  DecOpt s = {false, 0};
  if (part.known && whole.known && whole.v != 0 && dec_ratio_pct(part.v, whole.v, false, 1, &s.v) == 0) s.known = true;
  return s;
}

/* ---- the status rule --------------------------------------------------------------- */

const char *indicator_status_name(eStatus s) {
  static const char *const n[] = {"unknown", "green", "amber", "red", "none"};
  return n[s];
}

const char *indicator_status_label(eStatus s) {
  static const char *const n[] = {"未知", "绿", "黄", "红", "不评价"};
  return n[s];
}

/* fx() is v with one decimal, in a static ring of buffers (for messages). */
static const char *fx(Dec v) {
  static _Thread_local char ring[8][40];
  static _Thread_local int k;
  char *o = ring[k++ & 7];
  Buf b = {0};
  dec_fixed(&b, v, 1);
  snprintf(o, 40, "%s", buf_cstr(&b));
  buf_free(&b);
  return o;
}

/* band3() decides a floor's status: green at or above goal, amber within
** band below it, red further below. */
static eStatus band3(Dec actual, Dec goal, Dec band) {
  if (actual >= goal) return ST_GREEN;
  Dec low;
  if (dec_sub(goal, band, &low) == 0 && actual >= low) return ST_AMBER;
  return ST_RED;
}

eStatus indicator_status(const StatusIn *in, StatusOut *out) {
  const char *gb = fx(in->growth_band), *tb = fx(in->time_band);
  out->status = ST_UNKNOWN;
  switch (in->kind) {
  case TK_TEXT:
    out->status = ST_NONE;
    snprintf(out->rule, sizeof out->rule, "定性目标：不作自动评价，由领导对照文字目标判断");
    snprintf(out->rule_en, sizeof out->rule_en, "A qualitative target: not judged automatically");
    return out->status;
  case TK_GROWTH:
    if (!in->growth.known) {
      snprintf(out->rule, sizeof out->rule, "增速目标 %s%%：本年尚无可比的增速（上年同期数缺失），状态未知",
               fx(in->target));
      snprintf(out->rule_en, sizeof out->rule_en,
               "Growth target %s%%: no growth yet (last year's value of the period is missing), status unknown",
               fx(in->target));
      return out->status;
    }
    if (!in->at_most) {
      out->status = band3(in->growth.v, in->target, in->growth_band);
      snprintf(out->rule, sizeof out->rule,
               "增速目标：增速 %s%% 对目标 %s%%；不低于目标为绿，低于目标不超过 %s 个百分点为黄，再低为红",
               fx(in->growth.v), fx(in->target), gb);
      snprintf(out->rule_en, sizeof out->rule_en,
               "Growth target: growth %s%% against the target %s%%; green at or above it, amber up to %s points "
               "below, red further below",
               fx(in->growth.v), fx(in->target), gb);
    } else {
      out->status = band3(-in->growth.v, -in->target, in->growth_band);
      snprintf(out->rule, sizeof out->rule,
               "增速上限：增速 %s%% 对上限 %s%%；不高于上限为绿，高出不超过 %s 个百分点为黄，再高为红",
               fx(in->growth.v), fx(in->target), gb);
      snprintf(out->rule_en, sizeof out->rule_en,
               "Growth ceiling: growth %s%% against %s%%; green at or below it, amber up to %s points above, red "
               "further above",
               fx(in->growth.v), fx(in->target), gb);
    }
    return out->status;
  case TK_IN_STEP:
    if (!in->growth.known || !in->ref_growth.known) {
      snprintf(out->rule, sizeof out->rule, "同步目标：本指标或对照指标的增速未知，状态未知");
      snprintf(out->rule_en, sizeof out->rule_en, "In-step target: a growth is unknown, status unknown");
      return out->status;
    }
    out->status = band3(in->growth.v, in->ref_growth.v, in->growth_band);
    snprintf(out->rule, sizeof out->rule,
             "同步目标：增速 %s%% 对对照指标增速 %s%%；不低于为绿，低不超过 %s 个百分点为黄，再低为红",
             fx(in->growth.v), fx(in->ref_growth.v), gb);
    snprintf(out->rule_en, sizeof out->rule_en,
             "In-step target: growth %s%% against the other indicator's %s%%; green at or above it, amber up to %s "
             "points below, red further below",
             fx(in->growth.v), fx(in->ref_growth.v), gb);
    return out->status;
  case TK_LEVEL:
    if (in->cumulative && !in->at_most) {
      if (!in->progress.known) {
        snprintf(out->rule, sizeof out->rule, "总量目标：本年尚无数值，状态未知");
        snprintf(out->rule_en, sizeof out->rule_en, "Level target: no value this year yet, status unknown");
        return out->status;
      }
      out->status = band3(in->progress.v, in->time, in->time_band);
      snprintf(out->rule, sizeof out->rule,
               "总量目标（时间过半、任务过半）：任务进度 %s%% 对时间进度 %s%%；不慢于时间为绿，落后不超过 %s 个百分点为黄，"
               "再落后为红",
               fx(in->progress.v), fx(in->time), tb);
      snprintf(out->rule_en, sizeof out->rule_en,
               "Level target (half the year, half the task): progress %s%% against time %s%%; green when not behind, "
               "amber up to %s points behind, red further behind",
               fx(in->progress.v), fx(in->time), tb);
      return out->status;
    }
    if (!in->value.known) {
      snprintf(out->rule, sizeof out->rule, "水平目标：本年尚无数值，状态未知");
      snprintf(out->rule_en, sizeof out->rule_en, "Level target: no value this year yet, status unknown");
      return out->status;
    }
    out->status = (in->at_most ? in->value.v <= in->target : in->value.v >= in->target) ? ST_GREEN : ST_RED;
    snprintf(out->rule, sizeof out->rule, "水平目标：最新值 %s 对目标 %s %s；达到为绿，未达到为红", fx(in->value.v),
             in->at_most ? "≤" : "≥", fx(in->target));
    snprintf(out->rule_en, sizeof out->rule_en, "Level target: latest value %s against %s %s; green when met, red when not",
             fx(in->value.v), in->at_most ? "≤" : "≥", fx(in->target));
    return out->status;
  }
  return out->status;
}

/* ---- feeds ------------------------------------------------------------------------ */

static const IndicatorFeed *aFeed[32];
static int nFeed;

void indicator_feed_add(const IndicatorFeed *f) {
  for (int i = 0; i < nFeed; i++)
    if (aFeed[i] == f || strcmp(aFeed[i]->code, f->code) == 0) panic("indicator_feed_add: %s twice", f->code);
  if (nFeed == (int)XQ_COUNT(aFeed)) panic("indicator_feed_add: too many");
  aFeed[nFeed++] = f;
}

const IndicatorFeed *indicator_feed_find(const char *code) {
  for (int i = 0; code && i < nFeed; i++)
    if (strcmp(aFeed[i]->code, code) == 0) return aFeed[i];
  return NULL;
}

const IndicatorFeed *indicator_feed_at(int i) { return i >= 0 && i < nFeed ? aFeed[i] : NULL; }

/* ---- the catalogue ------------------------------------------------------------------ */

typedef struct Ind {
  int64_t id;
  char code[48], name[244], name_en[244], unit[48], feed[64], dept[40], dept_name[124], note[400];
  int decimals, seq;
  eFreq freq;
  bool cumulative, city, computed, demo;
  int64_t dept_id;
} Ind;

#define IND_COLS \
  "i.id, i.code, i.name, i.name_en, i.unit, i.decimals, i.frequency, i.cumulative, i.dept_id, d.code, d.name, i.city," \
  " i.source, i.feed, i.seq, i.note, i.demo"

static void ind_row(Stmt *st, Ind *x) {
  memset(x, 0, sizeof *x);
  x->id = stmt_int(st, 0);
  snprintf(x->code, sizeof x->code, "%s", stmt_text(st, 1));
  snprintf(x->name, sizeof x->name, "%s", stmt_text(st, 2));
  snprintf(x->name_en, sizeof x->name_en, "%s", stmt_text(st, 3));
  snprintf(x->unit, sizeof x->unit, "%s", stmt_text(st, 4));
  x->decimals = (int)stmt_int(st, 5);
  x->freq = indicator_freq_parse(stmt_text(st, 6));
  x->cumulative = stmt_int(st, 7) != 0;
  x->dept_id = stmt_int(st, 8);
  snprintf(x->dept, sizeof x->dept, "%s", stmt_text(st, 9));
  snprintf(x->dept_name, sizeof x->dept_name, "%s", stmt_text(st, 10));
  x->city = stmt_int(st, 11) != 0;
  x->computed = strcmp(stmt_text(st, 12), "computed") == 0;
  snprintf(x->feed, sizeof x->feed, "%s", stmt_text(st, 13));
  x->seq = (int)stmt_int(st, 14);
  snprintf(x->note, sizeof x->note, "%s", stmt_text(st, 15));
  x->demo = stmt_int(st, 16) != 0;
}

/* ind_load() reads the indicator of code (by_id: of id) into *x: 1, 0 when
** none, -1 with *e. */
static int ind_load(Db *db, const char *code, int64_t id, Ind *x, Err *e) {
  Stmt *st = db_prepare(db, code ? "SELECT " IND_COLS " FROM indicator i JOIN department d ON d.id = i.dept_id WHERE i.code = ?"
                                 : "SELECT " IND_COLS " FROM indicator i JOIN department d ON d.id = i.dept_id WHERE i.id = ?",
                        e);
  if (!st) return -1;
  if (code) stmt_bind_text(st, 1, code);
  else stmt_bind_int(st, 1, id);
  int rc = stmt_step(st, e);
  if (rc == 1) ind_row(st, x);
  stmt_done(st);
  return rc;
}

static int not_found(Err *e, const char *code) {
  return err_setf(e, E_NOTFOUND, "indicator.not_found", NULL, "没有这个指标：%s", "No such indicator: %s", code ? code : "");
}

/* ind_need() is ind_load() by code that refuses a missing one. */
static int ind_need(Db *db, const char *code, Ind *x, Err *e) {
  int rc = ind_load(db, code, 0, x, e);
  if (rc == 0) return not_found(e, code);
  return rc < 0 ? -1 : 0;
}

/* reader() refuses callers who may not read indicators (applicants). */
static int reader(const User *actor, Err *e) {
  if (!actor || (actor->role & (ROLE_OFFICIAL | ROLE_AUDITOR))) return 0;
  return err_set(e, E_FORBIDDEN, "auth.forbidden", NULL, "无权查看指标", "You may not read the indicators");
}

#define ENTERERS (ROLE_POLICY | ROLE_INVEST | ROLE_APPROVER)

/* may_enter() tells whether actor may enter x's values. */
static bool may_enter(const User *actor, const Ind *x) {
  if (x->computed) return false;
  if (!actor) return true; /* the system (demo, CLI) */
  if (actor->role & ROLE_ADMIN) return true;
  return (actor->role & ENTERERS) && actor->dept_id == x->dept_id;
}

/* may_target() tells whether actor may set targets: 1, 0, -1 with *e. */
static int may_target(Db *db, const User *actor, Err *e) {
  if (!actor || (actor->role & ROLE_ADMIN)) return 1;
  if (!(actor->role & ENTERERS) || !actor->dept_id) return 0;
  char day[11], dept[40] = "";
  Stmt *st = db_prepare(db, "SELECT code FROM department WHERE id = ?", e);
  if (!st) return -1;
  stmt_bind_int(st, 1, actor->dept_id);
  int rc = stmt_step(st, e);
  if (rc == 1) snprintf(dept, sizeof dept, "%s", stmt_text(st, 0));
  stmt_done(st);
  if (rc < 0) return -1;
  json_t *v = NULL;
  if ((rc = params_get(db, "indicator", "target_depts", time_today_cn(day), &v, e)) <= 0) return rc;
  size_t i;
  json_t *x;
  int ok = 0;
  json_array_foreach(v, i, x) if (json_is_string(x) && strcmp(json_string_value(x), dept) == 0) ok = 1;
  json_decref(v);
  return ok;
}

static json_t *ind_json(const Ind *x, const User *actor) {
  const IndicatorFeed *f = x->computed ? indicator_feed_find(x->feed) : NULL;
  return json_pack("{s:s,s:s,s:s,s:s,s:i,s:s,s:s,s:b,s:s,s:s,s:b,s:s,s:s*,s:s*,s:i,s:s,s:b,s:b}", "code", x->code, "name",
                   x->name, "name_en", x->name_en, "unit", x->unit, "decimals", x->decimals, "frequency",
                   indicator_freq_name(x->freq), "frequency_label", freq_label(x->freq), "cumulative", x->cumulative,
                   "department", x->dept, "department_name", x->dept_name, "city", x->city, "source",
                   x->computed ? "computed" : "entered", "feed", x->computed ? x->feed : NULL, "feed_name",
                   f ? f->name : NULL, "seq", x->seq, "note", x->note, "demo", x->demo, "may_enter",
                   may_enter(actor, x));
}

json_t *indicator_list(Store *s, const User *actor, Err *e) {
  if (reader(actor, e)) return NULL;
  Db *db = store_reader(s);
  Stmt *st = db_prepare(db, "SELECT " IND_COLS " FROM indicator i JOIN department d ON d.id = i.dept_id ORDER BY i.seq, i.code", e);
  if (!st) return NULL;
  json_t *out = json_array();
  int rc;
  Ind x;
  while ((rc = stmt_step(st, e)) == 1) {
    ind_row(st, &x);
    json_array_append_new(out, ind_json(&x, actor));
  }
  stmt_done(st);
  if (rc < 0) json_decref(out), out = NULL;
  return out;
}

/* ---- series: a year's values, the latest versions --------------------------------- */

typedef struct Point {
  DecOpt v;          /* the value (cumulative: the year so far) */
  DecOpt growth;     /* the official growth rate entered with it */
  char basis[64];    /* its basis (可比价) */
  int version, nVersion;
  char source[400], by[64];
  int64_t at;
  char link[400];    /* computed: the records behind it */
} Point;

typedef struct Series {
  int n;             /* periods in the year */
  bool rate;         /* the indicator's unit is % */
  Point p[12];       /* by period index: seq − 1 (0 for a yearly figure) */
} Series;

static int idx_of(eFreq f, int seq) { return f == FREQ_YEAR ? 0 : seq - 1; }
static int seq_of(eFreq f, int idx) { return f == FREQ_YEAR ? 0 : idx + 1; }

/* point_add() records the value row st holds from column c on (seq,
** version, value, growth, growth_basis, source, created_at, who) in s, a
** series of x; rows come oldest version first, so the last is the latest. */
static void point_add(Series *s, const Ind *x, Stmt *st, int c) {
  int i = idx_of(x->freq, (int)stmt_int(st, c));
  if (i < 0 || i >= s->n) return;
  Point *p = &s->p[i];
  p->nVersion++;
  p->version = (int)stmt_int(st, c + 1);
  p->v.known = true, p->v.v = stmt_int(st, c + 2);
  p->growth.known = !stmt_null(st, c + 3);
  p->growth.v = p->growth.known ? stmt_int(st, c + 3) : 0;
  snprintf(p->basis, sizeof p->basis, "%s", stmt_text(st, c + 4));
  snprintf(p->source, sizeof p->source, "%s", stmt_text(st, c + 5));
  p->at = stmt_int(st, c + 6);
  snprintf(p->by, sizeof p->by, "%s", *stmt_text(st, c + 7) ? stmt_text(st, c + 7) : "system");
}

#define VALUE_COLS "v.seq, v.version, v.value, v.growth, v.growth_basis, v.source, v.created_at, COALESCE(a.username, '')"

static void series_init(Series *s, const Ind *x) {
  memset(s, 0, sizeof *s);
  s->n = (int)x->freq;
  s->rate = strcmp(x->unit, "%") == 0;
}

/* series_read() reads x's values of year in scope ("area", "city") into
** *s: entered ones from the table, computed ones from the feed (periods
** that have begun by today only). 0, or -1 with *e. */
static int series_read(Db *db, const Ind *x, const char *scope, int year, Series *s, Err *e) {
  series_init(s, x);
  if (x->computed && strcmp(scope, "area") == 0) {
    const IndicatorFeed *f = indicator_feed_find(x->feed);
    if (!f) return 0; /* a feed this build does not know: no values */
    char today[11];
    time_today_cn(today);
    /* A cumulative figure that adds up is the sum of the periods' own: each
    ** record is read once, not once per period after it. */
    bool sum = x->cumulative && f->adds;
    Dec total = 0;
    for (int i = 0; i < s->n; i++) {
      char from[11], to[11], y0[11];
      period_days(x->freq, year, seq_of(x->freq, i), from, to);
      if (strcmp(from, today) > 0) break;
      snprintf(y0, sizeof y0, "%04d-01-01", year);
      Buf link = {0};
      Dec v;
      int rc = f->value(f, db, x->cumulative && !sum ? y0 : from, to, &v, &link, e);
      if (rc < 0) return buf_free(&link), -1;
      if (sum && rc == 1 && dec_add(total, v, &total)) rc = 0; /* out of range: no figure */
      if (rc == 1) {
        s->p[i].v.known = true, s->p[i].v.v = sum ? total : v;
        snprintf(s->p[i].source, sizeof s->p[i].source, "xinqu 计算：%s", f->name);
      }
      /* The records behind a sum are the year's so far: its link starts on 1 January. */
      const char *l = buf_cstr(&link), *at = sum ? strstr(l, from) : NULL;
      if (at) snprintf(s->p[i].link, sizeof s->p[i].link, "%.*s%s%s", (int)(at - l), l, y0, at + strlen(from));
      else snprintf(s->p[i].link, sizeof s->p[i].link, "%s", l);
      buf_free(&link);
    }
    return 0;
  }
  Stmt *st = db_prepare(db, "SELECT " VALUE_COLS " FROM indicator_value v LEFT JOIN account a ON a.id = v.created_by"
                            " WHERE v.indicator_id = ? AND v.scope = ? AND v.year = ? ORDER BY v.seq, v.version",
                        e);
  if (!st) return -1;
  stmt_bind_int(st, 1, x->id);
  stmt_bind_text(st, 2, scope);
  stmt_bind_int(st, 3, year);
  int rc;
  while ((rc = stmt_step(st, e)) == 1) point_add(s, x, st, 0);
  stmt_done(st);
  return rc < 0 ? -1 : 0;
}

/* ---- the book: every indicator's values of a year and the year before ------------ */

/* Book: the catalogue with the series of a year and the year before, the
** area's and the city's: the entered values read by one query, a computed
** indicator's from its feed when first asked for (book_series()). What the
** year's report, the targets and the leaders' board read. */
typedef struct BookId {
  int64_t id;
  int k;
} BookId;

typedef struct Book {
  Db *db;
  int year, n;
  Ind *aX;        /* catalogue order */
  Series *aS;     /* 4 per indicator, as SER_* */
  bool *aFed;     /* a computed indicator's series made */
  BookId *aId;    /* by id */
} Book;

enum { SER_CUR, SER_PREV, SER_CITY, SER_PCITY };

static int id_cmp(const void *a, const void *b) {
  int64_t x = ((const BookId *)a)->id, y = ((const BookId *)b)->id;
  return x < y ? -1 : x > y;
}

/* book_find() is the index in b of the indicator of id, or -1. */
static int book_find(const Book *b, int64_t id) {
  BookId key = {id, 0}, *hit = bsearch(&key, b->aId, (size_t)b->n, sizeof *b->aId, id_cmp);
  return hit ? hit->k : -1;
}

static void book_free(Book *b) {
  free(b->aX);
  free(b->aS);
  free(b->aFed);
  free(b->aId);
  memset(b, 0, sizeof *b);
}

/* book_load() reads the catalogue and the entered values of year and year
** − 1 into *b (free with book_free(), also after a failure). 0, or -1 with *e. */
static int book_load(Db *db, int year, Book *b, Err *e) {
  memset(b, 0, sizeof *b);
  b->db = db, b->year = year;
  Stmt *st = db_prepare(db, "SELECT " IND_COLS " FROM indicator i JOIN department d ON d.id = i.dept_id ORDER BY i.seq, i.code", e);
  if (!st) return -1;
  int rc, cap = 0;
  while ((rc = stmt_step(st, e)) == 1) {
    if (b->n == cap) b->aX = xrealloc(b->aX, (size_t)(cap = cap ? 2 * cap : 32) * sizeof *b->aX);
    ind_row(st, &b->aX[b->n++]);
  }
  stmt_done(st);
  if (rc < 0) return -1;
  b->aS = xmalloc((size_t)(4 * b->n + 1) * sizeof *b->aS);
  b->aFed = xcalloc((size_t)b->n + 1, sizeof *b->aFed);
  b->aId = xmalloc((size_t)(b->n + 1) * sizeof *b->aId);
  for (int k = 0; k < b->n; k++) {
    for (int j = 0; j < 4; j++) series_init(&b->aS[4 * k + j], &b->aX[k]);
    b->aId[k] = (BookId){b->aX[k].id, k};
  }
  qsort(b->aId, (size_t)b->n, sizeof *b->aId, id_cmp);
  /* In the index's order (migration 21): oldest version first within a period. */
  st = db_prepare(db, "SELECT v.indicator_id, v.scope, v.year, " VALUE_COLS " FROM indicator_value v"
                      " LEFT JOIN account a ON a.id = v.created_by WHERE v.year >= ? AND v.year <= ?"
                      " ORDER BY v.year, v.indicator_id, v.scope, v.seq, v.version", e);
  if (!st) return -1;
  stmt_bind_int(st, 1, year - 1);
  stmt_bind_int(st, 2, year);
  while ((rc = stmt_step(st, e)) == 1) {
    int k = book_find(b, stmt_int(st, 0));
    if (k < 0 || (b->aX[k].computed && strcmp(stmt_text(st, 1), "area") == 0)) continue;
    bool city = strcmp(stmt_text(st, 1), "city") == 0, cur = stmt_int(st, 2) == year;
    point_add(&b->aS[4 * k + (city ? (cur ? SER_CITY : SER_PCITY) : (cur ? SER_CUR : SER_PREV))], &b->aX[k], st, 3);
  }
  stmt_done(st);
  return rc < 0 ? -1 : 0;
}

/* book_series() is the four series of indicator k of b (SER_*), a computed
** one's made from its feed now; NULL with *e. */
static Series *book_series(Book *b, int k, Err *e) {
  Series *s = &b->aS[4 * k];
  const Ind *x = &b->aX[k];
  if (x->computed && !b->aFed[k]) {
    if (series_read(b->db, x, "area", b->year, &s[SER_CUR], e) ||
        series_read(b->db, x, "area", b->year - 1, &s[SER_PREV], e))
      return NULL;
    b->aFed[k] = true;
  }
  return s;
}

static json_t *dec_json(Dec v, int decimals) {
  Buf b = {0};
  dec_fixed(&b, v, decimals);
  json_t *o = json_string(buf_cstr(&b));
  buf_free(&b);
  return o;
}

static json_t *opt_json(DecOpt v, int decimals) { return v.known ? dec_json(v.v, decimals) : json_null(); }

/* Growth: the official rate entered with the value when there is one, else
** the one computed from the values. */
typedef struct Growth {
  DecOpt v;
  bool official;
  char basis[64];
} Growth;

static Growth growth_at(const Series *cur, const Series *prev, int i) {
  /* A rate (失业率, 按时办结率) changes by points; a growth of it in per cent
  ** says nothing a reader wants, so none is computed (an official one may
  ** still be entered). */
  bool unit_is_rate = cur->rate;
  Growth g = {{false, 0}, false, ""};
  if (cur->p[i].growth.known) {
    g.v = cur->p[i].growth;
    g.official = true;
    snprintf(g.basis, sizeof g.basis, "%s", cur->p[i].basis[0] ? cur->p[i].basis : "官方公布");
  } else if (!unit_is_rate) {
    g.v = indicator_growth(cur->p[i].v, prev->p[i].v);
    snprintf(g.basis, sizeof g.basis, "名义");
  }
  return g;
}

static json_t *growth_json(const Growth *g) {
  if (!g->v.known) return json_null();
  return json_pack("{s:o,s:s,s:s,s:s}", "value", dec_json(g->v.v, 1), "kind", g->official ? "official" : "computed",
                   "basis", g->basis, "basis_en",
                   g->official ? (strcmp(g->basis, "可比价") == 0 ? "at comparable prices" : "as published")
                               : "nominal, computed from the values");
}

/* latest() is the index of the last period of s with a value, or -1. */
static int latest(const Series *s) {
  for (int i = s->n - 1; i >= 0; i--)
    if (s->p[i].v.known) return i;
  return -1;
}

json_t *indicator_values(Store *s, const User *actor, const char *code, int year, Err *e) {
  if (reader(actor, e)) return NULL;
  Db *db = store_reader(s);
  Ind x;
  if (ind_need(db, code, &x, e)) return NULL;
  Series *cur = calloc(4, sizeof *cur), *prev = cur + 1, *city = cur + 2, *pcity = cur + 3;
  if (!cur) panic("out of memory");
  json_t *out = NULL;
  if (series_read(db, &x, "area", year, cur, e) || series_read(db, &x, "area", year - 1, prev, e) ||
      (x.city && (series_read(db, &x, "city", year, city, e) || series_read(db, &x, "city", year - 1, pcity, e))))
    goto done;
  DecOpt c0[12], c1[12], m0[12], m1[12];
  for (int i = 0; i < cur->n; i++) c0[i] = cur->p[i].v, c1[i] = prev->p[i].v;
  indicator_derive(c0, cur->n, m0);
  indicator_derive(c1, cur->n, m1);
  json_t *periods = json_array();
  for (int i = 0; i < cur->n; i++) {
    const Point *p = &cur->p[i];
    char pt[16];
    Growth g = growth_at(cur, prev, i);
    json_t *o = json_pack("{s:s,s:o,s:o,s:o,s:o}", "period", indicator_period_text(pt, x.freq, year, seq_of(x.freq, i)),
                          "value", opt_json(p->v, x.decimals), "growth", growth_json(&g), "previous",
                          opt_json(prev->p[i].v, x.decimals), "share", json_null());
    if (x.cumulative && x.freq != FREQ_YEAR) {
      json_object_set_new(o, "period_value", opt_json(m0[i], x.decimals));
      json_object_set_new(o, "period_growth", opt_json(indicator_growth(m0[i], m1[i]), 1));
    }
    if (x.city) {
      json_object_set_new(o, "city", opt_json(city->p[i].v, x.decimals));
      json_object_set_new(o, "share", opt_json(indicator_share(p->v, city->p[i].v), 1));
      json_object_set_new(o, "city_versions", json_integer(city->p[i].nVersion));
    }
    if (p->v.known || p->nVersion) {
      json_object_set_new(o, "source", json_string(p->source));
      if (!x.computed)
        json_object_set_new(o, "entered", json_pack("{s:i,s:i,s:s,s:I}", "version", p->version, "versions", p->nVersion,
                                                    "by", p->by, "at", (json_int_t)p->at));
    }
    if (p->link[0]) json_object_set_new(o, "link", json_string(p->link));
    json_array_append_new(periods, o);
  }
  out = json_pack("{s:o,s:i,s:o}", "indicator", ind_json(&x, actor), "year", year, "periods", periods);
done:
  free(cur);
  return out;
}

json_t *indicator_versions(Store *s, const User *actor, const char *code, const char *period, const char *scope,
                           Err *e) {
  if (reader(actor, e)) return NULL;
  Db *db = store_reader(s);
  Ind x;
  int year, seq;
  if (ind_need(db, code, &x, e)) return NULL;
  if (!scope || !*scope) scope = "area";
  if (strcmp(scope, "area") != 0 && strcmp(scope, "city") != 0)
    return err_setf(e, E_INVALID, "request.bad_param", "scope", "口径应为 area 或 city：%s", "scope must be area or city: %s",
                    scope),
           NULL;
  if (indicator_period_parse(period, x.freq, &year, &seq))
    return err_setf(e, E_INVALID, "indicator.bad_period", "period", "期别不符合该指标的频率：%s",
                    "Not a period of this indicator's frequency: %s", period ? period : ""),
           NULL;
  Stmt *st = db_prepare(db, "SELECT v.version, v.value, v.growth, v.growth_basis, v.source, v.note, v.created_at,"
                            " COALESCE(a.username, '') FROM indicator_value v LEFT JOIN account a ON a.id = v.created_by"
                            " WHERE v.indicator_id = ? AND v.scope = ? AND v.year = ? AND v.seq = ? ORDER BY v.version DESC",
                        e);
  if (!st) return NULL;
  stmt_bind_int(st, 1, x.id);
  stmt_bind_text(st, 2, scope);
  stmt_bind_int(st, 3, year);
  stmt_bind_int(st, 4, seq);
  json_t *out = json_array();
  int rc;
  while ((rc = stmt_step(st, e)) == 1) {
    DecOpt g = {!stmt_null(st, 2), stmt_int(st, 2)};
    json_array_append_new(out, json_pack("{s:i,s:o,s:o,s:s,s:s,s:s,s:I,s:s,s:b}", "version", (int)stmt_int(st, 0), "value",
                                         dec_json(stmt_int(st, 1), x.decimals), "growth", opt_json(g, 1), "growth_basis",
                                         stmt_text(st, 3), "source", stmt_text(st, 4), "note", stmt_text(st, 5), "at",
                                         (json_int_t)stmt_int(st, 6), "by",
                                         *stmt_text(st, 7) ? stmt_text(st, 7) : "system", "current",
                                         json_array_size(out) == 0));
  }
  stmt_done(st);
  if (rc < 0) json_decref(out), out = NULL;
  return out;
}

/* ---- entering a value ------------------------------------------------------------ */

/* Entry: one value checked and ready to be written. */
typedef struct Entry {
  Ind x;
  char scope[8];
  int year, seq;
  Dec value;
  bool has_growth;
  Dec growth;
  char basis[64], source[400], note[400];
} Entry;

static const char *str(const json_t *in, const char *k) { return json_string_value(json_object_get(in, k)); }

/* entry_decode() checks in as a value of x (already loaded) for actor into
** *en. 0, or -1 with *e. */
static int entry_decode(const User *actor, const json_t *in, Entry *en, Err *e) {
  const Ind *x = &en->x;
  if (x->computed)
    return err_setf(e, E_CONFLICT, "indicator.computed", NULL, "「%s」由 xinqu 根据业务数据计算，不能录入或修改",
                    "%s is computed by xinqu from its records: it is not entered and cannot be edited", x->name);
  if (!may_enter(actor, x))
    return err_setf(e, E_FORBIDDEN, "indicator.forbidden", NULL, "只有%s的工作人员可以录入该指标",
                    "Only the officials of %s enter this indicator", x->dept_name);
  const char *scope = str(in, "scope"), *period = str(in, "period"), *growth = str(in, "growth");
  json_t *val = json_object_get(in, "value");
  snprintf(en->scope, sizeof en->scope, "%s", scope && *scope ? scope : "area");
  if (strcmp(en->scope, "area") != 0 && strcmp(en->scope, "city") != 0)
    return err_setf(e, E_INVALID, "indicator.bad_scope", "scope", "口径应为 area（本区）或 city（大连市）：%s",
                    "scope must be area or city: %s", en->scope);
  if (strcmp(en->scope, "city") == 0 && !x->city)
    return err_setf(e, E_INVALID, "indicator.no_city", "scope", "「%s」不记录大连市的数值", "%s keeps no city value", x->name);
  if (!period || !*period)
    return err_set(e, E_INVALID, "request.missing_field", "period", "请填写期别", "Give the period");
  if (indicator_period_parse(period, x->freq, &en->year, &en->seq))
    return err_setf(e, E_INVALID, "indicator.bad_period", "period",
                    x->freq == FREQ_MONTH ? "期别应为月份，如 2021-03：%s"
                    : x->freq == FREQ_QUARTER ? "期别应为季度，如 2021-Q1：%s"
                                              : "期别应为年份，如 2021：%s",
                    x->freq == FREQ_MONTH ? "The period must be a month such as 2021-03: %s"
                    : x->freq == FREQ_QUARTER ? "The period must be a quarter such as 2021-Q1: %s"
                                              : "The period must be a year such as 2021: %s",
                    period);
  char num[64];
  if (json_is_integer(val)) snprintf(num, sizeof num, "%lld", (long long)json_integer_value(val));
  else if (json_is_string(val)) snprintf(num, sizeof num, "%s", json_string_value(val));
  else if (!val || json_is_null(val)) return err_set(e, E_INVALID, "request.missing_field", "value", "请填写数值", "Give the value");
  else
    return err_set(e, E_INVALID, "request.bad_type", "value", "数值应以文字给出（如 \"2576.3\"），以免精度丢失",
                   "Give the value as text (\"2576.3\") so that no digit is lost");
  if (dec_parse(num, x->decimals, "value", &en->value, e)) return -1;
  en->has_growth = growth && *growth;
  if (en->has_growth && dec_parse(growth, 2, "growth", &en->growth, e)) return -1;
  if (json_object_get(in, "growth") && !json_is_null(json_object_get(in, "growth")) && !json_is_string(json_object_get(in, "growth")))
    return err_set(e, E_INVALID, "request.bad_type", "growth", "增速应以文字给出（如 \"9.0\"）", "Give the growth as text (\"9.0\")");
  const char *basis = str(in, "growth_basis"), *src = str(in, "source"), *note = str(in, "note");
  if (text_check(src, "source", "来源", 200, true, e) || text_check(note, "note", "说明", 200, false, e) ||
      text_check(basis, "growth_basis", "增速口径", 20, false, e))
    return -1;
  snprintf(en->basis, sizeof en->basis, "%s", en->has_growth ? (basis && *basis ? basis : "可比价") : "");
  snprintf(en->source, sizeof en->source, "%s", src);
  snprintf(en->note, sizeof en->note, "%s", note ? note : "");
  return 0;
}

/* entry_write() writes en as the next version of its period (inside a
** job), with its audit event; *version gets the number. Unchanged (the
** same value and growth as the latest version) writes nothing when
** skip_same, and *version is 0. */
static int entry_write(Db *db, const User *actor, const Entry *en, bool skip_same, int64_t now, int *version, Err *e) {
  Stmt *st = db_prepare(db, "SELECT version, value, growth FROM indicator_value WHERE indicator_id = ? AND scope = ?"
                            " AND year = ? AND seq = ? ORDER BY version DESC LIMIT 1", e);
  if (!st) return -1;
  stmt_bind_int(st, 1, en->x.id);
  stmt_bind_text(st, 2, en->scope);
  stmt_bind_int(st, 3, en->year);
  stmt_bind_int(st, 4, en->seq);
  int rc = stmt_step(st, e), last = 0;
  bool same = false;
  if (rc == 1) {
    last = (int)stmt_int(st, 0);
    same = stmt_int(st, 1) == en->value && stmt_null(st, 2) == !en->has_growth &&
           (!en->has_growth || stmt_int(st, 2) == en->growth);
  }
  stmt_done(st);
  if (rc < 0) return -1;
  *version = 0;
  if (same && skip_same) return 0;
  if (last > 0 && !en->note[0])
    return err_set(e, E_INVALID, "request.missing_field", "note", "更正已有数值时请说明原因",
                   "Say why when correcting a value");
  *version = last + 1;
  st = db_prepare(db, "INSERT INTO indicator_value(indicator_id, scope, year, seq, version, value, growth, growth_basis,"
                      " source, note, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", e);
  if (!st) return -1;
  int k = 1;
  stmt_bind_int(st, k++, en->x.id);
  stmt_bind_text(st, k++, en->scope);
  stmt_bind_int(st, k++, en->year);
  stmt_bind_int(st, k++, en->seq);
  stmt_bind_int(st, k++, *version);
  stmt_bind_int(st, k++, en->value);
  if (en->has_growth) stmt_bind_int(st, k++, en->growth);
  else stmt_bind_null(st, k++);
  stmt_bind_text(st, k++, en->basis);
  stmt_bind_text(st, k++, en->source);
  stmt_bind_text(st, k++, en->note);
  stmt_bind_int(st, k++, now);
  stmt_bind_int(st, k++, actor ? actor->id : 0);
  rc = stmt_step(st, e);
  stmt_done(st);
  if (rc < 0) return -1;
  char pt[16];
  Buf v = {0};
  dec_text(&v, en->value);
  json_t *d = json_pack("{s:s,s:s,s:s,s:i,s:s,s:s}", "indicator", en->x.code, "period",
                        indicator_period_text(pt, en->x.freq, en->year, en->seq), "scope", en->scope, "version", *version,
                        "value", buf_cstr(&v), "source", en->source);
  buf_free(&v);
  char *obj = xasprintf("indicator:%s:%s%s", en->x.code, pt, strcmp(en->scope, "city") == 0 ? ":city" : "");
  rc = audit_append(db, actor, last ? "indicator.correct" : "indicator.enter", obj, d, e);
  free(obj);
  json_decref(d);
  return rc;
}

typedef struct EnterJob {
  const User *actor;
  Entry *en;
  int version;
} EnterJob;

static int enter_job(Db *db, void *arg, Err *e) {
  EnterJob *j = arg;
  return entry_write(db, j->actor, j->en, false, now_ms(), &j->version, e);
}

json_t *indicator_enter(Store *s, const User *actor, const char *code, const json_t *in, Err *e) {
  Db *db = store_reader(s);
  Entry *en = calloc(1, sizeof *en);
  json_t *out = NULL;
  if (!en) panic("out of memory");
  if (ind_need(db, code, &en->x, e) || entry_decode(actor, in, en, e)) goto done;
  EnterJob j = {actor, en, 0};
  if (store_write(s, enter_job, &j, e)) goto done;
  char pt[16];
  out = indicator_versions(s, actor, code, indicator_period_text(pt, en->x.freq, en->year, en->seq), en->scope, e);
  if (out) {
    json_t *first = json_incref(json_array_get(out, 0));
    json_t *o = json_pack("{s:s,s:s,s:s,s:o,s:o}", "indicator", en->x.code, "period", pt, "scope", en->scope, "value",
                          first, "versions", out);
    out = o;
  }
done:
  free(en);
  return out;
}

/* ---- targets ------------------------------------------------------------------- */

typedef struct Target {
  int64_t id;
  int version;
  eTargetKind kind;
  bool has_value, at_most;
  Dec value;
  int64_t ref_id;
  char text[400], source[400];
} Target;

static eTargetKind kind_parse(const char *s) {
  if (!s) return 0;
  if (strcmp(s, "growth") == 0) return TK_GROWTH;
  if (strcmp(s, "level") == 0) return TK_LEVEL;
  if (strcmp(s, "in_step") == 0) return TK_IN_STEP;
  if (strcmp(s, "text") == 0) return TK_TEXT;
  return 0;
}

static const char *kind_name(eTargetKind k) {
  static const char *const n[] = {"", "growth", "level", "in_step", "text"};
  return n[k];
}

/* Bands: the status rule's parameters (indicator/status_rule). */
static int bands(Db *db, Dec *growth_band, Dec *time_band, Err *e) {
  char day[11];
  json_t *v = NULL;
  *growth_band = 2 * DEC_ONE, *time_band = 10 * DEC_ONE;
  int rc = params_get(db, "indicator", "status_rule", time_today_cn(day), &v, e);
  if (rc < 0) return -1;
  if (rc == 1) {
    const char *g = str(v, "growth_amber_pts"), *t = str(v, "time_amber_pts");
    Err ignore = {0};
    if (g) dec_parse(g, 6, NULL, growth_band, &ignore);
    if (t) dec_parse(t, 6, NULL, time_band, &ignore);
    json_decref(v);
  }
  return 0;
}

/* cut() copies in, a series of frequency f, without the periods that end
** after month (1–12): what was known at the end of that month. */
static void cut(const Series *in, int month, Series *out) {
  *out = *in;
  for (int i = 0; i < out->n; i++)
    if ((i + 1) * (12 / out->n) > month) out->p[i].v.known = false, out->p[i].growth.known = false;
}

/* judge() adds to o the progress and status of target t of x (its series
** cur, as of month, and prev) in b's year; an in_step target's other
** indicator is read from b as of month too. 0, or -1 with *e. */
static int judge(Book *b, const Ind *x, const Series *cur, const Series *prev, int month, const Target *t, Dec gband,
                 Dec tband, json_t *o, Err *e) {
  int year = b->year;
  StatusIn in = {.kind = t->kind, .at_most = t->at_most, .cumulative = x->cumulative, .target = t->value,
                 .growth_band = gband, .time_band = tband};
  int i = latest(cur);
  Growth g = {{false, 0}, false, ""};
  char pt[16];
  if (i >= 0) {
    g = growth_at(cur, prev, i);
    in.growth = g.v;
    in.value = cur->p[i].v;
    in.time = (Dec)((__int128)(i + 1) * 100 * DEC_ONE / cur->n);
    json_object_set_new(o, "period", json_string(indicator_period_text(pt, x->freq, year, seq_of(x->freq, i))));
    json_object_set_new(o, "value_now", dec_json(cur->p[i].v.v, x->decimals));
  } else {
    json_object_set_new(o, "period", json_null());
    json_object_set_new(o, "value_now", json_null());
  }
  /* The year's target level: the level itself, or last year's total grown by the target. */
  DecOpt level = {false, 0};
  if (t->kind == TK_LEVEL && t->has_value) level.known = true, level.v = t->value;
  if (t->kind == TK_GROWTH && t->has_value && prev->p[prev->n - 1].v.known &&
      dec_mul_pct(prev->p[prev->n - 1].v.v, t->value, &level.v) == 0)
    level.known = true;
  if (x->cumulative && level.known && i >= 0 && level.v > 0) {
    in.progress.known = dec_ratio_pct(cur->p[i].v.v, level.v, false, 1, &in.progress.v) == 0;
  }
  int r = t->kind == TK_IN_STEP && t->ref_id ? book_find(b, t->ref_id) : -1;
  if (r >= 0) {
    Series *rs = book_series(b, r, e);
    if (!rs) return -1;
    Series *now = xmalloc(sizeof *now);
    cut(&rs[SER_CUR], month, now);
    int k = latest(now);
    if (k >= 0) {
      Growth rg = growth_at(now, &rs[SER_PREV], k);
      in.ref_growth = rg.v;
      json_object_set_new(o, "ref_growth", growth_json(&rg));
    }
    free(now);
    json_object_set_new(o, "ref", json_string(b->aX[r].code));
    json_object_set_new(o, "ref_name", json_string(b->aX[r].name));
  }
  StatusOut so;
  indicator_status(&in, &so);
  json_object_set_new(o, "growth", growth_json(&g));
  json_object_set_new(o, "target_level", level.known ? dec_json(level.v, x->decimals) : json_null());
  json_object_set_new(o, "progress", opt_json(in.progress, 1));
  json_object_set_new(o, "time", i >= 0 ? dec_json(in.time, 1) : json_null());
  json_object_set_new(o, "status", json_string(indicator_status_name(so.status)));
  json_object_set_new(o, "status_label", json_string(indicator_status_label(so.status)));
  json_object_set_new(o, "rule", json_string(so.rule));
  json_object_set_new(o, "rule_en", json_string(so.rule_en));
  return 0;
}

static json_t *target_json(const Ind *x, const Target *t, int year) {
  return json_pack("{s:s,s:s,s:s,s:i,s:i,s:s,s:o,s:s,s:s,s:s}", "indicator", x->code, "name", x->name, "unit", x->unit,
                   "year", year, "version", t->version, "kind", kind_name(t->kind), "value",
                   t->has_value ? dec_json(t->value, t->kind == TK_LEVEL ? x->decimals : 1) : json_null(), "direction",
                   t->at_most ? "max" : "min", "text", t->text, "source", t->source);
}

#define TARGET_COLS "t.id, t.version, t.kind, t.value, t.direction, t.ref_id, t.text, t.source, t.indicator_id"

static void target_row(Stmt *st, Target *t) {
  memset(t, 0, sizeof *t);
  t->id = stmt_int(st, 0);
  t->version = (int)stmt_int(st, 1);
  t->kind = kind_parse(stmt_text(st, 2));
  t->has_value = !stmt_null(st, 3);
  t->value = stmt_int(st, 3);
  t->at_most = strcmp(stmt_text(st, 4), "max") == 0;
  t->ref_id = stmt_null(st, 5) ? 0 : stmt_int(st, 5);
  snprintf(t->text, sizeof t->text, "%s", stmt_text(st, 6));
  snprintf(t->source, sizeof t->source, "%s", stmt_text(st, 7));
}

/* targets_read() reads the latest version of each indicator's target of
** year, in catalogue order, into *aT (with the indicators' ids in *aInd;
** free both). The count, or -1 with *e. */
static int targets_read(Db *db, int year, Target **aT, int64_t **aInd, Err *e) {
  *aT = NULL, *aInd = NULL;
  Stmt *st = db_prepare(db, "SELECT " TARGET_COLS " FROM indicator_target t JOIN indicator i ON i.id = t.indicator_id"
                            " WHERE t.year = ? AND t.version = (SELECT MAX(version) FROM indicator_target u"
                            " WHERE u.indicator_id = t.indicator_id AND u.year = t.year) ORDER BY i.seq, i.code", e);
  if (!st) return -1;
  stmt_bind_int(st, 1, year);
  int rc, n = 0, cap = 0;
  while ((rc = stmt_step(st, e)) == 1) {
    if (n == cap) {
      cap = cap ? 2 * cap : 16;
      *aT = xrealloc(*aT, (size_t)cap * sizeof **aT);
      *aInd = xrealloc(*aInd, (size_t)cap * sizeof **aInd);
    }
    target_row(st, &(*aT)[n]);
    (*aInd)[n++] = stmt_int(st, 8);
  }
  stmt_done(st);
  return rc < 0 ? -1 : n;
}

json_t *indicator_targets(Store *s, const User *actor, int year, Err *e) {
  if (reader(actor, e)) return NULL;
  Db *db = store_reader(s);
  Dec gband, tband;
  if (bands(db, &gband, &tband, e)) return NULL;
  Target *aT;
  int64_t *aInd;
  Book b = {0};
  json_t *list = json_array(), *out = NULL;
  int n = targets_read(db, year, &aT, &aInd, e);
  if (n < 0 || book_load(db, year, &b, e)) goto done;
  for (int j = 0; j < n; j++) {
    int k = book_find(&b, aInd[j]);
    if (k < 0) continue; /* an indicator made after the book was read */
    Series *ser = book_series(&b, k, e);
    if (!ser) goto done;
    json_t *o = target_json(&b.aX[k], &aT[j], year);
    json_array_append_new(list, o);
    if (judge(&b, &b.aX[k], &ser[SER_CUR], &ser[SER_PREV], 12, &aT[j], gband, tband, o, e)) goto done;
  }
  out = json_pack("{s:i,s:O,s:{s:o,s:o}}", "year", year, "targets", list, "bands", "growth_amber_pts",
                  dec_json(gband, 1), "time_amber_pts", dec_json(tband, 1));
done:
  book_free(&b);
  json_decref(list);
  free(aT);
  free(aInd);
  return out;
}

typedef struct TargetJob {
  const User *actor;
  Ind x;
  int year;
  Target t;
} TargetJob;

static int target_job(Db *db, void *arg, Err *e) {
  TargetJob *j = arg;
  Stmt *st = db_prepare(db, "SELECT COALESCE(MAX(version), 0) FROM indicator_target WHERE indicator_id = ? AND year = ?", e);
  if (!st) return -1;
  stmt_bind_int(st, 1, j->x.id);
  stmt_bind_int(st, 2, j->year);
  int rc = stmt_step(st, e);
  if (rc == 1) j->t.version = (int)stmt_int(st, 0) + 1;
  stmt_done(st);
  if (rc < 0) return -1;
  st = db_prepare(db, "INSERT INTO indicator_target(indicator_id, year, version, kind, value, direction, ref_id, text,"
                      " source, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", e);
  if (!st) return -1;
  int k = 1;
  stmt_bind_int(st, k++, j->x.id);
  stmt_bind_int(st, k++, j->year);
  stmt_bind_int(st, k++, j->t.version);
  stmt_bind_text(st, k++, kind_name(j->t.kind));
  if (j->t.has_value) stmt_bind_int(st, k++, j->t.value);
  else stmt_bind_null(st, k++);
  stmt_bind_text(st, k++, j->t.at_most ? "max" : "min");
  if (j->t.ref_id) stmt_bind_int(st, k++, j->t.ref_id);
  else stmt_bind_null(st, k++);
  stmt_bind_text(st, k++, j->t.text);
  stmt_bind_text(st, k++, j->t.source);
  stmt_bind_int(st, k++, now_ms());
  stmt_bind_int(st, k++, j->actor ? j->actor->id : 0);
  rc = stmt_step(st, e);
  stmt_done(st);
  if (rc < 0) return -1;
  json_t *d = target_json(&j->x, &j->t, j->year);
  char *obj = xasprintf("indicator:%s:target:%d", j->x.code, j->year);
  rc = audit_append(db, j->actor, "indicator.target", obj, d, e);
  free(obj);
  json_decref(d);
  return rc;
}

/* target_decode() checks in as a target of j->x (loaded) into j. 0, or -1
** with *e. */
static int target_decode(Db *db, const json_t *in, TargetJob *j, Err *e) {
  json_t *y = json_object_get(in, "year");
  if (!json_is_integer(y) || json_integer_value(y) < 1900 || json_integer_value(y) > 2999)
    return err_set(e, E_INVALID, "request.missing_field", "year", "请填写年度", "Give the year");
  j->year = (int)json_integer_value(y);
  j->t.kind = kind_parse(str(in, "kind"));
  if (!j->t.kind)
    return err_set(e, E_INVALID, "indicator.bad_target", "kind", "目标类型应为 growth（增速）、level（总量）、in_step（同步）或 text（定性）",
                   "kind must be growth, level, in_step or text");
  const char *dir = str(in, "direction"), *value = str(in, "value"), *text = str(in, "text"), *src = str(in, "source");
  if (dir && *dir && strcmp(dir, "min") != 0 && strcmp(dir, "max") != 0)
    return err_set(e, E_INVALID, "indicator.bad_target", "direction", "direction 应为 min（不低于）或 max（不高于）",
                   "direction must be min or max");
  j->t.at_most = dir && strcmp(dir, "max") == 0;
  if (j->t.kind == TK_GROWTH || j->t.kind == TK_LEVEL) {
    if (!value || !*value)
      return err_set(e, E_INVALID, "request.missing_field", "value", "请填写目标值（文字，如 \"10\"）", "Give the target value as text");
    if (dec_parse(value, j->t.kind == TK_LEVEL ? j->x.decimals : 2, "value", &j->t.value, e)) return -1;
    j->t.has_value = true;
  }
  if (j->t.kind == TK_IN_STEP) {
    Ind r;
    const char *ref = str(in, "ref");
    int rc = ref && *ref ? ind_load(db, ref, 0, &r, e) : 0;
    if (rc < 0) return -1;
    if (rc == 0 || r.id == j->x.id)
      return err_set(e, E_INVALID, "indicator.bad_target", "ref", "同步目标须指明对照的另一个指标（ref，指标代码）",
                     "An in-step target names the other indicator (ref, its code)");
    j->t.ref_id = r.id;
  }
  if (text_check(text, "text", "目标表述", 100, true, e) || text_check(src, "source", "来源", 200, false, e)) return -1;
  snprintf(j->t.text, sizeof j->t.text, "%s", text);
  snprintf(j->t.source, sizeof j->t.source, "%s", src ? src : "");
  return 0;
}

static int no_target(Err *e) {
  return err_set(e, E_FORBIDDEN, "indicator.forbidden", NULL, "只有发展和改革局、统计局的工作人员或管理员可以设定目标",
                 "Only the officials of the departments that set targets (parameter indicator/target_depts) or "
                 "administrators set targets");
}

json_t *indicator_target_set(Store *s, const User *actor, const char *code, const json_t *in, Err *e) {
  Db *db = store_reader(s);
  TargetJob j = {.actor = actor};
  if (ind_need(db, code, &j.x, e)) return NULL;
  int ok = may_target(db, actor, e);
  if (ok < 0) return NULL;
  if (!ok) return no_target(e), NULL;
  if (target_decode(db, in, &j, e) || store_write(s, target_job, &j, e)) return NULL;
  Dec gband, tband;
  if (bands(db, &gband, &tband, e)) return NULL;
  json_t *o = target_json(&j.x, &j.t, j.year);
  Book b;
  int k = book_load(db, j.year, &b, e) ? -1 : book_find(&b, j.x.id);
  Series *ser = k < 0 ? NULL : book_series(&b, k, e);
  if (!ser || judge(&b, &j.x, &ser[SER_CUR], &ser[SER_PREV], 12, &j.t, gband, tband, o, e)) json_decref(o), o = NULL;
  book_free(&b);
  return o;
}

/* ---- targets in Excel and CSV ------------------------------------------------------- */

static const SheetEnum target_kinds[] = {
    {"growth", "增速"}, {"level", "总量"}, {"in_step", "同步"}, {"text", "定性"}, {NULL, NULL}};
static const SheetEnum directions[] = {{"min", "不低于"}, {"max", "不高于"}, {NULL, NULL}};

static const SheetCol target_cols[] = {
    {"indicator", "指标代码", SK_TEXT, SC_REQUIRED, NULL, 16},
    {"name", "指标名称", SK_TEXT, SC_EXPORT, NULL, 28},
    {"year", "年度", SK_INT, SC_REQUIRED, NULL, 8},
    {"kind", "目标类型", SK_ENUM, SC_REQUIRED, target_kinds, 10},
    {"value", "目标值", SK_NUMBER, 0, NULL, 12},
    {"direction", "方向", SK_ENUM, 0, directions, 8},
    {"ref", "对照指标", SK_TEXT, 0, NULL, 12},
    {"text", "目标表述", SK_TEXT, SC_REQUIRED, NULL, 30},
    {"source", "来源", SK_TEXT, 0, NULL, 24},
};
static const SheetTable target_sheet = {"年度目标", target_cols, (int)XQ_COUNT(target_cols), NULL, NULL};

typedef struct TargetImport {
  Db *db;
  const User *actor;
  TargetJob *aJ;
  int nJ, nAlloc;
  bool dry_run;
} TargetImport;

static int target_row_decode(void *ctx, int i, const json_t *row, int64_t line, Err *why) {
  TargetImport *t = ctx;
  (void)line;
  if (i == 0) {
    int ok = may_target(t->db, t->actor, why);
    if (ok < 0) return why->kind = E_INTERNAL, -1;
    if (!ok) return no_target(why);
  }
  if (i >= t->nAlloc) {
    t->nAlloc = t->nAlloc ? 2 * t->nAlloc : 32;
    t->aJ = xrealloc(t->aJ, (size_t)t->nAlloc * sizeof *t->aJ);
  }
  TargetJob *j = &t->aJ[i];
  memset(j, 0, sizeof *j);
  j->actor = t->actor;
  t->nJ = i + 1;
  const char *code = str(row, "indicator");
  int rc = ind_load(t->db, code ? code : "", 0, &j->x, why);
  if (rc < 0) return why->kind = E_INTERNAL, -1;
  if (rc == 0) return err_setf(why, E_INVALID, "indicator.not_found", "indicator", "没有这个指标：%s", "No such indicator: %s",
                               code ? code : "");
  return target_decode(t->db, row, j, why);
}

static int target_import_job(Db *db, void *arg, Err *e) {
  TargetImport *t = arg;
  for (int i = 0; i < t->nJ; i++)
    if (target_job(db, &t->aJ[i], e)) return -1;
  if (t->dry_run)
    return err_set(e, E_INVALID, "import.dry_run", NULL, "检查通过（仅检查，未导入）", "Checked only: nothing imported");
  return 0;
}

json_t *indicator_targets_import(Store *s, const User *actor, const void *data, size_t n, bool dry_run, Err *e) {
  TargetImport t = {.db = store_reader(s), .actor = actor, .dry_run = dry_run};
  json_t *out = NULL;
  if (reader(actor, e)) return NULL;
  int64_t rows = sheet_import(&target_sheet, data, n, 5000, target_row_decode, &t, e);
  if (rows == 0) err_set(e, E_INVALID, "import.empty", NULL, "文件中没有目标", "The file lists no target"), rows = -1;
  if (rows > 0) {
    ErrList *all = e->all;
    int rc = store_write(s, target_import_job, &t, e);
    e->all = all;
    if (rc == 0 || strcmp(e->code, "import.dry_run") == 0)
      out = json_pack("{s:I,s:I,s:b}", "rows", (json_int_t)rows, "imported", (json_int_t)(dry_run ? 0 : rows), "dry_run",
                      dry_run);
  }
  free(t.aJ);
  return out;
}

int indicator_targets_export(Store *s, const User *actor, int year, bool xlsx, Buf *out, Err *e) {
  json_t *t = indicator_targets(s, actor, year, e);
  if (!t) return -1;
  SheetOut *o = sheet_out_new(xlsx, e);
  if (!o) return json_decref(t), -1;
  char title[64], y[8];
  snprintf(title, sizeof title, "年度目标（%d 年）", year);
  snprintf(y, sizeof y, "%d", year);
  sheet_out_begin(o, &target_sheet, title);
  size_t i;
  json_t *x;
  json_array_foreach(json_object_get(t, "targets"), i, x) {
    const char *row[9] = {str(x, "indicator"), str(x, "name"), y, str(x, "kind"), str(x, "value") ? str(x, "value") : "",
                          str(x, "direction"), str(x, "ref") ? str(x, "ref") : "", str(x, "text"), str(x, "source")};
    sheet_out_row(o, row);
  }
  json_decref(t);
  return sheet_out_end(o, out, e) < 0 ? -1 : 0;
}

/* ---- detail and the year's report ----------------------------------------------------- */

json_t *indicator_get(Store *s, const User *actor, const char *code, int year, Err *e) {
  json_t *v = indicator_values(s, actor, code, year, e);
  if (!v) return NULL;
  json_t *t = indicator_targets(s, actor, year, e);
  if (!t) return json_decref(v), NULL;
  json_t *mine = json_array(), *x;
  size_t i;
  json_array_foreach(json_object_get(t, "targets"), i, x) if (strcmp(str(x, "indicator"), code) == 0)
      json_array_append(mine, x);
  json_decref(t);
  json_object_set_new(v, "targets", mine);
  return v;
}

/* report_line() is x's line of the year's report from its series (cur as
** far as it is known: the latest period with a value) with its growth on
** prev and share of city (NULL: none kept). */
static json_t *report_line(const Ind *x, int year, const Series *cur, const Series *prev, const Series *city) {
  json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:i,s:s}", "code", x->code, "name", x->name, "name_en", x->name_en, "unit",
                        x->unit, "decimals", x->decimals, "source", x->computed ? "computed" : "entered");
  int i = latest(cur);
  if (i < 0) {
    json_t *none = json_pack("{s:n,s:n,s:n,s:b,s:n,s:n,s:n}", "value", "period", "period_label", "complete", 0, "growth",
                             "share", "city");
    json_object_update(o, none);
    json_decref(none);
    return o;
  }
  char pt[16], label[32];
  Growth g = growth_at(cur, prev, i);
  DecOpt share = city ? indicator_share(cur->p[i].v, city->p[i].v) : (DecOpt){false, 0};
  json_object_set_new(o, "value", dec_json(cur->p[i].v.v, x->decimals));
  json_object_set_new(o, "period", json_string(indicator_period_text(pt, x->freq, year, seq_of(x->freq, i))));
  json_object_set_new(o, "period_label",
                      json_string(period_label(label, sizeof label, x->freq, seq_of(x->freq, i), x->cumulative)));
  json_object_set_new(o, "complete", json_boolean(i == cur->n - 1));
  json_object_set_new(o, "growth", growth_json(&g));
  json_object_set_new(o, "share", opt_json(share, 1));
  json_object_set_new(o, "city", city ? opt_json(city->p[i].v, x->decimals) : json_null());
  if (cur->p[i].link[0]) json_object_set_new(o, "link", json_string(cur->p[i].link));
  return o;
}

json_t *indicator_report(Store *s, const User *actor, int year, Err *e) {
  if (reader(actor, e)) return NULL;
  Book b;
  json_t *lines = json_array(), *out = NULL;
  bool demo = false;
  if (book_load(store_reader(s), year, &b, e)) goto done;
  for (int k = 0; k < b.n; k++) {
    const Ind *x = &b.aX[k];
    Series *ser = book_series(&b, k, e);
    if (!ser) goto done;
    demo |= x->demo;
    json_array_append_new(lines, report_line(x, year, &ser[SER_CUR], &ser[SER_PREV], x->city ? &ser[SER_CITY] : NULL));
  }
  out = json_pack("{s:i,s:b,s:O}", "year", year, "demo", demo, "lines", lines);
done:
  json_decref(lines);
  book_free(&b);
  return out;
}

/* ---- the leaders' board ---------------------------------------------------------- */

/* trend() is x's periods of the year with each period's own value (当月 / 当季
** of a cumulative indicator), last year's, and the growth. */
static json_t *trend(const Ind *x, int year, const Series *cur, const Series *prev) {
  DecOpt c0[12], c1[12], m0[12], m1[12];
  for (int i = 0; i < cur->n; i++) c0[i] = cur->p[i].v, c1[i] = prev->p[i].v;
  bool own = x->cumulative && x->freq != FREQ_YEAR;
  if (own) indicator_derive(c0, cur->n, m0), indicator_derive(c1, cur->n, m1);
  json_t *periods = json_array(), *values = json_array(), *previous = json_array(), *growth = json_array();
  for (int i = 0; i < cur->n; i++) {
    char pt[16];
    Growth g = growth_at(cur, prev, i);
    json_array_append_new(periods, json_string(indicator_period_text(pt, x->freq, year, seq_of(x->freq, i))));
    json_array_append_new(values, opt_json(own ? m0[i] : c0[i], x->decimals));
    json_array_append_new(previous, opt_json(own ? m1[i] : c1[i], x->decimals));
    json_array_append_new(growth, opt_json(g.v, 1));
  }
  return json_pack("{s:o,s:o,s:o,s:o}", "periods", periods, "values", values, "previous", previous, "growth", growth);
}

json_t *indicator_board(Store *s, const User *actor, int year, int month, Err *e) {
  if (reader(actor, e)) return NULL;
  Db *db = store_reader(s);
  Dec gband, tband;
  if (bands(db, &gband, &tband, e)) return NULL;
  Target *aT;
  int64_t *aInd;
  Book b = {0};
  Series *now = xmalloc(sizeof *now);
  json_t *list = json_array(), *out = NULL;
  int nT = targets_read(db, year, &aT, &aInd, e);
  if (nT < 0 || book_load(db, year, &b, e)) goto done;
  for (int k = 0; k < b.n; k++)
    if (!book_series(&b, k, e)) goto done;
  if (month < 1) { /* as of the last month with a value */
    char today[11];
    month = year < atoi(time_today_cn(today)) ? 12 : atoi(today + 5);
    int last = 0;
    for (int k = 0; k < b.n; k++) {
      int i = latest(&b.aS[4 * k + SER_CUR]);
      if (i >= 0 && (i + 1) * (12 / b.aS[4 * k].n) > last) last = (i + 1) * (12 / b.aS[4 * k].n);
    }
    if (last) month = last;
  }
  int count[5] = {0};
  bool demo = false;
  for (int k = 0; k < b.n; k++) {
    const Ind *x = &b.aX[k];
    Series *ser = &b.aS[4 * k], *city = NULL;
    demo |= x->demo;
    cut(&ser[SER_CUR], month, now);
    if (x->city) city = &ser[SER_CITY];
    json_t *o = report_line(x, year, now, &ser[SER_PREV], city);
    json_object_del(o, "link");
    char link[128];
    snprintf(link, sizeof link, "/indicators?code=%s&year=%d", x->code, year);
    json_t *more = json_pack("{s:s,s:b,s:s,s:s,s:s,s:o,s:n}", "frequency", indicator_freq_name(x->freq), "cumulative",
                             x->cumulative, "department", x->dept, "department_name", x->dept_name, "link", link,
                             "trend", trend(x, year, now, &ser[SER_PREV]), "target");
    json_object_update(o, more);
    json_decref(more);
    for (int j = 0; j < nT; j++) {
      if (aInd[j] != x->id) continue;
      json_t *t = json_pack("{s:s,s:s,s:o,s:s}", "text", aT[j].text, "kind", kind_name(aT[j].kind), "value",
                            aT[j].has_value ? dec_json(aT[j].value, aT[j].kind == TK_LEVEL ? x->decimals : 1) : json_null(),
                            "direction", aT[j].at_most ? "max" : "min");
      json_object_set_new(o, "target", t);
      if (judge(&b, x, now, &ser[SER_PREV], month, &aT[j], gband, tband, t, e)) goto done;
      const char *st = json_string_value(json_object_get(t, "status"));
      for (eStatus z = ST_UNKNOWN; z <= ST_NONE; z++)
        if (strcmp(st, indicator_status_name(z)) == 0) count[z]++;
    }
    json_array_append_new(list, o);
  }
  out = json_pack("{s:i,s:b,s:O,s:{s:i,s:i,s:i,s:i,s:i}}", "month", month, "demo", demo, "indicators", list,
                  "status_counts", "green", count[ST_GREEN], "amber", count[ST_AMBER], "red", count[ST_RED], "none",
                  count[ST_NONE], "unknown", count[ST_UNKNOWN]);
done:
  book_free(&b);
  free(now);
  json_decref(list);
  free(aT);
  free(aInd);
  return out;
}

/* ---- import and export ------------------------------------------------------------- */

static const SheetEnum scopes[] = {{"area", "本区"}, {"city", "大连市"}, {NULL, NULL}};

static const SheetCol value_cols[] = {
    {"indicator", "指标代码", SK_TEXT, SC_REQUIRED, NULL, 16},
    {"name", "指标名称", SK_TEXT, SC_EXPORT, NULL, 28},
    {"period", "期别", SK_TEXT, SC_REQUIRED, NULL, 10},
    {"scope", "口径", SK_ENUM, 0, scopes, 8},
    {"value", "数值", SK_NUMBER, SC_REQUIRED, NULL, 14},
    {"unit", "单位", SK_TEXT, SC_EXPORT, NULL, 10},
    {"growth", "官方增速(%)", SK_NUMBER, 0, NULL, 12},
    {"growth_basis", "增速口径", SK_TEXT, 0, NULL, 10},
    {"source", "来源", SK_TEXT, SC_REQUIRED, NULL, 30},
    {"note", "说明", SK_TEXT, 0, NULL, 24},
};
static const SheetTable value_sheet = {"指标数值", value_cols, (int)XQ_COUNT(value_cols), NULL, NULL};

#define INDICATOR_IMPORT_MAX_ROWS 50000

typedef struct ImportJob {
  Db *db;
  const User *actor;
  Entry *aEn;
  int nEn, nAlloc;
  int64_t imported;
  bool dry_run;
} ImportJob;

/* import_row() decodes row i of the file (sheet_import()'s decoder). */
static int import_row(void *ctx, int i, const json_t *row, int64_t line, Err *why) {
  ImportJob *j = ctx;
  (void)line;
  if (i >= j->nAlloc) {
    j->nAlloc = j->nAlloc ? 2 * j->nAlloc : 64;
    j->aEn = xrealloc(j->aEn, (size_t)j->nAlloc * sizeof *j->aEn);
  }
  Entry *en = &j->aEn[i];
  memset(en, 0, sizeof *en);
  j->nEn = i + 1;
  const char *code = str(row, "indicator");
  int rc = ind_load(j->db, code ? code : "", 0, &en->x, why);
  if (rc < 0) {
    why->kind = E_INTERNAL;
    return -1;
  }
  if (rc == 0) return err_setf(why, E_INVALID, "indicator.not_found", "indicator", "没有这个指标：%s", "No such indicator: %s",
                               code ? code : "");
  json_t *in = json_deep_copy(row);
  /* Cells of a number column come as text; an Excel number cell may carry a grouping comma. */
  rc = entry_decode(j->actor, in, en, why);
  json_decref(in);
  if (rc && why->kind == E_FORBIDDEN) why->kind = E_INVALID; /* a refusal of the row, listed with the others */
  return rc;
}

static int import_job(Db *db, void *arg, Err *e) {
  ImportJob *j = arg;
  int64_t now = now_ms();
  for (int i = 0; i < j->nEn; i++) {
    int v;
    if (entry_write(db, j->actor, &j->aEn[i], true, now, &v, e)) return -1;
    if (v) j->imported++;
  }
  json_t *d = json_pack("{s:i,s:I}", "rows", j->nEn, "imported", (json_int_t)j->imported);
  int rc = audit_append(db, j->actor, "indicator.import", "indicator:*", d, e);
  json_decref(d);
  if (rc == 0 && j->dry_run)
    return err_set(e, E_INVALID, "import.dry_run", NULL, "检查通过（仅检查，未导入）", "Checked only: nothing imported");
  return rc;
}

json_t *indicator_import(Store *s, const User *actor, const void *data, size_t n, bool dry_run, Err *e) {
  ImportJob j = {.db = store_reader(s), .actor = actor, .dry_run = dry_run};
  json_t *out = NULL;
  if (reader(actor, e)) return NULL;
  int64_t rows = sheet_import(&value_sheet, data, n, INDICATOR_IMPORT_MAX_ROWS, import_row, &j, e);
  if (rows >= 0) {
    ErrList *all = e->all;
    int rc = store_write(s, import_job, &j, e);
    e->all = all;
    if (rc == 0 || strcmp(e->code, "import.dry_run") == 0)
      out = json_pack("{s:I,s:I,s:I,s:b}", "rows", (json_int_t)rows, "imported", (json_int_t)(dry_run ? 0 : j.imported),
                      "unchanged", (json_int_t)(rows - j.imported), "dry_run", dry_run);
  }
  free(j.aEn);
  return out;
}

int indicator_export(Store *s, const User *actor, int year, bool xlsx, Buf *out, Err *e) {
  if (reader(actor, e)) return -1;
  Db *db = store_reader(s);
  Stmt *st = db_prepare(db, "SELECT " IND_COLS " FROM indicator i JOIN department d ON d.id = i.dept_id"
                            " WHERE i.source = 'entered' ORDER BY i.seq, i.code", e);
  if (!st) return -1;
  int rc, n = 0, cap = 0;
  Ind *aX = NULL;
  while ((rc = stmt_step(st, e)) == 1) {
    if (n == cap) aX = xrealloc(aX, (size_t)(cap = cap ? 2 * cap : 32) * sizeof *aX);
    ind_row(st, &aX[n++]);
  }
  stmt_done(st);
  if (rc < 0) return free(aX), -1;
  SheetOut *o = sheet_out_new(xlsx, e);
  if (!o) return free(aX), -1;
  char title[64];
  snprintf(title, sizeof title, "指标数值（%d 年）", year);
  sheet_out_begin(o, &value_sheet, title);
  Series *ser = calloc(1, sizeof *ser);
  if (!ser) panic("out of memory");
  int res = 0;
  for (int k = 0; k < n && res == 0; k++) {
    for (int sc = 0; sc < (aX[k].city ? 2 : 1) && res == 0; sc++) {
      const char *scope = sc ? "city" : "area";
      if (series_read(db, &aX[k], scope, year, ser, e)) {
        res = -1;
        break;
      }
      for (int i = 0; i < ser->n; i++) {
        const Point *p = &ser->p[i];
        if (!p->v.known) continue;
        char pt[16];
        Buf v = {0}, g = {0};
        dec_fixed(&v, p->v.v, aX[k].decimals);
        if (p->growth.known) dec_text(&g, p->growth.v);
        const char *row[10] = {aX[k].code, aX[k].name, indicator_period_text(pt, aX[k].freq, year, seq_of(aX[k].freq, i)),
                               scope, buf_cstr(&v), aX[k].unit, p->growth.known ? buf_cstr(&g) : "", p->basis, p->source, ""};
        sheet_out_row(o, row);
        buf_free(&v);
        buf_free(&g);
      }
    }
  }
  free(ser);
  free(aX);
  if (res) {
    Buf trash = {0};
    sheet_out_end(o, &trash, NULL);
    buf_free(&trash);
    return -1;
  }
  return sheet_out_end(o, out, e) < 0 ? -1 : 0;
}
