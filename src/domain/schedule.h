/*
** schedule.h — periodic work (定时任务) that domains register: the deadline
** scan today; instalments, title expiry and grants without applying next.
**
** A job has a name, a period and a function. Of several servers on one
** database only one runs a job in each period: a server claims the run by
** a compare-and-set on the job's row in schedule_run (next_at moves on by
** the period only where it had come due), then runs it, then records what
** it did (its report, or its error) on the same row. A job keeps its own
** writes short (several store_write() of bounded size) and re-checks each
** row inside the write that changes it, so a run that overlaps another (an
** administrator's "run now", or a claim by a server whose clock is ahead)
** changes nothing twice. The job's own writes carry their audit events;
** the claim and the record of the run are the scheduler's bookkeeping.
*/
#ifndef XINQU_SCHEDULE_H
#define XINQU_SCHEDULE_H

#include <jansson.h>
#include "../base/base.h"
#include "../store/store.h"

/* A job's work at instant now: 0 with *report set to a new object saying
** what it did (counts), or -1 with *e. */
typedef int (*ScheduleFn)(Store *s, int64_t now, json_t **report, Err *e);

typedef struct ScheduleJob {
  const char *name;     /* stable, [a-z.]: "sla.scan" */
  const char *label;    /* 中文, for the administrator */
  int64_t period_ms;    /* how often it runs */
  ScheduleFn run;
} ScheduleJob;

enum { SCHEDULE_MAX = 32 }; /* jobs one process registers */

/* schedule_add() registers job (static storage) for schedule_tick(); panics
** on a name registered twice or past SCHEDULE_MAX. Call before the first
** tick, from one thread. */
void schedule_add(const ScheduleJob *job);

/* schedule_tick() runs, one after another, each registered job that has
** come due and that this server claims. A job is asked about at most once
** a period (the next instant is kept in memory between ticks). Failures
** are logged and recorded on the job's row; returns the number of jobs run. */
int schedule_tick(Store *s, int64_t now);

/* schedule_list() is every registered job with its period and the record of
** its last run: [{name, label, period_s, next_at, last_started_at,
** last_finished_at, last_report, last_error, runs}] (new array), or NULL. */
json_t *schedule_list(Store *s, Err *e);

#endif
