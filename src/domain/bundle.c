/*
** bundle.c — bundles (一件事), see bundle.h. The children are filed and
** moved by the case engine (cases.h); this module keeps the bundle, its
** kind and the one clock over them.
*/
#include "bundle.h"
#include "audit.h"
#include "cases.h"
#include "parcel.h"
#include "registry.h"
#include "sla.h"
#include "../base/codes.h"
#include "../base/jsonx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- Kinds --------------------------------------------------------------------- */

typedef struct BundleKind {
  char kind[32];      /* [a-z0-9_], e.g. "kaiban" */
  char label[164];    /* ≤ 40 characters, e.g. "企业开办" */
  int half_days;      /* the bundle's clock in half working days; 0 = none */
  bool parcel;        /* the children issue only when a land contract is recorded */
  json_t *items;      /* owned: array of item codes */
} BundleKind;

/* kind_load() reads kind through db; -1 with bundle.bad_kind. */
static int kind_load(Db *db, const char *kind, BundleKind *bk, Err *e) {
  Stmt *st = db_prepare(db, "SELECT label, half_days, parcel, items FROM bundle_kind WHERE kind = ?", e);
  if (!st) return -1;
  stmt_bind_text(st, 1, kind ? kind : "");
  memset(bk, 0, sizeof *bk);
  int rc = stmt_step(st, e);
  if (rc == 1) {
    snprintf(bk->kind, sizeof bk->kind, "%s", kind);
    snprintf(bk->label, sizeof bk->label, "%s", stmt_text(st, 0));
    bk->half_days = (int)stmt_int(st, 1);
    bk->parcel = stmt_int(st, 2) != 0;
    bk->items = json_loads(stmt_text(st, 3), 0, NULL);
  }
  stmt_done(st);
  if (rc < 0) return -1;
  if (rc == 0 || !json_is_array(bk->items) || json_array_size(bk->items) == 0) {
    json_decref(bk->items);
    bk->items = NULL;
    return err_setf(e, E_INVALID, "bundle.bad_kind", "kind", "没有这种“一件事”：%s（见 GET /api/v1/bundle-kinds）",
                    "No such bundle kind: %s (see GET /api/v1/bundle-kinds)", kind ? kind : "");
  }
  return 0;
}

json_t *bundle_kinds(Store *s, Err *e) {
  Stmt *st = db_prepare(store_reader(s), "SELECT kind, label, half_days, parcel, items FROM bundle_kind ORDER BY kind", e);
  if (!st) return NULL;
  json_t *a = json_array();
  int rc;
  while ((rc = stmt_step(st, e)) == 1) {
    json_t *items = json_loads(stmt_text(st, 4), 0, NULL);
    json_array_append_new(a, json_pack("{s:s,s:s,s:I,s:b,s:o}", "kind", stmt_text(st, 0), "label",
                                       stmt_text(st, 1), "half_days", (json_int_t)stmt_int(st, 2),
                                       "parcel", stmt_int(st, 3) != 0, "items", items ? items : json_array()));
  }
  stmt_done(st);
  if (rc < 0) {
    json_decref(a);
    return NULL;
  }
  return a;
}

typedef struct KindJob {
  const User *actor;
  const BundleKind *bk;
} KindJob;

static int kind_job(Db *db, void *arg, Err *e) {
  KindJob *j = arg;
  char *text = json_dumps(j->bk->items, JSON_COMPACT);
  int64_t n = db_run(db, e,
                     "INSERT INTO bundle_kind(kind, label, half_days, parcel, items, updated_at) VALUES (?,?,?,?,?,?)"
                     " ON CONFLICT (kind) DO UPDATE SET label = excluded.label, half_days = excluded.half_days,"
                     " parcel = excluded.parcel, items = excluded.items, updated_at = excluded.updated_at",
                     "ttiiti", j->bk->kind, j->bk->label, (int64_t)j->bk->half_days, (int64_t)j->bk->parcel,
                     text, now_ms());
  free(text);
  if (n < 0) return -1;
  char obj[64];
  snprintf(obj, sizeof obj, "bundle_kind:%s", j->bk->kind);
  json_t *d = json_pack("{s:s,s:i,s:b,s:O}", "label", j->bk->label, "half_days", j->bk->half_days, "parcel",
                        j->bk->parcel, "items", j->bk->items);
  int rc = audit_append(db, j->actor, "bundle_kind.save", obj, d, e);
  json_decref(d);
  return rc;
}

