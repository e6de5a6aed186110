/*
** csv.h — a streaming RFC 4180 CSV reader that knows the line each record
** starts on, so an import can report rejected rows by line number. Quoted
** fields may hold commas, doubled quotes and newlines; CRLF and LF both end
** records; a UTF-8 byte-order mark at the start is skipped.
*/
#ifndef XINQU_CSV_H
#define XINQU_CSV_H

#include <stdio.h>
#include "base.h"
#include "buf.h"

#define CSV_MAX_FIELDS 64

typedef struct CsvReader {
  FILE *f;                 /* the source (not owned) */
  char chunk[65536];       /* read buffer */
  size_t pos, len;         /* unread part of chunk */
  bool eof;
  int64_t line;            /* line the current record started on (1-based) */
  int64_t next_line;       /* line the next record starts on */
  int64_t bytes;           /* bytes consumed, for progress */
  Buf rec;                 /* the current record's field bytes, NUL-separated */
  int nField;              /* fields in the current record */
  size_t aOff[CSV_MAX_FIELDS]; /* offsets of the fields in rec */
  bool too_many;           /* the record had more than CSV_MAX_FIELDS fields */
  bool bad_quote;          /* a quote appeared inside an unquoted field, or never closed */
} CsvReader;

/* csv_init() prepares r to read f. */
void csv_init(CsvReader *r, FILE *f);
/* csv_next() reads the next record. Returns 1 when one is ready (fields via
** csv_field), 0 at the end of input, -1 on a read error. Blank lines are
** skipped. */
int csv_next(CsvReader *r);
/* csv_field() is field i of the current record ("" past the end), with the
** apostrophe csv_put() adds before a formula removed. */
const char *csv_field(const CsvReader *r, int i);
void csv_free(CsvReader *r);

/* csv_put() appends s to b as one CSV field (quoted when needed). A field
** that a spreadsheet would run as a formula (starting with = + - @ TAB or
** CR, after any apostrophes) gets one more apostrophe in front, so it is
** shown as text; csv_field() takes it off again, so an export imports back
** unchanged. */
void csv_put(Buf *b, const char *s);

#endif
