/*
** rules.c — the Lua 5.4 rule sandbox (see rules.h for the contract).
**
** One lua_State per thread, made on first use and closed when the thread
** exits. It holds:
**   - `base`, a table of the allowed globals (safe base functions, the
**     decision functions, and read-only proxies of string, table, math,
**     utf8 and coroutine). Rules never get `base` itself: each evaluation
**     gets a new empty environment table whose metatable (shared, locked
**     with __metatable = false) has __index = base. Writes land in that
**     environment and die with it.
**   - a cache of compiled chunks, CACHE_SLOTS slots indexed by a hash of
**     the source (the source is kept and compared, so a collision only
**     costs a recompile). A chunk is compiled as "local _ENV=...;" followed
**     by the rule on the same line, so every call gets its environment as
**     an argument and no upvalue is shared between evaluations.
**
** Limits, all enforced only while an evaluation runs:
**   - instructions: a count hook every HOOK_EVERY VM instructions, in the
**     main thread and (inherited, and set again by our coroutine.create) in
**     every coroutine. Once over RULES_MAX_INSTRUCTIONS the hook fires on
**     every instruction of the thread it runs in and of the main thread,
**     and coroutine.create/wrap/resume refuse, so a rule that catches the
**     error with pcall cannot go on: the next instruction outside the pcall
**     raises it again. The result is rule.instructions whatever the rule
**     returned afterwards.
**   - time: the same hook (and every charge below) reads the monotonic
**     clock; past RULES_MAX_WALL_MS since the evaluation began it raises
**     the time-limit error, sticky in the same way (rule.timeout). Some
**     single instructions are slow (comparing two long strings with
**     embedded zeros calls strcoll() once per zero), so the instruction
**     budget alone lets a rule run for seconds; the clock is read every
**     HOOK_EVERY instructions, so a rule may overrun by what that many of
**     its instructions take.
**   - C functions that loop without running VM instructions (pattern
**     matching, string.rep, table.insert/remove/move/unpack/concat/sort,
**     string.byte, utf8 scans) are wrapped and charge the instruction budget
**     with an estimate of their work before they run.
**   - memory: the allocator counts what the state holds; an evaluation may
**     grow it by RULES_MAX_MEMORY, may allocate RULES_MAX_ALLOC_VOLUME in
**     total (so copying big strings in a loop ends), and the rule may not
**     make a string longer than RULES_MAX_STRING. Over any of these the
**     allocator refuses every further growth of this evaluation, which Lua
**     turns into a memory error; the state stays usable.
**   - finalizers: setmetatable refuses a metatable with __gc, so no rule
**     code can run after its own evaluation.
*/
#include "rules.h"
#include "../base/buf.h"
#include "../base/cal.h"

#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HOOK_EVERY 1000               /* VM instructions between hook calls */
#define CACHE_SLOTS 256               /* compiled chunks kept per thread (power of 2) */
#define CACHE_WAYS 4                  /* a chunk may sit in any of the 4 slots from its hash's */
#define SMALL_STEP 16                 /* size classes of small blocks (rules_alloc()), */
#define SMALL_CLASSES 256             /* so blocks up to 4 KiB are small */
#define SLAB_BYTES (64u << 10)        /* small blocks are carved from slabs of this size */
#define MEMO_SLOTS 64                 /* rule texts remembered by address (power of 2) */
#define MAX_REASONS 64                /* reasons in one decision */
#define MAX_REASON_BYTES 2048         /* bytes of one reason */
#define MAX_OUTPUTS 32                /* named outputs of one evaluation */
#define MAX_OUTPUT_CELLS 1024         /* values in all outputs together */
#define MAX_OUTPUT_STRING 256         /* bytes of a string in an output or a condition's figure */
#define MAX_CONDITIONS 64             /* conditions one evaluation reports */
#define MAX_CONDITION_NAME 400        /* bytes of a condition's name */
#define CHUNK_PREFIX "local _ENV=...;"

/* Which limit stopped the evaluation (Rules.eLimit). */
enum { LIMIT_NONE = 0, LIMIT_INSTRUCTIONS, LIMIT_TIME };

/* Why the allocator refused (Rules.eMem). */
enum { MEM_NONE = 0, MEM_LIMIT, MEM_VOLUME, MEM_STRING };

/* What the protected evaluation was doing (Rules.ePhase), to name a failure. */
enum { PHASE_COMPILE = 1, PHASE_FACTS, PHASE_RUN };

/* Kinds of guarded C functions (the second upvalue of l_guard). */
enum {
  G_REP = 1, G_FIND, G_MATCH, G_GMATCH, G_GSUB, G_BYTE, G_UTF8_SCAN,
  G_TINSERT, G_TREMOVE, G_TMOVE, G_TUNPACK, G_TCONCAT, G_TSORT, G_CO_CREATE, G_CO_CHECK,
  G_SETMETATABLE, G_XPCALL
};

/* One slot of the chunk cache; its function is cache_table[slot + 1]. */
typedef struct Chunk {
  uint64_t hash; /* hash of the source */
  size_t n;      /* source length */
  char *src;     /* copy of the source (malloc), NULL when the slot is empty */
  uint64_t used; /* Rules.gen when it was last used: the oldest of its set goes first */
} Chunk;

/* A slab of small blocks (rules_alloc()); the blocks follow the header. */
typedef struct Slab {
  struct Slab *next;             /* the thread's previous slab */
  _Alignas(16) char blocks[];    /* SLAB_BYTES - sizeof(Slab) bytes */
} Slab;

/* The per-thread sandbox. */
typedef struct Rules {
  lua_State *L;          /* the thread's Lua state; evaluations run on its main thread */
  bool enforce;          /* limits apply (only inside an evaluation) */
  size_t used;           /* bytes the state holds now */
  size_t limit;          /* used may not grow past this while enforcing */
  size_t volume;         /* bytes allocated during this evaluation */
  size_t string_max;     /* longest string the rule may create (SIZE_MAX before it runs) */
  int eMem;              /* MEM_*: why an allocation was refused, sticky per evaluation */
  int eLimit;            /* LIMIT_*: the instruction or time limit was reached, sticky per evaluation */
  int64_t instructions;  /* instructions counted (hook granularity) plus charges */
  int64_t deadline;      /* mono_ms() past which the evaluation is over time */
  int ePhase;            /* PHASE_* of the running evaluation */
  eVerdict decided;      /* 0, or what approve/deny/manual decided */
  json_t *decided_reasons; /* the reasons given with it (owned) */
  json_t *outputs;       /* {name: value} set by output() (owned) */
  RuleCondition conds[MAX_CONDITIONS]; /* reported by condition(); their strings are offsets into
                            text until finish() hands them over (text may move as it grows) */
  int nConds;
  Buf text;              /* the conditions' strings, this evaluation's */
  int cells;             /* values in outputs so far (MAX_OUTPUT_CELLS) */
  bool conflict;         /* a second decision was attempted */
  char bad[256];         /* "中文 / English" when the decision arguments were malformed */
  char syntax[400];      /* the compiler's message of a failed compile */
  int ref_base;          /* registry refs: the base table, */
  int ref_envmt;         /* the environment metatable, */
  int ref_cache;         /* the table of compiled chunks by slot */
  int ref_factsmt;       /* the metatable of facts views */
  int ref_shared;        /* rules_eval_shared(): the prelude's helpers [1..nShared], its facts view at [0] */
  int nShared;           /* how many helpers the prelude shared (-1: it has not shared them) */
  Buf prefix;            /* "local _ENV, NAME, … = ...;": the prelude's helpers as a rule's locals */
  uint64_t gen;          /* evaluation counter: a facts view is valid only in its own */
  int64_t compiles;      /* chunks compiled (rules_compiles()) */
  size_t baseline;       /* used right after the state was set up */
  struct {
    const char *src;     /* a caller's address of a rule text seen lately */
    int slot;            /* the cache slot that text was found in */
  } memo[MEMO_SLOTS];    /* by address (chunk()) */
  Chunk cache[CACHE_SLOTS];
  void *free_list[SMALL_CLASSES]; /* free small blocks by class, linked through their first bytes */
  Slab *slabs;           /* every slab of small blocks (freed with the state) */
  char *carve;           /* the next unused byte of the newest slab */
  size_t carve_left;     /* bytes unused in it */
} Rules;

static _Thread_local Rules *tls;
static int l_fact_index(lua_State *L);
static int l_fact_len(lua_State *L);
static int l_fact_pairs(lua_State *L);
static int l_fact_readonly(lua_State *L);
static pthread_key_t tls_key;
static pthread_once_t tls_once = PTHREAD_ONCE_INIT;
static const char SENTINEL = 0; /* its address is the error value of a decision */

/* Allocation --------------------------------------------------------------- */

/* Small blocks. Most of what a rule allocates is small and short-lived
** (strings of its messages, closures, little tables), and malloc's own
** bookkeeping was a fifth of an evaluation's time. Blocks of at most
** SMALL_MAX bytes are carved from SLAB_BYTES slabs in SMALL_STEP classes and
** kept on the thread's free lists for reuse; Lua passes a block's size when
** it frees or resizes it, so the class is known without a header. Slabs are
** freed when the state closes; what the lists hold is bounded by the peak
** an evaluation may reach (RULES_MAX_MEMORY). The sanitizer build uses
** malloc for every block, so that its checks see each one. */
#if defined(__SANITIZE_ADDRESS__)
#define SMALL_MAX 0
#else
#define SMALL_MAX (SMALL_CLASSES * SMALL_STEP)
#endif

/* small_get() is a block for n (1..SMALL_MAX) bytes: off its class's list,
** or carved from the current slab (a new one when it is used up; out of
** memory panics, as xmalloc does). */
static void *small_get(Rules *R, size_t n) {
  size_t k = (n - 1) / SMALL_STEP, size = (k + 1) * SMALL_STEP;
  void *p = R->free_list[k];
  if (p) {
    memcpy(&R->free_list[k], p, sizeof p);
    return p;
  }
  if (R->carve_left < size) {
    Slab *slab = xmalloc(SLAB_BYTES);
    slab->next = R->slabs;
    R->slabs = slab;
    R->carve = (char *)slab + sizeof(Slab);
    R->carve_left = SLAB_BYTES - sizeof(Slab);
  }
  p = R->carve;
  R->carve += size;
  R->carve_left -= size;
  return p;
}

/* small_put() puts block p of n (1..SMALL_MAX) bytes back on its list. */
static void small_put(Rules *R, void *p, size_t n) {
  size_t k = (n - 1) / SMALL_STEP;
  memcpy(p, &R->free_list[k], sizeof p);
  R->free_list[k] = p;
}

