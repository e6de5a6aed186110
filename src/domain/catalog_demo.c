/*
** catalog_demo.c — the Jinpu demo catalogue (see catalog.h): items built
** deterministically from a table of real-sounding item templates per
** department, each expanded into its sub-items (新办, 变更, 延续, 注销 …),
** plus the named items other modules and tests rely on (企业开办 JP-KB-01…06,
** 零时限审批 JP-ZX-01…03, JP-MP-001, JP-JB-001, JP-CN-001).
**
** The modes are then assigned so that `xinqu catalog stats` shows exactly
** the article's figures: 65 秒批秒办 (items with a Lua rule; they are
** 承诺件, see catalog.h), 374 即来即办 (即办件) and 637 全程网办. Each is
** drawn from the items that qualify, in an order fixed by a hash of the
** item code, so the choice is stable and spread over the departments.
** 容缺受理 is allowed on every item that is not `safety`; 告知承诺 on the
** 证照分离 items reformed to 实行告知承诺 (never on safety items).
**
** Last, each item gets its 办事指南 (demo_guide): its department's hall and
** windows in the 政务服务中心 and consulting line (demo values, in the shape
** of real ones), the office hours, the process by how it is handled (即办,
** 秒批 or ordinary), and its 主题 and keywords by the words of its name.
*/
#include "catalog.h"

#include <stdlib.h>
#include <string.h>

#define DEMO_FROM "2022-01-01"
#define N_AUTO 65
#define N_INSTANT 374
#define N_ONLINE 637

/* Template flags. */
enum {
  T_PERSON = 1 << 0,  /* the applicant is a person (else a market entity) */
  T_SAFETY = 1 << 1,  /* public safety, environment, health, life and property */
  T_PROMISE = 1 << 2, /* 证照分离: 实行告知承诺 */
  T_OPT = 1 << 3,     /* 证照分离: 优化审批服务 */
  T_FILING = 1 << 4,  /* 证照分离: 审批改为备案 */
  T_HOURS = 1 << 5,   /* promised in working hours */
  T_KIOSK = 1 << 6    /* also at the self-service kiosks */
};

/* Variant sets: the sub-items a template expands into. */
static const char *const variant_sets[] = {
    "",                                                                   /* 0: the item itself */
    /* 1: a licence */
    "新办|变更名称、法定代表人|变更经营场所|变更经营范围|延续|注销|补证",
    "设立|变更|变更备案|注销",                                            /* 2: a registration */
    "首次备案|变更备案|注销备案",                                         /* 3: a filing */
    "单位|个人",                                                          /* 4: by applicant (not for a
                                                                             person's own matter: no 单位) */
    "新办|变更|延续|注销|补证",                                           /* 5: a short licence set */
};

/* A rule template per number (1-based in Tpl.rule); all follow rules.h. */
static const char *const rule_templates[] = {
    /* 1: an active market entity is approved, any other denied. */
    "local p = facts.party\n"
    "if p.type ~= \"entity\" then deny(\"申请人应为市场主体\") end\n"
    "if p.status ~= \"active\" then deny(\"市场主体状态不是存续：\" .. tostring(p.status)) end\n"
    "approve(\"市场主体状态存续，符合自动审批条件\")\n",
    /* 2: persons aged 60 or over. */
    "local p = facts.party\n"
    "if p.type ~= \"person\" then deny(\"申请人应为自然人\") end\n"
    "if (p.age or 0) >= 60 then approve(\"申请人年满60周岁\") end\n"
    "deny(\"申请人未满60周岁\")\n",
    /* 3: an amount within the automatic limit. */
    "local p = facts.party\n"
    "if p.type ~= \"entity\" or p.status ~= \"active\" then deny(\"申请人应为存续的市场主体\") end\n"
    "local amount = tonumber(facts.form.amount_fen or \"\")\n"
    "if not amount then manual(\"未填写申请金额，转人工审核\") end\n"
    "if amount <= 50000000 then approve(\"申请金额在自动审批限额（50万元）以内\") end\n"
    "manual(\"申请金额超过自动审批限额，转人工审核\")\n",
    /* 4: no broken promise and the core materials present. */
    "local p = facts.party\n"
    "if facts.broken_promise then deny(\"申请人存在违反告知承诺的记录\") end\n"
    "if p.type == \"entity\" and p.status ~= \"active\" then deny(\"市场主体状态不是存续\") end\n"
    "if not facts.materials.apply then manual(\"缺少申请书，转人工审核\") end\n"
    "return {decision = \"approve\", reasons = {\"无失信记录\", \"材料齐全\"}}\n",
    /* 5: adult residents of China. */
    "local p = facts.party\n"
    "if p.type ~= \"person\" then deny(\"申请人应为自然人\") end\n"
    "if p.nationality ~= \"CHN\" then manual(\"非中国公民，转人工审核\") end\n"
    "if (p.age or 0) < 18 then deny(\"申请人未满18周岁\") end\n"
    "approve(\"申请人为成年中国公民\")\n",
};

/* The party each rule template approves ("" either), by template. */
static const char *const rule_party[] = {"entity", "person", "entity", "", "person"};

/* Materials the templates draw on, by key. */
typedef struct Mat {
  const char *key, *name;
  bool core, may_miss;
  const char *form, *source;
} Mat;

static const Mat pool[] = {
    {"apply", "申请书（表）", true, false, "form", ""},
    {"licence", "营业执照", true, false, "electronic", "registry.entity"},
    {"id_card", "居民身份证", true, false, "electronic", "registry.person"},
    {"agent", "授权委托书及经办人身份证明", false, true, "original", ""},
    {"premises", "经营场所使用证明", false, true, "copy", ""},
    {"layout", "经营场所平面布局图", false, true, "copy", ""},
    {"equipment", "主要设备设施清单", false, true, "copy", ""},
    {"staff", "专业技术人员资格证明", false, true, "copy", ""},
    {"rules", "质量安全管理制度", false, true, "copy", ""},
    {"old_cert", "原证件", false, true, "original", ""},
    {"change_proof", "变更事项证明材料", true, false, "copy", ""},
    {"safety_eval", "安全评价报告", true, false, "original", ""},
    {"eia", "环境影响报告书（表）", true, false, "original", ""},
    {"fire", "消防设计文件", true, false, "original", ""},
    {"land", "土地权属证明", true, false, "copy", ""},
    {"design", "建设工程设计方案", true, false, "original", ""},
    {"contract", "劳动合同或聘用证明", false, true, "copy", ""},
    {"audit", "财务审计报告", false, true, "copy", ""},
    {"rd", "研发费用专项审计报告", true, false, "original", ""},
    {"ip", "知识产权证明材料", false, true, "copy", ""},
    {"photo", "近期免冠照片", false, true, "electronic", ""},
    {"household", "户口簿", false, true, "copy", ""},
    {"health", "健康证明", false, true, "copy", ""},
    {"plan", "项目可行性研究报告", true, false, "original", ""},
    {"social", "社会保险缴费证明", false, true, "electronic", "hrss.social"},
    {"tax", "纳税证明", false, true, "electronic", "tax.record"},
    {"qualify", "从业资格证书", false, true, "copy", ""},
    {"vehicle", "车辆行驶证", false, true, "copy", ""},
    {"degree", "学历学位证书", false, true, "copy", ""},
    {"site", "施工现场安全条件说明", true, false, "copy", ""},
    {"emergency", "应急预案", true, false, "copy", ""},
    {"medical", "医疗机构设置批准文件", true, false, "original", ""},
    {"promise", "告知承诺书", false, false, "form", ""},
    {"seal", "印章印模", false, true, "electronic", ""},
    {"bank", "银行账户信息", false, true, "electronic", ""},
    {"contract_land", "国有建设用地使用权出让合同", true, false, "copy", ""},
    {"drawing", "施工图设计文件审查合格书", true, false, "original", ""},
    {"invoice", "发票或支付凭证", false, true, "copy", ""},
    {"marriage", "婚姻状况证明", false, true, "copy", ""},
    {"residence", "居住证明", false, true, "copy", ""},
};

/* One item template: a base name in a department and its attributes. */
typedef struct Tpl {
  const char *dept;     /* department code */
  const char *name;     /* 事项名称 without the variant */
  const char *kind;     /* 行政许可 … */
  int variants;         /* index into variant_sets */
  unsigned flags;       /* T_* */
  const char *law;      /* the specific legal basis */
  const char *mats;     /* extra materials: pool keys separated by spaces (≤ 4) */
  const char *output;   /* certificate name, "" for a decision only */
  int months;           /* validity, 0 = long-term */
  int legal, promised;  /* working days; 0 = the kind's default */
  int rule;             /* rule template (1-based) when a 秒批 candidate, else 0 */
  const char *fees;     /* NULL = 不收费 */
} Tpl;

#define XK "行政许可"
#define QR "行政确认"
#define GF "行政给付"
#define BA "行政备案"
#define GG "公共服务"
#define QT "其他行政权力"

