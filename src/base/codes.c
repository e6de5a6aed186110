/*
** codes.c — checkers and generators for the Unified Social Credit Code
** (GB 32100-2015, with the organisation code of GB 11714 inside it), the
** citizen identity number (GB 11643-1999) and the shape of a foreigner's
** passport. See codes.h for the contracts. Everything here reads only up
** to the terminating NUL of its inputs and allocates nothing.
*/
#include "codes.h"
#include "base.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

/* The 31 characters a USCC may use, in value order (I O Z S V left out). */
static const char USCC_ALPHA[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
/* Weight of position i (0-based) in the mod-31 check: 3^i mod 31. */
static const int USCC_W[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};
/* GB 11714 weights of the 8 body characters of an organisation code. */
static const int ORG_W[8] = {3, 7, 9, 10, 5, 8, 4, 2};
/* GB 11643 weights (2^(17-i) mod 11) and check characters by sum mod 11. */
static const int ID_W[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
static const char ID_CHECK[] = "10X98765432";

/*
** The GB 32100-2015 table (表1) with its amendments: each registration
** department and the categories it registers. Y (其他) is not divided and
** always uses category 1.
*/
static const CodesUsccCategory USCC_CATS[] = {
  {'1', '1', "机构编制", "institutional establishment", "机关", "government organ"},
  {'1', '2', "机构编制", "institutional establishment", "事业单位", "public institution"},
  {'1', '3', "机构编制", "institutional establishment", "中央编办直接管理机构编制的群众团体",
   "mass organisation whose establishment the central office manages"},
  {'1', '9', "机构编制", "institutional establishment", "其他", "other"},
  {'2', '1', "外交", "foreign affairs", "外国常驻新闻机构", "resident office of a foreign news agency"},
  {'2', '9', "外交", "foreign affairs", "其他", "other"},
  {'3', '1', "司法行政", "judicial administration", "律师执业机构", "law firm"},
  {'3', '2', "司法行政", "judicial administration", "公证处", "notary office"},
  {'3', '3', "司法行政", "judicial administration", "基层法律服务所", "grassroots legal service office"},
  {'3', '4', "司法行政", "judicial administration", "司法鉴定机构", "forensic appraisal institution"},
  {'3', '5', "司法行政", "judicial administration", "仲裁委员会", "arbitration commission"},
  {'3', '9', "司法行政", "judicial administration", "其他", "other"},
  {'4', '1', "文化", "culture", "外国在华文化中心", "foreign cultural centre in China"},
  {'4', '9', "文化", "culture", "其他", "other"},
  {'5', '1', "民政", "civil affairs", "社会团体", "social organisation"},
  {'5', '2', "民政", "civil affairs", "民办非企业单位", "private non-enterprise unit"},
  {'5', '3', "民政", "civil affairs", "基金会", "foundation"},
  {'5', '9', "民政", "civil affairs", "其他", "other"},
  {'6', '1', "旅游", "tourism", "外国旅游部门常驻代表机构",
   "resident office of a foreign tourism authority"},
  {'6', '2', "旅游", "tourism", "港澳台地区旅游部门常驻内地（大陆）代表机构",
   "resident office of a Hong Kong, Macao or Taiwan tourism authority"},
  {'6', '9', "旅游", "tourism", "其他", "other"},
  {'7', '1', "宗教", "religious affairs", "宗教活动场所", "place of religious activity"},
  {'7', '2', "宗教", "religious affairs", "宗教院校", "religious school"},
  {'7', '9', "宗教", "religious affairs", "其他", "other"},
  {'8', '1', "工会", "trade unions", "基层工会", "grassroots trade union"},
  {'8', '9', "工会", "trade unions", "其他", "other"},
  {'9', '1', "工商", "market regulation", "企业", "enterprise"},
  {'9', '2', "工商", "market regulation", "个体工商户", "individual business"},
  {'9', '3', "工商", "market regulation", "农民专业合作社", "farmers' specialised cooperative"},
  {'A', '1', "中央军委改革和编制办公室", "CMC reform and establishment office", "军队事业单位",
   "military public institution"},
  {'A', '9', "中央军委改革和编制办公室", "CMC reform and establishment office", "其他", "other"},
  {'N', '1', "农业", "agriculture", "组级集体经济组织", "group-level collective economic organisation"},
  {'N', '2', "农业", "agriculture", "村级集体经济组织", "village-level collective economic organisation"},
  {'N', '3', "农业", "agriculture", "乡镇级集体经济组织",
   "township-level collective economic organisation"},
  {'N', '9', "农业", "agriculture", "其他", "other"},
  {'Y', '1', "其他", "other", "其他", "other"},
};

/* Province-level codes (first two digits of an ID number's area code). */
static const int ID_PROVINCES[] = {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37,
                                   41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 64,
                                   65, 71, 81, 82, 83, 91, 92, 93, 94, 95, 96};

/* GB/T 2260: the province-level divisions and their names. */
static const struct {
  const char *code, *name;
} PROVINCES[] = {{"11", "北京市"}, {"12", "天津市"}, {"13", "河北省"}, {"14", "山西省"}, {"15", "内蒙古自治区"},
                 {"21", "辽宁省"}, {"22", "吉林省"}, {"23", "黑龙江省"}, {"31", "上海市"}, {"32", "江苏省"},
                 {"33", "浙江省"}, {"34", "安徽省"}, {"35", "福建省"}, {"36", "江西省"}, {"37", "山东省"},
                 {"41", "河南省"}, {"42", "湖北省"}, {"43", "湖南省"}, {"44", "广东省"}, {"45", "广西壮族自治区"},
                 {"46", "海南省"}, {"50", "重庆市"}, {"51", "四川省"}, {"52", "贵州省"}, {"53", "云南省"},
                 {"54", "西藏自治区"}, {"61", "陕西省"}, {"62", "甘肃省"}, {"63", "青海省"}, {"64", "宁夏回族自治区"},
                 {"65", "新疆维吾尔自治区"}, {"71", "台湾省"}, {"81", "香港特别行政区"}, {"82", "澳门特别行政区"}};

const char *codes_province(const char *code) {
  for (size_t i = 0; code && i < XQ_COUNT(PROVINCES); i++)
    if (strcmp(PROVINCES[i].code, code) == 0) return PROVINCES[i].name;
  return NULL;
}

const char *embedded_get(const char *name, size_t *n);

int codes_country(const char *code, char *name, size_t cap) {
  size_t n;
  const char *t = embedded_get("iso/countries.csv", &n);
  if (!t || !code || strlen(code) != 2 || !isupper((unsigned char)code[0]) || !isupper((unsigned char)code[1]))
    return 0;
  /* Lines "XX,名称,Name": a match starts a line with the code and a comma. */
  for (const char *p = t; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
    if (p[0] == code[0] && p[1] == code[1] && p[2] == ',') {
      const char *s = p + 3, *end = strchr(s, ',');
      if (name && cap) snprintf(name, cap, "%.*s", end ? (int)(end - s) : 0, s);
      return 1;
    }
  }
  return 0;
}

int codes_province_find(const char *s, char code[3]) {
  size_t n = s ? strlen(s) : 0;
  for (size_t i = 0; n && i < XQ_COUNT(PROVINCES); i++) {
    const char *name = PROVINCES[i].name;
    /* A short name is a prefix of at least two characters (6 bytes of UTF-8). */
    if (strcmp(PROVINCES[i].code, s) == 0 || strcmp(name, s) == 0 || (n >= 6 && strncmp(name, s, n) == 0)) {
      memcpy(code, PROVINCES[i].code, 3);
      return 1;
    }
  }
  return 0;
}

int codes_country_find(const char *s, char code[3]) {
  size_t n, len = s ? strlen(s) : 0;
  const char *t = embedded_get("iso/countries.csv", &n);
  if (!t || len == 0) return 0;
  if (len == 2 && isalpha((unsigned char)s[0]) && isalpha((unsigned char)s[1])) {
    char up[3] = {(char)toupper((unsigned char)s[0]), (char)toupper((unsigned char)s[1]), 0};
    if (!codes_country(up, NULL, 0)) return 0;
    memcpy(code, up, 3);
    return 1;
  }
  /* Lines "XX,名称,Name": a whole second or third field that is s. */
  for (const char *p = t; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
    const char *a = p + 3, *b = strchr(a, ','), *end = strchr(a, '\n');
    if (!b || (end && b > end)) continue;
    size_t la = (size_t)(b - a), lb = (end ? (size_t)(end - b - 1) : strlen(b + 1));
    if (lb && b[lb] == '\r') lb--;
    if ((la == len && memcmp(a, s, len) == 0) || (lb == len && strncasecmp(b + 1, s, len) == 0)) {
      if (p[2] != ',') return 0;
      code[0] = p[0], code[1] = p[1], code[2] = 0;
      return 1;
    }
  }
  return 0;
}

/* fail() writes the formatted reason (if reason is not NULL) and returns -1. */
static int fail(char *reason, size_t cap, const char *fmt, ...) XQ_PRINTF(3, 4);
static int fail(char *reason, size_t cap, const char *fmt, ...) {
  if (reason && cap > 0) {
    va_list ap;
    va_start(ap, fmt);
    int full = vsnprintf(reason, cap, fmt, ap);
    va_end(ap);
    if (full >= 0 && (size_t)full >= cap) {
      /* Truncated: drop a partial UTF-8 sequence at the end, so the reason
      ** stays well-formed (it may end up in JSON). */
      size_t n = strlen(reason), k = n;
      while (k > 0 && ((unsigned char)reason[k - 1] & 0xc0) == 0x80) k--;
      if (k > 0 && (unsigned char)reason[k - 1] >= 0xc0) {
        unsigned char c = (unsigned char)reason[k - 1];
        size_t want = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
        if (n - (k - 1) < want) reason[k - 1] = 0;
      }
    }
  }
  return -1;
}

/* ok() clears the reason and returns 0. */
static int ok(char *reason, size_t cap) {
  if (reason && cap > 0) reason[0] = 0;
  return 0;
}

/* Value of c in the USCC alphabet, or -1. */
static int uscc_value(unsigned char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'Z') {
    const char *p = strchr(USCC_ALPHA + 10, c);
    return p ? (int)(p - USCC_ALPHA) : -1;
  }
  return -1;
}

/* Value of c in an organisation code body (0-9, A=10 … Z=35), or -1. */
static int org_value(unsigned char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'Z') return c - 'A' + 10;
  return -1;
}

