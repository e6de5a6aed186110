/*
** talent_scan.c — 免申即享: the scan over the talent records (talent_scan.h).
*/
#include "talent_scan.h"
#include "talent.h"
#include "talent_pay.h"
#include "audit.h"
#include "../base/buf.h"
#include "../base/cal.h"
#include "../base/jsonx.h"

#include <stdio.h>
#include <string.h>

eScan talent_scan_classify(const json_t *check, json_t **why) {
  json_t *el = json_object_get(check, "eligible"), *x;
  size_t i;
  *why = json_null();
  if (json_is_true(el)) {
    Buf b = {0};
    json_array_foreach(json_object_get(check, "explanation"), i, x) {
      const char *kind = json_string_value(json_object_get(x, "kind")), *text = json_string_value(json_object_get(x, "text"));
      if (!kind || !text || !*text) continue;
      if (strcmp(kind, "rule") == 0 || (strcmp(kind, "criterion") == 0 && json_is_true(json_object_get(x, "met")))) {
        if (b.n) buf_puts(&b, "；");
        buf_puts(&b, text);
      }
    }
    *why = json_string(b.n ? buf_cstr(&b) : "");
    buf_free(&b);
    return SCAN_FOUND;
  }
  int failed = 0, unknown = 0;
  json_t *reasons = json_array();
  json_array_foreach(json_object_get(check, "explanation"), i, x) {
    const char *kind = json_string_value(json_object_get(x, "kind"));
    json_t *met = json_object_get(x, "met");
    if (!kind || strcmp(kind, "criterion") != 0 || json_is_true(met)) continue;
    if (json_is_false(met)) failed++;
    else unknown++;
    json_array_append_new(reasons, json_pack("{s:O,s:b,s:O}", "code", json_object_get(x, "code"), "missing",
                                             !json_is_false(met), "text", json_object_get(x, "text")));
  }
  bool close = json_is_null(el) ? failed == 0 && unknown > 0 : failed == 1 && unknown == 0;
  if (!close) {
    json_decref(reasons);
    return SCAN_NONE;
  }
  *why = reasons;
  return SCAN_CLOSE;
}

/* Hit: a person of the page the scan found, to be granted. */
typedef struct Hit {
  int64_t person_id;
  json_t *check; /* its talent_check() (owned) */
  json_t *item;  /* its line in the answer's found list (borrowed), or NULL beyond the limit */
  int64_t id;    /* the entitlement made (0: none, held meanwhile) */
} Hit;

/* Page: one page's found people, written in one job. */
typedef struct Page {
  const User *actor;
  int64_t now;
  const char *policy, *on;
  Hit *aHit;
  int nHit;
  int64_t created;
} Page;

static int page_job(Db *db, void *arg, Err *e) {
  Page *pg = arg;
  pg->created = 0;
  for (int i = 0; i < pg->nHit; i++) {
    Hit *h = &pg->aHit[i];
    h->id = 0;
    /* granted meanwhile (an officer's decision, another scan): not twice */
    Stmt *st = db_prepare(db, "SELECT id FROM talent_entitlement WHERE person_id = ? AND policy = ?", e);
    if (!st) return -1;
    stmt_bind_int(st, 1, h->person_id);
    stmt_bind_text(st, 2, pg->policy);
    int rc = stmt_step(st, e);
    stmt_done(st);
    if (rc < 0) return -1;
    if (rc == 1) continue;
    /* holding a policy this one may not be held with: passed over */
    char held[32];
    if ((rc = talent_held_exclusive(db, h->person_id, pg->policy, pg->on, held, e)) < 0) return -1;
    if (rc == 1) continue;
    if ((h->id = talent_entitle_on(db, pg->actor, pg->now, h->person_id, pg->policy, pg->on, h->check, NULL, 0, "scan", e)) < 0)
      return -1;
    pg->created++;
  }
  if (!pg->created) return 0;
  char obj[64];
  snprintf(obj, sizeof obj, "talent_scan:%s:%s", pg->policy, pg->on);
  json_t *d = json_pack("{s:s,s:s,s:I,s:I,s:I}", "policy", pg->policy, "on", pg->on, "created",
                        (json_int_t)pg->created, "first_person", (json_int_t)pg->aHit[0].person_id, "last_person",
                        (json_int_t)pg->aHit[pg->nHit - 1].person_id);
  int rc = audit_append(db, pg->actor, "talent.scan", obj, d, e);
  json_decref(d);
  return rc;
}

