/*
** livelihood.c — 惠民实事: the yearly livelihood projects (livelihood.h).
*/
#include "livelihood.h"
#include "audit.h"
#include "docs.h"
#include "params.h"
#include "../base/cal.h"
#include "../base/jsonx.h"
#include "../base/money.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const livelihood_categories[] = {"教育", "安居", "就业", "数字生活", "医疗", "环境", "乡村",
                                             "交通", "文体", "养老", "民生保障", NULL};

#define LV_DEPT_ROLES (ROLE_CLERK | ROLE_APPROVER | ROLE_POLICY | ROLE_INVEST)
#define MAX_EVIDENCE 10
#define MAX_MILESTONES 24

/* ---- the status rule -------------------------------------------------------- */

eLvStatus livelihood_status(const LvMilestone *a, int n, int progress, int today, LvWhy *why) {
  LvWhy w = {.worst = -1, .next = -1};
  for (int i = 0; i < n; i++) {
    if (a[i].reached != CAL_NO_DAY) continue;
    w.open++;
    if (a[i].planned < today) {
      w.late++;
      if (w.worst < 0 || a[i].planned < a[w.worst].planned) w.worst = i;
    } else if (w.next < 0 || a[i].planned < a[w.next].planned) {
      w.next = i;
    }
  }
  if (w.worst >= 0) w.days_late = today - a[w.worst].planned;
  if (why) *why = w;
  if (w.late > 0) return LV_BEHIND;
  if (w.open == 0 && progress >= 100) return LV_DONE;
  return LV_ON_TRACK;
}

const char *livelihood_status_name(eLvStatus s) {
  return s == LV_BEHIND ? "behind" : s == LV_DONE ? "done" : "on_track";
}

/* ---- who ------------------------------------------------------------------------ */

static int64_t today_day(char out[11]) {
  int d;
  cal_parse_date(time_today_cn(out), &d);
  return d;
}

/* coord_dept() is the coordinating office's department id (0: none). */
static int64_t coord_dept(Db *db) {
  char code[32], today[11];
  Err e = {0};
  Dept d;
  if (params_text(db, "livelihood", "coord_dept", time_today_cn(today), code, sizeof code, &e)) return 0;
  return accounts_dept_get(db, 0, code, &d, &e) == 1 ? d.id : 0;
}

static bool dept_official(const User *u, int64_t dept) {
  return (u->role & LV_DEPT_ROLES) && u->dept_id != 0 && u->dept_id == dept;
}

/* sees_all() is true for those who read every project, published or not. */
static bool sees_all(const User *u) { return u->id != 0 && u->role != ROLE_APPLICANT; }

/* coordinates() is true for those who keep the list for every department. */
static bool coordinates(Db *db, const User *u) {
  if (u->role == ROLE_ADMIN) return true;
  if (!(u->role & LV_DEPT_ROLES) || !u->dept_id) return false;
  return u->dept_id == coord_dept(db);
}

/* manages() is true for who acts on a department's project: its officials and administrators. */
static bool manages(const User *u, int64_t dept) { return u->role == ROLE_ADMIN || dept_official(u, dept); }

static int forbidden(Err *e) {
  return err_set(e, E_FORBIDDEN, "livelihood.forbidden", NULL, "只有牵头部门的工作人员可以办理该惠民实事",
                 "Only the lead department's officials act on this project");
}

static int not_found(const char *code, Err *e) {
  return err_setf(e, E_NOTFOUND, "livelihood.not_found", "code", "没有找到该惠民实事：%s", "No such project: %s",
                  code ? code : "");
}

/* ---- loading ---------------------------------------------------------------------- */

typedef struct Project {
  int64_t id, dept_id, budget_fen;
  int year, progress;
  bool published, demo;
  char code[24], title[244], category[40], dept_code[32], dept_name[164], target_value[32], target_unit[44];
  char *description;
} Project;

#define PROJECT_COLS                                                                                                 \
  "p.id, p.year, p.code, p.title, p.category, p.dept_id, d.code, d.name, p.budget_fen, p.target_value,"              \
  " p.target_unit, p.description, p.progress, p.published, p.demo"
#define PROJECT_FROM " FROM livelihood_project p JOIN department d ON d.id = p.dept_id"

static void copy(char *dst, size_t cap, const char *s) { snprintf(dst, cap, "%s", s ? s : ""); }

static void project_read(Stmt *st, Project *p) {
  p->id = stmt_int(st, 0);
  p->year = (int)stmt_int(st, 1);
  copy(p->code, sizeof p->code, stmt_text(st, 2));
  copy(p->title, sizeof p->title, stmt_text(st, 3));
  copy(p->category, sizeof p->category, stmt_text(st, 4));
  p->dept_id = stmt_int(st, 5);
  copy(p->dept_code, sizeof p->dept_code, stmt_text(st, 6));
  copy(p->dept_name, sizeof p->dept_name, stmt_text(st, 7));
  p->budget_fen = stmt_int(st, 8);
  copy(p->target_value, sizeof p->target_value, stmt_text(st, 9));
  copy(p->target_unit, sizeof p->target_unit, stmt_text(st, 10));
  p->description = xstrdup(stmt_text(st, 11) ? stmt_text(st, 11) : "");
  p->progress = (int)stmt_int(st, 12);
  p->published = stmt_int(st, 13) != 0;
  p->demo = stmt_int(st, 14) != 0;
}

/* project_load() reads project code: 1 found, 0 none, -1 error. */
static int project_load(Db *db, const char *code, Project *p, Err *e) {
  memset(p, 0, sizeof *p);
  Stmt *st = db_prepare(db, "SELECT " PROJECT_COLS PROJECT_FROM " WHERE p.code = ?", e);
  if (!st) return -1;
  stmt_bind_text(st, 1, code ? code : "");
  int rc = stmt_step(st, e);
  if (rc == 1) project_read(st, p);
  stmt_done(st);
  return rc;
}

static json_t *money_json(int64_t fen) {
  Buf b = {0};
  money_format(&b, fen, money_currency("CNY"), false);
  json_t *o = json_string(buf_cstr(&b));
  buf_free(&b);
  return o;
}

/* milestone_row() is a milestone as stored: {id, seq, title, planned_on, reached_on, note}. */
static json_t *milestone_row(Stmt *st, int c) {
  return json_pack("{s:I,s:I,s:s,s:s,s:s?,s:s}", "id", (json_int_t)stmt_int(st, c), "seq",
                   (json_int_t)stmt_int(st, c + 1), "title", stmt_text(st, c + 2), "planned_on", stmt_text(st, c + 3),
                   "reached_on", stmt_text(st, c + 4), "note", stmt_text(st, c + 5) ? stmt_text(st, c + 5) : "");
}

/* judge() computes the status of o (a project with "milestones" and
** "progress") as of today and sets status, status_reason and each
** milestone's state and days late. Returns the status. */
static eLvStatus judge(json_t *o, int today) {
  json_t *ms = json_object_get(o, "milestones"), *m;
  size_t n = json_array_size(ms), i;
  LvMilestone a[MAX_MILESTONES * 2];
  if (n > XQ_COUNT(a)) n = XQ_COUNT(a);
  for (i = 0; i < n; i++) {
    m = json_array_get(ms, i);
    a[i].title = json_string_value(json_object_get(m, "title"));
    if (cal_parse_date(json_string_value(json_object_get(m, "planned_on")), &a[i].planned)) a[i].planned = today;
    const char *r = json_string_value(json_object_get(m, "reached_on"));
    if (!r || cal_parse_date(r, &a[i].reached)) a[i].reached = CAL_NO_DAY;
    const char *state;
    int late = 0;
    if (a[i].reached != CAL_NO_DAY) {
      state = "reached";
      late = a[i].reached > a[i].planned ? a[i].reached - a[i].planned : 0;
    } else if (a[i].planned < today) {
      state = "late";
      late = today - a[i].planned;
    } else {
      state = "open";
    }
    json_object_set_new(m, "state", json_string(state));
    json_object_set_new(m, "days_late", json_integer(late));
  }
  int progress = (int)json_integer_value(json_object_get(o, "progress"));
  LvWhy w;
  eLvStatus s = livelihood_status(a, (int)n, progress, today, &w);
  char *zh, *en;
  if (s == LV_BEHIND) {
    char planned[11];
    cal_format(a[w.worst].planned, planned);
    zh = xasprintf("里程碑「%s」计划 %s 完成，未完成，已逾期 %d 天%s", a[w.worst].title, planned, w.days_late,
                   w.late > 1 ? "（另有逾期里程碑）" : "");
    en = xasprintf("Milestone \"%s\" was due on %s and is not reached: %d days late%s", a[w.worst].title, planned,
                   w.days_late, w.late > 1 ? " (and others late)" : "");
  } else if (s == LV_DONE) {
    zh = xasprintf("全部 %d 个里程碑已完成，进度 100%%", (int)n);
    en = xasprintf("All %d milestones reached, progress 100%%", (int)n);
  } else if (w.next >= 0) {
    char planned[11];
    cal_format(a[w.next].planned, planned);
    zh = xasprintf("下一个里程碑「%s」计划 %s 完成，进度 %d%%", a[w.next].title, planned, progress);
    en = xasprintf("Next milestone \"%s\" due on %s, progress %d%%", a[w.next].title, planned, progress);
  } else {
    zh = xasprintf("%s，进度 %d%%，达到 100%% 即为完成", n ? "里程碑均已完成" : "尚无里程碑", progress);
    en = xasprintf("%s, progress %d%%; done at 100%%", n ? "Every milestone reached" : "No milestones yet", progress);
  }
  json_t *why = json_pack("{s:s,s:s,s:i,s:i}", "zh", zh, "en", en, "late", w.late, "days_late", w.days_late);
  if (w.worst >= 0) json_object_set(why, "milestone", json_object_get(json_array_get(ms, (size_t)w.worst), "title"));
  free(zh);
  free(en);
  json_object_set_new(o, "status", json_string(livelihood_status_name(s)));
  json_object_set_new(o, "status_reason", why);
  return s;
}

