/*
** demo.c — the Jinpu demo pack generator (see demo.h).
**
** The name parts live in the CSV files of data/jinpu/, compiled into the binary
** (scripts/embed). On first use they are parsed into static tables of
** slices that point into the embedded bytes, so generation allocates
** nothing per row. The files are plain CSV without quoting (no field holds
** a comma); a list inside a field is separated by '|'. A malformed file is
** a build defect and panics with its name and line.
**
** Randomness is splitmix64, seeded per row from (seed, stream, row index):
** a row depends only on the seed, its index and (through the uniqueness
** checks) the rows before it. Uniqueness of names, ID numbers and passport
** numbers is kept in an open-addressing set of 64-bit hashes; two
** different strings with the same hash only cost a redraw, so the set never
** lets a duplicate through.
*/
#include "demo.h"
#include "../base/codes.h"

#include <stdlib.h>
#include <string.h>

const char *embedded_get(const char *name, size_t *n);

/* --- tables ---------------------------------------------------------------- */

#define MAX_SURNAMES 512
#define MAX_GIVEN 1024
#define MAX_TRADE 2048
#define MAX_SECTIONS 26
#define MAX_WORDS 64
#define MAX_DISTRICTS 64
#define MAX_ROADS 16
#define MAX_AREAS 128
#define MAX_NATIONS 32
#define MAX_NATION_NAMES 32
#define FIRST_YEAR 1990
#define LAST_YEAR 2026
#define LAST_DAY_OF_LAST_YEAR 304 /* 2026-10-31 is day 304 (1-based) */

/* A slice of the embedded bytes. */
typedef struct Str {
  const char *p; /* first byte, not NUL-terminated */
  size_t n;      /* bytes */
} Str;

/* One GB/T 4754 section and the words names use for it. */
typedef struct Section {
  char letter;             /* 'A'…'T' */
  int nEnt, nInd, nCoop;   /* word counts */
  Str aEnt[MAX_WORDS];     /* words in enterprise names (机械制造) */
  Str aInd[MAX_WORDS];     /* words in individual-business names (饭店) */
  Str aCoop[MAX_WORDS];    /* words in cooperative names (樱桃种植专业合作社) */
} Section;

/* A street or area of the new area. */
typedef struct District {
  Str name;                /* 友谊街道 */
  Str brief;               /* 友谊 (used in branch names) */
  bool rural;              /* farming villages: where cooperatives are */
  int nRoad;
  Str aRoad[MAX_ROADS];
} District;

/* A foreign nationality of demo persons. */
typedef struct Nation {
  char code[4];            /* ISO 3166 alpha-3 */
  Str pattern;             /* passport shape: a letter, 9 digit, * either, else literal */
  int nSur, nGiven;
  Str aSur[MAX_NATION_NAMES];
  Str aGiven[MAX_NATION_NAMES];
} Nation;

/* Every table, filled once by load(). cum* arrays are running sums of
** weights for pick(). */
static struct {
  bool loaded;
  int nSurname;
  Str aSurname[MAX_SURNAMES];
  uint32_t cumSurname[MAX_SURNAMES];
  int nMale, nFemale; /* given-name characters; 'n' ones are in both */
  Str aMale[MAX_GIVEN], aFemale[MAX_GIVEN];
  uint32_t cumMale[MAX_GIVEN], cumFemale[MAX_GIVEN];
  int nTrade;
  Str aTrade[MAX_TRADE];
  int nSection;
  Section aSection[MAX_SECTIONS];
  uint32_t cumEnt[MAX_SECTIONS], cumInd[MAX_SECTIONS], cumCoop[MAX_SECTIONS];
  int nDistrict;
  District aDistrict[MAX_DISTRICTS];
  uint32_t cumDistrict[MAX_DISTRICTS], cumRural[MAX_DISTRICTS];
  int nArea;
  Str aArea[MAX_AREAS];
  uint32_t cumArea[MAX_AREAS];
  int nNation;
  Nation aNation[MAX_NATIONS];
  uint32_t cumNation[MAX_NATIONS];
  uint32_t cumYear[LAST_YEAR - FIRST_YEAR + 1];
} T;

/* --- reading the embedded CSV files --------------------------------------- */

/* A cursor over one embedded file. */
typedef struct Pack {
  const char *file;    /* name under data/, for messages */
  const char *p, *end; /* unread bytes */
  int line;            /* line of the row last returned (1-based) */
} Pack;

