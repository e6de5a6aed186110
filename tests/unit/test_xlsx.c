/* test_xlsx.c — the .xlsx row reader on workbooks built here with libzip:
** every cell kind (shared strings with rich-text and phonetic runs, inline
** strings, formula strings, booleans, numbers, missing cells, escapes), the
** sheet chosen by name or the first, blank rows skipped; and every refusal
** of a damaged or hostile file (not a zip, no workbook, DOCTYPE / billion
** laughs, a zip bomb, too many rows, columns or strings, an oversized
** string, a bad shared-string index, cells out of order, broken XML). */
#include "unit.h"
#include "base/base.h"
#include "base/buf.h"
#include "base/xlsx.h"

#include <stdio.h>
#include <unistd.h>
#include <zip.h>

typedef struct Part {
  const char *name; /* zip member name */
  const char *text; /* its content */
} Part;

static const XlsxLimits lim = {.max_file = 1 << 20, .max_part = 256 << 10, .max_rows = 1000,
                               .max_cols = 30, .max_strings = 100, .max_text = 1000};

/* make_zip() builds a zip of parts (deflated) and returns its bytes
** (malloc'd, *n their count). */
static char *make_zip(const Part *p, int nPart, size_t *n) {
  char path[] = "/tmp/xq-xlsx-XXXXXX";
  int fd = mkstemp(path);
  assert_true(fd >= 0);
  close(fd);
  int ze;
  zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &ze);
  assert_non_null(z);
  for (int i = 0; i < nPart; i++) {
    zip_source_t *s = zip_source_buffer(z, p[i].text, strlen(p[i].text), 0);
    assert_non_null(s);
    assert_true(zip_file_add(z, p[i].name, s, ZIP_FL_OVERWRITE) >= 0);
  }
  assert_int_equal(zip_close(z), 0);
  FILE *f = fopen(path, "rb");
  assert_non_null(f);
  fseek(f, 0, SEEK_END);
  long len = ftell(f);
  rewind(f);
  char *a = malloc((size_t)len + 1);
  assert_int_equal(fread(a, 1, (size_t)len, f), (size_t)len);
  fclose(f);
  unlink(path);
  *n = (size_t)len;
  return a;
}

#define WORKBOOK                                                                               \
  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"                                                 \
  "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "             \
  "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets>"   \
  "<sheet name=\"说明\" sheetId=\"1\" r:id=\"rId1\"/><sheet name=\"事项\" sheetId=\"2\" r:id=\"rId2\"/>" \
  "</sheets></workbook>"
#define RELS                                                                                   \
  "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">" \
  "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/>" \
  "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"/xl/worksheets/sheet2.xml\"/>" \
  "<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings\" Target=\"sharedStrings.xml\"/>" \
  "</Relationships>"
#define SST                                                                                    \
  "<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" count=\"3\" uniqueCount=\"3\">" \
  "<si><t>事项编码</t></si>"                                                                    \
  "<si><r><rPr><b/></rPr><t>富</t></r><r><t xml:space=\"preserve\">文本 </t></r>"              \
  "<rPh sb=\"0\" eb=\"1\"><t>ふ</t></rPh></si>"                                                 \
  "<si><t>a&amp;b_x000D_c</t></si></sst>"
#define SHEET_HEAD "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>"
#define SHEET_TAIL "</sheetData></worksheet>"

/* open_with() opens a workbook of the standard parts with sheet2 as given. */
static Xlsx *open_with(const char *sheet2, const char *sst, const XlsxLimits *l, Err *e, char **data) {
  Part p[] = {{"xl/workbook.xml", WORKBOOK},
              {"xl/_rels/workbook.xml.rels", RELS},
              {"xl/sharedStrings.xml", sst},
              {"xl/worksheets/sheet1.xml", SHEET_HEAD "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>第一张</t></is></c></row>" SHEET_TAIL},
              {"xl/worksheets/sheet2.xml", sheet2}};
  size_t n;
  *data = make_zip(p, 5, &n);
  return xlsx_open(*data, n, "事项", l, e);
}

