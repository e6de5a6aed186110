/*
** invest.c — 招商 projects, their stages and their funds in place (see
** invest.h). All SQL on invest_* lives here and in invest_io.c (the
** ledgers' exports) and invest_demo.c.
*/
#include "invest.h"
#include "audit.h"
#include "bundle.h"
#include "params.h"
#include "parcel.h"
#include "registry.h"
#include "sla.h"
#include "../base/cal.h"
#include "../base/codes.h"
#include "../base/jsonx.h"
#include "../base/money.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the stages, as a workflow ------------------------------------------ */

enum { PS_LEAD, PS_TALKS, PS_SIGNED, PS_REGISTERED, PS_STARTED, PS_PRODUCING, PS_FULL, PS_STOPPED, PS_COUNT };

static const WfState states[PS_COUNT] = {
    [PS_LEAD] = {"lead", "线索", "Lead", true},
    [PS_TALKS] = {"talks", "在谈", "In talks", true},
    [PS_SIGNED] = {"signed", "签约", "Signed", true},
    [PS_REGISTERED] = {"registered", "注册", "Registered", true},
    [PS_STARTED] = {"started", "开工", "Construction started", true},
    [PS_PRODUCING] = {"producing", "投产", "In production", true},
    [PS_FULL] = {"full", "达产", "At full production", false},
    [PS_STOPPED] = {"stopped", "中止", "Stopped", false},
};

/* Ctx: one move's work on one project, inside its write job. */
typedef struct Project {
  int64_t id, dept_id, owner_id, version;
  int64_t bundle_id; /* the last 企业开办 bundle filed from it (帮办), 0 for none */
  char code[40], name[244], stage[16], uscc[24];
  char last_on[11]; /* the day of the latest stage reached: a move's day is not before it */
  int st;
} Project;

typedef struct Ctx {
  Db *db;
  const User *actor;
  const json_t *args;
  int64_t now;
  Project p;
  json_t *set;  /* the evidence the move records: {column: value} (strings or integers) */
  json_t *note; /* what the timeline shows of it */
} Ctx;

static int hook_talks(Db *db, void *ctx, Err *e);
static int hook_sign(Db *db, void *ctx, Err *e);
static int hook_register(Db *db, void *ctx, Err *e);
static int hook_start(Db *db, void *ctx, Err *e);
static int hook_produce(Db *db, void *ctx, Err *e);
static int hook_full(Db *db, void *ctx, Err *e);
static int hook_stop(Db *db, void *ctx, Err *e);

#define S(x) WF_BIT(x)
#define OFFICER (ROLE_INVEST | ROLE_ADMIN)

static const WfMove moves[] = {
    {"negotiate", "进入洽谈", "Start talks", S(PS_LEAD), PS_TALKS, OFFICER, CLK_NONE, 0, hook_talks},
    {"sign", "签约", "Sign", S(PS_TALKS), PS_SIGNED, OFFICER, CLK_NONE, 0, hook_sign},
    {"register", "注册落地", "Register the entity", S(PS_SIGNED), PS_REGISTERED, OFFICER, CLK_NONE, 0, hook_register},
    {"start", "开工", "Start construction", S(PS_REGISTERED), PS_STARTED, OFFICER, CLK_NONE, 0, hook_start},
    {"produce", "投产", "Start production", S(PS_STARTED), PS_PRODUCING, OFFICER, CLK_NONE, 0, hook_produce},
    {"reach_full", "达产", "Reach full production", S(PS_PRODUCING), PS_FULL, OFFICER, CLK_NONE, 0, hook_full},
    {"stop", "中止", "Stop", S(PS_LEAD) | S(PS_TALKS) | S(PS_SIGNED) | S(PS_REGISTERED) | S(PS_STARTED), PS_STOPPED,
     OFFICER, CLK_NONE, 0, hook_stop},
};

static const WfStep steps[] = {
    {"create", "登记项目线索", "Project recorded"},
    {"fund", "登记到位资金", "Funds in place recorded"},
    {"followup", "登记跟进", "Follow-up recorded"},
    {"bundle", "为投资方办理企业开办", "Start-up bundle filed for the investor"},
};

const Workflow invest_workflow = {"invest", "招商项目", "investment project", "invest", states, PS_COUNT, moves,
                                  (int)XQ_COUNT(moves), steps, (int)XQ_COUNT(steps)};

/* ---- who ------------------------------------------------------------------ */

/* may_see() is true when u may read a project of department dept. */
static bool may_see(const User *u, int64_t dept) {
  if (u->role & (ROLE_ADMIN | ROLE_LEADER | ROLE_AUDITOR)) return true;
  return u->role == ROLE_INVEST && u->dept_id == dept;
}

static bool may_act(const User *u, int64_t dept) {
  return u->role == ROLE_ADMIN || (u->role == ROLE_INVEST && u->dept_id == dept);
}

/* may_help() is true when u may file a start-up bundle for an investor of
** a project of department dept (帮办): its own investment officers only. */
static bool may_help(const User *u, int64_t dept) {
  return u->role == ROLE_INVEST && u->dept_id == dept;
}

/* register_open() is true when the 注册 move may be taken from stage st:
** the start-up bundle serves that move, so it is filed then. */
static bool register_open(int st) {
  const WfMove *m = workflow_move(&invest_workflow, "register");
  return st >= 0 && m && (m->from & WF_BIT(st));
}

static int not_found(const char *code, Err *e) {
  return err_setf(e, E_NOTFOUND, "invest.not_found", NULL, "没有找到该招商项目：%s", "No investment project %s",
                  code ? code : "");
}

/* ---- evidence ------------------------------------------------------------ */

/* day_ok() is true for a real date (YYYY-MM-DD) that is not after today in Beijing. */
static bool day_ok(const char *v) {
  int day, today;
  char t[11];
  cal_parse_date(time_today_cn(t), &today);
  return v && cal_parse_date(v, &day) == 0 && day <= today;
}

/* day_arg() reads args' member name as a date that is not in the future
** nor before the day of the stage before, into out; label names it. */
static int day_arg(const Ctx *x, const char *name, const char *label, char out[11], Err *e) {
  const char *v = json_string_value(json_object_get(x->args, name));
  if (!v || !v[0]) {
    char zh[160];
    snprintf(zh, sizeof zh, "缺少证明材料：%s（YYYY-MM-DD）", label);
    return err_setf(e, E_INVALID, "invest.evidence_missing", name, zh, "Evidence missing: %s (YYYY-MM-DD)", name);
  }
  if (!day_ok(v))
    return err_setf(e, E_INVALID, "invest.bad_date", name, "日期无效或在今天之后：%s",
                    "Not a date, or a date after today: %s", v);
  if (strcmp(v, x->p.last_on) < 0) {
    char zh[160], en[160];
    snprintf(zh, sizeof zh, "%s %s 早于上一阶段的日期 %s", label, v, x->p.last_on);
    snprintf(en, sizeof en, "%s %s is before the day of the stage before, %s", name, v, x->p.last_on);
    return err_set(e, E_INVALID, "invest.bad_date", name, zh, en);
  }
  snprintf(out, 11, "%s", v);
  json_object_set_new(x->set, name, json_string(v));
  json_object_set_new(x->note, name, json_string(v));
  return 0;
}

/* day_opt() is day_arg() for a date that defaults to today. */
static int day_opt(const Ctx *x, const char *name, const char *label, Err *e) {
  char day[11];
  if (json_object_get(x->args, name)) return day_arg(x, name, label, day, e);
  json_object_set_new(x->set, name, json_string(time_today_cn(day)));
  return 0;
}

static int hook_talks(Db *db, void *ctx, Err *e) {
  (void)db;
  return day_opt(ctx, "talks_on", "进入洽谈日期", e);
}

static int hook_sign(Db *db, void *ctx, Err *e) {
  Ctx *x = ctx;
  char day[11];
  int64_t fen;
  (void)db;
  if (day_arg(x, "signed_on", "签约日期", day, e)) return -1;
  const char *amount = json_string_value(json_object_get(x->args, "contract_amount"));
  if (!amount)
    return err_set(e, E_INVALID, "invest.evidence_missing", "contract_amount", "缺少证明材料：合同投资额（元）",
                   "Evidence missing: the contract amount (yuan)");
  if (money_parse(amount, money_currency("CNY"), "contract_amount", &fen, e)) return -1;
  if (fen <= 0)
    return err_set(e, E_INVALID, "invest.bad_amount", "contract_amount", "合同投资额应大于零",
                   "The contract amount must be above zero");
  json_object_set_new(x->set, "contract_amount", json_integer(fen));
  json_object_set_new(x->note, "contract_amount", json_string(amount));
  return 0;
}

/* The entity a project registered: named by its USCC, or the one a
** 企业开办 bundle founded (the bundle's own entity, once issued): the
** bundle named, else the one filed from the project (帮办). */
static int hook_register(Db *db, void *ctx, Err *e) {
  Ctx *x = ctx;
  const char *uscc = json_string_value(json_object_get(x->args, "uscc"));
  json_int_t bundle = json_integer_value(json_object_get(x->args, "bundle"));
  if (!uscc && !json_object_get(x->args, "bundle")) bundle = x->p.bundle_id;
  char found[24] = "";
  if (!uscc && bundle > 0) {
    char name[244];
    if (bundle_entity(db, bundle, found, sizeof found, name, sizeof name, e)) return -1;
    if (!found[0])
      return err_set(e, E_INVALID, "invest.bundle_not_registered", "bundle", "该一件事尚未登记出新的市场主体",
                     "That bundle has not registered a new market entity yet");
    uscc = found;
    json_object_set_new(x->note, "bundle", json_integer(bundle)); /* the evidence: which 一件事 */
  }
  if (!uscc)
    return err_set(e, E_INVALID, "invest.evidence_missing", "uscc",
                   "缺少证明材料：落地企业的统一社会信用代码，或其企业开办一件事",
                   "Evidence missing: the registered entity's USCC, or its 企业开办 bundle");
  Entity en;
  if (registry_entity_get_on(db, uscc, &en, e)) {
    if (strcmp(e->code, "entity.not_found") != 0) return -1;
    return err_setf(e, E_INVALID, "invest.unknown_entity", "uscc", "市场主体名录中没有该统一社会信用代码：%s",
                    "The registry holds no entity %s", uscc);
  }
  json_object_set_new(x->set, "uscc", json_string(uscc));
  json_object_set_new(x->note, "uscc", json_string(uscc));
  snprintf(x->p.uscc, sizeof x->p.uscc, "%s", uscc);
  return day_opt(x, "registered_on", "注册日期", e);
}

/* 开工: the land parcel the project's entity holds, or its issued
** construction-permit case. */
static int hook_start(Db *db, void *ctx, Err *e) {
  Ctx *x = ctx;
  char day[11];
  const char *parcel = json_string_value(json_object_get(x->args, "parcel"));
  const char *case_no = json_string_value(json_object_get(x->args, "case_no"));
  if (day_arg(x, "started_on", "开工日期", day, e)) return -1;
  if (parcel) {
    char holder[40];
    int rc = parcel_acquired(db, parcel, holder, e);
    if (rc < 0) return -1;
    if (rc == 0 || strcmp(holder, x->p.uscc) != 0)
      return err_setf(e, E_INVALID, "invest.parcel_not_held", "parcel", "该地块未出让给本项目的落地企业：%s",
                      "The parcel was not sold to the project's entity: %s", parcel);
    json_object_set_new(x->set, "parcel", json_string(parcel));
    json_object_set_new(x->note, "parcel", json_string(parcel));
    return 0;
  }
  if (case_no) {
    Stmt *st = db_prepare(db, "SELECT party, state FROM case_file WHERE case_no = ?", e);
    if (!st) return -1;
    stmt_bind_text(st, 1, case_no);
    int rc = stmt_step(st, e);
    bool ok = rc == 1 && strcmp(stmt_text(st, 0), x->p.uscc) == 0 &&
              (strcmp(stmt_text(st, 1), "issued") == 0 || strcmp(stmt_text(st, 1), "closed") == 0);
    stmt_done(st);
    if (rc < 0) return -1;
    if (!ok)
      return err_setf(e, E_INVALID, "invest.permit_not_issued", "case_no",
                      "该办件不是本项目落地企业已办结的许可：%s", "Not an issued permit of the project's entity: %s",
                      case_no);
    json_object_set_new(x->set, "permit_case", json_string(case_no));
    json_object_set_new(x->note, "case_no", json_string(case_no));
    return 0;
  }
  return err_set(e, E_INVALID, "invest.evidence_missing", "parcel",
                 "缺少证明材料：已出让给落地企业的地块（零时限审批），或其已办结的施工许可办件",
                 "Evidence missing: the parcel sold to the entity (零时限), or its issued construction-permit case");
}

static int hook_produce(Db *db, void *ctx, Err *e) {
  char day[11];
  (void)db;
  return day_arg(ctx, "producing_on", "投产日期", day, e);
}

static int hook_full(Db *db, void *ctx, Err *e) {
  char day[11];
  (void)db;
  return day_arg(ctx, "full_on", "达产日期", day, e);
}

static int hook_stop(Db *db, void *ctx, Err *e) {
  Ctx *x = ctx;
  const char *reason = json_string_value(json_object_get(x->args, "reason"));
  (void)db;
  if (!reason || !reason[0])
    return err_set(e, E_INVALID, "invest.evidence_missing", "reason", "缺少中止原因", "Give the reason to stop");
  if (text_check(reason, "reason", "中止原因", 200, true, e)) return -1;
  json_object_set_new(x->set, "stop_reason", json_string(reason));
  json_object_set_new(x->set, "stopped_from", json_string(x->p.stage));
  json_object_set_new(x->note, "reason", json_string(reason));
  return 0;
}

/* ---- reading ------------------------------------------------------------- */

#define PROJECT_COLS                                                                                     \
  "p.id, p.code, p.name, p.dept_id, p.owner_id, p.industry, p.origin, p.planned, p.planned_usd, p.stage, " \
  "p.signed_on, p.contract_amount, p.uscc, p.parcel, p.permit_case, p.started_on, p.producing_on, "        \
  "p.full_on, p.stop_reason, p.version, p.created_at, d.name, a.username, a.display, p.lead_on, p.talks_on, "    \
  "p.registered_on, p.activity_id, p.next_step, p.next_on, p.bundle_id"

/* project_load() reads project code into p: 1, 0 when none, -1. */
static int project_load(Db *db, const char *code, Project *p, Err *e) {
  Stmt *st = db_prepare(db, "SELECT id, dept_id, owner_id, version, code, name, stage, uscc, lead_on, talks_on,"
                            " signed_on, registered_on, started_on, producing_on, full_on, bundle_id FROM invest_project"
                            " WHERE code = ?", e);
  if (!st) return -1;
  stmt_bind_text(st, 1, code ? code : "");
  int rc = stmt_step(st, e);
  if (rc == 1) {
    memset(p, 0, sizeof *p);
    p->id = stmt_int(st, 0);
    p->dept_id = stmt_int(st, 1);
    p->owner_id = stmt_int(st, 2);
    p->version = stmt_int(st, 3);
    snprintf(p->code, sizeof p->code, "%s", stmt_text(st, 4));
    snprintf(p->name, sizeof p->name, "%s", stmt_text(st, 5));
    snprintf(p->stage, sizeof p->stage, "%s", stmt_text(st, 6));
    snprintf(p->uscc, sizeof p->uscc, "%s", stmt_text(st, 7));
    for (int i = 8; i <= 14; i++)
      if (strcmp(stmt_text(st, i), p->last_on) > 0) snprintf(p->last_on, sizeof p->last_on, "%s", stmt_text(st, i));
    p->st = workflow_state(&invest_workflow, p->stage);
    p->bundle_id = stmt_int(st, 15);
  }
  stmt_done(st);
  return rc;
}

