/*
** talent_feed.c — the 双一流 lists, the employer by USCC and the monthly 社保
** and 个税 feeds of talent records (talent_feed.h).
*/
#include "talent_feed.h"
#include "talent_pay.h"
#include "audit.h"
#include "../base/cal.h"
#include "../base/codes.h"
#include "../base/sheet.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *embedded_get(const char *name, size_t *n);

/* ---- the 双一流 lists ---------------------------------------------------------- */

typedef struct Edition {
  char edition[8], from[11], document[64], title[400];
} Edition;

typedef struct School {
  char edition[8], name[160], cls[32], group[4], aliases[400];
} School;

static struct {
  pthread_once_t once;
  bool ok;
  Edition ed[8];
  int nEd;
  School *a;
  int n;
} lists = {.once = PTHREAD_ONCE_INIT};

/* fields() splits line (changed) at commas into at most max parts. */
static int fields(char *line, char **part, int max) {
  int n = 0;
  part[n++] = line;
  for (char *p = line; *p && n < max; p++)
    if (*p == ',') *p = 0, part[n++] = p + 1;
  return n;
}

/* each_line() calls fn(ctx, parts, n) for every line of the embedded file
** name but comments and the header. -1 when the file is missing. */
static int each_line(const char *name, int cols, void (*fn)(char **part, int n)) {
  size_t len;
  const char *text = embedded_get(name, &len);
  if (!text) return -1;
  char *copy = malloc(len + 1);
  memcpy(copy, text, len);
  copy[len] = 0;
  bool header = true;
  for (char *line = copy, *next; line && *line; line = next) {
    next = strchr(line, '\n');
    if (next) *next++ = 0;
    size_t k = strlen(line);
    if (k && line[k - 1] == '\r') line[k - 1] = 0;
    if (!*line || *line == '#') continue;
    if (header) {
      header = false;
      continue;
    }
    char *part[8] = {0};
    int n = fields(line, part, cols);
    fn(part, n);
  }
  free(copy);
  return 0;
}

static void edition_line(char **p, int n) {
  if (n < 4 || lists.nEd == (int)XQ_COUNT(lists.ed)) return;
  Edition *e = &lists.ed[lists.nEd++];
  snprintf(e->edition, sizeof e->edition, "%s", p[0]);
  snprintf(e->from, sizeof e->from, "%s", p[1]);
  snprintf(e->document, sizeof e->document, "%s", p[2]);
  snprintf(e->title, sizeof e->title, "%s", p[3]);
}

static void school_line(char **p, int n) {
  if (n < 5) return;
  School *s = realloc(lists.a, sizeof *s * (size_t)(lists.n + 1));
  if (!s) return;
  lists.a = s;
  s = &lists.a[lists.n++];
  snprintf(s->edition, sizeof s->edition, "%s", p[0]);
  snprintf(s->name, sizeof s->name, "%s", p[1]);
  snprintf(s->cls, sizeof s->cls, "%s", p[2]);
  snprintf(s->group, sizeof s->group, "%s", p[3]);
  snprintf(s->aliases, sizeof s->aliases, "%s", p[4]);
}

static void lists_load(void) {
  lists.ok = each_line("talent/shuangyiliu_editions.csv", 4, edition_line) == 0 &&
             each_line("talent/shuangyiliu.csv", 5, school_line) == 0 && lists.nEd > 0 && lists.n > 0;
}

/* norm() is name without blanks around it, half-width brackets made
** full-width (the lists write （北京）). */
static void norm(const char *name, char *out, size_t cap) {
  size_t k = 0;
  while (*name == ' ' || *name == '\t') name++;
  for (; *name && k + 4 < cap; name++) {
    if (*name == '(') memcpy(out + k, "（", 3), k += 3;
    else if (*name == ')') memcpy(out + k, "）", 3), k += 3;
    else out[k++] = *name;
  }
  while (k && (out[k - 1] == ' ' || out[k - 1] == '\t')) k--;
  out[k] = 0;
}

/* alias_has() is true when the "|"-separated list has name. */
static bool alias_has(const char *list, const char *name) {
  size_t n = strlen(name);
  for (const char *p = list; *p;) {
    const char *bar = strchr(p, '|');
    size_t k = bar ? (size_t)(bar - p) : strlen(p);
    if (k == n && memcmp(p, name, n) == 0) return true;
    if (!bar) break;
    p = bar + 1;
  }
  return false;
}

