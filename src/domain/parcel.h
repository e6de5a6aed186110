/*
** parcel.h — land parcels (地块) for 零时限审批: a parcel is recorded while
** still under pre-review; the permits a land bundle asks for (bundle.h) are
** examined and approved before the land is acquired, and issue, all of them
** in one write, when its land contract is recorded. The investment pipeline
** (招商) will own parcels; all SQL on parcel lives in parcel.c.
*/
#ifndef XINQU_PARCEL_H
#define XINQU_PARCEL_H

#include <jansson.h>
#include "../base/base.h"
#include "../store/store.h"
#include "accounts.h"

#define PARCEL_CODE_MAX 30 /* characters of a parcel's code */

/* parcel_create() records a parcel under pre-review from {code (≤ 30
** characters, unique), name (≤ 60), district? (≤ 20)} with its audit
** event; returns it (parcel_get()). parcel.exists for a code taken. */
json_t *parcel_create(Store *s, const User *actor, const json_t *in, Err *e);

/* parcel_contract() records the land contract of parcel code (contract_no
** ≤ 40 characters; holder, the 受让人's USCC, required) and, in the same
** write, issues every pre-approved permit waiting for it; returns the
** parcel with "issued", the number issued. parcel.not_prereview when there
** is no parcel under pre-review with that code (also when another server
** recorded it first); the permits' own checks (cases_parcel_issue()) refuse
** the whole contract. */
json_t *parcel_contract(Store *s, const User *actor, const char *code, const char *contract_no,
                        const char *holder, Err *e);

/* parcel_get() is {code, name, district, state (prereview | acquired),
** contract_no, holder, acquired_at} (new object), or NULL with
** parcel.not_found. An applicant the parcel does not concern (neither its
** holder nor the filer of a bundle on it, nor their agent) gets what is
** public of a parcel offered for sale: code, name, district and state. */
json_t *parcel_get(Store *s, const User *actor, const char *code, Err *e);

/* parcel_exists() answers 1 or 0 for parcel code through db (-1 with *e);
** parcel_acquired() too, for a parcel whose land contract is recorded,
** with its holder in holder ("" when it answers 0). */
int parcel_exists(Db *db, const char *code, Err *e);
int parcel_acquired(Db *db, const char *code, char holder[40], Err *e);

#endif
