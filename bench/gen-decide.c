/*
 * gen-decide.c: data for bench-decide.sh. Writes units.csv, people.csv
 * and ratings.csv into DIR for N people (default 10000), all rated HTTNV
 * or better in YEAR and hired years before, so every one is eligible for
 * LĐTT: the decision then has N recipients. Names carry Vietnamese
 * diacritics so the PDF text path is exercised.
 *   cc -O2 -o gen-decide gen-decide.c && ./gen-decide DIR [N] [YEAR]
 */
#include <stdio.h>
#include <stdlib.h>

static const char *const family[] = { "Nguyễn", "Trần", "Lê", "Phạm",
	"Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ" };
static const char *const middle[] = { "Văn", "Thị", "Đức", "Ngọc", "Quốc",
	"Thu", "Minh", "Hữu" };
static const char *const given[] = { "Ánh", "Tuyết", "Hưng", "Đức", "Lộc",
	"Phương", "Thắng", "Hằng", "Dũng", "Nguyệt", "Quý", "Hải", "Thủy" };
#define N(a) (sizeof a / sizeof a[0])

int
main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : ".";
	long n = argc > 2 ? atol(argv[2]) : 10000, i;
	int year = argc > 3 ? atoi(argv[3]) : 2025, units = 40, u;
	char path[1024];
	FILE *f;

	snprintf(path, sizeof path, "%s/units.csv", dir);
	if ((f = fopen(path, "w")) == NULL)
		return 1;
	fprintf(f, "code,name,parent,kind\nZ121,Nhà máy Z121,,enterprise\n");
	for (u = 1; u <= units; u++)
		fprintf(f, "X%02d,Phân xưởng số %d,Z121,workshop\n", u, u);
	fclose(f);
	snprintf(path, sizeof path, "%s/people.csv", dir);
	if ((f = fopen(path, "w")) == NULL)
		return 1;
	fprintf(f, "code,name,unit,category,joined\n");
	for (i = 0; i < n; i++)
		fprintf(f, "N%06ld,%s %s %s,X%02ld,employee,%d-%02ld-01\n", i,
		    family[i % N(family)], middle[(i / 7) % N(middle)],
		    given[(i / 3) % N(given)], i % units + 1,
		    year - 1 - (int)(i % 20), i % 12 + 1);
	fclose(f);
	snprintf(path, sizeof path, "%s/ratings.csv", dir);
	if ((f = fopen(path, "w")) == NULL)
		return 1;
	fprintf(f, "year,subject,rating\n");
	for (i = 0; i < n; i++)
		fprintf(f, "%d,N%06ld,%s\n", year, i,
		    i % 5 ? "HTTNV" : "HTXSNV");
	fclose(f);
	return 0;
}
