/*
** sqlite_ref.c — the durable-write reference for `make bench`: one row per
** transaction into a SQLite file in WAL mode with synchronous=FULL (what
** xinqu's writer uses), for a fixed time, on the same disk as the server's
** database. Prints "rows_per_s N".
**
** usage: sqlite_ref FILE SECONDS
*/
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
  sqlite3 *db;
  sqlite3_stmt *st;
  if (argc != 3) {
    fprintf(stderr, "usage: sqlite_ref FILE SECONDS\n");
    return 2;
  }
  double secs = atof(argv[2]);
  if (sqlite3_open(argv[1], &db) != SQLITE_OK) return 1;
  sqlite3_exec(db,
               "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
               "CREATE TABLE IF NOT EXISTS t(id INTEGER PRIMARY KEY, name TEXT, v INTEGER)",
               NULL, NULL, NULL);
  sqlite3_prepare_v2(db, "INSERT INTO t(name, v) VALUES (?, ?)", -1, &st, NULL);
  long n = 0;
  double t0 = now(), t;
  do {
    sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
    sqlite3_bind_text(st, 1, "大连金普新区测试有限公司", -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, n);
    if (sqlite3_step(st) != SQLITE_DONE) return 1;
    sqlite3_reset(st);
    if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) return 1;
    n++;
    t = now();
  } while (t - t0 < secs);
  printf("rows_per_s %.1f\n", (double)n / (t - t0));
  sqlite3_finalize(st);
  sqlite3_close(db);
  return 0;
}
