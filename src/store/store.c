/*
** store.c — the driver-independent half of the store (see store.h): URL
** parsing, the Store, the writer thread and its group commit, the thread-local
** readers, the statement cache, db_run() and the migration runner. Everything
** that differs between SQLite and PostgreSQL sits behind the DbDriver table
** (store_int.h); this file only chooses the driver from the URL.
**
** The writer. store_write() puts a Job (on the caller's stack) on a bounded
** queue and sleeps until the writer marks it done. The writer takes every
** job waiting (up to the driver's batchMax), opens one transaction, runs
** each job inside SAVEPOINT j (ROLLBACK TO j when it fails, so it rolls back
** alone), commits once and wakes the whole batch: one durable commit serves
** many writers. A job that needs a transaction to itself (a migration) is
** "solo": it forms a batch of one.
*/
#include "store_int.h"

#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

enum {
  QUEUE_MAX = 4096,         /* jobs waiting before store_write() says db.busy */
  STMT_CACHE_MAX = 2048,    /* cached statements per connection */
  /* 727001 is STORE_LOCK_WRITER (store_int.h) */
  LOCK_MIGRATE = 727002     /* serialises migrations across servers */
};

/* A write job, owned by the thread waiting in store_write(). */
typedef struct Job {
  WriteFn fn;         /* what to run */
  void *arg;          /* its argument */
  bool solo;          /* run in a transaction of its own */
  int rc;             /* 0 kept, -1 failed (err says why) */
  bool done;          /* the writer has finished with it (guarded by mu) */
  pthread_cond_t cv;  /* its caller waits here for done: a commit wakes
                         only the callers whose jobs it holds */
  Err err;            /* the failure, when rc is -1 */
  struct Job *next;   /* queue link */
} Job;

struct Store {
  int64_t serial;        /* db_store_serial(): this process's count of stores opened, at this one's open */
  const DbDriver *drv;   /* chosen from the URL */
  char *url;             /* as given to store_open() */
  char *target;          /* what the driver opens: a path or a libpq URI */
  Db *wdb;               /* the writer's connection, used only by the writer */
  pthread_t writer;      /* the writer thread */
  pthread_key_t key;     /* this thread's reader Db */
  pthread_mutex_t mu;    /* guards everything below */
  pthread_cond_t cvWork; /* the writer waits here for jobs or stopping */
  pthread_cond_t cvDone; /* store_close() waits here for nCaller == 0 */
  Job *pHead, *pTail;    /* the queue */
  int nQueue;            /* jobs in the queue */
  int queueMax;          /* bound of the queue */
  int nCaller;           /* threads inside store_write() */
  bool stopping;         /* store_close() has begun */
  int64_t nCommit;       /* transactions committed */
  int64_t nJob;          /* jobs in those transactions */
  Db *pReaders;          /* registry of reader connections */
  bool mustExist;        /* opened by store_open_existing() */
  char *precommit;       /* SQL the writer runs before each COMMIT, or NULL:
                            the rows of the table store_precommit, which a
                            backend's migration may fill (see migrations.c) */
};

/* The Store whose writer runs on this thread, to catch nested store_write(). */
static __thread const Store *tlWriter;

/* The store whose reads on this thread are to share a transaction
** (store_read_begin()); begun lazily by db_prepare(), so that a request
** that reads nothing (/healthz, a static file) costs nothing. */
static _Thread_local Store *tlRead;

static Stmt *prepare_cached(Db *db, const char *sql, Err *e);

/* tx_run() runs BEGIN or COMMIT on db as a cached statement (parsed once,
** not counted as a statement of the request). */
static int tx_run(Db *db, const char *sql) {
  Err e = {0};
  Stmt *st = prepare_cached(db, sql, &e);
  if (!st) return -1;
  int rc = db->drv->step(st, &e);
  stmt_done(st);
  return rc < 0 ? -1 : 0;
}

/* read_join() begins the request's read transaction on reader db when its
** thread asked for one and none is open (no statement of its is busy). */
static void read_join(Db *db) {
  if (tx_run(db, "BEGIN") == 0) db->inRead = true;
}

int store_missing(Err *e) {
  return err_set(e, E_INVALID, "db.missing", NULL,
                 "数据库不存在，或其中没有 xinqu 的数据表；请先用 xinqu init 建库",
                 "The database does not exist or has no xinqu tables; create it with xinqu init.");
}

