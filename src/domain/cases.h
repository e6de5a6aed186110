/*
** cases.h — the case engine (办件): filing, the case's workflow (workflow.h)
** with who may take each move, 容缺受理, 补正, 即来即办, 秒批秒办 (rules.h),
** 告知承诺, the case's SLA clock (sla.h), ratings (好差评), what a task's
** result does to a case (task.h), the deadline scan (a scheduled job,
** schedule.h), and the calls bundle.h and parcel.h file and issue through.
** Notifications are notify.h's, parties and agencies the registry's,
** numbering and notice wording parameters (params.h).
**
** Every change is one store_write() job: it re-reads the case inside the
** writer, checks the move against the workflow, writes the case (a
** compare-and-set on its version), its timeline event, its notice, the
** applicant's notification and the audit event, all in one transaction.
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
#include "workflow.h"

/* ---- Filing and moves ---------------------------------------------------- */

/* cases_create() files a case from an API object:
**   {item, party?, channel ("online"|"window"|"kiosk"), form{}, materials{key: sha256},
**    contact? {name, phone, delivery ("window"|"mail"|"electronic"), address},
**    commitment? (告知承诺 signed), rongque_promise? (容缺承诺书 signed), submit?}
** as actor (an applicant for its own party or one it is an agent of; a clerk
** at the window for any party). Without submit it is a draft, its form and
** contact checked as far as they are filled. With submit true it is
** submitted at once (and 秒批 or 告知承诺 decide in the same request), its
** form checked whole, the contact's address required for mail
** (case.address_required), every core material present; when e->all is set
** (base.h) every such error goes there, the first in *e. A phone that is no
** mainland mobile or fixed line is request.bad_phone (field contact.phone).
** Returns the case as a new object (with its contact), or NULL with *e. */
json_t *cases_create(Store *s, const User *actor, const json_t *in, Err *e);

/* cases_update() changes draft no with an API object {form?, materials?
** (the uploads {key: sha256} the draft has now; what the registry supplies
** stays), contact?, rongque_promise?, version?}, checked as a draft's at
** filing (every error in e->all when set), as actor: one who may file for
** the case's party (an applicant for its party or as its agent; a clerk or
** admin for a draft filed at the window). One write with its timeline step
** "update" and audit event case.update. Refusals: case.not_found (also
** when actor may not see it), case.forbidden, case.not_draft (409),
** case.conflict (version given and stale), request.empty. Returns the case
** (new object), or NULL with *e. Submitting it is the move "submit", which
** checks it as a filing that submits at once. */
json_t *cases_update(Store *s, const User *actor, const char *no, const json_t *in, Err *e);

/* cases_last_contact() is the contact of the last case actor filed (for
** party, when not NULL or ""), to fill the next form with:
** {contact: {…} | null, case_no}. NULL with *e on a read failure. */
json_t *cases_last_contact(Store *s, const User *actor, const char *party, Err *e);

/* cases_act() takes the move action on case no, with its arguments args (an
** object; may be NULL), as actor. Refusals: case.not_found (also when actor
** may not see the case), case.bad_state (with the state and the moves it
** allows), case.forbidden (the role may not take this move), and each move's
** own checks. Returns the case as a new object, or NULL with *e. */
json_t *cases_act(Store *s, const User *actor, const char *no, const char *action,
                  const json_t *args, Err *e);

/* cases_workflow is the case's states and moves as data (workflow.h). */
extern const Workflow cases_workflow;

/* cases_machine() describes the states and moves, with who may take each
** (new object {states, moves}). */
json_t *cases_machine(void);

/* cases_get() is the case with its materials, timeline, notices, SLA and
** the moves actor may take now (new object), or NULL with case.not_found. */
json_t *cases_get(Store *s, const User *actor, const char *no, Err *e);

/* cases_may_read_certificate() is true when u may read certificate code's
** document: who may see the case that issued it (its party and agents with
** a live grant, the department's officials, those who oversee every
** department), and the holder and its agents (the company a 企业开办 just
** founded). A certificate issued by no case: its holder and overseers. */
bool cases_may_read_certificate(Db *db, const User *u, const char *code);

/* cases_may_read_blob() is true when u may read uploaded blob sha256: a
** recorded reader (its uploader) or one who may see a case holding it. */
bool cases_may_read_blob(Db *db, const User *u, const char *sha256);

/* cases_revoke_certificate() revokes certificate code through its case:
** the case's move "revoke" with args ({reason, false_promise?}), so the
** notice, timeline, message and credit effect follow, within actor's
** scope (cert.other_department otherwise; cert.no_case for a certificate no
** case issued). A certificate already revoked changes nothing. Returns the
** case's view (an empty object when nothing changed), or NULL with *e. */
json_t *cases_revoke_certificate(Store *s, const User *actor, const char *code, const json_t *args, Err *e);

