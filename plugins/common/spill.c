/* spill.c: shutdown spill file (see spill.h).
 * Thread use: any thread; s->lock guards the file and the replay flag.
 */
#include "rkv_config.h"
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "spill.h"
#include "rdk_util.h"

#define SPILL_MAGIC "RKVSPILL1\n"
#define SPILL_NOKEY 0xffffffffu

struct rdk_spill {
	char *path;
	char *replay;	/* path + ".replay": the file being replayed */
	pthread_mutex_t lock;
	int taken;
	int empty;	/* known: nothing to replay (saves syscalls per batch) */
};

rdk_spill_t *
rdk_spill_new(const char *path)
{
	rdk_spill_t *s = calloc(1, sizeof(*s));

	rdk_buf_t b;

	rdk_buf_init(&b);
	if (s == NULL || (s->path = strdup(path)) == NULL ||
	    rdk_buf_printf(&b, "%s.replay", path) != 0) {
		if (s != NULL)
			free(s->path);
		free(s);
		rdk_buf_free(&b);
		return NULL;
	}
	s->replay = b.data;
	pthread_mutex_init(&s->lock, NULL);
	return s;
}

void
rdk_spill_free(rdk_spill_t *s)
{
	if (s == NULL)
		return;
	pthread_mutex_destroy(&s->lock);
	free(s->path);
	free(s->replay);
	free(s);
}

const char *
rdk_spill_path(const rdk_spill_t *s)
{
	return s->path;
}

static int
put_u32(rdk_buf_t *b, uint32_t v)
{
	unsigned char c[4];

	c[0] = v & 0xff; c[1] = (v >> 8) & 0xff; c[2] = (v >> 16) & 0xff; c[3] = v >> 24;
	return rdk_buf_append(b, c, 4);
}

static int
encode(rdk_buf_t *b, const rdk_msg_t *m, const char *topic)
{
	size_t tl = strlen(topic);

	if (tl > 0xfffffff0u || m->len > 0xfffffff0u || m->keylen > 0xfffffff0u)
		return -1;
	return put_u32(b, (uint32_t)tl) | rdk_buf_append(b, topic, tl) |
		put_u32(b, (uint32_t)m->partition) |
		put_u32(b, m->key ? (uint32_t)m->keylen : SPILL_NOKEY) |
		(m->key ? rdk_buf_append(b, m->key, m->keylen) : 0) |
		put_u32(b, (uint32_t)m->len) | rdk_buf_append(b, m->payload, m->len);
}

int
rdk_spill_write(rdk_spill_t *s, const rdk_msg_t *m, size_t n,
	const char *default_topic)
{
	rdk_buf_t b;
	size_t i;
	int fd, rc = -1;
	off_t end;

	rdk_buf_init(&b);
	for (i = 0; i < n; i++)
		if (encode(&b, &m[i], m[i].topic ? m[i].topic : default_topic) != 0)
			goto out;
	pthread_mutex_lock(&s->lock);
	s->empty = 0;
	fd = open(s->path, O_WRONLY | O_CREAT | O_APPEND, 0600);
	if (fd >= 0) {
		end = lseek(fd, 0, SEEK_END);
		rc = 0;
		if (end == 0)
			rc = rdk_write_all(fd, SPILL_MAGIC, strlen(SPILL_MAGIC));
		if (rc == 0)
			rc = rdk_write_all(fd, b.data, b.len);
		if (rc == 0)
			rc = fsync(fd);
		close(fd);
	}
	pthread_mutex_unlock(&s->lock);
out:
	rdk_buf_free(&b);
	return rc;
}

static int
get_u32(const unsigned char **p, const unsigned char *end, uint32_t *v)
{
	if (end - *p < 4)
		return -1;
	*v = (uint32_t)(*p)[0] | ((uint32_t)(*p)[1] << 8) |
		((uint32_t)(*p)[2] << 16) | ((uint32_t)(*p)[3] << 24);
	*p += 4;
	return 0;
}

static char *
get_bytes(const unsigned char **p, const unsigned char *end, uint32_t n)
{
	char *d;

	if ((size_t)(end - *p) < n || (d = malloc((size_t)n + 1)) == NULL)
		return NULL;
	memcpy(d, *p, n);
	d[n] = '\0';
	*p += n;
	return d;
}

