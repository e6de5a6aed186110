/*
** api_invest.c — 招商 over HTTP: projects, their stage moves with evidence,
** and funds in place (invest.h).
*/
#include "http.h"
#include "api.h"
#include "../domain/invest.h"

#include <string.h>

#define XLSX_TYPE "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

#define READERS (ROLE_INVEST | ROLE_ADMIN | ROLE_LEADER | ROLE_AUDITOR)
#define OFFICERS (ROLE_INVEST | ROLE_ADMIN)

static int project_add(Req *r) {
  Err e = {0};
  return req_answer(r, 201, invest_project_create(r->store, &r->user, r->json, &e), &e);
}

static int project_list(Req *r) {
  Err e = {0};
  int64_t page, per;
  if (req_query_int(r, "page", 1, 1, 100000, &page) || req_query_int(r, "per_page", 20, 1, 100, &per))
    return r->status;
  InvestQuery q = {.stage = req_query(r, "stage"), .owner = req_query(r, "owner"), .q = req_query(r, "q"),
                   .page = (int)page, .per_page = (int)per};
  return req_answer(r, 200, invest_project_list(r->store, &r->user, &q, &e), &e);
}

static int project_get(Req *r) {
  Err e = {0};
  return req_answer(r, 200, invest_project_get(r->store, &r->user, req_param(r, "code"), &e), &e);
}

static int project_move(Req *r) {
  Err e = {0};
  return req_answer(r, 200,
                    invest_project_move(r->store, &r->user, req_param(r, "code"), req_param(r, "action"), r->json, &e),
                    &e);
}

static int bundle_file(Req *r) {
  Err e = {0};
  return req_answer(r, 201, invest_bundle_file(r->store, &r->user, req_param(r, "code"), r->json, &e), &e);
}

static int fund_add(Req *r) {
  Err e = {0};
  return req_answer(r, 201, invest_fund_add(r->store, &r->user, req_param(r, "code"), r->json, &e), &e);
}

static int activity_add(Req *r) {
  Err e = {0};
  return req_answer(r, 201, invest_activity_create(r->store, &r->user, r->json, &e), &e);
}

static int officers(Req *r) {
  Err e = {0};
  json_t *items = invest_officers(r->store, &r->user, &e);
  return req_answer(r, 200, items ? json_pack("{s:o}", "items", items) : NULL, &e);
}

static int activity_list(Req *r) {
  Err e = {0};
  int64_t page, per;
  if (req_query_int(r, "page", 1, 1, 100000, &page) || req_query_int(r, "per_page", 20, 1, 100, &per))
    return r->status;
  return req_answer(r, 200,
                    invest_activity_list(r->store, &r->user, req_query(r, "from"), req_query(r, "to"), (int)page,
                                         (int)per, &e),
                    &e);
}

static int report(Req *r) {
  Err e = {0};
  return req_answer(r, 200, invest_report(r->store, &r->user, req_query(r, "from"), req_query(r, "to"), &e), &e);
}

static int followup_add(Req *r) {
  Err e = {0};
  return req_answer(r, 201, invest_followup_add(r->store, &r->user, req_param(r, "code"), r->json, &e), &e);
}

static int followups_due(Req *r) {
  Err e = {0};
  return req_answer(r, 200, invest_followups_due(r->store, &r->user, &e), &e);
}

static int inquiry_add(Req *r) {
  Err e = {0};
  return req_answer(r, 201, invest_inquiry_add(r->store, &r->user, r->json, &e), &e);
}

static int inquiry_answer(Req *r) {
  Err e = {0};
  int64_t id;
  if (req_param_id(r, "id", &id)) return r->status;
  return req_answer(r, 200, invest_inquiry_answer(r->store, &r->user, id, r->json, &e), &e);
}

static int inquiry_list(Req *r) {
  Err e = {0};
  int64_t page, per;
  if (req_query_int(r, "page", 1, 1, 100000, &page) || req_query_int(r, "per_page", 20, 1, 100, &per))
    return r->status;
  return req_answer(r, 200, invest_inquiries(r->store, &r->user, req_query(r, "state"), (int)page, (int)per, &e), &e);
}

/* export() answers a ledger, the 签约项目一览表 or the report as a file
** (invest_export()): format=csv (default for ledgers) or xlsx. */
static int export(Req *r) {
  Err e = {0};
  const char *format = req_query(r, "format"), *what = req_param(r, "what");
  bool report = strcmp(what, "report") == 0 || strcmp(what, "signed") == 0;
  if (format && *format && strcmp(format, "csv") != 0 && strcmp(format, "xlsx") != 0)
    return req_fail(r, E_INVALID, "request.bad_param", "format", "format 应为 csv 或 xlsx", "format must be csv or xlsx");
  InvestExport q = {.xlsx = format && *format ? strcmp(format, "xlsx") == 0 : report,
                    .from = req_query(r, "from"), .to = req_query(r, "to"), .stage = req_query(r, "stage"),
                    .owner = req_query(r, "owner")};
  Buf b = {0};
  char name[64], iso[32], file[128], ascii[64];
  if (invest_export(r->store, &r->user, what, &q, &b, name, sizeof name, &e)) {
    buf_free(&b);
    return req_error(r, &e);
  }
  const char *ext = q.xlsx ? "xlsx" : "csv";
  time_iso(now_ms(), iso);
  snprintf(file, sizeof file, "%s-%.4s%.2s%.2s.%s", name, iso, iso + 5, iso + 8, ext);
  snprintf(ascii, sizeof ascii, "invest-%s-%.4s%.2s%.2s.%s", what, iso, iso + 5, iso + 8, ext);
  req_disposition(r, "attachment", ascii, file);
  return req_bytes(r, 200, q.xlsx ? XLSX_TYPE : "text/csv; charset=utf-8", &b);
}