static json_t *money_json(int64_t minor, const char *currency) {
  Buf b = {0};
  money_format(&b, minor, money_currency(currency), false);
  json_t *o = json_pack("{s:s,s:s,s:I}", "amount", buf_cstr(&b), "currency", currency, "minor", (json_int_t)minor);
  buf_free(&b);
  return o;
}

static json_t *project_row(Stmt *st) {
  const char *ind = stmt_text(st, 5);
  json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:o,s:s,s:s}", "code", stmt_text(st, 1), "name", stmt_text(st, 2),
                        "industry", ind, "origin", stmt_text(st, 6), "planned", money_json(stmt_int(st, 7), "CNY"),
                        "stage", stmt_text(st, 9), "department", stmt_text(st, 21));
  int s = workflow_state(&invest_workflow, stmt_text(st, 9));
  json_object_set_new(o, "stage_label", json_string(s >= 0 ? states[s].label : ""));
  json_object_set_new(o, "owner", json_pack("{s:s,s:s}", "username", stmt_text(st, 22), "name", stmt_text(st, 23)));
  if (stmt_int(st, 8)) json_object_set_new(o, "planned_usd", money_json(stmt_int(st, 8), "USD"));
  static const struct {
    int col;
    const char *name;
  } opt[] = {{24, "lead_on"}, {25, "talks_on"}, {10, "signed_on"}, {26, "registered_on"}, {12, "uscc"},
             {13, "parcel"}, {14, "permit_case"}, {15, "started_on"}, {16, "producing_on"}, {17, "full_on"},
             {18, "stop_reason"}};
  for (size_t i = 0; i < XQ_COUNT(opt); i++)
    if (stmt_text(st, opt[i].col)[0]) json_object_set_new(o, opt[i].name, json_string(stmt_text(st, opt[i].col)));
  if (stmt_int(st, 11)) json_object_set_new(o, "contract_amount", money_json(stmt_int(st, 11), "CNY"));
  if (stmt_int(st, 27)) json_object_set_new(o, "activity", json_integer(stmt_int(st, 27)));
  if (stmt_text(st, 29)[0])
    json_object_set_new(o, "next", json_pack("{s:s,s:s}", "step", stmt_text(st, 28), "on", stmt_text(st, 29)));
  if (stmt_int(st, 30)) json_object_set_new(o, "bundle_id", json_integer(stmt_int(st, 30)));
  json_object_set_new(o, "version", json_integer(stmt_int(st, 19)));
  json_object_set_new(o, "created_at", jsonx_time(stmt_int(st, 20)));
  return o;
}

/* add_rows() sets key of o to the rows of sql (bound to id) built by row(). */
static int add_rows(Db *db, json_t *o, const char *key, const char *sql, int64_t id, json_t *(*row)(Stmt *),
                    Err *e) {
  Stmt *st = db_prepare(db, sql, e);
  if (!st) return -1;
  stmt_bind_int(st, 1, id);
  json_t *a = json_array();
  int rc;
  while ((rc = stmt_step(st, e)) == 1) json_array_append_new(a, row(st));
  stmt_done(st);
  json_object_set_new(o, key, a);
  return rc < 0 ? -1 : 0;
}

static json_t *investor_row(Stmt *st) {
  char country[80] = "";
  codes_country(stmt_text(st, 3), country, sizeof country);
  const char *prov = codes_province(stmt_text(st, 4));
  Buf share = {0};
  money_format(&share, stmt_int(st, 5), money_currency("CNY"), false); /* basis points as a 2-decimal percentage */
  json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "kind", stmt_text(st, 0), "code", stmt_text(st, 1), "name",
                        stmt_text(st, 2), "country", stmt_text(st, 3), "country_name", country, "province",
                        stmt_text(st, 4), "share", buf_cstr(&share));
  if (prov) json_object_set_new(o, "province_name", json_string(prov));
  buf_free(&share);
  return o;
}

static json_t *fund_row(Stmt *st) {
  json_t *o = json_pack("{s:s,s:o,s:o,s:s,s:s}", "on", stmt_text(st, 0), "amount",
                        money_json(stmt_int(st, 1), stmt_text(st, 2)), "cny", money_json(stmt_int(st, 4), "CNY"),
                        "kind", stmt_text(st, 5), "source", stmt_text(st, 6));
  Buf r = {0};
  money_rate_format(&r, stmt_int(st, 3));
  json_object_set_new(o, "rate", json_string(buf_cstr(&r)));
  if (stmt_int(st, 7)) json_object_set_new(o, "usd", money_json(stmt_int(st, 7), "USD"));
  buf_free(&r);
  return o;
}

static json_t *followup_row(Stmt *st) {
  return json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "on", stmt_text(st, 0), "kind", stmt_text(st, 1), "note",
                   stmt_text(st, 2), "next_step", stmt_text(st, 3), "next_on", stmt_text(st, 4), "by", stmt_text(st, 5),
                   "by_name", stmt_text(st, 6));
}

static json_t *event_row(Stmt *st) {
  json_t *note = json_loads(stmt_text(st, 4), 0, NULL);
  const char *action = stmt_text(st, 1);
  const WfMove *m = workflow_move(&invest_workflow, action);
  const char *label = m ? m->label : action;
  for (int i = 0; !m && i < invest_workflow.nStep; i++)
    if (strcmp(steps[i].action, action) == 0) label = steps[i].label;
  return json_pack("{s:o,s:s,s:s,s:s,s:s,s:s,s:o}", "at", jsonx_time(stmt_int(st, 0)), "action", action, "label", label,
                   "to_stage", stmt_text(st, 2), "actor", stmt_text(st, 3), "actor_name", stmt_text(st, 5), "note",
                   note ? note : json_object());
}

static json_t *project_json(Db *db, const User *actor, const char *code, Err *e) {
  Stmt *st = db_prepare(db, "SELECT " PROJECT_COLS " FROM invest_project p JOIN department d ON d.id = p.dept_id"
                                                   " JOIN account a ON a.id = p.owner_id WHERE p.code = ?", e);
  if (!st) return NULL;
  stmt_bind_text(st, 1, code ? code : "");
  int rc = stmt_step(st, e);
  json_t *o = NULL;
  int64_t id = 0, dept = 0;
  if (rc == 1) {
    id = stmt_int(st, 0);
    dept = stmt_int(st, 3);
    o = project_row(st);
  }
  stmt_done(st);
  if (rc < 0) return NULL;
  if (!o || !may_see(actor, dept)) {
    json_decref(o);
    not_found(code, e);
    return NULL;
  }
  int s = workflow_state(&invest_workflow, json_string_value(json_object_get(o, "stage")));
  json_object_set_new(o, "moves", may_act(actor, dept) ? workflow_open_moves(&invest_workflow, s, actor->role)
                                                        : json_array());
  /* Whether actor may file a start-up bundle for an investor now (帮办;
  ** invest_project_get() says no while the last one filed is live). */
  json_object_set_new(o, "may_file_bundle", json_boolean(may_help(actor, dept) && register_open(s)));
  if (add_rows(db, o, "investors",
               "SELECT kind, code, name, country, province, share_bp FROM invest_investor WHERE project_id = ?"
               " ORDER BY id", id, investor_row, e) ||
      add_rows(db, o, "funds",
               "SELECT on_day, amount, currency, rate, cny, kind, source, usd FROM invest_fund WHERE project_id = ?"
               " ORDER BY on_day, id", id, fund_row, e) ||
      add_rows(db, o, "followups",
               "SELECT f.on_day, f.kind, f.note, f.next_step, f.next_on, a.username, a.display FROM invest_followup f"
               " JOIN account a ON a.id = f.created_by WHERE f.project_id = ? ORDER BY f.on_day DESC, f.id DESC",
               id, followup_row, e) ||
      add_rows(db, o, "timeline",
               "SELECT ev.at, ev.action, ev.to_stage, a.username, ev.note, a.display FROM invest_event ev"
               " JOIN account a ON a.id = ev.actor_id WHERE ev.project_id = ? ORDER BY ev.id", id, event_row, e)) {
    json_decref(o);
    return NULL;
  }
  /* A person's ID number in full only to those who work the project. */
  if (!may_act(actor, dept)) {
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(o, "investors"), i, v) {
      char masked[40];
      if (strcmp(json_string_value(json_object_get(v, "kind")), "person") != 0) continue;
      codes_party_mask(json_string_value(json_object_get(v, "code")), masked);
      json_object_set_new(v, "code", json_string(masked));
    }
  }
  return o;
}

/* bundle_live() reads bundle id as actor sees it into *view (a new
** object without its children, or NULL when actor may not see it) and
** says whether it is live: in progress, or done (blocked ones are over).
** -1 with *e on a read failure. */
static int bundle_live(Store *s, const User *actor, int64_t id, json_t **view, Err *e) {
  Err seen = {0};
  *view = bundle_get(s, actor, id, &seen);
  if (!*view) {
    if (seen.kind == E_NOTFOUND) return 0;
    *e = seen;
    return -1;
  }
  json_object_del(*view, "children");
  return strcmp(json_string_value(json_object_get(*view, "status")), "blocked") != 0;
}

json_t *invest_project_get(Store *s, const User *actor, const char *code, Err *e) {
  json_t *o = project_json(store_reader(s), actor, code, e);
  json_int_t id = o ? json_integer_value(json_object_get(o, "bundle_id")) : 0;
  if (id) {
    json_t *view;
    int live = bundle_live(s, actor, id, &view, e);
    if (live < 0) {
      json_decref(o);
      return NULL;
    }
    if (view) json_object_set_new(o, "bundle", view);
    if (live) json_object_set_new(o, "may_file_bundle", json_false());
  }
  return o;
}

/* bind_filters() binds the list's filters in the order its WHERE names them. */
static void bind_filters(Stmt *st, const User *actor, const InvestQuery *q, const char *like) {
  int i = 1;
  if (actor->role == ROLE_INVEST) stmt_bind_int(st, i++, actor->dept_id);
  if (q->stage) stmt_bind_text(st, i++, q->stage);
  if (q->owner) stmt_bind_text(st, i++, q->owner);
  if (q->q) stmt_bind_text(st, i++, like);
}

json_t *invest_project_list(Store *s, const User *actor, const InvestQuery *q, Err *e) {
  if (!(actor->role & (ROLE_INVEST | ROLE_ADMIN | ROLE_LEADER | ROLE_AUDITOR)))
    return err_set(e, E_FORBIDDEN, "auth.forbidden", NULL, "无权查看招商项目", "You may not see investment projects"),
           NULL;
  if (q->stage && workflow_state(&invest_workflow, q->stage) < 0)
    return err_setf(e, E_INVALID, "invest.bad_stage", "stage", "没有这个项目阶段：%s", "No such stage: %s", q->stage),
           NULL;
  Buf where = {0};
  buf_puts(&where, " WHERE 1=1");
  if (actor->role == ROLE_INVEST) buf_puts(&where, " AND p.dept_id = ?");
  if (q->stage) buf_puts(&where, " AND p.stage = ?");
  if (q->owner) buf_puts(&where, " AND a.username = ?");
  if (q->q) buf_puts(&where, " AND p.name LIKE ? ESCAPE '\\'");
  char like[256] = "";
  if (q->q) {
    size_t n = 0;
    like[n++] = '%';
    for (const char *c = q->q; *c && n < sizeof like - 3; c++) {
      if (*c == '%' || *c == '_' || *c == '\\') like[n++] = '\\';
      like[n++] = *c;
    }
    like[n++] = '%';
    like[n] = 0;
  }
  Db *db = store_reader(s);
  json_t *out = NULL, *items = json_array();
  int64_t total = 0;
  char *sql = xasprintf("SELECT COUNT(*) FROM invest_project p JOIN account a ON a.id = p.owner_id%s",
                        buf_cstr(&where));
  Stmt *st = db_prepare(db, sql, e);
  free(sql);
  int rc = -1;
  if (!st) goto out;
  bind_filters(st, actor, q, like);
  rc = stmt_step(st, e);
  if (rc == 1) total = stmt_int(st, 0);
  stmt_done(st);
  if (rc < 0) goto out;
  sql = xasprintf("SELECT " PROJECT_COLS " FROM invest_project p JOIN department d ON d.id = p.dept_id"
                  " JOIN account a ON a.id = p.owner_id%s ORDER BY p.id DESC LIMIT %d OFFSET %d",
                  buf_cstr(&where), q->per_page, (q->page - 1) * q->per_page);
  st = db_prepare(db, sql, e);
  free(sql);
  if (!st) goto out;
  bind_filters(st, actor, q, like);
  while ((rc = stmt_step(st, e)) == 1) json_array_append_new(items, project_row(st));
  stmt_done(st);
  if (rc < 0) goto out;
  out = json_pack("{s:O,s:I,s:i,s:i}", "items", items, "total", (json_int_t)total, "page", q->page, "per_page",
                  q->per_page);
out:
  json_decref(items);
  buf_free(&where);
  return out;
}

/* ---- writing ------------------------------------------------------------- */

/* event() writes a timeline entry of project id. */
static int event(Db *db, int64_t id, const User *actor, int64_t now, const char *action, const char *to,
                 const json_t *note, Err *e) {
  char *n = json_dumps(note ? note : json_object(), JSON_COMPACT | JSON_SORT_KEYS);
  int64_t rc = db_run(db, e, "INSERT INTO invest_event(project_id, at, actor_id, action, to_stage, note)"
                             " VALUES (?,?,?,?,?,?)", "iiitt" "t", id, now, actor->id, action, to, n);
  free(n);
  return rc < 0 ? -1 : 0;
}

/* Investor: one row of a new project's investors, checked. */
typedef struct Investor {
  char kind[12], code[24], name[404], country[4], province[4];
  int64_t share_bp;
} Investor;

typedef struct CreateJob {
  const User *actor;
  int64_t now, planned, planned_usd, activity;
  bool confirm_duplicate; /* the officer checked the near-identical projects: not the same */
  char name[244], industry[4], origin[12], owner[64], lead_on[11];
  Investor *aInvestor;
  int nInvestor;
  char code[40];
} CreateJob;

static const char *const industries = "ABCDEFGHIJKLMNOPQRST"; /* GB/T 4754-2017 门类 */

