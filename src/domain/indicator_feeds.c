/*
** indicator_feeds.c — the figures xinqu's own records give the indicator
** catalogue (indicator.h, IndicatorFeed): each a count or a sum of one
** domain's table over the days asked, with the address of the records
** behind it. They read the tables only through their indexes' columns:
** entity.established, case_file.submitted_at (the partial index
** case_submitted_item: each query says submitted_at > 0), invest_project.signed_on,
** invest_fund_by_day (migration 11), ladder_title.granted_on,
** talent_instalment.paid_on.
*/
#include "indicator.h"
#include "../base/cal.h"

#include <string.h>

/* count() runs sql (two day parameters, or two instants when ms) and reads
** its first column as a whole number into *n. 0, or -1 with *e. */
static int count(Db *db, const char *sql, const char *from, const char *to, bool ms, int64_t *n, int64_t *n2, Err *e) {
  Stmt *st = db_prepare(db, sql, e);
  if (!st) return -1;
  if (ms) {
    int a, b;
    cal_parse_date(from, &a);
    cal_parse_date(to, &b);
    stmt_bind_int(st, 1, cal_day_start_ms(a));
    stmt_bind_int(st, 2, cal_day_start_ms(b + 1));
  } else {
    stmt_bind_text(st, 1, from);
    stmt_bind_text(st, 2, to);
  }
  int rc = stmt_step(st, e);
  if (rc == 1) {
    *n = stmt_null(st, 0) ? 0 : stmt_int(st, 0);
    if (n2) *n2 = stmt_null(st, 1) ? 0 : stmt_int(st, 1);
  }
  stmt_done(st);
  return rc < 0 ? -1 : 0;
}

/* whole() is n units as a Dec, -1 when it does not fit. */
static int whole(int64_t n, Dec *out) {
  if (n > INT64_MAX / DEC_ONE || n < -INT64_MAX / DEC_ONE) return -1;
  *out = n * DEC_ONE;
  return 0;
}

static int too_large(Err *e) {
  return err_set(e, E_INTERNAL, "indicator.overflow", NULL, "计算结果超出范围", "The computed figure is out of range");
}

static int new_entities(const IndicatorFeed *f, Db *db, const char *from, const char *to, Dec *out, Buf *link, Err *e) {
  (void)f;
  int64_t n;
  if (count(db, "SELECT COUNT(*) FROM entity WHERE established >= ? AND established <= ?", from, to, false, &n, NULL, e))
    return -1;
  buf_appendf(link, "/api/v1/entities?established_from=%s&established_to=%s", from, to);
  return whole(n, out) ? too_large(e) : 1;
}

static int cases_filed(const IndicatorFeed *f, Db *db, const char *from, const char *to, Dec *out, Buf *link, Err *e) {
  (void)f;
  int64_t n;
  /* "submitted_at > 0" lets the partial index case_submitted_item serve the range. */
  if (count(db, "SELECT COUNT(*) FROM case_file WHERE submitted_at > 0 AND submitted_at >= ? AND submitted_at < ?", from, to,
            true, &n, NULL, e))
    return -1;
  buf_appendf(link, "/api/v1/cases?from=%s&to=%s", from, to);
  return whole(n, out) ? too_large(e) : 1;
}

/* The cases filed in the days and decided: the share decided in time. */
static int cases_on_time(const IndicatorFeed *f, Db *db, const char *from, const char *to, Dec *out, Buf *link, Err *e) {
  (void)f;
  int64_t ok, n;
  if (count(db, "SELECT SUM(CASE WHEN on_time = 1 THEN 1 ELSE 0 END), COUNT(*) FROM case_file"
                " WHERE submitted_at > 0 AND submitted_at >= ? AND submitted_at < ? AND on_time IS NOT NULL",
            from, to, true, &ok, &n, e))
    return -1;
  buf_appendf(link, "/api/v1/cases?from=%s&to=%s", from, to);
  if (n == 0) return 0;
  Dec a, b;
  if (whole(ok, &a) || whole(n, &b) || dec_ratio_pct(a, b, false, 2, out)) return too_large(e);
  return 1;
}

static int signed_projects(const IndicatorFeed *f, Db *db, const char *from, const char *to, Dec *out, Buf *link, Err *e) {
  (void)f;
  int64_t n;
  if (count(db, "SELECT COUNT(*) FROM invest_project WHERE signed_on >= ? AND signed_on <= ?", from, to, false, &n, NULL, e))
    return -1;
  buf_appendf(link, "/api/v1/invest/export/signed?from=%s&to=%s&format=xlsx", from, to);
  return whole(n, out) ? too_large(e) : 1;
}