/* summary() is project p as a list shows it, without milestones yet. */
static json_t *summary(const Project *p) {
  return json_pack("{s:s,s:i,s:s,s:s,s:{s:s,s:s},s:I,s:o,s:{s:s,s:s},s:s,s:i,s:b,s:b}", "code", p->code, "year",
                   p->year, "title", p->title, "category", p->category, "dept", "code", p->dept_code, "name",
                   p->dept_name, "budget_fen", (json_int_t)p->budget_fen, "budget", money_json(p->budget_fen),
                   "target", "value", p->target_value, "unit", p->target_unit, "description", p->description,
                   "progress", p->progress, "published", p->published, "demo", p->demo);
}

/* attach_milestones() reads the milestones of the projects in items
** (matched by their ids in ids, in order) with one query of sql (binding
** arg), and judges each. */
static int attach_milestones(Db *db, json_t *items, const int64_t *ids, const char *sql, int64_t arg, int today,
                             Err *e) {
  size_t n = json_array_size(items);
  for (size_t i = 0; i < n; i++) json_object_set_new(json_array_get(items, i), "milestones", json_array());
  Stmt *st = db_prepare(db, sql, e);
  if (!st) return -1;
  stmt_bind_int(st, 1, arg);
  int rc;
  size_t k = 0;
  while ((rc = stmt_step(st, e)) == 1) {
    int64_t pid = stmt_int(st, 0);
    /* both lists are in project id order */
    while (k < n && ids[k] < pid) k++;
    if (k < n && ids[k] == pid)
      json_array_append_new(json_object_get(json_array_get(items, k), "milestones"), milestone_row(st, 1));
  }
  stmt_done(st);
  if (rc < 0) return -1;
  for (size_t i = 0; i < n; i++) judge(json_array_get(items, i), today);
  return 0;
}

/* ---- reading ------------------------------------------------------------------------ */

static bool in_list(const char *const *list, const char *v) {
  for (; *list; list++)
    if (strcmp(*list, v) == 0) return true;
  return false;
}

json_t *livelihood_list(Store *s, const User *actor, const LvQuery *q, Err *e) {
  static const char *const statuses[] = {"on_track", "behind", "done", NULL};
  if (q->status && *q->status && !in_list(statuses, q->status))
    return err_setf(e, E_INVALID, "livelihood.bad_status", "status", "状态应为 on_track、behind 或 done：%s",
                    "The status is on_track, behind or done: %s", q->status),
           NULL;
  Db *db = store_reader(s);
  char today[11];
  int t = (int)today_day(today);
  Buf sql = {0};
  buf_puts(&sql, "SELECT " PROJECT_COLS PROJECT_FROM " WHERE p.year = ?");
  if (!sees_all(actor)) buf_puts(&sql, " AND p.published = 1");
  if (q->category && *q->category) buf_puts(&sql, " AND p.category = ?");
  if (q->dept && *q->dept) buf_puts(&sql, " AND d.code = ?");
  buf_puts(&sql, " ORDER BY p.id");
  Stmt *st = db_prepare(db, buf_cstr(&sql), e);
  buf_free(&sql);
  if (!st) return NULL;
  int i = 1;
  stmt_bind_int(st, i++, q->year);
  if (q->category && *q->category) stmt_bind_text(st, i++, q->category);
  if (q->dept && *q->dept) stmt_bind_text(st, i++, q->dept);
  json_t *items = json_array();
  int64_t *ids = NULL;
  size_t n = 0, cap = 0;
  int rc;
  while ((rc = stmt_step(st, e)) == 1) {
    Project p;
    project_read(st, &p);
    json_t *o = summary(&p);
    if (actor->id) json_object_set_new(o, "may_manage", json_boolean(manages(actor, p.dept_id)));
    json_array_append_new(items, o);
    free(p.description);
    if (n == cap) ids = xrealloc(ids, (cap = cap ? cap * 2 : 64) * sizeof *ids);
    ids[n++] = p.id;
  }
  stmt_done(st);
  if (rc < 0 || attach_milestones(db, items, ids,
                                  "SELECT m.project_id, m.id, m.seq, m.title, m.planned_on, m.reached_on, m.note"
                                  " FROM livelihood_milestone m JOIN livelihood_project p ON p.id = m.project_id"
                                  " WHERE p.year = ? ORDER BY m.project_id, m.seq",
                                  q->year, t, e)) {
    free(ids);
    json_decref(items);
    return NULL;
  }
  free(ids);
  /* the status filter, and the counts of every status before it */
  int counts[3] = {0};
  json_t *kept = json_array(), *it;
  size_t k;
  json_array_foreach(items, k, it) {
    const char *stt = json_string_value(json_object_get(it, "status"));
    counts[strcmp(stt, "behind") == 0 ? 1 : strcmp(stt, "done") == 0 ? 2 : 0]++;
    if (!q->status || !*q->status || strcmp(q->status, stt) == 0) json_array_append(kept, it);
  }
  json_decref(items);
  return json_pack("{s:i,s:s,s:o,s:{s:i,s:i,s:i},s:b,s:o}", "year", q->year, "today", today, "items", kept, "counts",
                   "on_track", counts[0], "behind", counts[1], "done", counts[2], "may_create",
                   coordinates(db, actor) || (actor->role & LV_DEPT_ROLES && actor->dept_id), "categories",
                   json_pack("[s,s,s,s,s,s,s,s,s,s,s]", livelihood_categories[0], livelihood_categories[1],
                             livelihood_categories[2], livelihood_categories[3], livelihood_categories[4],
                             livelihood_categories[5], livelihood_categories[6], livelihood_categories[7],
                             livelihood_categories[8], livelihood_categories[9], livelihood_categories[10]));
}

/* mask_name() is a commenter's display name as the public sees it: its
** first character and two stars. */
static json_t *mask_name(const char *name) {
  if (!name || !*name) return json_string("市民**");
  size_t n = 1;
  while (name[n] && (name[n] & 0xC0) == 0x80) n++;
  char out[16];
  snprintf(out, sizeof out, "%.*s**", (int)n, name);
  return json_string(out);
}

/* evidence_of() is [{sha256, mime, size}] of the evidence of (kind, ref). */
static json_t *evidence_of(Db *db, int64_t project, const char *kind, int64_t ref, Err *e) {
  Stmt *st = db_prepare(db,
                        "SELECT v.sha256, b.mime, b.size FROM livelihood_evidence v JOIN blob b ON b.sha256 = v.sha256"
                        " WHERE v.project_id = ? AND v.kind = ? AND v.ref_id = ? ORDER BY v.id",
                        e);
  if (!st) return NULL;
  stmt_bind_int(st, 1, project);
  stmt_bind_text(st, 2, kind);
  stmt_bind_int(st, 3, ref);
  json_t *out = json_array();
  int rc;
  while ((rc = stmt_step(st, e)) == 1)
    json_array_append_new(out, json_pack("{s:s,s:s,s:I}", "sha256", stmt_text(st, 0), "mime", stmt_text(st, 1), "size",
                                         (json_int_t)stmt_int(st, 2)));
  stmt_done(st);
  if (rc < 0) json_decref(out), out = NULL;
  return out;
}

