/*
** store.h — the one storage interface of xinqu, with two drivers: SQLite
** (one file, WAL, foreign keys on, synchronous=FULL) and PostgreSQL (libpq).
** Domain modules write SQL once, with '?' placeholders, in the subset both
** dialects share (INSERT … RETURNING, ON CONFLICT, LIMIT/OFFSET); where the
** dialects differ the store offers the difference as one function here.
**
** Threads. A Store is shared by all threads. Reads use store_reader(), a
** connection owned by the calling thread (opened on first use), so reads run
** in parallel. Writes go through store_write(): every thread's write jobs meet
** in one writer thread, which runs the jobs that are waiting as one
** transaction (each job inside its own SAVEPOINT, so one failing job rolls
** back alone) and commits them together (group commit). store_write() returns
** only after that commit is durable on disk. Of several servers on one
** database only one writes at a time: the writer's transaction holds the
** database's write lock from its BEGIN (SQLite's BEGIN IMMEDIATE; an
** advisory lock on PostgreSQL), so a job reads what the last commit of any
** server left, and no two servers' writers wait for each other's rows.
**
** Values. Integers are int64 (money in fen, instants in ms since the epoch
** UTC); text is UTF-8; dates are 'YYYY-MM-DD' text.
*/
#ifndef XINQU_STORE_H
#define XINQU_STORE_H

#include "../base/base.h"
#include "../base/buf.h"

typedef struct Store Store; /* an open database: connections + writer */
typedef struct Db Db;       /* one connection, used by one thread at a time */
typedef struct Stmt Stmt;   /* a prepared statement of one Db */

typedef enum eDbKind { DB_SQLITE = 1, DB_PG = 2 } eDbKind;

/* store_open() opens url: "sqlite:PATH" (the file is created if missing) or
** "postgresql://…"/"postgres://…" (a libpq URI). Starts the writer thread.
** Returns NULL with *e set (code "db.open") on failure. */
Store *store_open(const char *url, Err *e);
/* store_open_existing() is store_open() for a database that must already
** hold a schema (one that store_migrate() has run on): a SQLite file that
** is missing is not created, and neither a SQLite file nor a PostgreSQL
** database without the schema is changed. Returns NULL with *e set: code
** "db.missing" when the database does not exist or has no schema, else as
** store_open(). */
Store *store_open_existing(const char *url, Err *e);
/* store_close() stops the writer after it has finished every queued job,
** closes all connections and frees the Store. Call it when no other thread
** uses the Store any more (threads may live on, but not while they exit). */
void store_close(Store *s);
eDbKind store_kind(const Store *s);
const char *store_url(const Store *s);

/* store_migrate() brings the schema forward to the newest version, each
** migration in its own transaction. Returns 0, or -1 with *e set. */
int store_migrate(Store *s, Err *e);
/* store_migrate_to() is store_migrate() that stops after version upto: a
** schema as an older release left it, for tests of what a later
** migration does to the rows it finds. */
int store_migrate_to(Store *s, int upto, Err *e);
/* store_schema_version() is the newest migration applied (0 for none, -1
** when the database cannot be read). */
int store_schema_version(Store *s);

/* store_reader() is the calling thread's read connection (autocommit, each
** statement sees the latest commit). Never NULL: a connection failure is
** reported by the statements that use it. It is read-only: a write through
** it fails (writes go through store_write()). */
Db *store_reader(Store *s);

/* A write job: runs inside the writer's transaction on db. Returns 0 to
** keep its changes, or -1 with *e set to roll them back (only its own).
** A statement that fails inside a job dooms the job: PostgreSQL aborts the
** transaction at the first error, and the store makes SQLite do the same,
** so the job is rolled back and store_write() returns that statement's
** error even if fn returns 0 (use ON CONFLICT to tolerate a duplicate).
** A job must not call store_write() (the store panics rather than
** deadlock), and must not leave deferred constraints unmet: a commit that
** fails fails every job of the group with "db.commit". */
typedef int (*WriteFn)(Db *db, void *arg, Err *e);
/* store_write() runs fn(db, arg, e) in the writer thread as part of the
** next group commit and waits until that commit is durable. Returns 0, or -1
** with *e set: by fn, or "db.commit" when the commit itself failed, or
** "db.busy" (E_BUSY) when the writer's queue is full (or the store is
** closing), or "db.error" when the database cannot be reached. */
int store_write(Store *s, WriteFn fn, void *arg, Err *e);
/* store_write_start() queues fn like store_write() but returns at once, so
** the caller can prepare its next job while this one is written; the
** answer comes from store_write_finish(), which must be called exactly once
** (arg must live until then). store_write_start() returns NULL with *e set
** when the job could not be queued. */
typedef struct StoreTicket StoreTicket;
StoreTicket *store_write_start(Store *s, WriteFn fn, void *arg, Err *e);
int store_write_finish(Store *s, StoreTicket *t, Err *e);
/* Counters since open: transactions committed and jobs in them. */
void store_write_stats(Store *s, int64_t *commits, int64_t *jobs);
/* store_read_begin() makes what this thread reads from its reader until
** store_read_end() one transaction: a request's reads (its session, then
** what its handler reads) see one snapshot, and SQLite takes and drops its
** read locks once instead of at every statement. A write from this thread
** (store_write(), store_write_start()) ends it first, so the thread reads
** its own writes. Nothing on PostgreSQL, where BEGIN and COMMIT would be
** two more round trips. Neither fails: a transaction that cannot be begun
** leaves each statement its own, as without it. */
void store_read_begin(Store *s);
void store_read_end(Store *s); /* both do nothing on a NULL store */

