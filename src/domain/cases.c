/*
** cases.c — the case engine (see cases.h). All SQL on case_file and its
** companion tables (case_material, case_event, case_notice, broken_promise)
** lives here; two queries read other modules' tables in a subquery (a
** case list's agencies, the post-check queue's tasks).
**
** The state machine is data: moves[] is the case's workflow (workflow.h):
** for every move, the states it starts from, the state it leads to, the
** roles that may take it and what it does to the SLA clock. One function,
** move_apply(), applies any move; the few moves with work of their own
** (accepting with missing materials, issuing a certificate …) add it
** through a hook.
*/
#include "cases.h"
#include "audit.h"
#include "bundle.h"
#include "docs.h"
#include "registry.h"
#include "rules.h"
#include "notify.h"
#include "params.h"
#include "parcel.h"
#include "task.h"
#include "workflow.h"
#include "sla.h"
#include "../base/buf.h"
#include "../base/codes.h"
#include "../base/crypto.h"
#include "../base/jsonx.h"

#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- States and moves ---------------------------------------------------- */

typedef enum eState {
  ST_DRAFT, ST_SUBMITTED, ST_ACCEPTED, ST_RONGQUE, ST_CORRECTION, ST_REFUSED, ST_REVIEW,
  ST_SPECIAL, ST_SUSPENDED, ST_APPROVED, ST_DENIED, ST_ISSUED, ST_CLOSED, ST_WITHDRAWN,
  ST_TERMINATED, ST_REVOKED, ST_EMPLOYER, ST_EMPLOYER_REJECTED, ST_COUNT
} eState;

static const WfState states[ST_COUNT] = {
    [ST_DRAFT] = {"draft", "草稿", "Draft", false},
    [ST_SUBMITTED] = {"submitted", "已提交待受理", "Submitted", true},
    [ST_ACCEPTED] = {"accepted", "已受理", "Accepted", true},
    [ST_RONGQUE] = {"accepted_rongque", "容缺受理", "Accepted, materials missing", true},
    [ST_CORRECTION] = {"correction", "补正中", "Correction requested", true},
    [ST_REFUSED] = {"refused", "不予受理", "Refused at intake", false},
    [ST_REVIEW] = {"review", "审查中", "Under review", true},
    [ST_SPECIAL] = {"special", "特别程序中", "Special procedure", true},
    [ST_SUSPENDED] = {"suspended", "挂起", "Suspended", true},
    [ST_APPROVED] = {"approved", "准予许可", "Approved", true},
    [ST_DENIED] = {"denied", "不予许可", "Denied", false},
    [ST_ISSUED] = {"issued", "已办结出证", "Issued", false},
    [ST_CLOSED] = {"closed", "已归档", "Closed", false},
    [ST_WITHDRAWN] = {"withdrawn", "已撤回", "Withdrawn", false},
    [ST_TERMINATED] = {"terminated", "已终止（逾期未补齐）", "Terminated (materials not supplied)", false},
    [ST_REVOKED] = {"revoked", "已撤销", "Revoked", false},
    /* A filing that names a party to confirm it first (an item's
    ** CaseItemHooks.reviewer: a talent application's employer) waits for it
    ** before intake. */
    [ST_EMPLOYER] = {"employer_review", "待用人单位确认", "Awaiting the employer's confirmation", true},
    [ST_EMPLOYER_REJECTED] = {"employer_rejected", "用人单位不予确认（已终止）", "Ended: the employer did not confirm", false},
};

#define S(x) WF_BIT(x)
#define OFFICIAL_CLERK (ROLE_CLERK | ROLE_ADMIN)
#define OFFICIAL_APPROVER (ROLE_APPROVER | ROLE_ADMIN)

typedef struct Ctx Ctx;

/* A move's arguments, decoded by one field table where the move comes in
** (cases_act()); each move reads those it takes. */
typedef struct MoveArgs {
  int64_t version;             /* the case's version the actor saw */
  bool has_version;
  char reason[1204];           /* refuse, deny, suspend, revoke: ≤ 300 characters */
  char opinion[2004];          /* approve, deny, decide_now: the 审查意见, ≤ 500 characters */
  char deadline[16];           /* accept_rongque: YYYY-MM-DD */
  char procedure[40];          /* start_special */
  const json_t *deficiencies;  /* request_correction: [text…] */
  const json_t *materials;     /* resubmit, supplement: {key: sha256} */
  const json_t *form;          /* resubmit: the corrected form */
  bool promise_signed;         /* accept_rongque: the 容缺 promise signed at the window */
  bool false_promise;          /* revoke: the applicant broke its promise */
  bool commitment;             /* submit: 告知承诺 */
  const json_t *decision;      /* approve: what the item's domain decides with it (CaseItemHooks.approve), e.g. a
                                  talent application's committee {amount_fen, ref} (一事一议) */
} MoveArgs;

/* move_args_decode() decodes a move's request body in (NULL: none). */
static int move_args_decode(const json_t *in, MoveArgs *a, Err *e) {
  memset(a, 0, sizeof *a);
  if (!in) return 0;
  JField t[] = {
      {"version", J_INT, false, &a->version, 0, 0, 0, &a->has_version},
      {"reason", J_STR, false, a->reason, sizeof a->reason, 0, 300, NULL},
      {"opinion", J_STR, false, a->opinion, sizeof a->opinion, 0, 500, NULL},
      {"deadline", J_STR, false, a->deadline, sizeof a->deadline, 0, 10, NULL},
      {"procedure", J_STR, false, a->procedure, sizeof a->procedure, 0, 32, NULL},
      {"deficiencies", J_ARR, false, &a->deficiencies, 0, 0, 0, NULL},
      {"materials", J_OBJ, false, &a->materials, 0, 0, 0, NULL},
      {"form", J_OBJ, false, &a->form, 0, 0, 0, NULL},
      {"promise_signed", J_BOOL, false, &a->promise_signed, 0, 0, 0, NULL},
      {"false_promise", J_BOOL, false, &a->false_promise, 0, 0, 0, NULL},
      {"commitment", J_BOOL, false, &a->commitment, 0, 0, 0, NULL},
      {"decision", J_OBJ, false, &a->decision, 0, 0, 0, NULL},
  };
  return jsonx_decode(in, t, (int)XQ_COUNT(t), false, e);
}

/* No arguments: what a move made by the engine itself reads. */
static const MoveArgs no_args;

/* The moves' hooks: ctx is the job's Ctx. */
static int hook_submit(Db *, void *, Err *);
static int hook_accept(Db *, void *, Err *);
static int hook_rongque(Db *, void *, Err *);
static int hook_correction(Db *, void *, Err *);
static int hook_materials(Db *, void *, Err *);
static int hook_reason(Db *, void *, Err *);
static int hook_special(Db *, void *, Err *);
static int hook_end_special(Db *, void *, Err *);
static int hook_decide(Db *, void *, Err *);
static int hook_issue(Db *, void *, Err *);
static int hook_instant(Db *, void *, Err *);
static int hook_revoke(Db *, void *, Err *);
static int hook_employer(Db *, void *, Err *);

#define OPEN_BEFORE_DECISION                                                               \
  (S(ST_SUBMITTED) | S(ST_ACCEPTED) | S(ST_RONGQUE) | S(ST_CORRECTION) | S(ST_REVIEW) |     \
   S(ST_SPECIAL) | S(ST_SUSPENDED) | S(ST_EMPLOYER))

static const WfMove moves[] = {
    {"submit", "提交申请", "Submit", S(ST_DRAFT), ST_SUBMITTED, ROLE_APPLICANT | OFFICIAL_CLERK, CLK_NONE, 0,
     hook_submit},
    {"accept", "受理", "Accept", S(ST_SUBMITTED), ST_ACCEPTED, OFFICIAL_CLERK, CLK_START, NOTICE_ACCEPT,
     hook_accept},
    {"accept_rongque", "容缺受理", "Accept with materials missing (容缺)", S(ST_SUBMITTED), ST_RONGQUE, OFFICIAL_CLERK, CLK_START,
     NOTICE_ACCEPT_RONGQUE, hook_rongque},
    {"decide_now", "即来即办（受理并当场办结）", "Decide at once (即办)", S(ST_SUBMITTED), ST_ISSUED, OFFICIAL_CLERK,
     CLK_NONE, NOTICE_APPROVE, hook_instant},
    {"request_correction", "一次性告知补正", "Request correction (one notice)", S(ST_SUBMITTED) | S(ST_ACCEPTED) | S(ST_REVIEW),
     ST_CORRECTION, OFFICIAL_CLERK | ROLE_APPROVER, CLK_PAUSE, NOTICE_CORRECTION,
     hook_correction},
    {"resubmit", "补正后重新提交", "Resubmit after correction", S(ST_CORRECTION), -1, ROLE_APPLICANT, CLK_RESUME, 0,
     hook_materials},
    {"refuse", "不予受理", "Refuse at intake", S(ST_SUBMITTED), ST_REFUSED, OFFICIAL_CLERK, CLK_NONE, NOTICE_REFUSE,
     hook_reason},
    {"start_review", "开始审查", "Start review", S(ST_ACCEPTED) | S(ST_RONGQUE), ST_REVIEW, OFFICIAL_APPROVER,
     CLK_NONE, 0, NULL},
    {"start_special", "启动特别程序（暂停计时）", "Start a special procedure (clock paused)", S(ST_ACCEPTED) | S(ST_RONGQUE) | S(ST_REVIEW),
     ST_SPECIAL, OFFICIAL_APPROVER, CLK_PAUSE, 0, hook_special},
    {"end_special", "结束特别程序", "End the special procedure", S(ST_SPECIAL), ST_REVIEW, OFFICIAL_APPROVER, CLK_RESUME, 0,
     hook_end_special},
    {"suspend", "挂起（暂停计时）", "Suspend (clock paused)", S(ST_ACCEPTED) | S(ST_RONGQUE) | S(ST_REVIEW), ST_SUSPENDED,
     OFFICIAL_APPROVER, CLK_PAUSE, 0, hook_reason},
    {"resume", "解除挂起", "Resume", S(ST_SUSPENDED), -1, OFFICIAL_APPROVER, CLK_RESUME, 0, NULL},
    {"approve", "准予许可", "Approve", S(ST_ACCEPTED) | S(ST_RONGQUE) | S(ST_REVIEW), ST_APPROVED,
     OFFICIAL_APPROVER, CLK_STOP, NOTICE_APPROVE, hook_decide},
    {"deny", "不予许可", "Deny", S(ST_ACCEPTED) | S(ST_RONGQUE) | S(ST_REVIEW), ST_DENIED,
     OFFICIAL_APPROVER, CLK_STOP, NOTICE_DENY, hook_reason},
    {"issue", "发证办结", "Issue and close", S(ST_APPROVED), ST_ISSUED, OFFICIAL_CLERK | ROLE_APPROVER, CLK_NONE, 0,
     hook_issue},
    {"supplement", "补交容缺材料", "Supply missing materials", S(ST_RONGQUE) | S(ST_REVIEW) | S(ST_SPECIAL) | S(ST_SUSPENDED) |
     S(ST_APPROVED), -2, ROLE_APPLICANT, CLK_NONE, 0, hook_materials},
    {"withdraw", "撤回申请", "Withdraw", S(ST_DRAFT) | OPEN_BEFORE_DECISION, ST_WITHDRAWN, ROLE_APPLICANT,
     CLK_STOP, 0, NULL},
    {"close", "归档", "Archive", S(ST_ISSUED) | S(ST_DENIED) | S(ST_REFUSED), ST_CLOSED,
     ROLE_APPLICANT | OFFICIAL_CLERK, CLK_NONE, 0, NULL},
    {"revoke", "撤销许可决定", "Revoke the decision", S(ST_APPROVED) | S(ST_ISSUED) | S(ST_CLOSED), ST_REVOKED,
     OFFICIAL_APPROVER, CLK_NONE, NOTICE_REVOKE, hook_revoke},
    /* The reviewing party's (a talent application's employer): only its
    ** accounts and agents take these (role_on() gives them WF_REVIEWER). */
    {"employer_confirm", "用人单位确认", "Confirm as the employer", S(ST_EMPLOYER), ST_SUBMITTED, WF_REVIEWER, CLK_NONE,
     0, hook_employer},
    {"employer_reject", "用人单位不予确认", "Reject as the employer", S(ST_EMPLOYER), ST_EMPLOYER_REJECTED, WF_REVIEWER,
     CLK_NONE, 0, hook_employer},
};
/* to == -2: the move keeps the state (supplement), except that the last
** missing material of a 容缺 case moves it from accepted_rongque to accepted. */

/* The timeline's steps that are not moves of an actor: what the engine
** itself records (a filing created, a 容缺 case ended by the scan, a task
** done, a rating). Listed by cases_machine() so every label has one source. */
static const WfStep steps[] = {
    {"create", "创建申请", "Created"},
    {"update", "修改申请（草稿）", "Draft changed"},
    {"lapse", "容缺逾期终止", "Ended: missing materials not supplied in time"},
    {"task", "任务办结", "Task completed"},
    {"rate", "好差评", "Rated"},
    {"await_employer", "送用人单位确认", "Sent to the employer to confirm"},
};

/* The special procedures (特别程序) whose time does not count on the clock. */
static const struct {
  const char *code, *label, *label_en;
} procedures[] = {
    {"site_inspection", "现场勘验", "Site inspection"},
    {"hearing", "听证", "Hearing"},
    {"expert_review", "专家评审", "Expert review"},
    {"testing", "检验检测", "Testing"},
    /* 一事一议: a committee decides what the item's domain decides with the
    ** approval (a talent policy's amount); its end records the decision. */
    {"committee", "一事一议（评审委员会）", "Case-by-case decision (committee)"},
};

/* The workflow of a government-service case (workflow.h). */
const Workflow cases_workflow = {"case", "办件", "case", "cases", states, ST_COUNT, moves, (int)XQ_COUNT(moves),
                                 steps, (int)XQ_COUNT(steps)};

static int state_parse(const char *s) { return workflow_state(&cases_workflow, s); }
static const WfMove *move_find(const char *name) { return workflow_move(&cases_workflow, name); }

/* cases_machine() describes the state machine (new object): every state
** with its labels, every move with the states it starts from, where it
** leads and the roles that may take it, the engine's own steps and the
** special procedures: the one source of every label the web app shows. */
json_t *cases_machine(void) {
  json_t *o = workflow_json(&cases_workflow), *pr = json_array();
  for (size_t i = 0; i < XQ_COUNT(procedures); i++)
    json_array_append_new(pr, json_pack("{s:s,s:s,s:s}", "code", procedures[i].code, "label", procedures[i].label,
                                        "label_en", procedures[i].label_en));
  json_object_set_new(o, "procedures", pr);
  return o;
}

/* ---- The case row ------------------------------------------------------------ */

typedef struct Case {
  int64_t id;
  char no[24];
  int64_t version_id;
  char item_code[40];
  int64_t dept_id;
  char party[40], party_type[8], party_name[404];
  int64_t filer_id;
  char channel[8];
  int state, resume_state;     /* resume_state: -1 none */
  char path[12];               /* normal | instant | auto | promise | rongque */
  json_t *form;                /* owned */
  json_t *contact;             /* owned: {name, phone, delivery, address} ({} when none given) */
  json_t *missing;             /* owned: array of material keys */
  int64_t bundle_id;
  char parcel[4 * PARCEL_CODE_MAX + 4]; /* its land parcel's code, or "" */
  SlaClock clk;                /* the promised limit's clock (sla.h) */
  int64_t supplement_due_at;
  int64_t submitted_at, decided_at, issued_at, closed_at;
  int visits;
  char decision[8];
  json_t *rule_result;         /* owned or NULL */
  int postcheck;
  char certificate[32];
  int warned, overdue, on_time; /* on_time: -1 unknown */
  int rating;
  char rating_comment[1204];
  int64_t created_at, updated_at;
  int64_t version;             /* bumped by every save: the compare-and-set of case_save() */
  char reviewer[40];           /* the party that confirms the filing before intake (its employer), or "" */
} Case;

#define CASE_COLS                                                                           \
  "id, case_no, item_version_id, item_code, dept_id, party, party_type, party_name, "      \
  "filer_id, channel, state, resume_state, path, form, missing, bundle_id, parcel, "       \
  "limit_ms, started_at, deadline_at, warn_at, paused_at, supplement_due_at, "             \
  "submitted_at, decided_at, issued_at, closed_at, visits, decision, rule_result, "        \
  "postcheck, certificate, warned, overdue, on_time, rating, rating_comment, created_at, " \
  "updated_at, version, contact, reviewer"
#define CASE_NCOL 42 /* the columns of CASE_COLS: the listed case's own come after them */

static void case_free(Case *c) {
  json_decref(c->form);
  json_decref(c->missing);
  json_decref(c->rule_result);
  json_decref(c->contact);
  c->form = c->missing = c->rule_result = c->contact = NULL;
}

static void copy_col(char *dst, size_t cap, Stmt *st, int col) {
  const char *t = stmt_text(st, col);
  snprintf(dst, cap, "%s", t ? t : "");
}

static json_t *parse_col(Stmt *st, int col, const char *dflt) {
  const char *t = stmt_text(st, col);
  json_t *j = t ? json_loads(t, 0, NULL) : NULL;
  return j ? j : json_loads(dflt, 0, NULL);
}

static void read_case(Stmt *st, Case *c) {
  char buf[24];
  memset(c, 0, sizeof *c);
  c->id = stmt_int(st, 0);
  copy_col(c->no, sizeof c->no, st, 1);
  c->version_id = stmt_int(st, 2);
  copy_col(c->item_code, sizeof c->item_code, st, 3);
  c->dept_id = stmt_int(st, 4);
  copy_col(c->party, sizeof c->party, st, 5);
  copy_col(c->party_type, sizeof c->party_type, st, 6);
  copy_col(c->party_name, sizeof c->party_name, st, 7);
  c->filer_id = stmt_int(st, 8);
  copy_col(c->channel, sizeof c->channel, st, 9);
  copy_col(buf, sizeof buf, st, 10);
  c->state = state_parse(buf);
  copy_col(buf, sizeof buf, st, 11);
  c->resume_state = buf[0] ? state_parse(buf) : -1;
  copy_col(c->path, sizeof c->path, st, 12);
  c->form = parse_col(st, 13, "{}");
  c->missing = parse_col(st, 14, "[]");
  c->bundle_id = stmt_int(st, 15);
  copy_col(c->parcel, sizeof c->parcel, st, 16);
  int64_t *t[] = {&c->clk.limit_ms, &c->clk.started_at, &c->clk.deadline_at, &c->clk.warn_at, &c->clk.paused_at,
                  &c->supplement_due_at, &c->submitted_at, &c->decided_at, &c->issued_at,
                  &c->closed_at};
  for (int i = 0; i < 10; i++) *t[i] = stmt_int(st, 17 + i);
  c->visits = (int)stmt_int(st, 27);
  copy_col(c->decision, sizeof c->decision, st, 28);
  c->rule_result = stmt_null(st, 29) ? NULL : parse_col(st, 29, "null");
  c->postcheck = (int)stmt_int(st, 30);
  copy_col(c->certificate, sizeof c->certificate, st, 31);
  c->warned = (int)stmt_int(st, 32);
  c->overdue = (int)stmt_int(st, 33);
  c->on_time = stmt_null(st, 34) ? -1 : (int)stmt_int(st, 34);
  c->rating = (int)stmt_int(st, 35);
  copy_col(c->rating_comment, sizeof c->rating_comment, st, 36);
  c->created_at = stmt_int(st, 37);
  c->updated_at = stmt_int(st, 38);
  c->version = stmt_int(st, 39);
  c->contact = parse_col(st, 40, "{}");
  copy_col(c->reviewer, sizeof c->reviewer, st, 41);
  ALWAYS(stmt_columns(st) >= CASE_NCOL);
}

/* case_load() reads case no through db. -1 with case.not_found. */
static int case_load(Db *db, const char *no, Case *c, Err *e) {
  Stmt *st = db_prepare(db, "SELECT " CASE_COLS " FROM case_file WHERE case_no = ?", e);
  if (!st) return -1;
  stmt_bind_text(st, 1, no);
  int rc = stmt_step(st, e);
  if (rc == 1) read_case(st, c);
  stmt_done(st);
  if (rc < 0) return -1;
  if (rc == 0)
    return err_setf(e, E_NOTFOUND, "case.not_found", NULL, "没有找到该办件：%s",
                    "No case numbered %s", no);
  return 0;
}

static int case_load_id(Db *db, int64_t id, Case *c, Err *e) {
  Stmt *st = db_prepare(db, "SELECT " CASE_COLS " FROM case_file WHERE id = ?", e);
  if (!st) return -1;
  stmt_bind_int(st, 1, id);
  int rc = stmt_step(st, e);
  if (rc == 1) read_case(st, c);
  stmt_done(st);
  if (rc < 0) return -1;
  if (rc == 0) return err_set(e, E_NOTFOUND, "case.not_found", NULL, "没有找到该办件", "No such case");
  return 0;
}

