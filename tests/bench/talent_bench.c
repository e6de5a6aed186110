/*
** talent_bench.c — 人才政策兑现 (issue 16): the monthly instalment run, for
** `make bench`. A fresh SQLite database (store_open + store_migrate) with N
** persons' talent records (default 100,000), each holding one entitlement
** with an instalment due this month (Asia/Shanghai), half 名校优才
** (`mingxiao`, yearly, due on a day from the 1st to today) and half 住房补贴
** (`housing`, monthly, due on the 1st), and a budget for this year large
** enough for all of them. Then two timed passes:
**
**   1. the re-check alone: talent_recheck() of every instalment's facts under
**      its policy as of its due day, in memory (no database), as
**      review does it — the figure compared with json-rules-engine;
**   2. the monthly run through the production path: the pending instalments
**      due by today are selected, then each is reviewed by
**      talent_instalment_review() — load, the re-check as of its due day on
**      the record as it stands, approval within the year's budget (the
**      conditional UPDATE of talent_budget and a ledger row) or the stop of
**      it and every later one, its audit event, one durable transaction per
**      instalment, and the entitlement read back as the API answers it —
**      called from THREADS threads at once (default 16), as the server's
**      workers call it, so the writer group-commits them.
**   3. the monthly run, talent_instalment_run(), in a fresh copy: the same
**      reviews, 256 to a durable transaction (the figure compared).
**   4. the write floor, in another fresh copy: only what the run writes for
**      each instalment, as pass 1 decided it, through the run's own writer
**      (talent_decision_write()), 256 to a durable transaction — an
**      approval's budget update, ledger row, instalment update and audit
**      event, or a stop's two updates and audit event — with nothing
**      loaded or re-checked. However fast the rest, the run can go no
**      faster.
**
** The setup is not timed and is direct SQL in one write job (as
** talent_demo.c makes the demo's records): persons, records, entitlements
** and instalments (one paid before this month, the one due this month, two
** later). Through talent_record_put() and talent_entitle() it would be
** 200,000 durable commits before the figure is even taken. The budget is
** set by talent_budget_add(), the real path.
**
** After the run (untimed) every instalment's state is read back and
** compared with pass 1 (approved exactly when the re-check said yes), and
** each policy's ledger must balance with committed = the approved amounts.
**
** Writes FACTS.jsonl, one line per instalment {policy, due, facts} in the
** order of pass 1, and VERDICTS.txt, pass 1's verdict of each as one
** character a line: y (eligible), n (not), ? (unknown), ! (failed). Prints
** "key value" lines (read by tests/bench/talent.mjs).
**
** usage: talent_bench DB FACTS.jsonl VERDICTS.txt [N [THREADS]]
*/
#include "base/base.h"
#include "domain/talent.h"
#include "domain/talent_pay.h"
#include "store/store.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- deterministic facts ----------------------------------------------------- */

static uint32_t seed = 16;

/* rnd() is mulberry32 (as tests/bench/ladder.mjs): a value in [0, 1). */
static double rnd(void) {
  uint32_t t = (seed += 0x6d2b79f5u);
  t = (t ^ (t >> 15)) * (t | 1u);
  t ^= t + (t ^ (t >> 7)) * (t | 61u);
  return (double)(t ^ (t >> 14)) / 4294967296.0;
}

/* month_text() writes month number n (year × 12 + month − 1) as YYYY-MM. */
static void month_text(int n, char out[16]) { snprintf(out, 16, "%04d-%02d", n / 12, n % 12 + 1); }

/* months() is a list of social insurance or tax records, one a month from
** month first to last (numbers), in place; skip (a month number, or -1) is
** left out, odd (or -1) paid in place other, back (or -1) marked back-paid. */
static json_t *months(int first, int last, const char *place, int skip, int odd, const char *other, int back) {
  json_t *a = json_array();
  for (int n = first; n <= last; n++) {
    if (n == skip) continue;
    char m[16];
    month_text(n, m);
    json_t *x = json_pack("{s:s,s:s}", "month", m, "place", n == odd ? other : place);
    if (n == back) json_object_set_new(x, "back_paid", json_true());
    json_array_append_new(a, x);
  }
  return a;
}

