/*
** board.c — the leaders' board (board.h): the indicators' part from
** indicator_board(), the 惠民实事 from livelihood_summary(), and the
** domains' panels from the indicator feeds, so a figure on a panel is the
** very figure the indicator catalogue computes from the same records.
*/
#include "board.h"
#include "indicator.h"
#include "livelihood.h"
#include "../base/cal.h"
#include "../base/dec.h"
#include "../base/sheet.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The panels, in the board's order: each gathers the feeds whose code
** starts with its prefix. */
static const struct {
  const char *domain, *title, *title_en, *prefix;
} PANELS[] = {
    {"services", "政务服务", "Government services", "cases."},
    {"registry", "市场主体", "Market entities", "registry."},
    {"invest", "招商引资", "Investment promotion", "invest."},
    {"ladder", "梯度培育", "The enterprise ladder", "ladder."},
    {"talent", "人才政策", "Talent policies", "talent."},
};

/* web_link() writes the web route of the records behind feed f's figure of
** the days from..to of year. */
static void web_link(const IndicatorFeed *f, int year, const char *from, const char *to, char *out, size_t cap) {
  if (strncmp(f->code, "cases.", 6) == 0) snprintf(out, cap, "/records/cases?from=%s&to=%s", from, to);
  else if (strncmp(f->code, "registry.", 9) == 0) snprintf(out, cap, "/records/entities?from=%s&to=%s", from, to);
  else if (strncmp(f->code, "invest.", 7) == 0) snprintf(out, cap, "/invest/report?from=%s&to=%s", from, to);
  else if (strncmp(f->code, "ladder.", 7) == 0) snprintf(out, cap, "/ladder/stats?year=%d", year);
  else if (strcmp(f->code, "talent.paid") == 0) snprintf(out, cap, "/talent/ledger?year=%d", year);
  else if (strncmp(f->code, "talent.", 7) == 0) snprintf(out, cap, "/talent/entitlements");
  else snprintf(out, cap, "/indicators?year=%d", year);
}

/* plain() writes name without its trailing "（…）" or " (…)": on a panel
** the domain goes without saying. */
static void plain(const char *name, const char *open, char *out, size_t cap) {
  const char *cut = strstr(name, open);
  size_t n = cut ? (size_t)(cut - name) : strlen(name);
  snprintf(out, cap, "%.*s", (int)(n < cap ? n : cap - 1), name);
}

static json_t *fig_json(int rc, Dec v, int decimals) {
  if (rc != 1) return json_null();
  Buf b = {0};
  dec_fixed(&b, v, decimals);
  json_t *o = json_string(buf_cstr(&b));
  buf_free(&b);
  return o;
}

/* end_of() writes the last day of month m of year y. */
static void end_of(int y, int m, char out[11]) {
  int d;
  cal_from_ymd(m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1, 1, &d);
  cal_format(d - 1, out);
}

