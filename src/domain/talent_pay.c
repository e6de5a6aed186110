/*
** talent_pay.c — talent records, entitlements, instalments and the ledger
** (talent_pay.h).
*/
#include "talent_pay.h"
#include "talent_whatif.h"
#include "talent.h"
#include "talent_feed.h"
#include "audit.h"
#include "params.h"
#include "../base/cal.h"
#include "../base/jsonx.h"
#include "../base/sheet.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- who may do what ------------------------------------------------------ */

/* Who: an actor's standing toward talent records. */
typedef struct Who {
  bool reads;      /* every record, entitlement and ledger */
  bool officer;    /* keeps records, decides, reviews, sets budgets */
  const char *own; /* a person's own ID number (an applicant), or NULL */
} Who;

static Who who(Db *db, const User *u) {
  Who w = {0};
  if (u->role & ROLE_ADMIN) w.reads = w.officer = true;
  else if (u->role & (ROLE_LEADER | ROLE_AUDITOR)) w.reads = true;
  else if (u->role & ROLE_POLICY) {
    char code[32], today[11];
    Err ignore = {0};
    Dept d;
    if (params_text(db, "talent", "dept", time_today_cn(today), code, sizeof code, &ignore) == 0 &&
        accounts_dept_get(db, 0, code, &d, &ignore) == 1 && d.id == u->dept_id)
      w.reads = w.officer = true;
  } else if (u->role & ROLE_APPLICANT && u->party[0])
    w.own = u->party;
  return w;
}

bool talent_reader(Store *s, const User *actor) { return who(store_reader(s), actor).reads; }

static int not_found(Err *e) {
  return err_set(e, E_NOTFOUND, "talent.not_found", NULL, "没有该人才记录或无权查看",
                 "No such talent record, or not yours to see");
}

static int forbidden(Err *e) {
  return err_set(e, E_FORBIDDEN, "talent.forbidden", NULL, "只有人才工作部门的政策专员可以办理",
                 "Only the talent department's policy officers may do this");
}

/* may_see() is 0 when w may read the person number's records, else
** talent.not_found. */
static int may_see(const Who *w, const char *number, Err *e) {
  if (w->reads || (w->own && strcmp(w->own, number) == 0)) return 0;
  return not_found(e);
}

/* ---- the record's facts ---------------------------------------------------- */

enum { F_ENUM = 1, F_DATE, F_BOOL, F_INT, F_MONTHLY, F_CODE, F_TEXT };

/* The facts a record holds: the talent check's contract. */
static const struct {
  const char *key, *label;
  int type;
  const char *const values[5]; /* F_ENUM: the allowed values */
  int64_t max;                  /* F_INT: 0 to max */
} keys[] = {
    {"degree", "学历学位", F_ENUM, {"doctor", "master", "bachelor", "college", NULL}, 0},
    {"school_class", "毕业院校类别", F_ENUM,
     {"world_class_university", "world_class_discipline", "overseas_top200", "other", NULL}, 0},
    {"school", "毕业院校（双一流名单所列名称）", F_TEXT, {NULL}, 0},
    {"graduated_on", "毕业时间", F_DATE, {NULL}, 0},
    {"full_time", "是否全日制", F_BOOL, {NULL}, 0},
    {"hukou_dalian", "是否大连市户籍", F_BOOL, {NULL}, 0},
    {"employer_uscc", "用人单位统一社会信用代码", F_CODE, {NULL}, 0},
    {"employer_in_jinpu", "用人单位是否在金普新区注册纳税", F_BOOL, {NULL}, 0},
    {"contract_start", "劳动合同起始日期", F_DATE, {NULL}, 0},
    {"contract_months", "劳动合同期限（月）", F_INT, {NULL}, 1200},
    {"business_in_jinpu", "是否在金普新区自主创业", F_BOOL, {NULL}, 0},
    {"social_insurance", "社会保险缴纳记录", F_MONTHLY, {NULL}, 0},
    {"income_tax", "个人所得税缴纳记录", F_MONTHLY, {NULL}, 0},
    /* what the figures of talent_stats() count */
    {"talent_tier", "高层次人才层次", F_ENUM, {"top", "leading", "senior", "young", NULL}, 0},
    {"tier_on", "高层次人才认定日期", F_DATE, {NULL}, 0},
    {"shortage_position", "紧缺人才目录岗位", F_CODE, {NULL}, 0},
    {"shortage_on", "紧缺人才认定日期", F_DATE, {NULL}, 0},
    {"foreign_expert", "是否外国专家", F_BOOL, {NULL}, 0},
    {"expert_on", "外国专家来区工作起始日期", F_DATE, {NULL}, 0},
    {"expert_until", "外国专家来区工作截止日期", F_DATE, {NULL}, 0},
    /* 安家费, 柔性引进, 紧缺人才薪酬补贴 */
    {"introduced_full_time", "是否全职引进", F_BOOL, {NULL}, 0},
    {"flexible_months", "柔性引进协议期限（月）", F_INT, {NULL}, 1200},
    {"days_in_jinpu", "每年在金普新区工作天数", F_INT, {NULL}, 366},
    {"shortage_level", "岗位紧缺程度", F_ENUM, {"acute", "high", "general", NULL}, 0},
    {"annual_salary_fen", "年薪（分）", F_INT, {NULL}, 100000000000LL},
    /* 金普工匠 */
    {"skill_level", "职业技能等级", F_ENUM, {"senior_worker", "technician", "senior_technician", NULL}, 0},
    {"frontline_years", "在金普新区生产一线工作年限", F_INT, {NULL}, 80},
};

/* month_ok() is true for "YYYY-MM" naming a real month. */
static bool month_ok(const char *s) {
  int y, m, day;
  char tail;
  if (!s || strlen(s) != 7 || sscanf(s, "%4d-%2d%c", &y, &m, &tail) != 2 || s[4] != '-') return false;
  char first[11];
  snprintf(first, sizeof first, "%s-01", s);
  return m >= 1 && m <= 12 && cal_parse_date(first, &day) == 0;
}

