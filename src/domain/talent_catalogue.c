/*
** talent_catalogue.c — 紧缺人才需求目录 (talent_catalogue.h): editions of
** the shortage-talent catalogue imported from Excel or CSV through
** sheet.h, read as a tree, searched, corrected and exported.
**
** An import is one row per position; the field and direction columns say
** where it hangs, in the file's order. Each row is decoded by the same
** field table (jsonx.h) a correction through the API is, so both are
** checked alike; every refused row is listed with its line, and the edition
** is written in one transaction or not at all.
*/
#include "talent_catalogue.h"
#include "audit.h"
#include "params.h"
#include "../base/cal.h"
#include "../base/jsonx.h"
#include "../base/sheet.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *embedded_get(const char *name, size_t *n);

/* ---- the sheet -------------------------------------------------------------- */

/* Degrees as catalogues write them: the first label of a code is what
** exports write; the later ones are what officials also type. */
static const SheetEnum degrees[] = {
    {"doctor", "博士研究生"}, {"master", "硕士研究生及以上"}, {"bachelor", "本科及以上"}, {"college", "大专及以上"},
    {"any", "不限"},          {"doctor", "博士"},             {"master", "硕士"},       {"master", "硕士及以上"},
    {"bachelor", "本科"},     {"bachelor", "学士"},           {"college", "大专"},      {"college", "专科"},
    {NULL, NULL}};

static const SheetCol cols[] = {
    {"seq", "序号", SK_INT, SC_EXPORT, NULL, 6},
    {"field", "领域", SK_TEXT, SC_REQUIRED, NULL, 18},
    {"direction", "方向", SK_TEXT, SC_REQUIRED, NULL, 20},
    {"name", "岗位", SK_TEXT, SC_REQUIRED, NULL, 24},
    {"level", "紧缺程度", SK_TEXT, SC_REQUIRED, NULL, 10},
    {"degree", "学历要求", SK_ENUM, 0, degrees, 14},
    {"major", "专业要求", SK_TEXT, 0, NULL, 28},
    {"experience", "工作经验(年)", SK_INT, 0, NULL, 12},
    {"industry", "所属行业", SK_TEXT, 0, NULL, 20},
    {"employers", "重点用人单位", SK_LIST, 0, NULL, 30},
    {"note", "备注", SK_TEXT, 0, NULL, 24},
};
static const SheetTable sheet = {"紧缺人才需求目录", cols, (int)XQ_COUNT(cols), NULL, NULL};

#define NAME_MAX_CHARS 100
#define MAJOR_MAX_CHARS 200
#define NOTE_MAX_CHARS 500
#define EMPLOYERS_MAX 20

/* ---- levels ------------------------------------------------------------------- */

/* One shortage level of an edition. */
typedef struct Level {
  char code[32];     /* stable, ASCII ("acute") */
  char label[64];    /* 特别紧缺 */
  char label_en[64]; /* Acute shortage */
  char stars[32];    /* ★★★, also accepted in a sheet */
} Level;

/* The levels of an edition: at most LEVELS_MAX. */
#define LEVELS_MAX 10
typedef struct Levels {
  int n;
  Level a[LEVELS_MAX];
} Levels;

/* levels_from_json() reads v ([{code, label, label_en, stars}], as the
** parameter holds them) into *l. 0, or -1 with *e (talent.bad_levels). */
static int levels_from_json(const json_t *v, Levels *l, Err *e) {
  size_t i;
  json_t *x;
  l->n = 0;
  if (!json_is_array(v) || json_array_size(v) == 0 || json_array_size(v) > LEVELS_MAX)
    return err_set(e, E_INTERNAL, "talent.bad_levels", NULL, "参数 talent/shortage_levels 应为 1–10 个紧缺程度",
                   "Parameter talent/shortage_levels must list 1 to 10 levels");
  json_array_foreach(v, i, x) {
    Level *p = &l->a[l->n++];
    const JField f[] = {
        {"code", J_STR, true, p->code, sizeof p->code, 1, 31, NULL},
        {"label", J_STR, true, p->label, sizeof p->label, 1, 20, NULL},
        {"label_en", J_STR, true, p->label_en, sizeof p->label_en, 1, 60, NULL},
        {"stars", J_STR, false, p->stars, sizeof p->stars, 0, 10, NULL},
    };
    if (jsonx_decode(x, f, (int)XQ_COUNT(f), false, e))
      return err_set(e, E_INTERNAL, "talent.bad_levels", NULL, "参数 talent/shortage_levels 的格式不对",
                     "Parameter talent/shortage_levels is malformed");
  }
  return 0;
}

/* levels_of() reads edition id's levels, most acute first. 0, or -1. */
static int levels_of(Db *db, int64_t id, Levels *l, Err *e) {
  Stmt *st = db_prepare(db, "SELECT code, label, label_en, stars FROM talent_level WHERE edition_id = ? ORDER BY rank", e);
  if (!st) return -1;
  stmt_bind_int(st, 1, id);
  int rc;
  l->n = 0;
  while ((rc = stmt_step(st, e)) == 1 && l->n < LEVELS_MAX) {
    Level *p = &l->a[l->n++];
    snprintf(p->code, sizeof p->code, "%s", stmt_text(st, 0));
    snprintf(p->label, sizeof p->label, "%s", stmt_text(st, 1));
    snprintf(p->label_en, sizeof p->label_en, "%s", stmt_text(st, 2));
    snprintf(p->stars, sizeof p->stars, "%s", stmt_text(st, 3));
  }
  stmt_done(st);
  return rc < 0 ? -1 : 0;
}

/* level_find() is the level of l that v names by code, label or stars, or NULL. */
static const Level *level_find(const Levels *l, const char *v) {
  for (int i = 0; v && i < l->n; i++)
    if (strcmp(v, l->a[i].code) == 0 || strcmp(v, l->a[i].label) == 0 || (l->a[i].stars[0] && strcmp(v, l->a[i].stars) == 0))
      return &l->a[i];
  return NULL;
}

static int bad_level(const Levels *l, const char *v, Err *e) {
  Buf list = {0};
  for (int i = 0; i < l->n; i++) buf_appendf(&list, "%s%s", i ? "、" : "", l->a[i].label);
  char zh[400], en[400];
  snprintf(zh, sizeof zh, "紧缺程度“%.60s”不在本版目录的等级中（%s）", v ? v : "", buf_cstr(&list));
  snprintf(en, sizeof en, "\"%.60s\" is not a shortage level of this edition (%s)", v ? v : "", buf_cstr(&list));
  buf_free(&list);
  return err_set(e, E_INVALID, "talent.bad_level", "level", zh, en);
}

