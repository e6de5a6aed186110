/*
** talent.c — talent policies checked as of a day (talent.h).
*/
#include "talent.h"
#include "rulebook.h"
#include "rules.h"
#include "../base/cal.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

const char *embedded_get(const char *name, size_t *n);

static const char *const codes[] = {"mingxiao", "housing", "tuition", "anju", "anjiafei", "rouxing", "jintie", "jinque",
                                    "gongjiang", NULL};
static Rulebook book = RULEBOOK("talent", "policy", codes, "talent_rule");

/* The policies' dated parameters, {policy: {key: [{from, value}]}}: those
** shipped (data/talent/params.json) and after them the versions policy
** officers add (param_version, scope "talent.POLICY"), so the one in force
** on a day is the latest from not after it, a run-time one winning a tie.
** talent_sync() makes a new merge when the table says something new; a
** merge is never changed or freed (a check may be reading it), and every
** one stays reachable from `merges`. */
static pthread_once_t params_once = PTHREAD_ONCE_INIT;
static pthread_mutex_t params_mu = PTHREAD_MUTEX_INITIALIZER;
static json_t *shipped; /* params.json */
static json_t *ranges;  /* ranges.json's ranges: {key: [least, most]} */
static json_t *params;  /* the merge in force (params_mu) */
static json_t *rows;    /* the table's rows it was made from [[scope, key, from, value]] (params_mu) */
static json_t *merges;  /* every merge made (params_mu) */

static void params_load(void) {
  size_t n;
  const char *text = embedded_get("talent/params.json", &n);
  json_error_t je;
  shipped = text ? json_loadb(text, n, 0, &je) : NULL;
  if (!json_is_object(shipped)) panic("data/talent/params.json: %s", text ? je.text : "missing");
  text = embedded_get("talent/ranges.json", &n);
  json_t *r = text ? json_loadb(text, n, 0, &je) : NULL;
  ranges = json_incref(json_object_get(r, "ranges"));
  json_decref(r);
  if (!json_is_object(ranges)) panic("data/talent/ranges.json: %s", text ? je.text : "missing");
  const char *key;
  json_t *v;
  json_object_foreach(ranges, key, v) {
    if (json_array_size(v) != 2 || !json_is_integer(json_array_get(v, 0)) || !json_is_integer(json_array_get(v, 1)) ||
        json_integer_value(json_array_get(v, 0)) > json_integer_value(json_array_get(v, 1)))
      panic("data/talent/ranges.json: %s is not [least, most]", key);
  }
  params = shipped;
  rows = json_array();
  merges = json_array();
}

/* params_now() is the merge in force (borrowed: it is never freed). */
static const json_t *params_now(void) {
  pthread_once(&params_once, params_load);
  pthread_mutex_lock(&params_mu);
  const json_t *p = params;
  pthread_mutex_unlock(&params_mu);
  return p;
}

int talent_sync(Db *db, Err *e) {
  if (rulebook_sync(&book, db, e)) return -1;
  pthread_once(&params_once, params_load);
  Stmt *st = db_prepare(db, "SELECT scope, key, effective_from, value FROM param_version WHERE scope LIKE 'talent.%'"
                            " ORDER BY scope, key, effective_from", e);
  if (!st) return -1;
  json_t *now = json_array();
  int rc;
  while ((rc = stmt_step(st, e)) == 1) {
    json_t *v = json_loads(stmt_text(st, 3), JSON_DECODE_ANY, NULL);
    json_array_append_new(now, json_pack("[s,s,s,o]", stmt_text(st, 0), stmt_text(st, 1), stmt_text(st, 2),
                                         v ? v : json_null()));
  }
  stmt_done(st);
  if (rc < 0) {
    json_decref(now);
    return -1;
  }
  pthread_mutex_lock(&params_mu);
  if (!json_equal(now, rows)) {
    json_t *m = json_deep_copy(shipped), *r;
    size_t i;
    json_array_foreach(now, i, r) {
      const char *policy = json_string_value(json_array_get(r, 0)) + strlen("talent.");
      json_t *h = json_object_get(m, policy);
      if (!h) json_object_set_new(m, policy, h = json_object());
      json_t *versions = json_object_get(h, json_string_value(json_array_get(r, 1)));
      if (!versions) json_object_set_new(h, json_string_value(json_array_get(r, 1)), versions = json_array());
      json_array_append_new(versions, json_pack("{s:O,s:O}", "from", json_array_get(r, 2), "value", json_array_get(r, 3)));
    }
    json_array_append_new(merges, m);
    params = m;
    json_decref(rows);
    rows = json_incref(now);
  }
  pthread_mutex_unlock(&params_mu);
  json_decref(now);
  return 0;
}