/* case_conflict() fills *e with case.conflict: case c was moved by someone
** else since it was read (its version is no longer c->version); the
** message names the state it is in now. Returns -1. */
static int case_conflict(Db *db, const Case *c, Err *e) {
  char state[24] = "";
  Err ignore = {0};
  Stmt *st = db_prepare(db, "SELECT state FROM case_file WHERE id = ?", &ignore);
  if (st) {
    stmt_bind_int(st, 1, c->id);
    if (stmt_step(st, &ignore) == 1) snprintf(state, sizeof state, "%s", stmt_text(st, 0));
    stmt_done(st);
  }
  int now = state_parse(state);
  err_setf(e, E_CONFLICT, "case.conflict", NULL, "该办件刚被他人办理，当前状态为%s，请刷新后重试",
           "The case was just moved by someone else; reload it and try again", now >= 0 ? states[now].label : "未知");
  if (now >= 0)
    snprintf(e->message_en, sizeof e->message_en,
             "The case was just moved by someone else and is now %s; reload it and try again", states[now].name);
  return -1;
}

/* case_save() writes every field a move may change, as a compare-and-set:
** only if the case still has the version it was read with (then bumps it);
** otherwise case.conflict, and the job (notice, timeline, audit) rolls back
** whole. A job reads and saves inside one writer transaction, which holds
** the database's write lock (store_write()), so between servers this is the
** check that the lock keeps its promise; a move that names the version its
** actor saw (move_apply()) is refused the same way. */
static int case_save(Db *db, Case *c, int64_t now, Err *e) {
  char *form = json_dumps(c->form, JSON_COMPACT | JSON_SORT_KEYS);
  char *missing = json_dumps(c->missing, JSON_COMPACT);
  char *rule = c->rule_result ? json_dumps(c->rule_result, JSON_COMPACT) : NULL;
  c->updated_at = now;
  Stmt *st = db_prepare(db,
                        "UPDATE case_file SET state = ?, resume_state = ?, path = ?, form = ?,"
                        " missing = ?, limit_ms = ?, started_at = ?, deadline_at = ?, warn_at = ?,"
                        " paused_at = ?, supplement_due_at = ?, submitted_at = ?, decided_at = ?,"
                        " issued_at = ?, closed_at = ?, decision = ?, rule_result = ?,"
                        " postcheck = ?, certificate = ?, warned = ?, overdue = ?, on_time = ?,"
                        " rating = ?, rating_comment = ?, party = ?, party_name = ?, visits = ?, reviewer = ?, updated_at = ?,"
                        " version = version + 1 WHERE id = ? AND version = ?",
                        e);
  int rc = -1;
  if (!st) goto out;
  int p = 1;
  stmt_bind_text(st, p++, states[c->state].name);
  stmt_bind_text(st, p++, c->resume_state >= 0 ? states[c->resume_state].name : "");
  stmt_bind_text(st, p++, c->path);
  stmt_bind_text(st, p++, form);
  stmt_bind_text(st, p++, missing);
  int64_t t[] = {c->clk.limit_ms,     c->clk.started_at, c->clk.deadline_at, c->clk.warn_at,
                 c->clk.paused_at,    c->supplement_due_at, c->submitted_at, c->decided_at,
                 c->issued_at,    c->closed_at};
  for (int i = 0; i < 10; i++) stmt_bind_int(st, p++, t[i]);
  stmt_bind_text(st, p++, c->decision);
  stmt_bind_text(st, p++, rule);
  stmt_bind_int(st, p++, c->postcheck);
  stmt_bind_text(st, p++, c->certificate[0] ? c->certificate : NULL);
  stmt_bind_int(st, p++, c->warned);
  stmt_bind_int(st, p++, c->overdue);
  if (c->on_time < 0)
    stmt_bind_null(st, p++);
  else
    stmt_bind_int(st, p++, c->on_time);
  stmt_bind_int(st, p++, c->rating);
  stmt_bind_text(st, p++, c->rating_comment);
  stmt_bind_text(st, p++, c->party);
  stmt_bind_text(st, p++, c->party_name);
  stmt_bind_int(st, p++, c->visits);
  stmt_bind_text(st, p++, c->reviewer);
  stmt_bind_int(st, p++, now);
  stmt_bind_int(st, p++, c->id);
  stmt_bind_int(st, p++, c->version);
  rc = stmt_step(st, e) < 0 ? -1 : 0;
  int64_t changed = rc == 0 ? db_changes(db) : 0;
  stmt_done(st);
  if (rc == 0 && changed != 1) rc = case_conflict(db, c, e);
  else if (rc == 0) c->version++;
out:
  free(form);
  free(missing);
  free(rule);
  return rc;
}

/* ---- Who may see and act ---------------------------------------------------- */

/* helps() is true when u is an investment officer helping (帮办) the
** applicant with the bundle case c belongs to (bundle.h). */
static bool helps(Db *db, const User *u, const Case *c) {
  return u->role == ROLE_INVEST && c->bundle_id && bundle_helps(db, u, c->bundle_id);
}

/* may_see() decides whether u may see case c: an applicant its own party's
** cases and those of a party whose live grant it holds (having filed a
** case is no right: an agent whose grant ended sees nothing more); an
** official its department's (every one for a central department and for
** those who oversee them); an investment officer the children of a bundle
** its department helps with (帮办). */
static bool may_see(Db *db, const User *u, const Case *c) {
  if (u->role == ROLE_APPLICANT)
    return registry_acts_for(db, u, c->party) || (c->reviewer[0] && registry_acts_for(db, u, c->reviewer));
  if (u->role & (ROLE_CLERK | ROLE_APPROVER))
    return u->dept_id == c->dept_id || accounts_dept_central(db, u->dept_id);
  return helps(db, u, c) || accounts_oversees(db, u);
}

/* role_on() is the role u takes on case c, which u may see: a helper (帮办)
** takes the applicant's moves, as an agent with a grant does for its
** principal, and no official's; an applicant account of the case's
** reviewing party (its employer) or its agent takes the reviewer's
** (WF_REVIEWER) — unless it acts for the case's own party too: nobody
** confirms its own filing; everyone else takes its own role's. */
static unsigned role_on(Db *db, const User *u, const Case *c) {
  if (u->role == ROLE_APPLICANT && c->reviewer[0] && !registry_acts_for(db, u, c->party))
    return registry_acts_for(db, u, c->reviewer) ? WF_REVIEWER : 0;
  return helps(db, u, c) ? ROLE_APPLICANT : u->role;
}

/* ---- Timeline, notices, notifications ---------------------------------------- */

struct Ctx {
  const User *actor;
  const WfMove *move;
  Case c;
  Item item;                  /* the version the case was filed under */
  const MoveArgs *a;          /* the move's arguments (decoded by cases_act()), or NULL */
  json_t *note;               /* what the timeline records about the move (owned) */
  json_t *notice_lines;       /* lines of the notice (owned) or NULL */
  json_t *events;             /* the steps taken, not yet written (flush()) */
  char reason[1204];
  char deadline_day[11];      /* a notice's deadline, or "" */
  const Cal *cal;
  int64_t now;
  int from;                   /* the state before the move */
  bool by_system;             /* the steps now taken are the engine's (秒批, 告知承诺), not the actor's */
};

/* The domains' hooks on their items' cases (cases_item_hooks_add()). */
static const CaseItemHooks *aHook[4];
static int nHook;

void cases_item_hooks_add(const CaseItemHooks *h) {
  for (int i = 0; i < nHook; i++)
    if (aHook[i] == h || strcmp(aHook[i]->name, h->name) == 0) panic("cases_item_hooks_add: %s twice", h->name);
  if (nHook == (int)XQ_COUNT(aHook)) panic("cases_item_hooks_add: too many");
  aHook[nHook++] = h;
}

/* reviewer_of() is the party that confirms a filing of x's item with form,
** as the hooks say ("" for none), and in *field the form's field naming it. */
static int reviewer_of(Db *db, const Ctx *x, const json_t *form, char party[40], const char **field, Err *e) {
  party[0] = 0;
  for (int i = 0; i < nHook; i++) {
    if (!aHook[i]->reviewer) continue;
    if (aHook[i]->reviewer(db, x->item.code, form, party, e)) return -1;
    if (party[0]) {
      *field = aHook[i]->reviewer_field;
      return 0;
    }
  }
  return 0;
}

/* set_note() replaces what the timeline will record about the next step. */
static void set_note(Ctx *x, json_t *note) {
  json_decref(x->note);
  x->note = note;
}

static const char *today(int64_t now, char out[11]) {
  cal_format(cal_day_of_ms(now), out);
  return out;
}

/* dept_name() copies the name of department id into out ("" when none). */
static int dept_name(Db *db, int64_t id, char *out, size_t cap, Err *e) {
  Dept d;
  int rc = accounts_dept_get(db, id, NULL, &d, e);
  snprintf(out, cap, "%s", rc == 1 ? d.name : "");
  return rc < 0 ? -1 : 0;
}

/* notify() puts a message about the case's step (its label) in the inbox
** of its party, and of its filer while the filer may still act for the
** party (an agent whose grant ended hears nothing more; an investment
** officer who filed as 帮办 while its department helps). A child of a
** bundle (一件事) speaks for its bundle: the message is about the bundle and
** the step, so children taking one step (accepted one by one, issued
** together by a land contract) add their lines to one unread message
** (notify_send()) instead of one message each. */
static int notify(Db *db, const Case *c, const char *step, const char *body, int64_t now, Err *e) {
  int64_t to = registry_grant_live(db, c->filer_id, c->party) ? c->filer_id : 0;
  User filer;
  Err ignore = {0}; /* a filer not read hears nothing: the party still does */
  /* An investment officer who filed as 帮办 hears while its department helps. */
  if (!to && c->bundle_id && accounts_user_get_id(db, c->filer_id, &filer, &ignore) == 1 && helps(db, &filer, c))
    to = c->filer_id;
  char title[256], subject[24], label[164];
  Message m = {.account_id = to, .party = c->party, .subject_kind = "case", .subject = c->no,
               .title = title, .body = body, .at = now};
  if (c->bundle_id) {
    if (bundle_label(db, c->bundle_id, label, sizeof label, e)) return -1;
    snprintf(subject, sizeof subject, "%lld", (long long)c->bundle_id);
    snprintf(title, sizeof title, "一件事“%s”：%s", label, step);
    m.subject_kind = "bundle";
    m.subject = subject;
  } else {
    snprintf(title, sizeof title, "办件 %s：%s", c->no, step);
  }
  return notify_send(db, &m, e);
}

/* notice_wording() reads the wording of notice kind for the case's item on
** day (params.h, scope "notice"): the key "NAME:ITEM_KIND" (a permit's
** decision cites the 行政许可法, a 行政给付's does not), else "NAME". It is
** {title, mark (the number's 字), body (with {item} {date} {case_no}
** {reason} {deadline})}; a new reference in *t, or -1 with *e. */
static int notice_wording(Db *db, const Ctx *x, eNotice kind, const char *day, json_t **t, Err *e) {
  char key[160];
  snprintf(key, sizeof key, "%s:%s", docs_notice_name(kind), x->item.kind);
  int rc = params_get(db, "notice", key, day, t, e);
  if (rc == 0) rc = params_need(db, "notice", docs_notice_name(kind), day, t, e) == 0 ? 1 : -1;
  if (rc < 0) return -1;
  static const char *const need[] = {"title", "mark", "body"};
  for (size_t i = 0; i < XQ_COUNT(need); i++)
    if (!json_is_string(json_object_get(*t, need[i]))) {
      json_decref(*t);
      return err_setf(e, E_INTERNAL, "param.bad_type", NULL, "文书措辞参数 notice/%s 应含 title、mark、body",
                      "The notice wording %s needs title, mark and body", key);
    }
  return 0;
}

/* next_notice_seq() is the next number in the department's sequence of
** notices for year (each department numbers its own, from 1 each year). */
static int64_t next_notice_seq(Db *db, int64_t dept_id, int year, Err *e) {
  int64_t seq = -1;
  Stmt *st = db_prepare(db, "INSERT INTO notice_seq(dept_id, year, last) VALUES (?,?,1)"
                            " ON CONFLICT (dept_id, year) DO UPDATE SET last = notice_seq.last + 1"
                            " RETURNING last", e);
  if (!st) return -1;
  stmt_bind_int(st, 1, dept_id);
  stmt_bind_int(st, 2, year);
  if (stmt_step(st, e) == 1) seq = stmt_int(st, 0);
  stmt_done(st);
  return seq;
}

/* write_notice() records notice kind of the move in the wording in force,
** numbered in the number format in force: the department's own 文号字头
** (its notice_prefix, else the parameter cases/notice_prefix) and its own
** sequence of the year. */
static int write_notice(Db *db, Ctx *x, eNotice kind, Err *e) {
  char day[11], format[160], prefix_default[64];
  json_t *t = NULL;
  char organ[240];
  Dept dp;
  int found = accounts_dept_get(db, x->c.dept_id, NULL, &dp, e);
  if (found < 0) return -1;
  if (found == 0) memset(&dp, 0, sizeof dp);
  const char *dept = dp.name;
  today(x->now, day);
  if (!dp.notice_prefix[0] &&
      params_text(db, cases_workflow.scope, "notice_prefix", day, prefix_default, sizeof prefix_default, e))
    return -1;
  /* The issuing organ in full: the area's name (parameter cases/organ_prefix) before the department's. */
  json_t *prefix = NULL;
  if (params_get(db, cases_workflow.scope, "organ_prefix", day, &prefix, e) < 0) return -1;
  const char *pf = json_string_value(prefix);
  snprintf(organ, sizeof organ, "%s%s", pf && strncmp(dept, pf, strlen(pf)) != 0 ? pf : "", dept);
  json_decref(prefix);
  if (notice_wording(db, x, kind, day, &t, e)) return -1;
  if (params_text(db, cases_workflow.scope, "notice_number", day, format, sizeof format, e)) {
    json_decref(t);
    return -1;
  }
  /* 你 to a person, 你单位 to an entity: the wording's "你（单位）" said both. */
  Buf body = {0};
  const char *w = json_string_value(json_object_get(t, "body")), *you = "你（单位）";
  bool entity = codes_uscc_check(x->c.party, NULL, 0) == 0;
  for (const char *q; (q = strstr(w, you)); w = q + strlen(you)) {
    buf_appendf(&body, "%.*s%s", (int)(q - w), w, entity ? "你单位" : "你");
  }
  buf_puts(&body, w);
  json_t *d = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:O,s:s}", "kind", docs_notice_name(kind), "case_no",
                        x->c.no, "applicant", x->c.party_name, "item", x->item.name, "department",
                        organ, "date", day, "seal", organ, "title", json_object_get(t, "title"), "body",
                        buf_cstr(&body));
  buf_free(&body);
  json_object_set_new(d, "lines", x->notice_lines ? json_incref(x->notice_lines) : json_array());
  if (x->deadline_day[0]) json_object_set_new(d, "deadline", json_string(x->deadline_day));
  if (x->reason[0]) json_object_set_new(d, "reason", json_string(x->reason));
  if (x->a && x->a->opinion[0] && (kind == NOTICE_APPROVE || kind == NOTICE_DENY))
    json_object_set_new(d, "opinion", json_string(x->a->opinion));
  int64_t id = -1;
  char *text = json_dumps(d, JSON_COMPACT | JSON_SORT_KEYS);
  Stmt *st = db_prepare(db, "INSERT INTO case_notice(case_id, kind, number, data, created_at)"
                            " VALUES (?,?,'',?,?) RETURNING id", e);
  if (st) {
    stmt_bind_int(st, 1, x->c.id);
    stmt_bind_text(st, 2, docs_notice_name(kind));
    stmt_bind_text(st, 3, text);
    stmt_bind_int(st, 4, x->now);
    if (stmt_step(st, e) == 1) id = stmt_int(st, 0);
    stmt_done(st);
  }
  free(text);
  int rc = -1;
  int64_t n = id > 0 ? next_notice_seq(db, x->c.dept_id, atoi(day), e) : -1;
  if (n > 0) {
    char year[5], seq[24];
    snprintf(year, sizeof year, "%.4s", day);
    snprintf(seq, sizeof seq, "%06lld", (long long)n);
    json_t *vars = json_pack("{s:s,s:O,s:s,s:s}", "year", year, "mark", json_object_get(t, "mark"), "seq6", seq,
                             "prefix", dp.notice_prefix[0] ? dp.notice_prefix : prefix_default);
    Buf number = {0};
    jsonx_fill(&number, format, vars);
    json_decref(vars);
    json_object_set_new(d, "number", json_string(buf_cstr(&number)));
    text = json_dumps(d, JSON_COMPACT | JSON_SORT_KEYS);
    rc = db_run(db, e, "UPDATE case_notice SET number = ?, data = ? WHERE id = ?", "tti", buf_cstr(&number),
                text, id) < 0 ? -1 : 0;
    free(text);
    buf_free(&number);
  }
  json_decref(d);
  json_decref(t);
  return rc;
}

/* flush() ends a job's work on one case: it saves the case once, writes the
** timeline events the steps gathered (x->events) in one statement, puts one
** message in the applicant's inbox when the state changed (or materials
** came), and appends one audit event naming every step. Clears x->events. */
static int flush(Db *db, Ctx *x, Err *e) {
  size_t n = json_array_size(x->events);
  int rc = -1;
  if (n == 0) return 0;
  const char *actor = x->actor ? x->actor->username : "system";
  int64_t actor_id = x->actor ? x->actor->id : 0;
  json_t *first = json_array_get(x->events, 0), *last = json_array_get(x->events, n - 1);
  const char *action = json_string_value(json_object_get(first, "action"));
  char **notes = xcalloc(n, sizeof *notes);
  Buf sql = {0};
  if (case_save(db, &x->c, x->now, e)) goto out;
  buf_puts(&sql, "INSERT INTO case_event(case_id, at, actor_id, actor, action, from_state, to_state, note) VALUES ");
  for (size_t i = 0; i < n; i++) buf_puts(&sql, i ? ",(?,?,?,?,?,?,?,?)" : "(?,?,?,?,?,?,?,?)");
  Stmt *st = db_prepare(db, sql.a, e);
  if (!st) goto out;
  for (size_t i = 0, p = 1; i < n; i++) {
    json_t *ev = json_array_get(x->events, i);
    notes[i] = json_dumps(json_object_get(ev, "note"), JSON_COMPACT | JSON_SORT_KEYS);
    stmt_bind_int(st, (int)p++, x->c.id);
    stmt_bind_int(st, (int)p++, x->now);
    bool sys = json_is_true(json_object_get(ev, "system"));
    stmt_bind_int(st, (int)p++, sys ? 0 : actor_id);
    stmt_bind_text(st, (int)p++, sys ? "system" : actor);
    stmt_bind_text(st, (int)p++, json_string_value(json_object_get(ev, "action")));
    stmt_bind_text(st, (int)p++, json_string_value(json_object_get(ev, "from")));
    stmt_bind_text(st, (int)p++, json_string_value(json_object_get(ev, "to")));
    stmt_bind_text(st, (int)p++, notes[i]);
  }
  int step_rc = stmt_step(st, e);
  stmt_done(st);
  if (step_rc < 0) goto out;
  const char *from = json_string_value(json_object_get(first, "from"));
  if (strcmp(from, states[x->c.state].name) != 0 || strcmp(action, "supplement") == 0) {
    char body[2048];
    snprintf(body, sizeof body, "您申请的“%s”（%s）当前状态：%s。%s", x->item.name, x->c.no,
             states[x->c.state].label, x->reason);
    if (notify(db, &x->c, json_string_value(json_object_get(last, "label")), body, x->now, e)) goto out;
  }
  if (x->c.state == ST_EMPLOYER && strcmp(from, states[ST_EMPLOYER].name) != 0) {
    /* the employer hears that an application waits for its confirmation */
    char title[256], body[2048];
    snprintf(title, sizeof title, "办件 %s：待用人单位确认", x->c.no);
    snprintf(body, sizeof body, "%s申请“%s”（%s），请确认或说明理由不予确认。", x->c.party_name, x->item.name, x->c.no);
    Message m = {.party = x->c.reviewer, .subject_kind = "case", .subject = x->c.no, .title = title, .body = body,
                 .at = x->now};
    if (notify_send(db, &m, e)) goto out;
  }
  char obj[48], act[64];
  snprintf(obj, sizeof obj, "case:%s", x->c.no);
  snprintf(act, sizeof act, "case.%s", action);
  json_t *d = json_pack("{s:s,s:s,s:O}", "from", from, "to", states[x->c.state].name, "steps", x->events);
  rc = audit_append(db, x->actor, act, obj, d, e);
  json_decref(d);
out:
  for (size_t i = 0; i < n; i++) free(notes[i]);
  free(notes);
  buf_free(&sql);
  json_array_clear(x->events);
  return rc;
}

/* ---- The SLA clock on a case --------------------------------------------------- */

/* clock_start() starts the promised limit at now (no clock for a limit of
** 0), warning when the share of it cases/warn_left_pct gives is left. */
/* warn_pct() reads the share of the limit left when the clock warns. */
static int warn_pct(Db *db, const Ctx *x, int *pct, Err *e) {
  char day[11];
  int64_t v;
  if (params_int(db, cases_workflow.scope, "warn_left_pct", today(x->now, day), &v, e)) return -1;
  *pct = (int)v;
  return 0;
}

static int clock_start(Db *db, Ctx *x, Err *e) {
  int pct;
  if (warn_pct(db, x, &pct, e)) return -1;
  sla_start(&x->c.clk, x->cal, x->now, x->item.promised_limit, x->item.limit_unit, pct);
  return 0;
}

