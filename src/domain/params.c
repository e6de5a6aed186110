/*
** params.c — effective-dated parameters (see params.h). All SQL on
** param_version lives here. A version's end is not stored: it is the day
** before the next version's start, so adding a version changes no row.
*/
#include "params.h"
#include "audit.h"
#include "../base/cal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int params_get(Db *db, const char *scope, const char *key, const char *day, json_t **value, Err *e) {
  Stmt *st = db_prepare(db, "SELECT value FROM param_version WHERE scope = ? AND key = ? AND effective_from <= ?"
                            " ORDER BY effective_from DESC LIMIT 1", e);
  if (!st) return -1;
  stmt_bind_text(st, 1, scope);
  stmt_bind_text(st, 2, key);
  stmt_bind_text(st, 3, day);
  int rc = stmt_step(st, e);
  *value = NULL;
  if (rc == 1) {
    *value = json_loads(stmt_text(st, 0), JSON_DECODE_ANY, NULL);
    if (!*value)
      rc = err_setf(e, E_INTERNAL, "param.bad_value", key, "参数值无法解析：%s", "A parameter's value does not parse: %s",
                    key);
  }
  stmt_done(st);
  return rc;
}

int params_need(Db *db, const char *scope, const char *key, const char *day, json_t **value, Err *e) {
  int rc = params_get(db, scope, key, day, value, e);
  if (rc == 0) {
    char name[160];
    snprintf(name, sizeof name, "%s/%s", scope, key);
    err_setf(e, E_INTERNAL, "param.missing", NULL, "缺少参数 %s，请管理员设置（PUT /api/v1/params）",
             "Parameter %s is not set for that day; an administrator sets it (PUT /api/v1/params)", name);
  }
  return rc == 1 ? 0 : -1;
}

static int bad_type(const char *key, const char *want, Err *e) {
  char zh[160], en[160];
  snprintf(zh, sizeof zh, "参数 %s 应为%s", key, want);
  snprintf(en, sizeof en, "Parameter %s has the wrong type", key);
  return err_set(e, E_INTERNAL, "param.bad_type", NULL, zh, en);
}

int params_int(Db *db, const char *scope, const char *key, const char *day, int64_t *out, Err *e) {
  json_t *v;
  if (params_need(db, scope, key, day, &v, e)) return -1;
  int rc = json_is_integer(v) ? 0 : bad_type(key, "整数", e);
  if (rc == 0) *out = json_integer_value(v);
  json_decref(v);
  return rc;
}

int params_text(Db *db, const char *scope, const char *key, const char *day, char *out, size_t cap, Err *e) {
  json_t *v;
  if (params_need(db, scope, key, day, &v, e)) return -1;
  int rc = json_is_string(v) && json_string_length(v) < cap ? 0 : bad_type(key, "文本", e);
  if (rc == 0) memcpy(out, json_string_value(v), json_string_length(v) + 1);
  json_decref(v);
  return rc;
}

json_t *params_scope(Db *db, const char *scope, const char *day, Err *e) {
  /* The newest version of each key that has started by day. */
  Stmt *st = db_prepare(db, "SELECT p.key, p.value FROM param_version p WHERE p.scope = ? AND p.effective_from ="
                            " (SELECT MAX(q.effective_from) FROM param_version q WHERE q.scope = p.scope"
                            " AND q.key = p.key AND q.effective_from <= ?) ORDER BY p.key", e);
  if (!st) return NULL;
  stmt_bind_text(st, 1, scope);
  stmt_bind_text(st, 2, day);
  json_t *o = json_object();
  int rc;
  while ((rc = stmt_step(st, e)) == 1) {
    json_t *v = json_loads(stmt_text(st, 1), JSON_DECODE_ANY, NULL);
    if (!v) {
      rc = err_setf(e, E_INTERNAL, "param.bad_value", NULL, "参数值无法解析：%s",
                    "A parameter's value does not parse: %s", stmt_text(st, 0));
      break;
    }
    json_object_set_new(o, stmt_text(st, 0), v);
  }
  stmt_done(st);
  if (rc < 0) {
    json_decref(o);
    return NULL;
  }
  return o;
}

/* name_ok() is true for a scope or key: 1–64 characters of UTF-8, no
** white space, no control characters and no '/'. */
static bool name_ok(const char *s) {
  size_t n = s ? strlen(s) : 0;
  if (n == 0 || !utf8_valid(s, n) || utf8_len(s) > 64) return false;
  for (const unsigned char *p = (const unsigned char *)s; *p; p++)
    if (*p <= ' ' || *p == 0x7f || *p == '/') return false;
  return true;
}

typedef struct SetJob {
  const User *actor;
  const char *scope, *key, *from;
  const json_t *value;
} SetJob;