/* investors_decode() checks in's investors into j. */
static int investors_decode(const json_t *arr, CreateJob *j, Err *e) {
  size_t n = json_array_size(arr);
  if (!json_is_array(arr) || n == 0 || n > 20)
    return err_set(e, E_INVALID, "invest.bad_investors", "investors", "投资方应为 1 至 20 个",
                   "A project has 1 to 20 investors");
  j->aInvestor = xcalloc(n, sizeof *j->aInvestor);
  j->nInvestor = (int)n;
  int64_t total = 0;
  for (size_t i = 0; i < n; i++) {
    Investor *v = &j->aInvestor[i];
    char share[24] = "", field[96];
    JField f[] = {
        {"kind", J_STR, true, v->kind, sizeof v->kind, 0, 0, NULL},
        {"code", J_STR, false, v->code, sizeof v->code, 0, 0, NULL},
        {"name", J_STR, true, v->name, sizeof v->name, 1, 100, NULL},
        {"country", J_STR, false, v->country, sizeof v->country, 0, 0, NULL},
        {"province", J_STR, false, v->province, sizeof v->province, 0, 0, NULL},
        {"share", J_STR, true, share, sizeof share, 0, 0, NULL},
    };
    if (jsonx_decode(json_array_get(arr, i), f, (int)XQ_COUNT(f), false, e)) {
      snprintf(field, sizeof field, "investors.%zu.%.40s", i, e->field);
      snprintf(e->field, sizeof e->field, "%.63s", field);
      return -1;
    }
    snprintf(field, sizeof field, "investors.%zu", i);
    char why[160];
    bool entity = strcmp(v->kind, "entity") == 0, person = strcmp(v->kind, "person") == 0,
         foreign = strcmp(v->kind, "foreign") == 0;
    if (!entity && !person && !foreign)
      return err_setf(e, E_INVALID, "invest.bad_investor_kind", field, "投资方类型应为 entity（境内企业）、person（个人）或 foreign（境外企业）：%s",
                      "An investor is an entity, a person or foreign: %s", v->kind);
    if (!v->country[0]) snprintf(v->country, sizeof v->country, "%s", foreign ? "" : "CN");
    if (!codes_country(v->country, NULL, 0))
      return err_setf(e, E_INVALID, "invest.bad_country", field, "国家或地区代码无效（ISO 3166 两位字母）：%s",
                      "Not an ISO 3166 alpha-2 country code: %s", v->country);
    if (foreign && strcmp(v->country, "CN") == 0)
      return err_set(e, E_INVALID, "invest.bad_country", field, "境外投资方的国家或地区不能是中国内地（CN）",
                     "A foreign investor's country cannot be CN");
    if (entity && codes_uscc_check(v->code, why, sizeof why))
      return err_setf(e, E_INVALID, "invest.bad_uscc", field, "统一社会信用代码无效：%s", "Not a USCC: %s", v->code);
    if (person && v->code[0] && codes_id_check(v->code, NULL, why, sizeof why))
      return err_setf(e, E_INVALID, "invest.bad_id", field, "身份证号码无效：%s", "Not an ID number: %s", v->code);
    if (!foreign) {
      if (!v->province[0] && entity) snprintf(v->province, sizeof v->province, "%.2s", v->code + 2);
      if (!v->province[0] && person && v->code[0]) snprintf(v->province, sizeof v->province, "%.2s", v->code);
      if (!v->province[0])
        return err_set(e, E_INVALID, "invest.bad_province", field,
                       "境内投资方请填写省份，或填写证照号码（省份从中读出）",
                       "A domestic investor needs its province, or its code (the province is read from it)");
      if (!codes_province(v->province))
        return err_setf(e, E_INVALID, "invest.bad_province", field, "境内投资方的省份代码无效（GB/T 2260 前两位）：%s",
                        "Not a province code (GB/T 2260, two digits): %s", v->province);
    } else if (v->province[0]) {
      return err_set(e, E_INVALID, "invest.bad_province", field, "境外投资方不填省份", "A foreign investor has no province");
    }
    /* A share is a percentage with two decimals at most: basis points. */
    if (money_parse(share, money_currency("CNY"), field, &v->share_bp, e) || v->share_bp <= 0 ||
        v->share_bp > 10000)
      return err_setf(e, E_INVALID, "invest.bad_share", field, "出资比例应为 0 至 100 之间的百分数，最多两位小数：%s",
                      "A share is a percentage above 0 and at most 100, two decimals at most: %s", share);
    total += v->share_bp;
  }
  if (total != 10000)
    return err_set(e, E_INVALID, "invest.shares_not_100", "investors", "各投资方出资比例之和应为 100%",
                   "The investors' shares must add up to 100%");
  return 0;
}

/* ---- duplicates ----------------------------------------------------------- */

/* NameKey: a project's name as the code points that tell it apart: no
** blanks or punctuation, no 演示 mark, no trailing 项目. */
typedef struct NameKey {
  uint32_t a[128];
  int n;
} NameKey;

static void name_key(const char *s, NameKey *k) {
  static const char *const drop = " \t·•.,;:!?()[]-—_/、，。；：！？（）【】《》“”‘’\"'";
  k->n = 0;
  for (const unsigned char *p = (const unsigned char *)s; *p && k->n < 128;) {
    int len = *p < 0x80 ? 1 : *p < 0xE0 ? 2 : *p < 0xF0 ? 3 : 4;
    uint32_t c = len == 1 ? *p : len == 2 ? *p & 0x1F : len == 3 ? *p & 0x0F : *p & 0x07;
    for (int i = 1; i < len && p[i]; i++) c = (c << 6) | (p[i] & 0x3F);
    bool skip = false;
    if (len == 1) skip = strchr(drop, (char)*p) != NULL || *p == 0;
    else {
      /* A multi-byte punctuation mark of the list above. */
      for (const char *q = drop; *q && !skip; q++)
        if ((unsigned char)*q >= 0x80 && strncmp(q, (const char *)p, (size_t)len) == 0) skip = true;
    }
    if (!skip) k->a[k->n++] = c >= 'a' && c <= 'z' ? c - 32 : c;
    p += len;
  }
  /* 演示 marks demonstration data; 项目 at the end says nothing. */
  static const uint32_t demo[] = {0x6F14, 0x793A}, xm[] = {0x9879, 0x76EE};
  for (int i = 0; i + 1 < k->n; i++)
    if (k->a[i] == demo[0] && k->a[i + 1] == demo[1]) {
      memmove(&k->a[i], &k->a[i + 2], (size_t)(k->n - i - 2) * sizeof *k->a);
      k->n -= 2;
      i--;
    }
  if (k->n > 2 && k->a[k->n - 2] == xm[0] && k->a[k->n - 1] == xm[1]) k->n -= 2;
}

/* name_similar() is true when two project names are near-identical: the
** same once blanks, punctuation and a trailing 项目 are set aside, or
** sharing at least 80% of their pairs of characters (Dice's coefficient). */
static bool name_similar(const char *x, const char *y) {
  NameKey a, b;
  name_key(x, &a);
  name_key(y, &b);
  if (a.n == b.n && memcmp(a.a, b.a, (size_t)a.n * sizeof *a.a) == 0) return true;
  if (a.n < 2 || b.n < 2) return false;
  int common = 0;
  bool used[128] = {false};
  for (int i = 0; i + 1 < a.n; i++)
    for (int k = 0; k + 1 < b.n; k++)
      if (!used[k] && a.a[i] == b.a[k] && a.a[i + 1] == b.a[k + 1]) {
        used[k] = true;
        common++;
        break;
      }
  return 2.0 * common / (double)(a.n - 1 + b.n - 1) >= 0.8;
}

/* duplicates() refuses (invest.duplicate, naming them) a new project whose
** investor already has a live project of a near-identical name. */
static int duplicates(Db *db, const CreateJob *j, Err *e) {
  Buf found = {0};
  int rc = 0;
  for (int i = 0; i < j->nInvestor && rc == 0; i++) {
    const Investor *v = &j->aInvestor[i];
    Stmt *st = db_prepare(db, v->code[0] ? "SELECT DISTINCT p.code, p.name FROM invest_project p JOIN invest_investor i"
                                           " ON i.project_id = p.id WHERE i.code = ? AND p.stage <> 'stopped'"
                                         : "SELECT DISTINCT p.code, p.name FROM invest_project p JOIN invest_investor i"
                                           " ON i.project_id = p.id WHERE i.name = ? AND i.country = ?"
                                           " AND p.stage <> 'stopped'", e);
    if (!st) return -1;
    stmt_bind_text(st, 1, v->code[0] ? v->code : v->name);
    if (!v->code[0]) stmt_bind_text(st, 2, v->country);
    int step;
    while ((step = stmt_step(st, e)) == 1)
      if (name_similar(j->name, stmt_text(st, 1)) && !strstr(buf_cstr(&found), stmt_text(st, 0)))
        buf_appendf(&found, "%s%s %s", found.n ? "；" : "", stmt_text(st, 0), stmt_text(st, 1));
    stmt_done(st);
    if (step < 0) rc = -1;
  }
  if (rc == 0 && found.n)
    rc = err_setf(e, E_CONFLICT, "invest.duplicate", "name",
                  "该投资方已有名称相近的项目：%s。确认不是同一项目的，请加上 confirm_duplicate: true 再提交",
                  "The investor already has a project of a near-identical name: %s. If it is not the same project, "
                  "send again with confirm_duplicate: true", buf_cstr(&found));
  buf_free(&found);
  return rc;
}

static int create_job(Db *db, void *arg, Err *e) {
  CreateJob *j = arg;
  User owner;
  if (j->owner[0]) {
    if (accounts_user_get(db, j->owner, &owner, e) < 0 || owner.role != ROLE_INVEST ||
        (j->actor->role != ROLE_ADMIN && owner.dept_id != j->actor->dept_id))
      return err_setf(e, E_INVALID, "invest.bad_owner", "owner", "负责人应为本部门的招商专员：%s",
                      "The owner must be an investment officer of the department: %s", j->owner);
  } else if (j->actor->role == ROLE_INVEST) {
    owner = *j->actor;
  } else {
    return err_set(e, E_INVALID, "invest.bad_owner", "owner", "请指定项目负责人（招商专员）",
                   "Name the project's owner (an investment officer)");
  }
  if (j->activity > 0) {
    /* The 招商活动 the lead came from: one of the owner's department. */
    int64_t dept = 0;
    Stmt *a = db_prepare(db, "SELECT dept_id FROM invest_activity WHERE id = ?", e);
    if (!a) return -1;
    stmt_bind_int(a, 1, j->activity);
    int rc = stmt_step(a, e);
    if (rc == 1) dept = stmt_int(a, 0);
    stmt_done(a);
    if (rc < 0) return -1;
    if (dept == 0 || dept != owner.dept_id)
      return err_set(e, E_INVALID, "invest.bad_activity", "activity", "没有该部门的这项招商活动",
                     "No such investment-promotion activity of the department");
  }
  if (!j->confirm_duplicate && duplicates(db, j, e)) return -1;
  int64_t id = -1;
  Stmt *st = db_prepare(db, "INSERT INTO invest_project(code, name, dept_id, owner_id, industry, origin, planned,"
                            " planned_usd, stage, created_at, updated_at, lead_on, activity_id)"
                            " VALUES ('',?,?,?,?,?,?,?,'lead',?,?,?,?) RETURNING id", e);
  if (!st) return -1;
  stmt_bind_text(st, 1, j->name);
  stmt_bind_int(st, 2, owner.dept_id);
  stmt_bind_int(st, 3, owner.id);
  stmt_bind_text(st, 4, j->industry);
  stmt_bind_text(st, 5, j->origin);
  stmt_bind_int(st, 6, j->planned);
  stmt_bind_int(st, 7, j->planned_usd);
  stmt_bind_int(st, 8, j->now);
  stmt_bind_int(st, 9, j->now);
  stmt_bind_text(st, 10, j->lead_on);
  stmt_bind_int(st, 11, j->activity);
  if (stmt_step(st, e) == 1) id = stmt_int(st, 0);
  stmt_done(st);
  if (id < 0) return -1;
  char day[11];
  time_today_cn(day);
  snprintf(j->code, sizeof j->code, "ZS%.4s%06lld", day, (long long)id);
  if (db_run(db, e, "UPDATE invest_project SET code = ? WHERE id = ?", "ti", j->code, id) < 0) return -1;
  for (int i = 0; i < j->nInvestor; i++) {
    const Investor *v = &j->aInvestor[i];
    if (db_run(db, e, "INSERT INTO invest_investor(project_id, kind, code, name, country, province, share_bp)"
                      " VALUES (?,?,?,?,?,?,?)", "ittttti", id, v->kind, v->code, v->name, v->country, v->province,
               v->share_bp) < 0)
      return -1;
  }
  if (event(db, id, j->actor, j->now, "create", "lead", NULL, e)) return -1;
  char obj[64];
  snprintf(obj, sizeof obj, "invest:%s", j->code);
  json_t *d = json_pack("{s:s,s:s,s:I}", "name", j->name, "owner", owner.username, "planned", (json_int_t)j->planned);
  int rc = audit_append(db, j->actor, "invest.create", obj, d, e);
  json_decref(d);
  return rc;
}

/* project_decode() checks a new project in (invest_project_create()) into
** j, which the caller frees with project_free(). Returns 0, or -1 with *e. */
static int project_decode(const User *actor, const json_t *in, CreateJob *j, Err *e) {
  char planned[40] = "", planned_usd[40] = "";
  const json_t *investors = NULL;
  JField f[] = {
      {"name", J_STR, true, j->name, sizeof j->name, 2, 60, NULL},
      {"industry", J_STR, true, j->industry, sizeof j->industry, 0, 0, NULL},
      {"origin", J_STR, true, j->origin, sizeof j->origin, 0, 0, NULL},
      {"planned", J_STR, true, planned, sizeof planned, 0, 0, NULL},
      {"planned_usd", J_STR, false, planned_usd, sizeof planned_usd, 0, 0, NULL},
      {"owner", J_STR, false, j->owner, sizeof j->owner, 0, 0, NULL},
      {"investors", J_ARR, true, &investors, 0, 0, 0, NULL},
      {"lead_on", J_STR, false, j->lead_on, sizeof j->lead_on, 0, 0, NULL},
      {"activity", J_INT, false, &j->activity, 0, 0, 0, NULL},
      {"confirm_duplicate", J_BOOL, false, &j->confirm_duplicate, 0, 0, 0, NULL},
  };
  j->actor = actor;
  j->now = now_ms();
  if (!may_act(actor, actor->dept_id) || (actor->role != ROLE_ADMIN && actor->dept_id == 0))
    return err_set(e, E_FORBIDDEN, "auth.forbidden", NULL, "只有招商专员可以登记招商项目",
                   "Only investment officers record projects");
  if (jsonx_decode(in, f, (int)XQ_COUNT(f), false, e)) return -1;
  if (!j->lead_on[0]) time_today_cn(j->lead_on);
  if (!day_ok(j->lead_on))
    return err_setf(e, E_INVALID, "invest.bad_date", "lead_on", "日期无效或在今天之后：%s", "Not a date, or after today: %s",
                    j->lead_on);
  if (strlen(j->industry) != 1 || !strchr(industries, j->industry[0]))
    return err_setf(e, E_INVALID, "invest.bad_industry", "industry", "行业门类应为 GB/T 4754 的 A 至 T：%s",
                    "The industry is a GB/T 4754 section, A to T: %s", j->industry);
  bool foreign = strcmp(j->origin, "foreign") == 0;
  if (!foreign && strcmp(j->origin, "domestic") != 0)
    return err_setf(e, E_INVALID, "invest.bad_origin", "origin", "资金来源应为 domestic（内资）或 foreign（外资）：%s",
                    "The origin is domestic or foreign: %s", j->origin);
  if (money_parse(planned, money_currency("CNY"), "planned", &j->planned, e)) return -1;
  if (j->planned <= 0)
    return err_set(e, E_INVALID, "invest.bad_amount", "planned", "计划投资额应大于零", "The planned investment must be above zero");
  if (planned_usd[0] && money_parse(planned_usd, money_currency("USD"), "planned_usd", &j->planned_usd, e)) return -1;
  if (foreign != (j->planned_usd > 0))
    return err_set(e, E_INVALID, "invest.bad_amount", "planned_usd",
                   foreign ? "外资项目应填写外资部分（美元）" : "内资项目不填外资部分（美元）",
                   foreign ? "A foreign project gives its foreign part in dollars" : "A domestic project has no foreign part");
  if (investors_decode(investors, j, e)) return -1;
  if (actor->role == ROLE_ADMIN && !j->owner[0])
    return err_set(e, E_INVALID, "invest.bad_owner", "owner", "请指定项目负责人（招商专员）",
                   "Name the project's owner (an investment officer)");
  return 0;
}

static void project_free(CreateJob *j) { free(j->aInvestor); }

