/*
** main.c — the xinqu command line: a table of commands, each with its usage
** line; each command lists the options it takes, and parse() refuses others
** and answers --help. Every command that touches a database takes --db URL
** (default: $XINQU_DB, then sqlite:var/xinqu.db); only init makes one, the
** others open a database that exists (open_db()).
*/
#include "base/base.h"
#include "base/buf.h"
#include "base/cal.h"
#include "base/codes.h"
#include "base/crypto.h"
#include "base/jsonx.h"
#include "domain/accounts.h"
#include "domain/audit.h"
#include "domain/cases.h"
#include "domain/indicator.h"
#include "domain/invest.h"
#include "domain/ladder.h"
#include "domain/talent.h"
#include "domain/talent_pay.h"
#include "domain/talent_scan.h"
#include "domain/talent_apply.h"
#include "domain/talent_catalogue.h"
#include "domain/livelihood.h"
#include "domain/talent_feed.h"
#include "domain/catalog.h"
#include "domain/docs.h"
#include "domain/pack.h"
#include "domain/registry.h"
#include "domain/rules.h"
#include "domain/schedule.h"
#include "domain/task.h"
#include "domain/workflow.h"
#include "domain/workcal.h"
#include "http/api.h"
#include "http/http.h"
#include "store/store.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Options ------------------------------------------------------------------ */

/* A command: its name, what runs it, and its usage — "NAME ARGS…  中文说明 /
** English", further lines (indented) for the options when there are many. */
typedef struct Command {
  const char *name;
  int (*fn)(int argc, char **argv);
  const char *usage;
} Command;

/* The command main() is running: parse() prints its usage. */
static const Command *curCmd;

/* The options of one command line: --name VALUE pairs and flags, and the
** positional arguments left over. */
typedef struct Opts {
  int nPos;
  char *aPos[64];
  int nOpt;
  const char *aName[32];
  const char *aValue[32];
} Opts;

/* In a command's list of options, FLAG(name) is an option that takes no
** value (opt() gives "" when it is there); a plain name takes one. */
#define FLAG(name) "!" name

/* spec_find() is the entry of spec for the option name (n bytes), or NULL. */
static const char *spec_find(const char *const *spec, const char *name, size_t n) {
  for (int k = 0; spec[k]; k++) {
    const char *s = spec[k] + (spec[k][0] == '!');
    if (strlen(s) == n && strncmp(s, name, n) == 0) return spec[k];
  }
  return NULL;
}

/* print_usage() writes the running command's usage to f, and what --db is
** when spec takes it. */
static void print_usage(FILE *f, const char *const *spec) {
  if (!curCmd) return;
  fprintf(f, "用法 / usage: xinqu %s\n", curCmd->usage);
  if (spec_find(spec, "db", 2))
    fprintf(f, "  --db URL  数据库：sqlite:文件 或 postgresql://…，默认 $XINQU_DB，再默认 sqlite:var/xinqu.db；\n"
               "            除 init 外须已建好 / the database, sqlite:PATH or postgresql://…, default\n"
               "            $XINQU_DB, then sqlite:var/xinqu.db; it must exist, except for init\n");
  fprintf(f, "  -h, --help  显示本说明 / show this help\n");
}

/* parse() splits argv into o: the options spec lists (a name takes the next
** argument or "=VALUE" as its value, FLAG(name) takes none) and the
** positional arguments; "-" is positional (standard input), "--" ends the
** options. --help or -h prints the command's usage and exits the program
** with status 0. Returns 0, or -1 after printing why (an option spec does
** not list, with the usage; a value missing or given to a flag), for the
** caller to exit with status 2. Keeps pointers into argv (and cuts "=VALUE"
** off its argument); allocates nothing. */
static int parse(int argc, char **argv, const char *const *spec, Opts *o) {
  memset(o, 0, sizeof *o);
  bool options = true;
  for (int i = 0; i < argc; i++) {
    char *a = argv[i];
    if (options && strcmp(a, "--") == 0) {
      options = false;
      continue;
    }
    /* An option is --NAME or -LETTER…; "-", "-1" and the rest are positional. */
    bool dashes = a[0] == '-' && (a[1] == '-' || (a[1] >= 'a' && a[1] <= 'z') || (a[1] >= 'A' && a[1] <= 'Z'));
    if (!options || !dashes) {
      if (o->nPos == (int)XQ_COUNT(o->aPos)) {
        fprintf(stderr, "xinqu: 参数太多 / too many arguments\n");
        return -1;
      }
      o->aPos[o->nPos++] = a;
      continue;
    }
    if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
      print_usage(stdout, spec);
      exit(0);
    }
    char *eq = a[1] == '-' ? strchr(a, '=') : NULL;
    const char *name = a + 2, *value = "";
    const char *entry = a[1] == '-' ? spec_find(spec, name, eq ? (size_t)(eq - name) : strlen(name)) : NULL;
    if (eq) *eq = 0;
    if (!entry) {
      fprintf(stderr, "xinqu: 未知选项 / unknown option: %s\n", a);
      print_usage(stderr, spec);
      return -1;
    }
    if (entry[0] == '!' && eq) {
      fprintf(stderr, "xinqu: --%s 不带值 / --%s takes no value\n", name, name);
      return -1;
    }
    if (eq) {
      value = eq + 1;
    } else if (entry[0] != '!') {
      if (i + 1 >= argc) {
        fprintf(stderr, "xinqu: --%s 需要一个值 / --%s needs a value\n", name, name);
        return -1;
      }
      value = argv[++i];
    }
    if (o->nOpt == (int)XQ_COUNT(o->aName)) {
      fprintf(stderr, "xinqu: 选项太多 / too many options\n");
      return -1;
    }
    o->aName[o->nOpt] = name;
    o->aValue[o->nOpt++] = value;
  }
  return 0;
}

static const char *opt(const Opts *o, const char *name, const char *dflt) {
  for (int i = 0; i < o->nOpt; i++)
    if (strcmp(o->aName[i], name) == 0) return o->aValue[i];
  return dflt;
}

static const char *db_url(const Opts *o) {
  const char *env = getenv("XINQU_DB");
  return opt(o, "db", env && *env ? env : "sqlite:var/xinqu.db");
}

/* redacted() writes url with any password replaced by ***: the
** user:password@ of a URI and a password=… parameter. */
static const char *redacted(const char *url, char *out, size_t cap) {
  Buf b = {0};
  const char *scheme = strstr(url, "://"), *at = scheme ? strchr(scheme + 3, '@') : NULL;
  const char *colon = scheme ? strchr(scheme + 3, ':') : NULL;
  if (at && colon && colon < at) {
    buf_append(&b, url, (size_t)(colon + 1 - url));
    buf_puts(&b, "***");
    url = at;
  }
  const char *pw = strstr(url, "password=");
  if (pw) {
    buf_append(&b, url, (size_t)(pw + 9 - url));
    buf_puts(&b, "***");
    url = pw + 9 + strcspn(pw + 9, "&");
  }
  buf_puts(&b, url);
  snprintf(out, cap, "%s", buf_cstr(&b));
  buf_free(&b);
  return out;
}

static void print_err(const Err *e) {
  fprintf(stderr, "xinqu: %s%s%s%s\n  %s\n", e->message, e->field[0] ? "（" : "", e->field,
          e->field[0] ? "）" : "", e->message_en);
}

/* read_file() reads path whole into b. Returns 0, or -1 after saying why. */
static int read_file(const char *path, Buf *b) {
  FILE *f = fopen(path, "r");
  char chunk[8192];
  size_t got;
  if (!f) {
    fprintf(stderr, "xinqu: 无法打开 / cannot open %s: %s\n", path, strerror(errno));
    return -1;
  }
  while ((got = fread(chunk, 1, sizeof chunk, f)) > 0) buf_append(b, chunk, got);
  fclose(f);
  return 0;
}

/* audit_head_path() is the audit head file (audit.h) named by --audit-head,
** else, for SQLite, the database's file name followed by ".audit-head", else
** NULL (PostgreSQL without the option: the log lines only). Sets *given
** when the option named it. The answer lives in o or in out (cap bytes). */
static const char *audit_head_path(const Opts *o, char *out, size_t cap, bool *given) {
  const char *head = opt(o, "audit-head", NULL), *url = db_url(o);
  *given = head && *head;
  if (*given) return head;
  if (strncmp(url, "sqlite:", 7) != 0) return NULL;
  snprintf(out, cap, "%s.audit-head", url + 7);
  return out;
}

/* db_open() opens the database named by --db, brings its schema forward
** and gives it the compiled-in holiday schedules it lacks (workcal_seed()):
** every open does, so no database, however it was made, lacks a year this
** binary knows. Only with create (init) is a database made: for SQLite the
** file, and the folder it is in when that is missing; otherwise one that
** does not exist or has no xinqu tables is refused (store_open_existing())
** and nothing is made. Returns NULL with *e set. */
static Store *db_open(const Opts *o, bool create, Err *e) {
  const char *url = db_url(o);
  if (create && strncmp(url, "sqlite:", 7) == 0) {
    char *dir = xstrdup(url + 7), *slash = strrchr(dir, '/');
    if (slash && slash != dir) {
      *slash = 0;
      mkdir(dir, 0755);
    }
    free(dir);
  }
  Store *s = create ? store_open(url, e) : store_open_existing(url, e);
  if (s && (store_migrate(s, e) || workcal_seed(s, e))) {
    store_close(s);
    s = NULL;
  }
  return s;
}

