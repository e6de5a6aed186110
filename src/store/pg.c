/*
** pg.c — the PostgreSQL driver of the store (see store_int.h), on libpq.
**
** Statements. The store's SQL uses '?' placeholders; prepare() rewrites them
** to $1…$n (leaving '?' inside string literals, quoted identifiers, comments
** and dollar-quoted strings alone). The statement is prepared on the server
** by name at its first execution, with the parameter types its bindings
** give: int64 as int8, text and NULL as "unknown" so the server infers them
** from the context (write CAST(? AS TEXT) where it cannot, e.g. `? IS NULL`
** with a text value). A statement executed later with bindings of other
** kinds gets a server-side statement of its own for that pattern, so the
** same SQL with the same kinds of values always behaves the same. Values go
** as text; the whole result comes back at the first stmt_step() and the
** following steps walk its rows. Binary values (stmt_bind_blob) go as text
** too, in bytea's hex input form \x… with the parameter typed bytea, and
** come back in bytea's text output form, which stmt_blob() decodes with
** PQunescapeBytea() (hex or the old escape form, whatever bytea_output is);
** text keeps one code path for every value, at the price of doubling the
** bytes on the wire.
**
** Connections. Every (re)connection sets the time zone to UTC; readers get
** default_transaction_read_only. connect() notices a broken connection and
** reconnects, but only between transactions (the store never calls it inside
** one), so a transaction can never silently continue on a new connection.
*/
#include "store_int.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PG_INT8_OID 20 /* pg_type.oid of int8 (catalog/pg_type_d.h) */
#define PG_BYTEA_OID 17 /* pg_type.oid of bytea */

typedef struct PgDb {
  Db base;          /* must be first */
  PGconn *c;        /* NULL until the first connect() */
  char *url;        /* the libpq URI */
  uint64_t epoch;   /* bumped at every (re)connection: server statements are gone */
  unsigned nName;   /* names given to server-side statements so far */
  int64_t changes;  /* rows changed by the last INSERT/UPDATE/DELETE/MERGE */
  Buf deallocs;     /* "DEALLOCATE …;" for freed statements, run when idle */
} PgDb;

/* A server-side statement for one pattern of parameter kinds. */
typedef struct PgVariant {
  char *sig;        /* one letter per parameter: 'i' int8, 'b' bytea, 'u' unknown */
  char name[24];    /* server-side name */
  uint64_t epoch;   /* the connection epoch it was prepared in */
} PgVariant;

typedef struct PgStmt {
  Stmt base;        /* must be first */
  char *pgsql;      /* the SQL with $1…$n */
  int nParam;       /* number of parameters */
  char **aVal;      /* nParam values as text (owned); NULL is SQL NULL */
  char *sig;        /* nParam kinds of the current bindings, NUL-terminated */
  PgVariant *aVar;  /* server-side statements made so far */
  int nVar;
  PGresult *res;    /* the result, after the first step */
  int row;          /* the current row of res */
  int nRow;         /* rows in res */
  unsigned char **aDec; /* bytea values decoded for the current row (PQfreemem) */
  int nDec;
} PgStmt;

/* drop_decoded() frees the bytea values stmt_blob() decoded for the row. */
static void drop_decoded(PgStmt *s) {
  for (int i = 0; i < s->nDec; i++) PQfreemem(s->aDec[i]);
  free(s->aDec);
  s->aDec = NULL;
  s->nDec = 0;
}

/* trim_msg() copies a libpq message without its trailing newline. */
static void trim_msg(char *out, size_t n, const char *msg) {
  snprintf(out, n, "%s", msg ? msg : "");
  size_t k = strlen(out);
  while (k > 0 && (out[k - 1] == '\n' || out[k - 1] == ' ')) out[--k] = 0;
}

