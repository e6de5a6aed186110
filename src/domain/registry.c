/*
** registry.c — the market-entity registry and persons (see registry.h).
** All SQL on entity and person lives here.
*/
#include "registry.h"
#include "audit.h"
#include "../base/buf.h"
#include "../base/codes.h"
#include "../base/csv.h"
#include "../base/cal.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const struct {
  const char *kind;
  char category; /* USCC position 2 under department 9 */
  const char *label;
} kinds[] = {
    {"company", '1', "公司"},           {"partnership", '1', "合伙企业"},
    {"sole", '1', "个人独资企业"},      {"branch", '1', "分支机构"},
    {"individual", '2', "个体工商户"},  {"cooperative", '3', "农民专业合作社"},
};

static const char *statuses[] = {"active", "revoked", "cancelled"};

const char *registry_kind_label(const char *kind) {
  for (size_t i = 0; i < XQ_COUNT(kinds); i++)
    if (strcmp(kinds[i].kind, kind) == 0) return kinds[i].label;
  return "";
}

static char kind_category(const char *kind) {
  for (size_t i = 0; i < XQ_COUNT(kinds); i++)
    if (strcmp(kinds[i].kind, kind) == 0) return kinds[i].category;
  return 0;
}

static const char *status_label(const char *st) {
  if (strcmp(st, "active") == 0) return "存续";
  if (strcmp(st, "revoked") == 0) return "吊销";
  if (strcmp(st, "cancelled") == 0) return "注销";
  return "";
}

/* uscc_check() upper-cases and checks a code, with the reason in *e. */
static int uscc_check(char *uscc, Err *e) {
  char reason[200];
  for (char *p = uscc; *p; p++) *p = (char)toupper((unsigned char)*p);
  if (codes_uscc_check(uscc, reason, sizeof reason) != 0)
    return err_set_reason(e, E_INVALID, "entity.bad_uscc", "uscc", "统一社会信用代码无效：%s",
                          "Invalid unified social credit code: %s", reason);
  return 0;
}

int registry_entity_check(Entity *en, Err *e) {
  char today[11];
  int day, today_day;
  if (uscc_check(en->uscc, e)) return -1;
  char cat = kind_category(en->kind);
  if (!cat)
    return err_setf(e, E_INVALID, "entity.bad_kind", "kind",
                    "主体类型无效：%s（可选 company partnership sole branch individual cooperative）",
                    "Invalid kind: %s (one of company partnership sole branch individual cooperative)",
                    en->kind);
  if (en->uscc[0] != '9')
    return err_set(e, E_INVALID, "entity.bad_uscc", "uscc",
                   "该代码不是市场监督管理部门登记的市场主体代码（应以 9 开头）",
                   "The code is not one of a market entity registered by market regulation (must start with 9)");
  if (en->uscc[1] != cat)
    return err_setf(e, E_INVALID, "entity.kind_mismatch", "kind",
                    "统一社会信用代码的类别与主体类型“%s”不符",
                    "The code's registration category does not match the kind %s",
                    registry_kind_label(en->kind));
  size_t n = utf8_len(en->name);
  if (n < 2 || n > 100)
    return err_set(e, E_INVALID, "entity.bad_name", "name", "名称应为 2–100 个字符",
                   "The name must be 2–100 characters");
  static const struct { const char *field; size_t max; } limits[] = {
      {"legal_rep", 30}, {"address", 80}, {"district", 20}};
  const char *values[] = {en->legal_rep, en->address, en->district};
  for (size_t i = 0; i < XQ_COUNT(limits); i++)
    if (utf8_len(values[i]) > limits[i].max) {
      char max[8];
      snprintf(max, sizeof max, "%zu", limits[i].max);
      return err_setf(e, E_INVALID, "entity.too_long", limits[i].field, "最多 %s 个字符",
                      "At most %s characters", max);
    }
  if (en->industry[0] && (en->industry[0] < 'A' || en->industry[0] > 'T' || en->industry[1]))
    return err_set(e, E_INVALID, "entity.bad_industry", "industry",
                   "行业门类应为 GB/T 4754 的门类字母 A–T", "Industry must be a GB/T 4754 section letter A–T");
  if (en->capital_fen < 0)
    return err_set(e, E_INVALID, "entity.bad_capital", "capital_fen", "注册资本不能为负数",
                   "Registered capital cannot be negative");
  if (en->established[0]) {
    if (cal_parse_date(en->established, &day) != 0)
      return err_setf(e, E_INVALID, "entity.bad_date", "established", "成立日期无效：%s",
                      "Invalid date of establishment: %s", en->established);
    cal_parse_date(time_today_cn(today), &today_day);
    if (day > today_day)
      return err_set(e, E_INVALID, "entity.bad_date", "established", "成立日期不能晚于今天",
                     "The date of establishment cannot be in the future");
  }
  if (!en->status[0]) snprintf(en->status, sizeof en->status, "active");
  bool ok = false;
  for (size_t i = 0; i < XQ_COUNT(statuses); i++) ok |= strcmp(statuses[i], en->status) == 0;
  if (!ok)
    return err_setf(e, E_INVALID, "entity.bad_status", "status",
                    "状态无效：%s（可选 active revoked cancelled）",
                    "Invalid status: %s (one of active revoked cancelled)", en->status);
  return 0;
}

json_t *registry_entity_json(const Entity *en) {
  return json_pack("{s:s, s:s, s:s, s:s, s:s, s:I, s:s, s:s, s:s, s:s, s:s, s:s}", "uscc", en->uscc,
                   "name", en->name, "kind", en->kind, "kind_label", registry_kind_label(en->kind),
                   "legal_rep", en->legal_rep, "capital_fen", (json_int_t)en->capital_fen,
                   "industry", en->industry, "address", en->address, "district", en->district,
                   "established", en->established, "status", en->status, "status_label",
                   status_label(en->status));
}

