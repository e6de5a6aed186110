/*
** audit.c — the hash-chained audit log (see audit.h).
*/
#include "audit.h"
#include "docs.h"
#include "../base/buf.h"
#include "../base/jsonx.h"
#include "../base/crypto.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

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
  /* No other server extends the chain meanwhile: the writer's transaction
  ** holds the database's write lock from its BEGIN (store_write()); so the
  ** tip this transaction appended last is still the tip while db_epoch()
  ** says nothing was rolled back since. */
  static _Thread_local struct {
    const Db *db;
    int64_t epoch;
    char hash[65];
  } tip;
  int64_t epoch = db_epoch(db);
  if (epoch && tip.db == db && tip.epoch == epoch) {
    memcpy(prev, tip.hash, sizeof prev);
  } else {
    Stmt *st = db_prepare(db, "SELECT hash FROM audit_event ORDER BY id DESC LIMIT 1", e);
    if (!st) return -1;
    int step = stmt_step(st, e);
    if (step < 0) { stmt_done(st); return -1; }
    snprintf(prev, sizeof prev, "%s", step == 1 ? stmt_text(st, 0) : GENESIS);
    stmt_done(st);
  }

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
  tip.db = db, tip.epoch = epoch;
  memcpy(tip.hash, hash, sizeof hash);
  rc = 0;
out:
  free(text);
  return rc;
}

/* ---- checkpoints ----------------------------------------------------------- */

static const char HEAD_MAGIC[] = "xinqu-audit-head v1";
static const char *head_path; /* the periodic job's head file, or NULL */

/* at_utc() writes the instant ms as "YYYY-MM-DDTHH:MM:SS.mmmZ". Returns out. */
static char *at_utc(int64_t ms, char out[32]) {
  time_t t = (time_t)(ms / 1000);
  struct tm tm;
  gmtime_r(&t, &tm);
  size_t n = strftime(out, 32, "%Y-%m-%dT%H:%M:%S", &tm);
  snprintf(out + n, 32 - n, ".%03uZ", (unsigned)(ms % 1000) % 1000u);
  return out;
}

/* head_compose() writes h's line into h->line from its fields, with at the
** time as text. The signed part is the line up to " key=". */
static void head_compose(AuditHead *h, const char *at) {
  snprintf(h->line, sizeof h->line, "%s event=%lld count=%lld hash=%s at=%s key=%lld sig=%s", HEAD_MAGIC,
           (long long)h->event_id, (long long)h->events, h->hash, at, (long long)h->key_id, h->sig);
}

/* signed_len() is the length of the signed part of line. */
static size_t signed_len(const char *line) {
  const char *k = strstr(line, " key=");
  return k ? (size_t)(k - line) : strlen(line);
}

/* head_parse() reads a head line (without its newline) into *h: only the
** exact text head_compose() writes is accepted. h->at is left 0 (the time
** stays in the line). Returns 0, or -1 when the line is not one. */
static int head_parse(const char *text, AuditHead *h) {
  long long ev, cnt, key;
  char at[32];
  int n = -1;
  memset(h, 0, sizeof *h);
  if (strlen(text) >= sizeof h->line) return -1;
  if (sscanf(text, "xinqu-audit-head v1 event=%lld count=%lld hash=%64[0-9a-f] at=%31[0-9T:.Z-] key=%lld sig=%128[0-9a-f]%n",
             &ev, &cnt, h->hash, at, &key, h->sig, &n) != 6 || n != (int)strlen(text))
    return -1;
  h->event_id = ev;
  h->events = cnt;
  h->key_id = key;
  head_compose(h, at);
  return strcmp(h->line, text) == 0 && strlen(h->hash) == 64 && strlen(h->sig) == 128 && ev >= 0 && cnt >= 0 ? 0 : -1;
}

/* head_read() reads the newest checkpoint stored on db into *h (its line
** composed). Returns 1, 0 when there is none, -1 with *e. */
static int head_read(Db *db, AuditHead *h, Err *e) {
  Stmt *st = db_prepare(db, "SELECT event_id, events, hash, at, key_id, signature FROM audit_checkpoint"
                            " ORDER BY id DESC LIMIT 1", e);
  if (!st) return -1;
  int rc = stmt_step(st, e);
  if (rc == 1) {
    char at[32];
    memset(h, 0, sizeof *h);
    h->event_id = stmt_int(st, 0);
    h->events = stmt_int(st, 1);
    snprintf(h->hash, sizeof h->hash, "%s", stmt_text(st, 2));
    h->at = stmt_int(st, 3);
    h->key_id = stmt_int(st, 4);
    snprintf(h->sig, sizeof h->sig, "%s", stmt_text(st, 5));
    head_compose(h, at_utc(h->at, at));
  }
  stmt_done(st);
  return rc;
}

