/*
** api_catalog.c — the service catalogue (事项目录) over HTTP: public search,
** item detail and versions, statistics; administrators add items and
** versions and import CSV; officials export CSV or Excel.
*/
#include "http.h"
#include "api.h"
#include "../domain/catalog.h"
#include "../domain/docs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#define EXPORTERS (ROLE_ADMIN | ROLE_CLERK | ROLE_APPROVER | ROLE_AUDITOR | ROLE_LEADER)

/* text_param() refuses a query parameter that is not short valid UTF-8. */
static bool text_param(Req *r, const char *name, size_t max) {
  const char *v = req_query(r, name);
  if (v && (!utf8_valid(v, strlen(v)) || utf8_len(v) > max)) {
    char zh[128], en[128];
    snprintf(zh, sizeof zh, "参数 %s 无效或超过 %zu 个字符", name, max);
    snprintf(en, sizeof en, "Parameter %s is invalid or longer than %zu characters", name, max);
    req_fail(r, E_INVALID, "request.bad_param", name, zh, en);
    return false;
  }
  return true;
}

static int search(Req *r) {
  Err e = {0};
  int64_t page, per;
  static const char *const names[] = {"q", "dept", "mode", "channel", "kind", "date", "parties", "theme"};
  for (size_t i = 0; i < XQ_COUNT(names); i++)
    if (!text_param(r, names[i], 50)) return r->status;
  if (req_query_int(r, "page", 1, 1, 100000, &page) ||
      req_query_int(r, "per_page", 20, 1, 100, &per))
    return r->status;
  CatalogQuery q = {.q = req_query(r, "q"),         .dept = req_query(r, "dept"),
                    .mode = req_query(r, "mode"),   .channel = req_query(r, "channel"),
                    .kind = req_query(r, "kind"),   .parties = req_query(r, "parties"),
                    .date = req_query(r, "date"),   .theme = req_query(r, "theme"),
                    .page = (int)page,              .per_page = (int)per};
  json_t *res = catalog_search(r->store, &q, &e);
  if (!res) return req_error(r, &e);
  return req_json(r, 200, res);
}

/* popular(): 热门事项, the items most filed in the last days (90 unless asked). */
static int popular(Req *r) {
  Err e = {0};
  int64_t limit, days;
  if (!text_param(r, "parties", 10) || req_query_int(r, "limit", 10, 1, 50, &limit) ||
      req_query_int(r, "days", 90, 1, 366, &days))
    return r->status;
  json_t *o = catalog_popular(r->store, req_query(r, "parties"), (int)days, (int)limit, &e);
  if (!o) return req_error(r, &e);
  return req_json(r, 200, o);
}

static int themes(Req *r) { return req_json(r, 200, catalog_themes_json()); }

/* An Item is 16 KB of fixed fields: handlers allocate it, off the worker's stack. */

static int get(Req *r) {
  Err e = {0};
  if (!text_param(r, "date", 10)) return r->status;
  Item *it = xcalloc(1, sizeof *it);
  json_t *o = catalog_get(r->store, req_param(r, "code"), req_query(r, "date"), it, &e) ? NULL : catalog_item_json(it);
  catalog_item_free(it);
  free(it);
  return req_answer(r, 200, o, &e);
}

/* form_pdf() answers the 申请表 of material {key} of item {code} (the
** version in force) as a blank form or a sample, named for what it is:
** 申请表（空白）-JP-SCJGJ-0001.pdf. Only a material whose form is "form"
** (申请表) has one: any other is catalog.not_a_form (404). */
static int form_pdf(Req *r, bool sample) {
  Err e = {0};
  Item *it = xcalloc(1, sizeof *it);
  Buf pdf = {0};
  int status;
  if (catalog_get(r->store, req_param(r, "code"), NULL, it, &e)) {
    status = req_error(r, &e);
    goto out;
  }
  const Material *m = NULL;
  for (int i = 0; i < it->nMaterial; i++)
    if (strcmp(it->aMaterial[i].key, req_param(r, "key")) == 0) m = &it->aMaterial[i];
  if (!m || strcmp(m->form, "form") != 0) {
    status = req_fail(r, E_NOTFOUND, "catalog.not_a_form", "key", "该事项没有这份申请表（只有“申请表”类材料提供空白表和样表）",
                      "The item has no such application form (only materials in the form 申请表 have a blank and a sample)");
    goto out;
  }
  FormSheet f = {it->version_id, it->code, it->name, m->name, it->form, sample};
  if (docs_form_pdf(&f, &pdf, &e)) {
    status = req_error(r, &e);
    goto out;
  }
  char name[160], ascii[80];
  snprintf(name, sizeof name, "申请表（%s）-%s.pdf", sample ? "样表" : "空白", it->code);
  snprintf(ascii, sizeof ascii, "form-%s-%s.pdf", sample ? "sample" : "blank", it->code);
  req_disposition(r, "attachment", ascii, name);
  status = req_bytes(r, 200, "application/pdf", &pdf);
out:
  buf_free(&pdf);
  catalog_item_free(it);
  free(it);
  return status;
}