/* ---- who keeps the catalogue ------------------------------------------------------ */

/* keeper() sets *dept to the department that keeps the catalogue
** (parameter talent/catalogue_dept) and checks that actor may write it: the
** system (NULL), an administrator, or a policy officer of that department.
** 0, or -1 with *e: talent.forbidden, talent.no_keeper, param.missing. */
static int keeper(Db *db, const User *actor, int64_t *dept, Err *e) {
  char today[11], code[64];
  Dept d;
  if (actor && !(actor->role & (ROLE_ADMIN | ROLE_POLICY))) goto forbidden;
  if (params_text(db, "talent", "catalogue_dept", time_today_cn(today), code, sizeof code, e)) return -1;
  int rc = accounts_dept_get(db, 0, code, &d, e);
  if (rc < 0) return -1;
  if (rc == 0)
    return err_setf(e, E_CONFLICT, "talent.no_keeper", NULL, "参数 talent/catalogue_dept 指向的部门不存在：%s",
                    "Parameter talent/catalogue_dept names no department: %s", code);
  *dept = d.id;
  if (!actor || actor->role & ROLE_ADMIN || actor->dept_id == d.id) return 0;
forbidden:
  return err_set(e, E_FORBIDDEN, "talent.forbidden", NULL, "只有人才工作主管部门的政策专员可以维护紧缺人才目录",
                 "Only the policy officers of the talent department keep the shortage catalogue");
}

/* ---- one position, decoded ------------------------------------------------------------ */

/* Pos: a position as a row or a correction gives it. */
typedef struct Pos {
  char field[4 * NAME_MAX_CHARS + 4], direction[4 * NAME_MAX_CHARS + 4], name[4 * NAME_MAX_CHARS + 4];
  char level[4 * 20 + 4], degree[4 * 20 + 4];
  char major[4 * MAJOR_MAX_CHARS + 4], industry[4 * NAME_MAX_CHARS + 4], note[4 * NOTE_MAX_CHARS + 4];
  int64_t experience;
  bool has_experience, has_level, has_degree, has_major, has_industry, has_note, has_name;
  const json_t *employers; /* borrowed: a JSON array of names, or NULL */
} Pos;

/* pos_decode() reads o into p; with row every member of a sheet row may be
** there and field, direction, name and level must; without (a correction)
** only the position's own members may. Checks the employers and the
** degree's code; the level is checked by the caller against the edition.
** 0, or -1 with *e (request.*, talent.bad_degree, talent.bad_employers). */
static int pos_decode(const json_t *o, bool row, Pos *p, Err *e) {
  memset(p, 0, sizeof *p);
  const JField f[] = {
      {"level", J_STR, row, p->level, sizeof p->level, 1, 20, &p->has_level},
      {"name", J_STR, row, p->name, sizeof p->name, 1, NAME_MAX_CHARS, &p->has_name},
      {"degree", J_STR, false, p->degree, sizeof p->degree, 1, 20, &p->has_degree},
      {"major", J_STR, false, p->major, sizeof p->major, 0, MAJOR_MAX_CHARS, &p->has_major},
      {"experience", J_INT, false, &p->experience, 0, 0, 50, &p->has_experience},
      {"industry", J_STR, false, p->industry, sizeof p->industry, 0, NAME_MAX_CHARS, &p->has_industry},
      {"employers", J_ARR, false, &p->employers, 0, 0, 0, NULL},
      {"note", J_STR, false, p->note, sizeof p->note, 0, NOTE_MAX_CHARS, &p->has_note},
      {"field", J_STR, true, p->field, sizeof p->field, 1, NAME_MAX_CHARS, NULL},
      {"direction", J_STR, true, p->direction, sizeof p->direction, 1, NAME_MAX_CHARS, NULL},
  };
  if (jsonx_decode(o, f, row ? (int)XQ_COUNT(f) : (int)XQ_COUNT(f) - 2, false, e)) return -1;
  if (p->has_degree) {
    const SheetEnum *m = degrees;
    while (m->code && strcmp(m->code, p->degree) != 0 && strcmp(m->label, p->degree) != 0) m++;
    if (!m->code)
      return err_setf(e, E_INVALID, "talent.bad_degree", "degree", "学历要求不在可选项中：%s",
                      "Not one of the degrees: %s", p->degree);
    snprintf(p->degree, sizeof p->degree, "%s", m->code);
  }
  size_t i;
  json_t *x;
  if (p->employers && json_array_size(p->employers) > EMPLOYERS_MAX)
    return err_set(e, E_INVALID, "talent.bad_employers", "employers", "重点用人单位最多 20 个",
                   "At most 20 employers");
  json_array_foreach(p->employers, i, x) {
    if (!json_is_string(x) || text_check(json_string_value(x), "employers", "重点用人单位", NAME_MAX_CHARS, true, e))
      return err_set(e, E_INVALID, "talent.bad_employers", "employers", "重点用人单位应为 1–100 字的名称",
                     "Each employer is a name of 1 to 100 characters");
    for (const char *c = json_string_value(x); *c; c++)
      if ((unsigned char)*c < 0x20 || *c == 0x7f)
        return err_set(e, E_INVALID, "request.bad_text", "employers", "重点用人单位含有控制字符",
                       "An employer contains a control character");
  }
  return 0;
}

/* ---- editions ------------------------------------------------------------------- */

/* years_parse() reads "2020—2021" (—, –, -, －, ~, ～ or 至 between) or
** "2022" into *from and *to (2000–2100, from ≤ to, at most 10 years). */
static int years_parse(const char *s, int *from, int *to, Err *e) {
  static const char *const dashes[] = {"\xE2\x80\x94", "\xE2\x80\x93", "-", "\xEF\xBC\x8D", "~", "\xEF\xBD\x9E",
                                       "\xE8\x87\xB3", NULL};
  char *end;
  if (!s || !*s) goto bad;
  long a = strtol(s, &end, 10), b = a;
  if (end != s + 4) goto bad;
  if (*end) {
    const char *p = end;
    int k = 0;
    while (dashes[k] && strncmp(p, dashes[k], strlen(dashes[k])) != 0) k++;
    if (!dashes[k]) goto bad;
    p += strlen(dashes[k]);
    b = strtol(p, &end, 10);
    if (end != p + 4 || *end) goto bad;
  }
  if (a < 2000 || b > 2100 || a > b || b - a > 9) goto bad;
  *from = (int)a, *to = (int)b;
  return 0;
bad:
  return err_set(e, E_INVALID, "talent.bad_years", "years", "年度应写作 2020—2021 或 2022（2000–2100 年，最多 10 年）",
                 "Give the years as 2020-2021 or 2022 (2000 to 2100, at most 10 years)");
}