/* open_db() is db_open() for a database that exists (every command but
** init), saying why not — with what to run when it does not exist. */
static Store *open_db(const Opts *o) {
  Err e = {0};
  Store *s = db_open(o, false, &e);
  if (!s && strcmp(e.code, "db.missing") == 0) {
    char shown[512];
    redacted(db_url(o), shown, sizeof shown);
    fprintf(stderr, "xinqu: 数据库 %s 不存在，或其中没有 xinqu 的数据表；请先运行 xinqu init --db %s 建库\n"
                    "  the database %s does not exist or has no xinqu tables; create it with: xinqu init --db %s\n",
            shown, shown, shown, shown);
  } else if (!s) {
    print_err(&e);
  }
  return s;
}

/* Commands ----------------------------------------------------------------- */

static int opt_count(const Opts *o, const char *name, int dflt, int *out);

static int cmd_init(int argc, char **argv) {
  static const char *const wv[] = {"db", "demo", "entities", "persons", "cases", FLAG("no-pipeline"), NULL};
  Opts o;
  Err e = {0};
  if (parse(argc, argv, wv, &o)) return 2;
  Store *s = db_open(&o, true, &e);
  if (!s) {
    print_err(&e);
    return 1;
  }
  int rc = 1;
  const char *demo = opt(&o, "demo", NULL);
  if (demo) {
    PackReport rep;
    int nEntity = atoi(opt(&o, "entities", "210000")), nPerson = atoi(opt(&o, "persons", "20000")), nCase;
    if (nEntity < 1 || nPerson < 1) {
      fprintf(stderr, "xinqu: --entities 与 --persons 应为正整数 / must be positive\n");
      goto out;
    }
    /* --cases 0 makes no history (the API tests start from none). */
    const char *cases = opt(&o, "cases", NULL);
    if (cases && strcmp(cases, "0") == 0) nCase = 0;
    else if (opt_count(&o, "cases", 1000, &nCase)) goto out;
    if (nCase > 0) { /* the history issues certificates and completes tasks */
      task_subject_add(&cases_task_subject);
      cases_item_hooks_add(&talent_case_hooks);
      if (docs_init(s, &e)) goto fail;
    }
    if (pack_load(s, demo, nEntity, nPerson, nCase, &rep, &e)) goto fail;
    printf("演示数据 %s：%lld 个市场主体，%lld 名自然人，%lld 个账号，%lld 件办件 / demo pack %s: %lld entities, "
           "%lld persons, %lld accounts, %lld cases (%lld moves, %lld ratings, %lld tasks done)\n",
           demo, (long long)rep.entities, (long long)rep.persons, (long long)rep.users, (long long)rep.history.cases,
           demo, (long long)rep.entities, (long long)rep.persons, (long long)rep.users, (long long)rep.history.cases,
           (long long)rep.history.moves, (long long)rep.history.ratings, (long long)rep.history.tasks);
    /* The 招商 pipeline of 2019–2021 (--no-pipeline: none, for tests that start empty). */
    InvestDemoReport ir = {0};
    if (!opt(&o, "no-pipeline", NULL)) {
      if (invest_demo_load(s, &ir, &e)) goto fail;
      printf("演示招商数据：%lld 项招商活动，%lld 个项目，%lld 笔到位资金 / demo investment pipeline: %lld activities, "
             "%lld projects, %lld fund entries\n", (long long)ir.activities, (long long)ir.projects, (long long)ir.funds,
             (long long)ir.activities, (long long)ir.projects, (long long)ir.funds);
    }
    /* Talent records, subsidies paid since 2019 and the figures of 2021 (likewise). */
    TalentDemoReport tr = {0};
    if (!opt(&o, "no-pipeline", NULL)) {
      if (talent_demo_load(s, &tr, &e)) goto fail;
      printf("演示人才数据：%lld 份人才档案，%lld 项享受政策，%lld 期补贴 / demo talent: %lld records, %lld entitlements, "
             "%lld instalments\n", (long long)tr.records, (long long)tr.entitlements, (long long)tr.instalments,
             (long long)tr.records, (long long)tr.entitlements, (long long)tr.instalments);
      /* and an application item per policy (talent applications as cases) */
      int64_t nItem = 0;
      if (talent_apply_items_load(s, NULL, &nItem, &e)) goto fail;
      printf("人才政策申请事项：%lld 项 / talent application items: %lld\n", (long long)nItem, (long long)nItem);
      if (tr.missed)
        fprintf(stderr, "警告：演示人才数据未能重现文章 2021 年的 %d 项数字（登记中仅 %d 名居民、%d 名外籍人员，见日志）；"
                "请用 --persons 20000 或更多 / warning: the demo talent data misses %d of the article's figures of 2021 "
                "(only %d residents and %d foreigners registered; see the log); use --persons 20000 or more\n",
                tr.missed, tr.residents, tr.foreigners, tr.missed, tr.residents, tr.foreigners);
    }
    /* The qualification ladder since 2017 (likewise). */
    LadderDemoReport lr = {0};
    if (!opt(&o, "no-pipeline", NULL)) {
      if (ladder_demo_load(s, &lr, &e)) goto fail;
      printf("演示梯度培育数据：%lld 家企业，%lld 项资质，%lld 条年度数据 / demo ladder: %lld enterprises, %lld titles, "
             "%lld yearly records\n", (long long)lr.enterprises, (long long)lr.titles, (long long)lr.facts,
             (long long)lr.enterprises, (long long)lr.titles, (long long)lr.facts);
      if (lr.missed && !lr.enterprises)
        fprintf(stderr, "警告：演示梯度培育数据未生成：登记中 2015 年前成立的公司仅 %lld 家；请用 --entities 20000 或更多 / "
                "warning: no demo ladder made: only %lld companies registered before 2015; use --entities 20000 or "
                "more\n", (long long)lr.companies, (long long)lr.companies);
      else if (lr.missed)
        fprintf(stderr, "警告：演示梯度培育数据未能重现文章 2021 年的 %d 项数字（登记中 2015 年前成立的公司仅 %lld 家，"
                "见日志）；请用 --entities 20000 或更多 / warning: the demo ladder misses %d of the article's figures "
                "of 2021 (only %lld companies registered before 2015; see the log); use --entities 20000 or more\n",
                lr.missed, (long long)lr.companies, lr.missed, (long long)lr.companies);
    }
    /* The indicator catalogue with its values of 2019–2022 and the 2022
    ** targets: entered figures, not a pipeline, so every demo database has it. */
    int64_t nInd = 0, nVal = 0;
    if (indicator_demo_load(s, &nInd, &nVal, &e)) goto fail;
    if (nInd)
      printf("演示指标：%lld 个指标，%lld 个数值（2019—2022）/ demo indicators: %lld, values: %lld\n", (long long)nInd,
             (long long)nVal, (long long)nInd, (long long)nVal);
    /* The shortage-talent catalogue of 2020—2021: a published document, not a
    ** pipeline, so every demo database has it. */
    int64_t nPosition = 0;
    if (talent_catalogue_demo_load(s, &nPosition, &e)) goto fail;
    if (nPosition)
      printf("演示紧缺人才目录：2020—2021 年度，%lld 个岗位 / demo shortage catalogue: 2020-2021, %lld positions\n",
             (long long)nPosition, (long long)nPosition);    /* The 惠民实事 of 2021 and 2022: published lists, so every demo database has them. */
    int64_t nLv = 0;
    if (livelihood_demo_load(s, &nLv, &e)) goto fail;
    if (nLv)
      printf("演示惠民实事：2021、2022 年度共 %lld 项 / demo livelihood projects of 2021 and 2022: %lld\n",
             (long long)nLv, (long long)nLv);
  }
  char shown[512];
  printf("数据库已就绪 / database ready: %s (schema %d)\n", redacted(db_url(&o), shown, sizeof shown),
         store_schema_version(s));
  rc = 0;
  goto out;
fail:
  print_err(&e);
out:
  store_close(s);
  return rc;
}

/* opt_size() reads option name as a size: a whole number with an optional
** K, M or G (binary: 1K = 1024) into *out (dflt when absent). Returns 0, or
** -1 after saying what is wrong. */
static int opt_size(const Opts *o, const char *name, int64_t dflt, int64_t *out) {
  const char *v = opt(o, name, NULL);
  char *end;
  *out = dflt;
  if (!v) return 0;
  errno = 0;
  long long n = strtoll(v, &end, 10);
  int shift = *end == 'K' || *end == 'k' ? 10 : *end == 'M' || *end == 'm' ? 20 : *end == 'G' || *end == 'g' ? 30 : 0;
  if (shift) end++;
  if (errno || end == v || *end || n <= 0 || n > (INT64_MAX >> shift)) {
    fprintf(stderr, "xinqu: --%s 应为正整数，可带 K、M、G / --%s must be a positive number, "
                    "optionally with K, M or G: %s\n", name, name, v);
    return -1;
  }
  *out = (int64_t)n << shift;
  return 0;
}

/* opt_count() reads option name as a positive whole number below 2^31
** into *out (dflt when absent). Returns 0, or -1 after saying why not. */
static int opt_count(const Opts *o, const char *name, int dflt, int *out) {
  int64_t n;
  if (opt_size(o, name, dflt, &n)) return -1;
  if (n > INT32_MAX) {
    fprintf(stderr, "xinqu: --%s 太大 / --%s is too large\n", name, name);
    return -1;
  }
  *out = (int)n;
  return 0;
}

/* opt_join() joins every value of the repeatable option name with commas
** into b ("" when it is not given). */
static const char *opt_join(const Opts *o, const char *name, Buf *b) {
  for (int i = 0; i < o->nOpt; i++)
    if (strcmp(o->aName[i], name) == 0) buf_appendf(b, "%s%s", b->n ? "," : "", o->aValue[i]);
  return buf_cstr(b);
}

