/*
 * gen-http.c: data for bench-http.sh. Writes units.csv, people.csv and
 * ratings.csv into the directory given: one enterprise Z, W workshops
 * W01.., each with T teams, P people per team, a rating per person and
 * unit for 2024. Deterministic.
 *   cc -O2 -o gen-http gen-http.c && ./gen-http DIR [W T P]
 */
#include <stdio.h>
#include <stdlib.h>

static FILE *
out(const char *dir, const char *name, const char *header)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	if ((f = fopen(path, "w")) == NULL) {
		perror(path);
		exit(1);
	}
	fputs(header, f);
	return f;
}

int
main(int argc, char **argv)
{
	static const char *const ratings[] = { "HTXSNV", "HTTNV", "HTTNV",
	    "HTNV" };
	int w = argc > 2 ? atoi(argv[2]) : 20, t = argc > 3 ? atoi(argv[3]) : 10,
	    p = argc > 4 ? atoi(argv[4]) : 10, n = 0;
	FILE *u, *pe, *r;

	if (argc < 2) {
		fprintf(stderr, "usage: gen-http DIR [W T P]\n");
		return 2;
	}
	u = out(argv[1], "units.csv", "code,name,parent,kind,bloc,military\n");
	pe = out(argv[1], "people.csv", "code,name,unit,category,joined\n");
	r = out(argv[1], "ratings.csv", "year,subject,rating\n");
	fprintf(u, "Z,Nhà máy Z121,,enterprise,,1\n");
	for (int i = 1; i <= w; i++) {
		fprintf(u, "W%02d,Phân xưởng %d,Z,workshop,sx,1\n", i, i);
		fprintf(r, "2024,W%02d,%s\n", i, ratings[i % 4]);
		for (int j = 1; j <= t; j++) {
			fprintf(u, "W%02dT%02d,Tổ %d.%d,W%02d,team,sx,1\n", i, j,
			    i, j, i);
			for (int k = 1; k <= p; k++) {
				n++;
				fprintf(pe, "P%05d,Người %d,W%02dT%02d,%s,2015-01-01\n",
				    n, n, i, j, n % 3 ? "defence_worker" : "employee");
				fprintf(r, "2024,P%05d,%s\n", n, ratings[(n * 7) % 4]);
			}
		}
	}
	fclose(u);
	fclose(pe);
	fclose(r);
	return 0;
}
