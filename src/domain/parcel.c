/*
** parcel.c — land parcels (see parcel.h).
*/
#include "parcel.h"
#include "audit.h"
#include "cases.h"
#include "registry.h"
#include "../base/jsonx.h"

#include <stdio.h>
#include <string.h>

typedef struct ParcelJob {
  const User *actor;
  int64_t now;
  const json_t *in;
  const char *code, *contract_no, *holder;
  int issued;
} ParcelJob;

static int create_job(Db *db, void *arg, Err *e) {
  ParcelJob *j = arg;
  char code[4 * PARCEL_CODE_MAX + 4], name[244], obj[sizeof "parcel:" + sizeof code];
  const char *district = json_string_value(json_object_get(j->in, "district"));
  if (jsonx_text(j->in, "code", "地块编号", code, sizeof code, PARCEL_CODE_MAX, e) ||
      jsonx_text(j->in, "name", "地块名称", name, sizeof name, 60, e) ||
      text_check(district, "district", "所在区域", 20, false, e))
    return -1;
  if (db_run(db, e, "INSERT INTO parcel(code, name, district, state, contract_no, holder, acquired_at, created_at)"
                    " VALUES (?,?,?,'prereview','','',0,?)", "ttti", code, name, district ? district : "", j->now) < 0) {
    if (strcmp(e->code, "db.unique") == 0)
      err_setf(e, E_CONFLICT, "parcel.exists", "code", "地块编号已存在：%s", "Parcel %s exists", code);
    return -1;
  }
  snprintf(obj, sizeof obj, "parcel:%s", code);
  return audit_append(db, j->actor, "parcel.create", obj, j->in, e);
}

json_t *parcel_create(Store *s, const User *actor, const json_t *in, Err *e) {
  ParcelJob j = {.actor = actor, .now = now_ms(), .in = in};
  if (store_write(s, create_job, &j, e)) return NULL;
  return parcel_get(s, actor, json_string_value(json_object_get(in, "code")), e);
}

static int contract_job(Db *db, void *arg, Err *e) {
  ParcelJob *j = arg;
  int64_t n = db_run(db, e, "UPDATE parcel SET state = 'acquired', contract_no = ?, holder = ?, acquired_at = ?"
                            " WHERE code = ? AND state = 'prereview'", "ttit", j->contract_no, j->holder, j->now, j->code);
  if (n < 0) return -1;
  if (n == 0)
    return err_set(e, E_CONFLICT, "parcel.not_prereview", "code", "地块不存在或已出让",
                   "No parcel under pre-review with this code");
  /* Every pre-approved permit of the parcel issues in this transaction. */
  if (cases_parcel_issue(db, j->actor, j->code, j->contract_no, j->now, &j->issued, e)) return -1;
  char obj[sizeof "parcel:" + 4 * PARCEL_CODE_MAX + 4];
  snprintf(obj, sizeof obj, "parcel:%s", j->code);
  json_t *d = json_pack("{s:s,s:s,s:i}", "contract_no", j->contract_no, "holder", j->holder, "issued", j->issued);
  int rc = audit_append(db, j->actor, "parcel.contract", obj, d, e);
  json_decref(d);
  return rc;
}

json_t *parcel_contract(Store *s, const User *actor, const char *code, const char *contract_no,
                        const char *holder, Err *e) {
  if (text_check(contract_no, "contract_no", "土地出让合同编号", 40, true, e) ||
      text_check(holder, "holder", "受让人（统一社会信用代码）", 39, true, e))
    return NULL;
  char h[40];
  snprintf(h, sizeof h, "%s", holder);
  for (char *p = h; *p; p++)
    if (*p >= 'a' && *p <= 'z') *p = (char)(*p - 'a' + 'A');
  ParcelJob j = {.actor = actor, .now = now_ms(), .code = code, .contract_no = contract_no, .holder = h};
  if (store_write(s, contract_job, &j, e)) return NULL;
  json_t *out = parcel_get(s, actor, code, e);
  if (out) json_object_set_new(out, "issued", json_integer(j.issued));
  return out;
}

/* concerns() is true when applicant u may read parcel code: it holds its
** contract, or filed (or acts for who filed) a bundle on it. */
static bool concerns(Db *db, const User *u, const char *code, const char *holder) {
  if (holder[0] && registry_acts_for(db, u, holder)) return true;
  Err e = {0};
  Stmt *st = db_prepare(db, "SELECT DISTINCT party FROM bundle WHERE parcel = ?", &e);
  if (!st) return false;
  stmt_bind_text(st, 1, code);
  bool ok = false;
  while (!ok && stmt_step(st, &e) == 1) ok = registry_acts_for(db, u, stmt_text(st, 0));
  stmt_done(st);
  return ok;
}

json_t *parcel_get(Store *s, const User *actor, const char *code, Err *e) {
  Stmt *st = db_prepare(store_reader(s), "SELECT code, name, district, state, contract_no, holder, acquired_at"
                                         " FROM parcel WHERE code = ?", e);
  if (!st) return NULL;
  stmt_bind_text(st, 1, code ? code : "");
  json_t *o = NULL;
  int rc = stmt_step(st, e);
  if (rc == 1)
    o = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:I}", "code", stmt_text(st, 0), "name", stmt_text(st, 1), "district",
                  stmt_text(st, 2), "state", stmt_text(st, 3), "contract_no", stmt_text(st, 4), "holder",
                  stmt_text(st, 5), "acquired_at", (json_int_t)stmt_int(st, 6));
  stmt_done(st);
  /* A parcel offered for sale is public; its contract is its holder's. */
  if (o && actor->role == ROLE_APPLICANT &&
      !concerns(store_reader(s), actor, code, json_string_value(json_object_get(o, "holder")))) {
    json_object_del(o, "contract_no");
    json_object_del(o, "holder");
    json_object_del(o, "acquired_at");
  }
  if (rc == 0) err_set(e, E_NOTFOUND, "parcel.not_found", "code", "没有找到该地块", "No such land parcel");
  return o;
}

/* state() reads the state of parcel code: 1 with it in out, 0 none, -1. */
static int state(Db *db, const char *code, char out[16], Err *e) {
  Stmt *st = db_prepare(db, "SELECT state FROM parcel WHERE code = ?", e);
  if (!st) return -1;
  stmt_bind_text(st, 1, code ? code : "");
  int rc = stmt_step(st, e);
  if (rc == 1) snprintf(out, 16, "%s", stmt_text(st, 0));
  stmt_done(st);
  return rc;
}

int parcel_exists(Db *db, const char *code, Err *e) {
  char s[16];
  return state(db, code, s, e);
}

int parcel_acquired(Db *db, const char *code, char holder[40], Err *e) {
  Stmt *st = db_prepare(db, "SELECT state, holder FROM parcel WHERE code = ?", e);
  if (!st) return -1;
  stmt_bind_text(st, 1, code ? code : "");
  int rc = stmt_step(st, e);
  bool acquired = rc == 1 && strcmp(stmt_text(st, 0), "acquired") == 0;
  snprintf(holder, 40, "%s", acquired ? stmt_text(st, 1) : "");
  stmt_done(st);
  return rc < 0 ? -1 : acquired;
}