/* One record from [*p, end); 0 ok, -1 torn or bad (stop). */
static int
decode(const unsigned char **p, const unsigned char *end, rdk_spill_rec_t *r)
{
	uint32_t tl, part, kl;

	memset(r, 0, sizeof(*r));
	if (get_u32(p, end, &tl) || (r->topic = get_bytes(p, end, tl)) == NULL ||
	    get_u32(p, end, &part) || get_u32(p, end, &kl))
		return -1;
	r->partition = (int32_t)part;
	if (kl != SPILL_NOKEY) {
		if ((r->key = get_bytes(p, end, kl)) == NULL)
			return -1;
		r->keylen = kl;
	}
	if (get_u32(p, end, &r->len) || (r->payload = get_bytes(p, end, r->len)) == NULL)
		return -1;
	return 0;
}

static void
free_recs(rdk_spill_rec_t *recs, long n)
{
	long i;

	for (i = 0; recs != NULL && i < n; i++) {
		free(recs[i].topic);
		free(recs[i].key);
		free(recs[i].payload);
	}
	free(recs);
}

static long
parse(const rdk_buf_t *b, rdk_spill_rec_t **recs)
{
	const unsigned char *p = (const unsigned char *)b->data + strlen(SPILL_MAGIC);
	const unsigned char *end = (const unsigned char *)b->data + b->len;
	rdk_spill_rec_t *v = NULL, *nv;
	long n = 0, cap = 0;

	while (p < end) {
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			if ((nv = realloc(v, (size_t)cap * sizeof(*v))) == NULL) {
				free_recs(v, n);
				return -1;
			}
			v = nv;
		}
		if (decode(&p, end, &v[n]) != 0) {
			/* torn tail (crash while writing): keep what is whole */
			free(v[n].topic);
			free(v[n].key);
			free(v[n].payload);
			break;
		}
		n++;
	}
	*recs = v;
	return n;
}

static int
read_file(const char *path, rdk_buf_t *b)
{
	char chunk[65536];
	ssize_t r;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return errno == ENOENT ? 1 : -1;
	while ((r = read(fd, chunk, sizeof(chunk))) != 0) {
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0 || rdk_buf_append(b, chunk, (size_t)r) != 0) {
			close(fd);
			return -1;
		}
	}
	close(fd);
	return 0;
}

/* Reads the file being replayed; a new spill is first moved there, so
 * writers (another worker shutting down) never touch what is replayed. */
long
rdk_spill_take(rdk_spill_t *s, rdk_spill_rec_t **recs)
{
	rdk_buf_t b;
	long n = 0;
	int r;

	*recs = NULL;
	pthread_mutex_lock(&s->lock);
	if (s->taken || s->empty) {
		pthread_mutex_unlock(&s->lock);
		return 0;
	}
	if (access(s->replay, F_OK) != 0 && rename(s->path, s->replay) != 0 &&
	    errno != ENOENT) {
		pthread_mutex_unlock(&s->lock);
		return -1;
	}
	rdk_buf_init(&b);
	r = read_file(s->replay, &b);
	if (r < 0)
		n = -1;
	else if (r == 0 && b.len >= strlen(SPILL_MAGIC) &&
		 memcmp(b.data, SPILL_MAGIC, strlen(SPILL_MAGIC)) == 0)
		n = parse(&b, recs);
	else if (r == 0)
		n = -1;	/* not ours: leave it alone */
	if (n > 0)
		s->taken = 1;
	else if (n == 0 && r == 1)
		s->empty = 1;	/* no file at all */
	pthread_mutex_unlock(&s->lock);
	rdk_buf_free(&b);
	return n;
}

void
rdk_spill_release(rdk_spill_t *s, rdk_spill_rec_t *recs, long n, int done)
{
	free_recs(recs, n);
	pthread_mutex_lock(&s->lock);
	if (done) {
		unlink(s->replay);
		/* a spill may have been written meanwhile (to s->path) */
		s->empty = access(s->path, F_OK) != 0;
	}
	s->taken = 0;
	pthread_mutex_unlock(&s->lock);
}
