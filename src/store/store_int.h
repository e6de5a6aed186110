/*
** store_int.h — the private side of the store: the driver interface that
** sqlite.c and pg.c implement, and the parts of Db and Stmt that store.c owns.
** Only the store's own files (and its unit test) include this header.
**
** A driver allocates its own connection and statement structs with Db / Stmt
** as their first member and fills in a DbDriver table of functions. store.c
** chooses the driver from the URL and from then on only calls through the
** table, so it never asks which database it is talking to. store.c keeps
** what both drivers share: the per-connection statement cache (keyed by SQL
** text), the reader registry, the writer and its group commit, the
** migration runner and db_run().
*/
#ifndef XINQU_STORE_INT_H
#define XINQU_STORE_INT_H

#include "store.h"
#include "migrations.h"

/* The table the migration runner keeps its versions in: a database holds
** a schema of xinqu's when it has this table. */
#define STORE_SCHEMA_TABLE "schema_migration"

/* One connection's share that store.c manages. */
struct Db {
  const struct DbDriver *drv; /* the driver that made this connection */
  Store *store;               /* the Store it belongs to */
  bool reader;                /* a store_reader() connection (read only) */
  bool mustExist;             /* connect only to a database that already holds
                                 STORE_SCHEMA_TABLE, and change nothing (SQLite:
                                 no file made, no switch to WAL) until it is
                                 found to: the writer of store_open_existing() */
  /* Statement cache: chained hash table of idle-or-busy cached statements. */
  Stmt **aBucket;             /* nBucket chains, linked through Stmt.next */
  int nBucket;                /* a power of two, or 0 before the first prepare */
  int nStmt;                  /* cached statements */
  int nBusy;                  /* statements handed out and not yet stmt_done() */
  Stmt *pTransient;           /* busy uncached statements, linked through next */
  /* Write jobs: a failing statement dooms the job it runs in. */
  bool inJob;                 /* the writer is running a job on this connection */
  bool inRead;                /* a reader in a request's read transaction (store_read_begin()) */
  int64_t epoch;              /* db_epoch(): moves on at each transaction begun and each job rolled back */
  bool doomed;                /* a statement of the current job failed */
  Err doomErr;                /* the first such failure */
  /* The Store's registry of readers (doubly linked, guarded by the Store's mutex). */
  Db *pRdNext;
  Db *pRdPrev;
  bool registered;            /* linked into the registry */
};

/* One statement's share that store.c manages. */
struct Stmt {
  Db *db;          /* its connection */
  char *sql;       /* the SQL text as given to db_prepare() (owned) */
  uint32_t hash;   /* hash of sql */
  bool cached;     /* lives in db's cache; otherwise freed by stmt_done() */
  bool busy;       /* handed out by db_prepare(), not yet stmt_done() */
  Stmt *next;      /* hash chain (cached) or transient list */
};

/*
** The driver interface. Unless said otherwise a function reports failure by
** returning -1 (or NULL) with *e set through store_err() / err_set(); e is
** never NULL when store.c calls.
*/
/* The advisory lock every PostgreSQL writer transaction holds from its
** BEGIN (see beginSql below): the database's write lock. */
#define STORE_LOCK_WRITER "727001"

/* store_missing() sets *e to db.missing: the database does not exist or
** holds no STORE_SCHEMA_TABLE (see store_open_existing()). Returns -1. */
int store_missing(Err *e);

