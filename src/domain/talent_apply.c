/*
** talent_apply.c — talent applications as cases (talent_apply.h). The
** case engine calls in at a filing's submission (the employer), at the
** approval (the entitlement) and when it shows a case; the table
** talent_item is this module's.
*/
#include "talent_apply.h"
#include "talent.h"
#include "talent_pay.h"
#include "cases.h"
#include "catalog.h"
#include "params.h"
#include "registry.h"
#include "../base/codes.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What a talent application item says. */
typedef struct TalentItem {
  char policy[32];       /* the policy it applies for (talent.h) */
  bool employer_review;  /* the employer confirms a filing before intake */
} TalentItem;

/* item_of_code() reads what item code says as a talent application: 1 with
** *ti, 0 when it is none, -1 with *e. */
static int item_of_code(Db *db, const char *item_code, TalentItem *ti, Err *e) {
  memset(ti, 0, sizeof *ti);
  Stmt *st = db_prepare(db, "SELECT policy, employer_review FROM talent_item WHERE item_code = ?", e);
  if (!st) return -1;
  stmt_bind_text(st, 1, item_code);
  int rc = stmt_step(st, e);
  if (rc == 1) {
    snprintf(ti->policy, sizeof ti->policy, "%s", stmt_text(st, 0));
    ti->employer_review = stmt_int(st, 1) != 0;
  }
  stmt_done(st);
  return rc;
}

/* employer() reads the employer a filing's form names (field
** TALENT_APPLY_EMPLOYER, letters upper-cased) into uscc: a valid USCC of a
** registered entity in existence. -1 with *e (field "form.employer"):
** talent.bad_employer, talent.employer_unknown, talent.employer_not_active. */
static int employer(Db *db, const json_t *form, char uscc[19], Err *e) {
  const char *v = json_string_value(json_object_get(form, TALENT_APPLY_EMPLOYER));
  char code[40], why[200];
  snprintf(code, sizeof code, "%s", v ? v : "");
  for (char *p = code; *p; p++)
    if (*p >= 'a' && *p <= 'z') *p = (char)(*p - 'a' + 'A');
  if (strlen(code) != 18 || codes_uscc_check(code, why, sizeof why))
    return err_set(e, E_INVALID, "talent.bad_employer", "form." TALENT_APPLY_EMPLOYER,
                   "请填写用人单位的统一社会信用代码（18 位）", "Give the employer's unified social credit code (18 characters)");
  Entity en;
  Err re = {0};
  if (registry_entity_get_on(db, code, &en, &re)) {
    if (re.kind != E_NOTFOUND) return *e = re, -1;
    return err_setf(e, E_INVALID, "talent.employer_unknown", "form." TALENT_APPLY_EMPLOYER,
                    "市场主体登记中没有该用人单位：%s", "No registered entity has this code: %s", code);
  }
  if (strcmp(en.status, "active") != 0)
    return err_setf(e, E_INVALID, "talent.employer_not_active", "form." TALENT_APPLY_EMPLOYER,
                    "该用人单位已不在存续状态：%s", "The employer is no longer active: %s", en.name);
  memcpy(uscc, code, 19);
  return 0;
}

/* The case engine's hooks (cases.h): the employer that confirms a filing;
** the entitlement decided by the approval, in its write (talent_entitle_case()
** on the person's record as of the filing day: not eligible or excluded
** refuses the approval); the entitlement shown on the case. */
static int hook_reviewer(Db *db, const char *item, const json_t *form, char party[40], Err *e) {
  TalentItem ti;
  int rc = item_of_code(db, item, &ti, e);
  party[0] = 0;
  if (rc <= 0 || !ti.employer_review) return rc;
  return employer(db, form, party, e);
}