static bool is_digit(unsigned char c) { return c >= '0' && c <= '9'; }
static bool is_lower(unsigned char c) { return c >= 'a' && c <= 'z'; }
static bool is_upper(unsigned char c) { return c >= 'A' && c <= 'Z'; }

/* Length of s for people: code points when s is UTF-8, bytes otherwise. */
static size_t human_len(const char *s, size_t n) {
  return utf8_valid(s, n) ? utf8_len(s) : n;
}

/* describe_at() writes the character at byte offset i of s (length n) for
** a message: itself when printable ASCII or a whole well-formed UTF-8
** sequence, else "\xNN". Returns its 1-based position in characters. */
static size_t describe_at(const char *s, size_t n, size_t i, char out[16]) {
  unsigned char c = (unsigned char)s[i];
  size_t pos = 1;
  for (size_t k = 0; k < i; k++)
    if (((unsigned char)s[k] & 0xc0) != 0x80) pos++;
  size_t len = c < 0x80 ? 1 : c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 0;
  if (c >= 0x21 && c < 0x7f) {
    out[0] = (char)c;
    out[1] = 0;
  } else if (len > 1 && len <= n - i && utf8_valid(s + i, len)) {
    memcpy(out, s + i, len);
    out[len] = 0;
  } else {
    snprintf(out, 16, "\\x%02X", c);
  }
  return pos;
}