/* level_name() is the Chinese name of a policy's level. */
static const char *level_name(const char *level) {
  return strcmp(level, "province") == 0 ? "省级" : strcmp(level, "city") == 0 ? "市级" : strcmp(level, "district") == 0 ? "区级" : level;
}

/* in_force_value() is the version of parameter history h in force on day:
** its value, with its from in *from; NULL when none. */
static json_t *in_force_value(const json_t *h, const char *on, const char **from) {
  json_t *best = NULL, *v;
  size_t i;
  *from = NULL;
  json_array_foreach(h, i, v) {
    const char *f = json_string_value(json_object_get(v, "from"));
    if (f && strcmp(f, on) <= 0 && (!*from || strcmp(f, *from) >= 0)) {
      best = json_object_get(v, "value");
      *from = f;
    }
  }
  return best;
}

/* explain_params() appends each parameter of the policy in force on day on,
** with its value and the day it took effect. */
static void explain_params(json_t *out, const json_t *history, const char *on) {
  const char *key;
  json_t *h;
  json_object_foreach((json_t *)history, key, h) {
    const char *from;
    json_t *v = in_force_value(h, on, &from);
    if (!v) continue;
    char *val = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
    char *text = xasprintf("参数 %s = %s（自 %s 起施行）", key, val, from);
    json_array_append_new(out, json_pack("{s:s,s:s,s:O,s:s,s:s}", "kind", "parameter", "key", key, "value", v,
                                         "effective_from", from, "text", text));
    free(val);
    free(text);
  }
}

