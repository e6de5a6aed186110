/*
** api_bundles.c — bundles (一件事) and land parcels (零时限审批) over HTTP:
** filing a bundle, its one view, the kinds an administrator keeps, and the
** parcels whose land contract issues the pre-approved permits.
*/
#include "http.h"
#include "api.h"
#include "../domain/bundle.h"
#include "../domain/parcel.h"

static int bundle_add(Req *r) {
  Err e = {0};
  return req_answer(r, 201, bundle_create(r->store, &r->user, r->json, &e), &e);
}

static int kinds(Req *r) {
  Err e = {0};
  return req_answer(r, 200, bundle_kinds(r->store, &e), &e);
}

static int bundle_kind_put(Req *r) {
  Err e = {0};
  return req_answer(r, 200, bundle_kind_save(r->store, &r->user, req_param(r, "kind"), r->json, &e), &e);
}

static int get_bundle(Req *r) {
  Err e = {0};
  int64_t id;
  if (req_param_id(r, "id", &id)) return r->status;
  return req_answer(r, 200, bundle_get(r->store, &r->user, id, &e), &e);
}

static int parcel_add(Req *r) {
  Err e = {0};
  return req_answer(r, 201, parcel_create(r->store, &r->user, r->json, &e), &e);
}

static int get_parcel(Req *r) {
  Err e = {0};
  return req_answer(r, 200, parcel_get(r->store, &r->user, req_param(r, "code"), &e), &e);
}

static int contract(Req *r) {
  Err e = {0};
  const char *no = json_string_value(json_object_get(r->json, "contract_no"));
  const char *holder = json_string_value(json_object_get(r->json, "holder"));
  return req_answer(r, 200, parcel_contract(r->store, &r->user, req_param(r, "code"), no, holder, &e), &e);
}

static const Route routes[] = {
    {"POST", "/api/v1/bundles", bundle_add, R_JSON, ROLE_APPLICANT | ROLE_CLERK | ROLE_ADMIN, 65536,
     "一件事（企业开办、零时限审批）一表申请", "File a bundle (企业开办, 零时限审批) with one form"},
    {"GET", "/api/v1/bundle-kinds", kinds, R_PUBLIC, 0, 0, "可办理的“一件事”及其包含的事项",
     "The bundle kinds (一件事) and their items"},
    {"PUT", "/api/v1/bundle-kinds/{kind}", bundle_kind_put, R_JSON, ROLE_ADMIN, 4096,
     "设置一件事：事项组合与整体时限", "Set a bundle kind: its items and its one clock"},
    {"GET", "/api/v1/bundles/{id}", get_bundle, 0, 0, 0, "一件事的整体进度", "A bundle as one view"},
    {"POST", "/api/v1/parcels", parcel_add, R_JSON, ROLE_INVEST | ROLE_ADMIN, 4096, "登记预审地块",
     "Record a land parcel for pre-review"},
    {"GET", "/api/v1/parcels/{code}", get_parcel, 0, 0, 0, "地块", "A land parcel"},
    {"POST", "/api/v1/parcels/{code}/contract", contract, R_JSON,
     ROLE_INVEST | ROLE_APPROVER | ROLE_ADMIN, 4096, "登记土地出让合同，即时核发预审通过的许可",
     "Record the land contract: every pre-approved permit issues"},
};

void api_bundles_register(void) { router_add(routes, XQ_COUNT(routes), "bundles"); }
