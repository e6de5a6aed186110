/*
** invest_io.c — 招商 ledgers in Excel and CSV (invest.h): the officers'
** 台账 of activities, projects and funds in place imported and exported
** with the same columns, the 签约项目一览表, and the report as a workbook.
** The file work is sheet.h's; an imported row is the object the API's POST
** takes and is checked and written by invest.c as that POST is.
*/
#include "invest.h"
#include "../base/cal.h"
#include "../base/codes.h"
#include "../base/money.h"
#include "../base/sheet.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the ledgers' columns --------------------------------------------------- */

const SheetEnum invest_industries[] = {
    {"A", "农、林、牧、渔业"}, {"B", "采矿业"}, {"C", "制造业"}, {"D", "电力、热力、燃气及水生产和供应业"},
    {"E", "建筑业"}, {"F", "批发和零售业"}, {"G", "交通运输、仓储和邮政业"}, {"H", "住宿和餐饮业"},
    {"I", "信息传输、软件和信息技术服务业"}, {"J", "金融业"}, {"K", "房地产业"}, {"L", "租赁和商务服务业"},
    {"M", "科学研究和技术服务业"}, {"N", "水利、环境和公共设施管理业"}, {"O", "居民服务、修理和其他服务业"},
    {"P", "教育"}, {"Q", "卫生和社会工作"}, {"R", "文化、体育和娱乐业"}, {"S", "公共管理、社会保障和社会组织"},
    {"T", "国际组织"}, {NULL, NULL}};

static const SheetEnum origins[] = {{"domestic", "内资"}, {"foreign", "外资"}, {NULL, NULL}};
static const SheetEnum stages[] = {{"lead", "线索"},       {"talks", "在谈"},   {"signed", "签约"},
                                   {"registered", "注册"}, {"started", "开工"}, {"producing", "投产"},
                                   {"full", "达产"},       {"stopped", "中止"}, {NULL, NULL}};
static const SheetEnum investor_kinds[] = {
    {"entity", "境内企业"}, {"foreign", "境外投资者"}, {"person", "自然人"}, {NULL, NULL}};
static const SheetEnum fund_kinds[] = {{"fixed", "固定资产投资"}, {"working", "流动资金"}, {NULL, NULL}};
static const SheetEnum fund_sources[] = {
    {"out_of_province", "省外"}, {"in_province", "省内"}, {"foreign", "境外"}, {NULL, NULL}};

#define REQ SC_REQUIRED
#define OUT SC_EXPORT
#define GRP SC_GROUP

static const SheetCol activity_cols[] = {
    {"id", "编号", SK_INT, OUT, NULL, 8},
    {"kind", "活动类型", SK_TEXT, REQ, NULL, 10},
    {"title", "活动名称", SK_TEXT, REQ, NULL, 36},
    {"start_on", "开始日期", SK_DATE, REQ, NULL, 12},
    {"end_on", "结束日期", SK_DATE, REQ, NULL, 12},
    {"city", "城市", SK_TEXT, 0, NULL, 10},
    {"province", "省份", SK_PROVINCE, 0, NULL, 14},
    {"country", "国家或地区", SK_COUNTRY, 0, NULL, 12},
    {"officers", "参加人员（用户名）", SK_LIST, 0, NULL, 20},
    {"investors_met", "接洽投资方数", SK_INT, 0, NULL, 12},
    {"department", "组织部门", SK_TEXT, OUT, NULL, 22},
    {"leads", "产生线索", SK_INT, OUT, NULL, 10},
};

