/*
** sheet.c — ledgers in Excel or CSV, read into JSON rows by a column table
** and written from rows of text (sheet.h).
*/
#include "sheet.h"
#include "cal.h"
#include "codes.h"
#include "csv.h"
#include "xlsx.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

/* ---- reading -------------------------------------------------------------- */

/* Source: the rows of a CSV file or of one Excel sheet, as text fields. */
typedef struct Source {
  bool excel;
  CsvReader csv;
  FILE *f;
  Xlsx *x;
  int64_t line;                      /* the row's CSV line or sheet row number */
  int nField;                        /* fields in the row */
  bool bad_quote;                    /* a CSV quoting error in the row */
  const char *aField[CSV_MAX_FIELDS]; /* the fields (owned by the reader) */
} Source;

/* source_next() reads the next non-blank row. Returns 1, 0 at the end, -1
** with *e. */
static int source_next(Source *s, Err *e) {
  int got;
  if (s->excel) {
    got = xlsx_next(s->x, e);
    if (got != 1) return got;
    s->line = xlsx_row(s->x);
    s->nField = xlsx_ncell(s->x);
    while (s->nField > 0 && !xlsx_cell(s->x, s->nField - 1)[0]) s->nField--;
    s->bad_quote = false;
    for (int i = 0; i < s->nField && i < CSV_MAX_FIELDS; i++) s->aField[i] = xlsx_cell(s->x, i);
    return 1;
  }
  got = csv_next(&s->csv);
  if (got < 0) return err_set(e, E_INTERNAL, "import.read", NULL, "读取文件失败", "Could not read the file");
  if (got == 0) return 0;
  s->line = s->csv.line;
  s->nField = s->csv.nField;
  s->bad_quote = s->csv.bad_quote || s->csv.too_many;
  for (int i = 0; i < s->nField && i < CSV_MAX_FIELDS; i++) s->aField[i] = csv_field(&s->csv, i);
  return 1;
}

static const char *field_at(const Source *s, int i) {
  return i >= 0 && i < s->nField && i < CSV_MAX_FIELDS && s->aField[i] ? s->aField[i] : "";
}

/* trim() copies v without surrounding blanks (ASCII and the ideographic
** space U+3000) into out (cap bytes); false when it does not fit. */
static bool trim(const char *v, char *out, size_t cap) {
  while (*v == ' ' || *v == '\t' || *v == '\r' || *v == '\n' || strncmp(v, "\xE3\x80\x80", 3) == 0)
    v += *v == '\xE3' ? 3 : 1;
  size_t n = strlen(v);
  for (;;) {
    if (n && strchr(" \t\r\n", v[n - 1])) n--;
    else if (n >= 3 && memcmp(v + n - 3, "\xE3\x80\x80", 3) == 0) n -= 3;
    else break;
  }
  if (n >= cap) return false;
  memcpy(out, v, n);
  out[n] = 0;
  return true;
}

int sheet_date(const char *s, bool excel, char day[11]) {
  int y, m, d, k, n = 0;
  if (excel) {
    /* An Excel day number: days since 1899-12-30 (the 1900 system, whose
    ** phantom 1900-02-29 lies before day 61, so later days are right). */
    char *end;
    long v = strtol(s, &end, 10);
    if (end != s && (*end == 0 || (end[0] == '.' && strspn(end + 1, "0") == strlen(end + 1))) && v >= 61 &&
        v <= 2958465) {
      int base;
      cal_from_ymd(1899, 12, 30, &base);
      cal_format(base + (int)v, day);
      return 0;
    }
  }
  if (sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &n) == 3 && s[n] == 0) goto ok;
  if (sscanf(s, "%4d/%2d/%2d%n", &y, &m, &d, &n) == 3 && s[n] == 0) goto ok;
  if (sscanf(s, "%4d.%2d.%2d%n", &y, &m, &d, &n) == 3 && s[n] == 0) goto ok;
  if (sscanf(s, "%4d\xE5\xB9\xB4%2d\xE6\x9C\x88%2d\xE6\x97\xA5%n", &y, &m, &d, &n) == 3 && s[n] == 0) goto ok;
  return -1;
ok:
  if (y < 1000 || cal_from_ymd(y, m, d, &k)) return -1;
  cal_format(k, day);
  return 0;
}

