/*
 * sha256: see sha256.h.
 */
#include "util/sha256.h"

#include <openssl/evp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

static EVP_MD *md;
static pthread_once_t md_once = PTHREAD_ONCE_INIT;

/* Fetched once: OpenSSL 3 would otherwise look the algorithm up, under a
 * lock, on every call. */
static void md_fetch(void)
{
	md = EVP_MD_fetch(NULL, "SHA256", NULL);
}

void sha256_hex(const void *data, size_t len, char out[65])
{
	static const char digits[] = "0123456789abcdef";
	unsigned char h[EVP_MAX_MD_SIZE];
	unsigned int n = 0;
	pthread_once(&md_once, md_fetch);
	if (!md || !EVP_Digest(data, len, h, &n, md, NULL) || n != 32) {
		/* Only when OpenSSL cannot allocate or has no SHA-256: nothing
		 * sensible can go on without the audit trail's hashes. */
		fputs("zhaoshang: SHA-256 unavailable (OpenSSL)\n", stderr);
		abort();
	}
	for (unsigned int i = 0; i < n; i++) {
		out[2 * i] = digits[h[i] >> 4];
		out[2 * i + 1] = digits[h[i] & 15];
	}
	out[64] = '\0';
}
