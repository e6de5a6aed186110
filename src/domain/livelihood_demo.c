/*
** livelihood_demo.c — the Jinpu demo's 惠民实事 (livelihood_demo_load()).
** Demonstration data (演示数据, demo = 1 on every project): the 50 projects
** of 2021 with those the article names among them (依山海国际社区,
** 职工法律援助中心改造, 金石滩无人驾驶示范, 城市共享, 放心粮仓, 截污控源,
** 隐患治理, 美丽乡村, 安置就业 2.1 万人次, 120 院前急救指挥中心), all done,
** a few milestones reached late; and a list of 2022 in progress, whose
** milestones not reached by their planned day make some projects behind.
** The titles, departments and targets are plausible, not the district's
** published list; the dates are drawn from a fixed seed.
*/
#include "livelihood.h"
#include "audit.h"
#include "demo.h"
#include "../base/cal.h"

#include <stdio.h>
#include <string.h>

typedef struct DemoProject {
  const char *title, *category, *dept, *value, *unit;
  int budget_wan; /* 万元 */
  int build;      /* 1: a works project (方案批复 … 竣工验收); 0: a service */
  const char *desc;
} DemoProject;

static const DemoProject Y2021[50] = {
    {"依山海国际社区", "安居", "zjj", "1", "个社区", 38000, 1, "建设依山海国际社区，配套教育、医疗、商业和公共服务设施，打造宜居国际化社区。"},
    {"职工法律援助中心改造", "就业", "rsj", "1", "处", 260, 1, "改造职工法律援助中心，为劳动者提供劳动争议咨询、调解和法律援助。"},
    {"金石滩无人驾驶示范", "数字生活", "gxj", "10", "公里", 5200, 1, "在金石滩国家旅游度假区开通无人驾驶示范线路，开展自动驾驶接驳服务。"},
    {"城市共享（共享单车与共享停车）", "数字生活", "cgj", "5000", "辆", 800, 0, "投放共享单车，开放共享停车泊位，方便市民短途出行。"},
    {"放心粮仓", "民生保障", "fgj", "5", "万吨", 9600, 1, "新建和改造地方储备粮仓容，保障粮食储备安全。"},
    {"截污控源", "环境", "swuj", "30", "公里", 21000, 1, "新建改造截污管网，控制入河入海污染源。"},
    {"隐患治理", "民生保障", "yjglj", "1200", "处", 3500, 0, "排查整治燃气、消防、危化品等安全隐患。"},
    {"美丽乡村", "乡村", "nyj", "20", "个村", 6000, 1, "建设美丽乡村示范村，改善农村人居环境。"},
    {"安置就业", "就业", "rsj", "2.1", "万人次", 4200, 0, "开展招聘活动和就业援助，全年安置就业 2.1 万人次。"},
    {"120院前急救指挥中心", "医疗", "wjj", "1", "个", 3200, 1, "建成 120 院前急救指挥中心，统一调度全区急救资源。"},
    {"婴幼儿托幼一体化试点", "教育", "jyj", "10", "所", 1500, 0, "在公办幼儿园开设托班，推行托幼一体化。"},
    {"校园足球特色学校建设", "教育", "jyj", "30", "所", 900, 0, "新增全国校园足球特色学校和特色幼儿园。"},
    {"新建改扩建中小学校", "教育", "jyj", "5", "所", 42000, 1, "新建改扩建中小学校，新增学位。"},
    {"新增公办幼儿园学位", "教育", "jyj", "3000", "个", 7800, 1, "新建改扩建公办幼儿园，新增普惠学位。"},
    {"中小学课后服务全覆盖", "教育", "jyj", "100", "%", 1200, 0, "义务教育学校课后服务全覆盖。"},
    {"学校食堂明厨亮灶", "教育", "scjgj", "180", "所", 600, 0, "学校食堂安装视频监控，实现明厨亮灶。"},
    {"老旧小区改造", "安居", "zjj", "32", "个小区", 28000, 1, "改造老旧小区的管网、屋面、道路和环境。"},
    {"保障性租赁住房筹集", "安居", "zjj", "1000", "套", 15000, 1, "筹集保障性租赁住房，缓解新市民、青年人住房困难。"},
    {"公积金业务网上办", "安居", "gjj", "95", "%", 300, 0, "住房公积金提取、贷款业务网上办理。"},
    {"高校毕业生就业见习", "就业", "rsj", "1500", "人", 1100, 0, "组织高校毕业生到见习基地就业见习。"},
    {"职业技能培训", "就业", "rsj", "1", "万人次", 2600, 0, "开展企业职工和重点群体职业技能培训。"},
    {"退役军人就业创业服务", "就业", "tyjrj", "800", "人", 400, 0, "为退役军人提供就业推荐和创业扶持。"},
    {"政务服务一网通办", "数字生活", "yshjj", "98", "%", 1800, 0, "政务服务事项网上可办。"},
    {"5G基站建设", "数字生活", "gxj", "1500", "个", 12000, 1, "新建 5G 基站，实现城区和重点区域连续覆盖。"},
    {"智慧停车平台", "数字生活", "cgj", "20000", "个泊位", 2400, 1, "建设智慧停车平台，接入公共停车泊位。"},
    {"社区卫生服务中心标准化建设", "医疗", "wjj", "12", "个", 4800, 1, "社区卫生服务中心标准化建设和设备更新。"},
    {"家庭医生签约服务", "医疗", "wjj", "35", "%", 800, 0, "重点人群家庭医生签约服务。"},
    {"65岁以上老年人免费体检", "医疗", "wjj", "8", "万人", 1600, 0, "为 65 岁以上老年人提供免费健康体检。"},
    {"黑臭水体治理", "环境", "sthjfj", "6", "条", 9000, 1, "治理城市黑臭水体，长治久清。"},
    {"口袋公园建设", "环境", "cgj", "15", "个", 3000, 1, "见缝插绿，建设口袋公园。"},
    {"生活垃圾分类", "环境", "cgj", "200", "个小区", 2200, 0, "推行生活垃圾分类，覆盖居民小区。"},
    {"海岸线生态整治", "环境", "zrzyj", "8", "公里", 11000, 1, "整治修复受损岸线，恢复海岸生态。"},
    {"农村饮水安全巩固提升", "乡村", "swuj", "3", "万人", 5000, 1, "改造农村供水工程，提升饮水安全。"},
    {"农村公路提档升级", "乡村", "jtj", "60", "公里", 9000, 1, "农村公路提档升级改造。"},
    {"农村厕所改造", "乡村", "nyj", "3000", "户", 1500, 1, "农村户用卫生厕所改造。"},
    {"高标准农田建设", "乡村", "nyj", "2", "万亩", 3000, 1, "建设高标准农田，提升耕地质量。"},
    {"公交线路优化", "交通", "jtj", "12", "条", 1200, 0, "新辟优化公交线路，方便群众出行。"},
    {"城市道路改造", "交通", "zjj", "25", "公里", 16000, 1, "改造城市主次干道和背街小巷。"},
    {"新增公共停车位", "交通", "cgj", "3000", "个", 2000, 1, "新建改造公共停车场。"},
    {"全民健身设施建设", "文体", "wltj", "50", "处", 1000, 1, "建设社区健身路径和多功能运动场。"},
    {"文化惠民演出", "文体", "wltj", "300", "场", 500, 0, "组织文化惠民演出进社区、进乡村。"},
    {"图书馆分馆建设", "文体", "wltj", "10", "个", 700, 1, "建设公共图书馆街道分馆。"},
    {"居家养老服务中心", "养老", "mzj", "15", "个", 2100, 1, "建设街道居家养老服务中心。"},
    {"老年助餐点", "养老", "mzj", "40", "个", 600, 1, "设立社区老年助餐点。"},
    {"困难群众救助", "民生保障", "mzj", "1.2", "万人次", 8000, 0, "落实最低生活保障和临时救助。"},
    {"食品安全抽检", "民生保障", "scjgj", "6000", "批次", 900, 0, "开展食品安全监督抽检。"},
    {"燃气管网改造", "民生保障", "zjj", "40", "公里", 7000, 1, "改造老旧燃气管网，消除安全隐患。"},
    {"社区消防站建设", "民生保障", "yjglj", "8", "个", 1600, 1, "建设社区微型消防站。"},
    {"智慧警务社区", "民生保障", "gafj", "60", "个", 1800, 0, "建设智慧安防小区。"},
    {"自助办税服务", "数字生活", "swj", "90", "%", 400, 0, "推广自助办税和非接触式办税。"},
};