/* rows() appends to o[key] a row per result of sql (binding id) made by row. */
static int rows(Db *db, json_t *o, const char *key, const char *sql, int64_t id, json_t *(*row)(Db *, Stmt *, int64_t),
                int64_t project, Err *e) {
  Stmt *st = db_prepare(db, sql, e);
  if (!st) return -1;
  stmt_bind_int(st, 1, id);
  json_t *a = json_array();
  int rc;
  while ((rc = stmt_step(st, e)) == 1) json_array_append_new(a, row(db, st, project));
  stmt_done(st);
  json_object_set_new(o, key, a);
  return rc < 0 ? -1 : 0;
}

static json_t *progress_row(Db *db, Stmt *st, int64_t project) {
  Err e = {0};
  json_t *ev = evidence_of(db, project, "progress", stmt_int(st, 0), &e);
  return json_pack("{s:I,s:s,s:i,s:s,s:o,s:s,s:o}", "id", (json_int_t)stmt_int(st, 0), "on", stmt_text(st, 1),
                   "percent", (int)stmt_int(st, 2), "note", stmt_text(st, 3), "at", jsonx_time(stmt_int(st, 4)), "by",
                   stmt_text(st, 5) ? stmt_text(st, 5) : "", "evidence", ev ? ev : json_array());
}

static json_t *report_row(Db *db, Stmt *st, int64_t project) {
  Err e = {0};
  json_t *ev = evidence_of(db, project, "report", stmt_int(st, 0), &e);
  return json_pack("{s:I,s:s,s:s,s:i,s:o,s:s,s:o}", "id", (json_int_t)stmt_int(st, 0), "month", stmt_text(st, 1),
                   "body", stmt_text(st, 2), "percent", (int)stmt_int(st, 3), "at", jsonx_time(stmt_int(st, 4)), "by",
                   stmt_text(st, 5) ? stmt_text(st, 5) : "", "evidence", ev ? ev : json_array());
}

/* comment_row(): the display name shown only to who moderates (the rows
** reach others masked, by comment_public()). */
static json_t *comment_row(Db *db, Stmt *st, int64_t project) {
  (void)db, (void)project;
  return json_pack("{s:I,s:i,s:s,s:s,s:s,s:o,s:s,s:s}", "id", (json_int_t)stmt_int(st, 0), "rating",
                   (int)stmt_int(st, 1), "body", stmt_text(st, 2), "state", stmt_text(st, 3), "reason",
                   stmt_text(st, 4), "at", jsonx_time(stmt_int(st, 5)), "name", stmt_text(st, 6) ? stmt_text(st, 6) : "",
                   "username", stmt_text(st, 7) ? stmt_text(st, 7) : "");
}

/* project_view() is project p in full for actor (livelihood_get()). */
static json_t *project_view(Db *db, const User *actor, const Project *p, Err *e) {
  char today[11];
  int t = (int)today_day(today);
  json_t *o = summary(p), *items = json_array();
  json_array_append(items, o);
  int rc = attach_milestones(db, items, &p->id,
                             "SELECT project_id, id, seq, title, planned_on, reached_on, note FROM livelihood_milestone"
                             " WHERE project_id = ? ORDER BY seq",
                             p->id, t, e);
  json_decref(items);
  if (rc) return json_decref(o), NULL;
  json_t *m;
  size_t i;
  json_array_foreach(json_object_get(o, "milestones"), i, m) {
    json_t *ev = evidence_of(db, p->id, "milestone", json_integer_value(json_object_get(m, "id")), e);
    if (!ev) return json_decref(o), NULL;
    json_object_set_new(m, "evidence", ev);
  }
  bool manage = manages(actor, p->dept_id);
  if (rows(db, o, "progress_log",
           "SELECT g.id, g.on_day, g.percent, g.note, g.created_at, a.display FROM livelihood_progress g"
           " LEFT JOIN account a ON a.id = g.created_by WHERE g.project_id = ? ORDER BY g.id DESC LIMIT 100",
           p->id, progress_row, p->id, e) ||
      rows(db, o, "reports",
           "SELECT r.id, r.month, r.body, r.percent, r.created_at, a.display FROM livelihood_report r"
           " LEFT JOIN account a ON a.id = r.created_by WHERE r.project_id = ? ORDER BY r.month DESC",
           p->id, report_row, p->id, e) ||
      rows(db, o, "comments",
           "SELECT c.id, c.rating, c.body, c.state, c.reason, c.created_at, a.display, a.username"
           " FROM livelihood_comment c JOIN account a ON a.id = c.account_id WHERE c.project_id = ? ORDER BY c.id DESC",
           p->id, comment_row, p->id, e))
    return json_decref(o), NULL;
  /* Comments: every one for who moderates; else the approved ones (name
  ** masked) and one's own. */
  json_t *all = json_object_get(o, "comments"), *shown = json_array(), *c;
  bool mine = false;
  json_array_foreach(all, i, c) {
    bool own = actor->id && strcmp(json_string_value(json_object_get(c, "username")), actor->username) == 0;
    mine = mine || own;
    if (manage || (own && actor->role == ROLE_APPLICANT)) {
      json_array_append(shown, c);
    } else if (strcmp(json_string_value(json_object_get(c, "state")), "approved") == 0) {
      json_array_append_new(shown, json_pack("{s:I,s:O,s:O,s:s,s:O,s:o}", "id",
                                             json_integer_value(json_object_get(c, "id")), "rating",
                                             json_object_get(c, "rating"), "body", json_object_get(c, "body"), "state",
                                             "approved", "at", json_object_get(c, "at"), "name",
                                             mask_name(json_string_value(json_object_get(c, "name")))));
    }
  }
  json_object_set_new(o, "comments", shown);
  json_object_set_new(o, "may_edit", json_boolean(coordinates(db, actor) || dept_official(actor, p->dept_id)));
  json_object_set_new(o, "may_manage", json_boolean(manage));
  json_object_set_new(o, "may_comment", json_boolean(actor->role == ROLE_APPLICANT && p->published && !mine));
  json_object_set_new(o, "today", json_string(today));
  return o;
}

json_t *livelihood_get(Store *s, const User *actor, const char *code, Err *e) {
  Db *db = store_reader(s);
  Project p;
  int rc = project_load(db, code, &p, e);
  if (rc < 0) return NULL;
  if (rc == 0 || (!sees_all(actor) && !p.published)) {
    free(p.description);
    return not_found(code, e), NULL;
  }
  json_t *o = project_view(db, actor, &p, e);
  free(p.description);
  return o;
}

/* ---- writing ---------------------------------------------------------------------- */

/* decimal_ok() normalises an exact decimal target ("2.10" → "2.1"): up to
** 12 integer digits and 4 decimals. */
static bool decimal_ok(char *v) {
  size_t i = 0, d = 0, f = 0;
  while (v[i] >= '0' && v[i] <= '9') i++, d++;
  if (d == 0 || d > 12) return false;
  if (v[i] == '.') {
    i++;
    while (v[i] >= '0' && v[i] <= '9') i++, f++;
    if (f == 0 || f > 4) return false;
  }
  if (v[i]) return false;
  /* no leading zeros but one; no trailing decimal zeros */
  size_t z = 0;
  while (z + 1 < d && v[z] == '0') z++;
  if (z) memmove(v, v + z, strlen(v + z) + 1);
  if (strchr(v, '.')) {
    size_t n = strlen(v);
    while (v[n - 1] == '0') v[--n] = 0;
    if (v[n - 1] == '.') v[--n] = 0;
  }
  return true;
}

/* evidence_decode() checks in's "evidence" (an array of uploads' SHA-256). */
static int evidence_decode(const json_t *arr, const char *out[MAX_EVIDENCE], int *n, Err *e) {
  *n = 0;
  if (!arr || json_is_null(arr)) return 0;
  if (!json_is_array(arr) || json_array_size(arr) > MAX_EVIDENCE)
    return err_set(e, E_INVALID, "livelihood.bad_evidence", "evidence", "证明材料应为至多 10 个已上传文件的 SHA-256",
                   "The evidence is up to 10 uploads' SHA-256");
  size_t i;
  json_t *v;
  json_array_foreach(arr, i, v) {
    const char *h = json_string_value(v);
    bool ok = h && strlen(h) == 64;
    for (int k = 0; ok && k < 64; k++) ok = (h[k] >= '0' && h[k] <= '9') || (h[k] >= 'a' && h[k] <= 'f');
    if (!ok)
      return err_set(e, E_INVALID, "livelihood.bad_evidence", "evidence",
                     "证明材料应为已上传文件的 SHA-256（先上传：/api/v1/uploads）",
                     "Evidence is an upload's SHA-256 (upload it first: /api/v1/uploads)");
    out[(*n)++] = h;
  }
  return 0;
}

