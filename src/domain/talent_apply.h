/*
** talent_apply.h — talent applications as cases (issue 16): a catalogue
** item per talent policy, of 人社局 (the parameter talent/dept), whose cases
** the case engine (cases.h) handles as any other — intake, 补正, the SLA
** clock, notices, ratings. What this module adds is what such an item says
** and does:
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

/* The form field of an application that names the employer (its USCC). */
#define TALENT_APPLY_EMPLOYER "employer"

/* What a talent application item says. */
typedef struct TalentItem {
  char policy[32];       /* the policy it applies for (talent.h) */
  bool employer_review;  /* the employer confirms a filing before intake */
} TalentItem;

/* talent_apply_item() reads what item code says as a talent application
** through db: 1 with *ti, 0 when it is none, -1 with *e. */
int talent_apply_item(Db *db, const char *item_code, TalentItem *ti, Err *e);

/* talent_apply_employer() reads the employer a filing's form names (field
** TALENT_APPLY_EMPLOYER, letters upper-cased) into uscc: a valid USCC of a
** registered entity in existence. -1 with *e (field "form.employer"):
** talent.bad_employer, talent.employer_unknown, talent.employer_not_active. */
int talent_apply_employer(Db *db, const json_t *form, char uscc[19], Err *e);

/* talent_apply_approve() decides, inside the approval's write job, the
** entitlement of case case_id (person number, filed on day filed) under
** ti's policy, with the committee's decision (一事一议; NULL: none) from the
** approver's move: talent_entitle_case(). Returns its id, or -1 with *e
** (talent.not_eligible, talent.exclusive, talent.entitled, …). */
int64_t talent_apply_approve(Db *db, const User *actor, int64_t now, const TalentItem *ti, int64_t case_id,
                             const char *number, const char *filed, const json_t *decision, Err *e);

/* talent_apply_of_case() is the entitlement case_id decided, {id, policy,
** policy_name, amount_fen, state, decided_on} (new), json null when none,
** or NULL with *e. */
json_t *talent_apply_of_case(Db *db, int64_t case_id, Err *e);

/* talent_apply_items_load() makes, for every talent policy, its
** application item (code JP-RSJ-RC-POLICY, department talent/dept, for
** persons, online and at the window, the form naming the employer when the
** policy's header says "employer: review") as a new version when it
** changed, and records what it says in talent_item. *n gets the items
** written. Run by init --demo jinpu and by `xinqu talent items`. */
int talent_apply_items_load(Store *s, const User *actor, int64_t *n, Err *e);

#endif
