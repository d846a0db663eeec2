/*
 * import-digest.c: the SHA-256 of an import's source (import-digest.h).
 */
#include <openssl/sha.h>
#include <sodium.h>

#include "dynlib.h"
#include "import-digest.h"

/* (1.8 GB/s here against libsodium's 0.2: a 32 MB file's digest was a
 * tenth of a PostgreSQL import's time with libsodium's) */
static struct {
	__typeof__(SHA256) *SHA256;
} crypto_lib;
static const char *const names[] = { "SHA256" };
static void **const slots[] = { (void **)&crypto_lib.SHA256 };
static struct dynlib lib = { "libcrypto.so.3", "SHA-256", names, slots,
    sizeof names / sizeof *names, 0, "" };

void
import_sha256_hex(const void *p, size_t len, char out[65])
{
	unsigned char h[crypto_hash_sha256_BYTES];
	struct err ignored;

	if (dynlib_load(&lib, &ignored) == 0)
		crypto_lib.SHA256(p, len, h);
	else {
		/* (sodium_init fails only when it cannot pick its code for
		 * this CPU: SHA-256 has but one) */
		int rc = sodium_init();

		(void)rc;
		crypto_hash_sha256(h, p, len);	/* the same digest, slower */
	}
	sodium_bin2hex(out, 65, h, sizeof h);
}
