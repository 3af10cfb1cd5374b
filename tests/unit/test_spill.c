/* Unit tests of the spill file (core/spill.c) and the Kafka spill record
 * (producer.c rdk_msg_pack): binary-safe round trip, one append of many
 * records, replay ownership, a spill written during a replay survives that
 * replay's removal, a torn tail left by a crash is cut off by the next
 * process's first append so that later records stay readable, a record
 * with a bad checksum is skipped and counted, a failed append leaves
 * nothing behind, a file with nothing whole in it is not read again. */
#include "rkv_config.h"
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include "spill.h"
#include "replayer.h"
#include "producer.h"
#include "unit.h"

static char path[64], replay[80];

static rkv_blob_t
blob(const char *s, size_t n)
{
	rkv_blob_t b;

	b.data = s;
	b.len = n;
	return b;
}

static off_t
fsize(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0 ? st.st_size : -1;
}

static void
test_roundtrip(void)
{
	rkv_spill_t *s = rkv_spill_new(path);
	rkv_spill_batch_t b, b2;
	rkv_blob_t r[3];
	long n;

	CHECK(rkv_spill_take(s, &b) == 0);	/* no file */
	CHECK(!rkv_spill_pending(s));
	r[0] = blob("a\0b\n\xff", 5);
	r[1] = blob("second", 6);
	r[2] = blob("", 0);
	CHECK(rkv_spill_append(s, r, 2) == 0);
	CHECK(rkv_spill_append(s, &r[2], 1) == 0);
	CHECK(rkv_spill_pending(s));
	n = rkv_spill_take(s, &b);
	CHECK(rkv_spill_pending(s));	/* taken, not yet delivered */
	CHECK(n == 3 && b.corrupt == 0 && b.torn_bytes == 0);
	if (n == 3) {
		CHECK(b.rec[0].len == 5 && memcmp(b.rec[0].data, "a\0b\n\xff", 5) == 0);
		CHECK(b.rec[1].len == 6 && memcmp(b.rec[1].data, "second", 6) == 0);
		CHECK(b.rec[2].len == 0);
	}
	CHECK(rkv_spill_take(s, &b2) == 0);	/* a second taker waits */
	CHECK(rkv_spill_append(s, r, 1) == 0);	/* spilled during the replay */
	rkv_spill_release(s, &b, 1);
	CHECK(access(replay, F_OK) != 0);
	n = rkv_spill_take(s, &b);
	CHECK(n == 1);
	rkv_spill_release(s, &b, 0);		/* not delivered: kept */
	CHECK(access(replay, F_OK) == 0);
	n = rkv_spill_take(s, &b);
	CHECK(n == 1);
	rkv_spill_release(s, &b, 1);
	CHECK(access(replay, F_OK) != 0 && access(path, F_OK) != 0);
	CHECK(!rkv_spill_pending(s));
	rkv_spill_free(s);
}

/* A crash tore the last record; the next process appends more: every
 * whole record, before and after the tear, is replayed. */
static void
test_torn_then_append(void)
{
	rkv_spill_t *s = rkv_spill_new(path);
	rkv_spill_batch_t b;
	rkv_blob_t r[2];
	off_t good;
	int fd;

	r[0] = blob("first", 5);
	r[1] = blob("second", 6);
	CHECK(rkv_spill_append(s, r, 2) == 0);
	good = fsize(path);
	rkv_spill_free(s);
	fd = open(path, O_WRONLY | O_APPEND);
	CHECK(write(fd, "\x20\x00\x00\x00\x01\x02\x03\x04torn", 12) == 12);
	close(fd);
	s = rkv_spill_new(path);		/* "next process" */
	r[0] = blob("third", 5);
	CHECK(rkv_spill_append(s, r, 1) == 0);
	CHECK(rkv_spill_truncated(s) == 12);
	CHECK(fsize(path) == good + 8 + 5);
	CHECK(rkv_spill_take(s, &b) == 3);
	CHECK(b.n == 3 && b.rec[2].len == 5 && memcmp(b.rec[2].data, "third", 5) == 0);
	CHECK(b.torn_bytes == 0 && b.corrupt == 0);
	rkv_spill_release(s, &b, 1);
	rkv_spill_free(s);
}

