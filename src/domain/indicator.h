/*
** indicator.h — 指标: the economic indicators the administration is judged
** by (issue 17), and the figures xinqu's own records give.
**
** The catalogue (table indicator, migration 19): code, names, unit, the
** decimals its values are kept and published with, frequency (month 月 /
** quarter 季 / year 年), cumulative (累计值: the year so far, as most
** Chinese statistics are reported) or a point value, the reporting
** department, whether the city's (大连市) value is kept, and the source:
** entered by the department, or computed by xinqu from its own records
** through a named feed (IndicatorFeed, registered like the case engine's
** hooks). Values are exact decimals (dec.h), never floats.
**
** Values by period (indicator_value): a correction is a new version, the
** old kept; each version keeps its source, who entered it and when, and
** optionally an official growth rate entered as such (GDP's growth is at
** comparable prices and cannot be computed from nominal values). The city's
** values are a second series of the same indicator (scope "city").
**
** Derived: 当月 from 累计 (month m = cum m − cum m−1, the first period is the
** cumulative itself), 同比 and 累计同比 from the same period of the year
** before (unknown when that value is missing: never 0), the share of the
** city, targets (growth, level, in step with another indicator, or
** qualitative text) with progress against the target and against time and
** a status decided by indicator_status(), whose rule is returned beside it.
**
** Who: officials (policy, investment officers, approvers) of an indicator's
** department enter and correct its values, the area's and the city's;
** administrators any entered indicator's; nobody a computed one. Targets
** are set by the officials of the departments of parameter
** indicator/target_depts (发展和改革局 and 统计局) and administrators. Every
** official, leader and auditor reads everything; applicants nothing.
*/
#ifndef XINQU_INDICATOR_H
#define XINQU_INDICATOR_H

#include <jansson.h>
#include "../base/base.h"
#include "../base/buf.h"
#include "../base/dec.h"
#include "../store/store.h"
#include "accounts.h"

/* ---- periods ------------------------------------------------------------ */

/* How many periods a year has: the frequency. */
typedef enum eFreq { FREQ_YEAR = 1, FREQ_QUARTER = 4, FREQ_MONTH = 12 } eFreq;

/* indicator_freq_parse() is the frequency named "month", "quarter" or
** "year" (also 月, 季, 年), or 0. indicator_freq_name() the reverse. */
eFreq indicator_freq_parse(const char *s);
const char *indicator_freq_name(eFreq f);

/* indicator_period_parse() reads a period of frequency f: "2021-03" (also
** "2021-3", "2021年3月"), "2021-Q1" (also "2021年1季度", "2021Q1"),
** "2021" (also "2021年"): year and seq (month, quarter, 0 for the year).
** 0, or -1 when it is no such period. */
int indicator_period_parse(const char *s, eFreq f, int *year, int *seq);

/* indicator_period_text() writes the canonical text of a period into out
** (at least 16 bytes): "2021-03", "2021-Q1", "2021". */
char *indicator_period_text(char *out, eFreq f, int year, int seq);

/* ---- what is derived (pure functions) ----------------------------------- */

/* A figure that may be unknown (missing is never 0). */
typedef struct DecOpt {
  bool known;
  Dec v;
} DecOpt;

/* indicator_derive() turns the cumulative values cum[0..n) of the periods
** of one year (period 1 first) into each period's own value (当月/当季):
** out[0] = cum[0], out[i] = cum[i] − cum[i−1]; unknown when either is. */
void indicator_derive(const DecOpt *cum, int n, DecOpt *out);

/* indicator_growth() is the growth from prev to cur in per cent, rounded
** half away from zero to one decimal: unknown when either is unknown or
** prev is 0 (a growth from nothing is no number). */
DecOpt indicator_growth(DecOpt cur, DecOpt prev);

/* indicator_share() is part ÷ whole in per cent to one decimal, unknown
** when either is unknown or whole is 0. */
DecOpt indicator_share(DecOpt part, DecOpt whole);

/* ---- the status rule ------------------------------------------------------ */

typedef enum eTargetKind { TK_GROWTH = 1, TK_LEVEL, TK_IN_STEP, TK_TEXT } eTargetKind;

/* StatusIn: what indicator_status() judges. */
typedef struct StatusIn {
  eTargetKind kind;
  bool at_most;        /* the target is a ceiling (失业率 ≤ …), not a floor */
  bool cumulative;     /* the indicator is a 累计值 */
  Dec target;          /* growth, in_step: per cent (in_step: unused); level: the level */
  DecOpt growth;       /* the latest period's growth (official when entered), per cent */
  DecOpt ref_growth;   /* in_step: the growth of the indicator kept in step with */
  DecOpt value;        /* level: the latest value */
  DecOpt progress;     /* value ÷ the year's target level, per cent (任务进度) */
  Dec time;            /* the share of the year the latest period closes, per cent (时间进度) */
  Dec growth_band;     /* amber band below a growth target, percentage points */
  Dec time_band;       /* amber band of progress behind time, percentage points */
} StatusIn;

