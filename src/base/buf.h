/*
** buf.h — Buf, the length-carrying growable string. The bytes are always
** NUL-terminated (a[n] == 0) once anything has been appended, so b.a can be
** passed where a C string is wanted. A zero-initialised Buf is empty and
** valid; buf_free() releases it and leaves it empty again.
*/
#ifndef XINQU_BUF_H
#define XINQU_BUF_H

#include "base.h"

typedef struct Buf {
  char *a;    /* the bytes, NUL-terminated; NULL until first append */
  size_t n;   /* bytes used, not counting the NUL */
  size_t cap; /* bytes allocated */
} Buf;

void buf_append(Buf *b, const void *p, size_t n);
void buf_puts(Buf *b, const char *s);
void buf_putc(Buf *b, char c);
void buf_appendf(Buf *b, const char *fmt, ...) XQ_PRINTF(2, 3);
void buf_vappendf(Buf *b, const char *fmt, va_list ap);
/* buf_reserve() makes room for n more bytes (and the NUL) in one
** allocation of exactly that size, so appending them does not grow b
** again (and a known length does not end up in a buffer up to twice
** its size). */
void buf_reserve(Buf *b, size_t n);
/* buf_cstr() returns the contents as a C string ("" when empty). */
const char *buf_cstr(const Buf *b);
void buf_reset(Buf *b); /* empties, keeps the allocation */
void buf_free(Buf *b);
/* buf_detach() hands the allocation (a C string, never NULL) to the caller. */
char *buf_detach(Buf *b);

#endif