/* pack_row() splits the next non-blank line into exactly nf fields.
** Returns false at the end of the file. */
static bool pack_row(Pack *c, Str *f, int nf) {
  for (;;) {
    if (c->p >= c->end) return false;
    const char *eol = memchr(c->p, '\n', (size_t)(c->end - c->p));
    if (!eol) eol = c->end;
    const char *s = c->p, *e = eol;
    c->p = eol < c->end ? eol + 1 : eol;
    c->line++;
    if (e > s && e[-1] == '\r') e--;
    if (e == s) continue;
    int k = 0;
    for (const char *q = s;; q++) {
      if (q < e && *q == '"') panic("demo: %s:%d: quoted fields are not supported", c->file, c->line);
      if (q == e || *q == ',') {
        if (k >= nf) panic("demo: %s:%d: more than %d fields", c->file, c->line, nf);
        f[k].p = s;
        f[k].n = (size_t)(q - s);
        k++;
        s = q + 1;
        if (q == e) break;
      }
    }
    if (k != nf) panic("demo: %s:%d: %d fields, expected %d", c->file, c->line, k, nf);
    return true;
  }
}

/* pack_open() opens an embedded file and skips its header line, which must
** have nf fields. */
static void pack_open(Pack *c, const char *file, int nf) {
  size_t n;
  Str hdr[16];
  c->file = file;
  c->p = embedded_get(file, &n);
  if (!c->p) panic("demo: data/%s is not embedded", file);
  c->end = c->p + n;
  c->line = 0;
  if (!pack_row(c, hdr, nf)) panic("demo: %s is empty", file);
}

static uint32_t pack_uint(const Pack *c, Str s) {
  uint32_t v = 0;
  if (s.n == 0 || s.n > 6) panic("demo: %s:%d: bad number", c->file, c->line);
  for (size_t i = 0; i < s.n; i++) {
    if (s.p[i] < '0' || s.p[i] > '9') panic("demo: %s:%d: bad number", c->file, c->line);
    v = v * 10 + (uint32_t)(s.p[i] - '0');
  }
  return v;
}

/* pack_list() splits a '|'-separated field into at most cap slices. */
static int pack_list(const Pack *c, Str s, Str *out, int cap) {
  int k = 0;
  if (s.n == 0) return 0;
  const char *b = s.p, *e = s.p + s.n;
  for (const char *q = b;; q++) {
    if (q == e || *q == '|') {
      if (k >= cap) panic("demo: %s:%d: more than %d list items", c->file, c->line, cap);
      if (q == b) panic("demo: %s:%d: empty list item", c->file, c->line);
      out[k].p = b;
      out[k].n = (size_t)(q - b);
      k++;
      b = q + 1;
      if (q == e) break;
    }
  }
  return k;
}

/* add_weight() appends weight w to the running sums cum[0..*n). */
static void add_weight(uint32_t *cum, int i, uint32_t w) { cum[i] = (i ? cum[i - 1] : 0) + w; }

