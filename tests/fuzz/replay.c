/*
 * replay.c: feed files (or every file of directories) to a harness's
 * LLVMFuzzerTestOneInput, without libFuzzer. Exit 0 when every input ran
 * (a crash is the failure: a signal, or a sanitizer's abort).
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

static long ran;

static int
feed(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf;
	long n;

	if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0) {
		perror(path);
		if (f)
			fclose(f);
		return -1;
	}
	/* exactly n bytes (no terminator: the harness must not need one) */
	buf = malloc(n ? (size_t)n : 1);
	if (buf == NULL || fread(buf, 1, (size_t)n, f) != (size_t)n) {
		perror(path);
		free(buf);
		fclose(f);
		return -1;
	}
	fclose(f);
	LLVMFuzzerTestOneInput(buf, (size_t)n);
	free(buf);
	ran++;
	return 0;
}

static int
walk(const char *path)
{
	struct stat sb;
	struct dirent **ents;
	int n, rc = 0;

	if (stat(path, &sb) != 0)
		return 0;		/* no crashers yet: fine */
	if (!S_ISDIR(sb.st_mode))
		return feed(path);
	if ((n = scandir(path, &ents, NULL, alphasort)) < 0) {
		perror(path);
		return -1;
	}
	for (int i = 0; i < n; i++) {
		char sub[4096];

		if (ents[i]->d_name[0] != '.') {
			snprintf(sub, sizeof sub, "%s/%s", path, ents[i]->d_name);
			rc |= walk(sub);
		}
		free(ents[i]);
	}
	free(ents);
	return rc;
}

int
main(int argc, char **argv)
{
	int rc = 0;

	for (int i = 1; i < argc; i++)
		rc |= walk(argv[i]);
	printf("%s: %ld inputs replayed\n", argv[0], ran);
	return rc ? 1 : 0;
}
