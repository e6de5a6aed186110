/*
** sqlite_vfs.c — "xq-wal", a thin layer over SQLite's own VFS that gathers
** the writes to a WAL file and hands them to the kernel in one call when
** SQLite syncs the file.
**
** SQLite writes every WAL frame with two write() calls (its 24-byte header,
** then the page), so a group commit of sixty pages made 120 system calls
** before its one fdatasync(); on a virtual machine each costs several
** microseconds, and the writer thread — the one serial part of xinqu —
** spent more time in them than in the fsync. Here consecutive writes are
** appended to a buffer and written with one pwrite() at the sync. Nothing
** changes for what is durable: a commit is durable when its sync returns,
** and the sync writes the buffer first; a process that dies before the sync
** loses only frames of a transaction that had not committed, as before.
** Readers are not affected either: SQLite publishes new frames in the
** WAL index only after the sync (synchronous=FULL, which the store always
** sets), and the writer's own reads of frames it has not synced yet (a
** page cache spill read back, checksums recomputed) flush the buffer first.
**
** Only WAL files get the layer; the database file and everything else are
** opened by the underlying VFS directly.
*/
#include "store_int.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#define FLUSH_AT (1 << 20) /* a longer run of frames (an import) goes out at 1 MiB */
#define PIECE (120 * 1024)  /* bytes per write() */

typedef struct WalFile {
  sqlite3_file base;    /* must be first: its pMethods are walMethods */
  sqlite3_file *real;   /* the file as the underlying VFS opened it (after this struct) */
  unsigned char *buf;   /* bytes written but not yet passed on */
  size_t n, cap;        /* used and allocated bytes of buf */
  sqlite3_int64 off;    /* where buf[0] goes in the file */
} WalFile;

/* The underlying file follows the WalFile, suitably aligned. */
#define HEAD ((sizeof(WalFile) + 15) & ~(size_t)15)

static sqlite3_vfs *realVfs;

/* flush() passes the buffer on, in pieces the unix VFS takes whole (its
** xWrite writes at most 128 KiB - 1 bytes a call). */
static int flush(WalFile *w) {
  int rc = SQLITE_OK;
  for (size_t at = 0; at < w->n && rc == SQLITE_OK; at += PIECE) {
    size_t k = w->n - at < PIECE ? w->n - at : PIECE;
    rc = w->real->pMethods->xWrite(w->real, w->buf + at, (int)k, w->off + (sqlite3_int64)at);
  }
  w->n = 0;
  return rc;
}

static int wClose(sqlite3_file *f) {
  WalFile *w = (WalFile *)f;
  int rc = flush(w), rc2 = w->real->pMethods->xClose(w->real);
  free(w->buf);
  w->buf = NULL;
  return rc != SQLITE_OK ? rc : rc2;
}

static int wRead(sqlite3_file *f, void *p, int amt, sqlite3_int64 off) {
  WalFile *w = (WalFile *)f;
  if (w->n && off < w->off + (sqlite3_int64)w->n && off + amt > w->off) {
    int rc = flush(w);
    if (rc != SQLITE_OK) return rc;
  }
  return w->real->pMethods->xRead(w->real, p, amt, off);
}

static int wWrite(sqlite3_file *f, const void *p, int amt, sqlite3_int64 off) {
  WalFile *w = (WalFile *)f;
  if (w->n && off != w->off + (sqlite3_int64)w->n) {
    int rc = flush(w);
    if (rc != SQLITE_OK) return rc;
  }
  if (w->n == 0) w->off = off;
  if (w->n + (size_t)amt > w->cap) {
    size_t cap = w->cap ? w->cap : 64 * 1024;
    while (cap < w->n + (size_t)amt) cap *= 2;
    unsigned char *nb = realloc(w->buf, cap);
    if (!nb) return SQLITE_IOERR_NOMEM;
    w->buf = nb;
    w->cap = cap;
  }
  memcpy(w->buf + w->n, p, (size_t)amt);
  w->n += (size_t)amt;
  return w->n >= FLUSH_AT ? flush(w) : SQLITE_OK;
}

static int wTruncate(sqlite3_file *f, sqlite3_int64 size) {
  WalFile *w = (WalFile *)f;
  int rc = flush(w);
  return rc != SQLITE_OK ? rc : w->real->pMethods->xTruncate(w->real, size);
}

static int wSync(sqlite3_file *f, int flags) {
  WalFile *w = (WalFile *)f;
  int rc = flush(w);
  return rc != SQLITE_OK ? rc : w->real->pMethods->xSync(w->real, flags);
}

static int wFileSize(sqlite3_file *f, sqlite3_int64 *size) {
  WalFile *w = (WalFile *)f;
  int rc = w->real->pMethods->xFileSize(w->real, size);
  if (rc == SQLITE_OK && w->n && w->off + (sqlite3_int64)w->n > *size) *size = w->off + (sqlite3_int64)w->n;
  return rc;
}

