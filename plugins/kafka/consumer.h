/* consumer.h: a group consumer whose offsets advance only past messages
 * the module is done with (offsets.h), with back-pressure: consumption
 * pauses while too many messages are in flight, so memory stays bounded
 * and the group membership stays alive (the thread keeps polling).
 * Offsets are stored (enable.auto.offset.store=false) and committed by
 * librdkafka's auto-commit, on revoke and at close; once the owner says it
 * is stopping, nothing advances any more (what finishes later is read
 * again: duplicates, never loss).
 * Thread use: rdk_consumer_run and rdk_consumer_close in one thread per
 * consumer (callbacks of librdkafka run there too, served by the poll);
 * counters are written there and may be read anywhere.
 */
#ifndef RDK_CONSUMER_H
#define RDK_CONSUMER_H
#include <stddef.h>
#include <stdint.h>
#include "client.h"
#include "offsets.h"
#include "kafka_conf.h"

typedef struct rdk_consumer rdk_consumer_t;

typedef struct rdk_consumer_ops {
	void *opaque;
	/* Turns msgs[0..n) into the module's messages and hands them on;
	 * toks[i] is the reference to watch for msgs[i]. May block
	 * (back-pressure). Returns how many (a prefix) were handed on:
	 * fewer than n only when the module is stopping or out of memory,
	 * and then no offset advances any more (tokens set beyond the
	 * prefix are released). */
	size_t (*submit)(void *opaque, rd_kafka_message_t **msgs, size_t n,
		void **toks);
	int (*done)(void *tok);
	void (*release)(void *tok);
	int (*stopping)(void *opaque);
	void (*part_new)(void *opaque, const char *topic, int32_t part,
		rdk_part_stats_t *st);
} rdk_consumer_ops_t;

typedef struct rdk_consumer_opts {
	char **topics;		/* names, or "^regex" */
	size_t ntopics;
	size_t batch;		/* messages per submit */
	size_t max_inflight;	/* pause consumption above this */
	int close_timeout_ms;	/* bound of rdk_consumer_close */
} rdk_consumer_opts_t;

typedef struct rdk_consumer_counters {
	uint64_t received;	/* messages consumed */
	uint64_t errors;	/* consumer errors (not messages) */
	uint64_t stored;	/* offset stores that advanced a partition */
	uint64_t commits;	/* commits Kafka confirmed */
	uint64_t commit_failures;
	uint64_t rebalances;	/* assignments + revocations */
	uint64_t pauses;	/* times consumption paused for back-pressure */
	uint64_t inflight;	/* gauge: messages not finished yet */
	uint64_t lag;		/* gauge: sum of partition lags */
} rdk_consumer_counters_t;

typedef struct rdk_consumer_conf_opts {
	rdk_conn_opts_t conn;
	const char *group;	/* group.id */
	const char *start;	/* "earliest" | "latest" | NULL (librdkafka's) */
} rdk_consumer_conf_opts_t;

/* The consumer's defaults and first-class options as properties; the
 * caller appends confParam after them (the user's own win), except the
 * ones offset tracking cannot do without, which rdk_consumer_conf sets
 * last (and rejects when the user contradicts them). */
rdk_res_t rdk_consumer_props(const rdk_consumer_conf_opts_t *o,
	rdk_kvlist_t *props, int *weak_verify, char *errstr, size_t errlen);
rd_kafka_conf_t *rdk_consumer_conf(const rdk_kvlist_t *props,
	char *errstr, size_t errlen);

/* conf: validated (rdk_consumer_conf), copied. NULL + errstr on failure. */
rdk_consumer_t *rdk_consumer_new(const rd_kafka_conf_t *conf,
	const rdk_consumer_opts_t *o, const rdk_consumer_ops_t *ops,
	const rdk_client_cb_t *cb, char *errstr, size_t errlen);
/* Subscribes and consumes until ops->stopping(); then stores what is
 * finished one last time. */
void rdk_consumer_run(rdk_consumer_t *c);
/* Commits what was stored, leaves the group, releases every token,
 * destroys: 1. 0 when that did not finish within close_timeout_ms (no
 * broker answers): a helper thread still uses the consumer, which is
 * left to the process exit. */
int rdk_consumer_close(rdk_consumer_t *c);
const rdk_consumer_counters_t *rdk_consumer_counters(const rdk_consumer_t *c);

#endif