static const SheetCol project_cols[] = {
    {"code", "项目编号", SK_TEXT, OUT, NULL, 16},
    {"name", "项目名称", SK_TEXT, REQ, NULL, 36},
    {"industry", "行业门类", SK_ENUM, REQ, invest_industries, 18},
    {"origin", "内外资", SK_ENUM, REQ, origins, 8},
    {"planned", "计划投资(元)", SK_NUMBER, REQ, NULL, 18},
    {"planned_usd", "外资部分(美元)", SK_NUMBER, 0, NULL, 16},
    {"owner", "负责人（用户名）", SK_TEXT, 0, NULL, 14},
    {"lead_on", "线索日期", SK_DATE, 0, NULL, 12},
    {"stage", "阶段", SK_ENUM, 0, stages, 8},
    {"talks_on", "洽谈日期", SK_DATE, 0, NULL, 12},
    {"signed_on", "签约日期", SK_DATE, 0, NULL, 12},
    {"contract_amount", "合同投资额(元)", SK_NUMBER, 0, NULL, 18},
    {"confirm_duplicate", "确认非重复", SK_BOOL, 0, NULL, 10},
    {"investors.kind", "投资方类型", SK_ENUM, REQ | GRP, investor_kinds, 12},
    {"investors.name", "投资方名称", SK_TEXT, REQ | GRP, NULL, 30},
    {"investors.code", "投资方证照号码", SK_TEXT, GRP, NULL, 22},
    {"investors.country", "投资方国家或地区", SK_COUNTRY, GRP, NULL, 14},
    {"investors.province", "投资方省份", SK_PROVINCE, GRP, NULL, 14},
    {"investors.share", "出资比例(%)", SK_NUMBER, REQ | GRP, NULL, 10},
    {"department", "所属部门", SK_TEXT, OUT, NULL, 22},
    {"funds_cny", "到位资金折人民币(元)", SK_NUMBER, OUT, NULL, 18},
};

static const SheetCol fund_cols[] = {
    {"project", "项目编号", SK_TEXT, REQ, NULL, 16},
    {"project_name", "项目名称", SK_TEXT, OUT, NULL, 30},
    {"on", "到位日期", SK_DATE, REQ, NULL, 12},
    {"amount", "金额", SK_NUMBER, REQ, NULL, 16},
    {"currency", "币种", SK_TEXT, 0, NULL, 8},
    {"rate", "人民币汇率", SK_NUMBER, 0, NULL, 12},
    {"usd_rate", "美元汇率", SK_NUMBER, 0, NULL, 12},
    {"kind", "资金类型", SK_ENUM, REQ, fund_kinds, 14},
    {"source", "资金来源", SK_ENUM, REQ, fund_sources, 10},
    {"cny", "折人民币(元)", SK_NUMBER, OUT, NULL, 16},
    {"usd", "折美元", SK_NUMBER, OUT, NULL, 14},
};

/* 签约项目一览表: written only. */
static const SheetCol signed_cols[] = {
    {"n", "序号", SK_INT, OUT, NULL, 6},
    {"code", "项目编号", SK_TEXT, OUT, NULL, 16},
    {"name", "项目名称", SK_TEXT, OUT, NULL, 36},
    {"investors", "投资方", SK_TEXT, OUT, NULL, 36},
    {"from", "投资方来源地", SK_TEXT, OUT, NULL, 16},
    {"industry", "行业门类", SK_ENUM, OUT, invest_industries, 18},
    {"origin", "内外资", SK_ENUM, OUT, origins, 8},
    {"signed_on", "签约日期", SK_DATE, OUT, NULL, 12},
    {"contract", "合同投资额(万元)", SK_NUMBER, OUT, NULL, 16},
    {"planned_usd", "外资部分(万美元)", SK_NUMBER, OUT, NULL, 16},
    {"stage", "当前阶段", SK_ENUM, OUT, stages, 10},
    {"funds", "到位资金(万元)", SK_NUMBER, OUT, NULL, 14},
    {"owner", "负责人", SK_TEXT, OUT, NULL, 12},
    {"department", "所属部门", SK_TEXT, OUT, NULL, 22},
};

static const SheetTable tables[] = {
    {"招商活动", activity_cols, (int)XQ_COUNT(activity_cols), NULL, NULL},
    {"招商项目", project_cols, (int)XQ_COUNT(project_cols), "investors", "投资方"},
    {"到位资金", fund_cols, (int)XQ_COUNT(fund_cols), NULL, NULL},
};
static const SheetTable signed_table = {"签约项目一览表", signed_cols, (int)XQ_COUNT(signed_cols), NULL, NULL};

