/*
** xlsx.c — the bounded .xlsx row reader (see xlsx.h): libzip opens the
** archive from memory, expat parses each part as a stream. The sheet is
** parsed a chunk at a time and the parser is suspended at the end of every
** row, so only one row's cells are held at once (the shared strings are
** held whole: cells refer to them by index).
*/
#include "xlsx.h"
#include "buf.h"

#include <expat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

/* What the parser is reading: the handlers are shared, their meaning is not. */
typedef enum ePart { PART_WORKBOOK, PART_RELS, PART_STRINGS, PART_SHEET } ePart;

struct Xlsx {
  XlsxLimits lim;          /* the bounds (copied) */
  zip_t *zip;              /* the archive */
  XML_Parser p;            /* the parser of the part being read */
  ePart part;              /* which part that is */
  bool failed;             /* err holds why; every later call fails */
  Err err;                 /* the failure a handler found */
  /* workbook.xml and its relationships */
  const char *want;        /* the sheet name asked for, or NULL */
  char first_rid[64];      /* r:id of the first sheet */
  char want_rid[64];       /* r:id of the sheet named want, "" when none */
  char sheet_path[256];    /* zip name of the chosen sheet, "" until found */
  char strings_path[256];  /* zip name of the shared strings, "" when none */
  /* shared strings */
  char **aStr;             /* the strings (each malloc'd) */
  int64_t nStr, nStrAlloc;
  bool in_si;              /* inside <si> */
  int in_rph;              /* depth of <rPh> (phonetic runs, not part of the text) */
  /* text collection (shared string, <v> or inline <t>) */
  bool collect;            /* character data goes into text */
  Buf text;
  /* the sheet */
  zip_file_t *zf;          /* the sheet part, open */
  size_t part_read;        /* its bytes inflated so far */
  char chunk[16384];       /* read buffer */
  bool suspended;          /* the parser stopped at the end of a row */
  bool done;               /* the sheet is fully parsed */
  bool row_ready;          /* a row is complete */
  bool in_cell;            /* inside <c> */
  bool in_is;              /* inside <is> (an inline string) */
  char cell_type[16];      /* the t attribute of the current cell */
  int64_t row, last_row;   /* current row number, the previous one */
  int col, last_col;       /* current cell's column (1-based), the previous one */
  char **aCell;            /* lim.max_cols slots, NULL where missing */
  int nCell;               /* highest column set in this row */
  bool any;                /* the row has a non-empty cell */
};

/* fail() records the first failure and aborts the parse in progress. */
static void fail(Xlsx *x, const char *code, const char *zh, const char *en) {
  if (!x->failed) err_set(&x->err, E_INVALID, code, "file", zh, en);
  x->failed = true;
  if (x->p) XML_StopParser(x->p, XML_FALSE);
}

/* local() is name without its namespace prefix ("x:row" → "row"). */
static const char *local(const char *name) {
  const char *c = strrchr(name, ':');
  return c ? c + 1 : name;
}

/* attr() finds the attribute whose local name is lname; NULL when absent. */
static const char *attr(const XML_Char **a, const char *lname) {
  for (int i = 0; a[i]; i += 2)
    if (strcmp(local(a[i]), lname) == 0) return a[i + 1];
  return NULL;
}

/* rid_attr() is the r:id of a <sheet>: an "id" attribute with a prefix. */
static const char *rid_attr(const XML_Char **a) {
  for (int i = 0; a[i]; i += 2)
    if (strchr(a[i], ':') && strcmp(local(a[i]), "id") == 0) return a[i + 1];
  return NULL;
}