const CodesUsccCategory *codes_uscc_category(const char *s) {
  if (!s || !s[0] || !s[1]) return NULL;
  for (size_t i = 0; i < XQ_COUNT(USCC_CATS); i++)
    if (USCC_CATS[i].dept == s[0] && USCC_CATS[i].cat == s[1]) return &USCC_CATS[i];
  return NULL;
}

/* The first row of department dept, or NULL when there is none. */
static const CodesUsccCategory *uscc_dept(char dept) {
  for (size_t i = 0; i < XQ_COUNT(USCC_CATS); i++)
    if (USCC_CATS[i].dept == dept) return &USCC_CATS[i];
  return NULL;
}

char codes_uscc_check_char(const char *s) {
  int sum = 0;
  for (int i = 0; i < 17; i++) {
    int v = uscc_value((unsigned char)s[i]);
    if (v < 0) return 0; /* also stops at the NUL of a short s */
    sum += v * USCC_W[i];
  }
  return USCC_ALPHA[(31 - sum % 31) % 31];
}

char codes_org_check_char(const char *s) {
  int sum = 0;
  for (int i = 0; i < 8; i++) {
    int v = org_value((unsigned char)s[i]);
    if (v < 0) return 0;
    sum += v * ORG_W[i];
  }
  int c = 11 - sum % 11;
  return c == 10 ? 'X' : c == 11 ? '0' : (char)('0' + c);
}

