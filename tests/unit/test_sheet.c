/*
** test_sheet.c — unit tests of sheet.c: ledgers read from CSV and Excel
** into JSON rows with their lines (the header found below a title, columns
** by title or key in any order, choices by label or code, dates as people
** type them and as Excel stores them, a group of rows for one record), the
** refusals each naming its line and column, and an export read back.
*/
#include "unit.h"
#include "base/base.h"
#include "base/buf.h"
#include "base/codes.h"
#include "base/sheet.h"

#include <string.h>

static const SheetEnum kinds[] = {{"fixed", "固定资产投资"}, {"working", "流动资金"}, {NULL, NULL}};
static const SheetCol cols[] = {
    {"id", "编号", SK_INT, SC_EXPORT, NULL, 8},
    {"name", "名称", SK_TEXT, SC_REQUIRED, NULL, 20},
    {"on", "日期", SK_DATE, SC_REQUIRED, NULL, 12},
    {"kind", "类型", SK_ENUM, 0, kinds, 12},
    {"n", "人数", SK_INT, 0, NULL, 8},
    {"who", "人员", SK_LIST, 0, NULL, 12},
    {"ok", "确认", SK_BOOL, 0, NULL, 6},
    {"items.country", "国家", SK_COUNTRY, SC_GROUP, NULL, 10},
    {"items.province", "省份", SK_PROVINCE, SC_GROUP, NULL, 10},
    {"items.share", "比例", SK_NUMBER, SC_GROUP | SC_REQUIRED, NULL, 8},
};
static const SheetTable table = {"台账", cols, (int)XQ_COUNT(cols), "items", "明细"};

/* read() reads CSV text s; *nbad is the number of refused rows. */
static json_t *read(const char *s, ErrList *bad_list, Err *e) {
  Err bad = {.all = bad_list};
  return sheet_read(&table, s, strlen(s), 100, &bad, e);
}

static const char *str(const json_t *rows, size_t i, const char *k) {
  return json_string_value(json_object_get(json_object_get(json_array_get(rows, i), "row"), k));
}

static void test_dates(void **state) {
  (void)state;
  char d[11];
  assert_int_equal(sheet_date("2021-03-05", false, d), 0);
  assert_string_equal(d, "2021-03-05");
  assert_int_equal(sheet_date("2021/3/5", false, d), 0);
  assert_string_equal(d, "2021-03-05");
  assert_int_equal(sheet_date("2021.12.31", false, d), 0);
  assert_string_equal(d, "2021-12-31");
  assert_int_equal(sheet_date("2021年3月5日", false, d), 0);
  assert_string_equal(d, "2021-03-05");
  assert_int_equal(sheet_date("2023-02-29", false, d), -1);
  assert_int_equal(sheet_date("2021-3-5x", false, d), -1);
  /* Excel's day numbers (1900 system): 44197 is 2021-01-01, 61 is 1900-03-01. */
  assert_int_equal(sheet_date("44197", true, d), 0);
  assert_string_equal(d, "2021-01-01");
  assert_int_equal(sheet_date("44197.0", true, d), 0);
  assert_string_equal(d, "2021-01-01");
  assert_int_equal(sheet_date("61", true, d), 0);
  assert_string_equal(d, "1900-03-01");
  assert_int_equal(sheet_date("44197", false, d), -1); /* a CSV has no day numbers */
  assert_int_equal(sheet_date("44197.5", true, d), -1);
}

static void test_codes_find(void **state) {
  (void)state;
  char c[3];
  assert_int_equal(codes_province_find("辽宁省", c), 1);
  assert_string_equal(c, "21");
  assert_int_equal(codes_province_find("辽宁", c), 1);
  assert_string_equal(c, "21");
  assert_int_equal(codes_province_find("广西", c), 1);
  assert_string_equal(c, "45");
  assert_int_equal(codes_province_find("44", c), 1);
  assert_string_equal(c, "44");
  assert_int_equal(codes_province_find("辽", c), 0); /* one character names nothing */
  assert_int_equal(codes_province_find("99", c), 0);
  assert_int_equal(codes_country_find("德国", c), 1);
  assert_string_equal(c, "DE");
  assert_int_equal(codes_country_find("jp", c), 1);
  assert_string_equal(c, "JP");
  assert_int_equal(codes_country_find("Germany", c), 1);
  assert_string_equal(c, "DE");
  assert_int_equal(codes_country_find("XX", c), 0);
  assert_int_equal(codes_country_find("德", c), 0);
}

