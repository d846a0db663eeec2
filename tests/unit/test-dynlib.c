/*
 * test-dynlib.c: a library opened on first use (dynlib.h), by the real
 * dlopen: the functions found go in the table; a library or a function
 * missing is refused with its name and the loader's reason, and the same
 * refusal comes again without a second try; many threads asking at once
 * open it once. An import's digest (import-digest.h) opens libcrypto only
 * when first asked, and gives SHA-256's digests; libharu's table
 * (award-pdf-lib.h) is found whole, and only when asked.
 */
#include <math.h>
#include <pthread.h>
#include <sodium.h>

#include "testutil.h"
#include "dynlib.h"
#include "import-digest.h"
#include "award-pdf-lib.h"

static double (*my_cos)(double);
static double (*my_sqrt)(double);

static const char *const m_names[] = { "cos", "sqrt" };
static void **const m_slots[] = { (void **)&my_cos, (void **)&my_sqrt };

static void
test_found(void **state)
{
	struct dynlib l = { "libm.so.6", "test", m_names, m_slots, 2, 0, "" };
	struct err e;

	(void)state;
	err_clear(&e);
	assert_int_equal(dynlib_load(&l, &e), 0);
	assert_int_equal(l.state, 1);
	assert_non_null(my_cos);
	assert_true(my_sqrt(81.0) == 9.0);
	assert_true(my_cos(0.0) == 1.0);
	assert_int_equal(dynlib_load(&l, &e), 0);	/* (again: nothing to do) */
}

static void
test_library_missing(void **state)
{
	struct dynlib l = { "libthidua-none.so.0", "PostgreSQL", m_names,
	    m_slots, 2, 0, "" };
	struct err e;

	(void)state;
	g_lang = LANG_EN;
	err_clear(&e);
	assert_int_equal(dynlib_load(&l, &e), -1);
	assert_int_equal(e.kind, ERR_SYSTEM);
	assert_non_null(strstr(e.msg, "cannot load the library libthidua-none.so.0"));
	assert_non_null(strstr(e.msg, "(PostgreSQL)"));
	assert_non_null(strstr(e.msg, "No such file"));
	assert_int_equal(l.state, -1);
	err_clear(&e);
	assert_int_equal(dynlib_load(&l, &e), -1);	/* the same, said again */
	assert_non_null(strstr(e.msg, "libthidua-none.so.0"));
	g_lang = LANG_VI;
}

static void
test_function_missing(void **state)
{
	static const char *const names[] = { "cos", "thidua_no_such_function" };
	double (*f1)(double) = NULL, (*f2)(double) = NULL;
	void **const slots[] = { (void **)&f1, (void **)&f2 };
	struct dynlib l = { "libm.so.6", "test", names, slots, 2, 0, "" };
	struct err e;

	(void)state;
	err_clear(&e);
	assert_int_equal(dynlib_load(&l, &e), -1);
	assert_non_null(strstr(e.msg, "thidua_no_such_function"));
	assert_non_null(f1);	/* (found before the one missing) */
	assert_null(f2);
}

static double (*t_sqrt)(double);
static const char *const t_names[] = { "sqrt" };
static void **const t_slots[] = { (void **)&t_sqrt };
static struct dynlib t_lib = { "libm.so.6", "test", t_names, t_slots, 1, 0, "" };

static void *
load_and_call(void *arg)
{
	struct err e;
	int *ok = arg;

	*ok = dynlib_load(&t_lib, &e) == 0 && t_sqrt(4.0) == 2.0;
	return NULL;
}

static void
test_threads_at_once(void **state)
{
	pthread_t t[8];
	int ok[8];

	(void)state;
	for (int i = 0; i < 8; i++)
		assert_int_equal(pthread_create(&t[i], NULL, load_and_call, &ok[i]), 0);
	for (int i = 0; i < 8; i++) {
		pthread_join(t[i], NULL);
		assert_int_equal(ok[i], 1);
	}
}

/* Whether a library whose path holds name is mapped in this process. */
static int
mapped(const char *name)
{
	char line[4096];
	FILE *f = fopen("/proc/self/maps", "r");
	int found = 0;

	assert_non_null(f);
	while (!found && fgets(line, sizeof line, f) != NULL)
		found = strstr(line, name) != NULL;
	fclose(f);
	return found;
}

static void
test_import_digest(void **state)
{
	static unsigned char big[3 << 20];
	unsigned char h[crypto_hash_sha256_BYTES];
	char want[65], got[65];

	(void)state;
	/* (not linked: a command that imports nothing never maps it) */
	assert_false(mapped("libcrypto.so"));
	import_sha256_hex("", 0, got);
	assert_string_equal(got, "e3b0c44298fc1c149afbf4c8996fb924"
	    "27ae41e4649b934ca495991b7852b855");
	assert_true(mapped("libcrypto.so"));
	import_sha256_hex("abc", 3, got);
	assert_string_equal(got, "ba7816bf8f01cfea414140de5dae2223"
	    "b00361a396177a9cb410ff61f20015ad");
	for (size_t i = 0; i < sizeof big; i++)
		big[i] = (unsigned char)(i * 2654435761u >> 13);
	assert_int_equal(sodium_init() < 0, 0);
	crypto_hash_sha256(h, big, sizeof big);
	sodium_bin2hex(want, sizeof want, h, sizeof h);
	import_sha256_hex(big, sizeof big, got);
	assert_string_equal(got, want);
}

static void
test_hpdf_table(void **state)
{
	struct err e;

	(void)state;
	assert_false(mapped("libhpdf"));
	err_clear(&e);
	assert_int_equal(hpdf_lib_load(&e), 0);
	assert_true(mapped("libhpdf"));
	assert_non_null(hpdf_lib.HPDF_New);
	assert_non_null(hpdf_lib.HPDF_UseUTFEncodings);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_import_digest),
		cmocka_unit_test(test_hpdf_table),
		cmocka_unit_test(test_found),
		cmocka_unit_test(test_library_missing),
		cmocka_unit_test(test_function_missing),
		cmocka_unit_test(test_threads_at_once),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
