/* Unit tests of the VictoriaLogs core: the line check accepts exactly one
 * JSON object per line (what VictoriaLogs would otherwise skip silently)
 * and rejects the rest with a stable reason; bodies round-trip through
 * gzip and zstd. */
#include "rkv_config.h"
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#ifdef HAVE_LIBZSTD
#include <zstd.h>
#endif
#include "vl_line.h"
#include "vl_body.h"
#include "unit.h"

static vl_line_res_t
chk(const char *s)
{
	return vl_line_check(s, strlen(s), 0, NULL);
}

static void
test_lines(void)
{
	static const char *ok[] = {
		"{}", " {\"a\":1} ", "{\"a\":\"b\",\"c\":[1,2.5,-3e+2,true,false,null,{}]}",
		"{\"e\":\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\uD83D\\uDE00\"}",
		"{\"nested\":{\"k\":{\"l\":[[[]]]}}}", "{\"u\":\"\xc3\xa9 raw utf-8\"}",
		"{\"n\":0,\"m\":-0.5,\"x\":1E9}\r",
	};
	static const char *bad[] = {
		"{", "{\"a\"}", "{\"a\":}", "{\"a\":1,}", "{'a':1}", "{\"a\":01}",
		"{\"a\":1.}", "{\"a\":.5}", "{\"a\":tru}", "{\"a\":\"x\\q\"}",
		"{\"a\":\"\\u12g4\"}", "{\"a\":\"tab\there\"}", "{\"a\":1}{\"b\":2}",
		"{\"a\":1} x", "not json", "{\"a\":\"unterminated}", "{\"a\":1]",
	};
	char deep[2000];
	size_t i, at;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		vl_line_res_t r = chk(ok[i]);
		CHECK(r == VL_LINE_OK);
		if (r != VL_LINE_OK)
			fprintf(stderr, "  rejected: %s (%s)\n", ok[i], vl_line_reason(r));
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		vl_line_res_t r = chk(bad[i]);
		CHECK(r == VL_LINE_INVALID);
		if (r != VL_LINE_INVALID)
			fprintf(stderr, "  accepted: %s (%s)\n", bad[i], vl_line_reason(r));
	}
	CHECK(chk("[1,2]") == VL_LINE_NOT_OBJECT);
	CHECK(chk("\"str\"") == VL_LINE_NOT_OBJECT);
	CHECK(chk("42") == VL_LINE_NOT_OBJECT);
	CHECK(chk("") == VL_LINE_EMPTY && chk(" \t") == VL_LINE_EMPTY);
	CHECK(chk("{\"a\":\n1}") == VL_LINE_NEWLINE);
	CHECK(chk("{\"a\":\"raw\nnewline\"}") == VL_LINE_INVALID);
	CHECK(vl_line_check("{\"a\":1}", 7, 6, NULL) == VL_LINE_TOO_LONG);
	CHECK(vl_line_check("{\"a\":1}", 7, 7, NULL) == VL_LINE_OK);
	CHECK(vl_line_check("{\"a\":1}\0{", 9, 0, &at) == VL_LINE_INVALID && at == 7);
	/* nesting: bounded, no stack exhaustion */
	memset(deep, '[', sizeof(deep));
	deep[0] = '{';
	CHECK(vl_line_check(deep, sizeof(deep), 0, NULL) == VL_LINE_INVALID);
	CHECK_STR(vl_line_reason(VL_LINE_TOO_LONG), "too_long");
	CHECK_STR(vl_line_reason(VL_LINE_NOT_OBJECT), "not_an_object");
}