/* fail() turns a failed result (or, when res is NULL, the connection's
** error) into *e, by SQLSTATE; unexpected failures are logged with the
** server's message and the SQL. Returns -1. */
static int fail(PgDb *d, const PGresult *res, const char *sql, Err *e) {
  const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
  const char *msg = res ? PQresultErrorMessage(res) : NULL;
  const char *code = "db.error";
  char m[512];
  if (!msg || !*msg) msg = d->c ? PQerrorMessage(d->c) : "not connected";
  if (state && strcmp(state, "23505") == 0) return store_err(e, "db.unique");
  if (state && strncmp(state, "23", 2) == 0) return store_err(e, "db.constraint");
  if (state && (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0 ||
                strcmp(state, "55P03") == 0))
    code = "db.busy";
  trim_msg(m, sizeof m, msg);
  log_warn("postgresql: %s [%s]%s%s", m, state ? state : "no SQLSTATE",
           sql ? " in: " : "", sql ? sql : "");
  return store_err(e, code);
}

/* usable() is true when d has a live connection; otherwise fills *e. */
static bool usable(PgDb *d, Err *e) {
  if (d->c && PQstatus(d->c) == CONNECTION_OK) return true;
  log_warn("postgresql: not connected%s%s", d->c ? ": " : "",
           d->c ? PQerrorMessage(d->c) : "");
  store_err(e, "db.error");
  return false;
}

/* note_changes() records the row count of an INSERT/UPDATE/DELETE/MERGE. */
static void note_changes(PgDb *d, PGresult *res) {
  const char *tag = PQcmdStatus(res);
  if (strncmp(tag, "INSERT", 6) == 0 || strncmp(tag, "UPDATE", 6) == 0 ||
      strncmp(tag, "DELETE", 6) == 0 || strncmp(tag, "MERGE", 5) == 0)
    d->changes = strtoll(PQcmdTuples(res), NULL, 10);
}

/* notice() logs the server's warnings (notices are turned off). */
static void notice(void *arg, const char *msg) {
  char m[512];
  (void)arg;
  trim_msg(m, sizeof m, msg);
  log_warn("postgresql: %s", m);
}

static Db *pg_open(const char *target, bool reader) {
  PgDb *d = xcalloc(1, sizeof *d);
  (void)reader;
  d->url = xstrdup(target);
  return &d->base;
}

/* run() executes SQL text on d's connection; 0 or -1 with *e set. */
static int run(PgDb *d, const char *sql, Err *e) {
  if (!usable(d, e)) return -1;
  PGresult *r = PQexec(d->c, sql);
  ExecStatusType st = PQresultStatus(r);
  int rc = 0;
  if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK || st == PGRES_EMPTY_QUERY) note_changes(d, r);
  else rc = fail(d, r, sql, e);
  PQclear(r);
  return rc;
}

static int pg_connect(Db *db, Err *e) {
  PgDb *d = (PgDb *)db;
  if (d->c && PQstatus(d->c) == CONNECTION_OK) {
    PGTransactionStatusType tx = PQtransactionStatus(d->c);
    if (tx == PQTRANS_INTRANS || tx == PQTRANS_INERROR) {
      /* Only a bug leaves a transaction open here: end it, it is not ours. */
      log_warn("postgresql: rolling back a transaction left open");
      PQclear(PQexec(d->c, "ROLLBACK"));
      tx = PQtransactionStatus(d->c);
    }
    if (tx == PQTRANS_IDLE) {
      if (d->deallocs.n) {
        Err ignored = {0};
        if (run(d, buf_cstr(&d->deallocs), &ignored) < 0)
          log_warn("postgresql: could not free prepared statements");
        buf_reset(&d->deallocs);
      }
      return 0;
    }
  }
  if (!d->c) {
    /* The URL comes last so that what it says wins over these defaults. */
    const char *keys[] = {"connect_timeout", "application_name", "client_encoding", "dbname", NULL};
    const char *vals[] = {"10", "xinqu", "UTF8", d->url, NULL};
    d->c = PQconnectdbParams(keys, vals, 1);
  } else {
    PQreset(d->c);
  }
  if (!d->c || PQstatus(d->c) != CONNECTION_OK) {
    char m[512];
    trim_msg(m, sizeof m, d->c ? PQerrorMessage(d->c) : "out of memory");
    log_warn("postgresql: cannot connect: %s", m);
    return err_setf(e, E_INTERNAL, "db.open", NULL, "无法连接 PostgreSQL 数据库：%s",
                    "Cannot connect to the PostgreSQL database: %s", m);
  }
  d->epoch++;
  buf_reset(&d->deallocs);
  PQsetNoticeProcessor(d->c, notice, NULL);
  if (run(d, db->reader ? "SET TIME ZONE 'UTC'; SET client_min_messages = warning; "
                          "SET default_transaction_read_only = on"
                        : "SET TIME ZONE 'UTC'; SET client_min_messages = warning",
          e) < 0) {
    return err_set(e, E_INTERNAL, "db.open", NULL, "无法设置 PostgreSQL 连接",
                   "Cannot set up the PostgreSQL connection.");
  }
  return 0;
}