int store_err(Err *e, const char *code) {
  if (strcmp(code, "db.unique") == 0)
    return err_set(e, E_CONFLICT, code, NULL, "数据已存在，与已有记录重复",
                   "The record already exists (a unique value is duplicated).");
  if (strcmp(code, "db.constraint") == 0)
    return err_set(e, E_INVALID, code, NULL,
                   "数据不符合约束条件（引用的记录不存在，或取值不允许）",
                   "The data violates a constraint (a referenced record is "
                   "missing, or a value is not allowed).");
  if (strcmp(code, "db.busy") == 0) {
    err_set(e, E_BUSY, code, NULL, "数据库繁忙，请稍后重试",
            "The database is busy; please try again shortly.");
    if (e) e->retry_after = 1;
    return -1;
  }
  if (strcmp(code, "db.commit") == 0)
    return err_set(e, E_INTERNAL, code, NULL, "数据库提交失败，本次操作未保存",
                   "The database commit failed; the change was not saved.");
  if (strcmp(code, "db.open") == 0)
    return err_set(e, E_INTERNAL, code, NULL, "无法打开数据库",
                   "Cannot open the database.");
  return err_set(e, E_INTERNAL, "db.error", NULL,
                 "数据库错误，请稍后重试或联系管理员",
                 "Database error; please try again later or contact the "
                 "administrator.");
}

/* ---- connections and the statement cache ---- */

/* doom() records that a statement of the running write job failed with *e:
** the writer will roll the job back even if it returns 0 (PostgreSQL has
** aborted its transaction anyway; SQLite is made to behave the same). */
static void doom(Db *db, const Err *e) {
  if (!db->inJob || db->doomed) return;
  db->doomed = true;
  db->doomErr = *e;
}

/* db_new() opens (lazily) a connection of s. */
static Db *db_new(Store *s, bool reader) {
  Db *db = s->drv->open(s->target, reader);
  db->drv = s->drv;
  db->store = s;
  db->reader = reader;
  db->mustExist = !reader && s->mustExist;
  return db;
}

/* db_free() finalizes every statement of db, then closes and frees it. */
static void db_free(Db *db) {
  const DbDriver *drv = db->drv;
  for (int i = 0; i < db->nBucket; i++) {
    Stmt *st = db->aBucket[i];
    while (st) {
      Stmt *next = st->next;
      free(st->sql);
      drv->finalize(st);
      st = next;
    }
  }
  while (db->pTransient) {
    Stmt *st = db->pTransient;
    db->pTransient = st->next;
    free(st->sql);
    drv->finalize(st);
  }
  free(db->aBucket);
  drv->close(db);
}

/* cache_grow() doubles the hash table of db's statement cache. */
static void cache_grow(Db *db) {
  int n = db->nBucket ? db->nBucket * 2 : 64;
  Stmt **a = xcalloc((size_t)n, sizeof *a);
  for (int i = 0; i < db->nBucket; i++) {
    Stmt *st = db->aBucket[i];
    while (st) {
      Stmt *next = st->next;
      int h = (int)(st->hash & (uint32_t)(n - 1));
      st->next = a[h];
      a[h] = st;
      st = next;
    }
  }
  free(db->aBucket);
  db->aBucket = a;
  db->nBucket = n;
}

/* db_release_leaked() takes back the statements a write job did not
** stmt_done(), so they cannot hold the transaction's state past the job. */
static void db_release_leaked(Db *db) {
  if (db->nBusy == 0) return;
  for (int i = 0; i < db->nBucket; i++) {
    for (Stmt *st = db->aBucket[i]; st; st = st->next) {
      if (!st->busy) continue;
      log_warn("store: a write job did not stmt_done() \"%s\"", st->sql);
      stmt_done(st);
    }
  }
  while (db->pTransient) {
    log_warn("store: a write job did not stmt_done() \"%s\"", db->pTransient->sql);
    stmt_done(db->pTransient);
  }
}

int64_t db_epoch(const Db *db) { return db->inJob ? db->epoch : 0; }

int64_t db_store_serial(const Db *db) { return db->store->serial; }

static _Atomic int64_t nStatement; /* store_statements() */

int64_t store_statements(void) { return nStatement; }

static _Atomic int64_t nScanStep; /* store_scan_steps() */

int64_t store_scan_steps(void) { return nScanStep; }

void store_scan_count(int64_t n) { nScanStep += n; }

