/*
** catalog.h — the service catalogue (事项目录): items with the fields of a
** 办事指南, versioned by effective date. A case keeps the item version it was
** filed under (item_version.id), so a later edit never changes a filed case.
**
** Modes, as counted by catalog_stats() and `xinqu catalog stats`:
**   即来即办  handling == HANDLING_INSTANT (decided at the window / kiosk)
**   秒批秒办  rule[0] != 0 (an auto-approval Lua rule, see rules.h)
**   全程网办  ch_online
**   容缺受理  allow_rongque
**   告知承诺  allow_promise
** Only the version effective today counts. A 秒批 item is a 承诺件
** (handling promise), not a 即办件: its rule may answer "manual", and then
** an approver decides within the promised limit. So 即来即办 and 秒批秒办
** never overlap; 全程网办 overlaps both.
**
** In the API, the CSV and the filters the modes are named instant, auto,
** online, rongque and promise; channels window, online and kiosk.
*/
#ifndef XINQU_CATALOG_H
#define XINQU_CATALOG_H

#include <jansson.h>
#include "../base/base.h"
#include "../store/store.h"
#include "accounts.h"
#include "registry.h" /* ImportReport */
#include <stdio.h>

#define CATALOG_MAX_MATERIALS 24
/* The key of the signed 告知承诺书 among an item's materials: an item that
** allows 告知承诺 has it, and a promise is decided only with it given. */
#define PROMISE_MATERIAL "promise"

/* One material of an item. Sizes allow 4 UTF-8 bytes per character. */
typedef struct Material {
  char key[24];        /* stable key within the item ("m1", "licence" …), [a-z0-9_] */
  char name[244];      /* 材料名称, ≤ 60 characters */
  bool core;           /* 核心要件: never missing under 容缺 */
  bool may_miss;       /* may be missing under 容缺 (only when !core) */
  char form[16];       /* "original" 原件 | "copy" 复印件 | "electronic" 电子件 | "form" 申请表 */
  char source[84];     /* where the data can be fetched instead of uploaded
                          ("registry.entity", "registry.person", "" for none) */
} Material;

typedef enum eHandling { HANDLING_INSTANT = 1, HANDLING_PROMISE = 2 } eHandling;
typedef enum eLimitUnit { LIMIT_WORKDAYS = 1, LIMIT_WORKHOURS = 2 } eLimitUnit;

/* One version of one item. */
typedef struct Item {
  int64_t version_id;        /* item_version.id */
  int64_t item_id;           /* item.id (stable across versions) */
  char code[40];             /* 事项编码, e.g. "JP-SCJG-0001" */
  int version;               /* 1, 2, … */
  char effective_from[11];   /* YYYY-MM-DD */
  char effective_to[11];     /* YYYY-MM-DD, "" when open-ended */
  char dept_code[32];        /* department.code */
  int64_t dept_id;
  char name[404];            /* 事项名称, ≤ 100 characters */
  char kind[40];             /* 行政许可 | 行政确认 | 行政给付 | 行政备案 | 公共服务 | 其他行政权力 */
  char legal_basis[2004];    /* 设定依据, ≤ 500 characters */
  char conditions[4004];     /* 受理条件, ≤ 1000 characters */
  int nMaterial;
  Material aMaterial[CATALOG_MAX_MATERIALS];
  int legal_limit;           /* 法定时限, in limit_unit */
  int promised_limit;        /* 承诺时限, in limit_unit (0 for 即办件) */
  eLimitUnit limit_unit;
  char fees[404];            /* 收费标准, "不收费" when none, ≤ 100 characters */
  eHandling handling;
  bool ch_window, ch_online, ch_kiosk; /* channels: 窗口, 全程网办, 自助终端 */
  int visits;                /* 跑动次数: 0 or 1 */
  char *rule;                /* 秒批 Lua rule source (malloc'd; "" when none), ≤ 64 KiB */
  int postcheck_pct;         /* share of automatic approvals sampled for 事后抽查, 0–100 */
  bool allow_rongque;        /* 容缺受理 allowed */
  bool allow_promise;        /* 告知承诺 allowed */
  int promise_verify_days;   /* 告知承诺 核查 due after this many working days */
  bool safety;               /* touches public safety, environment, health/life/property:
                                容缺 and 告知承诺 are never allowed */
  char reform_mode[40];      /* 证照分离: 直接取消审批 | 审批改为备案 | 实行告知承诺 | 优化审批服务 | "" */
  char output_kind[124];     /* 证照名称 of the result ("" when the output is a decision only) */
  int output_valid_months;   /* validity of the certificate, 0 = long-term */
  char parties[8];           /* 服务对象, who may apply: "entity" (法人、其他组织), "person" (自然人), "" both */
  char registry_effect[12];  /* what issuing does to the market-entity registry (登记效果):
                                "register" 设立 (a new entity from the form), "change" 变更 (the
                                applicant entity's registered facts from the form, history kept),
                                "reissue" 补领/换发 (the applicant's licence again), "cancel" 注销
                                (the applicant entity ends), "" nothing */
  json_t *form;              /* the application form's fields (owned; NULL = not given: a
                                new version keeps the one before): [{name, label, label_en?,
                                type, required?, min?, max?, choices?}], see catalog_form_check() */
  json_t *guide;             /* 办事指南 beyond the fixed fields (owned; NULL = not given: a new
                                version keeps the one before, and its themes and keywords too):
                                {place?, window?, hours?, phone?, complaint_phone?, steps?:
                                [{name, description?}]}, see CATALOG_GUIDE below */
  char themes[128];          /* 主题: names from catalog_themes, "|"-separated, ≤ 5, "" none */
  char keywords[832];        /* 关键词: other names it is searched by, "|"-separated, ≤ 10 of
                                ≤ 20 characters each, "" none */
} Item;