/* The ledger a name names: "activities", "projects", "funds"; NULL when none. */
static const SheetTable *ledger(const char *what) {
  static const char *const names[] = {"activities", "projects", "funds"};
  for (size_t i = 0; what && i < XQ_COUNT(names); i++)
    if (strcmp(what, names[i]) == 0) return &tables[i];
  return NULL;
}

/* ---- import ------------------------------------------------------------------- */

typedef struct Refusals {
  Err *e;              /* gathers them (e->all) */
  const SheetTable *t; /* names their columns */
  int64_t n;           /* how many */
} Refusals;

/* refused() keeps a refusal: the first INVEST_IMPORT_SHOWN in full, the
** rest counted. */
static void refused(int64_t line, const Err *why, void *arg) {
  Refusals *r = arg;
  if (r->n++ < INVEST_IMPORT_SHOWN) sheet_reject(r->e, r->t, line, why);
}

json_t *invest_import(Store *s, const User *actor, const char *what, const void *data, size_t n, bool dry_run,
                      Err *e) {
  const SheetTable *t = ledger(what);
  if (!t) return err_setf(e, E_NOTFOUND, "import.no_kind", NULL, "没有这种导入：%s", "No such import: %s", what), NULL;
  /* The file's own refusals (a date that is none, a choice not in the list)
  ** are counted whether or not the caller gathers them. */
  ErrList mine = {0}, *list = e->all ? e->all : &mine;
  Err bad = {.all = list};
  json_t *rows = sheet_read(t, data, n, INVEST_IMPORT_MAX_ROWS, &bad, e), *out = NULL;
  if (!rows) goto done;
  Refusals r = {e, t, list->n}; /* who may import what: invest_import_rows() */
  if (list->n > INVEST_IMPORT_SHOWN) list->n = INVEST_IMPORT_SHOWN; /* the rest counted, said below */
  /* With refusals of the file's own the rows are still checked (so that
  ** one answer lists them all), but never written. */
  bool prior = r.n > 0;
  out = invest_import_rows(s, actor, what, rows, dry_run || prior, refused, &r, e);
  json_decref(rows);
  if (out && prior) {
    json_decref(out);
    out = NULL;
    e->kind = E_INVALID;
  }
  if (!out && r.n > 0 && e->kind != E_INTERNAL) {
    char zh[300], en[300];
    if (r.n > INVEST_IMPORT_SHOWN) {
      snprintf(zh, sizeof zh, "有 %lld 行未通过检查，未导入任何数据；下列为其中前 %d 行，请改正后重新导入整个文件",
               (long long)r.n, INVEST_IMPORT_SHOWN);
      snprintf(en, sizeof en, "%lld rows were refused and nothing was imported; the first %d are listed below: "
               "correct them and import the whole file again", (long long)r.n, INVEST_IMPORT_SHOWN);
    } else {
      snprintf(zh, sizeof zh, "有 %lld 行未通过检查，未导入任何数据；请按下列行号改正后重新导入整个文件", (long long)r.n);
      snprintf(en, sizeof en, "%lld rows were refused and nothing was imported: correct the lines below and import "
               "the whole file again", (long long)r.n);
    }
    ErrList *all = e->all;
    err_set(e, E_INVALID, "import.rejected", NULL, zh, en);
    e->all = all;
  }
done:
  errlist_free(&mine);
  return out;
}

/* ---- export ------------------------------------------------------------------- */

/* Row: the texts of one exported row and the buffers behind them. */
typedef struct Row {
  const char *v[24];
  Buf b[16];
  int nb;
} Row;

/* keep() is a copy of text s in a buffer of row x (valid until the next
** row_reset()). */
static Buf *row_buf(Row *x) {
  if (x->nb >= (int)XQ_COUNT(x->b)) panic("export row: more than %d texts", (int)XQ_COUNT(x->b));
  return &x->b[x->nb++];
}

static const char *keep(Row *x, const char *s) {
  Buf *b = row_buf(x);
  buf_reset(b);
  buf_puts(b, s);
  return buf_cstr(b);
}