Stmt *db_prepare(Db *db, const char *sql, Err *e) {
  nStatement++;
  if (tlRead == db->store && db->reader && !db->inRead && db->nBusy == 0) read_join(db);
  return prepare_cached(db, sql, e);
}

/* prepare_cached() is db_prepare() without the count: from the
** connection's cache, or prepared and cached. */
static Stmt *prepare_cached(Db *db, const char *sql, Err *e) {
  Err local = {0};
  Stmt *hit = NULL, *st;
  uint32_t h = fnv1a(sql, strlen(sql));
  if (!e) e = &local;
  if (db->nBucket) {
    for (hit = db->aBucket[h & (uint32_t)(db->nBucket - 1)]; hit; hit = hit->next)
      if (hit->hash == h && strcmp(hit->sql, sql) == 0) break;
  }
  if (hit && !hit->busy) {
    hit->busy = true;
    db->nBusy++;
    return hit;
  }
  st = db->drv->prepare(db, sql, e);
  if (!st) {
    doom(db, e);
    return NULL;
  }
  st->db = db;
  st->sql = xstrdup(sql);
  st->hash = h;
  st->busy = true;
  db->nBusy++;
  if (!hit && db->nStmt < STMT_CACHE_MAX) {
    /* Cache it. (When hit is busy the SQL is in use further up the stack,
    ** e.g. a nested loop over the same query: this copy is transient.) */
    if (db->nStmt >= db->nBucket) cache_grow(db);
    uint32_t b = h & (uint32_t)(db->nBucket - 1);
    st->cached = true;
    st->next = db->aBucket[b];
    db->aBucket[b] = st;
    db->nStmt++;
  } else {
    st->cached = false;
    st->next = db->pTransient;
    db->pTransient = st;
  }
  return st;
}

void stmt_done(Stmt *st) {
  if (!st) return;
  Db *db = st->db;
  db->drv->reset(st);
  if (st->busy) {
    st->busy = false;
    db->nBusy--;
  }
  if (st->cached) return;
  for (Stmt **pp = &db->pTransient; *pp; pp = &(*pp)->next) {
    if (*pp == st) {
      *pp = st->next;
      break;
    }
  }
  free(st->sql);
  db->drv->finalize(st);
}

int db_exec(Db *db, const char *sql, Err *e) {
  Err local = {0};
  if (!e) e = &local;
  if (db->drv->exec(db, sql, e) < 0) {
    doom(db, e);
    return -1;
  }
  return 0;
}

eDbKind db_kind(const Db *db) { return db->drv->kind; }

int64_t db_changes(Db *db) { return db->drv->changes(db); }

void stmt_bind_int(Stmt *st, int i, int64_t v) { st->db->drv->bindInt(st, i, v); }

void stmt_bind_text(Stmt *st, int i, const char *s) {
  if (s) st->db->drv->bindText(st, i, s, strlen(s));
  else st->db->drv->bindNull(st, i);
}

void stmt_bind_textn(Stmt *st, int i, const char *s, size_t n) {
  if (s) st->db->drv->bindText(st, i, s, n);
  else st->db->drv->bindNull(st, i);
}

void stmt_bind_null(Stmt *st, int i) { st->db->drv->bindNull(st, i); }

void stmt_bind_blob(Stmt *st, int i, const void *p, size_t n) {
  if (p) st->db->drv->bindBlob(st, i, p, n);
  else st->db->drv->bindNull(st, i);
}

int stmt_step(Stmt *st, Err *e) {
  Err local = {0};
  if (!e) e = &local;
  int rc = st->db->drv->step(st, e);
  if (rc < 0) doom(st->db, e);
  return rc;
}

int64_t stmt_int(Stmt *st, int col) { return st->db->drv->colInt(st, col); }
const char *stmt_text(Stmt *st, int col) { return st->db->drv->colText(st, col); }
bool stmt_null(Stmt *st, int col) { return st->db->drv->colNull(st, col); }
const void *stmt_blob(Stmt *st, int col, size_t *n) {
  size_t local;
  return st->db->drv->colBlob(st, col, n ? n : &local);
}
int stmt_columns(Stmt *st) { return st->db->drv->columns(st); }
const char *stmt_column_name(Stmt *st, int col) { return st->db->drv->columnName(st, col); }