/* figure() is feed f's figure on a panel of year as of month. */
static json_t *figure(Db *db, const IndicatorFeed *f, int year, int month, const char *today, Err *e) {
  char from[16], to[16], pfrom[24], pto[24], link[200], name[160], name_en[160];
  year %= 10000; /* the caller's range (1900–2999) */
  snprintf(from, sizeof from, "%04d-01-01", year);
  end_of(year, month, to);
  if (strcmp(to, today) > 0) snprintf(to, sizeof to, "%s", today); /* the year so far */
  /* The same days of last year (29 February: the 28th). */
  snprintf(pfrom, sizeof pfrom, "%04d-01-01", year - 1);
  snprintf(pto, sizeof pto, "%04d%.6s", year - 1, strcmp(to + 4, "-02-29") == 0 ? "-02-28" : to + 4);
  Dec v = 0, pv = 0;
  Buf ignore = {0};
  int rc = f->value(f, db, from, to, &v, &ignore, e), prc = rc < 0 ? -1 : f->value(f, db, pfrom, pto, &pv, &ignore, e);
  if (rc < 0 || prc < 0) return buf_free(&ignore), NULL;
  json_t *months = json_array();
  for (int m = 1; m <= 12; m++) {
    char a[32], b[16];
    snprintf(a, sizeof a, "%04d-%02d-01", year, m);
    end_of(year, m, b);
    Dec mv = 0;
    int mrc = 0;
    if (m <= month && strcmp(a, today) <= 0 && (mrc = f->value(f, db, a, b, &mv, &ignore, e)) < 0) {
      buf_free(&ignore);
      json_decref(months);
      return NULL;
    }
    json_array_append_new(months, fig_json(mrc, mv, f->decimals));
  }
  buf_free(&ignore);
  DecOpt g = {false, 0};
  if (strcmp(f->unit, "%") != 0) g = indicator_growth((DecOpt){rc == 1, v}, (DecOpt){prc == 1, pv});
  web_link(f, year, from, to, link, sizeof link);
  plain(f->name, "（", name, sizeof name);
  plain(f->name_en, " (", name_en, sizeof name_en);
  return json_pack("{s:s,s:s,s:s,s:s,s:o,s:o,s:o,s:o,s:s}", "feed", f->code, "name", name, "name_en", name_en, "unit",
                   f->unit, "value", fig_json(rc, v, f->decimals), "previous", fig_json(prc, pv, f->decimals), "growth",
                   fig_json(g.known, g.v, 1), "months", months, "link", link);
}

/* panels() is the five panels of year as of month. */
static json_t *panels(Db *db, int year, int month, Err *e) {
  char today[11];
  time_today_cn(today);
  json_t *out = json_array();
  for (size_t p = 0; p < XQ_COUNT(PANELS); p++) {
    json_t *figs = json_array();
    const IndicatorFeed *f;
    for (int i = 0; (f = indicator_feed_at(i)); i++) {
      if (strncmp(f->code, PANELS[p].prefix, strlen(PANELS[p].prefix)) != 0) continue;
      json_t *o = figure(db, f, year, month, today, e);
      if (!o) return json_decref(figs), json_decref(out), NULL;
      json_array_append_new(figs, o);
    }
    const char *link = json_string_value(json_object_get(json_array_get(figs, 0), "link"));
    json_array_append_new(out, json_pack("{s:s,s:s,s:s,s:s,s:o}", "domain", PANELS[p].domain, "title", PANELS[p].title,
                                         "title_en", PANELS[p].title_en, "link", link ? link : "/indicators",
                                         "figures", figs));
  }
  return out;
}

/* years() reads the first and the latest year (not after this one) with an
** entered indicator value; 0 when none. 0, or -1 with *e. */
static int years(Db *db, int this_year, int *first, int *last, Err *e) {
  Stmt *st = db_prepare(db, "SELECT MIN(year), MAX(year) FROM indicator_value WHERE year <= ?", e);
  if (!st) return -1;
  stmt_bind_int(st, 1, this_year);
  int rc = stmt_step(st, e);
  *first = rc == 1 && !stmt_null(st, 0) ? (int)stmt_int(st, 0) : 0;
  *last = rc == 1 && !stmt_null(st, 1) ? (int)stmt_int(st, 1) : 0;
  stmt_done(st);
  return rc < 0 ? -1 : 0;
}

