/*
** base.h — the few things every xinqu module uses: allocation that never
** returns NULL, panic for broken invariants, logging, and Err, the one way
** a layer that can fail tells its caller what went wrong.
*/
#ifndef XINQU_BASE_H
#define XINQU_BASE_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#define XQ_NORETURN __attribute__((noreturn))
#define XQ_PRINTF(a, b) __attribute__((format(printf, a, b)))
#define XQ_COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Allocation. Out of memory is fatal: these abort instead of returning NULL. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* xasprintf() returns a newly allocated formatted string (free() it). */
char *xasprintf(const char *fmt, ...) XQ_PRINTF(1, 2);

/* panic() reports a broken invariant with its place and aborts. */
XQ_NORETURN void panic_at(const char *file, int line, const char *fmt, ...) XQ_PRINTF(3, 4);
#define panic(...) panic_at(__FILE__, __LINE__, __VA_ARGS__)

/* ALWAYS(X)/NEVER(X) mark defensive checks of conditions believed to be
** always true / never true. Debug builds abort when the belief is wrong;
** release builds take the defensive branch. */
#ifdef NDEBUG
#define ALWAYS(X) (X)
#define NEVER(X) (X)
#else
#define ALWAYS(X) ((X) ? 1 : (panic("ALWAYS(%s) failed", #X), 0))
#define NEVER(X) ((X) ? (panic("NEVER(%s) failed", #X), 1) : 0)
#endif

/* Logging to stderr with a UTC timestamp. log_quiet(true) silences info. */
void log_info(const char *fmt, ...) XQ_PRINTF(1, 2);
void log_warn(const char *fmt, ...) XQ_PRINTF(1, 2);
void log_error(const char *fmt, ...) XQ_PRINTF(1, 2);
void log_quiet(bool quiet);

/*
** Err: an expected failure, reported by the domain and store layers and
** turned into a JSON error by the HTTP layer (or a message by the CLI).
** The kind chooses the HTTP status; code is a stable dotted identifier
** ("entity.bad_uscc"); message is Chinese, message_en English; field names
** the offending input field, or is empty.
*/
typedef enum eErr {
  E_OK = 0,
  E_INVALID,   /* 400: the input is wrong */
  E_NOTFOUND,  /* 404 */
  E_CONFLICT,  /* 409: duplicates, wrong state */
  E_FORBIDDEN, /* 403 */
  E_AUTH,      /* 401 */
  E_LIMIT,     /* 429: throttled */
  E_BUSY,      /* 503: overloaded, try again */
  E_INTERNAL   /* 500: the database or the machine failed */
} eErr;

typedef struct ErrList ErrList;

typedef struct Err {
  eErr kind;           /* E_OK when nothing went wrong */
  char code[64];       /* stable code, e.g. "entity.bad_uscc" */
  char field[64];      /* input field at fault, or "" */
  char message[384];   /* Chinese message */
  char message_en[384];/* English message */
  int retry_after;     /* seconds, for E_LIMIT and E_BUSY; 0 otherwise */
  int64_t line;        /* the line of an imported file at fault (sheet.h), or 0 */
  ErrList *all;        /* where a validator that can go on after a bad field
                          puts every error (err_more()), or NULL to stop at the
                          first; set by the caller, who owns the list: copying
                          an Err copies the pointer, and err_set() keeps it */
} Err;

/* Every error of one input at once (a filing's form fields, contact and
** materials): the first is also the Err's own code/field/message. */
struct ErrList {
  int n, cap;
  Err *a;              /* each with all == NULL */
};
/* err_more() adds the error just set in *e to e->all and puts the first
** error of the list back into *e (so *e keeps answering with the first).
** Returns true when the caller asked for every error and the validator
** should go on checking; false (nothing recorded) when e->all is NULL. */
bool err_more(Err *e);
/* errlist_free() frees what the list holds (not the list itself). */
void errlist_free(ErrList *l);

/* err_set() fills *e (if e is not NULL) and returns -1, so a failing
** function can `return err_set(e, ...)`. field may be NULL. zh and en are
** plain text; use err_setf() to put a value into both. */
int err_set(Err *e, eErr kind, const char *code, const char *field,
            const char *zh, const char *en);
/* err_setf(): like err_set(), but zh and en are printf formats that each
** take the single string argument arg (e.g. a bad value or a reason). */
int err_setf(Err *e, eErr kind, const char *code, const char *field,
             const char *zh, const char *en, const char *arg);
/* err_set_reason(): like err_setf(), with a reason written "中文 / English"
** (as the code checkers write them): the Chinese half goes into zh and the
** English half into en. */
int err_set_reason(Err *e, eErr kind, const char *code, const char *field,
                   const char *zh, const char *en, const char *reason);
/* err_clear() forgets the error (and the errors of e->all, keeping the
** list for the caller). */
void err_clear(Err *e);
/* text_check() checks a text parameter v of a request (NULL when absent):
** request.missing_field when required and absent or empty, request.too_long
** when it is not UTF-8 or longer than max characters; field is its name in
** the API, label in Chinese. 0 when it passes, -1 with *e. */
int text_check(const char *v, const char *field, const char *label, size_t max, bool required, Err *e);

/* Time. now_ms() is wall-clock milliseconds since the Unix epoch (UTC),
** or the instant pinned by clock_pin(); time_today_cn() follows it. */
int64_t now_ms(void);
/* clock_pin() makes now_ms() answer ms from now on (ms <= 0: the wall clock
** again), so the engine's own functions can run at a chosen past instant.
** Only for the demo history (history.h), which runs alone in `xinqu init`
** before anything serves, and for unit tests: a server never pins its
** clock. Any thread may read the pin; one thread sets it. */
void clock_pin(int64_t ms);
/* mono_ms() is a monotonic clock in milliseconds, for timeouts. */
int64_t mono_ms(void);
/* mono_us() is the same clock in microseconds, for measuring. */
int64_t mono_us(void);
/* time_iso() writes the instant ms as "YYYY-MM-DDTHH:MM:SS+08:00" in
** Asia/Shanghai (China has had no daylight saving since 1991, so the offset
** is fixed at +08:00). out must hold 32 bytes. Returns out. */
char *time_iso(int64_t ms, char out[32]);
/* time_today_cn() writes today's date in Asia/Shanghai as YYYY-MM-DD. */
char *time_today_cn(char out[11]);

/* fnv1a() is the 32-bit FNV-1a hash of p[0..n), for in-memory tables. */
uint32_t fnv1a(const void *p, size_t n);

/* UTF-8: true when s[0..n) is well-formed UTF-8 with no NUL byte. */
bool utf8_valid(const char *s, size_t n);
/* utf8_len() counts the code points of a valid UTF-8 string. */
size_t utf8_len(const char *s);
/* utf8_width() is how many terminal columns a valid UTF-8 string takes:
** 2 for each East Asian wide or fullwidth character (汉字, kana, hangul,
** fullwidth forms: Unicode's East_Asian_Width W and F), 0 for a combining
** mark (U+0300–036F, U+200B–200F, U+FE00–FE0F), 1 for any other. */
size_t utf8_width(const char *s);

#endif