const SheetCol *sheet_column(const SheetTable *t, const char *field) {
  if (!field || !*field) return NULL;
  const char *last = strrchr(field, '.');
  size_t g = t->group ? strlen(t->group) : 0;
  char want[128];
  if (g && strncmp(field, t->group, g) == 0 && field[g] == '.' && last)
    snprintf(want, sizeof want, "%s%s", t->group, last); /* investors.2.share → investors.share */
  else
    snprintf(want, sizeof want, "%s", last ? last + 1 : field);
  for (int i = 0; i < t->nCol; i++)
    if (strcmp(t->aCol[i].key, field) == 0) return &t->aCol[i];
  for (int i = 0; i < t->nCol; i++)
    if (strcmp(t->aCol[i].key, want) == 0) return &t->aCol[i];
  return NULL;
}

/* member() is the JSON member of column c: its key, or for a group column
** the part after the group's name ("investors.share" → "share"). */
static const char *member(const SheetCol *c) {
  const char *dot = (c->flags & SC_GROUP) ? strrchr(c->key, '.') : NULL;
  return dot ? dot + 1 : c->key;
}

void sheet_reject(Err *e, const SheetTable *t, int64_t line, const Err *why) {
  const SheetCol *c = sheet_column(t, why->field);
  size_t g = t->group ? strlen(t->group) : 0;
  const char *label = c ? c->label : NULL, *key = c ? c->key : NULL;
  if (!c && g && strncmp(why->field, t->group, g) == 0 && why->field[g] == '.' && t->group_label)
    label = t->group_label, key = t->group; /* the element as a whole: "investors.0" */
  char zh[1024], en[1024]; /* err_set() cuts them to fit, at a character */
  ErrList *all = e->all;
  if (label) {
    snprintf(zh, sizeof zh, "第 %lld 行「%s」：%s", (long long)line, label, why->message);
    snprintf(en, sizeof en, "Line %lld, %s: %s", (long long)line, key, why->message_en);
  } else {
    snprintf(zh, sizeof zh, "第 %lld 行：%s", (long long)line, why->message);
    snprintf(en, sizeof en, "Line %lld: %s", (long long)line, why->message_en);
  }
  err_set(e, why->kind, why->code, why->field, zh, en);
  e->all = all;
  e->line = line;
  err_more(e);
}

int64_t sheet_import(const SheetTable *t, const void *data, size_t n, int64_t max_rows, SheetDecode decode, void *ctx,
                     Err *e) {
  ErrList mine = {0}, *list = e->all ? e->all : &mine;
  Err bad = {.all = list};
  int64_t out = -1;
  int first = list->n; /* the refusals of this file start here */
  json_t *rows = sheet_read(t, data, n, max_rows, &bad, e);
  if (!rows) goto done;
  int64_t refused = (int64_t)list->n, nRow = (int64_t)json_array_size(rows);
  for (int64_t i = 0; i < nRow; i++) {
    const json_t *x = json_array_get(rows, (size_t)i);
    int64_t line = json_integer_value(json_object_get(x, "line"));
    Err why = {0};
    if (decode(ctx, (int)i, json_object_get(x, "row"), line, &why) == 0) continue;
    if (why.kind == E_INTERNAL || why.kind == E_FORBIDDEN) {
      ErrList *all = e->all;
      *e = why;
      e->all = all;
      goto done;
    }
    if (refused++ < SHEET_SHOWN) sheet_reject(&bad, t, line, &why);
  }
  if (refused > 0) {
    /* the read's refusals came first, the decoder's after: all by line */
    for (int a = first + 1; a < list->n; a++)
      for (int b = a; b > first && list->a[b - 1].line > list->a[b].line; b--) {
        Err t1 = list->a[b];
        list->a[b] = list->a[b - 1], list->a[b - 1] = t1;
      }
    char zh[300], en[300];
    snprintf(zh, sizeof zh, "有 %lld 行未通过检查，未导入任何数据%s；请按行号改正后重新导入整个文件", (long long)refused,
             refused > SHEET_SHOWN ? "（下列为其中前 500 行）" : "");
    snprintf(en, sizeof en, "%lld rows were refused and nothing was imported%s: correct them and import the whole file "
             "again", (long long)refused, refused > SHEET_SHOWN ? " (the first 500 are listed)" : "");
    ErrList *all = e->all;
    err_set(e, E_INVALID, "import.rejected", NULL, zh, en);
    e->all = all;
    goto done;
  }
  out = nRow;
done:
  json_decref(rows);
  if (list == &mine) errlist_free(&mine);
  return out;
}

