/*
** api_cases.c — the case engine over HTTP: filing, moves, queues, notices,
** ratings, agents, the inbox, tasks, the SLA scan and
** statistics. Who may take which move on which case is the engine's
** decision (cases.c); the route roles here only keep out roles that never
** take part.
*/
#include "http.h"
#include "api.h"
#include "../base/jsonx.h"
#include "../domain/cases.h"
#include "../domain/docs.h"
#include "../domain/notify.h"
#include "../domain/registry.h"
#include "../domain/task.h"
#include "../domain/workbook.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define FILERS (ROLE_APPLICANT | ROLE_CLERK | ROLE_ADMIN)
/* Investment officers too: on the children of a bundle they help with (帮办), as its applicant. */
#define ACTORS (ROLE_APPLICANT | ROLE_CLERK | ROLE_APPROVER | ROLE_ADMIN | ROLE_INVEST)
#define OFFICIALS (ROLE_CLERK | ROLE_APPROVER | ROLE_ADMIN | ROLE_LEADER | ROLE_AUDITOR)
#define WATCHERS (ROLE_CLERK | ROLE_APPROVER | ROLE_ADMIN | ROLE_LEADER | ROLE_AUDITOR)

/* create(), update() and the move submit check a whole form: their errors
** come all at once (errors[], base.h). */
static int create(Req *r) {
  ErrList all = {0};
  Err e = {.all = &all};
  int status = req_answer(r, 201, cases_create(r->store, &r->user, r->json, &e), &e);
  errlist_free(&all);
  return status;
}

static int update(Req *r) {
  ErrList all = {0};
  Err e = {.all = &all};
  int status = req_answer(r, 200, cases_update(r->store, &r->user, req_param(r, "no"), r->json, &e), &e);
  errlist_free(&all);
  return status;
}

static int last_contact(Req *r) {
  Err e = {0};
  return req_answer(r, 200, cases_last_contact(r->store, &r->user, req_query(r, "party"), &e), &e);
}

static int get(Req *r) {
  Err e = {0};
  return req_answer(r, 200, cases_get(r->store, &r->user, req_param(r, "no"), &e), &e);
}

static int act(Req *r) {
  ErrList all = {0};
  Err e = {.all = &all};
  int status = req_answer(r, 200, cases_act(r->store, &r->user, req_param(r, "no"), req_param(r, "action"), r->json, &e),
                          &e);
  errlist_free(&all);
  return status;
}

/* list_query() reads the filters of the list and of its exports (queue,
** state, item, q, party, from, to). */
static CaseQuery list_query(Req *r) {
  return (CaseQuery){.queue = req_query(r, "queue"), .state = req_query(r, "state"), .item = req_query(r, "item"),
                     .q = req_query(r, "q"), .party = req_query(r, "party"), .from = req_query(r, "from"),
                     .to = req_query(r, "to")};
}

static int list(Req *r) {
  Err e = {0};
  int64_t page, per;
  if (req_query_int(r, "page", 1, 1, 100000, &page) || req_query_int(r, "per_page", 20, 1, 100, &per))
    return r->status;
  CaseQuery q = list_query(r);
  q.page = (int)page;
  q.per_page = (int)per;
  return req_answer(r, 200, cases_list(r->store, &r->user, &q, &e), &e);
}

/* read_whole() appends the bytes of the file at path to b: 0, or -1. */
static int read_whole(Buf *b, const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) return -1;
  char chunk[65536];
  size_t got;
  while ((got = fread(chunk, 1, sizeof chunk, f)) > 0) buf_append(b, chunk, got);
  int rc = ferror(f) ? -1 : 0;
  fclose(f);
  return rc;
}

/* export_named() answers the bytes of b as a download 办件清单-YYYYMMDD.ext
** (today in Beijing; cases-YYYYMMDD.ext in ASCII) of type, with the number
** of cases in X-Rows. */
static int export_named(Req *r, Buf *b, const char *ext, const char *type, int64_t rows) {
  char iso[32], name[64], ascii[48], n[24];
  time_iso(now_ms(), iso);
  snprintf(name, sizeof name, "办件清单-%.4s%.2s%.2s.%s", iso, iso + 5, iso + 8, ext);
  snprintf(ascii, sizeof ascii, "cases-%.4s%.2s%.2s.%s", iso, iso + 5, iso + 8, ext);
  req_disposition(r, "attachment", ascii, name);
  snprintf(n, sizeof n, "%lld", (long long)rows);
  req_header(r, "X-Rows", n);
  return req_bytes(r, 200, type, b);
}

