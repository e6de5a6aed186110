/*
** board.h — the leaders' board (领导驾驶舱, issue 17): one answer that puts
** together the indicators against their targets with their trends
** (indicator_board()), the year's 惠民实事 (livelihood_summary()) and one
** panel per domain of xinqu (services, registry, 招商, ladder, talent)
** whose figures are the indicator feeds' (indicator.h) over the year so far,
** month by month, each with the web route of the records behind it. The
** month's 经济运行 report is the same answer as a PDF (docs_board_pdf()) or
** an Excel workbook.
**
** Who: every official and auditor reads the board (it holds figures, not
** records; the records behind a figure keep their own rules); applicants
** nothing.
*/
#ifndef XINQU_BOARD_H
#define XINQU_BOARD_H

#include <jansson.h>
#include "../base/base.h"
#include "../base/buf.h"
#include "../store/store.h"
#include "accounts.h"

/* board_get() is the board of year (0: the latest year, not after this
** one, holding an entered indicator value, else this year) as of the end
** of month (1–12; 0: the last month with a value) (new): {year, month,
** years (those a board may be asked for), today, generated_at (ms), demo,
** title ("2021年1—12月经济运行情况"), status_counts, indicators (both as
** indicator_board()), livelihood (livelihood_summary() of the year),
** panels: [{domain, title, title_en, link, figures: [{feed, name, name_en,
** unit, value (1 January to the end of month), previous (the same days of
** last year), growth (per cent; none for a rate), months (12: each month's
** own figure, null when unknown or after month), link}]}]}; figures are
** exact decimal text, links web routes. NULL with *e (auth.forbidden).
** The caller checks year (1900–2999) and month (0–12). */
json_t *board_get(Store *s, const User *actor, int year, int month, Err *e);

/* board_xlsx() appends to *out the board as an Excel workbook: sheets
** 主要指标 (each indicator with its target and status), 惠民实事 (by
** department, then the projects behind) and 各领域 (each panel's figures
** with their months). 0, or -1 with *e. */
int board_xlsx(const json_t *board, Buf *out, Err *e);

#endif
