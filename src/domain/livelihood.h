/*
** livelihood.h — 惠民实事 (issue 17): the district's yearly list of
** livelihood projects. A project has a year, a code (YEAR-NN), a title, a
** category (教育 安居 就业 数字生活 医疗 环境 乡村 交通 文体 养老 民生保障),
** a lead department, a budget (exact money in fen, money.h), a target as an
** exact decimal with its unit (2.1 万人次), milestones with planned and
** actual days, a progress percent with evidence (uploads, docs.h), the lead
** department's monthly reports, and citizens' ratings and comments.
**
** Status, computed whenever a project is read (never stored), as of today
** in Asia/Shanghai (livelihood_status()):
**   behind   — a milestone not reached whose planned day is before today
**              (planned today is not yet late); the reason names the most
**              overdue one and its days late, and how many are late;
**   done     — progress is 100% and every milestone is reached;
**   on_track — anything else (a milestone reached late is late no more:
**              the milestone shows its days late, the status does not).
**
** Who:
**   - reads: every logged-in official, leader, auditor and administrator
**     reads every project; an applicant reads the published ones; the
**     public page (livelihood_public(), no login) shows the published ones
**     with their approved comments, each commenter's name masked.
**   - the list itself (create, and edit title, category, department,
**     budget, target, description, published): administrators and the
**     officials of the coordinating office (parameter livelihood/coord_dept,
**     发改局 by default) for any department; the lead department's officials
**     (clerk, approver, policy, investment officer of that department) for
**     their own department's projects (they may not hand one to another
**     department).
**   - milestones, progress, monthly reports and moderation: the lead
**     department's officials and administrators. Another department's
**     official is refused 403 livelihood.forbidden.
**   - a rating with a comment: a logged-in applicant, once per project,
**     on a published project; it is public only once the lead department
**     approved it (a rejection keeps its reason, shown to its author).
** Every write is one store_write() job with its audit event.
*/
#ifndef XINQU_LIVELIHOOD_H
#define XINQU_LIVELIHOOD_H

#include <jansson.h>
#include "../base/base.h"
#include "../store/store.h"
#include "accounts.h"

/* ---- the status rule (pure) ----------------------------------------------- */

typedef enum eLvStatus { LV_ON_TRACK = 0, LV_BEHIND = 1, LV_DONE = 2 } eLvStatus;

/* A milestone as the rule sees it: day numbers (cal.h); reached is
** CAL_NO_DAY while not reached. */
typedef struct LvMilestone {
  const char *title;
  int planned;
  int reached;
} LvMilestone;

/* Why the status is what it is. */
typedef struct LvWhy {
  int late;          /* milestones not reached and past their planned day */
  int worst;         /* index of the most overdue of them (-1: none) */
  int days_late;     /* its days late (today - planned) */
  int open;          /* milestones not yet reached */
  int next;          /* index of the next one due (earliest planned of the open ones not late; -1) */
} LvWhy;

/* livelihood_status() applies the rule above to the n milestones a, the
** progress percent and today (a day number). why may be NULL. */
eLvStatus livelihood_status(const LvMilestone *a, int n, int progress, int today, LvWhy *why);
/* livelihood_status_name() is "on_track", "behind" or "done". */
const char *livelihood_status_name(eLvStatus s);

/* The categories (code → 中文). */
extern const char *const livelihood_categories[];

/* ---- projects -------------------------------------------------------------- */

/* LvQuery filters livelihood_list(): NULL or "" members match all. */
typedef struct LvQuery {
  int year;
  const char *category; /* 教育 … */
  const char *dept;     /* department code */
  const char *status;   /* on_track | behind | done */
} LvQuery;

/* livelihood_list() is {year, items: [project summary: code, title,
** category, dept {code, name}, budget, target, progress, published, demo,
** status, status_reason, milestones: [..]], counts {on_track, behind, done},
** may_create} of the projects actor may see (new object), or NULL with *e
** (livelihood.bad_status). */
json_t *livelihood_list(Store *s, const User *actor, const LvQuery *q, Err *e);

/* livelihood_get() is project code with its milestones, progress history,
** reports, evidence and comments (every one for who may moderate, the
** approved ones and one's own otherwise), and what actor may do
** (may_edit, may_manage), or NULL with livelihood.not_found. */
json_t *livelihood_get(Store *s, const User *actor, const char *code, Err *e);