static void clock_pause(Ctx *x) {
  if (!x->c.decided_at) sla_pause(&x->c.clk, x->now);
}

static int clock_resume(Db *db, Ctx *x, Err *e) {
  int pct;
  if (warn_pct(db, x, &pct, e)) return -1;
  sla_resume(&x->c.clk, x->cal, x->now, pct);
  return 0;
}

/* clock_stop() records the decision's instant and whether it kept the limit. */
static void clock_stop(Ctx *x) {
  Case *c = &x->c;
  if (c->decided_at) return;
  c->decided_at = x->now;
  int t = sla_on_time(&c->clk, x->now);
  if (t >= 0) c->on_time = t;
}

/* ---- Parties and promises ---------------------------------------------------- */

/* barred() is 1 when party broke a promise (容缺 or 告知承诺) and may use
** neither before the day it writes into until (YYYY-MM-DD); 0 when it may;
** -1 with *e. */
static int barred(Db *db, const char *party, int64_t now, char until[11], Err *e) {
  Stmt *st = db_prepare(db, "SELECT MAX(until_at) FROM broken_promise WHERE party = ? AND until_at > ?", e);
  if (!st) return -1;
  stmt_bind_text(st, 1, party);
  stmt_bind_int(st, 2, now);
  int rc = stmt_step(st, e);
  int64_t at = rc == 1 && !stmt_null(st, 0) ? stmt_int(st, 0) : 0;
  stmt_done(st);
  if (rc < 0) return -1;
  if (at) today(at, until);
  return at != 0;
}

/* refuse_barred() checks that the case's party may use a promise now: -1
** with case.party_barred (naming the day the bar ends) or a read error. */
static int refuse_barred(Db *db, const Ctx *x, const char *field, Err *e) {
  char until[11];
  int b = barred(db, x->c.party, x->now, until, e);
  if (b <= 0) return b;
  return err_setf(e, E_FORBIDDEN, "case.party_barred", field,
                  "申请人有失信承诺记录，%s前不适用告知承诺和容缺受理",
                  "The applicant broke a promise and may use neither 告知承诺 nor 容缺 before %s", until);
}

/* break_promise() records that party broke a promise; it is barred from 容缺
** and 告知承诺 for the days the parameter cases/promise_bar_days gives. */
static int break_promise(Db *db, const Case *c, const char *reason, int64_t now, Err *e) {
  char day[11];
  int64_t days;
  if (params_int(db, cases_workflow.scope, "promise_bar_days", today(now, day), &days, e)) return -1;
  return db_run(db, e,
                "INSERT INTO broken_promise(party, case_id, at, until_at, reason) VALUES (?,?,?,?,?)",
                "tiiit", c->party, c->id, now, now + days * CAL_MS_PER_DAY, reason) < 0 ? -1 : 0;
}

static const Material *material_find(const Item *it, const char *key) {
  for (int i = 0; i < it->nMaterial; i++)
    if (strcmp(it->aMaterial[i].key, key) == 0) return &it->aMaterial[i];
  return NULL;
}

/* missing_compute() lists the item's materials the case does not have. */
static int missing_compute(Db *db, Ctx *x, Err *e) {
  Stmt *st = db_prepare(db, "SELECT key FROM case_material WHERE case_id = ?", e);
  if (!st) return -1;
  stmt_bind_int(st, 1, x->c.id);
  json_t *have = json_object();
  int rc;
  while ((rc = stmt_step(st, e)) == 1) json_object_set_new(have, stmt_text(st, 0), json_true());
  stmt_done(st);
  if (rc < 0) {
    json_decref(have);
    return -1;
  }
  json_t *m = json_array();
  for (int i = 0; i < x->item.nMaterial; i++)
    if (!json_object_get(have, x->item.aMaterial[i].key))
      json_array_append_new(m, json_string(x->item.aMaterial[i].key));
  json_decref(have);
  json_decref(x->c.missing);
  x->c.missing = m;
  return 0;
}

/* add_materials() records materials {key: sha256} given with a filing or a
** supplement: each key must be one of the item's, each blob uploaded by (or
** readable to) the filer. */
static int add_materials(Db *db, Ctx *x, const json_t *mats, Err *e) {
  const char *key;
  json_t *v;
  if (!mats) return 0;
  if (!json_is_object(mats))
    return err_set(e, E_INVALID, "request.bad_type", "materials", "materials 应为对象 {材料键: SHA-256}",
                   "materials must be an object {key: sha256}");
  json_object_foreach((json_t *)mats, key, v) {
    const Material *m = material_find(&x->item, key);
    if (!m)
      return err_setf(e, E_INVALID, "case.unknown_material", "materials", "该事项没有这项材料：%s",
                      "The item has no material %s", key);
    const char *sha = json_string_value(v);
    if (!sha || strlen(sha) != 64 || strspn(sha, "0123456789abcdef") != 64)
      return err_setf(e, E_INVALID, "case.bad_material", "materials",
                      "材料“%s”应为上传文件的 SHA-256", "Material %s must be the SHA-256 of an upload",
                      key);
    if (!docs_blob_readable(db, sha, x->actor ? x->actor->id : 0))
      return err_setf(e, E_INVALID, "case.material_not_uploaded", "materials",
                      "材料“%s”的文件未上传或无权使用", "The file of material %s was not uploaded by you",
                      key);
    if (db_run(db, e,
               "INSERT INTO case_material(case_id, key, name, sha256, source, at) VALUES (?,?,?,?,'',?)"
               " ON CONFLICT (case_id, key) DO UPDATE SET sha256 = excluded.sha256, at = excluded.at",
               "ittti", x->c.id, key, m->name, sha, x->now) < 0)
      return -1;
  }
  return 0;
}

/* ---- Moves ---------------------------------------------------------------------- */

/* A move's work beyond the state change, filled before the job where it
** needs reads or CPU outside the writer (the 秒批 rule). */
typedef struct Pre {
  bool commitment;     /* 告知承诺 signed with the filing */
  bool have_rule;      /* rule ran: result in rr */
  RuleResult rr;
} Pre;

/* step() moves the case to state to, writes the notice (if any), saves the
** case and records the timeline, notification and audit event. */
static int step(Db *db, Ctx *x, int to, const char *action, const char *label, eNotice notice,
                Err *e) {
  x->from = x->c.state;
  x->c.state = to;
  if (notice && write_notice(db, x, notice, e)) return -1;
  if (!x->events) x->events = json_array();
  json_t *note = x->note ? json_incref(x->note) : json_object();
  json_array_append_new(x->events, json_pack("{s:s,s:s,s:s,s:s,s:o,s:b}", "action", action, "label", label,
                                             "from", states[x->from].name, "to", states[to].name,
                                             "note", note, "system", x->by_system));
  return 0;
}

static bool arg_bool(const json_t *o, const char *k) { return json_is_true(json_object_get(o, k)); }

/* form_entity() fills en with the market entity a filing form describes,
** its members read and checked exactly as the entity API reads them
** (registry_entity_fields(); the form's other fields are the item's):
** name, kind (company when absent), legal_rep, capital_fen, industry,
** address, district; established on day, status active, the USCC left
** empty for the registry to generate. -1 with *e naming "form.FIELD". */
static int form_entity(const json_t *f, const char *day, Entity *en, Err *e) {
  JField t[REGISTRY_ENTITY_FIELDS];
  bool present[9];
  memset(en, 0, sizeof *en);
  int n = registry_entity_fields(en, t, present, false);
  if (f && jsonx_decode(f, t, n, true, e)) {
    char field[64];
    snprintf(field, sizeof field, "form.%.58s", e->field);
    memcpy(e->field, field, sizeof field);
    return -1;
  }
  if (!en->kind[0]) snprintf(en->kind, sizeof en->kind, "company");
  snprintf(en->established, sizeof en->established, "%s", day);
  snprintf(en->status, sizeof en->status, "active");
  return 0;
}

bool cases_registrar(Db *db, const User *u) {
  if (u->role & ROLE_ADMIN) return true;
  if (!(u->role & (ROLE_CLERK | ROLE_APPROVER))) return false;
  if (accounts_dept_central(db, u->dept_id)) return true;
  Err e = {0};
  Stmt *st = db_prepare(db, "SELECT 1 FROM item_version WHERE dept_id = ? AND registry_effect <> '' LIMIT 1", &e);
  if (!st) return false;
  stmt_bind_int(st, 1, u->dept_id);
  bool ok = stmt_step(st, &e) == 1;
  stmt_done(st);
  return ok;
}

/* form_patch() reads the registered facts a 变更 form changes (its entity
** members, as the entity API reads them; the registration's date and
** status are not the applicant's to change) into patch and *mask. */
static int form_patch(const json_t *f, Entity *patch, unsigned *mask, Err *e) {
  JField t[REGISTRY_ENTITY_FIELDS];
  bool present[9] = {0};
  memset(patch, 0, sizeof *patch);
  *mask = 0;
  int n = registry_entity_fields(patch, t, present, false);
  if (f && jsonx_decode(f, t, n, true, e)) {
    char field[64];
    snprintf(field, sizeof field, "form.%.58s", e->field);
    memcpy(e->field, field, sizeof field);
    return -1;
  }
  for (int i = 0; i < 9; i++)
    if (present[i]) *mask |= 1u << i;
  *mask &= ~(unsigned)(EF_ESTABLISHED | EF_STATUS);
  return 0;
}

/* check_registry_effect() checks, at filing, that the item's registry
** effect can be done for this party and form: a registration's entity
** could be registered (when complete: a draft's form may still lack the
** entity's facts); a change, reissue or cancellation acts on the
** applicant's own entity, which must be in existence (存续), and a change
** must leave it valid. -1 with *e. */
static int check_registry_effect(Db *db, const Item *it, const char *party, const json_t *form, bool complete,
                                 Err *e) {
  const char *fx = it->registry_effect;
  if (!fx[0]) return 0;
  if (strcmp(fx, "register") == 0) return complete ? cases_check_registration(form, e) : 0;
  Entity en, patch;
  unsigned mask;
  if (registry_entity_get_on(db, party, &en, e)) return -1;
  if (strcmp(en.status, "active") != 0)
    return err_setf(e, E_CONFLICT, "case.entity_not_active", "party",
                    "该市场主体已不在存续状态（%s），不能办理此项登记",
                    "The market entity is no longer active (%s): this registration cannot be filed", en.status);
  if (strcmp(fx, "change") != 0) return 0;
  if (form_patch(form, &patch, &mask, e)) return -1;
#define APPLY(bit, field) if (mask & (bit)) memcpy(en.field, patch.field, sizeof en.field);
  APPLY(EF_NAME, name) APPLY(EF_KIND, kind) APPLY(EF_LEGAL_REP, legal_rep) APPLY(EF_INDUSTRY, industry)
  APPLY(EF_ADDRESS, address) APPLY(EF_DISTRICT, district)
#undef APPLY
  if (mask & EF_CAPITAL) en.capital_fen = patch.capital_fen;
  if (registry_entity_check(&en, e) == 0) return 0;
  char field[64];
  snprintf(field, sizeof field, "form.%.58s", e->field);
  memcpy(e->field, field, sizeof field);
  return -1;
}

int cases_check_registration(const json_t *form, Err *e) {
  Entity en;
  char day[11];
  if (form_entity(form, time_today_cn(day), &en, e)) return -1;
  if (registry_entity_check_new(&en, e) == 0) return 0;
  char field[64];
  snprintf(field, sizeof field, "form.%.58s", e->field);
  memcpy(e->field, field, sizeof field);
  return -1;
}

/* issue_case() issues the result of an approved case: withheld while 容缺
** materials are missing or the land of a 零时限 permit is not yet acquired;
** a certificate when the item has an output (a business licence also
** registers the new market entity). */
static int issue_case(Db *db, Ctx *x, Err *e) {
  Case *c = &x->c;
  /* Only 容缺 withholds a result for missing materials: elsewhere a case was
  ** accepted complete, or a rule (秒批) or a promise (告知承诺) decided on
  ** what was there. */
  if (strcmp(c->path, "rongque") == 0 && json_array_size(c->missing))
    return err_set(e, E_CONFLICT, "case.materials_missing", NULL,
                   "容缺材料尚未补齐，办理结果暂不出具", "The result is withheld until the missing materials arrive");
  if (c->parcel[0]) {
    char holder[40];
    int acquired = parcel_acquired(db, c->parcel, holder, e);
    if (acquired < 0) return -1;
    if (!acquired)
      return err_set(e, E_CONFLICT, "case.awaiting_land", NULL,
                     "已预审通过，待签订土地出让合同后即时发证",
                     "Pre-approved: the permit issues when the land contract is recorded");
    if (strcmp(holder, c->party) != 0)
      return err_setf(e, E_CONFLICT, "parcel.holder_mismatch", "holder",
                      "土地出让合同的受让人（%s）不是本办件的申请人，不能发证",
                      "The land contract's holder (%s) is not this case's applicant: no permit issues", holder);
  }
  c->issued_at = x->now;
  if (strcmp(x->item.registry_effect, "cancel") == 0) { /* 注销: the applicant's entity ends */
    Entity patch = {0}, en;
    snprintf(patch.status, sizeof patch.status, "cancelled");
    if (registry_entity_update_on(db, x->actor, c->party, &patch, EF_STATUS, c->no, &en, e)) return -1;
  }
  if (!x->item.output_kind[0]) return 0;
  CertSpec cs = {0};
  cs.case_id = c->id;
  snprintf(cs.kind, sizeof cs.kind, "%s", x->item.output_kind);
  snprintf(cs.holder_party, sizeof cs.holder_party, "%s", c->party);
  snprintf(cs.holder_name, sizeof cs.holder_name, "%s", c->party_name);
  snprintf(cs.item_code, sizeof cs.item_code, "%s", c->item_code);
  if (dept_name(db, c->dept_id, cs.issuer, sizeof cs.issuer, e)) return -1;
  today(x->now, cs.issued_on);
  if (x->item.output_valid_months > 0) {
    int y, m, d, day = cal_day_of_ms(x->now);
    cal_to_ymd(day, &y, &m, &d);
    m += x->item.output_valid_months;
    y += (m - 1) / 12;
    m = (m - 1) % 12 + 1;
    while (cal_from_ymd(y, m, d, &day)) d--; /* 31 March + 1 month → 30 April */
    cal_format(day - 1, cs.valid_until);
  }
  const char *fx = x->item.registry_effect;
  if (strcmp(fx, "register") == 0) {
    /* The licence registers the new market entity from the filed form. */
    Entity en;
    if (form_entity(c->form, cs.issued_on, &en, e) || registry_entity_create_on(db, x->actor, &en, e)) return -1;
    snprintf(cs.holder_party, sizeof cs.holder_party, "%s", en.uscc);
    snprintf(cs.holder_name, sizeof cs.holder_name, "%s", en.name);
    json_object_set_new(x->note ? x->note : (x->note = json_object()), "uscc", json_string(en.uscc));
    if (c->bundle_id && bundle_entity_set(db, c->bundle_id, en.uscc, e)) return -1;
  } else if (strcmp(fx, "change") == 0 || strcmp(fx, "reissue") == 0) {
    /* The applicant's own entity: its facts changed (history kept), and
    ** its licence issued again in place of the one before. */
    Entity en, patch;
    unsigned mask = 0;
    if (strcmp(fx, "change") == 0 ? form_patch(c->form, &patch, &mask, e) ||
                                        registry_entity_update_on(db, x->actor, c->party, &patch, mask, c->no, &en, e)
                                  : registry_entity_get_on(db, c->party, &en, e))
      return -1;
    snprintf(cs.holder_party, sizeof cs.holder_party, "%s", en.uscc);
    snprintf(cs.holder_name, sizeof cs.holder_name, "%s", en.name);
    if (docs_cert_supersede(db, x->actor, cs.kind, en.uscc,
                            strcmp(fx, "change") == 0 ? "变更登记，已换发新证，原证作废" : "已补领新证，原证作废", e))
      return -1;
  } else if (c->bundle_id) {
    /* Later certificates of a 企业开办 bundle go to the new entity. */
    char uscc[sizeof cs.holder_party], name[sizeof cs.holder_name];
    if (bundle_entity(db, c->bundle_id, uscc, sizeof uscc, name, sizeof name, e)) return -1;
    if (uscc[0]) {
      snprintf(cs.holder_party, sizeof cs.holder_party, "%s", uscc);
      snprintf(cs.holder_name, sizeof cs.holder_name, "%s", name);
    }
  }
  cs.fields = json_pack("{s:s,s:s}", "办件编号", c->no, "事项", x->item.name);
  int rc = docs_cert_issue(db, x->actor, &cs, c->certificate, sizeof c->certificate, e);
  json_decref(cs.fields);
  return rc;
}

/* add_task() opens a task of kind (task.h) on the case for its department,
** due after days working days (0: the kind's period). */
static int add_task(Db *db, Ctx *x, const char *kind, int days, const char *note, Err *e) {
  TaskOpen o = {.kind = kind, .subject_kind = "case", .subject_id = x->c.id, .subject = x->c.no,
                .dept_id = x->c.dept_id, .days = days, .note = note};
  return task_open(db, x->cal, x->now, &o, e);
}

/* decide_and_issue() approves the case now (秒批, 告知承诺), issues it, and
** records both steps. */
static int decide_and_issue(Db *db, Ctx *x, const char *how, Err *e) {
  snprintf(x->c.decision, sizeof x->c.decision, "approve");
  snprintf(x->c.path, sizeof x->c.path, "%s", how);
  if (!x->c.clk.started_at) x->c.clk.started_at = x->now;
  x->c.decided_at = x->now;
  x->c.on_time = 1;
  if (step(db, x, ST_APPROVED, "approve",
           strcmp(how, "auto") == 0 ? "秒批：规则自动准予" : "告知承诺：当即准予", NOTICE_APPROVE, e))
    return -1;
  if (issue_case(db, x, e)) return -1;
  return step(db, x, ST_ISSUED, "issue", "发证办结", 0, e);
}

/* ---- The applicant's contact and what a submission needs ------------------------ */

/* How the applicant takes the result (送达方式): at the window, by mail (to
** the address given), or as an electronic licence. */
static const char *const deliveries[] = {"window", "mail", "electronic"};

/* phone_ok() is true for a mainland mobile number (1[3-9] and 9 digits) or
** a fixed line with its area code (0 and 2–3 digits, an optional "-", 7–8
** digits, an optional "-" extension of 1–6 digits). */
static bool phone_ok(const char *s) {
  size_t d = strspn(s, "0123456789");
  if (s[0] == '1') return d == 11 && s[11] == 0 && s[1] >= '3' && s[1] <= '9';
  if (s[0] != '0') return false;
  const char *p = s + d;
  if (*p == '-' && d >= 3 && d <= 4) { /* the area code, then the number */
    size_t local = strspn(p + 1, "0123456789");
    if (local < 7 || local > 8) return false;
    p += 1 + local;
  } else if (d < 10 || d > 12) { /* written together: 0, 2–3 digits, 7–8 digits */
    return false;
  }
  if (*p == 0) return true;
  size_t ext = *p == '-' ? strspn(p + 1, "0123456789") : 0;
  return ext >= 1 && ext <= 6 && p[1 + ext] == 0;
}

/* contact_check() checks a filing's contact in (an object: name ≤ 30
** characters, phone, delivery window | mail | electronic (window when
** absent), address ≤ 120 characters) and, when complete (a submission),
** that mail has an address to go to. *out gets the contact as stored (new
** object, every member present) when out is not NULL and it passes. Every
** bad member goes into e->all when the caller gathers them; -1 with the
** first in *e (field "contact.NAME"). */
static int contact_check(const json_t *in, bool complete, json_t **out, Err *e) {
  int bad = 0;
  if (!json_is_object(in))
    return err_set(e, E_INVALID, "request.bad_type", "contact", "contact 应为对象 {name, phone, delivery, address}",
                   "contact must be an object {name, phone, delivery, address}");
  const char *k;
  json_t *v;
  json_object_foreach((json_t *)in, k, v) {
    bool known = strcmp(k, "name") == 0 || strcmp(k, "phone") == 0 || strcmp(k, "delivery") == 0 ||
                 strcmp(k, "address") == 0;
    if (!known || !(json_is_string(v) || json_is_null(v))) {
      if (known)
        err_setf(e, E_INVALID, "request.bad_type", NULL, "联系信息“%s”应为文字", "contact.%s must be text", k);
      else
        err_setf(e, E_INVALID, "request.unknown_field", NULL, "联系信息没有此项：%s", "contact has no member %s", k);
      snprintf(e->field, sizeof e->field, "contact.%.50s", k);
      if (!err_more(e)) return -1;
      bad++;
    }
  }
  if (bad) return -1;
  const char *name = json_string_value(json_object_get(in, "name"));
  const char *phone = json_string_value(json_object_get(in, "phone"));
  const char *delivery = json_string_value(json_object_get(in, "delivery"));
  const char *address = json_string_value(json_object_get(in, "address"));
  if (!name) name = "";
  if (!phone) phone = "";
  if (!delivery || !*delivery) delivery = "window";
  if (!address) address = "";
  if (text_check(name, "contact.name", "联系人", 30, false, e)) {
    if (!err_more(e)) return -1;
    bad++;
  }
  if (*phone && (strlen(phone) > 20 || !phone_ok(phone))) {
    err_set(e, E_INVALID, "request.bad_phone", "contact.phone",
            "联系电话应为手机号（11 位，1 开头）或带区号的固定电话（如 0411-87654321）",
            "The phone must be a mainland mobile number (11 digits from 1) or a fixed line with its area code (0411-87654321)");
    if (!err_more(e)) return -1;
    bad++;
  }
  bool known_delivery = false;
  for (size_t i = 0; i < XQ_COUNT(deliveries); i++) known_delivery |= strcmp(delivery, deliveries[i]) == 0;
  if (!known_delivery) {
    err_set(e, E_INVALID, "case.bad_delivery", "contact.delivery", "送达方式应为窗口领取、邮寄送达或电子证照之一",
            "delivery must be window, mail or electronic");
    if (!err_more(e)) return -1;
    bad++;
  }
  if (text_check(address, "contact.address", "邮寄地址", 120, false, e)) {
    if (!err_more(e)) return -1;
    bad++;
  } else if (complete && strcmp(delivery, "mail") == 0 && utf8_len(address) < 5) {
    err_set(e, E_INVALID, "case.address_required", "contact.address", "选择邮寄送达时，请填写完整的邮寄地址",
            "Mail delivery needs the full postal address");
    if (!err_more(e)) return -1;
    bad++;
  }
  if (bad) return -1;
  if (out)
    *out = json_pack("{s:s,s:s,s:s,s:s}", "name", name, "phone", phone, "delivery", delivery, "address", address);
  return 0;
}