/* money_text() is minor units of currency as text ("1234.50"), or at
** power (4: 万) with decimals, in a buffer of row x. */
static const char *money_text(Row *x, int64_t minor, const char *currency, int power, int decimals) {
  Buf *b = row_buf(x);
  buf_reset(b);
  if (power) money_format_scaled(b, minor, money_currency(currency), power, decimals);
  else money_format(b, minor, money_currency(currency), false);
  return buf_cstr(b);
}

static void row_reset(Row *x) {
  memset(x->v, 0, sizeof x->v);
  x->nb = 0;
}

static void row_free(Row *x) {
  for (size_t i = 0; i < XQ_COUNT(x->b); i++) buf_free(&x->b[i]);
}

/* scope() is the WHERE part that limits rows to what actor may see (an
** officer: the department's), alias p the table with dept_id. */
static const char *scope(const User *actor) {
  return actor->role == ROLE_INVEST ? " AND p.dept_id = ?" : "";
}

/* period() checks an optional period: from and to are dates (or NULL). */
static int period(const char *from, const char *to, Err *e) {
  int a = 0, b = 0;
  if (from && *from && cal_parse_date(from, &a))
    return err_set(e, E_INVALID, "invest.bad_period", "from", "起始日期无效（YYYY-MM-DD）", "Not a date (YYYY-MM-DD)");
  if (to && *to && (cal_parse_date(to, &b) || (from && *from && b < a)))
    return err_set(e, E_INVALID, "invest.bad_period", "to", "截止日期无效或早于起始日期", "Not a date, or before the first");
  return 0;
}

/* bind_common() binds from, to (as given, "" and "9999-12-31" when not)
** and the department when scope() asked for it. */
static int bind_common(Stmt *st, const User *actor, const InvestExport *q) {
  int i = 1;
  stmt_bind_text(st, i++, q->from && *q->from ? q->from : "");
  stmt_bind_text(st, i++, q->to && *q->to ? q->to : "9999-12-31");
  if (actor->role == ROLE_INVEST) stmt_bind_int(st, i++, actor->dept_id);
  return i;
}

static int export_activities(Db *db, const User *actor, const InvestExport *q, SheetOut *o, Err *e) {
  char *sql = xasprintf("SELECT p.id, p.kind, p.title, p.start_on, p.end_on, p.city, p.province, p.country,"
                        " p.officers, p.investors_met, d.name,"
                        " (SELECT COUNT(*) FROM invest_project x WHERE x.activity_id = p.id)"
                        " FROM invest_activity p JOIN department d ON d.id = p.dept_id"
                        " WHERE p.start_on >= ? AND p.start_on <= ?%s ORDER BY p.start_on, p.id",
                        scope(actor));
  Stmt *st = db_prepare(db, sql, e);
  free(sql);
  if (!st) return -1;
  bind_common(st, actor, q);
  Row x = {0};
  int rc;
  while ((rc = stmt_step(st, e)) == 1) {
    row_reset(&x);
    Buf *ids = row_buf(&x), *who = row_buf(&x);
    buf_reset(ids);
    buf_reset(who);
    buf_appendf(ids, "%lld", (long long)stmt_int(st, 0));
    json_t *officers = json_loads(stmt_text(st, 8), 0, NULL);
    size_t i;
    json_t *v;
    json_array_foreach(officers, i, v) buf_appendf(who, "%s%s", i ? "、" : "", json_string_value(v));
    json_decref(officers);
    Buf *met = row_buf(&x), *leads = row_buf(&x);
    buf_reset(met);
    buf_reset(leads);
    buf_appendf(met, "%lld", (long long)stmt_int(st, 9));
    buf_appendf(leads, "%lld", (long long)stmt_int(st, 11));
    const char *v2[] = {buf_cstr(ids), stmt_text(st, 1), stmt_text(st, 2), stmt_text(st, 3), stmt_text(st, 4),
                        stmt_text(st, 5), stmt_text(st, 6), stmt_text(st, 7), buf_cstr(who), buf_cstr(met),
                        stmt_text(st, 10), buf_cstr(leads)};
    _Static_assert(XQ_COUNT(v2) == XQ_COUNT(activity_cols), "one value per column");
    sheet_out_row(o, v2);
  }
  stmt_done(st);
  row_free(&x);
  return rc < 0 ? -1 : 0;
}

