/*
** talent_pay.h — 人才政策兑现 (issue 16): a person's talent record (the facts
** the policies read), entitlements decided under a policy as of a day, their
** instalments re-checked before each is approved, and a double-entry ledger
** per policy and year that no approval may overdraw.
**
** Who. The talent department's policy officers (parameter talent/dept, 人社局
** in the Jinpu pack) and administrators keep records, decide entitlements,
** set budgets and review instalments; leaders and auditors read everything;
** a person (an applicant account whose party is the person's ID number)
** reads its own record and entitlements. Anyone else is answered as if the
** record did not exist (talent.not_found), a write outside one's scope
** talent.forbidden.
**
** The ledger. Money moves between the accounts of a policy and year, each
** move one row (from, to, amount): 拨款 appropriation → available when a
** budget is set; available → committed when an instalment is approved (never
** beyond what is available); committed → available when an approved one is
** stopped; committed → paid when the bank pays it. Every account's balance
** is the sum of what came in less what went out, so the accounts always sum
** to zero; talent_budget keeps the running balances in the same transaction
** (the approval's overdraw check is one conditional UPDATE on it).
*/
#ifndef XINQU_TALENT_PAY_H
#define XINQU_TALENT_PAY_H

#include <jansson.h>
#include "../base/base.h"
#include "../store/store.h"
#include "accounts.h"
#include "../base/buf.h"

/* talent_reader() is true when actor reads every talent record, entitlement
** and ledger: the talent department's policy officers, administrators,
** leaders and auditors. */
bool talent_reader(Store *s, const User *actor);

/* talent_record_put() replaces person number's record: {facts: {…the keys
** of the talent check's contract…}, sources?: {key: "where it came from"}};
** a null fact is dropped (unknown). Returns the record as talent_record()
** does, or NULL with *e (talent.bad_fact, person.not_found, …). */
json_t *talent_record_put(Store *s, const User *actor, const char *number, const json_t *in, Err *e);

/* talent_record() is {number, name, facts, sources, updated_at, checks:
** [every policy's talent_check() as of on (today when NULL)], entitlements:
** [...]} (new), or NULL with *e (talent.not_found). */
json_t *talent_record(Store *s, const User *actor, const char *number, const char *on, Err *e);

/* talent_entitle() decides {number, policy, on?} on the person's record as of
** on (today by default, never later): when eligible, writes the entitlement
** and its instalments (待复核), with the decision's explanation, and returns
** it as talent_entitlement() does; otherwise NULL with talent.not_eligible
** (E_CONFLICT, the why-not in the message), talent.entitled (one per person
** and policy), … */
json_t *talent_entitle(Store *s, const User *actor, const json_t *in, Err *e);

/* talent_entitle_case() is talent_entitle()'s decision taken inside the
** caller's write job on db (an application's approval, cases.c): person
** number's entitlement under policy as of day on, decision the committee's
** {amount_fen, ref} (一事一议; NULL: none), linked to case case_id; the same
** checks (talent.not_eligible with every reason, talent.exclusive,
** talent.entitled, talent.no_committee) and writes (the entitlement, its
** instalments 待复核, the audit event talent.entitle naming the case).
** actor is the one who decides (who need not be a policy officer: the
** case engine decided that). Returns the entitlement's id, or -1 with *e,
** having written nothing the caller's job must keep. */
int64_t talent_entitle_case(Db *db, const User *actor, int64_t now, const char *number, const char *policy,
                            const char *on, const json_t *decision, int64_t case_id, Err *e);

/* talent_committee_check() checks a committee's decision (一事一议):
** {amount_fen (1 分 … 10 亿元), ref (the minutes' number, ≤ 120
** characters)}, nothing else. 0, or -1 with *e (request.*). */
int talent_committee_check(const json_t *decision, Err *e);

/* talent_entitle_on() writes, inside the caller's write job on db, the
** entitlement of person person_id under policy decided on day on from
** check (talent_check() of the person's record as of on: eligible true, else
** panic): the entitlement with the decision's explanation, its instalments
** 待复核, and the audit event talent.entitle. origin is "decision" (an
** officer decided it) or "scan" (免申即享: it awaits the person's
** confirmation, and no batch takes its instalments before); decision the
** committee's (一事一议) facts, kept in the audit event, or NULL; case_id
** the application (case_file.id) it decides, 0 for none. actor NULL
** is the system (the command line). Returns its id, or -1 with *e
** (talent.entitled when the person holds the policy already,
** talent.exclusive when it holds one this may not be held with). */
int64_t talent_entitle_on(Db *db, const User *actor, int64_t now, int64_t person_id, const char *policy, const char *on,
                          const json_t *check, const json_t *decision, int64_t case_id, const char *origin, Err *e);