/* Funds in place, in 万元: 1 万元 is 1,000,000 分, which is exactly DEC_ONE. */
static int funds_in_place(const IndicatorFeed *f, Db *db, const char *from, const char *to, Dec *out, Buf *link, Err *e) {
  (void)f;
  int64_t fen;
  if (count(db, "SELECT SUM(cny) FROM invest_fund_by_day WHERE on_day >= ? AND on_day <= ?", from, to, false, &fen, NULL, e))
    return -1;
  buf_appendf(link, "/api/v1/invest/export/funds?from=%s&to=%s&format=xlsx", from, to);
  *out = fen;
  return 1;
}

/* Titles of the ladder's rung f->arg granted in the days (first grants and
** renewals, as the ladder's figures count them). */
static int titles_granted(const IndicatorFeed *f, Db *db, const char *from, const char *to, Dec *out, Buf *link, Err *e) {
  Stmt *st = db_prepare(db, "SELECT COUNT(*) FROM ladder_title WHERE rung = ? AND granted_on >= ? AND granted_on <= ?", e);
  if (!st) return -1;
  stmt_bind_text(st, 1, f->arg);
  stmt_bind_text(st, 2, from);
  stmt_bind_text(st, 3, to);
  int rc = stmt_step(st, e);
  int64_t n = rc == 1 ? stmt_int(st, 0) : 0;
  stmt_done(st);
  if (rc < 0) return -1;
  buf_appendf(link, "/api/v1/ladder/stats?year=%.4s", from);
  return whole(n, out) ? too_large(e) : 1;
}

/* Talent policies granted: entitlements decided in the days (by an officer,
** on an application, or by the 免申即享 scan). */
static int talent_entitled(const IndicatorFeed *f, Db *db, const char *from, const char *to, Dec *out, Buf *link, Err *e) {
  (void)f;
  int64_t n;
  if (count(db, "SELECT COUNT(*) FROM talent_entitlement WHERE decided_on >= ? AND decided_on <= ?", from, to, false, &n,
            NULL, e))
    return -1;
  buf_appendf(link, "/api/v1/talent/entitlements");
  return whole(n, out) ? too_large(e) : 1;
}

/* Talent subsidies paid, in 万元 (as funds_in_place()). */
static int talent_paid(const IndicatorFeed *f, Db *db, const char *from, const char *to, Dec *out, Buf *link, Err *e) {
  (void)f;
  int64_t fen;
  if (count(db, "SELECT SUM(amount_fen) FROM talent_instalment WHERE state = 'paid' AND paid_on >= ? AND paid_on <= ?",
            from, to, false, &fen, NULL, e))
    return -1;
  buf_appendf(link, "/api/v1/talent/ledger?year=%.4s", from);
  *out = fen;
  return 1;
}

static const IndicatorFeed feeds[] = {
    {"registry.new_entities", "新登记市场主体（登记簿）", "New market entities (the registry)", "户", new_entities, NULL, 0, true},
    {"cases.filed", "政务服务办件量（办件）", "Cases filed (services)", "件", cases_filed, NULL, 0, true},
    {"cases.on_time_rate", "办件按时办结率（办件）", "Cases decided on time (services)", "%", cases_on_time, NULL, 2, false},
    {"invest.signed", "签约招商项目（招商）", "Signed investment projects (招商)", "个", signed_projects, NULL, 0, true},
    {"invest.funds", "招商项目到位资金（招商）", "Funds in place (招商)", "万元", funds_in_place, NULL, 2, true},
    {"ladder.kjxzx_granted", "认定科技型中小企业（梯度培育）", "Tech SMEs recognised (the ladder)", "家", titles_granted, "kjxzx", 0, true},
    {"ladder.gaoqi_granted", "认定高新技术企业（梯度培育）", "High-tech enterprises recognised (the ladder)", "家", titles_granted, "gaoqi", 0, true},
    {"ladder.cxx_granted", "认定创新型中小企业（梯度培育）", "Innovative SMEs recognised (the ladder)", "家", titles_granted, "cxx", 0, true},
    {"ladder.zjtx_granted", "认定专精特新中小企业（梯度培育）", "专精特新 SMEs recognised (the ladder)", "家", titles_granted, "zjtx", 0, true},
    {"ladder.xjr_granted", "认定专精特新“小巨人”企业（梯度培育）", "Little giants recognised (the ladder)", "家", titles_granted, "xjr", 0, true},
    {"ladder.dxgj_granted", "认定制造业单项冠军（梯度培育）", "Manufacturing champions recognised (the ladder)", "家", titles_granted, "dxgj", 0, true},
    {"talent.entitled", "人才政策认定享受（人才）", "Talent policy entitlements decided (talent)", "人次", talent_entitled, NULL, 0, true},
    {"talent.paid", "人才补贴发放（人才）", "Talent subsidies paid (talent)", "万元", talent_paid, NULL, 2, true},
};

void indicator_feeds_register(void) {
  for (size_t i = 0; i < XQ_COUNT(feeds); i++)
    if (!indicator_feed_find(feeds[i].code)) indicator_feed_add(&feeds[i]);
}