/* rules_alloc() is the state's lua_Alloc: blocks (small ones from the free
** lists above, others from malloc) with the byte accounting and, while
** enforcing, the three refusals described above. A refusal is sticky for
** the rest of the evaluation (shrinking and freeing always succeed, as Lua
** requires). */
static void *rules_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
  Rules *R = ud;
  size_t old = ptr ? osize : 0;
  if (nsize == 0) {
    R->used -= old;
    if (ptr && old <= SMALL_MAX) small_put(R, ptr, old);
    else free(ptr);
    return NULL;
  }
  if (nsize > old && R->enforce) {
    size_t grow = nsize - old;
    if (R->eMem) return NULL;
    if (R->used + grow > R->limit) R->eMem = MEM_LIMIT;
    else if (R->volume + grow > RULES_MAX_ALLOC_VOLUME) R->eMem = MEM_VOLUME;
    else if (!ptr && osize == LUA_TSTRING && nsize > R->string_max) R->eMem = MEM_STRING;
    if (R->eMem) return NULL;
  }
  void *q;
  if (ptr && old > SMALL_MAX && nsize > SMALL_MAX) q = realloc(ptr, nsize);
  else if (ptr && (old - 1) / SMALL_STEP == (nsize - 1) / SMALL_STEP) q = ptr; /* the same class */
  else {
    q = nsize <= SMALL_MAX ? small_get(R, nsize) : malloc(nsize);
    if (q && ptr) {
      memcpy(q, ptr, old < nsize ? old : nsize);
      if (old <= SMALL_MAX) small_put(R, ptr, old);
      else free(ptr);
    }
  }
  if (!q) return NULL;
  R->used = R->used - old + nsize;
  if (nsize > old) R->volume += nsize - old;
  return q;
}

/* Limits ------------------------------------------------------------------- */

static void hook(lua_State *L, lua_Debug *ar);

/* limit_hit() marks limit (LIMIT_*) as reached unless one already is,
** makes the hook fire on every instruction of L and of the main thread, and
** raises the error of the limit reached first. */
static int limit_hit(lua_State *L, Rules *R, int limit) {
  if (!R->eLimit) R->eLimit = limit;
  lua_sethook(L, hook, LUA_MASKCOUNT, 1);
  if (L != R->L) lua_sethook(R->L, hook, LUA_MASKCOUNT, 1);
  if (R->eLimit == LIMIT_TIME) return luaL_error(L, "规则运行超时 / time limit exceeded");
  return luaL_error(L, "规则超出指令数限制 / instruction limit exceeded");
}

/* hook() is the count hook: adds HOOK_EVERY to the count, reads the clock,
** and raises the limit error once either is over, and on every call after
** that. */
static void hook(lua_State *L, lua_Debug *ar) {
  (void)ar;
  Rules *R = tls;
  if (!R->eLimit) {
    R->instructions += HOOK_EVERY;
    if (R->instructions > RULES_MAX_INSTRUCTIONS) limit_hit(L, R, LIMIT_INSTRUCTIONS);
    if (mono_ms() > R->deadline) limit_hit(L, R, LIMIT_TIME);
    return;
  }
  limit_hit(L, R, R->eLimit);
}

/* charge() adds an estimate of a C function's work (in instructions) to the
** count and reads the clock; raises the limit error when the budget or the
** time is spent. */
static void charge(lua_State *L, double units) {
  Rules *R = tls;
  if (R->eLimit) limit_hit(L, R, R->eLimit);
  if (mono_ms() > R->deadline) limit_hit(L, R, LIMIT_TIME);
  if (!(units > 0)) return;
  if (units > RULES_MAX_INSTRUCTIONS) units = RULES_MAX_INSTRUCTIONS + 1.0; /* it will not run anyway */
  R->instructions += (int64_t)units;
  if (R->instructions > RULES_MAX_INSTRUCTIONS) limit_hit(L, R, LIMIT_INSTRUCTIONS);
}

/* skip_set() returns the index just past the pattern set that opens at
** p[i] == '['. */
static size_t skip_set(const char *p, size_t m, size_t i) {
  i++;
  if (i < m && p[i] == '^') i++;
  do {
    if (i >= m) return m;
    i += p[i] == '%' ? 2 : 1;
  } while (i < m && p[i] != ']');
  return i + 1;
}

/* pattern_cost() estimates the steps of matching pattern p[0..m) against
** a subject of n bytes, tried at every position unless anchored: each
** item that can expand (*, +, -, %b, back-reference) may multiply the work
** by n, each optional item by 2. Generous for ordinary patterns, and large
** enough for catastrophic ones (".-.-.-x" over a long string) to be stopped
** before they start. */
static double pattern_cost(const char *p, size_t m, size_t n, bool can_anchor) {
  size_t i = 0;
  int q = 0, opt = 0;
  bool anchored = false;
  if (can_anchor && m > 0 && p[0] == '^') anchored = true, i = 1;
  while (i < m) {
    char c = p[i];
    if (c == '%' && i + 1 < m) {
      char d = p[i + 1];
      if (d == 'b') {
        q++, i += 4;
        continue;
      }
      if (d == 'f') {
        i += 2;
        if (i < m && p[i] == '[') i = skip_set(p, m, i);
        continue;
      }
      if (d >= '0' && d <= '9') {
        q++, i += 2;
        continue;
      }
      i += 2;
    } else if (c == '[') {
      i = skip_set(p, m, i);
    } else if (c == '(' || c == ')') {
      i++;
      continue;
    } else {
      i++;
    }
    if (i < m) {
      char s = p[i];
      if (s == '*' || s == '+' || s == '-') q++, i++;
      else if (s == '?') opt++, i++;
    }
  }
  double base = (double)n + 1, cost = (double)m + 1;
  for (int k = 0; k < q + (anchored ? 0 : 1) && cost < 1e15; k++) cost *= base;
  for (int k = 0; k < opt && cost < 1e15; k++) cost *= 2;
  return cost;
}

/* has_specials() is true when a pattern uses any magic character (string.find
** otherwise does a plain search). */
static bool has_specials(const char *p, size_t m) {
  for (size_t i = 0; i < m; i++)
    if (strchr("^$*+?.([%-", p[i])) return true;
  return false;
}

/* arg_len() is the byte length of argument i if it is a string, else 0. */
static size_t arg_len(lua_State *L, int i) {
  size_t n = 0;
  if (lua_type(L, i) == LUA_TSTRING) lua_tolstring(L, i, &n);
  return n;
}

/* span() is the count of indexes from argument i (default dflt) to
** argument j (default dj), 0 when empty or not integers. */
static double span(lua_State *L, int i, lua_Integer dflt, int j, lua_Integer dj) {
  int isnum;
  lua_Integer a = lua_tointegerx(L, i, &isnum);
  if (!isnum) a = dflt;
  lua_Integer b = lua_tointegerx(L, j, &isnum);
  if (!isnum) b = dj;
  return b >= a ? (double)b - (double)a + 1 : 0;
}

/* table_len() is #t of argument 1 (honouring __len, as the table library
** does), or 0 when it is not a table. */
static lua_Integer table_len(lua_State *L) {
  if (lua_type(L, 1) != LUA_TTABLE) return 0;
  return luaL_len(L, 1);
}

/* l_msgh() is the message handler xpcall really gets: the rule's handler
** (upvalue 1), except once a limit is hit, when the error goes through as
** it is. */
static int l_msgh(lua_State *L) {
  if (tls->eLimit || tls->eMem) return 1;
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  lua_call(L, lua_gettop(L) - 1, 1);
  return 1;
}

/* l_guard() wraps the library function in upvalue 1: charges the estimated
** work of guard kind upvalue 2 (or refuses), then calls it with the same
** arguments and returns its results. Allocates nothing itself. */
static int l_guard(lua_State *L) {
  Rules *R = tls;
  int kind = (int)lua_tointeger(L, lua_upvalueindex(2));
  double units = 0;
  switch (kind) {
  case G_REP: {
    size_t l = arg_len(L, 1), lsep = arg_len(L, 3);
    lua_Integer n = lua_tointegerx(L, 2, NULL); /* 1e15 is an integer to string.rep too */
    if (n > 0 && l + lsep == 0 && lua_type(L, 1) == LUA_TSTRING) {
      lua_pushliteral(L, ""); /* string.rep would loop n times to copy nothing */
      return 1;
    }
    double total = (double)n * (double)(l + lsep);
    if (total > RULES_MAX_STRING) {
      R->eMem = MEM_STRING;
      return luaL_error(L, "字符串过长 / string too long");
    }
    units = total / 64;
    break;
  }
  case G_FIND: case G_MATCH: case G_GMATCH: case G_GSUB: {
    size_t n = arg_len(L, 1), m = arg_len(L, 2);
    bool plain = kind == G_FIND && (lua_toboolean(L, 4) || !has_specials(lua_tostring(L, 2) ? lua_tostring(L, 2) : "", m));
    double cost = plain ? ((double)n + 1) * ((double)m + 1)
                        : pattern_cost(lua_type(L, 2) == LUA_TSTRING ? lua_tostring(L, 2) : "", m, n, kind != G_GMATCH);
    units = cost / 64;
    break;
  }
  case G_BYTE: {
    int isnum;
    lua_Integer i = lua_tointegerx(L, 2, &isnum);
    units = span(L, 2, 1, 3, isnum ? i : 1) / 4;
    break;
  }
  case G_UTF8_SCAN: units = (double)arg_len(L, 1) / 16; break;
  case G_TINSERT: case G_TREMOVE: units = (double)table_len(L) / 4; break;
  case G_TMOVE: units = span(L, 2, 1, 3, 0) / 4; break;
  case G_TUNPACK: case G_TCONCAT: {
    int first = kind == G_TUNPACK ? 2 : 3, last = first + 1;
    lua_Integer n = lua_isnoneornil(L, last) ? table_len(L) : 0;
    units = span(L, first, 1, last, n) / 4;
    break;
  }
  case G_TSORT: {
    double n = (double)table_len(L);
    units = n > 1 ? n * log2(n) / 2 : 0;
    break;
  }
  case G_CO_CREATE: case G_CO_CHECK: break;
  case G_XPCALL:
    /* The limit error is raised inside the hook, where Lua runs the message
    ** handler with hooks off: wrap the handler so it is skipped then. */
    luaL_checkany(L, 2);
    lua_pushvalue(L, 2);
    lua_pushcclosure(L, l_msgh, 1);
    lua_replace(L, 2);
    break;
  case G_SETMETATABLE:
    if (lua_type(L, 2) == LUA_TTABLE) {
      lua_pushliteral(L, "__gc");
      bool gc = lua_rawget(L, 2) != LUA_TNIL;
      lua_pop(L, 1);
      if (gc) return luaL_error(L, "不允许 __gc 元方法 / __gc metamethods are not allowed");
    }
    break;
  }
  charge(L, units);
  int nArg = lua_gettop(L);
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  lua_call(L, nArg, LUA_MULTRET);
  if (kind == G_CO_CREATE && lua_type(L, 1) == LUA_TTHREAD)
    lua_sethook(lua_tothread(L, 1), hook, LUA_MASKCOUNT, R->eLimit ? 1 : HOOK_EVERY);
  return lua_gettop(L);
}

