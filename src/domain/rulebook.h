/*
** rulebook.h — effective-dated versions of rules (规则版本): the criteria of
** the qualification ladder's rungs, the eligibility of talent policies, any
** set of rules that change by decree on a given day while old decisions must
** still re-run as they were made.
**
** A book is a name ("ladder", "talent") and the codes it knows ("gaoqi",
** "mingxiao" …). A version is a Lua rule text (rules.h) that begins with
** header lines "-- key: value": code (the book's own name for it, e.g.
** "rung" or "policy", given when the book is declared), version (a positive
** integer), effective_from (YYYY-MM-DD), and optionally name, citation,
** effective_to (the last day it applies; when the measure itself ends),
** and any other key a book reads with rulebook_header(). The prelude
** rules/common.lua and the book's NAME/lib.lua (embedded data) makes the
** helpers every version's text uses (rules_eval_shared(): once for all the
** versions run over the same facts); the
** versions shipped with xinqu are the embedded NAME/CODE-1.lua, NAME/CODE-2.lua
** …, and administrators add more at run time (kept in the book's table and
** loaded by every server with rulebook_sync()).
**
** The version in force on a day is the one with the latest effective_from
** not after it (the higher version on the same day); when that version's
** effective_to is before the day, none is. Versions are never changed or
** removed, so a RuleVersion pointer stays good for the life of the process.
** Thread-safe.
*/
#ifndef XINQU_RULEBOOK_H
#define XINQU_RULEBOOK_H

#include <pthread.h>
#include "../base/base.h"
#include "../store/store.h"
#include "accounts.h"

/* RuleVersion: one version of one code's rule. */
typedef struct RuleVersion {
  char code[16];      /* the rung, the policy … */
  char name[96];      /* its Chinese name from the header ("" when not given) */
  char from[11];      /* effective_from, YYYY-MM-DD */
  char to[11];        /* effective_to, YYYY-MM-DD, or "" (open) */
  char citation[400]; /* the measure and article it encodes ("" when not given) */
  int version;        /* the version number, unique per code */
  char *text;         /* the version's own text, what rules_eval_shared() runs after the prelude (owned) */
} RuleVersion;

/* Rulebook: a book of versions. Declare one per domain with RULEBOOK(). */
typedef struct Rulebook {
  const char *name;          /* "ladder": data NAME/lib.lua, NAME/CODE-N.lua; error codes "NAME.…" */
  const char *code_key;      /* the header key naming the code: "rung", "policy" */
  const char *const *codes;  /* the codes it knows, NULL-terminated */
  const char *table;         /* the table (id, source) of versions added at run time, or NULL */
  pthread_mutex_t lock;      /* guards what follows */
  bool loaded;               /* the embedded versions are in, and the prelude made */
  char *prelude;             /* rules/common.lua and NAME/lib.lua, joined by a newline (never freed) */
  RuleVersion **a;           /* every version, each allocated once and never moved or freed */
  int n;                     /* how many */
  int64_t synced;            /* the last row of table loaded (rulebook_sync()) */
} Rulebook;

#define RULEBOOK(NAME, CODE_KEY, CODES, TABLE) {NAME, CODE_KEY, CODES, TABLE, PTHREAD_MUTEX_INITIALIZER, false, NULL, NULL, 0, 0}

/* rulebook_header() reads the value of "-- key: value" among the leading
** comment lines of text into out (cap bytes); false when absent. */
bool rulebook_header(const char *text, const char *key, char *out, size_t cap);

/* rulebook_parse() checks text as a version of b (headers, a known code,
** dates, compiles) and fills *v (v->text owned: rulebook_version_free()).
** -1 with *e: NAME.bad_rule (E_INVALID), NAME.no_lib (no prelude), or
** rule.syntax. */
int rulebook_parse(Rulebook *b, const char *text, RuleVersion *v, Err *e);
void rulebook_version_free(RuleVersion *v);

/* rulebook_add() checks and keeps a version; -1 with *e as
** rulebook_parse(), or NAME.version_exists (E_CONFLICT). */
int rulebook_add(Rulebook *b, const char *text, Err *e);

/* rulebook_prelude() is the book's prelude (rules/common.lua and
** NAME/lib.lua), for rules_eval_shared(); NULL when the data lacks one. */
const char *rulebook_prelude(Rulebook *b);

/* rulebook_in_force() is the version of code in force on day on, or NULL. */
const RuleVersion *rulebook_in_force(Rulebook *b, const char *code, const char *on);

/* rulebook_find() is version number version of code, or NULL. */
const RuleVersion *rulebook_find(Rulebook *b, const char *code, int version);

/* rulebook_versions() puts up to cap versions of code (all codes when NULL)
** into out, in the order they were added; returns how many there are. */
int rulebook_versions(Rulebook *b, const char *code, const RuleVersion **out, int cap);

/* rulebook_sync() loads the versions of b->table added since the last call
** (by another server, or this one): 0, or -1 with *e. A row that no longer
** compiles is skipped with a warning in the log. */
int rulebook_sync(Rulebook *b, Db *db, Err *e);

/* rulebook_publish() adds source as a new version of b, kept in b->table
** (whose column b->code_key names the code) with its audit event NAME.rule,
** in one transaction, and loads it: {CODE_KEY, version, effective_from},
** or NULL with *e as rulebook_parse(), NAME.in_the_past (a version takes
** effect today or later: a decision already made keeps the rule of its
** day) or NAME.version_exists (E_CONFLICT). Who may publish is the
** caller's to check. */
json_t *rulebook_publish(Rulebook *b, Store *s, const User *actor, const char *source, Err *e);

#endif
