/* test_domain.c — accounts, audit chain, registry and the working-day
** calendar in the database, on a real SQLite store in a temp folder. */
#include "unit.h"
#include "base/codes.h"
#include "base/crypto.h"
#include "domain/accounts.h"
#include "domain/audit.h"
#include "domain/docs.h"
#include "domain/registry.h"
#include "domain/workcal.h"
#include "store/store.h"

#include <sqlite3.h>
#include <stdio.h>
#include <unistd.h>

typedef struct Fix {
  char dir[64];
  char path[128];
  Store *s;
} Fix;

static int setup(void **state) {
  Fix *f = xcalloc(1, sizeof *f);
  Err e = {0};
  snprintf(f->dir, sizeof f->dir, "/tmp/xq-domain-XXXXXX");
  if (!mkdtemp(f->dir)) return -1;
  snprintf(f->path, sizeof f->path, "sqlite:%s/t.db", f->dir);
  f->s = store_open(f->path, &e);
  if (!f->s || store_migrate(f->s, &e)) return -1;
  *state = f;
  return 0;
}

static int teardown(void **state) {
  Fix *f = *state;
  char cmd[128];
  store_close(f->s);
  snprintf(cmd, sizeof cmd, "rm -rf %s", f->dir);
  if (system(cmd) != 0) return -1;
  free(f);
  return 0;
}

static int64_t count(Store *s, const char *sql) {
  Err e = {0};
  Stmt *st = db_prepare(store_reader(s), sql, &e);
  assert_non_null(st);
  assert_int_equal(stmt_step(st, &e), 1);
  int64_t n = stmt_int(st, 0);
  stmt_done(st);
  return n;
}

static void company(Entity *en, uint64_t serial) {
  memset(en, 0, sizeof *en);
  codes_uscc_make(en->uscc, '9', '1', "210213", serial);
  snprintf(en->name, sizeof en->name, "大连测试%llu科技有限公司", (unsigned long long)serial);
  snprintf(en->kind, sizeof en->kind, "company");
  snprintf(en->industry, sizeof en->industry, "I");
  snprintf(en->established, sizeof en->established, "2020-05-06");
  en->capital_fen = 100000000;
}

static void registry_validates(void **state) {
  (void)state;
  Entity en;
  Err e = {0};
  company(&en, 7);
  assert_int_equal(registry_entity_check(&en, &e), 0);
  assert_string_equal(en.status, "active");

  company(&en, 7);
  en.uscc[17] = en.uscc[17] == '0' ? '1' : '0';
  assert_int_equal(registry_entity_check(&en, &e), -1);
  assert_string_equal(e.code, "entity.bad_uscc");
  assert_string_equal(e.field, "uscc");

  company(&en, 7);
  snprintf(en.kind, sizeof en.kind, "individual"); /* 91… is not a 个体工商户 code */
  assert_int_equal(registry_entity_check(&en, &e), -1);
  assert_string_equal(e.code, "entity.kind_mismatch");

  company(&en, 7);
  snprintf(en.established, sizeof en.established, "2999-01-01");
  assert_int_equal(registry_entity_check(&en, &e), -1);
  assert_string_equal(e.code, "entity.bad_date");

  company(&en, 7);
  snprintf(en.established, sizeof en.established, "2023-02-29");
  assert_int_equal(registry_entity_check(&en, &e), -1);

  company(&en, 7);
  snprintf(en.industry, sizeof en.industry, "Z");
  assert_int_equal(registry_entity_check(&en, &e), -1);
  assert_string_equal(e.field, "industry");

  company(&en, 7);
  snprintf(en.name, sizeof en.name, "甲");
  assert_int_equal(registry_entity_check(&en, &e), -1);
  assert_string_equal(e.code, "entity.bad_name");
}