/* years_text() writes the span as the catalogue's titles do: 2020—2021, or 2022. */
static const char *years_text(int from, int to, char *buf, size_t cap) {
  if (from == to) snprintf(buf, cap, "%d", from);
  else snprintf(buf, cap, "%d\xE2\x80\x94%d", from, to);
  return buf;
}

/* The columns every edition query reads, alias t, and the current one's id. */
#define EDITION_COLS                                                                                            \
  "t.id, t.year_from, t.year_to, t.title, t.issuer, t.published_on, t.demo,"                                   \
  " (SELECT COUNT(*) FROM talent_field x WHERE x.edition_id = t.id),"                                           \
  " (SELECT COUNT(*) FROM talent_direction x WHERE x.edition_id = t.id),"                                       \
  " (SELECT COUNT(*) FROM talent_position x WHERE x.edition_id = t.id),"                                        \
  " (SELECT c.id FROM talent_edition c ORDER BY c.published_on DESC, c.year_to DESC, c.id DESC LIMIT 1)"

static json_t *edition_row(Stmt *st) {
  char years[16];
  return json_pack("{s:I,s:s,s:i,s:i,s:s,s:s,s:s,s:b,s:b,s:{s:I,s:I,s:I}}", "id", (json_int_t)stmt_int(st, 0), "years",
                   years_text((int)stmt_int(st, 1), (int)stmt_int(st, 2), years, sizeof years), "year_from",
                   (int)stmt_int(st, 1), "year_to", (int)stmt_int(st, 2), "title", stmt_text(st, 3), "issuer",
                   stmt_text(st, 4), "published_on", stmt_text(st, 5), "demo", stmt_int(st, 6) != 0, "current",
                   stmt_int(st, 10) == stmt_int(st, 0), "counts", "fields", (json_int_t)stmt_int(st, 7), "directions",
                   (json_int_t)stmt_int(st, 8), "positions", (json_int_t)stmt_int(st, 9));
}

/* edition_get() is edition id as the list gives it (new), or NULL with *e
** (talent.no_edition). */
static json_t *edition_get(Db *db, int64_t id, Err *e) {
  Stmt *st = db_prepare(db, "SELECT " EDITION_COLS " FROM talent_edition t WHERE t.id = ?", e);
  if (!st) return NULL;
  stmt_bind_int(st, 1, id);
  int rc = stmt_step(st, e);
  json_t *out = rc == 1 ? edition_row(st) : NULL;
  stmt_done(st);
  if (rc == 0) err_set(e, E_NOTFOUND, "talent.no_edition", "edition", "没有这一版紧缺人才目录", "No such edition of the catalogue");
  return out;
}

json_t *talent_catalogue_editions(Store *s, const User *actor, Err *e) {
  Db *db = store_reader(s);
  int64_t dept;
  Err no = {0};
  bool may = keeper(db, actor, &dept, &no) == 0;
  if (no.kind == E_INTERNAL) return *e = no, NULL;
  Stmt *st = db_prepare(db, "SELECT " EDITION_COLS " FROM talent_edition t"
                            " ORDER BY t.published_on DESC, t.year_to DESC, t.id DESC", e);
  if (!st) return NULL;
  json_t *items = json_array();
  int rc;
  while ((rc = stmt_step(st, e)) == 1) json_array_append_new(items, edition_row(st));
  stmt_done(st);
  if (rc < 0) return json_decref(items), NULL;
  return json_pack("{s:o,s:b}", "items", items, "may_import", may);
}

int talent_catalogue_find(Store *s, const char *ref, int64_t *id, Err *e) {
  Db *db = store_reader(s);
  Stmt *st;
  int from = 0, to = 0;
  char *end;
  long long n = ref && *ref ? strtoll(ref, &end, 10) : 0;
  if (!ref || !*ref || strcmp(ref, "current") == 0) {
    st = db_prepare(db, "SELECT id FROM talent_edition ORDER BY published_on DESC, year_to DESC, id DESC LIMIT 1", e);
  } else if (years_parse(ref, &from, &to, NULL) == 0) {
    st = db_prepare(db, "SELECT id FROM talent_edition WHERE year_from = ? AND year_to = ?", e);
    if (st) stmt_bind_int(st, 1, from), stmt_bind_int(st, 2, to);
  } else if (!*end && n > 0) {
    st = db_prepare(db, "SELECT id FROM talent_edition WHERE id = ?", e);
    if (st) stmt_bind_int(st, 1, n);
  } else {
    goto none;
  }
  if (!st) return -1;
  int rc = stmt_step(st, e);
  if (rc == 1) *id = stmt_int(st, 0);
  stmt_done(st);
  if (rc < 0) return -1;
  if (rc == 1) return 0;
none:
  return err_set(e, E_NOTFOUND, "talent.no_edition", "edition", "没有这一版紧缺人才目录", "No such edition of the catalogue");
}

/* ---- reading a position ---------------------------------------------------------------- */

/* The position columns, alias p, then its direction and field (d, f). */
#define POS_COLS                                                                                                  \
  "p.id, p.name, p.level, p.degree, p.major, p.experience, p.industry, p.employers, p.note, d.id, d.name, f.id,"     \
  " f.name, p.seq"
#define POS_FROM " FROM talent_position p JOIN talent_direction d ON d.id = p.direction_id JOIN talent_field f ON f.id = d.field_id"

static const char *degree_label(const char *code) {
  for (const SheetEnum *m = degrees; m->code; m++)
    if (strcmp(m->code, code) == 0) return m->label;
  return "";
}