static void pg_close(Db *db) {
  PgDb *d = (PgDb *)db;
  if (d->c) PQfinish(d->c);
  buf_free(&d->deallocs);
  free(d->url);
  free(d);
}

static int pg_exec(Db *db, const char *sql, Err *e) { return run((PgDb *)db, sql, e); }

/* ident_char() is true for a byte that can continue an identifier. */
static bool ident_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         c == '_' || c == '$' || (unsigned char)c >= 0x80;
}

/* rewrite() returns sql (allocated) with each '?' placeholder replaced by
** $1, $2 …, and their number in *pn. Literals ('…', E'…', "…", $tag$…$tag$)
** and comments are copied untouched. */
static char *rewrite(const char *sql, int *pn) {
  Buf b = {0};
  const char *p = sql;
  int n = 0;
  while (*p) {
    if (*p == '\'' || *p == '"') {
      char q = *p;
      /* E'…' strings take backslash escapes. */
      bool bs = q == '\'' && p > sql && (p[-1] == 'E' || p[-1] == 'e') &&
                (p - 1 == sql || !ident_char(p[-2]));
      buf_putc(&b, *p++);
      while (*p) {
        if (bs && *p == '\\' && p[1]) {
          buf_append(&b, p, 2);
          p += 2;
        } else if (*p == q && p[1] == q) {
          buf_append(&b, p, 2);
          p += 2;
        } else if (*p == q) {
          buf_putc(&b, *p++);
          break;
        } else {
          buf_putc(&b, *p++);
        }
      }
    } else if (p[0] == '-' && p[1] == '-') {
      while (*p && *p != '\n') buf_putc(&b, *p++);
    } else if (p[0] == '/' && p[1] == '*') {
      int depth = 0; /* PostgreSQL's block comments nest */
      do {
        if (p[0] == '/' && p[1] == '*') {
          depth++;
          buf_append(&b, p, 2);
          p += 2;
        } else if (p[0] == '*' && p[1] == '/') {
          depth--;
          buf_append(&b, p, 2);
          p += 2;
        } else {
          buf_putc(&b, *p++);
        }
      } while (*p && depth > 0);
    } else if (*p == '$' && (p == sql || !ident_char(p[-1])) &&
               (p[1] == '$' || (ident_char(p[1]) && !(p[1] >= '0' && p[1] <= '9')))) {
      /* A dollar quote $tag$…$tag$ (not $1, which is a parameter). */
      const char *t = p + 1;
      while (*t && *t != '$' && ident_char(*t)) t++;
      if (*t != '$') {
        buf_putc(&b, *p++);
        continue;
      }
      size_t tagLen = (size_t)(t - p) + 1;
      char *tag = xstrndup(p, tagLen);
      const char *end = strstr(t + 1, tag);
      size_t take = end ? (size_t)(end - p) + tagLen : strlen(p);
      buf_append(&b, p, take);
      p += take;
      free(tag);
    } else if (*p == '?') {
      buf_appendf(&b, "$%d", ++n);
      p++;
    } else {
      buf_putc(&b, *p++);
    }
  }
  *pn = n;
  return buf_detach(&b);
}

static Stmt *pg_prepare(Db *db, const char *sql, Err *e) {
  PgStmt *s = xcalloc(1, sizeof *s);
  (void)db;
  (void)e;
  s->pgsql = rewrite(sql, &s->nParam);
  s->aVal = xcalloc((size_t)s->nParam + 1, sizeof *s->aVal);
  s->sig = xmalloc((size_t)s->nParam + 1);
  memset(s->sig, 'u', (size_t)s->nParam);
  s->sig[s->nParam] = 0;
  return &s->base;
}

