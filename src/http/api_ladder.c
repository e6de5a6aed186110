/*
** api_ladder.c — 企业梯度培育 over HTTP (ladder.h): the rungs and their
** rule versions, a check of any facts, an enterprise's ladder (自评 for
** the enterprise itself), facts by year with their ledger, titles, visits,
** the 培育库 and the ladder's figures.
*/
#include "http.h"
#include "api.h"
#include "../domain/ladder.h"

#include <string.h>

#define XLSX_TYPE "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

/* Who reaches which route; the domain then checks the department's rungs
** and the applicant's own enterprise. */
#define READERS (ROLE_POLICY | ROLE_ADMIN | ROLE_LEADER | ROLE_AUDITOR)
#define OFFICERS (ROLE_POLICY | ROLE_ADMIN)

static int rungs(Req *r) {
  Err e = {0};
  if (ladder_sync(store_reader(r->store), &e)) return req_error(r, &e);
  json_t *items = ladder_rungs(r->store, &e);
  return req_answer(r, 200, items ? json_pack("{s:o}", "items", items) : NULL, &e);
}

static int rule_text(Req *r) {
  int64_t v;
  Err e = {0};
  if (req_param_id(r, "version", &v)) return r->status;
  if (ladder_sync(store_reader(r->store), &e)) return req_error(r, &e);
  char *text = ladder_rule_text(req_param(r, "rung"), (int)v);
  if (!text)
    return req_fail(r, E_NOTFOUND, "ladder.no_rule", "version", "没有这一版本的认定标准", "No such version of the rung");
  json_t *out = json_pack("{s:s,s:I,s:s}", "rung", req_param(r, "rung"), "version", (json_int_t)v, "source", text);
  free(text);
  return req_answer(r, 200, out, &e);
}

static int rule_add(Req *r) {
  Err e = {0};
  return req_answer(r, 201, ladder_rule_add(r->store, &r->user, r->json, &e), &e);
}

/* check() runs every rung in force on {on} (today by default) over any
** {facts}: a firm's what-if, or an officer's. */
static int check(Req *r) {
  Err e = {0};
  char today[11];
  const json_t *on = json_object_get(r->json, "on");
  if (!json_is_object(r->json) || !json_is_object(json_object_get(r->json, "facts")) ||
      json_object_size(r->json) > 2u - !on)
    return req_fail(r, E_INVALID, "ladder.bad_facts", "facts", "请提交 {facts: {...}, on?: \"YYYY-MM-DD\"}",
                    "Give {facts: {...}, on?: \"YYYY-MM-DD\"}");
  if (on && !json_is_string(on))
    return req_fail(r, E_INVALID, "ladder.bad_date", "on", "日期应为字符串 YYYY-MM-DD", "The date must be a string YYYY-MM-DD");
  if (ladder_sync(store_reader(r->store), &e)) return req_error(r, &e);
  return req_answer(r, 200,
                    ladder_check(json_object_get(r->json, "facts"), on ? json_string_value(on) : time_today_cn(today),
                                 &e),
                    &e);
}

static int enterprise(Req *r) {
  Err e = {0};
  return req_answer(r, 200, ladder_enterprise(r->store, &r->user, req_param(r, "uscc"), req_query(r, "on"), &e), &e);
}

static int facts_put(Req *r) {
  Err e = {0};
  return req_answer(r, 200,
                    ladder_facts_put(r->store, &r->user, req_param(r, "uscc"), req_param(r, "year"), r->json, &e), &e);
}

static int fact_keys(Req *r) {
  Err e = {0};
  return req_answer(r, 200, json_pack("{s:o}", "items", ladder_fact_keys()), &e);
}

static int visit_add(Req *r) {
  Err e = {0};
  return req_answer(r, 201, ladder_visit_add(r->store, &r->user, req_param(r, "uscc"), r->json, &e), &e);
}