typedef struct DbDriver {
  eDbKind kind;
  const char *name;          /* "sqlite", "postgresql" (for log lines) */
  int batchMax;              /* most jobs in one group commit */
  const char *idType;        /* what @ID@ becomes in migrations */
  const char *blobType;      /* what @BLOB@ becomes */
  /* beginSql is how the writer opens its transaction. It must exclude
  ** every other writer on the database (other servers' too) until the
  ** transaction ends, as SQLite's BEGIN IMMEDIATE does: every job appends
  ** to one audit hash chain, so writes are serial anyway, and a writer that
  ** holds the database's write lock from its first statement never waits
  ** for a row another server's writer holds while holding one itself (no
  ** deadlock), and each job reads what the last commit left. */
  const char *beginSql;      /* PostgreSQL: takes STORE_LOCK_WRITER */
  /* SQL with one '?' (a table name) returning a row when the table exists
  ** where an unqualified CREATE TABLE would put it. */
  const char *tableExistsSql;

  /* open() allocates a connection to target (the SQLite path or the libpq
  ** URI) without connecting. Never NULL. */
  Db *(*open)(const char *target, bool reader);
  /* connect() makes sure the connection is usable: connects the first time,
  ** reconnects a broken one. Cheap when all is well. Never called while a
  ** transaction is open. Error code "db.open". */
  int (*connect)(Db *db, Err *e);
  /* close() closes and frees a connection whose statements are all freed. */
  void (*close)(Db *db);
  /* exec() runs SQL text without parameters, several statements allowed. */
  int (*exec)(Db *db, const char *sql, Err *e);
  /* prepare() allocates a statement for sql ('?' placeholders); store.c
  ** fills in the Stmt members. */
  Stmt *(*prepare)(Db *db, const char *sql, Err *e);
  /* finalize() frees a statement (store.c has freed st->sql). */
  void (*finalize)(Stmt *st);
  /* reset() makes st ready to run again and clears its bindings. */
  void (*reset)(Stmt *st);
  void (*bindInt)(Stmt *st, int i, int64_t v);
  void (*bindText)(Stmt *st, int i, const char *s, size_t n); /* s != NULL */
  void (*bindNull)(Stmt *st, int i);
  void (*bindBlob)(Stmt *st, int i, const void *p, size_t n); /* p != NULL */
  /* step(): 1 a row is ready, 0 done, -1 error. */
  int (*step)(Stmt *st, Err *e);
  int64_t (*colInt)(Stmt *st, int col);
  const char *(*colText)(Stmt *st, int col);
  bool (*colNull)(Stmt *st, int col);
  /* colBlob(): see stmt_blob(); SQL NULL is NULL with *n = 0. */
  const void *(*colBlob)(Stmt *st, int col, size_t *n);
  int (*columns)(Stmt *st);
  const char *(*columnName)(Stmt *st, int col);
  int64_t (*changes)(Db *db);
  /* commit() ends the writer's transaction; fails if it did not commit. */
  int (*commit)(Db *db, Err *e);
  /* rollback() rolls back the open transaction, if any. Never fails. */
  void (*rollback)(Db *db);
  /* lock() takes a transaction-scoped lock named key that excludes the
  ** writers of other servers (a no-op where the transaction already does). */
  int (*lock)(Db *db, int64_t key, Err *e);
  /* contains(): see db_contains() in store.h. */
  void (*contains)(Buf *sql, const char *table, const char *col,
                   const char *needle, char **param);
  /* migrationPart() is the part of m for this backend only, or NULL. */
  const char *(*migrationPart)(const Migration *m);
  /* backup(): see store_backup(); src is the calling thread's reader. */
  int (*backup)(Db *src, const char *path, Err *e);
} DbDriver;

extern const DbDriver sqliteDriver;
extern const DbDriver pgDriver;

/*
** store_err() fills *e with one of the store's generic failures, whose
** messages never carry SQL or driver text (the driver logs those):
**   "db.unique"     E_CONFLICT  a UNIQUE or PRIMARY KEY constraint
**   "db.constraint" E_INVALID   a foreign key, CHECK or NOT NULL constraint
**   "db.busy"       E_BUSY      try again (retry_after 1)
**   "db.commit"     E_INTERNAL  the group's commit failed
**   "db.open"       E_INTERNAL  cannot connect / open the database
**   anything else   E_INTERNAL  "db.error"
** Returns -1.
*/
int store_err(Err *e, const char *code);

/* Test hooks (used by tests/unit/test_store.c only). */
/* store_set_queue_max() changes the bound of the writer's queue. */
void store_set_queue_max(Store *s, int n);
/* store_queue_len() is the number of jobs waiting for the writer. */
int store_queue_len(Store *s);

/* sqlite_wal_vfs() registers (once) the VFS that gathers WAL writes into one
** write per sync (sqlite_vfs.c) and returns its name, or NULL when SQLite's
** default VFS cannot carry it. */
const char *sqlite_wal_vfs(void);

#endif