json_t *invest_project_create(Store *s, const User *actor, const json_t *in, Err *e) {
  CreateJob j = {0};
  json_t *out = NULL;
  if (project_decode(actor, in, &j, e) == 0 && store_write(s, create_job, &j, e) == 0)
    out = invest_project_get(s, actor, j.code, e);
  project_free(&j);
  return out;
}

typedef struct MoveJob {
  const User *actor;
  const char *code, *action;
  const json_t *args;
  int64_t now;
} MoveJob;

static int move_job(Db *db, void *arg, Err *e) {
  MoveJob *j = arg;
  Ctx x = {.db = db, .actor = j->actor, .args = j->args, .now = j->now};
  int rc = project_load(db, j->code, &x.p, e);
  if (rc <= 0) return rc < 0 ? -1 : not_found(j->code, e);
  if (!may_see(j->actor, x.p.dept_id)) return not_found(j->code, e);
  const WfMove *m = workflow_move(&invest_workflow, j->action);
  if (!m)
    return err_setf(e, E_NOTFOUND, "invest.no_move", NULL, "没有这个项目操作：%s", "No such move: %s", j->action);
  if (!may_act(j->actor, x.p.dept_id))
    return err_set(e, E_FORBIDDEN, "invest.forbidden", NULL, "只有本部门的招商专员可以推进该项目",
                   "Only the department's investment officers move this project");
  json_t *ver = json_object_get(j->args, "version");
  if (ver && json_integer_value(ver) != x.p.version)
    return err_setf(e, E_CONFLICT, "invest.conflict", NULL, "该项目刚被他人推进，当前阶段为%s，请刷新后重试",
                    "The project was moved meanwhile; it is now at %s", states[x.p.st].label);
  if (workflow_check(&invest_workflow, m, x.p.st, j->actor->role, e)) return -1;
  x.set = json_object();
  x.note = json_object();
  rc = -1;
  if (m->hook && m->hook(db, &x, e)) goto out;
  /* The evidence goes to its columns, named by the hooks (never by the caller). */
  Buf sql = {0};
  buf_appendf(&sql, "UPDATE invest_project SET stage = '%s', version = version + 1, updated_at = %lld",
              states[m->to].name, (long long)j->now);
  const char *k;
  json_t *v;
  json_object_foreach(x.set, k, v) buf_appendf(&sql, ", %s = ?", k);
  buf_appendf(&sql, " WHERE id = %lld AND version = %lld", (long long)x.p.id, (long long)x.p.version);
  Stmt *st = db_prepare(db, buf_cstr(&sql), e);
  buf_free(&sql);
  if (!st) goto out;
  int i = 1;
  json_object_foreach(x.set, k, v) {
    if (json_is_integer(v)) stmt_bind_int(st, i++, json_integer_value(v));
    else stmt_bind_text(st, i++, json_string_value(v));
  }
  int step = stmt_step(st, e);
  stmt_done(st);
  if (step < 0) goto out;
  if (event(db, x.p.id, j->actor, j->now, m->name, states[m->to].name, x.note, e)) goto out;
  char obj[64];
  snprintf(obj, sizeof obj, "invest:%s", x.p.code);
  json_object_set_new(x.note, "from", json_string(x.p.stage));
  json_object_set_new(x.note, "to", json_string(states[m->to].name));
  rc = audit_append(db, j->actor, "invest.move", obj, x.note, e);
out:
  json_decref(x.set);
  json_decref(x.note);
  return rc;
}

json_t *invest_project_move(Store *s, const User *actor, const char *code, const char *action, const json_t *args,
                            Err *e) {
  if (args && !json_is_object(args))
    return err_set(e, E_INVALID, "request.not_object", NULL, "请求体应为 JSON 对象", "The body must be a JSON object"),
           NULL;
  MoveJob j = {actor, code, action, args, now_ms()};
  if (store_write(s, move_job, &j, e)) return NULL;
  return invest_project_get(s, actor, code, e);
}

/* ---- 帮办: the start-up bundle filed for an investor ------------------------- */

typedef struct BundleFileJob {
  const User *actor;
  const char *code;
  int64_t version;          /* the project as it was checked */
  BundleFiling *f;          /* the bundle, checked */
  json_t *why;              /* what the audit event adds: {project, investor} */
  const char *investor;     /* the investor's name, for the timeline */
  int64_t id, now;          /* the bundle written; the instant */
} BundleFileJob;

/* bundle_file_job() writes the bundle, the project's link to it and its
** timeline step in one transaction, the project unchanged since it was
** checked (a compare-and-set on its version). */
static int bundle_file_job(Db *db, void *arg, Err *e) {
  BundleFileJob *j = arg;
  Project p;
  int rc = project_load(db, j->code, &p, e);
  if (rc <= 0) return rc < 0 ? -1 : not_found(j->code, e);
  if (p.version != j->version)
    return err_setf(e, E_CONFLICT, "invest.conflict", NULL, "该项目刚被他人推进，当前阶段为%s，请刷新后重试",
                    "The project was moved meanwhile; it is now at %s", states[p.st].label);
  if (bundle_filing_write(db, j->f, j->why, &j->id, e)) return -1;
  if (db_run(db, e, "UPDATE invest_project SET bundle_id = ?, version = version + 1, updated_at = ? WHERE id = ?"
                    " AND version = ?", "iiii", j->id, j->now, p.id, p.version) < 0)
    return -1;
  json_t *note = json_pack("{s:I,s:s}", "bundle", (json_int_t)j->id, "investor", j->investor);
  rc = event(db, p.id, j->actor, j->now, "bundle", p.stage, note, e);
  json_decref(note);
  return rc;
}

json_t *invest_bundle_file(Store *s, const User *actor, const char *code, const json_t *in, Err *e) {
  char investor[24] = "", kind[32] = "", name[404] = "";
  const json_t *form = NULL, *materials = NULL;
  JField f[] = {
      {"investor", J_STR, true, investor, sizeof investor, 1, 18, NULL},
      {"kind", J_STR, true, kind, sizeof kind, 1, 24, NULL},
      {"form", J_OBJ, false, &form, 0, 0, 0, NULL},
      {"materials", J_OBJ, false, &materials, 0, 0, 0, NULL},
  };
  Db *db = store_reader(s);
  BundleFileJob j = {.actor = actor, .code = code, .now = now_ms(), .investor = name};
  json_t *out = NULL, *filing = NULL;
  Project p;
  if (jsonx_decode(in, f, (int)XQ_COUNT(f), false, e)) goto out;
  int rc = project_load(db, code, &p, e);
  if (rc < 0) goto out;
  if (rc == 0 || !may_see(actor, p.dept_id)) {
    not_found(code, e);
    goto out;
  }
  if (!may_help(actor, p.dept_id)) {
    err_set(e, E_FORBIDDEN, "invest.forbidden", NULL, "只有本部门的招商专员可以为该项目的投资方办理企业开办",
            "Only the department's investment officers file the start-up bundle for this project's investor");
    goto out;
  }
  if (!register_open(p.st)) {
    err_setf(e, E_CONFLICT, "invest.bad_state", NULL,
             "企业开办为项目注册落地而办，应在可以“注册落地”时办理（当前阶段：%s）",
             "The start-up bundle serves the project's registration: file it when 注册 is the next move (now: %s)",
             states[p.st].label);
    goto out;
  }
  if (p.bundle_id) { /* one live bundle per project: another only once the last is blocked */
    json_t *view;
    int live = bundle_live(s, actor, p.bundle_id, &view, e);
    json_decref(view);
    if (live < 0) goto out;
    if (live) {
      char no[24];
      snprintf(no, sizeof no, "%lld", (long long)p.bundle_id);
      err_setf(e, E_CONFLICT, "invest.bundle_filed", NULL, "该项目已为投资方办理企业开办（一件事编号 %s），尚未终结",
               "A start-up bundle was already filed for this project (bundle %s) and is not over", no);
      goto out;
    }
  }
  /* Whom: an investor of the project the registry can name — a person by
  ** ID number, or a domestic entity by USCC (a foreign company has neither). */
  for (char *c = investor; *c; c++)
    if (*c >= 'a' && *c <= 'z') *c = (char)(*c - 'a' + 'A');
  Stmt *st = db_prepare(db, "SELECT name FROM invest_investor WHERE project_id = ? AND code = ?"
                            " AND kind IN ('person', 'entity') ORDER BY id LIMIT 1", e);
  if (!st) goto out;
  stmt_bind_int(st, 1, p.id);
  stmt_bind_text(st, 2, investor);
  rc = stmt_step(st, e);
  if (rc == 1) snprintf(name, sizeof name, "%s", stmt_text(st, 0));
  stmt_done(st);
  if (rc < 0) goto out;
  if (rc == 0) {
    err_setf(e, E_FORBIDDEN, "invest.not_investor", "investor",
             "只能为本项目的投资方办理：%s 不是本项目登记的境内投资方（企业按统一社会信用代码，个人按身份证号）",
             "Only the project's own investors: %s is not a domestic investor of this project (an entity by its USCC, "
             "a person by ID number)", investor);
    goto out;
  }
  filing = json_pack("{s:s,s:s}", "kind", kind, "party", investor);
  if (form) json_object_set_new(filing, "form", json_deep_copy(form));
  if (materials) json_object_set_new(filing, "materials", json_deep_copy(materials));
  if (!(j.f = bundle_filing_prepare(s, actor, filing, p.dept_id, e))) goto out;
  j.version = p.version;
  j.why = json_pack("{s:s,s:s}", "project", p.code, "investor", investor);
  if (store_write(s, bundle_file_job, &j, e) == 0) out = bundle_get(s, actor, j.id, e);
out:
  bundle_filing_free(j.f);
  json_decref(j.why);
  json_decref(filing);
  return out;
}

typedef struct FundJob {
  const User *actor;
  const char *code;
  int64_t now, amount, rate, usd_rate, cny, usd;
  char on[11], currency[4], kind[12], source[20], amount_text[40];
} FundJob;

static int fund_job(Db *db, void *arg, Err *e) {
  FundJob *j = arg;
  Project p;
  int rc = project_load(db, j->code, &p, e);
  if (rc <= 0 || !may_see(j->actor, p.dept_id)) return rc < 0 ? -1 : not_found(j->code, e);
  if (!may_act(j->actor, p.dept_id))
    return err_set(e, E_FORBIDDEN, "invest.forbidden", NULL, "只有本部门的招商专员可以登记该项目的到位资金",
                   "Only the department's investment officers record this project's funds");
  if (p.st == PS_LEAD || p.st == PS_TALKS || p.st == PS_STOPPED)
    return err_setf(e, E_CONFLICT, "invest.not_signed", NULL, "项目签约后才能登记到位资金（当前阶段：%s）",
                    "Funds are recorded once the project is signed (now: %s)", states[p.st].label);
  if (db_run(db, e, "INSERT INTO invest_fund(project_id, on_day, amount, currency, rate, cny, usd, kind, source,"
                    " created_at, created_by) VALUES (?,?,?,?,?,?,?,?,?,?,?)", "ititiiittii", p.id, j->on, j->amount,
             j->currency, j->rate, j->cny, j->usd, j->kind, j->source, j->now, j->actor->id) < 0)
    return -1;
  json_t *note = json_pack("{s:s,s:s,s:s,s:s,s:s}", "on", j->on, "amount", j->amount_text, "currency", j->currency,
                           "kind", j->kind, "source", j->source);
  rc = event(db, p.id, j->actor, j->now, "fund", p.stage, note, e);
  char obj[64];
  snprintf(obj, sizeof obj, "invest:%s", p.code);
  if (rc == 0) rc = audit_append(db, j->actor, "invest.fund", obj, note, e);
  json_decref(note);
  return rc;
}

/* fund_decode() checks funds in place in (invest_fund_add()) for project
** code (kept, not copied) into j. Returns 0, or -1 with *e. */
static int fund_decode(const User *actor, const char *code, const json_t *in, FundJob *j, Err *e) {
  char rate[40] = "", usd_rate[40] = "";
  JField f[] = {
      {"on", J_STR, true, j->on, sizeof j->on, 0, 0, NULL},
      {"amount", J_STR, true, j->amount_text, sizeof j->amount_text, 0, 0, NULL},
      {"currency", J_STR, false, j->currency, sizeof j->currency, 0, 0, NULL},
      {"rate", J_STR, false, rate, sizeof rate, 0, 0, NULL},
      {"usd_rate", J_STR, false, usd_rate, sizeof usd_rate, 0, 0, NULL},
      {"kind", J_STR, true, j->kind, sizeof j->kind, 0, 0, NULL},
      {"source", J_STR, true, j->source, sizeof j->source, 0, 0, NULL},
  };
  j->actor = actor;
  j->code = code;
  j->now = now_ms();
  if (jsonx_decode(in, f, (int)XQ_COUNT(f), false, e)) return -1;
  if (!day_ok(j->on))
    return err_setf(e, E_INVALID, "invest.bad_date", "on", "日期无效或在今天之后：%s", "Not a date, or after today: %s",
                    j->on);
  if (!j->currency[0]) snprintf(j->currency, sizeof j->currency, "CNY");
  const Currency *c = money_currency(j->currency), *cny = money_currency("CNY"), *usd = money_currency("USD");
  if (!c)
    return err_setf(e, E_INVALID, "money.bad_currency", "currency", "不支持的币种（ISO 4217）：%s",
                    "Not a currency xinqu knows (ISO 4217): %s", j->currency);
  if (money_parse(j->amount_text, c, "amount", &j->amount, e)) return -1;
  if (j->amount <= 0)
    return err_set(e, E_INVALID, "invest.bad_amount", "amount", "到位资金应大于零", "Funds in place must be above zero");
  if (strcmp(j->kind, "fixed") != 0 && strcmp(j->kind, "working") != 0)
    return err_setf(e, E_INVALID, "invest.bad_fund_kind", "kind", "资金类型应为 fixed（固定资产投资）或 working（流动资金）：%s",
                    "The kind is fixed or working: %s", j->kind);
  bool foreign = strcmp(j->source, "foreign") == 0;
  if (!foreign && strcmp(j->source, "out_of_province") != 0 && strcmp(j->source, "in_province") != 0)
    return err_setf(e, E_INVALID, "invest.bad_source", "source",
                    "资金来源应为 out_of_province（省外）、in_province（省内）或 foreign（境外）：%s",
                    "The source is out_of_province, in_province or foreign: %s", j->source);
  if (!foreign && c != cny)
    return err_set(e, E_INVALID, "invest.bad_currency", "currency", "境内资金以人民币登记",
                   "Domestic funds are recorded in yuan");
  /* The rate of the day stays on the entry: yuan per unit, and for
  ** foreign funds dollars per unit (实际使用外资 is counted in dollars). */
  if (c == cny) {
    j->rate = MONEY_RATE_SCALE;
  } else if (!rate[0]) {
    return err_set(e, E_INVALID, "invest.rate_missing", "rate", "外币资金需填写当日人民币汇率（每单位外币折合人民币）",
                   "Give the day's rate in yuan per unit of the currency");
  } else if (money_rate_parse(rate, "rate", &j->rate, e)) {
    return -1;
  }
  if (money_convert(j->amount, c, j->rate, cny, &j->cny, e)) return -1;
  if (foreign) {
    if (c == usd) j->usd_rate = MONEY_RATE_SCALE;
    else if (!usd_rate[0])
      return err_set(e, E_INVALID, "invest.rate_missing", "usd_rate", "非美元的境外资金需填写折合美元的汇率",
                     "Foreign funds not in dollars need the rate in dollars per unit");
    else if (money_rate_parse(usd_rate, "usd_rate", &j->usd_rate, e))
      return -1;
    if (money_convert(j->amount, c, j->usd_rate, usd, &j->usd, e)) return -1;
  }
  return 0;
}

