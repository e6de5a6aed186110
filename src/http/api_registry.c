/*
** api_registry.c — the market-entity registry over HTTP.
*/
#include "http.h"
#include "api.h"
#include "../base/cal.h"
#include "../base/jsonx.h"
#include "../domain/cases.h"
#include "../domain/registry.h"

#include <stdlib.h>
#include <string.h>

#define WRITERS (ROLE_CLERK | ROLE_APPROVER | ROLE_ADMIN)

/* registrar() answers 403 unless r's user is of the registration authority. */
static bool registrar(Req *r) {
  if (cases_registrar(store_reader(r->store), &r->user)) return true;
  req_fail(r, E_FORBIDDEN, "registry.not_registrar", NULL, "只有登记机关（市场主体登记部门）可以登记或变更市场主体",
           "Only the registration authority registers or changes market entities");
  return false;
}

static int create(Req *r) {
  Entity en = {0};
  JField f[REGISTRY_ENTITY_FIELDS];
  bool present[9];
  Err e = {0};
  if (!registrar(r)) return r->status;
  int n = registry_entity_fields(&en, f, present, true);
  if (jsonx_decode(r->json, f, n, false, &e)) return req_error(r, &e);
  if (registry_entity_create(r->store, &r->user, &en, &e)) return req_error(r, &e);
  return req_json(r, 201, registry_entity_json(&en));
}

static int get(Req *r) {
  Entity en;
  Err e = {0};
  if (registry_entity_get(r->store, req_param(r, "uscc"), &en, &e)) return req_error(r, &e);
  json_t *o = registry_entity_json(&en), *history = registry_entity_history(r->store, en.uscc, &e);
  if (!history) {
    json_decref(o);
    return req_error(r, &e);
  }
  json_object_set_new(o, "history", history); /* 变更记录, newest first */
  return req_json(r, 200, o);
}

static int patch(Req *r) {
  Entity p = {0}, out;
  JField f[REGISTRY_ENTITY_FIELDS];
  bool present[9];
  Err e = {0};
  if (!registrar(r)) return r->status;
  int n = registry_entity_fields(&p, f, present, false);
  if (jsonx_decode(r->json, f, n, false, &e)) return req_error(r, &e);
  unsigned mask = 0;
  for (int i = 0; i < 9; i++)
    if (present[i]) mask |= 1u << i;
  if (!mask)
    return req_fail(r, E_INVALID, "request.empty", NULL, "没有要修改的字段", "Nothing to change");
  if (registry_entity_update(r->store, &r->user, req_param(r, "uscc"), &p, mask, &out, &e))
    return req_error(r, &e);
  return req_json(r, 200, registry_entity_json(&out));
}

static int search(Req *r) {
  Err e = {0};
  const char *q = req_query(r, "q"), *kind = req_query(r, "kind");
  int64_t page, per;
  if (req_query_int(r, "page", 1, 1, 100000, &page) ||
      req_query_int(r, "per_page", 20, 1, 100, &per))
    return r->status;
  if (q && (!utf8_valid(q, strlen(q)) || utf8_len(q) > 50))
    return req_fail(r, E_INVALID, "request.bad_param", "q", "搜索词无效或超过 50 个字符",
                    "The search text is invalid or longer than 50 characters");
  const char *from = req_query(r, "established_from"), *to = req_query(r, "established_to");
  int day;
  if ((from && *from && cal_parse_date(from, &day)) || (to && *to && cal_parse_date(to, &day)))
    return req_fail(r, E_INVALID, "request.bad_param", from && *from && cal_parse_date(from, &day) ? "established_from"
                                                                                                  : "established_to",
                    "日期应为 YYYY-MM-DD", "The date must be YYYY-MM-DD");
  json_t *res = registry_entity_search(r->store, q, kind, from, to, (int)page, (int)per, &e);
  if (!res) return req_error(r, &e);
  return req_json(r, 200, res);
}

/* party_card() is the registry's record of the applicant's own party, for
** the e-forms that stand in for registry materials (the kiosk's). */
static int party_card(Req *r) {
  Err e = {0};
  const char *party = req_query(r, "party");
  Db *db = store_reader(r->store);
  if (party && *party && strcmp(party, r->user.party) != 0) {
    /* A party that authorised this account as its agent (代办): its name
    ** beside its code on the form. Any other answers as unknown. */
    if (!registry_acts_for(db, &r->user, party))
      return req_fail(r, E_NOTFOUND, "party.unknown", "party", "您未获该申请人授权代办，或登记信息库中没有该申请人",
                      "No such party, or you are not its agent");
    return req_answer(r, 200, registry_party_card(db, party, &e), &e);
  }
  if (!r->user.party[0])
    return req_fail(r, E_NOTFOUND, "party.unknown", NULL, "该账号未绑定申请人", "This account acts for no party");
  return req_answer(r, 200, registry_party_card(db, r->user.party, &e), &e);
}

/* party_lookup() is the registry's record of any party (a USCC or a
** person's number), for a clerk taking a filing at the window: the name to
** check against the papers, the kind to check against the item. */
static int party_lookup(Req *r) {
  Err e = {0};
  const char *code = req_param(r, "code");
  if (!code || strlen(code) > 39 || !utf8_valid(code, strlen(code)))
    return req_fail(r, E_INVALID, "request.bad_param", "code", "主体代码无效", "The party code is invalid");
  char up[40];
  snprintf(up, sizeof up, "%s", code);
  for (char *c = up; *c; c++)
    if (*c >= 'a' && *c <= 'z') *c = (char)(*c - 'a' + 'A');
  return req_answer(r, 200, registry_party_card(store_reader(r->store), up, &e), &e);
}

static const Route routes[] = {
    {"GET", "/api/v1/me/party", party_card, 0, ROLE_APPLICANT, 0, "登记信息库中本人（本单位）或授权代办主体（party）的信息（身份证号脱敏），用于电子表单",
     "What the registry holds of my party (the ID number masked), for e-forms"},
    {"GET", "/api/v1/parties/{code}", party_lookup, 0, WRITERS, 0,
     "按统一社会信用代码或身份证号查登记信息库中的申请人（类型、名称，身份证号脱敏），供窗口收件核对",
     "A party in the registry by its USCC or ID number (kind, name, the ID masked), for a clerk taking a filing"},
    {"POST", "/api/v1/entities", create, R_JSON, WRITERS, 8192, "登记市场主体",
     "Register a market entity"},
    {"GET", "/api/v1/entities", search, 0, 0, 0, "查询市场主体（名称包含 q，分页）",
     "Search market entities (name contains q, paged)"},
    {"GET", "/api/v1/entities/{uscc}", get, 0, 0, 0, "市场主体详情", "One market entity"},
    {"PATCH", "/api/v1/entities/{uscc}", patch, R_JSON, WRITERS, 8192, "变更市场主体信息",
     "Change a market entity"},
};

void api_registry_register(void) { router_add(routes, XQ_COUNT(routes), "registry"); }