static void test_read_csv(void **state) {
  (void)state;
  ErrList bad = {0};
  Err e = {0};
  /* A title row, then the header by titles and keys in another order; a
  ** record of two group rows; blanks and the ideographic space trimmed. */
  json_t *rows = read("\xEF\xBB\xBF台账（演示）\r\n"
                      "日期,name,类型,人数,人员,确认,国家,省份,比例,编号\r\n"
                      "2021/3/5,甲项目,流动资金,3,a、b，c,是,CN,辽宁,60,77\r\n"
                      ",,,,,,中国,广东省,40,\r\n"
                      "2021-04-01,\xE3\x80\x80乙项目 ,fixed,,,,JP,,100,\r\n",
                      &bad, &e);
  assert_non_null(rows);
  assert_int_equal(bad.n, 0);
  assert_int_equal(json_array_size(rows), 2);
  const json_t *r0 = json_object_get(json_array_get(rows, 0), "row");
  assert_string_equal(str(rows, 0, "name"), "甲项目");
  assert_string_equal(str(rows, 0, "on"), "2021-03-05");
  assert_string_equal(str(rows, 0, "kind"), "working");
  assert_int_equal(json_integer_value(json_object_get(r0, "n")), 3);
  assert_int_equal(json_array_size(json_object_get(r0, "who")), 3);
  assert_true(json_is_true(json_object_get(r0, "ok")));
  assert_null(json_object_get(r0, "id")); /* an export-only column is not read */
  const json_t *items = json_object_get(r0, "items");
  assert_int_equal(json_array_size(items), 2);
  assert_string_equal(json_string_value(json_object_get(json_array_get(items, 1), "province")), "44");
  assert_string_equal(json_string_value(json_object_get(json_array_get(items, 1), "share")), "40");
  /* The lines: the record's, and one for each group row. */
  const json_t *lines = json_object_get(json_array_get(rows, 0), "lines");
  assert_int_equal(json_integer_value(json_object_get(json_array_get(rows, 0), "line")), 3);
  assert_int_equal(json_integer_value(json_array_get(lines, 1)), 4);
  assert_string_equal(str(rows, 1, "name"), "乙项目");
  assert_string_equal(str(rows, 1, "kind"), "fixed");
  json_decref(rows);
  errlist_free(&bad);
}

static void test_refusals(void **state) {
  (void)state;
  ErrList bad = {0};
  Err e = {0};
  json_t *rows = read("名称,日期,类型,人数,比例\n"
                      "好,2021-01-01,流动资金,1,100\n"
                      "坏日期,2021-02-30,,,100\n"
                      "坏类型,2021-01-01,现金,,100\n"
                      "坏人数,2021-01-01,,-2,100\n"
                      "多一格,2021-01-01,,,100,x\n"
                      "\"坏引号,2021-01-01,,,100\n",
                      &bad, &e);
  assert_non_null(rows);
  assert_int_equal(json_array_size(rows), 1);
  assert_int_equal(bad.n, 5);
  assert_int_equal(bad.a[0].line, 3);
  assert_string_equal(bad.a[0].code, "import.bad_date");
  assert_string_equal(bad.a[0].field, "on");
  assert_non_null(strstr(bad.a[0].message, "第 3 行「日期」"));
  assert_int_equal(bad.a[1].line, 4);
  assert_string_equal(bad.a[1].code, "import.bad_choice");
  assert_non_null(strstr(bad.a[1].message, "“现金”不是可选的值，应为：固定资产投资；流动资金"));
  assert_int_equal(bad.a[2].line, 5);
  assert_string_equal(bad.a[2].code, "import.bad_number");
  assert_int_equal(bad.a[3].line, 6); /* a cell past the header */
  assert_string_equal(bad.a[3].code, "import.extra_column");
  assert_int_equal(bad.a[4].line, 7); /* a quote never closed */
  assert_string_equal(bad.a[4].code, "import.bad_quote");
  json_decref(rows);
  errlist_free(&bad);
}