json_t *invest_fund_add(Store *s, const User *actor, const char *code, const json_t *in, Err *e) {
  FundJob j = {0};
  if (fund_decode(actor, code, in, &j, e) || store_write(s, fund_job, &j, e)) return NULL;
  return invest_project_get(s, actor, code, e);
}

/* ---- activities (招商活动) ------------------------------------------------- */

json_t *invest_officers(Store *s, const User *actor, Err *e) {
  bool all = actor->role == ROLE_ADMIN;
  Stmt *st = db_prepare(store_reader(s), all ? "SELECT a.username, a.display, d.name FROM account a JOIN department d"
                                               " ON d.id = a.dept_id WHERE a.role = 'invest' AND a.disabled = 0"
                                               " ORDER BY d.code, a.username"
                                             : "SELECT a.username, a.display, d.name FROM account a JOIN department d"
                                               " ON d.id = a.dept_id WHERE a.role = 'invest' AND a.disabled = 0"
                                               " AND a.dept_id = ? ORDER BY a.username", e);
  if (!st) return NULL;
  if (!all) stmt_bind_int(st, 1, actor->dept_id);
  json_t *out = json_array();
  int rc;
  while ((rc = stmt_step(st, e)) == 1)
    json_array_append_new(out, json_pack("{s:s,s:s,s:s}", "username", stmt_text(st, 0), "name", stmt_text(st, 1),
                                         "dept", stmt_text(st, 2)));
  stmt_done(st);
  if (rc < 0) json_decref(out), out = NULL;
  return out;
}

typedef struct ActivityJob {
  const User *actor;
  int64_t now, investors_met, id;
  char kind[64], title[244], start_on[11], end_on[11], city[84], province[4], country[4];
  const json_t *officers;
} ActivityJob;

static int activity_job(Db *db, void *arg, Err *e) {
  ActivityJob *j = arg;
  /* The kinds in force today: a list an administrator edits (params.h). */
  json_t *kinds = NULL;
  char day[11];
  if (params_need(db, "invest", "activity_kinds", time_today_cn(day), &kinds, e)) return -1;
  bool known = false;
  size_t i;
  json_t *k;
  json_array_foreach(kinds, i, k) known = known || strcmp(json_string_value(k) ? json_string_value(k) : "", j->kind) == 0;
  json_decref(kinds);
  if (!known)
    return err_setf(e, E_INVALID, "invest.bad_activity_kind", "kind", "没有这种招商活动类型：%s（类型由管理员维护）",
                    "No such kind of activity: %s (administrators keep the list)", j->kind);
  json_t *names = json_array();
  int rc = -1;
  json_t *o;
  if (!json_array_size(j->officers)) json_array_append_new(names, json_string(j->actor->username));
  json_array_foreach(j->officers, i, o) {
    User u;
    const char *name = json_string_value(o);
    if (!name || accounts_user_get(db, name, &u, e) < 0 || u.role != ROLE_INVEST ||
        (j->actor->role != ROLE_ADMIN && u.dept_id != j->actor->dept_id)) {
      err_setf(e, E_INVALID, "invest.bad_officer", "officers", "参加人员应为本部门的招商专员：%s",
               "Officers are investment officers of the department: %s", name ? name : "?");
      goto out;
    }
    json_array_append_new(names, json_string(name));
  }
  char *officers = json_dumps(names, JSON_COMPACT);
  Stmt *st = db_prepare(db, "INSERT INTO invest_activity(kind, title, start_on, end_on, city, province, country,"
                            " dept_id, officers, investors_met, created_at, created_by)"
                            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id", e);
  if (st) {
    stmt_bind_text(st, 1, j->kind);
    stmt_bind_text(st, 2, j->title);
    stmt_bind_text(st, 3, j->start_on);
    stmt_bind_text(st, 4, j->end_on);
    stmt_bind_text(st, 5, j->city);
    stmt_bind_text(st, 6, j->province);
    stmt_bind_text(st, 7, j->country);
    stmt_bind_int(st, 8, j->actor->dept_id);
    stmt_bind_text(st, 9, officers);
    stmt_bind_int(st, 10, j->investors_met);
    stmt_bind_int(st, 11, j->now);
    stmt_bind_int(st, 12, j->actor->id);
    if (stmt_step(st, e) == 1) j->id = stmt_int(st, 0);
    stmt_done(st);
  }
  free(officers);
  if (j->id <= 0) goto out;
  char obj[48];
  snprintf(obj, sizeof obj, "invest_activity:%lld", (long long)j->id);
  json_t *d = json_pack("{s:s,s:s,s:s}", "kind", j->kind, "title", j->title, "start_on", j->start_on);
  rc = audit_append(db, j->actor, "invest.activity", obj, d, e);
  json_decref(d);
out:
  json_decref(names);
  return rc;
}

static json_t *activity_row(Stmt *st) {
  json_t *officers = json_loads(stmt_text(st, 9), 0, NULL);
  char country[80] = "";
  codes_country(stmt_text(st, 7), country, sizeof country);
  json_t *o = json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:o,s:I,s:s}", "id", (json_int_t)stmt_int(st, 0), "kind",
                        stmt_text(st, 1), "title", stmt_text(st, 2), "start_on", stmt_text(st, 3), "end_on",
                        stmt_text(st, 4), "city", stmt_text(st, 5), "province", stmt_text(st, 6), "country",
                        stmt_text(st, 7), "country_name", country, "officers", officers ? officers : json_array(),
                        "investors_met", (json_int_t)stmt_int(st, 10), "department", stmt_text(st, 11));
  json_object_set_new(o, "leads", json_integer(stmt_int(st, 12)));
  return o;
}

#define ACTIVITY_COLS                                                                                       \
  "v.id, v.kind, v.title, v.start_on, v.end_on, v.city, v.province, v.country, v.dept_id, v.officers, "      \
  "v.investors_met, d.name, (SELECT COUNT(*) FROM invest_project p WHERE p.activity_id = v.id)"

/* activity_decode() checks a new activity in (invest_activity_create())
** into j (which keeps a reference into in). Returns 0, or -1 with *e. */
static int activity_decode(const User *actor, const json_t *in, ActivityJob *j, Err *e) {
  JField f[] = {
      {"kind", J_STR, true, j->kind, sizeof j->kind, 1, 20, NULL},
      {"title", J_STR, true, j->title, sizeof j->title, 2, 60, NULL},
      {"start_on", J_STR, true, j->start_on, sizeof j->start_on, 0, 0, NULL},
      {"end_on", J_STR, true, j->end_on, sizeof j->end_on, 0, 0, NULL},
      {"city", J_STR, false, j->city, sizeof j->city, 0, 20, NULL},
      {"province", J_STR, false, j->province, sizeof j->province, 0, 0, NULL},
      {"country", J_STR, false, j->country, sizeof j->country, 0, 0, NULL},
      {"officers", J_ARR, false, &j->officers, 0, 0, 0, NULL},
      {"investors_met", J_INT, false, &j->investors_met, 0, 0, 100000, NULL},
  };
  j->actor = actor;
  j->now = now_ms();
  if (actor->role != ROLE_INVEST)
    return err_set(e, E_FORBIDDEN, "auth.forbidden", NULL, "招商活动由本部门的招商专员登记",
                   "Activities are recorded by the department's investment officers");
  if (jsonx_decode(in, f, (int)XQ_COUNT(f), false, e)) return -1;
  int a, b;
  if (cal_parse_date(j->start_on, &a))
    return err_setf(e, E_INVALID, "invest.bad_date", "start_on", "日期无效：%s", "Not a date: %s", j->start_on);
  if (cal_parse_date(j->end_on, &b) || b < a)
    return err_setf(e, E_INVALID, "invest.bad_date", "end_on", "结束日期无效或早于开始日期：%s",
                    "Not a date, or before the start: %s", j->end_on);
  if (!j->country[0]) snprintf(j->country, sizeof j->country, "CN");
  if (!codes_country(j->country, NULL, 0))
    return err_setf(e, E_INVALID, "invest.bad_country", "country", "国家或地区代码无效（ISO 3166 两位字母）：%s",
                    "Not an ISO 3166 alpha-2 country code: %s", j->country);
  if (j->province[0] && (strcmp(j->country, "CN") != 0 || !codes_province(j->province)))
    return err_setf(e, E_INVALID, "invest.bad_province", "province", "省份代码无效（GB/T 2260 前两位，仅限中国）：%s",
                    "Not a province code of China (GB/T 2260, two digits): %s", j->province);
  if (j->officers && json_array_size(j->officers) > 20)
    return err_set(e, E_INVALID, "invest.bad_officer", "officers", "参加人员最多 20 人", "At most 20 officers");
  return 0;
}

json_t *invest_activity_create(Store *s, const User *actor, const json_t *in, Err *e) {
  ActivityJob j = {0};
  if (activity_decode(actor, in, &j, e) || store_write(s, activity_job, &j, e)) return NULL;
  Stmt *st = db_prepare(store_reader(s), "SELECT " ACTIVITY_COLS " FROM invest_activity v JOIN department d"
                                         " ON d.id = v.dept_id WHERE v.id = ?", e);
  if (!st) return NULL;
  stmt_bind_int(st, 1, j.id);
  json_t *o = stmt_step(st, e) == 1 ? activity_row(st) : NULL;
  stmt_done(st);
  return o;
}

json_t *invest_activity_list(Store *s, const User *actor, const char *from, const char *to, int page,
                             int per_page, Err *e) {
  int d;
  if ((from && cal_parse_date(from, &d)) || (to && cal_parse_date(to, &d)))
    return err_set(e, E_INVALID, "invest.bad_period", from && cal_parse_date(from, &d) ? "from" : "to",
                   "日期应为 YYYY-MM-DD", "Dates are YYYY-MM-DD"),
           NULL;
  const char *where = actor->role == ROLE_INVEST ? " WHERE v.dept_id = ? AND v.start_on >= ? AND v.start_on <= ?"
                                                 : " WHERE ? = ? AND v.start_on >= ? AND v.start_on <= ?";
  Db *db = store_reader(s);
  char *sql = xasprintf("SELECT COUNT(*) FROM invest_activity v%s", where);
  Stmt *st = db_prepare(db, sql, e);
  free(sql);
  if (!st) return NULL;
  int n = 1;
  stmt_bind_int(st, n++, actor->dept_id);
  if (actor->role != ROLE_INVEST) stmt_bind_int(st, n++, actor->dept_id);
  stmt_bind_text(st, n++, from ? from : "0000-00-00");
  stmt_bind_text(st, n, to ? to : "9999-99-99");
  int64_t total = stmt_step(st, e) == 1 ? stmt_int(st, 0) : -1;
  stmt_done(st);
  if (total < 0) return NULL;
  sql = xasprintf("SELECT " ACTIVITY_COLS " FROM invest_activity v JOIN department d ON d.id = v.dept_id%s"
                  " ORDER BY v.start_on DESC, v.id DESC LIMIT %d OFFSET %d", where, per_page, (page - 1) * per_page);
  st = db_prepare(db, sql, e);
  free(sql);
  if (!st) return NULL;
  n = 1;
  stmt_bind_int(st, n++, actor->dept_id);
  if (actor->role != ROLE_INVEST) stmt_bind_int(st, n++, actor->dept_id);
  stmt_bind_text(st, n++, from ? from : "0000-00-00");
  stmt_bind_text(st, n, to ? to : "9999-99-99");
  json_t *items = json_array();
  int rc;
  while ((rc = stmt_step(st, e)) == 1) json_array_append_new(items, activity_row(st));
  stmt_done(st);
  if (rc < 0) {
    json_decref(items);
    return NULL;
  }
  return json_pack("{s:o,s:I,s:i,s:i}", "items", items, "total", (json_int_t)total, "page", page, "per_page", per_page);
}

/* ---- the report ------------------------------------------------------------ */

/* GB/T 4754-2017 门类, A to T. */
/* Report: what one report run reads, between from and to. */
typedef struct Report {
  Db *db;
  const char *from, *to;
  json_t *figures; /* [{key, label, text, value, formula?}] in the order the CLI prints them */
  Err *e;
} Report;

/* scalars() runs sql (binding from, to) and copies the first row's n
** integer columns into out (0 for NULL). 0, or -1 with *e. */
static int scalars(Report *r, const char *sql, int64_t *out, int n) {
  Stmt *st = db_prepare(r->db, sql, r->e);
  if (!st) return -1;
  stmt_bind_text(st, 1, r->from);
  stmt_bind_text(st, 2, r->to);
  int rc = stmt_step(st, r->e);
  for (int i = 0; i < n; i++) out[i] = rc == 1 ? stmt_int(st, i) : 0;
  stmt_done(st);
  return rc < 0 ? -1 : 0;
}

/* Signed: the projects signed in the period, summed. */
typedef struct Signed {
  int64_t n, domestic, started, kept; /* projects: all, 内资, started (or beyond), not stopped */
  int64_t contracted, funded, fixed;  /* 分: contracts, funds in place on them (all days), of which fixed */
} Signed;

/* signed_sums() fills *t with the projects signed in the period and appends
** to years one {year, signed, amount} per calendar year that has any, in
** order. One pass over the covering index invest_project_signed_report,
** grouped by day (the index's order, so nothing is sorted); the funds are
** the per-project sums that migration 11's triggers keep. 0, or -1 with *e
** (invest.overflow when a sum leaves 64 bits). */
static int signed_sums(Report *r, Signed *t, json_t *years) {
  Stmt *st = db_prepare(r->db, "SELECT signed_on, COUNT(*), SUM(CASE WHEN origin = 'domestic' THEN 1 ELSE 0 END),"
                               " SUM(CASE WHEN started_on <> '' THEN 1 ELSE 0 END),"
                               " SUM(CASE WHEN stage <> 'stopped' THEN 1 ELSE 0 END), SUM(contract_amount),"
                               " SUM(fund_cny), SUM(fund_fixed_cny) FROM invest_project"
                               " WHERE signed_on >= ? AND signed_on <= ? GROUP BY signed_on ORDER BY signed_on",
                        r->e);
  if (!st) return -1;
  stmt_bind_text(st, 1, r->from);
  stmt_bind_text(st, 2, r->to);
  *t = (Signed){0};
  char year[5] = "";
  int64_t yn = 0, yAmount = 0;
  bool over = false;
  int rc;
  while ((rc = stmt_step(st, r->e)) == 1) {
    const char *day = stmt_text(st, 0);
    int64_t n = stmt_int(st, 1), amount = stmt_int(st, 5);
    if (strncmp(day, year, 4) != 0) {
      if (year[0])
        json_array_append_new(years, json_pack("{s:s,s:I,s:o}", "year", year, "signed", (json_int_t)yn, "amount",
                                               money_json(yAmount, "CNY")));
      snprintf(year, sizeof year, "%.4s", day);
      yn = yAmount = 0;
    }
    yn += n;
    t->n += n;
    t->domestic += stmt_int(st, 2);
    t->started += stmt_int(st, 3);
    t->kept += stmt_int(st, 4);
    over |= money_add(yAmount, amount, &yAmount) != 0;
    over |= money_add(t->contracted, amount, &t->contracted) != 0;
    over |= money_add(t->funded, stmt_int(st, 6), &t->funded) != 0;
    over |= money_add(t->fixed, stmt_int(st, 7), &t->fixed) != 0;
  }
  stmt_done(st);
  if (rc < 0) return -1;
  if (over)
    return err_set(r->e, E_INTERNAL, "invest.overflow", NULL, "金额合计超出可表示的范围",
                   "A sum of amounts is beyond what 64 bits hold");
  if (year[0])
    json_array_append_new(years, json_pack("{s:s,s:I,s:o}", "year", year, "signed", (json_int_t)yn, "amount",
                                           money_json(yAmount, "CNY")));
  return 0;
}

