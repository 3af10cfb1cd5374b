/* rdk_util.c: growable buffer, JSON escaping, clock (see rkv_util.h).
 * Thread use: reentrant; no locks, no global state.
 */
#include "rkv_config.h"
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>
#include "rkv_util.h"

void
rkv_buf_init(rkv_buf_t *b)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
}

void
rkv_buf_free(rkv_buf_t *b)
{
	free(b->data);
	rkv_buf_init(b);
}

int
rkv_buf_reserve(rkv_buf_t *b, size_t extra)
{
	size_t need, ncap;
	char *nd;

	if (extra > SIZE_MAX - b->len - 1)
		return -1;
	need = b->len + extra + 1;
	if (need <= b->cap)
		return 0;
	ncap = b->cap ? b->cap : 256;
	while (ncap < need)
		ncap = (ncap > SIZE_MAX / 2) ? need : ncap * 2;
	if ((nd = realloc(b->data, ncap)) == NULL)
		return -1;
	b->data = nd;
	b->cap = ncap;
	return 0;
}

int
rkv_buf_append(rkv_buf_t *b, const void *p, size_t n)
{
	if (rkv_buf_reserve(b, n) != 0)
		return -1;
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	return 0;
}

int
rkv_buf_puts(rkv_buf_t *b, const char *s)
{
	return rkv_buf_append(b, s, strlen(s));
}

int
rkv_buf_printf(rkv_buf_t *b, const char *fmt, ...)
{
	va_list ap;
	size_t avail;
	int n, attempt;

	if (rkv_buf_reserve(b, 64) != 0)
		return -1;
	for (attempt = 0; attempt < 2; attempt++) {
		avail = b->cap - b->len;
		va_start(ap, fmt);
		n = vsnprintf(b->data + b->len, avail, fmt, ap);
		va_end(ap);
		if (n < 0)
			return -1;
		if ((size_t)n < avail) {
			b->len += (size_t)n;
			return 0;
		}
		if (rkv_buf_reserve(b, (size_t)n) != 0)	/* then once more */
			return -1;
	}
	return -1;
}

int
rkv_buf_nul(rkv_buf_t *b)
{
	if (rkv_buf_reserve(b, 0) != 0)
		return -1;
	b->data[b->len] = '\0';
	return 0;
}

/* Length of the valid UTF-8 sequence starting at s (1..4), or 0 if invalid. */
static size_t
utf8_seq_len(const unsigned char *s, size_t n)
{
	size_t len, i;
	unsigned int cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((len == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
	    (len == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	return len;
}

int
rkv_buf_json_str(rkv_buf_t *b, const char *str, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, run = 0, sl;
	char esc[7];

	if (rkv_buf_reserve(b, n + 2) != 0 || rkv_buf_append(b, "\"", 1) != 0)
		return -1;
	while (i < n) {
		const unsigned char c = s[i];
		sl = (c >= 0x20 && c != '"' && c != '\\') ? utf8_seq_len(s + i, n - i) : 0;
		if (sl > 0) {
			i += sl;
			run += sl;
			continue;
		}
		if (run && rkv_buf_append(b, s + i - run, run) != 0)
			return -1;
		run = 0;
		esc[0] = '\\';
		if (c == '"' || c == '\\') {
			esc[1] = (char)c;
			sl = 2;
		} else if (c == '\n' || c == '\r' || c == '\t') {
			esc[1] = c == '\n' ? 'n' : (c == '\r' ? 'r' : 't');
			sl = 2;
		} else {
			memcpy(esc + 1, "u00", 3);
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 0xf];
			sl = 6;
		}
		if (rkv_buf_append(b, esc, sl) != 0)
			return -1;
		i++;
	}
	if (run && rkv_buf_append(b, s + i - run, run) != 0)
		return -1;
	return rkv_buf_append(b, "\"", 1);
}

int64_t
rkv_now_ms(void)
{
#if defined(HAVE_CLOCK_GETTIME) && defined(CLOCK_MONOTONIC)
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) == 0)
		return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
#endif
	{
		struct timeval tv;

		gettimeofday(&tv, NULL);
		return (int64_t)tv.tv_sec * 1000 + tv.tv_usec / 1000;
	}
}

int
rkv_parse_long(const char *s, long min, long max, long *out)
{
	char *end;
	long v;

	if (s == NULL || *s == '\0')
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

int
rkv_write_all(int fd, const void *buf, size_t n)
{
	const char *p = buf;
	ssize_t w;

	while (n > 0) {
		w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

void
rkv_put_u32le(unsigned char *c, uint32_t v)
{
	c[0] = v & 0xff;
	c[1] = (v >> 8) & 0xff;
	c[2] = (v >> 16) & 0xff;
	c[3] = (unsigned char)(v >> 24);
}

uint32_t
rkv_get_u32le(const unsigned char *c)
{
	return (uint32_t)c[0] | ((uint32_t)c[1] << 8) | ((uint32_t)c[2] << 16) |
		((uint32_t)c[3] << 24);
}

int
rkv_buf_text_safe(rkv_buf_t *b, const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, run = 0, l;

	b->len = 0;
	while (i + run < n) {
		if (s[i + run] != 0 && (l = utf8_seq_len(s + i + run, n - i - run)) > 0) {
			run += l;
			continue;
		}
		if (rkv_buf_append(b, s + i, run) != 0 ||
		    rkv_buf_printf(b, "\\x%02x", s[i + run]) != 0)
			return -1;
		i += run + 1;
		run = 0;
	}
	if (rkv_buf_append(b, s + i, run) != 0)
		return -1;
	return rkv_buf_nul(b);
}
