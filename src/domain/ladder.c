/*
** ladder.c — the qualification ladder's rules, by version and day (ladder.h).
*/
#include "ladder.h"
#include "rules.h"
#include "../base/cal.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *embedded_get(const char *name, size_t *n);

/* The rungs, from the bottom of the ladder up. */
static const struct {
  const char *code, *name;
} rungs[] = {
    {"kjxzx", "科技型中小企业"}, {"gaoqi", "高新技术企业"},     {"cxx", "创新型中小企业"},
    {"zjtx", "专精特新中小企业"}, {"xjr", "专精特新“小巨人”企业"}, {"dxgj", "制造业单项冠军企业"},
};

/* Version: one rule version of a rung. */
typedef struct Version {
  char rung[16], name[96], from[11], citation[400];
  int version, valid_years;
  char *source; /* lib.lua, then the rule's text (owned) */
  char *text;   /* the rule's own text (owned) */
} Version;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t once = PTHREAD_ONCE_INIT;
static Version **aVersion; /* each allocated once and never moved or freed */
static int nVersion;
static int64_t synced;     /* the last ladder_rule row loaded (ladder_sync()) */

/* header() reads the value of "-- key: value" among the first lines of src
** into out; false when absent. */
static bool header(const char *src, const char *key, char *out, size_t cap) {
  char want[48];
  snprintf(want, sizeof want, "-- %s:", key);
  for (const char *p = src; p && strncmp(p, "--", 2) == 0; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
    if (strncmp(p, want, strlen(want)) != 0) continue;
    const char *v = p + strlen(want), *end = strchr(v, '\n');
    while (*v == ' ') v++;
    size_t n = end ? (size_t)(end - v) : strlen(v);
    while (n && (v[n - 1] == ' ' || v[n - 1] == '\r')) n--;
    if (n >= cap) n = cap - 1;
    memcpy(out, v, n);
    out[n] = 0;
    return true;
  }
  return false;
}

/* parse() reads and compiles one version's text into *v (v->source owned
** on success). */
static int parse(const char *text, Version *v, Err *e) {
  memset(v, 0, sizeof *v);
  char num[16] = "";
  int day;
  if (!header(text, "rung", v->rung, sizeof v->rung) || !header(text, "version", num, sizeof num) ||
      !header(text, "effective_from", v->from, sizeof v->from) || cal_parse_date(v->from, &day) ||
      (v->version = atoi(num)) <= 0)
    return err_set(e, E_INVALID, "ladder.bad_rule", NULL,
                   "规则开头应写明 rung、version、effective_from（YYYY-MM-DD）",
                   "A rule begins with its rung, version and effective_from (YYYY-MM-DD)");
  bool known = false;
  for (size_t i = 0; i < XQ_COUNT(rungs); i++) known = known || strcmp(rungs[i].code, v->rung) == 0;
  if (!known)
    return err_setf(e, E_INVALID, "ladder.bad_rule", NULL, "没有这一级：%s", "No such rung: %s", v->rung);
  if (!header(text, "name", v->name, sizeof v->name)) v->name[0] = 0;
  header(text, "citation", v->citation, sizeof v->citation);
  size_t n;
  const char *lib = embedded_get("ladder/lib.lua", &n);
  if (!lib) return err_set(e, E_INTERNAL, "ladder.no_lib", NULL, "缺少 ladder/lib.lua", "ladder/lib.lua is missing");
  v->source = xasprintf("%s\n%s", lib, text);
  if (rules_check(v->source, e)) {
    free(v->source);
    v->source = NULL;
    return -1;
  }
  char years[8] = "";
  header(text, "valid_years", years, sizeof years);
  v->valid_years = atoi(years);
  v->text = xstrdup(text);
  return 0;
}

