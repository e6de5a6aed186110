/*
** talent_apply.h — talent applications as cases (issue 16): a catalogue
** item per talent policy, of 人社局 (the parameter talent/dept), whose cases
** the case engine (cases.h) handles as any other — intake, 补正, the SLA
** clock, notices, ratings. What this module adds is what such an item says
** and does, through the engine's hooks (talent_case_hooks):
**   - which policy it applies for, and whether the employer must confirm a
**     filing before intake (table talent_item, by item code: every version);
**   - the employer a filing names: the form's field "employer", the USCC of a
**     registered entity in existence; the case then waits in employer_review
**     for that entity's account (or its agent) to confirm or reject it;
**   - on approval, the entitlement decided in the case's own write job by
**     talent_entitle_case() on the person's record as of the filing day:
**     not eligible or exclusive refuses the approval, and nothing is written.
*/
#ifndef XINQU_TALENT_APPLY_H
#define XINQU_TALENT_APPLY_H

#include <jansson.h>
#include "../base/base.h"
#include "../store/store.h"
#include "accounts.h"
#include "cases.h"

/* The form field of an application that names the employer (its USCC). */
#define TALENT_APPLY_EMPLOYER "employer"


/* talent_case_hooks is what this module does with its items' cases
** (cases.h CaseItemHooks): register it with cases_item_hooks_add() before
** serving. */
extern const CaseItemHooks talent_case_hooks;

/* talent_apply_items_load() makes, for every talent policy, its
** application item (code JP-RSJ-RC-POLICY, department talent/dept, for
** persons, online and at the window, the form naming the employer when the
** policy's header says "employer: review") as a new version when it
** changed, and records what it says in talent_item. *n gets the items
** written. Run by init --demo jinpu and by `xinqu talent items`. */
int talent_apply_items_load(Store *s, const User *actor, int64_t *n, Err *e);

#endif
