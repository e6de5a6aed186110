/* fuzz_csv.c — libFuzzer target: the CSV reader and the registry's row
** checks (the import path without the database) on arbitrary bytes. */
#include "base/base.h"
#include "base/csv.h"
#include "domain/registry.h"

#include <stdio.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size == 0) return 0;
  FILE *f = fmemopen((void *)data, size, "r");
  if (!f) return 0;
  CsvReader r;
  csv_init(&r, f);
  int64_t last = 0;
  while (csv_next(&r) == 1) {
    if (r.line <= last) __builtin_trap(); /* lines only go forward */
    last = r.line;
    Entity en;
    Err e;
    memset(&en, 0, sizeof en);
    snprintf(en.uscc, sizeof en.uscc, "%s", csv_field(&r, 0));
    snprintf(en.name, sizeof en.name, "%s", csv_field(&r, 1));
    snprintf(en.kind, sizeof en.kind, "%s", csv_field(&r, 2));
    snprintf(en.industry, sizeof en.industry, "%s", csv_field(&r, 5));
    snprintf(en.established, sizeof en.established, "%s", csv_field(&r, 8));
    snprintf(en.status, sizeof en.status, "%s", csv_field(&r, 9));
    if (utf8_valid(en.name, strlen(en.name)) && registry_entity_check(&en, &e) == 0 &&
        strlen(en.uscc) != 18)
      __builtin_trap();
  }
  csv_free(&r);
  fclose(f);
  return 0;
}