/* Decisions ---------------------------------------------------------------- */

/* l_decide() is approve/deny/manual (the verdict in upvalue 1): records the
** decision and its reasons (strings or numbers) and ends the rule by raising
** the sentinel. A second decision, or malformed reasons, are recorded as
** such and raise an ordinary error. Allocates the reasons array (kept in the
** Rules until the evaluation is read). */
static int l_decide(lua_State *L) {
  Rules *R = tls;
  int n = lua_gettop(L);
  if (R->decided) {
    R->conflict = true;
    return luaL_error(L, "规则已作出决定 / the rule has already decided");
  }
  if (n > MAX_REASONS) {
    snprintf(R->bad, sizeof R->bad, "理由过多（最多 %d 条）/ too many reasons (at most %d)", MAX_REASONS, MAX_REASONS);
    return luaL_error(L, "%s", R->bad);
  }
  json_t *arr = json_array();
  for (int i = 1; i <= n; i++) {
    char num[64];
    const char *s = NULL;
    size_t len = 0;
    if (lua_type(L, i) == LUA_TSTRING) s = lua_tolstring(L, i, &len);
    else if (lua_isinteger(L, i)) len = (size_t)snprintf(num, sizeof num, "%lld", (long long)lua_tointeger(L, i)), s = num;
    else if (lua_type(L, i) == LUA_TNUMBER) len = (size_t)snprintf(num, sizeof num, "%.14g", lua_tonumber(L, i)), s = num;
    if (!s || len > MAX_REASON_BYTES || !utf8_valid(s, len)) {
      json_decref(arr);
      snprintf(R->bad, sizeof R->bad,
               "第 %d 条理由须为不超过 %d 字节的 UTF-8 字符串 / reason %d must be a UTF-8 string of at most %d bytes",
               i, MAX_REASON_BYTES, i, MAX_REASON_BYTES);
      return luaL_error(L, "%s", R->bad);
    }
    json_array_append_new(arr, json_stringn_nocheck(s, len));
  }
  R->decided = (eVerdict)lua_tointeger(L, lua_upvalueindex(1));
  R->decided_reasons = arr;
  lua_pushlightuserdata(L, (void *)&SENTINEL);
  return lua_error(L);
}

/* Outputs and conditions ---------------------------------------------------- */

/* scalar_json() converts the Lua value at index i to JSON when it is a
** scalar an output may hold: an integer, a finite number, a boolean, or a
** UTF-8 string of at most MAX_OUTPUT_STRING bytes. NULL otherwise. */
static json_t *scalar_json(lua_State *L, int i) {
  switch (lua_type(L, i)) {
  case LUA_TBOOLEAN: return json_boolean(lua_toboolean(L, i));
  case LUA_TNUMBER:
    if (lua_isinteger(L, i)) return json_integer((json_int_t)lua_tointeger(L, i));
    return isfinite(lua_tonumber(L, i)) ? json_real(lua_tonumber(L, i)) : NULL;
  case LUA_TSTRING: {
    size_t n;
    const char *s = lua_tolstring(L, i, &n);
    return n <= MAX_OUTPUT_STRING && utf8_valid(s, n) ? json_stringn_nocheck(s, n) : NULL;
  }
  }
  return NULL;
}

/* cell() counts one value of an output against MAX_OUTPUT_CELLS. */
static bool cell(Rules *R) { return ++R->cells <= MAX_OUTPUT_CELLS; }

/* record_json() converts a flat table at index i (string keys, scalar
** values: one instalment {due = "…", amount_fen = …}) to a JSON object,
** with raw accesses only. NULL when it is not one. */
static json_t *record_json(lua_State *L, int i, Rules *R) {
  json_t *o = json_object();
  i = lua_absindex(L, i);
  lua_pushnil(L);
  while (lua_next(L, i)) {
    json_t *v = lua_type(L, -2) == LUA_TSTRING && cell(R) ? scalar_json(L, -1) : NULL;
    size_t n;
    const char *k = v ? lua_tolstring(L, -2, &n) : NULL;
    if (!v || n == 0 || n > 64 || !utf8_valid(k, n) || json_object_size(o) >= 16) {
      json_decref(v);
      json_decref(o);
      lua_pop(L, 2);
      return NULL;
    }
    json_object_setn_new_nocheck(o, k, n, v);
    lua_pop(L, 1);
  }
  return o;
}

/* value_json() converts an output's value at index i: a scalar, or an
** array (1..n, n ≤ 64) of scalars or flat records. NULL when it is none. */
static json_t *value_json(lua_State *L, int i, Rules *R) {
  if (lua_type(L, i) != LUA_TTABLE) return cell(R) ? scalar_json(L, i) : NULL;
  i = lua_absindex(L, i);
  lua_Unsigned n = lua_rawlen(L, i);
  if (n == 0 || n > 64) return NULL;
  lua_pushnil(L);
  size_t keys = 0;
  while (keys <= n && lua_next(L, i)) keys++, lua_pop(L, 1);
  if (keys != n) { /* a list, and nothing else in it */
    if (keys > n) lua_pop(L, 1); /* the key lua_next left */
    return NULL;
  }
  json_t *a = json_array();
  for (lua_Unsigned k = 1; k <= n; k++) {
    lua_rawgeti(L, i, (lua_Integer)k);
    json_t *v = lua_type(L, -1) == LUA_TTABLE ? record_json(L, -1, R) : cell(R) ? scalar_json(L, -1) : NULL;
    lua_pop(L, 1);
    if (!v) {
      json_decref(a);
      return NULL;
    }
    json_array_append_new(a, v);
  }
  return a;
}

/* l_output() is output(name, value): the rule's named result beside its
** decision (an amount in fen, instalments, a level, a score). name is
** [a-z_][a-z0-9_]* of at most 32 bytes, set once; value as value_json().
** Anything else is a malformed result. Returns nothing. */
static int l_output(lua_State *L) {
  Rules *R = tls;
  size_t n = 0;
  const char *name = lua_type(L, 1) == LUA_TSTRING ? lua_tolstring(L, 1, &n) : NULL;
  bool ok = name && n >= 1 && n <= 32 && strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789_") == n &&
            !(name[0] >= '0' && name[0] <= '9');
  if (!ok) {
    snprintf(R->bad, sizeof R->bad, "输出名须为 1–32 位小写字母、数字或下划线 / an output's name is 1–32 of a-z 0-9 _");
    return luaL_error(L, "%s", R->bad);
  }
  if (!R->outputs) R->outputs = json_object();
  if (json_object_get(R->outputs, name) || json_object_size(R->outputs) >= MAX_OUTPUTS) {
    snprintf(R->bad, sizeof R->bad, "输出 %.32s 重复或过多（最多 %d 项）/ output %.32s repeated or too many (at most %d)",
             name, MAX_OUTPUTS, name, MAX_OUTPUTS);
    return luaL_error(L, "%s", R->bad);
  }
  json_t *v = value_json(L, 2, R);
  if (!v) {
    snprintf(R->bad, sizeof R->bad,
             "输出 %.32s 的值须为数、布尔、短文本或其列表（最多 64 项）/ output %.32s must be a number, boolean, short "
             "text or a list of them (at most 64)", name, name);
    return luaL_error(L, "%s", R->bad);
  }
  json_object_set_new(R->outputs, name, v);
  return 0;
}

/* text_put() copies s[0..n) into this evaluation's text and returns its
** offset disguised as a pointer (take_conditions() turns it into one). */
static const char *text_put(Rules *R, const char *s, size_t n) {
  size_t at = R->text.n;
  buf_append(&R->text, s, n);
  return (const char *)(uintptr_t)at;
}

/* scalar_take() reads argument i of condition() as a RuleScalar: none or
** nil, or a scalar as scalar_json() takes it (strings into the text).
** false when it is none of these. */
static bool scalar_take(lua_State *L, int i, Rules *R, RuleScalar *v) {
  memset(v, 0, sizeof *v);
  switch (lua_type(L, i)) {
  case LUA_TNONE: case LUA_TNIL: v->kind = 'n'; return true;
  case LUA_TBOOLEAN: v->kind = 'b', v->b = lua_toboolean(L, i); return true;
  case LUA_TNUMBER:
    if (lua_isinteger(L, i)) return v->kind = 'i', v->i = (int64_t)lua_tointeger(L, i), true;
    v->kind = 'r', v->r = lua_tonumber(L, i);
    return isfinite(v->r);
  case LUA_TSTRING: {
    const char *s = lua_tolstring(L, i, &v->n);
    if (v->n > MAX_OUTPUT_STRING || !utf8_valid(s, v->n)) return false;
    v->kind = 's', v->s = text_put(R, s, v->n);
    return true;
  }
  }
  return false;
}

/* l_condition() is condition(name, met, figure, threshold, message?): one
** condition of the decision, met (true), not met (false) or unknown (nil: a
** fact was missing), with the figure the rule saw and the threshold it was
** held to (scalars or nil) and what it means in plain Chinese (a string of
** at most MAX_CONDITION_NAME bytes, or nil) — the why-not of a refusal.
** Returns met. */
static int l_condition(lua_State *L) {
  Rules *R = tls;
  size_t n = 0, nm = 0;
  const char *name = lua_type(L, 1) == LUA_TSTRING ? lua_tolstring(L, 1, &n) : NULL;
  const char *msg = lua_type(L, 5) == LUA_TSTRING ? lua_tolstring(L, 5, &nm) : NULL;
  if ((!msg && !lua_isnoneornil(L, 5)) || nm > MAX_CONDITION_NAME || (msg && !utf8_valid(msg, nm))) name = NULL;
  int met = lua_type(L, 2);
  RuleCondition *c = &R->conds[R->nConds < MAX_CONDITIONS ? R->nConds : 0];
  size_t mark = R->text.n;
  if (!name || n == 0 || n > MAX_CONDITION_NAME || !utf8_valid(name, n) ||
      (met != LUA_TBOOLEAN && met != LUA_TNIL && met != LUA_TNONE) || R->nConds >= MAX_CONDITIONS ||
      !scalar_take(L, 3, R, &c->figure) || !scalar_take(L, 4, R, &c->threshold)) {
    R->text.n = mark;
    snprintf(R->bad, sizeof R->bad,
             "condition(名称, 是否满足, 实际值, 标准) 的参数无效或条件过多（最多 %d 项）/ bad arguments to condition(name, "
             "met, figure, threshold) or too many conditions (at most %d)", MAX_CONDITIONS, MAX_CONDITIONS);
    return luaL_error(L, "%s", R->bad);
  }
  /* name and message were checked above: no second UTF-8 pass */
  c->name = text_put(R, name, n);
  c->nName = n;
  c->met = met == LUA_TBOOLEAN ? lua_toboolean(L, 2) : -1;
  c->message = msg ? text_put(R, msg, nm) : NULL;
  c->nMessage = nm;
  R->nConds++;
  lua_settop(L, 2);
  return 1;
}