static const DemoProject Y2022[20] = {
    {"政务服务“就近办”", "数字生活", "xzspj", "120", "个", 1500, 0, "政务服务事项下沉街道和社区便民服务中心。"},
    {"稳岗扩就业", "就业", "rsj", "2.2", "万人次", 4500, 0, "全年安置就业 2.2 万人次。"},
    {"零工市场建设", "就业", "rsj", "3", "个", 600, 1, "建设零工市场，为灵活就业人员提供对接服务。"},
    {"新建改扩建幼儿园", "教育", "jyj", "6", "所", 9000, 1, "新建改扩建公办幼儿园。"},
    {"义务教育学校新建", "教育", "jyj", "3", "所", 36000, 1, "新建义务教育学校。"},
    {"老旧小区改造（二期）", "安居", "zjj", "40", "个小区", 32000, 1, "续改老旧小区。"},
    {"城市更新示范街区", "安居", "zjj", "2", "个", 12000, 1, "改造示范街区的立面、管线和公共空间。"},
    {"社区医院建设", "医疗", "wjj", "4", "所", 6000, 1, "建设社区医院。"},
    {"核酸检测能力提升", "医疗", "wjj", "10", "万管/日", 3000, 0, "提升核酸检测能力。"},
    {"近岸海域污染防治", "环境", "sthjfj", "12", "个入海排口", 5000, 1, "整治入海排污口。"},
    {"污水处理厂提标改造", "环境", "swuj", "2", "座", 18000, 1, "污水处理厂提标改造。"},
    {"美丽乡村（二期）", "乡村", "nyj", "25", "个村", 7000, 1, "续建美丽乡村示范村。"},
    {"农村客运公交化", "交通", "jtj", "15", "条", 1500, 0, "农村客运线路公交化改造。"},
    {"智慧停车（二期）", "数字生活", "cgj", "15000", "个泊位", 2000, 1, "续接公共停车泊位。"},
    {"社区嵌入式养老", "养老", "mzj", "10", "个", 2000, 1, "建设社区嵌入式养老服务设施。"},
    {"全民健身中心", "文体", "wltj", "1", "个", 8000, 1, "建设全民健身中心。"},
    {"放心粮仓（二期）", "民生保障", "fgj", "3", "万吨", 6000, 1, "续建地方储备粮仓容。"},
    {"安全生产隐患清零", "民生保障", "yjglj", "1500", "处", 3000, 0, "排查整治安全生产隐患。"},
    {"企业开办一日办结", "数字生活", "scjgj", "100", "%", 300, 0, "企业开办一日办结。"},
    {"高新技术企业培育", "就业", "kjj", "120", "家", 2500, 0, "培育高新技术企业，带动就业。"},
};

