/* spill.h: the file where a transaction that its destination could not
 * acknowledge goes when rsyslog shuts down. rsyslog counts a committed
 * transaction's messages as done, so the module keeps them itself: records
 * are appended and fsync'ed before the commit reports success, and sent
 * again (then the file removed) by the first transaction after the next
 * start. Records are opaque byte strings (the Kafka core packs topic,
 * partition, key and payload into one; a VictoriaLogs line is one).
 *
 * Format: "RKVSPILL2\n", then per record: u32 body length, u32 CRC-32 of
 * the body, body (little-endian). One write() and one fsync() per append;
 * a failed or short append is cut off again. The first append of a process
 * truncates a torn tail left by a crash, so later records stay readable;
 * a whole record with a bad checksum is skipped and counted.
 * Thread use: any thread; one mutex per spill file.
 */
#ifndef RKV_SPILL_H
#define RKV_SPILL_H
#include <stddef.h>
#include <stdint.h>

typedef struct rkv_spill rkv_spill_t;

typedef struct rkv_blob {
	const void *data;
	size_t len;
} rkv_blob_t;

/* What rkv_spill_take() read: n records pointing into mem. */
typedef struct rkv_spill_batch {
	rkv_blob_t *rec;
	long n;
	char *mem;
	uint64_t corrupt;	/* records skipped: bad checksum */
	uint64_t torn_bytes;	/* bytes of a torn tail ignored */
} rkv_spill_batch_t;

rkv_spill_t *rkv_spill_new(const char *path);
void rkv_spill_free(rkv_spill_t *s);
const char *rkv_spill_path(const rkv_spill_t *s);
/* Appends n records with one write and one fsync. 0, or -1 with errno
 * (nothing of this call is left in the file). */
int rkv_spill_append(rkv_spill_t *s, const rkv_blob_t *recs, size_t n);
/* Takes the file for replay. Returns the number of records (0: none, or
 * another caller is replaying), -1 on error. Only one caller at a time
 * gets records, until rkv_spill_release(). */
long rkv_spill_take(rkv_spill_t *s, rkv_spill_batch_t *b);
/* Whether the file (or a replay left by a crash) holds anything: a stat,
 * no lock, for deciding whether to start a replay at all. */
int rkv_spill_pending(const rkv_spill_t *s);
/* Ends a replay: done != 0 removes the replayed file (all delivered). */
void rkv_spill_release(rkv_spill_t *s, rkv_spill_batch_t *b, int done);
/* Torn tail bytes truncated by this process's first append (tests). */
uint64_t rkv_spill_truncated(const rkv_spill_t *s);

/* CRC-32 (IEEE, as zlib's crc32) of n bytes. */
uint32_t rkv_crc32(const void *p, size_t n);

#endif