/* arg_day() is argument i as a day number when it is a "YYYY-MM-DD" string
** naming a real date; false otherwise. */
static bool arg_day(lua_State *L, int i, int *day) {
  return lua_type(L, i) == LUA_TSTRING && cal_parse_date(lua_tostring(L, i), day) == 0;
}

/* l_date_days() is date.days(a, b): the days from date a to date b
** (negative when b is earlier), or nil when either is not a real date. */
static int l_date_days(lua_State *L) {
  int a, b;
  if (!arg_day(L, 1, &a) || !arg_day(L, 2, &b)) return lua_pushnil(L), 1;
  lua_pushinteger(L, (lua_Integer)b - a);
  return 1;
}

/* l_date_years() is date.years(a, b): the whole years completed from date
** a to date b (an age, or how long a company has existed; a birthday on
** 29 February counts from 1 March in other years), or nil when either is
** not a real date. */
static int l_date_years(lua_State *L) {
  int a, b, ya, ma, da, yb, mb, db;
  if (!arg_day(L, 1, &a) || !arg_day(L, 2, &b)) return lua_pushnil(L), 1;
  cal_to_ymd(a, &ya, &ma, &da);
  cal_to_ymd(b, &yb, &mb, &db);
  int years = yb - ya;
  if (b >= a ? (mb < ma || (mb == ma && db < da)) : (mb > ma || (mb == ma && db > da))) years += b >= a ? -1 : 1;
  lua_pushinteger(L, years);
  return 1;
}

/* l_date_add_months() is date.add_months(s, n): the day n months after
** (before, when negative) date s, as 民法典 第二百零二条 counts a period in
** months: the same day of the month it ends in, or that month's last day
** when it has no such day ("2024-01-31" + 1 → "2024-02-29"); nil when s is
** not a real date or n not an integer, or the result is outside 0001–9999. */
static int l_date_add_months(lua_State *L) {
  int d, y, m, dd, isnum;
  lua_Integer n = lua_tointegerx(L, 2, &isnum);
  if (!arg_day(L, 1, &d) || !isnum || n < -120000 || n > 120000) return lua_pushnil(L), 1;
  cal_to_ymd(d, &y, &m, &dd);
  long months = (long)y * 12 + (m - 1) + (long)n;
  int ny = (int)(months / 12), nm = (int)(months % 12) + 1;
  if (months < 12 || ny > 9999) return lua_pushnil(L), 1;
  static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int last = mdays[nm - 1] + (nm == 2 && ((ny % 4 == 0 && ny % 100 != 0) || ny % 400 == 0));
  char out[11];
  int to;
  if (cal_from_ymd(ny, nm, dd < last ? dd : last, &to)) return lua_pushnil(L), 1;
  cal_format(to, out);
  lua_pushstring(L, out);
  return 1;
}

/* l_date_valid() is date.valid(s): true when s is a "YYYY-MM-DD" string
** naming a real date. */
static int l_date_valid(lua_State *L) {
  int d;
  lua_pushboolean(L, arg_day(L, 1, &d));
  return 1;
}

