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
** Only the version effective today counts.
*/
#ifndef XINQU_CATALOG_H
#define XINQU_CATALOG_H

#include <jansson.h>
#include "../base/base.h"
#include "../store/store.h"
#include "accounts.h"

#define CATALOG_MAX_MATERIALS 24

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
} Item;

/* catalog_item_free() frees what an Item owns (the rule); the Item itself
** is the caller's. Safe on a zeroed Item. */
void catalog_item_free(Item *it);

/* catalog_item_check() validates every field (lengths, enums, limits ≥ 0,
** promised ≤ legal, material keys unique, core ⇒ !may_miss, safety ⇒ neither
** 容缺 nor 告知承诺, the rule compiles in the sandbox). Returns 0, or -1 with
** *e (E_INVALID, code catalog.*) naming the field. */
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

#endif