int talent_school_lookup(const char *name, const char *on, TalentSchool *out) {
  pthread_once(&lists.once, lists_load);
  memset(out, 0, sizeof *out);
  int day;
  if (!lists.ok || (on && cal_parse_date(on, &day))) return -1;
  /* the edition in force: the latest whose from is on or before on */
  const Edition *ed = NULL;
  for (int i = 0; i < lists.nEd; i++)
    if ((!on || strcmp(lists.ed[i].from, on) <= 0) && (!ed || strcmp(lists.ed[i].from, ed->from) > 0)) ed = &lists.ed[i];
  if (!ed) return 0;
  snprintf(out->edition, sizeof out->edition, "%s", ed->edition);
  snprintf(out->from, sizeof out->from, "%s", ed->from);
  snprintf(out->document, sizeof out->document, "%s", ed->document);
  char want[480];
  norm(name ? name : "", want, sizeof want);
  if (!*want) return 0;
  for (int pass = 0; pass < 2; pass++)
    for (int i = 0; i < lists.n; i++) {
      const School *s = &lists.a[i];
      if (strcmp(s->edition, ed->edition) != 0) continue;
      if (pass == 0 ? strcmp(s->name, want) != 0 : !alias_has(s->aliases, want)) continue;
      snprintf(out->name, sizeof out->name, "%s", s->name);
      snprintf(out->cls, sizeof out->cls, "%s", s->cls);
      snprintf(out->group, sizeof out->group, "%s", s->group);
      return 1;
    }
  return 0;
}

json_t *talent_facts_school(const json_t *facts) {
  const char *school = json_string_value(json_object_get(facts, "school"));
  const char *on = json_string_value(json_object_get(facts, "graduated_on"));
  TalentSchool t;
  if (!json_is_object(facts) || !school || json_object_get(facts, "school_class") || !on ||
      talent_school_lookup(school, on, &t) != 1)
    return json_incref((json_t *)facts);
  json_t *out = json_copy((json_t *)facts);
  json_object_set_new(out, "school_class", json_string(t.cls));
  return out;
}

json_t *talent_schools(void) {
  pthread_once(&lists.once, lists_load);
  if (!lists.ok) return NULL;
  json_t *eds = json_array(), *items = json_array();
  for (int i = 0; i < lists.nEd; i++) {
    int64_t u = 0, d = 0;
    for (int k = 0; k < lists.n; k++)
      if (strcmp(lists.a[k].edition, lists.ed[i].edition) == 0)
        strcmp(lists.a[k].cls, "world_class_university") == 0 ? u++ : d++;
    json_array_append_new(eds, json_pack("{s:s,s:s,s:s,s:s,s:I,s:I}", "edition", lists.ed[i].edition, "from",
                                         lists.ed[i].from, "document", lists.ed[i].document, "title",
                                         lists.ed[i].title, "universities", (json_int_t)u, "disciplines",
                                         (json_int_t)d));
  }
  for (int k = 0; k < lists.n; k++)
    json_array_append_new(items, json_pack("{s:s,s:s,s:s,s:s,s:s}", "edition", lists.a[k].edition, "name",
                                           lists.a[k].name, "class", lists.a[k].cls, "group", lists.a[k].group,
                                           "aliases", lists.a[k].aliases));
  return json_pack("{s:o,s:o}", "editions", eds, "items", items);
}

/* ---- months ------------------------------------------------------------------- */

static int by_month(const void *a, const void *b) {
  const char *x = json_string_value(json_object_get(*(json_t *const *)a, "month"));
  const char *y = json_string_value(json_object_get(*(json_t *const *)b, "month"));
  return strcmp(x ? x : "", y ? y : "");
}