/* facts_check() checks facts (an object) and returns a copy without its
** null members (new), or NULL with *e. */
static json_t *facts_check(const json_t *facts, Err *e) {
  if (!json_is_object(facts))
    return err_set(e, E_INVALID, "talent.bad_fact", "facts", "facts 应为 JSON 对象", "facts must be a JSON object"),
           NULL;
  json_t *out = json_object();
  const char *k;
  json_t *v;
  json_object_foreach((json_t *)facts, k, v) {
    size_t i = 0;
    while (i < XQ_COUNT(keys) && strcmp(keys[i].key, k) != 0) i++;
    if (i == XQ_COUNT(keys)) {
      err_setf(e, E_INVALID, "talent.bad_fact", k, "没有这一项人才数据：%s", "No such talent fact: %s", k);
      goto bad;
    }
    if (json_is_null(v)) continue;
    bool ok = true;
    int day;
    switch (keys[i].type) {
    case F_ENUM: {
      ok = false;
      for (int j = 0; keys[i].values[j]; j++) ok = ok || (json_is_string(v) && strcmp(json_string_value(v), keys[i].values[j]) == 0);
      break;
    }
    case F_DATE: ok = json_is_string(v) && cal_parse_date(json_string_value(v), &day) == 0; break;
    case F_BOOL: ok = json_is_boolean(v); break;
    case F_TEXT: {
      const char *c = json_string_value(v);
      ok = c && *c && strlen(c) <= 400;
      for (; ok && *c; c++) ok = (unsigned char)*c >= 0x20;
      break;
    }
    case F_INT: ok = json_is_integer(v) && json_integer_value(v) >= 0 && json_integer_value(v) <= keys[i].max; break;
    case F_CODE: {
      const char *c = json_string_value(v);
      ok = c && *c && strlen(c) <= 32;
      for (; ok && *c; c++) ok = (*c >= '0' && *c <= '9') || (*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') || *c == '-' || *c == '.';
      break;
    }
    case F_MONTHLY: {
      size_t j;
      json_t *x;
      ok = json_is_array(v) && json_array_size(v) <= 1200;
      json_array_foreach(v, j, x) {
        const char *place = json_string_value(json_object_get(x, "place"));
        json_t *back = json_object_get(x, "back_paid"), *payer = json_object_get(x, "employer_uscc");
        ok = ok && json_is_object(x) && month_ok(json_string_value(json_object_get(x, "month"))) && place &&
             (strcmp(place, "jinpu") == 0 || strcmp(place, "dalian") == 0 || strcmp(place, "other") == 0) &&
             (!back || json_is_boolean(back)) && (!payer || (json_is_string(payer) && json_string_length(payer) == 18)) &&
             json_object_size(x) <= 3u + (payer != NULL);
      }
      break;
    }
    }
    if (!ok) {
      char range[48];
      snprintf(range, sizeof range, "应为 0 到 %lld 的整数", (long long)keys[i].max);
      const char *zh = keys[i].type == F_ENUM   ? "取值不在允许范围内"
                       : keys[i].type == F_DATE ? "应为日期 YYYY-MM-DD"
                       : keys[i].type == F_BOOL ? "应为 true 或 false"
                       : keys[i].type == F_INT  ? range
                       : keys[i].type == F_CODE
                           ? "应为 1 到 32 位字母、数字、- 或 ."
                       : keys[i].type == F_TEXT
                           ? "应为不超过 400 字节、不含控制字符的文字"
                           : "应为 [{month: \"YYYY-MM\", place: jinpu|dalian|other, back_paid?: 布尔}]";
      char what[300];
      snprintf(what, sizeof what, "%s（%s）%s", keys[i].label, k, zh);
      err_setf(e, E_INVALID, "talent.bad_fact", k, "%s", "A value of the wrong form: %s", what);
      goto bad;
    }
    json_object_set(out, k, v);
  }
  return out;
bad:
  json_decref(out);
  return NULL;
}

/* Person: a registry person and its talent record. */
typedef struct Person {
  int64_t id;
  char number[32], name[64];
  json_t *facts; /* the record's facts ({} when it has none; owned) */
  json_t *sources;
  int64_t updated_at;
} Person;

static void person_clear(Person *p) {
  json_decref(p->facts);
  json_decref(p->sources);
  memset(p, 0, sizeof *p);
}

/* person_step() steps st (p.id, p.id_number, p.name, t.facts, t.sources,
** t.updated_at, its key bound) into *p: 1, or -1 with *e (talent.not_found
** when there is no such person). Finishes st. */
static int person_step(Stmt *st, Person *p, Err *e) {
  memset(p, 0, sizeof *p);
  int rc = stmt_step(st, e);
  if (rc == 1) {
    p->id = stmt_int(st, 0);
    snprintf(p->number, sizeof p->number, "%s", stmt_text(st, 1));
    snprintf(p->name, sizeof p->name, "%s", stmt_text(st, 2));
    p->facts = stmt_null(st, 3) ? json_object() : json_loads(stmt_text(st, 3), 0, NULL);
    p->sources = stmt_null(st, 4) ? json_object() : json_loads(stmt_text(st, 4), 0, NULL);
    p->updated_at = stmt_null(st, 5) ? 0 : stmt_int(st, 5);
    if (!p->facts) p->facts = json_object();
    if (!p->sources) p->sources = json_object();
  }
  stmt_done(st);
  if (rc == 0) return not_found(e);
  return rc == 1 ? 1 : -1;
}

/* person_load() reads the registry person number and its record: 1, or
** -1 with *e (talent.not_found when there is no such person). */
static int person_load(Db *db, const char *number, Person *p, Err *e) {
  Stmt *st = db_prepare(db, "SELECT p.id, p.id_number, p.name, t.facts, t.sources, t.updated_at FROM person p"
                            " LEFT JOIN talent_record t ON t.person_id = p.id WHERE p.id_number = ? ORDER BY p.id LIMIT 1",
                        e);
  if (!st) return -1;
  stmt_bind_text(st, 1, number ? number : "");
  return person_step(st, p, e);
}

/* person_load_id() is person_load() of the person with row id id: what a
** write that already holds the person's id uses (person has no index on
** id_number alone, so a lookup by number scans the registry). */
static int person_load_id(Db *db, int64_t id, Person *p, Err *e) {
  Stmt *st = db_prepare(db, "SELECT p.id, p.id_number, p.name, t.facts, t.sources, t.updated_at FROM person p"
                            " LEFT JOIN talent_record t ON t.person_id = p.id WHERE p.id = ?",
                        e);
  if (!st) return -1;
  stmt_bind_int(st, 1, id);
  return person_step(st, p, e);
}

/* ---- writes -------------------------------------------------------------- */

/* Job: what a write job needs. */
typedef struct Job {
  const User *actor;
  int64_t now;
  char today[11];
  const char *number;
  json_t *facts, *sources;     /* talent_record_put() */
  char policy[32], on[11];     /* talent_entitle(), talent_budget_add() */
  int64_t id, amount, year;    /* made or reviewed; budget */
  char memo[600];
  char bank[200], account[40]; /* talent_bank_put() */
  int64_t case_id;             /* talent_entitle_case(): the application decided, 0 for none */
} Job;

static int record_job(Db *db, void *arg, Err *e) {
  Job *j = arg;
  Person p;
  if (person_load(db, j->number, &p, e) != 1) return -1;
  if (talent_record_derive(db, j->facts, j->sources, e)) return person_clear(&p), -1;
  char *facts = json_dumps(j->facts, JSON_COMPACT), *sources = json_dumps(j->sources, JSON_COMPACT);
  int64_t rc = db_run(db, e,
                      "INSERT INTO talent_record(person_id, facts, sources, updated_at, updated_by) VALUES (?,?,?,?,?)"
                      " ON CONFLICT (person_id) DO UPDATE SET facts = excluded.facts, sources = excluded.sources,"
                      " updated_at = excluded.updated_at, updated_by = excluded.updated_by",
                      "ittii", p.id, facts, sources, j->now, j->actor->id);
  free(facts);
  free(sources);
  char obj[48];
  snprintf(obj, sizeof obj, "talent_record:%lld", (long long)p.id);
  json_t *d = json_pack("{s:O}", "facts", j->facts);
  if (rc >= 0) rc = audit_append(db, j->actor, "talent.record", obj, d, e);
  json_decref(d);
  person_clear(&p);
  return rc < 0 ? -1 : 0;
}

json_t *talent_record_put(Store *s, const User *actor, const char *number, const json_t *in, Err *e) {
  Who w = who(store_reader(s), actor);
  if (!w.officer) return forbidden(e), NULL;
  const json_t *facts = json_object_get(in, "facts"), *sources = json_object_get(in, "sources");
  const char *k;
  json_t *v;
  json_object_foreach((json_t *)in, k, v) if (strcmp(k, "facts") != 0 && strcmp(k, "sources") != 0)
    return err_setf(e, E_INVALID, "request.unknown_field", k, "不认识的字段：%s", "Unknown field: %s", k), NULL;
  if (sources && !json_is_object(sources))
    return err_set(e, E_INVALID, "request.bad_type", "sources", "sources 应为对象", "sources must be an object"), NULL;
  json_object_foreach((json_t *)sources, k, v) if (!json_is_string(v) || json_string_length(v) > 200)
    return err_setf(e, E_INVALID, "request.bad_type", "sources", "数据来源应为不超过 200 字节的文字：%s",
                    "A source is a text of at most 200 bytes: %s", k),
           NULL;
  Job j = {.actor = actor, .now = now_ms(), .number = number};
  if (!(j.facts = facts_check(facts, e))) return NULL;
  j.sources = sources ? json_incref((json_t *)sources) : json_object();
  int rc = store_write(s, record_job, &j, e);
  json_decref(j.facts);
  json_decref(j.sources);
  return rc ? NULL : talent_record(s, actor, number, NULL, e);
}

/* inst_rows() writes the instalments of check (its "instalments") for
** entitlement id. */
static int inst_rows(Db *db, int64_t id, const json_t *check, Err *e) {
  size_t i;
  json_t *x;
  json_array_foreach(json_object_get(check, "instalments"), i, x) {
    if (db_run(db, e, "INSERT INTO talent_instalment(entitlement_id, seq, due, amount_fen) VALUES (?,?,?,?)", "iiti",
               id, (int64_t)i + 1, json_string_value(json_object_get(x, "due")),
               (int64_t)json_integer_value(json_object_get(x, "amount_fen"))) < 0)
      return -1;
  }
  return 0;
}

bool talent_officer(Db *db, const User *actor) { return !actor || who(db, actor).officer; }

int talent_held_exclusive(Db *db, int64_t person_id, const char *policy, const char *on, char held[32], Err *e) {
  Stmt *q = db_prepare(db, "SELECT t.policy FROM talent_entitlement t WHERE t.person_id = ? AND t.policy <> ? AND"
                           " EXISTS (SELECT 1 FROM talent_instalment i WHERE i.entitlement_id = t.id AND i.state <> 'stopped')"
                           " ORDER BY t.id",
                       e);
  if (!q) return -1;
  stmt_bind_int(q, 1, person_id);
  stmt_bind_text(q, 2, policy);
  int qr;
  held[0] = 0;
  while ((qr = stmt_step(q, e)) == 1)
    if (!held[0] && talent_exclusive(policy, stmt_text(q, 0), on)) snprintf(held, 32, "%s", stmt_text(q, 0));
  stmt_done(q);
  return qr < 0 ? -1 : held[0] ? 1 : 0;
}

int64_t talent_entitle_on(Db *db, const User *actor, int64_t now, int64_t person_id, const char *policy, const char *on,
                          const json_t *check, const json_t *decision, int64_t case_id, const char *origin, Err *e) {
  if (!json_is_true(json_object_get(check, "eligible"))) panic("talent_entitle_on: %s is not eligible", policy);
  /* exclusivity, as the policies' data say */
  char held[32];
  int x = talent_held_exclusive(db, person_id, policy, on, held, e);
  if (x < 0) return -1;
  if (x) {
    char what[300];
    snprintf(what, sizeof what, "「%s」与已享受的「%s」", talent_policy_name(policy), talent_policy_name(held));
    err_setf(e, E_CONFLICT, "talent.exclusive", "policy", "%s不能同时享受", "%s may not be held together", what);
    return -1;
  }
  /* a policy with places a year (its rule's quota_per_year: 金普工匠): the
  ** year's decisions so far, counted inside this write */
  json_t *quota = json_object_get(check, "quota_per_year");
  if (json_is_integer(quota)) {
    char from[11], to[11];
    snprintf(from, sizeof from, "%.4s-01-01", on);
    snprintf(to, sizeof to, "%.4s-12-31", on);
    Stmt *q = db_prepare(db, "SELECT COUNT(*) FROM talent_entitlement WHERE policy = ? AND decided_on >= ? AND decided_on <= ?", e);
    if (!q) return -1;
    stmt_bind_text(q, 1, policy);
    stmt_bind_text(q, 2, from);
    stmt_bind_text(q, 3, to);
    int rc = stmt_step(q, e);
    int64_t n = rc == 1 ? stmt_int(q, 0) : 0;
    stmt_done(q);
    if (rc < 0) return -1;
    if (n >= json_integer_value(quota)) {
      char what[200];
      snprintf(what, sizeof what, "「%s」%.4s 年的名额（%lld 名）", talent_policy_name(policy), on,
               (long long)json_integer_value(quota));
      err_setf(e, E_CONFLICT, "talent.quota_full", "policy", "%s已满", "All places are taken: %s", what);
      return -1;
    }
  }
  int64_t id = -1;
  char *explanation = json_dumps(json_object_get(check, "explanation"), JSON_COMPACT);
  Stmt *st = db_prepare(db, "INSERT INTO talent_entitlement(person_id, policy, rule_version, decided_on, amount_fen,"
                            " explanation, dept_id, created_at, created_by, origin, case_id) VALUES (?,?,?,?,?,?,?,?,?,?,?)"
                            " RETURNING id",
                        e);
  if (st) {
    stmt_bind_int(st, 1, person_id);
    stmt_bind_text(st, 2, policy);
    stmt_bind_int(st, 3, json_integer_value(json_object_get(check, "rule_version")));
    stmt_bind_text(st, 4, on);
    stmt_bind_int(st, 5, json_integer_value(json_object_get(check, "amount_fen")));
    stmt_bind_text(st, 6, explanation);
    stmt_bind_int(st, 7, actor ? actor->dept_id : 0);
    stmt_bind_int(st, 8, now);
    stmt_bind_int(st, 9, actor ? actor->id : 0);
    stmt_bind_text(st, 10, origin);
    stmt_bind_int(st, 11, case_id);
    if (stmt_step(st, e) == 1) id = stmt_int(st, 0);
    stmt_done(st);
  }
  free(explanation);
  if (id < 0 && strcmp(e->code, "db.unique") == 0)
    err_setf(e, E_CONFLICT, "talent.entitled", "policy", "此人已享受该政策：%s", "This person already holds this policy: %s",
             talent_policy_name(policy));
  if (id < 0 || inst_rows(db, id, check, e)) return -1;
  char obj[48];
  snprintf(obj, sizeof obj, "talent_entitlement:%lld", (long long)id);
  json_t *d = json_pack("{s:s,s:s,s:O,s:I,s:s}", "policy", policy, "on", on, "amount_fen",
                        json_object_get(check, "amount_fen"), "instalments",
                        (json_int_t)json_array_size(json_object_get(check, "instalments")), "origin", origin);
  if (decision) json_object_set(d, "decision", (json_t *)decision);
  if (case_id) json_object_set_new(d, "case_id", json_integer(case_id));
  int rc = audit_append(db, actor, "talent.entitle", obj, d, e);
  json_decref(d);
  return rc ? -1 : id;
}

static int entitle_job(Db *db, void *arg, Err *e) {
  Job *j = arg;
  Person p;
  if (person_load(db, j->number, &p, e) != 1) return -1;
  int rc = -1;
  /* a committee's decision (一事一议) is a fact of this decision, not of the record */
  json_t *facts = json_copy(p.facts);
  if (j->facts) json_object_update(facts, j->facts);
  json_t *check = talent_check(facts, j->policy, j->on, NULL, e);
  json_decref(facts);
  if (!check) goto out;
  json_t *el = json_object_get(check, "eligible");
  if (j->facts && !json_is_true(json_object_get(check, "committee"))) {
    err_setf(e, E_INVALID, "talent.no_committee", "decision", "该政策不由一事一议决定金额：%s",
             "This policy's amount is not decided by the committee: %s", talent_policy_name(j->policy));
    goto out;
  }
  if (!json_is_true(el)) {
    /* every reason, as far as the message holds them */
    char what[900];
    size_t n = (size_t)snprintf(what, sizeof what, "%s：",
                                json_is_null(el) ? "缺少判断所需的数据，不能认定" : "不符合该政策条件");
    size_t i;
    json_t *why;
    json_array_foreach(json_object_get(check, "why_not"), i, why) {
      if (n >= sizeof what) break;
      n += (size_t)snprintf(what + n, sizeof what - n, "%s%s", i ? "；" : "", json_string_value(why));
    }
    if (n >= sizeof what) memcpy(what + sizeof what - 4, "…", 4);
    err_setf(e, E_CONFLICT, "talent.not_eligible", "policy", "%s", "Not eligible under this policy on that day: %s",
             what);
    goto out;
  }
  j->id = talent_entitle_on(db, j->actor, j->now, p.id, j->policy, j->on, check, j->facts, j->case_id, "decision", e);
  rc = j->id < 0 ? -1 : 0;
out:
  json_decref(check);
  person_clear(&p);
  return rc;
}

/* decision_facts() reads the committee's decision dec ({amount_fen, ref},
** 一事一议; NULL: none) as the facts it adds to the record's for this
** decision: *facts a new object, or NULL for none. -1 with *e. */
static int decision_facts(const json_t *dec, json_t **facts, Err *e) {
  *facts = NULL;
  if (!dec) return 0;
  char ref[200] = "";
  int64_t amount = 0;
  JField df[] = {{"amount_fen", J_INT, true, &amount, 0, 1, 100000000000LL, NULL},
                 {"ref", J_STR, true, ref, sizeof ref, 1, 120, NULL}};
  if (jsonx_decode(dec, df, (int)XQ_COUNT(df), false, e)) return -1;
  *facts = json_pack("{s:I,s:s}", "committee_amount_fen", (json_int_t)amount, "committee_ref", ref);
  return 0;
}

int talent_committee_check(const json_t *decision, Err *e) {
  json_t *facts;
  int rc = decision_facts(decision, &facts, e);
  json_decref(facts);
  return rc;
}

int64_t talent_entitle_case(Db *db, const User *actor, int64_t now, const char *number, const char *policy,
                            const char *on, const json_t *decision, int64_t case_id, Err *e) {
  Job j = {.actor = actor, .now = now, .number = number, .case_id = case_id};
  snprintf(j.policy, sizeof j.policy, "%s", policy);
  snprintf(j.on, sizeof j.on, "%s", on);
  cal_format(cal_day_of_ms(now), j.today);
  if (decision_facts(decision, &j.facts, e)) return -1;
  int rc = entitle_job(db, &j, e);
  json_decref(j.facts);
  return rc ? -1 : j.id;
}

json_t *talent_entitle(Store *s, const User *actor, const json_t *in, Err *e) {
  Who w = who(store_reader(s), actor);
  if (!w.officer) return forbidden(e), NULL;
  if (talent_sync(store_reader(s), e)) return NULL;
  char number[32] = "";
  const json_t *dec = NULL;
  Job j = {.actor = actor, .now = now_ms()};
  time_today_cn(j.today);
  JField f[] = {{"number", J_STR, true, number, sizeof number, 1, 31, NULL},
                {"policy", J_STR, true, j.policy, sizeof j.policy, 1, 31, NULL},
                {"on", J_STR, false, j.on, sizeof j.on, 10, 10, NULL},
                /* the committee's (一事一议) {amount_fen, ref}, for a policy so decided */
                {"decision", J_OBJ, false, &dec, 0, 0, 0, NULL}};
  if (jsonx_decode(in, f, (int)XQ_COUNT(f), false, e)) return NULL;
  int day;
  if (!j.on[0]) snprintf(j.on, sizeof j.on, "%s", j.today);
  if (cal_parse_date(j.on, &day) || strcmp(j.on, j.today) > 0)
    return err_setf(e, E_INVALID, "talent.bad_date", "on", "认定日期应为今天或以前的日期：%s",
                    "The day of the decision is today or before: %s", j.on),
           NULL;
  if (!talent_policy_name(j.policy))
    return err_setf(e, E_INVALID, "talent.bad_policy", "policy", "没有这项人才政策：%s", "No such talent policy: %s",
                    j.policy),
           NULL;
  if (decision_facts(dec, &j.facts, e)) return NULL;
  j.number = number;
  int rc = store_write(s, entitle_job, &j, e);
  json_decref(j.facts);
  return rc ? NULL : talent_entitlement(s, actor, j.id, e);
}

/* Inst: an instalment with its entitlement and person. */
typedef struct Inst {
  int64_t id, entitlement_id, seq, amount, person_id;
  char due[11], state[16], policy[32], ent_state[16], number[32];
} Inst;

static int inst_load(Db *db, int64_t id, Inst *x, Err *e) {
  memset(x, 0, sizeof *x);
  Stmt *st = db_prepare(db, "SELECT i.id, i.entitlement_id, i.seq, i.amount_fen, i.due, i.state, t.policy, t.state,"
                            " p.id_number, t.person_id FROM talent_instalment i"
                            " JOIN talent_entitlement t ON t.id = i.entitlement_id JOIN person p ON p.id = t.person_id"
                            " WHERE i.id = ?",
                        e);
  if (!st) return -1;
  stmt_bind_int(st, 1, id);
  int rc = stmt_step(st, e);
  if (rc == 1) {
    x->id = stmt_int(st, 0), x->entitlement_id = stmt_int(st, 1), x->seq = stmt_int(st, 2), x->amount = stmt_int(st, 3);
    snprintf(x->due, sizeof x->due, "%s", stmt_text(st, 4));
    snprintf(x->state, sizeof x->state, "%s", stmt_text(st, 5));
    snprintf(x->policy, sizeof x->policy, "%s", stmt_text(st, 6));
    snprintf(x->ent_state, sizeof x->ent_state, "%s", stmt_text(st, 7));
    snprintf(x->number, sizeof x->number, "%s", stmt_text(st, 8));
    x->person_id = stmt_int(st, 9);
  }
  stmt_done(st);
  if (rc == 0) return err_set(e, E_NOTFOUND, "talent.no_instalment", "id", "没有这一期补贴", "No such instalment");
  return rc == 1 ? 1 : -1;
}

/* The ledger's accounts: the budget given (appropriation gives it to
** available), committed by an approval, paid by the bank, and recovered
** (追回) from a payment. */
static const char *const accounts[] = {"appropriation", "available", "committed", "paid", "recovered"};
#define NACCOUNT 5

/* move() records amount from → to in the ledger of policy and year and
** keeps talent_budget's balances; from "available" is refused when it
** would overdraw (talent.over_budget). */
static int move(Db *db, const Job *j, const char *policy, int64_t year, const char *from, const char *to, int64_t amount,
                int64_t instalment, const char *memo, Err *e) {
  int f = -1, t = -1;
  for (int i = 0; i < NACCOUNT; i++) {
    if (strcmp(accounts[i], from) == 0) f = i;
    if (strcmp(accounts[i], to) == 0) t = i;
  }
  if (f < 0 || t < 0 || f == t) panic("talent ledger: bad move %s → %s", from, to);
  char sql[300];
  /* the running balances: appropriation only ever gives, the others hold */
  snprintf(sql, sizeof sql,
           "UPDATE talent_budget SET %s_fen = %s_fen - ?, %s_fen = %s_fen + ? WHERE policy = ? AND year = ?%s", from,
           from, to, to, f == 1 ? " AND available_fen >= ?" : "");
  int64_t n = f == 1 ? db_run(db, e, sql, "iitii", amount, amount, policy, year, amount)
                     : db_run(db, e, sql, "iiti", amount, amount, policy, year);
  if (n < 0) return -1;
  if (n == 0) {
    int64_t avail = 0;
    Stmt *st = db_prepare(db, "SELECT available_fen FROM talent_budget WHERE policy = ? AND year = ?", e);
    if (!st) return -1;
    stmt_bind_text(st, 1, policy);
    stmt_bind_int(st, 2, year);
    if (stmt_step(st, e) == 1) avail = stmt_int(st, 0);
    stmt_done(st);
    char what[160];
    snprintf(what, sizeof what, "%lld: %lld.%02lld / %lld.%02lld", (long long)year, (long long)(avail / 100),
             (long long)(avail % 100), (long long)(amount / 100), (long long)(amount % 100));
    return err_setf(e, E_CONFLICT, "talent.over_budget", "budget", "预算指标不足（年度：可用 / 本期，元）%s",
                    "Over the year's budget (year: available / due, yuan) %s", what);
  }
  return db_run(db, e,
                "INSERT INTO talent_ledger(policy, year, from_account, to_account, amount_fen, instalment_id, memo,"
                " created_at, created_by) VALUES (?,?,?,?,?,?,?,?,?)",
                "tittiitii", policy, year, from, to, amount, instalment, memo, j->now, j->actor->id) < 0
             ? -1
             : 0;
}

/* decision_write() writes decision d in the write job j is of (talent_pay.h,
** talent_decision_write()). */
static int decision_write(Db *db, const Job *j, const TalentDecision *d, Err *e) {
  char obj[48];
  snprintf(obj, sizeof obj, "talent_entitlement:%lld", (long long)d->entitlement);
  json_t *detail;
  int rc;
  if (!d->reason) {
    int y = 0;
    sscanf(d->due, "%4d", &y);
    rc = move(db, j, d->policy, y, "available", "committed", d->amount_fen, d->instalment, "核准", e);
    if (!rc)
      rc = db_run(db, e,
                  "UPDATE talent_instalment SET state = 'approved', checked_on = ?, decided_at = ?, decided_by = ?"
                  " WHERE id = ?",
                  "tiii", j->today, j->now, j->actor->id, d->instalment) < 0;
    detail = json_pack("{s:I,s:I,s:s,s:I}", "instalment", (json_int_t)d->instalment, "seq", (json_int_t)d->seq, "due",
                       d->due, "amount_fen", (json_int_t)d->amount_fen);
  } else {
    rc = db_run(db, e,
                "UPDATE talent_instalment SET state = 'stopped', reason = ?, checked_on = ?, decided_at = ?,"
                " decided_by = ? WHERE entitlement_id = ? AND seq >= ? AND state = 'pending'",
                "ttiiii", d->reason, j->today, j->now, j->actor->id, d->entitlement, d->seq) < 0;
    if (!rc)
      rc = db_run(db, e, "UPDATE talent_entitlement SET state = 'stopped', reason = ? WHERE id = ?", "ti", d->reason,
                  d->entitlement) < 0;
    detail = json_pack("{s:I,s:s,s:s}", "instalment", (json_int_t)d->instalment, "due", d->due, "reason", d->reason);
  }
  if (!rc) rc = audit_append(db, j->actor, d->reason ? "talent.stop" : "talent.approve", obj, detail, e);
  json_decref(detail);
  return rc ? -1 : 0;
}

int talent_decision_write(Db *db, const User *actor, int64_t now, const char *today, const TalentDecision *d, Err *e) {
  Job j = {.actor = actor, .now = now};
  snprintf(j.today, sizeof j.today, "%s", today);
  return decision_write(db, &j, d, e);
}

/* review_one() reviews instalment id as talent_instalment_review() says,
** in the write job j is of: 0 with *approved (true, or false when stopped)
** and *entitlement_id, or -1 with *e. Every refusal (talent.bad_state,
** not_due, earlier_pending, over_budget) comes before its first write, so
** a refused instalment leaves the job as it found it. */
static int review_one(Db *db, const Job *j, int64_t id, bool *approved, int64_t *entitlement_id, Err *e) {
  Inst x;
  *approved = false;
  if (inst_load(db, id, &x, e) != 1) return -1;
  if (strcmp(x.state, "pending") != 0 || strcmp(x.ent_state, "active") != 0)
    return err_set(e, E_CONFLICT, "talent.bad_state", "id", "这一期已复核过，或补贴已停发",
                   "This instalment has been reviewed, or the entitlement is stopped");
  if (strcmp(x.due, j->today) > 0)
    return err_setf(e, E_CONFLICT, "talent.not_due", "id", "这一期 %s 到期，到期后才能复核",
                    "This instalment is due on %s; it is reviewed from that day", x.due);
  int64_t earlier = -1;
  Stmt *st = db_prepare(db, "SELECT COUNT(*) FROM talent_instalment WHERE entitlement_id = ? AND seq < ?"
                            " AND state = 'pending'", e);
  if (!st) return -1;
  stmt_bind_int(st, 1, x.entitlement_id);
  stmt_bind_int(st, 2, x.seq);
  if (stmt_step(st, e) == 1) earlier = stmt_int(st, 0);
  stmt_done(st);
  if (earlier < 0) return -1;
  if (earlier > 0)
    return err_set(e, E_CONFLICT, "talent.earlier_pending", "id", "前面还有未复核的期次，请按顺序复核",
                   "An earlier instalment is still to be reviewed; review them in order");
  Person p;
  if (person_load_id(db, x.person_id, &p, e) != 1) return -1;
  json_t *check = talent_recheck(p.facts, x.policy, x.due, NULL, e);
  person_clear(&p);
  if (!check) return -1;
  /* Not eligible: stopped, this one and every later one and the
  ** entitlement, with the re-check's why-not as the reason. */
  bool eligible = json_is_true(json_object_get(check, "eligible"));
  Buf why = {0};
  if (!eligible) {
    size_t i;
    json_t *m;
    json_array_foreach(json_object_get(check, "why_not"), i, m) {
      if (i) buf_puts(&why, "；");
      buf_puts(&why, json_string_value(m));
    }
    if (!why.n) buf_puts(&why, "复核未通过");
  }
  TalentDecision d = {x.id, x.entitlement_id, x.seq, x.amount, x.policy, x.due, eligible ? NULL : buf_cstr(&why)};
  int rc = decision_write(db, j, &d, e);
  buf_free(&why);
  json_decref(check);
  *approved = eligible && rc == 0;
  *entitlement_id = x.entitlement_id;
  return rc;
}

static int review_job(Db *db, void *arg, Err *e) {
  Job *j = arg;
  bool approved;
  return review_one(db, j, j->id, &approved, &j->amount, e);
}

json_t *talent_instalment_review(Store *s, const User *actor, int64_t id, Err *e) {
  Who w = who(store_reader(s), actor);
  if (!w.officer) return forbidden(e), NULL;
  if (talent_sync(store_reader(s), e)) return NULL;
  Job j = {.actor = actor, .now = now_ms(), .id = id};
  time_today_cn(j.today);
  if (store_write(s, review_job, &j, e)) return NULL;
  return talent_entitlement(s, actor, j.amount, e);
}

/* The monthly run reviews its instalments RUN_CHUNK to a write job: one
** durable commit for each chunk instead of each instalment, small enough
** that other writers wait for no more than a chunk's reviews. */
enum { RUN_CHUNK = 256, RUN_REFUSED_MAX = 100 };

/* RunJob: one chunk of the monthly run and what became of it. */
typedef struct RunJob {
  Job j;                 /* the actor, now and today shared by every chunk */
  const int64_t *aId;    /* the chunk's instalments, in the run's order */
  size_t nId;
  int64_t approved;      /* approved in this chunk */
  int64_t stopped;       /* stopped by their own re-check */
  int64_t skipped;       /* no longer pending (stopped with an earlier one, or reviewed meanwhile) */
  int64_t refused;       /* left pending: over budget, not due, an earlier one pending */
  json_t *aRefused;      /* [{instalment, code, message}], the first RUN_REFUSED_MAX of the whole run */
} RunJob;

static int run_job(Db *db, void *arg, Err *e) {
  RunJob *r = arg;
  r->approved = r->stopped = r->skipped = r->refused = 0;
  for (size_t i = 0; i < r->nId; i++) {
    Err one = {0};
    bool approved;
    int64_t eid;
    if (review_one(db, &r->j, r->aId[i], &approved, &eid, &one) == 0) {
      if (approved) r->approved++;
      else r->stopped++;
    } else if (strcmp(one.code, "talent.bad_state") == 0) {
      r->skipped++;
    } else if (strncmp(one.code, "talent.", 7) == 0) {
      /* refused before any write (review_one()): the rest goes on */
      r->refused++;
      if (json_array_size(r->aRefused) < RUN_REFUSED_MAX)
        json_array_append_new(r->aRefused, json_pack("{s:I,s:s,s:s}", "instalment", (json_int_t)r->aId[i], "code",
                                                     one.code, "message", one.message));
    } else {
      *e = one; /* the database failed: the chunk is rolled back whole */
      return -1;
    }
  }
  return 0;
}

json_t *talent_instalment_run(Store *s, const User *actor, const json_t *in, Err *e) {
  static const User sys = {.id = 0, .username = "system", .display = "系统"};
  Db *db = store_reader(s);
  Who w = actor ? who(db, actor) : (Who){.reads = true, .officer = true};
  if (!w.officer) return forbidden(e), NULL;
  if (talent_sync(db, e)) return NULL;
  char policy[32] = "";
  JField f[] = {{"policy", J_STR, false, policy, sizeof policy, 1, 31, NULL}};
  if (in && jsonx_decode(in, f, (int)XQ_COUNT(f), false, e)) return NULL;
  if (policy[0] && !talent_policy_name(policy))
    return err_setf(e, E_INVALID, "talent.bad_policy", "policy", "没有这项人才政策：%s", "No such talent policy: %s",
                    policy),
           NULL;
  RunJob r = {.j = {.actor = actor ? actor : &sys, .now = now_ms()}};
  time_today_cn(r.j.today);
  /* What is due: every pending instalment of an active entitlement due by
  ** today, in the order they must be reviewed (an entitlement's in seq). */
  Stmt *st = db_prepare(db, "SELECT i.id FROM talent_instalment i JOIN talent_entitlement t ON t.id = i.entitlement_id"
                            " WHERE i.state = 'pending' AND i.due <= ? AND t.state = 'active'"
                            " AND (CAST(? AS TEXT) IS NULL OR t.policy = ?) ORDER BY i.due, i.entitlement_id, i.seq",
                        e);
  if (!st) return NULL;
  stmt_bind_text(st, 1, r.j.today);
  stmt_bind_text(st, 2, policy[0] ? policy : NULL);
  stmt_bind_text(st, 3, policy[0] ? policy : NULL);
  int64_t *aId = NULL;
  size_t nId = 0, cap = 0;
  int rc;
  while ((rc = stmt_step(st, e)) == 1) {
    if (nId == cap) aId = xrealloc(aId, (cap = cap ? 2 * cap : 1024) * sizeof *aId);
    aId[nId++] = stmt_int(st, 0);
  }
  stmt_done(st);
  json_t *out = NULL;
  if (rc < 0) goto out;
  int64_t approved = 0, stopped = 0, skipped = 0, refused = 0;
  r.aRefused = json_array();
  for (size_t k = 0; k < nId; k += RUN_CHUNK) {
    r.aId = aId + k;
    r.nId = nId - k < RUN_CHUNK ? nId - k : RUN_CHUNK;
    if (store_write(s, run_job, &r, e)) goto out; /* the chunks before stay done: a new run goes on from here */
    approved += r.approved, stopped += r.stopped, skipped += r.skipped, refused += r.refused;
  }
  out = json_pack("{s:s,s:s?,s:I,s:I,s:I,s:I,s:I,s:O,s:b}", "on", r.j.today, "policy", policy[0] ? policy : NULL,
                  "due", (json_int_t)nId, "approved", (json_int_t)approved, "stopped", (json_int_t)stopped, "skipped",
                  (json_int_t)skipped, "refused_total", (json_int_t)refused, "refused", r.aRefused, "truncated",
                  refused > RUN_REFUSED_MAX);
out:
  json_decref(r.aRefused);
  free(aId);
  return out;
}

static int budget_job(Db *db, void *arg, Err *e) {
  Job *j = arg;
  if (db_run(db, e,
             "INSERT INTO talent_budget(policy, year) VALUES (?, ?) ON CONFLICT (policy, year) DO NOTHING", "ti",
             j->policy, j->year) < 0 ||
      move(db, j, j->policy, j->year, "appropriation", "available", j->amount, 0, j->memo, e))
    return -1;
  char obj[64];
  snprintf(obj, sizeof obj, "talent_budget:%s:%lld", j->policy, (long long)j->year);
  json_t *d = json_pack("{s:I,s:s}", "amount_fen", (json_int_t)j->amount, "memo", j->memo);
  int rc = audit_append(db, j->actor, "talent.budget", obj, d, e);
  json_decref(d);
  return rc;
}

json_t *talent_budget_add(Store *s, const User *actor, const json_t *in, Err *e) {
  Who w = who(store_reader(s), actor);
  if (!w.officer) return forbidden(e), NULL;
  Job j = {.actor = actor, .now = now_ms()};
  JField f[] = {{"policy", J_STR, true, j.policy, sizeof j.policy, 1, 31, NULL},
                {"year", J_INT, true, &j.year, 0, 2000, 2100, NULL},
                {"amount_fen", J_INT, true, &j.amount, 0, 1, 100000000000000LL, NULL},
                {"memo", J_STR, false, j.memo, sizeof j.memo, 0, 200, NULL}};
  if (jsonx_decode(in, f, (int)XQ_COUNT(f), false, e)) return NULL;
  if (!talent_policy_name(j.policy))
    return err_setf(e, E_INVALID, "talent.bad_policy", "policy", "没有这项人才政策：%s", "No such talent policy: %s",
                    j.policy),
           NULL;
  if (!j.memo[0]) snprintf(j.memo, sizeof j.memo, "预算指标");
  if (store_write(s, budget_job, &j, e)) return NULL;
  return talent_ledger(s, actor, j.policy, (int)j.year, 0, e);
}

/* ---- reads ---------------------------------------------------------------- */

/* The counts of an entitlement's instalments by state, each a correlated
** subquery that filters on entitlement_id only (its UNIQUE index) and sorts
** the states out with CASE: with "AND i.state = 'pending'" in the WHERE,
** SQLite took the (state, due) index and read every pending instalment of
** every entitlement for each one (the monthly run of 100,000 entitlements
** in tests/bench/talent_bench.c spent nearly all its time there). */
#define ENT_COLS                                                                                                      \
  "t.id, p.id_number, p.name, t.policy, t.decided_on, t.amount_fen, t.state, t.reason,"                            \
  " (SELECT MIN(CASE WHEN i.state = 'pending' THEN i.due END) FROM talent_instalment i WHERE i.entitlement_id = t.id)," \
  " (SELECT COUNT(CASE WHEN i.state = 'pending' THEN 1 END) FROM talent_instalment i WHERE i.entitlement_id = t.id)," \
  " (SELECT COUNT(CASE WHEN i.state = 'approved' THEN 1 END) FROM talent_instalment i WHERE i.entitlement_id = t.id)," \
  " (SELECT COUNT(CASE WHEN i.state = 'paid' THEN 1 END) FROM talent_instalment i WHERE i.entitlement_id = t.id),"    \
  " (SELECT COUNT(CASE WHEN i.state = 'stopped' THEN 1 END) FROM talent_instalment i WHERE i.entitlement_id = t.id)," \
  " t.origin, t.confirmed_at"

/* ent_row() is an entitlement of ENT_COLS (new): origin decision | scan
** (免申即享), awaiting_confirmation while a scan's is not confirmed. */
static json_t *ent_row(Stmt *st) {
  const char *policy = stmt_text(st, 3), *name = talent_policy_name(policy);
  bool scan = strcmp(stmt_text(st, 13), "scan") == 0, confirmed = !stmt_null(st, 14);
  json_t *out = json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:I,s:s,s:s,s:s?,s:I,s:I,s:I,s:I}", "id", (json_int_t)stmt_int(st, 0),
                   "number", stmt_text(st, 1), "name", stmt_text(st, 2), "policy", policy, "policy_name",
                   name ? name : policy, "decided_on", stmt_text(st, 4), "amount_fen", (json_int_t)stmt_int(st, 5),
                   "state", stmt_text(st, 6), "reason", stmt_text(st, 7), "next_due", stmt_text(st, 8), "pending",
                   (json_int_t)stmt_int(st, 9), "approved", (json_int_t)stmt_int(st, 10), "paid",
                   (json_int_t)stmt_int(st, 11), "stopped", (json_int_t)stmt_int(st, 12));
  json_object_set_new(out, "origin", json_string(stmt_text(st, 13)));
  json_object_set_new(out, "awaiting_confirmation", json_boolean(scan && !confirmed));
  json_object_set_new(out, "confirmed_at", jsonx_time(confirmed ? stmt_int(st, 14) : 0));
  return out;
}

