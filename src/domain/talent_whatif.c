/*
** talent_whatif.c — a change of a policy's parameters measured over the
** talent register, beside the rules in force (talent_whatif.h).
*/
#include "talent_whatif.h"
#include "talent.h"
#include "talent_pay.h"
#include "../base/cal.h"
#include "../base/jsonx.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the layering ---------------------------------------------------------- */

/* value_ok() is true when v may stand for parameter key, whose versions hold
** was (the value of its first version): an integer within the key's range
** (talent_param_range(); an integer key without one takes none). */
static bool value_ok(const char *key, const json_t *was, const json_t *v) {
  int day;
  int64_t least, most;
  if (json_is_integer(was))
    return json_is_integer(v) && talent_param_range(key, &least, &most) && json_integer_value(v) >= least &&
           json_integer_value(v) <= most;
  if (json_is_string(was)) {
    if (cal_parse_date(json_string_value(was), &day) == 0) return json_is_string(v) && cal_parse_date(json_string_value(v), &day) == 0;
    return json_is_string(v) && json_string_length(v) <= 200;
  }
  return json_typeof(was) == json_typeof(v);
}

json_t *talent_whatif_layer(const json_t *history, const json_t *overrides, const char *from, Err *e) {
  int day;
  if (!from || cal_parse_date(from, &day))
    return err_setf(e, E_INVALID, "talent.bad_date", "from", "生效日期无效（YYYY-MM-DD）：%s",
                    "Not a date (YYYY-MM-DD): %s", from ? from : ""),
           NULL;
  if (!json_is_object(overrides))
    return err_set(e, E_INVALID, "talent.bad_param", "params", "params 应为 {参数: 新值}",
                   "params must be an object {key: new value}"),
           NULL;
  json_t *out = history ? json_deep_copy(history) : json_object();
  const char *key;
  json_t *v;
  json_object_foreach((json_t *)overrides, key, v) {
    char field[64];
    snprintf(field, sizeof field, "params.%s", key);
    json_t *h = json_object_get(out, key);
    if (!json_is_array(h) || json_array_size(h) == 0) {
      err_setf(e, E_INVALID, "talent.bad_param", field, "该政策没有这个参数：%s", "The policy has no such parameter: %s",
               key);
      goto bad;
    }
    json_t *was = json_object_get(json_array_get(h, 0), "value");
    if (!value_ok(key, was, v)) {
      int64_t least, most;
      char what[160];
      const char *zh = "参数 %s 应为日期 YYYY-MM-DD", *en = "Parameter %s takes a date YYYY-MM-DD";
      snprintf(what, sizeof what, "%s", key);
      if (json_is_integer(was) && talent_param_range(key, &least, &most)) {
        snprintf(what, sizeof what, "%s %lld–%lld", key, (long long)least, (long long)most);
        zh = "参数应为范围内的整数（参数 最小–最大）：%s", en = "The value must be an integer within range (parameter least–most): %s";
      } else if (!(json_is_string(was) && cal_parse_date(json_string_value(was), &day) == 0)) {
        zh = "参数 %s 的取值类型不对", en = "Parameter %s takes a value of another type";
      }
      err_setf(e, E_INVALID, "talent.bad_value", field, zh, en, what);
      goto bad;
    }
    /* a version of the same day is replaced, as a correction would be */
    for (size_t i = json_array_size(h); i-- > 0;) {
      const char *f = json_string_value(json_object_get(json_array_get(h, i), "from"));
      if (f && strcmp(f, from) == 0) json_array_remove(h, i);
    }
    json_array_append_new(h, json_pack("{s:s,s:O}", "from", from, "value", v));
  }
  return out;
bad:
  json_decref(out);
  return NULL;
}

/* ---- the tally ------------------------------------------------------------- */

enum { CUR = 0, WHATIF = 1 };

/* Side: what one side (the rules in force, or the what-if) costs. */
typedef struct Side {
  int64_t persons;     /* records with at least one instalment counted */
  int64_t instalments; /* instalments counted */
  int64_t amount;      /* their sum, fen */
  int64_t seen;        /* the last record counted in persons, plus one */
} Side;