static bool fetchable(const Material *m, const char *type);

/* core_missing() checks that a submission has every core material (核心要件)
** of the item: given (keys of given), or fetched from the registry for a
** party of type. -1 with case.core_missing naming them all (field
** "materials"), as the writer's check says it. */
static int core_missing(const Item *it, const json_t *given, const char *type, Err *e) {
  Buf names = {0};
  for (int i = 0; i < it->nMaterial; i++) {
    const Material *m = &it->aMaterial[i];
    if (m->core && !fetchable(m, type) && !json_object_get(given, m->key))
      buf_appendf(&names, "%s%s", names.n ? "、" : "", m->name);
  }
  int rc = names.n ? err_setf(e, E_INVALID, "case.core_missing", "materials", "核心材料不得缺少，请补齐后提交：%s",
                              "Core materials may not be missing; add them and submit again: %s", names.a)
                   : 0;
  buf_free(&names);
  return rc;
}

/* submission_check() checks, before anything is written, what a submission
** needs of the filing: the complete form, the contact (mail with an
** address), every core material unless a 告知承诺 decides (its own check
** names them), and that the item's registry effect can be done. Every error
** goes into e->all when the caller gathers them; -1 with the first. */
static int submission_check(Db *db, const Item *it, const Party *p, const json_t *form, const json_t *contact,
                            const json_t *given, bool commitment, Err *e) {
  int bad = 0;
  bool form_bad = catalog_form_validate(it, form, true, e) != 0;
  if (form_bad) {
    if (!e->all) return -1;
    bad++;
  }
  if (contact && json_object_size(contact) && contact_check(contact, true, NULL, e)) {
    if (!e->all) return -1;
    bad++;
  }
  if (!commitment && core_missing(it, given, p->type, e)) {
    if (!err_more(e)) return -1;
    bad++;
  }
  if (!form_bad && check_registry_effect(db, it, p->code, form, true, e)) {
    if (!err_more(e)) return -1;
    bad++;
  }
  return bad ? -1 : 0;
}

static int hook_submit(Db *db, void *ctx, Err *e) {
  Ctx *x = ctx;
  /* Checked again under the writer's lock: a draft changed since. */
  if (catalog_form_validate(&x->item, x->c.form, true, e) ||
      (json_object_size(x->c.contact) && contact_check(x->c.contact, true, NULL, e)) ||
      check_registry_effect(db, &x->item, x->c.party, x->c.form, true, e))
    return -1;
  /* A filing its reviewing party confirms first: the form names it. */
  const char *field;
  if (reviewer_of(db, x, x->c.form, x->c.reviewer, &field, e)) return -1;
  x->c.submitted_at = x->now;
  x->c.visits = strcmp(x->c.channel, "online") == 0 ? 0 : 1;
  return 0;
}

/* promise_incomplete() checks what a 告知承诺 decides on: the promise
** stands in for the other materials, never for a core one (核心要件) nor for
** the signed 告知承诺书 itself (the item's material PROMISE_MATERIAL). -1
** with case.promise_incomplete naming what is missing. */
static int promise_incomplete(Ctx *x, Err *e) {
  Buf names = {0};
  size_t i;
  json_t *v;
  json_array_foreach(x->c.missing, i, v) {
    const Material *m = material_find(&x->item, json_string_value(v));
    if (m && (m->core || strcmp(m->key, PROMISE_MATERIAL) == 0)) buf_appendf(&names, "%s%s", names.n ? "、" : "", m->name);
  }
  if (!material_find(&x->item, PROMISE_MATERIAL))
    buf_appendf(&names, "%s告知承诺书", names.n ? "、" : "");
  int rc = names.n ? err_setf(e, E_INVALID, "case.promise_incomplete", "materials",
                              "告知承诺须提交全部核心材料和签署的告知承诺书，尚缺：%s",
                              "A promise needs every core material and the signed promise; missing: %s", names.a)
                   : 0;
  buf_free(&names);
  return rc;
}

/* submission_incomplete() checks the materials a submission decides on
** (一次性告知: every missing one named at once): a core material (核心要件)
** is never missing; another only under a 容缺 promise the applicant signed
** with the filing (an item that allows 容缺, a material that may be
** missing), or at the window, where the clerk has the promise signed at
** intake (accept_rongque). A 告知承诺 is checked by promise_incomplete(). */
static int submission_incomplete(Ctx *x, Err *e) {
  Buf core = {0}, other = {0};
  bool barred = false; /* a missing material the 容缺 promise cannot cover */
  size_t i;
  json_t *v;
  json_array_foreach(x->c.missing, i, v) {
    const Material *m = material_find(&x->item, json_string_value(v));
    if (!m) continue;
    Buf *b = m->core ? &core : &other;
    buf_appendf(b, "%s%s", b->n ? "、" : "", m->name);
    barred |= !m->core && !m->may_miss;
  }
  bool promised = arg_bool(x->c.form, "rongque_promise") || strcmp(x->c.channel, "window") == 0;
  int rc = 0;
  if (core.n)
    rc = err_setf(e, E_INVALID, "case.core_missing", "materials", "核心材料不得缺少，请补齐后提交：%s",
                  "Core materials may not be missing; add them and submit again: %s", core.a);
  else if (other.n && (!x->item.allow_rongque || x->item.safety || barred))
    rc = err_setf(e, E_INVALID, "case.materials_missing", "materials", "申请材料不齐全，请补齐后提交：%s",
                  "Materials are missing; add them and submit again: %s", other.a);
  else if (other.n && !promised)
    rc = err_setf(e, E_INVALID, "case.promise_unsigned", "rongque_promise",
                  "以下材料尚未提交：%s。请补齐后提交，或签署容缺受理承诺书（承诺限期补齐）",
                  "Missing: %s. Add them, or sign the 容缺 promise to supply them by a deadline", other.a);
  buf_free(&core);
  buf_free(&other);
  return rc;
}

static int decide_on_submission(Db *db, Ctx *x, const Pre *pre, Err *e);

/* after_submit() takes the decisions that follow a submission at once:
** 告知承诺 (the promise decides) or 秒批 (the rule decides). */
static int after_submit(Db *db, Ctx *x, const Pre *pre, Err *e) {
  if (!pre->commitment && submission_incomplete(x, e)) return -1;
  if (x->c.reviewer[0]) { /* its reviewing party confirms it before intake; nothing decides before */
    if (pre->commitment || pre->have_rule)
      return err_set(e, E_INVALID, "case.promise_not_allowed", "commitment",
                     "须经用人单位确认的申请不适用告知承诺或秒批", "A filing its employer confirms first is decided by neither a promise nor a rule");
    x->by_system = true;
    set_note(x, json_pack("{s:s}", "reviewer", x->c.reviewer));
    int rc = step(db, x, ST_EMPLOYER, "await_employer", "送用人单位确认", 0, e);
    x->by_system = false;
    return rc;
  }
  x->by_system = true; /* what follows a submission at once is the engine's doing */
  int rc = decide_on_submission(db, x, pre, e);
  x->by_system = false;
  return rc;
}

/* decide_on_submission() is after_submit()'s work. */
static int decide_on_submission(Db *db, Ctx *x, const Pre *pre, Err *e) {
  /* A kiosk hands the applicant a receipt of the filing. */
  if (strcmp(x->c.channel, "kiosk") == 0) {
    json_decref(x->notice_lines);
    x->notice_lines = json_array();
    for (int i = 0; i < x->item.nMaterial; i++) {
      const char *key = x->item.aMaterial[i].key;
      bool missing = false;
      size_t k;
      json_t *v;
      json_array_foreach(x->c.missing, k, v) missing |= strcmp(json_string_value(v), key) == 0;
      char line[320];
      snprintf(line, sizeof line, "%s：%s", x->item.aMaterial[i].name, missing ? "未提交" : "已收到");
      json_array_append_new(x->notice_lines, json_string(line));
    }
    if (write_notice(db, x, NOTICE_RECEIPT, e)) return -1;
    json_decref(x->notice_lines);
    x->notice_lines = NULL;
  }
  if (pre->commitment) {
    if (!x->item.allow_promise || x->item.safety)
      return err_set(e, E_INVALID, "case.promise_not_allowed", "commitment",
                     "该事项不适用告知承诺制", "This item does not allow approval on a written promise");
    if (refuse_barred(db, x, "commitment", e)) return -1;
    if (promise_incomplete(x, e)) return -1;
    set_note(x, json_pack("{s:b}", "commitment", 1));
    if (step(db, x, ST_ACCEPTED, "accept", "告知承诺：受理", 0, e)) return -1;
    if (decide_and_issue(db, x, "promise", e)) return -1;
    return add_task(db, x, "verify", x->item.promise_verify_days, "告知承诺事项核查", e);
  }
  if (!pre->have_rule) return 0;
  x->c.rule_result = rules_result_json(&pre->rr);
  if (pre->rr.verdict == VERDICT_APPROVE) {
    set_note(x, json_pack("{s:O}", "rule", x->c.rule_result));
    if (step(db, x, ST_ACCEPTED, "accept", "秒批：自动受理", 0, e)) return -1;
    if (decide_and_issue(db, x, "auto", e)) return -1;
    unsigned r;
    crypto_random(&r, sizeof r);
    if ((int)(r % 100) < x->item.postcheck_pct) {
      x->c.postcheck = 1;
      return add_task(db, x, "postcheck", 0, "秒批事后抽查", e);
    }
    return 0;
  }
  if (pre->rr.verdict == VERDICT_DENY) {
    set_note(x, json_pack("{s:O}", "rule", x->c.rule_result));
    snprintf(x->c.decision, sizeof x->c.decision, "deny");
    snprintf(x->c.path, sizeof x->c.path, "auto");
    x->c.decided_at = x->now;
    x->c.on_time = 1; /* decided at once, as an approval by the rule is */
    json_decref(x->notice_lines);
    x->notice_lines = json_deep_copy(json_object_get(x->c.rule_result, "reasons"));
    Buf b = {0};
    size_t i;
    json_t *v;
    json_array_foreach(x->notice_lines, i, v) buf_appendf(&b, "%s%s", i ? "；" : "", json_string_value(v));
    snprintf(x->reason, sizeof x->reason, "%s", b.a ? b.a : "");
    buf_free(&b);
    if (step(db, x, ST_ACCEPTED, "accept", "秒批：自动受理", 0, e)) return -1;
    return step(db, x, ST_DENIED, "deny", "秒批：规则不予许可", NOTICE_DENY, e);
  }
  /* manual: the rule's reasons stay on the case for the clerk. */
  return 0;
}

static int hook_accept(Db *db, void *ctx, Err *e) {
  Ctx *x = ctx;
  (void)db;
  if (json_array_size(x->c.missing)) {
    char *list = json_dumps(x->c.missing, JSON_COMPACT);
    int rc = err_setf(e, E_CONFLICT, "case.materials_missing", "missing",
                      "材料不齐，不能直接受理（可容缺受理或一次性告知补正）：%s",
                      "Materials are missing (accept under 容缺 or request a correction): %s", list);
    free(list);
    return rc;
  }
  return 0;
}

static int hook_rongque(Db *db, void *ctx, Err *e) {
  Ctx *x = ctx;
  Case *c = &x->c;
  if (!x->item.allow_rongque || x->item.safety)
    return err_set(e, E_INVALID, "case.rongque_not_allowed", NULL, "该事项不适用容缺受理",
                   "This item does not allow acceptance with missing materials");
  if (!json_array_size(c->missing))
    return err_set(e, E_CONFLICT, "case.nothing_missing", NULL, "材料已齐全，请直接受理",
                   "No material is missing: accept the case");
  if (refuse_barred(db, x, NULL, e)) return -1;
  if (!arg_bool(c->form, "rongque_promise") && !x->a->promise_signed)
    return err_set(e, E_INVALID, "case.promise_unsigned", "promise_signed",
                   "容缺受理须申请人签署承诺书", "The applicant must sign the 容缺 promise");
  x->notice_lines = json_array();
  size_t i;
  json_t *v;
  json_array_foreach(c->missing, i, v) {
    const Material *m = material_find(&x->item, json_string_value(v));
    if (!m || m->core || !m->may_miss)
      return err_setf(e, E_INVALID, "case.core_missing", "missing",
                      "核心材料不得容缺：%s", "A core material may not be missing: %s",
                      m ? m->name : json_string_value(v));
    json_array_append_new(x->notice_lines, json_string(m->name));
  }
  /* The supplement deadline may not pass the item's promised limit. */
  int max_day = cal_day_of_ms(sla_deadline(x->cal, x->now, x->item.promised_limit > 0 ? x->item.promised_limit : 1,
                                             x->item.limit_unit, NULL));
  int day = max_day;
  const char *want = x->a->deadline;
  if (want[0]) {
    if (cal_parse_date(want, &day) || day <= cal_day_of_ms(x->now) || day > max_day) {
      char maxs[11];
      cal_format(max_day, maxs);
      return err_setf(e, E_INVALID, "case.bad_deadline", "deadline",
                      "补齐期限应晚于今天且不超过承诺时限（最迟 %s）",
                      "The supplement deadline must be after today and no later than %s", maxs);
    }
  }
  cal_format(day, x->deadline_day);
  c->supplement_due_at = cal_day_start_ms(day + 1);
  snprintf(c->path, sizeof c->path, "rongque");
  set_note(x, json_pack("{s:O,s:s}", "missing", c->missing, "deadline", x->deadline_day));
  return 0;
}

static int hook_correction(Db *db, void *ctx, Err *e) {
  Ctx *x = ctx;
  (void)db;
  const json_t *d = x->a->deficiencies;
  if (json_array_size(d) == 0 || json_array_size(d) > 30)
    return err_set(e, E_INVALID, "case.no_deficiencies", "deficiencies",
                   "请一次性列明全部需补正的问题（1–30 条）",
                   "List every deficiency at once (1 to 30 items)");
  size_t i;
  json_t *v;
  json_array_foreach(d, i, v) {
    const char *t = json_string_value(v);
    if (!t || !*t || !utf8_valid(t, strlen(t)) || utf8_len(t) > 200)
      return err_set(e, E_INVALID, "request.bad_type", "deficiencies",
                     "每条补正内容应为 1–200 字的文字", "Each deficiency must be text of 1 to 200 characters");
  }
  x->notice_lines = json_deep_copy(d);
  set_note(x, json_pack("{s:O}", "deficiencies", d));
  return 0;
}

static int hook_materials(Db *db, void *ctx, Err *e) {
  Ctx *x = ctx;
  bool supplement = strcmp(x->move->name, "supplement") == 0;
  if (supplement && !json_array_size(x->c.missing))
    return err_set(e, E_CONFLICT, "case.nothing_missing", NULL, "该办件没有待补交的材料",
                   "Nothing is missing on this case");
  const json_t *mats = x->a->materials;
  if (supplement && json_object_size(mats) == 0)
    return err_set(e, E_INVALID, "request.missing_field", "materials", "请上传补交的材料",
                   "Give the materials you supplement");
  const json_t *form = x->a->form;
  if (form) {
    if (supplement)
      return err_set(e, E_INVALID, "request.bad_type", "form", "仅补正时可修改表单",
                     "The form may change only on resubmission");
    if (catalog_form_validate(&x->item, form, true, e)) return -1; /* the corrected form is checked as filed */
    /* the party that confirmed the filing stays the one the form names */
    char now[40];
    const char *field = "";
    if (x->c.reviewer[0] && reviewer_of(db, x, form, now, &field, e)) return -1;
    if (x->c.reviewer[0] && strcmp(now, x->c.reviewer) != 0) {
      char f[80];
      snprintf(f, sizeof f, "form.%s", field);
      return err_set(e, E_INVALID, "case.reviewer_changed", f,
                     "申请已由确认方（如用人单位）确认，补正时不能更换（请撤回后重新申请）",
                     "The filing was confirmed (by its employer, say): a correction cannot name another party "
                     "(withdraw and file again)");
    }
    json_decref(x->c.form);
    x->c.form = json_deep_copy(form);
  }
  if (add_materials(db, x, mats, e) || missing_compute(db, x, e)) return -1;
  set_note(x, json_pack("{s:O}", "missing", x->c.missing));
  return 0;
}

/* note_opinion() adds the decision's 审查意见 (if given) to what the
** timeline records; write_notice() puts it on the decision. */
static void note_opinion(Ctx *x) {
  if (!x->a || !x->a->opinion[0]) return;
  if (!x->note) x->note = json_object();
  json_object_set_new(x->note, "opinion", json_string(x->a->opinion));
}

static int hook_reason(Db *db, void *ctx, Err *e) {
  Ctx *x = ctx;
  (void)db;
  if (text_check(x->a->reason[0] ? x->a->reason : NULL, "reason", "理由", 300, true, e)) return -1;
  snprintf(x->reason, sizeof x->reason, "%s", x->a->reason);
  set_note(x, json_pack("{s:s}", "reason", x->reason));
  if (strcmp(x->move->name, "deny") == 0) {
    snprintf(x->c.decision, sizeof x->c.decision, "deny");
    note_opinion(x);
  }
  return 0;
}

static int hook_special(Db *db, void *ctx, Err *e) {
  Ctx *x = ctx;
  (void)db;
  const char *p = x->a->procedure;
  for (size_t i = 0; i < XQ_COUNT(procedures); i++)
    if (strcmp(p, procedures[i].code) == 0) {
      set_note(x, json_pack("{s:s,s:s}", "procedure", p, "label", procedures[i].label));
      snprintf(x->reason, sizeof x->reason, "%s期间暂停计时。", procedures[i].label);
      return 0;
    }
  return err_set(e, E_INVALID, "case.bad_procedure", "procedure",
                 "特别程序应为 site_inspection（现场勘验）、hearing（听证）、expert_review（专家评审）、testing（检验检测）"
                 "或 committee（一事一议）",
                 "procedure must be site_inspection, hearing, expert_review, testing or committee");
}

/* last_note() reads into *note (new, NULL when none) the note of the last
** step of action on case id. 0, or -1 with *e. */
static int last_note(Db *db, int64_t id, const char *action, json_t **note, Err *e) {
  *note = NULL;
  Stmt *st = db_prepare(db, "SELECT note FROM case_event WHERE case_id = ? AND action = ? ORDER BY id DESC LIMIT 1", e);
  if (!st) return -1;
  stmt_bind_int(st, 1, id);
  stmt_bind_text(st, 2, action);
  int rc = stmt_step(st, e);
  if (rc == 1) *note = json_loads(stmt_text(st, 0), 0, NULL);
  stmt_done(st);
  return rc < 0 ? -1 : 0;
}

/* hook_end_special() ends the special procedure; a committee's (一事一议)
** end records its decision, which the item's domain checks
** (CaseItemHooks.committee) and decides with at the approval, and its
** opinion. Any other procedure's end takes no decision. */
static int hook_end_special(Db *db, void *ctx, Err *e) {
  Ctx *x = ctx;
  json_t *started;
  if (last_note(db, x->c.id, "start_special", &started, e)) return -1;
  const char *p = json_string_value(json_object_get(started, "procedure"));
  set_note(x, json_pack("{s:s}", "procedure", p ? p : ""));
  bool committee = p && strcmp(p, "committee") == 0;
  json_decref(started);
  int rc = 0;
  for (int i = 0; committee && rc == 0 && i < nHook; i++)
    if (aHook[i]->committee) rc = aHook[i]->committee(db, x->item.code, x->a->decision, e);
  if (rc < 0) return -1;
  if (rc == 0 && x->a->decision)
    return err_set(e, E_INVALID, "request.unknown_field", "decision",
                   committee ? "本事项不由一事一议决定内容，结束时不录入决定（decision）"
                             : "只有一事一议（评审委员会）结束时录入决定（decision）",
                   "Only a committee's end on an item it decides records a decision");
  if (rc == 1) {
    json_object_set_new(x->note, "decision", json_deep_copy(x->a->decision));
    if (text_check(x->a->opinion[0] ? x->a->opinion : NULL, "opinion", "评审意见", 500, true, e)) return -1;
    json_object_set_new(x->note, "opinion", json_string(x->a->opinion));
  }
  return 0;
}

