/*
** rulebook.c — effective-dated versions of rules (rulebook.h).
*/
#include "rulebook.h"
#include "rules.h"
#include "audit.h"
#include "../base/cal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *embedded_get(const char *name, size_t *n);

bool rulebook_header(const char *text, const char *key, char *out, size_t cap) {
  char want[48];
  snprintf(want, sizeof want, "-- %s:", key);
  size_t nWant = strlen(want);
  for (const char *p = text; p && strncmp(p, "--", 2) == 0; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
    if (strncmp(p, want, nWant) != 0) continue;
    const char *v = p + nWant, *end = strchr(v, '\n');
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

/* known() is true when code is one of b's. */
static bool known(const Rulebook *b, const char *code) {
  for (const char *const *c = b->codes; *c; c++)
    if (strcmp(*c, code) == 0) return true;
  return false;
}

int rulebook_parse(Rulebook *b, const char *text, RuleVersion *v, Err *e) {
  memset(v, 0, sizeof *v);
  char num[16] = "", code[64];
  int day;
  snprintf(code, sizeof code, "%s.bad_rule", b->name);
  if (!utf8_valid(text, strlen(text)))
    return err_set(e, E_INVALID, code, "source", "规则文本不是有效的 UTF-8", "The rule's text is not valid UTF-8");
  if (!rulebook_header(text, b->code_key, v->code, sizeof v->code) ||
      !rulebook_header(text, "version", num, sizeof num) ||
      !rulebook_header(text, "effective_from", v->from, sizeof v->from) || cal_parse_date(v->from, &day) ||
      (v->version = atoi(num)) <= 0)
    return err_setf(e, E_INVALID, code, "source", "规则开头应写明 %s、version、effective_from（YYYY-MM-DD）",
                    "A rule begins with its %s, version and effective_from (YYYY-MM-DD)", b->code_key);
  if (rulebook_header(text, "effective_to", v->to, sizeof v->to) &&
      (cal_parse_date(v->to, &day) || strcmp(v->to, v->from) < 0))
    return err_setf(e, E_INVALID, code, "source", "effective_to 应为不早于 effective_from 的日期：%s",
                    "effective_to must be a date not before effective_from: %s", v->to);
  if (!known(b, v->code))
    return err_setf(e, E_INVALID, code, "source", "未知的规则代码：%s", "Unknown rule code: %s", v->code);
  /* The name and citation are kept whole or refused, never cut (a cut can
  ** split a character). */
  char line[1024], most[16];
  if (rulebook_header(text, "name", line, sizeof line) && strlen(line) >= sizeof v->name)
    return snprintf(most, sizeof most, "%zu", sizeof v->name - 1),
           err_setf(e, E_INVALID, code, "source", "name 过长：最多 %s 字节", "The name is too long: %s bytes at most", most);
  if (rulebook_header(text, "citation", line, sizeof line) && strlen(line) >= sizeof v->citation)
    return snprintf(most, sizeof most, "%zu", sizeof v->citation - 1),
           err_setf(e, E_INVALID, code, "source", "citation 过长：最多 %s 字节", "The citation is too long: %s bytes at most",
                    most);
  rulebook_header(text, "name", v->name, sizeof v->name);
  rulebook_header(text, "citation", v->citation, sizeof v->citation);
  if (!b->prelude) {
    snprintf(code, sizeof code, "%s.no_lib", b->name);
    return err_setf(e, E_INTERNAL, code, NULL, "缺少 rules/common.lua 或 %s/lib.lua",
                    "rules/common.lua or %s/lib.lua is missing", b->name);
  }
  if (rules_check(text, e)) return -1;
  v->text = xstrdup(text);
  return 0;
}

void rulebook_version_free(RuleVersion *v) {
  free(v->text);
  v->text = NULL;
}

/* prelude() makes b->prelude from the embedded rules/common.lua and
** NAME/lib.lua (left NULL when either is missing); the caller holds the
** lock. A shipped prelude that does not compile is a build error. */
static void prelude(Rulebook *b) {
  char libname[64];
  size_t n;
  snprintf(libname, sizeof libname, "%s/lib.lua", b->name);
  const char *common = embedded_get("rules/common.lua", &n), *lib = embedded_get(libname, &n);
  if (!common || !lib) return;
  b->prelude = xasprintf("%s\n%s", common, lib);
  Err e = {0};
  if (rules_check(b->prelude, &e)) panic("data/rules/common.lua, data/%s: %s / %s", libname, e.message, e.message_en);
}

/* add() keeps one version; the caller holds the lock. */
static int add(Rulebook *b, const char *text, Err *e) {
  RuleVersion v;
  if (rulebook_parse(b, text, &v, e)) return -1;
  for (int i = 0; i < b->n; i++)
    if (strcmp(b->a[i]->code, v.code) == 0 && b->a[i]->version == v.version) {
      char code[64], which[40];
      snprintf(code, sizeof code, "%s.version_exists", b->name);
      snprintf(which, sizeof which, "%s v%d", v.code, v.version);
      rulebook_version_free(&v);
      return err_setf(e, E_CONFLICT, code, "source", "这一版本已存在：%s", "That version exists: %s", which);
    }
  b->a = xrealloc(b->a, (size_t)(b->n + 1) * sizeof *b->a);
  b->a[b->n] = xmalloc(sizeof v);
  *b->a[b->n++] = v;
  return 0;
}

/* load() adds the embedded versions NAME/CODE-1.lua, NAME/CODE-2.lua … once;
** the caller holds the lock. A shipped version that does not check is a
** build error, so it panics. */
static void load(Rulebook *b) {
  if (b->loaded) return;
  b->loaded = true;
  prelude(b);
  for (const char *const *c = b->codes; *c; c++)
    for (int k = 1;; k++) {
      char name[96];
      size_t n;
      snprintf(name, sizeof name, "%s/%s-%d.lua", b->name, *c, k);
      const char *text = embedded_get(name, &n);
      if (!text) break;
      Err e = {0};
      if (add(b, text, &e)) panic("data/%s: %s / %s", name, e.message, e.message_en);
    }
}

int rulebook_add(Rulebook *b, const char *text, Err *e) {
  pthread_mutex_lock(&b->lock);
  load(b);
  int rc = add(b, text, e);
  pthread_mutex_unlock(&b->lock);
  return rc;
}

const char *rulebook_prelude(Rulebook *b) {
  pthread_mutex_lock(&b->lock);
  load(b);
  pthread_mutex_unlock(&b->lock);
  return b->prelude;
}

const RuleVersion *rulebook_in_force(Rulebook *b, const char *code, const char *on) {
  const RuleVersion *best = NULL;
  pthread_mutex_lock(&b->lock);
  load(b);
  for (int i = 0; i < b->n; i++) {
    const RuleVersion *v = b->a[i];
    if (strcmp(v->code, code) != 0 || strcmp(v->from, on) > 0) continue;
    int c = best ? strcmp(v->from, best->from) : 1;
    if (c > 0 || (c == 0 && v->version > best->version)) best = v;
  }
  pthread_mutex_unlock(&b->lock);
  return best && best->to[0] && strcmp(best->to, on) < 0 ? NULL : best;
}

const RuleVersion *rulebook_find(Rulebook *b, const char *code, int version) {
  const RuleVersion *found = NULL;
  pthread_mutex_lock(&b->lock);
  load(b);
  for (int i = 0; i < b->n && !found; i++)
    if (strcmp(b->a[i]->code, code) == 0 && b->a[i]->version == version) found = b->a[i];
  pthread_mutex_unlock(&b->lock);
  return found;
}

int rulebook_versions(Rulebook *b, const char *code, const RuleVersion **out, int cap) {
  int n = 0;
  pthread_mutex_lock(&b->lock);
  load(b);
  for (int i = 0; i < b->n; i++) {
    if (code && strcmp(b->a[i]->code, code) != 0) continue;
    if (n < cap) out[n] = b->a[i];
    n++;
  }
  pthread_mutex_unlock(&b->lock);
  return n;
}

int rulebook_sync(Rulebook *b, Db *db, Err *e) {
  if (!b->table) return 0;
  pthread_mutex_lock(&b->lock);
  load(b);
  int64_t after = b->synced;
  pthread_mutex_unlock(&b->lock);
  char sql[128], exists[64];
  snprintf(sql, sizeof sql, "SELECT id, source FROM %s WHERE id > ? ORDER BY id", b->table);
  snprintf(exists, sizeof exists, "%s.version_exists", b->name);
  Stmt *st = db_prepare(db, sql, e);
  if (!st) return -1;
  stmt_bind_int(st, 1, after);
  int rc;
  while ((rc = stmt_step(st, e)) == 1) {
    int64_t id = stmt_int(st, 0);
    Err bad = {0};
    pthread_mutex_lock(&b->lock);
    if (id > b->synced) {
      /* A version another server added; one that no longer compiles (or is
      ** there twice) is skipped, with its reason in the log. */
      if (add(b, stmt_text(st, 1), &bad) && strcmp(bad.code, exists) != 0)
        log_warn("%s %lld: %s", b->table, (long long)id, bad.message);
      b->synced = id;
    }
    pthread_mutex_unlock(&b->lock);
  }
  stmt_done(st);
  return rc;
}

typedef struct PublishJob {
  Rulebook *b;
  const User *actor;
  const char *source;
  const RuleVersion *v;
} PublishJob;

static int publish_job(Db *db, void *arg, Err *e) {
  PublishJob *j = arg;
  const RuleVersion *v = j->v;
  char sql[200], code[64], obj[80];
  snprintf(sql, sizeof sql, "INSERT INTO %s(%s, version, effective_from, source, created_at, created_by) VALUES (?,?,?,?,?,?)",
           j->b->table, j->b->code_key);
  if (db_run(db, e, sql, "titti" "i", v->code, (int64_t)v->version, v->from, j->source, now_ms(), j->actor->id) < 0) {
    if (strcmp(e->code, "db.unique") != 0) return -1;
    snprintf(code, sizeof code, "%s.version_exists", j->b->name);
    snprintf(obj, sizeof obj, "%s v%d", v->code, v->version);
    return err_setf(e, E_CONFLICT, code, "source", "这一版本已存在：%s", "That version exists: %s", obj);
  }
  snprintf(code, sizeof code, "%s.rule", j->b->name);
  snprintf(obj, sizeof obj, "%s:%s/%d", j->b->table, v->code, v->version);
  json_t *d = json_pack("{s:s,s:i,s:s}", j->b->code_key, v->code, "version", v->version, "effective_from", v->from);
  int rc = audit_append(db, j->actor, code, obj, d, e);
  json_decref(d);
  return rc;
}

json_t *rulebook_publish(Rulebook *b, Store *s, const User *actor, const char *source, Err *e) {
  RuleVersion v;
  char today[11], code[64];
  rulebook_prelude(b); /* loads the book: rulebook_parse() reads its prelude */
  if (rulebook_sync(b, store_reader(s), e) || rulebook_parse(b, source, &v, e)) return NULL;
  json_t *out = NULL;
  if (strcmp(v.from, time_today_cn(today)) < 0) {
    snprintf(code, sizeof code, "%s.in_the_past", b->name);
    err_setf(e, E_INVALID, code, "source", "新版本的生效日期不能早于今天：%s", "A new version takes effect today or later: %s",
             v.from);
  } else if (rulebook_find(b, v.code, v.version)) {
    char which[40];
    snprintf(code, sizeof code, "%s.version_exists", b->name);
    snprintf(which, sizeof which, "%s v%d", v.code, v.version);
    err_setf(e, E_CONFLICT, code, "source", "这一版本已存在：%s", "That version exists: %s", which);
  } else {
    PublishJob j = {b, actor, source, &v};
    if (store_write(s, publish_job, &j, e) == 0 && rulebook_sync(b, store_reader(s), e) == 0)
      out = json_pack("{s:s,s:i,s:s}", b->code_key, v.code, "version", v.version, "effective_from", v.from);
  }
  rulebook_version_free(&v);
  return out;
}