/* talent_held_exclusive() is 1 when the person holds (not wholly stopped)
** a policy that policy may not be held with as of on (talent_exclusive()),
** its code in held; 0 when none; -1 with *e. talent_entitle_on() refuses
** such a one (talent.exclusive); the scan passes it over. */
int talent_held_exclusive(Db *db, int64_t person_id, const char *policy, const char *on, char held[32], Err *e);

/* talent_officer() is true when actor (NULL: the command line) keeps the
** talent records: an administrator or a policy officer of the department
** named by the parameter talent/dept. */
bool talent_officer(Db *db, const User *actor);

/* talent_confirm() is the person's confirmation of its own entitlement id
** granted by the scan (免申即享), with {bank_name, bank_account}: records
** the account as talent_bank_put() does and marks the entitlement confirmed,
** in one write with the audit event talent.confirm. Returns the entitlement
** as talent_entitlement() does; NULL with talent.not_found (not the
** actor's own), talent.not_awaiting (not a scan's, or confirmed already),
** talent.bad_account, … */
json_t *talent_confirm(Store *s, const User *actor, int64_t id, const json_t *in, Err *e);

/* talent_entitlement() is {id, number, name, policy, policy_name, decided_on,
** amount_fen, state, reason, origin (decision | scan), awaiting_confirmation,
** confirmed_at, explanation, instalments: [{id, seq, due,
** amount_fen, state, reason, checked_on}], case_no (the application that
** decided it, or null)} (new), or NULL with *e. */
json_t *talent_entitlement(Store *s, const User *actor, int64_t id, Err *e);

/* talent_entitlements() lists entitlements the actor may see, newest first:
** {items: [{id, number, name, policy, policy_name, decided_on, amount_fen,
** state, next_due, pending, approved, paid, stopped}], total}. */
json_t *talent_entitlements(Store *s, const User *actor, const char *policy, const char *state, int page, int per_page,
                            Err *e);

/* talent_instalment_review() re-checks instalment id (待复核, due today or
** before, every earlier one decided) under its policy's re-check rule as of
** its due day on the person's record as it stands: when the person still
** qualifies, approves it (available → committed, refused with
** talent.over_budget when the year's budget cannot cover it); otherwise
** stops it and every later one, and the entitlement, with the reason.
** Returns the entitlement as talent_entitlement() does. */
json_t *talent_instalment_review(Store *s, const User *actor, int64_t id, Err *e);

/* TalentDecision: an instalment's review once decided. */
typedef struct TalentDecision {
  int64_t instalment, entitlement, seq, amount_fen;
  const char *policy, *due; /* the entitlement's policy, the instalment's due day */
  const char *reason;       /* NULL: approved; else stopped, for this reason */
} TalentDecision;

/* talent_decision_write() writes decision d in the caller's write job, as
** a review does once it has decided: an approval moves amount_fen from the
** year's available budget to committed (talent.over_budget, refused before
** any write), with its ledger row, the instalment approved and its audit
** event; a stop stops the instalment, every later one still pending and the
** entitlement, with its audit event. actor, now and today say who and when. */
int talent_decision_write(Db *db, const User *actor, int64_t now, const char *today, const TalentDecision *d, Err *e);

/* talent_instalment_run() is the monthly run an officer or the scheduler
** (actor NULL: the system, from the command line) starts with {policy?}:
** every instalment pending and due by today of an active entitlement (of
** policy, or of every policy) reviewed as talent_instalment_review()
** reviews one — the re-check as of its due day, the approval within the
** budget or the stop of it and every later one, each with its audit event —
** in order of due day, entitlement and seq, RUN_CHUNK to a transaction. One
** refused (talent.over_budget, …) stays pending and the run goes on.
** Returns {on, policy, due, approved, stopped, skipped (no longer pending
** when reached: stopped with an earlier one, or reviewed meanwhile),
** refused_total, refused: [{instalment, code, message}] (the first 100),
** truncated}, or NULL with *e (talent.forbidden, talent.bad_policy, or a
** database error: the chunks already written stay written, and a new run
** goes on with what is still pending). */
json_t *talent_instalment_run(Store *s, const User *actor, const json_t *in, Err *e);

/* talent_budget_add() adds {policy, year, amount_fen, memo?} to the policy's
** budget for the year (appropriation → available). Returns the ledger as
** talent_ledger() does. */
json_t *talent_budget_add(Store *s, const User *actor, const json_t *in, Err *e);

/* talent_ledger() is {policy, year, accounts: {appropriation, available,
** committed, paid}, balanced, entries: [{id, from, to, amount_fen,
** instalment, memo, created_at}] newest first, more, next_before} (new), or
** NULL: 200 entries a page, those below id before (0: the newest); more
** says there are older ones, from next_before on. */
json_t *talent_ledger(Store *s, const User *actor, const char *policy, int year, int64_t before, Err *e);