/* import() reads a ledger from the raw body — CSV or an Excel workbook,
** told apart by their bytes — in one transaction or not at all
** (invest_import()); dry_run=1 only checks. A refusal answers 400
** import.rejected with errors: [{line, field, code, message, message_en}]. */
static int import(Req *r) {
  ErrList all = {0};
  Err e = {.all = &all};
  const char *dry = req_query(r, "dry_run");
  json_t *out = invest_import(r->store, &r->user, req_param(r, "what"), r->body.a ? r->body.a : "", r->body.n,
                              dry && (strcmp(dry, "1") == 0 || strcmp(dry, "true") == 0), &e);
  int status = req_answer(r, 200, out, &e);
  errlist_free(&all);
  return status;
}

static const Route routes[] = {
    {"POST", "/api/v1/invest/projects/{code}/followups", followup_add, R_JSON, OFFICERS, 8192,
     "登记走访跟进及下一步工作", "Record a follow-up and the next step"},
    {"GET", "/api/v1/invest/followups/due", followups_due, 0, READERS, 0, "下一步工作已过期的项目",
     "Projects whose next step is past its day"},
    {"POST", "/api/v1/invest/inquiries", inquiry_add, R_JSON, ROLE_INVEST, 8192, "登记来电来函（限期答复）",
     "Record an inquiry (answered within its working days)"},
    {"GET", "/api/v1/invest/inquiries", inquiry_list, 0, READERS, 0, "来电来函（待答复、逾期、已答复）",
     "Inquiries (open, overdue, answered)"},
    {"POST", "/api/v1/invest/inquiries/{id}/answer", inquiry_answer, R_JSON, OFFICERS, 8192, "答复来电来函",
     "Answer an inquiry"},
    {"POST", "/api/v1/invest/activities", activity_add, R_JSON, ROLE_INVEST, 8192, "登记招商活动",
     "Record an investment-promotion activity"},
    {"GET", "/api/v1/invest/officers", officers, 0, OFFICERS, 0, "本部门的招商专员（活动参加人员的选项）",
     "The department's investment officers (who may take part in an activity)"},
    {"GET", "/api/v1/invest/activities", activity_list, 0, READERS, 0, "招商活动列表（按日期）",
     "Investment-promotion activities (by date)"},
    {"GET", "/api/v1/invest/report", report, 0, READERS, 0,
     "招商报表：活动、签约、增速、到位资金及占全市比重、漏斗、各项比率与分组",
     "The investment report: activities, signings, growth, funds and city shares, funnel, rates, breakdowns"},
    {"POST", "/api/v1/invest/projects", project_add, R_JSON, OFFICERS, 16384, "登记招商项目（线索）",
     "Record an investment project (a lead)"},
    {"GET", "/api/v1/invest/projects", project_list, 0, READERS, 0, "招商项目列表（按阶段、负责人、名称）",
     "Investment projects (by stage, owner, name)"},
    {"GET", "/api/v1/invest/projects/{code}", project_get, 0, READERS, 0, "招商项目：投资方、到位资金、推进过程",
     "A project: investors, funds in place, timeline"},
    {"POST", "/api/v1/invest/projects/{code}/moves/{action}", project_move, R_JSON, OFFICERS, 4096,
     "推进项目阶段（洽谈、签约、注册、开工、投产、达产、中止），附证明", "Move a project's stage, with its evidence"},
    {"POST", "/api/v1/invest/projects/{code}/funds", fund_add, R_JSON, OFFICERS, 4096, "登记到位资金",
     "Record funds in place"},
    /* 帮办: the domain admits only the project's department's officers, for its investors. */
    {"POST", "/api/v1/invest/projects/{code}/bundle", bundle_file, R_JSON, ROLE_INVEST, 65536,
     "为项目的投资方办理企业开办（帮办：一表申请，投资方为申请人，注册落地时关联其登记的新企业）",
     "File the start-up bundle (企业开办) for one of the project's investors (帮办: the investor is the applicant; "
     "注册 links the entity it registers)"},
    {"GET", "/api/v1/invest/export/{what}", export, 0, READERS, 0,
     "导出招商台账（activities 活动、projects 项目、funds 到位资金：CSV 或 Excel）、签约项目一览表（signed）或报表（report，Excel）",
     "Export a ledger (activities, projects, funds: CSV or Excel), the signed-projects list (signed) or the report "
     "(report, Excel)"},
    {"POST", "/api/v1/invest/import/{what}", import, 0, OFFICERS, 8u << 20,
     "导入招商台账（CSV 或 Excel；逐行检查，全部通过才写入；dry_run=1 只检查）",
     "Import a ledger (CSV or Excel; every row checked, written only when all pass; dry_run=1 checks only)"},
};

void api_invest_register(void) { router_add(routes, XQ_COUNT(routes), "invest"); }
