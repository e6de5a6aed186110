/*
** ladder.h — 企业梯度培育 (issue 15): the qualification ladder's rungs —
** 科技型中小企业 kjxzx, 高新技术企业 gaoqi, 创新型中小企业 cxx, 专精特新中小企业
** zjtx, 专精特新“小巨人” xjr, 制造业单项冠军 dxgj — each a versioned rule in
** the Lua sandbox (rules.h) with the day it takes effect and the measure it
** cites (data/ladder/RUNG-VERSION.lua; the helpers of data/rules/common.lua
** and data/ladder/lib.lua run once per check, before all of them:
** rules_eval_shared()). A rule reports every criterion — met, not met or unknown (a fact
** missing; never counted as met) — with the figure, the threshold and what
** it means in plain Chinese, and decides the rung in Kleene's three-valued
** logic: eligible, not, or unknown.
*/
#ifndef XINQU_LADDER_H
#define XINQU_LADDER_H

#include <jansson.h>
#include "../base/base.h"
#include "../store/store.h"
#include "../base/buf.h"
#include "accounts.h"

/* ladder_check() runs every rung's rule in force on day on (YYYY-MM-DD)
** over facts (a JSON object: money in 万元, counts as integers; see the
** rules for the keys) and returns (new) {on, rungs: [{rung, name,
** eligible (true|false|null), score (number|null), rule_version,
** effective_from, citation, criteria: [{code, met, value, threshold,
** message}], why_not: [messages of the criteria not met or unknown]}]}, or
** NULL with *e (ladder.bad_facts, ladder.bad_date). A rung with no version
** in force on that day is eligible null, rule_version null. */
json_t *ladder_check(const json_t *facts, const char *on, Err *e);

/* ladder_version_add() adds a rule version from its source, whose first
** lines name it ("-- rung: gaoqi", "-- name: …", "-- version: N",
** "-- effective_from: YYYY-MM-DD", "-- citation: …"); the rule must
** compile. Returns 0, or -1 with *e (ladder.bad_rule, rule.syntax). The
** versions of data/ladder are there from the start. */
int ladder_version_add(const char *source, Err *e);

/* ladder_rung_name() is the Chinese name of a rung, or of "rdi" (研发机构,
** a title that is not checked by a rule), NULL for no such code.
** ladder_rung_count() and ladder_rung_code(i) list the rungs, bottom up. */
const char *ladder_rung_name(const char *code);
int ladder_rung_count(void);
const char *ladder_rung_code(int i);

/* ladder_valid_years() is how many years a title of rung granted on day
** on is valid, as its rule version in force that day says (0: unknown). */
int ladder_valid_years(const char *rung, const char *on);


/* ladder_sync() loads the versions of table ladder_rule not yet loaded
** (added by an administrator, here or on another server). 0, or -1. */
int ladder_sync(Db *db, Err *e);

/* ladder_rungs_json() is [{code, name, rule: true, valid_years, versions:
** [{version, effective_from, citation, name}]}] (new), bottom rung first,
** then 研发机构 {code: rdi, name, rule: false, valid_years: null, versions:
** []}: a title with no rule. */
json_t *ladder_rungs_json(void);

/* ladder_publish() adds source as a version of its rung (rulebook_publish():
** checked, kept in ladder_rule with its audit event, loaded); who may is
** ladder_rule_add()'s to check. */
json_t *ladder_publish(Store *s, const User *actor, const char *source, Err *e);

/* ladder_prelude() is the helpers every rung's rule runs after
** (rules/common.lua and ladder/lib.lua: rulebook_prelude()), NULL when the
** data lacks them. */
const char *ladder_prelude(void);

/* ladder_rule_text() is the text of a version (new string), or NULL. */
char *ladder_rule_text(const char *rung, int version);

/* ---- the records (ladder_data.c) ------------------------------------------
** Each enterprise's figures per year, its titles (认定), officers' visits,
** where it stands on every rung (the 培育库), and the ladder's figures.
** Who: the policy officers of a department that recognises a rung
** (parameter ladder/rung_depts) keep facts and visits of any enterprise
** and the titles of their rungs; administrators everything; leaders and
** auditors read; an applicant (or its agent) reads its own enterprise's
** ladder. Every write is one job with its audit event. */

/* The facts dictionary: what a year's record may hold. */
typedef enum eLadderFactKind { LF_INT, LF_WAN, LF_PCT, LF_SCORE, LF_RANK, LF_BOOL } eLadderFactKind;
typedef struct LadderFact {
  const char *key, *label;
  eLadderFactKind kind;
} LadderFact;
extern const LadderFact ladder_facts[];
extern const int nLadderFact;
/* ladder_fact_keys() is [{key, label, kind}] (new). */
json_t *ladder_fact_keys(void);

/* ladder_assemble() builds the facts the rules read for entity_id (its
** registry established day) as of day on: the figures of the last closed
** year (on's year − 1, into *facts_year) with the series of the years
** before (sales_3y, rd_3y, rd_in_china_3y, main_revenue_3y, equity_2y,
** equity_3y), the year's incident as incident_last_year, registered_on,
** and the titles. 0 with *facts (new), or -1. */
int ladder_assemble(Db *db, int64_t entity_id, const char *established, const char *on, json_t **facts,
                    int *facts_year, Err *e);