/* The guide (Item.guide), every member optional:
**   place            办理地点, ≤ 100 characters ("大连金普新区政务服务中心 B 区 2 楼")
**   window           窗口, ≤ 50 characters ("12–15 号窗口")
**   hours            办公时间, ≤ 100 characters
**   phone            咨询电话, and
**   complaint_phone  监督投诉电话: each a telephone number — 0411-87654321 (an area
**                    code, 7–8 digits, an optional -extension), a 5-digit service
**                    number (12345), a mobile (13912345678) or 400-123-4567
**   steps            办理流程: at most 12 steps in order, {name ≤ 40 characters,
**                    description? ≤ 200 characters}
** Anything else is refused (catalog.bad_guide, field "guide.NAME"). */

/* One 主题 (life event) of the catalogue: the fixed list, defined once in
** catalog.c and served by GET /api/v1/catalog/themes. */
typedef struct CatalogTheme {
  const char *name;    /* the Chinese name, as stored in Item.themes ("开办企业") */
  const char *name_en; /* its English name */
  const char *parties; /* whose it mostly is: "person", "entity" or "" both (for the tabs) */
} CatalogTheme;
extern const CatalogTheme catalog_themes[];
extern const int nCatalogTheme;

/* catalog_themes_json() is the theme list as a new {themes:[{name, name_en, parties}]}. */
json_t *catalog_themes_json(void);

/* The field types of an application form: text (min/max characters), integer
** and number (min/max value), money_fen (an amount in fen, entered in yuan;
** min/max in fen), date (YYYY-MM-DD, min/max dates), boolean, choice (one of
** choices). A form has at most 32 fields, names [a-z][a-z0-9_]* of at most
** 32 bytes, labels of at most 40 characters. */

/* catalog_form_check() checks an item's form specification: -1 with *e
** (catalog.bad_form, naming the field) when it is not one. */
int catalog_form_check(const json_t *form, Err *e);

/* catalog_form_validate() checks a filing's form (an object, borrowed)
** against the item's fields: when complete (a submission), every required
** field present; each value given of its type and limits (a draft's too),
** no field the item does not declare (note, ≤ 500 characters, is every
** form's). An item that declares no field takes any form. -1 with *e
** (request.*, field "form.NAME"): the first bad field, and every one in
** e->all when the caller gathers them (base.h). */
int catalog_form_validate(const Item *it, const json_t *form, bool complete, Err *e);

/* catalog_item_free() frees what an Item owns (rule, form, guide); the Item itself
** is the caller's. Safe on a zeroed Item. */
void catalog_item_free(Item *it);

