/* kafka_conn.h: the connection parameters of a Kafka module's table
 * (broker plus the rows of kafka_conn_params.h) as the Kafka core's
 * rdk_conn_opts_t. Expects the module's P_* enum and its string array.
 * Thread use: config-load thread.
 */
#ifndef RKV_KAFKA_CONN_H
#define RKV_KAFKA_CONN_H

#define RKV_CONN_FROM_PARAMS(c, s, tls_, verify_) do { \
	(c).brokers = (s)[P_BROKER]; \
	(c).tls = (tls_); \
	(c).tls_verify = (verify_); \
	(c).tls_cafile = (s)[P_TLS_CAFILE]; \
	(c).tls_certfile = (s)[P_TLS_CERTFILE]; \
	(c).tls_keyfile = (s)[P_TLS_KEYFILE]; \
	(c).tls_keypass = (s)[P_TLS_KEYPASS]; \
	(c).sasl_mechanism = (s)[P_SASL_MECH]; \
	(c).sasl_username = (s)[P_SASL_USER]; \
	(c).sasl_password = (s)[P_SASL_PASS]; \
} while (0)

#endif
