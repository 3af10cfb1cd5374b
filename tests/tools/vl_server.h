/* vl_server.h: the ingestion half of vl-server (vl_ingest.c): one
 * /insert/jsonline or Elasticsearch /_bulk body -> stored rows, by
 * VictoriaLogs' rules (see vl-server.c). Thread use: the caller serializes
 * (one mutex).
 */
#ifndef VL_SERVER_H
#define VL_SERVER_H
#include <stddef.h>
#include <stdio.h>

/* what one request says besides its body */
typedef struct vl_params {
	const char *query;			/* "a=b&c=d", URL-encoded */
	const char *hmsg, *htime, *hstream;	/* VL-*-Field(s) headers or "" */
	const char *account, *project;		/* tenant headers or "" */
	size_t max_line;			/* read buffer: a line and its '\n'
						 * must fit (see vl-server.c) */
	FILE *out;				/* rows appended here; NULL: counted only */
} vl_params_t;

typedef struct vl_result {
	unsigned long rows, bad, too_long;
	unsigned long items;	/* bulk: documents answered as created */
	unsigned long lost_after_long;	/* lines after a too-long one: dropped */
	unsigned long dropped_time;	/* valid rows outside the retention window */
	char err[512];		/* why a body was refused (jsonline: 400) or cut
				 * short (bulk: 200 with an empty body) */
} vl_result_t;

/* /insert/jsonline: HTTP status 200, or 400 when every line read was
 * invalid (too-long and lost lines are not "read"; rows dropped for their
 * time are valid). */
/* Rows older than this many days are dropped (default 36500). */
void vl_set_retention_days(long days);
int vl_ingest(const char *body, size_t len, const vl_params_t *p, vl_result_t *res);

/* /insert/elasticsearch/_bulk: action + document line pairs; always 200,
 * as VictoriaLogs: the first bad pair ends the request (the documents
 * before it stay stored), res->err set, and VictoriaLogs then answers
 * 200 with an empty body instead of the bulk reply. */
int vl_ingest_bulk(const char *body, size_t len, const vl_params_t *p, vl_result_t *res);

#endif
