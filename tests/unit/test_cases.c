/* test_cases.c — the case engine's SLA clock against the calendar data
** (expected answers derived from data/calendar/cn.csv by an independent
** walk, not written by hand), and the deadline scan on a real SQLite store
** with the Jinpu pack: a 容缺 case whose supplement deadline passes ends and
** bars its party; a running clock past its deadline is flagged overdue. */
#include "unit.h"
#include "base/cal.h"
#include "base/crypto.h"
#include "domain/accounts.h"
#include "domain/cases.h"
#include "domain/docs.h"
#include "domain/pack.h"
#include "domain/workbook.h"
#include "domain/workcal.h"
#include "base/xlsx.h"
#include "store/store.h"

#include <stdio.h>
#include <unistd.h>

/* ---- An independent oracle over cn.csv ---------------------------------- */

static char csv_text[65536];

static void load_csv(void) {
  if (csv_text[0]) return;
  FILE *f = fopen("data/calendar/cn.csv", "r");
  assert_non_null(f);
  size_t n = fread(csv_text, 1, sizeof csv_text - 1, f);
  fclose(f);
  csv_text[n] = 0;
}

/* oracle_workday() decides a date from the CSV lines alone: a listed date
** is off or work as listed; any other date is a working day on Monday to
** Friday (Zeller's congruence for the weekday). */
static bool oracle_workday(int y, int m, int d) {
  char key[16];
  snprintf(key, sizeof key, "\n%04d-%02d-%02d,", y, m, d);
  const char *hit = strstr(csv_text, key);
  if (hit) return strncmp(hit + strlen(key), "work", 4) == 0;
  int yy = m < 3 ? y - 1 : y, mm = m < 3 ? m + 12 : m;
  int h = (d + 13 * (mm + 1) / 5 + yy + yy / 4 - yy / 100 + yy / 400) % 7; /* 0 = Saturday */
  return h >= 2;
}

static void next_date(int *y, int *m, int *d) {
  static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int dim = days[*m - 1] + (*m == 2 && ((*y % 4 == 0 && *y % 100 != 0) || *y % 400 == 0));
  if (++*d > dim) {
    *d = 1;
    if (++*m > 12) {
      *m = 1;
      ++*y;
    }
  }
}

static int64_t local_ms(const char *date, int hh, int mm) {
  int day;
  assert_int_equal(cal_parse_date(date, &day), 0);
  return cal_day_start_ms(day) + (int64_t)(hh * 60 + mm) * 60000;
}

/* 5 working days from Friday 2024-09-27: the working Sunday 09-29 counts,
** the National Day week 10-01..10-07 does not. */
static void test_deadline_workdays(void **state) {
  (void)state;
  load_csv();
  Cal *c = workcal_embedded();
  int y = 2024, m = 9, d = 27, n = 5;
  while (n > 0) {
    next_date(&y, &m, &d);
    if (oracle_workday(y, m, d)) n--;
  }
  char want[40];
  snprintf(want, sizeof want, "%04d-%02d-%02d", y, m, d);
  int64_t limit;
  int64_t dl = sla_deadline(c, local_ms("2024-09-27", 10, 0), 5, LIMIT_WORKDAYS, &limit);
  char got[11];
  cal_format(cal_day_of_ms(dl), got);
  assert_string_equal(got, want);
  assert_true(oracle_workday(2024, 9, 29));
  assert_false(oracle_workday(2024, 10, 7));
  /* The deadline is the end of that day's last session, 17:30. */
  assert_int_equal(dl, local_ms(want, 17, 30));
  /* The working time to it: the rest of Friday (10:00–12:00 and 13:30–17:30,
  ** 6 h) plus five full days of 7 h. */
  assert_int_equal(limit, 6 * 3600000LL + 5 * 7 * 3600000LL);
  assert_int_equal(sla_remaining(c, dl, dl), 0);
  assert_true(sla_remaining(c, dl + 24 * 3600000LL * 3, dl) < 0);
  cal_free(c);
}

