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
#include <unistd.h>
#include "errfile.h"

#ifndef O_CLOEXEC
#define O_CLOEXEC 0
#endif

struct rdk_errfile {
	char *path;
	int fd;
	uint64_t lines;
	pthread_mutex_t lock;
};

rdk_errfile_t *
rdk_errfile_new(const char *path)
{
	rdk_errfile_t *f = calloc(1, sizeof(*f));

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
rdk_errfile_free(rdk_errfile_t *f)
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
rdk_errfile_path(const rdk_errfile_t *f)
{
	return f->path;
}

int
rdk_errfile_write(rdk_errfile_t *f, const char *line, size_t len)
{
	int r = -1, saved = 0;

	pthread_mutex_lock(&f->lock);
	if (f->fd < 0)
		f->fd = open(f->path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (f->fd >= 0) {
		/* one writer at a time (lock), so the two parts stay together */
		r = rdk_write_all(f->fd, line, len);
		if (r == 0)
			r = rdk_write_all(f->fd, "\n", 1);
		if (r == 0)
			f->lines++;
	}
	saved = errno;
	pthread_mutex_unlock(&f->lock);
	errno = saved;
	return r;
}

void
rdk_errfile_reopen(rdk_errfile_t *f)
{
	pthread_mutex_lock(&f->lock);
	if (f->fd >= 0)
		close(f->fd);
	f->fd = -1;
	pthread_mutex_unlock(&f->lock);
}

uint64_t
rdk_errfile_lines(const rdk_errfile_t *f)
{
	return f->lines;
}

static int
put_time(rdk_buf_t *b)
{
	struct timespec ts;
	struct tm tm;
	char t[40];
	time_t sec;

	clock_gettime(CLOCK_REALTIME, &ts);
	sec = ts.tv_sec;
	gmtime_r(&sec, &tm);
	strftime(t, sizeof(t), "%Y-%m-%dT%H:%M:%S", &tm);
	return rdk_buf_printf(b, "{\"time\":\"%s.%06ldZ\"", t, (long)(ts.tv_nsec / 1000));
}

static int
put_field(rdk_buf_t *b, const char *name, const void *v, size_t n)
{
	if (rdk_buf_printf(b, ",\"%s\":", name) != 0)
		return -1;
	if (v == NULL)
		return rdk_buf_puts(b, "null");
	return rdk_buf_json_str(b, v, n);
}

int
rdk_errrec_json(rdk_buf_t *b, const rdk_errrec_t *r)
{
	int rc = 0;

	b->len = 0;
	rc |= put_time(b);
	rc |= put_field(b, "module", r->module, r->module ? strlen(r->module) : 0);
	rc |= put_field(b, "action", r->action, r->action ? strlen(r->action) : 0);
	rc |= put_field(b, "topic", r->topic, r->topic ? strlen(r->topic) : 0);
	rc |= rdk_buf_printf(b, ",\"partition\":%ld", (long)r->partition);
	rc |= put_field(b, "reason", r->reason, r->reason ? strlen(r->reason) : 0);
	rc |= put_field(b, "error", r->error, r->error ? strlen(r->error) : 0);
	rc |= put_field(b, "key", r->key, r->keylen);
	rc |= rdk_buf_printf(b, ",\"size\":%lu", (unsigned long)r->len);
	rc |= put_field(b, "payload", r->payload, r->len);
	rc |= rdk_buf_puts(b, "}");
	rc |= rdk_buf_nul(b);
	return rc ? -1 : 0;
}
