/*
** api_talent_catalogue.c — 紧缺人才需求目录 over HTTP (talent_catalogue.h):
** the editions, one edition as a tree, a search of its positions, its
** export, an import of a new edition and a correction of a position.
** Reading is for every logged-in caller (a published document); writing
** for policy officers and administrators, and the domain then checks the
** officer's department (talent/catalogue_dept).
*/
#include "http.h"
#include "api.h"
#include "../domain/talent_catalogue.h"

#include <string.h>

#define XLSX_TYPE "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#define KEEPERS (ROLE_POLICY | ROLE_ADMIN)

static int editions(Req *r) {
  Err e = {0};
  return req_answer(r, 200, talent_catalogue_editions(r->store, &r->user, &e), &e);
}

/* edition_id() reads the path's {id} as an edition (an id, or its years). */
static int edition_id(Req *r, int64_t *id) {
  Err e = {0};
  if (talent_catalogue_find(r->store, req_param(r, "id"), id, &e)) return req_error(r, &e), -1;
  return 0;
}

static int edition(Req *r) {
  Err e = {0};
  int64_t id;
  if (edition_id(r, &id)) return r->status;
  return req_answer(r, 200, talent_catalogue_tree(r->store, id, &e), &e);
}

static int edition_export(Req *r) {
  Err e = {0};
  int64_t id;
  const char *format = req_query(r, "format");
  if (format && *format && strcmp(format, "csv") != 0 && strcmp(format, "xlsx") != 0)
    return req_fail(r, E_INVALID, "request.bad_param", "format", "format 应为 xlsx 或 csv", "format must be xlsx or csv");
  if (edition_id(r, &id)) return r->status;
  bool xlsx = !format || !*format || strcmp(format, "xlsx") == 0;
  Buf b = {0};
  char name[96], ascii[64];
  if (talent_catalogue_export(r->store, id, xlsx, &b, name, sizeof name, &e)) {
    buf_free(&b);
    return req_error(r, &e);
  }
  const char *ext = xlsx ? "xlsx" : "csv";
  snprintf(name + strlen(name), sizeof name - strlen(name), ".%s", ext);
  snprintf(ascii, sizeof ascii, "talent-catalogue-%lld.%s", (long long)id, ext);
  req_disposition(r, "attachment", ascii, name);
  return req_bytes(r, 200, xlsx ? XLSX_TYPE : "text/csv; charset=utf-8", &b);
}

/* positions() searches an edition (?edition=, the current one by default)
** by words (?q=) and level (?level=). */
static int positions(Req *r) {
  Err e = {0};
  int64_t page, per, id;
  if (req_query_int(r, "page", 1, 1, 100000, &page) || req_query_int(r, "per_page", 50, 1, 500, &per)) return r->status;
  if (talent_catalogue_find(r->store, req_query(r, "edition"), &id, &e)) return req_error(r, &e);
  TalentPositionQuery q = {.edition = id, .q = req_query(r, "q"), .level = req_query(r, "level"), .page = (int)page,
                           .per_page = (int)per};
  return req_answer(r, 200, talent_catalogue_search(r->store, &q, &e), &e);
}

/* import() reads a new edition from the raw body (Excel or CSV) with what
** the file does not say in the query: years, title, issuer, published_on;
** dry_run=1 only checks. A refusal answers 400 import.rejected with
** errors: [{line, field, code, message, message_en}]. */
static int import(Req *r) {
  ErrList all = {0};
  Err e = {.all = &all};
  const char *dry = req_query(r, "dry_run");
  bool dry_run = dry && (strcmp(dry, "1") == 0 || strcmp(dry, "true") == 0);
  TalentEditionIn in = {.years = req_query(r, "years"), .title = req_query(r, "title"), .issuer = req_query(r, "issuer"),
                        .published_on = req_query(r, "published_on")};
  json_t *out = talent_catalogue_import(r->store, &r->user, &in, r->body.a ? r->body.a : "", r->body.n,
                                        dry_run, &e);
  int status = req_answer(r, dry_run ? 200 : 201, out, &e);
  errlist_free(&all);
  return status;
}

static int position_update(Req *r) {
  Err e = {0};
  int64_t id;
  if (req_param_id(r, "id", &id)) return r->status;
  return req_answer(r, 200, talent_catalogue_position_update(r->store, &r->user, id, r->json, &e), &e);
}

static const Route routes[] = {
    {"GET", "/api/v1/talent/catalogue/editions", editions, 0, 0, 0, "紧缺人才需求目录的各版（最新发布的在前）",
     "The editions of the shortage-talent catalogue, the latest first"},
    {"GET", "/api/v1/talent/catalogue/editions/{id}", edition, 0, 0, 0,
     "一版紧缺人才目录：领域 → 方向 → 岗位及紧缺程度，附各项数目",
     "One edition as a tree: fields → directions → positions with their levels, and the counts"},
    {"GET", "/api/v1/talent/catalogue/editions/{id}/export", edition_export, 0, 0, 0,
     "导出一版紧缺人才目录（Excel 或 CSV，可再导入）", "Export an edition (Excel or CSV, imports back)"},
    {"GET", "/api/v1/talent/catalogue/positions", positions, 0, 0, 0, "按关键词和紧缺程度查找岗位",
     "Search an edition's positions by words and level"},
    {"POST", "/api/v1/talent/catalogue/import", import, 0, KEEPERS, 8u << 20,
     "导入新一版紧缺人才目录（Excel 或 CSV；逐行检查，全部通过才写入；dry_run=1 只检查）",
     "Import a new edition (Excel or CSV; every row checked, written only when all pass; dry_run=1 checks only)"},
    {"PATCH", "/api/v1/talent/catalogue/positions/{id}", position_update, R_JSON, KEEPERS, 8192,
     "更正岗位（紧缺程度、学历、专业、经验、行业、用人单位、备注）",
     "Correct a position (level, degree, major, experience, industry, employers, note)"},
};

void api_talent_catalogue_register(void) { router_add(routes, XQ_COUNT(routes), "talent"); }