static void registry_create_get_update_audited(void **state) {
  Fix *f = *state;
  Entity en, got, patch = {0};
  Err e = {0};
  User admin = {.id = 1, .username = "admin", .role = ROLE_ADMIN};
  company(&en, 42);
  assert_int_equal(registry_entity_create(f->s, &admin, &en, &e), 0);
  assert_int_equal(registry_entity_create(f->s, &admin, &en, &e), -1);
  assert_string_equal(e.code, "entity.exists");
  int64_t events = count(f->s, "SELECT COUNT(*) FROM audit_event");

  /* Lower-case input is accepted as the same code. */
  char lower[19];
  for (int i = 0; i < 19; i++) lower[i] = (char)(en.uscc[i] >= 'A' && en.uscc[i] <= 'Z' ? en.uscc[i] + 32 : en.uscc[i]);
  assert_int_equal(registry_entity_get(f->s, lower, &got, &e), 0);
  assert_string_equal(got.name, en.name);

  snprintf(patch.name, sizeof patch.name, "大连新名字科技有限公司");
  patch.capital_fen = 5;
  assert_int_equal(registry_entity_update(f->s, &admin, en.uscc, &patch, EF_NAME | EF_CAPITAL, &got, &e), 0);
  assert_string_equal(got.name, "大连新名字科技有限公司");
  assert_int_equal(got.capital_fen, 5);
  assert_int_equal(count(f->s, "SELECT COUNT(*) FROM audit_event"), events + 1);

  /* A change that fails its checks writes nothing. */
  snprintf(patch.kind, sizeof patch.kind, "cooperative");
  assert_int_equal(registry_entity_update(f->s, &admin, en.uscc, &patch, EF_KIND, &got, &e), -1);
  assert_string_equal(e.code, "entity.kind_mismatch");
  assert_int_equal(count(f->s, "SELECT COUNT(*) FROM audit_event"), events + 1);

  /* Generated codes for new registrations. */
  Entity gen;
  company(&gen, 1);
  gen.uscc[0] = 0;
  assert_int_equal(registry_entity_create(f->s, &admin, &gen, &e), 0);
  char reason[200];
  assert_int_equal(codes_uscc_check(gen.uscc, reason, sizeof reason), 0);

  json_t *res = registry_entity_search(f->s, "新名字", NULL, NULL, NULL, 1, 10, &e);
  assert_non_null(res);
  assert_int_equal(json_integer_value(json_object_get(res, "total")), 1);
  json_decref(res);
  res = registry_entity_search(f->s, "新名", NULL, NULL, NULL, 1, 10, &e); /* under 3 characters */
  assert_int_equal(json_integer_value(json_object_get(res, "total")), 1);
  json_decref(res);

  AuditReport rep;
  assert_int_equal(audit_verify(f->s, NULL, NULL, &rep), 0);
  assert_int_equal(rep.events, count(f->s, "SELECT COUNT(*) FROM audit_event"));
}

/* raw() runs sql on the database file behind the store, as an intruder
** with file access would. */
static void raw(Fix *f, const char *sql) {
  sqlite3 *db;
  assert_int_equal(sqlite3_open(f->path + 7, &db), SQLITE_OK);
  assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
  sqlite3_close(db);
}

static void audit_detects_tampering(void **state) {
  Fix *f = *state;
  Err e = {0};
  User u = {.id = 1, .username = "admin", .role = ROLE_ADMIN};
  for (int i = 0; i < 5; i++) {
    Entity en;
    company(&en, 1000 + (uint64_t)i);
    assert_int_equal(registry_entity_create(f->s, &u, &en, &e), 0);
  }
  AuditReport rep;
  assert_int_equal(audit_verify(f->s, NULL, NULL, &rep), 0);
  int64_t victim = count(f->s, "SELECT MIN(id) + 2 FROM audit_event");
  char sql[128];
  snprintf(sql, sizeof sql, "UPDATE audit_event SET actor = 'mallory' WHERE id = %lld", (long long)victim);
  raw(f, sql);
  assert_int_equal(audit_verify(f->s, NULL, NULL, &rep), -1);
  assert_int_equal(rep.verdict, AUDIT_BROKEN);
  assert_int_equal(rep.bad_id, victim);
  snprintf(sql, sizeof sql, "UPDATE audit_event SET actor = 'admin' WHERE id = %lld", (long long)victim);
  raw(f, sql);
  assert_int_equal(audit_verify(f->s, NULL, NULL, &rep), 0);
  /* Deleting an event in the middle breaks the chain at the next one. */
  snprintf(sql, sizeof sql, "DELETE FROM audit_event WHERE id = %lld", (long long)victim);
  raw(f, sql);
  assert_int_equal(audit_verify(f->s, NULL, NULL, &rep), -1);
  assert_int_equal(rep.bad_id, victim + 1);
}