static int hook_decide(Db *db, void *ctx, Err *e) {
  Ctx *x = ctx;
  snprintf(x->c.decision, sizeof x->c.decision, "approve");
  if (json_array_size(x->c.missing))
    snprintf(x->reason, sizeof x->reason, "容缺材料补齐后出具办理结果。");
  note_opinion(x);
  /* The item's domain decides with the approval, in this same write (a
  ** talent application: the entitlement; a refusal refuses the approval). */
  char filed[11];
  today(x->c.submitted_at ? x->c.submitted_at : x->c.created_at, filed);
  /* A committee's decision (一事一议) recorded at its end stands: the approval carries none of its own. */
  json_t *ended, *decision = NULL;
  if (last_note(db, x->c.id, "end_special", &ended, e)) return -1;
  if (json_object_get(ended, "decision")) {
    if (x->a->decision) {
      json_decref(ended);
      return err_set(e, E_CONFLICT, "case.committee_decided", "decision",
                     "本件已由一事一议作出决定，准予时不再录入决定内容", "The committee has decided this case: the approval carries no decision");
    }
    decision = json_incref(json_object_get(ended, "decision"));
  }
  json_decref(ended);
  if (!decision && x->a->decision) decision = json_incref((json_t *)x->a->decision);
  for (int i = 0; i < nHook; i++) {
    if (!aHook[i]->approve) continue;
    json_t *note = NULL;
    int rc = aHook[i]->approve(db, x->actor, x->now, x->item.code, x->c.id, x->c.party, filed, decision, &note, e);
    if (rc < 0) return json_decref(decision), -1;
    if (rc == 0) continue;
    if (note) {
      if (!x->note) x->note = json_object();
      json_object_update(x->note, note);
      json_decref(note);
    }
    json_decref(decision);
    return 0;
  }
  json_decref(decision);
  if (x->a->decision)
    return err_set(e, E_INVALID, "request.unknown_field", "decision", "本事项的准予不带决定内容（decision）",
                   "This item's approval takes no decision object");
  return 0;
}

/* hook_employer() is the reviewing party's confirmation or rejection (a
** reason, ≤ 300 characters, is required to reject). */
static int hook_employer(Db *db, void *ctx, Err *e) {
  Ctx *x = ctx;
  (void)db;
  if (strcmp(x->move->name, "employer_reject") != 0) {
    set_note(x, json_pack("{s:s}", "reviewer", x->c.reviewer));
    return 0;
  }
  if (text_check(x->a->reason[0] ? x->a->reason : NULL, "reason", "理由", 300, true, e)) return -1;
  snprintf(x->reason, sizeof x->reason, "%s", x->a->reason); /* the message names the state: 用人单位不予确认 */
  set_note(x, json_pack("{s:s,s:s}", "reviewer", x->c.reviewer, "reason", x->a->reason));
  return 0;
}

static int hook_issue(Db *db, void *ctx, Err *e) { return issue_case(db, ctx, e); }

static int hook_instant(Db *db, void *ctx, Err *e) {
  Ctx *x = ctx;
  if (x->item.handling != HANDLING_INSTANT)
    return err_set(e, E_INVALID, "case.not_instant", NULL, "该事项为承诺件，不能即来即办",
                   "This item is not decided at the window (即办件)");
  if (hook_accept(db, x, e)) return -1;
  snprintf(x->c.decision, sizeof x->c.decision, "approve");
  snprintf(x->c.path, sizeof x->c.path, "instant");
  x->c.clk.started_at = x->c.decided_at = x->now;
  x->c.on_time = 1;
  note_opinion(x);
  return issue_case(db, x, e);
}

static int hook_revoke(Db *db, void *ctx, Err *e) {
  Ctx *x = ctx;
  if (hook_reason(db, x, e)) return -1;
  if (x->c.certificate[0] && docs_cert_revoke(db, x->actor, x->c.certificate, x->reason, e)) return -1;
  if (x->a->false_promise && break_promise(db, &x->c, x->reason, x->now, e)) return -1;
  return 0;
}

/* allowed_moves() lists the moves u may take on c now (new array); u is
** one who may see c (may_see()), so only the state and the role it takes
** on c (role_on()) decide. */
static json_t *allowed_moves(Db *db, const User *u, const Case *c) {
  return workflow_open_moves(&cases_workflow, c->state, role_on(db, u, c));
}

/* move_apply() takes move m on the case loaded in x, inside a write job. */
static int move_apply(Db *db, Ctx *x, const Pre *pre, Err *e) {
  const WfMove *m = x->move;
  const User *u = x->actor;
  Case *c = &x->c;
  if (!x->a) x->a = &no_args; /* a move the engine makes itself (a filing's submit) */
  /* Whether the case exists is nobody's business but those who may see it. */
  if (u && !may_see(db, u, c))
    return err_setf(e, E_NOTFOUND, "case.not_found", NULL, "没有找到该办件：%s", "No case numbered %s", c->no);
  unsigned role = u ? role_on(db, u, c) : m->roles;
  if (u && workflow_check_role(&cases_workflow, m, role, e)) return -1;
  /* A move may name the version of the case its actor saw: if the case has
  ** moved since, the actor decided on what is no longer there. */
  if (x->a->has_version && x->a->version != c->version) return case_conflict(db, c, e);
  if (workflow_check(&cases_workflow, m, c->state, role, e)) return -1;
  x->from = c->state;
  int to = m->to;
  if (m->hook && m->hook(db, x, e)) return -1;
  if (to == WF_RESUME) to = c->resume_state >= 0 ? c->resume_state : ST_REVIEW;
  if (to == WF_SAME) to = (c->state == ST_RONGQUE && !json_array_size(c->missing)) ? ST_ACCEPTED : c->state;
  switch (m->clock) {
  case CLK_START: if (clock_start(db, x, e)) return -1; break;
  case CLK_PAUSE: clock_pause(x); c->resume_state = c->state; break;
  case CLK_RESUME: if (clock_resume(db, x, e)) return -1; c->resume_state = -1; break;
  case CLK_STOP: clock_stop(x); break;
  case CLK_NONE: break;
  }
  if (to == ST_ISSUED || to == ST_DENIED || to == ST_REFUSED) clock_stop(x);
  if (to == ST_CLOSED) c->closed_at = x->now;
  if (step(db, x, to, m->name, m->label, m->notice, e)) return -1;
  if (strcmp(m->name, "submit") == 0 && pre) return after_submit(db, x, pre, e);
  return 0;
}

/* ---- Filing ---------------------------------------------------------------------- */

static void ctx_free(Ctx *x) {
  case_free(&x->c);
  catalog_item_free(&x->item);
  json_decref(x->note);
  json_decref(x->notice_lines);
  json_decref(x->events);
  x->note = x->notice_lines = x->events = NULL;
}

/* fetchable() is true when material m can be fetched from the registry for
** a party of type. */
static bool fetchable(const Material *m, const char *type) {
  return (strcmp(m->source, "registry.entity") == 0 && strcmp(type, "entity") == 0) ||
         (strcmp(m->source, "registry.person") == 0 && strcmp(type, "person") == 0);
}

/* run_rule() runs the item's 秒批 rule, outside the writer, over the facts
** it reads: the item, the party from the registry, the form, the materials
** given (or fetchable from the registry), a broken promise, today. The
** verdict goes into pre (pre->have_rule set). -1 with *e when a fact could
** not be read: a rule never decides on part of the facts. */
static int run_rule(Db *db, const Item *it, const Party *p, const json_t *form, const json_t *given,
                    Pre *pre, Err *e) {
  char today_s[11];
  char until[11];
  int broken = barred(db, p->code, now_ms(), until, e);
  if (broken < 0) return -1;
  json_t *mats = json_object();
  for (int i = 0; i < it->nMaterial; i++)
    if (json_object_get(given, it->aMaterial[i].key) || fetchable(&it->aMaterial[i], p->type))
      json_object_set_new(mats, it->aMaterial[i].key, json_true());
  json_t *params = params_scope(db, "rules", time_today_cn(today_s), e);
  if (!params) {
    json_decref(mats);
    return -1;
  }
  json_t *facts = json_pack("{s:{s:s,s:i},s:O,s:o,s:o,s:b,s:s,s:o}", "item", "code", it->code, "version",
                            it->version, "party", p->facts, "form", form ? json_incref((json_t *)form) : json_object(),
                            "materials", mats, "broken_promise", broken, "today", today_s, "params", params);
  rules_eval(it->rule, facts, &pre->rr);
  pre->have_rule = true;
  json_decref(facts);
  return 0;
}

typedef struct CreateJob {
  Ctx x;
  Party party;
  const json_t *materials;     /* {key: sha256} given (borrowed, or picked) */
  json_t *picked;              /* owned: the materials of a bundle's form this item asks for */
  bool submit;
  Pre pre;
  int64_t bundle_id;
  const char *parcel;
  json_t *view;                /* cases_create()'s answer, read inside the job (owned) */
} CreateJob;

/* create_on() inserts the case of j inside a write job, then submits it
** when asked. */
static int create_on(Db *db, CreateJob *j, Err *e) {
  Ctx *x = &j->x;
  Case *c = &x->c;
  char *form = json_dumps(c->form, JSON_COMPACT | JSON_SORT_KEYS);
  char *contact = json_dumps(c->contact, JSON_COMPACT | JSON_SORT_KEYS);
  Stmt *st = db_prepare(db,
                        "INSERT INTO case_file(item_version_id, item_code, dept_id, party, party_type,"
                        " party_name, filer_id, channel, state, form, bundle_id, parcel, created_at,"
                        " updated_at, contact) VALUES (?,?,?,?,?,?,?,?,'draft',?,?,?,?,?,?) RETURNING id",
                        e);
  int rc = -1;
  if (!st) goto out;
  stmt_bind_int(st, 1, x->item.version_id);
  stmt_bind_text(st, 2, x->item.code);
  stmt_bind_int(st, 3, x->item.dept_id);
  stmt_bind_text(st, 4, j->party.code);
  stmt_bind_text(st, 5, j->party.type);
  stmt_bind_text(st, 6, j->party.name);
  stmt_bind_int(st, 7, x->actor->id);
  stmt_bind_text(st, 8, c->channel);
  stmt_bind_text(st, 9, form);
  stmt_bind_int(st, 10, j->bundle_id);
  stmt_bind_text(st, 11, j->parcel);
  stmt_bind_int(st, 12, x->now);
  stmt_bind_int(st, 13, x->now);
  stmt_bind_text(st, 14, contact);
  if (stmt_step(st, e) == 1) c->id = stmt_int(st, 0);
  stmt_done(st);
  if (!c->id) goto out;
  char day[11], prefix[9];
  today(x->now, day);
  if (params_text(db, cases_workflow.scope, "case_number_prefix", day, prefix, sizeof prefix, e)) goto out;
  int len = snprintf(c->no, sizeof c->no, "%s%.4s%.2s%.2s%06lld", prefix, day, day + 5, day + 8, (long long)c->id);
  if (len < 0 || (size_t)len >= sizeof c->no) {
    err_set(e, E_INTERNAL, "case.number_too_long", NULL, "办件编号超长：请缩短参数 cases/case_number_prefix",
            "The case number is too long: shorten cases/case_number_prefix");
    goto out;
  }
  if (db_run(db, e, "UPDATE case_file SET case_no = ? WHERE id = ?", "ti", c->no, c->id) < 0) goto out;
  snprintf(c->party, sizeof c->party, "%s", j->party.code);
  snprintf(c->party_type, sizeof c->party_type, "%s", j->party.type);
  snprintf(c->party_name, sizeof c->party_name, "%s", j->party.name);
  c->filer_id = x->actor->id;
  c->dept_id = x->item.dept_id;
  c->bundle_id = j->bundle_id;
  snprintf(c->parcel, sizeof c->parcel, "%s", j->parcel ? j->parcel : "");
  c->state = ST_DRAFT;
  c->resume_state = -1;
  c->on_time = -1;
  snprintf(c->path, sizeof c->path, "normal");
  /* Materials the registry already holds are fetched, not uploaded. */
  for (int i = 0; i < x->item.nMaterial; i++) {
    const Material *m = &x->item.aMaterial[i];
    if (fetchable(m, j->party.type) &&
        db_run(db, e,
               "INSERT INTO case_material(case_id, key, name, sha256, source, at) VALUES (?,?,?,NULL,?,?)",
               "ittti", c->id, m->key, m->name, m->source, x->now) < 0)
      goto out;
  }
  if (add_materials(db, x, j->materials, e) || missing_compute(db, x, e)) goto out;
  if (step(db, x, ST_DRAFT, "create", "创建申请", 0, e)) goto out;
  if (j->submit) {
    x->move = move_find("submit");
    if (move_apply(db, x, &j->pre, e)) goto out;
  }
  rc = flush(db, x, e);
out:
  free(form);
  free(contact);
  return rc;
}

static json_t *case_view_on(Db *db, const Cal *cal, const User *actor, const char *no, const Item *known, Err *e);

/* create_job() is cases_create()'s job: the case, then its answer read in
** the same transaction, where the writer's cache holds every page the job
** just wrote (read back after the commit instead, by a reader whose cache
** each commit has emptied, it was a fifth of a 秒批 filing's CPU). A case
** its filer may not see is answered after the commit as before (not
** found); a read that failed fails the job, as PostgreSQL has then failed
** the transaction. */
static int create_job(Db *db, void *arg, Err *e) {
  CreateJob *j = arg;
  if (create_on(db, j, e)) return -1;
  Err why = {0};
  json_decref(j->view); /* a job run again (its batch retried) answers afresh */
  j->view = case_view_on(db, j->x.cal, j->x.actor, j->x.c.no, &j->x.item, &why);
  if (!j->view && why.kind != E_NOTFOUND) {
    *e = why;
    return -1;
  }
  return 0;
}

/* prepare_create() checks a filing and fills j (outside the writer): the
** item, channel, party, permission, and the 秒批 rule's verdict. */
/* A filing as its request gives it (cases_create(), a bundle's child). */
typedef struct Filing {
  char item[40], party[40], channel[8]; /* "" when not given */
  const json_t *form, *materials;       /* borrowed from the request, or NULL */
  const json_t *contact;                /* borrowed: {name, phone, delivery, address}, or NULL */
  bool commitment, rongque_promise, submit;
  bool helping;                         /* 帮办: not from the request (cases_filing_prepare()) */
} Filing;

/* filing_decode() decodes request in into *f by its field table: unknown
** fields, wrong types and over-long text are refused (request.*). */
static int filing_decode(const json_t *in, Filing *f, Err *e) {
  memset(f, 0, sizeof *f);
  JField t[] = {
      {"item", J_STR, true, f->item, sizeof f->item, 1, 39, NULL},
      {"party", J_STR, false, f->party, sizeof f->party, 0, 39, NULL},
      {"channel", J_STR, false, f->channel, sizeof f->channel, 0, 7, NULL},
      {"form", J_OBJ, false, &f->form, 0, 0, 0, NULL},
      {"materials", J_OBJ, false, &f->materials, 0, 0, 0, NULL},
      {"contact", J_OBJ, false, &f->contact, 0, 0, 0, NULL},
      {"commitment", J_BOOL, false, &f->commitment, 0, 0, 0, NULL},
      {"rongque_promise", J_BOOL, false, &f->rongque_promise, 0, 0, 0, NULL},
      {"submit", J_BOOL, false, &f->submit, 0, 0, 0, NULL},
  };
  return jsonx_decode(in, t, (int)XQ_COUNT(t), false, e);
}

static int prepare_create(Store *s, const User *actor, const Filing *in, bool pick, CreateJob *j, Err *e) {
  Ctx *x = &j->x;
  Db *db = store_reader(s);
  x->actor = actor;
  x->now = now_ms();
  x->c.resume_state = -1;
  x->c.on_time = -1;
  if (!(x->cal = sla_calendar(s, e))) return -1;
  if (catalog_get(s, in->item, NULL, &x->item, e)) return -1;
  const char *channel = in->channel[0] ? in->channel : actor->role == ROLE_APPLICANT || in->helping ? "online" : "window";
  bool ok = (strcmp(channel, "online") == 0 && x->item.ch_online) ||
            (strcmp(channel, "window") == 0 && x->item.ch_window) ||
            (strcmp(channel, "kiosk") == 0 && x->item.ch_kiosk);
  if (!ok)
    return err_setf(e, E_INVALID, "case.bad_channel", "channel", "该事项不能通过此渠道办理：%s",
                    "The item cannot be handled through channel %s", channel);
  snprintf(x->c.channel, sizeof x->c.channel, "%s", channel);
  const char *party = in->party[0] ? in->party : actor->party;
  if (!party[0])
    return err_set(e, E_INVALID, "request.missing_field", "party", "请指明申请人（统一社会信用代码或身份证号）",
                   "Name the applicant (USCC or ID number)");
  if (in->helping) {
    /* 帮办: the bundle's caller established that this investment officer
    ** may file for the party (invest.h); it files online, as the party would. */
    if (actor->role != ROLE_INVEST)
      return err_set(e, E_FORBIDDEN, "case.forbidden", NULL, "只有招商专员可以帮办", "Only investment officers file as 帮办");
    if (strcmp(channel, "online") != 0)
      return err_set(e, E_INVALID, "case.bad_channel", "channel", "帮办以网上申请（online）提交",
                     "A filing for an investor is made online (channel online)");
  } else if (actor->role == ROLE_APPLICANT) {
    if (strcmp(party, actor->party) != 0 && !registry_acts_for(db, actor, party))
      return err_set(e, E_FORBIDDEN, "case.not_agent", "party", "您未获该申请人授权代办",
                     "You are not an authorised agent of this applicant");
  } else if (actor->role & (ROLE_CLERK | ROLE_ADMIN)) {
    if (strcmp(channel, "window") != 0)
      return err_set(e, E_INVALID, "case.bad_channel", "channel", "窗口人员代为申请时渠道应为 window",
                     "A clerk files at the window (channel window)");
  } else {
    return err_set(e, E_FORBIDDEN, "case.forbidden", NULL, "您的角色不能提交申请",
                   "Your role may not file cases");
  }
  char pc[64];
  snprintf(pc, sizeof pc, "%s", party);
  for (char *p = pc; *p; p++)
    if (*p >= 'a' && *p <= 'z') *p = (char)(*p - 'a' + 'A');
  if (registry_party_load(db, pc, &j->party, e)) {
    if (strcmp(e->code, "party.unknown") == 0) /* the code filings have always answered */
      snprintf(e->code, sizeof e->code, "case.unknown_party");
    return -1;
  }
  if (x->item.parties[0] && strcmp(x->item.parties, j->party.type) != 0)
    return err_set(e, E_INVALID, "case.wrong_party_kind", "party",
                   strcmp(x->item.parties, "person") == 0 ? "该事项只受理自然人申请" : "该事项只受理法人和其他组织申请",
                   strcmp(x->item.parties, "person") == 0 ? "Only a person may apply for this item"
                                                          : "Only a market entity or organisation may apply for this item");
  /* A draft's form and contact are checked as far as they are filled; a
  ** submission's are checked whole, with its core materials, every error
  ** at once when the caller gathers them. */
  int bad = 0;
  if (!in->submit && catalog_form_validate(&x->item, in->form, false, e)) {
    if (!e->all) return -1;
    bad++;
  }
  if (!in->submit && in->contact && contact_check(in->contact, false, &x->c.contact, e)) {
    if (!e->all) return -1;
    bad++;
  }
  if (!in->submit && !bad && check_registry_effect(db, &x->item, pc, in->form, false, e)) return -1;
  if (in->submit) {
    const json_t *given = in->materials;
    json_t *mine = NULL;
    if (pick && given) { /* one form for several items: each asks only for its own */
      mine = json_object();
      const char *k;
      json_t *v;
      json_object_foreach((json_t *)given, k, v)
        if (material_find(&x->item, k)) json_object_set(mine, k, v);
      given = mine;
    }
    int rc = submission_check(db, &x->item, &j->party, in->form, in->contact, given, in->commitment, e);
    json_decref(mine);
    if (rc) {
      if (!e->all) return -1;
      bad++;
    } else if (in->contact && contact_check(in->contact, true, &x->c.contact, e)) { /* passes: as stored */
      return -1;
    }
  }
  if (bad) return -1;
  if (!x->c.contact) x->c.contact = json_object();
  x->c.form = in->form ? json_deep_copy(in->form) : json_object();
  if (in->rongque_promise) json_object_set_new(x->c.form, "rongque_promise", json_true());
  j->materials = in->materials;
  if (pick && j->materials) {
    /* One form for several items: each takes the materials it asks for. */
    j->picked = json_object();
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)j->materials, k, v)
      if (material_find(&x->item, k)) json_object_set(j->picked, k, v);
    j->materials = j->picked;
  }
  j->submit = in->submit;
  j->pre.commitment = in->commitment;
  if (j->submit && !j->pre.commitment && x->item.rule && x->item.rule[0])
    return run_rule(db, &x->item, &j->party, x->c.form, j->materials, &j->pre, e);
  return 0;
}