json_t *board_get(Store *s, const User *actor, int year, int month, Err *e) {
  if (!actor || !(actor->role & (ROLE_OFFICIAL | ROLE_AUDITOR)))
    return err_set(e, E_FORBIDDEN, "auth.forbidden", NULL, "无权查看领导驾驶舱", "You may not read the leaders' board"), NULL;
  Db *db = store_reader(s);
  char today[11];
  int this_year = atoi(time_today_cn(today)), first, last;
  if (years(db, this_year, &first, &last, e)) return NULL;
  if (!year) year = last ? last : this_year;
  json_t *ind = indicator_board(s, actor, year, month, e);
  if (!ind) return NULL;
  month = (int)json_integer_value(json_object_get(ind, "month"));
  json_t *lv = livelihood_summary(s, actor, year, e), *pan = lv ? panels(db, year, month, e) : NULL;
  if (!pan) return json_decref(ind), json_decref(lv), NULL;
  json_t *ys = json_array();
  for (int y = first && first < year ? first : year; y <= (this_year > year ? this_year : year); y++)
    json_array_append_new(ys, json_integer(y));
  char title[64];
  if (month == 1) snprintf(title, sizeof title, "%d年1月经济运行情况", year);
  else snprintf(title, sizeof title, "%d年1—%d月经济运行情况", year, month);
  json_t *out = json_pack("{s:i,s:i,s:o,s:s,s:I,s:O,s:s,s:O,s:O,s:o,s:o}", "year", year, "month", month, "years", ys,
                          "today", today, "generated_at", (json_int_t)now_ms(), "demo", json_object_get(ind, "demo"),
                          "title", title, "status_counts", json_object_get(ind, "status_counts"), "indicators",
                          json_object_get(ind, "indicators"), "livelihood", lv, "panels", pan);
  json_decref(ind);
  return out;
}

/* ---- the workbook ------------------------------------------------------------------ */

static const char *txt(const json_t *o, const char *k) {
  const char *v = json_string_value(json_object_get(o, k));
  return v ? v : "";
}

static const SheetCol ind_cols[] = {
    {"name", "指标", SK_TEXT, 0, NULL, 28},          {"unit", "单位", SK_TEXT, 0, NULL, 8},
    {"period", "期别", SK_TEXT, 0, NULL, 10},        {"value", "数值", SK_NUMBER, 0, NULL, 12},
    {"growth", "增速（%）", SK_NUMBER, 0, NULL, 10}, {"basis", "增速口径", SK_TEXT, 0, NULL, 12},
    {"share", "占全市（%）", SK_NUMBER, 0, NULL, 10}, {"target", "年度目标", SK_TEXT, 0, NULL, 22},
    {"progress", "任务进度（%）", SK_NUMBER, 0, NULL, 12}, {"time", "时间进度（%）", SK_NUMBER, 0, NULL, 12},
    {"status", "状态", SK_TEXT, 0, NULL, 8},         {"rule", "判定规则", SK_TEXT, 0, NULL, 60},
    {"department", "填报部门", SK_TEXT, 0, NULL, 16},
};
static const SheetTable ind_sheet = {"主要指标", ind_cols, (int)XQ_COUNT(ind_cols), NULL, NULL};

static const SheetCol lv_cols[] = {
    {"dept", "牵头部门", SK_TEXT, 0, NULL, 22},      {"total", "项目数", SK_INT, 0, NULL, 10},
    {"on_track", "按计划", SK_INT, 0, NULL, 10},     {"behind", "滞后", SK_INT, 0, NULL, 10},
    {"done", "已完成", SK_INT, 0, NULL, 10},         {"progress", "平均进度（%）", SK_NUMBER, 0, NULL, 14},
    {"behind_list", "滞后项目及原因", SK_TEXT, 0, NULL, 70},
};
static const SheetTable lv_sheet = {"惠民实事", lv_cols, (int)XQ_COUNT(lv_cols), NULL, NULL};

