/*
** crypto.c — libsodium wrappers (see crypto.h).
*/
#include "crypto.h"

#include <sodium.h>
#include <string.h>

void crypto_init(void) {
  if (sodium_init() < 0) panic("libsodium failed to initialise");
}

void crypto_random(void *p, size_t n) { randombytes_buf(p, n); }

void crypto_token_hex(char *out, size_t nbytes) {
  unsigned char raw[64];
  if (nbytes > sizeof raw) panic("token too long");
  randombytes_buf(raw, nbytes);
  sodium_bin2hex(out, 2 * nbytes + 1, raw, nbytes);
}

void crypto_sha256_hex(const void *p, size_t n, char out[65]) {
  unsigned char h[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(h, p, n);
  sodium_bin2hex(out, 65, h, sizeof h);
}

/* libsodium's interactive limits: 64 MiB and a few tens of ms per hash. */
int crypto_password_hash(const char *password, char out[128]) {
  _Static_assert(crypto_pwhash_STRBYTES <= 128, "argon2 string fits");
  unsigned long long ops = crypto_pwhash_OPSLIMIT_INTERACTIVE;
  size_t mem = crypto_pwhash_MEMLIMIT_INTERACTIVE;
  return crypto_pwhash_str_alg(out, password, strlen(password), ops, mem,
                               crypto_pwhash_ALG_ARGON2ID13) == 0 ? 0 : -1;
}

bool crypto_password_verify(const char *stored, const char *password) {
  return crypto_pwhash_str_verify(stored, password, strlen(password)) == 0;
}