static void pg_reset(Stmt *st) {
  PgStmt *s = (PgStmt *)st;
  drop_decoded(s);
  if (s->res) PQclear(s->res);
  s->res = NULL;
  s->row = s->nRow = 0;
  for (int i = 0; i < s->nParam; i++) {
    free(s->aVal[i]);
    s->aVal[i] = NULL;
    s->sig[i] = 'u';
  }
}

static void pg_finalize(Stmt *st) {
  PgStmt *s = (PgStmt *)st;
  PgDb *d = (PgDb *)st->db;
  pg_reset(st);
  for (int i = 0; i < s->nVar; i++) {
    if (s->aVar[i].epoch == d->epoch) buf_appendf(&d->deallocs, "DEALLOCATE %s;", s->aVar[i].name);
    free(s->aVar[i].sig);
  }
  free(s->aVar);
  free(s->aVal);
  free(s->sig);
  free(s->pgsql);
  free(s);
}

/* bad_param() checks a parameter number; a wrong one is a programming error
** (debug builds panic; release builds leave the parameter unbound). */
static bool bad_param(PgStmt *s, int i) {
  if (NEVER(i < 1 || i > s->nParam)) {
    log_warn("postgresql: parameter %d out of range in \"%s\"", i, s->base.sql);
    return true;
  }
  return false;
}

static void pg_bind_int(Stmt *st, int i, int64_t v) {
  PgStmt *s = (PgStmt *)st;
  if (bad_param(s, i)) return;
  free(s->aVal[i - 1]);
  s->aVal[i - 1] = xasprintf("%lld", (long long)v);
  s->sig[i - 1] = 'i';
}

static void pg_bind_text(Stmt *st, int i, const char *t, size_t n) {
  PgStmt *s = (PgStmt *)st;
  if (bad_param(s, i)) return;
  free(s->aVal[i - 1]);
  s->aVal[i - 1] = xstrndup(t, n);
  s->sig[i - 1] = 'u';
}

static void pg_bind_null(Stmt *st, int i) {
  PgStmt *s = (PgStmt *)st;
  if (bad_param(s, i)) return;
  free(s->aVal[i - 1]);
  s->aVal[i - 1] = NULL;
  s->sig[i - 1] = 'u';
}

/* pg_bind_blob() binds p[0..n) as bytea, written \x and two hex digits
** a byte (bytea's text input form). */
static void pg_bind_blob(Stmt *st, int i, const void *p, size_t n) {
  static const char hex[] = "0123456789abcdef";
  PgStmt *s = (PgStmt *)st;
  const unsigned char *b = p;
  if (bad_param(s, i)) return;
  char *v = xmalloc(2 * n + 3);
  v[0] = '\\';
  v[1] = 'x';
  for (size_t k = 0; k < n; k++) {
    v[2 + 2 * k] = hex[b[k] >> 4];
    v[3 + 2 * k] = hex[b[k] & 15];
  }
  v[2 + 2 * n] = 0;
  free(s->aVal[i - 1]);
  s->aVal[i - 1] = v;
  s->sig[i - 1] = 'b';
}

/* variant() is the server-side statement for s's current binding kinds,
** prepared on the current connection now if need be; NULL with *e set. */
static PgVariant *variant(PgDb *d, PgStmt *s, Err *e) {
  PgVariant *v = NULL;
  for (int i = 0; i < s->nVar; i++) {
    if (strcmp(s->aVar[i].sig, s->sig) == 0) {
      v = &s->aVar[i];
      break;
    }
  }
  if (v && v->epoch == d->epoch) return v;
  Oid *types = xcalloc((size_t)s->nParam + 1, sizeof *types);
  for (int i = 0; i < s->nParam; i++)
    types[i] = s->sig[i] == 'i' ? PG_INT8_OID : s->sig[i] == 'b' ? PG_BYTEA_OID : 0;
  char name[24];
  snprintf(name, sizeof name, "xq%u", ++d->nName);
  PGresult *r = PQprepare(d->c, name, s->pgsql, s->nParam, types);
  free(types);
  if (PQresultStatus(r) != PGRES_COMMAND_OK) {
    fail(d, r, s->pgsql, e);
    PQclear(r);
    return NULL;
  }
  PQclear(r);
  if (!v) {
    s->aVar = xrealloc(s->aVar, (size_t)(s->nVar + 1) * sizeof *s->aVar);
    v = &s->aVar[s->nVar++];
    v->sig = xstrdup(s->sig);
  }
  memcpy(v->name, name, sizeof name);
  v->epoch = d->epoch;
  return v;
}