/* The chain's head, signed: deleting the newest events, all of them, or
** them and the checkpoints (the head file remembers) is found, and so is a
** checkpoint whose signature does not hold. */
static void audit_checkpoints_anchor_the_head(void **state) {
  Fix *f = *state;
  Err e = {0};
  User u = {.id = 1, .username = "admin", .role = ROLE_ADMIN};
  AuditHead h, h2;
  AuditReport rep;
  bool made;
  char head[160], sql[160];
  snprintf(head, sizeof head, "%s/audit.head", f->dir);
  assert_int_equal(docs_init(f->s, &e), 0);
  for (int i = 0; i < 5; i++) {
    Entity en;
    company(&en, 2000 + (uint64_t)i);
    assert_int_equal(registry_entity_create(f->s, &u, &en, &e), 0);
  }
  assert_int_equal(audit_checkpoint(f->s, head, &h, &made, &e), 0);
  assert_true(made);
  assert_int_equal(h.event_id, count(f->s, "SELECT MAX(id) FROM audit_event"));
  assert_int_equal(h.events, count(f->s, "SELECT COUNT(*) FROM audit_event"));
  assert_int_equal(audit_checkpoint(f->s, head, &h2, &made, &e), 0);
  assert_false(made); /* nothing new: the same checkpoint */
  assert_string_equal(h2.line, h.line);
  assert_int_equal(count(f->s, "SELECT COUNT(*) FROM audit_checkpoint"), 1);
  assert_int_equal(audit_verify(f->s, head, h.line, &rep), 0);
  assert_int_equal(rep.checkpoints, 3);
  assert_int_equal(rep.newest_checkpoint, h.event_id);
  /* The newest two events deleted. */
  raw(f, "CREATE TABLE keep AS SELECT * FROM audit_event");
  snprintf(sql, sizeof sql, "DELETE FROM audit_event WHERE id > %lld", (long long)h.event_id - 2);
  raw(f, sql);
  assert_int_equal(audit_verify(f->s, NULL, NULL, &rep), -1);
  assert_int_equal(rep.verdict, AUDIT_TRUNCATED);
  assert_int_equal(rep.bad_id, h.event_id);
  /* New events after the deletion link up to what is left (ids are never
  ** reused), yet the checkpoint's event is still missing. */
  Entity later;
  company(&later, 3000);
  assert_int_equal(registry_entity_create(f->s, &u, &later, &e), 0);
  assert_int_equal(audit_verify(f->s, NULL, NULL, &rep), -1);
  assert_int_equal(rep.verdict, AUDIT_TRUNCATED);
  assert_int_equal(rep.bad_id, h.event_id);
  assert_non_null(strstr(rep.why, "is no longer in the chain"));
  snprintf(sql, sizeof sql, "DELETE FROM audit_event WHERE id > %lld", (long long)h.event_id);
  raw(f, sql);
  /* Every event, and the checkpoints too: the head file still knows. */
  raw(f, "DELETE FROM audit_event; DELETE FROM audit_checkpoint");
  assert_int_equal(audit_verify(f->s, NULL, NULL, &rep), 0); /* nothing left to compare with */
  assert_int_equal(rep.checkpoints, 0);
  assert_int_equal(audit_verify(f->s, head, NULL, &rep), -1);
  assert_int_equal(rep.verdict, AUDIT_TRUNCATED);
  assert_non_null(strstr(rep.why, "head file line 1"));
  assert_int_equal(audit_verify(f->s, NULL, h.line, &rep), -1);
  assert_int_equal(rep.verdict, AUDIT_TRUNCATED);
  raw(f, "INSERT INTO audit_event SELECT * FROM keep");
  assert_int_equal(audit_verify(f->s, head, h.line, &rep), 0);
  /* A forged checkpoint: one hex digit of the signature changed. */
  char forged[AUDIT_HEAD_LINE];
  snprintf(forged, sizeof forged, "%s", h.line);
  char *last = forged + strlen(forged) - 1;
  *last = *last == '0' ? '1' : '0';
  assert_int_equal(audit_verify(f->s, head, forged, &rep), -1);
  assert_int_equal(rep.verdict, AUDIT_FORGED);
  assert_non_null(strstr(rep.why, "the --head line"));
  assert_int_equal(audit_verify(f->s, head, "xinqu-audit-head v1 event=1", &rep), -1);
  assert_int_equal(rep.verdict, AUDIT_FORGED);
  /* A missing head file, when one is named, is an error. */
  snprintf(sql, sizeof sql, "%s/none.head", f->dir);
  assert_int_equal(audit_verify(f->s, sql, NULL, &rep), -1);
  assert_int_equal(rep.verdict, AUDIT_ERROR);
}