static void create_free(CreateJob *j) {
  ctx_free(&j->x);
  json_decref(j->party.facts);
  json_decref(j->picked);
  if (j->pre.have_rule) rules_result_clear(&j->pre.rr);
}

static json_t *case_view(Store *s, const User *actor, const char *no, const Item *known, Err *e);
static json_t *case_brief(const Cal *cal, const Case *c, int64_t now);

json_t *cases_create(Store *s, const User *actor, const json_t *in, Err *e) {
  Filing f;
  json_t *out = NULL;
  if (filing_decode(in, &f, e)) return NULL;
  CreateJob *j = xcalloc(1, sizeof *j); /* a case and its item: ~20 KB, kept off the worker's stack */
  if (prepare_create(s, actor, &f, false, j, e) == 0 && store_write(s, create_job, j, e) == 0) {
    out = j->view ? j->view : case_view(s, actor, j->x.c.no, &j->x.item, e);
    j->view = NULL;
  }
  json_decref(j->view);
  create_free(j);
  free(j);
  return out;
}

/* ---- Filings of other modules (a bundle's children) ------------------------------ */

struct CaseFiling {
  CreateJob j;
  json_t *in;  /* the filing (a reference held: j borrows from it) */
};

CaseFiling *cases_filing_prepare(Store *s, const User *actor, json_t *in, bool helping, Err *e) {
  CaseFiling *f = xcalloc(1, sizeof *f);
  f->in = json_incref(in);
  Filing fi;
  if (filing_decode(in, &fi, e) == 0 && ((fi.helping = helping), prepare_create(s, actor, &fi, true, &f->j, e) == 0))
    return f;
  cases_filing_free(f);
  return NULL;
}

const Item *cases_filing_item(const CaseFiling *f) { return &f->j.x.item; }

const char *cases_filing_party(const CaseFiling *f, const char **name) {
  if (name) *name = f->j.party.name;
  return f->j.party.code;
}

const Cal *cases_filing_calendar(const CaseFiling *f, int64_t *now) {
  if (now) *now = f->j.x.now;
  return f->j.x.cal;
}

int cases_filing_write(Db *db, CaseFiling *f, int64_t bundle_id, const char *parcel, Err *e) {
  f->j.bundle_id = bundle_id;
  f->j.parcel = parcel && *parcel ? parcel : NULL;
  return create_on(db, &f->j, e);
}

void cases_filing_free(CaseFiling *f) {
  if (!f) return;
  create_free(&f->j);
  json_decref(f->in);
  free(f);
}

json_t *cases_of_bundle(Db *db, const User *actor, const Cal *cal, int64_t bundle_id, int64_t now,
                        BundleTally *t, Err *e) {
  memset(t, 0, sizeof *t);
  Stmt *st = db_prepare(db, "SELECT " CASE_COLS " FROM case_file WHERE bundle_id = ? AND bundle_id <> 0 ORDER BY id" /* index case_bundle */, e);
  if (!st) return NULL;
  stmt_bind_int(st, 1, bundle_id);
  json_t *children = json_array();
  int rc;
  while ((rc = stmt_step(st, e)) == 1) {
    Case c;
    read_case(st, &c);
    if (actor->role != ROLE_APPLICANT && may_see(db, actor, &c)) {
      t->official_sees = true;
      t->official_handles |= (actor->role & (ROLE_CLERK | ROLE_APPROVER)) && actor->dept_id == c.dept_id;
    }
    json_array_append_new(children, case_brief(cal, &c, now));
    t->n++;
    if (c.state == ST_ISSUED || c.state == ST_CLOSED) {
      t->done++;
      if (c.issued_at > t->last_issued_at) t->last_issued_at = c.issued_at;
    }
    if (c.state == ST_DENIED || c.state == ST_REFUSED || c.state == ST_WITHDRAWN || c.state == ST_TERMINATED ||
        c.state == ST_REVOKED)
      t->failed++;
    case_free(&c);
  }
  stmt_done(st);
  if (rc < 0) { /* a child not read: no view rather than part of one */
    json_decref(children);
    return NULL;
  }
  return children;
}

/* ---- Moves from the API ------------------------------------------------------------- */

typedef struct ActJob {
  Ctx x;
  MoveArgs args;
  const char *no;
  Pre pre;
} ActJob;

static int act_job(Db *db, void *arg, Err *e) {
  ActJob *j = arg;
  Ctx *x = &j->x;
  case_free(&x->c);
  catalog_item_free(&x->item);
  if (case_load(db, j->no, &x->c, e)) return -1;
  if (catalog_get_version(db, x->c.version_id, &x->item, e)) return -1;
  if (move_apply(db, x, &j->pre, e)) return -1;
  return flush(db, x, e);
}

/* submit_rule() checks the submission of draft no outside the writer, as
** a filing that submits at once is checked (submission_check(): every error
** at once when the caller gathers them), and fills pre: the promise, or the
** 秒批 rule's verdict on facts all read. A case actor may not see, or may
** not submit (its state, actor's role), is left to the job to report, as it
** answers alike for cases actor may not see. 0, or -1 with *e. */
static int submit_rule(Store *s, const User *actor, const char *no, const MoveArgs *args, Pre *pre, Err *e) {
  Db *db = store_reader(s);
  Case c = {0};
  Item *it = xcalloc(1, sizeof *it); /* 16 KB: off the worker's stack */
  Party p = {0};
  json_t *given = json_object();
  int rc = -1, step = 0;
  if (case_load(db, no, &c, e)) {
    if (e->kind == E_NOTFOUND) rc = 0, err_clear(e);
    goto out;
  }
  if (!may_see(db, actor, &c) || c.state != ST_DRAFT || !(move_find("submit")->roles & role_on(db, actor, &c))) {
    rc = 0;
    goto out;
  }
  pre->commitment = args->commitment;
  if (catalog_get_version(db, c.version_id, it, e) || registry_party_load(db, c.party, &p, e)) goto out;
  Stmt *st = db_prepare(db, "SELECT key FROM case_material WHERE case_id = ? AND (sha256 IS NOT NULL OR source <> '')", e);
  if (!st) goto out;
  stmt_bind_int(st, 1, c.id);
  while ((step = stmt_step(st, e)) == 1) json_object_set_new(given, stmt_text(st, 0), json_true());
  stmt_done(st);
  if (step < 0) goto out;
  if (submission_check(db, it, &p, c.form, c.contact, given, pre->commitment, e)) goto out;
  if (pre->commitment || !it->rule || !it->rule[0]) {
    rc = 0;
    goto out;
  }
  rc = run_rule(db, it, &p, c.form, given, pre, e);
out:
  json_decref(given);
  case_free(&c);
  catalog_item_free(it);
  free(it);
  json_decref(p.facts);
  return rc;
}

json_t *cases_act(Store *s, const User *actor, const char *no, const char *action,
                  const json_t *args, Err *e) {
  const WfMove *move = move_find(action);
  if (!move) {
    err_setf(e, E_INVALID, "case.unknown_action", "action", "没有这个操作：%s", "No such move: %s", action);
    return NULL;
  }
  json_t *out = NULL;
  ActJob *j = xcalloc(1, sizeof *j); /* a case and its item: ~20 KB, kept off the worker's stack */
  j->no = no;
  j->x.actor = actor;
  if (move_args_decode(args, &j->args, e)) {
    free(j);
    return NULL;
  }
  j->x.a = &j->args;
  j->x.now = now_ms();
  j->x.move = move;
  /* The rule runs here, outside the writer; the job re-checks the state. */
  if ((j->x.cal = sla_calendar(s, e)) && (strcmp(action, "submit") != 0 || submit_rule(s, actor, no, &j->args, &j->pre, e) == 0) &&
      store_write(s, act_job, j, e) == 0)
    out = case_view(s, actor, no, &j->x.item, e);
  ctx_free(&j->x);
  if (j->pre.have_rule) rules_result_clear(&j->pre.rr);
  free(j);
  return out;
}

/* ---- Drafts ------------------------------------------------------------------------ */

/* A change of a draft as its request gives it (cases_update()). */
typedef struct DraftEdit {
  const json_t *form, *materials, *contact; /* borrowed, or NULL: unchanged */
  bool rongque_promise, has_promise;
  int64_t version;
  bool has_version;
} DraftEdit;

typedef struct UpdateJob {
  Ctx x;
  DraftEdit d;
  const char *no;
  json_t *contact; /* owned: the checked contact, or NULL */
  bool checked;    /* the form and contact given were checked (cases_update()) */
} UpdateJob;

/* may_file_for() is true when u may file for case c's party: an applicant
** for its own party or one whose live grant it holds; a clerk or admin for
** a case filed at the window that u may see; an investment officer for the
** children of a bundle it helps with (帮办). */
static bool may_file_for(Db *db, const User *u, const Case *c) {
  if (u->role == ROLE_APPLICANT) return registry_acts_for(db, u, c->party);
  if (helps(db, u, c)) return true;
  if (u->role & (ROLE_CLERK | ROLE_ADMIN)) return strcmp(c->channel, "window") == 0 && may_see(db, u, c);
  return false;
}

static int update_job(Db *db, void *arg, Err *e) {
  UpdateJob *j = arg;
  Ctx *x = &j->x;
  Case *c = &x->c;
  const DraftEdit *d = &j->d;
  case_free(c);
  catalog_item_free(&x->item);
  if (case_load(db, j->no, c, e)) return -1;
  if (!may_see(db, x->actor, c))
    return err_setf(e, E_NOTFOUND, "case.not_found", NULL, "没有找到该办件：%s", "No case numbered %s", c->no);
  if (!may_file_for(db, x->actor, c))
    return err_set(e, E_FORBIDDEN, "case.forbidden", NULL, "只有申请人（或其代办人、窗口受理人员）可以修改申请草稿",
                   "Only the applicant (its agent, or the clerk who filed it at the window) may change the draft");
  if (c->state != ST_DRAFT)
    return err_setf(e, E_CONFLICT, "case.not_draft", NULL, "该办件已提交（当前状态：%s），不能再修改申请",
                    "The case is no longer a draft and cannot be changed", states[c->state].label);
  if (d->has_version && d->version != c->version) return case_conflict(db, c, e);
  if (!j->checked) /* it became a draft actor may change only after it was read: not checked */
    return case_conflict(db, c, e);
  if (catalog_get_version(db, c->version_id, &x->item, e)) return -1;
  json_t *changed = json_array();
  if (d->form) {
    bool promised = arg_bool(c->form, "rongque_promise");
    json_decref(c->form);
    c->form = json_deep_copy(d->form);
    json_object_del(c->form, "rongque_promise");
    if (promised) json_object_set_new(c->form, "rongque_promise", json_true());
    json_array_append_new(changed, json_string("form"));
  }
  if (d->has_promise) {
    if (d->rongque_promise) json_object_set_new(c->form, "rongque_promise", json_true());
    else json_object_del(c->form, "rongque_promise");
  }
  if (j->contact) {
    char *text = json_dumps(j->contact, JSON_COMPACT | JSON_SORT_KEYS);
    int64_t n = db_run(db, e, "UPDATE case_file SET contact = ? WHERE id = ?", "ti", text, c->id);
    free(text);
    if (n < 0) return -1;
    json_decref(c->contact);
    c->contact = json_incref(j->contact);
    json_array_append_new(changed, json_string("contact"));
  }
  if (d->materials) {
    /* The uploads given are the draft's uploads now; what the registry
    ** supplies stays. */
    if (db_run(db, e, "DELETE FROM case_material WHERE case_id = ? AND source = ''", "i", c->id) < 0) return -1;
    if (add_materials(db, x, d->materials, e) || missing_compute(db, x, e)) return -1;
    json_array_append_new(changed, json_string("materials"));
  }
  set_note(x, json_pack("{s:o}", "changed", changed));
  if (step(db, x, ST_DRAFT, "update", "修改申请（草稿）", 0, e)) return -1;
  return flush(db, x, e);
}

json_t *cases_update(Store *s, const User *actor, const char *no, const json_t *in, Err *e) {
  UpdateJob *j = xcalloc(1, sizeof *j); /* a case and its item: ~20 KB, kept off the worker's stack */
  json_t *out = NULL;
  Case c = {0};
  Item *it = NULL;
  DraftEdit *d = &j->d;
  JField t[] = {
      {"form", J_OBJ, false, &d->form, 0, 0, 0, NULL},
      {"materials", J_OBJ, false, &d->materials, 0, 0, 0, NULL},
      {"contact", J_OBJ, false, &d->contact, 0, 0, 0, NULL},
      {"rongque_promise", J_BOOL, false, &d->rongque_promise, 0, 0, 0, &d->has_promise},
      {"version", J_INT, false, &d->version, 0, 0, 0, &d->has_version},
  };
  if (jsonx_decode(in, t, (int)XQ_COUNT(t), false, e)) goto out;
  if (!d->form && !d->materials && !d->contact && !d->has_promise) {
    err_set(e, E_INVALID, "request.empty", NULL, "没有要修改的内容", "Nothing to change");
    goto out;
  }
  j->no = no;
  j->x.actor = actor;
  j->x.now = now_ms();
  /* The form and contact are checked outside the writer, against the item
  ** version of the draft, as a draft's are at filing (every error at once);
  ** who may change it, and its state, the job decides. A case actor may not
  ** see is left to the job (not found), before anything is checked. */
  Db *db = store_reader(s);
  if (!(j->x.cal = sla_calendar(s, e))) goto out;
  if (case_load(db, no, &c, e)) goto out;
  if (may_see(db, actor, &c) && c.state == ST_DRAFT && may_file_for(db, actor, &c)) {
    int bad = 0;
    it = xcalloc(1, sizeof *it);
    if (catalog_get_version(db, c.version_id, it, e)) goto out;
    if (d->form && catalog_form_validate(it, d->form, false, e)) {
      if (!e->all) goto out;
      bad++;
    }
    if (d->contact && contact_check(d->contact, false, &j->contact, e)) {
      if (!e->all) goto out;
      bad++;
    }
    if (bad || (d->form && check_registry_effect(db, it, c.party, d->form, false, e))) goto out;
    j->checked = true;
  }
  if (store_write(s, update_job, j, e) == 0) out = case_view(s, actor, no, &j->x.item, e);
out:
  case_free(&c);
  if (it) catalog_item_free(it);
  free(it);
  json_decref(j->contact);
  ctx_free(&j->x);
  free(j);
  return out;
}

json_t *cases_last_contact(Store *s, const User *actor, const char *party, Err *e) {
  Db *db = store_reader(s);
  Stmt *st = db_prepare(db,
                        party && *party
                            ? "SELECT contact, case_no FROM case_file WHERE filer_id = ? AND contact <> '{}'"
                              " AND party = ? ORDER BY id DESC LIMIT 1"
                            : "SELECT contact, case_no FROM case_file WHERE filer_id = ? AND contact <> '{}'"
                              " ORDER BY id DESC LIMIT 1",
                        e);
  if (!st) return NULL;
  stmt_bind_int(st, 1, actor->id);
  if (party && *party) stmt_bind_text(st, 2, party);
  int rc = stmt_step(st, e);
  json_t *out = NULL;
  if (rc == 1) out = json_pack("{s:o,s:s}", "contact", parse_col(st, 0, "{}"), "case_no", stmt_text(st, 1));
  else if (rc == 0) out = json_pack("{s:n,s:n}", "contact", "case_no");
  stmt_done(st);
  return out;
}

/* ---- Reading ------------------------------------------------------------------------- */

/* case_brief() is the row of a case in lists and bundles (new object). */
static json_t *case_brief(const Cal *cal, const Case *c, int64_t now) {
  json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:o,s:o}", "no", c->no, "item", c->item_code,
                        "party", c->party, "party_name", c->party_name, "channel", c->channel,
                        "state", states[c->state].name, "state_label", states[c->state].label,
                        "path", c->path, "submitted_at", jsonx_time(c->submitted_at), "sla",
                        sla_json(&c->clk, cal, now, c->decided_at, c->on_time));
  json_object_set_new(o, "dept_id", json_integer(c->dept_id));
  json_object_set_new(o, "version", json_integer(c->version));
  if (c->certificate[0]) json_object_set_new(o, "certificate", json_string(c->certificate));
  if (c->bundle_id) json_object_set_new(o, "bundle_id", json_integer(c->bundle_id));
  return o;
}

/* rows_json() runs a prepared query and returns its rows as objects keyed by
** column name (integers for columns listed in ints). */
static json_t *rows_json(Stmt *st, Err *e) {
  json_t *a = json_array();
  int rc;
  while ((rc = stmt_step(st, e)) == 1) {
    json_t *o = json_object();
    for (int i = 0; i < stmt_columns(st); i++) {
      const char *name = stmt_column_name(st, i);
      if (stmt_null(st, i))
        json_object_set_new(o, name, json_null());
      else if (strstr(name, "_at") || strcmp(name, "at") == 0 || strcmp(name, "id") == 0 ||
               strstr(name, "_id"))
        json_object_set_new(o, name, json_integer(stmt_int(st, i)));
      else if (strcmp(name, "note") == 0 || strcmp(name, "data") == 0)
        json_object_set_new(o, name, json_loads(stmt_text(st, i), 0, NULL));
      else
        json_object_set_new(o, name, json_string(stmt_text(st, i)));
    }
    json_array_append_new(a, o);
  }
  stmt_done(st);
  if (rc < 0) {
    json_decref(a);
    return NULL;
  }
  return a;
}

static json_t *query_rows(Db *db, Err *e, const char *sql, int64_t id) {
  Stmt *st = db_prepare(db, sql, e);
  if (!st) return NULL;
  stmt_bind_int(st, 1, id);
  return rows_json(st, e);
}

/* case_view() is the case numbered no as actor may see it. A move or a
** filing passes the item version it has just worked with (known), which is
** then not read again: a version's content never changes once saved. */
/* notices_json() lists case id's notices: {id, kind, title (the one it was
** issued with), number, created_at}, or NULL with *e. */
static json_t *notices_json(Db *db, int64_t id, Err *e) {
  Stmt *st = db_prepare(db, "SELECT id, kind, number, created_at, data FROM case_notice WHERE case_id = ? ORDER BY id", e);
  if (!st) return NULL;
  stmt_bind_int(st, 1, id);
  json_t *a = json_array();
  int rc;
  while ((rc = stmt_step(st, e)) == 1) {
    json_t *data = json_loads(stmt_text(st, 4), 0, NULL);
    const char *title = json_string_value(json_object_get(data, "title"));
    if (!title) title = docs_notice_title(docs_notice_parse(stmt_text(st, 1)));
    json_array_append_new(a, json_pack("{s:I,s:s,s:s,s:s,s:I}", "id", (json_int_t)stmt_int(st, 0), "kind",
                                       stmt_text(st, 1), "title", title, "number", stmt_text(st, 2), "created_at",
                                       (json_int_t)stmt_int(st, 3)));
    json_decref(data);
  }
  stmt_done(st);
  if (rc < 0) {
    json_decref(a);
    return NULL;
  }
  return a;
}

static json_t *case_view(Store *s, const User *actor, const char *no, const Item *known, Err *e) {
  const Cal *cal = sla_calendar(s, e);
  return cal ? case_view_on(store_reader(s), cal, actor, no, known, e) : NULL;
}