/* Case: one person's entitlement and the instalment due this month. */
typedef struct Case {
  const char *policy;
  char due[40], decided[40], before[40], after1[40], after2[40]; /* the due days around it */
  int64_t amount;                                               /* of each instalment, fen */
  json_t *facts;
  int64_t inst_id; /* the instalment due this month */
  int64_t ent_id;  /* its entitlement */
  char verdict;    /* pass 1's */
} Case;

/* make_case() draws case i's facts (a spread around each re-check's
** conditions: met, not met, unknown) for due days in month m (a number)
** up to day today_day. */
static void make_case(Case *c, long i, int m, int today_day) {
  json_t *f = json_object();
  char mt[16];
  int y = m / 12, mm = m % 12 + 1;
  double r = rnd();
  const char *degree = r < 0.15 ? "doctor" : r < 0.55 ? "master" : "bachelor";
  json_object_set_new(f, "degree", json_string(degree));
  json_object_set_new(f, "school_class", json_string(rnd() < 0.5 ? "world_class_university" : "world_class_discipline"));
  json_object_set_new(f, "full_time", json_true());
  if (i % 2 == 0) {
    /* 名校优才: the second of five yearly instalments, due on a day of this
    ** month up to today; re-checked on working in Jinpu (own business, or an
    ** employer there and a contract of at least contract_months) and the six
    ** months before insured, or else taxed, in Jinpu (back-paid counted). */
    int d = 1 + (int)((i / 2) % today_day);
    c->policy = "mingxiao";
    snprintf(c->due, sizeof c->due, "%04d-%02d-%02d", y, mm, d);
    snprintf(c->decided, sizeof c->decided, "%04d-%02d-%02d", y - 1, mm, d > 28 ? 28 : d);
    snprintf(c->before, sizeof c->before, "%s", c->decided);
    snprintf(c->after1, sizeof c->after1, "%04d-%02d-%02d", y + 1, mm, d > 28 ? 28 : d);
    snprintf(c->after2, sizeof c->after2, "%04d-%02d-%02d", y + 2, mm, d > 28 ? 28 : d);
    c->amount = (degree[0] == 'd' ? 20000000 : degree[0] == 'm' ? 10000000 : 5000000) / 5;
    month_text(m - 26, mt);
    json_object_set_new(f, "graduated_on", json_sprintf("%s-20", mt));
    r = rnd();
    if (r < 0.04) json_object_set_new(f, "business_in_jinpu", json_true());
    else if (r >= 0.06) json_object_set_new(f, "business_in_jinpu", json_false());
    r = rnd();
    if (r < 0.88) json_object_set_new(f, "employer_in_jinpu", json_true());
    else if (r < 0.94) json_object_set_new(f, "employer_in_jinpu", json_false());
    r = rnd();
    if (r < 0.96)
      json_object_set_new(f, "contract_months", json_integer(r < 0.75 ? 36 : r < 0.85 ? 12 : r < 0.92 ? 11 : 6));
    month_text(m - 24, mt);
    json_object_set_new(f, "contract_start", json_sprintf("%s-15", mt));
    r = rnd();
    if (r >= 0.03) {
      json_t *si;
      if (r < 0.05) si = json_array();
      else {
        double s = rnd();
        int gap = m - 1 - (int)(rnd() * 6);
        si = s < 0.08   ? months(m - 9, m, "jinpu", gap, -1, NULL, -1)       /* a month missing */
             : s < 0.13 ? months(m - 9, m, "jinpu", -1, gap, "dalian", -1)   /* one paid elsewhere */
             : s < 0.18 ? months(m - 9, m, "jinpu", -1, -1, NULL, gap)       /* back-paid: counted */
             : s < 0.21 ? months(m - 9, m - 2, "jinpu", -1, -1, NULL, -1)    /* stopped two months ago */
             : s < 0.23 ? months(m - 3, m - 1, "jinpu", -1, -1, NULL, -1)    /* only three months */
                        : months(m - 9, rnd() < 0.5 ? m : m - 1, "jinpu", -1, -1, NULL, -1);
      }
      json_object_set_new(f, "social_insurance", si);
    }
    r = rnd();
    if (r >= 0.35)
      json_object_set_new(f, "income_tax", r < 0.55   ? json_array()
                                           : r < 0.85 ? months(m - 6, m - 1, "jinpu", -1, -1, NULL, -1)
                                                      : months(m - 6, m - 1, "jinpu", m - 1 - (int)(rnd() * 6), -1,
                                                               NULL, -1));
  } else {
    /* 住房补贴: a monthly instalment due on the 1st, re-checked on a Dalian
    ** 户籍 and the month before insured in Dalian (Jinpu included),
    ** back-paid months not counted. */
    c->policy = "housing";
    snprintf(c->due, sizeof c->due, "%04d-%02d-01", y, mm);
    month_text(m - 1, mt);
    snprintf(c->before, sizeof c->before, "%s-01", mt);
    month_text(m - 8, mt);
    snprintf(c->decided, sizeof c->decided, "%s-10", mt);
    month_text(m + 1, mt);
    snprintf(c->after1, sizeof c->after1, "%s-01", mt);
    month_text(m + 2, mt);
    snprintf(c->after2, sizeof c->after2, "%s-01", mt);
    int64_t base = degree[0] == 'd' ? 250000 : degree[0] == 'm' ? 150000 : 100000;
    c->amount = base + base * 10 / 100;
    month_text(m - 14, mt);
    json_object_set_new(f, "graduated_on", json_sprintf("%s-20", mt));
    month_text(m - 13, mt);
    json_object_set_new(f, "contract_start", json_sprintf("%s-01", mt));
    json_object_set_new(f, "employer_in_jinpu", json_boolean(rnd() < 0.6));
    json_object_set_new(f, "contract_months", json_integer(36));
    r = rnd();
    if (r < 0.90) json_object_set_new(f, "hukou_dalian", json_true());
    else if (r < 0.95) json_object_set_new(f, "hukou_dalian", json_false());
    r = rnd();
    if (r >= 0.03) {
      json_t *si;
      const char *place = rnd() < 0.5 ? "dalian" : "jinpu";
      if (r < 0.05) si = json_array();
      else {
        double s = rnd();
        si = s < 0.06   ? months(m - 12, m, place, m - 1, -1, NULL, -1)          /* last month missing */
             : s < 0.10 ? months(m - 12, m - 1, place, -1, -1, NULL, m - 1)      /* last month back-paid */
             : s < 0.13 ? months(m - 12, m - 1, place, -1, m - 1, "shenyang", -1) /* last month elsewhere */
             : s < 0.18 ? months(m - 12, m - 1, place, m - 5, -1, NULL, -1)      /* an earlier gap: no matter */
                        : months(m - 12, rnd() < 0.5 ? m : m - 1, place, -1, -1, NULL, -1);
      }
      json_object_set_new(f, "social_insurance", si);
    }
  }
  c->facts = f;
}