static int set_job(Db *db, void *arg, Err *e) {
  SetJob *j = arg;
  Stmt *st = db_prepare(db, "SELECT MAX(effective_from) FROM param_version WHERE scope = ? AND key = ?", e);
  if (!st) return -1;
  stmt_bind_text(st, 1, j->scope);
  stmt_bind_text(st, 2, j->key);
  char newest[16] = "";
  int rc = stmt_step(st, e);
  if (rc == 1 && stmt_text(st, 0)) snprintf(newest, sizeof newest, "%s", stmt_text(st, 0));
  stmt_done(st);
  if (rc < 0) return -1;
  /* The past is never rewritten: a value takes effect today or later, after
  ** the newest version, which it may replace only while that one is not yet
  ** in force. */
  char today[11];
  time_today_cn(today);
  if (strcmp(j->from, today) < 0)
    return err_setf(e, E_INVALID, "param.in_the_past", "effective_from",
                    "生效日期不得早于今天（%s）：已作出的决定按当日的参数值复核，不改写历史",
                    "effective_from may not be before today (%s): past decisions keep their day's values", today);
  if (newest[0] && (strcmp(j->from, newest) < 0 || (strcmp(j->from, newest) == 0 && strcmp(newest, today) <= 0)))
    return err_setf(e, E_CONFLICT, "param.before_newest", "effective_from",
                    "生效日期应晚于已生效的最新版本（%s）", "effective_from must come after the newest version in force (%s)",
                    newest);
  char *text = json_dumps(j->value, JSON_COMPACT | JSON_ENCODE_ANY | JSON_SORT_KEYS);
  int64_t n = db_run(db, e,
                     "INSERT INTO param_version(scope, key, effective_from, value, created_at, created_by)"
                     " VALUES (?,?,?,?,?,?) ON CONFLICT (scope, key, effective_from) DO UPDATE SET value = excluded.value,"
                     " created_at = excluded.created_at, created_by = excluded.created_by",
                     "ttttii", j->scope, j->key, j->from, text, now_ms(), j->actor->id);
  free(text);
  if (n < 0) return -1;
  char obj[160];
  snprintf(obj, sizeof obj, "param:%s/%s", j->scope, j->key);
  json_t *d = json_pack("{s:s,s:O}", "effective_from", j->from, "value", j->value);
  rc = audit_append(db, j->actor, "param.set", obj, d, e);
  json_decref(d);
  return rc;
}

/* set_ok() is 0 when (scope, key, value, from) may be set, else -1 with *e. */
static int set_ok(const char *scope, const char *key, const json_t *value, const char *from, Err *e) {
  int day;
  if (!name_ok(scope) || !name_ok(key))
    return err_set(e, E_INVALID, "param.bad_name", !name_ok(scope) ? "scope" : "key",
                   "参数的范围和名称应为 1–64 个字符，不含空白和“/”", "scope and key are 1–64 characters without blanks or '/'");
  if (!value || json_is_null(value))
    return err_set(e, E_INVALID, "request.missing_field", "value", "请给出参数值（value）", "Give the value");
  if (!from || strlen(from) != 10 || cal_parse_date(from, &day))
    return err_set(e, E_INVALID, "request.bad_date", "effective_from", "生效日期应为 YYYY-MM-DD",
                   "effective_from must be a date YYYY-MM-DD");
  return 0;
}

int params_set_in(Db *db, const User *actor, const char *scope, const char *key, const json_t *value, const char *from,
                  Err *e) {
  SetJob j = {actor, scope, key, from, value};
  return set_ok(scope, key, value, from, e) ? -1 : set_job(db, &j, e);
}

json_t *params_set(Store *s, const User *actor, const char *scope, const char *key, const json_t *value,
                   const char *from, Err *e) {
  SetJob j = {actor, scope, key, from, value};
  /* A talent policy's parameters are set by the talent department through
  ** its own route, which checks the value's kind and range and runs the
  ** what-if first (talent_param_set()); never past those checks here. */
  if (scope && strncmp(scope, "talent.", 7) == 0)
    return err_setf(e, E_INVALID, "param.owned", "scope",
                    "人才政策的参数请由人社局在“参数调整测算”中施行（POST /api/v1/talent/policies/{policy}/params）：%s",
                    "A talent policy's parameters are set through POST /api/v1/talent/policies/{policy}/params: %s",
                    scope),
           NULL;
  if (set_ok(scope, key, value, from, e) || store_write(s, set_job, &j, e)) return NULL;
  json_t *all = params_versions(s, scope, key, e);
  json_t *one = all ? json_incref(json_array_get(all, 0)) : NULL;
  json_decref(all);
  return one;
}

json_t *params_versions(Store *s, const char *scope, const char *key, Err *e) {
  Stmt *st = db_prepare(store_reader(s),
                        "SELECT scope, key, effective_from, value FROM param_version"
                        " WHERE (CAST(? AS TEXT) IS NULL OR scope = ?) AND (CAST(? AS TEXT) IS NULL OR key = ?)"
                        " ORDER BY scope, key, effective_from", e);
  if (!st) return NULL;
  stmt_bind_text(st, 1, scope);
  stmt_bind_text(st, 2, scope);
  stmt_bind_text(st, 3, key);
  stmt_bind_text(st, 4, key);
  json_t *a = json_array(), *cur = NULL;
  int rc;
  while ((rc = stmt_step(st, e)) == 1) {
    const char *sc = stmt_text(st, 0), *k = stmt_text(st, 1), *from = stmt_text(st, 2);
    if (!cur || strcmp(json_string_value(json_object_get(cur, "scope")), sc) != 0 ||
        strcmp(json_string_value(json_object_get(cur, "key")), k) != 0) {
      cur = json_pack("{s:s,s:s,s:[]}", "scope", sc, "key", k, "versions");
      json_array_append_new(a, cur);
    }
    json_t *versions = json_object_get(cur, "versions");
    /* The version before this one ends the day before it starts. */
    size_t n = json_array_size(versions);
    int day;
    if (n && cal_parse_date(from, &day) == 0) {
      char end[11];
      cal_format(day - 1, end);
      json_object_set_new(json_array_get(versions, n - 1), "effective_to", json_string(end));
    }
    json_t *v = json_loads(stmt_text(st, 3), JSON_DECODE_ANY, NULL);
    json_array_append_new(versions, json_pack("{s:s,s:o,s:n}", "effective_from", from, "value",
                                              v ? v : json_null(), "effective_to"));
  }
  stmt_done(st);
  if (rc < 0) {
    json_decref(a);
    return NULL;
  }
  return a;
}
