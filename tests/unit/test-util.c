/*
 * test-util.c: dates, codes, UTF-8 validation, number parsing, the string
 * buffer's JSON/CSV escaping, the code map and the search fold.
 */
#include "testutil.h"
#include "codemap.h"
#include "textnorm.h"

static void
test_dates(void **state)
{
	int32_t d;
	char buf[11];
	int y, m, dd;

	(void)state;
	assert_int_equal(date_parse("1970-01-01", &d), 0);
	assert_int_equal(d, 0);
	assert_int_equal(date_parse("2024-02-29", &d), 0);
	assert_int_equal(date_parse("2023-02-29", &d), -1);
	assert_int_equal(date_parse("2010-02-30", &d), -1);
	assert_int_equal(date_parse("2100-02-29", NULL), -1);
	assert_int_equal(date_parse("2000-02-29", NULL), 0);
	assert_int_equal(date_parse("2024-13-01", NULL), -1);
	assert_int_equal(date_parse("2024-1-01", NULL), -1);
	assert_int_equal(date_parse("2024-01-01x", NULL), -1);
	assert_int_equal(date_parse("", NULL), -1);
	for (int32_t x = -800000; x < 800000; x += 997) {
		date_format(x, buf);
		if (x >= date_from_ymd(1900, 1, 1)) {
			assert_int_equal(date_parse(buf, &d), 0);
			assert_int_equal(d, x);
		}
		date_to_ymd(x, &y, &m, &dd);
		assert_int_equal(date_from_ymd(y, m, dd), x);
	}
	assert_int_equal(date_from_ymd(2025, 12, 31) - date_from_ymd(2025, 1, 1), 364);
}

static void
test_codes_and_numbers(void **state)
{
	int64_t i;
	double v;

	(void)state;
	assert_true(code_valid("A4"));
	assert_true(code_valid("TDQT-2025_x.1"));
	assert_false(code_valid(""));
	assert_false(code_valid("A 4"));
	assert_false(code_valid("Đ1"));
	assert_false(code_valid("123456789012345678901234567890123"));
	assert_true(code_valid("12345678901234567890123456789012"));
	assert_int_equal(parse_i64("42", &i), 0);
	assert_int_equal(i, 42);
	assert_int_equal(parse_i64("4 2", &i), -1);
	assert_int_equal(parse_i64(" 42", &i), -1);
	assert_int_equal(parse_i64("99999999999999999999", &i), -1);
	assert_int_equal(parse_double("1250.5", &v), 0);
	assert_true(v == 1250.5);
	assert_int_equal(parse_double("nan", &v), -1);
	assert_int_equal(parse_double("1e999", &v), -1);
	assert_int_equal(parse_double("12a", &v), -1);
	assert_int_equal(parse_double("-", &v), -1);
	assert_int_equal(parse_double(".", &v), -1);
	assert_int_equal(parse_double("1.2.3", &v), -1);
	assert_int_equal(parse_double("-0.5", &v), 0);
	assert_true(v == -0.5);
	/* The fast path agrees with strtod, digit for digit. */
	for (int i = 0; i < 200000; i++) {
		char buf[40];
		double want;

		snprintf(buf, sizeof buf, "%d.%0*d", i * 7919 % 1000003, i % 9,
		    i * 31 % 1000000);
		want = strtod(buf, NULL);
		assert_int_equal(parse_double(buf, &v), 0);
		assert_true(v == want);
	}
	assert_int_equal(parse_double("123456789012345678.5", &v), 0);
	assert_true(v == strtod("123456789012345678.5", NULL));
	assert_int_equal(parse_double("1e3", &v), 0);
	assert_true(v == 1000);
}

static void
test_utf8(void **state)
{
	(void)state;
	assert_int_equal(utf8_invalid_at("Nguyễn Văn Đức", strlen("Nguyễn Văn Đức")), -1);
	assert_int_equal(utf8_invalid_at("ab\xff", 3), 2);
	assert_int_equal(utf8_invalid_at("a\xc3", 2), 1);		/* truncated */
	assert_int_equal(utf8_invalid_at("\xc0\xaf", 2), 0);		/* overlong */
	assert_int_equal(utf8_invalid_at("\xed\xa0\x80", 3), 0);	/* surrogate */
	assert_int_equal(utf8_invalid_at("\xf0\x9f\x98\x80", 4), -1);	/* emoji */
}

/* sb_json_str's escapes, byte by byte, as it wrote them before it
 * copied runs: the runs must not change a byte of the output. */
static void
json_str_ref(struct sb *b, const unsigned char *p)
{
	sb_putc(b, '"');
	for (; *p; p++)
		if (*p == '"' || *p == '\\')
			sb_printf(b, "\\%c", *p);
		else if (*p == '\n' || *p == '\r' || *p == '\t')
			sb_printf(b, "\\%c", *p == '\n' ? 'n' : *p == '\r' ? 'r' : 't');
		else if (*p < 0x20)
			sb_printf(b, "\\u%04x", *p);
		else
			sb_putc(b, (char)*p);
	sb_putc(b, '"');
}

