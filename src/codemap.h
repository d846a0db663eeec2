/*
 * codemap.h: a string → (int64 id, int tag) hash map for codes.
 * Open addressing, keys copied into one growing arena: no malloc per
 * entry. Used to resolve codes to database ids or dense indexes.
 *
 * Ownership: the map owns its keys; codemap_free() releases everything.
 * Pointers returned by codemap_key() stay valid until codemap_free().
 */
#ifndef THIDUA_CODEMAP_H
#define THIDUA_CODEMAP_H

#include <stddef.h>
#include <stdint.h>

struct codemap_ent {
	uint32_t	 off;		/* key offset in the arena + 1; 0 = empty */
	uint32_t	 hash;
	int64_t		 id;
	int		 tag;
};

struct codemap {
	struct codemap_ent *ents;
	size_t		 cap;		/* power of two */
	size_t		 n;
	char		*arena;
	size_t		 alen;
	size_t		 acap;
};

void	 codemap_init(struct codemap *);
void	 codemap_free(struct codemap *);
/* Insert or replace. */
void	 codemap_put(struct codemap *, const char *key, int64_t id, int tag);
/* 1 and fills id/tag (either may be NULL) when found, 0 otherwise. */
int	 codemap_get(const struct codemap *, const char *key, int64_t *id, int *tag);

#endif
