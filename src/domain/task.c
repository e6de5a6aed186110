/*
** task.c — tasks on any subject (see task.h). All SQL on task and
** task_kind lives here.
*/
#include "task.h"
#include "audit.h"
#include "sla.h"
#include "../base/cal.h"

#include <stdio.h>
#include <string.h>

static const TaskSubject *aSubject[8];
static int nSubject;

void task_subject_add(const TaskSubject *ts) {
  for (int i = 0; i < nSubject; i++)
    if (strcmp(aSubject[i]->kind, ts->kind) == 0) panic("task_subject_add: %s registered twice", ts->kind);
  if (nSubject == (int)XQ_COUNT(aSubject)) panic("task_subject_add: too many subject kinds");
  aSubject[nSubject++] = ts;
}

static const TaskSubject *subject_find(const char *kind) {
  for (int i = 0; i < nSubject; i++)
    if (strcmp(aSubject[i]->kind, kind) == 0) return aSubject[i];
  return NULL;
}

/* kind_get() reads kind's period, results (a new array) and label (into
** label[164], when not NULL) through db. 1 found, 0 none, -1 with *e. */
static int kind_get(Db *db, const char *kind, int *days, json_t **results, char *label, Err *e) {
  Stmt *st = db_prepare(db, "SELECT days, results, label FROM task_kind WHERE kind = ?", e);
  if (!st) return -1;
  stmt_bind_text(st, 1, kind);
  int rc = stmt_step(st, e);
  if (rc == 1) {
    *days = (int)stmt_int(st, 0);
    *results = json_loads(stmt_text(st, 1), 0, NULL);
    if (label) snprintf(label, 164, "%s", stmt_text(st, 2));
    if (!json_is_array(*results)) {
      json_decref(*results);
      *results = NULL;
      rc = err_setf(e, E_INTERNAL, "task.bad_kind_data", NULL, "任务类型“%s”的结果定义有误",
                    "The results of task kind %s do not parse", kind);
    }
  }
  stmt_done(st);
  return rc;
}

int task_open(Db *db, const Cal *c, int64_t now, const TaskOpen *o, Err *e) {
  int days = 0;
  json_t *results = NULL;
  int found = kind_get(db, o->kind, &days, &results, NULL, e);
  json_decref(results);
  if (found < 0) return -1;
  if (!found)
    return err_setf(e, E_INVALID, "task.bad_kind", "kind", "没有这种任务：%s", "No task kind %s", o->kind);
  int64_t due = sla_deadline(c, now, o->days > 0 ? o->days : days, LIMIT_WORKDAYS, NULL);
  if (o->due_by) {
    int last;
    if (cal_parse_date(o->due_by, &last))
      return err_setf(e, E_INVALID, "task.bad_due", "due_by", "任务的最迟期限不是日期：%s", "Not a date: %s", o->due_by);
    int64_t end = cal_day_start_ms(last + 1) - 1; /* the day's last instant */
    if (end < due) due = end;
  }
  return db_run(db, e,
                "INSERT INTO task(kind, subject_kind, subject_id, subject, dept_id, due_at, state, result, note,"
                " created_at, done_at, done_by) VALUES (?,?,?,?,?,?,'open','',?,?,0,0)",
                "ttitiiti", o->kind, o->subject_kind, o->subject_id, o->subject, o->dept_id, due,
                o->note ? o->note : "", now) < 0 ? -1 : 0;
}

int64_t task_find_open(Db *db, const char *kind, const char *subject_kind, const char *subject, Err *e) {
  Stmt *st = db_prepare(db, "SELECT id FROM task WHERE kind = ? AND subject_kind = ? AND subject = ?"
                            " AND state = 'open' ORDER BY id LIMIT 1", e);
  if (!st) return -1;
  stmt_bind_text(st, 1, kind);
  stmt_bind_text(st, 2, subject_kind);
  stmt_bind_text(st, 3, subject);
  int rc = stmt_step(st, e);
  int64_t id = rc == 1 ? stmt_int(st, 0) : 0;
  stmt_done(st);
  return rc < 0 ? -1 : id;
}

/* where() appends the conditions of a task list to sql: actor's department
** (*dept, unless actor oversees every department), kind and state when
** given; bind_where() binds them in that order and returns the next
** parameter's number. */
static void where(Db *db, Buf *sql, const User *actor, const char *kind, const char *state, bool *dept) {
  *dept = !accounts_oversees(db, actor);
  buf_puts(sql, " WHERE 1 = 1");
  if (*dept) buf_puts(sql, " AND t.dept_id = ?");
  if (kind && *kind) buf_puts(sql, " AND t.kind = ?");
  if (state && *state) buf_puts(sql, " AND t.state = ?");
}

