/*
** netaddr.c — IP addresses and CIDR blocks (see netaddr.h).
*/
#include "netaddr.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const unsigned char v4_prefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

int netaddr_parse(const char *s, size_t n, unsigned char a[16]) {
  char text[INET6_ADDRSTRLEN];
  if (n == 0 || n >= sizeof text) return -1;
  memcpy(text, s, n);
  text[n] = 0;
  if (inet_pton(AF_INET, text, a + 12) == 1) {
    memcpy(a, v4_prefix, 12);
    return 0;
  }
  return inet_pton(AF_INET6, text, a) == 1 ? 0 : -1;
}

/* block_parse() reads one "ADDR" or "ADDR/BITS" of n bytes into *b. */
static int block_parse(const char *s, size_t n, NetBlock *b) {
  const char *slash = memchr(s, '/', n);
  size_t an = slash ? (size_t)(slash - s) : n;
  if (netaddr_parse(s, an, b->a) != 0) return -1;
  bool v4 = memcmp(b->a, v4_prefix, 12) == 0 && memchr(s, ':', an) == NULL;
  int max = v4 ? 32 : 128;
  b->bits = 128;
  if (slash) {
    size_t dn = n - an - 1;
    int bits = 0;
    if (dn == 0 || dn > 3) return -1;
    for (size_t i = 0; i < dn; i++) {
      if (slash[1 + i] < '0' || slash[1 + i] > '9') return -1;
      bits = bits * 10 + (slash[1 + i] - '0');
    }
    if (bits > max) return -1;
    b->bits = bits + (128 - max);
  }
  /* Clear the host bits, so the block compares by its prefix only. */
  for (int i = b->bits; i < 128; i++) b->a[i / 8] &= (unsigned char)~(0x80 >> (i % 8));
  return 0;
}

int netaddr_blocks(const char *list, NetBlock **out, char *bad, size_t cap) {
  int n = 0;
  *out = NULL;
  if (!list) return 0;
  for (const char *p = list; *p;) {
    while (*p == ' ' || *p == ',') p++;
    if (!*p) break;
    size_t len = strcspn(p, ", ");
    NetBlock b;
    if (block_parse(p, len, &b) != 0) {
      snprintf(bad, cap, "%.*s", (int)len, p);
      free(*out);
      *out = NULL;
      return -1;
    }
    *out = xrealloc(*out, (size_t)(n + 1) * sizeof **out);
    (*out)[n++] = b;
    p += len;
  }
  return n;
}

bool netaddr_in(const NetBlock *blocks, int n, const unsigned char a[16]) {
  for (int k = 0; k < n; k++) {
    const NetBlock *b = &blocks[k];
    int full = b->bits / 8, rest = b->bits % 8;
    if (memcmp(a, b->a, (size_t)full) != 0) continue;
    if (rest && ((a[full] ^ b->a[full]) & (unsigned char)(0xff00 >> rest))) continue;
    return true;
  }
  return false;
}

void netaddr_text(const unsigned char a[16], char *out, size_t cap) {
  if (memcmp(a, v4_prefix, 12) == 0) inet_ntop(AF_INET, a + 12, out, (socklen_t)cap);
  else inet_ntop(AF_INET6, a, out, (socklen_t)cap);
}
