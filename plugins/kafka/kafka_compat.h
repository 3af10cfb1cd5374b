/* kafka_compat.h: the ONE place that knows which librdkafka version offers
 * what (floor: 0.11.6). Everything else tests the RDK_HAVE_* macros below.
 * Symbols are checked by configure (HAVE_RD_KAFKA_* in rkv_config.h, which
 * every core .c file includes first); properties and enum members, which
 * configure cannot see, follow the version number of the release that
 * introduced them.
 */
#ifndef RDK_KAFKA_COMPAT_H
#define RDK_KAFKA_COMPAT_H
#include <librdkafka/rdkafka.h>

#if RD_KAFKA_VERSION < 0x000b06ff
#error "librdkafka >= 0.11.6 is required"
#endif

/* rd_kafka_purge() and the RD_KAFKA_RESP_ERR__PURGE_* codes: 1.0.0 */
#ifdef HAVE_RD_KAFKA_PURGE
#define RDK_HAVE_PURGE 1
#endif

/* rd_kafka_fatal_error(), RD_KAFKA_RESP_ERR__FATAL: 1.0.0 */
#ifdef HAVE_RD_KAFKA_FATAL_ERROR
#define RDK_HAVE_FATAL 1
#endif

/* enable.idempotence: 1.0.0 */
#if RD_KAFKA_VERSION >= 0x010000ff
#define RDK_HAVE_IDEMPOTENCE 1
#endif

/* delivery.timeout.ms (alias of message.timeout.ms): 1.0.0 */
#if RD_KAFKA_VERSION >= 0x010000ff
#define RDK_HAVE_DELIVERY_TIMEOUT 1
#endif

/* rd_kafka_message_status() in delivery reports: 1.0.0 */
#ifdef HAVE_RD_KAFKA_MESSAGE_STATUS
#define RDK_HAVE_MSG_STATUS 1
#endif

/* enable.ssl.certificate.verification and
 * ssl.endpoint.identification.algorithm: 1.1.0 */
#if RD_KAFKA_VERSION >= 0x010100ff
#define RDK_HAVE_SSL_VERIFY_PROPS 1
#endif

/* cooperative rebalancing: rd_kafka_incremental_(un)assign() and
 * rd_kafka_rebalance_protocol(): 1.6.0 */
#ifdef HAVE_RD_KAFKA_INCREMENTAL_ASSIGN
#define RDK_HAVE_INCREMENTAL 1
#endif

/* the mock cluster as the tests use it: rdkafka_mock.h is 1.3.0,
 * rd_kafka_mock_broker_set_rtt() 1.5.0, rd_kafka_mock_push_request_errors_array()
 * 1.6.0. The header alone does not tell: another librdkafka's rdkafka_mock.h
 * may sit in /usr/include next to an older library. */
#if defined(HAVE_LIBRDKAFKA_RDKAFKA_MOCK_H) && \
    defined(HAVE_RD_KAFKA_MOCK_PUSH_REQUEST_ERRORS_ARRAY)
#define RDK_HAVE_MOCK 1
#endif

#endif