/* pos_row() is the position at the statement's row (new); with path, its
** field and direction too. */
static json_t *pos_row(Stmt *st, const Levels *l, bool path) {
  json_t *employers = json_loads(stmt_text(st, 7), 0, NULL);
  const Level *lv = level_find(l, stmt_text(st, 2));
  const char *degree = stmt_text(st, 3);
  json_t *o = json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:o,s:s,s:o,s:s}", "id", (json_int_t)stmt_int(st, 0), "name",
                        stmt_text(st, 1), "level", stmt_text(st, 2), "level_label", lv ? lv->label : "", "degree",
                        degree, "degree_label", degree_label(degree), "major", stmt_text(st, 4), "experience",
                        stmt_null(st, 5) ? json_null() : json_integer(stmt_int(st, 5)), "industry", stmt_text(st, 6),
                        "employers", json_is_array(employers) ? employers : json_array(), "note", stmt_text(st, 8));
  if (!json_is_array(employers)) json_decref(employers);
  if (path) {
    json_object_set_new(o, "direction", json_string(stmt_text(st, 10)));
    json_object_set_new(o, "field", json_string(stmt_text(st, 12)));
    json_object_set_new(o, "seq", json_integer(stmt_int(st, 13)));
  }
  return o;
}

static json_t *levels_json(const Levels *l) {
  json_t *a = json_array();
  for (int i = 0; i < l->n; i++)
    json_array_append_new(a, json_pack("{s:s,s:s,s:s,s:s,s:i}", "code", l->a[i].code, "label", l->a[i].label, "label_en",
                                       l->a[i].label_en, "stars", l->a[i].stars, "count", 0));
  return a;
}

json_t *talent_catalogue_tree(Store *s, int64_t id, Err *e) {
  Db *db = store_reader(s);
  Levels l;
  json_t *ed = edition_get(db, id, e);
  if (!ed || levels_of(db, id, &l, e)) return json_decref(ed), NULL;
  Stmt *st = db_prepare(db, "SELECT " POS_COLS POS_FROM " WHERE p.edition_id = ? ORDER BY f.seq, d.seq, p.seq", e);
  if (!st) return json_decref(ed), NULL;
  stmt_bind_int(st, 1, id);
  json_t *fields = json_array(), *levels = levels_json(&l), *field = NULL, *dirs = NULL, *poss = NULL;
  int64_t last_f = 0, last_d = 0, nDir = 0, nPos = 0;
  int rc;
  while ((rc = stmt_step(st, e)) == 1) {
    if (stmt_int(st, 11) != last_f) {
      last_f = stmt_int(st, 11);
      field = json_pack("{s:I,s:s,s:[],s:{s:i,s:i}}", "id", (json_int_t)last_f, "name", stmt_text(st, 12), "directions",
                        "counts", "directions", 0, "positions", 0);
      json_array_append_new(fields, field);
      dirs = json_object_get(field, "directions");
    }
    json_t *fc = json_object_get(field, "counts");
    if (stmt_int(st, 9) != last_d) {
      last_d = stmt_int(st, 9);
      json_t *d = json_pack("{s:I,s:s,s:[]}", "id", (json_int_t)last_d, "name", stmt_text(st, 10), "positions");
      json_array_append_new(dirs, d);
      poss = json_object_get(d, "positions");
      json_object_set_new(fc, "directions", json_integer(json_integer_value(json_object_get(fc, "directions")) + 1));
      nDir++;
    }
    json_object_set_new(fc, "positions", json_integer(json_integer_value(json_object_get(fc, "positions")) + 1));
    json_array_append_new(poss, pos_row(st, &l, false));
    nPos++;
    for (int i = 0; i < l.n; i++)
      if (strcmp(l.a[i].code, stmt_text(st, 2)) == 0) {
        json_t *c = json_array_get(levels, (size_t)i);
        json_object_set_new(c, "count", json_integer(json_integer_value(json_object_get(c, "count")) + 1));
      }
  }
  stmt_done(st);
  if (rc < 0) {
    json_decref(fields), json_decref(levels), json_decref(ed);
    return NULL;
  }
  return json_pack("{s:o,s:o,s:{s:I,s:I,s:I},s:o}", "edition", ed, "levels", levels, "counts", "fields",
                   (json_int_t)json_array_size(fields), "directions", (json_int_t)nDir, "positions", (json_int_t)nPos,
                   "fields", fields);
}

json_t *talent_catalogue_stats(Store *s, int64_t id, Err *e) {
  json_t *t = talent_catalogue_tree(s, id, e);
  if (!t) return NULL;
  json_t *c = json_object_get(t, "counts"), *levels = json_array(), *x;
  size_t i;
  json_array_foreach(json_object_get(t, "levels"), i, x)
    json_array_append_new(levels, json_pack("{s:O,s:O,s:O}", "code", json_object_get(x, "code"), "label",
                                            json_object_get(x, "label"), "count", json_object_get(x, "count")));
  json_t *out = json_pack("{s:O,s:O,s:O,s:O,s:o}", "edition", json_object_get(t, "edition"), "fields",
                          json_object_get(c, "fields"), "directions", json_object_get(c, "directions"), "positions",
                          json_object_get(c, "positions"), "levels", levels);
  json_decref(t);
  return out;
}

/* like_pattern() is %word% with % _ \ escaped (for LIKE … ESCAPE '\'), in
** out (cap bytes). */
static void like_pattern(const char *w, size_t n, char *out, size_t cap) {
  size_t k = 0;
  out[k++] = '%';
  for (size_t i = 0; i < n && k < cap - 3; i++) {
    if (w[i] == '%' || w[i] == '_' || w[i] == '\\') out[k++] = '\\';
    out[k++] = w[i];
  }
  out[k++] = '%';
  out[k] = 0;
}

#define SEARCH_WORDS 5

