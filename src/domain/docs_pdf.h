/*
** docs_pdf.h — the documents module's private drawing layer (cairo + pango,
** Noto CJK), shared by docs.c (notices, certificates, 申请表) and
** docs_board.c (the board's 经济运行 report). Not a public interface: only
** those two files include it.
**
** A Pdf is an A4 document drawn top to bottom: p->y is where the next block
** goes, pdf_new_page() ends a page with its foot (footer and page number).
** Everything is drawn holding pdf_lock (one font map serves the process; see
** docs.c). Text from data always goes through pango_layout_set_text(),
** never markup.
*/
#ifndef XINQU_DOCS_PDF_H
#define XINQU_DOCS_PDF_H

#include <cairo.h>
#include <pango/pangocairo.h>
#include <pthread.h>
#include "../base/base.h"
#include "../base/buf.h"

#define SERIF "Noto Serif CJK SC"
#define SANS "Noto Sans CJK SC"

#define PAGE_W 595.276 /* A4 in points */
#define PAGE_H 841.890
#define MARGIN 72.0
#define BOTTOM (PAGE_H - 80.0) /* blocks end above this; the foot is below it */

/* pdf_lock: held around every document drawn (pdf_begin() … pdf_end()). */
extern pthread_mutex_t pdf_lock;

/* A document being drawn. */
typedef struct Pdf {
  cairo_surface_t *surf;
  cairo_t *cr;
  PangoContext *ctx;   /* from the process's font map, for this surface */
  double y;            /* where the next block goes */
  int page;            /* pages begun */
  int pages;           /* the document's pages when known beforehand (the foot then says
                          共 M 页), else 0 */
  const char *footer;  /* small print at the foot of every page */
  const char *watermark; /* drawn faintly across every page begun (a 样表), or NULL */
} Pdf;

/* Text style of one block. */
typedef struct Style {
  const char *family;
  double size;         /* points */
  bool bold;
  PangoAlignment align;
  double spacing;      /* line spacing factor, 0 = pango's default */
  double indent;       /* first-line indent in points */
  double r, g, b;      /* colour */
} Style;

/* pdf_begin() starts a document drawing into out (appended to), its
** metadata title title, footer (borrowed, may be NULL) at the foot of every
** page; p->y at the top margin of page 1. The caller holds pdf_lock. */
void pdf_begin(Pdf *p, Buf *out, const char *title, const char *footer);

/* pdf_end() finishes the last page (with its foot) and the stream and
** releases what pdf_begin() made. Returns 0, or -1 with *e (docs.pdf) when
** cairo reports an error. */
int pdf_end(Pdf *p, Err *e);

/* pdf_layout() makes a layout of plain text s (never markup) in style st,
** width points wide (0: no wrapping; else wrapped at words, or characters
** where a word is too long). The caller unrefs it. */
PangoLayout *pdf_layout(Pdf *p, const Style *st, double width, const char *s);

/* pdf_draw() draws text s at (x, y), width wide; returns its height. */
double pdf_draw(Pdf *p, const Style *st, double x, double y, double width, const char *s);

/* pdf_measure() is the height of s in style st, width wide. */
double pdf_measure(Pdf *p, const Style *st, double width, const char *s);

/* pdf_new_page() ends the current page (with its foot) and starts the next,
** p->y at its top margin. */
void pdf_new_page(Pdf *p);

/* pdf_block() draws s from left to the right margin at the flowing
** position, starting a new page first when it would not fit; gap is the
** space after it. */
void pdf_block(Pdf *p, const Style *st, double left, const char *s, double gap);

#endif