/* add() checks and keeps one version; the caller holds the lock. */
static int add(const char *text, Err *e) {
  Version v;
  if (parse(text, &v, e)) return -1;
  for (int i = 0; i < nVersion; i++)
    if (strcmp(aVersion[i]->rung, v.rung) == 0 && aVersion[i]->version == v.version) {
      char which[40];
      snprintf(which, sizeof which, "%s v%d", v.rung, v.version);
      free(v.source);
      free(v.text);
      return err_setf(e, E_CONFLICT, "ladder.version_exists", "source", "该级的这一版本已存在：%s",
                      "That version of the rung exists: %s", which);
    }
  aVersion = xrealloc(aVersion, (size_t)(nVersion + 1) * sizeof *aVersion);
  aVersion[nVersion] = xmalloc(sizeof v);
  *aVersion[nVersion++] = v;
  return 0;
}

/* load() adds the versions data/ladder carries: RUNG-1.lua, RUNG-2.lua … */
static void load(void) {
  pthread_mutex_lock(&lock);
  for (size_t i = 0; i < XQ_COUNT(rungs); i++)
    for (int k = 1;; k++) {
      char name[64];
      size_t n;
      snprintf(name, sizeof name, "ladder/%s-%d.lua", rungs[i].code, k);
      const char *text = embedded_get(name, &n);
      if (!text) break;
      Err e = {0};
      if (add(text, &e)) panic("data/%s: %s / %s", name, e.message, e.message_en);
    }
  pthread_mutex_unlock(&lock);
}

int ladder_version_add(const char *source, Err *e) {
  pthread_once(&once, load);
  pthread_mutex_lock(&lock);
  int rc = add(source, e);
  pthread_mutex_unlock(&lock);
  return rc;
}

/* in_force() is the version of rung in force on day on: the latest
** effective_from not after it (the higher version on the same day), or
** NULL. Versions are never removed, so the pointer stays good. */
static const Version *in_force(const char *rung, const char *on) {
  const Version *best = NULL;
  pthread_mutex_lock(&lock);
  for (int i = 0; i < nVersion; i++) {
    const Version *v = aVersion[i];
    if (strcmp(v->rung, rung) != 0 || strcmp(v->from, on) > 0) continue;
    int c = best ? strcmp(v->from, best->from) : 1;
    if (c > 0 || (c == 0 && v->version > best->version)) best = v;
  }
  pthread_mutex_unlock(&lock);
  return best;
}

/* rung_json() runs version v (may be NULL) over facts. */
static json_t *rung_json(size_t k, const Version *v, const json_t *facts) {
  json_t *o = json_pack("{s:s,s:s}", "rung", rungs[k].code, "name", v && v->name[0] ? v->name : rungs[k].name);
  json_t *criteria = json_array(), *why = json_array();
  json_t *eligible = json_null(), *score = json_null();
  if (!v) {
    json_array_append_new(why, json_string("该日期尚无有效的认定标准"));
    json_object_set_new(o, "rule_version", json_null());
  } else {
    RuleResult r;
    rules_eval(v->source, facts, &r);
    json_object_set_new(o, "rule_version", json_integer(v->version));
    json_object_set_new(o, "effective_from", json_string(v->from));
    json_object_set_new(o, "citation", json_string(v->citation));
    if (r.code[0]) {
      /* The rule itself failed: nothing is decided. */
      json_array_append_new(why, json_string(r.error));
    } else {
      if (r.verdict == VERDICT_APPROVE) eligible = json_true();
      else if (r.verdict == VERDICT_DENY) eligible = json_false();
      json_t *s = json_object_get(r.outputs, "score");
      if (json_is_number(s)) score = json_incref(s);
      size_t i;
      json_t *c;
      json_array_foreach(r.conditions, i, c) {
        json_t *met = json_object_get(c, "met");
        const char *msg = json_string_value(json_object_get(c, "message"));
        json_array_append_new(criteria, json_pack("{s:O,s:O,s:O,s:O,s:s}", "code", json_object_get(c, "name"), "met",
                                                  met, "value", json_object_get(c, "figure"), "threshold",
                                                  json_object_get(c, "threshold"), "message", msg ? msg : ""));
        if (!json_is_true(met) && !json_is_true(eligible) && msg) json_array_append_new(why, json_string(msg));
      }
    }
    rules_result_clear(&r);
  }
  json_object_set_new(o, "eligible", eligible);
  json_object_set_new(o, "score", score);
  json_object_set_new(o, "criteria", criteria);
  json_object_set_new(o, "why_not", why);
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
  pthread_once(&once, load);
  json_t *f = json_deep_copy(facts), *list = json_array();
  json_object_set_new(f, "on", json_string(on)); /* the rules read the day as facts.on */
  for (size_t k = 0; k < XQ_COUNT(rungs); k++) json_array_append_new(list, rung_json(k, in_force(rungs[k].code, on), f));
  json_decref(f);
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
  pthread_once(&once, load);
  const Version *v = in_force(rung, on);
  return v ? v->valid_years : 0;
}