/* The rest is the underlying file's. */
#define REAL(f) (((WalFile *)(f))->real)
static int wLock(sqlite3_file *f, int l) { return REAL(f)->pMethods->xLock(REAL(f), l); }
static int wUnlock(sqlite3_file *f, int l) { return REAL(f)->pMethods->xUnlock(REAL(f), l); }
static int wCheckReserved(sqlite3_file *f, int *out) {
  return REAL(f)->pMethods->xCheckReservedLock(REAL(f), out);
}
static int wFileControl(sqlite3_file *f, int op, void *arg) {
  return REAL(f)->pMethods->xFileControl(REAL(f), op, arg);
}
static int wSectorSize(sqlite3_file *f) { return REAL(f)->pMethods->xSectorSize(REAL(f)); }
static int wDevice(sqlite3_file *f) { return REAL(f)->pMethods->xDeviceCharacteristics(REAL(f)); }

static const sqlite3_io_methods walMethods = {
    1, wClose, wRead, wWrite, wTruncate, wSync, wFileSize, wLock, wUnlock, wCheckReserved,
    wFileControl, wSectorSize, wDevice, NULL, NULL, NULL, NULL, NULL, NULL,
};

static int vOpen(sqlite3_vfs *vfs, sqlite3_filename name, sqlite3_file *f, int flags, int *outFlags) {
  (void)vfs;
  if (!(flags & SQLITE_OPEN_WAL)) return realVfs->xOpen(realVfs, name, f, flags, outFlags);
  WalFile *w = (WalFile *)f;
  memset(w, 0, sizeof *w);
  w->real = (sqlite3_file *)((char *)w + HEAD);
  int rc = realVfs->xOpen(realVfs, name, w->real, flags, outFlags);
  /* SQLite calls xClose only when pMethods is set. */
  if (rc == SQLITE_OK) w->base.pMethods = &walMethods;
  return rc;
}

/* Everything but xOpen is the underlying VFS's own; they receive that VFS. */
static int vDelete(sqlite3_vfs *v, const char *n, int s) { (void)v; return realVfs->xDelete(realVfs, n, s); }
static int vAccess(sqlite3_vfs *v, const char *n, int fl, int *o) {
  (void)v;
  return realVfs->xAccess(realVfs, n, fl, o);
}
static int vFullPath(sqlite3_vfs *v, const char *n, int k, char *o) {
  (void)v;
  return realVfs->xFullPathname(realVfs, n, k, o);
}
static void *vDlOpen(sqlite3_vfs *v, const char *n) { (void)v; return realVfs->xDlOpen(realVfs, n); }
static void vDlError(sqlite3_vfs *v, int k, char *o) { (void)v; realVfs->xDlError(realVfs, k, o); }
static void (*vDlSym(sqlite3_vfs *v, void *h, const char *s))(void) {
  (void)v;
  return realVfs->xDlSym(realVfs, h, s);
}
static void vDlClose(sqlite3_vfs *v, void *h) { (void)v; realVfs->xDlClose(realVfs, h); }
static int vRandomness(sqlite3_vfs *v, int k, char *o) { (void)v; return realVfs->xRandomness(realVfs, k, o); }
static int vSleep(sqlite3_vfs *v, int us) { (void)v; return realVfs->xSleep(realVfs, us); }
static int vCurrentTime(sqlite3_vfs *v, double *t) { (void)v; return realVfs->xCurrentTime(realVfs, t); }
static int vLastError(sqlite3_vfs *v, int k, char *o) { (void)v; return realVfs->xGetLastError(realVfs, k, o); }
static int vCurrentTime64(sqlite3_vfs *v, sqlite3_int64 *t) {
  (void)v;
  return realVfs->xCurrentTimeInt64(realVfs, t);
}

static sqlite3_vfs walVfs;

const char *sqlite_wal_vfs(void) {
  if (walVfs.zName) return walVfs.zName;
  realVfs = sqlite3_vfs_find(NULL);
  if (!realVfs || realVfs->iVersion < 2) return NULL;
  int sz = (int)HEAD + realVfs->szOsFile;
  walVfs = (sqlite3_vfs){
      .iVersion = 2, .szOsFile = sz, .mxPathname = realVfs->mxPathname, .zName = "xq-wal",
      .xOpen = vOpen, .xDelete = vDelete, .xAccess = vAccess, .xFullPathname = vFullPath,
      .xDlOpen = vDlOpen, .xDlError = vDlError, .xDlSym = vDlSym, .xDlClose = vDlClose,
      .xRandomness = vRandomness, .xSleep = vSleep, .xCurrentTime = vCurrentTime,
      .xGetLastError = vLastError, .xCurrentTimeInt64 = vCurrentTime64,
  };
  if (sqlite3_vfs_register(&walVfs, 0) != SQLITE_OK) {
    walVfs.zName = NULL;
    return NULL;
  }
  return walVfs.zName;
}