/* The figures' English labels and formulas, beside the Chinese ones each
** call gives (pages show Chinese first, English beside). */
static const struct {
  const char *key, *label_en, *formula_en;
} figures_en[] = {
    {"activities", "Promotion activities", NULL},
    {"signed", "Signed projects", NULL},
    {"signed_domestic", "Domestic-funded projects", NULL},
    {"signed_foreign", "Foreign-funded projects", NULL},
    {"signed_amount", "Total signed investment (100 million yuan)", NULL},
    {"growth_number", "Average yearly growth of signed projects",
     "Geometric mean yearly growth = (last year ÷ first year)^(1 ÷ (years − 1)) − 1, over the calendar years the "
     "period spans"},
    {"growth_amount", "Average yearly growth of signed investment",
     "Geometric mean yearly growth = (last year ÷ first year)^(1 ÷ (years − 1)) − 1, over the calendar years the "
     "period spans"},
    {"foreign_usd", "Foreign capital actually used (100 million dollars)", NULL},
    {"foreign_share", "Share of the city", "Foreign capital used ÷ the city's (parameter invest/city_totals)"},
    {"out_of_province_cny", "Funds from other provinces (100 million yuan)", NULL},
    {"out_of_province_share", "Share of the city",
     "Funds from other provinces ÷ the city's (parameter invest/city_totals)"},
    {"in_province_cny", "Funds from this province (100 million yuan)", NULL},
    {"start_rate", "Construction start rate", "Signed projects started (or producing, or full) ÷ signed projects"},
    {"funds_rate", "Funds-in-place rate", "Funds in place of the signed projects (in yuan) ÷ their contract amounts"},
    {"completion_rate", "Investment completion rate",
     "Fixed-asset funds in place of the signed projects ÷ their contract amounts"},
    {"performance_rate", "Contract performance rate", "Signed projects not stopped ÷ signed projects"},
};

static void figure(Report *r, const char *key, const char *label, const char *text, json_t *value,
                   const char *formula) {
  json_t *o = json_pack("{s:s,s:s,s:s,s:o}", "key", key, "label", label, "text", text, "value", value);
  if (formula) json_object_set_new(o, "formula", json_string(formula));
  for (size_t i = 0; i < XQ_COUNT(figures_en); i++)
    if (strcmp(figures_en[i].key, key) == 0) {
      json_object_set_new(o, "label_en", json_string(figures_en[i].label_en));
      if (figures_en[i].formula_en) json_object_set_new(o, "formula_en", json_string(figures_en[i].formula_en));
    }
  json_array_append_new(r->figures, o);
}

static void figure_count(Report *r, const char *key, const char *label, int64_t n) {
  char t[24];
  snprintf(t, sizeof t, "%lld", (long long)n);
  figure(r, key, label, t, json_integer(n), NULL);
}

/* figure_ratio() adds num/den as a percentage with decimals decimals, or
** "—" (value null) when den is 0. */
static void figure_ratio(Report *r, const char *key, const char *label, double num, double den, int decimals,
                         const char *formula) {
  char t[32] = "—";
  json_t *v = json_null();
  if (den != 0) {
    double x = num / den;
    snprintf(t, sizeof t, "%.*f%%", decimals, x * 100);
    v = json_real(x);
  }
  figure(r, key, label, t, v, formula);
}

/* figure_money() adds an amount in 亿: one decimal for yuan, two for
** dollars, as the statistics print them. */
static void figure_money(Report *r, const char *key, const char *label, int64_t minor, const char *currency) {
  Buf t = {0};
  money_format_scaled(&t, minor, money_currency(currency), 8, strcmp(currency, "USD") == 0 ? 2 : 1);
  figure(r, key, label, buf_cstr(&t), money_json(minor, currency), NULL);
  buf_free(&t);
}

static int cmp_int(const void *a, const void *b) {
  int x = *(const int *)a, y = *(const int *)b;
  return (x > y) - (x < y);
}

/* funnel() counts the projects whose lead came in the period that reached
** each stage, the conversion from the stage before, and the median days
** from the stage before. */
static json_t *funnel(Report *r) {
  enum { N = 7 }; /* the stages a project passes, lead to full: the first N states */
  Stmt *st = db_prepare(r->db, "SELECT lead_on, talks_on, signed_on, registered_on, started_on, producing_on, full_on"
                               " FROM invest_project WHERE lead_on >= ? AND lead_on <= ?", r->e);
  if (!st) return NULL;
  stmt_bind_text(st, 1, r->from);
  stmt_bind_text(st, 2, r->to);
  int64_t reached[N] = {0};
  int *days[N] = {0}, nDays[N] = {0}, capDays[N] = {0}, rc;
  while ((rc = stmt_step(st, r->e)) == 1) {
    int prev = -1;
    for (int k = 0; k < N; k++) {
      int d;
      if (cal_parse_date(stmt_text(st, k), &d)) break;
      reached[k]++;
      if (k > 0) {
        if (nDays[k] == capDays[k]) {
          capDays[k] = capDays[k] ? 2 * capDays[k] : 256;
          days[k] = xrealloc(days[k], (size_t)capDays[k] * sizeof **days);
        }
        days[k][nDays[k]++] = d - prev;
      }
      prev = d;
    }
  }
  stmt_done(st);
  json_t *out = rc < 0 ? NULL : json_array();
  for (int k = 0; out && k < N; k++) {
    json_t *o = json_pack("{s:s,s:s,s:s,s:I}", "stage", states[k].name, "label", states[k].label, "label_en",
                          states[k].label_en, "reached",
                          (json_int_t)reached[k]);
    if (k > 0) {
      json_object_set_new(o, "conversion", reached[k - 1] ? json_real((double)reached[k] / (double)reached[k - 1])
                                                          : json_null());
      if (nDays[k]) {
        qsort(days[k], (size_t)nDays[k], sizeof **days, cmp_int);
        int n = nDays[k];
        double med = n % 2 ? days[k][n / 2] : (days[k][n / 2 - 1] + days[k][n / 2]) / 2.0;
        json_object_set_new(o, "median_days", json_real(med));
      } else {
        json_object_set_new(o, "median_days", json_null());
      }
    }
    json_array_append_new(out, o);
  }
  for (int k = 0; k < N; k++) free(days[k]);
  return out;
}

/* breakdown() runs sql (binding from, to), whose rows are (key, label,
** count, amount in 分), into [{key, label, signed, amount}]. */
static json_t *breakdown(Report *r, const char *sql, const char *(*label)(const char *key)) {
  Stmt *st = db_prepare(r->db, sql, r->e);
  if (!st) return NULL;
  stmt_bind_text(st, 1, r->from);
  stmt_bind_text(st, 2, r->to);
  json_t *a = json_array();
  int rc;
  while ((rc = stmt_step(st, r->e)) == 1) {
    const char *k = stmt_text(st, 0);
    json_array_append_new(a, json_pack("{s:s,s:s,s:I,s:o}", "key", k, "label", label ? label(k) : stmt_text(st, 1),
                                       "signed", (json_int_t)stmt_int(st, 2), "amount",
                                       money_json(stmt_int(st, 3), "CNY")));
  }
  stmt_done(st);
  if (rc < 0) {
    json_decref(a);
    return NULL;
  }
  return a;
}

static const char *industry_label(const char *k) {
  return k[0] >= 'A' && k[0] <= 'T' && !k[1] ? invest_industries[k[0] - 'A'].label : k;
}

/* by_minor_desc() orders groups by amount, largest first, then by key: the
** same order whatever order the rows came in. */
static int by_minor_desc(const void *a, const void *b) {
  const json_t *ga = *(json_t *const *)a, *gb = *(json_t *const *)b;
  json_int_t x = json_integer_value(json_object_get(ga, "minor"));
  json_int_t y = json_integer_value(json_object_get(gb, "minor"));
  if (x != y) return (x < y) - (x > y);
  return strcmp(json_string_value(json_object_get(ga, "key")), json_string_value(json_object_get(gb, "key")));
}

/* by_region() groups the projects signed in the period by where their main
** investor (the largest share) comes from: 境外 by country, and in China
** 省内 (the area's own province, parameter invest/home_province) or 省外 by
** province. The rows come in the order of the covering indexes
** invest_project_signed_report and invest_investor_main (migration 11), so
** SQLite sorts nothing. */
static json_t *by_region(Report *r, const char *home) {
  Stmt *st = db_prepare(r->db, "SELECT p.id, p.contract_amount, i.kind, i.country, i.province FROM invest_project p"
                               " JOIN invest_investor i ON i.project_id = p.id"
                               " WHERE p.signed_on >= ? AND p.signed_on <= ?"
                               " ORDER BY p.signed_on, p.id, i.share_bp DESC, i.id",
                        r->e);
  if (!st) return NULL;
  stmt_bind_text(st, 1, r->from);
  stmt_bind_text(st, 2, r->to);
  json_t *groups = json_object(); /* key → {key, label, scope, signed, amount minor} */
  int64_t last = 0;
  int rc;
  while ((rc = stmt_step(st, r->e)) == 1) {
    if (stmt_int(st, 0) == last) continue; /* the main investor came first */
    last = stmt_int(st, 0);
    bool foreign = strcmp(stmt_text(st, 2), "foreign") == 0;
    const char *key = stmt_text(st, foreign ? 3 : 4);
    json_t *g = json_object_get(groups, key);
    if (!g) {
      char name[96] = "";
      const char *scope;
      if (foreign) {
        codes_country(key, name, sizeof name);
        scope = "境外";
      } else {
        snprintf(name, sizeof name, "%s", codes_province(key) ? codes_province(key) : key);
        scope = strcmp(key, home) == 0 ? "省内" : "省外";
      }
      g = json_pack("{s:s,s:s,s:s,s:I,s:I}", "key", key, "label", name, "scope", scope, "signed", (json_int_t)0,
                    "minor", (json_int_t)0);
      json_object_set_new(groups, key, g);
    }
    /* Counted in place (json_integer_set), not a new value per row. */
    json_t *count = json_object_get(g, "signed"), *minor = json_object_get(g, "minor");
    int64_t sum;
    if (money_add(json_integer_value(minor), stmt_int(st, 1), &sum)) {
      rc = err_set(r->e, E_INTERNAL, "invest.overflow", NULL, "金额合计超出可表示的范围",
                   "A sum of amounts is beyond what 64 bits hold");
      break;
    }
    json_integer_set(count, json_integer_value(count) + 1);
    json_integer_set(minor, sum);
  }
  stmt_done(st);
  json_t *out = NULL;
  if (rc == 0) {
    /* Largest first, ties by key. */
    size_t n = json_object_size(groups), k = 0;
    json_t **a = xcalloc(n + 1, sizeof *a), *g;
    const char *key;
    json_object_foreach(groups, key, g) a[k++] = g;
    qsort(a, n, sizeof *a, by_minor_desc);
    out = json_array();
    for (k = 0; k < n; k++) {
      json_object_set_new(a[k], "amount", money_json(json_integer_value(json_object_get(a[k], "minor")), "CNY"));
      json_object_del(a[k], "minor");
      json_array_append(out, a[k]);
    }
    free(a);
  }
  json_decref(groups);
  return out;
}

/* city_share() adds the figure of part's share of the city's total for
** the year, when the period is that whole calendar year and the total was
** entered (parameter invest/city_totals:YEAR, member member: an amount of
** currency). */
static int city_share(Report *r, const char *key, const char *member, const char *currency, int64_t part) {
  char name[32], day[11];
  if (strlen(r->from) != 10 || strcmp(r->from + 4, "-01-01") != 0 || strncmp(r->from, r->to, 4) != 0 ||
      strcmp(r->to + 4, "-12-31") != 0)
    return 0;
  snprintf(name, sizeof name, "city_totals:%.4s", r->from);
  json_t *v = NULL;
  int rc = params_get(r->db, "invest", name, time_today_cn(day), &v, r->e);
  if (rc <= 0) return rc;
  int64_t total = 0;
  const char *text = json_string_value(json_object_get(v, member));
  Err ignore = {0};
  if (text && money_parse(text, money_currency(currency), member, &total, &ignore) == 0 && total > 0)
    figure_ratio(r, key, "占全市比重", (double)part, (double)total, 1,
                 strcmp(currency, "USD") == 0 ? "实际利用外资 ÷ 全市实际利用外资（参数 invest/city_totals）"
                                              : "省外资金 ÷ 全市省外资金（参数 invest/city_totals）");
  json_decref(v);
  return 0;
}

