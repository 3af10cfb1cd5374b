/* kstats.h: the few figures of librdkafka's statistics JSON (see its
 * STATISTICS.md) that impstats shows: broker round-trip time, throttling,
 * messages waiting in librdkafka.
 * Thread use: reentrant, no state.
 */
#ifndef RDK_KSTATS_H
#define RDK_KSTATS_H
#include <stddef.h>
#include <stdint.h>

typedef struct rdk_kstats {
	int64_t rtt_avg_us;	/* highest average RTT among brokers that are UP */
	int64_t throttle_avg_ms; /* highest average throttle time */
	int64_t msg_cnt;	/* messages in librdkafka's queues */
	int64_t brokers_up;	/* real brokers (nodeid >= 0) in state UP */
} rdk_kstats_t;

/* 0, or -1 when json is not a librdkafka statistics object. */
int rdk_kstats_parse(const char *json, size_t len, rdk_kstats_t *out);

#endif
