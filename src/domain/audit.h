/*
** audit.h — the audit log: one event per write, in the write's own
** transaction, hash-chained so that any edit or deletion inside the chain is
** found by audit_verify(). hash = SHA-256 of
**   prev_hash "\n" at "\n" actor_id "\n" actor "\n" action "\n" object "\n" detail
** where detail is the event's JSON with sorted keys; the first event's
** prev_hash is 64 zeros.
**
** The chain alone cannot show that its newest events were deleted (what is
** left still links up). So the head is anchored: a checkpoint records the
** newest event, its hash and the number of events up to it, signed with
** the certificates' Ed25519 key (docs_sign()), as one line
**   xinqu-audit-head v1 event=ID count=N hash=HEX at=YYYY-MM-DDTHH:MM:SS.mmmZ key=K sig=HEX
** (the signature covers the line up to " key="). A checkpoint is stored in
** audit_checkpoint, appended to a head file outside the database (by
** default next to the SQLite file), and written to the log. The server
** makes one at start, every AUDIT_CHECKPOINT_MS and on shutdown;
** `xinqu audit head` makes one on demand. audit_verify() requires every
** checkpoint it is shown — the database's, the head file's, one an operator
** kept — to be in the chain, at the same event, hash and count, and to be
** signed by a known key. What it cannot see: events deleted since the
** newest checkpoint it is shown, and all of it when the events, the
** checkpoints table and every copy of the head are gone together.
** Checkpoints are the log's own bookkeeping: they add no audit event (that
** would move the head they record).
*/
#ifndef XINQU_AUDIT_H
#define XINQU_AUDIT_H

#include <jansson.h>
#include "../base/base.h"
#include "../store/store.h"
#include "accounts.h"
#include "schedule.h"

/* audit_append() appends an event inside the current write job on db.
** actor NULL means the system (CLI). object names what changed, e.g.
** "entity:91210213…". detail (borrowed, may be NULL) says how. Returns 0 or
** -1 with *e set. */
int audit_append(Db *db, const User *actor, const char *action, const char *object,
                 const json_t *detail, Err *e);
enum { AUDIT_HEAD_LINE = 400 };         /* a head line's bytes, with the NUL */
#define AUDIT_CHECKPOINT_MS (5 * 60 * 1000) /* the server's period between checkpoints */

/* A checkpoint: the head of the chain at an instant, signed. */
typedef struct AuditHead {
  int64_t event_id;            /* the newest event (0: the log was empty) */
  int64_t events;              /* events from the first to event_id */
  char hash[65];               /* event_id's hash (64 zeros for 0) */
  int64_t at;                  /* when it was made, ms since the epoch */
  int64_t key_id;              /* the signing_key that signed it */
  char sig[129];               /* Ed25519 signature in hex */
  char line[AUDIT_HEAD_LINE];  /* the whole line (see above) */
} AuditHead;

/* audit_checkpoint() makes a checkpoint of the chain's head now (one write
** job), unless the newest checkpoint already records the newest event, in
** which case that one is the answer and *made is false. A new one is
** logged as "audit head: LINE". The answer is appended to head_file (when
** not NULL; created when missing; flushed to disk) unless it is already
** the file's last line. Needs the signing key
** (docs_init()). Returns 0 with *out, or -1 with *e; a head file that
** cannot be written is an error after the checkpoint is stored. */
int audit_checkpoint(Store *s, const char *head_file, AuditHead *out, bool *made, Err *e);

/* audit_head_latest() reads the newest stored checkpoint. Returns 1 with
** *out, 0 when there is none, -1 with *e. */
int audit_head_latest(Store *s, AuditHead *out, Err *e);

/* audit_head_json() is the newest stored checkpoint for an auditor:
** {event_id, events, hash, at, key_id, public_key, signature, line} (a new
** object: the line to keep elsewhere, and what checking its signature
** needs), or NULL with *e (E_NOTFOUND audit.no_checkpoint when there is
** none yet). */
json_t *audit_head_json(Store *s, Err *e);

/* audit_head_file() names the head file the server's periodic checkpoint
** job (audit_checkpoint_job) appends to; NULL for none. Call before the
** first schedule_tick(); path is borrowed for the life of the process. */
void audit_head_file(const char *path);
extern const ScheduleJob audit_checkpoint_job;

/* What audit_verify() found. */
typedef enum eAuditVerdict {
  AUDIT_INTACT = 0,    /* the chain links up and holds every checkpoint shown */
  AUDIT_BROKEN,        /* an event was changed, or one inside the chain deleted, or
                          the chain rewritten under a checkpoint */
  AUDIT_TRUNCATED,     /* a checkpoint names an event the chain no longer has:
                          events were deleted at its end */
  AUDIT_FORGED,        /* a checkpoint's signature does not hold, or a head line is malformed */
  AUDIT_ERROR          /* the database or the head file could not be read */
} eAuditVerdict;

typedef struct AuditReport {
  eAuditVerdict verdict;
  int64_t events;      /* events checked */
  int64_t last_id;     /* the newest event checked (0: none) */
  int checkpoints;     /* checkpoints checked (database, head file, the operator's line) */
  int64_t newest_checkpoint; /* the newest event a checkpoint recorded (0: none) */
  int64_t bad_id;      /* the event at fault (for TRUNCATED, the one the checkpoint names) */
  char why[768];       /* "中文 / English" when not intact */
} AuditReport;

/* audit_verify() checks the signature of every checkpoint shown (those in
** the database, each line of head_file when not NULL, head_line when not
** NULL), then walks the whole chain, and requires each checkpoint's event
** to be in it with the same hash and the same count of events up to it.
** head_file must exist when given (a missing file is AUDIT_ERROR). Fills
** *rep; returns 0 when intact, otherwise -1 (the first problem found). */
int audit_verify(Store *s, const char *head_file, const char *head_line, AuditReport *rep);
/* audit_list() returns a new JSON array of up to limit events after after_id,
** filtered by action prefix and object prefix when not NULL/empty. */
json_t *audit_list(Store *s, int64_t after_id, int limit, const char *action, const char *object,
                   Err *e);

#endif
