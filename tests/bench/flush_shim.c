/*
** flush_shim.c — an LD_PRELOAD library for `make bench` only, never for a
** server that holds real data. It changes what a flush to disk costs, so the
** benchmark can show what bounds the durable-write ratio on this machine:
**
**   XQ_FLUSH=skip  fsync() and fdatasync() return at once and flush nothing
**                  (nothing is durable): what the rest of the work allows,
**                  the ceiling that no way of scheduling flushes can pass;
**   XQ_FLUSH=N     each flush happens, then takes N µs more: the same run
**                  on a disk whose flush is that much slower.
**
** The reference and the server are given the same setting.
*/
#include <dlfcn.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int (*realFsync)(int);
static int (*realFdatasync)(int);
static long extraUs = -1; /* -1: skip every flush */

__attribute__((constructor)) static void init(void) {
  const char *v = getenv("XQ_FLUSH");
  realFsync = (int (*)(int))dlsym(RTLD_NEXT, "fsync");
  realFdatasync = (int (*)(int))dlsym(RTLD_NEXT, "fdatasync");
  extraUs = v && strcmp(v, "skip") != 0 ? strtol(v, NULL, 10) : -1;
}

static int flush(int (*real)(int), int fd) {
  if (extraUs < 0) return 0;
  int rc = real(fd), saved = errno;
  struct timespec ts = {extraUs / 1000000, (extraUs % 1000000) * 1000};
  while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
  }
  errno = saved;
  return rc;
}

int fsync(int fd) { return flush(realFsync, fd); }
int fdatasync(int fd) { return flush(realFdatasync, fd); }