/* A checkpoint job: the head it made or found. */
typedef struct CheckpointJob {
  AuditHead *h;
  bool made;
} CheckpointJob;

/* checkpoint_job() is audit_checkpoint()'s write: reads the newest event
** and the newest checkpoint; when they differ, counts the events (from the
** previous checkpoint on, when it is behind the head) and stores a new
** signed checkpoint. */
static int checkpoint_job(Db *db, void *arg, Err *e) {
  CheckpointJob *j = arg;
  AuditHead last, *h = j->h;
  char at[32];
  int have = head_read(db, &last, e);
  if (have < 0) return -1;
  memset(h, 0, sizeof *h);
  memcpy(h->hash, GENESIS, sizeof h->hash);
  Stmt *st = db_prepare(db, "SELECT id, hash FROM audit_event ORDER BY id DESC LIMIT 1", e);
  if (!st) return -1;
  int step = stmt_step(st, e);
  if (step == 1) {
    h->event_id = stmt_int(st, 0);
    snprintf(h->hash, sizeof h->hash, "%s", stmt_text(st, 1));
  }
  stmt_done(st);
  if (step < 0) return -1;
  if (have && last.event_id == h->event_id && strcmp(last.hash, h->hash) == 0) {
    *h = last;
    j->made = false;
    return 0;
  }
  int64_t from = have && last.event_id < h->event_id ? last.event_id : 0;
  st = db_prepare(db, "SELECT COUNT(*) FROM audit_event WHERE id > ? AND id <= ?", e);
  if (!st) return -1;
  stmt_bind_int(st, 1, from);
  stmt_bind_int(st, 2, h->event_id);
  step = stmt_step(st, e);
  if (step == 1) h->events = (from ? last.events : 0) + stmt_int(st, 0);
  stmt_done(st);
  if (step != 1) return -1;
  h->at = now_ms();
  head_compose(h, at_utc(h->at, at)); /* the signed part does not hold the key or the signature */
  if (docs_sign(db, h->line, signed_len(h->line), &h->key_id, h->sig, e)) return -1;
  head_compose(h, at);
  if (db_run(db, e, "INSERT INTO audit_checkpoint(event_id, events, hash, at, key_id, signature)"
                    " VALUES (?,?,?,?,?,?)",
             "iitiit", h->event_id, h->events, h->hash, h->at, h->key_id, h->sig) < 0)
    return -1;
  j->made = true;
  return 0;
}

/* head_append() appends line and a newline to the file at path in one
** write, and flushes it to disk. Returns 0 or -1 with *e. */
static int head_append(const char *path, const char *line, Err *e) {
  char text[AUDIT_HEAD_LINE + 1];
  int n = snprintf(text, sizeof text, "%s\n", line);
  int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  bool ok = fd >= 0 && write(fd, text, (size_t)n) == n && fsync(fd) == 0;
  if (fd >= 0 && close(fd) != 0) ok = false;
  if (ok) return 0;
  char why[600];
  snprintf(why, sizeof why, "%s: %s", path, strerror(errno));
  return err_setf(e, E_INTERNAL, "audit.head_file", NULL, "无法写入审计链头文件 %s",
                  "Cannot write the audit head file %s", why);
}

/* head_file_ends_with() is true when the last line of the file at path is
** line. */
static bool head_file_ends_with(const char *path, const char *line) {
  char tail[AUDIT_HEAD_LINE + 2];
  size_t n = strlen(line) + 1;
  bool yes = false;
  FILE *f = fopen(path, "r");
  if (!f) return false;
  if (fseek(f, -(long)n, SEEK_END) == 0 && fread(tail, 1, n, f) == n)
    yes = memcmp(tail, line, n - 1) == 0 && tail[n - 1] == '\n';
  fclose(f);
  return yes;
}

