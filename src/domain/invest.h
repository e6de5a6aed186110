/*
** invest.h — 招商引资: investment projects, from the first lead to a plant at
** full production (issue 14). A project has one owner officer in one
** department, its investors with their shares and source regions, its
** planned investment (exact money, money.h), and a stage that moves along
** invest_workflow (workflow.h):
**   线索 lead → 在谈 talks → 签约 signed → 注册 registered → 开工 started
**   → 投产 producing → 达产 full, and 中止 stopped (with a reason) from
**   any stage before 投产.
** Each move states the evidence it needs (签约: contract date and amount;
** 注册: the registry entity, existing or founded by a 企业开办 bundle; 开工:
** the land parcel its entity holds, or its issued construction-permit
** case; 投产, 达产: their dates). A move that skips a stage or lacks its
** evidence is refused, with what is missing, and writes nothing.
** 到位资金 (funds in place) are dated entries on a signed project, in any
** currency with the rate of the day kept on the entry. What the report sums
** of them (invest_fund_by_day per day and source; invest_project.fund_cny
** and fund_fixed_cny per project) is kept by database triggers (migration
** 11) in the transaction that writes the entry: a writer of invest_fund
** (a job, the demo loader, an import) inserts the row and does nothing else.
**
** Who: 招商专员 (ROLE_INVEST) act on their department's projects;
** administrators on all; leaders and auditors read all; nobody else sees
** any. Every write is one store_write() job with its audit event.
*/
#ifndef XINQU_INVEST_H
#define XINQU_INVEST_H

#include <jansson.h>
#include "../base/base.h"
#include "../store/store.h"
#include "accounts.h"
#include "workflow.h"
#include "../base/buf.h"
#include "../base/sheet.h"

/* The project's stages and moves, as data (GET /api/v1/workflows). */
extern const Workflow invest_workflow;

/* invest_project_create() records a new project from in:
**   {name, industry (GB/T 4754 门类 A–T), origin ("domestic"|"foreign"),
**    planned ("1,234.56": yuan), planned_usd? (dollars, the foreign part),
**    owner? (username of an investment officer of the actor's department;
**    the actor by default), investors: [{kind ("entity"|"foreign"|"person"),
**    code? (USCC or ID number), name, country? (ISO 3166 alpha-2, CN by
**    default), province? (GB/T 2260 two digits, for domestic ones),
**    share ("60" per cent, two decimals at most)}] (shares add up to 100)}
** in the actor's department, at stage lead. Returns the project (new
** object, as invest_project_get()), or NULL with *e. */
json_t *invest_project_create(Store *s, const User *actor, const json_t *in, Err *e);

/* invest_project_get() is project code with its investors, funds and
** timeline, and the moves actor may take now (new object), or NULL with
** invest.not_found (also when actor may not see it). */
json_t *invest_project_get(Store *s, const User *actor, const char *code, Err *e);

/* InvestQuery filters invest_project_list(): NULL members match all. */
typedef struct InvestQuery {
  const char *stage, *owner, *q; /* stage name, owner username, part of the name */
  int page, per_page;            /* 1-based page, rows per page */
} InvestQuery;

/* invest_project_list() is {items, total, page, per_page} of the projects
** actor may see (new object), or NULL with *e. */
json_t *invest_project_list(Store *s, const User *actor, const InvestQuery *q, Err *e);

/* invest_project_move() takes move action on project code with its
** evidence args (an object, may be NULL; "version" names the version the
** actor saw). Refusals: invest.not_found, invest.forbidden,
** invest.bad_state (the moves the stage allows), invest.conflict (moved
** since), invest.evidence_missing (naming what), and each evidence's
** own check. Returns the project (new object) or NULL with *e. */
json_t *invest_project_move(Store *s, const User *actor, const char *code, const char *action,
                            const json_t *args, Err *e);

