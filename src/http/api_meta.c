/*
** api_meta.c — health, the OpenAPI document, departments, the working-day
** calendar and the audit log (for auditors).
*/
#include "http.h"
#include "api.h"
#include "../domain/audit.h"
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

/* int_query() reads a whole-number query parameter in [lo, hi]. */
static int int_query(Req *r, const char *name, int64_t dflt, int64_t lo, int64_t hi, int64_t *out) {
  const char *v = req_query(r, name);
  char *end;
  if (!v || !*v) {
    *out = dflt;
    return 0;
  }
  long long x = strtoll(v, &end, 10);
  if (*end || x < lo || x > hi) {
    char msg[2][160];
    snprintf(msg[0], sizeof msg[0], "参数 %s 应为 %lld–%lld 的整数", name, (long long)lo, (long long)hi);
    snprintf(msg[1], sizeof msg[1], "Parameter %s must be a whole number in %lld–%lld", name,
             (long long)lo, (long long)hi);
    req_fail(r, E_INVALID, "request.bad_param", name, msg[0], msg[1]);
    return -1;
  }
  *out = x;
  return 0;
}

static int audit(Req *r) {
  Err e = {0};
  int64_t after, limit;
  if (int_query(r, "after_id", 0, 0, INT64_MAX, &after) ||
      int_query(r, "limit", 100, 1, 1000, &limit))
    return r->status;
  json_t *items = audit_list(r->store, after, (int)limit, req_query(r, "action"),
                             req_query(r, "object"), &e);
  if (!items) return req_error(r, &e);
  return req_json(r, 200, json_pack("{s:o}", "items", items));
}

static int calendar_year(Req *r) {
  Err e = {0};
  char *end;
  long y = strtol(req_param(r, "year"), &end, 10);
  if (*end || y < 1949 || y > 2200)
    return req_fail(r, E_INVALID, "calendar.bad_year", "year", "年份无效", "Invalid year");
  Cal *c = workcal_load(r->store, &e);
  if (!c) return req_error(r, &e);
  json_t *days = json_array();
  int first, last;
  cal_from_ymd((int)y, 1, 1, &first);
  cal_from_ymd((int)y, 12, 31, &last);
  for (int d = first; d <= last; d++) {
    char ds[11];
    cal_format(d, ds);
    json_array_append_new(days, json_pack("{s:s, s:b, s:s}", "date", ds, "workday",
                                          cal_is_workday(c, d), "name", cal_name(c, d)));
  }
  json_t *out = json_pack("{s:i, s:b, s:o}", "year", (int)y, "known", cal_year_known(c, (int)y),
                          "days", days);
  cal_free(c);
  return req_json(r, 200, out);
}

static int calendar_import(Req *r) {
  Err e = {0};
  int years = 0;
  if (workcal_import(r->store, &r->user, buf_cstr(&r->body), r->body.n, "api", &years, &e))
    return req_error(r, &e);
  return req_json(r, 200, json_pack("{s:i}", "years", years));
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
};

void api_meta_register(void) { router_add(routes, XQ_COUNT(routes), "meta"); }
