/*
** notify.c — notifications (see notify.h). All SQL on outbox lives here.
*/
#include "notify.h"

#include <stdio.h>

int notify_send(Db *db, const Message *m, Err *e) {
  if (m->subject && m->subject[0]) {
    Buf line = {0};
    buf_appendf(&line, "\n%s", m->body);
    int64_t n = db_run(db, e,
                       "UPDATE outbox SET body = body || ?, created_at = ? WHERE id = (SELECT MAX(id) FROM outbox"
                       " WHERE account_id = ? AND party = ? AND dept_id = ? AND subject_kind = ? AND subject = ?"
                       " AND title = ? AND read_at IS NULL AND sent_at IS NULL)",
                       "tiitittt", buf_cstr(&line), m->at, m->account_id, m->party ? m->party : "", m->dept_id,
                       m->subject_kind ? m->subject_kind : "", m->subject, m->title);
    buf_free(&line);
    if (n < 0) return -1;
    if (n > 0) return 0;
  }
  return db_run(db, e,
                "INSERT INTO outbox(account_id, party, dept_id, subject_kind, subject, title, body, created_at)"
                " VALUES (?,?,?,?,?,?,?,?)",
                "ititttti", m->account_id, m->party ? m->party : "", m->dept_id,
                m->subject_kind ? m->subject_kind : "", m->subject ? m->subject : "", m->title, m->body,
                m->at) < 0 ? -1 : 0;
}

/* The inbox of an account: its own messages, its party's, its department's
** (officials only). Binds account, party, department; "\x01" and -1 match
** nothing. */
#define MINE "(account_id = ? OR (party <> '' AND party = ?) OR (dept_id <> 0 AND dept_id = ?))"

static void bind_mine(Stmt *st, int first, const User *u) {
  stmt_bind_int(st, first, u->id);
  stmt_bind_text(st, first + 1, u->party[0] ? u->party : "\x01");
  stmt_bind_int(st, first + 2, u->role == ROLE_APPLICANT ? -1 : u->dept_id);
}

json_t *notify_inbox(Store *s, const User *actor, int page, int per_page, Err *e) {
  Stmt *st = db_prepare(store_reader(s),
                        "SELECT id, subject_kind, subject, title, body, created_at, read_at FROM outbox"
                        " WHERE " MINE " ORDER BY id DESC LIMIT ? OFFSET ?", e);
  if (!st) return NULL;
  bind_mine(st, 1, actor);
  stmt_bind_int(st, 4, per_page);
  stmt_bind_int(st, 5, (int64_t)(page - 1) * per_page);
  json_t *items = json_array();
  int rc;
  while ((rc = stmt_step(st, e)) == 1) {
    json_t *o = json_pack("{s:I,s:s,s:s,s:s,s:s,s:I}", "id", (json_int_t)stmt_int(st, 0), "subject_kind",
                          stmt_text(st, 1), "subject", stmt_text(st, 2), "title", stmt_text(st, 3), "body",
                          stmt_text(st, 4), "created_at", (json_int_t)stmt_int(st, 5));
    json_object_set_new(o, "read_at", stmt_null(st, 6) ? json_null() : json_integer(stmt_int(st, 6)));
    json_array_append_new(items, o);
  }
  stmt_done(st);
  if (rc < 0) goto fail;
  st = db_prepare(store_reader(s), "SELECT COUNT(*) FROM outbox WHERE read_at IS NULL AND " MINE, e);
  if (!st) goto fail;
  bind_mine(st, 1, actor);
  int64_t unread = 0;
  rc = stmt_step(st, e);
  if (rc == 1) unread = stmt_int(st, 0);
  stmt_done(st);
  if (rc < 0) goto fail;
  return json_pack("{s:o,s:i,s:i,s:I}", "items", items, "page", page, "per_page", per_page, "unread",
                   (json_int_t)unread);
fail:
  json_decref(items);
  return NULL;
}

typedef struct ReadJob {
  const User *actor;
  int64_t id;                /* the message to mark read, or 0 for every unread one */
  int64_t n;                 /* out: how many were marked */
} ReadJob;

static int read_job(Db *db, void *arg, Err *e) {
  ReadJob *j = arg;
  Stmt *st = db_prepare(db, j->id ? "UPDATE outbox SET read_at = ? WHERE id = ? AND read_at IS NULL AND " MINE
                                  : "UPDATE outbox SET read_at = ? WHERE ? = 0 AND read_at IS NULL AND " MINE, e);
  if (!st) return -1;
  stmt_bind_int(st, 1, now_ms());
  stmt_bind_int(st, 2, j->id);
  bind_mine(st, 3, j->actor);
  int rc = stmt_step(st, e);
  j->n = rc == 0 ? db_changes(db) : 0;
  stmt_done(st);
  if (rc < 0) return -1;
  if (j->id && j->n == 0)
    return err_set(e, E_NOTFOUND, "inbox.not_found", NULL, "没有这条未读消息", "No such unread message");
  return 0;
}

int notify_read(Store *s, const User *actor, int64_t id, Err *e) {
  ReadJob j = {actor, id, 0};
  return store_write(s, read_job, &j, e);
}

int notify_read_all(Store *s, const User *actor, int64_t *n, Err *e) {
  ReadJob j = {actor, 0, 0};
  int rc = store_write(s, read_job, &j, e);
  *n = j.n;
  return rc;
}
