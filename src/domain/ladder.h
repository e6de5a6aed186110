/*
** ladder.h — 企业梯度培育 (issue 15): the qualification ladder's rungs —
** 科技型中小企业 kjxzx, 高新技术企业 gaoqi, 创新型中小企业 cxx, 专精特新中小企业
** zjtx, 专精特新“小巨人” xjr, 制造业单项冠军 dxgj — each a versioned rule in
** the Lua sandbox (rules.h) with the day it takes effect and the measure it
** cites (data/ladder/RUNG-VERSION.lua; data/ladder/lib.lua is put before
** each). A rule reports every criterion — met, not met or unknown (a fact
** missing; never counted as met) — with the figure, the threshold and what
** it means in plain Chinese, and decides the rung in Kleene's three-valued
** logic: eligible, not, or unknown.
*/
#ifndef XINQU_LADDER_H
#define XINQU_LADDER_H

#include <jansson.h>
#include "../base/base.h"

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

#endif