/* case_view_on() is case_view() on db (a reader, or a write job's). */
static json_t *case_view_on(Db *db, const Cal *cal, const User *actor, const char *no, const Item *known, Err *e) {
  Case c;
  if (case_load(db, no, &c, e)) return NULL;
  if (!may_see(db, actor, &c)) {
    case_free(&c);
    err_setf(e, E_NOTFOUND, "case.not_found", NULL, "没有找到该办件：%s", "No case numbered %s", no);
    return NULL;
  }
  json_t *o = case_brief(cal, &c, now_ms());
  Item *it = NULL; /* 16 KB: allocated when the caller does not hold the version already */
  const Item *iv = known && known->version_id == c.version_id ? known : NULL;
  if (!iv && catalog_get_version(db, c.version_id, it = xcalloc(1, sizeof *it), e) == 0) iv = it;
  if (iv) {
    json_object_set_new(o, "item_name", json_string(iv->name));
    json_object_set_new(o, "item_version", json_integer(iv->version));
    json_t *mats = json_array();
    for (int i = 0; i < iv->nMaterial; i++) {
      const Material *m = &iv->aMaterial[i];
      json_array_append_new(mats, json_pack("{s:s,s:s,s:b,s:b}", "key", m->key, "name", m->name,
                                            "core", m->core, "may_miss", m->may_miss));
    }
    json_object_set_new(o, "item_materials", mats);
  }
  if (it) catalog_item_free(it);
  free(it);
  json_object_set(o, "form", c.form);
  json_object_set(o, "contact", c.contact); /* the applicant's: only on the case, never in lists */
  json_object_set(o, "missing", c.missing);
  json_object_set_new(o, "decision", json_string(c.decision));
  if (c.rule_result) json_object_set(o, "rule", c.rule_result);
  json_object_set_new(o, "postcheck", json_boolean(c.postcheck));
  json_object_set_new(o, "visits", json_integer(c.visits));
  json_object_set_new(o, "supplement_due_at", jsonx_time(c.supplement_due_at));
  json_object_set_new(o, "decided_at", jsonx_time(c.decided_at));
  json_object_set_new(o, "issued_at", jsonx_time(c.issued_at));
  if (c.rating) json_object_set_new(o, "rating", json_pack("{s:i,s:s}", "score", c.rating, "comment", c.rating_comment));
  json_object_set_new(o, "materials",
                      query_rows(db, e, "SELECT m.key AS key, m.name AS name, m.sha256 AS sha256, m.source AS source,"
                                        " m.at AS at, b.mime AS mime, b.size AS size,"
                                        " COALESCE(NULLIF(a.display, ''), a.username) AS uploaded_by"
                                        " FROM case_material m LEFT JOIN blob b ON b.sha256 = m.sha256"
                                        " LEFT JOIN account a ON a.id = b.owner_id"
                                        " WHERE m.case_id = ? ORDER BY m.key", c.id));
  json_object_set_new(o, "timeline",
                      query_rows(db, e, "SELECT ev.at AS at, ev.actor AS actor,"
                                        " CASE WHEN ev.actor_id = 0 THEN '系统自动'"
                                        " ELSE COALESCE(NULLIF(a.display, ''), ev.actor) END AS actor_name,"
                                        " COALESCE(d.name, '') AS actor_dept, ev.action AS action,"
                                        " ev.from_state AS from_state, ev.to_state AS to_state, ev.note AS note"
                                        " FROM case_event ev LEFT JOIN account a ON a.id = ev.actor_id"
                                        " LEFT JOIN department d ON d.id = a.dept_id"
                                        " WHERE ev.case_id = ? ORDER BY ev.id", c.id));
  json_object_set_new(o, "notices", notices_json(db, c.id, e));
  json_object_set_new(o, "moves", allowed_moves(db, actor, &c));
  if (c.state == ST_SPECIAL) { /* the procedure under way: a committee's end records its decision */
    json_t *started = NULL;
    Err ignore = {0};
    last_note(db, c.id, "start_special", &started, &ignore);
    const char *p = json_string_value(json_object_get(started, "procedure"));
    json_object_set_new(o, "procedure", p ? json_string(p) : json_null());
    json_decref(started);
  }
  if (c.reviewer[0]) {
    Entity en;
    Err ignore = {0};
    json_object_set_new(o, "reviewer", json_pack("{s:s,s:s}", "party", c.reviewer, "name",
                                                 registry_entity_get_on(db, c.reviewer, &en, &ignore) ? "" : en.name));
  }
  /* what the item's domain holds of the case (a talent application: its entitlement) */
  for (int i = 0; i < nHook; i++)
    if (aHook[i]->view) aHook[i]->view(db, c.id, o);
  case_free(&c);
  return o;
}

/* sees_case_id() is may_see() for the case with this id (false when there
** is none or it cannot be read). */
static bool sees_case_id(Db *db, const User *u, int64_t id) {
  Case c;
  Err e = {0};
  if (!id || case_load_id(db, id, &c, &e)) return false;
  bool ok = may_see(db, u, &c);
  case_free(&c);
  return ok;
}

bool cases_may_read_certificate(Db *db, const User *u, const char *code) {
  CertOwner o;
  Err e = {0};
  if (docs_cert_holder(db, code, &o, &e)) return false;
  if (u->role == ROLE_APPLICANT && registry_acts_for(db, u, o.party)) return true;
  return o.case_id ? sees_case_id(db, u, o.case_id) : u->role != ROLE_APPLICANT && accounts_oversees(db, u);
}

bool cases_may_read_blob(Db *db, const User *u, const char *sha256) {
  if (docs_blob_readable(db, sha256, u->id)) return true;
  Err e = {0};
  Stmt *st = db_prepare(db, "SELECT DISTINCT case_id FROM case_material WHERE sha256 = ? ORDER BY case_id LIMIT 100", &e);
  if (!st) return false;
  stmt_bind_text(st, 1, sha256);
  int64_t ids[100];
  int n = 0;
  while (n < 100 && stmt_step(st, &e) == 1) ids[n++] = stmt_int(st, 0);
  stmt_done(st);
  bool ok = false;
  for (int i = 0; i < n && !ok; i++) ok = sees_case_id(db, u, ids[i]);
  return ok;
}

json_t *cases_revoke_certificate(Store *s, const User *actor, const char *code, const json_t *args, Err *e) {
  Db *db = store_reader(s);
  CertOwner o;
  if (docs_cert_holder(db, code, &o, e)) return NULL;
  if (o.revoked) return json_object(); /* once is enough */
  Case c;
  if (!o.case_id || case_load_id(db, o.case_id, &c, e)) {
    err_set(e, E_FORBIDDEN, "cert.no_case", NULL, "该证照不是由本系统办件核发，不能在此撤销",
            "The certificate was not issued by a case here and cannot be revoked here");
    return NULL;
  }
  bool ok = actor->role != ROLE_APPLICANT && may_see(db, actor, &c);
  char no[sizeof c.no];
  snprintf(no, sizeof no, "%s", c.no);
  case_free(&c);
  if (!ok) {
    err_set(e, E_FORBIDDEN, "cert.other_department", NULL, "该证照由其他部门核发，您无权撤销",
            "Another department issued this certificate: you may not revoke it");
    return NULL;
  }
  return cases_act(s, actor, no, "revoke", args, e);
}

json_t *cases_get(Store *s, const User *actor, const char *no, Err *e) {
  return case_view(s, actor, no, NULL, e);
}

/* scope_sql() appends the condition limiting cases to those actor may see,
** with its parameters in p. */
static void scope_sql(Db *db, const User *u, Buf *sql, json_t *p) {
  if (u->role == ROLE_APPLICANT) {
    /* its parties' cases, and those they are to confirm (their employees'
    ** talent applications): four terms of one OR, each through an index
    ** (case_party, or the partial case_file_reviewer, which each of its two
    ** terms implies by saying reviewer <> ''); nested, SQLite scanned the
    ** table for every applicant's list */
    buf_puts(sql, " AND (party = ? OR party IN (SELECT party FROM agent_grant"
                  " WHERE agent_id = ? AND revoked_at = 0)"
                  " OR (reviewer <> '' AND reviewer = ?) OR (reviewer <> '' AND reviewer IN (SELECT party FROM agent_grant"
                  " WHERE agent_id = ? AND revoked_at = 0)))");
    json_array_append_new(p, json_string(u->party));
    json_array_append_new(p, json_integer(u->id));
    json_array_append_new(p, json_string(u->party));
    json_array_append_new(p, json_integer(u->id));
  } else if (!accounts_oversees(db, u)) {
    buf_puts(sql, " AND (dept_id = ?");
    json_array_append_new(p, json_integer(u->dept_id));
    if (u->role == ROLE_INVEST) { /* and the children of the bundles its department helps with (帮办) */
      buf_puts(sql, " OR bundle_id IN (SELECT id FROM bundle WHERE helper_dept = ?)");
      json_array_append_new(p, json_integer(u->dept_id));
    }
    buf_puts(sql, ")");
  }
}

static void bind_all(Stmt *st, const json_t *p) {
  size_t i;
  json_t *v;
  json_array_foreach(p, i, v) {
    if (json_is_integer(v))
      stmt_bind_int(st, (int)i + 1, json_integer_value(v));
    else
      stmt_bind_text(st, (int)i + 1, json_string_value(v));
  }
}

/* The work queues: each a condition on case_file (appended after WHERE …)
** that takes the instant now nNow times. */
static const struct Queue {
  const char *name, *cond;
  int nNow;
} queues[] = {
    {"to_accept", " AND state = 'submitted'", 0},
    {"to_review", " AND state IN ('accepted','accepted_rongque','review','approved')", 0},
    {"due_soon", " AND state IN ('accepted','accepted_rongque','review') AND paused_at = 0"
                 " AND decided_at = 0 AND warn_at <= ? AND deadline_at > ?", 2},
    {"overdue", " AND state IN ('accepted','accepted_rongque','review') AND paused_at = 0"
                " AND decided_at = 0 AND deadline_at > 0 AND deadline_at <= ?", 1},
    {"postcheck", " AND postcheck = 1 AND id IN (SELECT subject_id FROM task WHERE subject_kind = 'case'"
                  " AND kind = 'postcheck' AND state = 'open')", 0},
    {"rongque", " AND missing <> '[]' AND state IN ('accepted_rongque','review','approved')", 0},
    {"correction", " AND state = 'correction'", 0},
};

static const struct Queue *queue_find(const char *name) {
  for (size_t i = 0; i < XQ_COUNT(queues); i++)
    if (strcmp(queues[i].name, name) == 0) return &queues[i];
  return NULL;
}

/* add_now() appends the instant now n times to the parameters p. */
static void add_now(json_t *p, int n, int64_t now) {
  while (n-- > 0) json_array_append_new(p, json_integer(now));
}

/* search_upper() copies s, the query parameter name (zh and en: what it
** is, to the user), into up[256] with ASCII letters upper-cased (codes are
** stored so): 0, or -1 with request.bad_param when it is not UTF-8 or over
** 50 characters. */
static int search_upper(const char *s, const char *name, const char *zh, const char *en, char up[256], Err *e) {
  if (!utf8_valid(s, strlen(s)) || utf8_len(s) > 50) {
    char mzh[96], men[96];
    snprintf(mzh, sizeof mzh, "%s无效或超过 50 个字符", zh);
    snprintf(men, sizeof men, "%s is invalid or longer than 50 characters", en);
    return err_set(e, E_INVALID, "request.bad_param", name, mzh, men);
  }
  snprintf(up, 256, "%s", s);
  for (char *c = up; *c; c++)
    if (*c >= 'a' && *c <= 'z') *c = (char)(*c - 'a' + 'A');
  return 0;
}

/* list_where() appends to where (which starts " WHERE 1 = 1") the
** conditions of cq within actor's scope, with their parameters in p; the
** instant now is that of the due_soon and overdue queues. 0, or -1 with
** request.bad_param on the filter that cannot be one. */
static int list_where(Db *db, const User *actor, const CaseQuery *cq, int64_t now, Buf *where, json_t *p, Err *e) {
  const char *queue = cq->queue, *state = cq->state, *item = cq->item;
  scope_sql(db, actor, where, p);
  if (queue && *queue) {
    const struct Queue *q = queue_find(queue);
    if (!q)
      return err_setf(e, E_INVALID, "request.bad_param", "queue", "没有这个队列：%s", "No such queue: %s", queue);
    buf_puts(where, q->cond);
    add_now(p, q->nNow, now);
  }
  if (state && *state) {
    if (state_parse(state) < 0)
      return err_setf(e, E_INVALID, "request.bad_param", "state", "没有这个状态：%s", "No such state: %s", state);
    buf_puts(where, " AND state = ?");
    json_array_append_new(p, json_string(state));
  }
  if (item && *item) {
    buf_puts(where, " AND item_code = ?");
    json_array_append_new(p, json_string(item));
  }
  char up[256];
  if (cq->party && *cq->party) {
    /* exactly one applicant: newest first through case_party(party, id, dept_id) */
    if (search_upper(cq->party, "party", "申请人代码", "The applicant code", up, e)) return -1;
    buf_puts(where, " AND party = ?");
    json_array_append_new(p, json_string(up));
  }
  if (cq->q && *cq->q) {
    /* 办件编号 or the applicant's code as typed (letters in either case), or part of its name. */
    if (search_upper(cq->q, "q", "搜索词", "The search text", up, e)) return -1;
    Buf like = {0};
    buf_putc(&like, '%');
    for (const char *c = cq->q; *c; c++) {
      if (*c == '%' || *c == '_' || *c == '\\') buf_putc(&like, '\\');
      buf_putc(&like, *c);
    }
    buf_putc(&like, '%');
    buf_puts(where, " AND (case_no = ? OR party = ? OR party_name LIKE ? ESCAPE '\\')");
    json_array_append_new(p, json_string(up));
    json_array_append_new(p, json_string(up));
    json_array_append_new(p, json_string(buf_cstr(&like)));
    buf_free(&like);
  }
  static const char *const names[] = {"from", "to"};
  const char *days[] = {cq->from, cq->to};
  for (int i = 0; i < 2; i++) {
    if (!days[i] || !*days[i]) continue;
    int day;
    if (cal_parse_date(days[i], &day))
      return err_setf(e, E_INVALID, "request.bad_param", names[i], "日期应为 YYYY-MM-DD：%s",
                      "The date must be YYYY-MM-DD: %s", days[i]);
    buf_puts(where, i == 0 ? " AND submitted_at >= ?" : " AND submitted_at > 0 AND submitted_at < ?");
    json_array_append_new(p, json_integer(cal_day_start_ms(i == 0 ? day : day + 1)));
  }
  return 0;
}

/* list_count() counts the cases of where with parameters p: the count, or
** -1 with *e. */
static int64_t list_count(Db *db, const char *where, const json_t *p, Err *e) {
  Buf sql = {0};
  buf_appendf(&sql, "SELECT COUNT(*) FROM case_file%s", where);
  Stmt *st = db_prepare(db, sql.a, e);
  buf_free(&sql);
  if (!st) return -1;
  bind_all(st, p);
  int rc = stmt_step(st, e);
  int64_t total = rc == 1 ? stmt_int(st, 0) : -1;
  stmt_done(st);
  if (rc == 0) err_set(e, E_INTERNAL, "db.no_row", NULL, "计数查询没有结果", "The count returned no row");
  return total;
}

/* The columns a listed case carries after CASE_COLS, from the joins that
** list_sql() writes: its bundle (一件事) and that bundle's children tallied
** (for the bundle's clock, as bundle_get() runs it), its item version and
** its department. */
#define LIST_XCOLS                                                                                         \
  " COALESCE(b.kind,''), COALESCE(k.label,''), COALESCE(b.deadline_at,0), COALESCE(t.n,0),"                \
  " COALESCE(t.done,0), COALESCE(t.last_issued,0), COALESCE(iv.name,''), COALESCE(iv.promised_limit,0),"   \
  " COALESCE(iv.limit_unit,''), COALESCE(d.name,'')"
enum { LX_BKIND = CASE_NCOL, LX_BLABEL, LX_BDEADLINE, LX_BN, LX_BDONE, LX_BLAST, LX_INAME, LX_ILIMIT, LX_IUNIT, LX_DNAME };

/* list_sql() writes the query of the cases of where, newest first, limit
** rows from offset, each with LIST_XCOLS: the page is chosen first (a
** CTE), then joined, so the joins and the tally touch only its rows (the
** tally says bundle_id <> 0 for SQLite to use the partial index
** case_bundle: an IN list does not imply it, and without it every page
** scanned case_file). */
static void list_sql(Buf *sql, const char *where, int64_t limit, int64_t offset) {
  buf_appendf(sql,
              "WITH pg AS (SELECT " CASE_COLS " FROM case_file%s ORDER BY id DESC LIMIT %lld OFFSET %lld)"
              " SELECT pg.*," LIST_XCOLS " FROM pg"
              " LEFT JOIN bundle b ON b.id = pg.bundle_id"
              " LEFT JOIN bundle_kind k ON k.kind = b.kind"
              " LEFT JOIN (SELECT bundle_id, COUNT(*) AS n,"
              " SUM(CASE WHEN state IN ('issued','closed') THEN 1 ELSE 0 END) AS done,"
              " MAX(CASE WHEN state IN ('issued','closed') THEN issued_at ELSE 0 END) AS last_issued"
              " FROM case_file WHERE bundle_id <> 0 AND bundle_id IN (SELECT bundle_id FROM pg WHERE bundle_id <> 0)"
              " GROUP BY bundle_id) t ON t.bundle_id = pg.bundle_id"
              " LEFT JOIN item_version iv ON iv.id = pg.item_version_id"
              " LEFT JOIN department d ON d.id = pg.dept_id"
              " ORDER BY pg.id DESC",
              where, (long long)limit, (long long)offset);
}

/* bundle_brief() is the bundle of a listed case (columns LIST_XCOLS of st)
** with the remaining time on its clock as bundle_get() tells it: up to the
** last licence when every child is done, else up to now (new object). */
static json_t *bundle_brief(const Cal *cal, Stmt *st, int64_t bundle_id, int64_t now) {
  int64_t deadline = stmt_int(st, LX_BDEADLINE), n = stmt_int(st, LX_BN), done = stmt_int(st, LX_BDONE);
  json_t *o = json_pack("{s:I,s:s,s:s,s:I,s:I}", "id", (json_int_t)bundle_id, "kind", stmt_text(st, LX_BKIND),
                        "label", stmt_text(st, LX_BLABEL), "done", (json_int_t)done, "total", (json_int_t)n);
  if (deadline) {
    int64_t last = stmt_int(st, LX_BLAST), at = n && done == n && last ? last : now;
    int64_t left = sla_remaining(cal, at, deadline);
    json_object_set_new(o, "deadline_at", jsonx_time(deadline));
    json_object_set_new(o, "remaining_ms", json_integer(left));
    json_object_set_new(o, "overdue", json_boolean(left < 0));
    if (n && done == n) json_object_set_new(o, "on_time", json_boolean(left >= 0));
  }
  return o;
}

json_t *cases_list(Store *s, const User *actor, const CaseQuery *cq, Err *e) {
  int page = cq->page, per_page = cq->per_page;
  Db *db = store_reader(s);
  const Cal *cal = sla_calendar(s, e);
  if (!cal) return NULL;
  int64_t now = now_ms();
  Buf where = {0}, sql = {0};
  json_t *p = json_array(), *out = NULL;
  buf_puts(&where, " WHERE 1 = 1");
  if (list_where(db, actor, cq, now, &where, p, e)) goto out;
  int64_t total = list_count(db, where.a, p, e);
  if (total < 0) goto out;
  list_sql(&sql, where.a, per_page, (int64_t)(page - 1) * per_page);
  Stmt *st = db_prepare(db, sql.a, e);
  if (!st) goto out;
  bind_all(st, p);
  json_t *items = json_array();
  int rc;
  while ((rc = stmt_step(st, e)) == 1) {
    Case c;
    read_case(st, &c);
    json_t *o = case_brief(cal, &c, now);
    if (c.bundle_id) json_object_set_new(o, "bundle", bundle_brief(cal, st, c.bundle_id, now));
    json_array_append_new(items, o);
    case_free(&c);
  }
  stmt_done(st);
  if (rc < 0) {
    json_decref(items);
    goto out;
  }
  out = json_pack("{s:o,s:I,s:i,s:i}", "items", items, "total", (json_int_t)total, "page", page,
                  "per_page", per_page);
out:
  buf_free(&where);
  buf_free(&sql);
  json_decref(p);
  return out;
}

int cases_each(Store *s, const User *actor, const CaseQuery *cq, int64_t max, CaseRowFn fn, void *arg,
               int64_t *total, Err *e) {
  Db *db = store_reader(s);
  const Cal *cal = sla_calendar(s, e);
  if (!cal) return -1;
  int64_t now = now_ms();
  Buf where = {0}, sql = {0};
  json_t *p = json_array();
  int rc = -1;
  buf_puts(&where, " WHERE 1 = 1");
  if (list_where(db, actor, cq, now, &where, p, e)) goto out;
  if ((*total = list_count(db, where.a, p, e)) < 0) goto out;
  if (*total > max) {
    char n[24];
    snprintf(n, sizeof n, "%lld", (long long)*total);
    err_setf(e, E_INVALID, "export.too_many", NULL, "符合条件的办件有 %s 件，超过一次导出的上限，请缩小筛选范围（如提交日期）",
             "%s cases match, more than one export may hold: narrow the filters (e.g. the dates)", n);
    goto out;
  }
  list_sql(&sql, where.a, max, 0);
  Stmt *st = db_prepare(db, sql.a, e);
  if (!st) goto out;
  bind_all(st, p);
  int step;
  while ((step = stmt_step(st, e)) == 1) {
    Case c;
    read_case(st, &c);
    json_t *sla = sla_json(&c.clk, cal, now, c.decided_at, c.on_time);
    CaseRow row = {.no = c.no, .item_code = c.item_code, .item_name = stmt_text(st, LX_INAME),
                   .dept_name = stmt_text(st, LX_DNAME), .party = c.party, .party_type = c.party_type,
                   .party_name = c.party_name, .state_label = states[c.state].label, .channel = c.channel,
                   .submitted_at = c.submitted_at, .accepted_at = c.clk.started_at, .decided_at = c.decided_at,
                   .deadline_at = c.clk.deadline_at, .promised = (int)stmt_int(st, LX_ILIMIT),
                   .limit_unit = stmt_text(st, LX_IUNIT),
                   .overdue = json_is_true(json_object_get(sla, "overdue")) ||
                              json_is_false(json_object_get(sla, "on_time")),
                   .bundle_id = c.bundle_id, .bundle_label = stmt_text(st, LX_BLABEL)};
    int r = fn(&row, arg, e);
    json_decref(sla);
    case_free(&c);
    if (r) {
      step = -1;
      break;
    }
  }
  stmt_done(st);
  if (step < 0) goto out;
  rc = 0;
out:
  buf_free(&where);
  buf_free(&sql);
  json_decref(p);
  return rc;
}