static const Tpl tpls[] = {
    /* 行政审批局 (相对集中行政许可权) */
    {"xzspj", "食品经营许可", XK, 1, T_PROMISE, "《中华人民共和国食品安全法》第三十五条；《食品经营许可和备案管理办法》第六条", "premises layout rules", "食品经营许可证", 60, 20, 5, 0, NULL},
    {"xzspj", "食品生产许可", XK, 1, T_SAFETY, "《中华人民共和国食品安全法》第三十五条；《食品生产许可管理办法》第二条", "premises layout equipment rules", "食品生产许可证", 60, 20, 10, 0, NULL},
    {"xzspj", "小餐饮经营许可", XK, 5, T_PROMISE, "《辽宁省食品小作坊小餐饮及摊点管理条例》第十条", "premises health", "小餐饮经营许可证", 36, 15, 3, 1, NULL},
    {"xzspj", "药品零售企业许可", XK, 1, T_SAFETY, "《中华人民共和国药品管理法》第五十一条", "premises staff rules", "药品经营许可证", 60, 30, 15, 0, NULL},
    {"xzspj", "第二类医疗器械经营备案", BA, 3, 0, "《医疗器械监督管理条例》第四十一条", "premises staff", "第二类医疗器械经营备案凭证", 0, 5, 1, 1, NULL},
    {"xzspj", "第三类医疗器械经营许可", XK, 1, T_SAFETY, "《医疗器械监督管理条例》第四十二条", "premises staff rules", "医疗器械经营许可证", 60, 20, 10, 0, NULL},
    {"xzspj", "公共场所卫生许可", XK, 1, T_PROMISE, "《公共场所卫生管理条例》第八条", "premises health", "公共场所卫生许可证", 48, 20, 5, 1, NULL},
    {"xzspj", "道路货物运输经营许可", XK, 1, T_PROMISE, "《中华人民共和国道路运输条例》第二十四条", "vehicle staff", "道路运输经营许可证", 48, 20, 5, 1, NULL},
    {"xzspj", "道路旅客运输经营许可", XK, 1, T_SAFETY, "《中华人民共和国道路运输条例》第十条", "vehicle staff rules", "道路运输经营许可证", 48, 20, 10, 0, NULL},
    {"xzspj", "出版物零售业务经营许可", XK, 1, T_PROMISE, "《出版管理条例》第三十五条", "premises", "出版物经营许可证", 72, 20, 5, 1, NULL},
    {"xzspj", "互联网上网服务营业场所经营许可", XK, 1, T_OPT, "《互联网上网服务营业场所管理条例》第十一条", "premises layout", "网络文化经营许可证", 36, 20, 10, 0, NULL},
    {"xzspj", "娱乐场所经营许可", XK, 1, T_OPT, "《娱乐场所管理条例》第九条", "premises layout", "娱乐经营许可证", 24, 20, 10, 0, NULL},
    {"xzspj", "营业性演出经营许可", XK, 1, T_PROMISE, "《营业性演出管理条例》第六条", "staff", "营业性演出许可证", 24, 20, 5, 0, NULL},
    {"xzspj", "旅行社设立许可", XK, 1, T_PROMISE, "《旅行社条例》第六条", "premises staff", "旅行社业务经营许可证", 0, 20, 5, 1, NULL},
    {"xzspj", "人力资源服务许可", XK, 1, T_PROMISE, "《人力资源市场暂行条例》第十八条", "premises staff rules", "人力资源服务许可证", 0, 20, 5, 1, NULL},
    {"xzspj", "劳务派遣经营许可", XK, 1, T_PROMISE, "《中华人民共和国劳动合同法》第五十七条", "premises rules audit", "劳务派遣经营许可证", 36, 20, 5, 0, NULL},
    {"xzspj", "民办职业培训学校设立", XK, 2, T_OPT, "《中华人民共和国民办教育促进法》第十二条", "premises staff rules", "民办学校办学许可证", 60, 30, 15, 0, NULL},
    {"xzspj", "建筑业企业资质核准", XK, 1, T_PROMISE, "《中华人民共和国建筑法》第十三条；《建筑业企业资质管理规定》第九条", "staff qualify", "建筑业企业资质证书", 60, 20, 5, 0, NULL},
    {"xzspj", "建筑施工企业安全生产许可", XK, 5, T_SAFETY, "《安全生产许可证条例》第二条", "rules staff emergency", "安全生产许可证", 36, 45, 20, 0, NULL},
    {"xzspj", "燃气经营许可", XK, 1, T_SAFETY, "《城镇燃气管理条例》第十五条", "premises equipment emergency", "燃气经营许可证", 36, 20, 15, 0, NULL},
    {"xzspj", "城市建筑垃圾处置核准", XK, 5, T_OPT, "《国务院对确需保留的行政审批项目设定行政许可的决定》第101项", "vehicle", "城市建筑垃圾处置核准证", 12, 20, 5, 0, NULL},
    {"xzspj", "占用城市道路许可", XK, 0, T_OPT, "《城市道路管理条例》第三十一条", "design", "", 0, 20, 5, 0, "按占用面积和期限收取占道费"},
    {"xzspj", "户外广告设施设置审批", XK, 5, T_OPT, "《城市市容和环境卫生管理条例》第十一条", "design", "户外广告设置许可决定书", 12, 20, 5, 0, NULL},
    {"xzspj", "企业投资项目核准", XK, 0, T_OPT, "《企业投资项目核准和备案管理条例》第三条", "plan land", "项目核准批复", 24, 20, 10, 0, NULL},
    {"xzspj", "水土保持方案审批", XK, 0, T_SAFETY, "《中华人民共和国水土保持法》第二十五条", "plan design", "水土保持方案批复", 0, 20, 10, 0, NULL},
    {"xzspj", "取水许可", XK, 5, T_SAFETY, "《取水许可和水资源费征收管理条例》第二条", "plan", "取水许可证", 60, 45, 20, 0, "按取水量缴纳水资源税"},
    {"xzspj", "兽药经营许可", XK, 1, T_PROMISE, "《兽药管理条例》第二十二条", "premises staff", "兽药经营许可证", 60, 20, 5, 0, NULL},
    {"xzspj", "农药经营许可", XK, 1, T_SAFETY, "《农药管理条例》第二十四条", "premises staff", "农药经营许可证", 60, 20, 10, 0, NULL},
    {"xzspj", "种子生产经营许可", XK, 1, T_PROMISE, "《中华人民共和国种子法》第三十一条", "premises equipment", "农作物种子生产经营许可证", 60, 20, 5, 0, NULL},
    {"xzspj", "动物防疫条件合格证核发", XK, 5, T_SAFETY, "《中华人民共和国动物防疫法》第二十四条", "premises layout", "动物防疫条件合格证", 0, 20, 15, 0, NULL},
    {"xzspj", "特种设备使用登记", QR, 5, T_SAFETY, "《中华人民共和国特种设备安全法》第三十三条", "equipment qualify", "特种设备使用登记证", 0, 15, 5, 0, NULL},
    {"xzspj", "危险化学品经营许可", XK, 1, T_SAFETY, "《危险化学品安全管理条例》第三十三条", "premises safety_eval emergency", "危险化学品经营许可证", 36, 30, 20, 0, NULL},
    {"xzspj", "烟花爆竹零售经营许可", XK, 5, T_SAFETY, "《烟花爆竹安全管理条例》第十九条", "premises emergency", "烟花爆竹经营（零售）许可证", 12, 20, 10, 0, NULL},
    {"xzspj", "医疗机构执业登记", XK, 1, T_SAFETY, "《医疗机构管理条例》第十四条", "medical premises staff", "医疗机构执业许可证", 60, 45, 20, 0, NULL},
    {"xzspj", "诊所备案", BA, 3, 0, "《医疗机构管理条例》第十四条；《诊所备案管理暂行办法》第三条", "premises staff", "诊所备案凭证", 0, 5, 1, 0, NULL},
    {"xzspj", "放射诊疗许可", XK, 5, T_SAFETY, "《放射诊疗管理规定》第十一条", "equipment staff emergency", "放射诊疗许可证", 0, 20, 15, 0, NULL},
    {"xzspj", "母婴保健技术服务执业许可", XK, 5, T_SAFETY, "《中华人民共和国母婴保健法》第三十二条", "staff equipment", "母婴保健技术服务执业许可证", 36, 20, 15, 0, NULL},
    {"xzspj", "建设项目环境影响报告表审批", XK, 0, T_SAFETY, "《中华人民共和国环境影响评价法》第二十二条", "eia plan", "环评批复", 0, 30, 15, 0, NULL},
    {"xzspj", "排污许可证核发", XK, 5, T_SAFETY, "《排污许可管理条例》第三条", "eia equipment", "排污许可证", 60, 20, 15, 0, NULL},
    {"xzspj", "建设工程消防设计审查", XK, 0, T_SAFETY, "《中华人民共和国消防法》第十一条", "fire design", "消防设计审查意见书", 0, 15, 10, 0, NULL},
    {"xzspj", "建设工程消防验收", XK, 0, T_SAFETY, "《中华人民共和国消防法》第十三条", "fire drawing", "消防验收意见书", 0, 15, 10, 0, NULL},
    {"xzspj", "公众聚集场所投入使用、营业前消防安全检查", XK, 0, T_SAFETY, "《中华人民共和国消防法》第十五条", "fire premises emergency", "消防安全检查合格证", 0, 10, 5, 0, NULL},
    {"xzspj", "施工图设计文件审查备案", BA, 0, 0, "《房屋建筑和市政基础设施工程施工图设计文件审查管理办法》第三条", "drawing", "", 0, 5, 1, 0, NULL},
    {"xzspj", "政务服务综合窗口咨询", GG, 0, T_PERSON | T_KIOSK, "《优化营商环境条例》第三十七条", "", "", 0, 1, 0, 0, NULL},
    /* 市场监督管理局 */
    {"scjgj", "有限责任公司登记", XK, 2, T_HOURS, "《中华人民共和国市场主体登记管理条例》第三条；《中华人民共和国公司法》第二十九条", "premises", "营业执照", 0, 15, 1, 1, NULL},
    {"scjgj", "股份有限公司登记", XK, 2, 0, "《中华人民共和国市场主体登记管理条例》第三条；《中华人民共和国公司法》第九十二条", "premises audit", "营业执照", 0, 15, 3, 0, NULL},
    {"scjgj", "个体工商户登记", XK, 2, T_PERSON | T_HOURS | T_KIOSK, "《促进个体工商户发展条例》第八条；《中华人民共和国市场主体登记管理条例》第三条", "premises", "营业执照", 0, 15, 1, 5, NULL},
    {"scjgj", "个人独资企业登记", XK, 2, T_PERSON, "《中华人民共和国个人独资企业法》第九条", "premises", "营业执照", 0, 15, 3, 5, NULL},
    {"scjgj", "合伙企业登记", XK, 2, 0, "《中华人民共和国合伙企业法》第九条", "premises", "营业执照", 0, 15, 3, 0, NULL},
    {"scjgj", "农民专业合作社登记", XK, 2, T_PERSON, "《中华人民共和国农民专业合作社法》第十六条", "premises", "营业执照", 0, 15, 3, 0, NULL},
    {"scjgj", "分公司登记", XK, 2, 0, "《中华人民共和国市场主体登记管理条例》第二十三条", "premises", "营业执照", 0, 15, 3, 1, NULL},
    {"scjgj", "外商投资企业登记", XK, 2, 0, "《中华人民共和国外商投资法》第三十一条", "premises", "营业执照", 0, 15, 5, 0, NULL},
    {"scjgj", "企业名称自主申报", QR, 0, 0, "《企业名称登记管理规定》第十七条", "", "", 0, 1, 0, 1, NULL},
    {"scjgj", "营业执照遗失补领", QR, 0, 0, "《中华人民共和国市场主体登记管理条例实施细则》第五十六条", "old_cert", "营业执照", 0, 5, 1, 1, NULL},
    {"scjgj", "歇业备案", BA, 0, 0, "《中华人民共和国市场主体登记管理条例》第三十条", "", "", 0, 5, 1, 1, NULL},
    {"scjgj", "简易注销登记", QR, 0, 0, "《中华人民共和国市场主体登记管理条例》第三十三条", "tax", "", 0, 20, 3, 1, NULL},
    {"scjgj", "股权出质登记", QR, 2, 0, "《股权出质登记办法》第三条", "contract", "股权出质登记通知书", 0, 5, 1, 0, NULL},
    {"scjgj", "动产抵押登记", QR, 2, 0, "《动产和权利担保统一登记办法》第二条", "contract", "", 0, 5, 1, 0, NULL},
    {"scjgj", "特种设备安装改造维修告知", BA, 0, T_SAFETY, "《中华人民共和国特种设备安全法》第二十三条", "qualify", "", 0, 5, 1, 0, NULL},
    {"scjgj", "计量器具型式批准", XK, 0, T_OPT, "《中华人民共和国计量法》第十三条", "equipment", "计量器具型式批准证书", 0, 20, 10, 0, NULL},
    {"scjgj", "计量标准器具核准", XK, 5, T_PROMISE, "《中华人民共和国计量法》第六条", "equipment staff", "计量标准考核证书", 48, 20, 5, 0, NULL},
    {"scjgj", "检验检测机构资质认定", XK, 1, T_PROMISE, "《检验检测机构资质认定管理办法》第四条", "equipment staff rules", "检验检测机构资质认定证书", 72, 20, 5, 0, NULL},
    {"scjgj", "工业产品生产许可", XK, 1, T_SAFETY, "《中华人民共和国工业产品生产许可证管理条例》第二条", "equipment rules", "全国工业产品生产许可证", 60, 30, 15, 0, NULL},
    {"scjgj", "食品生产加工小作坊登记", QR, 5, T_PROMISE, "《辽宁省食品小作坊小餐饮及摊点管理条例》第八条", "premises health", "食品小作坊登记证", 36, 15, 3, 1, NULL},
    {"scjgj", "食品摊点备案", BA, 3, T_PERSON, "《辽宁省食品小作坊小餐饮及摊点管理条例》第二十条", "health photo", "食品摊点备案卡", 12, 5, 1, 0, NULL},
    {"scjgj", "广告发布登记", XK, 1, T_FILING, "《中华人民共和国广告法》第二十九条", "staff rules", "广告发布登记证", 0, 20, 5, 0, NULL},
    {"scjgj", "商标专用权质押登记", QR, 2, 0, "《注册商标专用权质押登记程序规定》第二条", "contract ip", "", 0, 5, 1, 0, NULL},
    {"scjgj", "专利权质押登记", QR, 2, 0, "《专利权质押登记办法》第二条", "contract ip", "", 0, 5, 1, 0, NULL},
    {"scjgj", "知识产权维权援助申请", GG, 4, 0, "《知识产权强国建设纲要（2021—2035年）》", "ip", "", 0, 20, 10, 0, NULL},
    {"scjgj", "消费投诉受理", GG, 4, T_PERSON | T_KIOSK, "《中华人民共和国消费者权益保护法》第三十九条；《市场监督管理投诉举报处理暂行办法》第五条", "invoice", "", 0, 7, 3, 0, NULL},
    {"scjgj", "企业信用修复申请", QT, 0, 0, "《市场监督管理信用修复管理办法》第三条", "", "", 0, 15, 5, 4, NULL},
    /* 税务局 */
    {"swj", "税务登记信息确认", QR, 4, 0, "《中华人民共和国税收征收管理法》第十五条", "", "", 0, 1, 0, 1, NULL},
    {"swj", "增值税一般纳税人登记", QR, 0, 0, "《增值税一般纳税人登记管理办法》第二条", "", "", 0, 1, 0, 1, NULL},
    {"swj", "发票领用", GG, 0, T_KIOSK, "《中华人民共和国发票管理办法》第十五条", "seal", "", 0, 1, 0, 1, NULL},
    {"swj", "发票票种核定", QR, 0, 0, "《中华人民共和国发票管理办法》第十五条", "", "", 0, 5, 1, 1, NULL},
    {"swj", "增值税专用发票最高开票限额审批", XK, 0, 0, "《国务院对确需保留的行政审批项目设定行政许可的决定》第236项", "", "", 0, 20, 5, 3, NULL},
    {"swj", "代开增值税发票", GG, 4, T_KIOSK, "《中华人民共和国发票管理办法》第十六条", "contract", "", 0, 1, 0, 0, NULL},
    {"swj", "出口退（免）税备案", BA, 3, 0, "《出口货物劳务增值税和消费税管理办法》第三条", "bank", "", 0, 5, 1, 1, NULL},
    {"swj", "出口退税申报", GF, 0, 0, "《中华人民共和国增值税暂行条例》第二十五条", "invoice", "", 0, 10, 3, 3, NULL},
    {"swj", "增值税留抵退税", GF, 0, 0, "《财政部 税务总局关于进一步加大增值税期末留抵退税政策实施力度的公告》", "", "", 0, 10, 3, 3, NULL},
    {"swj", "纳税信用补评", QR, 0, 0, "《纳税信用管理办法（试行）》第三十二条", "", "", 0, 15, 5, 4, NULL},
    {"swj", "纳税信用复评", QR, 0, 0, "《纳税信用管理办法（试行）》第三十三条", "", "", 0, 15, 5, 0, NULL},
    {"swj", "开具税收完税证明", GG, 4, T_KIOSK, "《税收票证管理办法》第二十二条", "", "", 0, 1, 0, 0, NULL},
    {"swj", "个人所得税专项附加扣除信息报送", GG, 0, T_PERSON | T_KIOSK, "《个人所得税专项附加扣除暂行办法》第二十五条", "", "", 0, 1, 0, 5, NULL},
    {"swj", "个人所得税综合所得汇算清缴退税", GF, 0, T_PERSON, "《中华人民共和国个人所得税法》第十一条", "", "", 0, 10, 3, 5, NULL},
    {"swj", "跨区域涉税事项报告", BA, 0, 0, "《国家税务总局关于创新跨区域涉税事项报验管理制度的通知》", "contract", "", 0, 1, 0, 1, NULL},
    {"swj", "财务会计制度及核算软件备案", BA, 3, 0, "《中华人民共和国税收征收管理法》第二十条", "rules", "", 0, 5, 1, 0, NULL},
    {"swj", "税收优惠资格备案", BA, 0, 0, "《国家税务总局关于公布全文失效废止和部分条款失效废止的税收规范性文件目录的公告》", "audit", "", 0, 5, 1, 0, NULL},
    {"swj", "注销税务登记", QR, 0, 0, "《中华人民共和国税收征收管理法实施细则》第十五条", "tax", "清税证明", 0, 20, 5, 0, NULL},
    /* 人力资源和社会保障局 */
    {"rsj", "社会保险参保登记", QR, 4, T_KIOSK, "《中华人民共和国社会保险法》第五十七条", "", "", 0, 5, 1, 1, NULL},
    {"rsj", "社会保险关系转移接续", GG, 4, T_PERSON | T_KIOSK, "《中华人民共和国社会保险法》第十九条", "social", "", 0, 15, 5, 5, NULL},
    {"rsj", "失业保险金申领", GF, 0, T_PERSON, "《失业保险条例》第十四条", "contract", "", 0, 10, 3, 5, NULL},
    {"rsj", "稳岗返还", GF, 0, 0, "《失业保险条例》；《关于做好失业保险稳岗位提技能防失业工作的通知》", "social", "", 0, 20, 5, 3, NULL},
    {"rsj", "一次性创业补贴申领", GF, 0, T_PERSON, "《辽宁省就业创业补贴资金管理办法》第十条", "social", "", 0, 20, 10, 3, NULL},
    {"rsj", "创业担保贷款申请", GG, 4, 0, "《创业担保贷款实施办法》", "plan", "", 0, 20, 10, 0, NULL},
    {"rsj", "职业技能提升补贴申领", GF, 0, T_PERSON, "《关于失业保险支持参保职工提升职业技能有关问题的通知》", "qualify", "", 0, 20, 5, 5, NULL},
    {"rsj", "就业困难人员认定", QR, 0, T_PERSON, "《中华人民共和国就业促进法》第五十二条", "household", "就业困难人员认定证明", 0, 15, 5, 0, NULL},
    {"rsj", "就业创业证申领", GG, 0, T_PERSON | T_KIOSK, "《就业服务与就业管理规定》第六十三条", "photo", "就业创业证", 0, 5, 0, 5, NULL},
    {"rsj", "高校毕业生就业见习补贴", GF, 0, 0, "《关于实施青年就业见习计划的通知》", "contract", "", 0, 20, 10, 3, NULL},
    {"rsj", "工伤认定", QR, 0, T_PERSON, "《工伤保险条例》第十七条", "contract health", "工伤认定决定书", 0, 60, 30, 0, NULL},
    {"rsj", "劳动能力鉴定", QR, 0, T_PERSON, "《工伤保险条例》第二十三条", "health", "劳动能力鉴定结论书", 0, 60, 40, 0, NULL},
    {"rsj", "企业职工基本养老保险待遇申领", GF, 0, T_PERSON, "《中华人民共和国社会保险法》第十六条", "social", "", 0, 20, 5, 5, NULL},
    {"rsj", "城乡居民养老保险参保登记", QR, 0, T_PERSON | T_KIOSK, "《国务院关于建立统一的城乡居民基本养老保险制度的意见》", "household", "", 0, 5, 0, 5, NULL},
    {"rsj", "社会保障卡申领", GG, 4, T_PERSON | T_KIOSK, "《中华人民共和国社会保险法》第五十八条", "photo", "社会保障卡", 120, 10, 5, 5, NULL},
    {"rsj", "特殊工时工作制审批", XK, 0, T_PROMISE, "《国务院关于职工工作时间的规定》第五条", "rules", "特殊工时工作制批复", 36, 20, 5, 0, NULL},
    {"rsj", "劳动人事争议仲裁申请", QT, 0, T_PERSON, "《中华人民共和国劳动争议调解仲裁法》第二十八条", "contract", "", 0, 5, 5, 0, NULL},
    {"rsj", "职称评审申报", GG, 0, T_PERSON, "《职称评审管理暂行规定》第十九条", "degree qualify", "专业技术资格证书", 0, 60, 30, 0, NULL},
    {"rsj", "人才住房补贴申领", GF, 0, T_PERSON, "《大连市人才安居实施办法》", "degree contract social", "", 0, 20, 10, 5, NULL},
    {"rsj", "外国人来华工作许可", XK, 5, T_PERSON, "《外国人在中国就业管理规定》第八条", "degree contract health", "外国人工作许可证", 12, 10, 5, 0, NULL},
    /* 商务局 */
    {"shwj", "对外贸易经营者备案", BA, 3, 0, "《中华人民共和国对外贸易法》第九条", "", "", 0, 5, 1, 1, NULL},
    {"shwj", "外商投资信息报告", BA, 3, 0, "《中华人民共和国外商投资法》第三十四条", "", "", 0, 5, 1, 1, NULL},
    {"shwj", "单用途商业预付卡备案", BA, 3, 0, "《单用途商业预付卡管理办法（试行）》第七条", "rules", "", 0, 5, 1, 1, NULL},
    {"shwj", "再生资源回收经营者备案", BA, 3, 0, "《再生资源回收管理办法》第七条", "premises", "", 0, 5, 1, 1, NULL},
    {"shwj", "二手车交易市场经营者备案", BA, 3, 0, "《二手车流通管理办法》第十一条", "premises", "", 0, 5, 1, 1, NULL},
    {"shwj", "成品油零售经营资格审批", XK, 1, T_SAFETY, "《成品油市场管理办法》第十条", "premises safety_eval emergency", "成品油零售经营批准证书", 60, 20, 15, 0, NULL},
    {"shwj", "拍卖企业设立审批", XK, 1, T_OPT, "《中华人民共和国拍卖法》第十二条", "premises staff", "拍卖经营批准证书", 0, 20, 10, 0, NULL},
    {"shwj", "外贸发展专项资金申报", GF, 0, 0, "《外经贸发展专项资金管理办法》", "audit", "", 0, 30, 15, 3, NULL},
    {"shwj", "招商引资项目落地服务", GG, 0, 0, "《大连金普新区招商引资优惠政策》", "plan", "", 0, 10, 5, 0, NULL},
    {"shwj", "原产地证书申领", GG, 0, 0, "《中华人民共和国进出口货物原产地条例》第十七条", "invoice", "原产地证书", 12, 3, 1, 1, NULL},
    /* 科技局 */
    {"kjj", "高新技术企业认定申报", QR, 0, 0, "《高新技术企业认定管理办法》第十一条", "rd ip audit degree", "高新技术企业证书", 36, 60, 30, 0, NULL},
    {"kjj", "科技型中小企业评价入库", QR, 0, 0, "《科技型中小企业评价办法》第六条", "rd ip", "科技型中小企业入库登记编号", 12, 20, 10, 1, NULL},
    {"kjj", "技术合同认定登记", QR, 0, 0, "《技术合同认定登记管理办法》第六条", "contract", "技术合同登记证明", 0, 10, 3, 1, NULL},
    {"kjj", "研发费用后补助申领", GF, 0, 0, "《辽宁省企业研发投入后补助实施细则》", "rd audit", "", 0, 30, 15, 3, NULL},
    {"kjj", "科技企业孵化器认定", QR, 0, 0, "《科技企业孵化器管理办法》第七条", "premises rules audit", "科技企业孵化器证书", 36, 60, 30, 0, NULL},
    {"kjj", "众创空间备案", BA, 3, 0, "《国家众创空间备案暂行规定》", "premises rules", "", 0, 10, 5, 1, NULL},
    {"kjj", "新型研发机构备案", BA, 3, 0, "《关于促进新型研发机构发展的指导意见》", "premises staff rd", "", 0, 20, 10, 0, NULL},
    {"kjj", "科技成果转化奖励申报", GF, 0, 0, "《中华人民共和国促进科技成果转化法》第四十四条", "contract ip", "", 0, 30, 15, 3, NULL},
    {"kjj", "外国高端人才确认函", QR, 0, T_PERSON, "《外国人来华工作分类标准（试行）》", "degree contract", "外国高端人才确认函", 12, 10, 5, 0, NULL},
    {"kjj", "科技创新券兑付", GF, 0, 0, "《大连市科技创新券管理办法》", "contract invoice", "", 0, 20, 10, 3, NULL},
    /* 自然资源局 */
    {"zrzyj", "建设项目用地预审与选址意见书", XK, 0, T_OPT, "《中华人民共和国土地管理法》第五十二条；《中华人民共和国城乡规划法》第三十六条", "plan design", "建设项目用地预审与选址意见书", 36, 20, 10, 0, NULL},
    {"zrzyj", "乡村建设规划许可证核发", XK, 0, T_OPT, "《中华人民共和国城乡规划法》第四十一条", "design land", "乡村建设规划许可证", 12, 20, 10, 0, NULL},
    {"zrzyj", "临时用地审批", XK, 5, T_OPT, "《中华人民共和国土地管理法》第五十七条", "plan", "临时用地批复", 24, 20, 10, 0, NULL},
    {"zrzyj", "不动产首次登记", QR, 4, 0, "《不动产登记暂行条例》第十四条", "land", "不动产权证书", 0, 30, 5, 0, "住宅每件80元，非住宅每件550元"},
    {"zrzyj", "不动产转移登记", QR, 4, 0, "《不动产登记暂行条例》第十四条", "contract", "不动产权证书", 0, 30, 3, 0, "住宅每件80元，非住宅每件550元"},
    {"zrzyj", "不动产变更登记", QR, 4, 0, "《不动产登记暂行条例》第十四条", "change_proof", "不动产权证书", 0, 30, 3, 0, NULL},
    {"zrzyj", "不动产抵押登记", QR, 4, 0, "《不动产登记暂行条例》第十四条；《中华人民共和国民法典》第四百零二条", "contract", "不动产登记证明", 0, 30, 1, 0, "每件80元"},
    {"zrzyj", "不动产注销登记", QR, 4, 0, "《不动产登记暂行条例》第十四条", "old_cert", "", 0, 30, 1, 0, NULL},
    {"zrzyj", "不动产登记资料查询", GG, 4, T_KIOSK, "《不动产登记资料查询暂行办法》第四条", "", "", 0, 1, 0, 1, NULL},
    {"zrzyj", "建设工程规划条件核实", QR, 0, 0, "《中华人民共和国城乡规划法》第四十五条", "drawing", "建设工程规划核实合格证", 0, 20, 5, 0, NULL},
    {"zrzyj", "测绘资质审批", XK, 1, T_PROMISE, "《中华人民共和国测绘法》第二十七条", "staff equipment", "测绘资质证书", 60, 20, 5, 0, NULL},
    {"zrzyj", "地质灾害危险性评估备案", BA, 0, T_SAFETY, "《地质灾害防治条例》第二十一条", "plan", "", 0, 10, 5, 0, NULL},
    {"zrzyj", "采矿权延续登记", XK, 0, T_SAFETY, "《矿产资源开采登记管理办法》第七条", "plan safety_eval", "采矿许可证", 60, 40, 20, 0, "按规定收取登记费"},
    /* 住房和城乡建设局 */
    {"zjj", "房屋建筑工程竣工验收备案", BA, 0, 0, "《房屋建筑和市政基础设施工程竣工验收备案管理办法》第四条", "drawing", "竣工验收备案证明", 0, 15, 5, 0, NULL},
    {"zjj", "商品房预售许可", XK, 0, T_OPT, "《中华人民共和国城市房地产管理法》第四十五条", "land contract_land", "商品房预售许可证", 0, 10, 5, 0, NULL},
    {"zjj", "房屋租赁登记备案", BA, 3, T_PERSON | T_KIOSK, "《商品房屋租赁管理办法》第十四条", "contract", "房屋租赁登记备案证明", 0, 3, 0, 5, NULL},
    {"zjj", "房地产开发企业资质核定", XK, 1, T_PROMISE, "《房地产开发企业资质管理规定》第三条", "staff audit", "房地产开发企业资质证书", 36, 20, 5, 0, NULL},
    {"zjj", "物业服务企业备案", BA, 3, 0, "《物业管理条例》第三十二条", "staff", "", 0, 5, 1, 1, NULL},
    {"zjj", "建筑起重机械使用登记", QR, 5, T_SAFETY, "《建设工程安全生产管理条例》第三十五条", "equipment qualify", "建筑起重机械使用登记证明", 0, 7, 5, 0, NULL},
    {"zjj", "施工单位安全生产管理人员考核", QR, 5, T_SAFETY | T_PERSON, "《建设工程安全生产管理条例》第三十六条", "qualify", "安全生产考核合格证书", 36, 20, 10, 0, NULL},
    {"zjj", "建设工程质量监督手续", BA, 0, 0, "《建设工程质量管理条例》第十三条", "drawing", "", 0, 5, 1, 0, NULL},
    {"zjj", "公共租赁住房资格申请", GF, 0, T_PERSON, "《公共租赁住房管理办法》第七条", "household marriage residence", "公共租赁住房资格确认书", 0, 30, 15, 2, NULL},
    {"zjj", "城镇老旧小区改造补助申请", GF, 0, 0, "《国务院办公厅关于全面推进城镇老旧小区改造工作的指导意见》", "plan", "", 0, 30, 15, 0, NULL},
    {"zjj", "二级建造师执业资格注册", XK, 1, T_PERSON, "《注册建造师管理规定》第五条", "qualify contract", "建造师注册证书", 36, 20, 5, 5, NULL},
    /* 公安分局 */
    {"gafj", "居民身份证申领", GG, 0, T_PERSON | T_KIOSK, "《中华人民共和国居民身份证法》第八条", "photo household", "居民身份证", 120, 60, 20, 5, "每证20元"},
    {"gafj", "居住证申领", GG, 0, T_PERSON | T_KIOSK, "《居住证暂行条例》第九条", "photo residence", "居住证", 0, 15, 5, 5, NULL},
    {"gafj", "户口迁入登记", QR, 0, T_PERSON, "《中华人民共和国户口登记条例》第十三条", "household residence", "", 0, 20, 5, 0, NULL},
    {"gafj", "机动车登记", QR, 5, T_PERSON | T_KIOSK, "《中华人民共和国道路交通安全法》第八条", "vehicle invoice", "机动车登记证书", 0, 5, 1, 0, "每辆10元"},
    {"gafj", "旅馆业特种行业许可", XK, 1, T_SAFETY, "《旅馆业治安管理办法》第四条", "premises fire rules", "特种行业许可证", 0, 20, 10, 0, NULL},
    {"gafj", "公章刻制业特种行业许可", XK, 1, T_SAFETY, "《印铸刻字业暂行管理规则》第二条", "premises rules", "特种行业许可证", 0, 20, 10, 0, NULL},
    {"gafj", "大型群众性活动安全许可", XK, 0, T_SAFETY, "《大型群众性活动安全管理条例》第十一条", "plan emergency", "大型群众性活动安全许可决定书", 0, 7, 7, 0, NULL},
    {"gafj", "剧毒化学品购买许可", XK, 0, T_SAFETY, "《危险化学品安全管理条例》第三十九条", "safety_eval", "剧毒化学品购买许可证", 3, 3, 3, 0, NULL},
    {"gafj", "民用爆炸物品购买许可", XK, 0, T_SAFETY, "《民用爆炸物品安全管理条例》第二十一条", "safety_eval", "民用爆炸物品购买许可证", 1, 5, 5, 0, NULL},
    {"gafj", "无犯罪记录证明开具", GG, 0, T_PERSON | T_KIOSK, "《公安机关办理犯罪记录查询工作规定》第三条", "", "无犯罪记录证明", 3, 3, 0, 5, NULL},
    {"gafj", "出入境证件申领", GG, 0, T_PERSON | T_KIOSK, "《中华人民共和国出境入境管理法》第九条", "photo", "普通护照", 120, 7, 7, 0, "每本120元"},
    /* 生态环境分局 */
    {"sthjfj", "建设项目环境影响登记表备案", BA, 0, 0, "《中华人民共和国环境影响评价法》第十六条", "", "", 0, 1, 0, 1, NULL},
    {"sthjfj", "固定污染源排污登记", QR, 3, 0, "《排污许可管理条例》第二十四条", "", "", 0, 1, 0, 1, NULL},
    {"sthjfj", "危险废物经营许可", XK, 1, T_SAFETY, "《危险废物经营许可证管理办法》第二条", "equipment emergency eia", "危险废物经营许可证", 60, 20, 15, 0, NULL},
    {"sthjfj", "辐射安全许可", XK, 1, T_SAFETY, "《放射性同位素与射线装置安全和防护条例》第五条", "equipment staff emergency", "辐射安全许可证", 60, 20, 15, 0, NULL},
    {"sthjfj", "突发环境事件应急预案备案", BA, 3, T_SAFETY, "《突发环境事件应急管理办法》第十三条", "emergency", "", 0, 5, 5, 0, NULL},
    {"sthjfj", "污染防治设施拆除闲置审批", XK, 0, T_SAFETY, "《中华人民共和国环境保护法》第四十一条", "plan", "", 0, 20, 15, 0, NULL},
    /* 卫生健康局 */
    {"wjj", "出生医学证明签发", GG, 0, T_PERSON, "《中华人民共和国母婴保健法》第二十三条", "household", "出生医学证明", 0, 5, 1, 0, NULL},
    {"wjj", "医师执业注册", XK, 1, T_PERSON, "《中华人民共和国医师法》第十三条", "qualify health photo", "医师执业证书", 0, 20, 5, 0, NULL},
    {"wjj", "护士执业注册", XK, 1, T_PERSON, "《护士条例》第七条", "qualify health photo", "护士执业证书", 60, 20, 5, 0, NULL},
    {"wjj", "饮用水供水单位卫生许可", XK, 1, T_SAFETY, "《中华人民共和国传染病防治法》第二十九条", "equipment health", "卫生许可证", 48, 20, 15, 0, NULL},
    {"wjj", "计划生育家庭奖励扶助金申领", GF, 0, T_PERSON, "《中华人民共和国人口与计划生育法》第二十七条", "household", "", 0, 30, 15, 2, NULL},
    {"wjj", "老年人优待证办理", GG, 0, T_PERSON | T_KIOSK, "《中华人民共和国老年人权益保障法》第五十七条", "photo", "老年人优待证", 0, 5, 1, 2, NULL},
    {"wjj", "高龄津贴申领", GF, 0, T_PERSON, "《辽宁省老年人权益保障条例》第三十二条", "household bank", "", 0, 20, 10, 2, NULL},
    {"wjj", "职业病诊断申请", QR, 0, T_PERSON, "《中华人民共和国职业病防治法》第四十六条", "contract health", "职业病诊断证明书", 0, 30, 30, 0, NULL},
    {"wjj", "预防接种证办理", GG, 0, T_PERSON | T_KIOSK, "《中华人民共和国疫苗管理法》第四十七条", "household", "预防接种证", 0, 1, 0, 0, NULL},
    /* 应急管理局 */
    {"yjglj", "危险化学品安全使用许可", XK, 1, T_SAFETY, "《危险化学品安全管理条例》第二十九条", "safety_eval emergency staff", "危险化学品安全使用许可证", 36, 45, 20, 0, NULL},
    {"yjglj", "非药品类易制毒化学品生产备案", BA, 3, T_SAFETY, "《易制毒化学品管理条例》第十三条", "rules", "", 0, 5, 5, 0, NULL},
    {"yjglj", "生产安全事故应急预案备案", BA, 3, T_SAFETY, "《生产安全事故应急预案管理办法》第二十六条", "emergency", "", 0, 5, 5, 0, NULL},
    {"yjglj", "特种作业操作证申领", QR, 5, T_SAFETY | T_PERSON, "《特种作业人员安全技术培训考核管理规定》第三条", "qualify health photo", "特种作业操作证", 72, 20, 10, 0, NULL},
    {"yjglj", "安全生产标准化达标申请", QR, 0, 0, "《企业安全生产标准化建设定级办法》第三条", "rules", "安全生产标准化证书", 36, 30, 15, 0, NULL},
    /* 教育局 */
    {"jyj", "教师资格认定", QR, 0, T_PERSON, "《教师资格条例》第十三条", "degree health photo", "教师资格证书", 0, 30, 15, 5, NULL},
    {"jyj", "民办幼儿园设立审批", XK, 2, T_SAFETY, "《中华人民共和国民办教育促进法》第十二条", "premises fire staff", "民办学校办学许可证", 60, 30, 20, 0, NULL},
    {"jyj", "校外培训机构设立审批", XK, 2, T_OPT, "《中华人民共和国民办教育促进法》第十二条", "premises staff", "民办学校办学许可证", 60, 30, 15, 0, NULL},
    {"jyj", "适龄儿童入学登记", GG, 0, T_PERSON | T_KIOSK, "《中华人民共和国义务教育法》第十二条", "household residence", "", 0, 10, 5, 0, NULL},
    {"jyj", "学生资助申请", GF, 0, T_PERSON, "《学生资助资金管理办法》", "household", "", 0, 30, 15, 0, NULL},
    /* 民政局 */
    {"mzj", "婚姻登记", QR, 0, T_PERSON, "《婚姻登记条例》第四条", "household photo", "结婚证", 0, 1, 0, 0, "每件9元"},
    {"mzj", "社会团体登记", XK, 2, 0, "《社会团体登记管理条例》第九条", "rules staff", "社会团体法人登记证书", 60, 60, 20, 0, NULL},
    {"mzj", "民办非企业单位登记", XK, 2, 0, "《民办非企业单位登记管理暂行条例》第八条", "rules premises", "民办非企业单位登记证书", 60, 30, 15, 0, NULL},
    {"mzj", "养老机构备案", BA, 3, 0, "《养老机构管理办法》第九条", "premises fire", "", 0, 5, 1, 0, NULL},
    {"mzj", "最低生活保障申请", GF, 0, T_PERSON, "《社会救助暂行办法》第十一条", "household bank", "", 0, 30, 20, 0, NULL},
    {"mzj", "临时救助申请", GF, 0, T_PERSON, "《社会救助暂行办法》第四十八条", "household", "", 0, 10, 5, 0, NULL},
    {"mzj", "残疾人两项补贴申领", GF, 0, T_PERSON, "《国务院关于全面建立困难残疾人生活补贴和重度残疾人护理补贴制度的意见》", "household bank", "", 0, 20, 10, 2, NULL},
    {"mzj", "殡葬补贴申领", GF, 0, T_PERSON, "《殡葬管理条例》", "household invoice", "", 0, 10, 5, 5, NULL},
    {"mzj", "地名命名更名审批", XK, 0, 0, "《地名管理条例》第九条", "plan", "", 0, 20, 10, 0, NULL},
    /* 财政局 */
    {"czj", "政府采购供应商登记", BA, 3, 0, "《中华人民共和国政府采购法实施条例》第十七条", "audit tax", "", 0, 5, 1, 1, NULL},
    {"czj", "代理记账机构设立审批", XK, 1, T_PROMISE, "《中华人民共和国会计法》第三十六条；《代理记账管理办法》第三条", "staff premises rules", "代理记账许可证书", 0, 20, 5, 1, NULL},
    {"czj", "财政专项资金拨付申请", GF, 0, 0, "《中华人民共和国预算法》第五十七条", "audit invoice", "", 0, 20, 10, 3, NULL},
    /* 发展和改革局 */
    {"fgj", "企业投资项目备案", BA, 3, 0, "《企业投资项目核准和备案管理条例》第十三条", "plan", "项目备案证明", 24, 5, 1, 1, NULL},
    {"fgj", "固定资产投资项目节能审查", XK, 0, T_OPT, "《固定资产投资项目节能审查办法》第三条", "plan", "节能审查意见", 24, 20, 10, 0, NULL},
    {"fgj", "政府投资项目可行性研究报告审批", XK, 0, T_OPT, "《政府投资条例》第十一条", "plan design", "可行性研究报告批复", 24, 20, 10, 0, NULL},
    {"fgj", "粮食收购资格备案", BA, 3, 0, "《粮食流通管理条例》第九条", "premises equipment", "", 0, 5, 1, 1, NULL},
    {"fgj", "价格认定申请", QR, 0, 0, "《价格认定规定》第五条", "invoice", "价格认定结论书", 0, 7, 5, 0, NULL},
    /* 工业和信息化局 */
    {"gxj", "专精特新中小企业认定申报", QR, 0, 0, "《优质中小企业梯度培育管理暂行办法》第十条", "audit ip rd", "专精特新中小企业证书", 36, 60, 30, 0, NULL},
    {"gxj", "创新型中小企业评价", QR, 0, 0, "《优质中小企业梯度培育管理暂行办法》第八条", "ip", "", 36, 30, 15, 1, NULL},
    {"gxj", "企业技术中心认定", QR, 0, 0, "《企业技术中心认定管理办法》", "rd staff audit", "企业技术中心证书", 36, 60, 30, 0, NULL},
    {"gxj", "工业企业技术改造补助申请", GF, 0, 0, "《辽宁省工业企业技术改造专项资金管理办法》", "plan audit", "", 0, 30, 15, 3, NULL},
    {"gxj", "无线电台执照核发", XK, 5, T_OPT, "《中华人民共和国无线电管理条例》第二十七条", "equipment", "无线电台执照", 60, 20, 10, 0, NULL},
    /* 交通运输局 */
    {"jtj", "道路运输从业人员从业资格证申领", QR, 5, T_PERSON, "《道路运输从业人员管理规定》第九条", "health photo", "道路运输从业资格证", 72, 10, 5, 5, NULL},
    {"jtj", "道路运输车辆年度审验", QR, 0, T_KIOSK, "《道路运输车辆技术管理规定》第二十七条", "vehicle", "", 0, 5, 1, 1, NULL},
    {"jtj", "网络预约出租汽车驾驶员证核发", XK, 5, T_PERSON, "《网络预约出租汽车经营服务管理暂行办法》第十四条", "qualify photo", "网络预约出租汽车驾驶员证", 72, 20, 5, 5, NULL},
    {"jtj", "机动车维修经营备案", BA, 3, 0, "《机动车维修管理规定》第八条", "premises equipment staff", "", 0, 5, 1, 1, NULL},
    {"jtj", "公路超限运输许可", XK, 0, T_SAFETY, "《公路安全保护条例》第三十五条", "vehicle plan", "超限运输车辆通行证", 3, 15, 5, 0, NULL},
    {"jtj", "涉路施工许可", XK, 0, T_SAFETY, "《中华人民共和国公路法》第四十四条", "design site", "涉路施工许可决定书", 0, 20, 10, 0, NULL},
    /* 农业农村局 */
    {"nyj", "农机购置补贴申领", GF, 0, T_PERSON, "《中华人民共和国农业机械化促进法》第二十七条", "invoice vehicle", "", 0, 20, 10, 3, NULL},
    {"nyj", "拖拉机和联合收割机登记", QR, 5, T_PERSON, "《中华人民共和国农业机械化促进法》第二十四条", "vehicle invoice", "拖拉机和联合收割机行驶证", 0, 5, 1, 5, NULL},
    {"nyj", "渔业捕捞许可", XK, 1, T_OPT, "《中华人民共和国渔业法》第二十三条", "vehicle", "渔业捕捞许可证", 60, 20, 10, 0, NULL},
    {"nyj", "水产苗种生产许可", XK, 1, T_PROMISE, "《水产苗种管理办法》第十一条", "premises equipment", "水产苗种生产许可证", 36, 20, 5, 0, NULL},
    {"nyj", "农村宅基地申请审批", XK, 0, T_PERSON, "《中华人民共和国土地管理法》第六十二条", "household land", "农村宅基地批准书", 0, 20, 15, 0, NULL},
    {"nyj", "生猪定点屠宰厂（场）设立审查", XK, 0, T_SAFETY, "《生猪屠宰管理条例》第九条", "premises equipment eia", "生猪定点屠宰证", 0, 20, 15, 0, NULL},
    {"nyj", "耕地地力保护补贴申领", GF, 0, T_PERSON, "《财政部 农业农村部关于实施农业支持保护补贴政策的指导意见》", "land bank", "", 0, 30, 15, 2, NULL},
    /* 文化旅游和体育局 */
    {"wltj", "高危险性体育项目经营许可", XK, 1, T_SAFETY, "《全民健身条例》第三十二条", "premises staff emergency", "高危险性体育项目经营许可证", 60, 30, 15, 0, NULL},
    {"wltj", "文物保护单位建设工程方案审核", XK, 0, T_OPT, "《中华人民共和国文物保护法》第十八条", "design", "", 0, 20, 10, 0, NULL},
    {"wltj", "A级旅游景区评定申请", QR, 0, 0, "《旅游景区质量等级管理办法》第五条", "plan", "", 0, 60, 30, 0, NULL},
    {"wltj", "艺术品经营单位备案", BA, 3, 0, "《艺术品经营管理办法》第五条", "premises", "", 0, 5, 1, 1, NULL},
    {"wltj", "体育赛事活动备案", BA, 0, 0, "《体育赛事活动管理办法》第十四条", "plan emergency", "", 0, 5, 1, 0, NULL},
    /* 住房公积金管理中心 */
    {"gjj", "住房公积金提取", GF, 0, T_PERSON | T_KIOSK, "《住房公积金管理条例》第二十四条", "contract bank", "", 0, 3, 0, 5, NULL},
    {"gjj", "住房公积金个人住房贷款", GG, 0, T_PERSON, "《住房公积金管理条例》第二十六条", "contract marriage household", "", 0, 15, 5, 0, NULL},
    {"gjj", "住房公积金缴存基数调整", QR, 0, 0, "《住房公积金管理条例》第十六条", "", "", 0, 3, 0, 1, NULL},
    {"gjj", "住房公积金缴存证明开具", GG, 4, T_KIOSK, "《住房公积金管理条例》第三条", "", "", 0, 1, 0, 1, NULL},
    /* 营商环境建设局 */
    {"yshjj", "营商环境投诉受理", GG, 4, T_KIOSK, "《优化营商环境条例》第六十二条", "", "", 0, 10, 5, 0, NULL},
    {"yshjj", "政务服务好差评申诉", GG, 0, T_KIOSK, "《国务院办公厅关于建立政务服务“好差评”制度提高政务服务水平的意见》", "", "", 0, 5, 3, 0, NULL},
    {"yshjj", "证明事项告知承诺核查申请", QT, 0, 0, "《国务院办公厅关于全面推行证明事项告知承诺制的指导意见》", "promise", "", 0, 10, 5, 4, NULL},
    /* 统计局 */
    {"tjj", "统计调查项目审批", XK, 0, T_OPT, "《中华人民共和国统计法》第十七条", "plan", "", 0, 20, 10, 0, NULL},
    {"tjj", "统计单位名录库登记", QR, 3, 0, "《全国统计基本单位名录库管理办法》", "", "", 0, 5, 1, 1, NULL},
    /* 水务局 */
    {"swuj", "城镇污水排入排水管网许可", XK, 5, T_SAFETY, "《城镇排水与污水处理条例》第二十一条", "equipment eia", "排水许可证", 60, 20, 15, 0, NULL},
    {"swuj", "河道管理范围内建设项目审批", XK, 0, T_SAFETY, "《中华人民共和国河道管理条例》第十一条", "design plan", "", 0, 20, 15, 0, NULL},
    {"swuj", "供水接入申请", GG, 0, T_KIOSK, "《城市供水条例》第二十一条", "design", "", 0, 10, 3, 0, NULL},
    /* 退役军人事务局 */
    {"tyjrj", "退役军人优待证申领", GG, 0, T_PERSON | T_KIOSK, "《中华人民共和国退役军人保障法》第六十一条", "photo", "退役军人优待证", 0, 10, 5, 5, NULL},
    {"tyjrj", "伤残抚恤关系转移", GF, 0, T_PERSON, "《伤残抚恤管理办法》第二十一条", "household", "", 0, 20, 10, 0, NULL},
    {"tyjrj", "自主就业退役士兵一次性经济补助申领", GF, 0, T_PERSON, "《退役士兵安置条例》第十八条", "bank", "", 0, 20, 10, 5, NULL},
    /* 城市管理综合执法局 */
    {"cgj", "城市生活垃圾经营性清扫收集运输许可", XK, 5, T_OPT, "《城市生活垃圾管理办法》第十七条", "vehicle rules", "城市生活垃圾经营性服务许可证", 36, 20, 10, 0, NULL},
    {"cgj", "临时占用城市绿地审批", XK, 0, T_OPT, "《城市绿化条例》第十九条", "design", "", 0, 20, 5, 0, NULL},
    {"cgj", "砍伐城市树木审批", XK, 0, 0, "《城市绿化条例》第二十条", "plan", "", 0, 20, 5, 0, NULL},
    {"cgj", "城市道路挖掘许可", XK, 0, T_SAFETY, "《城市道路管理条例》第三十三条", "design site", "", 0, 20, 10, 0, "按挖掘面积收取修复费"},
};

