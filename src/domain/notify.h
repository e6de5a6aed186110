/*
** notify.h — notifications (消息) on any subject: every message is written
** to the outbox, which the inbox shows and later adapters deliver (SMS,
** e-mail: sent_at). A message goes to an account, to a party (every account
** that acts for it sees it), or to a department (its officials see it), and
** names its subject (a kind and the record's public key, e.g. "case" and
** its number) so the inbox can link to it.
*/
#ifndef XINQU_NOTIFY_H
#define XINQU_NOTIFY_H

#include <jansson.h>
#include "../base/base.h"
#include "../store/store.h"
#include "accounts.h"

typedef struct Message {
  int64_t account_id;        /* 0, or the account it is for */
  const char *party;         /* NULL/"", or the party it is for (USCC, ID number) */
  int64_t dept_id;           /* 0, or the department it is for */
  const char *subject_kind;  /* "case", "bundle", … or NULL */
  const char *subject;       /* the record's public key, or NULL */
  const char *title, *body;  /* plain text */
  int64_t at;                /* ms since the epoch */
} Message;

/* notify_send() writes m to the outbox inside the caller's write job. A
** message about a subject whose recipient has an unread, unsent message on
** the same subject under the same title is not written again: its body is
** added to that message as a new line (and the message takes m's time), so
** the children of a bundle that take one step together make one message.
** 0, or -1 with *e. */
int notify_send(Db *db, const Message *m, Err *e);

/* notify_inbox() is actor's messages, newest first: those for the account,
** for its party, and (officials) for its department. Returns {items: [{id,
** subject_kind, subject, title, body, created_at, read_at}], page, per_page,
** unread (how many of them all are unread)} (new object), or NULL with *e. */
json_t *notify_inbox(Store *s, const User *actor, int page, int per_page, Err *e);

/* notify_read() marks message id of actor's inbox read (for the whole
** department, when it is the department's). -1 with inbox.not_found when it
** is not an unread message of actor's. */
int notify_read(Store *s, const User *actor, int64_t id, Err *e);

/* notify_read_all() marks every unread message of actor's inbox read, as
** notify_read() marks one, in one write; *n is how many were. 0, or -1 with
** *e. */
int notify_read_all(Store *s, const User *actor, int64_t *n, Err *e);

#endif
