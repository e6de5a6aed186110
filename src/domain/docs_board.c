/*
** docs_board.c — the leaders' board's month report (经济运行情况) as an A4
** PDF (docs.h: docs_board_pdf()), drawn from exactly the JSON of
** GET /api/v1/board (/work/notes/board_contract.md) with the drawing layer
** docs_pdf.h shares with docs.c.
**
** The report has four parts: 一、主要经济指标 (a table, one row per
** indicator, its header repeated on every page it runs onto), 二、重点指标走势
** (a vector chart per indicator with a target: this year's and last year's
** period values as bars, the cumulative growth as a line on a second axis),
** 三、惠民实事 (counts, mean progress, progress by department, the projects
** behind) and 四、各领域 (a table per panel with each figure's months drawn
** as small bars). Every page's foot says 第 N 页 / 共 M 页: the document is
** laid out twice, the first time only to count its pages.
**
** The JSON is the server's own, yet read defensively: a member missing,
** null or of another type prints as —, never fails. Amounts print exactly
** as the JSON's strings; numbers are parsed (strtod) only to place bars and
** points, and the axes' ticks are round numbers of their own.
*/
#include "docs.h"
#include "docs_pdf.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BL 40.0              /* the report's left edge (its pages are wider than a notice's) */
#define BW (PAGE_W - 2 * BL) /* its width */
#define BTOP 58.0            /* where a page after the first begins, under the running head */
#define CHARTS_MAX 8         /* charts drawn in 二、 at most (the rest is said, not dropped silently) */
#define CELL_LINES 8         /* lines of a table cell at most: a longer text ends in … */
#define DASH "—"

static const Style S_H1 = {SERIF, 22, true, PANGO_ALIGN_CENTER, 0, 0, 0.70, 0.05, 0.05};
static const Style S_H2 = {SERIF, 17, true, PANGO_ALIGN_CENTER, 0, 0, 0, 0, 0};
static const Style S_META = {SANS, 9, false, PANGO_ALIGN_CENTER, 0, 0, 0.30, 0.30, 0.30};
static const Style S_SECTION = {SANS, 13, true, PANGO_ALIGN_LEFT, 0, 0, 0.10, 0.20, 0.45};
static const Style S_SUB = {SANS, 10.5, true, PANGO_ALIGN_LEFT, 0, 0, 0.15, 0.15, 0.15};
static const Style S_TEXT = {SANS, 9, false, PANGO_ALIGN_LEFT, 1.3, 0, 0.10, 0.10, 0.10};
static const Style S_NOTE = {SANS, 7.5, false, PANGO_ALIGN_LEFT, 0, 0, 0.40, 0.40, 0.40};
static const Style S_CELL = {SANS, 8, false, PANGO_ALIGN_LEFT, 0, 0, 0.10, 0.10, 0.10};
static const Style S_HEAD = {SANS, 8, true, PANGO_ALIGN_CENTER, 0, 0, 0.15, 0.15, 0.15};
static const Style S_AXIS = {SANS, 6, false, PANGO_ALIGN_LEFT, 0, 0, 0.35, 0.35, 0.35};
static const Style S_RUN = {SANS, 7.5, false, PANGO_ALIGN_LEFT, 0, 0, 0.50, 0.50, 0.50};

/* Colours. */
typedef struct Rgb {
  double r, g, b;
} Rgb;
static const Rgb C_THIS = {0.16, 0.42, 0.75};  /* this year's bars */
static const Rgb C_PREV = {0.80, 0.76, 0.62};  /* last year's (a colour nothing else blends into) */
static const Rgb C_GROWTH = {0.90, 0.42, 0.08}; /* the growth line */
static const Rgb C_GREEN = {0.16, 0.62, 0.28};
static const Rgb C_AMBER = {0.96, 0.66, 0.10};
static const Rgb C_RED = {0.86, 0.15, 0.15};
static const Rgb C_GREY = {0.62, 0.62, 0.62};
static const Rgb C_RULE = {0.55, 0.55, 0.55};

/* The report being drawn. */
typedef struct Rep {
  Pdf p;
  const json_t *board; /* the board's JSON (borrowed) */
  const char *head;    /* the running head of every page after the first */
} Rep;

/* ---- reading the JSON --------------------------------------------------------- */

/* str() is member key of o when it is a non-empty string, else NULL. */
static const char *str(const json_t *o, const char *key) {
  const char *s = json_string_value(json_object_get(o, key));
  return s && *s ? s : NULL;
}

/* text() is how value v prints: a string as it is, an integer in decimal,
** a real in its shortest form, anything else (missing, null, empty) —.
** num (32 bytes) holds a number's digits. */
static const char *text(const json_t *v, char num[32]) {
  if (json_is_string(v)) return *json_string_value(v) ? json_string_value(v) : DASH;
  if (json_is_integer(v)) {
    snprintf(num, 32, "%lld", (long long)json_integer_value(v));
    return num;
  }
  if (json_is_real(v) && isfinite(json_real_value(v))) {
    snprintf(num, 32, "%.15g", json_real_value(v));
    return num;
  }
  return DASH;
}

/* value() parses v (a decimal string or a JSON number) into *x, only to
** draw it; false when v is not a number or one beyond ±1e300 (so the span
** of an axis is always finite). */
static bool value(const json_t *v, double *x) {
  if (json_is_number(v)) {
    *x = json_number_value(v);
    return isfinite(*x) && fabs(*x) < 1e300;
  }
  const char *s = json_string_value(v);
  if (!s || !*s) return false;
  char *end;
  *x = strtod(s, &end);
  return end != s && *end == 0 && isfinite(*x) && fabs(*x) < 1e300;
}

