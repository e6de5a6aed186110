/*
** base.c — allocation, panic, logging, Err, time and UTF-8 checks.
*/
#include "base.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <pthread.h>

static void oom(size_t n) {
  fprintf(stderr, "xinqu: out of memory (%zu bytes)\n", n);
  abort();
}

void *xmalloc(size_t n) {
  void *p = malloc(n ? n : 1);
  if (!p) oom(n);
  return p;
}

void *xcalloc(size_t n, size_t size) {
  void *p = calloc(n ? n : 1, size ? size : 1);
  if (!p) oom(n * size);
  return p;
}

void *xrealloc(void *p, size_t n) {
  p = realloc(p, n ? n : 1);
  if (!p) oom(n);
  return p;
}

char *xstrdup(const char *s) { return xstrndup(s, strlen(s)); }

char *xstrndup(const char *s, size_t n) {
  char *p = xmalloc(n + 1);
  memcpy(p, s, n);
  p[n] = 0;
  return p;
}

char *xasprintf(const char *fmt, ...) {
  va_list ap;
  char *p;
  va_start(ap, fmt);
  if (vasprintf(&p, fmt, ap) < 0) oom(strlen(fmt));
  va_end(ap);
  return p;
}

void panic_at(const char *file, int line, const char *fmt, ...) {
  va_list ap;
  fprintf(stderr, "xinqu: panic at %s:%d: ", file, line);
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputc('\n', stderr);
  abort();
}

static bool quiet;
static pthread_mutex_t log_mu = PTHREAD_MUTEX_INITIALIZER;

void log_quiet(bool q) { quiet = q; }

static void vlog(const char *level, const char *fmt, va_list ap) {
  char ts[32];
  time_t t = time(NULL);
  struct tm tm;
  gmtime_r(&t, &tm);
  strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", &tm);
  pthread_mutex_lock(&log_mu);
  fprintf(stderr, "%s %s ", ts, level);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  pthread_mutex_unlock(&log_mu);
}

void log_info(const char *fmt, ...) {
  va_list ap;
  if (quiet) return;
  va_start(ap, fmt);
  vlog("info", fmt, ap);
  va_end(ap);
}

void log_warn(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vlog("warn", fmt, ap);
  va_end(ap);
}

void log_error(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vlog("error", fmt, ap);
  va_end(ap);
}

/* copy() copies src into dst[cap], cut (when it must be) at a UTF-8
** character boundary, so a long Chinese value never leaves half a character
** that would make the JSON error unencodable. */
static void copy(char *dst, size_t cap, const char *src) {
  size_t n = src ? strlen(src) : 0;
  if (n >= cap) {
    n = cap - 1;
    while (n > 0 && ((unsigned char)src[n] & 0xc0) == 0x80) n--;
  }
  if (n) memcpy(dst, src, n);
  dst[n] = 0;
}

int err_set(Err *e, eErr kind, const char *code, const char *field,
            const char *zh, const char *en) {
  if (!e) return -1;
  e->kind = kind;
  copy(e->code, sizeof e->code, code);
  copy(e->field, sizeof e->field, field);
  copy(e->message, sizeof e->message, zh);
  copy(e->message_en, sizeof e->message_en, en);
  e->retry_after = 0;
  e->line = 0;
  return -1;
}

int err_setf(Err *e, eErr kind, const char *code, const char *field,
             const char *zh, const char *en, const char *arg) {
  if (!e) return -1;
  err_set(e, kind, code, field, "", "");
  char *zh_text, *en_text;
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
  zh_text = xasprintf(zh, arg ? arg : "");
  en_text = xasprintf(en, arg ? arg : "");
#pragma GCC diagnostic pop
  copy(e->message, sizeof e->message, zh_text);
  copy(e->message_en, sizeof e->message_en, en_text);
  free(zh_text);
  free(en_text);
  return -1;
}

int err_set_reason(Err *e, eErr kind, const char *code, const char *field,
                   const char *zh, const char *en, const char *reason) {
  const char *sep = strstr(reason, " / ");
  if (!e) return -1;
  if (!sep) return err_setf(e, kind, code, field, zh, en, reason);
  char *zh_part = xstrndup(reason, (size_t)(sep - reason));
  err_setf(e, kind, code, field, zh, en, zh_part);
  free(zh_part);
  char tmp[sizeof e->message];
  memcpy(tmp, e->message, sizeof tmp);
  err_setf(e, kind, code, field, zh, en, sep + 3);
  memcpy(e->message, tmp, sizeof tmp);
  return -1;
}

void err_clear(Err *e) {
  if (!e) return;
  ErrList *all = e->all;
  memset(e, 0, sizeof *e);
  if (all) all->n = 0;
  e->all = all;
}

bool err_more(Err *e) {
  if (!e || !e->all) return false;
  ErrList *l = e->all;
  if (l->n == l->cap) {
    l->cap = l->cap ? 2 * l->cap : 8;
    l->a = xrealloc(l->a, (size_t)l->cap * sizeof *l->a);
  }
  l->a[l->n] = *e;
  l->a[l->n].all = NULL;
  l->n++;
  *e = l->a[0];
  e->all = l;
  return true;
}

