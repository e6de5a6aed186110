/*
** buf.c — the growable length-carrying string (see buf.h).
*/
#include "buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void grow(Buf *b, size_t extra) {
  size_t need = b->n + extra + 1;
  if (need <= b->cap) return;
  size_t cap = b->cap ? b->cap : 64;
  while (cap < need) cap *= 2;
  b->a = xrealloc(b->a, cap);
  b->cap = cap;
}

void buf_reserve(Buf *b, size_t n) {
  size_t need = b->n + n + 1;
  if (need <= b->cap) return;
  b->a = xrealloc(b->a, need);
  b->cap = need;
}

void buf_append(Buf *b, const void *p, size_t n) {
  grow(b, n);
  if (n) memcpy(b->a + b->n, p, n);
  b->n += n;
  b->a[b->n] = 0;
}

void buf_puts(Buf *b, const char *s) { buf_append(b, s, strlen(s)); }

void buf_putc(Buf *b, char c) { buf_append(b, &c, 1); }

void buf_vappendf(Buf *b, const char *fmt, va_list ap) {
  va_list aq;
  va_copy(aq, ap);
  int n = vsnprintf(NULL, 0, fmt, aq);
  va_end(aq);
  if (n < 0) panic("bad format %s", fmt);
  grow(b, (size_t)n);
  vsnprintf(b->a + b->n, (size_t)n + 1, fmt, ap);
  b->n += (size_t)n;
}

void buf_appendf(Buf *b, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  buf_vappendf(b, fmt, ap);
  va_end(ap);
}

const char *buf_cstr(const Buf *b) { return b->a ? b->a : ""; }

void buf_reset(Buf *b) {
  b->n = 0;
  if (b->a) b->a[0] = 0;
}

void buf_free(Buf *b) {
  free(b->a);
  b->a = NULL;
  b->n = b->cap = 0;
}

char *buf_detach(Buf *b) {
  char *p = b->a ? b->a : xstrdup("");
  b->a = NULL;
  b->n = b->cap = 0;
  return p;
}