/* status_colour() is the colour of a target's status (green, amber, red;
** grey for none, unknown or anything else). */
static Rgb status_colour(const char *status) {
  if (!status) return C_GREY;
  if (strcmp(status, "green") == 0) return C_GREEN;
  if (strcmp(status, "amber") == 0) return C_AMBER;
  if (strcmp(status, "red") == 0) return C_RED;
  return C_GREY;
}

/* status_name() is what a status prints as when the JSON gives no label. */
static const char *status_name(const char *status) {
  static const struct {
    const char *status, *label;
  } names[] = {{"green", "绿"}, {"amber", "黄"}, {"red", "红"}, {"none", "无目标"}, {"unknown", "未知"}};
  for (size_t i = 0; status && i < XQ_COUNT(names); i++)
    if (strcmp(names[i].status, status) == 0) return names[i].label;
  return DASH;
}

/* date_words() writes "2026年12月6日" for "2026-12-06" into out (32 bytes);
** anything else prints as —. */
static const char *date_words(const char *ymd, char out[32]) {
  int y, m, d;
  char tail;
  if (ymd && sscanf(ymd, "%4d-%2d-%2d%c", &y, &m, &d, &tail) == 3 && strlen(ymd) == 10)
    snprintf(out, 32, "%d年%d月%d日", y, m, d);
  else
    snprintf(out, 32, "%s", DASH);
  return out;
}

/* ---- drawing helpers ----------------------------------------------------------- */

static void fill_rgb(cairo_t *cr, Rgb c) { cairo_set_source_rgb(cr, c.r, c.g, c.b); }

/* width_of() is the width in points of s in style st, on one line. */
static double width_of(Rep *r, const Style *st, const char *s) {
  PangoLayout *l = pdf_layout(&r->p, st, 0, s);
  int w, h;
  pango_layout_get_size(l, &w, &h);
  g_object_unref(l);
  return (double)w / PANGO_SCALE;
}

/* cell_layout() is pdf_layout() of s with at most lines lines, the last
** ending in … when s needs more. The caller unrefs it. */
static PangoLayout *cell_layout(Rep *r, const Style *st, double width, const char *s, int lines) {
  PangoLayout *l = pdf_layout(&r->p, st, width, s);
  pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_END);
  pango_layout_set_height(l, -lines);
  return l;
}

/* cell_height() is the height of s drawn by cell_draw(). */
static double cell_height(Rep *r, const Style *st, double width, const char *s, int lines) {
  PangoLayout *l = cell_layout(r, st, width, s, lines);
  int w, h;
  pango_layout_get_size(l, &w, &h);
  g_object_unref(l);
  return (double)h / PANGO_SCALE;
}

/* cell_draw() draws s at (x, y), width wide, at most lines lines. */
static void cell_draw(Rep *r, const Style *st, double x, double y, double width, const char *s, int lines) {
  PangoLayout *l = cell_layout(r, st, width, s, lines);
  cairo_set_source_rgb(r->p.cr, st->r, st->g, st->b);
  cairo_move_to(r->p.cr, x, y);
  pango_cairo_show_layout(r->p.cr, l);
  g_object_unref(l);
}

/* dot() draws a filled circle of colour c. */
static void dot(Rep *r, double cx, double cy, double radius, Rgb c) {
  cairo_new_path(r->p.cr);
  cairo_arc(r->p.cr, cx, cy, radius, 0, 2 * M_PI);
  fill_rgb(r->p.cr, c);
  cairo_fill(r->p.cr);
}

/* line() strokes a line from (x0, y0) to (x1, y1). */
static void line(Rep *r, double x0, double y0, double x1, double y1, double width, Rgb c) {
  cairo_new_path(r->p.cr);
  cairo_move_to(r->p.cr, x0, y0);
  cairo_line_to(r->p.cr, x1, y1);
  cairo_set_line_width(r->p.cr, width);
  fill_rgb(r->p.cr, c);
  cairo_stroke(r->p.cr);
}

/* page() ends the page and begins the next with the running head. */
static void page(Rep *r) {
  pdf_new_page(&r->p);
  cell_draw(r, &S_RUN, BL, 32, BW, r->head, 1);
  line(r, BL, 44, BL + BW, 44, 0.5, C_RULE);
  r->p.y = BTOP;
}

/* need() begins a new page when h points no longer fit on this one;
** true when it did. */
static bool need(Rep *r, double h) {
  if (r->p.y + h <= BOTTOM || r->p.y <= BTOP) return false;
  page(r);
  return true;
}

/* section() draws a part's heading, on a new page when fewer than keep
** points would be left under it. */
static void section(Rep *r, const char *title, double keep) {
  need(r, 30 + keep);
  r->p.y += 6;
  r->p.y += pdf_draw(&r->p, &S_SECTION, BL, r->p.y, BW, title) + 2;
  line(r, BL, r->p.y, BL + BW, r->p.y, 1.0, (Rgb){0.10, 0.20, 0.45});
  r->p.y += 8;
}

/* note() draws a paragraph in style st across the report's width. */
static void note(Rep *r, const Style *st, const char *s, double gap) {
  double h = pdf_measure(&r->p, st, BW, s);
  need(r, h);
  r->p.y += pdf_draw(&r->p, st, BL, r->p.y, BW, s) + gap;
}

/* ---- tables ----------------------------------------------------------------------- */

/* A table's column. */
typedef struct Col {
  const char *head;    /* its heading */
  double w;            /* its width in points */
  PangoAlignment align;
} Col;

/* A cell: its text (may hold a newline), and a coloured dot before it when
** dot is not NULL. */
typedef struct Cell {
  const char *s;
  const Rgb *dot;
} Cell;

#define PAD 4.0