/* ---- setup (untimed) ------------------------------------------------------------ */

typedef struct Setup {
  Case *a;
  long n;
  int64_t now;
} Setup;

/* setup_job() writes the persons, records, entitlements and instalments. */
static int setup_job(Db *db, void *arg, Err *e) {
  Setup *s = arg;
  Stmt *ent = NULL, *inst = NULL;
  int rc = -1;
  for (long i = 0; i < s->n; i++) {
    Case *c = &s->a[i];
    char number[40], name[32];
    snprintf(number, sizeof number, "21021319%02d%08ld", (int)(i % 90) + 10, i);
    snprintf(name, sizeof name, "基准人才%ld", i);
    int64_t pid = i + 1;
    char *facts = json_dumps(c->facts, JSON_COMPACT);
    int64_t k = db_run(db, e, "INSERT INTO person(id, id_kind, id_number, name, created_at) VALUES (?,'id',?,?,?)",
                       "itti", pid, number, name, s->now);
    if (k >= 0)
      k = db_run(db, e,
                 "INSERT INTO talent_record(person_id, facts, sources, updated_at, updated_by) VALUES (?,?,'{}',?,1)",
                 "iti", pid, facts, s->now);
    free(facts);
    if (k < 0) goto out;
    if (!(ent = db_prepare(db,
                           "INSERT INTO talent_entitlement(person_id, policy, rule_version, decided_on, amount_fen,"
                           " explanation, dept_id, created_at, created_by) VALUES (?,?,1,?,?,'[]',1,?,1) RETURNING id",
                           e)))
      goto out;
    stmt_bind_int(ent, 1, pid);
    stmt_bind_text(ent, 2, c->policy);
    stmt_bind_text(ent, 3, c->decided);
    stmt_bind_int(ent, 4, c->amount);
    stmt_bind_int(ent, 5, s->now);
    if (stmt_step(ent, e) != 1) goto out;
    int64_t eid = c->ent_id = stmt_int(ent, 0);
    stmt_done(ent), ent = NULL;
    if (db_run(db, e,
               "INSERT INTO talent_instalment(entitlement_id, seq, due, amount_fen, state, checked_on, decided_at,"
               " decided_by, paid_on) VALUES (?,1,?,?,'paid',?,?,1,?)",
               "ititit", eid, c->before, c->amount, c->before, s->now, c->before) < 0)
      goto out;
    if (!(inst = db_prepare(db, "INSERT INTO talent_instalment(entitlement_id, seq, due, amount_fen) VALUES (?,2,?,?)"
                                " RETURNING id",
                            e)))
      goto out;
    stmt_bind_int(inst, 1, eid);
    stmt_bind_text(inst, 2, c->due);
    stmt_bind_int(inst, 3, c->amount);
    if (stmt_step(inst, e) != 1) goto out;
    c->inst_id = stmt_int(inst, 0);
    stmt_done(inst), inst = NULL;
    if (db_run(db, e, "INSERT INTO talent_instalment(entitlement_id, seq, due, amount_fen) VALUES (?,3,?,?), (?,4,?,?)",
               "itiiti", eid, c->after1, c->amount, eid, c->after2, c->amount) < 0)
      goto out;
  }
  rc = 0;
out:
  if (ent) stmt_done(ent);
  if (inst) stmt_done(inst);
  return rc;
}