/* talent_bank_put() records {bank_name, bank_account (8–32 digits)} on
** person number's record, where its payments go: the person itself or an
** officer. Returns the record as talent_record() does (the account masked
** but for its last four digits in everything but the bank's file). */
json_t *talent_bank_put(Store *s, const User *actor, const char *number, const json_t *in, Err *e);

/* talent_batch_create() makes a payment batch {policy?} of every approved
** instalment not yet sent whose person has a bank account, but those of a
** scan's entitlement the person has not confirmed (talent.
** nothing_to_pay when there is none). Returns it as talent_batch() does. */
json_t *talent_batch_create(Store *s, const User *actor, const json_t *in, Err *e);

/* talent_batches() is {items: [{id, policy, items, total_fen, state
** (sent | settled), created_at, settled_at}]}, newest first (readers). */
json_t *talent_batches(Store *s, const User *actor, Err *e);

/* talent_batch() is a batch with its lines [{instalment, name, bank_name,
** bank_account (masked), amount_fen, policy, due, state, reason}]. */
json_t *talent_batch(Store *s, const User *actor, int64_t id, Err *e);

/* talent_batch_export() appends the bank's file of batch id (officers: it
** holds whole account numbers) to out: CSV, or Excel when xlsx. */
int talent_batch_export(Store *s, const User *actor, int64_t id, bool xlsx, Buf *out, Err *e);

/* talent_batch_result() applies the bank's result file (the batch's file
** with 结果 成功/失败 and 原因 filled in; all or nothing, refusals by line):
** a payment made becomes paid (committed → paid in the ledger); a refused
** one goes back to approved, out of the batch, with the bank's reason, to
** be sent again. The batch is settled when every line has its result.
** Returns the batch with {paid, refused}. */
json_t *talent_batch_result(Store *s, const User *actor, int64_t id, const void *data, size_t n, Err *e);

/* talent_stats() is the figures of a year: {year, high_level (高层次人才
** recognised in it: talent_tier with tier_on in the year), shortage (紧缺人才
** recognised in it), foreign_experts (外国专家 working in Jinpu during it:
** expert_on .. expert_until meets the year), housing_paid_fen (住房补贴:
** instalments of the policies of kind housing paid in it), housing_policies,
** definitions}; actor NULL for the command line. */
json_t *talent_stats(Store *s, const User *actor, int year, Err *e);

/* talent_demo_load() makes the Jinpu demo's talent records, 安居补贴 paid
** 2019–2022 with its ledger, and the figures of 2021 (talent_demo.c). */
typedef struct TalentDemoReport {
  int64_t records, entitlements, instalments;
  int missed;               /* figures of 2021 it could not reproduce (the log says which) */
  int residents, foreigners; /* registry persons it had */
} TalentDemoReport;
int talent_demo_load(Store *s, TalentDemoReport *rep, Err *e);

/* talent_rule_add() publishes {source} as a new version of a policy's rule
** (talent_publish(): effective today or later, never changing a decision
** already made): the talent department's policy officers and
** administrators. Returns {policy, version, effective_from}. */
json_t *talent_rule_add(Store *s, const User *actor, const json_t *in, Err *e);

/* talent_param_set() adds a version of some of policy's parameters, {params:
** {key: value}, effective_from} (today or later, after each one's newest
** version, each value of its current one's kind), kept as platform
** parameters (scope "talent.POLICY", params_set_in(): an audit event
** each), all in one transaction: the talent department's policy officers
** and administrators. Values the policy's rule fails with on any record of
** the register where it runs with the values in force (talent_whatif()'s
** talent.whatif_rule_fails) are refused, nothing written. Returns {policy,
** params: {key: [{from, value}]}}, the versions shipped and added of the
** keys changed. */
json_t *talent_param_set(Store *s, const User *actor, const char *policy, const json_t *in, Err *e);

/* talent_instalment_recover() records money paid back (追回) of paid
** instalment id: {amount_fen (at most what is left to recover of it),
** reason, stop_rest?}: the ledger moves it from paid to recovered in the
** instalment's year, the instalment is recovered once all of it is back;
** with stop_rest its pending instalments and those approved but not yet
** sent to the bank (their commitment going back to the budget) stop with
** the reason, and so does the entitlement when any did. One transaction with its audit event
** talent.recover; the talent department's officers. Returns the
** entitlement as talent_entitlement() does. */
json_t *talent_instalment_recover(Store *s, const User *actor, int64_t id, const json_t *in, Err *e);

#endif