static int titles(Req *r) {
  Err e = {0};
  int64_t page, per, within;
  if (req_query_int(r, "page", 1, 1, 100000, &page) || req_query_int(r, "per_page", 20, 1, 100, &per) ||
      req_query_int(r, "within", 90, 1, 3650, &within))
    return r->status;
  LadderTitleQuery q = {.rung = req_query(r, "rung"), .state = req_query(r, "state"), .uscc = req_query(r, "uscc"),
                        .within = (int)within, .page = (int)page, .per_page = (int)per};
  return req_answer(r, 200, ladder_titles(r->store, &r->user, &q, &e), &e);
}

static int title_add(Req *r) {
  Err e = {0};
  return req_answer(r, 201, ladder_title_add(r->store, &r->user, r->json, &e), &e);
}

static int title_renew(Req *r) {
  Err e = {0};
  int64_t id;
  if (req_param_id(r, "id", &id)) return r->status;
  return req_answer(r, 201, ladder_title_renew(r->store, &r->user, id, r->json, &e), &e);
}

static int title_revoke(Req *r) {
  Err e = {0};
  int64_t id;
  if (req_param_id(r, "id", &id)) return r->status;
  return req_answer(r, 200, ladder_title_revoke(r->store, &r->user, id, r->json, &e), &e);
}

static int pool(Req *r) {
  Err e = {0};
  int64_t page, per;
  if (req_query_int(r, "page", 1, 1, 100000, &page) || req_query_int(r, "per_page", 20, 1, 100, &per))
    return r->status;
  return req_answer(r, 200, ladder_pool(r->store, &r->user, req_query(r, "rung"), (int)page, (int)per, &e), &e);
}

/* year() reads ?year= (last year by default). */
static int year(Req *r, int64_t *y) {
  char today[11];
  int64_t last = atoi(time_today_cn(today)) - 1;
  return req_query_int(r, "year", last, 2000, last + 1, y);
}

static int stats(Req *r) {
  Err e = {0};
  int64_t y;
  if (year(r, &y)) return r->status;
  return req_answer(r, 200, ladder_stats(r->store, &r->user, (int)y, &e), &e);
}

/* file() answers a ledger as CSV or Excel (format=csv|xlsx). */
static int file(Req *r, bool stats_sheet) {
  Err e = {0};
  int64_t y;
  const char *format = req_query(r, "format");
  if (year(r, &y)) return r->status;
  if (format && *format && strcmp(format, "csv") != 0 && strcmp(format, "xlsx") != 0)
    return req_fail(r, E_INVALID, "request.bad_param", "format", "format 应为 csv 或 xlsx", "format must be csv or xlsx");
  bool xlsx = format && *format ? strcmp(format, "xlsx") == 0 : stats_sheet;
  Buf b = {0};
  int rc = stats_sheet ? ladder_stats_export(r->store, &r->user, (int)y, xlsx, &b, &e)
                       : ladder_facts_export(r->store, &r->user, (int)y, xlsx, &b, &e);
  if (rc) {
    buf_free(&b);
    return req_error(r, &e);
  }
  char name[96], ascii[64];
  const char *ext = xlsx ? "xlsx" : "csv";
  snprintf(name, sizeof name, "%s-%lld.%s", stats_sheet ? "企业梯度培育统计" : "企业年度数据", (long long)y, ext);
  snprintf(ascii, sizeof ascii, "ladder-%s-%lld.%s", stats_sheet ? "stats" : "facts", (long long)y, ext);
  req_disposition(r, "attachment", ascii, name);
  return req_bytes(r, 200, xlsx ? XLSX_TYPE : "text/csv; charset=utf-8", &b);
}

static int facts_export(Req *r) { return file(r, false); }
static int stats_export(Req *r) { return file(r, true); }

static int facts_import(Req *r) {
  ErrList all = {0};
  Err e = {.all = &all};
  const char *dry = req_query(r, "dry_run");
  json_t *out = ladder_facts_import(r->store, &r->user, r->body.a ? r->body.a : "", r->body.n,
                                    dry && (strcmp(dry, "1") == 0 || strcmp(dry, "true") == 0), &e);
  int status = req_answer(r, 200, out, &e);
  errlist_free(&all);
  return status;
}