/* 4 working hours from 16:00 on 2024-09-30: 1.5 h that day, then the
** holiday, then 2.5 h on the next working day from 09:00. */
static void test_deadline_workhours(void **state) {
  (void)state;
  load_csv();
  Cal *c = workcal_embedded();
  int y = 2024, m = 9, d = 30;
  do next_date(&y, &m, &d);
  while (!oracle_workday(y, m, d));
  char next[40];
  snprintf(next, sizeof next, "%04d-%02d-%02d", y, m, d);
  int64_t limit;
  int64_t dl = sla_deadline(c, local_ms("2024-09-30", 16, 0), 4, LIMIT_WORKHOURS, &limit);
  assert_int_equal(dl, local_ms(next, 11, 30));
  assert_int_equal(limit, 4 * 3600000LL);
  /* A limit of 0 ends where it starts. */
  assert_int_equal(sla_deadline(c, local_ms("2024-09-30", 16, 0), 0, LIMIT_WORKDAYS, NULL),
                   local_ms("2024-09-30", 16, 0));
  cal_free(c);
}

/* ---- The scan on a real store ----------------------------------------------- */

typedef struct Fix {
  char dir[64];
  Store *s;
  User ent, clerk;
} Fix;

static void login(Store *s, const char *name, User *u) {
  Err e = {0};
  char token[65], csrf[65];
  bool api;
  assert_int_equal(accounts_login(s, name, "Jinpu@2026", "127.0.0.1", u, token, csrf, &e), 0);
  assert_int_equal(accounts_session(s, token, u, csrf, &api, &e), 0);
}