static const char *const BUILD[4] = {"方案批复", "开工建设", "主体完工", "竣工验收"};
static const char *const SERVICE[4] = {"实施方案印发", "启动实施", "完成过半", "全面完成"};
/* the month (1–12) each milestone is planned in */
static const int MONTH[4] = {3, 5, 8, 12};

typedef struct Demo {
  int64_t now, n;
  DemoRng rng;
} Demo;

static int64_t dept_id(Db *db, const char *code, Err *e) {
  Dept d;
  int rc = accounts_dept_get(db, 0, code, &d, e);
  if (rc == 0) panic("livelihood demo: no department %s", code);
  return rc < 0 ? -1 : d.id;
}

/* one() writes project k of year's list p; reach: how many milestones
** were reached (4 = all, and progress 100). */
static int one(Db *db, Demo *d, int year, int k, const DemoProject *p, int reach, int progress, Err *e) {
  int64_t dept = dept_id(db, p->dept, e);
  if (dept < 0) return -1;
  char code[32];
  snprintf(code, sizeof code, "%d-%02d", year, k + 1);
  Stmt *st = db_prepare(db, "INSERT INTO livelihood_project(year, code, title, category, dept_id, budget_fen,"
                            " target_value, target_unit, description, progress, published, demo, created_at,"
                            " created_by, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,1,1,?,0,?) RETURNING id", e);
  if (!st) return -1;
  stmt_bind_int(st, 1, year);
  stmt_bind_text(st, 2, code);
  stmt_bind_text(st, 3, p->title);
  stmt_bind_text(st, 4, p->category);
  stmt_bind_int(st, 5, dept);
  stmt_bind_int(st, 6, (int64_t)p->budget_wan * 1000000); /* 万元 in fen */
  stmt_bind_text(st, 7, p->value);
  stmt_bind_text(st, 8, p->unit);
  stmt_bind_text(st, 9, p->desc);
  stmt_bind_int(st, 10, progress);
  stmt_bind_int(st, 11, d->now);
  stmt_bind_int(st, 12, d->now);
  int rc = stmt_step(st, e);
  int64_t id = rc == 1 ? stmt_int(st, 0) : 0;
  stmt_done(st);
  if (rc != 1) return -1;
  for (int m = 0; m < 4; m++) {
    int planned, reached;
    cal_from_ymd(year, MONTH[m], 10 + demo_below(&d->rng, 18), &planned);
    /* mostly on time or early; one in eight a little late */
    reached = planned - demo_below(&d->rng, 12) + (demo_below(&d->rng, 8) == 0 ? 3 + demo_below(&d->rng, 20) : 0);
    char pl[11], re[11];
    cal_format(planned, pl);
    cal_format(reached, re);
    if (db_run(db, e, "INSERT INTO livelihood_milestone(project_id, seq, title, planned_on, reached_on, note)"
                      " VALUES (?,?,?,?,?,?)", "iittnt", id, (int64_t)(m + 1), (p->build ? BUILD : SERVICE)[m], pl,
               "") < 0)
      return -1;
    if (m < reach &&
        db_run(db, e, "UPDATE livelihood_milestone SET reached_on = ?, note = ? WHERE project_id = ? AND seq = ?",
               "ttii", re, "演示数据", id, (int64_t)(m + 1)) < 0)
      return -1;
  }
  /* a monthly report at each quarter's end that has passed, and its progress */
  int last = reach >= 4 ? 12 : MONTH[reach > 0 ? reach - 1 : 0] + 1;
  for (int q = 3; q <= 12 && q <= last; q += 3) {
    int pct = reach >= 4 ? (q == 12 ? 100 : q * 8) : progress * q / (last > 0 ? last : 1);
    if (pct > progress) pct = progress;
    char month[32], day[32], *body;
    snprintf(month, sizeof month, "%d-%02d", year, q);
    snprintf(day, sizeof day, "%d-%02d-28", year, q);
    body = xasprintf("%s：%d 年 %d 月进展顺利，累计完成 %d%%。（演示数据）", p->title, year, q, pct);
    int64_t r = db_run(db, e, "INSERT INTO livelihood_report(project_id, month, body, percent, created_at, created_by)"
                              " VALUES (?,?,?,?,?,0)", "itti" "i", id, month, body, (int64_t)pct, d->now);
    free(body);
    if (r < 0 ||
        db_run(db, e, "INSERT INTO livelihood_progress(project_id, on_day, percent, note, created_at, created_by)"
                      " VALUES (?,?,?,?,?,0)", "itit" "i", id, day, (int64_t)pct, "月度报告（演示数据）", d->now) < 0)
      return -1;
  }
  d->n++;
  return 0;
}

