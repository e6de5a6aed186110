/*
** api_talent.c — 人才政策兑现 over HTTP (talent.h, talent_pay.h): the
** policies, a check of any facts (what-if), a person's talent record,
** entitlements and their instalments, the budget ledger.
*/
#include "http.h"
#include "api.h"
#include "../domain/talent.h"
#include "../domain/talent_pay.h"
#include "../domain/talent_whatif.h"
#include "../domain/talent_scan.h"
#include "../domain/talent_feed.h"

#include <string.h>

/* Who reaches which route; the domain then checks the talent department and
** the person's own records. */
#define READERS (ROLE_POLICY | ROLE_ADMIN | ROLE_LEADER | ROLE_AUDITOR)
#define OFFICERS (ROLE_POLICY | ROLE_ADMIN)

/* SYNCED: what policy officers published (rules, parameters) is in force
** for this request (talent_sync()): for the handlers whose domain function
** does not sync itself (those that decide, review or scan do). */
#define SYNCED(r, e)                                                                                                 \
  do {                                                                                                               \
    if (talent_sync(store_reader((r)->store), &(e))) return req_error((r), &(e));                                   \
  } while (0)

static int policies(Req *r) {
  Err e = {0};
  SYNCED(r, e);
  return req_answer(r, 200, json_pack("{s:o}", "items", talent_policies()), &e);
}

/* check() runs {policy}'s rule in force on {on} (today by default) over any
** {facts}: a what-if for anyone. */
static int check(Req *r) {
  Err e = {0};
  SYNCED(r, e);
  char today[11];
  const json_t *on = json_object_get(r->json, "on"), *policy = json_object_get(r->json, "policy");
  if (!json_is_object(json_object_get(r->json, "facts")) || !json_is_string(policy) || json_object_size(r->json) > 3u - !on)
    return req_fail(r, E_INVALID, "talent.bad_facts", "facts", "请提交 {policy, facts: {...}, on?: \"YYYY-MM-DD\"}",
                    "Give {policy, facts: {...}, on?: \"YYYY-MM-DD\"}");
  if (on && !json_is_string(on))
    return req_fail(r, E_INVALID, "talent.bad_date", "on", "日期应为字符串 YYYY-MM-DD", "The date must be a string YYYY-MM-DD");
  json_t *facts = talent_facts_school(json_object_get(r->json, "facts")); /* a school named gives its class */
  json_t *out = talent_check(facts, json_string_value(policy), on ? json_string_value(on) : time_today_cn(today), NULL, &e);
  json_decref(facts);
  return req_answer(r, 200, out, &e);
}

/* whatif() measures {policy, params: {key: value}, from?} over the whole
** register beside the rules in force; nothing is written. */
static int whatif(Req *r) {
  Err e = {0};
  return req_answer(r, 200, talent_whatif(r->store, &r->user, r->json, &e), &e);
}

static int record(Req *r) {
  Err e = {0};
  return req_answer(r, 200, talent_record(r->store, &r->user, req_param(r, "number"), req_query(r, "on"), &e), &e);
}

static int record_put(Req *r) {
  Err e = {0};
  return req_answer(r, 200, talent_record_put(r->store, &r->user, req_param(r, "number"), r->json, &e), &e);
}

static int entitle(Req *r) {
  Err e = {0};
  return req_answer(r, 201, talent_entitle(r->store, &r->user, r->json, &e), &e);
}

static int entitlements(Req *r) {
  Err e = {0};
  int64_t page, per;
  if (req_query_int(r, "page", 1, 1, 100000, &page) || req_query_int(r, "per_page", 20, 1, 100, &per))
    return r->status;
  return req_answer(r, 200,
                    talent_entitlements(r->store, &r->user, req_query(r, "policy"), req_query(r, "state"), (int)page,
                                        (int)per, &e),
                    &e);
}

static int entitlement(Req *r) {
  Err e = {0};
  int64_t id;
  if (req_param_id(r, "id", &id)) return r->status;
  return req_answer(r, 200, talent_entitlement(r->store, &r->user, id, &e), &e);
}