static int pg_step(Stmt *st, Err *e) {
  PgStmt *s = (PgStmt *)st;
  PgDb *d = (PgDb *)st->db;
  for (int attempt = 0; !s->res; attempt++) {
    if (!usable(d, e)) return -1;
    PgVariant *v = variant(d, s, e);
    PGresult *r = NULL;
    if (v) {
      r = PQexecPrepared(d->c, v->name, s->nParam, (const char *const *)s->aVal, NULL, NULL, 0);
      ExecStatusType rs = PQresultStatus(r);
      if (rs != PGRES_TUPLES_OK && rs != PGRES_COMMAND_OK) {
        fail(d, r, s->pgsql, e);
        PQclear(r);
        r = NULL;
      }
    }
    if (!r) {
      /* A reader's connection that broke (a server restart) is made again
      ** and the read retried once; reads are safe to repeat. */
      if (attempt == 0 && st->db->reader && PQstatus(d->c) == CONNECTION_BAD &&
          pg_connect(st->db, e) == 0)
        continue;
      return -1;
    }
    note_changes(d, r);
    s->res = r;
    s->nRow = PQntuples(r);
    s->row = -1;
  }
  drop_decoded(s);
  if (s->row < s->nRow) s->row++;
  return s->row < s->nRow ? 1 : 0;
}

/* value() is the text of column col of the current row, or NULL. */
static const char *value(PgStmt *s, int col) {
  if (!s->res || s->row < 0 || s->row >= s->nRow) return NULL;
  if (NEVER(col < 0 || col >= PQnfields(s->res))) return NULL;
  if (PQgetisnull(s->res, s->row, col)) return NULL;
  return PQgetvalue(s->res, s->row, col);
}

static int64_t pg_col_int(Stmt *st, int col) {
  const char *v = value((PgStmt *)st, col);
  if (!v) return 0;
  if (strcmp(v, "t") == 0) return 1; /* booleans, as SQLite has them */
  if (strcmp(v, "f") == 0) return 0;
  return strtoll(v, NULL, 10);
}

static const char *pg_col_text(Stmt *st, int col) { return value((PgStmt *)st, col); }

static bool pg_col_null(Stmt *st, int col) { return value((PgStmt *)st, col) == NULL; }

/* pg_col_blob() decodes the bytea text of column col (kept until the next
** step or reset). Out of memory is fatal, as everywhere. */
static const void *pg_col_blob(Stmt *st, int col, size_t *n) {
  PgStmt *s = (PgStmt *)st;
  const char *v = value(s, col);
  size_t len = 0;
  *n = 0;
  if (!v) return NULL;
  unsigned char *d = PQunescapeBytea((const unsigned char *)v, &len);
  if (!d) panic("PQunescapeBytea: out of memory");
  s->aDec = xrealloc(s->aDec, (size_t)(s->nDec + 1) * sizeof *s->aDec);
  s->aDec[s->nDec++] = d;
  *n = len;
  return d;
}

static int pg_columns(Stmt *st) {
  PgStmt *s = (PgStmt *)st;
  return s->res ? PQnfields(s->res) : 0;
}

static const char *pg_column_name(Stmt *st, int col) {
  PgStmt *s = (PgStmt *)st;
  if (!s->res || col < 0 || col >= PQnfields(s->res)) return NULL;
  return PQfname(s->res, col);
}

static int64_t pg_changes(Db *db) { return ((PgDb *)db)->changes; }