/* evidence_put() records the evidence in the write job: each an upload the actor may read. */
static int evidence_put(Db *db, const User *actor, int64_t project, const char *kind, int64_t ref, const char **a,
                        int n, int64_t now, Err *e) {
  for (int i = 0; i < n; i++) {
    if (!docs_blob_readable(db, a[i], actor->id))
      return err_setf(e, E_INVALID, "livelihood.bad_evidence", "evidence", "没有找到您上传的该文件：%.16s…",
                      "No upload of yours has this SHA-256: %.16s…", a[i]);
    if (db_run(db, e, "INSERT INTO livelihood_evidence(project_id, kind, ref_id, sha256, created_at, created_by)"
                      " VALUES (?,?,?,?,?,?)", "itit" "ii", project, kind, ref, a[i], now, actor->id) < 0)
      return -1;
  }
  return 0;
}

static int audit(Db *db, const User *actor, const char *action, const char *code, json_t *detail, Err *e) {
  char obj[64];
  snprintf(obj, sizeof obj, "livelihood:%s", code);
  int rc = audit_append(db, actor, action, obj, detail, e);
  json_decref(detail);
  return rc;
}

static int day_arg(const char *v, const char *field, bool not_future, int *day, Err *e) {
  char today[11];
  int t = (int)today_day(today);
  if (cal_parse_date(v, day) || (not_future && *day > t))
    return err_setf(e, E_INVALID, "livelihood.bad_date", field,
                    not_future ? "日期无效或在今天之后：%s" : "日期无效（YYYY-MM-DD）：%s",
                    not_future ? "Not a date, or after today: %s" : "Not a date (YYYY-MM-DD): %s", v);
  return 0;
}

typedef struct MsIn {
  char title[244], planned_on[11];
} MsIn;

static int milestone_decode(const json_t *in, MsIn *m, Err *e) {
  JField f[] = {
      {"title", J_STR, true, m->title, sizeof m->title, 1, 60, NULL},
      {"planned_on", J_STR, true, m->planned_on, sizeof m->planned_on, 0, 0, NULL},
  };
  int d;
  if (jsonx_decode(in, f, (int)XQ_COUNT(f), false, e) || day_arg(m->planned_on, "planned_on", false, &d, e)) return -1;
  return 0;
}

static int milestone_insert(Db *db, int64_t project, const MsIn *m, Err *e) {
  return db_run(db, e, "INSERT INTO livelihood_milestone(project_id, seq, title, planned_on) VALUES (?,"
                       " (SELECT COALESCE(MAX(seq), 0) + 1 FROM livelihood_milestone WHERE project_id = ?), ?, ?)",
                "iitt", project, project, m->title, m->planned_on) < 0
             ? -1
             : 0;
}

typedef struct EditJob {
  const User *actor;
  const char *code; /* NULL: create */
  int64_t now;
  int64_t year, budget_fen;
  bool published, has[8];
  char title[244], category[40], dept[32], budget[40], target_value[32], target_unit[44], description[4004];
  MsIn *aMs;
  int nMs;
  char made[24];
} EditJob;

enum { H_TITLE, H_CATEGORY, H_DEPT, H_BUDGET, H_VALUE, H_UNIT, H_DESC, H_PUBLISHED };

static int edit_decode(const json_t *in, EditJob *j, bool create, Err *e) {
  const json_t *ms = NULL;
  JField f[] = {
      {"title", J_STR, create, j->title, sizeof j->title, 2, 60, &j->has[H_TITLE]},
      {"category", J_STR, create, j->category, sizeof j->category, 0, 0, &j->has[H_CATEGORY]},
      {"dept", J_STR, false, j->dept, sizeof j->dept, 0, 0, &j->has[H_DEPT]},
      {"budget", J_STR, create, j->budget, sizeof j->budget, 1, 30, &j->has[H_BUDGET]},
      {"target_value", J_STR, create, j->target_value, sizeof j->target_value, 1, 20, &j->has[H_VALUE]},
      {"target_unit", J_STR, create, j->target_unit, sizeof j->target_unit, 1, 10, &j->has[H_UNIT]},
      {"description", J_STR, false, j->description, sizeof j->description, 0, 1000, &j->has[H_DESC]},
      {"published", J_BOOL, false, &j->published, 0, 0, 0, &j->has[H_PUBLISHED]},
      {"year", J_INT, create, &j->year, 0, 2000, 2100, NULL},
      {"milestones", J_ARR, false, &ms, 0, 0, 0, NULL},
  };
  if (jsonx_decode(in, f, create ? (int)XQ_COUNT(f) : (int)XQ_COUNT(f) - 2, false, e)) return -1;
  bool any = false;
  for (int h = 0; h < 8; h++) any = any || j->has[h];
  if (!create && !any)
    return err_set(e, E_INVALID, "livelihood.nothing_to_change", NULL, "没有要修改的内容",
                   "Nothing to change was given");
  if (j->has[H_CATEGORY] && !in_list(livelihood_categories, j->category))
    return err_setf(e, E_INVALID, "livelihood.bad_category", "category",
                    "类别应为 教育、安居、就业、数字生活、医疗、环境、乡村、交通、文体、养老 或 民生保障：%s",
                    "The category is one of 教育 安居 就业 数字生活 医疗 环境 乡村 交通 文体 养老 民生保障: %s", j->category);
  if (j->has[H_BUDGET] && money_parse(j->budget, money_currency("CNY"), "budget", &j->budget_fen, e)) return -1;
  if (j->has[H_BUDGET] && j->budget_fen < 0)
    return err_set(e, E_INVALID, "livelihood.bad_budget", "budget", "预算不能为负", "The budget cannot be negative");
  if (j->has[H_VALUE] && !decimal_ok(j->target_value))
    return err_setf(e, E_INVALID, "livelihood.bad_target", "target_value",
                    "目标值应为精确的十进制数（如 2.1，至多 4 位小数）：%s",
                    "The target is an exact decimal (such as 2.1, at most 4 decimals): %s", j->target_value);
  if (ms) {
    if (json_array_size(ms) > MAX_MILESTONES)
      return err_set(e, E_INVALID, "livelihood.too_many_milestones", "milestones", "里程碑至多 24 个",
                     "At most 24 milestones");
    j->aMs = xcalloc(json_array_size(ms) + 1, sizeof *j->aMs);
    size_t i;
    json_t *m;
    json_array_foreach(ms, i, m) {
      if (milestone_decode(m, &j->aMs[j->nMs], e)) {
        snprintf(e->field, sizeof e->field, "milestones");
        return -1;
      }
      j->nMs++;
    }
  }
  return 0;
}