static int cmp_ll(const void *a, const void *b) {
  long long x = *(const long long *)a, y = *(const long long *)b;
  return (x > y) - (x < y);
}

static void reject_collect(int64_t line, const char *uscc, const char *reason, void *arg) {
  (void)uscc, (void)reason;
  Buf *b = arg;
  buf_appendf(b, "%lld;", (long long)line);
}

static void import_reports_bad_rows(void **state) {
  Fix *f = *state;
  Err e = {0};
  Entity a, b;
  company(&a, 501);
  company(&b, 502);
  Buf csv = {0}, rej = {0};
  buf_puts(&csv, REGISTRY_CSV_HEADER "\n");
  buf_appendf(&csv, "%s,好公司,company,王一,100,C,地址,拥政街道,2020-01-01,active\n", a.uscc);
  buf_appendf(&csv, "%s,重复公司,company,王一,100,C,地址,拥政街道,2020-01-01,active\n", a.uscc); /* line 3: dup */
  buf_puts(&csv, "91210213XXXXXXXXXX,坏代码,company,王一,100,C,地址,街道,2020-01-01,active\n");    /* line 4 */
  buf_puts(&csv, "too,few,columns\n");                                                                 /* line 5 */
  buf_appendf(&csv, "%s,\"带,逗号\n和换行的公司\",company,王二,abc,C,地址,街道,2020-01-01,active\n", b.uscc); /* line 6-7: bad capital */
  buf_appendf(&csv, "%s,第二家公司,company,王二,0,,,,,\n", b.uscc);                                   /* line 8: ok */
  FILE *fp = fmemopen(csv.a, csv.n, "r");
  ImportReport rep;
  assert_int_equal(registry_import_csv(f->s, NULL, fp, &rep, reject_collect, NULL, &rej, &e), 0);
  fclose(fp);
  assert_int_equal(rep.rows, 6);
  assert_int_equal(rep.imported, 2);
  assert_int_equal(rep.rejected, 4);
  assert_string_equal(buf_cstr(&rej), "4;5;6;3;");
  buf_free(&csv);
  buf_free(&rej);

  FILE *bad = fmemopen("uscc,name\n", 10, "r");
  assert_int_equal(registry_import_csv(f->s, NULL, bad, &rep, NULL, NULL, NULL, &e), -1);
  assert_string_equal(e.code, "import.bad_header");
  fclose(bad);
}

/* An import larger than several batches: the writer commits one batch
** while the next is parsed, and every duplicate and bad row is still
** reported once, with its line, and every good row is in. */
static void import_many_batches(void **state) {
  Fix *f = *state;
  Err e = {0};
  enum { N = 12345 };
  Buf csv = {0}, rej = {0}, want = {0};
  Entity en;
  int64_t before = count(f->s, "SELECT COUNT(*) FROM entity");
  buf_puts(&csv, REGISTRY_CSV_HEADER "\n");
  int good = 0, bad = 0;
  for (int i = 0; i < N; i++) {
    int64_t line = i + 2;
    if (i % 1000 == 999) { /* a repeat of a row of an earlier batch */
      company(&en, 10000 + (uint64_t)(i > 6001 ? i - 6001 : 0));
      buf_appendf(&want, "%lld;", (long long)line);
      bad++;
    } else if (i % 2500 == 7) { /* a row that does not check */
      buf_puts(&csv, "91210213XXXXXXXXXX,坏代码,company,王一,1,C,地址,街道,2020-01-01,active\n");
      buf_appendf(&want, "%lld;", (long long)line);
      bad++;
      continue;
    } else {
      company(&en, 10000 + (uint64_t)i);
      good++;
    }
    buf_appendf(&csv, "%s,%s,company,王一,1,C,地址,街道,2020-01-01,active\n", en.uscc, en.name);
  }
  FILE *fp = fmemopen(csv.a, csv.n, "r");
  ImportReport rep;
  assert_int_equal(registry_import_csv(f->s, NULL, fp, &rep, reject_collect, NULL, &rej, &e), 0);
  fclose(fp);
  assert_int_equal(rep.rows, N);
  assert_int_equal(rep.imported, good);
  assert_int_equal(rep.rejected, bad);
  assert_int_equal(count(f->s, "SELECT COUNT(*) FROM entity"), before + good);
  /* Rejects may come out of line order (a batch's duplicates are known when
  ** it commits): compare them as sets. */
  long long got[N], exp[N];
  int nGot = 0, nExp = 0;
  for (char *p = rej.a; p && *p; p = strchr(p, ';') + 1) got[nGot++] = atoll(p);
  for (char *p = want.a; p && *p; p = strchr(p, ';') + 1) exp[nExp++] = atoll(p);
  assert_int_equal(nGot, nExp);
  qsort(got, (size_t)nGot, sizeof got[0], cmp_ll);
  for (int i = 0; i < nGot; i++) assert_int_equal(got[i], exp[i]);
  buf_free(&csv);
  buf_free(&rej);
  buf_free(&want);
}