static int export_projects(Db *db, const User *actor, const InvestExport *q, SheetOut *o, Err *e) {
  Buf where = {0};
  if (q->stage && *q->stage) buf_puts(&where, " AND p.stage = ?");
  if (q->owner && *q->owner) buf_puts(&where, " AND a.username = ?");
  char *sql = xasprintf("SELECT p.id, p.code, p.name, p.industry, p.origin, p.planned, p.planned_usd, a.username,"
                        " p.lead_on, p.stage, p.talks_on, p.signed_on, p.contract_amount, d.name,"
                        " p.fund_cny,"
                        " i.kind, i.name, i.code, i.country, i.province, i.share_bp"
                        " FROM invest_project p JOIN department d ON d.id = p.dept_id"
                        " JOIN account a ON a.id = p.owner_id JOIN invest_investor i ON i.project_id = p.id"
                        " WHERE p.lead_on >= ? AND p.lead_on <= ?%s%s ORDER BY p.id, i.id",
                        scope(actor), buf_cstr(&where));
  buf_free(&where);
  Stmt *st = db_prepare(db, sql, e);
  free(sql);
  if (!st) return -1;
  int k = bind_common(st, actor, q);
  if (q->stage && *q->stage) stmt_bind_text(st, k++, q->stage);
  if (q->owner && *q->owner) stmt_bind_text(st, k++, q->owner);
  Row x = {0};
  int rc;
  int64_t last = 0;
  while ((rc = stmt_step(st, e)) == 1) {
    row_reset(&x);
    /* The project's columns on its first investor's row only. */
    bool first = stmt_int(st, 0) != last;
    last = stmt_int(st, 0);
    int64_t share = stmt_int(st, 20);
    Buf *pct = row_buf(&x);
    buf_reset(pct);
    buf_appendf(pct, "%lld.%02lld", (long long)(share / 100), (long long)(share % 100));
    const char *v[XQ_COUNT(project_cols)] = {0};
    if (first) {
      const char *signed_on = stmt_text(st, 11);
      const char *pv[] = {stmt_text(st, 1), stmt_text(st, 2), stmt_text(st, 3), stmt_text(st, 4),
                          money_text(&x, stmt_int(st, 5), "CNY", 0, 0),
                          stmt_int(st, 6) ? money_text(&x, stmt_int(st, 6), "USD", 0, 0) : "", stmt_text(st, 7),
                          stmt_text(st, 8), stmt_text(st, 9), stmt_text(st, 10), signed_on,
                          signed_on[0] ? money_text(&x, stmt_int(st, 12), "CNY", 0, 0) : "", ""};
      memcpy(v, pv, sizeof pv);
      v[19] = stmt_text(st, 13);
      v[20] = money_text(&x, stmt_int(st, 14), "CNY", 0, 0);
    }
    /* A person's ID number in full only to those who work the projects. */
    char masked[40];
    const char *idno = stmt_text(st, 17);
    if (strcmp(stmt_text(st, 15), "person") == 0 && !(actor->role & (ROLE_INVEST | ROLE_ADMIN))) {
      codes_party_mask(idno, masked);
      idno = masked;
    }
    const char *iv[] = {stmt_text(st, 15), stmt_text(st, 16), idno, stmt_text(st, 18), stmt_text(st, 19),
                        buf_cstr(pct)};
    memcpy(&v[13], iv, sizeof iv);
    sheet_out_row(o, v);
  }
  stmt_done(st);
  row_free(&x);
  return rc < 0 ? -1 : 0;
}

