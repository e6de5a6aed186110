/*
** talent_whatif.h — 人才政策兑现 (issue 16): what a change of a policy's
** parameters (硕士 10万 → 12万, 24 → 36 months …) would cost over the whole
** talent register, year by year, beside what the rules in force cost;
** nothing is written.
**
** The change is a new dated value of each parameter named, from a day,
** layered on the policy's dated parameters (talent_params()), exactly as a
** real change would be made: every check reads the parameters as of its own
** day, so an instalment due before the day keeps its old amount.
*/
#ifndef XINQU_TALENT_WHATIF_H
#define XINQU_TALENT_WHATIF_H

#include <jansson.h>
#include "../base/base.h"
#include "../store/store.h"
#include "accounts.h"

/* talent_whatif_layer() is history (a policy's dated parameters {key:
** [{from, value}]}) with, for each member key: value of overrides, the
** version {from, value} added (one of the same day replaced). Every key must
** be one of history's (talent.bad_param, field "params.KEY"), and each
** value of the type the parameter's versions have: an integer 0 to 10^12,
** or a date YYYY-MM-DD (talent.bad_value). Returns the layered history
** (new; history is not changed), or NULL with *e (E_INVALID). */
json_t *talent_whatif_layer(const json_t *history, const json_t *overrides, const char *from, Err *e);

/* talent_whatif() measures {policy, params: {key: value}, from?} for the
** talent department's officers, leaders, auditors and administrators
** (others: talent.forbidden). from, the day the change would take effect,
** is today by default, or the policy's first day when it is not in force
** today. Every talent record is checked under the parameters in force and
** under the layered ones: a record with an entitlement of the policy as of
** its decision day (the current side is its recorded instalments but the
** stopped ones; the what-if side the re-run's on the record as it stands,
** none from a stopped seq on), any other as of on: the later of today and
** from, as a decision would be made. Returns (new) {policy, policy_name, from, on,
** parameters: [{key, value, effective_from, whatif}], years: [{year,
** current: {persons, instalments, amount_fen}, whatif: {…}, difference_fen}]
** (by the year each instalment is due), totals: {current, whatif,
** difference_fen}, entitlements: {count, remaining: {instalments,
** amount_fen}, whatif: {instalments, amount_fen}, difference_fen} (what the
** instalments not yet paid nor stopped would cost), records: {total,
** entitled, entitled_not_whatif (entitlements the what-if re-run would not
** grant), eligible, eligible_whatif, unknown, unknown_whatif (these four of
** the records without an entitlement)}; or NULL with *e
** (talent.bad_policy, talent.bad_param, talent.bad_value, talent.bad_date,
** request.*, or talent.whatif_rule_fails when the policy's rule fails with
** the layered parameters on a record where it runs with those in force: a
** failure would count as a person no longer entitled, and measure nothing).
** Reads only, through the store's reader. */
json_t *talent_whatif(Store *s, const User *actor, const json_t *in, Err *e);

#endif
