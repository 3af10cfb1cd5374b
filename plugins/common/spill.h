/* spill.h: the file where a batch that Kafka could not acknowledge goes when
 * rsyslog shuts down. rsyslog marks a transaction's messages as done before
 * the commit returns and drops them when shutdown aborts the retry, so the
 * module keeps them itself: records are appended and fsync'ed before the
 * commit reports success, and are produced again (then the file removed) by
 * the first batch after the next start.
 * Format: "RKVSPILL1\n", then per record: u32 topic length, topic, i32
 * partition, u32 key length (0xffffffff: no key), key, u32 payload length,
 * payload (little-endian, binary safe). A torn last record is ignored.
 * Thread use: any thread; one mutex per spill file.
 */
#ifndef RDK_SPILL_H
#define RDK_SPILL_H
#include <stddef.h>
#include <stdint.h>
#include "producer.h"

typedef struct rdk_spill rdk_spill_t;

typedef struct rdk_spill_rec {
	char *topic;
	int32_t partition;
	char *key;		/* NULL: no key */
	uint32_t keylen;
	char *payload;
	uint32_t len;
} rdk_spill_rec_t;

rdk_spill_t *rdk_spill_new(const char *path);
void rdk_spill_free(rdk_spill_t *s);
const char *rdk_spill_path(const rdk_spill_t *s);
/* Appends n messages (topic NULL -> default_topic), fsyncs. 0 or -1. */
int rdk_spill_write(rdk_spill_t *s, const rdk_msg_t *m, size_t n,
	const char *default_topic);
/* Takes the file for replay: reads every complete record. Returns the
 * number of records (0: no file or empty), -1 on error; only one caller at
 * a time gets records (others get 0 until rdk_spill_release). */
long rdk_spill_take(rdk_spill_t *s, rdk_spill_rec_t **recs);
/* Ends a replay: done != 0 removes the file (all acknowledged). */
void rdk_spill_release(rdk_spill_t *s, rdk_spill_rec_t *recs, long n, int done);

#endif
