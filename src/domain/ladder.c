/*
** ladder.c — the qualification ladder's rules, by version and day (ladder.h).
*/
#include "ladder.h"
#include "rulebook.h"
#include "rules.h"
#include "../base/cal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The rungs, from the bottom of the ladder up. */
static const struct {
  const char *code, *name;
} rungs[] = {
    {"kjxzx", "科技型中小企业"}, {"gaoqi", "高新技术企业"},     {"cxx", "创新型中小企业"},
    {"zjtx", "专精特新中小企业"}, {"xjr", "专精特新“小巨人”企业"}, {"dxgj", "制造业单项冠军企业"},
};

/* The rungs' codes for the book of their rules. */
static const char *const codes[] = {"kjxzx", "gaoqi", "cxx", "zjtx", "xjr", "dxgj", NULL};
static Rulebook book = RULEBOOK("ladder", "rung", codes, "ladder_rule");

/* valid_years() is the years a title granted under v lasts ("-- valid_years:"). */
static int valid_years(const RuleVersion *v) {
  char years[8] = "";
  rulebook_header(v->text, "valid_years", years, sizeof years);
  return atoi(years);
}

int ladder_version_add(const char *source, Err *e) { return rulebook_add(&book, source, e); }

/* rung_json() is rung k's answer: version v's result r (v NULL: no
** version in force, r unused). */
static json_t *rung_json(size_t k, const RuleVersion *v, const RuleResult *r) {
  /* A version's header is UTF-8 already, whole lines (rulebook_parse()). */
  json_t *o = json_object();
  json_object_set_new_nocheck(o, "rung", json_string_nocheck(rungs[k].code));
  json_object_set_new_nocheck(o, "name", json_string_nocheck(v && v->name[0] ? v->name : rungs[k].name));
  json_t *criteria = json_array(), *why = json_array();
  json_t *eligible = json_null(), *score = json_null();
  if (!v) {
    json_array_append_new(why, json_string_nocheck("该日期尚无有效的认定标准"));
    json_object_set_new_nocheck(o, "rule_version", json_null());
  } else {
    json_object_set_new_nocheck(o, "rule_version", json_integer(v->version));
    json_object_set_new_nocheck(o, "effective_from", json_string_nocheck(v->from));
    json_object_set_new_nocheck(o, "citation", json_string_nocheck(v->citation));
    if (r->code[0]) {
      /* The rule itself failed: nothing is decided. */
      json_array_append_new(why, json_string(r->error));
    } else {
      if (r->verdict == VERDICT_APPROVE) eligible = json_true();
      else if (r->verdict == VERDICT_DENY) eligible = json_false();
      json_t *s = json_object_get(r->outputs, "score");
      if (json_is_number(s)) score = json_incref(s);
      for (int i = 0; i < r->nConditions; i++) {
        const RuleCondition *c = &r->conditions[i];
        json_t *x = json_object(), *msg = json_stringn_nocheck(c->message ? c->message : "", c->nMessage);
        json_object_set_new_nocheck(x, "code", json_stringn_nocheck(c->name, c->nName));
        json_object_set_new_nocheck(x, "met", c->met < 0 ? json_null() : json_boolean(c->met));
        json_object_set_new_nocheck(x, "value", rules_scalar_json(&c->figure));
        json_object_set_new_nocheck(x, "threshold", rules_scalar_json(&c->threshold));
        json_object_set_nocheck(x, "message", msg);
        json_array_append_new(criteria, x);
        if (c->met != 1 && !json_is_true(eligible) && c->message) json_array_append(why, msg);
        json_decref(msg);
      }
    }
  }
  json_object_set_new_nocheck(o, "eligible", eligible);
  json_object_set_new_nocheck(o, "score", score);
  json_object_set_new_nocheck(o, "criteria", criteria);
  json_object_set_new_nocheck(o, "why_not", why);
  return o;
}