/* Year: the instalments due in one year. */
typedef struct Year {
  int year;
  Side side[2]; /* CUR, WHATIF */
} Year;

/* Tally: the sums of a what-if run. */
typedef struct Tally {
  Year *aYear; /* unsorted until the end */
  int nYear, nAlloc;
  Side total[2];
  int64_t remaining[2], remaining_fen[2]; /* entitlements' instalments not yet paid nor stopped */
  int64_t records, entitled, eligible[2], unknown[2];
  int64_t dropped; /* entitlements the what-if re-run would not grant */
  int64_t broken;  /* records on which the rule fails with the what-if's parameters and not with today's */
  char why[512];   /* the first such failure */
} Tally;

/* broke() counts a record whose check w under the what-if failed
** (rule_error) where its check cur under the parameters in force did not. */
static void broke(Tally *t, const json_t *w, const json_t *cur) {
  const json_t *err = json_object_get(w, "rule_error");
  if (!err || !cur || json_object_get(cur, "rule_error")) return;
  if (!t->broken++) snprintf(t->why, sizeof t->why, "%s", json_string_value(json_object_get(err, "message")));
}

static void side_add(Side *s, int64_t rec, int64_t amount) {
  s->instalments++;
  s->amount += amount;
  if (s->seen != rec + 1) s->persons++, s->seen = rec + 1;
}

/* tally_add() counts an instalment due on day due of amount fen on side,
** for record number rec. */
static void tally_add(Tally *t, int side, int64_t rec, const char *due, int64_t amount) {
  int year = due ? atoi(due) : 0;
  Year *y = NULL;
  for (int i = 0; i < t->nYear && !y; i++)
    if (t->aYear[i].year == year) y = &t->aYear[i];
  if (!y) {
    if (t->nYear == t->nAlloc) {
      t->nAlloc = t->nAlloc ? 2 * t->nAlloc : 16;
      t->aYear = xrealloc(t->aYear, (size_t)t->nAlloc * sizeof *t->aYear);
    }
    y = &t->aYear[t->nYear++];
    memset(y, 0, sizeof *y);
    y->year = year;
  }
  side_add(&y->side[side], rec, amount);
  side_add(&t->total[side], rec, amount);
}

static int year_cmp(const void *a, const void *b) {
  const Year *x = a, *y = b;
  return (x->year > y->year) - (x->year < y->year);
}

static json_t *side_json(const Side *s) {
  return json_pack("{s:I,s:I,s:I}", "persons", (json_int_t)s->persons, "instalments", (json_int_t)s->instalments,
                   "amount_fen", (json_int_t)s->amount);
}

/* ---- the register ---------------------------------------------------------- */

/* Inst: a recorded instalment of an entitlement of the policy. */
typedef struct Inst {
  int64_t entitlement, seq, amount;
  char due[11];
  bool stopped, open; /* 停发; or not yet paid nor stopped */
} Inst;

/* insts_load() reads every instalment of policy's entitlements, by
** entitlement and seq, into *a (new, free()) and *n: 0, or -1 with *e. */
static int insts_load(Db *db, const char *policy, Inst **a, int64_t *n, Err *e) {
  *a = NULL, *n = 0;
  int64_t cap = 0;
  Stmt *st = db_prepare(db, "SELECT i.entitlement_id, i.seq, i.amount_fen, i.due, i.state FROM talent_instalment i"
                            " JOIN talent_entitlement t ON t.id = i.entitlement_id WHERE t.policy = ?"
                            " ORDER BY i.entitlement_id, i.seq", e);
  if (!st) return -1;
  stmt_bind_text(st, 1, policy);
  int rc;
  while ((rc = stmt_step(st, e)) == 1) {
    if (*n == cap) {
      cap = cap ? 2 * cap : 256;
      *a = xrealloc(*a, (size_t)cap * sizeof **a);
    }
    Inst *x = &(*a)[(*n)++];
    const char *state = stmt_text(st, 4);
    x->entitlement = stmt_int(st, 0), x->seq = stmt_int(st, 1), x->amount = stmt_int(st, 2);
    snprintf(x->due, sizeof x->due, "%s", stmt_text(st, 3) ? stmt_text(st, 3) : "");
    x->stopped = state && strcmp(state, "stopped") == 0;
    x->open = state && (strcmp(state, "pending") == 0 || strcmp(state, "approved") == 0);
  }
  stmt_done(st);
  if (rc < 0) {
    free(*a);
    *a = NULL, *n = 0;
    return -1;
  }
  return 0;
}