/* livelihood_create() records a project from in: {year, title, category,
** dept (code; the actor's own by default), budget ("1,234.56" yuan),
** target_value ("2.1"), target_unit ("万人次"), description?, published?,
** milestones?: [{title, planned_on}]}; the code is YEAR-NN, the next of
** the year. Returns the project (as livelihood_get()) or NULL with *e. */
json_t *livelihood_create(Store *s, const User *actor, const json_t *in, Err *e);

/* livelihood_edit() changes the members of in that are given (those of
** livelihood_create() but year and milestones). */
json_t *livelihood_edit(Store *s, const User *actor, const char *code, const json_t *in, Err *e);

/* livelihood_milestone_add() adds {title, planned_on} to project code. */
json_t *livelihood_milestone_add(Store *s, const User *actor, const char *code, const json_t *in, Err *e);

/* livelihood_milestone_reach() records milestone id of project code reached
** from in: {reached_on (not after today), note?, evidence?: [sha256…]
** (the actor's uploads)}. Once (livelihood.already_reached). */
json_t *livelihood_milestone_reach(Store *s, const User *actor, const char *code, int64_t id, const json_t *in,
                                   Err *e);

/* livelihood_progress_add() records {percent (0–100), note?, evidence?}
** as of today: the project's progress becomes percent. */
json_t *livelihood_progress_add(Store *s, const User *actor, const char *code, const json_t *in, Err *e);

/* livelihood_report_add() records the monthly report {month (YYYY-MM, not
** after this month), body, percent, evidence?}; one a month
** (livelihood.report_exists); its percent becomes the project's progress. */
json_t *livelihood_report_add(Store *s, const User *actor, const char *code, const json_t *in, Err *e);

/* livelihood_behind() is {items: [summary]} of the behind projects of the
** actor's department (every department's for leaders, auditors,
** administrators and the coordinating office), most overdue first. */
json_t *livelihood_behind(Store *s, const User *actor, Err *e);

/* livelihood_summary() is the year's figures for a board: {year, today,
** total, counts {on_track, behind, done}, progress (the mean percent, one
** decimal, exact: "87.5"), budget_fen, by_dept: [{dept {code, name}, total,
** on_track, behind, done, progress}], by_category: [same with category],
** projects_behind: [{code, title, dept, status_reason}] most overdue first} over the
** projects actor may see (new object), or NULL with *e. */
json_t *livelihood_summary(Store *s, const User *actor, int year, Err *e);

/* livelihood_comment_add() records an applicant's {rating 1–5, body?} on
** published project code, pending moderation. */
json_t *livelihood_comment_add(Store *s, const User *actor, const char *code, const json_t *in, Err *e);

/* livelihood_comments() is {items} of the comments in state (default
** pending) on the projects actor may moderate (its department's; all for
** administrators), with the commenter's display name. */
json_t *livelihood_comments(Store *s, const User *actor, const char *state, Err *e);

/* livelihood_moderate() decides comment id from in: {decision: approve |
** reject, reason (required to reject)}; only a pending comment
** (livelihood.already_moderated). */
json_t *livelihood_moderate(Store *s, const User *actor, int64_t id, const json_t *in, Err *e);

/* livelihood_public() is the public page's data for year: {year, items:
** [published projects: code, title, category, dept, target, budget,
** progress, status, status_reason, milestones (title, planned_on,
** reached_on), rating {count, average as "4.5"}, comments: [{name
** (masked), rating, body, at}]]} (new object). Nothing unpublished, no
** comment not approved, no identity beyond a masked name. */
json_t *livelihood_public(Store *s, int year, Err *e);

/* livelihood_may_read_blob() is true when u may read blob sha256 as the
** evidence of a project u may see. */
bool livelihood_may_read_blob(Db *db, const User *u, const char *sha256);

/* livelihood_demo_load() makes the Jinpu demo's lists (演示数据): the 50
** 惠民实事 of 2021 (the article's among them), all done, and a list of 2022
** in progress whose late milestones make some projects behind. Writes
** nothing when projects of 2021 exist already. *n is the projects made. */
int livelihood_demo_load(Store *s, int64_t *n, Err *e);

#endif
