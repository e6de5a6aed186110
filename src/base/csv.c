/*
** csv.c — the streaming CSV reader and writer helper (see csv.h).
*/
#include "csv.h"

#include <string.h>

void csv_init(CsvReader *r, FILE *f) {
  memset(r, 0, sizeof *r);
  r->f = f;
  r->next_line = 1;
}

void csv_free(CsvReader *r) { buf_free(&r->rec); }

/* peek()/take() read one byte; -1 at the end. */
static int fill(CsvReader *r) {
  if (r->pos < r->len) return 0;
  if (r->eof) return -1;
  r->len = fread(r->chunk, 1, sizeof r->chunk, r->f);
  r->pos = 0;
  if (r->len == 0) {
    r->eof = true;
    return ferror(r->f) ? -2 : -1;
  }
  return 0;
}

static int take(CsvReader *r) {
  if (fill(r) < 0) return -1;
  r->bytes++;
  return (unsigned char)r->chunk[r->pos++];
}

static int peek(CsvReader *r) {
  if (fill(r) < 0) return -1;
  return (unsigned char)r->chunk[r->pos];
}

/* run() appends to the record the bytes from the read position up to (not
** including) the next special byte — a quote or newline inside quotes; also
** a comma or CR outside — or the end of the chunk, and returns how many it
** took: fields are copied a run at a time, not byte by byte. */
static size_t run(CsvReader *r, bool quoted) {
  if (fill(r) < 0) return 0;
  const unsigned char *p = (const unsigned char *)r->chunk + r->pos;
  size_t n = 0, max = r->len - r->pos;
  if (quoted)
    while (n < max && p[n] != '"' && p[n] != '\n') n++;
  else
    while (n < max && p[n] != ',' && p[n] != '"' && p[n] != '\n' && p[n] != '\r') n++;
  buf_append(&r->rec, p, n);
  r->pos += n;
  r->bytes += (int64_t)n;
  return n;
}

static void end_field(CsvReader *r) {
  buf_putc(&r->rec, 0);
  r->nField++;
  if (r->nField < CSV_MAX_FIELDS) r->aOff[r->nField] = r->rec.n;
  else r->too_many = true;
}

int csv_next(CsvReader *r) {
  int c;
  for (;;) {
    buf_reset(&r->rec);
    r->nField = 0;
    r->aOff[0] = 0;
    r->too_many = r->bad_quote = false;
    r->line = r->next_line;
    if (r->bytes == 0 && peek(r) == 0xef) { /* UTF-8 BOM */
      take(r);
      if (peek(r) == 0xbb) take(r);
      if (peek(r) == 0xbf) take(r);
    }
    c = peek(r);
    if (c < 0) return ferror(r->f) ? -1 : 0;
    if (c == '\n' || c == '\r') { /* blank line */
      take(r);
      if (c == '\r' && peek(r) == '\n') take(r);
      r->next_line++;
      continue;
    }
    break;
  }
  bool quoted = false, in_quotes = false, field_start = true;
  for (;;) {
    if (in_quotes) run(r, true);
    else if (!quoted && run(r, false) > 0) field_start = false;
    c = take(r);
    if (c < 0) {
      if (in_quotes) r->bad_quote = true;
      end_field(r);
      return 1;
    }
    if (in_quotes) {
      if (c == '"') {
        if (peek(r) == '"') {
          take(r);
          buf_putc(&r->rec, '"');
        } else {
          in_quotes = false;
        }
      } else {
        if (c == '\n') r->next_line++;
        buf_putc(&r->rec, (char)c);
      }
      continue;
    }
    if (c == ',') {
      end_field(r);
      field_start = true;
      quoted = false;
      continue;
    }
    if (c == '\r' || c == '\n') {
      if (c == '\r' && peek(r) == '\n') take(r);
      r->next_line++;
      end_field(r);
      return 1;
    }
    if (c == '"') {
      if (field_start) {
        in_quotes = quoted = true;
        field_start = false;
        continue;
      }
      r->bad_quote = true;
    } else if (quoted) {
      r->bad_quote = true; /* text after a closing quote */
    }
    field_start = false;
    buf_putc(&r->rec, (char)c);
  }
}

/* formula_lead() is true when s, after any apostrophes, starts with a
** character a spreadsheet takes as the start of a formula. */
static bool formula_lead(const char *s) {
  while (*s == '\'') s++;
  return *s && strchr("=+-@\t\r", *s) != NULL;
}

const char *csv_field(const CsvReader *r, int i) {
  if (i < 0 || i >= r->nField || i >= CSV_MAX_FIELDS) return "";
  const char *f = r->rec.a + r->aOff[i];
  return f[0] == '\'' && formula_lead(f) ? f + 1 : f; /* what csv_put() escaped */
}

void csv_put(Buf *b, const char *s) {
  bool quote = strpbrk(s, ",\"\r\n") != NULL;
  if (quote) buf_putc(b, '"');
  if (formula_lead(s)) buf_putc(b, '\''); /* shown as text, never run; inside the quotes, so they still open the field */
  if (!quote) {
    buf_puts(b, s);
    return;
  }
  for (; *s; s++) {
    if (*s == '"') buf_putc(b, '"');
    buf_putc(b, *s);
  }
  buf_putc(b, '"');
}
