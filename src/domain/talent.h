/*
** talent.h — 人才政策兑现 (issue 16): talent policies as effective-dated
** rules (rulebook.h, book "talent": data/talent/POLICY-N.lua with the
** helpers of data/rules/common.lua and data/talent/lib.lua as its prelude)
** over a person's facts,
** with dated parameters (data/talent/params.json: per policy, per key, the
** versions {from, value}; a change is a new dated value, the old one kept).
** A check is always as of a day: the rule version and the parameters in
** force that day decide, and each instalment's amount is read as of its own
** due day, so a parameter changed mid-schedule changes only the instalments
** due after it.
*/
#ifndef XINQU_TALENT_H
#define XINQU_TALENT_H

#include <jansson.h>
#include "../base/base.h"
#include "../store/store.h"
#include "accounts.h"

/* talent_check() runs policy's rule in force on day on over facts (a JSON
** object: see the contract and data/talent/lib.lua; absent keys are
** unknown, an empty array is known to be empty) and returns (new)
** {policy, name, level, on, eligible (true|false|null), amount_fen
** (N|null: the whole subsidy, or the monthly amount of a monthly one),
** instalments [{due, amount_fen}], rule_version, effective_from, citation,
** explanation [{kind: "rule"|"parameter"|"criterion", …, text}], why_not
** [messages], and rule_error {code, message} when the rule itself failed
** (an error, a limit: eligible is null then, as for a missing fact)}. A
** policy not in force on the day is eligible false with that reason. history is the policy's dated parameters {key: [{from,
** value}]} (NULL: the shipped ones, data/talent/params.json). NULL with *e:
** talent.bad_policy, talent.bad_date, talent.bad_facts (E_INVALID). */
json_t *talent_check(const json_t *facts, const char *policy, const char *on, const json_t *history, Err *e);

/* talent_recheck() is talent_check() of the policy's re-check before an
** instalment due on day due: only the conditions that must go on holding
** (the rule sees facts.purpose = "recheck"). */
json_t *talent_recheck(const json_t *facts, const char *policy, const char *due, const json_t *history, Err *e);

/* talent_exclusive() is true when policies a and b may not be held by one
** person together, as the versions in force on day on say (NULL: their
** newest): a policy's header line "exclusive_with" names other policies by
** code, or all those of a level ("level:district"); either side naming the
** other is enough. A policy is never exclusive with itself here (one
** entitlement per person and policy is the store's rule). */
bool talent_exclusive(const char *a, const char *b, const char *on);

/* talent_params() is policy's shipped dated parameters {key: [{from,
** value}]} (data/talent/params.json; a deep copy, new), or NULL when the
** policy has none: what a caller layers its own dated values on (the
** what-if, talent_whatif.h) before passing it to talent_check() as history. */
json_t *talent_params(const char *policy);

/* talent_param_range() is the range [*least, *most] (both included) an
** integer parameter key may take (data/talent/ranges.json): false when the
** key has none. */
bool talent_param_range(const char *key, int64_t *least, int64_t *most);

/* talent_sync() loads what policy officers added since the last call (here
** or on another server): rule versions (table talent_rule) and parameter
** versions (param_version, scope "talent.POLICY"), which every check made
** after it reads beside the shipped ones. 0, or -1 with *e. */
int talent_sync(Db *db, Err *e);

/* talent_publish() adds source as a version of its policy
** (rulebook_publish(): checked, effective today or later, kept with its
** audit event, loaded). Who may is talent_rule_add()'s to check. */
json_t *talent_publish(Store *s, const User *actor, const char *source, Err *e);

/* talent_rule_text() is the text of a policy's version (new string), or NULL. */
char *talent_rule_text(const char *policy, int version);

/* talent_policy_name() is a policy's Chinese name, or NULL when unknown. */
const char *talent_policy_name(const char *policy);

/* talent_policy_committee() is true when the policy's latest version has
** its amount decided case by case by a committee (一事一议). */
bool talent_policy_committee(const char *policy);

/* talent_policies() is [{code, name, level, level_name, kind, committee
** (true: the amount is decided case by case, 一事一议), exclusive_with
** [codes it may not be held with, today], versions: [{version,
** effective_from, effective_to, citation}], employer_review (true: its
** header says "employer: review" — its conditions involve an employer, who
** confirms an application before intake, talent_apply.h)}] (new). */
json_t *talent_policies(void);

#endif