int audit_checkpoint(Store *s, const char *head_file, AuditHead *out, bool *made, Err *e) {
  CheckpointJob j = {out, false};
  *made = false;
  if (store_write(s, checkpoint_job, &j, e)) return -1;
  *made = j.made;
  if (j.made) log_info("audit head: %s", out->line);
  /* A head file new to this database gets the head found, too. */
  if (!head_file || (!j.made && head_file_ends_with(head_file, out->line))) return 0;
  return head_append(head_file, out->line, e);
}

int audit_head_latest(Store *s, AuditHead *out, Err *e) {
  return head_read(store_reader(s), out, e);
}

json_t *audit_head_json(Store *s, Err *e) {
  AuditHead h;
  char pk[65];
  Db *db = store_reader(s);
  int rc = head_read(db, &h, e);
  if (rc <= 0) {
    if (rc == 0)
      err_set(e, E_NOTFOUND, "audit.no_checkpoint", NULL, "尚无审计链检查点（服务启动时生成）",
              "There is no audit checkpoint yet (the server makes one at start)");
    return NULL;
  }
  if (docs_public_key(db, h.key_id, pk, e) < 0) return NULL;
  return json_pack("{s:I, s:I, s:s, s:o, s:I, s:s, s:s, s:s}", "event_id", (json_int_t)h.event_id, "events",
                   (json_int_t)h.events, "hash", h.hash, "at", jsonx_time(h.at), "key_id", (json_int_t)h.key_id,
                   "public_key", pk, "signature", h.sig, "line", h.line);
}

void audit_head_file(const char *path) { head_path = path; }

static int checkpoint_run(Store *s, int64_t now, json_t **report, Err *e) {
  AuditHead h;
  bool made;
  (void)now;
  if (audit_checkpoint(s, head_path, &h, &made, e)) return -1;
  *report = json_pack("{s:b, s:I, s:I}", "made", made, "event_id", (json_int_t)h.event_id, "events",
                      (json_int_t)h.events);
  return 0;
}

const ScheduleJob audit_checkpoint_job = {"audit.checkpoint", "审计链检查点（签名记录链头）",
                                          AUDIT_CHECKPOINT_MS, checkpoint_run};

/* ---- verification ---------------------------------------------------------- */

/* A checkpoint shown to audit_verify() (its signature checked), and where
** it came from. */
typedef struct Claim {
  int64_t event_id; /* the event it records */
  int64_t events;   /* the count of events up to it */
  char hash[65];    /* the event's hash */
  char zh[48];      /* where it came from, in Chinese */
  char en[48];      /* and in English */
} Claim;

/* The checkpoints shown, and the key that checked the last one. */
typedef struct Claims {
  int n, cap;
  Claim *a;
  Db *db;           /* where the public keys are */
  int64_t key_id;   /* the key in pk (0: none yet) */
  char pk[65];      /* its public key, hex ("" when there is no such key) */
} Claims;

static int claim_cmp(const void *x, const void *y) {
  const Claim *a = x, *b = y;
  return a->event_id < b->event_id ? -1 : a->event_id > b->event_id;
}

/* report() sets the verdict and the why of rep. Returns -1. */
static int report(AuditReport *rep, eAuditVerdict v, int64_t bad_id, const char *why) {
  rep->verdict = v;
  rep->bad_id = bad_id;
  snprintf(rep->why, sizeof rep->why, "%s", why);
  return -1;
}

/* claim_add() checks the signature of h (from where zh / en say) and adds
** it. Returns 0, or -1 with rep filled when it does not hold. */
static int claim_add(Claims *c, const AuditHead *h, const char *zh, const char *en, AuditReport *rep) {
  Err e = {0};
  char why[400];
  if (c->key_id != h->key_id) {
    if (docs_public_key(c->db, h->key_id, c->pk, &e) < 0) return report(rep, AUDIT_ERROR, 0, e.message_en);
    c->key_id = h->key_id;
  }
  if (!docs_signature_ok(c->pk, h->line, signed_len(h->line), h->sig)) {
    snprintf(why, sizeof why, "%s（事件 %lld）的签名无效：检查点是伪造的或被改动过 / %s (event %lld): the signature "
             "does not hold: the checkpoint is forged or was altered",
             zh, (long long)h->event_id, en, (long long)h->event_id);
    return report(rep, AUDIT_FORGED, h->event_id, why);
  }
  if (c->n == c->cap) {
    c->cap = c->cap ? 2 * c->cap : 64;
    c->a = xrealloc(c->a, (size_t)c->cap * sizeof *c->a);
  }
  Claim *k = &c->a[c->n++];
  k->event_id = h->event_id;
  k->events = h->events;
  memcpy(k->hash, h->hash, sizeof k->hash);
  snprintf(k->zh, sizeof k->zh, "%s", zh);
  snprintf(k->en, sizeof k->en, "%s", en);
  return 0;
}