/* cell() converts text v of column c into *out (a new JSON value; NULL for
** a blank cell). Returns 0, or -1 with *why. */
static int cell(const SheetCol *c, const char *raw, bool excel, json_t **out, Err *why) {
  char v[4096];
  *out = NULL;
  if (!utf8_valid(raw, strlen(raw)))
    return err_set(why, E_INVALID, "import.bad_utf8", c->key, "不是有效的 UTF-8 文本（请另存为 UTF-8 编码的 CSV）",
                   "Not valid UTF-8 (save the CSV as UTF-8)");
  if (!trim(raw, v, sizeof v))
    return err_set(why, E_INVALID, "import.too_long", c->key, "内容过长", "Too long");
  if (!v[0]) return 0;
  char code[12];
  switch (c->kind) {
  case SK_DATE:
    if (sheet_date(v, excel, code))
      return err_setf(why, E_INVALID, "import.bad_date", c->key, "不是日期（应为 YYYY-MM-DD）：%s",
                      "Not a date (YYYY-MM-DD): %s", v);
    *out = json_string(code);
    return 0;
  case SK_INT: {
    char *end;
    long long n = strtoll(v, &end, 10);
    if (end == v || (*end && !(end[0] == '.' && strspn(end + 1, "0") == strlen(end + 1))) || n < 0)
      return err_setf(why, E_INVALID, "import.bad_number", c->key, "应为不小于零的整数：%s",
                      "Must be a whole number, not below zero: %s", v);
    *out = json_integer(n);
    return 0;
  }
  case SK_LIST: {
    json_t *a = json_array();
    for (char *p = v; *p;) {
      size_t sep = 0, n = 0;
      while (p[n] && !(sep = (p[n] == ',' || p[n] == ';' || p[n] == ' ') ? 1
                                 : strncmp(p + n, "\xE3\x80\x81", 3) == 0 || strncmp(p + n, "\xEF\xBC\x8C", 3) == 0 ||
                                           strncmp(p + n, "\xEF\xBC\x9B", 3) == 0 || strncmp(p + n, "\xE3\x80\x80", 3) == 0
                                       ? 3
                                       : 0))
        n++;
      if (n) json_array_append_new(a, json_stringn(p, n));
      p += n + sep;
    }
    *out = a;
    return 0;
  }
  case SK_ENUM:
    for (const SheetEnum *m = c->map; m && m->code; m++)
      if (strcmp(v, m->code) == 0 || strcmp(v, m->label) == 0) {
        *out = json_string(m->code);
        return 0;
      }
    {
      /* The choices, the first few by name when there are many. */
      Buf list = {0};
      int n = 0;
      for (const SheetEnum *m = c->map; m && m->code; m++, n++)
        if (n < 6) buf_appendf(&list, "%s%s", list.n ? "；" : "", m->label);
      if (n > 6) buf_appendf(&list, " 等 %d 项（也可填代码）", n);
      char zh[600], en[600], given[121];
      size_t k = strlen(v) < sizeof given ? strlen(v) : sizeof given - 1;
      while (k > 0 && k < strlen(v) && ((unsigned char)v[k] & 0xc0) == 0x80) k--; /* cut at a character */
      memcpy(given, v, k);
      given[k] = 0;
      snprintf(zh, sizeof zh, "“%s”不是可选的值，应为：%s", given, buf_cstr(&list));
      snprintf(en, sizeof en, "\"%s\" is not one of the choices: %s", given, buf_cstr(&list));
      buf_free(&list);
      return err_set(why, E_INVALID, "import.bad_choice", c->key, zh, en);
    }
  case SK_COUNTRY:
    if (!codes_country_find(v, code))
      return err_setf(why, E_INVALID, "import.bad_country", c->key, "不认识的国家或地区：%s",
                      "Not a country or region xinqu knows: %s", v);
    *out = json_string(code);
    return 0;
  case SK_PROVINCE:
    if (!codes_province_find(v, code))
      return err_setf(why, E_INVALID, "import.bad_province", c->key, "不认识的省份：%s", "Not a province of China: %s", v);
    *out = json_string(code);
    return 0;
  case SK_BOOL:
    if (!strcmp(v, "是") || !strcmp(v, "true") || !strcmp(v, "1")) *out = json_true();
    else if (!strcmp(v, "否") || !strcmp(v, "false") || !strcmp(v, "0")) *out = json_false();
    else return err_setf(why, E_INVALID, "import.bad_choice", c->key, "应为“是”或“否”：%s", "Must be 是 or 否: %s", v);
    return 0;
  case SK_TEXT:
  case SK_NUMBER:
    break;
  }
  *out = json_string(v);
  return 0;
}