/* serve [--listen HOST:PORT] [--static DIR] [--public-url URL] and the
** limits (see ServerConfig in http.h and DocsLimits in docs.h): sizes take
** K, M or G; rates are a number a minute (also the burst). */
static int cmd_serve(int argc, char **argv) {
  static const char *const wv[] = {"db", "listen", "static", "threads", "max-inflight",
                                   "public-url", "max-conns", "per-ip", "header-timeout",
                                   "body-rate", "body-budget", "upload-quota", "upload-rate",
                                   "pdf-rate", "audit-head", "trusted-proxy", FLAG("demo"), NULL};
  Opts o;
  Err e = {0};
  int64_t body_rate, body_budget, quota;
  int threads, inflight, max_conns, per_ip, header_s, upload_rate, pdf_rate;
  Buf proxies = {0};
  if (parse(argc, argv, wv, &o)) return 2;
  if (opt_count(&o, "threads", 64, &threads) || opt_count(&o, "max-inflight", 256, &inflight) ||
      opt_count(&o, "max-conns", 1024, &max_conns) || opt_count(&o, "per-ip", 0, &per_ip) ||
      opt_count(&o, "header-timeout", 10, &header_s) ||
      opt_size(&o, "body-rate", 32 << 10, &body_rate) ||
      opt_size(&o, "body-budget", 256 << 20, &body_budget) ||
      opt_size(&o, "upload-quota", 200 << 20, &quota) ||
      opt_count(&o, "upload-rate", 60, &upload_rate) || opt_count(&o, "pdf-rate", 30, &pdf_rate))
    return 2;
  DocsLimits lim = {quota, {upload_rate, upload_rate}, {pdf_rate, pdf_rate}};
  docs_limits_set(&lim);
  /* Block the stop signals before any thread exists (the store's writer is
  ** started by open_db): threads inherit the mask, so only the main
  ** thread's sigwait() below ever takes SIGTERM or SIGINT. */
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  pthread_sigmask(SIG_BLOCK, &set, NULL);
  Store *s = open_db(&o);
  if (!s) return 1;
  if (docs_init(s, &e)) {
    print_err(&e);
    store_close(s);
    return 1;
  }
  char head_buf[4096];
  bool head_given;
  const char *head = audit_head_path(&o, head_buf, sizeof head_buf, &head_given);
  log_info("audit head file: %s", head ? head : "none (PostgreSQL: give --audit-head FILE; the log keeps the lines)");
  audit_head_file(head);
  /* Demo mode: the demo pack's published password works without a change. */
  accounts_demo_mode(opt(&o, "demo", NULL) != NULL);
  api_register_all();
  workflow_register(&cases_workflow);
  workflow_register(&invest_workflow);
  schedule_add(&cases_scan_job);
  schedule_add(&audit_checkpoint_job);
  schedule_add(&ladder_daily_job);
  task_subject_add(&cases_task_subject);
  task_subject_add(&ladder_task_subject);
  cases_item_hooks_add(&talent_case_hooks);
  ServerConfig cfg = {
      .listen = opt(&o, "listen", "127.0.0.1:8080"),
      .static_dir = opt(&o, "static", "web/dist"),
      .public_url = opt(&o, "public-url", NULL),
      .threads = threads,
      .max_inflight = inflight,
      .max_connections = max_conns,
      .per_ip = per_ip, /* 0: the server's default, from max-conns */
      .header_timeout_s = header_s,
      .body_min_rate = (size_t)body_rate,
      .body_budget = (size_t)body_budget,
      .trusted_proxies = opt_join(&o, "trusted-proxy", &proxies),
  };
  Server *srv = server_start(s, &cfg, &e);
  buf_free(&proxies);
  if (!srv) {
    print_err(&e);
    store_close(s);
    return 1;
  }
  if (opt(&o, "demo", NULL))
    printf("演示模式：演示账号可用公开的演示密码登录 / demo mode: the demo accounts' published password "
           "works\n");
  printf("xinqu 正在服务 / serving on http://%s (%s)\n", cfg.listen,
         store_kind(s) == DB_PG ? "postgresql" : "sqlite");
  fflush(stdout);
  /* Between signals, the periodic jobs the domains register run when due
  ** (schedule.h); the scheduler asks every few seconds. */
  int sig;
  struct timespec tick = {5, 0};
  schedule_tick(s, now_ms());
  while ((sig = sigtimedwait(&set, NULL, &tick)) < 0) schedule_tick(s, now_ms());
  log_info("signal %d: finishing requests in flight", sig);
  server_stop(srv);
  /* The last head this server saw, signed: deleting what it wrote is found. */
  AuditHead h;
  bool made;
  if (audit_checkpoint(s, head, &h, &made, &e))
    log_warn("audit checkpoint at shutdown failed: %s %s", e.code, e.message_en);
  docs_shutdown(); /* the font map and caches kept for PDFs, now that no request runs */
  store_close(s);
  log_info("stopped");
  return 0;
}

static int cmd_sla(int argc, char **argv) {
  static const char *const wv[] = {"db", NULL};
  Opts o;
  Err e = {0};
  if (parse(argc, argv, wv, &o)) return 2;
  if (o.nPos != 1 || strcmp(o.aPos[0], "scan") != 0) {
    fprintf(stderr, "用法 / usage: xinqu sla scan\n");
    return 2;
  }
  Store *s = open_db(&o);
  if (!s) return 1;
  ScanReport rep;
  int64_t t0 = mono_ms();
  int rc = cases_scan(s, now_ms(), &rep, &e);
  if (rc)
    print_err(&e);
  else
    printf("预警 %lld 件，超期 %lld 件，容缺逾期终止 %lld 件（%lld ms）/ warned %lld, overdue %lld, "
           "lapsed %lld\n",
           (long long)rep.warned, (long long)rep.overdue, (long long)rep.lapsed,
           (long long)(mono_ms() - t0), (long long)rep.warned, (long long)rep.overdue,
           (long long)rep.lapsed);
  store_close(s);
  return rc ? 1 : 0;
}

static int read_password(char *out, size_t cap) {
  if (!fgets(out, (int)cap, stdin)) return -1;
  out[strcspn(out, "\r\n")] = 0;
  return 0;
}

/* user_manage() is `user passwd|disable|enable|logout NAME`: the operator's
** hand on one account, audited as the system. passwd reads the password
** from standard input; with --must-change its holder must change it at the
** next login. logout ends every session and API token of the account. */
static int user_manage(const Opts *o, const char *sub, const char *name) {
  char password[516];
  Err e = {0};
  int64_t n = 0;
  int rc;
  if (strcmp(sub, "passwd") == 0 && read_password(password, sizeof password)) {
    fprintf(stderr, "xinqu: 请从标准输入提供密码 / give the password on standard input\n");
    return 2;
  }
  Store *s = open_db(o);
  if (!s) return 1;
  if (strcmp(sub, "passwd") == 0) {
    rc = accounts_password_set(s, NULL, name, password,
                               opt(o, "must-change", NULL) ? PASSWORD_ISSUED : PASSWORD_OWN, &e);
    explicit_bzero(password, sizeof password);
    if (!rc) printf("已设置 %s 的密码，其会话与令牌已结束 / password of %s set; its sessions and tokens ended\n", name, name);
  } else if (strcmp(sub, "logout") == 0) {
    rc = accounts_sessions_end(s, NULL, name, &n, &e);
    if (!rc) printf("已结束 %s 的 %lld 个会话与令牌 / ended %lld sessions and tokens of %s\n", name, (long long)n,
                    (long long)n, name);
  } else {
    bool off = strcmp(sub, "disable") == 0;
    rc = accounts_disable(s, NULL, name, off, &e);
    if (!rc) printf(off ? "已停用 %s / disabled %s\n" : "已启用 %s / enabled %s\n", name, name);
  }
  if (rc) print_err(&e);
  store_close(s);
  return rc ? 1 : 0;
}

static int cmd_user(int argc, char **argv) {
  static const char *const wv[] = {"db", "role", "party", "dept", "display", FLAG("password-stdin"),
                                   FLAG("must-change"), NULL};
  Opts o;
  Err e = {0};
  if (parse(argc, argv, wv, &o)) return 2;
  if (o.nPos >= 1 && strcmp(o.aPos[0], "list") == 0) {
    Store *s = open_db(&o);
    if (!s) return 1;
    json_t *arr = accounts_list(s, &e);
    if (!arr) {
      print_err(&e);
      store_close(s);
      return 1;
    }
    size_t i;
    json_t *u;
    json_array_foreach(arr, i, u) {
      printf("%-16s %-10s %-20s %s\n", json_string_value(json_object_get(u, "username")),
             json_string_value(json_object_get(u, "role")),
             json_string_value(json_object_get(u, "dept_code"))[0]
                 ? json_string_value(json_object_get(u, "dept_code"))
                 : json_string_value(json_object_get(u, "party")),
             json_string_value(json_object_get(u, "display")));
    }
    json_decref(arr);
    store_close(s);
    return 0;
  }
  const char *sub = o.nPos == 2 ? o.aPos[0] : "";
  bool passwd = strcmp(sub, "passwd") == 0 && opt(&o, "password-stdin", NULL);
  if (passwd || strcmp(sub, "disable") == 0 || strcmp(sub, "enable") == 0 || strcmp(sub, "logout") == 0)
    return user_manage(&o, sub, o.aPos[1]);
  if (o.nPos != 2 || strcmp(o.aPos[0], "add") != 0 || !opt(&o, "role", NULL) ||
      !opt(&o, "password-stdin", NULL)) {
    fprintf(stderr, "用法 / usage: xinqu user add NAME --role ROLE [--party CODE] [--dept CODE] "
                    "[--display NAME] --password-stdin [--must-change]\n"
                    "       xinqu user passwd NAME --password-stdin [--must-change]\n"
                    "       xinqu user disable|enable|logout NAME\n"
                    "       xinqu user list\n");
    return 2;
  }
  NewUser nu = {0};
  char password[516];
  snprintf(nu.username, sizeof nu.username, "%s", o.aPos[1]);
  snprintf(nu.role, sizeof nu.role, "%s", opt(&o, "role", ""));
  snprintf(nu.party, sizeof nu.party, "%s", opt(&o, "party", ""));
  snprintf(nu.dept_code, sizeof nu.dept_code, "%s", opt(&o, "dept", ""));
  snprintf(nu.display, sizeof nu.display, "%s", opt(&o, "display", ""));
  if (read_password(password, sizeof password)) {
    fprintf(stderr, "xinqu: 请从标准输入提供密码 / give the password on standard input\n");
    return 2;
  }
  Store *s = open_db(&o);
  if (!s) return 1;
  int64_t id;
  int rc = accounts_create(s, NULL, &nu, password, opt(&o, "must-change", NULL) ? PASSWORD_ISSUED : PASSWORD_OWN,
                           &id, &e);
  explicit_bzero(password, sizeof password);
  if (rc) print_err(&e);
  else printf("已创建账号 / created account %s (id %lld)\n", nu.username, (long long)id);
  store_close(s);
  return rc ? 1 : 0;
}