/* Scan: the answer being built. */
typedef struct Scan {
  const User *actor;
  const char *on;
  bool dry_run;
  int64_t limit;
  json_t *found, *close; /* the lists, at most limit each */
  int64_t found_total, created_total, close_total;
} Scan;

/* scan_policy() scans every record under policy and appends its line to
** lines. 0, or -1 with *e. */
static int scan_policy(Store *s, Scan *sc, const char *policy, json_t *lines, Err *e) {
  const char *pname = talent_policy_name(policy);
  json_t *line = json_pack("{s:s,s:s,s:b,s:i,s:i,s:i,s:i,s:i,s:i}", "policy", policy, "name", pname, "in_force", true,
                           "scanned", 0, "held", 0, "found", 0, "created", 0, "close", 0, "excluded", 0);
  json_array_append_new(lines, line);
  /* a policy not in force that day covers nobody: say so once */
  json_t *empty = json_object(), *probe = talent_check(empty, policy, sc->on, NULL, e);
  json_decref(empty);
  if (!probe) return -1;
  bool in_force = !json_is_null(json_object_get(probe, "rule_version"));
  if (!in_force) {
    json_object_set_new(line, "in_force", json_false());
    json_object_set(line, "reason", json_array_get(json_object_get(probe, "why_not"), 0));
  }
  json_decref(probe);
  if (!in_force) return 0;
  Db *db = store_reader(s);
  int64_t after = 0, scanned = 0, held = 0, found = 0, created = 0, close = 0, excluded = 0;
  Hit *aHit = xmalloc(TALENT_SCAN_PAGE * sizeof *aHit);
  int rc = 0;
  for (;;) {
    Stmt *st = db_prepare(db, "SELECT r.person_id, p.id_number, p.name, r.facts, t.id FROM talent_record r"
                              " JOIN person p ON p.id = r.person_id"
                              " LEFT JOIN talent_entitlement t ON t.person_id = r.person_id AND t.policy = ?"
                              " WHERE r.person_id > ? ORDER BY r.person_id LIMIT ?",
                          e);
    if (!st) {
      rc = -1;
      break;
    }
    stmt_bind_text(st, 1, policy);
    stmt_bind_int(st, 2, after);
    stmt_bind_int(st, 3, TALENT_SCAN_PAGE);
    int nHit = 0, nRow = 0, step;
    while ((step = stmt_step(st, e)) == 1) {
      nRow++;
      after = stmt_int(st, 0);
      scanned++;
      if (!stmt_null(st, 4)) {
        held++;
        continue;
      }
      json_error_t je;
      json_t *facts = json_loads(stmt_text(st, 3), 0, &je);
      json_t *check = facts ? talent_check(facts, policy, sc->on, NULL, e) : NULL;
      json_decref(facts);
      if (!check) {
        if (!facts)
          err_setf(e, E_INTERNAL, "talent.bad_record", NULL, "人才档案数据损坏：%s", "A talent record is damaged: %s",
                   stmt_text(st, 1));
        step = -1;
        break;
      }
      json_t *why;
      eScan k = talent_scan_classify(check, &why);
      char held_code[32];
      int x = k == SCAN_FOUND ? talent_held_exclusive(db, stmt_int(st, 0), policy, sc->on, held_code, e) : 0;
      if (x < 0) {
        json_decref(why);
        json_decref(check);
        step = -1;
        break;
      }
      if (x) {
        /* covered, but holding a policy this one may not be held with: said, not granted */
        excluded++;
        json_decref(why);
        char *text = xasprintf("已享受「%s」，与本政策不能同时享受", talent_policy_name(held_code));
        why = json_pack("[{s:s,s:b,s:s}]", "code", "exclusive", "missing", 0, "text", text);
        free(text);
        k = SCAN_CLOSE;
      }
      if (k == SCAN_FOUND) {
        found++;
        json_t *item = NULL;
        if ((int64_t)json_array_size(sc->found) < sc->limit) {
          item = json_pack("{s:s,s:s,s:s,s:s,s:O,s:I,s:O,s:n}", "number", stmt_text(st, 1), "name", stmt_text(st, 2),
                           "policy", policy, "policy_name", pname, "amount_fen", json_object_get(check, "amount_fen"),
                           "instalments", (json_int_t)json_array_size(json_object_get(check, "instalments")), "why",
                           why, "entitlement");
          json_array_append_new(sc->found, item);
        }
        aHit[nHit++] = (Hit){.person_id = stmt_int(st, 0), .check = check, .item = item};
        check = NULL;
      } else if (k == SCAN_CLOSE) {
        close++;
        if ((int64_t)json_array_size(sc->close) < sc->limit)
          json_array_append_new(sc->close, json_pack("{s:s,s:s,s:s,s:s,s:O}", "number", stmt_text(st, 1), "name",
                                                     stmt_text(st, 2), "policy", policy, "policy_name", pname,
                                                     "reasons", why));
      }
      json_decref(why);
      json_decref(check);
    }
    stmt_done(st);
    if (step < 0) rc = -1;
    if (!rc && nHit && !sc->dry_run) {
      Page pg = {.actor = sc->actor, .now = now_ms(), .policy = policy, .on = sc->on, .aHit = aHit, .nHit = nHit};
      rc = store_write(s, page_job, &pg, e) ? -1 : 0;
      if (!rc) {
        created += pg.created;
        for (int i = 0; i < nHit; i++)
          if (aHit[i].item && aHit[i].id > 0) json_object_set_new(aHit[i].item, "entitlement", json_integer(aHit[i].id));
      }
    }
    for (int i = 0; i < nHit; i++) json_decref(aHit[i].check);
    if (rc || nRow < TALENT_SCAN_PAGE) break;
  }
  free(aHit);
  json_object_set_new(line, "scanned", json_integer(scanned));
  json_object_set_new(line, "held", json_integer(held));
  json_object_set_new(line, "found", json_integer(found));
  json_object_set_new(line, "created", json_integer(created));
  json_object_set_new(line, "close", json_integer(close));
  json_object_set_new(line, "excluded", json_integer(excluded));
  sc->found_total += found;
  sc->created_total += created;
  sc->close_total += close;
  return rc;
}