/* ents_of() is the entitlements of person id (new array), or NULL. */
static json_t *ents_of(Db *db, int64_t person_id, Err *e) {
  Stmt *st = db_prepare(db, "SELECT " ENT_COLS " FROM talent_entitlement t JOIN person p ON p.id = t.person_id"
                            " WHERE t.person_id = ? ORDER BY t.id",
                        e);
  if (!st) return NULL;
  stmt_bind_int(st, 1, person_id);
  json_t *out = json_array();
  int rc;
  while ((rc = stmt_step(st, e)) == 1) json_array_append_new(out, ent_row(st));
  stmt_done(st);
  if (rc < 0) json_decref(out), out = NULL;
  return out;
}

json_t *talent_record(Store *s, const User *actor, const char *number, const char *on, Err *e) {
  Db *db = store_reader(s);
  Who w = who(db, actor);
  char today[11];
  int day;
  if (!on) on = time_today_cn(today);
  if (cal_parse_date(on, &day))
    return err_setf(e, E_INVALID, "talent.bad_date", "on", "日期无效（YYYY-MM-DD）：%s", "Not a date (YYYY-MM-DD): %s", on),
           NULL;
  if (may_see(&w, number ? number : "", e) || talent_sync(db, e)) return NULL;
  Person p;
  if (person_load(db, number, &p, e) != 1) return NULL;
  json_t *checks = json_array(), *list = talent_policies(), *x;
  size_t i;
  json_array_foreach(list, i, x) {
    json_t *c = talent_check(p.facts, json_string_value(json_object_get(x, "code")), on, NULL, e);
    if (c) json_array_append_new(checks, c);
  }
  json_decref(list);
  json_t *ents = ents_of(db, p.id, e);
  json_t *out = ents ? json_pack("{s:s,s:s,s:O,s:O,s:o,s:s,s:o,s:o}", "number", p.number, "name", p.name, "facts",
                                 p.facts, "sources", p.sources, "updated_at", jsonx_time(p.updated_at), "on", on,
                                 "checks", checks, "entitlements", ents)
                     : (json_decref(checks), NULL);
  person_clear(&p);
  if (out && talent_record_links(db, out, e)) json_decref(out), out = NULL;
  return out;
}