typedef struct ImportCtx {
  bool tty;
  int64_t size;
  int64_t t0;
} ImportCtx;

/* import_reject() prints a refused row of any import the same way: the
** line and the row's key (a USCC, an item code), the reason in Chinese,
** then in English ("中文 / English" as the importers write it). */
static void import_reject(int64_t line, const char *key, const char *reason, void *arg) {
  Err why;
  (void)arg;
  err_set_reason(&why, E_INVALID, "import.row", NULL, "%s", "%s", reason);
  fprintf(stderr, "第 %lld 行（%s）：%s / line %lld (%s): %s\n", (long long)line, key, why.message, (long long)line,
          key, why.message_en);
}

static void import_progress(const ImportReport *rep, void *arg) {
  ImportCtx *c = arg;
  if (!c->tty) return;
  double pct = c->size > 0 ? 100.0 * (double)rep->bytes / (double)c->size : 0;
  fprintf(stderr, "\r导入中 / importing: %lld 行, %.0f%%   ", (long long)rep->rows, pct);
}

static int cmd_import(int argc, char **argv) {
  static const char *const wv[] = {"db", NULL};
  Opts o;
  Err e = {0};
  if (parse(argc, argv, wv, &o)) return 2;
  if (o.nPos != 2 || strcmp(o.aPos[0], "entities") != 0) {
    fprintf(stderr, "用法 / usage: xinqu import entities FILE.csv\n");
    return 2;
  }
  FILE *f = strcmp(o.aPos[1], "-") == 0 ? stdin : fopen(o.aPos[1], "r");
  if (!f) {
    fprintf(stderr, "xinqu: 无法打开 / cannot open %s: %s\n", o.aPos[1], strerror(errno));
    return 1;
  }
  struct stat sb;
  ImportCtx c = {isatty(2), fstat(fileno(f), &sb) == 0 ? sb.st_size : 0, mono_ms()};
  Store *s = open_db(&o);
  if (!s) return 1;
  ImportReport rep;
  int rc = registry_import_csv(s, NULL, f, &rep, import_reject, import_progress, &c, &e);
  if (c.tty) fputc('\n', stderr);
  double secs = (double)(mono_ms() - c.t0) / 1000.0;
  printf("导入 %lld 行，拒绝 %lld 行，用时 %.2f 秒 / imported %lld rows, rejected %lld, in %.2f s "
         "(%.0f rows/s)\n",
         (long long)rep.imported, (long long)rep.rejected, secs, (long long)rep.imported,
         (long long)rep.rejected, secs, secs > 0 ? (double)rep.rows / secs : 0.0);
  if (rc) print_err(&e);
  if (f != stdin) fclose(f);
  store_close(s);
  return rc ? 1 : 0;
}

static int cmd_export(int argc, char **argv) {
  static const char *const wv[] = {"db", NULL};
  Opts o;
  Err e = {0};
  if (parse(argc, argv, wv, &o)) return 2;
  if (o.nPos < 1 || o.nPos > 2 || strcmp(o.aPos[0], "entities") != 0) {
    fprintf(stderr, "用法 / usage: xinqu export entities [FILE.csv]\n");
    return 2;
  }
  FILE *f = o.nPos == 2 ? fopen(o.aPos[1], "w") : stdout;
  if (!f) {
    fprintf(stderr, "xinqu: 无法写入 / cannot write %s: %s\n", o.aPos[1], strerror(errno));
    return 1;
  }
  Store *s = open_db(&o);
  if (!s) return 1;
  int rc = registry_export_csv(s, f, &e);
  if (f != stdout && fclose(f) != 0 && rc == 0)
    rc = err_set(&e, E_INTERNAL, "export.write", NULL, "写出文件失败", "Could not write the file");
  if (rc) print_err(&e);
  store_close(s);
  return rc ? 1 : 0;
}

/* cmd_audit(): `audit verify` checks the chain and every checkpoint it is
** shown (the database's, the head file's, --head LINE); `audit head` makes
** a checkpoint of the head now (or finds the newest, when nothing was
** written since) and prints its line, for the operator to keep elsewhere. */
static int cmd_audit(int argc, char **argv) {
  static const char *const wv[] = {"db", "audit-head", "head", NULL};
  Opts o;
  Err e = {0};
  if (parse(argc, argv, wv, &o)) return 2;
  bool verify = o.nPos == 1 && strcmp(o.aPos[0], "verify") == 0, head_cmd = o.nPos == 1 && strcmp(o.aPos[0], "head") == 0;
  if (!verify && !head_cmd) {
    fprintf(stderr, "用法 / usage: xinqu audit verify [--audit-head FILE] [--head LINE]\n"
                    "       xinqu audit head [--audit-head FILE]\n");
    return 2;
  }
  char head_buf[4096];
  bool given;
  const char *head = audit_head_path(&o, head_buf, sizeof head_buf, &given);
  Store *s = open_db(&o);
  if (!s) return 1;
  int rc = 1;
  if (head_cmd) {
    AuditHead h;
    bool made;
    if (docs_init(s, &e) || audit_checkpoint(s, head, &h, &made, &e)) {
      print_err(&e);
      goto out;
    }
    printf("%s\n", h.line);
    rc = 0;
    goto out;
  }
  struct stat sb;
  if (head && !given && stat(head, &sb) != 0) {
    fprintf(stderr, "注意：没有审计链头文件 %s，只对照数据库中的检查点 / note: no audit head file %s; checking "
                    "against the database's checkpoints only\n", head, head);
    head = NULL;
  }
  AuditReport rep;
  rc = audit_verify(s, head, opt(&o, "head", NULL), &rep) ? 1 : 0;
  switch (rep.verdict) {
  case AUDIT_INTACT:
    printf("审计链完整 / audit chain intact: %lld events, %d checkpoints", (long long)rep.events, rep.checkpoints);
    if (rep.checkpoints) printf(" (newest: event %lld)", (long long)rep.newest_checkpoint);
    printf("\n");
    if (!rep.checkpoints)
      fprintf(stderr, "注意：没有检查点，最新事件被删除将无法发现 / note: no checkpoint: deleting the newest events "
                      "would go unnoticed\n");
    break;
  case AUDIT_BROKEN:
    fprintf(stderr, "审计链损坏 / audit chain broken at event %lld: %s\n", (long long)rep.bad_id, rep.why);
    break;
  case AUDIT_TRUNCATED:
    fprintf(stderr, "审计链不完整（被截断）/ audit chain not intact (truncated) at event %lld: %s\n", (long long)rep.bad_id,
            rep.why);
    break;
  case AUDIT_FORGED:
    fprintf(stderr, "审计链检查点无效（伪造）/ audit checkpoint forged: %s\n", rep.why);
    break;
  case AUDIT_ERROR:
    fprintf(stderr, "无法校验审计链 / cannot verify the audit chain: %s\n", rep.why);
    break;
  }
out:
  store_close(s);
  return rc;
}

static int cmd_backup(int argc, char **argv) {
  static const char *const wv[] = {"db", NULL};
  Opts o;
  Err e = {0};
  if (parse(argc, argv, wv, &o)) return 2;
  if (o.nPos != 1) {
    fprintf(stderr, "用法 / usage: xinqu backup FILE\n");
    return 2;
  }
  Store *s = open_db(&o);
  if (!s) return 1;
  int rc = store_backup(s, o.aPos[0], &e);
  if (rc) print_err(&e);
  else printf("已备份到 / backed up to %s\n", o.aPos[0]);
  store_close(s);
  return rc ? 1 : 0;
}

static int cmd_check(int argc, char **argv) {
  static const char *const wv[] = {NULL};
  Opts o;
  if (parse(argc, argv, wv, &o)) return 2;
  if (o.nPos < 2 || (strcmp(o.aPos[0], "uscc") != 0 && strcmp(o.aPos[0], "id") != 0)) {
    fprintf(stderr, "用法 / usage: xinqu check uscc CODE…\n       xinqu check id NUMBER…\n");
    return 2;
  }
  bool uscc = strcmp(o.aPos[0], "uscc") == 0;
  int bad = 0;
  for (int i = 1; i < o.nPos; i++) {
    char reason[256], norm[19];
    int rc = uscc ? codes_uscc_check(o.aPos[i], reason, sizeof reason)
                  : codes_id_check(o.aPos[i], norm, reason, sizeof reason);
    if (rc == 0) printf("%s ok\n", o.aPos[i]);
    else printf("%s invalid: %s\n", o.aPos[i], reason), bad++;
  }
  return bad ? 1 : 0;
}