/* invest_bundle_file() files a bundle that registers a new entity (企业开办)
** for an investor of project code, as 帮办 by its investment officer, from
** in: {investor (the investor's code: a person's ID number or a domestic
** entity's USCC, as the project lists it), kind (a bundle kind one of whose
** items registers a new entity, e.g. "kaiban"), form, materials (the
** officer's own uploads)} — bundle_create()'s filing, with the investor
** as its applicant party. Only an investment officer of the project's
** department (invest.forbidden; invest.not_found for another department's
** officer, as for any project it may not see), for an investor of the
** project (invest.not_investor: nobody else, nor a foreign investor, which
** the registry cannot name), while 注册 is the project's next move
** (invest.bad_state), and once per project unless the last one filed is
** blocked (invest.bundle_filed). One write: the bundle and its children
** (bundle.h: the officer is their filer, the department's investment
** officers help with them, the investor sees and continues them as its
** own), the project's link to it (its 注册 move then takes that bundle's
** entity when given no other evidence), its timeline step "bundle", and
** the audit event bundle.create naming the project and the investor.
** Refused, nothing is written. Returns the bundle's view (new object), or
** NULL with *e. invest_project_get() shows the linked bundle as "bundle"
** (bundle_get() without its children) and says "may_file_bundle". */
json_t *invest_bundle_file(Store *s, const User *actor, const char *code, const json_t *in, Err *e);

/* invest_fund_add() records funds in place on project code from in:
**   {on (YYYY-MM-DD, not in the future), amount ("1,000.00"), currency
**    (ISO 4217, CNY by default), rate (yuan per unit; required unless
**    CNY), usd_rate (dollars per unit; required for foreign funds not in
**    USD), kind ("fixed" 固定资产投资 | "working" 流动资金), source
**    ("out_of_province" 省外 | "in_province" 省内 | "foreign" 境外)}.
** Only on a signed project (invest.not_signed before). Returns the
** project (new object) or NULL with *e. */
json_t *invest_fund_add(Store *s, const User *actor, const char *code, const json_t *in, Err *e);

/* invest_activity_create() records a 招商活动 of the actor's department from
** in: {kind (one of the parameter invest/activity_kinds), title, start_on,
** end_on (YYYY-MM-DD, not before start_on), city?, province? (GB/T 2260
** two digits, for China), country? (ISO 3166 alpha-2, CN by default),
** officers? (usernames of the department's investment officers; the
** actor by default), investors_met? (a count)}. Returns the activity (new
** object) or NULL with *e. */
json_t *invest_activity_create(Store *s, const User *actor, const json_t *in, Err *e);

/* invest_officers() is the investment officers an activity may name:
** those of actor's department (every department's for administrators),
** [{username, name, dept}] (new array), or NULL with *e. */
json_t *invest_officers(Store *s, const User *actor, Err *e);

/* invest_activity_list() is {items, total, page, per_page} of the
** activities actor may see that start between from and to (either may be
** NULL), newest first (new object), or NULL with *e. */
json_t *invest_activity_list(Store *s, const User *actor, const char *from, const char *to, int page,
                             int per_page, Err *e);

/* invest_report() is the report of the period from..to (YYYY-MM-DD, both
** included) over every department (new object; see invest.c for each
** figure and its formula, which the report also states), or NULL with
** *e (invest.bad_period; invest.overflow when a sum of amounts leaves 64
** bits). Leaders, auditors, administrators and investment officers may
** read it. */
json_t *invest_report(Store *s, const User *actor, const char *from, const char *to, Err *e);

/* invest_followup_add() records a 走访/跟进 of project code from in: {on
** (YYYY-MM-DD, not in the future), kind (visit|call|meeting|online|other),
** note, next_step? and next_on? (given together; next_on not before on)}.
** The project's next step becomes this one's (none when not given).
** Returns the project (new object) or NULL with *e. */
json_t *invest_followup_add(Store *s, const User *actor, const char *code, const json_t *in, Err *e);

/* invest_followups_due() is {items: [{code, name, stage, owner, next_step,
** next_on, days_late}]} of the projects actor may see whose next step's
** day has passed (live projects only: not 达产 nor 中止), most overdue
** first (new object), or NULL with *e. */
json_t *invest_followups_due(Store *s, const User *actor, Err *e);