void errlist_free(ErrList *l) {
  if (!l) return;
  free(l->a);
  l->a = NULL;
  l->n = l->cap = 0;
}

/* The pinned instant (0: none); see clock_pin(). */
static _Atomic int64_t pinned_ms;

void clock_pin(int64_t ms) { pinned_ms = ms > 0 ? ms : 0; }

int64_t now_ms(void) {
  int64_t pin = pinned_ms;
  if (pin) return pin;
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

uint32_t fnv1a(const void *p, size_t n) {
  const unsigned char *b = p;
  uint32_t h = 2166136261u;
  for (size_t i = 0; i < n; i++) h = (h ^ b[i]) * 16777619u;
  return h;
}

int64_t mono_ms(void) { return mono_us() / 1000; }

int64_t mono_us(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

char *time_iso(int64_t ms, char out[32]) {
  time_t t = (time_t)(ms / 1000) + 8 * 3600;
  struct tm tm;
  gmtime_r(&t, &tm);
  strftime(out, 32, "%Y-%m-%dT%H:%M:%S+08:00", &tm);
  return out;
}

char *time_today_cn(char out[11]) {
  time_t t = (time_t)(now_ms() / 1000) + 8 * 3600;
  struct tm tm;
  gmtime_r(&t, &tm);
  strftime(out, 11, "%Y-%m-%d", &tm);
  return out;
}

/* utf8_valid() takes ASCII eight bytes at a time, and each longer sequence
** by the ranges its second byte may take after its first (RFC 3629 §4):
** no overlong forms, no surrogates, nothing above U+10FFFF. */
bool utf8_valid(const char *s, size_t n) {
  const unsigned char *p = (const unsigned char *)s, *end = p + n;
  const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
  while (p < end) {
    unsigned c = p[0];
    if (c < 0x80) {
      uint64_t w;
      /* A word of ASCII: no byte with its high bit set, and none zero. */
      if (end - p >= 8 && (memcpy(&w, p, 8), ((w | ((w - ones) & ~w)) & highs) == 0)) {
        p += 8;
        continue;
      }
      if (c == 0) return false;
      p++;
      continue;
    }
    size_t len = c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
    if (len == 0 || (size_t)(end - p) < len) return false;
    unsigned lo = c == 0xe0 ? 0xa0 : c == 0xf0 ? 0x90 : 0x80; /* the second byte's range */
    unsigned hi = c == 0xed ? 0x9f : c == 0xf4 ? 0x8f : 0xbf;
    if (p[1] < lo || p[1] > hi) return false;
    for (size_t i = 2; i < len; i++)
      if ((p[i] & 0xc0) != 0x80) return false;
    p += len;
  }
  return true;
}

size_t utf8_len(const char *s) {
  size_t n = 0;
  for (; *s; s++)
    if (((unsigned char)*s & 0xc0) != 0x80) n++;
  return n;
}

/* wide() is true for a code point of East_Asian_Width W or F (the blocks,
** not every unassigned point in them: a table as coarse as wcwidth()'s). */
static bool wide(uint32_t c) {
  return (c >= 0x1100 && c <= 0x115f) || (c >= 0x2e80 && c <= 0x303e) ||
         (c >= 0x3041 && c <= 0x33ff) || (c >= 0x3400 && c <= 0x4dbf) ||
         (c >= 0x4e00 && c <= 0x9fff) || (c >= 0xa000 && c <= 0xa4cf) ||
         (c >= 0xac00 && c <= 0xd7a3) || (c >= 0xf900 && c <= 0xfaff) ||
         (c >= 0xfe30 && c <= 0xfe4f) || (c >= 0xff00 && c <= 0xff60) ||
         (c >= 0xffe0 && c <= 0xffe6) || (c >= 0x1f300 && c <= 0x1f64f) ||
         (c >= 0x20000 && c <= 0x3fffd);
}

size_t utf8_width(const char *s) {
  size_t w = 0;
  const unsigned char *p = (const unsigned char *)s;
  while (*p) {
    uint32_t c = *p;
    int more = c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : c >= 0xc0 ? 1 : 0;
    if (more) c &= 0x3fu >> more;
    p++;
    for (; more && (*p & 0xc0) == 0x80; more--) c = (c << 6) | (*p++ & 0x3f);
    bool zero = (c >= 0x300 && c <= 0x36f) || (c >= 0x200b && c <= 0x200f) || (c >= 0xfe00 && c <= 0xfe0f);
    w += zero ? 0 : wide(c) ? 2 : 1;
  }
  return w;
}

int text_check(const char *v, const char *field, const char *label, size_t max, bool required, Err *e) {
  char zh[256], en[256];
  const char *code = NULL;
  if (required && (!v || !*v)) {
    code = "request.missing_field";
    snprintf(zh, sizeof zh, "请填写%s（不超过 %zu 字）", label, max);
    snprintf(en, sizeof en, "%s is required (at most %zu characters)", field, max);
  } else if (v && (!utf8_valid(v, strlen(v)) || utf8_len(v) > max)) {
    code = "request.too_long";
    snprintf(zh, sizeof zh, "%s不超过 %zu 字", label, max);
    snprintf(en, sizeof en, "%s: at most %zu characters", field, max);
  }
  return code ? err_set(e, E_INVALID, code, field, zh, en) : 0;
}
