/* client.h: one librdkafka handle with the callbacks every Kafka module
 * needs (errors rate-limited to the module's log, librdkafka's own log
 * lines, statistics, fatal errors, "all brokers down"), built from a
 * configuration that was validated at config load (rd_kafka_conf_dup()).
 * The producer and the consumer each own one.
 * Thread use: the handle is thread-safe (librdkafka); the callbacks run on
 * librdkafka's threads or in whichever thread polls, and touch only the
 * fields below (volatile flags, loglock for the rate limit).
 */
#ifndef RDK_CLIENT_H
#define RDK_CLIENT_H
#include <pthread.h>
#include <stdint.h>
#include "kafka_compat.h"

typedef struct rdk_client_cb {
	void *opaque;
	/* a log line for the module's log (any thread; never a secret) */
	void (*log)(void *opaque, int level, const char *msg);
	/* statistics JSON (statistics.interval.ms), in a polling thread */
	void (*stats)(void *opaque, const char *json, size_t len);
} rdk_client_cb_t;

typedef struct rdk_client {
	rd_kafka_t *rk;
	rdk_client_cb_t cb;
	void *owner;		/* the producer or consumer, for its callbacks */
	volatile int brokers_down;	/* "all brokers down" seen, no success since */
	volatile int fatal;	/* fatal error: the handle must be recreated */
	pthread_mutex_t loglock;
	int last_err;
	int64_t last_err_ms;
} rdk_client_t;

/* Creates the handle from a copy of conf; setup (may be NULL) adds the
 * owner's callbacks to that copy first. NULL with errstr on failure. */
rdk_client_t *rdk_client_new(rd_kafka_type_t type, const rd_kafka_conf_t *conf,
	const rdk_client_cb_t *cb, void *owner,
	void (*setup)(rd_kafka_conf_t *conf), char *errstr, size_t errlen);
/* Replaces the handle after a fatal error (caller excludes other users). */
int rdk_client_reopen(rdk_client_t *c, rd_kafka_type_t type,
	const rd_kafka_conf_t *conf, void (*setup)(rd_kafka_conf_t *conf),
	char *errstr, size_t errlen);
void rdk_client_destroy(rdk_client_t *c);
void rdk_client_log(rdk_client_t *c, int level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* What the effective topic configuration says (librdkafka's own answer,
 * rd_kafka_topic_conf_get(), after every list was applied). */
typedef struct rdk_conf_info {
	int64_t msg_timeout_ms;	/* message.timeout.ms; 0 (infinite) -> INT32_MAX */
	int acks;		/* request.required.acks; -1 = all */
} rdk_conf_info_t;

/* A validated configuration: props/tprops applied (see kafka_conf.h),
 * tprops as the default topic conf. NULL + errstr naming the parameter
 * and property on error. info may be NULL. */
struct rdk_kvlist;
rd_kafka_conf_t *rdk_conf_build(const struct rdk_kvlist *props,
	const struct rdk_kvlist *tprops, rdk_conf_info_t *info,
	char *errstr, size_t errlen);

#endif