json_t *bundle_kind_save(Store *s, const User *actor, const char *kind, const json_t *in, Err *e) {
  BundleKind bk = {0};
  json_t *out = NULL;
  size_t n = kind ? strlen(kind) : 0;
  if (n == 0 || n > 24 || strspn(kind, "abcdefghijklmnopqrstuvwxyz0123456789_") != n) {
    err_set(e, E_INVALID, "bundle.bad_kind", "kind", "类型代码应为 1–24 位小写字母、数字或下划线",
            "The kind must be 1–24 lower-case letters, digits or _");
    return NULL;
  }
  snprintf(bk.kind, sizeof bk.kind, "%s", kind);
  if (jsonx_text(in, "label", "名称", bk.label, sizeof bk.label, 40, e)) return NULL;
  const json_t *hd = json_object_get(in, "half_days"), *items = json_object_get(in, "items");
  if (!json_is_integer(hd) || json_integer_value(hd) < 0 || json_integer_value(hd) > 40) {
    err_set(e, E_INVALID, "request.out_of_range", "half_days", "时限应为 0–40 个半工作日（0 表示不计时）",
            "half_days must be 0 to 40 (0: no clock)");
    return NULL;
  }
  bk.half_days = (int)json_integer_value(hd);
  bk.parcel = json_is_true(json_object_get(in, "parcel"));
  if (!json_is_array(items) || json_array_size(items) == 0 || json_array_size(items) > BUNDLE_MAX_ITEMS) {
    err_set(e, E_INVALID, "bundle.bad_items", "items", "items 应为 1–8 个事项编码", "items must list 1 to 8 item codes");
    return NULL;
  }
  bk.items = json_array();
  size_t i;
  json_t *v;
  Item *it = xcalloc(1, sizeof *it); /* 16 KB: off the worker's stack */
  json_array_foreach(items, i, v) {
    const char *code = json_string_value(v);
    size_t k;
    json_t *w;
    json_array_foreach(bk.items, k, w) if (code && strcmp(json_string_value(w), code) == 0) code = NULL;
    if (!code || catalog_get(s, code, NULL, it, e)) {
      if (!code || strcmp(e->code, "catalog.not_found") == 0)
        err_setf(e, E_INVALID, "bundle.bad_items", "items", "事项编码无效、重复或不在目录中：%s",
                 "An item code is invalid, repeated or not in the catalogue: %s", code ? code : "");
      goto out;
    }
    catalog_item_free(it);
    json_array_append_new(bk.items, json_string(code));
  }
  free(it);
  it = NULL;
  KindJob j = {actor, &bk};
  if (store_write(s, kind_job, &j, e)) goto out;
  json_t *all = bundle_kinds(s, e);
  json_array_foreach(all, i, v) if (strcmp(json_string_value(json_object_get(v, "kind")), kind) == 0)
    out = json_incref(v);
  json_decref(all);
out:
  if (it) catalog_item_free(it);
  free(it);
  json_decref(bk.items);
  return out;
}

/* ---- Filing ---------------------------------------------------------------------- */

struct BundleFiling {
  const User *actor;
  BundleKind bk;
  CaseFiling **aChild;  /* one per item of the kind */
  size_t nChild;
  const json_t *form;   /* borrowed from the request */
  const char *parcel;   /* borrowed from the request, or NULL */
  int64_t helper_dept;  /* the department that helps (帮办) the applicant, 0 for none */
  int64_t deadline, now;
};

void bundle_filing_free(BundleFiling *f) {
  if (!f) return;
  for (size_t k = 0; k < f->nChild; k++) cases_filing_free(f->aChild[k]);
  free(f->aChild);
  json_decref(f->bk.items);
  free(f);
}

