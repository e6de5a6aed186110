/*
** params.h — effective-dated parameters (参数): the values a rule of law or
** of one deployment sets — a number format, a bar of six months, a warning
** point, a notice's wording, a subsidy's amount — kept as data, never
** compiled into C. A parameter is (scope, key) with versions, each a JSON
** value effective from a date to the day before the next version's (or
** open-ended); it is read as of a date, so a decision re-run later reads
** the value of its own day. Setting a value adds a version, with its audit
** event; no version is ever changed or removed.
**
** Scopes in use: "cases" (the case engine's numbering, bars and clock),
** "notice" (notice wording by item kind and notice kind, see cases.c),
** "rules" (facts every 秒批 rule reads as params.KEY).
*/
#ifndef XINQU_PARAMS_H
#define XINQU_PARAMS_H

#include <jansson.h>
#include "../base/base.h"
#include "../store/store.h"
#include "accounts.h"

/* params_get() reads (scope, key) as of day ('YYYY-MM-DD') through db: 1
** with a new reference in *value, 0 when no version is in force that day,
** -1 with *e. */
int params_get(Db *db, const char *scope, const char *key, const char *day, json_t **value, Err *e);

/* params_need() is params_get() for a value the caller cannot go without:
** 0 with *value, or -1 with *e (param.missing names scope and key). */
int params_need(Db *db, const char *scope, const char *key, const char *day, json_t **value, Err *e);

/* params_int() and params_text() read a value that must be an integer (a
** string) into *out (copied into out, cap bytes); -1 with param.missing or
** param.bad_type. */
int params_int(Db *db, const char *scope, const char *key, const char *day, int64_t *out, Err *e);
int params_text(Db *db, const char *scope, const char *key, const char *day, char *out, size_t cap, Err *e);

/* params_scope() is every key of scope in force on day, {key: value} (new
** object), or NULL with *e. */
json_t *params_scope(Db *db, const char *scope, const char *day, Err *e);

/* params_set() adds a version of (scope, key): value (any JSON but null)
** from day from on; the version in force until then ends the day before.
** from is today or later (param.in_the_past) and after the newest version
** in force (param.before_newest); a version not yet in force may be
** replaced by one from the same day. scope and key are 1–64 characters
** without blanks or '/'. Returns {scope, key, versions} as
** params_versions() does, or NULL with *e. */
json_t *params_set(Store *s, const User *actor, const char *scope, const char *key, const json_t *value,
                   const char *from, Err *e);

/* params_set_in() is params_set() inside the caller's write transaction db
** (with the same checks and audit event): 0, or -1 with *e. */
int params_set_in(Db *db, const User *actor, const char *scope, const char *key, const json_t *value, const char *from,
                  Err *e);

/* params_versions() lists the parameters of scope (every scope when NULL),
** each with its versions, oldest first: [{scope, key, versions: [{value,
** effective_from, effective_to (null: open)}]}] (new array). */
json_t *params_versions(Store *s, const char *scope, const char *key, Err *e);

#endif
