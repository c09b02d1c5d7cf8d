/*
 * sha256: SHA-256 as 64 lower-case hex digits, for the audit trail's chained
 * hashes, evidence files and session tokens. OpenSSL's implementation, which
 * uses the processor's SHA instructions where it has them (libsodium's is
 * portable C: at a million audit rows of about 600 bytes that was 3 s of a
 * bulk import).
 */
#ifndef ZS_SHA256_H
#define ZS_SHA256_H

#include <stddef.h>

void sha256_hex(const void *data, size_t len, char out[65]);

#endif