/* A whole record with a damaged body is skipped and counted; the
 * others are kept. A replay file with nothing whole in it is removed. */
static void
test_corrupt(void)
{
	rkv_spill_t *s = rkv_spill_new(path);
	rkv_spill_batch_t b;
	rkv_blob_t r[3];
	int fd;

	r[0] = blob("one", 3);
	r[1] = blob("two", 3);
	r[2] = blob("three", 5);
	CHECK(rkv_spill_append(s, r, 3) == 0);
	fd = open(path, O_WRONLY);
	/* magic (10) + header (8) + "one" (3) + header (8): body of "two" */
	CHECK(pwrite(fd, "X", 1, 10 + 8 + 3 + 8) == 1);
	close(fd);
	CHECK(rkv_spill_take(s, &b) == 2);
	CHECK(b.corrupt == 1 && b.rec[1].len == 5);
	rkv_spill_release(s, &b, 1);
	fd = open(replay, O_WRONLY | O_CREAT, 0600);
	CHECK(write(fd, "RKVSPILL2\n\x09\x00", 12) == 12);	/* torn only */
	close(fd);
	rkv_spill_free(s);
	s = rkv_spill_new(path);
	CHECK(rkv_spill_take(s, &b) == 0);
	CHECK(access(replay, F_OK) != 0);
	rkv_spill_free(s);
}

/* The Kafka record inside a blob: topic, partition, key, payload. */
static void
test_msg_pack(void)
{
	rdk_msg_t m, u;
	rkv_buf_t b;

	rkv_buf_init(&b);
	memset(&m, 0, sizeof(m));
	m.payload = "p\0q";
	m.len = 3;
	m.partition = 7;
	CHECK(rdk_msg_pack(&b, &m, "dflt") == 0);
	CHECK(rdk_msg_unpack(b.data, b.len, &u) == 0);
	CHECK(strcmp(u.topic, "dflt") == 0 && u.partition == 7 && u.key == NULL);
	CHECK(u.len == 3 && memcmp(u.payload, "p\0q", 3) == 0);
	m.topic = "other";
	m.key = "";
	m.keylen = 0;
	m.partition = RD_KAFKA_PARTITION_UA;
	CHECK(rdk_msg_pack(&b, &m, "dflt") == 0);
	CHECK(rdk_msg_unpack(b.data, b.len, &u) == 0);
	CHECK(strcmp(u.topic, "other") == 0 && u.key != NULL && u.keylen == 0);
	CHECK(u.partition == RD_KAFKA_PARTITION_UA);
	CHECK(rdk_msg_unpack(b.data, 6, &u) != 0);	/* truncated */
	rkv_buf_free(&b);
}

static int ran;

static void *
count_run(void *arg)
{
	__sync_fetch_and_add(&ran, *(int *)arg);
	return NULL;
}

/* the start-time replayers: each registered one runs once, finish joins
 * it and takes it off the list; one never started is just taken off */
static void
test_replayer(void)
{
	rkv_replayer_t a, b, c;
	int one = 1, ten = 10;

	memset(&c, 0, sizeof(c));
	rkv_replayer_register(&a, count_run, &one);
	rkv_replayer_register(&b, count_run, &ten);
	CHECK(rkv_replayer_start_all() == 2);
	CHECK(rkv_replayer_start_all() == 0);	/* not twice */
	rkv_replayer_finish(&a);
	rkv_replayer_finish(&b);
	CHECK(ran == 11);
	rkv_replayer_register(&a, count_run, &one);
	rkv_replayer_finish(&a);		/* registered, never started */
	rkv_replayer_finish(&c);		/* never registered */
	CHECK(rkv_replayer_start_all() == 0 && ran == 11);
}

int
main(void)
{
	int fd;

	snprintf(path, sizeof(path), "/tmp/rkv-spill-XXXXXX");
	fd = mkstemp(path);
	close(fd);
	unlink(path);
	snprintf(replay, sizeof(replay), "%s.replay", path);
	test_roundtrip();
	test_torn_then_append();
	test_corrupt();
	test_msg_pack();
	test_replayer();
	CHECK(rkv_crc32("123456789", 9) == 0xcbf43926u);	/* the check value */
	unlink(path);
	unlink(replay);
	return unit_done("test_spill");
}