static int pg_commit(Db *db, Err *e) {
  PgDb *d = (PgDb *)db;
  int rc = 0;
  if (!usable(d, e)) return -1;
  PGresult *r = PQexec(d->c, "COMMIT");
  if (PQresultStatus(r) != PGRES_COMMAND_OK) {
    rc = fail(d, r, "COMMIT", e);
  } else if (strcmp(PQcmdStatus(r), "COMMIT") != 0) {
    /* An aborted transaction "commits" as ROLLBACK. */
    log_warn("postgresql: COMMIT answered %s", PQcmdStatus(r));
    rc = store_err(e, "db.error");
  }
  PQclear(r);
  return rc;
}

static void pg_rollback(Db *db) {
  PgDb *d = (PgDb *)db;
  if (!d->c || PQstatus(d->c) != CONNECTION_OK) return;
  PGTransactionStatusType tx = PQtransactionStatus(d->c);
  if (tx != PQTRANS_INTRANS && tx != PQTRANS_INERROR) return;
  PGresult *r = PQexec(d->c, "ROLLBACK");
  if (PQresultStatus(r) != PGRES_COMMAND_OK) log_warn("postgresql: ROLLBACK failed: %s", PQerrorMessage(d->c));
  PQclear(r);
}

static int pg_lock(Db *db, int64_t key, Err *e) {
  char sql[64];
  snprintf(sql, sizeof sql, "SELECT pg_advisory_xact_lock(%lld)", (long long)key);
  return run((PgDb *)db, sql, e);
}

/* Substring search through ILIKE (letters' case ignored, as on SQLite),
** which pg_trgm's GIN index serves; the needle's % _ and \ are escaped so
** they match themselves. */
static void pg_contains(Buf *sql, const char *table, const char *col,
                        const char *needle, char **param) {
  Buf q = {0};
  buf_putc(&q, '%');
  for (const char *p = needle; *p; p++) {
    if (*p == '%' || *p == '_' || *p == '\\') buf_putc(&q, '\\');
    buf_putc(&q, *p);
  }
  buf_putc(&q, '%');
  buf_appendf(sql, "%s.%s ILIKE ? ESCAPE '\\'", table, col);
  *param = buf_detach(&q);
}

static const char *pg_migration_part(const Migration *m) { return m->pg; }

static int pg_backup(Db *src, const char *path, Err *e) {
  (void)src;
  (void)path;
  return err_set(e, E_INVALID, "backup.use_pg_dump", NULL,
                 "PostgreSQL 数据库请用 pg_dump 备份（例如 pg_dump -Fc -f 备份文件 数据库地址）",
                 "Back up a PostgreSQL database with pg_dump (e.g. pg_dump -Fc -f FILE URL).");
}

const DbDriver pgDriver = {
  .kind = DB_PG,
  .name = "postgresql",
  /* More than 64 subtransactions that write overflow each backend's subxid
  ** cache and slow every snapshot on the server: keep groups within it. */
  .batchMax = 64,
  .idType = "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
  .blobType = "BYTEA",
  .beginSql = "BEGIN; SELECT pg_advisory_xact_lock(" STORE_LOCK_WRITER ")",
  .tableExistsSql = "SELECT 1 FROM pg_catalog.pg_tables WHERE schemaname = current_schema() "
                    "AND tablename = ?",
  .open = pg_open,
  .connect = pg_connect,
  .close = pg_close,
  .exec = pg_exec,
  .prepare = pg_prepare,
  .finalize = pg_finalize,
  .reset = pg_reset,
  .bindInt = pg_bind_int,
  .bindText = pg_bind_text,
  .bindNull = pg_bind_null,
  .bindBlob = pg_bind_blob,
  .step = pg_step,
  .colInt = pg_col_int,
  .colText = pg_col_text,
  .colNull = pg_col_null,
  .colBlob = pg_col_blob,
  .columns = pg_columns,
  .columnName = pg_column_name,
  .changes = pg_changes,
  .commit = pg_commit,
  .rollback = pg_rollback,
  .lock = pg_lock,
  .contains = pg_contains,
  .migrationPart = pg_migration_part,
  .backup = pg_backup,
};