json_t *talent_catalogue_search(Store *s, const TalentPositionQuery *q, Err *e) {
  Db *db = store_reader(s);
  Levels l;
  if (text_check(q->q, "q", "搜索词", 50, false, e)) return NULL;
  json_t *ed = edition_get(db, q->edition, e);
  if (!ed || levels_of(db, q->edition, &l, e)) return json_decref(ed), NULL;
  json_decref(ed);
  if (q->level && *q->level && !level_find(&l, q->level)) return bad_level(&l, q->level, e), NULL;
  /* The words: blank-separated (ASCII or the ideographic space), each must
  ** be found somewhere in the row. */
  char words[SEARCH_WORDS][256];
  int nWord = 0;
  for (const char *p = q->q ? q->q : ""; *p && nWord < SEARCH_WORDS;) {
    size_t skip = *p == ' ' || *p == '\t' ? 1 : strncmp(p, "\xE3\x80\x80", 3) == 0 ? 3 : 0;
    if (skip) {
      p += skip;
      continue;
    }
    size_t n = 0;
    while (p[n] && p[n] != ' ' && p[n] != '\t' && strncmp(p + n, "\xE3\x80\x80", 3) != 0) n++;
    like_pattern(p, n, words[nWord++], sizeof words[0]);
    p += n;
  }
  Buf where = {0};
  buf_puts(&where, " WHERE p.edition_id = ?");
  if (q->level && *q->level) buf_puts(&where, " AND p.level = ?");
  for (int i = 0; i < nWord; i++)
    buf_puts(&where, " AND (lower(p.name) LIKE lower(?) ESCAPE '\\' OR lower(d.name) LIKE lower(?) ESCAPE '\\'"
                     " OR lower(f.name) LIKE lower(?) ESCAPE '\\' OR lower(p.major) LIKE lower(?) ESCAPE '\\'"
                     " OR lower(p.industry) LIKE lower(?) ESCAPE '\\' OR lower(p.employers) LIKE lower(?) ESCAPE '\\'"
                     " OR lower(p.note) LIKE lower(?) ESCAPE '\\')");
  char *count_sql = xasprintf("SELECT COUNT(*)" POS_FROM "%s", buf_cstr(&where));
  char *sql = xasprintf("SELECT " POS_COLS POS_FROM "%s ORDER BY f.seq, d.seq, p.seq LIMIT ? OFFSET ?", buf_cstr(&where));
  buf_free(&where);
  json_t *items = json_array(), *out = NULL;
  int64_t total = 0;
  for (int pass = 0; pass < 2; pass++) {
    Stmt *st = db_prepare(db, pass ? sql : count_sql, e);
    if (!st) goto done;
    const char *lv = NULL;
    if (q->level && *q->level) lv = level_find(&l, q->level)->code;
    int k = 1;
    stmt_bind_int(st, k++, q->edition);
    if (lv) stmt_bind_text(st, k++, lv);
    for (int i = 0; i < nWord; i++)
      for (int j = 0; j < 7; j++) stmt_bind_text(st, k++, words[i]);
    if (pass) {
      stmt_bind_int(st, k++, q->per_page);
      stmt_bind_int(st, k++, (int64_t)(q->page - 1) * q->per_page);
    }
    int rc;
    while ((rc = stmt_step(st, e)) == 1) {
      if (pass) json_array_append_new(items, pos_row(st, &l, true));
      else total = stmt_int(st, 0);
    }
    stmt_done(st);
    if (rc < 0) goto done;
  }
  out = json_pack("{s:O,s:I,s:i,s:i}", "items", items, "total", (json_int_t)total, "page", q->page, "per_page",
                  q->per_page);
done:
  json_decref(items);
  free(sql);
  free(count_sql);
  return out;
}

/* ---- import ----------------------------------------------------------------------- */

/* An import being written. rows are the decoded rows (the level and degree
** as codes), in the file's order. */
typedef struct ImportJob {
  const User *actor;
  const TalentEditionIn *in;
  int year_from, year_to;
  char title[404], issuer[404], published_on[11];
  int64_t dept_id, edition_id, now;
  Levels levels;
  json_t *rows, *seen; /* the rows read; field/direction/position → the line that first gave it */
  int64_t fields, directions;
  bool dry_run;
} ImportJob;

static int import_job(Db *db, void *arg, Err *e) {
  ImportJob *j = arg;
  int64_t by = j->actor ? j->actor->id : 0;
  Stmt *st = db_prepare(db, "INSERT INTO talent_edition(year_from, year_to, title, issuer, published_on, dept_id, demo,"
                            " created_at, created_by) VALUES (?,?,?,?,?,?,?,?,?) RETURNING id", e);
  if (!st) return -1;
  stmt_bind_int(st, 1, j->year_from);
  stmt_bind_int(st, 2, j->year_to);
  stmt_bind_text(st, 3, j->title);
  stmt_bind_text(st, 4, j->issuer);
  stmt_bind_text(st, 5, j->published_on);
  stmt_bind_int(st, 6, j->dept_id);
  stmt_bind_int(st, 7, j->in->demo);
  stmt_bind_int(st, 8, j->now);
  stmt_bind_int(st, 9, by);
  int rc = stmt_step(st, e);
  if (rc == 1) j->edition_id = stmt_int(st, 0);
  stmt_done(st);
  if (rc != 1) {
    if (rc < 0 && strcmp(e->code, "db.unique") == 0) goto exists;
    return -1;
  }
  for (int i = 0; i < j->levels.n; i++) {
    const Level *lv = &j->levels.a[i];
    if (db_run(db, e, "INSERT INTO talent_level(edition_id, code, rank, label, label_en, stars) VALUES (?,?,?,?,?,?)",
               "itittt", j->edition_id, lv->code, (int64_t)(i + 1), lv->label, lv->label_en, lv->stars) < 0)
      return -1;
  }
  /* Fields and directions by name as they first appear: name → id. */
  json_t *fids = json_object(), *dids = json_object();
  size_t i;
  json_t *r;
  rc = 0;
  json_array_foreach(j->rows, i, r) {
    const char *field = json_string_value(json_object_get(r, "field")),
               *dir = json_string_value(json_object_get(r, "direction"));
    json_t *fid = json_object_get(fids, field);
    if (!fid) {
      st = db_prepare(db, "INSERT INTO talent_field(edition_id, seq, name) VALUES (?,?,?) RETURNING id", e);
      if (!st || (stmt_bind_int(st, 1, j->edition_id), stmt_bind_int(st, 2, ++j->fields), stmt_bind_text(st, 3, field),
                  stmt_step(st, e)) != 1) {
        if (st) stmt_done(st);
        rc = -1;
        break;
      }
      json_object_set_new(fids, field, fid = json_integer(stmt_int(st, 0)));
      stmt_done(st);
    }
    char *dkey = xasprintf("%lld\x1f%s", (long long)json_integer_value(fid), dir);
    json_t *did = json_object_get(dids, dkey);
    if (!did) {
      st = db_prepare(db, "INSERT INTO talent_direction(edition_id, field_id, seq, name) VALUES (?,?,?,?) RETURNING id", e);
      if (!st || (stmt_bind_int(st, 1, j->edition_id), stmt_bind_int(st, 2, json_integer_value(fid)),
                  stmt_bind_int(st, 3, ++j->directions), stmt_bind_text(st, 4, dir), stmt_step(st, e)) != 1) {
        if (st) stmt_done(st);
        free(dkey);
        rc = -1;
        break;
      }
      json_object_set_new(dids, dkey, did = json_integer(stmt_int(st, 0)));
      stmt_done(st);
    }
    free(dkey);
    const json_t *exp = json_object_get(r, "experience");
    char *employers = json_dumps(json_object_get(r, "employers"), JSON_COMPACT);
    st = db_prepare(db, "INSERT INTO talent_position(edition_id, direction_id, seq, name, level, degree, major,"
                        " experience, industry, employers, note, updated_at, updated_by)"
                        " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", e);
    if (st) {
      stmt_bind_int(st, 1, j->edition_id);
      stmt_bind_int(st, 2, json_integer_value(did));
      stmt_bind_int(st, 3, (int64_t)i + 1);
      stmt_bind_text(st, 4, json_string_value(json_object_get(r, "name")));
      stmt_bind_text(st, 5, json_string_value(json_object_get(r, "level")));
      stmt_bind_text(st, 6, json_string_value(json_object_get(r, "degree")));
      stmt_bind_text(st, 7, json_string_value(json_object_get(r, "major")));
      if (json_is_integer(exp)) stmt_bind_int(st, 8, json_integer_value(exp));
      else stmt_bind_null(st, 8);
      stmt_bind_text(st, 9, json_string_value(json_object_get(r, "industry")));
      stmt_bind_text(st, 10, employers);
      stmt_bind_text(st, 11, json_string_value(json_object_get(r, "note")));
      stmt_bind_int(st, 12, j->now);
      stmt_bind_int(st, 13, by);
      rc = stmt_step(st, e) < 0 ? -1 : 0;
      stmt_done(st);
    } else {
      rc = -1;
    }
    free(employers);
    if (rc) break;
  }
  json_decref(fids);
  json_decref(dids);
  if (rc) return -1;
  char years[16], object[64];
  snprintf(object, sizeof object, "talent_edition:%lld", (long long)j->edition_id);
  json_t *d = json_pack("{s:s,s:s,s:I,s:I,s:I,s:b}", "years", years_text(j->year_from, j->year_to, years, sizeof years),
                        "title", j->title, "fields", (json_int_t)j->fields, "directions", (json_int_t)j->directions,
                        "positions", (json_int_t)json_array_size(j->rows), "demo", j->in->demo);
  rc = audit_append(db, j->actor, "talent.catalogue.import", object, d, e);
  json_decref(d);
  if (rc == 0 && j->dry_run)
    return err_set(e, E_INVALID, "import.dry_run", NULL, "检查通过（仅检查，未导入）", "Checked only: nothing imported");
  return rc;
exists:
  return err_setf(e, E_CONFLICT, "talent.edition_exists", "years", "已有 %s 年度的紧缺人才目录；新一版请用新的年度",
                  "An edition for %s is there already; a new edition takes new years",
                  years_text(j->year_from, j->year_to, (char[16]){0}, 16));
}