/* put_utf8() appends code point cp to b as UTF-8. */
static void put_utf8(Buf *b, unsigned cp) {
  char u[4];
  size_t n;
  if (cp < 0x80) u[0] = (char)cp, n = 1;
  else if (cp < 0x800) u[0] = (char)(0xc0 | cp >> 6), u[1] = (char)(0x80 | (cp & 0x3f)), n = 2;
  else {
    u[0] = (char)(0xe0 | cp >> 12), u[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
    u[2] = (char)(0x80 | (cp & 0x3f)), n = 3;
  }
  buf_append(b, u, n);
}

/* unescape() returns a new string: s[0..n) with each `_xHHHH_` (the OOXML
** escape for characters XML cannot carry, and for "_x" itself as
** _x005F_) replaced by the character. A NUL or a surrogate is kept as
** written. Allocates the result (free() it). */
static char *unescape(const char *s, size_t n) {
  if (!memmem(s, n, "_x", 2)) return xstrndup(s, n);
  Buf b = {0};
  for (size_t i = 0; i < n;) {
    unsigned cp = 0;
    bool ok = i + 7 <= n && s[i] == '_' && s[i + 1] == 'x' && s[i + 6] == '_';
    for (int k = 2; ok && k < 6; k++) {
      char c = s[i + k];
      int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
            : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
      if (d < 0) ok = false;
      else cp = cp << 4 | (unsigned)d;
    }
    if (ok && cp != 0 && (cp < 0xd800 || cp > 0xdfff)) {
      put_utf8(&b, cp);
      i += 7;
    } else {
      buf_putc(&b, s[i++]);
    }
  }
  buf_putc(&b, 0); /* an empty result still needs an allocation */
  return buf_detach(&b);
}

/* Handlers ----------------------------------------------------------------- */

/* on_doctype() refuses any DOCTYPE: without one no entity can be declared,
** so nothing can expand (billion laughs) or be fetched (external entities). */
static void XMLCALL on_doctype(void *ud, const XML_Char *name, const XML_Char *sysid,
                               const XML_Char *pubid, int has_internal_subset) {
  (void)name, (void)sysid, (void)pubid, (void)has_internal_subset;
  fail(ud, "xlsx.doctype", "Excel 文件不得含 DOCTYPE 或实体声明",
       "The Excel file must not contain a DOCTYPE or entity declarations");
}

/* on_entity() refuses an entity declaration (unreachable without a DOCTYPE;
** kept as a second lock). */
static void XMLCALL on_entity(void *ud, const XML_Char *name, int is_param, const XML_Char *value,
                              int value_len, const XML_Char *base, const XML_Char *sysid,
                              const XML_Char *pubid, const XML_Char *notation) {
  (void)name, (void)is_param, (void)value, (void)value_len, (void)base, (void)sysid;
  (void)pubid, (void)notation;
  fail(ud, "xlsx.doctype", "Excel 文件不得含 DOCTYPE 或实体声明",
       "The Excel file must not contain a DOCTYPE or entity declarations");
}

/* on_text() collects character data while x->collect, within max_text. */
static void XMLCALL on_text(void *ud, const XML_Char *s, int len) {
  Xlsx *x = ud;
  if (!x->collect || x->failed) return;
  if (x->text.n + (size_t)len > x->lim.max_text) {
    char zh[160], en[160];
    snprintf(zh, sizeof zh, "Excel 文件中有超过 %zu 字节的文本", x->lim.max_text);
    snprintf(en, sizeof en, "The Excel file holds a text longer than %zu bytes", x->lim.max_text);
    fail(x, "xlsx.too_long", zh, en);
    return;
  }
  buf_append(&x->text, s, (size_t)len);
}

/* resolve() turns a relationship Target into a zip name into out: targets
** are relative to xl/ unless they start with '/'. False when too long. */
static bool resolve(const char *target, char out[256]) {
  int n = target[0] == '/' ? snprintf(out, 256, "%s", target + 1)
                           : snprintf(out, 256, "xl/%s", target);
  return n > 0 && n < 256;
}

/* parse_ref() reads a cell reference "BC12" (letters then digits); *col
** gets the column (A = 1), *row the row (0 when absent). False when it is
** not one or is absurdly large. */
static bool parse_ref(const char *r, int *col, int64_t *row) {
  int c = 0;
  int64_t w = 0;
  const char *p = r;
  for (; *p >= 'A' && *p <= 'Z'; p++) {
    c = c * 26 + (*p - 'A' + 1);
    if (c > 1 << 20) return false;
  }
  if (p == r) return false;
  for (; *p >= '0' && *p <= '9'; p++) {
    w = w * 10 + (*p - '0');
    if (w > (int64_t)1 << 40) return false;
  }
  if (*p) return false;
  *col = c;
  *row = w;
  return true;
}

/* clear_row() frees the cells of the current row. */
static void clear_row(Xlsx *x) {
  for (int i = 0; i < x->nCell; i++) {
    free(x->aCell[i]);
    x->aCell[i] = NULL;
  }
  x->nCell = 0;
  x->any = false;
}

static void sheet_start(Xlsx *x, const char *n, const XML_Char **a) {
  if (strcmp(n, "row") == 0) {
    const char *r = attr(a, "r");
    int64_t num = x->last_row + 1;
    if (r) {
      char *end;
      long long v = strtoll(r, &end, 10);
      num = *r && !*end && v > 0 && v <= (long long)1 << 40 ? v : -1;
    }
    if (num <= x->last_row) {
      fail(x, "xlsx.bad_cell", "Excel 工作表的行号无效或未按顺序", "A row number of the sheet is invalid or out of order");
      return;
    }
    if (num > x->lim.max_rows) {
      char zh[128], en[128];
      snprintf(zh, sizeof zh, "工作表超过 %lld 行", (long long)x->lim.max_rows);
      snprintf(en, sizeof en, "The sheet has more than %lld rows", (long long)x->lim.max_rows);
      fail(x, "xlsx.too_many_rows", zh, en);
      return;
    }
    clear_row(x);
    x->row = num;
    x->last_col = 0;
  } else if (strcmp(n, "c") == 0) {
    const char *r = attr(a, "r"), *t = attr(a, "t");
    int col = x->last_col + 1;
    int64_t row = 0;
    if (r && (!parse_ref(r, &col, &row) || (row && row != x->row))) col = -1;
    if (col <= x->last_col || x->row == 0) {
      fail(x, "xlsx.bad_cell", "Excel 单元格位置无效或未按顺序", "A cell reference is invalid or out of order");
      return;
    }
    if (col > x->lim.max_cols) {
      char zh[128], en[128];
      snprintf(zh, sizeof zh, "工作表超过 %d 列", x->lim.max_cols);
      snprintf(en, sizeof en, "The sheet has more than %d columns", x->lim.max_cols);
      fail(x, "xlsx.too_many_columns", zh, en);
      return;
    }
    x->col = x->last_col = col;
    snprintf(x->cell_type, sizeof x->cell_type, "%s", t ? t : "n");
    x->in_cell = true;
    buf_reset(&x->text);
  } else if (x->in_cell && strcmp(n, "v") == 0) {
    x->collect = true;
  } else if (x->in_cell && strcmp(n, "is") == 0) {
    x->in_is = true;
  } else if (x->in_is && strcmp(n, "rPh") == 0) {
    x->in_rph++;
  } else if (x->in_is && !x->in_rph && strcmp(n, "t") == 0) {
    x->collect = true;
  }
}

/* cell_end() stores the value of the cell just closed. */
static void cell_end(Xlsx *x) {
  char *v;
  x->in_cell = x->in_is = false;
  x->in_rph = 0;
  if (strcmp(x->cell_type, "s") == 0 && x->text.n == 0) {
    v = xstrdup(""); /* a styled cell with no value */
  } else if (strcmp(x->cell_type, "s") == 0) {
    char *end;
    const char *s = buf_cstr(&x->text);
    long long i = strtoll(s, &end, 10);
    if (!*s || *end || i < 0 || i >= x->nStr) {
      fail(x, "xlsx.bad_cell", "Excel 单元格引用了不存在的共享字符串", "A cell refers to a shared string that does not exist");
      return;
    }
    v = xstrdup(x->aStr[i]);
  } else {
    v = unescape(x->text.a ? x->text.a : "", x->text.n);
  }
  if (v[0]) x->any = true;
  x->aCell[x->col - 1] = v;
  x->nCell = x->col;
}

static void sheet_end(Xlsx *x, const char *n) {
  if (strcmp(n, "v") == 0 || strcmp(n, "t") == 0) {
    x->collect = false;
  } else if (strcmp(n, "rPh") == 0) {
    if (x->in_rph) x->in_rph--;
  } else if (strcmp(n, "c") == 0 && x->in_cell) {
    cell_end(x);
  } else if (strcmp(n, "row") == 0) {
    x->last_row = x->row;
    if (x->any) {
      x->row_ready = true;
      XML_StopParser(x->p, XML_TRUE);
    } else {
      clear_row(x);
    }
  }
}

static void strings_start(Xlsx *x, const char *n) {
  if (strcmp(n, "si") == 0) {
    if (x->nStr >= x->lim.max_strings) {
      char zh[128], en[128];
      snprintf(zh, sizeof zh, "共享字符串超过 %lld 个", (long long)x->lim.max_strings);
      snprintf(en, sizeof en, "More than %lld shared strings", (long long)x->lim.max_strings);
      fail(x, "xlsx.too_many_strings", zh, en);
      return;
    }
    x->in_si = true;
    x->in_rph = 0;
    buf_reset(&x->text);
  } else if (x->in_si && strcmp(n, "rPh") == 0) {
    x->in_rph++;
  } else if (x->in_si && !x->in_rph && strcmp(n, "t") == 0) {
    x->collect = true;
  }
}

static void strings_end(Xlsx *x, const char *n) {
  if (strcmp(n, "t") == 0) {
    x->collect = false;
  } else if (strcmp(n, "rPh") == 0) {
    if (x->in_rph) x->in_rph--;
  } else if (strcmp(n, "si") == 0 && x->in_si) {
    if (x->nStr == x->nStrAlloc) {
      x->nStrAlloc = x->nStrAlloc ? x->nStrAlloc * 2 : 256;
      x->aStr = xrealloc(x->aStr, (size_t)x->nStrAlloc * sizeof *x->aStr);
    }
    x->aStr[x->nStr++] = unescape(x->text.a ? x->text.a : "", x->text.n);
    x->in_si = false;
  }
}

static void workbook_start(Xlsx *x, const char *n, const XML_Char **a) {
  if (strcmp(n, "sheet") != 0) return;
  const char *name = attr(a, "name"), *rid = rid_attr(a);
  if (!rid || strlen(rid) >= sizeof x->first_rid) return;
  if (!x->first_rid[0]) snprintf(x->first_rid, sizeof x->first_rid, "%s", rid);
  if (x->want && name && !x->want_rid[0] && strcmp(name, x->want) == 0)
    snprintf(x->want_rid, sizeof x->want_rid, "%s", rid);
}

static void rels_start(Xlsx *x, const char *n, const XML_Char **a) {
  if (strcmp(n, "Relationship") != 0) return;
  const char *id = attr(a, "Id"), *target = attr(a, "Target"), *type = attr(a, "Type");
  if (!id || !target || !type) return;
  const char *rid = x->want_rid[0] ? x->want_rid : x->first_rid;
  size_t tl = strlen(type);
  if (strcmp(id, rid) == 0 && !resolve(target, x->sheet_path)) x->sheet_path[0] = 0;
  if (tl >= 14 && strcmp(type + tl - 14, "/sharedStrings") == 0 &&
      !resolve(target, x->strings_path))
    x->strings_path[0] = 0;
}

static void XMLCALL on_start(void *ud, const XML_Char *name, const XML_Char **a) {
  Xlsx *x = ud;
  const char *n = local(name);
  if (x->failed) return;
  switch (x->part) {
  case PART_WORKBOOK: workbook_start(x, n, a); break;
  case PART_RELS: rels_start(x, n, a); break;
  case PART_STRINGS: strings_start(x, n); break;
  case PART_SHEET: sheet_start(x, n, a); break;
  }
}

static void XMLCALL on_end(void *ud, const XML_Char *name) {
  Xlsx *x = ud;
  const char *n = local(name);
  if (x->failed) return;
  if (x->part == PART_STRINGS) strings_end(x, n);
  else if (x->part == PART_SHEET) sheet_end(x, n);
}

/* Parts -------------------------------------------------------------------- */

static void too_large(Xlsx *x, const char *what) {
  char zh[256], en[256];
  snprintf(zh, sizeof zh, "Excel 文件的 %s 解压后超过 %zu 字节", what, x->lim.max_part);
  snprintf(en, sizeof en, "%s in the Excel file is larger than %zu bytes uncompressed", what, x->lim.max_part);
  fail(x, "xlsx.too_large", zh, en);
}

/* open_part() opens zip member name after checking, in the zip directory,
** that its uncompressed size is within max_part. Returns the open member;
** NULL with *absent = true when there is no such member, or NULL with
** x->err set when it is too large or cannot be read. */
static zip_file_t *open_part(Xlsx *x, const char *name, bool *absent) {
  zip_stat_t sb;
  *absent = false;
  zip_stat_init(&sb);
  if (zip_stat(x->zip, name, 0, &sb) != 0) {
    *absent = true;
    return NULL;
  }
  if (!(sb.valid & ZIP_STAT_SIZE) || sb.size > x->lim.max_part) {
    too_large(x, name);
    return NULL;
  }
  zip_file_t *zf = zip_fopen(x->zip, name, 0);
  if (!zf) fail(x, "xlsx.bad_zip", "Excel 文件中的部件无法读取（损坏或加密？）",
                "A part of the Excel file cannot be read (damaged or encrypted?)");
  return zf;
}

/* new_parser() makes x->p for part: our handlers, no external entities. */
static void new_parser(Xlsx *x, ePart part) {
  if (x->p) XML_ParserFree(x->p);
  x->p = XML_ParserCreate(NULL);
  if (!x->p) panic("XML_ParserCreate: out of memory");
  x->part = part;
  x->collect = x->in_si = false;
  x->in_rph = 0;
  XML_SetUserData(x->p, x);
  XML_SetElementHandler(x->p, on_start, on_end);
  XML_SetCharacterDataHandler(x->p, on_text);
  XML_SetStartDoctypeDeclHandler(x->p, on_doctype);
  XML_SetEntityDeclHandler(x->p, on_entity);
  XML_SetParamEntityParsing(x->p, XML_PARAM_ENTITY_PARSING_NEVER);
}

/* xml_failed() records expat's complaint (unless a handler already did). */
static void xml_failed(Xlsx *x, const char *name) {
  if (x->failed) return;
  char zh[384], en[384];
  snprintf(zh, sizeof zh, "Excel 文件的 %.100s 不是有效的 XML（第 %lu 行：%.100s）", name,
           (unsigned long)XML_GetCurrentLineNumber(x->p), XML_ErrorString(XML_GetErrorCode(x->p)));
  snprintf(en, sizeof en, "%.100s in the Excel file is not valid XML (line %lu: %.100s)", name,
           (unsigned long)XML_GetCurrentLineNumber(x->p), XML_ErrorString(XML_GetErrorCode(x->p)));
  fail(x, "xlsx.bad_xml", zh, en);
}

/* read_chunk() inflates the next chunk of zf into x->chunk, counting
** against max_part. Returns the bytes read (0 at the end) or -1 with
** x->err. */
static int read_chunk(Xlsx *x, zip_file_t *zf, const char *name) {
  zip_int64_t got = zip_fread(zf, x->chunk, sizeof x->chunk);
  if (got < 0) {
    fail(x, "xlsx.bad_zip", "Excel 文件中的部件无法解压（损坏？）",
         "A part of the Excel file cannot be inflated (damaged?)");
    return -1;
  }
  x->part_read += (size_t)got;
  if (x->part_read > x->lim.max_part) {
    too_large(x, name);
    return -1;
  }
  return (int)got;
}

/* parse_part() parses the whole member name as part. Returns 1 when
** parsed, 0 when absent, -1 with x->err. */
static int parse_part(Xlsx *x, const char *name, ePart part) {
  bool absent;
  zip_file_t *zf = open_part(x, name, &absent);
  int rc = -1, got;
  if (!zf) return absent ? 0 : -1;
  new_parser(x, part);
  x->part_read = 0;
  do {
    if ((got = read_chunk(x, zf, name)) < 0) goto out;
    if (XML_Parse(x->p, x->chunk, got, got == 0) != XML_STATUS_OK || x->failed) {
      xml_failed(x, name);
      goto out;
    }
  } while (got > 0);
  rc = 1;
out:
  zip_fclose(zf);
  return rc;
}

/* API ---------------------------------------------------------------------- */

bool xlsx_is_zip(const void *data, size_t n) {
  return n >= 4 && memcmp(data, "PK\3\4", 4) == 0;
}

Xlsx *xlsx_open(const void *data, size_t n, const char *sheet, const XlsxLimits *lim, Err *e) {
  Xlsx *x = xcalloc(1, sizeof *x);
  zip_error_t ze;
  zip_source_t *src = NULL;
  bool absent;
  x->lim = *lim;
  x->want = sheet;
  x->aCell = xcalloc((size_t)(lim->max_cols > 0 ? lim->max_cols : 1), sizeof *x->aCell);
  if (n > lim->max_file) {
    char zh[128], en[128];
    snprintf(zh, sizeof zh, "Excel 文件超过 %zu 字节", lim->max_file);
    snprintf(en, sizeof en, "The Excel file is larger than %zu bytes", lim->max_file);
    fail(x, "xlsx.too_large", zh, en);
    goto fail;
  }
  zip_error_init(&ze);
  if (!xlsx_is_zip(data, n) || !(src = zip_source_buffer_create(data, n, 0, &ze)) ||
      !(x->zip = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &ze))) {
    if (src) zip_source_free(src);
    zip_error_fini(&ze);
    fail(x, "xlsx.not_zip", "文件不是 Excel 工作簿（.xlsx 是 zip 文件）",
         "The file is not an Excel workbook (an .xlsx is a zip file)");
    goto fail;
  }
  zip_error_fini(&ze);
  int got = parse_part(x, "xl/workbook.xml", PART_WORKBOOK);
  if (got == 0)
    fail(x, "xlsx.no_workbook", "zip 文件中没有 Excel 工作簿（xl/workbook.xml）",
         "The zip file holds no Excel workbook (xl/workbook.xml)");
  if (got <= 0) goto fail;
  if (!x->first_rid[0]) {
    fail(x, "xlsx.no_sheet", "Excel 工作簿中没有工作表", "The Excel workbook has no sheet");
    goto fail;
  }
  snprintf(x->strings_path, sizeof x->strings_path, "xl/sharedStrings.xml");
  got = parse_part(x, "xl/_rels/workbook.xml.rels", PART_RELS);
  if (got < 0) goto fail;
  if (!x->sheet_path[0]) {
    fail(x, "xlsx.no_sheet", "找不到 Excel 工作簿中的工作表", "The sheet of the Excel workbook cannot be found");
    goto fail;
  }
  if (x->strings_path[0] && parse_part(x, x->strings_path, PART_STRINGS) < 0) goto fail;
  x->zf = open_part(x, x->sheet_path, &absent);
  if (!x->zf) {
    if (absent) fail(x, "xlsx.no_sheet", "找不到 Excel 工作簿中的工作表", "The sheet of the Excel workbook cannot be found");
    goto fail;
  }
  new_parser(x, PART_SHEET);
  x->part_read = 0;
  return x;
fail:
  if (e) *e = x->err;
  xlsx_close(x);
  return NULL;
}