static int export_funds(Db *db, const User *actor, const InvestExport *q, SheetOut *o, Err *e) {
  char *sql = xasprintf("SELECT p.code, p.name, f.on_day, f.amount, f.currency, f.rate, f.cny, f.usd, f.kind,"
                        " f.source FROM invest_fund f JOIN invest_project p ON p.id = f.project_id"
                        " WHERE f.on_day >= ? AND f.on_day <= ?%s ORDER BY f.on_day, f.id",
                        scope(actor));
  Stmt *st = db_prepare(db, sql, e);
  free(sql);
  if (!st) return -1;
  bind_common(st, actor, q);
  Row x = {0};
  int rc;
  while ((rc = stmt_step(st, e)) == 1) {
    row_reset(&x);
    const char *cur = stmt_text(st, 4), *source = stmt_text(st, 9);
    bool cny = strcmp(cur, "CNY") == 0, usd = strcmp(cur, "USD") == 0, foreign = strcmp(source, "foreign") == 0;
    Buf *rate = row_buf(&x), *usd_rate = row_buf(&x);
    buf_reset(rate);
    buf_reset(usd_rate);
    if (!cny) money_rate_format(rate, stmt_int(st, 5));
    int64_t usd_minor = stmt_int(st, 7), amount = stmt_int(st, 3);
    const Currency *c = money_currency(cur);
    /* The entry keeps its dollars, not the dollar rate: the rate is given
    ** back as dollars per unit to the rate's precision (rounded half up). */
    if (foreign && !usd && c && amount > 0) {
      __int128 num = (__int128)usd_minor * MONEY_RATE_SCALE, den = amount;
      for (int d = 0; d < c->digits; d++) num *= 10;
      for (int d = 0; d < money_currency("USD")->digits; d++) den *= 10;
      money_rate_format(usd_rate, (int64_t)((2 * num + den) / (2 * den)));
    }
    const char *v[] = {stmt_text(st, 0),
                       stmt_text(st, 1),
                       stmt_text(st, 2),
                       money_text(&x, amount, cur, 0, 0),
                       cur,
                       buf_cstr(rate),
                       buf_cstr(usd_rate),
                       stmt_text(st, 8),
                       source,
                       money_text(&x, stmt_int(st, 6), "CNY", 0, 0),
                       foreign ? money_text(&x, usd_minor, "USD", 0, 0) : ""};
    _Static_assert(XQ_COUNT(v) == XQ_COUNT(fund_cols), "one value per column");
    sheet_out_row(o, v);
  }
  stmt_done(st);
  row_free(&x);
  return rc < 0 ? -1 : 0;
}

/* export_signed() writes the 签约项目一览表: the projects signed in the
** period, each with its investors and where the main one comes from. */
static int export_signed(Db *db, const User *actor, const InvestExport *q, SheetOut *o, Err *e) {
  char *sql = xasprintf("SELECT p.id, p.code, p.name, p.industry, p.origin, p.signed_on, p.contract_amount,"
                        " p.planned_usd, p.stage, a.display, d.name,"
                        " p.fund_cny,"
                        " i.name, i.kind, i.country, i.province"
                        " FROM invest_project p JOIN department d ON d.id = p.dept_id"
                        " JOIN account a ON a.id = p.owner_id JOIN invest_investor i ON i.project_id = p.id"
                        " WHERE p.signed_on <> '' AND p.signed_on >= ? AND p.signed_on <= ?%s"
                        " ORDER BY p.signed_on, p.id, i.share_bp DESC, i.id",
                        scope(actor));
  Stmt *st = db_prepare(db, sql, e);
  free(sql);
  if (!st) return -1;
  bind_common(st, actor, q);
  Row x = {0};
  Buf names = {0};
  char from[128] = "", n[24];
  int64_t last = 0, count = 0;
  const char *v[XQ_COUNT(signed_cols)] = {0};
  int rc;
  /* One row per project: its investors gathered first (largest share first). */
  for (;;) {
    rc = stmt_step(st, e);
    if (rc < 0) break;
    if (rc == 0 || stmt_int(st, 0) != last) {
      if (last) {
        v[3] = buf_cstr(&names);
        v[4] = from;
        sheet_out_row(o, v);
      }
      if (rc == 0) break;
      last = stmt_int(st, 0);
      row_reset(&x);
      buf_reset(&names);
      snprintf(n, sizeof n, "%lld", (long long)++count);
      const char *kind = stmt_text(st, 13), *country = stmt_text(st, 14);
      if (strcmp(kind, "foreign") == 0) codes_country(country, from, sizeof from);
      else snprintf(from, sizeof from, "%s", codes_province(stmt_text(st, 15)) ? codes_province(stmt_text(st, 15)) : "");
      /* Copies: the row is written once the statement has moved past it. */
      const char *pv[] = {n,
                          keep(&x, stmt_text(st, 1)),
                          keep(&x, stmt_text(st, 2)),
                          "",
                          "",
                          keep(&x, stmt_text(st, 3)),
                          keep(&x, stmt_text(st, 4)),
                          keep(&x, stmt_text(st, 5)),
                          money_text(&x, stmt_int(st, 6), "CNY", 4, 2),
                          stmt_int(st, 7) ? money_text(&x, stmt_int(st, 7), "USD", 4, 2) : "",
                          keep(&x, stmt_text(st, 8)),
                          money_text(&x, stmt_int(st, 11), "CNY", 4, 2),
                          keep(&x, stmt_text(st, 9)),
                          keep(&x, stmt_text(st, 10))};
      _Static_assert(XQ_COUNT(pv) == XQ_COUNT(signed_cols), "one value per column");
      memcpy(v, pv, sizeof pv);
    }
    buf_appendf(&names, "%s%s", names.n ? "、" : "", stmt_text(st, 12));
  }
  stmt_done(st);
  buf_free(&names);
  row_free(&x);
  return rc < 0 ? -1 : 0;
}

