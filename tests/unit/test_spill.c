/* Unit tests of the shutdown spill file: binary-safe round trip, appends
 * from two writers, a torn last record, replay ownership, and that a spill
 * written during a replay survives that replay's removal. */
#include "rkv_config.h"
#include <stdlib.h>
#include <unistd.h>
#include "spill.h"
#include "unit.h"

static void
msg(rdk_msg_t *m, const char *payload, size_t len, const char *key)
{
	memset(m, 0, sizeof(*m));
	m->payload = payload;
	m->len = len;
	m->key = key;
	m->keylen = key ? strlen(key) : 0;
	m->partition = RD_KAFKA_PARTITION_UA;
}

int
main(void)
{
	char path[] = "/tmp/rkv-spill-XXXXXX", replay[64];
	rdk_spill_rec_t *r;
	rdk_msg_t m[3];
	rdk_spill_t *s;
	long n;
	int fd = mkstemp(path);
	FILE *f;

	close(fd);
	unlink(path);
	snprintf(replay, sizeof(replay), "%s.replay", path);
	s = rdk_spill_new(path);
	CHECK(rdk_spill_take(s, &r) == 0);	/* no file */
	msg(&m[0], "a\0b\n\xff", 5, NULL);
	msg(&m[1], "second", 6, "k");
	m[1].topic = "other";
	m[1].partition = 3;
	msg(&m[2], "", 0, "");
	CHECK(rdk_spill_write(s, m, 2, "dflt") == 0);
	CHECK(rdk_spill_write(s, &m[2], 1, "dflt") == 0);
	n = rdk_spill_take(s, &r);
	CHECK(n == 3);
	if (n == 3) {
		CHECK(r[0].len == 5 && memcmp(r[0].payload, "a\0b\n\xff", 5) == 0);
		CHECK(r[0].key == NULL && strcmp(r[0].topic, "dflt") == 0);
		CHECK(r[1].partition == 3 && strcmp(r[1].topic, "other") == 0);
		CHECK(r[1].keylen == 1 && r[1].key[0] == 'k');
		CHECK(r[2].len == 0 && r[2].key != NULL && r[2].keylen == 0);
	}
	/* a second taker gets nothing while the first replays */
	{
		rdk_spill_rec_t *r2;
		CHECK(rdk_spill_take(s, &r2) == 0);
	}
	/* a spill during the replay is not removed with it */
	CHECK(rdk_spill_write(s, m, 1, "dflt") == 0);
	rdk_spill_release(s, r, n, 1);
	CHECK(access(replay, F_OK) != 0);
	n = rdk_spill_take(s, &r);
	CHECK(n == 1);
	rdk_spill_release(s, r, n, 0);		/* not acknowledged: kept */
	CHECK(access(replay, F_OK) == 0);
	/* torn tail: append half a record to the kept file */
	f = fopen(replay, "ab");
	fwrite("\x05\x00\x00\x00top", 1, 7, f);
	fclose(f);
	n = rdk_spill_take(s, &r);
	CHECK(n == 1);
	rdk_spill_release(s, r, n, 1);
	CHECK(access(replay, F_OK) != 0 && access(path, F_OK) != 0);
	rdk_spill_free(s);
	return unit_done("test_spill");
}
