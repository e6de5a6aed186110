/*
** talent_scan_bench.c — 免申即享 (issue 16) for `make bench`: a fresh SQLite
** database (store_open(): every migration) with N registry persons and their
** talent records (deterministic facts: degrees, graduation days, full-time or
** not, contracts and months of social insurance spread so that some are
** covered by 学费补助, some close and some far; a few facts missing), then,
** timed on one thread:
**
**   1. sql: one plain SQL pass reading the same records as the scan reads
**      them (person and record joined, in pages of TALENT_SCAN_PAGE by
**      person id) and parsing each record's facts, nothing else;
**   2. rules: talent_check() of the policy on each record's facts, the time
**      inside the calls alone (the rule evaluation the scan cannot avoid);
**   3. dry: talent_scan() {policy, dry_run: true}: reads, checks, classifies;
**   4. real: talent_scan() {policy}: the same, and writes each found
**      person's entitlement (instalments, audit event) page by page;
**   5. rerun: talent_scan() {policy} again: everyone found holds it, so
**      nothing is checked or written.
**
** Prints "key value" lines (read by scripts/bench.mjs): persons, found,
** created, close, rerun_created, sql_s, rules_s, dry_s, real_s, rerun_s.
**
** usage: talent_scan_bench DB_FILE N [POLICY]
*/
#include "base/base.h"
#include "base/cal.h"
#include "domain/talent.h"
#include "domain/talent_scan.h"
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double secs(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Fill: what the loading job writes. */
typedef struct Fill {
  long n;
  int today; /* day number */
} Fill;

static uint32_t rnd_state = 20261206;
static uint32_t rnd(void) {
  rnd_state ^= rnd_state << 13;
  rnd_state ^= rnd_state >> 17;
  rnd_state ^= rnd_state << 5;
  return rnd_state;
}

/* facts() writes person i's facts as JSON text into b. */
static void facts(Buf *b, int today) {
  static const char *const degrees[] = {"doctor", "master", "bachelor", "college"};
  static const char *const schools[] = {"world_class_university", "world_class_discipline", "overseas_top200", "other"};
  char day[11];
  buf_puts(b, "{");
  if (rnd() % 100 >= 3) buf_appendf(b, "\"degree\":\"%s\",", degrees[rnd() % 4]);
  buf_appendf(b, "\"school_class\":\"%s\",", schools[rnd() % 4]);
  cal_format(today - (int)(rnd() % 1100), day);
  buf_appendf(b, "\"graduated_on\":\"%s\",", day);
  uint32_t r = rnd() % 100;
  if (r < 85) buf_puts(b, "\"full_time\":true,");
  else if (r < 95) buf_puts(b, "\"full_time\":false,");
  buf_appendf(b, "\"hukou_dalian\":%s,\"employer_in_jinpu\":%s,\"business_in_jinpu\":false,",
              rnd() % 2 ? "true" : "false", rnd() % 10 ? "true" : "false");
  cal_format(today - 300, day);
  buf_appendf(b, "\"contract_start\":\"%s\",\"contract_months\":%d,", day, rnd() % 20 ? 36 : 6);
  /* k months of insurance ending last month, in Jinpu or elsewhere */
  int k = (int)(rnd() % 13), y, m, d;
  bool jinpu = rnd() % 100 < 85;
  cal_to_ymd(today, &y, &m, &d);
  buf_puts(b, "\"social_insurance\":[");
  for (int j = k; j >= 1; j--) {
    int n = y * 12 + (m - 1) - j;
    buf_appendf(b, "%s{\"month\":\"%04d-%02d\",\"place\":\"%s\"}", j == k ? "" : ",", n / 12, n % 12 + 1,
                jinpu ? "jinpu" : "dalian");
  }
  buf_puts(b, "],\"income_tax\":[]}");
}

static int fill_job(Db *db, void *arg, Err *e) {
  Fill *f = arg;
  Buf b = {0};
  for (long i = 1; i <= f->n; i++) {
    char number[40], name[40];
    /* not a valid check digit, and it need not be: the scan reads, never checks it */
    snprintf(number, sizeof number, "2102131990%08ld", i);
    snprintf(name, sizeof name, "人员%ld", i);
    if (db_run(db, e, "INSERT INTO person(id, id_kind, id_number, name, created_at) VALUES (?, 'id', ?, ?, 0)", "itt",
               (int64_t)i, number, name) < 0)
      goto bad;
    b.n = 0;
    facts(&b, f->today);
    if (db_run(db, e, "INSERT INTO talent_record(person_id, facts, sources, updated_at, updated_by) VALUES (?,?,'{}',0,0)",
               "it", (int64_t)i, buf_cstr(&b)) < 0)
      goto bad;
  }
  buf_free(&b);
  return 0;
bad:
  buf_free(&b);
  return -1;
}

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: talent_scan_bench DB_FILE N [POLICY]\n");
    return 2;
  }
  const char *file = argv[1], *policy = argc > 3 ? argv[3] : "tuition";
  long n = atol(argv[2]);
  char url[600], path[600], today[11];
  for (const char *sfx = ""; sfx; sfx = !*sfx ? "-wal" : strcmp(sfx, "-wal") == 0 ? "-shm" : NULL) {
    snprintf(path, sizeof path, "%s%s", file, sfx);
    unlink(path);
  }
  snprintf(url, sizeof url, "sqlite:%s", file);
  Err e = {0};
  Store *s = store_open(url, &e);
  if (!s || store_migrate(s, &e)) {
    fprintf(stderr, "talent_scan_bench: %s\n", e.message);
    return 1;
  }
  Fill f = {.n = n};
  cal_parse_date(time_today_cn(today), &f.today);
  if (store_write(s, fill_job, &f, &e)) {
    fprintf(stderr, "talent_scan_bench: loading: %s\n", e.message);
    return 1;
  }
  printf("persons %ld\n", n);

  /* 1 and 2: the plain SQL pass, and the rule evaluation alone */
  Db *db = store_reader(s);
  double t0 = secs(), in_rules = 0;
  long rows = 0;
  for (int pass = 0; pass < 2; pass++) {
    int64_t after = 0;
    long got;
    double t = secs();
    do {
      Stmt *st = db_prepare(db, "SELECT r.person_id, p.id_number, p.name, r.facts FROM talent_record r"
                                " JOIN person p ON p.id = r.person_id WHERE r.person_id > ? ORDER BY r.person_id LIMIT ?",
                            &e);
      if (!st) return fprintf(stderr, "%s\n", e.message), 1;
      stmt_bind_int(st, 1, after);
      stmt_bind_int(st, 2, TALENT_SCAN_PAGE);
      got = 0;
      while (stmt_step(st, &e) == 1) {
        got++;
        after = stmt_int(st, 0);
        json_t *facts_j = json_loads(stmt_text(st, 3), 0, NULL);
        if (pass == 1) {
          double c = secs();
          json_t *check = talent_check(facts_j, policy, today, NULL, &e);
          in_rules += secs() - c;
          json_decref(check);
        } else
          rows++;
        json_decref(facts_j);
      }
      stmt_done(st);
    } while (got == TALENT_SCAN_PAGE);
    if (pass == 0) printf("sql_s %.4f\n", secs() - t);
  }
  (void)t0;
  printf("rules_s %.4f\n", in_rules);

  /* 3, 4, 5: the scan */
  const char *names[] = {"dry", "real", "rerun"};
  for (int k = 0; k < 3; k++) {
    json_t *in = json_pack("{s:s,s:b,s:i}", "policy", policy, "dry_run", k == 0, "limit", 1);
    double t = secs();
    json_t *out = talent_scan(s, NULL, in, &e);
    double took = secs() - t;
    json_decref(in);
    if (!out) {
      fprintf(stderr, "talent_scan_bench: %s: %s\n", names[k], e.message);
      return 1;
    }
    if (k == 0)
      printf("found %lld\nclose %lld\n", (long long)json_integer_value(json_object_get(out, "found_total")),
             (long long)json_integer_value(json_object_get(out, "close_total")));
    if (k == 1) printf("created %lld\n", (long long)json_integer_value(json_object_get(out, "created_total")));
    if (k == 2) printf("rerun_created %lld\n", (long long)json_integer_value(json_object_get(out, "created_total")));
    printf("%s_s %.4f\n", names[k], took);
    json_decref(out);
  }
  store_close(s);
  return rows == n ? 0 : 1;
}