static void test_file_refusals(void **state) {
  (void)state;
  ErrList bad = {0};
  Err e = {0};
  assert_null(read("", &bad, &e));
  assert_string_equal(e.code, "import.empty");
  assert_null(read("a,b\n1,2\n", &bad, &e));
  assert_string_equal(e.code, "import.bad_header");
  assert_non_null(strstr(e.message, "名称、日期、比例"));
  assert_null(read("名称,日期,比例,备注\n甲,2021-01-01,100,x\n", &bad, &e));
  assert_string_equal(e.code, "import.bad_header");
  assert_non_null(strstr(e.message, "备注"));
  assert_null(read("名称,日期,比例,name\n", &bad, &e));
  assert_string_equal(e.code, "import.bad_header");
  Buf many = {0};
  buf_puts(&many, "名称,日期,比例\n");
  for (int i = 0; i < 101; i++) buf_appendf(&many, "n%d,2021-01-01,100\n", i);
  assert_null(read(buf_cstr(&many), &bad, &e));
  assert_string_equal(e.code, "import.too_many_rows");
  buf_free(&many);
  /* Not UTF-8 (GBK bytes): the row is refused, saying so. */
  json_t *rows = read("名称,日期,比例\n\xC4\xE3\xBA\xC3,2021-01-01,100\n", &bad, &e);
  assert_non_null(rows);
  assert_int_equal(json_array_size(rows), 0);
  assert_int_equal(bad.n, 1);
  assert_string_equal(bad.a[0].code, "import.bad_utf8");
  json_decref(rows);
  errlist_free(&bad);
}

/* An export, as CSV and as Excel, reads back as the same rows. */
static void test_round_trip(void **state) {
  (void)state;
  for (int xlsx = 0; xlsx < 2; xlsx++) {
    Err e = {0};
    SheetOut *o = sheet_out_new(xlsx, &e);
    assert_non_null(o);
    sheet_out_begin(o, &table, "台账（2021 年）");
    const char *a[] = {"1", "=甲,\"项目\"", "2021-03-05", "working", "12", "a、b", "是", "DE", "", "60.5"};
    const char *b[] = {NULL, NULL, NULL, NULL, NULL, NULL, NULL, "CN", "21", "39.5"};
    sheet_out_row(o, a);
    sheet_out_row(o, b);
    Buf out = {0};
    assert_int_equal(sheet_out_end(o, &out, &e), 2);
    if (!xlsx) assert_memory_equal(out.a, "\xEF\xBB\xBF", 3);
    else assert_memory_equal(out.a, "PK", 2);
    ErrList bad = {0};
    Err be = {.all = &bad};
    json_t *rows = sheet_read(&table, out.a, out.n, 100, &be, &e);
    assert_non_null(rows);
    if (bad.n) print_error("xlsx %d: %s\n", xlsx, bad.a[0].message);
    assert_int_equal(bad.n, 0);
    assert_int_equal(json_array_size(rows), 1);
    assert_string_equal(str(rows, 0, "name"), "=甲,\"项目\"");
    assert_string_equal(str(rows, 0, "kind"), "working");
    assert_string_equal(str(rows, 0, "on"), "2021-03-05");
    const json_t *items = json_object_get(json_object_get(json_array_get(rows, 0), "row"), "items");
    assert_int_equal(json_array_size(items), 2);
    assert_string_equal(json_string_value(json_object_get(json_array_get(items, 0), "country")), "DE");
    assert_string_equal(json_string_value(json_object_get(json_array_get(items, 1), "province")), "21");
    assert_string_equal(json_string_value(json_object_get(json_array_get(items, 1), "share")), "39.5");
    json_decref(rows);
    buf_free(&out);
    errlist_free(&bad);
  }
}

/* An export past SHEET_MAX_ROWS is refused as a whole, never cut short. */
static void test_export_cap(void **state) {
  (void)state;
  Err e = {0};
  const char *v[XQ_COUNT(cols)] = {"1", "甲", "2021-01-01"};
  for (int rows = SHEET_MAX_ROWS; rows <= SHEET_MAX_ROWS + 1; rows++) {
    SheetOut *o = sheet_out_new(false, &e);
    sheet_out_begin(o, &table, NULL);
    for (int i = 0; i < rows; i++) sheet_out_row(o, v);
    Buf out = {0};
    int64_t got = sheet_out_end(o, &out, &e);
    if (rows == SHEET_MAX_ROWS) {
      assert_int_equal(got, SHEET_MAX_ROWS);
    } else {
      assert_int_equal(got, -1);
      assert_string_equal(e.code, "export.too_many");
      assert_non_null(strstr(e.message, "100000"));
    }
    buf_free(&out);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_dates),     cmocka_unit_test(test_codes_find),    cmocka_unit_test(test_read_csv),
      cmocka_unit_test(test_refusals),  cmocka_unit_test(test_file_refusals), cmocka_unit_test(test_round_trip),
      cmocka_unit_test(test_export_cap),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
