/*
** invest.c — 招商 projects, their stages and their funds in place (see
** invest.h). All SQL on invest_* lives here.
*/
#include "invest.h"
#include "audit.h"
#include "bundle.h"
#include "parcel.h"
#include "registry.h"
#include "../base/cal.h"
#include "../base/codes.h"
#include "../base/jsonx.h"
#include "../base/money.h"

#include <stdio.h>
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
  char code[40], name[244], stage[16], uscc[24];
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

static int hook_sign(Db *db, void *ctx, Err *e);
static int hook_register(Db *db, void *ctx, Err *e);
static int hook_start(Db *db, void *ctx, Err *e);
static int hook_produce(Db *db, void *ctx, Err *e);
static int hook_full(Db *db, void *ctx, Err *e);
static int hook_stop(Db *db, void *ctx, Err *e);

#define S(x) WF_BIT(x)
#define OFFICER (ROLE_INVEST | ROLE_ADMIN)

static const WfMove moves[] = {
    {"negotiate", "进入洽谈", "Start talks", S(PS_LEAD), PS_TALKS, OFFICER, CLK_NONE, 0, NULL},
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

static int not_found(const char *code, Err *e) {
  return err_setf(e, E_NOTFOUND, "invest.not_found", NULL, "没有找到该招商项目：%s", "No investment project %s",
                  code ? code : "");
}

/* ---- evidence ------------------------------------------------------------ */

/* day_arg() reads args' member name as a date that is not in the future
** into out; label names it. */
static int day_arg(const Ctx *x, const char *name, const char *label, char out[11], Err *e) {
  const char *v = json_string_value(json_object_get(x->args, name));
  int day, today;
  char t[11];
  if (!v || !v[0]) {
    char zh[160];
    snprintf(zh, sizeof zh, "缺少证明材料：%s（YYYY-MM-DD）", label);
    return err_setf(e, E_INVALID, "invest.evidence_missing", name, zh, "Evidence missing: %s (YYYY-MM-DD)", name);
  }
  cal_parse_date(time_today_cn(t), &today);
  if (cal_parse_date(v, &day) || day > today)
    return err_setf(e, E_INVALID, "invest.bad_date", name, "日期无效或在今天之后：%s",
                    "Not a date, or a date after today: %s", v);
  snprintf(out, 11, "%s", v);
  json_object_set_new(x->set, name, json_string(v));
  json_object_set_new(x->note, name, json_string(v));
  return 0;
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
** 企业开办 bundle founded (the bundle's own entity, once issued). */
static int hook_register(Db *db, void *ctx, Err *e) {
  Ctx *x = ctx;
  const char *uscc = json_string_value(json_object_get(x->args, "uscc"));
  json_int_t bundle = json_integer_value(json_object_get(x->args, "bundle"));
  char found[24] = "";
  if (!uscc && bundle > 0) {
    char name[244];
    if (bundle_entity(db, bundle, found, sizeof found, name, sizeof name, e)) return -1;
    if (!found[0])
      return err_set(e, E_INVALID, "invest.bundle_not_registered", "bundle", "该一件事尚未登记出新的市场主体",
                     "That bundle has not registered a new market entity yet");
    uscc = found;
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
  return 0;
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
  "p.full_on, p.stop_reason, p.version, p.created_at, d.name, a.username, a.display"

/* project_load() reads project code into p: 1, 0 when none, -1. */
static int project_load(Db *db, const char *code, Project *p, Err *e) {
  Stmt *st = db_prepare(db, "SELECT id, dept_id, owner_id, version, code, name, stage, uscc FROM invest_project"
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
    p->st = workflow_state(&invest_workflow, p->stage);
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
  } opt[] = {{10, "signed_on"}, {12, "uscc"}, {13, "parcel"}, {14, "permit_case"}, {15, "started_on"},
             {16, "producing_on"}, {17, "full_on"}, {18, "stop_reason"}};
  for (size_t i = 0; i < XQ_COUNT(opt); i++)
    if (stmt_text(st, opt[i].col)[0]) json_object_set_new(o, opt[i].name, json_string(stmt_text(st, opt[i].col)));
  if (stmt_int(st, 11)) json_object_set_new(o, "contract_amount", money_json(stmt_int(st, 11), "CNY"));
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
  if (add_rows(db, o, "investors",
               "SELECT kind, code, name, country, province, share_bp FROM invest_investor WHERE project_id = ?"
               " ORDER BY id", id, investor_row, e) ||
      add_rows(db, o, "funds",
               "SELECT on_day, amount, currency, rate, cny, kind, source, usd FROM invest_fund WHERE project_id = ?"
               " ORDER BY on_day, id", id, fund_row, e) ||
      add_rows(db, o, "timeline",
               "SELECT ev.at, ev.action, ev.to_stage, a.username, ev.note, a.display FROM invest_event ev"
               " JOIN account a ON a.id = ev.actor_id WHERE ev.project_id = ? ORDER BY ev.id", id, event_row, e)) {
    json_decref(o);
    return NULL;
  }
  return o;
}

json_t *invest_project_get(Store *s, const User *actor, const char *code, Err *e) {
  return project_json(store_reader(s), actor, code, e);
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
  int64_t now, planned, planned_usd;
  char name[244], industry[4], origin[12], owner[64];
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
      if (!codes_province(v->province))
        return err_setf(e, E_INVALID, "invest.bad_province", field, "境内投资方的省份代码无效（GB/T 2260 前两位）：%s",
                        "Not a province code (GB/T 2260, two digits): %s", v->province);
    } else if (v->province[0]) {
      return err_set(e, E_INVALID, "invest.bad_province", field, "境外投资方不填省份", "A foreign investor has no province");
    }
    /* A share is a percentage with two decimals at most: basis points. */
    if (money_parse(share, money_currency("CNY"), field, &v->share_bp, e)) return -1;
    if (v->share_bp <= 0 || v->share_bp > 10000)
      return err_setf(e, E_INVALID, "invest.bad_share", field, "出资比例应为 0 至 100 之间的百分数，最多两位小数：%s",
                      "A share is a percentage above 0 and at most 100, two decimals at most: %s", share);
    total += v->share_bp;
  }
  if (total != 10000)
    return err_set(e, E_INVALID, "invest.shares_not_100", "investors", "各投资方出资比例之和应为 100%",
                   "The investors' shares must add up to 100%");
  return 0;
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
  int64_t id = -1;
  Stmt *st = db_prepare(db, "INSERT INTO invest_project(code, name, dept_id, owner_id, industry, origin, planned,"
                            " planned_usd, stage, created_at, updated_at) VALUES ('',?,?,?,?,?,?,?,'lead',?,?)"
                            " RETURNING id", e);
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

json_t *invest_project_create(Store *s, const User *actor, const json_t *in, Err *e) {
  CreateJob j = {.actor = actor, .now = now_ms()};
  char planned[40] = "", planned_usd[40] = "";
  const json_t *investors = NULL;
  json_t *out = NULL;
  JField f[] = {
      {"name", J_STR, true, j.name, sizeof j.name, 2, 60, NULL},
      {"industry", J_STR, true, j.industry, sizeof j.industry, 0, 0, NULL},
      {"origin", J_STR, true, j.origin, sizeof j.origin, 0, 0, NULL},
      {"planned", J_STR, true, planned, sizeof planned, 0, 0, NULL},
      {"planned_usd", J_STR, false, planned_usd, sizeof planned_usd, 0, 0, NULL},
      {"owner", J_STR, false, j.owner, sizeof j.owner, 0, 0, NULL},
      {"investors", J_ARR, true, &investors, 0, 0, 0, NULL},
  };
  if (!may_act(actor, actor->dept_id) || (actor->role != ROLE_ADMIN && actor->dept_id == 0)) {
    err_set(e, E_FORBIDDEN, "auth.forbidden", NULL, "只有招商专员可以登记招商项目",
            "Only investment officers record projects");
    goto out;
  }
  if (jsonx_decode(in, f, (int)XQ_COUNT(f), false, e)) goto out;
  if (strlen(j.industry) != 1 || !strchr(industries, j.industry[0])) {
    err_setf(e, E_INVALID, "invest.bad_industry", "industry", "行业门类应为 GB/T 4754 的 A 至 T：%s",
             "The industry is a GB/T 4754 section, A to T: %s", j.industry);
    goto out;
  }
  bool foreign = strcmp(j.origin, "foreign") == 0;
  if (!foreign && strcmp(j.origin, "domestic") != 0) {
    err_setf(e, E_INVALID, "invest.bad_origin", "origin", "资金来源应为 domestic（内资）或 foreign（外资）：%s",
             "The origin is domestic or foreign: %s", j.origin);
    goto out;
  }
  if (money_parse(planned, money_currency("CNY"), "planned", &j.planned, e)) goto out;
  if (j.planned <= 0) {
    err_set(e, E_INVALID, "invest.bad_amount", "planned", "计划投资额应大于零", "The planned investment must be above zero");
    goto out;
  }
  if (planned_usd[0] && money_parse(planned_usd, money_currency("USD"), "planned_usd", &j.planned_usd, e)) goto out;
  if (foreign != (j.planned_usd > 0)) {
    err_set(e, E_INVALID, "invest.bad_amount", "planned_usd",
            foreign ? "外资项目应填写外资部分（美元）" : "内资项目不填外资部分（美元）",
            foreign ? "A foreign project gives its foreign part in dollars" : "A domestic project has no foreign part");
    goto out;
  }
  if (investors_decode(investors, &j, e)) goto out;
  if (actor->role == ROLE_ADMIN && !j.owner[0]) {
    err_set(e, E_INVALID, "invest.bad_owner", "owner", "请指定项目负责人（招商专员）",
            "Name the project's owner (an investment officer)");
    goto out;
  }
  if (store_write(s, create_job, &j, e)) goto out;
  out = invest_project_get(s, actor, j.code, e);
out:
  free(j.aInvestor);
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

json_t *invest_fund_add(Store *s, const User *actor, const char *code, const json_t *in, Err *e) {
  FundJob j = {.actor = actor, .code = code, .now = now_ms()};
  char rate[40] = "", usd_rate[40] = "";
  JField f[] = {
      {"on", J_STR, true, j.on, sizeof j.on, 0, 0, NULL},
      {"amount", J_STR, true, j.amount_text, sizeof j.amount_text, 0, 0, NULL},
      {"currency", J_STR, false, j.currency, sizeof j.currency, 0, 0, NULL},
      {"rate", J_STR, false, rate, sizeof rate, 0, 0, NULL},
      {"usd_rate", J_STR, false, usd_rate, sizeof usd_rate, 0, 0, NULL},
      {"kind", J_STR, true, j.kind, sizeof j.kind, 0, 0, NULL},
      {"source", J_STR, true, j.source, sizeof j.source, 0, 0, NULL},
  };
  if (jsonx_decode(in, f, (int)XQ_COUNT(f), false, e)) return NULL;
  int day, today;
  char t[11];
  cal_parse_date(time_today_cn(t), &today);
  if (cal_parse_date(j.on, &day) || day > today)
    return err_setf(e, E_INVALID, "invest.bad_date", "on", "日期无效或在今天之后：%s", "Not a date, or after today: %s",
                    j.on),
           NULL;
  if (!j.currency[0]) snprintf(j.currency, sizeof j.currency, "CNY");
  const Currency *c = money_currency(j.currency), *cny = money_currency("CNY"), *usd = money_currency("USD");
  if (!c)
    return err_setf(e, E_INVALID, "money.bad_currency", "currency", "不支持的币种（ISO 4217）：%s",
                    "Not a currency xinqu knows (ISO 4217): %s", j.currency),
           NULL;
  if (money_parse(j.amount_text, c, "amount", &j.amount, e)) return NULL;
  if (j.amount <= 0)
    return err_set(e, E_INVALID, "invest.bad_amount", "amount", "到位资金应大于零", "Funds in place must be above zero"),
           NULL;
  if (strcmp(j.kind, "fixed") != 0 && strcmp(j.kind, "working") != 0)
    return err_setf(e, E_INVALID, "invest.bad_fund_kind", "kind", "资金类型应为 fixed（固定资产投资）或 working（流动资金）：%s",
                    "The kind is fixed or working: %s", j.kind),
           NULL;
  bool foreign = strcmp(j.source, "foreign") == 0;
  if (!foreign && strcmp(j.source, "out_of_province") != 0 && strcmp(j.source, "in_province") != 0)
    return err_setf(e, E_INVALID, "invest.bad_source", "source",
                    "资金来源应为 out_of_province（省外）、in_province（省内）或 foreign（境外）：%s",
                    "The source is out_of_province, in_province or foreign: %s", j.source),
           NULL;
  if (!foreign && c != cny)
    return err_set(e, E_INVALID, "invest.bad_currency", "currency", "境内资金以人民币登记",
                   "Domestic funds are recorded in yuan"),
           NULL;
  /* The rate of the day stays on the entry: yuan per unit, and for
  ** foreign funds dollars per unit (实际使用外资 is counted in dollars). */
  if (c == cny) {
    j.rate = MONEY_RATE_SCALE;
  } else if (!rate[0]) {
    return err_set(e, E_INVALID, "invest.rate_missing", "rate", "外币资金需填写当日人民币汇率（每单位外币折合人民币）",
                   "Give the day's rate in yuan per unit of the currency"),
           NULL;
  } else if (money_rate_parse(rate, "rate", &j.rate, e)) {
    return NULL;
  }
  if (money_convert(j.amount, c, j.rate, cny, &j.cny, e)) return NULL;
  if (foreign) {
    if (c == usd) j.usd_rate = MONEY_RATE_SCALE;
    else if (!usd_rate[0])
      return err_set(e, E_INVALID, "invest.rate_missing", "usd_rate", "非美元的境外资金需填写折合美元的汇率",
                     "Foreign funds not in dollars need the rate in dollars per unit"),
             NULL;
    else if (money_rate_parse(usd_rate, "usd_rate", &j.usd_rate, e))
      return NULL;
    if (money_convert(j.amount, c, j.usd_rate, usd, &j.usd, e)) return NULL;
  }
  if (store_write(s, fund_job, &j, e)) return NULL;
  return invest_project_get(s, actor, code, e);
}
