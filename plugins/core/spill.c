/* spill.c: shutdown spill file (see spill.h).
 * Thread use: any thread; s->lock guards the file, the replay flag and
 * the recovery state.
 */
#include "rkv_config.h"
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "spill.h"
#include "rkv_util.h"

#define SPILL_MAGIC "RKVSPILL2\n"
#define MAGIC_LEN (sizeof(SPILL_MAGIC) - 1)
#define HDR_LEN 8
#define MAX_REC 0x7ffffff0u

struct rkv_spill {
	char *path;
	char *replay;	/* path + ".replay": the file being replayed */
	pthread_mutex_t lock;
	int taken;
	int empty;	/* known: nothing to replay (saves syscalls per batch) */
	int recovered;	/* torn tail of an earlier process already cut off */
	uint64_t truncated;
};

int
rkv_spill_pending(const rkv_spill_t *s)
{
	struct stat st;

	return (stat(s->path, &st) == 0 && st.st_size > 0) ||
		(stat(s->replay, &st) == 0 && st.st_size > 0);
}

uint32_t
rkv_crc32(const void *p, size_t n)
{
	static uint32_t tab[256];
	static volatile int ready;
	const unsigned char *c = p;
	uint32_t crc = 0xffffffffu;
	size_t i;

	if (!ready) {	/* idempotent: racing threads compute the same table */
		uint32_t k, v;
		for (k = 0; k < 256; k++) {
			v = k;
			for (i = 0; i < 8; i++)
				v = (v & 1) ? 0xedb88320u ^ (v >> 1) : v >> 1;
			tab[k] = v;
		}
		__sync_synchronize();
		ready = 1;
	}
	for (i = 0; i < n; i++)
		crc = tab[(crc ^ c[i]) & 0xff] ^ (crc >> 8);
	return crc ^ 0xffffffffu;
}

rkv_spill_t *
rkv_spill_new(const char *path)
{
	rkv_spill_t *s = calloc(1, sizeof(*s));
	rkv_buf_t b;

	rkv_buf_init(&b);
	if (s == NULL || (s->path = strdup(path)) == NULL ||
	    rkv_buf_printf(&b, "%s.replay", path) != 0) {
		if (s != NULL)
			free(s->path);
		free(s);
		rkv_buf_free(&b);
		return NULL;
	}
	s->replay = b.data;
	pthread_mutex_init(&s->lock, NULL);
	return s;
}

void
rkv_spill_free(rkv_spill_t *s)
{
	if (s == NULL)
		return;
	pthread_mutex_destroy(&s->lock);
	free(s->path);
	free(s->replay);
	free(s);
}

const char *
rkv_spill_path(const rkv_spill_t *s)
{
	return s->path;
}

uint64_t
rkv_spill_truncated(const rkv_spill_t *s)
{
	return s->truncated;
}

static int
read_file(const char *path, rkv_buf_t *b)
{
	char chunk[65536];
	ssize_t r;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return errno == ENOENT ? 1 : -1;
	while ((r = read(fd, chunk, sizeof(chunk))) != 0) {
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0 || rkv_buf_append(b, chunk, (size_t)r) != 0) {
			close(fd);
			return -1;
		}
	}
	close(fd);
	return 0;
}

/* Walks the records of data[0..len) (after the magic); returns the end of
 * the last whole record. Fills b (when given) with the records whose
 * checksum holds. */
static size_t
scan(const char *data, size_t len, rkv_spill_batch_t *b, long cap)
{
	size_t off = MAGIC_LEN;

	while (len - off >= HDR_LEN) {
		const unsigned char *h = (const unsigned char *)data + off;
		uint32_t rl = rkv_get_u32le(h), crc = rkv_get_u32le(h + 4);
		if (rl > MAX_REC || len - off - HDR_LEN < rl)
			break;	/* torn tail */
		if (b != NULL && rkv_crc32(h + HDR_LEN, rl) != crc) {
			b->corrupt++;
		} else if (b != NULL && b->n < cap) {
			b->rec[b->n].data = h + HDR_LEN;
			b->rec[b->n].len = rl;
			b->n++;
		}
		off += HDR_LEN + rl;
	}
	return off;
}

/* A crash may have left a torn record at the end; appending after it
 * would make every later record unreadable: cut it off once. */
static void
recover(rkv_spill_t *s, int fd)
{
	rkv_buf_t b;
	size_t good;

	s->recovered = 1;
	rkv_buf_init(&b);
	if (read_file(s->path, &b) == 0 && b.len > MAGIC_LEN &&
	    memcmp(b.data, SPILL_MAGIC, MAGIC_LEN) == 0) {
		good = scan(b.data, b.len, NULL, 0);
		if (good < b.len && ftruncate(fd, (off_t)good) == 0)
			s->truncated += b.len - good;
	}
	rkv_buf_free(&b);
}