static int hook_approve(Db *db, const User *actor, int64_t now, const char *item, int64_t case_id, const char *party,
                        const char *filed, const json_t *decision, json_t **note, Err *e) {
  TalentItem ti;
  int rc = item_of_code(db, item, &ti, e);
  if (rc <= 0 || talent_sync(db, e)) return rc <= 0 ? rc : -1;
  int64_t id = talent_entitle_case(db, actor, now, party, ti.policy, filed, decision, case_id, e);
  if (id < 0) return -1;
  *note = json_pack("{s:I}", "entitlement", (json_int_t)id);
  return 1;
}

static void hook_view(Db *db, int64_t case_id, json_t *o) {
  Err e = {0}; /* not read: the case is shown without it, as the timeline's rows are */
  Stmt *st = db_prepare(db, "SELECT id, policy, amount_fen, state, decided_on FROM talent_entitlement WHERE case_id = ?"
                        " AND case_id <> 0" /* the partial index talent_entitlement_case */,
                        &e);
  if (!st) return;
  stmt_bind_int(st, 1, case_id);
  int rc = stmt_step(st, &e);
  if (rc == 1) {
    const char *name = talent_policy_name(stmt_text(st, 1));
    json_object_set_new(o, "entitlement",
                        json_pack("{s:I,s:s,s:s,s:I,s:s,s:s}", "id", (json_int_t)stmt_int(st, 0), "policy",
                                  stmt_text(st, 1), "policy_name", name ? name : stmt_text(st, 1), "amount_fen",
                                  (json_int_t)stmt_int(st, 2), "state", stmt_text(st, 3), "decided_on",
                                  stmt_text(st, 4)));
  }
  stmt_done(st);
  /* before the decision, while a committee (一事一议) sits: whether it decides the amount */
  TalentItem ti;
  const char *p = json_string_value(json_object_get(o, "procedure"));
  if (rc == 0 && p && strcmp(p, "committee") == 0 &&
      item_of_code(db, json_string_value(json_object_get(o, "item")), &ti, &e) == 1 && talent_policy_committee(ti.policy))
    json_object_set_new(o, "decided_by_committee", json_true());
}

/* hook_committee(): the committee (一事一议) of an application for a policy
** whose amount it decides records {amount_fen, ref}; the approval then
** decides with it. */
static int hook_committee(Db *db, const char *item, const json_t *decision, Err *e) {
  TalentItem ti;
  int rc = item_of_code(db, item, &ti, e);
  if (rc <= 0 || talent_sync(db, e)) return rc <= 0 ? rc : -1;
  if (!talent_policy_committee(ti.policy)) return 0;
  if (!decision)
    return err_set(e, E_INVALID, "request.missing_field", "decision",
                   "请录入一事一议的决定：补助金额（amount_fen，分）与会议纪要文号（ref）",
                   "Give the committee's decision: the amount (amount_fen) and the minutes' number (ref)");
  return talent_committee_check(decision, e) ? -1 : 1;
}

const CaseItemHooks talent_case_hooks = {"talent", hook_reviewer, TALENT_APPLY_EMPLOYER, hook_approve, hook_view,
                                         hook_committee};