/* claims_db() adds every checkpoint stored on c->db. Returns 0 or -1. */
static int claims_db(Claims *c, AuditReport *rep) {
  Err e = {0};
  Stmt *st = db_prepare(c->db, "SELECT id, event_id, events, hash, at, key_id, signature FROM audit_checkpoint"
                               " ORDER BY id", &e);
  if (!st) return report(rep, AUDIT_ERROR, 0, e.message_en);
  int step = 0, rc = 0;
  while (rc == 0 && (step = stmt_step(st, &e)) == 1) {
    AuditHead h = {0};
    char at[32], zh[48], en[48];
    h.event_id = stmt_int(st, 1);
    h.events = stmt_int(st, 2);
    snprintf(h.hash, sizeof h.hash, "%s", stmt_text(st, 3));
    h.at = stmt_int(st, 4);
    h.key_id = stmt_int(st, 5);
    snprintf(h.sig, sizeof h.sig, "%s", stmt_text(st, 6));
    head_compose(&h, at_utc(h.at, at));
    snprintf(zh, sizeof zh, "数据库中的检查点 %lld", (long long)stmt_int(st, 0));
    snprintf(en, sizeof en, "database checkpoint %lld", (long long)stmt_int(st, 0));
    rc = claim_add(c, &h, zh, en, rep);
  }
  stmt_done(st);
  if (rc) return -1;
  return step < 0 ? report(rep, AUDIT_ERROR, 0, e.message_en) : 0;
}

/* claim_line() adds the head line text from where zh / en say. Returns 0,
** or -1 when it is not a head line or its signature does not hold. */
static int claim_line(Claims *c, const char *text, const char *zh, const char *en, AuditReport *rep) {
  AuditHead h;
  char why[300];
  if (head_parse(text, &h) == 0) return claim_add(c, &h, zh, en, rep);
  snprintf(why, sizeof why, "%s不是审计链头记录（格式错误或被改动）/ %s is not an audit head line (malformed or altered)",
           zh, en);
  return report(rep, AUDIT_FORGED, 0, why);
}

/* claims_file() adds each line of the head file at path (blank lines and
** lines starting with # are skipped). Returns 0 or -1. */
static int claims_file(Claims *c, const char *path, AuditReport *rep) {
  FILE *f = fopen(path, "r");
  char why[700], zh[48], en[48], *line = NULL;
  size_t cap = 0;
  ssize_t got;
  int rc = 0, no = 0;
  if (!f) {
    snprintf(why, sizeof why, "无法读取审计链头文件 %s / cannot read the audit head file %s: %s", path, path,
             strerror(errno));
    return report(rep, AUDIT_ERROR, 0, why);
  }
  while (rc == 0 && (got = getline(&line, &cap, f)) >= 0) {
    no++;
    while (got > 0 && (line[got - 1] == '\n' || line[got - 1] == '\r')) line[--got] = 0;
    if (got == 0 || line[0] == '#') continue;
    snprintf(zh, sizeof zh, "头文件第 %d 行", no);
    snprintf(en, sizeof en, "head file line %d", no);
    rc = claim_line(c, line, zh, en, rep);
  }
  free(line);
  fclose(f);
  return rc;
}

