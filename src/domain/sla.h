/*
** sla.h — the SLA clock (办理时限) that any record embeds: a limit in
** working days or working hours on the working-day calendar, started,
** paused (补正, 挂起, special procedures) and resumed, stopped by a decision,
** with a warning point before it runs out. This module is the arithmetic
** and the calendar each thread reads; the record's module decides when its
** clock starts, pauses and stops (a case: cases.c's moves[]).
**
** All instants are ms since the epoch; working time is counted by
** base/cal.h on the calendar in the database.
*/
#ifndef XINQU_SLA_H
#define XINQU_SLA_H

#include <jansson.h>
#include "../base/base.h"
#include "../base/cal.h"
#include "../store/store.h"
#include "catalog.h"

typedef struct SlaClock {
  int64_t limit_ms;    /* the working time the limit gives */
  int64_t started_at;  /* 0: not started (or no limit) */
  int64_t deadline_at; /* when the limit runs out (moved on by each pause) */
  int64_t warn_at;     /* when the warning point passes */
  int64_t paused_at;   /* 0: not paused */
} SlaClock;

/* sla_calendar() is the calendar the calling thread last loaded from the
** database, loaded again when it is a minute old, so an administrator's
** new holiday notice takes effect within a minute on every server. It
** belongs to the thread (freed when the thread ends): never free it, never
** hand it to another thread. NULL with *e when it cannot be read. */
const Cal *sla_calendar(Store *s, Err *e);

/* sla_deadline() is the deadline of a limit of n units started at start:
** n working days (the start day not counted) end when the n-th working
** day's last session ends; n working hours end after n hours of working
** time. *limit_ms (if not NULL) gets the working time from start to that
** deadline. n == 0 gives start itself. */
int64_t sla_deadline(const Cal *c, int64_t start, int n, eLimitUnit unit, int64_t *limit_ms);

/* sla_remaining() is the working time left from now to deadline, negative
** when overdue (minus the working time since the deadline). */
int64_t sla_remaining(const Cal *c, int64_t now, int64_t deadline);

/* sla_start() starts a limit of n units at now, with its warning point when
** warn_left_pct percent of the limit is left. Does nothing for n <= 0 or a
** clock already started. */
void sla_start(SlaClock *k, const Cal *c, int64_t now, int n, eLimitUnit unit, int warn_left_pct);

/* sla_pause() stops the clock's time at now (a started clock not paused). */
void sla_pause(SlaClock *k, int64_t now);

/* sla_resume() moves the deadline and the warning point on by the working
** time the pause took, and runs the clock again. */
void sla_resume(SlaClock *k, const Cal *c, int64_t now, int warn_left_pct);

/* sla_on_time() is whether a clock stopped at now (its time stopped at the
** pause, if paused) kept its limit: 1 or 0, -1 for a clock never started. */
int sla_on_time(const SlaClock *k, int64_t now);

/* sla_json() describes the clock at now for people (new object): running,
** paused, started_at, deadline_at, limit_ms, remaining_ms (negative when
** overdue), overdue, warning and remaining_text in Chinese. stopped_at is
** when a decision stopped it (0: not stopped); on_time -1 when unknown. A
** case decided with no clock (即办) is {running: false, paused: false,
** at_once: true}: 当场办结, not a clock never started. */
json_t *sla_json(const SlaClock *k, const Cal *c, int64_t now, int64_t stopped_at, int on_time);

#endif
