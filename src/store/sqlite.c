/*
** sqlite.c — the SQLite driver of the store (see store_int.h). One
** connection per thread (opened without SQLite's own mutex), in WAL mode so
** readers never wait for the writer, synchronous=FULL so a commit is on disk
** when it returns, foreign keys on. Reader connections are query_only: a
** write that bypasses the writer is a bug and fails loudly.
*/
#include "store_int.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

typedef struct SqlDb {
  Db base;       /* must be first */
  sqlite3 *h;    /* NULL until connected */
  char *path;    /* the database file */
} SqlDb;

typedef struct SqlStmt {
  Stmt base;          /* must be first */
  sqlite3_stmt *st;   /* the prepared statement */
  int nParam;         /* its '?' count */
} SqlStmt;

/* fail() turns SQLite result code rc on h into *e; unexpected failures are
** logged with SQLite's message (and the SQL, when known). Returns -1. */
static int fail(sqlite3 *h, int rc, const char *sql, Err *e) {
  switch (rc & 0xff) {
    case SQLITE_CONSTRAINT:
      if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY ||
          rc == SQLITE_CONSTRAINT_ROWID)
        return store_err(e, "db.unique");
      return store_err(e, "db.constraint");
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      log_warn("sqlite: %s (%d)%s%s", h ? sqlite3_errmsg(h) : sqlite3_errstr(rc), rc,
               sql ? " in: " : "", sql ? sql : "");
      return store_err(e, "db.busy");
    default:
      log_warn("sqlite: %s (%d)%s%s", h ? sqlite3_errmsg(h) : sqlite3_errstr(rc), rc,
               sql ? " in: " : "", sql ? sql : "");
      return store_err(e, "db.error");
  }
}

/* not_open() is the failure of a statement on a connection that could not
** be opened. */
static int not_open(SqlDb *d, Err *e) {
  log_warn("sqlite: %s is not open", d->path);
  return store_err(e, "db.error");
}

static Db *sq_open(const char *target, bool reader) {
  SqlDb *d = xcalloc(1, sizeof *d);
  (void)reader;
  d->path = xstrdup(target);
  return &d->base;
}

/* pragma_text() runs a PRAGMA that returns one text value into out. */
static int pragma_text(sqlite3 *h, const char *sql, char *out, size_t n) {
  sqlite3_stmt *st = NULL;
  int rc = sqlite3_prepare_v2(h, sql, -1, &st, NULL);
  out[0] = 0;
  if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
    const unsigned char *t = sqlite3_column_text(st, 0);
    if (t) {
      strncpy(out, (const char *)t, n - 1);
      out[n - 1] = 0;
    }
    rc = SQLITE_OK;
  } else if (rc == SQLITE_DONE) {
    rc = SQLITE_OK;
  }
  sqlite3_finalize(st);
  return rc;
}

/* Once per process, before the first connection: no global memory
** statistics, which cost a mutex on every SQLite allocation, and the VFS
** that writes a commit's WAL frames in one go (sqlite_vfs.c). */
static const char *walVfsName;

static void sq_configure(void) {
  if (sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) != SQLITE_OK)
    log_warn("sqlite: could not turn memory statistics off");
  if (!(walVfsName = sqlite_wal_vfs())) log_warn("sqlite: the WAL write layer is not available");
}