int64_t db_run(Db *db, Err *e, const char *sql, const char *types, ...) {
  va_list ap;
  int64_t n = -1;
  int rc;
  Stmt *st = db_prepare(db, sql, e);
  if (!st) return -1;
  va_start(ap, types);
  for (int i = 0; types && types[i]; i++) {
    switch (types[i]) {
      case 'i': stmt_bind_int(st, i + 1, va_arg(ap, int64_t)); break;
      case 't': stmt_bind_text(st, i + 1, va_arg(ap, const char *)); break;
      case 'n': stmt_bind_null(st, i + 1); break;
      default: panic("db_run: bad type letter '%c' in \"%s\"", types[i], types);
    }
  }
  va_end(ap);
  while ((rc = stmt_step(st, e)) == 1) {}
  if (rc == 0) n = db_changes(db);
  stmt_done(st);
  return n;
}

void db_contains(Db *db, Buf *sql, const char *table, const char *col,
                 const char *needle, char **param) {
  db->drv->contains(sql, table, col, needle, param);
}

/* query_int() runs a query whose first row's first column is a
** non-negative integer and returns it (0 when there is no row), or -1 with
** *e set. */
static int64_t query_int(Db *db, const char *sql, Err *e) {
  int64_t v = -1;
  Stmt *st = db_prepare(db, sql, e);
  if (!st) return -1;
  int rc = stmt_step(st, e);
  if (rc == 1) v = stmt_int(st, 0);
  else if (rc == 0) v = 0;
  stmt_done(st);
  return v;
}

/* ---- the Store ---- */

/* reader_dtor() closes a thread's reader when the thread exits. */
static void reader_dtor(void *p) {
  Db *db = p;
  Store *s = db->store;
  pthread_mutex_lock(&s->mu);
  bool mine = db->registered;
  if (mine) {
    if (db->pRdPrev) db->pRdPrev->pRdNext = db->pRdNext;
    else s->pReaders = db->pRdNext;
    if (db->pRdNext) db->pRdNext->pRdPrev = db->pRdPrev;
    db->registered = false;
  }
  pthread_mutex_unlock(&s->mu);
  if (mine) db_free(db);
}

Db *store_reader(Store *s) {
  Err e = {0};
  Db *db = pthread_getspecific(s->key);
  if (!db) {
    db = db_new(s, true);
    pthread_mutex_lock(&s->mu);
    db->pRdNext = s->pReaders;
    if (s->pReaders) s->pReaders->pRdPrev = db;
    s->pReaders = db;
    db->registered = true;
    pthread_mutex_unlock(&s->mu);
    if (pthread_setspecific(s->key, db) != 0) panic("pthread_setspecific failed");
  }
  /* A failure is logged by the driver and reported again by the statements. */
  if (db->nBusy == 0) s->drv->connect(db, &e);
  return db;
}

void store_read_begin(Store *s) {
  if (!s) return; /* a server without a store (tests of the HTTP layer) */
  store_read_end(s);
  if (strcmp(s->drv->name, "sqlite") == 0) tlRead = s;
}

void store_read_end(Store *s) {
  if (!s) return;
  if (tlRead == s) tlRead = NULL;
  Db *db = pthread_getspecific(s->key);
  if (!db || !db->inRead) return;
  Err e = {0};
  db->inRead = false;
  if (tx_run(db, "COMMIT") != 0) s->drv->exec(db, "ROLLBACK", &e);
}


/* writer_begin() opens the writer's transaction, reconnecting first if the
** connection broke (a database server restart); retried once, since
** nothing has happened yet, unless the database said it is busy (SQLite
** has then already waited its busy_timeout). 0 or -1 with *e set. */
static int writer_begin(Store *s, Err *e) {
  const DbDriver *drv = s->drv;
  for (int attempt = 0; attempt < 2; attempt++) {
    if (drv->connect(s->wdb, e) == 0 && drv->exec(s->wdb, drv->beginSql, e) == 0) return 0;
    drv->rollback(s->wdb);
    if (e->kind == E_BUSY) break;
  }
  return -1;
}