static int setup(void **state) {
  Fix *f = xcalloc(1, sizeof *f);
  Err e = {0};
  char url[128];
  PackReport rep;
  crypto_init();
  snprintf(f->dir, sizeof f->dir, "/tmp/xq-cases-XXXXXX");
  if (!mkdtemp(f->dir)) return -1;
  snprintf(url, sizeof url, "sqlite:%s/t.db", f->dir);
  f->s = store_open(url, &e);
  if (!f->s || store_migrate(f->s, &e) || workcal_seed(f->s, &e) ||
      pack_load(f->s, "jinpu", 50, 20, 0, &rep, &e) || docs_init(f->s, &e)) {
    fprintf(stderr, "setup: %s %s\n", e.code, e.message_en);
    return -1;
  }
  login(f->s, "ent", &f->ent);
  login(f->s, "clerk", &f->clerk);
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

/* file() files JP-CN-001 for ent with every material except skip (NULL:
** none), submitted. Returns the new case number in no. */
static void file(Fix *f, const char *skip, bool promise_signed, char no[24]) {
  Err e = {0};
  Item it = {0};
  assert_int_equal(catalog_get(f->s, "JP-CN-001", NULL, &it, &e), 0);
  json_t *mats = json_object();
  for (int i = 0; i < it.nMaterial; i++) {
    const Material *m = &it.aMaterial[i];
    if ((skip && strcmp(m->key, skip) == 0) || strcmp(m->source, "registry.entity") == 0) continue;
    char body[128];
    int n = snprintf(body, sizeof body, "%%PDF-1.4\n%% %s %d %lld\n%%%%EOF\n", m->key, i, (long long)now_ms());
    BlobInfo b;
    assert_int_equal(docs_blob_put(f->s, &f->ent, body, (size_t)n, &b, &e), 0);
    json_object_set_new(mats, m->key, json_string(b.sha256));
  }
  json_t *in = json_pack("{s:s,s:o,s:b,s:b}", "item", "JP-CN-001", "materials", mats, "submit", 1,
                         "rongque_promise", promise_signed);
  json_t *c = cases_create(f->s, &f->ent, in, &e);
  if (!c) fprintf(stderr, "create: %s %s\n", e.code, e.message_en);
  assert_non_null(c);
  snprintf(no, 24, "%s", json_string_value(json_object_get(c, "no")));
  json_decref(c);
  json_decref(in);
  catalog_item_free(&it);
}

static const char *state_of(Fix *f, const char *no) {
  static char st[32];
  Err e = {0};
  json_t *c = cases_get(f->s, &f->clerk, no, &e);
  assert_non_null(c);
  snprintf(st, sizeof st, "%s", json_string_value(json_object_get(c, "state")));
  json_decref(c);
  return st;
}

static void test_scan(void **state) {
  Fix *f = *state;
  Err e = {0};
  Item it = {0};
  assert_int_equal(catalog_get(f->s, "JP-CN-001", NULL, &it, &e), 0);
  const char *optional = NULL;
  for (int i = 0; i < it.nMaterial; i++)
    if (!it.aMaterial[i].core && it.aMaterial[i].may_miss) optional = it.aMaterial[i].key;
  assert_non_null(optional);
  char rq[24], plain[24];
  file(f, optional, true, rq);
  file(f, NULL, false, plain);
  json_t *r = cases_act(f->s, &f->clerk, rq, "accept_rongque", NULL, &e);
  assert_non_null(r);
  json_decref(r);
  r = cases_act(f->s, &f->clerk, plain, "accept", NULL, &e);
  assert_non_null(r);
  json_decref(r);

  /* Today nothing lapsed or ran over. */
  ScanReport rep;
  assert_int_equal(cases_scan(f->s, now_ms(), &rep, &e), 0);
  assert_int_equal(rep.lapsed, 0);
  assert_int_equal(rep.overdue, 0);
  assert_string_equal(state_of(f, rq), "accepted_rongque");

  /* Sixty days on: the 容缺 case ended, the other one is overdue (and was
  ** warned), each once. */
  int64_t later = now_ms() + 60LL * CAL_MS_PER_DAY;
  assert_int_equal(cases_scan(f->s, later, &rep, &e), 0);
  assert_int_equal(rep.lapsed, 1);
  assert_int_equal(rep.overdue, 1);
  assert_int_equal(rep.warned, 1);
  assert_string_equal(state_of(f, rq), "terminated");
  assert_string_equal(state_of(f, plain), "accepted");
  assert_int_equal(cases_scan(f->s, later, &rep, &e), 0);
  assert_int_equal(rep.lapsed + rep.overdue + rep.warned, 0);

  /* The broken promise bars the party from 告知承诺 for now. */
  json_t *in = json_pack("{s:s,s:b,s:b}", "item", "JP-CN-001", "submit", 1, "commitment", 1);
  json_t *c = cases_create(f->s, &f->ent, in, &e);
  assert_null(c);
  assert_string_equal(e.code, "case.party_barred");
  json_decref(in);
  catalog_item_free(&it);
}

/* ---- Every state × move × role against the published machine ------------- */

typedef struct SetState {
  const char *no, *state;
} SetState;

static int set_state_job(Db *db, void *arg, Err *e) {
  SetState *j = arg;
  return db_run(db, e, "UPDATE case_file SET state = ?, resume_state = '' WHERE case_no = ?", "tt", j->state, j->no) < 0
             ? -1
             : 0;
}

static bool in_list(const json_t *a, const char *s) {
  size_t i;
  json_t *v;
  json_array_foreach(a, i, v) if (strcmp(json_string_value(v), s) == 0) return true;
  return false;
}

/* The engine takes or refuses every move in every state for every role as
** GET /api/v1/cases/machine says: a move the machine gives the role from
** that state is never refused for its state, its role or the case's
** visibility (it may still fail its own checks: a missing reason, a
** material still missing); any other is refused with case.bad_state (the
** role may take it, not from here), case.forbidden (the role may not), or
** case.not_found (the role does not see the department's cases at all). */
static void test_every_state_move_role(void **state) {
  Fix *f = *state;
  Err e = {0};
  static const char *const users[] = {"ent", "clerk", "approver", "policy", "invest", "leader", "auditor", "admin"};
  User u[XQ_COUNT(users)];
  for (size_t i = 0; i < XQ_COUNT(users); i++) login(f->s, users[i], &u[i]);
  char no[24];
  file(f, NULL, false, no);
  json_t *machine = cases_machine();
  json_t *states = json_object_get(machine, "states"), *moves = json_object_get(machine, "moves");
  size_t si, mi, tried = 0, allowed = 0;
  json_t *st, *mv;
  json_array_foreach(states, si, st) {
    const char *sname = json_string_value(json_object_get(st, "state"));
    json_array_foreach(moves, mi, mv) {
      const char *action = json_string_value(json_object_get(mv, "action"));
      for (size_t r = 0; r < XQ_COUNT(users); r++) {
        SetState ss = {no, sname};
        assert_int_equal(store_write(f->s, set_state_job, &ss, &e), 0);
        const char *role = accounts_role_name(u[r].role);
        bool role_ok = in_list(json_object_get(mv, "roles"), role);
        bool state_ok = in_list(json_object_get(mv, "from"), sname);
        err_clear(&e);
        json_t *args = json_pack("{s:s,s:[s]}", "reason", "测试", "deficiencies", "测试");
        json_t *out = cases_act(f->s, &u[r], no, action, args, &e);
        json_decref(args);
        char where[160];
        snprintf(where, sizeof where, "%s from %s by %s: %s", action, sname, role, out ? "taken" : e.code);
        if (role_ok && state_ok) {
          allowed++;
          if (!out && (strcmp(e.code, "case.bad_state") == 0 || strcmp(e.code, "case.forbidden") == 0 ||
                       strcmp(e.code, "case.not_found") == 0))
            fail_msg("refused what the machine allows: %s", where);
        } else if (out) {
          fail_msg("took what the machine refuses: %s", where);
        } else if (!role_ok) {
          if (strcmp(e.code, "case.forbidden") != 0 && strcmp(e.code, "case.not_found") != 0)
            fail_msg("a role the move does not have: %s", where);
        } else if (strcmp(e.code, "case.bad_state") != 0) {
          fail_msg("a state the move does not start from: %s", where);
        }
        json_decref(out);
        tried++;
      }
    }
  }
  assert_int_equal(tried, json_array_size(states) * json_array_size(moves) * XQ_COUNT(users));
  assert_true(allowed > 50);
  json_decref(machine);
}

/* The demo history (history.h) ending at instants of every kind — a
** Monday before opening, a Wednesday at noon, a Friday after closing, a
** Sunday, the first working day after a holiday — makes
** the engine refuse nothing, and leaves every queue with cases at its end. */
static void test_history_any_instant(void **state) {
  (void)state;
  static const int64_t ends[] = {
      1793579400000LL, /* 2026-11-02 08:30 Beijing, a Monday */
      1794370500000LL, /* 2026-11-11 12:15, a Wednesday */
      1794566700000LL, /* 2026-11-13 18:45, a Friday */
      1794722400000LL, /* 2026-11-15 14:00, a Sunday */
      1799024400000LL, /* 2027-01-04 09:00, a Monday after New Year's Day */
  };

  task_subject_add(&cases_task_subject);
  for (size_t k = 0; k < XQ_COUNT(ends); k++) {
    char dir[64], url[128];
    Err e = {0};
    PackReport rep;
    snprintf(dir, sizeof dir, "/tmp/xq-history-XXXXXX");
    assert_non_null(mkdtemp(dir));
    snprintf(url, sizeof url, "sqlite:%s/t.db", dir);
    Store *s = store_open(url, &e);
    assert_non_null(s);
    clock_pin(ends[k]); /* pack_load() ends the history now */
    int rc = store_migrate(s, &e) || workcal_seed(s, &e) || docs_init(s, &e) ||
             pack_load(s, "jinpu", 300, 40, 150, &rep, &e);
    if (rc) fail_msg("history ending at %lld: %s %s", (long long)ends[k], e.code, e.message_en);
    assert_int_equal(rep.history.cases, 150);
    User clerk = {0};
    assert_int_equal(accounts_user_get(store_reader(s), "clerk", &clerk, &e), 0);
    clock_pin(ends[k]); /* the queues as they stand at the end */
    json_t *q = cases_queues(s, &clerk, &e);
    clock_pin(0);
    assert_non_null(q);
    static const char *const names[] = {"to_accept", "to_review", "due_soon", "overdue", "rongque", "correction", "rectify"};
    for (size_t i = 0; i < XQ_COUNT(names); i++)
      if (json_integer_value(json_object_get(q, names[i])) <= 0)
        fail_msg("history ending at %lld: queue %s empty", (long long)ends[k], names[i]);
    json_decref(q);
    store_close(s);
    char cmd[96];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
  }
}

/* ---- Exports: whole or refused, never cut ------------------------------------- */

typedef struct Seen {
  int n;
  char first[24];
} Seen;

static int count_row(const CaseRow *row, void *arg, Err *e) {
  Seen *s = arg;
  (void)e;
  if (!s->n) snprintf(s->first, sizeof s->first, "%s", row->no);
  s->n++;
  assert_string_equal(row->channel, "online");
  assert_string_equal(row->state_label, "已提交待受理");
  assert_true(row->item_name[0] && row->dept_name[0]);
  return 0;
}

static void test_export_cap(void **state) {
  Fix *f = *state;
  Err e = {0};
  char no[3][24];
  for (int i = 0; i < 3; i++) file(f, NULL, false, no[i]);
  CaseQuery q = {.state = "submitted"};
  Seen seen = {0};
  int64_t total = -1;
  /* One more than the cap: refused before a row is written. */
  assert_int_equal(cases_each(f->s, &f->clerk, &q, 2, count_row, &seen, &total, &e), -1);
  assert_string_equal(e.code, "export.too_many");
  assert_int_equal(total, 3);
  assert_int_equal(seen.n, 0);
  /* At the cap: every row, newest first. */
  assert_int_equal(cases_each(f->s, &f->clerk, &q, 3, count_row, &seen, &total, &e), 0);
  assert_int_equal(seen.n, 3);
  assert_string_equal(seen.first, no[2]);
  /* The workbook reads back (with the project's own reader): titles, then the rows. */
  char path[96];
  snprintf(path, sizeof path, "%s/cases.xlsx", f->dir);
  int64_t rows = 0;
  assert_int_equal(workbook_cases(f->s, &f->clerk, &q, path, &rows, &e), 0);
  assert_int_equal(rows, 3);
  FILE *fp = fopen(path, "rb");
  assert_non_null(fp);
  char *data = xcalloc(1, 1 << 20);
  size_t n = fread(data, 1, 1 << 20, fp);
  fclose(fp);
  XlsxLimits lim = {1 << 20, 1 << 22, 100, 30, 1000, 1000};
  Xlsx *x = xlsx_open(data, n, "办件清单", &lim, &e);
  assert_non_null(x);
  assert_int_equal(xlsx_next(x, &e), 1);
  assert_string_equal(xlsx_cell(x, 0), "办件编号");
  assert_string_equal(xlsx_cell(x, 6), "状态");
  int got = 0;
  while (xlsx_next(x, &e) == 1) {
    if (got == 0) assert_string_equal(xlsx_cell(x, 0), no[2]);
    got++;
  }
  assert_int_equal(got, 3);
  xlsx_close(x);
  free(data);
  /* A bad filter is the caller's error, not an empty file. */
  CaseQuery bad = {.state = "nonsense"};
  assert_int_equal(workbook_cases(f->s, &f->clerk, &bad, path, &rows, &e), -1);
  assert_string_equal(e.code, "request.bad_param");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_deadline_workdays),
      cmocka_unit_test(test_deadline_workhours),
      cmocka_unit_test_setup_teardown(test_scan, setup, teardown),
      cmocka_unit_test_setup_teardown(test_every_state_move_role, setup, teardown),
      cmocka_unit_test_setup_teardown(test_export_cap, setup, teardown),
      cmocka_unit_test(test_history_any_instant),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