/* import_meta() checks what the file does not say into j. 0, or -1. */
static int import_meta(Db *db, const TalentEditionIn *in, ImportJob *j, Err *e) {
  char years[16];
  int day;
  if (years_parse(in->years, &j->year_from, &j->year_to, e)) return -1;
  if (!in->published_on || !*in->published_on)
    return err_set(e, E_INVALID, "request.missing_field", "published_on", "请填写发布日期（YYYY-MM-DD）",
                   "published_on is required (YYYY-MM-DD)");
  if (cal_parse_date(in->published_on, &day))
    return err_set(e, E_INVALID, "talent.bad_date", "published_on", "发布日期无效（YYYY-MM-DD）",
                   "published_on is not a date (YYYY-MM-DD)");
  snprintf(j->published_on, sizeof j->published_on, "%s", in->published_on);
  if (text_check(in->title, "title", "目录名称", NAME_MAX_CHARS, false, e) ||
      text_check(in->issuer, "issuer", "发布单位", NAME_MAX_CHARS, false, e))
    return -1;
  for (const char *p = in->title ? in->title : ""; *p; p++)
    if ((unsigned char)*p < 0x20) return err_set(e, E_INVALID, "request.bad_text", "title", "目录名称含有控制字符", "The title contains a control character");
  for (const char *p = in->issuer ? in->issuer : ""; *p; p++)
    if ((unsigned char)*p < 0x20) return err_set(e, E_INVALID, "request.bad_text", "issuer", "发布单位含有控制字符", "The issuer contains a control character");
  years_text(j->year_from, j->year_to, years, sizeof years);
  if (in->title && *in->title) snprintf(j->title, sizeof j->title, "%s", in->title);
  else snprintf(j->title, sizeof j->title, "紧缺人才需求目录（%s）", years);
  Dept d;
  if (in->issuer && *in->issuer) snprintf(j->issuer, sizeof j->issuer, "%s", in->issuer);
  else if (accounts_dept_get(db, j->dept_id, NULL, &d, e) == 1) snprintf(j->issuer, sizeof j->issuer, "%s", d.name);
  else return -1;
  /* One edition a span: say so before the file is read. */
  Stmt *st = db_prepare(db, "SELECT id FROM talent_edition WHERE year_from = ? AND year_to = ?", e);
  if (!st) return -1;
  stmt_bind_int(st, 1, j->year_from);
  stmt_bind_int(st, 2, j->year_to);
  int rc = stmt_step(st, e);
  stmt_done(st);
  if (rc < 0) return -1;
  if (rc == 1)
    return err_setf(e, E_CONFLICT, "talent.edition_exists", "years", "已有 %s 年度的紧缺人才目录；新一版请用新的年度",
                    "An edition for %s is there already; a new edition takes new years", years);
  json_t *lv = NULL;
  if (params_need(db, "talent", "shortage_levels", j->published_on, &lv, e)) return -1;
  rc = levels_from_json(lv, &j->levels, e);
  json_decref(lv);
  return rc;
}