/* run() is talent_check(), or the re-check when recheck. */
static json_t *run(const json_t *facts, const char *policy, const char *on, const json_t *history, bool recheck,
                   Err *e) {
  int day;
  if (!policy || !rulebook_versions(&book, policy, NULL, 0))
    return err_setf(e, E_INVALID, "talent.bad_policy", "policy", "没有这项人才政策：%s", "No such talent policy: %s",
                    policy ? policy : ""),
           NULL;
  if (!on || cal_parse_date(on, &day))
    return err_setf(e, E_INVALID, "talent.bad_date", "on", "日期无效（YYYY-MM-DD）：%s", "Not a date (YYYY-MM-DD): %s",
                    on ? on : ""),
           NULL;
  if (!json_is_object(facts))
    return err_set(e, E_INVALID, "talent.bad_facts", NULL, "人员数据应为 JSON 对象", "The facts must be a JSON object"),
           NULL;
  if (!history) history = json_object_get(params_now(), policy);
  const RuleVersion *v = rulebook_in_force(&book, policy, on);
  json_t *out = json_pack("{s:s,s:s}", "policy", policy, "on", on);
  json_t *explanation = json_array(), *why = json_array(), *instalments = json_array();
  json_t *eligible = json_false(), *amount = json_null();
  if (!v) {
    /* Not in force that day: say from when (and until when) it is. */
    const RuleVersion *a[32];
    int n = rulebook_versions(&book, policy, a, 32);
    const char *first = NULL, *last = NULL;
    for (int i = 0; i < n && i < 32; i++) {
      if (!first || strcmp(a[i]->from, first) < 0) first = a[i]->from;
      if (a[i]->to[0] && (!last || strcmp(a[i]->to, last) > 0)) last = a[i]->to;
    }
    char *msg = first && strcmp(on, first) < 0 ? xasprintf("该政策自 %s 起施行，%s 尚未施行", first, on)
                                               : xasprintf("该政策已于 %s 停止施行，%s 不在施行期内", last ? last : "?", on);
    json_array_append_new(why, json_string(msg));
    free(msg);
    if (n > 0) json_object_set_new(out, "name", json_string(a[0]->name));
    json_object_set_new(out, "rule_version", json_null());
  } else {
    char level[32] = "", decided[32] = "";
    rulebook_header(v->text, "level", level, sizeof level);
    rulebook_header(v->text, "decided_by", decided, sizeof decided);
    json_object_set_new(out, "name", json_string(v->name));
    json_object_set_new(out, "committee", json_boolean(strcmp(decided, "committee") == 0));
    json_object_set_new(out, "level", json_string(level));
    json_object_set_new(out, "level_name", json_string(level_name(level)));
    json_object_set_new(out, "rule_version", json_integer(v->version));
    json_object_set_new(out, "effective_from", json_string(v->from));
    json_object_set_new(out, "citation", json_string(v->citation));
    char *text = xasprintf("依据%s（第 %d 版规则，自 %s 起施行）", v->citation, v->version, v->from);
    json_array_append_new(explanation, json_pack("{s:s,s:i,s:s,s:s,s:s}", "kind", "rule", "version", v->version,
                                                 "effective_from", v->from, "citation", v->citation, "text", text));
    free(text);
    explain_params(explanation, history, on);
    json_t *f = json_copy((json_t *)facts);
    json_object_set_new(f, "on", json_string(on));
    /* what the rule is run for is ours to say, whatever the facts hold */
    json_object_set_new(f, "purpose", json_string(recheck ? "recheck" : "decide"));
    json_object_set(f, "param_history", history ? (json_t *)history : json_object());
    RuleResult r;
    rules_eval_shared(rulebook_prelude(&book), (const char *const *)&v->text, 1, f, &r);
    json_decref(f);
    if (r.code[0]) {
      eligible = json_null();
      json_array_append_new(why, json_string(r.error));
      json_object_set_new(out, "rule_error", json_pack("{s:s,s:s}", "code", r.code, "message", r.error));
    } else {
      eligible = r.verdict == VERDICT_APPROVE ? json_true() : r.verdict == VERDICT_DENY ? json_false() : json_null();
      for (int i = 0; i < r.nConditions; i++) {
        const RuleCondition *c = &r.conditions[i];
        json_t *msg = json_stringn_nocheck(c->message ? c->message : "", c->nMessage);
        json_array_append_new(explanation,
                              json_pack("{s:s,s:s%,s:o,s:o,s:o,s:O}", "kind", "criterion", "code", c->name,
                                        c->nName, "met", c->met < 0 ? json_null() : json_boolean(c->met), "value",
                                        rules_scalar_json(&c->figure), "threshold",
                                        rules_scalar_json(&c->threshold), "text", msg));
        /* the why-not: what failed or is unknown, when the verdict is not yes */
        if (c->met != 1 && !json_is_true(eligible) && c->message) json_array_append(why, msg);
        json_decref(msg);
      }
      if (json_is_true(eligible)) {
        json_t *a = json_object_get(r.outputs, "amount_fen"), *list = json_object_get(r.outputs, "instalments");
        if (json_is_integer(a)) amount = json_incref(a);
        if (json_is_array(list)) json_array_extend(instalments, list);
      }
      /* a policy with places a year (金普工匠): talent_entitle_on() counts them */
      json_t *quota = json_object_get(r.outputs, "quota_per_year");
      if (json_is_integer(quota)) json_object_set(out, "quota_per_year", quota);
    }
    rules_result_clear(&r);
  }
  json_object_set_new(out, "eligible", eligible);
  json_object_set_new(out, "amount_fen", amount);
  json_object_set_new(out, "instalments", instalments);
  json_object_set_new(out, "explanation", explanation);
  json_object_set_new(out, "why_not", why);
  return out;
}

json_t *talent_check(const json_t *facts, const char *policy, const char *on, const json_t *history, Err *e) {
  return run(facts, policy, on, history, false, e);
}

json_t *talent_recheck(const json_t *facts, const char *policy, const char *due, const json_t *history, Err *e) {
  return run(facts, policy, due, history, true, e);
}

/* version_at() is the version of policy in force on day on, else its
** newest (the headers of a policy out of force still say what it was). */
static const RuleVersion *version_at(const char *policy, const char *on) {
  const RuleVersion *v = on ? rulebook_in_force(&book, policy, on) : NULL, *a[1];
  return v ? v : rulebook_versions(&book, policy, a, 1) > 0 ? a[0] : NULL;
}