static void reads_cells(void **state) {
  (void)state;
  Err e = {0};
  char *data;
  Xlsx *x = open_with(
      SHEET_HEAD
      "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"C1\" t=\"s\"><v>1</v></c></row>"
      "<row r=\"2\"><c r=\"A2\" t=\"s\"/><c r=\"B2\"/></row>" /* blank: skipped */
      "<row r=\"4\" spans=\"1:6\"><c r=\"A4\" t=\"inlineStr\"><is><r><t>内</t></r><r><t>联</t></r></is></c>"
      "<c r=\"B4\" t=\"str\"><f>A1&amp;\"x\"</f><v>公式</v></c><c r=\"C4\" t=\"b\"><v>1</v></c>"
      "<c r=\"D4\"><v>42</v></c><c r=\"E4\" s=\"3\"><v>2.5</v></c><c r=\"F4\" t=\"s\"><v>2</v></c></row>"
      "<row><c><v>7</v></c><c t=\"inlineStr\"><is><t>无引用</t></is></c></row>" SHEET_TAIL,
      SST, &lim, &e, &data);
  assert_non_null(x);
  assert_int_equal(xlsx_next(x, &e), 1);
  assert_int_equal(xlsx_row(x), 1);
  assert_int_equal(xlsx_ncell(x), 3);
  assert_string_equal(xlsx_cell(x, 0), "事项编码");
  assert_string_equal(xlsx_cell(x, 1), ""); /* missing B1 */
  assert_string_equal(xlsx_cell(x, 2), "富文本 "); /* runs joined, phonetic run left out */
  assert_string_equal(xlsx_cell(x, 9), "");
  assert_int_equal(xlsx_next(x, &e), 1);
  assert_int_equal(xlsx_row(x), 4);
  assert_string_equal(xlsx_cell(x, 0), "内联");
  assert_string_equal(xlsx_cell(x, 1), "公式");
  assert_string_equal(xlsx_cell(x, 2), "1");
  assert_string_equal(xlsx_cell(x, 3), "42");
  assert_string_equal(xlsx_cell(x, 4), "2.5");
  assert_string_equal(xlsx_cell(x, 5), "a&b\rc");
  assert_int_equal(xlsx_next(x, &e), 1);
  assert_int_equal(xlsx_row(x), 5);
  assert_string_equal(xlsx_cell(x, 0), "7");
  assert_string_equal(xlsx_cell(x, 1), "无引用");
  assert_int_equal(xlsx_next(x, &e), 0);
  assert_int_equal(xlsx_next(x, &e), 0);
  xlsx_close(x);
  free(data);
}

static void first_sheet_without_strings(void **state) {
  (void)state;
  Err e = {0};
  Part p[] = {{"xl/workbook.xml", WORKBOOK}, {"xl/_rels/workbook.xml.rels", RELS},
              {"xl/worksheets/sheet1.xml", SHEET_HEAD "<row r=\"3\"><c r=\"B3\" t=\"inlineStr\"><is><t>第一张</t></is></c></row>" SHEET_TAIL},
              {"xl/worksheets/sheet2.xml", SHEET_HEAD SHEET_TAIL}};
  size_t n;
  char *data = make_zip(p, 4, &n);
  Xlsx *x = xlsx_open(data, n, "没有这张", &lim, &e); /* no such sheet: the first one */
  assert_non_null(x);
  assert_int_equal(xlsx_next(x, &e), 1);
  assert_int_equal(xlsx_row(x), 3);
  assert_int_equal(xlsx_ncell(x), 2);
  assert_string_equal(xlsx_cell(x, 1), "第一张");
  assert_int_equal(xlsx_next(x, &e), 0);
  xlsx_close(x);
  free(data);
}

/* refused_sheet() expects sheet2 (with sst) to fail with code, at open or
** while reading rows. */
static void refused_sheet(const char *sheet2, const char *sst, const XlsxLimits *l, const char *code) {
  Err e = {0};
  char *data;
  Xlsx *x = open_with(sheet2, sst, l, &e, &data);
  int got = 1;
  while (x && (got = xlsx_next(x, &e)) == 1) {}
  if (x) assert_int_equal(got, -1);
  assert_string_equal(e.code, code);
  assert_int_equal(e.kind, E_INVALID);
  assert_true(e.message[0] && e.message_en[0]);
  if (x) assert_int_equal(xlsx_next(x, &e), -1);
  xlsx_close(x);
  free(data);
}