/* load() parses every file of the pack into T, once. */
static void load(void) {
  Pack c;
  Str f[8];
  if (T.loaded) return;

  pack_open(&c, "jinpu/surnames.csv", 2);
  while (pack_row(&c, f, 2)) {
    if (T.nSurname >= MAX_SURNAMES) panic("demo: too many surnames");
    T.aSurname[T.nSurname] = f[0];
    add_weight(T.cumSurname, T.nSurname++, pack_uint(&c, f[1]));
  }

  pack_open(&c, "jinpu/given.csv", 3);
  while (pack_row(&c, f, 3)) {
    uint32_t w = pack_uint(&c, f[2]);
    char sex = f[1].n == 1 ? f[1].p[0] : '?';
    if (sex != 'm' && sex != 'f' && sex != 'n') panic("demo: %s:%d: sex is m, f or n", c.file, c.line);
    if (T.nMale >= MAX_GIVEN || T.nFemale >= MAX_GIVEN) panic("demo: too many given-name characters");
    if (sex != 'f') {
      T.aMale[T.nMale] = f[0];
      add_weight(T.cumMale, T.nMale++, w);
    }
    if (sex != 'm') {
      T.aFemale[T.nFemale] = f[0];
      add_weight(T.cumFemale, T.nFemale++, w);
    }
  }

  pack_open(&c, "jinpu/tradenames.csv", 1);
  while (pack_row(&c, f, 1)) {
    if (T.nTrade >= MAX_TRADE) panic("demo: too many trade names");
    if (f[0].n < 2) panic("demo: %s:%d: a trade name has two characters", c.file, c.line);
    T.aTrade[T.nTrade++] = f[0];
  }

  pack_open(&c, "jinpu/industries.csv", 7);
  while (pack_row(&c, f, 7)) {
    if (T.nSection >= MAX_SECTIONS) panic("demo: too many sections");
    Section *s = &T.aSection[T.nSection];
    if (f[0].n != 1 || f[0].p[0] < 'A' || f[0].p[0] > 'T')
      panic("demo: %s:%d: section is a letter A–T", c.file, c.line);
    s->letter = f[0].p[0];
    s->nEnt = pack_list(&c, f[4], s->aEnt, MAX_WORDS);
    s->nInd = pack_list(&c, f[5], s->aInd, MAX_WORDS);
    s->nCoop = pack_list(&c, f[6], s->aCoop, MAX_WORDS);
    uint32_t we = pack_uint(&c, f[2]), wi = pack_uint(&c, f[3]);
    if ((we && !s->nEnt) || (wi && !s->nInd))
      panic("demo: %s:%d: a section with weight needs words", c.file, c.line);
    add_weight(T.cumEnt, T.nSection, we);
    add_weight(T.cumInd, T.nSection, wi);
    add_weight(T.cumCoop, T.nSection, (uint32_t)s->nCoop);
    T.nSection++;
  }

  pack_open(&c, "jinpu/districts.csv", 5);
  while (pack_row(&c, f, 5)) {
    if (T.nDistrict >= MAX_DISTRICTS) panic("demo: too many districts");
    District *d = &T.aDistrict[T.nDistrict];
    d->name = f[0];
    d->brief = f[1];
    d->rural = pack_uint(&c, f[3]) != 0;
    d->nRoad = pack_list(&c, f[4], d->aRoad, MAX_ROADS);
    if (!d->nRoad) panic("demo: %s:%d: a district needs roads", c.file, c.line);
    uint32_t w = pack_uint(&c, f[2]);
    add_weight(T.cumDistrict, T.nDistrict, w);
    add_weight(T.cumRural, T.nDistrict, d->rural ? w : 0);
    T.nDistrict++;
  }

  pack_open(&c, "jinpu/areas.csv", 3);
  while (pack_row(&c, f, 3)) {
    if (T.nArea >= MAX_AREAS) panic("demo: too many areas");
    char area[7], id[19];
    if (f[0].n != 6) panic("demo: %s:%d: an area code has six digits", c.file, c.line);
    memcpy(area, f[0].p, 6);
    area[6] = 0;
    if (codes_id_make(id, area, 1980, 1, 1, 0, true) != 0)
      panic("demo: %s:%d: %s is not an ID area code", c.file, c.line, area);
    T.aArea[T.nArea] = f[0];
    add_weight(T.cumArea, T.nArea++, pack_uint(&c, f[2]));
  }

  pack_open(&c, "jinpu/foreigners.csv", 5);
  while (pack_row(&c, f, 5)) {
    if (T.nNation >= MAX_NATIONS) panic("demo: too many nationalities");
    Nation *nt = &T.aNation[T.nNation];
    if (f[0].n != 3) panic("demo: %s:%d: nationality is alpha-3", c.file, c.line);
    memcpy(nt->code, f[0].p, 3);
    nt->code[3] = 0;
    nt->pattern = f[2];
    if (f[2].n < 5 || f[2].n > 20) panic("demo: %s:%d: passport pattern length", c.file, c.line);
    nt->nSur = pack_list(&c, f[3], nt->aSur, MAX_NATION_NAMES);
    nt->nGiven = pack_list(&c, f[4], nt->aGiven, MAX_NATION_NAMES);
    if (!nt->nSur || !nt->nGiven) panic("demo: %s:%d: names needed", c.file, c.line);
    add_weight(T.cumNation, T.nNation++, pack_uint(&c, f[1]));
  }

  if (!T.nSurname || !T.nMale || !T.nFemale || T.nTrade < 2 || !T.nSection || !T.nDistrict ||
      !T.nArea || !T.nNation || !T.cumEnt[T.nSection - 1] || !T.cumInd[T.nSection - 1] ||
      !T.cumCoop[T.nSection - 1] || !T.cumRural[T.nDistrict - 1])
    panic("demo: the Jinpu pack is incomplete");

  /* Establishment years: each year 13% more new entities than the last,
  ** the last year counted up to the end of October. */
  uint32_t w = 100;
  for (int y = FIRST_YEAR; y <= LAST_YEAR; y++) {
    uint32_t wy = y == LAST_YEAR ? w * 10 / 12 : w;
    add_weight(T.cumYear, y - FIRST_YEAR, wy);
    w = w * 113 / 100;
  }
  T.loaded = true;
}