int codes_uscc_check(const char *s, char *reason, size_t cap) {
  char ch[16];
  if (!s || !s[0]) return fail(reason, cap, "统一社会信用代码为空 / the code is empty");
  size_t n = strlen(s);
  if (n != 18)
    return fail(reason, cap, "长度应为18位，实为%zu位 / must be 18 characters, got %zu",
                human_len(s, n), human_len(s, n));
  for (size_t i = 0; i < n; i++)
    if (is_lower((unsigned char)s[i])) {
      size_t pos = describe_at(s, n, i, ch);
      return fail(reason, cap,
                  "第%zu位“%s”为小写字母，请使用大写 / character %zu ('%s') is lower case; use upper case",
                  pos, ch, pos, ch);
    }
  for (size_t i = 0; i < n; i++)
    if (uscc_value((unsigned char)s[i]) < 0) {
      size_t pos = describe_at(s, n, i, ch);
      return fail(reason, cap,
                  "第%zu位字符“%s”不允许（只用数字和除I、O、Z、S、V以外的大写字母） / "
                  "character %zu ('%s') is not allowed (digits and capitals except I, O, Z, S, V)",
                  pos, ch, pos, ch);
    }
  const CodesUsccCategory *dept = uscc_dept(s[0]);
  if (!dept)
    return fail(reason, cap,
                "第1位登记管理部门代码“%c”不存在 / registration department code '%c' (position 1) "
                "does not exist", s[0], s[0]);
  if (!codes_uscc_category(s))
    return fail(reason, cap,
                "第2位机构类别代码“%c”不属于登记管理部门“%s” / category code '%c' (position 2) "
                "is not one of department '%c' (%s)",
                s[1], dept->dept_zh, s[1], s[0], dept->dept_en);
  for (int i = 2; i < 8; i++)
    if (!is_digit((unsigned char)s[i]))
      return fail(reason, cap,
                  "第3–8位登记管理机关行政区划码应为数字，第%d位为“%c” / positions 3–8 "
                  "(administrative division) must be digits, position %d is '%c'",
                  i + 1, s[i], i + 1, s[i]);
  char oc = codes_org_check_char(s + 8);
  if (!ALWAYS(oc)) return fail(reason, cap, "内部错误 / internal error");
  if (s[16] != oc)
    return fail(reason, cap,
                "第9–17位组织机构代码校验错误，第17位应为 %c / embedded organisation code check "
                "fails, position 17 should be %c", oc, oc);
  char cc = codes_uscc_check_char(s);
  if (!ALWAYS(cc)) return fail(reason, cap, "内部错误 / internal error");
  if (s[17] != cc)
    return fail(reason, cap, "校验码错误，应为 %c / check character wrong, expected %c", cc, cc);
  return ok(reason, cap);
}