/* What a list of cases is filtered by; NULL or "" for no filter. */
typedef struct CaseQuery {
  const char *queue;  /* to_accept, to_review, due_soon, overdue, postcheck, rongque, correction */
  const char *state;  /* a state's name */
  const char *item;   /* an item code */
  const char *q;      /* a case number or an applicant's code (exactly), or part of the applicant's name */
  const char *party;  /* exactly this applicant's code (统一社会信用代码 or 身份证号, letters in either case) */
  const char *from, *to; /* submitted on or after / on or before these days (YYYY-MM-DD) */
  int page, per_page;
} CaseQuery;

/* cases_list() pages through the cases actor may see: applicants their
** parties' cases; officials their department's (all for a central
** department and for leaders, auditors, admins), filtered by q.
** Returns {items, total, page, per_page}; a bundle's child carries bundle:
** {id, kind, label, done, total, and for a bundle with a clock deadline_at,
** remaining_ms, overdue, on_time once every child is done}, as
** bundle_get() tells them. request.bad_param for a filter that cannot be
** one (q or party over 50 characters or not UTF-8, an unknown queue or
** state, a date that is not YYYY-MM-DD). */
json_t *cases_list(Store *s, const User *actor, const CaseQuery *q, Err *e);

/* One listed case as an export writes it (cases_each()): text that lives
** until the callback returns. */
typedef struct CaseRow {
  const char *no, *item_code, *item_name, *dept_name;
  const char *party, *party_type, *party_name; /* party_type: entity | person */
  const char *state_label;                     /* the state in Chinese */
  const char *channel;                         /* online | window | kiosk */
  int64_t submitted_at, accepted_at, decided_at, deadline_at; /* 0: not yet */
  int promised;                                /* the item's promised limit … */
  const char *limit_unit;                      /* … in workdays | workhours */
  bool overdue;                                /* past its deadline, or decided late */
  int64_t bundle_id;                           /* its 一件事, 0 for none */
  const char *bundle_label;                    /* that bundle's kind, e.g. 企业开办 */
} CaseRow;
typedef int (*CaseRowFn)(const CaseRow *row, void *arg, Err *e);

/* cases_each() calls fn for every case of cases_list()'s filters and scope
** (page and per_page unused), newest first, and sets *total to how many
** match. More than max match: export.too_many, and fn is never called (an
** export is whole or refused, never silently cut). fn returns 0 to go on or
** -1 with *e to stop. Returns 0, or -1 with *e (request.bad_param too). */
int cases_each(Store *s, const User *actor, const CaseQuery *q, int64_t max, CaseRowFn fn, void *arg,
               int64_t *total, Err *e);

/* cases_queues() counts each queue for actor's department (new object). */
json_t *cases_queues(Store *s, const User *actor, Err *e);

/* cases_notice_data() finds notice id of case no (visible to actor) and
** returns its data (new object) for docs_notice_pdf(), or NULL. */
json_t *cases_notice_data(Store *s, const User *actor, const char *no, int64_t id, Err *e);

/* cases_rate() records the applicant's 好差评 of a closed case: score 1–5 and
** a comment; 1–2 opens a 整改 task for the department due in 5 working days. */
json_t *cases_rate(Store *s, const User *actor, const char *no, int score, const char *comment,
                   Err *e);

/* ---- Tasks ------------------------------------------------------------- */

/* CaseItemHooks: what another domain does with the cases of the catalogue
** items it owns (talent applications: talent_apply.c), registered with
** cases_item_hooks_add() before serving, as task_subject_add() is; the
** engine asks each in turn and knows no domain by name. */
typedef struct CaseItemHooks {
  const char *name;
  /* reviewer() reads from a filing's form the party (USCC) that must
  ** confirm it before intake into party: "" when item is not this domain's
  ** or needs none. 0, or -1 with *e (a bad party: field "form.FIELD"). The
  ** party confirms through the workflow's reviewer moves; a correction may
  ** not name another (case.reviewer_changed, field "form." reviewer_field). */
  int (*reviewer)(Db *db, const char *item, const json_t *form, char party[40], Err *e);
  const char *reviewer_field;
  /* approve() does, inside the approval's write, what approving a case of
  ** item decides in this domain (party the applicant; filed the filing
  ** day; decision the move body's "decision" object, or NULL): 1 done, with
  ** *note what the timeline records of it (new, or NULL); 0 not this
  ** domain's item; -1 with *e, which refuses the approval. */
  int (*approve)(Db *db, const User *actor, int64_t now, const char *item, int64_t case_id, const char *party,
                 const char *filed, const json_t *decision, json_t **note, Err *e);
  /* view() adds to the case as shown (o) what this domain holds of it. */
  void (*view)(Db *db, int64_t case_id, json_t *o);
  /* committee() checks the decision (the move body's "decision", or NULL)
  ** a committee (the special procedure "committee", 一事一议) records at its
  ** end on a case of item, which approve() then decides with: 1 checked, 0
  ** not this domain's item or not one it decides by a committee (a
  ** decision given is refused), -1 with *e (none or a bad one). */
  int (*committee)(Db *db, const char *item, const json_t *decision, Err *e);
} CaseItemHooks;