static int edit_job(Db *db, void *arg, Err *e) {
  EditJob *j = arg;
  Project p = {0};
  int64_t dept = 0;
  if (j->code) {
    int rc = project_load(db, j->code, &p, e);
    free(p.description);
    if (rc <= 0) return rc < 0 ? -1 : not_found(j->code, e);
    dept = p.dept_id;
  }
  bool coord = coordinates(db, j->actor);
  if (j->has[H_DEPT] && j->dept[0]) {
    Dept d;
    int rc = accounts_dept_get(db, 0, j->dept, &d, e);
    if (rc < 0) return -1;
    if (rc == 0)
      return err_setf(e, E_INVALID, "livelihood.bad_dept", "dept", "没有该部门：%s", "No such department: %s", j->dept);
    if (j->code && d.id != dept && !coord)
      return err_set(e, E_FORBIDDEN, "livelihood.forbidden", "dept", "只有统筹部门可以改变牵头部门",
                     "Only the coordinating office changes the lead department");
    if (!j->code) dept = d.id;
    else if (d.id != dept) dept = d.id, j->has[H_DEPT] = true;
  } else if (!j->code) {
    dept = j->actor->dept_id;
    if (!dept)
      return err_set(e, E_INVALID, "request.missing_field", "dept", "请选择牵头部门", "Choose the lead department");
  }
  if (!coord && !dept_official(j->actor, j->code ? p.dept_id : dept)) return forbidden(e);
  json_t *detail = json_object();
  if (!j->code) {
    /* the next code of the year */
    Stmt *st = db_prepare(db, "SELECT code FROM livelihood_project WHERE year = ?", e);
    if (!st) return json_decref(detail), -1;
    stmt_bind_int(st, 1, j->year);
    int max = 0, rc;
    while ((rc = stmt_step(st, e)) == 1) {
      const char *c = strchr(stmt_text(st, 0), '-');
      if (c && atoi(c + 1) > max) max = atoi(c + 1);
    }
    stmt_done(st);
    if (rc < 0) return json_decref(detail), -1;
    snprintf(j->made, sizeof j->made, "%d-%02d", (int)j->year, max + 1);
    st = db_prepare(db, "INSERT INTO livelihood_project(year, code, title, category, dept_id, budget_fen,"
                        " target_value, target_unit, description, published, created_at, created_by, updated_at)"
                        " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id", e);
    if (!st) return json_decref(detail), -1;
    stmt_bind_int(st, 1, j->year);
    stmt_bind_text(st, 2, j->made);
    stmt_bind_text(st, 3, j->title);
    stmt_bind_text(st, 4, j->category);
    stmt_bind_int(st, 5, dept);
    stmt_bind_int(st, 6, j->budget_fen);
    stmt_bind_text(st, 7, j->target_value);
    stmt_bind_text(st, 8, j->target_unit);
    stmt_bind_text(st, 9, j->description);
    stmt_bind_int(st, 10, j->published);
    stmt_bind_int(st, 11, j->now);
    stmt_bind_int(st, 12, j->actor->id);
    stmt_bind_int(st, 13, j->now);
    rc = stmt_step(st, e);
    p.id = rc == 1 ? stmt_int(st, 0) : 0;
    stmt_done(st);
    if (rc != 1) return json_decref(detail), -1;
    for (int i = 0; i < j->nMs; i++)
      if (milestone_insert(db, p.id, &j->aMs[i], e)) return json_decref(detail), -1;
    json_object_set_new(detail, "title", json_string(j->title));
    json_object_set_new(detail, "year", json_integer(j->year));
    json_object_set_new(detail, "dept_id", json_integer(dept));
    json_object_set_new(detail, "milestones", json_integer(j->nMs));
    return audit(db, j->actor, "livelihood.create", j->made, detail, e);
  }
  snprintf(j->made, sizeof j->made, "%s", j->code);
  static const char *const cols[] = {"title", "category", "dept_id", "budget_fen", "target_value", "target_unit",
                                     "description", "published"};
  for (int h = 0; h < 8; h++) {
    if (!j->has[h]) continue;
    char *sql = xasprintf("UPDATE livelihood_project SET %s = ?, updated_at = ? WHERE id = ?", cols[h]);
    int64_t rc;
    switch (h) {
    case H_DEPT: rc = db_run(db, e, sql, "iii", dept, j->now, p.id); break;
    case H_BUDGET: rc = db_run(db, e, sql, "iii", j->budget_fen, j->now, p.id); break;
    case H_PUBLISHED: rc = db_run(db, e, sql, "iii", (int64_t)j->published, j->now, p.id); break;
    default: {
      const char *v = h == H_TITLE ? j->title : h == H_CATEGORY ? j->category : h == H_VALUE ? j->target_value
                                              : h == H_UNIT    ? j->target_unit
                                                               : j->description;
      rc = db_run(db, e, sql, "tii", v, j->now, p.id);
      json_object_set_new(detail, cols[h], json_string(v));
    }
    }
    free(sql);
    if (rc < 0) return json_decref(detail), -1;
  }
  if (j->has[H_DEPT]) json_object_set_new(detail, "dept_id", json_integer(dept));
  if (j->has[H_BUDGET]) json_object_set_new(detail, "budget_fen", json_integer(j->budget_fen));
  if (j->has[H_PUBLISHED]) json_object_set_new(detail, "published", json_boolean(j->published));
  return audit(db, j->actor, "livelihood.edit", j->code, detail, e);
}

static json_t *edit(Store *s, const User *actor, const char *code, const json_t *in, Err *e) {
  EditJob *j = xcalloc(1, sizeof *j);
  j->actor = actor, j->code = code, j->now = now_ms();
  json_t *out = NULL;
  if (edit_decode(in, j, code == NULL, e) == 0 && store_write(s, edit_job, j, e) == 0)
    out = livelihood_get(s, actor, j->made, e);
  free(j->aMs);
  free(j);
  return out;
}

json_t *livelihood_create(Store *s, const User *actor, const json_t *in, Err *e) { return edit(s, actor, NULL, in, e); }

json_t *livelihood_edit(Store *s, const User *actor, const char *code, const json_t *in, Err *e) {
  return edit(s, actor, code ? code : "", in, e);
}

/* ---- milestones, progress, reports ------------------------------------------------- */

typedef struct ActJob {
  const User *actor;
  const char *code;
  int64_t now, id, percent;
  MsIn ms;
  char day[11], month[8], note[1204], body[8004];
  const char *aEv[MAX_EVIDENCE];
  int nEv;
  int (*act)(Db *db, struct ActJob *j, const Project *p, Err *e);
} ActJob;

static int act_job(Db *db, void *arg, Err *e) {
  ActJob *j = arg;
  Project p;
  int rc = project_load(db, j->code, &p, e);
  free(p.description);
  if (rc <= 0) return rc < 0 ? -1 : not_found(j->code, e);
  if (!manages(j->actor, p.dept_id)) return forbidden(e);
  return j->act(db, j, &p, e);
}

static json_t *act(Store *s, ActJob *j, Err *e) {
  if (store_write(s, act_job, j, e)) return NULL;
  return livelihood_get(s, j->actor, j->code, e);
}

static int do_milestone_add(Db *db, ActJob *j, const Project *p, Err *e) {
  Stmt *st = db_prepare(db, "SELECT COUNT(*) FROM livelihood_milestone WHERE project_id = ?", e);
  if (!st) return -1;
  stmt_bind_int(st, 1, p->id);
  int64_t n = stmt_step(st, e) == 1 ? stmt_int(st, 0) : 0;
  stmt_done(st);
  if (n >= MAX_MILESTONES)
    return err_set(e, E_INVALID, "livelihood.too_many_milestones", "milestones", "里程碑至多 24 个",
                   "At most 24 milestones");
  if (milestone_insert(db, p->id, &j->ms, e)) return -1;
  return audit(db, j->actor, "livelihood.milestone_add", p->code,
               json_pack("{s:s,s:s}", "title", j->ms.title, "planned_on", j->ms.planned_on), e);
}

json_t *livelihood_milestone_add(Store *s, const User *actor, const char *code, const json_t *in, Err *e) {
  ActJob j = {.actor = actor, .code = code, .now = now_ms(), .act = do_milestone_add};
  if (milestone_decode(in, &j.ms, e)) return NULL;
  return act(s, &j, e);
}

static int do_reach(Db *db, ActJob *j, const Project *p, Err *e) {
  Stmt *st = db_prepare(db, "SELECT reached_on, title, planned_on FROM livelihood_milestone WHERE id = ? AND project_id = ?",
                        e);
  if (!st) return -1;
  stmt_bind_int(st, 1, j->id);
  stmt_bind_int(st, 2, p->id);
  int rc = stmt_step(st, e);
  bool reached = rc == 1 && !stmt_null(st, 0);
  char title[244] = "";
  if (rc == 1) copy(title, sizeof title, stmt_text(st, 1));
  stmt_done(st);
  if (rc < 0) return -1;
  if (rc == 0)
    return err_set(e, E_NOTFOUND, "livelihood.no_milestone", "id", "该项目没有这个里程碑", "The project has no such milestone");
  if (reached)
    return err_set(e, E_CONFLICT, "livelihood.already_reached", "id", "该里程碑已登记完成",
                   "The milestone is already recorded as reached");
  if (db_run(db, e, "UPDATE livelihood_milestone SET reached_on = ?, note = ?, reached_by = ? WHERE id = ?", "ttii",
             j->day, j->note, j->actor->id, j->id) < 0 ||
      evidence_put(db, j->actor, p->id, "milestone", j->id, j->aEv, j->nEv, j->now, e))
    return -1;
  return audit(db, j->actor, "livelihood.milestone_reach", p->code,
               json_pack("{s:I,s:s,s:s,s:i}", "milestone", (json_int_t)j->id, "title", title, "reached_on", j->day,
                         "evidence", j->nEv),
               e);
}

