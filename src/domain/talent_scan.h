/*
** talent_scan.h — 免申即享 (issue 16): grants without applying. A scan runs
** each policy's rule as of a day over every talent record and, for each
** person it covers who holds no entitlement under that policy yet, creates
** the entitlement through the same path as an officer's decision
** (talent_entitle_on(), origin "scan"). Such an entitlement awaits the
** person's confirmation of the bank account (talent_confirm()); until then
** no payment batch takes its instalments. The scan also says who was
** close: a record the rule could not decide because a fact is missing, or
** one that fails exactly one criterion.
*/
#ifndef XINQU_TALENT_SCAN_H
#define XINQU_TALENT_SCAN_H

#include <jansson.h>
#include "../base/base.h"
#include "../store/store.h"
#include "accounts.h"

/* What a talent check says of a person for the scan. */
typedef enum eScan {
  SCAN_NONE = 0, /* not covered, and not close */
  SCAN_FOUND,    /* covered (eligible true) */
  SCAN_CLOSE     /* undecided for want of facts, or failing one criterion only */
} eScan;

/* talent_scan_classify() classifies check (a talent_check() answer): found
** when eligible is true; close when eligible is null (no criterion failed,
** some fact is missing) or when eligible is false with exactly one failed
** criterion and none unknown; otherwise none. *why (new, never NULL) is,
** for found, the explanation's summary: the rule's text then every
** criterion met, joined by "；"; for close, [{code, missing (true: the fact
** is unknown), text}] of the criteria not met; for none, null. A policy not
** in force (no criteria) is none. Pure: no store, no clock. */
eScan talent_scan_classify(const json_t *check, json_t **why);

/* talent_scan() scans {policy? (every policy when absent), on? (today by
** default; not after today unless dry_run), dry_run? (false), limit? (the
** people listed in found and in close, 1–1000, 100 by default)} over the
** talent records. Policy officers of the talent department and
** administrators (talent_officer()); actor NULL is the command line.
** The records are read in pages of TALENT_SCAN_PAGE persons; each page's
** found people are written in one write job (their entitlements, each with
** its talent.entitle event, and one talent.scan event), unless dry_run,
** which writes nothing. A person who holds the policy already is counted
** as held and not checked again, so a rerun creates nothing twice; one
** covered but holding a policy this one may not be held with
** (talent_held_exclusive()) is counted as excluded and as close (listed
** there with the reason, code "exclusive"), not granted.
** Returns (new) {on, dry_run, policies: [{policy, name, in_force, reason?,
** scanned, held, found, created, close, excluded}], found: [{number, name, policy,
** policy_name, amount_fen, instalments, why, entitlement (its id; null in a
** dry run)}], close: [{number, name, policy, policy_name, reasons: [{code,
** missing, text}]}], found_total, created_total, close_total, truncated
** (true when a list holds fewer than its total)}, or NULL with *e
** (talent.forbidden, talent.bad_policy, talent.bad_date, …). A failed page
** stops the scan; the pages written before it stay (each is whole). */
json_t *talent_scan(Store *s, const User *actor, const json_t *in, Err *e);

enum { TALENT_SCAN_PAGE = 1000 };

#endif
