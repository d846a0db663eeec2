/*
 * http-valid.c: field specs → typed structs (see http-valid.h).
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "util.h"
#include "http-valid.h"
#include "textnorm.h"

/* Marker in e->file for "unknown field" (the HTTP layer maps it to a code). */
static const char UNKNOWN[] = "#unknown";

const struct field *
valid_find(const struct field *f, const char *name)
{
	for (; f && f->name; f++)
		if (strcmp(f->name, name) == 0)
			return f;
	return NULL;
}

int
valid_unknown(const struct err *e)
{
	return strcmp(e->file, UNKNOWN) == 0;
}

static int
bad(struct err *e, const struct field *f, const char *why, const char *v)
{
	return err_at(e, ERR_USER, NULL, 0, 0, f->name, "%s%s%s%s", why,
	    v ? " '" : "", v ? v : "", v ? "'" : "");
}

static int
range(const struct field *f, long long v, struct err *e)
{
	if ((f->min || f->max) && (v < f->min || v > f->max))
		return err_at(e, ERR_USER, NULL, 0, 0, f->name, "%s %lld..%lld",
		    TR("ngoài khoảng cho phép", "out of range"), f->min, f->max);
	return 0;
}

static int
put_text(const struct field *f, const char *v, void *out, struct err *e)
{
	char *dst = (char *)out + f->off;
	size_t max = f->max ? (size_t)f->max : 4096, n = strlen(v);
	int32_t day;
	int64_t i;
	double d;

	switch (f->type) {
	case V_STR:
		if (n > max || n < (size_t)f->min)
			return err_at(e, ERR_USER, NULL, 0, 0, f->name,
			    "%s %lld..%zu", TR("độ dài phải trong khoảng",
			    "length must be within"), f->min, max);
		if (utf8_invalid_at(v, n) >= 0)
			return bad(e, f, TR("không phải UTF-8 hợp lệ",
			    "not valid UTF-8"), NULL);
		*(const char **)dst = v;
		return 0;
	case V_CODE:
		if (!code_valid(v))
			return bad(e, f, TR("mã không hợp lệ ([A-Za-z0-9._-]{1,32})",
			    "invalid code ([A-Za-z0-9._-]{1,32})"), v);
		*(const char **)dst = v;
		return 0;
	case V_DATE:
		if (date_parse(v, &day) != 0)
			return bad(e, f, TR("ngày không hợp lệ (YYYY-MM-DD)",
			    "invalid date (YYYY-MM-DD)"), v);
		*(const char **)dst = v;
		return 0;
	case V_INT:
	case V_YEAR:
		if (parse_i64(v, &i) != 0)
			return bad(e, f, TR("không phải số nguyên",
			    "not a whole number"), v);
		if (f->type == V_YEAR && (i < 1900 || i > 2999))
			return bad(e, f, TR("năm không hợp lệ (1900–2999)",
			    "invalid year (1900–2999)"), v);
		if (range(f, i, e) != 0)
			return -1;
		*(long long *)dst = i;
		return 0;
	case V_BOOL:
		if (strcmp(v, "1") && strcmp(v, "0") && strcmp(v, "true") &&
		    strcmp(v, "false"))
			return bad(e, f, TR("phải là 0/1 hoặc true/false",
			    "must be 0/1 or true/false"), v);
		*(int *)dst = v[0] == '1' || v[0] == 't';
		return 0;
	case V_NUM:
		if (parse_double(v, &d) != 0)
			return bad(e, f, TR("không phải số", "not a number"), v);
		*(double *)dst = d;
		return 0;
	case V_CODES:
	case V_STRS:
		return bad(e, f, TR("phải là một mảng JSON", "must be a JSON "
		    "array"), NULL);
	}
	return -1;
}

/* A JSON array of codes or strings into a struct vlist. */
static int
put_list(const struct field *f, json_t *v, void *out, struct err *e)
{
	size_t max = f->max ? (size_t)f->max : 4096, i;
	json_t *x;

	if (!json_is_array(v))
		return bad(e, f, TR("phải là một mảng JSON", "must be a JSON "
		    "array"), NULL);
	if (json_array_size(v) > max || json_array_size(v) < (size_t)f->min)
		return err_at(e, ERR_USER, NULL, 0, 0, f->name, "%s %lld..%zu",
		    TR("số phần tử phải trong khoảng", "the number of items "
		    "must be within"), f->min, max);
	json_array_foreach(v, i, x) {
		const char *s = json_string_value(x);

		if (s == NULL)
			return bad(e, f, TR("các phần tử phải là chuỗi",
			    "items must be strings"), NULL);
		if (f->type == V_CODES && !code_valid(s))
			return bad(e, f, TR("mã không hợp lệ "
			    "([A-Za-z0-9._-]{1,32})", "invalid code "
			    "([A-Za-z0-9._-]{1,32})"), s);
		if (f->type == V_STRS && (strlen(s) > 4096 ||
		    utf8_invalid_at(s, strlen(s)) >= 0))
			return bad(e, f, TR("phần tử quá dài hoặc không phải "
			    "UTF-8 hợp lệ", "an item too long or not valid "
			    "UTF-8"), NULL);
	}
	((struct vlist *)((char *)out + f->off))->json = v;
	((struct vlist *)((char *)out + f->off))->n = json_array_size(v);
	return 0;
}