typedef enum eStatus { ST_UNKNOWN = 0, ST_GREEN, ST_AMBER, ST_RED, ST_NONE } eStatus;

/* StatusOut: the status and the rule that decided it, in words. */
typedef struct StatusOut {
  eStatus status;
  char rule[512];      /* the rule applied, with this case's figures (Chinese) */
  char rule_en[512];   /* the same in English */
} StatusOut;

/* indicator_status() is THE status rule (green 绿 / amber 黄 / red 红):
**  - growth target g (a floor): the latest growth G (the official rate when
**    one is entered, else the computed 累计同比) — green when G ≥ g, amber
**    when g − growth_band ≤ G < g, red below; mirrored for a ceiling;
**  - in_step target: G against the growth of the other indicator R — green
**    when G ≥ R, amber when R − growth_band ≤ G < R, red below;
**  - level target of a cumulative indicator: progress P (value ÷ target)
**    against time T (时间过半、任务过半) — green when P ≥ T, amber when
**    T − time_band ≤ P < T, red below (at the year's end T is 100: green
**    only when the target is reached);
**  - level target of a point value: green when the value is at or beyond
**    the target (≥ a floor, ≤ a ceiling), red otherwise;
**  - text target: not judged (ST_NONE);
**  - unknown (ST_UNKNOWN) when a figure the rule needs is missing.
** Fills *out with the status and the rule with its figures, in Chinese and
** English. Returns out->status. */
eStatus indicator_status(const StatusIn *in, StatusOut *out);

/* indicator_status_name() is "green", "amber", "red", "none" or "unknown";
** indicator_status_label() the Chinese (绿、黄、红、不评价、未知). */
const char *indicator_status_name(eStatus s);
const char *indicator_status_label(eStatus s);

/* ---- feeds: indicators computed from xinqu's own records ----------------- */

/* IndicatorFeed: a named computation over xinqu's own data. value() gives
** the figure of the days from..to (YYYY-MM-DD, both included: the year so
** far for a cumulative indicator, the period for a point value) in the
** indicator's unit, and appends to link the address (a web route or an API
** query) of the records behind it, naming the first day as from's text
** (so the link of a sum of periods is the first period's with its from
** replaced); f is the feed itself (its arg says
** which: a rung of the ladder). 1 with *out, 0 when there is no figure (a
** rate of nothing), -1 with *e. */
typedef struct IndicatorFeed IndicatorFeed;
struct IndicatorFeed {
  const char *code;    /* what the catalogue's feed column names: "registry.new_entities" */
  const char *name;    /* Chinese, for the catalogue */
  const char *name_en;
  const char *unit;    /* the unit value() answers in */
  int (*value)(const IndicatorFeed *f, Db *db, const char *from, const char *to, Dec *out, Buf *link, Err *e);
  const char *arg;     /* what one computation of several feeds reads (a rung's code), or NULL */
  int decimals;        /* the decimals its figures are shown with */
  bool adds;           /* the figures of adjoining days add up (a count, an amount; not a rate) */
};

/* indicator_feed_add() registers f (static storage); panics when one of
** that code is there already or the table is full. Call before serving,
** from one thread. indicator_feed_find() is the feed of code, or NULL. */
void indicator_feed_add(const IndicatorFeed *f);
const IndicatorFeed *indicator_feed_find(const char *code);

/* indicator_feed_at() is the i-th feed registered (0 first), NULL past the last. */
const IndicatorFeed *indicator_feed_at(int i);

/* The feeds of xinqu's own domains (indicator_feeds.c): registry (new market
** entities), cases (filed, on-time rate), 招商 (signed projects, funds in
** place), the ladder (titles granted per rung), talent (entitlements decided,
** subsidies paid).
** indicator_feeds_register() adds each once (again is a no-op). */
void indicator_feeds_register(void);

/* ---- the API -------------------------------------------------------------- */

/* indicator_list() is the catalogue (new array), each with what actor may
** do (may_enter), or NULL with *e (auth.forbidden for applicants). */
json_t *indicator_list(Store *s, const User *actor, Err *e);

/* indicator_get() is indicator code with its year's periods (values as
** indicator_values()) and targets, or NULL with indicator.not_found. */
json_t *indicator_get(Store *s, const User *actor, const char *code, int year, Err *e);

/* indicator_values() is {indicator, year, periods: [{period, value,
** period_value (当月/当季, cumulative only), growth {value, kind
** official|computed, basis}, growth_period (当月同比), share, city, version,
** versions, source, entered_by, entered_at, link (computed)}]} of year
** (new), or NULL with *e. */
json_t *indicator_values(Store *s, const User *actor, const char *code, int year, Err *e);