/* uscc_make() is codes_uscc_make() (scatter true) and
** codes_uscc_make_ordered() (scatter false). */
static int uscc_make(char out[19], char dept, char cat, const char *division6, uint64_t serial,
                     bool scatter) {
  const uint64_t M6 = 887503681; /* 31^6 */
  const char pair[3] = {dept, cat, 0};
  out[0] = 0;
  if (!codes_uscc_category(pair) || !division6) return -1;
  for (int i = 0; i < 6; i++)
    if (!is_digit((unsigned char)division6[i])) return -1;
  if (division6[6]) return -1;
  /* Scattered, lo runs through a permutation of [0, 31^6): 735632797 is
  ** prime to 31. */
  uint64_t lo = scatter ? ((serial % M6) * 735632797u + 402653189u) % M6 : serial % M6;
  uint64_t hi = (21 * 31 + 10 + serial / M6) % (31 * 31); /* 21 'M', 10 'A' */
  out[0] = dept;
  out[1] = cat;
  memcpy(out + 2, division6, 6);
  out[8] = USCC_ALPHA[hi / 31];
  out[9] = USCC_ALPHA[hi % 31];
  for (int i = 15; i >= 10; i--) {
    out[i] = USCC_ALPHA[lo % 31];
    lo /= 31;
  }
  out[16] = codes_org_check_char(out + 8);
  out[17] = codes_uscc_check_char(out);
  out[18] = 0;
  return 0;
}

int codes_uscc_make(char out[19], char dept, char cat, const char *division6, uint64_t serial) {
  return uscc_make(out, dept, cat, division6, serial, true);
}

int codes_uscc_make_ordered(char out[19], char dept, char cat, const char *division6, uint64_t serial) {
  return uscc_make(out, dept, cat, division6, serial, false);
}

/* --- ID numbers ---------------------------------------------------------- */

static bool leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static bool date_real(int y, int m, int d) {
  static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (y < 1 || m < 1 || m > 12 || d < 1) return false;
  return d <= mdays[m - 1] + (m == 2 && leap(y));
}

/* num() reads n digits at s (all known to be digits). */
static int num(const char *s, int n) {
  int v = 0;
  for (int i = 0; i < n; i++) v = v * 10 + (s[i] - '0');
  return v;
}

static bool province_ok(const char *s) {
  int p = num(s, 2);
  for (size_t i = 0; i < XQ_COUNT(ID_PROVINCES); i++)
    if (ID_PROVINCES[i] == p) return true;
  return false;
}

char codes_id_check_char(const char *s) {
  int sum = 0;
  for (int i = 0; i < 17; i++) {
    if (!is_digit((unsigned char)s[i])) return 0;
    sum += (s[i] - '0') * ID_W[i];
  }
  return ID_CHECK[sum % 11];
}

/* today_ymd() turns "YYYY-MM-DD" (or the clock, when today is NULL) into
** YYYYMMDD as an integer; -1 when today is malformed. */
static int today_ymd(const char *today) {
  char buf[11];
  if (!today) today = time_today_cn(buf);
  if (strlen(today) != 10 || today[4] != '-' || today[7] != '-') return -1;
  for (int i = 0; i < 10; i++)
    if (i != 4 && i != 7 && !is_digit((unsigned char)today[i])) return -1;
  return num(today, 4) * 10000 + num(today + 5, 2) * 100 + num(today + 8, 2);
}