#define ENTITY_COLS "uscc, name, kind, legal_rep, capital_fen, industry, address, district, established, status"

static void read_entity(Stmt *st, Entity *en) {
  memset(en, 0, sizeof *en);
  snprintf(en->uscc, sizeof en->uscc, "%s", stmt_text(st, 0));
  snprintf(en->name, sizeof en->name, "%s", stmt_text(st, 1));
  snprintf(en->kind, sizeof en->kind, "%s", stmt_text(st, 2));
  snprintf(en->legal_rep, sizeof en->legal_rep, "%s", stmt_text(st, 3));
  en->capital_fen = stmt_int(st, 4);
  snprintf(en->industry, sizeof en->industry, "%s", stmt_text(st, 5));
  snprintf(en->address, sizeof en->address, "%s", stmt_text(st, 6));
  snprintf(en->district, sizeof en->district, "%s", stmt_text(st, 7));
  snprintf(en->established, sizeof en->established, "%s", stmt_text(st, 8));
  snprintf(en->status, sizeof en->status, "%s", stmt_text(st, 9));
}

/* Rows per INSERT statement. A statement that fires the FTS trigger opens a
** statement transaction, at which SQLite's FTS5 flushes its pending index,
** so many rows per statement make an import several times faster than one
** row per statement (measured: 26k → 100k rows/s in the sqlite3 shell). */
#define ROWS_PER_INSERT 500

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* insert_entities() writes rows[0..n) (n ≤ ROWS_PER_INSERT) in one
** statement; a row whose USCC is already registered (or repeats an earlier
** row's) is skipped and marked dup[i] = 1. Returns the rows inserted, or -1. */
static int insert_entities(Db *db, const Entity *rows, int n, int64_t now, unsigned char *dup,
                           Err *e) {
  Buf sql = {0};
  char *got[ROWS_PER_INSERT];
  bool used[ROWS_PER_INSERT] = {0};
  int nGot = 0, rc = -1, step;
  buf_puts(&sql, "INSERT INTO entity(" ENTITY_COLS ", created_at, updated_at) VALUES ");
  for (int i = 0; i < n; i++) buf_puts(&sql, i ? ",(?,?,?,?,?,?,?,?,?,?,?,?)" : "(?,?,?,?,?,?,?,?,?,?,?,?)");
  buf_puts(&sql, " ON CONFLICT (uscc) DO NOTHING RETURNING uscc");
  Stmt *st = db_prepare(db, sql.a, e);
  buf_free(&sql);
  if (!st) return -1;
  for (int i = 0, p = 1; i < n; i++) {
    const Entity *en = &rows[i];
    const char *text[] = {en->uscc, en->name, en->kind, en->legal_rep};
    for (int k = 0; k < 4; k++) stmt_bind_text(st, p++, text[k]);
    stmt_bind_int(st, p++, en->capital_fen);
    const char *more[] = {en->industry, en->address, en->district, en->established, en->status};
    for (int k = 0; k < 5; k++) stmt_bind_text(st, p++, more[k]);
    stmt_bind_int(st, p++, now);
    stmt_bind_int(st, p++, now);
  }
  while ((step = stmt_step(st, e)) == 1) got[nGot++] = xstrdup(stmt_text(st, 0));
  stmt_done(st);
  if (step < 0) goto out;
  /* The rows RETURNING names were inserted; the first row of a repeated
  ** USCC is the one that went in. */
  qsort(got, (size_t)nGot, sizeof got[0], cmp_str);
  for (int i = 0; i < n; i++) {
    const char *key = rows[i].uscc;
    char **hit = bsearch(&key, got, (size_t)nGot, sizeof got[0], cmp_str);
    while (hit && hit > got && strcmp(hit[-1], key) == 0) hit--;
    dup[i] = 1;
    for (; hit && hit < got + nGot && strcmp(*hit, key) == 0; hit++)
      if (!used[hit - got]) {
        used[hit - got] = true;
        dup[i] = 0;
        break;
      }
  }
  rc = nGot;
out:
  for (int i = 0; i < nGot; i++) free(got[i]);
  return rc;
}

typedef struct CreateJob {
  const User *actor;
  Entity *en;
  bool generate;
} CreateJob;

/* next_serial() is the serial of the next code this process generates:
** the microsecond clock, moved on by one when two codes come in the same
** microsecond. Codes made one after another therefore sort one after
** another ("MA" and six characters wrap about every quarter of an hour),
** and a clash with an existing code is rare and retried. Write jobs run
** on the one writer thread, which alone calls it. */
static uint64_t next_serial(void) {
  static uint64_t last;
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  uint64_t us = (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
  last = us > last ? us : last + 1;
  return last % 887503681u; /* 31^6: the "MA" codes */
}

static int create_job(Db *db, void *arg, Err *e) {
  CreateJob *j = arg;
  int64_t now = now_ms();
  for (int attempt = 0;; attempt++) {
    unsigned char dup;
    if (j->generate)
      codes_uscc_make_ordered(j->en->uscc, '9', kind_category(j->en->kind), "210213", next_serial());
    if (insert_entities(db, j->en, 1, now, &dup, e) < 0) return -1;
    if (!dup) break;
    if (!j->generate || attempt == 8)
      return err_setf(e, E_CONFLICT, "entity.exists", "uscc", "该统一社会信用代码已登记：%s",
                      "An entity with this code already exists: %s", j->en->uscc);
  }
  char obj[32];
  snprintf(obj, sizeof obj, "entity:%s", j->en->uscc);
  json_t *d = registry_entity_json(j->en);
  int rc = audit_append(db, j->actor, "entity.create", obj, d, e);
  json_decref(d);
  return rc;
}

/* prepare_create() checks en for registry_entity_create(); an empty USCC is
** checked with a stand-in code of the right category and generated later. */
static int prepare_create(Entity *en, bool *generate, Err *e) {
  *generate = en->uscc[0] == 0;
  if (*generate) {
    char cat = kind_category(en->kind);
    codes_uscc_make(en->uscc, '9', cat ? cat : '1', "210213", 1);
  }
  return registry_entity_check(en, e);
}

int registry_entity_fields(Entity *en, JField *f, bool *present, bool create) {
  int n = 0;
  if (create) f[n++] = (JField){"uscc", J_STR, false, en->uscc, sizeof en->uscc, 0, 18, NULL};
  f[n++] = (JField){"name", J_STR, create, en->name, sizeof en->name, 2, 100, &present[0]};
  f[n++] = (JField){"kind", J_STR, create, en->kind, sizeof en->kind, 1, 15, &present[1]};
  f[n++] = (JField){"legal_rep", J_STR, false, en->legal_rep, sizeof en->legal_rep, 0, 30, &present[2]};
  f[n++] = (JField){"capital_fen", J_INT, false, &en->capital_fen, 0, 0, INT64_MAX / 2, &present[3]};
  f[n++] = (JField){"industry", J_STR, false, en->industry, sizeof en->industry, 0, 1, &present[4]};
  f[n++] = (JField){"address", J_STR, false, en->address, sizeof en->address, 0, 80, &present[5]};
  f[n++] = (JField){"district", J_STR, false, en->district, sizeof en->district, 0, 20, &present[6]};
  f[n++] = (JField){"established", J_STR, false, en->established, sizeof en->established, 0, 10, &present[7]};
  f[n++] = (JField){"status", J_STR, false, en->status, sizeof en->status, 1, 15, &present[8]};
  return n;
}

int registry_entity_check_new(const Entity *en, Err *e) {
  Entity tmp = *en;
  bool generate;
  return prepare_create(&tmp, &generate, e);
}

int registry_entity_create(Store *s, const User *actor, Entity *en, Err *e) {
  CreateJob j = {actor, en, false};
  if (prepare_create(en, &j.generate, e)) return -1;
  return store_write(s, create_job, &j, e);
}

int registry_entity_create_on(Db *db, const User *actor, Entity *en, Err *e) {
  CreateJob j = {actor, en, false};
  if (prepare_create(en, &j.generate, e)) return -1;
  return create_job(db, &j, e);
}

static int get_on(Db *db, const char *uscc, Entity *en, Err *e) {
  Stmt *st = db_prepare(db, "SELECT " ENTITY_COLS " FROM entity WHERE uscc = ?", e);
  if (!st) return -1;
  stmt_bind_text(st, 1, uscc);
  int rc = stmt_step(st, e);
  if (rc == 1) read_entity(st, en);
  stmt_done(st);
  if (rc < 0) return -1;
  if (rc == 0)
    return err_setf(e, E_NOTFOUND, "entity.not_found", "uscc", "没有找到该市场主体：%s",
                    "No market entity with code %s", uscc);
  return 0;
}

/* normalise() upper-cases uscc into code and checks it. */
static int normalise(const char *uscc, char code[19], Err *e) {
  char tmp[64];
  snprintf(tmp, sizeof tmp, "%.63s", uscc);
  if (uscc_check(tmp, e)) return -1;
  memcpy(code, tmp, 19);
  return 0;
}

int registry_entity_get(Store *s, const char *uscc, Entity *en, Err *e) {
  return registry_entity_get_on(store_reader(s), uscc, en, e);
}

int registry_entity_get_on(Db *db, const char *uscc, Entity *en, Err *e) {
  char code[19];
  if (normalise(uscc, code, e)) return -1;
  return get_on(db, code, en, e);
}

int registry_person_get_on(Db *db, const char *number, Person *p, Err *e) {
  Stmt *st = db_prepare(db, "SELECT id_kind, id_number, name, nationality FROM person"
                            " WHERE id_number = ? ORDER BY id LIMIT 1", e);
  if (!st) return -1;
  stmt_bind_text(st, 1, number);
  int rc = stmt_step(st, e);
  if (rc == 1) {
    memset(p, 0, sizeof *p);
    snprintf(p->id_kind, sizeof p->id_kind, "%s", stmt_text(st, 0));
    snprintf(p->id_number, sizeof p->id_number, "%s", stmt_text(st, 1));
    snprintf(p->name, sizeof p->name, "%s", stmt_text(st, 2));
    snprintf(p->nationality, sizeof p->nationality, "%s", stmt_text(st, 3));
  }
  stmt_done(st);
  if (rc < 0) return -1;
  if (rc == 0)
    return err_setf(e, E_NOTFOUND, "person.not_found", "party", "没有找到该自然人：%s",
                    "No person with number %s", number);
  return 0;
}

typedef struct UpdateJob {
  const User *actor;
  const char *uscc;
  const Entity *patch;
  unsigned mask;
  const char *case_no;  /* the case that changed it ("" none) */
  Entity *out;
} UpdateJob;

static int update_job(Db *db, void *arg, Err *e) {
  UpdateJob *j = arg;
  Entity old, *en = j->out;
  json_t *changes = NULL;
  int rc = -1;
  if (get_on(db, j->uscc, &old, e)) return -1;
  *en = old;
#define EACH_TEXT(X)                                                                        \
  X(EF_NAME, name) X(EF_KIND, kind) X(EF_LEGAL_REP, legal_rep) X(EF_INDUSTRY, industry)     \
  X(EF_ADDRESS, address) X(EF_DISTRICT, district) X(EF_ESTABLISHED, established)            \
  X(EF_STATUS, status)
#define APPLY(bit, field)                                                                   \
  if (j->mask & (bit)) memcpy(en->field, j->patch->field, sizeof en->field);
  EACH_TEXT(APPLY)
  if (j->mask & EF_CAPITAL) en->capital_fen = j->patch->capital_fen;
  /* The audit records the values as stored, after the checks normalise them. */
  if (registry_entity_check(en, e)) return -1;
  changes = json_object();
#define DIFF(bit, field)                                                                    \
  if (strcmp(old.field, en->field) != 0)                                                    \
    json_object_set_new(changes, #field, json_pack("[s,s]", old.field, en->field));
  EACH_TEXT(DIFF)
#undef DIFF
#undef APPLY
#undef EACH_TEXT
  if (old.capital_fen != en->capital_fen)
    json_object_set_new(changes, "capital_fen",
                        json_pack("[I,I]", (json_int_t)old.capital_fen, (json_int_t)en->capital_fen));
  if (json_object_size(changes) == 0) { rc = 0; goto out; } /* nothing changed: no write */
  if (db_run(db, e,
             "UPDATE entity SET name=?, kind=?, legal_rep=?, capital_fen=?, industry=?, address=?,"
             " district=?, established=?, status=?, updated_at=? WHERE uscc=?",
             "tttitttttit", en->name, en->kind, en->legal_rep, en->capital_fen, en->industry,
             en->address, en->district, en->established, en->status, now_ms(), en->uscc) < 0)
    goto out;
  /* The registry keeps its history (变更记录): each change, when and why. */
  char *text = json_dumps(changes, JSON_COMPACT | JSON_SORT_KEYS);
  int64_t n = db_run(db, e, "INSERT INTO entity_change(uscc, at, actor, case_no, changes) VALUES (?,?,?,?,?)",
                     "tittt", en->uscc, now_ms(), j->actor ? j->actor->username : "system",
                     j->case_no ? j->case_no : "", text);
  free(text);
  if (n < 0) goto out;
  char obj[32];
  snprintf(obj, sizeof obj, "entity:%s", en->uscc);
  json_t *d = json_pack("{s:O}", "changes", changes);
  if (j->case_no && j->case_no[0]) json_object_set_new(d, "case", json_string(j->case_no));
  rc = audit_append(db, j->actor, "entity.update", obj, d, e);
  json_decref(d);
out:
  json_decref(changes);
  return rc;
}

int registry_entity_update(Store *s, const User *actor, const char *uscc, const Entity *patch,
                           unsigned mask, Entity *out, Err *e) {
  char code[19];
  if (normalise(uscc, code, e)) return -1;
  UpdateJob j = {actor, code, patch, mask, "", out};
  return store_write(s, update_job, &j, e);
}

int registry_entity_update_on(Db *db, const User *actor, const char *uscc, const Entity *patch, unsigned mask,
                              const char *case_no, Entity *out, Err *e) {
  char code[19];
  if (normalise(uscc, code, e)) return -1;
  UpdateJob j = {actor, code, patch, mask, case_no, out};
  return update_job(db, &j, e);
}

json_t *registry_entity_history(Store *s, const char *uscc, Err *e) {
  Stmt *st = db_prepare(store_reader(s), "SELECT at, actor, case_no, changes FROM entity_change WHERE uscc = ?"
                                         " ORDER BY id DESC LIMIT 100", e);
  if (!st) return NULL;
  stmt_bind_text(st, 1, uscc);
  json_t *a = json_array();
  int rc;
  while ((rc = stmt_step(st, e)) == 1) {
    json_t *ch = json_loads(stmt_text(st, 3), 0, NULL);
    json_array_append_new(a, json_pack("{s:o,s:s,s:s,s:o}", "at", jsonx_time(stmt_int(st, 0)), "actor",
                                       stmt_text(st, 1), "case", stmt_text(st, 2), "changes",
                                       ch ? ch : json_object()));
  }
  stmt_done(st);
  if (rc < 0) {
    json_decref(a);
    return NULL;
  }
  return a;
}

json_t *registry_entity_search(Store *s, const char *q, const char *kind, const char *from, const char *to, int page,
                               int per_page, Err *e) {
  Db *db = store_reader(s);
  Buf where = {0}, sql = {0};
  char *param = NULL;
  json_t *items = NULL, *res = NULL;
  int64_t total = 0;
  Stmt *st;
  int np = 0, rc;
  buf_puts(&where, " WHERE 1=1");
  if (q && *q) {
    buf_puts(&where, " AND ");
    db_contains(db, &where, "entity", "name", q, &param);
  }
  if (kind && *kind) buf_puts(&where, " AND kind = ?");
  /* Established on or after from, on or before to (the indicator feed's records). */
  if (from && *from) buf_puts(&where, " AND established >= ?");
  if (to && *to) buf_puts(&where, " AND established <= ? AND established <> ''");

  buf_appendf(&sql, "SELECT COUNT(*) FROM entity%s", where.a);
  st = db_prepare(db, sql.a, e);
  if (!st) goto out;
  if (param) stmt_bind_text(st, ++np, param);
  if (kind && *kind) stmt_bind_text(st, ++np, kind);
  if (from && *from) stmt_bind_text(st, ++np, from);
  if (to && *to) stmt_bind_text(st, ++np, to);
  rc = stmt_step(st, e);
  if (rc == 1) total = stmt_int(st, 0);
  stmt_done(st);
  if (rc < 0) goto out;

  buf_reset(&sql);
  buf_appendf(&sql, "SELECT " ENTITY_COLS " FROM entity%s ORDER BY uscc LIMIT ? OFFSET ?", where.a);
  st = db_prepare(db, sql.a, e);
  if (!st) goto out;
  np = 0;
  if (param) stmt_bind_text(st, ++np, param);
  if (kind && *kind) stmt_bind_text(st, ++np, kind);
  if (from && *from) stmt_bind_text(st, ++np, from);
  if (to && *to) stmt_bind_text(st, ++np, to);
  stmt_bind_int(st, ++np, per_page);
  stmt_bind_int(st, ++np, (int64_t)(page - 1) * per_page);
  items = json_array();
  while ((rc = stmt_step(st, e)) == 1) {
    Entity en;
    read_entity(st, &en);
    json_array_append_new(items, registry_entity_json(&en));
  }
  stmt_done(st);
  if (rc < 0) goto out;
  res = json_pack("{s:O, s:I, s:i, s:i}", "items", items, "total", (json_int_t)total, "page", page,
                  "per_page", per_page);
out:
  json_decref(items);
  free(param);
  buf_free(&where);
  buf_free(&sql);
  return res;
}

int registry_entity_count(Store *s, int64_t *n, Err *e) {
  Stmt *st = db_prepare(store_reader(s), "SELECT COUNT(*) FROM entity", e);
  if (!st) return -1;
  int rc = stmt_step(st, e);
  if (rc == 1) *n = stmt_int(st, 0);
  stmt_done(st);
  return rc == 1 ? 0 : -1;
}

/* Persons ------------------------------------------------------------------- */

typedef struct PersonJob {
  const User *actor;
  const Person *p;
} PersonJob;

static int person_job(Db *db, void *arg, Err *e) {
  PersonJob *j = arg;
  if (db_run(db, e,
             "INSERT INTO person(id_kind, id_number, name, nationality, created_at) VALUES (?,?,?,?,?)",
             "tttti", j->p->id_kind, j->p->id_number, j->p->name, j->p->nationality, now_ms()) < 0) {
    if (strcmp(e->code, "db.unique") == 0)
      err_set(e, E_CONFLICT, "person.exists", "id_number", "该证件号码已登记",
              "A person with this document number already exists");
    return -1;
  }
  char obj[64];
  snprintf(obj, sizeof obj, "person:%s", j->p->id_number);
  return audit_append(db, j->actor, "person.create", obj, NULL, e);
}

static int person_check(Person *p, Err *e) {
  char reason[200], norm[19];
  if (strcmp(p->id_kind, "id") == 0) {
    if (codes_id_check(p->id_number, norm, reason, sizeof reason) != 0)
      return err_set_reason(e, E_INVALID, "person.bad_id", "id_number", "身份证号码无效：%s",
                            "Invalid ID number: %s", reason);
    snprintf(p->id_number, sizeof p->id_number, "%s", norm);
    snprintf(p->nationality, sizeof p->nationality, "CHN");
  } else if (strcmp(p->id_kind, "passport") == 0) {
    if (codes_passport_check(p->id_number, p->nationality, reason, sizeof reason) != 0)
      return err_set_reason(e, E_INVALID, "person.bad_passport", "id_number", "护照信息无效：%s",
                            "Invalid passport: %s", reason);
  } else {
    return err_set(e, E_INVALID, "person.bad_kind", "id_kind", "证件类型应为 id 或 passport",
                   "The document kind must be id or passport");
  }
  size_t n = utf8_len(p->name);
  if (n < 1 || n > 60)
    return err_set(e, E_INVALID, "person.bad_name", "name", "姓名应为 1–60 个字符",
                   "The name must be 1–60 characters");
  return 0;
}

int registry_person_add(Store *s, const User *actor, Person *p, Err *e) {
  PersonJob j = {actor, p};
  if (person_check(p, e)) return -1;
  return store_write(s, person_job, &j, e);
}

typedef struct PersonsJob {
  const User *actor;
  const Person *a;
  int n;
  int64_t added;
} PersonsJob;

static int persons_job(Db *db, void *arg, Err *e) {
  PersonsJob *j = arg;
  j->added = 0;
  for (int i = 0; i < j->n; i++) {
    int64_t n = db_run(db, e,
                       "INSERT INTO person(id_kind, id_number, name, nationality, created_at)"
                       " VALUES (?,?,?,?,?) ON CONFLICT (id_kind, id_number, nationality) DO NOTHING",
                       "tttti", j->a[i].id_kind, j->a[i].id_number, j->a[i].name,
                       j->a[i].nationality, now_ms());
    if (n < 0) return -1;
    j->added += n;
  }
  json_t *d = json_pack("{s:I}", "rows", (json_int_t)j->added);
  int rc = audit_append(db, j->actor, "person.import", "person:*", d, e);
  json_decref(d);
  return rc;
}

int registry_persons_import(Store *s, const User *actor, Person *a, int n, int64_t *added, Err *e) {
  for (int i = 0; i < n; i++)
    if (person_check(&a[i], e)) return -1;
  PersonsJob j = {actor, a, n, 0};
  if (store_write(s, persons_job, &j, e)) return -1;
  if (added) *added = j.added;
  return 0;
}

/* CSV import and export ----------------------------------------------------- */

#define BATCH 5000

typedef struct ImportJob {
  const User *actor;
  Entity *rows;
  int64_t *lines;
  int n;
  int64_t now;
  /* Out: which rows were already present (0/1 per row). */
  unsigned char *dup;
  int64_t imported;
} ImportJob;

static int import_job(Db *db, void *arg, Err *e) {
  ImportJob *j = arg;
  j->imported = 0;
  for (int i = 0; i < j->n; i += ROWS_PER_INSERT) {
    int n = j->n - i < ROWS_PER_INSERT ? j->n - i : ROWS_PER_INSERT;
    int rc = insert_entities(db, &j->rows[i], n, j->now, &j->dup[i], e);
    if (rc < 0) return -1;
    j->imported += rc;
  }
  json_t *d = json_pack("{s:I, s:I, s:I}", "first_line", (json_int_t)j->lines[0], "last_line",
                        (json_int_t)j->lines[j->n - 1], "rows", (json_int_t)j->imported);
  int rc = audit_append(db, j->actor, "entity.import", "entity:*", d, e);
  json_decref(d);
  return rc;
}

typedef void (*OnReject)(int64_t, const char *, const char *, void *);

/* An import keeps two batches: while the writer commits one, the reader
** parses and checks the rows of the other. */
typedef struct Importer {
  Store *s;
  ImportJob j[2];
  int cur;          /* the batch being filled */
  StoreTicket *t;   /* the other batch, when it is with the writer */
  ImportReport *rep;
  OnReject on_reject;
  void *arg;
} Importer;

/* settle() waits for the batch with the writer, if any, and reports its
** rows that were already registered. */
static int settle(Importer *im, Err *e) {
  ImportJob *j = &im->j[!im->cur];
  if (!im->t) return 0;
  int rc = store_write_finish(im->s, im->t, e);
  im->t = NULL;
  if (rc) return -1;
  im->rep->imported += j->imported;
  for (int i = 0; i < j->n; i++)
    if (j->dup[i]) {
      im->rep->rejected++;
      if (im->on_reject)
        im->on_reject(j->lines[i], j->rows[i].uscc, "该统一社会信用代码已登记 / already registered", im->arg);
    }
  j->n = 0;
  return 0;
}

/* flush() hands the batch being filled to the writer once the one before
** it has settled; the next rows go into the other batch. */
static int flush(Importer *im, Err *e) {
  ImportJob *j = &im->j[im->cur];
  if (settle(im, e)) return -1;
  if (j->n == 0) return 0;
  j->now = now_ms();
  if (!(im->t = store_write_start(im->s, import_job, j, e))) return -1;
  im->cur = !im->cur;
  return 0;
}

static void copy_field(char *dst, size_t cap, const char *src, bool *too_long) {
  size_t n = strlen(src);
  if (n >= cap) {
    *too_long = true;
    n = cap - 1;
  }
  memcpy(dst, src, n);
  dst[n] = 0;
}

int registry_import_csv(Store *s, const User *actor, FILE *f, ImportReport *rep,
                        void (*on_reject)(int64_t, const char *, const char *, void *),
                        void (*on_progress)(const ImportReport *, void *), void *arg, Err *e) {
  CsvReader r;
  int rc = -1;
  Importer im = {.s = s, .rep = rep, .on_reject = on_reject, .arg = arg};
  for (int k = 0; k < 2; k++)
    im.j[k] = (ImportJob){actor, xcalloc(BATCH, sizeof(Entity)), xcalloc(BATCH, sizeof(int64_t)), 0, 0,
                          xcalloc(BATCH, 1), 0};
  memset(rep, 0, sizeof *rep);
  csv_init(&r, f);
  int got = csv_next(&r);
  Buf hdr = {0};
  for (int i = 0; got == 1 && i < r.nField; i++) {
    if (i) buf_putc(&hdr, ',');
    buf_puts(&hdr, csv_field(&r, i));
  }
  if (got != 1 || strcmp(buf_cstr(&hdr), REGISTRY_CSV_HEADER) != 0) {
    err_setf(e, E_INVALID, "import.bad_header", NULL, "第 1 行表头应为：%s",
             "Line 1 must be the header: %s", REGISTRY_CSV_HEADER);
    buf_free(&hdr);
    goto out;
  }
  buf_free(&hdr);
  while ((got = csv_next(&r)) == 1) {
    ImportJob *j = &im.j[im.cur];
    Entity *en = &j->rows[j->n];
    Err fe = {0};
    bool too_long = false;
    char reason[1024];
    rep->rows++;
    rep->bytes = r.bytes;
    memset(en, 0, sizeof *en);
    if (r.nField != 10 || r.bad_quote) {
      snprintf(reason, sizeof reason, "%s",
               r.bad_quote ? "引号使用不当 / misplaced quote"
                           : "应有 10 列 / must have 10 columns");
      goto reject;
    }
    for (int i = 0; i < 10; i++) {
      const char *v = csv_field(&r, i);
      if (!utf8_valid(v, strlen(v))) {
        snprintf(reason, sizeof reason, "第 %d 列不是有效的 UTF-8 / column %d is not valid UTF-8", i + 1, i + 1);
        goto reject;
      }
    }
    copy_field(en->uscc, sizeof en->uscc, csv_field(&r, 0), &too_long);
    copy_field(en->name, sizeof en->name, csv_field(&r, 1), &too_long);
    copy_field(en->kind, sizeof en->kind, csv_field(&r, 2), &too_long);
    copy_field(en->legal_rep, sizeof en->legal_rep, csv_field(&r, 3), &too_long);
    copy_field(en->industry, sizeof en->industry, csv_field(&r, 5), &too_long);
    copy_field(en->address, sizeof en->address, csv_field(&r, 6), &too_long);
    copy_field(en->district, sizeof en->district, csv_field(&r, 7), &too_long);
    copy_field(en->established, sizeof en->established, csv_field(&r, 8), &too_long);
    copy_field(en->status, sizeof en->status, csv_field(&r, 9), &too_long);
    const char *cap = csv_field(&r, 4);
    char *end;
    en->capital_fen = strtoll(cap, &end, 10);
    if (too_long) {
      snprintf(reason, sizeof reason, "%s", "字段过长 / a field is too long");
      goto reject;
    }
    if (!*cap || *end) {
      snprintf(reason, sizeof reason, "注册资本应为整数（分） / capital_fen must be an integer: %.40s", cap);
      goto reject;
    }
    if (registry_entity_check(en, &fe) != 0) {
      snprintf(reason, sizeof reason, "%s：%s / %s: %s", fe.field, fe.message, fe.field, fe.message_en);
      goto reject;
    }
    j->lines[j->n++] = r.line;
    if (j->n == BATCH) {
      if (flush(&im, e)) goto out;
      if (on_progress) on_progress(rep, arg);
    }
    continue;
  reject:
    rep->rejected++;
    if (on_reject) on_reject(r.line, csv_field(&r, 0), reason, arg);
  }
  if (got < 0) {
    err_set(e, E_INTERNAL, "import.read", NULL, "读取文件失败", "Could not read the file");
    goto out;
  }
  if (flush(&im, e) || settle(&im, e)) goto out;
  rep->bytes = r.bytes;
  if (on_progress) on_progress(rep, arg);
  rc = 0;
out:
  if (im.t) store_write_finish(s, im.t, NULL); /* its rows are committed or not; none are lost */
  csv_free(&r);
  for (int k = 0; k < 2; k++) {
    free(im.j[k].rows);
    free(im.j[k].lines);
    free(im.j[k].dup);
  }
  return rc;
}

int registry_export_csv(Store *s, FILE *f, Err *e) {
  Db *db = store_reader(s);
  Buf b = {0};
  Stmt *st = db_prepare(db, "SELECT " ENTITY_COLS " FROM entity ORDER BY uscc", e);
  if (!st) return -1;
  fputs(REGISTRY_CSV_HEADER "\n", f);
  int rc;
  while ((rc = stmt_step(st, e)) == 1) {
    buf_reset(&b);
    for (int i = 0; i < 10; i++) {
      if (i) buf_putc(&b, ',');
      csv_put(&b, stmt_text(st, i) ? stmt_text(st, i) : "");
    }
    buf_putc(&b, '\n');
    fwrite(b.a, 1, b.n, f);
  }
  stmt_done(st);
  buf_free(&b);
  if (rc < 0) return -1;
  if (fflush(f) != 0 || ferror(f))
    return err_set(e, E_INTERNAL, "export.write", NULL, "写出文件失败（磁盘已满或无权写入？）",
                   "Could not write the file (disk full or no permission?)");
  return 0;
}

int registry_party_load(Db *db, const char *code, Party *p, Err *e) {
  char today_s[11];
  memset(p, 0, sizeof *p);
  if (strlen(code) == 18 && codes_uscc_check(code, NULL, 0) == 0) {
    Entity en;
    if (registry_entity_get_on(db, code, &en, e)) {
      if (strcmp(e->code, "entity.not_found") == 0)
        err_setf(e, E_NOTFOUND, "party.unknown", "party", "申请人未在登记库中：%s", "The applicant %s is not in the registry",
                 code);
      return -1;
    }
    snprintf(p->code, sizeof p->code, "%s", en.uscc);
    snprintf(p->type, sizeof p->type, "entity");
    snprintf(p->name, sizeof p->name, "%s", en.name);
    p->facts = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:I,s:s,s:s}", "type", "entity", "code", en.uscc,
                         "name", en.name, "kind", en.kind, "status", en.status, "established",
                         en.established, "capital_fen", (json_int_t)en.capital_fen, "industry",
                         en.industry, "district", en.district);
    return 0;
  }
  Person ps;
  if (registry_person_get_on(db, code, &ps, e)) {
    if (strcmp(e->code, "person.not_found") == 0)
      err_setf(e, E_NOTFOUND, "party.unknown", "party",
               "申请人未在登记库中：%s（市场主体用统一社会信用代码，个人用身份证号）",
               "The applicant %s is not in the registry", code);
    return -1;
  }
  snprintf(p->code, sizeof p->code, "%s", ps.id_number);
  snprintf(p->type, sizeof p->type, "person");
  snprintf(p->name, sizeof p->name, "%s", ps.name);
  p->facts = json_pack("{s:s,s:s,s:s,s:s}", "type", "person", "code", ps.id_number, "name", ps.name,
                       "nationality", ps.nationality);
  char birth[11];
  if (strcmp(ps.id_kind, "id") == 0 && codes_id_birth(ps.id_number, birth)) {
    time_today_cn(today_s);
    int age = atoi(today_s) - atoi(birth);
    if (strcmp(today_s + 5, birth + 5) < 0) age--;
    json_object_set_new(p->facts, "age", json_integer(age));
  }
  return 0;
}

/* ---- Agencies (代办): an applicant account acting for a party ------------------- */

bool registry_grant_live(Db *db, int64_t account_id, const char *party) {
  Err e = {0};
  Stmt *st = db_prepare(db, "SELECT 1 FROM agent_grant WHERE agent_id = ? AND party = ? AND revoked_at = 0", &e);
  if (!st) return false;
  stmt_bind_int(st, 1, account_id);
  stmt_bind_text(st, 2, party);
  bool ok = stmt_step(st, &e) == 1;
  stmt_done(st);
  return ok;
}

bool registry_acts_for(Db *db, const User *u, const char *party) {
  return (u->party[0] && strcmp(u->party, party) == 0) || registry_grant_live(db, u->id, party);
}

typedef struct AgentJob {
  const User *actor;
  const char *agent;        /* grant: the agent's username … */
  const char *agent_party;  /* … and its party (both must match one account) */
  int64_t id;
  bool revoke, created;
} AgentJob;

/* live_grant() is the id of the live grant of party to agent_id (0: none). */
static int64_t live_grant(Db *db, const char *party, int64_t agent_id, Err *e) {
  Stmt *st = db_prepare(db, "SELECT id FROM agent_grant WHERE party = ? AND agent_id = ? AND revoked_at = 0", e);
  if (!st) return -1;
  stmt_bind_text(st, 1, party);
  stmt_bind_int(st, 2, agent_id);
  int rc = stmt_step(st, e);
  int64_t id = rc == 1 ? stmt_int(st, 0) : rc;
  stmt_done(st);
  return id;
}

static int agent_job(Db *db, void *arg, Err *e) {
  AgentJob *j = arg;
  char obj[64];
  if (j->revoke) {
    int64_t n = db_run(db, e, "UPDATE agent_grant SET revoked_at = ? WHERE id = ? AND party = ? AND revoked_at = 0",
                       "iit", now_ms(), j->id, j->actor->party);
    if (n < 0) return -1;
    if (n == 0) return err_set(e, E_NOTFOUND, "agent.not_found", NULL, "没有找到该授权", "No such agency");
  } else {
    if (strcmp(j->agent, j->actor->username) == 0)
      return err_set(e, E_INVALID, "agent.self", "agent", "不能授权自己", "You cannot authorise yourself");
    /* The username alone finds nothing: whoever grants names the agent's
    ** party too, so the answer reveals no account to a guesser. */
    char party[40];
    snprintf(party, sizeof party, "%s", j->agent_party);
    for (char *p = party; *p; p++)
      if (*p >= 'a' && *p <= 'z') *p = (char)(*p - 'a' + 'A');
    int64_t agent_id = 0;
    int found = accounts_applicant_id(db, j->agent, party, &agent_id, e);
    if (found < 0) return -1;
    if (!found)
      return err_set(e, E_INVALID, "agent.unknown", "agent",
                     "没有用户名与证件号码相符的申请人账号，请核对后重试",
                     "No applicant account has this username and this ID number or USCC");
    if (agent_id == j->actor->id)
      return err_set(e, E_INVALID, "agent.self", "agent", "不能授权自己", "You cannot authorise yourself");
    /* One live grant per agent and party: granting again changes nothing. */
    if ((j->id = live_grant(db, j->actor->party, agent_id, e)) < 0) return -1;
    if (j->id) return 0;
    Stmt *st = db_prepare(db, "INSERT INTO agent_grant(party, agent_id, granted_by, created_at, revoked_at)"
                        " VALUES (?,?,?,?,0) RETURNING id", e);
    if (!st) return -1;
    stmt_bind_text(st, 1, j->actor->party);
    stmt_bind_int(st, 2, agent_id);
    stmt_bind_int(st, 3, j->actor->id);
    stmt_bind_int(st, 4, now_ms());
    if (stmt_step(st, e) == 1) j->id = stmt_int(st, 0);
    stmt_done(st);
    if (!j->id) return -1;
    j->created = true;
  }
  snprintf(obj, sizeof obj, "agent:%lld", (long long)j->id);
  json_t *d = json_pack("{s:s,s:s}", "party", j->actor->party, "agent", j->agent ? j->agent : "");
  int rc = audit_append(db, j->actor, j->revoke ? "agent.revoke" : "agent.grant", obj, d, e);
  json_decref(d);
  return rc;
}

json_t *registry_agent_grant(Store *s, const User *actor, const char *agent, const char *agent_party,
                             bool *created, Err *e) {
  if (!actor->party[0]) {
    err_set(e, E_FORBIDDEN, "agent.no_party", NULL, "只有申请人本人可以授权代办", "Only an applicant can authorise an agent");
    return NULL;
  }
  AgentJob j = {.actor = actor, .agent = agent, .agent_party = agent_party};
  if (store_write(s, agent_job, &j, e)) return NULL;
  *created = j.created;
  return json_pack("{s:I,s:s,s:s}", "id", (json_int_t)j.id, "party", actor->party, "agent", agent);
}

int registry_agent_revoke(Store *s, const User *actor, int64_t id, Err *e) {
  AgentJob j = {.actor = actor, .id = id, .revoke = true};
  return store_write(s, agent_job, &j, e);
}

json_t *registry_agent_list(Store *s, const User *actor, Err *e) {
  Stmt *st = db_prepare(store_reader(s),
                        "SELECT g.id, g.party, a.username AS agent, g.created_at FROM agent_grant g"
                        " JOIN account a ON a.id = g.agent_id WHERE g.revoked_at = 0"
                        " AND (g.party = ? OR g.agent_id = ?) ORDER BY g.id",
                        e);
  if (!st) return NULL;
  stmt_bind_text(st, 1, actor->party);
  stmt_bind_int(st, 2, actor->id);
  json_t *a = json_array();
  int rc;
  while ((rc = stmt_step(st, e)) == 1)
    json_array_append_new(a, json_pack("{s:I,s:s,s:s,s:I}", "id", (json_int_t)stmt_int(st, 0), "party", stmt_text(st, 1),
                                       "agent", stmt_text(st, 2), "created_at", (json_int_t)stmt_int(st, 3)));
  stmt_done(st);
  if (rc < 0) {
    json_decref(a);
    return NULL;
  }
  return a;
}


json_t *registry_party_card(Db *db, const char *code, Err *e) {
  Party p;
  if (registry_party_load(db, code, &p, e)) return NULL;
  json_decref(p.facts);
  char number[sizeof p.code];
  snprintf(number, sizeof number, "%s", p.code);
  if (strcmp(p.type, "person") == 0) {
    size_t n = strlen(number), head = n == 18 ? 6 : 2, tail = n == 18 ? 4 : 2;
    for (size_t i = head; i + tail < n; i++) number[i] = '*';
  }
  return json_pack("{s:s,s:s,s:s}", "type", p.type, "name", p.name, "number", number);
}
