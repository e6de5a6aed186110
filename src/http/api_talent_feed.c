/*
** api_talent_feed.c — what talent records take from elsewhere, over HTTP
** (talent_feed.h): the 双一流 lists and a school's class as of a day, and
** the monthly 社保 and 个税 feeds imported and exported as Excel or CSV.
*/
#include "http.h"
#include "api.h"
#include "../domain/talent_feed.h"

#include <string.h>

#define XLSX_TYPE "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#define READERS (ROLE_POLICY | ROLE_ADMIN | ROLE_LEADER | ROLE_AUDITOR)
#define OFFICERS (ROLE_POLICY | ROLE_ADMIN)

/* schools() is the lists, or with ?name= the class of that school as of
** ?on= (the latest edition when not given). */
static int schools(Req *r) {
  Err e = {0};
  const char *name = req_query(r, "name"), *on = req_query(r, "on");
  if (!name) {
    json_t *all = talent_schools();
    if (!all) return req_fail(r, E_INTERNAL, "talent.no_schools", NULL, "缺少双一流名单数据", "The 双一流 lists are missing");
    return req_answer(r, 200, all, &e);
  }
  TalentSchool t;
  int rc = talent_school_lookup(name, on && *on ? on : NULL, &t);
  if (rc < 0)
    return req_fail(r, E_INVALID, "talent.bad_date", "on", "日期无效（YYYY-MM-DD）", "Not a date (YYYY-MM-DD)");
  json_t *out = json_pack("{s:s,s:s?,s:o,s:o,s:o,s:o,s:o,s:o}", "name", name, "on", on && *on ? on : NULL, "found",
                          json_boolean(rc == 1), "class", rc == 1 ? json_string(t.cls) : json_null(), "group",
                          rc == 1 && t.group[0] ? json_string(t.group) : json_null(), "listed_as",
                          rc == 1 ? json_string(t.name) : json_null(), "edition",
                          t.edition[0] ? json_string(t.edition) : json_null(), "document",
                          t.edition[0] ? json_string(t.document) : json_null());
  return req_answer(r, 200, out, &e);
}

/* import() reads a feed's file from the raw body; dry_run=1 only checks. A
** refusal answers 400 import.rejected with errors: [{line, field, code,
** message, message_en}]. */
static int import(Req *r) {
  ErrList all = {0};
  Err e = {.all = &all};
  const char *dry = req_query(r, "dry_run");
  bool dry_run = dry && (strcmp(dry, "1") == 0 || strcmp(dry, "true") == 0);
  json_t *out = talent_feed_import(r->store, &r->user, req_param(r, "feed"), r->body.a ? r->body.a : "", r->body.n,
                                   dry_run, &e);
  int status = req_answer(r, dry_run ? 200 : 201, out, &e);
  errlist_free(&all);
  return status;
}

static int export(Req *r) {
  Err e = {0};
  const char *format = req_query(r, "format"), *feed = req_param(r, "feed");
  if (format && *format && strcmp(format, "csv") != 0 && strcmp(format, "xlsx") != 0)
    return req_fail(r, E_INVALID, "request.bad_param", "format", "format 应为 xlsx 或 csv", "format must be xlsx or csv");
  bool xlsx = !format || !*format || strcmp(format, "xlsx") == 0;
  Buf b = {0};
  if (talent_feed_export(r->store, &r->user, feed, xlsx, &b, &e)) {
    buf_free(&b);
    return req_error(r, &e);
  }
  bool tax = strcmp(feed, "income_tax") == 0;
  char name[96], ascii[64];
  snprintf(name, sizeof name, "%s.%s", tax ? "个人所得税缴纳记录" : "社会保险缴纳记录", xlsx ? "xlsx" : "csv");
  snprintf(ascii, sizeof ascii, "talent-%s.%s", tax ? "income-tax" : "social-insurance", xlsx ? "xlsx" : "csv");
  req_disposition(r, "attachment", ascii, name);
  return req_bytes(r, 200, xlsx ? XLSX_TYPE : "text/csv; charset=utf-8", &b);
}

static const Route routes[] = {
    {"GET", "/api/v1/talent/schools", schools, 0, ROLE_ALL, 0,
     "双一流建设高校名单（2017、2022 两版）；给出 name（及 on）则查该校在当日适用的名单中的类别",
     "The 双一流 lists (2017 and 2022); with name (and on), that school's class on the list in force that day"},
    {"POST", "/api/v1/talent/feeds/{feed}/import", import, 0, OFFICERS, 8u << 20,
     "导入社保（social_insurance）或个税（income_tax）月度缴纳记录（Excel 或 CSV；逐行核对人员登记，全部通过才写入；dry_run=1 只检查）",
     "Import monthly social-insurance or income-tax records (Excel or CSV; every row checked against the registry, written only when all pass; dry_run=1 checks only)"},
    {"GET", "/api/v1/talent/feeds/{feed}/export", export, 0, READERS, 0,
     "导出社保或个税月度缴纳记录（Excel 或 CSV，可再导入）",
     "Export the monthly social-insurance or income-tax records (Excel or CSV, imports back)"},
};

void api_talent_feed_register(void) { router_add(routes, XQ_COUNT(routes), "talent"); }