static int sq_connect(Db *db, Err *e) {
  static pthread_once_t once = PTHREAD_ONCE_INIT;
  SqlDb *d = (SqlDb *)db;
  sqlite3 *h = NULL;
  char mode[16];
  int rc;
  if (d->h) return 0;
  pthread_once(&once, sq_configure);
  rc = sqlite3_open_v2(d->path, &h,
                       SQLITE_OPEN_READWRITE | (db->mustExist ? 0 : SQLITE_OPEN_CREATE) |
                           SQLITE_OPEN_NOMUTEX,
                       walVfsName);
  if (rc != SQLITE_OK && db->mustExist && access(d->path, F_OK) != 0) {
    sqlite3_close_v2(h);
    return store_missing(e);
  }
  if (rc != SQLITE_OK) goto fail;
  sqlite3_extended_result_codes(h, 1);
  /* Before anything that writes (the switch to WAL writes even an empty
  ** file): a database that must exist holds the schema table. */
  if (db->mustExist) {
    sqlite3_stmt *st = NULL;
    rc = sqlite3_prepare_v2(h, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '" STORE_SCHEMA_TABLE "'",
                            -1, &st, NULL);
    if (rc == SQLITE_OK) rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc == SQLITE_DONE) {
      sqlite3_close_v2(h);
      return store_missing(e);
    }
    if (rc != SQLITE_ROW) goto fail;
  }
  /* busy_timeout first: switching to WAL needs a lock another process may hold. */
  rc = sqlite3_exec(h, "PRAGMA busy_timeout=10000", NULL, NULL, NULL);
  if (rc != SQLITE_OK) goto fail;
  rc = pragma_text(h, "PRAGMA journal_mode=WAL", mode, sizeof mode);
  if (rc != SQLITE_OK) goto fail;
  if (strcmp(mode, "wal") != 0) {
    log_warn("sqlite: %s: cannot use WAL mode (journal_mode is '%s')", d->path, mode);
    rc = SQLITE_CANTOPEN;
    goto fail;
  }
  rc = sqlite3_exec(h, "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON", NULL, NULL, NULL);
  if (rc != SQLITE_OK) goto fail;
  if (db->reader && (rc = sqlite3_exec(h, "PRAGMA query_only=1; PRAGMA cache_size=-512", NULL, NULL, NULL)) != SQLITE_OK)
    goto fail;
  /* The writer keeps a larger page cache (filled only as pages are used), so
  ** a large batch — an import — does not spill to the WAL before it commits,
  ** and its statement journals (every INSERT that fires the FTS trigger inside
  ** a job's SAVEPOINT needs one) in memory instead of a temporary file: that
  ** took ten pwrite() calls per imported row. */
  if (!db->reader && (rc = sqlite3_exec(h, "PRAGMA cache_size=-8192; PRAGMA temp_store=MEMORY", NULL, NULL, NULL)) != SQLITE_OK)
    goto fail;
  d->h = h;
  return 0;

fail:
  log_warn("sqlite: cannot open %s: %s", d->path, h ? sqlite3_errmsg(h) : sqlite3_errstr(rc));
  err_setf(e, E_INTERNAL, "db.open", NULL, "无法打开 SQLite 数据库：%s",
           "Cannot open the SQLite database: %s",
           h ? sqlite3_errmsg(h) : sqlite3_errstr(rc));
  sqlite3_close_v2(h);
  return -1;
}

static void sq_close(Db *db) {
  SqlDb *d = (SqlDb *)db;
  if (d->h && sqlite3_close_v2(d->h) != SQLITE_OK)
    log_warn("sqlite: closing %s: %s", d->path, sqlite3_errmsg(d->h));
  free(d->path);
  free(d);
}

static int sq_exec(Db *db, const char *sql, Err *e) {
  SqlDb *d = (SqlDb *)db;
  if (!d->h) return not_open(d, e);
  int rc = sqlite3_exec(d->h, sql, NULL, NULL, NULL);
  if (rc != SQLITE_OK) return fail(d->h, sqlite3_extended_errcode(d->h), sql, e);
  return 0;
}

static Stmt *sq_prepare(Db *db, const char *sql, Err *e) {
  SqlDb *d = (SqlDb *)db;
  sqlite3_stmt *st = NULL;
  const char *tail = NULL;
  if (!d->h) {
    not_open(d, e);
    return NULL;
  }
  int rc = sqlite3_prepare_v3(d->h, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, &tail);
  if (rc != SQLITE_OK) {
    fail(d->h, rc, sql, e);
    return NULL;
  }
  if (!st) {
    log_warn("sqlite: empty statement: \"%s\"", sql);
    store_err(e, "db.error");
    return NULL;
  }
  /* One statement only: what follows must be blank (or ';' and comments). */
  if (tail && *tail) {
    sqlite3_stmt *extra = NULL;
    if (sqlite3_prepare_v2(d->h, tail, -1, &extra, NULL) != SQLITE_OK || extra) {
      sqlite3_finalize(extra);
      sqlite3_finalize(st);
      log_warn("sqlite: db_prepare() takes one statement: \"%s\"", sql);
      store_err(e, "db.error");
      return NULL;
    }
  }
  SqlStmt *s = xcalloc(1, sizeof *s);
  s->st = st;
  s->nParam = sqlite3_bind_parameter_count(st);
  return &s->base;
}