json_t *talent_months_merge(const json_t *have, const json_t *feed) {
  size_t i, k, n = json_array_size(have) + json_array_size(feed), m = 0;
  json_t *x, *y, **a = calloc(n ? n : 1, sizeof *a);
  json_array_foreach((json_t *)have, i, x) {
    const char *month = json_string_value(json_object_get(x, "month"));
    bool replaced = false;
    json_array_foreach((json_t *)feed, k, y) {
      const char *fm = json_string_value(json_object_get(y, "month"));
      replaced = replaced || (month && fm && strcmp(month, fm) == 0);
    }
    if (!replaced) a[m++] = x;
  }
  json_array_foreach((json_t *)feed, k, y) a[m++] = y;
  qsort(a, m, sizeof *a, by_month);
  json_t *out = json_array();
  for (i = 0; i < m; i++) json_array_append(out, a[i]);
  free(a);
  return out;
}

/* ---- derived facts ------------------------------------------------------------ */

/* auto_source() is true when sources gives key a derived fact's source. */
static bool auto_source(const json_t *sources, const char *key) {
  const char *s = json_string_value(json_object_get(sources, key));
  return s && strncmp(s, TALENT_AUTO, strlen(TALENT_AUTO)) == 0;
}

static const char *status_zh(const char *st) {
  return strcmp(st, "active") == 0 ? "存续" : strcmp(st, "revoked") == 0 ? "吊销" : strcmp(st, "cancelled") == 0 ? "注销" : st;
}

/* entity_of() reads the registry entity uscc: 1 with name and status, 0
** when none, -1 with *e. */
static int entity_of(Db *db, const char *uscc, char *name, size_t cap, char status[16], Err *e) {
  Stmt *st = db_prepare(db, "SELECT name, status FROM entity WHERE uscc = ?", e);
  if (!st) return -1;
  stmt_bind_text(st, 1, uscc);
  int rc = stmt_step(st, e);
  if (rc == 1) {
    snprintf(name, cap, "%s", stmt_text(st, 0));
    snprintf(status, 16, "%s", stmt_text(st, 1));
  }
  stmt_done(st);
  return rc;
}

int talent_record_derive(Db *db, json_t *facts, json_t *sources, Err *e) {
  static const char *const derived[] = {"school_class", "employer_in_jinpu"};
  for (size_t i = 0; i < XQ_COUNT(derived); i++)
    if (auto_source(sources, derived[i])) {
      json_object_del(facts, derived[i]);
      json_object_del(sources, derived[i]);
    }
  /* the school's class, from the list in force on the graduation date */
  const char *school = json_string_value(json_object_get(facts, "school"));
  if (school && !json_object_get(facts, "school_class")) {
    TalentSchool t;
    const char *on = json_string_value(json_object_get(facts, "graduated_on"));
    if (on && talent_school_lookup(school, on, &t) == 1) {
      json_object_set_new(facts, "school_class", json_string(t.cls));
      char src[200];
      snprintf(src, sizeof src, "%s双一流建设高校名单 %s 版（%s）：%s%s%s", TALENT_AUTO, t.edition, t.document,
               strcmp(t.cls, "world_class_university") == 0 ? "一流大学建设高校" : "一流学科建设高校",
               t.group[0] ? t.group : "", t.group[0] ? "类" : "");
      json_object_set_new(sources, "school_class", json_string(src));
    }
  }
  /* the employer, from the registry */
  const char *uscc = json_string_value(json_object_get(facts, "employer_uscc"));
  if (uscc) {
    char reason[200], name[404], status[16];
    if (codes_uscc_check(uscc, reason, sizeof reason))
      return err_set_reason(e, E_INVALID, "talent.bad_uscc", "employer_uscc", "用人单位统一社会信用代码无效：%s",
                      "Not a valid USCC: %s", reason);
    int rc = entity_of(db, uscc, name, sizeof name, status, e);
    if (rc < 0) return -1;
    if (rc == 0)
      return err_setf(e, E_INVALID, "talent.no_employer", "employer_uscc", "市场主体登记中没有该用人单位：%s",
                      "The registry has no entity %s", uscc);
    if (!json_object_get(facts, "employer_in_jinpu")) {
      bool in = strcmp(status, "active") == 0;
      json_object_set_new(facts, "employer_in_jinpu", json_boolean(in));
      char src[200];
      snprintf(src, sizeof src, "%s新区市场主体登记 %s（%s）", TALENT_AUTO, uscc, status_zh(status));
      json_object_set_new(sources, "employer_in_jinpu", json_string(src));
    }
  }
  return 0;
}