json_t *talent_entitlement(Store *s, const User *actor, int64_t id, Err *e) {
  Db *db = store_reader(s);
  Who w = who(db, actor);
  Stmt *st = db_prepare(db, "SELECT " ENT_COLS ", t.explanation FROM talent_entitlement t"
                            " JOIN person p ON p.id = t.person_id WHERE t.id = ?",
                        e);
  if (!st) return NULL;
  stmt_bind_int(st, 1, id);
  json_t *out = NULL;
  int rc = stmt_step(st, e);
  if (rc == 1 && !may_see(&w, stmt_text(st, 1), e)) {
    out = ent_row(st);
    json_t *ex = json_loads(stmt_text(st, 15), 0, NULL);
    json_object_set_new(out, "explanation", ex ? ex : json_array());
  } else if (rc == 0)
    not_found(e);
  stmt_done(st);
  if (!out) return NULL;
  st = db_prepare(db, "SELECT id, seq, due, amount_fen, state, reason, checked_on, recovered_fen FROM talent_instalment"
                      " WHERE entitlement_id = ? ORDER BY seq",
                  e);
  if (!st) return json_decref(out), NULL;
  stmt_bind_int(st, 1, id);
  json_t *list = json_array();
  while ((rc = stmt_step(st, e)) == 1)
    json_array_append_new(list, json_pack("{s:I,s:I,s:s,s:I,s:s,s:s,s:s?,s:I}", "id", (json_int_t)stmt_int(st, 0), "seq",
                                          (json_int_t)stmt_int(st, 1), "due", stmt_text(st, 2), "amount_fen",
                                          (json_int_t)stmt_int(st, 3), "state", stmt_text(st, 4), "reason",
                                          stmt_text(st, 5), "checked_on", stmt_text(st, 6), "recovered_fen",
                                          (json_int_t)stmt_int(st, 7)));
  stmt_done(st);
  json_object_set_new(out, "instalments", list);
  if (rc < 0) return json_decref(out), NULL;
  /* the application (a case) it decided, if any */
  st = db_prepare(db, "SELECT c.case_no FROM talent_entitlement t JOIN case_file c ON c.id = t.case_id WHERE t.id = ?", e);
  if (!st) return json_decref(out), NULL;
  stmt_bind_int(st, 1, id);
  rc = stmt_step(st, e);
  json_object_set_new(out, "case_no", rc == 1 ? json_string(stmt_text(st, 0)) : json_null());
  stmt_done(st);
  if (rc < 0) json_decref(out), out = NULL;
  return out;
}

