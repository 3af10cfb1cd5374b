/* vl_send.h: delivery of one transaction's lines to VictoriaLogs. Every
 * line is checked first (vl_line.h: what VictoriaLogs would skip silently
 * fails here, for the error file). The pending lines are posted in bodies
 * of at most max_events lines / max_bytes bytes, round-robin over the
 * endpoints with failover to the next one on a retriable failure. A POST
 * that VictoriaLogs rejects (4xx other than 408/429) is split in halves
 * until the bad lines stand alone; only those fail, with the server's
 * answer. Outcomes go into the transaction's slots (core/txn.h): the
 * module's commit loop (rkv_txn_run) calls vl_send_round until every line
 * is settled, retrying the unacknowledged ones inside the commit.
 * Thread use: a sender belongs to one thread (an action worker); the
 * round-robin cursor may be shared between senders (atomic).
 */
#ifndef VL_SEND_H
#define VL_SEND_H
#include <stddef.h>
#include <stdint.h>
#include "spill.h"	/* rkv_blob_t */
#include "txn.h"
#include "vl_body.h"
#include "vl_http.h"

typedef struct vl_send_opts {
	const char *const *urls;	/* endpoint base URLs */
	size_t nurls;
	vl_http_opts_t http;		/* url and encoding are set per endpoint/codec */
	vl_codec_t codec;
	int level;			/* compression level, 0: default */
	size_t max_events, max_bytes;	/* per POST (uncompressed bytes) */
	size_t max_line;		/* VictoriaLogs' line limit, 0: none */
	unsigned *cursor;		/* shared round-robin cursor, may be NULL */
} vl_send_opts_t;

typedef struct vl_send_stats {
	uint64_t posts, bytes_plain, bytes_sent;
	uint64_t s2xx, s4xx, s429, s5xx, transport;	/* answers by kind */
	uint64_t failovers;	/* retriable failure, next endpoint tried */
	uint64_t split;		/* rejected POSTs split in halves */
} vl_send_stats_t;

/* err of a slot that failed the line check: -(vl_line_res_t); of a slot
 * rejected by the server: the HTTP status; of a retriable failure: the
 * status, 0 for a transport error. */
typedef struct vl_sender vl_sender_t;

vl_sender_t *vl_send_new(const vl_send_opts_t *o, char *errstr, size_t errlen);
void vl_send_free(vl_sender_t *s);
/* Starts a transaction of n lines: t begins with n pending slots, the
 * lines that fail the check become RKV_FAILED. Returns how many failed,
 * or -1 (no memory). */
long vl_send_begin(vl_sender_t *s, const rkv_blob_t *lines, size_t n, rkv_txn_t *t);
/* One round: the RKV_RETRY slots are pending again, every pending line
 * is posted; leaves none pending. After the first retriable failure the
 * rest of the round's lines are not posted (marked RKV_RETRY). */
void vl_send_round(vl_sender_t *s, const rkv_blob_t *lines, rkv_txn_t *t);
/* The server's answer for a slot it rejected (NULL if none). */
const char *vl_send_answer(const vl_sender_t *s, size_t slot);
/* The last retriable failure: HTTP status (0: transport) and text. */
const char *vl_send_last_error(const vl_sender_t *s, long *status);
/* Counters since the last call (then zeroed). */
void vl_send_stats_take(vl_sender_t *s, vl_send_stats_t *out);

#endif