/* calendar_for() is the database's calendar when the database exists, else
** (with a note) the compiled-in one, so the arithmetic works before
** `xinqu init`; nothing is made. NULL after saying why when the database
** cannot be read. */
static Cal *calendar_for(const Opts *o) {
  Err e = {0};
  Store *s = db_open(o, false, &e);
  if (!s && strcmp(e.code, "db.missing") == 0) {
    char shown[512];
    redacted(db_url(o), shown, sizeof shown);
    fprintf(stderr, "注意：数据库 %s 不存在，按内置的节假日安排计算 / note: the database %s does not exist; "
                    "the compiled-in schedules are used\n", shown, shown);
    return workcal_embedded();
  }
  if (!s) {
    print_err(&e);
    return NULL;
  }
  Cal *c = workcal_load(s, &e);
  if (!c) print_err(&e);
  store_close(s);
  return c;
}

static int cmd_calendar(int argc, char **argv) {
  static const char *const wv[] = {"db", NULL};
  Opts o;
  Err e = {0};
  if (parse(argc, argv, wv, &o)) return 2;
  const char *sub = o.nPos ? o.aPos[0] : "";
  if (strcmp(sub, "list") == 0 && o.nPos == 2) {
    char *end;
    long y = strtol(o.aPos[1], &end, 10);
    if (*end || y < 1949 || y > 2200) {
      fprintf(stderr, "xinqu: 年份无效 / invalid year: %s\n", o.aPos[1]);
      return 2;
    }
    Cal *c = calendar_for(&o);
    if (!c) return 1;
    int first, last;
    cal_from_ymd((int)y, 1, 1, &first);
    cal_from_ymd((int)y, 12, 31, &last);
    if (!cal_year_known(c, (int)y))
      fprintf(stderr, "注意：%ld 年的节假日安排尚未发布，按周一至周五计算 / note: no published schedule "
                      "for %ld, Monday–Friday assumed\n", y, y);
    for (int d = first; d <= last; d++) {
      char ds[11];
      const char *name = cal_name(c, d);
      cal_format(d, ds);
      printf("%s %s%s%s\n", ds, cal_is_workday(c, d) ? "workday" : "off", *name ? " " : "", name);
    }
    cal_free(c);
    return 0;
  }
  if (strcmp(sub, "add") == 0 && o.nPos == 3) {
    int day;
    char *end;
    long n = strtol(o.aPos[2], &end, 10);
    if (cal_parse_date(o.aPos[1], &day) != 0 || *end || n < 0 || n > 3650) {
      fprintf(stderr, "用法 / usage: xinqu calendar add YYYY-MM-DD N   (0 ≤ N ≤ 3650)\n");
      return 2;
    }
    Cal *c = calendar_for(&o);
    if (!c) return 1;
    bool unknown = false;
    char ds[11];
    cal_format(cal_add_workdays(c, day, (int)n, &unknown), ds);
    printf("%s\n", ds);
    if (unknown)
      fprintf(stderr, "注意：途经尚未发布节假日安排的年份，按周一至周五计算 / note: passes through a "
                      "year with no published schedule; Monday–Friday assumed\n");
    cal_free(c);
    return 0;
  }
  if (strcmp(sub, "import") == 0 && o.nPos == 2) {
    Buf b = {0};
    if (read_file(o.aPos[1], &b)) return 1;
    Store *s = open_db(&o);
    if (!s) {
      buf_free(&b);
      return 1;
    }
    int years = 0;
    int rc = workcal_import(s, NULL, buf_cstr(&b), b.n, o.aPos[1], &years, &e);
    if (rc) print_err(&e);
    else printf("已导入 %d 年的节假日安排 / imported the schedule of %d year(s)\n", years, years);
    buf_free(&b);
    store_close(s);
    return rc ? 1 : 0;
  }
  fprintf(stderr, "用法 / usage: xinqu calendar list YEAR\n       xinqu calendar add DATE N\n"
                  "       xinqu calendar import FILE.csv\n");
  return 2;
}

static int cmd_department(int argc, char **argv) {
  static const char *const wv[] = {"db", NULL};
  Opts o;
  Err e = {0};
  Buf b = {0};
  if (parse(argc, argv, wv, &o)) return 2;
  if (o.nPos != 2 || strcmp(o.aPos[0], "import") != 0) {
    fprintf(stderr, "用法 / usage: xinqu department import FILE.csv   (code,name,name_en)\n");
    return 2;
  }
  if (read_file(o.aPos[1], &b)) return 1;
  Store *s = open_db(&o);
  if (!s) {
    buf_free(&b);
    return 1;
  }
  int rc = accounts_departments_import(s, buf_cstr(&b), b.n, &e);
  if (rc) print_err(&e);
  else printf("已导入部门 / departments imported from %s\n", o.aPos[1]);
  buf_free(&b);
  store_close(s);
  return rc ? 1 : 0;
}


/* is_xlsx() is true when file is named *.xlsx or starts as a zip does
** ("PK\3\4"); f (open on file, seekable) is left at its start. */
static bool is_xlsx(const char *file, FILE *f) {
  size_t fl = strlen(file);
  char magic[4] = {0};
  if (fl > 5 && strcasecmp(file + fl - 5, ".xlsx") == 0) return true;
  size_t got = fread(magic, 1, sizeof magic, f);
  rewind(f);
  return got == 4 && memcmp(magic, "PK\3\4", 4) == 0;
}

/* put_cell() prints text padded with spaces to width terminal columns (a
** 汉字 takes two), on the right when right, then sep spaces. */
static void put_cell(const char *text, size_t width, bool right, int sep) {
  size_t w = utf8_width(text);
  int pad = w < width ? (int)(width - w) : 0;
  printf("%*s%s%*s", right ? pad : 0, "", text, (right ? 0 : pad) + sep, "");
}

/* print_dept_table() prints the departments of catalog_stats() as a table:
** a header in Chinese and one in English, a row per department (code, name,
** items in force, then the count of each mode) and a 合计/total row that adds
** the columns up; the columns aligned in a terminal. */
static void print_dept_table(json_t *depts) {
  enum { NCOL = 3 + CATALOG_NMODE, SEP = 2 };
  const char *zh[NCOL] = {"代码", "部门", "事项数"}, *en[NCOL] = {"code", "department", "items"};
  const char *keys[NCOL] = {"code", "name", "total"};
  size_t width[NCOL], n = json_array_size(depts);
  int64_t sum[NCOL] = {0};
  char num[32];
  for (int k = 0; k < CATALOG_NMODE; k++) {
    zh[3 + k] = catalog_mode_labels[k];
    en[3 + k] = keys[3 + k] = catalog_mode_keys[k];
  }
  for (int c = 0; c < NCOL; c++) {
    width[c] = utf8_width(zh[c]) > utf8_width(en[c]) ? utf8_width(zh[c]) : utf8_width(en[c]);
    for (size_t i = 0; i < n; i++) {
      json_t *v = json_object_get(json_array_get(depts, i), keys[c]);
      size_t w = json_is_string(v) ? utf8_width(json_string_value(v))
                                   : (size_t)snprintf(num, sizeof num, "%lld", (long long)json_integer_value(v));
      if (w > width[c]) width[c] = w;
      if (c >= 2) sum[c] += json_integer_value(v);
    }
    if (c >= 2 && (size_t)snprintf(num, sizeof num, "%lld", (long long)sum[c]) > width[c]) width[c] = strlen(num);
  }
  /* The total's label spans the code and name columns. */
  const char *label = "合计 total";
  if (utf8_width(label) > width[0] + SEP + width[1]) width[1] = utf8_width(label) - width[0] - SEP;
  for (int h = 0; h < 2; h++, printf("\n"))
    for (int c = 0; c < NCOL; c++) put_cell(h ? en[c] : zh[c], width[c], c >= 2, c < NCOL - 1 ? SEP : 0);
  for (size_t i = 0; i < n; i++, printf("\n"))
    for (int c = 0; c < NCOL; c++) {
      json_t *v = json_object_get(json_array_get(depts, i), keys[c]);
      if (!json_is_string(v)) snprintf(num, sizeof num, "%lld", (long long)json_integer_value(v));
      put_cell(json_is_string(v) ? json_string_value(v) : num, width[c], c >= 2, c < NCOL - 1 ? SEP : 0);
    }
  put_cell(label, width[0] + SEP + width[1], false, SEP);
  for (int c = 2; c < NCOL; c++) {
    snprintf(num, sizeof num, "%lld", (long long)sum[c]);
    put_cell(num, width[c], true, c < NCOL - 1 ? SEP : 0);
  }
  printf("\n");
}