/* table_head() draws the heading row of the nCol columns at the flowing
** position. */
static void table_head(Rep *r, const Col *aCol, int nCol) {
  double h = 0, x = BL;
  for (int i = 0; i < nCol; i++) h = fmax(h, pdf_measure(&r->p, &S_HEAD, aCol[i].w - 2 * PAD, aCol[i].head));
  h += 2 * PAD;
  cairo_rectangle(r->p.cr, BL, r->p.y, BW, h);
  cairo_set_source_rgb(r->p.cr, 0.88, 0.91, 0.96);
  cairo_fill(r->p.cr);
  for (int i = 0; i < nCol; i++) {
    pdf_draw(&r->p, &S_HEAD, x + PAD, r->p.y + PAD, aCol[i].w - 2 * PAD, aCol[i].head);
    x += aCol[i].w;
  }
  line(r, BL, r->p.y + h, BL + BW, r->p.y + h, 0.8, C_RULE);
  r->p.y += h;
}

/* table_row() draws a row of nCol cells (its height at least min_h) at the
** flowing position, on a new page under a repeated heading when it does
** not fit; sets *top to the row's top and returns its height. The row
** stripes when odd. */
static double table_row(Rep *r, const Col *aCol, int nCol, const Cell *aCell, double min_h, bool odd,
                        double *top) {
  double h = min_h;
  for (int i = 0; i < nCol; i++) {
    double inset = aCell[i].dot ? 10 : 0;
    h = fmax(h, cell_height(r, &S_CELL, aCol[i].w - 2 * PAD - inset, aCell[i].s, CELL_LINES) + 2 * PAD);
  }
  if (r->p.y + h > BOTTOM) {
    page(r);
    table_head(r, aCol, nCol);
  }
  if (odd) {
    cairo_rectangle(r->p.cr, BL, r->p.y, BW, h);
    cairo_set_source_rgb(r->p.cr, 0.965, 0.965, 0.965);
    cairo_fill(r->p.cr);
  }
  double x = BL;
  for (int i = 0; i < nCol; i++) {
    Style st = S_CELL;
    st.align = aCol[i].align;
    double inset = 0;
    if (aCell[i].dot) {
      dot(r, x + PAD + 4, r->p.y + PAD + 5.5, 3.5, *aCell[i].dot);
      inset = 10;
    }
    cell_draw(r, &st, x + PAD + inset, r->p.y + PAD, aCol[i].w - 2 * PAD - inset, aCell[i].s, CELL_LINES);
    x += aCol[i].w;
  }
  line(r, BL, r->p.y + h, BL + BW, r->p.y + h, 0.3, C_RULE);
  *top = r->p.y;
  r->p.y += h;
  return h;
}

/* ---- axes and charts ------------------------------------------------------------- */

/* An axis of round ticks from lo to hi every step, labelled with dec decimals. */
typedef struct Axis {
  double lo, hi, step;
  int dec;
} Axis;

/* axis_make() fits a round axis over lo..hi, with 0 on it. */
static void axis_make(Axis *a, double lo, double hi) {
  if (lo > 0) lo = 0;
  if (hi < 0) hi = 0;
  if (hi - lo < 1e-9 * fmax(1, fabs(hi))) hi = lo + 1;
  double raw = (hi - lo) / 4;
  int k = (int)floor(log10(raw));
  double mag = pow(10, k), norm = raw / mag;
  double f = norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 2.5 ? 2.5 : norm <= 5 ? 5 : 10;
  if (f == 10) f = 1, k++, mag *= 10;
  a->step = f * mag;
  a->lo = floor(lo / a->step + 1e-9) * a->step;
  a->hi = ceil(hi / a->step - 1e-9) * a->step;
  int dec = -k + (f == 2.5 ? 1 : 0);
  a->dec = dec > 0 ? dec : 0;
}

/* tick_text() writes tick v of axis a into out (64 bytes). */
static const char *tick_text(const Axis *a, double v, char out[64]) {
  if (fabs(v) < a->step * 1e-6) v = 0;
  if (fabs(v) >= 1e12) snprintf(out, 64, "%.3g", v);
  else snprintf(out, 64, "%.*f", a->dec, v);
  return out;
}

/* axis_y() is where value v of axis a is on a plot from top to bottom. */
static double axis_y(const Axis *a, double v, double top, double bottom) {
  return bottom - (v - a->lo) / (a->hi - a->lo) * (bottom - top);
}

/* period_short() writes a period's label under a chart's bar into out
** (32 bytes): "2021-Q2" → "Q2", "2021-03" → "3月", else the text after the
** last '-' (or all of it). */
static const char *period_short(const char *period, char out[32]) {
  const char *dash = period ? strrchr(period, '-') : NULL;
  if (!period) snprintf(out, 32, "%s", "");
  else if (dash && dash[1] == 'Q') snprintf(out, 32, "%s", dash + 1);
  else if (dash && atoi(dash + 1) >= 1 && atoi(dash + 1) <= 12 && strlen(dash + 1) == 2)
    snprintf(out, 32, "%d月", atoi(dash + 1));
  else g_utf8_strncpy(out, dash ? dash + 1 : period, 7); /* ≤ 28 bytes, whole characters */
  return out;
}

/* legend_item() draws a legend's swatch (a box, or a line with a point
** when as_line) and label at (x, y); returns the x after it. */
static double legend_item(Rep *r, double x, double y, Rgb c, bool as_line, const char *label) {
  if (as_line) {
    line(r, x, y + 4, x + 12, y + 4, 1.4, c);
    dot(r, x + 6, y + 4, 1.8, c);
  } else {
    cairo_rectangle(r->p.cr, x + 2, y + 1, 8, 6.5);
    fill_rgb(r->p.cr, c);
    cairo_fill(r->p.cr);
  }
  pdf_draw(&r->p, &S_AXIS, x + 14, y - 0.5, 0, label);
  return x + 14 + width_of(r, &S_AXIS, label) + 10;
}