json_t *livelihood_milestone_reach(Store *s, const User *actor, const char *code, int64_t id, const json_t *in,
                                   Err *e) {
  ActJob j = {.actor = actor, .code = code, .now = now_ms(), .id = id, .act = do_reach};
  const json_t *ev = NULL;
  JField f[] = {
      {"reached_on", J_STR, true, j.day, sizeof j.day, 0, 0, NULL},
      {"note", J_STR, false, j.note, sizeof j.note, 0, 300, NULL},
      {"evidence", J_ARR, false, &ev, 0, 0, 0, NULL},
  };
  int d;
  if (jsonx_decode(in, f, (int)XQ_COUNT(f), false, e) || day_arg(j.day, "reached_on", true, &d, e) ||
      evidence_decode(ev, j.aEv, &j.nEv, e))
    return NULL;
  return act(s, &j, e);
}

static int do_progress(Db *db, ActJob *j, const Project *p, Err *e) {
  Stmt *st = db_prepare(db, "INSERT INTO livelihood_progress(project_id, on_day, percent, note, created_at, created_by)"
                            " VALUES (?,?,?,?,?,?) RETURNING id", e);
  if (!st) return -1;
  stmt_bind_int(st, 1, p->id);
  stmt_bind_text(st, 2, j->day);
  stmt_bind_int(st, 3, j->percent);
  stmt_bind_text(st, 4, j->note);
  stmt_bind_int(st, 5, j->now);
  stmt_bind_int(st, 6, j->actor->id);
  int rc = stmt_step(st, e);
  int64_t id = rc == 1 ? stmt_int(st, 0) : 0;
  stmt_done(st);
  if (rc != 1 ||
      db_run(db, e, "UPDATE livelihood_project SET progress = ?, updated_at = ? WHERE id = ?", "iii", j->percent,
             j->now, p->id) < 0 ||
      evidence_put(db, j->actor, p->id, "progress", id, j->aEv, j->nEv, j->now, e))
    return -1;
  return audit(db, j->actor, "livelihood.progress", p->code,
               json_pack("{s:I,s:I,s:s,s:i}", "from", (json_int_t)p->progress, "percent", (json_int_t)j->percent, "on",
                         j->day, "evidence", j->nEv),
               e);
}

json_t *livelihood_progress_add(Store *s, const User *actor, const char *code, const json_t *in, Err *e) {
  ActJob j = {.actor = actor, .code = code, .now = now_ms(), .act = do_progress};
  const json_t *ev = NULL;
  JField f[] = {
      {"percent", J_INT, true, &j.percent, 0, 0, 100, NULL},
      {"note", J_STR, false, j.note, sizeof j.note, 0, 300, NULL},
      {"evidence", J_ARR, false, &ev, 0, 0, 0, NULL},
  };
  if (jsonx_decode(in, f, (int)XQ_COUNT(f), false, e) || evidence_decode(ev, j.aEv, &j.nEv, e)) return NULL;
  time_today_cn(j.day);
  return act(s, &j, e);
}

static int do_report(Db *db, ActJob *j, const Project *p, Err *e) {
  Stmt *st = db_prepare(db, "INSERT INTO livelihood_report(project_id, month, body, percent, created_at, created_by)"
                            " VALUES (?,?,?,?,?,?) ON CONFLICT (project_id, month) DO NOTHING RETURNING id", e);
  if (!st) return -1;
  stmt_bind_int(st, 1, p->id);
  stmt_bind_text(st, 2, j->month);
  stmt_bind_text(st, 3, j->body);
  stmt_bind_int(st, 4, j->percent);
  stmt_bind_int(st, 5, j->now);
  stmt_bind_int(st, 6, j->actor->id);
  int rc = stmt_step(st, e);
  int64_t id = rc == 1 ? stmt_int(st, 0) : 0;
  stmt_done(st);
  if (rc < 0) return -1;
  if (rc == 0)
    return err_setf(e, E_CONFLICT, "livelihood.report_exists", "month", "%s 的月度报告已经报送",
                    "The report of %s is already filed", j->month);
  if (db_run(db, e, "UPDATE livelihood_project SET progress = ?, updated_at = ? WHERE id = ?", "iii", j->percent,
             j->now, p->id) < 0 ||
      db_run(db, e, "INSERT INTO livelihood_progress(project_id, on_day, percent, note, created_at, created_by)"
                    " VALUES (?,?,?,?,?,?)", "itit" "ii", p->id, j->day, j->percent, "月度报告 / monthly report",
             j->now, j->actor->id) < 0 ||
      evidence_put(db, j->actor, p->id, "report", id, j->aEv, j->nEv, j->now, e))
    return -1;
  return audit(db, j->actor, "livelihood.report", p->code,
               json_pack("{s:s,s:I,s:i}", "month", j->month, "percent", (json_int_t)j->percent, "evidence", j->nEv), e);
}

json_t *livelihood_report_add(Store *s, const User *actor, const char *code, const json_t *in, Err *e) {
  ActJob j = {.actor = actor, .code = code, .now = now_ms(), .act = do_report};
  const json_t *ev = NULL;
  JField f[] = {
      {"month", J_STR, true, j.month, sizeof j.month, 0, 0, NULL},
      {"body", J_STR, true, j.body, sizeof j.body, 1, 2000, NULL},
      {"percent", J_INT, true, &j.percent, 0, 0, 100, NULL},
      {"evidence", J_ARR, false, &ev, 0, 0, 0, NULL},
  };
  if (jsonx_decode(in, f, (int)XQ_COUNT(f), false, e) || evidence_decode(ev, j.aEv, &j.nEv, e)) return NULL;
  char first[11];
  int d;
  time_today_cn(j.day);
  snprintf(first, sizeof first, "%.7s-01", j.month);
  if (strlen(j.month) != 7 || cal_parse_date(first, &d) || strncmp(j.month, j.day, 7) > 0)
    return err_setf(e, E_INVALID, "livelihood.bad_month", "month", "月份无效（YYYY-MM）或在本月之后：%s",
                    "Not a month (YYYY-MM), or after this month: %s", j.month),
           NULL;
  return act(s, &j, e);
}

/* ---- behind, comments, moderation ------------------------------------------------- */

json_t *livelihood_behind(Store *s, const User *actor, Err *e) {
  Db *db = store_reader(s);
  char today[11];
  int t = (int)today_day(today);
  bool all = actor->role & (ROLE_ADMIN | ROLE_LEADER | ROLE_AUDITOR) || coordinates(db, actor);
  /* projects with a milestone past due, then judged as any other */
  Stmt *st = db_prepare(db,
                        all ? "SELECT " PROJECT_COLS PROJECT_FROM " WHERE p.id IN (SELECT project_id FROM"
                              " livelihood_milestone WHERE reached_on IS NULL AND planned_on < ?) AND ? >= 0"
                              " ORDER BY p.id"
                            : "SELECT " PROJECT_COLS PROJECT_FROM " WHERE p.id IN (SELECT project_id FROM"
                              " livelihood_milestone WHERE reached_on IS NULL AND planned_on < ?) AND p.dept_id = ?"
                              " ORDER BY p.id",
                        e);
  if (!st) return NULL;
  stmt_bind_text(st, 1, today);
  stmt_bind_int(st, 2, actor->dept_id);
  json_t *items = json_array();
  int rc;
  while ((rc = stmt_step(st, e)) == 1) {
    Project p;
    project_read(st, &p);
    json_t *o = summary(&p);
    free(p.description);
    json_object_set_new(o, "id_", json_integer(p.id));
    json_array_append_new(items, o);
  }
  stmt_done(st);
  if (rc < 0) return json_decref(items), NULL;
  /* each one's milestones (a handful of projects) */
  size_t i;
  json_t *o;
  json_array_foreach(items, i, o) {
    int64_t id = json_integer_value(json_object_get(o, "id_"));
    json_t *one = json_array();
    json_array_append(one, o);
    json_object_del(o, "id_");
    rc = attach_milestones(db, one, &id,
                           "SELECT project_id, id, seq, title, planned_on, reached_on, note FROM livelihood_milestone"
                           " WHERE project_id = ? ORDER BY seq",
                           id, t, e);
    json_decref(one);
    if (rc) return json_decref(items), NULL;
  }
  /* most overdue first */
  size_t n = json_array_size(items);
  for (size_t a = 1; a < n; a++)
    for (size_t b = a; b > 0; b--) {
      json_t *x = json_array_get(items, b - 1), *y = json_array_get(items, b);
      json_int_t dx = json_integer_value(json_object_get(json_object_get(x, "status_reason"), "days_late"));
      json_int_t dy = json_integer_value(json_object_get(json_object_get(y, "status_reason"), "days_late"));
      if (dx >= dy) break;
      json_incref(x);
      json_array_set(items, b - 1, y);
      json_array_set_new(items, b, x);
    }
  return json_pack("{s:o,s:s,s:b}", "items", items, "today", today, "all", all);
}

