/*
** api_livelihood.c — 惠民实事 over HTTP (livelihood.h): the yearly list with
** computed status, milestones, progress, monthly reports, evidence (the
** uploads of /api/v1/uploads), citizens' ratings with moderation, and the
** public page's data (no login).
*/
#include "http.h"
#include "api.h"
#include "../base/cal.h"
#include "../domain/livelihood.h"

#include <string.h>

/* The officials who act on their department's projects, and administrators. */
#define WRITERS (ROLE_CLERK | ROLE_APPROVER | ROLE_POLICY | ROLE_INVEST | ROLE_ADMIN)
#define OFFICIALS (WRITERS | ROLE_LEADER | ROLE_AUDITOR)

/* year_arg() reads ?year= (this year by default) into *y. */
static int year_arg(Req *r, int *y) {
  char today[11];
  int64_t v;
  time_today_cn(today);
  if (req_query_int(r, "year", (today[0] - '0') * 1000 + (today[1] - '0') * 100 + (today[2] - '0') * 10 + (today[3] - '0'),
                    2000, 2100, &v))
    return -1;
  *y = (int)v;
  return 0;
}

static int list(Req *r) {
  Err e = {0};
  LvQuery q = {.category = req_query(r, "category"), .dept = req_query(r, "dept"), .status = req_query(r, "status")};
  if (year_arg(r, &q.year)) return r->status;
  return req_answer(r, 200, livelihood_list(r->store, &r->user, &q, &e), &e);
}

static int summary(Req *r) {
  Err e = {0};
  int y;
  if (year_arg(r, &y)) return r->status;
  return req_answer(r, 200, livelihood_summary(r->store, &r->user, y, &e), &e);
}

static int public_list(Req *r) {
  Err e = {0};
  int y;
  if (year_arg(r, &y)) return r->status;
  return req_answer(r, 200, livelihood_public(r->store, y, &e), &e);
}

static int get(Req *r) {
  Err e = {0};
  return req_answer(r, 200, livelihood_get(r->store, &r->user, req_param(r, "code"), &e), &e);
}

static int create(Req *r) {
  Err e = {0};
  return req_answer(r, 201, livelihood_create(r->store, &r->user, r->json, &e), &e);
}

static int edit(Req *r) {
  Err e = {0};
  return req_answer(r, 200, livelihood_edit(r->store, &r->user, req_param(r, "code"), r->json, &e), &e);
}

static int milestone_add(Req *r) {
  Err e = {0};
  return req_answer(r, 201, livelihood_milestone_add(r->store, &r->user, req_param(r, "code"), r->json, &e), &e);
}

static int milestone_reach(Req *r) {
  Err e = {0};
  int64_t id;
  if (req_param_id(r, "id", &id)) return r->status;
  return req_answer(r, 200, livelihood_milestone_reach(r->store, &r->user, req_param(r, "code"), id, r->json, &e),
                    &e);
}

static int progress(Req *r) {
  Err e = {0};
  return req_answer(r, 201, livelihood_progress_add(r->store, &r->user, req_param(r, "code"), r->json, &e), &e);
}

static int report(Req *r) {
  Err e = {0};
  return req_answer(r, 201, livelihood_report_add(r->store, &r->user, req_param(r, "code"), r->json, &e), &e);
}

static int behind(Req *r) {
  Err e = {0};
  return req_answer(r, 200, livelihood_behind(r->store, &r->user, &e), &e);
}

static int comment(Req *r) {
  Err e = {0};
  return req_answer(r, 201, livelihood_comment_add(r->store, &r->user, req_param(r, "code"), r->json, &e), &e);
}

static int comments(Req *r) {
  Err e = {0};
  return req_answer(r, 200, livelihood_comments(r->store, &r->user, req_query(r, "state"), &e), &e);
}

static int moderate(Req *r) {
  Err e = {0};
  int64_t id;
  if (req_param_id(r, "id", &id)) return r->status;
  return req_answer(r, 200, livelihood_moderate(r->store, &r->user, id, r->json, &e), &e);
}

