/*
** history.h — a year of demo cases (办件) made by the case engine itself, so
** a demo database has queues, tasks, overdue cases and statistics that are
** true: every filing is cases_create(), every step cases_act(), every
** rating cases_rate(), every task done task_complete(), and the deadline
** scan cases_scan() runs at the end of each simulated day.
**
** The history is simulated in time order: each case has a plan drawn from
** a seeded generator (its item, applicant, channel, materials, and its fate:
** accepted, 容缺 with the missing material supplied or lapsed, 补正,
** refused, withdrawn, decided on time or late, denied, 告知承诺, 秒批,
** closed, rated), and the engine runs every step with its clock pinned
** (clock_pin()) to the instant the plan gives it. Steps that would fall
** after the end of the history are not taken, so the cases filed last are
** still open: waiting for intake, under review, due soon or overdue.
**
** Deterministic in what it asks the engine to do: the same seed, count and
** end instant give the same filings and moves. The engine's own draws (the
** share of 秒批 cases sampled for a post-check) are its own.
*/
#ifndef XINQU_HISTORY_H
#define XINQU_HISTORY_H

#include "../base/base.h"
#include "../store/store.h"

/* Who the demo cases are filed for: the registry's parties a clerk files
** for at the window (borrowed; USCCs of active entities, ID numbers). */
typedef struct HistoryParties {
  const char *const *aEntity;
  int nEntity;
  const char *const *aPerson;
  int nPerson;
} HistoryParties;

typedef struct HistoryReport {
  int64_t cases;    /* filed */
  int64_t moves;    /* cases_act() calls */
  int64_t ratings;  /* cases_rate() calls */
  int64_t tasks;    /* tasks completed */
  int64_t scans;    /* deadline scans run */
} HistoryReport;

/* history_make() files nCase demo cases over the year before until (ms)
** and takes each through its plan up to until, acting as the demo
** accounts clerk, clerk2, approver, scjg_approver (officials) and ent,
** person (applicants filing online and at the kiosk for their own party);
** the departments' officials must be of a central department (they handle
** every department's cases). Uploads a few small PDFs (docs_blob_put) as
** every filer's materials. Needs the case task subject registered
** (task_subject_add(&cases_task_subject)) and the signing key loaded
** (docs_init()). Pins the clock while it runs and unpins it before it
** returns. Any refusal by the engine is a defect of the plan: the history
** stops there and returns -1 with *e (its message naming the case and
** move). Returns 0 with *rep filled. */
int history_make(Store *s, uint64_t seed, int nCase, int64_t until, const HistoryParties *parties,
                 HistoryReport *rep, Err *e);

#endif