/* ---- the report as a workbook ----------------------------------------------- */

static const SheetCol figure_cols[] = {
    {"label", "指标", SK_TEXT, OUT, NULL, 26}, {"text", "数值", SK_TEXT, OUT, NULL, 14},
    {"formula", "口径", SK_TEXT, OUT, NULL, 70}};
static const SheetCol year_cols[] = {
    {"year", "年份", SK_TEXT, OUT, NULL, 8}, {"signed", "签约项目", SK_INT, OUT, NULL, 10},
    {"amount", "合同投资额(亿元)", SK_NUMBER, OUT, NULL, 18}};
static const SheetCol funnel_cols[] = {
    {"label", "阶段", SK_TEXT, OUT, NULL, 8}, {"reached", "到达项目数", SK_INT, OUT, NULL, 12},
    {"conversion", "由上一阶段转化率(%)", SK_NUMBER, OUT, NULL, 20},
    {"median_days", "上一阶段至本阶段中位天数", SK_NUMBER, OUT, NULL, 24}};
static const SheetCol group_cols[] = {
    {"label", "分组", SK_TEXT, OUT, NULL, 30}, {"scope", "范围", SK_TEXT, OUT, NULL, 8},
    {"signed", "签约项目", SK_INT, OUT, NULL, 10}, {"amount", "合同投资额(亿元)", SK_NUMBER, OUT, NULL, 18}};

static const SheetTable report_tables[] = {
    {"主要指标", figure_cols, 3, NULL, NULL}, {"分年度", year_cols, 3, NULL, NULL},
    {"阶段漏斗", funnel_cols, 4, NULL, NULL}, {"按行业", group_cols, 4, NULL, NULL},
    {"按来源地", group_cols, 4, NULL, NULL},  {"按负责人", group_cols, 4, NULL, NULL}};

/* text_of() is member k of o as text (numbers printed, amounts in 亿 with
** two decimals, ratios as per cent with one), in b. */
static const char *text_of(const json_t *o, const char *k, Buf *b) {
  const json_t *v = json_object_get(o, k);
  buf_reset(b);
  if (json_is_string(v)) return json_string_value(v);
  if (json_is_integer(v)) buf_appendf(b, "%lld", (long long)json_integer_value(v));
  else if (json_is_real(v) && strcmp(k, "conversion") == 0) buf_appendf(b, "%.1f", json_real_value(v) * 100);
  else if (json_is_real(v)) buf_appendf(b, "%.1f", json_real_value(v));
  else if (json_is_object(v))
    money_format_scaled(b, json_integer_value(json_object_get(v, "minor")),
                        money_currency(json_string_value(json_object_get(v, "currency"))), 8, 2);
  return buf_cstr(b);
}

