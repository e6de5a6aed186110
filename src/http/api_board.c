/*
** api_board.c — the leaders' board over HTTP (board.h): the board's data,
** and the month's 经济运行 report drawn from the very same data as a PDF
** (docs_board_pdf()) or Excel.
** Every official and auditor reads; applicants nothing.
*/
#include "http.h"
#include "api.h"
#include "../domain/board.h"
#include "../domain/docs.h"

#include <string.h>

#define XLSX_TYPE "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#define READERS (ROLE_OFFICIAL | ROLE_AUDITOR)

/* board() is the board of ?year= and ?month= (0 or absent: the latest);
** NULL after answering 400 or the domain's refusal. */
static json_t *board(Req *r) {
  int64_t y, m;
  if (req_query_int(r, "year", 0, 1900, 2999, &y) || req_query_int(r, "month", 0, 0, 12, &m)) return NULL;
  Err e = {0};
  json_t *b = board_get(r->store, &r->user, (int)y, (int)m, &e);
  if (!b) req_error(r, &e);
  return b;
}

static int get(Req *r) {
  json_t *b = board(r);
  return b ? req_answer(r, 200, b, NULL) : r->status;
}

/* report() answers the board as a file made by make, named after its
** title; rate (NULL: none) names the account's rate bucket it costs a
** token of (docs_pdf_take()). */
static int report(Req *r, int (*make)(const json_t *, Buf *, Err *), const char *ext, const char *mime,
                  const char *rate) {
  json_t *b = board(r);
  if (!b) return r->status;
  Err e = {0};
  Buf out = {0};
  if ((rate && docs_pdf_take(&r->user, rate, &e)) || make(b, &out, &e)) {
    json_decref(b);
    buf_free(&out);
    return req_error(r, &e);
  }
  char name[128], ascii[64];
  snprintf(name, sizeof name, "大连金普新区%s.%s", json_string_value(json_object_get(b, "title")), ext);
  snprintf(ascii, sizeof ascii, "jinpu-report-%lld-%02lld.%s", (long long)json_integer_value(json_object_get(b, "year")),
           (long long)json_integer_value(json_object_get(b, "month")), ext);
  json_decref(b);
  req_disposition(r, "attachment", ascii, name);
  return req_bytes(r, 200, mime, &out);
}

static int xlsx(Req *r) { return report(r, board_xlsx, "xlsx", XLSX_TYPE, NULL); }
static int pdf(Req *r) { return report(r, docs_board_pdf, "pdf", "application/pdf", "board.pdf"); }

static const Route routes[] = {
    {"GET", "/api/v1/board", get, 0, READERS, 0,
     "领导驾驶舱：指标与目标（状态及判定规则、走势）、惠民实事进度、各领域（政务服务、市场主体、招商、梯度培育、人才）的数据及其明细入口",
     "The leaders' board: indicators against targets (status with its rule, trends), 惠民实事 progress, and one panel "
     "per domain (services, registry, 招商, ladder, talent) with the way to the records"},
    {"GET", "/api/v1/board/report.pdf", pdf, 0, READERS, 0,
     "月度经济运行报告（PDF：主要指标及目标状态、重点指标走势图、惠民实事、各领域）",
     "The month's economic report as a PDF (indicators with their targets' status, trend charts, 惠民实事, the domains)"},
    {"GET", "/api/v1/board/report.xlsx", xlsx, 0, READERS, 0, "月度经济运行报告（Excel：主要指标、惠民实事、各领域）",
     "The month's economic report as Excel (indicators, 惠民实事, the domains)"},
};

void api_board_register(void) { router_add(routes, XQ_COUNT(routes), "board"); }