static int review(Req *r) {
  Err e = {0};
  int64_t id;
  if (req_param_id(r, "id", &id)) return r->status;
  return req_answer(r, 200, talent_instalment_review(r->store, &r->user, id, &e), &e);
}

static int recover(Req *r) {
  Err e = {0};
  int64_t id;
  if (req_param_id(r, "id", &id)) return r->status;
  return req_answer(r, 200, talent_instalment_recover(r->store, &r->user, id, r->json, &e), &e);
}

static int run(Req *r) {
  Err e = {0};
  return req_answer(r, 200, talent_instalment_run(r->store, &r->user, r->json, &e), &e);
}

static int budget_add(Req *r) {
  Err e = {0};
  return req_answer(r, 201, talent_budget_add(r->store, &r->user, r->json, &e), &e);
}

static int ledger(Req *r) {
  Err e = {0};
  int64_t year, before;
  char today[11];
  if (req_query_int(r, "year", atoi(time_today_cn(today)), 2000, 2100, &year) ||
      req_query_int(r, "before", 0, 0, INT64_MAX, &before))
    return r->status;
  return req_answer(r, 200, talent_ledger(r->store, &r->user, req_query(r, "policy"), (int)year, before, &e), &e);
}

static int bank_put(Req *r) {
  Err e = {0};
  return req_answer(r, 200, talent_bank_put(r->store, &r->user, req_param(r, "number"), r->json, &e), &e);
}

static int batch_create(Req *r) {
  Err e = {0};
  return req_answer(r, 201, talent_batch_create(r->store, &r->user, r->json, &e), &e);
}

static int batches(Req *r) {
  Err e = {0};
  return req_answer(r, 200, talent_batches(r->store, &r->user, &e), &e);
}

static int batch(Req *r) {
  Err e = {0};
  int64_t id;
  if (req_param_id(r, "id", &id)) return r->status;
  return req_answer(r, 200, talent_batch(r->store, &r->user, id, &e), &e);
}

#define XLSX_TYPE "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

/* batch_export() is the bank's file of a batch: Excel by default, or
** ?format=csv. */
static int batch_export(Req *r) {
  Err e = {0};
  int64_t id;
  const char *format = req_query(r, "format");
  if (req_param_id(r, "id", &id)) return r->status;
  if (format && *format && strcmp(format, "csv") != 0 && strcmp(format, "xlsx") != 0)
    return req_fail(r, E_INVALID, "request.bad_param", "format", "format 应为 csv 或 xlsx", "format must be csv or xlsx");
  bool xlsx = !format || !*format || strcmp(format, "xlsx") == 0;
  Buf b = {0};
  if (talent_batch_export(r->store, &r->user, id, xlsx, &b, &e)) {
    buf_free(&b);
    return req_error(r, &e);
  }
  char name[96], ascii[64];
  snprintf(name, sizeof name, "人才补贴代发批次-%lld.%s", (long long)id, xlsx ? "xlsx" : "csv");
  snprintf(ascii, sizeof ascii, "talent-batch-%lld.%s", (long long)id, xlsx ? "xlsx" : "csv");
  req_disposition(r, "attachment", ascii, name);
  return req_bytes(r, 200, xlsx ? XLSX_TYPE : "text/csv; charset=utf-8", &b);
}

static int batch_result(Req *r) {
  ErrList all = {0};
  Err e = {.all = &all};
  int64_t id;
  if (req_param_id(r, "id", &id)) return r->status;
  json_t *out = talent_batch_result(r->store, &r->user, id, r->body.a ? r->body.a : "", r->body.n, &e);
  int status = req_answer(r, 200, out, &e);
  errlist_free(&all);
  return status;
}

static int scan(Req *r) {
  Err e = {0};
  return req_answer(r, 200, talent_scan(r->store, &r->user, r->json, &e), &e);
}

static int confirm(Req *r) {
  Err e = {0};
  int64_t id;
  if (req_param_id(r, "id", &id)) return r->status;
  return req_answer(r, 200, talent_confirm(r->store, &r->user, id, r->json, &e), &e);
}