static int form_blank(Req *r) { return form_pdf(r, false); }
static int form_sample(Req *r) { return form_pdf(r, true); }

static int versions(Req *r) {
  Err e = {0};
  json_t *o = catalog_versions(r->store, req_param(r, "code"), &e);
  if (!o) return req_error(r, &e);
  return req_json(r, 200, o);
}

static int stats(Req *r) {
  Err e = {0};
  if (!text_param(r, "date", 10)) return r->status;
  json_t *o = catalog_stats(r->store, req_query(r, "date"), &e);
  if (!o) return req_error(r, &e);
  return req_json(r, 200, o);
}

static int create(Req *r) {
  Err e = {0};
  Item *it = xcalloc(1, sizeof *it);
  json_t *o = catalog_item_from_json(r->json, it, &e) || catalog_save(r->store, &r->user, it, &e)
                  ? NULL
                  : catalog_item_json(it);
  catalog_item_free(it);
  free(it);
  return req_answer(r, 201, o, &e);
}

/* send_file() answers with the bytes of f (rewound) as type, a download
** named stem-YYYYMMDD.ext (today in Beijing) in Chinese (filename*) and
** ascii_stem-YYYYMMDD.ext in ASCII. A CSV starts with the UTF-8 byte-order
** mark, so that Excel on a Chinese Windows reads it as UTF-8 rather than
** GBK (every importer here skips it). */
static int send_file(Req *r, FILE *f, const char *type, const char *stem, const char *ascii_stem,
                     const char *ext) {
  char chunk[65536], iso[32], name[128], ascii[64];
  size_t got;
  rewind(f);
  buf_reset(&r->raw);
  if (strcmp(ext, "csv") == 0) buf_puts(&r->raw, "\xEF\xBB\xBF");
  while ((got = fread(chunk, 1, sizeof chunk, f)) > 0) buf_append(&r->raw, chunk, got);
  r->raw_type = type;
  time_iso(now_ms(), iso);
  snprintf(name, sizeof name, "%s-%.4s%.2s%.2s.%s", stem, iso, iso + 5, iso + 8, ext);
  snprintf(ascii, sizeof ascii, "%s-%.4s%.2s%.2s.%s", ascii_stem, iso, iso + 5, iso + 8, ext);
  req_disposition(r, "attachment", ascii, name);
  r->status = 200;
  return 200;
}

static int export(Req *r) {
  Err e = {0};
  const char *format = req_query(r, "format");
  int status;
  if (!format || !*format || strcmp(format, "csv") == 0) {
    FILE *f = tmpfile();
    if (!f) return req_fail(r, E_INTERNAL, "export.tmpfile", NULL, "无法创建临时文件", "Cannot create a temporary file");
    if (catalog_export_csv(r->store, f, &e)) status = req_error(r, &e);
    else status = send_file(r, f, "text/csv; charset=utf-8", "事项目录", "catalog", "csv");
    fclose(f);
    return status;
  }
  if (strcmp(format, "xlsx") != 0)
    return req_fail(r, E_INVALID, "request.bad_param", "format", "format 应为 csv 或 xlsx",
                    "format must be csv or xlsx");
  char path[] = "/tmp/xinqu-catalog-XXXXXX";
  int fd = mkstemp(path);
  if (fd < 0) return req_fail(r, E_INTERNAL, "export.tmpfile", NULL, "无法创建临时文件", "Cannot create a temporary file");
  close(fd);
  FILE *f = NULL;
  if (catalog_export_xlsx(r->store, path, &e)) status = req_error(r, &e);
  else if (!(f = fopen(path, "rb")))
    status = req_fail(r, E_INTERNAL, "export.read", NULL, "无法读取导出文件", "Cannot read the export");
  else
    status = send_file(r, f, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "事项目录",
                       "catalog", "xlsx");
  if (f) fclose(f);
  unlink(path);
  return status;
}

/* on_reject() reports a refused row as every import here does: {line, code
** (the row's item code), message (Chinese), message_en, reason (both, as
** "中文 / English")}. */
static void on_reject(int64_t line, const char *code, const char *reason, void *arg) {
  Err why;
  err_set_reason(&why, E_INVALID, "import.row", NULL, "%s", "%s", reason);
  json_array_append_new(arg, json_pack("{s:I, s:s, s:s, s:s, s:s}", "line", (json_int_t)line, "code", code,
                                       "message", why.message, "message_en", why.message_en, "reason", reason));
}

#define XLSX_TYPE "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

