/* kafka_compat.h: the ONE place that knows which librdkafka version offers
 * what (floor: 0.11.6). Everything else tests the RDK_HAVE_* macros below.
 * configure's AC_CHECK_FUNCS results (rkv_config.h) are used where a symbol
 * check is possible; property availability follows the release notes.
 */
#ifndef RDK_KAFKA_COMPAT_H
#define RDK_KAFKA_COMPAT_H
/* HAVE_* symbol checks come from rkv_config.h, which core .c files include
 * first; rsyslog glue files must not include it (rsyslog's config.h defines
 * PACKAGE/VERSION too), so they only see the version-based macros. */
#include <librdkafka/rdkafka.h>

#if RD_KAFKA_VERSION < 0x000b06ff
#error "librdkafka >= 0.11.6 is required"
#endif

/* rd_kafka_purge(): 1.0.0 */
#ifdef HAVE_RD_KAFKA_PURGE
#define RDK_HAVE_PURGE 1
#endif
/* rd_kafka_fatal_error() and idempotent producer: 1.0.0 */
#ifdef HAVE_RD_KAFKA_FATAL_ERROR
#define RDK_HAVE_FATAL 1
#endif
#if RD_KAFKA_VERSION >= 0x010000ff
#define RDK_HAVE_IDEMPOTENCE 1
#endif
/* enable.ssl.certificate.verification and
 * ssl.endpoint.identification.algorithm: 1.1.0 */
#if RD_KAFKA_VERSION >= 0x010100ff
#define RDK_HAVE_SSL_VERIFY_PROPS 1
#endif
/* Topic-level properties accepted on the global conf: 1.0.0 */
#if RD_KAFKA_VERSION >= 0x010000ff
#define RDK_HAVE_GLOBAL_TOPIC_PROPS 1
#endif

#ifndef RD_KAFKA_RESP_ERR__FATAL
#define RD_KAFKA_RESP_ERR__FATAL (-150)
#endif
#ifndef RD_KAFKA_RESP_ERR__PURGE_QUEUE
#define RD_KAFKA_RESP_ERR__PURGE_QUEUE (-152)
#endif
#ifndef RD_KAFKA_RESP_ERR__PURGE_INFLIGHT
#define RD_KAFKA_RESP_ERR__PURGE_INFLIGHT (-151)
#endif

#endif
