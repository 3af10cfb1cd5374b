/* vl_body.h: one POST body of /insert/jsonline: checked lines joined with
 * '\n', then compressed as asked (gzip through zlib, zstd through libzstd,
 * or none). One per worker, reused batch after batch.
 * Thread use: a body belongs to one thread.
 */
#ifndef VL_BODY_H
#define VL_BODY_H
#include <stddef.h>
#include "rkv_util.h"

typedef enum vl_codec {
	VL_CODEC_NONE = 0,
	VL_CODEC_GZIP,
	VL_CODEC_ZSTD
} vl_codec_t;

typedef struct vl_body {
	rkv_buf_t plain;	/* the lines, each ending in '\n' */
	rkv_buf_t packed;	/* plain compressed (empty for VL_CODEC_NONE) */
	size_t lines;
	vl_codec_t codec;
	int level;		/* compression level, 0: the codec's default */
	void *zctx;		/* reused compressor context */
} vl_body_t;

void vl_body_init(vl_body_t *b, vl_codec_t codec, int level);
void vl_body_free(vl_body_t *b);
void vl_body_reset(vl_body_t *b);
/* Appends one line (without its '\n'); 0, or -1 out of memory. */
int vl_body_add(vl_body_t *b, const char *line, size_t n);
/* Compresses; then the bytes to send are vl_body_data()/vl_body_len().
 * 0, or -1 (out of memory or a codec error). */
int vl_body_finish(vl_body_t *b);
const char *vl_body_data(const vl_body_t *b);
size_t vl_body_len(const vl_body_t *b);
/* "gzip", "zstd", NULL for none: the Content-Encoding header value. */
const char *vl_codec_encoding(vl_codec_t c);
/* "gzip" | "zstd" | "none" -> codec; -1 when unknown, -2 for "zstd" in a
 * build without libzstd. */
int vl_codec_parse(const char *s, vl_codec_t *out);

#endif