/* chart() draws indicator ind's trend in the box (x, y, w, h): its name,
** a legend, this year's period values beside last year's as bars on the
** left axis, the cumulative growth as a line on the right axis when it
** has any. A null value is a gap. */
static void chart(Rep *r, const json_t *ind, double x, double y, double w, double h) {
  cairo_t *cr = r->p.cr;
  char num[32];
  const json_t *trend = json_object_get(ind, "trend");
  const json_t *periods = json_object_get(trend, "periods"), *values = json_object_get(trend, "values");
  const json_t *previous = json_object_get(trend, "previous"), *growth = json_object_get(trend, "growth");
  size_t n = json_array_size(periods);
  if (json_array_size(values) > n) n = json_array_size(values);
  if (json_array_size(previous) > n) n = json_array_size(previous);

  cairo_rectangle(cr, x, y, w, h);
  cairo_set_source_rgb(cr, 0.985, 0.985, 0.99);
  cairo_fill_preserve(cr);
  cairo_set_line_width(cr, 0.5);
  fill_rgb(cr, C_RULE);
  cairo_stroke(cr);

  Buf title = {0};
  buf_appendf(&title, "%s（%s）", str(ind, "name") ? str(ind, "name") : DASH, str(ind, "unit") ? str(ind, "unit") : DASH);
  Style ts = S_SUB;
  ts.size = 8.5;
  cell_draw(r, &ts, x + 6, y + 4, w - 12, title.a, 1);
  buf_free(&title);

  /* the scales */
  double lo = 0, hi = 0, glo = 0, ghi = 0, v;
  bool any_growth = false;
  for (size_t i = 0; i < n; i++) {
    if (value(json_array_get(values, i), &v)) lo = fmin(lo, v), hi = fmax(hi, v);
    if (value(json_array_get(previous, i), &v)) lo = fmin(lo, v), hi = fmax(hi, v);
  }
  for (size_t i = 0; i < json_array_size(growth); i++)
    if (value(json_array_get(growth, i), &v)) glo = fmin(glo, v), ghi = fmax(ghi, v), any_growth = true;
  Axis ax, gx;
  axis_make(&ax, lo, hi);
  axis_make(&gx, glo, ghi);

  /* the legend */
  double lx = x + 6, ly = y + 19;
  lx = legend_item(r, lx, ly, C_THIS, false, "本年");
  lx = legend_item(r, lx, ly, C_PREV, false, "上年同期");
  if (any_growth) legend_item(r, lx, ly, C_GROWTH, true, "累计增速%（右轴）");

  /* the plot */
  double left = x + 34, right = x + w - (any_growth ? 30 : 10), top = y + 36, bottom = y + h - 18;
  char tick[64];
  Style rs = S_AXIS;
  rs.align = PANGO_ALIGN_RIGHT;
  for (double t = ax.lo; t <= ax.hi + ax.step * 1e-6; t += ax.step) {
    double ty = axis_y(&ax, t, top, bottom);
    line(r, left, ty, right, ty, 0.3, (Rgb){0.85, 0.85, 0.85});
    pdf_draw(&r->p, &rs, x + 2, ty - 4, left - x - 5, tick_text(&ax, t, tick));
  }
  if (any_growth)
    for (double t = gx.lo; t <= gx.hi + gx.step * 1e-6; t += gx.step) {
      Style gs = S_AXIS;
      gs.r = C_GROWTH.r, gs.g = C_GROWTH.g, gs.b = C_GROWTH.b;
      pdf_draw(&r->p, &gs, right + 3, axis_y(&gx, t, top, bottom) - 4, 0, tick_text(&gx, t, tick));
    }
  line(r, left, axis_y(&ax, 0, top, bottom), right, axis_y(&ax, 0, top, bottom), 0.7, C_RULE);
  if (n == 0) {
    Style ns = S_NOTE;
    ns.align = PANGO_ALIGN_CENTER;
    pdf_draw(&r->p, &ns, left, (top + bottom) / 2 - 5, right - left, "（无数据）");
    return;
  }
  double slot = (right - left) / (double)n, bw = fmin(slot * 0.36, 14), zero = axis_y(&ax, 0, top, bottom);
  double label_w = 0;
  for (size_t i = 0; i < n; i++)
    label_w = fmax(label_w, width_of(r, &S_AXIS, period_short(json_string_value(json_array_get(periods, i)), num)));
  size_t every = (size_t)ceil((label_w + 3) / slot);
  if (every < 1) every = 1;
  for (size_t i = 0; i < n; i++) {
    double cx = left + slot * ((double)i + 0.5);
    if (value(json_array_get(previous, i), &v)) {
      double vy = axis_y(&ax, v, top, bottom);
      cairo_rectangle(cr, cx - bw, fmin(vy, zero), bw, fabs(zero - vy));
      fill_rgb(cr, C_PREV);
      cairo_fill(cr);
    }
    if (value(json_array_get(values, i), &v)) {
      double vy = axis_y(&ax, v, top, bottom);
      cairo_rectangle(cr, cx, fmin(vy, zero), bw, fabs(zero - vy));
      fill_rgb(cr, C_THIS);
      cairo_fill(cr);
    }
    if (i % every == 0) {
      Style cs = S_AXIS;
      cs.align = PANGO_ALIGN_CENTER;
      pdf_draw(&r->p, &cs, cx - slot * every / 2, bottom + 3, slot * every,
               period_short(json_string_value(json_array_get(periods, i)), num));
    }
  }
  if (any_growth) {
    if (gx.lo < 0) {
      /* the growth axis's 0, dashed, when it is not the bars' base line */
      double dash[] = {2, 2};
      cairo_set_dash(cr, dash, 2, 0);
      line(r, left, axis_y(&gx, 0, top, bottom), right, axis_y(&gx, 0, top, bottom), 0.5, C_GROWTH);
      cairo_set_dash(cr, NULL, 0, 0);
    }
    /* the line, broken where a value is missing */
    bool on = false;
    cairo_new_path(cr);
    for (size_t i = 0; i < n; i++) {
      double cx = left + slot * ((double)i + 0.5);
      if (!value(json_array_get(growth, i), &v)) {
        on = false;
        continue;
      }
      double gy = axis_y(&gx, v, top, bottom);
      if (on) cairo_line_to(cr, cx, gy);
      else cairo_move_to(cr, cx, gy);
      on = true;
    }
    cairo_set_line_width(cr, 1.4);
    fill_rgb(cr, C_GROWTH);
    cairo_stroke(cr);
    for (size_t i = 0; i < n; i++)
      if (value(json_array_get(growth, i), &v))
        dot(r, left + slot * ((double)i + 0.5), axis_y(&gx, v, top, bottom), 1.8, C_GROWTH);
  }
}