/* store_statements() is how many SQL statements the process has run
** through db_prepare() (every connection, every thread; transaction control
** and db_exec() not counted): what one request costs in statements is the
** difference across it on an otherwise quiet server. */
int64_t store_statements(void);
/* store_scan_steps() is how many rows SQLite statements have stepped
** through in full scans of a table (SQLITE_STMTSTATUS_FULLSCAN_STEP; 0 on
** PostgreSQL): a query that misses its index shows here, where its cost
** would only show as time. store_scan_count() adds n to it (the driver). */
int64_t store_scan_steps(void);
void store_scan_count(int64_t n);

/* db_epoch() names, inside a write job, what the job's transaction has seen
** so far: it moves on at each transaction the writer begins and each job it
** rolls back, so what a job read and kept under the same epoch is still
** there (the audit chain's tip). 0 outside a write job: nothing may be kept. */
int64_t db_epoch(const Db *db);

/* db_store_serial() names the Store db belongs to, never reused in the
** process (1 for the first opened): the key of what a module keeps per
** database in memory. */
int64_t db_store_serial(const Db *db);

/* db_exec() runs SQL text with no parameters (several statements allowed).
** Returns 0, or -1 with *e set. */
int db_exec(Db *db, const char *sql, Err *e);
/* db_prepare() returns a prepared statement for sql, with '?' placeholders
** (the PostgreSQL driver rewrites them to $1…$n; a '?' inside quotes or a
** comment is not one, and PostgreSQL's jsonb '?' operators cannot be used).
** One statement per call. Statements are cached per connection by their
** text, so preparing the same SQL again is cheap. Call stmt_done() when
** finished with it. Returns NULL with *e set on error (PostgreSQL reports
** SQL errors at the first stmt_step() instead).
** Types on PostgreSQL: an int64 binds as bigint, text and NULL untyped, so
** the server takes the type from the context; where the context says
** nothing (`? IS NULL`) write CAST(? AS TEXT) or CAST(? AS BIGINT). */
Stmt *db_prepare(Db *db, const char *sql, Err *e);
eDbKind db_kind(const Db *db);
/* db_changes() is the rows changed by the last INSERT/UPDATE/DELETE. */
int64_t db_changes(Db *db);

/* Parameters are numbered from 1. Text is copied; NULL text binds NULL. */
void stmt_bind_int(Stmt *st, int i, int64_t v);
void stmt_bind_text(Stmt *st, int i, const char *s);
void stmt_bind_textn(Stmt *st, int i, const char *s, size_t n);
void stmt_bind_null(Stmt *st, int i);
/* stmt_bind_blob() binds the n bytes at p (copied; NUL bytes allowed) as a
** BLOB (SQLite) or bytea (PostgreSQL); p NULL binds NULL. */
void stmt_bind_blob(Stmt *st, int i, const void *p, size_t n);
/* stmt_step() returns 1 when a row is ready, 0 when done, -1 on error with
** *e set; a UNIQUE/PRIMARY KEY violation is E_CONFLICT "db.unique", a
** foreign-key or CHECK violation E_INVALID "db.constraint", anything else
** E_INTERNAL "db.error". */
int stmt_step(Stmt *st, Err *e);
/* Columns are numbered from 0 and valid until the next step or done; ask
** for them after a stmt_step() that returned 1 (PostgreSQL knows the result's
** columns only once it has run). A boolean reads as 1/0 with stmt_int(). */
int64_t stmt_int(Stmt *st, int col);
const char *stmt_text(Stmt *st, int col); /* NULL for SQL NULL */
/* stmt_blob() is the bytes of a BLOB/bytea column with their count in *n:
** NULL (and *n = 0) for SQL NULL, a non-NULL pointer otherwise, also for an
** empty value. Valid until the next step or done, like stmt_text(). */
const void *stmt_blob(Stmt *st, int col, size_t *n);
bool stmt_null(Stmt *st, int col);
int stmt_columns(Stmt *st);
const char *stmt_column_name(Stmt *st, int col);
/* stmt_done() resets the statement and clears its bindings for reuse. */
void stmt_done(Stmt *st);

/*
** db_run() prepares sql, binds the arguments described by types, steps it
** to completion and returns the number of rows changed, or -1 with *e set.
** types has one letter per '?': 'i' int64_t, 't' const char * (NULL binds
** NULL), 'n' no argument, binds NULL. Pass int64_t for 'i' (cast literals).
*/
int64_t db_run(Db *db, Err *e, const char *sql, const char *types, ...);

/*
** db_contains() appends to sql a boolean SQL expression, with exactly one
** '?' placeholder, that is true when column col of table contains needle as
** a substring; *param receives the value to bind there (free() it). It uses
** the dialect's index: an FTS5 trigram table named TABLE_fts on SQLite
** (when needle has 3 or more characters; instr() otherwise) and a pg_trgm
** index through ILIKE on PostgreSQL. The case of letters is ignored on both.
** table and col are SQL names from the code, never user input.
*/
void db_contains(Db *db, Buf *sql, const char *table, const char *col,
                 const char *needle, char **param);

/* store_backup() copies a SQLite database, online and consistent, to path
** (SQLite backup API). For PostgreSQL it fails with E_INVALID
** "backup.use_pg_dump". Returns 0 or -1 with *e set. */
int store_backup(Store *s, const char *path, Err *e);

#endif
