/*
** audit.h — the audit log: one event per write, in the write's own
** transaction, hash-chained so that any edit or deletion inside the chain is
** found by audit_verify(). hash = SHA-256 of
**   prev_hash "\n" at "\n" actor_id "\n" actor "\n" action "\n" object "\n" detail
** where detail is the event's JSON with sorted keys; the first event's
** prev_hash is 64 zeros.
*/
#ifndef XINQU_AUDIT_H
#define XINQU_AUDIT_H

#include <jansson.h>
#include "../base/base.h"
#include "../store/store.h"
#include "accounts.h"

/* audit_append() appends an event inside the current write job on db.
** actor NULL means the system (CLI). object names what changed, e.g.
** "entity:91210213…". detail (borrowed, may be NULL) says how. Returns 0 or
** -1 with *e set. */
int audit_append(Db *db, const User *actor, const char *action, const char *object,
                 const json_t *detail, Err *e);
/* audit_verify() walks the whole chain. Returns 0 when intact; otherwise -1
** with *bad_id the first bad event and why describing it. *count gets the
** number of events checked. */
int audit_verify(Store *s, int64_t *count, int64_t *bad_id, char *why, size_t cap);
/* audit_list() returns a new JSON array of up to limit events after after_id,
** filtered by action prefix and object prefix when not NULL/empty. */
json_t *audit_list(Store *s, int64_t after_id, int limit, const char *action, const char *object,
                   Err *e);

#endif