/* indicator_versions() is every version of one period's value (scope
** "area" or "city"), newest first (new array), or NULL with *e. */
json_t *indicator_versions(Store *s, const User *actor, const char *code, const char *period, const char *scope,
                           Err *e);

/* indicator_enter() records a value from in: {period, value (decimal
** text), scope? ("area" | "city"), growth? (official rate, per cent),
** growth_basis? (default 可比价 when growth is given), source, note?
** (required for a correction)}. A period already holding a value gets a
** new version (a correction). Refusals: indicator.not_found,
** indicator.forbidden (not the indicator's department), indicator.computed
** (computed by xinqu: not entered), indicator.no_city (the city's value is
** not kept), indicator.bad_period, dec.*, request.missing_field.
** Returns the new version (new object), or NULL with *e. */
json_t *indicator_enter(Store *s, const User *actor, const char *code, const json_t *in, Err *e);

/* indicator_target_set() sets a year's target from in: {year, kind
** (growth | level | in_step | text), value? (per cent or level), direction?
** (min | max), ref? (in_step: the code of the other indicator), text (as
** published), source?}; again for the same year is a new version.
** Refusals: indicator.not_found, indicator.forbidden (not a target
** department: parameter indicator/target_depts), indicator.bad_target.
** Returns the target as judged (new object), or NULL with *e. */
json_t *indicator_target_set(Store *s, const User *actor, const char *code, const json_t *in, Err *e);

/* indicator_targets() is {year, targets: [{indicator, name, unit, text,
** kind, value, direction, ref, growth, value_now, period, progress, time,
** status, status_label, rule, rule_en}]} (new), or NULL with *e. */
json_t *indicator_targets(Store *s, const User *actor, int year, Err *e);

/* indicator_report() is the year's report (new): {year, demo, lines:
** [{code, name, unit, value (text, the indicator's decimals), period
** (the latest period, when the year is not complete), complete, growth
** {value, kind, basis} or null, share or null, source, link}]}, one per
** indicator in catalogue order; NULL with *e. actor NULL: the system (CLI). */
json_t *indicator_report(Store *s, const User *actor, int year, Err *e);

/* indicator_board() is the indicators' part of the leaders' board (new):
** {month, demo, indicators: [the report's line (as of the end of month)
** with frequency, cumulative, department, department_name, link (the web
** route of its records), trend {periods, values (each period's own: 当月 /
** 当季 of a cumulative one), previous (last year's), growth}, target (null,
** or the year's target as indicator_targets() judges it as of month)}],
** status_counts {green, amber, red, none, unknown}}. month (1–12) cuts the
** year at its end; 0: as of the last month any indicator has a value (this
** month of this year when none has). NULL with *e. */
json_t *indicator_board(Store *s, const User *actor, int year, int month, Err *e);

/* indicator_import() reads values from an Excel or CSV file (columns: 指标代码,
** 期别, 口径 (本区/大连市), 数值, 官方增速, 增速口径, 来源, 说明): all or
** nothing, each row checked as indicator_enter() checks it, refusals by
** line (import.rejected with e->all). dry_run checks only. Returns {rows,
** imported, dry_run} (new), or NULL with *e. */
json_t *indicator_import(Store *s, const User *actor, const void *data, size_t n, bool dry_run, Err *e);

/* indicator_export() writes the values of year (the latest versions, both
** scopes, entered indicators) as Excel (xlsx) or CSV into out, in the
** columns indicator_import() reads. 0, or -1 with *e. */
int indicator_export(Store *s, const User *actor, int year, bool xlsx, Buf *out, Err *e);

/* indicator_targets_import() reads targets from Excel or CSV (columns 指标代码,
** 年度, 目标类型 (增速/总量/同步/定性), 目标值, 方向 (不低于/不高于), 对照指标, 目标表述,
** 来源), each row checked as indicator_target_set() checks it, all or
** nothing, refusals by line; each row is a new version of its target.
** indicator_targets_export() writes a year's targets in those columns. */
json_t *indicator_targets_import(Store *s, const User *actor, const void *data, size_t n, bool dry_run, Err *e);
int indicator_targets_export(Store *s, const User *actor, int year, bool xlsx, Buf *out, Err *e);

/* indicator_demo_load() makes the Jinpu demo's catalogue, its values of
** 2019–2022 (the article's 2021 figures; the rest demonstration values),
** the city's values for the shares and the 2022 targets; all marked 演示.
** *nIndicator and *nValue say how many were written (0 when the catalogue
** is there already). 0, or -1 with *e. */
int indicator_demo_load(Store *s, int64_t *nIndicator, int64_t *nValue, Err *e);

#endif