static int bind_where(Stmt *st, const User *actor, bool dept, const char *kind, const char *state) {
  int p = 1;
  if (dept) stmt_bind_int(st, p++, actor->dept_id);
  if (kind && *kind) stmt_bind_text(st, p++, kind);
  if (state && *state) stmt_bind_text(st, p++, state);
  return p;
}

static int64_t count(Db *db, const User *actor, const char *kind, const char *state, Err *e) {
  Buf sql = {0};
  bool dept;
  buf_puts(&sql, "SELECT COUNT(*) FROM task t");
  where(db, &sql, actor, kind, state, &dept);
  Stmt *st = db_prepare(db, sql.a, e);
  buf_free(&sql);
  if (!st) return -1;
  bind_where(st, actor, dept, kind, state);
  int rc = stmt_step(st, e);
  int64_t n = rc == 1 ? stmt_int(st, 0) : -1;
  stmt_done(st);
  return n;
}

int64_t task_count_open(Store *s, const User *actor, const char *kind, Err *e) {
  return count(store_reader(s), actor, kind, "open", e);
}

json_t *task_list(Store *s, const User *actor, const char *kind, const char *state, int page,
                  int per_page, Err *e) {
  if (state && *state && strcmp(state, "open") != 0 && strcmp(state, "done") != 0) {
    err_set(e, E_INVALID, "request.bad_param", "state", "state 应为 open 或 done", "state must be open or done");
    return NULL;
  }
  Db *db = store_reader(s);
  int64_t total = count(db, actor, kind, state, e);
  if (total < 0) return NULL;
  Buf sql = {0};
  bool dept;
  buf_puts(&sql, "SELECT t.id, t.kind, k.label, t.subject_kind, t.subject, t.due_at, t.state, t.result, t.note,"
                 " t.created_at, t.done_at FROM task t JOIN task_kind k ON k.kind = t.kind");
  where(db, &sql, actor, kind, state, &dept);
  buf_puts(&sql, " ORDER BY t.due_at, t.id LIMIT ? OFFSET ?");
  Stmt *st = db_prepare(db, sql.a, e);
  buf_free(&sql);
  if (!st) return NULL;
  int p = bind_where(st, actor, dept, kind, state);
  stmt_bind_int(st, p++, per_page);
  stmt_bind_int(st, p, (int64_t)(page - 1) * per_page);
  json_t *items = json_array();
  int rc;
  while ((rc = stmt_step(st, e)) == 1)
    json_array_append_new(
        items, json_pack("{s:I,s:s,s:s,s:s,s:s,s:I,s:s,s:s,s:s,s:I,s:I}", "id", (json_int_t)stmt_int(st, 0), "kind",
                         stmt_text(st, 1), "kind_label", stmt_text(st, 2), "subject_kind", stmt_text(st, 3),
                         "subject", stmt_text(st, 4), "due_at", (json_int_t)stmt_int(st, 5), "state",
                         stmt_text(st, 6), "result", stmt_text(st, 7), "note", stmt_text(st, 8), "created_at",
                         (json_int_t)stmt_int(st, 9), "done_at", (json_int_t)stmt_int(st, 10)));
  stmt_done(st);
  if (rc < 0) {
    json_decref(items);
    return NULL;
  }
  return json_pack("{s:o,s:I,s:i,s:i}", "items", items, "total", (json_int_t)total, "page", page, "per_page",
                   per_page);
}

/* str_or() is the text of JSON string v, or dflt. */
static const char *str_or(const json_t *v, const char *dflt) {
  const char *s = json_string_value(v);
  return s ? s : dflt;
}

typedef struct DoneJob {
  const User *actor;
  int64_t id;
  const char *result, *note;
  Task t;           /* filled by the job */
} DoneJob;