/* export_xlsx() answers the cases of the list's filters in the caller's
** scope as an Excel workbook (workbook_cases()). */
static int export_xlsx(Req *r) {
  Err e = {0};
  CaseQuery q = list_query(r);
  char path[] = "/tmp/xinqu-cases-XXXXXX";
  int fd = mkstemp(path);
  if (fd < 0) return req_fail(r, E_INTERNAL, "export.tmpfile", NULL, "无法创建临时文件", "Cannot create a temporary file");
  close(fd);
  int64_t rows = 0;
  Buf b = {0};
  int status;
  if (workbook_cases(r->store, &r->user, &q, path, &rows, &e)) status = req_error(r, &e);
  else if (read_whole(&b, path))
    status = req_fail(r, E_INTERNAL, "export.read", NULL, "无法读取导出文件", "Cannot read the export");
  else
    status = export_named(r, &b, "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", rows);
  buf_free(&b);
  unlink(path);
  return status;
}

/* export_csv() answers the same rows as CSV for people (workbook_cases_csv()). */
static int export_csv(Req *r) {
  Err e = {0};
  CaseQuery q = list_query(r);
  int64_t rows = 0;
  Buf b = {0};
  int status = workbook_cases_csv(r->store, &r->user, &q, &b, &rows, &e)
                   ? req_error(r, &e)
                   : export_named(r, &b, "csv", "text/csv; charset=utf-8", rows);
  buf_free(&b);
  return status;
}

static int machine(Req *r) { return req_json(r, 200, cases_machine()); }

static int queues(Req *r) {
  Err e = {0};
  return req_answer(r, 200, cases_queues(r->store, &r->user, &e), &e);
}

