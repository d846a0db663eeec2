/*
 * yaml-mark.h: where a libfyaml node starts, for error messages that point
 * at file:line:column (yaml-mark.c). Shared by the two YAML readers, rule
 * sets (rules.c) and movements (movement.c).
 */
#ifndef THIDUA_YAML_MARK_H
#define THIDUA_YAML_MARK_H

struct fy_node;

/*
 * The 1-based line and column where n starts: a scalar's own token, a
 * mapping's first key, a sequence's first item (recursively); 0 and 0
 * when n is NULL or empty.
 */
void	 yaml_mark(struct fy_node *n, long *line, long *col);

#endif /* THIDUA_YAML_MARK_H */