static void sq_finalize(Stmt *st) {
  SqlStmt *s = (SqlStmt *)st;
  sqlite3_finalize(s->st);
  free(s);
}

static void sq_reset(Stmt *st) {
  SqlStmt *s = (SqlStmt *)st;
  int scanned = sqlite3_stmt_status(s->st, SQLITE_STMTSTATUS_FULLSCAN_STEP, 1);
  if (scanned) store_scan_count(scanned);
  sqlite3_reset(s->st);
  sqlite3_clear_bindings(s->st);
}

/* bad_param() checks a parameter number; a wrong one is a programming error
** (debug builds panic; release builds leave the parameter unbound). */
static bool bad_param(SqlStmt *s, int i) {
  if (NEVER(i < 1 || i > s->nParam)) {
    log_warn("sqlite: parameter %d out of range in \"%s\"", i, s->base.sql);
    return true;
  }
  return false;
}

static void sq_bind_int(Stmt *st, int i, int64_t v) {
  SqlStmt *s = (SqlStmt *)st;
  if (!bad_param(s, i)) sqlite3_bind_int64(s->st, i, v);
}

static void sq_bind_text(Stmt *st, int i, const char *t, size_t n) {
  SqlStmt *s = (SqlStmt *)st;
  if (!bad_param(s, i)) sqlite3_bind_text64(s->st, i, t, n, SQLITE_TRANSIENT, SQLITE_UTF8);
}

static void sq_bind_null(Stmt *st, int i) {
  SqlStmt *s = (SqlStmt *)st;
  if (!bad_param(s, i)) sqlite3_bind_null(s->st, i);
}

static void sq_bind_blob(Stmt *st, int i, const void *p, size_t n) {
  SqlStmt *s = (SqlStmt *)st;
  if (!bad_param(s, i)) sqlite3_bind_blob64(s->st, i, p, n, SQLITE_TRANSIENT);
}

static int sq_step(Stmt *st, Err *e) {
  SqlStmt *s = (SqlStmt *)st;
  int rc = sqlite3_step(s->st);
  if (rc == SQLITE_ROW) return 1;
  if (rc == SQLITE_DONE) return 0;
  return fail(sqlite3_db_handle(s->st), rc, st->sql, e);
}

static int64_t sq_col_int(Stmt *st, int col) {
  return sqlite3_column_int64(((SqlStmt *)st)->st, col);
}

static const char *sq_col_text(Stmt *st, int col) {
  return (const char *)sqlite3_column_text(((SqlStmt *)st)->st, col);
}

static bool sq_col_null(Stmt *st, int col) {
  return sqlite3_column_type(((SqlStmt *)st)->st, col) == SQLITE_NULL;
}

/* sq_col_blob(): SQLite gives NULL for an empty BLOB as well as for SQL
** NULL, so the column's type tells them apart. */
static const void *sq_col_blob(Stmt *st, int col, size_t *n) {
  sqlite3_stmt *s = ((SqlStmt *)st)->st;
  const void *p = sqlite3_column_blob(s, col);
  *n = (size_t)sqlite3_column_bytes(s, col);
  if (p) return p;
  *n = 0;
  return sqlite3_column_type(s, col) == SQLITE_NULL ? NULL : "";
}

static int sq_columns(Stmt *st) { return sqlite3_column_count(((SqlStmt *)st)->st); }

static const char *sq_column_name(Stmt *st, int col) {
  return sqlite3_column_name(((SqlStmt *)st)->st, col);
}

static int64_t sq_changes(Db *db) {
  SqlDb *d = (SqlDb *)db;
  return d->h ? sqlite3_changes64(d->h) : 0;
}

static int sq_commit(Db *db, Err *e) { return sq_exec(db, "COMMIT", e); }

static void sq_rollback(Db *db) {
  SqlDb *d = (SqlDb *)db;
  if (d->h && !sqlite3_get_autocommit(d->h) &&
      sqlite3_exec(d->h, "ROLLBACK", NULL, NULL, NULL) != SQLITE_OK)
    log_warn("sqlite: ROLLBACK failed: %s", sqlite3_errmsg(d->h));
}

