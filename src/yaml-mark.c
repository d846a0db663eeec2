/*
 * yaml-mark.c: where a libfyaml node starts (see yaml-mark.h).
 */
#include <stddef.h>

#include <libfyaml.h>

#include "yaml-mark.h"

void
yaml_mark(struct fy_node *n, long *line, long *col)
{
	void *it = NULL;

	*line = *col = 0;
	while (n != NULL) {
		if (fy_node_is_scalar(n)) {
			struct fy_token *t = fy_node_get_scalar_token(n);
			const struct fy_mark *m =
			    t ? fy_token_start_mark(t) : NULL;

			if (m != NULL) {
				*line = m->line + 1;
				*col = m->column + 1;
			}
			return;
		}
		it = NULL;
		if (fy_node_is_mapping(n)) {
			struct fy_node_pair *p =
			    fy_node_mapping_iterate(n, &it);

			n = p ? fy_node_pair_key(p) : NULL;
		} else
			n = fy_node_sequence_iterate(n, &it);
	}
}