json_t *talent_entitlements(Store *s, const User *actor, const char *policy, const char *state, int page, int per_page,
                            Err *e) {
  Db *db = store_reader(s);
  Who w = who(db, actor);
  if (!w.reads && !w.own) return json_pack("{s:[],s:i}", "items", "total", 0);
  const char *where = " WHERE (CAST(? AS TEXT) IS NULL OR t.policy = ?) AND (CAST(? AS TEXT) IS NULL OR t.state = ?)"
                      " AND (CAST(? AS TEXT) IS NULL OR p.id_number = ?)";
  char sql[1400];
  snprintf(sql, sizeof sql,
           "SELECT " ENT_COLS ", COUNT(*) OVER () FROM talent_entitlement t JOIN person p ON p.id = t.person_id%s"
           " ORDER BY t.id DESC LIMIT ? OFFSET ?",
           where);
  Stmt *st = db_prepare(db, sql, e);
  if (!st) return NULL;
  const char *own = w.reads ? NULL : w.own;
  stmt_bind_text(st, 1, policy);
  stmt_bind_text(st, 2, policy);
  stmt_bind_text(st, 3, state);
  stmt_bind_text(st, 4, state);
  stmt_bind_text(st, 5, own);
  stmt_bind_text(st, 6, own);
  stmt_bind_int(st, 7, per_page);
  stmt_bind_int(st, 8, (int64_t)(page - 1) * per_page);
  json_t *items = json_array();
  int64_t total = 0;
  int rc;
  while ((rc = stmt_step(st, e)) == 1) {
    json_array_append_new(items, ent_row(st));
    total = stmt_int(st, 15);
  }
  stmt_done(st);
  if (rc < 0) return json_decref(items), NULL;
  return json_pack("{s:o,s:I}", "items", items, "total", (json_int_t)total);
}

json_t *talent_ledger(Store *s, const User *actor, const char *policy, int year, int64_t before, Err *e) {
  Db *db = store_reader(s);
  Who w = who(db, actor);
  if (!w.reads) return not_found(e), NULL;
  if (!policy || !talent_policy_name(policy))
    return err_setf(e, E_INVALID, "talent.bad_policy", "policy", "没有这项人才政策：%s", "No such talent policy: %s",
                    policy ? policy : ""),
           NULL;
  /* balances from the entries themselves, and the running ones kept beside */
  int64_t sums[NACCOUNT] = {0}, kept[NACCOUNT] = {0};
  Stmt *st = db_prepare(db, "SELECT account, SUM(amount) FROM (SELECT from_account AS account, -amount_fen AS amount"
                            " FROM talent_ledger WHERE policy = ? AND year = ? UNION ALL SELECT to_account, amount_fen"
                            " FROM talent_ledger WHERE policy = ? AND year = ?) x GROUP BY account",
                        e);
  if (!st) return NULL;
  stmt_bind_text(st, 1, policy);
  stmt_bind_int(st, 2, year);
  stmt_bind_text(st, 3, policy);
  stmt_bind_int(st, 4, year);
  int rc;
  while ((rc = stmt_step(st, e)) == 1)
    for (int i = 0; i < NACCOUNT; i++)
      if (strcmp(stmt_text(st, 0), accounts[i]) == 0) sums[i] = stmt_int(st, 1);
  stmt_done(st);
  if (rc < 0) return NULL;
  if (!(st = db_prepare(db, "SELECT appropriation_fen, available_fen, committed_fen, paid_fen, recovered_fen"
                            " FROM talent_budget WHERE policy = ? AND year = ?",
                        e)))
    return NULL;
  stmt_bind_text(st, 1, policy);
  stmt_bind_int(st, 2, year);
  if ((rc = stmt_step(st, e)) == 1)
    for (int i = 0; i < NACCOUNT; i++) kept[i] = stmt_int(st, i);
  stmt_done(st);
  if (rc < 0) return NULL;
  int64_t total = 0;
  bool balanced = true;
  for (int i = 0; i < NACCOUNT; i++) total += sums[i], balanced = balanced && sums[i] == kept[i];
  balanced = balanced && total == 0;
  json_t *entries = json_array();
  if (!(st = db_prepare(db, "SELECT id, from_account, to_account, amount_fen, instalment_id, memo, created_at"
                            " FROM talent_ledger WHERE policy = ? AND year = ? AND (? = 0 OR id < ?)"
                            " ORDER BY id DESC LIMIT 201",
                        e)))
    return json_decref(entries), NULL;
  stmt_bind_text(st, 1, policy);
  stmt_bind_int(st, 2, year);
  stmt_bind_int(st, 3, before);
  stmt_bind_int(st, 4, before);
  bool more = false;
  int64_t last = 0;
  while ((rc = stmt_step(st, e)) == 1 && !(more = json_array_size(entries) == 200))
    last = stmt_int(st, 0), json_array_append_new(entries, json_pack("{s:I,s:s,s:s,s:I,s:I,s:s,s:o}", "id", (json_int_t)stmt_int(st, 0), "from",
                                             stmt_text(st, 1), "to", stmt_text(st, 2), "amount_fen",
                                             (json_int_t)stmt_int(st, 3), "instalment", (json_int_t)stmt_int(st, 4),
                                             "memo", stmt_text(st, 5), "created_at", jsonx_time(stmt_int(st, 6))));
  stmt_done(st);
  if (rc < 0) return json_decref(entries), NULL;
  /* the budget given is what appropriation gave away */
  /* entries newest first, 200 a page: "before" the id the next page starts below */
  return json_pack("{s:s,s:i,s:{s:I,s:I,s:I,s:I,s:I},s:I,s:b,s:o,s:b,s:o}", "policy", policy, "year", year, "accounts",
                   "appropriation", (json_int_t)sums[0], "available", (json_int_t)sums[1], "committed",
                   (json_int_t)sums[2], "paid", (json_int_t)sums[3], "recovered", (json_int_t)sums[4], "budget_fen",
                   (json_int_t)-sums[0], "balanced",
                   balanced, "entries", entries, "more", more, "next_before",
                   more ? json_integer(last) : json_null());
}

/* ---- the bank: accounts, payment batches and their results ----------------- */

/* mask_account() is an account number with all but its last four digits
** hidden. */
static void mask_account(const char *a, char out[40]) {
  size_t n = strlen(a);
  snprintf(out, 40, "****%.4s", n > 4 ? a + n - 4 : a);
}

/* account_check() is 0 for an account number of digits only (its length
** checked by the decoder), else talent.bad_account. */
static int account_check(const char *a, Err *e) {
  for (const char *c = a; *c; c++)
    if (*c < '0' || *c > '9')
      return err_set(e, E_INVALID, "talent.bad_account", "bank_account", "银行账号应为 8 到 32 位数字",
                     "The account number is 8 to 32 digits");
  return 0;
}

static int bank_job(Db *db, void *arg, Err *e) {
  Job *j = arg;
  Person p;
  if (person_load(db, j->number, &p, e) != 1) return -1;
  char *empty = "{}";
  int64_t rc = db_run(db, e,
                      "INSERT INTO talent_record(person_id, facts, sources, bank_name, bank_account, updated_at,"
                      " updated_by) VALUES (?,?,?,?,?,?,?) ON CONFLICT (person_id) DO UPDATE SET"
                      " bank_name = excluded.bank_name, bank_account = excluded.bank_account",
                      "ittttii", p.id, empty, empty, j->bank, j->account, j->now, j->actor->id);
  char obj[48], masked[40];
  snprintf(obj, sizeof obj, "talent_record:%lld", (long long)p.id);
  mask_account(j->account, masked);
  json_t *d = json_pack("{s:s,s:s}", "bank_name", j->bank, "bank_account", masked);
  if (rc >= 0) rc = audit_append(db, j->actor, "talent.bank_account", obj, d, e);
  json_decref(d);
  person_clear(&p);
  return rc < 0 ? -1 : 0;
}

json_t *talent_bank_put(Store *s, const User *actor, const char *number, const json_t *in, Err *e) {
  Who w = who(store_reader(s), actor);
  if (!w.officer && !(w.own && strcmp(w.own, number ? number : "") == 0)) return not_found(e), NULL;
  Job j = {.actor = actor, .now = now_ms(), .number = number};
  JField f[] = {{"bank_name", J_STR, true, j.bank, sizeof j.bank, 2, 40, NULL},
                {"bank_account", J_STR, true, j.account, sizeof j.account, 8, 32, NULL}};
  if (jsonx_decode(in, f, (int)XQ_COUNT(f), false, e)) return NULL;
  if (account_check(j.account, e)) return NULL;
  if (store_write(s, bank_job, &j, e)) return NULL;
  return talent_record(s, actor, number, NULL, e);
}

