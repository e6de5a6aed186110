/*
** api_invest.c — 招商 over HTTP: projects, their stage moves with evidence,
** and funds in place (invest.h).
*/
#include "http.h"
#include "api.h"
#include "../domain/invest.h"

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

static int fund_add(Req *r) {
  Err e = {0};
  return req_answer(r, 201, invest_fund_add(r->store, &r->user, req_param(r, "code"), r->json, &e), &e);
}

static int activity_add(Req *r) {
  Err e = {0};
  return req_answer(r, 201, invest_activity_create(r->store, &r->user, r->json, &e), &e);
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
};

void api_invest_register(void) { router_add(routes, XQ_COUNT(routes), "invest"); }
