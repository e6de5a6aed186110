/* fact_names.h — for the rules' unit tests (test_ladder.c, test_talent.c):
** the facts a rule's text reads, so a test that tries every fact covers a
** fact a new rule reads without being changed. */
#ifndef XINQU_FACT_NAMES_H
#define XINQU_FACT_NAMES_H
#include <ctype.h>
#include <jansson.h>
#include <string.h>

/* fact_names() adds to names (an object) every NAME of `f.NAME` in text. */
static inline void fact_names(const char *text, json_t *names) {
  for (const char *q = strstr(text, "f."); q; q = strstr(q + 2, "f.")) {
    if (q > text && (isalnum((unsigned char)q[-1]) || q[-1] == '_' || q[-1] == '.')) continue;
    size_t n = strspn(q + 2, "abcdefghijklmnopqrstuvwxyz_0123456789");
    char name[64];
    if (n == 0 || n >= sizeof name) continue;
    memcpy(name, q + 2, n), name[n] = 0;
    json_object_set_new(names, name, json_true());
  }
}
#endif
