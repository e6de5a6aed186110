/* fuzz_xlsx.c — libFuzzer target: the .xlsx reader on hostile sheets.
** Random bytes are almost never a zip, so the input is split at its first
** NUL into the sheet's XML and the shared strings' XML, and packed with a
** fixed workbook into a real zip (libzip, in memory). Every row read must
** keep the reader's promises: rows ascend, no more columns or longer cells
** than the limits allow, and no crash, leak or sanitizer report. */
#include "base/base.h"
#include "base/xlsx.h"

#include <stdlib.h>
#include <string.h>
#include <zip.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char WORKBOOK[] =
    "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
    "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
    "<sheets><sheet name=\"事项\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";
static const char RELS[] =
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
    "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings\" Target=\"sharedStrings.xml\"/>"
    "</Relationships>";

/* pack() builds the zip in memory and returns its bytes (malloc'd), or NULL. */
static char *pack(const char *sheet, size_t nSheet, const char *sst, size_t nSst, size_t *n) {
  zip_error_t ze;
  zip_error_init(&ze);
  zip_source_t *mem = zip_source_buffer_create(NULL, 0, 0, &ze);
  zip_t *z = mem ? zip_open_from_source(mem, ZIP_TRUNCATE, &ze) : NULL;
  char *out = NULL;
  if (!z) goto out;
  zip_source_keep(mem);
  const struct { const char *name, *text; size_t n; } parts[] = {
      {"xl/workbook.xml", WORKBOOK, sizeof WORKBOOK - 1},
      {"xl/_rels/workbook.xml.rels", RELS, sizeof RELS - 1},
      {"xl/worksheets/sheet1.xml", sheet, nSheet},
      {"xl/sharedStrings.xml", sst, nSst},
  };
  for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
    zip_source_t *s = zip_source_buffer(z, parts[i].text, parts[i].n, 0);
    if (!s || zip_file_add(z, parts[i].name, s, 0) < 0) {
      zip_source_free(s);
      zip_discard(z);
      goto out;
    }
  }
  if (zip_close(z) != 0) {
    zip_discard(z);
    goto out;
  }
  zip_stat_t st;
  if (zip_source_stat(mem, &st) == 0 && zip_source_open(mem) == 0) {
    out = xmalloc(st.size ? st.size : 1);
    zip_int64_t got = zip_source_read(mem, out, st.size);
    zip_source_close(mem);
    if (got != (zip_int64_t)st.size) {
      free(out);
      out = NULL;
    } else {
      *n = st.size;
    }
  }
out:
  if (mem) zip_source_free(mem);
  zip_error_fini(&ze);
  return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static const XlsxLimits lim = {.max_file = 1 << 20, .max_part = 64 << 10, .max_rows = 500,
                                 .max_cols = 20, .max_strings = 200, .max_text = 400};
  const char *p = (const char *)data, *nul = memchr(p, 0, size);
  size_t nSheet = nul ? (size_t)(nul - p) : size;
  const char *sst = nul ? nul + 1 : "";
  size_t nSst = nul ? size - nSheet - 1 : 0;
  size_t n = 0;
  char *zip = pack(p, nSheet, sst, nSst, &n);
  if (!zip) return 0;
  Err e;
  Xlsx *x = xlsx_open(zip, n, "事项", &lim, &e);
  if (x) {
    int64_t last = 0;
    while (xlsx_next(x, &e) == 1) {
      if (xlsx_row(x) <= last || xlsx_row(x) > lim.max_rows) __builtin_trap();
      last = xlsx_row(x);
      if (xlsx_ncell(x) > lim.max_cols) __builtin_trap();
      for (int i = 0; i < xlsx_ncell(x); i++)
        if (strlen(xlsx_cell(x, i)) > lim.max_text) __builtin_trap();
    }
    xlsx_close(x);
  }
  free(zip);
  return 0;
}