/* claims_meet() matches the claims (sorted by event) at the chain's event
** id (0 before the first), with count events up to it and hash, advancing
** *k past them. A claim for an earlier event means that event is gone. */
static int claims_meet(const Claims *c, int *k, int64_t id, int64_t count, const char *hash, AuditReport *rep) {
  char why[700];
  for (; *k < c->n && c->a[*k].event_id <= id; (*k)++) {
    const Claim *m = &c->a[*k];
    if (m->event_id < id) {
      snprintf(why, sizeof why, "%s记录的事件 %lld 已不在审计链中（被删除）/ event %lld, recorded by %s, is no longer "
               "in the chain (deleted)", m->zh, (long long)m->event_id, (long long)m->event_id, m->en);
      return report(rep, AUDIT_TRUNCATED, m->event_id, why);
    }
    if (m->events != count || strcmp(m->hash, hash) != 0) {
      snprintf(why, sizeof why, "事件 %lld 与%s不符，审计链被重写（记录为第 %lld 个事件、哈希 %.12s…，现为第 %lld 个、%.12s…）"
               "/ event %lld differs from %s, the chain was rewritten (recorded as event number %lld with hash %.12s…, "
               "now number %lld with %.12s…)",
               (long long)id, m->zh, (long long)m->events, m->hash, (long long)count, hash, (long long)id,
               m->en, (long long)m->events, m->hash, (long long)count, hash);
      return report(rep, AUDIT_BROKEN, id, why);
    }
    if (id > rep->newest_checkpoint) rep->newest_checkpoint = id;
  }
  return 0;
}

int audit_verify(Store *s, const char *head_file, const char *head_line, AuditReport *rep) {
  Err e = {0};
  char prev[65], hash[65], why[700];
  Db *db = store_reader(s);
  Claims c = {.db = db};
  int rc = -1, k = 0;
  Stmt *st = NULL;
  memset(rep, 0, sizeof *rep);
  /* The checkpoints first, then the chain: whatever they name was written
  ** before the chain is read. */
  if (claims_db(&c, rep)) goto out;
  if (head_file && claims_file(&c, head_file, rep)) goto out;
  if (head_line && claim_line(&c, head_line, "--head 给出的检查点", "the --head line", rep)) goto out;
  rep->checkpoints = c.n;
  if (c.n) qsort(c.a, (size_t)c.n, sizeof *c.a, claim_cmp);
  memcpy(prev, GENESIS, sizeof prev);
  if (claims_meet(&c, &k, 0, 0, GENESIS, rep)) goto out;
  st = db_prepare(db,
                  "SELECT id, at, actor_id, actor, action, object, detail, prev_hash, hash"
                  " FROM audit_event ORDER BY id",
                  &e);
  if (!st) {
    report(rep, AUDIT_ERROR, 0, e.message_en);
    goto out;
  }
  int step;
  while ((step = stmt_step(st, &e)) == 1) {
    int64_t id = stmt_int(st, 0);
    if (strcmp(stmt_text(st, 7), prev) != 0) {
      snprintf(why, sizeof why, "事件 %lld 的前序哈希与上一事件不符（之前的事件被删除或修改） / event %lld: prev_hash does not match the previous event (an event before it was deleted or changed)",
               (long long)id, (long long)id);
      report(rep, AUDIT_BROKEN, id, why);
      goto out;
    }
    event_hash(prev, stmt_int(st, 1), stmt_int(st, 2), stmt_text(st, 3), stmt_text(st, 4),
               stmt_text(st, 5), stmt_text(st, 6), hash);
    if (strcmp(hash, stmt_text(st, 8)) != 0) {
      snprintf(why, sizeof why, "事件 %lld 的内容与其哈希不符（被修改） / event %lld: content does not match its hash (it was changed)",
               (long long)id, (long long)id);
      report(rep, AUDIT_BROKEN, id, why);
      goto out;
    }
    memcpy(prev, hash, sizeof prev);
    rep->events++;
    rep->last_id = id;
    if (claims_meet(&c, &k, id, rep->events, hash, rep)) goto out;
  }
  if (step < 0) {
    report(rep, AUDIT_ERROR, 0, e.message_en);
    goto out;
  }
  if (k < c.n) {
    const Claim *m = &c.a[c.n - 1]; /* the newest event a checkpoint names */
    snprintf(why, sizeof why, "%s记录到事件 %lld（共 %lld 个事件），而链上最新的是事件 %lld（共 %lld 个）/ "
             "%s records event %lld (%lld events) but the newest event in the chain is %lld "
             "(%lld events)",
             m->zh, (long long)m->event_id, (long long)m->events, (long long)rep->last_id,
             (long long)rep->events, m->en, (long long)m->event_id, (long long)m->events,
             (long long)rep->last_id, (long long)rep->events);
    report(rep, AUDIT_TRUNCATED, m->event_id, why);
    goto out;
  }
  rc = 0;
out:
  stmt_done(st);
  free(c.a);
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
