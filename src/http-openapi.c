/*
 * http-openapi.c: the OpenAPI 3 document of the HTTP API, generated from the
 * route table (http-routes.c) and its field specs, so it cannot drift from
 * what the server does.
 */
#include <ctype.h>
#include <string.h>

#include "http.h"
#include "import.h"

static const char *const need_names[NEED__MAX] = {
	[NEED_NONE] = "none", [NEED_LOGIN] = "login", [NEED_READ] = "read",
	[NEED_WRITE] = "write", [NEED_AUDIT] = "audit", [NEED_ADMIN] = "admin",
	[NEED_BALLOT] = "ballot", [NEED_PROPOSE] = "propose",
	[NEED_COMMAND] = "command",
};

static void
schema(struct sb *o, const struct field *f)
{
	const char *fmt = valid_type_format(f->type);

	if (f->type == V_CODES || f->type == V_STRS) {
		/* an array: the format is its items' */
		sb_puts(o, "{\"type\":\"array\","
		    "\"items\":{\"type\":\"string\"");
		if (fmt)
			sb_printf(o, ",\"format\":\"%s\"", fmt);
		sb_putc(o, '}');
		if (f->max)
			sb_printf(o, ",\"maxItems\":%lld", f->max);
		sb_putc(o, '}');
		return;
	}
	sb_printf(o, "{\"type\":\"%s\"", valid_type_name(f->type));
	if (fmt)
		sb_printf(o, ",\"format\":\"%s\"", fmt);
	if (f->type == V_INT && (f->min || f->max))
		sb_printf(o, ",\"minimum\":%lld,\"maximum\":%lld", f->min, f->max);
	if (f->type == V_STR && f->max)
		sb_printf(o, ",\"maxLength\":%lld", f->max);
	sb_putc(o, '}');
}

static void
path_params(struct sb *o, const char *path, int *n)
{
	const char *p = path;

	while ((p = strchr(p, '{')) != NULL) {
		const char *end = strchr(p, '}');

		if (end == NULL)
			break;
		sb_printf(o, "%s{\"name\":\"%.*s\",\"in\":\"path\","
		    "\"required\":true,\"schema\":{\"type\":\"string\"",
		    (*n)++ ? "," : "", (int)(end - p - 1), p + 1);
		if (strncmp(p, "{kind}", 6) == 0) {
			const char *const *k = kind_names();

			sb_puts(o, ",\"enum\":[");
			for (int i = 0; k[i]; i++) {
				if (i)
					sb_putc(o, ',');
				sb_json_str(o, k[i]);
			}
			sb_putc(o, ']');
		}
		sb_puts(o, "}}");
		p = end + 1;
	}
}