static void report_sheet(SheetOut *o, const SheetTable *t, const char *title, const json_t *rows) {
  Buf b[4] = {{0}};
  sheet_out_begin(o, t, title);
  size_t i;
  json_t *r;
  json_array_foreach(rows, i, r) {
    const char *v[4] = {0};
    for (int k = 0; k < t->nCol && k < 4; k++) v[k] = text_of(r, t->aCol[k].key, &b[k]);
    sheet_out_row(o, v);
  }
  for (int k = 0; k < 4; k++) buf_free(&b[k]);
}

/* ---- export: the entry -------------------------------------------------------- */

int invest_export(Store *s, const User *actor, const char *what, const InvestExport *q, Buf *out, char *name,
                  size_t cap, Err *e) {
  static const char *const kinds[] = {"activities", "projects", "funds", "signed", "report"};
  static const char *const names[] = {"招商活动", "招商项目", "到位资金", "签约项目一览表", "招商报表"};
  int k = -1;
  for (int i = 0; i < (int)XQ_COUNT(kinds); i++)
    if (what && strcmp(what, kinds[i]) == 0) k = i;
  if (k < 0) return err_setf(e, E_NOTFOUND, "export.no_kind", NULL, "没有这种导出：%s", "No such export: %s", what);
  if (!(actor->role & (ROLE_INVEST | ROLE_ADMIN | ROLE_LEADER | ROLE_AUDITOR)))
    return err_set(e, E_FORBIDDEN, "auth.forbidden", NULL, "无权导出招商数据", "You may not export investment data");
  if (k == 4 && !q->xlsx)
    return err_set(e, E_INVALID, "request.bad_param", "format", "招商报表只提供 Excel 格式（format=xlsx）",
                   "The report is exported as Excel only (format=xlsx)");
  if (period(q->from, q->to, e)) return -1;
  if (q->stage && *q->stage && workflow_state(&invest_workflow, q->stage) < 0)
    return err_setf(e, E_INVALID, "invest.bad_stage", "stage", "没有这个项目阶段：%s", "No such stage: %s", q->stage);
  char title[160] = "";
  if (k >= 3) {
    if (!q->from || !*q->from || !q->to || !*q->to)
      return err_set(e, E_INVALID, "invest.bad_period", "from", "请给出统计期：from 和 to（YYYY-MM-DD）",
                     "Give the period: from and to (YYYY-MM-DD)");
    snprintf(title, sizeof title, "%s（%s 至 %s）", names[k], q->from, q->to);
  }
  json_t *rep = NULL;
  if (k == 4 && !(rep = invest_report(s, actor, q->from, q->to, e))) return -1;
  SheetOut *o = sheet_out_new(q->xlsx, e);
  if (!o) {
    json_decref(rep);
    return -1;
  }
  Db *db = store_reader(s);
  int rc = 0;
  switch (k) {
  case 0: sheet_out_begin(o, &tables[0], NULL), rc = export_activities(db, actor, q, o, e); break;
  case 1: sheet_out_begin(o, &tables[1], NULL), rc = export_projects(db, actor, q, o, e); break;
  case 2: sheet_out_begin(o, &tables[2], NULL), rc = export_funds(db, actor, q, o, e); break;
  case 3: sheet_out_begin(o, &signed_table, title), rc = export_signed(db, actor, q, o, e); break;
  default: {
    static const char *const parts[] = {"figures", "years", "funnel", "by_industry", "by_region", "by_officer"};
    for (size_t i = 0; i < XQ_COUNT(parts); i++)
      report_sheet(o, &report_tables[i], i == 0 ? title : NULL, json_object_get(rep, parts[i]));
  }
  }
  json_decref(rep);
  Buf file = {0};
  if (sheet_out_end(o, &file, rc ? NULL : e) < 0) rc = -1;
  if (rc == 0) buf_append(out, file.a ? file.a : "", file.n);
  buf_free(&file);
  if (name) snprintf(name, cap, "%s", names[k]);
  return rc;
}