/* cmd_catalog(): `catalog stats` prints "LABEL COUNT" per mode (catalog.h),
** then a blank line and the table of departments (print_dept_table()); `catalog import FILE.csv|FILE.xlsx`
** (Excel by the extension or the zip signature); `catalog export [FILE.csv|FILE.xlsx]` (CSV to stdout without a file). */
static int cmd_catalog(int argc, char **argv) {
  static const char *const wv[] = {"db", NULL};
  Opts o;
  Err e = {0};
  int rc = 1;
  if (parse(argc, argv, wv, &o)) return 2;
  const char *sub = o.nPos ? o.aPos[0] : "";
  bool stats = strcmp(sub, "stats") == 0 && o.nPos == 1, imp = strcmp(sub, "import") == 0 && o.nPos == 2;
  bool exp = strcmp(sub, "export") == 0 && o.nPos <= 2;
  if (!stats && !imp && !exp) {
    fprintf(stderr, "用法 / usage: xinqu catalog stats | catalog import FILE.csv|FILE.xlsx | catalog export [FILE.csv|FILE.xlsx]\n");
    return 2;
  }
  const char *file = o.nPos == 2 ? o.aPos[1] : NULL;
  size_t fl = file ? strlen(file) : 0;
  bool xlsx = exp && file && fl > 5 && strcmp(file + fl - 5, ".xlsx") == 0;
  Store *s = open_db(&o);
  if (!s) return 1;
  if (stats) {
    json_t *st = catalog_stats(s, NULL, &e);
    if (!st) goto fail;
    for (int k = 0; k < CATALOG_NMODE; k++)
      printf("%s %lld\n", catalog_mode_labels[k],
             (long long)json_integer_value(json_object_get(json_object_get(st, "modes"), catalog_mode_keys[k])));
    printf("\n");
    print_dept_table(json_object_get(st, "departments"));
    json_decref(st);
    rc = 0;
  } else if (imp) {
    FILE *f = strcmp(file, "-") == 0 ? stdin : fopen(file, "rb");
    ImportReport rep;
    int r;
    if (!f) {
      fprintf(stderr, "xinqu: 无法打开 / cannot open %s: %s\n", file, strerror(errno));
      goto out;
    }
    if (f != stdin && is_xlsx(file, f)) {
      /* Read at most one byte past the limit: the reader refuses the rest. */
      Buf b = {0};
      char chunk[65536];
      size_t got;
      while (b.n <= CATALOG_IMPORT_MAX && (got = fread(chunk, 1, sizeof chunk, f)) > 0)
        buf_append(&b, chunk, got);
      r = catalog_import_xlsx(s, NULL, b.a ? b.a : "", b.n, &rep, import_reject, NULL, &e);
      buf_free(&b);
    } else {
      r = catalog_import_csv(s, NULL, f, &rep, import_reject, NULL, &e);
    }
    if (f != stdin) fclose(f);
    printf("导入 %lld 行，无变化 %lld 行，拒绝 %lld 行 / imported %lld rows, unchanged %lld, rejected %lld\n",
           (long long)rep.imported, (long long)rep.unchanged, (long long)rep.rejected, (long long)rep.imported,
           (long long)rep.unchanged, (long long)rep.rejected);
    if (r) goto fail;
    rc = rep.rejected ? 1 : 0;
  } else if (xlsx) {
    if (catalog_export_xlsx(s, file, &e)) goto fail;
    rc = 0;
  } else {
    FILE *f = file ? fopen(file, "w") : stdout;
    if (!f) {
      fprintf(stderr, "xinqu: 无法写入 / cannot write %s: %s\n", file, strerror(errno));
      goto out;
    }
    int r = catalog_export_csv(s, f, &e);
    if (f != stdout && fclose(f) != 0 && r == 0)
      r = err_set(&e, E_INTERNAL, "export.write", NULL, "写出文件失败", "Could not write the file");
    if (r) goto fail;
    rc = 0;
  }
  goto out;
fail:
  print_err(&e);
out:
  store_close(s);
  return rc;
}

/* cmd_invest() is `xinqu invest report --from DATE --to DATE [--json]`:
** the 招商 report (invest_report()), one line per figure, label first
** ("签约项目 797"), or the whole report as JSON. */
static int cmd_invest(int argc, char **argv) {
  static const char *const wv[] = {"db", "from", "to", FLAG("json"), NULL};
  Opts o;
  Err e = {0};
  if (parse(argc, argv, wv, &o)) return 2;
  if (o.nPos != 1 || strcmp(o.aPos[0], "report") != 0) {
    fprintf(stderr, "用法 / usage: xinqu invest report --from YYYY-MM-DD --to YYYY-MM-DD [--json]\n");
    return 2;
  }
  Store *s = open_db(&o);
  if (!s) return 1;
  /* The command line reads as an auditor does: everything, changing nothing. */
  User cli = {.role = ROLE_AUDITOR};
  snprintf(cli.username, sizeof cli.username, "cli");
  json_t *rep = invest_report(s, &cli, opt(&o, "from", NULL), opt(&o, "to", NULL), &e);
  int rc = rep ? 0 : 1;
  if (!rep) {
    print_err(&e);
  } else if (opt(&o, "json", NULL)) {
    char *t = jsonx_dumps(rep, JSON_INDENT(2));
    printf("%s\n", t);
    free(t);
  } else {
    size_t i;
    json_t *f;
    json_array_foreach(json_object_get(rep, "figures"), i, f)
      printf("%s %s\n", json_string_value(json_object_get(f, "label")), json_string_value(json_object_get(f, "text")));
  }
  json_decref(rep);
  store_close(s);
  return rc;
}

/* cmd_rule() is `xinqu rule test RULE.lua FACTS.json`: runs the rule in
** the sandbox and prints its result as JSON. Exit 0 whenever the rule was
** evaluated (a failing rule prints decision "manual" with code and error),
** 1 when a file cannot be read or the facts are not a JSON object, 2 on a
** usage error. */
static int cmd_rule(int argc, char **argv) {
  static const char *const wv[] = {NULL};
  Opts o;
  if (parse(argc, argv, wv, &o) || o.nPos != 3 || strcmp(o.aPos[0], "test") != 0) {
    fprintf(stderr, "用法 / usage: xinqu rule test RULE.lua FACTS.json\n");
    return 2;
  }
  Buf src = {0};
  json_error_t je;
  if (read_file(o.aPos[1], &src)) return 1;
  json_t *facts = json_load_file(o.aPos[2], 0, &je);
  if (!json_is_object(facts)) {
    if (facts) fprintf(stderr, "xinqu: 事实数据须为 JSON 对象 / the facts must be a JSON object: %s\n", o.aPos[2]);
    else fprintf(stderr, "xinqu: 无法读取事实数据 / cannot read the facts %s: %s (line %d)\n", o.aPos[2], je.text, je.line);
    json_decref(facts);
    buf_free(&src);
    return 1;
  }
  RuleResult r;
  rules_eval(buf_cstr(&src), facts, &r);
  json_t *out = rules_result_json(&r);
  char *text = jsonx_dumps(out, JSON_INDENT(2));
  printf("%s\n", text);
  free(text);
  json_decref(out);
  rules_result_clear(&r);
  json_decref(facts);
  buf_free(&src);
  return 0;
}

/* cmd_ladder() is the ladder's commands:
**   xinqu ladder check FACTS.json [--on DATE]: every rung's rule in force on
**     DATE (today by default) over the facts in the file, as JSON;
**   xinqu ladder stats [--year YEAR] [--db URL]: one line per rung, "名称
**     持有 N 新增 N", and "研发机构 N" (ladder_stats(); last year by default);
**   xinqu ladder daily [--db URL]: the daily job once (standings, expiry
**     reminders), as a cron would. */
static int cmd_ladder(int argc, char **argv) {
  static const char *const wv[] = {"on", "year", "db", NULL};
  Opts o;
  const char *usage = "用法 / usage: xinqu ladder check FACTS.json [--on YYYY-MM-DD]\n"
                      "              xinqu ladder stats [--year YYYY] [--db URL]\n"
                      "              xinqu ladder daily [--db URL]\n";
  if (parse(argc, argv, wv, &o) || o.nPos < 1) {
    fprintf(stderr, "%s", usage);
    return 2;
  }
  char today[11];
  Err e = {0};
  json_t *out = NULL;
  if (strcmp(o.aPos[0], "check") == 0 && o.nPos == 2) {
    json_error_t je;
    json_t *facts = json_load_file(o.aPos[1], 0, &je);
    if (!facts) {
      fprintf(stderr, "xinqu: 无法读取企业数据 / cannot read the facts %s: %s (line %d)\n", o.aPos[1], je.text, je.line);
      return 1;
    }
    out = ladder_check(facts, opt(&o, "on", time_today_cn(today)), &e);
    json_decref(facts);
    if (!out) {
      print_err(&e);
      return 1;
    }
    char *text = jsonx_dumps(out, JSON_INDENT(2));
    printf("%s\n", text);
    free(text);
    json_decref(out);
    return 0;
  }
  if (o.nPos != 1 || (strcmp(o.aPos[0], "stats") != 0 && strcmp(o.aPos[0], "daily") != 0)) {
    fprintf(stderr, "%s", usage);
    return 2;
  }
  Store *s = open_db(&o);
  if (!s) return 1;
  int rc = 1;
  if (strcmp(o.aPos[0], "daily") == 0) {
    task_subject_add(&ladder_task_subject);
    if (ladder_daily(s, now_ms(), &out, &e)) goto fail;
    printf("刷新培育库 %lld 家，到期提醒 %lld 条 / standings refreshed %lld, reminders opened %lld\n",
           (long long)json_integer_value(json_object_get(out, "refreshed")),
           (long long)json_integer_value(json_object_get(out, "alerted")),
           (long long)json_integer_value(json_object_get(out, "refreshed")),
           (long long)json_integer_value(json_object_get(out, "alerted")));
  } else {
    char *end;
    const char *y = opt(&o, "year", NULL);
    long year = y ? strtol(y, &end, 10) : atoi(time_today_cn(today)) - 1;
    if (y && (*end || end == y)) year = 0;
    if (!(out = ladder_stats(s, NULL, (int)year, &e))) goto fail;
    size_t i;
    json_t *r;
    json_array_foreach(json_object_get(out, "rungs"), i, r)
      printf("%s 持有 %lld 新增 %lld\n", json_string_value(json_object_get(r, "name")),
             (long long)json_integer_value(json_object_get(r, "held")),
             (long long)json_integer_value(json_object_get(r, "granted")));
    printf("研发机构 %lld\n", (long long)json_integer_value(json_object_get(out, "rd_institutions")));
  }
  rc = 0;
  goto out;
fail:
  print_err(&e);
out:
  json_decref(out);
  store_close(s);
  return rc;
}