/* header() matches the current row against t: map[i] is the column of
** field i (-1: none). Returns 1 when every required column is there and no
** field names a column t lacks, 0 when the row is not a header (too few
** known columns: a title above it), -1 with *e when it names an unknown or
** a doubled column. */
static int header(const Source *s, const SheetTable *t, int map[CSV_MAX_FIELDS], Err *e) {
  int known = 0;
  bool seen[CSV_MAX_FIELDS] = {0};
  const char *unknown = NULL;
  for (int i = 0; i < CSV_MAX_FIELDS; i++) map[i] = -1; /* also past the header: cells there are refused */
  for (int i = 0; i < s->nField && i < CSV_MAX_FIELDS; i++) {
    char v[256];
    if (!trim(field_at(s, i), v, sizeof v) || !v[0]) continue;
    for (int k = 0; k < t->nCol && k < CSV_MAX_FIELDS; k++)
      if (strcmp(v, t->aCol[k].key) == 0 || strcmp(v, t->aCol[k].label) == 0) map[i] = k;
    if (map[i] < 0) {
      if (!unknown) unknown = field_at(s, i);
      continue;
    }
    if (seen[map[i]])
      return err_setf(e, E_INVALID, "import.bad_header", NULL, "表头中「%s」出现了两次", "The header has %s twice",
                      t->aCol[map[i]].label);
    seen[map[i]] = true;
    known++;
  }
  for (int k = 0; k < t->nCol && k < CSV_MAX_FIELDS; k++)
    if ((t->aCol[k].flags & SC_REQUIRED) && !seen[k]) return 0;
  if (unknown && utf8_valid(unknown, strlen(unknown)))
    return err_setf(e, E_INVALID, "import.bad_header", NULL, "表头中有不认识的列：%s", "The header has an unknown column: %s",
                    unknown);
  if (unknown) return err_set(e, E_INVALID, "import.bad_header", NULL, "表头不是有效的 UTF-8", "The header is not UTF-8");
  return known > 0;
}

/* header_help() sets *e to import.bad_header naming the required columns. */
static int header_help(const SheetTable *t, Err *e) {
  Buf need = {0};
  for (int k = 0; k < t->nCol; k++)
    if (t->aCol[k].flags & SC_REQUIRED) buf_appendf(&need, "%s%s", need.n ? "、" : "", t->aCol[k].label);
  err_setf(e, E_INVALID, "import.bad_header", NULL, "没有找到表头：表头应包含以下各列：%s（可先导出一份作为模板）",
           "No header found: it must have the columns %s (export one to use as a template)", buf_cstr(&need));
  buf_free(&need);
  return -1;
}