/* months_chart() draws a figure's monthly values (an array of 12, null
** unknown) as small bars in the box (x, y, w, h), a thin base line under
** them; a missing month is a gap. */
static void months_chart(Rep *r, const json_t *months, double x, double y, double w, double h) {
  size_t n = json_array_size(months);
  double lo = 0, hi = 0, v;
  bool any = false;
  for (size_t i = 0; i < n; i++)
    if (value(json_array_get(months, i), &v)) lo = fmin(lo, v), hi = fmax(hi, v), any = true;
  if (n < 12) n = 12;
  if (hi - lo <= 0) hi = lo + 1;
  double slot = w / (double)n, zero = y + h * hi / (hi - lo);
  line(r, x, zero, x + w, zero, 0.4, C_RULE);
  if (!any) return;
  for (size_t i = 0; i < json_array_size(months); i++) {
    if (!value(json_array_get(months, i), &v)) continue;
    double top = y + h * (hi - v) / (hi - lo);
    cairo_rectangle(r->p.cr, x + slot * (double)i + slot * 0.15, fmin(top, zero), slot * 0.7, fmax(fabs(zero - top), 0.3));
    fill_rgb(r->p.cr, C_THIS);
    cairo_fill(r->p.cr);
  }
}

/* ---- the parts -------------------------------------------------------------------- */

/* part_title() draws the report's title block: 大连金普新区, the board's
** title, the date it was made, a 演示数据 mark on demo data, and the
** count of indicators by status. */
static void part_title(Rep *r) {
  const json_t *b = r->board;
  char date[32];
  Pdf *p = &r->p;
  p->y = 60;
  p->y += pdf_draw(p, &S_H1, BL, p->y, BW, "大连金普新区") + 4;
  p->y += pdf_draw(p, &S_H2, BL, p->y, BW, str(b, "title") ? str(b, "title") : "经济运行情况") + 8;
  Buf meta = {0};
  char today[11];
  const char *day = str(b, "today") ? str(b, "today") : time_today_cn(today);
  buf_appendf(&meta, "生成日期：%s", date_words(day, date));
  char ny[32], nm[32];
  const char *year = text(json_object_get(b, "year"), ny), *month = text(json_object_get(b, "month"), nm);
  if (strcmp(year, DASH) && strcmp(month, DASH)) buf_appendf(&meta, "　　数据截至：%s年%s月", year, month);
  bool demo = json_is_true(json_object_get(b, "demo"));
  double mw = width_of(r, &S_META, meta.a), tag_w = demo ? 62 : 0, mx = BL + (BW - mw - tag_w) / 2;
  Style ms = S_META;
  ms.align = PANGO_ALIGN_LEFT;
  pdf_draw(p, &ms, mx, p->y, 0, meta.a);
  if (demo) {
    /* the demo mark: red, boxed, beside the date */
    double tx = mx + mw + 12, ty = p->y - 2;
    cairo_new_path(p->cr);
    cairo_rectangle(p->cr, tx, ty, 50, 16);
    cairo_set_source_rgb(p->cr, 0.86, 0.12, 0.12);
    cairo_set_line_width(p->cr, 1.2);
    cairo_stroke(p->cr);
    Style ds = {SANS, 9, true, PANGO_ALIGN_CENTER, 0, 0, 0.86, 0.12, 0.12};
    pdf_draw(p, &ds, tx, ty + 1.5, 50, "演示数据");
  }
  p->y += 22;
  if (demo) note(r, &S_NOTE, "本报告由演示数据生成，数字不代表金普新区的实际情况。", 4);
  buf_free(&meta);

  /* the indicators by status */
  const json_t *sc = json_object_get(b, "status_counts");
  if (json_is_object(sc)) {
    static const char *order[] = {"green", "amber", "red", "none", "unknown"};
    double x = BL;
    Style cs = S_TEXT;
    pdf_draw(p, &cs, x, p->y, 0, "目标完成状态：");
    x += width_of(r, &cs, "目标完成状态：") + 4;
    for (size_t i = 0; i < XQ_COUNT(order); i++) {
      char num[32], label[96];
      snprintf(label, sizeof label, "%s %s 项", status_name(order[i]), text(json_object_get(sc, order[i]), num));
      dot(r, x + 4, p->y + 7, 4, status_colour(order[i]));
      pdf_draw(p, &cs, x + 11, p->y, 0, label);
      x += 11 + width_of(r, &cs, label) + 14;
    }
    p->y += 20;
  }
}