static int confirm_job(Db *db, void *arg, Err *e) {
  Job *j = arg;
  /* the account first (the bank route's own write), then the confirmation */
  if (bank_job(db, j, e)) return -1;
  int64_t n = db_run(db, e,
                     "UPDATE talent_entitlement SET confirmed_at = ? WHERE id = ? AND origin = 'scan'"
                     " AND confirmed_at IS NULL",
                     "ii", j->now, j->id);
  if (n < 0) return -1;
  if (n == 0)
    return err_set(e, E_CONFLICT, "talent.not_awaiting", "id", "这项享受政策不是免申即享待确认的（或已确认）",
                   "This entitlement is not a grant without applying awaiting confirmation (or it was confirmed)");
  char obj[48], masked[40];
  snprintf(obj, sizeof obj, "talent_entitlement:%lld", (long long)j->id);
  mask_account(j->account, masked);
  json_t *d = json_pack("{s:s,s:s}", "bank_name", j->bank, "bank_account", masked);
  int rc = audit_append(db, j->actor, "talent.confirm", obj, d, e);
  json_decref(d);
  return rc;
}

json_t *talent_confirm(Store *s, const User *actor, int64_t id, const json_t *in, Err *e) {
  Db *db = store_reader(s);
  Who w = who(db, actor);
  /* whose it is: the person itself confirms; anyone else is told nothing */
  Stmt *st = db_prepare(db, "SELECT p.id_number FROM talent_entitlement t JOIN person p ON p.id = t.person_id"
                            " WHERE t.id = ?", e);
  if (!st) return NULL;
  stmt_bind_int(st, 1, id);
  char number[32] = "";
  int rc = stmt_step(st, e);
  if (rc == 1) snprintf(number, sizeof number, "%s", stmt_text(st, 0));
  stmt_done(st);
  if (rc < 0) return NULL;
  if (rc == 0 || !w.own || strcmp(w.own, number) != 0) return not_found(e), NULL;
  Job j = {.actor = actor, .now = now_ms(), .number = number, .id = id};
  JField f[] = {{"bank_name", J_STR, true, j.bank, sizeof j.bank, 2, 40, NULL},
                {"bank_account", J_STR, true, j.account, sizeof j.account, 8, 32, NULL}};
  if (jsonx_decode(in, f, (int)XQ_COUNT(f), false, e)) return NULL;
  if (account_check(j.account, e)) return NULL;
  if (store_write(s, confirm_job, &j, e)) return NULL;
  return talent_entitlement(s, actor, id, e);
}

/* The bank's file: what is sent (an export), and the same columns with
** 结果 and 原因 filled in as the bank's result (an import). */
static const SheetEnum results[] = {{"ok", "成功"}, {"fail", "失败"}, {NULL, NULL}};
static const SheetCol bank_cols[] = {
    {"instalment", "序号", SK_INT, SC_REQUIRED, NULL, 10},
    {"name", "姓名", SK_TEXT, 0, NULL, 12},
    {"number", "证件号码", SK_TEXT, 0, NULL, 22},
    {"bank_name", "开户银行", SK_TEXT, 0, NULL, 24},
    {"bank_account", "银行账号", SK_TEXT, 0, NULL, 26},
    {"amount", "金额（元）", SK_NUMBER, 0, NULL, 14},
    {"memo", "摘要", SK_TEXT, 0, NULL, 30},
    {"result", "结果", SK_ENUM, 0, results, 8},
    {"reason", "原因", SK_TEXT, 0, NULL, 30},
};
static const SheetTable bank_table = {"代发明细", bank_cols, (int)XQ_COUNT(bank_cols), NULL, NULL};

static int batch_job(Db *db, void *arg, Err *e) {
  Job *j = arg;
  const char *policy = j->policy[0] ? j->policy : NULL;
  /* what can be sent: approved, not yet sent, to a person with an account */
  const char *from = " FROM talent_instalment i JOIN talent_entitlement t ON t.id = i.entitlement_id"
                     " JOIN talent_record r ON r.person_id = t.person_id"
                     " WHERE i.state = 'approved' AND i.batch_id = 0 AND r.bank_account <> ''"
                     /* 免申即享: not before the person confirmed it */
                     " AND (t.origin <> 'scan' OR t.confirmed_at IS NOT NULL)"
                     " AND (CAST(? AS TEXT) IS NULL OR t.policy = ?)";
  char sql[900];
  snprintf(sql, sizeof sql, "SELECT COUNT(*), COALESCE(SUM(i.amount_fen), 0)%s", from);
  Stmt *st = db_prepare(db, sql, e);
  if (!st) return -1;
  stmt_bind_text(st, 1, policy);
  stmt_bind_text(st, 2, policy);
  int64_t items = -1, total = 0;
  if (stmt_step(st, e) == 1) items = stmt_int(st, 0), total = stmt_int(st, 1);
  stmt_done(st);
  if (items < 0) return -1;
  if (items == 0)
    return err_set(e, E_CONFLICT, "talent.nothing_to_pay", "policy",
                   "没有可发放的款项（已核准、未发送、本人已登记银行账号）",
                   "Nothing to pay: no approved instalment not yet sent to a person with a bank account");
  if (!(st = db_prepare(db, "INSERT INTO talent_batch(policy, items, total_fen, created_at, created_by)"
                            " VALUES (?,?,?,?,?) RETURNING id", e)))
    return -1;
  stmt_bind_text(st, 1, j->policy);
  stmt_bind_int(st, 2, items);
  stmt_bind_int(st, 3, total);
  stmt_bind_int(st, 4, j->now);
  stmt_bind_int(st, 5, j->actor->id);
  int rc = stmt_step(st, e);
  if (rc == 1) j->id = stmt_int(st, 0);
  stmt_done(st);
  if (rc != 1) return -1;
  snprintf(sql, sizeof sql, "UPDATE talent_instalment SET batch_id = ? WHERE id IN (SELECT i.id%s)", from);
  if (db_run(db, e, sql, "itt", j->id, policy, policy) != items) return e->code[0] ? -1 : err_set(e, E_INTERNAL, "talent.batch", NULL, "发放批次与明细不符", "The batch does not match its lines");
  char obj[48];
  snprintf(obj, sizeof obj, "talent_batch:%lld", (long long)j->id);
  json_t *d = json_pack("{s:s,s:I,s:I}", "policy", j->policy, "items", (json_int_t)items, "total_fen", (json_int_t)total);
  rc = audit_append(db, j->actor, "talent.batch", obj, d, e);
  json_decref(d);
  return rc;
}

json_t *talent_batch_create(Store *s, const User *actor, const json_t *in, Err *e) {
  Who w = who(store_reader(s), actor);
  if (!w.officer) return forbidden(e), NULL;
  Job j = {.actor = actor, .now = now_ms()};
  JField f[] = {{"policy", J_STR, false, j.policy, sizeof j.policy, 1, 31, NULL}};
  if (jsonx_decode(in, f, (int)XQ_COUNT(f), false, e)) return NULL;
  if (j.policy[0] && !talent_policy_name(j.policy))
    return err_setf(e, E_INVALID, "talent.bad_policy", "policy", "没有这项人才政策：%s", "No such talent policy: %s",
                    j.policy),
           NULL;
  if (store_write(s, batch_job, &j, e)) return NULL;
  return talent_batch(s, actor, j.id, e);
}

#define BATCH_COLS "b.id, b.policy, b.items, b.total_fen, b.state, b.created_at, b.settled_at"

static json_t *batch_row(Stmt *st) {
  return json_pack("{s:I,s:s,s:I,s:I,s:s,s:o,s:o}", "id", (json_int_t)stmt_int(st, 0), "policy", stmt_text(st, 1),
                   "items", (json_int_t)stmt_int(st, 2), "total_fen", (json_int_t)stmt_int(st, 3), "state",
                   stmt_text(st, 4), "created_at", jsonx_time(stmt_int(st, 5)), "settled_at",
                   jsonx_time(stmt_null(st, 6) ? 0 : stmt_int(st, 6)));
}

json_t *talent_batches(Store *s, const User *actor, Err *e) {
  Db *db = store_reader(s);
  if (!who(db, actor).reads) return not_found(e), NULL;
  Stmt *st = db_prepare(db, "SELECT " BATCH_COLS " FROM talent_batch b ORDER BY b.id DESC LIMIT 200", e);
  if (!st) return NULL;
  json_t *items = json_array();
  int rc;
  while ((rc = stmt_step(st, e)) == 1) json_array_append_new(items, batch_row(st));
  stmt_done(st);
  if (rc < 0) return json_decref(items), NULL;
  return json_pack("{s:o}", "items", items);
}

/* Line: one payment of a batch, as the bank's file has it. */
#define LINE_COLS                                                                                                     \
  "i.id, p.name, p.id_number, r.bank_name, r.bank_account, i.amount_fen, t.policy, i.due, i.state, i.reason, i.seq"
#define LINE_FROM                                                                                                     \
  " FROM talent_instalment i JOIN talent_entitlement t ON t.id = i.entitlement_id JOIN person p ON p.id = t.person_id" \
  " JOIN talent_record r ON r.person_id = t.person_id"

/* batch_lines() is the payments of batch id: sent ones (batch_id) and,
** once the bank answered, those paid in it or refused (their reason says
** so); each row given to each(), which returns -1 to stop. */
static int batch_lines(Db *db, int64_t id, int (*each)(Stmt *st, void *arg), void *arg, Err *e) {
  Stmt *st = db_prepare(db, "SELECT " LINE_COLS LINE_FROM " WHERE i.batch_id = ? AND i.batch_id <> 0 ORDER BY i.id" /* index talent_instalment_batch */, e);
  if (!st) return -1;
  stmt_bind_int(st, 1, id);
  int rc;
  while ((rc = stmt_step(st, e)) == 1)
    if (each(st, arg)) break;
  stmt_done(st);
  return rc < 0 ? -1 : 0;
}

static int line_json(Stmt *st, void *arg) {
  char masked[40];
  mask_account(stmt_text(st, 4), masked);
  json_array_append_new(arg, json_pack("{s:I,s:s,s:s,s:s,s:I,s:s,s:s,s:s,s:s}", "instalment",
                                       (json_int_t)stmt_int(st, 0), "name", stmt_text(st, 1), "bank_name",
                                       stmt_text(st, 3), "bank_account", masked, "amount_fen",
                                       (json_int_t)stmt_int(st, 5), "policy", stmt_text(st, 6), "due",
                                       stmt_text(st, 7), "state", stmt_text(st, 8), "reason", stmt_text(st, 9)));
  return 0;
}

json_t *talent_batch(Store *s, const User *actor, int64_t id, Err *e) {
  Db *db = store_reader(s);
  if (!who(db, actor).reads) return not_found(e), NULL;
  Stmt *st = db_prepare(db, "SELECT " BATCH_COLS " FROM talent_batch b WHERE b.id = ?", e);
  if (!st) return NULL;
  stmt_bind_int(st, 1, id);
  int rc = stmt_step(st, e);
  json_t *out = rc == 1 ? batch_row(st) : NULL;
  stmt_done(st);
  if (rc == 0) err_set(e, E_NOTFOUND, "talent.no_batch", "id", "没有这一发放批次", "No such payment batch");
  if (!out) return NULL;
  json_t *lines = json_array();
  if (batch_lines(db, id, line_json, lines, e)) return json_decref(lines), json_decref(out), NULL;
  json_object_set_new(out, "lines", lines);
  return out;
}

/* Export: the bank's file being written. */
typedef struct Export {
  SheetOut *o;
} Export;

static int line_out(Stmt *st, void *arg) {
  Export *x = arg;
  char amount[32], id[24], memo[160];
  int64_t fen = stmt_int(st, 5);
  snprintf(amount, sizeof amount, "%lld.%02lld", (long long)(fen / 100), (long long)(fen % 100));
  snprintf(id, sizeof id, "%lld", (long long)stmt_int(st, 0));
  const char *name = talent_policy_name(stmt_text(st, 6));
  snprintf(memo, sizeof memo, "%s 第%lld期", name ? name : stmt_text(st, 6), (long long)stmt_int(st, 10));
  const char *v[] = {id, stmt_text(st, 1), stmt_text(st, 2), stmt_text(st, 3), stmt_text(st, 4), amount, memo, "", ""};
  sheet_out_row(x->o, v);
  return 0;
}