/* item_of() fills it with the application item of policy p (an element of
** talent_policies()) for department dept. */
static void item_of(const json_t *p, const char *dept, Item *it) {
  const char *code = json_string_value(json_object_get(p, "code"));
  const char *name = json_string_value(json_object_get(p, "name"));
  const json_t *versions = json_object_get(p, "versions");
  const json_t *first = json_array_get(versions, 0), *last = json_array_get(versions, json_array_size(versions) - 1);
  bool review = json_is_true(json_object_get(p, "employer_review"));
  memset(it, 0, sizeof *it);
  int n = snprintf(it->code, sizeof it->code, "JP-RSJ-RC-");
  for (const char *c = code; *c && n < (int)sizeof it->code - 1; c++, n++)
    it->code[n] = (*c >= 'a' && *c <= 'z') ? (char)(*c - 'a' + 'A') : *c;
  snprintf(it->dept_code, sizeof it->dept_code, "%s", dept);
  snprintf(it->name, sizeof it->name, "%s申请", name);
  snprintf(it->kind, sizeof it->kind, "行政给付");
  snprintf(it->effective_from, sizeof it->effective_from, "%s", json_string_value(json_object_get(first, "effective_from")));
  const char *to = json_string_value(json_object_get(last, "effective_to"));
  snprintf(it->effective_to, sizeof it->effective_to, "%s", to ? to : "");
  snprintf(it->legal_basis, sizeof it->legal_basis, "%s", json_string_value(json_object_get(first, "citation")));
  snprintf(it->conditions, sizeof it->conditions, "%s",
           review ? "符合该人才政策条件（以申请人人才档案为准）；用人单位在线确认申请后受理。"
                  : "符合该人才政策条件（以申请人人才档案为准）。");
  it->nMaterial = 1;
  Material *m = &it->aMaterial[0];
  snprintf(m->key, sizeof m->key, "id_card");
  snprintf(m->name, sizeof m->name, "居民身份证");
  m->core = true;
  snprintf(m->form, sizeof m->form, "electronic");
  snprintf(m->source, sizeof m->source, "registry.person");
  it->legal_limit = 20;
  it->promised_limit = 10;
  it->limit_unit = LIMIT_WORKDAYS;
  snprintf(it->fees, sizeof it->fees, "不收费");
  it->handling = HANDLING_PROMISE;
  it->ch_window = it->ch_online = true;
  it->visits = 0;
  it->rule = xstrdup("");
  snprintf(it->parties, sizeof it->parties, "person");
  it->form = review ? json_pack("[{s:s,s:s,s:s,s:s,s:b,s:i,s:i}]", "name", TALENT_APPLY_EMPLOYER, "label",
                                "用人单位统一社会信用代码", "label_en", "Employer's unified social credit code", "type",
                                "text", "required", 1, "min", 18, "max", 18)
                    : json_array();
  snprintf(it->themes, sizeof it->themes, "%s", "");
}

typedef struct ItemsJob {
  const json_t *list; /* talent_policies() */
  const Item *a;
} ItemsJob;

static int items_job(Db *db, void *arg, Err *e) {
  ItemsJob *j = arg;
  size_t i;
  json_t *p;
  json_array_foreach(j->list, i, p) {
    if (db_run(db, e,
               "INSERT INTO talent_item(item_code, policy, employer_review) VALUES (?,?,?)"
               " ON CONFLICT (item_code) DO UPDATE SET policy = excluded.policy,"
               " employer_review = excluded.employer_review",
               "tti", j->a[i].code, json_string_value(json_object_get(p, "code")),
               (int64_t)json_is_true(json_object_get(p, "employer_review"))) < 0)
      return -1;
  }
  return 0;
}

int talent_apply_items_load(Store *s, const User *actor, int64_t *n, Err *e) {
  char dept[32], today[11];
  if (params_text(store_reader(s), "talent", "dept", time_today_cn(today), dept, sizeof dept, e)) return -1;
  json_t *list = talent_policies();
  size_t count = json_array_size(list), i;
  Item *a = xcalloc(count ? count : 1, sizeof *a);
  unsigned char *refused = xcalloc(count ? count : 1, 1);
  char(*why)[800] = xcalloc(count ? count : 1, sizeof *why);
  int rc = -1;
  json_t *p;
  json_array_foreach(list, i, p) {
    item_of(p, dept, &a[i]);
    if (catalog_item_check(&a[i], e)) goto out;
  }
  if (catalog_import_items(s, actor, a, (int)count, true, refused, why, n, e)) goto out;
  for (i = 0; i < count; i++)
    if (refused[i] == 1) {
      err_setf(e, E_INVALID, "talent.item_refused", NULL, "人才政策申请事项未能写入：%s", "An application item was refused: %s",
               why[i]);
      goto out;
    }
  ItemsJob j = {list, a};
  rc = store_write(s, items_job, &j, e);
out:
  for (i = 0; i < count; i++) catalog_item_free(&a[i]);
  free(a);
  free(refused);
  free(why);
  json_decref(list);
  return rc;
}