/* l_date_month() is date.month(s): year × 12 + month − 1 of exactly
** "YYYY-MM" (month 01–12), else nil. Social-insurance records are read a
** month at a time, dozens a person: natively rather than by a pattern
** match and two tonumber()s each. */
static int l_date_month(lua_State *L) {
  size_t n;
  const char *s = lua_type(L, 1) == LUA_TSTRING ? lua_tolstring(L, 1, &n) : NULL;
  bool ok = s && n == 7 && s[4] == '-';
  for (int i = 0; ok && i < 7; i++) ok = i == 4 || (s[i] >= '0' && s[i] <= '9');
  int y = ok ? (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0') : 0;
  int m = ok ? (s[5] - '0') * 10 + (s[6] - '0') : 0;
  if (!ok || m < 1 || m > 12) return lua_pushnil(L), 1;
  lua_pushinteger(L, (lua_Integer)y * 12 + m - 1);
  return 1;
}

/* fixed_fast() writes x with exactly d decimals into buf as "%.*f" would,
** without printf's exact decimal expansion: x·10^d rounded to an integer
** and written out. Only where that rounding cannot differ from printf's:
** |x·10^d| < 2^32, so the computed product is within 2^-21 of the exact
** one (10^d itself is exact), and its fraction is not within 1e-6 of one
** half, so no half lies between the two and both round to the same
** integer. Returns the length, or -1 when the caller must use snprintf. */
static int fixed_fast(char *buf, double x, int d) {
  static const double p10[] = {1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9};
  double y = fabs(x) * p10[d];
  if (y >= 4294967296.0) return -1;
  double fl = floor(y), frac = y - fl;
  if (fabs(frac - 0.5) < 1e-6) return -1;
  uint64_t v = (uint64_t)fl + (frac > 0.5), ip = v, fp = 0;
  for (int i = 0; i < d; i++) ip /= 10;
  fp = v - ip * (uint64_t)p10[d];
  char tmp[32];
  int t = 0, n = 0;
  do tmp[t++] = (char)('0' + ip % 10); while ((ip /= 10) > 0);
  if (x < 0) buf[n++] = '-';
  while (t > 0) buf[n++] = tmp[--t];
  if (d > 0) {
    buf[n++] = '.';
    for (int i = d - 1; i >= 0; i--, fp /= 10) buf[n + i] = (char)('0' + fp % 10);
    n += d;
  }
  buf[n] = 0;
  return n;
}

/* l_fixed() is fixed(x, d): number x written with at most d decimals
** (0–9, default 2), rounded as "%.*f" does, trailing zeros and a trailing
** point dropped, and "-0" written as "0" ("3.10" → "3.1", "2.00" → "2",
** "-0.001" at 2 → "0"); nil when x is not a finite number. The message
** text of most explanations, so done natively rather than with format,
** find and gsub in Lua. */
static int l_fixed(lua_State *L) {
  int isnum;
  lua_Number x = lua_tonumberx(L, 1, &isnum);
  lua_Integer d = luaL_optinteger(L, 2, 2);
  if (lua_type(L, 1) != LUA_TNUMBER || !isnum || !isfinite(x)) return lua_pushnil(L), 1;
  if (d < 0 || d > 9) return luaL_error(L, "fixed 的小数位数应为 0 到 9 / fixed takes 0 to 9 decimals");
  char buf[340];
  /* From 10^15 on a double has no decimals to give: its 15 significant
  ** figures with an exponent keep a message short (1e+300, not 301 digits). */
  if (fabs(x) >= 1e15) return lua_pushlstring(L, buf, (size_t)snprintf(buf, sizeof buf, "%.15g", (double)x)), 1;
  int n = fixed_fast(buf, x, (int)d);
  if (n < 0) n = snprintf(buf, sizeof buf, "%.*f", (int)d, (double)x);
  if (d > 0) {
    while (n > 0 && buf[n - 1] == '0') n--;
    if (n > 0 && buf[n - 1] == '.') n--;
  }
  if (n == 2 && buf[0] == '-' && buf[1] == '0') lua_pushliteral(L, "0");
  else lua_pushlstring(L, buf, (size_t)n);
  return 1;
}

/* l_readonly() is the __newindex of the library proxies. */
static int l_readonly(lua_State *L) {
  return luaL_error(L, "库表只读 / library tables are read-only");
}

/* Setting up a state ------------------------------------------------------- */

/* guard() replaces t[name] (t at index t) by l_guard over it. */
static void guard(lua_State *L, int t, const char *name, int kind) {
  t = lua_absindex(L, t);
  lua_getfield(L, t, name);
  lua_pushinteger(L, kind);
  lua_pushcclosure(L, l_guard, 2);
  lua_setfield(L, t, name);
}

/* proxy() pushes a read-only proxy of the table at index real: an empty
** table whose locked metatable reads through to real and refuses writes. */
static void proxy(lua_State *L, int real) {
  real = lua_absindex(L, real);
  lua_createtable(L, 0, 0);
  lua_createtable(L, 0, 3);
  lua_pushvalue(L, real);
  lua_setfield(L, -2, "__index");
  lua_pushcfunction(L, l_readonly);
  lua_setfield(L, -2, "__newindex");
  lua_pushboolean(L, 0);
  lua_setfield(L, -2, "__metatable");
  lua_setmetatable(L, -2);
}

/* keep_only() removes from the table at index t every key not in names. */
static void keep_only(lua_State *L, int t, const char *const *names) {
  t = lua_absindex(L, t);
  lua_pushnil(L);
  while (lua_next(L, t)) {
    lua_pop(L, 1);
    bool keep = false;
    if (lua_type(L, -1) == LUA_TSTRING)
      for (int i = 0; names[i]; i++) keep |= strcmp(lua_tostring(L, -1), names[i]) == 0;
    if (!keep) {
      lua_pushvalue(L, -1);
      lua_pushnil(L);
      lua_rawset(L, t);
    }
  }
}

/* setup() builds base, the environment metatable and the chunk cache in a
** fresh state (run protected; see the file header). */
static int setup(lua_State *L) {
  Rules *R = lua_touserdata(L, 1);
  static const char *const base_names[] = {"assert", "error", "ipairs", "next", "pairs", "pcall",
                                           "rawequal", "rawget", "rawlen", "select", "getmetatable",
                                           "setmetatable", "tonumber", "tostring", "type", "xpcall",
                                           "_VERSION", NULL};
  static const char *const string_names[] = {"byte", "char", "find", "format", "gmatch", "gsub", "len",
                                             "lower", "match", "rep", "reverse", "sub", "upper", NULL};
  static const char *const table_names[] = {"concat", "insert", "move", "pack", "remove", "sort", "unpack", NULL};
  static const char *const math_names[] = {"abs", "ceil", "floor", "fmod", "huge", "max", "maxinteger", "min",
                                           "mininteger", "modf", "pi", "random", "sqrt", "tointeger", "type",
                                           "ult", "exp", "log", "sin", "cos", "tan", "asin", "acos", "atan", NULL};
  static const char *const co_names[] = {"close", "create", "isyieldable", "resume", "running", "status",
                                         "wrap", "yield", NULL};
  static const struct { const char *name; lua_CFunction open; const char *const *keep; } libs[] = {
      {"string", luaopen_string, string_names}, {"table", luaopen_table, table_names},
      {"math", luaopen_math, math_names},       {"utf8", luaopen_utf8, NULL},
      {"coroutine", luaopen_coroutine, co_names},
  };
  static const struct { const char *lib, *name; int kind; } guards[] = {
      {"string", "rep", G_REP},        {"string", "find", G_FIND},       {"string", "match", G_MATCH},
      {"string", "gmatch", G_GMATCH},  {"string", "gsub", G_GSUB},       {"string", "byte", G_BYTE},
      {"utf8", "len", G_UTF8_SCAN},    {"utf8", "offset", G_UTF8_SCAN},  {"utf8", "codepoint", G_UTF8_SCAN},
      {"table", "insert", G_TINSERT},  {"table", "remove", G_TREMOVE},   {"table", "move", G_TMOVE},
      {"table", "unpack", G_TUNPACK},  {"table", "concat", G_TCONCAT},   {"table", "sort", G_TSORT},
      {"coroutine", "create", G_CO_CREATE}, {"coroutine", "wrap", G_CO_CREATE},
      {"coroutine", "resume", G_CO_CHECK},
  };
  static const char *const verdicts[] = {"approve", "deny", "manual"};

  luaL_requiref(L, "_G", luaopen_base, 0);
  lua_createtable(L, 0, 32); /* base */
  int base = lua_gettop(L);
  for (int i = 0; base_names[i]; i++) {
    lua_getfield(L, base - 1, base_names[i]);
    lua_setfield(L, base, base_names[i]);
  }
  guard(L, base, "setmetatable", G_SETMETATABLE);
  guard(L, base, "xpcall", G_XPCALL);
  for (size_t i = 0; i < XQ_COUNT(libs); i++) {
    luaL_requiref(L, libs[i].name, libs[i].open, 0);
    if (libs[i].keep) keep_only(L, -1, libs[i].keep);
    for (size_t k = 0; k < XQ_COUNT(guards); k++)
      if (strcmp(guards[k].lib, libs[i].name) == 0) guard(L, -1, guards[k].name, guards[k].kind);
    proxy(L, -1);
    lua_setfield(L, base, libs[i].name);
    lua_pop(L, 1);
  }
  /* Strings index the (guarded, trimmed) string library through their
  ** metatable; lock it so getmetatable("") cannot reach the real table. */
  lua_pushliteral(L, "");
  lua_getmetatable(L, -1);
  lua_pushboolean(L, 0);
  lua_setfield(L, -2, "__metatable");
  lua_pop(L, 2);
  static const luaL_Reg date_fns[] = {
      {"days", l_date_days}, {"years", l_date_years}, {"valid", l_date_valid}, {"add_months", l_date_add_months},
      {"month", l_date_month},
      {NULL, NULL}};
  luaL_newlib(L, date_fns);
  proxy(L, -1);
  lua_setfield(L, base, "date");
  lua_pop(L, 1);
  for (int v = 0; v < 3; v++) {
    lua_pushinteger(L, v + 1);
    lua_pushcclosure(L, l_decide, 1);
    lua_setfield(L, base, verdicts[v]);
  }
  lua_pushcfunction(L, l_output);
  lua_setfield(L, base, "output");
  lua_pushcfunction(L, l_condition);
  lua_setfield(L, base, "condition");
  lua_pushcfunction(L, l_fixed);
  lua_setfield(L, base, "fixed");
  lua_createtable(L, 0, 2); /* the environment metatable */
  lua_pushvalue(L, base);
  lua_setfield(L, -2, "__index");
  lua_pushboolean(L, 0);
  lua_setfield(L, -2, "__metatable");
  R->ref_envmt = luaL_ref(L, LUA_REGISTRYINDEX);
  static const luaL_Reg fact_mt[] = {{"__index", l_fact_index}, {"__len", l_fact_len},
                                     {"__pairs", l_fact_pairs}, {"__newindex", l_fact_readonly},
                                     {NULL, NULL}};
  luaL_newlib(L, fact_mt); /* the metatable of facts views */
  lua_pushboolean(L, 0);
  lua_setfield(L, -2, "__metatable");
  R->ref_factsmt = luaL_ref(L, LUA_REGISTRYINDEX);
  R->ref_base = luaL_ref(L, LUA_REGISTRYINDEX);
  lua_createtable(L, CACHE_SLOTS, 0);
  R->ref_cache = luaL_ref(L, LUA_REGISTRYINDEX);
  lua_createtable(L, 64, 1);
  R->ref_shared = luaL_ref(L, LUA_REGISTRYINDEX);
  /* Intern the keys read from a returned table, so reading them after the
  ** evaluation never allocates. */
  lua_pushliteral(L, "decision");
  lua_pushliteral(L, "reasons");
  lua_pushboolean(L, 1);
  lua_rawset(L, LUA_REGISTRYINDEX);
  lua_pushboolean(L, 1);
  lua_rawset(L, LUA_REGISTRYINDEX);
  return 0;
}

/* rules_free() closes a thread's state and frees its cache (the pthread key
** destructor, also used when setting up fails). */
static void rules_free(void *p) {
  Rules *R = p;
  if (!R) return;
  if (R->L) lua_close(R->L);
  for (Slab *slab = R->slabs, *next; slab; slab = next) {
    next = slab->next;
    free(slab);
  }
  for (int i = 0; i < CACHE_SLOTS; i++) free(R->cache[i].src);
  json_decref(R->decided_reasons);
  buf_free(&R->text);
  buf_free(&R->prefix);
  free(R);
  if (tls == R) tls = NULL;
}

static void make_key(void) {
  if (pthread_key_create(&tls_key, rules_free) != 0) panic("pthread_key_create");
}

/* rules_get() returns this thread's sandbox, creating it on first use
** (a Lua state of about 40 KiB, closed when the thread exits). NULL when
** the state cannot be made. */
static Rules *rules_get(void) {
  if (tls) return tls;
  pthread_once(&tls_once, make_key);
  Rules *R = xcalloc(1, sizeof *R);
  R->limit = SIZE_MAX;
  R->string_max = SIZE_MAX;
  R->L = lua_newstate(rules_alloc, R);
  if (!R->L) goto fail;
  lua_pushcfunction(R->L, setup);
  lua_pushlightuserdata(R->L, R);
  if (lua_pcall(R->L, 1, 0, 0) != LUA_OK) {
    log_error("rules: cannot set up the Lua state: %s", lua_tostring(R->L, -1));
    goto fail;
  }
  lua_settop(R->L, 0);
  /* Generational: an evaluation's garbage (its strings, little tables,
  ** facts views) dies young, and minor collections free it for a fifth less
  ** than incremental cycles did (ladder checks, talent re-checks). */
  lua_gc(R->L, LUA_GCGEN, 0, 0);
  lua_gc(R->L, LUA_GCCOLLECT);
  R->baseline = R->used;
  tls = R;
  pthread_setspecific(tls_key, R);
  return R;
fail:
  rules_free(R);
  return NULL;
}

/* Compiling ---------------------------------------------------------------- */

/* hash64() is a fast 64-bit hash of s[0..n) (FNV-like over 8-byte words). */
static uint64_t hash64(const char *s, size_t n) {
  uint64_t h = 0x9E3779B97F4A7C15ull ^ n;
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t w;
    memcpy(&w, s + i, 8);
    h = (h ^ w) * 0x100000001B3ull;
    h ^= h >> 29;
  }
  for (; i < n; i++) h = (h ^ (unsigned char)s[i]) * 0x100000001B3ull;
  h ^= h >> 32;
  return h * 0xBF58476D1CE4E5B9ull;
}

/* compile() pushes the compiled chunk of prefix, src[0..n) and suffix
** (the prefix makes it take its environment, and any helpers, as
** arguments) and returns LUA_OK; or returns the status of the failure with
** the message copied into R->syntax and pushed. */
static int compile(lua_State *L, Rules *R, const char *prefix, const char *src, size_t n, const char *suffix) {
  if (n > 0 && src[0] == LUA_SIGNATURE[0]) {
    snprintf(R->syntax, sizeof R->syntax, "不接受二进制块 / binary chunks are not accepted");
    lua_pushstring(L, R->syntax);
    return LUA_ERRSYNTAX;
  }
  Buf b = {0};
  buf_puts(&b, prefix);
  buf_append(&b, src, n);
  buf_puts(&b, suffix);
  int rc = luaL_loadbufferx(L, b.a, b.n, "=rule", "t");
  buf_free(&b);
  if (rc != LUA_OK) {
    snprintf(R->syntax, sizeof R->syntax, "%s", lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : "?");
    return rc;
  }
  lua_pushnil(L); /* the chunk's own _ENV upvalue is never used: drop the globals */
  lua_setupvalue(L, -2, 1);
  return LUA_OK;
}

/* cached() is true when c holds prefix, src[0..n) and suffix. */
static bool cached(const Chunk *c, const char *prefix, size_t np, const char *src, size_t n, const char *suffix,
                   size_t ns) {
  return c->src && c->n == np + n + ns && memcmp(c->src, prefix, np) == 0 && memcmp(c->src + np, src, n) == 0 &&
         memcmp(c->src + np + n, suffix, ns) == 0;
}