static int
encode(rkv_buf_t *b, const rkv_blob_t *recs, size_t n, int magic)
{
	unsigned char h[HDR_LEN];
	size_t i;

	if (magic && rkv_buf_append(b, SPILL_MAGIC, MAGIC_LEN) != 0)
		return -1;
	for (i = 0; i < n; i++) {
		if (recs[i].len > MAX_REC) {
			errno = EFBIG;
			return -1;
		}
		rkv_put_u32le(h, (uint32_t)recs[i].len);
		rkv_put_u32le(h + 4, rkv_crc32(recs[i].data, recs[i].len));
		if (rkv_buf_append(b, h, HDR_LEN) != 0 ||
		    rkv_buf_append(b, recs[i].data, recs[i].len) != 0)
			return -1;
	}
	return 0;
}

static int
append_locked(rkv_spill_t *s, const rkv_blob_t *recs, size_t n)
{
	rkv_buf_t b;
	off_t end;
	int fd, rc = -1, saved;

	fd = open(s->path, O_WRONLY | O_CREAT, 0600);
	if (fd < 0)
		return -1;
	if (!s->recovered)
		recover(s, fd);
	rkv_buf_init(&b);
	end = lseek(fd, 0, SEEK_END);
	if (end >= 0 && encode(&b, recs, n, end == 0) == 0 &&
	    rkv_write_all(fd, b.data, b.len) == 0 && fsync(fd) == 0)
		rc = 0;
	saved = errno;
	if (rc != 0 && end >= 0 && ftruncate(fd, end) != 0)
		saved = errno;	/* disk full and cannot cut: recover() at next start */
	close(fd);
	rkv_buf_free(&b);
	errno = saved;
	return rc;
}

int
rkv_spill_append(rkv_spill_t *s, const rkv_blob_t *recs, size_t n)
{
	int rc;

	if (n == 0)
		return 0;
	pthread_mutex_lock(&s->lock);
	s->empty = 0;
	rc = append_locked(s, recs, n);
	pthread_mutex_unlock(&s->lock);
	return rc;
}

static long
parse(rkv_buf_t *raw, rkv_spill_batch_t *b)
{
	size_t cap = raw->len / HDR_LEN + 1;

	if (raw->len < MAGIC_LEN || memcmp(raw->data, SPILL_MAGIC, MAGIC_LEN) != 0)
		return -1;	/* not ours: leave it alone */
	if ((b->rec = calloc(cap, sizeof(*b->rec))) == NULL)
		return -1;
	b->mem = raw->data;	/* records point into it */
	b->torn_bytes = raw->len - scan(raw->data, raw->len, b, (long)cap);
	raw->data = NULL;
	return b->n;
}

/* Reads the file being replayed; a new spill is first moved there, so
 * writers (another worker shutting down) never touch what is replayed. */
long
rkv_spill_take(rkv_spill_t *s, rkv_spill_batch_t *b)
{
	rkv_buf_t raw;
	long n = 0;
	int r;

	memset(b, 0, sizeof(*b));
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
	rkv_buf_init(&raw);
	r = read_file(s->replay, &raw);
	if (r < 0)
		n = -1;
	else if (r == 0)
		n = parse(&raw, b);
	if (n > 0) {
		s->taken = 1;
	} else if (r == 1) {
		s->empty = 1;	/* no file at all */
	} else if (n == 0) {
		/* nothing whole in it (all torn or corrupt): do not read it
		 * again for every batch */
		unlink(s->replay);
		s->empty = access(s->path, F_OK) != 0;
	} else {
		s->empty = 1;	/* unreadable or not ours: reported once, kept */
	}
	pthread_mutex_unlock(&s->lock);
	rkv_buf_free(&raw);
	if (n <= 0) {
		free(b->rec);
		free(b->mem);
		b->rec = NULL;
		b->mem = NULL;
		b->n = 0;
	}
	return n;
}

void
rkv_spill_release(rkv_spill_t *s, rkv_spill_batch_t *b, int done)
{
	free(b->rec);
	free(b->mem);
	memset(b, 0, sizeof(*b));
	pthread_mutex_lock(&s->lock);
	if (done) {
		unlink(s->replay);
		/* a spill may have been written meanwhile (to s->path) */
		s->empty = access(s->path, F_OK) != 0;
	}
	s->taken = 0;
	pthread_mutex_unlock(&s->lock);
}