static void
operation(struct sb *o, const struct route *rt)
{
	int n = 0;
	const struct field *f;

	sb_puts(o, "{\"operationId\":\"");
	for (const char *m = rt->method; *m; m++)
		sb_putc(o, (char)tolower((unsigned char)*m));
	for (const char *p = rt->path; *p; p++)
		if (isalnum((unsigned char)*p))
			sb_putc(o, *p);
		else if (*p == '/' || *p == '{')
			sb_putc(o, '_');
	sb_puts(o, "\",\"summary\":");
	sb_json_str(o, rt->summary);
	sb_printf(o, ",\"x-role\":\"%s\",\"parameters\":[", need_names[rt->need]);
	path_params(o, rt->path, &n);
	for (f = rt->query; f && f->name; f++) {
		sb_printf(o, "%s{\"name\":\"%s\",\"in\":\"query\",\"required\":%s,"
		    "\"description\":", n++ ? "," : "", f->name,
		    f->required ? "true" : "false");
		sb_json_str(o, f->doc);
		sb_puts(o, ",\"schema\":");
		schema(o, f);
		sb_putc(o, '}');
	}
	for (f = rt->rows != NULL ? http_format_fields : NULL; f && f->name; f++) {
		sb_printf(o, "%s{\"name\":\"%s\",\"in\":\"query\","
		    "\"required\":false,\"description\":", n++ ? "," : "",
		    f->name);
		sb_json_str(o, f->doc);
		sb_puts(o, ",\"schema\":{\"type\":\"string\",\"enum\":"
		    "[\"csv\",\"xlsx\"]}}");
	}
	sb_putc(o, ']');
	if (rt->body == BODY_OBJECT || rt->body == BODY_YAML) {
		sb_puts(o, ",\"requestBody\":{\"required\":true,\"content\":{");
		if (rt->body == BODY_YAML)
			sb_puts(o, "\"application/yaml\":{\"schema\":{\"type\":"
			    "\"string\"}},\"text/yaml\":{\"schema\":{\"type\":"
			    "\"string\"}},");
		sb_puts(o, "\"application/json\":{\"schema\":{\"type\":\"object\","
		    "\"additionalProperties\":false,\"properties\":{");
		for (f = rt->fields, n = 0; f && f->name; f++) {
			sb_printf(o, "%s\"%s\":", n++ ? "," : "", f->name);
			schema(o, f);
		}
		sb_puts(o, "},\"required\":[");
		for (f = rt->fields, n = 0; f && f->name; f++)
			if (f->required)
				sb_printf(o, "%s\"%s\"", n++ ? "," : "", f->name);
		sb_puts(o, "]}}}}");
	} else if (rt->body == BODY_ROWS)
		sb_puts(o, ",\"requestBody\":{\"required\":true,\"content\":{"
		    "\"application/json\":{\"schema\":{\"oneOf\":[{\"type\":"
		    "\"object\"},{\"type\":\"array\",\"items\":{\"type\":"
		    "\"object\"}}]}},\"text/csv\":{\"schema\":{\"type\":"
		    "\"string\"}}}}");
	sb_puts(o, ",\"responses\":{\"200\":{\"description\":\"OK\"},"
	    "\"default\":{\"description\":\"an error\",\"content\":{"
	    "\"application/json\":{\"schema\":{\"$ref\":"
	    "\"#/components/schemas/Error\"}}}}}");
	if (rt->need == NEED_NONE)
		sb_puts(o, ",\"security\":[]");
	sb_putc(o, '}');
}

void
openapi_json(struct sb *o)
{
	int np = 0;

	sb_puts(o, "{\"openapi\":\"3.0.3\",\"info\":{\"title\":\"Thi đua API\","
	    "\"version\":\"1\"},\"security\":[{\"session\":[]},{\"bearer\":[]}],"
	    "\"components\":{\"securitySchemes\":{\"session\":{\"type\":"
	    "\"apiKey\",\"in\":\"cookie\",\"name\":\"thidua_session\"},"
	    "\"bearer\":{\"type\":\"http\",\"scheme\":\"bearer\"}},"
	    "\"schemas\":{\"Error\":{\"type\":\"object\",\"properties\":{"
	    "\"error\":{\"type\":\"object\",\"properties\":{\"code\":{\"type\":"
	    "\"string\"},\"message\":{\"type\":\"string\"},\"field\":{\"type\":"
	    "\"string\"}},\"required\":[\"code\",\"message\"]}}}}},\"paths\":{");
	for (size_t i = 0; i < http_nroutes; i++) {
		size_t j;
		int nm = 0;

		/* Each path once, with every method the table has for it. */
		for (j = 0; j < i; j++)
			if (strcmp(http_routes[j].path, http_routes[i].path) == 0)
				break;
		if (j < i)
			continue;
		sb_printf(o, "%s", np++ ? "," : "");
		sb_json_str(o, http_routes[i].path);
		sb_puts(o, ":{");
		for (j = i; j < http_nroutes; j++) {
			const char *m = http_routes[j].method;

			if (strcmp(http_routes[j].path, http_routes[i].path))
				continue;
			sb_puts(o, nm++ ? ",\"" : "\"");
			for (; *m; m++)
				sb_putc(o, (char)tolower((unsigned char)*m));
			sb_puts(o, "\":");
			operation(o, &http_routes[j]);
		}
		sb_putc(o, '}');
	}
	sb_puts(o, "}}");
}