/* ---- the timed run ---------------------------------------------------------------- */

typedef struct Run {
  Store *s;
  const User *officer;
  const int64_t *ids;
  long n;
  atomic_long next, approved, stopped, errors;
  char first_error[400];
  pthread_mutex_t mu;
} Run;

/* worker() reviews instalments taken from the shared list in turn. */
static void *worker(void *arg) {
  Run *r = arg;
  for (;;) {
    long k = atomic_fetch_add(&r->next, 1);
    if (k >= r->n) break;
    Err e = {0};
    json_t *ent = talent_instalment_review(r->s, r->officer, r->ids[k], &e);
    if (!ent) {
      pthread_mutex_lock(&r->mu);
      if (!r->first_error[0])
        snprintf(r->first_error, sizeof r->first_error, "instalment %lld: %.60s %.300s", (long long)r->ids[k], e.code,
                 e.message);
      pthread_mutex_unlock(&r->mu);
      atomic_fetch_add(&r->errors, 1);
      continue;
    }
    if (strcmp(json_string_value(json_object_get(ent, "state")), "active") == 0) atomic_fetch_add(&r->approved, 1);
    else atomic_fetch_add(&r->stopped, 1);
    json_decref(ent);
  }
  return NULL;
}

static void fresh(const char *path) {
  char p[4096];
  for (const char *suffix = ""; suffix; suffix = suffix[0] == 0 ? "-wal" : suffix[1] == 'w' ? "-shm" : NULL) {
    snprintf(p, sizeof p, "%s%s", path, suffix);
    unlink(p);
  }
}

/* prepare() makes a fresh database at path with the cases of a (setup_job())
** and a budget for year of each policy: what is due this month and a tenth
** more. Returns the open store, or NULL with a message on stderr. */
static Store *prepare(const char *path, Case *a, long n, int year, const User *officer) {
  Err e = {0};
  fresh(path);
  char *url = xasprintf("sqlite:%s", path);
  Store *s = store_open(url, &e);
  free(url);
  if (!s || store_migrate(s, &e)) goto fail;
  Setup st = {a, n, now_ms()};
  if (store_write(s, setup_job, &st, &e)) goto fail;
  int64_t due_fen[2] = {0};
  for (long i = 0; i < n; i++) due_fen[i % 2] += a[i].amount;
  for (int p = 0; p < 2; p++) {
    json_t *in = json_pack("{s:s,s:i,s:I,s:s}", "policy", p ? "housing" : "mingxiao", "year", year, "amount_fen",
                           (json_int_t)(due_fen[p] + due_fen[p] / 10), "memo", "基准：本月应发之和加一成");
    json_t *l = talent_budget_add(s, officer, in, &e);
    json_decref(in);
    if (!l) goto fail;
    json_decref(l);
  }
  return s;
fail:
  fprintf(stderr, "talent_bench: %s: %s %s\n", path, e.code, e.message);
  if (s) store_close(s);
  return NULL;
}

