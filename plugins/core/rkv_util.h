/* rkv_util.h: small rsyslog-free helpers shared by the core: a growable byte
 * buffer, JSON string escaping and a monotonic clock.
 * Thread use: none of these keep global state; a buffer belongs to one thread.
 */
#ifndef RKV_UTIL_H
#define RKV_UTIL_H
#include <stddef.h>
#include <stdint.h>

typedef struct rkv_buf {
	char *data;
	size_t len;
	size_t cap;
} rkv_buf_t;

void rkv_buf_init(rkv_buf_t *b);
void rkv_buf_free(rkv_buf_t *b);
/* All appenders return 0, or -1 when memory ran out (the buffer stays valid). */
int rkv_buf_reserve(rkv_buf_t *b, size_t extra);
int rkv_buf_append(rkv_buf_t *b, const void *p, size_t n);
int rkv_buf_puts(rkv_buf_t *b, const char *s);
int rkv_buf_printf(rkv_buf_t *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Appends a JSON string literal (with quotes). Bytes that are not valid UTF-8
 * are written as \u00XX of the byte (so binary payloads survive as text
 * and the output is always valid JSON). */
int rkv_buf_json_str(rkv_buf_t *b, const char *s, size_t n);
/* Replaces the buffer with s[0..n) as text: valid UTF-8 kept, every NUL
 * and every byte that is not valid UTF-8 written as "\xNN", NUL-terminated
 * (for binary payloads that must survive as a string). */
int rkv_buf_text_safe(rkv_buf_t *b, const char *s, size_t n);
/* Terminating NUL (not counted in len). */
int rkv_buf_nul(rkv_buf_t *b);

/* write(2) until all n bytes are written (EINTR and short writes
 * continued). 0, or -1 with errno. */
int rkv_write_all(int fd, const void *buf, size_t n);

/* Little-endian u32 of file formats (spill records). */
void rkv_put_u32le(unsigned char *c, uint32_t v);
uint32_t rkv_get_u32le(const unsigned char *c);

/* Monotonic milliseconds (CLOCK_MONOTONIC, gettimeofday fallback). */
int64_t rkv_now_ms(void);
/* Parses a decimal integer in [min,max]; whole string must be consumed. */
int rkv_parse_long(const char *s, long min, long max, long *out);

#endif