static int stats(Req *r) {
  Err e = {0};
  int64_t year;
  char today[11];
  if (req_query_int(r, "year", atoi(time_today_cn(today)) - 1, 2000, 2100, &year)) return r->status;
  return req_answer(r, 200, talent_stats(r->store, &r->user, (int)year, &e), &e);
}

static int rule_text(Req *r) {
  int64_t v;
  Err e = {0};
  if (req_param_id(r, "version", &v)) return r->status;
  SYNCED(r, e);
  char *text = v <= INT32_MAX ? talent_rule_text(req_param(r, "policy"), (int)v) : NULL;
  if (!text)
    return req_fail(r, E_NOTFOUND, "talent.no_rule", "version", "没有这一版本的政策规则", "No such version of the policy's rule");
  json_t *out = json_pack("{s:s,s:I,s:s}", "policy", req_param(r, "policy"), "version", (json_int_t)v, "source", text);
  free(text);
  return req_answer(r, 200, out, &e);
}

static int rule_add(Req *r) {
  Err e = {0};
  return req_answer(r, 201, talent_rule_add(r->store, &r->user, r->json, &e), &e);
}

static int params(Req *r) {
  Err e = {0};
  SYNCED(r, e);
  const char *policy = req_param(r, "policy");
  json_t *h = talent_policy_name(policy) ? talent_params(policy) : NULL;
  if (!h)
    return req_fail(r, E_NOTFOUND, "talent.bad_policy", "policy", "没有这项人才政策", "No such talent policy");
  return req_answer(r, 200, json_pack("{s:s,s:o}", "policy", policy, "params", h), &e);
}

static int param_set(Req *r) {
  Err e = {0};
  return req_answer(r, 201, talent_param_set(r->store, &r->user, req_param(r, "policy"), r->json, &e), &e);
}