int talent_batch_export(Store *s, const User *actor, int64_t id, bool xlsx, Buf *out, Err *e) {
  Db *db = store_reader(s);
  if (!who(db, actor).officer) return forbidden(e);
  json_t *b = talent_batch(s, actor, id, e);
  if (!b) return -1;
  json_decref(b);
  Export x = {sheet_out_new(xlsx, e)};
  if (!x.o) return -1;
  char title[96];
  snprintf(title, sizeof title, "人才政策兑现 代发批次 %lld", (long long)id);
  sheet_out_begin(x.o, &bank_table, title);
  if (batch_lines(db, id, line_out, &x, e)) {
    Buf junk = {0};
    sheet_out_end(x.o, &junk, e);
    buf_free(&junk);
    return -1;
  }
  return sheet_out_end(x.o, out, e) < 0 ? -1 : 0;
}

/* Result: the bank's answer being read and applied. */
typedef struct ResultRow {
  int64_t instalment, amount, entitlement;
  char due[11], policy[32], reason[400];
  bool ok;
} ResultRow;

typedef struct ResultJob {
  Job j;
  Db *db;
  ResultRow *aRow;
  int nRow, nAlloc;
  int64_t paid, refused;
} ResultJob;

static int result_decode(void *ctx, int i, const json_t *row, int64_t line, Err *why) {
  (void)line;
  ResultJob *r = ctx;
  if (i >= r->nAlloc) {
    r->nAlloc = r->nAlloc ? 2 * r->nAlloc : 64;
    if (r->nAlloc <= i) r->nAlloc = i + 1;
    r->aRow = xrealloc(r->aRow, (size_t)r->nAlloc * sizeof *r->aRow);
  }
  ResultRow *x = &r->aRow[i];
  memset(x, 0, sizeof *x);
  json_t *id = json_object_get(row, "instalment");
  const char *res = json_string_value(json_object_get(row, "result")),
             *reason = json_string_value(json_object_get(row, "reason")),
             *amount = json_string_value(json_object_get(row, "amount"));
  if (!json_is_integer(id)) return err_set(why, E_INVALID, "request.missing_field", "instalment", "请填写序号", "Give the line's number");
  if (!res) return err_set(why, E_INVALID, "request.missing_field", "result", "请填写结果（成功或失败）", "Give the result (成功 or 失败)");
  x->instalment = json_integer_value(id);
  x->ok = strcmp(res, "ok") == 0;
  if (!x->ok && (!reason || !*reason))
    return err_set(why, E_INVALID, "request.missing_field", "reason", "失败的须写明原因", "A failed payment gives its reason");
  snprintf(x->reason, sizeof x->reason, "%s", reason ? reason : "");
  for (int k = 0; k < i; k++) /* rows are decoded in order, each refused one leaves its slot */
    if (r->aRow[k].instalment == x->instalment)
      return err_set(why, E_INVALID, "talent.duplicate_line", "instalment", "序号重复", "The same line twice");
  Stmt *st = db_prepare(r->db, "SELECT i.amount_fen, i.due, t.policy, i.entitlement_id FROM talent_instalment i"
                               " JOIN talent_entitlement t ON t.id = i.entitlement_id"
                               " WHERE i.id = ? AND i.batch_id = ? AND i.state = 'approved'", why);
  if (!st) return -1;
  stmt_bind_int(st, 1, x->instalment);
  stmt_bind_int(st, 2, r->j.id);
  int rc = stmt_step(st, why);
  if (rc == 1) {
    x->amount = stmt_int(st, 0);
    snprintf(x->due, sizeof x->due, "%s", stmt_text(st, 1));
    snprintf(x->policy, sizeof x->policy, "%s", stmt_text(st, 2));
    x->entitlement = stmt_int(st, 3);
  }
  stmt_done(st);
  if (rc < 0) return -1;
  if (rc == 0)
    return err_set(why, E_INVALID, "talent.not_in_batch", "instalment", "该序号不在本批次的待发放明细中（或已处理）",
                   "That line is not awaiting payment in this batch (or was settled)");
  if (amount) {
    char digits[40], *o = digits;
    for (const char *p = amount; *p && o < digits + sizeof digits - 1; p++)
      if (*p != ',') *o++ = *p;
    *o = 0;
    long long yuan = 0, cents = 0;
    int got = 0;
    char tail = 0;
    if (strchr(digits, '.')) {
      char frac[8] = "";
      got = sscanf(digits, "%lld.%7[0-9]%c", &yuan, frac, &tail);
      size_t nf = strlen(frac);
      cents = nf == 0 ? 0 : nf == 1 ? (frac[0] - '0') * 10 : nf == 2 ? atoi(frac) : -1;
      got = got == 2 && cents >= 0;
    } else
      got = sscanf(digits, "%lld%c", &yuan, &tail) == 1;
    if (!got || yuan * 100 + cents != x->amount)
      return err_set(why, E_INVALID, "talent.amount_mismatch", "amount", "金额与发放明细不符",
                     "The amount differs from the payment sent");
  }
  return 0;
}

static int result_job(Db *db, void *arg, Err *e) {
  ResultJob *r = arg;
  Job *j = &r->j;
  for (int i = 0; i < r->nRow; i++) {
    ResultRow *x = &r->aRow[i];
    int rc;
    if (x->ok) {
      int y;
      sscanf(x->due, "%4d", &y);
      rc = db_run(db, e, "UPDATE talent_instalment SET state = 'paid', paid_on = ? WHERE id = ? AND batch_id = ?"
                  " AND state = 'approved'", "tii", j->today, x->instalment, j->id) == 1 ? 0 : -1;
      if (!rc) rc = move(db, j, x->policy, y, "committed", "paid", x->amount, x->instalment, "银行代发成功", e);
      r->paid++;
    } else {
      char reason[480];
      snprintf(reason, sizeof reason, "银行退回：%s", x->reason);
      rc = db_run(db, e, "UPDATE talent_instalment SET batch_id = 0, reason = ? WHERE id = ? AND batch_id = ?"
                  " AND state = 'approved'", "tii", reason, x->instalment, j->id) == 1 ? 0 : -1;
      r->refused++;
    }
    if (rc) return e->code[0] ? -1 : err_set(e, E_CONFLICT, "talent.not_in_batch", "instalment", "明细已被处理", "A line was settled meanwhile");
  }
  int64_t left = -1;
  Stmt *st = db_prepare(db, "SELECT COUNT(*) FROM talent_instalment WHERE batch_id = ? AND batch_id <> 0 AND state = 'approved'", e);
  if (!st) return -1;
  stmt_bind_int(st, 1, j->id);
  if (stmt_step(st, e) == 1) left = stmt_int(st, 0);
  stmt_done(st);
  if (left < 0) return -1;
  if (left == 0 && db_run(db, e, "UPDATE talent_batch SET state = 'settled', settled_at = ? WHERE id = ?", "ii", j->now, j->id) < 0)
    return -1;
  char obj[48];
  snprintf(obj, sizeof obj, "talent_batch:%lld", (long long)j->id);
  json_t *d = json_pack("{s:I,s:I,s:I}", "paid", (json_int_t)r->paid, "refused", (json_int_t)r->refused, "left", (json_int_t)left);
  int rc = audit_append(db, j->actor, "talent.bank_result", obj, d, e);
  json_decref(d);
  return rc;
}

json_t *talent_batch_result(Store *s, const User *actor, int64_t id, const void *data, size_t n, Err *e) {
  Db *db = store_reader(s);
  if (!who(db, actor).officer) return forbidden(e), NULL;
  json_t *b = talent_batch(s, actor, id, e);
  if (!b) return NULL;
  json_decref(b);
  ResultJob r = {.j = {.actor = actor, .now = now_ms(), .id = id}, .db = db};
  time_today_cn(r.j.today);
  int64_t rows = sheet_import(&bank_table, data, n, SHEET_MAX_ROWS, result_decode, &r, e);
  json_t *out = NULL;
  if (rows >= 0) {
    r.nRow = (int)rows;
    ErrList *all = e->all;
    if (!store_write(s, result_job, &r, e)) out = talent_batch(s, actor, id, e);
    e->all = all;
    if (out) {
      json_object_set_new(out, "paid", json_integer(r.paid));
      json_object_set_new(out, "refused", json_integer(r.refused));
    }
  }
  free(r.aRow);
  return out;
}

/* ---- figures ---------------------------------------------------------------- */

json_t *talent_stats(Store *s, const User *actor, int year, Err *e) {
  Db *db = store_reader(s);
  if (actor && !who(db, actor).reads) return not_found(e), NULL;
  char from[11], to[11];
  snprintf(from, sizeof from, "%04d-01-01", year);
  snprintf(to, sizeof to, "%04d-12-31", year);
  bool pg = db_kind(db) == DB_PG;
  /* a fact of the record as text, in each dialect */
#define FACT(k) (pg ? "(r.facts::jsonb ->> '" k "')" : "json_extract(r.facts, '$." k "')")
  char sql[1200];
  snprintf(sql, sizeof sql,
           "SELECT"
           " (SELECT COUNT(*) FROM talent_record r WHERE %s IS NOT NULL AND %s BETWEEN ? AND ?),"
           " (SELECT COUNT(*) FROM talent_record r WHERE %s IS NOT NULL AND %s BETWEEN ? AND ?),"
           " (SELECT COUNT(*) FROM talent_record r WHERE %s AND %s <= ? AND (%s IS NULL OR %s >= ?))",
           FACT("talent_tier"), FACT("tier_on"), FACT("shortage_position"), FACT("shortage_on"),
           pg ? "(r.facts::jsonb ->> 'foreign_expert') = 'true'" : "json_extract(r.facts, '$.foreign_expert') = 1",
           FACT("expert_on"), FACT("expert_until"), FACT("expert_until"));
#undef FACT
  Stmt *st = db_prepare(db, sql, e);
  if (!st) return NULL;
  stmt_bind_text(st, 1, from), stmt_bind_text(st, 2, to);
  stmt_bind_text(st, 3, from), stmt_bind_text(st, 4, to);
  stmt_bind_text(st, 5, to), stmt_bind_text(st, 6, from);
  int64_t high = -1, shortage = 0, experts = 0;
  if (stmt_step(st, e) == 1) high = stmt_int(st, 0), shortage = stmt_int(st, 1), experts = stmt_int(st, 2);
  stmt_done(st);
  if (high < 0) return NULL;
  /* housing subsidies paid in the year: the policies of kind housing */
  json_t *kinds = talent_policies(), *x, *housing = json_array();
  size_t i;
  int64_t paid = 0;
  json_array_foreach(kinds, i, x) {
    const char *code = json_string_value(json_object_get(x, "code"));
    if (strcmp(json_string_value(json_object_get(x, "kind")), "housing") != 0) continue;
    json_array_append_new(housing, json_string(code));
    /* what was paid in the year, less what has been recovered of it */
    if (!(st = db_prepare(db, "SELECT COALESCE(SUM(i.amount_fen - i.recovered_fen), 0) FROM talent_instalment i"
                              " JOIN talent_entitlement t ON t.id = i.entitlement_id WHERE t.policy = ?"
                              " AND i.state IN ('paid', 'recovered') AND i.paid_on BETWEEN ? AND ?", e))) {
      json_decref(kinds);
      json_decref(housing);
      return NULL;
    }
    stmt_bind_text(st, 1, code);
    stmt_bind_text(st, 2, from);
    stmt_bind_text(st, 3, to);
    int rc = stmt_step(st, e);
    if (rc == 1) paid += stmt_int(st, 0);
    stmt_done(st);
    if (rc != 1) {
      json_decref(kinds);
      json_decref(housing);
      return NULL;
    }
  }
  json_decref(kinds);
  return json_pack("{s:i,s:I,s:I,s:I,s:I,s:o,s:s}", "year", year, "high_level", (json_int_t)high, "shortage",
                   (json_int_t)shortage, "foreign_experts", (json_int_t)experts, "housing_paid_fen", (json_int_t)paid,
                   "housing_policies", housing, "definitions",
                   "高层次人才、紧缺人才：当年认定的人数；外国专家：当年在区工作（起止日期与当年相交）的人数；"
                   "住房补贴：住房类政策（kind: housing）当年实际支付的金额");
}

