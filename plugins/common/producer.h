/* producer.h: one librdkafka producer that sends rsyslog batches as
 * transactions: produce every message of a batch, then wait for every
 * delivery report and classify the outcome of each message.
 * Thread use: a producer belongs to ONE thread (an rsyslog action worker):
 * every call, and every callback except log (librdkafka's own threads),
 * runs in that thread. No locks inside.
 */
#ifndef RDK_PRODUCER_H
#define RDK_PRODUCER_H
#include <stddef.h>
#include <stdint.h>
#include "kafka_conf.h"

typedef enum rdk_outcome {
	RDK_MSG_PENDING = 0,	/* no delivery report yet */
	RDK_MSG_ACKED,		/* acknowledged by Kafka */
	RDK_MSG_RETRY,		/* failed, retrying later may succeed */
	RDK_MSG_FAILED		/* permanently rejected (too large, bad topic, ...) */
} rdk_outcome_t;

typedef struct rdk_msg_state {
	rd_kafka_resp_err_t err;
	rdk_outcome_t outcome;
} rdk_msg_state_t;

typedef struct rdk_header {
	const char *name;
	const char *value;
} rdk_header_t;

typedef struct rdk_msg {
	const char *topic;	/* NULL: the producer's default topic */
	int32_t partition;	/* RD_KAFKA_PARTITION_UA: partitioner decides */
	const void *key;
	size_t keylen;
	const void *payload;
	size_t len;
	const rdk_header_t *hdrs;
	size_t nhdrs;
} rdk_msg_t;

typedef struct rdk_producer_cb {
	void *opaque;
	/* librdkafka log lines and producer errors (any thread) */
	void (*log)(void *opaque, int level, const char *msg);
	/* statistics JSON (statistics.interval.ms), poll thread */
	void (*stats)(void *opaque, const char *json, size_t len);
} rdk_producer_cb_t;

typedef struct rdk_wait {
	int64_t max_ms;		/* hard cap for the whole wait */
	int64_t down_grace_ms;	/* wait this long after "all brokers down" */
	int64_t close_ms;	/* once stop() is true, wait at most this long */
	int (*stop)(void *opaque);	/* shutdown requested? (may be NULL) */
	void *opaque;
} rdk_wait_t;

typedef struct rdk_batch_res {
	size_t acked;
	size_t retry;
	size_t failed;
	rd_kafka_resp_err_t retry_err;	/* first retriable error seen */
	int64_t elapsed_ms;
} rdk_batch_res_t;

typedef struct rdk_producer rdk_producer_t;

/* props/tprops: global and topic properties, already validated with
 * rdk_conf_apply(); copied. default_topic may be NULL. */
rdk_producer_t *rdk_producer_new(const rdk_kvlist_t *props,
	const rdk_kvlist_t *tprops, const char *default_topic,
	const rdk_producer_cb_t *cb, char *errstr, size_t errlen);
/* Purges what Kafka has not acknowledged (it stays in rsyslog's queue or
 * the spill file) and destroys the handle; timeout_ms > 0 first serves the
 * delivery reports that already arrived. */
void rdk_producer_destroy(rdk_producer_t *p, int timeout_ms);

rdk_res_t rdk_batch_begin(rdk_producer_t *p, size_t n);
/* Enqueues message idx of the current batch (never blocks longer than
 * queue_wait_ms when librdkafka's queue is full). */
void rdk_batch_produce(rdk_producer_t *p, size_t idx, const rdk_msg_t *m,
	int64_t queue_wait_ms);
/* Serves delivery reports until every message has an outcome or a limit
 * of w is reached; messages still pending then are marked RDK_MSG_RETRY and
 * librdkafka's queue is purged where supported. */
void rdk_batch_wait(rdk_producer_t *p, const rdk_wait_t *w, rdk_batch_res_t *res);
const rdk_msg_state_t *rdk_batch_state(const rdk_producer_t *p, size_t idx);

/* Probe for tryResume: recreates the handle after a fatal error and asks
 * the cluster for metadata of topic (or all topics). 0 = reachable. */
int rdk_producer_probe(rdk_producer_t *p, const char *topic, int timeout_ms,
	char *errstr, size_t errlen);
/* Delivery reports that arrived for an abandoned batch (already retried:
 * each success is a duplicate in Kafka). */
uint64_t rdk_producer_late_acks(const rdk_producer_t *p);

/* First-class producer options -> librdkafka properties, in the order
 * that makes the user's explicit choice win: producer defaults
 * (message.timeout.ms 30 s, idempotence when acks=all), then o, then the
 * caller appends confParam/topicConfParam. *weak_verify as in
 * rdk_conn_opts_to_kv(). */
typedef struct rdk_producer_opts {
	rdk_conn_opts_t conn;
	const char *compression;	/* NULL: librdkafka's default (none) */
	const char *acks;		/* NULL: all */
} rdk_producer_opts_t;

rdk_res_t rdk_producer_props(const rdk_producer_opts_t *o, rdk_kvlist_t *props,
	rdk_kvlist_t *tprops, int *weak_verify, char *errstr, size_t errlen);
/* message.timeout.ms (or its alias delivery.timeout.ms) in effect, ms;
 * 0 (infinite) is returned as INT32_MAX. */
int64_t rdk_props_msg_timeout(const rdk_kvlist_t *props, const rdk_kvlist_t *tprops);

/* Outcome class of a librdkafka error code. */
rdk_outcome_t rdk_classify(rd_kafka_resp_err_t err);
/* Short stable reason label for counters and error files. */
const char *rdk_reason(rd_kafka_resp_err_t err);

#endif