/* insts_find() is the first of a[0..n) of entitlement id (a sorted by
** entitlement), or n. */
static int64_t insts_find(const Inst *a, int64_t n, int64_t id) {
  int64_t lo = 0, hi = n;
  while (lo < hi) {
    int64_t mid = lo + (hi - lo) / 2;
    if (a[mid].entitlement < id) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/* entitled() counts record rec holding an entitlement decided on day
** decided, whose recorded instalments are r[0..n): the recorded ones but
** the stopped on the current side; the re-run's as of decided under
** layered, none from the first stopped seq on, on the what-if side. */
static void entitled(Tally *t, int64_t rec, const json_t *facts, const char *policy, const char *decided,
                     const json_t *layered, const Inst *r, int64_t n) {
  int64_t stop = INT64_MAX;
  for (int64_t i = 0; i < n; i++) {
    if (r[i].stopped && r[i].seq < stop) stop = r[i].seq;
    if (r[i].stopped) continue;
    tally_add(t, CUR, rec, r[i].due, r[i].amount);
    if (r[i].open) t->remaining[CUR]++, t->remaining_fen[CUR] += r[i].amount;
  }
  Err e = {0};
  json_t *w = talent_check(facts, policy, decided, layered, &e), *x;
  json_t *el = json_object_get(w, "eligible");
  if (!json_is_true(el)) t->dropped++;
  if (json_object_get(w, "rule_error")) { /* did the change break it? the rules in force on the same day say */
    Err ignore = {0};
    json_t *cur = talent_check(facts, policy, decided, NULL, &ignore);
    broke(t, w, cur);
    json_decref(cur);
  }
  if (w && json_is_true(el)) {
    size_t k;
    json_array_foreach(json_object_get(w, "instalments"), k, x) {
      int64_t seq = (int64_t)k + 1;
      if (seq >= stop) break;
      int64_t amount = json_integer_value(json_object_get(x, "amount_fen"));
      tally_add(t, WHATIF, rec, json_string_value(json_object_get(x, "due")), amount);
      /* still to pay: not recorded yet, or recorded and open */
      bool open = true;
      for (int64_t i = 0; i < n; i++)
        if (r[i].seq == seq) open = r[i].open;
      if (open) t->remaining[WHATIF]++, t->remaining_fen[WHATIF] += amount;
    }
  }
  json_decref(w);
}

/* undecided() counts record rec, without an entitlement, checked as of on
** under the parameters in force and under layered. */
static void undecided(Tally *t, int64_t rec, const json_t *facts, const char *policy, const char *on,
                      const json_t *layered) {
  json_t *c[2];
  for (int side = CUR; side <= WHATIF; side++) {
    Err e = {0};
    c[side] = talent_check(facts, policy, on, side == CUR ? NULL : layered, &e);
  }
  broke(t, c[WHATIF], c[CUR]);
  for (int side = CUR; side <= WHATIF; side++) {
    json_t *el = json_object_get(c[side], "eligible"), *x;
    if (!c[side] || json_is_null(el)) t->unknown[side]++;
    if (c[side] && json_is_true(el)) {
      t->eligible[side]++;
      size_t k;
      json_array_foreach(json_object_get(c[side], "instalments"), k, x)
          tally_add(t, side, rec, json_string_value(json_object_get(x, "due")),
                    json_integer_value(json_object_get(x, "amount_fen")));
    }
    json_decref(c[side]);
  }
}

/* default_from() writes into from the day a change takes effect when none
** is given: today, or the policy's first day when it is not in force today. */
static void default_from(const char *policy, char from[11]) {
  char today[11];
  time_today_cn(today);
  json_t *all = talent_policies(), *p, *v;
  size_t i, j;
  const char *first = NULL;
  bool now = false;
  json_array_foreach(all, i, p) {
    if (strcmp(json_string_value(json_object_get(p, "code")), policy) != 0) continue;
    json_array_foreach(json_object_get(p, "versions"), j, v) {
      const char *f = json_string_value(json_object_get(v, "effective_from")),
                 *to = json_string_value(json_object_get(v, "effective_to"));
      if (f && (!first || strcmp(f, first) < 0)) first = f;
      if (f && strcmp(f, today) <= 0 && (!to || strcmp(today, to) <= 0)) now = true;
    }
  }
  snprintf(from, 11, "%s", now || !first ? today : first);
  json_decref(all);
}

/* parameters() is [{key, value, effective_from, whatif}]: each parameter in
** force on from, and its new value when overrides gives one (new). */
static json_t *parameters(const json_t *history, const json_t *overrides, const char *from) {
  json_t *out = json_array(), *h, *v;
  const char *key;
  json_object_foreach((json_t *)history, key, h) {
    const char *best_from = NULL;
    json_t *best = NULL;
    size_t i;
    json_array_foreach(h, i, v) {
      const char *f = json_string_value(json_object_get(v, "from"));
      if (f && strcmp(f, from) <= 0 && (!best_from || strcmp(f, best_from) >= 0)) best_from = f, best = json_object_get(v, "value");
    }
    json_t *w = json_object_get(overrides, key);
    json_array_append_new(out, json_pack("{s:s,s:O,s:s?,s:O}", "key", key, "value", best ? best : json_null(),
                                         "effective_from", best_from, "whatif", w ? w : json_null()));
  }
  return out;
}

json_t *talent_whatif(Store *s, const User *actor, const json_t *in, Err *e) {
  if (!talent_reader(s, actor))
    return err_set(e, E_FORBIDDEN, "talent.forbidden", NULL, "只有人才工作部门的政策专员、领导和审计人员可以测算",
                   "Only the talent department's policy officers, leaders and auditors may measure a change"),
           NULL;
  if (talent_sync(store_reader(s), e)) return NULL;
  char policy[32] = "", from[16] = "";
  const json_t *overrides = NULL;
  JField f[] = {{"policy", J_STR, true, policy, sizeof policy, 1, 31, NULL},
                {"params", J_OBJ, true, &overrides, 0, 0, 0, NULL},
                {"from", J_STR, false, from, sizeof from, 10, 10, NULL}};
  if (jsonx_decode(in, f, (int)XQ_COUNT(f), false, e)) return NULL;
  const char *name = talent_policy_name(policy);
  if (!name)
    return err_setf(e, E_INVALID, "talent.bad_policy", "policy", "没有这项人才政策：%s", "No such talent policy: %s",
                    policy),
           NULL;
  if (!from[0]) default_from(policy, from);
  /* a record without an entitlement is checked as a decision would be made:
  ** today, or when the change takes effect if that is later */
  char on[11];
  time_today_cn(on);
  if (strcmp(from, on) > 0) snprintf(on, sizeof on, "%.10s", from);
  json_t *history = talent_params(policy), *out = NULL;
  if (!history) history = json_object();
  json_t *layered = talent_whatif_layer(history, overrides, from, e);
  if (!layered) {
    json_decref(history);
    return NULL;
  }
  Db *db = store_reader(s);
  Tally t = {0};
  Inst *aInst = NULL;
  int64_t nInst = 0;
  if (insts_load(db, policy, &aInst, &nInst, e)) goto out;
  /* Two autocommit reads, not one snapshot: an entitlement decided after
  ** the first (its instalments unread) is taken as not yet decided. Its
  ** instalments were written with it, in one transaction, by the one
  ** writer, so the ids up to the last one read are whole. */
  int64_t last = nInst ? aInst[nInst - 1].entitlement : 0;
  Stmt *st = db_prepare(db, "SELECT r.person_id, r.facts, t.id, t.decided_on FROM talent_record r"
                            " LEFT JOIN talent_entitlement t ON t.person_id = r.person_id AND t.policy = ? AND t.id <= ?"
                            " ORDER BY r.person_id", e);
  if (!st) goto out;
  stmt_bind_text(st, 1, policy);
  stmt_bind_int(st, 2, last);
  int rc;
  while ((rc = stmt_step(st, e)) == 1) {
    int64_t rec = t.records++;
    const char *text = stmt_text(st, 1);
    json_t *facts = text ? json_loads(text, 0, NULL) : NULL;
    if (!json_is_object(facts)) json_decref(facts), facts = json_object();
    if (!stmt_null(st, 2)) {
      int64_t id = stmt_int(st, 2), lo = insts_find(aInst, nInst, id), hi = lo;
      while (hi < nInst && aInst[hi].entitlement == id) hi++;
      t.entitled++;
      entitled(&t, rec, facts, policy, stmt_text(st, 3), layered, aInst + lo, hi - lo);
    } else
      undecided(&t, rec, facts, policy, on, layered);
    json_decref(facts);
  }
  stmt_done(st);
  if (rc < 0) goto out;
  /* A change the rule cannot run with measures nothing: its failures would
  ** count as people no longer entitled, and the budget as saved. */
  if (t.broken) {
    char arg[600];
    snprintf(arg, sizeof arg, "%lld 人 / persons: %s", (long long)t.broken, t.why);
    err_setf(e, E_INVALID, "talent.whatif_rule_fails", "params", "按这些参数，政策规则无法运行（%s），请检查参数取值",
             "With these parameters the policy's rule fails (%s); check the values", arg);
    goto out;
  }
  if (t.nYear > 1) qsort(t.aYear, (size_t)t.nYear, sizeof *t.aYear, year_cmp); /* aYear is NULL when there are none */
  json_t *years = json_array();
  for (int i = 0; i < t.nYear; i++) {
    const Year *y = &t.aYear[i];
    json_array_append_new(years, json_pack("{s:i,s:o,s:o,s:I}", "year", y->year, "current", side_json(&y->side[CUR]),
                                           "whatif", side_json(&y->side[WHATIF]), "difference_fen",
                                           (json_int_t)(y->side[WHATIF].amount - y->side[CUR].amount)));
  }
  out = json_pack("{s:s,s:s,s:s,s:s,s:o,s:o}", "policy", policy, "policy_name", name, "from", from, "on", on,
                  "parameters", parameters(history, overrides, from), "years", years);
  json_object_set_new(out, "totals",
                      json_pack("{s:o,s:o,s:I}", "current", side_json(&t.total[CUR]), "whatif",
                                side_json(&t.total[WHATIF]), "difference_fen",
                                (json_int_t)(t.total[WHATIF].amount - t.total[CUR].amount)));
  json_object_set_new(out, "entitlements",
                      json_pack("{s:I,s:{s:I,s:I},s:{s:I,s:I},s:I}", "count", (json_int_t)t.entitled, "remaining",
                                "instalments", (json_int_t)t.remaining[CUR], "amount_fen",
                                (json_int_t)t.remaining_fen[CUR], "whatif", "instalments",
                                (json_int_t)t.remaining[WHATIF], "amount_fen", (json_int_t)t.remaining_fen[WHATIF],
                                "difference_fen", (json_int_t)(t.remaining_fen[WHATIF] - t.remaining_fen[CUR])));
  json_object_set_new(out, "records",
                      json_pack("{s:I,s:I,s:I,s:I,s:I,s:I,s:I}", "total", (json_int_t)t.records, "entitled",
                                (json_int_t)t.entitled, "entitled_not_whatif", (json_int_t)t.dropped, "eligible", (json_int_t)t.eligible[CUR], "eligible_whatif",
                                (json_int_t)t.eligible[WHATIF], "unknown", (json_int_t)t.unknown[CUR],
                                "unknown_whatif", (json_int_t)t.unknown[WHATIF]));
out:
  free(aInst);
  free(t.aYear);
  json_decref(history);
  json_decref(layered);
  return out;
}