json_t *invest_report(Store *s, const User *actor, const char *from, const char *to, Err *e) {
  int a, b;
  if (!(actor->role & (ROLE_INVEST | ROLE_ADMIN | ROLE_LEADER | ROLE_AUDITOR)))
    return err_set(e, E_FORBIDDEN, "auth.forbidden", NULL, "无权查看招商报表", "You may not see the investment report"),
           NULL;
  if (!from || cal_parse_date(from, &a))
    return err_set(e, E_INVALID, "invest.bad_period", "from", "请给出起始日期（YYYY-MM-DD）", "Give the first day (YYYY-MM-DD)"),
           NULL;
  if (!to || cal_parse_date(to, &b) || b < a)
    return err_set(e, E_INVALID, "invest.bad_period", "to", "请给出不早于起始日期的截止日期（YYYY-MM-DD）",
                   "Give a last day (YYYY-MM-DD) not before the first"),
           NULL;
  Report r = {.db = store_reader(s), .from = from, .to = to, .figures = json_array(), .e = e};
  json_t *out = NULL, *years = json_array(), *fn = NULL, *ind = NULL, *reg = NULL, *off = NULL;
  char day[11], home[8];
  int64_t n[3];
  if (params_text(r.db, "invest", "home_province", time_today_cn(day), home, sizeof home, e)) goto out;
  if (scalars(&r, "SELECT COUNT(*) FROM invest_activity WHERE start_on >= ? AND start_on <= ?", n, 1)) goto out;
  figure_count(&r, "activities", "招商活动", n[0]);
  Signed sg;
  if (signed_sums(&r, &sg, years)) goto out;
  figure_count(&r, "signed", "签约项目", sg.n);
  figure_count(&r, "signed_domestic", "内资项目", sg.domestic);
  figure_count(&r, "signed_foreign", "外资项目", sg.n - sg.domestic);
  figure_money(&r, "signed_amount", "签约总投资(亿元)", sg.contracted, "CNY");
  /* Average yearly growth over the calendar years the period spans. */
  int y0 = cal_year(a), y1 = cal_year(b);
  double first[2] = {0, 0}, lastv[2] = {0, 0};
  size_t i;
  json_t *y;
  json_array_foreach(years, i, y) {
    int yr = atoi(json_string_value(json_object_get(y, "year")));
    double v[2] = {(double)json_integer_value(json_object_get(y, "signed")),
                   (double)json_integer_value(json_object_get(json_object_get(y, "amount"), "minor"))};
    for (int k = 0; k < 2; k++) {
      if (yr == y0) first[k] = v[k];
      if (yr == y1) lastv[k] = v[k];
    }
  }
  static const char *growth_formula =
      "几何平均年增速 =（末年 ÷ 首年）^(1 ÷ (年数 − 1)) − 1，年份为统计期覆盖的自然年";
  for (int k = 0; k < 2; k++) {
    char t[32] = "—";
    json_t *v = json_null();
    if (y1 > y0 && first[k] > 0) {
      double g = pow(lastv[k] / first[k], 1.0 / (y1 - y0)) - 1;
      snprintf(t, sizeof t, "%.0f%%", g * 100);
      v = json_real(g);
    }
    figure(&r, k ? "growth_amount" : "growth_number", k ? "投资规模平均增速" : "签约项目数量平均增速", t, v,
           growth_formula);
  }
  /* Funds in place in the period: 实际利用外资 (dollars) and 省外资金 (yuan),
  ** from the sums per day and source (migration 11), exact for any days. */
  if (scalars(&r, "SELECT SUM(CASE WHEN source = 'foreign' THEN usd ELSE 0 END),"
                  " SUM(CASE WHEN source = 'out_of_province' THEN cny ELSE 0 END),"
                  " SUM(CASE WHEN source = 'in_province' THEN cny ELSE 0 END)"
                  " FROM invest_fund_by_day WHERE on_day >= ? AND on_day <= ?", n, 3))
    goto out;
  int64_t fdi = n[0], outside = n[1];
  figure_money(&r, "foreign_usd", "实际利用外资(亿美元)", fdi, "USD");
  if (city_share(&r, "foreign_share", "foreign_usd", "USD", fdi)) goto out;
  figure_money(&r, "out_of_province_cny", "省外资金(亿元)", outside, "CNY");
  if (city_share(&r, "out_of_province_share", "out_of_province_cny", "CNY", outside)) goto out;
  figure_money(&r, "in_province_cny", "省内资金(亿元)", n[2], "CNY");
  /* The rates, over the projects signed in the period. */
  figure_ratio(&r, "start_rate", "开工率", (double)sg.started, (double)sg.n, 1,
               "已开工（含投产、达产）的签约项目数 ÷ 签约项目数");
  figure_ratio(&r, "funds_rate", "资金到位率", (double)sg.funded, (double)sg.contracted, 1,
               "签约项目到位资金（折人民币）÷ 签约项目合同投资额");
  figure_ratio(&r, "completion_rate", "投资完成率", (double)sg.fixed, (double)sg.contracted, 1,
               "签约项目固定资产投资到位额 ÷ 签约项目合同投资额");
  figure_ratio(&r, "performance_rate", "履约率", (double)sg.kept, (double)sg.n, 1,
               "未中止的签约项目数 ÷ 签约项目数");
  fn = funnel(&r);
  if (fn) ind = breakdown(&r, "SELECT industry, '', COUNT(*), SUM(contract_amount) FROM invest_project"
                              " WHERE signed_on >= ? AND signed_on <= ? GROUP BY industry ORDER BY 4 DESC, 1",
                          industry_label);
  if (ind) reg = by_region(&r, home);
  /* Grouped by owner_id before the join: one account row per officer. */
  if (reg) off = breakdown(&r, "SELECT a.username, a.display, s.n, s.amount FROM (SELECT owner_id, COUNT(*) AS n,"
                               " SUM(contract_amount) AS amount FROM invest_project"
                               " WHERE signed_on >= ? AND signed_on <= ? GROUP BY owner_id) s"
                               " JOIN account a ON a.id = s.owner_id ORDER BY 4 DESC, 1", NULL);
  if (off)
    out = json_pack("{s:s,s:s,s:O,s:O,s:O,s:O,s:O,s:O}", "from", from, "to", to, "figures", r.figures, "years",
                    years, "funnel", fn, "by_industry", ind, "by_region", reg, "by_officer", off);
out:
  json_decref(r.figures);
  json_decref(years);
  json_decref(fn);
  json_decref(ind);
  json_decref(reg);
  json_decref(off);
  return out;
}

/* ---- follow-ups (走访/跟进) and inquiries (来电来函) ------------------------- */

static const char *const followup_kinds[] = {"visit", "call", "meeting", "online", "other"};

typedef struct FollowJob {
  const User *actor;
  const char *code;
  int64_t now;
  char on[11], kind[12], note[1204], next_step[244], next_on[11];
} FollowJob;

static int follow_job(Db *db, void *arg, Err *e) {
  FollowJob *j = arg;
  Project p;
  int rc = project_load(db, j->code, &p, e);
  if (rc <= 0 || !may_see(j->actor, p.dept_id)) return rc < 0 ? -1 : not_found(j->code, e);
  if (!may_act(j->actor, p.dept_id))
    return err_set(e, E_FORBIDDEN, "invest.forbidden", NULL, "只有本部门的招商专员可以登记该项目的跟进",
                   "Only the department's investment officers record this project's follow-ups");
  if (db_run(db, e, "INSERT INTO invest_followup(project_id, on_day, kind, note, next_step, next_on, created_by,"
                    " created_at) VALUES (?,?,?,?,?,?,?,?)", "ittttt" "ii", p.id, j->on, j->kind, j->note,
             j->next_step, j->next_on, j->actor->id, j->now) < 0 ||
      db_run(db, e, "UPDATE invest_project SET next_step = ?, next_on = ?, updated_at = ? WHERE id = ?", "ttii",
             j->next_step, j->next_on, j->now, p.id) < 0)
    return -1;
  json_t *note = json_pack("{s:s,s:s,s:s,s:s}", "on", j->on, "kind", j->kind, "next_step", j->next_step, "next_on",
                           j->next_on);
  rc = event(db, p.id, j->actor, j->now, "followup", p.stage, note, e);
  char obj[64];
  snprintf(obj, sizeof obj, "invest:%s", p.code);
  if (rc == 0) rc = audit_append(db, j->actor, "invest.followup", obj, note, e);
  json_decref(note);
  return rc;
}

json_t *invest_followup_add(Store *s, const User *actor, const char *code, const json_t *in, Err *e) {
  FollowJob j = {.actor = actor, .code = code, .now = now_ms()};
  JField f[] = {
      {"on", J_STR, true, j.on, sizeof j.on, 0, 0, NULL},
      {"kind", J_STR, true, j.kind, sizeof j.kind, 0, 0, NULL},
      {"note", J_STR, true, j.note, sizeof j.note, 1, 300, NULL},
      {"next_step", J_STR, false, j.next_step, sizeof j.next_step, 0, 60, NULL},
      {"next_on", J_STR, false, j.next_on, sizeof j.next_on, 0, 0, NULL},
  };
  if (jsonx_decode(in, f, (int)XQ_COUNT(f), false, e)) return NULL;
  bool known = false;
  for (size_t i = 0; i < XQ_COUNT(followup_kinds); i++) known = known || strcmp(j.kind, followup_kinds[i]) == 0;
  int a, b;
  if (!known)
    return err_setf(e, E_INVALID, "invest.bad_followup_kind", "kind",
                    "跟进方式应为 visit（走访）、call（电话）、meeting（会谈）、online（线上）或 other（其他）：%s",
                    "The kind is visit, call, meeting, online or other: %s", j.kind),
           NULL;
  if (!day_ok(j.on))
    return err_setf(e, E_INVALID, "invest.bad_date", "on", "日期无效或在今天之后：%s", "Not a date, or after today: %s",
                    j.on),
           NULL;
  if (!j.next_step[0] != !j.next_on[0])
    return err_set(e, E_INVALID, "invest.next_step_incomplete", j.next_step[0] ? "next_on" : "next_step",
                   "下一步工作与计划日期应同时填写", "Give the next step and its date together"),
           NULL;
  if (j.next_on[0] && (cal_parse_date(j.next_on, &b) || cal_parse_date(j.on, &a) || b < a))
    return err_setf(e, E_INVALID, "invest.bad_date", "next_on", "计划日期无效或早于本次跟进：%s",
                    "Not a date, or before this follow-up: %s", j.next_on),
           NULL;
  if (store_write(s, follow_job, &j, e)) return NULL;
  return invest_project_get(s, actor, code, e);
}

json_t *invest_followups_due(Store *s, const User *actor, Err *e) {
  if (!(actor->role & (ROLE_INVEST | ROLE_ADMIN | ROLE_LEADER | ROLE_AUDITOR)))
    return err_set(e, E_FORBIDDEN, "auth.forbidden", NULL, "无权查看招商项目", "You may not see investment projects"),
           NULL;
  char today[11];
  int t;
  cal_parse_date(time_today_cn(today), &t);
  Stmt *st = db_prepare(store_reader(s),
                        actor->role == ROLE_INVEST
                            ? "SELECT p.code, p.name, p.stage, a.username, a.display, p.next_step, p.next_on"
                              " FROM invest_project p JOIN account a ON a.id = p.owner_id WHERE p.next_on <> ''"
                              " AND p.next_on < ? AND p.stage NOT IN ('full', 'stopped') AND p.dept_id = ?"
                              " ORDER BY p.next_on, p.id LIMIT 501"
                            : "SELECT p.code, p.name, p.stage, a.username, a.display, p.next_step, p.next_on"
                              " FROM invest_project p JOIN account a ON a.id = p.owner_id WHERE p.next_on <> ''"
                              " AND p.next_on < ? AND p.stage NOT IN ('full', 'stopped') AND ? >= 0"
                              " ORDER BY p.next_on, p.id LIMIT 501",
                        e);
  if (!st) return NULL;
  stmt_bind_text(st, 1, today);
  stmt_bind_int(st, 2, actor->dept_id);
  json_t *items = json_array();
  int rc;
  bool more = false;
  while ((rc = stmt_step(st, e)) == 1) {
    if (json_array_size(items) == 500) { /* the 501st says there are more */
      more = true;
      break;
    }
    int d = t;
    cal_parse_date(stmt_text(st, 6), &d);
    json_array_append_new(items, json_pack("{s:s,s:s,s:s,s:{s:s,s:s},s:s,s:s,s:i}", "code", stmt_text(st, 0), "name",
                                           stmt_text(st, 1), "stage", stmt_text(st, 2), "owner", "username",
                                           stmt_text(st, 3), "name", stmt_text(st, 4), "next_step", stmt_text(st, 5),
                                           "next_on", stmt_text(st, 6), "days_late", t - d));
  }
  stmt_done(st);
  if (rc < 0) {
    json_decref(items);
    return NULL;
  }
  /* At most 500 are listed: a longer list says so rather than hide the rest. */
  return json_pack("{s:o,s:b}", "items", items, "truncated", more);
}

static const char *const inquiry_channels[] = {"phone", "letter", "online", "visit"};

typedef struct InquiryJob {
  const User *actor;
  int64_t now, id;
  char received_on[11], channel[12], from_name[244], contact[164], subject[1204], due_on[11], answer[2004],
      answered_on[11];
} InquiryJob;

static int inquiry_job(Db *db, void *arg, Err *e) {
  InquiryJob *j = arg;
  Stmt *st = db_prepare(db, "INSERT INTO invest_inquiry(dept_id, received_on, channel, from_name, contact, subject,"
                            " due_on, created_by, created_at) VALUES (?,?,?,?,?,?,?,?,?) RETURNING id", e);
  if (!st) return -1;
  stmt_bind_int(st, 1, j->actor->dept_id);
  stmt_bind_text(st, 2, j->received_on);
  stmt_bind_text(st, 3, j->channel);
  stmt_bind_text(st, 4, j->from_name);
  stmt_bind_text(st, 5, j->contact);
  stmt_bind_text(st, 6, j->subject);
  stmt_bind_text(st, 7, j->due_on);
  stmt_bind_int(st, 8, j->actor->id);
  stmt_bind_int(st, 9, j->now);
  j->id = stmt_step(st, e) == 1 ? stmt_int(st, 0) : -1;
  stmt_done(st);
  if (j->id < 0) return -1;
  char obj[48];
  snprintf(obj, sizeof obj, "invest_inquiry:%lld", (long long)j->id);
  json_t *d = json_pack("{s:s,s:s,s:s}", "received_on", j->received_on, "from", j->from_name, "due_on", j->due_on);
  int rc = audit_append(db, j->actor, "invest.inquiry", obj, d, e);
  json_decref(d);
  return rc;
}

#define INQUIRY_COLS                                                                                          \
  "id, received_on, channel, from_name, contact, subject, due_on, answered_on, answer, dept_id"

static json_t *inquiry_row(Stmt *st, const char *today) {
  const char *answered = stmt_text(st, 7);
  const char *state = answered[0] ? "answered" : strcmp(stmt_text(st, 6), today) < 0 ? "overdue" : "open";
  return json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "id", (json_int_t)stmt_int(st, 0), "received_on",
                   stmt_text(st, 1), "channel", stmt_text(st, 2), "from_name", stmt_text(st, 3), "contact",
                   stmt_text(st, 4), "subject", stmt_text(st, 5), "due_on", stmt_text(st, 6), "answered_on", answered,
                   "answer", stmt_text(st, 8), "state", state);
}

/* inquiry_get() is inquiry id if actor may see it (new object), or NULL with invest.inquiry_not_found. */
static json_t *inquiry_get(Db *db, const User *actor, int64_t id, int64_t *dept, Err *e) {
  char today[11];
  time_today_cn(today);
  Stmt *st = db_prepare(db, "SELECT " INQUIRY_COLS " FROM invest_inquiry WHERE id = ?", e);
  if (!st) return NULL;
  stmt_bind_int(st, 1, id);
  json_t *o = NULL;
  int rc = stmt_step(st, e);
  if (rc == 1 && may_see(actor, stmt_int(st, 9))) {
    o = inquiry_row(st, today);
    if (dept) *dept = stmt_int(st, 9);
  }
  stmt_done(st);
  if (!o && rc >= 0)
    err_set(e, E_NOTFOUND, "invest.inquiry_not_found", NULL, "没有找到该来电来函", "No such inquiry");
  return o;
}

json_t *invest_inquiry_add(Store *s, const User *actor, const json_t *in, Err *e) {
  InquiryJob j = {.actor = actor, .now = now_ms()};
  JField f[] = {
      {"received_on", J_STR, true, j.received_on, sizeof j.received_on, 0, 0, NULL},
      {"channel", J_STR, true, j.channel, sizeof j.channel, 0, 0, NULL},
      {"from_name", J_STR, true, j.from_name, sizeof j.from_name, 1, 60, NULL},
      {"contact", J_STR, false, j.contact, sizeof j.contact, 0, 40, NULL},
      {"subject", J_STR, true, j.subject, sizeof j.subject, 1, 300, NULL},
  };
  if (actor->role != ROLE_INVEST)
    return err_set(e, E_FORBIDDEN, "auth.forbidden", NULL, "来电来函由本部门的招商专员登记",
                   "Inquiries are recorded by the department's investment officers"),
           NULL;
  if (jsonx_decode(in, f, (int)XQ_COUNT(f), false, e)) return NULL;
  bool known = false;
  for (size_t i = 0; i < XQ_COUNT(inquiry_channels); i++) known = known || strcmp(j.channel, inquiry_channels[i]) == 0;
  if (!known)
    return err_setf(e, E_INVALID, "invest.bad_channel", "channel",
                    "来源应为 phone（来电）、letter（来函）、online（网上）或 visit（来访）：%s",
                    "The channel is phone, letter, online or visit: %s", j.channel),
           NULL;
  int day;
  if (!day_ok(j.received_on) || cal_parse_date(j.received_on, &day))
    return err_setf(e, E_INVALID, "invest.bad_date", "received_on", "日期无效或在今天之后：%s",
                    "Not a date, or after today: %s", j.received_on),
           NULL;
  /* Due the working days of the parameter in force that day after it came. */
  int64_t n;
  bool unknown = false;
  const Cal *cal = sla_calendar(s, e);
  if (!cal || params_int(store_reader(s), "invest", "inquiry_days", j.received_on, &n, e)) return NULL;
  int due = cal_add_workdays(cal, day, (int)n, &unknown);
  if (unknown)
    return err_set(e, E_INVALID, "invest.calendar_unknown", "received_on", "工作日历尚未发布这段日期的安排",
                   "The working-day calendar has no schedule for those days yet"),
           NULL;
  cal_format(due, j.due_on);
  if (store_write(s, inquiry_job, &j, e)) return NULL;
  return inquiry_get(store_reader(s), actor, j.id, NULL, e);
}