/* media_is() is true when Content-Type ct is type, case-insensitively,
** with or without parameters ("text/csv; charset=utf-8"). */
static bool media_is(const char *ct, const char *type) {
  size_t n = strlen(type);
  return ct && strncasecmp(ct, type, n) == 0 && (ct[n] == 0 || ct[n] == ';' || ct[n] == ' ');
}

/* import(): the raw body is CSV (text/csv) or an Excel workbook (XLSX_TYPE);
** both go through the one catalogue import. Answers {rows, imported,
** unchanged, rejected_count, rejected:[{line, code, message, message_en, reason}]}. */
static int import(Req *r) {
  Err e = {0};
  ImportReport rep;
  int rc;
  const char *ct = req_header_in(r, "Content-Type");
  bool xlsx = media_is(ct, XLSX_TYPE);
  if (!xlsx && !media_is(ct, "text/csv"))
    return req_fail(r, E_INVALID, "request.bad_content_type", NULL,
                    "请求体应为 text/csv 或 Excel 工作簿（" XLSX_TYPE "）",
                    "The body must be text/csv or an Excel workbook (" XLSX_TYPE ")");
  json_t *rejected = json_array();
  if (xlsx) {
    rc = catalog_import_xlsx(r->store, &r->user, r->body.a ? r->body.a : "", r->body.n, &rep,
                             on_reject, rejected, &e);
  } else {
    FILE *f = fmemopen(r->body.a ? r->body.a : (char *)"", r->body.n, "r");
    if (!f) {
      json_decref(rejected);
      return req_fail(r, E_INTERNAL, "import.read", NULL, "读取请求体失败", "Cannot read the body");
    }
    rc = catalog_import_csv(r->store, &r->user, f, &rep, on_reject, rejected, &e);
    fclose(f);
  }
  if (rc) {
    json_decref(rejected);
    return req_error(r, &e);
  }
  return req_json(r, 200, json_pack("{s:I, s:I, s:I, s:I, s:o}", "rows", (json_int_t)rep.rows,
                                    "imported", (json_int_t)rep.imported, "unchanged",
                                    (json_int_t)rep.unchanged, "rejected_count",
                                    (json_int_t)rep.rejected, "rejected", rejected));
}

static const Route routes[] = {
    {"GET", "/api/v1/items", search, R_PUBLIC, 0, 0,
     "查询事项（名称、办理结果或关键词包含 q；按部门、办理方式、渠道、类型、主题、服务对象筛选；分页）",
     "Search catalogue items (name, result or a keyword contains q; filters dept, mode, channel, kind, theme, parties; paged)"},
    {"GET", "/api/v1/items/popular", popular, R_PUBLIC, 0, 0,
     "热门事项（近 days 天内申请最多的事项，默认 90 天；可按服务对象 parties 筛选）",
     "Popular items (most cases filed in the last days, 90 by default; filter parties)"},
    {"GET", "/api/v1/catalog/themes", themes, R_PUBLIC, 0, 0, "事项主题（个人和法人的生活事件）列表",
     "The themes (life events) items are grouped by"},
    {"POST", "/api/v1/items", create, R_JSON, ROLE_ADMIN, 256 * 1024, "新增事项或事项新版本",
     "Add an item, or a new version of an item"},
    {"GET", "/api/v1/items/{code}", get, R_PUBLIC, 0, 0, "事项详情（现行版本，或 date 当日有效的版本）",
     "One item (the version in force today, or on date)"},
    {"GET", "/api/v1/items/{code}/materials/{key}/blank.pdf", form_blank, R_PUBLIC, 0, 0,
     "下载申请表空白表（PDF，仅“申请表”类材料）", "A blank application form (PDF; materials in the form 申请表 only)"},
    {"GET", "/api/v1/items/{code}/materials/{key}/sample.pdf", form_sample, R_PUBLIC, 0, 0,
     "下载申请表样表（PDF，填写示例，仅“申请表”类材料）", "A sample of the application form, filled in (PDF; 申请表 only)"},
    {"GET", "/api/v1/items/{code}/versions", versions, R_PUBLIC, 0, 0, "事项的全部版本",
     "Every version of an item"},
    {"GET", "/api/v1/catalog/stats", stats, R_PUBLIC, 0, 0, "事项目录统计（按办理方式、按部门）",
     "Catalogue statistics (per mode, per department)"},
    {"GET", "/api/v1/catalog/export", export, 0, EXPORTERS, 0, "导出事项目录（CSV 或 Excel）",
     "Export the catalogue (CSV or Excel)"},
    {"POST", "/api/v1/catalog/import", import, 0, ROLE_ADMIN, CATALOG_IMPORT_MAX,
     "导入事项目录（CSV 或 Excel）", "Import catalogue items (CSV or Excel)"},
};

void api_catalog_register(void) { router_add(routes, XQ_COUNT(routes), "catalog"); }