static int exec_job(Db *db, void *arg, Err *e) { return db_exec(db, arg, e); }

static void accounts_login_and_throttle(void **state) {
  Fix *f = *state;
  Err e = {0};
  NewUser nu = {.username = "clerk1", .role = "clerk"};
  int64_t id;
  const char *good = "Tide-Lantern-84";
  assert_int_equal(accounts_create(f->s, NULL, &nu, "short", PASSWORD_OWN, &id, &e), -1);
  assert_string_equal(e.code, "password.weak");
  /* An official's password: 12 characters, three kinds, not common, not the name. */
  const char *weak[] = {"correct horse", "12345678", "weak2weak", "P@ssw0rd2026!", "Qwerty123456!",
                        "Clerk1-Harbour-9", "abcdefghijkl"};
  for (size_t i = 0; i < sizeof weak / sizeof weak[0]; i++) {
    assert_int_equal(accounts_create(f->s, NULL, &nu, weak[i], PASSWORD_OWN, &id, &e), -1);
    assert_string_equal(e.code, "password.weak");
  }
  assert_int_equal(accounts_password_check(ROLE_APPLICANT, "app1", "lantern-84", "password", &e), 0);
  assert_int_equal(accounts_password_check(ROLE_APPLICANT, "app1", "Password1", "password", &e), -1);
  assert_int_equal(accounts_create(f->s, NULL, &nu, good, PASSWORD_OWN, &id, &e), 0);
  assert_int_equal(accounts_create(f->s, NULL, &nu, good, PASSWORD_OWN, &id, &e), -1);
  assert_string_equal(e.code, "user.exists");
  NewUser bad = {.username = "x1", .role = "emperor"};
  assert_int_equal(accounts_create(f->s, NULL, &bad, good, PASSWORD_OWN, &id, &e), -1);
  assert_string_equal(e.code, "user.bad_role");
  NewUser app = {.username = "app1", .role = "applicant", .party = "not-a-code"};
  assert_int_equal(accounts_create(f->s, NULL, &app, good, PASSWORD_OWN, &id, &e), -1);
  assert_string_equal(e.code, "user.bad_party");

  User u;
  char token[65], csrf[65], csrf2[65];
  bool api;
  assert_int_equal(accounts_login(f->s, "clerk1", good, "127.0.0.1", &u, token, csrf, &e), 0);
  assert_int_equal(u.role, ROLE_CLERK);
  assert_false(u.must_change);
  User v;
  assert_int_equal(accounts_session(f->s, token, &v, csrf2, &api, NULL), 0);
  assert_string_equal(csrf, csrf2);
  assert_false(api);
  /* Only the hash of the token is stored. */
  char sql[160];
  snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM session WHERE token_hash = '%s'", token);
  assert_int_equal(count(f->s, sql), 0);

  /* Past the free failures the next attempt waits: a delay, not a lock. */
  for (int i = 0; i < ACCOUNTS_FREE_FAIL_USER; i++) {
    assert_int_equal(accounts_login(f->s, "clerk1", "wrong", "10.0.0.1", &u, token, csrf, &e), -1);
    assert_string_equal(e.code, "auth.bad_credentials");
  }
  assert_int_equal(accounts_login(f->s, "clerk1", good, "10.0.0.2", &u, token, csrf, &e), -1);
  assert_string_equal(e.code, "auth.throttled");
  assert_true(e.retry_after > 0 && e.retry_after <= ACCOUNTS_DELAY_FIRST_MS / 1000);
  /* The delay doubles with each failure past the free ones, up to the cap:
  ** age the newest failure past the first delay and fail once more. */
  assert_int_equal(count(f->s, "SELECT COUNT(*) FROM login_failure WHERE key = 'u:clerk1'"), ACCOUNTS_FREE_FAIL_USER);
  char age[200];
  snprintf(age, sizeof age, "UPDATE login_failure SET at = at - %d WHERE key = 'u:clerk1'", ACCOUNTS_DELAY_FIRST_MS + 1);
  assert_int_equal(store_write(f->s, exec_job, age, &e), 0);
  assert_int_equal(accounts_login(f->s, "clerk1", "wrong", "10.0.0.3", &u, token, csrf, &e), -1);
  assert_string_equal(e.code, "auth.bad_credentials");
  assert_int_equal(accounts_login(f->s, "clerk1", good, "10.0.0.2", &u, token, csrf, &e), -1);
  assert_string_equal(e.code, "auth.throttled");
  assert_true(e.retry_after > ACCOUNTS_DELAY_FIRST_MS / 1000 && e.retry_after <= 2 * ACCOUNTS_DELAY_FIRST_MS / 1000);
  /* After the delay the right password logs in and the failures go. */
  snprintf(age, sizeof age, "UPDATE login_failure SET at = at - %d WHERE key = 'u:clerk1'", 2 * ACCOUNTS_DELAY_FIRST_MS + 1);
  assert_int_equal(store_write(f->s, exec_job, age, &e), 0);
  assert_int_equal(accounts_login(f->s, "clerk1", good, "10.0.0.2", &u, token, csrf, &e), 0);
  assert_int_equal(count(f->s, "SELECT COUNT(*) FROM login_failure WHERE key = 'u:clerk1'"), 0);

  assert_int_equal(accounts_logout(f->s, &v, token, &e), 0);
}