int talent_record_links(Db *db, json_t *record, Err *e) {
  const char *uscc = json_string_value(json_object_get(json_object_get(record, "facts"), "employer_uscc"));
  if (!uscc) return 0;
  char name[404], status[16];
  int rc = entity_of(db, uscc, name, sizeof name, status, e);
  if (rc < 0) return -1;
  if (rc == 1)
    json_object_set_new(record, "employer",
                        json_pack("{s:s,s:s,s:s,s:b}", "uscc", uscc, "name", name, "status", status, "in_new_area",
                                  strcmp(status, "active") == 0));
  return 0;
}

/* ---- the feeds ---------------------------------------------------------------- */

static const SheetCol cols[] = {
    {"number", "证件号码", SK_TEXT, SC_REQUIRED, NULL, 22},
    {"name", "姓名", SK_TEXT, 0, NULL, 12},
    {"month", "所属期", SK_TEXT, SC_REQUIRED, NULL, 10},
    {"place", "缴纳地", SK_TEXT, SC_REQUIRED, NULL, 10},
    {"back_paid", "是否补缴", SK_BOOL, 0, NULL, 10},
    {"employer_uscc", "扣缴义务人统一社会信用代码", SK_TEXT, 0, NULL, 26},
};
static const SheetTable si_table = {"社保缴纳记录", cols, 5, NULL, NULL};
static const SheetTable tax_table = {"个税缴纳记录", cols, 6, NULL, NULL};

/* FeedRow: one checked row. */
typedef struct FeedRow {
  int64_t person_id;
  char month[8], place[8], uscc[19];
  bool back_paid;
} FeedRow;

typedef struct FeedJob {
  const User *actor;
  Db *db;
  const char *feed;
  bool tax, dry_run;
  int64_t now;
  FeedRow *a;
  int n;
  json_t *seen;    /* "person_id month" → line */
  int64_t persons_changed, months;
} FeedJob;

/* month_read() reads a 所属期: YYYY-MM, YYYY/M, YYYY.M, YYYY年M月, YYYYMM. */
static bool month_read(const char *s, char out[8]) {
  int y = 0, m = 0, used = 0;
  if (!s) return false;
  if (strlen(s) == 6 && sscanf(s, "%4d%2d%n", &y, &m, &used) == 2 && used == 6) {
  } else if (sscanf(s, "%4d-%2d%n", &y, &m, &used) == 2 && !s[used]) {
  } else if (sscanf(s, "%4d/%2d%n", &y, &m, &used) == 2 && !s[used]) {
  } else if (sscanf(s, "%4d.%2d%n", &y, &m, &used) == 2 && !s[used]) {
  } else if (sscanf(s, "%4d年%2d月%n", &y, &m, &used) == 2 && !s[used]) {
  } else return false;
  if (y < 1990 || y > 2100 || m < 1 || m > 12) return false;
  snprintf(out, 8, "%04d-%02d", y, m);
  return true;
}

/* place_read() reads a 缴纳地: a label, a code or a six-digit division
** (210213 金州区, the New Area's; other 2102xx: Dalian). */
static bool place_read(const char *s, char out[8]) {
  static const char *const map[][2] = {{"金普", "jinpu"},     {"金普新区", "jinpu"}, {"大连金普新区", "jinpu"},
                                       {"jinpu", "jinpu"},    {"大连", "dalian"},   {"大连市", "dalian"},
                                       {"dalian", "dalian"},  {"其他", "other"},    {"other", "other"}};
  if (!s) return false;
  for (size_t i = 0; i < XQ_COUNT(map); i++)
    if (strcmp(s, map[i][0]) == 0) return snprintf(out, 8, "%s", map[i][1]), true;
  size_t n = strlen(s);
  for (size_t i = 0; i < n; i++)
    if (s[i] < '0' || s[i] > '9') return false;
  if (n != 6) return false;
  snprintf(out, 8, "%s", strcmp(s, "210213") == 0 ? "jinpu" : strncmp(s, "2102", 4) == 0 ? "dalian" : "other");
  return true;
}

