/* offsets.h: which offset of each partition may be committed, given the
 * messages still in flight. Every consumed message is added with a token
 * (the consumer module's reference to what it made of the message); a
 * partition's committable offset advances only past a prefix of messages
 * whose tokens are done (done() says so: every action they reached
 * finished with them). Gaps in the offsets (compaction, transaction
 * markers) need no care: the next committable offset is always the last
 * finished message's offset + 1, or the first unfinished message's
 * offset.
 * Thread use: one consumer thread per tracker, no locks. done() may read
 * state other threads change (it must be safe for that); release() is
 * called once per token, from this thread.
 */
#ifndef RDK_OFFSETS_H
#define RDK_OFFSETS_H
#include <stddef.h>
#include <stdint.h>
#include "kafka_compat.h"

typedef struct rdk_offtrack rdk_offtrack_t;

/* A partition's figures, kept for as long as the tracker lives (the
 * consumer module may point impstats counters at them). */
typedef struct rdk_part_stats {
	uint64_t committable;	/* next offset to commit (0: none yet) */
	uint64_t committed;	/* last offset Kafka confirmed committed */
	uint64_t high;		/* high watermark seen in fetch replies */
	uint64_t lag;		/* high - committed (Kafka's LAG column) */
	uint64_t inflight;	/* messages not finished yet */
} rdk_part_stats_t;

typedef struct rdk_offtrack_ops {
	void *opaque;
	int (*done)(void *tok);
	void (*release)(void *tok);
	/* a partition seen for the first time (may be NULL) */
	void (*part_new)(void *opaque, const char *topic, int32_t part,
		rdk_part_stats_t *st);
} rdk_offtrack_ops_t;

rdk_offtrack_t *rdk_offtrack_new(const rdk_offtrack_ops_t *ops);
/* Releases every token still held (nothing advances). */
void rdk_offtrack_free(rdk_offtrack_t *t);
/* 0, or -1 when memory ran out (the token was not taken). A NULL token
 * is a message that is finished already. */
int rdk_offtrack_add(rdk_offtrack_t *t, const char *topic, int32_t part,
	int64_t offset, void *tok);
/* Pops the finished prefix of every partition and appends the partitions
 * whose committable offset moved (topic, partition, next offset) to
 * moved. Returns how many moved. */
size_t rdk_offtrack_advance(rdk_offtrack_t *t,
	rd_kafka_topic_partition_list_t *moved);
/* Appends every partition's committable offset (those known) to out. */
void rdk_offtrack_committable(rdk_offtrack_t *t,
	rd_kafka_topic_partition_list_t *out);
/* Revoked partitions (or all when parts is NULL): their tokens are
 * released without advancing; what finishes later is read again by
 * whoever gets the partition (duplicates, never loss). */
void rdk_offtrack_forget(rdk_offtrack_t *t,
	const rd_kafka_topic_partition_list_t *parts);
size_t rdk_offtrack_inflight(const rdk_offtrack_t *t);
/* Messages not finished yet in the listed partitions. */
size_t rdk_offtrack_inflight_in(rdk_offtrack_t *t,
	const rd_kafka_topic_partition_list_t *parts);
/* The stats of a partition, NULL when unknown. */
rdk_part_stats_t *rdk_offtrack_stats(rdk_offtrack_t *t, const char *topic,
	int32_t part);

#endif
