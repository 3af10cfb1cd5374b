/* errfile.h: the "named error file" every permanent failure ends in: one
 * JSON object per line, appended, safe to share between action workers.
 * Thread use: any thread; one mutex per file serialises writes and reopen.
 */
#ifndef RKV_ERRFILE_H
#define RKV_ERRFILE_H
#include <stddef.h>
#include <stdint.h>
#include "rkv_util.h"

typedef struct rkv_errfile rkv_errfile_t;

rkv_errfile_t *rkv_errfile_new(const char *path);
void rkv_errfile_free(rkv_errfile_t *f);
const char *rkv_errfile_path(const rkv_errfile_t *f);
/* Appends one line (a '\n' is added). Opens the file lazily (mode 0600,
 * O_APPEND). Returns 0, or -1 with errno when the line could not be
 * written whole. */
int rkv_errfile_write(rkv_errfile_t *f, const char *line, size_t len);
/* Closes the descriptor so the next write reopens (log rotation, HUP). */
void rkv_errfile_reopen(rkv_errfile_t *f);
uint64_t rkv_errfile_lines(const rkv_errfile_t *f);

/* Fields of one failure record. */
typedef struct rkv_errrec {
	const char *module;
	const char *action;
	const char *topic;	/* NULL: no topic, partition and key fields */
	int32_t partition;
	const char *reason;	/* stable label, e.g. "msg_too_large" */
	const char *error;	/* human text, e.g. librdkafka's err2str */
	const void *key;
	size_t keylen;
	const void *payload;
	size_t len;
} rkv_errrec_t;

/* Renders r as one JSON object (no newline) into b (b is reset first). */
int rkv_errrec_json(rkv_buf_t *b, const rkv_errrec_t *r);

/* Paths in use by an action of this process (error and spill files must
 * not be shared: two actions would replay each other's records).
 * rkv_path_claim: 0 claimed now, 1 already claimed, -1 no memory. */
int rkv_path_claim(const char *path);
void rkv_path_release(const char *path);
/* out = dir/<name, [A-Za-z0-9._-] kept, others '_'><-k><suffix>, the first
 * k (none, -2, -3, ...) not yet claimed; claims it. 0 or -1. */
int rkv_default_path(rkv_buf_t *out, const char *dir, const char *name,
	const char *suffix);

#endif