/* --- randomness ------------------------------------------------------------- */

typedef struct Rng {
  uint64_t s; /* splitmix64 state */
} Rng;

static uint64_t mix64(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
  return z ^ (z >> 31);
}

/* splitmix64 */
static uint64_t rng_next(Rng *r) { return mix64(r->s += 0x9e3779b97f4a7c15u); }

/* rng_below() is uniform in [0, n), n > 0 (multiply-shift of 32 bits). */
static uint32_t rng_below(Rng *r, uint32_t n) {
  return (uint32_t)(((rng_next(r) >> 32) * (uint64_t)n) >> 32);
}

/* rng_row() seeds r for row i of a stream ('E' entities, 'P' persons). */
static void rng_row(Rng *r, uint64_t seed, uint64_t stream, uint64_t i) {
  r->s = mix64(seed ^ mix64(stream)) ^ mix64(i + 0x632be59bd9b4e019u);
}

/* pick() draws an index by the running sums cum[0..n). */
static int pick(Rng *r, const uint32_t *cum, int n) {
  uint32_t x = rng_below(r, cum[n - 1]);
  int lo = 0, hi = n - 1;
  while (lo < hi) {
    int mid = (lo + hi) / 2;
    if (cum[mid] > x) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/* --- the set of names and numbers already used ------------------------------ */

typedef struct Seen {
  uint64_t *a;  /* hashes, 0 = empty slot */
  size_t mask;  /* capacity - 1, a power of two at least twice the rows */
} Seen;

static void seen_init(Seen *s, int n) {
  size_t cap = 1024;
  while (cap < (size_t)n * 2) cap <<= 1;
  s->a = xcalloc(cap, sizeof *s->a);
  s->mask = cap - 1;
}

/* seen_add() records s and returns true, or returns false when s (or a
** string with the same 64-bit hash) was recorded before. */
static bool seen_add(Seen *set, const char *s) {
  uint64_t h = 0xcbf29ce484222325u; /* FNV-1a */
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) h = (h ^ *p) * 0x100000001b3u;
  h = h ? h : 1;
  for (size_t i = mix64(h) & set->mask;; i = (i + 1) & set->mask) {
    if (set->a[i] == h) return false;
    if (!set->a[i]) {
      set->a[i] = h;
      return true;
    }
  }
}

/* --- string building into fixed fields -------------------------------------- */

typedef struct Sb {
  char *a;    /* the field being filled, always NUL-terminated */
  size_t n;   /* bytes used */
  size_t cap; /* size of the field, NUL included */
} Sb;

static void sb_init(Sb *b, char *a, size_t cap) {
  b->a = a;
  b->n = 0;
  b->cap = cap;
  a[0] = 0;
}

/* sb_put() appends a piece whole, or (never with the shipped data) drops it
** when it does not fit, so a field is never cut inside a character. */
static void sb_put(Sb *b, const char *p, size_t n) {
  if (NEVER(b->n + n >= b->cap)) return;
  memcpy(b->a + b->n, p, n);
  b->n += n;
  b->a[b->n] = 0;
}

static void sb_str(Sb *b, Str s) { sb_put(b, s.p, s.n); }
static void sb_cstr(Sb *b, const char *s) { sb_put(b, s, strlen(s)); }

static void sb_uint(Sb *b, uint64_t v) {
  char tmp[24];
  int k = sizeof tmp;
  do {
    tmp[--k] = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  sb_put(b, tmp + k, sizeof tmp - (size_t)k);
}

/* utf8_head() is the first character of s; utf8_tail() the rest. */
static Str utf8_head(Str s) {
  size_t k = 1;
  while (k < s.n && ((unsigned char)s.p[k] & 0xc0) == 0x80) k++;
  return (Str){s.p, k};
}
static Str utf8_tail(Str s) {
  Str h = utf8_head(s);
  return (Str){s.p + h.n, s.n - h.n};
}

/* --- persons ----------------------------------------------------------------- */

/* cname() writes a Chinese name: a surname by frequency and one (18%) or
** two given-name characters of the sex. Sets *surname. */
static void cname(Rng *r, bool male, Sb *b, Str *surname) {
  *surname = T.aSurname[pick(r, T.cumSurname, T.nSurname)];
  sb_str(b, *surname);
  int k = rng_below(r, 100) < 18 ? 1 : 2;
  for (int i = 0; i < k; i++) {
    if (male) sb_str(b, T.aMale[pick(r, T.cumMale, T.nMale)]);
    else sb_str(b, T.aFemale[pick(r, T.cumFemale, T.nFemale)]);
  }
}

/* person_head() starts person i: whether a foreigner, the sex, the name,
** kind and nationality. It leaves r where the numbers are drawn from, so
** person i's name does not depend on the rows before it (which is how
** entity 0 names person 0 as its legal representative). Returns the
** nation index of a foreigner, or -1 for a resident. */
static int person_head(uint64_t seed, int i, Person *p, Rng *r, bool *male) {
  Sb b;
  Str sur;
  memset(p, 0, sizeof *p);
  rng_row(r, seed, 'P', (uint64_t)i);
  bool foreign = rng_below(r, 1000) < 30 && i > 0;
  *male = rng_below(r, 2) == 0;
  sb_init(&b, p->name, sizeof p->name);
  if (!foreign) {
    strcpy(p->id_kind, "id");
    strcpy(p->nationality, "CHN");
    cname(r, *male, &b, &sur);
    return -1;
  }
  int k = pick(r, T.cumNation, T.nNation);
  const Nation *nt = &T.aNation[k];
  strcpy(p->id_kind, "passport");
  memcpy(p->nationality, nt->code, 4);
  sb_str(&b, nt->aSur[rng_below(r, (uint32_t)nt->nSur)]);
  sb_cstr(&b, " ");
  sb_str(&b, nt->aGiven[rng_below(r, (uint32_t)nt->nGiven)]);
  return k;
}

/* resident_id() draws an area, birth date and sequence for an ID number
** not in set. */
static void resident_id(Rng *r, bool male, Seen *set, Person *p) {
  static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  char area[7];
  Str a = T.aArea[pick(r, T.cumArea, T.nArea)];
  memcpy(area, a.p, 6);
  area[6] = 0;
  for (int tries = 0;; tries++) {
    /* Adults born 1941–2008, most around the middle. */
    int y = 1941 + (int)rng_below(r, 34) + (int)rng_below(r, 35);
    int m = 1 + (int)rng_below(r, 12);
    int dim = mdays[m - 1] + (m == 2 && y % 4 == 0 && (y % 100 != 0 || y % 400 == 0));
    int d = 1 + (int)rng_below(r, (uint32_t)dim);
    if (codes_id_make(p->id_number, area, y, m, d, (int)rng_below(r, 500), male) != 0)
      panic("demo: codes_id_make refused %s %d-%d-%d", area, y, m, d);
    if (seen_add(set, p->id_number)) return;
    if (tries > 100000) panic("demo: no free ID number");
  }
}

/* passport_no() fills a passport number of nation nt's shape not in set. */
static void passport_no(Rng *r, const Nation *nt, Seen *set, Person *p) {
  static const char L[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ", LD[] = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789";
  char key[40];
  for (int tries = 0;; tries++) {
    size_t n = nt->pattern.n;
    for (size_t i = 0; i < n; i++) {
      char c = nt->pattern.p[i];
      p->id_number[i] = c == 'a'   ? L[rng_below(r, 26)]
                        : c == '9' ? (char)('0' + rng_below(r, 10))
                        : c == '*' ? LD[rng_below(r, sizeof LD - 1)]
                                   : c;
    }
    p->id_number[n] = 0;
    memcpy(key, p->nationality, 3);
    memcpy(key + 3, p->id_number, n + 1);
    if (seen_add(set, key)) return;
    if (tries > 100000) panic("demo: no free passport number for %s", nt->code);
  }
}

int demo_persons(uint64_t seed, int n, int (*emit)(const Person *p, void *arg), void *arg) {
  Seen set;
  int rc = 0;
  load();
  if (n <= 0) return 0;
  seen_init(&set, n);
  for (int i = 0; i < n; i++) {
    Person p;
    Rng r;
    bool male;
    int k = person_head(seed, i, &p, &r, &male);
    if (k < 0) resident_id(&r, male, &set, &p);
    else passport_no(&r, &T.aNation[k], &set, &p);
    rc = emit(&p, arg);
    if (rc) break;
  }
  free(set.a);
  return rc;
}

/* --- market entities ------------------------------------------------------- */

typedef enum eKind {
  K_INDIVIDUAL, K_COMPANY, K_BRANCH, K_PARTNERSHIP, K_SOLE, K_COOPERATIVE
} eKind;

static const char *const KIND_NAME[] = {"individual", "company", "branch", "partnership", "sole",
                                        "cooperative"};

/* Per mille of each kind; the running sum must end at 1000. */
static const int KIND_PERMILLE[] = {675, 265, 20, 10, 10, 20};

/* A value in 万元 with its weight. */
typedef struct Amount {
  int wan;    /* 万元 (10,000 yuan) */
  int weight; /* relative frequency */
} Amount;

static const Amount CAP_INDIVIDUAL[] = {{1, 20}, {2, 15}, {3, 15}, {5, 20}, {10, 15}, {20, 8}, {30, 4}, {50, 3}};
static const Amount CAP_COMPANY[] = {{10, 10}, {30, 5}, {50, 12}, {100, 25}, {200, 10}, {300, 8},
                                     {500, 12}, {1000, 10}, {2000, 4}, {3000, 2}, {5000, 2}};
static const Amount CAP_JOINT_STOCK[] = {{1000, 40}, {2000, 25}, {3000, 15}, {5000, 20}};
static const Amount CAP_PARTNERSHIP[] = {{100, 30}, {300, 20}, {500, 20}, {1000, 15}, {3000, 10}, {5000, 5}};
static const Amount CAP_SOLE[] = {{3, 20}, {5, 25}, {10, 25}, {30, 15}, {50, 10}, {100, 5}};
static const Amount CAP_COOPERATIVE[] = {{5, 15}, {10, 25}, {50, 25}, {100, 20}, {200, 10}, {500, 5}};

static int64_t amount_fen(Rng *r, const Amount *a, size_t n) {
  int total = 0;
  for (size_t i = 0; i < n; i++) total += a[i].weight;
  int x = (int)rng_below(r, (uint32_t)total);
  for (size_t i = 0; i < n; i++) {
    if (x < a[i].weight) return (int64_t)a[i].wan * 10000 * 100;
    x -= a[i].weight;
  }
  return (int64_t)a[n - 1].wan * 10000 * 100;
}

/* Cities of parent companies of branches. */
static const char *const BRANCH_PARENT_CITY[] = {"大连", "大连", "大连", "大连", "沈阳", "辽宁",
                                                 "北京", "上海", "山东", "青岛", "营口"};

/* trade() draws a 字号: usually a whole trade name, sometimes the first
** character of one and the rest of another; from attempt 32 on (a name
** space nearly used up) two whole trade names together. */
static void trade(Rng *r, int attempt, Sb *b) {
  Str a = T.aTrade[rng_below(r, (uint32_t)T.nTrade)];
  Str c = T.aTrade[rng_below(r, (uint32_t)T.nTrade)];
  if (attempt >= 32) {
    sb_str(b, a);
    sb_str(b, c);
  } else if (rng_below(r, 100) < 70) {
    sb_str(b, a);
  } else {
    sb_str(b, utf8_head(a));
    sb_str(b, utf8_tail(c));
  }
}

static Str word(Rng *r, const Str *a, int n) { return a[rng_below(r, (uint32_t)n)]; }

/* entity_name() draws one candidate name of an entity of kind k in
** section s. */
static void entity_name(Rng *r, eKind k, const Section *s, Str rep_surname, const char *rep,
                        const char *established, const District *d, int attempt, Sb *b) {
  switch (k) {
  case K_INDIVIDUAL: {
    uint32_t x = rng_below(r, 100);
    if (strcmp(established, "2014-03-01") < 0)
      sb_cstr(b, x < 50 ? "金州区" : x < 90 ? "大连经济技术开发区" : "大连保税区");
    else
      sb_cstr(b, x < 80 ? "大连金普新区" : "金州区");
    x = rng_below(r, 100);
    if (attempt >= 32 || x >= 60) { /* 鑫源 */
      trade(r, attempt, b);
    } else if (x < 30) { /* 张记 */
      sb_str(b, rep_surname);
      sb_cstr(b, "记");
    } else if (x < 42) { /* 张氏 */
      sb_str(b, rep_surname);
      sb_cstr(b, "氏");
    } else if (x < 55) { /* the operator's own name */
      sb_cstr(b, rep);
    } else { /* 老张 */
      sb_cstr(b, "老");
      sb_str(b, rep_surname);
    }
    sb_str(b, word(r, s->aInd, s->nInd));
    break;
  }
  case K_COMPANY: {
    uint32_t x = rng_below(r, 100);
    if (x < 6) { /* 字号（大连）行业有限公司, the style of foreign-invested firms */
      trade(r, attempt, b);
      sb_cstr(b, "（大连）");
      sb_str(b, word(r, s->aEnt, s->nEnt));
      sb_cstr(b, "有限公司");
      break;
    }
    sb_cstr(b, x < 10 ? "大连金普新区" : "大连");
    trade(r, attempt, b);
    sb_str(b, word(r, s->aEnt, s->nEnt));
    x = rng_below(r, 100);
    sb_cstr(b, x < 3 ? "股份有限公司" : x < 8 ? "有限责任公司" : "有限公司");
    break;
  }
  case K_BRANCH: {
    const char *city = BRANCH_PARENT_CITY[rng_below(r, XQ_COUNT(BRANCH_PARENT_CITY))];
    sb_cstr(b, city);
    trade(r, attempt, b);
    sb_str(b, word(r, s->aEnt, s->nEnt));
    sb_cstr(b, "有限公司");
    uint32_t x = rng_below(r, 100);
    if (x < 40) sb_cstr(b, strcmp(city, "大连") == 0 ? "金普新区分公司" : "大连金普新区分公司");
    else if (x < 55) sb_cstr(b, "金州分公司");
    else {
      sb_str(b, d->brief);
      sb_cstr(b, "分公司");
    }
    break;
  }
  case K_PARTNERSHIP:
    sb_cstr(b, "大连");
    trade(r, attempt, b);
    sb_str(b, word(r, s->aEnt, s->nEnt));
    sb_cstr(b, rng_below(r, 100) < 70 ? "合伙企业（有限合伙）" : "合伙企业（普通合伙）");
    break;
  case K_SOLE:
    sb_cstr(b, rng_below(r, 100) < 50 ? "大连金普新区" : "大连");
    trade(r, attempt, b);
    sb_str(b, word(r, s->aEnt, s->nEnt));
    sb_cstr(b, s->letter == 'C' ? "厂" : s->letter == 'F' ? "经营部" : "中心");
    break;
  case K_COOPERATIVE:
    sb_cstr(b, rng_below(r, 100) < 60 ? "大连金普新区" : "大连");
    trade(r, attempt, b);
    sb_str(b, word(r, s->aCoop, s->nCoop));
    break;
  }
}

/* established() draws a date from 1990-01-01 to 2026-10-31, each year 13%
** busier than the one before. Writes YYYY-MM-DD; returns the year. */
static int established(Rng *r, char out[11]) {
  static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int y = FIRST_YEAR + pick(r, T.cumYear, LAST_YEAR - FIRST_YEAR + 1);
  bool lp = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
  int days = y == LAST_YEAR ? LAST_DAY_OF_LAST_YEAR : 365 + lp;
  int doy = (int)rng_below(r, (uint32_t)days), m = 0;
  while (doy >= mdays[m] + (m == 1 && lp)) doy -= mdays[m] + (m == 1 && lp), m++;
  Sb b;
  sb_init(&b, out, 11);
  sb_uint(&b, (uint64_t)y);
  sb_cstr(&b, m + 1 < 10 ? "-0" : "-");
  sb_uint(&b, (uint64_t)m + 1);
  sb_cstr(&b, doy + 1 < 10 ? "-0" : "-");
  sb_uint(&b, (uint64_t)doy + 1);
  return y;
}

/* entity_make() fills row i; set holds the names of the rows before it. */
static void entity_make(uint64_t seed, int i, Seen *set, Entity *e) {
  Rng r;
  Sb b;
  Str rep_surname;
  memset(e, 0, sizeof *e);
  rng_row(&r, seed, 'E', (uint64_t)i);

  /* Kind; row 0 is a company. */
  int x = (int)rng_below(&r, 1000), k = 0;
  while (x >= KIND_PERMILLE[k]) x -= KIND_PERMILLE[k++];
  eKind kind = i == 0 ? K_COMPANY : (eKind)k;
  strcpy(e->kind, KIND_NAME[kind]);

  /* Industry section. */
  int si = kind == K_COOPERATIVE  ? pick(&r, T.cumCoop, T.nSection)
           : kind == K_INDIVIDUAL ? pick(&r, T.cumInd, T.nSection)
                                  : pick(&r, T.cumEnt, T.nSection);
  const Section *s = &T.aSection[si];
  e->industry[0] = s->letter;

  /* Legal representative (row 0: person 0). */
  sb_init(&b, e->legal_rep, sizeof e->legal_rep);
  bool male = rng_below(&r, 100) < 65;
  cname(&r, male, &b, &rep_surname);
  if (i == 0) {
    Person p;
    Rng pr;
    bool pm;
    person_head(seed, 0, &p, &pr, &pm);
    strcpy(e->legal_rep, p.name);
    rep_surname = (Str){e->legal_rep, 0};
    for (int j = 0; j < T.nSurname; j++) /* the longest surname it starts with */
      if (T.aSurname[j].n > rep_surname.n && strncmp(p.name, T.aSurname[j].p, T.aSurname[j].n) == 0)
        rep_surname = T.aSurname[j];
  }

  /* Date, place, status, capital. */
  int year = established(&r, e->established);
  bool farm = kind == K_COOPERATIVE || s->letter == 'A';
  const District *d = &T.aDistrict[farm ? pick(&r, T.cumRural, T.nDistrict)
                                        : pick(&r, T.cumDistrict, T.nDistrict)];
  sb_init(&b, e->district, sizeof e->district);
  sb_str(&b, d->name);
  sb_init(&b, e->address, sizeof e->address);
  sb_cstr(&b, "辽宁省大连市金普新区");
  sb_str(&b, d->name);
  sb_str(&b, d->aRoad[rng_below(&r, (uint32_t)d->nRoad)]);
  sb_uint(&b, 1 + rng_below(&r, rng_below(&r, 100) < 70 ? 199 : 999));
  sb_cstr(&b, "号");
  x = (int)rng_below(&r, 1000);
  strcpy(e->status, i == 0 || year >= 2025 || x >= 65 ? "active" : x < 45 ? "cancelled" : "revoked");
  switch (kind) {
  case K_INDIVIDUAL:
    e->capital_fen = rng_below(&r, 100) < 60 ? 0 : amount_fen(&r, CAP_INDIVIDUAL, XQ_COUNT(CAP_INDIVIDUAL));
    break;
  case K_COMPANY: e->capital_fen = amount_fen(&r, CAP_COMPANY, XQ_COUNT(CAP_COMPANY)); break;
  case K_BRANCH: e->capital_fen = 0; break;
  case K_PARTNERSHIP: e->capital_fen = amount_fen(&r, CAP_PARTNERSHIP, XQ_COUNT(CAP_PARTNERSHIP)); break;
  case K_SOLE: e->capital_fen = amount_fen(&r, CAP_SOLE, XQ_COUNT(CAP_SOLE)); break;
  case K_COOPERATIVE: e->capital_fen = amount_fen(&r, CAP_COOPERATIVE, XQ_COUNT(CAP_COOPERATIVE)); break;
  }

  /* USCC: 9 + category, the registering authority, a serial per row. */
  char cat = kind == K_INDIVIDUAL ? '2' : kind == K_COOPERATIVE ? '3' : '1';
  x = (int)rng_below(&r, 100);
  const char *division = x < 85 ? "210213" : (x < 97 || kind != K_COMPANY) ? "210242" : "210200";
  uint64_t serial = mix64(seed ^ 0x5eedu) % 400000000u + (uint64_t)i;
  if (codes_uscc_make(e->uscc, '9', cat, division, serial) != 0) panic("demo: codes_uscc_make refused");

  /* Name, redrawn until no earlier row has it. */
  for (int attempt = 0;; attempt++) {
    sb_init(&b, e->name, sizeof e->name);
    entity_name(&r, kind, s, rep_surname, e->legal_rep, e->established, d, attempt, &b);
    if (seen_add(set, e->name)) break;
    if (attempt > 10000) panic("demo: no free entity name");
  }
  /* 股份有限公司 raise more capital. */
  if (kind == K_COMPANY && strstr(e->name, "股份有限公司"))
    e->capital_fen = amount_fen(&r, CAP_JOINT_STOCK, XQ_COUNT(CAP_JOINT_STOCK));
}

int demo_entities(uint64_t seed, int n, int (*emit)(const Entity *e, void *arg), void *arg) {
  Seen set;
  int rc = 0;
  load();
  if (n <= 0) return 0;
  seen_init(&set, n);
  for (int i = 0; i < n; i++) {
    Entity e;
    entity_make(seed, i, &set, &e);
    rc = emit(&e, arg);
    if (rc) break;
  }
  free(set.a);
  return rc;
}
