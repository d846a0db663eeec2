/*
 * fuzz-csv.c: the CSV importer (import_csv_buffer) as a dry run on an
 * in-memory SQLite database holding a small unit tree and its people.
 * The first byte picks the kind; the rest is the file.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "import.h"
#include "import-kinds.h"
#include "store.h"
#include "util.h"

static struct store *st;

static const char units[] = "code,name,parent,kind\nZ,Z,,enterprise\n"
    "A1,A1,Z,workshop\nA1T,A1T,A1,team\nA2,A2,Z,workshop\n";
static const char people[] = "code,name,unit,category,joined\n"
    "P1,An,A1,defence_worker,2015-03-01\nP2,Binh,A2,employee,2016-05-01\n";

static void
setup(void)
{
	struct import_report rep;
	struct import_opts o = { 0 };
	struct err e;

	if (store_open(":memory:", &st, &e) != 0 || store_migrate(st, &e) != 0)
		abort();
	memset(&rep, 0, sizeof rep);
	if (import_csv_buffer(st, kind_find("units"), "u.csv", units,
	    sizeof units - 1, &o, &rep, &e) != 0 ||
	    import_csv_buffer(st, kind_find("people"), "p.csv", people,
	    sizeof people - 1, &o, &rep, &e) != 0)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct import_opts o = { .dry_run = 1 };
	struct import_report *rep;
	const struct kind *k;
	struct err e;
	size_t n = 0;

	if (st == NULL)
		setup();
	if (size < 1)
		return 0;
	while (n < kind_table_len && kind_table[n])
		n++;
	if (n == 0 || (k = kind_table[data[0] % n]) == NULL)
		return 0;
	rep = xcalloc(1, sizeof *rep);
	import_csv_buffer(st, k, "fuzz.csv", (const char *)data + 1, size - 1,
	    &o, rep, &e);
	free(rep);
	return 0;
}