static const Route routes[] = {
    {"GET", "/api/v1/public/livelihood", public_list, R_PUBLIC, 0, 0,
     "惠民实事公开页（无需登录）：当年已公开的项目、进度、状态、里程碑与审核通过的评价（评价人姓名脱敏）",
     "The public page of 惠民实事 (no login): the year's published projects, progress, status, milestones and "
     "approved comments (names masked)"},
    {"GET", "/api/v1/livelihood/projects", list, 0, 0, 0,
     "惠民实事年度清单（year、category 类别、dept 牵头部门、status 状态 on_track/behind/done）",
     "The year's livelihood projects (year, category, dept, status on_track/behind/done)"},
    {"GET", "/api/v1/livelihood/projects/{code}", get, 0, 0, 0,
     "惠民实事详情：里程碑、进度记录、月度报告、证明材料、评价", "A project: milestones, progress, reports, evidence, comments"},
    {"POST", "/api/v1/livelihood/projects", create, R_JSON, WRITERS, 32768,
     "新增惠民实事（统筹部门或管理员为任一部门；牵头部门为本部门）",
     "Add a project (the coordinating office or an administrator for any department; a lead department for its own)"},
    {"PATCH", "/api/v1/livelihood/projects/{code}", edit, R_JSON, WRITERS, 16384,
     "修改惠民实事（名称、类别、预算、目标、说明、是否公开；统筹部门可改牵头部门）",
     "Edit a project (title, category, budget, target, description, published; the coordinating office may change "
     "the lead department)"},
    {"POST", "/api/v1/livelihood/projects/{code}/milestones", milestone_add, R_JSON, WRITERS, 4096,
     "增加里程碑（名称、计划完成日期）", "Add a milestone (title, planned day)"},
    {"POST", "/api/v1/livelihood/projects/{code}/milestones/{id}/reach", milestone_reach, R_JSON, WRITERS, 8192,
     "登记里程碑完成（实际日期、说明、证明材料）", "Record a milestone reached (day, note, evidence)"},
    {"POST", "/api/v1/livelihood/projects/{code}/progress", progress, R_JSON, WRITERS, 8192,
     "登记进度（百分比、说明、证明材料）", "Record progress (percent, note, evidence)"},
    {"POST", "/api/v1/livelihood/projects/{code}/reports", report, R_JSON, WRITERS, 16384,
     "报送月度进展报告（月份、内容、进度、证明材料）", "File the monthly report (month, text, percent, evidence)"},
    {"GET", "/api/v1/livelihood/summary", summary, 0, OFFICIALS, 0,
     "惠民实事年度汇总（领导看板用）：各状态数量、平均进度、预算，按部门、按类别，滞后项目",
     "The year's figures of 惠民实事 (for the leaders' board): statuses, mean progress, budget, by department and "
     "category, the projects behind"},
    {"GET", "/api/v1/livelihood/behind", behind, 0, OFFICIALS, 0,
     "本部门滞后的惠民实事（领导、审计、管理员和统筹部门看全部）",
     "The department's projects behind (leaders, auditors, administrators and the coordinating office see all)"},
    {"POST", "/api/v1/livelihood/projects/{code}/comments", comment, R_JSON, ROLE_APPLICANT, 4096,
     "市民评价惠民实事（1–5 星与留言，牵头部门审核后公开）",
     "A citizen rates a project (1–5 and a comment, public once the lead department approves)"},
    {"GET", "/api/v1/livelihood/comments", comments, 0, WRITERS, 0, "待审核（或已审核）的评价：本部门项目的",
     "Comments to moderate (or moderated) on the department's projects"},
    {"POST", "/api/v1/livelihood/comments/{id}/moderate", moderate, R_JSON, WRITERS, 4096,
     "审核评价（approve 公开 / reject 不予公开并说明理由）", "Moderate a comment (approve, or reject with a reason)"},
};

void api_livelihood_register(void) { router_add(routes, XQ_COUNT(routes), "livelihood"); }