/* notice_disposition() names a notice's PDF by what it is, e.g.
** 准予许可决定书-JP20261204000004.pdf (req_disposition()). */
static void notice_disposition(Req *r, const json_t *d) {
  const char *title = json_string_value(json_object_get(d, "title"));
  const char *no = json_string_value(json_object_get(d, "case_no"));
  if (!title) title = docs_notice_title(docs_notice_parse(json_string_value(json_object_get(d, "kind"))));
  char name[400], ascii[48];
  snprintf(name, sizeof name, "%s-%s.pdf", title && *title ? title : "文书", no ? no : "");
  snprintf(ascii, sizeof ascii, "notice-%.30s.pdf",
           no && strspn(no, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") == strlen(no) ? no : "");
  req_disposition(r, "inline", ascii, name);
}

/* follow_url() appends the address of the web page of case {no} (where its
** applicant follows it) on the configured public address. */
static void follow_url(Req *r, Buf *out) {
  buf_appendf(out, "%s/cases/%s", r->public_url, req_param(r, "no"));
}

/* qr_svg() answers the QR code of that address, for a case the caller may
** see (the kiosk shows it with the receipt). */
static int qr_svg(Req *r) {
  Err e = {0};
  json_t *c = cases_get(r->store, &r->user, req_param(r, "no"), &e);
  if (!c) return req_error(r, &e);
  json_decref(c);
  Buf url = {0}, svg = {0};
  follow_url(r, &url);
  int rc = docs_qr_svg(buf_cstr(&url), &svg, &e);
  buf_free(&url);
  if (rc) {
    buf_free(&svg);
    return req_error(r, &e);
  }
  return req_bytes(r, 200, "image/svg+xml", &svg);
}

static int notice_pdf(Req *r) {
  Err e = {0};
  int64_t id;
  if (req_param_id(r, "id", &id)) return r->status;
  json_t *d = cases_notice_data(r->store, &r->user, req_param(r, "no"), id, &e);
  if (!d) return req_error(r, &e);
  /* A receipt (办事回执) carries the QR code of the page to follow the case
  ** at, on the configured public address (never a request's Host). */
  if (strcmp(json_string_value(json_object_get(d, "kind")) ? json_string_value(json_object_get(d, "kind")) : "",
             docs_notice_name(NOTICE_RECEIPT)) == 0) {
    Buf url = {0};
    follow_url(r, &url);
    json_object_set_new(d, "follow_url", json_string(buf_cstr(&url)));
    buf_free(&url);
  }
  Buf pdf = {0};
  int rc = docs_notice_pdf(d, &pdf, &e);
  if (rc) {
    json_decref(d);
    buf_free(&pdf);
    return req_error(r, &e);
  }
  notice_disposition(r, d);
  json_decref(d);
  return req_bytes(r, 200, "application/pdf", &pdf);
}

static int rate(Req *r) {
  Err e = {0};
  json_t *score = json_object_get(r->json, "score");
  if (!json_is_integer(score))
    return req_fail(r, E_INVALID, "request.bad_type", "score", "评分应为 1–5 的整数", "score must be an integer 1 to 5");
  return req_answer(r, 200,
                cases_rate(r->store, &r->user, req_param(r, "no"), (int)json_integer_value(score),
                           json_string_value(json_object_get(r->json, "comment")), &e),
                &e);
}

static int agents(Req *r) {
  Err e = {0};
  return req_answer(r, 200, registry_agent_list(r->store, &r->user, &e), &e);
}

static int agent_add(Req *r) {
  Err e = {0};
  char agent[68], party[40];
  bool created = false;
  JField f[] = {{"agent", J_STR, true, agent, sizeof agent, 1, 64, NULL},
                {"agent_party", J_STR, true, party, sizeof party, 1, 39, NULL}};
  if (jsonx_decode(r->json, f, (int)XQ_COUNT(f), false, &e)) return req_error(r, &e);
  json_t *g = registry_agent_grant(r->store, &r->user, agent, party, &created, &e);
  return req_answer(r, created ? 201 : 200, g, &e);
}

static int agent_del(Req *r) {
  Err e = {0};
  int64_t id;
  if (req_param_id(r, "id", &id)) return r->status;
  if (registry_agent_revoke(r->store, &r->user, id, &e)) return req_error(r, &e);
  return req_json(r, 200, json_pack("{s:b}", "revoked", 1));
}

static int inbox(Req *r) {
  Err e = {0};
  int64_t page, per;
  if (req_query_int(r, "page", 1, 1, 100000, &page) || req_query_int(r, "per_page", 20, 1, 100, &per))
    return r->status;
  return req_answer(r, 200, notify_inbox(r->store, &r->user, (int)page, (int)per, &e), &e);
}

static int inbox_read(Req *r) {
  Err e = {0};
  int64_t id;
  if (req_param_id(r, "id", &id)) return r->status;
  if (notify_read(r->store, &r->user, id, &e)) return req_error(r, &e);
  return req_json(r, 200, json_pack("{s:b}", "read", 1));
}

static int inbox_read_all(Req *r) {
  Err e = {0};
  int64_t n;
  if (notify_read_all(r->store, &r->user, &n, &e)) return req_error(r, &e);
  return req_json(r, 200, json_pack("{s:I}", "read", (json_int_t)n));
}

static int tasks(Req *r) {
  Err e = {0};
  int64_t page, per;
  if (req_query_int(r, "page", 1, 1, 100000, &page) || req_query_int(r, "per_page", 50, 1, 200, &per))
    return r->status;
  return req_answer(r, 200,
                task_list(r->store, &r->user, req_query(r, "kind"), req_query(r, "state"), (int)page, (int)per, &e),
                &e);
}

static int task_kinds_get(Req *r) {
  Err e = {0};
  json_t *items = task_kinds(r->store, &e);
  return items ? req_json(r, 200, json_pack("{s:o}", "items", items)) : req_error(r, &e);
}

static int task_done(Req *r) {
  Err e = {0};
  int64_t id;
  if (req_param_id(r, "id", &id)) return r->status;
  const char *result = json_string_value(json_object_get(r->json, "result"));
  const char *note = json_string_value(json_object_get(r->json, "note"));
  return req_answer(r, 200, task_complete(r->store, &r->user, id, result, note, &e), &e);
}

static int overdue(Req *r) {
  Err e = {0};
  int64_t page, per;
  if (req_query_int(r, "page", 1, 1, 100000, &page) || req_query_int(r, "per_page", 50, 1, 200, &per))
    return r->status;
  return req_answer(r, 200, cases_overdue(r->store, &r->user, req_query(r, "dept"), (int)page, (int)per, &e), &e);
}

static int scan(Req *r) {
  Err e = {0};
  ScanReport rep;
  if (cases_scan(r->store, now_ms(), &rep, &e)) return req_error(r, &e);
  return req_json(r, 200, json_pack("{s:I,s:I,s:I}", "warned", (json_int_t)rep.warned, "overdue",
                                    (json_int_t)rep.overdue, "lapsed", (json_int_t)rep.lapsed));
}

static int stats(Req *r) {
  Err e = {0};
  return req_answer(r, 200, cases_stats(r->store, req_query(r, "by"), &e), &e);
}

static const Route routes[] = {
    {"POST", "/api/v1/cases", create, R_JSON, FILERS, 65536, "提交或暂存办件申请", "File a case"},
    {"GET", "/api/v1/cases", list, 0, 0, 0, "办件列表（queue/state/item/q/party/from/to 过滤，分页；一件事的子办件附 bundle 及其时限）",
     "Cases I may see (queue, state, item, q, party, from, to filters; paged; a bundle's child carries its bundle and clock)"},
    {"GET", "/api/v1/cases/machine", machine, R_PUBLIC, 0, 0, "办件状态机：各状态、各操作及可执行的角色",
     "The case state machine: states, moves and the roles that may take each"},
    {"GET", "/api/v1/cases/export.xlsx", export_xlsx, 0, OFFICIALS, 0,
     "导出办件清单为 Excel（与列表相同的筛选与可见范围，最多 50000 件，超出则拒绝）",
     "The cases of the list's filters and scope as an Excel workbook (at most 50,000; more are refused)"},
    {"GET", "/api/v1/cases/export.csv", export_csv, 0, OFFICIALS, 0,
     "导出办件清单为 CSV（UTF-8 带 BOM、中文表头；筛选与范围同列表，最多 50000 件）",
     "The same cases as CSV (UTF-8 with a BOM, Chinese titles; the list's filters and scope, at most 50,000)"},
    {"GET", "/api/v1/cases/queues", queues, 0, OFFICIALS, 0, "本部门各队列数量", "Queue counts of my department"},
    {"GET", "/api/v1/cases/{no}", get, 0, 0, 0, "办件详情、时间线、文书与可进行的操作",
     "A case with its timeline, notices and the moves I may take"},
    {"PATCH", "/api/v1/cases/{no}", update, R_JSON, FILERS, 65536, "修改申请草稿（表单、材料、联系信息；仅草稿状态）",
     "Change a draft (form, materials, contact; only while a draft)"},
    {"GET", "/api/v1/me/contact", last_contact, 0, FILERS, 0, "本账号上一次申请填写的联系信息（可按 party 过滤），用于预填表单",
     "The contact of the last case this account filed (party filter), to fill the form with"},
    {"POST", "/api/v1/cases/{no}/actions/{action}", act, R_JSON, ACTORS, 65536, "对办件进行操作（受理、容缺受理、补正、审批、发证……）",
     "Take a move on a case (accept, accept_rongque, request_correction, approve, issue …)"},
    {"GET", "/api/v1/cases/{no}/notices/{id}/pdf", notice_pdf, 0, 0, 0, "下载文书 PDF（办事回执附查看进度的二维码）",
     "A notice as PDF (a receipt with the QR code to follow the case)"},
    {"GET", "/api/v1/cases/{no}/qr", qr_svg, 0, 0, 0, "查看办件进度页面地址的二维码（SVG）",
     "The QR code (SVG) of the page to follow the case at"},
    {"POST", "/api/v1/cases/{no}/rating", rate, R_JSON, ROLE_APPLICANT, 4096, "好差评", "Rate a closed case"},
    {"GET", "/api/v1/agents", agents, 0, ROLE_APPLICANT, 0, "代办授权列表", "My agencies"},
    {"POST", "/api/v1/agents", agent_add, R_JSON, ROLE_APPLICANT, 1024, "授权代办人", "Authorise an agent"},
    {"DELETE", "/api/v1/agents/{id}", agent_del, 0, ROLE_APPLICANT, 0, "撤销代办授权", "Revoke an agency"},
    {"GET", "/api/v1/inbox", inbox, 0, 0, 0, "我的消息（分页，含未读数 unread）", "My inbox (paged, with the unread count)"},
    {"POST", "/api/v1/inbox/read-all", inbox_read_all, 0, 0, 0, "全部标为已读", "Mark every message read"},
    {"POST", "/api/v1/inbox/{id}/read", inbox_read, 0, 0, 0, "标记已读", "Mark a message read"},
    /* Policy officers too: their department's tasks (资质到期提醒 of the ladder). */
    {"GET", "/api/v1/tasks", tasks, 0, OFFICIALS | ROLE_POLICY, 0, "本部门任务（核查、事后抽查、整改、资质到期提醒），分页",
     "Tasks of my department (verify, postcheck, rectify, title expiry), paged"},
    {"GET", "/api/v1/tasks/kinds", task_kinds_get, 0, OFFICIALS | ROLE_POLICY, 0, "任务类型及其结果",
     "Task kinds and their results"},
    {"POST", "/api/v1/tasks/{id}/complete", task_done, R_JSON, ROLE_CLERK | ROLE_APPROVER | ROLE_POLICY | ROLE_ADMIN, 4096,
     "办结任务", "Complete a task"},
    {"GET", "/api/v1/sla/overdue", overdue, 0, WATCHERS, 0, "本部门超期办件", "Overdue cases of a department"},
    {"POST", "/api/v1/sla/scan", scan, 0, ROLE_ADMIN, 0, "立即运行到期预警扫描", "Run the deadline scan now"},
    {"GET", "/api/v1/stats/cases", stats, 0, WATCHERS, 0, "按部门或事项的按时率、网办率、零跑动率、满意度",
     "On-time, online, zero-visit rates and ratings per department or item"},
};

void api_cases_register(void) { router_add(routes, XQ_COUNT(routes), "cases"); }
