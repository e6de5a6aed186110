/*
** schedule.c — periodic work (see schedule.h). All SQL on schedule_run
** lives here.
*/
#include "schedule.h"

#include "../base/jsonx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const ScheduleJob *aJob[SCHEDULE_MAX];
static int64_t aNext[SCHEDULE_MAX]; /* when to ask about job i again (this process) */
static int nJob;

void schedule_add(const ScheduleJob *job) {
  if (nJob == SCHEDULE_MAX) panic("schedule_add: more than %d jobs", SCHEDULE_MAX);
  for (int i = 0; i < nJob; i++)
    if (strcmp(aJob[i]->name, job->name) == 0) panic("schedule_add: %s registered twice", job->name);
  if (job->period_ms <= 0 || !job->run) panic("schedule_add: %s has no period or no function", job->name);
  aJob[nJob++] = job;
}

/* A claim: job's run at now, and what the table said. */
typedef struct Claim {
  const ScheduleJob *job;
  int64_t now;
  bool won;        /* this server runs it */
  int64_t next_at; /* when the job is next due */
} Claim;

static int claim_job(Db *db, void *arg, Err *e) {
  Claim *c = arg;
  if (db_run(db, e, "INSERT INTO schedule_run(name, next_at) VALUES (?, 0) ON CONFLICT (name) DO NOTHING",
             "t", c->job->name) < 0)
    return -1;
  int64_t n = db_run(db, e,
                     "UPDATE schedule_run SET next_at = ?, last_started_at = ?, runs = runs + 1"
                     " WHERE name = ? AND next_at <= ?",
                     "iiti", c->now + c->job->period_ms, c->now, c->job->name, c->now);
  if (n < 0) return -1;
  c->won = n == 1;
  c->next_at = c->now + c->job->period_ms;
  if (c->won) return 0;
  Stmt *st = db_prepare(db, "SELECT next_at FROM schedule_run WHERE name = ?", e);
  if (!st) return -1;
  stmt_bind_text(st, 1, c->job->name);
  int rc = stmt_step(st, e);
  if (rc == 1) c->next_at = stmt_int(st, 0);
  stmt_done(st);
  return rc < 0 ? -1 : 0;
}

/* A run's record. */
typedef struct Done {
  const char *name;
  int64_t at;
  const char *report; /* JSON text or NULL */
  const char *error;  /* "" when it succeeded */
} Done;

static int done_job(Db *db, void *arg, Err *e) {
  Done *d = arg;
  return db_run(db, e, "UPDATE schedule_run SET last_finished_at = ?, last_report = ?, last_error = ? WHERE name = ?",
                "ittt", d->at, d->report, d->error, d->name) < 0 ? -1 : 0;
}

int schedule_tick(Store *s, int64_t now) {
  int ran = 0;
  for (int i = 0; i < nJob; i++) {
    if (now < aNext[i]) continue;
    Err e = {0};
    Claim c = {.job = aJob[i], .now = now};
    if (store_write(s, claim_job, &c, &e)) {
      log_warn("schedule: %s: cannot claim its run: %s %s", aJob[i]->name, e.code, e.message_en);
      continue; /* asked again at the next tick */
    }
    aNext[i] = c.next_at;
    if (!c.won) continue;
    json_t *report = NULL;
    int rc = aJob[i]->run(s, now, &report, &e);
    char *text = report ? json_dumps(report, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    char error[512] = "";
    if (rc) {
      snprintf(error, sizeof error, "%s: %s", e.code, e.message_en);
      log_warn("schedule: %s failed: %s", aJob[i]->name, error);
    }
    Done d = {aJob[i]->name, now_ms(), text, error};
    Err e2 = {0};
    if (store_write(s, done_job, &d, &e2))
      log_warn("schedule: %s: cannot record its run: %s %s", aJob[i]->name, e2.code, e2.message_en);
    free(text);
    json_decref(report);
    ran++;
  }
  return ran;
}

json_t *schedule_list(Store *s, Err *e) {
  Stmt *st = db_prepare(store_reader(s), "SELECT next_at, last_started_at, last_finished_at, last_report, last_error, runs"
                                         " FROM schedule_run WHERE name = ?", e);
  if (!st) return NULL;
  json_t *a = json_array();
  for (int i = 0; i < nJob; i++) {
    const ScheduleJob *j = aJob[i];
    json_t *o = json_pack("{s:s,s:s,s:I}", "name", j->name, "label", j->label, "period_s", (json_int_t)(j->period_ms / 1000));
    stmt_bind_text(st, 1, j->name);
    int rc = stmt_step(st, e);
    if (rc == 1) {
      const char *rep = stmt_text(st, 3), *err = stmt_text(st, 4);
      json_object_set_new(o, "next_at", jsonx_time(stmt_int(st, 0)));
      json_object_set_new(o, "last_started_at", jsonx_time(stmt_int(st, 1)));
      json_object_set_new(o, "last_finished_at", jsonx_time(stmt_int(st, 2)));
      json_t *report = rep ? json_loads(rep, 0, NULL) : NULL;
      json_object_set_new(o, "last_report", report ? report : json_null());
      json_object_set_new(o, "last_error", err && *err ? json_string(err) : json_null());
      json_object_set_new(o, "runs", json_integer(stmt_int(st, 5)));
    } else {
      json_object_set_new(o, "runs", json_integer(0)); /* never claimed on this database */
    }
    stmt_done(st);
    json_array_append_new(a, o);
    if (rc < 0) {
      json_decref(a);
      return NULL;
    }
  }
  return a;
}
