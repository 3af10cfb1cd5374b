/* Unit tests of the offset tracker: a partition's committable offset
 * advances only past a finished prefix, gaps in offsets are fine, a
 * revoked partition releases its tokens without advancing, every token
 * is released exactly once. Tokens are ints: 1 = finished. */
#include "rkv_config.h"
#include <stdlib.h>
#include "offsets.h"
#include "unit.h"

static int released;
static int parts_seen;

static int tok_done(void *t) { return *(int *)t; }
static void tok_release(void *t) { (void)t; released++; }
static void part_new(void *o, const char *topic, int32_t p, rdk_part_stats_t *st)
{
	(void)o; (void)topic; (void)p; (void)st;
	parts_seen++;
}

static int64_t
moved_offset(rd_kafka_topic_partition_list_t *l, const char *topic, int32_t p)
{
	rd_kafka_topic_partition_t *e = rd_kafka_topic_partition_list_find(l, topic, p);
	return e ? e->offset : -100;
}

int
main(void)
{
	rdk_offtrack_ops_t ops = { NULL, tok_done, tok_release, part_new };
	rdk_offtrack_t *t = rdk_offtrack_new(&ops);
	rd_kafka_topic_partition_list_t *l;
	int tok[1000];
	int i;

	memset(tok, 0, sizeof(tok));
	/* partition 0: offsets 10..19, partition 1: 100, 102, 105 (gaps) */
	for (i = 0; i < 10; i++)
		CHECK(rdk_offtrack_add(t, "t", 0, 10 + i, &tok[i]) == 0);
	CHECK(rdk_offtrack_add(t, "t", 1, 100, &tok[100]) == 0);
	CHECK(rdk_offtrack_add(t, "t", 1, 102, &tok[101]) == 0);
	CHECK(rdk_offtrack_add(t, "t", 1, 105, &tok[102]) == 0);
	CHECK(rdk_offtrack_add(t, "u", 0, 7, NULL) == 0);	/* finished already */
	CHECK(parts_seen == 3);
	CHECK(rdk_offtrack_inflight(t) == 14);

	/* nothing finished: committable is the first unfinished offset */
	l = rd_kafka_topic_partition_list_new(4);
	rdk_offtrack_advance(t, l);
	CHECK(moved_offset(l, "t", 0) == 10);
	CHECK(moved_offset(l, "t", 1) == 100);
	CHECK(moved_offset(l, "u", 0) == 8);
	rd_kafka_topic_partition_list_destroy(l);

	/* 10, 11 and 13 finished: only the prefix 10..11 advances */
	tok[0] = tok[1] = tok[3] = 1;
	l = rd_kafka_topic_partition_list_new(4);
	CHECK(rdk_offtrack_advance(t, l) == 1);
	CHECK(moved_offset(l, "t", 0) == 12);
	CHECK(moved_offset(l, "t", 1) == -100);	/* did not move */
	rd_kafka_topic_partition_list_destroy(l);
	CHECK(released == 2);
	CHECK(rdk_offtrack_stats(t, "t", 0)->committable == 12);
	CHECK(rdk_offtrack_stats(t, "t", 0)->inflight == 8);

	/* 12 finished too: jumps past 13 to 14 */
	tok[2] = 1;
	l = rd_kafka_topic_partition_list_new(4);
	rdk_offtrack_advance(t, l);
	CHECK(moved_offset(l, "t", 0) == 14);
	rd_kafka_topic_partition_list_destroy(l);
	CHECK(released == 4);

	/* gaps: 100 and 102 finished -> next is 103 (then 105 unfinished) */
	tok[100] = tok[101] = 1;
	l = rd_kafka_topic_partition_list_new(4);
	rdk_offtrack_advance(t, l);
	CHECK(moved_offset(l, "t", 1) == 105);
	rd_kafka_topic_partition_list_destroy(l);

	/* revoke partition 1: its token released, no advance, forgotten */
	l = rd_kafka_topic_partition_list_new(1);
	rd_kafka_topic_partition_list_add(l, "t", 1);
	i = released;
	rdk_offtrack_forget(t, l);
	CHECK(released == i + 1);
	rd_kafka_topic_partition_list_destroy(l);
	CHECK(rdk_offtrack_inflight(t) == 6);
	l = rd_kafka_topic_partition_list_new(4);
	rdk_offtrack_committable(t, l);
	CHECK(moved_offset(l, "t", 1) == -100);
	CHECK(moved_offset(l, "t", 0) == 14);
	rd_kafka_topic_partition_list_destroy(l);

	/* the ring grows past its first size and wraps correctly */
	for (i = 0; i < 900; i++)
		CHECK(rdk_offtrack_add(t, "t", 2, i, &tok[i < 500 ? 999 : 998]) == 0);
	tok[999] = 1;
	l = rd_kafka_topic_partition_list_new(4);
	rdk_offtrack_advance(t, l);
	CHECK(moved_offset(l, "t", 2) == 500);
	rd_kafka_topic_partition_list_destroy(l);

	/* free releases every remaining token exactly once */
	i = released;
	rdk_offtrack_free(t);
	CHECK(released == i + 6 + 400);
	return unit_done("test_offsets");
}
