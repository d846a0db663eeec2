/*
 * import-digest.h: the SHA-256 of an import's source, as hex (the stamp
 * an imported row keeps of its file). OpenSSL's libcrypto computes it
 * with the CPU's SHA instructions, opened on the first digest (dynlib.h):
 * linked at build time, its 4,191 symbol relocations were a third of
 * every command's start, though only an import uses it. Where it cannot
 * be opened, libsodium's (already linked) computes the same digest,
 * about nine times slower.
 */
#ifndef THIDUA_IMPORT_DIGEST_H
#define THIDUA_IMPORT_DIGEST_H

#include <stddef.h>

/* Hex SHA-256 of len bytes at p into out (64 digits and '\0'). */
void	 import_sha256_hex(const void *p, size_t len, char out[65]);

#endif /* THIDUA_IMPORT_DIGEST_H */