static void
test_sb_json_str_runs(void **state)
{
	struct sb a, b;
	unsigned char s[40];
	unsigned x = 12345;

	(void)state;
	sb_init(&a);
	sb_init(&b);
	sb_json_str(&a, "");
	assert_string_equal(a.s, "\"\"");
	/* every byte alone, first, last and between runs; then random strings */
	for (int c = 1; c < 256; c++) {
		const unsigned char one[] = { (unsigned char)c, 0 },
		    mid[] = { 'a', (unsigned char)c, 'b', (unsigned char)c, 0 };

		for (int k = 0; k < 2; k++) {
			const unsigned char *t = k ? mid : one;

			sb_reset(&a);
			sb_reset(&b);
			sb_json_str(&a, (const char *)t);
			json_str_ref(&b, t);
			assert_string_equal(a.s, b.s);
		}
	}
	for (int i = 0; i < 20000; i++) {
		size_t n = (x = x * 1103515245u + 12345u) >> 16 & 31;

		for (size_t j = 0; j < n; j++) {
			x = x * 1103515245u + 12345u;
			s[j] = (unsigned char)(x >> 16 & 7 ? 'a' + (x >> 20) % 26 :
			    1 + (x >> 20) % 255);
		}
		s[n] = '\0';
		sb_reset(&a);
		sb_reset(&b);
		sb_json_str(&a, (const char *)s);
		json_str_ref(&b, s);
		assert_string_equal(a.s, b.s);
	}
	sb_free(&a);
	sb_free(&b);
}

static void
test_sb_escaping(void **state)
{
	struct sb b;

	(void)state;
	sb_init(&b);
	sb_json_str(&b, "a\"b\\c\n\x01đ");
	assert_string_equal(b.s, "\"a\\\"b\\\\c\\n\\u0001đ\"");
	sb_reset(&b);
	sb_csv_field(&b, "plain");
	sb_putc(&b, '|');
	sb_csv_field(&b, "a,b");
	sb_putc(&b, '|');
	sb_csv_field(&b, "say \"hi\"");
	assert_string_equal(b.s, "plain|\"a,b\"|\"say \"\"hi\"\"\"");
	for (int i = 0; i < 10000; i++)
		sb_printf(&b, "%d", i % 10);
	assert_int_equal(b.len, strlen(b.s));
	sb_free(&b);
}

static void
test_codemap(void **state)
{
	struct codemap m;
	char k[32];
	int64_t id;
	int tag;

	(void)state;
	codemap_init(&m);
	assert_false(codemap_get(&m, "x", &id, &tag));
	for (int i = 0; i < 100000; i++) {
		snprintf(k, sizeof k, "P%06d", i);
		codemap_put(&m, k, i, i % 2 ? 'p' : 'u');
	}
	codemap_put(&m, "P000007", 700, 'x');
	assert_int_equal(m.n, 100000);
	for (int i = 0; i < 100000; i += 7) {
		snprintf(k, sizeof k, "P%06d", i);
		assert_true(codemap_get(&m, k, &id, &tag));
		assert_int_equal(id, i == 7 ? 700 : i);
	}
	assert_false(codemap_get(&m, "P100000", NULL, NULL));
	codemap_free(&m);
}

/* ASCII is folded without ICU, as ICU folds the same text with a mark. */
static void
test_fold(void **state)
{
	static const char *const cases[][2] = {
		{ "  P0000123\t", "p0000123" }, { "Ab \t\n C\rd", "ab c d" },
		{ "", "" }, { " \v ", "" }, { "A\x1f-B", "a\x1f-b" },
		{ "Nguyễn  ĐỨC\u00a0Anh ", "nguyen duc anh" },
		{ "  NGUYE\xcc\x82\xcc\x83N", "nguyen" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *f = text_fold(cases[i][0]);

		assert_string_equal(f, cases[i][1]);
		free(f);
	}
	/* the same words with a mark (ICU's path) fold alike */
	for (size_t i = 0; i < 2; i++) {
		char *a = text_fold(i ? "Ab \t\n C\rd" : "  P0000123\t");
		char *b = text_fold(i ? "Ab \t\n C\rd\xcc\x81" :
		    "  P0000123\xcc\x81\t");

		assert_string_equal(a, b);
		free(a);
		free(b);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_codes_and_numbers),
		cmocka_unit_test(test_utf8),
		cmocka_unit_test(test_sb_escaping),
		cmocka_unit_test(test_sb_json_str_runs),
		cmocka_unit_test(test_codemap),
		cmocka_unit_test(test_fold),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