int codes_id_check_asof(const char *s, const char *today, char out18[19], char *reason,
                        size_t cap) {
  char id[19], ch[16];
  bool converted = false;
  if (out18) out18[0] = 0;
  if (!s || !s[0]) return fail(reason, cap, "身份证号码为空 / the ID number is empty");
  size_t n = strlen(s);
  if (n == 15) {
    for (size_t i = 0; i < n; i++)
      if (!is_digit((unsigned char)s[i])) {
        size_t pos = describe_at(s, n, i, ch);
        return fail(reason, cap,
                    "15位旧号码应全为数字，第%zu位为“%s” / a 15-digit old number must be all "
                    "digits, character %zu is '%s'", pos, ch, pos, ch);
      }
    memcpy(id, s, 6);
    id[6] = '1';
    id[7] = '9';
    memcpy(id + 8, s + 6, 9);
    id[17] = codes_id_check_char(id);
    id[18] = 0;
    converted = true;
  } else if (n == 18) {
    for (size_t i = 0; i < 17; i++)
      if (!is_digit((unsigned char)s[i])) {
        size_t pos = describe_at(s, n, i, ch);
        return fail(reason, cap,
                    "前17位应为数字，第%zu位为“%s” / the first 17 characters must be digits, "
                    "character %zu is '%s'", pos, ch, pos, ch);
      }
    if (!is_digit((unsigned char)s[17]) && s[17] != 'X' && s[17] != 'x') {
      describe_at(s, n, 17, ch);
      return fail(reason, cap,
                  "第18位校验码应为数字或X，实为“%s” / character 18 (the check) must be a digit "
                  "or X, got '%s'", ch, ch);
    }
    memcpy(id, s, 18);
    if (id[17] == 'x') id[17] = 'X';
    id[18] = 0;
  } else {
    return fail(reason, cap,
                "长度应为18位（旧号码15位），实为%zu位 / must be 18 characters (15 for an old "
                "number), got %zu", human_len(s, n), human_len(s, n));
  }
  if (!province_ok(id))
    return fail(reason, cap,
                "前两位“%.2s”不是省级行政区划代码 / the first two digits '%.2s' are not a "
                "province code", id, id);
  int y = num(id + 6, 4), m = num(id + 10, 2), d = num(id + 12, 2);
  if (!date_real(y, m, d))
    return fail(reason, cap,
                "出生日期“%.8s”不是有效日期 / the birth date '%.8s' is not a real date",
                id + 6, id + 6);
  int t = today_ymd(today);
  if (t < 0) return fail(reason, cap, "内部错误：today 格式应为YYYY-MM-DD / internal: bad today");
  if (y * 10000 + m * 100 + d > t)
    return fail(reason, cap,
                "出生日期“%.8s”晚于今天 / the birth date '%.8s' is in the future", id + 6, id + 6);
  char c = codes_id_check_char(id);
  if (!converted && id[17] != c)
    return fail(reason, cap, "校验码错误，应为 %c / check character wrong, expected %c", c, c);
  if (out18) memcpy(out18, id, 19);
  return ok(reason, cap);
}

int codes_id_check(const char *s, char out18[19], char *reason, size_t cap) {
  return codes_id_check_asof(s, NULL, out18, reason, cap);
}

char *codes_id_birth(const char *id18, char out[11]) {
  if (!id18 || strnlen(id18, 19) != 18) return NULL;
  for (int i = 6; i < 14; i++)
    if (!is_digit((unsigned char)id18[i])) return NULL;
  memcpy(out, id18 + 6, 4);
  out[4] = '-';
  memcpy(out + 5, id18 + 10, 2);
  out[7] = '-';
  memcpy(out + 8, id18 + 12, 2);
  out[10] = 0;
  return out;
}

int codes_id_male(const char *id18) {
  if (!id18 || strnlen(id18, 19) != 18 || !is_digit((unsigned char)id18[16])) return -1;
  return (id18[16] - '0') % 2;
}