/* cmd_talent_catalogue() is `xinqu talent catalogue stats [--edition
** YEARS|ID] [--db URL]`: the edition's figures (the current one by
** default), one line each, label first — 领域 N, 方向 N, 岗位 N — then one
** line per shortage level, and the edition itself last ("版本 YEARS TITLE";
** the demo's title says （演示）). */
static int cmd_talent_catalogue(int argc, char **argv) {
  static const char *const wv[] = {"edition", "db", NULL};
  Opts o;
  const char *usage = "用法 / usage: xinqu talent catalogue stats [--edition 2020-2021|ID] [--db URL]\n";
  if (parse(argc, argv, wv, &o) || o.nPos != 1 || strcmp(o.aPos[0], "stats") != 0) {
    fprintf(stderr, "%s", usage);
    return 2;
  }
  Store *s = open_db(&o);
  if (!s) return 1;
  Err e = {0};
  int64_t id;
  json_t *st = NULL;
  int rc = 1;
  if (talent_catalogue_find(s, opt(&o, "edition", NULL), &id, &e) || !(st = talent_catalogue_stats(s, id, &e))) {
    print_err(&e);
    goto out;
  }
  printf("领域 %lld\n方向 %lld\n岗位 %lld\n", (long long)json_integer_value(json_object_get(st, "fields")),
         (long long)json_integer_value(json_object_get(st, "directions")),
         (long long)json_integer_value(json_object_get(st, "positions")));
  size_t i;
  json_t *l, *ed = json_object_get(st, "edition");
  json_array_foreach(json_object_get(st, "levels"), i, l)
    printf("%s %lld\n", json_string_value(json_object_get(l, "label")),
           (long long)json_integer_value(json_object_get(l, "count")));
  printf("版本 %s %s\n", json_string_value(json_object_get(ed, "years")), json_string_value(json_object_get(ed, "title")));
  rc = 0;
out:
  json_decref(st);
  store_close(s);
  return rc;
}

/* talent_scan_print() is `xinqu talent scan`: talent_scan() as the system,
** then a line per policy and the totals 符合 N, 新认定 N, 接近 N (试算 when
** --dry-run, which writes nothing). */
static int talent_scan_print(const Opts *o) {
  Store *s = open_db(o);
  if (!s) return 1;
  Err e = {0};
  json_t *in = json_pack("{s:b,s:i}", "dry_run", opt(o, "dry-run", NULL) != NULL, "limit", 1);
  if (opt(o, "policy", NULL)) json_object_set_new(in, "policy", json_string(opt(o, "policy", NULL)));
  if (opt(o, "on", NULL)) json_object_set_new(in, "on", json_string(opt(o, "on", NULL)));
  json_t *out = talent_scan(s, NULL, in, &e);
  json_decref(in);
  store_close(s);
  if (!out) {
    print_err(&e);
    return 1;
  }
  size_t i;
  json_t *x;
  json_array_foreach(json_object_get(out, "policies"), i, x) {
    if (!json_is_true(json_object_get(x, "in_force"))) {
      printf("%s %s: %s\n", json_string_value(json_object_get(x, "policy")), json_string_value(json_object_get(x, "name")),
             json_string_value(json_object_get(x, "reason")));
      continue;
    }
    printf("%s %s: 扫描 %lld 已享受 %lld 符合 %lld 新认定 %lld 接近 %lld\n", json_string_value(json_object_get(x, "policy")),
           json_string_value(json_object_get(x, "name")), (long long)json_integer_value(json_object_get(x, "scanned")),
           (long long)json_integer_value(json_object_get(x, "held")), (long long)json_integer_value(json_object_get(x, "found")),
           (long long)json_integer_value(json_object_get(x, "created")), (long long)json_integer_value(json_object_get(x, "close")));
  }
  printf("符合 %lld\n新认定 %lld\n接近 %lld\n", (long long)json_integer_value(json_object_get(out, "found_total")),
         (long long)json_integer_value(json_object_get(out, "created_total")),
         (long long)json_integer_value(json_object_get(out, "close_total")));
  if (json_is_true(json_object_get(out, "dry_run"))) printf("试算，未写入 / dry run, nothing written\n");
  json_decref(out);
  return 0;
}

/* cmd_talent() is the talent policies' commands:
**   xinqu talent check FACTS.json --policy CODE [--on DATE]: the policy's
**     rule and parameters in force on DATE (today by default) over the
**     person's facts in the file, as JSON (talent_check());
**   xinqu talent policies: the policies and their rule versions, as JSON;
**   xinqu talent stats [--year Y]: the year's figures, one line each;
**   xinqu talent run [--policy CODE]: the monthly run (talent_instalment_run(),
**     as the system), its summary as JSON;
**   xinqu talent scan [--policy CODE] [--on DATE] [--dry-run]: 免申即享
**     (talent_scan_print());
**   xinqu talent items: an application item per policy in the catalogue
**     (talent_apply_items_load()), printing how many were new or changed;
**   xinqu talent catalogue …: cmd_talent_catalogue(). */
static int cmd_talent(int argc, char **argv) {
  if (argc >= 1 && strcmp(argv[0], "catalogue") == 0) return cmd_talent_catalogue(argc - 1, argv + 1);
  static const char *const wv[] = {"on", "policy", "year", "db", FLAG("dry-run"), NULL};
  Opts o;
  const char *usage = "用法 / usage: xinqu talent check FACTS.json --policy CODE [--on YYYY-MM-DD]\n"
                      "              xinqu talent policies\n"
                      "              xinqu talent stats [--year YYYY] [--db URL]\n"
                      "              xinqu talent run [--policy CODE] [--db URL]\n"
                      "              xinqu talent scan [--policy CODE] [--on YYYY-MM-DD] [--dry-run] [--db URL]\n"
                      "              xinqu talent items [--db URL]\n"
                      "              xinqu talent catalogue stats [--edition 2020-2021|ID] [--db URL]\n";
  if (parse(argc, argv, wv, &o) || o.nPos < 1) {
    fprintf(stderr, "%s", usage);
    return 2;
  }
  char today[11];
  Err e = {0};
  json_t *out = NULL;
  if (strcmp(o.aPos[0], "items") == 0 && o.nPos == 1) {
    Store *s = open_db(&o);
    if (!s) return 1;
    int64_t n = 0;
    int rc = talent_apply_items_load(s, NULL, &n, &e);
    store_close(s);
    if (rc) {
      print_err(&e);
      return 1;
    }
    printf("人才政策申请事项：新增或更新 %lld 项 / talent application items new or changed: %lld\n", (long long)n,
           (long long)n);
    return 0;
  }
  if (strcmp(o.aPos[0], "stats") == 0 && o.nPos == 1) {
    char *end;
    const char *y = opt(&o, "year", NULL);
    long year = y ? strtol(y, &end, 10) : atoi(time_today_cn(today)) - 1;
    if ((y && (*end || end == y)) || year < 2000 || year > 2100) {
      fprintf(stderr, "xinqu: 年份无效 / not a year: %s\n", y ? y : "");
      return 2;
    }
    Store *s = open_db(&o);
    if (!s) return 1;
    out = talent_stats(s, NULL, (int)year, &e);
    store_close(s);
    if (!out) {
      print_err(&e);
      return 1;
    }
    long long fen = (long long)json_integer_value(json_object_get(out, "housing_paid_fen")),
              tenths = (fen + 50000) / 100000; /* 万元 to one decimal */
    printf("高层次人才 %lld\n紧缺人才 %lld\n外国专家 %lld\n住房补贴(万元) %lld.%lld\n",
           (long long)json_integer_value(json_object_get(out, "high_level")),
           (long long)json_integer_value(json_object_get(out, "shortage")),
           (long long)json_integer_value(json_object_get(out, "foreign_experts")), tenths / 10, tenths % 10);
    json_decref(out);
    return 0;
  }
  if (strcmp(o.aPos[0], "scan") == 0 && o.nPos == 1) return talent_scan_print(&o);
  if (strcmp(o.aPos[0], "run") == 0 && o.nPos == 1) {
    const char *policy = opt(&o, "policy", NULL);
    json_t *in = policy ? json_pack("{s:s}", "policy", policy) : json_object();
    Store *s = open_db(&o);
    if (!s) return json_decref(in), 1;
    out = talent_instalment_run(s, NULL, in, &e);
    store_close(s);
    json_decref(in);
  } else if (strcmp(o.aPos[0], "check") == 0 && o.nPos == 2 && opt(&o, "policy", NULL)) {
    json_error_t je;
    json_t *facts = json_load_file(o.aPos[1], 0, &je);
    if (!facts) {
      fprintf(stderr, "xinqu: 无法读取人员数据 / cannot read the facts %s: %s (line %d)\n", o.aPos[1], je.text, je.line);
      return 1;
    }
    json_t *with = talent_facts_school(facts); /* a school named gives its class (the 双一流 lists) */
    json_decref(facts);
    facts = with;
    out = talent_check(facts, opt(&o, "policy", NULL), opt(&o, "on", time_today_cn(today)), NULL, &e);
    json_decref(facts);
  } else if (strcmp(o.aPos[0], "policies") == 0 && o.nPos == 1) {
    out = talent_policies();
  } else {
    fprintf(stderr, "%s", usage);
    return 2;
  }
  if (!out) {
    print_err(&e);
    return 1;
  }
  char *text = jsonx_dumps(out, JSON_INDENT(2));
  printf("%s\n", text);
  free(text);
  json_decref(out);
  return 0;
}

/* jstr() is member k of o as text ("" when it is not a string). */
static const char *jstr(const json_t *o, const char *k) {
  const char *v = json_string_value(json_object_get(o, k));
  return v ? v : "";
}

/* print_growth() prints " 增长 9.0%（可比价）" (or 下降) for a growth object. */
static void print_growth(const json_t *g) {
  if (!json_is_object(g)) return;
  const char *v = jstr(g, "value");
  if (*v == '-') printf(" 下降 %s%%（%s）", v + 1, jstr(g, "basis"));
  else printf(" 增长 %s%%（%s）", v, jstr(g, "basis"));
}

