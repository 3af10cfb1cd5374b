/* errfile.c: append-only JSON-lines error file (see errfile.h).
 * Thread use: any thread; f->lock guards fd and the line counter.
 */
#include "rkv_config.h"
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/uio.h>
#include <unistd.h>
#include "errfile.h"

#ifndef O_CLOEXEC
#define O_CLOEXEC 0
#endif

struct rkv_errfile {
	char *path;
	int fd;
	uint64_t lines;
	pthread_mutex_t lock;
};

rkv_errfile_t *
rkv_errfile_new(const char *path)
{
	rkv_errfile_t *f = calloc(1, sizeof(*f));

	if (f == NULL)
		return NULL;
	if ((f->path = strdup(path)) == NULL) {
		free(f);
		return NULL;
	}
	f->fd = -1;
	pthread_mutex_init(&f->lock, NULL);
	return f;
}

void
rkv_errfile_free(rkv_errfile_t *f)
{
	if (f == NULL)
		return;
	if (f->fd >= 0)
		close(f->fd);
	pthread_mutex_destroy(&f->lock);
	free(f->path);
	free(f);
}

const char *
rkv_errfile_path(const rkv_errfile_t *f)
{
	return f->path;
}

/* One writev() for line and newline, so that concurrent appenders (other
 * processes too) never interleave inside a line; a short write (disk
 * nearly full) is continued. */
static int
write_line(int fd, const char *line, size_t len)
{
	struct iovec iov[2];
	ssize_t w;

	iov[0].iov_base = (void *)line;
	iov[0].iov_len = len;
	iov[1].iov_base = (void *)"\n";
	iov[1].iov_len = 1;
	do {
		w = writev(fd, iov, 2);
	} while (w < 0 && errno == EINTR);
	if (w < 0)
		return -1;
	if ((size_t)w < len)
		return rkv_write_all(fd, line + w, len - (size_t)w) == 0 ?
			rkv_write_all(fd, "\n", 1) : -1;
	if ((size_t)w == len)
		return rkv_write_all(fd, "\n", 1);
	return 0;
}

int
rkv_errfile_write(rkv_errfile_t *f, const char *line, size_t len)
{
	int r = -1, saved = 0;

	pthread_mutex_lock(&f->lock);
	if (f->fd < 0)
		f->fd = open(f->path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (f->fd >= 0) {
		r = write_line(f->fd, line, len);
		if (r == 0)
			f->lines++;
	}
	saved = errno;
	pthread_mutex_unlock(&f->lock);
	errno = saved;
	return r;
}

void
rkv_errfile_reopen(rkv_errfile_t *f)
{
	pthread_mutex_lock(&f->lock);
	if (f->fd >= 0)
		close(f->fd);
	f->fd = -1;
	pthread_mutex_unlock(&f->lock);
}

uint64_t
rkv_errfile_lines(const rkv_errfile_t *f)
{
	return f->lines;
}

static int
put_time(rkv_buf_t *b)
{
	struct timespec ts;
	struct tm tm;
	char t[40];
	time_t sec;

	clock_gettime(CLOCK_REALTIME, &ts);
	sec = ts.tv_sec;
	gmtime_r(&sec, &tm);
	strftime(t, sizeof(t), "%Y-%m-%dT%H:%M:%S", &tm);
	return rkv_buf_printf(b, "{\"time\":\"%s.%06ldZ\"", t, (long)(ts.tv_nsec / 1000));
}

static int
put_field(rkv_buf_t *b, const char *name, const void *v, size_t n)
{
	if (rkv_buf_printf(b, ",\"%s\":", name) != 0)
		return -1;
	if (v == NULL)
		return rkv_buf_puts(b, "null");
	return rkv_buf_json_str(b, v, n);
}

int
rkv_errrec_json(rkv_buf_t *b, const rkv_errrec_t *r)
{
	int rc = 0;

	b->len = 0;
	rc |= put_time(b);
	rc |= put_field(b, "module", r->module, r->module ? strlen(r->module) : 0);
	rc |= put_field(b, "action", r->action, r->action ? strlen(r->action) : 0);
	if (r->topic != NULL) {	/* Kafka's fields; none for VictoriaLogs */
		rc |= put_field(b, "topic", r->topic, strlen(r->topic));
		rc |= rkv_buf_printf(b, ",\"partition\":%ld", (long)r->partition);
	}
	rc |= put_field(b, "reason", r->reason, r->reason ? strlen(r->reason) : 0);
	rc |= put_field(b, "error", r->error, r->error ? strlen(r->error) : 0);
	if (r->topic != NULL)
		rc |= put_field(b, "key", r->key, r->keylen);
	rc |= rkv_buf_printf(b, ",\"size\":%lu", (unsigned long)r->len);
	rc |= put_field(b, "payload", r->payload, r->len);
	rc |= rkv_buf_puts(b, "}");
	rc |= rkv_buf_nul(b);
	return rc ? -1 : 0;
}

/* ---- per-action default paths ------------------------------------------ */

static pthread_mutex_t claims_lock = PTHREAD_MUTEX_INITIALIZER;
static char **claims;
static size_t nclaims;

int
rkv_path_claim(const char *path)
{
	char **nc;
	size_t i;
	int r = 0;

	pthread_mutex_lock(&claims_lock);
	for (i = 0; i < nclaims; i++)
		if (claims[i] != NULL && strcmp(claims[i], path) == 0)
			r = 1;
	if (r == 0) {
		nc = realloc(claims, (nclaims + 1) * sizeof(*nc));
		if (nc == NULL || (nc[nclaims] = strdup(path)) == NULL) {
			if (nc != NULL)
				claims = nc;
			r = -1;
		} else {
			claims = nc;
			nclaims++;
		}
	}
	pthread_mutex_unlock(&claims_lock);
	return r;
}

void
rkv_path_release(const char *path)
{
	size_t i;

	if (path == NULL)
		return;
	pthread_mutex_lock(&claims_lock);
	for (i = 0; i < nclaims; i++) {
		if (claims[i] != NULL && strcmp(claims[i], path) == 0) {
			free(claims[i]);
			claims[i] = NULL;
			break;
		}
	}
	pthread_mutex_unlock(&claims_lock);
}

int
rkv_default_path(rkv_buf_t *out, const char *dir, const char *name,
	const char *suffix)
{
	unsigned k;
	size_t i, base;
	int r;

	out->len = 0;
	if (rkv_buf_printf(out, "%s/", dir) != 0)
		return -1;
	for (i = 0; name[i] != '\0'; i++) {
		char c = name[i];
		int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			(c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
		if (rkv_buf_append(out, ok ? &c : "_", 1) != 0)
			return -1;
	}
	base = out->len;
	for (k = 1; k < 10000; k++) {
		out->len = base;
		if ((k > 1 && rkv_buf_printf(out, "-%u", k) != 0) ||
		    rkv_buf_puts(out, suffix) != 0 || rkv_buf_nul(out) != 0)
			return -1;
		if ((r = rkv_path_claim(out->data)) <= 0)
			return r;
	}
	return -1;
}