static void refusals(void **state) {
  (void)state;
  Err e = {0};
  /* Not a zip; a zip that is cut short; a zip without a workbook. */
  assert_null(xlsx_open("code,version\n", 13, NULL, &lim, &e));
  assert_string_equal(e.code, "xlsx.not_zip");
  Part other[] = {{"readme.txt", "hello"}};
  size_t n;
  char *data = make_zip(other, 1, &n);
  assert_null(xlsx_open(data, n / 2, NULL, &lim, &e));
  assert_string_equal(e.code, "xlsx.not_zip");
  assert_null(xlsx_open(data, n, NULL, &lim, &e));
  assert_string_equal(e.code, "xlsx.no_workbook");
  XlsxLimits small = lim;
  small.max_file = n - 1;
  assert_null(xlsx_open(data, n, NULL, &small, &e));
  assert_string_equal(e.code, "xlsx.too_large");
  free(data);
  /* A workbook without sheets. */
  Part nosheet[] = {{"xl/workbook.xml", "<workbook><sheets/></workbook>"}};
  data = make_zip(nosheet, 1, &n);
  assert_null(xlsx_open(data, n, NULL, &lim, &e));
  assert_string_equal(e.code, "xlsx.no_sheet");
  free(data);
  /* Billion laughs in the shared strings, an external entity in the sheet. */
  refused_sheet(SHEET_HEAD SHEET_TAIL,
                "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">"
                "<!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">"
                "<!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">]>"
                "<sst><si><t>&lol3;</t></si></sst>",
                &lim, "xlsx.doctype");
  refused_sheet("<?xml version=\"1.0\"?><!DOCTYPE w [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                SHEET_HEAD "<row r=\"1\"><c r=\"A1\" t=\"str\"><v>&x;</v></c></row>" SHEET_TAIL,
                SST, &lim, "xlsx.doctype");
  /* An undeclared entity is broken XML; so is a sheet cut short. */
  refused_sheet(SHEET_HEAD "<row r=\"1\"><c r=\"A1\" t=\"str\"><v>&x;</v></c></row>" SHEET_TAIL, SST,
                &lim, "xlsx.bad_xml");
  refused_sheet(SHEET_HEAD "<row r=\"1\"><c r=\"A1\" t=\"str\"><v>半", SST, &lim, "xlsx.bad_xml");
  /* Oversized shared string and inline string; too many shared strings. */
  char *big = malloc(4000), *sst = malloc(5000);
  memset(big, 'x', 2000);
  big[2000] = 0;
  snprintf(sst, 5000, "<sst><si><t>%s</t></si></sst>", big);
  refused_sheet(SHEET_HEAD SHEET_TAIL, sst, &lim, "xlsx.too_long");
  snprintf(sst, 5000, SHEET_HEAD "<row><c t=\"inlineStr\"><is><t>%s</t></is></c></row>" SHEET_TAIL, big);
  refused_sheet(sst, SST, &lim, "xlsx.too_long");
  Buf many = {0};
  buf_puts(&many, "<sst>");
  for (int i = 0; i < 101; i++) buf_puts(&many, "<si><t>s</t></si>");
  buf_puts(&many, "</sst>");
  refused_sheet(SHEET_HEAD SHEET_TAIL, buf_cstr(&many), &lim, "xlsx.too_many_strings");
  buf_free(&many);
  /* Too many columns, too many rows. */
  refused_sheet(SHEET_HEAD "<row r=\"1\"><c r=\"AE1\"><v>1</v></c></row>" SHEET_TAIL, SST, &lim,
                "xlsx.too_many_columns");
  refused_sheet(SHEET_HEAD "<row r=\"1\"><c r=\"XFD1\"><v>1</v></c></row>" SHEET_TAIL, SST, &lim,
                "xlsx.too_many_columns");
  refused_sheet(SHEET_HEAD "<row r=\"1\"><c><v>1</v></c></row><row r=\"1001\"><c><v>1</v></c></row>" SHEET_TAIL,
                SST, &lim, "xlsx.too_many_rows");
  /* Bad cells: a shared string that does not exist, cells or rows out of
  ** order, a reference that is not one. */
  refused_sheet(SHEET_HEAD "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>3</v></c></row>" SHEET_TAIL, SST, &lim, "xlsx.bad_cell");
  refused_sheet(SHEET_HEAD "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>-1</v></c></row>" SHEET_TAIL, SST, &lim, "xlsx.bad_cell");
  refused_sheet(SHEET_HEAD "<row r=\"1\"><c r=\"B1\"><v>1</v></c><c r=\"A1\"><v>2</v></c></row>" SHEET_TAIL, SST, &lim, "xlsx.bad_cell");
  refused_sheet(SHEET_HEAD "<row r=\"2\"><c><v>1</v></c></row><row r=\"2\"><c><v>1</v></c></row>" SHEET_TAIL, SST, &lim, "xlsx.bad_cell");
  refused_sheet(SHEET_HEAD "<row r=\"1\"><c r=\"A2\"><v>1</v></c></row>" SHEET_TAIL, SST, &lim, "xlsx.bad_cell");
  refused_sheet(SHEET_HEAD "<row r=\"1\"><c r=\"1A\"><v>1</v></c></row>" SHEET_TAIL, SST, &lim, "xlsx.bad_cell");
  /* A zip bomb: a small file whose sheet inflates past max_part, refused
  ** from the zip directory before it is inflated. */
  size_t bomb = 4 << 20;
  char *huge = malloc(bomb + 200);
  strcpy(huge, SHEET_HEAD "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>");
  size_t at = strlen(huge);
  memset(huge + at, ' ', bomb);
  strcpy(huge + at + bomb, "</t></is></c></row>" SHEET_TAIL);
  Part bp[] = {{"xl/workbook.xml", WORKBOOK}, {"xl/_rels/workbook.xml.rels", RELS},
               {"xl/worksheets/sheet2.xml", huge}};
  data = make_zip(bp, 3, &n);
  assert_true(n < lim.max_file / 8);
  assert_null(xlsx_open(data, n, "事项", &lim, &e));
  assert_string_equal(e.code, "xlsx.too_large");
  free(data);
  free(huge);
  free(big);
  free(sst);
}

static void magic(void **state) {
  (void)state;
  assert_true(xlsx_is_zip("PK\3\4rest", 8));
  assert_false(xlsx_is_zip("PK", 2));
  assert_false(xlsx_is_zip("code,", 5));
}

int main(void) {
  log_quiet(true);
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(reads_cells),
      cmocka_unit_test(first_sheet_without_strings),
      cmocka_unit_test(refusals),
      cmocka_unit_test(magic),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
