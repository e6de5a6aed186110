/*
** audit.c — the hash-chained audit log (see audit.h).
*/
#include "audit.h"
#include "../base/buf.h"
#include "../base/crypto.h"

#include <stdio.h>
#include <string.h>

static const char GENESIS[65] =
    "0000000000000000000000000000000000000000000000000000000000000000";

static void event_hash(const char *prev, int64_t at, int64_t actor_id, const char *actor,
                       const char *action, const char *object, const char *detail,
                       char out[65]) {
  Buf b = {0};
  buf_appendf(&b, "%s\n%lld\n%lld\n%s\n%s\n%s\n%s", prev, (long long)at, (long long)actor_id,
              actor, action, object, detail);
  crypto_sha256_hex(b.a, b.n, out);
  buf_free(&b);
}

int audit_append(Db *db, const User *actor, const char *action, const char *object,
                 const json_t *detail, Err *e) {
  char prev[65], hash[65];
  char *text = NULL;
  int rc = -1;
  Stmt *st;
  /* No other server extends the chain meanwhile: the writer's transaction
  ** holds the database's write lock from its BEGIN (store_write()). */
  st = db_prepare(db, "SELECT hash FROM audit_event ORDER BY id DESC LIMIT 1", e);
  if (!st) return -1;
  int step = stmt_step(st, e);
  if (step < 0) { stmt_done(st); return -1; }
  snprintf(prev, sizeof prev, "%s", step == 1 ? stmt_text(st, 0) : GENESIS);
  stmt_done(st);

  int64_t at = now_ms();
  int64_t actor_id = actor ? actor->id : 0;
  const char *who = actor ? actor->username : "system";
  text = detail ? json_dumps(detail, JSON_COMPACT | JSON_SORT_KEYS) : xstrdup("{}");
  event_hash(prev, at, actor_id, who, action, object, text, hash);
  if (db_run(db, e,
             "INSERT INTO audit_event(at, actor_id, actor, action, object, detail, prev_hash, hash)"
             " VALUES (?,?,?,?,?,?,?,?)",
             "iitttttt", at, actor_id, who, action, object, text, prev,
             hash) < 0)
    goto out;
  rc = 0;
out:
  free(text);
  return rc;
}

int audit_verify(Store *s, int64_t *count, int64_t *bad_id, char *why, size_t cap) {
  Err e = {0};
  char prev[65], hash[65];
  int rc = -1;
  Db *db = store_reader(s);
  Stmt *st = db_prepare(db,
                        "SELECT id, at, actor_id, actor, action, object, detail, prev_hash, hash"
                        " FROM audit_event ORDER BY id",
                        &e);
  *count = 0;
  *bad_id = 0;
  if (!st) {
    snprintf(why, cap, "%s", e.message_en);
    return -1;
  }
  memcpy(prev, GENESIS, sizeof prev);
  int step;
  while ((step = stmt_step(st, &e)) == 1) {
    int64_t id = stmt_int(st, 0);
    if (strcmp(stmt_text(st, 7), prev) != 0) {
      *bad_id = id;
      snprintf(why, cap, "事件 %lld 的前序哈希与上一事件不符（之前的事件被删除或修改） / event %lld: prev_hash does not match the previous event (an event before it was deleted or changed)",
               (long long)id, (long long)id);
      goto out;
    }
    event_hash(prev, stmt_int(st, 1), stmt_int(st, 2), stmt_text(st, 3), stmt_text(st, 4),
               stmt_text(st, 5), stmt_text(st, 6), hash);
    if (strcmp(hash, stmt_text(st, 8)) != 0) {
      *bad_id = id;
      snprintf(why, cap, "事件 %lld 的内容与其哈希不符（被修改） / event %lld: content does not match its hash (it was changed)",
               (long long)id, (long long)id);
      goto out;
    }
    memcpy(prev, hash, sizeof prev);
    (*count)++;
  }
  if (step < 0) {
    snprintf(why, cap, "%s", e.message_en);
    goto out;
  }
  rc = 0;
out:
  stmt_done(st);
  return rc;
}

json_t *audit_list(Store *s, int64_t after_id, int limit, const char *action, const char *object,
                   Err *e) {
  Db *db = store_reader(s);
  /* Prefix filters compare exactly (case and all, no wildcards) and the
  ** same way on both backends. */
#define PREFIX(col) "(CAST(? AS TEXT) = '' OR substr(" col ", 1, length(CAST(? AS TEXT))) = CAST(? AS TEXT))"
  Stmt *st = db_prepare(db,
                        "SELECT id, at, actor, action, object, detail, prev_hash, hash FROM audit_event"
                        " WHERE id > ? AND " PREFIX("action") " AND " PREFIX("object")
                        " ORDER BY id LIMIT ?",
                        e);
#undef PREFIX
  if (!st) return NULL;
  action = action ? action : "";
  object = object ? object : "";
  stmt_bind_int(st, 1, after_id);
  for (int i = 0; i < 3; i++) stmt_bind_text(st, 2 + i, action);
  for (int i = 0; i < 3; i++) stmt_bind_text(st, 5 + i, object);
  stmt_bind_int(st, 8, limit);
  json_t *arr = json_array();
  int step;
  while ((step = stmt_step(st, e)) == 1) {
    char iso[32];
    json_t *detail = json_loads(stmt_text(st, 5), 0, NULL);
    json_array_append_new(
        arr, json_pack("{s:I, s:s, s:s, s:s, s:s, s:o, s:s, s:s}", "id", (json_int_t)stmt_int(st, 0),
                       "at", time_iso(stmt_int(st, 1), iso), "actor", stmt_text(st, 2), "action",
                       stmt_text(st, 3), "object", stmt_text(st, 4), "detail",
                       detail ? detail : json_object(), "prev_hash", stmt_text(st, 6), "hash",
                       stmt_text(st, 7)));
  }
  stmt_done(st);
  if (step < 0) {
    json_decref(arr);
    return NULL;
  }
  return arr;
}