/* part_indicators() draws 一、主要经济指标: the table of every indicator. */
static void part_indicators(Rep *r) {
  static const Col cols[] = {{"指标", 112, PANGO_ALIGN_LEFT},        {"单位", 38, PANGO_ALIGN_CENTER},
                             {"本期值", 68, PANGO_ALIGN_RIGHT},      {"增速%", 46, PANGO_ALIGN_RIGHT},
                             {"占全市%", 42, PANGO_ALIGN_RIGHT},     {"年度目标", 90, PANGO_ALIGN_LEFT},
                             {"进度%\n目标/时间", 64, PANGO_ALIGN_CENTER}, {"状态", BW - 460, PANGO_ALIGN_LEFT}};
  const json_t *inds = json_object_get(r->board, "indicators");
  size_t n = json_array_size(inds), i;
  section(r, "一、主要经济指标", 90);
  if (n == 0) {
    note(r, &S_TEXT, "本期没有可列的指标。", 8);
    return;
  }
  table_head(r, cols, (int)XQ_COUNT(cols));
  Buf value = {0}, growth = {0}, progress = {0}, bases = {0};
  bool any_official = false, any_computed = false;
  for (i = 0; i < n; i++) {
    const json_t *ind = json_array_get(inds, i);
    const json_t *g = json_object_get(ind, "growth"), *t = json_object_get(ind, "target");
    char n1[32], n2[32], n3[32], n4[32];
    buf_reset(&value);
    buf_reset(&growth);
    buf_reset(&progress);
    buf_puts(&value, text(json_object_get(ind, "value"), n1));
    if (str(ind, "period_label")) buf_appendf(&value, "\n%s", str(ind, "period_label"));
    buf_puts(&growth, text(json_object_get(g, "value"), n2));
    if (json_is_object(g) && strcmp(growth.a, DASH)) {
      const char *kind = str(g, "kind"), *basis = str(g, "basis");
      if (kind && strcmp(kind, "official") == 0) {
        buf_puts(&growth, "*");
        any_official = true;
        if (basis && !strstr(bases.a ? bases.a : "", basis)) buf_appendf(&bases, "%s%s", bases.n ? "、" : "", basis);
      } else {
        any_computed = true;
      }
    }
    const char *prog = text(json_object_get(t, "progress"), n3), *time = text(json_object_get(t, "time"), n4);
    if (strcmp(prog, DASH) || strcmp(time, DASH)) buf_appendf(&progress, "%s / %s", prog, time);
    else buf_puts(&progress, DASH);
    const char *status = json_is_object(t) ? str(t, "status") : "none";
    const char *label = json_is_object(t) && str(t, "status_label") ? str(t, "status_label") : status_name(status);
    Rgb colour = status_colour(status);
    char n5[32], n6[32];
    Cell cells[] = {{str(ind, "name") ? str(ind, "name") : DASH, NULL},
                    {text(json_object_get(ind, "unit"), n5), NULL},
                    {value.a, NULL},
                    {growth.a, NULL},
                    {text(json_object_get(ind, "share"), n6), NULL},
                    {json_is_object(t) && str(t, "text") ? str(t, "text") : DASH, NULL},
                    {progress.a, NULL},
                    {label, &colour}};
    double top;
    table_row(r, cols, (int)XQ_COUNT(cols), cells, 0, i % 2 == 1, &top);
  }
  r->p.y += 4;
  Buf foot = {0};
  if (any_official)
    buf_appendf(&foot, "* 统计部门公布的增速%s%s%s；", bases.n ? "（" : "", bases.n ? bases.a : "", bases.n ? "）" : "");
  if (any_computed) buf_puts(&foot, "未标 * 的增速由本平台按录入数据计算；");
  buf_puts(&foot, "进度：目标完成进度 / 时间进度（%）。状态：绿、黄、红按各指标目标的评价规则判定，灰为无目标或数据不足。");
  note(r, &S_NOTE, foot.a, 10);
  buf_free(&foot);
  buf_free(&value);
  buf_free(&growth);
  buf_free(&progress);
  buf_free(&bases);
}

/* part_trends() draws 二、重点指标走势: a chart for each indicator with a
** target, two a row, at most CHARTS_MAX (the number left out is said). */
static void part_trends(Rep *r) {
  const json_t *inds = json_object_get(r->board, "indicators");
  const double gap = 14, w = (BW - gap) / 2, h = 172;
  size_t n = 0, i;
  for (i = 0; i < json_array_size(inds); i++)
    if (json_is_object(json_object_get(json_array_get(inds, i), "target"))) n++;
  section(r, "二、重点指标走势", h + 10);
  if (n == 0) {
    note(r, &S_TEXT, "没有设定年度目标的指标。", 8);
    return;
  }
  size_t k = 0;
  for (i = 0; i < json_array_size(inds) && k < CHARTS_MAX; i++) {
    const json_t *ind = json_array_get(inds, i);
    if (!json_is_object(json_object_get(ind, "target"))) continue;
    if (k % 2 == 0) need(r, h);
    chart(r, ind, BL + (double)(k % 2) * (w + gap), r->p.y, w, h);
    if (k % 2 == 1) r->p.y += h + gap;
    k++;
  }
  if (k % 2 == 1) r->p.y += h + gap;
  if (n > k) {
    char s[160];
    snprintf(s, sizeof s, "另有 %zu 项设定目标的指标未绘图，见上表。", n - k);
    note(r, &S_NOTE, s, 6);
  }
  r->p.y += 4;
}