typedef struct AnswerJob {
  const User *actor;
  int64_t id, now;
  const char *answer, *on;
} AnswerJob;

static int answer_job(Db *db, void *arg, Err *e) {
  AnswerJob *j = arg;
  int64_t dept = 0;
  json_t *q = inquiry_get(db, j->actor, j->id, &dept, e);
  if (!q) return -1;
  bool done = strcmp(json_string_value(json_object_get(q, "state")), "answered") == 0;
  bool before = strcmp(j->on, json_string_value(json_object_get(q, "received_on"))) < 0;
  json_decref(q);
  if (!may_act(j->actor, dept))
    return err_set(e, E_FORBIDDEN, "invest.forbidden", NULL, "只有本部门的招商专员可以答复",
                   "Only the department's investment officers answer it");
  if (done) return err_set(e, E_CONFLICT, "invest.answered", NULL, "该来电来函已答复", "It was answered already");
  if (before)
    return err_set(e, E_INVALID, "invest.bad_date", "answered_on", "答复日期不能早于收到日期",
                   "The answer cannot come before the inquiry");
  if (db_run(db, e, "UPDATE invest_inquiry SET answer = ?, answered_on = ?, answered_by = ? WHERE id = ?"
                    " AND answered_on = ''", "ttii", j->answer, j->on, j->actor->id, j->id) < 0)
    return -1;
  char obj[48];
  snprintf(obj, sizeof obj, "invest_inquiry:%lld", (long long)j->id);
  json_t *d = json_pack("{s:s}", "answered_on", j->on);
  int rc = audit_append(db, j->actor, "invest.inquiry_answer", obj, d, e);
  json_decref(d);
  return rc;
}

json_t *invest_inquiry_answer(Store *s, const User *actor, int64_t id, const json_t *in, Err *e) {
  char answer[2004] = "", on[11] = "";
  JField f[] = {
      {"answer", J_STR, true, answer, sizeof answer, 1, 500, NULL},
      {"answered_on", J_STR, false, on, sizeof on, 0, 0, NULL},
  };
  if (jsonx_decode(in, f, (int)XQ_COUNT(f), false, e)) return NULL;
  if (!on[0]) time_today_cn(on);
  if (!day_ok(on))
    return err_setf(e, E_INVALID, "invest.bad_date", "answered_on", "日期无效或在今天之后：%s",
                    "Not a date, or after today: %s", on),
           NULL;
  AnswerJob j = {actor, id, now_ms(), answer, on};
  if (store_write(s, answer_job, &j, e)) return NULL;
  return inquiry_get(store_reader(s), actor, id, NULL, e);
}

json_t *invest_inquiries(Store *s, const User *actor, const char *state, int page, int per_page, Err *e) {
  if (!(actor->role & (ROLE_INVEST | ROLE_ADMIN | ROLE_LEADER | ROLE_AUDITOR)))
    return err_set(e, E_FORBIDDEN, "auth.forbidden", NULL, "无权查看来电来函", "You may not see inquiries"), NULL;
  const char *cond = !state                          ? ""
                     : strcmp(state, "open") == 0     ? " AND answered_on = ''"
                     : strcmp(state, "overdue") == 0  ? " AND answered_on = '' AND due_on < ?"
                     : strcmp(state, "answered") == 0 ? " AND answered_on <> ''"
                                                      : NULL;
  if (!cond)
    return err_setf(e, E_INVALID, "invest.bad_state", "state", "状态应为 open、overdue 或 answered：%s",
                    "The state is open, overdue or answered: %s", state),
           NULL;
  char today[11];
  time_today_cn(today);
  bool overdue = state && strcmp(state, "overdue") == 0;
  const char *scope = actor->role == ROLE_INVEST ? "dept_id = ?" : "? >= 0";
  Db *db = store_reader(s);
  char *sql = xasprintf("SELECT COUNT(*) FROM invest_inquiry WHERE %s%s", scope, cond);
  Stmt *st = db_prepare(db, sql, e);
  free(sql);
  if (!st) return NULL;
  stmt_bind_int(st, 1, actor->dept_id);
  if (overdue) stmt_bind_text(st, 2, today);
  int64_t total = stmt_step(st, e) == 1 ? stmt_int(st, 0) : -1;
  stmt_done(st);
  if (total < 0) return NULL;
  sql = xasprintf("SELECT " INQUIRY_COLS " FROM invest_inquiry WHERE %s%s ORDER BY due_on, id LIMIT %d OFFSET %d",
                  scope, cond, per_page, (page - 1) * per_page);
  st = db_prepare(db, sql, e);
  free(sql);
  if (!st) return NULL;
  stmt_bind_int(st, 1, actor->dept_id);
  if (overdue) stmt_bind_text(st, 2, today);
  json_t *items = json_array();
  int rc;
  while ((rc = stmt_step(st, e)) == 1) json_array_append_new(items, inquiry_row(st, today));
  stmt_done(st);
  if (rc < 0) {
    json_decref(items);
    return NULL;
  }
  return json_pack("{s:o,s:I,s:i,s:i}", "items", items, "total", (json_int_t)total, "page", page, "per_page", per_page);
}

/* ---- imports (台账 from Excel or CSV: invest_io.c reads the file) ----------- */

/* ImportRow: one row of an import, decoded as the API's POST decodes it. */
typedef struct ImportRow {
  int64_t line;          /* the row's line */
  const json_t *lines;   /* the lines of its group elements (investors) */
  bool ok;               /* decoded; written when the job runs */
  json_t *moves;         /* a project's moves after creation: [[action, args]…] */
  union {
    CreateJob project;
    FundJob fund;
    ActivityJob activity;
  } u;
} ImportRow;

typedef struct ImportJob {
  const User *actor;
  int what;              /* 0 activities, 1 projects, 2 funds */
  ImportRow *aRow;
  int nRow;
  bool dry_run;
  int64_t refused;       /* rows refused */
  void (*reject)(int64_t line, const Err *why, void *arg);
  void *arg;
  json_t *created;       /* [{line, code} | {line, id}] */
} ImportJob;

static const char *const import_kinds[] = {"activities", "projects", "funds"};

/* refuse() reports why for row r: at the line of the group element the
** error names ("investors.2.share": the third investor's row), else the
** row's own. */
static void refuse(ImportJob *j, const ImportRow *r, const Err *why) {
  int64_t line = r->line;
  if (strncmp(why->field, "investors.", 10) == 0) {
    json_t *l = json_array_get(r->lines, (size_t)atoi(why->field + 10));
    if (l) line = json_integer_value(l);
  }
  j->refused++;
  j->reject(line, why, j->arg);
}

/* project_moves() takes a project row's stage columns out of row (a copy,
** new) into r->moves: 在谈 (talks_on) and 签约 (signed_on,
** contract_amount), the stages an import may set; later ones need their
** evidence in the project page. Returns the rest of the row, or NULL with
** *e. */
static json_t *project_moves(const json_t *row, ImportRow *r, Err *e) {
  json_t *rest = json_deep_copy(row), *v;
  const char *stage = json_string_value(json_object_get(rest, "stage"));
  int st = stage ? workflow_state(&invest_workflow, stage) : PS_LEAD;
  if (st < 0 || st > PS_SIGNED) {
    json_decref(rest);
    return err_set(e, E_INVALID, "invest.import_stage", "stage",
                   "导入只能登记线索、在谈或签约阶段的项目；注册及以后的阶段请在项目页登记证明材料",
                   "An import records projects at lead, talks or signed; later stages take their evidence on the "
                   "project page"),
           NULL;
  }
  /* A ledger often knows only the signing day: the days before it default
  ** to the earliest day given, so that they come in order. */
  json_t *talks = json_object_get(rest, "talks_on"), *sign = json_object_get(rest, "signed_on");
  if (st >= PS_TALKS && !talks && sign) json_object_set(rest, "talks_on", talks = sign);
  if (!json_object_get(rest, "lead_on") && (talks || sign)) json_object_set(rest, "lead_on", talks ? talks : sign);
  r->moves = json_array();
  if (st >= PS_TALKS) {
    json_t *args = json_object();
    if ((v = json_object_get(rest, "talks_on"))) json_object_set(args, "talks_on", v);
    json_array_append_new(r->moves, json_pack("[s,o]", "negotiate", args));
  }
  if (st >= PS_SIGNED) {
    json_t *args = json_object();
    if ((v = json_object_get(rest, "signed_on"))) json_object_set(args, "signed_on", v);
    if ((v = json_object_get(rest, "contract_amount"))) json_object_set(args, "contract_amount", v);
    json_array_append_new(r->moves, json_pack("[s,o]", "sign", args));
  } else if (json_object_get(rest, "signed_on") || json_object_get(rest, "contract_amount")) {
    json_decref(rest);
    return err_set(e, E_INVALID, "invest.import_stage", "stage", "填写了签约日期或合同投资额的项目，阶段应为签约",
                   "A project with a signing date or contract amount is at the signed stage"),
           NULL;
  }
  json_object_del(rest, "stage");
  json_object_del(rest, "talks_on");
  json_object_del(rest, "signed_on");
  json_object_del(rest, "contract_amount");
  return rest;
}

/* import_decode() decodes r from its row (the API's checks). */
static int import_decode(const ImportJob *j, ImportRow *r, const json_t *row, Err *e) {
  if (j->what == 0) return activity_decode(j->actor, row, &r->u.activity, e);
  if (j->what == 2) {
    json_t *rest = json_deep_copy(row);
    const char *code = json_string_value(json_object_get(row, "project"));
    json_object_del(rest, "project");
    int rc = code ? fund_decode(j->actor, code, rest, &r->u.fund, e)
                  : err_set(e, E_INVALID, "request.missing_field", "project", "缺少项目编号", "The project code is missing");
    json_decref(rest);
    return rc;
  }
  json_t *rest = project_moves(row, r, e);
  int rc = rest ? project_decode(j->actor, rest, &r->u.project, e) : -1;
  json_decref(rest);
  return rc;
}

/* import_row() writes one decoded row inside the import's transaction. */
static int import_row(Db *db, ImportJob *j, ImportRow *r, Err *e) {
  if (j->what == 0) {
    if (activity_job(db, &r->u.activity, e)) return -1;
    json_array_append_new(j->created, json_pack("{s:I,s:I}", "line", (json_int_t)r->line, "id",
                                                (json_int_t)r->u.activity.id));
    return 0;
  }
  if (j->what == 2) {
    if (fund_job(db, &r->u.fund, e)) return -1;
    json_array_append_new(j->created, json_pack("{s:I,s:s}", "line", (json_int_t)r->line, "code", r->u.fund.code));
    return 0;
  }
  if (create_job(db, &r->u.project, e)) return -1;
  size_t i;
  json_t *m;
  json_array_foreach(r->moves, i, m) {
    MoveJob mj = {j->actor, r->u.project.code, json_string_value(json_array_get(m, 0)), json_array_get(m, 1),
                  r->u.project.now};
    if (move_job(db, &mj, e)) return -1;
  }
  json_array_append_new(j->created, json_pack("{s:I,s:s}", "line", (json_int_t)r->line, "code", r->u.project.code));
  return 0;
}

/* import_job() writes every decoded row; a row refused here is reported and
** the rest still checked (the refusals of the database come all at once
** too), unless the database itself failed. Any refusal, or a dry run,
** leaves nothing written. */
static int import_job(Db *db, void *arg, Err *e) {
  ImportJob *j = arg;
  for (int i = 0; i < j->nRow; i++) {
    ImportRow *r = &j->aRow[i];
    Err why = {0};
    if (!r->ok) continue;
    if (import_row(db, j, r, &why) == 0) continue;
    if (why.kind == E_INTERNAL) {
      ErrList *all = e->all;
      *e = why;
      e->all = all;
      return -1;
    }
    refuse(j, r, &why);
  }
  if (j->refused)
    return err_set(e, E_INVALID, "import.rejected", NULL, "文件中有未通过检查的行，未导入任何数据",
                   "Some rows were refused: nothing was imported");
  json_t *d = json_pack("{s:s,s:i}", "kind", import_kinds[j->what], "rows", j->nRow);
  int rc = audit_append(db, j->actor, "invest.import", "invest_import", d, e);
  json_decref(d);
  if (rc == 0 && j->dry_run)
    return err_set(e, E_INVALID, "import.dry_run", NULL, "检查通过（仅检查，未导入）", "Checked only: nothing imported");
  return rc;
}

json_t *invest_import_rows(Store *s, const User *actor, const char *what, const json_t *rows, bool dry_run,
                           void (*reject)(int64_t line, const Err *why, void *arg), void *arg, Err *e) {
  ImportJob j = {.actor = actor, .what = -1, .dry_run = dry_run, .reject = reject, .arg = arg};
  for (int k = 0; k < (int)XQ_COUNT(import_kinds); k++)
    if (strcmp(what, import_kinds[k]) == 0) j.what = k;
  if (j.what < 0)
    return err_setf(e, E_NOTFOUND, "import.no_kind", NULL, "没有这种导入：%s", "No such import: %s", what), NULL;
  if (!(actor->role & (j.what == 0 ? ROLE_INVEST : (ROLE_INVEST | ROLE_ADMIN))))
    return err_set(e, E_FORBIDDEN, "auth.forbidden", NULL, "只有招商专员可以导入招商台账",
                   "Only investment officers import ledgers"),
           NULL;
  j.nRow = (int)json_array_size(rows);
  j.aRow = xcalloc((size_t)j.nRow + 1, sizeof *j.aRow);
  j.created = json_array();
  json_t *out = NULL;
  for (int i = 0; i < j.nRow; i++) {
    ImportRow *r = &j.aRow[i];
    const json_t *x = json_array_get(rows, (size_t)i);
    Err why = {0};
    r->line = json_integer_value(json_object_get(x, "line"));
    r->lines = json_object_get(x, "lines");
    r->ok = import_decode(&j, r, json_object_get(x, "row"), &why) == 0;
    if (!r->ok) refuse(&j, r, &why);
  }
  /* The rows that decoded are written (or tried) even when others were
  ** refused, so that one answer lists every refusal. */
  ErrList *all = e->all; /* where the caller's reject() may gather the refusals */
  int rc = store_write(s, import_job, &j, e);
  e->all = all;
  if (rc && strcmp(e->code, "import.dry_run") != 0 && !(j.refused && e->kind != E_INTERNAL)) goto out;
  if (j.refused) {
    char n[24];
    snprintf(n, sizeof n, "%lld", (long long)j.refused);
    err_setf(e, E_INVALID, "import.rejected", NULL, "有 %s 行未通过检查，未导入任何数据；请改正后重新导入整个文件",
             "%s rows were refused and nothing was imported: correct them and import the whole file again", n);
    goto out;
  }
  out = json_pack("{s:s,s:i,s:i,s:b,s:o}", "kind", what, "rows", j.nRow, "imported", dry_run ? 0 : j.nRow,
                  "dry_run", dry_run, "created", dry_run ? json_array() : json_incref(j.created));
out:
  for (int i = 0; i < j.nRow; i++) {
    if (j.what == 1) project_free(&j.aRow[i].u.project);
    json_decref(j.aRow[i].moves);
  }
  free(j.aRow);
  json_decref(j.created);
  return out;
}
