/* vl_http.h: POST of one jsonline body to VictoriaLogs through libcurl
 * (keep-alive, TLS, proxies from the environment, basic or bearer auth),
 * and what the answer means for the batch: delivered, retry inside the
 * commit (connection error, timeout, 408, 429, 5xx, and the answers no
 * line can change: 401, 403, 404, 405, 407, 415), or rejected (other 4xx,
 * e.g. 400, 413: split the batch to find the bad lines). One handle per
 * action worker.
 * Thread use: a handle belongs to one thread; vl_http_global_init() once
 * per process (any thread, idempotent).
 */
#ifndef VL_HTTP_H
#define VL_HTTP_H
#include <stddef.h>

typedef enum vl_outcome {
	VL_HTTP_OK = 0,		/* 2xx */
	VL_HTTP_RETRY,		/* transport error, timeout, 408, 429, 5xx, 401/403/404/405/407/415 */
	VL_HTTP_REJECT		/* another 4xx (or 3xx): some line of the request is wrong */
} vl_outcome_t;

typedef struct vl_http_opts {
	const char *url;	/* endpoint base, e.g. http://vl:9428 */
	const char *query;	/* query string without '?' (vl_query_build), may be NULL */
	const char *account, *project;	/* tenant headers, may be NULL */
	const char *user, *password;	/* basic auth, may be NULL */
	const char *bearer;		/* bearer token, may be NULL */
	const char *cafile, *certfile, *keyfile;
	int verify;			/* verify the server's certificate and name */
	long timeout_ms;		/* whole request */
	const char *encoding;		/* Content-Encoding, NULL: identity */
	/* polled (about once a second, and as data moves) during a request;
	 * nonzero aborts it (answered as a transport error). May be NULL. */
	int (*cancel)(void *opaque);
	void *cancel_opaque;
} vl_http_opts_t;

typedef struct vl_http vl_http_t;

int vl_http_global_init(void);
vl_http_t *vl_http_new(const vl_http_opts_t *o, char *errstr, size_t errlen);
void vl_http_free(vl_http_t *h);
/* POSTs body to <url>/insert/jsonline?<query>. *status: the HTTP status
 * (0: no answer). answer: the start of the server's answer, or the
 * transport error, NUL-terminated (never the body sent). */
vl_outcome_t vl_http_post(vl_http_t *h, const char *body, size_t len,
	long *status, char *answer, size_t anslen);
/* Whether the last vl_http_post failed before its request went out
 * (connection refused, name not resolved): nothing can have been stored. */
int vl_http_unsent(const vl_http_t *h);
/* The outcome of an HTTP status (0: transport error). */
vl_outcome_t vl_http_classify(long status);

/* The query of /insert/jsonline, URL-encoded: _msg_field, _time_field,
 * _stream_fields, ignore_fields, extra_fields (lists: comma-separated
 * strings, NULL or "" for none). NULL when out of memory. */
char *vl_query_build(const char *msg_field, const char *time_field,
	const char *stream_fields, const char *ignore_fields,
	const char *extra_fields);

#endif