/* part_livelihood() draws 三、惠民实事: the counts and mean progress, a bar
** of the counts, progress by department, and the projects behind. */
static void part_livelihood(Rep *r) {
  const json_t *lv = json_object_get(r->board, "livelihood");
  section(r, "三、惠民实事", 60);
  if (!json_is_object(lv)) {
    note(r, &S_TEXT, "没有惠民实事数据。", 8);
    return;
  }
  const json_t *counts = json_object_get(lv, "counts");
  char n0[32], n1[32], n2[32], n3[32], n4[32], n5[32];
  Buf s = {0};
  const char *progress = text(json_object_get(lv, "progress"), n5);
  if (json_is_integer(json_object_get(lv, "total")) && json_integer_value(json_object_get(lv, "total")) == 0)
    buf_appendf(&s, "%s年尚无惠民实事项目。", text(json_object_get(lv, "year"), n0));
  else
    buf_appendf(&s, "%s年惠民实事共 %s 项：按计划推进 %s 项，滞后 %s 项，已完成 %s 项；平均进度 %s%s。",
                text(json_object_get(lv, "year"), n0), text(json_object_get(lv, "total"), n1),
                text(json_object_get(counts, "on_track"), n2), text(json_object_get(counts, "behind"), n3),
                text(json_object_get(counts, "done"), n4), progress, strcmp(progress, DASH) ? "%" : "");
  note(r, &S_TEXT, s.a, 6);

  /* the counts as one bar */
  static const struct {
    const char *key, *label;
    const Rgb *c;
  } parts[] = {{"done", "已完成", &C_GREEN}, {"on_track", "按计划", &C_THIS}, {"behind", "滞后", &C_RED}};
  double total = 0, v;
  for (size_t i = 0; i < XQ_COUNT(parts); i++)
    if (value(json_object_get(counts, parts[i].key), &v) && v > 0) total += v;
  if (total > 0) {
    need(r, 30);
    double x = BL;
    for (size_t i = 0; i < XQ_COUNT(parts); i++) {
      if (!value(json_object_get(counts, parts[i].key), &v) || v <= 0) continue;
      cairo_rectangle(r->p.cr, x, r->p.y, BW * v / total, 12);
      fill_rgb(r->p.cr, *parts[i].c);
      cairo_fill(r->p.cr);
      x += BW * v / total;
    }
    double lx = BL;
    for (size_t i = 0; i < XQ_COUNT(parts); i++) {
      buf_reset(&s);
      buf_appendf(&s, "%s %s 项", parts[i].label, text(json_object_get(counts, parts[i].key), n0));
      lx = legend_item(r, lx, r->p.y + 16, *parts[i].c, false, s.a);
    }
    r->p.y += 32;
  }

  /* progress by department */
  const json_t *depts = json_object_get(lv, "by_dept");
  if (json_array_size(depts)) {
    need(r, 40);
    r->p.y += pdf_draw(&r->p, &S_SUB, BL, r->p.y, BW, "各牵头部门平均进度（橙色：有滞后项目）") + 4;
    const double name_w = 120, bar_w = 250;
    for (size_t i = 0; i < json_array_size(depts); i++) {
      const json_t *d = json_array_get(depts, i), *dept = json_object_get(d, "dept");
      const char *name = json_is_string(dept) ? json_string_value(dept) : str(dept, "name");
      double h = fmax(cell_height(r, &S_CELL, name_w - 4, name ? name : DASH, 2), 12) + 3;
      need(r, h);
      cell_draw(r, &S_CELL, BL, r->p.y, name_w - 4, name ? name : DASH, 2);
      double bx = BL + name_w;
      cairo_rectangle(r->p.cr, bx, r->p.y + 2, bar_w, 8);
      cairo_set_source_rgb(r->p.cr, 0.92, 0.92, 0.92);
      cairo_fill(r->p.cr);
      if (value(json_object_get(d, "progress"), &v) && v > 0) {
        cairo_rectangle(r->p.cr, bx, r->p.y + 2, bar_w * fmin(v, 100) / 100, 8);
        fill_rgb(r->p.cr, json_integer_value(json_object_get(d, "behind")) > 0 ? C_AMBER : C_THIS);
        cairo_fill(r->p.cr);
      }
      buf_reset(&s);
      buf_appendf(&s, "%s%%　共 %s 项，滞后 %s 项，完成 %s 项", text(json_object_get(d, "progress"), n0),
                  text(json_object_get(d, "total"), n1), text(json_object_get(d, "behind"), n2),
                  text(json_object_get(d, "done"), n3));
      pdf_draw(&r->p, &S_CELL, bx + bar_w + 8, r->p.y, BW - name_w - bar_w - 8, s.a);
      r->p.y += h;
    }
    r->p.y += 8;
  }

  /* the projects behind */
  const json_t *behind = json_object_get(lv, "projects_behind");
  if (json_array_size(behind) == 0) {
    note(r, &S_TEXT, "没有滞后的项目。", 8);
  } else {
    static const Col cols[] = {
        {"滞后项目", 170, PANGO_ALIGN_LEFT}, {"牵头部门", 85, PANGO_ALIGN_LEFT}, {"滞后原因", BW - 255, PANGO_ALIGN_LEFT}};
    need(r, 80);
    r->p.y += pdf_draw(&r->p, &S_SUB, BL, r->p.y, BW, "滞后项目") + 4;
    table_head(r, cols, (int)XQ_COUNT(cols));
    for (size_t i = 0; i < json_array_size(behind); i++) {
      const json_t *it = json_array_get(behind, i), *dept = json_object_get(it, "dept");
      const json_t *why = json_object_get(it, "status_reason");
      const char *dname = json_is_string(dept) ? json_string_value(dept) : str(dept, "name");
      const char *reason = json_is_string(why) ? json_string_value(why) : str(why, "zh");
      Cell cells[] = {{str(it, "title") ? str(it, "title") : DASH, &C_RED},
                      {dname && *dname ? dname : DASH, NULL},
                      {reason && *reason ? reason : DASH, NULL}};
      double top;
      table_row(r, cols, (int)XQ_COUNT(cols), cells, 0, i % 2 == 1, &top);
    }
    r->p.y += 10;
  }
  buf_free(&s);
}