/* cases_item_hooks_add() registers h (static storage); panics on too many
** or one registered twice. Call before serving, from one thread. */
void cases_item_hooks_add(const CaseItemHooks *h);

/* cases_task_subject says what completing a task on a case does (task.h). */
extern const TaskSubject cases_task_subject;

/* ---- Cases filed by other modules (bundle.h, parcel.h) --------------------- */

/* A filing checked and ready to be written (opaque). */
typedef struct CaseFiling CaseFiling;

/* cases_filing_prepare() checks filing in (as for cases_create(), with
** submit) outside the writer: the item, channel, party, permission and the
** 秒批 rule's verdict. Of in's materials it takes those its item asks for
** (one form serves several items). in must stay unchanged until freed (a
** reference is held). helping: actor is an investment officer filing as
** 帮办 for in's party, which the caller established (bundle.h); it files
** online, and the case is then its party's, with the helper taking the
** applicant's moves on it while bundle_helps() says so. Returns a new
** filing, or NULL with *e. */
CaseFiling *cases_filing_prepare(Store *s, const User *actor, json_t *in, bool helping, Err *e);
const Item *cases_filing_item(const CaseFiling *f);
/* cases_filing_party() is the applicant's code (and its name in *name). */
const char *cases_filing_party(const CaseFiling *f, const char **name);
/* cases_filing_calendar() is the calendar and instant (*now) it was checked on. */
const Cal *cases_filing_calendar(const CaseFiling *f, int64_t *now);
/* cases_filing_write() writes f's case inside a write job, as a child of
** bundle_id (0: none) waiting for parcel's land contract (NULL: none). */
int cases_filing_write(Db *db, CaseFiling *f, int64_t bundle_id, const char *parcel, Err *e);
void cases_filing_free(CaseFiling *f);


/* cases_registrar() is true when u registers and changes market entities:
** an admin, or a clerk or approver of a central department or of one whose
** items act on the registry (registry_effect: the registration authority). */
bool cases_registrar(Db *db, const User *u);
/* cases_check_registration() checks, before any department works on it,
** that the entity a filing's form describes could be registered; -1 with
** *e (its field prefixed "form."). */
int cases_check_registration(const json_t *form, Err *e);


typedef struct BundleTally {
  int n, done, failed;         /* children; issued or closed; ended without a result */
  int64_t last_issued_at;      /* the last child's issue, 0 for none */
  bool official_sees;          /* the official actor may see one of them */
  bool official_handles;       /* … and is a clerk or approver of one's department */
} BundleTally;

/* cases_of_bundle() is the rows of bundle_id's children (new array, in
** filing order) with their tally in *t, or NULL with *e. */
json_t *cases_of_bundle(Db *db, const User *actor, const Cal *cal, int64_t bundle_id, int64_t now,
                        BundleTally *t, Err *e);

/* cases_parcel_issue() issues, inside a write job, every pre-approved case
** waiting for parcel's land contract contract_no (already recorded with its
** holder); *issued says how many. Refused whole (-1) when a case's
** applicant is not the holder (parcel.holder_mismatch) or an approver
** actor is not of a case's department (parcel.other_department). */
int cases_parcel_issue(Db *db, const User *actor, const char *parcel, const char *contract_no, int64_t now,
                       int *issued, Err *e);

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

/* cases_overdue() pages through the open overdue cases of department code
** dept (actor's own when NULL; another only for who oversees every
** department), most overdue first: {items, total, page, per_page}. */
json_t *cases_overdue(Store *s, const User *actor, const char *dept, int page, int per_page, Err *e);

/* cases_stats() is on-time, online and zero-visit rates and ratings per
** department (by "dept") or per item (by "item"). */
json_t *cases_stats(Store *s, const char *by, Err *e);

#endif
