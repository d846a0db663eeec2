/*
 * http-valid.h: declarative input validation at the HTTP edge. A field spec
 * (name, type, required, limits, where in the target struct) turns query
 * parameters or a JSON object into a typed struct; anything else is
 * refused with an error naming the field. Handlers never read raw input.
 *
 * Targets: V_STR, V_CODE and V_DATE fill a `const char *` (pointing into
 * the input, valid as long as it is); V_INT and V_YEAR a `long long`;
 * V_BOOL an `int` (0/1); V_NUM a `double`; V_CODES and V_STRS (a JSON
 * array of codes or of strings; bodies only) a `struct vlist`, whose
 * items valid_list_at() gives (pointing into the input too). Absent
 * optional fields keep the value the caller put there.
 */
#ifndef THIDUA_HTTP_VALID_H
#define THIDUA_HTTP_VALID_H

#include <stddef.h>

#include "err.h"

enum vtype { V_STR, V_CODE, V_DATE, V_INT, V_YEAR, V_BOOL, V_NUM, V_CODES,
    V_STRS };

/* A validated JSON array (V_CODES, V_STRS): n items, read by index. */
struct vlist {
	const void	*json;		/* the array (json_t *), not owned */
	size_t		 n;
};
const char *valid_list_at(const struct vlist *, size_t i);

struct field {
	const char	*name;
	enum vtype	 type;
	int		 required;
	long long	 min, max;	/* V_INT: value; V_STR: length (max 0 =
					   4096); V_CODES, V_STRS: items
					   (max 0 = 4096; each V_STRS item
					   0..4096 long) */
	size_t		 off;		/* offsetof() in the target struct */
	const char	*doc;		/* one line, English (OpenAPI) */
};
#define FIELD_END { NULL, 0, 0, 0, 0, 0, NULL }

/* The spec's field named name, or NULL. */
const struct field *valid_find(const struct field *, const char *name);

/*
 * One textual value (a query parameter): converted into out. Unknown
 * names are refused (ERR_USER, code "unknown_field" in e->file... see
 * valid_unknown()). *seen gets the field's bit (specs have < 32 fields).
 */
int	 valid_text(const struct field *, const char *name, const char *value,
	    void *out, unsigned *seen, struct err *);
/* After every value: required fields all seen? */
int	 valid_required(const struct field *, unsigned seen, struct err *);

/* A JSON object (jansson json_t *) into out; unknown members refused. */
int	 valid_json(const struct field *, const void *json, void *out,
	    struct err *);
/* The same, also giving the bits of the members present in *seen. */
int	 valid_json_seen(const struct field *, const void *json, void *out,
	    unsigned *seen, struct err *);
/* Was the spec's field named name among seen (from valid_json_seen)? */
int	 valid_seen(const struct field *, unsigned seen, const char *name);

/* True when e was an "unknown field" refusal (for the error code). */
int	 valid_unknown(const struct err *);

/* OpenAPI schema type of a field: "string", "integer", ... and format
 * (of a list: its items' format). */
const char *valid_type_name(enum vtype);
const char *valid_type_format(enum vtype);

#endif