/* person_of() finds the registry person of number: 1 with id and name, 0,
** or -1. A citizen's number is checked (and normalised) first; anything
** else is looked up as a passport. */
static int person_of(Db *db, const char *number, int64_t *id, char *name, size_t cap, char *reason, size_t rcap,
                     Err *e) {
  char n18[19];
  bool citizen = codes_id_check(number, n18, reason, rcap) == 0;
  if (!citizen) {
    bool digits = strlen(number) >= 15;
    for (const char *c = number; digits && *c; c++) digits = (*c >= '0' && *c <= '9') || *c == 'X' || *c == 'x';
    if (digits) return 0; /* an ID number that fails its check: reason says why */
    reason[0] = 0;
  }
  Stmt *st = db_prepare(db, "SELECT id, name FROM person WHERE id_kind = ? AND id_number = ? ORDER BY id LIMIT 1", e);
  if (!st) return -1;
  stmt_bind_text(st, 1, citizen ? "id" : "passport");
  stmt_bind_text(st, 2, citizen ? n18 : number);
  int rc = stmt_step(st, e);
  if (rc == 1) {
    *id = stmt_int(st, 0);
    snprintf(name, cap, "%s", stmt_text(st, 1));
  }
  stmt_done(st);
  return rc;
}

static int feed_decode(void *ctx, int i, const json_t *row, int64_t line, Err *why) {
  FeedJob *j = ctx;
  (void)i;
  FeedRow r = {0};
  const char *number = json_string_value(json_object_get(row, "number"));
  const char *name = json_string_value(json_object_get(row, "name"));
  if (!number || !*number)
    return err_set(why, E_INVALID, "talent.bad_number", "number", "请填写证件号码", "The ID number is missing");
  char reason[200] = "", pname[64];
  int rc = person_of(j->db, number, &r.person_id, pname, sizeof pname, reason, sizeof reason, why);
  if (rc < 0) return -1;
  if (rc == 0 && reason[0])
    return err_set_reason(why, E_INVALID, "talent.bad_number", "number", "证件号码无效：%s", "Not a valid ID number: %s",
                    reason);
  if (rc == 0)
    return err_set(why, E_INVALID, "talent.unknown_person", "number", "登记的人员中没有该证件号码",
                   "No registered person has that ID number");
  if (name && *name && strcmp(name, pname) != 0)
    return err_set(why, E_INVALID, "talent.name_mismatch", "name", "姓名与登记的人员不符",
                   "The name is not the registered person's");
  if (!month_read(json_string_value(json_object_get(row, "month")), r.month))
    return err_set(why, E_INVALID, "talent.bad_month", "month", "所属期应为年月，如 2024-08",
                   "The month is a year and month, e.g. 2024-08");
  if (!place_read(json_string_value(json_object_get(row, "place")), r.place))
    return err_set(why, E_INVALID, "talent.bad_place", "place", "缴纳地应为 金普、大连、其他 或六位行政区划代码",
                   "The place is 金普, 大连, 其他 or a six-digit division code");
  r.back_paid = json_is_true(json_object_get(row, "back_paid"));
  const char *uscc = json_string_value(json_object_get(row, "employer_uscc"));
  if (uscc && *uscc) {
    if (codes_uscc_check(uscc, reason, sizeof reason))
      return err_set_reason(why, E_INVALID, "talent.bad_uscc", "employer_uscc", "扣缴义务人统一社会信用代码无效：%s",
                      "Not a valid USCC: %s", reason);
    snprintf(r.uscc, sizeof r.uscc, "%s", uscc);
  }
  char key[48];
  snprintf(key, sizeof key, "%lld %s", (long long)r.person_id, r.month);
  json_t *first = json_object_get(j->seen, key);
  if (first)
  {
    char n[24];
    snprintf(n, sizeof n, "%lld", (long long)json_integer_value(first));
    return err_setf(why, E_INVALID, "talent.duplicate", "month", "同一人同一所属期已在第 %s 行",
                    "The same person's month is on line %s already", n);
  }
  json_object_set_new(j->seen, key, json_integer(line));
  FeedRow *a = realloc(j->a, sizeof *a * (size_t)(j->n + 1));
  if (!a) return err_set(why, E_INTERNAL, "internal", NULL, "内存不足", "Out of memory");
  j->a = a;
  j->a[j->n++] = r;
  return 0;
}