static const Route routes[] = {
    {"GET", "/api/v1/talent/policies", policies, 0, ROLE_ALL, 0, "人才政策及其规则版本",
     "The talent policies and their rule versions"},
    {"GET", "/api/v1/talent/policies/{policy}/params", params, 0, ROLE_ALL, 0, "政策的参数及其各版本（含生效日期）",
     "A policy's parameters, every version with the day it took effect"},
    {"POST", "/api/v1/talent/policies/{policy}/params", param_set, R_JSON, OFFICERS, 4096,
     "调整政策参数：新增一个版本（今天或以后生效，已作出的决定不变）",
     "Change a policy's parameter: a new version (effective today or later; decisions made keep theirs)"},
    {"GET", "/api/v1/talent/rules/{policy}/{version}", rule_text, 0, ROLE_ALL, 0, "政策规则某一版本的文本",
     "The text of a policy's rule version"},
    {"POST", "/api/v1/talent/rules", rule_add, R_JSON, OFFICERS, 65536 + 1024,
     "发布政策规则的新版本（规则文本，今天或以后生效）", "Publish a new version of a policy's rule (effective today or later)"},
    {"POST", "/api/v1/talent/check", check, R_JSON, ROLE_ALL, 65536, "按某日有效的政策规则与参数判断（自测）",
     "Check facts against a policy in force on a day (what-if)"},
    {"POST", "/api/v1/talent/whatif", whatif, R_JSON, READERS, 16384,
     "参数调整测算：全部人才档案逐年的预算影响，与现行参数对照（不写入）",
     "What a change of parameters would cost over the whole register, year by year, beside the rules in force (writes nothing)"},
    {"GET", "/api/v1/talent/persons/{number}", record, 0, READERS | ROLE_APPLICANT, 0,
     "人才档案：数据、各项政策的判断、已享受的政策", "A person's talent record: facts, every policy's verdict, entitlements"},
    {"PUT", "/api/v1/talent/persons/{number}", record_put, R_JSON, OFFICERS, 65536, "登记人才档案数据（注明来源）",
     "Record a person's talent facts (with their sources)"},
    {"POST", "/api/v1/talent/entitlements", entitle, R_JSON, OFFICERS, 4096, "按政策认定享受资格并生成分期",
     "Decide an entitlement under a policy and make its instalments"},
    {"GET", "/api/v1/talent/entitlements", entitlements, 0, READERS | ROLE_APPLICANT, 0, "享受政策的名单（个人只见本人）",
     "Entitlements (a person sees its own)"},
    {"GET", "/api/v1/talent/entitlements/{id}", entitlement, 0, READERS | ROLE_APPLICANT, 0,
     "一项享受政策：认定依据与各期", "An entitlement: its decision and instalments"},
    {"POST", "/api/v1/talent/instalments/{id}/review", review, R_JSON, OFFICERS, 1024,
     "到期复核一期补贴：仍符合则核准（不超预算），否则停发", "Re-check an instalment when due: approve it within the budget, or stop"},
    {"POST", "/api/v1/talent/instalments/{id}/recover", recover, R_JSON, OFFICERS, 4096,
     "追回已支付的一期（全部或部分，写明原因；可同时停发其余各期）",
     "Recover money paid of an instalment (all or part, with the reason; optionally stopping the rest)"},
    {"POST", "/api/v1/talent/run", run, R_JSON, OFFICERS, 1024,
     "月度复核发放：到期未复核的各期逐一复核，符合的核准（不超预算），否则停发",
     "The monthly run: every instalment due and pending re-checked, approved within the budget or stopped"},
    {"POST", "/api/v1/talent/budgets", budget_add, R_JSON, OFFICERS, 4096, "下达政策年度预算指标",
     "Add to a policy's budget for a year"},
    {"PUT", "/api/v1/talent/persons/{number}/bank", bank_put, R_JSON, OFFICERS | ROLE_APPLICANT, 4096,
     "登记收款银行账号（本人或政策专员）", "Record the bank account payments go to (the person, or an officer)"},
    {"POST", "/api/v1/talent/batches", batch_create, R_JSON, OFFICERS, 1024,
     "生成代发批次：已核准、未发送、已登记银行账号的各期", "Make a payment batch of the approved instalments not yet sent"},
    {"GET", "/api/v1/talent/batches", batches, 0, READERS, 0, "代发批次", "Payment batches"},
    {"GET", "/api/v1/talent/batches/{id}", batch, 0, READERS, 0, "代发批次及其明细（账号隐去中间位）",
     "A payment batch and its lines (accounts masked)"},
    {"GET", "/api/v1/talent/batches/{id}/export", batch_export, 0, OFFICERS, 0, "导出送银行的代发文件（Excel 或 CSV）",
     "Export the batch's file for the bank (Excel or CSV)"},
    {"POST", "/api/v1/talent/batches/{id}/result", batch_result, 0, OFFICERS, 8u << 20,
     "导入银行回盘：成功的记为已支付，失败的退回已核准并注明原因（逐行检查，全部通过才写入）",
     "Import the bank's result: paid, or back to approved with the bank's reason (all rows checked first)"},
    {"GET", "/api/v1/talent/stats", stats, 0, READERS, 0, "人才工作年度数字：高层次人才、紧缺人才、外国专家、住房补贴",
     "The year's figures: high-level and shortage talents recognised, foreign experts, housing subsidies paid"},
    {"POST", "/api/v1/talent/scan", scan, R_JSON, OFFICERS, 1024,
     "免申即享：按某日有效的政策扫描人才档案，为符合者生成待本人确认的享受政策，并列出接近符合者及原因（可试算不写入）",
     "Grants without applying: scan the talent records under the policies in force on a day, grant those covered"
     " (awaiting their confirmation), list those close with why (a dry run writes nothing)"},
    {"POST", "/api/v1/talent/entitlements/{id}/confirm", confirm, R_JSON, ROLE_APPLICANT, 4096,
     "本人确认免申即享的享受政策并登记收款银行账号", "The person confirms its grant without applying, with its bank account"},
    {"GET", "/api/v1/talent/ledger", ledger, 0, READERS, 0, "政策年度预算台账（复式记账，收支平衡）",
     "A policy's budget ledger for a year (double entry, balanced)"},
};

void api_talent_register(void) { router_add(routes, XQ_COUNT(routes), "talent"); }
