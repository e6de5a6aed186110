/*
** talent_catalogue.h — 紧缺人才需求目录 (issue 16): the shortage-talent
** catalogue a district publishes, as editions (a span of years such as
** 2020—2021, a title, the issuer, the day it was published), each a tree of
** fields (领域) → directions (方向) → positions (岗位). A position carries
** its shortage level and, when the sheet gives them, its typical
** requirements (degree, major, years of experience), its industry and the
** employers it is for.
**
** Levels are data: each edition keeps its own list, copied when it is made
** from the parameter talent/shortage_levels in force on its publishing day
** ([{code, label, label_en, stars}], most acute first), so a later change of
** the parameter leaves a published edition as it was. A new edition adds to
** the catalogue and replaces nothing; the current one is the latest
** published (then the latest span).
**
** Who: every logged-in caller reads (it is a published document); an
** administrator, or a policy officer (ROLE_POLICY) of the department named
** by the parameter talent/catalogue_dept (Jinpu: rsj, 人社局), imports an
** edition and corrects its positions. Every write is one transaction with
** its audit event.
*/
#ifndef XINQU_TALENT_CATALOGUE_H
#define XINQU_TALENT_CATALOGUE_H

#include <jansson.h>
#include "accounts.h"
#include "../base/base.h"
#include "../base/buf.h"
#include "../store/store.h"

/* The most position rows one import reads, and the refusals it lists in
** full (the rest are counted). */
#define TALENT_CATALOGUE_MAX_ROWS 20000

/* An edition to import: what the file does not say. Texts are the caller's
** (not copied); NULL or "" is absent. */
typedef struct TalentEditionIn {
  const char *years;        /* "2020—2021", "2020-2021" (any dash, ~ or 至), or one year "2022" */
  const char *title;        /* 《…》 without the brackets; default 紧缺人才需求目录（YEARS） */
  const char *issuer;       /* the issuing body's name; default the keeping department's */
  const char *published_on; /* YYYY-MM-DD, required */
  bool demo;                /* demonstration data (the demo pack's edition) */
} TalentEditionIn;

/* talent_catalogue_import() reads data[0..n) (Excel or CSV: sheet.h; the
** columns 领域, 方向, 岗位, 紧缺程度 and optionally 学历要求, 专业要求,
** 工作经验(年), 所属行业, 重点用人单位, 备注; a title row above the header is
** skipped) and writes it as a new edition described by in, with its levels,
** in one transaction with the audit event talent.catalogue.import — or, with
** dry_run, checks everything and writes nothing. actor NULL is the system
** (the demo pack). Every row is checked (the names 1–100 characters, the
** level one of the edition's by label, code or stars, the degree one of the
** list, experience 0–50 years, no position twice in one direction) and a
** refusal lists every refused row with its line: 400 import.rejected with
** e->all. Returns (new) {edition: {...as in the list}, rows, fields,
** directions, positions, dry_run}, or NULL with *e: talent.forbidden (403),
** talent.bad_years, talent.bad_date, request.missing_field,
** request.too_long (the edition's texts), talent.edition_exists (409: an
** edition of those years is there), import.* (sheet.h), import.rejected,
** param.missing. */
json_t *talent_catalogue_import(Store *s, const User *actor, const TalentEditionIn *in, const void *data, size_t n,
                                bool dry_run, Err *e);

/* talent_catalogue_editions() is (new) {items: [{id, years, year_from,
** year_to, title, issuer, published_on, demo, current, counts: {fields,
** directions, positions}}], may_import}, the newest published first;
** may_import says whether actor may import an edition and correct
** positions (so a page offers it; the writes check again). */
json_t *talent_catalogue_editions(Store *s, const User *actor, Err *e);

/* talent_catalogue_find() resolves ref — an edition's id, its years
** ("2020—2021", any dash) or NULL/""/"current" for the current one — into
** *id. Returns 0, or -1 with *e: talent.no_edition (404). */
int talent_catalogue_find(Store *s, const char *ref, int64_t *id, Err *e);

/* talent_catalogue_tree() is edition id as a tree (new): {edition, levels:
** [{code, label, label_en, stars, count}], counts: {fields, directions,
** positions}, fields: [{id, name, counts: {directions, positions},
** directions: [{id, name, positions: [{id, name, level, degree, major,
** experience (years or null), industry, employers [], note}]}]}]}, in the
** file's order. NULL with *e: talent.no_edition. */
json_t *talent_catalogue_tree(Store *s, int64_t id, Err *e);

/* talent_catalogue_stats() is edition id's figures (new): {edition, fields,
** directions, positions, levels: [{code, label, count}]}. */
json_t *talent_catalogue_stats(Store *s, int64_t id, Err *e);

/* A search of one edition's positions. */
typedef struct TalentPositionQuery {
  int64_t edition;  /* the edition's id */
  const char *q;    /* words found in the position, its direction or field, major, industry, employers or note; NULL: any */
  const char *level;/* a level code of the edition; NULL: any */
  int page, per_page;
} TalentPositionQuery;

/* talent_catalogue_search() is (new) {items: [{id, field, direction, name,
** level, level_label, degree, major, experience, industry, employers,
** note}], total, page, per_page}, in the catalogue's order. NULL with *e:
** talent.no_edition, talent.bad_level (400), request.too_long (q over 50
** characters). */
json_t *talent_catalogue_search(Store *s, const TalentPositionQuery *q, Err *e);

/* talent_catalogue_position_update() corrects position id with the members
** of in (level, degree, major, experience (null clears it), industry,
** employers, note; name only as a 勘误), checked as an import checks a row,
** in one write with the audit event talent.catalogue.position (before and
** after). Returns (new) the position as the tree gives it, or NULL with *e:
** talent.forbidden, talent.no_position (404), request.* (jsonx.h),
** talent.bad_level, talent.duplicate (409). */
json_t *talent_catalogue_position_update(Store *s, const User *actor, int64_t id, const json_t *in, Err *e);

/* talent_catalogue_export() appends edition id to out as Excel (xlsx) or CSV
** with the columns of an import (and 序号), under the edition's title, so the
** file imports back; name (cap bytes) gets a file name without extension.
** Returns 0, or -1 with *e: talent.no_edition, export.*. */
int talent_catalogue_export(Store *s, int64_t id, bool xlsx, Buf *out, char *name, size_t cap, Err *e);

/* talent_catalogue_demo_load() imports the Jinpu demo edition (embedded
** data/jinpu/talent_catalogue.csv: 《金普新区2020—2021年度重点产业紧缺人才
** 需求目录》 as demonstration data, 10 fields, 47 directions, 129 positions)
** unless an edition of 2020—2021 is there. Sets *positions to the positions
** written (0 when it was there). Returns 0, or -1 with *e. */
int talent_catalogue_demo_load(Store *s, int64_t *positions, Err *e);

#endif
