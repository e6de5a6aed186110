/*
** sla.c — the SLA clock (see sla.h).
*/
#include "sla.h"
#include "workcal.h"

#include <pthread.h>
#include "../base/jsonx.h"

#include <stdio.h>
#include <stdlib.h>

/* Each thread keeps the calendar it last loaded for a minute, and the one
** before it until the next load, so a calendar a caller took stays good at
** least a minute after a newer one comes (a request that asks twice, across
** a reload, keeps what it had). Both are the value of cal_key, whose
** destructor frees them when the thread ends: no Cal is ever freed under
** another thread. Work that runs longer than a minute keeps its own
** (workcal_load()). */
typedef struct CalPair {
  Cal *now, *before;
} CalPair;
static pthread_key_t cal_key;
static pthread_once_t cal_once = PTHREAD_ONCE_INIT;
static _Thread_local int64_t tl_cal_at;

static void cal_dtor(void *p) {
  CalPair *c = p;
  cal_free(c->now);
  cal_free(c->before);
  free(c);
}

static void cal_make_key(void) {
  if (pthread_key_create(&cal_key, cal_dtor) != 0) panic("pthread_key_create");
}

const Cal *sla_calendar(Store *s, Err *e) {
  int64_t now = mono_ms();
  pthread_once(&cal_once, cal_make_key);
  CalPair *c = pthread_getspecific(cal_key);
  if (c && c->now && now - tl_cal_at < 60000) return c->now;
  Cal *fresh = workcal_load(s, e);
  if (!fresh) return NULL;
  if (!c) {
    c = xcalloc(1, sizeof *c);
    pthread_setspecific(cal_key, c);
  }
  cal_free(c->before);
  c->before = c->now;
  c->now = fresh;
  tl_cal_at = now;
  return fresh;
}

int64_t sla_deadline(const Cal *c, int64_t start, int n, eLimitUnit unit, int64_t *limit_ms) {
  int64_t end = start;
  if (n > 0 && unit == LIMIT_WORKHOURS) {
    end = cal_add_worktime(c, start, (int64_t)n * 3600000);
  } else if (n > 0) {
    int day = cal_add_workdays(c, cal_day_of_ms(start), n, NULL);
    /* The n-th working day ends when its working time is used up. */
    end = cal_add_worktime(c, cal_day_start_ms(day), cal_workday_ms(c));
  }
  if (limit_ms) *limit_ms = cal_worktime_between(c, start, end, NULL, 0);
  return end;
}

int64_t sla_remaining(const Cal *c, int64_t now, int64_t deadline) {
  if (now <= deadline) return cal_worktime_between(c, now, deadline, NULL, 0);
  return -cal_worktime_between(c, deadline, now, NULL, 0);
}

void sla_start(SlaClock *k, const Cal *c, int64_t now, int n, eLimitUnit unit, int warn_left_pct) {
  if (n <= 0 || k->started_at) return;
  k->started_at = now;
  k->deadline_at = sla_deadline(c, now, n, unit, &k->limit_ms);
  k->warn_at = cal_add_worktime(c, now, k->limit_ms - k->limit_ms * warn_left_pct / 100);
}

void sla_pause(SlaClock *k, int64_t now) {
  if (k->started_at && !k->paused_at) k->paused_at = now;
}

void sla_resume(SlaClock *k, const Cal *c, int64_t now, int warn_left_pct) {
  if (!k->paused_at) return;
  int64_t left = sla_remaining(c, k->paused_at, k->deadline_at);
  if (left > 0) {
    k->deadline_at = cal_add_worktime(c, now, left);
    int64_t warn_left = left - k->limit_ms * warn_left_pct / 100;
    k->warn_at = warn_left > 0 ? cal_add_worktime(c, now, warn_left) : now;
  }
  k->paused_at = 0;
}

int sla_on_time(const SlaClock *k, int64_t now) {
  if (!k->started_at) return -1;
  return (k->paused_at ? k->paused_at : now) <= k->deadline_at;
}

json_t *sla_json(const SlaClock *k, const Cal *c, int64_t now, int64_t stopped_at, int on_time) {
  /* No clock: not started yet, or decided at once (即办, 秒批, 告知承诺). */
  if (!k->started_at || !k->deadline_at)
    return stopped_at ? json_pack("{s:b,s:b,s:b}", "running", 0, "paused", 0, "at_once", 1) /* 当场办结 */
                      : json_pack("{s:b,s:b}", "running", 0, "paused", 0);
  int64_t at = stopped_at ? stopped_at : k->paused_at ? k->paused_at : now;
  int64_t left = sla_remaining(c, at, k->deadline_at);
  json_t *o = json_pack("{s:b,s:b,s:o,s:o,s:I,s:I,s:b,s:b}", "running", !stopped_at && !k->paused_at,
                        "paused", k->paused_at != 0, "started_at", jsonx_time(k->started_at), "deadline_at",
                        jsonx_time(k->deadline_at), "limit_ms", (json_int_t)k->limit_ms, "remaining_ms",
                        (json_int_t)left, "overdue", left < 0, "warning",
                        !stopped_at && left >= 0 && at >= k->warn_at);
  if (on_time >= 0) json_object_set_new(o, "on_time", json_boolean(on_time));
  int64_t mins = (left < 0 ? -left : left) / 60000;
  char text[96];
  snprintf(text, sizeof text, "%s%lld 小时 %lld 分钟（工作时间）", left < 0 ? "已超期 " : "剩余 ",
           (long long)(mins / 60), (long long)(mins % 60));
  json_object_set_new(o, "remaining_text", json_string(text));
  return o;
}