/* the default template: $! as it is, plus the standard fields it lacks */
static void
test_merge(void)
{
	static const char *const keys[] = { "message", "timestamp", "host" };
	static const char *const vals[] = { "m \\\"q\\\"", "2026-12-01T10:00:00Z", "h1" };
	size_t vlens[3], i;
	unsigned found;
	rkv_buf_t b;
	const char *o1 = "{\"message\":\"x\",\"nested\":{\"host\":1},\"host\":\"a\"}";

	for (i = 0; i < 3; i++)
		vlens[i] = strlen(vals[i]);
	rkv_buf_init(&b);
	CHECK(vl_line_check_keys(o1, strlen(o1), 0, NULL, keys, 3, &found) == VL_LINE_OK);
	CHECK(found == 5);	/* message and host at the top, not the nested host */
	CHECK(vl_line_merge(&b, o1, strlen(o1), found, keys, vals, vlens, 3) == 0);
	CHECK(rkv_buf_nul(&b) == 0);
	CHECK_STR(b.data, "{\"message\":\"x\",\"nested\":{\"host\":1},\"host\":\"a\","
		"\"timestamp\":\"2026-12-01T10:00:00Z\"}");
	CHECK(vl_line_check(b.data, b.len, 0, NULL) == VL_LINE_OK);
	CHECK(vl_line_check_keys("{ }", 3, 0, NULL, keys, 3, &found) == VL_LINE_OK && found == 0);
	CHECK(vl_line_merge(&b, "{ }", 3, 0, keys, vals, vlens, 3) == 0 && rkv_buf_nul(&b) == 0);
	CHECK_STR(b.data, "{\"message\":\"m \\\"q\\\"\",\"timestamp\":\"2026-12-01T10:00:00Z\","
		"\"host\":\"h1\"}");
	CHECK(vl_line_check(b.data, b.len, 0, NULL) == VL_LINE_OK);
	CHECK(vl_line_check_keys("{\"mess\\u0061ge\":1}", 18, 0, NULL, keys, 3, &found) == VL_LINE_OK &&
		found == 0);
	CHECK(vl_line_merge(&b, "[1]", 3, 0, keys, vals, vlens, 3) == -1);
	rkv_buf_free(&b);
}

static void
test_body(vl_codec_t codec)
{
	vl_body_t b;
	char line[64], *out = malloc(1 << 20);
	size_t n = 0, i;
	int k;

	vl_body_init(&b, codec, 0);
	for (k = 0; k < 2; k++) {	/* reused after a reset */
		vl_body_reset(&b);
		for (i = 0; i < 5000; i++) {
			int l = snprintf(line, sizeof(line), "{\"_msg\":\"seq=%lu\"}", (unsigned long)i);
			CHECK(vl_body_add(&b, line, (size_t)l) == 0);
		}
		CHECK(b.lines == 5000);
		CHECK(vl_body_finish(&b) == 0);
		if (codec == VL_CODEC_GZIP) {
			z_stream z;
			memset(&z, 0, sizeof(z));
			inflateInit2(&z, 15 + 16);
			z.next_in = (Bytef *)vl_body_data(&b);
			z.avail_in = (uInt)vl_body_len(&b);
			z.next_out = (Bytef *)out;
			z.avail_out = 1 << 20;
			CHECK(inflate(&z, Z_FINISH) == Z_STREAM_END);
			n = z.total_out;
			inflateEnd(&z);
#ifdef HAVE_LIBZSTD
		} else if (codec == VL_CODEC_ZSTD) {
			n = ZSTD_decompress(out, 1 << 20, vl_body_data(&b), vl_body_len(&b));
			CHECK(!ZSTD_isError(n));
#endif
		} else {
			n = vl_body_len(&b);
			memcpy(out, vl_body_data(&b), n);
		}
		CHECK(n == b.plain.len && memcmp(out, b.plain.data, n) == 0);
		CHECK(codec == VL_CODEC_NONE || vl_body_len(&b) < b.plain.len / 3);
	}
	vl_body_free(&b);
	free(out);
}

int
main(void)
{
	vl_codec_t c;

	test_lines();
	test_merge();
	test_body(VL_CODEC_NONE);
	test_body(VL_CODEC_GZIP);
#ifdef HAVE_LIBZSTD
	test_body(VL_CODEC_ZSTD);
	CHECK(vl_codec_parse("zstd", &c) == 0 && c == VL_CODEC_ZSTD);
#else
	CHECK(vl_codec_parse("zstd", &c) == -2);
#endif
	CHECK(vl_codec_parse("none", &c) == 0 && c == VL_CODEC_NONE);
	CHECK(vl_codec_parse("brotli", &c) == -1);
	CHECK_STR(vl_codec_encoding(VL_CODEC_GZIP), "gzip");
	CHECK(vl_codec_encoding(VL_CODEC_NONE) == NULL);
	return unit_done("test_vlogs");
}
