/* rdk_util.h: small rsyslog-free helpers shared by the core: a growable byte
 * buffer, JSON string escaping and a monotonic clock.
 * Thread use: none of these keep global state; a buffer belongs to one thread.
 */
#ifndef RDK_UTIL_H
#define RDK_UTIL_H
#include <stddef.h>
#include <stdint.h>

typedef struct rdk_buf {
	char *data;
	size_t len;
	size_t cap;
} rdk_buf_t;

void rdk_buf_init(rdk_buf_t *b);
void rdk_buf_free(rdk_buf_t *b);
/* All appenders return 0, or -1 when memory ran out (the buffer stays valid). */
int rdk_buf_reserve(rdk_buf_t *b, size_t extra);
int rdk_buf_append(rdk_buf_t *b, const void *p, size_t n);
int rdk_buf_puts(rdk_buf_t *b, const char *s);
int rdk_buf_printf(rdk_buf_t *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Appends a JSON string literal (with quotes). Bytes that are not valid UTF-8
 * are written as \u00XX of the byte (so binary payloads survive as text
 * and the output is always valid JSON). */
int rdk_buf_json_str(rdk_buf_t *b, const char *s, size_t n);
/* Terminating NUL (not counted in len). */
int rdk_buf_nul(rdk_buf_t *b);

/* write(2) until all n bytes are written (EINTR and short writes
 * continued). 0, or -1 with errno. */
int rdk_write_all(int fd, const void *buf, size_t n);

/* Monotonic milliseconds (CLOCK_MONOTONIC, gettimeofday fallback). */
int64_t rdk_now_ms(void);
/* Parses a decimal integer in [min,max]; whole string must be consumed. */
int rdk_parse_long(const char *s, long min, long max, long *out);

#endif