static void calendar_in_database(void **state) {
  Fix *f = *state;
  Err e = {0};
  assert_int_equal(workcal_seed(f->s, &e), 0);
  int64_t days = count(f->s, "SELECT COUNT(*) FROM calendar_day");
  assert_true(days > 100);
  assert_int_equal(workcal_seed(f->s, &e), 0); /* nothing new the second time */
  assert_int_equal(count(f->s, "SELECT COUNT(*) FROM calendar_day"), days);
  const char *next = "date,kind,name\n2031-01-01,off,元旦\n";
  int years;
  assert_int_equal(workcal_import(f->s, NULL, next, strlen(next), "test", &years, &e), 0);
  assert_int_equal(years, 1);
  Cal *c = workcal_load(f->s, &e);
  int d;
  cal_parse_date("2031-01-01", &d);
  assert_false(cal_is_workday(c, d));
  assert_true(cal_year_known(c, 2031));
  cal_parse_date("2024-09-29", &d);
  assert_true(cal_is_workday(c, d)); /* a working Sunday from the seeded notice */
  cal_free(c);
  /* A database that lacks a year the program knows (as after an upgrade
  ** that adds next year's notice) gets just that year. */
  raw(f, "DELETE FROM calendar_day WHERE day LIKE '2026-%'; DELETE FROM calendar_year WHERE year = 2026");
  int64_t without = count(f->s, "SELECT COUNT(*) FROM calendar_day");
  assert_int_equal(workcal_seed(f->s, &e), 0);
  assert_true(count(f->s, "SELECT COUNT(*) FROM calendar_day WHERE day LIKE '2026-%'") > 10);
  assert_int_equal(count(f->s, "SELECT COUNT(*) FROM calendar_day"),
                   without + count(f->s, "SELECT COUNT(*) FROM calendar_day WHERE day LIKE '2026-%'"));
  const char *bad = "date,kind,name\n2031-02-30,off,x\n";
  assert_int_equal(workcal_import(f->s, NULL, bad, strlen(bad), "test", &years, &e), -1);
  assert_string_equal(e.code, "calendar.bad_csv");
}

int main(void) {
  crypto_init();
  log_quiet(true);
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(registry_validates),
      cmocka_unit_test_setup_teardown(registry_create_get_update_audited, setup, teardown),
      cmocka_unit_test_setup_teardown(audit_detects_tampering, setup, teardown),
      cmocka_unit_test_setup_teardown(audit_checkpoints_anchor_the_head, setup, teardown),
      cmocka_unit_test_setup_teardown(import_reports_bad_rows, setup, teardown),
      cmocka_unit_test_setup_teardown(import_many_batches, setup, teardown),
      cmocka_unit_test_setup_teardown(accounts_login_and_throttle, setup, teardown),
      cmocka_unit_test_setup_teardown(calendar_in_database, setup, teardown),
  };
  return cmocka_run_group_tests_name("domain", tests, NULL, NULL);
}