int ladder_version_parse(const char *source, char rung[16], int *version, char from[11], Err *e) {
  Version v;
  if (parse(source, &v, e)) return -1;
  memcpy(rung, v.rung, sizeof v.rung);
  memcpy(from, v.from, sizeof v.from);
  *version = v.version;
  free(v.source);
  free(v.text);
  return 0;
}

int ladder_sync(Db *db, Err *e) {
  pthread_once(&once, load);
  pthread_mutex_lock(&lock);
  int64_t after = synced;
  pthread_mutex_unlock(&lock);
  Stmt *st = db_prepare(db, "SELECT id, source FROM ladder_rule WHERE id > ? ORDER BY id", e);
  if (!st) return -1;
  stmt_bind_int(st, 1, after);
  int rc;
  while ((rc = stmt_step(st, e)) == 1) {
    int64_t id = stmt_int(st, 0);
    Err bad = {0};
    pthread_mutex_lock(&lock);
    if (id > synced) {
      /* A version another server added; one that no longer compiles (or is
      ** there twice) is skipped, with its reason in the log. */
      if (add(stmt_text(st, 1), &bad) && strcmp(bad.code, "ladder.version_exists") != 0)
        log_warn("ladder_rule %lld: %s", (long long)id, bad.message);
      synced = id;
    }
    pthread_mutex_unlock(&lock);
  }
  stmt_done(st);
  return rc;
}

json_t *ladder_rungs_json(void) {
  pthread_once(&once, load);
  json_t *out = json_array();
  pthread_mutex_lock(&lock);
  for (size_t k = 0; k < XQ_COUNT(rungs); k++) {
    json_t *versions = json_array();
    int years = 0;
    for (int i = 0; i < nVersion; i++) {
      const Version *v = aVersion[i];
      if (strcmp(v->rung, rungs[k].code) != 0) continue;
      years = v->valid_years;
      json_array_append_new(versions, json_pack("{s:i,s:s,s:s,s:s}", "version", v->version, "effective_from",
                                                v->from, "citation", v->citation, "name",
                                                v->name[0] ? v->name : rungs[k].name));
    }
    json_array_append_new(out, json_pack("{s:s,s:s,s:b,s:i,s:o}", "code", rungs[k].code, "name", rungs[k].name,
                                         "rule", true, "valid_years", years, "versions", versions));
  }
  pthread_mutex_unlock(&lock);
  /* 研发机构: a title recorded and counted, never checked by a rule; open
  ** unless its end is given. */
  json_array_append_new(out, json_pack("{s:s,s:s,s:b,s:n,s:[]}", "code", "rdi", "name", ladder_rung_name("rdi"), "rule",
                                       false, "valid_years", "versions"));
  return out;
}

char *ladder_rule_text(const char *rung, int version) {
  pthread_once(&once, load);
  char *out = NULL;
  pthread_mutex_lock(&lock);
  for (int i = 0; i < nVersion && !out; i++)
    if (strcmp(aVersion[i]->rung, rung) == 0 && aVersion[i]->version == version) out = xstrdup(aVersion[i]->text);
  pthread_mutex_unlock(&lock);
  return out;
}
