/*
** workbook.h — the spreadsheets officials download (Excel workbooks).
*/
#ifndef XINQU_WORKBOOK_H
#define XINQU_WORKBOOK_H

#include "cases.h"
#include "../base/buf.h"

/* The most cases one export holds; more are refused (export.too_many), never cut. */
#define WORKBOOK_MAX_ROWS 50000

/* workbook_cases() writes the cases actor may see under the filters q
** (those of cases_list(); page unused), newest first, as an Excel workbook
** at path: one sheet 办件清单, a row of Chinese titles (办件编号, 事项编码,
** 事项名称, 办理部门, 申请人, 申请人证件号 (a person's masked), 状态, 提交时间,
** 受理时间, 办结时间, 承诺时限, 截止时间, 是否超期, 渠道, 一件事), then one row a
** case. Sets *rows to the cases written. Returns 0, or -1 with *e
** (export.too_many over WORKBOOK_MAX_ROWS, request.bad_param, export.write). */
int workbook_cases(Store *s, const User *actor, const CaseQuery *q, const char *path, int64_t *rows, Err *e);

/* workbook_cases_csv() appends the same rows as CSV (RFC 4180, CRLF) to
** out, for people: the UTF-8 byte-order mark first (Excel on a Chinese
** Windows reads the file as GBK without it), the same Chinese titles, a
** formula-like text made harmless by csv_put(). Returns as workbook_cases(). */
int workbook_cases_csv(Store *s, const User *actor, const CaseQuery *q, Buf *out, int64_t *rows, Err *e);

#endif
