/*
** crypto.c — libsodium wrappers (see crypto.h).
*/
#include "crypto.h"

#include <semaphore.h>
#include <sodium.h>
#include <string.h>
#include <unistd.h>

/* argon2id cost: OWASP's recommended setting (19 MiB, 2 passes, 1 lane).
** A stored hash carries its own parameters, so these can be raised later
** without breaking existing passwords. */
#define PW_OPS 2
#define PW_MEM (19u * 1024 * 1024)

/* At most one hash per core at a time: each holds PW_MEM of memory, so a
** burst of logins queues here instead of exhausting memory. */
static sem_t pw_slots;

void crypto_init(void) {
  if (sodium_init() < 0) panic("libsodium failed to initialise");
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  if (sem_init(&pw_slots, 0, n > 0 ? (unsigned)n : 1) != 0) panic("sem_init failed");
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

int crypto_password_hash(const char *password, char out[128]) {
  _Static_assert(crypto_pwhash_STRBYTES <= 128, "argon2 string fits");
  while (sem_wait(&pw_slots) != 0) {}
  int rc = crypto_pwhash_str_alg(out, password, strlen(password), PW_OPS, PW_MEM,
                                 crypto_pwhash_ALG_ARGON2ID13);
  sem_post(&pw_slots);
  return rc == 0 ? 0 : -1;
}

bool crypto_password_verify(const char *stored, const char *password) {
  while (sem_wait(&pw_slots) != 0) {}
  int rc = crypto_pwhash_str_verify(stored, password, strlen(password));
  sem_post(&pw_slots);
  return rc == 0;
}