BundleFiling *bundle_filing_prepare(Store *s, const User *actor, const json_t *in, int64_t helper_dept, Err *e) {
  BundleFiling *f = xcalloc(1, sizeof *f);
  f->actor = actor;
  f->helper_dept = helper_dept;
  if (kind_load(store_reader(s), json_string_value(json_object_get(in, "kind")), &f->bk, e)) goto fail;
  f->aChild = xcalloc(json_array_size(f->bk.items), sizeof *f->aChild);
  f->form = json_object_get(in, "form");
  if (f->form && !json_is_object(f->form)) {
    err_set(e, E_INVALID, "request.bad_type", "form", "form 应为对象", "form must be an object");
    goto fail;
  }
  if (helper_dept && f->bk.parcel) { /* permits awaiting land: never a new entity's founding */
    err_setf(e, E_INVALID, "bundle.not_founding", "kind", "帮办只办理登记新企业的“一件事”（如企业开办），“%s”不登记新企业",
             "Only a bundle that registers a new entity (such as 企业开办) is filed for an investor; %s is not one",
             f->bk.label);
    goto fail;
  }
  if (f->bk.parcel) {
    f->parcel = json_string_value(json_object_get(in, "parcel"));
    int found = parcel_exists(store_reader(s), f->parcel, e);
    if (found < 0) goto fail;
    if (!found) {
      err_set(e, E_NOTFOUND, "parcel.not_found", "parcel", "没有找到该地块", "No such land parcel");
      goto fail;
    }
  }
  /* One child filing per item, from the same form and materials. */
  size_t i;
  json_t *code;
  bool founds = false;
  json_array_foreach(f->bk.items, i, code) {
    json_t *child = json_pack("{s:O,s:b}", "item", code, "submit", 1);
    static const char *const pass[] = {"form", "materials", "party", "channel"};
    for (size_t k = 0; k < XQ_COUNT(pass); k++)
      if (json_object_get(in, pass[k])) json_object_set(child, pass[k], json_object_get(in, pass[k]));
    f->aChild[f->nChild] = cases_filing_prepare(s, actor, child, helper_dept != 0, e);
    json_decref(child);
    if (!f->aChild[f->nChild]) goto fail;
    founds |= strcmp(cases_filing_item(f->aChild[f->nChild])->registry_effect, "register") == 0;
    f->nChild++;
  }
  /* 帮办 serves an investor founding a company: a kind none of whose items
  ** registers a new entity is its applicant's own business. */
  if (helper_dept && !founds) {
    err_setf(e, E_INVALID, "bundle.not_founding", "kind", "帮办只办理登记新企业的“一件事”（如企业开办），“%s”不登记新企业",
             "Only a bundle that registers a new entity (such as 企业开办) is filed for an investor; %s is not one",
             f->bk.label);
    goto fail;
  }
  const Cal *cal = cases_filing_calendar(f->aChild[0], &f->now);
  f->deadline = f->bk.half_days ? cal_add_worktime(cal, f->now, cal_workday_ms(cal) / 2 * f->bk.half_days) : 0;
  return f;
fail:
  bundle_filing_free(f);
  return NULL;
}

