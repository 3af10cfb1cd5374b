/* vl_server.h: the ingestion half of vl-server (vl_ingest.c): one
 * /insert/jsonline body -> stored rows, by VictoriaLogs' rules (see
 * vl-server.c). Thread use: the caller serializes (one mutex).
 */
#ifndef VL_SERVER_H
#define VL_SERVER_H
#include <stddef.h>
#include <stdio.h>

typedef struct vl_result {
	unsigned long rows, bad, too_long;
	char err[96];
} vl_result_t;

/* HTTP status: 200, or 400 when every line was invalid or an argument is
 * bad. Rows are appended to out (may be NULL: counted only). */
int vl_ingest(const char *body, size_t len, const char *query,
	const char *hmsg, const char *htime, const char *hstream,
	const char *account, const char *project, size_t max_line,
	FILE *out, vl_result_t *res);

#endif