/* --- generation ------------------------------------------------------------ */

static uint64_t mix(uint64_t z) {
  z += 0x9E3779B97F4A7C15ull;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

/* code_hash() orders the items when modes are drawn. */
static uint64_t code_hash(const char *code) {
  uint64_t h = 1469598103934665603ull;
  for (const char *p = code; *p; p++) h = (h ^ (unsigned char)*p) * 1099511628211ull;
  return mix(h);
}

static const Mat *mat_find(const char *key, size_t n) {
  for (size_t i = 0; i < XQ_COUNT(pool); i++)
    if (strlen(pool[i].key) == n && strncmp(pool[i].key, key, n) == 0) return &pool[i];
  panic("catalog demo: no material %.*s", (int)n, key);
}

/* drop_mat() removes material key from it, when it has it. */
static void drop_mat(Item *it, const char *key) {
  for (int i = 0; i < it->nMaterial; i++)
    if (strcmp(it->aMaterial[i].key, key) == 0) {
      memmove(&it->aMaterial[i], &it->aMaterial[i + 1], (size_t)(it->nMaterial - i - 1) * sizeof it->aMaterial[0]);
      it->nMaterial--;
      return;
    }
}

static void add_mat(Item *it, const char *key) {
  const Mat *m = mat_find(key, strlen(key));
  for (int i = 0; i < it->nMaterial; i++)
    if (strcmp(it->aMaterial[i].key, m->key) == 0) return;
  if (it->nMaterial >= 8) return;
  Material *x = &it->aMaterial[it->nMaterial++];
  memset(x, 0, sizeof *x);
  snprintf(x->key, sizeof x->key, "%s", m->key);
  snprintf(x->name, sizeof x->name, "%s", m->name);
  x->core = m->core;
  x->may_miss = m->may_miss;
  snprintf(x->form, sizeof x->form, "%s", m->form);
  snprintf(x->source, sizeof x->source, "%s", m->source);
}

/* base_item() fills the fields every demo item shares. */
static void base_item(Item *it, const char *code, const char *dept, const char *name,
                      const char *kind) {
  memset(it, 0, sizeof *it);
  snprintf(it->code, sizeof it->code, "%s", code);
  snprintf(it->dept_code, sizeof it->dept_code, "%s", dept);
  snprintf(it->name, sizeof it->name, "%s", name);
  snprintf(it->kind, sizeof it->kind, "%s", kind);
  snprintf(it->effective_from, sizeof it->effective_from, DEMO_FROM);
  snprintf(it->fees, sizeof it->fees, "不收费");
  it->limit_unit = LIMIT_WORKDAYS;
  it->handling = HANDLING_PROMISE;
  it->ch_window = true;
  it->visits = 1;
  it->rule = xstrdup("");
}

static void default_limits(const char *kind, int *legal, int *promised) {
  if (strcmp(kind, XK) == 0) *legal = 20, *promised = 5;
  else if (strcmp(kind, BA) == 0) *legal = 5, *promised = 1;
  else if (strcmp(kind, GF) == 0) *legal = 30, *promised = 10;
  else *legal = 20, *promised = 3;
}

/* from_tpl() makes the item of template t in variant v (NULL = none). */
/* registration_form() is the form of a registration (设立: the new
** entity's facts, required) or of its change (变更: any of them, optional).
** The entity kind follows from the registration's name. */
static json_t *registration_form(const char *name, bool founding) {
  static const struct { const char *word, *kind; } kinds[] = {
      {"个体工商户", "individual"}, {"个人独资", "sole"}, {"合伙", "partnership"},
      {"合作社", "cooperative"}, {"分公司", "branch"}, {"", "company"}};
  const char *kind = "company";
  for (size_t i = 0; i < XQ_COUNT(kinds); i++)
    if (strstr(name, kinds[i].word)) {
      kind = kinds[i].kind;
      break;
    }
  json_t *industries = json_array();
  for (char c = 'A'; c <= 'T'; c++) json_array_append_new(industries, json_stringn(&c, 1));
  json_t *f = json_array();
  json_array_append_new(f, json_pack("{s:s,s:s,s:s,s:s,s:b,s:i,s:i}", "name", "name", "label", "名称", "label_en",
                                     "Name", "type", "text", "required", founding, "min", 2, "max", 100));
  if (founding)
    json_array_append_new(f, json_pack("{s:s,s:s,s:s,s:s,s:b,s:[s]}", "name", "kind", "label", "主体类型", "label_en",
                                       "Kind", "type", "choice", "required", 1, "choices", kind));
  json_array_append_new(f, json_pack("{s:s,s:s,s:s,s:s,s:b,s:i,s:i}", "name", "legal_rep", "label",
                                     "法定代表人（负责人、经营者）", "label_en", "Legal representative", "type", "text",
                                     "required", founding, "min", 2, "max", 30));
  json_array_append_new(f, json_pack("{s:s,s:s,s:s,s:s,s:i,s:I}", "name", "capital_fen", "label", "注册资本（出资额）",
                                     "label_en", "Registered capital", "type", "money_fen", "min", 0, "max",
                                     (json_int_t)10000000000000LL));
  json_array_append_new(f, json_pack("{s:s,s:s,s:s,s:s,s:b,s:o}", "name", "industry", "label",
                                     "行业门类（GB/T 4754）", "label_en", "Industry section", "type", "choice",
                                     "required", founding, "choices", industries));
  json_array_append_new(f, json_pack("{s:s,s:s,s:s,s:s,s:b,s:i,s:i}", "name", "address", "label", "住所（经营场所）",
                                     "label_en", "Address", "type", "text", "required", founding, "min", 5, "max", 80));
  json_array_append_new(f, json_pack("{s:s,s:s,s:s,s:s,s:i}", "name", "district", "label", "所在街道", "label_en",
                                     "Subdistrict", "type", "text", "max", 20));
  return f;
}

static void from_tpl(Item *it, const Tpl *t, const char *v, int seq) {
  char code[40], name[404], dept_upper[16];
  size_t k;
  for (k = 0; t->dept[k] && k < sizeof dept_upper - 1; k++)
    dept_upper[k] = (char)(t->dept[k] - 'a' + 'A');
  dept_upper[k] = 0;
  snprintf(code, sizeof code, "JP-%s-%04d", dept_upper, seq);
  if (v) snprintf(name, sizeof name, "%s（%s）", t->name, v);
  else snprintf(name, sizeof name, "%s", t->name);
  base_item(it, code, t->dept, name, t->kind);
  bool person = (t->flags & T_PERSON) && !(v && strcmp(v, "单位") == 0);
  if (v && strcmp(v, "个人") == 0) person = true;
  bool cancel = v && strstr(v, "注销"), renew = v && strcmp(v, "延续") == 0;
  bool change = v && strstr(v, "变更"), reissue = v && strcmp(v, "补证") == 0;
  /* 服务对象: a person's item, or a market entity's. A registration is
  ** filed by its founders (a person's registration by that person), its
  ** later steps (变更, 注销 …) by the entity or its operator: either. */
  bool registration = t->variants == 2, founding = registration && v && strcmp(v, "设立") == 0;
  snprintf(it->parties, sizeof it->parties, "%s",
           registration ? (founding ? (person ? "person" : "") : "entity") : person ? "person" : "entity");
  it->safety = (t->flags & T_SAFETY) != 0;
  /* Legal basis and conditions. */
  snprintf(it->legal_basis, sizeof it->legal_basis, "%s%s",
           strcmp(t->kind, XK) == 0 ? "《中华人民共和国行政许可法》第十二条；" : "", t->law);
  Buf c = {0};
  buf_puts(&c, person ? "申请人为具有完全民事行为能力的自然人" : "申请人为依法登记、状态存续的市场主体");
  buf_puts(&c, "；");
  if (cancel) buf_puts(&c, "不再从事相关活动或证件有效期届满未延续，已依法结清相关事项；");
  else if (renew) buf_puts(&c, "在有效期届满30日前提出延续申请，仍符合原许可条件；");
  else if (change) buf_puts(&c, "证件在有效期内，申请变更的事项已实际发生；");
  else if (reissue) buf_puts(&c, "原证件遗失或者损毁，已在“信用中国”或本部门网站声明作废；");
  else if (strcmp(t->kind, XK) == 0) buf_puts(&c, "具备与申请事项相适应的场所、设施设备、专业人员和管理制度；");
  else if (strcmp(t->kind, GF) == 0) buf_puts(&c, "符合相关政策规定的享受条件，未重复享受同类待遇；");
  buf_appendf(&c, "符合%s规定的其他条件；申请材料齐全、符合法定形式。", t->law);
  snprintf(it->conditions, sizeof it->conditions, "%s", c.a);
  buf_free(&c);
  /* Limits. */
  int legal = t->legal, promised = t->promised;
  if (!legal) default_limits(t->kind, &legal, &promised);
  if (cancel || reissue || change) promised = promised > 3 ? 3 : promised;
  it->legal_limit = legal;
  it->promised_limit = promised;
  if ((t->flags & T_HOURS) && !cancel) {
    it->limit_unit = LIMIT_WORKHOURS;
    it->legal_limit = legal * 8;
    it->promised_limit = promised ? 4 : 0;
  }
  if (t->fees) snprintf(it->fees, sizeof it->fees, "%s", cancel ? "不收费" : t->fees);
  it->ch_kiosk = (t->flags & T_KIOSK) != 0;
  /* 证照分离 reform mode and 告知承诺. */
  if (t->flags & T_PROMISE) snprintf(it->reform_mode, sizeof it->reform_mode, "实行告知承诺");
  else if (t->flags & T_OPT) snprintf(it->reform_mode, sizeof it->reform_mode, "优化审批服务");
  else if (t->flags & T_FILING) snprintf(it->reform_mode, sizeof it->reform_mode, "审批改为备案");
  it->allow_rongque = !it->safety;
  it->allow_promise = (t->flags & T_PROMISE) && !it->safety && !cancel;
  it->promise_verify_days = it->allow_promise ? 20 : 0;
  /* Output. */
  /* 变更备案 files facts the licence does not show: no new licence. */
  bool filing_only = registration && v && strcmp(v, "变更备案") == 0 && strcmp(t->output, "营业执照") == 0;
  if (!cancel && !filing_only) {
    snprintf(it->output_kind, sizeof it->output_kind, "%s", t->output);
    it->output_valid_months = t->output[0] ? t->months : 0;
  }
  /* 登记效果: a registration creates, changes or ends the entity; a lost
  ** business licence is issued again. Each asks for the facts it sets. */
  bool market = strcmp(t->output, "营业执照") == 0; /* a market entity's registration */
  if (market && registration && founding) {
    snprintf(it->registry_effect, sizeof it->registry_effect, "register");
    it->form = registration_form(t->name, true);
  } else if (market && registration && change && !filing_only) {
    snprintf(it->registry_effect, sizeof it->registry_effect, "change");
    it->form = registration_form(t->name, false);
  } else if (market && registration && cancel) {
    snprintf(it->registry_effect, sizeof it->registry_effect, "cancel");
  } else if (market && strstr(t->name, "补领")) {
    snprintf(it->registry_effect, sizeof it->registry_effect, "reissue");
  }
  /* Materials: the form, who applies (a founder is the account's own
  ** party), the template's, the variant's, an agent. */
  add_mat(it, "apply");
  if (!founding) add_mat(it, person ? "id_card" : "licence");
  for (const char *p = t->mats; *p;) {
    size_t n = strcspn(p, " ");
    if (n) {
      char key[24];
      snprintf(key, sizeof key, "%.*s", (int)n, p);
      add_mat(it, key);
    }
    p += n;
    while (*p == ' ') p++;
  }
  if (change) add_mat(it, "change_proof");
  if (renew || cancel || reissue) add_mat(it, "old_cert");
  if (it->allow_promise) add_mat(it, "promise");
  add_mat(it, "agent");
}

/* named() makes one of the items other modules rely on. */
static void named(Item *it, const char *code, const char *dept, const char *name,
                  const char *kind, const char *output, int months) {
  base_item(it, code, dept, name, kind);
  snprintf(it->output_kind, sizeof it->output_kind, "%s", output);
  it->output_valid_months = months;
  it->allow_rongque = true;
  it->ch_online = true;
  it->visits = 0;
  add_mat(it, "apply");
  add_mat(it, "licence");
  add_mat(it, "agent");
}

static int named_items(Item *a) {
  int n = 0;
  Item *it;
  /* 企业开办 bundle children: 承诺件, 4 working hours each (0.5 working day). */
  static const struct { const char *code, *dept, *name, *kind, *output, *law; } kb[] = {
      {"JP-KB-01", "scjgj", "企业名称与设立登记", XK, "营业执照",
       "《中华人民共和国市场主体登记管理条例》第三条；《企业名称登记管理规定》第十七条"},
      {"JP-KB-02", "gafj", "印章刻制备案", BA, "", "《国务院关于第一批清理规范89项国务院部门行政审批中介服务事项的决定》"},
      {"JP-KB-03", "swj", "发票申领与税务登记", QR, "", "《中华人民共和国税收征收管理法》第十五条；《中华人民共和国发票管理办法》第十五条"},
      {"JP-KB-04", "rsj", "社会保险登记", QR, "", "《中华人民共和国社会保险法》第五十七条"},
      {"JP-KB-05", "gjj", "住房公积金缴存登记", QR, "", "《住房公积金管理条例》第十四条"},
      {"JP-KB-06", "xzspj", "银行开户预约", GG, "", "《人民币银行结算账户管理办法》第十七条；《优化营商环境条例》第三十三条"},
  };
  for (size_t i = 0; i < XQ_COUNT(kb); i++) {
    it = &a[n++];
    named(it, kb[i].code, kb[i].dept, kb[i].name, kb[i].kind, kb[i].output, 0);
    if (i == 0) snprintf(it->registry_effect, sizeof it->registry_effect, "register"); /* its licence founds the entity */
    snprintf(it->legal_basis, sizeof it->legal_basis, "%s", kb[i].law);
    snprintf(it->conditions, sizeof it->conditions,
             "通过企业开办“一网通办”平台一次提交；申请人为拟设立企业的投资人或其委托的代理人；申请材料齐全、符合法定形式。");
    it->limit_unit = LIMIT_WORKHOURS;
    it->legal_limit = 8 * (i == 0 ? 15 : 5);
    it->promised_limit = 4;
    /* The enterprise does not exist yet: the founder's identity and the
    ** premises are asked for, not a business licence. */
    drop_mat(it, "licence");
    add_mat(it, "id_card");
    add_mat(it, "premises");
  }
  /* 零时限审批: pre-reviewed, issued when the land is acquired. */
  static const struct { const char *code, *dept, *name, *output, *law; } zx[] = {
      {"JP-ZX-01", "zrzyj", "建设用地规划许可证", "建设用地规划许可证", "《中华人民共和国城乡规划法》第三十七条、第三十八条"},
      {"JP-ZX-02", "zrzyj", "建设工程规划许可证", "建设工程规划许可证", "《中华人民共和国城乡规划法》第四十条"},
      {"JP-ZX-03", "zjj", "建筑工程施工许可证", "建筑工程施工许可证", "《中华人民共和国建筑法》第七条、第八条"},
  };
  for (size_t i = 0; i < XQ_COUNT(zx); i++) {
    it = &a[n++];
    named(it, zx[i].code, zx[i].dept, zx[i].name, XK, zx[i].output, 0);
    snprintf(it->legal_basis, sizeof it->legal_basis, "《中华人民共和国行政许可法》第十二条；%s", zx[i].law);
    snprintf(it->conditions, sizeof it->conditions,
             "已取得国有建设用地使用权，经提前预审符合规划条件；实行“拿地即开工”零时限审批；申请材料齐全、符合法定形式。");
    it->legal_limit = 20;
    it->promised_limit = 1;
    it->reform_mode[0] = 0;
    add_mat(it, "contract_land");
    add_mat(it, i == 2 ? "drawing" : "design");
  }
  /* 秒批: an active entity is approved, any other denied. */
  it = &a[n++];
  named(it, "JP-MP-001", "fgj", "企业投资项目备案（秒批）", BA, "项目备案证明", 24);
  snprintf(it->legal_basis, sizeof it->legal_basis, "《企业投资项目核准和备案管理条例》第十三条");
  snprintf(it->conditions, sizeof it->conditions,
           "申请人为状态存续的企业；项目不属于核准目录范围；申请材料齐全、符合法定形式。");
  it->legal_limit = 5;
  it->promised_limit = 1;
  free(it->rule);
  it->rule = xstrdup(rule_templates[0]);
  it->postcheck_pct = 10;
  /* 即办件. */
  it = &a[n++];
  named(it, "JP-JB-001", "swj", "纳税清税证明开具", GG, "清税证明", 0);
  snprintf(it->legal_basis, sizeof it->legal_basis, "《中华人民共和国税收征收管理法实施细则》第十六条");
  snprintf(it->conditions, sizeof it->conditions, "申请人已结清应纳税款、滞纳金和罚款；申请材料齐全、符合法定形式。");
  it->handling = HANDLING_INSTANT;
  it->legal_limit = 20;
  it->promised_limit = 0;
  it->ch_kiosk = true;
  /* 承诺件 with 容缺 and 告知承诺. */
  it = &a[n++];
  named(it, "JP-CN-001", "xzspj", "食品经营许可（告知承诺）", XK, "食品经营许可证", 36);
  snprintf(it->parties, sizeof it->parties, "entity");
  snprintf(it->legal_basis, sizeof it->legal_basis,
           "《中华人民共和国行政许可法》第十二条；《中华人民共和国食品安全法》第三十五条；《食品经营许可和备案管理办法》第六条");
  snprintf(it->conditions, sizeof it->conditions,
           "申请人为依法登记的市场主体，具有与经营的食品品种、数量相适应的经营场所和设备设施；申请材料齐全、符合法定形式。");
  it->legal_limit = 20;
  it->promised_limit = 5;
  it->allow_promise = true;
  it->promise_verify_days = 20;
  snprintf(it->reform_mode, sizeof it->reform_mode, "实行告知承诺");
  add_mat(it, "premises"); /* non-core, may be missing under 容缺 */
  add_mat(it, "promise");
  return n;
}

/* --- the guide (办事指南), themes and keywords ----------------------------- */

/* Where each department receives applicants in the demo: its hall and
** windows in the 政务服务中心, and its consulting line. Demo values (the
** demo pack is documented as demo data), in the shape of the real ones. */
static const struct DemoDesk {
  const char *dept, *place, *window, *phone;
} desks[] = {
    {"xzspj", "大连金普新区政务服务中心 D 区 1 楼", "综合受理 1–12 号窗口", "0411-87612301"},
    {"scjgj", "大连金普新区政务服务中心 A 区 1 楼", "企业开办专区 13–20 号窗口", "0411-87612315"},
    {"swj", "大连金普新区政务服务中心 A 区 2 楼", "税务 21–32 号窗口", "0411-87612366"},
    {"rsj", "大连金普新区政务服务中心 B 区 1 楼", "人社 33–42 号窗口", "0411-87612333"},
    {"shwj", "大连金普新区政务服务中心 D 区 2 楼", "商务 43–44 号窗口", "0411-87612402"},
    {"kjj", "大连金普新区政务服务中心 D 区 2 楼", "科技 45–46 号窗口", "0411-87612405"},
    {"zrzyj", "大连金普新区政务服务中心 B 区 2 楼", "不动产登记 47–58 号窗口", "0411-87612410"},
    {"zjj", "大连金普新区政务服务中心 B 区 2 楼", "工程建设 59–64 号窗口", "0411-87612412"},
    {"gafj", "大连金普新区政务服务中心 C 区 1 楼", "户政、出入境 65–74 号窗口", "0411-87612110"},
    {"sthjfj", "大连金普新区政务服务中心 B 区 2 楼", "生态环境 75 号窗口", "0411-87612369"},
    {"wjj", "大连金普新区政务服务中心 C 区 2 楼", "卫生健康 76–78 号窗口", "0411-87612320"},
    {"yjglj", "大连金普新区政务服务中心 D 区 2 楼", "应急管理 79 号窗口", "0411-87612350"},
    {"jyj", "大连金普新区政务服务中心 C 区 2 楼", "教育 80–81 号窗口", "0411-87612380"},
    {"mzj", "大连金普新区政务服务中心 C 区 2 楼", "民政 82–85 号窗口", "0411-87612345"},
    {"czj", "大连金普新区政务服务中心 D 区 2 楼", "财政 86 号窗口", "0411-87612420"},
    {"fgj", "大连金普新区政务服务中心 B 区 2 楼", "投资项目 87–88 号窗口", "0411-87612430"},
    {"gxj", "大连金普新区政务服务中心 D 区 2 楼", "工信 89 号窗口", "0411-87612435"},
    {"jtj", "大连金普新区政务服务中心 D 区 1 楼", "交通运输 90–92 号窗口", "0411-87612440"},
    {"nyj", "大连金普新区政务服务中心 D 区 1 楼", "农业农村 93–94 号窗口", "0411-87612450"},
    {"wltj", "大连金普新区政务服务中心 D 区 2 楼", "文旅体育 95 号窗口", "0411-87612460"},
    {"gjj", "大连金普新区政务服务中心 B 区 1 楼", "住房公积金 96–101 号窗口", "0411-87612329"},
    {"yshjj", "大连金普新区政务服务中心 D 区 1 楼", "“办不成事”反映窗口", "0411-87612470"},
    {"tjj", "大连金普新区政务服务中心 D 区 2 楼", "统计 102 号窗口", "0411-87612480"},
    {"swuj", "大连金普新区政务服务中心 B 区 2 楼", "水务 103 号窗口", "0411-87612490"},
    {"tyjrj", "大连金普新区政务服务中心 C 区 2 楼", "退役军人 104 号窗口", "0411-87612500"},
    {"cgj", "大连金普新区政务服务中心 D 区 1 楼", "城市管理 105 号窗口", "0411-87612510"},
};

/* Themes by words of the item's name: every row that matches adds its
** theme (at most 3 in all); a department's own theme when none does. */
static const struct { const char *words, *theme; } theme_rules[] = {
    {"企业名称|印章刻制|银行开户|社会保险登记|住房公积金缴存登记", "开办企业"},
    {"建设工程|建设项目|施工|规划|用地|竣工|消防|投资项目|建筑业|河道", "工程建设"},
    {"税|发票", "纳税缴费"},
    {"就业|创业|失业|职业技能|见习|人力资源服务|劳务派遣|工作许可|从业资格|职称|稳岗|人才|执业注册|操作证", "就业创业"},
    {"社会保险|社会保障卡|工伤|劳动能力", "社会保障"},
    {"养老|高龄|老年人", "退休养老"},
    {"身份证|户口|居住证|无犯罪记录|出入境", "户籍办理"},
    {"机动车|驾驶员|道路|出租汽车|公路|车辆|拖拉机", "交通出行"},
    {"医疗|医师|护士|诊|药品|卫生|接种|职业病|母婴", "医疗卫生"},
    {"婚姻|出生|计划生育|母婴", "婚姻生育"},
    {"教师|学校|幼儿园|入学|学生|培训", "教育"},
    {"住房|房屋|商品房|不动产|宅基地|公积金|老旧小区|物业|房地产", "住房"},
    {"残疾", "残疾人服务"},
    {"最低生活保障|救助|殡葬|扶助", "社会救助"},
    {"退役|伤残抚恤", "退役军人"},
    {"科技|高新技术|研发|技术合同|孵化器|众创|专精特新|创新|知识产权|专利|商标", "科技创新"},
    {"农|渔|种子|兽药|生猪|动物防疫|耕地", "农业农村"},
    {"旅游|旅行社|文物|体育|演出|娱乐|艺术品|出版物|上网服务", "文化旅游"},
    {"环境|排污|污染|辐射|危险废物|水土保持|垃圾", "生态环保"},
    {"安全生产|危险化学品|烟花爆竹|特种作业|应急预案|易制毒|爆炸|特种设备|燃气", "安全生产"},
    {"经营", "经营许可"},
};
static const struct { const char *dept, *theme; } dept_themes[] = {
    {"xzspj", "经营许可"}, {"scjgj", "经营许可"}, {"swj", "纳税缴费"},  {"rsj", "就业创业"},
    {"shwj", "经营许可"},  {"kjj", "科技创新"},   {"zrzyj", "工程建设"}, {"zjj", "工程建设"},
    {"gafj", "户籍办理"},  {"sthjfj", "生态环保"}, {"wjj", "医疗卫生"},  {"yjglj", "安全生产"},
    {"jyj", "教育"},       {"mzj", "社会救助"},   {"fgj", "工程建设"},   {"gxj", "科技创新"},
    {"jtj", "交通出行"},   {"nyj", "农业农村"},   {"wltj", "文化旅游"},  {"gjj", "住房"},
    {"swuj", "工程建设"},  {"tyjrj", "退役军人"}, {"cgj", "生态环保"}};

/* Keywords (synonyms people search by), by words of the name: the first
** row that matches. Registrations get theirs from what they do. */
static const struct { const char *words, *keywords; } keyword_rules[] = {
    {"户口", "户口|户籍|落户|迁户口"},
    {"居民身份证", "身份证|办身份证|换身份证|补办身份证"},
    {"居住证", "居住证|暂住证"},
    {"婚姻登记", "结婚|离婚|结婚证|领证"},
    {"住房公积金提取", "公积金|提取公积金|取公积金"},
    {"住房公积金个人住房贷款", "公积金贷款|房贷"},
    {"社会保障卡", "社保卡|医保卡"},
    {"失业保险金", "失业金|失业保险"},
    {"无犯罪记录证明", "无犯罪证明|良民证"},
    {"出生医学证明", "出生证|出生证明"},
    {"食品经营许可", "食品经营许可证|食品许可证|餐饮许可"},
    {"小餐饮", "餐饮许可|小饭店|小吃店"},
    {"机动车登记", "上牌|车辆登记|车牌"},
    {"出入境", "护照|港澳通行证|签注"},
    {"个人所得税综合所得", "个税退税|个税|退税"},
    {"适龄儿童入学", "入学|上学|小学报名"},
    {"教师资格", "教资|教师证"},
    {"最低生活保障", "低保"},
    {"不动产", "房产证|房本|不动产权证书"},
    {"养老保险待遇", "退休|养老金|退休手续"},
    {"发票", "发票|领发票"},
    {"简易注销", "公司注销|简易注销"},
};

/* has_word() is true when name contains one of the "|"-separated words. */
static bool has_word(const char *name, const char *words) {
  for (const char *p = words; *p;) {
    size_t k = strcspn(p, "|");
    char w[64];
    snprintf(w, sizeof w, "%.*s", (int)k, p);
    if (strstr(name, w)) return true;
    if (!p[k]) break;
    p += k + 1;
  }
  return false;
}

/* add_theme() appends theme to it->themes unless there or already 3. */
static void add_theme(Item *it, const char *theme) {
  int n = it->themes[0] ? 1 : 0;
  for (const char *p = it->themes; *p; p++) n += *p == '|';
  if (n >= 3 || has_word(it->themes, theme)) return;
  size_t len = strlen(it->themes);
  snprintf(it->themes + len, sizeof it->themes - len, "%s%s", len ? "|" : "", theme);
}

/* step() appends one step of the process to steps. */
static void step(json_t *steps, const char *name, const char *desc) {
  json_array_append_new(steps, json_pack("{s:s, s:s}", "name", name, "description", desc));
}

/* demo_guide() fills the guide, themes and keywords of a demo item from its
** department, its mode of handling, its name and its registry effect. */
static void demo_guide(Item *it) {
  const struct DemoDesk *d = &desks[0];
  for (size_t i = 0; i < XQ_COUNT(desks); i++)
    if (strcmp(desks[i].dept, it->dept_code) == 0) d = &desks[i];
  json_t *steps = json_array();
  bool output = it->output_kind[0] != 0;
  if (it->rule[0]) {
    step(steps, "网上申请", "登录网上办事大厅，在线填写申请表并提交材料");
    step(steps, "系统自动审批", "系统按审批规则自动核验申请人信息和材料，即时作出决定");
    step(steps, output ? "电子证照" : "结果告知", output ? "审批通过的，即时生成电子证照，可在“我的办件”下载"
                                                          : "审批结果即时推送，可在“我的办件”查看");
  } else if (it->handling == HANDLING_INSTANT) {
    step(steps, "申请", "到窗口、自助终端或在网上办事大厅提交申请材料");
    step(steps, "受理", "窗口工作人员当场核验身份和材料");
    step(steps, "当场办结", output ? "符合条件的当场作出决定并发证" : "符合条件的当场作出决定");
  } else {
    step(steps, "申请", "在网上办事大厅或到窗口提交申请材料");
    step(steps, "受理", "材料齐全、符合法定形式的予以受理，出具受理通知书；不齐全的一次性告知需补正的材料");
    step(steps, "审查", it->allow_promise ? "对申请材料进行审查；选择告知承诺的，以承诺代替部分证明，事后核查"
                                          : "对申请材料进行审查，必要时进行现场核查");
    step(steps, "决定", "在承诺时限内作出准予或不予的书面决定");
    step(steps, "送达", output ? "制发证照，可窗口领取、邮寄送达或下载电子证照" : "决定书可窗口领取、邮寄送达或在网上查看");
  }
  const char *hours = strcmp(it->dept_code, "swj") == 0
                          ? "周一至周五 8:30—17:00（中午不间断，法定节假日除外）"
                          : "周一至周五 8:30—11:30，13:00—17:00（法定节假日除外）";
  json_decref(it->guide);
  it->guide = json_pack("{s:s, s:s, s:s, s:s, s:s, s:o}", "place", d->place, "window", d->window, "hours", hours,
                        "phone", d->phone, "complaint_phone", "12345", "steps", steps);
  /* Themes. */
  it->themes[0] = 0;
  if (strcmp(it->registry_effect, "cancel") == 0 || (strstr(it->name, "注销") &&
      (strcmp(it->dept_code, "scjgj") == 0 || strcmp(it->dept_code, "swj") == 0 || strstr(it->name, "许可"))))
    add_theme(it, "企业注销");
  else if (it->registry_effect[0] || strcmp(it->output_kind, "营业执照") == 0)
    add_theme(it, "开办企业");
  for (size_t i = 0; i < XQ_COUNT(theme_rules); i++)
    if (has_word(it->name, theme_rules[i].words)) add_theme(it, theme_rules[i].theme);
  for (size_t i = 0; !it->themes[0] && i < XQ_COUNT(dept_themes); i++)
    if (strcmp(dept_themes[i].dept, it->dept_code) == 0) add_theme(it, dept_themes[i].theme);
  /* Keywords. */
  const char *kw = "";
  if (strcmp(it->registry_effect, "register") == 0)
    kw = strstr(it->name, "个体工商户") ? "营业执照|执照|个体户|开店|工商注册" : "营业执照|执照|公司注册|注册公司|开公司|工商注册";
  else if (strcmp(it->registry_effect, "change") == 0) kw = "营业执照变更|执照变更|工商变更";
  else if (strcmp(it->registry_effect, "reissue") == 0) kw = "营业执照补办|执照遗失|补办执照";
  else if (strcmp(it->registry_effect, "cancel") == 0)
    kw = strstr(it->name, "个体工商户") ? "个体户注销|工商注销|执照注销" : "公司注销|工商注销|执照注销";
  for (size_t i = 0; !kw[0] && i < XQ_COUNT(keyword_rules); i++)
    if (strstr(it->name, keyword_rules[i].words)) kw = keyword_rules[i].keywords;
  snprintf(it->keywords, sizeof it->keywords, "%s", kw);
}

typedef struct Cand {
  uint64_t key; /* order of drawing */
  int i;        /* index into the item array */
} Cand;

static int cmp_cand(const void *a, const void *b) {
  const Cand *x = a, *y = b;
  return x->key < y->key ? -1 : x->key > y->key ? 1 : x->i - y->i;
}

Item *catalog_demo_items(int *nOut) {
  int cap = 32;
  for (size_t t = 0; t < XQ_COUNT(tpls); t++) {
    const char *vs = variant_sets[tpls[t].variants];
    int nv = 1;
    for (const char *p = vs; *p; p++) nv += *p == '|';
    cap += nv;
  }
  Item *a = xcalloc((size_t)cap, sizeof *a);
  int *rule_of = xcalloc((size_t)cap, sizeof *rule_of);
  bool *instant_ok = xcalloc((size_t)cap, sizeof *instant_ok);
  int n = named_items(a), nNamed = n;
  int seq[64] = {0};
  const char *depts[64] = {0};
  for (size_t t = 0; t < XQ_COUNT(tpls); t++) {
    const Tpl *tp = &tpls[t];
    int d = 0;
    while (depts[d] && strcmp(depts[d], tp->dept) != 0) d++;
    depts[d] = tp->dept;
    const char *vs = variant_sets[tp->variants];
    for (const char *p = vs;;) {
      size_t len = strcspn(p, "|");
      char v[64];
      snprintf(v, sizeof v, "%.*s", (int)len, p);
      from_tpl(&a[n], tp, *vs ? v : NULL, ++seq[d]);
      bool cancel = strstr(v, "注销") != NULL;
      /* A rule only where it can approve: not on safety items, nor on an
      ** item for the other kind of party than the one the rule asks for. */
      const char *rp = tp->rule ? rule_party[tp->rule - 1] : "";
      rule_of[n] = a[n].safety || strcmp(a[n].registry_effect, "register") == 0 ||
                           (rp[0] && a[n].parties[0] && strcmp(rp, a[n].parties) != 0)
                       ? 0
                       : tp->rule; /* nor on a founding: its party is not yet an entity */
      instant_ok[n] = !a[n].safety && a[n].limit_unit == LIMIT_WORKDAYS &&
                      (cancel || strcmp(v, "补证") == 0 || strncmp(v, "变更", 6) == 0 ||
                       strcmp(tp->kind, XK) != 0 || a[n].allow_promise);
      n++;
      if (!p[len]) break;
      p += len + 1;
    }
  }
  /* Counts of the named items. */
  int nAuto = 0, nInstant = 0, nOnline = 0;
  for (int i = 0; i < nNamed; i++) {
    nAuto += a[i].rule[0] != 0;
    nInstant += a[i].handling == HANDLING_INSTANT;
    nOnline += a[i].ch_online;
  }
  Cand *c = xcalloc((size_t)n, sizeof *c);
  int nc = 0;
  /* 秒批: a rule, handled online with no visit, 5% sampled afterwards. */
  for (int i = nNamed; i < n; i++)
    if (rule_of[i]) c[nc++] = (Cand){code_hash(a[i].code), i};
  if (N_AUTO - nAuto > nc) panic("catalog demo: too few 秒批 candidates (%d)", nc);
  qsort(c, (size_t)nc, sizeof *c, cmp_cand);
  for (int k = 0; k < N_AUTO - nAuto; k++) {
    Item *it = &a[c[k].i];
    free(it->rule);
    it->rule = xstrdup(rule_templates[rule_of[c[k].i] - 1]);
    /* The amount rule reads the form's amount: the form asks for it. */
    if (rule_of[c[k].i] == 3)
      it->form = json_pack("[{s:s,s:s,s:s,s:s,s:b,s:i,s:I}]", "name", "amount_fen", "label", "申请金额",
                           "label_en", "Amount applied for", "type", "money_fen", "required", 1, "min", 1, "max",
                           (json_int_t)100000000000LL);
    it->ch_online = true;
    it->visits = 0;
    it->postcheck_pct = 5;
    instant_ok[c[k].i] = false;
    nOnline++;
  }
  /* 即来即办: decided at the window, promised limit 0. Candidates are the
  ** non-safety 注销, 补证 and 变更 sub-items, items that are not licences, and
  ** licences under 告知承诺 (issued on the spot against the promise). */
  nc = 0;
  for (int i = nNamed; i < n; i++)
    if (instant_ok[i]) c[nc++] = (Cand){code_hash(a[i].code) ^ 0x5bd1e995u, i};
  if (N_INSTANT - nInstant > nc) panic("catalog demo: too few 即办 candidates (%d of %d)", nc, n);
  qsort(c, (size_t)nc, sizeof *c, cmp_cand);
  for (int k = 0; k < N_INSTANT - nInstant; k++) {
    Item *it = &a[c[k].i];
    it->handling = HANDLING_INSTANT;
    it->promised_limit = 0;
    it->visits = 1;
  }
  /* 全程网办: the rest of the online quota, safety items last. */
  nc = 0;
  for (int i = nNamed; i < n; i++)
    if (!a[i].ch_online)
      c[nc++] = (Cand){(a[i].safety ? 1ull << 63 : 0) | (code_hash(a[i].code) >> 2), i};
  if (N_ONLINE - nOnline > nc) panic("catalog demo: too few 网办 candidates (%d)", nc);
  qsort(c, (size_t)nc, sizeof *c, cmp_cand);
  for (int k = 0; k < N_ONLINE - nOnline; k++) {
    Item *it = &a[c[k].i];
    it->ch_online = true;
    it->visits = 0;
  }
  free(c);
  free(rule_of);
  free(instant_ok);
  for (int i = 0; i < n; i++) demo_guide(&a[i]);
  *nOut = n;
  return a;
}

int catalog_demo_load(Store *s, int64_t *nWritten, Err *e) {
  int n;
  Item *a = catalog_demo_items(&n);
  unsigned char *refused = xcalloc((size_t)n, 1);
  char (*why)[800] = xcalloc((size_t)n, sizeof *why);
  int rc = 0;
  for (int i = 0; i < n && rc == 0; i++)
    if (catalog_item_check(&a[i], e)) {
      log_error("demo item %s: %s", a[i].code, e->message);
      rc = -1;
    }
  if (rc == 0) rc = catalog_import_items(s, NULL, a, n, false, refused, why, nWritten, e);
  for (int i = 0; rc == 0 && i < n; i++)
    if (refused[i]) {
      rc = err_setf(e, E_INTERNAL, "pack.catalog", NULL, "演示事项写入失败：%s",
                    "A demo item was refused: %s", why[i]);
    }
  for (int i = 0; i < n; i++) catalog_item_free(&a[i]);
  free(a);
  free(refused);
  free(why);
  return rc;
}