/* invest_inquiry_add() records a 来电来函 to the actor's department from in:
** {received_on, channel (phone|letter|online|visit), from_name, contact?,
** subject}; it is due invest/inquiry_days working days after it came (the
** working-day calendar). invest_inquiry_answer() answers inquiry id:
** {answer, answered_on?} (once: invest.answered). invest_inquiries() lists
** the department's (every one for leaders, auditors and administrators) in
** state "open", "overdue" (open past its due day) or "answered" (NULL:
** all), {items, total, page, per_page}. NULL with *e on refusal. */
json_t *invest_inquiry_add(Store *s, const User *actor, const json_t *in, Err *e);
json_t *invest_inquiry_answer(Store *s, const User *actor, int64_t id, const json_t *in, Err *e);
json_t *invest_inquiries(Store *s, const User *actor, const char *state, int page, int per_page, Err *e);

/* invest_import_rows() writes rows — sheet_read()'s [{line, lines, row}]
** of what: "activities", "projects" or "funds" (each row the object the
** API's POST takes; a fund row names its project by "project"; a project
** row may carry stage "talks" or "signed" with talks_on, signed_on and
** contract_amount, taken as the moves with that evidence) — as actor, in
** one transaction, or nothing at all: every row is checked as the API
** checks it and each one refused is reported through reject(line, why,
** arg), the line being the row's, or that of the investor row at fault.
** With dry_run nothing is written either way. Returns {kind, rows,
** imported, dry_run, created: [{line, code | id}]} (new object), or NULL
** with *e: import.rejected (rows were refused), import.no_kind,
** auth.forbidden, or a database failure. */
json_t *invest_import_rows(Store *s, const User *actor, const char *what, const json_t *rows, bool dry_run,
                           void (*reject)(int64_t line, const Err *why, void *arg), void *arg, Err *e);

/* The 20 sections (门类) of GB/T 4754-2017, A to T, with their names. */
extern const SheetEnum invest_industries[];

/* An import reads at most this many rows, and answers the first
** INVEST_IMPORT_SHOWN refusals in full (the rest counted). */
#define INVEST_IMPORT_MAX_ROWS 10000
#define INVEST_IMPORT_SHOWN 500

/* invest_import() imports a ledger (台账) of what — "activities",
** "projects" or "funds" — from data[0..n), an Excel workbook or a CSV file
** with the columns invest_export() writes (by their Chinese titles or
** keys, in any order; a title row above the header is skipped; a project
** with several investors takes one row for each, the project's columns
** left blank on the rows after its first). Every row is checked as the
** API checks it and the whole file is written in one transaction, or
** nothing is: invest_import_rows(). Returns its answer, or NULL with *e —
** import.rejected with every refusal in e->all (each with its line), when
** the caller set e->all — or a refusal of the file (sheet_read()). */
json_t *invest_import(Store *s, const User *actor, const char *what, const void *data, size_t n, bool dry_run,
                      Err *e);

/* InvestExport: what an export selects. */
typedef struct InvestExport {
  bool xlsx;                  /* Excel, else CSV */
  const char *from, *to;      /* the period (activities: start day; projects: lead day; funds: day in
                                 place; signed and report: required) or NULL */
  const char *stage, *owner;  /* projects: the stage and the owner's username, or NULL */
} InvestExport;

/* invest_export() appends to out the file of what: "activities",
** "projects", "funds" (the ledgers, as invest_import() reads them back),
** "signed" (签约项目一览表 of the period) or "report" (the report of the
** period as a workbook, Excel only), of the records actor may see; writes
** its Chinese name ("招商活动") into name (cap bytes). Returns 0, or -1 with
** *e: export.no_kind, auth.forbidden, invest.bad_period, invest.bad_stage,
** request.bad_param, export.write. */
int invest_export(Store *s, const User *actor, const char *what, const InvestExport *q, Buf *out, char *name,
                  size_t cap, Err *e);

/* invest_demo_load() writes the Jinpu demo's pipeline of 2019–2021 (see
** invest_demo.c: demonstration data whose report gives the article's
** figures) in one transaction with one audit event. Needs at least one
** investment officer. Returns 0, or -1 with *e. */
typedef struct InvestDemoReport {
  int64_t activities, projects, funds;
} InvestDemoReport;
int invest_demo_load(Store *s, InvestDemoReport *rep, Err *e);

#endif