static int by_person(const void *a, const void *b) {
  const FeedRow *x = a, *y = b;
  return x->person_id < y->person_id ? -1 : x->person_id > y->person_id ? 1 : strcmp(x->month, y->month);
}

static json_t *month_json(const FeedRow *r, bool tax) {
  json_t *m = json_pack("{s:s,s:s,s:b}", "month", r->month, "place", r->place, "back_paid", r->back_paid);
  if (tax && r->uscc[0]) json_object_set_new(m, "employer_uscc", json_string(r->uscc));
  return m;
}

static int feed_job(Db *db, void *arg, Err *e) {
  FeedJob *j = arg;
  j->persons_changed = j->months = 0;
  char src[200], today[11];
  snprintf(src, sizeof src, "%s数据导入（%s）", j->tax ? "税务部门个人所得税" : "社会保险", time_today_cn(today));
  for (int i = 0; i < j->n;) {
    int k = i;
    json_t *feed = json_array();
    while (k < j->n && j->a[k].person_id == j->a[i].person_id) json_array_append_new(feed, month_json(&j->a[k++], j->tax));
    int64_t pid = j->a[i].person_id;
    Stmt *st = db_prepare(db, "SELECT facts, sources FROM talent_record WHERE person_id = ?", e);
    if (!st) return json_decref(feed), -1;
    stmt_bind_int(st, 1, pid);
    int rc = stmt_step(st, e);
    json_t *facts = rc == 1 ? json_loads(stmt_text(st, 0), 0, NULL) : NULL;
    json_t *sources = rc == 1 ? json_loads(stmt_text(st, 1), 0, NULL) : NULL;
    stmt_done(st);
    if (rc < 0) return json_decref(feed), -1;
    if (!json_is_object(facts)) json_decref(facts), facts = json_object();
    if (!json_is_object(sources)) json_decref(sources), sources = json_object();
    json_t *merged = talent_months_merge(json_object_get(facts, j->feed), feed);
    bool same = json_equal(merged, json_object_get(facts, j->feed));
    int64_t w = 0;
    if (!same) {
      json_object_set_new(facts, j->feed, merged);
      json_object_set_new(sources, j->feed, json_string(src));
      char *f = json_dumps(facts, JSON_COMPACT), *s = json_dumps(sources, JSON_COMPACT);
      w = db_run(db, e,
                 "INSERT INTO talent_record(person_id, facts, sources, updated_at, updated_by) VALUES (?,?,?,?,?)"
                 " ON CONFLICT (person_id) DO UPDATE SET facts = excluded.facts, sources = excluded.sources,"
                 " updated_at = excluded.updated_at, updated_by = excluded.updated_by",
                 "ittii", pid, f, s, j->now, j->actor->id);
      free(f);
      free(s);
      char obj[48];
      snprintf(obj, sizeof obj, "talent_record:%lld", (long long)pid);
      json_t *d = json_pack("{s:s,s:O}", "feed", j->feed, "months", feed);
      if (w >= 0) w = audit_append(db, j->actor, "talent.record.feed", obj, d, e);
      json_decref(d);
      j->persons_changed++;
    } else {
      json_decref(merged);
    }
    j->months += (int64_t)json_array_size(feed);
    json_decref(feed);
    json_decref(facts);
    json_decref(sources);
    if (w < 0) return -1;
    i = k;
  }
  json_t *d = json_pack("{s:s,s:i,s:I,s:I}", "feed", j->feed, "rows", j->n, "persons", (json_int_t)j->persons_changed,
                        "months", (json_int_t)j->months);
  int rc = audit_append(db, j->actor, "talent.feed.import", j->feed, d, e);
  json_decref(d);
  if (rc == 0 && j->dry_run)
    return err_set(e, E_INVALID, "import.dry_run", NULL, "检查通过（仅检查，未导入）", "Checked only: nothing imported");
  return rc;
}

static int feed_kind(const char *feed, bool *tax, Err *e) {
  if (feed && strcmp(feed, "social_insurance") == 0) return *tax = false, 0;
  if (feed && strcmp(feed, "income_tax") == 0) return *tax = true, 0;
  return err_set(e, E_NOTFOUND, "talent.no_feed", "feed", "没有这一数据来源（social_insurance 社保、income_tax 个税）",
                 "No such feed (social_insurance, income_tax)");
}

