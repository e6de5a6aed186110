/*
** api_indicator.c — 指标 over HTTP (indicator.h): the catalogue, an
** indicator's values of a year (growth, share of the city, versions), a
** period's version history, entering and correcting a value, targets, the
** year's report (what `xinqu indicator report` prints), import and export.
** Every official, leader and auditor reads; the domain decides who enters
** (the indicator's department) and who sets targets (indicator/target_depts).
*/
#include "http.h"
#include "api.h"
#include "../domain/indicator.h"

#include <stdlib.h>
#include <string.h>

#define XLSX_TYPE "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#define READERS (ROLE_OFFICIAL | ROLE_AUDITOR)
#define WRITERS (ROLE_POLICY | ROLE_INVEST | ROLE_APPROVER | ROLE_ADMIN)

/* year() reads ?year= (this year by default) into *y; -1 after answering 400. */
static int year(Req *r, int *y) {
  char today[11];
  int64_t v;
  if (req_query_int(r, "year", atoi(time_today_cn(today)), 1900, 2999, &v)) return -1;
  *y = (int)v;
  return 0;
}

static int list(Req *r) {
  Err e = {0};
  json_t *items = indicator_list(r->store, &r->user, &e);
  return req_answer(r, 200, items ? json_pack("{s:o}", "items", items) : NULL, &e);
}

static int detail(Req *r) {
  Err e = {0};
  int y;
  if (year(r, &y)) return r->status;
  return req_answer(r, 200, indicator_get(r->store, &r->user, req_param(r, "code"), y, &e), &e);
}

static int values(Req *r) {
  Err e = {0};
  int y;
  if (year(r, &y)) return r->status;
  return req_answer(r, 200, indicator_values(r->store, &r->user, req_param(r, "code"), y, &e), &e);
}

static int versions(Req *r) {
  Err e = {0};
  json_t *v = indicator_versions(r->store, &r->user, req_param(r, "code"), req_query(r, "period"), req_query(r, "scope"), &e);
  return req_answer(r, 200, v ? json_pack("{s:o}", "items", v) : NULL, &e);
}

static int enter(Req *r) {
  Err e = {0};
  return req_answer(r, 201, indicator_enter(r->store, &r->user, req_param(r, "code"), r->json, &e), &e);
}

static int target_set(Req *r) {
  Err e = {0};
  return req_answer(r, 201, indicator_target_set(r->store, &r->user, req_param(r, "code"), r->json, &e), &e);
}

static int targets(Req *r) {
  Err e = {0};
  int y;
  if (year(r, &y)) return r->status;
  return req_answer(r, 200, indicator_targets(r->store, &r->user, y, &e), &e);
}

static int report(Req *r) {
  Err e = {0};
  int y;
  if (year(r, &y)) return r->status;
  return req_answer(r, 200, indicator_report(r->store, &r->user, y, &e), &e);
}

/* export() writes a year's values (targets: its targets) as Excel or CSV. */
static int export_what(Req *r, bool tgt) {
  Err e = {0};
  int y;
  const char *format = req_query(r, "format");
  if (format && *format && strcmp(format, "csv") != 0 && strcmp(format, "xlsx") != 0)
    return req_fail(r, E_INVALID, "request.bad_param", "format", "format 应为 xlsx 或 csv", "format must be xlsx or csv");
  if (year(r, &y)) return r->status;
  bool xlsx = !format || !*format || strcmp(format, "xlsx") == 0;
  Buf b = {0};
  if ((tgt ? indicator_targets_export : indicator_export)(r->store, &r->user, y, xlsx, &b, &e)) {
    buf_free(&b);
    return req_error(r, &e);
  }
  char name[64], ascii[64];
  snprintf(name, sizeof name, "%s-%d.%s", tgt ? "年度目标" : "指标数值", y, xlsx ? "xlsx" : "csv");
  snprintf(ascii, sizeof ascii, "%s-%d.%s", tgt ? "targets" : "indicators", y, xlsx ? "xlsx" : "csv");
  req_disposition(r, "attachment", ascii, name);
  return req_bytes(r, 200, xlsx ? XLSX_TYPE : "text/csv; charset=utf-8", &b);
}