json_t *sheet_read(const SheetTable *t, const void *data, size_t n, int64_t max_rows, Err *bad, Err *e) {
  Source s = {.excel = xlsx_is_zip(data, n)};
  json_t *rows = json_array(), *last = NULL;
  int map[CSV_MAX_FIELDS], got, tries = 0;
  int64_t count = 0;
  if (s.excel) {
    const XlsxLimits lim = {.max_file = 64u << 20, .max_part = 256u << 20, .max_rows = max_rows + 20,
                            .max_cols = CSV_MAX_FIELDS, .max_strings = 4 * max_rows + 1000, .max_text = 8192};
    if (!(s.x = xlsx_open(data, n, t->sheet, &lim, e))) goto fail;
  } else {
    if (!(s.f = fmemopen((void *)(n ? data : ""), n ? n : 1, "r")))
      return err_set(e, E_INTERNAL, "import.read", NULL, "读取文件失败", "Could not read the file"), json_decref(rows),
             NULL;
    if (!n) {
      fclose(s.f);
      s.f = NULL;
    } else {
      csv_init(&s.csv, s.f);
    }
  }
  /* The header: the first row that names the table's columns. */
  for (;;) {
    got = s.f || s.x ? source_next(&s, e) : 0;
    if (got < 0) goto fail;
    if (got == 0) {
      if (tries == 0) err_set(e, E_INVALID, "import.empty", NULL, "文件是空的", "The file is empty");
      else header_help(t, e);
      goto fail;
    }
    int h = header(&s, t, map, e);
    if (h < 0) goto fail;
    if (h > 0) break;
    if (++tries >= 5) {
      header_help(t, e);
      goto fail;
    }
  }
  while ((got = source_next(&s, e)) == 1) {
    if (++count > max_rows) {
      char most[24];
      snprintf(most, sizeof most, "%lld", (long long)max_rows);
      err_setf(e, E_INVALID, "import.too_many_rows", NULL, "一次最多导入 %s 行，请分批导入",
               "At most %s rows in one import: split the file", most);
      goto fail;
    }
    Err why = {0};
    json_t *obj = json_object(), *grp = json_object();
    bool outside = false, failed = false;
    if (s.bad_quote) {
      err_set(&why, E_INVALID, "import.bad_quote", NULL, "引号使用不当或列数过多", "A misplaced quote, or too many columns");
      failed = true;
    }
    for (int i = 0; !failed && i < s.nField && i < CSV_MAX_FIELDS; i++) {
      json_t *v;
      if (map[i] < 0) {
        if (field_at(&s, i)[0]) {
          err_set(&why, E_INVALID, "import.extra_column", NULL, "表头之外的列有内容", "A cell beyond the header's columns");
          failed = true;
        }
        continue;
      }
      const SheetCol *c = &t->aCol[map[i]];
      if (c->flags & SC_EXPORT) continue;
      if (cell(c, field_at(&s, i), s.excel, &v, &why)) {
        failed = true;
        break;
      }
      if (!v) continue;
      if (c->flags & SC_GROUP) json_object_set_new(grp, member(c), v);
      else {
        json_object_set_new(obj, c->key, v);
        outside = true;
      }
    }
    if (failed) {
      sheet_reject(bad, t, s.line, &why);
    } else if (t->group && !outside && last) {
      /* One more element of the group of the row above. */
      json_array_append(json_object_get(json_object_get(last, "row"), t->group), grp);
      json_array_append_new(json_object_get(last, "lines"), json_integer(s.line));
    } else {
      if (t->group) json_object_set_new(obj, t->group, json_pack("[O]", grp));
      last = json_pack("{s:I,s:[I],s:O}", "line", (json_int_t)s.line, "lines", (json_int_t)s.line, "row", obj);
      json_array_append_new(rows, last);
    }
    /* A rejected row breaks a group: its continuation rows have no project. */
    if (failed) last = NULL;
    json_decref(obj);
    json_decref(grp);
  }
  if (got < 0) goto fail;
  goto out;
fail:
  json_decref(rows);
  rows = NULL;
out:
  if (s.x) xlsx_close(s.x);
  if (s.f) {
    csv_free(&s.csv);
    fclose(s.f);
  }
  return rows;
}

/* ---- writing -------------------------------------------------------------- */

struct SheetOut {
  bool xlsx;
  char path[64];          /* the Excel file being written */
  lxw_workbook *wb;
  lxw_worksheet *ws;
  lxw_format *bold, *title;
  const SheetTable *t;    /* the sheet being written */
  lxw_row_t row;          /* the next row of the sheet */
  Buf csv;                /* the CSV being written */
  int64_t rows;           /* data rows written */
  bool failed;            /* libxlsxwriter refused something */
  bool too_many;          /* more than SHEET_MAX_ROWS rows were offered */
};

SheetOut *sheet_out_new(bool xlsx, Err *e) {
  SheetOut *o = xcalloc(1, sizeof *o);
  o->xlsx = xlsx;
  if (!xlsx) return o;
  snprintf(o->path, sizeof o->path, "/tmp/xinqu-sheet-XXXXXX");
  int fd = mkstemp(o->path);
  if (fd < 0) {
    free(o);
    return err_set(e, E_INTERNAL, "export.tmpfile", NULL, "无法创建临时文件", "Cannot create a temporary file"), NULL;
  }
  close(fd);
  o->wb = workbook_new(o->path);
  if (!o->wb) o->failed = true;
  else {
    o->bold = workbook_add_format(o->wb);
    format_set_bold(o->bold);
    o->title = workbook_add_format(o->wb);
    format_set_bold(o->title);
    format_set_font_size(o->title, 14);
  }
  return o;
}