/* import_row() decodes one read row into the normalised row it returns
** (new), or NULL with *why. seen maps field/direction/position to the line
** that first gave it. */
static json_t *import_row(const json_t *row, const Levels *l, json_t *seen, int64_t line, Err *why) {
  Pos p;
  if (pos_decode(row, true, &p, why)) return NULL;
  const Level *lv = level_find(l, p.level);
  if (!lv) return bad_level(l, p.level, why), NULL;
  char *key = xasprintf("%s\x1f%s\x1f%s", p.field, p.direction, p.name);
  json_t *first = json_object_get(seen, key);
  if (first) {
    char n[24];
    snprintf(n, sizeof n, "%lld", (long long)json_integer_value(first));
    free(key);
    return err_setf(why, E_INVALID, "talent.duplicate", "name", "同一方向下的岗位与第 %s 行重复",
                    "The same position of the same direction is on line %s already", n),
           NULL;
  }
  json_object_set_new(seen, key, json_integer(line));
  free(key);
  return json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:o,s:s,s:o,s:s}", "field", p.field, "direction", p.direction, "name",
                   p.name, "level", lv->code, "degree", p.degree, "major", p.major, "experience",
                   p.has_experience ? json_integer(p.experience) : json_null(), "industry", p.industry, "employers",
                   p.employers ? json_incref((json_t *)p.employers) : json_array(), "note", p.note);
}

/* decode_row() is sheet_import()'s decoder: one row into j->rows. */
static int decode_row(void *ctx, int i, const json_t *row, int64_t line, Err *why) {
  ImportJob *j = ctx;
  (void)i;
  json_t *r = import_row(row, &j->levels, j->seen, line, why);
  if (!r) return -1;
  json_array_append_new(j->rows, r);
  return 0;
}

json_t *talent_catalogue_import(Store *s, const User *actor, const TalentEditionIn *in, const void *data, size_t n,
                                bool dry_run, Err *e) {
  Db *db = store_reader(s);
  ImportJob j = {.actor = actor, .in = in, .dry_run = dry_run, .now = now_ms()};
  json_t *out = NULL;
  if (keeper(db, actor, &j.dept_id, e) || import_meta(db, in, &j, e)) goto done;
  j.rows = json_array();
  j.seen = json_object();
  int64_t nRow = sheet_import(&sheet, data, n, TALENT_CATALOGUE_MAX_ROWS, decode_row, &j, e);
  if (nRow < 0) goto done;
  if (nRow == 0) {
    err_set(e, E_INVALID, "import.empty", NULL, "文件中没有岗位", "The file lists no position");
    goto done;
  }
  ErrList *all = e->all;
  int rc = store_write(s, import_job, &j, e);
  e->all = all;
  if (rc == 0 || strcmp(e->code, "import.dry_run") == 0) {
    json_t *ed = rc == 0 ? edition_get(db, j.edition_id, e) : json_object();
    if (ed) {
      char years[16];
      if (rc) {
        json_object_set_new(ed, "years", json_string(years_text(j.year_from, j.year_to, years, sizeof years)));
        json_object_set_new(ed, "title", json_string(j.title));
        json_object_set_new(ed, "issuer", json_string(j.issuer));
        json_object_set_new(ed, "published_on", json_string(j.published_on));
      }
      out = json_pack("{s:o,s:I,s:I,s:I,s:I,s:b}", "edition", ed, "rows", (json_int_t)json_array_size(j.rows), "fields",
                      (json_int_t)j.fields, "directions", (json_int_t)j.directions, "positions",
                      (json_int_t)json_array_size(j.rows), "dry_run", dry_run);
    }
  }
done:
  json_decref(j.seen);
  json_decref(j.rows);
  return out;
}

/* ---- a correction ------------------------------------------------------------------ */

typedef struct EditJob {
  const User *actor;
  int64_t id;
  const Pos *p;
  const json_t *in;
  const Levels *levels;
  json_t *before;
} EditJob;

static int edit_job(Db *db, void *arg, Err *e) {
  EditJob *j = arg;
  const Pos *p = j->p;
  const json_t *exp = json_object_get(j->in, "experience");
  char *employers = p->employers ? json_dumps(p->employers, JSON_COMPACT) : NULL;
  /* Each member given replaces the old value; the others stay (CASE on a flag). */
  Stmt *st = db_prepare(db, "UPDATE talent_position SET"
                            " name = CASE WHEN ? = 1 THEN ? ELSE name END,"
                            " level = CASE WHEN ? = 1 THEN ? ELSE level END,"
                            " degree = CASE WHEN ? = 1 THEN ? ELSE degree END,"
                            " major = CASE WHEN ? = 1 THEN ? ELSE major END,"
                            " experience = CASE WHEN ? = 1 THEN CAST(? AS BIGINT) ELSE experience END,"
                            " industry = CASE WHEN ? = 1 THEN ? ELSE industry END,"
                            " employers = CASE WHEN ? = 1 THEN ? ELSE employers END,"
                            " note = CASE WHEN ? = 1 THEN ? ELSE note END,"
                            " updated_at = ?, updated_by = ? WHERE id = ?", e);
  if (!st) return free(employers), -1;
  int k = 1;
  stmt_bind_int(st, k++, p->has_name), stmt_bind_text(st, k++, p->name);
  stmt_bind_int(st, k++, p->has_level), stmt_bind_text(st, k++, p->level);
  bool clear_degree = json_is_string(json_object_get(j->in, "degree")) && !*json_string_value(json_object_get(j->in, "degree"));
  stmt_bind_int(st, k++, p->has_degree || clear_degree), stmt_bind_text(st, k++, p->degree);
  stmt_bind_int(st, k++, p->has_major), stmt_bind_text(st, k++, p->major);
  stmt_bind_int(st, k++, exp != NULL);
  if (json_is_integer(exp)) stmt_bind_int(st, k++, json_integer_value(exp));
  else stmt_bind_null(st, k++);
  stmt_bind_int(st, k++, p->has_industry), stmt_bind_text(st, k++, p->industry);
  stmt_bind_int(st, k++, employers != NULL), stmt_bind_text(st, k++, employers ? employers : "[]");
  stmt_bind_int(st, k++, p->has_note), stmt_bind_text(st, k++, p->note);
  stmt_bind_int(st, k++, now_ms());
  stmt_bind_int(st, k++, j->actor ? j->actor->id : 0);
  stmt_bind_int(st, k++, j->id);
  int rc = stmt_step(st, e);
  stmt_done(st);
  free(employers);
  if (rc < 0) {
    if (strcmp(e->code, "db.unique") == 0)
      return err_set(e, E_CONFLICT, "talent.duplicate", "name", "同一方向下已有同名岗位",
                     "The direction has a position of that name already");
    return -1;
  }
  char object[64];
  snprintf(object, sizeof object, "talent_position:%lld", (long long)j->id);
  json_t *d = json_pack("{s:O,s:O}", "before", j->before, "change", j->in);
  rc = audit_append(db, j->actor, "talent.catalogue.position", object, d, e);
  json_decref(d);
  return rc;
}