/* catalog_item_check() validates every field (lengths, enums, limits ≥ 0,
** promised ≤ legal, material keys unique, core ⇒ !may_miss, safety ⇒ neither
** 容缺 nor 告知承诺, the rule compiles in the sandbox, the guide as described
** above (catalog.bad_guide), themes from catalog_themes without repeats, at
** most 5 (catalog.bad_theme), keywords at most 10 of 1–20 characters without
** repeats (catalog.bad_keywords)). Returns 0, or -1 with *e (E_INVALID,
** code catalog.*) naming the field. */
int catalog_item_check(const Item *it, Err *e);

/* catalog_get() reads the version of item code effective on date
** (YYYY-MM-DD; NULL = today in Asia/Shanghai). -1 with catalog.not_found. */
int catalog_get(Store *s, const char *code, const char *date, Item *it, Err *e);

/* catalog_get_version() reads one version by item_version.id through db
** (a reader, or the writer inside a write job). -1 with catalog.not_found. */
int catalog_get_version(Db *db, int64_t version_id, Item *it, Err *e);

/* catalog_save() writes it as a new version of its code (a new item when
** the code is new), effective from it->effective_from (today when empty);
** the previous open version ends the day before. Sets it->version_id,
** item_id and version. One transaction with its audit event. */
int catalog_save(Store *s, const User *actor, Item *it, Err *e);

/* catalog_item_json() describes an item for the API (new object). */
json_t *catalog_item_json(const Item *it);
/* catalog_item_from_json() fills it from an API object (the inverse). */
int catalog_item_from_json(const json_t *o, Item *it, Err *e);

/* catalog_search() pages through the items whose version is effective on
** q->date (NULL = today): name containing q->q, of department q->dept
** q->date (NULL = today): name, result (output_kind) or one of the
** keywords containing q->q, of department q->dept (department code), mode
** (instant | auto | online | rongque | promise), channel (window | online |
** kiosk), kind, theme (a name of catalog_themes) and parties (person |
** entity: the items a party of that kind may file, i.e. the item's parties
** is that kind or "" for both), each filter optional (NULL or ""), ordered
** by code. Returns a new {items, total, page, per_page}, or NULL with *e
** (catalog.bad_mode, catalog.bad_channel, catalog.bad_parties,
** catalog.bad_theme, catalog.bad_date). */
typedef struct CatalogQuery {
  const char *q, *dept, *mode, *channel, *kind, *parties, *date; /* filters, NULL = any */
  int page, per_page;                                            /* 1-based page, rows per page */
  const char *theme;                                             /* 主题 filter, NULL = any */
} CatalogQuery;
json_t *catalog_search(Store *s, const CatalogQuery *q, Err *e);

/* catalog_popular() lists the items in force today with the most cases
** filed (submitted) in the last days days, most first (then by code), at
** most limit, only those parties (person | entity, as catalog_search; NULL
** or "" = all) may file: a new {days, items:[item… with "cases": count]},
** or NULL with *e (catalog.bad_parties). Items without a case in the
** period are not listed. */
json_t *catalog_popular(Store *s, const char *parties, int days, int limit, Err *e);

/* catalog_versions() lists every version of code, oldest first: a new
** {code, items:[item…]}, or NULL with catalog.not_found. */
json_t *catalog_versions(Store *s, const char *code, Err *e);

/* catalog_stats() counts the items effective on date (NULL = today) per mode,
** overall and per department: a new {date, total, modes:{instant, auto,
** online, rongque, promise}, departments:[{code, name, total, instant, …}]}
** (departments without items are left out), or NULL with *e. */
json_t *catalog_stats(Store *s, const char *date, Err *e);

/* The modes in the order of `xinqu catalog stats`: key and Chinese label. */
#define CATALOG_NMODE 5
extern const char *const catalog_mode_keys[CATALOG_NMODE];   /* instant auto online rongque promise */
extern const char *const catalog_mode_labels[CATALOG_NMODE]; /* 即来即办 秒批秒办 全程网办 容缺受理 告知承诺 */

/* catalog_import_items() writes a[0..n) in one transaction with one audit
** event (item.import): each as a new version of its code, or a new item
** with version a[i].version (1 when 0). Every item must have passed
** catalog_item_check(). A row is refused, and the others written, when its
** department is unknown, its effective_from is before the latest version's,
** or (when skip_same) it equals the latest version; refused[i] (n bytes,
** may be NULL) becomes 1 (2 for a row equal to its latest version, which
** imports count as unchanged, not rejected) and why[i] (may be NULL;
** n × 800 bytes) the reason. *written gets the rows written. Returns 0, or -1 with *e on a
** database failure (nothing written). */
int catalog_import_items(Store *s, const User *actor, Item *a, int n, bool skip_same,
                         unsigned char *refused, char (*why)[800], int64_t *written, Err *e);