/* chunk() pushes the compiled function of prefix, src[0..n) and suffix
** (compile()) from the cache, compiling and caching it on a miss. Raises
** the compile error. The cache is set-associative: a chunk may sit in any of
** CACHE_WAYS slots from its hash's, and a miss replaces the one of them
** used longest ago, so two rules whose hashes meet do not recompile each
** other at every evaluation. A caller that keeps its rule text at one
** address (the ladder's versions, an item's rule) finds its slot through
** R->memo by that address without hashing the text; the whole chunk is
** still compared, so an address reused for another text (or the same text
** after another prefix) only costs the hash. */
static void chunk(lua_State *L, Rules *R, const char *prefix, const char *src, size_t n, const char *suffix) {
  size_t np = strlen(prefix), ns = strlen(suffix);
  unsigned m = (unsigned)(((uintptr_t)src >> 4) & (MEMO_SLOTS - 1));
  lua_rawgeti(L, LUA_REGISTRYINDEX, R->ref_cache);
  int slot = R->memo[m].slot;
  if (R->memo[m].src == src && cached(&R->cache[slot], prefix, np, src, n, suffix, ns)) goto hit;
  uint64_t h = hash64(src, n) ^ (hash64(prefix, np) * 0x9E3779B97F4A7C15ull) ^ (hash64(suffix, ns) * 0xC2B2AE3D27D4EB4Full);
  int oldest = -1;
  for (int w = 0; w < CACHE_WAYS; w++) {
    slot = (int)((h + (uint64_t)w) & (CACHE_SLOTS - 1));
    Chunk *c = &R->cache[slot];
    if (c->src && c->hash == h && cached(c, prefix, np, src, n, suffix, ns)) goto found;
    if (oldest < 0 || (R->cache[oldest].src && (!c->src || c->used < R->cache[oldest].used))) oldest = slot;
  }
  slot = oldest;
  R->compiles++;
  if (compile(L, R, prefix, src, n, suffix) != LUA_OK) lua_error(L);
  lua_rawseti(L, -2, slot + 1);
  Chunk *c = &R->cache[slot];
  free(c->src);
  c->src = xmalloc(np + n + ns + 1);
  memcpy(c->src, prefix, np);
  memcpy(c->src + np, src, n);
  memcpy(c->src + np + n, suffix, ns);
  c->src[np + n + ns] = 0;
  c->hash = h;
  c->n = np + n + ns;
found:
  R->memo[m].src = src;
  R->memo[m].slot = slot;
hit:
  R->cache[slot].used = R->gen;
  lua_rawgeti(L, -1, slot + 1);
  lua_remove(L, -2);
}

/* Facts -------------------------------------------------------------------- */

/* The facts are not copied into Lua tables: the rule gets read-only views
** (full userdata) of the JSON, and a value is made only when the rule reads
** it. A typical rule reads a handful of the facts, so this is most of the
** cost of an evaluation saved; and the facts cannot be changed by the rule.
** A view holds a borrowed json_t * and the evaluation's number; used in any
** other evaluation (it cannot be, since nothing survives one, but the check
** is cheap) it raises an error instead of touching freed JSON. */
typedef struct FactsView {
  const json_t *j;   /* an object or an array inside the facts */
  uint64_t gen;      /* Rules.gen of the evaluation it belongs to */
} FactsView;

/* push_fact() pushes the Lua value of j: strings, numbers and booleans as
** themselves, objects and arrays as views, null (or NULL) as nil. */
static void push_fact(lua_State *L, Rules *R, const json_t *j) {
  switch (j ? json_typeof(j) : JSON_NULL) {
  case JSON_OBJECT:
  case JSON_ARRAY: {
    FactsView *v = lua_newuserdatauv(L, sizeof *v, 0);
    v->j = j;
    v->gen = R->gen;
    lua_rawgeti(L, LUA_REGISTRYINDEX, R->ref_factsmt);
    lua_setmetatable(L, -2);
    break;
  }
  case JSON_STRING: lua_pushlstring(L, json_string_value(j), json_string_length(j)); break;
  case JSON_INTEGER: lua_pushinteger(L, (lua_Integer)json_integer_value(j)); break;
  case JSON_REAL: lua_pushnumber(L, json_real_value(j)); break;
  case JSON_TRUE: lua_pushboolean(L, 1); break;
  case JSON_FALSE: lua_pushboolean(L, 0); break;
  case JSON_NULL: lua_pushnil(L); break;
  }
}

/* view_at() is the view at index i, checked to belong to this evaluation. */
static const json_t *view_at(lua_State *L, int i) {
  const FactsView *v = lua_touserdata(L, i);
  if (!v || !tls || v->gen != tls->gen) luaL_error(L, "facts 已失效 / facts used outside their evaluation");
  return v->j;
}

/* fact_get() is member k (a string) of an object, or element k (1-based)
** of an array; NULL when there is none. */
static const json_t *fact_get(lua_State *L, const json_t *j, int k) {
  if (json_is_object(j)) return lua_type(L, k) == LUA_TSTRING ? json_object_get(j, lua_tostring(L, k)) : NULL;
  int isnum;
  lua_Integer i = lua_tointegerx(L, k, &isnum);
  return isnum && i >= 1 && (lua_Unsigned)i <= json_array_size(j) ? json_array_get(j, (size_t)i - 1) : NULL;
}

static int l_fact_index(lua_State *L) {
  const json_t *j = view_at(L, 1);
  push_fact(L, tls, fact_get(L, j, 2));
  return 1;
}

static int l_fact_len(lua_State *L) {
  const json_t *j = view_at(L, 1);
  lua_pushinteger(L, json_is_array(j) ? (lua_Integer)json_array_size(j) : 0);
  return 1;
}

/* l_fact_next(view, key) is the member after key (nil: the first), skipping
** nulls, as next() does for tables: key and value, or nil at the end. */
static int l_fact_next(lua_State *L) {
  const json_t *j = view_at(L, 1);
  if (json_is_object(j)) {
    void *it = lua_isnil(L, 2) ? json_object_iter((json_t *)j)
                               : lua_type(L, 2) == LUA_TSTRING
                                     ? json_object_iter_next((json_t *)j, json_object_iter_at((json_t *)j, lua_tostring(L, 2)))
                                     : NULL;
    while (it && json_is_null(json_object_iter_value(it))) it = json_object_iter_next((json_t *)j, it);
    if (!it) return lua_pushnil(L), 1;
    lua_pushstring(L, json_object_iter_key(it));
    push_fact(L, tls, json_object_iter_value(it));
    return 2;
  }
  size_t n = json_array_size(j), i = lua_isnil(L, 2) ? 0 : (size_t)lua_tointeger(L, 2);
  while (i < n && json_is_null(json_array_get(j, i))) i++;
  if (i >= n) return lua_pushnil(L), 1;
  lua_pushinteger(L, (lua_Integer)i + 1);
  push_fact(L, tls, json_array_get(j, i));
  return 2;
}

static int l_fact_pairs(lua_State *L) {
  view_at(L, 1);
  lua_pushcfunction(L, l_fact_next);
  lua_pushvalue(L, 1);
  lua_pushnil(L);
  return 3;
}

static int l_fact_readonly(lua_State *L) {
  return luaL_error(L, "facts 只读 / facts are read-only");
}

/* Evaluating --------------------------------------------------------------- */

/* What the protected steps need (a light userdata argument): the text to
** run (a rule, or rules_eval_shared()'s prelude) and the facts. */
typedef struct EvalArgs {
  const char *src;
  size_t n;
  const json_t *facts;
  bool copy; /* rules_eval_shared(): give the rule copies of the prelude's plain tables */
} EvalArgs;

/* push_env() pushes a new environment {facts = the value at index facts,
** _G = itself} over base. */
static void push_env(lua_State *L, Rules *R, int facts) {
  facts = lua_absindex(L, facts);
  lua_createtable(L, 0, 4);
  lua_rawgeti(L, LUA_REGISTRYINDEX, R->ref_envmt);
  lua_setmetatable(L, -2);
  lua_pushvalue(L, facts);
  lua_setfield(L, -2, "facts");
  lua_pushvalue(L, -1);
  lua_setfield(L, -2, "_G");
}

/* eval_protected() runs one evaluation inside lua_pcall: chunk, a new
** environment over base, then the call. Leaves the rule's first result. */
static int eval_protected(lua_State *L) {
  Rules *R = tls;
  const EvalArgs *a = lua_touserdata(L, 1);
  R->ePhase = PHASE_COMPILE;
  chunk(L, R, CHUNK_PREFIX, a->src, a->n, ""); /* 2: function */
  R->ePhase = PHASE_FACTS;
  push_fact(L, R, a->facts);
  push_env(L, R, 3);
  lua_remove(L, 3);                            /* 3: environment */
  R->ePhase = PHASE_RUN;
  R->string_max = RULES_MAX_STRING;
  lua_call(L, 1, 1);
  return 1;
}

/* copy_utf8() copies s[0..n) into dst (cap bytes, NUL-terminated), replacing
** bytes that are not well-formed UTF-8 (and NULs) by '?', and never cutting
** a character in two. */
static void copy_utf8(char *dst, size_t cap, const char *s, size_t n) {
  size_t o = 0;
  for (size_t i = 0; i < n;) {
    unsigned char c = (unsigned char)s[i];
    size_t len = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    bool ok = i + len <= n && utf8_valid(s + i, len);
    if (!ok) len = 1;
    if (o + (ok ? len : 1) >= cap) break;
    if (ok) memcpy(dst + o, s + i, len), o += len;
    else dst[o++] = '?';
    i += len;
  }
  dst[o] = 0;
}

/* fail() makes out a manual result for a failed rule: code, the error
** "中文 / English: detail" and one Chinese reason. */
static void fail(RuleResult *out, const char *code, const char *zh, const char *en, const char *detail) {
  json_decref(out->outputs); /* a rule that failed has no outputs and no why-not */
  out->outputs = NULL;
  free(out->conditions);
  free(out->text);
  out->conditions = NULL;
  out->text = NULL;
  out->nConditions = 0;
  char msg[1024];
  snprintf(out->code, sizeof out->code, "%s", code);
  snprintf(msg, sizeof msg, "%s / %s%s%s", zh, en, detail && *detail ? ": " : "", detail ? detail : "");
  copy_utf8(out->error, sizeof out->error, msg, strlen(msg));
  out->verdict = VERDICT_MANUAL;
  if (!out->reasons) out->reasons = json_array();
  json_array_clear(out->reasons);
  char reason[256];
  snprintf(reason, sizeof reason, "规则未能自动判定（%s），转人工审核", zh);
  json_array_append_new(out->reasons, json_string(reason));
}

/* verdict_of() maps "approve" | "deny" | "manual" to the verdict, else 0. */
static eVerdict verdict_of(const char *s) {
  for (int v = VERDICT_APPROVE; v <= VERDICT_MANUAL; v++)
    if (strcmp(s, rules_verdict_name((eVerdict)v)) == 0) return (eVerdict)v;
  return 0;
}

