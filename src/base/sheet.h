/*
** sheet.h — ledgers (台账) as officials keep them in Excel or CSV: one
** mechanism for every import and export of a domain's records.
**
** A SheetTable names the columns: each its JSON member, its Chinese title
** and what its cells hold. Reading a file with the table turns every row
** into the JSON object the domain's API takes (so an imported row passes
** the very checks a form does), remembering the line it came from, so a
** rejection names the line. Writing takes rows of text and gives a CSV
** (UTF-8 with the byte-order mark Excel on a Chinese Windows needs) or an
** Excel workbook with the same titles, so an export imports back.
**
** Reading is bounded (file, rows, columns, bytes of a cell: xlsx.h) and
** hostile input gives errors, never a crash.
*/
#ifndef XINQU_SHEET_H
#define XINQU_SHEET_H

#include <jansson.h>
#include "base.h"
#include "buf.h"

/* SheetEnum: a code and the label a cell may give for it; lists end in
** {NULL, NULL}. Reading accepts either; writing writes the label. */
typedef struct SheetEnum {
  const char *code, *label;
} SheetEnum;

/* What a column's cells hold. */
typedef enum eSheetKind {
  SK_TEXT,     /* text as it is (trimmed) */
  SK_DATE,     /* a date: YYYY-MM-DD, also 2021/3/5, 2021.3.5, 2021年3月5日 or an Excel day number */
  SK_INT,      /* a whole number, written as a JSON integer */
  SK_NUMBER,   /* a figure kept as text ("1,234.56"), a number cell in Excel */
  SK_LIST,     /* several values, split at 、，,;； or blanks: a JSON array of strings */
  SK_ENUM,     /* one of the column's SheetEnum, by label or code */
  SK_COUNTRY,  /* ISO 3166 alpha-2, or the country's Chinese or English name */
  SK_PROVINCE, /* GB/T 2260 two digits, or the province's name (辽宁省 or 辽宁) */
  SK_BOOL      /* 是 or 否 (also true/false, 1/0): a JSON boolean */
} eSheetKind;

/* Column flags. */
#define SC_REQUIRED 1u /* the header must have the column */
#define SC_EXPORT 2u   /* written by exports, ignored by imports (e.g. a derived figure) */
#define SC_GROUP 4u    /* a member of the last element of the table's group array; its key is
                          "group.member" ("investors.share") */

typedef struct SheetCol {
  const char *key;      /* the JSON member; the header may name the column by it */
  const char *label;    /* the Chinese title, as exports write it */
  eSheetKind kind;      /* what the cells hold */
  unsigned flags;       /* SC_* */
  const SheetEnum *map; /* SK_ENUM: the codes and labels */
  double width;         /* the Excel column width (characters) */
} SheetCol;

/* SheetTable: a ledger's layout. With a group, a row that leaves every
** column outside the group blank adds one more element to the group array
** of the row above (a project with several investors takes a row each). */
typedef struct SheetTable {
  const char *sheet;    /* the worksheet's name ("招商活动"); imports read that sheet, else the first */
  const SheetCol *aCol; /* the columns, in export order */
  int nCol;
  const char *group;    /* the JSON array SC_GROUP columns fill, or NULL */
  const char *group_label; /* what an element of it is called ("投资方"), for messages */
} SheetTable;

/* sheet_read() reads data[0..n) — an Excel workbook when it starts as a zip
** does, else CSV in UTF-8 — laid out as t: the header is the first row
** naming every required column (rows above it, such as a title, are
** skipped), by label or key in any order; columns the table does not know
** are refused. Every later non-blank row becomes {"line": L, "lines": [L,
** …one per group element], "row": {...}} in the array returned (new).
** A row that cannot be read as the table says (a quoting error, text that
** is not UTF-8, a value not in its column's list, a date or number that is
** not one) is left out and added to bad (err_more(); the Err's line is its
** line, its field the column's key, its message names the line and the
** column). At most max_rows rows. Returns NULL with *e when the file as a
** whole cannot be read: import.empty, import.bad_header,
** import.too_many_rows, import.bad_utf8, xlsx.* (xlsx.h). */
json_t *sheet_read(const SheetTable *t, const void *data, size_t n, int64_t max_rows, Err *bad, Err *e);

/* sheet_column() is the column of t an error's field names: the one of
** that key, the group column of a group element's field
** ("investors.2.share" → "investors.share"), or the column keyed by the
** last part of a dotted field; NULL when none. */
const SheetCol *sheet_column(const SheetTable *t, const char *field);

/* sheet_reject() sets *e to a rejection of line: code, field (a key of t),
** and the message of why (Chinese and English) with "第 L 行「列名」：" before
** it; adds it to e->all (err_more()). */
void sheet_reject(Err *e, const SheetTable *t, int64_t line, const Err *why);

/* SheetDecode: checks one read row (its JSON object and its line) and keeps
** what it needs in ctx (row i of the file, from 0). Returns 0, or -1 with
** *why: a refusal of the row, or an E_INTERNAL failure (or E_FORBIDDEN: the
** caller may not import at all, known once the file has been read) that
** ends the import with that error. */
typedef int (*SheetDecode)(void *ctx, int i, const json_t *row, int64_t line, Err *why);

/* The most refusals one import lists (the count says how many there were). */
#define SHEET_SHOWN 500

/* sheet_import() reads data[0..n) laid out as t (sheet_read()) and decodes
** every row with decode: all or nothing. Returns the number of rows, every
** one of which passed; or -1 with *e: the read's error, a decode's
** E_INTERNAL failure, or import.rejected ("N 行未通过检查，未导入任何数据")
** with each refused row (up to SHEET_SHOWN) in e->all as sheet_reject()
** writes them, when e->all is given. A file that cannot be read is refused
** as such before any row is decoded. */
int64_t sheet_import(const SheetTable *t, const void *data, size_t n, int64_t max_rows, SheetDecode decode, void *ctx,
                     Err *e);

/* The most data rows one export writes; past them the export is refused
** (export.too_many), never cut short without a word. */
#define SHEET_MAX_ROWS 100000

/* SheetOut: a file being written (opaque). */
typedef struct SheetOut SheetOut;

/* sheet_out_new() starts a file: Excel when xlsx, else CSV. Allocates;
** free with sheet_out_end(). NULL with *e when no temporary file can be
** made. */
SheetOut *sheet_out_new(bool xlsx, Err *e);

/* sheet_out_begin() starts a sheet laid out as t (a CSV file holds one):
** an optional title row above (merged across the columns in Excel), then
** the header of the columns' labels. SC_GROUP columns are written too. */
void sheet_out_begin(SheetOut *o, const SheetTable *t, const char *title);

/* sheet_out_row() writes one row: v[i] is the text of column i (NULL or ""
** for a blank): an SK_ENUM code is written as its label, SK_COUNTRY and
** SK_PROVINCE codes as names, SK_NUMBER and SK_INT as numbers in Excel. */
void sheet_out_row(SheetOut *o, const char *const *v);

/* sheet_out_end() finishes the file into out (appended) and frees o.
** Returns the data rows written, or -1 with *e: export.too_many (more than
** SHEET_MAX_ROWS rows: narrow the selection), export.write. */
int64_t sheet_out_end(SheetOut *o, Buf *out, Err *e);

/* sheet_date() reads a date as an official may type it into day[11] as
** YYYY-MM-DD: YYYY-MM-DD, YYYY/M/D, YYYY.M.D, YYYY年M月D日, and when
** excel, an Excel day number (1900 system). Returns 0, or -1. */
int sheet_date(const char *s, bool excel, char day[11]);

#endif