/* The CSV layout: one row per item version, the names of catalog_item_json.
** Booleans 0/1; channels "window|online|kiosk"; limit_unit workdays |
** workhours; handling instant | promise; materials a JSON array of
** {key, name, core, may_miss, form, source}; rule the Lua text; guide the
** guide as a JSON object ("" = {}); themes and keywords "|"-separated. A
** file in the layout before the guide (its first 28 columns) is still
** read: its rows keep the guide, themes and keywords of the version before. */
#define CATALOG_CSV_HEADER                                                                     \
  "code,version,effective_from,effective_to,dept_code,name,kind,legal_basis,conditions,"       \
  "materials,legal_limit,promised_limit,limit_unit,fees,handling,channels,visits,rule,"        \
  "postcheck_pct,allow_rongque,allow_promise,promise_verify_days,safety,reform_mode,"          \
  "output_kind,output_valid_months,parties,registry_effect,guide,themes,keywords"

/* catalog_import_csv() reads items from f (header CATALOG_CSV_HEADER) and
** writes them as by catalog_import_items(skip_same = true), 500 rows a
** transaction. A bad row is refused and reported through on_reject(line,
** code, reason, arg) with its line number. Returns 0, or -1 with *e on a bad
** header, a read error or a database failure. */
int catalog_import_csv(Store *s, const User *actor, FILE *f, ImportReport *rep,
                       void (*on_reject)(int64_t line, const char *code, const char *reason, void *arg),
                       void *arg, Err *e);
/* The largest catalogue file an import accepts, CSV or Excel (the API's
** body limit for POST /api/v1/catalog/import, and the CLI's file limit). */
#define CATALOG_IMPORT_MAX (8 << 20)

/* catalog_import_xlsx() reads items from the Excel workbook data[0..n)
** (not kept): the sheet named 事项, else the first sheet, whose first
** non-blank row is the header — the CSV names, or the Chinese column names
** catalog_export_xlsx writes — and whose other rows are items in the CSV
** layout. The rows go through the same checks, report (line = the sheet
** row number) and writing as catalog_import_csv. Reading is bounded (file
** CATALOG_IMPORT_MAX, 64 MiB uncompressed per part, 100,000 rows, 64
** columns, 1,000,000 shared strings, 96 KiB a string; no DOCTYPE): a
** damaged or hostile file is refused with xlsx.* (see base/xlsx.h).
** Returns 0, or -1 with *e. */
int catalog_import_xlsx(Store *s, const User *actor, const void *data, size_t n, ImportReport *rep,
                        void (*on_reject)(int64_t line, const char *code, const char *reason, void *arg),
                        void *arg, Err *e);
/* catalog_export_csv() writes the version effective today of every item, by
** code, as CSV with the header, to f. Importing it into a database with the
** same departments and no items gives identical items. -1 with export.write. */
int catalog_export_csv(Store *s, FILE *f, Err *e);
/* catalog_export_xlsx() writes the same items as an Excel workbook at path:
** sheet 事项 (one row per item: the CSV columns in CSV order, each headed by
** its Chinese name, numbers as numbers, so catalog_import_xlsx reads it
** back to identical items) and sheet 材料 (one row per material, for
** reading). -1 with export.write, or export.too_long when a text is over
** the 32,767 characters of an Excel cell. */
int catalog_export_xlsx(Store *s, const char *path, Err *e);

/* catalog_demo_items() generates the Jinpu demo catalogue (deterministic):
** *n items in a new array (free each with catalog_item_free, then the
** array). Every item passes catalog_item_check(); exactly 374 are
** 即来即办, 65 秒批秒办 and 637 全程网办. */
Item *catalog_demo_items(int *n);
/* catalog_demo_load() writes the demo catalogue (effective from 2022-01-01)
** in one transaction with one audit event. *n gets the items written. */
int catalog_demo_load(Store *s, int64_t *n, Err *e);

#endif