/* position_get() is position id with its field and direction (new), its
** edition's id in *edition; NULL with *e (talent.no_position). */
static json_t *position_get(Db *db, int64_t id, int64_t *edition, Levels *l, Err *e) {
  Stmt *st = db_prepare(db, "SELECT p.edition_id FROM talent_position p WHERE p.id = ?", e);
  if (!st) return NULL;
  stmt_bind_int(st, 1, id);
  int rc = stmt_step(st, e);
  if (rc == 1) *edition = stmt_int(st, 0);
  stmt_done(st);
  if (rc == 0) err_set(e, E_NOTFOUND, "talent.no_position", "id", "没有这个岗位", "No such position");
  if (rc != 1 || levels_of(db, *edition, l, e)) return NULL;
  if (!(st = db_prepare(db, "SELECT " POS_COLS POS_FROM " WHERE p.id = ?", e))) return NULL;
  stmt_bind_int(st, 1, id);
  rc = stmt_step(st, e);
  json_t *out = rc == 1 ? pos_row(st, l, true) : NULL;
  stmt_done(st);
  if (rc == 0) err_set(e, E_NOTFOUND, "talent.no_position", "id", "没有这个岗位", "No such position");
  return out;
}

json_t *talent_catalogue_position_update(Store *s, const User *actor, int64_t id, const json_t *in, Err *e) {
  Db *db = store_reader(s);
  int64_t dept, edition = 0;
  Levels l;
  Pos p;
  if (keeper(db, actor, &dept, e)) return NULL;
  /* experience null clears it; degree "" too: both are checked as absent. */
  json_t *copy = json_is_object(in) ? json_copy((json_t *)in) : NULL;
  if (copy && json_is_null(json_object_get(copy, "experience"))) json_object_del(copy, "experience");
  if (copy && json_is_string(json_object_get(copy, "degree")) && !*json_string_value(json_object_get(copy, "degree")))
    json_object_del(copy, "degree");
  json_t *before = NULL, *out = NULL;
  if (pos_decode(copy ? copy : in, false, &p, e)) goto done;
  if (json_object_size(in) == 0) {
    err_set(e, E_INVALID, "request.missing_field", NULL, "请给出要更正的项", "Give what to correct");
    goto done;
  }
  if (!(before = position_get(db, id, &edition, &l, e))) goto done;
  if (p.has_level) {
    const Level *lv = level_find(&l, p.level);
    if (!lv) {
      bad_level(&l, p.level, e);
      goto done;
    }
    snprintf(p.level, sizeof p.level, "%s", lv->code);
  }
  EditJob j = {actor, id, &p, in, &l, before};
  if (store_write(s, edit_job, &j, e) == 0) out = position_get(db, id, &edition, &l, e);
done:
  json_decref(copy);
  json_decref(before);
  return out;
}

/* ---- export ------------------------------------------------------------------- */

int talent_catalogue_export(Store *s, int64_t id, bool xlsx, Buf *out, char *name, size_t cap, Err *e) {
  json_t *t = talent_catalogue_tree(s, id, e);
  if (!t) return -1;
  json_t *ed = json_object_get(t, "edition");
  SheetOut *o = sheet_out_new(xlsx, e);
  if (!o) return json_decref(t), -1;
  sheet_out_begin(o, &sheet, json_string_value(json_object_get(ed, "title")));
  size_t i, k, m;
  json_t *f, *d, *p;
  int64_t seq = 0;
  Buf emp = {0};
  json_array_foreach(json_object_get(t, "fields"), i, f) json_array_foreach(json_object_get(f, "directions"), k, d)
      json_array_foreach(json_object_get(d, "positions"), m, p) {
    char n[24], years[24];
    snprintf(n, sizeof n, "%lld", (long long)++seq);
    json_t *x = json_object_get(p, "experience");
    if (json_is_integer(x)) snprintf(years, sizeof years, "%lld", (long long)json_integer_value(x));
    else years[0] = 0;
    buf_reset(&emp);
    size_t q;
    json_t *name_v;
    json_array_foreach(json_object_get(p, "employers"), q, name_v)
      buf_appendf(&emp, "%s%s", q ? "、" : "", json_string_value(name_v));
    const char *v[] = {n,
                       json_string_value(json_object_get(f, "name")),
                       json_string_value(json_object_get(d, "name")),
                       json_string_value(json_object_get(p, "name")),
                       json_string_value(json_object_get(p, "level_label")),
                       json_string_value(json_object_get(p, "degree")),
                       json_string_value(json_object_get(p, "major")),
                       years,
                       json_string_value(json_object_get(p, "industry")),
                       buf_cstr(&emp),
                       json_string_value(json_object_get(p, "note"))};
    _Static_assert(XQ_COUNT(v) == XQ_COUNT(cols), "one value per column");
    sheet_out_row(o, v);
  }
  buf_free(&emp);
  if (name)
    snprintf(name, cap, "紧缺人才需求目录-%s", json_string_value(json_object_get(ed, "years")));
  json_decref(t);
  return sheet_out_end(o, out, e) < 0 ? -1 : 0;
}

/* ---- the demo ------------------------------------------------------------------- */

int talent_catalogue_demo_load(Store *s, int64_t *positions, Err *e) {
  size_t n;
  const char *csv = embedded_get("jinpu/talent_catalogue.csv", &n);
  *positions = 0;
  if (!csv) return err_set(e, E_INTERNAL, "talent.no_demo", NULL, "缺少演示目录数据", "The demo catalogue is missing");
  int64_t id;
  Err none = {0};
  if (talent_catalogue_find(s, "2020-2021", &id, &none) == 0) return 0;
  const TalentEditionIn in = {
      .years = "2020\xE2\x80\x94" "2021",
      .title = "金普新区2020—2021年度重点产业紧缺人才需求目录（演示）",
      .issuer = "金普新区人力资源和社会保障局（演示）",
      .published_on = "2020-06-30",
      .demo = true,
  };
  ErrList all = {0};
  Err mine = {.all = &all};
  json_t *out = talent_catalogue_import(s, NULL, &in, csv, n, false, &mine);
  if (!out) {
    /* The shipped file is wrong: say its first refusal. */
    *e = all.n ? all.a[0] : mine;
    e->all = NULL;
    errlist_free(&all);
    return -1;
  }
  errlist_free(&all);
  *positions = json_integer_value(json_object_get(out, "positions"));
  json_decref(out);
  return 0;
}