typedef struct CommentJob {
  const User *actor;
  const char *code;
  int64_t now, rating, id;
  char body[2004], decision[12], reason[804];
} CommentJob;

static int comment_job(Db *db, void *arg, Err *e) {
  CommentJob *j = arg;
  Project p;
  int rc = project_load(db, j->code, &p, e);
  free(p.description);
  if (rc <= 0 || !p.published) return rc < 0 ? -1 : not_found(j->code, e);
  Stmt *st = db_prepare(db, "INSERT INTO livelihood_comment(project_id, account_id, rating, body, created_at)"
                            " VALUES (?,?,?,?,?) ON CONFLICT (project_id, account_id) DO NOTHING RETURNING id", e);
  if (!st) return -1;
  stmt_bind_int(st, 1, p.id);
  stmt_bind_int(st, 2, j->actor->id);
  stmt_bind_int(st, 3, j->rating);
  stmt_bind_text(st, 4, j->body);
  stmt_bind_int(st, 5, j->now);
  rc = stmt_step(st, e);
  j->id = rc == 1 ? stmt_int(st, 0) : 0;
  stmt_done(st);
  if (rc < 0) return -1;
  if (rc == 0)
    return err_set(e, E_CONFLICT, "livelihood.already_rated", NULL, "您已评价过该惠民实事",
                   "You have already rated this project");
  return audit(db, j->actor, "livelihood.comment", p.code,
               json_pack("{s:I,s:I}", "comment", (json_int_t)j->id, "rating", (json_int_t)j->rating), e);
}

json_t *livelihood_comment_add(Store *s, const User *actor, const char *code, const json_t *in, Err *e) {
  if (actor->role != ROLE_APPLICANT)
    return err_set(e, E_FORBIDDEN, "auth.forbidden", NULL, "只有登录的市民可以评价", "Only logged-in citizens rate"),
           NULL;
  CommentJob j = {.actor = actor, .code = code, .now = now_ms()};
  JField f[] = {
      {"rating", J_INT, true, &j.rating, 0, 1, 5, NULL},
      {"body", J_STR, false, j.body, sizeof j.body, 0, 500, NULL},
  };
  if (jsonx_decode(in, f, (int)XQ_COUNT(f), false, e) || store_write(s, comment_job, &j, e)) return NULL;
  return livelihood_get(s, actor, code, e);
}

json_t *livelihood_comments(Store *s, const User *actor, const char *state, Err *e) {
  static const char *const states[] = {"pending", "approved", "rejected", NULL};
  if (!state || !*state) state = "pending";
  if (!in_list(states, state))
    return err_setf(e, E_INVALID, "livelihood.bad_state", "state", "状态应为 pending、approved 或 rejected：%s",
                    "The state is pending, approved or rejected: %s", state),
           NULL;
  bool all = actor->role == ROLE_ADMIN;
  Stmt *st = db_prepare(store_reader(s),
                        all ? "SELECT c.id, c.rating, c.body, c.state, c.reason, c.created_at, a.display, a.username,"
                              " p.code, p.title FROM livelihood_comment c JOIN account a ON a.id = c.account_id"
                              " JOIN livelihood_project p ON p.id = c.project_id WHERE c.state = ? AND ? >= 0"
                              " ORDER BY c.id LIMIT 500"
                            : "SELECT c.id, c.rating, c.body, c.state, c.reason, c.created_at, a.display, a.username,"
                              " p.code, p.title FROM livelihood_comment c JOIN account a ON a.id = c.account_id"
                              " JOIN livelihood_project p ON p.id = c.project_id WHERE c.state = ? AND p.dept_id = ?"
                              " ORDER BY c.id LIMIT 500",
                        e);
  if (!st) return NULL;
  stmt_bind_text(st, 1, state);
  stmt_bind_int(st, 2, all ? 0 : actor->dept_id);
  json_t *items = json_array();
  int rc;
  while ((rc = stmt_step(st, e)) == 1) {
    json_t *c = comment_row(NULL, st, 0);
    json_object_set_new(c, "project", json_pack("{s:s,s:s}", "code", stmt_text(st, 8), "title", stmt_text(st, 9)));
    json_array_append_new(items, c);
  }
  stmt_done(st);
  if (rc < 0) return json_decref(items), NULL;
  return json_pack("{s:o,s:s}", "items", items, "state", state);
}

static int moderate_job(Db *db, void *arg, Err *e) {
  CommentJob *j = arg;
  Stmt *st = db_prepare(db, "SELECT p.code, p.dept_id, c.state FROM livelihood_comment c JOIN livelihood_project p"
                            " ON p.id = c.project_id WHERE c.id = ?", e);
  if (!st) return -1;
  stmt_bind_int(st, 1, j->id);
  int rc = stmt_step(st, e);
  char code[24] = "", state[16] = "";
  int64_t dept = 0;
  if (rc == 1) {
    copy(code, sizeof code, stmt_text(st, 0));
    dept = stmt_int(st, 1);
    copy(state, sizeof state, stmt_text(st, 2));
  }
  stmt_done(st);
  if (rc < 0) return -1;
  if (rc == 0)
    return err_set(e, E_NOTFOUND, "livelihood.no_comment", "id", "没有找到该评价", "No such comment");
  if (!manages(j->actor, dept)) return forbidden(e);
  if (strcmp(state, "pending") != 0)
    return err_setf(e, E_CONFLICT, "livelihood.already_moderated", NULL, "该评价已审核（%s）",
                    "The comment is already moderated (%s)", state);
  const char *to = strcmp(j->decision, "approve") == 0 ? "approved" : "rejected";
  if (db_run(db, e, "UPDATE livelihood_comment SET state = ?, reason = ?, moderated_by = ?, moderated_at = ?"
                    " WHERE id = ? AND state = 'pending'", "ttiii", to, j->reason, j->actor->id, j->now, j->id) < 0)
    return -1;
  return audit(db, j->actor, "livelihood.moderate", code,
               json_pack("{s:I,s:s,s:s}", "comment", (json_int_t)j->id, "state", to, "reason", j->reason), e);
}

json_t *livelihood_moderate(Store *s, const User *actor, int64_t id, const json_t *in, Err *e) {
  CommentJob j = {.actor = actor, .id = id, .now = now_ms()};
  JField f[] = {
      {"decision", J_STR, true, j.decision, sizeof j.decision, 0, 0, NULL},
      {"reason", J_STR, false, j.reason, sizeof j.reason, 0, 200, NULL},
  };
  if (jsonx_decode(in, f, (int)XQ_COUNT(f), false, e)) return NULL;
  if (strcmp(j.decision, "approve") != 0 && strcmp(j.decision, "reject") != 0)
    return err_setf(e, E_INVALID, "livelihood.bad_decision", "decision", "审核结果应为 approve 或 reject：%s",
                    "The decision is approve or reject: %s", j.decision),
           NULL;
  if (strcmp(j.decision, "reject") == 0 && !j.reason[0])
    return err_set(e, E_INVALID, "livelihood.reason_required", "reason", "不予公开须说明理由",
                   "A rejection needs its reason"),
           NULL;
  if (store_write(s, moderate_job, &j, e)) return NULL;
  return json_pack("{s:I,s:s,s:s}", "id", (json_int_t)id, "state",
                   strcmp(j.decision, "approve") == 0 ? "approved" : "rejected", "reason", j.reason);
}

/* ---- the year's figures ------------------------------------------------------------ */

/* Tally: one group's counts. */
typedef struct Tally {
  int64_t total, n[3], progress;
} Tally;

static void tally_add(Tally *t, int st, int64_t progress) {
  t->total++;
  t->n[st]++;
  t->progress += progress;
}

/* mean() is sum / n to one decimal, rounded half up, as exact text. */
static json_t *mean(int64_t sum, int64_t n) {
  if (!n) return json_string("0.0");
  int64_t tenths = (sum * 20 + n) / (2 * n);
  char out[48];
  snprintf(out, sizeof out, "%lld.%lld", (long long)(tenths / 10), (long long)(tenths % 10));
  return json_string(out);
}

static json_t *tally_json(const Tally *t) {
  return json_pack("{s:I,s:I,s:I,s:I,s:o}", "total", (json_int_t)t->total, "on_track", (json_int_t)t->n[0], "behind",
                   (json_int_t)t->n[1], "done", (json_int_t)t->n[2], "progress", mean(t->progress, t->total));
}