/* Check: what a run left, against pass 1's verdicts. */
typedef struct Check {
  long not_run;  /* instalments due this month still pending */
  long disagree; /* approved without a yes from the re-check alone, or stopped with one */
  int balanced;  /* 1 when each policy's ledger balances with committed = the approved amounts */
} Check;

/* verify() reads every case's instalment back from s and each ledger:
** 0, or -1 with a message on stderr. */
static int verify(Store *s, const Case *a, long n, int year, const User *officer, Check *c) {
  Err e = {0};
  int64_t approvedFen[2] = {0};
  memset(c, 0, sizeof *c);
  Stmt *q = db_prepare(store_reader(s), "SELECT state FROM talent_instalment WHERE id = ?", &e);
  if (!q) goto fail;
  for (long i = 0; i < n; i++) {
    stmt_bind_int(q, 1, a[i].inst_id);
    if (stmt_step(q, &e) != 1) {
      stmt_done(q);
      goto fail;
    }
    const char *state = stmt_text(q, 0);
    bool approved = strcmp(state, "approved") == 0;
    if (strcmp(state, "pending") == 0) c->not_run++;
    else if (approved != (a[i].verdict == 'y')) c->disagree++;
    if (approved) approvedFen[i % 2] += a[i].amount;
    stmt_done(q);
  }
  c->balanced = 1;
  for (int p = 0; p < 2; p++) {
    json_t *l = talent_ledger(s, officer, p ? "housing" : "mingxiao", year, 0, &e);
    if (!l) goto fail;
    json_t *acc = json_object_get(l, "accounts");
    if (!json_is_true(json_object_get(l, "balanced")) ||
        json_integer_value(json_object_get(acc, "committed")) != approvedFen[p])
      c->balanced = 0;
    json_decref(l);
  }
  return 0;
fail:
  fprintf(stderr, "talent_bench: verify: %s %s\n", e.code, e.message);
  return -1;
}

/* ---- the write floor ------------------------------------------------------------- */

enum { FLOOR_CHUNK = 256 }; /* as the monthly run's RUN_CHUNK */

/* Floor: one chunk of pass 4. */
typedef struct Floor {
  const Case *a;
  long from, to;   /* the cases of this chunk */
  const User *officer;
  int64_t now;
  const char *today;
} Floor;

/* floor_job() writes each case's decision of pass 1 through
** talent_decision_write(), as a review does once it has decided, and
** nothing else. */
static int floor_job(Db *db, void *arg, Err *e) {
  Floor *f = arg;
  for (long i = f->from; i < f->to; i++) {
    const Case *c = &f->a[i];
    TalentDecision d = {c->inst_id, c->ent_id, 2, c->amount, c->policy, c->due,
                        c->verdict == 'y' ? NULL : "缺少判断所需的数据：近六个月在金普新区缴纳社会保险的记录"};
    if (talent_decision_write(db, f->officer, f->now, f->today, &d, e)) return -1;
  }
  return 0;
}