/* cmd_indicator() is `xinqu indicator report|targets --year YEAR [--db URL]`:
**   report: one line per indicator of the catalogue — name, the year's
**     value (the latest period when the year is not complete, named after
**     it), unit, 占全市 share where the city's value is kept, 增长/下降 the
**     growth (official, with its basis, or computed: 名义);
**   targets: one line per target of the year — the indicator, the target as
**     published, its status (绿/黄/红/不评价/未知) and the rule that decided it.
** The first line says the year and whether it holds demonstration data. */
static int cmd_indicator(int argc, char **argv) {
  static const char *const wv[] = {"year", "db", NULL};
  Opts o;
  const char *usage = "用法 / usage: xinqu indicator report --year YYYY [--db URL]\n"
                      "              xinqu indicator targets --year YYYY [--db URL]\n";
  if (parse(argc, argv, wv, &o) || o.nPos != 1 || (strcmp(o.aPos[0], "report") != 0 && strcmp(o.aPos[0], "targets") != 0)) {
    fprintf(stderr, "%s", usage);
    return 2;
  }
  char today[11], *end;
  const char *y = opt(&o, "year", NULL);
  long year = y ? strtol(y, &end, 10) : atoi(time_today_cn(today)) - 1;
  if (y && (*end || end == y || year < 1900 || year > 2999)) {
    fprintf(stderr, "xinqu: --year 应为年份，如 2021 / --year must be a year such as 2021\n");
    return 2;
  }
  Store *s = open_db(&o);
  if (!s) return 1;
  indicator_feeds_register();
  Err e = {0};
  int rc = 1;
  json_t *out = NULL, *x;
  size_t i;
  if (strcmp(o.aPos[0], "report") == 0) {
    if (!(out = indicator_report(s, NULL, (int)year, &e))) goto fail;
    printf("%ld 年经济运行指标%s / indicators of %ld%s\n", year, json_is_true(json_object_get(out, "demo")) ? "（演示数据）" : "",
           year, json_is_true(json_object_get(out, "demo")) ? " (demonstration data)" : "");
    json_array_foreach(json_object_get(out, "lines"), i, x) {
      if (!json_is_string(json_object_get(x, "value"))) {
        printf("%s — %s（无数据）\n", jstr(x, "name"), jstr(x, "unit"));
        continue;
      }
      printf("%s %s %s", jstr(x, "name"), jstr(x, "value"), jstr(x, "unit"));
      if (json_is_string(json_object_get(x, "share"))) printf(" 占全市 %s%%", jstr(x, "share"));
      print_growth(json_object_get(x, "growth"));
      if (!json_is_true(json_object_get(x, "complete"))) printf("（%s）", jstr(x, "period_label"));
      if (strcmp(jstr(x, "source"), "computed") == 0) printf(" 〔xinqu 计算〕");
      printf("\n");
    }
  } else {
    if (!(out = indicator_targets(s, NULL, (int)year, &e))) goto fail;
    printf("%ld 年目标 %zu 项 / targets of %ld: %zu\n", year, json_array_size(json_object_get(out, "targets")), year,
           json_array_size(json_object_get(out, "targets")));
    json_array_foreach(json_object_get(out, "targets"), i, x)
      printf("%s：%s ｜ %s ｜ %s\n", jstr(x, "name"), jstr(x, "text"), jstr(x, "status_label"), jstr(x, "rule"));
  }
  rc = 0;
  goto out;
fail:
  print_err(&e);
out:
  json_decref(out);
  store_close(s);
  return rc;
}

static int cmd_help(int argc, char **argv);

static const Command commands[] = {
    {"init", cmd_init, "init [--db URL] [--demo jinpu [--entities N] [--persons N] [--cases N] [--no-pipeline]]  建库并迁移（唯一会新建数据库的命令；演示数据含 2019—2021 招商数据，--no-pipeline 不装入）/ create and migrate (the one command that makes a database; the demo includes the 招商 pipeline of 2019–2021 unless --no-pipeline)"},
    {"serve", cmd_serve, "serve [--db URL] [--listen 127.0.0.1:8080] [--static web/dist] [--public-url URL] [--audit-head FILE] [--trusted-proxy CIDR[,CIDR…]]… [--demo] [限额 / limits]  启动服务 / serve\n"
                         "    --public-url URL      证照上印出的公开地址 / the public address printed on certificates\n"
                         "    --audit-head FILE     审计链头文件（签名的检查点），SQLite 默认为 数据库文件.audit-head /\n"
                         "                          the audit head file (signed checkpoints); SQLite: the database file + .audit-head\n"
                         "    --trusted-proxy CIDR  受信任的反向代理（可重复）/ a trusted reverse proxy (repeatable)\n"
                         "    --demo                演示模式：演示账号的公开密码无须更换 / demo mode: the published demo password works\n"
                         "    --threads N (64)  --max-inflight N (256)  --max-conns N (1024)  --per-ip N (max-conns/16)\n"
                         "    --header-timeout S (10)  --body-rate B (32K)  --body-budget B (256M)\n"
                         "    --upload-quota B (200M)  --upload-rate N (60)  --pdf-rate N (30)\n"
                         "    限额的含义见 README；B 可带 K、M、G，速率为每分钟次数 / limits: see README; B takes K, M or G, rates are a minute"},
    {"user", cmd_user, "user add NAME --role ROLE [--party CODE] [--dept CODE] [--display NAME] --password-stdin [--must-change] | "
                       "user passwd NAME --password-stdin [--must-change] | user disable|enable|logout NAME | user list  "
                       "新建账号、设置密码（从标准输入读入）、停用、启用、强制下线；列出账号 / "
                       "create an account, set a password (on standard input), disable, enable, log out; list the accounts"},
    {"department", cmd_department, "department import FILE.csv  导入部门（code,name,name_en）/ import departments"},
    {"import", cmd_import, "import entities FILE.csv  导入市场主体 / import market entities"},
    {"export", cmd_export, "export entities [FILE.csv]  导出市场主体 / export market entities"},
    {"catalog", cmd_catalog, "catalog stats | catalog import FILE.csv|FILE.xlsx | catalog export [FILE.csv|FILE.xlsx]  事项目录：统计、导入、导出 / service catalogue: counts, import, export"},
    {"audit", cmd_audit, "audit verify [--audit-head FILE] [--head LINE] | audit head  校验审计链与检查点；签名记录链头 / verify the audit chain and its checkpoints; sign and print its head"},
    {"backup", cmd_backup, "backup FILE  在线备份（SQLite）/ online backup (SQLite)"},
    {"check", cmd_check, "check uscc CODE… | check id NUMBER…  校验统一社会信用代码、身份证号码 / check credit codes, ID numbers"},
    {"calendar", cmd_calendar, "calendar list YEAR | calendar add DATE N | calendar import FILE  工作日历：列出一年、加 N 个工作日、导入节假日安排 / "
                               "working days: list a year, add N working days, import a schedule"},
    {"sla", cmd_sla, "sla scan  到期预警与超期扫描 / run the deadline scan"},
    {"invest", cmd_invest, "invest report --from DATE --to DATE [--json]  招商报表 / the investment report"},
    {"ladder", cmd_ladder, "ladder check FACTS.json [--on DATE] | stats [--year Y] | daily  企业梯度培育：按当日有效的各级认定标准逐条判断（JSON）、年度统计、每日刷新与到期提醒 / the qualification ladder: every rung's criteria in force on DATE (JSON), the year's figures, the daily job"},
    {"talent", cmd_talent, "talent check FACTS.json --policy CODE [--on DATE] | policies | stats [--year Y] | scan [--policy CODE] [--on DATE] [--dry-run] | catalogue stats [--edition YEARS]  人才政策：按当日有效的政策规则与参数判断资格、金额与分期（JSON）；政策及其规则版本；年度人才数字；免申即享扫描（符合、新认定、接近的人数）；紧缺人才目录的领域、方向、岗位数 / talent policies: eligibility, amount and instalments under the rule and parameters in force on DATE (JSON); the policies and their rule versions; the year's figures; the scan granting without applying (found, created, close); the shortage catalogue's fields, directions and positions"},
    {"indicator", cmd_indicator, "indicator report --year YYYY | targets --year YYYY  指标：年度经济运行指标（数值、占全市比重、增速）；年度目标及其状态与判定规则 / indicators: a year's figures (value, share of the city, growth); the year's targets with their status and rule"},
    {"rule", cmd_rule, "rule test RULE.lua FACTS.json  在沙箱中试运行规则，输出 JSON（规则出错亦退出 0）/ try a rule, print its decision"},
    {"help", cmd_help, "help  本说明 / this help"},
};

static int cmd_help(int argc, char **argv) {
  (void)argc, (void)argv;
  printf("xinqu — 新区政务服务平台 / administration platform for a national-level new area\n\n");
  for (size_t i = 0; i < XQ_COUNT(commands); i++) printf("  xinqu %s\n", commands[i].usage);
  printf("\n--db URL: sqlite:PATH 或 postgresql://…；默认 $XINQU_DB，再默认 sqlite:var/xinqu.db\n");
  printf("--audit-head FILE: 审计链头文件（签名的检查点，每行一个）；SQLite 默认为 数据库文件.audit-head，PostgreSQL 默认无\n"
         "  / the audit head file (signed checkpoints, one a line); for SQLite the database file + .audit-head\n");
  return 0;
}

int main(int argc, char **argv) {
  crypto_init();
  signal(SIGPIPE, SIG_IGN);
  if (argc < 2) return cmd_help(0, NULL), 2;
  for (size_t i = 0; i < XQ_COUNT(commands); i++)
    if (strcmp(commands[i].name, argv[1]) == 0) {
      curCmd = &commands[i];
      return commands[i].fn(argc - 2, argv + 2);
    }
  fprintf(stderr, "xinqu: 未知命令 / unknown command: %s\n", argv[1]);
  cmd_help(0, NULL);
  return 2;
}
