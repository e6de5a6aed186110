/*
** workbook.c — the spreadsheets officials download from the workbench: the
** cases of a list (its filters and its scope, cases_each()) as an Excel
** workbook with Chinese column titles, written by libxlsxwriter.
*/
#include "workbook.h"
#include "../base/codes.h"
#include "../base/csv.h"

#include <stdio.h>
#include <string.h>
#include <xlsxwriter.h>

/* The columns, in order: title and width. */
static const struct {
  const char *title;
  double width;
} cols[] = {
    {"办件编号", 20}, {"事项编码", 14}, {"事项名称", 34}, {"办理部门", 20}, {"申请人", 30},
    {"申请人证件号", 22}, {"状态", 14}, {"提交时间", 17}, {"受理时间", 17}, {"办结时间", 17},
    {"承诺时限", 12}, {"截止时间", 17}, {"是否超期", 9}, {"渠道", 10}, {"一件事", 16},
};

typedef struct Out {
  lxw_worksheet *ws;
  int64_t row;    /* last row written (0: the titles) */
  bool failed;    /* libxlsxwriter refused a cell */
} Out;

/* when() writes instant ms as "YYYY-MM-DD HH:MM" Beijing time into out, ""
** for 0 (not yet). */
static const char *when(int64_t ms, char out[32]) {
  if (!ms) {
    out[0] = 0;
    return out;
  }
  time_iso(ms, out); /* YYYY-MM-DDTHH:MM:SS+08:00 */
  out[10] = ' ';
  out[16] = 0;
  return out;
}

static const char *channel_label(const char *ch) {
  if (strcmp(ch, "online") == 0) return "网上办理";
  if (strcmp(ch, "window") == 0) return "窗口";
  if (strcmp(ch, "kiosk") == 0) return "自助终端";
  return ch;
}

/* RowText holds the texts of one row while it is written. */
typedef struct RowText {
  char t[4][32], masked[40], limit[40], bundle[64];
  const char *v[XQ_COUNT(cols)];
} RowText;

/* row_text() fills x->v with the column texts of case c. A person's ID
** number is masked: the file leaves the system, and the case page shows the
** number in full to those who handle the case. */
static void row_text(const CaseRow *c, RowText *x) {
  codes_party_mask(c->party, x->masked);
  x->limit[0] = x->bundle[0] = 0;
  if (c->promised > 0)
    snprintf(x->limit, sizeof x->limit, "%d 个%s", c->promised,
             strcmp(c->limit_unit, "workhours") == 0 ? "工作小时" : "工作日");
  else if (c->limit_unit[0])
    snprintf(x->limit, sizeof x->limit, "即办"); /* no limit: decided at once */
  if (c->bundle_id)
    snprintf(x->bundle, sizeof x->bundle, "%s #%lld", c->bundle_label[0] ? c->bundle_label : "一件事",
             (long long)c->bundle_id);
  const char *v[] = {c->no, c->item_code, c->item_name, c->dept_name, c->party_name, x->masked, c->state_label,
                     when(c->submitted_at, x->t[0]), when(c->accepted_at, x->t[1]), when(c->decided_at, x->t[2]),
                     x->limit, when(c->deadline_at, x->t[3]), c->overdue ? "是" : "否", channel_label(c->channel),
                     x->bundle};
  _Static_assert(XQ_COUNT(v) == XQ_COUNT(cols), "one value per column");
  memcpy(x->v, v, sizeof v);
}

/* put_row() writes one case as a sheet row. */
static int put_row(const CaseRow *c, void *arg, Err *e) {
  Out *o = arg;
  RowText x;
  (void)e;
  row_text(c, &x);
  lxw_row_t r = (lxw_row_t)++o->row;
  for (size_t i = 0; i < XQ_COUNT(cols); i++)
    if (worksheet_write_string(o->ws, r, (lxw_col_t)i, x.v[i], NULL) != LXW_NO_ERROR) o->failed = true;
  return 0;
}

typedef struct CsvOut {
  Buf *b;
  int64_t rows;
} CsvOut;

/* put_csv() writes one case as a CSV record. */
static int put_csv(const CaseRow *c, void *arg, Err *e) {
  CsvOut *o = arg;
  RowText x;
  (void)e;
  row_text(c, &x);
  for (size_t i = 0; i < XQ_COUNT(cols); i++) {
    if (i) buf_putc(o->b, ',');
    csv_put(o->b, x.v[i]);
  }
  buf_puts(o->b, "\r\n");
  o->rows++;
  return 0;
}

int workbook_cases_csv(Store *s, const User *actor, const CaseQuery *q, Buf *out, int64_t *rows, Err *e) {
  CsvOut o = {out, 0};
  int64_t total = 0;
  buf_puts(out, "\xEF\xBB\xBF"); /* so that Excel on a Chinese Windows reads UTF-8, not GBK */
  for (size_t i = 0; i < XQ_COUNT(cols); i++) {
    if (i) buf_putc(out, ',');
    csv_put(out, cols[i].title);
  }
  buf_puts(out, "\r\n");
  if (cases_each(s, actor, q, WORKBOOK_MAX_ROWS, put_csv, &o, &total, e)) return -1;
  if (rows) *rows = o.rows;
  return 0;
}

int workbook_cases(Store *s, const User *actor, const CaseQuery *q, const char *path, int64_t *rows, Err *e) {
  lxw_workbook *wb = workbook_new(path);
  if (!wb) return err_set(e, E_INTERNAL, "export.write", NULL, "无法写出导出文件", "Could not write the export");
  Out o = {workbook_add_worksheet(wb, "办件清单"), 0, false};
  lxw_format *bold = workbook_add_format(wb);
  format_set_bold(bold);
  for (size_t i = 0; i < XQ_COUNT(cols); i++) {
    worksheet_write_string(o.ws, 0, (lxw_col_t)i, cols[i].title, bold);
    worksheet_set_column(o.ws, (lxw_col_t)i, (lxw_col_t)i, cols[i].width, NULL);
  }
  worksheet_freeze_panes(o.ws, 1, 0);
  int64_t total = 0;
  int rc = cases_each(s, actor, q, WORKBOOK_MAX_ROWS, put_row, &o, &total, e);
  lxw_error le = workbook_close(wb);
  if (rc) return -1;
  if (o.failed || le != LXW_NO_ERROR)
    return err_set(e, E_INTERNAL, "export.write", NULL, "无法写出导出文件", "Could not write the export");
  if (rows) *rows = o.row;
  return 0;
}