int main(int argc, char **argv) {
  if (argc < 4 || argc > 6) {
    fprintf(stderr, "usage: talent_bench DB FACTS.jsonl VERDICTS.txt [N [THREADS]]\n");
    return 2;
  }
  long n = argc > 4 ? atol(argv[4]) : 100000;
  int nThread = argc > 5 ? atoi(argv[5]) : 16;
  if (n < 2 || nThread < 1 || nThread > 256) {
    fprintf(stderr, "talent_bench: N ≥ 2, 1 ≤ THREADS ≤ 256\n");
    return 2;
  }
  char today[11];
  time_today_cn(today);
  int ty, tm, td;
  sscanf(today, "%4d-%2d-%2d", &ty, &tm, &td);
  int m = ty * 12 + tm - 1;

  /* The talent department's officer (an administrator: who() needs no
  ** department for one; a policy officer of 人社局 would read the parameter
  ** talent/dept first). */
  User officer = {.id = 1, .username = "bench", .display = "基准", .role = ROLE_ADMIN, .dept_id = 1};
  Err e = {0};
  int rc = 1;
  Case *a = xcalloc((size_t)n, sizeof *a);
  int64_t *ids = NULL;
  long nId = 0;
  Store *s = NULL, *s3 = NULL, *s4 = NULL;
  json_t *res3 = NULL;
  char *path3 = xasprintf("%s.run", argv[1]), *path4 = xasprintf("%s.floor", argv[1]);
  for (long i = 0; i < n; i++) make_case(&a[i], i, m, td);

  /* Setup, untimed. */
  int64_t t0 = mono_ms();
  if (!(s = prepare(argv[1], a, n, ty, &officer))) goto out;
  int64_t t1 = mono_ms();

  /* The facts, for json-rules-engine. */
  FILE *fx = fopen(argv[2], "w");
  if (!fx) {
    perror(argv[2]);
    goto out;
  }
  for (long i = 0; i < n; i++) {
    json_t *line = json_pack("{s:s,s:s,s:O}", "policy", a[i].policy, "due", a[i].due, "facts", a[i].facts);
    char *text = json_dumps(line, JSON_COMPACT);
    fprintf(fx, "%s\n", text);
    free(text);
    json_decref(line);
  }
  if (fclose(fx) != 0) {
    perror(argv[2]);
    goto out;
  }

  /* Warm up: the first re-check of each policy loads and compiles its rule. */
  for (long i = 0; i < 2; i++) json_decref(talent_recheck(a[i].facts, a[i].policy, a[i].due, NULL, &e));

  /* Pass 1: the re-check alone. */
  long tally[4] = {0}; /* y n ? ! */
  int64_t t2 = mono_ms();
  for (long i = 0; i < n; i++) {
    json_t *r = talent_recheck(a[i].facts, a[i].policy, a[i].due, NULL, &e);
    const json_t *el = r ? json_object_get(r, "eligible") : NULL;
    a[i].verdict = !r ? '!' : json_is_true(el) ? 'y' : json_is_false(el) ? 'n' : '?';
    json_decref(r);
  }
  int64_t t3 = mono_ms();
  for (long i = 0; i < n; i++) tally[a[i].verdict == 'y' ? 0 : a[i].verdict == 'n' ? 1 : a[i].verdict == '?' ? 2 : 3]++;

  /* Pass 2: one review per instalment, as the API does. First what is due
  ** this month by today (the officer's list of 待复核), then each reviewed. */
  int64_t t4 = mono_ms();
  Db *db = store_reader(s);
  char first[24];
  snprintf(first, sizeof first, "%04d-%02d-01", ty, tm);
  Stmt *q = db_prepare(db, "SELECT id FROM talent_instalment WHERE state = 'pending' AND due >= ? AND due <= ?"
                           " ORDER BY due, id",
                       &e);
  if (!q) goto fail;
  stmt_bind_text(q, 1, first);
  stmt_bind_text(q, 2, today);
  ids = xmalloc((size_t)n * sizeof *ids);
  int step;
  while ((step = stmt_step(q, &e)) == 1) {
    if (nId == n) {
      fprintf(stderr, "talent_bench: more instalments due than made\n");
      break;
    }
    ids[nId++] = stmt_int(q, 0);
  }
  stmt_done(q);
  if (step < 0) goto fail;
  Run run = {.s = s, .officer = &officer, .ids = ids, .n = nId, .mu = PTHREAD_MUTEX_INITIALIZER};
  int64_t c0, j0, c1, j1;
  store_write_stats(s, &c0, &j0);
  pthread_t th[256];
  for (int k = 0; k < nThread; k++) pthread_create(&th[k], NULL, worker, &run);
  for (int k = 0; k < nThread; k++) pthread_join(th[k], NULL);
  int64_t t5 = mono_ms();
  store_write_stats(s, &c1, &j1);
  Check k2;
  if (verify(s, a, n, ty, &officer, &k2)) goto out;
  store_close(s), s = NULL;
  fresh(argv[1]);

  /* Pass 3: the same instalments in a fresh copy of the same database,
  ** reviewed by the monthly run (talent_instalment_run(), POST
  ** /api/v1/talent/run): the same review of each, RUN_CHUNK to a
  ** transaction. */
  if (!(s3 = prepare(path3, a, n, ty, &officer))) goto out;
  int64_t c2, j2, c3, j3;
  store_write_stats(s3, &c2, &j2);
  int64_t t6 = mono_ms();
  res3 = talent_instalment_run(s3, &officer, NULL, &e);
  int64_t t7 = mono_ms();
  store_write_stats(s3, &c3, &j3);
  if (!res3) goto fail;
  Check k3;
  if (verify(s3, a, n, ty, &officer, &k3)) goto out;

  store_close(s3), s3 = NULL;
  fresh(path3);

  /* Pass 4: the write floor, in another fresh copy. */
  if (!(s4 = prepare(path4, a, n, ty, &officer))) goto out;
  int64_t c4, j4, c5, j5, now4 = now_ms();
  store_write_stats(s4, &c4, &j4);
  int64_t t8 = mono_ms();
  for (long from = 0; from < n; from += FLOOR_CHUNK) {
    Floor fl = {a, from, from + FLOOR_CHUNK < n ? from + FLOOR_CHUNK : n, &officer, now4, today};
    if (store_write(s4, floor_job, &fl, &e)) goto fail;
  }
  int64_t t9 = mono_ms();
  store_write_stats(s4, &c5, &j5);
  Check k4;
  if (verify(s4, a, n, ty, &officer, &k4)) goto out;

  FILE *v = fopen(argv[3], "w");
  if (!v) {
    perror(argv[3]);
    goto out;
  }
  for (long i = 0; i < n; i++) fprintf(v, "%c\n", a[i].verdict);
  if (fclose(v) != 0) {
    perror(argv[3]);
    goto out;
  }

  double sSetup = (double)(t1 - t0) / 1000.0, sRe = (double)(t3 - t2) / 1000.0, sRun = (double)(t5 - t4) / 1000.0,
         sMonth = (double)(t7 - t6) / 1000.0;
  if (sRe <= 0) sRe = 0.001;
  if (sRun <= 0) sRun = 0.001;
  if (sMonth <= 0) sMonth = 0.001;
  int64_t due3 = json_integer_value(json_object_get(res3, "due"));
  printf("entitlements %ld\nday %s\nsetup_s %.3f\n", n, today, sSetup);
  printf("recheck_s %.3f\nrecheck_per_s %.1f\n", sRe, (double)n / sRe);
  printf("recheck eligible %ld not %ld unknown %ld failed %ld\n", tally[0], tally[1], tally[2], tally[3]);
  printf("due %ld\napproved %ld\nstopped %ld\nerrors %ld\n", nId, (long)run.approved, (long)run.stopped,
         (long)run.errors);
  if (run.first_error[0]) printf("first_error %s\n", run.first_error);
  printf("seconds %.3f\nper_s %.1f\nthreads %d\ncommits %lld\njobs %lld\n", sRun, (double)nId / sRun, nThread,
         (long long)(c1 - c0), (long long)(j1 - j0));
  printf("not_run %ld\ndisagree %ld\nledger_balanced %d\n", k2.not_run, k2.disagree, k2.balanced);
  printf("run_due %lld\nrun_approved %lld\nrun_stopped %lld\nrun_skipped %lld\nrun_refused %lld\n", (long long)due3,
         (long long)json_integer_value(json_object_get(res3, "approved")),
         (long long)json_integer_value(json_object_get(res3, "stopped")),
         (long long)json_integer_value(json_object_get(res3, "skipped")),
         (long long)json_integer_value(json_object_get(res3, "refused_total")));
  printf("run_seconds %.3f\nrun_per_s %.1f\nrun_commits %lld\n", sMonth, (double)due3 / sMonth, (long long)(c3 - c2));
  printf("run_not_run %ld\nrun_disagree %ld\nrun_ledger_balanced %d\n", k3.not_run, k3.disagree, k3.balanced);
  double sFloor = (double)(t9 - t8) / 1000.0;
  if (sFloor <= 0) sFloor = 0.001;
  printf("floor_seconds %.3f\nfloor_per_s %.1f\nfloor_commits %lld\n", sFloor, (double)n / sFloor,
         (long long)(c5 - c4));
  printf("floor_not_run %ld\nfloor_disagree %ld\nfloor_ledger_balanced %d\n", k4.not_run, k4.disagree, k4.balanced);
  rc = 0;
  goto out;
fail:
  fprintf(stderr, "talent_bench: %s %s\n", e.code, e.message);
out:
  for (long i = 0; i < n; i++) json_decref(a[i].facts);
  free(a);
  free(ids);
  json_decref(res3);
  if (s) store_close(s);
  if (s3) store_close(s3);
  if (s4) store_close(s4);
  fresh(path3);
  fresh(path4);
  free(path3);
  free(path4);
  return rc;
}