int bundle_filing_write(Db *db, BundleFiling *f, json_t *why, int64_t *id, Err *e) {
  const char *name, *party = cases_filing_party(f->aChild[0], &name);
  char *form = f->form ? json_dumps(f->form, JSON_COMPACT | JSON_SORT_KEYS) : xstrdup("{}");
  *id = 0;
  Stmt *st = db_prepare(db,
                        "INSERT INTO bundle(kind, party, party_name, filer_id, form, started_at,"
                        " deadline_at, entity_uscc, parcel, created_at, helper_dept) VALUES (?,?,?,?,?,?,?,'',?,?,?)"
                        " RETURNING id", e);
  if (st) {
    stmt_bind_text(st, 1, f->bk.kind);
    stmt_bind_text(st, 2, party);
    stmt_bind_text(st, 3, name);
    stmt_bind_int(st, 4, f->actor->id);
    stmt_bind_text(st, 5, form);
    stmt_bind_int(st, 6, f->now);
    stmt_bind_int(st, 7, f->deadline);
    stmt_bind_text(st, 8, f->parcel ? f->parcel : "");
    stmt_bind_int(st, 9, f->now);
    stmt_bind_int(st, 10, f->helper_dept);
    if (stmt_step(st, e) == 1) *id = stmt_int(st, 0);
    stmt_done(st);
  }
  free(form);
  if (!*id) return -1;
  /* The children are filed after the bundle row, so a helper's submission
  ** already finds the bundle it helps with (bundle_helps()). */
  for (size_t i = 0; i < f->nChild; i++)
    if (cases_filing_write(db, f->aChild[i], *id, f->parcel, e)) return -1;
  char obj[32];
  snprintf(obj, sizeof obj, "bundle:%lld", (long long)*id);
  json_t *d = json_pack("{s:s,s:s,s:i}", "kind", f->bk.kind, "party", party, "children", (int)f->nChild);
  if (f->helper_dept) json_object_set_new(d, "helper_dept", json_integer(f->helper_dept));
  if (why) json_object_update(d, why);
  int rc = audit_append(db, f->actor, "bundle.create", obj, d, e);
  json_decref(d);
  return rc;
}

typedef struct BundleJob {
  BundleFiling *f;
  int64_t id;
} BundleJob;

static int bundle_job(Db *db, void *arg, Err *e) {
  BundleJob *j = arg;
  return bundle_filing_write(db, j->f, NULL, &j->id, e);
}

json_t *bundle_create(Store *s, const User *actor, const json_t *in, Err *e) {
  BundleJob j = {bundle_filing_prepare(s, actor, in, 0, e), 0};
  json_t *out = NULL;
  if (j.f && store_write(s, bundle_job, &j, e) == 0) out = bundle_get(s, actor, j.id, e);
  bundle_filing_free(j.f);
  return out;
}

/* ---- Reading --------------------------------------------------------------------- */

json_t *bundle_get(Store *s, const User *actor, int64_t id, Err *e) {
  Db *db = store_reader(s);
  const Cal *cal = sla_calendar(s, e);
  if (!cal) return NULL;
  Stmt *st = db_prepare(db, "SELECT b.kind, b.party, b.party_name, b.filer_id, b.started_at, b.deadline_at,"
                            " b.entity_uscc, b.parcel, b.helper_dept, a.username, a.display, COALESCE(d.name, '')"
                            " FROM bundle b JOIN account a ON a.id = b.filer_id"
                            " LEFT JOIN department d ON d.id = b.helper_dept WHERE b.id = ?", e);
  if (!st) return NULL;
  stmt_bind_int(st, 1, id);
  json_t *o = NULL, *children = NULL;
  int64_t deadline = 0, now = now_ms();
  char party[40] = "";
  int rc = stmt_step(st, e);
  if (rc == 1) {
    snprintf(party, sizeof party, "%s", stmt_text(st, 1));
    deadline = stmt_int(st, 5);
    o = json_pack("{s:I,s:s,s:s,s:s,s:o,s:o,s:s,s:s}", "id", (json_int_t)id, "kind", stmt_text(st, 0),
                  "party", party, "party_name", stmt_text(st, 2), "started_at", jsonx_time(stmt_int(st, 4)),
                  "deadline_at", jsonx_time(deadline), "entity_uscc", stmt_text(st, 6), "parcel",
                  stmt_text(st, 7));
    /* 帮办: who filed it for the applicant, and whose officers help. */
    if (stmt_int(st, 8))
      json_object_set_new(o, "helper", json_pack("{s:s,s:s,s:s}", "username", stmt_text(st, 9), "name",
                                                 stmt_text(st, 10), "dept", stmt_text(st, 11)));
  }
  stmt_done(st);
  if (rc < 0) return NULL;
  BundleTally t;
  if (o && !(children = cases_of_bundle(db, actor, cal, id, now, &t, e))) {
    json_decref(o);
    return NULL;
  }
  /* Applicants see their own (or their principals'); officials those with
  ** a child of theirs (a helper sees every child: cases.c asks bundle_helps()). */
  bool visible = o && (actor->role == ROLE_APPLICANT ? registry_acts_for(db, actor, party) : t.official_sees);
  if (!visible) {
    json_decref(o);
    json_decref(children);
    err_set(e, E_NOTFOUND, "bundle.not_found", NULL, "没有找到该一件事", "No such bundle");
    return NULL;
  }
  /* A person's number only to those who handle one of the cases. */
  if (actor->role != ROLE_APPLICANT && !t.official_handles && !bundle_helps(db, actor, id)) {
    char masked[40];
    codes_party_mask(party, masked);
    json_object_set_new(o, "party", json_string(masked));
    size_t i;
    json_t *v;
    json_array_foreach(children, i, v) json_object_set_new(v, "party", json_string(masked));
  }
  json_object_set_new(o, "children", children);
  const char *status = t.failed ? "blocked" : t.done == t.n ? "done" : "in_progress";
  json_object_set_new(o, "status", json_string(status));
  json_object_set_new(o, "done", json_integer(t.done));
  json_object_set_new(o, "total", json_integer(t.n));
  if (deadline) {
    int64_t at = t.done == t.n && t.last_issued_at ? t.last_issued_at : now;
    int64_t left = sla_remaining(cal, at, deadline);
    json_object_set_new(o, "remaining_ms", json_integer(left));
    json_object_set_new(o, "overdue", json_boolean(left < 0));
    if (t.done == t.n) json_object_set_new(o, "on_time", json_boolean(left >= 0));
  }
  return o;
}

