/*
** xlsx.h — a bounded reader for the rows of one sheet of an Excel workbook
** (.xlsx, Office Open XML). It knows zips and the spreadsheet XML parts and
** nothing of what the cells mean: a row is its sheet row number and its
** cells as strings, placed by their column letters ("" where a cell is
** missing). Shared strings (rich-text runs joined, phonetic runs left out),
** inline strings, formula string results, booleans ("0"/"1") and numbers
** (as written in the file) all come out as text; `_xHHHH_` escapes are
** decoded.
**
** Hostile input is expected. Every size is bounded by XlsxLimits: the file,
** the uncompressed size of each part (checked in the zip directory before
** a byte is inflated, and counted again while reading), the rows, the
** columns, the shared strings and the bytes of any one string. The XML
** parser (expat) resolves no external entity and refuses any DOCTYPE, so
** no entity can be declared, let alone expanded. Every failure is an Err
** (E_INVALID, code xlsx.*), never a crash.
*/
#ifndef XINQU_XLSX_H
#define XINQU_XLSX_H

#include <stddef.h>
#include <stdint.h>
#include "base.h"

typedef struct XlsxLimits {
  size_t max_file;   /* bytes of the .xlsx itself */
  size_t max_part;   /* uncompressed bytes of any one part (XML file) read */
  int64_t max_rows;  /* highest sheet row number accepted (1-based) */
  int max_cols;      /* highest column accepted (A = 1) */
  int64_t max_strings; /* shared strings in the workbook */
  size_t max_text;   /* bytes of one cell's text or one shared string */
} XlsxLimits;

/* The reader: opaque, made by xlsx_open, freed by xlsx_close. */
typedef struct Xlsx Xlsx;

/* xlsx_open() opens the workbook in data[0..n) (not copied: keep it alive
** until xlsx_close), reads xl/workbook.xml and its relationships to find
** the sheet named sheet (or the first sheet when there is none of that
** name, or sheet is NULL), loads the shared strings and positions the
** reader before the sheet's first row. Allocates the reader. Returns it,
** or NULL with *e: xlsx.too_large (the file or a part is over its limit),
** xlsx.not_zip, xlsx.bad_zip (a part cannot be read), xlsx.no_workbook,
** xlsx.no_sheet, xlsx.bad_xml, xlsx.doctype, xlsx.too_many_strings,
** xlsx.too_long. */
Xlsx *xlsx_open(const void *data, size_t n, const char *sheet, const XlsxLimits *lim, Err *e);

/* xlsx_next() reads the next row that has at least one non-empty cell
** (rows without any are skipped, as a CSV reader skips blank lines).
** Returns 1 when one is ready (xlsx_row, xlsx_ncell, xlsx_cell), 0 at the
** end of the sheet, -1 with *e on a broken or over-limit sheet
** (xlsx.bad_xml, xlsx.doctype, xlsx.bad_cell, xlsx.too_many_rows,
** xlsx.too_many_columns, xlsx.too_long, xlsx.too_large, xlsx.bad_zip).
** After -1 every further call returns -1. */
int xlsx_next(Xlsx *x, Err *e);

/* xlsx_row() is the sheet row number (1-based) of the current row. */
int64_t xlsx_row(const Xlsx *x);
/* xlsx_ncell() is the number of columns up to the last cell present in the
** current row (A = 1 … ). */
int xlsx_ncell(const Xlsx *x);
/* xlsx_cell() is the text of column i (0 = A) of the current row; "" when
** the cell is missing or i is out of range. Valid until the next
** xlsx_next or xlsx_close. */
const char *xlsx_cell(const Xlsx *x, int i);

/* xlsx_close() frees the reader and everything it holds. NULL is fine. */
void xlsx_close(Xlsx *x);

/* xlsx_is_zip() is true when data starts as a zip file does ("PK\3\4"). */
bool xlsx_is_zip(const void *data, size_t n);

#endif