static int done_job(Db *db, void *arg, Err *e) {
  DoneJob *j = arg;
  Task *t = &j->t;
  int64_t now = now_ms();
  json_t *results = NULL;
  int rc = -1;
  Stmt *st = db_prepare(db, "SELECT kind, subject_kind, subject_id, subject, dept_id, state FROM task WHERE id = ?", e);
  if (!st) return -1;
  stmt_bind_int(st, 1, j->id);
  char state[8] = "";
  int found = stmt_step(st, e);
  if (found == 1) {
    snprintf(t->kind, sizeof t->kind, "%s", stmt_text(st, 0));
    snprintf(t->subject_kind, sizeof t->subject_kind, "%s", stmt_text(st, 1));
    t->subject_id = stmt_int(st, 2);
    snprintf(t->subject, sizeof t->subject, "%s", stmt_text(st, 3));
    t->dept_id = stmt_int(st, 4);
    snprintf(state, sizeof state, "%s", stmt_text(st, 5));
  }
  stmt_done(st);
  if (found < 0) return -1;
  if (!found || (t->dept_id != j->actor->dept_id && !accounts_oversees(db, j->actor)))
    return err_set(e, E_NOTFOUND, "task.not_found", NULL, "没有找到该任务", "No such task");
  if (strcmp(state, "open") != 0)
    return err_set(e, E_CONFLICT, "task.done", NULL, "该任务已办结", "The task is already done");
  int days;
  char kind_label[164];
  int k = kind_get(db, t->kind, &days, &results, kind_label, e);
  if (k <= 0) {
    if (k == 0) err_setf(e, E_INTERNAL, "task.bad_kind", NULL, "没有这种任务：%s", "No task kind %s", t->kind);
    goto out;
  }
  size_t i;
  json_t *r, *chosen = NULL;
  json_array_foreach(results, i, r) {
    if (strcmp(str_or(json_object_get(r, "code"), ""), j->result) == 0) chosen = r;
  }
  if (!chosen) {
    err_setf(e, E_INVALID, "task.bad_result", "result", "该任务的结果不能是：%s", "Not a result of this task: %s",
             j->result);
    goto out;
  }
  t->id = j->id;
  t->result = j->result;
  t->note = j->note;
  t->kind_label = kind_label;
  t->result_label = str_or(json_object_get(chosen, "label"), j->result);
  t->effect = str_or(json_object_get(chosen, "effect"), "");
  t->reason = str_or(json_object_get(chosen, "reason"), "");
  int64_t n = db_run(db, e, "UPDATE task SET state = 'done', result = ?, note = ?, done_at = ?, done_by = ?"
                            " WHERE id = ? AND state = 'open'", "ttiii", j->result, j->note, now, j->actor->id, j->id);
  if (n < 0) goto out;
  if (n == 0) { /* closed by another server since it was read */
    err_set(e, E_CONFLICT, "task.done", NULL, "该任务已办结", "The task is already done");
    goto out;
  }
  const TaskSubject *ts = subject_find(t->subject_kind);
  if (!ts) {
    err_setf(e, E_INTERNAL, "task.no_subject", NULL, "无法办结“%s”上的任务", "No domain handles tasks on %s",
             t->subject_kind);
    goto out;
  }
  if (ts->done(db, j->actor, t, now, e)) goto out;
  char obj[32];
  snprintf(obj, sizeof obj, "task:%lld", (long long)j->id);
  json_t *d = json_pack("{s:s,s:s,s:s,s:s,s:s}", "kind", t->kind, "subject_kind", t->subject_kind, "subject",
                        t->subject, "result", j->result, "note", j->note);
  rc = audit_append(db, j->actor, "task.complete", obj, d, e);
  json_decref(d);
out:
  json_decref(results);
  /* The labels, effect and reason pointed into results and the stack. */
  t->kind_label = t->result_label = t->effect = t->reason = NULL;
  return rc;
}

json_t *task_complete(Store *s, const User *actor, int64_t id, const char *result, const char *note,
                      Err *e) {
  if (text_check(result, "result", "任务结果", 40, true, e) || text_check(note, "note", "说明", 300, false, e))
    return NULL;
  DoneJob j = {.actor = actor, .id = id, .result = result, .note = note ? note : ""};
  if (store_write(s, done_job, &j, e)) return NULL;
  return json_pack("{s:I,s:s,s:s,s:s}", "id", (json_int_t)id, "result", result, "subject_kind", j.t.subject_kind,
                   "subject", j.t.subject);
}

json_t *task_kinds(Store *s, Err *e) {
  Stmt *st = db_prepare(store_reader(s), "SELECT kind, label, label_en, days, results FROM task_kind ORDER BY kind", e);
  if (!st) return NULL;
  json_t *a = json_array();
  int rc;
  while ((rc = stmt_step(st, e)) == 1) {
    json_t *results = json_loads(stmt_text(st, 4), 0, NULL);
    json_array_append_new(a, json_pack("{s:s,s:s,s:s,s:I,s:o}", "kind", stmt_text(st, 0), "label", stmt_text(st, 1),
                                       "label_en", stmt_text(st, 2), "days", (json_int_t)stmt_int(st, 3), "results",
                                       results ? results : json_array()));
  }
  stmt_done(st);
  if (rc < 0) {
    json_decref(a);
    return NULL;
  }
  return a;
}