json_t *talent_feed_import(Store *s, const User *actor, const char *feed, const void *data, size_t n, bool dry_run,
                           Err *e) {
  FeedJob j = {.actor = actor, .db = store_reader(s), .feed = feed, .dry_run = dry_run, .now = now_ms()};
  if (feed_kind(feed, &j.tax, e)) return NULL;
  if (!actor || !talent_officer(store_reader(s), actor))
    return err_set(e, E_FORBIDDEN, "talent.forbidden", NULL, "只有人才工作部门的政策专员可以办理",
                   "Only the talent department's policy officers may do this"),
           NULL;
  j.seen = json_object();
  json_t *out = NULL;
  int64_t rows = sheet_import(j.tax ? &tax_table : &si_table, data, n, SHEET_MAX_ROWS, feed_decode, &j, e);
  if (rows == 0) err_set(e, E_INVALID, "import.empty", NULL, "文件中没有缴纳记录", "The file has no month in it");
  if (rows > 0) {
    qsort(j.a, (size_t)j.n, sizeof *j.a, by_person);
    ErrList *all = e->all;
    int rc = store_write(s, feed_job, &j, e);
    e->all = all;
    if (rc == 0 || strcmp(e->code, "import.dry_run") == 0) {
      int64_t persons = 0;
      for (int i = 0; i < j.n; i++) persons += i == 0 || j.a[i].person_id != j.a[i - 1].person_id;
      out = json_pack("{s:s,s:I,s:I,s:I,s:I,s:I,s:b}", "feed", feed, "rows", (json_int_t)j.n, "persons",
                      (json_int_t)persons, "months", (json_int_t)j.months, "imported", (json_int_t)(dry_run ? 0 : j.n),
                      "changed", (json_int_t)(dry_run ? 0 : j.persons_changed), "dry_run", dry_run);
      if (rc) *e = (Err){.all = all};
    }
  }
  free(j.a);
  json_decref(j.seen);
  return out;
}

int talent_feed_export(Store *s, const User *actor, const char *feed, bool xlsx, Buf *out, Err *e) {
  bool tax;
  if (feed_kind(feed, &tax, e)) return -1;
  if (!talent_reader(s, actor))
    return err_set(e, E_NOTFOUND, "talent.not_found", NULL, "没有该人才记录或无权查看",
                   "No such talent record, or not yours to see");
  Db *db = store_reader(s);
  Stmt *st = db_prepare(db, "SELECT p.id_number, p.name, t.facts FROM talent_record t JOIN person p ON p.id = t.person_id"
                            " ORDER BY p.id_number",
                        e);
  if (!st) return -1;
  SheetOut *o = sheet_out_new(xlsx, e);
  if (!o) return stmt_done(st), -1;
  const SheetTable *t = tax ? &tax_table : &si_table;
  sheet_out_begin(o, t, tax ? "个人所得税缴纳记录" : "社会保险缴纳记录");
  int rc;
  static const char *const places[][2] = {{"jinpu", "金普"}, {"dalian", "大连"}, {"other", "其他"}};
  while ((rc = stmt_step(st, e)) == 1) {
    json_t *facts = json_loads(stmt_text(st, 2), 0, NULL);
    size_t i;
    json_t *m;
    json_array_foreach(json_object_get(facts, feed), i, m) {
      const char *place = json_string_value(json_object_get(m, "place"));
      for (size_t k = 0; place && k < XQ_COUNT(places); k++)
        if (strcmp(place, places[k][0]) == 0) place = places[k][1];
      const char *v[6] = {stmt_text(st, 0), stmt_text(st, 1), json_string_value(json_object_get(m, "month")), place,
                          json_is_true(json_object_get(m, "back_paid")) ? "是" : "否",
                          json_string_value(json_object_get(m, "employer_uscc"))};
      sheet_out_row(o, v);
    }
    json_decref(facts);
  }
  stmt_done(st);
  if (rc < 0) {
    Buf junk = {0};
    Err ignore = {0};
    sheet_out_end(o, &junk, &ignore);
    buf_free(&junk);
    return -1;
  }
  return sheet_out_end(o, out, e) < 0 ? -1 : 0;
}
