/* producer.h: one librdkafka producer per action, shared by its workers,
 * that sends rsyslog batches as transactions: every message of a batch is
 * produced, then its delivery report settles its slot in the batch's
 * rkv_txn_t (core/txn.h). The caller decides with rkv_txn_decide() and,
 * for a retry, runs another round over the unacknowledged slots only.
 * Thread use: the producer is shared; a batch belongs to one worker.
 * p->lock guards the registry of running batches and their slots (the
 * delivery-report callback runs in whichever thread polls); p->hlock
 * (read: a round uses the handle, write: recreate it after a fatal error).
 */
#ifndef RDK_PRODUCER_H
#define RDK_PRODUCER_H
#include <stddef.h>
#include <stdint.h>
#include "kafka_conf.h"
#include "client.h"
#include "txn.h"
#include "rkv_util.h"

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

typedef struct rdk_wait {
	int64_t max_ms;		/* a round waits at most this long (message.timeout.ms + margin) */
	int64_t close_ms;	/* once stop() is true, at most this long */
	int64_t queue_ms;	/* librdkafka's queue full: wait this long per round */
	int (*stop)(void *opaque);	/* shutdown requested? (may be NULL) */
	/* called once per round when reports are still due after stall_ms
	 * (brokers_down: librdkafka said all brokers are down); may be NULL */
	void (*stalled)(void *opaque, size_t due, size_t n, int brokers_down);
	int64_t stall_ms;
	void *opaque;
} rdk_wait_t;

typedef struct rdk_producer rdk_producer_t;
typedef struct rdk_batch rdk_batch_t;

/* conf: validated at config load (rdk_producer_conf), copied. */
rdk_producer_t *rdk_producer_new(const rd_kafka_conf_t *conf,
	const char *default_topic, const rdk_client_cb_t *cb,
	char *errstr, size_t errlen);
/* Serves the reports that arrived within timeout_ms, purges the rest (the
 * caller spilled or never committed them) and destroys the handle. */
void rdk_producer_destroy(rdk_producer_t *p, int timeout_ms);
/* Successful reports for attempts already given up (each a duplicate). */
uint64_t rdk_producer_late_acks(rdk_producer_t *p);

rdk_batch_t *rdk_batch_new(rdk_producer_t *p);
void rdk_batch_free(rdk_batch_t *b);
/* Starts a transaction of msgs[0..n) (kept by pointer until rdk_batch_end). */
int rdk_batch_begin(rdk_batch_t *b, const rdk_msg_t *msgs, size_t n);
/* One round: rearms the RKV_RETRY slots, produces every pending slot and waits for their reports
 * within w; what is still unanswered then becomes RKV_RETRY. */
void rdk_batch_round(rdk_batch_t *b, const rdk_wait_t *w);
rkv_txn_t *rdk_batch_txn(rdk_batch_t *b);
void rdk_batch_end(rdk_batch_t *b);
/* Sleeps ms (serving reports), returns early when w->stop() turns true. */
void rdk_batch_pause(rdk_batch_t *b, int64_t ms, const rdk_wait_t *w);

/* First-class producer options -> librdkafka properties, in the order that
 * makes the user's explicit choice win: producer defaults (message.timeout.ms
 * 30 s, acks all), then o, then the caller appends confParam (to props) and
 * topicConfParam (to tprops). *weak_verify as in rdk_conn_opts_to_kv(). */
typedef struct rdk_producer_opts {
	rdk_conn_opts_t conn;
	const char *compression;	/* NULL: librdkafka's default (none) */
	const char *acks;		/* NULL: all */
} rdk_producer_opts_t;

/* 1 when this librdkafka has the idempotent producer (>= 1.0.0), which
 * the producer defaults turn on with acks=all: without it a retry inside
 * librdkafka can store a message twice. */
int rdk_producer_has_idempotence(void);
rdk_res_t rdk_producer_props(const rdk_producer_opts_t *o, rdk_kvlist_t *props,
	int *weak_verify, char *errstr, size_t errlen);
/* info must not be NULL. The validated configuration (client.h rdk_conf_build) plus idempotence
 * where acks is all and the user did not decide otherwise. */
rd_kafka_conf_t *rdk_producer_conf(const rdk_kvlist_t *props,
	const rdk_kvlist_t *tprops, rdk_conf_info_t *info,
	char *errstr, size_t errlen);

/* Outcome class of a librdkafka error code. */
rkv_outcome_t rdk_classify(rd_kafka_resp_err_t err);
/* Short stable reason label for counters and error files. */
const char *rdk_reason(rd_kafka_resp_err_t err);

/* Spill record of one message: topic (default_topic when m has none),
 * partition, key, payload in one blob; unpack points into it. */
int rdk_msg_pack(rkv_buf_t *b, const rdk_msg_t *m, const char *default_topic);
int rdk_msg_unpack(const void *rec, size_t len, rdk_msg_t *m);

#endif