static const SheetCol pan_cols[] = {
    {"domain", "领域", SK_TEXT, 0, NULL, 12},     {"name", "指标", SK_TEXT, 0, NULL, 26},
    {"unit", "单位", SK_TEXT, 0, NULL, 8},        {"value", "本年累计", SK_NUMBER, 0, NULL, 12},
    {"previous", "上年同期", SK_NUMBER, 0, NULL, 12}, {"growth", "增长（%）", SK_NUMBER, 0, NULL, 10},
    {"m1", "1月", SK_NUMBER, 0, NULL, 9},  {"m2", "2月", SK_NUMBER, 0, NULL, 9},  {"m3", "3月", SK_NUMBER, 0, NULL, 9},
    {"m4", "4月", SK_NUMBER, 0, NULL, 9},  {"m5", "5月", SK_NUMBER, 0, NULL, 9},  {"m6", "6月", SK_NUMBER, 0, NULL, 9},
    {"m7", "7月", SK_NUMBER, 0, NULL, 9},  {"m8", "8月", SK_NUMBER, 0, NULL, 9},  {"m9", "9月", SK_NUMBER, 0, NULL, 9},
    {"m10", "10月", SK_NUMBER, 0, NULL, 9}, {"m11", "11月", SK_NUMBER, 0, NULL, 9}, {"m12", "12月", SK_NUMBER, 0, NULL, 9},
};
static const SheetTable pan_sheet = {"各领域", pan_cols, (int)XQ_COUNT(pan_cols), NULL, NULL};

int board_xlsx(const json_t *board, Buf *out, Err *e) {
  SheetOut *o = sheet_out_new(true, e);
  if (!o) return -1;
  const char *title = txt(board, "title");
  char head[160];
  snprintf(head, sizeof head, "大连金普新区%s%s", title, json_is_true(json_object_get(board, "demo")) ? "（演示数据）" : "");
  sheet_out_begin(o, &ind_sheet, head);
  size_t i, j;
  json_t *x;
  json_array_foreach(json_object_get(board, "indicators"), i, x) {
    const json_t *g = json_object_get(x, "growth"), *t = json_object_get(x, "target");
    char period[48];
    snprintf(period, sizeof period, "%s", txt(x, "period_label"));
    const char *v[] = {txt(x, "name"), txt(x, "unit"), period, txt(x, "value"), txt(g, "value"), txt(g, "basis"),
                       txt(x, "share"), txt(t, "text"), txt(t, "progress"), txt(t, "time"), txt(t, "status_label"),
                       txt(t, "rule"), txt(x, "department_name")};
    sheet_out_row(o, v);
  }
  const json_t *lv = json_object_get(board, "livelihood");
  snprintf(head, sizeof head, "%lld年惠民实事", (long long)json_integer_value(json_object_get(board, "year")));
  sheet_out_begin(o, &lv_sheet, head);
  json_array_foreach(json_object_get(lv, "by_dept"), i, x) {
    const char *dept = txt(json_object_get(x, "dept"), "code");
    Buf why = {0};
    json_t *b;
    json_array_foreach(json_object_get(lv, "projects_behind"), j, b) {
      if (strcmp(txt(json_object_get(b, "dept"), "code"), dept) != 0) continue;
      buf_appendf(&why, "%s%s：%s", why.n ? "；" : "", txt(b, "title"), txt(b, "status_reason"));
    }
    char n[4][24];
    const char *keys[] = {"total", "on_track", "behind", "done"};
    for (int k = 0; k < 4; k++) snprintf(n[k], sizeof n[k], "%lld", (long long)json_integer_value(json_object_get(x, keys[k])));
    const char *v[] = {txt(json_object_get(x, "dept"), "name"), n[0], n[1], n[2], n[3], txt(x, "progress"), buf_cstr(&why)};
    sheet_out_row(o, v);
    buf_free(&why);
  }
  sheet_out_begin(o, &pan_sheet, "各领域");
  json_t *p;
  json_array_foreach(json_object_get(board, "panels"), i, p) {
    json_array_foreach(json_object_get(p, "figures"), j, x) {
      const char *v[18] = {txt(p, "title"), txt(x, "name"), txt(x, "unit"), txt(x, "value"), txt(x, "previous"),
                           txt(x, "growth")};
      for (int m = 0; m < 12; m++) {
        const char *mv = json_string_value(json_array_get(json_object_get(x, "months"), (size_t)m));
        v[6 + m] = mv ? mv : "";
      }
      sheet_out_row(o, v);
    }
  }
  return sheet_out_end(o, out, e) < 0 ? -1 : 0;
}