int codes_id_make(char out[19], const char *area6, int y, int m, int d, int seq, bool male) {
  out[0] = 0;
  if (!area6 || strnlen(area6, 7) != 6) return -1;
  for (int i = 0; i < 6; i++)
    if (!is_digit((unsigned char)area6[i])) return -1;
  if (!province_ok(area6) || y > 9999 || !date_real(y, m, d) || seq < 0 ||
      seq > 499)
    return -1;
  char tmp[32];
  snprintf(tmp, sizeof tmp, "%.6s%04d%02d%02d%03d", area6, y, m, d, seq * 2 + (male ? 1 : 0));
  memcpy(out, tmp, 17);
  out[17] = codes_id_check_char(out);
  out[18] = 0;
  return 0;
}

/* --- passports ----------------------------------------------------------- */

int codes_passport_check(const char *number, const char *nationality, char *reason, size_t cap) {
  char ch[16];
  if (!number || !number[0]) return fail(reason, cap, "护照号码为空 / the passport number is empty");
  size_t n = strlen(number);
  if (n < 5 || n > 20)
    return fail(reason, cap, "护照号码应为5–20位，实为%zu位 / a passport number has 5–20 "
                "characters, got %zu", human_len(number, n), human_len(number, n));
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)number[i];
    if (is_lower(c)) {
      size_t pos = describe_at(number, n, i, ch);
      return fail(reason, cap,
                  "护照号码第%zu位“%s”为小写字母，请使用大写 / character %zu ('%s') of the "
                  "passport number is lower case; use upper case", pos, ch, pos, ch);
    }
    if (!is_upper(c) && !is_digit(c)) {
      size_t pos = describe_at(number, n, i, ch);
      return fail(reason, cap,
                  "护照号码只能含字母和数字，第%zu位为“%s” / a passport number has only letters "
                  "and digits, character %zu is '%s'", pos, ch, pos, ch);
    }
  }
  if (!nationality || !nationality[0])
    return fail(reason, cap, "国籍为空 / the nationality is empty");
  size_t k = strlen(nationality);
  bool letters = k == 3, some_lower = false;
  for (size_t i = 0; letters && i < 3; i++) {
    unsigned char c = (unsigned char)nationality[i];
    letters = is_upper(c) || is_lower(c);
    some_lower |= is_lower(c);
  }
  if (letters && some_lower) /* three ASCII letters, so safe to echo */
    return fail(reason, cap, "国籍代码“%s”请使用大写 / nationality code '%s' must be upper case",
                nationality, nationality);
  if (k != 3 || !is_upper((unsigned char)nationality[0]) ||
      !is_upper((unsigned char)nationality[1]) || !is_upper((unsigned char)nationality[2]))
    return fail(reason, cap,
                "国籍应为ISO 3166三位字母代码（如JPN） / nationality must be an ISO 3166 alpha-3 "
                "code (e.g. JPN)");
  if (strcmp(nationality, "CHN") == 0)
    return fail(reason, cap,
                "中国公民请使用居民身份证号码 / a Chinese citizen is identified by the ID number");
  if (strcmp(nationality, "HKG") == 0 || strcmp(nationality, "MAC") == 0 ||
      strcmp(nationality, "TWN") == 0)
    return fail(reason, cap,
                "港澳台居民请使用往来内地通行证或居住证 / residents of Hong Kong, Macao and "
                "Taiwan use their travel permit or residence permit");
  return ok(reason, cap);
}

void codes_party_mask(const char *party, char out[40]) {
  size_t n = strlen(party), keep_head = n >= 12 ? 6 : 2, keep_tail = n >= 12 ? 4 : 2;
  if (codes_uscc_check(party, NULL, 0) == 0 || n >= 40) {
    snprintf(out, 40, "%s", n >= 40 ? "" : party);
    return;
  }
  for (size_t i = 0; i < n; i++)
    out[i] = n <= keep_head + keep_tail || (i >= keep_head && i < n - keep_tail) ? '*' : party[i];
  out[n] = 0;
}
