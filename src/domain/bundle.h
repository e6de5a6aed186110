/*
** bundle.h — bundles (一件事): one form fanned out into child cases of
** several departments under one clock (企业开办 in 0.5 working day; 零时限审批
** permits pre-reviewed on a land parcel). A bundle kind is data (table
** bundle_kind, kept by an administrator): its label, its clock in half
** working days, whether its children wait for a land contract, and its
** catalogue items. The children are ordinary cases (cases.h); a bundle is
** the view over them. All SQL on bundle and bundle_kind lives in bundle.c.
*/
#ifndef XINQU_BUNDLE_H
#define XINQU_BUNDLE_H

#include <jansson.h>
#include "../base/base.h"
#include "../store/store.h"
#include "accounts.h"

enum { BUNDLE_MAX_ITEMS = 8 }; /* items a kind may list (each a child case of one filing) */

/* bundle_kinds() lists the kinds: [{kind, label, half_days, parcel, items:
** [item codes]}] (new array). bundle_kind_save() creates or replaces kind
** from {label (≤ 40 characters), half_days (0–40; 0 = no clock), parcel,
** items (1–BUNDLE_MAX_ITEMS catalogue item codes, no repeats)} with its
** audit event, and returns the saved kind. */
json_t *bundle_kinds(Store *s, Err *e);
json_t *bundle_kind_save(Store *s, const User *actor, const char *kind, const json_t *in, Err *e);

/* bundle_create() files a bundle from {kind, form: {…; for a kind with a
** business licence: name, kind, legal_rep, capital_fen, industry, address,
** district}, materials{key: sha256} (each child takes those its item asks
** for), channel?, party?, parcel? (for a kind whose children wait for a
** land contract)}: one submitted child case per item of the kind, all in
** one write with the bundle and its audit event. Returns the bundle's view. */
json_t *bundle_create(Store *s, const User *actor, const json_t *in, Err *e);

/* For a module that files a bundle inside its own write (invest.h: 帮办).
** bundle_filing_prepare() checks a filing as bundle_create() does, outside
** the writer, and returns it (new; bundle_filing_free()), or NULL with *e.
** helper_dept is 0 for a filing by the applicant, its agent or a clerk;
** otherwise the department of the investment officer actor, who the caller
** has established may file for in's party as 帮办 (invest.h says who): the
** children are filed online as the party's, as its applicant's would be;
** the kind must register a new entity (an item with registry_effect
** "register"; bundle.not_founding otherwise); and that department's
** investment officers see the bundle and act on its children as its
** applicant would (bundle_helps()), while the applicant sees and
** continues it as its own. bundle_filing_write() writes f inside a write
** job — the bundle, its children, and the audit event bundle.create whose
** details take why's members too (why may be NULL) — and sets *id. 0, or
** -1 with *e. */
typedef struct BundleFiling BundleFiling;
BundleFiling *bundle_filing_prepare(Store *s, const User *actor, const json_t *in, int64_t helper_dept, Err *e);
int bundle_filing_write(Db *db, BundleFiling *f, json_t *why, int64_t *id, Err *e);
void bundle_filing_free(BundleFiling *f);

/* bundle_helps() is true when u is an investment officer of the
** department that helps (帮办) bundle id's applicant with it (a read error
** counts as no). Reads through db, so inside a write job it sees the
** bundle that job filed. */
bool bundle_helps(Db *db, const User *u, int64_t id);

/* bundle_get() is the view over a bundle's children (new object): status
** (in_progress | done | blocked), done and total, remaining time on the
** bundle's clock, the new entity's USCC once its licence has issued, and
** for a bundle filed as 帮办 helper: {username, name, dept} of the officer
** who filed it. An applicant sees its own bundles (or those of a party it
** is an agent of); an official those in which it may see a child (a
** helper every child). bundle.not_found otherwise. */
json_t *bundle_get(Store *s, const User *actor, int64_t id, Err *e);

/* For the case engine, inside a write job: bundle_entity_set() records
** the market entity that bundle id's licence registered; bundle_entity()
** copies it (uscc "" while none) and the name the bundle's form gave. 0,
** or -1 with *e. */
int bundle_entity_set(Db *db, int64_t id, const char *uscc, Err *e);
int bundle_entity(Db *db, int64_t id, char *uscc, size_t ucap, char *name, size_t ncap, Err *e);

/* bundle_label() copies the label of bundle id's kind (e.g. "企业开办";
** "" when there is no such bundle) into out, for the messages about the
** bundle. 0, or -1 with *e. */
int bundle_label(Db *db, int64_t id, char *out, size_t cap, Err *e);

#endif