/* ---- For the case engine --------------------------------------------------------- */

bool bundle_helps(Db *db, const User *u, int64_t id) {
  if (u->role != ROLE_INVEST || !u->dept_id || !id) return false;
  Err e = {0};
  Stmt *st = db_prepare(db, "SELECT 1 FROM bundle WHERE id = ? AND helper_dept = ?", &e);
  if (!st) return false;
  stmt_bind_int(st, 1, id);
  stmt_bind_int(st, 2, u->dept_id);
  bool ok = stmt_step(st, &e) == 1;
  stmt_done(st);
  return ok;
}

int bundle_entity_set(Db *db, int64_t id, const char *uscc, Err *e) {
  return db_run(db, e, "UPDATE bundle SET entity_uscc = ? WHERE id = ?", "ti", uscc, id) < 0 ? -1 : 0;
}

int bundle_entity(Db *db, int64_t id, char *uscc, size_t ucap, char *name, size_t ncap, Err *e) {
  Stmt *st = db_prepare(db, "SELECT entity_uscc, form FROM bundle WHERE id = ?", e);
  if (!st) return -1;
  stmt_bind_int(st, 1, id);
  snprintf(uscc, ucap, "%s", "");
  int rc = stmt_step(st, e);
  if (rc == 1) {
    snprintf(uscc, ucap, "%s", stmt_text(st, 0) ? stmt_text(st, 0) : "");
    json_t *form = json_loads(stmt_text(st, 1), 0, NULL);
    const char *nm = json_string_value(json_object_get(form, "name"));
    if (nm) snprintf(name, ncap, "%s", nm);
    json_decref(form);
  }
  stmt_done(st);
  return rc < 0 ? -1 : 0;
}

int bundle_label(Db *db, int64_t id, char *out, size_t cap, Err *e) {
  Stmt *st = db_prepare(db, "SELECT bundle_kind.label FROM bundle JOIN bundle_kind ON bundle_kind.kind = bundle.kind"
                            " WHERE bundle.id = ?", e);
  if (!st) return -1;
  stmt_bind_int(st, 1, id);
  snprintf(out, cap, "%s", "");
  int rc = stmt_step(st, e);
  if (rc == 1) snprintf(out, cap, "%s", stmt_text(st, 0));
  stmt_done(st);
  return rc < 0 ? -1 : 0;
}