void sheet_out_begin(SheetOut *o, const SheetTable *t, const char *title) {
  o->t = t;
  o->row = 0;
  if (!o->xlsx) {
    if (!o->csv.n) buf_puts(&o->csv, "\xEF\xBB\xBF"); /* Excel on a Chinese Windows reads UTF-8, not GBK */
    if (title && *title) {
      csv_put(&o->csv, title);
      buf_puts(&o->csv, "\r\n");
    }
    for (int i = 0; i < t->nCol; i++) {
      if (i) buf_putc(&o->csv, ',');
      csv_put(&o->csv, t->aCol[i].label);
    }
    buf_puts(&o->csv, "\r\n");
    return;
  }
  if (o->failed) return;
  o->ws = workbook_add_worksheet(o->wb, t->sheet);
  if (!o->ws) {
    o->failed = true;
    return;
  }
  if (title && *title) {
    if (worksheet_merge_range(o->ws, 0, 0, 0, (lxw_col_t)(t->nCol - 1), title, o->title) != LXW_NO_ERROR)
      o->failed = true;
    o->row = 1;
  }
  for (int i = 0; i < t->nCol; i++) {
    worksheet_set_column(o->ws, (lxw_col_t)i, (lxw_col_t)i, t->aCol[i].width > 0 ? t->aCol[i].width : 12, NULL);
    if (worksheet_write_string(o->ws, o->row, (lxw_col_t)i, t->aCol[i].label, o->bold) != LXW_NO_ERROR)
      o->failed = true;
  }
  worksheet_freeze_panes(o->ws, o->row + 1, 0);
  o->row++;
}

/* shown() is the text column c shows for value v (a code becomes its label
** or name; buf holds a name). */
static const char *shown(const SheetCol *c, const char *v, char *buf, size_t cap) {
  if (!v) return "";
  if (c->kind == SK_ENUM)
    for (const SheetEnum *m = c->map; m && m->code; m++)
      if (strcmp(v, m->code) == 0) return m->label;
  if (c->kind == SK_COUNTRY && codes_country(v, buf, cap)) return buf;
  if (c->kind == SK_PROVINCE && codes_province(v)) return codes_province(v);
  return v;
}

void sheet_out_row(SheetOut *o, const char *const *v) {
  const SheetTable *t = o->t;
  char name[128];
  if (++o->rows > SHEET_MAX_ROWS) {
    o->too_many = true; /* refused as a whole at the end, not cut short */
    return;
  }
  for (int i = 0; i < t->nCol; i++) {
    const SheetCol *c = &t->aCol[i];
    const char *s = shown(c, v[i], name, sizeof name);
    if (!o->xlsx) {
      if (i) buf_putc(&o->csv, ',');
      csv_put(&o->csv, s);
      continue;
    }
    if (o->failed || !*s) continue;
    lxw_error le;
    char *end;
    double d = strtod(s, &end);
    if ((c->kind == SK_NUMBER || c->kind == SK_INT) && end != s && !*end)
      le = worksheet_write_number(o->ws, o->row, (lxw_col_t)i, d, NULL);
    else
      le = worksheet_write_string(o->ws, o->row, (lxw_col_t)i, s, NULL);
    if (le != LXW_NO_ERROR) o->failed = true;
  }
  if (!o->xlsx) buf_puts(&o->csv, "\r\n");
  o->row++;
}

int64_t sheet_out_end(SheetOut *o, Buf *out, Err *e) {
  int64_t rows = o->rows;
  bool failed = o->failed, too_many = o->too_many;
  if (!o->xlsx) {
    buf_append(out, o->csv.a ? o->csv.a : "", o->csv.n);
  } else {
    if (o->wb && workbook_close(o->wb) != LXW_NO_ERROR) failed = true;
    FILE *f = failed ? NULL : fopen(o->path, "rb");
    if (f) {
      char chunk[65536];
      size_t got;
      while ((got = fread(chunk, 1, sizeof chunk, f)) > 0) buf_append(out, chunk, got);
      if (ferror(f)) failed = true;
      fclose(f);
    } else {
      failed = true;
    }
    unlink(o->path);
  }
  buf_free(&o->csv);
  free(o);
  if (too_many) {
    char most[24];
    snprintf(most, sizeof most, "%d", SHEET_MAX_ROWS);
    return err_setf(e, E_INVALID, "export.too_many", NULL, "一次最多导出 %s 行，请缩小范围（如统计期）后再导出",
                    "At most %s rows in one export: narrow the selection (e.g. the period)", most);
  }
  if (failed) return err_set(e, E_INTERNAL, "export.write", NULL, "无法写出导出文件", "Could not write the export");
  return rows;
}