/* take_table() reads a returned {decision, reasons} (at the top of L) with
** raw accesses only, into out. Returns 0, or -1 with why ("中文 / English")
** in why. Runs with limits off; allocates only the JSON strings. */
static int take_table(lua_State *L, RuleResult *out, char *why, size_t cap) {
  int t = lua_gettop(L);
  lua_pushliteral(L, "decision");
  if (lua_rawget(L, t) != LUA_TSTRING || !verdict_of(lua_tostring(L, -1))) {
    snprintf(why, cap, "decision 须为 \"approve\"、\"deny\" 或 \"manual\" / decision must be \"approve\", \"deny\" or \"manual\"");
    return -1;
  }
  eVerdict v = verdict_of(lua_tostring(L, -1));
  lua_pushliteral(L, "reasons");
  int rt = lua_rawget(L, t);
  if (rt != LUA_TNIL && rt != LUA_TTABLE) {
    snprintf(why, cap, "reasons 须为字符串数组 / reasons must be an array of strings");
    return -1;
  }
  json_t *arr = json_array();
  lua_Unsigned n = rt == LUA_TTABLE ? lua_rawlen(L, -1) : 0;
  if (n > MAX_REASONS) {
    json_decref(arr);
    snprintf(why, cap, "理由过多（最多 %d 条）/ too many reasons (at most %d)", MAX_REASONS, MAX_REASONS);
    return -1;
  }
  for (lua_Unsigned i = 1; i <= n; i++) {
    size_t len = 0;
    const char *s = lua_rawgeti(L, -1, (lua_Integer)i) == LUA_TSTRING ? lua_tolstring(L, -1, &len) : NULL;
    if (!s || len > MAX_REASON_BYTES || !utf8_valid(s, len)) {
      json_decref(arr);
      snprintf(why, cap, "第 %d 条理由须为不超过 %d 字节的 UTF-8 字符串 / reason %d must be a UTF-8 string of at most %d bytes",
               (int)i, MAX_REASON_BYTES, (int)i, MAX_REASON_BYTES);
      return -1;
    }
    json_array_append_new(arr, json_stringn_nocheck(s, len));
    lua_pop(L, 1);
  }
  json_decref(out->reasons);
  out->reasons = arr;
  out->verdict = v;
  return 0;
}

/* error_detail() writes the error value at the top of L as text without
** running any metamethod: strings and numbers as they are, anything else
** as its type. */
static void error_detail(lua_State *L, char *buf, size_t cap) {
  int t = lua_type(L, -1);
  if (t == LUA_TSTRING) {
    size_t n;
    const char *s = lua_tolstring(L, -1, &n);
    copy_utf8(buf, cap, s, n);
  } else if (lua_isinteger(L, -1)) {
    snprintf(buf, cap, "%lld", (long long)lua_tointeger(L, -1));
  } else if (t == LUA_TNUMBER) {
    snprintf(buf, cap, "%.14g", lua_tonumber(L, -1));
  } else {
    snprintf(buf, cap, "(error object is a %s value)", lua_typename(L, t));
  }
}

/* take_conditions() hands the evaluation's conditions to out, their
** offsets turned into pointers into out's copy of the text. */
static void take_conditions(Rules *R, RuleResult *out) {
  if (R->nConds == 0) return;
  out->text = xmalloc(R->text.n + 1);
  memcpy(out->text, R->text.a, R->text.n);
  out->conditions = xmalloc((size_t)R->nConds * sizeof *out->conditions);
  memcpy(out->conditions, R->conds, (size_t)R->nConds * sizeof *out->conditions);
  out->nConditions = R->nConds;
  for (int i = 0; i < R->nConds; i++) {
    RuleCondition *c = &out->conditions[i];
    c->name = out->text + (uintptr_t)c->name;
    if (c->message) c->message = out->text + (uintptr_t)c->message;
    if (c->figure.kind == 's') c->figure.s = out->text + (uintptr_t)c->figure.s;
    if (c->threshold.kind == 's') c->threshold.s = out->text + (uintptr_t)c->threshold.s;
  }
}

/* finish() turns the state after lua_pcall (status, value at the top) into
** out. See rules.h for the order: limits first, then errors, then the
** decision. */
static void finish(Rules *R, lua_State *L, int status, RuleResult *out) {
  char detail[600];
  if (R->eLimit == LIMIT_INSTRUCTIONS) {
    snprintf(detail, sizeof detail, "%d", RULES_MAX_INSTRUCTIONS);
    fail(out, "rule.instructions", "规则超出指令数限制", "the rule exceeded the instruction limit", detail);
    return;
  }
  if (R->eLimit == LIMIT_TIME) {
    snprintf(detail, sizeof detail, "%d ms", RULES_MAX_WALL_MS);
    fail(out, "rule.timeout", "规则运行超时", "the rule ran longer than its time limit", detail);
    return;
  }
  if (R->eMem || status == LUA_ERRMEM) {
    static const char *const why[] = {"not enough memory", "more than RULES_MAX_MEMORY in use",
                                      "more than RULES_MAX_ALLOC_VOLUME allocated in all",
                                      "a string longer than RULES_MAX_STRING"};
    fail(out, "rule.memory", "规则超出内存限制", "the rule exceeded the memory limit", why[R->eMem]);
    return;
  }
  if (R->bad[0]) {
    fail(out, "rule.bad_result", "规则结果格式错误", "malformed rule result", R->bad);
    return;
  }
  if (R->conflict) {
    fail(out, "rule.bad_result", "规则作出了多个决定", "the rule decided more than once", NULL);
    return;
  }
  bool sentinel = status != LUA_OK && lua_touserdata(L, -1) == (void *)&SENTINEL;
  if (status != LUA_OK && !sentinel) {
    error_detail(L, detail, sizeof detail);
    if (R->ePhase == PHASE_COMPILE)
      fail(out, "rule.syntax", "规则语法错误", "rule syntax error", R->syntax);
    else if (R->ePhase == PHASE_FACTS)
      fail(out, "rule.facts", "事实数据无效", "invalid facts", detail);
    else
      fail(out, "rule.runtime", "规则运行出错", "rule runtime error", detail);
    return;
  }
  /* From here on the rule ran to its end: its outputs and conditions stand. */
  out->outputs = R->outputs;
  R->outputs = NULL;
  take_conditions(R, out);
  if (R->decided) {
    if (!sentinel && !lua_isnil(L, -1)) {
      fail(out, "rule.bad_result", "规则作出了多个决定", "the rule decided more than once",
           "a decision function was called and a value returned");
      return;
    }
    out->verdict = R->decided;
    json_decref(out->reasons);
    out->reasons = R->decided_reasons;
    R->decided_reasons = NULL;
    return;
  }
  if (lua_isnil(L, -1)) {
    out->verdict = VERDICT_MANUAL;
    out->reasons = json_array();
    json_array_append_new(out->reasons, json_string("规则未作出决定，转人工审核"));
    return;
  }
  if (lua_type(L, -1) != LUA_TTABLE) {
    snprintf(detail, sizeof detail, "返回了 %s，应为 {decision=…, reasons={…}} / returned a %s, not {decision=…, reasons={…}}",
             luaL_typename(L, -1), luaL_typename(L, -1));
    fail(out, "rule.bad_result", "规则结果格式错误", "malformed rule result", detail);
    return;
  }
  if (take_table(L, out, detail, sizeof detail) != 0)
    fail(out, "rule.bad_result", "规则结果格式错误", "malformed rule result", detail);
}

/* begin() resets the per-evaluation fields of R and turns the limits on;
** a new evaluation (fresh) also ends the facts views of the last. */
static void begin(Rules *R, bool fresh) {
  if (fresh) R->gen++;
  if (R->used > R->baseline + 2 * (size_t)RULES_MAX_MEMORY) lua_gc(R->L, LUA_GCCOLLECT);
  R->limit = R->used + RULES_MAX_MEMORY;
  R->volume = 0;
  R->eMem = MEM_NONE;
  R->eLimit = LIMIT_NONE;
  R->instructions = 0;
  R->deadline = mono_ms() + RULES_MAX_WALL_MS;
  R->ePhase = 0;
  R->decided = 0;
  R->cells = 0;
  R->conflict = false;
  R->bad[0] = 0;
  R->syntax[0] = 0;
  R->string_max = SIZE_MAX;
  R->enforce = true;
}

/* end() turns the limits off, drops what the evaluation left on the stack
** and any decision not taken, and collects garbage after a memory overrun. */
static void end(Rules *R) {
  R->enforce = false;
  R->string_max = SIZE_MAX;
  lua_sethook(R->L, NULL, 0, 0);
  lua_settop(R->L, 0);
  json_decref(R->decided_reasons);
  json_decref(R->outputs);
  R->decided_reasons = R->outputs = NULL;
  R->nConds = 0;
  buf_reset(&R->text);
  if (R->eMem) lua_gc(R->L, LUA_GCCOLLECT);
}

/* protect() runs f(arg) in lua_pcall under the limits of a new evaluation
** (fresh: also a new generation of facts views), with nresults; its status.
** The caller reads the state, then calls end(). */
static int protect(Rules *R, bool fresh, lua_CFunction f, void *arg, int nresults) {
  begin(R, fresh);
  lua_sethook(R->L, hook, LUA_MASKCOUNT, HOOK_EVERY);
  lua_pushcfunction(R->L, f);
  lua_pushlightuserdata(R->L, arg);
  int status = lua_pcall(R->L, 1, nresults, 0);
  R->enforce = false;
  return status;
}

/* evaluate() is protect() of one rule (f leaves its result) into out. */
static void evaluate(Rules *R, bool fresh, lua_CFunction f, void *arg, RuleResult *out) {
  int status = protect(R, fresh, f, arg, 1);
  finish(R, R->L, status, out);
  out->instructions = R->instructions;
  end(R);
  if (!out->reasons) out->reasons = json_array();
}

eVerdict rules_eval(const char *src, const json_t *facts, RuleResult *out) {
  memset(out, 0, sizeof *out);
  out->verdict = VERDICT_MANUAL; /* out->reasons is made by finish() or fail() */
  if (!json_is_object(facts)) {
    fail(out, "rule.facts", "事实数据无效", "invalid facts", "facts must be a JSON object");
    return out->verdict;
  }
  Rules *R = rules_get();
  if (!R) {
    fail(out, "rule.internal", "规则引擎不可用", "the rule engine is unavailable", NULL);
    return out->verdict;
  }
  EvalArgs a = {src ? src : "", src ? strlen(src) : 0, facts, false};
  evaluate(R, true, eval_protected, &a, out);
  return out->verdict;
}

/* Rules sharing a prelude ------------------------------------------------- */

/* A prelude is compiled with its helper __share as a second argument and a
** call to it at its end; __share (l_share()) keeps the values of the
** prelude's locals at that point, and each rule then gets them as its own
** locals of the same names, through the prefix "local _ENV, NAME, … = ...;"
** (on the rule's first line, so its line numbers are its own). The prelude
** runs once for all the rules; each rule runs in its own environment, with
** its own limits and result. */
#define PRELUDE_PREFIX "local _ENV, __share = ...;"
#define PRELUDE_SUFFIX "\n;__share()" /* the ";" ends the prelude's last statement, whatever it is */
#define MAX_SHARED 120 /* locals a prelude may share (a function has at most 200) */