/* run_batch() runs jobs[0..n) in one transaction on the writer's connection
** and commits it. Fills in each job's rc and err. Returns true when the
** transaction committed. */
static bool run_batch(Store *s, Job **jobs, int n, const char *precommit) {
  const DbDriver *drv = s->drv;
  Db *db = s->wdb;
  Err err = {0};
  bool broken = false;
  /* After job i: [it failed][it was the last]. */
  static const char *const next[2][2] = {
    {"RELEASE j; SAVEPOINT j", "RELEASE j"},
    {"ROLLBACK TO j; RELEASE j; SAVEPOINT j", "ROLLBACK TO j; RELEASE j"},
  };
  for (int i = 0; i < n; i++) {
    jobs[i]->rc = -1;
    store_err(&jobs[i]->err, "db.error"); /* until it has run */
  }
  if (writer_begin(s, &err) < 0) {
    log_warn("store: the writer cannot begin a transaction: %s", err.message_en);
    for (int i = 0; i < n; i++) {
      if (err.kind == E_BUSY) jobs[i]->err = err;
    }
    return false;
  }
  db->epoch++;
  /* Savepoint statements travel together: the end of one job's savepoint
  ** and the start of the next are one round trip to the server. */
  if (drv->exec(db, "SAVEPOINT j", &err) < 0) broken = true;
  for (int i = 0; i < n && !broken; i++) {
    Job *j = jobs[i];
    bool last = i == n - 1;
    err_clear(&j->err);
    db->inJob = true;
    db->doomed = false;
    int rc = j->fn(db, j->arg, &j->err);
    db->inJob = false;
    db_release_leaked(db);
    if (rc == 0 && db->doomed) {
      log_warn("store: a write job returned 0 after a statement failed (%s); "
               "rolling it back", db->doomErr.code);
      j->err = db->doomErr;
      rc = -1;
    }
    if (rc != 0) {
      rc = -1;
      if (j->err.kind == E_OK) {
        log_warn("store: a write job failed without saying why");
        store_err(&j->err, "db.error");
      }
    }
    j->rc = rc;
    if (rc < 0) db->epoch++; /* what it wrote is rolled back */
    if (drv->exec(db, next[rc < 0][last], &err) < 0) broken = true;
  }
  /* Work the schema asks to do once per transaction rather than once per
  ** row (SQLite indexes new rows for full-text search here, in one go). */
  if (!broken && precommit && drv->exec(db, precommit, &err) < 0) broken = true;
  if (!broken && drv->commit(db, &err) == 0) return true;
  log_warn("store: group commit of %d job(s) failed: %s (%s)", n, err.code,
           err.message_en);
  drv->rollback(db);
  for (int i = 0; i < n; i++) {
    if (jobs[i]->rc == 0) {
      jobs[i]->rc = -1;
      store_err(&jobs[i]->err, "db.commit");
    }
  }
  return false;
}

/* writer_main() is the writer thread: batches of waiting jobs, each batch
** one transaction, until store_close() and an empty queue. */
static void *writer_main(void *arg) {
  Store *s = arg;
  int cap = s->drv->batchMax;
  Job **batch = xmalloc((size_t)cap * sizeof *batch);
  pthread_setname_np(pthread_self(), "xq-writer");
  tlWriter = s;
  pthread_mutex_lock(&s->mu);
  for (;;) {
    while (!s->pHead && !s->stopping) pthread_cond_wait(&s->cvWork, &s->mu);
    if (!s->pHead) break; /* stopping, and every job is done */
    int n = 0;
    if (s->pHead->solo) {
      batch[n++] = s->pHead;
      s->pHead = s->pHead->next;
    } else {
      while (s->pHead && !s->pHead->solo && n < cap) {
        batch[n++] = s->pHead;
        s->pHead = s->pHead->next;
      }
    }
    if (!s->pHead) s->pTail = NULL;
    s->nQueue -= n;
    const char *precommit = s->precommit;
    pthread_mutex_unlock(&s->mu);

    bool committed = run_batch(s, batch, n, precommit);

    pthread_mutex_lock(&s->mu);
    if (committed) {
      s->nCommit++;
      s->nJob += n;
    }
    /* Signalled under mu: a caller cannot return (and free its Job) until
    ** the loop is over and mu released. */
    for (int i = 0; i < n; i++) {
      batch[i]->done = true;
      pthread_cond_signal(&batch[i]->cv);
    }
  }
  pthread_mutex_unlock(&s->mu);
  free(batch);
  return NULL;
}

