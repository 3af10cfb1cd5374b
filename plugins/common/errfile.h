/* errfile.h: the "named error file" every permanent failure ends in: one
 * JSON object per line, appended, safe to share between action workers.
 * Thread use: any thread; one mutex per file serialises writes and reopen.
 */
#ifndef RDK_ERRFILE_H
#define RDK_ERRFILE_H
#include <stddef.h>
#include <stdint.h>
#include "rdk_util.h"

typedef struct rdk_errfile rdk_errfile_t;

rdk_errfile_t *rdk_errfile_new(const char *path);
void rdk_errfile_free(rdk_errfile_t *f);
const char *rdk_errfile_path(const rdk_errfile_t *f);
/* Appends one line (a '\n' is added). Opens the file lazily (mode 0600,
 * O_APPEND). Returns 0, or -1 with errno when the line could not be
 * written whole. */
int rdk_errfile_write(rdk_errfile_t *f, const char *line, size_t len);
/* Closes the descriptor so the next write reopens (log rotation, HUP). */
void rdk_errfile_reopen(rdk_errfile_t *f);
uint64_t rdk_errfile_lines(const rdk_errfile_t *f);

/* Fields of one failure record. */
typedef struct rdk_errrec {
	const char *module;
	const char *action;
	const char *topic;
	int32_t partition;
	const char *reason;	/* stable label, e.g. "msg_too_large" */
	const char *error;	/* human text, e.g. librdkafka's err2str */
	const void *key;
	size_t keylen;
	const void *payload;
	size_t len;
} rdk_errrec_t;

/* Renders r as one JSON object (no newline) into b (b is reset first). */
int rdk_errrec_json(rdk_buf_t *b, const rdk_errrec_t *r);

#endif