json_t *ladder_check(const json_t *facts, const char *on, Err *e) {
  int day;
  if (!json_is_object(facts))
    return err_set(e, E_INVALID, "ladder.bad_facts", NULL, "企业数据应为 JSON 对象", "The facts must be a JSON object"),
           NULL;
  if (!on || cal_parse_date(on, &day))
    return err_setf(e, E_INVALID, "ladder.bad_date", "on", "日期无效（YYYY-MM-DD）：%s", "Not a date (YYYY-MM-DD): %s",
                    on ? on : ""),
           NULL;
  /* The rungs' versions in force that day, run together: the helpers once. */
  const RuleVersion *v[XQ_COUNT(rungs)];
  const char *texts[XQ_COUNT(rungs)];
  RuleResult r[XQ_COUNT(rungs)];
  int n = 0;
  for (size_t k = 0; k < XQ_COUNT(rungs); k++)
    if ((v[k] = rulebook_in_force(&book, rungs[k].code, on))) texts[n++] = v[k]->text;
  json_t *f = json_copy((json_t *)facts), *list = json_array(); /* shallow: only "on" is added */
  json_object_set_new(f, "on", json_string(on)); /* the rules read the day as facts.on */
  rules_eval_shared(ladder_prelude(), texts, n, f, r);
  json_decref(f);
  for (size_t k = 0, i = 0; k < XQ_COUNT(rungs); k++) json_array_append_new(list, rung_json(k, v[k], v[k] ? &r[i++] : NULL));
  for (int i = 0; i < n; i++) rules_result_clear(&r[i]);
  return json_pack("{s:s,s:o}", "on", on, "rungs", list);
}

/* ---- the rungs and their versions, for the data layer (ladder_data.c) ---- */

const char *ladder_rung_name(const char *code) {
  for (size_t i = 0; i < XQ_COUNT(rungs); i++)
    if (strcmp(rungs[i].code, code) == 0) return rungs[i].name;
  return strcmp(code, "rdi") == 0 ? "研发机构" : NULL;
}

int ladder_rung_count(void) { return (int)XQ_COUNT(rungs); }

const char *ladder_rung_code(int i) { return i >= 0 && i < (int)XQ_COUNT(rungs) ? rungs[i].code : NULL; }

int ladder_valid_years(const char *rung, const char *on) {
  const RuleVersion *v = rulebook_in_force(&book, rung, on);
  return v ? valid_years(v) : 0;
}

int ladder_sync(Db *db, Err *e) { return rulebook_sync(&book, db, e); }

json_t *ladder_publish(Store *s, const User *actor, const char *source, Err *e) {
  return rulebook_publish(&book, s, actor, source, e);
}

json_t *ladder_rungs_json(void) {
  json_t *out = json_array();
  for (size_t k = 0; k < XQ_COUNT(rungs); k++) {
    const RuleVersion *a[64];
    int n = rulebook_versions(&book, rungs[k].code, a, (int)XQ_COUNT(a)), years = 0;
    json_t *versions = json_array();
    for (int i = 0; i < n && i < (int)XQ_COUNT(a); i++) {
      years = valid_years(a[i]);
      json_array_append_new(versions, json_pack("{s:i,s:s,s:s,s:s}", "version", a[i]->version, "effective_from",
                                                a[i]->from, "citation", a[i]->citation, "name",
                                                a[i]->name[0] ? a[i]->name : rungs[k].name));
    }
    json_array_append_new(out, json_pack("{s:s,s:s,s:b,s:i,s:o}", "code", rungs[k].code, "name", rungs[k].name,
                                         "rule", true, "valid_years", years, "versions", versions));
  }
  /* 研发机构: a title recorded and counted, never checked by a rule; open
  ** unless its end is given. */
  json_array_append_new(out, json_pack("{s:s,s:s,s:b,s:n,s:[]}", "code", "rdi", "name", ladder_rung_name("rdi"), "rule",
                                       false, "valid_years", "versions"));
  return out;
}

const char *ladder_prelude(void) { return rulebook_prelude(&book); }

char *ladder_rule_text(const char *rung, int version) {
  const RuleVersion *v = rulebook_find(&book, rung, version);
  return v ? xstrdup(v->text) : NULL;
}