/* job_queue() queues j for the writer (see store_write()); solo jobs get a
** transaction of their own. Returns 0, or -1 with *e set (queue full or
** the store closing), j not queued. */
static int job_queue(Store *s, Job *j, WriteFn fn, void *arg, bool solo, Err *e) {
  if (tlWriter == s)
    panic("store_write() called from inside a write job: nested writes would deadlock");
  store_read_end(s); /* what this thread reads next must see the write */
  memset(j, 0, sizeof *j);
  j->fn = fn;
  j->arg = arg;
  j->solo = solo;
  pthread_mutex_lock(&s->mu);
  if (s->stopping || s->nQueue >= s->queueMax) {
    pthread_mutex_unlock(&s->mu);
    return store_err(e, "db.busy");
  }
  pthread_cond_init(&j->cv, NULL);
  if (s->pTail) s->pTail->next = j;
  else s->pHead = j;
  s->pTail = j;
  s->nQueue++;
  s->nCaller++;
  pthread_cond_signal(&s->cvWork);
  pthread_mutex_unlock(&s->mu);
  return 0;
}

/* job_wait() waits until the writer has run the queued j and returns its
** result. */
static int job_wait(Store *s, Job *j, Err *e) {
  pthread_mutex_lock(&s->mu);
  while (!j->done) pthread_cond_wait(&j->cv, &s->mu);
  s->nCaller--;
  if (s->stopping && s->nCaller == 0) pthread_cond_broadcast(&s->cvDone);
  pthread_mutex_unlock(&s->mu);
  pthread_cond_destroy(&j->cv);
  if (j->rc < 0 && e) { /* the caller's list of every error stays the caller's */
    ErrList *all = e->all;
    *e = j->err;
    e->all = all;
  }
  return j->rc;
}

static int write_submit(Store *s, WriteFn fn, void *arg, bool solo, Err *e) {
  Job j;
  if (job_queue(s, &j, fn, arg, solo, e)) return -1;
  return job_wait(s, &j, e);
}

struct StoreTicket {
  Job job;
};

StoreTicket *store_write_start(Store *s, WriteFn fn, void *arg, Err *e) {
  StoreTicket *t = xmalloc(sizeof *t);
  if (job_queue(s, &t->job, fn, arg, false, e) == 0) return t;
  free(t);
  return NULL;
}

int store_write_finish(Store *s, StoreTicket *t, Err *e) {
  int rc = job_wait(s, &t->job, e);
  free(t);
  return rc;
}

int store_write(Store *s, WriteFn fn, void *arg, Err *e) {
  return write_submit(s, fn, arg, false, e);
}

void store_write_stats(Store *s, int64_t *commits, int64_t *jobs) {
  pthread_mutex_lock(&s->mu);
  if (commits) *commits = s->nCommit;
  if (jobs) *jobs = s->nJob;
  pthread_mutex_unlock(&s->mu);
}

void store_set_queue_max(Store *s, int n) {
  pthread_mutex_lock(&s->mu);
  s->queueMax = n;
  pthread_mutex_unlock(&s->mu);
}

int store_queue_len(Store *s) {
  pthread_mutex_lock(&s->mu);
  int n = s->nQueue;
  pthread_mutex_unlock(&s->mu);
  return n;
}

/* parse_url() chooses the driver for url and sets *target to what it opens
** (allocated). Returns 0, or -1 with *e set. */
static int parse_url(const char *url, const DbDriver **drv, char **target, Err *e) {
  if (strncmp(url, "sqlite:", 7) == 0) {
    const char *path = url + 7;
    if (strncmp(path, "//", 2) == 0) path += 2; /* also sqlite:///abs/path */
    if (!*path || strcmp(path, ":memory:") == 0)
      return err_set(e, E_INVALID, "db.open", NULL,
                     "SQLite 数据库地址应为 sqlite:文件路径",
                     "A SQLite database URL is sqlite:PATH (a file; not :memory:).");
    *drv = &sqliteDriver;
    *target = xstrdup(path);
    return 0;
  }
  if (strncmp(url, "postgresql://", 13) == 0 || strncmp(url, "postgres://", 11) == 0) {
    *drv = &pgDriver;
    *target = xstrdup(url);
    return 0;
  }
  return err_set(e, E_INVALID, "db.open", NULL,
                 "无法识别的数据库地址：应以 sqlite: 或 postgresql:// 开头",
                 "Unknown database URL: it must start with sqlite: or postgresql://.");
}

