/*
** api_meta.c — health, the OpenAPI document, departments, the working-day
** calendar, the audit log, metrics, the periodic jobs and the effective-dated
** parameters.
*/
#include "http.h"
#include "api.h"
#include "../domain/audit.h"
#include "../domain/params.h"
#include "../domain/schedule.h"
#include "../domain/workflow.h"
#include "../domain/workcal.h"

#include <stdlib.h>
#include <string.h>

void api_register_all(void) {
  static bool done;
  if (done) return;
  done = true;
  api_meta_register();
  api_session_register();
  api_registry_register();
  api_cases_register();
  api_catalog_register();
  api_docs_register();
  api_rules_register();
  api_bundles_register();
  api_invest_register();
  api_ladder_register();
  api_talent_register();
  api_talent_catalogue_register();
  api_indicator_register();
  api_livelihood_register();
  api_board_register();
  api_talent_feed_register();
}

static int health(Req *r) {
  return req_json(r, 200, json_pack("{s:s, s:s}", "status", "ok", "db",
                                    store_kind(r->store) == DB_PG ? "postgresql" : "sqlite"));
}

static int openapi(Req *r) { return req_json(r, 200, router_openapi()); }

static int departments(Req *r) {
  Err e = {0};
  json_t *items = accounts_departments(r->store, &e);
  if (!items) return req_error(r, &e);
  return req_json(r, 200, json_pack("{s:o}", "items", items));
}

static int audit(Req *r) {
  Err e = {0};
  int64_t after, limit;
  if (req_query_int(r, "after_id", 0, 0, INT64_MAX, &after) ||
      req_query_int(r, "limit", 100, 1, 1000, &limit))
    return r->status;
  json_t *items = audit_list(r->store, after, (int)limit, req_query(r, "action"),
                             req_query(r, "object"), &e);
  if (!items) return req_error(r, &e);
  return req_json(r, 200, json_pack("{s:o}", "items", items));
}

static int audit_head(Req *r) {
  Err e = {0};
  json_t *head = audit_head_json(r->store, &e);
  if (!head) return req_error(r, &e);
  return req_json(r, 200, head);
}

static int calendar_year(Req *r) {
  Err e = {0};
  char *end;
  long y = strtol(req_param(r, "year"), &end, 10);
  if (*end || y < 1949 || y > 2200)
    return req_fail(r, E_INVALID, "calendar.bad_year", "year", "年份无效", "Invalid year");
  json_t *out = workcal_year(r->store, (int)y, &e);
  if (!out) return req_error(r, &e);
  return req_json(r, 200, out);
}

static int calendar_import(Req *r) {
  Err e = {0};
  int years = 0;
  if (workcal_import(r->store, &r->user, buf_cstr(&r->body), r->body.n, "api", &years, &e))
    return req_error(r, &e);
  return req_json(r, 200, json_pack("{s:i}", "years", years));
}

/* metrics() adds the writer's group commits to the routes' figures: jobs
** per commit is how many writes share one flush to disk. */
static int metrics(Req *r) {
  int64_t commits = 0, jobs = 0;
  json_t *o = metrics_json();
  store_write_stats(r->store, &commits, &jobs);
  json_object_set_new(o, "writer", json_pack("{s:I, s:I}", "commits", (json_int_t)commits, "jobs",
                                             (json_int_t)jobs));
  json_object_set_new(o, "statements", json_integer(store_statements()));
  json_object_set_new(o, "scan_steps", json_integer(store_scan_steps()));
  return req_json(r, 200, o);
}

static int workflows(Req *r) { return req_json(r, 200, json_pack("{s:o}", "items", workflows_json())); }

static int schedule(Req *r) {
  Err e = {0};
  json_t *items = schedule_list(r->store, &e);
  if (!items) return req_error(r, &e);
  return req_json(r, 200, json_pack("{s:o}", "items", items));
}

static int params_list(Req *r) {
  Err e = {0};
  json_t *items = params_versions(r->store, req_query(r, "scope"), req_query(r, "key"), &e);
  if (!items) return req_error(r, &e);
  return req_json(r, 200, json_pack("{s:o}", "items", items));
}

static int params_put(Req *r) {
  Err e = {0};
  return req_answer(r, 200,
                    params_set(r->store, &r->user, req_param(r, "scope"), req_param(r, "key"),
                               json_object_get(r->json, "value"),
                               json_string_value(json_object_get(r->json, "effective_from")), &e),
                    &e);
}

static const Route routes[] = {
    {"GET", "/healthz", health, R_PUBLIC, 0, 0, "健康检查", "Health check"},
    {"GET", "/api/v1/openapi.json", openapi, R_PUBLIC, 0, 0, "本接口文档（OpenAPI 3）",
     "This API's OpenAPI 3 document"},
    {"GET", "/api/v1/departments", departments, R_PUBLIC, 0, 0, "部门列表", "Departments"},
    {"GET", "/api/v1/calendar/{year}", calendar_year, R_PUBLIC, 0, 0, "某年的工作日历",
     "The working-day calendar of a year"},
    {"PUT", "/api/v1/calendar", calendar_import, 0, ROLE_ADMIN, 256 * 1024,
     "导入节假日安排（CSV：date,kind,name）", "Import a holiday schedule (CSV: date,kind,name)"},
    {"GET", "/api/v1/audit", audit, 0, ROLE_AUDITOR | ROLE_ADMIN, 0, "审计日志",
     "The audit log"},
    {"GET", "/api/v1/audit/head", audit_head, 0, ROLE_AUDITOR | ROLE_ADMIN, 0,
     "审计链的最新检查点：签名的链头一行（请另行保存），及验签所需的公钥",
     "The audit chain's newest checkpoint: the signed head as one line (keep it elsewhere), and the public key to check it"},
    {"GET", "/api/v1/metrics", metrics, 0, ROLE_AUDITOR | ROLE_ADMIN, 0,
     "各接口的服务端耗时（自启动起；p50/p90/p99，毫秒）与写线程的合并提交次数",
     "Server-side time to answer, per route, since start (p50/p90/p99, ms), and the writer's group commits"},
    {"GET", "/api/v1/params", params_list, 0,
     ROLE_CLERK | ROLE_APPROVER | ROLE_POLICY | ROLE_INVEST | ROLE_LEADER | ROLE_AUDITOR | ROLE_ADMIN, 0,
     "按日期生效的参数及其各版本（?scope=&key=）", "Effective-dated parameters and their versions (?scope=&key=)"},
    {"PUT", "/api/v1/params/{scope}/{key}", params_put, R_JSON, ROLE_ADMIN, 16384,
     "新增参数版本：{value, effective_from}（今天或以后生效，不改写历史）",
     "Add a version of a parameter: {value, effective_from} (today or later; the past is never rewritten)"},
    {"GET", "/api/v1/workflows", workflows, R_PUBLIC, 0, 0, "各类记录的流程：状态、操作及可执行的角色",
     "The workflows of every kind of record: states, moves and who may take them"},
    {"GET", "/api/v1/schedule", schedule, 0, ROLE_AUDITOR | ROLE_ADMIN, 0,
     "定时任务：周期、下次运行时间与上次运行结果", "Periodic jobs: period, next run and the last run's result"},
};

void api_meta_register(void) { router_add(routes, XQ_COUNT(routes), "meta"); }