/* ---- policy officers edit the policies ------------------------------------ */

json_t *talent_rule_add(Store *s, const User *actor, const json_t *in, Err *e) {
  if (!talent_officer(store_reader(s), actor)) return forbidden(e), NULL;
  const char *src = json_string_value(json_object_get(in, "source"));
  if (!json_is_object(in) || json_object_size(in) != 1 || !src || strlen(src) > 64 * 1024)
    return err_set(e, E_INVALID, "request.missing_field", "source", "请提交规则文本 source（至多 64 KiB）",
                   "Give the rule's text as source (64 KiB at most)"),
           NULL;
  return talent_publish(s, actor, src, e);
}

/* same_kind() is true when value may follow was: both integers not below 0,
** or both of one other JSON type. */
static bool same_kind(const json_t *was, const json_t *value) {
  if (json_is_integer(was)) return json_is_integer(value) && json_integer_value(value) >= 0;
  return json_typeof(was) == json_typeof(value);
}

typedef struct ParamJob {
  const User *actor;
  const char *scope, *from;
  const json_t *params; /* {key: value} */
} ParamJob;

static int param_job(Db *db, void *arg, Err *e) {
  ParamJob *j = arg;
  const char *key;
  json_t *v;
  json_object_foreach((json_t *)j->params, key, v) if (params_set_in(db, j->actor, j->scope, key, v, j->from, e)) return -1;
  return 0;
}

json_t *talent_param_set(Store *s, const User *actor, const char *policy, const json_t *in, Err *e) {
  Db *db = store_reader(s);
  if (!talent_officer(db, actor)) return forbidden(e), NULL;
  if (talent_sync(db, e)) return NULL;
  json_t *history = policy && talent_policy_name(policy) ? talent_params(policy) : NULL, *out = NULL;
  if (!history)
    return err_setf(e, E_NOTFOUND, "talent.bad_policy", "policy", "没有这项人才政策：%s", "No such talent policy: %s",
                    policy ? policy : ""),
           NULL;
  const char *k, *from = json_string_value(json_object_get(in, "effective_from"));
  const json_t *params = json_object_get(in, "params"), *v;
  char today[11], field[80];
  time_today_cn(today);
  json_object_foreach((json_t *)in, k, v) if (strcmp(k, "params") != 0 && strcmp(k, "effective_from") != 0) {
    err_setf(e, E_INVALID, "request.unknown_field", k, "不认识的字段：%s", "Unknown field: %s", k);
    goto out;
  }
  if (!json_is_object(params) || !json_object_size(params)) {
    err_set(e, E_INVALID, "request.missing_field", "params", "请给出要调整的参数 params：{参数: 新值}",
            "Give the parameters to change as params: {key: new value}");
    goto out;
  }
  json_object_foreach((json_t *)params, k, v) {
    json_t *versions = json_object_get(history, k), *x;
    snprintf(field, sizeof field, "params.%s", k);
    if (!json_array_size(versions)) {
      err_setf(e, E_INVALID, "talent.bad_param", field, "该政策没有这项参数：%s", "The policy has no such parameter: %s", k);
      goto out;
    }
    /* The newest version, shipped or added: a new one is of its kind and
    ** comes after it, or in its place while it is not yet in force (as
    ** params_set() keeps the table's, here for the shipped ones too). */
    const json_t *last = NULL;
    const char *lastFrom = "";
    size_t i;
    json_array_foreach(versions, i, x) {
      const char *f = json_string_value(json_object_get(x, "from"));
      if (f && strcmp(f, lastFrom) >= 0) lastFrom = f, last = json_object_get(x, "value");
    }
    if (!same_kind(last, v)) {
      err_setf(e, E_INVALID, "talent.bad_param", field, "参数值的类型应与现行值相同（金额、期数等为非负整数）：%s",
               "The value must be of the current value's kind (amounts, counts: integers from 0): %s", k);
      goto out;
    }
    if (from && (strcmp(from, lastFrom) < 0 || (strcmp(from, lastFrom) == 0 && strcmp(lastFrom, today) <= 0))) {
      err_setf(e, E_CONFLICT, "param.before_newest", "effective_from", "生效日期应晚于已有的最新版本（%s）",
               "effective_from must come after the newest version (%s)", lastFrom);
      goto out;
    }
  }
  /* A value the rule cannot run with (no instalments, say) is refused before
  ** it decides anything: the what-if over the register finds it. (A day
  ** that is not one is the write's to refuse, as for any parameter.) */
  int day;
  if (!from || cal_parse_date(from, &day) == 0) {
    json_t *probe_in = json_pack("{s:s,s:O,s:s?}", "policy", policy, "params", params, "from", from),
           *probe = talent_whatif(s, actor, probe_in, e);
    json_decref(probe_in);
    if (!probe) goto out;
    json_decref(probe);
  }
  char scope[64];
  snprintf(scope, sizeof scope, "talent.%s", policy);
  ParamJob j = {actor, scope, from, params};
  if (store_write(s, param_job, &j, e) || talent_sync(db, e)) goto out;
  json_t *now = talent_params(policy), *changed = json_object();
  json_object_foreach((json_t *)params, k, v) json_object_set(changed, k, json_object_get(now, k));
  out = json_pack("{s:s,s:o}", "policy", policy, "params", changed);
  json_decref(now);
out:
  json_decref(history);
  return out;
}

/* ---- 追回: money paid back --------------------------------------------------- */

typedef struct RecoverJob {
  Job j;                  /* actor, now, today, id (the instalment) */
  int64_t amount;         /* recovered now */
  const char *reason;     /* why (the finding) */
  bool stop_rest;         /* stop what is still to pay of the entitlement */
  int64_t entitlement_id; /* out */
} RecoverJob;

static int recover_job(Db *db, void *arg, Err *e) {
  RecoverJob *r = arg;
  Job *j = &r->j;
  Inst x;
  if (inst_load(db, j->id, &x, e) != 1) return -1;
  r->entitlement_id = x.entitlement_id;
  if (strcmp(x.state, "paid") != 0)
    return err_set(e, E_CONFLICT, "talent.bad_state", "id", "只能追回已支付的一期（已全部追回的不再追回）",
                   "Only a paid instalment is recovered (one recovered in full is not again)");
  int64_t done = -1;
  Stmt *st = db_prepare(db, "SELECT recovered_fen FROM talent_instalment WHERE id = ?", e);
  if (!st) return -1;
  stmt_bind_int(st, 1, x.id);
  if (stmt_step(st, e) == 1) done = stmt_int(st, 0);
  stmt_done(st);
  if (done < 0) return -1;
  if (r->amount > x.amount - done) {
    char left[40];
    snprintf(left, sizeof left, "%lld.%02lld", (long long)((x.amount - done) / 100), (long long)((x.amount - done) % 100));
    return err_setf(e, E_INVALID, "talent.bad_amount", "amount_fen", "追回金额超过该期尚未追回的金额（%s 元）",
                    "More than is left to recover of this instalment (%s yuan)", left);
  }
  char memo[600], obj[48];
  snprintf(memo, sizeof memo, "追回：%s", r->reason);
  snprintf(obj, sizeof obj, "talent_entitlement:%lld", (long long)x.entitlement_id);
  int y;
  sscanf(x.due, "%4d", &y);
  if (db_run(db, e,
             "UPDATE talent_instalment SET recovered_fen = recovered_fen + ?, reason = ?,"
             " state = CASE WHEN recovered_fen + ? = amount_fen THEN 'recovered' ELSE state END"
             " WHERE id = ? AND state = 'paid'",
             "itii", r->amount, memo, r->amount, x.id) != 1 ||
      move(db, j, x.policy, y, "paid", "recovered", r->amount, x.id, memo, e))
    return -1;
  int64_t stopped = 0, released = 0;
  if (r->stop_rest) {
    /* What is approved and not yet sent to the bank goes back to the budget
    ** it was committed from; what is pending stops; a payment already with
    ** the bank is settled by its result. */
    st = db_prepare(db, "SELECT id, due, amount_fen FROM talent_instalment WHERE entitlement_id = ? AND state = 'approved'"
                        " AND batch_id = 0 ORDER BY seq", e);
    if (!st) return -1;
    stmt_bind_int(st, 1, x.entitlement_id);
    int rc;
    while ((rc = stmt_step(st, e)) == 1) {
      int yy;
      sscanf(stmt_text(st, 1), "%4d", &yy);
      if (move(db, j, x.policy, yy, "committed", "available", stmt_int(st, 2), stmt_int(st, 0), memo, e)) {
        rc = -1;
        break;
      }
      released++;
    }
    stmt_done(st);
    if (rc < 0) return -1;
    int64_t n = db_run(db, e,
                       "UPDATE talent_instalment SET state = 'stopped', reason = ?, decided_at = ?, decided_by = ?"
                       " WHERE entitlement_id = ? AND (state = 'pending' OR (state = 'approved' AND batch_id = 0))",
                       "tiii", memo, j->now, j->actor->id, x.entitlement_id);
    /* the entitlement stops when something of it was still to pay */
    if (n < 0 || (n > 0 && db_run(db, e, "UPDATE talent_entitlement SET state = 'stopped', reason = ? WHERE id = ?", "ti",
                                  memo, x.entitlement_id) < 0))
      return -1;
    stopped = n;
  }
  json_t *d = json_pack("{s:I,s:I,s:s,s:b,s:I,s:I}", "instalment", (json_int_t)x.id, "amount_fen", (json_int_t)r->amount,
                        "reason", r->reason, "stop_rest", r->stop_rest, "stopped", (json_int_t)stopped, "released",
                        (json_int_t)released);
  int rc = audit_append(db, j->actor, "talent.recover", obj, d, e);
  json_decref(d);
  return rc;
}

json_t *talent_instalment_recover(Store *s, const User *actor, int64_t id, const json_t *in, Err *e) {
  Who w = who(store_reader(s), actor);
  if (!w.officer) return forbidden(e), NULL;
  RecoverJob r = {.j = {.actor = actor, .now = now_ms(), .id = id}};
  time_today_cn(r.j.today);
  const char *k;
  json_t *v, *amount = json_object_get(in, "amount_fen"), *reason = json_object_get(in, "reason"),
             *stop = json_object_get(in, "stop_rest");
  json_object_foreach((json_t *)in, k, v) if (strcmp(k, "amount_fen") != 0 && strcmp(k, "reason") != 0 &&
                                               strcmp(k, "stop_rest") != 0)
    return err_setf(e, E_INVALID, "request.unknown_field", k, "不认识的字段：%s", "Unknown field: %s", k), NULL;
  if (!json_is_integer(amount) || json_integer_value(amount) <= 0)
    return err_set(e, E_INVALID, "talent.bad_amount", "amount_fen", "请填写追回金额（分，正整数）",
                   "Give the amount recovered (fen, a positive integer)"),
           NULL;
  r.reason = json_string_value(reason);
  size_t n = r.reason ? json_string_length(reason) : 0;
  if (!n || strspn(r.reason, " \t\r\n") == n || n > 500 || strlen(r.reason) != n || !utf8_valid(r.reason, n))
    return err_set(e, E_INVALID, "request.missing_field", "reason", "请写明追回的原因（至多 500 字节）",
                   "Give the reason for the recovery (500 bytes at most)"),
           NULL;
  if (stop && !json_is_boolean(stop))
    return err_set(e, E_INVALID, "request.bad_type", "stop_rest", "stop_rest 应为 true 或 false", "stop_rest must be true or false"),
           NULL;
  r.amount = json_integer_value(amount);
  r.stop_rest = json_is_true(stop);
  if (store_write(s, recover_job, &r, e)) return NULL;
  return talent_entitlement(s, actor, r.entitlement_id, e);
}
