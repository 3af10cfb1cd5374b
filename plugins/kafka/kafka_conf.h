/* kafka_conf.h: ordered key=value property lists -> rd_kafka_conf_t, with
 * validation at config-load time and redaction of secrets.
 * Thread use: config-load thread only; lists are read-only afterwards.
 */
#ifndef RDK_KAFKA_CONF_H
#define RDK_KAFKA_CONF_H
#include <stddef.h>
#include "kafka_compat.h"

typedef enum rdk_res {
	RDK_OK = 0,
	RDK_ERR_SYNTAX,		/* "key=value" malformed */
	RDK_ERR_UNKNOWN,	/* librdkafka does not know the property */
	RDK_ERR_INVALID,	/* librdkafka rejects the value */
	RDK_ERR_NOMEM,
	RDK_ERR_KAFKA		/* other librdkafka failure */
} rdk_res_t;

typedef struct rdk_kv {
	char *key;
	char *val;
	const char *origin;	/* parameter it came from, e.g. "confParam" */
} rdk_kv_t;

typedef struct rdk_kvlist {
	rdk_kv_t *kv;
	size_t n;
	size_t cap;
} rdk_kvlist_t;

void rdk_kvlist_init(rdk_kvlist_t *l);
void rdk_kvlist_free(rdk_kvlist_t *l);
rdk_res_t rdk_kvlist_add(rdk_kvlist_t *l, const char *key, const char *val,
	const char *origin);
/* Parses "key=value" (spaces around key and value trimmed; value may contain
 * '='). errstr never contains the value of a secret key. */
rdk_res_t rdk_kvlist_add_kv(rdk_kvlist_t *l, const char *kv, const char *origin,
	char *errstr, size_t errlen);
/* Value of the last entry with that key, or NULL. */
const char *rdk_kvlist_get(const rdk_kvlist_t *l, const char *key);
rdk_res_t rdk_kvlist_copy(rdk_kvlist_t *dst, const rdk_kvlist_t *src);

/* Nonzero when a property holds a secret (passwords, private keys, ...). */
int rdk_conf_is_secret(const char *key);

/* Applies the list in order; later entries override earlier ones.
 * Topic-level properties go to *tconf when given (else error). On error,
 * errstr names the origin parameter and the property, never a secret. */
rdk_res_t rdk_conf_apply(rd_kafka_conf_t *conf, rd_kafka_topic_conf_t *tconf,
	const rdk_kvlist_t *l, char *errstr, size_t errlen);
rdk_res_t rdk_topic_conf_apply(rd_kafka_topic_conf_t *tconf,
	const rdk_kvlist_t *l, char *errstr, size_t errlen);

/* First-class connection options shared by producer and consumer modules. */
typedef struct rdk_conn_opts {
	const char *brokers;	/* comma-separated host:port list */
	int tls;		/* 1 on, 0 off, -1 auto (on if a tls.* file is set) */
	int tls_verify;		/* verify broker certificate and host name */
	const char *tls_cafile;
	const char *tls_certfile;
	const char *tls_keyfile;
	const char *tls_keypass;
	const char *sasl_mechanism;
	const char *sasl_username;
	const char *sasl_password;
} rdk_conn_opts_t;

/* Appends the librdkafka properties for o to l. *weak_verify is set when
 * tls_verify was asked but the linked librdkafka cannot verify host names. */
rdk_res_t rdk_conn_opts_to_kv(const rdk_conn_opts_t *o, rdk_kvlist_t *l,
	int *weak_verify, char *errstr, size_t errlen);

#endif
