/*
** task.h — tasks (任务) of a department on any subject: 告知承诺核查 on a
** case, 秒批事后抽查, 差评整改 today; a talent file's review or a project's
** inspection next. A task's kind is data (table task_kind): its label, its
** period in working days, and the results it may end with, each with the
** effect it has on the subject ("" none, or a word the subject's domain
** understands, such as "revoke"). The domain that owns a kind of subject
** registers what completing a task does to it (task_subject_add()); the
** completion and that effect are one write.
*/
#ifndef XINQU_TASK_H
#define XINQU_TASK_H

#include <jansson.h>
#include "../base/base.h"
#include "../base/cal.h"
#include "../store/store.h"
#include "accounts.h"

/* A task being completed, as the subject's domain sees it (the pointers
** are valid only during its TaskDoneFn). */
typedef struct Task {
  int64_t id;
  char kind[32];          /* task_kind.kind */
  char subject_kind[16];  /* "case", … */
  int64_t subject_id;     /* the subject's row id */
  char subject[64];       /* its public key (a case's number) */
  int64_t dept_id;
  const char *result;     /* the result chosen (one of the kind's) */
  const char *note;       /* the official's note, "" for none */
  const char *kind_label; /* the kind's label (中文) */
  const char *result_label; /* the result's label (中文) */
  const char *effect;     /* the result's effect, "" for none */
  const char *reason;     /* the result's reason text for notices, "" for none */
} Task;

/* What completing a task does to its subject, inside the completion's write
** job (actor is the official). 0, or -1 with *e to refuse the completion. */
typedef int (*TaskDoneFn)(Db *db, const User *actor, const Task *t, int64_t now, Err *e);

typedef struct TaskSubject {
  const char *kind;  /* the subject kind it serves: "case" */
  TaskDoneFn done;
} TaskSubject;

/* task_subject_add() registers what completing a task on subjects of
** ts->kind does (static storage); panics on a kind registered twice. Call
** before serving, from one thread. */
void task_subject_add(const TaskSubject *ts);

/* A task to open. */
typedef struct TaskOpen {
  const char *kind;          /* task_kind.kind */
  const char *subject_kind;  /* "case" */
  int64_t subject_id;
  const char *subject;       /* public key */
  int64_t dept_id;           /* the department that handles it */
  int days;                  /* its period in working days; 0: the kind's */
  const char *due_by;        /* YYYY-MM-DD: due by the end of that day at the
                                latest (a title's last day); NULL: no such day */
  const char *note;          /* why it was opened */
} TaskOpen;

/* task_open() opens task o inside the caller's write job, due after its
** period in working days from now on calendar c, or at the end of day
** o->due_by (Beijing time) when that comes first. -1 with *e (task.bad_kind
** for a kind not in task_kind, task.bad_due for a due_by that is not a
** date). */
int task_open(Db *db, const Cal *c, int64_t now, const TaskOpen *o, Err *e);

/* task_find_open() is the id of the first open task of kind on subject
** (subject_kind, its public key), 0 when there is none, -1 with *e. */
int64_t task_find_open(Db *db, const char *kind, const char *subject_kind, const char *subject, Err *e);

/* task_list() pages through the tasks actor may see (its department's; all
** for those who oversee every department), of kind and state ("open" |
** "done") when given, soonest due first: {items: [{id, kind, kind_label,
** subject_kind, subject, due_at, state, result, note, created_at,
** done_at}], total, page, per_page} (new object), or NULL with *e. */
json_t *task_list(Store *s, const User *actor, const char *kind, const char *state, int page,
                  int per_page, Err *e);

/* task_count_open() is the number of open tasks of kind actor may see, or
** -1 with *e. */
int64_t task_count_open(Store *s, const User *actor, const char *kind, Err *e);

/* task_complete() ends task id with result (one of its kind's) and note
** (≤ 300 characters), and applies the result's effect to the subject in the
** same write, with its audit event. Refusals: task.not_found (not there,
** or not actor's department's), task.done, task.bad_result, and the
** subject's own. Returns {id, result, subject_kind, subject} (new object). */
json_t *task_complete(Store *s, const User *actor, int64_t id, const char *result, const char *note,
                      Err *e);

/* task_kinds() lists the task kinds with their labels, periods and results
** (new array), for the web app's forms. */
json_t *task_kinds(Store *s, Err *e);

#endif