/* ladder_refresh() writes entity_id's standing on every rung as of on
** (inside a write job). */
int ladder_refresh(Db *db, int64_t entity_id, const char *established, const char *on, Err *e);

/* ladder_enterprise() is an enterprise's ladder as of on (today when NULL):
** {entity, on, facts_year, facts, years, titles, check, next, visits
** (officials only)} (new), or NULL with *e (ladder.forbidden,
** ladder.no_entity, ladder.bad_date). */
json_t *ladder_enterprise(Store *s, const User *actor, const char *uscc, const char *on, Err *e);

/* ladder_facts_put() merges {facts: {key: value | null}, source} into
** the enterprise's record of year (text, from the path), and returns the
** enterprise's ladder; ladder.bad_fact, ladder.unknown_fact,
** ladder.bad_year. */
json_t *ladder_facts_put(Store *s, const User *actor, const char *uscc, const char *year, const json_t *in, Err *e);

/* Titles: add {uscc, rung (a rung or rdi), cert_no, granted_on,
** valid_until? (by default granted_on + the rung's valid years − 1 day;
** open for rdi), level}; renew id {cert_no, granted_on, valid_until?};
** revoke id {on, reason}. Each returns the title (new). */
json_t *ladder_title_add(Store *s, const User *actor, const json_t *in, Err *e);
json_t *ladder_title_renew(Store *s, const User *actor, int64_t id, const json_t *in, Err *e);
json_t *ladder_title_revoke(Store *s, const User *actor, int64_t id, const json_t *in, Err *e);

typedef struct LadderTitleQuery {
  const char *rung, *state, *uscc; /* state: held | expiring | lapsed | revoked */
  int within;                      /* expiring: days ahead (90 by default) */
  int page, per_page;
} LadderTitleQuery;
/* ladder_titles() pages through the titles of q: {items: [title + uscc,
** name], total, page, per_page, rungs: [the codes the list covers]}. The
** register is public to every official; the expiring list of a policy
** officer covers its department's rungs only (ladder/rung_depts; none when
** it keeps none), everyone's for administrators, leaders and auditors. */
json_t *ladder_titles(Store *s, const User *actor, const LadderTitleQuery *q, Err *e);

/* ladder_rungs() is ladder_rungs_json() with each rung's keeping
** department as parameter ladder/rung_depts in force today names it:
** dept {id, code, name, name_en}, or null when it names none (new), or
** NULL with *e. */
json_t *ladder_rungs(Store *s, Err *e);

/* ladder_visit_add() records {on, kind, note, next_step?, next_on?}. */
json_t *ladder_visit_add(Store *s, const User *actor, const char *uscc, const json_t *in, Err *e);

/* ladder_pool() is the 培育库: enterprises at their next rung, ready ones
** first, then the nearest (criteria met), of rung or of the officer's
** rungs: {items: [{uscc, name, rung, rung_name, eligible, met, unknown,
** total, gaps, checked_on}], total, page, per_page}. */
json_t *ladder_pool(Store *s, const User *actor, const char *rung, int page, int per_page, Err *e);

/* ladder_stats() is the ladder's figures of year (actor NULL: the command
** line): {year, rungs: [{rung, name, held (at the year's end), granted,
** first, renewed, lapsed, revoked}], rd_institutions, rd_institutions_new,
** moves: [{from, to, count}], series: [{year, rungs: {code: {held,
** granted}}, rd_institutions}] from 2017}. */
json_t *ladder_stats(Store *s, const User *actor, int year, Err *e);

/* ladder_rule_add() publishes a rule version {source} (administrators;
** effective today or later). */
json_t *ladder_rule_add(Store *s, const User *actor, const json_t *in, Err *e);

/* Facts ledgers: import (all or nothing; 400 import.rejected with each
** refused row's line) and export of a year. */
json_t *ladder_facts_import(Store *s, const User *actor, const void *data, size_t n, bool dry_run, Err *e);
int ladder_facts_export(Store *s, const User *actor, int year, bool xlsx, Buf *out, Err *e);
int ladder_stats_export(Store *s, const User *actor, int year, bool xlsx, Buf *out, Err *e);

/* ladder_demo_load() makes the Jinpu demo's ladder (ladder_demo.c):
** titles since 2017 that give the article's figures of 2021, figures of
** the last three years for the enterprises on the ladder, and their
** standings. A registry with too few companies registered before 2015
** gets what they allow (nothing below 400), and rep->missed says how many
** of the article's figures of 2021 the data does not give, each also
** logged (0: all of them). */
typedef struct LadderDemoReport {
  int64_t enterprises, titles, facts; /* what was made */
  int64_t companies; /* companies registered before 2015 found (up to 3000 used) */
  int missed;        /* the article's figures of 2021 not reproduced */
} LadderDemoReport;
int ladder_demo_load(Store *s, LadderDemoReport *rep, Err *e);

/* ladder_daily() is the daily job's run: every standing older than today
** refreshed, and the expiry reminders opened as tasks ({refreshed,
** alerted} in *report). */
int ladder_daily(Store *s, int64_t now, json_t **report, Err *e);

/* The daily job (standings as of today, expiry reminders) and what
** completing a reminder does (nothing to the title). */
struct ScheduleJob;
struct TaskSubject;
extern const struct ScheduleJob ladder_daily_job;
extern const struct TaskSubject ladder_task_subject;

#endif