/* open_store() is store_open() and, with mustExist, store_open_existing()
** up to the schema check: the writer's connection is made with
** Db.mustExist (see store_int.h). */
static Store *open_store(const char *url, bool mustExist, Err *e) {
  const DbDriver *drv = NULL;
  char *target = NULL;
  Store *s = NULL;
  bool keyMade = false;
  if (parse_url(url, &drv, &target, e) < 0) goto fail;
  s = xcalloc(1, sizeof *s);
  static _Atomic int64_t nOpened;
  s->serial = ++nOpened;
  s->drv = drv;
  s->mustExist = mustExist;
  s->url = xstrdup(url);
  s->target = target;
  target = NULL;
  s->queueMax = QUEUE_MAX;
  pthread_mutex_init(&s->mu, NULL);
  pthread_cond_init(&s->cvWork, NULL);
  pthread_cond_init(&s->cvDone, NULL);
  if (pthread_key_create(&s->key, reader_dtor) != 0) {
    err_set(e, E_INTERNAL, "db.open", NULL, "线程资源不足", "Out of thread-local keys.");
    goto fail;
  }
  keyMade = true;
  s->wdb = db_new(s, false);
  if (drv->connect(s->wdb, e) < 0) goto fail;
  if (pthread_create(&s->writer, NULL, writer_main, s) != 0) {
    err_set(e, E_INTERNAL, "db.open", NULL, "无法启动数据库写线程",
            "Cannot start the database writer thread.");
    goto fail;
  }
  return s;

fail:
  free(target);
  if (s) {
    if (s->wdb) db_free(s->wdb);
    if (keyMade) pthread_key_delete(s->key);
    pthread_cond_destroy(&s->cvDone);
    pthread_cond_destroy(&s->cvWork);
    pthread_mutex_destroy(&s->mu);
    free(s->url);
    free(s->target);
    free(s);
  }
  return NULL;
}

Store *store_open(const char *url, Err *e) { return open_store(url, false, e); }

Store *store_open_existing(const char *url, Err *e) {
  Store *s = open_store(url, true, e);
  if (!s) return NULL;
  /* The SQLite driver has checked already; PostgreSQL is checked here. */
  int v = store_schema_version(s);
  if (v > 0) return s;
  store_close(s);
  if (v == 0) store_missing(e);
  else err_set(e, E_INTERNAL, "db.open", NULL, "无法读取数据库的表结构版本", "Cannot read the database's schema version.");
  return NULL;
}

void store_close(Store *s) {
  if (!s) return;
  if (tlWriter == s) panic("store_close() called from inside a write job");
  pthread_mutex_lock(&s->mu);
  s->stopping = true;
  pthread_cond_signal(&s->cvWork);
  pthread_mutex_unlock(&s->mu);
  pthread_join(s->writer, NULL);

  /* Wait for the callers of the last batches to leave store_write(). */
  pthread_mutex_lock(&s->mu);
  while (s->nCaller > 0) pthread_cond_wait(&s->cvDone, &s->mu);
  Db *readers = s->pReaders;
  s->pReaders = NULL;
  for (Db *db = readers; db; db = db->pRdNext) db->registered = false;
  pthread_mutex_unlock(&s->mu);

  /* Threads that still hold a reader will not run the destructor for it. */
  pthread_key_delete(s->key);
  while (readers) {
    Db *next = readers->pRdNext;
    db_free(readers);
    readers = next;
  }
  db_free(s->wdb);
  pthread_cond_destroy(&s->cvDone);
  pthread_cond_destroy(&s->cvWork);
  pthread_mutex_destroy(&s->mu);
  free(s->precommit);
  free(s->url);
  free(s->target);
  free(s);
}

eDbKind store_kind(const Store *s) { return s->drv->kind; }

const char *store_url(const Store *s) { return s->url; }

int store_backup(Store *s, const char *path, Err *e) {
  return s->drv->backup(store_reader(s), path, e);
}

/* ---- migrations ---- */

/* subst() appends sql to b with @ID@ and @BLOB@ replaced for drv. */
static void subst(Buf *b, const char *sql, const DbDriver *drv) {
  while (*sql) {
    if (strncmp(sql, "@ID@", 4) == 0) {
      buf_puts(b, drv->idType);
      sql += 4;
    } else if (strncmp(sql, "@BLOB@", 6) == 0) {
      buf_puts(b, drv->blobType);
      sql += 6;
    } else {
      buf_putc(b, *sql++);
    }
  }
}