static int demo_job(Db *db, void *arg, Err *e) {
  Demo *d = arg;
  for (int k = 0; k < 50; k++)
    if (one(db, d, 2021, k, &Y2021[k], 4, 100, e)) return -1;
  /* 2022: every third one stalled before its last milestones (behind); the rest done */
  for (int k = 0; k < 20; k++) {
    bool stalled = k % 3 == 0;
    int reach = stalled ? 1 + k % 2 : 4;
    if (one(db, d, 2022, k, &Y2022[k], reach, stalled ? 35 + 10 * reach + demo_below(&d->rng, 10) : 100, e))
      return -1;
  }
  json_t *detail = json_pack("{s:I,s:s}", "projects", (json_int_t)d->n, "years", "2021, 2022");
  int rc = audit_append(db, NULL, "livelihood.demo_load", "livelihood:demo", detail, e);
  json_decref(detail);
  return rc;
}

int livelihood_demo_load(Store *s, int64_t *n, Err *e) {
  *n = 0;
  Stmt *st = db_prepare(store_reader(s), "SELECT COUNT(*) FROM livelihood_project WHERE year = 2021", e);
  if (!st) return -1;
  int rc = stmt_step(st, e);
  int64_t have = rc == 1 ? stmt_int(st, 0) : 0;
  stmt_done(st);
  if (rc < 0) return -1;
  if (have) return 0;
  Demo d = {.now = now_ms(), .rng = {0x3F5A17ULL}};
  if (store_write(s, demo_job, &d, e)) return -1;
  *n = d.n;
  return 0;
}