static int export(Req *r) { return export_what(r, false); }
static int targets_export(Req *r) { return export_what(r, true); }

/* import() reads values from the raw body (Excel or CSV); dry_run=1 only
** checks. A refusal answers 400 import.rejected with errors by line. */
static int import(Req *r) {
  ErrList all = {0};
  Err e = {.all = &all};
  const char *dry = req_query(r, "dry_run");
  bool dry_run = dry && (strcmp(dry, "1") == 0 || strcmp(dry, "true") == 0);
  json_t *out = (strstr(r->path, "/targets/") ? indicator_targets_import : indicator_import)(
      r->store, &r->user, r->body.a ? r->body.a : "", r->body.n, dry_run, &e);
  int status = req_answer(r, dry_run ? 200 : 201, out, &e);
  errlist_free(&all);
  return status;
}

/* Literal paths before {code}: the router takes the first match. */
static const Route routes[] = {
    {"GET", "/api/v1/indicators", list, 0, READERS, 0, "指标目录（代码、单位、频率、累计或时点、填报部门、来源）",
     "The indicator catalogue (code, unit, frequency, cumulative or point, department, source)"},
    {"GET", "/api/v1/indicators/report", report, 0, READERS, 0, "年度经济运行指标：数值、增速（官方或计算）、占全市比重",
     "A year's indicators: value, growth (official or computed), share of the city"},
    {"GET", "/api/v1/indicators/targets", targets, 0, READERS, 0,
     "年度目标：进度、时间进度与状态（绿、黄、红）及判定规则", "A year's targets: progress against target and time, status and the rule"},
    {"GET", "/api/v1/indicators/export", export, 0, READERS, 0, "导出一年的指标数值（Excel 或 CSV，可再导入）",
     "Export a year's values (Excel or CSV, imports back)"},
    {"POST", "/api/v1/indicators/import", import, 0, WRITERS, 8u << 20,
     "导入指标数值（Excel 或 CSV；逐行检查，全部通过才写入；dry_run=1 只检查）",
     "Import values (Excel or CSV; every row checked, written only when all pass; dry_run=1 checks only)"},
    {"GET", "/api/v1/indicators/targets/export", targets_export, 0, READERS, 0, "导出一年的目标（Excel 或 CSV，可再导入）",
     "Export a year's targets (Excel or CSV, imports back)"},
    {"POST", "/api/v1/indicators/targets/import", import, 0, WRITERS, 1u << 20,
     "导入年度目标（发展和改革局、统计局或管理员；逐行检查，全部通过才写入）",
     "Import targets (发改局, 统计局 or administrators; every row checked, written only when all pass)"},
    {"GET", "/api/v1/indicators/{code}", detail, 0, READERS, 0, "一个指标：一年各期数值、当期值、增速、占比与目标",
     "One indicator: a year's periods with values, growth, share and targets"},
    {"GET", "/api/v1/indicators/{code}/values", values, 0, READERS, 0, "一个指标一年各期的数值（含当月/当季值、同比、占全市比重）",
     "An indicator's values of a year (with the period's own value, growth, share of the city)"},
    {"GET", "/api/v1/indicators/{code}/versions", versions, 0, READERS, 0, "一期数值的各个版本（更正记录）",
     "Every version of one period's value (corrections)"},
    {"POST", "/api/v1/indicators/{code}/values", enter, R_JSON, WRITERS, 8192,
     "录入或更正一期数值（本部门的指标；更正为新版本，旧版本保留）",
     "Enter or correct a period's value (the department's own indicators; a correction is a new version)"},
    {"POST", "/api/v1/indicators/{code}/targets", target_set, R_JSON, WRITERS, 8192,
     "设定年度目标（发展和改革局、统计局或管理员）", "Set a year's target (发改局, 统计局 or administrators)"},
};

void api_indicator_register(void) {
  indicator_feeds_register();
  router_add(routes, XQ_COUNT(routes), "indicator");
}