json_t *cases_queues(Store *s, const User *actor, Err *e) {
  /* Every queue counted in one pass over the cases actor may see. */
  Db *db = store_reader(s);
  int64_t now = now_ms();
  Buf sql = {0};
  json_t *p = json_array(), *o = NULL;
  buf_puts(&sql, "SELECT ");
  for (size_t i = 0; i < XQ_COUNT(queues); i++) {
    buf_appendf(&sql, "%sCOALESCE(SUM(CASE WHEN 1 = 1%s THEN 1 ELSE 0 END), 0)", i ? ", " : "", queues[i].cond);
    add_now(p, queues[i].nNow, now);
  }
  buf_puts(&sql, " FROM case_file WHERE 1 = 1");
  scope_sql(db, actor, &sql, p);
  Stmt *st = db_prepare(db, sql.a, e);
  if (st) {
    bind_all(st, p);
    if (stmt_step(st, e) == 1) {
      o = json_object();
      for (size_t i = 0; i < XQ_COUNT(queues); i++)
        json_object_set_new(o, queues[i].name, json_integer(stmt_int(st, (int)i)));
    }
    stmt_done(st);
  }
  buf_free(&sql);
  json_decref(p);
  if (!o) return NULL;
  int64_t rectify = task_count_open(s, actor, "rectify", e);
  if (rectify < 0) {
    json_decref(o);
    return NULL;
  }
  json_object_set_new(o, "rectify", json_integer(rectify));
  return o;
}

json_t *cases_notice_data(Store *s, const User *actor, const char *no, int64_t id, Err *e) {
  Db *db = store_reader(s);
  Case c;
  if (case_load(db, no, &c, e)) return NULL;
  bool ok = may_see(db, actor, &c);
  int64_t case_id = c.id;
  case_free(&c);
  if (!ok) {
    err_setf(e, E_NOTFOUND, "case.not_found", NULL, "没有找到该办件：%s", "No case numbered %s", no);
    return NULL;
  }
  Stmt *st = db_prepare(db, "SELECT data FROM case_notice WHERE id = ? AND case_id = ?", e);
  if (!st) return NULL;
  stmt_bind_int(st, 1, id);
  stmt_bind_int(st, 2, case_id);
  json_t *d = stmt_step(st, e) == 1 ? json_loads(stmt_text(st, 0), 0, NULL) : NULL;
  stmt_done(st);
  if (!d && e->kind == E_OK)
    err_set(e, E_NOTFOUND, "notice.not_found", NULL, "没有找到该文书", "No such notice");
  return d;
}

/* ---- Ratings (好差评) --------------------------------------------------------------- */

typedef struct RateJob {
  Ctx x;
  const char *no;
  int score;
  const char *comment;
} RateJob;

static int rate_job(Db *db, void *arg, Err *e) {
  RateJob *j = arg;
  Ctx *x = &j->x;
  if (case_load(db, j->no, &x->c, e) || catalog_get_version(db, x->c.version_id, &x->item, e)) return -1;
  if (!registry_acts_for(db, x->actor, x->c.party))
    return err_set(e, E_NOTFOUND, "case.not_found", NULL, "没有找到该办件", "No such case");
  if (x->c.state != ST_CLOSED)
    return err_set(e, E_CONFLICT, "case.bad_state", NULL, "办件归档后才能评价", "Only a closed case can be rated");
  if (x->c.rating)
    return err_set(e, E_CONFLICT, "case.already_rated", NULL, "该办件已评价", "The case is already rated");
  x->c.rating = j->score;
  snprintf(x->c.rating_comment, sizeof x->c.rating_comment, "%s", j->comment);
  set_note(x, json_pack("{s:i,s:s}", "score", j->score, "comment", j->comment));
  if (step(db, x, x->c.state, "rate", "好差评", 0, e) || flush(db, x, e)) return -1;
  if (j->score <= 2) return add_task(db, x, "rectify", 0, j->comment[0] ? j->comment : "差评整改", e);
  return 0;
}

json_t *cases_rate(Store *s, const User *actor, const char *no, int score, const char *comment,
                   Err *e) {
  RateJob j;
  memset(&j, 0, sizeof j);
  if (score < 1 || score > 5) {
    err_set(e, E_INVALID, "request.out_of_range", "score", "评分应为 1–5", "score must be 1 to 5");
    return NULL;
  }
  if (!comment) comment = "";
  if (!utf8_valid(comment, strlen(comment)) || utf8_len(comment) > 300) {
    err_set(e, E_INVALID, "request.too_long", "comment", "评价内容不超过 300 字", "comment: at most 300 characters");
    return NULL;
  }
  j.x.actor = actor;
  j.x.now = now_ms();
  j.x.c.resume_state = -1;
  j.no = no;
  j.score = score;
  j.comment = comment;
  json_t *out = NULL;
  if ((j.x.cal = sla_calendar(s, e)) && store_write(s, rate_job, &j, e) == 0) out = cases_get(s, actor, no, e);
  ctx_free(&j.x);
  return out;
}

/* ---- Tasks on a case (核查, 事后抽查, 整改: task.h) ------------------------------------- */

/* task_done() is what completing a task does to its case, in the same
** write: the timeline records it; a result whose effect is "revoke" (a
** failed post-check) or "revoke_broken_promise" (a false 告知承诺) revokes
** the decision and its certificate, the second also recording the broken
** promise. */
static int task_done(Db *db, const User *actor, const Task *t, int64_t now, Err *e) {
  Ctx x;
  memset(&x, 0, sizeof x);
  x.actor = actor;
  x.now = now;
  int rc = -1;
  bool revoke = strcmp(t->effect, "revoke") == 0, promise = strcmp(t->effect, "revoke_broken_promise") == 0;
  if (t->effect[0] && !revoke && !promise) {
    err_setf(e, E_INTERNAL, "task.bad_effect", NULL, "办件不认识任务结果的效果：%s",
             "A case does not know the effect %s", t->effect);
    goto out;
  }
  if (case_load_id(db, t->subject_id, &x.c, e) || catalog_get_version(db, x.c.version_id, &x.item, e)) goto out;
  set_note(&x, json_pack("{s:s,s:s,s:s,s:s,s:s}", "task", t->kind, "task_label", t->kind_label, "result", t->result,
                         "result_label", t->result_label, "note", t->note));
  if (!revoke && !promise) {
    rc = step(db, &x, x.c.state, "task", "任务办结", 0, e) || flush(db, &x, e) ? -1 : 0;
    goto out;
  }
  if (!(S(x.c.state) & (S(ST_APPROVED) | S(ST_ISSUED) | S(ST_CLOSED)))) {
    err_set(e, E_CONFLICT, "case.bad_state", NULL, "办件不在可撤销的状态", "The case's decision cannot be revoked now");
    goto out;
  }
  snprintf(x.reason, sizeof x.reason, "%s", t->reason[0] ? t->reason : "撤销许可决定。");
  if (x.c.certificate[0] && docs_cert_revoke(db, actor, x.c.certificate, x.reason, e)) goto out;
  if (promise && break_promise(db, &x.c, x.reason, now, e)) goto out;
  rc = step(db, &x, ST_REVOKED, "revoke", "撤销许可决定", NOTICE_REVOKE, e) || flush(db, &x, e) ? -1 : 0;
out:
  ctx_free(&x);
  return rc;
}

const TaskSubject cases_task_subject = {"case", task_done};

/* ---- Land parcels (零时限审批): the permits a contract issues ------------------------------ */

int cases_parcel_issue(Db *db, const User *actor, const char *parcel, const char *contract_no, int64_t now,
                       int *issued, Err *e) {
  Stmt *st = db_prepare(db, "SELECT id FROM case_file WHERE parcel = ? AND state = 'approved' ORDER BY id", e);
  if (!st) return -1;
  stmt_bind_text(st, 1, parcel);
  int64_t *ids = NULL;
  size_t nId = 0;
  int rc;
  while ((rc = stmt_step(st, e)) == 1) {
    ids = xrealloc(ids, (nId + 1) * sizeof *ids);
    ids[nId++] = stmt_int(st, 0);
  }
  stmt_done(st);
  Ctx x;
  memset(&x, 0, sizeof x);
  x.actor = actor;
  x.now = now;
  *issued = 0;
  if (rc == 0 && nId == 0 && (actor->role & ROLE_APPROVER))
    rc = err_set(e, E_FORBIDDEN, "parcel.other_department", NULL,
                 "该地块没有本部门预审通过待发的许可，应由招商部门登记合同",
                 "No permit of your department waits for this contract: investment officers record it");
  for (size_t i = 0; i < nId && rc == 0; i++) {
    case_free(&x.c);
    catalog_item_free(&x.item);
    set_note(&x, json_pack("{s:s}", "contract_no", contract_no));
    if (case_load_id(db, ids[i], &x.c, e)) {
      rc = -1;
      break;
    }
    /* An approver records a contract only for permits of its department. */
    if ((actor->role & ROLE_APPROVER) && !may_see(db, actor, &x.c)) {
      rc = err_setf(e, E_FORBIDDEN, "parcel.other_department", NULL,
                    "该地块有其他部门预审通过的许可（%s），应由招商部门或发证部门登记合同",
                    "A permit of another department (%s) waits for this contract: investment officers or that "
                    "department record it", x.c.no);
      break;
    }
    if (catalog_get_version(db, x.c.version_id, &x.item, e) ||
        issue_case(db, &x, e) || step(db, &x, ST_ISSUED, "issue", "零时限审批：土地出让合同签订即发证", 0, e) ||
        flush(db, &x, e))
      rc = -1;
    else
      (*issued)++;
  }
  free(ids);
  ctx_free(&x);
  return rc < 0 ? -1 : 0;
}

/* ---- The deadline scan and statistics ------------------------------------------------- */

/* A running clock: started, not decided, not paused. The partial indexes of
** migration 4 carry exactly these conditions. */
#define RUNNING " decided_at = 0 AND paused_at = 0"

typedef struct ScanJob {
  Ctx x;
  ScanReport *rep;
  bool more;     /* the chunk of lapsed cases was full: run again */
} ScanJob;

enum { SCAN_CHUNK = 500 }; /* lapsed cases ended in one transaction */

/* flag_and_notify() sets flag on the running cases whose column col has
** passed, and tells each department how many of its cases it flagged (one
** message each, however many departments). The count and the UPDATE are
** one transaction that holds the database's write lock (store_write()), so
** no other server flags or moves a case between them. */
static int flag_and_notify(Db *db, Ctx *x, const char *flag, const char *col, const char *what,
                           int64_t *count, Err *e) {
  char sql[512];
  snprintf(sql, sizeof sql,
           "SELECT dept_id, COUNT(*) FROM case_file WHERE %s = 0 AND" RUNNING " AND %s > 0 AND %s <= ?"
           " GROUP BY dept_id", flag, col, col);
  Stmt *st = db_prepare(db, sql, e);
  if (!st) return -1;
  stmt_bind_int(st, 1, x->now);
  int64_t *dept = NULL, *n = NULL;
  size_t nDept = 0, cap = 0;
  int rc;
  while ((rc = stmt_step(st, e)) == 1) {
    if (nDept == cap) {
      cap = cap ? 2 * cap : 32;
      dept = xrealloc(dept, cap * sizeof *dept);
      n = xrealloc(n, cap * sizeof *n);
    }
    dept[nDept] = stmt_int(st, 0);
    n[nDept++] = stmt_int(st, 1);
  }
  stmt_done(st);
  if (rc < 0) goto out;
  snprintf(sql, sizeof sql, "UPDATE case_file SET %s = 1 WHERE %s = 0 AND" RUNNING " AND %s > 0 AND %s <= ?",
           flag, flag, col, col);
  *count = db_run(db, e, sql, "i", x->now);
  if (*count < 0) {
    rc = -1;
    goto out;
  }
  for (size_t i = 0; i < nDept && rc == 0; i++) {
    char title[128], body[256];
    snprintf(title, sizeof title, "%lld 件办件%s", (long long)n[i], what);
    snprintf(body, sizeof body, "本部门有 %lld 件办件%s，请在办件队列中查看并及时处理。", (long long)n[i], what);
    Message m = {.dept_id = dept[i], .title = title, .body = body, .at = x->now};
    if (notify_send(db, &m, e)) rc = -1;
  }
out:
  free(dept);
  free(n);
  return rc < 0 ? -1 : 0;
}

/* The states in which a 容缺 case waits for its missing materials. */
#define SUPPLEMENT_STATES (S(ST_RONGQUE) | S(ST_REVIEW) | S(ST_SPECIAL) | S(ST_SUSPENDED) | S(ST_APPROVED))

/* lapsed() is true when case c broke its 容缺 promise by now: the
** supplement deadline passed with materials still missing. */
static bool lapsed(const Case *c, int64_t now) {
  return c->supplement_due_at > 0 && c->supplement_due_at <= now && json_array_size(c->missing) &&
         (S(c->state) & SUPPLEMENT_STATES);
}

/* scan_job() is one chunk of the scan: it ends up to SCAN_CHUNK lapsed
** 容缺 cases (each re-checked as loaded) and, in the chunk that finds no
** more, flags warnings and overdue cases. */
static int scan_job(Db *db, void *arg, Err *e) {
  ScanJob *j = arg;
  Ctx *x = &j->x;
  j->more = false;
  int64_t lapsed_n = 0, warned = 0, overdue = 0;
  Stmt *st = db_prepare(db, "SELECT id FROM case_file WHERE supplement_due_at > 0 AND supplement_due_at <= ?"
                            " AND missing <> '[]' AND state IN ('accepted_rongque','review','special',"
                            "'suspended','approved') ORDER BY id LIMIT ?", e);
  if (!st) return -1;
  stmt_bind_int(st, 1, x->now);
  stmt_bind_int(st, 2, SCAN_CHUNK);
  int64_t ids[SCAN_CHUNK];
  int nId = 0, rc;
  while ((rc = stmt_step(st, e)) == 1) ids[nId++] = stmt_int(st, 0);
  stmt_done(st);
  if (rc < 0) return -1;
  for (int i = 0; i < nId; i++) {
    case_free(&x->c);
    catalog_item_free(&x->item);
    if (case_load_id(db, ids[i], &x->c, e)) return -1;
    if (!lapsed(&x->c, x->now)) continue; /* the list and the load are one transaction: a cheap guard */
    if (catalog_get_version(db, x->c.version_id, &x->item, e)) return -1;
    snprintf(x->reason, sizeof x->reason, "容缺材料逾期未补齐，办件终止，记录失信承诺（限制期内不适用容缺受理和告知承诺）。");
    set_note(x, json_pack("{s:O}", "missing", x->c.missing));
    clock_stop(x);
    if (break_promise(db, &x->c, x->reason, x->now, e) ||
        step(db, x, ST_TERMINATED, "lapse", "容缺逾期终止", 0, e) || flush(db, x, e))
      return -1;
    lapsed_n++;
  }
  j->more = nId == SCAN_CHUNK;
  if (!j->more && (flag_and_notify(db, x, "warned", "warn_at", "即将到期", &warned, e) ||
                   flag_and_notify(db, x, "overdue", "deadline_at", "已超期", &overdue, e)))
    return -1;
  if (lapsed_n || warned || overdue) {
    json_t *d = json_pack("{s:I,s:I,s:I}", "warned", (json_int_t)warned, "overdue", (json_int_t)overdue,
                          "lapsed", (json_int_t)lapsed_n);
    rc = audit_append(db, NULL, "sla.scan", "case:*", d, e);
    json_decref(d);
    if (rc) return -1;
  }
  j->rep->lapsed += lapsed_n;
  j->rep->warned += warned;
  j->rep->overdue += overdue;
  return 0;
}

int cases_scan(Store *s, int64_t now, ScanReport *rep, Err *e) {
  ScanJob j;
  memset(&j, 0, sizeof j);
  memset(rep, 0, sizeof *rep);
  j.x.now = now;
  j.x.c.resume_state = -1;
  j.rep = rep;
  int rc = -1;
  if ((j.x.cal = sla_calendar(s, e))) {
    /* One transaction a chunk, so a long backlog never holds the writer. */
    do {
      rc = store_write(s, scan_job, &j, e);
    } while (rc == 0 && j.more);
  }
  ctx_free(&j.x);
  return rc;
}

static int scan_run(Store *s, int64_t now, json_t **report, Err *e) {
  ScanReport rep;
  if (cases_scan(s, now, &rep, e)) return -1;
  *report = json_pack("{s:I,s:I,s:I}", "warned", (json_int_t)rep.warned, "overdue", (json_int_t)rep.overdue,
                      "lapsed", (json_int_t)rep.lapsed);
  return 0;
}

const ScheduleJob cases_scan_job = {"sla.scan", "到期预警、超期与容缺逾期扫描", 60000, scan_run};

json_t *cases_overdue(Store *s, const User *actor, const char *dept, int page, int per_page, Err *e) {
  Db *db = store_reader(s);
  const Cal *cal = sla_calendar(s, e);
  if (!cal) return NULL;
  int64_t dept_id = actor->dept_id;
  if (dept && *dept) {
    Dept d;
    int found = accounts_dept_get(db, 0, dept, &d, e);
    if (found < 0) return NULL;
    dept_id = d.id;
    if (!found) {
      err_setf(e, E_INVALID, "request.bad_param", "dept", "没有这个部门：%s", "No such department: %s", dept);
      return NULL;
    }
    if (dept_id != actor->dept_id && !accounts_oversees(db, actor)) {
      err_set(e, E_FORBIDDEN, "case.forbidden", "dept", "只能查看本部门的超期办件", "Only your own department's cases");
      return NULL;
    }
  }
#define OVERDUE " FROM case_file WHERE dept_id = ? AND" RUNNING " AND deadline_at > 0 AND deadline_at <= ?"
  int64_t now = now_ms(), total = -1;
  Stmt *st = db_prepare(db, "SELECT COUNT(*)" OVERDUE, e);
  if (!st) return NULL;
  stmt_bind_int(st, 1, dept_id);
  stmt_bind_int(st, 2, now);
  if (stmt_step(st, e) == 1) total = stmt_int(st, 0);
  stmt_done(st);
  if (total < 0) return NULL;
  st = db_prepare(db, "SELECT " CASE_COLS OVERDUE " ORDER BY deadline_at, id LIMIT ? OFFSET ?", e);
  if (!st) return NULL;
  stmt_bind_int(st, 1, dept_id);
  stmt_bind_int(st, 2, now);
  stmt_bind_int(st, 3, per_page);
  stmt_bind_int(st, 4, (int64_t)(page - 1) * per_page);
  json_t *a = json_array();
  int rc;
  while ((rc = stmt_step(st, e)) == 1) {
    Case c;
    read_case(st, &c);
    json_array_append_new(a, case_brief(cal, &c, now));
    case_free(&c);
  }
  stmt_done(st);
  if (rc < 0) {
    json_decref(a);
    return NULL;
  }
  return json_pack("{s:o,s:I,s:i,s:i}", "items", a, "total", (json_int_t)total, "page", page, "per_page", per_page);
#undef OVERDUE
}

json_t *cases_stats(Store *s, const char *by, Err *e) {
  bool item = by && strcmp(by, "item") == 0;
  if (by && *by && !item && strcmp(by, "dept") != 0) {
    err_set(e, E_INVALID, "request.bad_param", "by", "by 应为 dept 或 item", "by must be dept or item");
    return NULL;
  }
  char sql[1024];
  snprintf(sql, sizeof sql,
           "SELECT %s, COUNT(*), SUM(CASE WHEN on_time IS NOT NULL AND decision <> '' THEN 1 ELSE 0 END),"
           " SUM(CASE WHEN on_time = 1 AND decision <> '' THEN 1 ELSE 0 END),"
           " SUM(CASE WHEN channel = 'online' THEN 1 ELSE 0 END), SUM(CASE WHEN visits = 0 THEN 1 ELSE 0 END),"
           " SUM(CASE WHEN rating > 0 THEN 1 ELSE 0 END), SUM(rating),"
           " SUM(CASE WHEN rating BETWEEN 1 AND 2 THEN 1 ELSE 0 END)"
           " FROM case_file c %s WHERE c.state <> 'draft' GROUP BY %s ORDER BY %s",
           item ? "c.item_code" : "d.code, d.name", item ? "" : "JOIN department d ON d.id = c.dept_id",
           item ? "c.item_code" : "d.code, d.name", item ? "c.item_code" : "d.code");
  Stmt *st = db_prepare(store_reader(s), sql, e);
  if (!st) return NULL;
  json_t *a = json_array();
  int rc, off = item ? 1 : 2;
  while ((rc = stmt_step(st, e)) == 1) {
    double n = (double)stmt_int(st, off), timed = (double)stmt_int(st, off + 1);
    double rated = (double)stmt_int(st, off + 5);
    json_t *o = json_pack("{s:s,s:I,s:I,s:I,s:o,s:f,s:f,s:I,s:f,s:I}", item ? "item" : "dept", stmt_text(st, 0),
                          "cases", (json_int_t)n, "decided", (json_int_t)timed, "on_time",
                          (json_int_t)stmt_int(st, off + 2), "on_time_rate",
                          timed ? json_real((double)stmt_int(st, off + 2) / timed) : json_null(), "online_rate",
                          n ? (double)stmt_int(st, off + 3) / n : 0.0, "zero_visit_rate",
                          n ? (double)stmt_int(st, off + 4) / n : 0.0, "ratings", (json_int_t)rated,
                          "satisfaction", rated ? (double)stmt_int(st, off + 6) / rated : 0.0,
                          "bad_ratings", (json_int_t)stmt_int(st, off + 7));
    if (!item) json_object_set_new(o, "dept_name", json_string(stmt_text(st, 1)));
    json_array_append_new(a, o);
  }
  stmt_done(st);
  if (rc < 0) {
    json_decref(a);
    return NULL;
  }
  return a;
}
