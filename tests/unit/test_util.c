/* Unit tests of rdk_util: JSON escaping (valid JSON for any bytes), buffer
 * growth and strict integer parsing. */
#include "rkv_config.h"
#include <stdlib.h>
#include "rkv_util.h"
#include "unit.h"

static const char *
esc(rkv_buf_t *b, const char *s, size_t n)
{
	b->len = 0;
	rkv_buf_json_str(b, s, n);
	rkv_buf_nul(b);
	return b->data;
}

int
main(void)
{
	rkv_buf_t b;
	long v;
	int i;

	rkv_buf_init(&b);
	CHECK_STR(esc(&b, "plain", 5), "\"plain\"");
	CHECK_STR(esc(&b, "a\"b\\c", 5), "\"a\\\"b\\\\c\"");
	CHECK_STR(esc(&b, "l1\nl2\t\r", 7), "\"l1\\nl2\\t\\r\"");
	CHECK_STR(esc(&b, "\x01\x1f", 2), "\"\\u0001\\u001f\"");
	/* NUL inside the payload is kept, escaped */
	CHECK_STR(esc(&b, "a\0b", 3), "\"a\\u0000b\"");
	/* valid UTF-8 passes through unchanged */
	CHECK_STR(esc(&b, "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", 14),
		"\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"");
	/* invalid UTF-8: lone continuation, truncated sequence, overlong,
	 * surrogate: each byte escaped, output stays valid JSON */
	CHECK_STR(esc(&b, "\x80", 1), "\"\\u0080\"");
	CHECK_STR(esc(&b, "x\xc3", 2), "\"x\\u00c3\"");
	CHECK_STR(esc(&b, "\xc0\xaf", 2), "\"\\u00c0\\u00af\"");
	CHECK_STR(esc(&b, "\xed\xa0\x80", 3), "\"\\u00ed\\u00a0\\u0080\"");
	/* growth across many appends */
	b.len = 0;
	for (i = 0; i < 100000; i++)
		CHECK(rkv_buf_append(&b, "0123456789", 10) == 0 || 0);
	CHECK(b.len == 1000000);
	b.len = 0;
	CHECK(rkv_buf_printf(&b, "%s-%d", "x", 42) == 0);
	rkv_buf_nul(&b);
	CHECK_STR(b.data, "x-42");
	rkv_buf_free(&b);

	CHECK(rkv_parse_long("123", 0, 1000, &v) == 0 && v == 123);
	CHECK(rkv_parse_long("12x", 0, 1000, &v) != 0);
	CHECK(rkv_parse_long("", 0, 1000, &v) != 0);
	CHECK(rkv_parse_long("5000", 0, 1000, &v) != 0);
	CHECK(rkv_parse_long("-1", 0, 1000, &v) != 0);
	CHECK(rkv_now_ms() > 0);
	/* binary payloads as text: NUL and invalid UTF-8 as \xNN, valid kept */
	rkv_buf_init(&b);
	CHECK(rkv_buf_text_safe(&b, "a\0b\xff\xc3\xa9z", 7) == 0);
	CHECK_STR(b.data, "a\\x00b\\xff\xc3\xa9z");
	CHECK(rkv_buf_text_safe(&b, "\xe2\x82", 2) == 0);	/* truncated sequence */
	CHECK_STR(b.data, "\\xe2\\x82");
	CHECK(rkv_buf_text_safe(&b, "", 0) == 0 && b.len == 0);
	rkv_buf_free(&b);
	return unit_done("test_util");
}
