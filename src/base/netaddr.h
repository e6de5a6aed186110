/*
** netaddr.h — IP addresses and CIDR blocks, for the reverse proxies the
** server trusts (ServerConfig.trusted_proxies). An address is 16 bytes,
** IPv4 as the mapped ::ffff:a.b.c.d, so one comparison serves both.
*/
#ifndef XINQU_NETADDR_H
#define XINQU_NETADDR_H

#include "base.h"

/* One CIDR block: the addresses whose first bits bits are those of a. */
typedef struct NetBlock {
  unsigned char a[16]; /* the block's address (IPv4 mapped) */
  int bits;            /* prefix length out of 128 (an IPv4 /24 is 120) */
} NetBlock;

/* netaddr_parse() reads the IPv4 or IPv6 address in the n bytes at s (no
** port, no brackets, no spaces) into a. Returns 0, or -1 when it is not
** one. */
int netaddr_parse(const char *s, size_t n, unsigned char a[16]);
/* netaddr_blocks() parses a comma-separated list of addresses and CIDR
** blocks ("10.0.0.0/8, ::1") into a new array *out (free() it; NULL when
** the list is empty). Returns how many, or -1 with the first bad entry
** copied to bad (cap bytes) and *out NULL. */
int netaddr_blocks(const char *list, NetBlock **out, char *bad, size_t cap);
/* netaddr_in() is true when a is in one of the n blocks. */
bool netaddr_in(const NetBlock *blocks, int n, const unsigned char a[16]);
/* netaddr_text() writes a as text (an IPv4-mapped address as a.b.c.d). */
void netaddr_text(const unsigned char a[16], char *out, size_t cap);

#endif