/* excludes() is true when a's header "exclusive_with" names b: its code,
** or "level:" and b's level (tokens apart by spaces, commas or 、). */
static bool excludes(const RuleVersion *a, const RuleVersion *b) {
  char list[200], level[32] = "", tok[48];
  if (!rulebook_header(a->text, "exclusive_with", list, sizeof list)) return false;
  rulebook_header(b->text, "level", level, sizeof level);
  for (char *p = list; *p;) {
    size_t n = 0;
    while (*p && (*p == ' ' || *p == ',' || strncmp(p, "、", 3) == 0)) p += *p == ' ' || *p == ',' ? 1 : 3;
    while (*p && *p != ' ' && *p != ',' && strncmp(p, "、", 3) != 0) {
      if (n + 1 < sizeof tok) tok[n++] = *p;
      p++;
    }
    tok[n] = 0;
    if (n && (strcmp(tok, b->code) == 0 || (strncmp(tok, "level:", 6) == 0 && level[0] && strcmp(tok + 6, level) == 0)))
      return true;
  }
  return false;
}

bool talent_exclusive(const char *a, const char *b, const char *on) {
  const RuleVersion *va = version_at(a, on), *vb = version_at(b, on);
  return va && vb && strcmp(a, b) != 0 && (excludes(va, vb) || excludes(vb, va));
}

json_t *talent_publish(Store *s, const User *actor, const char *source, Err *e) {
  return rulebook_publish(&book, s, actor, source, e);
}

char *talent_rule_text(const char *policy, int version) {
  const RuleVersion *v = rulebook_find(&book, policy, version);
  return v ? xstrdup(v->text) : NULL;
}

json_t *talent_params(const char *policy) {
  json_t *h = policy ? json_object_get(params_now(), policy) : NULL;
  return h ? json_deep_copy(h) : NULL;
}

bool talent_param_range(const char *key, int64_t *least, int64_t *most) {
  pthread_once(&params_once, params_load);
  const json_t *r = json_object_get(ranges, key);
  if (!r) return false;
  *least = json_integer_value(json_array_get(r, 0));
  *most = json_integer_value(json_array_get(r, 1));
  return true;
}

const char *talent_policy_name(const char *policy) {
  const RuleVersion *a[1];
  return rulebook_versions(&book, policy, a, 1) > 0 ? a[0]->name : NULL;
}

bool talent_policy_committee(const char *policy) {
  const RuleVersion *a[256];
  int n = rulebook_versions(&book, policy, a, 256);
  char decided[32] = "";
  if (n > 0) rulebook_header(a[(n < 256 ? n : 256) - 1]->text, "decided_by", decided, sizeof decided);
  return strcmp(decided, "committee") == 0;
}

json_t *talent_policies(void) {
  json_t *out = json_array();
  char today[11];
  time_today_cn(today);
  for (const char *const *c = codes; *c; c++) {
    const RuleVersion *a[32];
    int n = rulebook_versions(&book, *c, a, 32);
    json_t *versions = json_array();
    char level[32] = "", kind[32] = "", decided[32] = "", employer[32] = "";
    for (int i = 0; i < n && i < 32; i++) {
      rulebook_header(a[i]->text, "level", level, sizeof level);
      rulebook_header(a[i]->text, "kind", kind, sizeof kind);
      rulebook_header(a[i]->text, "decided_by", decided, sizeof decided);
      rulebook_header(a[i]->text, "employer", employer, sizeof employer);
      json_array_append_new(versions, json_pack("{s:i,s:s,s:s?,s:s}", "version", a[i]->version, "effective_from",
                                                a[i]->from, "effective_to", a[i]->to[0] ? a[i]->to : NULL, "citation",
                                                a[i]->citation));
    }
    /* the policies it may not be held with, today */
    json_t *not_with = json_array();
    for (const char *const *o = codes; *o; o++)
      if (talent_exclusive(*c, *o, today)) json_array_append_new(not_with, json_string(*o));
    json_array_append_new(out, json_pack("{s:s,s:s,s:s,s:s,s:s,s:b,s:o,s:o}", "code", *c, "name", n > 0 ? a[0]->name : *c,
                                         "level", level, "level_name", level_name(level), "kind", kind, "committee",
                                         strcmp(decided, "committee") == 0, "exclusive_with", not_with, "versions",
                                         versions));
    /* an application (talent_apply.h) waits for the employer's confirmation */
    json_object_set_new(json_array_get(out, json_array_size(out) - 1), "employer_review",
                        json_boolean(strcmp(employer, "review") == 0));
  }
  return out;
}
