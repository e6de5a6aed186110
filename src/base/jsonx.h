/*
** jsonx.h — decoding a JSON request object into a C struct by a table of
** fields, so every handler validates input the same way: unknown fields,
** missing required fields, wrong types, over-long or malformed strings are
** refused with a stable code naming the field.
*/
#ifndef XINQU_JSONX_H
#define XINQU_JSONX_H

#include <jansson.h>
#include "base.h"
#include "buf.h"

typedef enum eJType {
  J_STR = 1, /* dst: char[cap]; valid UTF-8, no control characters, ≤ maxlen code points */
  J_INT,     /* dst: int64_t; a JSON integer in [min, max] */
  J_BOOL,    /* dst: bool */
  J_OBJ,     /* dst: const json_t * (borrowed from the request); a JSON object */
  J_ARR      /* dst: const json_t * (borrowed); a JSON array */
} eJType;

typedef struct JField {
  const char *name;  /* member name */
  eJType type;
  bool required;     /* missing → request.missing_field */
  void *dst;         /* where the value goes */
  size_t cap;        /* J_STR: size of the dst buffer in bytes */
  int64_t min, max;  /* J_STR: min/max length in code points (max 0 = cap-1 bytes);
                        J_INT: allowed range (both 0 = any int64 ≥ 0) */
  bool *present;     /* if not NULL, set true when the member was given */
} JField;

/* jsonx_decode() checks that obj is an object with only the listed members
** (unless allow_unknown) and stores each into its dst. Strings are trimmed of
** surrounding white space. Returns 0, or -1 with *e set to E_INVALID and one
** of: request.not_object, request.unknown_field, request.missing_field,
** request.bad_type, request.too_long, request.too_short, request.bad_text,
** request.out_of_range — with e->field naming the member. */
int jsonx_decode(const json_t *obj, const JField *f, int nField, bool allow_unknown, Err *e);

/* jsonx_text() copies the string member k of o (leading blanks dropped,
** 1..max characters; label names it in Chinese for the message) into out,
** whose cap bytes must hold max characters of four bytes (panics if not).
** 0, or -1 as text_check(). */
int jsonx_text(const json_t *o, const char *k, const char *label, char *out, size_t cap, size_t max, Err *e);

/* jsonx_time() is instant ms (since the epoch) as ISO 8601 text in Beijing
** time, or null for 0 (not yet): a new reference. */
json_t *jsonx_time(int64_t ms);

/* jsonx_fill() appends template tmpl to out with each {name} replaced by
** the member name of vars when it is a string (a placeholder vars does not
** give stays as it is). Templates are data (params.h): a notice's wording,
** a number's format. */
void jsonx_fill(Buf *out, const char *tmpl, const json_t *vars);

/* jsonx_parse() parses a request body: valid UTF-8, well-formed JSON without
** duplicate keys, nesting ≤ 32, an object at the top. Returns the new object
** (caller json_decref()s), or NULL with *e set: request.bad_utf8,
** request.bad_json (with line/column) or request.not_object. */
json_t *jsonx_parse(const char *body, size_t n, Err *e);

/* jsonx_dumps() is json_dumps(j, flags) with every real in the fewest
** significant digits that read back as the same double (0.1, not jansson's
** 17 digits 0.10000000000000001), written as jansson writes a real: with a
** '.' or an exponent (1.0, 1e300, -2.5e-7). Strings and integers are left
** as they are. Returns a new string (free()), or NULL when json_dumps()
** fails. For what people and other programs read: the HTTP answers and the
** command line's JSON (stored or hashed text keeps json_dumps()). */
char *jsonx_dumps(const json_t *j, size_t flags);

#endif
