/*
** cases.h — the case engine (办件): filing, the state machine with who may
** take each step, 容缺受理, 补正, 即来即办, 秒批秒办 (rules.h), 告知承诺, the SLA
** clock on the working-day calendar, agents (代办), ratings (好差评), tasks
** (核查, 事后抽查, 整改), notifications (an outbox), bundles (一件事: 企业开办
** and 零时限审批) and the overdue scan.
**
** Every change is one store_write() job: it re-reads the case inside the
** writer, checks the move against the state machine, writes the case, its
** timeline event, its notice, the applicant's notification and the audit
** event, all in one transaction.
**
** Cases are named by their number ("JP20261129000123"). All times are ms
** since the epoch; working time is counted by base/cal.h on the calendar in
** the database.
*/
#ifndef XINQU_CASES_H
#define XINQU_CASES_H

#include <jansson.h>
#include "../base/base.h"
#include "../base/cal.h"
#include "../store/store.h"
#include "accounts.h"
#include "catalog.h"
#include "schedule.h"
#include "sla.h"
#include "task.h"

/* ---- Filing and moves ---------------------------------------------------- */

/* cases_create() files a case from an API object:
**   {item, party?, channel ("online"|"window"|"kiosk"), form{}, materials{key: sha256},
**    commitment? (告知承诺 signed), rongque_promise? (容缺承诺书 signed), submit?}
** as actor (an applicant for its own party or one it is an agent of; a clerk
** at the window for any party). With submit true it is submitted at once
** (and 秒批 or 告知承诺 decide in the same request). Returns the case as a
** new object, or NULL with *e. */
json_t *cases_create(Store *s, const User *actor, const json_t *in, Err *e);

/* cases_act() takes the move action on case no, with its arguments args (an
** object; may be NULL), as actor. Refusals: case.not_found (also when actor
** may not see the case), case.bad_state (with the state and the moves it
** allows), case.forbidden (the role may not take this move), and each move's
** own checks. Returns the case as a new object, or NULL with *e. */
json_t *cases_act(Store *s, const User *actor, const char *no, const char *action,
                  const json_t *args, Err *e);

/* cases_machine() describes the states and moves, with who may take each
** (new object {states, moves}). */
json_t *cases_machine(void);

/* cases_get() is the case with its materials, timeline, notices, SLA and
** the moves actor may take now (new object), or NULL with case.not_found. */
json_t *cases_get(Store *s, const User *actor, const char *no, Err *e);

/* cases_list() pages through the cases actor may see: applicants their
** parties' cases; officials their department's (all for a central
** department and for leaders, auditors, admins). queue is NULL or one of
** to_accept, to_review, due_soon, overdue, postcheck, rongque, correction.
** Returns {items, total, page, per_page}. */
json_t *cases_list(Store *s, const User *actor, const char *queue, const char *state,
                   const char *item, int page, int per_page, Err *e);

/* cases_queues() counts each queue for actor's department (new object). */
json_t *cases_queues(Store *s, const User *actor, Err *e);

/* cases_notice_data() finds notice id of case no (visible to actor) and
** returns its data (new object) for docs_notice_pdf(), or NULL. */
json_t *cases_notice_data(Store *s, const User *actor, const char *no, int64_t id, Err *e);

/* cases_rate() records the applicant's 好差评 of a closed case: score 1–5 and
** a comment; 1–2 opens a 整改 task for the department due in 5 working days. */
json_t *cases_rate(Store *s, const User *actor, const char *no, int score, const char *comment,
                   Err *e);

/* ---- Agents and tasks ------------------------------------------------ */

/* cases_agent_grant() lets the applicant account agent act for actor's party. */
json_t *cases_agent_grant(Store *s, const User *actor, const char *agent, Err *e);
int cases_agent_revoke(Store *s, const User *actor, int64_t id, Err *e);
json_t *cases_agent_list(Store *s, const User *actor, Err *e);

/* cases_task_subject says what completing a task on a case does (task.h). */
extern const TaskSubject cases_task_subject;

/* ---- Bundles ------------------------------------------------------------- */

/* cases_bundle_kinds() lists the bundle kinds (一件事): [{kind, label,
** half_days, parcel, items: [item codes]}]. cases_bundle_kind_save() creates
** or replaces kind from {label, half_days (the one clock, in half working
** days; 0 = none), parcel (children wait for a land contract), items (1–8
** catalogue item codes)}, with its audit event; returns the saved kind. */
json_t *cases_bundle_kinds(Store *s, Err *e);
json_t *cases_bundle_kind_save(Store *s, const User *actor, const char *kind, const json_t *in, Err *e);

/* cases_bundle_create() files a bundle (一件事) from
**   {kind, form: {…; for a kind with a business licence: name, kind, legal_rep,
**    capital_fen, industry, address, district}, materials{}, channel?, parcel?}
** (parcel: for a kind whose children wait for a land contract), fanning out
** one submitted child case per item of the kind under one clock. Returns
** the bundle view. */
json_t *cases_bundle_create(Store *s, const User *actor, const json_t *in, Err *e);
/* cases_bundle_get() is one view over the children: status, remaining time,
** and the new entity's USCC once the business licence has issued. */
json_t *cases_bundle_get(Store *s, const User *actor, int64_t id, Err *e);

/* cases_parcel_create() records a land parcel for 零时限审批 pre-review;
** cases_parcel_contract() records its land contract and, in the same
** transaction, issues every pre-approved permit of the parcel. */
json_t *cases_parcel_create(Store *s, const User *actor, const json_t *in, Err *e);
json_t *cases_parcel_contract(Store *s, const User *actor, const char *code, const char *contract_no,
                              const char *holder, Err *e);
json_t *cases_parcel_get(Store *s, const char *code, Err *e);

/* ---- Scan and statistics ------------------------------------------------- */

typedef struct ScanReport {
  int64_t warned;   /* cases newly past their warning point */
  int64_t overdue;  /* cases newly past their deadline */
  int64_t lapsed;   /* 容缺 cases ended for a missed supplement deadline */
} ScanReport;

/* cases_scan() runs the deadline scan at instant now: ends 容缺 cases whose
** supplement deadline passed with materials missing, recording the broken
** promise, then marks newly warned and overdue open cases and notifies
** their departments (one message each). Each case is re-checked inside the
** write that changes it, so scans run by several servers at once change
** each case and tell each department once. Lapsed cases are ended in
** transactions of a few hundred, so a backlog never holds the writer long;
** each transaction carries its audit event. */
int cases_scan(Store *s, int64_t now, ScanReport *rep, Err *e);

/* cases_scan_job runs cases_scan() once a minute (schedule.h). */
extern const ScheduleJob cases_scan_job;

/* cases_overdue() lists open overdue cases (of dept code, or actor's). */
json_t *cases_overdue(Store *s, const User *actor, const char *dept, Err *e);

/* cases_stats() is on-time, online and zero-visit rates and ratings per
** department (by "dept") or per item (by "item"). */
json_t *cases_stats(Store *s, const char *by, Err *e);

#endif