/* group() adds item it to the group of key in groups (an object of {key: index}) and list. */
static void group(json_t *index, Tally **a, size_t *n, json_t *keys, const char *key, json_t *label, int st,
                  int64_t progress) {
  json_t *at = json_object_get(index, key);
  size_t i;
  if (at) {
    i = (size_t)json_integer_value(at);
    json_decref(label);
  } else {
    i = (*n)++;
    *a = xrealloc(*a, *n * sizeof **a);
    memset(&(*a)[i], 0, sizeof **a);
    json_object_set_new(index, key, json_integer((json_int_t)i));
    json_array_append_new(keys, label);
  }
  tally_add(&(*a)[i], st, progress);
}

json_t *livelihood_summary(Store *s, const User *actor, int year, Err *e) {
  LvQuery q = {.year = year};
  json_t *list = livelihood_list(s, actor, &q, e);
  if (!list) return NULL;
  Tally all = {0}, *aDept = NULL, *aCat = NULL;
  size_t nDept = 0, nCat = 0, i;
  int64_t budget = 0;
  json_t *dIndex = json_object(), *cIndex = json_object(), *dKeys = json_array(), *cKeys = json_array(), *it;
  json_t *behind = json_array();
  json_array_foreach(json_object_get(list, "items"), i, it) {
    const char *stt = json_string_value(json_object_get(it, "status"));
    int st = strcmp(stt, "behind") == 0 ? 1 : strcmp(stt, "done") == 0 ? 2 : 0;
    int64_t progress = json_integer_value(json_object_get(it, "progress"));
    json_t *dept = json_object_get(it, "dept");
    tally_add(&all, st, progress);
    budget += json_integer_value(json_object_get(it, "budget_fen"));
    group(dIndex, &aDept, &nDept, dKeys, json_string_value(json_object_get(dept, "code")), json_incref(dept), st,
          progress);
    group(cIndex, &aCat, &nCat, cKeys, json_string_value(json_object_get(it, "category")),
          json_incref(json_object_get(it, "category")), st, progress);
    if (st == 1)
      json_array_append_new(behind, json_pack("{s:O,s:O,s:O,s:O}", "code", json_object_get(it, "code"), "title",
                                              json_object_get(it, "title"), "dept", dept, "status_reason",
                                              json_object_get(it, "status_reason")));
  }
  json_t *byDept = json_array(), *byCat = json_array();
  for (i = 0; i < nDept; i++) {
    json_t *o = tally_json(&aDept[i]);
    json_object_set(o, "dept", json_array_get(dKeys, i));
    json_array_append_new(byDept, o);
  }
  for (i = 0; i < nCat; i++) {
    json_t *o = tally_json(&aCat[i]);
    json_object_set(o, "category", json_array_get(cKeys, i));
    json_array_append_new(byCat, o);
  }
  /* most overdue first */
  size_t n = json_array_size(behind);
  for (size_t a = 1; a < n; a++)
    for (size_t b = a; b > 0; b--) {
      json_t *x = json_array_get(behind, b - 1), *y = json_array_get(behind, b);
      if (json_integer_value(json_object_get(json_object_get(x, "status_reason"), "days_late")) >=
          json_integer_value(json_object_get(json_object_get(y, "status_reason"), "days_late")))
        break;
      json_incref(x);
      json_array_set(behind, b - 1, y);
      json_array_set_new(behind, b, x);
    }
  json_t *out = tally_json(&all);
  json_object_set_new(out, "year", json_integer(year));
  json_object_set(out, "today", json_object_get(list, "today"));
  json_object_set(out, "counts", json_object_get(list, "counts"));
  json_object_set_new(out, "budget_fen", json_integer(budget));
  json_object_set_new(out, "budget", money_json(budget));
  json_object_set_new(out, "by_dept", byDept);
  json_object_set_new(out, "by_category", byCat);
  json_object_set_new(out, "projects_behind", behind);
  free(aDept);
  free(aCat);
  json_decref(dIndex);
  json_decref(cIndex);
  json_decref(dKeys);
  json_decref(cKeys);
  json_decref(list);
  return out;
}

/* ---- the public page -------------------------------------------------------------- */

json_t *livelihood_public(Store *s, int year, Err *e) {
  Db *db = store_reader(s);
  User anon = {0};
  LvQuery q = {.year = year};
  json_t *list = livelihood_list(s, &anon, &q, e);
  if (!list) return NULL;
  /* only what the public may see of each */
  json_t *items = json_array(), *it;
  size_t i;
  json_array_foreach(json_object_get(list, "items"), i, it) {
    json_t *ms = json_array(), *m;
    size_t k;
    json_array_foreach(json_object_get(it, "milestones"), k, m)
        json_array_append_new(ms, json_pack("{s:O,s:O,s:O,s:O,s:O}", "title", json_object_get(m, "title"),
                                            "planned_on", json_object_get(m, "planned_on"), "reached_on",
                                            json_object_get(m, "reached_on"), "state", json_object_get(m, "state"),
                                            "days_late", json_object_get(m, "days_late")));
    json_array_append_new(items, json_pack("{s:O,s:O,s:O,s:O,s:O,s:O,s:O,s:O,s:O,s:O,s:O,s:o,s:o,s:{s:i,s:s}}",
                                           "code", json_object_get(it, "code"), "title", json_object_get(it, "title"),
                                           "category", json_object_get(it, "category"), "dept",
                                           json_object_get(it, "dept"), "budget", json_object_get(it, "budget"),
                                           "target", json_object_get(it, "target"), "description",
                                           json_object_get(it, "description"), "progress",
                                           json_object_get(it, "progress"), "status", json_object_get(it, "status"),
                                           "status_reason", json_object_get(it, "status_reason"), "demo",
                                           json_object_get(it, "demo"), "milestones", ms, "comments", json_array(),
                                           "rating", "count", 0, "average", ""));
  }
  /* the approved comments of the year's published projects, names masked */
  Stmt *st = db_prepare(db,
                        "SELECT p.code, c.rating, c.body, c.created_at, a.display FROM livelihood_comment c"
                        " JOIN livelihood_project p ON p.id = c.project_id JOIN account a ON a.id = c.account_id"
                        " WHERE p.year = ? AND p.published = 1 AND c.state = 'approved' ORDER BY p.id, c.id DESC",
                        e);
  if (!st) return json_decref(list), json_decref(items), NULL;
  stmt_bind_int(st, 1, year);
  int rc;
  size_t k = 0, n = json_array_size(items);
  while ((rc = stmt_step(st, e)) == 1) {
    const char *code = stmt_text(st, 0);
    for (size_t t = 0; t < n; t++) {
      json_t *o = json_array_get(items, (k + t) % n);
      if (strcmp(json_string_value(json_object_get(o, "code")), code) != 0) continue;
      k = (k + t) % n;
      json_array_append_new(json_object_get(o, "comments"),
                            json_pack("{s:o,s:i,s:s,s:o}", "name", mask_name(stmt_text(st, 4)), "rating",
                                      (int)stmt_int(st, 1), "body", stmt_text(st, 2), "at",
                                      jsonx_time(stmt_int(st, 3))));
      break;
    }
  }
  stmt_done(st);
  if (rc < 0) return json_decref(list), json_decref(items), NULL;
  /* each one's rating: count and average to one decimal, exact, half up */
  json_array_foreach(items, i, it) {
    json_t *cs = json_object_get(it, "comments"), *c;
    int64_t total = 0, cnt = (int64_t)json_array_size(cs);
    json_array_foreach(cs, k, c) total += json_integer_value(json_object_get(c, "rating"));
    if (!cnt) continue;
    int64_t tenths = (total * 10 * 2 + cnt) / (2 * cnt);
    char avg[48];
    snprintf(avg, sizeof avg, "%lld.%lld", (long long)(tenths / 10), (long long)(tenths % 10));
    json_object_set_new(it, "rating", json_pack("{s:I,s:s}", "count", (json_int_t)cnt, "average", avg));
  }
  json_t *out = json_pack("{s:i,s:O,s:o,s:O}", "year", year, "today", json_object_get(list, "today"), "items", items,
                          "counts", json_object_get(list, "counts"));
  json_decref(list);
  return out;
}

bool livelihood_may_read_blob(Db *db, const User *u, const char *sha256) {
  if (!u->id) return false;
  Err e = {0};
  Stmt *st = db_prepare(db,
                        "SELECT p.published FROM livelihood_evidence v JOIN livelihood_project p ON p.id = v.project_id"
                        " WHERE v.sha256 = ? ORDER BY p.published DESC LIMIT 1",
                        &e);
  if (!st) return false;
  stmt_bind_text(st, 1, sha256 ? sha256 : "");
  bool ok = stmt_step(st, &e) == 1 && (sees_all(u) || stmt_int(st, 0) != 0);
  stmt_done(st);
  return ok;
}