const char *
valid_list_at(const struct vlist *l, size_t i)
{
	return i < l->n ? json_string_value(json_array_get(l->json, i)) :
	    NULL;
}

int
valid_seen(const struct field *spec, unsigned seen, const char *name)
{
	const struct field *f = valid_find(spec, name);

	return f != NULL && (seen & (1u << (f - spec))) != 0;
}

int
valid_text(const struct field *spec, const char *name, const char *value,
    void *out, unsigned *seen, struct err *e)
{
	const struct field *f = valid_find(spec, name);

	if (f == NULL) {
		err_at(e, ERR_USER, NULL, 0, 0, name, "%s",
		    TR("tham số không được hỗ trợ", "unknown parameter"));
		snprintf(e->file, sizeof e->file, "%s", UNKNOWN);
		return -1;
	}
	if (value == NULL)
		value = "";
	if (*value == '\0' && !f->required && f->type != V_STR)
		return 0;
	*seen |= 1u << (f - spec);
	return put_text(f, value, out, e);
}

int
valid_required(const struct field *spec, unsigned seen, struct err *e)
{
	for (const struct field *f = spec; f && f->name; f++)
		if (f->required && !(seen & (1u << (f - spec))))
			return err_at(e, ERR_USER, NULL, 0, 0, f->name, "%s",
			    TR("thiếu trường bắt buộc", "required field missing"));
	return 0;
}

int
valid_json(const struct field *spec, const void *json, void *out,
    struct err *e)
{
	unsigned seen;

	return valid_json_seen(spec, json, out, &seen, e);
}

int
valid_json_seen(const struct field *spec, const void *json, void *out,
    unsigned *seenp, struct err *e)
{
	const json_t *obj = json;
	const char *k;
	json_t *v;
	unsigned seen = 0;
	char num[64];

	*seenp = 0;

	if (!json_is_object(obj))
		return err_set(e, ERR_USER, "%s", TR("thân yêu cầu phải là một "
		    "đối tượng JSON", "the body must be a JSON object"));
	json_object_foreach((json_t *)obj, k, v) {
		const struct field *f = valid_find(spec, k);
		const char *text;

		if (f == NULL) {
			err_at(e, ERR_USER, NULL, 0, 0, k, "%s",
			    TR("trường không được hỗ trợ", "unknown field"));
			snprintf(e->file, sizeof e->file, "%s", UNKNOWN);
			return -1;
		}
		if (json_is_null(v) && !f->required)
			continue;
		switch (f->type) {
		case V_STR: case V_CODE: case V_DATE:
			if (!json_is_string(v))
				return bad(e, f, TR("phải là chuỗi",
				    "must be a string"), NULL);
			text = json_string_value(v);
			if (f->type == V_STR) {
				/* free text is stored in NFC (textnorm.h) */
				char *nfc = text_nfc_dup(text);

				if (nfc != NULL) {
					json_string_set(v, nfc);
					free(nfc);
					text = json_string_value(v);
				}
			}
			break;
		case V_INT: case V_YEAR:
			if (!json_is_integer(v))
				return bad(e, f, TR("phải là số nguyên",
				    "must be a whole number"), NULL);
			snprintf(num, sizeof num, "%lld",
			    (long long)json_integer_value(v));
			text = num;
			break;
		case V_BOOL:
			if (!json_is_boolean(v))
				return bad(e, f, TR("phải là true/false",
				    "must be true or false"), NULL);
			text = json_is_true(v) ? "1" : "0";
			break;
		case V_NUM:
			if (!json_is_number(v))
				return bad(e, f, TR("phải là số",
				    "must be a number"), NULL);
			*(double *)((char *)out + f->off) = json_number_value(v);
			seen |= 1u << (f - spec);
			continue;
		case V_CODES: case V_STRS:
			if (put_list(f, v, out, e) != 0)
				return -1;
			seen |= 1u << (f - spec);
			continue;
		default:
			return -1;
		}
		seen |= 1u << (f - spec);
		if (put_text(f, text, out, e) != 0)
			return -1;
	}
	*seenp = seen;
	return valid_required(spec, seen, e);
}

const char *
valid_type_name(enum vtype t)
{
	static const char *const names[] = { [V_STR] = "string",
	    [V_CODE] = "string", [V_DATE] = "string", [V_INT] = "integer",
	    [V_YEAR] = "integer", [V_BOOL] = "boolean", [V_NUM] = "number",
	    [V_CODES] = "array", [V_STRS] = "array" };

	return names[t];
}

const char *
valid_type_format(enum vtype t)
{
	return t == V_DATE ? "date" : t == V_CODE || t == V_CODES ? "code" :
	    NULL;
}