json_t *talent_scan(Store *s, const User *actor, const json_t *in, Err *e) {
  if (!talent_officer(store_reader(s), actor))
    return err_set(e, E_FORBIDDEN, "talent.forbidden", NULL, "只有人才工作部门的政策专员可以办理",
                   "Only the talent department's policy officers may do this"),
           NULL;
  if (talent_sync(store_reader(s), e)) return NULL;
  char policy[32] = "", on[11] = "", today[11];
  bool dry_run = false;
  int64_t limit = 100;
  JField f[] = {{"policy", J_STR, false, policy, sizeof policy, 1, 31, NULL},
                {"on", J_STR, false, on, sizeof on, 10, 10, NULL},
                {"dry_run", J_BOOL, false, &dry_run, 0, 0, 0, NULL},
                {"limit", J_INT, false, &limit, 0, 1, 1000, NULL}};
  if (jsonx_decode(in, f, (int)XQ_COUNT(f), false, e)) return NULL;
  time_today_cn(today);
  int day;
  if (!on[0]) snprintf(on, sizeof on, "%s", today);
  if (cal_parse_date(on, &day) || (!dry_run && strcmp(on, today) > 0))
    return err_setf(e, E_INVALID, "talent.bad_date", "on", "认定日期应为今天或以前的日期（试算可为以后）：%s",
                    "The day of the decision is today or before (later only in a dry run): %s", on),
           NULL;
  if (policy[0] && !talent_policy_name(policy))
    return err_setf(e, E_INVALID, "talent.bad_policy", "policy", "没有这项人才政策：%s", "No such talent policy: %s",
                    policy),
           NULL;
  Scan sc = {.actor = actor, .on = on, .dry_run = dry_run, .limit = limit, .found = json_array(), .close = json_array()};
  json_t *lines = json_array(), *all = talent_policies(), *x;
  size_t i;
  int rc = 0;
  json_array_foreach(all, i, x) {
    const char *code = json_string_value(json_object_get(x, "code"));
    if (policy[0] && strcmp(policy, code) != 0) continue;
    if ((rc = scan_policy(s, &sc, code, lines, e))) break;
  }
  json_decref(all);
  if (rc) {
    json_decref(lines);
    json_decref(sc.found);
    json_decref(sc.close);
    return NULL;
  }
  bool truncated = (int64_t)json_array_size(sc.found) < sc.found_total || (int64_t)json_array_size(sc.close) < sc.close_total;
  return json_pack("{s:s,s:b,s:o,s:o,s:o,s:I,s:I,s:I,s:b}", "on", on, "dry_run", dry_run, "policies", lines, "found",
                   sc.found, "close", sc.close, "found_total", (json_int_t)sc.found_total, "created_total",
                   (json_int_t)sc.created_total, "close_total", (json_int_t)sc.close_total, "truncated", truncated);
}