int xlsx_next(Xlsx *x, Err *e) {
  clear_row(x);
  x->row_ready = false;
  while (!x->failed && !x->done) {
    enum XML_Status st;
    if (x->suspended) {
      x->suspended = false;
      st = XML_ResumeParser(x->p);
    } else {
      int got = read_chunk(x, x->zf, x->sheet_path);
      if (got < 0) break;
      st = XML_Parse(x->p, x->chunk, got, got == 0);
    }
    if (st == XML_STATUS_ERROR || x->failed) {
      xml_failed(x, x->sheet_path);
      break;
    }
    if (st == XML_STATUS_SUSPENDED) {
      x->suspended = true;
      if (x->row_ready) return 1;
      continue;
    }
    XML_ParsingStatus ps;
    XML_GetParsingStatus(x->p, &ps);
    if (ps.parsing == XML_FINISHED) x->done = true;
  }
  if (x->failed) {
    clear_row(x);
    if (e) *e = x->err;
    return -1;
  }
  return 0;
}

int64_t xlsx_row(const Xlsx *x) { return x->row; }

int xlsx_ncell(const Xlsx *x) { return x->nCell; }

const char *xlsx_cell(const Xlsx *x, int i) {
  if (i < 0 || i >= x->nCell || !x->aCell[i]) return "";
  return x->aCell[i];
}

void xlsx_close(Xlsx *x) {
  if (!x) return;
  clear_row(x);
  free(x->aCell);
  for (int64_t i = 0; i < x->nStr; i++) free(x->aStr[i]);
  free(x->aStr);
  buf_free(&x->text);
  if (x->p) XML_ParserFree(x->p);
  if (x->zf) zip_fclose(x->zf);
  if (x->zip) zip_discard(x->zip);
  free(x);
}