/* The writer's BEGIN IMMEDIATE already excludes every other writer. */
static int sq_lock(Db *db, int64_t key, Err *e) {
  (void)db;
  (void)key;
  (void)e;
  return 0;
}

/*
** Substring search: the FTS5 trigram index TABLE_fts (external content on
** TABLE's rowid) for needles of three characters or more, quoted as one
** FTS5 string so no character of the needle is FTS syntax; shorter needles
** have no trigram and fall back to instr() on lower-cased text (the trigram
** tokenizer, too, ignores the case of letters).
*/
static void sq_contains(Buf *sql, const char *table, const char *col,
                        const char *needle, char **param) {
  if (utf8_len(needle) >= 3) {
    Buf q = {0};
    buf_putc(&q, '"');
    for (const char *p = needle; *p; p++) {
      if (*p == '"') buf_putc(&q, '"');
      buf_putc(&q, *p);
    }
    buf_putc(&q, '"');
    buf_appendf(sql, "%s.rowid IN (SELECT rowid FROM %s_fts WHERE %s_fts.%s MATCH ?)",
                table, table, table, col);
    *param = buf_detach(&q);
  } else {
    buf_appendf(sql, "instr(lower(%s.%s), lower(?)) > 0", table, col);
    *param = xstrdup(needle);
  }
}

static const char *sq_migration_part(const Migration *m) { return m->sqlite; }

static int sq_backup(Db *src, const char *path, Err *e) {
  SqlDb *d = (SqlDb *)src;
  sqlite3 *dest = NULL;
  sqlite3_backup *b = NULL;
  int rc, tries = 0;
  int ret = -1;
  if (!d->h) return not_open(d, e);
  rc = sqlite3_open_v2(path, &dest, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
  if (rc != SQLITE_OK) goto out;
  sqlite3_busy_timeout(dest, 10000);
  b = sqlite3_backup_init(dest, "main", d->h, "main");
  if (!b) {
    rc = sqlite3_errcode(dest);
    goto out;
  }
  /* Copy in one step (one consistent read of the source); retry while busy. */
  while ((rc = sqlite3_backup_step(b, -1)) == SQLITE_BUSY || rc == SQLITE_LOCKED) {
    if (++tries > 1000) break;
    struct timespec ts = {0, 10 * 1000 * 1000};
    nanosleep(&ts, NULL);
  }
  int frc = sqlite3_backup_finish(b);
  b = NULL;
  if (rc != SQLITE_DONE) goto out;
  rc = frc;
  if (rc != SQLITE_OK) goto out;
  ret = 0;
out:
  if (ret < 0) {
    const char *why = dest ? sqlite3_errmsg(dest) : sqlite3_errstr(rc);
    log_warn("sqlite: backup to %s failed: %s (%d)", path, why, rc);
    err_setf(e, E_INTERNAL, "backup.failed", NULL, "备份失败：%s", "The backup failed: %s", why);
  }
  if (b) sqlite3_backup_finish(b);
  if (dest) sqlite3_close_v2(dest);
  return ret;
}

const DbDriver sqliteDriver = {
  .kind = DB_SQLITE,
  .name = "sqlite",
  .batchMax = 512,
  .idType = "INTEGER PRIMARY KEY AUTOINCREMENT",
  .blobType = "BLOB",
  .beginSql = "BEGIN IMMEDIATE",
  .tableExistsSql = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
  .open = sq_open,
  .connect = sq_connect,
  .close = sq_close,
  .exec = sq_exec,
  .prepare = sq_prepare,
  .finalize = sq_finalize,
  .reset = sq_reset,
  .bindInt = sq_bind_int,
  .bindText = sq_bind_text,
  .bindNull = sq_bind_null,
  .bindBlob = sq_bind_blob,
  .step = sq_step,
  .colInt = sq_col_int,
  .colText = sq_col_text,
  .colNull = sq_col_null,
  .colBlob = sq_col_blob,
  .columns = sq_columns,
  .columnName = sq_column_name,
  .changes = sq_changes,
  .commit = sq_commit,
  .rollback = sq_rollback,
  .lock = sq_lock,
  .contains = sq_contains,
  .migrationPart = sq_migration_part,
  .backup = sq_backup,
};