/* migrate_job() is the write job that applies one migration, unless it is
** applied already (by us earlier, or by another server). */
static int migrate_job(Db *db, void *arg, Err *e) {
  const Migration *m = *(const Migration **)arg;
  const char *part = db->drv->migrationPart(m);
  Buf sql = {0};
  char ver[16];
  int rc = -1;
  int64_t have;
  snprintf(ver, sizeof ver, "%d", m->version);
  if (db->drv->lock(db, LOCK_MIGRATE, e) < 0) goto out;
  if (db_exec(db, "CREATE TABLE IF NOT EXISTS schema_migration (version INTEGER "
                  "PRIMARY KEY, name TEXT, applied_at BIGINT)", e) < 0)
    goto out;
  have = query_int(db, "SELECT COALESCE(MAX(version), 0) FROM schema_migration", e);
  if (have < 0) goto out;
  if (have >= m->version) {
    rc = 0;
    goto out;
  }
  if (have != m->version - 1) {
    err_setf(e, E_INTERNAL, "db.migrate", NULL, "数据库结构缺少第 %s 版之前的升级",
             "The schema lacks the migrations before version %s.", ver);
    goto out;
  }
  log_info("store: applying migration %d: %s", m->version, m->name);
  subst(&sql, m->sql, db->drv);
  if (part) subst(&sql, part, db->drv);
  if (db_exec(db, buf_cstr(&sql), e) < 0 ||
      db_run(db, e, "INSERT INTO schema_migration (version, name, applied_at) "
                    "VALUES (?, ?, ?)",
             "iti", (int64_t)m->version, m->name, now_ms()) < 0) {
    err_setf(e, E_INTERNAL, "db.migrate", NULL, "数据库结构升级失败（第 %s 版），详见服务日志",
             "Schema migration %s failed; see the server log.", ver);
    goto out;
  }
  rc = 0;
out:
  buf_free(&sql);
  return rc;
}

/* load_precommit() reads the table store_precommit (when the schema has
** one) into s->precommit, for the writer to run before each COMMIT. */
static int load_precommit(Store *s, Err *e) {
  Db *db = store_reader(s);
  Buf sql = {0};
  Stmt *st = db_prepare(db, s->drv->tableExistsSql, e);
  if (!st) return -1;
  stmt_bind_text(st, 1, "store_precommit");
  int rc = stmt_step(st, e);
  stmt_done(st);
  if (rc < 0) return -1;
  if (rc == 1) {
    st = db_prepare(db, "SELECT sql FROM store_precommit ORDER BY seq", e);
    if (!st) return -1;
    while ((rc = stmt_step(st, e)) == 1) buf_appendf(&sql, "%s;\n", stmt_text(st, 0));
    stmt_done(st);
    if (rc < 0) {
      buf_free(&sql);
      return -1;
    }
  }
  pthread_mutex_lock(&s->mu);
  free(s->precommit);
  s->precommit = sql.n ? buf_detach(&sql) : NULL;
  pthread_mutex_unlock(&s->mu);
  buf_free(&sql);
  return 0;
}

int store_migrate(Store *s, Err *e) { return store_migrate_to(s, INT_MAX, e); }

int store_migrate_to(Store *s, int upto, Err *e) {
  int have = store_schema_version(s);
  int newest = nMigration ? migrations[nMigration - 1].version : 0;
  for (int i = 0; i < nMigration; i++) {
    if (migrations[i].version != i + 1)
      panic("migrations[%d] has version %d: versions must run 1, 2, 3 … without gaps",
            i, migrations[i].version);
  }
  if (have > newest)
    log_warn("store: the database schema (version %d) is newer than this "
             "program's (%d)", have, newest);
  for (int i = 0; i < nMigration; i++) {
    const Migration *m = &migrations[i];
    if (have >= 0 && m->version <= have) continue;
    if (m->version > upto) break;
    if (write_submit(s, migrate_job, &m, true, e) < 0) return -1;
  }
  return load_precommit(s, e);
}

int store_schema_version(Store *s) {
  Err e = {0};
  Db *db = store_reader(s);
  int64_t v = -1;
  Stmt *st = db_prepare(db, s->drv->tableExistsSql, &e);
  if (!st) goto out;
  stmt_bind_text(st, 1, STORE_SCHEMA_TABLE);
  int rc = stmt_step(st, &e);
  stmt_done(st);
  if (rc < 0) goto out;
  v = rc == 0 ? 0 : query_int(db, "SELECT COALESCE(MAX(version), 0) FROM schema_migration", &e);
out:
  if (v < 0) log_warn("store: cannot read the schema version: %s", e.message_en);
  return (int)v;
}