/* part_panels() draws 四、各领域: each panel's title and a table of its
** figures, each with its months as small bars. */
static void part_panels(Rep *r) {
  char so_far[32] = "本年累计";
  json_int_t month = json_integer_value(json_object_get(r->board, "month"));
  if (month == 1) snprintf(so_far, sizeof so_far, "1月");
  else if (month > 1 && month <= 12) snprintf(so_far, sizeof so_far, "1—%d月", (int)month);
  const Col cols[] = {{"指标", 150, PANGO_ALIGN_LEFT},
                      {so_far, 85, PANGO_ALIGN_RIGHT},
                      {"上年同期", 85, PANGO_ALIGN_RIGHT},
                      {"增速%", 50, PANGO_ALIGN_RIGHT},
                      {"1—12月逐月", BW - 370, PANGO_ALIGN_LEFT}};
  const json_t *panels = json_object_get(r->board, "panels");
  section(r, "四、各领域", 80);
  if (json_array_size(panels) == 0) {
    note(r, &S_TEXT, "没有各领域数据。", 8);
    return;
  }
  static const char *ordinals[] = {"一", "二", "三", "四", "五", "六", "七", "八", "九", "十"};
  Buf s = {0}, cur = {0}, prev = {0};
  for (size_t i = 0; i < json_array_size(panels); i++) {
    const json_t *panel = json_array_get(panels, i), *figs = json_object_get(panel, "figures");
    buf_reset(&s);
    if (i < XQ_COUNT(ordinals)) buf_appendf(&s, "（%s）", ordinals[i]);
    else buf_appendf(&s, "（%zu）", i + 1);
    buf_puts(&s, str(panel, "title") ? str(panel, "title") : DASH);
    need(r, 70);
    r->p.y += pdf_draw(&r->p, &S_SUB, BL, r->p.y, BW, s.a) + 4;
    if (json_array_size(figs) == 0) {
      note(r, &S_TEXT, "本领域没有数据。", 8);
      continue;
    }
    table_head(r, cols, (int)XQ_COUNT(cols));
    for (size_t j = 0; j < json_array_size(figs); j++) {
      const json_t *f = json_array_get(figs, j);
      const char *unit = str(f, "unit");
      char n1[32], n2[32], n3[32];
      const char *v = text(json_object_get(f, "value"), n1), *pv = text(json_object_get(f, "previous"), n2);
      buf_reset(&cur);
      buf_reset(&prev);
      buf_appendf(&cur, "%s%s%s", v, unit && strcmp(v, DASH) ? " " : "", unit && strcmp(v, DASH) ? unit : "");
      buf_appendf(&prev, "%s%s%s", pv, unit && strcmp(pv, DASH) ? " " : "", unit && strcmp(pv, DASH) ? unit : "");
      Cell cells[] = {{str(f, "name") ? str(f, "name") : DASH, NULL},
                      {cur.a, NULL},
                      {prev.a, NULL},
                      {text(json_object_get(f, "growth"), n3), NULL},
                      {"", NULL}};
      double top, h = table_row(r, cols, (int)XQ_COUNT(cols), cells, 22, j % 2 == 1, &top);
      double cx = BL + BW - cols[4].w + PAD;
      months_chart(r, json_object_get(f, "months"), cx, top + 4, cols[4].w - 2 * PAD, fmin(h - 8, 14));
    }
    r->p.y += 12;
  }
  buf_free(&s);
  buf_free(&cur);
  buf_free(&prev);
}

/* render() lays out the whole report once. */
static void render(Rep *r) {
  part_title(r);
  part_indicators(r);
  part_trends(r);
  part_livelihood(r);
  part_panels(r);
}

int docs_board_pdf(const json_t *board, Buf *out, Err *e) {
  if (!json_is_object(board))
    return err_set(e, E_INTERNAL, "board.pdf", NULL, "领导看板数据应为对象，无法生成报告",
                   "The board must be a JSON object to make its report");
  const char *title = str(board, "title") ? str(board, "title") : "经济运行情况";
  bool demo = json_is_true(json_object_get(board, "demo"));
  Buf doc = {0}, footer = {0};
  buf_appendf(&doc, "大连金普新区%s", title);
  if (g_utf8_strlen(title, -1) > 40) /* the foot and the running head have one line */
    buf_appendf(&footer, "大连金普新区 · %.*s…%s", (int)(g_utf8_offset_to_pointer(title, 40) - title), title,
                demo ? " · 演示数据" : "");
  else
    buf_appendf(&footer, "大连金普新区 · %s%s", title, demo ? " · 演示数据" : "");
  size_t start = out->n;
  Rep r = {.board = board, .head = footer.a};
  Buf scratch = {0};
  int rc;
  pthread_mutex_lock(&pdf_lock);
  /* first the pages are counted, then drawn with 共 M 页 */
  pdf_begin(&r.p, &scratch, doc.a, footer.a);
  render(&r);
  int pages = r.p.page;
  rc = pdf_end(&r.p, e);
  if (rc == 0) {
    pdf_begin(&r.p, out, doc.a, footer.a);
    r.p.pages = pages;
    render(&r);
    rc = pdf_end(&r.p, e);
    if (rc && out->a) out->a[out->n = start] = 0;
  }
  pthread_mutex_unlock(&pdf_lock);
  buf_free(&scratch);
  buf_free(&doc);
  buf_free(&footer);
  return rc;
}
