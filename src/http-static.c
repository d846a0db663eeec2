/*
 * http-static.c: the web app's static files. GET and HEAD only; "/" and
 * directories give their index.html; the resolved path must stay inside
 * the web directory (no "..", no symlink escaping it); MIME types from a
 * table of extensions.
 */
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "http.h"

static const struct { const char *ext, *type; } mime[] = {
	{ ".html", "text/html; charset=utf-8" },
	{ ".js", "text/javascript; charset=utf-8" },
	{ ".mjs", "text/javascript; charset=utf-8" },
	{ ".css", "text/css; charset=utf-8" },
	{ ".json", "application/json" },
	{ ".svg", "image/svg+xml" },
	{ ".png", "image/png" },
	{ ".jpg", "image/jpeg" },
	{ ".ico", "image/x-icon" },
	{ ".woff2", "font/woff2" },
	{ ".woff", "font/woff" },
	{ ".ttf", "font/ttf" },
	{ ".txt", "text/plain; charset=utf-8" },
	{ ".csv", "text/csv; charset=utf-8" },
	{ ".map", "application/json" },
	{ ".webmanifest", "application/manifest+json" },
};

static const char *
mime_of(const char *path)
{
	const char *dot = strrchr(path, '.');

	for (size_t i = 0; dot && i < sizeof mime / sizeof mime[0]; i++)
		if (strcmp(dot, mime[i].ext) == 0)
			return mime[i].type;
	return "application/octet-stream";
}

static int
is_dir(const char *p)
{
	struct stat sb;

	return stat(p, &sb) == 0 && S_ISDIR(sb.st_mode);
}

void
http_static_dir(const struct http_conf *c, char *out, size_t sz)
{
	char exe[PATH_MAX], *slash;
	ssize_t n;

	out[0] = '\0';
	if (c->web) {
		if (realpath(c->web, exe) && is_dir(exe))
			snprintf(out, sz, "%s", exe);
		return;
	}
	if (realpath("web", exe) && is_dir(exe)) {
		snprintf(out, sz, "%s", exe);
		return;
	}
	n = readlink("/proc/self/exe", exe, sizeof exe - 5);
	if (n <= 0)
		return;
	exe[n] = '\0';
	if ((slash = strrchr(exe, '/')) == NULL)
		return;
	/*
	 * web/ next to the binary, next to its directory (build/thidua), or
	 * where `make install` puts it (PREFIX/bin/thidua and
	 * PREFIX/share/thidua/web).
	 */
	static const char *const near[] = { "web", "../web",
	    "../share/thidua/web" };

	for (size_t up = 0; up < sizeof near / sizeof near[0]; up++) {
		char try[PATH_MAX + 32], real[PATH_MAX];

		snprintf(try, sizeof try, "%.*s/%s", (int)(slash - exe), exe,
		    near[up]);
		if (realpath(try, real) && is_dir(real)) {
			snprintf(out, sz, "%s", real);
			return;
		}
	}
}

static int
not_found(struct req *r)
{
	return http_error(r, 404, "not_found", NULL, "%s: %s",
	    TR("không có tệp", "no such file"), r->path);
}

int
http_static(struct req *r, const char *webdir)
{
	char want[PATH_MAX + 32], real[PATH_MAX];
	size_t wl = strlen(webdir);
	struct stat sb;
	int fd;

	if (strcmp(r->method, "GET") && strcmp(r->method, "HEAD")) {
		snprintf(r->allow, sizeof r->allow, "GET, HEAD");
		return http_error(r, 405, "method_not_allowed", NULL, "%s",
		    TR("chỉ GET hoặc HEAD", "GET or HEAD only"));
	}
	if (webdir[0] == '\0' || r->path[0] != '/' || strstr(r->path, "/..") ||
	    strchr(r->path, '\\'))
		return not_found(r);
	snprintf(want, sizeof want, "%s%s", webdir, r->path);
	if (is_dir(want))
		strcat(want, want[strlen(want) - 1] == '/' ? "index.html" :
		    "/index.html");
	if (realpath(want, real) == NULL || strncmp(real, webdir, wl) != 0 ||
	    real[wl] != '/')
		return not_found(r);
	if ((fd = open(real, O_RDONLY | O_CLOEXEC)) < 0)
		return not_found(r);
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		close(fd);
		return not_found(r);
	}
	r->fd = fd;
	r->fsize = (uint64_t)sb.st_size;
	r->ctype = mime_of(real);
	r->status = 200;
	return 200;
}

int
http_temp_file(struct req *r, const char *stem, char *path, size_t sz)
{
	const char *tmp = getenv("TMPDIR");
	int fd;

	snprintf(path, sz, "%s/thidua-%s-XXXXXX", tmp != NULL && *tmp ? tmp :
	    "/tmp", stem);
	if ((fd = mkstemp(path)) < 0)
		return err_set(&r->e, ERR_SYSTEM, "%s: %s", path,
		    TR("không tạo được tệp tạm", "cannot create a temporary file"));
	close(fd);
	return 0;
}

int
http_send_temp(struct req *r, const char *path, int written, const char *ctype)
{
	struct stat sb;
	int fd = written == 0 ? open(path, O_RDONLY | O_CLOEXEC) : -1;

	unlink(path);
	if (written != 0)
		return -1;
	if (fd < 0 || fstat(fd, &sb) != 0) {
		if (fd >= 0)
			close(fd);
		return err_set(&r->e, ERR_SYSTEM, "%s: %s", path,
		    TR("không đọc lại được tệp", "cannot read the file back"));
	}
	r->fd = fd;
	r->fsize = (uint64_t)sb.st_size;
	r->ctype = ctype;
	return 200;
}