/* l_share() keeps the values of its caller's active locals (the prelude's
** helpers; not _ENV, __share or temporaries) in the shared table and makes
** R->prefix declare them. */
static int l_share(lua_State *L) {
  Rules *R = tls;
  lua_Debug ar;
  if (!lua_getstack(L, 1, &ar)) return luaL_error(L, "__share: no caller");
  lua_rawgeti(L, LUA_REGISTRYINDEX, R->ref_shared);
  int t = lua_gettop(L), k = 0;
  buf_reset(&R->prefix);
  buf_puts(&R->prefix, "local _ENV");
  const char *name;
  for (int i = 1; (name = lua_getlocal(L, &ar, i)) != NULL; i++) {
    if (name[0] == '(' || strcmp(name, "_ENV") == 0 || strcmp(name, "__share") == 0) {
      lua_pop(L, 1);
      continue;
    }
    if (k == MAX_SHARED) return luaL_error(L, "前置规则的局部变量过多（最多 %d 个）/ the prelude has more than %d locals",
                                           MAX_SHARED, MAX_SHARED);
    lua_rawseti(L, t, ++k);
    buf_puts(&R->prefix, ", ");
    buf_puts(&R->prefix, name);
  }
  buf_puts(&R->prefix, " = ...;");
  R->nShared = k;
  return 0;
}

/* prelude_protected() runs the prelude in an environment {facts, _G} over
** base, keeping its facts view at shared[0]. */
static int prelude_protected(lua_State *L) {
  Rules *R = tls;
  const EvalArgs *a = lua_touserdata(L, 1);
  R->ePhase = PHASE_COMPILE;
  chunk(L, R, PRELUDE_PREFIX, a->src, a->n, PRELUDE_SUFFIX); /* 2: function */
  R->ePhase = PHASE_FACTS;
  lua_rawgeti(L, LUA_REGISTRYINDEX, R->ref_shared);
  push_fact(L, R, a->facts);
  lua_rawseti(L, 3, 0);
  lua_rawgeti(L, 3, 0);
  push_env(L, R, 4);
  lua_replace(L, 3);                                         /* 3: environment */
  lua_settop(L, 3);
  lua_pushcfunction(L, l_share);
  R->ePhase = PHASE_RUN;
  R->string_max = RULES_MAX_STRING;
  lua_call(L, 2, 0);
  return 0;
}

/* copy_plain() replaces the value at the top of L, when it is a table
** without a metatable, by a copy (its plain tables copied too, to depth). */
static void copy_plain(lua_State *L, int depth) {
  if (lua_type(L, -1) != LUA_TTABLE || depth <= 0) return;
  if (lua_getmetatable(L, -1)) {
    lua_pop(L, 1);
    return;
  }
  luaL_checkstack(L, 6, "copy");
  int src = lua_gettop(L);
  lua_createtable(L, (int)lua_rawlen(L, src), 0);
  int dst = lua_gettop(L);
  lua_pushnil(L);
  while (lua_next(L, src)) {
    copy_plain(L, depth - 1);
    lua_pushvalue(L, -2);
    lua_insert(L, -2);
    lua_rawset(L, dst);
  }
  lua_replace(L, src);
}

/* shared_rule_protected() runs one rule in a new environment {facts, _G}
** over base, with the prelude's helpers as its arguments. Leaves its first
** result. */
static int shared_rule_protected(lua_State *L) {
  Rules *R = tls;
  const EvalArgs *a = lua_touserdata(L, 1);
  R->ePhase = PHASE_COMPILE;
  chunk(L, R, buf_cstr(&R->prefix), a->src, a->n, ""); /* 2: function */
  R->ePhase = PHASE_FACTS;
  luaL_checkstack(L, R->nShared + 8, "shared");
  lua_rawgeti(L, LUA_REGISTRYINDEX, R->ref_shared);    /* 3 */
  lua_rawgeti(L, 3, 0);
  push_env(L, R, 4);                                   /* 5: environment */
  lua_replace(L, 4);
  lua_insert(L, 3);                                    /* 3: environment, 4: shared */
  R->ePhase = PHASE_RUN;
  R->string_max = RULES_MAX_STRING;
  for (int i = 1; i <= R->nShared; i++) {
    lua_rawgeti(L, 4, i);
    if (a->copy) copy_plain(L, 8);
  }
  lua_remove(L, 4);
  lua_call(L, 1 + R->nShared, 1);
  return 1;
}

/* drop_shared() lets the prelude's values go (also those of a prelude
** that failed while sharing them). */
static void drop_shared(Rules *R) {
  lua_State *L = R->L;
  lua_rawgeti(L, LUA_REGISTRYINDEX, R->ref_shared);
  for (int i = 0, n = (int)lua_rawlen(L, -1); i <= n || i <= R->nShared; i++) {
    lua_pushnil(L);
    lua_rawseti(L, -2, i);
  }
  lua_pop(L, 1);
  R->nShared = -1;
}

void rules_eval_shared(const char *prelude, const char *const *texts, int n, const json_t *facts, RuleResult *out) {
  for (int i = 0; i < n; i++) {
    memset(&out[i], 0, sizeof out[i]);
    out[i].verdict = VERDICT_MANUAL;
  }
  RuleResult pre = {.verdict = VERDICT_MANUAL};
  Rules *R = NULL;
  if (!json_is_object(facts)) fail(&pre, "rule.facts", "事实数据无效", "invalid facts", "facts must be a JSON object");
  else if (!(R = rules_get())) fail(&pre, "rule.internal", "规则引擎不可用", "the rule engine is unavailable", NULL);
  else {
    EvalArgs a = {prelude ? prelude : "", prelude ? strlen(prelude) : 0, facts, false};
    R->nShared = -1;
    int status = protect(R, true, prelude_protected, &a, 0);
    /* The prelude failed, every rule fails with it: an error or a limit as
    ** a rule's would, anything else it did but share its helpers as a
    ** malformed result. */
    if (!R->decided && (status != LUA_OK || R->eLimit || R->eMem || R->bad[0] || R->conflict))
      finish(R, R->L, status, &pre);
    else if (R->decided || R->nShared < 0 || R->nConds || R->outputs)
      fail(&pre, "rule.bad_result", "前置规则须只定义辅助函数", "the prelude may only define helpers",
           "it decided, reported or returned before sharing them");
    pre.instructions = R->instructions;
    end(R);
    for (int i = 0; !pre.code[0] && R->nShared >= 0 && i < n; i++) {
      a.src = texts[i] ? texts[i] : "";
      a.n = strlen(a.src);
      a.copy = i < n - 1; /* what a rule does to them cannot reach the rules after it */
      evaluate(R, false, shared_rule_protected, &a, &out[i]);
    }
    drop_shared(R);
  }
  for (int i = 0; pre.code[0] && i < n; i++) {
    memcpy(out[i].code, pre.code, sizeof pre.code);
    memcpy(out[i].error, pre.error, sizeof pre.error);
    out[i].verdict = pre.verdict;
    out[i].instructions = pre.instructions;
    out[i].reasons = json_deep_copy(pre.reasons);
  }
  rules_result_clear(&pre);
}

/* check_protected() compiles the source (light userdata EvalArgs) inside
** lua_pcall, so a memory error is caught. */
static int check_protected(lua_State *L) {
  Rules *R = tls;
  const EvalArgs *a = lua_touserdata(L, 1);
  if (compile(L, R, CHUNK_PREFIX, a->src, a->n, "") != LUA_OK) return lua_error(L);
  return 0;
}

int rules_check(const char *src, Err *e) {
  Rules *R = rules_get();
  if (!R) return err_set(e, E_INTERNAL, "rule.internal", NULL, "规则引擎不可用", "The rule engine is unavailable");
  EvalArgs a = {src ? src : "", src ? strlen(src) : 0, NULL, false};
  int status = protect(R, true, check_protected, &a, 0);
  char msg[400];
  if (status != LUA_OK && !R->syntax[0]) snprintf(R->syntax, sizeof R->syntax, "规则过大 / the rule is too large");
  copy_utf8(msg, sizeof msg, R->syntax, strlen(R->syntax));
  end(R);
  if (status == LUA_OK) return 0;
  return err_setf(e, E_INVALID, "rule.syntax", "rule", "规则语法错误：%s", "Rule syntax error: %s", msg);
}

int64_t rules_compiles(void) { return tls ? tls->compiles : 0; }

json_t *rules_scalar_json(const RuleScalar *v) {
  switch (v->kind) {
  case 'b': return json_boolean(v->b);
  case 'i': return json_integer((json_int_t)v->i);
  case 'r': return json_real(v->r);
  case 's': return json_stringn_nocheck(v->s, v->n);
  }
  return json_null();
}

json_t *rules_conditions_json(const RuleResult *r) {
  json_t *a = json_array();
  for (int i = 0; i < r->nConditions; i++) {
    const RuleCondition *c = &r->conditions[i];
    json_t *o = json_object();
    json_object_set_new_nocheck(o, "name", json_stringn_nocheck(c->name, c->nName));
    json_object_set_new_nocheck(o, "met", c->met < 0 ? json_null() : json_boolean(c->met));
    json_object_set_new_nocheck(o, "figure", rules_scalar_json(&c->figure));
    json_object_set_new_nocheck(o, "threshold", rules_scalar_json(&c->threshold));
    if (c->message) json_object_set_new_nocheck(o, "message", json_stringn_nocheck(c->message, c->nMessage));
    json_array_append_new(a, o);
  }
  return a;
}

json_t *rules_result_json(const RuleResult *r) {
  json_t *o = json_object();
  json_object_set_new(o, "decision", json_string(rules_verdict_name(r->verdict)));
  json_object_set_new(o, "reasons", r->reasons ? json_deep_copy(r->reasons) : json_array());
  if (r->code[0]) {
    json_object_set_new(o, "code", json_string(r->code));
    json_object_set_new(o, "error", json_string(r->error));
  }
  if (r->outputs) json_object_set_new(o, "outputs", json_deep_copy(r->outputs));
  if (r->nConditions > 0) {
    json_t *unmet = json_array();
    for (int i = 0; i < r->nConditions; i++)
      if (r->conditions[i].met != 1)
        json_array_append_new(unmet, json_stringn_nocheck(r->conditions[i].name, r->conditions[i].nName));
    json_object_set_new(o, "conditions", rules_conditions_json(r));
    json_object_set_new(o, "unmet", unmet);
  }
  return o;
}

void rules_result_clear(RuleResult *r) {
  json_decref(r->reasons);
  json_decref(r->outputs);
  free(r->conditions);
  free(r->text);
  memset(r, 0, sizeof *r);
}

const char *rules_verdict_name(eVerdict v) {
  switch (v) {
  case VERDICT_APPROVE: return "approve";
  case VERDICT_DENY: return "deny";
  case VERDICT_MANUAL: return "manual";
  }
  return "manual";
}
