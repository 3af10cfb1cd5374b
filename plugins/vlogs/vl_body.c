/* vl_body.c: jsonline body + compression (vl_body.h).
 * Thread use: a body belongs to one thread; no global state.
 */
#include "rkv_config.h"
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#ifdef HAVE_LIBZSTD
#include <zstd.h>
#endif
#include "vl_body.h"

void
vl_body_init(vl_body_t *b, vl_codec_t codec, int level)
{
	memset(b, 0, sizeof(*b));
	rkv_buf_init(&b->plain);
	rkv_buf_init(&b->packed);
	b->codec = codec;
	b->level = level;
}

void
vl_body_free(vl_body_t *b)
{
	rkv_buf_free(&b->plain);
	rkv_buf_free(&b->packed);
#ifdef HAVE_LIBZSTD	/* without it zctx is never allocated */
	if (b->zctx != NULL)
		ZSTD_freeCCtx(b->zctx);
#endif
	memset(b, 0, sizeof(*b));
}

void
vl_body_reset(vl_body_t *b)
{
	b->plain.len = 0;
	b->packed.len = 0;
	b->lines = 0;
}

int
vl_body_add(vl_body_t *b, const char *line, size_t n)
{
	if (rkv_buf_reserve(&b->plain, n + 1) != 0)
		return -1;
	memcpy(b->plain.data + b->plain.len, line, n);
	b->plain.data[b->plain.len + n] = '\n';
	b->plain.len += n + 1;
	b->lines++;
	return 0;
}

static int
gzip_body(vl_body_t *b)
{
	z_stream z;
	int r;

	memset(&z, 0, sizeof(z));
	/* windowBits 15 + 16: a gzip wrapper, as Content-Encoding: gzip says */
	if (deflateInit2(&z, b->level ? b->level : Z_DEFAULT_COMPRESSION, Z_DEFLATED,
	    15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return -1;
	if (rkv_buf_reserve(&b->packed, deflateBound(&z, (uLong)b->plain.len)) != 0) {
		deflateEnd(&z);
		return -1;
	}
	z.next_in = (Bytef *)b->plain.data;
	z.avail_in = (uInt)b->plain.len;
	z.next_out = (Bytef *)b->packed.data;
	z.avail_out = (uInt)(b->packed.cap);
	r = deflate(&z, Z_FINISH);
	b->packed.len = z.total_out;
	deflateEnd(&z);
	return r == Z_STREAM_END ? 0 : -1;
}

#ifdef HAVE_LIBZSTD
static int
zstd_body(vl_body_t *b)
{
	size_t r;

	if (b->zctx == NULL && (b->zctx = ZSTD_createCCtx()) == NULL)
		return -1;
	if (rkv_buf_reserve(&b->packed, ZSTD_compressBound(b->plain.len)) != 0)
		return -1;
	r = ZSTD_compressCCtx(b->zctx, b->packed.data, b->packed.cap, b->plain.data,
		b->plain.len, b->level ? b->level : 1);
	if (ZSTD_isError(r))
		return -1;
	b->packed.len = r;
	return 0;
}
#else
static int
zstd_body(vl_body_t *b)
{
	(void)b;
	return -1;
}
#endif

int
vl_body_finish(vl_body_t *b)
{
	b->packed.len = 0;
	switch (b->codec) {
	case VL_CODEC_GZIP: return gzip_body(b);
	case VL_CODEC_ZSTD: return zstd_body(b);
	default: return 0;
	}
}

const char *
vl_body_data(const vl_body_t *b)
{
	return b->codec == VL_CODEC_NONE ? b->plain.data : b->packed.data;
}

size_t
vl_body_len(const vl_body_t *b)
{
	return b->codec == VL_CODEC_NONE ? b->plain.len : b->packed.len;
}

const char *
vl_codec_encoding(vl_codec_t c)
{
	return c == VL_CODEC_GZIP ? "gzip" : c == VL_CODEC_ZSTD ? "zstd" : NULL;
}

int
vl_codec_parse(const char *s, vl_codec_t *out)
{
	if (!strcmp(s, "gzip"))
		*out = VL_CODEC_GZIP;
	else if (!strcmp(s, "zstd")) {
#ifdef HAVE_LIBZSTD
		*out = VL_CODEC_ZSTD;
#else
		return -2;
#endif
	}
	else if (!strcmp(s, "none"))
		*out = VL_CODEC_NONE;
	else
		return -1;
	return 0;
}