static const Route routes[] = {
    {"GET", "/api/v1/ladder/rungs", rungs, 0, ROLE_ALL, 0, "梯度培育各级及其认定标准版本",
     "The ladder's rungs and their rule versions"},
    {"GET", "/api/v1/ladder/rules/{rung}/{version}", rule_text, 0, READERS, 0, "认定标准某一版本的规则文本",
     "The text of a rung's rule version"},
    {"POST", "/api/v1/ladder/rules", rule_add, R_JSON, ROLE_ADMIN, 65536 + 1024,
     "发布认定标准的新版本（规则文本，今天或以后生效）", "Publish a new version of a rung's rule (effective today or later)"},
    {"POST", "/api/v1/ladder/check", check, R_JSON, ROLE_ALL, 16384, "按某日有效的认定标准逐级判断（自测）",
     "Check facts against every rung in force on a day (what-if)"},
    {"GET", "/api/v1/ladder/enterprises/{uscc}", enterprise, 0, READERS | ROLE_APPLICANT, 0,
     "企业的梯度：年度数据、资质、逐级判断与差距（企业自评）", "An enterprise's ladder: facts, titles, every rung's verdict and gaps"},
    {"PUT", "/api/v1/ladder/enterprises/{uscc}/facts/{year}", facts_put, R_JSON, OFFICERS, 16384,
     "登记企业某年度的数据（注明来源）", "Record an enterprise's figures of a year (with their source)"},
    {"POST", "/api/v1/ladder/enterprises/{uscc}/visits", visit_add, R_JSON, OFFICERS, 8192, "登记走访辅导",
     "Record a visit to an enterprise"},
    {"GET", "/api/v1/ladder/facts/keys", fact_keys, 0, READERS | ROLE_APPLICANT, 0, "企业年度数据的各项",
     "The figures a year's record holds"},
    {"GET", "/api/v1/ladder/facts/export", facts_export, 0, READERS, 0, "导出企业年度数据（CSV 或 Excel）",
     "Export the enterprises' figures of a year (CSV or Excel)"},
    {"POST", "/api/v1/ladder/facts/import", facts_import, 0, OFFICERS, 8u << 20,
     "导入企业年度数据（逐行检查，全部通过才写入；dry_run=1 只检查）",
     "Import enterprises' figures (every row checked, written only when all pass; dry_run=1 checks only)"},
    {"GET", "/api/v1/ladder/titles", titles, 0, READERS, 0, "资质登记（持有、将到期、已到期、已撤销）",
     "Titles (held, expiring, lapsed, revoked)"},
    {"POST", "/api/v1/ladder/titles", title_add, R_JSON, OFFICERS, 4096, "登记资质认定", "Record a title"},
    {"POST", "/api/v1/ladder/titles/{id}/renew", title_renew, R_JSON, OFFICERS, 4096, "登记重新认定（续期）",
     "Record a title's renewal"},
    {"POST", "/api/v1/ladder/titles/{id}/revoke", title_revoke, R_JSON, OFFICERS, 4096, "撤销资质（注明原因）",
     "Revoke a title (with the reason)"},
    {"GET", "/api/v1/ladder/pool", pool, 0, READERS, 0, "培育库：按距下一级的差距排序",
     "The candidate pool, nearest to the next rung first"},
    {"GET", "/api/v1/ladder/stats", stats, 0, READERS, 0, "梯度培育统计：各级持有、新增、晋级、到期、撤销，研发机构",
     "The ladder's figures: held, granted, moves up, lapses, revocations, R&D institutions"},
    {"GET", "/api/v1/ladder/stats/export", stats_export, 0, READERS, 0, "导出梯度培育统计（Excel 或 CSV）",
     "Export the ladder's figures (Excel or CSV)"},
};

void api_ladder_register(void) { router_add(routes, XQ_COUNT(routes), "ladder"); }
